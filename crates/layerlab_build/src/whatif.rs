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
//! change, a `COPY` before an `ENV` edit) and which rebuild. Any edit of a line also
//! edits the Dockerfile, which is a context file whenever it lies inside the context and
//! the ignore file does not exclude it: that file is edited too, so a `COPY . .` that
//! copies it rebuilds, as in the real build.

use crate::cache::{
    causes, parent_step, CacheKey, CacheStore, InputChange, MissReason, BUILD_CONTEXT,
};
use crate::engine::{build, BuildOutput, BuildRequest};
use crate::report::{BuildError, StepReport, StepStatus};
use layerlab_dockerfile::Instruction;
use layerlab_text::{TextRange, TextSize};
use layerlab_vfs::{Content, ContentKind, Fs, VfsPath};
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
    /// Whether the next build runs it with or without the edit: the files changed since
    /// the last build, or it was never built. The prediction is about the edit alone, so
    /// such a step is not counted as the edit's unless the edit reaches it too.
    pub anyway: bool,
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
    // The same request, so the same steps in the same order as the baseline.
    for (step, now) in prediction.steps.iter_mut().zip(&baseline.report.steps) {
        step.anyway = !now.is_cached();
    }
    prediction
}

fn edit_file(req: &BuildRequest<'_>, copy: &mut CacheStore, path: &str) -> Prediction {
    let path = path.trim_start_matches('/');
    let Some(context) = with_edited_file(req.context, path) else {
        let note = match (req.excluded)(path) {
            Some(rule) => format!(
                "{path} is not sent to the builder ({rule}), so editing it rebuilds nothing"
            ),
            None => format!("{path} is not a file of the build context"),
        };
        let out = build(req, copy);
        return predicted(&out, copy, &Edited::default(), Some(note));
    };
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
    predicted(&out, copy, &Edited::default(), note)
}

/// `context` with the file at `path` (relative to its root) given other content, or
/// `None` when the context has no such file.
fn with_edited_file(context: &Fs, path: &str) -> Option<Fs> {
    let vpath = VfsPath::new(&format!("/{path}"));
    let (Ok(content), Ok(meta)) = (context.read_file(&vpath), context.metadata(&vpath)) else {
        return None;
    };
    let mut edited_context = context.clone();
    // The write cannot fail: the path is an existing file of this filesystem.
    let _ = edited_context.write_file(&vpath, edited(content), meta);
    Some(edited_context)
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

/// What the edit of a Dockerfile line changes, for explaining the build after it.
#[derive(Default)]
struct Edited {
    /// The steps the edited line's own change reaches (indices into the build's steps).
    steps: BTreeSet<usize>,
    /// Why they rebuild.
    why: Option<String>,
    /// The Dockerfile's path in the context, when the build context sends it (so the
    /// edit changes a context file as well).
    dockerfile: Option<String>,
}

/// A note that depends on whether steps rebuild because they copy the Dockerfile: what
/// to say when none does, and what to say beside the note about those that do (which
/// must not claim that nothing rebuilds).
struct Note {
    alone: String,
    beside: String,
}

impl Note {
    fn same(text: String) -> Note {
        Note {
            alone: text.clone(),
            beside: text,
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
    let steps = &baseline.report.steps;
    let instruction = parsed
        .dockerfile
        .instructions
        .iter()
        .find(|i| i.range.contains(offset) || i.range.end() == offset);
    // The steps whose keys the edit changes, why, and what to note.
    let (found, why, note): (Vec<usize>, Option<String>, Option<Note>) = match instruction {
        None => (
            Vec::new(),
            None,
            Some(Note {
                alone: "this line is not an instruction (a comment or a blank line): editing it rebuilds nothing".into(),
                beside: "this line is not an instruction (a comment or a blank line)".into(),
            }),
        ),
        Some(instruction) => {
            let (found, note) = edited_steps(instruction, steps);
            let why = found.first().map(|&i| match instruction.name().as_str() {
                "env" | "arg" | "user" | "shell" => format!(
                    "its environment changes with the edited {} (it was {})",
                    instruction.keyword,
                    instruction.original.trim()
                ),
                _ => format!("you edit this instruction ({})", steps[i].instruction),
            });
            (found, why, note)
        }
    };
    let keys: BTreeSet<CacheKey> = found.iter().map(|&i| steps[i].key).collect();
    drop_descendants(copy, &keys);
    // The Dockerfile is a file of the context too, unless the ignore file keeps it out
    // (or it lives outside the context): then a COPY that selects it rebuilds as well.
    let dockerfile = req
        .dockerfile_path
        .map(|p| p.trim_start_matches('/'))
        .and_then(|p| Some((p, with_edited_file(req.context, p)?)));
    let out = match &dockerfile {
        Some((_, context)) => build(&BuildRequest { context, ..*req }, copy),
        None => build(req, copy),
    };
    let edited = Edited {
        steps: found.into_iter().collect(),
        why,
        dockerfile: dockerfile.map(|(p, _)| p.to_string()),
    };
    let copiers: Vec<usize> = (0..out.report.steps.len())
        .filter(|i| !edited.steps.contains(i) && reads_the_dockerfile(&out.report.steps[*i]))
        .collect();
    let note = match (note, &edited.dockerfile, copiers.is_empty()) {
        (note, Some(path), false) => {
            let copied = dockerfile_note(path, &out.report.steps, &copiers);
            Some(match note {
                Some(note) => format!("{}; but {copied}", note.beside),
                None => copied,
            })
        }
        (note, _, _) => note.map(|n| n.alone),
    };
    predicted(&out, copy, &edited, note)
}

/// The steps of `steps` (the baseline build) whose keys an edit of `instruction`
/// changes, and a note when that needs one.
fn edited_steps(instruction: &Instruction, steps: &[StepReport]) -> (Vec<usize>, Option<Note>) {
    match instruction.name().as_str() {
        "from" | "run" | "copy" | "add" | "workdir" => {
            let found: Vec<usize> = steps
                .iter()
                .enumerate()
                .filter(|(_, s)| instruction.range.contains_range(s.source))
                .map(|(i, _)| i)
                .collect();
            let note = found.is_empty().then(|| {
                Note::same(
                    "no step of this build runs this instruction: the target does not need its stage"
                        .to_string(),
                )
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
            let keyword = &instruction.keyword;
            let note = match (stage, first_run) {
                (None, _) => Note::same(format!(
                    "{keyword} before the first FROM changes what the stages that use it expand to; \
                     edit the lines that use it to see their steps"
                )),
                (_, None) => Note {
                    alone: format!(
                        "no RUN step comes after this {keyword} in its stage, so no step rebuilds \
                         (the image config still changes)"
                    ),
                    beside: format!(
                        "no RUN step comes after this {keyword} in its stage, so the {keyword} \
                         itself changes no step's key (the image config still changes)"
                    ),
                },
                _ => Note::same(format!(
                    "every later RUN of the stage sees the changed {keyword}; a COPY or WORKDIR \
                     rebuilds as well only if its arguments use a changed variable"
                )),
            };
            (first_run.into_iter().collect(), Some(note))
        }
        _ => (
            Vec::new(),
            Some(Note {
                alone: format!(
                    "{} only changes the image config (a new image ID); no step rebuilds",
                    instruction.keyword
                ),
                beside: format!(
                    "{} itself only changes the image config (a new image ID)",
                    instruction.keyword
                ),
            }),
        ),
    }
}

/// Whether `step` rebuilt because files of the build context changed: after an edit of
/// a Dockerfile line, the Dockerfile is the only context file that did.
fn reads_the_dockerfile(step: &StepReport) -> bool {
    let changes: &[InputChange] = match &step.status {
        StepStatus::Executed(MissReason::InputsChanged(c)) => c,
        StepStatus::Executed(MissReason::ParentRebuilt { also, .. }) => also,
        _ => &[],
    };
    changes
        .iter()
        .any(|c| matches!(c, InputChange::Files(f) if f.label == BUILD_CONTEXT))
}

/// Says that the steps `copiers` rebuild because the Dockerfile at `path` is in the
/// build context.
fn dockerfile_note(path: &str, steps: &[StepReport], copiers: &[usize]) -> String {
    let labels: Vec<String> = copiers.iter().map(|&i| steps[i].label()).collect();
    let instructions: BTreeSet<&str> = copiers
        .iter()
        .map(|&i| steps[i].instruction.as_str())
        .collect();
    let instructions: Vec<String> = instructions.iter().map(|i| format!("`{i}`")).collect();
    let (verb, them) = if copiers.len() == 1 {
        ("rebuilds", "it")
    } else {
        ("rebuild", "them")
    };
    format!(
        "{path} itself is in the build context (.dockerignore does not exclude it), \
         so editing any of its lines changes a file {} copies: {} {verb} as well \
         (listing {path} in .dockerignore would keep {them} cached)",
        instructions.join(" and "),
        labels.join(", ")
    )
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

/// The prediction from the build after the edit, explained with what `edited` says.
fn predicted(
    out: &BuildOutput,
    cache: &CacheStore,
    edited: &Edited,
    note: Option<String>,
) -> Prediction {
    let causes = causes(&out.report, cache);
    let report = &out.report;
    // A step the edit re-runs keeps its key on the copy (the edit is applied by dropping
    // entries) where the real edit gives it a new one, so a step built directly on it
    // runs on a new state in the real build, whatever else of its own changed.
    let rekeyed = |j: usize| {
        edited.steps.contains(&j)
            || matches!(
                report.steps[j].status,
                StepStatus::Executed(MissReason::Evicted)
            )
    };
    let on_rekeyed = |i: usize| {
        let parent = cache.get(&report.steps[i].key)?.inputs.parent?;
        (0..i).rfind(|&j| report.steps[j].key == parent && rekeyed(j))
    };
    let steps: Vec<PredictedStep> = report
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let cascade = match &s.status {
                StepStatus::Executed(MissReason::InputsChanged(changes)) => {
                    on_rekeyed(i).map(|j| {
                        let parent = &report.steps[j];
                        let reason = MissReason::ParentRebuilt {
                            parent: format!("{} {}", parent.label(), parent.instruction),
                            also: changes.clone(),
                        };
                        (j, StepStatus::Executed(reason))
                    })
                }
                _ => None,
            };
            let (cause, status) = match &cascade {
                Some((j, status)) => (Some(*j), status),
                None => (causes[i], &s.status),
            };
            let mut step = PredictedStep {
                label: s.label(),
                instruction: s.instruction.clone(),
                source: s.source,
                rebuild: !s.is_cached(),
                anyway: false,
                why: None,
                reason: None,
                cause,
                duration_ms: s.duration_ms,
            };
            match status {
                StepStatus::Cached => {}
                StepStatus::Failed { message } => {
                    step.why = Some(format!("it would fail: {message}"));
                }
                StepStatus::Executed(_) if edited.steps.contains(&i) => {
                    // It may also run on a new state: a step before it copies the
                    // edited Dockerfile.
                    step.why = match (&edited.why, step.cause) {
                        (Some(why), Some(c)) => Some(format!(
                            "{why}; the step before it was rebuilt as well ({})",
                            report.steps[c].label()
                        )),
                        (why, _) => why.clone(),
                    };
                }
                StepStatus::Executed(MissReason::Evicted) => {
                    // The copy dropped the entry: it runs on the new state of the step
                    // before it (the cascade), found through its parent key.
                    step.cause = parent_step(report, cache, i);
                    step.why = Some(match step.cause {
                        Some(c) => format!(
                            "the step before it was rebuilt ({}), so its result is new",
                            report.steps[c].label()
                        ),
                        None => "its cached result is built on the edited step".into(),
                    });
                }
                StepStatus::Executed(reason) => {
                    let mut why = reason.describe();
                    if edited.dockerfile.is_some() && reads_the_dockerfile(s) {
                        let verb = if s.instruction.starts_with("RUN") {
                            "reads"
                        } else {
                            "copies"
                        };
                        why.push_str(&format!(
                            ", because `{}` {verb} the Dockerfile itself",
                            s.instruction
                        ));
                    }
                    step.why = Some(why);
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
        error: report.error.clone(),
    }
}
