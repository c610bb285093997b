//! Shell pattern matching (XCU 2.13): `*`, `?`, bracket expressions and backslash
//! escapes, for `case`, `${x%pat}`, `find -name` and pathname expansion over the VFS.
//!
//! Patterns arrive with quoted characters already escaped by a backslash, so `"*"`
//! matches only a star. Matching is the classic greedy-star backtracking algorithm that
//! remembers only the last star: linear in practice and never exponential.

use layerlab_vfs::{Fs, Node, VfsPath};

/// One pattern element (tested with `matches!`: a derived `==` is code the page
/// would carry for three comparisons with a constant).
#[derive(Clone, Debug)]
enum Tok {
    Char(char),
    Any,
    Star,
    Class {
        negated: bool,
        items: Vec<(char, char)>,
    },
}

fn compile(pattern: &str) -> Vec<Tok> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                out.push(Tok::Char(chars[i + 1]));
                i += 2;
                continue;
            }
            '*' => {
                if !matches!(out.last(), Some(Tok::Star)) {
                    out.push(Tok::Star);
                }
            }
            '?' => out.push(Tok::Any),
            '[' => {
                if let Some((tok, next)) = compile_class(&chars, i) {
                    out.push(tok);
                    i = next;
                    continue;
                }
                out.push(Tok::Char('['));
            }
            c => out.push(Tok::Char(c)),
        }
        i += 1;
    }
    out
}

/// Parses `[...]` starting at `start`; `None` when unterminated (then `[` is literal).
fn compile_class(chars: &[char], start: usize) -> Option<(Tok, usize)> {
    let mut i = start + 1;
    let negated = matches!(chars.get(i), Some('!' | '^'));
    if negated {
        i += 1;
    }
    let mut items = Vec::new();
    let first = i;
    loop {
        let c = *chars.get(i)?;
        if c == ']' && i > first {
            return Some((Tok::Class { negated, items }, i + 1));
        }
        // `[:alpha:]` style classes, expanded to ASCII ranges.
        if c == '[' && chars.get(i + 1) == Some(&':') {
            let rest: String = chars[i + 2..].iter().collect();
            if let Some(end) = rest.find(":]") {
                let name = &rest[..end];
                let ranges: &[(char, char)] = match name {
                    "alpha" => &[('a', 'z'), ('A', 'Z')],
                    "digit" => &[('0', '9')],
                    "alnum" => &[('a', 'z'), ('A', 'Z'), ('0', '9')],
                    "upper" => &[('A', 'Z')],
                    "lower" => &[('a', 'z')],
                    "space" => &[(' ', ' '), ('\t', '\r')],
                    "xdigit" => &[('0', '9'), ('a', 'f'), ('A', 'F')],
                    _ => &[],
                };
                items.extend_from_slice(ranges);
                i += 2 + name.chars().count() + 2;
                continue;
            }
        }
        let c = if c == '\\' {
            i += 1;
            *chars.get(i)?
        } else {
            c
        };
        if chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&e| e != ']') {
            items.push((c, chars[i + 2]));
            i += 3;
        } else {
            items.push((c, c));
            i += 1;
        }
    }
}

fn tok_matches(tok: &Tok, c: char) -> bool {
    match tok {
        Tok::Char(x) => *x == c,
        Tok::Any => true,
        Tok::Class { negated, items } => {
            items.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated
        }
        Tok::Star => true,
    }
}

fn match_toks(toks: &[Tok], text: &[char]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match toks.get(p) {
            Some(Tok::Star) => {
                star = Some((p, t));
                p += 1;
            }
            Some(tok) if tok_matches(tok, text[t]) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    toks[p..].iter().all(|t| matches!(t, Tok::Star))
}

/// A compiled pattern.
#[derive(Clone, Debug)]
pub(crate) struct Pattern {
    toks: Vec<Tok>,
    icase: bool,
}

impl Pattern {
    /// Compiles a pattern in which quoted characters are backslash-escaped.
    pub(crate) fn new(pattern: &str) -> Self {
        Pattern {
            toks: compile(pattern),
            icase: false,
        }
    }

    /// The same pattern matching without regard to ASCII case (`find -iname`).
    pub(crate) fn case_insensitive(mut self) -> Self {
        for t in &mut self.toks {
            if let Tok::Char(c) = t {
                *c = c.to_ascii_lowercase();
            }
        }
        self.icase = true;
        self
    }

    /// True when the whole of `text` matches.
    pub(crate) fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = if self.icase {
            text.chars().map(|c| c.to_ascii_lowercase()).collect()
        } else {
            text.chars().collect()
        };
        match_toks(&self.toks, &chars)
    }

    /// Whether the pattern has any wildcard at all.
    pub(crate) fn is_literal(&self) -> bool {
        self.toks.iter().all(|t| matches!(t, Tok::Char(_)))
    }

    fn starts_with_dot(&self) -> bool {
        matches!(self.toks.first(), Some(Tok::Char('.')))
    }
}

/// True when `pattern` (quoted characters escaped) matches all of `text`.
pub(crate) fn matches(pattern: &str, text: &str) -> bool {
    Pattern::new(pattern).matches(text)
}

/// True when an unescaped `*`, `?` or `[` occurs: only then is pathname expansion tried.
pub(crate) fn has_wildcards(pattern: &str) -> bool {
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '*' | '?' | '[' => return true,
            _ => {}
        }
    }
    false
}

/// Removes the backslash escapes of a pattern, giving the literal text.
pub(crate) fn unescape(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut escaped = false;
    for c in pattern.chars() {
        if c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        escaped = false;
        out.push(c);
    }
    out
}

/// Pathname expansion over the VFS: the sorted matches of `pattern` relative to `cwd`,
/// or an empty list (the caller then keeps the word as it is, like POSIX says).
///
/// Names starting with `.` match only a pattern component starting with a literal `.`;
/// `.` and `..` are never produced. Results are in byte order, as dash (in the C
/// locale) sorts them.
///
/// Each path tried costs one step of `budget`; `None` when the budget runs out. That
/// bounds patterns whose matches grow exponentially (`.*/.*/.*/…` doubles at every
/// component, since `.*` matches `.` and `..`), which would take dash all its memory.
/// `Some((matches, steps used))` otherwise.
pub(crate) fn expand_path(
    fs: &Fs,
    cwd: &VfsPath,
    pattern: &str,
    budget: u64,
) -> Option<(Vec<String>, u64)> {
    let mut used: u64 = 0;
    let absolute = pattern.starts_with('/');
    let comps: Vec<&str> = pattern.split('/').filter(|c| !c.is_empty()).collect();
    // Each candidate: (text as the user will see it, real VFS path).
    let mut cands: Vec<(String, VfsPath)> = vec![(
        if absolute {
            "/".to_owned()
        } else {
            String::new()
        },
        if absolute {
            VfsPath::root()
        } else {
            cwd.clone()
        },
    )];
    for (i, comp) in comps.iter().enumerate() {
        let last = i + 1 == comps.len();
        let pat = Pattern::new(comp);
        let mut next = Vec::new();
        for (shown, at) in &cands {
            let join = |name: &str| {
                let mut s = shown.clone();
                if !s.is_empty() && !s.ends_with('/') {
                    s.push('/');
                }
                s.push_str(name);
                (s, at.child(name))
            };
            if pat.is_literal() {
                let name = unescape(comp);
                let (s, p) = join(&name);
                let ok = if last {
                    fs.symlink_node(&p).is_ok()
                } else {
                    matches!(fs.node(&p), Ok(Node::Dir(_)))
                };
                if ok || name == "." || name == ".." {
                    next.push((s, p));
                }
                if used + next.len() as u64 > budget {
                    return None;
                }
                continue;
            }
            let Ok(entries) = fs.read_dir(at) else {
                continue;
            };
            // `.*` also matches `.` and `..`, as in dash.
            if pat.starts_with_dot() {
                for dot in [".", ".."] {
                    if pat.matches(dot) {
                        next.push(join(dot));
                    }
                }
            }
            for (name, node) in entries {
                if used + next.len() as u64 > budget {
                    return None;
                }
                if name.starts_with('.') && !pat.starts_with_dot() {
                    continue;
                }
                if !pat.matches(name) {
                    continue;
                }
                let (s, p) = join(name);
                if !last {
                    let is_dir = match node {
                        Node::Dir(_) => true,
                        Node::Symlink(_) => matches!(fs.node(&p), Ok(Node::Dir(_))),
                        Node::File(_) => false,
                    };
                    if !is_dir {
                        continue;
                    }
                }
                next.push((s, p));
            }
        }
        used += next.len() as u64;
        if used > budget {
            return None;
        }
        cands = next;
        if cands.is_empty() {
            break;
        }
    }
    if pattern.ends_with('/') {
        cands.retain(|(_, p)| matches!(fs.node(p), Ok(Node::Dir(_))));
        for (s, _) in &mut cands {
            s.push('/');
        }
    }
    let mut out: Vec<String> = cands.into_iter().map(|(s, _)| s).collect();
    out.sort();
    Some((out, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_question_and_classes() {
        assert!(matches("*.txt", "a.txt"));
        assert!(!matches("*.txt", "a.txt.bak"));
        assert!(matches("a?c", "abc"));
        assert!(matches("[a-c]x", "bx"));
        assert!(!matches("[!a-c]x", "bx"));
        assert!(matches("[[:digit:]]*", "9lives"));
        assert!(matches("\\*", "*"));
        assert!(!matches("\\*", "a"));
        assert!(matches("[ab", "[ab"));
        assert!(matches(
            "*a*a*a*a*a*b",
            &"a".repeat(30).replace("aaa", "aab")
        ));
    }

    #[test]
    fn pathological_pattern_is_fast() {
        let text = "a".repeat(2000);
        assert!(!matches(&"*a".repeat(200).replace("*a*a", "*a*b"), &text));
    }
}
