//! How stages refer to each other: what a command reads from (`COPY --from`,
//! `RUN --mount=from=`), how a name or an index finds a stage, and the checks BuildKit
//! makes over the stage graph before anything runs (dockerfile2llb's convert.go).

use super::{Command, Plan};
use layerlab_dockerfile::shell::go_quote;
use layerlab_image::Reference;
use layerlab_text::TextRange;

/// BuildKit's `emptyImageName`: the one base that is no image. convert.go compares a
/// base with it exactly (`BaseName == emptyImageName`), so `SCRATCH` or `Scratch` is
/// an image reference, and an invalid one (repository names are lowercase).
pub const EMPTY_IMAGE: &str = "scratch";

/// The value of a `--mount` field, as BuildKit's `parseMount` reads it: keys in any
/// case, the last of the `keys` given wins (`target`, `dst` and `destination` are one
/// field). Values are trimmed, as the engine reads them.
pub(crate) fn mount_field<'a>(mount: &'a str, keys: &[&str]) -> Option<&'a str> {
    mount.rsplit(',').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        let k = k.trim();
        keys.iter()
            .any(|key| k.eq_ignore_ascii_case(key))
            .then_some(v.trim())
    })
}

/// The stage a `--mount` reads from (`from=build`), if any.
fn mount_from(mount: &str) -> Option<String> {
    mount_field(mount, &["from"]).map(str::to_string)
}

/// A `--from` value as a stage index, as Go's `strconv.Atoi` reads it in convert.go's
/// `toCommand` (a sign is allowed, so `-1` is an index, and an invalid one).
pub(crate) fn stage_index(from: &str) -> Option<i64> {
    from.parse::<i64>().ok()
}

/// BuildKit's error for a base that is not a valid image reference (convert.go
/// `resolveBaseImage`: `failed to parse stage name %q`, wrapping distribution/reference's
/// `ParseNormalizedNamed` error), or `None` for a valid one.
pub(crate) fn stage_name_error(name: &str) -> Option<String> {
    Reference::parse_docker(name).err().map(|e| {
        format!(
            "failed to parse stage name {}: {}",
            go_quote(name),
            e.message
        )
    })
}

/// What a command reads from another stage or an image, and whether an index may name
/// the stage: `COPY --from` (a name or an index) and `RUN --mount=from=` (a name only:
/// BuildKit's `detectRunMount` looks names up, so a number there is an image).
pub(crate) fn reads_from(c: &Command) -> Vec<(String, bool)> {
    match c {
        Command::Copy(copy) => copy.from.iter().map(|f| (f.clone(), true)).collect(),
        Command::Run(r) => r
            .mounts
            .iter()
            .filter_map(|m| mount_from(m))
            .map(|f| (f, false))
            .collect(),
        _ => Vec::new(),
    }
}

impl Plan {
    /// The last stage before `before` with this name (case-insensitive: names are
    /// lowercased when declared, and `--from` is looked up lowercased).
    pub fn stage_named(&self, name: &str, before: usize) -> Option<usize> {
        let name = name.to_ascii_lowercase();
        (0..before.min(self.stages.len()))
            .rev()
            .find(|&i| self.stages[i].name.as_deref() == Some(name.as_str()))
    }

    /// A stage as BuildKit names it in progress and errors: its `AS` name, else
    /// `stage-<index>`.
    pub fn stage_label(&self, index: usize) -> String {
        self.stages[index]
            .name
            .clone()
            .unwrap_or_else(|| format!("stage-{index}"))
    }

    /// The stage a source names anywhere in the file, before or after the reader, as
    /// BuildKit's `findStateByName` finds it (the last stage with the name), or by
    /// index where indexes are allowed (`COPY --from`; `findStateByIndex`).
    pub fn source_stage(&self, from: &str, by_index: bool) -> Option<usize> {
        match stage_index(from) {
            Some(i) if by_index => usize::try_from(i).ok().filter(|&i| i < self.stages.len()),
            _ => self.stage_named(from, self.stages.len()),
        }
    }

    /// BuildKit's checks over every stage, needed or not, before anything runs: a
    /// `COPY --from` index must name a stage (`invalid stage index N`), and no stage may
    /// depend on itself through what it reads with `COPY --from` or `RUN --mount=from=`
    /// (`validateCircularDependency`: the first stage, in file order, whose walk comes
    /// back to a stage on its path is named, at the command that starts the loop).
    ///
    /// # Errors
    /// The message and the command it is about.
    pub fn check_references(&self) -> Result<(), (String, TextRange)> {
        let count = self.stages.len();
        // Each stage's edges in command order: (the stage read from, the command).
        let mut edges: Vec<Vec<(usize, TextRange)>> = vec![Vec::new(); count];
        for (index, stage) in self.stages.iter().enumerate() {
            for c in &stage.commands {
                for (from, by_index) in reads_from(&c.cmd) {
                    let outside = stage_index(&from)
                        .is_some_and(|i| usize::try_from(i).map_or(true, |i| i >= count));
                    if by_index && outside {
                        return Err((format!("invalid stage index {from}"), c.range));
                    }
                    if let Some(j) = self.source_stage(&from, by_index) {
                        edges[index].push((j, c.range));
                    }
                }
            }
        }
        let mut visited = vec![false; count];
        let mut on_path = vec![false; count];
        for index in 0..count {
            if let Some(at) = loop_from(index, None, &edges, &mut visited, &mut on_path) {
                let name = self.stage_label(index);
                return Err((format!("circular dependency detected on stage: {name}"), at));
            }
        }
        Ok(())
    }

    /// The images commands read from, in file order: each `COPY --from` or
    /// `RUN --mount=from=` value that names no stage anywhere in the file (nor, for
    /// `COPY`, a stage index), except `scratch`. BuildKit makes each an image source of
    /// its own (convert.go `toCommand` and `detectRunMount`: an `unregistered` state)
    /// and parses its reference with every stage's base before anything runs. Values
    /// with a variable are left out: BuildKit refuses those for another reason.
    pub fn source_images(&self) -> Vec<(usize, &str, TextRange)> {
        let mut out = Vec::new();
        for (index, stage) in self.stages.iter().enumerate() {
            for c in &stage.commands {
                let from: Vec<(&str, bool)> = match &c.cmd {
                    Command::Copy(copy) => copy.from.iter().map(|f| (f.as_str(), true)).collect(),
                    Command::Run(r) => r
                        .mounts
                        .iter()
                        .filter_map(|m| mount_field(m, &["from"]))
                        .map(|f| (f, false))
                        .collect(),
                    _ => Vec::new(),
                };
                for (from, by_index) in from {
                    let is_index = by_index && stage_index(from).is_some();
                    if from == EMPTY_IMAGE
                        || from.contains('$')
                        || is_index
                        || self.source_stage(from, by_index).is_some()
                    {
                        continue;
                    }
                    out.push((index, from, c.range));
                }
            }
        }
        out
    }

    /// BuildKit's check as it converts each stage the target needs (`needed`), in file
    /// order: what a command reads from must be built already, so a stage defined later
    /// (by name or index; a name means the last stage with it, wherever it is) fails.
    /// convert.go's `dispatch` for `COPY --from`, and convert_runmount.go's
    /// `dispatchRunMounts` for `RUN --mount=from=` (added by moby/buildkit#4568). The
    /// mount's target is shown as written: the engine does not expand mount options.
    ///
    /// # Errors
    /// The message and the command it is about.
    pub fn check_forward_reads(&self, needed: &[bool]) -> Result<(), (String, TextRange)> {
        let later = |from: &str, by_index: bool, index: usize| {
            self.source_stage(from, by_index).is_some_and(|j| j > index)
        };
        for (index, stage) in self.stages.iter().enumerate() {
            if !needed.get(index).copied().unwrap_or(false) {
                continue;
            }
            for c in &stage.commands {
                match &c.cmd {
                    Command::Copy(copy) => {
                        let Some(from) = &copy.from else { continue };
                        if later(from, true, index) {
                            let message = format!(
                                "cannot copy from stage {}, it needs to be defined before current stage {}",
                                go_quote(from),
                                go_quote(&self.stage_label(index))
                            );
                            return Err((message, c.range));
                        }
                    }
                    Command::Run(r) => {
                        for m in &r.mounts {
                            let Some(from) = mount_field(m, &["from"]) else {
                                continue;
                            };
                            if later(from, false, index) {
                                let target =
                                    mount_field(m, &["target", "dst", "destination"]).unwrap_or("");
                                let message = format!(
                                    "cannot mount from stage {} to {}, stage needs to be defined before current command",
                                    go_quote(from),
                                    go_quote(target)
                                );
                                return Err((message, c.range));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }
}

/// Depth-first from `at`: the first command of a walk that comes back to a stage on
/// its own path.
fn loop_from(
    at: usize,
    first: Option<TextRange>,
    edges: &[Vec<(usize, TextRange)>],
    visited: &mut [bool],
    on_path: &mut [bool],
) -> Option<TextRange> {
    if std::mem::replace(&mut visited[at], true) {
        return None;
    }
    on_path[at] = true;
    for &(next, range) in &edges[at] {
        let first = first.or(Some(range));
        if on_path[next] {
            return first;
        }
        if let Some(found) = loop_from(next, first, edges, visited, on_path) {
            return Some(found);
        }
    }
    on_path[at] = false;
    None
}
