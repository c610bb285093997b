//! The catalog's description of a base image: layers as lists of filesystem operations,
//! images as a parent plus history steps and config edits.
//!
//! Layers are data, not tars: a few real key files (os-release, passwd, package
//! databases) as inline text, executables as synthetic files of realistic size, and bulk
//! content as "N files under a directory" that [`crate::bulk`] expands deterministically.
//! A layer's content size is stated once (`docker history`'s SIZE column); what the
//! explicit files do not use is spread over the layer's bulk operations by weight, so
//! the total is exact by construction and the data reads like `docker history`.

use crate::bulk;
use layerlab_image::{ContainerConfig, History};
use layerlab_vfs::{Content, Fs, FsError, Meta, VfsPath};
use std::sync::Arc;

/// The items of a whitespace-separated name list. The data writes name lists as one
/// string rather than `&[&str]`: the page ships them, and a slice costs 8 bytes of
/// pointer and length per name that gzip cannot squeeze, on top of the name itself.
pub(crate) fn list(names: &str) -> impl Iterator<Item = &str> {
    names.split_ascii_whitespace()
}

/// One filesystem operation of a layer, applied in order.
#[derive(Clone, Debug)]
pub(crate) enum Op {
    /// `mkdir -p` with this mode and owner for every missing component.
    Dir { path: String, meta: Meta },
    /// A regular file with real inline content.
    Text {
        path: String,
        meta: Meta,
        text: String,
    },
    /// A regular file with synthetic content of `size` bytes (binaries, archives).
    Blob { path: String, meta: Meta, size: u64 },
    /// A symlink.
    Link { path: String, target: String },
    /// `count` synthetic files under `dir`, named from `pattern` (`#` becomes a
    /// generated word), sharing the layer's unassigned bytes by `weight`.
    Bulk {
        dir: String,
        count: u32,
        weight: u32,
        pattern: &'static str,
    },
}

/// A layer: what one history step added.
#[derive(Clone, Debug)]
pub(crate) struct LayerSpec {
    /// Globally unique key; the generated digest table is indexed by it.
    pub(crate) key: String,
    /// mtime of everything the layer writes (the step's creation time).
    pub(crate) mtime: i64,
    /// Content bytes the layer adds (`docker history` SIZE), including explicit files.
    pub(crate) size: u64,
    pub(crate) ops: Vec<Op>,
}

/// A history step, with or without a layer.
#[derive(Clone, Debug)]
pub(crate) struct Step {
    pub(crate) created: i64,
    pub(crate) created_by: String,
    pub(crate) layer: Option<Arc<LayerSpec>>,
}

/// A published figure the data is checked against.
#[derive(Clone, Debug)]
pub(crate) struct SizeRef {
    /// Uncompressed size as `docker images` shows it, in bytes.
    pub(crate) bytes: u64,
    /// Where the figure comes from (or "estimate: ..." when none was found).
    pub(crate) source: &'static str,
}

/// One image (one manifest list) with all the tags that point at it.
#[derive(Clone, Debug)]
pub(crate) struct ImageSpec {
    /// Registry host, e.g. `docker.io`, `gcr.io`.
    pub(crate) domain: &'static str,
    /// Repository path, e.g. `library/node`, `distroless/static-debian12`.
    pub(crate) path: String,
    /// Tags, the canonical one first.
    pub(crate) tags: Vec<String>,
    pub(crate) description: String,
    pub(crate) steps: Vec<Step>,
    pub(crate) config: ContainerConfig,
    pub(crate) expected: Option<SizeRef>,
    /// `(architecture, variant)` pairs published for linux.
    pub(crate) platforms: Vec<(&'static str, Option<&'static str>)>,
}

/// Owner and mode for ops written by the data modules.
pub(crate) const fn meta(mode: u32) -> Meta {
    Meta::new(mode)
}

impl LayerSpec {
    pub(crate) fn new(key: impl Into<String>, mtime: i64, size: u64) -> Self {
        LayerSpec {
            key: key.into(),
            mtime,
            size,
            ops: Vec::new(),
        }
    }

    /// `mkdir` each of the whitespace-separated `paths`.
    pub(crate) fn dirs(mut self, mode: u32, paths: &str) -> Self {
        for p in list(paths) {
            self.ops.push(Op::Dir {
                path: (*p).to_owned(),
                meta: meta(mode),
            });
        }
        self
    }

    pub(crate) fn dir_owned(mut self, path: &str, mode: u32, uid: u32, gid: u32) -> Self {
        self.ops.push(Op::Dir {
            path: path.to_owned(),
            meta: meta(mode).with_owner(uid, gid),
        });
        self
    }

    pub(crate) fn text(mut self, path: &str, mode: u32, text: impl Into<String>) -> Self {
        self.ops.push(Op::Text {
            path: path.to_owned(),
            meta: meta(mode),
            text: text.into(),
        });
        self
    }

    /// An executable (mode 0755) of `size` bytes.
    pub(crate) fn exe(self, path: &str, size: u64) -> Self {
        self.blob(path, 0o755, size)
    }

    pub(crate) fn blob(mut self, path: &str, mode: u32, size: u64) -> Self {
        self.ops.push(Op::Blob {
            path: path.to_owned(),
            meta: meta(mode),
            size,
        });
        self
    }

    /// Executables in `dir` whose sizes (16-156 KB) derive from their names: coreutils
    /// and friends, where each size matters less than that the name is on PATH.
    /// `names` is whitespace-separated.
    pub(crate) fn tools(mut self, dir: &str, names: &str) -> Self {
        for n in list(names) {
            let size = 16_384 + bulk::seed("tool", n) % 140_000;
            self.ops.push(Op::Blob {
                path: format!("{dir}/{n}"),
                meta: meta(0o755),
                size,
            });
        }
        self
    }

    pub(crate) fn link(mut self, path: &str, target: &str) -> Self {
        self.ops.push(Op::Link {
            path: path.to_owned(),
            target: target.to_owned(),
        });
        self
    }

    /// Symlinks `dir/name -> target` for each of the whitespace-separated `names`
    /// (busybox applets, alternatives).
    pub(crate) fn links(mut self, dir: &str, names: &str, target: &str) -> Self {
        for n in list(names) {
            self.ops.push(Op::Link {
                path: format!("{dir}/{n}"),
                target: target.to_owned(),
            });
        }
        self
    }

    pub(crate) fn bulk(
        mut self,
        dir: &str,
        count: u32,
        weight: u32,
        pattern: &'static str,
    ) -> Self {
        self.ops.push(Op::Bulk {
            dir: dir.to_owned(),
            count,
            weight,
            pattern,
        });
        self
    }

    /// Bytes of explicit files (inline text and blobs).
    pub(crate) fn explicit_bytes(&self) -> u64 {
        self.ops
            .iter()
            .map(|op| match op {
                Op::Text { text, .. } => text.len() as u64,
                Op::Blob { size, .. } => *size,
                _ => 0,
            })
            .sum()
    }

    /// Number of files, directories and links the layer writes (bulk expanded).
    pub(crate) fn n_ops(&self) -> u64 {
        self.ops
            .iter()
            .map(|op| match op {
                Op::Bulk { count, .. } => u64::from(*count),
                _ => 1,
            })
            .sum()
    }

    /// Applies the layer on top of `fs`.
    ///
    /// # Errors
    /// A filesystem error if the data contradicts the tree below (e.g. a file where a
    /// directory is needed); the catalog's tests make sure built-in data never does.
    pub(crate) fn apply(&self, fs: &mut Fs) -> Result<(), FsError> {
        let mtime = self.mtime;
        let dir_meta = meta(0o755).with_mtime(mtime);
        let bulk_bytes = self.size.saturating_sub(self.explicit_bytes());
        let total_weight: u64 = self
            .ops
            .iter()
            .map(|op| match op {
                Op::Bulk { weight, .. } => u64::from(*weight),
                _ => 0,
            })
            .sum();
        let mut assigned = 0u64;
        let mut weight_seen = 0u64;
        for (op_idx, op) in self.ops.iter().enumerate() {
            match op {
                Op::Dir { path, meta } => {
                    let p = VfsPath::new(path);
                    ensure_parent(fs, &p, dir_meta)?;
                    fs.mkdir_p(&p, meta.with_mtime(mtime))?;
                }
                Op::Text { path, meta, text } => {
                    let p = VfsPath::new(path);
                    ensure_parent(fs, &p, dir_meta)?;
                    let content = Content::inline(text.as_bytes().to_vec());
                    fs.write_file(&p, content, meta.with_mtime(mtime))?;
                }
                Op::Blob { path, meta, size } => {
                    let p = VfsPath::new(path);
                    ensure_parent(fs, &p, dir_meta)?;
                    let seed = bulk::seed(&self.key, path);
                    let content = Content::synthetic(seed, *size);
                    fs.write_file(&p, content, meta.with_mtime(mtime))?;
                }
                Op::Link { path, target } => {
                    let p = VfsPath::new(path);
                    ensure_parent(fs, &p, dir_meta)?;
                    // A later layer may repoint a link (update-alternatives does).
                    if fs.symlink_node(&p).is_ok() {
                        fs.remove(&p)?;
                    }
                    fs.symlink(target, &p, meta(0o777).with_mtime(mtime))?;
                }
                Op::Bulk {
                    dir,
                    count,
                    weight,
                    pattern,
                } => {
                    // Cumulative rounding so the shares add up to exactly `bulk_bytes`.
                    weight_seen += u64::from(*weight);
                    let upto = if total_weight == 0 {
                        0
                    } else {
                        (u128::from(bulk_bytes) * u128::from(weight_seen)
                            / u128::from(total_weight)) as u64
                    };
                    let bytes = upto - assigned;
                    assigned = upto;
                    let p = VfsPath::new(dir);
                    fs.mkdir_p(&p, dir_meta)?;
                    let seed = bulk::seed(&self.key, &format!("{dir}#{op_idx}"));
                    for file in bulk::expand(seed, *count, bytes, pattern) {
                        let fp = p.child(&file.name);
                        let content = Content::synthetic(file.seed, file.size);
                        fs.write_file(&fp, content, meta(0o644).with_mtime(mtime))?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn ensure_parent(fs: &mut Fs, p: &VfsPath, dir_meta: Meta) -> Result<(), FsError> {
    match p.parent() {
        Some(parent) if !parent.is_root() => fs.mkdir_p(&parent, dir_meta),
        _ => Ok(()),
    }
}

impl ImageSpec {
    /// A new image with no parent (`FROM scratch` + its first steps).
    pub(crate) fn root(domain: &'static str, path: &str, tags: &[&str], description: &str) -> Self {
        ImageSpec {
            domain,
            path: path.to_owned(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            description: description.to_owned(),
            steps: Vec::new(),
            // BuildKit gives every image built FROM scratch the default PATH.
            config: ContainerConfig {
                env: vec![format!("PATH={}", crate::data::DEFAULT_PATH)],
                ..ContainerConfig::default()
            },
            expected: None,
            platforms: vec![("amd64", None), ("arm64", Some("v8"))],
        }
    }

    /// An image built `FROM self`: inherits steps, config and platforms.
    pub(crate) fn child(&self, path: &str, tags: &[&str], description: &str) -> Self {
        ImageSpec {
            domain: "docker.io",
            path: path.to_owned(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            description: description.to_owned(),
            steps: self.steps.clone(),
            config: self.config.clone(),
            expected: None,
            platforms: self.platforms.clone(),
        }
    }

    pub(crate) fn domain(mut self, domain: &'static str) -> Self {
        self.domain = domain;
        self
    }

    /// A history step that adds `layer`.
    pub(crate) fn layer(mut self, created: i64, created_by: &str, layer: LayerSpec) -> Self {
        self.steps.push(Step {
            created,
            created_by: created_by.to_owned(),
            layer: Some(Arc::new(layer)),
        });
        self
    }

    /// A metadata-only history step (ENV, CMD, ...).
    pub(crate) fn meta_step(mut self, created: i64, created_by: &str) -> Self {
        self.steps.push(Step {
            created,
            created_by: created_by.to_owned(),
            layer: None,
        });
        self
    }

    /// Sets (or replaces) an `Env` entry, recording a BuildKit-style history step.
    pub(crate) fn env(mut self, created: i64, key: &str, value: &str) -> Self {
        let prefix = format!("{key}=");
        let entry = format!("{key}={value}");
        match self.config.env.iter_mut().find(|e| e.starts_with(&prefix)) {
            Some(e) => *e = entry.clone(),
            None => self.config.env.push(entry.clone()),
        }
        self.meta_step(created, &format!("ENV {entry}"))
    }

    /// One `ENV` instruction setting several variables (one history entry).
    pub(crate) fn envs(mut self, created: i64, pairs: &[(&str, &str)]) -> Self {
        let mut line = String::from("ENV");
        for (key, value) in pairs {
            let prefix = format!("{key}=");
            let entry = format!("{key}={value}");
            match self.config.env.iter_mut().find(|e| e.starts_with(&prefix)) {
                Some(e) => *e = entry.clone(),
                None => self.config.env.push(entry.clone()),
            }
            line.push(' ');
            line.push_str(&entry);
        }
        self.meta_step(created, &line)
    }

    /// The current value of an `Env` variable (to build `PATH=/x:$PATH`).
    pub(crate) fn env_value(&self, key: &str) -> Option<&str> {
        let prefix = format!("{key}=");
        self.config
            .env
            .iter()
            .find_map(|e| e.strip_prefix(prefix.as_str()))
    }

    /// Sets `Cmd` (JSON form), recording the history step.
    pub(crate) fn cmd(mut self, created: i64, cmd: &[&str]) -> Self {
        self.config.cmd = cmd.iter().map(|s| (*s).to_owned()).collect();
        let by = format!("CMD {}", json_array(&self.config.cmd));
        self.meta_step(created, &by)
    }

    /// Sets `Entrypoint` (JSON form); like Docker, this resets an inherited `Cmd`.
    pub(crate) fn entrypoint(mut self, created: i64, ep: &[&str]) -> Self {
        self.config.entrypoint = ep.iter().map(|s| (*s).to_owned()).collect();
        self.config.cmd.clear();
        let by = format!("ENTRYPOINT {}", json_array(&self.config.entrypoint));
        self.meta_step(created, &by)
    }

    /// `WORKDIR dir` of a directory the image already has: BuildKit's `mkdir -p`
    /// changes nothing, and its exporter still writes the (empty) layer: the official
    /// images built with BuildKit list it as a 32-byte gzipped blob, `sha256:4f4fb700…`
    /// (golang's last layer, for `WORKDIR $GOPATH`).
    pub(crate) fn workdir(mut self, created: i64, dir: &str, key: String) -> Self {
        self.config.working_dir = Some(dir.to_owned());
        self.layer(
            created,
            &format!("WORKDIR {dir}"),
            LayerSpec::new(key, created, 0),
        )
    }

    pub(crate) fn expose(mut self, created: i64, port: &str) -> Self {
        self.config.exposed_ports.insert(port.to_owned());
        self.meta_step(created, &format!("EXPOSE map[{port}:{{}}]"))
    }

    pub(crate) fn label(mut self, created: i64, key: &str, value: &str) -> Self {
        self.config.labels.insert(key.to_owned(), value.to_owned());
        self.meta_step(created, &format!("LABEL {key}={value}"))
    }

    pub(crate) fn stop_signal(mut self, created: i64, sig: &str) -> Self {
        self.config.stop_signal = Some(sig.to_owned());
        self.meta_step(created, &format!("STOPSIGNAL {sig}"))
    }

    /// Only the platforms given (e.g. images published for amd64 only).
    pub(crate) fn platforms(mut self, p: &[(&'static str, Option<&'static str>)]) -> Self {
        self.platforms = p.to_vec();
        self
    }

    /// The published size this image is checked against.
    pub(crate) fn expect(mut self, bytes: u64, source: &'static str) -> Self {
        self.expected = Some(SizeRef { bytes, source });
        self
    }

    /// History entries as the image config carries them for `arch`: rootfs tarball
    /// steps name the architecture they were built for (`debian.sh --arch 'arm64'`).
    pub(crate) fn history(&self, arch: &str) -> Vec<History> {
        self.steps
            .iter()
            .map(|s| History {
                created: Some(layerlab_image::rfc3339(s.created)),
                created_by: Some(if arch == "amd64" {
                    s.created_by.clone()
                } else {
                    s.created_by
                        .replace("--arch 'amd64'", &format!("--arch '{arch}'"))
                        .replace("-x86_64.tar.gz", &format!("-{}.tar.gz", alpine_arch(arch)))
                }),
                // Rootfs tarballs (`# debian.sh ...`) and classic-builder steps
                // (`/bin/sh -c #(nop) ...`) carry no BuildKit comment.
                comment: Some("buildkit.dockerfile.v0".to_owned()).filter(|_| {
                    !(s.created_by.starts_with('#') || s.created_by.starts_with("/bin/sh -c"))
                }),
                empty_layer: s.layer.is_none(),
                ..History::default()
            })
            .collect()
    }
}

/// Alpine's name for a Go architecture (minirootfs tarball names).
fn alpine_arch(arch: &str) -> &str {
    match arch {
        "amd64" => "x86_64",
        "arm64" => "aarch64",
        "arm" => "armv7",
        other => other,
    }
}

/// `["a","b"]` the way Docker prints JSON-form instructions in history.
fn json_array(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", items.join(","))
}

/// Megabytes (10^6, as `docker images` prints them) to bytes.
pub(crate) const fn mb(x: f64) -> u64 {
    (x * 1_000_000.0) as u64
}
