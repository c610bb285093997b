//! Properties of paths and operations on arbitrary input: normalization is idempotent
//! and stays under `/`; no operation panics; resolution never leaves the tree;
//! snapshots are unaffected by later writes.
#![cfg(not(target_arch = "wasm32"))]

use layerlab_vfs::{diff, Content, Fs, Meta, VfsPath};
use proptest::prelude::*;

fn segment() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["a", "b", "..", ".", "", "c d", "l1", "l2", "\u{e9}"])
        .prop_map(str::to_owned)
}

fn raw_path() -> impl Strategy<Value = String> {
    (any::<bool>(), prop::collection::vec(segment(), 0..6))
        .prop_map(|(abs, v)| format!("{}{}", if abs { "/" } else { "" }, v.join("/")))
}

proptest! {
    #[test]
    fn normalization_is_idempotent_and_rooted(s in ".{0,40}", t in raw_path()) {
        for s in [s, t] {
            let p = VfsPath::new(&s);
            prop_assert!(p.as_str().starts_with('/'));
            prop_assert!(!p.components().any(|c| c == "." || c == ".." || c.is_empty()));
            prop_assert_eq!(VfsPath::new(p.as_str()), p.clone());
            if let Some(parent) = p.parent() {
                prop_assert!(p.starts_with(&parent));
            }
        }
    }

    #[test]
    fn operations_never_panic_and_resolution_stays_inside(
        ops in prop::collection::vec((0u8..7, raw_path(), raw_path()), 0..40),
    ) {
        let mut fs = Fs::default();
        let m = Meta::new(0o755);
        let mut snapshots = Vec::new();
        for (op, a, b) in &ops {
            let (pa, pb) = (VfsPath::new(a), VfsPath::new(b));
            let _ = match op {
                0 => fs.mkdir_p(&pa, m),
                1 => fs.write_file(&pa, Content::inline(b.as_bytes()), m),
                2 => fs.symlink(b, &pa, m),
                3 => fs.remove(&pa).map(|_| ()),
                4 => fs.rename(&pa, &pb),
                5 => fs.set_mode(&pa, 0o700),
                _ => fs.chown(&pa, 1, 1),
            };
            if let Ok(real) = fs.resolve(&pb, true) {
                prop_assert!(real.as_str().starts_with('/'));
            }
            snapshots.push((fs.clone(), fs.walk().len()));
        }
        // Earlier snapshots still have exactly what they had.
        for (snap, n) in &snapshots {
            prop_assert_eq!(snap.walk().len(), *n);
        }
        if let Some((first, _)) = snapshots.first() {
            let d = diff(first, &fs);
            // The root's own metadata is outside diffs (layers have no `/` entry).
            prop_assert_eq!(d.is_empty(), first.walk() == fs.walk());
        }
    }
}
