//! What a share link carries: the build context, the build options and where the user
//! was looking.

use std::collections::{BTreeMap, BTreeSet};

/// One file of the shared build context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SharedFile {
    /// A file whose text travels in the link.
    Text(String),
    /// A file known only by its size (an uploaded folder's dependencies, a binary): the
    /// build sees stand-in content of that size.
    Sized(u64),
}

impl SharedFile {
    /// The size in bytes.
    pub fn size(&self) -> u64 {
        match self {
            SharedFile::Text(text) => text.len() as u64,
            SharedFile::Sized(size) => *size,
        }
    }
}

/// The page's whole state, as a link restores it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareState {
    /// The build context's files, by `/`-separated path relative to its root.
    pub files: BTreeMap<String, SharedFile>,
    /// Directories that exist even with nothing inside.
    pub dirs: BTreeSet<String>,
    /// The Dockerfile's path in the context (`docker build -f`).
    pub dockerfile: String,
    /// `--build-arg`s, `K=V` one per line, as typed.
    pub build_args: String,
    /// `--target`, empty for the last stage.
    pub target: String,
    /// `--no-cache`.
    pub no_cache: bool,
    /// The panel the page showed (`instructions`, `build`, …); empty for the default.
    pub view: String,
    /// The file open in the editor; empty for the Dockerfile.
    pub open: String,
}

impl ShareState {
    /// An empty context whose Dockerfile is at `dockerfile`, default options.
    pub fn new(dockerfile: &str) -> ShareState {
        ShareState {
            files: BTreeMap::new(),
            dirs: BTreeSet::new(),
            dockerfile: dockerfile.to_string(),
            build_args: String::new(),
            target: String::new(),
            no_cache: false,
            view: String::new(),
            open: String::new(),
        }
    }
}
