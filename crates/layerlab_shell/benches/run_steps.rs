//! Time per simulated `RUN` step for tutorial-style commands on a Debian-sized image
//! (~6,000 files), each step run on a fresh O(1) snapshot of the base.
//!
//! Run: `cargo bench -p layerlab_shell --bench run_steps --profile fast`.
#![allow(
    clippy::disallowed_methods,
    clippy::print_stdout,
    reason = "a benchmark measures time on the host and prints it"
)]

use layerlab_shell::{run, RunRequest};
use layerlab_vfs::{Content, Fs, Meta, VfsPath};
use std::time::Instant;

fn image() -> Fs {
    let mut fs = Fs::default();
    for d in [
        "/usr/bin",
        "/usr/sbin",
        "/opt",
        "/etc/skel",
        "/var/lib/apt/lists/partial",
        "/tmp",
        "/home",
        "/root",
    ] {
        fs.mkdir_p(&VfsPath::new(d), Meta::new(0o755)).unwrap();
    }
    fs.symlink("usr/bin", &VfsPath::new("/bin"), Meta::new(0o777))
        .unwrap();
    fs.symlink("usr/sbin", &VfsPath::new("/sbin"), Meta::new(0o777))
        .unwrap();
    let tools = [
        "dash", "bash", "cat", "ls", "mkdir", "rm", "cp", "mv", "ln", "touch", "chmod", "chown",
        "find", "sed", "grep", "apt-get", "env", "id", "sort", "head",
    ];
    for t in tools {
        fs.write_file(
            &VfsPath::new("/usr/bin").child(t),
            Content::synthetic(1, 120_000),
            Meta::new(0o755),
        )
        .unwrap();
    }
    fs.symlink("dash", &VfsPath::new("/usr/bin/sh"), Meta::new(0o777))
        .unwrap();
    for t in ["useradd", "groupadd"] {
        fs.write_file(
            &VfsPath::new("/usr/sbin").child(t),
            Content::synthetic(2, 90_000),
            Meta::new(0o755),
        )
        .unwrap();
    }
    let etc = [
        ("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"),
        ("/etc/group", "root:x:0:\nusers:x:100:\nnogroup:x:65534:\n"),
        ("/etc/shadow", "root:*:19000:0:99999:7:::\n"),
        ("/etc/os-release", "ID=debian\nVERSION_CODENAME=bookworm\n"),
    ];
    for (p, c) in etc {
        fs.write_file(&VfsPath::new(p), Content::inline(c), Meta::new(0o644))
            .unwrap();
    }
    // Bulk: /usr/share and /usr/lib like a slim Debian (about 6,000 entries).
    for i in 0..6000u64 {
        let dir = format!(
            "/usr/{}/pkg{:03}",
            if i % 3 == 0 { "lib" } else { "share" },
            i % 300
        );
        let ext = ["py", "pyc", "so", "txt", "gz"][(i % 5) as usize];
        let p = VfsPath::new(&format!("{dir}/file{i}.{ext}"));
        fs.mkdir_p(&p.parent().unwrap(), Meta::new(0o755)).unwrap();
        fs.write_file(
            &p,
            Content::synthetic(i, 1000 + i * 37 % 50_000),
            Meta::new(0o644),
        )
        .unwrap();
    }
    for n in ["InRelease", "main_binary-amd64_Packages.lz4"] {
        fs.write_file(
            &VfsPath::new("/var/lib/apt/lists").child(n),
            Content::synthetic(9, 9_000_000),
            Meta::new(0o644),
        )
        .unwrap();
    }
    fs.mkdir_p(&VfsPath::new("/etc/nginx"), Meta::new(0o755))
        .unwrap();
    fs.write_file(
        &VfsPath::new("/etc/nginx/default.conf"),
        Content::inline("server {\n    listen 80;\n    server_name localhost;\n    root /usr/share/nginx/html;\n}\n".repeat(20)),
        Meta::new(0o644),
    )
    .unwrap();
    fs
}

const STEPS: &[(&str, &str)] = &[
    ("apt curl", "apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*"),
    ("apt build-ess", "apt-get update && apt-get install -y build-essential git python3-pip && apt-get clean && rm -rf /var/lib/apt/lists/*"),
    ("users", "set -eux; groupadd -r app && useradd -r -g app -m -d /home/app app && mkdir -p /app/data && chown -R app:app /app"),
    ("loop 300", "set -e; i=0; while [ $i -lt 300 ]; do echo \"line $i\" >> /tmp/log; i=$((i+1)); done; cat /tmp/log | grep -c line"),
    ("find -delete", "find /usr -name '*.pyc' -delete"),
    ("sed -i", "sed -i -e 's/listen 80;/listen 8080;/' -e 's|/usr/share/nginx/html|/srv/www|g' /etc/nginx/default.conf"),
    ("heredoc", ". /etc/os-release; cat > /etc/app.conf <<EOF\nos=$ID\ncodename=$VERSION_CODENAME\nworkers=$((2*4))\nEOF\n"),
    ("cp -a tree", "cp -a /usr/share/pkg001 /opt/copy && ls -la /opt/copy | head -3 && rm -rf /opt/copy"),
    ("glob + for", "for f in /usr/lib/pkg0*/*.so; do case \"$f\" in *1*) : ;; *) echo \"$f\" > /dev/null ;; esac; done"),
];

fn main() {
    let t = Instant::now();
    let base = image();
    println!(
        "image: {} entries, built in {:?}",
        base.walk().len(),
        t.elapsed()
    );
    for (name, script) in STEPS {
        // Warm up once, then time N runs on fresh snapshots.
        let mut fs = base.clone();
        let out = run(&mut fs, &RunRequest::shell(script));
        assert!(out.status.success(), "{name}: {out:?}");
        let n = 30;
        let t = Instant::now();
        let mut steps = 0;
        for _ in 0..n {
            let mut fs = base.clone();
            let out = run(&mut fs, &RunRequest::shell(script));
            steps = out.steps;
        }
        let per = t.elapsed() / n;
        let changes = layerlab_vfs::diff(&base, &fs);
        let added: u64 = fs
            .total_file_bytes()
            .saturating_sub(base.total_file_bytes());
        println!(
            "{name:>14}: {:>8.3} ms/step  ({steps} budget steps, {} changed paths, {:+.1} MB, {} warnings)",
            per.as_secs_f64() * 1000.0,
            changes.changes.len(),
            added as f64 / 1e6,
            out.warnings.len()
        );
    }
}
