//! [`KeyInputs`]: everything an op's cache key is computed from, kept readable.

use layerlab_vfs::{Digest, Hasher};
use std::fmt;

/// An op's cache key: a SHA-256 over a stable byte encoding of its [`KeyInputs`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CacheKey(pub Digest);

impl fmt::Debug for CacheKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CacheKey({})", &self.0.hex()[..12])
    }
}

impl fmt::Display for CacheKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sha256:{}", self.0.hex())
    }
}

/// One named part of an op definition: `command`, `env PATH`, `workdir`, `dest`, ….
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The part's name; the engine uses a fixed vocabulary so explanations can match
    /// fields between builds.
    pub name: String,
    /// Its value.
    pub value: String,
    /// Where the value came from, for explanations (`ARG VERSION on line 3`,
    /// `--build-arg`); not part of the key.
    pub origin: Option<String>,
}

impl Field {
    /// A field without an origin note.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Field {
        Field {
            name: name.into(),
            value: value.into(),
            origin: None,
        }
    }

    /// Adds where the value came from.
    pub fn with_origin(mut self, origin: impl Into<String>) -> Field {
        self.origin = Some(origin.into());
        self
    }
}

/// One file (or directory or symlink) of a content-hashed input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the selection root, `/`-separated.
    pub path: String,
    /// Digest of what BuildKit counts for it: type, mode, uid, gid, size, symlink
    /// target and content, never mtime.
    pub digest: Digest,
}

/// The [`SourceSet::label`] of files from the build context; any other source is a
/// stage's or an image's filesystem.
pub const BUILD_CONTEXT: &str = "build context";

/// A content-hashed input: the files a COPY/ADD selects from the build context, a
/// stage or an image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceSet {
    /// What the files come from (`build context`, `stage build`); not part of the key.
    pub label: String,
    /// The selected files, sorted by path.
    pub files: Vec<SourceFile>,
}

impl SourceSet {
    /// The checksum that enters the key: paths and per-file digests, in path order.
    pub fn checksum(&self) -> Digest {
        let mut h = Hasher::default();
        put_u32(&mut h, self.files.len());
        for file in &self.files {
            put_str(&mut h, &file.path);
            h.update(file.digest.as_bytes());
        }
        h.finish()
    }
}

/// Everything an op's cache key is computed from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyInputs {
    /// The op: `FROM`, `RUN`, `COPY`, `ADD`, `WORKDIR`, `LINK` (the merge of a `--link` copy).
    pub op: String,
    /// The key of the state the op runs on; `None` when the op does not read it
    /// (`FROM`, the copy half of `COPY --link`).
    pub parent: Option<CacheKey>,
    /// The op definition, in a fixed order.
    pub fields: Vec<Field>,
    /// Content-hashed inputs.
    pub sources: Vec<SourceSet>,
}

/// The state key after a `COPY --link`: the linked copy's own key ignores the state
/// before it, but the merged state depends on both, so later ops still miss when
/// anything before changed (semantics §1.7). The engine and what-if both derive it here.
pub fn link_merge_key(before: Option<CacheKey>, copy: CacheKey) -> CacheKey {
    KeyInputs::new("LINK", before)
        .field(Field::new("layer", copy.to_string()))
        .key()
}

impl KeyInputs {
    /// Inputs of an op with no fields yet.
    pub fn new(op: impl Into<String>, parent: Option<CacheKey>) -> KeyInputs {
        KeyInputs {
            op: op.into(),
            parent,
            fields: Vec::new(),
            sources: Vec::new(),
        }
    }

    /// Appends a field.
    pub fn field(mut self, field: Field) -> KeyInputs {
        self.fields.push(field);
        self
    }

    /// Appends a content-hashed input.
    pub fn source(mut self, source: SourceSet) -> KeyInputs {
        self.sources.push(source);
        self
    }

    /// The cache key. Lengths are fixed-width little-endian so the encoding is the same
    /// on every target (no `usize`), and each string is length-prefixed so no two input
    /// lists encode alike. Origins and labels are explanations, not inputs.
    pub fn key(&self) -> CacheKey {
        let mut h = Hasher::default();
        h.update(b"layerlab-cache-key-v1\0");
        put_str(&mut h, &self.op);
        match &self.parent {
            Some(parent) => {
                h.update(&[1]);
                h.update(parent.0.as_bytes());
            }
            None => h.update(&[0]),
        }
        put_u32(&mut h, self.fields.len());
        for field in &self.fields {
            put_str(&mut h, &field.name);
            put_str(&mut h, &field.value);
        }
        put_u32(&mut h, self.sources.len());
        for source in &self.sources {
            h.update(source.checksum().as_bytes());
        }
        CacheKey(h.finish())
    }
}

fn put_u32(h: &mut Hasher, n: usize) {
    h.update(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn put_str(h: &mut Hasher, s: &str) {
    put_u32(h, s.len());
    h.update(s.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn run(cmd: &str) -> KeyInputs {
        KeyInputs::new("RUN", None).field(Field::new("command", cmd))
    }

    #[test]
    fn key_depends_on_inputs_not_on_explanations() {
        assert_eq!(run("a").key(), run("a").key());
        assert_ne!(run("a").key(), run("b").key());
        let noted =
            KeyInputs::new("RUN", None).field(Field::new("command", "a").with_origin("line 3"));
        assert_eq!(noted.key(), run("a").key());
    }

    #[test]
    fn field_boundaries_cannot_collide() {
        let ab = KeyInputs::new("RUN", None)
            .field(Field::new("x", "ab"))
            .field(Field::new("y", ""));
        let a_b = KeyInputs::new("RUN", None)
            .field(Field::new("x", "a"))
            .field(Field::new("y", "b"));
        assert_ne!(ab.key(), a_b.key());
    }

    #[test]
    fn parent_and_sources_enter_the_key() {
        let parent = run("p").key();
        assert_ne!(
            KeyInputs::new("RUN", Some(parent)).key(),
            KeyInputs::new("RUN", None).key()
        );
        let files = |d: &[u8]| SourceSet {
            label: "build context".into(),
            files: vec![SourceFile {
                path: "a".into(),
                digest: Digest::of(d),
            }],
        };
        let one = KeyInputs::new("COPY", None).source(files(b"1"));
        let two = KeyInputs::new("COPY", None).source(files(b"2"));
        assert_ne!(one.key(), two.key());
    }
}
