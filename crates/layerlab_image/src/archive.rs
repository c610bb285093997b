//! Writing whole images as archives: an OCI image layout in a tar (what
//! `docker buildx build -o type=oci` and `skopeo copy … oci-archive:` produce) and a
//! `docker save` tarball in the Docker ≥ 25 shape (an OCI layout plus `manifest.json`
//! and `repositories`, layers uncompressed and named by diff_id; semantics.md §5.7).
//!
//! Everything streams into a [`Write`]: layer blobs are hashed in a first pass and
//! written in a second, so a 300 MB synthetic layer never sits in memory uncompressed.
//! Gzip layers are compressed into memory once (their size must precede them in the
//! tar), with the pure-Rust miniz_oxide backend on every target so the bytes are the
//! same natively and in wasm.

use crate::config::ImageConfig;
use crate::gzip::GzWriter;
use crate::json::{Json, ObjBuilder};
use crate::layer::Layer;
use crate::manifest::{media_type, Descriptor, Index, Manifest};
use crate::reference::Reference;
use crate::tar::{padding, write_header, HeaderSpec, BLOCK};
use layerlab_vfs::{Digest, Hasher};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// An image ready to export: its config and its layers, bottom first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Image {
    /// The config; `diff_ids` match `layers`.
    pub config: ImageConfig,
    /// The layers.
    pub layers: Vec<Layer>,
    /// The config exactly as an archive stored it (see [`Image::with_stored_config`]).
    stored_config: Option<Vec<u8>>,
}

impl Image {
    /// Pairs a config with its layers, filling `rootfs.diff_ids` from the layers.
    pub fn new(mut config: ImageConfig, layers: Vec<Layer>) -> Self {
        config.diff_ids = layers.iter().map(Layer::diff_id).collect();
        Image {
            config,
            layers,
            stored_config: None,
        }
    }

    /// Keeps the config bytes an imported archive stored, which `config` was read
    /// from: they are what the image ID names, and writing `config` again could
    /// differ from them (other key order or spacing, fields layerlab does not model).
    pub fn with_stored_config(mut self, bytes: Vec<u8>) -> Self {
        self.stored_config = Some(bytes);
        self
    }

    /// Whether the config bytes are ones an archive stored (see
    /// [`Image::with_stored_config`]).
    pub fn has_stored_config(&self) -> bool {
        self.stored_config.is_some()
    }

    /// The config blob archives carry: the stored bytes when kept, else `config`
    /// serialized as Go writes it.
    pub fn config_bytes(&self) -> Vec<u8> {
        match &self.stored_config {
            Some(b) => b.clone(),
            None => self.config.to_bytes(),
        }
    }

    /// The image ID (`sha256` of the config bytes).
    pub fn id(&self) -> Digest {
        match &self.stored_config {
            Some(b) => Digest::of(b),
            None => self.config.image_id(),
        }
    }

    /// This image as archives can carry it: every layer blob hashes to the digest it
    /// is named by. A layer imported from another writer's tar keeps its stored
    /// diff_id while layerlab writes its entries in its own tar form (no `./` entry,
    /// empty owner names, no PAX records), so its bytes can differ; such layers are
    /// named by the digest of what is written, and the config then lists those
    /// diff_ids (a stored config keeps its other fields), which gives the image a new
    /// ID. Returns the positions of the layers that changed (empty: the image is
    /// written exactly as imported).
    pub fn rewritten_for_export(&self) -> (Image, Vec<usize>) {
        let mut changed = Vec::new();
        let layers: Vec<Layer> = self
            .layers
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let fresh = l.recomputed();
                if fresh.diff_id() != l.diff_id() || fresh.tar_size() != l.tar_size() {
                    changed.push(i);
                    fresh
                } else {
                    l.clone()
                }
            })
            .collect();
        if changed.is_empty() {
            return (self.clone(), changed);
        }
        let mut out = Image::new(self.config.clone(), layers);
        out.stored_config = self
            .stored_config
            .as_deref()
            .and_then(|b| with_diff_ids(b, &out.config.diff_ids));
        (out, changed)
    }
}

/// A config's bytes with `rootfs.diff_ids` replaced and every other field kept (in
/// Go's compact form); `None` when they are not a JSON object with a `rootfs` object.
fn with_diff_ids(config: &[u8], diff_ids: &[Digest]) -> Option<Vec<u8>> {
    let mut v = layerlab_text::json::parse(config).ok()?;
    let Json::Obj(fields) = &mut v else {
        return None;
    };
    // Readers (Go's encoding/json, `Json::get`) take the last of repeated keys.
    let (_, Json::Obj(rootfs)) = fields.iter_mut().rev().find(|(k, _)| k == "rootfs")? else {
        return None;
    };
    let ids = Json::Arr(diff_ids.iter().map(|d| Json::Str(d.to_string())).collect());
    match rootfs.iter_mut().rev().find(|(k, _)| k == "diff_ids") {
        Some((_, old)) => *old = ids,
        None => rootfs.push(("diff_ids".to_owned(), ids)),
    }
    Some(v.to_bytes())
}

/// How layers are stored in an OCI archive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Compression {
    /// `application/vnd.oci.image.layer.v1.tar`: blob digest = diff_id.
    #[default]
    None,
    /// `…tar+gzip`, level 6, gzip header mtime 0.
    Gzip,
}

/// Options for the archive writers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArchiveOptions {
    /// Tags to record (`index.json` annotations, `manifest.json` `RepoTags`).
    pub tags: Vec<Reference>,
    /// mtime of every archive member (the build's SOURCE_DATE_EPOCH, 0 by default).
    pub mtime: i64,
    /// Layer compression (OCI archives only; `docker save` layers are uncompressed).
    pub compression: Compression,
}

/// What was written: the digests a caller may want to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveSummary {
    /// Manifest descriptor (digest = what a registry would call the image digest).
    pub manifest: Descriptor,
    /// Config descriptor (digest = image ID).
    pub config: Descriptor,
    /// Layer descriptors as stored.
    pub layers: Vec<Descriptor>,
}

enum Blob<'a> {
    Bytes(Vec<u8>),
    Layer(&'a Layer),
}

struct Prepared<'a> {
    blobs: BTreeMap<Digest, Blob<'a>>,
    summary: ArchiveSummary,
}

/// Gzip-compresses `layer`'s tar (deterministic: fixed header, level 6).
pub fn gzip_layer(layer: &Layer) -> Vec<u8> {
    let mut enc = GzWriter::new(6);
    layer
        .write_tar(&mut enc)
        .expect("writing to a Vec cannot fail");
    enc.finish()
}

fn prepare(image: &Image, compression: Compression) -> Prepared<'_> {
    let mut blobs = BTreeMap::new();
    let mut layer_descs = Vec::new();
    for layer in &image.layers {
        let desc = match compression {
            Compression::None => {
                let ty = media_type::OCI_LAYER;
                let d = Descriptor::new(ty, layer.diff_id(), layer.tar_size());
                blobs.insert(d.digest, Blob::Layer(layer));
                d
            }
            Compression::Gzip => {
                let gz = gzip_layer(layer);
                let d = Descriptor::of(media_type::OCI_LAYER_GZIP, &gz);
                blobs.insert(d.digest, Blob::Bytes(gz));
                d
            }
        };
        layer_descs.push(desc);
    }
    let config_bytes = image.config_bytes();
    let config = Descriptor::of(media_type::OCI_CONFIG, &config_bytes);
    blobs.insert(config.digest, Blob::Bytes(config_bytes));
    let manifest_bytes = Manifest {
        media_type: media_type::OCI_MANIFEST.to_owned(),
        config: config.clone(),
        layers: layer_descs.clone(),
    }
    .to_bytes();
    let manifest = Descriptor::of(media_type::OCI_MANIFEST, &manifest_bytes);
    blobs.insert(manifest.digest, Blob::Bytes(manifest_bytes));
    Prepared {
        blobs,
        summary: ArchiveSummary {
            manifest,
            config,
            layers: layer_descs,
        },
    }
}

struct TarOut<'w> {
    w: &'w mut dyn Write,
    mtime: i64,
}

impl TarOut<'_> {
    fn header(&mut self, name: &str, typeflag: u8, mode: u32, size: u64) -> io::Result<()> {
        let mut hdr = Vec::with_capacity(BLOCK * 2);
        write_header(
            &HeaderSpec {
                name,
                typeflag,
                mode,
                uid: 0,
                gid: 0,
                size,
                mtime: self.mtime,
                linkname: "",
            },
            &mut hdr,
        );
        self.w.write_all(&hdr)
    }

    fn dir(&mut self, name: &str) -> io::Result<()> {
        self.header(name, b'5', 0o755, 0)
    }

    fn file(&mut self, name: &str, data: &[u8]) -> io::Result<()> {
        self.header(name, b'0', 0o644, data.len() as u64)?;
        self.w.write_all(data)?;
        self.w
            .write_all(&[0u8; BLOCK][..padding(data.len() as u64)])
    }

    fn blob(&mut self, digest: &Digest, blob: &Blob<'_>) -> io::Result<()> {
        let name = format!("blobs/sha256/{}", digest.hex());
        match blob {
            Blob::Bytes(b) => self.file(&name, b),
            Blob::Layer(layer) => {
                let size = layer.tar_size();
                self.header(&name, b'0', 0o644, size)?;
                layer.write_tar(self.w)?;
                self.w.write_all(&[0u8; BLOCK][..padding(size)])
            }
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        self.w.write_all(&[0u8; BLOCK * 2])
    }
}

fn index_for(summary: &ArchiveSummary, tags: &[Reference]) -> Index {
    let mut manifests = Vec::new();
    if tags.is_empty() {
        manifests.push(summary.manifest.clone());
    }
    for t in tags {
        let mut d = summary.manifest.clone();
        d.annotations
            .insert("io.containerd.image.name".to_owned(), t.to_string());
        if let Some(tag) = t.tag() {
            d.annotations.insert(
                "org.opencontainers.image.ref.name".to_owned(),
                tag.to_owned(),
            );
        }
        manifests.push(d);
    }
    Index { manifests }
}

const OCI_LAYOUT: &[u8] = br#"{"imageLayoutVersion":"1.0.0"}"#;

fn write_layout(
    out: &mut TarOut<'_>,
    prepared: &Prepared<'_>,
    tags: &[Reference],
) -> io::Result<()> {
    out.file("oci-layout", OCI_LAYOUT)?;
    out.file("index.json", &index_for(&prepared.summary, tags).to_bytes())?;
    out.dir("blobs/")?;
    out.dir("blobs/sha256/")?;
    for (digest, blob) in &prepared.blobs {
        out.blob(digest, blob)?;
    }
    Ok(())
}

/// Writes an OCI image layout as a tar (`skopeo … oci-archive:F`).
///
/// # Errors
/// Only those of `w`.
pub fn write_oci_archive(
    image: &Image,
    opts: &ArchiveOptions,
    w: &mut dyn Write,
) -> io::Result<ArchiveSummary> {
    let prepared = prepare(image, opts.compression);
    let mut out = TarOut {
        w,
        mtime: opts.mtime,
    };
    write_layout(&mut out, &prepared, &opts.tags)?;
    out.finish()?;
    Ok(prepared.summary)
}

/// Writes a `docker save` tarball (`docker load -i F`, `skopeo … docker-archive:F`).
///
/// # Errors
/// Only those of `w`.
pub fn write_docker_archive(
    image: &Image,
    opts: &ArchiveOptions,
    w: &mut dyn Write,
) -> io::Result<ArchiveSummary> {
    let prepared = prepare(image, Compression::None);
    let summary = prepared.summary.clone();
    let mut out = TarOut {
        w,
        mtime: opts.mtime,
    };
    write_layout(&mut out, &prepared, &opts.tags)?;
    let blob_path = |d: &Digest| format!("blobs/sha256/{}", d.hex());
    let manifest_json = Json::Arr(vec![ObjBuilder::default()
        .field("Config", Json::Str(blob_path(&summary.config.digest)))
        .field(
            "RepoTags",
            if opts.tags.is_empty() {
                Json::Null
            } else {
                Json::Arr(opts.tags.iter().map(|t| Json::Str(t.familiar())).collect())
            },
        )
        .field(
            "Layers",
            Json::Arr(
                summary
                    .layers
                    .iter()
                    .map(|l| Json::Str(blob_path(&l.digest)))
                    .collect(),
            ),
        )
        .build()]);
    out.file("manifest.json", &manifest_json.to_bytes())?;
    if let Some(top) = summary.layers.last().filter(|_| !opts.tags.is_empty()) {
        let mut repos: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for t in &opts.tags {
            if let Some(tag) = t.tag() {
                repos
                    .entry(t.familiar_name())
                    .or_default()
                    .insert(tag.to_owned(), top.digest.hex());
            }
        }
        let json = Json::Obj(
            repos
                .into_iter()
                .map(|(name, tags)| {
                    (
                        name,
                        Json::Obj(tags.into_iter().map(|(t, h)| (t, Json::Str(h))).collect()),
                    )
                })
                .collect(),
        );
        out.file("repositories", &json.to_bytes())?;
    }
    out.finish()?;
    Ok(summary)
}

/// Writes `image` as an OCI archive into memory.
pub fn oci_archive_bytes(image: &Image, opts: &ArchiveOptions) -> Vec<u8> {
    let mut v = Vec::new();
    write_oci_archive(image, opts, &mut v).expect("writing to a Vec cannot fail");
    v
}

/// Writes `image` as a `docker save` tarball into memory.
pub fn docker_archive_bytes(image: &Image, opts: &ArchiveOptions) -> Vec<u8> {
    let mut v = Vec::new();
    write_docker_archive(image, opts, &mut v).expect("writing to a Vec cannot fail");
    v
}

/// Hashes what [`write_oci_archive`] would write, without storing it.
pub fn oci_archive_digest(image: &Image, opts: &ArchiveOptions) -> Digest {
    let mut h = Hasher::default();
    write_oci_archive(image, opts, &mut h).expect("hashing cannot fail");
    h.finish()
}
