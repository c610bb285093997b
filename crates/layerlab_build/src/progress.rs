//! BuildKit's plain progress log (`docker build --progress=plain`), rendered from a
//! [`BuildReport`].
//!
//! Vertices are numbered in the order BuildKit starts them: the build definition, the
//! metadata of each base image, the ignore file, then the stages' ops with the build
//! context loaded before the first op that reads it, then the export. Times are the
//! engine's modeled durations, so the time a cache hit saved is visible.

use crate::report::{BuildReport, StepReport, StepStatus};
use layerlab_text::decimal::{self, Double};
use layerlab_text::LineIndex;
use std::fmt::Write;

/// What the log needs besides the report.
#[derive(Clone, Debug, Default)]
pub struct ProgressInput<'a> {
    /// The Dockerfile's name as given (`Dockerfile`, `docker/Dockerfile.prod`).
    pub dockerfile_name: &'a str,
    /// The Dockerfile's text (for the size line and the error excerpt).
    pub dockerfile: &'a str,
    /// The ignore file's size in bytes (BuildKit transfers an empty one when absent).
    pub dockerignore_len: u64,
    /// Bytes of build context transferred.
    pub context_bytes: u64,
    /// Base image references resolved, in order (`docker.io/library/node:20-alpine`).
    pub bases: Vec<String>,
    /// The name the image is tagged with (`docker.io/library/app:latest`), if any.
    pub tag: Option<String>,
}

/// Renders the plain progress log, ending with BuildKit's error block on failure.
pub fn render_plain(report: &BuildReport, input: &ProgressInput<'_>) -> String {
    let mut out = String::new();
    let mut n = 0u32;
    let mut vertex = |out: &mut String, name: &str, lines: &[String], done: &str| {
        n += 1;
        let _ = writeln!(out, "#{n} {name}");
        for line in lines {
            let _ = writeln!(out, "#{n} {line}");
        }
        let _ = writeln!(out, "#{n} {done}\n");
    };
    out.push_str("#0 building with \"layerlab\" instance using simulated driver\n\n");
    vertex(
        &mut out,
        &format!(
            "[internal] load build definition from {}",
            base_name(input.dockerfile_name)
        ),
        &[format!(
            "transferring dockerfile: {} done",
            human_size(input.dockerfile.len() as u64)
        )],
        "DONE 0.0s",
    );
    for base in &input.bases {
        vertex(
            &mut out,
            &format!("[internal] load metadata for {base}"),
            &[],
            "DONE 0.1s",
        );
    }
    vertex(
        &mut out,
        "[internal] load .dockerignore",
        &[format!(
            "transferring context: {} done",
            human_size(input.dockerignore_len.max(2))
        )],
        "DONE 0.0s",
    );
    let mut context_loaded = false;
    for step in &report.steps {
        if !context_loaded && reads_context(step) {
            context_loaded = true;
            vertex(
                &mut out,
                "[internal] load build context",
                &[format!(
                    "transferring context: {} done",
                    human_size(input.context_bytes)
                )],
                "DONE 0.0s",
            );
        }
        let name = format!("{} {}", step.label(), step.instruction);
        match &step.status {
            StepStatus::Cached => vertex(&mut out, &name, &[], "CACHED"),
            StepStatus::Executed(_) => {
                let lines = output_lines(step);
                vertex(
                    &mut out,
                    &name,
                    &lines,
                    &format!("DONE {}", seconds(step.duration_ms)),
                );
            }
            StepStatus::Failed { message } => {
                let lines = output_lines(step);
                vertex(&mut out, &name, &lines, &format!("ERROR: {message}"));
            }
        }
    }
    match (&report.image, &report.error) {
        (Some(image), None) => {
            let mut lines = vec![
                "exporting layers".to_string(),
                "exporting layers 0.1s done".to_string(),
                format!("writing image sha256:{} done", image.id.hex()),
            ];
            if let Some(tag) = &input.tag {
                lines.push(format!("naming to {tag} done"));
            }
            vertex(&mut out, "exporting to image", &lines, "DONE 0.1s");
        }
        (_, Some(error)) => {
            if let Some(step) = report
                .steps
                .iter()
                .find(|s| matches!(s.status, StepStatus::Failed { .. }))
            {
                out.push_str("------\n");
                let _ = writeln!(out, " > {} {}:", step.label(), step.instruction);
                for (ms, line) in &step.output {
                    let _ = writeln!(out, "{} {line}", seconds3(*ms));
                }
                out.push_str("------\n");
            }
            if let Some(range) = error.source {
                out.push_str(&excerpt(input.dockerfile_name, input.dockerfile, range));
            }
            let _ = writeln!(
                out,
                "ERROR: failed to build: failed to solve: {}",
                error.message
            );
        }
        (None, None) => {}
    }
    out
}

fn reads_context(step: &StepReport) -> bool {
    let word = step.instruction.split_whitespace().next().unwrap_or("");
    (word.eq_ignore_ascii_case("COPY") && !step.instruction.contains("--from="))
        || word.eq_ignore_ascii_case("ADD")
}

fn output_lines(step: &StepReport) -> Vec<String> {
    let mut lines: Vec<String> = step
        .output
        .iter()
        .map(|(ms, line)| format!("{} {line}", seconds3(*ms)))
        .collect();
    // Simulation notes are layerlab's, not the command's: marked so nobody mistakes
    // them for output a real build prints.
    lines.extend(
        step.warnings
            .iter()
            .map(|w| format!("{} [layerlab] {w}", seconds3(step.duration_ms))),
    );
    lines
}

fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The Dockerfile lines around the failing instruction, marked with `>>>`, as BuildKit
/// prints them (two lines of context on each side).
fn excerpt(name: &str, text: &str, range: layerlab_text::TextRange) -> String {
    let index = LineIndex::new(text);
    let first = index.line_of(range.start());
    let last = index.line_of(
        range
            .end()
            .to_u32()
            .saturating_sub(1)
            .max(range.start().to_u32())
            .into(),
    );
    let lines: Vec<&str> = text.split('\n').collect();
    let from = first.saturating_sub(2);
    let to = (last + 2).min(lines.len().saturating_sub(1) as u32);
    let width = (to + 1).to_string().len().max(3);
    let mut out = format!(
        "{name}:{}\n--------------------\n",
        if first == last {
            (first + 1).to_string()
        } else {
            format!("{}-{}", first + 1, last + 1)
        }
    );
    for i in from..=to {
        let marker = if (first..=last).contains(&i) {
            ">>>"
        } else {
            "   "
        };
        let line = lines
            .get(i as usize)
            .copied()
            .unwrap_or("")
            .trim_end_matches('\r');
        let _ = writeln!(out, " {:>width$} | {marker} {line}", i + 1);
    }
    out.push_str("--------------------\n");
    out
}

/// `0.3s`, as BuildKit prints vertex durations (`%.1fs` of the seconds as a double).
pub fn seconds(ms: u32) -> String {
    decimal::quotient(u64::from(ms), 1000, 1) + "s"
}

fn seconds3(ms: u32) -> String {
    decimal::quotient(u64::from(ms), 1000, 3)
}

/// Go's `units.HumanSize`: decimal units, four significant digits, `%g`-style trailing
/// zeros removed (`235B`, `1.862kB`, `34.12MB`).
pub fn human_size(bytes: u64) -> String {
    human_size_precision(bytes, 4)
}

/// Go's `units.HumanSizeWithPrecision` (`docker history` uses 3 significant digits):
/// the size divided by 1000 in doubles while it is at least 1000, then `%.{p}g`.
pub fn human_size_precision(bytes: u64, precision: u32) -> String {
    const UNITS: [&str; 9] = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
    let mut size = Double::from_u64(bytes);
    let mut unit = 0;
    while !size.lt(1000) && unit < UNITS.len() - 1 {
        size = size / 1000;
        unit += 1;
    }
    format!("{}{}", size.go_g(precision), UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn sizes_match_go_units() {
        assert_eq!(human_size(2), "2B");
        assert_eq!(human_size(235), "235B");
        assert_eq!(human_size(1862), "1.862kB");
        assert_eq!(human_size(1500), "1.5kB");
        assert_eq!(human_size(34_120_000), "34.12MB");
        // Go scales first, then formats: 999.999 kB with %.4g is "1000kB".
        assert_eq!(human_size(999_999), "1000kB");
        assert_eq!(human_size_precision(7_800_000, 3), "7.8MB");
        assert_eq!(human_size_precision(26_300, 3), "26.3kB");
        assert_eq!(human_size_precision(0, 3), "0B");
        assert_eq!(seconds(2345), "2.3s");
    }

    #[test]
    fn excerpt_marks_the_failing_lines() {
        let text = "FROM alpine\nWORKDIR /app\nCOPY . .\nRUN make\nCMD x\n";
        let start = text.find("RUN").unwrap() as u32;
        let range = layerlab_text::TextRange::new(start.into(), (start + 8).into());
        let got = excerpt("Dockerfile", text, range);
        assert_eq!(
            got,
            "Dockerfile:4\n--------------------\n   2 |     WORKDIR /app\n   3 |     COPY . .\n   4 | >>> RUN make\n   5 |     CMD x\n   6 |     \n--------------------\n"
        );
    }
}
