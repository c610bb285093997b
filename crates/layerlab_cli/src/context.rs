//! `layerlab context [DIR]`: what the build context really contains, and why.
//!
//! Chooses the ignore file as BuildKit does (`<Dockerfile>.dockerignore` beside the
//! Dockerfile first, else `.dockerignore` at the context root), walks the context
//! (a real directory, or a listing on standard input with `--stdin-tree`) with
//! BuildKit's exact rules, then prints a summary, the sent list (`--list`), or the
//! deciding rules for given paths (`--explain`), as text or JSON.

mod dockerfile;
pub(crate) mod fswalk;
mod summary;

use crate::render;
use anyhow::Context as _;
use layerlab_dockerignore::{
    select_ignore_file, walk, ContextTree, IgnoreFile, IgnoreFileChoice, MatchError, Matcher,
    Outcome, WalkReport,
};
use layerlab_text::{Diagnostic, LineIndex, Severity};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The build context directory.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Print exactly the sent entries, one per line, in BuildKit's walk order
    /// (directories end in `/`).
    #[arg(long)]
    list: bool,
    /// Use this ignore file instead of the one found beside the Dockerfile or in DIR.
    #[arg(long, value_name = "FILE")]
    ignore_file: Option<PathBuf>,
    /// The Dockerfile (default DIR/Dockerfile): selects `<Dockerfile>.dockerignore`
    /// and has its COPY/ADD sources checked against the ignore file.
    #[arg(short = 'f', long = "file", value_name = "DOCKERFILE")]
    dockerfile: Option<PathBuf>,
    /// Read the context's entries from standard input instead of walking DIR: one
    /// path per line, directories end in `/`.
    #[arg(long)]
    stdin_tree: bool,
    /// Explain why PATH is or is not sent (repeatable).
    #[arg(long, value_name = "PATH")]
    explain: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

/// The ignore file in use: its display name and text.
pub(crate) struct Source {
    pub(crate) name: String,
    pub(crate) text: String,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let dockerfile = args
        .dockerfile
        .clone()
        .unwrap_or_else(|| args.dir.join("Dockerfile"));
    let ignore = find_ignore_file(&args.dir, args.ignore_file.as_deref(), &dockerfile)?;
    let file = IgnoreFile::parse(ignore.as_ref().map_or("", |s| s.text.as_str()));
    let name = ignore.as_ref().map_or("(none)", |s| s.name.as_str());
    let text = ignore.as_ref().map_or("", |s| s.text.as_str());
    if let Some(d) = file
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Error)
    {
        return fail(name, text, d);
    }
    let matcher = match file.matcher() {
        Ok(m) => m,
        Err(e) => return fail(name, text, &e.to_diagnostic()),
    };
    let (tree, unreadable) = if args.stdin_tree {
        let mut listing = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut listing)
            .context("reading the tree from standard input")?;
        (ContextTree::from_listing(&listing), Vec::new())
    } else {
        anyhow::ensure!(
            args.dir.is_dir(),
            "build context {} is not a directory",
            args.dir.display()
        );
        match fswalk::walk_dir(&args.dir, &matcher) {
            Ok(fs) => (ContextTree::new(fs.entries), fs.unreadable),
            Err(e) => return walk_failed(name, text, &matcher, &e),
        }
    };
    let report = match walk(&matcher, &tree) {
        Ok(r) => r,
        Err(e) => return walk_failed(name, text, &matcher, &e),
    };
    if !args.explain.is_empty() || args.list {
        // The summary lists these itself.
        for (path, err) in &unreadable {
            eprintln!("warning: {path}: {err} (skipped)");
        }
    }
    if !args.explain.is_empty() {
        return explain(&args, &matcher, &tree, &report);
    }
    if args.list {
        let sent: Vec<String> = report.sent().map(|i| listed(&tree, i)).collect();
        if args.format == Format::Json {
            println!("{}", serde_json::to_string_pretty(&sent)?);
        } else {
            let mut out = String::with_capacity(sent.len() * 32);
            for line in &sent {
                out.push_str(line);
                out.push('\n');
            }
            print!("{out}");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let copy_warnings = dockerfile::copy_warnings(&dockerfile, &matcher);
    let input = summary::Input {
        dir: &args.dir,
        ignore: ignore.as_ref(),
        file: &file,
        matcher: &matcher,
        tree: &tree,
        report: &report,
        unreadable: &unreadable,
        copy_warnings: &copy_warnings,
    };
    if args.format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&summary::json(&input))?);
    } else {
        print!("{}", summary::text(&input));
    }
    Ok(ExitCode::SUCCESS)
}

/// The ignore file a build of `dir` with `dockerfile` uses (`explicit` overrides),
/// read from disk.
pub(crate) fn find_ignore_file(
    dir: &Path,
    explicit: Option<&Path>,
    dockerfile: &Path,
) -> anyhow::Result<Option<Source>> {
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => {
            let exists = |p: &str| Path::new(p).is_file();
            let choice = select_ignore_file(
                Some(&dockerfile.to_string_lossy()),
                &dir.to_string_lossy(),
                &exists,
            );
            match choice {
                IgnoreFileChoice::None => None,
                other => other.path().map(PathBuf::from),
            }
        }
    };
    let Some(path) = path else {
        return Ok(None);
    };
    let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    Ok(Some(Source {
        name: path.display().to_string(),
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }))
}

/// An entry as `--list` prints it.
pub(crate) fn listed(tree: &ContextTree, i: usize) -> String {
    let e = &tree.entries()[i];
    if e.is_dir() {
        format!("{}/", e.path)
    } else {
        e.path.clone()
    }
}

fn fail(name: &str, text: &str, d: &Diagnostic) -> anyhow::Result<ExitCode> {
    let index = LineIndex::new(text);
    eprintln!("{}", render::diagnostic(name, text, &index, d));
    Ok(ExitCode::FAILURE)
}

fn walk_failed(
    name: &str,
    text: &str,
    matcher: &Matcher,
    e: &MatchError,
) -> anyhow::Result<ExitCode> {
    let p = &matcher.patterns()[e.pattern as usize];
    let range = p.source().range.unwrap_or_default();
    let d = Diagnostic::error(
        "invalid-ignore-pattern",
        format!(
            "{} (pattern `{}` on line {}, reached at `{}`)",
            e.message(),
            p.source().text,
            p.source().line,
            e.path
        ),
        range,
    );
    fail(name, text, &d)
}

fn explain(
    args: &Args,
    matcher: &Matcher,
    tree: &ContextTree,
    report: &WalkReport,
) -> anyhow::Result<ExitCode> {
    let mut json_out = Vec::new();
    for path in &args.explain {
        let path = path.trim_start_matches("./").trim_matches('/');
        let e = match matcher.explain(path) {
            Ok(e) => e,
            Err(err) => {
                eprintln!("{path}: {}", err.message());
                return Ok(ExitCode::FAILURE);
            }
        };
        let index = tree.entries().iter().position(|x| x.path == path);
        let outcome = index.map(|i| report.outcomes[i]);
        let mut line = matcher.describe(&e);
        let mut sent = !e.excluded;
        if let Some(Outcome::SentForContents { .. }) = outcome {
            sent = true;
            line.push_str("; sent anyway because entries inside it are sent");
        }
        if index.is_none() {
            line.push_str(" (not among the walked entries)");
        }
        if args.format == Format::Json {
            let chain: Vec<_> = e
                .chain
                .iter()
                .map(|c| {
                    let p = &matcher.patterns()[c.pattern as usize];
                    json!({
                        "line": p.source().line,
                        "pattern": p.source().text,
                        "effect": if c.reincludes { "re-include" } else { "exclude" },
                        "matched": c.matched,
                    })
                })
                .collect();
            json_out.push(json!({
                "path": path,
                "in_context": index.is_some(),
                "sent": sent,
                "explanation": line,
                "chain": chain,
                "pruned_at": e.pruned_at.as_ref().map(|p| json!({
                    "dir": p.dir,
                    "line": matcher.patterns()[p.pattern as usize].source().line,
                })),
            }));
        } else {
            println!("{path}: {line}");
        }
    }
    if args.format == Format::Json {
        println!("{}", serde_json::to_string_pretty(&json_out)?);
    }
    Ok(ExitCode::SUCCESS)
}
