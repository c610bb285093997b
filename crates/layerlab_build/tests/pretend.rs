//! Pretend vs real. `layerlab build --pretend` builds on the cache it loaded and throws
//! the result away; the real build that follows loads the same cache. For random
//! single-file edits of lesson projects, what pretend says (each step cached or
//! rebuilt, and why) must be exactly what the real rebuild then does, and the first
//! step it rebuilds must name the edited file (or nothing rebuilds, when no step
//! reads the file).
//!
//! Each build loads the cache from its persisted bytes and gets fresh base images, as
//! each `layerlab` invocation does, so state that leaks between builds (a memo, an
//! iteration order, a field persistence drops) shows up as a difference.

use layerlab_build::bases::CatalogBases;
use layerlab_build::cache::CacheStore;
use layerlab_build::engine::BuildOutput;
use layerlab_build::report::StepStatus;
use layerlab_build::runner::ShellRunner;
use layerlab_lesson::project::ProjectFile;
use layerlab_lesson::session::{build_project, Services};
use layerlab_lesson::{lesson, BuildSpec, Project};

/// Projects to edit: one per language and the multi-stage ones.
const LESSONS: &[&str] = &[
    "node-first-app",
    "python-app",
    "dockerignore",
    "go-multistage",
];

/// Random edits per project (debug builds of the engine are slow: keep it small).
const EDITS: usize = 6;

/// A deterministic pseudo-random sequence: the same edits on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as usize
    }
}

/// One step as pretend prints it: label, instruction, and the reason when rebuilt.
fn verdicts(out: &BuildOutput) -> Vec<(String, String, Option<String>)> {
    out.report
        .steps
        .iter()
        .map(|s| {
            let why = match &s.status {
                StepStatus::Cached => None,
                StepStatus::Executed(r) => Some(r.describe()),
                other => Some(format!("{other:?}")),
            };
            (s.label(), s.instruction.clone(), why)
        })
        .collect()
}

/// Makes one random single-file edit that keeps the project buildable (sources may
/// go; manifests and lockfiles stay, and content edits add a blank line, which every
/// format here accepts); returns the path edited.
fn edit(project: &mut Project, rng: &mut Lcg, n: usize) -> String {
    let paths: Vec<String> = project
        .all_files()
        .keys()
        .filter(|p| *p != ".dockerignore")
        .cloned()
        .collect();
    let path = paths[rng.next(paths.len())].clone();
    let text_file = |text: String| ProjectFile {
        text,
        size: None,
        mode: 0o644,
        mtime: 0,
    };
    match (path.as_str(), rng.next(4)) {
        // The Dockerfile stays a valid Dockerfile: a comment line.
        ("Dockerfile", _) => {
            project.dockerfile.push_str(&format!("# edit {n}\n"));
            path
        }
        (p, 0) if removable(project, p) => {
            project.files.remove(&path);
            path
        }
        (_, 1) => {
            let new = format!("src/added{n}.txt");
            project
                .files
                .insert(new.clone(), text_file(format!("{n}\n")));
            new
        }
        (_, 2) => {
            let f = project.files.get_mut(&path).expect("a context file");
            f.mode = if f.mode == 0o755 { 0o644 } else { 0o755 };
            path
        }
        _ => {
            let f = project.files.get_mut(&path).expect("a context file");
            match &mut f.size {
                Some(size) => *size += 1,
                None => f.text.push('\n'),
            }
            path
        }
    }
}

/// A source or stand-in file whose folder keeps another file (a `COPY src` of an
/// emptied folder fails, as it should, but that is not the edit under test).
fn removable(project: &Project, path: &str) -> bool {
    let Some((dir, _)) = path.rsplit_once('/') else {
        return false;
    };
    let in_dir = |p: &String| p.starts_with(&format!("{dir}/"));
    project.files.keys().filter(|p| in_dir(p)).count() > 1
}

/// Builds `project` as one `layerlab build` invocation would: the cache loaded from
/// `saved`, fresh base images. Returns the output and the cache to persist.
fn invocation(project: &Project, saved: &[u8]) -> (BuildOutput, CacheStore) {
    let mut cache = CacheStore::from_bytes(saved).expect("the cache reloads");
    let bases = CatalogBases::default();
    let services = Services {
        bases: &bases,
        runner: &ShellRunner,
    };
    let out = build_project(project, &BuildSpec::default(), services, &mut cache)
        .expect("the project builds");
    (out, cache)
}

#[test]
fn pretend_predicts_the_real_rebuild() {
    let mut edits = 0;
    let mut rebuilt_steps = 0;
    for (i, id) in LESSONS.iter().enumerate() {
        let sc = lesson(id).expect("a lesson").parse().unwrap();
        let mut project = Project::from_edits(&sc.initial);
        let (first, cache) = invocation(&project, &CacheStore::default().to_bytes());
        assert!(
            first.report.error.is_none(),
            "{id}: {:?}",
            first.report.error
        );
        let mut saved = cache.to_bytes();
        let mut rng = Lcg(i as u64 + 7);
        for n in 0..EDITS {
            let path = edit(&mut project, &mut rng, n);
            let (pretend, _) = invocation(&project, &saved);
            let (real, cache) = invocation(&project, &saved);
            let (said, did) = (verdicts(&pretend), verdicts(&real));
            assert_eq!(
                said, did,
                "{id}: edit {n} of {path}: pretend and the rebuild differ"
            );
            saved = cache.to_bytes();
            edits += 1;
            assert!(
                real.report.error.is_none(),
                "{id}: edit {n} of {path}: {:?}",
                real.report.error
            );
            let first_rebuilt = did.iter().find_map(|(_, _, why)| why.as_deref());
            if let Some(why) = first_rebuilt {
                assert!(
                    why.contains(path.as_str()) || why.contains("Dockerfile"),
                    "{id}: edit {n} of {path}: the first rebuilt step says `{why}`"
                );
            }
            rebuilt_steps += did.iter().filter(|(_, _, w)| w.is_some()).count();
        }
    }
    // The edits must have exercised rebuilds, not only no-ops.
    assert!(
        rebuilt_steps >= edits,
        "{rebuilt_steps} steps rebuilt over {edits} edits"
    );
    println!("{edits} edits, {rebuilt_steps} rebuilt steps predicted exactly");
}
