//! Runs a parsed scenario: keeps the context and the cache between its builds, builds
//! each with the engine, and checks every expectation, collecting all failures.

use super::format::{BuildSpec, Edits, Expect, FileEdit, Scenario};
use layerlab_build::bases::CatalogBases;
use layerlab_build::cache::CacheStore;
use layerlab_build::engine::{build, BuildOptions, BuildOutput, BuildRequest, RunSimulator};
use layerlab_build::report::StepStatus;
use layerlab_dockerignore::{walk, ContextEntry, ContextTree, IgnoreFile};
use layerlab_image::EntryKind;
use layerlab_vfs::{Content, Fs, Meta, VfsPath};
use std::collections::BTreeMap;

/// The RUN simulator every scenario uses: the one place to switch it.
pub fn runner() -> &'static dyn RunSimulator {
    &layerlab_build::runner::ShellRunner
}

/// The fixed SOURCE_DATE_EPOCH of scenario builds, so digests are reproducible.
pub const EPOCH: i64 = 1_700_000_000;

/// The context as the scenario has it: files by path.
#[derive(Clone, Debug, Default)]
struct State {
    dockerfile: String,
    dockerignore: Option<String>,
    files: BTreeMap<String, (String, u32, i64)>,
}

impl State {
    fn apply(&mut self, edits: &Edits) {
        if let Some(d) = &edits.dockerfile {
            self.dockerfile = d.clone();
        }
        if let Some(i) = &edits.dockerignore {
            self.dockerignore = Some(i.clone());
        }
        for f in &edits.files {
            match f {
                FileEdit::Write {
                    path,
                    text,
                    mode,
                    mtime,
                } => {
                    self.files
                        .insert(path.clone(), (text.clone(), *mode, *mtime));
                }
                FileEdit::Remove(path) => {
                    self.files.remove(path);
                }
            }
        }
    }

    /// Every context file, the Dockerfile and ignore file included (the client sends
    /// them unless the ignore file excludes them).
    fn all_files(&self) -> BTreeMap<String, (String, u32, i64)> {
        let mut all = self.files.clone();
        all.entry("Dockerfile".into())
            .or_insert_with(|| (self.dockerfile.clone(), 0o644, 0));
        if let Some(i) = &self.dockerignore {
            all.entry(".dockerignore".into())
                .or_insert_with(|| (i.clone(), 0o644, 0));
        }
        all
    }
}

/// What one build of a scenario produced, for checks and for recording image IDs.
pub struct BuildResult {
    /// The engine's output.
    pub output: BuildOutput,
}

/// Builds every build of `sc` in order, sharing one cache; returns the outputs and the
/// failed checks (`name:line: message`).
pub fn run(name: &str, sc: &Scenario) -> (Vec<BuildResult>, Vec<String>) {
    let mut state = State::default();
    state.apply(&sc.initial);
    let mut cache = CacheStore::default();
    let bases = CatalogBases::default();
    let mut results = Vec::new();
    let mut failures = Vec::new();
    for spec in &sc.builds {
        state.apply(&spec.edits);
        let output = match build_once(&state, spec, &bases, &mut cache) {
            Ok(o) => o,
            Err(e) => {
                failures.push(format!("{name}:{}: {e}", spec.line));
                results.push(BuildResult {
                    output: BuildOutput::default(),
                });
                continue;
            }
        };
        for ex in &spec.expects {
            if let Err(m) = check(ex, &output) {
                failures.push(format!("{name}:{}: {}: {m}", ex.line, ex.key));
            }
        }
        failures.extend(check_history(name, spec, &output));
        failures.extend(check_error_line(name, &state.dockerfile, spec, &output));
        results.push(BuildResult { output });
    }
    (results, failures)
}

fn options(spec: &BuildSpec, cache: &mut CacheStore) -> Result<BuildOptions, String> {
    let mut o = BuildOptions {
        epoch: EPOCH,
        ..BuildOptions::default()
    };
    for (line, opt) in &spec.options {
        let (flag, value) = match opt.split_once(' ') {
            Some((f, v)) => (f, Some(v.trim())),
            None => (opt.as_str(), None),
        };
        let kv = |v: Option<&str>| -> Result<(String, String), String> {
            let v = v.ok_or(format!("line {line}: {flag} needs a value"))?;
            let (k, val) = v.split_once('=').unwrap_or((v, ""));
            Ok((k.to_string(), val.to_string()))
        };
        match flag {
            "--build-arg" => o.build_args.push(kv(value)?),
            "--label" => o.labels.push(kv(value)?),
            "--target" => o.target = value.map(str::to_string),
            "--no-cache" => o.no_cache = true,
            "--no-cache-filter" => o
                .no_cache_filter
                .extend(value.unwrap_or("").split(',').map(|s| s.trim().to_string())),
            "--platform" => {
                let v = value.unwrap_or("");
                o.platform = Some(
                    layerlab_build::platform::parse(v)
                        .map_err(|e| format!("line {line}: --platform {v}: {e}"))?,
                );
            }
            // `docker builder prune` before this build.
            "--prune" => cache.prune(),
            _ => return Err(format!("line {line}: unknown option `{opt}`")),
        }
    }
    Ok(o)
}

fn build_once(
    state: &State,
    spec: &BuildSpec,
    bases: &CatalogBases,
    cache: &mut CacheStore,
) -> Result<BuildOutput, String> {
    let options = options(spec, cache)?;
    let ignore = IgnoreFile::parse(state.dockerignore.as_deref().unwrap_or(""));
    let matcher = ignore
        .matcher()
        .map_err(|e| format!(".dockerignore: {}", e.to_diagnostic().message))?;
    let files = state.all_files();
    let tree = ContextTree::new(
        files
            .iter()
            .map(|(p, (t, _, _))| ContextEntry::file(p.clone(), t.len() as u64)),
    );
    let walked = walk(&matcher, &tree).map_err(|e| e.message().to_string())?;
    let mut context = Fs::new(Meta::new(0o755));
    for i in walked.sent() {
        let entry = &tree.entries()[i];
        let path = VfsPath::new(&format!("/{}", entry.path));
        if entry.is_dir() {
            context
                .mkdir_p(&path, Meta::new(0o755))
                .map_err(|e| e.to_string())?;
        } else if let Some((text, mode, mtime)) = files.get(&entry.path) {
            context
                .write_file(
                    &path,
                    Content::inline(text.clone()),
                    Meta::new(*mode).with_mtime(*mtime),
                )
                .map_err(|e| e.to_string())?;
        }
    }
    let excluded = |path: &str| -> Option<String> {
        let e = matcher.explain(path).ok()?;
        e.excluded.then(|| matcher.describe(&e))
    };
    let req = BuildRequest {
        dockerfile: &state.dockerfile,
        context: &context,
        excluded: &excluded,
        options: &options,
        bases,
        runner: runner(),
    };
    Ok(build(&req, cache))
}

/// Parses a step number (1-based) and returns its index.
fn step_index(ex: &Expect, out: &BuildOutput) -> Result<usize, String> {
    let arg = ex.arg.as_deref().unwrap_or("");
    let n: usize = arg
        .parse()
        .map_err(|_| format!("bad step number `{arg}`"))?;
    if n == 0 || n > out.report.steps.len() {
        return Err(format!(
            "no step {n} (the build has {} steps)",
            out.report.steps.len()
        ));
    }
    Ok(n - 1)
}

/// ✓ cached, ✗ executed, ! failed.
fn verdicts(out: &BuildOutput) -> String {
    out.report
        .steps
        .iter()
        .map(|s| match s.status {
            StepStatus::Cached => '✓',
            StepStatus::Executed(_) => '✗',
            _ => '!',
        })
        .collect()
}

/// Expands `1-2, 4` into step numbers.
fn ranges(value: &str) -> Result<Vec<usize>, String> {
    let mut out = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let a: usize = a
            .trim()
            .parse()
            .map_err(|_| format!("bad range `{part}`"))?;
        let b: usize = b
            .trim()
            .parse()
            .map_err(|_| format!("bad range `{part}`"))?;
        out.extend(a..=b);
    }
    Ok(out)
}

fn json_strings(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", items.join(","))
}

fn same(actual: String, expected: &str) -> Result<(), String> {
    if actual == expected {
        Ok(())
    } else {
        Err(format!("expected `{expected}`, got `{actual}`"))
    }
}

fn layer_entries(out: &BuildOutput, i: usize) -> Result<String, String> {
    let layer = out.report.steps[i]
        .layer
        .as_ref()
        .ok_or("the step has no layer")?;
    let mut names: Vec<String> = layer
        .layer
        .entries()
        .iter()
        .map(|e| match e.kind {
            EntryKind::Dir => format!("{}/", e.path),
            EntryKind::Whiteout => format!("-{}", e.path),
            EntryKind::Opaque => format!("-{}/*", e.path),
            _ => e.path.to_string(),
        })
        .collect();
    names.sort();
    Ok(names.join(" "))
}

fn history_lines(out: &BuildOutput) -> Vec<String> {
    let Some(img) = &out.image else {
        return Vec::new();
    };
    img.config
        .history
        .iter()
        .map(|h| {
            let by = h.created_by.clone().unwrap_or_default();
            if h.empty_layer {
                format!("history: {by}")
            } else {
                format!("history+: {by}")
            }
        })
        .collect()
}

fn check(ex: &Expect, out: &BuildOutput) -> Result<(), String> {
    let needs_image = !matches!(
        ex.key.as_str(),
        "steps"
            | "cached"
            | "rebuilt"
            | "stages"
            | "reason"
            | "instruction"
            | "layer"
            | "warning"
            | "error"
            | "error line"
    );
    if needs_image && out.image.is_none() {
        return Err(format!("the build failed: {:?}", out.report.error));
    }
    let img = out.image.as_ref();
    let cfg = img.map(|i| &i.config.config);
    let fs = out.fs.as_ref();
    match ex.key.as_str() {
        "steps" => same(verdicts(out), &ex.value),
        "cached" | "rebuilt" => {
            let v: Vec<char> = verdicts(out).chars().collect();
            let want = if ex.key == "cached" { '✓' } else { '✗' };
            for n in ranges(&ex.value)? {
                match v.get(n.wrapping_sub(1)) {
                    Some(c) if *c == want => {}
                    Some(c) => return Err(format!("step {n} is {c}, not {want}")),
                    None => return Err(format!("no step {n}")),
                }
            }
            Ok(())
        }
        "stages" => same(
            out.report
                .stages
                .iter()
                .map(|s| if s.built { '✓' } else { '-' })
                .collect(),
            &ex.value,
        ),
        "reason" => {
            let i = step_index(ex, out)?;
            let text = match &out.report.steps[i].status {
                StepStatus::Executed(r) => r.describe(),
                StepStatus::Failed { message } => message.clone(),
                _ => return Err("the step was cached".into()),
            };
            if text.contains(&ex.value) {
                Ok(())
            } else {
                Err(format!("`{text}` does not contain `{}`", ex.value))
            }
        }
        "warning" => {
            let i = step_index(ex, out)?;
            let w = &out.report.steps[i].warnings;
            if w.iter().any(|w| w.contains(&ex.value)) {
                Ok(())
            } else {
                Err(format!("no warning contains it: {w:?}"))
            }
        }
        "instruction" => {
            let i = step_index(ex, out)?;
            same(out.report.steps[i].instruction.clone(), &ex.value)
        }
        "layer" => {
            let i = step_index(ex, out)?;
            same(layer_entries(out, i)?, &ex.value)
        }
        "error" => match &out.report.error {
            Some(e) if e.message.contains(&ex.value) => Ok(()),
            Some(e) => Err(format!("`{}` does not contain `{}`", e.message, ex.value)),
            None => Err("the build succeeded".into()),
        },
        // Checked by `check_error_line`, which has the Dockerfile text.
        "error line" => Ok(()),
        "env" => same(json_strings(&cfg.unwrap().env), &ex.value),
        "cmd" => same(json_strings(&cfg.unwrap().cmd), &ex.value),
        "entrypoint" => same(json_strings(&cfg.unwrap().entrypoint), &ex.value),
        "workdir" => same(
            cfg.unwrap().working_dir.clone().unwrap_or_default(),
            &ex.value,
        ),
        "user" => same(cfg.unwrap().user.clone().unwrap_or_default(), &ex.value),
        "args escaped" => same(cfg.unwrap().args_escaped.to_string(), &ex.value),
        "exposed" => same(
            cfg.unwrap()
                .exposed_ports
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
            &ex.value,
        ),
        "volumes" => same(
            cfg.unwrap()
                .volumes
                .iter()
                .cloned()
                .collect::<Vec<_>>()
                .join(" "),
            &ex.value,
        ),
        "labels" => same(
            cfg.unwrap()
                .labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" "),
            &ex.value,
        ),
        "history" | "history+" => Ok(()), // checked as a sequence by `check_history`
        "size" => {
            let size = out.report.image.as_ref().map_or(0, |i| i.size);
            let (lo, hi) = ex.value.split_once("..").ok_or("expected `lo..hi`")?;
            let lo: u64 = lo.trim().parse().map_err(|_| "bad size")?;
            let hi: u64 = hi.trim().parse().map_err(|_| "bad size")?;
            if (lo..=hi).contains(&size) {
                Ok(())
            } else {
                Err(format!("size {size} not in {lo}..{hi}"))
            }
        }
        "new layers" => same(
            out.report
                .image
                .as_ref()
                .map_or(0, |i| i.new_layers)
                .to_string(),
            &ex.value,
        ),
        "image id" => same(img.unwrap().id().to_string(), &ex.value),
        "exists" | "absent" => {
            let there = fs.unwrap().exists(&VfsPath::new(&ex.value));
            if there == (ex.key == "exists") {
                Ok(())
            } else {
                Err(format!(
                    "{} is {}",
                    ex.value,
                    if there { "there" } else { "missing" }
                ))
            }
        }
        "file" => {
            let path = ex.arg.as_deref().unwrap_or("");
            let c = fs
                .unwrap()
                .read_file(&VfsPath::new(path))
                .map_err(|e| format!("{path}: {e}"))?;
            let text = String::from_utf8_lossy(&c.to_vec()).replace('\n', "\\n");
            same(text, &ex.value)
        }
        "mode" | "owner" => {
            let path = ex.arg.as_deref().unwrap_or("");
            let m = fs
                .unwrap()
                .metadata(&VfsPath::new(path))
                .map_err(|e| format!("{path}: {e}"))?;
            if ex.key == "mode" {
                same(format!("{:04o}", m.mode & 0o7777), &ex.value)
            } else {
                same(format!("{}:{}", m.uid, m.gid), &ex.value)
            }
        }
        other => Err(format!("unhandled key {other}")),
    }
}

/// Checks the `history`/`history+` lines of a build as one sequence: they must equal
/// the image's last history entries, in order (`history+` = an entry with a layer).
pub fn check_history(name: &str, spec: &BuildSpec, out: &BuildOutput) -> Option<String> {
    let want: Vec<String> = spec
        .expects
        .iter()
        .filter(|e| e.key == "history" || e.key == "history+")
        .map(|e| format!("{}: {}", e.key, e.value))
        .collect();
    if want.is_empty() {
        return None;
    }
    let all = history_lines(out);
    let tail = &all[all.len().saturating_sub(want.len())..];
    if tail == want.as_slice() {
        return None;
    }
    let line = spec
        .expects
        .iter()
        .find(|e| e.key.starts_with("history"))
        .map_or(spec.line, |e| e.line);
    Some(format!(
        "{name}:{line}: history: expected\n    {}\n  got (tail)\n    {}",
        want.join("\n    "),
        tail.join("\n    ")
    ))
}

/// Checks `error line` (1-based Dockerfile line of the error's source).
pub fn check_error_line(
    name: &str,
    dockerfile: &str,
    spec: &BuildSpec,
    out: &BuildOutput,
) -> Option<String> {
    let ex = spec.expects.iter().find(|e| e.key == "error line")?;
    let Some(err) = &out.report.error else {
        return Some(format!(
            "{name}:{}: error line: the build succeeded",
            ex.line
        ));
    };
    let Some(range) = err.source else {
        return Some(format!(
            "{name}:{}: error line: the error has no location",
            ex.line
        ));
    };
    let start = (u32::from(range.start()) as usize).min(dockerfile.len());
    let line = dockerfile[..start].matches('\n').count() + 1;
    (line.to_string() != ex.value).then(|| {
        format!(
            "{name}:{}: error line: expected {}, got {line}",
            ex.line, ex.value
        )
    })
}
