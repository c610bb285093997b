//! [`BuildReport`]: what a build did, step by step, with every cache decision explained.
//!
//! The report is the engine's only output besides the image: hosts render it as
//! BuildKit's plain progress log ([`crate::progress`]), as JSON (`layerlab build
//! --report`), or as the playground's build, cache and layer views.

use crate::cache::{CacheKey, MissReason};
use layerlab_image::Layer;
use layerlab_vfs::Digest;

/// The outcome of one step (an op: FROM, RUN, COPY, ADD, WORKDIR).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StepStatus {
    /// Taken from the cache.
    Cached,
    /// Executed, and why the cache could not be used.
    Executed(MissReason),
    /// Executed and failed; the build stops here.
    Failed {
        /// BuildKit's message (`process "/bin/sh -c x" did not complete successfully: exit code: 127`).
        message: String,
    },
}

/// What a step contributed to the image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayerInfo {
    /// The layer (its tar and diff_id are computed on demand, then memoized).
    pub layer: Layer,
    /// Uncompressed size as `docker history` shows it (the layer tar's size).
    pub size: u64,
    /// Number of entries (files, directories, links, whiteouts).
    pub entries: u32,
}

impl LayerInfo {
    /// Summarizes `layer`.
    pub fn new(layer: Layer) -> LayerInfo {
        let size = layer.tar_size();
        let entries = u32::try_from(layer.entries().len()).unwrap_or(u32::MAX);
        LayerInfo {
            layer,
            size,
            entries,
        }
    }

    /// The layer's diff_id (hashes the tar stream the first time).
    pub fn diff_id(&self) -> Digest {
        self.layer.diff_id()
    }
}

/// One step of the build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepReport {
    /// The stage label shown in progress (`build`, `stage-1`); `None` in single-stage builds.
    pub stage: Option<String>,
    /// The stage's index among the Dockerfile's stages.
    pub stage_index: u32,
    /// Position in the stage's op count (`[3/6]` is `(3, 6)`).
    pub position: (u32, u32),
    /// The instruction text as progress shows it (variables expanded).
    pub instruction: String,
    /// The source range of the instruction in the Dockerfile (bytes).
    pub source: layerlab_text::TextRange,
    /// Hit, miss with reason, or failure.
    pub status: StepStatus,
    /// The cache key.
    pub key: CacheKey,
    /// The layer the step produced (`None` for FROM, which inherits base layers).
    pub layer: Option<LayerInfo>,
    /// Modeled time the step takes when executed, in milliseconds.
    pub duration_ms: u32,
    /// Output lines (RUN's simulated stdout/stderr), with modeled timestamps in ms.
    pub output: Vec<(u32, String)>,
    /// Warnings about the step (an unmodeled command, a skipped feature).
    pub warnings: Vec<String>,
}

impl StepReport {
    /// `[stage 3/6]` or `[3/6]`, with the index padded to the width of the total, as
    /// BuildKit prints it.
    pub fn label(&self) -> String {
        let (i, n) = self.position;
        let width = n.to_string().len();
        match &self.stage {
            Some(stage) => format!("[{stage} {i:>width$}/{n}]"),
            None => format!("[{i:>width$}/{n}]"),
        }
    }

    /// Whether the step came from the cache.
    pub fn is_cached(&self) -> bool {
        self.status == StepStatus::Cached
    }
}

/// A stage of the Dockerfile and whether this build needed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageReport {
    /// `AS` name, if any.
    pub name: Option<String>,
    /// The base as written after expansion (`node:20-alpine`, `scratch`, `build`).
    pub base: String,
    /// False when BuildKit skips the stage because the target does not need it.
    pub built: bool,
}

/// The image the build produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageReport {
    /// The image ID (sha256 of the config).
    pub id: Digest,
    /// Sum of all layer sizes, base layers included (what `docker images` shows).
    pub size: u64,
    /// Layers added by this build (not the base image's).
    pub new_layers: u32,
    /// How many leading `history` entries come from the base image (the image at the
    /// root of the target's `FROM` chain); the rest are this Dockerfile's.
    pub base_history: u32,
}

/// Where and why a build failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    /// The message, as BuildKit words it (`failed to compute cache key: …`).
    pub message: String,
    /// The instruction it concerns, when there is one.
    pub source: Option<layerlab_text::TextRange>,
}

/// Everything a build did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildReport {
    /// Stages in Dockerfile order.
    pub stages: Vec<StageReport>,
    /// Steps in execution order.
    pub steps: Vec<StepReport>,
    /// The image, when the build succeeded.
    pub image: Option<ImageReport>,
    /// The failure, when it did not.
    pub error: Option<BuildError>,
    /// `--build-arg` names no `ARG` of the Dockerfile declares (proxy variables aside):
    /// they change nothing. BuildKit says nothing of them; the classic builder warned
    /// `One or more build-args [..] were not consumed`.
    pub unused_build_args: Vec<String>,
}

impl BuildReport {
    /// Modeled time of the whole build, in milliseconds (cached steps cost nothing).
    pub fn duration_ms(&self) -> u64 {
        self.steps
            .iter()
            .filter(|s| !s.is_cached())
            .map(|s| u64::from(s.duration_ms))
            .sum()
    }

    /// Modeled time the cache saved: what the cached steps took when they were built.
    pub fn saved_ms(&self) -> u64 {
        self.steps
            .iter()
            .filter(|s| s.is_cached())
            .map(|s| u64::from(s.duration_ms))
            .sum()
    }
}
