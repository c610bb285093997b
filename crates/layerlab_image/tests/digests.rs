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
    "sha256:8bd4d3df5c13b2db2371186758fe0639dced3c372540fe3873c4c158fe4e2c3f",
    "sha256:825d6cba8e2d8388b3cc84fdc80483692a91e70a08892069932b4494e2de265f",
];
const IMAGE_ID: &str = "sha256:5a17a3039355b6675569f28154c4bce3ff583b82b7c2e6a8bd7996aec20af577";
const OCI_ARCHIVE: &str = "sha256:7de7234d9169b8390d6b01d45410ace26befb2d78cc1af4655d69c6be16426bd";
const OCI_GZIP_ARCHIVE: &str =
    "sha256:12f18815fc872ce08a6f436b6ccc1a0568fe2f2afa842e5e6b500cc5343cfe93";
const DOCKER_ARCHIVE: &str =
    "sha256:b09f8c4461286c542ce553b7fde212714710ea608b24597c99d0e61757707f7e";

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
