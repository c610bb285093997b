//! Property tests: any state within the limits survives encode → decode exactly, the
//! link is the same every time, and decoding arbitrary text never panics.
#![cfg(not(target_arch = "wasm32"))]

use layerlab_share::{decode, encode, Limits, ShareState, SharedFile};
use proptest::prelude::*;

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec("[a-zA-Z0-9 ._<>\"'&é-]{1,8}", 1..4)
        .prop_filter_map("no dot parts", |parts| {
            (!parts.iter().any(|p| p == "." || p == "..")).then(|| parts.join("/"))
        })
}

fn file() -> impl Strategy<Value = SharedFile> {
    prop_oneof![
        any::<String>().prop_map(SharedFile::Text),
        (0u64..1 << 20).prop_map(SharedFile::Sized),
    ]
}

fn state() -> impl Strategy<Value = ShareState> {
    (
        prop::collection::btree_map(path(), file(), 0..12),
        prop::collection::btree_set(path(), 0..4),
        path(),
        any::<String>(),
        ".{0,12}",
        any::<bool>(),
        "[a-z_-]{0,12}",
        prop::option::of(path()),
    )
        .prop_map(
            |(files, dirs, dockerfile, build_args, target, no_cache, view, open)| ShareState {
                files,
                dirs,
                dockerfile,
                build_args,
                target,
                no_cache,
                view,
                open: open.unwrap_or_default(),
            },
        )
}

proptest! {
    #[test]
    fn states_round_trip_exactly(s in state()) {
        let limits = Limits::default();
        let link = encode(&s, &limits).unwrap();
        prop_assert_eq!(&link, &encode(&s.clone(), &limits).unwrap());
        prop_assert_eq!(decode(&link, &limits).unwrap(), s);
    }

    #[test]
    fn arbitrary_links_never_panic(text in "(v1:)?[A-Za-z0-9_-]{0,200}") {
        let _ = decode(&text, &Limits::default());
    }

    #[test]
    fn corrupted_links_never_panic(s in state(), at in any::<prop::sample::Index>(), c in "[A-Za-z0-9_-]") {
        let link = encode(&s, &Limits::default()).unwrap();
        let i = 3 + at.index(link.len() - 3).min(link.len() - 4);
        let mut bad = link.clone();
        bad.replace_range(i..i + 1, &c);
        if let Ok(back) = decode(&bad, &Limits::default()) {
            // Whatever still decodes is a valid state that encodes back to itself.
            let again = encode(&back, &Limits::default()).unwrap();
            prop_assert_eq!(decode(&again, &Limits::default()).unwrap(), back);
        }
    }
}

/// The fuzz seeds were written by an independent implementation of the v1 layout
/// (Python's `zlib` for the raw deflate, `base64.urlsafe_b64encode` for the text), so
/// these check the format against its description rather than against itself.
#[test]
fn links_written_by_another_implementation_open() {
    let limits = Limits::default();
    let starter = decode(
        include_str!("../../../fuzz/seeds/share_decode/starter"),
        &limits,
    )
    .unwrap();
    assert_eq!(starter.open, "server.js");
    assert_eq!(starter.view, "build");
    assert!(starter.no_cache);
    assert_eq!(starter.build_args, "NODE_ENV=production\n");
    assert_eq!(
        starter.files.get("node_modules/x/index.js"),
        Some(&SharedFile::Sized(224))
    );
    assert!(starter.dirs.contains("empty"));
    let again = encode(&starter, &limits).unwrap();
    assert_eq!(decode(&again, &limits).unwrap(), starter);

    let hostile = decode(
        include_str!("../../../fuzz/seeds/share_decode/hostile-names"),
        &limits,
    )
    .unwrap();
    assert_eq!(
        hostile.files.get("<img src=x onerror=alert(1)>"),
        Some(&SharedFile::Text("<script>alert(1)</script>".into()))
    );
    let multi = decode(
        include_str!("../../../fuzz/seeds/share_decode/multistage"),
        &limits,
    )
    .unwrap();
    assert_eq!(
        (multi.dockerfile.as_str(), multi.target.as_str()),
        ("build/Dockerfile", "build")
    );
    let newer = decode(
        include_str!("../../../fuzz/seeds/share_decode/newer-version"),
        &limits,
    );
    assert!(newer.unwrap_err().to_string().contains("newer layerlab"));
}
