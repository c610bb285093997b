//! Writing an imported image back out: the config bytes the archive stored name the
//! image, and a layer from another tar writer (whose tar layerlab does not reproduce
//! byte for byte) never goes out under a digest its bytes do not have.

use layerlab_image::{
    demo_image, import_archive, oci_archive_bytes, read_layer, write_header, ArchiveOptions,
    HeaderSpec, Image, ImageConfig, ImportLimits, TarLimits, BLOCK,
};
use layerlab_vfs::Digest;

fn archive(image: &Image) -> Vec<u8> {
    oci_archive_bytes(image, &ArchiveOptions::default())
}

#[test]
fn a_stored_config_is_written_as_stored() {
    let demo = demo_image(0);
    let ours = demo.config.to_bytes();
    // Another writer's config: a field layerlab does not model, other spacing.
    let theirs = [&b"{ \"x-vendor\": \"kept\","[..], &ours[1..]].concat();
    let config = ImageConfig::from_json(&theirs).unwrap();
    assert_ne!(
        config.to_bytes(),
        theirs,
        "re-serializing would change the ID"
    );
    let image = Image::new(config, demo.layers.clone()).with_stored_config(theirs.clone());
    assert_eq!(image.id(), Digest::of(&theirs));

    let back = import_archive(&archive(&image), &ImportLimits::default()).unwrap();
    assert_eq!(back.config_bytes, theirs);
    assert_eq!(back.config_digest, image.id());
    let (same, changed) = image.rewritten_for_export();
    assert!(changed.is_empty(), "layerlab's own layers are reproduced");
    assert_eq!(same.id(), image.id());
}

/// A layer tar as other writers make it: a `./` root entry first, which readers
/// skip and layerlab never writes.
fn foreign_tar() -> Vec<u8> {
    let mut out = Vec::new();
    for (name, typeflag, mode, data) in [
        ("./", b'5', 0o755, &b""[..]),
        ("hi.txt", b'0', 0o644, b"hi\n"),
    ] {
        write_header(
            &HeaderSpec {
                name,
                typeflag,
                mode,
                uid: 0,
                gid: 0,
                size: data.len() as u64,
                mtime: 0,
                linkname: "",
            },
            &mut out,
        );
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
    }
    out.extend_from_slice(&[0u8; 2 * BLOCK]);
    out
}

#[test]
fn a_layer_from_another_writer_gets_the_digest_of_what_is_written() {
    let tar = foreign_tar();
    let (layer, _) = read_layer(&tar, &TarLimits::default()).unwrap();
    let mut written = Vec::new();
    layer.write_tar(&mut written).unwrap();
    assert_ne!(written, tar, "no `./` entry");
    let stored = Digest::of(&tar);
    let known = layer.clone().with_known_digests(stored, tar.len() as u64);
    assert_eq!(
        layer.diff_id(),
        Digest::of(&written),
        "the clone's claim stays its own"
    );
    let mut image = Image::new(demo_image(0).config, vec![known]);
    assert_eq!(image.config.diff_ids, [stored]);
    let ours = image.config.to_bytes();
    let theirs = [&b"{\"x-vendor\":\"kept\","[..], &ours[1..]].concat();
    image = image.with_stored_config(theirs);

    // Written as claimed, the blob would not hash to its name: real clients refuse it.
    let err = import_archive(&archive(&image), &ImportLimits::default()).unwrap_err();
    assert!(err.to_string().contains("hashes to"), "{err}");

    let (out, changed) = image.rewritten_for_export();
    assert_eq!(changed, [0]);
    assert_eq!(out.config.diff_ids, [Digest::of(&written)]);
    assert_ne!(out.id(), image.id());
    let back = import_archive(&archive(&out), &ImportLimits::default()).unwrap();
    assert_eq!(back.config_digest, out.id());
    assert_eq!(back.layers[0].diff_id, Digest::of(&written));
    // The stored config's own fields stay; only the diff_ids changed.
    let config = String::from_utf8(back.config_bytes).unwrap();
    assert!(config.starts_with("{\"x-vendor\":\"kept\","), "{config}");
    assert!(
        config.contains(&Digest::of(&written).to_string()),
        "{config}"
    );
}

#[test]
fn a_repeated_rootfs_is_patched_where_readers_look() {
    let tar = foreign_tar();
    let (layer, _) = read_layer(&tar, &TarLimits::default()).unwrap();
    let stored = Digest::of(&tar);
    let image = Image::new(
        demo_image(0).config,
        vec![layer.with_known_digests(stored, tar.len() as u64)],
    );
    let ours = String::from_utf8(image.config.to_bytes()).unwrap();
    // The first `rootfs` is a decoy: Go and layerlab read the last one.
    let theirs = format!("{{\"rootfs\":null,{}", &ours[1..]);
    let (out, changed) = image
        .with_stored_config(theirs.into_bytes())
        .rewritten_for_export();
    assert_eq!(changed, [0]);
    let back = import_archive(&archive(&out), &ImportLimits::default()).unwrap();
    assert!(back.config_bytes.starts_with(b"{\"rootfs\":null,"));
    assert_eq!(back.config.diff_ids, out.config.diff_ids);
}
