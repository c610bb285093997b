//! The syntax check `patternmatcher.New` runs on every pattern: Go's `filepath.Match`
//! grammar (Unix flavour), where only the error matters, never the match.
//!
//! BuildKit calls `filepath.Match(pattern, ".")` and fails the build with
//! `syntax error in pattern` when it reports `ErrBadPattern`. Go's matcher checks every
//! chunk of the pattern even after a mismatch, so the check is purely syntactic:
//! the pattern is split into chunks at unbracketed `*`, and each chunk must be a valid
//! sequence of literals, `?`, `\x` escapes and `[...]` classes.
//!
//! This grammar is stricter than the regular expression the pattern is later compiled
//! to (`[a-b-c]` is rejected here, accepted by RE2) and laxer in other places
//! (`[z-a]` and `\d` pass here, then fail or change meaning in RE2); both layers are
//! modelled because BuildKit applies both.

/// Reports whether Go's `filepath.Match` accepts `pattern` as well formed.
pub(crate) fn is_valid(pattern: &str) -> bool {
    let mut rest = pattern.as_bytes();
    while !rest.is_empty() {
        let (chunk, after) = scan_chunk(rest);
        if !chunk_is_valid(chunk) {
            return false;
        }
        rest = after;
    }
    true
}

/// Splits off leading stars and the next chunk, as Go's `scanChunk` does: a chunk
/// ends at the first `*` outside brackets; `\` protects the next byte.
fn scan_chunk(mut pattern: &[u8]) -> (&[u8], &[u8]) {
    while let [b'*', rest @ ..] = pattern {
        pattern = rest;
    }
    let mut in_range = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_range = true,
            b']' => in_range = false,
            b'*' if !in_range => break,
            _ => {}
        }
        i += 1;
    }
    pattern.split_at(i)
}

fn chunk_is_valid(mut chunk: &[u8]) -> bool {
    while let Some(&c) = chunk.first() {
        match c {
            b'[' => {
                chunk = &chunk[1..];
                if chunk.first() == Some(&b'^') {
                    chunk = &chunk[1..];
                }
                let mut n_ranges = 0;
                loop {
                    if chunk.first() == Some(&b']') && n_ranges > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let Some(after_lo) = class_char(chunk) else {
                        return false;
                    };
                    chunk = after_lo;
                    // `class_char` guarantees at least one byte follows.
                    if chunk[0] == b'-' {
                        let Some(after_hi) = class_char(&chunk[1..]) else {
                            return false;
                        };
                        chunk = after_hi;
                    }
                    n_ranges += 1;
                }
            }
            b'\\' => {
                // An escape needs a following byte; the escaped byte is a literal.
                if chunk.len() < 2 {
                    return false;
                }
                chunk = &chunk[2..];
            }
            _ => chunk = &chunk[1..],
        }
    }
    true
}

/// One class character (Go's `getEsc`): not `-` or `]`, optionally escaped, valid
/// UTF-8, and never the last byte of the chunk (a class must still be closed).
fn class_char(chunk: &[u8]) -> Option<&[u8]> {
    let mut chunk = chunk;
    match chunk.first() {
        None | Some(b'-') | Some(b']') => return None,
        Some(b'\\') => {
            chunk = &chunk[1..];
            if chunk.is_empty() {
                return None;
            }
        }
        Some(_) => {}
    }
    let width = utf8_width(chunk)?;
    let rest = &chunk[width..];
    if rest.is_empty() {
        return None;
    }
    Some(rest)
}

/// The byte length of the UTF-8 sequence at the start of `bytes`, `None` when invalid.
fn utf8_width(bytes: &[u8]) -> Option<usize> {
    let width = match bytes[0] {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let seq = bytes.get(..width)?;
    std::str::from_utf8(seq).ok().map(|_| width)
}

#[cfg(test)]
mod tests {
    use super::is_valid;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn accepts_and_rejects_like_go_filepath_match() {
        for ok in [
            "", "*", "a*b", "[a-z]", "[^a]", "[!a]", "\\*", "[*]", "[z-a]", "a/**/b", "\\d",
            "[\\]]", "**", "[a-b]c-d",
        ] {
            assert!(is_valid(ok), "{ok:?} should be valid");
        }
        // `]` cannot start a range, so `[]a]` and `[]a]]` are malformed; `[a-]` needs
        // a range end.
        for bad in [
            "[", "[^", "[^bc", "a[", "\\", "a\\", "[]a]", "[]a]]", "[-]", "[x-]", "[-x]",
            "[a-b-c]", "[a", "[a-]x",
        ] {
            assert!(!is_valid(bad), "{bad:?} should be invalid");
        }
    }
}
