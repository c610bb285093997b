//! Whole-file warnings: patterns that do nothing, exceptions that cannot work,
//! `.gitignore` habits that mean something else here, and `COPY`/`ADD` sources the
//! ignore file removes from the context (BuildKit's `CopyIgnoredFile` check).

use crate::ignorefile::IgnoreFile;
use crate::matcher::Matcher;
use crate::pattern::Pattern;
use crate::tree::ContextTree;
use crate::walk::{Outcome, WalkReport};
use layerlab_text::{Diagnostic, TextRange, TextSize};
use std::collections::BTreeMap;

/// What [`lint`] looks at. With a context (`tree` and its walk), findings are
/// backed by real paths; without one only file-level problems are reported.
pub struct LintInput<'a> {
    /// The ignore file.
    pub file: &'a IgnoreFile,
    /// Its compiled patterns.
    pub matcher: &'a Matcher,
    /// The context and its walk, when known.
    pub context: Option<(&'a ContextTree, &'a WalkReport)>,
}

/// Which instruction a source belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyCommand {
    /// `COPY`.
    Copy,
    /// `ADD`.
    Add,
}

/// One `COPY`/`ADD` source from the build context, with its range in the Dockerfile.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CopySource<'a> {
    /// The instruction.
    pub command: CopyCommand,
    /// The source as written.
    pub path: &'a str,
    /// Where it is in the Dockerfile.
    pub range: TextRange,
}

/// Warnings about the ignore file as a whole; ranges are in the ignore file.
pub fn lint(input: &LintInput<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let patterns = input.matcher.patterns();
    for (i, p) in patterns.iter().enumerate() {
        let range = range_of(p);
        let shown = format!("`{}` (line {})", p.source().text, p.source().line);
        if p.source().text.starts_with('#') {
            out.push(
                Diagnostic::warning(
                    "indented-comment",
                    format!("{shown} is a pattern, not a comment: only a `#` in the first column starts a comment"),
                    range,
                )
                .with_help("move the `#` to the start of the line"),
            );
        } else if p.source().text.contains(" #") {
            out.push(Diagnostic::hint(
                "trailing-comment",
                format!("{shown}: `#` after a pattern is part of the pattern; .dockerignore has no trailing comments"),
                range,
            ));
        }
        if let Some(reason) = p.regexp_error() {
            out.push(Diagnostic::warning(
                "pattern-fails-when-reached",
                format!("{shown} fails the build with `syntax error in pattern` as soon as BuildKit evaluates it ({reason})"),
                range,
            ));
        }
        let body = p.source().text.trim_start_matches('!').trim();
        if body.len() > 1 && body.ends_with('/') {
            let files: Vec<&str> = input
                .context
                .map(|(tree, _)| {
                    tree.entries()
                        .iter()
                        .filter(|e| !e.is_dir() && p.matches(&e.path).unwrap_or(false))
                        .map(|e| e.path.as_str())
                        .collect()
                })
                .unwrap_or_default();
            let mut d = Diagnostic::hint(
                "trailing-slash-ignored",
                format!(
                    "{shown}: the trailing `/` is dropped, so this also matches files named `{}`",
                    p.cleaned()
                ),
                range,
            );
            if let Some(first) = files.first() {
                d = Diagnostic::warning(
                    "trailing-slash-ignored",
                    format!("{shown} also matches the file `{first}`: the trailing `/` does not restrict it to directories"),
                    range,
                );
            }
            out.push(d);
        }
        // A dead exception gets one diagnosis, the most useful: undone by a named later
        // pattern (with the fix), else nothing before it to except from. The walk's
        // "never applies" would only restate either.
        let overriding = (p.is_exception() && !p.cleaned().contains(['*', '?', '[', '\\']))
            .then(|| {
                patterns[i + 1..]
                    .iter()
                    .find(|q| !q.is_exception() && matches_or_parents(q, p.cleaned()))
            })
            .flatten();
        let unexcepted = p.is_exception() && !patterns[..i].iter().any(|q| !q.is_exception());
        if unexcepted && overriding.is_none() {
            out.push(Diagnostic::warning(
                "exception-without-exclusion",
                format!("{shown} cannot take effect: no earlier pattern excludes anything, and later patterns win"),
                range,
            ));
        }
        if let Some(q) = overriding {
            out.push(
                Diagnostic::warning(
                    "exception-overridden",
                    format!(
                        "{shown} is undone by the later `{}` (line {}): the last matching pattern wins",
                        q.source().text,
                        q.source().line
                    ),
                    range,
                )
                .with_label(range_of(q), "excludes it again")
                .with_help("move the exception below the pattern it makes an exception to"),
            );
        }
        if let Some((tree, report)) = input
            .context
            .filter(|_| !unexcepted && overriding.is_none())
        {
            context_lints(&mut out, patterns, p, i, &shown, range, tree, report);
        }
    }
    if input.context.is_none() {
        duplicate_lints(&mut out, patterns);
    }
    out
}

#[allow(clippy::too_many_arguments, reason = "one call site, all context")]
fn context_lints(
    out: &mut Vec<Diagnostic>,
    patterns: &[Pattern],
    p: &Pattern,
    i: usize,
    shown: &str,
    range: TextRange,
    tree: &ContextTree,
    report: &WalkReport,
) {
    let stats = report.pattern_stats[i];
    if stats.matched == 0 {
        // Never applied: either nothing matches it, or it is only ever skipped
        // because earlier patterns already put paths in the state it would set.
        let shadowed = tree
            .entries()
            .iter()
            .zip(&report.outcomes)
            .filter(|(_, o)| !matches!(o, Outcome::InsidePruned { .. }))
            .find(|(e, _)| p.matches(&e.path).unwrap_or(false));
        // Or it points inside a directory the walk never entered.
        let inside_pruned =
            tree.entries()
                .iter()
                .zip(&report.outcomes)
                .find_map(|(e, o)| match o {
                    Outcome::Pruned { by } if p.cleaned().starts_with(&format!("{}/", e.path)) => {
                        Some((e.path.as_str(), *by))
                    }
                    _ => None,
                });
        out.push(match (shadowed, inside_pruned) {
            (None, Some((dir, by))) => {
                let q = &patterns[by as usize];
                Diagnostic::warning(
                    "pattern-redundant",
                    format!(
                        "{shown} never applies: `{dir}/` is excluded by `{}` (line {}) and never entered",
                        q.source().text,
                        q.source().line
                    ),
                    range,
                )
                .with_label(range_of(q), "excludes the whole directory")
            }
            (Some((e, _)), _) => Diagnostic::warning(
                "pattern-redundant",
                format!(
                    "{shown} never applies: what it matches (like `{}`) is already {} when it is reached",
                    e.path,
                    if p.is_exception() { "sent" } else { "excluded" }
                ),
                range,
            ),
            (None, None) => Diagnostic::warning(
                "pattern-matches-nothing",
                format!("{shown} matches nothing in this build context"),
                range,
            ),
        });
    } else if stats.decided == 0 {
        out.push(Diagnostic::warning(
            "pattern-redundant",
            format!("{shown} never decides anything: every path it matches is decided by a later pattern"),
            range,
        ));
    }
    // `.gitignore` matches a slash-less pattern at every depth; Docker only at the root.
    if !p.is_exception() && !p.cleaned().contains('/') && !p.cleaned().starts_with("**") {
        let deeper: Vec<&str> = tree
            .entries()
            .iter()
            .zip(&report.outcomes)
            .filter(|(e, o)| {
                matches!(o, Outcome::Sent { .. })
                    && e.path.contains('/')
                    && p.matches(basename(&e.path)).unwrap_or(false)
            })
            .map(|(e, _)| e.path.as_str())
            .collect();
        if let Some(first) = deeper.first() {
            out.push(
                Diagnostic::warning(
                    "pattern-root-only",
                    format!(
                        "{shown} only matches at the context root; {} deeper path(s) like `{first}` are still sent",
                        deeper.len()
                    ),
                    range,
                )
                .with_help(format!("write `**/{}` to match at every depth", p.cleaned())),
            );
        }
    }
}

/// Earlier copies of a later identical pattern, with no opposite pattern between.
fn duplicate_lints(out: &mut Vec<Diagnostic>, patterns: &[Pattern]) {
    // The last index of each pattern text within the current run of one polarity.
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut polarity = None;
    for (j, q) in patterns.iter().enumerate() {
        if polarity != Some(q.is_exception()) {
            seen.clear();
            polarity = Some(q.is_exception());
        }
        if let Some(i) = seen.insert(q.cleaned(), j) {
            let p = &patterns[i];
            out.push(
                Diagnostic::warning(
                    "pattern-redundant",
                    format!(
                        "`{}` (line {}) is repeated on line {}",
                        p.source().text,
                        p.source().line,
                        q.source().line
                    ),
                    range_of(p),
                )
                .with_label(range_of(q), "repeated here"),
            );
        }
    }
}

/// `CopyIgnoredFile`: context sources of `COPY`/`ADD` that the ignore file excludes.
/// Like BuildKit, the check is skipped when the file has exceptions, and each source
/// is tested on its own (`MatchesOrParentMatches`). Ranges are in the Dockerfile.
pub fn copy_ignored(matcher: &Matcher, sources: &[CopySource<'_>]) -> Vec<Diagnostic> {
    if matcher.has_exceptions() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for src in sources {
        if src.path.contains("://") || src.path.starts_with("git@") {
            continue;
        }
        // BuildKit cleans the source (no other normalization: a leading `/` stays) and
        // reports it cleaned.
        let path = crate::clean::clean(src.path);
        if let Ok(v) = matcher.matches_or_parent_matches(&path) {
            if v.excluded {
                let cmd = match src.command {
                    CopyCommand::Copy => "Copy",
                    CopyCommand::Add => "Add",
                };
                let mut d = Diagnostic::warning(
                    "CopyIgnoredFile",
                    format!(
                        "Attempting to {cmd} file \"{path}\" that is excluded by .dockerignore"
                    ),
                    src.range,
                );
                if let Some(by) = v.decided_by {
                    let p = &matcher.patterns()[by as usize];
                    d = d.with_help(format!(
                        "excluded by `{}` (line {} of the ignore file)",
                        p.source().text,
                        p.source().line
                    ));
                }
                out.push(d);
            }
        }
    }
    out
}

fn matches_or_parents(p: &Pattern, path: &str) -> bool {
    if p.matches(path).unwrap_or(false) {
        return true;
    }
    path.match_indices('/')
        .any(|(i, _)| p.matches(&path[..i]).unwrap_or(false))
}

fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn range_of(p: &Pattern) -> TextRange {
    p.source()
        .range
        .unwrap_or_else(|| TextRange::empty(TextSize::from(0)))
}

/// Everything an editor shows for an ignore file on its own: see [`check`].
#[derive(Clone, Debug)]
pub struct Checked {
    /// The parsed file.
    pub file: IgnoreFile,
    /// The compiled patterns; `None` when BuildKit would reject the file.
    pub matcher: Option<Matcher>,
    /// Reading problems, the rejected pattern (an error), then the file-level lints;
    /// ranges are in `text`.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads, compiles and lints an ignore file without a build context, in one call
/// (the live check for an editor). Never fails.
pub fn check(text: &str) -> Checked {
    let file = IgnoreFile::parse(text);
    let mut diagnostics = file.diagnostics.clone();
    let matcher = match file.matcher() {
        Ok(m) => Some(m),
        Err(e) => {
            diagnostics.push(e.to_diagnostic());
            None
        }
    };
    if let Some(m) = &matcher {
        diagnostics.extend(lint(&LintInput {
            file: &file,
            matcher: m,
            context: None,
        }));
    }
    Checked {
        file,
        matcher,
        diagnostics,
    }
}
