//! The facade between the page and the core: Dockerfile text in, view models out.
//!
//! View models are separate from core types (architecture invariant 5) and hold
//! everything the components need already formatted: 1-based lines, UTF-16 columns.

pub mod build;
pub mod cache;
pub mod client;
pub mod context;
pub mod image;
pub mod lessons;
pub mod serve;
pub mod wire;

use crate::highlight::{segments, Segment};
use layerlab_text::{Diagnostic, LineIndex, Severity, TextRange};

/// One parsed instruction as the page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstructionView {
    /// The keyword as written.
    pub keyword: String,
    /// The arguments, continuation lines joined with single spaces.
    pub args: String,
    /// First line, 1-based.
    pub first_line: u32,
    /// Last line, 1-based.
    pub last_line: u32,
}

/// One diagnostic as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagnosticView {
    /// The file it is about (`Dockerfile`, `.dockerignore`).
    pub file: String,
    /// `error`, `warning` or `hint`.
    pub severity: &'static str,
    /// Stable code.
    pub code: &'static str,
    /// The message.
    pub message: String,
    /// 1-based line of the start.
    pub line: u32,
    /// 1-based UTF-16 column of the start.
    pub col: u32,
    /// Start and end in UTF-16 code units from the start of the text (for selection).
    pub utf16: (u32, u32),
    /// How to fix it, when there is a known fix.
    pub help: Option<String>,
    /// Documentation of the rule (BuildKit build checks), when there is one.
    pub url: Option<String>,
}

/// Everything the page shows about one Dockerfile text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParseView {
    /// Instructions in source order.
    pub instructions: Vec<InstructionView>,
    /// Diagnostics in source order.
    pub diagnostics: Vec<DiagnosticView>,
    /// The text split into highlighted runs for the editor.
    pub segments: Vec<Segment>,
}

impl ParseView {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == "error")
    }
}

/// Parses `text` and builds the page's view of it.
pub fn parse_view(text: &str) -> ParseView {
    let parsed = layerlab_dockerfile::parse(text);
    let instructions = parsed
        .dockerfile
        .instructions
        .iter()
        .map(|ins| {
            // BuildKit's logical line: continuations joined, comment lines dropped.
            let args = ins
                .original
                .trim_start()
                .get(ins.keyword.len()..)
                .unwrap_or_default();
            InstructionView {
                keyword: ins.keyword.clone(),
                args: args.split_whitespace().collect::<Vec<_>>().join(" "),
                first_line: ins.start_line,
                last_line: ins.end_line,
            }
        })
        .collect();
    let mut all: Vec<Diagnostic> = parsed.diagnostics.clone();
    // What the build would refuse before any step, with the build's messages.
    all.extend(layerlab_build::command::problems(&parsed));
    all.extend(layerlab_dockerfile::check(text, &parsed));
    all.sort_by_key(|d| (d.range.start(), d.code));
    let diagnostics = all
        .iter()
        .map(|d| diagnostic_view("Dockerfile", text, d))
        .collect();
    let segments = segments(text, &syntax_spans(text, &parsed), &diagnostic_spans(&all));
    ParseView {
        instructions,
        diagnostics,
        segments,
    }
}

/// The page's view of a diagnostic about `file`, whose text is `text`.
pub fn diagnostic_view(file: &str, text: &str, d: &Diagnostic) -> DiagnosticView {
    let pos = LineIndex::new(text).line_col_utf16(text, d.range.start());
    DiagnosticView {
        file: file.to_string(),
        severity: severity_name(d.severity),
        code: d.code,
        message: d.message.clone(),
        line: pos.line + 1,
        col: pos.col + 1,
        utf16: (
            utf16_offset(text, d.range.start().to_usize()),
            utf16_offset(text, d.range.end().to_usize()),
        ),
        help: d.help.clone(),
        url: is_buildkit_rule(d.code).then(|| layerlab_dockerfile::check::rule_url(d.code)),
    }
}

/// Syntax classes for the editor, from the parser's highlight spans.
fn syntax_spans(
    text: &str,
    parsed: &layerlab_dockerfile::Parsed,
) -> Vec<(TextRange, &'static str)> {
    use layerlab_dockerfile::HighlightKind as K;
    layerlab_dockerfile::highlight(text, parsed)
        .into_iter()
        .map(|h| {
            let class = match h.kind {
                K::Keyword => "keyword",
                K::Flag => "flag",
                K::String => "string",
                K::Variable => "variable",
                K::Comment => "comment",
                K::Directive => "directive",
                K::HeredocMarker | K::HeredocBody => "heredoc",
                K::Operator => "operator",
                K::Punctuation => "punctuation",
                _ => "",
            };
            (h.range, class)
        })
        .collect()
}

/// BuildKit's check rules are CamelCase names (`JSONArgsRecommended`); layerlab's own
/// hints and parse errors use kebab-case codes.
fn is_buildkit_rule(code: &str) -> bool {
    code.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}

fn diagnostic_spans(diagnostics: &[Diagnostic]) -> Vec<(TextRange, &'static str, u8)> {
    diagnostics
        .iter()
        .map(|d| {
            (
                d.range,
                severity_name(d.severity),
                severity_rank(d.severity),
            )
        })
        .collect()
}

fn severity_name(severity: Severity) -> &'static str {
    severity.as_str()
}

fn severity_rank(severity: Severity) -> u8 {
    match severity {
        Severity::Error => 3,
        Severity::Warning => 2,
        _ => 1,
    }
}

/// Segments for a file that is not the Dockerfile: `.dockerignore` files get comment
/// and exception colouring; other files are plain text.
pub fn plain_segments(path: &str, text: &str) -> Vec<Segment> {
    let mut spans = Vec::new();
    if path.ends_with(".dockerignore") {
        let mut offset = 0u32;
        for line in text.split_inclusive('\n') {
            let len = line.trim_end_matches(['\n', '\r']).len() as u32;
            // BuildKit's ignore-file reader treats `#` as a comment only in column 0.
            if line.starts_with('#') {
                spans.push((TextRange::at(offset.into(), len.into()), "comment"));
            } else if line.trim_start().starts_with('!') {
                let bang = (line.len() - line.trim_start().len()) as u32;
                spans.push((TextRange::at((offset + bang).into(), 1.into()), "operator"));
            }
            offset += line.len() as u32;
        }
    }
    segments(text, &spans, &[])
}

/// The UTF-16 offset of byte `offset` (rounded down to a character boundary).
pub fn utf16_offset(text: &str, offset: usize) -> u32 {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    text[..offset].encode_utf16().count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_parses_into_seven_instructions() {
        let view = parse_view(layerlab_lesson::starter::DOCKERFILE);
        let keywords: Vec<_> = view
            .instructions
            .iter()
            .map(|i| i.keyword.as_str())
            .collect();
        assert_eq!(
            keywords,
            ["FROM", "WORKDIR", "COPY", "RUN", "COPY", "USER", "CMD"]
        );
        assert_eq!(view.instructions[0].first_line, 2);
        assert!(!view.has_errors());
    }

    #[test]
    fn continuation_lines_give_a_line_range() {
        let view = parse_view("FROM alpine\nRUN apk add \\\n    curl\n");
        let run = &view.instructions[1];
        assert_eq!((run.first_line, run.last_line), (2, 3));
        assert_eq!(run.args, "apk add curl");
    }

    #[test]
    fn errors_the_build_would_stop_at_are_problems_on_their_line() {
        let view = parse_view("FROM alpine:3.21\nUSER app\nHEALTHCHECK CMD\nFORM x\n");
        let found: Vec<_> = view
            .diagnostics
            .iter()
            .map(|d| (d.severity, d.code, d.message.as_str(), d.line))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "error",
                    "invalid-instruction",
                    "Missing command after HEALTHCHECK CMD",
                    3
                ),
                (
                    "error",
                    "unknown-instruction",
                    "unknown instruction: FORM (did you mean FROM?)",
                    4
                ),
            ]
        );
        assert!(view.has_errors());
        // The editor underlines them.
        let marked: String = view
            .segments
            .iter()
            .filter(|s| s.diagnostic == Some("error"))
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(marked, "HEALTHCHECK CMDFORM");
    }
}
