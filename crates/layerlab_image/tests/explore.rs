//! The explorer on the fixed demo image: per-layer effects, origins, wasted space.

use layerlab_image::{demo_image, EntryEffect, Exploration};
use layerlab_vfs::VfsPath;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn demo_image_layers_origins_and_waste() {
    let image = demo_image(0);
    let ex = Exploration::new(&image.layers).unwrap();
    let effects = |layer: usize| -> Vec<String> {
        ex.layers[layer]
            .changes
            .iter()
            .filter(|c| c.effect != EntryEffect::Unchanged)
            .map(|c| format!("{} {}", c.effect.letter(), c.path))
            .collect()
    };
    assert_eq!(
        effects(2),
        [
            "D /app/config.json",
            "M /app/data",
            "M /app/hello.txt",
            "D /var/cache/apt"
        ]
    );
    assert!(
        effects(1).contains(&"m /usr/bin/sh".to_owned()),
        "chmod re-emits the file"
    );
    assert!(effects(1).contains(&"M /etc/os-release".to_owned()));

    let origin = |p: &str| ex.origin(&VfsPath::new(p));
    assert_eq!(origin("/usr/lib/libc.so.6"), Some(0));
    assert_eq!(origin("/app/hello.txt"), Some(2));
    assert_eq!(origin("/app/link-to-hello"), Some(1));
    assert_eq!(origin("/var/cache/apt"), None, "deleted");

    let wasted: Vec<String> = ex
        .wasted
        .iter()
        .map(|w| format!("{} L{}->L{} {}", w.path, w.layer, w.by_layer, w.size))
        .collect();
    assert_eq!(
        wasted,
        [
            "/etc/os-release L0->L1 25",
            "/usr/bin/sh L0->L1 125000",
            "/app/config.json L1->L2 15",
            "/app/data/seed.db L1->L2 64000",
            "/app/hello.txt L1->L2 6",
            "/var/cache/apt/archives/pkg.deb L0->L2 1000000",
            "/var/cache/apt/pkgcache.bin L0->L2 250000",
        ]
    );
    assert_eq!(ex.wasted_bytes(), 1_439_046);

    let ls: Vec<String> = ex
        .list(&VfsPath::new("/lib"), false)
        .unwrap()
        .iter()
        .map(|e| format!("{} {:?}", e.path, e.origin))
        .collect();
    assert_eq!(
        ls,
        ["/usr/lib/libc.so.6 Some(0)"],
        "listing follows the /lib symlink"
    );
}
