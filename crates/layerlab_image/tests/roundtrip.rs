//! Round trips on random trees: `apply(layer(diff(a, b)), a) == b`, through the tar
//! bytes too; and no panic on arbitrary bytes fed to the readers.
#![cfg(not(target_arch = "wasm32"))]

use layerlab_image::{
    apply_layer, import_archive, read_layer, read_tar, ImportLimits, Layer, LayerOptions, TarLimits,
};
use layerlab_vfs::{diff, Content, Fs, Meta, VfsPath};
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Mkdir(String, u32),
    Write(String, Vec<u8>, u32),
    Synthetic(String, u64, u64),
    Symlink(String, String),
    Remove(String),
    Chmod(String, u32),
    Chown(String, u32),
}

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec!["a", "b", "c.txt", ".wh-ish", "d d", "\u{e9}"]),
        1..4,
    )
    .prop_map(|v| format!("/{}", v.join("/")))
}

fn op() -> impl Strategy<Value = Op> {
    let mode = prop::sample::select(vec![0o755u32, 0o644, 0o600, 0o4755, 0o1777]);
    prop_oneof![
        (path(), mode.clone()).prop_map(|(p, m)| Op::Mkdir(p, m)),
        (
            path(),
            prop::collection::vec(any::<u8>(), 0..700),
            mode.clone()
        )
            .prop_map(|(p, c, m)| Op::Write(p, c, m)),
        (path(), 0u64..4, 0u64..3000).prop_map(|(p, s, l)| Op::Synthetic(p, s, l)),
        (
            path(),
            prop::sample::select(vec!["a", "/b", "../../c.txt", "x/y"])
        )
            .prop_map(|(p, t)| Op::Symlink(p, t.to_owned())),
        path().prop_map(Op::Remove),
        (path(), mode).prop_map(|(p, m)| Op::Chmod(p, m)),
        (path(), 0u32..3).prop_map(|(p, u)| Op::Chown(p, u * 1000)),
    ]
}

fn run(fs: &mut Fs, ops: &[Op], mtime: i64) {
    for op in ops {
        let m = |mode: u32| Meta::new(mode).with_mtime(mtime);
        // Failures (ENOENT, EEXIST, ...) are part of the game: ignore them.
        let _ = match op {
            Op::Mkdir(p, mode) => fs.mkdir_p(&VfsPath::new(p), m(*mode)),
            Op::Write(p, c, mode) => {
                fs.write_file(&VfsPath::new(p), Content::inline(c.clone()), m(*mode))
            }
            Op::Synthetic(p, seed, len) => {
                fs.write_file(&VfsPath::new(p), Content::synthetic(*seed, *len), m(0o644))
            }
            Op::Symlink(p, t) => fs.symlink(t, &VfsPath::new(p), m(0o777)),
            Op::Remove(p) => fs.remove(&VfsPath::new(p)).map(|_| ()),
            Op::Chmod(p, mode) => fs.set_mode(&VfsPath::new(p), *mode),
            Op::Chown(p, u) => fs.chown(&VfsPath::new(p), *u, *u),
        };
    }
}

fn demo_archive_prefix() -> &'static [u8] {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES.get_or_init(|| {
        let image = layerlab_image::demo_image(0);
        let mut bytes = layerlab_image::oci_archive_bytes(&image, &Default::default());
        bytes.truncate(60_000);
        bytes
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn apply_of_layer_of_diff_restores_the_new_tree(
        first in prop::collection::vec(op(), 0..25),
        second in prop::collection::vec(op(), 0..25),
    ) {
        let mut a = Fs::default();
        run(&mut a, &first, 100);
        let mut b = a.clone();
        run(&mut b, &second, 200);
        let layer = Layer::from_changes(&b, &diff(&a, &b), &LayerOptions::default());
        let tar = layer.to_tar();
        prop_assert_eq!(tar.len() as u64, layer.tar_size());

        let mut direct = a.clone();
        apply_layer(&mut direct, &layer).unwrap();
        prop_assert_eq!(&direct, &b);

        let (read, notes) = read_layer(&tar, &TarLimits::default()).unwrap();
        prop_assert!(notes.skipped.is_empty());
        prop_assert_eq!(read.to_tar(), tar.clone(), "tar -> entries -> tar is the identity");
        let mut via_tar = a.clone();
        apply_layer(&mut via_tar, &read).unwrap();
        prop_assert_eq!(&via_tar, &b);
    }

    #[test]
    fn readers_never_panic_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..3000)) {
        let _ = read_tar(&bytes, &TarLimits::default());
        let _ = read_layer(&bytes, &TarLimits::default());
        let _ = import_archive(&bytes, &ImportLimits::default());
    }

    #[test]
    fn readers_never_panic_on_mutated_archives(flips in prop::collection::vec((0usize..20_000, any::<u8>()), 1..8)) {
        let mut bytes = demo_archive_prefix().to_vec();
        for (at, v) in flips {
            if let Some(b) = bytes.get_mut(at) {
                *b = v;
            }
        }
        let _ = import_archive(&bytes, &ImportLimits::default());
        let _ = read_tar(&bytes, &TarLimits::default());
    }
}
