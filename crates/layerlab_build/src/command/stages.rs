//! How stages refer to each other: what a command reads from (`COPY --from`,
//! `RUN --mount=from=`), how a name or an index finds a stage, and the reference checks
//! BuildKit makes over every stage before anything runs (dockerfile2llb).

use super::{Command, Plan};
use layerlab_text::TextRange;

/// The stage a `--mount` reads from (`from=build`), if any.
fn mount_from(mount: &str) -> Option<String> {
    mount
        .split(',')
        .find_map(|kv| kv.strip_prefix("from="))
        .map(str::to_string)
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
    /// index where indexes are allowed (`COPY --from`).
    pub fn source_stage(&self, from: &str, by_index: bool) -> Option<usize> {
        match from.parse::<usize>() {
            Ok(i) if by_index => (i < self.stages.len()).then_some(i),
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
                    if by_index && from.parse::<usize>().is_ok_and(|i| i >= count) {
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
