//! Every error that fails a build before any step runs and that the Dockerfile alone
//! decides, as diagnostics for an editor (the build itself stops at the first one).
//!
//! Four sources, each the engine's own code: the instruction-level errors of
//! [`plan`](super::plan) (arguments, flags, `FROM` first), the image references (a
//! `FROM` base, or an image a `COPY --from` or `RUN --mount=from=` reads: each parsed
//! by `layerlab_image`'s `ParseNormalizedNamed`, as the build parses every one before
//! anything runs), the stage graph ([`Plan::check_references`]) and the `EXPOSE`
//! ports. What depends on build inputs is left out: a base or a port written with a
//! variable (a `--build-arg` may change it), and what depends on `--target` (a
//! `COPY --from` or `RUN --mount=from=` naming a later stage fails only in a stage the
//! target needs) or on the context.

use super::{read_each, stage_name_error, Plan, Read, EMPTY_IMAGE};
use layerlab_dockerfile::shell::Lexer;
use layerlab_dockerfile::{Instruction, Parsed, Word};
use layerlab_text::{Diagnostic, Severity, TextRange};
use std::ops::RangeInclusive;

/// Codes of the diagnostics reported here.
pub mod code {
    /// An instruction BuildKit refuses (arguments, flags, before any `FROM`).
    pub const INVALID_INSTRUCTION: &str = "invalid-instruction";
    /// An image reference that does not parse: a `FROM` base, or an image a
    /// `COPY --from` or `RUN --mount=from=` reads.
    pub const INVALID_REFERENCE: &str = "invalid-reference";
    /// An `EXPOSE` port that does not parse.
    pub const INVALID_PORT: &str = "invalid-port";
    /// Only `ARG`s, no `FROM`.
    pub const NO_STAGES: &str = "no-stages";
    /// A `--from` index past the last stage, or stages that read from each other in a loop.
    pub const STAGE_REFERENCE: &str = "stage-reference";
}

fn invalid_instruction(message: String, range: TextRange) -> Diagnostic {
    Diagnostic::error(code::INVALID_INSTRUCTION, message, range)
        .with_help("BuildKit refuses this instruction, so the build fails before any step runs")
}

fn invalid_reference(name: &str, message: String, range: TextRange) -> Diagnostic {
    let help = if name.eq_ignore_ascii_case(EMPTY_IMAGE) {
        "the empty image is `scratch`, in lowercase: any other spelling is an image name"
    } else {
        "name an image in lowercase, e.g. `alpine:3.21`, or an earlier stage"
    };
    Diagnostic::error(code::INVALID_REFERENCE, message, range).with_help(help)
}

fn invalid_port(message: String, range: TextRange) -> Diagnostic {
    Diagnostic::error(code::INVALID_PORT, message, range)
        .with_help("write `<port>[/<tcp|udp|sctp>]` or a range, e.g. `80/tcp` or `8000-8002`")
}

fn no_stages(range: TextRange) -> Diagnostic {
    Diagnostic::error(
        code::NO_STAGES,
        "dockerfile contains no stages to build",
        range,
    )
    .with_help("add a stage: `FROM <image>`")
}

/// The errors of `parsed` that stop a build before any step, in source order, except
/// those the parser already reported (`parsed.diagnostics`) for the same instruction.
/// Messages are the ones the build prints after `dockerfile parse error on line N: `.
pub fn problems(parsed: &Parsed) -> Vec<Diagnostic> {
    let file = &parsed.dockerfile;
    let lexer = Lexer::new(file.escape);
    let mut out = Vec::new();
    // The plan the build would make, read in the same pass; complete only when no
    // instruction was refused.
    let mut plan = Plan::default();
    let mut planned = true;
    for (ins, read) in read_each(file) {
        match read {
            Err(message) => {
                planned = false;
                let reported = parsed
                    .diagnostics
                    .iter()
                    .any(|d| d.severity == Severity::Error && ins.range.contains_range(d.range));
                if !reported {
                    out.push(invalid_instruction(message, ins.range));
                }
            }
            Ok(read) => {
                match &read {
                    Read::Stage(_) => {
                        if let Some(base) = ins.value.first() {
                            out.extend(base_problem(&lexer, base, &plan));
                        }
                    }
                    Read::Command(_) if ins.is("expose") => {
                        out.extend(port_problems(&lexer, ins));
                    }
                    Read::Command(_) => {}
                }
                plan.push(ins, read);
            }
        }
    }
    let only_args = file.instructions.iter().all(|i| i.is("arg"));
    if let (true, Some(first)) = (only_args, file.instructions.first()) {
        out.push(no_stages(first.range));
    }
    // The stage graph is checked on a file that plans (as the build checks it after),
    // then the images commands read from are parsed as the bases were.
    if planned {
        if let Err((message, range)) = plan.check_references() {
            out.push(
                Diagnostic::error(code::STAGE_REFERENCE, message, range)
                    .with_help("a stage can read only from stages that do not read from it"),
            );
        }
        for (_, name, range) in plan.source_images() {
            if let Some(message) = stage_name_error(name) {
                out.push(invalid_reference(name, message, range));
            }
        }
    }
    out
}

/// The error resolving a `FROM` base would give, for a base without variables that is
/// neither `scratch` nor a stage of `earlier` (the plan so far).
fn base_problem(lexer: &Lexer, base: &Word, earlier: &Plan) -> Option<Diagnostic> {
    if base.text.contains('$') {
        return None;
    }
    let name = match lexer.process_word(&base.text, &|_| None) {
        Ok(name) => name,
        Err(e) => return Some(invalid_reference(&base.text, e.message, base.range)),
    };
    if name.is_empty() {
        let message = format!("base name ({}) should not be blank", base.text);
        return Some(invalid_reference(&base.text, message, base.range));
    }
    // Stage names are lowercased when declared but a base is looked up as written
    // (convert.go `addState`), so `FROM Build` is an image, not the stage `build`; and
    // only `scratch` itself is the empty image (`BaseName == emptyImageName`), so
    // `FROM SCRATCH` is the (invalid) image SCRATCH.
    let is_stage = earlier
        .stages
        .iter()
        .any(|s| s.name.as_deref() == Some(&*name));
    if name == EMPTY_IMAGE || is_stage {
        return None;
    }
    stage_name_error(&name).map(|m| invalid_reference(&name, m, base.range))
}

/// The errors of the `EXPOSE` words written without variables.
fn port_problems<'a>(
    lexer: &'a Lexer,
    ins: &'a Instruction,
) -> impl Iterator<Item = Diagnostic> + 'a {
    ins.value
        .iter()
        .filter(|w| !w.text.contains('$'))
        .filter_map(move |w| {
            let words = match lexer.process_words(&w.text, &|_| None) {
                Ok(words) => words,
                Err(e) => return Some(invalid_port(e.message, w.range)),
            };
            words
                .iter()
                .find_map(|p| port_spec(p).err())
                .map(|m| invalid_port(m, w.range))
        })
}

/// Reads an EXPOSE token (`80`, `53/udp`, `8000-8002`, `ip:host:80`) into its port
/// range and protocol, with the errors of BuildKit's `nat.ParsePortSpecs`
/// (semantics.md §4.5). The engine's EXPOSE expands the same range, so the Problems
/// list and the build cannot disagree.
pub(crate) fn port_spec(token: &str) -> Result<(RangeInclusive<u32>, String), String> {
    // ip:hostPort:containerPort forms keep only the container part.
    let token = token.rsplit(':').next().unwrap_or(token);
    let (ports, proto) = match token.split_once('/') {
        Some((p, proto)) => (p, proto.to_ascii_lowercase()),
        None => (token, "tcp".to_string()),
    };
    if !matches!(proto.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!("invalid proto: {proto}"));
    }
    let bad = || format!("invalid containerPort: {ports}");
    let (start, end) = match ports.split_once('-') {
        Some((a, b)) => (
            a.parse::<u32>().map_err(|_| bad())?,
            b.parse::<u32>().map_err(|_| bad())?,
        ),
        None => {
            let p = ports.parse::<u32>().map_err(|_| bad())?;
            (p, p)
        }
    };
    if end < start || end > 65535 {
        return Err(bad());
    }
    Ok((start..=end, proto))
}

#[cfg(test)]
mod tests;
