//! Reading a real context directory in BuildKit's walk order, without entering
//! directories the ignore file prunes (they can be huge: `node_modules`, `.git`).
//!
//! Symbolic links are entries, never followed. Entries that cannot be read are
//! reported and skipped, not fatal.

use layerlab_dockerignore::{ContextEntry, EntryKind, MatchError, Matcher, Walker};
use std::io::{IsTerminal, Write};
use std::path::Path;

/// What the directory walk found.
pub(crate) struct FsWalk {
    pub(crate) entries: Vec<ContextEntry>,
    /// `(path, error)` for entries that could not be read.
    pub(crate) unreadable: Vec<(String, String)>,
}

/// Walks `root`, asking `matcher` (through a [`Walker`]) which directories to skip.
pub(crate) fn walk_dir(root: &Path, matcher: &Matcher) -> Result<FsWalk, MatchError> {
    let mut state = State {
        out: FsWalk {
            entries: Vec::new(),
            unreadable: Vec::new(),
        },
        walker: Walker::new(matcher),
        progress: Progress::new(),
    };
    state.dir(root, "")?;
    state.progress.finish();
    Ok(state.out)
}

struct State<'m> {
    out: FsWalk,
    walker: Walker<'m>,
    progress: Progress,
}

impl State<'_> {
    /// Visits the contents of one directory depth-first, in BuildKit's order: each
    /// name in byte order, a directory's contents right after it.
    fn dir(&mut self, dir: &Path, rel: &str) -> Result<(), MatchError> {
        let mut children = match list(dir) {
            Ok(children) => children,
            Err(e) => {
                self.out
                    .unreadable
                    .push((display_rel(rel), format!("cannot list directory: {e}")));
                return Ok(());
            }
        };
        children.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        for (name, kind, size, err) in children {
            let path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if let Some(err) = err {
                self.out.unreadable.push((path.clone(), err));
            }
            let id = self.out.entries.len();
            let is_dir = kind == EntryKind::Dir;
            let visit = self.walker.visit(id, &path, is_dir)?;
            self.out.entries.push(ContextEntry {
                path: path.clone(),
                kind,
                size,
            });
            self.progress.tick(self.out.entries.len());
            if is_dir && !visit.prune {
                self.dir(&dir.join(&name), &path)?;
            }
        }
        Ok(())
    }
}

type Child = (String, EntryKind, u64, Option<String>);

fn list(dir: &Path) -> std::io::Result<Vec<Child>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // `DirEntry::file_type` does not follow symbolic links.
        let (kind, size, err) = match entry.file_type() {
            Ok(t) if t.is_dir() => (EntryKind::Dir, 0, None),
            Ok(t) if t.is_symlink() => (EntryKind::Symlink, 0, None),
            Ok(t) if t.is_file() => match entry.metadata() {
                Ok(m) => (EntryKind::File, m.len(), None),
                Err(e) => (EntryKind::File, 0, Some(format!("cannot stat: {e}"))),
            },
            Ok(_) => (EntryKind::Other, 0, None),
            Err(e) => (EntryKind::Other, 0, Some(format!("cannot stat: {e}"))),
        };
        out.push((name, kind, size, err));
    }
    Ok(out)
}

fn display_rel(rel: &str) -> String {
    if rel.is_empty() {
        ".".to_owned()
    } else {
        rel.to_owned()
    }
}

/// A one-line entry counter on stderr, only when stderr is a terminal.
struct Progress {
    enabled: bool,
    shown: bool,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            enabled: std::io::stderr().is_terminal(),
            shown: false,
        }
    }

    fn tick(&mut self, n: usize) {
        if self.enabled && n.is_multiple_of(2048) {
            self.shown = true;
            let _ = write!(std::io::stderr(), "\rscanning build context: {n} entries");
        }
    }

    fn finish(&mut self) {
        if self.shown {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}
