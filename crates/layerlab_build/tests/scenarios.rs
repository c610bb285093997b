//! The build-engine scenarios under `tests/scenarios` (repository root), natively.
//!
//! `UPDATE_SCENARIOS=1 cargo test -p layerlab_build --test scenarios` only rewrites the
//! recorded `image id` lines (run it again without the variable to check: the files are
//! embedded at compile time). The wasm test checks the same recorded IDs.
//! `SCENARIO=lessons/node` runs only the files whose name contains that text.

#[test]
fn scenarios() {
    #[allow(clippy::disallowed_methods, reason = "opt-in update mode")]
    if std::env::var_os("UPDATE_SCENARIOS").is_some() {
        let changed = layerlab_testkit::scenario::update_image_ids();
        println!("updated image ids in {changed:?}; run again to check");
        return;
    }
    #[allow(clippy::disallowed_methods, reason = "opt-in filter")]
    if let Ok(filter) = std::env::var("SCENARIO") {
        let s = layerlab_testkit::scenario::run_matching(&filter);
        assert!(s.failures.is_empty(), "{}", s.failures.join("\n"));
        assert!(
            s.fixed_bugs.is_empty(),
            "known bugs now pass: {:?}",
            s.fixed_bugs
        );
        println!(
            "{} builds, {} checks passed; {} known bugs still failing",
            s.builds, s.checks, s.known_bugs
        );
        return;
    }
    layerlab_testkit::scenario::check_lesson_folder().unwrap();
    layerlab_testkit::scenario::assert_all();
}
