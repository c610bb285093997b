//! Byte offset ↔ line/column conversion, in UTF-8 bytes or UTF-16 code units.

use crate::{TextRange, TextSize};

/// A zero-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// Zero-based line number.
    pub line: u32,
    /// Zero-based column, in the unit the caller asked for.
    pub col: u32,
}

/// The start offset of every line of a text, for turning byte offsets into positions.
///
/// Lines end at `\n`; a `\r` before it belongs to the line it ends, so CRLF files get
/// the same line numbers as BuildKit reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineIndex {
    line_starts: Vec<TextSize>,
    len: TextSize,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut line_starts = vec![TextSize::from(0)];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| TextSize::from((i + 1) as u32)),
        );
        LineIndex {
            line_starts,
            len: TextSize::of(text),
        }
    }

    /// The number of lines (a text ending in `\n` has an empty last line).
    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    /// The zero-based line holding `offset` (offsets past the end map to the last line).
    pub fn line_of(&self, offset: TextSize) -> u32 {
        let offset = offset.min(self.len);
        (self.line_starts.partition_point(|&s| s <= offset) - 1) as u32
    }

    /// Line and column of `offset`, the column in UTF-8 bytes.
    pub fn line_col(&self, offset: TextSize) -> LineCol {
        let offset = offset.min(self.len);
        let line = self.line_of(offset);
        let col = offset.to_u32() - self.line_starts[line as usize].to_u32();
        LineCol { line, col }
    }

    /// Line and column of `offset`, the column in UTF-16 code units (what browser
    /// editors and the DOM count). `text` must be the indexed text.
    pub fn line_col_utf16(&self, text: &str, offset: TextSize) -> LineCol {
        let offset = offset.min(self.len);
        let line = self.line_of(offset);
        let start = self.line_starts[line as usize].to_usize();
        let end = floor_char_boundary(text, offset.to_usize());
        let col = text[start..end].chars().map(char::len_utf16).sum::<usize>() as u32;
        LineCol { line, col }
    }

    /// The byte range of zero-based `line`, including its line terminator.
    /// Lines past the end give an empty range at the end of the text.
    pub fn line_range(&self, line: u32, text: &str) -> TextRange {
        debug_assert_eq!(TextSize::of(text), self.len);
        let Some(&start) = self.line_starts.get(line as usize) else {
            return TextRange::empty(self.len);
        };
        let end = self
            .line_starts
            .get(line as usize + 1)
            .copied()
            .unwrap_or(self.len);
        TextRange::new(start, end)
    }

    /// The byte offset of a zero-based line and UTF-16 column, clamped to the text.
    pub fn offset_utf16(&self, text: &str, pos: LineCol) -> TextSize {
        let range = self.line_range(pos.line, text);
        let mut units = 0u32;
        for (i, c) in text[range].char_indices() {
            if units >= pos.col || c == '\n' {
                return range.start() + TextSize::from(i as u32);
            }
            units += c.len_utf16() as u32;
        }
        range.end()
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn lines_and_columns() {
        let text = "FROM a\r\nRUN é😀x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_count(), 3);
        assert_eq!(index.line_col(0.into()), LineCol { line: 0, col: 0 });
        assert_eq!(index.line_col(8.into()), LineCol { line: 1, col: 0 });
        // 'x' is after "RUN " (4) + é (2 bytes, 1 unit) + 😀 (4 bytes, 2 units).
        let x = text.find('x').unwrap() as u32;
        assert_eq!(index.line_col(x.into()).col, 10);
        assert_eq!(index.line_col_utf16(text, x.into()).col, 7);
        assert_eq!(
            index.offset_utf16(text, LineCol { line: 1, col: 7 }),
            x.into()
        );
        assert_eq!(index.line_of(1000.into()), 2);
    }

    #[test]
    fn offset_inside_a_char_rounds_down() {
        let text = "é";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col_utf16(text, 1.into()).col, 0);
    }
}
