//! `layerlab_text::json::parse` against `serde_json`, the reader it replaces in the
//! page: on generated documents and on byte-level mutations of them, both accept the
//! same inputs and read the same values (numbers included, through `as_i64`/`as_u64`).
#![cfg(not(target_arch = "wasm32"))]

use layerlab_text::json::{parse, Json};
use serde_json::Value;

/// A small deterministic generator (xorshift64*), so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "1",
    "-1",
    "42",
    "007",
    "1.5",
    "-0.0",
    "1e5",
    "1E+5",
    "1e-5",
    "2.",
    ".5",
    "+1",
    "1e",
    "1e+",
    "-",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "123456789012345678901234567890",
    "1e308",
    "1e309",
    "-1e400",
    "1e-400",
    "0e999999",
    "0.000001e314",
    "1.5e300",
    "12345678901234567890e290",
    "4.9e-324",
];

const STRINGS: &[&str] = &[
    "\"\"",
    "\"a\"",
    "\"é ü 😀\"",
    "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"",
    "\"\\u0041\\u00e9\"",
    "\"\\ud83d\\ude00\"",
    "\"\\ud83d\"",
    "\"\\ude00\"",
    "\"\\ud83dx\"",
    "\"\\ud83d\\u0041\"",
    "\"\\u12\"",
    "\"\\x\"",
    "\"a\tb\"",
    "\"\u{7f}\"",
    "\"\\uDBFF\\uDFFF\"",
    "\"<&>\"",
];

const WS: &[&str] = &["", "", "", " ", "\n", "\t", "\r\n  ", "\u{a0}", "\u{c}"];

fn gen(rng: &mut Rng, depth: u32, out: &mut String) {
    out.push_str(rng.pick(WS));
    let kind = if depth == 0 {
        rng.below(5)
    } else {
        rng.below(8)
    };
    match kind {
        0 => out.push_str(rng.pick(&["null", "true", "false", "nul", "True"])),
        1 | 2 => out.push_str(rng.pick(NUMBERS)),
        3 | 4 => out.push_str(rng.pick(STRINGS)),
        5 => {
            out.push('[');
            for i in 0..rng.below(4) {
                if i > 0 {
                    out.push(',');
                }
                gen(rng, depth - 1, out);
            }
            out.push_str(rng.pick(&["]", "]", "]", ",]"]));
        }
        _ => {
            out.push('{');
            for i in 0..rng.below(4) {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(rng.pick(WS));
                out.push_str(rng.pick(&["\"a\"", "\"b\"", "\"a\"", "\"\\u0061\"", "a", "1"]));
                out.push_str(rng.pick(WS));
                out.push(':');
                gen(rng, depth - 1, out);
            }
            out.push_str(rng.pick(WS));
            out.push_str(rng.pick(&["}", "}", "}", ",}"]));
        }
    }
    out.push_str(rng.pick(WS));
}

/// Deletes, inserts, replaces or duplicates a few bytes (any bytes: UTF-8 may break).
fn mutate(rng: &mut Rng, doc: &mut Vec<u8>) {
    const BYTES: &[u8] = b"[]{},:\"\\0123456789-+.eEtrufalsn \t\n\x00\x1f\x7f\xc3\xa9\xff";
    for _ in 0..=rng.below(3) {
        let at = rng.below(doc.len() + 1);
        match rng.below(4) {
            0 if at < doc.len() => {
                doc.remove(at);
            }
            1 => doc.insert(at, BYTES[rng.below(BYTES.len())]),
            2 if at < doc.len() => doc[at] = BYTES[rng.below(BYTES.len())],
            _ => {
                let end = (at + rng.below(8)).min(doc.len());
                let piece = doc[at..end].to_vec();
                doc.splice(at..at, piece);
            }
        }
    }
}

/// The serde value `ours` stands for (duplicate keys: the last wins, as serde's map).
fn to_serde(ours: &Json) -> Value {
    match ours {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Int(i) => Value::from(*i),
        Json::Num(text) => serde_json::from_str(text).unwrap(),
        Json::Str(s) => Value::String(s.clone()),
        Json::Arr(items) => Value::Array(items.iter().map(to_serde).collect()),
        Json::Obj(members) => {
            let mut map = serde_json::Map::new();
            for (k, v) in members {
                map.insert(k.clone(), to_serde(v));
            }
            Value::Object(map)
        }
    }
}

/// Every number reads as the same `i64`/`u64` (or as neither) through both APIs.
fn check_numbers(ours: &Json, theirs: &Value, doc: &str) {
    match (ours, theirs) {
        (Json::Arr(a), Value::Array(b)) => {
            for (x, y) in a.iter().zip(b) {
                check_numbers(x, y, doc);
            }
        }
        (Json::Obj(_), Value::Object(m)) => {
            for (k, y) in m {
                check_numbers(ours.get(k).unwrap(), y, doc);
            }
        }
        _ => {
            assert_eq!(
                ours.as_i64(),
                theirs.as_i64(),
                "as_i64 of {ours:?} in {doc}"
            );
            assert_eq!(
                ours.as_u64(),
                theirs.as_u64(),
                "as_u64 of {ours:?} in {doc}"
            );
        }
    }
}

fn agree(doc: &[u8]) -> bool {
    let ours = parse(doc);
    let theirs = serde_json::from_slice::<Value>(doc);
    let shown = String::from_utf8_lossy(doc);
    match (&ours, &theirs) {
        (Ok(o), Ok(t)) => {
            assert_eq!(&to_serde(o), t, "values differ for {shown:?}");
            check_numbers(o, t, &shown);
            // What the writer prints reads back as the same value.
            assert_eq!(
                parse(&o.to_bytes()).as_ref(),
                Ok(o),
                "round trip of {shown:?}"
            );
            true
        }
        (Err(e), Err(_)) => {
            assert!(e.offset as usize <= doc.len(), "{e} for {shown:?}");
            false
        }
        _ => panic!("accept/reject differ for {shown:?}: ours {ours:?}, serde {theirs:?}"),
    }
}

#[test]
fn generated_and_mutated_documents_agree_with_serde_json() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut accepted, mut rejected) = (0, 0);
    for _ in 0..30_000 {
        let mut doc = String::new();
        gen(&mut rng, 4, &mut doc);
        let mut bytes = doc.into_bytes();
        for round in 0..3 {
            if round > 0 {
                mutate(&mut rng, &mut bytes);
            }
            if agree(&bytes) {
                accepted += 1;
            } else {
                rejected += 1;
            }
        }
    }
    // Both sides of the grammar are exercised, not one.
    assert!(
        accepted > 10_000 && rejected > 10_000,
        "{accepted} / {rejected}"
    );
}

#[test]
fn nesting_limit_is_serde_json_s() {
    for n in [126, 127, 128, 129] {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let doc = format!("{}0{}", open.repeat(n), close.repeat(n));
            agree(doc.as_bytes());
        }
    }
}

#[test]
fn edge_documents_agree_with_serde_json() {
    for doc in [
        "",
        " ",
        "null",
        " [ ] ",
        "{}",
        "{\"a\":1,\"a\":[2]}",
        "[1,2",
        "[1 2]",
        "{\"a\"}",
        "\"\\u0000\"",
        "\"\\uD800\\uDBFF\"",
        "\"\\uDFFF\"",
        "1.0e+00",
        "-",
        "--1",
        "[-]",
        "[1]x",
        "[1] ",
        "\u{feff}1",
        "tru",
        "nulll",
        "[\"a\",]",
        "{,}",
        "[,]",
        "1e1000",
        "-1e-1000",
        "0.0000000000000000000000000001e330",
    ] {
        agree(doc.as_bytes());
    }
}
