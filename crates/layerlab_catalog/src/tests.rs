//! Unit tests that also run in wasm32 under Node (`wasm-bindgen-test`): the same
//! resolution and the same layer digests on both targets prove the catalog is
//! deterministic across them.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use crate::Catalog;
use layerlab_image::{Layer, LayerOptions, Platform};
use layerlab_vfs::{diff, Fs, VfsPath};

fn amd64() -> Platform {
    Platform {
        os: "linux".into(),
        architecture: "amd64".into(),
        variant: None,
    }
}

#[test]
fn alpine_resolves_and_materialises() {
    let img = Catalog::builtin().resolve("alpine:3.21", &amd64()).unwrap();
    assert_eq!(img.layers.len(), 1);
    let fs = img.rootfs().unwrap();
    let release = fs.read_file(&VfsPath::new("/etc/alpine-release")).unwrap();
    assert_eq!(release.to_vec(), b"3.21.0\n");
    assert!(fs.exists(&VfsPath::new("/bin/sh")));
}

#[test]
fn small_layers_hash_to_the_stored_diff_ids() {
    // Recomputed on this target: alpine, busybox and the distroless layers (~20 MB).
    let c = Catalog::builtin();
    for r in ["alpine:3.18", "busybox", "gcr.io/distroless/base-debian12"] {
        let img = c.resolve(r, &amd64()).unwrap();
        let mut fs = Fs::default();
        for l in &img.layers {
            let before = fs.clone();
            l.apply(&mut fs).unwrap();
            let layer = Layer::from_changes(&fs, &diff(&before, &fs), &LayerOptions::default());
            assert_eq!(layer.diff_id(), l.diff_id, "{r}: {}", l.created_by);
        }
    }
}

#[test]
fn unknown_reference_suggests() {
    let e = Catalog::builtin()
        .resolve("ubunut:22.04", &amd64())
        .unwrap_err();
    assert_eq!(e.help().as_deref(), Some("did you mean ubuntu:22.04?"));
}

#[test]
fn image_ids_are_stable() {
    // Pinned: a change here means the data or the config encoding changed, and the
    // digest table or downstream golden files need regenerating too.
    let img = Catalog::builtin().resolve("busybox", &amd64()).unwrap();
    assert_eq!(
        img.image_id,
        Catalog::builtin()
            .resolve("busybox:1.37", &amd64())
            .unwrap()
            .image_id
    );
    assert_eq!(img.config.diff_ids.len(), 1);
}
