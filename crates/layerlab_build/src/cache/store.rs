//! [`CacheStore`]: results by cache key, and the previous build's steps for explanations.

use super::inputs::{CacheKey, KeyInputs};
use layerlab_image::Layer;
use std::collections::BTreeMap;

/// A cached op result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CacheEntry {
    /// What the key was computed from.
    pub inputs: KeyInputs,
    /// What the op changed; replayed on a hit.
    pub layer: Layer,
    /// The modeled time executing the op took, so a hit can show the time it saved.
    pub duration_ms: u32,
}

/// One step of a build, remembered so the next build can say what changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRecord {
    /// A stable identity for "the same step" across builds: stage and op position.
    pub id: String,
    /// How the step was shown (`[2/5] RUN npm ci`).
    pub label: String,
    /// Its key inputs.
    pub inputs: KeyInputs,
}

/// The build cache that persists between builds (BuildKit's local cache, in miniature).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CacheStore {
    entries: BTreeMap<CacheKey, CacheEntry>,
    previous: Vec<StepRecord>,
}

impl CacheStore {
    /// The entry for `key`.
    pub fn get(&self, key: &CacheKey) -> Option<&CacheEntry> {
        self.entries.get(key)
    }

    /// Records a result.
    pub fn insert(&mut self, key: CacheKey, entry: CacheEntry) {
        self.entries.insert(key, entry);
    }

    /// All entries, by key.
    pub fn entries(&self) -> &BTreeMap<CacheKey, CacheEntry> {
        &self.entries
    }

    /// The steps of the previous build.
    pub fn previous_build(&self) -> &[StepRecord] {
        &self.previous
    }

    /// The previous build's step with this identity.
    pub fn previous_step(&self, id: &str) -> Option<&StepRecord> {
        self.previous.iter().find(|s| s.id == id)
    }

    /// Remembers this build's steps for the next build's explanations.
    pub fn set_previous_build(&mut self, steps: Vec<StepRecord>) {
        self.previous = steps;
    }

    /// Remembers a build's steps after it ran. Steps it did not run keep the record of
    /// the last build that ran them when `kept` says so (the engine keeps those of stages
    /// `--target` skipped, and every step a failed build never reached), so their next
    /// miss is compared with what was really built rather than reported as never built.
    /// Any other old record is forgotten: the build is the whole truth about it.
    pub fn record_build(&mut self, steps: Vec<StepRecord>, kept: impl Fn(&StepRecord) -> bool) {
        let older: Vec<StepRecord> = std::mem::take(&mut self.previous)
            .into_iter()
            .filter(|old| kept(old) && !steps.iter().any(|s| s.id == old.id))
            .collect();
        self.previous = steps;
        self.previous.extend(older);
    }

    /// Forgets every result (`docker builder prune`); the previous build's steps are
    /// kept so the next build can still say what changed.
    pub fn prune(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::super::inputs::{Field, SourceFile, SourceSet};
    use super::*;
    use layerlab_image::{EntryKind, LayerEntry};
    use layerlab_vfs::{Content, Digest, Meta, VfsPath};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn sample() -> CacheStore {
        let inputs = KeyInputs::new("COPY", None)
            .field(Field::new("dest", "/app/").with_origin("line 4"))
            .source(SourceSet {
                label: "build context".into(),
                files: vec![SourceFile {
                    path: "src/a.js".into(),
                    digest: Digest::of(b"x"),
                }],
            });
        let entry = |path: &str, kind, meta| LayerEntry {
            path: VfsPath::new(path),
            kind,
            meta,
        };
        let layer = Layer::from_entries(vec![
            entry("/app", EntryKind::Dir, Meta::new(0o755).with_owner(1, 2)),
            entry(
                "/app/a",
                EntryKind::File(Content::inline("hé")),
                Meta::new(0o600),
            ),
            entry("/app/b", EntryKind::Symlink("a".into()), Meta::new(0o777)),
            entry(
                "/app/c",
                EntryKind::Hardlink(VfsPath::new("/app/a")),
                Meta::new(0o600),
            ),
            entry(
                "/big",
                EntryKind::File(Content::synthetic(3, 1 << 30)),
                Meta::new(0o644),
            ),
            entry("/gone", EntryKind::Whiteout, Meta::new(0)),
            entry(
                "/opaque",
                EntryKind::Opaque,
                Meta::new(0o755).with_mtime(-5),
            ),
        ]);
        let mut store = CacheStore::default();
        let key = inputs.key();
        store.set_previous_build(vec![StepRecord {
            id: "stage-0#1".into(),
            label: "[2/2] COPY . /app/".into(),
            inputs: inputs.clone(),
        }]);
        store.insert(
            key,
            CacheEntry {
                inputs,
                layer,
                duration_ms: 1200,
            },
        );
        store
    }

    #[test]
    fn steps_a_build_did_not_run_keep_their_record_when_asked() {
        let record = |id: &str, cmd: &str| StepRecord {
            id: id.into(),
            label: id.into(),
            inputs: KeyInputs::new("RUN", None).field(Field::new("command", cmd)),
        };
        let mut store = CacheStore::default();
        store.record_build(vec![record("s#1", "a"), record("s#2", "b")], |_| false);
        store.record_build(vec![record("s#1", "fails")], |_| true);
        assert_eq!(store.previous_step("s#1"), Some(&record("s#1", "fails")));
        assert_eq!(store.previous_step("s#2"), Some(&record("s#2", "b")));
        // A complete build is the whole truth: a step it no longer has is forgotten.
        store.record_build(vec![record("s#1", "a")], |_| false);
        assert_eq!(store.previous_step("s#2"), None);
    }

    #[test]
    fn bytes_round_trip_and_synthetic_content_stays_small() {
        let store = sample();
        let bytes = store.to_bytes();
        assert!(
            bytes.len() < 1024,
            "1 GiB of synthetic content must not be stored"
        );
        assert_eq!(CacheStore::from_bytes(&bytes).unwrap(), store);
    }

    #[test]
    fn every_truncation_and_corruption_is_an_error_not_a_panic() {
        let bytes = sample().to_bytes();
        for len in 0..bytes.len() {
            assert!(CacheStore::from_bytes(&bytes[..len]).is_err());
        }
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0xff;
            let _ = CacheStore::from_bytes(&bad);
        }
    }
}
