//! The scenario file format: Markdown that reads as documentation and parses strictly.
//!
//! ````text
//! # Title                           (first line)
//! prose…                            (ignored; cite the semantics.md section here)
//! ```Dockerfile                     (initial state: Dockerfile, .dockerignore, files)
//! ```file path/in/context mode=0755 mtime=5
//! ## build                          (one per build, in order; the cache is kept)
//! ```Dockerfile / ```file … / ```remove path / ```.dockerignore   (edits)
//! ```options                        (docker build flags, one a line)
//! ```expect                         (key: value lines, see `Expect`)
//! ````
//!
//! Anything else fenced, or a `##` heading other than `## build`, is an error naming the
//! file and line: a typo must not silently turn a check off.

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
    "new layers",
    "error",
    "error line",
    "image id",
    "args escaped",
    "exists",
    "absent",
];

/// Keys followed by one argument (a step number or an image path).
const ARG_KEYS: &[&str] = &[
    "reason",
    "instruction",
    "layer",
    "warning",
    "file",
    "mode",
    "owner",
];

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
            if h.trim() != "build" {
                return Err(err(i, &format!("unknown section `## {}`", h.trim())));
            }
            sc.builds.push(BuildSpec {
                line: i as u32 + 1,
                ..BuildSpec::default()
            });
            i += 1;
            continue;
        }
        if line.starts_with('#') {
            return Err(err(i, "only `# title` and `## build` headings are allowed"));
        }
        let Some(info) = line.strip_prefix("```") else {
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
                let (mut mode, mut mtime) = (0o644, 0);
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
                        _ => return Err(err(start, &format!("unknown file attribute `{attr}`"))),
                    }
                }
                edits.files.push(FileEdit::Write {
                    path: path.to_string(),
                    text,
                    mode,
                    mtime,
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
                        build.options.push((n, l.trim().to_string()));
                    } else {
                        build.expects.push(parse_expect(n, l).map_err(|m| err(n as usize - 1, &m))?);
                    }
                }
                if kind == "expect" {
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
    for b in &sc.builds {
        if b.expect_end == 0 {
            return Err(err(b.line as usize - 1, "this build has no `expect` block"));
        }
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
    if PLAIN_KEYS.contains(&key) {
        return Ok(Expect {
            line,
            key: key.to_string(),
            arg: None,
            value,
        });
    }
    if let Some((k, arg)) = key.split_once(' ') {
        if ARG_KEYS.contains(&k) {
            return Ok(Expect {
                line,
                key: k.to_string(),
                arg: Some(arg.trim().to_string()),
                value,
            });
        }
    }
    Err(format!("unknown expectation `{key}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_sections_and_keys_are_errors_with_lines() {
        let e = parse("x.md", "# t\n## bild\n").unwrap_err();
        assert_eq!(e, "x.md:2: unknown section `## bild`");
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
}

#[cfg(test)]
mod robustness {
    use super::*;

    /// Every prefix of every scenario file (a file cut anywhere, as an editor might
    /// save it) parses or errors with a location, never panics.
    #[test]
    fn truncated_files_never_panic() {
        for (name, _, text) in crate::scenario::SCENARIOS {
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
