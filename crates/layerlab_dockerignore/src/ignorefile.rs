//! Reading an ignore file into patterns, exactly as BuildKit's `ignorefile.ReadAll`.
//!
//! Rules, in BuildKit's order: lines end at `\n` (one trailing `\r` is dropped); a
//! UTF-8 byte-order mark is removed from the first line only; a line whose *first
//! column* is `#` is a comment (an indented `#` is a pattern); the line is trimmed of
//! Unicode white space and skipped when empty; a leading `!` marks an exception and
//! the rest is trimmed again; the pattern is cleaned like Go's `filepath.Clean`, and
//! one leading `/` is removed (patterns are relative to the context root anyway).

use crate::clean::clean;
use crate::diagnostics;
use crate::matcher::{Matcher, PatternError};
use crate::pattern::PatternSource;
use layerlab_text::{Diagnostic, TextRange, TextSize};

/// Go's `bufio.Scanner` refuses longer lines; BuildKit then fails reading the file.
const MAX_LINE: usize = 64 * 1024;

/// A parsed ignore file: its patterns in order, with where each was written.
///
/// Parsing never fails; problems BuildKit would stop on are in
/// [`IgnoreFile::diagnostics`] (a line too long to read) or come from
/// [`IgnoreFile::matcher`] (a pattern BuildKit rejects).
#[derive(Clone, Debug, Default)]
pub struct IgnoreFile {
    /// The patterns in file order (comments and blank lines are not patterns).
    pub lines: Vec<PatternLine>,
    /// Reading problems, with ranges in the file text.
    pub diagnostics: Vec<Diagnostic>,
}

/// One pattern of an ignore file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternLine {
    /// Where it was written.
    pub source: PatternSource,
    /// The pattern as `ReadAll` returns it: cleaned, `!` kept for exceptions.
    pub pattern: String,
}

impl IgnoreFile {
    /// Reads `text` (the ignore file's contents, decoded as UTF-8).
    pub fn parse(text: &str) -> IgnoreFile {
        let mut file = IgnoreFile::default();
        let mut offset = 0usize;
        let mut line_no = 0u32;
        let mut rest = text;
        while !rest.is_empty() {
            let (raw, consumed) = match rest.find('\n') {
                Some(i) => (&rest[..i], i + 1),
                None => (rest, rest.len()),
            };
            let line_start = offset;
            offset += consumed;
            rest = &rest[consumed..];
            line_no += 1;
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            let line_range = range(line_start, line_start + raw.len());
            if raw.len() > MAX_LINE {
                file.diagnostics
                    .push(diagnostics::line_too_long(line_range));
                // BuildKit stops reading here and fails the build.
                break;
            }
            let mut line = raw;
            let mut line_offset = line_start;
            if line_no == 1 {
                if let Some(stripped) = line.strip_prefix('\u{feff}') {
                    line = stripped;
                    line_offset += '\u{feff}'.len_utf8();
                }
            }
            if line.starts_with('#') {
                continue;
            }
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            let lead = line.len() - line.trim_start().len();
            let start = line_offset + lead;
            let pattern = read_pattern(trimmed);
            file.lines.push(PatternLine {
                source: PatternSource {
                    line: line_no,
                    text: trimmed.to_owned(),
                    range: Some(range(start, start + trimmed.len())),
                },
                pattern,
            });
        }
        file
    }

    /// The patterns as BuildKit passes them on (`ReadAll`'s result).
    pub fn patterns(&self) -> Vec<&str> {
        self.lines.iter().map(|l| l.pattern.as_str()).collect()
    }

    /// Compiles the patterns.
    ///
    /// # Errors
    /// The first pattern BuildKit rejects when the build starts (a lone `!`, or a
    /// pattern Go's `filepath.Match` finds malformed), with its line.
    pub fn matcher(&self) -> Result<Matcher, PatternError> {
        Matcher::new(
            self.lines
                .iter()
                .map(|l| (l.source.clone(), l.pattern.clone())),
        )
    }
}

/// `ReadAll`'s per-line normalization of an already trimmed, non-empty line.
fn read_pattern(trimmed: &str) -> String {
    let (invert, body) = match trimmed.strip_prefix('!') {
        Some(rest) => (true, rest.trim()),
        None => (false, trimmed),
    };
    let mut pattern = String::new();
    if !body.is_empty() {
        pattern = clean(body);
        if pattern.len() > 1 && pattern.starts_with('/') {
            pattern.remove(0);
        }
    }
    if invert {
        pattern.insert(0, '!');
    }
    pattern
}

fn range(start: usize, end: usize) -> TextRange {
    let to = |n: usize| TextSize::from(u32::try_from(n).unwrap_or(u32::MAX));
    TextRange::new(to(start), to(end))
}

#[cfg(test)]
mod tests {
    use super::IgnoreFile;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn read_all_matches_upstream_example() {
        let text = "test1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n! /inverted/abs/path\n!\n! ";
        let file = IgnoreFile::parse(text);
        assert_eq!(
            file.patterns(),
            [
                "test1",
                "test2",
                "a/file/here",
                "lastfile",
                "!inverted/abs/path",
                "!",
                "!"
            ]
        );
        assert_eq!(file.lines[4].source.line, 7);
    }

    #[test]
    fn bom_crlf_and_indented_hash() {
        let file = IgnoreFile::parse("\u{feff}# c\r\n  # not a comment\r\nfoo/\r\n\\#x\n");
        assert_eq!(file.patterns(), ["# not a comment", "foo", "\\#x"]);
        let r = file.lines[1].source.range.unwrap();
        assert_eq!(
            &"\u{feff}# c\r\n  # not a comment\r\nfoo/\r\n"[r.to_range()],
            "foo/"
        );
    }
}
