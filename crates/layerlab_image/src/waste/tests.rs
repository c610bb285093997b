//! Hand-computed cases: every expected number below is worked out from the layer
//! contents written in the test, not read back from the code under test.

use super::*;
use crate::config::History;
use crate::layer::{EntryKind, Layer, LayerEntry, LayerOptions};
use layerlab_vfs::{Content, Fs, Meta};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn p(s: &str) -> VfsPath {
    VfsPath::new(s)
}

fn file(n: u64, seed: u64) -> Content {
    Content::synthetic(seed, n)
}

/// Layers from a sequence of snapshots, each the result of the previous plus `steps[i]`.
fn stack(steps: &[&dyn Fn(&mut Fs)]) -> (Vec<Layer>, Fs) {
    let mut fs = Fs::new(Meta::new(0o755));
    let mut layers = Vec::new();
    for step in steps {
        let before = fs.clone();
        step(&mut fs);
        layers.push(Layer::between(&before, &fs, &LayerOptions::default()));
    }
    (layers, fs)
}

fn report(layers: &[Layer]) -> (Exploration, WasteReport) {
    let ex = Exploration::new(layers).unwrap();
    let report = WasteReport::new(&ex);
    (ex, report)
}

fn config(created_by: &[(&str, bool)]) -> ImageConfig {
    ImageConfig {
        history: created_by
            .iter()
            .map(|(c, empty)| History {
                created_by: Some((*c).to_owned()),
                empty_layer: *empty,
                ..History::default()
            })
            .collect(),
        ..ImageConfig::default()
    }
}

#[test]
fn apt_lists_written_then_removed_in_the_next_layer() {
    let m = Meta::new(0o644);
    let (layers, fs) = stack(&[
        &|fs| {
            fs.mkdir_p(&p("/etc"), Meta::new(0o755)).unwrap();
            fs.write_file(&p("/etc/os-release"), file(10, 1), m)
                .unwrap();
        },
        &|fs| {
            fs.mkdir_p(&p("/var/lib/apt/lists"), Meta::new(0o755))
                .unwrap();
            fs.write_file(&p("/var/lib/apt/lists/deb_main"), file(1000, 2), m)
                .unwrap();
            fs.write_file(&p("/var/lib/apt/lists/deb_updates"), file(500, 3), m)
                .unwrap();
        },
        &|fs| {
            fs.remove(&p("/var/lib/apt/lists/deb_main")).unwrap();
            fs.remove(&p("/var/lib/apt/lists/deb_updates")).unwrap();
        },
    ]);
    let (_, r) = report(&layers);
    assert_eq!(r.stored_bytes, 10 + 1000 + 500);
    assert_eq!(r.wasted_bytes, 1500);
    assert_eq!(r.reachable_bytes(), fs.total_file_bytes());
    assert_eq!(r.reachable_bytes(), 10);
    assert!((r.efficiency() - 10.0 / 1510.0).abs() < 1e-12);
    let rows: Vec<(&str, u64)> = r.paths.iter().map(|w| (w.path.as_str(), w.bytes)).collect();
    assert_eq!(
        rows,
        [
            ("/var/lib/apt/lists/deb_main", 1000),
            ("/var/lib/apt/lists/deb_updates", 500)
        ]
    );
    // The ENV between the base and the RUN is an empty-layer entry: it is skipped
    // when naming layers.
    let created_by = layer_created_by(
        &config(&[
            ("ADD rootfs.tar /", false),
            ("ENV DEBIAN_FRONTEND=noninteractive", true),
            ("RUN /bin/sh -c apt-get update", false),
            ("RUN /bin/sh -c rm -rf /var/lib/apt/lists/*", false),
        ]),
        layers.len(),
    );
    assert_eq!(
        r.paths[0].versions[0].cause(&created_by),
        "removed in layer 2 by RUN /bin/sh -c rm -rf /var/lib/apt/lists/*"
    );
    assert_eq!(r.paths[0].versions[0].layer, 1);
}

#[test]
fn a_file_overwritten_twice_wastes_both_lower_versions() {
    let m = Meta::new(0o644);
    let (layers, fs) = stack(&[
        &|fs| fs.write_file(&p("/x"), file(100, 1), m).unwrap(),
        &|fs| fs.write_file(&p("/x"), file(200, 2), m).unwrap(),
        &|fs| fs.write_file(&p("/x"), file(50, 3), m).unwrap(),
    ]);
    let (_, r) = report(&layers);
    assert_eq!(r.stored_bytes, 350);
    assert_eq!(r.wasted_bytes, 300);
    assert_eq!(r.paths.len(), 1);
    assert_eq!(r.paths[0].versions.len(), 2);
    assert_eq!(r.reachable_bytes(), fs.total_file_bytes());
    let created_by = vec![String::new(), "COPY a /x".into()];
    assert_eq!(
        r.paths[0].versions[0].cause(&created_by),
        "overwritten in layer 1 by COPY a /x"
    );
    // No history entry for layer 2: the cause still names the layer.
    assert_eq!(
        r.paths[0].versions[1].cause(&created_by),
        "overwritten in layer 2"
    );
}

#[test]
fn chmod_stores_the_whole_file_again() {
    let (layers, _) = stack(&[
        &|fs| {
            fs.write_file(&p("/tool"), file(1000, 1), Meta::new(0o644))
                .unwrap();
        },
        &|fs| fs.set_mode(&p("/tool"), 0o755).unwrap(),
    ]);
    let (_, r) = report(&layers);
    assert_eq!((r.stored_bytes, r.wasted_bytes), (2000, 1000));
}

#[test]
fn deleting_a_directory_wastes_every_file_below_it() {
    let m = Meta::new(0o644);
    let (layers, fs) = stack(&[
        &|fs| {
            fs.mkdir_p(&p("/d/e"), Meta::new(0o755)).unwrap();
            fs.write_file(&p("/d/a"), file(5, 1), m).unwrap();
            fs.write_file(&p("/d/e/f"), file(7, 2), m).unwrap();
            fs.write_file(&p("/keep"), file(3, 3), m).unwrap();
        },
        &|fs| {
            fs.remove(&p("/d")).unwrap();
        },
    ]);
    let (_, r) = report(&layers);
    assert_eq!((r.stored_bytes, r.wasted_bytes), (15, 12));
    assert_eq!(r.reachable_bytes(), fs.total_file_bytes());
    assert!(r.paths.iter().all(|w| w.versions[0].deleted));
}

#[test]
fn an_opaque_directory_hides_the_lower_children() {
    let m = Meta::new(0o644);
    let mut base = Fs::new(Meta::new(0o755));
    base.mkdir_p(&p("/o"), Meta::new(0o755)).unwrap();
    base.write_file(&p("/o/a"), file(3, 1), m).unwrap();
    let lower = Layer::between(&Fs::new(Meta::new(0o755)), &base, &LayerOptions::default());
    // What overlayfs-based builders write when a directory is deleted and re-created.
    let upper = Layer::from_entries(vec![
        LayerEntry {
            path: p("/o"),
            kind: EntryKind::Opaque,
            meta: Meta::new(0),
        },
        LayerEntry {
            path: p("/o/b"),
            kind: EntryKind::File(file(4, 2)),
            meta: m,
        },
    ]);
    let (ex, r) = report(&[lower, upper]);
    assert_eq!((r.stored_bytes, r.wasted_bytes), (7, 3));
    assert_eq!(r.reachable_bytes(), ex.fs.total_file_bytes());
    assert_eq!(r.paths[0].versions[0].cause(&[]), "removed in layer 1");
}

#[test]
fn a_file_re_emitted_unchanged_still_wastes_the_lower_copy() {
    let f = Layer::from_entries(vec![LayerEntry {
        path: p("/x"),
        kind: EntryKind::File(file(9, 1)),
        meta: Meta::new(0o644),
    }]);
    let (ex, r) = report(&[f.clone(), f]);
    assert_eq!((r.stored_bytes, r.wasted_bytes), (18, 9));
    assert_eq!(ex.origin(&p("/x")), Some(1));
}

#[test]
fn an_image_without_files_is_fully_efficient() {
    let (_, r) = report(&[Layer::default()]);
    assert_eq!(r.efficiency(), 1.0);
    assert!(r.paths.is_empty());
}

#[test]
fn ties_are_listed_in_path_order() {
    let m = Meta::new(0o644);
    let (layers, _) = stack(&[
        &|fs| {
            for n in ["/c", "/a", "/b"] {
                fs.write_file(&p(n), file(4, 1), m).unwrap();
            }
        },
        &|fs| {
            for n in ["/c", "/a", "/b"] {
                fs.remove(&p(n)).unwrap();
            }
        },
    ]);
    let (_, r) = report(&layers);
    let order: Vec<&str> = r.paths.iter().map(|w| w.path.as_str()).collect();
    assert_eq!(order, ["/a", "/b", "/c"]);
}
