//! User-facing problems: a stable code, a message and the range they are about.

use crate::TextRange;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Severity {
    /// A best-practice hint; the build is unaffected.
    Hint,
    /// A warning (BuildKit build checks are warnings unless configured as errors).
    Warning,
    /// An error: BuildKit would refuse the input.
    Error,
}

impl Severity {
    /// The lowercase name used in CLI and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A secondary range with a short note ("first defined here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The range the note is about.
    pub range: TextRange,
    /// The note, lowercase, no trailing period.
    pub message: String,
}

/// A problem found in user input, with where it is.
///
/// `code` is stable kebab-case (or BuildKit's rule name for build checks) so tests,
/// `# check=skip=` and users can refer to it; `message` is lowercase with no trailing
/// period; `help` says how to fix it when there is a known fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// Stable identifier.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// Where it is.
    pub range: TextRange,
    /// Other places that explain it.
    pub labels: Vec<Label>,
    /// A suggested fix, when one exists.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error diagnostic.
    pub fn error(code: &'static str, message: impl Into<String>, range: TextRange) -> Self {
        Diagnostic::new(Severity::Error, code, message, range)
    }

    /// A warning diagnostic.
    pub fn warning(code: &'static str, message: impl Into<String>, range: TextRange) -> Self {
        Diagnostic::new(Severity::Warning, code, message, range)
    }

    /// A hint diagnostic.
    pub fn hint(code: &'static str, message: impl Into<String>, range: TextRange) -> Self {
        Diagnostic::new(Severity::Hint, code, message, range)
    }

    fn new(
        severity: Severity,
        code: &'static str,
        message: impl Into<String>,
        range: TextRange,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            range,
            labels: Vec::new(),
            help: None,
        }
    }

    /// Adds a suggested fix.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary range.
    pub fn with_label(mut self, range: TextRange, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            range,
            message: message.into(),
        });
        self
    }
}
