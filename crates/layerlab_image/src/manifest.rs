//! Descriptors, image manifests and image indexes (image-spec descriptor.md,
//! manifest.md, image-index.md), written in Go struct field order.

use crate::error::{Error, ErrorKind, Result};
use crate::json::{Json, ObjBuilder};
use layerlab_vfs::Digest;
use std::collections::BTreeMap;

/// Media types layerlab writes or understands.
pub mod media_type {
    /// OCI image manifest.
    pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
    /// OCI image index.
    pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
    /// OCI image config.
    pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
    /// Uncompressed OCI layer.
    pub const OCI_LAYER: &str = "application/vnd.oci.image.layer.v1.tar";
    /// Gzip OCI layer.
    pub const OCI_LAYER_GZIP: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
    /// Docker manifest v2 schema 2.
    pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
    /// Docker manifest list.
    pub const DOCKER_MANIFEST_LIST: &str =
        "application/vnd.docker.distribution.manifest.list.v2+json";
    /// Docker image config.
    pub const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";
    /// Docker gzip layer.
    pub const DOCKER_LAYER_GZIP: &str = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    /// Docker uncompressed layer.
    pub const DOCKER_LAYER: &str = "application/vnd.docker.image.rootfs.diff.tar";
}

/// The `platform` of an index entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Platform {
    /// `architecture`.
    pub architecture: String,
    /// `os`.
    pub os: String,
    /// `variant`.
    pub variant: Option<String>,
}

/// A content descriptor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Descriptor {
    /// `mediaType`.
    pub media_type: String,
    /// `digest`.
    pub digest: Digest,
    /// `size` in bytes.
    pub size: u64,
    /// `annotations` (sorted).
    pub annotations: BTreeMap<String, String>,
    /// `platform`.
    pub platform: Option<Platform>,
}

impl Descriptor {
    /// A descriptor of `bytes` with `media_type`.
    pub fn of(media_type: &str, bytes: &[u8]) -> Self {
        Descriptor::new(media_type, Digest::of(bytes), bytes.len() as u64)
    }

    /// A descriptor without annotations or platform.
    pub fn new(media_type: &str, digest: Digest, size: u64) -> Self {
        Descriptor {
            media_type: media_type.to_owned(),
            digest,
            size,
            annotations: BTreeMap::new(),
            platform: None,
        }
    }

    /// JSON in Go field order (`mediaType`, `digest`, `size`, `annotations`, `platform`).
    pub fn to_json(&self) -> Json {
        let ann = (!self.annotations.is_empty()).then(|| {
            Json::Obj(
                self.annotations
                    .iter()
                    .map(|(k, v)| (k.clone(), Json::str(v.as_str())))
                    .collect(),
            )
        });
        let platform = self.platform.as_ref().map(|p| {
            ObjBuilder::default()
                .field("architecture", Json::str(p.architecture.as_str()))
                .field("os", Json::str(p.os.as_str()))
                .opt("variant", p.variant.as_ref().map(|v| Json::str(v.as_str())))
                .build()
        });
        ObjBuilder::default()
            .field("mediaType", Json::str(self.media_type.as_str()))
            .field("digest", Json::Str(self.digest.to_string()))
            .field("size", Json::Int(self.size as i64))
            .opt("annotations", ann)
            .opt("platform", platform)
            .build()
    }

    /// Parses a descriptor object.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidJson`] for missing fields; [`ErrorKind::Unsupported`] for a
    /// digest algorithm other than sha256.
    pub fn from_value(v: &Json) -> Result<Self> {
        let bad = |m: String| Error::new(ErrorKind::InvalidJson, m);
        let digest_str = v
            .str_at("digest")
            .ok_or_else(|| bad("descriptor without \"digest\"".into()))?;
        let digest = Digest::parse(digest_str).ok_or_else(|| {
            Error::new(
                ErrorKind::Unsupported,
                format!(
                    "unsupported or malformed digest {digest_str:?} (only sha256 is supported)"
                ),
            )
        })?;
        let size = v
            .get("size")
            .and_then(Json::as_u64)
            .ok_or_else(|| bad(format!("descriptor {digest} without a valid \"size\"")))?;
        let annotations = v
            .get("annotations")
            .and_then(Json::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect()
            })
            .unwrap_or_default();
        let platform = v.get("platform").map(|p| Platform {
            architecture: p.str_at("architecture").unwrap_or_default().to_owned(),
            os: p.str_at("os").unwrap_or_default().to_owned(),
            variant: p.str_at("variant").map(str::to_owned),
        });
        Ok(Descriptor {
            media_type: v.str_at("mediaType").unwrap_or_default().to_owned(),
            digest,
            size,
            annotations,
            platform,
        })
    }
}

/// An image manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// `mediaType`.
    pub media_type: String,
    /// `config`.
    pub config: Descriptor,
    /// `layers`, base first.
    pub layers: Vec<Descriptor>,
}

impl Manifest {
    /// JSON bytes (`schemaVersion`, `mediaType`, `config`, `layers`).
    pub fn to_bytes(&self) -> Vec<u8> {
        ObjBuilder::default()
            .field("schemaVersion", Json::Int(2))
            .field("mediaType", Json::str(self.media_type.as_str()))
            .field("config", self.config.to_json())
            .field(
                "layers",
                Json::Arr(self.layers.iter().map(Descriptor::to_json).collect()),
            )
            .build()
            .to_bytes()
    }

    /// Parses a manifest.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidJson`] and descriptor errors.
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        let v = layerlab_text::json::parse(bytes).map_err(|e| {
            Error::new(
                ErrorKind::InvalidJson,
                format!("invalid manifest JSON: {e}"),
            )
        })?;
        let config =
            Descriptor::from_value(v.get("config").ok_or_else(|| {
                Error::new(ErrorKind::InvalidJson, "manifest without \"config\"")
            })?)?;
        let layers = v
            .get("layers")
            .and_then(Json::as_array)
            .ok_or_else(|| Error::new(ErrorKind::InvalidJson, "manifest without \"layers\""))?
            .iter()
            .map(Descriptor::from_value)
            .collect::<Result<_>>()?;
        Ok(Manifest {
            media_type: v.str_at("mediaType").unwrap_or_default().to_owned(),
            config,
            layers,
        })
    }
}

/// An image index (OCI layout `index.json`, multi-platform lists).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Index {
    /// `manifests`.
    pub manifests: Vec<Descriptor>,
}

impl Index {
    /// JSON bytes (`schemaVersion`, `mediaType`, `manifests`).
    pub fn to_bytes(&self) -> Vec<u8> {
        ObjBuilder::default()
            .field("schemaVersion", Json::Int(2))
            .field("mediaType", Json::str(media_type::OCI_INDEX))
            .field(
                "manifests",
                Json::Arr(self.manifests.iter().map(Descriptor::to_json).collect()),
            )
            .build()
            .to_bytes()
    }

    /// Parses an index.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidJson`] and descriptor errors.
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        let v = layerlab_text::json::parse(bytes)
            .map_err(|e| Error::new(ErrorKind::InvalidJson, format!("invalid index JSON: {e}")))?;
        let manifests = v
            .get("manifests")
            .and_then(Json::as_array)
            .ok_or_else(|| Error::new(ErrorKind::InvalidJson, "index without \"manifests\""))?
            .iter()
            .map(Descriptor::from_value)
            .collect::<Result<_>>()?;
        Ok(Index { manifests })
    }
}
