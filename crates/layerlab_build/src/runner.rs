//! RUN steps through the shell simulator (`layerlab_shell`), as the engine's
//! [`RunSimulator`] service.
//!
//! The engine hands over the argv after shell wrapping (`["/bin/sh", "-c", "npm ci"]`);
//! the simulator runs it as an exec-form command, so the image's own `/bin/sh` decides
//! the dialect (dash, bash or BusyBox ash) and a stage without a shell fails like a
//! real one.

use crate::engine::{RunOutcome, RunRequest, RunSimulator};
use layerlab_shell::{run, ExitStatus, RunCommand, Stream, DEFAULT_BUDGET};
use layerlab_vfs::Fs;

/// The shell simulator.
#[derive(Clone, Copy, Debug, Default)]
pub struct ShellRunner;

impl RunSimulator for ShellRunner {
    fn run(&self, fs: &mut Fs, req: &RunRequest) -> RunOutcome {
        let sim = layerlab_shell::RunRequest {
            command: RunCommand::Exec(req.argv.clone()),
            shell: Vec::new(),
            env: req.env.clone(),
            workdir: req.workdir.clone(),
            user: req.user.clone(),
            budget: DEFAULT_BUDGET,
            epoch: req.epoch,
        };
        let out = run(fs, &sim);
        let duration_ms = u32::try_from(out.duration_ms).unwrap_or(u32::MAX).max(1);
        // The simulator's output has no clock; spread its lines over the step's modeled
        // duration so the log reads like BuildKit's timestamped output.
        let mut text = String::new();
        for chunk in &out.output {
            let piece = String::from_utf8_lossy(&chunk.bytes);
            if chunk.stream == Stream::Stderr || chunk.stream == Stream::Stdout {
                text.push_str(&piece);
            }
        }
        let lines: Vec<&str> = text.lines().collect();
        let n = lines.len().max(1) as u64;
        let output = lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                (
                    (u64::from(duration_ms) * (i as u64 + 1) / (n + 1)) as u32,
                    l.to_string(),
                )
            })
            .collect();
        let failure = match out.status {
            ExitStatus::BudgetExhausted => Some(format!(
                "process \"{}\" did not complete successfully: the simulator stopped it after {} steps (an endless loop?)",
                req.argv.join(" "),
                out.steps
            )),
            _ => None,
        };
        RunOutcome {
            exit_code: out.status.code(),
            output,
            warnings: out.warnings.iter().map(|d| d.message.clone()).collect(),
            duration_ms,
            failure,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bases::CatalogBases;
    use crate::cache::CacheStore;
    use crate::engine::{build, BuildOptions, BuildRequest};
    use crate::report::StepStatus;
    use layerlab_vfs::VfsPath;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn build_df(dockerfile: &str) -> crate::engine::BuildOutput {
        let none = |_: &str| None;
        let req = BuildRequest {
            dockerfile,
            dockerfile_path: None,
            context: &Fs::default(),
            excluded: &none,
            options: &BuildOptions::default(),
            bases: &CatalogBases::default(),
            runner: &ShellRunner,
        };
        build(&req, &mut CacheStore::default())
    }

    #[test]
    fn run_steps_change_the_filesystem_through_the_shell() {
        let out = build_df("FROM alpine:3.21\nRUN mkdir -p /app && echo hello > /app/greeting\nWORKDIR /app\nRUN echo \"$(cat greeting), world\" > out.txt\n");
        assert!(out.report.error.is_none(), "{:?}", out.report.error);
        let fs = out.fs.unwrap();
        assert_eq!(
            fs.read_file(&VfsPath::new("/app/out.txt"))
                .unwrap()
                .to_vec(),
            b"hello, world\n"
        );
    }

    #[test]
    fn a_missing_command_fails_like_buildkit() {
        let out = build_df("FROM alpine:3.21\nRUN apt-get update\n");
        let e = out.report.error.unwrap();
        assert_eq!(
            e.message,
            "process \"/bin/sh -c apt-get update\" did not complete successfully: exit code: 127"
        );
        let failed = out.report.steps.last().unwrap();
        assert!(matches!(failed.status, StepStatus::Failed { .. }));
        assert!(
            failed
                .output
                .iter()
                .any(|(_, l)| l.contains("apt-get: not found")),
            "{:?}",
            failed.output
        );
    }

    #[test]
    fn an_endless_loop_is_stopped() {
        let out = build_df("FROM alpine:3.21\nRUN while true; do :; done\n");
        assert!(out.report.error.unwrap().message.contains("endless loop"));
    }
}
