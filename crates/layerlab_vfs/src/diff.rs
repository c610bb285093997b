//! [`diff`]: what changed between two snapshots, in layer-tar order.
//!
//! The classification follows containerd's double walk (the differ BuildKit vendors):
//! a path present only in the new tree is *added*; only in the old tree, *deleted*
//! (its children are implied and not listed); in both with another type, *replaced*
//! (a directory that becomes a file needs no whiteout: the new entry replaces it when
//! the layer is applied); same type with other bytes or target, *modified*; same bytes
//! but other mode/owner/mtime, *metadata only*. Subtrees whose children storage is
//! shared between the snapshots are skipped without being visited, so diffing two
//! consecutive build steps costs only what the step touched. The root directory's own
//! metadata is not compared: layer tars carry no entry for `/`.

use crate::fs::{walk_dir, Fs};
use crate::node::{Dir, Node, NodeType};
use crate::path::VfsPath;
use std::cmp::Ordering;

/// How one path changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChangeKind {
    /// Only in the new tree.
    Added,
    /// Same type, other content (files) or target (symlinks); metadata may differ too.
    Modified,
    /// Same type and content; only mode, owner or mtime differ.
    MetadataOnly,
    /// Only in the old tree (a directory's children are not listed separately).
    Deleted,
    /// The type changed, e.g. a directory replaced by a file.
    Replaced {
        /// Old type.
        from: NodeType,
        /// New type.
        to: NodeType,
    },
}

impl ChangeKind {
    /// A one-letter code like `git status` / `docker diff`: `A`, `M`, `m`, `D`, `R`.
    pub fn letter(self) -> char {
        match self {
            ChangeKind::Added => 'A',
            ChangeKind::Modified => 'M',
            ChangeKind::MetadataOnly => 'm',
            ChangeKind::Deleted => 'D',
            ChangeKind::Replaced { .. } => 'R',
        }
    }
}

/// One changed path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The path.
    pub path: VfsPath,
    /// What happened to it.
    pub kind: ChangeKind,
}

/// All changes between two snapshots, parents before children, siblings by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// The changes in walk order.
    pub changes: Vec<Change>,
}

impl ChangeSet {
    /// True when the snapshots are equal (below the root).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Computes the changes that turn `old` into `new`.
pub fn diff(old: &Fs, new: &Fs) -> ChangeSet {
    let mut out = Vec::new();
    diff_dir(old.root(), new.root(), &VfsPath::root(), &mut out);
    ChangeSet { changes: out }
}

fn push_added_subtree(node: &Node, path: &VfsPath, out: &mut Vec<Change>) {
    if let Node::Dir(d) = node {
        let mut sub = Vec::new();
        walk_dir(d, path, &mut sub);
        out.extend(sub.into_iter().map(|(path, _)| Change {
            path,
            kind: ChangeKind::Added,
        }));
    }
}

fn diff_dir(a: &Dir, b: &Dir, at: &VfsPath, out: &mut Vec<Change>) {
    if a.shares_entries_with(b) {
        return;
    }
    let mut ia = a.entries().peekable();
    let mut ib = b.entries().peekable();
    loop {
        let order = match (ia.peek(), ib.peek()) {
            (None, None) => break,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some((na, _)), Some((nb, _))) => na.cmp(nb),
        };
        match order {
            Ordering::Less => {
                let (name, _) = ia.next().expect("peeked");
                out.push(Change {
                    path: at.child(name),
                    kind: ChangeKind::Deleted,
                });
            }
            Ordering::Greater => {
                let (name, node) = ib.next().expect("peeked");
                let path = at.child(name);
                out.push(Change {
                    path: path.clone(),
                    kind: ChangeKind::Added,
                });
                push_added_subtree(node, &path, out);
            }
            Ordering::Equal => {
                let (name, na) = ia.next().expect("peeked");
                let (_, nb) = ib.next().expect("peeked");
                diff_node(na, nb, &at.child(name), out);
            }
        }
    }
}

fn diff_node(a: &Node, b: &Node, path: &VfsPath, out: &mut Vec<Change>) {
    let kind = match (a, b) {
        (Node::File(x), Node::File(y)) if x.content != y.content => Some(ChangeKind::Modified),
        (Node::Symlink(x), Node::Symlink(y)) if x.target != y.target => Some(ChangeKind::Modified),
        _ if a.node_type() != b.node_type() => Some(ChangeKind::Replaced {
            from: a.node_type(),
            to: b.node_type(),
        }),
        _ if a.meta() != b.meta() => Some(ChangeKind::MetadataOnly),
        _ => None,
    };
    if let Some(kind) = kind {
        out.push(Change {
            path: path.clone(),
            kind,
        });
    }
    match (a, b) {
        (Node::Dir(x), Node::Dir(y)) => diff_dir(x, y, path, out),
        (_, Node::Dir(_)) => push_added_subtree(b, path, out),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Content, Meta};

    fn p(s: &str) -> VfsPath {
        VfsPath::new(s)
    }

    #[test]
    fn classifies_every_kind_of_change() {
        let mut a = Fs::default();
        let m = Meta::new(0o644);
        a.mkdir_p(&p("/d/sub"), Meta::new(0o755)).unwrap();
        a.write_file(&p("/d/sub/x"), Content::inline("x"), m)
            .unwrap();
        a.write_file(&p("/f"), Content::inline("1"), m).unwrap();
        a.write_file(&p("/g"), Content::inline("1"), m).unwrap();
        a.write_file(&p("/gone"), Content::inline("1"), m).unwrap();
        let mut b = a.clone();
        b.remove(&p("/d")).unwrap();
        b.write_file(&p("/d"), Content::inline("now a file"), m)
            .unwrap();
        b.write_file(&p("/f"), Content::inline("2"), m).unwrap();
        b.set_mode(&p("/g"), 0o600).unwrap();
        b.remove(&p("/gone")).unwrap();
        b.mkdir_p(&p("/new/deep"), Meta::new(0o755)).unwrap();
        let got: Vec<String> = diff(&a, &b)
            .changes
            .iter()
            .map(|c| format!("{} {}", c.kind.letter(), c.path))
            .collect();
        assert_eq!(
            got,
            ["R /d", "M /f", "m /g", "D /gone", "A /new", "A /new/deep"]
        );
    }

    #[test]
    fn identical_snapshots_have_no_changes() {
        let mut a = Fs::default();
        a.mkdir_p(&p("/a/b"), Meta::new(0o755)).unwrap();
        assert!(diff(&a, &a.clone()).is_empty());
    }
}
