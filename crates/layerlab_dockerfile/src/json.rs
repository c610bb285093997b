//! The exec form: reading `["a", "b"]` the way BuildKit's `parseJSON` does.
//!
//! BuildKit decodes the arguments with Go's `encoding/json` into `[]interface{}`. Any
//! decode problem (bad syntax, a number out of float64 range) makes the instruction
//! fall back to shell form; so does text after the closing `]` in current BuildKit
//! (v0.15.0 and later; v0.12.5 still read `["a"] b` as JSON). A well-formed array with
//! a non-string item is a hard error. Strings are unescaped as Go does it, including
//! U+FFFD for lone surrogates.

/// How the arguments read as JSON.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum JsonArgs {
    /// Not a JSON array (or trailing text): BuildKit uses shell form.
    NotJson,
    /// A valid array holding something other than strings.
    NotStrings,
    /// The strings, each with its byte range in the input.
    Strings(Vec<(String, usize, usize)>),
}

use layerlab_text::json::fits_f64;

/// Go's `encoding/json` nesting limit.
const MAX_DEPTH: usize = 10_000;

struct Reader<'a> {
    b: &'a [u8],
    s: &'a str,
    pos: usize,
}

/// Reads `rest` (already trimmed on the left) as BuildKit's JSON form.
pub(crate) fn parse_json_args(rest: &str) -> JsonArgs {
    if !rest.starts_with('[') {
        return JsonArgs::NotJson;
    }
    let mut r = Reader {
        b: rest.as_bytes(),
        s: rest,
        pos: 1,
    };
    let mut items = Vec::new();
    let mut all_strings = true;
    r.ws();
    if r.peek() == Some(b']') {
        r.pos += 1;
    } else {
        loop {
            r.ws();
            let start = r.pos;
            if r.peek() == Some(b'"') {
                let Some(s) = r.string() else {
                    return JsonArgs::NotJson;
                };
                items.push((s, start, r.pos));
            } else {
                if r.skip_value().is_none() {
                    return JsonArgs::NotJson;
                }
                all_strings = false;
            }
            r.ws();
            match r.peek() {
                Some(b',') => r.pos += 1,
                Some(b']') => {
                    r.pos += 1;
                    break;
                }
                _ => return JsonArgs::NotJson,
            }
        }
    }
    r.ws();
    if r.pos != r.b.len() {
        return JsonArgs::NotJson;
    }
    if all_strings {
        JsonArgs::Strings(items)
    } else {
        JsonArgs::NotStrings
    }
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        let h = self.b.get(at..at + 4)?;
        let mut v = 0u32;
        for &c in h {
            v = v * 16 + (c as char).to_digit(16)?;
        }
        Some(v)
    }

    /// A string token starting at `"`; returns the unescaped text.
    fn string(&mut self) -> Option<String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let c = self.peek()?;
            match c {
                b'"' => {
                    self.pos += 1;
                    return Some(out);
                }
                b'\\' => {
                    let e = *self.b.get(self.pos + 1)?;
                    self.pos += 2;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let u = self.hex4(self.pos)?;
                            self.pos += 4;
                            out.push(self.unicode_escape(u));
                        }
                        _ => return None,
                    }
                }
                0..=0x1f => return None,
                _ => {
                    // Copy one whole UTF-8 character.
                    let ch = self.s[self.pos..].chars().next()?;
                    out.push(ch);
                    self.pos += ch.len_utf8();
                }
            }
        }
    }

    /// Decodes a `\uXXXX` (already read), pairing surrogates like Go's `unquote`.
    fn unicode_escape(&mut self, u: u32) -> char {
        if (0xD800..0xDC00).contains(&u)
            && self.b.get(self.pos..self.pos + 2) == Some(b"\\u".as_slice())
        {
            if let Some(lo) = self.hex4(self.pos + 2) {
                if (0xDC00..0xE000).contains(&lo) {
                    self.pos += 6;
                    let c = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                    return char::from_u32(c).unwrap_or('\u{fffd}');
                }
            }
        }
        char::from_u32(u).unwrap_or('\u{fffd}')
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.b.get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            Some(())
        } else {
            None
        }
    }

    fn number(&mut self) -> Option<()> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => {
                while matches!(self.peek(), Some(b'0'..=b'9')) {
                    self.pos += 1;
                }
            }
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return None;
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return None;
            }
            while matches!(self.peek(), Some(b'0'..=b'9')) {
                self.pos += 1;
            }
        }
        // Go reports a float64 overflow as a decode error: shell form again.
        fits_f64(&self.s[start..self.pos]).then_some(())
    }

    /// Skips any JSON value without recursion (nesting is bounded by `MAX_DEPTH`).
    fn skip_value(&mut self) -> Option<()> {
        // Stack of open containers: b'[' or b'{'.
        let mut stack: Vec<u8> = Vec::new();
        loop {
            self.ws();
            // A value.
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'[' | b'{' => {
                    let open = self.peek()?;
                    self.pos += 1;
                    stack.push(open);
                    if stack.len() > MAX_DEPTH {
                        return None;
                    }
                    self.ws();
                    let close = if open == b'[' { b']' } else { b'}' };
                    if self.peek() == Some(close) {
                        self.pos += 1;
                        stack.pop();
                    } else {
                        if open == b'{' {
                            self.key()?;
                        }
                        continue;
                    }
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                b'-' | b'0'..=b'9' => self.number()?,
                _ => return None,
            }
            // After a value: close containers or read a separator.
            loop {
                let Some(&top) = stack.last() else {
                    return Some(());
                };
                self.ws();
                let close = if top == b'[' { b']' } else { b'}' };
                match self.peek()? {
                    b',' => {
                        self.pos += 1;
                        if top == b'{' {
                            self.ws();
                            self.key()?;
                        }
                        break;
                    }
                    c if c == close => {
                        self.pos += 1;
                        stack.pop();
                    }
                    _ => return None,
                }
            }
        }
    }

    /// An object key and its colon.
    fn key(&mut self) -> Option<()> {
        if self.peek() != Some(b'"') {
            return None;
        }
        self.string()?;
        self.ws();
        if self.peek() != Some(b':') {
            return None;
        }
        self.pos += 1;
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn strings(s: &str) -> Vec<String> {
        match parse_json_args(s) {
            JsonArgs::Strings(v) => v.into_iter().map(|x| x.0).collect(),
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn forms() {
        assert_eq!(strings(r#"["a", "b c"]"#), ["a", "b c"]);
        assert_eq!(strings("[]"), Vec::<String>::new());
        assert_eq!(
            strings(r#"["\u00e9\ud83d\ude00\ud800x"]"#),
            ["é😀\u{fffd}x"]
        );
        assert_eq!(parse_json_args(r#"["a"] b"#), JsonArgs::NotJson);
        assert_eq!(parse_json_args(r#"["a", 1]"#), JsonArgs::NotStrings);
        assert_eq!(
            parse_json_args(r#"["a", [{"k": [1, null]}]]"#),
            JsonArgs::NotStrings
        );
        assert_eq!(parse_json_args(r#"["a", 1e999]"#), JsonArgs::NotJson);
        assert_eq!(parse_json_args(r#"['a']"#), JsonArgs::NotJson);
        assert_eq!(parse_json_args(r#"["a",]"#), JsonArgs::NotJson);
        assert_eq!(parse_json_args("[\"a\tb\"]"), JsonArgs::NotJson);
        let deep = format!("[{}]", "[".repeat(20_000));
        assert_eq!(parse_json_args(&deep), JsonArgs::NotJson);
    }
}
