//! Building the workspace: the engine with the catalog's base images and the shell
//! simulator, a cache that lives as long as the page, and the view of the result.

use super::cache::CacheView;
use super::context;
use crate::workspace::{ContextFile, Workspace};
use layerlab_build::bases::CatalogBases;
use layerlab_build::cache::CacheStore;
use layerlab_build::engine::{build, BuildOptions, BuildOutput, BuildRequest};
use layerlab_build::progress::{human_size_precision, seconds};
use layerlab_build::report::StepStatus;
use layerlab_build::runner::ShellRunner;
use layerlab_build::whatif::{what_if, Edit, Prediction};
use layerlab_dockerignore::{walk, ContextEntry, ContextTree};
use layerlab_text::{count, LineIndex};
use layerlab_vfs::{Content, Fs, Meta, VfsPath};
use std::cell::RefCell;

thread_local! {
    // Base images are materialized once per page; every build reuses them.
    static BASES: CatalogBases = CatalogBases::default();
    // The build cache, as BuildKit's local cache: it persists between builds.
    static CACHE: RefCell<CacheStore> = RefCell::new(CacheStore::default());
}

/// How a step fared, for the badge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepState {
    /// Taken from the cache.
    Cached,
    /// Executed.
    Built,
    /// Failed.
    Failed,
}

/// One step as the Build view lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepView {
    /// `[2/5]` or `[build 2/5]`.
    pub label: String,
    /// The instruction text.
    pub instruction: String,
    /// Badge.
    pub state: StepState,
    /// Why it was executed (or why it failed).
    pub reason: Option<String>,
    /// Modeled duration (`1.5s`); for cached steps, what the cache saved.
    pub time: String,
    /// Milliseconds, for the time bars.
    pub ms: u32,
    /// Layer size, if the step made a layer.
    pub size: Option<String>,
    /// Output lines and simulation notes.
    pub output: Vec<String>,
    /// 1-based first line in the Dockerfile, and the UTF-16 range for selection.
    pub line: u32,
    /// UTF-16 range of the instruction.
    pub utf16: (u32, u32),
}

/// The result of a build, for the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildView {
    /// Steps in execution order.
    pub steps: Vec<StepView>,
    /// `built in 4.2s, 3 of 6 steps cached (saved 12.1s)`.
    pub summary: String,
    /// The image ID and size, when the build succeeded.
    pub image: Option<(String, String)>,
    /// The failure, with its line.
    pub error: Option<(String, Option<u32>)>,
    /// Stages skipped because the target does not need them.
    pub skipped: Vec<String>,
    /// Build args no `ARG` declares.
    pub unused_args: Vec<String>,
    /// Every cache decision in detail, for the Cache view.
    pub cache: super::cache::CacheView,
}

/// Options from the page.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PageOptions {
    /// `K=V` lines.
    pub build_args: String,
    /// Target stage.
    pub target: String,
    /// `--no-cache`.
    pub no_cache: bool,
    /// Rebuild by itself shortly after each edit.
    pub live: bool,
}

/// Builds the workspace's context (the ignore file applied) as an `Fs`. Files known
/// only by size (an uploaded folder) get deterministic stand-in content of that size.
pub fn context_fs(ws: &Workspace) -> Fs {
    let mut fs = Fs::new(Meta::new(0o755));
    let tree = ContextTree::new(ws.entries().into_iter().map(|(p, is_dir, size)| {
        if is_dir {
            ContextEntry::dir(p)
        } else {
            ContextEntry::file(p, size)
        }
    }));
    let sent: Vec<usize> = match context::matcher(ws) {
        Ok(Some((_, m))) => walk(&m, &tree)
            .map(|r| r.sent().collect())
            .unwrap_or_default(),
        _ => (0..tree.entries().len()).collect(),
    };
    for i in sent {
        let e = &tree.entries()[i];
        let path = VfsPath::new(&format!("/{}", e.path));
        if e.is_dir() {
            let _ = fs.mkdir_p(&path, Meta::new(0o755));
            continue;
        }
        let content = match ws.files.get(&e.path) {
            Some(ContextFile::Text(t)) => Content::inline(t.as_bytes()),
            Some(ContextFile::Sized(n)) => Content::synthetic(stable_seed(&e.path), *n),
            None => continue,
        };
        if let Some(parent) = path.parent() {
            let _ = fs.mkdir_p(&parent, Meta::new(0o755));
        }
        let _ = fs.write_file(&path, content, Meta::new(0o644));
    }
    fs
}

fn stable_seed(path: &str) -> u64 {
    let d = layerlab_vfs::Digest::of(path.as_bytes());
    let b = d.as_bytes();
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

/// The engine's options for the page's.
pub fn build_options(opts: &PageOptions) -> BuildOptions {
    let build_args = opts
        .build_args
        .lines()
        .filter_map(|l| {
            l.trim()
                .split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.to_string()))
        })
        .filter(|(k, _)| !k.is_empty())
        .collect();
    BuildOptions {
        build_args,
        target: (!opts.target.trim().is_empty()).then(|| opts.target.trim().to_string()),
        no_cache: opts.no_cache,
        ..BuildOptions::default()
    }
}

/// Runs `f` with the engine's request for the workspace and the page's cache.
fn with_request<R>(
    ws: &Workspace,
    options: &BuildOptions,
    f: impl FnOnce(&BuildRequest<'_>, &RefCell<CacheStore>) -> R,
) -> R {
    let context = context_fs(ws);
    let excluded = |path: &str| -> Option<String> {
        let (_, m) = context::matcher(ws).ok()??;
        let (file, _) = context::ignore_file(ws)?;
        layerlab_lesson::project::why_excluded(&file, &m, path)
    };
    BASES.with(|bases| {
        CACHE.with(|cache| {
            let req = BuildRequest {
                dockerfile: ws.dockerfile(),
                dockerfile_path: Some(&ws.dockerfile_path),
                context: &context,
                excluded: &excluded,
                options,
                bases,
                runner: &ShellRunner,
            };
            f(&req, cache)
        })
    })
}

/// Predicts what `edit` would rebuild in the next build, on a copy of the page's cache.
pub fn predict(ws: &Workspace, opts: &PageOptions, edit: &Edit) -> Prediction {
    with_request(ws, &build_options(opts), |req, cache| {
        what_if(req, &cache.borrow(), edit)
    })
}

/// Builds the workspace and describes the result.
pub fn run_build(ws: &Workspace, opts: &PageOptions) -> BuildView {
    run_build_with(ws, &build_options(opts), |_| ()).0
}

/// Builds the workspace with `options`, describes the result, and lets `inspect` read
/// the engine's output (a lesson checks its expectations on it).
pub fn run_build_with<R>(
    ws: &Workspace,
    options: &BuildOptions,
    inspect: impl FnOnce(&BuildOutput) -> R,
) -> (BuildView, R) {
    let (out, cache_view) = build_on_page_cache(ws, options);
    let inspected = inspect(&out);
    (describe(ws.dockerfile(), &out, cache_view), inspected)
}

// The parts of `run_build_with` that do not depend on `inspect`, kept out of it so its
// copies (one per caller's closure) stay small in the page.
fn build_on_page_cache(ws: &Workspace, options: &BuildOptions) -> (BuildOutput, CacheView) {
    let dockerfile = ws.dockerfile();
    with_request(ws, options, |req, cache| {
        let out = build(req, &mut cache.borrow_mut());
        let view = super::cache::cache_view(&out.report, &cache.borrow(), dockerfile);
        (out, view)
    })
}

/// Keeps the build's image for the Layers view and describes the build.
fn describe(dockerfile: &str, out: &BuildOutput, cache_view: CacheView) -> BuildView {
    super::image::remember_build(out);
    let index = LineIndex::new(dockerfile);
    let steps = out
        .report
        .steps
        .iter()
        .map(|s| {
            let (state, reason) = match &s.status {
                StepStatus::Cached => (StepState::Cached, None),
                StepStatus::Executed(r) => (StepState::Built, Some(r.describe())),
                StepStatus::Failed { message } => (StepState::Failed, Some(message.clone())),
                #[allow(unreachable_patterns)]
                _ => (StepState::Built, None),
            };
            let mut output: Vec<String> = s.output.iter().map(|(_, l)| l.clone()).collect();
            output.extend(s.warnings.iter().map(|w| format!("[layerlab] {w}")));
            StepView {
                label: s.label(),
                instruction: s.instruction.clone(),
                state,
                reason,
                time: seconds(s.duration_ms),
                ms: s.duration_ms,
                size: s.layer.as_ref().map(|l| human_size_precision(l.size, 3)),
                output,
                line: index.line_of(s.source.start()) + 1,
                utf16: (
                    super::utf16_offset(dockerfile, s.source.start().to_usize()),
                    super::utf16_offset(dockerfile, s.source.end().to_usize()),
                ),
            }
        })
        .collect::<Vec<_>>();
    let cached = steps
        .iter()
        .filter(|s| s.state == StepState::Cached)
        .count();
    let took = seconds(out.report.duration_ms().min(u64::from(u32::MAX)) as u32);
    // A failed build made no image: say so, and count only the steps that finished
    // before the error (the failed step is not one of them; a parse error stops the
    // build before any step).
    let done = steps
        .iter()
        .filter(|s| s.state != StepState::Failed)
        .count();
    let summary = match (&out.report.error, done) {
        (Some(_), 0) => "build failed before any step finished".to_string(),
        (Some(_), _) => format!(
            "build failed after {took}: {} finished first, {cached} from the cache",
            count(done as u64, "step")
        ),
        (None, _) => format!(
            "built in {took}, {cached} of {} cached (the cache saved {})",
            count(steps.len() as u64, "step"),
            seconds(out.report.saved_ms().min(u64::from(u32::MAX)) as u32),
        ),
    };
    BuildView {
        steps,
        summary,
        image: out
            .report
            .image
            .as_ref()
            .map(|i| (i.id.to_string(), human_size_precision(i.size, 3))),
        error: out.report.error.as_ref().map(|e| {
            (
                e.message.clone(),
                e.source.map(|r| index.line_of(r.start()) + 1),
            )
        }),
        skipped: out
            .report
            .stages
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.built)
            .map(|(i, s)| s.name.clone().unwrap_or_else(|| format!("stage-{i}")))
            .collect(),
        unused_args: out.report.unused_build_args.clone(),
        cache: cache_view,
    }
}

/// A new, empty builder cache: nothing cached, no previous build to compare with.
pub fn reset_cache() {
    CACHE.with(|c| *c.borrow_mut() = CacheStore::default());
}

/// Forgets every cached result (`docker builder prune`).
pub fn prune_cache() {
    CACHE.with(|c| c.borrow_mut().prune());
}
