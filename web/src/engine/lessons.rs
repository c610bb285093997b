//! Lessons in the page: the embedded lessons (`layerlab_lesson`), loading one into the
//! workspace, and the scripted-edit player: apply a build's edits to the workspace,
//! build it with the lesson's flags, check its expectations.

use super::build::{run_build_with, BuildView};
use crate::workspace::{ContextFile, Workspace, DOCKERIGNORE};
use layerlab_lesson::format::{BuildSpec, Edits, FileEdit, Scenario};
use layerlab_lesson::options::flags;
use layerlab_lesson::{check_build, lesson, lessons};

/// A lesson as the picker lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonEntry {
    /// Stable id.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// First paragraph of the explanation.
    pub summary: String,
}

/// Every lesson, in learning order.
pub fn lesson_list() -> Vec<LessonEntry> {
    lessons()
        .iter()
        .map(|l| LessonEntry {
            id: l.id,
            title: l.title(),
            summary: l.summary(),
        })
        .collect()
}

/// One scripted build of a lesson.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepPlan {
    /// The build's title (`edit one source file`).
    pub title: String,
    /// What this build changes and why.
    pub before: String,
    /// What the learner should notice afterwards.
    pub after: String,
    /// The edits, one phrase each (`edit src/index.js`, `new Dockerfile`).
    pub edits: Vec<String>,
    /// The file to show after the edits (the first one changed).
    pub first_changed: Option<String>,
    /// `docker build` flags, as typed (`--target build`).
    pub flags: String,
}

/// One expectation's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// `steps 1-4 come from the cache`.
    pub text: String,
    /// Whether it held.
    pub passed: bool,
    /// What the build did instead, when it did not.
    pub instead: Option<String>,
}

/// A lesson being played.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Player {
    /// Lesson id.
    pub id: &'static str,
    /// Title.
    pub title: String,
    /// The explanation (Markdown paragraphs, fences removed).
    pub explanation: String,
    /// The builds, in order.
    pub steps: Vec<StepPlan>,
    /// The build to do next (`steps.len()` when done).
    pub at: usize,
    /// Whether the edits of build `at` are in the workspace already.
    pub edited: bool,
    /// Verdicts of each build done.
    pub results: Vec<Vec<Verdict>>,
}

fn scenario(id: &str) -> Option<Scenario> {
    lesson(id)?.parse().ok()
}

fn describe_edits(e: &Edits) -> (Vec<String>, Option<String>) {
    let mut out = Vec::new();
    let mut first = None;
    if e.dockerfile.is_some() {
        out.push("new Dockerfile".to_string());
        first = Some("Dockerfile".to_string());
    }
    if let Some(i) = &e.dockerignore {
        out.push(if i.is_empty() {
            "empty .dockerignore".into()
        } else {
            "new .dockerignore".into()
        });
        first = first.or(Some(DOCKERIGNORE.to_string()));
    }
    for f in &e.files {
        match f {
            FileEdit::Write { path, size, .. } => {
                out.push(format!("edit {path}"));
                if size.is_none() {
                    first = first.or(Some(path.clone()));
                }
            }
            FileEdit::Remove(path) => out.push(format!("remove {path}")),
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }
    (out, first)
}

fn plan(spec: &BuildSpec) -> StepPlan {
    let (edits, first_changed) = describe_edits(&spec.edits);
    StepPlan {
        title: spec.title.clone().unwrap_or_else(|| "build".into()),
        before: spec.before.clone(),
        after: spec.after.clone(),
        edits,
        first_changed,
        flags: spec
            .options
            .iter()
            .map(|(_, f)| f.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn apply(ws: &mut Workspace, e: &Edits) {
    if let Some(d) = &e.dockerfile {
        let path = ws.dockerfile_path.clone();
        ws.set_text(&path, d.clone());
    }
    if let Some(i) = &e.dockerignore {
        ws.set_text(DOCKERIGNORE, i.clone());
    }
    for f in &e.files {
        match f {
            FileEdit::Write {
                path,
                text,
                size: None,
                ..
            } => ws.set_text(path, text.clone()),
            FileEdit::Write {
                path,
                size: Some(n),
                ..
            } => {
                // Stand-in content of that size, as the lesson's own project makes it.
                ws.files.insert(path.clone(), ContextFile::Sized(*n));
            }
            FileEdit::Remove(path) => {
                ws.files.remove(path);
            }
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }
}

/// Loads lesson `id`: its player and its initial workspace. The caller empties the
/// build cache (`Request::Reset`): the lesson's expectations assume a fresh builder.
pub fn load(id: &str) -> Option<(Player, Workspace)> {
    let sc = scenario(id)?;
    let entry = lesson(id)?;
    let mut ws = Workspace {
        dockerfile_path: "Dockerfile".into(),
        ..Workspace::default()
    };
    apply(&mut ws, &sc.initial);
    let player = Player {
        id: entry.id,
        title: sc.title.clone(),
        explanation: sc.explanation.clone(),
        steps: sc.builds.iter().map(plan).collect(),
        at: 0,
        edited: sc.builds.first().is_none_or(|b| is_empty(&b.edits)),
        results: Vec::new(),
    };
    Some((player, ws))
}

fn is_empty(e: &Edits) -> bool {
    e.dockerfile.is_none() && e.dockerignore.is_none() && e.files.is_empty()
}

/// Applies the next build's edits to `ws`; returns the file to show.
pub fn apply_next(player: &mut Player, ws: &mut Workspace) -> Option<String> {
    let sc = scenario(player.id)?;
    let spec = sc.builds.get(player.at)?;
    apply(ws, &spec.edits);
    player.edited = true;
    player.steps.get(player.at)?.first_changed.clone()
}

/// Build `at` of lesson `id` on `ws` (its edits applied): the build's view and a
/// verdict for each expectation. `None` when there is no such build.
pub fn build_lesson(id: &str, at: usize, ws: &Workspace) -> Option<(BuildView, Vec<Verdict>)> {
    let sc = scenario(id)?;
    let spec = sc.builds.get(at)?;
    Some(match flags(&spec.options) {
        Ok(f) => {
            if f.prune {
                super::build::prune_cache();
            }
            let (view, outcomes) = run_build_with(ws, &f.options, |out| {
                check_build(spec, ws.dockerfile(), out)
            });
            let verdicts = outcomes
                .into_iter()
                .map(|o| Verdict {
                    passed: o.passed(),
                    instead: o.result.err(),
                    text: o.expected,
                })
                .collect();
            (view, verdicts)
        }
        Err(e) => {
            let verdict = Verdict {
                text: "the lesson's build flags".into(),
                passed: false,
                instead: Some(e),
            };
            (BuildView::default(), vec![verdict])
        }
    })
}

/// Records the verdicts of the player's current build and moves it on.
pub fn record(player: &mut Player, verdicts: Vec<Verdict>) {
    player.results.push(verdicts);
    player.at += 1;
    player.edited = scenario(player.id)
        .and_then(|sc| sc.builds.get(player.at).map(|b| is_empty(&b.edits)))
        .unwrap_or(true);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every lesson played in the page's way (workspace edits, page builds) meets every
    /// expectation: the workspace mapping loses nothing the lessons check.
    #[test]
    fn every_lesson_plays_in_the_page_with_every_expectation_met() {
        for entry in lesson_list() {
            let (mut player, mut ws) = load(entry.id).unwrap();
            crate::engine::build::reset_cache();
            while player.at < player.steps.len() {
                if !player.edited {
                    apply_next(&mut player, &mut ws);
                }
                let (_, verdicts) = build_lesson(player.id, player.at, &ws).unwrap();
                record(&mut player, verdicts);
                for v in player.results.last().unwrap() {
                    assert!(v.passed, "{} build {}: {v:?}", entry.id, player.at);
                }
            }
        }
    }
}
