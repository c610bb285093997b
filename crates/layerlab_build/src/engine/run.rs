//! `RUN`: the simulator interface and the op's cache key (semantics.md §1.4).
//!
//! The key holds the argv after shell wrapping, the whole environment (base image ENV,
//! every ENV, every ARG with a value, in LLB order), the working directory, the user,
//! network/security modes, mounts and the platform, plus the previous state. Proxy
//! build args reach the command but not the key.

use super::stage::{Builder, StageState};
use crate::cache::{Field, KeyInputs, BUILD_CONTEXT};
use crate::checksum::{self, Owners};
use crate::command::{CmdLine, Command, Located, RunCmd};
use crate::report::BuildError;
use layerlab_vfs::{Content, Fs, Meta, Node, VfsPath};

/// What the simulator is asked to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunRequest {
    /// The argv (`["/bin/sh", "-c", "npm ci"]`).
    pub argv: Vec<String>,
    /// Environment, in order.
    pub env: Vec<(String, String)>,
    /// Working directory.
    pub workdir: String,
    /// `USER` (empty: root).
    pub user: String,
    /// `--network` (`none` means no downloads work).
    pub network: Option<String>,
    /// `--mount` values.
    pub mounts: Vec<String>,
    /// mtime for files the step creates (SOURCE_DATE_EPOCH).
    pub epoch: i64,
}

/// What a simulated step did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunOutcome {
    /// Exit status (0: success).
    pub exit_code: i32,
    /// Output lines with modeled timestamps in milliseconds.
    pub output: Vec<(u32, String)>,
    /// Things the user should know (an unmodeled command ran as a no-op).
    pub warnings: Vec<String>,
    /// Modeled duration.
    pub duration_ms: u32,
    /// The failure message, when the step failed (else the engine words BuildKit's).
    pub failure: Option<String>,
}

/// Runs RUN steps against the stage's filesystem.
pub trait RunSimulator {
    /// Runs `req` on `fs`, changing it as the command would.
    fn run(&self, fs: &mut Fs, req: &RunRequest) -> RunOutcome;
}

/// A simulator that runs nothing, and says so.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoopRunner;

impl RunSimulator for NoopRunner {
    fn run(&self, _fs: &mut Fs, _req: &RunRequest) -> RunOutcome {
        RunOutcome {
            exit_code: 0,
            output: Vec::new(),
            warnings: vec!["RUN is not simulated by this host: the filesystem is unchanged".into()],
            duration_ms: 100,
            failure: None,
        }
    }
}

/// A `--mount` as the simulator models it: something placed at `target` for the
/// duration of the command and taken away after, so it never reaches the layer.
struct Mount {
    target: VfsPath,
    /// What to place: a bind mount's source, an empty directory (cache, tmpfs), or a
    /// stand-in secret file.
    node: Node,
}

fn mount_option<'a>(spec: &'a str, keys: &[&str]) -> Option<&'a str> {
    crate::command::mount_field(spec, keys)
}

/// Resolves the `--mount` flags: what each mounts, and for bind mounts the content
/// checksum of the selected files, which BuildKit puts in the cache key (§1.4).
fn resolve_mounts(
    b: &Builder<'_, '_>,
    state: &StageState,
    c: &Located<Command>,
    r: &RunCmd,
    results: &[Option<StageState>],
    inputs: &mut KeyInputs,
    warnings: &mut Vec<String>,
) -> Result<Vec<Mount>, BuildError> {
    let err = |message: String| BuildError {
        message,
        source: Some(c.range),
    };
    let mut out = Vec::new();
    for spec in &r.mounts {
        let kind = mount_option(spec, &["type"]).unwrap_or("bind");
        let target = mount_option(spec, &["target", "dst", "destination"]);
        match kind {
            "bind" => {
                let target =
                    target.ok_or_else(|| err(format!("mount {spec:?}: target is required")))?;
                let source = mount_option(spec, &["source", "src"]).unwrap_or("/");
                let (fs, label, owners) = match mount_option(spec, &["from"]) {
                    None => (
                        b.req.context.clone(),
                        BUILD_CONTEXT.to_string(),
                        Owners::Reset,
                    ),
                    // By name only: BuildKit's detectRunMount never reads an index.
                    Some(from) => match b.stage_named(from, state.index) {
                        Some(j) => match results[j].as_ref() {
                            Some(r) => (r.fs.clone(), format!("stage {from}"), Owners::Keep),
                            None => return Err(err(format!("stage {from} was not built"))),
                        },
                        None => {
                            let image = b.req.bases.resolve(from, &b.platform).map_err(err)?;
                            (image.fs, format!("image {}", image.reference), Owners::Keep)
                        }
                    },
                };
                let path = VfsPath::new(&format!("/{}", source.trim_start_matches('/')));
                let node = if path.is_root() {
                    Node::Dir(fs.root().clone())
                } else {
                    fs.node(&path)
                        .map_err(|_| {
                            err(format!(
                                "failed to compute cache key: \"{path}\": not found"
                            ))
                        })?
                        .clone()
                };
                inputs
                    .sources
                    .push(checksum::source_set(&label, &[(path, &node)], owners));
                out.push(Mount {
                    target: VfsPath::new(&super::meta::resolve_path(&state.workdir, target)),
                    node,
                });
            }
            "cache" | "tmpfs" => {
                let target =
                    target.ok_or_else(|| err(format!("mount {spec:?}: target is required")))?;
                if kind == "cache" {
                    warnings.push(format!(
                        "cache mount at {target}: its contents are not kept between simulated builds"
                    ));
                }
                out.push(Mount {
                    target: VfsPath::new(&super::meta::resolve_path(&state.workdir, target)),
                    node: Node::dir(Meta::new(0o755)),
                });
            }
            "secret" => {
                let id = mount_option(spec, &["id"]).unwrap_or_default();
                let target = target.map_or_else(|| format!("/run/secrets/{id}"), str::to_string);
                warnings.push(format!(
                    "secret {id:?} is mounted empty: the simulator has no secret store"
                ));
                out.push(Mount {
                    target: VfsPath::new(&target),
                    node: Node::file(Content::inline(Vec::new()), Meta::new(0o400)),
                });
            }
            other => warnings.push(format!(
                "--mount type={other} is not simulated: the command runs without it"
            )),
        }
    }
    Ok(out)
}

/// BuildKit's `/etc/hosts` for a RUN (executor/oci/hosts.go, default hostname).
const SANDBOX_HOSTS: &str =
    "127.0.0.1\tlocalhost buildkitsandbox\n::1\tlocalhost ip6-localhost ip6-loopback\n";

/// A RUN's `/etc/resolv.conf` is the build host's; this is the one Docker falls back to
/// when the host has no usable nameserver (Google's public DNS).
const SANDBOX_RESOLV_CONF: &str = "nameserver 8.8.8.8\nnameserver 8.8.4.4\n";

/// What BuildKit's executor mounts over every RUN besides its `--mount`s, first:
/// `/etc/resolv.conf` and `/etc/hosts`. What a command writes there goes to the mounted
/// file, never to the layer.
fn sandbox_mounts() -> [Mount; 2] {
    let file = |path: &str, text: &str| Mount {
        target: VfsPath::new(path),
        node: Node::file(Content::inline(text), Meta::new(0o644)),
    };
    [
        file("/etc/resolv.conf", SANDBOX_RESOLV_CONF),
        file("/etc/hosts", SANDBOX_HOSTS),
    ]
}

/// The mount points a RUN needs that the image does not have: each target and its
/// missing parents, nearest first. BuildKit records these before the command runs
/// (executor/stubs.go, recursive as the Dockerfile frontend asks) and removes them after
/// if they are left empty, so the mount points never reach the layer.
fn missing_stubs(fs: &Fs, mounts: &[Mount]) -> Vec<VfsPath> {
    let mut stubs = Vec::new();
    for m in mounts {
        let mut p = m.target.clone();
        while fs.symlink_node(&p).is_err() {
            stubs.push(p.clone());
            match p.parent() {
                Some(parent) => p = parent,
                None => break,
            }
        }
    }
    stubs
}

/// Removes each stub the command left empty (an empty directory or an empty file), in
/// the order recorded, so a directory emptied by removing its stub child goes too.
fn remove_stubs(fs: &mut Fs, stubs: &[VfsPath]) {
    for p in stubs {
        let empty = match fs.symlink_node(p) {
            Ok(Node::Dir(d)) => d.is_empty(),
            Ok(Node::File(f)) => f.content.is_empty(),
            _ => false,
        };
        if empty {
            let _ = fs.remove(p);
        }
    }
}

/// What [`attach`] changed, for [`detach`] to undo.
struct Attached {
    /// What was at each target before.
    saved: Vec<Option<Node>>,
    /// The mount points the image lacked (see [`missing_stubs`]).
    stubs: Vec<VfsPath>,
}

/// Places the mounts.
fn attach(fs: &mut Fs, mounts: &[Mount]) -> Result<Attached, String> {
    let stubs = missing_stubs(fs, mounts);
    let mut saved = Vec::new();
    for m in mounts {
        saved.push(fs.symlink_node(&m.target).ok().cloned());
        if saved.last().is_some_and(Option::is_some) {
            fs.remove(&m.target).map_err(|e| e.to_string())?;
        }
        if let Some(parent) = m.target.parent() {
            fs.mkdir_p(&parent, Meta::new(0o755))
                .map_err(|e| e.to_string())?;
        }
        fs.insert(&m.target, m.node.clone())
            .map_err(|e| e.to_string())?;
    }
    Ok(Attached { saved, stubs })
}

/// Takes the mounts away again, restoring what was there, and removes the mount
/// points the command left empty.
fn detach(fs: &mut Fs, mounts: &[Mount], attached: Attached) {
    for (m, old) in mounts.iter().zip(attached.saved).rev() {
        let _ = fs.remove(&m.target);
        if let Some(node) = old {
            let _ = fs.insert(&m.target, node);
        }
    }
    remove_stubs(fs, &attached.stubs);
}

pub(crate) fn dispatch(
    b: &mut Builder<'_, '_>,
    state: &mut StageState,
    c: &Located<Command>,
    r: &RunCmd,
    results: &[Option<StageState>],
) -> Result<(), BuildError> {
    let argv: Vec<String> = match &r.cmd {
        CmdLine::Exec(args) => args.clone(),
        CmdLine::Shell(text) => {
            // `RUN <<EOF` runs the heredoc body as the script; other heredocs stay in
            // the command text, where the shell reads them as here-documents.
            let script = match r.heredocs.first() {
                Some(h)
                    if text
                        .trim()
                        .trim_start_matches("<<")
                        .trim_start_matches('-')
                        .trim_matches(['"', '\''])
                        == h.name =>
                {
                    h.data.clone()
                }
                _ if !r.heredocs.is_empty() => {
                    let mut t = text.clone();
                    for h in &r.heredocs {
                        t.push('\n');
                        t.push_str(&h.data);
                        t.push_str(&h.name);
                    }
                    t
                }
                _ => text.clone(),
            };
            state
                .shell
                .iter()
                .cloned()
                .chain(std::iter::once(script))
                .collect()
        }
    };
    let mut inputs = KeyInputs::new("RUN", state.key)
        .field(Field::new("command", argv.join(" ")))
        .field(Field::new("workdir", state.workdir.clone()))
        .field(Field::new("user", state.user.clone()));
    for var in state.scope.vars() {
        inputs = inputs.field(
            Field::new(format!("env {}", var.name), var.value.clone())
                .with_origin(var.origin.clone()),
        );
    }
    if let Some(n) = &r.network {
        inputs = inputs.field(Field::new("network", n.clone()));
    }
    if let Some(s) = &r.security {
        inputs = inputs.field(Field::new("security", s.clone()));
    }
    for m in &r.mounts {
        inputs = inputs.field(Field::new("mount", m.clone()));
    }
    inputs = inputs.field(b.platform_field());
    let mut mount_warnings = Vec::new();
    let mut mounts = Vec::from(sandbox_mounts());
    mounts.extend(resolve_mounts(
        b,
        state,
        c,
        r,
        results,
        &mut inputs,
        &mut mount_warnings,
    )?);

    let mut env: Vec<(String, String)> = state
        .scope
        .vars()
        .iter()
        .map(|v| (v.name.clone(), v.value.clone()))
        .collect();
    for name in layerlab_dockerfile::check::PROXY_ARGS {
        let declared = state.scope.args.iter().any(|(n, _)| n == name);
        if !declared {
            if let Some(v) = super::stage::build_arg(b.req, name) {
                env.push((name.to_string(), v));
            }
        }
    }
    let req = RunRequest {
        argv: argv.clone(),
        env,
        workdir: state.workdir.clone(),
        user: state.user.clone(),
        network: r.network.clone(),
        mounts: r.mounts.clone(),
        epoch: b.req.options.epoch,
    };
    let created_by = format!(
        "RUN {}{} # buildkit",
        state.scope.history_prefix(),
        argv.join(" ")
    );
    let runner = b.req.runner;
    let ignore = state.no_cache != super::stage::IgnoreCache::No;
    let name = b.step_name(state, &c.original, true);
    b.op(
        state,
        c,
        name,
        inputs,
        ignore,
        created_by,
        &mut |fs: &mut Fs| {
            let attached = attach(fs, &mounts)?;
            let mut outcome = runner.run(fs, &req);
            detach(fs, &mounts, attached);
            outcome.warnings.extend(mount_warnings.iter().cloned());
            if outcome.exit_code != 0 && outcome.failure.is_none() {
                outcome.failure = Some(format!(
                    "process \"{}\" did not complete successfully: exit code: {}",
                    req.argv.join(" "),
                    outcome.exit_code
                ));
            }
            Ok(outcome)
        },
    )
}
