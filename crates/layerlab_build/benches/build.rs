//! Build benchmark: a tutorial-sized Node project (2,000 context files) built cold, then
//! rebuilt with no change and with one `src/` file edited; base-image resolution alone
//! for reference. Plain `std::time` timing, medians over several runs.
//!
//! `cargo bench -p layerlab_build --bench build --profile fast` (`BENCH_RUNS=n` sets the
//! number of runs per figure, default 9). The project is
//! `layerlab_testkit::scenario::project`, the RUN simulator the scenarios' one.

#![allow(clippy::disallowed_methods, reason = "a benchmark reads the clock")]

use layerlab_build::bases::CatalogBases;
use layerlab_build::cache::CacheStore;
use layerlab_build::engine::{BaseImages, BuildOutput};
use layerlab_build::platform::builder_platform;
use layerlab_build::whatif::{what_if, Edit};
use layerlab_testkit::scenario::project::{context, project, run};
use layerlab_vfs::{Content, Meta, VfsPath};
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn verdicts(out: &BuildOutput) -> String {
    out.report
        .steps
        .iter()
        .map(|s| if s.is_cached() { '✓' } else { '✗' })
        .collect()
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(9);
    let files = project();
    let t = Instant::now();
    let ctx = context(&files);
    let ctx_time = t.elapsed();
    let sent = ctx.walk().iter().filter(|e| !e.1.is_dir()).count();
    println!(
        "project: {} files, {} sent after .dockerignore, {} bytes; context prep {:.1?}",
        files.len(),
        sent,
        ctx.total_file_bytes(),
        ctx_time
    );

    let resolve: Vec<Duration> = (0..runs)
        .map(|_| {
            let bases = CatalogBases::default();
            let t = Instant::now();
            bases
                .resolve("node:20-alpine", &builder_platform())
                .unwrap();
            t.elapsed()
        })
        .collect();
    println!(
        "base resolution (node:20-alpine, fresh memo): median {:.2?}",
        median(resolve)
    );

    let mut last = None;
    let cold: Vec<Duration> = (0..runs)
        .map(|_| {
            let bases = CatalogBases::default();
            let mut cache = CacheStore::default();
            let t = Instant::now();
            let out = run(&ctx, &bases, &mut cache);
            let d = t.elapsed();
            last = Some((bases, cache, out));
            d
        })
        .collect();
    let (bases, mut cache, out) = last.unwrap();
    println!("cold build {}: median {:.2?}", verdicts(&out), median(cold));

    let mut v = String::new();
    let again: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let out = run(&ctx, &bases, &mut cache);
            let d = t.elapsed();
            v = verdicts(&out);
            d
        })
        .collect();
    println!("no-change rebuild {v}: median {:.2?}", median(again));

    let edit = VfsPath::new(&format!("/{}", files[10].0));
    let edited: Vec<Duration> = (0..runs)
        .map(|i| {
            let mut ctx = ctx.clone();
            ctx.write_file(
                &edit,
                Content::inline(format!("export const edit = {i};\n")),
                Meta::new(0o644),
            )
            .unwrap();
            let t = Instant::now();
            let out = run(&ctx, &bases, &mut cache);
            let d = t.elapsed();
            v = verdicts(&out);
            d
        })
        .collect();
    println!(
        "one-file-edit rebuild ({edit}) {v}: median {:.2?}",
        median(edited)
    );

    // What an edit would rebuild: the page runs this on every pick in the Cache view
    // (a baseline build and the edited build, on a copy of the cache).
    let req_options = layerlab_build::engine::BuildOptions {
        epoch: 1_700_000_000,
        ..Default::default()
    };
    let none = |_: &str| None;
    let req = layerlab_build::engine::BuildRequest {
        dockerfile: layerlab_testkit::scenario::project::DOCKERFILE,
        dockerfile_path: Some("Dockerfile"),
        context: &ctx,
        excluded: &none,
        options: &req_options,
        bases: &bases,
        runner: &layerlab_build::runner::ShellRunner,
    };
    let mut rebuilds = 0;
    let predicted: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let p = what_if(&req, &cache, &Edit::ContextFile(files[10].0.clone()));
            let d = t.elapsed();
            rebuilds = p.rebuilds();
            d
        })
        .collect();
    println!(
        "what-if one-file edit ({rebuilds} steps would rebuild): median {:.2?}",
        median(predicted)
    );
}
