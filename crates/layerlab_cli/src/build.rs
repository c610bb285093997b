//! `layerlab build`: `docker build` without Docker, on a real directory.
//!
//! The context is read the way BuildKit's client sends it (the ignore file applied by
//! the same walk as `layerlab context`, owners reset to root), the build runs on the
//! core engine with base images from the catalog, and the results are printed as
//! BuildKit's plain progress log, a JSON report, and image archives.

use crate::context::{find_ignore_file, fswalk::walk_dir};
use crate::output::{self, Kind};
use anyhow::{bail, Context};
use layerlab_build::bases::CatalogBases;
use layerlab_build::cache::CacheStore;
use layerlab_build::engine::{build, BuildOptions, BuildOutput, BuildRequest};
use layerlab_build::progress::{render_plain, ProgressInput};
use layerlab_build::report::{StepReport, StepStatus};
use layerlab_build::runner::ShellRunner;
use layerlab_dockerignore::{walk, ContextTree, EntryKind, IgnoreFile};
use layerlab_image::Reference;
use layerlab_text::LineIndex;
use layerlab_vfs::{Content, Fs, Meta, VfsPath};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// How progress is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Progress {
    /// BuildKit's plain log on stderr.
    Plain,
    /// One JSON object per step on stdout.
    Json,
    /// Nothing.
    Quiet,
}

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The build context directory.
    context: PathBuf,
    /// The Dockerfile (default: CONTEXT/Dockerfile).
    #[arg(short = 'f', long = "file")]
    file: Option<PathBuf>,
    /// Name the image (`app:1.0`); recorded in archives.
    #[arg(short = 't', long = "tag")]
    tags: Vec<String>,
    /// Set a build-time variable (`K=V`, or `K` to take it from the environment).
    #[arg(long = "build-arg", value_name = "K=V")]
    build_args: Vec<String>,
    /// Build this stage and the stages it needs.
    #[arg(long)]
    target: Option<String>,
    /// Do not use the cache.
    #[arg(long)]
    no_cache: bool,
    /// Do not use the cache for these stages.
    #[arg(long = "no-cache-filter", value_name = "STAGE")]
    no_cache_filter: Vec<String>,
    /// Target platform (`linux/arm64`).
    #[arg(long)]
    platform: Option<String>,
    /// Add a label to the image (`K=V`).
    #[arg(long = "label", value_name = "K=V")]
    labels: Vec<String>,
    /// Keep the build cache in this directory between builds.
    #[arg(long = "cache-dir", value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Progress output.
    #[arg(long, value_enum, default_value_t = Progress::Plain)]
    progress: Progress,
    /// Write a JSON report of every step (cache verdict and reason, layer, timing).
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Export: `type=oci,dest=F`, `type=docker,dest=F`, `type=local,dest=DIR`.
    #[arg(short = 'o', long = "output", value_name = "SPEC")]
    outputs: Vec<String>,
    /// Say which steps would rebuild and why, without changing the cache or writing anything.
    #[arg(long)]
    pretend: bool,
}

/// The Dockerfile's path relative to the context root, `/`-separated, when it is inside
/// the context.
fn dockerfile_in_context(context: &Path, dockerfile: &Path) -> Option<String> {
    let context = context.canonicalize().ok()?;
    let dockerfile = dockerfile.canonicalize().ok()?;
    let rel = dockerfile.strip_prefix(&context).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

/// Files larger in total than this are not read into memory.
const MAX_CONTEXT_BYTES: u64 = 4 << 30;

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dockerfile_path = args
        .file
        .clone()
        .unwrap_or_else(|| args.context.join("Dockerfile"));
    let dockerfile = std::fs::read_to_string(&dockerfile_path)
        .with_context(|| format!("failed to read dockerfile: {}", dockerfile_path.display()))?;
    let ignore = find_ignore_file(&args.context, None, &dockerfile_path)?;
    let ignore_file = IgnoreFile::parse(ignore.as_ref().map_or("", |s| s.text.as_str()));
    let matcher = match ignore_file.matcher() {
        Ok(m) => m,
        Err(e) => {
            let d = e.to_diagnostic();
            let name = ignore.as_ref().map_or(".dockerignore", |s| s.name.as_str());
            eprintln!("ERROR: failed to build: {name}: {}", d.message);
            return Ok(ExitCode::FAILURE);
        }
    };
    let found =
        walk_dir(&args.context, &matcher).map_err(|e| anyhow::anyhow!("{}", e.message()))?;
    let tree = ContextTree::new(found.entries);
    let decided = walk(&matcher, &tree).map_err(|e| anyhow::anyhow!("{}", e.message()))?;
    let (context, context_bytes) = read_context(&args.context, &tree, &decided)?;
    let excluded = |path: &str| -> Option<String> {
        let e = matcher.explain(path).ok()?;
        e.excluded.then(|| matcher.describe(&e))
    };

    let options = options(&args)?;
    let cache_file = args
        .cache_dir
        .as_ref()
        .map(|d| d.join("layerlab-cache.bin"));
    let mut cache = match &cache_file {
        Some(f) if f.exists() => {
            let bytes = std::fs::read(f).with_context(|| format!("reading {}", f.display()))?;
            CacheStore::from_bytes(&bytes).unwrap_or_else(|e| {
                eprintln!("warning: ignoring the cache in {}: {e}", f.display());
                CacheStore::default()
            })
        }
        _ => CacheStore::default(),
    };
    let bases = CatalogBases::default();
    let in_context = dockerfile_in_context(&args.context, &dockerfile_path);
    let req = BuildRequest {
        dockerfile: &dockerfile,
        dockerfile_path: in_context.as_deref(),
        context: &context,
        excluded: &excluded,
        options: &options,
        bases: &bases,
        runner: &ShellRunner,
    };
    let out = build(&req, &mut cache);

    let index = LineIndex::new(&dockerfile);
    if args.pretend {
        print_pretend(&out, &index);
        return Ok(if out.report.error.is_some() {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    let tags: Vec<Reference> = args
        .tags
        .iter()
        .map(|t| Reference::parse_docker(t).with_context(|| format!("invalid tag {t:?}")))
        .collect::<anyhow::Result<_>>()?;
    match args.progress {
        Progress::Plain => {
            let input = ProgressInput {
                dockerfile_name: &dockerfile_path.to_string_lossy(),
                dockerfile: &dockerfile,
                dockerignore_len: ignore.as_ref().map_or(0, |s| s.text.len() as u64),
                context_bytes,
                bases: bases_of(&out),
                tag: tags.first().map(|t| t.to_string()),
            };
            eprint!("{}", render_plain(&out.report, &input));
        }
        Progress::Json => {
            for step in &out.report.steps {
                println!("{}", step_json(step, &index));
            }
        }
        Progress::Quiet => {}
    }
    // layerlab's own note, apart from the progress BuildKit would print.
    let unused = &out.report.unused_build_args;
    if args.progress != Progress::Quiet && !unused.is_empty() {
        let verb = if unused.len() == 1 {
            "it changes"
        } else {
            "they change"
        };
        eprintln!(
            "note: no ARG declares --build-arg {}, so {verb} nothing",
            unused.join(", ")
        );
    }
    if let Some(f) = &cache_file {
        std::fs::create_dir_all(f.parent().unwrap_or(Path::new(".")))?;
        std::fs::write(f, cache.to_bytes()).with_context(|| format!("writing {}", f.display()))?;
    }
    if let Some(path) = &args.report {
        let report = report_json(&out, &index);
        std::fs::write(path, serde_json::to_string_pretty(&report)? + "\n")
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if out.report.error.is_some() {
        return Ok(ExitCode::FAILURE);
    }
    let epoch = options.epoch;
    for spec in &args.outputs {
        let o = output::parse_output(spec)?;
        match (o.kind, &out.image, &out.fs) {
            (Kind::Local, _, Some(fs)) => output::write_local(fs, &o.dest)?,
            (_, Some(image), _) => {
                output::write_archive(image, &o, tags.clone(), epoch)?;
            }
            _ => bail!("the build produced no image to export"),
        }
        if args.progress == Progress::Plain {
            eprintln!("wrote {}", o.dest.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn options(args: &Args) -> anyhow::Result<BuildOptions> {
    let mut build_args = Vec::new();
    for a in &args.build_args {
        match a.split_once('=') {
            Some((k, v)) => build_args.push((k.to_string(), v.to_string())),
            // `--build-arg K` takes K from the environment, as docker does.
            None => {
                if let Ok(v) = std::env::var(a) {
                    build_args.push((a.clone(), v));
                }
            }
        }
    }
    let labels = args
        .labels
        .iter()
        .map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .ok_or_else(|| anyhow::anyhow!("--label {l:?}: expected K=V"))
        })
        .collect::<anyhow::Result<_>>()?;
    let platform = match &args.platform {
        Some(p) => Some(layerlab_build::platform::parse(p).map_err(anyhow::Error::msg)?),
        None => None,
    };
    // SOURCE_DATE_EPOCH fixes every timestamp; without it, 0 keeps builds reproducible.
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Ok(BuildOptions {
        build_args,
        target: args.target.clone(),
        no_cache: args.no_cache,
        no_cache_filter: args.no_cache_filter.clone(),
        platform,
        epoch,
        labels,
    })
}

/// Reads the sent entries into an in-memory filesystem, owners reset to 0:0 as
/// BuildKit's client does; returns it with the bytes transferred.
fn read_context(
    root: &Path,
    tree: &ContextTree,
    walked: &layerlab_dockerignore::WalkReport,
) -> anyhow::Result<(Fs, u64)> {
    use std::os::unix::fs::MetadataExt;
    let mut fs = Fs::new(Meta::new(0o755));
    let mut bytes = 0u64;
    for i in walked.sent() {
        let entry = &tree.entries()[i];
        let host = root.join(&entry.path);
        let vpath = VfsPath::new(&format!("/{}", entry.path));
        let meta = match std::fs::symlink_metadata(&host) {
            Ok(m) => m,
            Err(e) => {
                eprintln!("warning: skipping {}: {e}", entry.path);
                continue;
            }
        };
        let m = Meta::new(meta.mode() & 0o7777).with_mtime(meta.mtime());
        match entry.kind {
            EntryKind::Dir => fs.mkdir_p(&vpath, m)?,
            EntryKind::Symlink => {
                let target = std::fs::read_link(&host)?;
                fs.symlink(&target.to_string_lossy(), &vpath, m)?;
            }
            _ => {
                bytes += meta.len();
                if bytes > MAX_CONTEXT_BYTES {
                    bail!(
                        "the build context is larger than {} bytes",
                        MAX_CONTEXT_BYTES
                    );
                }
                let data =
                    std::fs::read(&host).with_context(|| format!("reading {}", host.display()))?;
                fs.write_file(&vpath, Content::inline(data), m)?;
            }
        }
    }
    Ok((fs, bytes))
}

fn bases_of(out: &BuildOutput) -> Vec<String> {
    let mut bases: Vec<String> = Vec::new();
    for step in &out.report.steps {
        if let Some(rest) = step.instruction.strip_prefix("FROM ") {
            let name = rest.split('@').next().unwrap_or(rest).to_string();
            if !bases.contains(&name) {
                bases.push(name);
            }
        }
    }
    bases
}

fn reason(step: &StepReport) -> Option<String> {
    match &step.status {
        StepStatus::Cached => None,
        StepStatus::Executed(r) => Some(r.describe()),
        StepStatus::Failed { message } => Some(message.clone()),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

fn step_json(step: &StepReport, index: &LineIndex) -> Value {
    json!({
        "stage": step.stage,
        "step": step.label(),
        "instruction": step.instruction,
        "line": index.line_of(step.source.start()) + 1,
        "cached": step.is_cached(),
        "failed": matches!(step.status, StepStatus::Failed { .. }),
        "reason": reason(step),
        "layer": step.layer.as_ref().map(|l| json!({
            "diff_id": l.diff_id().to_string(),
            "size": l.size,
            "entries": l.entries,
        })),
        "duration_ms": step.duration_ms,
        "cache_key": step.key.to_string(),
        "output": step.output.iter().map(|(_, line)| line.clone()).collect::<Vec<_>>(),
        "warnings": step.warnings,
    })
}

fn report_json(out: &BuildOutput, index: &LineIndex) -> Value {
    json!({
        "stages": out.report.stages.iter().map(|s| json!({
            "name": s.name,
            "base": s.base,
            "built": s.built,
        })).collect::<Vec<_>>(),
        "steps": out.report.steps.iter().map(|s| step_json(s, index)).collect::<Vec<_>>(),
        "image": out.report.image.as_ref().map(|i| json!({
            "id": i.id.to_string(),
            "size": i.size,
            "new_layers": i.new_layers,
        })),
        "unused_build_args": out.report.unused_build_args,
        "duration_ms": out.report.duration_ms(),
        "saved_ms": out.report.saved_ms(),
        "error": out.report.error.as_ref().map(|e| json!({
            "message": e.message,
            "line": e.source.map(|r| index.line_of(r.start()) + 1),
        })),
    })
}

fn print_pretend(out: &BuildOutput, index: &LineIndex) {
    let mut rebuild = 0;
    for step in &out.report.steps {
        let line = index.line_of(step.source.start()) + 1;
        match reason(step) {
            None => println!(
                "line {line:>3}  CACHED   {} {}",
                step.label(),
                step.instruction
            ),
            Some(why) => {
                rebuild += 1;
                println!(
                    "line {line:>3}  REBUILD  {} {}\n             why: {why}",
                    step.label(),
                    step.instruction
                );
            }
        }
    }
    if let Some(e) = &out.report.error {
        println!("the build would fail: {}", e.message);
    }
    println!(
        "{rebuild} of {} would rebuild",
        layerlab_text::count(out.report.steps.len() as u64, "step")
    );
}

#[cfg(test)]
mod tests {
    use super::dockerfile_in_context;

    #[test]
    fn the_dockerfile_path_is_relative_to_the_context_when_inside_it() {
        let dir = tempfile::tempdir().unwrap();
        let context = dir.path().join("ctx");
        std::fs::create_dir_all(context.join("docker")).unwrap();
        for f in [
            "ctx/Dockerfile",
            "ctx/docker/app.Dockerfile",
            "outside.Dockerfile",
        ] {
            std::fs::write(dir.path().join(f), "FROM scratch\n").unwrap();
        }
        let at = |f: &str| dockerfile_in_context(&context, &dir.path().join(f));
        assert_eq!(at("ctx/Dockerfile").as_deref(), Some("Dockerfile"));
        assert_eq!(
            at("ctx/docker/../docker/app.Dockerfile").as_deref(),
            Some("docker/app.Dockerfile")
        );
        assert_eq!(at("outside.Dockerfile"), None);
        assert_eq!(at("ctx/missing"), None);
    }
}
