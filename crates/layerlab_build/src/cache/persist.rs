//! The cache store as bytes, for the CLI's `--cache-dir` and the page's browser storage;
//! an image as bytes, for the page's build worker to hand its image to the Layers view.
//!
//! A small length-prefixed binary format (little-endian, fixed-width integers), versioned
//! by its magic. Synthetic file content is stored as its `(seed, length)` description, so
//! a cached 300 MB `apt-get install` costs a few bytes. Reading treats the bytes as
//! untrusted: every count is checked against what is left, nesting is bounded, and any
//! inconsistency is an error, never a panic.

use super::inputs::{CacheKey, Field, KeyInputs, SourceFile, SourceSet};
use super::store::{CacheEntry, CacheStore, StepRecord};
use layerlab_image::{EntryKind, Image, ImageConfig, Layer, LayerEntry};
use layerlab_vfs::{Content, ContentKind, Digest, Meta, VfsPath};
use std::fmt;

const MAGIC: &[u8; 8] = b"LLCACHE1";
const IMAGE_MAGIC: &[u8; 8] = b"LLIMAGE1";

/// Why stored cache bytes could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersistError {
    /// What was wrong.
    pub message: String,
    /// Byte offset where it was noticed.
    pub offset: usize,
}

impl fmt::Display for PersistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid cache data at byte {}: {}",
            self.offset, self.message
        )
    }
}

impl std::error::Error for PersistError {}

impl CacheStore {
    /// The store as bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.0.extend_from_slice(MAGIC);
        w.u32(self.entries().len());
        for (key, entry) in self.entries() {
            w.0.extend_from_slice(key.0.as_bytes());
            w.inputs(&entry.inputs);
            w.layer(&entry.layer);
            w.u32(entry.duration_ms as usize);
        }
        w.u32(self.previous_build().len());
        for step in self.previous_build() {
            w.str(&step.id);
            w.str(&step.label);
            w.inputs(&step.inputs);
        }
        w.0
    }

    /// Reads a store written by [`CacheStore::to_bytes`].
    ///
    /// # Errors
    /// When the bytes are not a store of this version, or are truncated or inconsistent.
    pub fn from_bytes(bytes: &[u8]) -> Result<CacheStore, PersistError> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(r.err("not a layerlab cache (or another version)"));
        }
        let mut store = CacheStore::default();
        for _ in 0..r.count(32)? {
            let key = CacheKey(r.digest()?);
            let inputs = r.inputs()?;
            let layer = r.layer()?;
            let duration_ms = r.u32()?;
            store.insert(
                key,
                CacheEntry {
                    inputs,
                    layer,
                    duration_ms,
                },
            );
        }
        let mut steps = Vec::new();
        for _ in 0..r.count(8)? {
            steps.push(StepRecord {
                id: r.string()?,
                label: r.string()?,
                inputs: r.inputs()?,
            });
        }
        store.set_previous_build(steps);
        if r.pos != bytes.len() {
            return Err(r.err("trailing bytes"));
        }
        Ok(store)
    }
}

/// An image as bytes: its config blob (and whether it is one an archive stored), then
/// each layer with its clamp, its diff_id and tar size, and its entries. Synthetic
/// content stays a `(seed, length)`, so a 300 MB layer costs a few bytes.
pub fn image_to_bytes(image: &Image) -> Vec<u8> {
    let mut w = Writer::default();
    w.0.extend_from_slice(IMAGE_MAGIC);
    w.0.push(u8::from(image.has_stored_config()));
    w.bytes(&image.config_bytes());
    w.u32(image.layers.len());
    for layer in &image.layers {
        match layer.clamp_mtime() {
            Some(t) => {
                w.0.push(1);
                w.u64(t as u64);
            }
            None => w.0.push(0),
        }
        w.0.extend_from_slice(layer.diff_id().as_bytes());
        w.u64(layer.tar_size());
        w.layer(layer);
    }
    w.0
}

/// Reads an image written by [`image_to_bytes`]. The digests and sizes written are
/// taken as known, not recomputed (see [`Layer::with_known_digests`]): read only bytes
/// this program wrote, such as the page's own build worker's.
///
/// # Errors
/// When the bytes are not an image of this version, are truncated or inconsistent, or
/// the config does not parse.
pub fn image_from_bytes(bytes: &[u8]) -> Result<Image, PersistError> {
    let mut r = Reader { bytes, pos: 0 };
    if r.take(IMAGE_MAGIC.len())? != IMAGE_MAGIC {
        return Err(r.err("not a layerlab image (or another version)"));
    }
    let stored = match r.u8()? {
        0 => false,
        1 => true,
        _ => return Err(r.err("bad config tag")),
    };
    let config_bytes = r.blob()?;
    let config = ImageConfig::from_json(config_bytes).map_err(|e| r.err(&e.to_string()))?;
    let mut layers = Vec::new();
    for _ in 0..r.count(45)? {
        let clamp = match r.u8()? {
            0 => None,
            1 => Some(r.u64()? as i64),
            _ => return Err(r.err("bad clamp tag")),
        };
        let diff_id = r.digest()?;
        let tar_size = r.u64()?;
        let layer = r.layer()?.with_clamp_mtime(clamp);
        layers.push(layer.with_known_digests(diff_id, tar_size));
    }
    if r.pos != bytes.len() {
        return Err(r.err("trailing bytes"));
    }
    let image = Image::new(config, layers);
    Ok(if stored {
        image.with_stored_config(config_bytes.to_vec())
    } else {
        image
    })
}

#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn u32(&mut self, n: usize) {
        self.0
            .extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
    }
    fn u64(&mut self, n: u64) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.u32(b.len());
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.0.push(1);
                self.str(s);
            }
            None => self.0.push(0),
        }
    }
    fn inputs(&mut self, k: &KeyInputs) {
        self.str(&k.op);
        match &k.parent {
            Some(p) => {
                self.0.push(1);
                self.0.extend_from_slice(p.0.as_bytes());
            }
            None => self.0.push(0),
        }
        self.u32(k.fields.len());
        for f in &k.fields {
            self.str(&f.name);
            self.str(&f.value);
            self.opt_str(f.origin.as_deref());
        }
        self.u32(k.sources.len());
        for s in &k.sources {
            self.str(&s.label);
            self.u32(s.files.len());
            for f in &s.files {
                self.str(&f.path);
                self.0.extend_from_slice(f.digest.as_bytes());
            }
        }
    }
    fn meta(&mut self, m: &Meta) {
        self.0.extend_from_slice(&m.mode.to_le_bytes());
        self.0.extend_from_slice(&m.uid.to_le_bytes());
        self.0.extend_from_slice(&m.gid.to_le_bytes());
        self.0.extend_from_slice(&m.mtime.to_le_bytes());
    }
    fn content(&mut self, content: &Content) {
        match content.kind() {
            ContentKind::Synthetic { seed, len } => {
                self.0.push(1);
                self.u64(seed);
                self.u64(len);
            }
            _ => {
                self.0.push(0);
                self.bytes(&content.to_vec());
            }
        }
    }
    fn layer(&mut self, layer: &Layer) {
        self.u32(layer.entries().len());
        for entry in layer.entries() {
            self.str(entry.path.as_str());
            self.meta(&entry.meta);
            match &entry.kind {
                EntryKind::Dir => self.0.push(0),
                EntryKind::File(content) => {
                    self.0.push(1);
                    self.content(content);
                }
                EntryKind::Symlink(target) => {
                    self.0.push(2);
                    self.str(target);
                }
                EntryKind::Hardlink(to) => {
                    self.0.push(3);
                    self.str(to.as_str());
                }
                EntryKind::Whiteout => self.0.push(4),
                EntryKind::Opaque => self.0.push(5),
                // A kind this version does not know: stored as a whiteout-free no-op
                // directory entry would change the layer, so refuse loudly instead.
                #[allow(unreachable_patterns)]
                other => panic!("cache persistence does not know layer entry {other:?}"),
            }
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn err(&self, message: &str) -> PersistError {
        PersistError {
            message: message.to_string(),
            offset: self.pos,
        }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], PersistError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| self.err("truncated"))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }
    fn u8(&mut self) -> Result<u8, PersistError> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, PersistError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64, PersistError> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(a))
    }
    /// A count of items that each take at least `min_size` bytes: larger than what is
    /// left means corrupt data, not a reason to allocate.
    fn count(&mut self, min_size: usize) -> Result<usize, PersistError> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_size.max(1)) > self.bytes.len() - self.pos {
            return Err(self.err("count larger than the data"));
        }
        Ok(n)
    }
    fn blob(&mut self) -> Result<&'a [u8], PersistError> {
        let n = self.u32()? as usize;
        self.take(n)
    }
    fn string(&mut self) -> Result<String, PersistError> {
        let b = self.blob()?;
        String::from_utf8(b.to_vec()).map_err(|_| self.err("invalid UTF-8"))
    }
    fn opt_string(&mut self) -> Result<Option<String>, PersistError> {
        match self.u8()? {
            0 => Ok(None),
            1 => Ok(Some(self.string()?)),
            _ => Err(self.err("bad option tag")),
        }
    }
    fn digest(&mut self) -> Result<Digest, PersistError> {
        let mut a = [0u8; 32];
        a.copy_from_slice(self.take(32)?);
        Ok(Digest::from_bytes(a))
    }
    fn inputs(&mut self) -> Result<KeyInputs, PersistError> {
        let op = self.string()?;
        let parent = match self.u8()? {
            0 => None,
            1 => Some(CacheKey(self.digest()?)),
            _ => return Err(self.err("bad parent tag")),
        };
        let mut inputs = KeyInputs::new(op, parent);
        for _ in 0..self.count(9)? {
            inputs.fields.push(Field {
                name: self.string()?,
                value: self.string()?,
                origin: self.opt_string()?,
            });
        }
        for _ in 0..self.count(8)? {
            let label = self.string()?;
            let mut files = Vec::new();
            for _ in 0..self.count(36)? {
                files.push(SourceFile {
                    path: self.string()?,
                    digest: self.digest()?,
                });
            }
            inputs.sources.push(SourceSet { label, files });
        }
        Ok(inputs)
    }
    fn meta(&mut self) -> Result<Meta, PersistError> {
        let mode = self.u32()?;
        let uid = self.u32()?;
        let gid = self.u32()?;
        let mtime = self.u64()? as i64;
        Ok(Meta::new(mode).with_owner(uid, gid).with_mtime(mtime))
    }
    fn path(&mut self) -> Result<VfsPath, PersistError> {
        let path = self.string()?;
        if !path.starts_with('/') || path.split('/').any(|c| c == "..") {
            return Err(self.err("layer path is not absolute and clean"));
        }
        Ok(VfsPath::new(&path))
    }
    fn layer(&mut self) -> Result<Layer, PersistError> {
        let mut entries = Vec::new();
        for _ in 0..self.count(25)? {
            let path = self.path()?;
            let meta = self.meta()?;
            let kind = match self.u8()? {
                0 => EntryKind::Dir,
                1 => EntryKind::File(match self.u8()? {
                    0 => Content::inline(self.blob()?.to_vec()),
                    1 => Content::synthetic(self.u64()?, self.u64()?),
                    _ => return Err(self.err("bad content tag")),
                }),
                2 => EntryKind::Symlink(self.string()?),
                3 => EntryKind::Hardlink(self.path()?),
                4 => EntryKind::Whiteout,
                5 => EntryKind::Opaque,
                _ => return Err(self.err("bad layer entry tag")),
            };
            entries.push(LayerEntry { path, kind, meta });
        }
        Ok(Layer::from_entries(entries))
    }
}
