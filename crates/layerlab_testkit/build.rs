//! Embeds every scenario file under `tests/scenarios` (repository root) so the same
//! scenarios run natively and in wasm, where there is no filesystem.

#![allow(
    clippy::disallowed_methods,
    reason = "a build script reads the scenario folder at compile time"
)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(read) = std::fs::read_dir(dir) else {
        return;
    };
    println!("cargo:rerun-if-changed={}", dir.display());
    for entry in read.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") && !path.ends_with("README.md") {
            out.push(path);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest.join("../../tests/scenarios");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut code = String::from("/// Every scenario file: (name relative to tests/scenarios, absolute path, text).\npub static SCENARIOS: &[(&str, &str, &str)] = &[\n");
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let name = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let abs = f.canonicalize().unwrap();
        writeln!(
            code,
            "    ({name:?}, {abs:?}, include_str!({abs:?})),",
            abs = abs.to_string_lossy()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("scenarios.rs");
    std::fs::write(out, code).unwrap();
}
