//! `layerlab_catalog`: the simulated base images `FROM` resolves to.
//!
//! No registry is reachable from the browser, so layerlab ships realistic stand-ins for
//! the images Docker tutorials use: `ubuntu` 15.04–24.04, `debian` bookworm/bullseye
//! (and `-slim`), `alpine` 3.18–3.21, `busybox`, `scratch`, `buildpack-deps`, `python`
//! 3.9–3.13, `node` 16–22, `golang` 1.16–1.23, `rust` 1.83, `eclipse-temurin` 17,
//! `openjdk` 17, `maven`, `nginx` and distroless; each in its full, `-slim` and `-alpine`
//! flavours where they exist, with their aliases (`node:20` = `node:20.18.1` =
//! `node:20-bookworm` = `node:iron`).
//!
//! An image has real config (Env, Cmd, Entrypoint, WorkingDir, User, ExposedPorts,
//! Labels, StopSignal), `docker history`-like steps, and layers that are recipes: real
//! key files (os-release, passwd, group, shadow, shells, apt sources, the dpkg or apk
//! database), executables on PATH as synthetic files of realistic size, and bulk content
//! expanded deterministically. Each layer's diff_id is the sha256 of the tar
//! `layerlab_image::Layer` writes for it; it was computed once by the `gen_catalog`
//! example and is stored in `digests.txt`, so a build never hashes a base image.
//!
//! Layer paths are the linux/amd64 ones; other platforms differ in config metadata
//! (architecture, variant, the rootfs history line) only.
//!
//! # For the build engine and the UI
//!
//! * `FROM x`: [`Catalog::resolve`] with the target platform. On error, show
//!   [`CatalogError`]'s text (BuildKit's wording) at the `FROM` argument's span and
//!   [`CatalogError::help`] as the fix.
//! * The stage's starting filesystem: [`BaseImage::rootfs`]; per-layer views for the
//!   UI: [`BaseImage::layer_snapshots`] (structurally shared, cheap).
//! * Inherited config (Env, Cmd, Entrypoint, WorkingDir, User, ...) and history:
//!   [`BaseImage::config`], a `layerlab_image::ImageConfig` ready to extend.
//! * Cache keys: the image source's ChainID is `layerlab_image::chain_id` over
//!   `config.diff_ids` (stored values: nothing is hashed at build time).
//! * Export: apply each [`BaseLayer`] on a snapshot, diff, and write
//!   `layerlab_image::Layer::from_changes`; its diff_id equals [`BaseLayer::diff_id`]
//!   (`layerlab catalog export` does exactly this and checks it).
//! * The image picker: [`Catalog::list`].
//!
//! # Changing the data
//!
//! The images are built by `src/data/*` (one module per family, sizes cited in each).
//! After a change, run
//! `cargo run -p layerlab_catalog --example gen_catalog --profile fast` (about 20 s: it
//! hashes every layer, ~18 GB of synthetic content) to rewrite `src/digests.txt`;
//! `digest_table_covers_exactly_the_catalog_layers` and
//! `stored_diff_ids_match_the_layer_writer` fail until then.
//!
//! ```
//! use layerlab_catalog::Catalog;
//! use layerlab_image::Platform;
//! use layerlab_vfs::VfsPath;
//!
//! let amd64 = Platform { os: "linux".into(), architecture: "amd64".into(), variant: None };
//! let alpine = Catalog::builtin().resolve("alpine:3.21", &amd64).unwrap();
//! assert_eq!(alpine.reference, "docker.io/library/alpine:3.21");
//! assert_eq!(alpine.config.config.cmd, ["/bin/sh"]);
//! let fs = alpine.rootfs().unwrap();
//! assert_eq!(fs.read_file(&VfsPath::new("/etc/alpine-release")).unwrap().to_vec(), b"3.21.0\n");
//!
//! let err = Catalog::builtin().resolve("nodee:20", &amd64).unwrap_err();
//! assert_eq!(err.help().as_deref(), Some("did you mean node:20?"));
//! ```

#![deny(missing_docs)]
#![warn(clippy::disallowed_methods)]

mod bulk;
mod catalog;
mod data;
mod digests;
mod error;
mod spec;

pub use catalog::{BaseImage, BaseLayer, Catalog, CatalogEntry, LayerRecipe};
pub use digests::{format_digest_line, parse_digest_table, DigestTable, LayerDigest};
pub use error::{CatalogError, ErrorKind};

#[cfg(test)]
mod tests;
