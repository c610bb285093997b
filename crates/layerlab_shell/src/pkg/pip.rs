//! `pip install` (pip 24): requirements from arguments and `-r` files in the image,
//! resolved over the PyPI catalog (`pypi_catalog.rs`), installed into site-packages.
//!
//! Where packages go, as on the real images:
//! * official `python` images: `/usr/local/lib/pythonX.Y/site-packages`, console
//!   scripts in `/usr/local/bin`; as root pip warns that a virtual environment is
//!   recommended (silenced by `--root-user-action=ignore` or `PIP_ROOT_USER_ACTION`);
//! * a virtual environment (`$VIRTUAL_ENV`, or a `pip` under a directory with
//!   `pyvenv.cfg`): its own `lib/pythonX.Y/site-packages` and `bin`;
//! * `--user` (or a non-root user who cannot write site-packages, which pip reports
//!   as "Defaulting to user installation"): `~/.local/lib/pythonX.Y/site-packages`,
//!   scripts in `~/.local/bin`;
//! * the distribution's Python (`pip` from `apt`/`apk` in `/usr/bin`) is "externally
//!   managed" (PEP 668, Debian 12 and Alpine 3.19 onwards): pip refuses unless
//!   `--break-system-packages` (or `PIP_BREAK_SYSTEM_PACKAGES=1`).
//!
//! Downloaded wheels stay in pip's HTTP cache, `~/.cache/pip/http-v2`, unless
//! `--no-cache-dir` (or `PIP_NO_CACHE_DIR`): the layer-size lesson of pip in Docker.
//! A name the catalog does not know fails like a name PyPI does not have.

use super::{pypi, seed, PyPackage};
use crate::exec::{read_text, Shell, R};
use crate::io::Io;
use layerlab_text::decimal;
use layerlab_vfs::{Content, Node, VfsPath};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Where an install goes.
struct Layout {
    site: String,
    bin: String,
    python: String,
    managed: bool,
    venv: bool,
}

/// One requirement as written (`flask==3.1.0`, `requests[socks]>=2`).
#[derive(Clone, Debug, Default)]
struct Requirement {
    text: String,
    name: String,
    pin: Option<String>,
}

/// PEP 503 normalization: lowercase, runs of `-`, `_`, `.` become one `-`.
pub(crate) fn normalize(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

fn parse_requirement(text: &str) -> Option<Requirement> {
    let text = text.trim();
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(text.len());
    let name = &text[..end];
    if name.is_empty() {
        return None;
    }
    let pin = text
        .split_once("==")
        .map(|(_, v)| {
            v.split([',', ';', ' '])
                .next()
                .unwrap_or("")
                .trim()
                .to_owned()
        })
        .filter(|v| !v.is_empty() && !v.contains('*'));
    Some(Requirement {
        text: text.split(';').next().unwrap_or(text).trim().to_owned(),
        name: normalize(name),
        pin,
    })
}

/// pip's `format_size`.
fn format_size(bytes: u64) -> String {
    if bytes > 1_000_000 {
        format!("{} MB", decimal::quotient(bytes, 1_000_000, 1))
    } else if bytes > 10_000 {
        format!("{} kB", bytes / 1000)
    } else if bytes > 1000 {
        format!("{} kB", decimal::quotient(bytes, 1000, 1))
    } else {
        format!("{bytes} bytes")
    }
}

fn wheel_name(p: &PyPackage, version: &str, python: &str, musl: bool) -> String {
    let tag = if p.binary {
        let cp = format!("cp{}", python.replace('.', ""));
        // Alpine is musl-based: pip picks musllinux wheels there (PEP 656).
        let platform = if musl {
            "musllinux_1_2_x86_64"
        } else {
            "manylinux_2_17_x86_64.manylinux2014_x86_64"
        };
        format!("{cp}-{cp}-{platform}")
    } else {
        "py3-none-any".to_owned()
    };
    format!("{}-{version}-{tag}.whl", p.name.replace('-', "_"))
}

fn truthy(v: Option<&str>) -> bool {
    v.is_some_and(|v| !matches!(v.to_ascii_lowercase().as_str(), "" | "0" | "false" | "no"))
}

impl Shell<'_> {
    /// The Python `X.Y` of the image: `$PYTHON_VERSION` (official images), else the
    /// newest `pythonX.Y` directory under `/usr/local/lib` or `/usr/lib`.
    pub(super) fn python_minor(&self) -> String {
        if let Some(v) = self.get_var("PYTHON_VERSION") {
            let mut parts = v.split('.');
            if let (Some(a), Some(b)) = (parts.next(), parts.next()) {
                return format!("{a}.{b}");
            }
        }
        for dir in ["/usr/local/lib", "/usr/lib"] {
            if let Ok(entries) = self.fs.read_dir(&VfsPath::new(dir)) {
                let best = entries
                    .iter()
                    .filter_map(|(n, _)| n.strip_prefix("python3."))
                    .filter_map(|m| m.parse::<u32>().ok())
                    .max();
                if let Some(m) = best {
                    return format!("3.{m}");
                }
            }
        }
        if self.fs.exists(&VfsPath::new("/etc/alpine-release")) {
            "3.12".to_owned()
        } else {
            "3.11".to_owned()
        }
    }

    fn pip_layout(&self, argv0: &str, user: bool, target: Option<&str>) -> Layout {
        let python = self.python_minor();
        let home = self.get_var("HOME").unwrap_or("/root").to_owned();
        // The venv the pip executable lives in, else `$VIRTUAL_ENV`.
        let exe = self.find_in_path(argv0, false);
        let venv = exe
            .as_ref()
            .and_then(VfsPath::parent)
            .and_then(|bin| bin.parent())
            .filter(|root| self.fs.exists(&root.child("pyvenv.cfg")))
            .map(|r| r.to_string())
            .or_else(|| self.get_var("VIRTUAL_ENV").map(str::to_owned));
        if let Some(t) = target {
            let t = self.path(t).to_string();
            return Layout {
                bin: format!("{t}/bin"),
                site: t,
                python,
                managed: false,
                venv: false,
            };
        }
        if let Some(v) = venv {
            return Layout {
                site: format!("{v}/lib/python{python}/site-packages"),
                bin: format!("{v}/bin"),
                python,
                managed: false,
                venv: true,
            };
        }
        if user {
            return Layout {
                site: format!("{home}/.local/lib/python{python}/site-packages"),
                bin: format!("{home}/.local/bin"),
                python,
                managed: false,
                venv: false,
            };
        }
        let official = self
            .fs
            .exists(&VfsPath::new(&format!("/usr/local/lib/python{python}")));
        if official {
            Layout {
                site: format!("/usr/local/lib/python{python}/site-packages"),
                bin: "/usr/local/bin".to_owned(),
                python,
                managed: false,
                venv: false,
            }
        } else if self.fs.exists(&VfsPath::new("/etc/alpine-release")) {
            Layout {
                site: format!("/usr/lib/python{python}/site-packages"),
                bin: "/usr/bin".to_owned(),
                python,
                managed: true,
                venv: false,
            }
        } else {
            Layout {
                site: format!("/usr/local/lib/python{python}/dist-packages"),
                bin: "/usr/local/bin".to_owned(),
                python,
                managed: true,
                venv: false,
            }
        }
    }

    /// The installed version of a distribution in `site`, from its `.dist-info`.
    fn pip_installed(&self, site: &str, name: &str) -> Option<String> {
        let prefix = format!("{}-", name.replace('-', "_"));
        let entries = self.fs.read_dir(&VfsPath::new(site)).ok()?;
        entries.iter().find_map(|(n, _)| {
            n.to_ascii_lowercase()
                .strip_prefix(&prefix)
                .and_then(|r| r.strip_suffix(".dist-info"))
                .map(str::to_owned)
        })
    }

    /// Reads a requirements file (and the files it includes with `-r`).
    fn pip_read_requirements(
        &mut self,
        file: &str,
        depth: u32,
        out: &mut Vec<Requirement>,
        io: &Io,
    ) -> R<bool> {
        let path = self.path(file);
        let text = match read_text(self.fs, &path) {
            Some(text) => text,
            None => {
                self.err_line(io, format_args!("ERROR: Could not open requirements file: [Errno 2] No such file or directory: '{file}'"))?;
                return Ok(false);
            }
        };
        for line in text.lines() {
            self.tick(1)?;
            let line = line.split(" #").next().unwrap_or("").trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let nested = line
                .strip_prefix("-r ")
                .or_else(|| line.strip_prefix("--requirement "))
                .or_else(|| line.strip_prefix("-r"));
            if let Some(inc) = nested {
                // Included files are relative to the including file.
                let base = path.parent().map(|p| p.to_string()).unwrap_or_default();
                let inc = VfsPath::new(&base).join(inc.trim()).to_string();
                if depth < 8 && !self.pip_read_requirements(&inc, depth + 1, out, io)? {
                    return Ok(false);
                }
                continue;
            }
            if line.starts_with('-') {
                // `--index-url`, `-c constraints.txt`, `--hash`: not modeled.
                continue;
            }
            if let Some(r) = parse_requirement(line) {
                out.push(r);
            }
        }
        Ok(true)
    }

    fn pip_install(&mut self, argv0: &str, args: &[String], io: &Io) -> R<u8> {
        let mut reqs: Vec<Requirement> = Vec::new();
        let mut user = truthy(self.get_var("PIP_USER"));
        let mut no_cache = truthy(self.get_var("PIP_NO_CACHE_DIR"));
        let mut break_system = truthy(self.get_var("PIP_BREAK_SYSTEM_PACKAGES"));
        let mut quiet = false;
        let mut no_deps = false;
        let mut root_warning = self.get_var("PIP_ROOT_USER_ACTION") != Some("ignore");
        let mut target = None;
        let mut i = 0;
        while i < args.len() {
            let a = args[i].as_str();
            let next = args.get(i + 1).cloned();
            match a {
                "--user" => user = true,
                "--no-cache-dir" => no_cache = true,
                "--break-system-packages" => break_system = true,
                "-q" | "--quiet" | "-qq" => quiet = true,
                "--no-deps" => no_deps = true,
                "--root-user-action" => {
                    root_warning = next.as_deref() != Some("ignore");
                    i += 1;
                }
                "-r" | "--requirement" => {
                    let Some(f) = next else {
                        self.err(io, "ERROR: -r option requires 1 argument\n")?;
                        return Ok(2);
                    };
                    if !self.pip_read_requirements(&f, 0, &mut reqs, io)? {
                        return Ok(1);
                    }
                    i += 1;
                }
                "-t" | "--target" => {
                    target = next;
                    i += 1;
                }
                "-i" | "--index-url" | "--extra-index-url" | "-c" | "--constraint" | "--prefix"
                | "--root" | "-f" | "--find-links" | "--trusted-host" => i += 1,
                "-e" | "--editable" => {
                    self.warn("unmodeled-command", "`pip install -e` (a local project) is not modeled: nothing was installed for it".to_owned());
                    i += 1;
                }
                s if s.starts_with("--root-user-action=") => {
                    root_warning = !s.ends_with("=ignore");
                }
                s if s.starts_with("-r") && s.len() > 2 => {
                    if !self.pip_read_requirements(&s[2..], 0, &mut reqs, io)? {
                        return Ok(1);
                    }
                }
                s if s.starts_with('-') => {}
                s if s.starts_with('.') || s.starts_with('/') || s.contains("://") => {
                    self.warn("unmodeled-command", format!("`pip install {s}` (a local project, archive or URL) is not modeled: nothing was installed for it"));
                }
                s => {
                    if let Some(r) = parse_requirement(s) {
                        reqs.push(r);
                    }
                }
            }
            i += 1;
        }
        if reqs.is_empty() {
            if self.warnings.is_empty() {
                self.err(io, "ERROR: You must give at least one requirement to install (see \"pip help install\")\n")?;
                return Ok(1);
            }
            return Ok(0);
        }
        let mut layout = self.pip_layout(argv0, user, target.as_deref());
        if layout.managed && !break_system && !user {
            self.err(io, EXTERNALLY_MANAGED)?;
            return Ok(1);
        }
        let mut out = String::new();
        if self.who.uid != 0 && !user && !layout.venv && target.is_none() {
            let parent = VfsPath::new(&layout.site);
            let dir = if self.fs.exists(&parent) {
                parent
            } else {
                parent.parent().unwrap_or(parent)
            };
            if !crate::perm::may_write(self.fs, &dir, &self.who) {
                out.push_str("Defaulting to user installation because normal site-packages is not writeable\n");
                layout = self.pip_layout(argv0, true, None);
                user = true;
            }
        }
        let musl = self.fs.exists(&VfsPath::new("/etc/alpine-release"));
        // Resolve breadth-first in request order, as pip's resolver reports it.
        let mut plan: Vec<(&'static PyPackage, String)> = Vec::new();
        let mut seen = BTreeSet::new();
        // (A list read in order as it grows: a VecDeque would add its own code.)
        let mut queue: Vec<(Requirement, Option<&'static str>)> =
            reqs.into_iter().map(|r| (r, None)).collect();
        let mut next = 0;
        while let Some((req, from)) = queue.get_mut(next).map(std::mem::take) {
            next += 1;
            self.tick(2)?;
            if !seen.insert(req.name.clone()) {
                continue;
            }
            let from_text = from.map(|f| format!(" (from {f})")).unwrap_or_default();
            let Some(p) = pypi(&req.name) else {
                self.out(io, &out)?;
                self.err_line(io, format_args!("ERROR: Could not find a version that satisfies the requirement {}{from_text} (from versions: none)\nERROR: No matching distribution found for {}", req.text, req.text))?;
                return Ok(1);
            };
            let version = req.pin.clone().unwrap_or_else(|| p.version.to_owned());
            if let Some(v) = self.pip_installed(&layout.site, p.name) {
                let _ = writeln!(
                    out,
                    "Requirement already satisfied: {} in {}{from_text} ({v})",
                    req.text, layout.site
                );
                continue;
            }
            let _ = writeln!(out, "Collecting {}{from_text}", req.text);
            let wheel = wheel_name(p, &version, &layout.python, musl);
            let _ = writeln!(
                out,
                "  Downloading {wheel} ({})",
                format_size(p.wheel_bytes)
            );
            if !no_deps {
                for d in p.depends {
                    let r = Requirement {
                        text: (*d).to_owned(),
                        name: (*d).to_owned(),
                        pin: None,
                    };
                    queue.push((r, Some(p.name)));
                }
            }
            plan.push((p, version));
        }
        if plan.is_empty() {
            if !quiet {
                self.out(io, &out)?;
            }
            return Ok(0);
        }
        // Dependencies install first: reverse of discovery, which is a valid order
        // for the catalog's acyclic graph.
        plan.reverse();
        let list: Vec<&str> = plan.iter().map(|(p, _)| p.display).collect();
        let _ = writeln!(out, "Installing collected packages: {}", list.join(", "));
        let home = self.get_var("HOME").unwrap_or("/root").to_owned();
        for (p, version) in &plan {
            self.pip_install_files(p, version, &layout);
            if !no_cache {
                let key = seed(&wheel_name(p, version, &layout.python, musl));
                let hex = format!("{key:016x}{:016x}", key.rotate_left(17));
                let c: Vec<char> = hex.chars().collect();
                let path = format!(
                    "{home}/.cache/pip/http-v2/{}/{}/{}/{}/{}/{hex}.body",
                    c[0], c[1], c[2], c[3], c[4]
                );
                self.put_file(&path, Content::synthetic(key, p.wheel_bytes), 0o600);
            }
            self.tick(4)?;
        }
        let mut done: Vec<String> = plan
            .iter()
            .map(|(p, v)| format!("{}-{v}", p.display))
            .collect();
        done.sort();
        let _ = writeln!(out, "Successfully installed {}", done.join(" "));
        let bytes: u64 = plan.iter().map(|(p, _)| p.wheel_bytes).sum();
        self.duration_ms += 600 + plan.len() as u64 * 150 + bytes / 5_000;
        if !quiet {
            self.out(io, &out)?;
        }
        if self.who.uid == 0 && root_warning && !layout.venv && !user {
            self.err(io, ROOT_WARNING)?;
        }
        Ok(0)
    }

    fn pip_install_files(&mut self, p: &PyPackage, version: &str, layout: &Layout) {
        let site = &layout.site;
        let meta_files = 4 * 1024;
        let data = p.installed.saturating_sub(meta_files);
        if let Some(single) = p.module.strip_suffix(".py") {
            self.put_file(
                &format!("{site}/{single}.py"),
                Content::synthetic(seed(p.name), data),
                0o644,
            );
        } else {
            self.put_file(
                &format!("{site}/{}/__init__.py", p.module),
                Content::inline(format!("# {} {version}\n", p.display)),
                0o644,
            );
            self.put_file(
                &format!("{site}/{}/_lib.bin", p.module),
                Content::synthetic(seed(p.name), data),
                0o644,
            );
        }
        let info = format!("{site}/{}-{version}.dist-info", p.name.replace('-', "_"));
        let mut metadata = format!(
            "Metadata-Version: 2.1\nName: {}\nVersion: {version}\n",
            p.display
        );
        for d in p.depends {
            let _ = writeln!(metadata, "Requires-Dist: {d}");
        }
        self.put_file(
            &format!("{info}/METADATA"),
            Content::inline(metadata),
            0o644,
        );
        self.put_file(
            &format!("{info}/INSTALLER"),
            Content::inline("pip\n"),
            0o644,
        );
        self.put_file(
            &format!("{info}/WHEEL"),
            Content::inline(format!(
                "Wheel-Version: 1.0\nRoot-Is-Purelib: {}\n",
                !p.binary
            )),
            0o644,
        );
        let mut record = format!("{}/__init__.py,,\n", p.module);
        for s in p.scripts {
            let module = p.module.trim_end_matches(".py");
            let body = format!(
                "#!{}/python{}\nimport sys\nfrom {module} import main\nif __name__ == \"__main__\":\n    sys.exit(main())\n",
                if layout.venv { layout.bin.clone() } else { "/usr/local/bin".to_owned() },
                if layout.venv { "" } else { &layout.python }
            );
            self.put_file(&format!("{}/{s}", layout.bin), Content::inline(body), 0o755);
            let _ = writeln!(record, "../../../bin/{s},,");
        }
        self.put_file(&format!("{info}/RECORD"), Content::inline(record), 0o644);
    }

    fn pip_uninstall(&mut self, argv0: &str, args: &[String], io: &Io) -> R<u8> {
        let layout = self.pip_layout(argv0, false, None);
        let mut out = String::new();
        for a in args.iter().filter(|a| !a.starts_with('-')) {
            let name = normalize(a);
            let Some(v) = self.pip_installed(&layout.site, &name) else {
                let _ = writeln!(out, "WARNING: Skipping {a} as it is not installed.");
                continue;
            };
            let Some(p) = pypi(&name) else { continue };
            let _ = writeln!(out, "Found existing installation: {} {v}\nUninstalling {}-{v}:\n  Successfully uninstalled {}-{v}",
                p.display, p.display, p.display);
            let site = &layout.site;
            for path in [
                format!("{site}/{}", p.module),
                format!("{site}/{}-{v}.dist-info", p.name.replace('-', "_")),
            ] {
                let _ = self.fs.remove(&VfsPath::new(&path));
            }
            for s in p.scripts {
                let _ = self
                    .fs
                    .remove(&VfsPath::new(&format!("{}/{s}", layout.bin)));
            }
        }
        self.out(io, &out)?;
        Ok(0)
    }

    fn pip_freeze(&mut self, argv0: &str, io: &Io) -> R<u8> {
        let layout = self.pip_layout(argv0, false, None);
        let mut lines = Vec::new();
        if let Ok(entries) = self.fs.read_dir(&VfsPath::new(&layout.site)) {
            for (n, node) in entries {
                if let (Some(stem), Node::Dir(_)) = (n.strip_suffix(".dist-info"), node) {
                    if let Some((name, v)) = stem.rsplit_once('-') {
                        if name != "pip" {
                            let shown = pypi(&normalize(name)).map_or(name, |p| p.display);
                            lines.push(format!("{shown}=={v}\n"));
                        }
                    }
                }
            }
        }
        self.out(io, &lines.concat())?;
        Ok(0)
    }
}

const ROOT_WARNING: &str = "WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager, possibly rendering your system unusable. It is recommended to use a virtual environment instead: https://pip.pypa.io/warnings/venv. Use the --root-user-action option if you know what you are doing and want to suppress this warning.\n";

const EXTERNALLY_MANAGED: &str = "error: externally-managed-environment\n\n\u{d7} This environment is externally managed\n\u{2570}\u{2500}> To install Python packages system-wide, use the distribution's package manager\n    (apt install python3-xyz, apk add py3-xyz), or create a virtual environment\n    with python3 -m venv path/to/venv and use its pip.\n\nnote: If you believe this is a mistake, please contact your Python installation or OS distribution provider. You can override this, at the risk of breaking your Python installation or OS, by passing --break-system-packages.\nhint: See PEP 668 for the detailed specification.\n";

/// `pip ARGS` (also `pip3`, `pip3.12`, `python -m pip`); `argv0` locates the venv.
pub(crate) fn pip(sh: &mut Shell<'_>, argv0: &str, args: &[String], io: &Io) -> R<u8> {
    let Some(pos) = args.iter().position(|a| !a.starts_with('-')) else {
        sh.out(io, "\nUsage:   \n  pip <command> [options]\n")?;
        return Ok(0);
    };
    let rest = &args[pos + 1..];
    match args[pos].as_str() {
        "install" => sh.pip_install(argv0, rest, io),
        "uninstall" => sh.pip_uninstall(argv0, rest, io),
        "freeze" | "list" => sh.pip_freeze(argv0, io),
        "cache" if rest.first().is_some_and(|r| r == "purge") => {
            let home = sh.get_var("HOME").unwrap_or("/root").to_owned();
            let _ = sh.fs.remove(&VfsPath::new(&format!("{home}/.cache/pip")));
            Ok(0)
        }
        other => {
            sh.unmodeled(format_args!("pip {other}"));
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalized_like_pep_503() {
        assert_eq!(normalize("Flask"), "flask");
        assert_eq!(normalize("typing_extensions"), "typing-extensions");
        assert_eq!(normalize("zope.interface"), "zope-interface");
        assert_eq!(normalize("a-_.b"), "a-b");
    }

    #[test]
    fn requirements_keep_their_text_and_pin() {
        let r = parse_requirement("Django==5.0.1 ; python_version > '3'").unwrap();
        assert_eq!(
            (r.name.as_str(), r.pin.as_deref()),
            ("django", Some("5.0.1"))
        );
        assert_eq!(r.text, "Django==5.0.1");
        let r = parse_requirement("requests[socks]>=2.31").unwrap();
        assert_eq!((r.name.as_str(), r.pin), ("requests", None));
        assert!(parse_requirement("==1").is_none());
    }

    #[test]
    fn sizes_are_printed_like_pip() {
        assert_eq!(format_size(102_979), "102 kB");
        assert_eq!(format_size(8_458), "8.5 kB");
        assert_eq!(format_size(16_400_000), "16.4 MB");
        assert_eq!(format_size(999), "999 bytes");
    }

    #[test]
    fn catalog_is_sorted_normalized_and_closed() {
        let cat = super::super::pypi_catalog::PYPI;
        assert!(cat.windows(2).all(|w| w[0].name < w[1].name));
        for p in cat {
            assert_eq!(normalize(p.name), p.name);
            for d in p.depends {
                assert!(pypi(d).is_some(), "{} depends on missing {d}", p.name);
            }
        }
    }
}
