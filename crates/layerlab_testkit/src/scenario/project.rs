//! The benchmark project: a tutorial-sized Node app (2,000 context files with realistic
//! names and sizes, a `.dockerignore`, the cache-friendly Dockerfile), shared by the
//! native benchmark and the opt-in wasm timing so both measure the same build.

use layerlab_build::bases::CatalogBases;
use layerlab_build::cache::CacheStore;
use layerlab_build::engine::{build, BuildOptions, BuildOutput, BuildRequest};
use layerlab_dockerignore::{walk, ContextEntry, ContextTree, IgnoreFile};
use layerlab_vfs::{Content, Fs, Meta, VfsPath};

/// The Dockerfile.
pub const DOCKERFILE: &str = "FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nCMD [\"node\", \"dist/index.js\"]\n";
/// The ignore file.
pub const DOCKERIGNORE: &str = "node_modules\ndist\n.git\n*.log\ncoverage\n";
/// Context files generated.
pub const FILES: usize = 2000;

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
pub fn project() -> Vec<(String, Vec<u8>)> {
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
pub fn context(files: &[(String, Vec<u8>)]) -> Fs {
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

/// Builds the project once; panics if the build fails.
pub fn run(ctx: &Fs, bases: &CatalogBases, cache: &mut CacheStore) -> BuildOutput {
    let none = |_: &str| None;
    let options = BuildOptions {
        epoch: 1_700_000_000,
        ..BuildOptions::default()
    };
    let req = BuildRequest {
        dockerfile: DOCKERFILE,
        dockerfile_path: Some("Dockerfile"),
        context: ctx,
        excluded: &none,
        options: &options,
        bases,
        runner: super::run::runner(),
    };
    let out = build(&req, cache);
    assert!(out.report.error.is_none(), "{:?}", out.report.error);
    out
}
