//! Bad archives: traversal, symlink tricks, bombs, truncation, tampering. Each must be
//! a clear error with a location (or, for symlink tricks, be neutralized), never a panic.

use layerlab_image::{
    apply_layer, demo_image, import_archive, oci_archive_bytes, read_layer, write_header,
    ArchiveOptions, Compression, ErrorKind, HeaderSpec, Image, ImageConfig, ImportLimits, Layer,
    LayerEntry, TarLimits, BLOCK,
};
use layerlab_vfs::{Content, Fs, Meta, VfsPath};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn tar_of(entries: &[(&str, u8, &str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, typeflag, link, data) in entries {
        write_header(
            &HeaderSpec {
                name,
                typeflag: *typeflag,
                mode: 0o644,
                uid: 0,
                gid: 0,
                size: data.len() as u64,
                mtime: 0,
                linkname: link,
            },
            &mut out,
        );
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

#[test]
fn traversal_names_are_rejected_with_entry_and_offset() {
    let cases: [(&str, u8, &str); 4] = [
        ("../etc/passwd", b'0', ""),
        ("a/../../etc/passwd", b'0', ""),
        ("/etc/passwd", b'0', ""),
        ("x", b'1', "../../etc/shadow"),
    ];
    for (name, ty, link) in cases {
        let tar = tar_of(&[("ok.txt", b'0', "", b"fine"), (name, ty, link, b"")]);
        let err = read_layer(&tar, &TarLimits::default()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::UnsafePath, "{name}");
        assert_eq!(err.location.entry.as_deref(), Some(name));
        assert_eq!(
            err.location.offset,
            Some(1024),
            "{name}: header of the second entry"
        );
    }
    let err = read_layer(
        &tar_of(&[("dir/.wh.", b'0', "", b"")]),
        &TarLimits::default(),
    )
    .unwrap_err();
    assert_eq!(err.message, "invalid whiteout name");
    assert_eq!(
        read_layer(&tar_of(&[("../x", b'0', "", b"")]), &TarLimits::default())
            .unwrap_err()
            .to_string(),
        "entry \"../x\": at byte 0: path escapes the layer root with `..`: \"../x\""
    );
}

#[test]
fn symlink_tricks_stay_inside_the_root() {
    // `link -> ../../../../etc`, then a file written *through* the link: the model
    // resolves inside its own root, so the write lands on the image's /etc.
    let tar = tar_of(&[
        ("link", b'2', "../../../../etc", b""),
        ("link/passwd", b'0', "", b"pwned"),
        ("abs", b'2', "/", b""),
        ("abs/root.txt", b'0', "", b"r"),
    ]);
    let (layer, _) = read_layer(&tar, &TarLimits::default()).unwrap();
    let mut fs = Fs::default();
    fs.mkdir(&VfsPath::new("/etc"), Meta::new(0o755)).unwrap();
    apply_layer(&mut fs, &layer).unwrap();
    assert_eq!(
        fs.read_file(&VfsPath::new("/etc/passwd")).unwrap().to_vec(),
        b"pwned"
    );
    assert_eq!(
        fs.read_file(&VfsPath::new("/root.txt")).unwrap().to_vec(),
        b"r"
    );
}

fn big_image() -> Image {
    let big = LayerEntry {
        path: VfsPath::new("/zeros"),
        kind: layerlab_image::EntryKind::File(Content::inline(vec![0u8; 4 << 20])),
        meta: Meta::new(0o644),
    };
    let config = ImageConfig {
        architecture: "amd64".into(),
        os: "linux".into(),
        ..ImageConfig::default()
    };
    Image::new(config, vec![Layer::from_entries(vec![big])])
}

#[test]
fn gzip_bombs_hit_the_inflate_cap() {
    let opts = ArchiveOptions {
        compression: Compression::Gzip,
        ..ArchiveOptions::default()
    };
    let bytes = oci_archive_bytes(&big_image(), &opts);
    assert!(bytes.len() < 64 << 10, "4 MiB of zeros compress well");
    let limits = ImportLimits {
        max_layer_bytes: 1 << 20,
        ..ImportLimits::default()
    };
    let err = import_archive(&bytes, &limits).unwrap_err();
    assert_eq!(err.kind, ErrorKind::LimitExceeded);
    assert!(err.to_string().starts_with("blobs/sha256/"), "{err}");
    assert!(err.message.contains("decompression bomb"));
    assert!(import_archive(&bytes, &ImportLimits::default()).is_ok());
}

#[test]
fn truncated_archives_are_malformed_tar_errors() {
    let bytes = oci_archive_bytes(&demo_image(0), &ArchiveOptions::default());
    for cut in [100, 700, 5000, bytes.len() / 2, bytes.len() - 1500] {
        let err = import_archive(&bytes[..cut], &ImportLimits::default()).unwrap_err();
        assert!(
            matches!(err.kind, ErrorKind::MalformedTar | ErrorKind::MissingFile),
            "cut at {cut}: {err}"
        );
    }
    let err = import_archive(&bytes[..700], &ImportLimits::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "archive: at byte 0: truncated tar entry padding"
    );
}

#[test]
fn tampered_blobs_fail_digest_verification() {
    let image = demo_image(0);
    let mut bytes = oci_archive_bytes(&image, &ArchiveOptions::default());
    // Corrupt content inside the first layer blob: find a run of the synthetic file.
    let needle = image.layers[0].to_tar()[2048..2080].to_vec();
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap();
    bytes[at + 5] ^= 0xff;
    let err = import_archive(&bytes, &ImportLimits::default()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::DigestMismatch);
    assert!(
        err.to_string().contains(&image.layers[0].diff_id().hex()),
        "{err}"
    );
}

#[test]
fn entry_count_and_garbage_are_capped() {
    let entries: Vec<(String, u8, &str, &[u8])> = (0..50)
        .map(|i| (format!("f{i}"), b'0', "", &b""[..]))
        .collect();
    let refs: Vec<(&str, u8, &str, &[u8])> = entries
        .iter()
        .map(|(n, t, l, d)| (n.as_str(), *t, *l, *d))
        .collect();
    let limits = TarLimits {
        max_entries: 10,
        ..TarLimits::default()
    };
    let err = read_layer(&tar_of(&refs), &limits).unwrap_err();
    assert_eq!(err.kind, ErrorKind::LimitExceeded);
    let err = import_archive(b"definitely not a tar", &ImportLimits::default()).unwrap_err();
    assert_eq!(err.kind, ErrorKind::MalformedTar);
    let err = import_archive(
        &tar_of(&[("hello", b'0', "", b"x")]),
        &ImportLimits::default(),
    )
    .unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unsupported);
}

#[test]
fn legacy_docker_save_with_linked_layer_members_imports() {
    // Docker <= 24 / skopeo shape: `<id>/layer.tar` members, here as symlinks and hard
    // links to the real blobs, referenced from manifest.json.
    let image = demo_image(0);
    let config = image.config.to_bytes();
    let config_name = format!("{}.json", image.id().hex());
    let tars: Vec<Vec<u8>> = image.layers.iter().map(Layer::to_tar).collect();
    let names: Vec<String> = image
        .layers
        .iter()
        .map(|l| format!("{}.tar", l.diff_id().hex()))
        .collect();
    let manifest = format!(
        r#"[{{"Config":"{config_name}","RepoTags":["demo:1"],"Layers":["l0/layer.tar","l1/layer.tar","{}"]}}]"#,
        names[2]
    );
    let mut entries: Vec<(&str, u8, &str, &[u8])> = vec![
        ("manifest.json", b'0', "", manifest.as_bytes()),
        (config_name.as_str(), b'0', "", &config),
    ];
    for (n, t) in names.iter().zip(&tars) {
        entries.push((n.as_str(), b'0', "", t));
    }
    let sym = format!("../{}", names[0]);
    entries.push(("l0/layer.tar", b'2', &sym, b""));
    entries.push(("l1/layer.tar", b'1', &names[1], b""));
    let img = import_archive(&tar_of(&entries), &ImportLimits::default()).unwrap();
    assert_eq!(img.tags, ["demo:1"]);
    assert_eq!(img.config_digest, image.id());
    assert_eq!(img.layers.len(), 3);
    // A loop of links is a missing member, not a hang.
    let looped = tar_of(&[
        (
            "manifest.json",
            b'0',
            "",
            br#"[{"Config":"a","Layers":[]}]"#,
        ),
        ("a", b'2', "b", b""),
        ("b", b'2', "a", b""),
    ]);
    assert_eq!(
        import_archive(&looped, &ImportLimits::default())
            .unwrap_err()
            .kind,
        ErrorKind::MissingFile
    );
}

#[test]
fn opaque_whiteouts_hide_lower_children_and_hard_links_copy() {
    let lower = tar_of(&[
        ("d/", b'5', "", b""),
        ("d/old", b'0', "", b"old"),
        ("d/keep-me-not", b'0', "", b"x"),
        ("f", b'0', "", b"data"),
    ]);
    let upper = tar_of(&[
        ("d/new", b'0', "", b"new"),
        ("d/.wh..wh..opq", b'0', "", b""),
        ("h", b'1', "f", b""),
        (".wh.f", b'0', "", b""),
    ]);
    let mut fs = Fs::default();
    for t in [&lower, &upper] {
        apply_layer(&mut fs, &read_layer(t, &TarLimits::default()).unwrap().0).unwrap();
    }
    let names: Vec<String> = fs.walk().iter().map(|(p, _)| p.to_string()).collect();
    // The opaque marker applies first: `d/new` from the same layer survives.
    assert_eq!(names, ["/d", "/d/new", "/h"]);
    assert_eq!(fs.read_file(&VfsPath::new("/h")).unwrap().to_vec(), b"data");
}
