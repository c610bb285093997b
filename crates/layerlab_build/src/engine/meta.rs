//! WORKDIR and the instructions that only edit the image config (semantics.md §4.5–4.7),
//! with the `created_by` text BuildKit records for each (§2.1).

use super::run::RunOutcome;
use super::stage::{Builder, StageState};
use super::users;
use crate::cache::{Field, KeyInputs};
use crate::command::{CmdLine, Command, Located};
use crate::report::BuildError;
use layerlab_image::{rfc3339, Healthcheck, History};
use layerlab_vfs::{Fs, Meta, VfsPath};

fn err(message: impl Into<String>, c: &Located<Command>) -> BuildError {
    BuildError {
        message: message.into(),
        source: Some(c.range),
    }
}

/// Adds a history entry for an instruction that adds no layer.
pub(crate) fn history_only(
    b: &Builder<'_, '_>,
    state: &mut StageState,
    _c: &Located<Command>,
    created_by: String,
) {
    state.config.history.push(History {
        created: Some(rfc3339(b.req.options.epoch)),
        created_by: Some(created_by),
        comment: Some("buildkit.dockerfile.v0".into()),
        empty_layer: true,
        author: None,
    });
}

/// `ARG K=V K2` with the effective values.
pub(crate) fn arg_created_by(
    scope: &super::scope::Scope,
    args: &[(String, Option<String>)],
) -> String {
    let parts: Vec<String> = args
        .iter()
        .map(|(name, _)| match scope.get(name) {
            Some(v)
                if scope
                    .args
                    .iter()
                    .any(|(n, d)| n == name && (d.is_some() || !v.is_empty())) =>
            {
                format!("{name}={v}")
            }
            _ => name.clone(),
        })
        .collect();
    format!("ARG {}", parts.join(" "))
}

/// Resolves a WORKDIR path against the current one, lexically (no `..` above `/`).
pub(crate) fn resolve_path(base: &str, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{base}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

pub(crate) fn workdir(
    b: &mut Builder<'_, '_>,
    state: &mut StageState,
    c: &Located<Command>,
    w: &str,
) -> Result<(), BuildError> {
    let expanded = b.expand(state, w, c.range)?;
    let path = resolve_path(&state.workdir, &expanded);
    state.workdir = path.clone();
    state.config.config.working_dir = Some(path.clone());
    if path == "/" {
        history_only(b, state, c, format!("WORKDIR {path}"));
        return Ok(());
    }
    let (uid, gid) = if state.user.is_empty() {
        (0, 0)
    } else {
        users::resolve(&state.fs, &state.user).map_err(|m| err(m, c))?
    };
    let inputs = KeyInputs::new("WORKDIR", state.key)
        .field(Field::new("path", path.clone()))
        .field(Field::new("mode", "0755"))
        .field(Field::new("owner", format!("{uid}:{gid}")))
        .field(b.platform_field());
    let epoch = b.req.options.epoch;
    // The step shows the instruction as written (expanded); history the resolved path.
    let name = b.step_name(state, &c.original, false);
    // BuildKit does not mark WORKDIR's mkdir as ignore-cache under --no-cache (§1.16).
    b.op(
        state,
        c,
        name,
        inputs,
        false,
        format!("WORKDIR {path}"),
        &mut |fs: &mut Fs| {
            fs.mkdir_p(
                &VfsPath::new(&path),
                Meta::new(0o755).with_owner(uid, gid).with_mtime(epoch),
            )
            .map_err(|e| format!("mkdir {path}: {e}"))?;
            Ok(RunOutcome {
                duration_ms: 20,
                ..RunOutcome::default()
            })
        },
    )
}

/// Go's `%q` for a string (the subset BuildKit's history strings need).
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn quoted_list(args: &[String]) -> String {
    let items: Vec<String> = args.iter().map(|a| go_quote(a)).collect();
    format!("[{}]", items.join(" "))
}

/// Go's `time.Duration.String()`: `5m0s`, `1h0m0s`, `1.5s`, `300ms`, `0s`.
pub(crate) fn go_duration(ns: i64) -> String {
    if ns == 0 {
        return "0s".into();
    }
    let neg = ns < 0;
    let u = ns.unsigned_abs();
    let sign = if neg { "-" } else { "" };
    if u < 1_000_000_000 {
        let (value, unit, scale) = if u < 1_000 {
            return format!("{sign}{u}ns");
        } else if u < 1_000_000 {
            (u, "µs", 1_000u64)
        } else {
            (u, "ms", 1_000_000u64)
        };
        return format!("{sign}{}{unit}", trim_fraction(value, scale));
    }
    let total_s = u / 1_000_000_000;
    let frac = u % 1_000_000_000;
    let (h, m, s) = (total_s / 3600, (total_s / 60) % 60, total_s % 60);
    let secs = if frac == 0 {
        s.to_string()
    } else {
        trim_fraction(s * 1_000_000_000 + frac, 1_000_000_000)
    };
    if h > 0 {
        format!("{sign}{h}h{m}m{secs}s")
    } else if m > 0 {
        format!("{sign}{m}m{secs}s")
    } else {
        format!("{sign}{secs}s")
    }
}

fn trim_fraction(value: u64, scale: u64) -> String {
    let int = value / scale;
    let frac = value % scale;
    if frac == 0 {
        return int.to_string();
    }
    let width = scale.to_string().len() - 1;
    let digits = format!("{frac:0width$}");
    format!("{int}.{}", digits.trim_end_matches('0'))
}

fn cmd_argv(state: &StageState, line: &CmdLine) -> Vec<String> {
    match line {
        CmdLine::Exec(args) => args.clone(),
        CmdLine::Shell(text) => state
            .shell
            .iter()
            .cloned()
            .chain(std::iter::once(text.clone()))
            .collect(),
    }
}

/// Validates a STOPSIGNAL value (a name with or without `SIG`, or a number).
fn valid_signal(s: &str) -> bool {
    const NAMES: [&str; 31] = [
        "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT",
        "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM",
        "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2", "WINCH",
    ];
    if let Ok(n) = s.parse::<u32>() {
        return n > 0 && n < 65;
    }
    let name = s.to_ascii_uppercase();
    let name = name.strip_prefix("SIG").unwrap_or(&name);
    NAMES.contains(&name) || name.starts_with("RTMIN") || name.starts_with("RTMAX")
}

/// Expands an EXPOSE token into `port/proto` keys (ranges give one key per port).
fn expose_ports(token: &str) -> Result<Vec<String>, String> {
    let (range, proto) = crate::command::problems::port_spec(token)?;
    Ok(range.map(|p| format!("{p}/{proto}")).collect())
}

pub(crate) fn config_instruction(
    b: &mut Builder<'_, '_>,
    state: &mut StageState,
    c: &Located<Command>,
    cmd: &Command,
) -> Result<(), BuildError> {
    let created_by = match cmd {
        Command::Env(pairs) => {
            // Every substitution in one ENV uses the values from before it (§4.3).
            let mut expanded = Vec::new();
            for (k, v) in pairs {
                expanded.push((b.expand(state, k, c.range)?, b.expand(state, v, c.range)?));
            }
            for (k, v) in &expanded {
                state
                    .scope
                    .set(k, v, &format!("ENV {k} (line {})", c.line), false);
                let entry = format!("{k}={v}");
                let env = &mut state.config.config.env;
                match env
                    .iter_mut()
                    .find(|e| e.split_once('=').map_or(e.as_str(), |(n, _)| n) == k)
                {
                    Some(slot) => *slot = entry,
                    None => env.push(entry),
                }
            }
            let parts: Vec<String> = expanded.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("ENV {}", parts.join(" "))
        }
        Command::Label(pairs) => {
            let mut parts = Vec::new();
            for (k, v) in pairs {
                let (k, v) = (b.expand(state, k, c.range)?, b.expand(state, v, c.range)?);
                parts.push(format!("{k}={v}"));
                state.config.config.labels.insert(k, v);
            }
            format!("LABEL {}", parts.join(" "))
        }
        Command::User(u) => {
            let u = b.expand(state, u, c.range)?;
            state.user = u.clone();
            state.config.config.user = Some(u.clone());
            format!("USER {u}")
        }
        Command::Expose(tokens) => {
            let mut shown = Vec::new();
            for token in tokens {
                for word in b.expand_words(state, token, c.range)? {
                    for key in expose_ports(&word).map_err(|m| err(m, c))? {
                        shown.push(key.clone());
                        state.config.config.exposed_ports.insert(key);
                    }
                }
            }
            format!("EXPOSE [{}]", shown.join(" "))
        }
        Command::Volume(volumes) => {
            let mut shown = Vec::new();
            for v in volumes {
                let v = b.expand(state, v, c.range)?;
                if v.trim().is_empty() {
                    return Err(err("VOLUME specified can not be an empty string", c));
                }
                shown.push(v.clone());
                state.config.config.volumes.insert(v);
            }
            format!("VOLUME [{}]", shown.join(" "))
        }
        Command::Cmd(line) => {
            let argv = cmd_argv(state, line);
            state.config.config.cmd = argv.clone();
            state.config.config.args_escaped = true;
            state.cmd_set = true;
            format!("CMD {}", quoted_list(&argv))
        }
        Command::Entrypoint(line) => {
            let argv = cmd_argv(state, line);
            state.config.config.entrypoint = argv.clone();
            // An ENTRYPOINT resets a CMD inherited from the base, not one set in this
            // stage (§4.7).
            if !state.cmd_set {
                state.config.config.cmd.clear();
            }
            format!("ENTRYPOINT {}", quoted_list(&argv))
        }
        Command::Shell(args) => {
            state.shell = args.clone();
            state.config.config.shell = args.clone();
            format!("SHELL [{}]", args.join(" "))
        }
        Command::Healthcheck(h) => {
            let hc = Healthcheck {
                test: h.test.clone(),
                interval: h.interval,
                timeout: h.timeout,
                start_period: h.start_period,
                start_interval: h.start_interval,
                retries: h.retries,
            };
            state.config.config.healthcheck = Some(hc);
            format!(
                "HEALTHCHECK {{Test:[{}] Interval:{} Timeout:{} StartPeriod:{} StartInterval:{} Retries:{}}}",
                h.test.join(" "),
                go_duration(h.interval),
                go_duration(h.timeout),
                go_duration(h.start_period),
                go_duration(h.start_interval),
                h.retries
            )
        }
        Command::StopSignal(s) => {
            let s = b.expand(state, s, c.range)?;
            if !valid_signal(&s) {
                return Err(err(format!("Invalid signal: {s}"), c));
            }
            state.config.config.stop_signal = Some(s.clone());
            format!("STOPSIGNAL {s}")
        }
        Command::Maintainer(m) => {
            state.config.author = Some(m.clone());
            format!("MAINTAINER {m}")
        }
        Command::OnBuild(expr) => {
            // ONBUILD adds no history entry in BuildKit, only the trigger.
            state.config.config.on_build.push(expr.clone());
            return Ok(());
        }
        _ => return Ok(()),
    };
    history_only(b, state, c, created_by);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn go_formats() {
        assert_eq!(go_duration(300_000_000_000), "5m0s");
        assert_eq!(go_duration(3_000_000_000), "3s");
        assert_eq!(go_duration(1_500_000_000), "1.5s");
        assert_eq!(go_duration(3_600_000_000_000), "1h0m0s");
        assert_eq!(go_duration(300_000_000), "300ms");
        assert_eq!(go_duration(0), "0s");
        assert_eq!(go_quote("a \"b\"\n"), "\"a \\\"b\\\"\\n\"");
    }

    #[test]
    fn expose_tokens() {
        assert_eq!(expose_ports("80").unwrap(), ["80/tcp"]);
        assert_eq!(expose_ports("53/UDP").unwrap(), ["53/udp"]);
        assert_eq!(
            expose_ports("8000-8002").unwrap(),
            ["8000/tcp", "8001/tcp", "8002/tcp"]
        );
        assert_eq!(expose_ports("127.0.0.1:80:8080").unwrap(), ["8080/tcp"]);
        assert!(expose_ports("80/xyz").is_err());
        assert!(expose_ports("http").is_err());
    }

    #[test]
    fn workdir_paths() {
        assert_eq!(resolve_path("/a", "b"), "/a/b");
        assert_eq!(resolve_path("/a/b", "../c"), "/a/c");
        assert_eq!(resolve_path("/", "/x/./y/"), "/x/y");
        assert_eq!(resolve_path("/", ".."), "/");
    }
}
