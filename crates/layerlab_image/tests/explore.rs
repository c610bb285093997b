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

#[test]
fn origins_follow_symlinked_parents() {
    use layerlab_image::{read_layer, TarLimits};
    let mut tar = Vec::new();
    for (name, ty, link, data) in [
        ("usr/", b'5', "", &b""[..]),
        ("usr/lib/", b'5', "", b""),
        ("lib", b'2', "usr/lib", b""),
        ("usr/lib/a.so", b'0', "", b"v1"),
    ] {
        layerlab_image::write_header(
            &layerlab_image::HeaderSpec {
                name,
                typeflag: ty,
                mode: 0o755,
                uid: 0,
                gid: 0,
                size: data.len() as u64,
                mtime: 0,
                linkname: link,
            },
            &mut tar,
        );
        tar.extend_from_slice(data);
        tar.resize(tar.len().div_ceil(512) * 512, 0);
    }
    tar.extend_from_slice(&[0; 1024]);
    let mut upper = Vec::new();
    layerlab_image::write_header(
        &layerlab_image::HeaderSpec {
            name: "lib/a.so",
            typeflag: b'0',
            mode: 0o755,
            uid: 0,
            gid: 0,
            size: 2,
            mtime: 0,
            linkname: "",
        },
        &mut upper,
    );
    upper.extend_from_slice(b"v2");
    upper.resize(1024, 0);
    upper.extend_from_slice(&[0; 1024]);
    let layers = [
        read_layer(&tar, &TarLimits::default()).unwrap().0,
        read_layer(&upper, &TarLimits::default()).unwrap().0,
    ];
    let ex = Exploration::new(&layers).unwrap();
    assert_eq!(ex.origin(&VfsPath::new("/usr/lib/a.so")), Some(1));
    assert_eq!(ex.wasted.len(), 1);
    assert_eq!(ex.wasted[0].path.as_str(), "/usr/lib/a.so");
}
