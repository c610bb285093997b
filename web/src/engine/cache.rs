//! The Cache view's models: every step's hit or miss with the full detail of what
//! changed, the cascade each rebuild caused, "what if I edit this" predictions
//! (`layerlab_build::whatif`), and the comparison of a build with the one before.

use super::build::StepState;
use layerlab_build::cache::{causes, root_cause, CacheStore, InputChange, MissReason};
use layerlab_build::progress::{human_size_precision, seconds};
use layerlab_build::report::{BuildReport, StepStatus};
use layerlab_build::whatif::Prediction;
use layerlab_text::{LineIndex, TextRange};

/// One input that changed, ready to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChangeView {
    /// A field: `name: before → after (from origin)`.
    Field {
        /// `command`, `VERSION` (an environment variable), `dest`, ….
        name: String,
        /// The previous value, `(unset)` when it was not there.
        before: String,
        /// The value now.
        after: String,
        /// Where the value came from (`ARG VERSION (line 2)`).
        origin: Option<String>,
    },
    /// Files of a content-hashed source.
    Files {
        /// `build context`, `stage build`.
        label: String,
        /// Paths whose content or metadata changed.
        modified: Vec<String>,
        /// New paths.
        added: Vec<String>,
        /// Paths gone.
        removed: Vec<String>,
    },
    /// A different instruction at the same position.
    Op {
        /// Before.
        before: String,
        /// Now.
        after: String,
    },
}

/// One step of the last build as the Cache view shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheStepView {
    /// `[2/5]`.
    pub label: String,
    /// The instruction as progress shows it.
    pub instruction: String,
    /// Hit, built or failed.
    pub state: StepState,
    /// One line: why it ran (`None` for a hit).
    pub headline: Option<String>,
    /// Each input that changed, with before and after.
    pub changes: Vec<ChangeView>,
    /// The step whose new result it ran on, when that is why it ran.
    pub cause: Option<usize>,
    /// The step that started that chain of rebuilds.
    pub root: Option<usize>,
    /// Later steps that rebuilt only because this one did (directly or down the chain).
    pub caused: Vec<usize>,
    /// Modeled time (built) or time saved (cached), in milliseconds.
    pub ms: u32,
    /// 1-based line of the instruction.
    pub line: u32,
    /// UTF-16 range of the instruction, for the editor selection.
    pub utf16: (u32, u32),
}

/// The last build's cache decisions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CacheView {
    /// Steps in execution order.
    pub steps: Vec<CacheStepView>,
    /// The image ID, when the build succeeded.
    pub image_id: Option<String>,
    /// The image size in bytes, when the build succeeded.
    pub image_size: Option<u64>,
    /// Modeled build time (executed steps), in milliseconds.
    pub build_ms: u64,
    /// Modeled time the cache saved, in milliseconds.
    pub saved_ms: u64,
}

fn shown(v: &Option<String>) -> String {
    match v {
        Some(v) if v.is_empty() => "(empty)".into(),
        Some(v) => v.clone(),
        None => "(unset)".into(),
    }
}

/// The structured changes of a miss reason.
pub fn change_views(reason: &MissReason) -> Vec<ChangeView> {
    let list: &[InputChange] = match reason {
        MissReason::InputsChanged(c) => c,
        MissReason::ParentRebuilt { also, .. } => also,
        _ => &[],
    };
    list.iter()
        .filter_map(|c| match c {
            InputChange::Field {
                name,
                before,
                after,
                origin,
            } => Some(ChangeView::Field {
                name: name.strip_prefix("env ").unwrap_or(name).to_string(),
                before: shown(before),
                after: shown(after),
                origin: origin.clone(),
            }),
            InputChange::Files(f) => Some(ChangeView::Files {
                label: f.label.clone(),
                modified: f.modified.clone(),
                added: f.added.clone(),
                removed: f.removed.clone(),
            }),
            InputChange::Op { before, after } => Some(ChangeView::Op {
                before: before.clone(),
                after: after.clone(),
            }),
            #[allow(unreachable_patterns)]
            _ => None,
        })
        .collect()
}

fn utf16(text: &str, range: TextRange) -> (u32, u32) {
    (
        super::utf16_offset(text, range.start().to_usize()),
        super::utf16_offset(text, range.end().to_usize()),
    )
}

/// The Cache view of a build; `cache` is the store the build used.
pub fn cache_view(report: &BuildReport, cache: &CacheStore, dockerfile: &str) -> CacheView {
    let index = LineIndex::new(dockerfile);
    let causes = causes(report, cache);
    let roots: Vec<Option<usize>> = (0..causes.len())
        .map(|i| causes[i].map(|_| root_cause(&causes, i)))
        .collect();
    let steps = report
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (state, headline, changes) = match &s.status {
                StepStatus::Cached => (StepState::Cached, None, Vec::new()),
                StepStatus::Executed(r) => (StepState::Built, Some(r.describe()), change_views(r)),
                StepStatus::Failed { message } => {
                    (StepState::Failed, Some(message.clone()), Vec::new())
                }
                #[allow(unreachable_patterns)]
                _ => (StepState::Built, None, Vec::new()),
            };
            CacheStepView {
                label: s.label(),
                instruction: s.instruction.clone(),
                state,
                headline,
                changes,
                cause: causes[i],
                root: roots[i],
                caused: (i + 1..causes.len())
                    .filter(|&j| {
                        // Down the chain: j's causes lead back to i.
                        let mut at = j;
                        while let Some(c) = causes[at] {
                            if c == i {
                                return true;
                            }
                            at = c;
                        }
                        false
                    })
                    .collect(),
                ms: s.duration_ms,
                line: index.line_of(s.source.start()) + 1,
                utf16: utf16(dockerfile, s.source),
            }
        })
        .collect();
    CacheView {
        steps,
        image_id: report.image.as_ref().map(|i| i.id.to_string()),
        image_size: report.image.as_ref().map(|i| i.size),
        build_ms: report.duration_ms(),
        saved_ms: report.saved_ms(),
    }
}

/// What the user asks about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageEdit {
    /// A context file (workspace path).
    File(String),
    /// A Dockerfile line, 1-based.
    Line(u32),
}

/// One step of a prediction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PredictedStepView {
    /// `[5/6]`.
    pub label: String,
    /// The instruction.
    pub instruction: String,
    /// Whether the edit rebuilds it.
    pub rebuild: bool,
    /// Whether the next build runs it with or without the edit.
    pub anyway: bool,
    /// Why (the engine's reason, or the cascade).
    pub why: Option<String>,
    /// 1-based line.
    pub line: u32,
    /// UTF-16 range of the instruction.
    pub utf16: (u32, u32),
}

/// A "what if" answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WhatIfView {
    /// `editing src/app.js would rebuild 2 of 6 steps (about 1.2s)`.
    pub headline: String,
    /// Every step.
    pub steps: Vec<PredictedStepView>,
    /// What the prediction assumes, or why nothing rebuilds.
    pub note: Option<String>,
    /// `the next build also rebuilds 2 steps for changes since the last build`.
    pub pending: Option<String>,
}

/// The view of a prediction about `what` (`editing src/app.js`).
pub fn what_if_view(p: &Prediction, what: &str, dockerfile: &str) -> WhatIfView {
    let index = LineIndex::new(dockerfile);
    let headline = match &p.error {
        Some(e) => format!("{what}: cannot predict, {}", e.message),
        None => {
            let n = p.rebuilds();
            let total = p.steps.len();
            if n == 0 {
                match total {
                    1 => format!("{what} would rebuild no step: the one step stays cached"),
                    _ => format!("{what} would rebuild no step: all {total} stay cached"),
                }
            } else {
                format!(
                    "{what} would rebuild {n} of {total} step{} (about {} of modeled build time)",
                    if total == 1 { "" } else { "s" },
                    seconds(p.rebuild_ms().min(u64::from(u32::MAX)) as u32)
                )
            }
        }
    };
    WhatIfView {
        headline,
        steps: p
            .steps
            .iter()
            .map(|s| PredictedStepView {
                label: s.label.clone(),
                instruction: s.instruction.clone(),
                rebuild: s.rebuild,
                anyway: s.anyway,
                why: s.why.clone(),
                line: index.line_of(s.source.start()) + 1,
                utf16: utf16(dockerfile, s.source),
            })
            .collect(),
        note: p.note.clone(),
        pending: (p.pending > 0).then(|| {
            format!(
                "as the files are now, the next build runs {} step{} anyway (never built, or changed since the last build); REBUILD marks what this edit adds",
                p.pending,
                if p.pending == 1 { "" } else { "s" }
            )
        }),
    }
}

/// One step compared with the same step of the previous build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompareRow {
    /// `[2/5]`.
    pub label: String,
    /// The instruction now.
    pub instruction: String,
    /// The instruction before, when it differs.
    pub was: Option<String>,
    /// The state in the previous build (`None`: the step is new).
    pub before: Option<StepState>,
    /// The state now.
    pub after: StepState,
    /// Modeled time spent before and now (cached steps cost nothing).
    pub spent: (u32, u32),
}

/// This build against the one before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// Steps by position (`[2/5]`).
    pub rows: Vec<CompareRow>,
    /// Steps of the previous build with no counterpart now.
    pub gone: Vec<String>,
    /// `4.2s → 0.8s (3.4s faster)`.
    pub time: String,
    /// `sha256:ab… → sha256:cd…` or `unchanged`.
    pub image: String,
    /// `152MB → 152MB (+1.2kB)`.
    pub size: String,
}

fn spent(s: &CacheStepView) -> u32 {
    if s.state == StepState::Cached {
        0
    } else {
        s.ms
    }
}

fn short_id(id: &Option<String>) -> String {
    match id {
        Some(id) => id.chars().take("sha256:".len() + 12).collect(),
        None => "(no image)".into(),
    }
}

/// Compares `now` with `before`, step by step (same position, same stage).
pub fn compare(before: &CacheView, now: &CacheView) -> Comparison {
    let rows: Vec<CompareRow> = now
        .steps
        .iter()
        .map(|s| {
            let old = before.steps.iter().find(|o| o.label == s.label);
            CompareRow {
                label: s.label.clone(),
                instruction: s.instruction.clone(),
                was: old
                    .filter(|o| o.instruction != s.instruction)
                    .map(|o| o.instruction.clone()),
                before: old.map(|o| o.state),
                after: s.state,
                spent: (old.map_or(0, spent), spent(s)),
            }
        })
        .collect();
    let gone = before
        .steps
        .iter()
        .filter(|o| !now.steps.iter().any(|s| s.label == o.label))
        .map(|o| format!("{} {}", o.label, o.instruction))
        .collect();
    let time = {
        // The difference of the two figures as shown (in tenths, rounded as `seconds`
        // rounds), so "5.3s → 0.0s" never reads "(5.2s faster)".
        let tenths = |ms: u64| {
            layerlab_text::decimal::quotient(ms, 100, 0)
                .parse::<u64>()
                .unwrap_or(0)
        };
        let (a, b) = (tenths(before.build_ms), tenths(now.build_ms));
        let shown = |t: u64| seconds(t.saturating_mul(100).min(u64::from(u32::MAX)) as u32);
        let diff = if b < a {
            format!(" ({} faster)", shown(a - b))
        } else if b > a {
            format!(" ({} slower)", shown(b - a))
        } else {
            String::new()
        };
        format!("{} → {}{diff}", shown(a), shown(b))
    };
    let image = if before.image_id == now.image_id {
        format!("unchanged ({})", short_id(&now.image_id))
    } else {
        format!(
            "{} → {}",
            short_id(&before.image_id),
            short_id(&now.image_id)
        )
    };
    let size = match (before.image_size, now.image_size) {
        (Some(a), Some(b)) => {
            let delta = if b >= a {
                format!("+{}", human_size_precision(b - a, 3))
            } else {
                format!("−{}", human_size_precision(a - b, 3))
            };
            format!(
                "{} → {} ({delta})",
                human_size_precision(a, 3),
                human_size_precision(b, 3)
            )
        }
        (_, Some(b)) => format!("(no image) → {}", human_size_precision(b, 3)),
        (Some(a), None) => format!("{} → (no image)", human_size_precision(a, 3)),
        (None, None) => "(no image)".into(),
    };
    Comparison {
        rows,
        gone,
        time,
        image,
        size,
    }
}

/// Predicts what `edit` would rebuild in the workspace's next build.
pub fn predict(
    ws: &crate::workspace::Workspace,
    opts: &super::build::PageOptions,
    edit: &PageEdit,
) -> WhatIfView {
    let dockerfile = ws.dockerfile();
    let (core, what) = match edit {
        PageEdit::File(path) => (
            layerlab_build::whatif::Edit::ContextFile(path.clone()),
            format!("editing {path}"),
        ),
        PageEdit::Line(n) => {
            let start: usize = dockerfile
                .split_inclusive('\n')
                .take(n.saturating_sub(1) as usize)
                .map(str::len)
                .sum();
            let text = dockerfile[start..].lines().next().unwrap_or("").trim();
            (
                layerlab_build::whatif::Edit::Instruction(layerlab_text::TextSize::from(
                    u32::try_from(start).unwrap_or(u32::MAX),
                )),
                format!("editing line {n} ({text})"),
            )
        }
    };
    let prediction = super::build::predict(ws, opts, &core);
    what_if_view(&prediction, &what, dockerfile)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::build::{run_build, PageOptions};
    use crate::workspace::Workspace;

    #[test]
    fn a_one_step_build_says_its_step_in_the_singular() {
        let mut ws = Workspace::starter();
        ws.set_text("Dockerfile", "FROM alpine\n".into());
        let opts = PageOptions::default();
        run_build(&ws, &opts);
        let v = predict(&ws, &opts, &PageEdit::File("README.md".into()));
        assert!(
            v.headline
                .ends_with("would rebuild no step: the one step stays cached"),
            "{}",
            v.headline
        );
    }

    #[test]
    fn a_line_edit_rebuilds_the_copy_of_the_dockerfile_it_changes() {
        // The starter's .dockerignore does not exclude the Dockerfile and `COPY . .`
        // copies it: editing `USER node` changes that file.
        let ws = Workspace::starter();
        let opts = PageOptions::default();
        run_build(&ws, &opts);
        let v = predict(&ws, &opts, &PageEdit::Line(7));
        assert!(
            v.headline
                .starts_with("editing line 7 (USER node) would rebuild 1 of 5 steps"),
            "{}",
            v.headline
        );
        let rebuilt: Vec<_> = v.steps.iter().filter(|s| s.rebuild).collect();
        assert_eq!(rebuilt.len(), 1);
        assert_eq!(rebuilt[0].instruction, "COPY . .");
        assert_eq!(
            rebuilt[0].why.as_deref(),
            Some("build context: Dockerfile changed, because `COPY . .` copies the Dockerfile itself")
        );
        assert!(
            v.note
                .as_deref()
                .unwrap()
                .contains("Dockerfile itself is in the build context"),
            "{:?}",
            v.note
        );
    }

    #[test]
    fn an_edit_shows_its_cascade_and_the_comparison_with_the_build_before() {
        let mut ws = Workspace::starter();
        let opts = PageOptions::default();
        let first = run_build(&ws, &opts);
        let text = ws.text("package.json").replace("1.0.0", "1.0.1");
        ws.set_text("package.json", text);
        let predicted = predict(&ws, &opts, &PageEdit::File("server.js".into()));
        assert!(
            predicted.pending.is_some(),
            "package.json changed since the build"
        );
        let second = run_build(&ws, &opts);
        let v = &second.cache;
        let states: Vec<StepState> = v.steps.iter().map(|s| s.state).collect();
        use StepState::{Built, Cached};
        assert_eq!(states, [Cached, Cached, Built, Built, Built]);
        assert_eq!(
            v.steps.iter().map(|s| s.cause).collect::<Vec<_>>(),
            [None, None, None, Some(2), Some(3)]
        );
        assert_eq!(v.steps[4].root, Some(2));
        assert_eq!(v.steps[2].caused, [3, 4]);
        assert!(matches!(
            &v.steps[2].changes[..],
            [ChangeView::Files { modified, .. }] if modified == &["package.json"]
        ));
        let c = compare(&first.cache, v);
        assert_eq!(c.rows[0].before, Some(Built));
        assert_eq!(c.rows[0].after, Cached);
        assert!(c.time.contains("faster"), "{}", c.time);
        assert!(c.image.contains(" → "), "the image changed: {}", c.image);
        // The difference is that of the figures shown: 5.25s → 0.04s shows as
        // 5.2s → 0.0s (half to even), so 5.2s faster, not 5.21s rounded on its own.
        let (mut a, mut b) = (first.cache.clone(), v.clone());
        a.build_ms = 5_250;
        b.build_ms = 40;
        assert_eq!(compare(&a, &b).time, "5.2s → 0.0s (5.2s faster)");
        a.build_ms = 5_350;
        assert_eq!(compare(&a, &b).time, "5.4s → 0.0s (5.4s faster)");
        b.build_ms = 5_349;
        assert_eq!(compare(&a, &b).time, "5.4s → 5.3s (0.1s faster)");
    }
}
