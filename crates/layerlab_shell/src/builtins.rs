//! Shell builtins: the special builtins of XCU 2.14 plus the regular ones dash has
//! (`cd`, `echo`, `printf`, `test`, `read`, `command`, ...).
//!
//! Builtins work even when the image lacks `/bin/echo`, exactly as in a real shell. An
//! error in a special builtin ends a non-interactive shell (status 2), as dash does.

use crate::exec::{Dialect, Flow, Shell, R};
use crate::io::Io;

/// XCU 2.14 special builtins: their prefix assignments persist and their errors are
/// fatal.
pub(crate) fn is_special(name: &str) -> bool {
    matches!(
        name,
        ":" | "."
            | "break"
            | "continue"
            | "eval"
            | "exec"
            | "exit"
            | "export"
            | "readonly"
            | "return"
            | "set"
            | "shift"
            | "times"
            | "trap"
            | "unset"
    )
}

/// Every builtin name (for `command -v`, `type`, `which` never sees them).
pub(crate) fn is_builtin(name: &str, dialect: Dialect) -> bool {
    is_special(name)
        || matches!(
            name,
            "cd" | "pwd"
                | "echo"
                | "printf"
                | "test"
                | "["
                | "true"
                | "false"
                | "read"
                | "type"
                | "command"
                | "umask"
                | "wait"
                | "local"
                | "hash"
                | "alias"
                | "unalias"
                | "kill"
                | "ulimit"
                | "getopts"
                | "jobs"
        )
        || (dialect == Dialect::Bash && matches!(name, "source" | "[[" | "declare" | "typeset"))
}

impl Shell<'_> {
    /// Runs `argv` if it names a builtin; `None` otherwise.
    pub(crate) fn run_builtin(&mut self, argv: &[String], io: &Io) -> R<Option<u8>> {
        let name = argv[0].as_str();
        if !is_builtin(name, self.dialect) {
            return Ok(None);
        }
        let args = &argv[1..];
        let status = match name {
            ":" | "true" | "times" | "wait" | "hash" | "alias" | "unalias" | "ulimit" | "jobs" => 0,
            "trap" => {
                // Only EXIT matters: no signal reaches a build step.
                if let Some((action, sigs)) = args.split_first() {
                    if crate::utils::any_arg(sigs, &["EXIT", "0"]) {
                        self.st.exit_trap = match action.as_str() {
                            "-" | "" => None,
                            a => Some(a.to_owned()),
                        };
                    }
                }
                0
            }
            "false" => 1,
            "exit" => {
                let status = match args.first() {
                    None => self.status,
                    Some(a) => match a.parse::<i64>() {
                        Ok(n) if n >= 0 => (n & 255) as u8,
                        _ => {
                            self.error(io, format_args!("exit: Illegal number: {a}"))?;
                            2
                        }
                    },
                };
                return Err(Flow::Exit(status));
            }
            "return" => {
                let status = args
                    .first()
                    .and_then(|a| a.parse::<i64>().ok())
                    .map_or(self.status, |n| (n & 255) as u8);
                if self.in_function == 0 && self.depth == 0 {
                    return Err(Flow::Exit(status));
                }
                return Err(Flow::Return(status));
            }
            "break" | "continue" => {
                let n = args
                    .first()
                    .and_then(|a| a.parse::<u32>().ok())
                    .unwrap_or(1)
                    .max(1);
                if self.loop_depth == 0 {
                    0
                } else {
                    let n = u16::try_from(n.min(self.loop_depth)).unwrap_or(u16::MAX);
                    return Err(if name == "break" {
                        Flow::Break(n)
                    } else {
                        Flow::Continue(n)
                    });
                }
            }
            "shift" => {
                let n = args
                    .first()
                    .and_then(|a| a.parse::<usize>().ok())
                    .unwrap_or(1);
                if n > self.st.positional.len() {
                    self.error(io, format_args!("shift: can't shift that many"))?;
                    return Err(Flow::Exit(2));
                }
                self.st.positional.drain(..n);
                0
            }
            "local" if self.in_function == 0 => {
                self.error(io, format_args!("local: not in a function"))?;
                return Err(Flow::Exit(2));
            }
            "export" | "readonly" | "local" => self.export(name, args, io)?,
            "unset" => {
                let mut funcs = false;
                for a in args {
                    match a.as_str() {
                        "-f" => funcs = true,
                        "-v" => funcs = false,
                        n if funcs => {
                            self.st.funcs.remove(n);
                        }
                        n => {
                            if !self.check_name("unset", n, io)? {
                                return Err(Flow::Exit(2));
                            }
                            if self.st.vars.get(n).is_some_and(|v| v.readonly) {
                                self.error(io, format_args!("unset: {n}: is read only"))?;
                                return Err(Flow::Exit(2));
                            }
                            self.st.vars.remove(n);
                        }
                    }
                }
                0
            }
            "set" => self.set_builtin(args, io)?,
            "eval" => {
                let text = args.join(" ");
                self.source(&text, io, "eval: ")?
            }
            "." | "source" => {
                let Some(file) = args.first() else {
                    return Ok(Some(0));
                };
                let path = if file.contains('/') {
                    Some(self.path(file))
                } else {
                    self.find_in_path(file, false)
                };
                let text = path.and_then(|p| self.fs.read_file(&p).ok().map(|c| c.to_vec()));
                let Some(text) = text else {
                    self.error(io, format_args!("{name}: cannot open {file}: No such file"))?;
                    return Err(Flow::Exit(2));
                };
                let text = String::from_utf8_lossy(&text).into_owned();
                match self.source(&text, io, "") {
                    Ok(s) => s,
                    Err(Flow::Return(s)) => s,
                    Err(e) => return Err(e),
                }
            }
            "exec" => {
                if args.is_empty() {
                    0
                } else {
                    let status = self.run_builtin(args, io)?;
                    let status = match status {
                        Some(s) => s,
                        None => self.run_external(args, io)?,
                    };
                    return Err(Flow::Exit(status));
                }
            }
            "cd" => self.cd(args, io)?,
            "pwd" => {
                let cwd = self.st.cwd.to_string();
                self.out_line(io, format_args!("{cwd}"))?;
                0
            }
            "echo" => self.echo(args, io)?,
            "printf" => crate::printf::printf(self, args, io)?,
            "test" | "[" | "[[" => crate::test::test(self, name, args, io)?,
            "read" => self.read(args, io)?,
            "umask" => {
                match args.first() {
                    None => {
                        let m = self.st.umask;
                        self.out_line(io, format_args!("{m:04o}"))?;
                    }
                    Some(m) => match u32::from_str_radix(m, 8) {
                        Ok(v) if v <= 0o777 => self.st.umask = v,
                        _ => {
                            self.error(io, format_args!("umask: Illegal mode: {m}"))?;
                            return Ok(Some(2));
                        }
                    },
                }
                0
            }
            "command" | "type" => self.command_builtin(name, args, io)?,
            "kill" | "getopts" => {
                self.warn(
                    "unmodeled-builtin",
                    format!("`{name}` is not modeled by the simulator and did nothing"),
                );
                0
            }
            "declare" | "typeset" => self.export("local", args, io)?,
            _ => return Ok(None),
        };
        Ok(Some(status))
    }

    fn export(&mut self, name: &str, args: &[String], io: &Io) -> R<u8> {
        for a in args {
            if a.starts_with('-') {
                continue;
            }
            let (n, v) = match a.split_once('=') {
                Some((n, v)) => (n, Some(v.to_owned())),
                None => (a.as_str(), None),
            };
            if !self.check_name(name, n, io)? {
                return Err(Flow::Exit(2));
            }
            if let Some(v) = v {
                if !self.set_var(n, v, io)? {
                    return Err(Flow::Exit(2));
                }
            }
            let var = self.st.vars.entry(n.to_owned()).or_default();
            match name {
                "export" => var.exported = true,
                "readonly" => var.readonly = true,
                _ => {}
            }
        }
        if args.is_empty() || args == ["-p"] {
            if name == "export" {
                self.list_vars(io, name, |v| v.exported)?;
            } else {
                self.list_vars(io, name, |v| v.readonly)?;
            }
        }
        Ok(0)
    }

    fn set_builtin(&mut self, args: &[String], io: &Io) -> R<u8> {
        if args.is_empty() {
            self.list_vars(io, "", |_| true)?;
            return Ok(0);
        }
        let mut i = 0;
        while i < args.len() {
            let a = &args[i];
            if a == "--" {
                self.st.positional = args[i + 1..].to_vec();
                return Ok(0);
            }
            let (on, flags) = match a.as_bytes().first() {
                Some(b'-') => (true, &a[1..]),
                Some(b'+') => (false, &a[1..]),
                _ => {
                    self.st.positional = args[i..].to_vec();
                    return Ok(0);
                }
            };
            // `-o name` may be combined with other flags: `set -eo pipefail`.
            if flags.contains('o') {
                let others: String = flags.chars().filter(|&c| c != 'o').collect();
                if !others.is_empty() {
                    let sign = if on { "-" } else { "+" };
                    self.set_builtin(&[format!("{sign}{others}")], io)?;
                }
                i += 1;
                let Some(opt) = args.get(i) else {
                    return Ok(0);
                };
                let o = &mut self.st.opts;
                let slot = match opt.as_str() {
                    "errexit" => Some(&mut o.errexit),
                    "nounset" => Some(&mut o.nounset),
                    "xtrace" => Some(&mut o.xtrace),
                    "noglob" => Some(&mut o.noglob),
                    // dash 0.5.12 (Debian 12's /bin/sh) has no pipefail; bash and ash do.
                    "pipefail" if self.dialect != Dialect::Dash => Some(&mut o.pipefail),
                    _ => None,
                };
                match slot {
                    Some(s) => *s = on,
                    None => {
                        let sign = if on { '-' } else { '+' };
                        self.error(io, format_args!("set: Illegal option {sign}o {opt}"))?;
                        return Err(Flow::Exit(2));
                    }
                }
                i += 1;
                continue;
            }
            for c in flags.chars() {
                let o = &mut self.st.opts;
                match c {
                    'e' => o.errexit = on,
                    'u' => o.nounset = on,
                    'x' => o.xtrace = on,
                    'f' => o.noglob = on,
                    'v' | 'h' | 'C' | 'a' | 'b' | 'm' | 'n' => {}
                    _ => {
                        let sign = if on { '-' } else { '+' };
                        self.error(io, format_args!("set: Illegal option {sign}{c}"))?;
                        return Err(Flow::Exit(2));
                    }
                }
            }
            i += 1;
        }
        Ok(0)
    }

    fn cd(&mut self, args: &[String], io: &Io) -> R<u8> {
        let args: Vec<&String> = args
            .iter()
            .filter(|a| !matches!(a.as_str(), "-L" | "-P"))
            .collect();
        let target = match args.first() {
            None => self.get_var("HOME").unwrap_or("/").to_owned(),
            Some(a) if a.as_str() == "-" => self.get_var("OLDPWD").unwrap_or("/").to_owned(),
            Some(a) => (*a).clone(),
        };
        let path = self.path(&target);
        if !self.is_dir(&path) {
            match self.dialect {
                Dialect::Bash => {
                    self.error(io, format_args!("cd: {target}: No such file or directory"))?
                }
                _ => self.error(io, format_args!("cd: can't cd to {target}"))?,
            }
            return Ok(if self.dialect == Dialect::Bash { 1 } else { 2 });
        }
        let old = self.st.cwd.to_string();
        self.st.cwd = path;
        let new = self.st.cwd.to_string();
        self.set_var("OLDPWD", old, io)?;
        self.set_var("PWD", new, io)?;
        Ok(0)
    }

    fn echo(&mut self, args: &[String], io: &Io) -> R<u8> {
        let mut newline = true;
        let mut escapes = self.dialect != Dialect::Bash;
        let mut rest = args;
        // dash's echo knows only `-n`; bash's also `-e` and `-E`.
        while let Some(first) = rest.first() {
            let ok = first.len() > 1
                && first.starts_with('-')
                && first[1..].chars().all(|c| match c {
                    'n' => true,
                    'e' | 'E' => self.dialect != Dialect::Dash,
                    _ => false,
                });
            if !ok {
                break;
            }
            for c in first[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            rest = &rest[1..];
        }
        let mut out = String::new();
        for (i, a) in rest.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            if escapes {
                let (s, stop) = crate::printf::unescape(a, true);
                out.push_str(&s);
                if stop {
                    self.out(io, &out)?;
                    return Ok(0);
                }
            } else {
                out.push_str(a);
            }
        }
        if newline {
            out.push('\n');
        }
        self.out(io, &out)?;
        Ok(0)
    }

    fn read(&mut self, args: &[String], io: &Io) -> R<u8> {
        let mut raw = false;
        let mut names = Vec::new();
        let mut iter = args.iter();
        while let Some(a) = iter.next() {
            match a.as_str() {
                "-r" => raw = true,
                "-p" => {
                    iter.next();
                }
                n => names.push(n.to_owned()),
            }
        }
        if names.is_empty() {
            names.push("REPLY".to_owned());
        }
        let Some((mut line, complete)) = io.read_line() else {
            for n in &names {
                self.set_var(n, String::new(), io)?;
            }
            return Ok(1);
        };
        if !raw {
            // A trailing backslash continues the line; other backslashes quote.
            while line.ends_with('\\') {
                line.pop();
                match io.read_line() {
                    Some((more, _)) => line.push_str(&more),
                    None => break,
                }
            }
            line = line.replace('\\', "");
        }
        let ifs = self.get_var("IFS").unwrap_or(" \t\n").to_owned();
        let is_ws = |c: char| ifs.contains(c) && c.is_whitespace();
        let mut fields: Vec<String> = Vec::new();
        let mut rest = line.trim_start_matches(is_ws);
        for i in 0..names.len() {
            if i + 1 == names.len() {
                fields.push(rest.trim_end_matches(is_ws).to_owned());
                break;
            }
            match rest.find(|c: char| ifs.contains(c)) {
                Some(p) => {
                    fields.push(rest[..p].to_owned());
                    // One field separator: IFS white space around at most one other
                    // IFS character.
                    rest = rest[p..].trim_start_matches(is_ws);
                    if let Some(c) = rest.chars().next().filter(|c| ifs.contains(*c)) {
                        rest = rest[c.len_utf8()..].trim_start_matches(is_ws);
                    }
                }
                None => {
                    fields.push(rest.to_owned());
                    rest = "";
                }
            }
        }
        for (n, v) in names.iter().zip(fields) {
            if !self.check_name("read", n, io)? {
                return Ok(2);
            }
            self.set_var(n, v, io)?;
        }
        Ok(if complete { 0 } else { 1 })
    }

    fn command_builtin(&mut self, name: &str, args: &[String], io: &Io) -> R<u8> {
        let (verbose, names): (bool, Vec<&String>) = if name == "type" {
            (true, args.iter().collect())
        } else {
            match args.first().map(String::as_str) {
                Some("-v") => (false, args[1..].iter().collect()),
                Some("-V") => (true, args[1..].iter().collect()),
                Some(_) => {
                    // `command cmd args`: run it, skipping functions.
                    if let Some(s) = self.run_builtin(args, io)? {
                        return Ok(s);
                    }
                    return self.run_external(args, io);
                }
                None => return Ok(0),
            }
        };
        let mut status = 0;
        for n in names {
            let found = if self.st.funcs.contains_key(n.as_str()) {
                Some(if verbose {
                    format!("{n} is a shell function")
                } else {
                    n.clone()
                })
            } else if is_builtin(n, self.dialect) {
                Some(if verbose {
                    format!("{n} is a shell builtin")
                } else {
                    n.clone()
                })
            } else {
                self.find_in_path(n, true).map(|p| {
                    if verbose {
                        format!("{n} is {p}")
                    } else {
                        p.to_string()
                    }
                })
            };
            match found {
                Some(s) => self.out_line(io, format_args!("{s}"))?,
                None => {
                    status = 127;
                    if verbose {
                        self.out_line(io, format_args!("{n}: not found"))?;
                    }
                }
            }
        }
        Ok(status)
    }
}
