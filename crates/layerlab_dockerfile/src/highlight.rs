//! Editor colouring: sorted, non-overlapping byte spans, each with a kind.
//!
//! The spans come from the parse tree (keywords, flags, directives, heredocs, comments)
//! and from a light scan of argument text (quotes, variables, operators, JSON
//! punctuation, line continuations). Text with no span is plain. When two spans
//! overlap, the one that starts first wins and the later one is cut.
//!
//! ```
//! use layerlab_dockerfile::{highlight, parse, HighlightKind};
//! let text = "FROM alpine\nRUN echo \"$HOME\" && ls\n";
//! let spans = highlight(text, &parse(text));
//! let kinds: Vec<_> = spans.iter().map(|h| (&text[h.range], h.kind)).collect();
//! assert!(kinds.contains(&("RUN", HighlightKind::Keyword)));
//! assert!(kinds.contains(&("$HOME", HighlightKind::Variable)));
//! assert!(kinds.contains(&("&&", HighlightKind::Operator)));
//! ```

use crate::{Instruction, Parsed};
use layerlab_text::{TextRange, TextSize};

/// What a span is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum HighlightKind {
    /// An instruction keyword (`FROM`, `RUN`, an ONBUILD trigger's keyword).
    Keyword,
    /// A `--flag=value`.
    Flag,
    /// A quoted string.
    String,
    /// A variable reference (`$VAR`, `${VAR:-x}`).
    Variable,
    /// A comment line.
    Comment,
    /// A parser directive line (`# syntax=…`).
    Directive,
    /// A heredoc marker (`<<EOF`) or terminator line.
    HeredocMarker,
    /// A heredoc body.
    HeredocBody,
    /// `=`, `&&`, `||`, `|`, `;`, and the line-continuation escape character.
    Operator,
    /// JSON brackets and commas.
    Punctuation,
}

/// A coloured span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Highlight {
    /// Where (byte offsets, on char boundaries).
    pub range: TextRange,
    /// What.
    pub kind: HighlightKind,
}

/// The spans of `text` (which must be the text `parsed` came from), sorted by start,
/// non-overlapping and non-empty.
pub fn highlight(text: &str, parsed: &Parsed) -> Vec<Highlight> {
    let mut spans = Vec::new();
    let df = &parsed.dockerfile;
    for d in &df.directives {
        spans.push(span(d.range, HighlightKind::Directive));
    }
    for c in &df.comments {
        if !df.directives.iter().any(|d| d.range == *c) {
            spans.push(span(*c, HighlightKind::Comment));
        }
    }
    for ins in &df.instructions {
        instruction(text, df.escape, ins, &mut spans);
    }
    normalize(text, spans)
}

fn span(range: TextRange, kind: HighlightKind) -> Highlight {
    Highlight { range, kind }
}

fn instruction(text: &str, escape: char, ins: &Instruction, out: &mut Vec<Highlight>) {
    for c in &ins.comment_lines {
        out.push(span(*c, HighlightKind::Comment));
    }
    out.push(span(ins.keyword_range, HighlightKind::Keyword));
    for f in &ins.flags {
        out.push(span(f.range, HighlightKind::Flag));
    }
    for h in &ins.heredocs {
        heredoc_spans(h, out);
    }
    match &ins.trigger {
        Some(t) => {
            out.push(span(t.keyword_range, HighlightKind::Keyword));
            for f in &t.flags {
                out.push(span(f.range, HighlightKind::Flag));
            }
            for h in &t.heredocs {
                heredoc_spans(h, out);
            }
            scan_args(text, escape, t.args_range, t.json, out);
        }
        None => scan_args(text, escape, ins.args_range, ins.json, out),
    }
    // Line continuations inside the instruction (before any heredoc body).
    let head_end = ins.heredocs.first().map_or(ins.range.end(), |h| {
        h.marker_range.end().max(ins.keyword_range.end())
    });
    let head = TextRange::new(ins.range.start(), head_end.max(ins.range.start()));
    let mut off = head.start().to_usize();
    for line in text[head].split_inclusive('\n') {
        let body = line
            .trim_end_matches(['\r', '\n'])
            .trim_end_matches([' ', '\t']);
        if body.ends_with(escape) && !body.trim_start().starts_with('#') {
            let at = off + body.len() - escape.len_utf8();
            out.push(span(
                range(at, at + escape.len_utf8()),
                HighlightKind::Operator,
            ));
        }
        off += line.len();
    }
}

fn heredoc_spans(h: &crate::Heredoc, out: &mut Vec<Highlight>) {
    out.push(span(h.marker_range, HighlightKind::HeredocMarker));
    out.push(span(h.body_range, HighlightKind::HeredocBody));
    out.push(span(h.terminator_range, HighlightKind::HeredocMarker));
}

fn range(a: usize, b: usize) -> TextRange {
    TextRange::new(TextSize::from(a as u32), TextSize::from(b as u32))
}

/// Quotes, variables, operators and JSON punctuation in argument text.
fn scan_args(text: &str, escape: char, args: TextRange, json: bool, out: &mut Vec<Highlight>) {
    let base = args.start().to_usize();
    let s = &text[args];
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'"' | b'\'' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != c {
                    if b[j] == escape as u8 && c == b'"' && j + 1 < b.len() {
                        j += 1;
                    }
                    j += 1;
                }
                let end = (j + 1).min(b.len());
                if c == b'"' {
                    string_with_variables(s, base, i, end, out);
                } else {
                    out.push(span(range(base + i, base + end), HighlightKind::String));
                }
                i = end;
            }
            b'$' => {
                let end = variable_end(b, i);
                if end > i + 1 {
                    out.push(span(range(base + i, base + end), HighlightKind::Variable));
                }
                i = end.max(i + 1);
            }
            b'[' | b']' | b',' if json => {
                out.push(span(
                    range(base + i, base + i + 1),
                    HighlightKind::Punctuation,
                ));
                i += 1;
            }
            b'&' | b'|' if !json => {
                let n = if b.get(i + 1) == Some(&c) { 2 } else { 1 };
                out.push(span(range(base + i, base + i + n), HighlightKind::Operator));
                i += n;
            }
            b';' | b'=' if !json => {
                out.push(span(range(base + i, base + i + 1), HighlightKind::Operator));
                i += 1;
            }
            _ if c == escape as u8 && i + 1 < b.len() && b[i + 1] != b'\n' && b[i + 1] != b'\r' => {
                // An escaped character is plain text; skip it whole.
                i += 1;
                i += s[i..].chars().next().map_or(1, char::len_utf8);
            }
            _ => i += 1,
        }
    }
}

/// A double-quoted string `s[from..to]`: string pieces around its variables.
fn string_with_variables(s: &str, base: usize, from: usize, to: usize, out: &mut Vec<Highlight>) {
    let b = &s.as_bytes()[..to];
    let mut piece = from;
    let mut i = from + 1;
    while i < to {
        if b[i] == b'$' {
            let end = variable_end(b, i).min(to);
            if end > i + 1 {
                out.push(span(range(base + piece, base + i), HighlightKind::String));
                out.push(span(range(base + i, base + end), HighlightKind::Variable));
                piece = end;
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out.push(span(range(base + piece, base + to), HighlightKind::String));
}

/// End of `$NAME`, `${…}` (balanced) or a special parameter, starting at `$`.
fn variable_end(b: &[u8], at: usize) -> usize {
    let mut i = at + 1;
    if b.get(i) == Some(&b'{') {
        let mut depth = 0;
        while i < b.len() {
            match b[i] {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return i + 1;
                    }
                }
                b'\n' => return i,
                _ => {}
            }
            i += 1;
        }
        return i;
    }
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
        i += 1;
    }
    i
}

/// Sorts, cuts overlaps (earlier start wins), drops empty spans, keeps char boundaries.
fn normalize(text: &str, mut spans: Vec<Highlight>) -> Vec<Highlight> {
    spans.retain(|h| !h.range.is_empty() && h.range.end().to_usize() <= text.len());
    spans.sort_by_key(|h| (h.range.start(), std::cmp::Reverse(h.range.end()), h.kind));
    let mut out: Vec<Highlight> = Vec::with_capacity(spans.len());
    let mut last_end = TextSize::from(0);
    for mut h in spans {
        if h.range.end() <= last_end {
            continue;
        }
        if h.range.start() < last_end {
            h.range = TextRange::new(last_end, h.range.end());
        }
        let (s, e) = (h.range.start().to_usize(), h.range.end().to_usize());
        if !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        last_end = h.range.end();
        out.push(h);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn kinds(text: &str) -> Vec<(&str, HighlightKind)> {
        highlight(text, &parse(text))
            .iter()
            .map(|h| (&text[h.range], h.kind))
            .collect()
    }

    #[test]
    fn covers_the_main_kinds() {
        use HighlightKind::*;
        let text = "# syntax=docker/dockerfile:1\n# hi\nFROM a AS b\nCOPY --from=b <<EOF /x\nbody\nEOF\nCMD [\"a\", \"b\"]\nENV A=\"x $Y\" \\\n  B=1\n";
        let got = kinds(text);
        for want in [
            ("# syntax=docker/dockerfile:1", Directive),
            ("# hi", Comment),
            ("FROM", Keyword),
            ("--from=b", Flag),
            ("<<EOF", HeredocMarker),
            ("body\n", HeredocBody),
            ("EOF", HeredocMarker),
            ("[", Punctuation),
            ("\"a\"", String),
            ("=", Operator),
            ("$Y", Variable),
            ("\\", Operator),
        ] {
            assert!(got.contains(&want), "{want:?} not in {got:?}");
        }
    }

    #[test]
    fn spans_are_sorted_and_disjoint() {
        let text = "RUN echo \"${A:-\"b\"}\" 'c' && x || y; \\\n # c\n  z\n";
        let spans = highlight(text, &parse(text));
        for w in spans.windows(2) {
            assert!(w[0].range.end() <= w[1].range.start());
        }
    }
}
