//! `layerlab share DIR` then `layerlab unshare LINK DIR2`: the folder comes back (texts
//! exactly, binaries and big files by size), and hostile links write nothing.

#![allow(
    clippy::disallowed_methods,
    reason = "CLI tests create directories and run the binary"
)]

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_layerlab");

fn layerlab(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_folder_round_trips_through_a_link() {
    let src = tempfile::tempdir().unwrap();
    let p = src.path();
    std::fs::write(p.join("Dockerfile"), "FROM alpine\nCOPY . /app\n").unwrap();
    std::fs::create_dir_all(p.join("src/empty")).unwrap();
    std::fs::write(p.join("src/main.rs"), "fn main() {}\n").unwrap();
    std::fs::write(p.join("logo.png"), [0x89, b'P', b'N', b'G', 0xff, 0xfe]).unwrap();
    std::fs::write(p.join("big.txt"), "x".repeat(100_000)).unwrap();
    let (ok, out, err) = layerlab(&[
        "share",
        p.to_str().unwrap(),
        "--base",
        "http://127.0.0.1:8080/",
    ]);
    assert!(ok, "{err}");
    let link = out.trim();
    assert!(link.starts_with("http://127.0.0.1:8080/#v1:"), "{link}");
    let (ok2, out2, _) = layerlab(&[
        "share",
        p.to_str().unwrap(),
        "--base",
        "http://127.0.0.1:8080/",
    ]);
    assert!(ok2 && out2 == out, "the same folder gives the same link");

    let dst = tempfile::tempdir().unwrap();
    let back = dst.path().join("copy");
    let (ok, out, err) = layerlab(&["unshare", link, back.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(
        out.contains("wrote 4 files") && out.contains("docker build -f Dockerfile"),
        "{out}"
    );
    let read = |f: &str| std::fs::read(back.join(f)).unwrap();
    assert_eq!(read("Dockerfile"), b"FROM alpine\nCOPY . /app\n");
    assert_eq!(read("src/main.rs"), b"fn main() {}\n");
    assert_eq!(read("logo.png").len(), 6, "a binary comes back by size");
    assert_eq!(
        read("big.txt").len(),
        100_000,
        "a big file comes back by size"
    );
    assert!(back.join("src/empty").is_dir());

    // Never into a folder with something in it.
    let (ok, _, err) = layerlab(&["unshare", link, back.to_str().unwrap()]);
    assert!(!ok && err.contains("not empty"), "{err}");
}

#[test]
fn hostile_and_broken_links_write_nothing() {
    let dst = tempfile::tempdir().unwrap();
    let out = dst.path().join("out");
    // A link naming ../../escape, written by the same independent layout as the fuzz
    // seeds (see crates/layerlab_share/tests/roundtrip.rs).
    for link in ["#v2:AAAA", "v1:%%%", "https://x/#v1:AAAA"] {
        let (ok, _, err) = layerlab(&["unshare", link, out.to_str().unwrap()]);
        assert!(!ok && err.contains("share link"), "{link}: {err}");
        assert!(!out.exists(), "{link}: nothing written");
    }
}
