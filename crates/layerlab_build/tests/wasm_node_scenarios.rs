//! The build-engine scenarios in wasm under Node (named `wasm_node_*` so the test script
//! skips it in Chromium: the suite runs for tens of seconds on one thread, longer than the
//! browser test driver waits for a page): the same embedded files and the same
//! recorded image IDs as the native run, so the engine is byte-identical on both.
//!
//! `LAYERLAB_WASM_BENCH=1` at compile time also times the benchmark project's builds
//! (cold, no-change, one-file edit) under Node; off by default to keep the test fast.
#![cfg(target_arch = "wasm32")]

use layerlab_build::bases::CatalogBases;
use layerlab_build::cache::CacheStore;
use layerlab_testkit::scenario::project::{context, project, run};
use layerlab_vfs::{Content, Meta, VfsPath};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

#[wasm_bindgen_test]
fn scenarios() {
    layerlab_testkit::scenario::assert_all();
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[wasm_bindgen_test]
fn build_timing() {
    if option_env!("LAYERLAB_WASM_BENCH").is_none() {
        return;
    }
    let now = js_sys::Date::now;
    let files = project();
    let ctx = context(&files);
    let runs = 5;
    let mut cold = Vec::new();
    let mut warm = None;
    for _ in 0..runs {
        let bases = CatalogBases::default();
        let mut cache = CacheStore::default();
        let t = now();
        run(&ctx, &bases, &mut cache);
        cold.push(now() - t);
        warm = Some((bases, cache));
    }
    let (bases, mut cache) = warm.unwrap();
    let mut again = Vec::new();
    for _ in 0..runs {
        let t = now();
        run(&ctx, &bases, &mut cache);
        again.push(now() - t);
    }
    let edit = VfsPath::new(&format!("/{}", files[10].0));
    let mut edited = Vec::new();
    for i in 0..runs {
        let mut ctx = ctx.clone();
        ctx.write_file(
            &edit,
            Content::inline(format!("export const edit = {i};\n")),
            Meta::new(0o644),
        )
        .unwrap();
        let t = now();
        run(&ctx, &bases, &mut cache);
        edited.push(now() - t);
    }
    console_log!(
        "wasm build timing (median of {runs}): cold {} ms, no-change {} ms, one-file edit {} ms",
        median(cold),
        median(again),
        median(edited)
    );
}
