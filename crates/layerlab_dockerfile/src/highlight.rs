//! Editor colouring: sorted, non-overlapping spans with a kind.
use crate::Parsed;
use layerlab_text::TextRange;

/// What a span is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HighlightKind {
    /// An instruction keyword.
    Keyword,
}

/// A coloured span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Highlight {
    /// Where.
    pub range: TextRange,
    /// What.
    pub kind: HighlightKind,
}

/// Spans for `text`.
pub fn highlight(text: &str, parsed: &Parsed) -> Vec<Highlight> {
    let _ = (text, parsed);
    Vec::new()
}
