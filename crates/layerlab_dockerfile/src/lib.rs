//! A Dockerfile parser that reads every input exactly as BuildKit's frontend does.
//!
//! BuildKit (`moby/buildkit`, `frontend/dockerfile/parser`) is the reference: the same
//! instructions, the same line ranges, the same words and the same rejections. On top
//! of BuildKit's answer this crate keeps byte ranges for every piece (keyword, flag,
//! argument, heredoc body), reports every problem instead of stopping at the first one,
//! and always returns a usable tree.
//!
//! Layering (one concept per module):
//! - [`source`]: physical lines, BOM, BuildKit's 64 KiB line limit;
//! - [`directive`]: `# syntax=`, `# escape=`, `# check=` parser directives;
//! - `logical`: joining continuation lines, with a map back to source offsets;
//! - `command`: the keyword, the leading `--flags` and the per-instruction argument forms;
//! - `json`: the exec-form (JSON array) reader with BuildKit's shell-form fallback;
//! - [`heredoc`]: `<<EOF` detection and body reading;
//! - [`shell`]: BuildKit's shell lexer (word expansion and splitting);
//! - [`oracle`]: the AST in the shape of BuildKit's own parse result;
//! - [`highlight`] and [`check`]: editor colouring and build checks;
//! - [`suggest`]: "did you mean …?" by edit distance.
//!
//! ```
//! let parsed = layerlab_dockerfile::parse("FROM alpine\nRUN echo \\\n  hi\n");
//! assert_eq!(parsed.dockerfile.instructions.len(), 2);
//! let run = &parsed.dockerfile.instructions[1];
//! assert_eq!(run.keyword, "RUN");
//! assert_eq!(run.value[0].text, "echo   hi");
//! assert_eq!((run.start_line, run.end_line), (2, 3));
//! assert!(parsed.buildkit_error.is_none());
//! ```
#![deny(missing_docs)]
#![warn(clippy::disallowed_methods)]

pub mod check;
mod command;
pub mod diagnostics;
pub mod directive;
pub mod heredoc;
pub mod highlight;
mod json;
mod logical;
pub mod oracle;
mod parser;
pub mod shell;
pub mod source;
pub mod suggest;

pub use check::check;
pub use highlight::{highlight, Highlight, HighlightKind};
pub use parser::parse;

use layerlab_text::{Diagnostic, TextRange};

/// The result of parsing: always a tree, plus every problem found.
///
/// Even when `diagnostics` holds errors, `dockerfile` contains every instruction that
/// could be read, with valid ranges (on char boundaries, inside the text).
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// The instructions and directives that were read.
    pub dockerfile: Dockerfile,
    /// Problems, in source order.
    pub diagnostics: Vec<Diagnostic>,
    /// The error BuildKit would stop at (the first one it meets), if BuildKit would
    /// refuse this file. Its diagnostic is also in `diagnostics`.
    pub buildkit_error: Option<ParseError>,
}

/// The error that makes BuildKit refuse a Dockerfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// BuildKit's message, word for word (without location).
    pub message: String,
    /// The 1-based line BuildKit reports.
    pub line: u32,
    /// Where it is.
    pub range: TextRange,
}

impl ParseError {
    /// The message as `docker build` prints it, with the line.
    pub fn to_message_with_line(&self) -> String {
        format!(
            "dockerfile parse error on line {}: {}",
            self.line, self.message
        )
    }
}

/// A parsed Dockerfile.
#[derive(Clone, Debug, Default)]
pub struct Dockerfile {
    /// Parser directives found at the top of the file.
    pub directives: Vec<directive::Directive>,
    /// The escape character in effect (`\` or `` ` ``).
    pub escape: char,
    /// Comment lines (outside instructions and heredoc bodies), with the `#`.
    pub comments: Vec<TextRange>,
    /// Instructions in source order.
    pub instructions: Vec<Instruction>,
}

/// One instruction, possibly spanning several lines and heredoc bodies.
#[derive(Clone, Debug, Default)]
pub struct Instruction {
    /// The keyword as written (case kept).
    pub keyword: String,
    /// Where the keyword is.
    pub keyword_range: TextRange,
    /// The whole instruction, continuation lines and heredoc bodies included, without
    /// the final newline.
    pub range: TextRange,
    /// 1-based first line (a line holding only the escape character counts).
    pub start_line: u32,
    /// 1-based last line, heredoc bodies included.
    pub end_line: u32,
    /// The logical line BuildKit saw: continuation lines joined, comment lines dropped.
    pub original: String,
    /// The leading `--flag` words, with quotes and escapes removed as BuildKit does.
    pub flags: Vec<Flag>,
    /// BuildKit's argument words (see [`Instruction::json`] and [`Instruction::key_values`]).
    ///
    /// RUN/CMD/ENTRYPOINT/SHELL in shell form: one word (the rest of the line); in JSON
    /// form one word per array item; FROM/EXPOSE and ADD/COPY/VOLUME in shell form: the
    /// whitespace-separated words; ARG: BuildKit's quoted words; HEALTHCHECK: the type
    /// (`CMD`/`NONE`) then the command; MAINTAINER/USER/WORKDIR/STOPSIGNAL: one word.
    /// ENV and LABEL leave this empty and use `key_values`.
    pub value: Vec<Word>,
    /// ENV and LABEL pairs.
    pub key_values: Vec<KeyValue>,
    /// Whether the arguments were read as a JSON array (exec form).
    pub json: bool,
    /// Heredocs, in the order their bodies follow the instruction.
    pub heredocs: Vec<Heredoc>,
    /// For ONBUILD: the trigger instruction.
    pub trigger: Option<Box<Instruction>>,
    /// Where the arguments (after the flags) are, empty when there are none.
    pub args_range: TextRange,
    /// Blank lines inside the continuation (BuildKit's `NoEmptyContinuation`).
    pub empty_continuation_lines: Vec<TextRange>,
    /// Comment lines inside the continuation (dropped from `original`).
    pub comment_lines: Vec<TextRange>,
}

impl Instruction {
    /// The keyword in lowercase, as BuildKit dispatches on it.
    pub fn name(&self) -> String {
        command::fold_keyword(&self.keyword)
    }

    /// Whether the keyword is `kw` (ASCII case-insensitive, BuildKit's dispatch rule).
    pub fn is(&self, kw: &str) -> bool {
        self.name() == kw
    }

    /// Whether BuildKit knows the keyword (an unknown one fails the whole Dockerfile
    /// before any step runs, see [`diagnostics::unknown_instruction_message`]).
    pub fn is_known(&self) -> bool {
        command::is_known(&self.name())
    }

    /// The flag named `name` (without `--`), last one wins as in BuildKit's flag parser.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().rev().find(|f| f.name == name)
    }
}

/// A `--name=value` flag.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Flag {
    /// BuildKit's flag string (`--mount=type=cache`), quotes and escapes removed.
    pub text: String,
    /// The name without `--`.
    pub name: String,
    /// The value after the first `=`, if any.
    pub value: Option<String>,
    /// Where the flag is written.
    pub range: TextRange,
}

/// One argument word, as BuildKit's parser keeps it (quotes not yet removed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    /// The text.
    pub text: String,
    /// Where it is written (for joined continuation lines, from first to last byte).
    pub range: TextRange,
}

/// An ENV or LABEL pair.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyValue {
    /// The key.
    pub key: Word,
    /// The value (quotes kept, removed later by the shell lexer).
    pub value: Word,
    /// `true` for `key=value`, `false` for the legacy `ENV key value` form.
    pub equals: bool,
}

/// A heredoc attached to RUN/COPY/ADD (or an ONBUILD trigger).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Heredoc {
    /// The delimiter word, quotes removed.
    pub name: String,
    /// The file descriptor before `<<` (0 when absent).
    pub file_descriptor: u64,
    /// Whether variables in the body are expanded (no quotes in the delimiter).
    pub expand: bool,
    /// `<<-`: leading tabs are stripped from the body at build time.
    pub chomp: bool,
    /// The raw body, line endings included.
    pub content: String,
    /// Where the `<<WORD` marker is written.
    pub marker_range: TextRange,
    /// Where the body is (the lines before the terminator).
    pub body_range: TextRange,
    /// Where the terminator line is (empty when unterminated).
    pub terminator_range: TextRange,
}
