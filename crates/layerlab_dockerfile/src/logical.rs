//! The logical line: continuation lines joined into one string, with a map back to the
//! source so every word found in it keeps its real byte range.

use layerlab_text::{TextRange, TextSize};

/// A logical line under construction.
#[derive(Clone, Debug, Default)]
pub(crate) struct LogicalLine {
    /// The joined text BuildKit parses.
    pub(crate) text: String,
    /// `(logical offset, source offset)` of each contiguous piece.
    segments: Vec<(u32, u32)>,
    /// Source offset used for an empty line.
    anchor: u32,
}

impl LogicalLine {
    /// An empty line anchored at source offset `anchor`.
    pub(crate) fn new(anchor: u32) -> LogicalLine {
        LogicalLine {
            text: String::new(),
            segments: Vec::new(),
            anchor,
        }
    }

    /// Appends `piece`, which starts at source offset `source_start`.
    pub(crate) fn push(&mut self, piece: &str, source_start: u32) {
        if piece.is_empty() {
            return;
        }
        self.segments.push((self.text.len() as u32, source_start));
        self.text.push_str(piece);
    }

    /// The source offset of logical offset `off` (start of a range).
    pub(crate) fn start_of(&self, off: usize) -> TextSize {
        let off = off as u32;
        let idx = self.segments.partition_point(|&(l, _)| l <= off);
        if idx == 0 {
            return TextSize::from(self.anchor);
        }
        let (l, s) = self.segments[idx - 1];
        TextSize::from(s + (off - l))
    }

    /// The source offset just after the byte before logical offset `off` (end of a
    /// range), so a range ending at a join does not swallow the next line's indent.
    pub(crate) fn end_of(&self, off: usize) -> TextSize {
        if off == 0 {
            return self.start_of(0);
        }
        self.start_of(off - 1) + TextSize::from(1)
    }

    /// The source range of logical range `start..end`.
    pub(crate) fn range(&self, start: usize, end: usize) -> TextRange {
        if start >= end {
            let at = self.start_of(start);
            return TextRange::empty(at);
        }
        TextRange::new(self.start_of(start), self.end_of(end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn maps_across_joins() {
        let mut l = LogicalLine::new(0);
        l.push("RUN a ", 0); // "RUN a \" on line 1
        l.push("  b", 8); // next line
        assert_eq!(l.text, "RUN a   b");
        assert_eq!(l.range(4, 5), TextRange::new(4.into(), 5.into()));
        assert_eq!(l.range(8, 9), TextRange::new(10.into(), 11.into()));
        assert_eq!(l.range(4, 9), TextRange::new(4.into(), 11.into()));
        assert_eq!(l.range(0, 6), TextRange::new(0.into(), 6.into()));
    }
}
