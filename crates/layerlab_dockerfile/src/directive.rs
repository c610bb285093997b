//! Parser directives: `# syntax=…`, `# escape=…` and `# check=…` at the top of the file.
//!
//! BuildKit's rules, in its order: each line (left-trimmed) is matched against
//! `#` + optional space + a name (`[a-zA-Z][a-zA-Z0-9]*`) + `=` + a value. The first line
//! that is not of that form, or whose name is not one of the three known directives,
//! ends the directive block for good (a blank line, a plain comment, an instruction or
//! `# foo=bar` all do). A known directive seen twice is an error, and so is an escape
//! value other than `\` or `` ` ``. Names are case-insensitive; the value is trimmed.

use layerlab_text::TextRange;

/// One parser directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// The name, lowercased (`syntax`, `escape` or `check`).
    pub name: String,
    /// The value, trimmed.
    pub value: String,
    /// The whole directive line.
    pub range: TextRange,
    /// Where the name is.
    pub name_range: TextRange,
    /// Where the value is.
    pub value_range: TextRange,
}

/// What a line means to the directive parser.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// The directive block was already over.
    Done,
    /// This line ends the directive block.
    NotDirective,
    /// A directive: (name start, name end, value start, value end) as byte offsets in
    /// the line.
    Directive(usize, usize, usize, usize),
}

/// The state of BuildKit's directive parser.
#[derive(Debug, Default)]
pub(crate) struct DirectiveParser {
    done: bool,
}

/// ASCII whitespace as Go's RE2 `\s` (no vertical tab).
fn is_re_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

impl DirectiveParser {
    /// Classifies one (left-trimmed, newline-stripped) line.
    pub(crate) fn line(&mut self, line: &str) -> LineKind {
        if self.done {
            return LineKind::Done;
        }
        match match_directive(line) {
            Some(m) => {
                let name = line[m.0..m.1].to_ascii_lowercase();
                if matches!(name.as_str(), "syntax" | "escape" | "check") {
                    LineKind::Directive(m.0, m.1, m.2, m.3)
                } else {
                    self.done = true;
                    LineKind::NotDirective
                }
            }
            None => {
                self.done = true;
                LineKind::NotDirective
            }
        }
    }
}

/// `^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`, by hand.
fn match_directive(line: &str) -> Option<(usize, usize, usize, usize)> {
    let b = line.as_bytes();
    if b.first() != Some(&b'#') {
        return None;
    }
    let mut i = 1;
    while i < b.len() && is_re_space(b[i]) {
        i += 1;
    }
    let name_start = i;
    if i >= b.len() || !b[i].is_ascii_alphabetic() {
        return None;
    }
    while i < b.len() && b[i].is_ascii_alphanumeric() {
        i += 1;
    }
    let name_end = i;
    while i < b.len() && is_re_space(b[i]) {
        i += 1;
    }
    if b.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    let value_start = i;
    while i < b.len() && is_re_space(b[i]) {
        i += 1;
    }
    let mut end = b.len();
    while end > i && is_re_space(b[end - 1]) {
        end -= 1;
    }
    if end <= i {
        // Only blanks after `=`: the lazy `(.+?)` backtracks into them and takes the
        // last one, so `# escape= ` is an escape directive with value " ".
        if i > value_start {
            return Some((name_start, name_end, b.len() - 1, b.len()));
        }
        return None;
    }
    Some((name_start, name_end, i, end))
}

/// The options of a `# check=` directive.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckConfig {
    /// Rules to skip (`skip=A,B`); `all` skips every rule.
    pub skip: Vec<String>,
    /// `skip=all`.
    pub skip_all: bool,
    /// `error=true`: findings fail the build.
    pub error: bool,
    /// `experimental=…` rules.
    pub experimental: Vec<String>,
}

impl CheckConfig {
    /// Parses `skip=A,B;error=true;experimental=all` (unknown keys are ignored).
    pub fn parse(value: &str) -> CheckConfig {
        let mut cfg = CheckConfig::default();
        for part in value.split(';') {
            let Some((k, v)) = part.split_once('=') else {
                continue;
            };
            let k = k.trim().to_ascii_lowercase();
            let v = v.trim();
            match k.as_str() {
                "skip" => {
                    for rule in v.split(',').map(str::trim).filter(|r| !r.is_empty()) {
                        if rule.eq_ignore_ascii_case("all") {
                            cfg.skip_all = true;
                        } else {
                            cfg.skip.push(rule.to_string());
                        }
                    }
                }
                "error" => cfg.error = v.eq_ignore_ascii_case("true"),
                "experimental" => {
                    cfg.experimental = v.split(',').map(|r| r.trim().to_string()).collect()
                }
                _ => {}
            }
        }
        cfg
    }

    /// Whether rule `name` is skipped.
    pub fn is_skipped(&self, name: &str) -> bool {
        if self.experimental.iter().any(|r| r == name || r == "all") {
            return false;
        }
        self.skip_all || self.skip.iter().any(|r| r == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn directive_forms() {
        assert_eq!(match_directive("# escape=`"), Some((2, 8, 9, 10)));
        assert_eq!(match_directive("#ESCAPE = ` "), Some((1, 7, 10, 11)));
        assert_eq!(match_directive("# escape="), None);
        assert_eq!(match_directive("# escape=  "), Some((2, 8, 10, 11)));
        assert_eq!(match_directive("# 1x=a"), None);
        assert_eq!(match_directive("FROM a"), None);
    }

    #[test]
    fn unknown_directive_ends_block() {
        let mut p = DirectiveParser::default();
        assert!(matches!(p.line("# syntax=x"), LineKind::Directive(..)));
        assert_eq!(p.line("# foo=bar"), LineKind::NotDirective);
        assert_eq!(p.line("# escape=`"), LineKind::Done);
    }

    #[test]
    fn check_config() {
        let c = CheckConfig::parse("skip=A, B;error=true");
        assert_eq!(c.skip, ["A", "B"]);
        assert!(c.error && c.is_skipped("A") && !c.is_skipped("C"));
        assert!(CheckConfig::parse("skip=all").is_skipped("X"));
    }
}
