//! Exploring a stack the size of a large base image: a 20,000-file layer, a layer that
//! overwrites every tenth file and one that deletes a tenth of the directories, then
//! the waste report. This is what the Layers view does when it first opens.
//!
//! Run: `cargo bench -p layerlab_image --bench explore_waste --profile fast`
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark measures time on the host"
)]

use layerlab_image::{Exploration, Layer, LayerOptions, WasteReport};
use layerlab_vfs::{Content, Fs, Meta, VfsPath};
use std::time::Instant;

fn main() {
    let files = 20_000u64;
    let dir = |i: u64| VfsPath::new(&format!("/usr/share/pkg{:03}", i % 500));
    let mut fs = Fs::default();
    let mut snapshots = vec![fs.clone()];
    for i in 0..files {
        fs.mkdir_p(&dir(i), Meta::new(0o755)).unwrap();
        let file = dir(i).child(&format!("file{i}"));
        fs.write_file(
            &file,
            Content::synthetic(i, 4096 + i % 1000),
            Meta::new(0o644),
        )
        .unwrap();
    }
    snapshots.push(fs.clone());
    for i in (0..files).step_by(10) {
        let file = dir(i).child(&format!("file{i}"));
        fs.write_file(&file, Content::synthetic(i + files, 100), Meta::new(0o644))
            .unwrap();
    }
    snapshots.push(fs.clone());
    for d in (0..500).step_by(10) {
        fs.remove(&dir(d)).unwrap();
    }
    snapshots.push(fs);
    let opts = LayerOptions::default();
    let layers: Vec<Layer> = snapshots
        .windows(2)
        .map(|w| Layer::between(&w[0], &w[1], &opts))
        .collect();

    let t = Instant::now();
    let ex = Exploration::new(&layers).unwrap();
    let explore = t.elapsed();
    let t = Instant::now();
    let waste = WasteReport::new(&ex);
    let report = t.elapsed();
    println!(
        "explore {} entries in 3 layers: {:.1} ms; waste report ({} paths, {} wasted bytes, efficiency {:.3}): {:.1} ms",
        layers.iter().map(|l| l.entries().len()).sum::<usize>(),
        explore.as_secs_f64() * 1e3,
        waste.paths.len(),
        waste.wasted_bytes,
        waste.efficiency(),
        report.as_secs_f64() * 1e3,
    );
}
