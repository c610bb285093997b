//! Parse throughput over the whole shared corpus (933 real Dockerfiles), natively.
//!
//! `cargo bench -p layerlab_dockerfile --bench parse_corpus --profile fast`
//! Prints MB/s and files/s for `parse` alone and for `parse` + `highlight` + `check`.
//! BuildKit's Go parser does about 8.8 MB/s (3,100 files/s) on this corpus on one core.
#![allow(
    clippy::disallowed_methods,
    reason = "the bench reads the shared corpus and times itself"
)]

use std::time::Instant;

fn main() {
    let Some(shared) = layerlab_testkit::shared_dir("parse_corpus bench") else {
        return;
    };
    let dir = shared.join("corpus/dockerfiles");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    files.sort();
    let bytes: usize = files.iter().map(String::len).sum();
    let passes = std::env::args()
        .skip(1)
        .find_map(|a| a.parse::<usize>().ok())
        .unwrap_or(20);
    let mut sink = 0usize;
    // Warm up once.
    for f in &files {
        sink += layerlab_dockerfile::parse(f).dockerfile.instructions.len();
    }
    let t = Instant::now();
    for _ in 0..passes {
        for f in &files {
            sink += layerlab_dockerfile::parse(f).dockerfile.instructions.len();
        }
    }
    report(
        "parse",
        t.elapsed().as_secs_f64(),
        passes,
        files.len(),
        bytes,
    );
    let t = Instant::now();
    for _ in 0..passes {
        for f in &files {
            let p = layerlab_dockerfile::parse(f);
            sink += layerlab_dockerfile::highlight(f, &p).len();
            sink += layerlab_dockerfile::check(f, &p).len();
        }
    }
    report(
        "parse+highlight+check",
        t.elapsed().as_secs_f64(),
        passes,
        files.len(),
        bytes,
    );
    eprintln!("(checksum {sink})");
}

fn report(what: &str, secs: f64, passes: usize, files: usize, bytes: usize) {
    let mb = (bytes * passes) as f64 / 1e6;
    println!(
        "{what}: {} files, {:.2} MB x {passes} passes in {secs:.3} s = {:.1} MB/s, {:.0} files/s",
        files,
        bytes as f64 / 1e6,
        mb / secs,
        (files * passes) as f64 / secs
    );
}
