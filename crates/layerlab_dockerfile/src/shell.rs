//! BuildKit's shell lexer: variable expansion, quote removal and word splitting.
//!
//! This is what BuildKit runs over instruction arguments at build time
//! (`frontend/dockerfile/shell/lex.go`), and over whole lines to find heredoc markers.
//! It is not a shell: `$VAR`, `${VAR}`, `${VAR:-x}`, `${VAR-x}`, `${VAR:+x}`, `${VAR+x}`,
//! `${VAR:?msg}`, `${VAR?msg}`, `${VAR#p}`, `${VAR##p}`, `${VAR%p}`, `${VAR%%p}`,
//! `${VAR/p/r}` and `${VAR//p/r}`; single quotes keep everything, double quotes
//! expand `$` and let the escape character protect `"`, `$` and itself; outside quotes
//! the escape character protects any character. Splitting into words happens after
//! expansion, on unquoted whitespace (including whitespace that came from a variable).
//!
//! ```
//! use layerlab_dockerfile::shell::Lexer;
//! let env = |k: &str| (k == "HOME").then(|| "/root".to_string());
//! let lex = Lexer::new('\\');
//! assert_eq!(lex.process_word("${HOME}/x", &env).unwrap(), "/root/x");
//! assert_eq!(lex.process_words("a 'b c' $HOME", &env).unwrap(), ["a", "b c", "/root"]);
//! assert_eq!(lex.process_word("${NOPE:-def}", &env).unwrap(), "def");
//! ```

mod pattern;

use std::collections::BTreeSet;
use std::fmt;

/// A variable lookup: the value of a name, or `None` when it is not set.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// How to lex; the fields mirror BuildKit's `shell.Lex` options.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lexer {
    /// The escape character (`\` or `` ` ``).
    pub escape: char,
    /// Keep quote characters in the result.
    pub raw_quotes: bool,
    /// Keep escape characters in the result.
    pub raw_escapes: bool,
    /// Treat quotes as ordinary characters (heredoc bodies).
    pub skip_process_quotes: bool,
    /// Leave references to unset variables as written.
    pub skip_unset_env: bool,
}

/// The outcome of expanding a word.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expansion {
    /// The expanded text (`ProcessWord`).
    pub result: String,
    /// The expanded text split into words (`ProcessWords`).
    pub words: Vec<String>,
    /// Variables that were looked up and found.
    pub matched: BTreeSet<String>,
    /// Variables that were looked up and not set.
    pub unmatched: BTreeSet<String>,
}

/// A word BuildKit cannot expand (unterminated quote, bad `${…}` syntax, `${X:?msg}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellError {
    /// BuildKit's message, e.g. `failed to process "${a": syntax error: missing '}'`.
    pub message: String,
}

impl fmt::Display for ShellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Lexer {
    /// A lexer with BuildKit's defaults and escape character `escape`.
    pub fn new(escape: char) -> Lexer {
        Lexer {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_process_quotes: false,
            skip_unset_env: false,
        }
    }

    /// Expands `word` (BuildKit's `ProcessWord`).
    ///
    /// # Errors
    /// When BuildKit would refuse the word.
    pub fn process_word(&self, word: &str, env: Env<'_>) -> Result<String, ShellError> {
        self.process(word, env).map(|e| e.result)
    }

    /// Expands `word` and splits it into words (BuildKit's `ProcessWords`).
    ///
    /// # Errors
    /// When BuildKit would refuse the word.
    pub fn process_words(&self, word: &str, env: Env<'_>) -> Result<Vec<String>, ShellError> {
        self.process(word, env).map(|e| e.words)
    }

    /// Expands `word`, returning the text, the words and the variables looked up.
    ///
    /// # Errors
    /// When BuildKit would refuse the word.
    pub fn process(&self, word: &str, env: Env<'_>) -> Result<Expansion, ShellError> {
        let mut chars: Vec<char> = word.chars().collect();
        // Go's text/scanner skips a byte-order mark at the very start.
        if chars.first() == Some(&'\u{feff}') {
            chars.remove(0);
        }
        let mut st = State {
            depth: 0,
            lex: *self,
            chars,
            pos: 0,
            env,
            raw_escapes: self.raw_escapes,
            matched: BTreeSet::new(),
            unmatched: BTreeSet::new(),
        };
        match st.process_stop_on(None, self.raw_escapes) {
            Ok((result, words)) => Ok(Expansion {
                result,
                words,
                matched: st.matched,
                unmatched: st.unmatched,
            }),
            Err(msg) => Err(ShellError {
                message: format!("failed to process {}: {msg}", go_quote(word)),
            }),
        }
    }
}

/// Go's `%q` for the strings BuildKit puts in messages (`strconv.Quote`: printable
/// characters kept, the rest escaped as Go escapes them).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if !go_is_print(c) && (c as u32) < 0x10000 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if !go_is_print(c) => out.push_str(&format!("\\U{:08x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.IsPrint`, without the unassigned code points: controls, spaces
/// other than U+0020, format characters, private use and noncharacters are not.
fn go_is_print(c: char) -> bool {
    let u = c as u32;
    let format = matches!(u,
        0xAD | 0x600..=0x605 | 0x61C | 0x6DD | 0x70F | 0x890..=0x891 | 0x8E2 | 0x180E
        | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F | 0xFEFF
        | 0xFFF9..=0xFFFB | 0x110BD | 0x110CD | 0x13430..=0x1343F | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F);
    let private = matches!(u, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF);
    let nonchar = (u & 0xFFFE) == 0xFFFE || (0xFDD0..=0xFDEF).contains(&u);
    !(c.is_control() || (c.is_whitespace() && c != ' ') || format || private || nonchar)
}

/// Unicode white space, as Go's `unicode.IsSpace` (same set as Rust's).
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// How deep `${…}` substitutions may nest (see `process_stop_on`).
const MAX_NESTING: usize = 500;

struct State<'e> {
    depth: usize,
    lex: Lexer,
    chars: Vec<char>,
    pos: usize,
    env: Env<'e>,
    raw_escapes: bool,
    matched: BTreeSet<String>,
    unmatched: BTreeSet<String>,
}

#[derive(Default)]
struct Words {
    word: String,
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, c: char) {
        if is_space(c) {
            if self.in_word && !self.word.is_empty() {
                self.words.push(std::mem::take(&mut self.word));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(c);
        }
    }

    fn add_raw_char(&mut self, c: char) {
        self.word.push(c);
        self.in_word = true;
    }

    fn add_string(&mut self, s: &str) {
        s.chars().for_each(|c| self.add_char(c));
    }

    fn add_raw_string(&mut self, s: &str) {
        self.word.push_str(s);
        self.in_word = true;
    }

    fn finish(mut self) -> Vec<String> {
        if !self.word.is_empty() {
            self.words.push(self.word);
        }
        self.words
    }
}

type Res<T> = Result<T, String>;

impl State<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.chars.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn get_env(&mut self, name: &str) -> Option<String> {
        let v = (self.env)(name);
        if v.is_some() {
            self.matched.insert(name.to_string());
        } else {
            self.unmatched.insert(name.to_string());
        }
        v
    }

    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Res<(String, Vec<String>)> {
        // Go grows its stack for `${a:-${a:-…}}` nested thousands deep; we stop at a
        // depth no real Dockerfile reaches, so untrusted input cannot overflow ours.
        if self.depth >= MAX_NESTING {
            return Err("syntax error: substitutions nested too deep".into());
        }
        self.depth += 1;
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let res = self.stop_on_inner(stop);
        self.raw_escapes = saved;
        self.depth -= 1;
        res
    }

    fn stop_on_inner(&mut self, stop: Option<char>) -> Res<(String, Vec<String>)> {
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.pos += 1;
                return Ok((result, words.finish()));
            }
            let special = match c {
                '$' => Some(self.process_dollar()?),
                '<' => Some(self.process_possible_heredoc()),
                '\'' if !self.lex.skip_process_quotes => Some(self.process_single_quote()?),
                '"' if !self.lex.skip_process_quotes => Some(self.process_double_quote()?),
                _ => None,
            };
            if let Some(tmp) = special {
                result.push_str(&tmp);
                if c == '$' {
                    words.add_string(&tmp);
                } else {
                    words.add_raw_string(&tmp);
                }
                continue;
            }
            self.pos += 1;
            let mut ch = c;
            if ch == self.lex.escape {
                if self.raw_escapes {
                    words.add_raw_char(ch);
                    result.push(ch);
                }
                match self.next() {
                    None => break,
                    Some(n) => ch = n,
                }
                words.add_raw_char(ch);
            } else {
                words.add_char(ch);
            }
            result.push(ch);
        }
        if let Some(s) = stop {
            return Err(format!(
                "unexpected end of statement while looking for matching {s}"
            ));
        }
        Ok((result, words.finish()))
    }

    /// `<<` keeps the blanks after it in the same word, so `<< EOF` is one word.
    fn process_possible_heredoc(&mut self) -> String {
        self.pos += 1;
        if self.peek() != Some('<') {
            return "<".to_string();
        }
        self.pos += 1;
        let mut out = "<<".to_string();
        while let Some(c @ (' ' | '\t' | '\r' | '\n')) = self.peek() {
            out.push(c);
            self.pos += 1;
        }
        out
    }

    fn process_single_quote(&mut self) -> Res<String> {
        let mut out = String::new();
        let q = self.next();
        if self.lex.raw_quotes {
            out.extend(q);
        }
        loop {
            match self.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .into(),
                    )
                }
                Some('\'') => {
                    if self.lex.raw_quotes {
                        out.push('\'');
                    }
                    return Ok(out);
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn process_double_quote(&mut self) -> Res<String> {
        let mut out = String::new();
        let q = self.next();
        if self.lex.raw_quotes {
            out.extend(q);
        }
        loop {
            match self.peek() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .into(),
                    )
                }
                Some('"') => {
                    self.pos += 1;
                    if self.lex.raw_quotes {
                        out.push('"');
                    }
                    return Ok(out);
                }
                Some('$') => {
                    let v = self.process_dollar()?;
                    out.push_str(&v);
                }
                Some(c) => {
                    self.pos += 1;
                    let mut ch = c;
                    if ch == self.lex.escape {
                        if self.raw_escapes {
                            out.push(ch);
                        }
                        match self.peek() {
                            None => continue,
                            Some(n) if n == '"' || n == '$' || n == self.lex.escape => {
                                self.pos += 1;
                                ch = n;
                            }
                            Some(_) => {}
                        }
                    }
                    out.push(ch);
                }
            }
        }
    }

    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && c.is_numeric() {
                while let Some(d) = self.peek().filter(|d| d.is_numeric()) {
                    name.push(d);
                    self.pos += 1;
                }
                return name;
            }
            if name.is_empty() && matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.pos += 1;
                return c.to_string();
            }
            if !c.is_alphanumeric() && c != '_' {
                break;
            }
            name.push(c);
            self.pos += 1;
        }
        name
    }

    fn process_dollar(&mut self) -> Res<String> {
        self.pos += 1;
        if self.peek() != Some('{') {
            let name = self.process_name();
            if name.is_empty() {
                return Ok("$".into());
            }
            return Ok(match self.get_env(&name) {
                Some(v) => v,
                None if self.lex.skip_unset_env => format!("${name}"),
                None => String::new(),
            });
        }
        self.pos += 1;
        match self.peek() {
            None => return Err("syntax error: missing '}'".into()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".into()),
            Some(_) => {}
        }
        let name = self.process_name();
        let ch = self.next();
        let mut chs: String = ch.map_or_else(|| "\u{fffd}".to_string(), String::from);
        match ch {
            Some('}') => Ok(match self.get_env(&name) {
                Some(v) => v,
                None if self.lex.skip_unset_env => format!("${{{name}}}"),
                None => String::new(),
            }),
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                let mut op = ch;
                let null_is_unset = op == Some(':');
                if null_is_unset {
                    op = self.next();
                    chs.push(op.unwrap_or('\u{fffd}'));
                }
                self.modifier(&name, op, &chs, null_is_unset)
            }
            Some('/') => self.substitute(&name),
            _ => Err(format!("unsupported modifier ({chs}) in substitution")),
        }
    }

    fn modifier(
        &mut self,
        name: &str,
        op: Option<char>,
        chs: &str,
        null_is_unset: bool,
    ) -> Res<String> {
        let raw = matches!(op, Some('#' | '%'));
        let word = match self.process_stop_on(Some('}'), raw) {
            Ok((w, _)) => w,
            Err(e) => {
                if self.peek().is_none() {
                    return Err("syntax error: missing '}'".into());
                }
                return Err(e);
            }
        };
        let value = self.get_env(name);
        let Some(value) = value else {
            if self.lex.skip_unset_env {
                return Ok(format!("${{{name}{chs}{word}}}"));
            }
            return self.apply(name, op, None, word, chs, null_is_unset);
        };
        self.apply(name, op, Some(value), word, chs, null_is_unset)
    }

    fn apply(
        &self,
        name: &str,
        op: Option<char>,
        value: Option<String>,
        word: String,
        chs: &str,
        null_is_unset: bool,
    ) -> Res<String> {
        let set = value.is_some();
        let value = value.unwrap_or_default();
        let unset_or_null = !set || (null_is_unset && value.is_empty());
        match op {
            Some('-') => Ok(if unset_or_null { word } else { value }),
            Some('+') => Ok(if unset_or_null { String::new() } else { word }),
            Some('?') => {
                if !set {
                    let msg = if word.is_empty() {
                        "is not allowed to be unset"
                    } else {
                        &word
                    };
                    return Err(format!("{name}: {msg}"));
                }
                if null_is_unset && value.is_empty() {
                    let msg = if word.is_empty() {
                        "is not allowed to be empty"
                    } else {
                        &word
                    };
                    return Err(format!("{name}: {msg}"));
                }
                Ok(value)
            }
            Some(c @ ('#' | '%')) => {
                let (pat, greedy) = match word.strip_prefix(c) {
                    Some(rest) => (rest, true),
                    None => (word.as_str(), false),
                };
                let tokens = pattern::compile(pat)
                    .map_err(|e| format!("invalid pattern ({pat}) in substitution: {e}"))?;
                Ok(if c == '#' {
                    pattern::trim_prefix(&tokens, &value, greedy)
                } else {
                    pattern::trim_suffix(&tokens, &value, greedy)
                })
            }
            _ => Err(format!("unsupported modifier ({chs}) in substitution")),
        }
    }

    fn substitute(&mut self, name: &str) -> Res<String> {
        let all = self.peek() == Some('/');
        if all {
            self.pos += 1;
        }
        let pat = match self.process_stop_on(Some('/'), true) {
            Ok((p, _)) => p,
            Err(e) => {
                if self.peek().is_none() {
                    return Err("syntax error: missing '/' in ${}".into());
                }
                return Err(e);
            }
        };
        let repl = match self.process_stop_on(Some('}'), true) {
            Ok((r, _)) => r,
            Err(e) => {
                if self.peek().is_none() {
                    return Err("syntax error: missing '}'".into());
                }
                return Err(e);
            }
        };
        let Some(value) = self.get_env(name) else {
            if self.lex.skip_unset_env {
                return Ok(format!("${{{name}/{pat}/{repl}}}"));
            }
            return self.replace(&pat, &repl, "", all);
        };
        self.replace(&pat, &repl, &value, all)
    }

    fn replace(&self, pat: &str, repl: &str, value: &str, all: bool) -> Res<String> {
        let tokens = pattern::compile(pat)
            .map_err(|e| format!("invalid pattern ({pat}) in substitution: {e}"))?;
        Ok(pattern::replace(&tokens, value, repl, all))
    }
}

#[cfg(test)]
mod tests;
