//! `layerlab parse FILE`: the instructions of a Dockerfile with their line ranges.

use crate::render;
use anyhow::Context;
use layerlab_text::{LineIndex, TextRange};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The Dockerfile to parse (`-` for standard input).
    file: PathBuf,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let text = read_input(&args.file)?;
    let name = args.file.display().to_string();
    let parsed = layerlab_dockerfile::parse(&text);
    let index = LineIndex::new(&text);
    for ins in &parsed.dockerfile.instructions {
        let first = index.line_of(ins.range.start()) + 1;
        let last = index.line_of(ins.range.end()) + 1;
        let args_range = TextRange::new(ins.keyword_range.end(), ins.range.end());
        let args = text[args_range.to_range()].split_whitespace().collect::<Vec<_>>().join(" ");
        println!("{first:>4}-{last:<4} {:<11} {args}", ins.keyword);
    }
    for d in &parsed.diagnostics {
        eprintln!("{}", render::diagnostic(&name, &text, &index, d));
    }
    let has_error = parsed
        .diagnostics
        .iter()
        .any(|d| d.severity == layerlab_text::Severity::Error);
    Ok(if has_error {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads a text file argument (`-` is standard input).
pub(crate) fn read_input(path: &std::path::Path) -> anyhow::Result<String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
        return Ok(s);
    }
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}
