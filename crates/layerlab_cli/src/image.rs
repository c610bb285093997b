//! `layerlab image …`: a dive-like explorer for real image archives, and a demo
//! archive writer.
//!
//! * `inspect ARCHIVE`: config, history (with the layer each entry produced), layers
//!   with digests and sizes, wasted space.
//! * `layers ARCHIVE [--layer N]`: each layer's added/modified/deleted paths.
//! * `ls ARCHIVE [PATH] [-R]`: the merged filesystem with each entry's origin layer.
//! * `waste ARCHIVE`: files overwritten or deleted by later layers.
//! * `demo -o type=oci,dest=F`: writes a small multi-layer image built with the VFS.
//! * `ref REF`: image reference normalisation.
//!
//! Every command takes `--format json`. The core does the work; this module reads
//! and writes files and renders.

// The CLI is the IO host: reading archives, writing files and running tools in tests
// is its job (clippy.toml's list targets the core crates).
#![allow(clippy::disallowed_methods)]

mod view;

#[cfg(test)]
mod tests;

use anyhow::{bail, Context};
use layerlab_image::{
    import_archive, ArchiveOptions, Compression, Exploration, ImportLimits, ImportedImage,
    Reference,
};
use layerlab_vfs::VfsPath;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

#[derive(clap::Subcommand)]
enum Cmd {
    /// Show config, history, layers (digests, sizes) and wasted space.
    Inspect {
        /// OCI layout (tar or directory) or `docker save` tarball.
        archive: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// List each layer's added, modified and deleted paths.
    Layers {
        /// OCI layout (tar or directory) or `docker save` tarball.
        archive: PathBuf,
        /// Only this layer (0 = bottom).
        #[arg(long)]
        layer: Option<usize>,
        /// Also list entries identical to the layer below (re-emitted parents).
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// List the merged filesystem with each entry's origin layer.
    Ls {
        /// OCI layout (tar or directory) or `docker save` tarball.
        archive: PathBuf,
        /// Directory (or file) to list.
        #[arg(default_value = "/")]
        path: String,
        /// Recurse into subdirectories.
        #[arg(short = 'R', long)]
        recursive: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Files overwritten or deleted by later layers (each version counted once).
    Waste {
        /// OCI layout (tar or directory) or `docker save` tarball.
        archive: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Write the built-in demo image (three layers built with the VFS).
    Demo {
        /// Output: `type=oci|docker,dest=FILE[,compression=gzip]`.
        #[arg(short = 'o', long)]
        output: String,
        /// Timestamps (SOURCE_DATE_EPOCH), Unix seconds.
        #[arg(long, default_value_t = 1704067200)]
        epoch: i64,
        /// Tag to record (normalised like `docker build -t`).
        #[arg(short = 't', long, default_value = "layerlab/demo:latest")]
        tag: String,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Normalise an image reference like `docker pull` / `FROM` do.
    Ref {
        /// The reference, e.g. `ubuntu`.
        reference: String,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        Cmd::Inspect { archive, format } => {
            let (img, ex) = load(&archive)?;
            view::inspect(&img, &ex, format);
        }
        Cmd::Layers {
            archive,
            layer,
            all,
            format,
        } => {
            let (img, ex) = load(&archive)?;
            if let Some(n) = layer.filter(|&n| n >= img.layers.len()) {
                bail!(
                    "--layer {n}: the image has {} layers (0-based)",
                    img.layers.len()
                );
            }
            view::layers(&img, &ex, layer, all, format);
        }
        Cmd::Ls {
            archive,
            path,
            recursive,
            format,
        } => {
            let (_, ex) = load(&archive)?;
            let rows = ex
                .list(&VfsPath::new(&path), recursive)
                .with_context(|| format!("listing {path}"))?;
            view::ls(&rows, format);
        }
        Cmd::Waste { archive, format } => {
            let (_, ex) = load(&archive)?;
            view::waste(&ex, format);
        }
        Cmd::Demo {
            output,
            epoch,
            tag,
            format,
        } => {
            let out = parse_output(&output)?;
            let tag = Reference::parse_docker(&tag).with_context(|| format!("tag {tag:?}"))?;
            let image = layerlab_image::demo_image(epoch);
            let opts = ArchiveOptions {
                tags: vec![tag],
                mtime: epoch,
                compression: out.compression,
            };
            let file = std::fs::File::create(&out.dest)
                .with_context(|| format!("creating {}", out.dest.display()))?;
            let mut w = std::io::BufWriter::new(file);
            let summary = if out.docker {
                layerlab_image::write_docker_archive(&image, &opts, &mut w)
            } else {
                layerlab_image::write_oci_archive(&image, &opts, &mut w)
            }
            .with_context(|| format!("writing {}", out.dest.display()))?;
            std::io::Write::flush(&mut w)?;
            view::demo(&summary, &out.dest, format);
        }
        Cmd::Ref { reference, format } => match Reference::parse_normalized(&reference) {
            Ok(r) => view::reference(&r, format),
            Err(e) => bail!("{reference:?}: {e}"),
        },
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads and imports an archive (or an OCI layout directory), then applies its layers.
pub(crate) fn load(path: &Path) -> anyhow::Result<(ImportedImage, Exploration)> {
    let bytes = if path.is_dir() {
        tar_directory(path)?
    } else {
        std::fs::read(path).with_context(|| format!("reading {}", path.display()))?
    };
    let img = import_archive(&bytes, &ImportLimits::default())
        .with_context(|| format!("importing {}", path.display()))?;
    let layers: Vec<_> = img.layers.iter().map(|l| l.layer.clone()).collect();
    let ex = Exploration::new(&layers)
        .with_context(|| format!("applying the layers of {}", path.display()))?;
    Ok((img, ex))
}

/// Packs the regular files of an OCI layout directory (`skopeo copy … oci:DIR`,
/// `umoci init`) into an in-memory tar, so the core importer reads it like an archive.
fn tar_directory(root: &Path) -> anyhow::Result<Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<u8>) -> anyhow::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .with_context(|| format!("reading {}", dir.display()))?
            .collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let path = e.path();
            let ty = e.file_type()?;
            if ty.is_dir() {
                walk(root, &path, out)?;
            } else if ty.is_file() {
                let data =
                    std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
                let name = path.strip_prefix(root)?.to_string_lossy().into_owned();
                layerlab_image::write_header(
                    &layerlab_image::HeaderSpec {
                        name: &name,
                        typeflag: b'0',
                        mode: 0o644,
                        uid: 0,
                        gid: 0,
                        size: data.len() as u64,
                        mtime: 0,
                        linkname: "",
                    },
                    out,
                );
                out.extend_from_slice(&data);
                out.resize(
                    out.len().div_ceil(layerlab_image::BLOCK) * layerlab_image::BLOCK,
                    0,
                );
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(root, root, &mut out)?;
    out.extend_from_slice(&[0u8; 2 * layerlab_image::BLOCK]);
    Ok(out)
}

struct Output {
    docker: bool,
    dest: PathBuf,
    compression: Compression,
}

/// Parses buildx-style `-o type=oci,dest=F`.
fn parse_output(spec: &str) -> anyhow::Result<Output> {
    let mut out = Output {
        docker: false,
        dest: PathBuf::new(),
        compression: Compression::None,
    };
    for kv in spec.split(',') {
        match kv.split_once('=') {
            Some(("type", "oci")) => out.docker = false,
            Some(("type", "docker")) => out.docker = true,
            Some(("dest", d)) => out.dest = PathBuf::from(d),
            Some(("compression", "gzip")) => out.compression = Compression::Gzip,
            Some(("compression", "uncompressed")) => out.compression = Compression::None,
            _ => bail!("-o {spec:?}: unknown option {kv:?} (expected type=oci|docker, dest=FILE, compression=gzip|uncompressed)"),
        }
    }
    if out.dest.as_os_str().is_empty() {
        bail!("-o {spec:?}: dest=FILE is required");
    }
    if out.docker && out.compression == Compression::Gzip {
        bail!("-o {spec:?}: docker archives store uncompressed layers");
    }
    Ok(out)
}
