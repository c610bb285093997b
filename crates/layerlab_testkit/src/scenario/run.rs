//! Runs a parsed scenario with the real engine services (the catalog's base images and
//! the shell simulator) through `layerlab_lesson`'s session, and collects the failed
//! checks as `name:line: message` lines.

use layerlab_build::bases::CatalogBases;
use layerlab_build::engine::RunSimulator;
use layerlab_lesson::session::{self, BuildResult, Services};
use layerlab_lesson::Scenario;

/// The RUN simulator every scenario uses: the one place to switch it.
pub fn runner() -> &'static dyn RunSimulator {
    &layerlab_build::runner::ShellRunner
}

/// Builds every build of `sc` in order, sharing one cache; returns the results and the
/// failed checks (`name:line: message`).
pub fn run(name: &str, sc: &Scenario) -> (Vec<BuildResult>, Vec<String>) {
    let bases = CatalogBases::default();
    let services = Services {
        bases: &bases,
        runner: runner(),
    };
    let results = session::run(sc, services);
    let failures = sc
        .builds
        .iter()
        .zip(&results)
        .flat_map(|(spec, r)| r.failures(name, spec))
        .collect();
    (results, failures)
}
