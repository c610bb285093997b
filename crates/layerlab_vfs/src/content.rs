//! File content: inline bytes or compact synthetic content generated on demand.
//!
//! A simulated `apt-get install` may add hundreds of megabytes; holding them would sink
//! the browser tab. [`Content::synthetic`] describes such bytes by `(seed, len)` and a
//! cheap deterministic generator produces any chunk when a tar writer asks for it. The
//! SHA-256 of every content is computed at most once and memoized; clones share it.

use crate::digest::{Digest, Hasher};
use std::fmt;
use std::sync::{Arc, OnceLock};

/// The bytes of a regular file. Cloning is cheap (an `Arc`).
#[derive(Clone)]
pub struct Content(Arc<Inner>);

struct Inner {
    data: Data,
    digest: OnceLock<Digest>,
}

#[derive(PartialEq, Eq)]
enum Data {
    Inline(Box<[u8]>),
    Synthetic { seed: u64, len: u64 },
}

/// How a [`Content`] is represented, for views that want to say "generated".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ContentKind<'a> {
    /// Real bytes held in memory.
    Inline(&'a [u8]),
    /// Deterministic pseudo-random bytes described by a seed and a length.
    Synthetic {
        /// Generator seed.
        seed: u64,
        /// Length in bytes.
        len: u64,
    },
}

/// Chunk size used when streaming synthetic content (64 KiB keeps memory flat).
pub const CHUNK: usize = 64 * 1024;

impl Content {
    /// Content holding these exact bytes.
    pub fn inline(bytes: impl Into<Vec<u8>>) -> Self {
        Self::from_data(Data::Inline(bytes.into().into_boxed_slice()))
    }

    /// `len` bytes generated from `seed`; nothing is allocated until read.
    pub fn synthetic(seed: u64, len: u64) -> Self {
        Self::from_data(Data::Synthetic { seed, len })
    }

    fn from_data(data: Data) -> Self {
        Content(Arc::new(Inner {
            data,
            digest: OnceLock::new(),
        }))
    }

    /// Length in bytes.
    pub fn len(&self) -> u64 {
        match &self.0.data {
            Data::Inline(b) => b.len() as u64,
            Data::Synthetic { len, .. } => *len,
        }
    }

    /// True for zero-length content.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The representation.
    pub fn kind(&self) -> ContentKind<'_> {
        match &self.0.data {
            Data::Inline(b) => ContentKind::Inline(b),
            Data::Synthetic { seed, len } => ContentKind::Synthetic {
                seed: *seed,
                len: *len,
            },
        }
    }

    /// The inline bytes, or `None` for synthetic content (use [`Content::for_each_chunk`]).
    pub fn as_inline(&self) -> Option<&[u8]> {
        match &self.0.data {
            Data::Inline(b) => Some(b),
            Data::Synthetic { .. } => None,
        }
    }

    /// All bytes in one buffer. Allocates `len` bytes: meant for small files and tests.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.for_each_chunk(|c| out.extend_from_slice(c));
        out
    }

    /// Calls `f` with consecutive chunks (at most [`CHUNK`] bytes each for synthetic
    /// content) that together are the whole content.
    pub fn for_each_chunk(&self, mut f: impl FnMut(&[u8])) {
        match &self.0.data {
            Data::Inline(b) => f(b),
            Data::Synthetic { seed, len } => {
                let mut buf = vec![0u8; CHUNK.min(*len as usize)];
                let mut offset = 0u64;
                while offset < *len {
                    let n = (*len - offset).min(CHUNK as u64) as usize;
                    fill_synthetic(*seed, offset, &mut buf[..n]);
                    f(&buf[..n]);
                    offset += n as u64;
                }
            }
        }
    }

    /// The first `n` bytes (fewer for shorter content), without generating the rest.
    fn prefix(&self, n: usize) -> Vec<u8> {
        match &self.0.data {
            Data::Inline(b) => b[..n.min(b.len())].to_vec(),
            Data::Synthetic { seed, len } => {
                let mut out = vec![0u8; n.min(*len as usize)];
                fill_synthetic(*seed, 0, &mut out);
                out
            }
        }
    }

    /// SHA-256 of the bytes, computed once and memoized (shared by all clones).
    pub fn digest(&self) -> Digest {
        *self.0.digest.get_or_init(|| {
            let mut h = Hasher::default();
            self.for_each_chunk(|c| h.update(c));
            h.finish()
        })
    }

    /// The digest if already computed; never hashes.
    pub fn cached_digest(&self) -> Option<Digest> {
        self.0.digest.get().copied()
    }
}

/// Fills `out` with the synthetic bytes of `seed` starting at byte `offset`.
///
/// Each 8-byte block is SplitMix64 of `(seed, block index)`, so any chunk can be produced
/// independently of the ones before it, and the stream is identical on every target.
pub fn fill_synthetic(seed: u64, offset: u64, out: &mut [u8]) {
    let mut block = offset / 8;
    let mut skip = (offset % 8) as usize;
    let mut i = 0;
    while i < out.len() {
        let word = splitmix64(seed ^ block.wrapping_mul(0x9E37_79B9_7F4A_7C15)).to_le_bytes();
        let take = (8 - skip).min(out.len() - i);
        out[i..i + take].copy_from_slice(&word[skip..skip + take]);
        i += take;
        skip = 0;
        block += 1;
    }
}

fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl PartialEq for Content {
    /// Equal bytes. Cheap when the two share storage or describe the same synthetic
    /// stream; otherwise compares inline bytes or (memoized) digests.
    fn eq(&self, other: &Self) -> bool {
        if Arc::ptr_eq(&self.0, &other.0) || self.0.data == other.0.data {
            return true;
        }
        if self.len() != other.len() {
            return false;
        }
        match (&self.0.data, &other.0.data) {
            (Data::Inline(a), Data::Inline(b)) => a == b,
            // Different generated streams almost always differ in their first bytes:
            // compare a short prefix before paying for two full hashes.
            _ => self.prefix(64) == other.prefix(64) && self.digest() == other.digest(),
        }
    }
}

impl Eq for Content {}

impl fmt::Debug for Content {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.data {
            Data::Inline(b) if b.len() <= 64 => {
                write!(f, "Inline({:?})", String::from_utf8_lossy(b))
            }
            Data::Inline(b) => write!(f, "Inline({} bytes)", b.len()),
            Data::Synthetic { seed, len } => write!(f, "Synthetic(seed={seed}, len={len})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_chunks_are_position_independent() {
        let c = Content::synthetic(7, 200_003);
        let all = c.to_vec();
        assert_eq!(all.len(), 200_003);
        let mut part = vec![0u8; 13];
        fill_synthetic(7, 100_001, &mut part);
        assert_eq!(&all[100_001..100_014], &part[..]);
        assert_eq!(Content::inline(all), c);
    }

    #[test]
    fn digest_is_memoized_across_clones() {
        let c = Content::synthetic(1, 10);
        let d = c.clone();
        assert!(d.cached_digest().is_none());
        let x = c.digest();
        assert_eq!(d.cached_digest(), Some(x));
    }

    #[test]
    fn different_synthetic_streams_compare_unequal_without_hashing() {
        let a = Content::synthetic(1, 10_000_000);
        let b = Content::synthetic(2, 10_000_000);
        assert_ne!(a, b);
        assert!(a.cached_digest().is_none() && b.cached_digest().is_none());
        let c = Content::inline(Content::synthetic(3, 100).to_vec());
        assert_eq!(c, Content::synthetic(3, 100));
    }
}
