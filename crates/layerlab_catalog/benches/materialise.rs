//! Time to resolve each catalog image and materialise its filesystem (all layers
//! applied onto an empty `Fs`), the cost `FROM` pays in a build. Plain `std::time`
//! timing, median of several runs:
//! `cargo bench -p layerlab_catalog --bench materialise` (or `--profile fast`).
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark measures time on the host"
)]

use layerlab_catalog::Catalog;
use layerlab_image::Platform;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let platform = Platform {
        os: "linux".into(),
        architecture: "amd64".into(),
        variant: None,
    };
    let t0 = Instant::now();
    let catalog = Catalog::builtin();
    println!(
        "Catalog::builtin(): {:.2} ms (first call)",
        t0.elapsed().as_secs_f64() * 1e3
    );
    let mut rows = Vec::new();
    for e in catalog.list() {
        let r = format!("{}:{}", e.name, e.tags[0]);
        let mut resolve = Vec::new();
        let mut build = Vec::new();
        let mut entries = 0;
        for _ in 0..7 {
            let t = Instant::now();
            let img = catalog.resolve(&r, &platform).unwrap();
            resolve.push(t.elapsed());
            let t = Instant::now();
            let fs = img.rootfs().unwrap();
            build.push(t.elapsed());
            entries = fs.walk().len();
        }
        rows.push((r, e.size, entries, median(resolve), median(build)));
    }
    rows.sort_by_key(|r| std::cmp::Reverse(r.4));
    println!(
        "{:<48} {:>9} {:>8} {:>10} {:>12}",
        "image", "size MB", "entries", "resolve ms", "rootfs ms"
    );
    for (r, size, entries, res, build) in &rows {
        println!(
            "{r:<48} {:>9.1} {entries:>8} {:>10.3} {:>12.3}",
            *size as f64 / 1e6,
            res.as_secs_f64() * 1e3,
            build.as_secs_f64() * 1e3
        );
    }
}
