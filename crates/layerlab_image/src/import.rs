//! Importing image archives made elsewhere: OCI layouts in a tar, and `docker save`
//! tarballs (both the Docker ≥ 25 layout and the older `<id>/layer.tar` one).
//!
//! The input is untrusted. Every blob is checked against the digest that names it,
//! every layer against its diff_id in the config; gzip layers are inflated with a hard
//! cap (a 1 KiB gzip can claim gigabytes); tar names are validated by
//! [`crate::read_layer`]; counts and sizes are capped by [`ImportLimits`]. Nothing here
//! panics on any input (a fuzz target and a property test check that).

use crate::apply::{read_layer, ReadNotes};
use crate::config::ImageConfig;
use crate::error::{Error, ErrorKind, Result};
use crate::layer::Layer;
use crate::manifest::{media_type, Descriptor, Index, Manifest};
use crate::tar::{read_tar, TarLimits, TarType};
use layerlab_text::json::Json;
use layerlab_vfs::{Digest, VfsPath};
use std::collections::BTreeMap;

/// Caps for importing untrusted archives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportLimits {
    /// Caps for every tar read (the archive itself and each layer).
    pub tar: TarLimits,
    /// Largest uncompressed layer, in bytes.
    pub max_layer_bytes: u64,
    /// Largest sum of uncompressed layers, in bytes.
    pub max_total_bytes: u64,
    /// Most layers in one image.
    pub max_layers: u32,
    /// Largest JSON document (index, manifest, config).
    pub max_json_bytes: u64,
}

impl Default for ImportLimits {
    fn default() -> Self {
        ImportLimits {
            tar: TarLimits::default(),
            max_layer_bytes: 2 << 30,
            max_total_bytes: 4 << 30,
            max_layers: 512,
            max_json_bytes: 8 << 20,
        }
    }
}

/// Which kind of archive was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArchiveFormat {
    /// OCI image layout (`oci-layout`, `index.json`, `blobs/`).
    OciLayout,
    /// `docker save` (`manifest.json`).
    DockerSave,
}

/// One imported layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedLayer {
    /// The entries, ready to apply or explore.
    pub layer: Layer,
    /// The verified diff_id (sha256 of the uncompressed tar as stored).
    pub diff_id: Digest,
    /// Where the blob was found (archive member name).
    pub file: String,
    /// Media type as declared (empty for legacy `docker save`).
    pub media_type: String,
    /// Digest of the stored blob (equals `diff_id` when uncompressed).
    pub blob_digest: Digest,
    /// Stored (possibly compressed) size.
    pub blob_size: u64,
    /// Uncompressed tar size.
    pub tar_size: u64,
    /// Entries that were skipped, with the reason.
    pub notes: ReadNotes,
}

/// An image loaded from an archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedImage {
    /// Archive kind.
    pub format: ArchiveFormat,
    /// The config.
    pub config: ImageConfig,
    /// The config blob digest (the image ID).
    pub config_digest: Digest,
    /// The config blob as stored (see [`crate::Image::with_stored_config`]).
    pub config_bytes: Vec<u8>,
    /// Manifest digest, when the archive has an OCI manifest.
    pub manifest_digest: Option<Digest>,
    /// Tags found in the archive.
    pub tags: Vec<String>,
    /// Layers, bottom first.
    pub layers: Vec<ImportedLayer>,
}

struct Members<'a> {
    bytes: &'a [u8],
    files: BTreeMap<String, std::ops::Range<usize>>,
    /// Symlink and hard-link members (skopeo's `docker-archive` links
    /// `<id>/layer.tar` to `<digest>.tar`), resolved on lookup.
    links: BTreeMap<String, String>,
}

impl<'a> Members<'a> {
    fn get(&self, name: &str) -> Result<&'a [u8]> {
        let mut key = VfsPath::new(name);
        // A few hops at most: link chains in an archive index are a sign of abuse.
        for _ in 0..8 {
            if let Some(r) = self.files.get(key.relative()) {
                return Ok(&self.bytes[r.clone()]);
            }
            match self.links.get(key.relative()) {
                Some(target) => key = key.parent().unwrap_or_else(VfsPath::root).join(target),
                None => break,
            }
        }
        Err(Error::new(
            ErrorKind::MissingFile,
            format!("archive has no member {:?}", VfsPath::new(name).relative()),
        ))
    }

    fn has(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    fn json(&self, name: &str, limits: &ImportLimits) -> Result<&'a [u8]> {
        let b = self.get(name)?;
        if b.len() as u64 > limits.max_json_bytes {
            return Err(
                Error::new(ErrorKind::LimitExceeded, "JSON document too large").in_file(name),
            );
        }
        Ok(b)
    }

    fn blob(&self, d: &Descriptor) -> Result<(String, &'a [u8])> {
        let name = format!("blobs/sha256/{}", d.digest.hex());
        let b = self.get(&name)?;
        let found = Digest::of(b);
        if found != d.digest {
            return Err(Error::new(
                ErrorKind::DigestMismatch,
                format!(
                    "content hashes to {found}, but its descriptor says {}",
                    d.digest
                ),
            )
            .in_file(&name));
        }
        if b.len() as u64 != d.size {
            return Err(Error::new(
                ErrorKind::DigestMismatch,
                format!("blob is {} bytes, descriptor says {}", b.len(), d.size),
            )
            .in_file(&name));
        }
        Ok((name, b))
    }
}

/// Inflates gzip data (any number of members), refusing to produce more than `cap` bytes.
fn gunzip(data: &[u8], cap: u64, file: &str) -> Result<Vec<u8>> {
    crate::gzip::gunzip(data, cap).map_err(|e| e.in_file(file))
}

/// Reads one layer blob. `blob_digest` is passed when the caller already verified it,
/// so an uncompressed blob (whose diff_id is the same hash) is hashed only once.
fn layer_from_blob(
    file: &str,
    media: &str,
    blob: &[u8],
    blob_digest: Option<Digest>,
    limits: &ImportLimits,
    total: &mut u64,
) -> Result<ImportedLayer> {
    let cap = limits
        .max_layer_bytes
        .min(limits.max_total_bytes.saturating_sub(*total));
    let inflated;
    let tar: &[u8] = if blob.starts_with(&[0x1f, 0x8b]) {
        inflated = gunzip(blob, cap, file)?;
        &inflated
    } else if blob.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) || media.ends_with("+zstd") {
        return Err(Error::new(
            ErrorKind::Unsupported,
            "zstd-compressed layers are not supported",
        )
        .in_file(file));
    } else {
        if blob.len() as u64 > cap {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                format!("layer larger than {cap} bytes"),
            )
            .in_file(file));
        }
        blob
    };
    *total += tar.len() as u64;
    let (layer, notes) = read_layer(tar, &limits.tar).map_err(|e| e.in_file(file))?;
    let blob_digest = blob_digest.unwrap_or_else(|| Digest::of(blob));
    let diff_id = if std::ptr::eq(tar, blob) {
        blob_digest
    } else {
        Digest::of(tar)
    };
    Ok(ImportedLayer {
        layer,
        diff_id,
        file: file.to_owned(),
        media_type: media.to_owned(),
        blob_digest,
        blob_size: blob.len() as u64,
        tar_size: tar.len() as u64,
        notes,
    })
}

fn check_diff_ids(config: &ImageConfig, layers: &[ImportedLayer]) -> Result<()> {
    if config.diff_ids.len() != layers.len() {
        return Err(Error::new(
            ErrorKind::DigestMismatch,
            format!(
                "config lists {} diff_ids but the manifest has {} layers",
                config.diff_ids.len(),
                layers.len()
            ),
        ));
    }
    for (i, (want, l)) in config.diff_ids.iter().zip(layers).enumerate() {
        if *want != l.diff_id {
            return Err(Error::new(
                ErrorKind::DigestMismatch,
                format!(
                    "layer {i} has diff_id {}, the config says {want}",
                    l.diff_id
                ),
            )
            .in_file(&l.file));
        }
    }
    Ok(())
}

/// Picks the image manifest to import from an index: the first `linux/amd64` (or
/// platform-less) entry that is not an attestation, else the first entry.
fn pick(index: &Index) -> Option<&Descriptor> {
    let usable = |d: &&Descriptor| {
        d.annotations
            .get("vnd.docker.reference.type")
            .map(String::as_str)
            != Some("attestation-manifest")
    };
    index
        .manifests
        .iter()
        .filter(usable)
        .find(|d| {
            d.platform
                .as_ref()
                .is_none_or(|p| p.os == "linux" && p.architecture == "amd64")
        })
        .or_else(|| index.manifests.iter().find(usable))
        .or(index.manifests.first())
}

fn import_oci(m: &Members<'_>, limits: &ImportLimits) -> Result<ImportedImage> {
    let mut index =
        Index::from_json(m.json("index.json", limits)?).map_err(|e| e.in_file("index.json"))?;
    let mut tags = Vec::new();
    let mut depth = 0;
    let manifest_desc = loop {
        let d = pick(&index)
            .ok_or_else(|| {
                Error::new(ErrorKind::InvalidJson, "index lists no manifests").in_file("index.json")
            })?
            .clone();
        for key in [
            "io.containerd.image.name",
            "org.opencontainers.image.ref.name",
        ] {
            if let Some(t) = d.annotations.get(key) {
                tags.push(t.clone());
                break;
            }
        }
        if d.media_type != media_type::OCI_INDEX && d.media_type != media_type::DOCKER_MANIFEST_LIST
        {
            break d;
        }
        depth += 1;
        if depth > 4 {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                "indexes nested more than 4 deep",
            ));
        }
        let (name, b) = m.blob(&d)?;
        index = Index::from_json(b).map_err(|e| e.in_file(&name))?;
    };
    let (mname, mbytes) = m.blob(&manifest_desc)?;
    let manifest = Manifest::from_json(mbytes).map_err(|e| e.in_file(&mname))?;
    if manifest.layers.len() > limits.max_layers as usize {
        return Err(Error::new(ErrorKind::LimitExceeded, "too many layers").in_file(&mname));
    }
    let (cname, cbytes) = m.blob(&manifest.config)?;
    let config = ImageConfig::from_json(cbytes).map_err(|e| e.in_file(&cname))?;
    let mut total = 0;
    let layers = manifest
        .layers
        .iter()
        .map(|d| {
            let (name, b) = m.blob(d)?;
            layer_from_blob(&name, &d.media_type, b, Some(d.digest), limits, &mut total)
        })
        .collect::<Result<Vec<_>>>()?;
    check_diff_ids(&config, &layers)?;
    Ok(ImportedImage {
        format: ArchiveFormat::OciLayout,
        config,
        config_digest: manifest.config.digest,
        config_bytes: cbytes.to_vec(),
        manifest_digest: Some(manifest_desc.digest),
        tags,
        layers,
    })
}

fn import_docker(m: &Members<'_>, limits: &ImportLimits) -> Result<ImportedImage> {
    let file = "manifest.json";
    let v = layerlab_text::json::parse(m.json(file, limits)?).map_err(|e| {
        Error::new(ErrorKind::InvalidJson, format!("invalid JSON: {e}")).in_file(file)
    })?;
    let first = v.as_array().and_then(|a| a.first()).ok_or_else(|| {
        Error::new(ErrorKind::InvalidJson, "expected a non-empty array").in_file(file)
    })?;
    let config_name = first.str_at("Config").ok_or_else(|| {
        Error::new(ErrorKind::InvalidJson, "entry without \"Config\"").in_file(file)
    })?;
    let layer_names: Vec<&str> = first
        .get("Layers")
        .and_then(Json::as_array)
        .ok_or_else(|| {
            Error::new(ErrorKind::InvalidJson, "entry without \"Layers\"").in_file(file)
        })?
        .iter()
        .map(|l| {
            l.as_str().ok_or_else(|| {
                Error::new(ErrorKind::InvalidJson, "non-string layer path").in_file(file)
            })
        })
        .collect::<Result<_>>()?;
    if layer_names.len() > limits.max_layers as usize {
        return Err(Error::new(ErrorKind::LimitExceeded, "too many layers").in_file(file));
    }
    let tags = first
        .get("RepoTags")
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let cbytes = m.json(config_name, limits).map_err(|e| e.in_file(file))?;
    let config_digest = Digest::of(cbytes);
    // The config's name embeds its digest (`<hex>.json` or `blobs/sha256/<hex>`).
    let stem = config_name
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .trim_end_matches(".json");
    if let Some(named) = Digest::parse_hex(stem) {
        if named != config_digest {
            return Err(Error::new(
                ErrorKind::DigestMismatch,
                format!("content hashes to {config_digest}, but its name says {named}"),
            )
            .in_file(config_name));
        }
    }
    let config = ImageConfig::from_json(cbytes).map_err(|e| e.in_file(config_name))?;
    let mut total = 0;
    let layers = layer_names
        .iter()
        .map(|name| {
            let b = m.get(name).map_err(|e| e.in_file(file))?;
            layer_from_blob(name, "", b, None, limits, &mut total)
        })
        .collect::<Result<Vec<_>>>()?;
    check_diff_ids(&config, &layers)?;
    Ok(ImportedImage {
        format: ArchiveFormat::DockerSave,
        config,
        config_digest,
        config_bytes: cbytes.to_vec(),
        manifest_digest: None,
        tags,
        layers,
    })
}

/// Imports an OCI layout tar or a `docker save` tarball (optionally gzip-compressed as
/// a whole). An archive with both `index.json` and `manifest.json` (Docker ≥ 25) is
/// read through the OCI index.
///
/// # Errors
/// See [`ErrorKind`]: malformed tars, unsafe paths, missing members, digest
/// mismatches, invalid JSON, caps exceeded; each with the member and entry it concerns.
pub fn import_archive(bytes: &[u8], limits: &ImportLimits) -> Result<ImportedImage> {
    let inflated;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        inflated = gunzip(bytes, limits.max_total_bytes, "archive")?;
        &inflated[..]
    } else {
        bytes
    };
    let mut files = BTreeMap::new();
    let mut links = BTreeMap::new();
    for e in read_tar(bytes, &limits.tar).map_err(|e| e.in_file("archive"))? {
        let key = VfsPath::new(&e.name).relative().to_owned();
        match e.kind {
            TarType::Regular => {
                files.insert(key, e.data);
            }
            // Hard-link names are relative to the archive root, symlinks to their
            // directory; `get` resolves symlinks from the parent, so root-anchor hard links.
            TarType::Hardlink => {
                links.insert(key, format!("/{}", e.linkname));
            }
            TarType::Symlink => {
                links.insert(key, e.linkname);
            }
            _ => {}
        }
    }
    let m = Members {
        bytes,
        files,
        links,
    };
    if m.has("index.json") {
        import_oci(&m, limits)
    } else if m.has("manifest.json") {
        import_docker(&m, limits)
    } else {
        Err(Error::new(
            ErrorKind::Unsupported,
            "neither an OCI image layout (index.json) nor a docker save archive (manifest.json)",
        )
        .in_file("archive"))
    }
}
