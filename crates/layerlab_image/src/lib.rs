//! `layerlab_image`: layers, OCI images, archives and image references.
//!
//! * [`Layer`]: a changeset from [`layerlab_vfs::diff`] as a deterministic tar
//!   (byte-compatible with Go's `archive/tar` as containerd/BuildKit use it), with its
//!   diff_id; [`chain_id`]; [`apply_layer`] and [`read_layer`] for the way back.
//! * [`ImageConfig`], [`Manifest`], [`Index`], [`Descriptor`] with Go-identical JSON
//!   (so the image ID is the one BuildKit would compute for the same config).
//! * [`write_oci_archive`] / [`write_docker_archive`]: archives `skopeo`, `umoci` and
//!   `docker load` accept, streamed to any `std::io::Write`.
//! * [`import_archive`]: OCI layout and `docker save` tarballs from untrusted bytes,
//!   verified and capped; [`Exploration`] shows layers, origins and wasted space;
//!   [`WasteReport`] sums the waste per path, with the step that caused it.
//! * [`Reference`]: distribution/reference normalisation (`ubuntu` →
//!   `docker.io/library/ubuntu:latest`).
//!
//! IO-free: archives are produced as bytes or into a writer; the CLI writes files.
//!
//! ```
//! use layerlab_image::{Layer, LayerOptions};
//! use layerlab_vfs::{diff, Content, Fs, Meta, VfsPath};
//!
//! let base = Fs::default();
//! let mut fs = base.clone();
//! let m = Meta::new(0o755).with_mtime(1704067200);
//! fs.mkdir_p(&VfsPath::new("/app"), m).unwrap();
//! fs.write_file(&VfsPath::new("/app/hello.txt"), Content::inline("hello\n"), Meta::new(0o644).with_mtime(1704067200))
//!     .unwrap();
//! let layer = Layer::from_changes(&fs, &diff(&base, &fs), &LayerOptions::default());
//! assert_eq!(
//!     layer.diff_id().to_string(),
//!     "sha256:44e177555443b4bce09634c8e211d400473003146603712c4d8135cb2800918a"
//! );
//! ```

#![deny(missing_docs)]
#![warn(clippy::disallowed_methods)]

mod apply;
mod archive;
mod config;
mod demo;
mod error;
mod explore;
mod gzip;
mod import;
mod json;
mod layer;
mod manifest;
mod reference;
mod tar;
mod waste;

pub use apply::{apply_layer, read_layer, ReadNotes};
pub use archive::{
    docker_archive_bytes, gzip_layer, oci_archive_bytes, oci_archive_digest, write_docker_archive,
    write_oci_archive, ArchiveOptions, ArchiveSummary, Compression, Image,
};
pub use config::{rfc3339, ContainerConfig, Healthcheck, History, ImageConfig};
pub use demo::{demo_image, demo_snapshots};
pub use error::{Error, ErrorKind, Location, Result};
pub use explore::{EntryEffect, Exploration, LayerChange, LayerSummary, ListEntry, WastedFile};
pub use gzip::gunzip;
pub use import::{import_archive, ArchiveFormat, ImportLimits, ImportedImage, ImportedLayer};
pub use json::Json;
pub use layer::{
    chain_id, chain_ids, EntryKind, Layer, LayerEntry, LayerOptions, OPAQUE_WHITEOUT,
    WHITEOUT_PREFIX,
};
pub use manifest::{media_type, Descriptor, Index, Manifest, Platform};
pub use reference::{Reference, ReferenceError};
pub use tar::{read_tar, write_header, HeaderSpec, TarEntry, TarLimits, TarType, BLOCK};
pub use waste::{layer_created_by, WasteReport, WastedPath};
