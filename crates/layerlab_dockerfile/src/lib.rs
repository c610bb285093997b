//! Dockerfile parsing (first slice: common forms only; the BuildKit-conformant parser
//! replaces this module in issue #3 behind the same API).
//!
//! ```
//! let parsed = layerlab_dockerfile::parse("FROM alpine\nRUN echo \\\n  hi\n");
//! assert_eq!(parsed.dockerfile.instructions.len(), 2);
//! assert_eq!(parsed.dockerfile.instructions[1].keyword, "RUN");
//! ```
#![deny(missing_docs)]
#![warn(clippy::disallowed_methods)]

use layerlab_text::{Diagnostic, TextRange, TextSize};

/// The result of parsing: always an AST, plus every problem found.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// The instructions that could be read.
    pub dockerfile: Dockerfile,
    /// Problems, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// A parsed Dockerfile.
#[derive(Clone, Debug, Default)]
pub struct Dockerfile {
    /// Instructions in source order.
    pub instructions: Vec<Instruction>,
}

/// One instruction, possibly spanning several lines.
#[derive(Clone, Debug)]
pub struct Instruction {
    /// The keyword as written (case kept).
    pub keyword: String,
    /// Where the keyword is.
    pub keyword_range: TextRange,
    /// The whole instruction, continuation lines included, without the final newline.
    pub range: TextRange,
}

/// Parses `text`; never fails.
pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut offset = 0usize;
    let mut lines = text.split_inclusive('\n').peekable();
    while let Some(line) = lines.next() {
        let start = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let trimmed = body.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let kw_start = start + (body.len() - trimmed.len());
        let kw_len = trimmed
            .find(|c: char| c.is_whitespace())
            .unwrap_or(trimmed.len());
        let mut end = start + body.len();
        let mut continued = body.trim_end().ends_with('\\');
        while continued {
            let Some(next) = lines.next() else { break };
            let next_start = offset;
            offset += next.len();
            let next_body = next.trim_end_matches(['\n', '\r']);
            end = next_start + next_body.len();
            let t = next_body.trim_start();
            continued = t.starts_with('#') || t.is_empty() || next_body.trim_end().ends_with('\\');
        }
        let keyword = trimmed[..kw_len].to_string();
        let range = TextRange::new(size(kw_start), size(end));
        if !keyword.chars().all(|c| c.is_ascii_alphabetic()) {
            parsed.diagnostics.push(Diagnostic::error(
                "unknown-instruction",
                format!("unknown instruction: {keyword}"),
                TextRange::at(size(kw_start), size(kw_len)),
            ));
        }
        parsed.dockerfile.instructions.push(Instruction {
            keyword,
            keyword_range: TextRange::at(size(kw_start), size(kw_len)),
            range,
        });
    }
    parsed
}

fn size(n: usize) -> TextSize {
    TextSize::from(n as u32)
}
