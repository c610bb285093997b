//! Caps for untrusted links, so a hostile link cannot exhaust memory or time.

/// Caps checked by [`crate::decode`] (and by [`crate::encode`], so every link the page
/// makes can be opened again).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Longest link text after the `v1:` prefix, in characters. Chromium keeps URLs up
    /// to 2 MB; links are meant to be pasted, so the default is far below.
    pub max_link: usize,
    /// Largest inflated payload, in bytes (a 1 KiB deflate stream can claim gigabytes).
    pub max_payload: usize,
    /// Most files plus directories.
    pub max_entries: usize,
    /// Longest path, in bytes (Linux's `PATH_MAX`).
    pub max_path: usize,
    /// Largest sum of size-only files' sizes: the build generates and hashes stand-in
    /// content of that size, so this bounds its time.
    pub max_sized_total: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_link: 1 << 20,
            max_payload: 8 << 20,
            max_entries: 20_000,
            max_path: 4096,
            max_sized_total: 256 << 20,
        }
    }
}
