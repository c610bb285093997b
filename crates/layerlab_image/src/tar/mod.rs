//! Tar encoding and decoding, written for exact control over every header byte.
//!
//! The writer reproduces Go's `archive/tar` choices (what containerd, and so BuildKit,
//! use for layers), so identical trees give identical digests: USTAR headers, a
//! `prefix` split for long ASCII names, a PAX extended header only when a field does
//! not fit, two zero blocks at the end and no record padding. The reader accepts
//! USTAR, PAX and GNU long names from untrusted bytes without panicking.

mod read;
mod write;

pub use read::{read_tar, TarEntry, TarLimits, TarType};
pub(crate) use write::{encoded_header_len, padding};
pub use write::{write_header, HeaderSpec, BLOCK};
