//! `layerlab_shell`: the RUN simulator.
//!
//! A `RUN` step changes the image filesystem by running commands. layerlab cannot run
//! anything real (it lives in a browser tab), so this crate interprets the POSIX `sh`
//! subset real Dockerfiles use (lists, pipes, redirections, quoting, variables,
//! `$(..)`, `$((..))`, `set -eux`, `if`/`for`/`while`/`case`, functions, here-documents)
//! and executes modeled commands (coreutils, `find`, `sed`, user management, package
//! managers: `apt-get`, `apk`, `pip`, `npm`/`yarn`, `go`, `mvn`, and simulated
//! `curl`/`wget` downloads) directly against the [`layerlab_vfs::Fs`] snapshot of the
//! step.
//!
//! Entry point: [`run`] with a [`RunRequest`], returning a [`RunOutcome`]:
//!
//! * the exit status propagates like a real shell's (`sh: 1: foo: not found` is 127);
//! * a command exists only when the image has it in `PATH`; a command the image has
//!   but the simulator does not model does nothing and leaves an `unmodeled-command`
//!   warning, never silently;
//! * a step budget bounds the work, so `while true; do :; done` ends with
//!   [`ExitStatus::BudgetExhausted`] instead of hanging;
//! * everything is deterministic: no clock, no randomness, sorted directory listings;
//!   new files get the request's `epoch` as mtime.
//!
//! ```
//! use layerlab_shell::{run, RunRequest, RunCommand, ExitStatus};
//! use layerlab_vfs::{Content, Fs, Meta, VfsPath};
//!
//! let mut fs = Fs::default();
//! fs.mkdir_p(&VfsPath::new("/bin"), Meta::new(0o755)).unwrap();
//! for tool in ["sh", "mkdir"] {
//!     fs.write_file(&VfsPath::new("/bin").child(tool), Content::inline(""), Meta::new(0o755))
//!         .unwrap();
//! }
//! let req = RunRequest::shell("mkdir -p /app/data && echo ready > /app/state; nope");
//! let out = run(&mut fs, &req);
//! assert_eq!(out.status, ExitStatus::Exited(127));
//! assert_eq!(out.stderr(), "/bin/sh: 1: nope: not found\n");
//! assert!(fs.exists(&VfsPath::new("/app/state")));
//! ```
//!
//! Dialects: `/bin/sh` is dash unless the image links it to bash or BusyBox (then bash
//! or ash rules apply: message formats, `set -o pipefail` support).

#![deny(missing_docs)]
#![warn(clippy::disallowed_methods)]

mod arith;
mod ast;
mod brace;
mod builtins;
mod exec;
mod expand;
mod glob;
mod io;
mod lexer;
mod parser;
mod perm;
mod pkg;
mod printf;
mod redirect;
mod test;
mod users;
mod utils;

pub use ast::Script;
pub use exec::Dialect;
pub use io::{OutputChunk, Stream};
pub use parser::{parse, ParseError, MAX_DEPTH};
pub use users::{groups, lookup_user, resolve_gid, resolve_uid, resolve_user_spec, users, User};
pub use utils::MODELED as MODELED_COMMANDS;

use exec::{Flow, Shell};
use layerlab_text::Diagnostic;
use layerlab_vfs::{Fs, Node, VfsPath};

/// The default step budget: far above any real `RUN` (a loop of 10,000 iterations
/// running one command each costs about 110,000 steps), while an endless loop is
/// stopped after about 0.05–0.25 s of native time.
pub const DEFAULT_BUDGET: u64 = 500_000;

/// What to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunCommand {
    /// Shell form: the text is run through the stage's `SHELL` (`RUN echo hi`, and the
    /// body of a `RUN <<EOF` here-document).
    Shell(String),
    /// Exec form: `RUN ["executable", "arg"]`, run without a shell.
    Exec(Vec<String>),
}

/// One `RUN` step, as the build engine describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunRequest {
    /// The command.
    pub command: RunCommand,
    /// The stage's `SHELL`, default `["/bin/sh", "-c"]`.
    pub shell: Vec<String>,
    /// The environment in order (image `Env`, then `ENV`/`ARG`); later entries win.
    pub env: Vec<(String, String)>,
    /// The working directory (absolute).
    pub workdir: String,
    /// `USER`: a name or `uid[:gid]`; empty means root.
    pub user: String,
    /// Step budget; see [`DEFAULT_BUDGET`].
    pub budget: u64,
    /// mtime for files the step creates (a `SOURCE_DATE_EPOCH`-like input).
    pub epoch: i64,
}

impl RunRequest {
    /// A shell-form request with the defaults: `/bin/sh -c`, root, `/`, no env.
    pub fn shell(script: &str) -> Self {
        RunRequest {
            command: RunCommand::Shell(script.to_owned()),
            ..RunRequest::default()
        }
    }
}

impl Default for RunRequest {
    fn default() -> Self {
        RunRequest {
            command: RunCommand::Shell(String::new()),
            shell: vec!["/bin/sh".to_owned(), "-c".to_owned()],
            env: Vec::new(),
            workdir: "/".to_owned(),
            user: String::new(),
            budget: DEFAULT_BUDGET,
            epoch: 0,
        }
    }
}

/// How the step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExitStatus {
    /// The process exited with this status (0–255); non-zero fails the build.
    Exited(i32),
    /// The step budget ran out (an endless loop?); the build fails.
    BudgetExhausted,
    /// The executable (exec form or `SHELL`) is missing from the image.
    NotFound,
    /// `USER` names a user the image's `/etc/passwd` does not have: the container
    /// cannot start (BuildKit: `unable to find user …`).
    UnknownUser,
}

impl ExitStatus {
    /// True for `Exited(0)`.
    pub fn success(self) -> bool {
        self == ExitStatus::Exited(0)
    }

    /// The status a container runtime would report: the exit code, 137 when stopped,
    /// 127 for a missing executable.
    pub fn code(self) -> i32 {
        match self {
            ExitStatus::Exited(c) => c,
            ExitStatus::BudgetExhausted => 137,
            ExitStatus::NotFound => 127,
            ExitStatus::UnknownUser => 126,
        }
    }
}

/// The result of one step. The `Fs` given to [`run`] holds the new filesystem state
/// (also after a failure: the engine decides whether to keep it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunOutcome {
    /// How it ended.
    pub status: ExitStatus,
    /// Interleaved stdout/stderr in write order (capped at 256 KiB).
    pub output: Vec<OutputChunk>,
    /// Unmodeled commands, background jobs and other simulation notes, with the range
    /// of the command in the script.
    pub warnings: Vec<Diagnostic>,
    /// Modeled wall time in milliseconds (deterministic).
    pub duration_ms: u64,
    /// Steps charged against the budget.
    pub steps: u64,
}

impl RunOutcome {
    fn text(&self, stream: Stream) -> String {
        let mut bytes = Vec::new();
        for c in self.output.iter().filter(|c| c.stream == stream) {
            bytes.extend_from_slice(&c.bytes);
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// Everything written to stdout.
    pub fn stdout(&self) -> String {
        self.text(Stream::Stdout)
    }

    /// Everything written to stderr.
    pub fn stderr(&self) -> String {
        self.text(Stream::Stderr)
    }
}

/// Which shell a path (such as `/bin/sh`) is in this image: bash or BusyBox ash when
/// it links there, dash otherwise (Debian's default).
pub fn shell_dialect(fs: &Fs, path: &str) -> Dialect {
    let p = VfsPath::new(path);
    let name = |p: &VfsPath| p.file_name().unwrap_or("").to_owned();
    let real = fs.resolve(&p, true).map(|r| name(&r)).unwrap_or_default();
    match (name(&p).as_str(), real.as_str()) {
        (_, "busybox") | ("ash", _) => Dialect::Ash,
        ("bash", _) | (_, "bash") => Dialect::Bash,
        _ => Dialect::Dash,
    }
}

/// `sh [-eux] [-o opt] -c SCRIPT [NAME [ARGS...]]` or `sh FILE [ARGS...]`, parsed.
pub(crate) struct Invocation {
    pub(crate) opts: Vec<String>,
    pub(crate) script: InvocationScript,
    pub(crate) argv0: String,
    pub(crate) args: Vec<String>,
}

pub(crate) enum InvocationScript {
    Inline(String),
    File(String),
}

impl Invocation {
    pub(crate) fn parse(argv: &[String]) -> Option<Invocation> {
        let mut opts = Vec::new();
        let mut i = 1;
        let mut inline = false;
        while i < argv.len() {
            let a = &argv[i];
            if a == "-o" || a == "+o" {
                opts.push(a.clone());
                if let Some(v) = argv.get(i + 1) {
                    opts.push(v.clone());
                }
                i += 2;
                continue;
            }
            if a.len() > 1 && (a.starts_with('-') || a.starts_with('+')) && a != "--" {
                let mut flags = String::new();
                for c in a[1..].chars() {
                    if c == 'c' {
                        inline = true;
                    } else if c != 'l' && c != 'i' && c != 's' {
                        flags.push(c);
                    }
                }
                if !flags.is_empty() {
                    opts.push(format!("{}{flags}", &a[..1]));
                }
                // `-eo pipefail`: the option name follows.
                if flags.contains('o') {
                    if let Some(v) = argv.get(i + 1) {
                        opts.push(v.clone());
                    }
                    i += 1;
                }
                i += 1;
                continue;
            }
            if a == "--" {
                i += 1;
            }
            break;
        }
        let first = argv.get(i)?.clone();
        let rest = &argv[(i + 1).min(argv.len())..];
        if inline {
            let argv0 = rest.first().cloned().unwrap_or_else(|| argv[0].clone());
            let args = rest.get(1..).map(<[String]>::to_vec).unwrap_or_default();
            Some(Invocation {
                opts,
                script: InvocationScript::Inline(first),
                argv0,
                args,
            })
        } else {
            Some(Invocation {
                opts,
                script: InvocationScript::File(first.clone()),
                argv0: first,
                args: rest.to_vec(),
            })
        }
    }
}

/// Runs one `RUN` step against `fs`.
///
/// Never panics and always ends: syntax errors give status 2 with dash's message, a
/// missing executable 127, an exhausted budget [`ExitStatus::BudgetExhausted`].
pub fn run(fs: &mut Fs, req: &RunRequest) -> RunOutcome {
    let argv: Vec<String> = match &req.command {
        RunCommand::Shell(s) => req.shell.iter().cloned().chain([s.clone()]).collect(),
        RunCommand::Exec(a) => a.clone(),
    };
    let argv0 = argv.first().cloned().unwrap_or_default();
    let dialect = shell_dialect(fs, &argv0);
    let mut sh = Shell::new(fs, &argv0, dialect, req.budget);
    sh.epoch = req.epoch;
    sh.st.cwd = VfsPath::new(&req.workdir);
    for (k, v) in &req.env {
        sh.st.vars.insert(
            k.clone(),
            exec::Var {
                value: v.clone(),
                exported: true,
                readonly: false,
                body: None,
            },
        );
    }
    if !sh.st.vars.contains_key("PATH") {
        sh.st.vars.insert(
            "PATH".to_owned(),
            exec::Var {
                value: utils::DEFAULT_PATH.to_owned(),
                exported: true,
                readonly: false,
                body: None,
            },
        );
    }
    if !req.user.is_empty() {
        match resolve_user_spec(sh.fs, &req.user) {
            Ok((uid, gid)) => sh.who = exec::Identity { uid, gid },
            Err(msg) => {
                sh.transcript
                    .push(Stream::Stderr, format!("{msg}\n").as_bytes());
                return RunOutcome {
                    status: ExitStatus::UnknownUser,
                    output: sh.transcript.chunks,
                    warnings: Vec::new(),
                    duration_ms: 0,
                    steps: 0,
                };
            }
        }
    }
    let home = users::user_by_uid(sh.fs, sh.who.uid).map_or_else(|| "/root".to_owned(), |u| u.home);
    sh.st.vars.entry("HOME".to_owned()).or_insert(exec::Var {
        value: home,
        exported: true,
        readonly: false,
        body: None,
    });
    sh.st.vars.entry("PWD".to_owned()).or_insert(exec::Var {
        value: sh.st.cwd.to_string(),
        exported: true,
        readonly: false,
        body: None,
    });
    let io = io::Io::top();
    let status = start(&mut sh, &argv, &io);
    if status == ExitStatus::BudgetExhausted {
        let msg = format!(
            "layerlab: the step budget ({} steps) is exhausted: the command was stopped (an endless loop?)\n",
            req.budget
        );
        sh.transcript.push(Stream::Stderr, msg.as_bytes());
    }
    if sh.transcript.truncated {
        sh.transcript.chunks.push(OutputChunk {
            stream: Stream::Stderr,
            bytes: b"[output truncated]\n".to_vec(),
        });
    }
    RunOutcome {
        status,
        output: sh.transcript.chunks,
        warnings: sh.warnings,
        duration_ms: sh.duration_ms,
        steps: sh.steps,
    }
}

fn start(sh: &mut Shell<'_>, argv: &[String], io: &io::Io) -> ExitStatus {
    let Some(argv0) = argv.first() else {
        return ExitStatus::NotFound;
    };
    // The executable must exist in the image: BuildKit's runc says so and exits 127.
    let found = if argv0.contains('/') {
        matches!(sh.fs.node(&VfsPath::new(argv0)), Ok(Node::File(_)))
    } else {
        sh.find_in_path(argv0, true).is_some()
    };
    if !found {
        let msg = format!(
            "runc run failed: unable to start container process: exec: \"{argv0}\": {}\n",
            if argv0.contains('/') {
                "stat ".to_owned() + argv0 + ": no such file or directory"
            } else {
                "executable file not found in $PATH".to_owned()
            }
        );
        sh.transcript.push(Stream::Stderr, msg.as_bytes());
        return ExitStatus::NotFound;
    }
    let res = (|| {
        let name = argv0.rsplit('/').next().unwrap_or(argv0);
        if matches!(name, "sh" | "bash" | "dash" | "ash") {
            if let Some(inv) = Invocation::parse(argv) {
                if let InvocationScript::Inline(text) = &inv.script {
                    sh.argv0 = argv0.clone();
                    if inv.argv0 != *argv0 {
                        sh.argv0 = inv.argv0.clone();
                    }
                    sh.st.positional = inv.args.clone();
                    sh.apply_invocation_opts(&inv.opts, io)?;
                    return sh.run_text(text, io, "");
                }
            }
        }
        let argv = argv.to_vec();
        sh.run_external(&argv, io)
    })();
    let mut code = match res {
        Ok(s) => s,
        Err(Flow::Exit(s) | Flow::Return(s)) => s,
        Err(Flow::Break(_) | Flow::Continue(_)) => sh.status,
        Err(Flow::Abort) => return ExitStatus::BudgetExhausted,
    };
    if let Some(trap) = sh.st.exit_trap.take() {
        sh.status = code;
        match sh.run_text(&trap, io, "") {
            Ok(_) | Err(Flow::Return(_) | Flow::Break(_) | Flow::Continue(_)) => {}
            Err(Flow::Exit(s)) => code = s,
            Err(Flow::Abort) => return ExitStatus::BudgetExhausted,
        }
    }
    ExitStatus::Exited(i32::from(code))
}
