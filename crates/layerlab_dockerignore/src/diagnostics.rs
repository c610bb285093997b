//! Every diagnostic this crate reports, one constructor each, with its stable code.

use crate::matcher::PatternError;
use layerlab_text::{Diagnostic, TextRange, TextSize};

pub(crate) fn line_too_long(range: TextRange) -> Diagnostic {
    Diagnostic::error(
        "ignore-line-too-long",
        "error reading .dockerignore: bufio.Scanner: token too long",
        range,
    )
    .with_help("BuildKit cannot read lines longer than 65536 bytes")
}

pub(crate) fn invalid_pattern(e: &PatternError) -> Diagnostic {
    let range = e
        .source
        .range
        .unwrap_or_else(|| TextRange::empty(TextSize::from(0)));
    Diagnostic::error(
        "invalid-ignore-pattern",
        format!(
            "invalid pattern `{}` on line {}: {}",
            e.source.text,
            e.source.line,
            e.message()
        ),
        range,
    )
}
