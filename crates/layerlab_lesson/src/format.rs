//! The lesson (and scenario) file format: Markdown that reads as a tutorial and parses
//! strictly.
//!
//! ````text
//! # Title                           (first line)
//! prose…                            (the explanation; its first paragraph is the summary)
//! ```Dockerfile                     (initial state: Dockerfile, .dockerignore, files)
//! ```file path/in/context mode=0755 mtime=5
//! ```file big/asset.bin size=2500000   (an empty block: stand-in content of that size)
//! ## build                          (one per build, in order; the cache is kept)
//! ## build: a short title           (the same, with a title the page shows)
//! prose…                            (before the `expect` block: what this build changes)
//! ```Dockerfile / ```file … / ```remove path / ```.dockerignore   (edits)
//! ```options                        (docker build flags, one a line)
//! ```expect                         (key: value lines, see `Expect`)
//! prose…                            (after the `expect` block: what to notice)
//! ````
//!
//! Anything else fenced, a `##` heading other than `## build`, an unknown expectation
//! key or a malformed step number or size is an error naming the file and line: a typo
//! must not silently turn a check off.

/// A file edit in the build context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileEdit {
    /// Write (add or replace) a file.
    Write {
        /// Path relative to the context root.
        path: String,
        /// The content.
        text: String,
        /// Permission bits (default 0644).
        mode: u32,
        /// Modification time (default 0).
        mtime: i64,
        /// `size=N`: the file is N bytes of deterministic stand-in content (for the
        /// big files a lesson is about, like a local `node_modules`); `text` is empty.
        size: Option<u64>,
    },
    /// Remove a file.
    Remove(String),
}

/// Changes to the scenario state before a build (or the initial state).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Edits {
    /// A new Dockerfile.
    pub dockerfile: Option<String>,
    /// A new `.dockerignore` (`Some("")` removes its rules).
    pub dockerignore: Option<String>,
    /// File edits, in order.
    pub files: Vec<FileEdit>,
}

/// One expectation line: `key[ arg]: value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expect {
    /// 1-based line in the scenario file.
    pub line: u32,
    /// The key (`steps`, `reason`, `history+`…).
    pub key: String,
    /// The argument after the key (`reason 3` → `3`, `file /a` → `/a`).
    pub arg: Option<String>,
    /// The value after `: `.
    pub value: String,
}

/// One `## build` section.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildSpec {
    /// 1-based line of the `## build` heading.
    pub line: u32,
    /// The title after `## build:`, if any.
    pub title: Option<String>,
    /// Prose before the `expect` block: what this build changes and why.
    pub before: String,
    /// Prose after the `expect` block: what the learner should notice in the result.
    pub after: String,
    /// Edits applied before this build.
    pub edits: Edits,
    /// `docker build` flags, one per line.
    pub options: Vec<(u32, String)>,
    /// Expectations.
    pub expects: Vec<Expect>,
    /// 1-based line of the `expect` block's closing fence (where `image id` is inserted).
    pub expect_end: u32,
}

/// A parsed scenario file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scenario {
    /// The `# title`.
    pub title: String,
    /// The prose before the first `## build` (Markdown paragraphs, fences removed).
    pub explanation: String,
    /// The initial state.
    pub initial: Edits,
    /// The builds, in order.
    pub builds: Vec<BuildSpec>,
}

/// Keys that take no argument.
const PLAIN_KEYS: &[&str] = &[
    "steps",
    "cached",
    "rebuilt",
    "stages",
    "env",
    "cmd",
    "entrypoint",
    "workdir",
    "user",
    "exposed",
    "volumes",
    "labels",
    "history",
    "history+",
    "size",
    "image size",
    "saved",
    "new layers",
    "error",
    "error line",
    "image id",
    "args escaped",
    "exists",
    "absent",
];

/// Keys followed by a step number (1-based, execution order, FROM included).
const STEP_KEYS: &[&str] = &["reason", "instruction", "layer", "warning"];

/// Keys followed by a path in the image.
const PATH_KEYS: &[&str] = &["file", "mode", "owner"];

impl Scenario {
    /// The first paragraph of the explanation (what a list of lessons shows).
    pub fn summary(&self) -> &str {
        first_paragraph(&self.explanation)
    }
}

/// The first paragraph of Markdown prose.
pub fn first_paragraph(text: &str) -> &str {
    let text = text.trim_start();
    text.split("\n\n").next().unwrap_or("").trim_end()
}

/// Appends a prose line to `to`, keeping paragraph breaks (one blank line) but not
/// leading or repeated blank lines.
fn add_prose(to: &mut String, line: &str) {
    if line.trim().is_empty() {
        if !to.is_empty() && !to.ends_with("\n\n") {
            to.push_str("\n\n");
        }
        return;
    }
    if !to.is_empty() && !to.ends_with('\n') {
        to.push('\n');
    }
    to.push_str(line.trim_end());
}

/// The finished prose: no trailing paragraph break.
fn finish_prose(text: &mut String) {
    let end = text.trim_end().len();
    text.truncate(end);
}

/// Parses `text`; errors are `name:line: message`.
pub fn parse(name: &str, text: &str) -> Result<Scenario, String> {
    let err = |line: usize, msg: &str| format!("{name}:{}: {msg}", line + 1);
    let lines: Vec<&str> = text.lines().collect();
    let mut sc = Scenario::default();
    match lines.first().and_then(|l| l.strip_prefix("# ")) {
        Some(t) if !t.trim().is_empty() => sc.title = t.trim().to_string(),
        _ => return Err(err(0, "the first line must be `# <title>`")),
    }
    let mut i = 1;
    while i < lines.len() {
        let line = lines[i];
        if let Some(h) = line.strip_prefix("## ") {
            let h = h.trim();
            let title = match h.strip_prefix("build") {
                Some("") => None,
                Some(t) if t.starts_with(':') && !t[1..].trim().is_empty() => {
                    Some(t[1..].trim().to_string())
                }
                _ => {
                    return Err(err(
                        i,
                        &format!(
                            "unknown section `## {h}` (expected `## build` or `## build: title`)"
                        ),
                    ))
                }
            };
            sc.builds.push(BuildSpec {
                line: i as u32 + 1,
                title,
                ..BuildSpec::default()
            });
            i += 1;
            continue;
        }
        if line.starts_with('#') {
            return Err(err(i, "only `# title` and `## build` headings are allowed"));
        }
        let Some(info) = line.strip_prefix("```") else {
            let prose = match sc.builds.last_mut() {
                None => &mut sc.explanation,
                Some(b) if b.expect_end == 0 => &mut b.before,
                Some(b) => &mut b.after,
            };
            add_prose(prose, line);
            i += 1;
            continue;
        };
        let start = i;
        let mut body = Vec::new();
        i += 1;
        while i < lines.len() && lines[i] != "```" {
            body.push(lines[i]);
            i += 1;
        }
        if i == lines.len() {
            return Err(err(start, "unclosed code block"));
        }
        let end = i;
        i += 1;
        let text = if body.is_empty() {
            String::new()
        } else {
            format!("{}\n", body.join("\n"))
        };
        let mut words = info.split_whitespace();
        let kind = words.next().unwrap_or("");
        let in_build = !sc.builds.is_empty();
        let edits = match sc.builds.last_mut() {
            Some(b) => &mut b.edits,
            None => &mut sc.initial,
        };
        match kind {
            "Dockerfile" | "dockerfile" => edits.dockerfile = Some(text),
            ".dockerignore" => edits.dockerignore = Some(text),
            "file" => {
                let path = words
                    .next()
                    .ok_or_else(|| err(start, "`file` needs a path"))?;
                let (mut mode, mut mtime, mut size) = (0o644, 0, None);
                for attr in words {
                    match attr.split_once('=') {
                        Some(("mode", v)) => {
                            mode = u32::from_str_radix(v, 8)
                                .map_err(|_| err(start, &format!("bad mode `{v}`")))?;
                        }
                        Some(("mtime", v)) => {
                            mtime = v
                                .parse()
                                .map_err(|_| err(start, &format!("bad mtime `{v}`")))?;
                        }
                        Some(("size", v)) => {
                            // Up to 16 GB: bigger is surely a typo.
                            size = Some(v.parse::<u64>().ok().filter(|n| *n <= 1 << 34).ok_or_else(
                                || err(start, &format!("bad size `{v}` (bytes, up to 16 GB)")),
                            )?);
                            if !text.is_empty() {
                                return Err(err(start, "a `file` with `size=` has an empty body"));
                            }
                        }
                        _ => return Err(err(start, &format!("unknown file attribute `{attr}`"))),
                    }
                }
                edits.files.push(FileEdit::Write {
                    path: path.to_string(),
                    text,
                    mode,
                    mtime,
                    size,
                });
            }
            "remove" if in_build => {
                let path = words
                    .next()
                    .ok_or_else(|| err(start, "`remove` needs a path"))?;
                edits.files.push(FileEdit::Remove(path.to_string()));
            }
            "options" | "expect" if in_build => {
                let build = sc.builds.last_mut().expect("in a build");
                for (k, l) in body.iter().enumerate() {
                    let n = (start + 1 + k) as u32 + 1;
                    if l.trim().is_empty() {
                        continue;
                    }
                    if kind == "options" {
                        let opt = (n, l.trim().to_string());
                        if let Err(m) = crate::options::flags(std::slice::from_ref(&opt)) {
                            let m = m.strip_prefix(&format!("line {n}: ")).unwrap_or(&m);
                            return Err(err(n as usize - 1, m));
                        }
                        build.options.push(opt);
                    } else {
                        build.expects.push(parse_expect(n, l).map_err(|m| err(n as usize - 1, &m))?);
                    }
                }
                if kind == "expect" {
                    if build.expect_end != 0 {
                        return Err(err(start, "a build has one `expect` block"));
                    }
                    build.expect_end = end as u32 + 1;
                }
            }
            other => {
                return Err(err(
                    start,
                    &format!("unknown block `{other}` here (expected Dockerfile, .dockerignore, file, or in a build: remove, options, expect)"),
                ))
            }
        }
    }
    if sc.builds.is_empty() {
        return Err(err(0, "no `## build` section"));
    }
    finish_prose(&mut sc.explanation);
    for b in &mut sc.builds {
        if b.expect_end == 0 {
            return Err(err(b.line as usize - 1, "this build has no `expect` block"));
        }
        finish_prose(&mut b.before);
        finish_prose(&mut b.after);
    }
    Ok(sc)
}

fn parse_expect(line: u32, text: &str) -> Result<Expect, String> {
    let (key, value) = text
        .split_once(':')
        .ok_or_else(|| format!("expected `key: value`, got `{text}`"))?;
    let key = key.trim();
    let value = value
        .strip_prefix(' ')
        .unwrap_or(value)
        .trim_end()
        .to_string();
    let (key, arg) = if PLAIN_KEYS.contains(&key) {
        (key, None)
    } else if let Some(n) = key
        .strip_prefix("layer ")
        .and_then(|k| k.strip_suffix(" size"))
    {
        ("layer size", Some(n.trim()))
    } else {
        match key.split_once(' ') {
            Some((k, arg)) if STEP_KEYS.contains(&k) || PATH_KEYS.contains(&k) => {
                (k, Some(arg.trim()))
            }
            _ => return Err(format!("unknown expectation `{key}`")),
        }
    };
    if let Some(arg) = arg {
        if key != "layer size" && PATH_KEYS.contains(&key) {
            if !arg.starts_with('/') {
                return Err(format!("`{key}` needs an absolute path, got `{arg}`"));
            }
        } else if !matches!(arg.parse::<u32>(), Ok(n) if n > 0) {
            return Err(format!(
                "`{key}` needs a step number (1, 2, …), got `{arg}`"
            ));
        }
    }
    match key {
        "image size" | "layer size" => {
            parse_human_size(&value)?;
        }
        "size" => {
            parse_byte_range(&value)?;
        }
        "cached" | "rebuilt" => {
            parse_ranges(&value)?;
        }
        "steps" if !value.chars().all(|c| matches!(c, '✓' | '✗' | '!')) => {
            return Err(format!(
                "steps are ✓ (cached), ✗ (executed) or ! (failed), got `{value}`"
            ));
        }
        "stages" if !value.chars().all(|c| matches!(c, '✓' | '-')) => {
            return Err(format!(
                "stages are ✓ (built) or - (skipped), got `{value}`"
            ));
        }
        _ => {}
    }
    Ok(Expect {
        line,
        key: key.to_string(),
        arg: arg.map(str::to_string),
        value,
    })
}

/// The units of Docker's human sizes (`units.HumanSize`, decimal).
const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];

/// Checks a human size as the engine prints it (`24.6MB`; a space before the unit is
/// allowed) and returns it without spaces, the form the checker compares.
pub fn parse_human_size(value: &str) -> Result<String, String> {
    let v: String = value.split_whitespace().collect();
    let digits = v
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(v.len());
    let (n, unit) = v.split_at(digits);
    // A decimal number: digits with at most one dot, at least one digit (no float parser).
    let number =
        n.bytes().filter(|&b| b == b'.').count() <= 1 && n.bytes().any(|b| b.is_ascii_digit());
    if !number || !UNITS.contains(&unit) {
        return Err(format!(
            "expected a size like `24.6MB` (units B, kB, MB, GB), got `{value}`"
        ));
    }
    Ok(v)
}

/// Parses `lo..hi` (bytes).
pub fn parse_byte_range(value: &str) -> Result<(u64, u64), String> {
    let bad = || format!("expected `lo..hi` in bytes, got `{value}`");
    let (lo, hi) = value.split_once("..").ok_or_else(bad)?;
    let lo = lo.trim().parse().map_err(|_| bad())?;
    let hi = hi.trim().parse().map_err(|_| bad())?;
    Ok((lo, hi))
}

/// Expands step ranges `1-2, 4` into step numbers (1-based).
pub fn parse_ranges(value: &str) -> Result<Vec<usize>, String> {
    let mut out = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (a, b) = part.split_once('-').unwrap_or((part, part));
        let bad = || format!("bad step range `{part}`");
        let a: usize = a.trim().parse().map_err(|_| bad())?;
        let b: usize = b.trim().parse().map_err(|_| bad())?;
        if a == 0 || b < a || b - a > 10_000 {
            return Err(bad());
        }
        out.extend(a..=b);
    }
    if out.is_empty() {
        return Err(format!("no steps in `{value}`"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn unknown_sections_and_keys_are_errors_with_lines() {
        let e = parse("x.md", "# t\n## bild\n").unwrap_err();
        assert_eq!(
            e,
            "x.md:2: unknown section `## bild` (expected `## build` or `## build: title`)"
        );
        let e = parse("x.md", "# t\n## build\n```expect\nstep: ✓\n```\n").unwrap_err();
        assert_eq!(e, "x.md:4: unknown expectation `step`");
        let e = parse("x.md", "# t\n```yaml\n```\n").unwrap_err();
        assert!(e.starts_with("x.md:2: unknown block `yaml`"), "{e}");
    }

    #[test]
    fn a_scenario_parses() {
        let sc = parse(
            "x.md",
            "# t\n```Dockerfile\nFROM a\n```\n```file a.sh mode=0755\necho\n```\n## build\n```expect\nsteps: ✗\nreason 1: not in\n```\n",
        )
        .unwrap();
        assert_eq!(sc.initial.dockerfile.as_deref(), Some("FROM a\n"));
        assert_eq!(sc.builds[0].expects[1].arg.as_deref(), Some("1"));
        assert_eq!(sc.builds[0].expect_end, 12);
    }

    #[test]
    fn prose_becomes_the_explanation_and_build_notes() {
        let sc = parse(
            "l.md",
            "# Title\n\nFirst paragraph\nstill first.\n\nSecond.\n```Dockerfile\nFROM a\n```\n\
             ## build: first\nBefore it.\n```expect\nsteps: ✗\n```\nNotice this.\n\nAnd that.\n\
             ## build\n```expect\nimage size: 24.6 MB\nlayer 3 size: 0B\nsaved: 1.5s\n```\n",
        )
        .unwrap();
        assert_eq!(sc.explanation, "First paragraph\nstill first.\n\nSecond.");
        assert_eq!(sc.summary(), "First paragraph\nstill first.");
        let b = &sc.builds[0];
        assert_eq!(b.title.as_deref(), Some("first"));
        assert_eq!(
            (b.before.as_str(), b.after.as_str()),
            ("Before it.", "Notice this.\n\nAnd that.")
        );
        let e = &sc.builds[1].expects;
        assert_eq!(
            (e[0].key.as_str(), e[0].value.as_str()),
            ("image size", "24.6 MB")
        );
        assert_eq!(
            (e[1].key.as_str(), e[1].arg.as_deref()),
            ("layer size", Some("3"))
        );
        assert_eq!(e[2].key, "saved");
        assert_eq!(sc.builds[1].title, None);
    }

    #[test]
    fn malformed_values_are_errors_with_lines() {
        let one = |expect: &str| {
            parse(
                "l.md",
                &format!("# t\n## build\n```expect\n{expect}\n```\n"),
            )
            .unwrap_err()
        };
        assert!(one("image size: 24.6 mb").starts_with("l.md:4: expected a size"));
        assert!(one("layer x size: 1MB").starts_with("l.md:4: `layer size` needs a step number"));
        assert!(one("reason 0: x").starts_with("l.md:4: `reason` needs a step number"));
        assert!(one("file etc/x: y").starts_with("l.md:4: `file` needs an absolute path"));
        assert!(one("cached: 1-x").starts_with("l.md:4: bad step range"));
        assert!(one("steps: ✓v").starts_with("l.md:4: steps are"));
        let e = parse("l.md", "# t\n## build\n```options\n--no-cahce\n```\n").unwrap_err();
        assert_eq!(e, "l.md:4: unknown option `--no-cahce`");
        let e = parse("l.md", "# t\n## build\n```expect\n```\n```expect\n```\n").unwrap_err();
        assert_eq!(e, "l.md:5: a build has one `expect` block");
        let e = parse("l.md", "# t\n## build:\n```expect\n```\n").unwrap_err();
        assert!(e.starts_with("l.md:2: unknown section"), "{e}");
    }
}

#[cfg(test)]
mod robustness {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// Every prefix of every scenario file (a file cut anywhere, as an editor might
    /// save it) parses or errors with a location, never panics.
    #[test]
    fn truncated_files_never_panic() {
        for lesson in crate::lessons() {
            let (name, text) = (lesson.id, lesson.source);
            let mut cut = 0;
            for (i, _) in text.char_indices().step_by(7) {
                cut += 1;
                if let Err(e) = parse(name, &text[..i]) {
                    assert!(e.starts_with(&format!("{name}:")), "{e}");
                }
            }
            assert!(cut > 0);
        }
    }
}
