//! [`Error`]: what went wrong reading or writing images, and where.
//!
//! Every error carries a [`Location`]: the archive member (e.g. `blobs/sha256/ab…`, or
//! `layer 2`), the tar entry name and the byte offset of its header when known, so a
//! user can find the offending bytes with `tar tvf` or a hex editor.

use std::fmt;

/// The category of an [`Error`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes are not a well-formed tar (bad checksum, truncated, bad number).
    MalformedTar,
    /// A path that could escape the root or is otherwise unacceptable (`..`, absolute,
    /// NUL, a `.wh.` name that is not a valid whiteout).
    UnsafePath,
    /// A size or count cap was hit (decompression bomb, too many entries, too deep).
    LimitExceeded,
    /// A file the archive's index refers to is absent.
    MissingFile,
    /// Bytes do not hash to the digest that names them.
    DigestMismatch,
    /// A JSON document is invalid or lacks a required field.
    InvalidJson,
    /// The archive is neither an OCI layout nor a `docker save` tarball, or uses an
    /// unsupported feature (media type, digest algorithm).
    Unsupported,
    /// A gzip stream is corrupt.
    Gzip,
    /// Applying a layer to the filesystem failed (e.g. a hard link to nothing).
    Apply,
}

/// Where an [`Error`] happened.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// The archive member or layer, e.g. `index.json` or `layer 1 (blobs/sha256/…)`.
    pub file: Option<String>,
    /// The tar entry name inside that member.
    pub entry: Option<String>,
    /// Byte offset of the tar header (or of the problem) inside that member.
    pub offset: Option<u64>,
}

/// An image read/write failure: kind, lowercase message, location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// Category.
    pub kind: ErrorKind,
    /// Human-readable description, lowercase, no trailing period.
    pub message: String,
    /// Where.
    pub location: Location,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            location: Location::default(),
        }
    }

    pub(crate) fn at_offset(mut self, offset: u64) -> Self {
        self.location.offset.get_or_insert(offset);
        self
    }

    pub(crate) fn in_entry(mut self, entry: &str) -> Self {
        self.location.entry.get_or_insert_with(|| entry.to_owned());
        self
    }

    /// Adds the enclosing file when none is recorded yet (inner context wins).
    pub(crate) fn in_file(mut self, file: &str) -> Self {
        self.location.file.get_or_insert_with(|| file.to_owned());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let l = &self.location;
        if let Some(file) = &l.file {
            write!(f, "{file}: ")?;
        }
        if let Some(entry) = &l.entry {
            write!(f, "entry {entry:?}: ")?;
        }
        if let Some(offset) = l.offset {
            write!(f, "at byte {offset}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Shorthand.
pub type Result<T, E = Error> = std::result::Result<T, E>;
