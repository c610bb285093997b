//! A parser for the part of Go's RE2 syntax that BuildKit's pattern-to-regexp
//! translation can produce, with Go's acceptance rules.
//!
//! The translation passes `[`, `]`, `^` and every `\x` escape of the user's pattern
//! straight through, so the user can reach most of RE2's class and escape syntax
//! (`[[:alpha:]]`, `\d`, `\b`, `\Q...\E`, `\x41`), and RE2's rejections
//! (`[z-a]`, `\y`, `[[:nope:]]`) fail the build lazily. Alternation, counted
//! repetition and flag groups cannot be produced (`|`, `{`, `}`, `(` and `)` of the
//! user's text arrive escaped), so they are not modelled: a bare `(` only ever opens
//! the generated `(.*/)` group.

use super::class::{perl_group, posix_group, ClassSet, UnicodeCategory};

/// A parsed expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Node {
    Literal(u32),
    Class(CharClass),
    /// `.`: any character but `\n`.
    AnyNotNewline,
    Look(Look),
    Concat(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u8,
        many: bool,
    },
}

/// Zero-width assertions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Look {
    BeginText,
    EndText,
    WordBoundary,
    NotWordBoundary,
}

/// A bracket or escape class: `(set ∪ categories) xor negated`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CharClass {
    pub(crate) set: ClassSet,
    pub(crate) categories: Vec<(UnicodeCategory, bool)>,
    pub(crate) negated: bool,
}

impl CharClass {
    pub(crate) fn matches(&self, c: u32) -> bool {
        let inside = self.set.contains(c)
            || self
                .categories
                .iter()
                .any(|&(cat, neg)| char::from_u32(c).is_some_and(|ch| cat.contains(ch) != neg));
        inside != self.negated
    }
}

/// Why RE2 rejects the expression (BuildKit reports every one of these as
/// `syntax error in pattern`; the detail is for explanations).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RegexError {
    pub(crate) reason: &'static str,
}

fn err<T>(reason: &'static str) -> Result<T, RegexError> {
    Err(RegexError { reason })
}

pub(crate) fn parse(expr: &str) -> Result<Node, RegexError> {
    let chars: Vec<char> = expr.chars().collect();
    let mut p = Parser {
        s: &chars,
        i: 0,
        next_close: None,
    };
    let node = p.sequence(false)?;
    Ok(node)
}

struct Parser<'a> {
    s: &'a [char],
    i: usize,
    /// The first `:]` at or after the last search start (`Some(None)`: none left).
    /// Searches only move forward, so this keeps `[:` scanning linear overall.
    next_close: Option<Option<usize>>,
}

impl Parser<'_> {
    fn peek_at(&self, k: usize) -> Option<char> {
        self.s.get(self.i + k).copied()
    }

    fn sequence(&mut self, in_group: bool) -> Result<Node, RegexError> {
        let mut items: Vec<Node> = Vec::new();
        // Go rejects stacked repetition operators (`a**`), but a `?` right after an
        // operator is its non-greedy form.
        let mut last_was_repeat = false;
        loop {
            let Some(c) = self.peek_at(0) else {
                if in_group {
                    return err("missing closing )");
                }
                break;
            };
            match c {
                ')' => {
                    if !in_group {
                        return err("unexpected )");
                    }
                    self.i += 1;
                    break;
                }
                '(' => {
                    if self.peek_at(1) == Some('?') {
                        return err("flag groups are not produced by pattern translation");
                    }
                    self.i += 1;
                    let inner = self.sequence(true)?;
                    items.push(inner);
                    last_was_repeat = false;
                }
                '|' => return err("alternation is not produced by pattern translation"),
                '*' | '+' | '?' => {
                    if last_was_repeat {
                        return err("invalid nested repetition operator");
                    }
                    let Some(last) = items.pop() else {
                        return err("missing argument to repetition operator");
                    };
                    self.i += 1;
                    if self.peek_at(0) == Some('?') {
                        self.i += 1;
                    }
                    let (min, many) = match c {
                        '*' => (0, true),
                        '+' => (1, true),
                        _ => (0, false),
                    };
                    items.push(Node::Repeat {
                        node: Box::new(last),
                        min,
                        many,
                    });
                    last_was_repeat = true;
                }
                _ => {
                    self.atom(&mut items)?;
                    last_was_repeat = false;
                }
            }
        }
        Ok(Node::Concat(items))
    }

    fn atom(&mut self, items: &mut Vec<Node>) -> Result<(), RegexError> {
        let c = self.s[self.i];
        match c {
            '^' => {
                self.i += 1;
                items.push(Node::Look(Look::BeginText));
            }
            '$' => {
                self.i += 1;
                items.push(Node::Look(Look::EndText));
            }
            '.' => {
                self.i += 1;
                items.push(Node::AnyNotNewline);
            }
            '[' => {
                let class = self.class()?;
                items.push(Node::Class(class));
            }
            '\\' => self.escape_atom(items)?,
            _ => {
                self.i += 1;
                items.push(Node::Literal(c as u32));
            }
        }
        Ok(())
    }

    fn escape_atom(&mut self, items: &mut Vec<Node>) -> Result<(), RegexError> {
        if let Some(next) = self.peek_at(1) {
            let look = match next {
                'A' => Some(Look::BeginText),
                'z' => Some(Look::EndText),
                'b' => Some(Look::WordBoundary),
                'B' => Some(Look::NotWordBoundary),
                _ => None,
            };
            if let Some(look) = look {
                self.i += 2;
                items.push(Node::Look(look));
                return Ok(());
            }
            if next == 'C' {
                return err("invalid escape sequence \\C");
            }
            if next == 'Q' {
                // `\Q...\E`: everything up to `\E` (or the end) is literal, including
                // the `$` the translation appended.
                self.i += 2;
                while self.i < self.s.len() {
                    if self.s[self.i] == '\\' && self.peek_at(1) == Some('E') {
                        self.i += 2;
                        break;
                    }
                    items.push(Node::Literal(self.s[self.i] as u32));
                    self.i += 1;
                }
                return Ok(());
            }
        }
        if let Some((cat, neg)) = self.unicode_class()? {
            items.push(Node::Class(CharClass {
                categories: vec![(cat, neg)],
                ..CharClass::default()
            }));
            return Ok(());
        }
        if let Some(set) = self.perl_class() {
            items.push(Node::Class(CharClass {
                set,
                ..CharClass::default()
            }));
            return Ok(());
        }
        let c = self.escape()?;
        items.push(Node::Literal(c));
        Ok(())
    }

    /// `\pX` / `\PX` at the cursor; `Ok(None)` when the cursor is not there.
    fn unicode_class(&mut self) -> Result<Option<(UnicodeCategory, bool)>, RegexError> {
        if self.peek_at(0) != Some('\\') || !matches!(self.peek_at(1), Some('p' | 'P')) {
            return Ok(None);
        }
        let negated = self.peek_at(1) == Some('P');
        let Some(name) = self.peek_at(2) else {
            return err("invalid character class range");
        };
        if name == '{' {
            // Braced names need a raw `{`, which the translation always escapes;
            // kept for completeness: only the one-letter categories are known here.
            return err("unsupported unicode class name");
        }
        let Some(cat) = UnicodeCategory::from_letter(name) else {
            return err("invalid character class range");
        };
        self.i += 3;
        Ok(Some((cat, negated)))
    }

    fn perl_class(&mut self) -> Option<ClassSet> {
        if self.peek_at(0) != Some('\\') {
            return None;
        }
        let set = perl_group(self.peek_at(1)?)?;
        self.i += 2;
        Some(set)
    }

    /// A single escaped character (Go's `parseEscape`), cursor on the backslash.
    fn escape(&mut self) -> Result<u32, RegexError> {
        self.i += 1;
        let Some(c) = self.peek_at(0) else {
            return err("trailing backslash at end of expression");
        };
        self.i += 1;
        let is_octal = |c: Option<char>| matches!(c, Some('0'..='7'));
        match c {
            '1'..='7' | '0' => {
                // A lone non-zero digit would be a backreference, which RE2 rejects.
                if c != '0' && !is_octal(self.peek_at(0)) {
                    return err("invalid escape sequence");
                }
                let mut r = c as u32 - '0' as u32;
                for _ in 0..2 {
                    match self.peek_at(0) {
                        Some(d @ '0'..='7') => {
                            r = r * 8 + (d as u32 - '0' as u32);
                            self.i += 1;
                        }
                        _ => break,
                    }
                }
                Ok(r)
            }
            'x' => {
                let Some(first) = self.peek_at(0) else {
                    return err("invalid escape sequence");
                };
                self.i += 1;
                if first == '{' {
                    let mut r: u32 = 0;
                    let mut digits = 0;
                    loop {
                        let Some(d) = self.peek_at(0) else {
                            return err("invalid escape sequence");
                        };
                        self.i += 1;
                        if d == '}' {
                            break;
                        }
                        let Some(v) = d.to_digit(16) else {
                            return err("invalid escape sequence");
                        };
                        r = r * 16 + v;
                        if r > 0x10FFFF {
                            return err("invalid escape sequence");
                        }
                        digits += 1;
                    }
                    if digits == 0 {
                        return err("invalid escape sequence");
                    }
                    return Ok(r);
                }
                let hi = first.to_digit(16);
                let lo = self.peek_at(0).and_then(|d| d.to_digit(16));
                if self.peek_at(0).is_some() {
                    self.i += 1;
                }
                match (hi, lo) {
                    (Some(hi), Some(lo)) => Ok(hi * 16 + lo),
                    _ => err("invalid escape sequence"),
                }
            }
            'a' => Ok(0x07),
            'f' => Ok(0x0C),
            'n' => Ok(0x0A),
            'r' => Ok(0x0D),
            't' => Ok(0x09),
            'v' => Ok(0x0B),
            c if c.is_ascii() && !c.is_ascii_alphanumeric() => Ok(c as u32),
            _ => err("invalid escape sequence"),
        }
    }

    /// A bracket class, cursor on `[` (Go's `parseClass`).
    fn class(&mut self) -> Result<CharClass, RegexError> {
        self.i += 1;
        let mut class = CharClass::default();
        if self.peek_at(0) == Some('^') {
            class.negated = true;
            self.i += 1;
        }
        // `]` is an ordinary member when it comes first.
        let mut first = true;
        loop {
            match self.peek_at(0) {
                None => return err("missing closing ]"),
                Some(']') if !first => {
                    self.i += 1;
                    break;
                }
                _ => {}
            }
            first = false;
            if self.peek_at(0) == Some('[') && self.peek_at(1) == Some(':') {
                if let Some(set) = self.named_class()? {
                    class.set.extend(&set);
                    continue;
                }
            }
            if let Some(cat) = self.unicode_class()? {
                class.categories.push(cat);
                continue;
            }
            if let Some(set) = self.perl_class() {
                class.set.extend(&set);
                continue;
            }
            let lo = self.class_char()?;
            let mut hi = lo;
            if self.peek_at(0) == Some('-') && matches!(self.peek_at(1), Some(c) if c != ']') {
                self.i += 1;
                hi = self.class_char()?;
                if hi < lo {
                    return err("invalid character class range");
                }
            }
            class.set.push(lo, hi);
        }
        class.set.normalize();
        Ok(class)
    }

    /// `[:name:]`: Go looks for the closing `:]` anywhere after the opening, even
    /// past the end of the class, and rejects unknown names.
    fn named_class(&mut self) -> Result<Option<ClassSet>, RegexError> {
        let from = self.i + 2;
        let close = match self.next_close {
            Some(Some(at)) if at >= from => Some(at),
            Some(None) => None,
            _ => {
                let found = self.s[from..]
                    .windows(2)
                    .position(|w| w == [':', ']'])
                    .map(|pos| from + pos);
                self.next_close = Some(found);
                found
            }
        };
        let Some(at) = close else {
            return Ok(None);
        };
        let end = at + 2;
        let name: String = self.s[self.i..end].iter().collect();
        match posix_group(&name) {
            Some(set) => {
                self.i = end;
                Ok(Some(set))
            }
            None => err("invalid character class range"),
        }
    }

    fn class_char(&mut self) -> Result<u32, RegexError> {
        match self.peek_at(0) {
            None => err("missing closing ]"),
            Some('\\') => self.escape(),
            Some(c) => {
                self.i += 1;
                Ok(c as u32)
            }
        }
    }
}
