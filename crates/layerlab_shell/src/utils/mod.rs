//! External commands: `PATH` lookup in the image and the modeled utilities.
//!
//! A command exists only if the image has it: `apt-get` runs only when
//! `/usr/bin/apt-get` is a file in the VFS, otherwise the shell says
//! `sh: 1: apt-get: not found` (status 127). A command the image has but the simulator
//! does not model does nothing, succeeds, and leaves an `unmodeled-command` warning:
//! never silently. Shell scripts found in the image (`./install.sh`, Debian's `which`)
//! run in the simulator when no model exists.

mod files;
mod find;
mod mode;
mod sed;
mod text;

use crate::exec::{Dialect, Flow, Shell, R};
use crate::io::Io;
use layerlab_vfs::{Node, VfsPath};
use std::fmt::Write as _;

/// The default `PATH` BuildKit sets when the image config has none.
pub(crate) const DEFAULT_PATH: &str =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Commands the simulator models (they still must exist in the image's `PATH`).
pub const MODELED: &[&str] = &[
    "mkdir", "touch", "cat", "cp", "mv", "rm", "rmdir", "ln", "chmod", "chown", "chgrp", "ls",
    "find", "sed", "which", "env", "echo", "printf", "test", "[", "true", "false", "pwd",
    "basename", "dirname", "sleep", "id", "whoami", "tee", "head", "tail", "wc", "grep", "sort",
    "useradd", "groupadd", "adduser", "addgroup", "usermod", "sh", "dash", "bash", "ash",
    "apt-get", "apt", "apk", "pip", "pip3", "npm", "yarn", "curl", "wget", "go", "mvn",
];

/// Whether any of `args` is one of `names` (`-g`, `--global`).
pub(crate) fn any_arg(args: &[String], names: &[&str]) -> bool {
    args.iter().any(|a| names.contains(&a.as_str()))
}

/// `[[ text =~ re ]]`: whether the extended regex matches anywhere; `None` if invalid.
pub(crate) fn regex_matches(re: &str, text: &str) -> Option<bool> {
    let r = sed::Regex::new(re, true, false).ok()?;
    let mut budget = 1_000_000;
    Some(r.find(text, 0, &mut budget).is_some())
}

impl Shell<'_> {
    /// Looks `name` up in `$PATH`; with `need_exec` only executable regular files count.
    pub(crate) fn find_in_path(&self, name: &str, need_exec: bool) -> Option<VfsPath> {
        if name.contains('/') {
            let p = self.path(name);
            return self.fs.exists(&p).then_some(p);
        }
        // Unset PATH searches only the current directory, as dash does; the engine
        // sets BuildKit's default PATH when the image has none.
        let path_var = self.get_var("PATH").unwrap_or("").to_owned();
        for dir in path_var.split(':') {
            let dir = if dir.is_empty() { "." } else { dir };
            let p = self.path(dir).child(name);
            if let Ok(Node::File(f)) = self.fs.node(&p) {
                if !need_exec || crate::perm::may_exec(&f.meta, &self.who, false) {
                    return Some(p);
                }
            }
        }
        None
    }

    fn not_found(&mut self, name: &str, io: &Io) -> R<u8> {
        let what = match self.dialect {
            Dialect::Bash => "command not found",
            _ => "not found",
        };
        self.error(io, format_args!("{name}: {what}"))?;
        Ok(127)
    }

    /// Runs a command that is not a builtin or function.
    pub(crate) fn run_external(&mut self, argv: &[String], io: &Io) -> R<u8> {
        // A process start costs more than a builtin (PATH lookup, argv, environment).
        self.tick(4)?;
        self.duration_ms += 1;
        let name = argv[0].as_str();
        let path = if name.contains('/') {
            let p = self.path(name);
            match self.fs.node(&p) {
                Ok(Node::File(f)) => {
                    if !crate::perm::may_exec(&f.meta, &self.who, false) {
                        self.error(io, format_args!("{name}: Permission denied"))?;
                        return Ok(126);
                    }
                    p
                }
                Ok(_) => {
                    self.error(io, format_args!("{name}: Permission denied"))?;
                    return Ok(126);
                }
                Err(_) => return self.not_found(name, io),
            }
        } else {
            match self.find_in_path(name, true) {
                Some(p) => p,
                None => return self.not_found(name, io),
            }
        };
        let applet = path.file_name().unwrap_or("").to_owned();
        let busybox = self
            .fs
            .resolve(&path, true)
            .is_ok_and(|real| real.file_name() == Some("busybox"));
        if let Some(status) = self.run_utility(&applet, argv, io, busybox)? {
            return Ok(status);
        }
        // A shell script from the image or the build context: run it.
        if let Some(text) = self.shell_script(&path) {
            let mut args = argv[1..].to_vec();
            return self.subshell(&mut |sh| {
                sh.st.positional = std::mem::take(&mut args);
                sh.source(&text, io, "")
            });
        }
        self.warn(
            "unmodeled-command",
            format!(
                "`{applet}` exists in the image ({path}) but is not modeled by the simulator: it did nothing and succeeded"
            ),
        );
        Ok(0)
    }

    /// The text of `path` when it is a `#!` script for a shell the simulator runs.
    fn shell_script(&self, path: &VfsPath) -> Option<String> {
        let content = self.fs.read_file(path).ok()?;
        let bytes = content.as_inline()?;
        let first = bytes.split(|&b| b == b'\n').next()?;
        let first = std::str::from_utf8(first).ok()?;
        let interp = first
            .strip_prefix("#!")?
            .split_whitespace()
            .collect::<Vec<_>>();
        let prog = match interp.as_slice() {
            [env, p, ..] if env.ends_with("/env") => *p,
            [p, ..] => p.rsplit('/').next().unwrap_or(p),
            [] => return None,
        };
        matches!(prog, "sh" | "bash" | "dash" | "ash")
            .then(|| String::from_utf8_lossy(bytes).into_owned())
    }

    /// Runs a modeled utility; `None` when `name` is not modeled.
    fn run_utility(
        &mut self,
        name: &str,
        argv: &[String],
        io: &Io,
        busybox: bool,
    ) -> R<Option<u8>> {
        let args = &argv[1..];
        let status = match name {
            "echo" | "printf" | "test" | "[" | "true" | "false" | "pwd" => {
                let mut v = argv.to_vec();
                v[0] = name.to_owned();
                return self.run_builtin(&v, io);
            }
            "mkdir" => self.mkdir(args, io)?,
            "touch" => self.touch(args, io)?,
            "cat" => self.cat(args, io)?,
            "cp" => self.cp(args, io)?,
            "mv" => self.mv(args, io)?,
            "rm" => self.rm(args, io)?,
            "rmdir" => self.rmdir(args, io)?,
            "ln" => self.ln(args, io)?,
            "chmod" => self.chmod(args, io)?,
            "chown" | "chgrp" => self.chown(name, args, io)?,
            "ls" => self.ls(args, io)?,
            "find" => self.find(args, io)?,
            "sed" => self.sed(args, io)?,
            "tee" => self.tee(args, io)?,
            "head" | "tail" => self.head_tail(name, args, io)?,
            "wc" => self.wc(args, io)?,
            "sort" => self.sort(args, io)?,
            "grep" => self.grep(args, io)?,
            "useradd" | "groupadd" | "adduser" | "addgroup" | "usermod" => {
                crate::users::run(self, name, args, io, busybox)?
            }
            "apt-get" | "apt" => crate::pkg::apt_get(self, name, args, io)?,
            "apk" => crate::pkg::apk(self, args, io)?,
            "npm" => crate::pkg::npm(self, args, io)?,
            "curl" => crate::pkg::curl(self, args, io)?,
            "go" => crate::pkg::go(self, args, io)?,
            "mvn" => crate::pkg::mvn(self, args, io)?,
            "wget" => crate::pkg::wget(self, args, io, busybox)?,
            "yarn" | "yarnpkg" => crate::pkg::yarn(self, args, io)?,
            n if n == "pip" || n.starts_with("pip3") => crate::pkg::pip(self, &argv[0], args, io)?,
            n if n.starts_with("python")
                && args.first().is_some_and(|a| a == "-m")
                && args.get(1).is_some_and(|a| a == "pip") =>
            {
                crate::pkg::pip(self, &argv[0], &args[2..], io)?
            }
            n if n.starts_with("python")
                && args.first().is_some_and(|a| a == "-m")
                && args.get(1).is_some_and(|a| a == "venv") =>
            {
                crate::pkg::venv(self, &argv[0], &args[2..], io)?
            }
            "which" => {
                let mut status = 0;
                for n in args.iter().filter(|a| !a.starts_with('-')) {
                    match self.find_in_path(n, true) {
                        Some(p) => self.out_line(io, format_args!("{p}"))?,
                        None => status = 1,
                    }
                }
                status
            }
            "env" => self.env(args, io)?,
            "basename" => {
                let Some(p) = args.first() else {
                    self.err(io, "basename: missing operand\n")?;
                    return Ok(Some(1));
                };
                let trimmed = p.trim_end_matches('/');
                let mut base = trimmed.rsplit('/').next().unwrap_or("").to_owned();
                if base.is_empty() && p.starts_with('/') {
                    base = "/".to_owned();
                }
                if let Some(suffix) = args.get(1) {
                    if base.len() > suffix.len() && base.ends_with(suffix.as_str()) {
                        base.truncate(base.len() - suffix.len());
                    }
                }
                self.out_line(io, format_args!("{base}"))?;
                0
            }
            "dirname" => {
                let Some(p) = args.first() else {
                    self.err(io, "dirname: missing operand\n")?;
                    return Ok(Some(1));
                };
                let t = p.trim_end_matches('/');
                let d = match t.rfind('/') {
                    Some(0) => "/".to_owned(),
                    Some(i) => t[..i].trim_end_matches('/').to_owned(),
                    None if p.starts_with('/') => "/".to_owned(),
                    None => ".".to_owned(),
                };
                self.out_line(io, format_args!("{d}"))?;
                0
            }
            "sleep" => {
                let ms = args
                    .first()
                    .map_or(0, |a| sleep_ms(a.trim_end_matches('s')));
                self.duration_ms += ms;
                0
            }
            "id" | "whoami" => {
                let (uid, gid) = (self.who.uid, self.who.gid);
                let uname =
                    crate::users::user_name(self.fs, uid).unwrap_or_else(|| uid.to_string());
                let gname =
                    crate::users::group_name(self.fs, gid).unwrap_or_else(|| gid.to_string());
                match (name, args.first().map(String::as_str)) {
                    ("whoami", _) | ("id", Some("-un")) => {
                        self.out_line(io, format_args!("{uname}"))?
                    }
                    ("id", Some("-u")) => self.out_line(io, format_args!("{uid}"))?,
                    ("id", Some("-g")) => self.out_line(io, format_args!("{gid}"))?,
                    ("id", Some("-gn")) => self.out_line(io, format_args!("{gname}"))?,
                    _ => self.out_line(
                        io,
                        format_args!("uid={uid}({uname}) gid={gid}({gname}) groups={gid}({gname})"),
                    )?,
                }
                0
            }
            "sh" | "dash" | "bash" | "ash" => {
                let dialect = match name {
                    "bash" => Dialect::Bash,
                    "ash" => Dialect::Ash,
                    _ if busybox => Dialect::Ash,
                    _ => self.dialect_of_sh(),
                };
                return self.nested_shell(argv, dialect, io).map(Some);
            }
            _ => return Ok(None),
        };
        Ok(Some(status))
    }

    /// Which shell `/bin/sh` is in this image: dash unless it links to bash or busybox.
    pub(crate) fn dialect_of_sh(&self) -> Dialect {
        crate::shell_dialect(self.fs, "/bin/sh")
    }

    /// `sh -c 'script' name args...` (and `sh script.sh`) run inside the simulation.
    fn nested_shell(&mut self, argv: &[String], dialect: Dialect, io: &Io) -> R<u8> {
        let Some(inv) = crate::Invocation::parse(argv) else {
            self.warn(
                "unmodeled-command",
                format!(
                    "interactive `{}` without -c reads no input in a build: nothing ran",
                    argv[0]
                ),
            );
            return Ok(0);
        };
        let (text, argv0, positional) = match inv.script {
            crate::InvocationScript::Inline(s) => (s, inv.argv0, inv.args),
            crate::InvocationScript::File(f) => {
                let p = self.path(&f);
                match crate::exec::read_text(self.fs, &p) {
                    Some(text) => (text, f, inv.args),
                    None => {
                        let shell = &argv[0];
                        self.err_line(
                            io,
                            format_args!("{shell}: 0: cannot open {f}: No such file"),
                        )?;
                        return Ok(2);
                    }
                }
            }
        };
        let saved = (self.dialect, self.argv0.clone(), self.line);
        let (mut argv0, mut positional) = (argv0, positional);
        let res = self.subshell(&mut |sh| {
            sh.dialect = dialect;
            sh.argv0 = std::mem::take(&mut argv0);
            sh.st.positional = std::mem::take(&mut positional);
            sh.apply_invocation_opts(&inv.opts, io)?;
            sh.source(&text, io, "")
        });
        (self.dialect, self.argv0, self.line) = saved;
        res
    }

    /// Applies `-e`, `-x`, `-o pipefail` and friends given before `-c`.
    pub(crate) fn apply_invocation_opts(&mut self, opts: &[String], io: &Io) -> R<()> {
        if opts.is_empty() {
            return Ok(());
        }
        let mut args = opts.to_vec();
        args.insert(0, "set".to_owned());
        match self.run_builtin(&args, io) {
            Ok(_) => Ok(()),
            Err(Flow::Exit(s)) => Err(Flow::Exit(s)),
            Err(e) => Err(e),
        }
    }

    fn env(&mut self, args: &[String], io: &Io) -> R<u8> {
        let mut env = self.environment();
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "-i" || a == "-" {
                env.clear();
            } else if let Some((k, v)) = a.split_once('=') {
                env.retain(|(n, _)| n != k);
                env.push((k.to_owned(), v.to_owned()));
            } else {
                break;
            }
            i += 1;
        }
        if i == args.len() {
            let mut text = String::new();
            for (k, v) in env {
                let _ = writeln!(text, "{k}={v}");
            }
            self.out(io, &text)?;
            return Ok(0);
        }
        // `env VAR=x cmd`: run cmd with that environment (functions and builtins are
        // not visible to env, only files in PATH).
        let saved = self.st.vars.clone();
        for (k, v) in &env {
            self.set_var(k, v.clone(), io)?;
            if let Some(var) = self.st.vars.get_mut(k) {
                var.exported = true;
            }
        }
        let res = self.run_external(&args[i..], io);
        self.st.vars = saved;
        res
    }

    /// Reads the files named in `args` (or stdin when none or `-`), reporting errors
    /// like coreutils (`cat: x: No such file or directory`).
    pub(crate) fn read_inputs(
        &mut self,
        cmd: &str,
        files: &[&String],
        io: &Io,
    ) -> R<(Vec<u8>, u8)> {
        let mut data = Vec::new();
        let mut status = 0;
        if files.is_empty() {
            return Ok((io.take_stdin(), 0));
        }
        for f in files {
            if f.as_str() == "-" {
                data.extend(io.take_stdin());
                continue;
            }
            let p = self.path(f);
            match self.fs.node(&p).cloned() {
                Ok(Node::File(file)) => {
                    let len = file.content.len() as usize;
                    if data.len() + len > crate::exec::MAX_MATERIALIZED {
                        return Err(Flow::Abort);
                    }
                    self.charge_bytes(len)?;
                    data.extend(file.content.to_vec());
                }
                Ok(_) => {
                    self.err_line(io, format_args!("{cmd}: {f}: Is a directory"))?;
                    status = 1;
                }
                Err(e) => {
                    self.err_line(io, format_args!("{cmd}: {f}: {}", e.kind.strerror()))?;
                    status = 1;
                }
            }
        }
        Ok((data, status))
    }
}

/// `sleep`'s argument in whole milliseconds, capped at a day; negative or unreadable is 0.
/// Fixed-point on purpose: the page ships no float parser.
fn sleep_ms(arg: &str) -> u64 {
    const CAP: u64 = 86_400_000;
    let arg = arg.strip_prefix('+').unwrap_or(arg);
    let (int, frac) = arg.split_once('.').unwrap_or((arg, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (int.is_empty() && frac.is_empty()) || !digits(int) || !digits(frac) {
        return 0;
    }
    let mut ms: u64 = 0;
    for d in int.bytes() {
        ms = ms * 10 + u64::from(d - b'0');
        if ms > CAP {
            return CAP;
        }
    }
    ms *= 1000;
    let mut place = 100;
    for d in frac.bytes().take(3) {
        ms += u64::from(d - b'0') * place;
        place /= 10;
    }
    ms.min(CAP)
}

#[cfg(test)]
mod sleep_tests {
    use super::sleep_ms;

    #[test]
    fn sleep_arguments() {
        assert_eq!(sleep_ms("2"), 2000);
        assert_eq!(sleep_ms("0.5"), 500);
        assert_eq!(sleep_ms(".25"), 250);
        assert_eq!(sleep_ms("1.0009"), 1000);
        assert_eq!(sleep_ms("-1"), 0);
        assert_eq!(sleep_ms("x"), 0);
        assert_eq!(sleep_ms("1.2.3"), 0);
        assert_eq!(sleep_ms("999999999999999999999999"), 86_400_000);
    }
}
