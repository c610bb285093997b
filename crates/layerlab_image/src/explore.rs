//! Exploring a stack of layers the way `dive` does: what each layer added, changed and
//! deleted, the merged filesystem with the layer each path comes from, and the space
//! wasted by files that a later layer overwrote or deleted.
//!
//! Waste is counted once per file version: a file written in layer 1 and replaced in
//! layers 2 and 3 wastes its layer-1 size (replaced by layer 2) plus its layer-2 size
//! (replaced by layer 3). Directories and symlinks are not counted (their size in a tar
//! is headers only). Deleting a directory wastes every file below it. A file re-emitted
//! unchanged wastes the copy below (the layer stores it again); a hard link stores no
//! bytes, so replacing one wastes none.

use crate::apply::apply_layer;
use crate::error::Result;
use crate::layer::{EntryKind, Layer};
use layerlab_vfs::{Fs, Node, NodeType, VfsPath};
use std::collections::BTreeMap;

/// How one layer entry changed the filesystem below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EntryEffect {
    /// The path did not exist below.
    Added,
    /// The path existed with other content, type or target.
    Modified,
    /// Same content; mode, owner or mtime changed.
    MetadataOnly,
    /// Identical to what was below (typically a parent directory re-emitted).
    Unchanged,
    /// A whiteout removed the path (and its subtree).
    Deleted,
    /// An opaque marker hid the directory's lower children.
    Opaque,
    /// A whiteout for a path that did not exist below (harmless, but noted).
    DeletedMissing,
}

impl EntryEffect {
    /// One letter for listings: `A`, `M`, `m`, `=`, `D`, `O`, `d`.
    pub fn letter(self) -> char {
        match self {
            EntryEffect::Added => 'A',
            EntryEffect::Modified => 'M',
            EntryEffect::MetadataOnly => 'm',
            EntryEffect::Unchanged => '=',
            EntryEffect::Deleted => 'D',
            EntryEffect::Opaque => 'O',
            EntryEffect::DeletedMissing => 'd',
        }
    }
}

/// One entry of a layer, classified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerChange {
    /// Path affected.
    pub path: VfsPath,
    /// Classification against the layers below.
    pub effect: EntryEffect,
    /// Type of the new node (`None` for whiteouts).
    pub node_type: Option<NodeType>,
    /// Bytes added by a file entry, or bytes of files removed by a whiteout.
    pub size: u64,
}

/// All classified entries of one layer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LayerSummary {
    /// Entries in tar order.
    pub changes: Vec<LayerChange>,
    /// Bytes of file content in the layer.
    pub content_bytes: u64,
}

/// A file version that a later layer made unreachable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WastedFile {
    /// Path of the file.
    pub path: VfsPath,
    /// Layer that wrote this version.
    pub layer: u32,
    /// Its size.
    pub size: u64,
    /// Layer that overwrote or deleted it.
    pub by_layer: u32,
    /// True when deleted (whiteout/opaque), false when overwritten.
    pub deleted: bool,
}

/// One row of a merged-filesystem listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListEntry {
    /// Full path.
    pub path: VfsPath,
    /// Node type.
    pub node_type: NodeType,
    /// Size (files), target length (symlinks), 0 (directories).
    pub size: u64,
    /// Mode bits.
    pub mode: u32,
    /// Owner.
    pub uid: u32,
    /// Group.
    pub gid: u32,
    /// Symlink target.
    pub target: Option<String>,
    /// Index of the layer that last wrote this path.
    pub origin: Option<u32>,
}

/// The result of applying a stack of layers with bookkeeping.
#[derive(Clone, Debug, Default)]
pub struct Exploration {
    /// The merged filesystem.
    pub fs: Fs,
    /// Per-layer classified entries.
    pub layers: Vec<LayerSummary>,
    /// Overwritten or deleted file versions, in the order they were wasted.
    pub wasted: Vec<WastedFile>,
    origin: BTreeMap<String, (u32, Option<u64>)>,
}

fn subtree_file_bytes(node: &Node) -> u64 {
    match node {
        Node::File(f) => f.content.len(),
        Node::Dir(d) => d.entries().map(|(_, n)| subtree_file_bytes(n)).sum(),
        Node::Symlink(_) => 0,
    }
}

impl Exploration {
    /// Applies `layers` bottom first, recording origins and waste.
    ///
    /// # Errors
    /// Those of [`apply_layer`], with the layer's position in the file field.
    pub fn new(layers: &[Layer]) -> Result<Self> {
        let mut ex = Exploration::default();
        for (idx, layer) in layers.iter().enumerate() {
            ex.push(idx as u32, layer)
                .map_err(|e| e.in_file(&format!("layer {idx}")))?;
        }
        Ok(ex)
    }

    /// Drops origin records at `path` and below, wasting their files.
    fn forget(&mut self, path: &VfsPath, by: u32, deleted: bool, include_self: bool) {
        let base = path.as_str().to_owned();
        let lo = if path.is_root() {
            "/".to_owned()
        } else {
            format!("{base}/")
        };
        let hi = if path.is_root() {
            "0".to_owned()
        } else {
            format!("{base}0")
        };
        let mut keys: Vec<String> = self.origin.range(lo..hi).map(|(k, _)| k.clone()).collect();
        if include_self && self.origin.contains_key(&base) {
            keys.insert(0, base);
        }
        for k in keys {
            if let Some((layer, Some(size))) = self.origin.remove(&k) {
                self.wasted.push(WastedFile {
                    path: VfsPath::new(&k),
                    layer,
                    size,
                    by_layer: by,
                    deleted,
                });
            }
        }
    }

    fn push(&mut self, idx: u32, layer: &Layer) -> Result<()> {
        let mut summary = LayerSummary {
            content_bytes: layer.content_size(),
            ..LayerSummary::default()
        };
        for e in layer.entries() {
            let below = self.fs.symlink_node(&e.path).ok();
            let (effect, node_type, size) = match (&e.kind, below) {
                (EntryKind::Whiteout, Some(n)) => {
                    (EntryEffect::Deleted, None, subtree_file_bytes(n))
                }
                (EntryKind::Whiteout, None) => (EntryEffect::DeletedMissing, None, 0),
                (EntryKind::Opaque, n) => {
                    (EntryEffect::Opaque, None, n.map_or(0, subtree_file_bytes))
                }
                (kind, below) => {
                    let new = match kind {
                        EntryKind::Dir => Node::dir(e.meta),
                        EntryKind::File(c) => Node::file(c.clone(), e.meta),
                        EntryKind::Symlink(t) => Node::symlink(t, e.meta),
                        _ => match self.fs.symlink_node(&hardlink_target(kind)) {
                            Ok(Node::File(f)) => Node::file(f.content.clone(), e.meta),
                            _ => Node::file(layerlab_vfs::Content::inline(""), e.meta),
                        },
                    };
                    let effect = match below {
                        None => EntryEffect::Added,
                        Some(b) if b.same_self(&new) => EntryEffect::Unchanged,
                        Some(b)
                            if b.node_type() == new.node_type() && {
                                let mut b2 = b.clone();
                                *b2.meta_mut() = *new.meta();
                                b2.same_self(&new)
                            } =>
                        {
                            EntryEffect::MetadataOnly
                        }
                        Some(_) => EntryEffect::Modified,
                    };
                    (effect, Some(new.node_type()), new.size())
                }
            };
            summary.changes.push(LayerChange {
                path: e.path.clone(),
                effect,
                node_type,
                size,
            });
        }
        // Bookkeeping in application order: opaque markers first, like the applier.
        // Origins are keyed by the real path: an entry `lib/x` under a `lib -> usr/lib`
        // link lands on `/usr/lib/x`, which is what listings show.
        let real = |fs: &Fs, p: &VfsPath| fs.resolve(p, false).unwrap_or_else(|_| p.clone());
        for e in layer.entries() {
            if e.kind == EntryKind::Opaque {
                self.forget(&real(&self.fs, &e.path), idx, true, false);
            }
        }
        for (e, c) in layer.entries().iter().zip(&summary.changes) {
            let path = real(&self.fs, &e.path);
            match e.kind {
                EntryKind::Opaque => {}
                EntryKind::Whiteout => self.forget(&path, idx, true, true),
                // A directory re-emitted as it was (a parent of a changed path) changes
                // nothing. A file re-emitted identically still stores its bytes again and
                // hides the lower copy, so it falls through and wastes that copy.
                EntryKind::Dir | EntryKind::Symlink(_) if c.effect == EntryEffect::Unchanged => {
                    self.origin
                        .entry(path.as_str().to_owned())
                        .or_insert((idx, None));
                }
                _ => {
                    // A directory over a directory keeps its children; anything else
                    // replaces the whole subtree.
                    let is_dir = e.kind == EntryKind::Dir;
                    let below_is_dir = self.fs.symlink_node(&path).is_ok_and(Node::is_dir);
                    if !(is_dir && below_is_dir) {
                        self.forget(&path, idx, false, false);
                    }
                    // What the layer stores: a hard link stores no bytes (its target
                    // holds them), so replacing it later wastes nothing.
                    let size =
                        (!is_dir && c.node_type == Some(NodeType::File)).then(|| e.content_len());
                    let prev = self.origin.insert(path.as_str().to_owned(), (idx, size));
                    if let Some((layer, Some(size))) = prev {
                        self.wasted.push(WastedFile {
                            path,
                            layer,
                            size,
                            by_layer: idx,
                            deleted: false,
                        });
                    }
                }
            }
        }
        apply_layer(&mut self.fs, layer)?;
        self.layers.push(summary);
        Ok(())
    }

    /// The layer that last wrote `path` (`None` for paths only implied as parents).
    pub fn origin(&self, path: &VfsPath) -> Option<u32> {
        self.origin.get(path.as_str()).map(|(l, _)| *l)
    }

    /// Total wasted bytes.
    pub fn wasted_bytes(&self) -> u64 {
        self.wasted.iter().map(|w| w.size).sum()
    }

    /// The merged filesystem at and below `dir` (recursively when `recursive`), with
    /// each entry's origin layer. A non-directory `dir` lists just itself.
    ///
    /// # Errors
    /// Filesystem errors for a missing `dir`.
    pub fn list(
        &self,
        dir: &VfsPath,
        recursive: bool,
    ) -> std::result::Result<Vec<ListEntry>, layerlab_vfs::FsError> {
        let row = |path: VfsPath, n: &Node| ListEntry {
            origin: self.origin(&path),
            path,
            node_type: n.node_type(),
            size: n.size(),
            mode: n.meta().mode,
            uid: n.meta().uid,
            gid: n.meta().gid,
            target: match n {
                Node::Symlink(s) => Some(s.target.clone()),
                _ => None,
            },
        };
        let real = self.fs.resolve(dir, true)?;
        if !real.is_root() {
            let n = self.fs.symlink_node(&real)?;
            if !n.is_dir() {
                return Ok(vec![row(real, n)]);
            }
        }
        if recursive {
            let prefix = real.clone();
            return Ok(self
                .fs
                .walk()
                .into_iter()
                .filter(|(p, _)| p != &prefix && p.starts_with(&prefix))
                .map(|(p, n)| row(p, n))
                .collect());
        }
        Ok(self
            .fs
            .read_dir(&real)?
            .into_iter()
            .map(|(name, n)| row(real.child(name), n))
            .collect())
    }
}

fn hardlink_target(kind: &EntryKind) -> VfsPath {
    match kind {
        EntryKind::Hardlink(p) => p.clone(),
        _ => VfsPath::root(),
    }
}
