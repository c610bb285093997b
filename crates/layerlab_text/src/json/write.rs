//! Writing JSON byte-compatible with Go's `encoding/json`, and with JavaScript's
//! `JSON.stringify` for the files npm writes.
//!
//! Image IDs and manifest digests hash JSON bytes, so key order and escaping must be
//! exactly what BuildKit's Go encoder produces: compact, object keys in the order the
//! caller gives (struct order or sorted maps), `<`, `>`, `&`, U+2028 and U+2029 escaped
//! as `\u003c`-style sequences, other non-ASCII as raw UTF-8. `JSON.stringify` escapes
//! only quotes, backslashes and control characters.

use super::Json;

/// Whose string escaping to write.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Escape {
    /// Go's `encoding/json` (HTML-safe).
    Go,
    /// JavaScript's `JSON.stringify`.
    Js,
}

impl Json {
    /// Compact bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_string_compact().into_bytes()
    }

    /// Compact string.
    pub fn to_string_compact(&self) -> String {
        let mut s = String::new();
        self.write(&mut s, Escape::Go);
        s
    }

    /// Indented with two spaces, keys in order: what `docker inspect` and
    /// `json.MarshalIndent` print. Empty arrays and objects stay on one line.
    pub fn to_string_pretty(&self) -> String {
        let mut s = String::new();
        self.write_pretty(&mut s, 0, Escape::Go, "  ");
        s
    }

    /// `JSON.stringify(value, null, space)` for a string `space` (the indent unit; empty
    /// means compact, and only its first 10 characters count, as in JavaScript): the
    /// layout of [`Json::to_string_pretty`] with JavaScript's escaping. What npm writes
    /// to `package.json` and its lockfile. Numbers are written as their source text,
    /// where JavaScript would print its shortest form of the double (`1.0` as `1`,
    /// `1e3` as `1000`): the core parses no floats.
    pub fn to_string_js(&self, space: &str) -> String {
        let unit = match space.char_indices().nth(10) {
            Some((end, _)) => &space[..end],
            None => space,
        };
        let mut s = String::new();
        if unit.is_empty() {
            self.write(&mut s, Escape::Js);
        } else {
            self.write_pretty(&mut s, 0, Escape::Js, unit);
        }
        s
    }

    fn write_pretty(&self, out: &mut String, depth: usize, esc: Escape, unit: &str) {
        let indent = |out: &mut String, d: usize| {
            out.push('\n');
            out.extend(std::iter::repeat_n(unit, d));
        };
        match self {
            Json::Arr(v) if !v.is_empty() => {
                out.push('[');
                for (i, x) in v.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    indent(out, depth + 1);
                    x.write_pretty(out, depth + 1, esc, unit);
                }
                indent(out, depth);
                out.push(']');
            }
            Json::Obj(v) if !v.is_empty() => {
                out.push('{');
                for (i, (k, x)) in v.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    indent(out, depth + 1);
                    write_str(k, out, esc);
                    out.push_str(": ");
                    x.write_pretty(out, depth + 1, esc, unit);
                }
                indent(out, depth);
                out.push('}');
            }
            scalar => scalar.write(out, esc),
        }
    }

    fn write(&self, out: &mut String, esc: Escape) {
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Int(i) => out.push_str(&i.to_string()),
            Json::Num(text) => out.push_str(text),
            Json::Str(s) => write_str(s, out, esc),
            Json::Arr(v) => {
                out.push('[');
                for (i, x) in v.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    x.write(out, esc);
                }
                out.push(']');
            }
            Json::Obj(v) => {
                out.push('{');
                for (i, (k, x)) in v.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(k, out, esc);
                    out.push(':');
                    x.write(out, esc);
                }
                out.push('}');
            }
        }
    }
}

fn write_str(s: &str, out: &mut String, esc: Escape) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            // Go escapes HTML-significant characters and the JavaScript line separators.
            c if (c as u32) < 0x20
                || (esc == Escape::Go
                    && matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}')) =>
            {
                let n = c as u32;
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[((n >> shift) & 15) as usize] as char);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn pretty_prints_like_marshal_indent() {
        let j = Json::Obj(vec![
            ("a".into(), Json::Arr(vec![Json::Int(1), Json::str("x<")])),
            ("b".into(), Json::Obj(vec![])),
            ("c".into(), Json::Obj(vec![("d".into(), Json::Null)])),
        ]);
        assert_eq!(
            j.to_string_pretty(),
            "{\n  \"a\": [\n    1,\n    \"x\\u003c\"\n  ],\n  \"b\": {},\n  \"c\": {\n    \"d\": null\n  }\n}"
        );
    }

    #[test]
    fn js_pretty_escapes_like_json_stringify() {
        // node -e 'console.log(JSON.stringify({s:"a<&>\u2028\b\f\u0001\"é",e:[],o:{}},null,2))'
        let j = Json::Obj(vec![
            ("s".into(), Json::str("a<&>\u{2028}\u{8}\u{c}\u{1}\"é")),
            ("e".into(), Json::Arr(vec![])),
            ("o".into(), Json::Obj(vec![])),
        ]);
        assert_eq!(
            j.to_string_js("  "),
            "{\n  \"s\": \"a<&>\u{2028}\\b\\f\\u0001\\\"é\",\n  \"e\": [],\n  \"o\": {}\n}"
        );
    }

    #[test]
    fn js_space_is_the_indent_unit() {
        // node -e 'for (const s of ["", "\t", "x".repeat(12)])
        //   console.log(JSON.stringify(JSON.stringify({a:[1,{}],b:"<"},null,s)))'
        let j = Json::Obj(vec![
            ("a".into(), Json::Arr(vec![Json::Int(1), Json::Obj(vec![])])),
            ("b".into(), Json::str("<")),
        ]);
        assert_eq!(j.to_string_js(""), r#"{"a":[1,{}],"b":"<"}"#);
        assert_eq!(
            j.to_string_js("\t"),
            "{\n\t\"a\": [\n\t\t1,\n\t\t{}\n\t],\n\t\"b\": \"<\"\n}"
        );
        let ten = "x".repeat(10);
        assert_eq!(
            j.to_string_js(&"x".repeat(12)),
            format!(
                "{{\n{ten}\"a\": [\n{ten}{ten}1,\n{ten}{ten}{{}}\n{ten}],\n{ten}\"b\": \"<\"\n}}"
            )
        );
    }

    #[test]
    fn escapes_like_go() {
        let j = Json::str("RUN a && b <x> \u{2028} é \u{1}");
        assert_eq!(
            j.to_string_compact(),
            r#""RUN a \u0026\u0026 b \u003cx\u003e \u2028 é \u0001""#
        );
    }
}
