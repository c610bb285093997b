//! `layerlab sh SCRIPT`: runs one simulated `RUN` step and shows what it did.
//!
//! The filesystem is an image archive's merged root (`--image`), or a small stand-in
//! with `/bin/sh` and the modeled tools. The step's output goes to stdout/stderr as
//! the build log would show it; then the warnings (with their column in the script)
//! and the layer the step would produce (`A`/`M`/`D` paths with sizes). The exit code
//! is the step's.

// The CLI is the IO host: it reads archives and writes to the terminal.
#![allow(clippy::disallowed_methods)]

use anyhow::Context;
use layerlab_shell::{run, ExitStatus, RunCommand, RunRequest, Stream, MODELED_COMMANDS};
use layerlab_text::LineIndex;
use layerlab_vfs::{diff, ChangeKind, Content, Fs, Meta, VfsPath};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The script (shell form), or the argv with `--exec`.
    #[arg(required = true, num_args = 1..)]
    script: Vec<String>,
    /// Run on this image archive's filesystem (OCI layout tar or `docker save` tar).
    #[arg(long)]
    image: Option<PathBuf>,
    /// Exec form: run the arguments without a shell.
    #[arg(long)]
    exec: bool,
    /// The shell for shell form, like Dockerfile `SHELL` (e.g. `/bin/bash -o pipefail -c`).
    #[arg(long, default_value = "/bin/sh -c")]
    shell: String,
    /// `USER`.
    #[arg(long, default_value = "")]
    user: String,
    /// `WORKDIR`.
    #[arg(long, default_value = "/")]
    workdir: String,
    /// Extra environment `K=V` (after the image's `Env`).
    #[arg(short = 'e', long = "env")]
    env: Vec<String>,
    /// Step budget.
    #[arg(long, default_value_t = layerlab_shell::DEFAULT_BUDGET)]
    budget: u64,
}

/// A stand-in root: `/bin -> usr/bin` with every modeled tool, passwd and group.
fn standin() -> anyhow::Result<Fs> {
    let mut fs = Fs::default();
    for d in ["/usr/bin", "/usr/sbin", "/etc", "/root", "/tmp", "/home"] {
        fs.mkdir_p(&VfsPath::new(d), Meta::new(0o755))?;
    }
    fs.symlink("usr/bin", &VfsPath::new("/bin"), Meta::new(0o777))?;
    for tool in MODELED_COMMANDS {
        let dir = if matches!(
            *tool,
            "useradd" | "groupadd" | "adduser" | "addgroup" | "usermod"
        ) {
            "/usr/sbin"
        } else {
            "/usr/bin"
        };
        fs.write_file(
            &VfsPath::new(dir).child(tool),
            Content::inline("\x7fELF"),
            Meta::new(0o755),
        )?;
    }
    fs.write_file(
        &VfsPath::new("/etc/passwd"),
        Content::inline("root:x:0:0:root:/root:/bin/bash\n"),
        Meta::new(0o644),
    )?;
    fs.write_file(
        &VfsPath::new("/etc/group"),
        Content::inline("root:x:0:\n"),
        Meta::new(0o644),
    )?;
    Ok(fs)
}

pub(crate) fn run_cmd(args: Args) -> anyhow::Result<ExitCode> {
    let (mut fs, mut env) = match &args.image {
        Some(path) => {
            let (img, ex) = crate::image::load(path)?;
            let env = img
                .config
                .config
                .env
                .iter()
                .filter_map(|kv| {
                    kv.split_once('=')
                        .map(|(k, v)| (k.to_owned(), v.to_owned()))
                })
                .collect();
            (ex.fs, env)
        }
        None => (
            standin().context("building the stand-in filesystem")?,
            Vec::new(),
        ),
    };
    for kv in &args.env {
        let (k, v) = kv
            .split_once('=')
            .with_context(|| format!("--env {kv:?}: expected K=V"))?;
        env.push((k.to_owned(), v.to_owned()));
    }
    let script = args.script.join(" ");
    let req = RunRequest {
        command: if args.exec {
            RunCommand::Exec(args.script.clone())
        } else {
            RunCommand::Shell(script.clone())
        },
        shell: args.shell.split_whitespace().map(str::to_owned).collect(),
        env,
        workdir: args.workdir.clone(),
        user: args.user.clone(),
        budget: args.budget,
        epoch: 0,
    };
    let before = fs.clone();
    let out = run(&mut fs, &req);
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    for chunk in &out.output {
        match chunk.stream {
            Stream::Stdout => stdout.write_all(&chunk.bytes)?,
            _ => stderr.write_all(&chunk.bytes)?,
        }
    }
    stdout.flush()?;
    let index = LineIndex::new(&script);
    for w in &out.warnings {
        writeln!(
            stderr,
            "{}",
            crate::render::diagnostic("<script>", &script, &index, w)
        )?;
    }
    let changes = diff(&before, &fs);
    let added = fs.total_file_bytes() as i64 - before.total_file_bytes() as i64;
    writeln!(
        stderr,
        "--- layer: {} changed paths, {:+} bytes of files, {} steps, modeled {} ms, {:?}",
        changes.changes.len(),
        added,
        out.steps,
        out.duration_ms,
        out.status
    )?;
    for c in changes.changes.iter().take(200) {
        let size = fs.symlink_node(&c.path).map(|n| n.size()).unwrap_or(0);
        let letter = match c.kind {
            ChangeKind::Deleted => 'D',
            k => k.letter(),
        };
        writeln!(stderr, "{letter} {:>10} {}", size, c.path)?;
    }
    if changes.changes.len() > 200 {
        writeln!(stderr, "… {} more", changes.changes.len() - 200)?;
    }
    Ok(match out.status {
        ExitStatus::Exited(0) => ExitCode::SUCCESS,
        s => ExitCode::from(s.code().clamp(1, 255) as u8),
    })
}
