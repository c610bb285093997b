//! Bash brace expansion: `{a,b}` and `{1..3}` in unquoted text, before any other
//! expansion (`mkdir -p /app/{bin,lib}`). dash has none: there the braces stay.
//!
//! Only braces inside one unquoted literal part are expanded (the common case); a
//! brace pair that spans quotes or substitutions is left as it is.

use crate::ast::{Word, WordPart};

/// Most words one brace expression may produce (`{1..100000}` is cut here).
const MAX_WORDS: usize = 10_000;

/// Expands the first brace expression of `w`, recursively; `None` when there is none.
pub(crate) fn expand(w: &Word) -> Option<Vec<Word>> {
    for (idx, part) in w.parts.iter().enumerate() {
        let WordPart::Lit(text) = part else { continue };
        let Some((pre, alts, post)) = split_brace(text) else {
            continue;
        };
        let mut out = Vec::new();
        for alt in alts {
            let mut parts = w.parts.clone();
            parts[idx] = WordPart::Lit(format!("{pre}{alt}{post}"));
            let nw = Word {
                parts,
                range: w.range,
            };
            match expand(&nw) {
                Some(more) => out.extend(more),
                None => out.push(nw),
            }
            if out.len() >= MAX_WORDS {
                out.truncate(MAX_WORDS);
                break;
            }
        }
        return Some(out);
    }
    None
}

/// Finds the first `{...}` with a top-level comma or a `..` sequence.
fn split_brace(s: &str) -> Option<(String, Vec<String>, String)> {
    let b = s.as_bytes();
    let mut start = 0;
    while let Some(open) = s[start..].find('{').map(|i| i + start) {
        // Find the matching close brace, tracking nesting.
        let mut depth = 0;
        let mut commas = Vec::new();
        let mut close = None;
        for (i, &c) in b.iter().enumerate().skip(open) {
            match c {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(i);
                        break;
                    }
                }
                b',' if depth == 1 => commas.push(i),
                _ => {}
            }
        }
        let close = close?;
        let inner = &s[open + 1..close];
        let pre = s[..open].to_owned();
        let post = s[close + 1..].to_owned();
        if !commas.is_empty() {
            let mut alts = Vec::new();
            let mut last = open + 1;
            for c in commas {
                alts.push(s[last..c].to_owned());
                last = c + 1;
            }
            alts.push(s[last..close].to_owned());
            return Some((pre, alts, post));
        }
        if let Some(seq) = sequence(inner) {
            return Some((pre, seq, post));
        }
        start = open + 1;
    }
    None
}

/// `1..5`, `5..1`, `a..e`, `1..10..2`.
fn sequence(inner: &str) -> Option<Vec<String>> {
    let parts: Vec<&str> = inner.split("..").collect();
    let (a, z, step) = match parts.as_slice() {
        [a, z] => (*a, *z, 1i64),
        [a, z, s] => (*a, *z, s.parse::<i64>().ok()?.abs().max(1)),
        _ => return None,
    };
    if let (Ok(x), Ok(y)) = (a.parse::<i64>(), z.parse::<i64>()) {
        let n = ((x - y).unsigned_abs() / step as u64).min(MAX_WORDS as u64) as i64;
        let dir = if y >= x { step } else { -step };
        return Some((0..=n).map(|i| (x + i * dir).to_string()).collect());
    }
    let (ca, cz) = (single_char(a)?, single_char(z)?);
    let (x, y) = (ca as i64, cz as i64);
    let dir = if y >= x { step } else { -step };
    let n = (x - y).abs() / step;
    Some(
        (0..=n)
            .filter_map(|i| char::from_u32((x + i * dir) as u32))
            .map(String::from)
            .collect(),
    )
}

fn single_char(s: &str) -> Option<char> {
    let mut it = s.chars();
    let c = it.next()?;
    (it.next().is_none() && c.is_ascii_alphabetic()).then_some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        let w = Word {
            parts: vec![WordPart::Lit(s.to_owned())],
            range: Default::default(),
        };
        match expand(&w) {
            Some(ws) => ws
                .iter()
                .map(|w| w.as_plain().unwrap_or("").to_owned())
                .collect(),
            None => vec![s.to_owned()],
        }
    }

    #[test]
    fn lists_sequences_and_nesting() {
        assert_eq!(words("/app/{bin,lib}"), ["/app/bin", "/app/lib"]);
        assert_eq!(words("x{,y}"), ["x", "xy"]);
        assert_eq!(words("{1..3}"), ["1", "2", "3"]);
        assert_eq!(words("{3..1}"), ["3", "2", "1"]);
        assert_eq!(words("{a..c}"), ["a", "b", "c"]);
        assert_eq!(words("{1..10..4}"), ["1", "5", "9"]);
        assert_eq!(words("{a,b}{1,2}"), ["a1", "a2", "b1", "b2"]);
        assert_eq!(words("{a,{b,c}}"), ["a", "b", "c"]);
        assert_eq!(words("{a}"), ["{a}"]);
        assert_eq!(words("{"), ["{"]);
        assert_eq!(words("{1..999999999}").len(), MAX_WORDS);
    }
}
