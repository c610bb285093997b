//! Share-link encode/decode time and link length: the page runs `encode` for Share,
//! Embed and every autosave (500 ms after the last edit), and `decode` on load.
//!
//! Run: `cargo bench -p layerlab_share --bench codec --profile fast`
#![allow(
    clippy::disallowed_methods,
    reason = "a benchmark measures time on the host"
)]

use layerlab_share::{decode, encode, Limits, ShareState, SharedFile};
use std::time::Instant;

/// A tutorial-sized project (8 text files, 7 size-only), and an uploaded folder of
/// `n` files, mostly size-only as the page reads them, with a few texts.
fn project(n: usize) -> ShareState {
    let mut s = ShareState::new("Dockerfile");
    s.files.insert(
        "Dockerfile".into(),
        SharedFile::Text("FROM node:20-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nUSER node\nCMD [\"node\", \"server.js\"]\n".into()),
    );
    s.files.insert(
        ".dockerignore".into(),
        SharedFile::Text("node_modules\n.git\n*.log\n".into()),
    );
    for i in 0..n {
        let path = format!("node_modules/pkg{:04}/lib/file{i}.js", i % 700);
        let file = if i % 50 == 0 {
            SharedFile::Text(format!("module.exports = {i};\n").repeat(20))
        } else {
            SharedFile::Sized((i as u64 * 7919) % 20_000)
        };
        s.files.insert(path, file);
    }
    s
}

fn main() {
    let limits = Limits::default();
    for n in [15, 1_000, 19_000] {
        let state = project(n);
        let runs = if n > 10_000 { 5 } else { 50 };
        let t = Instant::now();
        let mut link = String::new();
        for _ in 0..runs {
            link = encode(&state, &limits).unwrap();
        }
        let enc = t.elapsed() / runs;
        let t = Instant::now();
        for _ in 0..runs {
            assert_eq!(
                decode(&link, &limits).unwrap().files.len(),
                state.files.len()
            );
        }
        let dec = t.elapsed() / runs;
        println!(
            "{:>6} files: link {:>8} chars, encode {:>9.3} ms, decode {:>9.3} ms",
            state.files.len(),
            link.len(),
            enc.as_secs_f64() * 1e3,
            dec.as_secs_f64() * 1e3
        );
    }
}
