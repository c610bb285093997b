//! The layer throughput benchmark in wasm under Node (opt-in, it takes a while):
//!
//! ```text
//! LAYERLAB_WASM_BENCH=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   cargo test -p layerlab_image --target wasm32-unknown-unknown --profile fast --test wasm_bench -- --nocapture
//! ```
#![cfg(target_arch = "wasm32")]

use layerlab_image::{Layer, LayerOptions};
use layerlab_vfs::{diff, Content, Fs, Hasher, Meta, VfsPath};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

#[wasm_bindgen_test]
fn layer_throughput_in_wasm() {
    if option_env!("LAYERLAB_WASM_BENCH").is_none() {
        return;
    }
    let (files, per_file) = (20_000u64, 10_000u64);
    let base = Fs::default();
    let mut fs = base.clone();
    for i in 0..files {
        let dir = VfsPath::new(&format!("/usr/share/pkg{:03}/sub{}", i % 500, i % 7));
        fs.mkdir_p(&dir, Meta::new(0o755)).unwrap();
        let len = per_file / 2 + (i * 7919) % per_file;
        fs.write_file(
            &dir.child(&format!("file{i}.bin")),
            Content::synthetic(i, len),
            Meta::new(0o644),
        )
        .unwrap();
    }
    let layer = Layer::from_changes(&fs, &diff(&base, &fs), &LayerOptions::default());
    let mb = layer.tar_size() as f64 / 1e6;
    let t = js_sys::Date::now();
    let mut h = Hasher::default();
    layer.write_tar(&mut h).unwrap();
    let diff_id = h.finish();
    let tar_hash = (js_sys::Date::now() - t) / 1e3;
    let bytes = layer.to_tar();
    let t = js_sys::Date::now();
    let plain = layerlab_vfs::Digest::of(&bytes);
    let sha = (js_sys::Date::now() - t) / 1e3;
    assert_eq!(plain, diff_id);
    console_log!(
        "wasm: tar {mb:.1} MB; tar+sha256 {:.1} MB/s; plain sha256 {:.1} MB/s",
        mb / tar_hash,
        mb / sha
    );
    console_log!("diff_id {diff_id}");
}
