//! [`FsError`]: errno-style failures of filesystem operations, with the path involved.

use crate::path::VfsPath;
use std::fmt;

/// What went wrong, modelled on the errno values coreutils report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// ENOENT.
    NotFound,
    /// ENOTDIR: a path component (or the target) is not a directory.
    NotADirectory,
    /// EISDIR.
    IsADirectory,
    /// EEXIST.
    AlreadyExists,
    /// ENOTEMPTY.
    DirectoryNotEmpty,
    /// ELOOP: too many symlinks while resolving.
    TooManyLinks,
    /// EINVAL: e.g. renaming a directory into itself, or an operation on `/`.
    InvalidArgument,
}

impl ErrorKind {
    /// The strerror text, e.g. `No such file or directory`, for shell-style messages
    /// such as `cp: cannot stat 'x': No such file or directory`.
    pub fn strerror(self) -> &'static str {
        match self {
            ErrorKind::NotFound => "No such file or directory",
            ErrorKind::NotADirectory => "Not a directory",
            ErrorKind::IsADirectory => "Is a directory",
            ErrorKind::AlreadyExists => "File exists",
            ErrorKind::DirectoryNotEmpty => "Directory not empty",
            ErrorKind::TooManyLinks => "Too many levels of symbolic links",
            ErrorKind::InvalidArgument => "Invalid argument",
        }
    }
}

/// A failed filesystem operation: the kind and the path it failed on.
///
/// Boxed, so the error side of every `Result` the tree returns is one pointer: a
/// `Result<(), FsError>` is one word, and the success path (far the common one) moves
/// and checks less in the shell, the build engine and the page. Field access reads
/// through [`Deref`](std::ops::Deref): `err.kind`, `err.path`.
#[derive(Clone, PartialEq, Eq)]
pub struct FsError(Box<FsErrorInfo>);

/// What an [`FsError`] says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FsErrorInfo {
    /// The errno-like kind.
    pub kind: ErrorKind,
    /// The path the operation failed on (as given, normalized).
    pub path: VfsPath,
}

impl FsError {
    /// A `kind` error on `path`.
    pub fn new(kind: ErrorKind, path: &VfsPath) -> Self {
        FsError(Box::new(FsErrorInfo {
            kind,
            path: path.clone(),
        }))
    }
}

impl std::ops::Deref for FsError {
    type Target = FsErrorInfo;

    fn deref(&self) -> &FsErrorInfo {
        &self.0
    }
}

// As the unboxed struct printed: `FsError { kind: NotFound, path: "/x" }`.
impl fmt::Debug for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FsError")
            .field("kind", &self.kind)
            .field("path", &self.path)
            .finish()
    }
}

impl fmt::Display for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.kind.strerror())
    }
}

impl std::error::Error for FsError {}
