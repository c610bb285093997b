//! Time per simulated `RUN` step for package-manager commands on the catalog's real
//! base images (each run on a fresh O(1) snapshot of the image's root).
//!
//! Run: `cargo bench -p layerlab_shell --bench pkgs --profile fast`.
#![allow(
    clippy::disallowed_methods,
    clippy::print_stdout,
    reason = "a benchmark measures time on the host and prints it"
)]

use layerlab_catalog::Catalog;
use layerlab_image::Platform;
use layerlab_shell::{run, RunRequest};
use layerlab_vfs::{Content, Fs, Meta, VfsPath};
use std::time::Instant;

fn image(reference: &str) -> (Fs, Vec<(String, String)>) {
    let amd64 = Platform {
        os: "linux".into(),
        architecture: "amd64".into(),
        variant: None,
    };
    let img = Catalog::builtin().resolve(reference, &amd64).unwrap();
    let env = img
        .config
        .config
        .env
        .iter()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let mut fs = img.rootfs().unwrap();
    let files = [
        ("/app/requirements.txt", "flask\ndjango\nrequests\npandas\ngunicorn\n"),
        ("/app/package.json", "{\"name\":\"a\",\"version\":\"1.0.0\",\"scripts\":{\"build\":\"vite build\"},\"dependencies\":{\"express\":\"^4\",\"react\":\"^19\",\"react-dom\":\"^19\"},\"devDependencies\":{\"vite\":\"^6\",\"typescript\":\"^5\"}}"),
        ("/app/go.mod", "module example.com/app\n\ngo 1.23\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgolang.org/x/sys v0.28.0\n)\n"),
        ("/app/main.go", "package main\n"),
    ];
    for (p, body) in files {
        let p = VfsPath::new(p);
        fs.mkdir_p(&p.parent().unwrap(), Meta::new(0o755)).unwrap();
        fs.write_file(&p, Content::inline(body), Meta::new(0o644))
            .unwrap();
    }
    (fs, env)
}

const STEPS: &[(&str, &str, &str)] = &[
    ("apk curl git", "alpine:3.21", "apk add --no-cache curl git bash"),
    ("apk build-base", "alpine:3.21", "apk add --no-cache --virtual .b build-base python3 && apk del .b"),
    ("pip -r", "python:3.12-slim", "pip install --no-cache-dir -r requirements.txt"),
    ("npm install+build", "node:22-slim", "npm install && npm run build && npm cache clean --force"),
    ("go build", "golang:1.23", "go mod download && go build -o /out/app ."),
    ("curl+wget", "debian:bookworm", "apt-get update && apt-get install -y curl wget && curl -fsSLO https://go.dev/dl/go1.23.4.linux-amd64.tar.gz"),
];

fn main() {
    for (name, reference, script) in STEPS {
        let (base, env) = image(reference);
        let req = RunRequest {
            env,
            workdir: "/app".into(),
            ..RunRequest::shell(script)
        };
        let mut fs = base.clone();
        let out = run(&mut fs, &req);
        assert!(out.status.success(), "{name}: {}", out.stderr());
        let n = 30;
        let t = Instant::now();
        for _ in 0..n {
            let mut fs = base.clone();
            run(&mut fs, &req);
        }
        let per = t.elapsed() / n;
        let changes = layerlab_vfs::diff(&base, &fs);
        let added = fs
            .total_file_bytes()
            .saturating_sub(base.total_file_bytes());
        println!(
            "{name:>18}: {:>8.3} ms/step  ({} budget steps, {} changed paths, {:+.1} MB)",
            per.as_secs_f64() * 1000.0,
            out.steps,
            changes.changes.len(),
            added as f64 / 1e6,
        );
    }
}
