//! The same bytes natively and in wasm: digests of the fixed demo image (layers,
//! config, OCI and docker archives, gzip layers) are constants asserted on both targets.
//!
//! Native: `cargo test -p layerlab_image --test digests`. Wasm (Node):
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test -p layerlab_image --target wasm32-unknown-unknown --test digests`.

use layerlab_image::{
    demo_image, docker_archive_bytes, oci_archive_bytes, ArchiveOptions, Compression, Reference,
};
use layerlab_vfs::Digest;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const DIFF_IDS: [&str; 3] = [
    "sha256:82a7c008b5e2c35af405aada69d41cf4bfad12fa36774df3a6323dbd86970432",
    "sha256:f6ed3891063b139be5e9d56ea787594292c0edf175cff4714cba373fa68e2cb5",
    "sha256:825d6cba8e2d8388b3cc84fdc80483692a91e70a08892069932b4494e2de265f",
];
const IMAGE_ID: &str = "sha256:110625970669157b1e24cc1da9ca7a7834dd8abbbacc7d9ba24151bcfc9f280e";
const OCI_ARCHIVE: &str = "sha256:7c37d43ca22f0a9de92c60c6362223f6751e1970539e9cbb945dceb5550d6970";
const OCI_GZIP_ARCHIVE: &str =
    "sha256:595e35bcff4c5e07edfe3bdf649a83cdd662d1905ef49df023861430760ed2ad";
const DOCKER_ARCHIVE: &str =
    "sha256:462aecb3d4b4c426f64d8f5822c2475dd1d8a45f7da2f974370e2e69f6e0b32c";

fn opts(compression: Compression) -> ArchiveOptions {
    ArchiveOptions {
        tags: vec![Reference::parse_docker("layerlab/demo:latest").unwrap()],
        mtime: 1704067200,
        compression,
    }
}

#[test]
fn demo_image_digests_are_the_same_on_every_target() {
    let image = demo_image(1704067200);
    let diff_ids: Vec<String> = image
        .layers
        .iter()
        .map(|l| l.diff_id().to_string())
        .collect();
    assert_eq!(diff_ids, DIFF_IDS);
    assert_eq!(image.id().to_string(), IMAGE_ID);
    let oci = Digest::of(&oci_archive_bytes(&image, &opts(Compression::None))).to_string();
    let gz = Digest::of(&oci_archive_bytes(&image, &opts(Compression::Gzip))).to_string();
    let docker = Digest::of(&docker_archive_bytes(&image, &opts(Compression::None))).to_string();
    assert_eq!(
        [oci.as_str(), gz.as_str(), docker.as_str()],
        [OCI_ARCHIVE, OCI_GZIP_ARCHIVE, DOCKER_ARCHIVE]
    );
}
