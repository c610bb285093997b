//! Running a lesson: its builds in order on one project and one build cache, each
//! checked against its expectations. The page steps through a lesson one build at a
//! time; the scenario tests run them all.

use crate::check::{check_build, Outcome};
use crate::format::{BuildSpec, Scenario};
use crate::options::flags;
use crate::project::Project;
use layerlab_build::cache::CacheStore;
use layerlab_build::engine::{build, BaseImages, BuildOutput, BuildRequest, RunSimulator};

/// The host services a build needs.
#[derive(Clone, Copy)]
pub struct Services<'a> {
    /// Base images (`layerlab_build::bases::CatalogBases`).
    pub bases: &'a dyn BaseImages,
    /// The RUN simulator (`layerlab_build::runner::ShellRunner`).
    pub runner: &'a dyn RunSimulator,
}

/// What one build of a lesson produced.
pub struct BuildResult {
    /// The engine's output (empty when the build could not start, see `setup_error`).
    pub output: BuildOutput,
    /// Why the build could not start (a bad option, an invalid `.dockerignore`).
    pub setup_error: Option<String>,
    /// Each expectation's verdict, in file order.
    pub outcomes: Vec<Outcome>,
}

impl BuildResult {
    /// Whether the build started and every expectation holds.
    pub fn passed(&self) -> bool {
        self.setup_error.is_none() && self.outcomes.iter().all(Outcome::passed)
    }

    /// The failures as `name:line: key: message` lines (for test output).
    pub fn failures(&self, name: &str, spec: &BuildSpec) -> Vec<String> {
        let mut f = Vec::new();
        if let Some(e) = &self.setup_error {
            f.push(format!("{name}:{}: {e}", spec.line));
        }
        for o in &self.outcomes {
            if let Err(why) = &o.result {
                f.push(format!("{name}:{}: {}: {why}", o.line, o.key));
            }
        }
        f
    }
}

/// A lesson in progress: the project as the builds so far left it.
pub struct Session<'s> {
    scenario: &'s Scenario,
    project: Project,
    next: usize,
}

impl<'s> Session<'s> {
    /// Starts at the lesson's initial state, before its first build.
    pub fn new(scenario: &'s Scenario) -> Session<'s> {
        Session {
            scenario,
            project: Project::from_edits(&scenario.initial),
            next: 0,
        }
    }

    /// The project now (before the next build's edits).
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The next build's section, if any remain.
    pub fn next_build(&self) -> Option<&'s BuildSpec> {
        self.scenario.builds.get(self.next)
    }

    /// Applies the next build's edits, builds with `cache` and checks the expectations.
    /// `None` when every build has run.
    pub fn build_next(
        &mut self,
        services: Services<'_>,
        cache: &mut CacheStore,
    ) -> Option<BuildResult> {
        let spec = self.next_build()?;
        self.next += 1;
        self.project.apply(&spec.edits);
        Some(match build_project(&self.project, spec, services, cache) {
            Ok(output) => BuildResult {
                outcomes: check_build(spec, &self.project.dockerfile, &output),
                output,
                setup_error: None,
            },
            Err(e) => BuildResult {
                output: BuildOutput::default(),
                setup_error: Some(e),
                outcomes: Vec::new(),
            },
        })
    }
}

/// Builds `project` with `spec`'s options (`--prune` empties `cache` first).
pub fn build_project(
    project: &Project,
    spec: &BuildSpec,
    services: Services<'_>,
    cache: &mut CacheStore,
) -> Result<BuildOutput, String> {
    let flags = flags(&spec.options)?;
    if flags.prune {
        cache.prune();
    }
    let context = project.context()?;
    let excluded = |path: &str| context.excluded(path);
    let req = BuildRequest {
        dockerfile: &project.dockerfile,
        dockerfile_path: Some("Dockerfile"),
        context: &context.fs,
        excluded: &excluded,
        options: &flags.options,
        bases: services.bases,
        runner: services.runner,
    };
    Ok(build(&req, cache))
}

/// Runs every build of `scenario` in order with a fresh cache.
pub fn run(scenario: &Scenario, services: Services<'_>) -> Vec<BuildResult> {
    let mut cache = CacheStore::default();
    let mut session = Session::new(scenario);
    let mut results = Vec::new();
    while let Some(r) = session.build_next(services, &mut cache) {
        results.push(r);
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;
    use layerlab_build::bases::CatalogBases;
    use layerlab_build::runner::ShellRunner;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const LESSON: &str = "# Copying a file\n\nA file in a scratch image.\n\
        ```Dockerfile\nFROM scratch\nWORKDIR /w\nCOPY a.txt .\n```\n\
        ```file a.txt\nhello\n```\n\
        ## build: first\n```expect\nsteps: ✗✗\nlayer 2 size: 2.56kB\nfile /w/a.txt: hello\\n\n```\n\
        ## build: an edit\n```file a.txt\nhello, world\n```\n\
        ```expect\ncached: 1\nrebuilt: 2\nreason 2: a.txt changed\nimage size: 1B\n```\n";

    #[test]
    fn a_session_builds_in_order_and_checks_each_expectation() {
        let sc = parse("t.md", LESSON).unwrap();
        let bases = CatalogBases::default();
        let services = Services {
            bases: &bases,
            runner: &ShellRunner,
        };
        let mut cache = CacheStore::default();
        let mut s = Session::new(&sc);
        assert_eq!(s.project().files["a.txt"].text, "hello\n");
        assert_eq!(s.next_build().unwrap().title.as_deref(), Some("first"));
        let first = s.build_next(services, &mut cache).unwrap();
        assert!(first.passed(), "{:?}", first.outcomes);
        assert_eq!(first.outcomes[0].message(), "steps 1-2 built ✓");
        let second = s.build_next(services, &mut cache).unwrap();
        assert_eq!(s.project().files["a.txt"].text, "hello, world\n");
        let msgs: Vec<String> = second.outcomes.iter().map(Outcome::message).collect();
        assert_eq!(msgs[0], "step 1 from the cache ✓");
        assert_eq!(msgs[2], "step 2 runs because: a.txt changed ✓");
        // The wrong size fails and says what the build made instead.
        assert!(
            msgs[3].starts_with("the image is 1B ✗ (it is 4.1kB ("),
            "{}",
            msgs[3]
        );
        assert_eq!(
            second.failures("t.md", &sc.builds[1]),
            [format!(
                "t.md:{}: image size: {}",
                second.outcomes[3].line,
                second.outcomes[3].result.clone().unwrap_err()
            )]
        );
        assert!(s.build_next(services, &mut cache).is_none());
    }
}
