//! The syntax tree of a shell script, as the parser builds it and the interpreter runs it.
//!
//! The shape follows the POSIX shell grammar (XCU 2.10): a script is a list of and-or
//! lists of pipelines of commands. Words keep their quoting structure, because quoting
//! decides what expansion, field splitting and globbing do later.

use layerlab_text::TextRange;
use std::cell::OnceCell;
use std::rc::Rc;

/// A parsed script.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Script {
    /// The top-level commands.
    pub body: List,
}

/// Commands separated by `;`, `&` or newlines.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct List {
    /// The items in order.
    pub items: Vec<AndOr>,
}

/// How two pipelines of an and-or list are joined.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AndOrOp {
    /// `&&`.
    And,
    /// `||`.
    Or,
}

/// `p1 && p2 || p3`, optionally run in the background with `&`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AndOr {
    /// The first pipeline.
    pub first: Pipeline,
    /// The following pipelines with their operators.
    pub rest: Vec<(AndOrOp, Pipeline)>,
    /// Terminated by `&` (simulated in the foreground; see the interpreter).
    pub background: bool,
}

/// `! a | b | c`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    /// Leading `!`: invert the status.
    pub bang: bool,
    /// The commands, at least one.
    pub commands: Vec<Command>,
}

/// One command of a pipeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `A=1 cmd arg >file`.
    Simple(SimpleCommand),
    /// A compound command with its redirections.
    Compound(Box<Compound>, Vec<Redirect>),
    /// `name() body`.
    FunctionDef {
        /// The function name.
        name: String,
        /// The body (shared: defining a function does not copy it).
        body: Rc<Command>,
    },
}

/// A simple command: assignments, words and redirections in any order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimpleCommand {
    /// `NAME=value` prefixes.
    pub assigns: Vec<Assign>,
    /// The command name and its arguments, unexpanded.
    pub words: Vec<Word>,
    /// Redirections.
    pub redirects: Vec<Redirect>,
    /// 1-based line of the command in the script, for `sh: LINE: ...` messages.
    pub line: u32,
    /// Where the command is.
    pub range: TextRange,
}

/// `NAME=value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assign {
    /// The variable name.
    pub name: String,
    /// The value, expanded without field splitting or globbing.
    pub value: Word,
}

/// Compound commands (XCU 2.9.4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Compound {
    /// `{ list; }`.
    Brace(List),
    /// `( list )`.
    Subshell(List),
    /// `if c; then b; elif c; then b; else b; fi`.
    If {
        /// Condition and body pairs (`if` then each `elif`).
        branches: Vec<(List, List)>,
        /// The `else` body.
        otherwise: Option<List>,
    },
    /// `for name in words; do body; done`.
    For {
        /// The loop variable.
        var: String,
        /// The words; `None` means `"$@"`.
        words: Option<Vec<Word>>,
        /// The body.
        body: List,
    },
    /// `while cond; do body; done` or `until ...`.
    While {
        /// The condition.
        cond: List,
        /// The body.
        body: List,
        /// `until`: loop while the condition fails.
        until: bool,
    },
    /// `case word in pat|pat) list;; esac`.
    Case {
        /// The subject.
        word: Word,
        /// The arms in order.
        arms: Vec<CaseArm>,
    },
}

/// `pat1 | pat2) body ;;`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseArm {
    /// The patterns.
    pub patterns: Vec<Word>,
    /// The body.
    pub body: List,
}

/// The redirection operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedirOp {
    /// `<`.
    In,
    /// `>`.
    Out,
    /// `>|`.
    Clobber,
    /// `>>`.
    Append,
    /// `<&`.
    DupIn,
    /// `>&`.
    DupOut,
    /// `<>`.
    ReadWrite,
    /// `<<` and `<<-` (the body is in [`RedirTarget::HereDoc`]).
    HereDoc,
}

/// What a redirection points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RedirTarget {
    /// A file name or fd number word.
    Word(Word),
    /// A here-document body.
    HereDoc(HereDoc),
}

/// A here-document body.
///
/// The body is read after the line that holds the `<<` operator, so the parser fills it
/// in once it reaches that newline; a body that never arrives (end of input) is empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HereDoc {
    /// The body; for an unquoted delimiter it is expanded like a double-quoted word.
    pub body: Rc<OnceCell<Word>>,
}

/// `[n]op target`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// The explicit fd number, if any.
    pub fd: Option<u32>,
    /// The operator.
    pub op: RedirOp,
    /// The target.
    pub target: RedirTarget,
}

/// A word with its quoting structure.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    /// The parts in order.
    pub parts: Vec<WordPart>,
    /// Where the word is.
    pub range: TextRange,
}

/// One piece of a word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WordPart {
    /// Unquoted text: subject to globbing (but not field splitting).
    Lit(String),
    /// Quoted text (`'..'`, `\x`, or text inside `".."`): taken literally.
    Quoted(String),
    /// `".."`: its parts are expanded but never split or globbed.
    DoubleQuoted(Vec<WordPart>),
    /// `$x`, `${x:-y}` and friends.
    Param(Box<Param>),
    /// `$(..)` or `` `..` ``.
    CommandSub(Rc<Script>),
    /// `$((..))`: the expression text after expansion is evaluated.
    Arith(Vec<WordPart>),
    /// `~` or `~user` at the start of a word.
    Tilde(String),
}

/// A parameter expansion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// The name: a variable, a digit string, or one of `@*#?-$!`.
    pub name: String,
    /// The operator, if any.
    pub op: ParamOp,
}

/// `${name OP word}` operators (XCU 2.6.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamOp {
    /// `$name`, `${name}`.
    Plain,
    /// `${#name}`.
    Length,
    /// `${name:-w}` (`colon`) or `${name-w}`.
    Default(bool, Word),
    /// `${name:=w}` or `${name=w}`.
    Assign(bool, Word),
    /// `${name:?w}` or `${name?w}`.
    Error(bool, Word),
    /// `${name:+w}` or `${name+w}`.
    Alternative(bool, Word),
    /// `${name%w}` (false) or `${name%%w}` (true).
    RemoveSuffix(bool, Word),
    /// `${name#w}` (false) or `${name##w}` (true).
    RemovePrefix(bool, Word),
}

impl Word {
    /// The word's text when it has no quoting or expansion at all (reserved words,
    /// function names).
    pub fn as_plain(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [WordPart::Lit(s)] => Some(s),
            _ => None,
        }
    }

    /// True when any part was quoted (here-document delimiters use this).
    pub fn is_quoted(&self) -> bool {
        self.parts
            .iter()
            .any(|p| matches!(p, WordPart::Quoted(_) | WordPart::DoubleQuoted(_)))
    }

    /// The text after quote removal, without expanding anything (here-document
    /// delimiters are not expanded).
    pub fn to_unexpanded(&self) -> String {
        fn walk(parts: &[WordPart], out: &mut String) {
            for p in parts {
                match p {
                    WordPart::Lit(s) | WordPart::Quoted(s) => out.push_str(s),
                    WordPart::DoubleQuoted(inner) => walk(inner, out),
                    WordPart::Tilde(u) => {
                        out.push('~');
                        out.push_str(u);
                    }
                    WordPart::Param(p) => {
                        out.push('$');
                        out.push_str(&p.name);
                    }
                    WordPart::CommandSub(_) | WordPart::Arith(_) => out.push_str("$(..)"),
                }
            }
        }
        let mut out = String::new();
        walk(&self.parts, &mut out);
        out
    }
}
