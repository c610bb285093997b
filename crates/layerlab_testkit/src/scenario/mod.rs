//! Build-engine scenarios: Markdown files under `tests/scenarios` (the format is
//! `layerlab_lesson::format`, shared with the page's lessons), embedded at compile time
//! so the same files run natively and in wasm. The lessons under `lessons/` run here too.
//!
//! Each file is a small story (a Dockerfile, a context, then builds with edits between
//! them) and the outcome BuildKit gives, cited from `docs/semantics.md`. Files under
//! `known-bugs/` describe engine bugs: they must still fail, so a fix shows up as a
//! failing test that asks for the file to be moved.

pub mod project;
pub mod run;

pub use layerlab_lesson::{parse, Scenario};

include!(concat!(env!("OUT_DIR"), "/scenarios.rs"));

/// Where known-bug scenarios live.
pub const KNOWN_BUGS: &str = "known-bugs/";

/// What running every scenario found.
#[derive(Debug, Default)]
pub struct Summary {
    /// Scenario files run (known bugs excluded).
    pub passing_set: u32,
    /// Lesson files run.
    pub lessons: u32,
    /// Builds run in the passing set.
    pub builds: u32,
    /// Expectation lines checked in the passing set.
    pub checks: u32,
    /// Failures of the passing set (`file:line: message`).
    pub failures: Vec<String>,
    /// Known-bug files that now pass (they should move out of `known-bugs/`).
    pub fixed_bugs: Vec<String>,
    /// Known-bug files run.
    pub known_bugs: u32,
}

/// Every embedded file to run: scenarios (named relative to `tests/scenarios`) and
/// lessons (named `lessons/<id>.md`).
fn all_files() -> Vec<(String, &'static str)> {
    let scenarios = SCENARIOS.iter().map(|(n, _, t)| ((*n).to_string(), *t));
    let lessons = layerlab_lesson::lessons()
        .iter()
        .map(|l| (format!("{LESSONS_DIR}{}.md", l.id), l.source));
    scenarios.chain(lessons).collect()
}

/// The prefix of lesson names in failures.
pub const LESSONS_DIR: &str = "lessons/";

/// Runs every embedded scenario and lesson.
pub fn run_all() -> Summary {
    run_matching("")
}

/// Runs the embedded scenarios and lessons whose name contains `filter` (the native
/// test's `SCENARIO=…` mode, for working on one lesson).
pub fn run_matching(filter: &str) -> Summary {
    let mut s = Summary::default();
    for (name, text) in all_files() {
        if !name.contains(filter) {
            continue;
        }
        let name = name.as_str();
        let sc = match parse(name, text) {
            Ok(sc) => sc,
            Err(e) => {
                s.failures.push(e);
                continue;
            }
        };
        let (_, failures) = run::run(name, &sc);
        if name.starts_with(KNOWN_BUGS) {
            s.known_bugs += 1;
            if failures.is_empty() {
                s.fixed_bugs.push(name.to_string());
            }
            continue;
        }
        if name.starts_with(LESSONS_DIR) {
            s.lessons += 1;
        } else {
            s.passing_set += 1;
        }
        s.builds += sc.builds.len() as u32;
        s.checks += sc
            .builds
            .iter()
            .map(|b| b.expects.len() as u32)
            .sum::<u32>();
        s.failures.extend(failures);
    }
    s
}

/// The lesson files under `lessons/` (repository root) and the embedded list must
/// agree: a lesson written but not listed would never be shown or tested. Native only.
#[allow(
    clippy::disallowed_methods,
    reason = "test helper: lists the checked-in lesson folder"
)]
pub fn check_lesson_folder() -> Result<(), String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lessons");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".md")?;
            (name != "README.md").then(|| stem.to_string())
        })
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = layerlab_lesson::lessons()
        .iter()
        .map(|l| l.id.to_string())
        .collect();
    listed.sort();
    if on_disk == listed {
        Ok(())
    } else {
        Err(format!(
            "lessons/ holds {on_disk:?} but layerlab_lesson lists {listed:?}"
        ))
    }
}

/// Asserts that every scenario passes and every known bug still fails.
pub fn assert_all() {
    let s = run_all();
    assert!(
        s.failures.is_empty(),
        "{} scenario check(s) failed:\n{}",
        s.failures.len(),
        s.failures.join("\n")
    );
    assert!(
        s.fixed_bugs.is_empty(),
        "known-bug scenarios now pass (move them out of known-bugs/): {:?}",
        s.fixed_bugs
    );
    assert!(s.passing_set >= 40, "only {} scenarios", s.passing_set);
    assert!(
        s.lessons as usize == layerlab_lesson::lessons().len(),
        "only {} of the lessons ran",
        s.lessons
    );
    println!(
        "{} scenarios and {} lessons, {} builds, {} checks passed; {} known bugs still failing",
        s.passing_set, s.lessons, s.builds, s.checks, s.known_bugs
    );
}

/// The text of `text` with each build's `image id` line set to what the builds
/// produced: replaced when present, inserted before the `expect` block's end otherwise.
/// Builds without an image (failures) get none.
pub fn with_image_ids(name: &str, text: &str) -> Result<String, String> {
    let sc = parse(name, text)?;
    let (results, _) = run::run(name, &sc);
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Edit from the bottom so earlier line numbers stay valid.
    for (spec, result) in sc.builds.iter().zip(&results).rev() {
        let id = result.output.image.as_ref().map(|i| i.id().to_string());
        let existing = spec.expects.iter().find(|e| e.key == "image id");
        match (existing, id) {
            (Some(e), Some(id)) => lines[e.line as usize - 1] = format!("image id: {id}"),
            (Some(e), None) => {
                lines.remove(e.line as usize - 1);
            }
            (None, Some(id)) => {
                lines.insert(spec.expect_end as usize - 1, format!("image id: {id}"))
            }
            (None, None) => {}
        }
    }
    Ok(format!("{}\n", lines.join("\n")))
}

/// Rewrites the `image id` lines of every scenario file in place (native only; the
/// `UPDATE_SCENARIOS=1` mode of the native test). Returns the files changed.
#[allow(
    clippy::disallowed_methods,
    reason = "test helper: rewrites the checked-in scenario files on request"
)]
pub fn update_image_ids() -> Vec<String> {
    let mut changed = Vec::new();
    for (name, path, _) in SCENARIOS {
        // Read the file again: the embedded copy may be older than the checkout.
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        match with_image_ids(name, &text) {
            Ok(new) if new != text => {
                std::fs::write(path, &new).expect("write scenario");
                changed.push((*name).to_string());
            }
            Ok(_) => {}
            Err(e) => panic!("{e}"),
        }
    }
    changed
}

#[cfg(test)]
mod robustness {
    /// Every prefix of every scenario file (a file cut anywhere, as an editor might
    /// save it) parses or errors with a location, never panics.
    #[test]
    fn truncated_scenarios_never_panic() {
        for (name, _, text) in super::SCENARIOS {
            for (i, _) in text.char_indices().step_by(7) {
                if let Err(e) = super::parse(name, &text[..i]) {
                    assert!(e.starts_with(&format!("{name}:")), "{e}");
                }
            }
        }
    }
}
