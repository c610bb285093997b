//! Layer tar + sha256 throughput on a 200 MB / 20,000-file change set, against plain
//! sha256 over the same bytes (the physical limit) and synthetic generation alone.
//!
//! Run: `cargo bench -p layerlab_image --bench layer_throughput --profile fast`
//! (`LAYERLAB_BENCH_MB=50` for a smaller set).
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark measures time on the host"
)]

use layerlab_image::{Layer, LayerOptions};
use layerlab_vfs::{diff, Content, Fs, Hasher, Meta, VfsPath};
use std::time::Instant;

fn main() {
    let total_mb: u64 = std::env::var("LAYERLAB_BENCH_MB")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);
    let files = 20_000u64 * total_mb / 200;
    let per_file = total_mb * 1_000_000 / files;

    let t = Instant::now();
    let base = Fs::default();
    let mut fs = base.clone();
    for i in 0..files {
        let dir = VfsPath::new(&format!("/usr/share/pkg{:03}/sub{}", i % 500, i % 7));
        fs.mkdir_p(&dir, Meta::new(0o755)).unwrap();
        // Sizes vary around the mean so tar padding is exercised.
        let len = per_file / 2 + (i * 7919) % per_file;
        fs.write_file(
            &dir.child(&format!("file{i}.bin")),
            Content::synthetic(i, len),
            Meta::new(0o644),
        )
        .unwrap();
    }
    let build = t.elapsed();

    let t = Instant::now();
    let changes = diff(&base, &fs);
    let layer = Layer::from_changes(&fs, &changes, &LayerOptions::default());
    let plan = t.elapsed();
    let size = layer.tar_size();
    let mb = size as f64 / 1e6;

    let t = Instant::now();
    let mut h = Hasher::default();
    layer.write_tar(&mut h).unwrap();
    let diff_id = h.finish();
    let tar_hash = t.elapsed();

    let t = Instant::now();
    let mut sink = std::io::sink();
    layer.write_tar(&mut sink).unwrap();
    let tar_only = t.elapsed();

    let bytes = layer.to_tar();
    let t = Instant::now();
    let plain = layerlab_vfs::Digest::of(&bytes);
    let sha_only = t.elapsed();
    assert_eq!(plain, diff_id);

    let image = layerlab_image::Image::new(
        layerlab_image::ImageConfig {
            architecture: "amd64".into(),
            os: "linux".into(),
            ..Default::default()
        },
        vec![layer.clone()],
    );
    drop(bytes);
    let archive = layerlab_image::oci_archive_bytes(&image, &Default::default());
    let t = Instant::now();
    let imported = layerlab_image::import_archive(&archive, &Default::default()).unwrap();
    let import = t.elapsed();
    assert_eq!(imported.layers[0].diff_id, diff_id);
    let t = Instant::now();
    let layers: Vec<_> = imported.layers.iter().map(|l| l.layer.clone()).collect();
    let ex = layerlab_image::Exploration::new(&layers).unwrap();
    let explore = t.elapsed();
    assert_eq!(ex.fs.walk().len(), layer.entries().len());

    let rate = |d: std::time::Duration| mb / d.as_secs_f64();
    println!(
        "change set: {} entries, {files} files, tar {size} bytes ({mb:.1} MB)",
        layer.entries().len()
    );
    println!(
        "build tree (vfs ops):           {:>8.1} ms",
        build.as_secs_f64() * 1e3
    );
    println!(
        "diff + layer plan:              {:>8.1} ms",
        plan.as_secs_f64() * 1e3
    );
    println!(
        "tar stream (generate, discard): {:>8.1} ms  {:>7.1} MB/s",
        tar_only.as_secs_f64() * 1e3,
        rate(tar_only)
    );
    println!(
        "tar stream + sha256 (diff_id):  {:>8.1} ms  {:>7.1} MB/s",
        tar_hash.as_secs_f64() * 1e3,
        rate(tar_hash)
    );
    println!(
        "plain sha256 over same bytes:   {:>8.1} ms  {:>7.1} MB/s",
        sha_only.as_secs_f64() * 1e3,
        rate(sha_only)
    );
    println!(
        "import archive (verify, parse): {:>8.1} ms  {:>7.1} MB/s",
        import.as_secs_f64() * 1e3,
        rate(import)
    );
    println!(
        "explore (apply, origins):       {:>8.1} ms",
        explore.as_secs_f64() * 1e3
    );
    println!("diff_id {diff_id}");
}
