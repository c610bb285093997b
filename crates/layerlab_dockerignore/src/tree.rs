//! The build context as a flat list of entries in BuildKit's walk order.
//!
//! fsutil walks a directory in lexical (byte) order of names, a directory right
//! before its contents. Over full paths that is byte order with `/` sorting before
//! every other byte (`a/b` comes before `a.txt`). Hosts give entries in any order
//! and may leave out directories (a browser's dropped folder lists files only), so
//! [`ContextTree::new`] adds the missing parents and sorts.

use std::cmp::Ordering;

/// What an entry is. Symbolic links are entries of their own, never followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EntryKind {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link (sent as a link; its target is not walked).
    Symlink,
    /// Anything else (device, socket, FIFO).
    Other,
}

/// One entry of the build context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContextEntry {
    /// Slash-separated path relative to the context root, without a trailing `/`.
    pub path: String,
    /// What it is.
    pub kind: EntryKind,
    /// Size in bytes (0 for directories).
    pub size: u64,
}

impl ContextEntry {
    /// A regular file.
    pub fn file(path: impl Into<String>, size: u64) -> ContextEntry {
        ContextEntry {
            path: path.into(),
            kind: EntryKind::File,
            size,
        }
    }

    /// A directory.
    pub fn dir(path: impl Into<String>) -> ContextEntry {
        ContextEntry {
            path: path.into(),
            kind: EntryKind::Dir,
            size: 0,
        }
    }

    /// Whether it is a directory.
    pub fn is_dir(&self) -> bool {
        self.kind == EntryKind::Dir
    }
}

/// Entries in walk order, every parent directory present, no duplicates.
#[derive(Clone, Debug, Default)]
pub struct ContextTree {
    entries: Vec<ContextEntry>,
}

impl ContextTree {
    /// Normalizes paths (`./` and leading `/` dropped, empty and `.` segments
    /// removed), drops entries with `..` segments or no name, adds missing parent
    /// directories, and sorts into walk order. When a path is listed twice the first
    /// listing wins, except that a directory wins over a file (it has contents).
    pub fn new(entries: impl IntoIterator<Item = ContextEntry>) -> ContextTree {
        let mut sorted: Vec<ContextEntry> = entries
            .into_iter()
            .filter_map(|mut e| {
                e.path = normalize(&e.path)?;
                Some(e)
            })
            .collect();
        sorted
            .sort_by(|a, b| walk_order(&a.path, &b.path).then_with(|| b.is_dir().cmp(&a.is_dir())));
        // In walk order a missing parent belongs right before its first descendant,
        // so one pass with the current chain of open directories adds them all.
        let mut out: Vec<ContextEntry> = Vec::with_capacity(sorted.len() + sorted.len() / 8);
        // Indices in `out` of the directories containing the current entry.
        let mut open: Vec<usize> = Vec::new();
        for entry in sorted {
            if out.last().is_some_and(|last| last.path == entry.path) {
                continue;
            }
            let path = entry.path.as_str();
            while let Some(&d) = open.last() {
                let dir = out[d].path.as_str();
                if path.len() > dir.len()
                    && path.as_bytes()[dir.len()] == b'/'
                    && path.starts_with(dir)
                {
                    break;
                }
                open.pop();
            }
            let mut start = open.last().map_or(0, |&d| out[d].path.len() + 1);
            while let Some(i) = path[start..].find('/') {
                let dir = &path[..start + i];
                match out.last_mut() {
                    // A file listed under the same name as a directory becomes the directory.
                    Some(last) if last.path == dir => {
                        last.kind = EntryKind::Dir;
                        last.size = 0;
                    }
                    _ => out.push(ContextEntry::dir(dir)),
                }
                open.push(out.len() - 1);
                start += i + 1;
            }
            let is_dir = entry.is_dir();
            out.push(entry);
            if is_dir {
                open.push(out.len() - 1);
            }
        }
        ContextTree { entries: out }
    }

    /// Reads the `--stdin-tree` listing: one path per line, directories end in `/`.
    /// Blank lines are skipped; sizes are 0.
    pub fn from_listing(text: &str) -> ContextTree {
        ContextTree::new(text.lines().filter_map(|line| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.trim().is_empty() {
                return None;
            }
            Some(match line.strip_suffix('/') {
                Some(dir) => ContextEntry::dir(dir),
                None => ContextEntry::file(line, 0),
            })
        }))
    }

    /// The entries in walk order.
    pub fn entries(&self) -> &[ContextEntry] {
        &self.entries
    }
}

/// Compares two clean relative paths in walk order: bytewise, with `/` lowest.
pub fn walk_order(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len().min(b.len());
    match a[..n].iter().zip(&b[..n]).position(|(x, y)| x != y) {
        Some(i) => {
            let key = |c: u8| if c == b'/' { 0u16 } else { u16::from(c) + 1 };
            key(a[i]).cmp(&key(b[i]))
        }
        None => a.len().cmp(&b.len()),
    }
}

fn normalize(path: &str) -> Option<String> {
    let mut out = String::with_capacity(path.len());
    for seg in path.split('/') {
        match seg {
            "" | "." => continue,
            ".." => return None,
            _ => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(seg);
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::{ContextEntry, ContextTree};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn parents_added_and_walk_order() {
        let tree = ContextTree::new([
            ContextEntry::file("a.txt", 1),
            ContextEntry::file("./a/b/c", 2),
            ContextEntry::file("a-b", 0),
        ]);
        let paths: Vec<_> = tree.entries().iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["a", "a/b", "a/b/c", "a-b", "a.txt"]);
    }
}
