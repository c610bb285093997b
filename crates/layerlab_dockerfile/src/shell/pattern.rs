//! Shell patterns in `${VAR#p}`, `${VAR%p}` and `${VAR/p/r}`: `*`, `?` and literals.
//!
//! BuildKit turns the pattern into a Go regular expression (`*` → `.*` or `.*?`,
//! `?` → `.`, no bracket expressions). Neither wildcard matches a newline, as `.`
//! does not in Go's default mode. Here the pattern runs as a small NFA over the value
//! (linear time per start position, no regex engine in the browser bundle).

/// One pattern element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tok {
    /// `*`: any run of characters except newline.
    Star,
    /// `?`: one character except newline.
    Any,
    /// A literal character.
    Lit(char),
}

/// Compiles a pattern, applying BuildKit's escape rules: `\}` and `\/` stand for the
/// character itself, `\*`, `\?` and `\\` are literals, any other escape is an error.
pub(super) fn compile(pat: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut it = pat.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '*' => out.push(Tok::Star),
            '?' => out.push(Tok::Any),
            '\\' => {
                if matches!(it.peek(), Some('}' | '/')) {
                    continue;
                }
                match it.next() {
                    Some(n @ ('*' | '?' | '\\')) => out.push(Tok::Lit(n)),
                    Some(n) => return Err(format!("invalid escape '\\{n}'")),
                    None => return Err("invalid escape '\\\u{fffd}'".into()),
                }
            }
            c => out.push(Tok::Lit(c)),
        }
    }
    Ok(out)
}

/// For a match anchored at `chars[0]`, every end (in chars) where the whole pattern
/// matches, ascending.
fn match_ends(toks: &[Tok], chars: &[char]) -> Vec<usize> {
    let m = toks.len();
    let mut cur = vec![false; m + 1];
    let mut ends = Vec::new();
    cur[0] = true;
    close(toks, &mut cur);
    if cur[m] {
        ends.push(0);
    }
    let mut next = vec![false; m + 1];
    for (i, &c) in chars.iter().enumerate() {
        next.iter_mut().for_each(|x| *x = false);
        let mut any = false;
        for s in 0..m {
            if !cur[s] {
                continue;
            }
            match toks[s] {
                Tok::Star if c != '\n' => {
                    next[s] = true;
                    any = true;
                }
                Tok::Any if c != '\n' => {
                    next[s + 1] = true;
                    any = true;
                }
                Tok::Lit(l) if l == c => {
                    next[s + 1] = true;
                    any = true;
                }
                _ => {}
            }
        }
        if !any {
            break;
        }
        close(toks, &mut next);
        std::mem::swap(&mut cur, &mut next);
        if cur[m] {
            ends.push(i + 1);
        }
    }
    ends
}

/// A star may match nothing: propagate states across stars.
fn close(toks: &[Tok], states: &mut [bool]) {
    for s in 0..toks.len() {
        if states[s] && toks[s] == Tok::Star {
            states[s + 1] = true;
        }
    }
}

/// `${VAR#p}` / `${VAR##p}`: removes the shortest (longest when `greedy`) matching prefix.
pub(super) fn trim_prefix(toks: &[Tok], value: &str, greedy: bool) -> String {
    let chars: Vec<char> = value.chars().collect();
    let ends = match_ends(toks, &chars);
    let end = if greedy { ends.last() } else { ends.first() };
    match end {
        Some(&e) => chars[e..].iter().collect(),
        None => value.to_string(),
    }
}

/// `${VAR%p}` / `${VAR%%p}`: removes the shortest (longest) matching suffix, by matching
/// the reversed pattern against the reversed value as BuildKit does.
pub(super) fn trim_suffix(toks: &[Tok], value: &str, greedy: bool) -> String {
    let rev_toks: Vec<Tok> = toks.iter().rev().copied().collect();
    let mut chars: Vec<char> = value.chars().collect();
    chars.reverse();
    let ends = match_ends(&rev_toks, &chars);
    let end = if greedy { ends.last() } else { ends.first() };
    match end {
        Some(&e) => {
            let keep = chars.len() - e;
            chars.reverse();
            chars[..keep].iter().collect()
        }
        None => value.to_string(),
    }
}

/// The leftmost match at or after `from`: (start, end) in chars, longest end (stars
/// are greedy in `${VAR/p/r}`).
fn find(toks: &[Tok], chars: &[char], from: usize) -> Option<(usize, usize)> {
    (from..=chars.len()).find_map(|s| match_ends(toks, &chars[s..]).last().map(|&e| (s, s + e)))
}

/// `${VAR/p/r}` (first match) and `${VAR//p/r}` (every match, Go's `ReplaceAllString`
/// rules for empty matches; `$0`/`${0}` in the replacement stand for the match).
pub(super) fn replace(toks: &[Tok], value: &str, repl: &str, all: bool) -> String {
    let chars: Vec<char> = value.chars().collect();
    if !all {
        return match find(toks, &chars, 0) {
            Some((s, e)) => {
                let mut out: String = chars[..s].iter().collect();
                out.push_str(repl);
                out.extend(&chars[e..]);
                out
            }
            None => value.to_string(),
        };
    }
    let mut out = String::new();
    let mut last_end = 0usize;
    let mut search = 0usize;
    while search <= chars.len() {
        let Some((s, e)) = find(toks, &chars, search) else {
            break;
        };
        out.extend(&chars[last_end..s]);
        if e > last_end || s == 0 {
            let matched: String = chars[s..e].iter().collect();
            expand_template(&mut out, repl, &matched);
        }
        last_end = e;
        search = if search + 1 > e { search + 1 } else { e };
    }
    if last_end < chars.len() {
        out.extend(&chars[last_end..]);
    }
    out
}

/// Go's `Regexp.Expand` for a pattern without groups: `$$` is `$`, `$0`/`${0}` is the
/// match, other names are empty, a `$` not followed by a name stays.
fn expand_template(out: &mut String, tpl: &str, matched: &str) {
    let mut rest = tpl;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('$') {
            out.push('$');
            rest = r;
            continue;
        }
        let (name, after) = if let Some(r) = rest.strip_prefix('{') {
            match r.find('}') {
                Some(j) if j > 0 && r[..j].chars().all(|c| c.is_alphanumeric() || c == '_') => {
                    (&r[..j], &r[j + 1..])
                }
                _ => ("", rest),
            }
        } else {
            let j = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            (&rest[..j], &rest[j..])
        };
        if name.is_empty() {
            out.push('$');
            continue;
        }
        if name.chars().all(|c| c.is_ascii_digit()) && name.parse::<u64>().ok() == Some(0) {
            out.push_str(matched);
        }
        rest = after;
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn t(p: &str) -> Vec<Tok> {
        compile(p).unwrap()
    }

    #[test]
    fn prefix_and_suffix() {
        assert_eq!(trim_prefix(&t("*/"), "a/b/c", false), "b/c");
        assert_eq!(trim_prefix(&t("*/"), "a/b/c", true), "c");
        assert_eq!(trim_suffix(&t("/*"), "a/b/c", false), "a/b");
        assert_eq!(trim_suffix(&t("/*"), "a/b/c", true), "a");
        assert_eq!(trim_suffix(&t(".tar.gz"), "x.tar.gz", false), "x");
        assert_eq!(trim_prefix(&t("x"), "abc", false), "abc");
    }

    #[test]
    fn replacement() {
        assert_eq!(replace(&t("o"), "foo", "0", false), "f0o");
        assert_eq!(replace(&t("o"), "foo", "0", true), "f00");
        assert_eq!(replace(&t("*"), "ab", "x", true), "x");
        assert!(compile("\\a").is_err());
    }
}
