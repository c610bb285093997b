//! `layerlab_vfs`: the in-memory filesystem layerlab builds run on.
//!
//! * [`Fs`]: a tree of [`Node`]s (files, directories, symlinks) with mode, owner and
//!   mtime; POSIX-like operations with errno-style [`FsError`]s; symlink resolution
//!   that never leaves the root; O(1) snapshots by structural sharing.
//! * [`Content`]: inline bytes or synthetic `(seed, len)` content generated on demand,
//!   with a memoized SHA-256 [`Digest`].
//! * [`diff`]: the [`ChangeSet`] between two snapshots, in the order a layer tar lists it.
//!
//! The crate is IO-free and deterministic: it compiles to `wasm32-unknown-unknown` and
//! gives the same results there.
//!
//! ```
//! use layerlab_vfs::{diff, Content, Fs, Meta, VfsPath};
//!
//! let mut fs = Fs::default();
//! fs.mkdir_p(&VfsPath::new("/app"), Meta::new(0o755)).unwrap();
//! let before = fs.clone(); // a snapshot: O(1)
//! fs.write_file(&VfsPath::new("/app/hello.txt"), Content::inline("hello\n"), Meta::new(0o644))
//!     .unwrap();
//! let changes = diff(&before, &fs);
//! assert_eq!(changes.changes.len(), 1);
//! assert_eq!(changes.changes[0].path.as_str(), "/app/hello.txt");
//! ```

#![deny(missing_docs)]
#![warn(clippy::disallowed_methods)]

mod content;
mod diff;
mod digest;
mod error;
mod fs;
mod node;
mod path;
mod time;

pub use content::{fill_synthetic, Content, ContentKind, CHUNK};
pub use diff::{diff, Change, ChangeKind, ChangeSet};
pub use digest::{Digest, Hasher};
pub use error::{ErrorKind, FsError, FsErrorInfo};
pub use fs::{Fs, WalkEntry, MAX_RESOLVE_STEPS, MAX_SYMLINKS};
pub use node::{Dir, File, Meta, Node, NodeType, Symlink};
pub use path::VfsPath;
pub use time::{civil_time, CivilTime};
