//! Why a link could not be read, and where.

use std::fmt;

/// Where in a link decoding stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum At {
    /// The link as a whole (its version, its length).
    Link,
    /// A character of the base64url text after `v1:`, counted from 0.
    Char(usize),
    /// A byte of the inflated payload, counted from 0.
    Byte(usize),
    /// A file entry (its path as far as it could be read).
    File(String),
}

/// A link that cannot be read (or a state that cannot be shared): a message and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShareError {
    /// What is wrong, for a person.
    pub message: String,
    /// Where it was found.
    pub at: At,
}

impl ShareError {
    pub(crate) fn new(at: At, message: impl Into<String>) -> ShareError {
        ShareError {
            message: message.into(),
            at,
        }
    }
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            At::Link => write!(f, "share link: {}", self.message),
            At::Char(i) => write!(f, "share link, character {i}: {}", self.message),
            At::Byte(i) => write!(f, "share link payload, byte {i}: {}", self.message),
            At::File(path) => write!(f, "share link, file {path:?}: {}", self.message),
        }
    }
}

impl std::error::Error for ShareError {}
