//! [`LayerRecord`]: what a step changed, as nodes that can be replayed onto the state it
//! ran on. A cache hit replays the record instead of executing the step.
//!
//! A record is captured from a [`ChangeSet`] and the snapshot after the step: a path
//! that was added or whose type changed carries its whole new node (for a directory, its
//! subtree, shared with the snapshot, so capturing is cheap); a path whose metadata alone
//! changed carries the new metadata; a deleted path carries nothing.

use layerlab_vfs::{ChangeKind, ChangeSet, Fs, FsError, Meta, Node, VfsPath};

/// One change of a layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayerEntry {
    /// The path is gone.
    Delete,
    /// The path is (replaced by) this node; a directory brings its whole subtree.
    Put(Node),
    /// Only the metadata of an existing path changed (directories keep their children).
    Meta(Meta),
}

/// A step's changes, parents before children.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LayerRecord {
    /// The changes in order.
    pub entries: Vec<(VfsPath, LayerEntry)>,
}

impl LayerRecord {
    /// Captures the changes `changes` (from `diff(before, after)`) with their nodes in
    /// `after`.
    ///
    /// # Errors
    /// When a changed path cannot be found in `after`: `changes` was not computed
    /// against `after` (a bug in the caller).
    pub fn capture(changes: &ChangeSet, after: &Fs) -> Result<LayerRecord, FsError> {
        let mut entries: Vec<(VfsPath, LayerEntry)> = Vec::new();
        let mut covered: Option<VfsPath> = None;
        for change in &changes.changes {
            if covered
                .as_ref()
                .is_some_and(|dir| change.path.starts_with(dir))
            {
                continue;
            }
            covered = None;
            let entry = match change.kind {
                ChangeKind::Deleted => LayerEntry::Delete,
                ChangeKind::MetadataOnly => {
                    LayerEntry::Meta(*after.symlink_node(&change.path)?.meta())
                }
                _ => {
                    let node = after.symlink_node(&change.path)?.clone();
                    if node.is_dir() {
                        covered = Some(change.path.clone());
                    }
                    LayerEntry::Put(node)
                }
            };
            entries.push((change.path.clone(), entry));
        }
        Ok(LayerRecord { entries })
    }

    /// Replays the changes onto `fs`.
    ///
    /// # Errors
    /// When `fs` is not the state the record was captured against (a parent is missing).
    pub fn apply(&self, fs: &mut Fs) -> Result<(), FsError> {
        for (path, entry) in &self.entries {
            match entry {
                LayerEntry::Delete => {
                    fs.remove(path)?;
                }
                LayerEntry::Put(node) => {
                    if fs.symlink_node(path).is_ok() {
                        fs.remove(path)?;
                    }
                    fs.insert(path, node.clone())?;
                }
                LayerEntry::Meta(meta) => {
                    fs.set_mode(path, meta.mode)?;
                    fs.chown(path, meta.uid, meta.gid)?;
                    fs.set_mtime(path, meta.mtime)?;
                }
            }
        }
        Ok(())
    }

    /// Bytes of regular-file content the layer adds (what `docker history` sizes count
    /// most of; headers and whiteouts are not included).
    pub fn content_bytes(&self) -> u64 {
        fn node_bytes(node: &Node) -> u64 {
            match node {
                Node::File(f) => f.content.len(),
                Node::Dir(d) => d.entries().map(|(_, n)| node_bytes(n)).sum(),
                _ => 0,
            }
        }
        self.entries
            .iter()
            .map(|(_, e)| match e {
                LayerEntry::Put(node) => node_bytes(node),
                _ => 0,
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use layerlab_vfs::{diff, Content};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn p(s: &str) -> VfsPath {
        VfsPath::new(s)
    }

    #[test]
    fn replaying_a_record_reproduces_the_step() {
        let m = Meta::new(0o644);
        let mut before = Fs::default();
        before.mkdir_p(&p("/etc/apt"), Meta::new(0o755)).unwrap();
        before
            .write_file(&p("/etc/apt/sources"), Content::inline("deb"), m)
            .unwrap();
        before
            .write_file(&p("/etc/hosts"), Content::inline("127.0.0.1"), m)
            .unwrap();
        before
            .write_file(&p("/tmp-file"), Content::inline("x"), m)
            .unwrap();
        let mut after = before.clone();
        after
            .mkdir_p(&p("/var/lib/apt/lists"), Meta::new(0o755))
            .unwrap();
        after
            .write_file(
                &p("/var/lib/apt/lists/a"),
                Content::synthetic(7, 40_000_000),
                m,
            )
            .unwrap();
        after
            .write_file(&p("/etc/hosts"), Content::inline("::1"), m)
            .unwrap();
        after.set_mode(&p("/etc/apt"), 0o700).unwrap();
        after.remove(&p("/tmp-file")).unwrap();
        after
            .symlink("hosts", &p("/etc/hosts2"), Meta::new(0o777))
            .unwrap();

        let changes = diff(&before, &after);
        let record = LayerRecord::capture(&changes, &after).unwrap();
        assert_eq!(record.content_bytes(), 40_000_003);
        let mut replayed = before.clone();
        record.apply(&mut replayed).unwrap();
        assert!(diff(&replayed, &after).is_empty());
    }
}
