//! The interpreter: runs a parsed [`Script`] against the VFS.
//!
//! Control flow (`exit`, `return`, `break`, `continue`, an exhausted budget) travels as
//! the error side of [`R`], so `?` unwinds exactly as far as a real shell would.
//! Subshells (`( )`, `$( )`, pipeline members) save and restore the shell state but
//! share the filesystem, as forked processes share the disk.
//!
//! Every command, loop iteration and expansion charges the step budget; output and file
//! writes charge by size, so neither an endless loop nor a doubling string can hang the
//! simulator or exhaust memory.

use crate::ast::{
    AndOr, AndOrOp, Command, Compound, List, Pipeline, RedirOp, Script, SimpleCommand,
};
use crate::io::{Fd, Io, Sink, Stream, Transcript};
use crate::parser::is_valid_name;
use layerlab_text::{Diagnostic, TextRange};
use layerlab_vfs::{Content, Fs, Meta, Node, VfsPath};
use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;
use std::rc::Rc;

/// Non-local control flow; `Err` side of every interpreter function.
///
/// The payloads are as narrow as what they carry (an exit status is 0–255; a loop
/// count is capped by the loop depth, which the parser's nesting limit times the call
/// depth limit keeps far below 65536), so [`R<()>`] is one 32-bit word that wasm
/// returns in a register instead of through memory: each of the interpreter's ~600 `?`
/// is cheaper for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flow {
    /// Leave the shell (or the current subshell) with this status.
    Exit(u8),
    /// `return` from a function or dot script.
    Return(u8),
    /// `break n`.
    Break(u16),
    /// `continue n`.
    Continue(u16),
    /// The step budget ran out: unwind everything.
    Abort,
}

/// An interpreter result. Command statuses are `u8`, 0–255 as `$?` shows them, so an
/// `R<u8>` is one word too (the status sits beside `Flow`'s tag), returned in a register
/// like `R<()>`; as `R<i32>` each of the ~70 status-returning functions returned it
/// through memory.
pub(crate) type R<T> = Result<T, Flow>;

/// Which shell is being simulated: it decides message formats and a few features.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Dialect {
    /// Debian/Ubuntu `/bin/sh` (dash 0.5.12): `sh: 1: foo: not found`, no `pipefail`.
    Dash,
    /// GNU bash: `bash: line 1: foo: command not found`.
    Bash,
    /// BusyBox ash (Alpine `/bin/sh`): `sh: foo: not found`.
    Ash,
}

/// A shell variable, or in [`State::funcs`] a function: one value type for both tables
/// makes them one B-tree instance in the page rather than two.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Var {
    pub(crate) value: String,
    pub(crate) exported: bool,
    pub(crate) readonly: bool,
    /// A function's body (`None` in [`State::vars`]).
    pub(crate) body: Option<Rc<Command>>,
}

/// `set` options.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Options {
    pub(crate) errexit: bool,
    pub(crate) nounset: bool,
    pub(crate) xtrace: bool,
    pub(crate) pipefail: bool,
    pub(crate) noglob: bool,
}

/// The state a subshell copies and restores.
#[derive(Clone, Debug)]
pub(crate) struct State {
    pub(crate) vars: BTreeMap<String, Var>,
    /// Functions by name, each as a [`Var`] with a body.
    pub(crate) funcs: BTreeMap<String, Var>,
    pub(crate) positional: Vec<String>,
    pub(crate) opts: Options,
    pub(crate) cwd: VfsPath,
    pub(crate) umask: u32,
    /// Redirections made permanent by `exec 3>&1` and friends.
    pub(crate) fd_overrides: Vec<(usize, Fd)>,
    /// `trap CMD EXIT`: run when the shell exits.
    pub(crate) exit_trap: Option<String>,
}

/// The running user, as resolved from the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Identity {
    pub(crate) uid: u32,
    pub(crate) gid: u32,
}

pub(crate) struct Shell<'a> {
    pub(crate) fs: &'a mut Fs,
    pub(crate) st: State,
    pub(crate) argv0: String,
    pub(crate) dialect: Dialect,
    pub(crate) who: Identity,
    pub(crate) status: u8,
    /// Status of the last command substitution, for assignment-only commands.
    pub(crate) cmdsub_status: Option<u8>,
    pub(crate) steps: u64,
    pub(crate) budget: u64,
    pub(crate) transcript: Transcript,
    pub(crate) warnings: Vec<Diagnostic>,
    pub(crate) duration_ms: u64,
    pub(crate) captures: Vec<Vec<u8>>,
    pub(crate) line: u32,
    pub(crate) range: TextRange,
    /// Non-zero while running a condition (`if`, `while`, `&&` left side, `!`):
    /// `set -e` does not apply there (XCU 2.14 `set -e`).
    pub(crate) errexit_off: u32,
    pub(crate) depth: u32,
    pub(crate) epoch: i64,
    pub(crate) bg_pid: u32,
    pub(crate) in_function: u32,
    pub(crate) loop_depth: u32,
}

/// A file's bytes as text, invalid UTF-8 replaced (how the tools read config files).
pub(crate) fn text(content: &Content) -> String {
    String::from_utf8_lossy(&content.to_vec()).into_owned()
}

/// The text of the file at `path`; `None` when it cannot be read.
pub(crate) fn read_text(fs: &Fs, path: &VfsPath) -> Option<String> {
    fs.read_file(path).ok().map(text)
}

/// Largest file content the simulator builds in memory (64 MiB): commands that
/// would read or write more stop the step like an exhausted budget. Synthetic files
/// that are only copied, moved or deleted never count.
pub(crate) const MAX_MATERIALIZED: usize = 64 << 20;

/// Nesting limit for functions, dot scripts, eval and substitutions.
const MAX_CALL_DEPTH: u32 = 60;

impl<'a> Shell<'a> {
    pub(crate) fn new(fs: &'a mut Fs, argv0: &str, dialect: Dialect, budget: u64) -> Self {
        Shell {
            fs,
            st: State {
                vars: BTreeMap::new(),
                funcs: BTreeMap::new(),
                positional: Vec::new(),
                opts: Options::default(),
                cwd: VfsPath::root(),
                umask: 0o022,
                fd_overrides: Vec::new(),
                exit_trap: None,
            },
            argv0: argv0.to_owned(),
            dialect,
            who: Identity { uid: 0, gid: 0 },
            status: 0,
            cmdsub_status: None,
            steps: 0,
            budget,
            transcript: Transcript::default(),
            warnings: Vec::new(),
            duration_ms: 0,
            captures: Vec::new(),
            line: 1,
            range: TextRange::default(),
            errexit_off: 0,
            depth: 0,
            epoch: 0,
            bg_pid: 0,
            in_function: 0,
            loop_depth: 0,
        }
    }

    /// Charges `n` steps; `Abort` once the budget is spent.
    // Called from dozens of places: one out-of-line copy is smaller than one per caller.
    #[inline(never)]
    pub(crate) fn tick(&mut self, n: u64) -> R<()> {
        self.steps = self.steps.saturating_add(n);
        if self.steps > self.budget {
            return Err(Flow::Abort);
        }
        Ok(())
    }

    /// Charges for `len` bytes produced (one step per 256 bytes).
    pub(crate) fn charge_bytes(&mut self, len: usize) -> R<()> {
        self.tick((len / 256) as u64)
    }

    // ----- variables -----------------------------------------------------------------

    pub(crate) fn get_var(&self, name: &str) -> Option<&str> {
        self.st.vars.get(name).map(|v| v.value.as_str())
    }

    /// Sets a variable; `false` (after a message) when it is read-only.
    pub(crate) fn set_var(&mut self, name: &str, value: String, io: &Io) -> R<bool> {
        self.charge_bytes(value.len())?;
        if value.len() > 16 << 20 {
            return Err(Flow::Abort);
        }
        let var = self.st.vars.entry(name.to_owned()).or_default();
        if var.readonly {
            self.error(io, format_args!("{name}: is read only"))?;
            return Ok(false);
        }
        var.value = value;
        Ok(true)
    }

    /// The exported environment, sorted by name.
    pub(crate) fn environment(&self) -> Vec<(String, String)> {
        self.vars_where(|v| v.exported)
    }

    /// The variables `pick` selects as (name, value), sorted by name. A function
    /// pointer, not a generic: one copy serves `env`, `set` and `export -p`.
    pub(crate) fn vars_where(&self, pick: fn(&Var) -> bool) -> Vec<(String, String)> {
        self.st
            .vars
            .iter()
            .filter(|(_, v)| pick(v))
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect()
    }

    /// Lists variables as `set` and `export -p` do, quoted so a shell reads them back:
    /// `[COMMAND ]NAME='VALUE'`.
    pub(crate) fn list_vars(&mut self, io: &Io, command: &str, pick: fn(&Var) -> bool) -> R<()> {
        let sep = if command.is_empty() { "" } else { " " };
        for (k, v) in self.vars_where(pick) {
            let v = v.replace('\'', "'\\''");
            self.out_line(io, format_args!("{command}{sep}{k}='{v}'"))?;
        }
        Ok(())
    }

    // ----- output ----------------------------------------------------------------------

    pub(crate) fn write(&mut self, io: &Io, fd: usize, bytes: &[u8]) -> R<()> {
        if let Some(Fd::Write(sink)) = io.fds.get(fd) {
            let sink = sink.clone();
            self.write_sink(&sink, bytes)?;
        }
        Ok(())
    }

    pub(crate) fn out(&mut self, io: &Io, s: &str) -> R<()> {
        self.write(io, 1, s.as_bytes())
    }

    pub(crate) fn err(&mut self, io: &Io, s: &str) -> R<()> {
        self.write(io, 2, s.as_bytes())
    }

    /// Writes a formatted line to stdout. Messages are formatted here, once, rather
    /// than by a `format!` at each of the many call sites.
    pub(crate) fn out_line(&mut self, io: &Io, line: fmt::Arguments<'_>) -> R<()> {
        self.write_line(io, 1, line)
    }

    /// Writes a formatted line to stderr: a utility's own message
    /// (`rm: cannot remove 'x': Is a directory`).
    pub(crate) fn err_line(&mut self, io: &Io, line: fmt::Arguments<'_>) -> R<()> {
        self.write_line(io, 2, line)
    }

    fn write_line(&mut self, io: &Io, fd: usize, line: fmt::Arguments<'_>) -> R<()> {
        let mut text = fmt::format(line);
        text.push('\n');
        self.write(io, fd, text.as_bytes())
    }

    pub(crate) fn write_sink(&mut self, sink: &Sink, bytes: &[u8]) -> R<()> {
        self.charge_bytes(bytes.len())?;
        match sink {
            Sink::Stdout => self.transcript.push(Stream::Stdout, bytes),
            Sink::Stderr => self.transcript.push(Stream::Stderr, bytes),
            Sink::Capture(i) => {
                if let Some(buf) = self.captures.get_mut(*i) {
                    buf.extend_from_slice(bytes);
                }
            }
            Sink::Null => {}
            Sink::File(path) => self.append_file(path, bytes)?,
        }
        Ok(())
    }

    fn append_file(&mut self, path: &VfsPath, bytes: &[u8]) -> R<()> {
        let (old, meta) = match self.fs.node(path) {
            Ok(Node::File(f)) => (Some(f.content.clone()), f.meta),
            _ => (None, self.new_file_meta(0o666)),
        };
        let old_len = old.as_ref().map_or(0, |c| c.len() as usize);
        if old_len + bytes.len() > MAX_MATERIALIZED {
            return Err(Flow::Abort);
        }
        let mut data = old.map(|c| c.to_vec()).unwrap_or_default();
        data.extend_from_slice(bytes);
        let _ = self.fs.write_file(path, Content::inline(data), meta);
        Ok(())
    }

    /// Metadata for a file or directory this shell creates: umask applied, owned by the
    /// running user, mtime the build's epoch.
    // Out of line: a copy at each of its callers was larger than the call.
    #[inline(never)]
    pub(crate) fn new_file_meta(&self, mode: u32) -> Meta {
        Meta::new(mode & !self.st.umask)
            .with_owner(self.who.uid, self.who.gid)
            .with_mtime(self.epoch)
    }

    /// Prints a shell error message to stderr, after the shell's prefix: `sh: 1: `
    /// (dash), `sh: line 1: ` (bash), `sh: ` (ash).
    pub(crate) fn error(&mut self, io: &Io, msg: fmt::Arguments<'_>) -> R<()> {
        let (argv0, line) = (&self.argv0, self.line);
        let text = match self.dialect {
            Dialect::Dash => format!("{argv0}: {line}: {msg}\n"),
            Dialect::Bash => format!("{argv0}: line {line}: {msg}\n"),
            Dialect::Ash => format!("{argv0}: {msg}\n"),
        };
        self.err(io, &text)
    }

    /// Warns that `command` (`pip download`, `apk fix`) is not modeled by the simulator:
    /// it did nothing and succeeded.
    pub(crate) fn unmodeled(&mut self, command: fmt::Arguments<'_>) {
        self.warn(
            "unmodeled-command",
            format!("`{command}` is not modeled by the simulator: it did nothing and succeeded"),
        );
    }

    pub(crate) fn warn(&mut self, code: &'static str, message: String) {
        if self.warnings.len() < 200 {
            self.warnings
                .push(Diagnostic::warning(code, message, self.range));
        }
    }

    // ----- running ---------------------------------------------------------------------

    /// Parses and runs `text` one command line at a time; a syntax error stops the
    /// shell with status 2 after the lines before it ran.
    pub(crate) fn run_text(&mut self, text: &str, io: &Io, what: &str) -> R<u8> {
        let mut parser = crate::parser::Parser::new(text, 0);
        parser.bash = self.dialect == Dialect::Bash;
        let mut status = 0;
        loop {
            match parser.parse_line() {
                Ok(Some(list)) => status = self.exec_list(&list, io)?,
                Ok(None) => return Ok(status),
                Err(e) => {
                    self.line = e.line;
                    self.error(io, format_args!("{what}{e}"))?;
                    return Err(Flow::Exit(2));
                }
            }
        }
    }

    pub(crate) fn run_script(&mut self, script: &Script, io: &Io) -> R<u8> {
        self.exec_list(&script.body, io)
    }

    pub(crate) fn exec_list(&mut self, list: &List, io: &Io) -> R<u8> {
        for item in &list.items {
            self.exec_and_or(item, io)?;
        }
        Ok(self.status)
    }

    fn exec_and_or(&mut self, ao: &AndOr, io: &Io) -> R<u8> {
        if ao.background {
            self.warn(
                "background-job",
                "a background job (`&`) was run to completion in the foreground".to_owned(),
            );
            self.bg_pid += 1;
        }
        let n = ao.rest.len();
        let mut status = self.exec_pipeline_checked(&ao.first, io, n > 0)?;
        for (i, (op, p)) in ao.rest.iter().enumerate() {
            let run = match op {
                AndOrOp::And => status == 0,
                AndOrOp::Or => status != 0,
            };
            if run {
                status = self.exec_pipeline_checked(p, io, i + 1 < n)?;
            }
        }
        if ao.background {
            self.status = 0;
            return Ok(0);
        }
        Ok(status)
    }

    /// Runs a pipeline and applies `set -e` unless it is a condition.
    fn exec_pipeline_checked(&mut self, p: &Pipeline, io: &Io, condition: bool) -> R<u8> {
        let off = condition || p.bang;
        if off {
            self.errexit_off += 1;
        }
        let res = self.exec_pipeline(p, io);
        if off {
            self.errexit_off -= 1;
        }
        let status = res?;
        self.status = status;
        if status != 0 && !off && self.st.opts.errexit && self.errexit_off == 0 {
            return Err(Flow::Exit(status));
        }
        Ok(status)
    }

    fn exec_pipeline(&mut self, p: &Pipeline, io: &Io) -> R<u8> {
        let status = if p.commands.len() == 1 {
            self.exec_command(&p.commands[0], io)?
        } else {
            // Members run one after the other; each is a subshell reading what the
            // previous one wrote.
            let mut input: Option<Content> = None;
            let mut statuses = Vec::with_capacity(p.commands.len());
            for (i, cmd) in p.commands.iter().enumerate() {
                let last = i + 1 == p.commands.len();
                let mut cio = match &input {
                    Some(c) => io.with_stdin(c.clone()),
                    None => io.clone(),
                };
                let cap = if last {
                    None
                } else {
                    self.captures.push(Vec::new());
                    let idx = self.captures.len() - 1;
                    cio = cio.with_stdout(Sink::Capture(idx));
                    Some(idx)
                };
                let res = self.subshell(&mut |sh| sh.exec_command(cmd, &cio));
                if let Some(idx) = cap {
                    let bytes = self.captures.pop().unwrap_or_default();
                    debug_assert_eq!(self.captures.len(), idx);
                    input = Some(Content::inline(bytes));
                }
                statuses.push(res?);
            }
            let last = *statuses.last().unwrap_or(&0);
            if self.st.opts.pipefail {
                statuses
                    .iter()
                    .rev()
                    .copied()
                    .find(|&s| s != 0)
                    .unwrap_or(0)
            } else {
                last
            }
        };
        let status = if p.bang {
            u8::from(status == 0)
        } else {
            status
        };
        self.status = status;
        Ok(status)
    }

    /// Runs `f` as a subshell: state changes are undone, `exit` ends only the subshell.
    /// `f` is `dyn`, so the save and restore exist once rather than once per caller.
    pub(crate) fn subshell(&mut self, f: &mut dyn FnMut(&mut Self) -> R<u8>) -> R<u8> {
        self.depth += 1;
        if self.depth > MAX_CALL_DEPTH {
            self.depth -= 1;
            return Err(Flow::Abort);
        }
        let saved = self.st.clone();
        let saved_loop = self.loop_depth;
        let saved_fn = self.in_function;
        self.loop_depth = 0;
        self.in_function = 0;
        let res = f(self);
        self.st = saved;
        self.loop_depth = saved_loop;
        self.in_function = saved_fn;
        self.depth -= 1;
        let status = match res {
            Ok(s) => s,
            Err(Flow::Exit(s) | Flow::Return(s)) => s,
            Err(Flow::Break(_) | Flow::Continue(_)) => self.status,
            Err(Flow::Abort) => return Err(Flow::Abort),
        };
        self.status = status;
        Ok(status)
    }

    pub(crate) fn exec_command(&mut self, cmd: &Command, io: &Io) -> R<u8> {
        self.tick(1)?;
        match cmd {
            Command::Simple(sc) => self.exec_simple(sc, io),
            Command::FunctionDef { name, body } => {
                let body = Some(body.clone());
                let func = Var {
                    body,
                    ..Var::default()
                };
                self.st.funcs.insert(name.clone(), func);
                self.status = 0;
                Ok(0)
            }
            Command::Compound(c, redirects) => {
                let Some(cio) = self.apply_redirects(redirects, io)? else {
                    self.status = 2;
                    return Ok(2);
                };
                let status = self.exec_compound(c, &cio)?;
                self.status = status;
                Ok(status)
            }
        }
    }

    fn exec_compound(&mut self, c: &Compound, io: &Io) -> R<u8> {
        match c {
            Compound::Brace(list) => self.exec_list(list, io),
            Compound::Subshell(list) => self.subshell(&mut |sh| sh.exec_list(list, io)),
            Compound::If {
                branches,
                otherwise,
            } => {
                for (cond, body) in branches {
                    if self.condition(cond, io)? == 0 {
                        return self.exec_list(body, io);
                    }
                }
                match otherwise {
                    Some(body) => self.exec_list(body, io),
                    None => {
                        self.status = 0;
                        Ok(0)
                    }
                }
            }
            Compound::While { cond, body, until } => {
                let mut status = 0;
                self.loop_depth += 1;
                let res = loop {
                    self.tick(1)?;
                    let c = match self.condition(cond, io) {
                        Ok(c) => c,
                        Err(e) => break Err(e),
                    };
                    if (c == 0) == *until {
                        break Ok(());
                    }
                    match self.exec_list(body, io) {
                        Ok(s) => status = s,
                        Err(Flow::Break(n)) if n > 1 => break Err(Flow::Break(n - 1)),
                        Err(Flow::Break(_)) => {
                            status = 0;
                            break Ok(());
                        }
                        Err(Flow::Continue(n)) if n > 1 => break Err(Flow::Continue(n - 1)),
                        Err(Flow::Continue(_)) => {}
                        Err(e) => break Err(e),
                    }
                };
                self.loop_depth -= 1;
                res?;
                self.status = status;
                Ok(status)
            }
            Compound::For { var, words, body } => {
                let items = match words {
                    Some(ws) => self.expand_words(ws, io)?,
                    None => self.st.positional.clone(),
                };
                let mut status = 0;
                self.loop_depth += 1;
                let mut res = Ok(());
                for item in items {
                    if let Err(e) = self.tick(1) {
                        res = Err(e);
                        break;
                    }
                    match self.set_var(var, item, io) {
                        Ok(true) => {}
                        Ok(false) => {
                            res = Err(Flow::Exit(2));
                            break;
                        }
                        Err(e) => {
                            res = Err(e);
                            break;
                        }
                    }
                    match self.exec_list(body, io) {
                        Ok(s) => status = s,
                        Err(Flow::Break(n)) if n > 1 => {
                            res = Err(Flow::Break(n - 1));
                            break;
                        }
                        Err(Flow::Break(_)) => break,
                        Err(Flow::Continue(n)) if n > 1 => {
                            res = Err(Flow::Continue(n - 1));
                            break;
                        }
                        Err(Flow::Continue(_)) => {}
                        Err(e) => {
                            res = Err(e);
                            break;
                        }
                    }
                }
                self.loop_depth -= 1;
                res?;
                self.status = status;
                Ok(status)
            }
            Compound::Case { word, arms } => {
                let subject = self.expand_string(word, io)?;
                for arm in arms {
                    for pat in &arm.patterns {
                        let pattern = self.expand_pattern(pat, io)?;
                        if crate::glob::matches(&pattern, &subject) {
                            return self.exec_list(&arm.body, io);
                        }
                    }
                }
                self.status = 0;
                Ok(0)
            }
        }
    }

    /// Runs a condition list with `set -e` suspended.
    fn condition(&mut self, list: &List, io: &Io) -> R<u8> {
        self.errexit_off += 1;
        let res = self.exec_list(list, io);
        self.errexit_off -= 1;
        res
    }

    fn exec_simple(&mut self, sc: &SimpleCommand, io: &Io) -> R<u8> {
        let mut io = io;
        let patched;
        if !self.st.fd_overrides.is_empty() {
            let mut p = io.clone();
            for (fd, f) in &self.st.fd_overrides {
                p.fds[*fd] = f.clone();
            }
            patched = p;
            io = &patched;
        }
        self.line = sc.line;
        self.range = sc.range;
        self.cmdsub_status = None;
        let argv = if self.dialect == Dialect::Bash
            && sc.words.first().and_then(|w| w.as_plain()) == Some("[[")
        {
            self.expand_cond(&sc.words, io)?
        } else {
            self.expand_words(&sc.words, io)?
        };
        let mut assigns = Vec::with_capacity(sc.assigns.len());
        for a in &sc.assigns {
            let v = self.expand_string(&a.value, io)?;
            assigns.push((a.name.clone(), v));
        }
        if self.st.opts.xtrace {
            let mut line = String::from("+");
            for (k, v) in &assigns {
                let _ = write!(line, " {k}={v}");
            }
            for a in &argv {
                line.push(' ');
                line.push_str(a);
            }
            line.push('\n');
            self.err(io, &line)?;
        }
        let Some(cio) = self.apply_redirects(&sc.redirects, io)? else {
            self.status = 2;
            return Ok(2);
        };
        if argv.len() == 1 && argv[0] == "exec" {
            // `exec` without a command: the redirections stay for the rest of the shell.
            for r in &sc.redirects {
                let default_fd = match r.op {
                    RedirOp::In | RedirOp::DupIn | RedirOp::ReadWrite | RedirOp::HereDoc => 0,
                    _ => 1,
                };
                let fd = r.fd.unwrap_or(default_fd) as usize;
                if fd < cio.fds.len() {
                    self.st.fd_overrides.retain(|(f, _)| *f != fd);
                    self.st.fd_overrides.push((fd, cio.fds[fd].clone()));
                }
            }
            self.status = 0;
            return Ok(0);
        }
        if argv.is_empty() {
            for (k, v) in assigns {
                if !self.set_var(&k, v, io)? {
                    return Err(Flow::Exit(2));
                }
            }
            let status = self.cmdsub_status.unwrap_or(0);
            self.status = status;
            return Ok(status);
        }
        let status = self.dispatch(&argv, assigns, &cio)?;
        self.status = status;
        Ok(status)
    }

    /// Finds and runs a command: special builtins, functions, builtins, then `PATH`.
    fn dispatch(&mut self, argv: &[String], assigns: Vec<(String, String)>, io: &Io) -> R<u8> {
        let name = argv[0].as_str();
        if crate::builtins::is_special(name) {
            for (k, v) in assigns {
                if !self.set_var(&k, v, io)? {
                    return Err(Flow::Exit(2));
                }
            }
            return self.run_builtin(argv, io).map(|s| s.unwrap_or(0));
        }
        // Prefix assignments of other commands last only for that command.
        let saved: Vec<(String, Option<Var>)> = assigns
            .iter()
            .map(|(k, _)| (k.clone(), self.st.vars.get(k).cloned()))
            .collect();
        for (k, v) in assigns {
            if !self.set_var(&k, v, io)? {
                return Err(Flow::Exit(2));
            }
            if let Some(var) = self.st.vars.get_mut(&k) {
                var.exported = true;
            }
        }
        let res = self.dispatch_inner(argv, io);
        for (k, old) in saved {
            match old {
                Some(v) => {
                    self.st.vars.insert(k, v);
                }
                None => {
                    self.st.vars.remove(&k);
                }
            }
        }
        res
    }

    fn dispatch_inner(&mut self, argv: &[String], io: &Io) -> R<u8> {
        let name = argv[0].as_str();
        if let Some(body) = self.st.funcs.get(name).and_then(|f| f.body.clone()) {
            return self.call_function(&body, argv, io);
        }
        if let Some(status) = self.run_builtin(argv, io)? {
            return Ok(status);
        }
        self.run_external(argv, io)
    }

    fn call_function(&mut self, body: &Command, argv: &[String], io: &Io) -> R<u8> {
        self.depth += 1;
        if self.depth > MAX_CALL_DEPTH {
            self.depth -= 1;
            self.error(io, format_args!("{}: function nesting too deep", argv[0]))?;
            return Err(Flow::Exit(2));
        }
        let saved = std::mem::replace(&mut self.st.positional, argv[1..].to_vec());
        self.in_function += 1;
        let res = self.exec_command(body, io);
        self.in_function -= 1;
        self.st.positional = saved;
        self.depth -= 1;
        match res {
            Ok(s) => Ok(s),
            Err(Flow::Return(s)) => Ok(s),
            Err(e) => Err(e),
        }
    }

    /// Runs a script text in the current shell (`eval`, `.`).
    pub(crate) fn source(&mut self, text: &str, io: &Io, what: &str) -> R<u8> {
        self.depth += 1;
        if self.depth > MAX_CALL_DEPTH {
            self.depth -= 1;
            return Err(Flow::Abort);
        }
        let saved_line = self.line;
        let res = self.run_text(text, io, what);
        self.line = saved_line;
        self.depth -= 1;
        res
    }

    /// True when `path` is a directory (following symlinks); `/` always is.
    pub(crate) fn is_dir(&self, path: &VfsPath) -> bool {
        match self.fs.resolve(path, true) {
            Ok(real) if real.is_root() => true,
            Ok(real) => matches!(self.fs.node(&real), Ok(Node::Dir(_))),
            Err(_) => false,
        }
    }

    /// Validates a variable name for `export`/`unset`/`read`.
    pub(crate) fn check_name(&mut self, cmd: &str, name: &str, io: &Io) -> R<bool> {
        if is_valid_name(name) {
            return Ok(true);
        }
        self.error(io, format_args!("{cmd}: {name}: bad variable name"))?;
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::R;

    #[test]
    fn a_unit_or_status_result_is_one_word() {
        // See `Flow` and `R`: a wider payload would return them through memory.
        assert_eq!(std::mem::size_of::<R<()>>(), 4);
        assert_eq!(std::mem::size_of::<R<u8>>(), 4);
    }
}
