//! Reading JSON (RFC 8259) strictly, with the byte offset of the first problem.
//!
//! It accepts exactly what `serde_json::from_slice` accepts (the reference test in
//! `tests/json_reference.rs` checks this): UTF-8 only, no trailing commas or text,
//! no control characters or lone surrogates in strings, numbers that fit a float64,
//! and at most 127 nested arrays and objects. The nesting limit also bounds the
//! reader's recursion, so hostile input cannot overflow the stack.

use super::Json;
use std::fmt;

/// Why a document is not JSON, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// What is wrong, lowercase.
    pub message: &'static str,
    /// The byte offset of the problem in the document.
    pub offset: u32,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for JsonError {}

/// Containers that may be open at once, plus one: serde_json's limit, so documents
/// the native CLI reads are the documents the page reads.
const MAX_DEPTH: u32 = 128;

/// Parses one JSON document (surrounding whitespace allowed).
///
/// # Errors
/// A [`JsonError`] at the first byte that breaks the grammar or a limit above.
pub fn parse(bytes: &[u8]) -> Result<Json, JsonError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_str(text),
        // The first problem is the one reported, as serde_json does: a grammar error in
        // the valid text before the bad bytes, else the bad bytes themselves.
        Err(e) => {
            let valid = e.valid_up_to();
            let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
            match parse_str(before) {
                Err(err) if (err.offset as usize) < valid => Err(err),
                _ => Err(JsonError {
                    message: "invalid UTF-8",
                    offset: offset(valid),
                }),
            }
        }
    }
}

fn parse_str(text: &str) -> Result<Json, JsonError> {
    let mut r = Reader { s: text, pos: 0 };
    r.ws();
    let v = r.value(MAX_DEPTH)?;
    r.ws();
    if r.pos < text.len() {
        return Err(r.err("text after the JSON value"));
    }
    Ok(v)
}

fn offset(pos: usize) -> u32 {
    u32::try_from(pos).unwrap_or(u32::MAX)
}

struct Reader<'a> {
    s: &'a str,
    pos: usize,
}

impl Reader<'_> {
    fn err(&self, message: &'static str) -> JsonError {
        JsonError {
            message,
            offset: offset(self.pos),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Consumes `b` or fails with `message`.
    /// Steps over `b` if it is next.
    fn eat(&mut self, b: u8) -> bool {
        let next = self.peek() == Some(b);
        if next {
            self.pos += 1;
        }
        next
    }

    fn expect(&mut self, b: u8, message: &'static str) -> Result<(), JsonError> {
        if self.eat(b) {
            Ok(())
        } else {
            Err(self.err(message))
        }
    }

    /// A value; `depth_left` counts the containers that may still open, this one
    /// included.
    fn value(&mut self, depth_left: u32) -> Result<Json, JsonError> {
        match self.peek() {
            None => Err(self.err("unexpected end of input, expected a value")),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'"') => Ok(Json::Str(self.string()?)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => {
                let depth_left = self.open(depth_left)?;
                let mut items = Vec::new();
                self.ws();
                if self.eat(b']') {
                    return Ok(Json::Arr(items));
                }
                loop {
                    items.push(self.value(depth_left)?);
                    self.ws();
                    if self.eat(b']') {
                        return Ok(Json::Arr(items));
                    }
                    self.expect(b',', "expected `,` or `]`")?;
                    self.ws();
                }
            }
            Some(b'{') => {
                let depth_left = self.open(depth_left)?;
                let mut members = Vec::new();
                self.ws();
                if self.eat(b'}') {
                    return Ok(Json::Obj(members));
                }
                loop {
                    if self.peek() != Some(b'"') {
                        return Err(self.err("expected a string key"));
                    }
                    let key = self.string()?;
                    self.ws();
                    self.expect(b':', "expected `:`")?;
                    self.ws();
                    members.push((key, self.value(depth_left)?));
                    self.ws();
                    if self.eat(b'}') {
                        return Ok(Json::Obj(members));
                    }
                    self.expect(b',', "expected `,` or `}`")?;
                    self.ws();
                }
            }
            Some(_) => Err(self.err("expected a value")),
        }
    }

    /// Steps over `[` or `{`, spending one level of nesting.
    fn open(&mut self, depth_left: u32) -> Result<u32, JsonError> {
        let left = depth_left - 1;
        if left == 0 {
            return Err(self.err("arrays and objects nested too deep"));
        }
        self.pos += 1;
        Ok(left)
    }

    fn literal(&mut self, word: &str, v: Json) -> Result<Json, JsonError> {
        if self.s[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(v)
        } else {
            Err(self.err("expected a value"))
        }
    }

    fn digits(&mut self) -> Result<(), JsonError> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.err("expected a digit"));
        }
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        Ok(())
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.pos;
        self.eat(b'-');
        if self.eat(b'0') {
            if matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("a number with a leading zero"));
            }
        } else {
            self.digits()?;
        }
        let mut integer = true;
        if self.eat(b'.') {
            self.digits()?;
            integer = false;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.digits()?;
            integer = false;
        }
        let text = &self.s[start..self.pos];
        if !fits_f64(text) {
            return Err(JsonError {
                message: "number out of range",
                offset: offset(start),
            });
        }
        // `-0` stays text: as an integer it would lose its sign (serde reads a float).
        match text.parse::<i64>() {
            Ok(i) if integer && text != "-0" => Ok(Json::Int(i)),
            _ => Ok(Json::Num(text.to_owned())),
        }
    }

    /// A string, from its opening quote.
    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            // Copy the run of plain characters up to the next quote, backslash or
            // control byte (all ASCII, so the slice ends on a character boundary).
            let run = self.s.as_bytes()[self.pos..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .ok_or_else(|| JsonError {
                    message: "unterminated string",
                    offset: offset(self.s.len()),
                })?;
            out.push_str(&self.s[self.pos..self.pos + run]);
            self.pos += run;
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                _ => return Err(self.err("control character in a string")),
            }
        }
    }

    /// The character of an escape, from the byte after the backslash.
    fn escape(&mut self) -> Result<char, JsonError> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                return self.unicode_escape();
            }
            _ => return Err(self.err("invalid escape")),
        };
        self.pos += 1;
        Ok(c)
    }

    /// `XXXX` after `\u`, with the low half of a surrogate pair when one is needed.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let at = self.pos;
        let hi = self.hex4()?;
        let code = match hi {
            0xD800..=0xDBFF => {
                if !self.s[self.pos..].starts_with("\\u") {
                    return Err(self.lone_surrogate(at));
                }
                self.pos += 2;
                let lo = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return Err(self.lone_surrogate(at));
                }
                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.lone_surrogate(at)),
            _ => hi,
        };
        // Surrogates are excluded above, so every code here is a char.
        char::from_u32(code).ok_or_else(|| self.lone_surrogate(at))
    }

    fn lone_surrogate(&self, at: usize) -> JsonError {
        JsonError {
            message: "lone surrogate in a \\u escape",
            offset: offset(at),
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut n = 0;
        for _ in 0..4 {
            let d = self
                .peek()
                .and_then(|b| char::from(b).to_digit(16))
                .ok_or_else(|| self.err("expected four hex digits"))?;
            n = n * 16 + d;
            self.pos += 1;
        }
        Ok(n)
    }
}

/// Whether a JSON number (already validated) rounds to a finite float64, decided on its
/// decimal digits so the page ships no float parser. Values at or above the halfway point
/// between f64::MAX and 2^1024 round to infinity (ties go to the even, infinite side).
pub fn fits_f64(number: &str) -> bool {
    /// 2^1024 − 2^970 (that halfway point), all 309 integer digits.
    const OVERFLOW: &str = "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";
    let number = number.trim_start_matches('-');
    let (mantissa, exp) = match number.find(['e', 'E']) {
        Some(i) => (&number[..i], &number[i + 1..]),
        None => (number, ""),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    // Saturate the exponent: anything past ±10^9 is far outside float64 either way.
    let exp_digits = exp.trim_start_matches(['+', '-']);
    let mut e: i64 = 0;
    for d in exp_digits.bytes() {
        e = (e * 10 + i64::from(d - b'0')).min(1_000_000_000);
    }
    if exp.starts_with('-') {
        e = -e;
    }
    // Significant digits and the decimal exponent of the first one.
    let int = int.trim_start_matches('0');
    let (digits, lead): (String, i64) = if int.is_empty() {
        let f = frac.trim_start_matches('0');
        (f.to_owned(), -((frac.len() - f.len()) as i64) - 1)
    } else {
        (format!("{int}{frac}"), int.len() as i64 - 1)
    };
    let digits = digits.trim_end_matches('0');
    if digits.is_empty() {
        return true; // zero
    }
    match (lead + e).cmp(&(OVERFLOW.len() as i64 - 1)) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => digits < OVERFLOW,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn err(doc: &str) -> JsonError {
        parse(doc.as_bytes()).unwrap_err()
    }

    #[test]
    fn reads_values_in_document_order() {
        let v = parse(br#" {"b": [1, -2, 3.5, "x\u00e9\ud83d\ude00"], "a": null, "b": true} "#)
            .unwrap();
        let Json::Obj(members) = &v else {
            panic!("{v:?}")
        };
        let keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "b"]);
        assert_eq!(
            v.get("b"),
            Some(&Json::Bool(true)),
            "the last duplicate wins"
        );
        assert_eq!(
            members[0].1,
            Json::Arr(vec![
                Json::Int(1),
                Json::Int(-2),
                Json::Num("3.5".into()),
                Json::str("xé😀"),
            ])
        );
    }

    #[test]
    fn numbers_keep_what_cannot_be_an_i64_as_text() {
        let n = |t: &str| parse(t.as_bytes()).unwrap();
        assert_eq!(n("-9223372036854775808"), Json::Int(i64::MIN));
        assert_eq!(n("9223372036854775808").as_u64(), Some(1 << 63));
        assert_eq!(n("9223372036854775808").as_i64(), None);
        assert_eq!(n("18446744073709551616").as_u64(), None);
        assert_eq!(n("-0"), Json::Num("-0".into()));
        assert_eq!(n("1e2").as_u64(), None);
        assert_eq!(n("0").as_u64(), Some(0));
    }

    #[test]
    fn errors_say_what_and_where() {
        assert_eq!(err("[1,]").to_string(), "expected a value at byte 3");
        assert_eq!(err("{\"a\" 1}").to_string(), "expected `:` at byte 5");
        assert_eq!(
            err("01").to_string(),
            "a number with a leading zero at byte 1"
        );
        assert_eq!(err("[1e400]").to_string(), "number out of range at byte 1");
        assert_eq!(err("\"a\tb\"").offset, 2);
        assert_eq!(err("\"\\ud800x\"").offset, 3);
        assert_eq!(err("\"\\udc00\"").message, "lone surrogate in a \\u escape");
        assert_eq!(err("\"abc").to_string(), "unterminated string at byte 4");
        assert_eq!(
            err("1 2").to_string(),
            "text after the JSON value at byte 2"
        );
        assert_eq!(err("").offset, 0);
        assert_eq!(parse(b"[\"\xff\"]").unwrap_err().offset, 2);
        // A grammar error before the bad bytes comes first; one after them does not.
        assert_eq!(parse(b"[1,,\"\xff\"]").unwrap_err().offset, 3);
        assert_eq!(parse(b"[\"\xff\",,]").unwrap_err().offset, 2);
        assert_eq!(parse(b"[1, \xff]").unwrap_err().message, "invalid UTF-8");
    }

    #[test]
    fn nesting_is_limited_without_deep_recursion() {
        let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(nested(127).as_bytes()).is_ok());
        assert_eq!(err(&nested(128)).offset, 127);
        assert!(parse(nested(1_000_000).as_bytes()).is_err());
    }

    #[test]
    fn float64_range_by_digits() {
        for (n, want) in [
            ("0", true),
            ("-0.0e99999999999999999999", true),
            ("1e308", true),
            ("1.7976931348623157e308", true),
            ("1.7976931348623158e308", true),
            ("1.7976931348623159e308", false),
            ("179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792", false),
            ("179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.999e0", true),
            ("-1e309", false),
            ("0.000001e314", true),
            ("0.00001e314", false),
            ("1e-99999999999999999999", true),
            ("17976931348623159e292", false),
            ("12345678901234567890", true),
        ] {
            assert_eq!(fits_f64(n), want, "{n}");
            // The float parser the check replaces agrees.
            assert_eq!(n.parse::<f64>().unwrap().is_finite(), want, "{n}");
        }
    }
}
