//! Physical lines as BuildKit's line scanner yields them.
//!
//! BuildKit reads with a `bufio.Scanner` that splits after each `\n` and keeps it, so a
//! CR-only file is one line and CRLF lines keep their `\r`. The scanner's buffer stops
//! at 64 KiB: a line of 65,536 bytes or more (newline excluded) ends the scan, and the
//! parse then fails with "dockerfile line greater than max allowed size of 65535"
//! unless an earlier error wins. A UTF-8 byte-order mark is dropped from the first line.

use layerlab_text::{TextRange, TextSize};

/// The longest line BuildKit's scanner accepts, newline excluded.
pub const MAX_LINE_LEN: usize = 65_535;

/// One physical line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Line {
    /// Byte offset of the first byte (after a BOM on the first line).
    pub start: u32,
    /// Byte offset after the content, before any trailing `\r`/`\n` run.
    pub content_end: u32,
    /// Byte offset after the line terminator (start of the next line).
    pub end: u32,
}

impl Line {
    /// The line without its trailing CR/LF characters.
    pub fn content(self, text: &str) -> &str {
        &text[self.start as usize..self.content_end as usize]
    }

    /// The line including its terminator.
    pub fn raw(self, text: &str) -> &str {
        &text[self.start as usize..self.end as usize]
    }

    /// The content range.
    pub fn content_range(self) -> TextRange {
        TextRange::new(TextSize::from(self.start), TextSize::from(self.content_end))
    }
}

/// The lines of a text, and where the scanner gave up if a line is too long.
#[derive(Clone, Debug, Default)]
pub struct Lines {
    /// The lines the scanner yields.
    pub lines: Vec<Line>,
    /// The too-long line that stopped the scanner, if any.
    pub too_long: Option<Line>,
}

/// Splits `text` into BuildKit's lines.
pub fn lines(text: &str) -> Lines {
    let bytes = text.as_bytes();
    let mut out = Lines::default();
    let mut pos = 0usize;
    while pos < bytes.len() {
        let nl = memchr(b'\n', &bytes[pos..]).map(|i| pos + i);
        let end = nl.map_or(bytes.len(), |i| i + 1);
        let body_end = nl.unwrap_or(bytes.len());
        let mut start = pos;
        if body_end - pos > MAX_LINE_LEN {
            out.too_long = Some(Line {
                start: pos as u32,
                content_end: body_end as u32,
                end: end as u32,
            });
            break;
        }
        if pos == 0 && text.starts_with('\u{feff}') {
            start = 3;
        }
        // BuildKit trims every trailing CR and LF (`bytes.TrimRight(b, "\r\n")`).
        let mut content_end = end;
        while content_end > start && matches!(bytes[content_end - 1], b'\r' | b'\n') {
            content_end -= 1;
        }
        out.lines.push(Line {
            start: start as u32,
            content_end: content_end as u32,
            end: end as u32,
        });
        pos = end;
    }
    out
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn keeps_cr_in_line_and_splits_on_lf_only() {
        let text = "a\r\nb\rc\n\nd";
        let ls = lines(text);
        let got: Vec<_> = ls.lines.iter().map(|l| l.content(text)).collect();
        assert_eq!(got, ["a", "b\rc", "", "d"]);
    }

    #[test]
    fn bom_is_dropped_from_first_line() {
        let text = "\u{feff}FROM a\n";
        assert_eq!(lines(text).lines[0].content(text), "FROM a");
    }

    #[test]
    fn too_long_line_stops_the_scan() {
        let text = format!("FROM a\n{}\nRUN b\n", "x".repeat(MAX_LINE_LEN + 1));
        let ls = lines(&text);
        assert_eq!(ls.lines.len(), 1);
        assert!(ls.too_long.is_some());
        let ok = format!("FROM a\n{}\n", "x".repeat(MAX_LINE_LEN));
        assert!(lines(&ok).too_long.is_none());
    }
}
