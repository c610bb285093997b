//! The project a lesson works on: the Dockerfile, the `.dockerignore` and the context
//! files, changed by each build's edits, and turned into the context `docker build`
//! sends (the ignore file applied, as the client's walk does).

use crate::format::{Edits, FileEdit};
use layerlab_dockerignore::{walk, ContextEntry, ContextTree, IgnoreFile, Matcher};
use layerlab_vfs::{Content, Digest, Fs, Meta, VfsPath};
use std::collections::BTreeMap;

/// A context file: its text, permission bits and modification time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectFile {
    /// The content (empty for a stand-in file, see `size`).
    pub text: String,
    /// `Some(n)`: n bytes of deterministic stand-in content instead of `text`.
    pub size: Option<u64>,
    /// Permission bits.
    pub mode: u32,
    /// Modification time (seconds; BuildKit ignores it for the cache).
    pub mtime: i64,
}

impl ProjectFile {
    /// The file's length in bytes.
    pub fn len(&self) -> u64 {
        self.size.unwrap_or(self.text.len() as u64)
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The content: the text, or stand-in bytes seeded by the path (so the same
    /// file has the same digest on every run and target, and two stand-in files of
    /// one size still differ).
    pub fn content(&self, path: &str) -> Content {
        match self.size {
            Some(n) => {
                let d = Digest::of(path.as_bytes());
                let b = d.as_bytes();
                let seed = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
                Content::synthetic(seed, n)
            }
            None => Content::inline(self.text.clone()),
        }
    }
}

/// The project state between builds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Project {
    /// The Dockerfile.
    pub dockerfile: String,
    /// The `.dockerignore`, if the project has one.
    pub dockerignore: Option<String>,
    /// Other context files by path relative to the context root (sorted, so every
    /// walk over them is deterministic).
    pub files: BTreeMap<String, ProjectFile>,
}

/// The context a build gets: the files sent and the ignore rules that left others out.
pub struct Context {
    /// The files sent, as an `Fs` rooted at the context.
    pub fs: Fs,
    /// The ignore rules (empty when the project has no `.dockerignore`).
    pub matcher: Matcher,
}

impl Context {
    /// Why `path` is not in the context (the deciding `.dockerignore` rule), or `None`
    /// when it is sent: the engine names the rule when a COPY source is missing.
    pub fn excluded(&self, path: &str) -> Option<String> {
        why_excluded(".dockerignore", &self.matcher, path)
    }
}

/// Why `matcher`, read from the ignore file `file`, leaves `path` out of the context,
/// naming that file (the rule alone, `` `.env` (line 5)``, reads as if the path excluded
/// itself), or `None` when the path is sent.
pub fn why_excluded(file: &str, matcher: &Matcher, path: &str) -> Option<String> {
    let e = matcher.explain(path).ok()?;
    e.excluded
        .then(|| format!("{file}: {}", matcher.describe(&e)))
}

impl Project {
    /// The project an edit list describes from nothing (a lesson's initial state).
    pub fn from_edits(edits: &Edits) -> Project {
        let mut p = Project::default();
        p.apply(edits);
        p
    }

    /// Applies a build's edits, in order.
    pub fn apply(&mut self, edits: &Edits) {
        if let Some(d) = &edits.dockerfile {
            self.dockerfile = d.clone();
        }
        if let Some(i) = &edits.dockerignore {
            self.dockerignore = Some(i.clone());
        }
        for f in &edits.files {
            match f {
                FileEdit::Write {
                    path,
                    text,
                    mode,
                    mtime,
                    size,
                } => {
                    self.files.insert(
                        path.clone(),
                        ProjectFile {
                            text: text.clone(),
                            size: *size,
                            mode: *mode,
                            mtime: *mtime,
                        },
                    );
                }
                FileEdit::Remove(path) => {
                    self.files.remove(path);
                }
            }
        }
    }

    /// Every context file with the Dockerfile and ignore file included (the client
    /// sends them too unless the ignore file excludes them). A context file with the
    /// same name wins, as on disk there is only one.
    pub fn all_files(&self) -> BTreeMap<String, ProjectFile> {
        let mut all = self.files.clone();
        let file = |text: &str| ProjectFile {
            text: text.to_string(),
            size: None,
            mode: 0o644,
            mtime: 0,
        };
        all.entry("Dockerfile".into())
            .or_insert_with(|| file(&self.dockerfile));
        if let Some(i) = &self.dockerignore {
            all.entry(".dockerignore".into()).or_insert_with(|| file(i));
        }
        all
    }

    /// The context the client sends: the ignore file applied with BuildKit's walk.
    pub fn context(&self) -> Result<Context, String> {
        let ignore = IgnoreFile::parse(self.dockerignore.as_deref().unwrap_or(""));
        let matcher = ignore
            .matcher()
            .map_err(|e| format!(".dockerignore: {}", e.to_diagnostic().message))?;
        let files = self.all_files();
        let tree = ContextTree::new(
            files
                .iter()
                .map(|(p, f)| ContextEntry::file(p.clone(), f.len())),
        );
        let walked = walk(&matcher, &tree).map_err(|e| e.message().to_string())?;
        let mut fs = Fs::new(Meta::new(0o755));
        for i in walked.sent() {
            let entry = &tree.entries()[i];
            let path = VfsPath::new(&format!("/{}", entry.path));
            if entry.is_dir() {
                fs.mkdir_p(&path, Meta::new(0o755))
                    .map_err(|e| format!("{}: {e}", entry.path))?;
            } else if let Some(f) = files.get(&entry.path) {
                fs.write_file(
                    &path,
                    f.content(&entry.path),
                    Meta::new(f.mode).with_mtime(f.mtime),
                )
                .map_err(|e| format!("{}: {e}", entry.path))?;
            }
        }
        Ok(Context { fs, matcher })
    }
}
