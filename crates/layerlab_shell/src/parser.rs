//! The grammar half of the parser: scripts, lists, pipelines and commands.
//!
//! Recursive descent over the POSIX grammar (XCU 2.10.2) with one token of lookahead.
//! Errors use dash's wording (`Syntax error: "fi" unexpected (expecting "then")`), since
//! `/bin/sh` in Debian-based images is dash and build logs show its messages. Nesting is
//! capped at [`MAX_DEPTH`] so hostile input cannot overflow the stack.

use crate::ast::{
    AndOr, AndOrOp, Assign, CaseArm, Command, Compound, List, Pipeline, RedirOp, RedirTarget,
    Redirect, Script, SimpleCommand, Word, WordPart,
};
use crate::lexer::{is_name_char, is_name_start, Op, PendingHereDoc, Tok, Token};
use layerlab_text::{TextRange, TextSize};
use std::fmt;
use std::fmt::Write as _;
use std::rc::Rc;

/// Deepest nesting of compound commands, substitutions and parameter words.
pub const MAX_DEPTH: u32 = 100;

/// A syntax error, worded like dash's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The text after `Syntax error: `, e.g. `"fi" unexpected (expecting "then")`.
    pub message: String,
    /// Where the parser stopped.
    pub range: TextRange,
    /// 1-based line, as in `sh: 3: Syntax error: ...`.
    pub line: u32,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // dash reports a bad `${..}` without the "Syntax error" prefix.
        if self.message == "Bad substitution" {
            return f.write_str(&self.message);
        }
        write!(f, "Syntax error: {}", self.message)
    }
}

impl std::error::Error for ParseError {}

/// Parses a whole script (the argument of `sh -c`, or a here-doc `RUN` body).
///
/// # Errors
/// The first syntax error; the shell reports it and exits with status 2.
pub fn parse(src: &str) -> Result<Script, ParseError> {
    Parser::new(src, 0).parse_script().map_err(|e| *e)
}

/// The parser's result. The error is boxed: it is rare and several words long, and a
/// one-word error makes each of the parser's ~150 `?` cheaper.
pub(crate) type PResult<T> = Result<T, Box<ParseError>>;

/// Where a parser's text sits in the script that spans refer to.
///
/// The top-level parser reads the script itself. Sub-parsers of backquotes and
/// unquoted here-document bodies read edited copies (backslashes removed, leading tabs
/// stripped, a final newline added at the end of the script), whose offsets drift from
/// the script's: they carry the script offset of every byte of their copy instead.
#[derive(Clone, Debug)]
pub(crate) enum Origin {
    /// The text is the script from this offset on.
    At(u32),
    /// `map[i]` is the script offset of byte `i` of the copy; the last entry is where
    /// the copy ends.
    Map(Rc<[u32]>),
}

pub(crate) struct Parser<'a> {
    pub(crate) src: &'a str,
    pub(crate) pos: usize,
    /// Where `src` is in the text spans refer to (see [`Origin`]).
    pub(crate) origin: Origin,
    pub(crate) line: u32,
    pub(crate) peeked: Option<Token>,
    pub(crate) pending: Vec<PendingHereDoc>,
    pub(crate) depth: u32,
    /// Parse bash's `[[ .. ]]`, whose `&&`, `||`, `(`, `)`, `<`, `>` are words.
    pub(crate) bash: bool,
}

const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "{",
    "}", "!", "in",
];

impl<'a> Parser<'a> {
    pub(crate) fn new(src: &'a str, base: u32) -> Self {
        Self::with_origin(src, Origin::At(base))
    }

    /// A parser over an edited copy of the script (see [`Origin::Map`]).
    pub(crate) fn with_origin(src: &'a str, origin: Origin) -> Self {
        Parser {
            src,
            pos: 0,
            origin,
            line: 1,
            peeked: None,
            pending: Vec::new(),
            depth: 0,
            bash: false,
        }
    }

    /// The script offset of byte `pos` of `src`.
    pub(crate) fn abs(&self, pos: usize) -> TextSize {
        TextSize::from(match &self.origin {
            Origin::At(base) => base + pos as u32,
            Origin::Map(map) => map[pos.min(map.len() - 1)],
        })
    }

    pub(crate) fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here("nesting too deep"));
        }
        Ok(())
    }

    pub(crate) fn leave(&mut self) {
        self.depth -= 1;
    }

    fn peek(&mut self) -> PResult<&Tok> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lex()?);
        }
        Ok(&self.peeked.as_ref().expect("just filled").tok)
    }

    pub(crate) fn next(&mut self) -> PResult<Token> {
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => self.lex(),
        }
    }

    /// The peeked token is this reserved word (only meaningful in command position).
    fn peek_reserved(&mut self, word: &str) -> PResult<bool> {
        Ok(matches!(self.peek()?, Tok::Word(w) if w.as_plain() == Some(word)))
    }

    fn peek_op(&mut self, op: Op) -> PResult<bool> {
        Ok(matches!(self.peek()?, Tok::Op(o) if *o == op))
    }

    fn skip_newlines(&mut self) -> PResult<()> {
        while matches!(self.peek()?, Tok::Newline) {
            self.next()?;
        }
        Ok(())
    }

    pub(crate) fn unexpected(&self, tok: &Token, expecting: Option<&str>) -> Box<ParseError> {
        let what = match &tok.tok {
            Tok::Eof => "end of file".to_owned(),
            Tok::Newline => "newline".to_owned(),
            Tok::Op(op) => format!("\"{}\"", op.as_str()),
            // dash quotes reserved words but calls any other word just "word".
            Tok::Word(w) => match w.as_plain().filter(|p| RESERVED.contains(p)) {
                Some(r) => format!("\"{r}\""),
                None => "word".to_owned(),
            },
            Tok::IoNumber(n) => format!("\"{n}\""),
        };
        let mut message = format!("{what} unexpected");
        if let Some(e) = expecting {
            let _ = write!(message, " (expecting \"{e}\")");
        }
        Box::new(ParseError {
            message,
            range: TextRange::empty(self.abs(tok.start)),
            line: self.line,
        })
    }

    fn expect_reserved(&mut self, word: &str) -> PResult<()> {
        if self.peek_reserved(word)? {
            self.next()?;
            return Ok(());
        }
        let tok = self.next()?;
        Err(self.unexpected(&tok, Some(word)))
    }

    pub(crate) fn parse_script(&mut self) -> PResult<Script> {
        let body = self.parse_list()?;
        let tok = self.next()?;
        if !matches!(tok.tok, Tok::Eof) {
            return Err(self.unexpected(&tok, None));
        }
        Ok(Script { body })
    }

    /// The next top-level command line (and-or lists up to a newline), or `None` at the
    /// end. Shells parse and run one line at a time, so a syntax error on line 3 only
    /// appears after lines 1 and 2 ran.
    pub(crate) fn parse_line(&mut self) -> PResult<Option<List>> {
        self.skip_newlines()?;
        if matches!(self.peek()?, Tok::Eof) {
            return Ok(None);
        }
        let mut items = Vec::new();
        loop {
            let mut item = self.parse_and_or()?;
            let sep = match self.peek()? {
                Tok::Op(Op::Semi) => true,
                Tok::Op(Op::Amp) => {
                    item.background = true;
                    true
                }
                Tok::Newline | Tok::Eof => false,
                _ => {
                    let tok = self.next()?;
                    return Err(self.unexpected(&tok, None));
                }
            };
            items.push(item);
            if sep {
                self.next()?;
                if matches!(self.peek()?, Tok::Newline | Tok::Eof) {
                    break;
                }
                continue;
            }
            break;
        }
        Ok(Some(List { items }))
    }

    /// True when the peeked token ends a list: end of input, `)`, `;;`, or a reserved
    /// word that closes a compound command.
    fn at_list_end(&mut self) -> PResult<bool> {
        Ok(match self.peek()? {
            Tok::Eof | Tok::Op(Op::RParen | Op::DSemi) => true,
            Tok::Word(w) => matches!(
                w.as_plain(),
                Some("then" | "else" | "elif" | "fi" | "do" | "done" | "esac" | "}")
            ),
            _ => false,
        })
    }

    /// A (possibly empty) list of and-or lists separated by `;`, `&` or newlines.
    pub(crate) fn parse_list(&mut self) -> PResult<List> {
        let mut items = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.at_list_end()? {
                break;
            }
            let mut item = self.parse_and_or()?;
            match self.peek()? {
                Tok::Op(Op::Semi) => {
                    self.next()?;
                }
                Tok::Op(Op::Amp) => {
                    self.next()?;
                    item.background = true;
                }
                Tok::Newline => {}
                _ => {
                    items.push(item);
                    break;
                }
            }
            items.push(item);
        }
        Ok(List { items })
    }

    /// A list that must hold at least one command (bodies of compound commands).
    fn parse_body(&mut self, expecting: &str) -> PResult<List> {
        let list = self.parse_list()?;
        if list.items.is_empty() {
            let tok = self.next()?;
            return Err(self.unexpected(
                &tok,
                Some(expecting).filter(|_| matches!(tok.tok, Tok::Eof)),
            ));
        }
        Ok(list)
    }

    fn parse_and_or(&mut self) -> PResult<AndOr> {
        let first = self.parse_pipeline()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek()? {
                Tok::Op(Op::AndIf) => AndOrOp::And,
                Tok::Op(Op::OrIf) => AndOrOp::Or,
                _ => break,
            };
            self.next()?;
            self.skip_newlines()?;
            rest.push((op, self.parse_pipeline()?));
        }
        Ok(AndOr {
            first,
            rest,
            background: false,
        })
    }

    fn parse_pipeline(&mut self) -> PResult<Pipeline> {
        let bang = self.peek_reserved("!")?;
        if bang {
            self.next()?;
        }
        let mut commands = vec![self.parse_command()?];
        while self.peek_op(Op::Pipe)? {
            self.next()?;
            self.skip_newlines()?;
            commands.push(self.parse_command()?);
        }
        Ok(Pipeline { bang, commands })
    }

    fn parse_command(&mut self) -> PResult<Command> {
        self.enter()?;
        let res = self.parse_command_inner();
        self.leave();
        res
    }

    fn parse_command_inner(&mut self) -> PResult<Command> {
        let compound = match self.peek()? {
            Tok::Op(Op::LParen) => {
                self.next()?;
                let body = self.parse_body(")")?;
                let tok = self.next()?;
                if !matches!(tok.tok, Tok::Op(Op::RParen)) {
                    return Err(self.unexpected(&tok, Some(")")));
                }
                Compound::Subshell(body)
            }
            Tok::Word(w) => match w.as_plain() {
                Some("{") => {
                    self.next()?;
                    let body = self.parse_body("}")?;
                    self.expect_reserved("}")?;
                    Compound::Brace(body)
                }
                Some("if") => self.parse_if()?,
                Some("while") => self.parse_while(false)?,
                Some("until") => self.parse_while(true)?,
                Some("for") => self.parse_for()?,
                Some("case") => self.parse_case()?,
                Some(w) if RESERVED.contains(&w) && w != "!" && w != "in" => {
                    let tok = self.next()?;
                    return Err(self.unexpected(&tok, None));
                }
                _ => return self.parse_simple(),
            },
            Tok::IoNumber(_) | Tok::Op(_) => return self.parse_simple(),
            _ => {
                let tok = self.next()?;
                return Err(self.unexpected(&tok, None));
            }
        };
        let redirects = self.parse_redirects()?;
        Ok(Command::Compound(Box::new(compound), redirects))
    }

    fn parse_redirects(&mut self) -> PResult<Vec<Redirect>> {
        let mut out = Vec::new();
        while let Some(r) = self.try_redirect()? {
            out.push(r);
        }
        Ok(out)
    }

    fn try_redirect(&mut self) -> PResult<Option<Redirect>> {
        let fd = match self.peek()? {
            Tok::IoNumber(n) => {
                let n = *n;
                self.next()?;
                Some(n)
            }
            _ => None,
        };
        let op = match self.peek()? {
            Tok::Op(Op::Less) => RedirOp::In,
            Tok::Op(Op::Great) => RedirOp::Out,
            Tok::Op(Op::DGreat) => RedirOp::Append,
            Tok::Op(Op::Clobber) => RedirOp::Clobber,
            Tok::Op(Op::LessAnd) => RedirOp::DupIn,
            Tok::Op(Op::GreatAnd) => RedirOp::DupOut,
            Tok::Op(Op::LessGreat) => RedirOp::ReadWrite,
            Tok::Op(Op::DLess | Op::DLessDash) => RedirOp::HereDoc,
            _ if fd.is_some() => {
                let tok = self.next()?;
                return Err(self.unexpected(&tok, None));
            }
            _ => return Ok(None),
        };
        let strip_tabs = matches!(self.peek()?, Tok::Op(Op::DLessDash));
        self.next()?;
        let tok = self.next()?;
        let Tok::Word(word) = tok.tok else {
            return Err(self.unexpected(&tok, None));
        };
        let target = if op == RedirOp::HereDoc {
            RedirTarget::HereDoc(self.push_heredoc(&word, strip_tabs))
        } else {
            RedirTarget::Word(word)
        };
        Ok(Some(Redirect { fd, op, target }))
    }

    fn parse_simple(&mut self) -> PResult<Command> {
        let start = self.peeked.as_ref().map_or(self.pos, |t| t.start);
        let line = self.line;
        let mut cmd = SimpleCommand {
            assigns: Vec::new(),
            words: Vec::new(),
            redirects: Vec::new(),
            line,
            range: TextRange::default(),
        };
        loop {
            if let Some(r) = self.try_redirect()? {
                cmd.redirects.push(r);
                continue;
            }
            let Tok::Word(w) = self.peek()? else { break };
            let w = w.clone();
            self.next()?;
            if self.bash && cmd.words.is_empty() && w.as_plain() == Some("[[") {
                cmd.words.push(w);
                self.parse_cond_words(&mut cmd.words)?;
                continue;
            }
            if cmd.words.is_empty() {
                if let Some(a) = as_assignment(&w) {
                    cmd.assigns.push(a);
                    continue;
                }
                // `name() body`: a function definition.
                if cmd.assigns.is_empty() && cmd.redirects.is_empty() && self.peek_op(Op::LParen)? {
                    if let Some(name) = w.as_plain().filter(|n| is_valid_name(n)) {
                        let name = name.to_owned();
                        self.next()?;
                        let tok = self.next()?;
                        if !matches!(tok.tok, Tok::Op(Op::RParen)) {
                            return Err(self.unexpected(&tok, Some(")")));
                        }
                        self.skip_newlines()?;
                        let body = self.parse_command()?;
                        return Ok(Command::FunctionDef {
                            name,
                            body: Rc::new(body),
                        });
                    }
                }
            }
            cmd.words.push(w);
        }
        if cmd.assigns.is_empty() && cmd.words.is_empty() && cmd.redirects.is_empty() {
            let tok = self.next()?;
            return Err(self.unexpected(&tok, None));
        }
        // A command made only of blanks the lexer skipped can end before its recorded
        // start (found by fuzzing: "\x08\n\x0c"); an empty range is right then.
        let end = self.last_end().max(start);
        cmd.range = TextRange::new(self.abs(start), self.abs(end));
        Ok(Command::Simple(cmd))
    }

    /// The words of `[[ .. ]]` up to and including `]]`.
    fn parse_cond_words(&mut self, words: &mut Vec<Word>) -> PResult<()> {
        loop {
            let tok = self.next()?;
            let text = match &tok.tok {
                Tok::Word(w) => {
                    let done = w.as_plain() == Some("]]");
                    words.push(w.clone());
                    if done {
                        return Ok(());
                    }
                    continue;
                }
                Tok::Newline => continue,
                Tok::Op(
                    op @ (Op::AndIf | Op::OrIf | Op::LParen | Op::RParen | Op::Less | Op::Great),
                ) => op.as_str(),
                _ => {
                    let mut e = self.unexpected(&tok, None);
                    e.message = "unexpected token in conditional expression".to_owned();
                    return Err(e);
                }
            };
            words.push(Word {
                parts: vec![WordPart::Lit(text.to_owned())],
                range: TextRange::empty(self.abs(tok.start)),
            });
        }
    }

    /// The end of the text consumed so far (before any peeked token).
    fn last_end(&self) -> usize {
        let end = self.peeked.as_ref().map_or(self.pos, |t| t.start);
        self.src[..end].trim_end().len()
    }

    fn parse_if(&mut self) -> PResult<Compound> {
        self.next()?;
        let mut branches = Vec::new();
        let mut otherwise = None;
        loop {
            let cond = self.parse_body("then")?;
            self.expect_reserved("then")?;
            let body = self.parse_body("fi")?;
            branches.push((cond, body));
            if self.peek_reserved("elif")? {
                self.next()?;
                continue;
            }
            if self.peek_reserved("else")? {
                self.next()?;
                otherwise = Some(self.parse_body("fi")?);
            }
            self.expect_reserved("fi")?;
            break;
        }
        Ok(Compound::If {
            branches,
            otherwise,
        })
    }

    fn parse_while(&mut self, until: bool) -> PResult<Compound> {
        self.next()?;
        let cond = self.parse_body("do")?;
        self.expect_reserved("do")?;
        let body = self.parse_body("done")?;
        self.expect_reserved("done")?;
        Ok(Compound::While { cond, body, until })
    }

    fn parse_for(&mut self) -> PResult<Compound> {
        self.next()?;
        let tok = self.next()?;
        let var = match &tok.tok {
            Tok::Word(w) => w.as_plain().filter(|n| is_valid_name(n)).map(str::to_owned),
            _ => None,
        };
        let Some(var) = var else {
            let mut e = self.unexpected(&tok, None);
            e.message = "Bad for loop variable".to_owned();
            return Err(e);
        };
        self.skip_newlines()?;
        let mut words = None;
        if self.peek_reserved("in")? {
            self.next()?;
            let mut list = Vec::new();
            while let Tok::Word(w) = self.peek()? {
                list.push(w.clone());
                self.next()?;
            }
            match self.peek()? {
                Tok::Op(Op::Semi) | Tok::Newline => {
                    self.next()?;
                }
                _ => {
                    let tok = self.next()?;
                    return Err(self.unexpected(&tok, None));
                }
            }
            words = Some(list);
        } else if self.peek_op(Op::Semi)? {
            self.next()?;
        }
        self.skip_newlines()?;
        self.expect_reserved("do")?;
        let body = self.parse_body("done")?;
        self.expect_reserved("done")?;
        Ok(Compound::For { var, words, body })
    }

    fn parse_case(&mut self) -> PResult<Compound> {
        self.next()?;
        let tok = self.next()?;
        let Tok::Word(word) = tok.tok else {
            return Err(self.unexpected(&tok, None));
        };
        self.skip_newlines()?;
        self.expect_reserved("in")?;
        let mut arms = Vec::new();
        loop {
            self.skip_newlines()?;
            if self.peek_reserved("esac")? {
                self.next()?;
                break;
            }
            if self.peek_op(Op::LParen)? {
                self.next()?;
            }
            let mut patterns = Vec::new();
            loop {
                let tok = self.next()?;
                let Tok::Word(w) = tok.tok else {
                    return Err(self.unexpected(&tok, Some(")")));
                };
                patterns.push(w);
                if self.peek_op(Op::Pipe)? {
                    self.next()?;
                    continue;
                }
                break;
            }
            let tok = self.next()?;
            if !matches!(tok.tok, Tok::Op(Op::RParen)) {
                return Err(self.unexpected(&tok, Some(")")));
            }
            let body = self.parse_list()?;
            arms.push(CaseArm { patterns, body });
            if self.peek_op(Op::DSemi)? {
                self.next()?;
                continue;
            }
            self.skip_newlines()?;
            self.expect_reserved("esac")?;
            break;
        }
        Ok(Compound::Case { word, arms })
    }
}

pub(crate) fn is_valid_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty() && is_name_start(b[0]) && b.iter().all(|&c| is_name_char(c))
}

/// `NAME=value` when the word starts with an unquoted valid name and `=`.
fn as_assignment(w: &Word) -> Option<Assign> {
    let WordPart::Lit(first) = w.parts.first()? else {
        return None;
    };
    let eq = first.find('=')?;
    let name = &first[..eq];
    if !is_valid_name(name) {
        return None;
    }
    let mut parts = Vec::with_capacity(w.parts.len());
    let rest = &first[eq + 1..];
    if !rest.is_empty() {
        parts.push(WordPart::Lit(rest.to_owned()));
    }
    parts.extend(w.parts[1..].iter().cloned());
    Some(Assign {
        name: name.to_owned(),
        value: Word {
            parts,
            range: w.range,
        },
    })
}

#[cfg(test)]
mod tests;
