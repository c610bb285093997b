//! A deterministic, realistic benchmark workload: a 40-line ignore file and a
//! generated project tree (sources, `node_modules`, `.git`, build outputs, logs).
//! Shared by the native benchmark and the wasm timing test.

/// A 40-pattern ignore file of the kind real projects carry.
pub(crate) const IGNORE_FILE: &str = "\
# VCS and editors
.git
.gitignore
.idea
.vscode
**/.DS_Store
*.swp
# dependencies
node_modules
!node_modules/keep-me
vendor/
**/__pycache__
**/*.pyc
.venv
# build outputs
dist
build/
target/
coverage
*.egg-info
out/**
.next
# logs and temp
*.log
**/*.log
logs/
tmp/
!tmp/.keep
*.tmp
# secrets
.env
.env.*
!.env.example
*.pem
secrets/**
# docs and tests
docs/**/*.png
**/test?/fixtures
*.md
!README.md
!docs/**/*.md
Dockerfile*
docker-compose*.yml
.dockerignore
**/*.bak
cache/[a-f]*
";

const DIRS: &[&str] = &[
    "src",
    "src/components",
    "src/components/ui",
    "src/lib",
    "src/pages",
    "src/styles",
    "tests",
    "tests/unit",
    "tests/fixtures",
    "test1/fixtures",
    "docs",
    "docs/guide",
    "docs/img",
    "node_modules/react",
    "node_modules/react/cjs",
    "node_modules/lodash",
    "node_modules/keep-me",
    "node_modules/@types/node",
    ".git/objects/ab",
    ".git/refs/heads",
    "dist/assets",
    "build/tmp",
    "target/debug/deps",
    "logs",
    "tmp",
    "scripts",
    "packages/api/src",
    "packages/web/src",
    "packages/web/node_modules/vite",
    "app/__pycache__",
    "app/models",
    ".venv/lib",
];

const NAMES: &[&str] = &[
    "index", "main", "app", "utils", "helpers", "config", "README", "types", "server", "client",
    "button", "modal", "debug", "error", "data", "schema", "test_api", "setup", "package", "lock",
];

const EXTS: &[&str] = &[
    ".ts", ".tsx", ".js", ".json", ".md", ".log", ".png", ".py", ".pyc", ".rs", ".css", ".yml",
    ".tmp", "", ".pem", ".map",
];

/// `n` distinct file paths (plus the directories they imply), with sizes.
pub(crate) fn paths(n: usize) -> Vec<(String, u64)> {
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let r = next();
        let dir = DIRS[(r % DIRS.len() as u64) as usize];
        let name = NAMES[((r >> 8) % NAMES.len() as u64) as usize];
        let ext = EXTS[((r >> 16) % EXTS.len() as u64) as usize];
        let depth = (r >> 24) % 3;
        let mut path = String::from(dir);
        for d in 0..depth {
            path.push_str(&format!("/m{}", (r >> (32 + d * 4)) % 7));
        }
        path.push_str(&format!("/{name}{i}{ext}"));
        out.push((path, (r >> 40) % 100_000));
    }
    out
}
