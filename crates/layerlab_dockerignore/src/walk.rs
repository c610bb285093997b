//! BuildKit's build-context walk (fsutil `filterFS.Walk` with exclude patterns).
//!
//! For each entry in walk order the walker decides with the parent directory's
//! per-pattern results ([`Matcher::decide`]). An excluded entry is not sent. An
//! excluded directory is skipped entirely ("pruned") unless an exception could
//! re-include something inside ([`Matcher::must_descend`]); when the walker does go
//! in and finds something to send, the excluded directories above it are sent first,
//! so the receiver can create them. A pruned directory's contents are never visited,
//! so even an invalid pattern cannot fail the build there.
//!
//! [`Walker`] is the state machine, fed one entry at a time (the CLI drives it from
//! a real directory walk and does not read pruned directories); [`walk`] runs it over
//! a [`ContextTree`].

use crate::matcher::{Applied, MatchError, Matcher, ParentMatches, Verdict};
use crate::tree::ContextTree;

/// What happened to one entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Sent. `reincluded_by` is the exception that re-included it, if a pattern
    /// matched at all.
    Sent {
        /// The deciding exception, when the entry was matched by one.
        reincluded_by: Option<u32>,
    },
    /// An excluded directory that is sent anyway because something inside it is.
    SentForContents {
        /// The pattern that excluded the directory.
        excluded_by: u32,
    },
    /// Not sent: excluded by this pattern.
    Excluded {
        /// The deciding pattern.
        by: u32,
    },
    /// An excluded directory the walk did not enter (no exception points inside).
    Pruned {
        /// The deciding pattern.
        by: u32,
    },
    /// Never visited: inside a pruned directory (index of that directory's entry).
    InsidePruned {
        /// Entry index of the pruned directory.
        dir: u32,
    },
}

impl Outcome {
    /// Whether the entry is part of the build context.
    pub fn is_sent(self) -> bool {
        matches!(self, Outcome::Sent { .. } | Outcome::SentForContents { .. })
    }
}

/// What the walker says about one visited entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Visit {
    /// The decision.
    pub verdict: Verdict,
    /// For an excluded directory: do not visit its contents.
    pub prune: bool,
    /// Ids of excluded ancestor directories sent now, outermost first (they are sent
    /// before this entry).
    pub sent_parents: Vec<usize>,
}

struct Frame {
    /// The directory's path followed by `/`.
    prefix: String,
    matches: ParentMatches,
    id: usize,
    sent: bool,
}

/// The walk as a state machine: call [`Walker::visit`] for each entry in walk order,
/// and skip the contents of a directory whose visit says `prune`.
pub struct Walker<'m> {
    matcher: &'m Matcher,
    stack: Vec<Frame>,
    scratch: ParentMatches,
    trace: Vec<Applied>,
}

impl<'m> Walker<'m> {
    /// A walk from the context root.
    pub fn new(matcher: &'m Matcher) -> Walker<'m> {
        Walker {
            matcher,
            stack: Vec::new(),
            scratch: ParentMatches::default(),
            trace: Vec::new(),
        }
    }

    /// Visits one entry (`id` is the caller's handle for it, echoed in
    /// `sent_parents`).
    ///
    /// # Errors
    /// When an invalid pattern is evaluated: BuildKit fails the whole build.
    pub fn visit(&mut self, id: usize, path: &str, is_dir: bool) -> Result<Visit, MatchError> {
        while let Some(top) = self.stack.last() {
            if path.starts_with(top.prefix.as_str()) {
                break;
            }
            self.stack.pop();
        }
        let empty = ParentMatches::default();
        let parent = self.stack.last().map_or(&empty, |f| &f.matches);
        self.trace.clear();
        let verdict =
            self.matcher
                .decide(path, parent, &mut self.scratch, Some(&mut self.trace))?;
        let mut visit = Visit {
            verdict,
            prune: false,
            sent_parents: Vec::new(),
        };
        if verdict.excluded && is_dir && !self.matcher.must_descend(path) {
            visit.prune = true;
            return Ok(visit);
        }
        if !verdict.excluded {
            for frame in self.stack.iter_mut().filter(|f| !f.sent) {
                frame.sent = true;
                visit.sent_parents.push(frame.id);
            }
        }
        if is_dir {
            let mut prefix = String::with_capacity(path.len() + 1);
            prefix.push_str(path);
            prefix.push('/');
            self.stack.push(Frame {
                prefix,
                matches: std::mem::take(&mut self.scratch),
                id,
                sent: !verdict.excluded,
            });
        }
        Ok(visit)
    }

    /// The patterns that matched the entry of the last [`Walker::visit`].
    pub fn last_matches(&self) -> &[Applied] {
        &self.trace
    }
}

/// The result of walking a whole [`ContextTree`].
#[derive(Clone, Debug)]
pub struct WalkReport {
    /// One outcome per tree entry, same order.
    pub outcomes: Vec<Outcome>,
    /// Per pattern: how many visited entries it matched and how many it decided.
    pub pattern_stats: Vec<PatternStats>,
}

/// How much one pattern did during a walk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PatternStats {
    /// Visited entries this pattern matched (directly or through a parent).
    pub matched: u32,
    /// Visited entries whose decision was this pattern.
    pub decided: u32,
}

impl WalkReport {
    /// Indices of the sent entries, in the order BuildKit sends them.
    pub fn sent(&self) -> impl Iterator<Item = usize> + '_ {
        self.outcomes
            .iter()
            .enumerate()
            .filter(|(_, o)| o.is_sent())
            .map(|(i, _)| i)
    }
}

impl WalkReport {
    /// A short reason for entry `i` of `tree` (the one this report was made from),
    /// naming the deciding rule with its line, e.g. "excluded by `*.log` (line 3)".
    /// Cheap enough to call for every row of a listing.
    pub fn reason(&self, matcher: &Matcher, tree: &ContextTree, i: usize) -> String {
        let rule = |by: u32| {
            let p = &matcher.patterns()[by as usize];
            format!("`{}` (line {})", p.source().text, p.source().line)
        };
        match self.outcomes[i] {
            Outcome::Sent {
                reincluded_by: None,
            } => "sent: no pattern matches".to_owned(),
            Outcome::Sent {
                reincluded_by: Some(by),
            } => format!("sent: re-included by {}", rule(by)),
            Outcome::SentForContents { excluded_by } => format!(
                "sent for its contents: excluded by {}, but entries inside are re-included",
                rule(excluded_by)
            ),
            Outcome::Excluded { by } => format!("excluded by {}", rule(by)),
            Outcome::Pruned { by } => format!(
                "excluded by {}; its contents were never visited (no exception points inside)",
                rule(by)
            ),
            Outcome::InsidePruned { dir } => {
                let by = match self.outcomes[dir as usize] {
                    Outcome::Pruned { by } => rule(by),
                    _ => "a pattern".to_owned(),
                };
                format!(
                    "excluded: inside `{}/`, excluded by {by} and never entered",
                    tree.entries()[dir as usize].path
                )
            }
        }
    }
}

/// Walks `tree` as BuildKit would.
///
/// # Errors
/// When an invalid pattern is evaluated for some entry (the build fails).
pub fn walk(matcher: &Matcher, tree: &ContextTree) -> Result<WalkReport, MatchError> {
    let entries = tree.entries();
    let mut outcomes = Vec::with_capacity(entries.len());
    let mut stats = vec![PatternStats::default(); matcher.patterns().len()];
    let mut walker = Walker::new(matcher);
    // The pruned directory whose subtree is being skipped: (prefix, entry index).
    let mut pruned: Option<(String, u32)> = None;
    for (i, entry) in entries.iter().enumerate() {
        if let Some((prefix, dir)) = &pruned {
            if entry.path.starts_with(prefix.as_str()) {
                outcomes.push(Outcome::InsidePruned { dir: *dir });
                continue;
            }
            pruned = None;
        }
        let visit = walker.visit(i, &entry.path, entry.is_dir())?;
        for &p in &visit.sent_parents {
            if let Outcome::Excluded { by } = outcomes[p] {
                outcomes[p] = Outcome::SentForContents { excluded_by: by };
            }
        }
        for a in walker.last_matches() {
            stats[a.pattern as usize].matched += 1;
        }
        if let Some(by) = visit.verdict.decided_by {
            stats[by as usize].decided += 1;
        }
        let outcome = match (visit.verdict.excluded, visit.verdict.decided_by) {
            (true, Some(by)) if visit.prune => {
                pruned = Some((format!("{}/", entry.path), i as u32));
                Outcome::Pruned { by }
            }
            (true, Some(by)) => Outcome::Excluded { by },
            (_, reincluded_by) => Outcome::Sent { reincluded_by },
        };
        outcomes.push(outcome);
    }
    Ok(WalkReport {
        outcomes,
        pattern_stats: stats,
    })
}
