//! One `.dockerignore` pattern, compiled the way `patternmatcher` compiles it.
//!
//! BuildKit turns a pattern into one of four match kinds: an exact string, a prefix
//! (`dir/**`), a suffix (`**/name`, tested with a plain `HasSuffix`, so `**/dir` also
//! matches `foodir`), or a regular expression built by translating the glob character
//! by character (`*` → `[^/]*`, `?` → `[^/]`, `**/` → `(.*/)?`, a trailing `**` →
//! `.*`; `[`, `]`, `^` and `\x` pass through to RE2). The translation is reproduced
//! exactly, then run on this crate's own engine ([`crate::regexp`]).

use crate::regexp::{has_prefix, has_suffix, Regex, RegexError};
use layerlab_text::TextRange;

/// A compiled pattern with where it came from.
#[derive(Clone, Debug)]
pub struct Pattern {
    pub(crate) source: PatternSource,
    pub(crate) cleaned: String,
    pub(crate) exception: bool,
    pub(crate) kind: MatchKind,
    /// The byte every matching path starts with, when the pattern fixes it: a cheap
    /// rejection for most patterns.
    pub(crate) first_byte: Option<u8>,
}

/// Where a pattern was written: its 1-based line, the line's text and the range of
/// the pattern in the ignore file. Patterns given as a list have no range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternSource {
    /// 1-based line number in the ignore file (the list index + 1 for lists).
    pub line: u32,
    /// The pattern as the user wrote it (the line without its line break, trimmed).
    pub text: String,
    /// The trimmed pattern's byte range in the ignore file, when read from a file.
    pub range: Option<TextRange>,
}

#[derive(Clone, Debug)]
pub(crate) enum MatchKind {
    Exact,
    /// Matches paths starting with this text (the pattern minus its trailing `**`).
    Prefix(String),
    /// Matches paths ending with this text (the pattern minus its leading `**`), or,
    /// when it starts with `/`, a path equal to the rest.
    Suffix(String),
    /// The translated expression, or why RE2 rejects it. BuildKit compiles lazily,
    /// so a rejected expression only fails the build when it is evaluated.
    Regexp(Result<Regex, RegexError>),
}

impl Pattern {
    pub(crate) fn new(source: PatternSource, cleaned: String, exception: bool) -> Pattern {
        let kind = compile(&cleaned);
        let first_byte = match &kind {
            MatchKind::Exact => cleaned.as_bytes().first().copied(),
            MatchKind::Prefix(prefix) => prefix.as_bytes().first().copied(),
            MatchKind::Suffix(_) | MatchKind::Regexp(Err(_)) => None,
            MatchKind::Regexp(Ok(re)) => re.prefix().as_bytes().first().copied(),
        };
        Pattern {
            source,
            cleaned,
            exception,
            kind,
            first_byte,
        }
    }

    /// Where the pattern was written.
    pub fn source(&self) -> &PatternSource {
        &self.source
    }

    /// The pattern after BuildKit's cleaning, without its `!`.
    pub fn cleaned(&self) -> &str {
        &self.cleaned
    }

    /// Whether this is an exception (`!pattern`), which re-includes what it matches.
    pub fn is_exception(&self) -> bool {
        self.exception
    }

    /// The pattern as BuildKit holds it, with `!` for exceptions (for messages).
    pub fn display(&self) -> String {
        if self.exception {
            format!("!{}", self.cleaned)
        } else {
            self.cleaned.clone()
        }
    }

    /// Whether the translated regular expression is rejected by RE2: BuildKit fails
    /// the build with `syntax error in pattern` as soon as such a pattern is evaluated.
    pub fn regexp_error(&self) -> Option<&'static str> {
        match &self.kind {
            MatchKind::Regexp(Err(e)) => Some(e.reason),
            _ => None,
        }
    }

    /// Tests one slash-separated path against the pattern alone.
    ///
    /// # Errors
    /// When the pattern's regular expression is invalid (see [`Pattern::regexp_error`]).
    pub fn matches(&self, path: &str) -> Result<bool, BadPattern> {
        Ok(match &self.kind {
            MatchKind::Exact => path.len() == self.cleaned.len() && has_prefix(path, &self.cleaned),
            MatchKind::Prefix(prefix) => has_prefix(path, prefix),
            MatchKind::Suffix(suffix) => {
                has_suffix(path, suffix)
                    || suffix.strip_prefix('/').is_some_and(|rest| path == rest)
            }
            MatchKind::Regexp(Ok(re)) => re.is_match(path),
            MatchKind::Regexp(Err(_)) => return Err(BadPattern),
        })
    }

    /// The pattern without a trailing `/**` or `/*`, as fsutil uses it to decide
    /// whether an exception could re-include something inside an excluded directory.
    pub(crate) fn without_trailing_glob(&self) -> &str {
        let p = self.cleaned.strip_suffix("/**").unwrap_or(&self.cleaned);
        p.strip_suffix("/*").unwrap_or(p)
    }
}

/// The pattern's regular expression does not compile: BuildKit's
/// `syntax error in pattern`, raised when the pattern is evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadPattern;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Detected {
    Exact,
    Prefix,
    Suffix,
    Regexp,
}

/// Characters RE2 would read as operators but globs treat as literals; everything
/// else (notably `[`, `]`, `^` and `\`) reaches RE2 unchanged.
fn is_regex_only_meta(c: char) -> bool {
    matches!(c, '.' | '+' | '(' | ')' | '|' | '{' | '}' | '$')
}

fn compile(cleaned: &str) -> MatchKind {
    let (detected, expr) = translate(cleaned);
    match detected {
        Detected::Exact => MatchKind::Exact,
        Detected::Prefix => MatchKind::Prefix(cleaned[..cleaned.len() - 2].to_owned()),
        Detected::Suffix => MatchKind::Suffix(cleaned[2..].to_owned()),
        Detected::Regexp => MatchKind::Regexp(Regex::new(&expr)),
    }
}

/// Builds the expression text and the match kind, character by character.
fn translate(pattern: &str) -> (Detected, String) {
    let mut expr = String::with_capacity(pattern.len() + 8);
    expr.push('^');
    let mut detected = Detected::Exact;
    let mut chars = pattern.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        match c {
            '*' if chars.peek() == Some(&'*') => {
                chars.next();
                // `**/` is treated as `**`.
                if chars.peek() == Some(&'/') {
                    chars.next();
                }
                if chars.peek().is_none() {
                    if detected == Detected::Exact {
                        detected = Detected::Prefix;
                    } else {
                        expr.push_str(".*");
                        detected = Detected::Regexp;
                    }
                } else {
                    expr.push_str("(.*/)?");
                    detected = Detected::Regexp;
                }
                // A leading `**` makes the whole pattern a suffix test, whatever
                // literal text follows (later wildcards turn it back into a regexp).
                if first {
                    detected = Detected::Suffix;
                }
            }
            '*' => {
                expr.push_str("[^/]*");
                detected = Detected::Regexp;
            }
            '?' => {
                expr.push_str("[^/]");
                detected = Detected::Regexp;
            }
            c if is_regex_only_meta(c) => {
                expr.push('\\');
                expr.push(c);
            }
            '\\' => match chars.next() {
                Some(next) => {
                    expr.push('\\');
                    expr.push(next);
                    detected = Detected::Regexp;
                }
                None => expr.push('\\'),
            },
            '[' | ']' => {
                expr.push(c);
                detected = Detected::Regexp;
            }
            c => expr.push(c),
        }
        first = false;
    }
    if detected == Detected::Regexp {
        expr.push('$');
    }
    (detected, expr)
}

#[cfg(test)]
mod tests {
    use super::{translate, Detected};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn translation_matches_upstream_compile_table() {
        let cases: &[(&str, Detected, &str)] = &[
            ("*", Detected::Regexp, "^[^/]*$"),
            ("file*", Detected::Regexp, "^file[^/]*$"),
            ("a*/b", Detected::Regexp, "^a[^/]*/b$"),
            ("**", Detected::Suffix, ""),
            ("**/**", Detected::Regexp, "^(.*/)?.*$"),
            ("dir/**", Detected::Prefix, ""),
            ("**/dir", Detected::Suffix, ""),
            ("**/dir2/**", Detected::Regexp, "^(.*/)?dir2/.*$"),
            ("**/**/*.txt", Detected::Regexp, "^(.*/)?(.*/)?[^/]*\\.txt$"),
            ("abc.def", Detected::Exact, ""),
            ("a(b)c/def", Detected::Exact, ""),
        ];
        for (pattern, kind, expr) in cases {
            let (got_kind, got_expr) = translate(pattern);
            assert!(got_kind == *kind, "{pattern}");
            if !expr.is_empty() {
                assert_eq!(&got_expr, expr, "{pattern}");
            }
        }
    }
}
