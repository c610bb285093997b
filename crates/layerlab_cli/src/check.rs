//! `layerlab check FILE`: BuildKit's build checks and best-practice hints, as
//! `file:line:col: severity[code]: message`, or `--format json`. Parse errors are
//! reported too. Exits 1 when a finding is an error (a parse error, or any BuildKit
//! rule under `# check=error=true`).

use crate::parse::read_input;
use crate::render;
use layerlab_text::{Diagnostic, LineIndex, Severity};
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The Dockerfile to check (`-` for standard input).
    file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// `file:line:col: severity[code]: message` lines.
    Human,
    /// A JSON array of findings.
    Json,
}

#[derive(Serialize)]
struct FindingDto<'a> {
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    severity: &'a str,
    code: &'a str,
    message: &'a str,
    help: Option<&'a str>,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let text = read_input(&args.file)?;
    let name = args.file.display().to_string();
    let parsed = layerlab_dockerfile::parse(&text);
    let mut findings: Vec<Diagnostic> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    findings.extend(layerlab_dockerfile::check(&text, &parsed));
    findings.sort_by_key(|d| (d.range.start(), d.code));
    let index = LineIndex::new(&text);
    match args.format {
        Format::Human => {
            for d in &findings {
                println!("{}", render::diagnostic(&name, &text, &index, d));
            }
        }
        Format::Json => {
            let dtos: Vec<FindingDto<'_>> = findings
                .iter()
                .map(|d| {
                    let s = index.line_col(d.range.start());
                    let e = index.line_col(d.range.end());
                    FindingDto {
                        file: &name,
                        line: s.line + 1,
                        column: s.col + 1,
                        end_line: e.line + 1,
                        end_column: e.col + 1,
                        severity: d.severity.as_str(),
                        code: d.code,
                        message: &d.message,
                        help: d.help.as_deref(),
                    }
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&dtos)?);
        }
    }
    let failed = findings.iter().any(|d| d.severity == Severity::Error);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
