//! Byte-exact vectors from the shared semantics reference (§5.1, §5.3, §5.4) and the
//! fixed demo image whose digests the wasm test asserts too.

use layerlab_image::{
    chain_id, read_tar, ContainerConfig, History, ImageConfig, Layer, LayerOptions, TarLimits,
};
use layerlab_vfs::{diff, Content, Digest, Fs, Meta, VfsPath};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn p(s: &str) -> VfsPath {
    VfsPath::new(s)
}

const T: i64 = 1704067200;

fn hello_layer() -> Layer {
    let base = Fs::default();
    let mut fs = base.clone();
    fs.mkdir_p(&p("/app"), Meta::new(0o755).with_mtime(T))
        .unwrap();
    fs.write_file(
        &p("/app/hello.txt"),
        Content::inline("hello\n"),
        Meta::new(0o644).with_mtime(T),
    )
    .unwrap();
    Layer::from_changes(&fs, &diff(&base, &fs), &LayerOptions::default())
}

#[test]
fn layer_matches_go_archive_tar_vector() {
    let layer = hello_layer();
    let tar = layer.to_tar();
    assert_eq!(tar.len(), 2560);
    assert_eq!(layer.tar_size(), 2560);
    assert_eq!(
        layer.diff_id().to_string(),
        "sha256:44e177555443b4bce09634c8e211d400473003146603712c4d8135cb2800918a"
    );
    // Header fields of the file entry, as listed in semantics.md §5.1.
    let h = &tar[512..1024];
    assert_eq!(&h[0..14], b"app/hello.txt\0");
    assert_eq!(&h[100..108], b"0000644\0");
    assert_eq!(&h[124..136], b"00000000006\0");
    assert_eq!(&h[136..148], b"14544400200\0");
    assert_eq!(&h[148..156], b"011655\0 ");
    assert_eq!(&h[257..265], b"ustar\x0000");
    assert_eq!(&h[329..345], b"0000000\x000000000\x00");
    let entries = read_tar(&tar, &TarLimits::default()).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].name, "app/hello.txt");
}

#[test]
fn empty_layer_is_1024_zero_bytes() {
    let layer = Layer::default();
    assert_eq!(layer.to_tar(), vec![0u8; 1024]);
    assert_eq!(
        layer.diff_id().to_string(),
        "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"
    );
}

#[test]
fn chain_id_matches_reference_example() {
    let a =
        Digest::parse("sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1")
            .unwrap();
    let b =
        Digest::parse("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef")
            .unwrap();
    assert_eq!(chain_id(&[a]), Some(a));
    assert_eq!(
        chain_id(&[a, b]).unwrap().to_string(),
        "sha256:c3191d32a37d7159b2e30830937d2e30268ad6c375a773a8994911a3aba9b93f"
    );
}

#[test]
fn config_bytes_match_buildkit_shape() {
    let created = layerlab_image::rfc3339(T);
    assert_eq!(created, "2024-01-01T00:00:00Z");
    let config = ImageConfig {
        architecture: "amd64".into(),
        os: "linux".into(),
        created: Some(created.clone()),
        config: ContainerConfig {
            env: vec!["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()],
            cmd: vec!["/app/hello.txt".into()],
            working_dir: Some("/".into()),
            args_escaped: true,
            ..ContainerConfig::default()
        },
        diff_ids: vec![hello_layer().diff_id()],
        history: vec![
            History {
                created: Some(created.clone()),
                created_by: Some("COPY app /app # buildkit".into()),
                comment: Some("buildkit.dockerfile.v0".into()),
                ..History::default()
            },
            History {
                created: Some(created),
                created_by: Some("CMD [\"/app/hello.txt\"]".into()),
                comment: Some("buildkit.dockerfile.v0".into()),
                empty_layer: true,
                ..History::default()
            },
        ],
        ..ImageConfig::default()
    };
    let bytes = config.to_bytes();
    assert_eq!(bytes.len(), 583);
    assert_eq!(
        config.image_id().to_string(),
        "sha256:444ebfc8cb50608ee298aaa964810a06141892390343bbe59d618706bcac436a"
    );
    assert_eq!(ImageConfig::from_json(&bytes).unwrap(), config);
}

/// Go's `omitempty` strings: `""` reads as absent, so a config read from bytes with
/// empty strings equals the one read back from its own bytes (which leave them out).
#[test]
fn empty_omitempty_strings_read_as_absent() {
    let bytes = br#"{"architecture":"amd64","os":"linux","variant":"","config":{"User":"","WorkingDir":""},"rootfs":{"type":"layers","diff_ids":[]},"history":[{"created_by":"","comment":""}]}"#;
    let config = ImageConfig::from_json(bytes).unwrap();
    assert_eq!((&config.config.user, &config.variant), (&None, &None));
    assert_eq!(config.history[0].created_by, None);
    assert_eq!(ImageConfig::from_json(&config.to_bytes()).unwrap(), config);
}

#[test]
fn rfc3339_formats_far_dates() {
    assert_eq!(layerlab_image::rfc3339(0), "1970-01-01T00:00:00Z");
    assert_eq!(layerlab_image::rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    assert_eq!(layerlab_image::rfc3339(-1), "1969-12-31T23:59:59Z");
}

#[test]
fn content_digest_tracks_the_tar_without_hashing_it() {
    let a = hello_layer();
    let b = hello_layer();
    assert_eq!(a.content_digest(), b.content_digest());
    assert!(
        a.cached_diff_id().is_none(),
        "content_digest must not hash the tar"
    );
    let base = Fs::default();
    let mut fs = base.clone();
    fs.mkdir_p(&p("/app"), Meta::new(0o755).with_mtime(T))
        .unwrap();
    fs.write_file(
        &p("/app/hello.txt"),
        Content::inline("hello!"),
        Meta::new(0o644).with_mtime(T),
    )
    .unwrap();
    let c = Layer::between(&base, &fs, &LayerOptions::default());
    assert_ne!(c.content_digest(), a.content_digest());
}
