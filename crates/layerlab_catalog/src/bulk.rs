//! Deterministic expansion of bulk content: "N files under a directory totalling S
//! bytes" becomes N plausible names with sizes that add up to exactly S.
//!
//! Names are built from a fixed syllable list, so `/usr/lib/x86_64-linux-gnu` gets
//! entries like `libgnutls.so.6`, not `file0001`. Everything derives from a 64-bit seed
//! (FNV-1a of the layer key and the path), so every target and every run produce the
//! same tree, and so the same layer digests.

use std::collections::BTreeSet;

/// One expanded file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BulkFile {
    pub(crate) name: String,
    pub(crate) size: u64,
    /// Seed of its synthetic content.
    pub(crate) seed: u64,
}

/// FNV-1a 64 of `key`, a NUL, then `path`: stable seeds without a hashing crate.
pub(crate) fn seed(key: &str, path: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key.bytes().chain([0u8]).chain(path.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// SplitMix64 step: a tiny, well-mixed generator that is the same on every target.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

// Fragments of real library and module names; two or three make a plausible name.
const SYLLABLES: &[&str] = &[
    "ac", "acl", "apt", "attr", "audit", "blk", "bz", "cap", "com", "crypt", "curl", "db", "dbus",
    "dev", "elf", "err", "ext", "ffi", "gc", "gcrypt", "gdbm", "gmp", "gnu", "gpg", "hog", "icu",
    "idn", "ini", "io", "jit", "kmod", "krb", "lber", "ldap", "lz", "magic", "mount", "ncurses",
    "net", "nettle", "nss", "pam", "pcre", "pipe", "proc", "psl", "py", "read", "rt", "sasl",
    "sec", "selinux", "sem", "smart", "sql", "ssh", "ssl", "std", "syst", "tasn", "term", "tic",
    "tls", "uu", "uuid", "xml", "xxh", "yaml", "z", "zstd",
];

fn word(state: &mut u64) -> String {
    let n = 2 + (next(state) % 2) as usize;
    let mut w = String::new();
    for _ in 0..n {
        w.push_str(SYLLABLES[(next(state) % SYLLABLES.len() as u64) as usize]);
    }
    w
}

/// `count` files whose sizes sum to `bytes`, named by `pattern` (`#` is replaced by a
/// generated word; a name that repeats gets a numeric suffix), sorted by name.
pub(crate) fn expand(seed: u64, count: u32, bytes: u64, pattern: &str) -> Vec<BulkFile> {
    if count == 0 {
        return Vec::new();
    }
    let mut state = seed;
    // Skewed weights (1..=64, squared) give a few big files and many small ones, like a
    // real lib directory.
    let weights: Vec<u64> = (0..count)
        .map(|_| {
            let w = 1 + next(&mut state) % 64;
            w * w
        })
        .collect();
    let total: u128 = weights.iter().map(|w| u128::from(*w)).sum();
    let mut names = BTreeSet::new();
    let mut out = Vec::with_capacity(count as usize);
    let mut acc: u128 = 0;
    let mut assigned = 0u64;
    for (i, w) in weights.iter().enumerate() {
        acc += u128::from(*w);
        let upto = (u128::from(bytes) * acc / total) as u64;
        let size = upto - assigned;
        assigned = upto;
        let mut name = pattern.replacen('#', &word(&mut state), 1);
        if !names.insert(name.clone()) {
            name = format!("{name}.{i}");
            names.insert(name.clone());
        }
        out.push(BulkFile {
            name,
            size,
            seed: next(&mut state),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_add_up_and_names_are_unique() {
        let files = expand(42, 500, 123_456_789, "lib#.so.1");
        assert_eq!(files.len(), 500);
        assert_eq!(files.iter().map(|f| f.size).sum::<u64>(), 123_456_789);
        let names: BTreeSet<_> = files.iter().map(|f| &f.name).collect();
        assert_eq!(names.len(), 500);
        assert!(files[0].name.starts_with("lib") && files[0].name.ends_with(".so.1"));
    }

    #[test]
    fn expansion_is_deterministic() {
        assert_eq!(expand(7, 20, 1000, "#.py"), expand(7, 20, 1000, "#.py"));
        assert_ne!(expand(7, 20, 1000, "#.py"), expand(8, 20, 1000, "#.py"));
    }
}
