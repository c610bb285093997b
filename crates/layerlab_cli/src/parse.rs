//! `layerlab parse FILE`: the instructions of a Dockerfile with their line ranges, or
//! `--format buildkit-json` for BuildKit's own parse result shape (the corpus format).

use crate::render;
use anyhow::Context;
use layerlab_dockerfile::oracle::{to_oracle, OracleCommand};
use layerlab_text::{LineIndex, Severity};
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The Dockerfile to parse (`-` for standard input).
    file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// Line range, keyword and arguments, one instruction per line.
    Human,
    /// BuildKit's parse result: `[{cmd, sub_cmd, json, original, start_line, end_line,
    /// flags, value, heredocs}]`, or `{"error": "..."}` (exit 1) when BuildKit refuses.
    BuildkitJson,
}

/// The serialized shape of [`OracleCommand`] (field order as in the corpus).
#[derive(Serialize)]
struct CommandDto<'a> {
    cmd: &'a str,
    sub_cmd: Option<&'a str>,
    json: bool,
    original: &'a str,
    start_line: u32,
    end_line: u32,
    flags: &'a [String],
    value: &'a [String],
    heredocs: Vec<HeredocDto<'a>>,
}

#[derive(Serialize)]
struct HeredocDto<'a> {
    name: &'a str,
    file_descriptor: u64,
    content: &'a str,
}

impl<'a> From<&'a OracleCommand> for CommandDto<'a> {
    fn from(c: &'a OracleCommand) -> Self {
        CommandDto {
            cmd: &c.cmd,
            sub_cmd: c.sub_cmd.as_deref(),
            json: c.json,
            original: &c.original,
            start_line: c.start_line,
            end_line: c.end_line,
            flags: &c.flags,
            value: &c.value,
            heredocs: c
                .heredocs
                .iter()
                .map(|h| HeredocDto {
                    name: &h.name,
                    file_descriptor: h.file_descriptor,
                    content: &h.content,
                })
                .collect(),
        }
    }
}

/// Pretty JSON with one-space indents, byte-identical to the corpus files
/// (`json.dumps(obj, indent=1, ensure_ascii=False)` plus a newline).
fn to_corpus_json<T: Serialize>(value: &T) -> anyhow::Result<String> {
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b" ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    value.serialize(&mut ser)?;
    buf.push(b'\n');
    Ok(String::from_utf8(buf)?)
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let text = read_input(&args.file)?;
    let name = args.file.display().to_string();
    let parsed = layerlab_dockerfile::parse(&text);
    if let Format::BuildkitJson = args.format {
        let mut out = std::io::stdout().lock();
        return match to_oracle(&parsed) {
            Ok(cmds) => {
                let dtos: Vec<CommandDto<'_>> = cmds.iter().map(CommandDto::from).collect();
                out.write_all(to_corpus_json(&dtos)?.as_bytes())?;
                Ok(ExitCode::SUCCESS)
            }
            Err(_) => {
                let msg = parsed
                    .buildkit_error
                    .as_ref()
                    .map(|e| e.to_message_with_line())
                    .unwrap_or_default();
                out.write_all(to_corpus_json(&serde_json::json!({ "error": msg }))?.as_bytes())?;
                Ok(ExitCode::FAILURE)
            }
        };
    }
    let index = LineIndex::new(&text);
    for ins in &parsed.dockerfile.instructions {
        let args = if ins.key_values.is_empty() {
            ins.value
                .iter()
                .map(|w| w.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            ins.key_values
                .iter()
                .map(|kv| format!("{}={}", kv.key.text, kv.value.text))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let flags: String = ins.flags.iter().map(|f| format!("{} ", f.text)).collect();
        let args = match &ins.trigger {
            Some(t) => format!(
                "{} {}",
                t.keyword,
                t.value
                    .iter()
                    .map(|w| w.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            None => args,
        };
        let form = if ins.json { "[json] " } else { "" };
        let heredocs: String = ins
            .heredocs
            .iter()
            .map(|h| format!(" <<{}", h.name))
            .collect();
        println!(
            "{:>4}-{:<4} {:<11} {flags}{form}{args}{heredocs}",
            ins.start_line, ins.end_line, ins.keyword
        );
    }
    for d in &parsed.diagnostics {
        eprintln!("{}", render::diagnostic(&name, &text, &index, d));
    }
    let has_error = parsed
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
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
