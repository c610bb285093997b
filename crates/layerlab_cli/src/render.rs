//! Shared terminal rendering: positions and diagnostics as `file:line:col`.

use layerlab_text::{Diagnostic, LineIndex};

/// Formats a diagnostic as `file:line:col: severity[code]: message`, 1-based.
pub(crate) fn diagnostic(file: &str, text: &str, index: &LineIndex, d: &Diagnostic) -> String {
    let _ = text;
    let pos = index.line_col(d.range.start());
    let mut out = format!(
        "{file}:{}:{}: {}[{}]: {}",
        pos.line + 1,
        pos.col + 1,
        d.severity.as_str(),
        d.code,
        d.message
    );
    if let Some(help) = &d.help {
        out.push_str(&format!("\n  help: {help}"));
    }
    out
}
