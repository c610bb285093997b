//! Why a step missed the cache: its inputs compared with the same step's inputs in the
//! previous build.
//!
//! BuildKit answers only "hit" or "miss"; the user's question is *what changed*. A key is
//! a hash of [`KeyInputs`], so the answer is the difference between two input lists:
//! fields whose values differ (the instruction text, an environment variable set by an
//! `ARG`), files that were added, removed or changed in a COPY source, or a previous
//! state that is itself new (the cascade).

use super::inputs::{Field, KeyInputs, SourceSet, BUILD_CONTEXT};
use std::collections::BTreeMap;

/// Files that differ between two selections of a content-hashed input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileChanges {
    /// What the files come from (`build context`, `stage build`).
    pub label: String,
    /// Paths selected now and not before.
    pub added: Vec<String>,
    /// Paths selected before and not now.
    pub removed: Vec<String>,
    /// Paths in both whose content or metadata (mode, owner, type) differ.
    pub modified: Vec<String>,
}

impl FileChanges {
    fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.modified.is_empty()
    }
}

/// One input that differs from the previous build.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputChange {
    /// A field of the op definition changed, appeared or disappeared.
    Field {
        /// The field's name (`command`, `env VERSION`, `dest`, …).
        name: String,
        /// The value in the previous build.
        before: Option<String>,
        /// The value now.
        after: Option<String>,
        /// Where the new (or, if gone, the old) value came from.
        origin: Option<String>,
    },
    /// Files of a content-hashed source changed.
    Files(FileChanges),
    /// The op itself is different (e.g. a `COPY` where a `RUN` was).
    Op {
        /// Before.
        before: String,
        /// Now.
        after: String,
    },
}

/// Why a step was executed instead of taken from the cache.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MissReason {
    /// `--no-cache` was given.
    NoCache,
    /// The stage was named in `--no-cache-filter`.
    NoCacheFilter {
        /// The stage.
        stage: String,
    },
    /// Nothing comparable was built before (a new cache, or a step with no counterpart
    /// in the previous build).
    NotBuiltBefore,
    /// The step itself is unchanged but the state it runs on is new: an earlier step in
    /// the stage (or the stage's base) was rebuilt.
    ParentRebuilt {
        /// A short name of the step that produced the new state.
        parent: String,
        /// Own input changes found as well (a step can have both).
        also: Vec<InputChange>,
    },
    /// The step's own inputs changed.
    InputsChanged(Vec<InputChange>),
    /// The inputs are the same as last time, but the cache no longer has the result
    /// (pruned, or built with `--no-cache` and a different parent key since).
    Evicted,
}

/// At most this many paths are named per kind of file change; the rest are counted.
const MAX_NAMED: usize = 5;

fn name_paths(verb: &str, paths: &[String]) -> Option<String> {
    if paths.is_empty() {
        return None;
    }
    let shown: Vec<&str> = paths.iter().take(MAX_NAMED).map(String::as_str).collect();
    let more = paths.len().saturating_sub(MAX_NAMED);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    Some(format!("{} {verb}{tail}", shown.join(", ")))
}

impl InputChange {
    /// One sentence: what changed, with before and after.
    pub fn describe(&self) -> String {
        match self {
            InputChange::Op { before, after } => {
                format!("the instruction changed from {before} to {after}")
            }
            InputChange::Files(f) => {
                let parts: Vec<String> = [
                    name_paths("changed", &f.modified),
                    name_paths("added", &f.added),
                    name_paths("removed", &f.removed),
                ]
                .into_iter()
                .flatten()
                .collect();
                format!("{}: {}", f.label, parts.join("; "))
            }
            InputChange::Field {
                name,
                before,
                after,
                origin,
            } => {
                let shown = |v: &Option<String>| match v {
                    Some(v) if v.is_empty() => "(empty)".to_string(),
                    Some(v) => format!("`{v}`"),
                    None => "(unset)".to_string(),
                };
                let what = match name.strip_prefix("env ") {
                    Some(var) => format!("`{var}`"),
                    None => name.clone(),
                };
                let from = origin
                    .as_ref()
                    .map(|o| format!(" (from {o})"))
                    .unwrap_or_default();
                format!("{what} changed: {} → {}{from}", shown(before), shown(after))
            }
        }
    }
}

impl MissReason {
    /// One line saying why the step ran.
    pub fn describe(&self) -> String {
        match self {
            MissReason::NoCache => "--no-cache was given".into(),
            MissReason::NoCacheFilter { stage } => format!("--no-cache-filter names stage {stage}"),
            MissReason::NotBuiltBefore => {
                "not in the cache: this step has not been built before".into()
            }
            MissReason::Evicted => {
                "the inputs are unchanged, but the cache no longer has the result".into()
            }
            MissReason::ParentRebuilt { parent, also } => {
                let mut s =
                    format!("the step before it was rebuilt ({parent}), so its result is new");
                if !also.is_empty() {
                    let own: Vec<String> = also.iter().map(InputChange::describe).collect();
                    s.push_str(&format!("; its own inputs changed too: {}", own.join("; ")));
                }
                s
            }
            MissReason::InputsChanged(changes) => changes
                .iter()
                .map(InputChange::describe)
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}

/// Explains a miss by comparing this build's inputs with the previous build's inputs for
/// the same step. `parent_step` names the step whose result is the new parent state,
/// when that step was itself executed in this build.
pub fn explain_miss(
    previous: Option<&KeyInputs>,
    now: &KeyInputs,
    parent_step: Option<&str>,
) -> MissReason {
    let Some(previous) = previous else {
        return MissReason::NotBuiltBefore;
    };
    let mut changes = Vec::new();
    if previous.op != now.op {
        changes.push(InputChange::Op {
            before: previous.op.clone(),
            after: now.op.clone(),
        });
    }
    changes.extend(field_changes(&previous.fields, &now.fields));
    changes.extend(source_changes(&previous.sources, &now.sources));
    if previous.parent != now.parent {
        if let Some(parent) = parent_step {
            return MissReason::ParentRebuilt {
                parent: parent.to_string(),
                also: changes,
            };
        }
        // The parent state differs but no step of this build produced it: the base
        // image resolved to something else, or the parent came from an older entry.
        changes.insert(
            0,
            InputChange::Field {
                name: "previous state".into(),
                before: previous.parent.map(|k| short(&k.to_string())),
                after: now.parent.map(|k| short(&k.to_string())),
                origin: None,
            },
        );
    }
    if changes.is_empty() {
        MissReason::Evicted
    } else {
        MissReason::InputsChanged(changes)
    }
}

fn short(key: &str) -> String {
    key.chars().take("sha256:".len() + 12).collect()
}

fn field_changes(before: &[Field], after: &[Field]) -> Vec<InputChange> {
    // Fields are matched by name; order changes of otherwise equal fields (e.g. the env
    // list, where re-assigning a variable moves it) are reported as a change of `order`.
    let old: BTreeMap<&str, &Field> = before.iter().map(|f| (f.name.as_str(), f)).collect();
    let new: BTreeMap<&str, &Field> = after.iter().map(|f| (f.name.as_str(), f)).collect();
    let mut out = Vec::new();
    // Report in the order of the current inputs, then the removed ones.
    for f in after {
        match old.get(f.name.as_str()) {
            Some(o) if o.value == f.value => {}
            o => out.push(InputChange::Field {
                name: f.name.clone(),
                before: o.map(|o| o.value.clone()),
                after: Some(f.value.clone()),
                origin: f.origin.clone(),
            }),
        }
    }
    for f in before {
        if !new.contains_key(f.name.as_str()) {
            out.push(InputChange::Field {
                name: f.name.clone(),
                before: Some(f.value.clone()),
                after: None,
                origin: f.origin.clone(),
            });
        }
    }
    if out.is_empty() {
        let names = |fs: &[Field]| fs.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
        if names(before) != names(after) {
            out.push(InputChange::Field {
                name: "order".into(),
                before: Some(names(before).join(", ")),
                after: Some(names(after).join(", ")),
                origin: None,
            });
        }
    }
    out
}

fn source_changes(before: &[SourceSet], after: &[SourceSet]) -> Vec<InputChange> {
    let mut out = Vec::new();
    for (i, now) in after.iter().enumerate() {
        let empty = SourceSet {
            label: now.label.clone(),
            files: Vec::new(),
        };
        let old = before.get(i).unwrap_or(&empty);
        let changes = file_changes(old, now);
        if !changes.is_empty() {
            out.push(InputChange::Files(changes));
        }
    }
    for old in before.iter().skip(after.len()) {
        let gone = SourceSet {
            label: old.label.clone(),
            files: Vec::new(),
        };
        let changes = file_changes(old, &gone);
        if !changes.is_empty() {
            out.push(InputChange::Files(changes));
        }
    }
    out
}

fn file_changes(before: &SourceSet, after: &SourceSet) -> FileChanges {
    let old: BTreeMap<&str, _> = before
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.digest))
        .collect();
    let mut changes = FileChanges {
        label: after.label.clone(),
        ..FileChanges::default()
    };
    let mut seen = 0;
    for f in &after.files {
        match old.get(f.path.as_str()) {
            None => changes.added.push(f.path.clone()),
            Some(d) => {
                seen += 1;
                if *d != f.digest {
                    changes.modified.push(f.path.clone());
                }
            }
        }
    }
    if seen < old.len() {
        let new: std::collections::BTreeSet<&str> =
            after.files.iter().map(|f| f.path.as_str()).collect();
        changes.removed = before
            .files
            .iter()
            .filter(|f| !new.contains(f.path.as_str()))
            .map(|f| f.path.clone())
            .collect();
    }
    name_root(&mut changes);
    if changes.label != BUILD_CONTEXT {
        // A stage's or an image's files are paths of that filesystem, shown from its
        // root (`/out/server`); context paths stay relative, as `.dockerignore` writes them.
        let lists = [
            &mut changes.added,
            &mut changes.removed,
            &mut changes.modified,
        ];
        for p in lists.into_iter().flatten() {
            *p = if p == "." {
                "/".into()
            } else {
                format!("/{p}")
            };
        }
    }
    changes
}

/// The source root itself is selected as the empty path (its mode and owner count). When
/// other paths changed it adds nothing (it is where the copy starts, not a file that came
/// or went), so it is left out; alone, it is named `.` as in `COPY . /app`.
fn name_root(changes: &mut FileChanges) {
    let lists = [
        &mut changes.added,
        &mut changes.removed,
        &mut changes.modified,
    ];
    let others = lists.iter().any(|l| l.iter().any(|p| !p.is_empty()));
    for list in lists {
        if others {
            list.retain(|p| !p.is_empty());
        } else {
            for p in list.iter_mut().filter(|p| p.is_empty()) {
                *p = ".".into();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::inputs::{CacheKey, SourceFile};
    use super::*;
    use layerlab_vfs::Digest;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn files(list: &[(&str, &[u8])]) -> SourceSet {
        SourceSet {
            label: "build context".into(),
            files: list
                .iter()
                .map(|(p, d)| SourceFile {
                    path: p.to_string(),
                    digest: Digest::of(d),
                })
                .collect(),
        }
    }

    #[test]
    fn arg_change_is_named_with_before_and_after() {
        let old = KeyInputs::new("RUN", None)
            .field(Field::new("command", "/bin/sh -c make"))
            .field(Field::new("env VERSION", "1.0").with_origin("ARG VERSION (line 2)"));
        let new = KeyInputs::new("RUN", None)
            .field(Field::new("command", "/bin/sh -c make"))
            .field(Field::new("env VERSION", "1.1").with_origin("--build-arg VERSION"));
        assert_eq!(
            explain_miss(Some(&old), &new, None),
            MissReason::InputsChanged(vec![InputChange::Field {
                name: "env VERSION".into(),
                before: Some("1.0".into()),
                after: Some("1.1".into()),
                origin: Some("--build-arg VERSION".into()),
            }])
        );
    }

    #[test]
    fn copy_lists_added_removed_and_modified_files() {
        let old = KeyInputs::new("COPY", None).source(files(&[
            ("a.py", b"1"),
            ("b.py", b"2"),
            ("gone.txt", b"3"),
        ]));
        let new = KeyInputs::new("COPY", None).source(files(&[
            ("a.py", b"1"),
            ("b.py", b"changed"),
            ("new.txt", b"4"),
        ]));
        let MissReason::InputsChanged(changes) = explain_miss(Some(&old), &new, None) else {
            panic!("expected input changes")
        };
        assert_eq!(
            changes,
            [InputChange::Files(FileChanges {
                label: "build context".into(),
                added: vec!["new.txt".into()],
                removed: vec!["gone.txt".into()],
                modified: vec!["b.py".into()],
            })]
        );
    }

    #[test]
    fn a_new_parent_is_the_cascade() {
        let p1 = CacheKey(Digest::of(b"p1"));
        let p2 = CacheKey(Digest::of(b"p2"));
        let old = KeyInputs::new("RUN", Some(p1)).field(Field::new("command", "x"));
        let new = KeyInputs::new("RUN", Some(p2)).field(Field::new("command", "x"));
        assert_eq!(
            explain_miss(Some(&old), &new, Some("[2/5] COPY . /app")),
            MissReason::ParentRebuilt {
                parent: "[2/5] COPY . /app".into(),
                also: vec![]
            }
        );
        assert!(matches!(
            explain_miss(Some(&old), &new, None),
            MissReason::InputsChanged(c) if matches!(&c[0], InputChange::Field { name, .. } if name == "previous state")
        ));
    }

    #[test]
    fn reasons_read_as_sentences() {
        let change = InputChange::Field {
            name: "env VERSION".into(),
            before: Some("1.0".into()),
            after: Some("1.1".into()),
            origin: Some("--build-arg VERSION".into()),
        };
        assert_eq!(
            change.describe(),
            "`VERSION` changed: `1.0` → `1.1` (from --build-arg VERSION)"
        );
        let files = InputChange::Files(FileChanges {
            label: "build context".into(),
            added: vec![".git/index".into()],
            removed: vec![],
            modified: (0..7).map(|i| format!("src/{i}.py")).collect(),
        });
        assert_eq!(
            files.describe(),
            "build context: src/0.py, src/1.py, src/2.py, src/3.py, src/4.py changed and 2 more; .git/index added"
        );
        let cascade = MissReason::ParentRebuilt {
            parent: "[2/5] COPY . /app".into(),
            also: vec![],
        };
        assert_eq!(
            cascade.describe(),
            "the step before it was rebuilt ([2/5] COPY . /app), so its result is new"
        );
    }

    #[test]
    fn the_context_root_is_not_listed_beside_other_paths() {
        let old = KeyInputs::new("COPY", None).source(files(&[("", b"d"), ("a", b"1")]));
        let narrowed = KeyInputs::new("COPY", None).source(files(&[("a", b"1"), ("b", b"2")]));
        let MissReason::InputsChanged(c) = explain_miss(Some(&old), &narrowed, None) else {
            panic!("expected input changes")
        };
        assert_eq!(c[0].describe(), "build context: b added");
        let root_only = KeyInputs::new("COPY", None).source(files(&[("a", b"1")]));
        let MissReason::InputsChanged(c) = explain_miss(Some(&old), &root_only, None) else {
            panic!("expected input changes")
        };
        assert_eq!(c[0].describe(), "build context: . removed");
    }

    #[test]
    fn identical_inputs_mean_the_entry_was_evicted() {
        let k = KeyInputs::new("RUN", None).field(Field::new("command", "x"));
        assert_eq!(explain_miss(Some(&k), &k, None), MissReason::Evicted);
        assert_eq!(explain_miss(None, &k, None), MissReason::NotBuiltBefore);
    }

    #[test]
    fn env_reorder_alone_is_reported() {
        let old = KeyInputs::new("RUN", None)
            .field(Field::new("env A", "1"))
            .field(Field::new("env B", "2"));
        let new = KeyInputs::new("RUN", None)
            .field(Field::new("env B", "2"))
            .field(Field::new("env A", "1"));
        let MissReason::InputsChanged(c) = explain_miss(Some(&old), &new, None) else {
            panic!()
        };
        assert!(matches!(&c[0], InputChange::Field { name, .. } if name == "order"));
    }
}
