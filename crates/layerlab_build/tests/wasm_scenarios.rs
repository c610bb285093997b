//! The build-engine scenarios in wasm (Node): the same embedded files and the same
//! recorded image IDs as the native run, so the engine is byte-identical on both.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn scenarios() {
    layerlab_testkit::scenario::assert_all();
}
