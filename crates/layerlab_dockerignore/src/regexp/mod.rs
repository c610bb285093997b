//! A small regular-expression engine for the expressions BuildKit builds from
//! `.dockerignore` patterns, so the core needs no `regex` crate (about 0.75 MB of
//! wasm).
//!
//! [`Regex::new`] parses with Go's RE2 acceptance rules ([`parse`]), compiles to a
//! Thompson NFA and matches with a Pike VM: time is linear in `program × path`, so
//! no pattern can make matching hang. Go's `MatchString` semantics apply: the match
//! may end anywhere (the translation's trailing `$` is what anchors the end), and it
//! starts at offset 0 because every translated expression begins with `^`.

mod class;
mod parse;

pub(crate) use parse::RegexError;
use parse::{CharClass, Look, Node};

/// A compiled expression.
#[derive(Clone, Debug)]
pub(crate) struct Regex {
    prog: Vec<Inst>,
    /// Literal text every match starts with (a cheap pre-check).
    prefix: String,
    /// Literal text every match ends with, when the expression ends in `$`.
    suffix: String,
}

#[derive(Clone, Debug)]
enum Inst {
    Char(u32),
    Class(Box<CharClass>),
    AnyNotNewline,
    Look(Look),
    Split(u32, u32),
    Jump(u32),
    Match,
}

impl Regex {
    pub(crate) fn new(expr: &str) -> Result<Regex, RegexError> {
        let node = parse::parse(expr)?;
        let mut prog = Vec::new();
        compile(&node, &mut prog);
        prog.push(Inst::Match);
        let (prefix, suffix) = literal_affixes(&node);
        Ok(Regex {
            prog,
            prefix,
            suffix,
        })
    }

    /// Literal text every match starts with.
    pub(crate) fn prefix(&self) -> &str {
        &self.prefix
    }

    pub(crate) fn is_match(&self, text: &str) -> bool {
        if !has_prefix(text, &self.prefix) || !has_suffix(text, &self.suffix) {
            return false;
        }
        let words = self.prog.len().div_ceil(64);
        if words <= 4 {
            let mut a = [0u64; 4];
            let mut b = [0u64; 4];
            self.run(text, &mut a[..words], &mut b[..words])
        } else {
            let mut a = vec![0u64; words];
            let mut b = vec![0u64; words];
            self.run(text, &mut a, &mut b)
        }
    }

    /// The Pike VM: `cur` and `next` are bitsets of live instructions.
    fn run<'s>(&self, text: &str, mut cur: &'s mut [u64], mut next: &'s mut [u64]) -> bool {
        let mut stack = SmallStack::default();
        let mut chars = text.chars().peekable();
        let ctx = Context {
            prev: None,
            next: chars.peek().copied(),
        };
        if self.add(cur, 0, ctx, &mut stack) {
            return true;
        }
        while let Some(c) = chars.next() {
            next.iter_mut().for_each(|w| *w = 0);
            let ctx = Context {
                prev: Some(c),
                next: chars.peek().copied(),
            };
            let mut matched = false;
            let mut any = false;
            for (wi, &word) in cur.iter().enumerate() {
                let mut bits = word;
                while bits != 0 {
                    let bit = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    let pc = wi * 64 + bit;
                    let step = match &self.prog[pc] {
                        Inst::Char(x) => *x == c as u32,
                        Inst::Class(class) => class.matches(c as u32),
                        Inst::AnyNotNewline => c != '\n',
                        _ => false,
                    };
                    if step {
                        any = true;
                        matched |= self.add(next, pc + 1, ctx, &mut stack);
                    }
                }
            }
            if matched {
                return true;
            }
            if !any {
                return false;
            }
            std::mem::swap(&mut cur, &mut next);
        }
        false
    }

    /// Adds `pc` and its epsilon closure at a position; returns whether `Match` is
    /// reachable there.
    fn add(&self, set: &mut [u64], pc: usize, ctx: Context, stack: &mut SmallStack) -> bool {
        let mut matched = false;
        stack.push(pc as u32);
        while let Some(pc) = stack.pop() {
            let pc = pc as usize;
            let (w, b) = (pc / 64, 1u64 << (pc % 64));
            if set[w] & b != 0 {
                continue;
            }
            set[w] |= b;
            match &self.prog[pc] {
                Inst::Match => matched = true,
                Inst::Jump(t) => stack.push(*t),
                Inst::Split(x, y) => {
                    stack.push(*y);
                    stack.push(*x);
                }
                Inst::Look(look) => {
                    if ctx.satisfies(*look) {
                        stack.push(pc as u32 + 1);
                    }
                }
                Inst::Char(_) | Inst::Class(_) | Inst::AnyNotNewline => {}
            }
        }
        matched
    }
}

/// `text.starts_with(needle)`, testing the first byte before calling `memcmp`:
/// most patterns are rejected by it, and this runs ~40 times per path.
#[inline]
pub(crate) fn has_prefix(text: &str, needle: &str) -> bool {
    let (t, n) = (text.as_bytes(), needle.as_bytes());
    match n.first() {
        None => true,
        Some(&b) => t.len() >= n.len() && t[0] == b && &t[..n.len()] == n,
    }
}

/// `text.ends_with(needle)`, testing the last byte first.
#[inline]
pub(crate) fn has_suffix(text: &str, needle: &str) -> bool {
    let (t, n) = (text.as_bytes(), needle.as_bytes());
    match n.last() {
        None => true,
        Some(&b) => t.len() >= n.len() && t[t.len() - 1] == b && &t[t.len() - n.len()..] == n,
    }
}

#[derive(Clone, Copy)]
struct Context {
    prev: Option<char>,
    next: Option<char>,
}

impl Context {
    fn satisfies(self, look: Look) -> bool {
        // RE2's `\b` is ASCII-only.
        let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        match look {
            Look::BeginText => self.prev.is_none(),
            Look::EndText => self.next.is_none(),
            Look::WordBoundary => word(self.prev) != word(self.next),
            Look::NotWordBoundary => word(self.prev) == word(self.next),
        }
    }
}

/// A work stack that stays on the machine stack for ordinary programs.
#[derive(Default)]
struct SmallStack {
    inline: [u32; 32],
    len: usize,
    spill: Vec<u32>,
}

impl SmallStack {
    fn push(&mut self, v: u32) {
        if self.len < self.inline.len() {
            self.inline[self.len] = v;
            self.len += 1;
        } else {
            self.spill.push(v);
        }
    }

    fn pop(&mut self) -> Option<u32> {
        if let Some(v) = self.spill.pop() {
            return Some(v);
        }
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        Some(self.inline[self.len])
    }
}

fn compile(node: &Node, prog: &mut Vec<Inst>) {
    let here = |prog: &Vec<Inst>| prog.len() as u32;
    match node {
        Node::Literal(c) => prog.push(Inst::Char(*c)),
        Node::Class(class) => prog.push(Inst::Class(Box::new(class.clone()))),
        Node::AnyNotNewline => prog.push(Inst::AnyNotNewline),
        Node::Look(look) => prog.push(Inst::Look(*look)),
        Node::Concat(items) => items.iter().for_each(|it| compile(it, prog)),
        Node::Repeat { node, min, many } => {
            if *min == 1 {
                // x+ : L: x; split L, out
                let start = here(prog);
                compile(node, prog);
                let out = here(prog) + 1;
                prog.push(Inst::Split(start, out));
            } else if *many {
                // x* : L: split body, out; body: x; jump L
                let split = prog.len();
                prog.push(Inst::Split(0, 0));
                compile(node, prog);
                prog.push(Inst::Jump(split as u32));
                let out = here(prog);
                prog[split] = Inst::Split(split as u32 + 1, out);
            } else {
                // x? : split body, out; body: x
                let split = prog.len();
                prog.push(Inst::Split(0, 0));
                compile(node, prog);
                let out = here(prog);
                prog[split] = Inst::Split(split as u32 + 1, out);
            }
        }
    }
}

/// The literal text right after a leading `^` and right before a trailing `$`.
fn literal_affixes(node: &Node) -> (String, String) {
    let Node::Concat(items) = node else {
        return (String::new(), String::new());
    };
    let mut prefix = String::new();
    if let Some(Node::Look(Look::BeginText)) = items.first() {
        for it in &items[1..] {
            match it {
                Node::Literal(c) => match char::from_u32(*c) {
                    Some(ch) => prefix.push(ch),
                    None => break,
                },
                _ => break,
            }
        }
    }
    let mut suffix: Vec<char> = Vec::new();
    if let Some(Node::Look(Look::EndText)) = items.last() {
        for it in items[..items.len() - 1].iter().rev() {
            match it {
                Node::Literal(c) => match char::from_u32(*c) {
                    Some(ch) => suffix.push(ch),
                    None => break,
                },
                _ => break,
            }
        }
    }
    suffix.reverse();
    (prefix, suffix.into_iter().collect())
}

#[cfg(test)]
mod tests;
