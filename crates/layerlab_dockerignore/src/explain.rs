//! Why a path is in the build context or not: the chain of rules that decided it.
//!
//! The explanation replays the walk along the path's ancestors (the same decisions
//! the full walk makes for this path), so it also says when an ancestor directory
//! was pruned and the path never looked at.

use crate::matcher::{Applied, MatchError, Matcher, ParentMatches};

/// The decision for one path, with its reasons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Explanation {
    /// The path asked about.
    pub path: String,
    /// Whether it is left out of the build context.
    pub excluded: bool,
    /// The patterns that matched the path, in order; the last one decided.
    pub chain: Vec<ChainLink>,
    /// Set when an ancestor directory was excluded and not entered: the path was
    /// never visited.
    pub pruned_at: Option<PrunedAt>,
}

/// One pattern that matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainLink {
    /// Index into [`Matcher::patterns`].
    pub pattern: u32,
    /// `true` for an exception (re-includes), `false` for an exclusion.
    pub reincludes: bool,
    /// The path the pattern matched directly: the path itself or the ancestor
    /// directory whose match it inherited.
    pub matched: String,
}

/// An excluded ancestor the walk did not enter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrunedAt {
    /// The directory.
    pub dir: String,
    /// The pattern that excluded it.
    pub pattern: u32,
}

impl Matcher {
    /// Explains the decision for `path` (slash-separated, relative to the context
    /// root), as the walk would reach it with only its ancestors in the context.
    /// A directory that is excluded but holds re-included entries is still sent by
    /// the walk; use the walk's [`crate::Outcome`] for that.
    ///
    /// # Errors
    /// When an invalid pattern is evaluated on the way (the build fails).
    pub fn explain(&self, path: &str) -> Result<Explanation, MatchError> {
        let path = path.trim_matches('/');
        let mut parent = ParentMatches::default();
        let mut out = ParentMatches::default();
        // For each pattern, the ancestor path where its current match started.
        let mut origin: Vec<Option<String>> = vec![None; self.patterns().len()];
        let mut trace = Vec::new();
        let segments: Vec<usize> = path
            .match_indices('/')
            .map(|(i, _)| i)
            .chain(std::iter::once(path.len()))
            .collect();
        let last = segments.len() - 1;
        for (depth, &end) in segments.iter().enumerate() {
            let prefix = &path[..end];
            trace.clear();
            let verdict = self.decide(prefix, &parent, &mut out, Some(&mut trace))?;
            let mut next_origin = vec![None; origin.len()];
            for Applied {
                pattern,
                via_parent,
            } in &trace
            {
                let i = *pattern as usize;
                next_origin[i] = if *via_parent {
                    origin[i].clone()
                } else {
                    Some(prefix.to_owned())
                };
            }
            origin = next_origin;
            if depth < last && verdict.excluded && !self.must_descend(prefix) {
                return Ok(Explanation {
                    path: path.to_owned(),
                    excluded: true,
                    chain: self.chain(&trace, &origin),
                    pruned_at: Some(PrunedAt {
                        dir: prefix.to_owned(),
                        pattern: verdict.decided_by.unwrap_or(0),
                    }),
                });
            }
            if depth == last {
                return Ok(Explanation {
                    path: path.to_owned(),
                    excluded: verdict.excluded,
                    chain: self.chain(&trace, &origin),
                    pruned_at: None,
                });
            }
            std::mem::swap(&mut parent, &mut out);
        }
        unreachable!("the loop returns at the last segment")
    }

    fn chain(&self, trace: &[Applied], origin: &[Option<String>]) -> Vec<ChainLink> {
        trace
            .iter()
            .map(|a| ChainLink {
                pattern: a.pattern,
                reincludes: self.patterns()[a.pattern as usize].is_exception(),
                matched: origin[a.pattern as usize].clone().unwrap_or_default(),
            })
            .collect()
    }

    /// A one-line English rendering of an explanation, naming each rule with its
    /// line: "excluded by `node_modules` (line 3), re-included by
    /// `!node_modules/keep` (line 7)".
    pub fn describe(&self, e: &Explanation) -> String {
        let rule = |i: u32| {
            let p = &self.patterns()[i as usize];
            format!("`{}` (line {})", p.source().text, p.source().line)
        };
        if let Some(p) = &e.pruned_at {
            return format!(
                "excluded: inside `{}/`, which is excluded by {} and never entered (no exception points inside it)",
                p.dir,
                rule(p.pattern)
            );
        }
        let mut parts: Vec<String> = Vec::new();
        for link in &e.chain {
            let verb = if link.reincludes {
                "re-included by"
            } else {
                "excluded by"
            };
            let mut s = format!("{verb} {}", rule(link.pattern));
            if link.matched != e.path && !link.matched.is_empty() {
                s.push_str(&format!(" via its parent `{}/`", link.matched));
            }
            parts.push(s);
        }
        let head = if e.excluded { "excluded" } else { "sent" };
        if parts.is_empty() {
            return format!("{head}: no pattern matches");
        }
        // "excluded: excluded by `*.log`" says it twice: a lone exclusion is its own verdict.
        if e.excluded && parts.len() == 1 {
            return parts.remove(0);
        }
        format!("{head}: {}", parts.join(", "))
    }
}
