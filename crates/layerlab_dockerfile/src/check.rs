//! Build checks.
use crate::Parsed;
use layerlab_text::Diagnostic;

/// Runs the checks.
pub fn check(text: &str, parsed: &Parsed) -> Vec<Diagnostic> {
    let _ = (text, parsed);
    Vec::new()
}
