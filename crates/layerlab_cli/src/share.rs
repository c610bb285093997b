//! `layerlab share [DIR]` and `layerlab unshare LINK DIR`: a project folder as a page
//! link (the same `#v1:` format the page writes), and a link back as a folder.

use anyhow::{bail, Context as _};
use layerlab_share::{decode, encode, Limits, ShareState, SharedFile};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub(crate) struct ShareArgs {
    /// The build context directory.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// The Dockerfile's path inside DIR.
    #[arg(short = 'f', long = "file", default_value = "Dockerfile")]
    dockerfile: String,
    /// The page's address to put before `#v1:…` (without it, only the fragment prints).
    #[arg(long, value_name = "URL")]
    base: Option<String>,
    /// Files larger than this (bytes), or not UTF-8, travel by size only.
    #[arg(long, default_value_t = 64 * 1024)]
    max_text: u64,
}

#[derive(clap::Args)]
pub(crate) struct UnshareArgs {
    /// A page link (`https://…#v1:…`) or just its `v1:…` fragment.
    link: String,
    /// Where to write the files: a new or empty directory.
    dir: PathBuf,
}

pub(crate) fn share(args: ShareArgs) -> anyhow::Result<ExitCode> {
    let mut state = ShareState::new(&args.dockerfile);
    walk(&args.dir, "", &mut state, args.max_text)?;
    let link = encode(&state, &Limits::default())?;
    match args.base {
        Some(base) => println!("{}#{link}", base.split('#').next().unwrap_or_default()),
        None => {
            println!("#{link}");
            eprintln!("layerlab: append this to the page's address (or pass --base URL)");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Adds DIR's files and empty directories, sorted, symlinks and special files skipped
/// (a link must not carry what lies outside the folder).
fn walk(dir: &Path, prefix: &str, state: &mut ShareState, max_text: u64) -> anyhow::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    if entries.is_empty() && !prefix.is_empty() {
        state.dirs.insert(prefix.trim_end_matches('/').to_string());
    }
    for entry in entries {
        let Some(name) = entry.file_name().to_str().map(str::to_string) else {
            eprintln!("layerlab: skipping {} (not UTF-8)", entry.path().display());
            continue;
        };
        let path = format!("{prefix}{name}");
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&entry.path(), &format!("{path}/"), state, max_text)?;
        } else if kind.is_file() {
            let size = entry.metadata()?.len();
            let file = if size <= max_text {
                match String::from_utf8(std::fs::read(entry.path())?) {
                    Ok(text) => SharedFile::Text(text),
                    Err(e) => SharedFile::Sized(e.as_bytes().len() as u64),
                }
            } else {
                SharedFile::Sized(size)
            };
            state.files.insert(path, file);
        }
    }
    Ok(())
}

pub(crate) fn unshare(args: UnshareArgs) -> anyhow::Result<ExitCode> {
    let fragment = args
        .link
        .rsplit_once('#')
        .map_or(args.link.as_str(), |(_, f)| f);
    let state = decode(fragment, &Limits::default())?;
    // An empty or new directory: nothing in it can be a symlink redirecting a write.
    if args.dir.exists() && std::fs::read_dir(&args.dir)?.next().is_some() {
        bail!(
            "{} is not empty; unshare writes into a new or empty directory",
            args.dir.display()
        );
    }
    std::fs::create_dir_all(&args.dir)?;
    for dir in &state.dirs {
        std::fs::create_dir_all(args.dir.join(dir))?;
    }
    for (path, file) in &state.files {
        let target = args.dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut out = std::fs::File::create_new(&target)
            .with_context(|| format!("creating {}", target.display()))?;
        match file {
            SharedFile::Text(text) => std::io::Write::write_all(&mut out, text.as_bytes())?,
            // The page builds with stand-in content of this size; a sparse file of zeros
            // keeps the size without inventing bytes.
            SharedFile::Sized(size) => out.set_len(*size)?,
        }
    }
    let mut cmd = format!("docker build -f {}", shell_word(&state.dockerfile));
    if !state.target.is_empty() {
        cmd += &format!(" --target {}", shell_word(&state.target));
    }
    for arg in state
        .build_args
        .lines()
        .map(str::trim)
        .filter(|l| l.contains('='))
    {
        cmd += &format!(" --build-arg {}", shell_word(arg));
    }
    if state.no_cache {
        cmd += " --no-cache";
    }
    println!(
        "wrote {} files to {}\n{cmd} {}",
        state.files.len(),
        args.dir.display(),
        shell_word(&args.dir.display().to_string())
    );
    Ok(ExitCode::SUCCESS)
}

/// Single-quotes a word for a POSIX shell when it needs quoting.
fn shell_word(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,+@%".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}
