//! The expectation checker: each `expect` line of a build against the engine's output,
//! with a sentence a learner can read ("steps 1-4 come from the cache") and, when it
//! fails, what the build did instead.

use crate::format::{parse_byte_range, parse_human_size, parse_ranges, BuildSpec, Expect};
use layerlab_build::engine::BuildOutput;
use layerlab_build::progress::{human_size_precision, seconds};
use layerlab_build::report::StepStatus;
use layerlab_image::EntryKind;
use layerlab_vfs::VfsPath;

/// Significant digits of sizes, as `docker images` and `docker history` print them.
pub const SIZE_PRECISION: u32 = 3;

/// One expectation's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// 1-based line of the expectation in the lesson file.
    pub line: u32,
    /// The key as written (`cached`, `layer 3 size`, `history`).
    pub key: String,
    /// What is expected, as a sentence.
    pub expected: String,
    /// `Ok` when it holds; otherwise what the build did instead.
    pub result: Result<(), String>,
}

impl Outcome {
    /// Whether the expectation holds.
    pub fn passed(&self) -> bool {
        self.result.is_ok()
    }

    /// `steps 1-4 come from the cache ✓`, or with `✗ (why)` when it does not hold.
    pub fn message(&self) -> String {
        match &self.result {
            Ok(()) => format!("{} ✓", self.expected),
            Err(why) => format!("{} ✗ ({why})", self.expected),
        }
    }
}

/// Checks every expectation of `spec` against `out`, in file order. `dockerfile` is the
/// text that was built (for `error line`). `history`/`history+` lines are one check (the
/// image's last history entries, in order), reported at the first of them.
pub fn check_build(spec: &BuildSpec, dockerfile: &str, out: &BuildOutput) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    let mut history_done = false;
    let names = StepNames::of(out);
    for ex in &spec.expects {
        let result = match ex.key.as_str() {
            "history" | "history+" if history_done => continue,
            "history" | "history+" => {
                history_done = true;
                check_history(spec, out)
            }
            "error line" => check_error_line(ex, dockerfile, out),
            _ => check(ex, out),
        };
        outcomes.push(Outcome {
            line: ex.line,
            key: key_text(ex),
            expected: describe(ex, spec, &names),
            result,
        });
    }
    outcomes
}

/// The key as the author wrote it.
fn key_text(ex: &Expect) -> String {
    match (ex.key.as_str(), &ex.arg) {
        ("layer size", Some(n)) => format!("layer {n} size"),
        (k, Some(a)) => format!("{k} {a}"),
        (k, None) => k.to_string(),
    }
}

/// The expectation as a sentence, its steps named as `names` says.
fn describe(ex: &Expect, spec: &BuildSpec, names: &StepNames) -> String {
    let v = &ex.value;
    let arg = ex.arg.as_deref().unwrap_or("");
    let step = match arg.parse() {
        Ok(n) => names.run(n, n),
        Err(_) => format!("step {arg}"),
    };
    match ex.key.as_str() {
        "steps" => steps_in_words(v, names),
        "cached" => format!("{} from the cache", names.list(v)),
        "rebuilt" => format!("{} built", names.list(v)),
        "stages" => format!("stages {v} (✓ built, - skipped)"),
        "reason" => format!("{step} runs because: {v}"),
        "instruction" => format!("{step} is `{v}`"),
        "layer" => format!("{step}'s layer holds {v}"),
        "layer size" => format!("{step}'s layer is {v}"),
        "warning" => format!("{step} warns: {v}"),
        "env" => format!("the image's environment is {v}"),
        "cmd" => format!("the image's CMD is {v}"),
        "entrypoint" => format!("the image's ENTRYPOINT is {v}"),
        "workdir" => format!("the image's working directory is `{v}`"),
        "user" if v.is_empty() => "the image runs as root (no USER)".to_string(),
        "user" => format!("the image runs as `{v}`"),
        "args escaped" => format!("ArgsEscaped is {v}"),
        "exposed" => format!("the image exposes {v}"),
        "volumes" => format!("the image declares volumes {v}"),
        "labels" => format!("the image's labels are {v}"),
        "history" | "history+" => {
            let n = spec
                .expects
                .iter()
                .filter(|e| e.key.starts_with("history"))
                .count();
            format!("the image's last {n} history entries are as listed")
        }
        "size" => format!("the image is {v} bytes"),
        "image size" => format!("the image is {v}"),
        "new layers" => format!(
            "the build adds {v} {}",
            if v == "1" { "layer" } else { "layers" }
        ),
        "saved" => format!("the cache saves {v}"),
        "error" => format!("the build fails: {v}"),
        "error line" => format!("the error points at Dockerfile line {v}"),
        "image id" => format!("the image ID is {v}"),
        "exists" => format!("{v} is in the image"),
        "absent" => format!("{v} is not in the image"),
        "file" => format!("{arg} holds `{v}`"),
        "mode" => format!("{arg} has mode {v}"),
        "owner" => format!("{arg} is owned by {v}"),
        other => format!("{other}: {v}"),
    }
}

/// How a lesson names a step (1-based, in execution order) to a learner. In a build of
/// one stage the Build view's `[5/6]` is step 5, so numbers read well; with stages it
/// shows `[build 5/6]` and `[stage-1 2/2]`, which no step number matches, so the
/// sentences use those labels.
struct StepNames(Vec<String>);

impl StepNames {
    fn of(out: &BuildOutput) -> StepNames {
        let labels: Vec<String> = out.report.steps.iter().map(|s| s.label()).collect();
        let staged = labels.iter().any(|l| l.contains(' '));
        StepNames(if staged { labels } else { Vec::new() })
    }

    fn label(&self, n: usize) -> Option<&str> {
        self.0.get(n.wrapping_sub(1)).map(String::as_str)
    }

    /// The stage of step `n` (`build`), when steps are named by label.
    fn stage(&self, n: usize) -> Option<&str> {
        self.label(n)
            .and_then(|l| l.rsplit_once(' '))
            .map(|(s, _)| s)
    }

    /// Steps `a` to `b`: `step 5`, `steps 5-6`, `[build 5/6]`, `[build 5/6] to [build 6/6]`.
    fn run(&self, a: usize, b: usize) -> String {
        match (self.label(a), self.label(b)) {
            (Some(x), _) if a == b => x.to_string(),
            (Some(x), Some(y)) if a + 1 == b => format!("{x}, {y}"),
            (Some(x), Some(y)) => format!("{x} to {y}"),
            _ if a == b => format!("step {a}"),
            _ => format!("steps {a}-{b}"),
        }
    }

    /// A step list as written (`5-6,8`) in words.
    fn list(&self, v: &str) -> String {
        let Ok(steps) = parse_ranges(v) else {
            return format!("steps {}", v.trim());
        };
        let runs = self.runs(steps.iter().map(|&n| ((), n)));
        let parts: Vec<String> = runs.iter().map(|&((), a, b)| self.run(a, b)).collect();
        parts.join(", ")
    }

    /// Groups `(kind, step)` pairs into runs of consecutive steps of one kind and one
    /// stage: `(kind, first, last)`.
    fn runs<K: PartialEq + Copy>(
        &self,
        steps: impl Iterator<Item = (K, usize)>,
    ) -> Vec<(K, usize, usize)> {
        let mut runs: Vec<(K, usize, usize)> = Vec::new();
        for (kind, n) in steps {
            match runs.last_mut() {
                Some((k, _, end))
                    if *k == kind && *end + 1 == n && self.stage(*end) == self.stage(n) =>
                {
                    *end = n
                }
                _ => runs.push((kind, n, n)),
            }
        }
        runs
    }
}

/// A `steps` pattern (`✓✓✗`: from the cache, built, `!` failed) in words, runs of one
/// kind grouped: `steps 1-2 from the cache, step 3 built`. The marks are the lesson
/// format's; shown to a learner, a ✗ for "built" read as a failure.
fn steps_in_words(v: &str, names: &StepNames) -> String {
    let marks = v.chars().filter(|c| !c.is_whitespace());
    let runs = names.runs(marks.zip(1..));
    if runs.is_empty() {
        return "no steps".to_string();
    }
    let parts: Vec<String> = runs
        .iter()
        .map(|&(kind, a, b)| format!("{} {}", names.run(a, b), mark_word(kind)))
        .collect();
    parts.join(", ")
}

/// What a step mark of the lesson format says.
fn mark_word(mark: char) -> String {
    match mark {
        '✓' => "from the cache".to_string(),
        '✗' => "built".to_string(),
        '!' => "failed".to_string(),
        other => format!("`{other}`"),
    }
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

/// ✓ cached, ✗ executed, ! failed, per step in execution order.
pub fn verdicts(out: &BuildOutput) -> String {
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

fn json_strings(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|s| format!("{s:?}")).collect();
    format!("[{}]", items.join(","))
}

fn same(actual: String, expected: &str) -> Result<(), String> {
    if actual == expected {
        Ok(())
    } else {
        Err(format!("got `{actual}`"))
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

/// The `history`/`history+` lines must equal the image's last history entries, in
/// order (`history+` = an entry with a layer).
fn check_history(spec: &BuildSpec, out: &BuildOutput) -> Result<(), String> {
    if out.image.is_none() {
        return Err(format!("the build failed: {}", failure(out)));
    }
    let want: Vec<String> = spec
        .expects
        .iter()
        .filter(|e| e.key == "history" || e.key == "history+")
        .map(|e| format!("{}: {}", e.key, e.value))
        .collect();
    let all = history_lines(out);
    let tail = &all[all.len().saturating_sub(want.len())..];
    if tail == want.as_slice() {
        return Ok(());
    }
    Err(format!(
        "expected\n    {}\n  got (tail)\n    {}",
        want.join("\n    "),
        tail.join("\n    ")
    ))
}

/// `error line`: the 1-based Dockerfile line the failure points at.
fn check_error_line(ex: &Expect, dockerfile: &str, out: &BuildOutput) -> Result<(), String> {
    let err = out.report.error.as_ref().ok_or("the build succeeded")?;
    let range = err.source.ok_or("the error has no location")?;
    let mut start = (u32::from(range.start()) as usize).min(dockerfile.len());
    while !dockerfile.is_char_boundary(start) {
        start -= 1;
    }
    let line = dockerfile[..start].matches('\n').count() + 1;
    same(line.to_string(), &ex.value)
}

fn failure(out: &BuildOutput) -> String {
    out.report
        .error
        .as_ref()
        .map_or_else(|| "no image".to_string(), |e| e.message.clone())
}

/// Checks one expectation (not `history` or `error line`, see [`check_build`]).
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
            | "layer size"
            | "warning"
            | "saved"
            | "error"
    );
    let (Some(img), Some(fs)) = (out.image.as_ref(), out.fs.as_ref()) else {
        if needs_image {
            return Err(format!("the build failed: {}", failure(out)));
        }
        return check_steps(ex, out);
    };
    let cfg = &img.config.config;
    let joined =
        |v: &std::collections::BTreeSet<String>| v.iter().cloned().collect::<Vec<_>>().join(" ");
    match ex.key.as_str() {
        "env" => same(json_strings(&cfg.env), &ex.value),
        "cmd" => same(json_strings(&cfg.cmd), &ex.value),
        "entrypoint" => same(json_strings(&cfg.entrypoint), &ex.value),
        "workdir" => same(cfg.working_dir.clone().unwrap_or_default(), &ex.value),
        "user" => same(cfg.user.clone().unwrap_or_default(), &ex.value),
        "args escaped" => same(cfg.args_escaped.to_string(), &ex.value),
        "exposed" => same(joined(&cfg.exposed_ports), &ex.value),
        "volumes" => same(joined(&cfg.volumes), &ex.value),
        "labels" => same(
            cfg.labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" "),
            &ex.value,
        ),
        "size" => {
            let size = out.report.image.as_ref().map_or(0, |i| i.size);
            let (lo, hi) = parse_byte_range(&ex.value)?;
            if (lo..=hi).contains(&size) {
                Ok(())
            } else {
                Err(format!("it is {size} bytes"))
            }
        }
        "image size" => {
            let size = out.report.image.as_ref().map_or(0, |i| i.size);
            same_size(size, &ex.value)
        }
        "new layers" => same(
            out.report
                .image
                .as_ref()
                .map_or(0, |i| i.new_layers)
                .to_string(),
            &ex.value,
        ),
        "image id" => same(img.id().to_string(), &ex.value),
        "exists" | "absent" => {
            let there = fs.exists(&VfsPath::new(&ex.value));
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
                .read_file(&VfsPath::new(path))
                .map_err(|e| format!("{path}: {e}"))?;
            let text = String::from_utf8_lossy(&c.to_vec()).replace('\n', "\\n");
            same(text, &ex.value)
        }
        "mode" | "owner" => {
            let path = ex.arg.as_deref().unwrap_or("");
            let m = fs
                .metadata(&VfsPath::new(path))
                .map_err(|e| format!("{path}: {e}"))?;
            if ex.key == "mode" {
                same(format!("{:04o}", m.mode & 0o7777), &ex.value)
            } else {
                same(format!("{}:{}", m.uid, m.gid), &ex.value)
            }
        }
        _ => check_steps(ex, out),
    }
}

fn same_size(bytes: u64, expected: &str) -> Result<(), String> {
    let want = parse_human_size(expected)?;
    let got = human_size_precision(bytes, SIZE_PRECISION);
    if got == want {
        Ok(())
    } else {
        Err(format!("it is {got} ({bytes} bytes)"))
    }
}

/// Expectations about steps, which hold whether or not the build produced an image.
fn check_steps(ex: &Expect, out: &BuildOutput) -> Result<(), String> {
    match ex.key.as_str() {
        "steps" => {
            let got = verdicts(out);
            if got == ex.value {
                Ok(())
            } else {
                Err(format!("got {}", steps_in_words(&got, &StepNames::of(out))))
            }
        }
        "cached" | "rebuilt" => {
            let v: Vec<char> = verdicts(out).chars().collect();
            let want = if ex.key == "cached" { '✓' } else { '✗' };
            for n in parse_ranges(&ex.value)? {
                match v.get(n - 1) {
                    Some(c) if *c == want => {}
                    Some(c) => {
                        return Err(format!(
                            "{} is {}, not {}",
                            StepNames::of(out).run(n, n),
                            mark_word(*c),
                            mark_word(want)
                        ))
                    }
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
                Err(format!("the reason is `{text}`"))
            }
        }
        "warning" => {
            let i = step_index(ex, out)?;
            let w = &out.report.steps[i].warnings;
            if w.iter().any(|w| w.contains(&ex.value)) {
                Ok(())
            } else {
                Err(format!("no warning says it: {w:?}"))
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
        "layer size" => {
            let i = step_index(ex, out)?;
            let layer = out.report.steps[i]
                .layer
                .as_ref()
                .ok_or("the step has no layer")?;
            same_size(layer.size, &ex.value)
        }
        "saved" => same(
            seconds(out.report.saved_ms().min(u64::from(u32::MAX)) as u32),
            &ex.value,
        ),
        "error" => match &out.report.error {
            Some(e) if e.message.contains(&ex.value) => Ok(()),
            Some(e) => Err(format!("the error is `{}`", e.message)),
            None => Err("the build succeeded".into()),
        },
        "image id" | "size" | "image size" | "new layers" => {
            Err(format!("the build failed: {}", failure(out)))
        }
        other => Err(format!("unhandled key {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::{steps_in_words, StepNames};

    #[test]
    fn step_patterns_read_as_words() {
        let numbers = StepNames(Vec::new());
        assert_eq!(
            steps_in_words("✓✓✓✗✗", &numbers),
            "steps 1-3 from the cache, steps 4-5 built"
        );
        assert_eq!(steps_in_words("✗", &numbers), "step 1 built");
        assert_eq!(
            steps_in_words("✓✗!", &numbers),
            "step 1 from the cache, step 2 built, step 3 failed"
        );
        assert_eq!(steps_in_words("", &numbers), "no steps");
        assert_eq!(numbers.list("5-6,8"), "steps 5-6, step 8");
    }

    #[test]
    fn steps_of_a_build_with_stages_are_named_by_their_labels() {
        let labels = [
            "[build 1/2]",
            "[build 2/2]",
            "[stage-1 1/2]",
            "[stage-1 2/2]",
        ];
        let names = StepNames(labels.iter().map(|l| l.to_string()).collect());
        assert_eq!(
            steps_in_words("✓✗✗✗", &names),
            "[build 1/2] from the cache, [build 2/2] built, [stage-1 1/2], [stage-1 2/2] built"
        );
        assert_eq!(
            names.list("1-4"),
            "[build 1/2], [build 2/2], [stage-1 1/2], [stage-1 2/2]"
        );
        let three = StepNames(vec![
            "[a 1/3]".into(),
            "[a 2/3]".into(),
            "[a 3/3]".into(),
            "[b 1/1]".into(),
        ]);
        assert_eq!(three.list("1-3"), "[a 1/3] to [a 3/3]");
        assert_eq!(names.run(9, 9), "step 9", "past the last step");
    }
}
