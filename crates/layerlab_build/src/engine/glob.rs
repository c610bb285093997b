//! COPY/ADD source wildcards: Go's `filepath.Match`, one path segment at a time.
//!
//! `*` matches any run of characters within a segment, `?` one character, `[...]` a
//! class (`[a-z]`, `[^a]`, `[!a]`), and `\` makes the next character literal.

/// Whether a source path uses wildcards at all.
pub(crate) fn has_meta(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Matches one segment against a pattern segment. `Err` for a malformed pattern
/// (`syntax error in pattern`, as Go says).
pub(crate) fn matches(pattern: &str, name: &str) -> Result<bool, String> {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    match_at(&p, &n).ok_or_else(|| "syntax error in pattern".to_string())
}

fn match_at(p: &[char], n: &[char]) -> Option<bool> {
    // Iterative matcher with backtracking on the last `*` (linear in practice).
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, ni));
                    pi += 1;
                    continue;
                }
                '?' if ni < n.len() => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                '[' if ni < n.len() => {
                    let (ok, next) = class(p, pi, n[ni])?;
                    if ok {
                        pi = next;
                        ni += 1;
                        continue;
                    }
                }
                '\\' => {
                    let c = *p.get(pi + 1)?;
                    if ni < n.len() && n[ni] == c {
                        pi += 2;
                        ni += 1;
                        continue;
                    }
                }
                c if c != '?' && c != '[' && ni < n.len() && n[ni] == c => {
                    pi += 1;
                    ni += 1;
                    continue;
                }
                _ => {}
            }
        } else if ni == n.len() {
            return Some(true);
        }
        match star {
            Some((sp, sn)) if sn < n.len() => {
                star = Some((sp, sn + 1));
                pi = sp + 1;
                ni = sn + 1;
            }
            _ => {
                // Validate the rest of the pattern so malformed ones always fail.
                validate(&p[pi.min(p.len())..])?;
                return Some(false);
            }
        }
    }
}

fn validate(p: &[char]) -> Option<()> {
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            '\\' => {
                p.get(i + 1)?;
                i += 2;
            }
            '[' => {
                let (_, next) = class(p, i, '\0')?;
                i = next;
            }
            _ => i += 1,
        }
    }
    Some(())
}

/// Matches `c` against the class starting at `p[start] == '['`; returns the result and
/// the index after `]`, or `None` when the class is malformed.
fn class(p: &[char], start: usize, c: char) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negated = matches!(p.get(i), Some('^') | Some('!'));
    if negated {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let ch = *p.get(i)?;
        if ch == ']' && !first {
            i += 1;
            break;
        }
        first = false;
        let lo = if ch == '\\' {
            i += 1;
            *p.get(i)?
        } else {
            ch
        };
        i += 1;
        let mut hi = lo;
        if p.get(i) == Some(&'-') && p.get(i + 1).is_some_and(|&x| x != ']') {
            i += 1;
            hi = if p[i] == '\\' {
                i += 1;
                *p.get(i)?
            } else {
                p[i]
            };
            i += 1;
            if hi < lo {
                return None;
            }
        }
        if lo <= c && c <= hi {
            matched = true;
        }
    }
    Some((matched != negated, i))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn go_filepath_match_cases() {
        let ok = |p, n| matches(p, n).unwrap();
        assert!(ok("*.txt", "a.txt"));
        assert!(!ok("*.txt", "a.txt.bak"));
        assert!(ok("a?c", "abc"));
        assert!(ok("[a-c]x", "bx"));
        assert!(!ok("[^a-c]x", "bx"));
        assert!(ok("[!a]x", "bx"));
        assert!(ok("arr[[]0].txt", "arr[0].txt"));
        assert!(ok("\\*", "*"));
        assert!(!ok("\\*", "a"));
        assert!(ok("*", ""));
        assert!(ok("a*b*c", "aXbYbc"));
        assert!(matches("[a-", "a").is_err());
        assert!(matches("[]a]", "]").unwrap());
        assert!(matches("x[", "y").is_err());
    }
}
