//! "What if I edit this?": which steps an edit of a context file or of a Dockerfile
//! instruction would rebuild, and why, without touching the real cache.
//!
//! The prediction is a real build on a copy of the cache, never a rule of thumb:
//!
//! 1. a baseline build of the request as it is now warms the copy (so the prediction is
//!    about the edit alone, not about changes made since the last real build);
//! 2. the edit is applied, and the engine builds again on the copy.
//!
//! A context file is edited by changing its content (a newline appended to a text file,
//! other bytes of the same length for a file known only by its size), so the engine's
//! own checksums and explanations decide. An instruction cannot be edited blindly
//! without changing what it means, so its edit is applied to the cache instead: the
//! instruction's step gets a key no cache entry has, exactly what any real edit of the
//! line does, and every entry built on top of that key is dropped from the copy. The
//! engine then shows which later steps still hit (a `COPY --from` whose files did not
//! change, a `COPY` before an `ENV` edit) and which rebuild.

use crate::cache::{causes, parent_step, CacheKey, CacheStore, MissReason};
use crate::engine::{build, BuildOutput, BuildRequest};
use crate::report::{BuildError, StepReport, StepStatus};
use layerlab_text::{TextRange, TextSize};
use layerlab_vfs::{Content, ContentKind, VfsPath};
use std::collections::BTreeSet;

/// What the user would edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// The content of a context file (`src/app.js`, relative to the context root).
    ContextFile(String),
    /// The Dockerfile instruction that spans this byte offset.
    Instruction(TextSize),
}

/// One step of the predicted build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PredictedStep {
    /// `[3/6]` or `[build 3/6]`.
    pub label: String,
    /// The instruction as progress shows it.
    pub instruction: String,
    /// Where the instruction is in the Dockerfile.
    pub source: TextRange,
    /// Whether the edit would rebuild it.
    pub rebuild: bool,
    /// Why it would rebuild: the engine's explanation, or the edited instruction.
    pub why: Option<String>,
    /// The structured reason, when the engine gave one (file lists, before → after).
    pub reason: Option<MissReason>,
    /// The step whose new result it would run on, when that is why it rebuilds.
    pub cause: Option<usize>,
    /// Modeled time the step takes when it runs, in milliseconds.
    pub duration_ms: u32,
}

/// What an edit would do to the next build.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prediction {
    /// Every step of the build after the edit.
    pub steps: Vec<PredictedStep>,
    /// Why the edit rebuilds nothing, or what the prediction assumes.
    pub note: Option<String>,
    /// Steps the next build rebuilds anyway, for changes made since the last build.
    pub pending: usize,
    /// The build fails (as it is, or after the edit).
    pub error: Option<BuildError>,
}

impl Prediction {
    /// How many steps would rebuild.
    pub fn rebuilds(&self) -> usize {
        self.steps.iter().filter(|s| s.rebuild).count()
    }

    /// Modeled time the rebuilt steps take, in milliseconds.
    pub fn rebuild_ms(&self) -> u64 {
        self.steps
            .iter()
            .filter(|s| s.rebuild)
            .map(|s| u64::from(s.duration_ms))
            .sum()
    }
}

/// Predicts what `edit` would rebuild in the next build of `req`; `cache` is only read.
pub fn what_if(req: &BuildRequest<'_>, cache: &CacheStore, edit: &Edit) -> Prediction {
    let mut copy = cache.clone();
    let baseline = build(req, &mut copy);
    let pending = baseline
        .report
        .steps
        .iter()
        .filter(|s| !s.is_cached())
        .count();
    if let Some(error) = baseline.report.error {
        return Prediction {
            note: Some("the build fails as it is; fix it first".into()),
            pending,
            error: Some(error),
            ..Prediction::default()
        };
    }
    let mut prediction = match edit {
        Edit::ContextFile(path) => edit_file(req, &mut copy, path),
        Edit::Instruction(offset) => edit_instruction(req, &mut copy, &baseline, *offset),
    };
    prediction.pending = pending;
    prediction
}

fn edit_file(req: &BuildRequest<'_>, copy: &mut CacheStore, path: &str) -> Prediction {
    let path = path.trim_start_matches('/');
    let vpath = VfsPath::new(&format!("/{path}"));
    let (Ok(content), Ok(meta)) = (req.context.read_file(&vpath), req.context.metadata(&vpath))
    else {
        let note = match (req.excluded)(path) {
            Some(rule) => format!(
                "{path} is not sent to the builder ({rule}), so editing it rebuilds nothing"
            ),
            None => format!("{path} is not a file of the build context"),
        };
        let out = build(req, copy);
        return predicted(&out, copy, &BTreeSet::new(), None, Some(note));
    };
    let mut context = req.context.clone();
    // The write cannot fail: the path is an existing file of this filesystem.
    let _ = context.write_file(&vpath, edited(content), meta);
    let edited_req = BuildRequest {
        context: &context,
        ..*req
    };
    let out = build(&edited_req, copy);
    let note = out
        .report
        .steps
        .iter()
        .all(StepReport::is_cached)
        .then(|| format!("no step reads {path}: no COPY or ADD selects it"));
    predicted(&out, copy, &BTreeSet::new(), None, note)
}

/// Other content for a file: a newline more for text, other bytes of the same length
/// for a file known only by its size.
fn edited(content: &Content) -> Content {
    match content.kind() {
        ContentKind::Inline(bytes) => {
            let mut bytes = bytes.to_vec();
            bytes.push(b'\n');
            Content::inline(bytes)
        }
        ContentKind::Synthetic { seed, len } => Content::synthetic(seed.wrapping_add(1), len),
        // Any other representation: its bytes, then a newline.
        _ => {
            let mut bytes = content.to_vec();
            bytes.push(b'\n');
            Content::inline(bytes)
        }
    }
}

fn edit_instruction(
    req: &BuildRequest<'_>,
    copy: &mut CacheStore,
    baseline: &BuildOutput,
    offset: TextSize,
) -> Prediction {
    let parsed = layerlab_dockerfile::parse(req.dockerfile);
    let Some(instruction) = parsed
        .dockerfile
        .instructions
        .iter()
        .find(|i| i.range.contains(offset) || i.range.end() == offset)
    else {
        let out = build(req, copy);
        let note = "this line is not an instruction (a comment or a blank line): editing it rebuilds nothing".to_string();
        return predicted(&out, copy, &BTreeSet::new(), None, Some(note));
    };
    let name = instruction.name();
    let steps = &baseline.report.steps;
    // The steps whose keys the edit changes.
    let (edited, note): (Vec<usize>, Option<String>) = match name.as_str() {
        "from" | "run" | "copy" | "add" | "workdir" => {
            let found: Vec<usize> = steps
                .iter()
                .enumerate()
                .filter(|(_, s)| instruction.range.contains_range(s.source))
                .map(|(i, _)| i)
                .collect();
            let note = found.is_empty().then(|| {
                "no step of this build runs this instruction: the target does not need its stage"
                    .to_string()
            });
            (found, note)
        }
        // The environment (and user and shell) of every later RUN of the stage is part
        // of its key, so the first RUN after the line is where the edit shows.
        "env" | "arg" | "user" | "shell" => {
            let stage = steps
                .iter()
                .rfind(|s| s.source.start() <= instruction.range.start())
                .map(|s| s.stage_index);
            let first_run = steps.iter().position(|s| {
                Some(s.stage_index) == stage
                    && s.source.start() > instruction.range.start()
                    && s.instruction.starts_with("RUN")
            });
            let note = match (stage, first_run) {
                (None, _) => Some(format!(
                    "{} before the first FROM changes what the stages that use it expand to; \
                     edit the lines that use it to see their steps",
                    instruction.keyword
                )),
                (_, None) => Some(format!(
                    "no RUN step comes after this {} in its stage, so no step rebuilds \
                     (the image config still changes)",
                    instruction.keyword
                )),
                _ => Some(format!(
                    "every later RUN of the stage sees the changed {}; a COPY or WORKDIR \
                     rebuilds as well only if its arguments use a changed variable",
                    instruction.keyword
                )),
            };
            (first_run.into_iter().collect(), note)
        }
        _ => (
            Vec::new(),
            Some(format!(
                "{} only changes the image config (a new image ID); no step rebuilds",
                instruction.keyword
            )),
        ),
    };
    let keys: BTreeSet<CacheKey> = edited.iter().map(|&i| steps[i].key).collect();
    drop_descendants(copy, &keys);
    let out = build(req, copy);
    let line_of = |i: usize| -> String { steps[i].instruction.clone() };
    let why = edited.first().map(|&i| match name.as_str() {
        "env" | "arg" | "user" | "shell" => format!(
            "its environment changes with the edited {} (it was {})",
            instruction.keyword,
            instruction.original.trim()
        ),
        _ => format!("you edit this instruction ({})", line_of(i)),
    });
    predicted(&out, copy, &keys, why, note)
}

/// Removes from `cache` the entries with `keys` and every entry built on top of them
/// (whose parent key is removed, transitively), as a real edit leaves them unreachable.
fn drop_descendants(cache: &mut CacheStore, keys: &BTreeSet<CacheKey>) {
    let mut removed: BTreeSet<CacheKey> = keys.clone();
    // Only keys some entry was built on matter (and bound the closure below).
    let parents: BTreeSet<CacheKey> = cache
        .entries()
        .values()
        .filter_map(|e| e.inputs.parent)
        .collect();
    loop {
        let before = removed.len();
        for (key, entry) in cache.entries() {
            if let Some(parent) = entry.inputs.parent {
                if removed.contains(&parent) {
                    removed.insert(*key);
                }
            }
        }
        // A `COPY --link` keeps its own key (no parent), but the state after it is
        // keyed by the state before it and the copy's key together: when the state
        // before is new, so is the merged one (the engine's derivation, one function).
        let linked: Vec<CacheKey> = cache
            .entries()
            .iter()
            .filter(|(_, e)| e.inputs.parent.is_none() && e.inputs.op != "FROM")
            .flat_map(|(copy_key, _)| {
                removed
                    .iter()
                    .map(move |before| crate::cache::link_merge_key(Some(*before), *copy_key))
            })
            .filter(|k| parents.contains(k))
            .collect();
        removed.extend(linked);
        if removed.len() == before {
            break;
        }
    }
    let kept: Vec<_> = cache
        .entries()
        .iter()
        .filter(|(k, _)| !removed.contains(k))
        .map(|(k, e)| (*k, e.clone()))
        .collect();
    let previous = cache.previous_build().to_vec();
    let mut fresh = CacheStore::default();
    for (k, e) in kept {
        fresh.insert(k, e);
    }
    fresh.set_previous_build(previous);
    *cache = fresh;
}

/// The prediction from the build after the edit: `edited` keys are the edited steps,
/// explained by `why`.
fn predicted(
    out: &BuildOutput,
    cache: &CacheStore,
    edited: &BTreeSet<CacheKey>,
    why: Option<String>,
    note: Option<String>,
) -> Prediction {
    let causes = causes(&out.report, cache);
    let steps: Vec<PredictedStep> = out
        .report
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut step = PredictedStep {
                label: s.label(),
                instruction: s.instruction.clone(),
                source: s.source,
                rebuild: !s.is_cached(),
                why: None,
                reason: None,
                cause: causes[i],
                duration_ms: s.duration_ms,
            };
            match &s.status {
                StepStatus::Cached => {}
                StepStatus::Failed { message } => {
                    step.why = Some(format!("it would fail: {message}"));
                }
                StepStatus::Executed(reason) if edited.contains(&s.key) => {
                    step.why = why.clone();
                    step.cause = None;
                    let _ = reason;
                }
                StepStatus::Executed(MissReason::Evicted) => {
                    // The copy dropped the entry: it runs on the new state of the step
                    // before it (the cascade), found through its parent key.
                    step.cause = parent_step(&out.report, cache, i);
                    step.why = Some(match step.cause {
                        Some(c) => format!(
                            "the step before it was rebuilt ({}), so its result is new",
                            out.report.steps[c].label()
                        ),
                        None => "its cached result is built on the edited step".into(),
                    });
                }
                StepStatus::Executed(reason) => {
                    step.why = Some(reason.describe());
                    step.reason = Some(reason.clone());
                }
                #[allow(unreachable_patterns)]
                _ => {}
            }
            step
        })
        .collect();
    Prediction {
        steps,
        note,
        pending: 0,
        error: out.report.error.clone(),
    }
}
