//! A small fixed multi-layer image built from VFS operations, for the CLI's
//! `image demo`, the tool-compatibility tests and the native/wasm digest comparison.
//!
//! It exercises what layer writers get wrong: a merged-`/usr` symlink, synthetic
//! content, setuid bits, a non-root owner, names long enough for the USTAR prefix
//! field and for PAX, a non-ASCII name, a modified file, a metadata-only change, a
//! deleted directory tree, a deleted file and a directory replaced by a file.

use crate::archive::Image;
use crate::config::{rfc3339, ContainerConfig, History, ImageConfig};
use crate::layer::{Layer, LayerOptions};
use layerlab_vfs::{diff, Content, Fs, Meta, VfsPath};

fn p(s: &str) -> VfsPath {
    VfsPath::new(s)
}

/// The demo image's filesystem after each of its three layers, bottom first.
///
/// # Panics
/// Never in practice: every operation is on paths this function created.
pub fn demo_snapshots(epoch: i64) -> Vec<Fs> {
    let d = Meta::new(0o755).with_mtime(epoch);
    let f = Meta::new(0o644).with_mtime(epoch);
    let x = Meta::new(0o755).with_mtime(epoch);
    let mut fs = Fs::new(d);
    let ok = "demo operations are valid";
    fs.mkdir_p(&p("/etc"), d).expect(ok);
    fs.write_file(
        &p("/etc/os-release"),
        Content::inline("ID=layerlab\nVERSION_ID=1\n"),
        f,
    )
    .expect(ok);
    fs.mkdir_p(&p("/usr/bin"), d).expect(ok);
    fs.mkdir_p(&p("/usr/lib"), d).expect(ok);
    fs.symlink("usr/bin", &p("/bin"), Meta::new(0o777).with_mtime(epoch))
        .expect(ok);
    fs.symlink("usr/lib", &p("/lib"), Meta::new(0o777).with_mtime(epoch))
        .expect(ok);
    fs.write_file(&p("/usr/bin/sh"), Content::synthetic(1, 125_000), x)
        .expect(ok);
    fs.write_file(
        &p("/usr/bin/su"),
        Content::synthetic(2, 40_000),
        Meta::new(0o4755).with_mtime(epoch),
    )
    .expect(ok);
    fs.write_file(&p("/lib/libc.so.6"), Content::synthetic(3, 300_000), x)
        .expect(ok);
    fs.mkdir_p(&p("/tmp"), Meta::new(0o1777).with_mtime(epoch))
        .expect(ok);
    fs.mkdir_p(&p("/var/cache/apt/archives"), d).expect(ok);
    fs.write_file(
        &p("/var/cache/apt/archives/pkg.deb"),
        Content::synthetic(4, 1_000_000),
        f,
    )
    .expect(ok);
    fs.write_file(
        &p("/var/cache/apt/pkgcache.bin"),
        Content::synthetic(5, 250_000),
        f,
    )
    .expect(ok);
    let base = fs.clone();

    let app = Meta::new(0o755).with_owner(1000, 1000).with_mtime(epoch);
    fs.mkdir_p(&p("/app/data"), app).expect(ok);
    fs.write_file(&p("/app/hello.txt"), Content::inline("hello\n"), f)
        .expect(ok);
    fs.write_file(
        &p("/app/config.json"),
        Content::inline("{\"debug\":true}\n"),
        f.with_owner(1000, 1000),
    )
    .expect(ok);
    fs.write_file(&p("/app/data/seed.db"), Content::synthetic(6, 64_000), f)
        .expect(ok);
    fs.write_file(
        &p("/app/h\u{e9}llo-\u{4e16}\u{754c}.txt"),
        Content::inline("bonjour\n"),
        f,
    )
    .expect(ok);
    let deep = format!("/app/{}/{}", "d".repeat(90), "f".repeat(60));
    fs.mkdir_p(&VfsPath::new(&deep).parent().expect(ok), d)
        .expect(ok);
    fs.write_file(&p(&deep), Content::inline("ustar prefix\n"), f)
        .expect(ok);
    let very_deep = format!("/app/{}/{}", "e".repeat(160), "g".repeat(120));
    fs.mkdir_p(&VfsPath::new(&very_deep).parent().expect(ok), d)
        .expect(ok);
    fs.write_file(&p(&very_deep), Content::inline("pax path\n"), f)
        .expect(ok);
    fs.symlink(
        "/app/hello.txt",
        &p("/app/link-to-hello"),
        Meta::new(0o777).with_mtime(epoch),
    )
    .expect(ok);
    fs.write_file(
        &p("/etc/os-release"),
        Content::inline("ID=layerlab\nVERSION_ID=2\n"),
        f,
    )
    .expect(ok);
    fs.set_mode(&p("/usr/bin/sh"), 0o700).expect(ok);
    let app_layer = fs.clone();

    fs.remove(&p("/var/cache/apt")).expect(ok);
    fs.remove(&p("/app/config.json")).expect(ok);
    fs.remove(&p("/app/data")).expect(ok);
    fs.write_file(&p("/app/data"), Content::inline("now a file\n"), f)
        .expect(ok);
    fs.write_file(&p("/app/hello.txt"), Content::inline("hello again\n"), f)
        .expect(ok);
    vec![base, app_layer, fs]
}

/// The demo image: three layers and a BuildKit-shaped config, timestamps at `epoch`.
pub fn demo_image(epoch: i64) -> Image {
    let snaps = demo_snapshots(epoch);
    let opts = LayerOptions::default();
    let mut prev = Fs::new(snaps[0].root().meta);
    let mut layers = Vec::new();
    for s in &snaps {
        layers.push(Layer::from_changes(s, &diff(&prev, s), &opts));
        prev = s.clone();
    }
    let created = rfc3339(epoch);
    let entry = |by: &str, empty: bool| History {
        created: Some(created.clone()),
        created_by: Some(by.to_owned()),
        comment: Some("buildkit.dockerfile.v0".to_owned()),
        empty_layer: empty,
        ..History::default()
    };
    let config = ImageConfig {
        architecture: "amd64".into(),
        os: "linux".into(),
        created: Some(created.clone()),
        config: ContainerConfig {
            user: Some("1000".into()),
            exposed_ports: ["8080/tcp".to_owned()].into(),
            env: vec!["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into()],
            cmd: vec![
                "/bin/sh".into(),
                "-c".into(),
                "cat hello.txt && sleep 1".into(),
            ],
            working_dir: Some("/app".into()),
            labels: [(
                "org.opencontainers.image.title".to_owned(),
                "layerlab demo".to_owned(),
            )]
            .into(),
            args_escaped: true,
            ..ContainerConfig::default()
        },
        history: vec![
            entry("ADD rootfs / # buildkit", false),
            entry("COPY app /app # buildkit", false),
            entry(
                "RUN /bin/sh -c rm -rf /var/cache/apt && rm /app/config.json # buildkit",
                false,
            ),
            entry("EXPOSE [8080/tcp]", true),
            entry("USER 1000", true),
            entry(
                "CMD [\"/bin/sh\" \"-c\" \"cat hello.txt && sleep 1\"]",
                true,
            ),
        ],
        ..ImageConfig::default()
    };
    Image::new(config, layers)
}
