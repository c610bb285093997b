//! Every diagnostic the parser reports, one constructor each, with its stable code.
//!
//! Parse errors carry BuildKit's own message (so `layerlab parse --format buildkit-json`
//! can print it word for word); the code says which rule fired.

use layerlab_text::{Diagnostic, TextRange};

/// Codes of parser diagnostics.
pub mod code {
    /// A parser directive given twice.
    pub const DUPLICATE_DIRECTIVE: &str = "duplicate-directive";
    /// `# escape=` with something other than `\` or `` ` ``.
    pub const INVALID_ESCAPE: &str = "invalid-escape";
    /// An argument error BuildKit's parser reports (ENV/LABEL form, JSON items).
    pub const INVALID_ARGUMENTS: &str = "invalid-arguments";
    /// A heredoc whose terminator never comes.
    pub const UNTERMINATED_HEREDOC: &str = "unterminated-heredoc";
    /// A heredoc delimiter BuildKit cannot lex.
    pub const INVALID_HEREDOC: &str = "invalid-heredoc";
    /// A line longer than BuildKit's scanner accepts.
    pub const LINE_TOO_LONG: &str = "line-too-long";
    /// A file without any instruction.
    pub const NO_INSTRUCTIONS: &str = "no-instructions";
    /// A keyword BuildKit does not know: it refuses the Dockerfile before any step runs.
    pub const UNKNOWN_INSTRUCTION: &str = "unknown-instruction";
}

pub(crate) fn duplicate_directive(name: &str, range: TextRange, first: TextRange) -> Diagnostic {
    Diagnostic::error(
        code::DUPLICATE_DIRECTIVE,
        format!("only one {name} parser directive can be used"),
        range,
    )
    .with_label(first, "first given here")
    .with_help("remove one of the two directives")
}

pub(crate) fn invalid_escape(value: &str, range: TextRange) -> Diagnostic {
    Diagnostic::error(
        code::INVALID_ESCAPE,
        format!("invalid escape token '{value}' does not match ` or \\"),
        range,
    )
    .with_help("use `# escape=\\` or `# escape=``")
}

pub(crate) fn invalid_arguments(message: &str, range: TextRange) -> Diagnostic {
    let help = if message.contains("JSON") {
        "quote every item: [\"executable\", \"arg\"]"
    } else if message.contains("two arguments") {
        "give a value: `ENV NAME=value`"
    } else {
        "write every pair as name=value"
    };
    Diagnostic::error(code::INVALID_ARGUMENTS, message, range).with_help(help)
}

pub(crate) fn unterminated_heredoc(name: &str, range: TextRange) -> Diagnostic {
    Diagnostic::error(code::UNTERMINATED_HEREDOC, "unterminated heredoc", range)
        .with_help(format!("end the heredoc with a line holding only `{name}`"))
}

pub(crate) fn invalid_heredoc(message: &str, range: TextRange) -> Diagnostic {
    Diagnostic::error(code::INVALID_HEREDOC, message, range)
}

pub(crate) fn line_too_long(range: TextRange) -> Diagnostic {
    Diagnostic::error(
        code::LINE_TOO_LONG,
        "dockerfile line greater than max allowed size of 65535",
        range,
    )
    .with_help("split the line with the escape character")
}

pub(crate) fn no_instructions(range: TextRange) -> Diagnostic {
    Diagnostic::error(code::NO_INSTRUCTIONS, "file with no instructions", range)
        .with_help("start with `FROM <image>`")
}

pub(crate) fn unknown_instruction(keyword: &str, range: TextRange) -> Diagnostic {
    Diagnostic::error(
        code::UNKNOWN_INSTRUCTION,
        unknown_instruction_message(keyword),
        range,
    )
    .with_help("BuildKit refuses the whole Dockerfile, so the build fails before any step runs")
}

/// BuildKit's error for an instruction keyword it does not know, with its "did you
/// mean …?" suggestion (`suggest.WrapError`: within 2 edits, in the keyword's case when
/// that is all lower or all upper): `unknown instruction: FORM (did you mean FROM?)`.
/// The parser reads such a line; BuildKit then refuses the whole Dockerfile before any
/// step runs, and the build engine reports this same text.
pub fn unknown_instruction_message(keyword: &str) -> String {
    let lower = crate::command::fold_keyword(keyword);
    let Some(known) = crate::suggest::closest(&lower, crate::command::KNOWN.iter().copied(), 2)
    else {
        return format!("unknown instruction: {keyword}");
    };
    let known = if keyword != lower && !keyword.bytes().any(|b| b.is_ascii_lowercase()) {
        known.to_ascii_uppercase()
    } else {
        known.to_string()
    };
    format!("unknown instruction: {keyword} (did you mean {known}?)")
}
