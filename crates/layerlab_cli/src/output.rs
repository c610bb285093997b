//! Build outputs as buildx spells them (`-o type=oci,dest=F`), written to disk.

use anyhow::{bail, Context};
use layerlab_image::{ArchiveOptions, ArchiveSummary, Compression, Image, Reference};
use layerlab_vfs::{Fs, Node, VfsPath};
use std::path::{Path, PathBuf};

/// What to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An OCI image layout tar.
    Oci,
    /// A `docker save` tar (`docker load` reads it).
    Docker,
    /// The final filesystem as a directory.
    Local,
}

/// A parsed `-o` value.
pub(crate) struct Output {
    pub(crate) kind: Kind,
    pub(crate) dest: PathBuf,
    pub(crate) compression: Compression,
}

/// Parses buildx-style `type=oci|docker|local,dest=PATH[,compression=gzip|uncompressed]`.
pub(crate) fn parse_output(spec: &str) -> anyhow::Result<Output> {
    let mut out = Output {
        kind: Kind::Oci,
        dest: PathBuf::new(),
        compression: Compression::None,
    };
    for kv in spec.split(',') {
        match kv.split_once('=') {
            Some(("type", "oci")) => out.kind = Kind::Oci,
            Some(("type", "docker")) => out.kind = Kind::Docker,
            Some(("type", "local")) => out.kind = Kind::Local,
            Some(("dest", d)) => out.dest = PathBuf::from(d),
            Some(("compression", "gzip")) => out.compression = Compression::Gzip,
            Some(("compression", "uncompressed")) => out.compression = Compression::None,
            _ => bail!("-o {spec:?}: unknown option {kv:?} (expected type=oci|docker|local, dest=PATH, compression=gzip|uncompressed)"),
        }
    }
    if out.dest.as_os_str().is_empty() {
        bail!("-o {spec:?}: dest=PATH is required");
    }
    if out.kind == Kind::Docker && out.compression == Compression::Gzip {
        bail!("-o {spec:?}: docker archives store uncompressed layers");
    }
    Ok(out)
}

/// Writes an image archive (OCI or docker) to `out.dest`.
pub(crate) fn write_archive(
    image: &Image,
    out: &Output,
    tags: Vec<Reference>,
    epoch: i64,
) -> anyhow::Result<ArchiveSummary> {
    let opts = ArchiveOptions {
        tags,
        mtime: epoch,
        compression: out.compression,
    };
    let file = std::fs::File::create(&out.dest)
        .with_context(|| format!("creating {}", out.dest.display()))?;
    let mut w = std::io::BufWriter::new(file);
    let summary = match out.kind {
        Kind::Docker => layerlab_image::write_docker_archive(image, &opts, &mut w),
        _ => layerlab_image::write_oci_archive(image, &opts, &mut w),
    }
    .with_context(|| format!("writing {}", out.dest.display()))?;
    std::io::Write::flush(&mut w)?;
    Ok(summary)
}

/// Writes a filesystem to a directory (`type=local`): files, directories and symlinks
/// with their modes; ownership is the current user's (no root needed).
pub(crate) fn write_local(fs: &Fs, dest: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dest).with_context(|| format!("creating {}", dest.display()))?;
    fn write(node: &Node, at: &Path, vpath: &VfsPath) -> anyhow::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        match node {
            Node::Dir(d) => {
                std::fs::create_dir_all(at)
                    .with_context(|| format!("creating {}", at.display()))?;
                for (name, child) in d.entries() {
                    write(child, &at.join(name), &vpath.child(name))?;
                }
                // Set the mode last so a read-only directory can still be filled.
                std::fs::set_permissions(
                    at,
                    std::fs::Permissions::from_mode(node.meta().mode & 0o7777 | 0o200),
                )?;
            }
            Node::File(f) => {
                let mut file = std::fs::File::create(at)
                    .with_context(|| format!("creating {}", at.display()))?;
                let mut res = Ok(());
                f.content.for_each_chunk(|chunk| {
                    if res.is_ok() {
                        res = std::io::Write::write_all(&mut file, chunk);
                    }
                });
                res.with_context(|| format!("writing {}", at.display()))?;
                std::fs::set_permissions(
                    at,
                    std::fs::Permissions::from_mode(node.meta().mode & 0o7777),
                )?;
            }
            Node::Symlink(s) => {
                std::os::unix::fs::symlink(&s.target, at)
                    .with_context(|| format!("linking {}", at.display()))?;
            }
        }
        Ok(())
    }
    for (name, child) in fs.root().entries() {
        write(child, &dest.join(name), &VfsPath::root().child(name))?;
    }
    Ok(())
}
