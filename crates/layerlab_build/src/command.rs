//! Typed instructions: the parse tree turned into commands the engine can run, with
//! BuildKit's instruction-level errors (its `instructions` package).
//!
//! The parser keeps words as written; expansion of variables happens later, per stage,
//! when the engine knows the ARG and ENV values in scope. What is checked here is what
//! BuildKit checks before building anything: argument counts, known flags, stage names,
//! JSON-only forms, and that every instruction but `ARG` comes after a `FROM`.
//! [`plan`] stops at the first error, as the build does; [`problems()`] lists them all,
//! with the other errors a build meets before its first step, for the editor.

mod flags;
pub mod problems;
mod stages;

pub use stages::EMPTY_IMAGE;
pub(crate) use stages::{mount_field, reads_from, stage_name_error};

pub use problems::problems;

use flags::FlagSet;
use layerlab_dockerfile::{Dockerfile, Heredoc, Instruction};
use layerlab_text::TextRange;

/// A command line in exec form (a JSON array, run as is) or shell form (run through the
/// stage's `SHELL`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CmdLine {
    /// `RUN make`: one string for the shell.
    Shell(String),
    /// `RUN ["make", "all"]`.
    Exec(Vec<String>),
}

/// A file written inline with a heredoc (`COPY <<EOF /x`, `RUN <<EOF`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineFile {
    /// The heredoc delimiter, which is also the file name for COPY.
    pub name: String,
    /// The content (`<<-` tab stripping already applied).
    pub data: String,
    /// Whether variables in it are expanded (unquoted delimiter).
    pub expand: bool,
}

/// `COPY` or `ADD`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CopyCmd {
    /// `ADD` rather than `COPY`.
    pub is_add: bool,
    /// Source paths as written (expanded at build time).
    pub sources: Vec<String>,
    /// Heredoc sources.
    pub inline: Vec<InlineFile>,
    /// Destination as written.
    pub dest: String,
    /// `--from`.
    pub from: Option<String>,
    /// `--chown`.
    pub chown: Option<String>,
    /// `--chmod`.
    pub chmod: Option<String>,
    /// `--link`.
    pub link: bool,
    /// `--parents`.
    pub parents: bool,
    /// `--exclude` patterns.
    pub exclude: Vec<String>,
    /// ADD `--checksum`.
    pub checksum: Option<String>,
    /// ADD `--keep-git-dir`.
    pub keep_git_dir: bool,
    /// ADD `--unpack` (None: the default for the source kind).
    pub unpack: Option<bool>,
}

/// `RUN`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunCmd {
    /// What to run.
    pub cmd: CmdLine,
    /// Heredoc files (`RUN <<EOF`): for shell form, the script bodies.
    pub heredocs: Vec<InlineFile>,
    /// `--mount` values as written.
    pub mounts: Vec<String>,
    /// `--network`.
    pub network: Option<String>,
    /// `--security`.
    pub security: Option<String>,
}

/// `HEALTHCHECK` (None for `HEALTHCHECK NONE`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HealthcheckCmd {
    /// `["CMD", …]` or `["CMD-SHELL", "…"]`, or `["NONE"]`.
    pub test: Vec<String>,
    /// Durations in nanoseconds (0: the default).
    pub interval: i64,
    /// Timeout.
    pub timeout: i64,
    /// Start period.
    pub start_period: i64,
    /// Start interval.
    pub start_interval: i64,
    /// Retries.
    pub retries: i64,
}

/// The names and optional defaults of an `ARG` instruction.
pub type ArgList = Vec<(String, Option<String>)>;

/// One typed instruction.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Command {
    /// `RUN`.
    Run(RunCmd),
    /// `COPY` / `ADD`.
    Copy(Box<CopyCmd>),
    /// `WORKDIR`.
    Workdir(String),
    /// `ENV k=v…` (raw words).
    Env(Vec<(String, String)>),
    /// `LABEL k=v…` (raw words).
    Label(Vec<(String, String)>),
    /// `ARG k[=v]…`.
    Arg(ArgList),
    /// `USER`.
    User(String),
    /// `EXPOSE` (raw words, sorted as BuildKit sorts them).
    Expose(Vec<String>),
    /// `VOLUME`.
    Volume(Vec<String>),
    /// `CMD`.
    Cmd(CmdLine),
    /// `ENTRYPOINT`.
    Entrypoint(CmdLine),
    /// `SHELL`.
    Shell(Vec<String>),
    /// `HEALTHCHECK`.
    Healthcheck(HealthcheckCmd),
    /// `STOPSIGNAL`.
    StopSignal(String),
    /// `MAINTAINER`.
    Maintainer(String),
    /// `ONBUILD <trigger>`: the trigger text.
    OnBuild(String),
}

/// A command with where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    /// The command.
    pub cmd: T,
    /// The instruction's source range.
    pub range: TextRange,
    /// The keyword, uppercase (`COPY`).
    pub keyword: String,
    /// The logical line as BuildKit saw it (`COPY . /app`).
    pub original: String,
    /// 1-based first line.
    pub line: u32,
}

/// `FROM … [AS name]` and the commands of that stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stage {
    /// The base as written (`node:$VERSION`, `scratch`, `build`).
    pub base: String,
    /// The `AS` name, lowercased.
    pub name: Option<String>,
    /// `--platform` as written.
    pub platform: Option<String>,
    /// Where the `FROM` is.
    pub range: TextRange,
    /// 1-based line of the `FROM`.
    pub line: u32,
    /// The commands after it.
    pub commands: Vec<Located<Command>>,
}

/// The build's structure: global ARGs and the stages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// `ARG`s before the first `FROM`.
    pub meta_args: Vec<Located<ArgList>>,
    /// Stages in order.
    pub stages: Vec<Stage>,
}

impl Plan {
    /// The names of `build_args` no `ARG` declares, before the first `FROM` or in any
    /// stage, in the order given. The proxy variables are left out: they reach `RUN`
    /// undeclared (semantics §1.14).
    pub fn unused_build_args<'a>(&self, build_args: &'a [(String, String)]) -> Vec<&'a str> {
        let stage_args = self.stages.iter().flat_map(|s| &s.commands);
        let declared = |name: &str| {
            let names = |args: &ArgList| args.iter().any(|(n, _)| n == name);
            self.meta_args.iter().any(|a| names(&a.cmd))
                || stage_args
                    .clone()
                    .any(|c| matches!(&c.cmd, Command::Arg(a) if names(a)))
        };
        build_args
            .iter()
            .map(|(name, _)| name.as_str())
            .filter(|name| {
                !declared(name) && !layerlab_dockerfile::check::PROXY_ARGS.contains(name)
            })
            .collect()
    }
}

/// An instruction BuildKit refuses before building.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandError {
    /// BuildKit's message without location.
    pub message: String,
    /// The instruction.
    pub range: TextRange,
    /// Its 1-based first line.
    pub line: u32,
}

impl CommandError {
    /// `dockerfile parse error on line N: …`, as `docker build` prints it.
    pub fn to_message_with_line(&self) -> String {
        format!(
            "dockerfile parse error on line {}: {}",
            self.line, self.message
        )
    }
}

/// Turns a parsed Dockerfile into stages of typed commands. Like BuildKit, it stops at
/// the first error (the build cannot start); unlike BuildKit, it keeps the instructions
/// before it so views can still show them. [`problems()`] reports every such error.
pub fn plan(file: &Dockerfile) -> (Plan, Option<CommandError>) {
    let mut plan = Plan::default();
    for (ins, read) in read_each(file) {
        match read {
            Err(message) => {
                let err = CommandError {
                    message,
                    range: ins.range,
                    line: ins.start_line,
                };
                return (plan, Some(err));
            }
            Ok(read) => plan.push(ins, read),
        }
    }
    (plan, None)
}

impl Plan {
    /// Adds an instruction read without error: a stage, a global `ARG`, or a command of
    /// the last stage.
    fn push(&mut self, ins: &Instruction, read: Read) {
        match read {
            Read::Stage(stage) => self.stages.push(stage),
            Read::Command(Command::Arg(args)) if self.stages.is_empty() => {
                self.meta_args.push(locate(ins, args));
            }
            // `read_each` refuses any other command before the first `FROM`.
            Read::Command(cmd) => {
                if let Some(stage) = self.stages.last_mut() {
                    stage.commands.push(locate(ins, cmd));
                }
            }
        }
    }
}

/// One instruction, typed.
enum Read {
    /// A `FROM`.
    Stage(Stage),
    /// Any other instruction.
    Command(Command),
}

/// Each instruction read on its own, with BuildKit's error for it: its arguments and
/// flags, and that it comes after a `FROM` (only `ARG` may come before).
fn read_each(file: &Dockerfile) -> impl Iterator<Item = (&Instruction, Result<Read, String>)> {
    let mut in_stage = false;
    file.instructions.iter().map(move |ins| {
        let name = ins.name();
        let read = if name == "from" {
            in_stage = true;
            parse_from(ins).map(Read::Stage)
        } else {
            match parse_command(ins, &name) {
                Ok(cmd) if in_stage || matches!(cmd, Command::Arg(_)) => Ok(Read::Command(cmd)),
                Ok(_) => Err("no build stage in current context".into()),
                Err(e) => Err(e),
            }
        };
        (ins, read)
    })
}

fn locate<T>(ins: &Instruction, cmd: T) -> Located<T> {
    Located {
        cmd,
        range: ins.range,
        keyword: ins.name().to_ascii_uppercase(),
        original: ins.original.clone(),
        line: ins.start_line,
    }
}

/// Whether `name` is a valid stage name (`^[a-z][a-z0-9-_.]*$`, after lowercasing).
pub fn is_valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "-_.".contains(c))
}

fn words(ins: &Instruction) -> Vec<String> {
    ins.value.iter().map(|w| w.text.clone()).collect()
}

fn parse_from(ins: &Instruction) -> Result<Stage, String> {
    let args = words(ins);
    let name = match args.len() {
        3 if args[1].eq_ignore_ascii_case("as") => {
            let name = args[2].to_ascii_lowercase();
            if !is_valid_stage_name(&name) {
                return Err(format!(
                    "invalid name for build stage: {:?}, name can't start with a number or contain symbols",
                    args[2]
                ));
            }
            Some(name)
        }
        1 => None,
        _ => return Err("FROM requires either one or three arguments".into()),
    };
    let mut flags = FlagSet::new(ins);
    let platform = flags.string("platform");
    flags.finish()?;
    Ok(Stage {
        base: args[0].clone(),
        name,
        platform,
        range: ins.range,
        line: ins.start_line,
        commands: Vec::new(),
    })
}

fn cmd_line(ins: &Instruction) -> CmdLine {
    let args = words(ins);
    if ins.json {
        CmdLine::Exec(args)
    } else {
        CmdLine::Shell(args.join(" "))
    }
}

fn inline_files(heredocs: &[Heredoc]) -> Vec<InlineFile> {
    heredocs
        .iter()
        .map(|h| InlineFile {
            name: h.name.clone(),
            data: if h.chomp {
                chomp(&h.content)
            } else {
                h.content.clone()
            },
            expand: h.expand,
        })
        .collect()
}

/// `<<-`: strip leading tabs from every line of the body.
fn chomp(content: &str) -> String {
    content
        .split_inclusive('\n')
        .map(|line| line.trim_start_matches('\t'))
        .collect()
}

fn exactly_one(ins: &Instruction, what: &str) -> Result<String, String> {
    match ins.value.as_slice() {
        [one] => Ok(one.text.clone()),
        _ => Err(format!("{what} requires exactly one argument")),
    }
}

fn parse_command(ins: &Instruction, name: &str) -> Result<Command, String> {
    let mut flags = FlagSet::new(ins);
    let cmd = match name {
        "run" => {
            let mounts = flags.strings("mount");
            let network = flags.string("network");
            let security = flags.string("security");
            flags.finish()?;
            Command::Run(RunCmd {
                cmd: cmd_line(ins),
                heredocs: inline_files(&ins.heredocs),
                mounts,
                network,
                security,
            })
        }
        "copy" | "add" => {
            let is_add = name == "add";
            let what = name.to_ascii_uppercase();
            let chown = flags.string("chown");
            let chmod = flags.string("chmod");
            let link = flags.bool("link");
            let exclude = flags.strings("exclude");
            let (from, parents, checksum, keep_git_dir, unpack) = if is_add {
                let checksum = flags.string("checksum");
                let keep = flags.bool("keep-git-dir");
                let unpack = flags.opt_bool("unpack");
                (None, false, checksum, keep, unpack)
            } else {
                (
                    flags.string("from"),
                    flags.bool("parents"),
                    None,
                    false,
                    None,
                )
            };
            flags.finish()?;
            let args = words(ins);
            if args.len() < 2 {
                return Err(format!(
                    "{what} requires at least two arguments, but only one was provided. Destination could not be determined"
                ));
            }
            let (srcs, dest) = args.split_at(args.len() - 1);
            let dest = dest[0].clone();
            if dest.starts_with("<<") {
                return Err(format!("{what} cannot accept a heredoc as a destination"));
            }
            let heredoc_names: Vec<&str> = ins.heredocs.iter().map(|h| h.name.as_str()).collect();
            let mut sources = Vec::new();
            for src in srcs {
                let is_heredoc = src.starts_with("<<")
                    && heredoc_names.iter().any(|n| {
                        src.trim_start_matches(['<', '-']).trim_matches(['"', '\'']) == *n
                    });
                if !is_heredoc {
                    sources.push(src.clone());
                }
            }
            Command::Copy(Box::new(CopyCmd {
                is_add,
                sources,
                inline: inline_files(&ins.heredocs),
                dest,
                from,
                chown,
                chmod,
                link,
                parents,
                exclude,
                checksum,
                keep_git_dir,
                unpack,
            }))
        }
        "workdir" => {
            flags.finish()?;
            Command::Workdir(exactly_one(ins, "WORKDIR")?)
        }
        "env" | "label" => {
            flags.finish()?;
            let what = name.to_ascii_uppercase();
            if ins.key_values.is_empty() {
                return Err(format!("{what} requires at least one argument"));
            }
            let mut pairs = Vec::new();
            for kv in &ins.key_values {
                if kv.key.text.is_empty() {
                    return Err(format!("{what} names can not be blank"));
                }
                pairs.push((kv.key.text.clone(), kv.value.text.clone()));
            }
            if name == "env" {
                Command::Env(pairs)
            } else {
                Command::Label(pairs)
            }
        }
        "arg" => {
            flags.finish()?;
            if ins.value.is_empty() {
                return Err("ARG requires at least one argument".into());
            }
            let mut args = Vec::new();
            for w in &ins.value {
                match w.text.split_once('=') {
                    Some(("", _)) => return Err("ARG names can not be blank".into()),
                    Some((k, v)) => args.push((k.to_string(), Some(v.to_string()))),
                    None => args.push((w.text.clone(), None)),
                }
            }
            Command::Arg(args)
        }
        "user" => {
            flags.finish()?;
            Command::User(exactly_one(ins, "USER")?)
        }
        "expose" => {
            flags.finish()?;
            let mut ports = words(ins);
            if ports.is_empty() {
                return Err("EXPOSE requires at least one argument".into());
            }
            ports.sort();
            Command::Expose(ports)
        }
        "volume" => {
            flags.finish()?;
            if ins.value.is_empty() {
                return Err("VOLUME requires at least one argument".into());
            }
            let mut volumes = Vec::new();
            for v in words(ins) {
                let v = v.trim().to_string();
                if v.is_empty() {
                    return Err("VOLUME specified can not be an empty string".into());
                }
                volumes.push(v);
            }
            Command::Volume(volumes)
        }
        "cmd" => {
            flags.finish()?;
            Command::Cmd(cmd_line(ins))
        }
        "entrypoint" => {
            flags.finish()?;
            Command::Entrypoint(cmd_line(ins))
        }
        "shell" => {
            flags.finish()?;
            let args = words(ins);
            if args.is_empty() {
                return Err("SHELL requires at least one argument".into());
            }
            if !ins.json {
                return Err("SHELL requires the arguments to be in JSON form".into());
            }
            Command::Shell(args)
        }
        "healthcheck" => Command::Healthcheck(parse_healthcheck(ins, &mut flags)?),
        "stopsignal" => Command::StopSignal(exactly_one(ins, "STOPSIGNAL")?),
        "maintainer" => {
            let m = exactly_one(ins, "MAINTAINER")?;
            flags.finish()?;
            Command::Maintainer(m)
        }
        "onbuild" => {
            flags.finish()?;
            let Some(trigger) = &ins.trigger else {
                return Err("ONBUILD requires at least one argument".into());
            };
            match trigger.name().as_str() {
                "onbuild" => {
                    return Err("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed".into())
                }
                t @ ("maintainer" | "from") => {
                    return Err(format!(
                        "{} isn't allowed as an ONBUILD trigger",
                        t.to_ascii_uppercase()
                    ))
                }
                _ => {}
            }
            let mut expr = trigger.original.trim_start().to_string();
            for h in &trigger.heredocs {
                expr.push('\n');
                expr.push_str(&h.content);
                expr.push_str(&h.name);
            }
            Command::OnBuild(expr)
        }
        _ => {
            return Err(layerlab_dockerfile::diagnostics::unknown_instruction_message(&ins.keyword))
        }
    };
    Ok(cmd)
}

fn parse_healthcheck(ins: &Instruction, flags: &mut FlagSet<'_>) -> Result<HealthcheckCmd, String> {
    let args = words(ins);
    let Some(kind) = args.first() else {
        return Err("HEALTHCHECK requires at least one argument".into());
    };
    let kind = kind.to_ascii_uppercase();
    if kind == "NONE" {
        if args.len() > 1 {
            return Err("HEALTHCHECK NONE takes no arguments".into());
        }
        return Ok(HealthcheckCmd {
            test: vec!["NONE".into()],
            interval: 0,
            timeout: 0,
            start_period: 0,
            start_interval: 0,
            retries: 0,
        });
    }
    let interval = flags.string("interval");
    let timeout = flags.string("timeout");
    let start_period = flags.string("start-period");
    let start_interval = flags.string("start-interval");
    let retries = flags.string("retries");
    flags.finish()?;
    if kind != "CMD" {
        return Err(format!("Unknown type \"{kind}\" in HEALTHCHECK (try CMD)"));
    }
    let cmd = &args[1..];
    if cmd.is_empty() {
        return Err("Missing command after HEALTHCHECK CMD".into());
    }
    let test = if ins.json {
        std::iter::once("CMD".to_string())
            .chain(cmd.iter().cloned())
            .collect()
    } else {
        vec!["CMD-SHELL".to_string(), cmd.join(" ")]
    };
    let duration = |name: &str, v: Option<String>| -> Result<i64, String> {
        let Some(v) = v.filter(|v| !v.is_empty()) else {
            return Ok(0);
        };
        let ns = flags::parse_go_duration(&v)
            .ok_or_else(|| format!("time: invalid duration \"{v}\""))?;
        if ns != 0 && ns < 1_000_000 {
            return Err(format!("Interval \"{name}\" cannot be less than 1ms"));
        }
        Ok(ns)
    };
    let retries = match retries.filter(|r| !r.is_empty()) {
        None => 0,
        Some(r) => {
            let n: i64 = r
                .parse()
                .map_err(|_| format!("strconv.ParseInt: parsing \"{r}\": invalid syntax"))?;
            if n < 0 {
                return Err(format!("--retries cannot be negative ({n})"));
            }
            n
        }
    };
    Ok(HealthcheckCmd {
        test,
        interval: duration("interval", interval)?,
        timeout: duration("timeout", timeout)?,
        start_period: duration("start-period", start_period)?,
        start_interval: duration("start-interval", start_interval)?,
        retries,
    })
}
