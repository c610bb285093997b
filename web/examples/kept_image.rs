//! What a worker build's image costs on the wire: bytes, encode and read times for the
//! starter and two heavier projects (the figures in docs/architecture.md).
//! `cargo run --profile fast -p layerlab_web --example kept_image`
#![allow(
    clippy::disallowed_methods,
    reason = "a measuring tool reads the clock"
)]

use layerlab_web::engine::{build::run_build, image, wire};
use layerlab_web::workspace::Workspace;
use std::time::Instant;
fn main() {
    for (name, df) in [
        ("starter", None),
        ("apt", Some("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl ca-certificates\nCOPY . /app\n")),
        ("python", Some("FROM python:3.12\nRUN pip install flask requests numpy\nCOPY . /app\n")),
    ] {
        let mut ws = Workspace::starter();
        if let Some(df) = df { ws.set_text("Dockerfile", df.into()); }
        let v = run_build(&ws, &Default::default());
        assert!(v.error.is_none(), "{:?}", v.error);
        let t = Instant::now();
        let k = image::kept().unwrap();
        let enc = t.elapsed();
        let bytes = wire::encode(1, &wire::Answer { response: wire::Response::Done, kept: Some(k.clone()) });
        let t = Instant::now();
        let img = layerlab_build::cache::image_from_bytes(&k.image).unwrap();
        let dec = t.elapsed();
        println!("{name}: image {} bytes, answer {} bytes, {} layers, encode {:?}, decode {:?}", k.image.len(), bytes.len(), img.layers.len(), enc, dec);
    }
}
