//! `layerlab catalog …`: the simulated base images `FROM` resolves to.
//!
//! * `ls`: every image with its tags, size and one-line description.
//! * `show REF [--platform P]`: the resolved image: digest, image ID, config, history
//!   and layers (diff_id, size), or BuildKit's error with "did you mean" suggestions.
//! * `files REF [PATH]`: the materialised root filesystem under `PATH`.
//! * `export REF -o FILE [--type oci|docker]`: writes the image as an OCI layout or
//!   `docker save` tarball; the layer tars are rewritten and their digests checked
//!   against the catalog's stored diff_ids.

#![allow(
    clippy::disallowed_methods,
    reason = "the CLI is the host: it does the IO"
)]

use anyhow::{bail, Context};
use layerlab_catalog::{BaseImage, Catalog};
use layerlab_image::{
    write_docker_archive, write_oci_archive, ArchiveOptions, Image, Layer, LayerOptions, Platform,
    Reference,
};
use layerlab_vfs::{diff, Fs, Node, VfsPath};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(clap::Subcommand)]
enum Cmd {
    /// List the catalog's images.
    Ls,
    /// Resolve a reference and show config, history and layers.
    Show {
        /// Image reference as written after FROM, e.g. `node:20-alpine`.
        reference: String,
        /// Target platform `os/arch[/variant]`.
        #[arg(long, default_value = "linux/amd64")]
        platform: String,
    },
    /// List the image's root filesystem.
    Files {
        /// Image reference.
        reference: String,
        /// Directory to list (recursively).
        #[arg(default_value = "/")]
        path: String,
        /// Target platform `os/arch[/variant]`.
        #[arg(long, default_value = "linux/amd64")]
        platform: String,
    },
    /// Write the image as an archive `docker load` / skopeo accept.
    Export {
        /// Image reference.
        reference: String,
        /// Output file.
        #[arg(short, long)]
        output: PathBuf,
        /// `oci` (OCI layout tar) or `docker` (`docker save` tarball).
        #[arg(long, default_value = "docker")]
        r#type: String,
        /// Target platform `os/arch[/variant]`.
        #[arg(long, default_value = "linux/amd64")]
        platform: String,
    },
}

fn parse_platform(s: &str) -> anyhow::Result<Platform> {
    let parts: Vec<&str> = s.split('/').collect();
    match parts[..] {
        [os, arch] => Ok(Platform {
            os: os.into(),
            architecture: arch.into(),
            variant: None,
        }),
        [os, arch, variant] => Ok(Platform {
            os: os.into(),
            architecture: arch.into(),
            variant: Some(variant.into()),
        }),
        _ => bail!("invalid platform {s:?}: expected os/arch[/variant]"),
    }
}

/// Resolves or prints BuildKit's error (and suggestions) the way `docker build` would.
fn resolve(reference: &str, platform: &str) -> anyhow::Result<Result<BaseImage, ExitCode>> {
    let platform = parse_platform(platform)?;
    match Catalog::builtin().resolve(reference, &platform) {
        Ok(img) => Ok(Ok(img)),
        Err(e) => {
            eprintln!("ERROR: {e}");
            if let Some(help) = e.help() {
                eprintln!("help: {help}");
            }
            Ok(Err(ExitCode::FAILURE))
        }
    }
}

fn mb(bytes: u64) -> String {
    format!("{:.1}MB", bytes as f64 / 1e6)
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match args.command {
        Cmd::Ls => {
            for e in Catalog::builtin().list() {
                writeln!(
                    out,
                    "{:<36} {:>9}  {}\n{:<36} {:>9}  tags: {}",
                    e.name,
                    mb(e.size),
                    e.description,
                    "",
                    "",
                    e.tags.join(", ")
                )?;
            }
        }
        Cmd::Show {
            reference,
            platform,
        } => {
            let img = match resolve(&reference, &platform)? {
                Ok(img) => img,
                Err(code) => return Ok(code),
            };
            let c = &img.config;
            writeln!(out, "reference  {}", img.reference)?;
            writeln!(out, "digest     {}", img.digest)?;
            writeln!(out, "image id   {}", img.image_id)?;
            let variant = c
                .variant
                .as_deref()
                .map(|v| format!("/{v}"))
                .unwrap_or_default();
            writeln!(out, "platform   {}/{}{variant}", c.os, c.architecture)?;
            writeln!(out, "size       {}", mb(img.size()))?;
            let cc = &c.config;
            for e in &cc.env {
                writeln!(out, "env        {e}")?;
            }
            if !cc.entrypoint.is_empty() {
                writeln!(out, "entrypoint {:?}", cc.entrypoint)?;
            }
            if !cc.cmd.is_empty() {
                writeln!(out, "cmd        {:?}", cc.cmd)?;
            }
            if let Some(w) = &cc.working_dir {
                writeln!(out, "workdir    {w}")?;
            }
            if let Some(u) = &cc.user {
                writeln!(out, "user       {u}")?;
            }
            for p in &cc.exposed_ports {
                writeln!(out, "expose     {p}")?;
            }
            for (k, v) in &cc.labels {
                writeln!(out, "label      {k}={v}")?;
            }
            writeln!(out, "\nhistory (newest last):")?;
            let mut layers = img.layers.iter();
            for h in &c.history {
                let by = h.created_by.as_deref().unwrap_or_default();
                let size = if h.empty_layer {
                    "0B".to_owned()
                } else {
                    layers.next().map(|l| mb(l.size)).unwrap_or_default()
                };
                let short: String = by.chars().take(100).collect();
                writeln!(out, "  {size:>9}  {short}")?;
            }
            writeln!(out, "\nlayers:")?;
            for l in &img.layers {
                writeln!(
                    out,
                    "  {}  {:>9}  tar {}",
                    l.diff_id,
                    mb(l.size),
                    l.tar_size
                )?;
            }
        }
        Cmd::Files {
            reference,
            path,
            platform,
        } => {
            let img = match resolve(&reference, &platform)? {
                Ok(img) => img,
                Err(code) => return Ok(code),
            };
            let fs = img.rootfs().map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let root = VfsPath::new(&path);
            for (path, node) in fs.walk() {
                if !path.starts_with(&root) {
                    continue;
                }
                let m = node.meta();
                let what = match node {
                    Node::File(f) => format!("{:>10}", f.content.len()),
                    Node::Dir(_) => format!("{:>10}", "<dir>"),
                    Node::Symlink(s) => format!("{:>10}", format!("-> {}", s.target)),
                };
                writeln!(
                    out,
                    "{:o} {:>5}:{:<5} {what}  {}",
                    m.mode,
                    m.uid,
                    m.gid,
                    path.as_str()
                )?;
            }
        }
        Cmd::Export {
            reference,
            output,
            r#type,
            platform,
        } => {
            let img = match resolve(&reference, &platform)? {
                Ok(img) => img,
                Err(code) => return Ok(code),
            };
            let mut fs = Fs::default();
            let mut layers = Vec::new();
            for l in &img.layers {
                let before = fs.clone();
                l.apply(&mut fs).map_err(|e| anyhow::anyhow!("{e:?}"))?;
                let layer = Layer::from_changes(&fs, &diff(&before, &fs), &LayerOptions::default());
                if layer.diff_id() != l.diff_id {
                    bail!(
                        "layer {} hashes to {}, the catalog says {}",
                        l.recipe().key(),
                        layer.diff_id(),
                        l.diff_id
                    );
                }
                layers.push(layer);
            }
            let image = Image::new(img.config.clone(), layers);
            let tag = Reference::parse_docker(&reference).context("reference")?;
            let opts = ArchiveOptions {
                tags: vec![tag],
                ..ArchiveOptions::default()
            };
            let file = std::fs::File::create(&output)
                .with_context(|| format!("creating {}", output.display()))?;
            let mut w = std::io::BufWriter::new(file);
            let summary = match r#type.as_str() {
                "docker" => write_docker_archive(&image, &opts, &mut w)?,
                "oci" => write_oci_archive(&image, &opts, &mut w)?,
                other => bail!("unknown archive type {other:?}: expected oci or docker"),
            };
            w.flush()?;
            writeln!(
                out,
                "wrote {} ({}), image id {}",
                output.display(),
                r#type,
                summary.config.digest
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_parse_with_and_without_variant() {
        let p = parse_platform("linux/arm64/v8").unwrap();
        assert_eq!(
            (p.architecture.as_str(), p.variant.as_deref()),
            ("arm64", Some("v8"))
        );
        assert!(parse_platform("linux").is_err());
    }

    #[test]
    fn export_writes_an_archive_whose_layers_match_the_catalog() {
        let dir = std::env::temp_dir().join(format!("layerlab-catalog-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("busybox.tar");
        let args = Args {
            command: Cmd::Export {
                reference: "busybox".into(),
                output: out.clone(),
                r#type: "oci".into(),
                platform: "linux/amd64".into(),
            },
        };
        assert_eq!(run(args).unwrap(), ExitCode::SUCCESS);
        let bytes = std::fs::read(&out).unwrap();
        let imported =
            layerlab_image::import_archive(&bytes, &layerlab_image::ImportLimits::default())
                .unwrap();
        let stored = Catalog::builtin()
            .resolve("busybox", &parse_platform("linux/amd64").unwrap())
            .unwrap();
        assert_eq!(imported.config.diff_ids, stored.config.diff_ids);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
