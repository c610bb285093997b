//! BuildKit's `.dockerignore`, exactly: reading the ignore file, compiling its
//! patterns, and walking a build context the way BuildKit's context transfer does,
//! with the deciding rule for every path.
//!
//! Docker's rules are not `.gitignore`'s: patterns are anchored at the context root,
//! a trailing `/` is dropped, the last matching pattern wins, `!` exceptions can
//! re-include files under excluded directories, and inside the walk a pattern that
//! did not match a directory is later tested against the child's full path only.
//! The model follows `moby/patternmatcher` (`ignorefile.ReadAll`, `New`,
//! `MatchesUsingParentResults`, the glob-to-RE2 translation) and
//! `tonistiigi/fsutil` (`filterFS.Walk`, including its directory pruning); the
//! regular expressions run on this crate's own small engine.
//!
//! Layers: [`IgnoreFile`] (text → patterns) → [`Matcher`] (patterns → decisions) →
//! [`walk`]/[`Walker`] (a context → what is sent) → [`lint`] (whole-file warnings).
//! Everything is IO-free; hosts supply file text and directory listings.
//!
//! For hosts (the CLI, the web page):
//! - choose the file with [`select_ignore_file`] (`<Dockerfile>.dockerignore` wins
//!   over the context root's `.dockerignore`, never merged);
//! - live editor feedback: [`check`] (reading problems, the pattern BuildKit
//!   rejects, file-level lints, all with ranges);
//! - a dropped folder or a listing: [`ContextTree::new`] / [`ContextTree::from_listing`]
//!   (parents added, walk order), then [`walk`] → [`WalkReport`] (an [`Outcome`] per
//!   entry naming the deciding pattern; [`WalkReport::sent`] in BuildKit's order);
//! - a real directory walked lazily: drive a [`Walker`] and skip what it prunes;
//! - why: [`Matcher::explain`] and [`Matcher::describe`]; with a context, [`lint`];
//!   `COPY`/`ADD` sources: [`copy_ignored`].
//!
//! Known limits: paths and patterns are UTF-8 (hosts decode other bytes lossily,
//! where Go would keep them); the one-letter Unicode classes a pattern can reach
//! through `\pL`-style escapes are exact for ASCII and approximated beyond it.
//!
//! ```
//! use layerlab_dockerignore::{walk, ContextTree, IgnoreFile};
//! let file = IgnoreFile::parse("node_modules\n!node_modules/keep\n*.log\n");
//! let matcher = file.matcher().unwrap();
//! let tree = ContextTree::from_listing("app.js\nnode_modules/keep\nnode_modules/x\nerr.log\nsub/err.log\n");
//! let report = walk(&matcher, &tree).unwrap();
//! let sent: Vec<_> = report.sent().map(|i| tree.entries()[i].path.as_str()).collect();
//! assert_eq!(sent, ["app.js", "node_modules", "node_modules/keep", "sub", "sub/err.log"]);
//! let why = matcher.explain("node_modules/keep").unwrap();
//! assert_eq!(
//!     matcher.describe(&why),
//!     "sent: excluded by `node_modules` (line 1) via its parent `node_modules/`, \
//!      re-included by `!node_modules/keep` (line 2)"
//! );
//! ```
#![deny(missing_docs)]
#![warn(clippy::disallowed_methods)]

mod clean;
mod diagnostics;
mod explain;
mod glob_syntax;
mod ignorefile;
mod lint;
mod matcher;
mod pattern;
mod regexp;
mod select;
mod tree;
mod walk;

pub use explain::{ChainLink, Explanation, PrunedAt};
pub use ignorefile::{IgnoreFile, PatternLine};
pub use lint::{check, copy_ignored, lint, Checked, CopyCommand, CopySource, LintInput};
pub use matcher::{
    Applied, MatchError, Matcher, ParentMatches, PatternError, PatternErrorKind, Verdict,
};
pub use pattern::{BadPattern, Pattern, PatternSource};
pub use select::{select_ignore_file, IgnoreFileChoice};
pub use tree::{walk_order, ContextEntry, ContextTree, EntryKind};
pub use walk::{walk, Outcome, PatternStats, Visit, WalkReport, Walker};
