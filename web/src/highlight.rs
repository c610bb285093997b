//! Splits a text into styled segments for the editor's highlight layer.
//!
//! Two kinds of spans overlap here: syntax classes (sorted, non-overlapping, from the
//! parser) and diagnostic ranges (which may overlap each other and cross syntax spans).
//! Every byte boundary of either kind starts a new segment, so each segment has exactly
//! one syntax class and the most severe diagnostic covering it.

use layerlab_text::{TextRange, TextSize};

/// A run of text with one syntax class and at most one diagnostic severity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// The text of the run.
    pub text: String,
    /// CSS class for the syntax (`""` for plain text).
    pub class: &'static str,
    /// `error`, `warning` or `hint` when a diagnostic covers the run.
    pub diagnostic: Option<&'static str>,
}

/// Segments `text`. `syntax` must be sorted and non-overlapping; `diagnostics` pairs a
/// range with a severity name and a rank (higher wins where they overlap). An empty
/// diagnostic range marks the rest of its line, so "missing here" problems stay visible.
pub fn segments(
    text: &str,
    syntax: &[(TextRange, &'static str)],
    diagnostics: &[(TextRange, &'static str, u8)],
) -> Vec<Segment> {
    let len = TextSize::of(text);
    let diagnostics: Vec<_> = diagnostics
        .iter()
        .map(|&(range, name, rank)| (widen_empty(text, range), name, rank))
        .collect();
    let mut cuts: Vec<TextSize> = vec![0.into(), len];
    for (range, _) in syntax {
        cuts.extend([range.start(), range.end()]);
    }
    for (range, _, _) in &diagnostics {
        cuts.extend([range.start(), range.end()]);
    }
    cuts.retain(|&c| c <= len && text.is_char_boundary(c.to_usize()));
    cuts.sort();
    cuts.dedup();
    let mut out: Vec<Segment> = Vec::new();
    let mut syntax_iter = syntax.iter().peekable();
    for pair in cuts.windows(2) {
        let piece = TextRange::new(pair[0], pair[1]);
        while syntax_iter
            .peek()
            .is_some_and(|(r, _)| r.end() <= piece.start())
        {
            syntax_iter.next();
        }
        let class = match syntax_iter.peek() {
            Some((r, class)) if r.contains_range(piece) => *class,
            _ => "",
        };
        let diagnostic = diagnostics
            .iter()
            .filter(|(r, _, _)| r.contains_range(piece))
            .max_by_key(|(_, _, rank)| *rank)
            .map(|(_, name, _)| *name);
        match out.last_mut() {
            Some(last) if last.class == class && last.diagnostic == diagnostic => {
                last.text.push_str(&text[piece.to_range()]);
            }
            _ => out.push(Segment {
                text: text[piece.to_range()].to_string(),
                class,
                diagnostic,
            }),
        }
    }
    out
}

fn widen_empty(text: &str, range: TextRange) -> TextRange {
    if !range.is_empty() {
        return range;
    }
    let mut start = range.start().to_usize().min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    // At the very end of a line there is nothing to underline: mark the character before.
    let start = if end == start {
        text[..start]
            .char_indices()
            .last()
            .map_or(start, |(i, _)| i)
    } else {
        start
    };
    TextRange::new((start as u32).into(), (end.max(start) as u32).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(a: u32, b: u32) -> TextRange {
        TextRange::new(a.into(), b.into())
    }

    #[test]
    fn syntax_and_diagnostics_split_runs() {
        let text = "FROM alpine AS x\n";
        let segs = segments(text, &[(r(0, 4), "kw")], &[(r(2, 11), "error", 2)]);
        let got: Vec<_> = segs
            .iter()
            .map(|s| (s.text.as_str(), s.class, s.diagnostic))
            .collect();
        assert_eq!(
            got,
            [
                ("FR", "kw", None),
                ("OM", "kw", Some("error")),
                (" alpine", "", Some("error")),
                (" AS x\n", "", None),
            ]
        );
        assert_eq!(
            segs.iter().map(|s| s.text.as_str()).collect::<String>(),
            text
        );
    }

    #[test]
    fn empty_diagnostic_marks_rest_of_line_and_worst_wins() {
        let text = "RUN a\nCMD";
        let segs = segments(text, &[], &[(r(4, 4), "warning", 1), (r(4, 5), "error", 2)]);
        assert_eq!(segs[1].text, "a");
        assert_eq!(segs[1].diagnostic, Some("error"));
    }

    #[test]
    fn ranges_off_char_boundaries_are_ignored_not_panicking() {
        let text = "é";
        let segs = segments(text, &[(r(0, 1), "kw")], &[(r(1, 1), "error", 2)]);
        assert_eq!(
            segs.iter().map(|s| s.text.as_str()).collect::<String>(),
            text
        );
    }
}
