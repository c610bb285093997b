//! `RUN`: the simulator interface and the op's cache key (semantics.md §1.4).
//!
//! The key holds the argv after shell wrapping, the whole environment (base image ENV,
//! every ENV, every ARG with a value, in LLB order), the working directory, the user,
//! network/security modes, mounts and the platform, plus the previous state. Proxy
//! build args reach the command but not the key.

use super::stage::{Builder, StageState};
use crate::cache::{Field, KeyInputs};
use crate::command::{CmdLine, Command, Located, RunCmd};
use crate::report::BuildError;
use layerlab_vfs::Fs;

/// What the simulator is asked to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunRequest {
    /// The argv (`["/bin/sh", "-c", "npm ci"]`).
    pub argv: Vec<String>,
    /// Environment, in order.
    pub env: Vec<(String, String)>,
    /// Working directory.
    pub workdir: String,
    /// `USER` (empty: root).
    pub user: String,
    /// `--network` (`none` means no downloads work).
    pub network: Option<String>,
    /// `--mount` values.
    pub mounts: Vec<String>,
    /// mtime for files the step creates (SOURCE_DATE_EPOCH).
    pub epoch: i64,
}

/// What a simulated step did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunOutcome {
    /// Exit status (0: success).
    pub exit_code: i32,
    /// Output lines with modeled timestamps in milliseconds.
    pub output: Vec<(u32, String)>,
    /// Things the user should know (an unmodeled command ran as a no-op).
    pub warnings: Vec<String>,
    /// Modeled duration.
    pub duration_ms: u32,
    /// The failure message, when the step failed (else the engine words BuildKit's).
    pub failure: Option<String>,
}

/// Runs RUN steps against the stage's filesystem.
pub trait RunSimulator {
    /// Runs `req` on `fs`, changing it as the command would.
    fn run(&self, fs: &mut Fs, req: &RunRequest) -> RunOutcome;
}

/// A simulator that runs nothing, and says so.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoopRunner;

impl RunSimulator for NoopRunner {
    fn run(&self, _fs: &mut Fs, _req: &RunRequest) -> RunOutcome {
        RunOutcome {
            exit_code: 0,
            output: Vec::new(),
            warnings: vec!["RUN is not simulated by this host: the filesystem is unchanged".into()],
            duration_ms: 100,
            failure: None,
        }
    }
}

/// The stage a `--mount` reads from (`from=build`), if any.
pub(crate) fn mount_from(mount: &str) -> Option<String> {
    mount
        .split(',')
        .find_map(|kv| kv.strip_prefix("from="))
        .map(str::to_string)
}

/// The proxy variables BuildKit passes to RUN without putting them in the key.
const PROXY_ARGS: [&str; 10] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

pub(crate) fn dispatch(
    b: &mut Builder<'_, '_>,
    state: &mut StageState,
    c: &Located<Command>,
    r: &RunCmd,
) -> Result<(), BuildError> {
    let argv: Vec<String> = match &r.cmd {
        CmdLine::Exec(args) => args.clone(),
        CmdLine::Shell(text) => {
            // `RUN <<EOF` runs the heredoc body as the script; other heredocs stay in
            // the command text, where the shell reads them as here-documents.
            let script = match r.heredocs.first() {
                Some(h)
                    if text
                        .trim()
                        .trim_start_matches("<<")
                        .trim_start_matches('-')
                        .trim_matches(['"', '\''])
                        == h.name =>
                {
                    h.data.clone()
                }
                _ if !r.heredocs.is_empty() => {
                    let mut t = text.clone();
                    for h in &r.heredocs {
                        t.push('\n');
                        t.push_str(&h.data);
                        t.push_str(&h.name);
                    }
                    t
                }
                _ => text.clone(),
            };
            state
                .shell
                .iter()
                .cloned()
                .chain(std::iter::once(script))
                .collect()
        }
    };
    let mut inputs = KeyInputs::new("RUN", state.key)
        .field(Field::new("command", argv.join(" ")))
        .field(Field::new("workdir", state.workdir.clone()))
        .field(Field::new("user", state.user.clone()));
    for var in state.scope.vars() {
        inputs = inputs.field(
            Field::new(format!("env {}", var.name), var.value.clone())
                .with_origin(var.origin.clone()),
        );
    }
    if let Some(n) = &r.network {
        inputs = inputs.field(Field::new("network", n.clone()));
    }
    if let Some(s) = &r.security {
        inputs = inputs.field(Field::new("security", s.clone()));
    }
    for m in &r.mounts {
        inputs = inputs.field(Field::new("mount", m.clone()));
    }
    inputs = inputs.field(b.platform_field());

    let mut env: Vec<(String, String)> = state
        .scope
        .vars()
        .iter()
        .map(|v| (v.name.clone(), v.value.clone()))
        .collect();
    for name in PROXY_ARGS {
        let declared = state.scope.args.iter().any(|(n, _)| n == name);
        if !declared {
            if let Some(v) = super::stage::build_arg(b.req, name) {
                env.push((name.to_string(), v));
            }
        }
    }
    let req = RunRequest {
        argv: argv.clone(),
        env,
        workdir: state.workdir.clone(),
        user: state.user.clone(),
        network: r.network.clone(),
        mounts: r.mounts.clone(),
        epoch: b.req.options.epoch,
    };
    let created_by = format!(
        "RUN {}{} # buildkit",
        state.scope.history_prefix(),
        argv.join(" ")
    );
    let runner = b.req.runner;
    let ignore = state.no_cache;
    b.op(
        state,
        c,
        c.original.clone(),
        inputs,
        ignore,
        created_by,
        &mut |fs: &mut Fs| {
            let mut outcome = runner.run(fs, &req);
            if outcome.exit_code != 0 && outcome.failure.is_none() {
                outcome.failure = Some(format!(
                    "process \"{}\" did not complete successfully: exit code: {}",
                    req.argv.join(" "),
                    outcome.exit_code
                ));
            }
            Ok(outcome)
        },
    )
}
