//! `npm install`/`npm ci`/`npm run`, `npm cache clean`, and `yarn install`/`add`/`run`
//! (yarn 1), over the npm catalog (`npm_catalog.rs`).
//!
//! * Dependencies come from `package.json` in the working directory
//!   (`dependencies`, plus `devDependencies` unless `--omit=dev`, `--production` or
//!   `NODE_ENV=production`). Each package becomes `node_modules/<name>` holding its
//!   whole dependency tree's size (the tree is folded into the package's directory;
//!   the count npm prints, `added N packages`, is the real tree's), and its
//!   executables are linked in `node_modules/.bin`.
//! * A name the catalog does not know still installs (the registry has millions), with
//!   a default size and a `simulated-package` note, never silently.
//! * `package.json` is read as npm reads it (a byte order mark dropped, then
//!   `JSON.parse`: a repeated key keeps its last value) and, after `npm install NAME`,
//!   written back as npm writes it: `JSON.stringify` with the file's own indent unit and
//!   line breaks (a one-line file stays on one line), and not at all when unchanged.
//! * `npm ci` needs `package-lock.json` (or `npm-shrinkwrap.json`), as npm does, and
//!   starts from an empty `node_modules`; `npm install` writes the lockfile.
//! * Downloaded tarballs stay in `~/.npm/_cacache` (yarn: `/usr/local/share/.cache/yarn`)
//!   until `npm cache clean --force` (`yarn cache clean`): the layer-size lesson.
//! * `npm run NAME` prints npm's banner and runs the script: the build tools Docker
//!   tutorials use (`tsc`, `vite build`, `react-scripts build`, `next build`,
//!   `webpack`) produce plausible output directories from the sources' sizes; any
//!   other script runs in the simulator with `node_modules/.bin` on `PATH`.

use super::npm_catalog::DEFAULT_BYTES;
use super::{npm_package, seed, NpmPackage};
use crate::exec::{Shell, R};
use crate::io::Io;
use crate::utils::any_arg;
use layerlab_text::json::{self, Json, JsonError};
use layerlab_vfs::{Content, Node, VfsPath};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// npm or yarn: same effects, different words and cache.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tool {
    Npm,
    Yarn,
}

struct Resolved {
    name: String,
    version: String,
    packages: u64,
    bytes: u64,
    bins: &'static [&'static str],
}

fn resolve(name: &str) -> (Resolved, bool) {
    match npm_package(name) {
        Some(NpmPackage {
            version,
            packages,
            bytes,
            bins,
            ..
        }) => (
            Resolved {
                name: name.to_owned(),
                version: (*version).to_owned(),
                packages: *packages,
                bytes: *bytes,
                bins,
            },
            true,
        ),
        None => (
            Resolved {
                name: name.to_owned(),
                version: "1.0.0".to_owned(),
                packages: 1,
                bytes: DEFAULT_BYTES,
                bins: &[],
            },
            false,
        ),
    }
}

/// A parsed value as `JSON.parse` leaves it, so npm's rewrite of the file reads like
/// npm's: a repeated key is one member at its first place with its last value, and
/// array-index keys ("0", "42") come first in numeric order, as JavaScript orders them.
fn as_javascript_object(value: Json) -> Json {
    match value {
        Json::Arr(items) => Json::Arr(items.into_iter().map(as_javascript_object).collect()),
        Json::Obj(members) => {
            let mut out: Vec<(String, Json)> = Vec::with_capacity(members.len());
            // Where each key went: a file of 60,000 keys stays linear-logarithmic.
            let mut place: BTreeMap<String, usize> = BTreeMap::new();
            for (k, v) in members {
                let v = as_javascript_object(v);
                match place.get(&k) {
                    Some(&i) => out[i].1 = v,
                    None => {
                        place.insert(k.clone(), out.len());
                        out.push((k, v));
                    }
                }
            }
            out.sort_by_key(|(k, _)| array_index(k).unwrap_or(u32::MAX));
            Json::Obj(out)
        }
        scalar => scalar,
    }
}

/// A key JavaScript treats as an array index: canonical decimal below 2^32 - 1.
fn array_index(key: &str) -> Option<u32> {
    let n: u32 = key.parse().ok()?;
    (n != u32::MAX && n.to_string() == key).then_some(n)
}

/// A project's `package.json` as npm holds it.
struct PackageJson {
    value: Json,
    layout: Layout,
    /// The text as read, so an unchanged file is not written again.
    text: String,
}

/// How a `package.json` is laid out, which npm keeps when it writes the file back
/// (npm's JSON reader, json-parse-even-better-errors, records both): the line break
/// and indent unit after the opening bracket. A file on one line has neither, so npm
/// writes it back on one line, without a final newline.
struct Layout {
    newline: String,
    indent: String,
}

impl Layout {
    /// npm's defaults, for a file it creates.
    fn npm_default() -> Layout {
        Layout {
            newline: "\n".into(),
            indent: "  ".into(),
        }
    }

    /// The layout of `text` (its BOM already stripped).
    fn of(text: &str) -> Layout {
        let opening = text.trim_start();
        // `{}` or `[]` alone, then only line breaks: default indent, those breaks.
        if let Some(rest) = ["{}", "[]"].iter().find_map(|e| text.strip_prefix(e)) {
            if rest.is_empty() || is_line_breaks(rest) {
                let newline = if rest.is_empty() { "\n" } else { rest };
                return Layout {
                    newline: newline.into(),
                    indent: "  ".into(),
                };
            }
        }
        let Some(after) = opening
            .strip_prefix('{')
            .or_else(|| opening.strip_prefix('['))
        else {
            return Layout::flat();
        };
        let breaks = line_breaks_prefix(after);
        if breaks.is_empty() {
            return Layout::flat();
        }
        let rest = &after[breaks.len()..];
        let indent_len = rest.len() - rest.trim_start().len();
        Layout {
            newline: breaks.into(),
            indent: rest[..indent_len].into(),
        }
    }

    fn flat() -> Layout {
        Layout {
            newline: String::new(),
            indent: String::new(),
        }
    }

    /// `value` as npm writes it with this layout.
    fn write(&self, value: &Json) -> String {
        let text = value.to_string_js(&self.indent) + "\n";
        if self.newline == "\n" {
            text
        } else {
            text.replace('\n', &self.newline)
        }
    }
}

/// The longest prefix of `s` made of `\n` and `\r\n` line breaks.
fn line_breaks_prefix(s: &str) -> &str {
    let mut end = 0;
    let bytes = s.as_bytes();
    loop {
        match bytes.get(end..) {
            Some([b'\n', ..]) => end += 1,
            Some([b'\r', b'\n', ..]) => end += 2,
            _ => return &s[..end],
        }
    }
}

fn is_line_breaks(s: &str) -> bool {
    line_breaks_prefix(s).len() == s.len()
}

/// The string members of the object member `key` (`dependencies`, say), in order.
fn string_members<'j>(pkg: &'j Json, key: &str) -> impl Iterator<Item = (&'j str, &'j str)> {
    pkg.get(key)
        .and_then(Json::as_object)
        .unwrap_or_default()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
}

/// Names in a `package.json`-style object: valid npm names only (no path tricks).
fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 214
        && !n.contains("..")
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@' | '/'))
        && n.matches('/').count() <= usize::from(n.starts_with('@'))
}

/// Why [`valid_name`] refuses `n`, in validate-npm-package-name's words.
fn invalid_name_reason(n: &str) -> &'static str {
    if n.is_empty() {
        "name length must be greater than zero"
    } else if n.len() > 214 {
        "name can no longer contain more than 214 characters"
    } else if n.starts_with('.') {
        "name cannot start with a period"
    } else if n.starts_with('_') {
        "name cannot start with an underscore"
    } else {
        "name can only contain URL-friendly characters"
    }
}

impl Shell<'_> {
    fn npm_error(&mut self, tool: Tool, io: &Io, lines: &[&str]) -> R<()> {
        let prefix = match tool {
            Tool::Npm => "npm error",
            Tool::Yarn => "error",
        };
        let text: String = lines
            .iter()
            .map(|l| {
                if l.is_empty() {
                    format!("{prefix}\n")
                } else {
                    format!("{prefix} {l}\n")
                }
            })
            .collect();
        self.err(io, &text)
    }

    /// `package.json` as npm reads it: bytes decoded as Node decodes them (invalid
    /// UTF-8 becomes U+FFFD), a leading byte order mark dropped, then `JSON.parse`.
    fn read_package_json(&self) -> Option<Result<PackageJson, JsonError>> {
        let p = self.path("package.json");
        let bytes = self.fs.read_file(&p).ok()?.to_vec();
        let decoded = String::from_utf8_lossy(&bytes);
        let text = decoded.strip_prefix('\u{feff}').unwrap_or(&decoded);
        Some(json::parse(text.as_bytes()).map(|j| PackageJson {
            value: as_javascript_object(j),
            layout: Layout::of(text),
            text: text.to_owned(),
        }))
    }

    /// npm's error for a `package.json` that is not JSON.
    fn package_json_error(&mut self, tool: Tool, io: &Io, e: &JsonError) -> R<()> {
        let path = self.path("package.json").to_string();
        self.npm_error(
            tool,
            io,
            &[
                "code EJSONPARSE",
                &format!("path {path}"),
                &format!("JSON.parse Invalid package.json: {e}"),
                "JSON.parse Failed to parse JSON data.",
                "JSON.parse Note: package.json must be actual JSON, not just JavaScript.",
            ],
        )
    }

    /// Installs dependencies of the project in the working directory (`add` extends
    /// them first). Returns the exit status.
    fn npm_install(
        &mut self,
        tool: Tool,
        ci: bool,
        add: &[String],
        args: &[String],
        io: &Io,
    ) -> R<u8> {
        let global = any_arg(args, &["-g", "--global"]);
        let omit_dev = any_arg(args, &["--omit=dev", "--production", "--only=production"])
            || self.get_var("NODE_ENV") == Some("production");
        let save_dev = any_arg(args, &["-D", "--save-dev", "--dev"]);
        let frozen = any_arg(args, &["--frozen-lockfile", "--immutable"]);
        let lock_name = if tool == Tool::Yarn {
            "yarn.lock"
        } else {
            "package-lock.json"
        };
        let has_lock = self.fs.exists(&self.path(lock_name))
            || (tool == Tool::Npm && self.fs.exists(&self.path("npm-shrinkwrap.json")));
        if ci && !has_lock {
            self.npm_error(
                tool,
                io,
                &[
                    "code EUSAGE",
                    "",
                    "The `npm ci` command can only install with an existing package-lock.json or",
                    "npm-shrinkwrap.json with lockfileVersion >= 1. Run an install with npm@5 or",
                    "later to generate a package-lock.json file, then try again.",
                ],
            )?;
            return Ok(1);
        }
        if frozen && !has_lock {
            self.out(io, "yarn install v1.22.22\n[1/4] Resolving packages...\n")?;
            self.err(io, "error Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`.\n")?;
            return Ok(1);
        }
        let (mut layout, mut read_text) = (Layout::npm_default(), None);
        let mut pkg = match self.read_package_json() {
            Some(Ok(file)) => {
                (layout, read_text) = (file.layout, Some(file.text));
                Some(file.value)
            }
            Some(Err(e)) => {
                self.package_json_error(tool, io, &e)?;
                return Ok(1);
            }
            None if add.is_empty() && !global => {
                let path = self.path("package.json").to_string();
                match tool {
                    Tool::Npm => self.npm_error(tool, io, &[
                        "code ENOENT",
                        "syscall open",
                        &format!("path {path}"),
                        "errno -2",
                        &format!("enoent Could not read package.json: Error: ENOENT: no such file or directory, open '{path}'"),
                        "enoent This is related to npm not being able to find a file.",
                        "enoent",
                    ])?,
                    Tool::Yarn => {
                        self.out(io, "yarn install v1.22.22\ninfo No lockfile found.\n[1/4] Resolving packages...\n[2/4] Fetching packages...\n[3/4] Linking dependencies...\n[4/4] Building fresh packages...\nsuccess Saved lockfile.\nDone in 0.05s.\n")?;
                        return Ok(0);
                    }
                }
                return Ok(254);
            }
            None => None,
        };
        // The names to install, in package.json order, each once (a name repeated in
        // an object, or listed in both, is one package; `dependencies` wins).
        let mut wanted: Vec<(String, bool)> = Vec::new();
        if let Some(j) = &pkg {
            let mut seen = BTreeSet::new();
            let sections = [("dependencies", false), ("devDependencies", true)];
            for (key, dev) in sections.into_iter().take(if omit_dev { 1 } else { 2 }) {
                for (n, _) in string_members(j, key) {
                    if seen.insert(n) {
                        wanted.push((n.to_owned(), dev));
                    }
                }
            }
        }
        for a in add {
            // `name@version`: the version part is not modeled. A scope's `@` starts the
            // name, so the search starts after the first character (whatever its width).
            let first = a.chars().next().map_or(0, char::len_utf8);
            let at = a[first..].find('@').map(|i| i + first);
            let n = at.map_or(a.as_str(), |i| &a[..i]).to_owned();
            wanted.retain(|(w, _)| *w != n);
            wanted.push((n, save_dev));
        }
        // npm refuses the whole install over one bad name (npm-package-arg).
        if let Some((n, _)) = wanted.iter().find(|(n, _)| !valid_name(n)) {
            let why = invalid_name_reason(n);
            let lines = match tool {
                Tool::Npm => vec![
                    "code EINVALIDPACKAGENAME".to_owned(),
                    format!("Invalid package name \"{n}\" of package \"{n}@*\": {why}."),
                ],
                Tool::Yarn => vec![format!("Invalid package name \"{n}\": {why}.")],
            };
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            self.npm_error(tool, io, &lines)?;
            return Ok(1);
        }
        let root = if global {
            VfsPath::new("/usr/local/lib/node_modules")
        } else {
            self.path("node_modules")
        };
        // A non-root `USER` in a root-owned WORKDIR cannot create node_modules: the
        // classic `USER node` + `WORKDIR /app` pitfall.
        if self.who.uid != 0 && !self.fs.exists(&root) {
            let parent = root.parent().unwrap_or_else(|| VfsPath::new("/"));
            if !crate::perm::may_write(self.fs, &parent, &self.who) {
                let path = root.to_string();
                self.npm_error(
                    tool,
                    io,
                    &[
                        "code EACCES",
                        "syscall mkdir",
                        &format!("path {path}"),
                        "errno -13",
                        &format!("Error: EACCES: permission denied, mkdir '{path}'"),
                    ],
                )?;
                return Ok(243);
            }
        }
        if ci {
            let _ = self.fs.remove(&root);
        }
        let mut added = 0u64;
        let mut resolved = Vec::new();
        for (n, dev) in &wanted {
            self.tick(4)?;
            let (r, known) = resolve(n);
            if !known {
                self.warn(
                    "simulated-package",
                    format!("`{n}` is not in the simulator's npm catalog: installed as one package of {} KiB", DEFAULT_BYTES / 1024),
                );
            }
            let dir = root.join(n);
            if self.fs.exists(&dir.child("package.json")) {
                resolved.push((r, *dev));
                continue;
            }
            added += r.packages;
            self.npm_install_files(tool, &r, &root, global);
            resolved.push((r, *dev));
        }
        // Record added names in package.json, and write the lockfile (npm/yarn install).
        if !add.is_empty() && !global {
            let mut j = pkg.take().unwrap_or(Json::Obj(Vec::new()));
            for dev in [false, true] {
                let key = if dev {
                    "devDependencies"
                } else {
                    "dependencies"
                };
                let mut map = match j.get(key) {
                    Some(Json::Obj(m)) => m.clone(),
                    _ => Vec::new(),
                };
                for (r, d) in &resolved {
                    if *d == dev && add.iter().any(|a| a.starts_with(&r.name)) {
                        map.retain(|(k, _)| *k != r.name);
                        map.push((r.name.clone(), Json::Str(format!("^{}", r.version))));
                    }
                }
                map.sort_by(|a, b| a.0.cmp(&b.0));
                if !map.is_empty() {
                    j.set(key, Json::Obj(map));
                }
            }
            // npm leaves a file whose text would not change alone (its mtime too).
            let text = layout.write(&j);
            if read_text.is_none_or(|old| old.trim() != text.trim()) {
                self.put_file(
                    &self.path("package.json").to_string(),
                    Content::inline(text),
                    0o644,
                );
            }
            pkg = Some(j);
        }
        if !ci && !global {
            let lock = self.npm_lockfile(tool, pkg.as_ref(), &resolved);
            self.put_file(
                &self.path(lock_name).to_string(),
                Content::inline(lock),
                0o644,
            );
        }
        let secs = 1 + added / 40;
        self.duration_ms += 800 + added * 25;
        let total: u64 = resolved.iter().map(|(r, _)| r.packages).sum();
        let out = match tool {
            Tool::Npm if added == 0 => format!("\nup to date, audited {} packages in {secs}s\n\nfound 0 vulnerabilities\n", total + 1),
            Tool::Npm => format!(
                "\nadded {added} package{}, and audited {} packages in {secs}s\n\nfound 0 vulnerabilities\n",
                if added == 1 { "" } else { "s" },
                total + 1
            ),
            Tool::Yarn => format!(
                "yarn {} v1.22.22\n{}[1/4] Resolving packages...\n[2/4] Fetching packages...\n[3/4] Linking dependencies...\n[4/4] Building fresh packages...\n{}Done in {secs}.{:02}s.\n",
                if add.is_empty() { "install" } else { "add" },
                if has_lock { "" } else { "info No lockfile found.\n" },
                if has_lock && add.is_empty() { "" } else { "success Saved lockfile.\n" },
                added % 100
            ),
        };
        self.out(io, &out)?;
        Ok(0)
    }

    fn npm_install_files(&mut self, tool: Tool, r: &Resolved, root: &VfsPath, global: bool) {
        let dir = root.join(&r.name);
        let manifest = format!(
            "{{\n  \"name\": \"{}\",\n  \"version\": \"{}\"\n}}\n",
            r.name, r.version
        );
        self.put_file(
            &dir.child("package.json").to_string(),
            Content::inline(manifest),
            0o644,
        );
        self.put_file(
            &dir.child("index.js").to_string(),
            Content::synthetic(seed(&r.name), r.bytes.saturating_sub(1024)),
            0o644,
        );
        for b in r.bins {
            let target = dir.join(&format!("bin/{b}.js"));
            self.put_file(
                &target.to_string(),
                Content::inline("#!/usr/bin/env node\n"),
                0o755,
            );
            let link = if global {
                VfsPath::new("/usr/local/bin").child(b)
            } else {
                root.join(&format!(".bin/{b}"))
            };
            if let Some(parent) = link.parent() {
                let meta = self.new_file_meta(0o755);
                let _ = self.fs.mkdir_p(&parent, meta);
            }
            let rel = if global {
                format!("../lib/node_modules/{}/bin/{b}.js", r.name)
            } else {
                format!("../{}/bin/{b}.js", r.name)
            };
            let _ = self.fs.remove(&link);
            let meta = self.new_file_meta(0o777);
            let _ = self.fs.symlink(&rel, &link, meta);
        }
        // The tarball (about a third of the unpacked size) stays in the cache.
        let home = self.get_var("HOME").unwrap_or("/root").to_owned();
        let h = format!("{:016x}{:016x}", seed(&r.name), seed(&r.version));
        let cache = match tool {
            Tool::Npm => format!("{home}/.npm/_cacache/content-v2/sha512/{}/{}/{}", &h[..2], &h[2..4], &h[4..]),
            Tool::Yarn => format!("/usr/local/share/.cache/yarn/v6/npm-{}-{}-{h}-integrity/node_modules/{}/.yarn-tarball.tgz", r.name.replace('/', "-"), r.version, r.name),
        };
        self.put_file(&cache, Content::synthetic(seed(&h), r.bytes / 3), 0o644);
    }

    fn npm_lockfile(
        &self,
        tool: Tool,
        pkg: Option<&Json>,
        resolved: &[(Resolved, bool)],
    ) -> String {
        if tool == Tool::Yarn {
            let mut out = String::from("# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.\n# yarn lockfile v1\n");
            for (r, _) in resolved {
                let _ = writeln!(out, "\n\"{}@^{}\":\n  version \"{}\"\n  resolved \"https://registry.yarnpkg.com/{}/-/{}-{}.tgz\"", r.name, r.version, r.version, r.name, r.name.rsplit('/').next().unwrap_or(&r.name), r.version);
            }
            return out;
        }
        let name = pkg
            .and_then(|p| p.str_at("name"))
            .unwrap_or("app")
            .to_owned();
        let version = pkg
            .and_then(|p| p.str_at("version"))
            .unwrap_or("1.0.0")
            .to_owned();
        let mut packages = vec![(
            String::new(),
            Json::Obj(vec![
                ("name".into(), Json::Str(name.clone())),
                ("version".into(), Json::Str(version.clone())),
            ]),
        )];
        for (r, dev) in resolved {
            let mut entry = vec![
                ("version".into(), Json::Str(r.version.clone())),
                (
                    "resolved".into(),
                    Json::Str(format!(
                        "https://registry.npmjs.org/{}/-/{}-{}.tgz",
                        r.name,
                        r.name.rsplit('/').next().unwrap_or(&r.name),
                        r.version
                    )),
                ),
            ];
            if *dev {
                entry.push(("dev".into(), Json::Bool(true)));
            }
            packages.push((format!("node_modules/{}", r.name), Json::Obj(entry)));
        }
        Json::Obj(vec![
            ("name".into(), Json::Str(name)),
            ("version".into(), Json::Str(version)),
            ("lockfileVersion".into(), Json::Int(3)),
            ("requires".into(), Json::Bool(true)),
            ("packages".into(), Json::Obj(packages)),
        ])
        .to_string_js("  ")
            + "\n"
    }

    /// `npm run NAME` / `yarn NAME`.
    fn npm_run(&mut self, tool: Tool, script: &str, io: &Io) -> R<u8> {
        let pkg = match self.read_package_json() {
            Some(Ok(file)) => file.value,
            Some(Err(e)) => {
                self.package_json_error(tool, io, &e)?;
                return Ok(1);
            }
            None => {
                let path = self.path("package.json").to_string();
                self.npm_error(tool, io, &["code ENOENT", &format!("enoent Could not read package.json: Error: ENOENT: no such file or directory, open '{path}'")])?;
                return Ok(254);
            }
        };
        let Some(body) = pkg
            .get("scripts")
            .and_then(|s| s.str_at(script))
            .map(str::to_owned)
        else {
            self.npm_error(
                tool,
                io,
                &[
                    &format!("Missing script: \"{script}\""),
                    "",
                    "To see a list of scripts, run:",
                    "  npm run",
                ],
            )?;
            return Ok(1);
        };
        let name = pkg.str_at("name").unwrap_or("").to_owned();
        let version = pkg.str_at("version").unwrap_or("").to_owned();
        let banner = match tool {
            Tool::Npm => format!("\n> {name}@{version} {script}\n> {body}\n\n"),
            Tool::Yarn => format!("yarn run v1.22.22\n$ {body}\n"),
        };
        self.out(io, &banner)?;
        let tool_name = body.split_whitespace().next().unwrap_or("").to_owned();
        let bin = self.path("node_modules/.bin").child(&tool_name);
        let status = if self.fs.exists(&bin) && self.npm_build_tool(&tool_name, &body, io)? {
            0
        } else {
            // Any other script: the simulator runs it, with node_modules/.bin on PATH.
            let mut path = format!(
                "{}:{}",
                self.path("node_modules/.bin"),
                self.get_var("PATH").unwrap_or("")
            );
            self.subshell(&mut |sh| {
                sh.set_var("PATH", std::mem::take(&mut path), io)?;
                sh.run_text(&body, io, "")
            })?
        };
        if status != 0 {
            let cwd = self.st.cwd.to_string();
            self.npm_error(
                tool,
                io,
                &[
                    &format!("Lifecycle script `{script}` failed with error:"),
                    &format!("code {status}"),
                    &format!("path {cwd}"),
                    "command failed",
                    &format!("command sh -c {body}"),
                ],
            )?;
        }
        Ok(status)
    }

    /// Bytes of source files under `dir` (bounded walk).
    fn source_bytes(&self, dir: &VfsPath, budget: &mut u32) -> (u64, u32) {
        let mut total = (0, 0);
        let Ok(entries) = self.fs.read_dir(dir) else {
            return total;
        };
        for (n, node) in entries {
            if *budget == 0 || n == "node_modules" {
                continue;
            }
            *budget -= 1;
            match node {
                Node::File(f) => {
                    total.0 += f.content.len();
                    total.1 += 1;
                }
                Node::Dir(_) => {
                    let (b, c) = self.source_bytes(&dir.child(n), budget);
                    total.0 += b;
                    total.1 += c;
                }
                _ => {}
            }
        }
        total
    }

    /// Models a known build tool; `false` when `name` is not one.
    fn npm_build_tool(&mut self, name: &str, body: &str, io: &Io) -> R<bool> {
        let mut budget = 10_000;
        let (src_bytes, files) = self.source_bytes(&self.path("src"), &mut budget);
        let h = format!("{:08x}", seed(body) ^ src_bytes);
        let (dir, outputs, log): (&str, Vec<(String, u64)>, String) = match name {
            "tsc" => ("dist", vec![("index.js".into(), src_bytes * 9 / 10 + 200)], String::new()),
            "vite" => {
                let js = 143_000 + src_bytes / 2;
                ("dist", vec![("index.html".into(), 460), (format!("assets/index-{h}.js"), js), (format!("assets/index-{h}.css"), 1_400 + src_bytes / 20)],
                 format!("vite v6.0.3 building for production...\ntransforming...\n\u{2713} {} modules transformed.\nrendering chunks...\ndist/index.html  0.46 kB\ndist/assets/index-{h}.js  {} kB\n\u{2713} built in 1.21s\n", files + 30, layerlab_text::decimal::quotient(js, 1000, 2)))
            }
            "react-scripts" => ("build", vec![("index.html".into(), 644), (format!("static/js/main.{h}.js"), 143_000 + src_bytes / 2), (format!("static/css/main.{h}.css"), 500 + src_bytes / 20), ("asset-manifest.json".into(), 369)],
                "Creating an optimized production build...\nCompiled successfully.\n\nThe build folder is ready to be deployed.\n".into()),
            "next" => (".next", vec![("BUILD_ID".into(), 21), (format!("static/chunks/main-{h}.js"), 120_000 + src_bytes), ("server/app.js".into(), 2_000_000 + src_bytes * 2), ("cache/webpack/client-production/0.pack".into(), 18_000_000)],
                "   \u{25b2} Next.js 15.1.0\n\n   Creating an optimized production build ...\n \u{2713} Compiled successfully\n".into()),
            "webpack" => ("dist", vec![("main.js".into(), 70_000 + src_bytes / 2)], format!("asset main.js {} KiB [emitted] [minimized] (name: main)\nwebpack 5.97.1 compiled successfully in 1840 ms\n", (70_000 + src_bytes / 2) / 1024)),
            _ => return Ok(false),
        };
        let dir = self.path(dir);
        for (rel, size) in outputs {
            let p = dir.join(&rel);
            let content = if rel.ends_with(".html") || rel.ends_with(".json") || rel == "BUILD_ID" {
                Content::inline(format!(
                    "<!-- {rel} built by layerlab's model of {name} -->\n"
                ))
            } else {
                Content::synthetic(seed(&rel) ^ size, size)
            };
            self.put_file(&p.to_string(), content, 0o644);
        }
        self.duration_ms += 1_500 + src_bytes / 10_000;
        self.out(io, &log)?;
        Ok(true)
    }
}

/// The arguments that are options (`-D`, `--omit=dev`) and the words, each in order.
fn split_flags(args: &[String]) -> (Vec<String>, Vec<String>) {
    args.iter().cloned().partition(|a| a.starts_with('-'))
}

/// `npm ARGS`.
pub(crate) fn npm(sh: &mut Shell<'_>, args: &[String], io: &Io) -> R<u8> {
    let (flags, words) = split_flags(args);
    match words.first().map(String::as_str) {
        Some("install" | "i" | "add") => sh.npm_install(Tool::Npm, false, &words[1..], &flags, io),
        Some("ci" | "clean-install") => sh.npm_install(Tool::Npm, true, &[], &flags, io),
        Some("run" | "run-script") => match words.get(1) {
            Some(s) => sh.npm_run(Tool::Npm, &s.clone(), io),
            None => Ok(0),
        },
        Some(s @ ("test" | "start")) => {
            let s = s.to_owned();
            sh.npm_run(Tool::Npm, &s, io)
        }
        Some("cache") if words.get(1).is_some_and(|w| w == "clean") => {
            if !flags.iter().any(|f| f == "--force" || f == "-f") {
                sh.npm_error(
                    Tool::Npm,
                    io,
                    &[
                        "As of npm@5, the npm cache self-heals from corruption issues",
                        "by treating integrity mismatches as cache misses.  As a result,",
                        "data extracted from the cache is guaranteed to be valid.  If you",
                        "want to make sure everything is consistent, use `npm cache verify`",
                        "instead.  Deleting the cache can only make npm go slower, and is",
                        "not likely to correct any problems you may be encountering!",
                        "",
                        "On the other hand, if you're debugging an issue with the installer,",
                        "or race conditions that depend on the timing of writing to an empty",
                        "cache, you can use `npm install --cache /tmp/empty-cache` to use a",
                        "temporary cache instead of nuking the actual one.",
                        "",
                        "If you're sure you want to delete the entire cache, rerun this command",
                        "with --force.",
                    ],
                )?;
                return Ok(1);
            }
            let home = sh.get_var("HOME").unwrap_or("/root").to_owned();
            let _ = sh
                .fs
                .remove(&VfsPath::new(&format!("{home}/.npm/_cacache")));
            sh.err(
                io,
                "npm warn using --force Recommended protections disabled.\n",
            )?;
            Ok(0)
        }
        Some(other) => {
            sh.unmodeled(format_args!("npm {other}"));
            Ok(0)
        }
        None => {
            sh.out(io, "npm <command>\n\nUsage:\n\nnpm install        install all the dependencies in your project\n")?;
            Ok(1)
        }
    }
}

/// `yarn ARGS` (yarn 1).
pub(crate) fn yarn(sh: &mut Shell<'_>, args: &[String], io: &Io) -> R<u8> {
    let (flags, words) = split_flags(args);
    match words.first().map(String::as_str) {
        None | Some("install") => sh.npm_install(Tool::Yarn, false, &[], &flags, io),
        Some("add") => sh.npm_install(Tool::Yarn, false, &words[1..], &flags, io),
        Some("cache") if words.get(1).is_some_and(|w| w == "clean") => {
            let _ = sh.fs.remove(&VfsPath::new("/usr/local/share/.cache/yarn"));
            sh.out(
                io,
                "yarn cache v1.22.22\nsuccess Cleared cache.\nDone in 0.10s.\n",
            )?;
            Ok(0)
        }
        Some("run") => match words.get(1) {
            Some(s) => sh.npm_run(Tool::Yarn, &s.clone(), io),
            None => Ok(0),
        },
        Some(s) => {
            let s = s.to_owned();
            sh.npm_run(Tool::Yarn, &s, io)
        }
    }
}
