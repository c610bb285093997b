//! Byte offsets and half-open byte ranges.

use std::fmt;
use std::ops::{Add, Index, Range};

/// A UTF-8 byte offset into a source text.
///
/// `u32` keeps spans small and identical on 32- and 64-bit targets; inputs larger than
/// 4 GiB are rejected by the hosts before they reach a parser.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextSize(u32);

impl TextSize {
    /// The offset as a `u32`.
    pub const fn to_u32(self) -> u32 {
        self.0
    }

    /// The offset as a `usize`, for slicing.
    pub const fn to_usize(self) -> usize {
        self.0 as usize
    }

    /// The length of `text` in bytes.
    ///
    /// # Panics
    /// When `text` is longer than `u32::MAX` bytes (hosts cap input sizes well below).
    pub fn of(text: &str) -> TextSize {
        TextSize(u32::try_from(text.len()).expect("text longer than 4 GiB"))
    }
}

impl From<u32> for TextSize {
    fn from(n: u32) -> Self {
        TextSize(n)
    }
}

impl From<TextSize> for u32 {
    fn from(n: TextSize) -> Self {
        n.0
    }
}

impl Add for TextSize {
    type Output = TextSize;
    fn add(self, rhs: TextSize) -> TextSize {
        TextSize(self.0 + rhs.0)
    }
}

impl fmt::Debug for TextSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A half-open byte range `start..end` into a source text.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextRange {
    start: TextSize,
    end: TextSize,
}

impl TextRange {
    /// A range from `start` to `end`.
    ///
    /// # Panics
    /// When `end < start`: that is a bug in the caller, never a property of user input.
    pub fn new(start: TextSize, end: TextSize) -> TextRange {
        assert!(start <= end, "TextRange end {end:?} before start {start:?}");
        TextRange { start, end }
    }

    /// A range of `len` bytes starting at `start`.
    pub fn at(start: TextSize, len: TextSize) -> TextRange {
        TextRange::new(start, start + len)
    }

    /// An empty range at `offset`, for "something is missing here" diagnostics.
    pub fn empty(offset: TextSize) -> TextRange {
        TextRange::new(offset, offset)
    }

    /// The start offset.
    pub const fn start(self) -> TextSize {
        self.start
    }

    /// The end offset (exclusive).
    pub const fn end(self) -> TextSize {
        self.end
    }

    /// The length in bytes.
    pub const fn len(self) -> TextSize {
        TextSize(self.end.0 - self.start.0)
    }

    /// Whether the range covers no bytes.
    pub const fn is_empty(self) -> bool {
        self.start.0 == self.end.0
    }

    /// Whether `offset` lies inside the range (start inclusive, end exclusive).
    pub fn contains(self, offset: TextSize) -> bool {
        self.start <= offset && offset < self.end
    }

    /// Whether `other` lies entirely inside this range.
    pub fn contains_range(self, other: TextRange) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// The smallest range covering both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }

    /// The range as a `usize` range, for slicing.
    pub const fn to_range(self) -> Range<usize> {
        self.start.to_usize()..self.end.to_usize()
    }
}

impl Index<TextRange> for str {
    type Output = str;
    fn index(&self, range: TextRange) -> &str {
        &self[range.to_range()]
    }
}

impl fmt::Debug for TextRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start.0, self.end.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn range_slices_and_covers() {
        let r = TextRange::new(2.into(), 5.into());
        assert_eq!(&"abcdefg"[r], "cde");
        assert_eq!(r.len(), 3.into());
        assert!(r.contains(4.into()) && !r.contains(5.into()));
        let wide = r.cover(TextRange::empty(9.into()));
        assert_eq!(wide, TextRange::new(2.into(), 9.into()));
        assert!(wide.contains_range(r));
    }
}
