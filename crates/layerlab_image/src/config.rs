//! The OCI image configuration (image-spec config.md plus Docker's extensions) and its
//! byte-exact JSON, whose SHA-256 is the image ID.
//!
//! Key order follows BuildKit's exporter (`patchImageConfig` re-marshals the top level
//! as a Go map, so those keys are sorted; `config` keeps Go struct order; empty fields
//! are omitted). See shared docs semantics.md §5.4.

use crate::error::{Error, ErrorKind, Result};
use crate::json::{Json, ObjBuilder};
use layerlab_vfs::Digest;
use std::collections::{BTreeMap, BTreeSet};

/// The runtime defaults in `config` (Docker's `ContainerConfig` subset an image carries).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContainerConfig {
    /// `User`.
    pub user: Option<String>,
    /// `ExposedPorts` keys such as `80/tcp`.
    pub exposed_ports: BTreeSet<String>,
    /// `Env` entries `K=V` in order.
    pub env: Vec<String>,
    /// `Entrypoint`.
    pub entrypoint: Vec<String>,
    /// `Cmd`.
    pub cmd: Vec<String>,
    /// `Volumes` keys.
    pub volumes: BTreeSet<String>,
    /// `WorkingDir`.
    pub working_dir: Option<String>,
    /// `Labels`.
    pub labels: BTreeMap<String, String>,
    /// `StopSignal`.
    pub stop_signal: Option<String>,
    /// `ArgsEscaped` (BuildKit sets it whenever a CMD was dispatched).
    pub args_escaped: bool,
    /// `Healthcheck`.
    pub healthcheck: Option<Healthcheck>,
    /// `OnBuild` triggers.
    pub on_build: Vec<String>,
    /// `Shell`.
    pub shell: Vec<String>,
}

/// Docker's `Healthcheck` (durations in nanoseconds; zero fields are omitted).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Healthcheck {
    /// `Test`, e.g. `["CMD-SHELL", "curl -f http://x/"]`.
    pub test: Vec<String>,
    /// `Interval`.
    pub interval: i64,
    /// `Timeout`.
    pub timeout: i64,
    /// `StartPeriod`.
    pub start_period: i64,
    /// `StartInterval`.
    pub start_interval: i64,
    /// `Retries`.
    pub retries: i64,
}

/// One `history` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// `created` (RFC 3339).
    pub created: Option<String>,
    /// `created_by`, e.g. `RUN /bin/sh -c make # buildkit`.
    pub created_by: Option<String>,
    /// `author`.
    pub author: Option<String>,
    /// `comment`, e.g. `buildkit.dockerfile.v0`.
    pub comment: Option<String>,
    /// `empty_layer`: true when the step added no layer.
    pub empty_layer: bool,
}

/// An image configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImageConfig {
    /// `architecture` (GOARCH), required.
    pub architecture: String,
    /// `os` (GOOS), required.
    pub os: String,
    /// `variant`.
    pub variant: Option<String>,
    /// `os.version`.
    pub os_version: Option<String>,
    /// `os.features`.
    pub os_features: Vec<String>,
    /// `created` (RFC 3339).
    pub created: Option<String>,
    /// `author`.
    pub author: Option<String>,
    /// `config`.
    pub config: ContainerConfig,
    /// `rootfs.diff_ids`, bottom layer first.
    pub diff_ids: Vec<Digest>,
    /// `history`.
    pub history: Vec<History>,
}

fn opt_str(s: &Option<String>) -> Option<Json> {
    s.as_ref()
        .filter(|s| !s.is_empty())
        .map(|s| Json::str(s.as_str()))
}

fn opt_strs(v: &[String]) -> Option<Json> {
    (!v.is_empty()).then(|| Json::strs(v))
}

fn set_obj(set: &BTreeSet<String>) -> Option<Json> {
    (!set.is_empty())
        .then(|| Json::Obj(set.iter().map(|k| (k.clone(), Json::Obj(vec![]))).collect()))
}

fn nonzero(n: i64) -> Option<Json> {
    (n != 0).then_some(Json::Int(n))
}

impl ContainerConfig {
    /// The `config` object in Go struct order.
    pub fn to_json(&self) -> Json {
        let labels = (!self.labels.is_empty()).then(|| {
            Json::Obj(
                self.labels
                    .iter()
                    .map(|(k, v)| (k.clone(), Json::str(v.as_str())))
                    .collect(),
            )
        });
        let hc = self.healthcheck.as_ref().map(|h| {
            ObjBuilder::default()
                .opt("Test", opt_strs(&h.test))
                .opt("Interval", nonzero(h.interval))
                .opt("Timeout", nonzero(h.timeout))
                .opt("StartPeriod", nonzero(h.start_period))
                .opt("StartInterval", nonzero(h.start_interval))
                .opt("Retries", nonzero(h.retries))
                .build()
        });
        ObjBuilder::default()
            .opt("User", opt_str(&self.user))
            .opt("ExposedPorts", set_obj(&self.exposed_ports))
            .opt("Env", opt_strs(&self.env))
            .opt("Entrypoint", opt_strs(&self.entrypoint))
            .opt("Cmd", opt_strs(&self.cmd))
            .opt("Volumes", set_obj(&self.volumes))
            .opt("WorkingDir", opt_str(&self.working_dir))
            .opt("Labels", labels)
            .opt("StopSignal", opt_str(&self.stop_signal))
            .opt("ArgsEscaped", self.args_escaped.then_some(Json::Bool(true)))
            .opt("Healthcheck", hc)
            .opt("OnBuild", opt_strs(&self.on_build))
            .opt("Shell", opt_strs(&self.shell))
            .build()
    }
}

impl History {
    fn to_json(&self) -> Json {
        ObjBuilder::default()
            .opt("created", opt_str(&self.created))
            .opt("created_by", opt_str(&self.created_by))
            .opt("author", opt_str(&self.author))
            .opt("comment", opt_str(&self.comment))
            .opt("empty_layer", self.empty_layer.then_some(Json::Bool(true)))
            .build()
    }
}

impl ImageConfig {
    /// The JSON value, keys as BuildKit writes them.
    pub fn to_json(&self) -> Json {
        let rootfs = ObjBuilder::default()
            .field("type", Json::str("layers"))
            .field(
                "diff_ids",
                Json::Arr(
                    self.diff_ids
                        .iter()
                        .map(|d| Json::Str(d.to_string()))
                        .collect(),
                ),
            )
            .build();
        let history = (!self.history.is_empty())
            .then(|| Json::Arr(self.history.iter().map(History::to_json).collect()));
        // Top-level keys sorted, as a Go map marshals them.
        ObjBuilder::default()
            .field("architecture", Json::str(self.architecture.as_str()))
            .opt("author", opt_str(&self.author))
            .field("config", self.config.to_json())
            .opt("created", opt_str(&self.created))
            .opt("history", history)
            .field("os", Json::str(self.os.as_str()))
            .opt("os.features", opt_strs(&self.os_features))
            .opt("os.version", opt_str(&self.os_version))
            .field("rootfs", rootfs)
            .opt("variant", opt_str(&self.variant))
            .build()
    }

    /// The exact bytes whose digest is the image ID.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_json().to_bytes()
    }

    /// The image ID: `sha256` of [`ImageConfig::to_bytes`].
    pub fn image_id(&self) -> Digest {
        Digest::of(&self.to_bytes())
    }

    /// History entries paired with the index of the layer each one produced
    /// (`None` for `empty_layer` entries).
    pub fn history_layers(&self) -> Vec<(&History, Option<usize>)> {
        let mut next = 0usize;
        self.history
            .iter()
            .map(|h| {
                if h.empty_layer {
                    (h, None)
                } else {
                    next += 1;
                    (h, Some(next - 1))
                }
            })
            .collect()
    }

    /// Parses a config blob (lenient about unknown fields, strict about required ones).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidJson`] for invalid JSON, a missing `architecture`/`os`/
    /// `rootfs`, or a malformed diff_id.
    pub fn from_json(bytes: &[u8]) -> Result<Self> {
        let v = layerlab_text::json::parse(bytes).map_err(|e| {
            Error::new(
                ErrorKind::InvalidJson,
                format!("invalid image config JSON: {e}"),
            )
        })?;
        let bad = |m: &str| Error::new(ErrorKind::InvalidJson, format!("image config: {m}"));
        let req = |k: &str| {
            v.str_at(k)
                .map(str::to_owned)
                .ok_or_else(|| bad(&format!("missing string field {k:?}")))
        };
        let rootfs = v.get("rootfs").ok_or_else(|| bad("missing \"rootfs\""))?;
        let diff_ids = rootfs
            .get("diff_ids")
            .and_then(Json::as_array)
            .unwrap_or_default()
            .iter()
            .map(|d| {
                d.as_str()
                    .and_then(Digest::parse)
                    .ok_or_else(|| bad(&format!("invalid diff_id {}", d.to_string_compact())))
            })
            .collect::<Result<Vec<_>>>()?;
        let c = v.get("config").unwrap_or(&Json::Null);
        let hc = c
            .get("Healthcheck")
            .filter(|h| h.as_object().is_some())
            .map(|h| Healthcheck {
                test: strs(h.get("Test")),
                interval: int(h.get("Interval")),
                timeout: int(h.get("Timeout")),
                start_period: int(h.get("StartPeriod")),
                start_interval: int(h.get("StartInterval")),
                retries: int(h.get("Retries")),
            });
        let config = ContainerConfig {
            user: string(c.get("User")),
            exposed_ports: keys(c.get("ExposedPorts")),
            env: strs(c.get("Env")),
            entrypoint: strs(c.get("Entrypoint")),
            cmd: strs(c.get("Cmd")),
            volumes: keys(c.get("Volumes")),
            working_dir: string(c.get("WorkingDir")),
            labels: c
                .get("Labels")
                .and_then(Json::as_object)
                .map(|m| {
                    // Collected into a map: the last of duplicate keys wins.
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                        .collect()
                })
                .unwrap_or_default(),
            stop_signal: string(c.get("StopSignal")),
            args_escaped: c
                .get("ArgsEscaped")
                .and_then(Json::as_bool)
                .unwrap_or(false),
            healthcheck: hc,
            on_build: strs(c.get("OnBuild")),
            shell: strs(c.get("Shell")),
        };
        let history = v
            .get("history")
            .and_then(Json::as_array)
            .unwrap_or_default()
            .iter()
            .map(|h| History {
                created: string(h.get("created")),
                created_by: string(h.get("created_by")),
                author: string(h.get("author")),
                comment: string(h.get("comment")),
                empty_layer: h
                    .get("empty_layer")
                    .and_then(Json::as_bool)
                    .unwrap_or(false),
            })
            .collect();
        Ok(ImageConfig {
            architecture: req("architecture")?,
            os: req("os")?,
            variant: string(v.get("variant")),
            os_version: string(v.get("os.version")),
            os_features: strs(v.get("os.features")),
            created: string(v.get("created")),
            author: string(v.get("author")),
            config,
            diff_ids,
            history,
        })
    }
}

/// An `omitempty` string field: Go reads `""` and an absent field alike (and writes
/// neither), so both are `None` here, and a config read back from its bytes is equal.
fn string(v: Option<&Json>) -> Option<String> {
    v.and_then(Json::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn strs(v: Option<&Json>) -> Vec<String> {
    v.and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn keys(v: Option<&Json>) -> BTreeSet<String> {
    v.and_then(Json::as_object)
        .map(|m| m.iter().map(|(k, _)| k.clone()).collect())
        .unwrap_or_default()
}

fn int(v: Option<&Json>) -> i64 {
    v.and_then(Json::as_i64).unwrap_or(0)
}

/// Formats Unix seconds as RFC 3339 UTC (`2024-01-01T00:00:00Z`), as Go prints a
/// whole-second `time.Time` in `RFC3339Nano`.
pub fn rfc3339(secs: i64) -> String {
    let t = layerlab_vfs::civil_time(secs);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}
