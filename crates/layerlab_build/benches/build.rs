//! Build benchmark: a tutorial-sized Node project (2,000 context files) built cold, then
//! rebuilt with no change and with one `src/` file edited; base-image resolution alone
//! for reference. Plain `std::time` timing, medians over several runs.
//!
//! `cargo bench -p layerlab_build --bench build` (uses the `bench` profile), or
//! `cargo run --profile fast -p layerlab_build --bench build` style invocations.

#![allow(clippy::disallowed_methods, reason = "a benchmark reads the clock")]

use layerlab_build::bases::CatalogBases;
use layerlab_build::cache::CacheStore;
use layerlab_build::engine::{build, BaseImages, BuildOptions, BuildOutput, BuildRequest};
use layerlab_build::platform::builder_platform;
use layerlab_dockerignore::{walk, ContextEntry, ContextTree, IgnoreFile};
use layerlab_vfs::{Content, Fs, Meta, VfsPath};
use std::time::{Duration, Instant};

const DOCKERFILE: &str = "FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nCMD [\"node\", \"dist/index.js\"]\n";
const DOCKERIGNORE: &str = "node_modules\ndist\n.git\n*.log\ncoverage\n";
const FILES: usize = 2000;

/// A deterministic pseudo-random sequence (no randomness in the repo's outputs).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// Context files: (path, content). Realistic names and sizes: components, hooks,
/// styles and tests under `src/`, assets under `public/`, and some ignored clutter.
fn project() -> Vec<(String, Vec<u8>)> {
    let mut rng = Lcg(42);
    let mut files = vec![
        (
            "package.json".to_string(),
            br#"{"name":"shop","version":"1.0.0","scripts":{"build":"echo built"},"dependencies":{}}"#.to_vec(),
        ),
        (
            "package-lock.json".to_string(),
            br#"{"name":"shop","lockfileVersion":3,"packages":{"":{"name":"shop","version":"1.0.0"}}}"#.to_vec(),
        ),
        ("Dockerfile".to_string(), DOCKERFILE.as_bytes().to_vec()),
        (".dockerignore".to_string(), DOCKERIGNORE.as_bytes().to_vec()),
        ("README.md".to_string(), b"# shop\n".to_vec()),
    ];
    let areas = [
        "components",
        "pages",
        "hooks",
        "utils",
        "styles",
        "api",
        "store",
    ];
    let kinds = [".tsx", ".ts", ".test.tsx", ".css"];
    while files.len() < FILES {
        let n = files.len();
        let (path, size) = if n % 10 < 7 {
            let area = areas[n % areas.len()];
            let kind = kinds[(n / 7) % kinds.len()];
            (
                format!("src/{area}/group{}/Item{n}{kind}", n % 23),
                200 + rng.next() % 6000,
            )
        } else if n % 10 < 9 {
            let ext = ["png", "svg", "json", "woff2"][n % 4];
            (
                format!(
                    "public/assets/{}/asset{n}.{ext}",
                    ["img", "icons", "fonts"][n % 3]
                ),
                500 + rng.next() % 20000,
            )
        } else {
            // Clutter the ignore file keeps out of the context.
            let p = ["node_modules/lodash/lib", "dist/js", "coverage/lcov"][n % 3];
            (format!("{p}/f{n}.js"), 100 + rng.next() % 3000)
        };
        let byte = b'a' + (n % 26) as u8;
        files.push((path, vec![byte; size as usize]));
    }
    files
}

/// The context as the client sends it: the ignore file applied.
fn context(files: &[(String, Vec<u8>)]) -> Fs {
    let matcher = IgnoreFile::parse(DOCKERIGNORE).matcher().unwrap();
    let tree = ContextTree::new(
        files
            .iter()
            .map(|(p, d)| ContextEntry::file(p.clone(), d.len() as u64)),
    );
    let walked = walk(&matcher, &tree).unwrap();
    let data: std::collections::BTreeMap<&str, &Vec<u8>> =
        files.iter().map(|(p, d)| (p.as_str(), d)).collect();
    let mut fs = Fs::new(Meta::new(0o755));
    for i in walked.sent() {
        let e = &tree.entries()[i];
        let path = VfsPath::new(&format!("/{}", e.path));
        if e.is_dir() {
            fs.mkdir_p(&path, Meta::new(0o755)).unwrap();
        } else {
            let bytes = data[e.path.as_str()].clone();
            fs.write_file(&path, Content::inline(bytes), Meta::new(0o644))
                .unwrap();
        }
    }
    fs
}

fn run(ctx: &Fs, bases: &CatalogBases, cache: &mut CacheStore) -> BuildOutput {
    let none = |_: &str| None;
    let options = BuildOptions {
        epoch: 1_700_000_000,
        ..BuildOptions::default()
    };
    let req = BuildRequest {
        dockerfile: DOCKERFILE,
        context: ctx,
        excluded: &none,
        options: &options,
        bases,
        runner: layerlab_testkit::scenario::run::runner(),
    };
    let out = build(&req, cache);
    assert!(out.report.error.is_none(), "{:?}", out.report.error);
    out
}

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
}
