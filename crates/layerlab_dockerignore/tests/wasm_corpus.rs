//! The shared corpora in wasm (run under `wasm-bindgen-test-runner`, Node or a
//! browser): the same runners as the native `shared_corpus` test, with the JSON
//! embedded at compile time by `build.rs`, plus a timing of the browser case.

#![cfg(target_arch = "wasm32")]

mod common;

#[path = "../benches/support/workload.rs"]
mod workload;

include!(concat!(env!("OUT_DIR"), "/shared_cases.rs"));

use common::Tally;
use layerlab_dockerignore::{walk, ContextEntry, ContextTree, IgnoreFile};
use wasm_bindgen_test::wasm_bindgen_test;

fn run(name: &str, json: Option<&str>, f: fn(&str) -> Tally) {
    let Some(json) = json else {
        wasm_bindgen_test::console_log!(
            "{name}: skipped, shared corpora were absent at build time"
        );
        return;
    };
    let tally = f(json);
    assert!(tally.checked > 0, "{name}: no cases");
    assert!(
        tally.failures.is_empty(),
        "{name}: {} of {} checks failed:\n{}",
        tally.failures.len(),
        tally.checked,
        tally.failures.join("\n")
    );
}

#[wasm_bindgen_test]
fn moby_cases_all_agree_in_wasm() {
    run("moby-cases.json", MOBY_CASES, common::moby_cases);
}

#[wasm_bindgen_test]
fn random_public_cases_all_agree_in_wasm() {
    run("random-public.json", RANDOM_CASES, common::random_cases);
}

#[wasm_bindgen_test]
fn public_trees_all_agree_in_wasm() {
    run("trees-public.json", TREE_CASES, common::public_trees);
}

/// The browser case: 100,000 dropped paths as strings → tree → walk, timed with the
/// host's clock (reported, not asserted: CI machines vary).
#[wasm_bindgen_test]
fn hundred_thousand_paths_walk_in_wasm() {
    let files = workload::paths(100_000);
    let matcher = IgnoreFile::parse(workload::IGNORE_FILE)
        .matcher()
        .expect("valid");
    let t0 = js_sys::Date::now();
    let tree = ContextTree::new(files.into_iter().map(|(p, s)| ContextEntry::file(p, s)));
    let report = walk(&matcher, &tree).expect("walk");
    let ms = js_sys::Date::now() - t0;
    let sent = report.sent().count();
    wasm_bindgen_test::console_log!(
        "wasm: 100000 paths -> tree -> walk in {ms:.0} ms ({sent} sent)"
    );
    assert!(sent > 0);
}
