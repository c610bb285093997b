//! Tokens and words: the lexical half of the parser.
//!
//! Shell lexing depends on the grammar (here-document bodies start after the next
//! newline token; `$(..)` contains a whole script), so the lexer is a set of methods on
//! [`Parser`] rather than a separate pass, the way dash's `readtoken` works. Words keep
//! their quoting as [`WordPart`]s; nothing is expanded here.

use crate::ast::{HereDoc, Param, ParamOp, Script, Word, WordPart};
use crate::parser::{Origin, PResult, ParseError, Parser};
use layerlab_text::TextRange;
use std::cell::OnceCell;
use std::rc::Rc;

/// Operators (XCU 2.10.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    AndIf,
    OrIf,
    DSemi,
    Semi,
    Amp,
    Pipe,
    LParen,
    RParen,
    Less,
    Great,
    DGreat,
    DLess,
    DLessDash,
    LessAnd,
    GreatAnd,
    LessGreat,
    Clobber,
}

impl Op {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Op::AndIf => "&&",
            Op::OrIf => "||",
            Op::DSemi => ";;",
            Op::Semi => ";",
            Op::Amp => "&",
            Op::Pipe => "|",
            Op::LParen => "(",
            Op::RParen => ")",
            Op::Less => "<",
            Op::Great => ">",
            Op::DGreat => ">>",
            Op::DLess => "<<",
            Op::DLessDash => "<<-",
            Op::LessAnd => "<&",
            Op::GreatAnd => ">&",
            Op::LessGreat => "<>",
            Op::Clobber => ">|",
        }
    }
}

/// Not `PartialEq` on purpose: comparing tokens (use `matches!`) would link the derived
/// equality of the whole syntax tree that a `Word` holds, ~1 KB gzipped in the page.
#[derive(Clone, Debug)]
pub(crate) enum Tok {
    Word(Word),
    IoNumber(u32),
    Op(Op),
    Newline,
    Eof,
}

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub(crate) tok: Tok,
    pub(crate) start: usize,
}

/// A here-document whose body is still to be read (after the next newline).
pub(crate) struct PendingHereDoc {
    pub(crate) delim: String,
    pub(crate) strip_tabs: bool,
    pub(crate) quoted: bool,
    pub(crate) body: Rc<OnceCell<Word>>,
}

/// Where a run of word characters stops.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// An ordinary word: stops at blanks and operators.
    Normal,
    /// Inside `"..."`: stops at the closing quote.
    DQuote,
    /// The word of `${x:-word}`: stops at `}`.
    Brace,
    /// A here-document body: runs to the end of the text.
    HereDoc,
    /// Inside `$((..))`: stops at the `)` that closes the expression.
    Arith,
}

fn is_meta(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')'
    )
}

pub(crate) fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

pub(crate) fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Accumulates literal text and flushes it as a part of the right kind.
struct PartsBuf {
    parts: Vec<WordPart>,
    lit: String,
    quoted: bool,
}

impl PartsBuf {
    fn new(quoted: bool) -> Self {
        PartsBuf {
            parts: Vec::new(),
            lit: String::new(),
            quoted,
        }
    }
    fn flush(&mut self) {
        if !self.lit.is_empty() {
            let s = std::mem::take(&mut self.lit);
            self.parts.push(if self.quoted {
                WordPart::Quoted(s)
            } else {
                WordPart::Lit(s)
            });
        }
    }
    fn push(&mut self, part: WordPart) {
        self.flush();
        self.parts.push(part);
    }
    fn finish(mut self) -> Vec<WordPart> {
        self.flush();
        self.parts
    }
    fn is_empty(&self) -> bool {
        self.parts.is_empty() && self.lit.is_empty()
    }
}

impl Parser<'_> {
    pub(crate) fn peek_byte(&self) -> Option<u8> {
        self.src.as_bytes().get(self.pos).copied()
    }

    fn byte_at(&self, off: usize) -> Option<u8> {
        self.src.as_bytes().get(self.pos + off).copied()
    }

    /// Consumes one character (whole UTF-8 sequence) and returns it.
    fn bump_char(&mut self) -> Option<char> {
        let c = self.src[self.pos..].chars().next()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    pub(crate) fn range_from(&self, start: usize) -> TextRange {
        TextRange::new(self.abs(start), self.abs(self.pos))
    }

    pub(crate) fn error_here(&self, message: impl Into<String>) -> Box<ParseError> {
        Box::new(ParseError {
            message: message.into(),
            range: self.range_from(self.pos),
            line: self.line,
        })
    }

    /// Lexes the next token.
    pub(crate) fn lex(&mut self) -> PResult<Token> {
        loop {
            match self.peek_byte() {
                Some(b' ' | b'\t' | b'\r') => self.pos += 1,
                Some(b'\\') if self.byte_at(1) == Some(b'\n') => {
                    self.pos += 2;
                    self.line += 1;
                }
                Some(b'#') => {
                    while let Some(c) = self.peek_byte() {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        let start = self.pos;
        let Some(c) = self.peek_byte() else {
            return Ok(Token {
                tok: Tok::Eof,
                start,
            });
        };
        if c == b'\n' {
            self.pos += 1;
            self.line += 1;
            self.read_heredoc_bodies()?;
            return Ok(Token {
                tok: Tok::Newline,
                start,
            });
        }
        let two = (c, self.byte_at(1).unwrap_or(0));
        let op = match two {
            (b'&', b'&') => Some((Op::AndIf, 2)),
            (b'|', b'|') => Some((Op::OrIf, 2)),
            (b';', b';') => Some((Op::DSemi, 2)),
            (b'<', b'<') if self.byte_at(2) == Some(b'-') => Some((Op::DLessDash, 3)),
            (b'<', b'<') => Some((Op::DLess, 2)),
            (b'<', b'&') => Some((Op::LessAnd, 2)),
            (b'<', b'>') => Some((Op::LessGreat, 2)),
            (b'>', b'>') => Some((Op::DGreat, 2)),
            (b'>', b'&') => Some((Op::GreatAnd, 2)),
            (b'>', b'|') => Some((Op::Clobber, 2)),
            (b';', _) => Some((Op::Semi, 1)),
            (b'&', _) => Some((Op::Amp, 1)),
            (b'|', _) => Some((Op::Pipe, 1)),
            (b'(', _) => Some((Op::LParen, 1)),
            (b')', _) => Some((Op::RParen, 1)),
            (b'<', _) => Some((Op::Less, 1)),
            (b'>', _) => Some((Op::Great, 1)),
            _ => None,
        };
        if let Some((op, len)) = op {
            self.pos += len;
            return Ok(Token {
                tok: Tok::Op(op),
                start,
            });
        }
        let parts = self.read_parts(Mode::Normal)?;
        let word = Word {
            parts,
            range: self.range_from(start),
        };
        // `2>file`: a digit-only word directly followed by `<` or `>` is an fd number.
        if let Some(digits) = word.as_plain() {
            if digits.bytes().all(|b| b.is_ascii_digit())
                && matches!(self.peek_byte(), Some(b'<' | b'>'))
            {
                if let Ok(n) = digits.parse::<u32>() {
                    return Ok(Token {
                        tok: Tok::IoNumber(n),
                        start,
                    });
                }
            }
        }
        Ok(Token {
            tok: Tok::Word(word),
            start,
        })
    }

    fn read_parts(&mut self, mode: Mode) -> PResult<Vec<WordPart>> {
        let quoted = matches!(mode, Mode::DQuote | Mode::HereDoc);
        let mut buf = PartsBuf::new(quoted);
        let mut paren_depth = 0u32;
        while let Some(c) = self.peek_byte() {
            match (mode, c) {
                (Mode::Normal, c) if is_meta(c) => break,
                (Mode::DQuote, b'"') | (Mode::Brace, b'}') => break,
                (Mode::Arith, b'(') => paren_depth += 1,
                (Mode::Arith, b')') if paren_depth == 0 => break,
                (Mode::Arith, b')') => paren_depth -= 1,
                _ => {}
            }
            match c {
                b'\\' => {
                    self.pos += 1;
                    let Some(next) = self.peek_byte() else {
                        buf.lit.push('\\');
                        break;
                    };
                    if next == b'\n' {
                        self.pos += 1;
                        self.line += 1;
                        continue;
                    }
                    let escapable = match mode {
                        Mode::Normal | Mode::Brace => true,
                        Mode::DQuote => matches!(next, b'$' | b'`' | b'"' | b'\\'),
                        Mode::HereDoc | Mode::Arith => matches!(next, b'$' | b'`' | b'\\'),
                    };
                    if escapable {
                        let ch = self.bump_char().unwrap_or('\\');
                        buf.push(WordPart::Quoted(ch.to_string()));
                    } else {
                        buf.lit.push('\\');
                    }
                }
                b'\'' if matches!(mode, Mode::Normal | Mode::Brace) => {
                    let start = self.pos;
                    self.pos += 1;
                    let Some(len) = self.src[self.pos..].find('\'') else {
                        self.pos = start;
                        return Err(self.error_here("Unterminated quoted string"));
                    };
                    let text = &self.src[self.pos..self.pos + len];
                    self.line += text.matches('\n').count() as u32;
                    buf.push(WordPart::Quoted(text.to_owned()));
                    self.pos += len + 1;
                }
                b'"' if matches!(mode, Mode::Normal | Mode::Brace) => {
                    self.pos += 1;
                    let inner = self.read_parts(Mode::DQuote)?;
                    if self.peek_byte() != Some(b'"') {
                        return Err(self.error_here("Unterminated quoted string"));
                    }
                    self.pos += 1;
                    buf.push(WordPart::DoubleQuoted(inner));
                }
                b'$' => {
                    self.pos += 1;
                    match self.read_dollar()? {
                        Some(part) => buf.push(part),
                        None => buf.lit.push('$'),
                    }
                }
                b'`' => {
                    let part = self.read_backquote(mode == Mode::DQuote)?;
                    buf.push(part);
                }
                b'~' if mode == Mode::Normal && buf.is_empty() => {
                    self.pos += 1;
                    let start = self.pos;
                    while let Some(b) = self.peek_byte() {
                        if b == b'/' || is_meta(b) || !(is_name_char(b) || b == b'-' || b == b'.') {
                            break;
                        }
                        self.pos += 1;
                    }
                    let user = self.src[start..self.pos].to_owned();
                    match self.peek_byte() {
                        None | Some(b'/') => buf.push(WordPart::Tilde(user)),
                        Some(b) if is_meta(b) => buf.push(WordPart::Tilde(user)),
                        _ => {
                            buf.lit.push('~');
                            buf.lit.push_str(&user);
                        }
                    }
                }
                _ => {
                    if let Some(ch) = self.bump_char() {
                        buf.lit.push(ch);
                    }
                }
            }
        }
        if mode == Mode::DQuote && self.peek_byte().is_none() {
            return Err(self.error_here("Unterminated quoted string"));
        }
        Ok(buf.finish())
    }

    /// After a `$`: a parameter, command substitution or arithmetic; `None` when the `$`
    /// is literal.
    fn read_dollar(&mut self) -> PResult<Option<WordPart>> {
        let Some(c) = self.peek_byte() else {
            return Ok(None);
        };
        match c {
            b'{' => {
                self.pos += 1;
                self.read_brace_param().map(Some)
            }
            b'(' if self.byte_at(1) == Some(b'(') => {
                self.pos += 2;
                self.enter()?;
                let parts = self.read_parts(Mode::Arith)?;
                self.leave();
                if self.peek_byte() != Some(b')') || self.byte_at(1) != Some(b')') {
                    return Err(self.error_here("Missing '))'"));
                }
                self.pos += 2;
                Ok(Some(WordPart::Arith(parts)))
            }
            b'(' => {
                self.pos += 1;
                let script = self.parse_command_sub()?;
                Ok(Some(WordPart::CommandSub(Rc::new(script))))
            }
            c if is_name_start(c) => {
                let start = self.pos;
                while self.peek_byte().is_some_and(is_name_char) {
                    self.pos += 1;
                }
                Ok(Some(param(&self.src[start..self.pos], ParamOp::Plain)))
            }
            c if c.is_ascii_digit() || b"@*#?-$!".contains(&c) => {
                self.pos += 1;
                Ok(Some(param(&(c as char).to_string(), ParamOp::Plain)))
            }
            _ => Ok(None),
        }
    }

    fn read_brace_param(&mut self) -> PResult<WordPart> {
        let bad = |p: &Self| p.error_here("Bad substitution");
        // `${#name}` is a length; `${#}` and `${#-x}`-like forms name `#` itself.
        let mut length = false;
        if self.peek_byte() == Some(b'#')
            && self
                .byte_at(1)
                .is_some_and(|b| is_name_char(b) || b"@*?-$!".contains(&b))
        {
            length = true;
            self.pos += 1;
        }
        let start = self.pos;
        match self.peek_byte() {
            Some(c) if is_name_start(c) => {
                while self.peek_byte().is_some_and(is_name_char) {
                    self.pos += 1;
                }
            }
            Some(c) if c.is_ascii_digit() => {
                while self.peek_byte().is_some_and(|b| b.is_ascii_digit()) {
                    self.pos += 1;
                }
            }
            Some(c) if b"@*#?-$!".contains(&c) => self.pos += 1,
            None => return Err(self.error_here("Missing '}'")),
            _ => return Err(bad(self)),
        }
        let name = self.src[start..self.pos].to_owned();
        if length {
            if self.peek_byte() != Some(b'}') {
                return Err(bad(self));
            }
            self.pos += 1;
            return Ok(param(&name, ParamOp::Length));
        }
        let colon = self.peek_byte() == Some(b':');
        if colon {
            self.pos += 1;
        }
        let Some(c) = self.peek_byte() else {
            return Err(self.error_here("Missing '}'"));
        };
        if c == b'}' && !colon {
            self.pos += 1;
            return Ok(param(&name, ParamOp::Plain));
        }
        let double = matches!(c, b'%' | b'#') && self.byte_at(1) == Some(c);
        if !b"-=?+%#".contains(&c) || (colon && matches!(c, b'%' | b'#')) {
            return Err(bad(self));
        }
        self.pos += if double { 2 } else { 1 };
        let wstart = self.pos;
        self.enter()?;
        let parts = self.read_parts(Mode::Brace)?;
        self.leave();
        if self.peek_byte() != Some(b'}') {
            return Err(self.error_here("Missing '}'"));
        }
        let word = Word {
            parts,
            range: self.range_from(wstart),
        };
        self.pos += 1;
        let op = match c {
            b'-' => ParamOp::Default(colon, word),
            b'=' => ParamOp::Assign(colon, word),
            b'?' => ParamOp::Error(colon, word),
            b'+' => ParamOp::Alternative(colon, word),
            b'%' => ParamOp::RemoveSuffix(double, word),
            _ => ParamOp::RemovePrefix(double, word),
        };
        Ok(param(&name, op))
    }

    /// `` `cmd` ``: backslashes before `$`, `` ` `` and `\` (and `"` inside double
    /// quotes) are removed, then the text is parsed as a script of its own.
    fn read_backquote(&mut self, in_dquote: bool) -> PResult<WordPart> {
        let open = self.pos;
        self.pos += 1;
        let mut text = String::new();
        // The script offset of each byte of `text` (backslashes removed shift them).
        let mut map = Vec::new();
        loop {
            let at = self.pos;
            match self.bump_char() {
                None => {
                    self.pos = open;
                    return Err(self.error_here("EOF in backquote substitution"));
                }
                Some('`') => {
                    map.push(u32::from(self.abs(at)));
                    break;
                }
                Some('\\') => {
                    let next = self.pos;
                    match self.peek_byte() {
                        Some(b'$' | b'`' | b'\\') => {
                            let c = self.bump_char().unwrap_or('\\');
                            self.push_mapped(&mut text, &mut map, c, next);
                        }
                        Some(b'"') if in_dquote => {
                            let c = self.bump_char().unwrap_or('\\');
                            self.push_mapped(&mut text, &mut map, c, next);
                        }
                        _ => self.push_mapped(&mut text, &mut map, '\\', at),
                    }
                }
                Some(ch) => self.push_mapped(&mut text, &mut map, ch, at),
            }
        }
        self.enter()?;
        let mut sub = Parser::with_origin(&text, Origin::Map(map.into()));
        sub.depth = self.depth;
        sub.line = self.line;
        let script = sub.parse_script();
        self.leave();
        Ok(WordPart::CommandSub(Rc::new(script?)))
    }

    /// Appends `c`, read at `at` in `src`, to a sub-parser's copy and its offset map.
    fn push_mapped(&self, text: &mut String, map: &mut Vec<u32>, c: char, at: usize) {
        text.push(c);
        for i in 0..c.len_utf8() {
            map.push(u32::from(self.abs(at + i)));
        }
    }

    fn parse_command_sub(&mut self) -> PResult<Script> {
        self.enter()?;
        let saved = self.peeked.take();
        let body = self.parse_list()?;
        match self.next()? {
            Token {
                tok: Tok::Op(Op::RParen),
                ..
            } => {}
            tok => return Err(self.unexpected(&tok, Some(")"))),
        }
        self.peeked = saved;
        self.leave();
        Ok(Script { body })
    }

    /// Registers a here-document whose body follows the next newline.
    pub(crate) fn push_heredoc(&mut self, delim: &Word, strip_tabs: bool) -> HereDoc {
        let body = Rc::new(OnceCell::new());
        self.pending.push(PendingHereDoc {
            delim: delim.to_unexpanded(),
            strip_tabs,
            quoted: delim.is_quoted(),
            body: body.clone(),
        });
        HereDoc { body }
    }

    /// Reads the bodies of all pending here-documents, line by line, up to each
    /// delimiter line; at the end of the text a body simply ends (dash accepts that).
    fn read_heredoc_bodies(&mut self) -> PResult<()> {
        for doc in std::mem::take(&mut self.pending) {
            let start = self.pos;
            let first_line = self.line;
            let mut text = String::new();
            // The script offset of each byte of `text`: stripped tabs shift them, and
            // a body that ends with the script gets a newline the script lacks.
            let mut map = Vec::new();
            let mut end = start;
            while self.pos < self.src.len() {
                let line_start = self.pos;
                let rest = &self.src[self.pos..];
                let (line, next) = match rest.find('\n') {
                    Some(i) => (&rest[..i], self.pos + i + 1),
                    None => (rest, self.src.len()),
                };
                let kept = if doc.strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                let skipped = line.len() - kept.len();
                self.pos = next;
                self.line += 1;
                if kept == doc.delim {
                    break;
                }
                text.push_str(kept);
                text.push('\n');
                // Each kept byte, then the newline (or the end of the script).
                let kept_start = line_start + skipped;
                map.extend((0..=kept.len()).map(|i| u32::from(self.abs(kept_start + i))));
                end = next;
            }
            map.push(u32::from(self.abs(end)));
            let body = if doc.quoted {
                Word {
                    parts: vec![WordPart::Quoted(text)],
                    range: self.range_from(start),
                }
            } else {
                let mut sub = Parser::with_origin(&text, Origin::Map(map.into()));
                sub.depth = self.depth;
                sub.line = first_line;
                self.enter()?;
                let parts = sub.read_parts(Mode::HereDoc);
                self.leave();
                Word {
                    parts: parts?,
                    range: self.range_from(start),
                }
            };
            let _ = doc.body.set(body);
        }
        Ok(())
    }
}

fn param(name: &str, op: ParamOp) -> WordPart {
    WordPart::Param(Box::new(Param {
        name: name.to_owned(),
        op,
    }))
}
