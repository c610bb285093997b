//! Every case of `../shared/dockerignore` through the public API: ReadAll output,
//! `New` errors, lone-path walker verdicts, `MatchesOrParentMatches`, whole trees.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::disallowed_methods, reason = "tests read the shared corpora")]

mod common;

use common::Tally;

fn run(name: &str, f: fn(&str) -> Tally) {
    let Some(shared) = layerlab_testkit::shared_dir(name) else {
        return;
    };
    let path = shared.join("dockerignore").join(name);
    let json = std::fs::read_to_string(&path).expect("read corpus");
    let tally = f(&json);
    println!(
        "{name}: {} checks, {} failed",
        tally.checked,
        tally.failures.len()
    );
    assert!(tally.checked > 0, "{name}: no cases");
    assert!(
        tally.failures.is_empty(),
        "{name}: {} of {} checks failed:\n{}",
        tally.failures.len(),
        tally.checked,
        tally.failures.join("\n")
    );
}

#[test]
fn moby_cases_all_agree() {
    run("moby-cases.json", common::moby_cases);
}

#[test]
fn random_public_cases_all_agree() {
    run("random-public.json", common::random_cases);
}

#[test]
fn public_trees_all_agree() {
    run("trees-public.json", common::public_trees);
}
