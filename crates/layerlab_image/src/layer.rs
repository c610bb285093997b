//! [`Layer`]: a filesystem changeset and its deterministic tar serialization.
//!
//! A layer is built from a [`ChangeSet`] the way containerd's `ChangeWriter` (used by
//! BuildKit) writes one: entries in walk order, each changed path preceded by its parent
//! directories (once), deletions as empty regular files named `.wh.<name>` (OCI
//! image-spec layer.md "Whiteouts"), names relative without a leading `/`, directories
//! with a trailing `/`, numeric uid/gid, empty uname/gname, mtimes in whole seconds.
//! Whiteouts carry mode 0 and the mtime from [`LayerOptions::whiteout_mtime`] (0, as
//! containerd ≥ 2.0 writes them).
//!
//! The tar is never held in memory unless asked for: [`Layer::write_tar`] streams it
//! (synthetic file content in 64 KiB chunks), [`Layer::tar_size`] is computed from the
//! headers alone, and [`Layer::diff_id`] hashes the stream once and memoizes it.

use crate::tar::{encoded_header_len, padding, write_header, HeaderSpec, BLOCK};
use layerlab_vfs::{ChangeKind, ChangeSet, Content, Digest, Fs, Hasher, Meta, Node, VfsPath};
use std::collections::BTreeSet;
use std::io::{self, Write};
use std::sync::{Arc, OnceLock};

/// The OCI whiteout prefix.
pub const WHITEOUT_PREFIX: &str = ".wh.";
/// The OCI opaque-directory marker file name.
pub const OPAQUE_WHITEOUT: &str = ".wh..wh..opq";

/// What one layer entry does.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EntryKind {
    /// Create or update a directory (existing children are kept).
    Dir,
    /// Create or replace a regular file.
    File(Content),
    /// Create or replace a symlink with this target.
    Symlink(String),
    /// A hard link to another path (imported layers only; the model copies the file).
    Hardlink(VfsPath),
    /// Delete `path` (and its subtree) from lower layers: a `.wh.<name>` entry.
    Whiteout,
    /// Hide every lower-layer child of the directory `path`: a `.wh..wh..opq` entry.
    Opaque,
}

/// One entry: a path, what happens there, and the metadata written in its header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerEntry {
    /// The affected path (for whiteouts, the deleted path, not the `.wh.` name).
    pub path: VfsPath,
    /// The operation.
    pub kind: EntryKind,
    /// Header metadata.
    pub meta: Meta,
}

impl LayerEntry {
    /// The entry for `node` at `path`.
    pub fn from_node(path: VfsPath, node: &Node) -> Self {
        let kind = match node {
            Node::File(f) => EntryKind::File(f.content.clone()),
            Node::Dir(_) => EntryKind::Dir,
            Node::Symlink(s) => EntryKind::Symlink(s.target.clone()),
        };
        LayerEntry {
            path,
            kind,
            meta: *node.meta(),
        }
    }

    /// The name this entry has inside the tar, e.g. `app/`, `app/x`, `app/.wh.y`.
    pub fn tar_name(&self) -> String {
        let rel = self.path.relative();
        match &self.kind {
            EntryKind::Dir => format!("{rel}/"),
            EntryKind::Whiteout | EntryKind::Opaque => {
                let (dir, base) = match (&self.kind, self.path.parent()) {
                    (EntryKind::Opaque, _) => (self.path.clone(), OPAQUE_WHITEOUT.to_owned()),
                    (_, parent) => (
                        parent.unwrap_or_else(VfsPath::root),
                        format!(
                            "{WHITEOUT_PREFIX}{}",
                            self.path.file_name().unwrap_or_default()
                        ),
                    ),
                };
                if dir.is_root() {
                    base
                } else {
                    format!("{}/{base}", dir.relative())
                }
            }
            _ => rel.to_owned(),
        }
    }

    /// Bytes of file content (0 for everything else).
    pub fn content_len(&self) -> u64 {
        match &self.kind {
            EntryKind::File(c) => c.len(),
            _ => 0,
        }
    }
}

/// Choices for writing layers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LayerOptions {
    /// mtime of whiteout entries.
    pub whiteout_mtime: i64,
    /// BuildKit's `rewrite-timestamp=true`: mtimes later than this are clamped to it.
    pub clamp_mtime: Option<i64>,
}

/// A layer: ordered entries plus memoized digests. Cloning is cheap.
#[derive(Clone, Debug)]
pub struct Layer {
    entries: Arc<[LayerEntry]>,
    clamp_mtime: Option<i64>,
    diff_id: Arc<OnceLock<Digest>>,
    tar_size: Arc<OnceLock<u64>>,
}

impl PartialEq for Layer {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries && self.clamp_mtime == other.clamp_mtime
    }
}

impl Eq for Layer {}

impl Default for Layer {
    /// The empty layer: its tar is 1024 zero bytes.
    fn default() -> Self {
        Layer::from_entries(Vec::new())
    }
}

impl Layer {
    /// A layer with exactly these entries, in this order.
    pub fn from_entries(entries: Vec<LayerEntry>) -> Self {
        Layer {
            entries: entries.into(),
            clamp_mtime: None,
            diff_id: Arc::default(),
            tar_size: Arc::default(),
        }
    }

    /// The layer that turns the snapshot before `changes` into `new`.
    ///
    /// `changes` must be `diff(old, new)` for some `old`; paths it names are looked up
    /// in `new`.
    pub fn from_changes(new: &Fs, changes: &ChangeSet, opts: &LayerOptions) -> Self {
        let mut emitted_dirs: BTreeSet<VfsPath> = BTreeSet::new();
        let mut entries = Vec::with_capacity(changes.changes.len());
        for change in &changes.changes {
            // containerd's writer emits every parent directory of a changed path once,
            // before it, so that the layer alone recreates the parents' metadata.
            let mut ancestors: Vec<VfsPath> = Vec::new();
            let mut cur = change.path.parent();
            while let Some(p) = cur {
                if p.is_root() || emitted_dirs.contains(&p) {
                    break;
                }
                cur = p.parent();
                ancestors.push(p);
            }
            for dir in ancestors.into_iter().rev() {
                if let Ok(node @ Node::Dir(_)) = new.symlink_node(&dir) {
                    entries.push(LayerEntry::from_node(dir.clone(), node));
                    emitted_dirs.insert(dir);
                }
            }
            if change.kind == ChangeKind::Deleted {
                entries.push(LayerEntry {
                    path: change.path.clone(),
                    kind: EntryKind::Whiteout,
                    meta: Meta::new(0).with_mtime(opts.whiteout_mtime),
                });
                continue;
            }
            if let Ok(node) = new.symlink_node(&change.path) {
                if node.is_dir() {
                    emitted_dirs.insert(change.path.clone());
                }
                entries.push(LayerEntry::from_node(change.path.clone(), node));
            }
        }
        let mut layer = Layer::from_entries(entries);
        layer.clamp_mtime = opts.clamp_mtime;
        layer
    }

    /// The layer from snapshot `old` to snapshot `new`: `from_changes(new, diff(old, new))`.
    pub fn between(old: &Fs, new: &Fs, opts: &LayerOptions) -> Self {
        Self::from_changes(new, &layerlab_vfs::diff(old, new), opts)
    }

    /// A cheap identity for the layer's content, for interactive views and cache keys:
    /// SHA-256 over a fixed-width encoding of every entry (name, type, metadata, and a
    /// file's memoized content digest instead of its bytes). It is layerlab's own, not
    /// an OCI digest: it changes exactly when the diff_id would, but costs one hash per
    /// distinct file content ever, instead of hashing the whole tar.
    pub fn content_digest(&self) -> Digest {
        let mut h = Hasher::default();
        h.update(b"layerlab.layer.v1\0");
        for e in self.entries.iter() {
            let name = e.tar_name();
            let (tag, link): (u8, &str) = match &e.kind {
                EntryKind::Dir => (b'd', ""),
                EntryKind::File(_) => (b'f', ""),
                EntryKind::Symlink(t) => (b'l', t),
                EntryKind::Hardlink(p) => (b'h', p.relative()),
                EntryKind::Whiteout => (b'w', ""),
                EntryKind::Opaque => (b'o', ""),
            };
            h.update(&[tag]);
            h.update(&(name.len() as u32).to_le_bytes());
            h.update(name.as_bytes());
            h.update(&(link.len() as u32).to_le_bytes());
            h.update(link.as_bytes());
            let mtime = match self.clamp_mtime {
                Some(epoch) if e.meta.mtime > epoch => epoch,
                _ => e.meta.mtime,
            };
            for n in [e.meta.mode, e.meta.uid, e.meta.gid] {
                h.update(&n.to_le_bytes());
            }
            h.update(&mtime.to_le_bytes());
            if let EntryKind::File(c) = &e.kind {
                h.update(&c.len().to_le_bytes());
                h.update(c.digest().as_bytes());
            }
        }
        h.finish()
    }

    /// True when both are handles on one layer (a clone), not merely equal ones: two
    /// steps can make identical layers (two `RUN true`), and a view linking layers to
    /// steps must tell them apart. A pointer comparison.
    pub fn is_same_layer(&self, other: &Layer) -> bool {
        Arc::ptr_eq(&self.entries, &other.entries)
    }

    /// The entries in tar order.
    pub fn entries(&self) -> &[LayerEntry] {
        &self.entries
    }

    /// True without entries (the empty tar).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Sum of file content sizes.
    pub fn content_size(&self) -> u64 {
        self.entries.iter().map(LayerEntry::content_len).sum()
    }

    fn header<'a>(&self, e: &'a LayerEntry, name: &'a str, link: &'a str) -> HeaderSpec<'a> {
        let typeflag = match e.kind {
            EntryKind::Dir => b'5',
            EntryKind::Symlink(_) => b'2',
            EntryKind::Hardlink(_) => b'1',
            _ => b'0',
        };
        let mtime = match self.clamp_mtime {
            Some(epoch) if e.meta.mtime > epoch => epoch,
            _ => e.meta.mtime,
        };
        HeaderSpec {
            name,
            typeflag,
            mode: e.meta.mode,
            uid: e.meta.uid,
            gid: e.meta.gid,
            size: e.content_len(),
            mtime,
            linkname: link,
        }
    }

    fn link_of(e: &LayerEntry) -> &str {
        match &e.kind {
            EntryKind::Symlink(t) => t,
            EntryKind::Hardlink(p) => p.relative(),
            _ => "",
        }
    }

    /// Records digests the caller already knows for this exact layer, so they are never
    /// recomputed: base images carry diff_ids computed once by the catalog generator
    /// (and checked by its tests), and a build must not re-hash hundreds of megabytes
    /// to name them. Values already computed are kept. Clones share the memo cells, so
    /// the values go into new cells: layers this one was cloned from are not told.
    pub fn with_known_digests(self, diff_id: Digest, tar_size: u64) -> Layer {
        fn known<T: Copy>(cell: &OnceLock<T>, value: T) -> Arc<OnceLock<T>> {
            Arc::new(OnceLock::from(cell.get().copied().unwrap_or(value)))
        }
        Layer {
            diff_id: known(&self.diff_id, diff_id),
            tar_size: known(&self.tar_size, tar_size),
            ..self
        }
    }

    /// Streams the tar to `w`: headers, content in chunks, two zero blocks.
    ///
    /// # Errors
    /// Only those of `w`.
    pub fn write_tar(&self, w: &mut dyn Write) -> io::Result<()> {
        let mut hdr = Vec::with_capacity(BLOCK * 3);
        for e in self.entries.iter() {
            let name = e.tar_name();
            hdr.clear();
            write_header(&self.header(e, &name, Self::link_of(e)), &mut hdr);
            w.write_all(&hdr)?;
            if let EntryKind::File(c) = &e.kind {
                let mut res = Ok(());
                c.for_each_chunk(|chunk| {
                    if res.is_ok() {
                        res = w.write_all(chunk);
                    }
                });
                res?;
                w.write_all(&[0u8; BLOCK][..padding(c.len())])?;
            }
        }
        w.write_all(&[0u8; BLOCK * 2])
    }

    /// The whole tar in memory (tests, small layers).
    pub fn to_tar(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.tar_size() as usize);
        self.write_tar(&mut v)
            .expect("writing to a Vec cannot fail");
        v
    }

    /// Exact length of [`Layer::write_tar`]'s output, without producing the content
    /// (headers are encoded once, then the value is memoized).
    pub fn tar_size(&self) -> u64 {
        *self.tar_size.get_or_init(|| self.compute_tar_size())
    }

    fn compute_tar_size(&self) -> u64 {
        let mut n = 2 * BLOCK as u64;
        for e in self.entries.iter() {
            let name = e.tar_name();
            n += encoded_header_len(&self.header(e, &name, Self::link_of(e)));
            let len = e.content_len();
            n += len + padding(len) as u64;
        }
        n
    }

    /// The diff_id: `sha256` of the uncompressed tar (computed once, then memoized).
    pub fn diff_id(&self) -> Digest {
        *self.diff_id.get_or_init(|| {
            let mut h = Hasher::default();
            self.write_tar(&mut h).expect("hashing cannot fail");
            h.finish()
        })
    }

    /// The same entries with nothing known: digests and size are computed from the
    /// tar this layer writes, whatever [`Layer::with_known_digests`] recorded.
    pub fn recomputed(&self) -> Layer {
        Layer {
            diff_id: Arc::default(),
            tar_size: Arc::default(),
            ..self.clone()
        }
    }

    /// BuildKit's `rewrite-timestamp` clamp this layer writes its mtimes with.
    pub fn clamp_mtime(&self) -> Option<i64> {
        self.clamp_mtime
    }

    /// The same entries written with another mtime clamp (a new tar: nothing known).
    pub fn with_clamp_mtime(&self, clamp_mtime: Option<i64>) -> Layer {
        Layer {
            clamp_mtime,
            ..self.recomputed()
        }
    }

    /// The diff_id if already computed.
    pub fn cached_diff_id(&self) -> Option<Digest> {
        self.diff_id.get().copied()
    }
}

/// ChainID of a stack of diff_ids, bottom first (OCI image-spec config.md "Layer
/// ChainID"): `ChainID(L0) = DiffID(L0)`, then `sha256(parent + " " + diff_id)`.
/// `None` for an empty stack.
pub fn chain_id(diff_ids: &[Digest]) -> Option<Digest> {
    let (first, rest) = diff_ids.split_first()?;
    Some(
        rest.iter()
            .fold(*first, |acc, d| Digest::of(format!("{acc} {d}").as_bytes())),
    )
}

/// The ChainID of every prefix of `diff_ids`.
pub fn chain_ids(diff_ids: &[Digest]) -> Vec<Digest> {
    (1..=diff_ids.len())
        .filter_map(|n| chain_id(&diff_ids[..n]))
        .collect()
}
