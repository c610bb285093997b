//! Parse throughput over the shared corpus in wasm, under Node (it reads the corpus
//! with Node's `fs`, so it is not a `wasm*` suite and does not run in Chromium):
//!
//! ```sh
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   cargo test --target wasm32-unknown-unknown --profile fast -p layerlab_dockerfile \
//!   --test node_bench -- --nocapture
//! ```
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

#[wasm_bindgen(module = "fs")]
extern "C" {
    #[wasm_bindgen(js_name = readFileSync, catch)]
    fn read_file_sync(path: &str, encoding: &str) -> Result<String, wasm_bindgen::JsValue>;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

fn shared() -> String {
    option_env!("LAYERLAB_SHARED")
        .map(str::to_string)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared").to_string())
}

#[wasm_bindgen_test]
fn parse_corpus_throughput() {
    let root = shared();
    let Ok(manifest) = read_file_sync(&format!("{root}/corpus/MANIFEST.tsv"), "utf8") else {
        console_log!("node_bench: skipped, shared corpora not found at {root}");
        return;
    };
    let files: Vec<String> = manifest
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter_map(|n| read_file_sync(&format!("{root}/corpus/dockerfiles/{n}"), "utf8").ok())
        .collect();
    let bytes: usize = files.iter().map(String::len).sum();
    let passes = 10;
    let mut sink = 0;
    for f in &files {
        sink += layerlab_dockerfile::parse(f).dockerfile.instructions.len();
    }
    let t = now();
    for _ in 0..passes {
        for f in &files {
            sink += layerlab_dockerfile::parse(f).dockerfile.instructions.len();
        }
    }
    let secs = (now() - t) / 1000.0;
    console_log!(
        "wasm parse: {} files, {:.2} MB x {passes} in {secs:.3} s = {:.1} MB/s, {:.0} files/s (checksum {sink})",
        files.len(),
        bytes as f64 / 1e6,
        (bytes * passes) as f64 / 1e6 / secs,
        (files.len() * passes) as f64 / secs
    );
    assert!(files.len() > 900);
}
