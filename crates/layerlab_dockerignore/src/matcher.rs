//! The compiled pattern list and BuildKit's per-pattern decision rules
//! (`patternmatcher.PatternMatcher`).
//!
//! Patterns are applied in order and the last one that matches wins, with two
//! shortcuts that change results and so are modelled exactly:
//! - a pattern is only evaluated when it could change the current state (an
//!   exclusion while the path is still included, an exception while it is
//!   excluded), so an invalid pattern only fails the build when it is reached;
//! - inside the context walk each pattern remembers whether it matched the parent
//!   directory ([`ParentMatches`]); such a pattern counts as matching every child
//!   without being tested again, and a pattern that did not match the parent is
//!   tested against the child's full path only (never against its parents).

use crate::clean::clean;
use crate::diagnostics;
use crate::glob_syntax;
use crate::pattern::{Pattern, PatternSource};
use layerlab_text::Diagnostic;
use std::borrow::Cow;

/// The compiled patterns of one ignore file.
#[derive(Clone, Debug, Default)]
pub struct Matcher {
    patterns: Vec<Pattern>,
    has_exceptions: bool,
    /// fsutil's `onlyPrefixExcludeExceptions`: every exception is a literal path
    /// (maybe ending in `/**` or `/*`), so the walk may skip an excluded directory
    /// that no exception points into.
    only_prefix_exceptions: bool,
}

/// Per-pattern results for a directory, handed to its children during the walk.
/// The empty value means "no information" (a path at the root, or a lone query).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParentMatches {
    bits: Vec<u64>,
}

impl ParentMatches {
    fn get(&self, i: usize) -> bool {
        self.bits
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    fn reset(&mut self, n: usize) {
        self.bits.clear();
        self.bits.resize(n.div_ceil(64), 0);
    }

    fn set(&mut self, i: usize) {
        self.bits[i / 64] |= 1 << (i % 64);
    }
}

/// The decision for one path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Whether the path is excluded from the build context.
    pub excluded: bool,
    /// The last pattern that matched (index into [`Matcher::patterns`]): the rule
    /// that decided. `None` when no pattern matched.
    pub decided_by: Option<u32>,
}

/// One pattern that matched a path, in pattern order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Applied {
    /// Index into [`Matcher::patterns`].
    pub pattern: u32,
    /// Matched because it matched the parent directory (not re-tested).
    pub via_parent: bool,
}

/// A pattern's regular expression failed to compile when the walk reached it:
/// BuildKit fails the build with `failed to match excludepatterns: syntax error in
/// pattern`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatchError {
    /// Index of the pattern.
    pub pattern: u32,
    /// The path being matched when it failed.
    pub path: String,
}

impl MatchError {
    /// BuildKit's message.
    pub fn message(&self) -> &'static str {
        "failed to match excludepatterns: syntax error in pattern"
    }
}

/// A pattern BuildKit rejects before the walk starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    /// Where the pattern was written.
    pub source: PatternSource,
    /// What is wrong.
    pub kind: PatternErrorKind,
}

/// Why a pattern is rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PatternErrorKind {
    /// A `!` with nothing after it.
    IllegalExclusion,
    /// Malformed for Go's `filepath.Match` (an unclosed `[`, a trailing `\`, ...).
    Syntax,
}

impl PatternError {
    /// BuildKit's message for it.
    pub fn message(&self) -> &'static str {
        match self.kind {
            PatternErrorKind::IllegalExclusion => "illegal exclusion pattern: \"!\"",
            PatternErrorKind::Syntax => "syntax error in pattern",
        }
    }

    /// As a diagnostic at the pattern's range (or an empty range at 0 for lists).
    pub fn to_diagnostic(&self) -> Diagnostic {
        diagnostics::invalid_pattern(self)
    }
}

impl Matcher {
    /// Compiles patterns as `patternmatcher.New` does: trim, skip empty, clean, split
    /// off `!`, check the glob syntax.
    ///
    /// # Errors
    /// The first rejected pattern.
    pub fn new(
        patterns: impl IntoIterator<Item = (PatternSource, String)>,
    ) -> Result<Matcher, PatternError> {
        let mut m = Matcher {
            only_prefix_exceptions: true,
            ..Matcher::default()
        };
        for (source, raw) in patterns {
            let trimmed = raw.trim();
            if trimmed.is_empty() {
                continue;
            }
            let mut cleaned = clean(trimmed);
            let mut exception = false;
            if let Some(rest) = cleaned.strip_prefix('!') {
                if rest.is_empty() {
                    return Err(PatternError {
                        source,
                        kind: PatternErrorKind::IllegalExclusion,
                    });
                }
                exception = true;
                cleaned = rest.to_owned();
            }
            if !glob_syntax::is_valid(&cleaned) {
                return Err(PatternError {
                    source,
                    kind: PatternErrorKind::Syntax,
                });
            }
            let pattern = Pattern::new(source, cleaned, exception);
            if exception {
                m.has_exceptions = true;
                if pattern
                    .without_trailing_glob()
                    .contains(['*', '[', ']', '?', '^', '\\'])
                {
                    m.only_prefix_exceptions = false;
                }
            }
            m.patterns.push(pattern);
        }
        Ok(m)
    }

    /// Compiles a plain list (as `patternmatcher.New` receives it), numbering the
    /// patterns from 1.
    ///
    /// # Errors
    /// The first rejected pattern.
    pub fn from_patterns<S: AsRef<str>>(patterns: &[S]) -> Result<Matcher, PatternError> {
        Matcher::new(patterns.iter().enumerate().map(|(i, p)| {
            let p = p.as_ref();
            let source = PatternSource {
                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                text: p.to_owned(),
                range: None,
            };
            (source, p.to_owned())
        }))
    }

    /// The patterns in order.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Whether any pattern is an exception (`!`).
    pub fn has_exceptions(&self) -> bool {
        self.has_exceptions
    }

    /// Decides `path` given its parent directory's results (BuildKit's
    /// `MatchesUsingParentResults`), filling `out` with this path's results for its
    /// children and `trace` with the patterns that matched.
    ///
    /// With an empty `parent`, a pattern that does not match the path is also tried
    /// on each of its parent directories (`MatchesOrParentMatches`).
    ///
    /// # Errors
    /// When an invalid pattern had to be evaluated.
    pub fn decide(
        &self,
        path: &str,
        parent: &ParentMatches,
        out: &mut ParentMatches,
        mut trace: Option<&mut Vec<Applied>>,
    ) -> Result<Verdict, MatchError> {
        let have_parent = !parent.bits.is_empty();
        out.reset(self.patterns.len());
        // Without parent results, unmatched patterns are retried on the parent
        // directories; computed once, on first need.
        let mut parents: Option<Vec<Cow<'_, str>>> = None;
        // When the parents (if tried at all) are prefixes of the path, a pattern that
        // needs a different first byte cannot match any of them: skip it outright.
        let first_byte_decides = have_parent || is_clean(path);
        let first = path.as_bytes().first().copied();
        let mut excluded = false;
        let mut decided_by = None;
        for (i, pattern) in self.patterns.iter().enumerate() {
            let mut matched = have_parent && parent.get(i);
            let via_parent = matched;
            if !matched {
                // Only a pattern that could flip the current state is evaluated.
                if pattern.exception != excluded {
                    continue;
                }
                if first_byte_decides && pattern.first_byte.is_some_and(|b| Some(b) != first) {
                    continue;
                }
                matched = pattern.matches(path).map_err(|_| MatchError {
                    pattern: i as u32,
                    path: path.to_owned(),
                })?;
                if !matched && !have_parent && path.contains('/') {
                    matched = parents
                        .get_or_insert_with(|| parent_dirs(path))
                        .iter()
                        .any(|dir| pattern.matches(dir).unwrap_or(false));
                }
            }
            if matched {
                out.set(i);
                excluded = !pattern.exception;
                decided_by = Some(i as u32);
                if let Some(trace) = trace.as_deref_mut() {
                    trace.push(Applied {
                        pattern: i as u32,
                        via_parent,
                    });
                }
            }
        }
        Ok(Verdict {
            excluded,
            decided_by,
        })
    }

    /// BuildKit's `MatchesOrParentMatches`: the verdict for a lone path, testing
    /// each pattern against the path and then its parent directories. This is what
    /// the `CopyIgnoredFile` check uses; the context walk uses [`Matcher::decide`].
    ///
    /// # Errors
    /// When an invalid pattern had to be evaluated.
    pub fn matches_or_parent_matches(&self, path: &str) -> Result<Verdict, MatchError> {
        let mut out = ParentMatches::default();
        self.decide(path, &ParentMatches::default(), &mut out, None)
    }

    /// Whether the walk must look inside `dir` (excluded) because an exception
    /// could re-include something in it (fsutil's pruning rule).
    pub fn must_descend(&self, dir: &str) -> bool {
        if !self.only_prefix_exceptions {
            return true;
        }
        if !self.has_exceptions {
            return false;
        }
        self.patterns
            .iter()
            .filter(|p| p.exception)
            .any(|p| starts_with_dir(p.without_trailing_glob(), dir))
    }
}

/// `pattern + "/"` starts with `dir + "/"`.
fn starts_with_dir(pattern: &str, dir: &str) -> bool {
    let (p, d) = (pattern.as_bytes(), dir.as_bytes());
    if p.len() < d.len() || &p[..d.len()] != d {
        return false;
    }
    p.len() == d.len() || p[d.len()] == b'/'
}

/// Whether `path` is relative and already clean, so its parent directories are
/// plain prefixes of it.
fn is_clean(path: &str) -> bool {
    !path.starts_with('/')
        && !path.starts_with("./")
        && !path.starts_with("../")
        && !path.contains("//")
        && !path.contains("/./")
        && !path.contains("/../")
        && !path.ends_with("/.")
        && !path.ends_with("/..")
        && path != "."
        && path != ".."
}

/// The parent directories of a path, shortest first: `a`, `a/b` for `a/b/c`.
/// Go's `filepath.Dir` (which cleans) then a split on `/`; a rooted path yields `""`
/// first. Empty when the parent is `.`. Clean paths (the walk's) are only sliced.
fn parent_dirs(path: &str) -> Vec<Cow<'_, str>> {
    let Some(last) = path.rfind('/') else {
        return Vec::new();
    };
    if is_clean(path) {
        let dir = &path[..last];
        return dir
            .match_indices('/')
            .map(|(i, _)| Cow::Borrowed(&dir[..i]))
            .chain(std::iter::once(Cow::Borrowed(dir)))
            .collect();
    }
    let dir = clean(&path[..=last]);
    if dir == "." {
        return Vec::new();
    }
    let mut out: Vec<Cow<'_, str>> = dir
        .match_indices('/')
        .map(|(i, _)| Cow::Owned(dir[..i].to_owned()))
        .collect();
    out.push(Cow::Owned(dir));
    out
}
