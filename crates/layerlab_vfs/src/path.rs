//! [`VfsPath`]: an absolute, lexically normalized, `/`-separated path.
//!
//! No `std::path` in the API: the simulated system is always Linux, whatever the host.
//! Normalization is purely lexical (`.` dropped, `..` pops, clamped at `/`), which is
//! what BuildKit does to Dockerfile paths before touching a filesystem; symlinks are
//! resolved later by [`crate::Fs`], also without ever leaving the root.

use std::fmt;

/// An absolute normalized path such as `/` or `/usr/bin/env`.
///
/// Invariants: starts with `/`; no empty, `.` or `..` components; no trailing `/`
/// except for the root itself.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VfsPath(String);

impl VfsPath {
    /// The root `/`.
    pub fn root() -> Self {
        VfsPath("/".to_owned())
    }

    /// Normalizes `s` lexically, relative to `/` when it is not absolute.
    ///
    /// Never fails: `../../etc` becomes `/etc`, `a//b/./c/` becomes `/a/b/c`.
    pub fn new(s: &str) -> Self {
        Self::root().join(s)
    }

    /// Resolves `rel` against `self` lexically; an absolute `rel` replaces `self`.
    pub fn join(&self, rel: &str) -> Self {
        let mut parts: Vec<&str> = if rel.starts_with('/') {
            Vec::new()
        } else {
            self.components().collect()
        };
        for c in rel.split('/') {
            match c {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                c => parts.push(c),
            }
        }
        let mut s = String::with_capacity(rel.len() + self.0.len() + 1);
        for p in &parts {
            s.push('/');
            s.push_str(p);
        }
        if s.is_empty() {
            s.push('/');
        }
        VfsPath(s)
    }

    /// Appends one component. `name` must not contain `/` and must not be `.`/`..`/empty;
    /// such names are normalized like [`VfsPath::join`] would.
    pub fn child(&self, name: &str) -> Self {
        if name.is_empty() || name == "." || name == ".." || name.contains('/') {
            return self.join(name);
        }
        let mut s = self.0.clone();
        if s != "/" {
            s.push('/');
        }
        s.push_str(name);
        VfsPath(s)
    }

    /// The path as a string, always starting with `/`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The path without its leading `/` (empty for the root): the form tar entries use.
    pub fn relative(&self) -> &str {
        &self.0[1..]
    }

    /// True for `/`.
    pub fn is_root(&self) -> bool {
        self.0 == "/"
    }

    /// The components, root first; none for `/`.
    pub fn components(&self) -> impl DoubleEndedIterator<Item = &str> + '_ {
        self.0.split('/').filter(|c| !c.is_empty())
    }

    /// The last component, `None` for `/`.
    pub fn file_name(&self) -> Option<&str> {
        if self.is_root() {
            None
        } else {
            self.0.rsplit('/').next()
        }
    }

    /// The parent directory, `None` for `/`.
    pub fn parent(&self) -> Option<VfsPath> {
        if self.is_root() {
            return None;
        }
        let idx = self.0.rfind('/').unwrap_or(0);
        Some(if idx == 0 {
            Self::root()
        } else {
            VfsPath(self.0[..idx].to_owned())
        })
    }

    /// True when `self` is `other` or lies below it.
    pub fn starts_with(&self, other: &VfsPath) -> bool {
        other.is_root()
            || self.0 == other.0
            || (self.0.starts_with(&other.0) && self.0.as_bytes().get(other.0.len()) == Some(&b'/'))
    }

    /// Number of components (0 for `/`).
    pub fn depth(&self) -> u32 {
        self.components().count() as u32
    }
}

impl fmt::Display for VfsPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for VfsPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl From<&str> for VfsPath {
    fn from(s: &str) -> Self {
        VfsPath::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_lexically_and_clamps_at_root() {
        assert_eq!(VfsPath::new("").as_str(), "/");
        assert_eq!(VfsPath::new("a//b/./c/").as_str(), "/a/b/c");
        assert_eq!(VfsPath::new("../../etc/passwd").as_str(), "/etc/passwd");
        assert_eq!(VfsPath::new("/a/b").join("../c").as_str(), "/a/c");
        assert_eq!(VfsPath::new("/a/b").join("/x").as_str(), "/x");
        assert_eq!(VfsPath::new("/a").child("..").as_str(), "/");
    }

    #[test]
    fn parent_file_name_starts_with() {
        let p = VfsPath::new("/usr/bin/env");
        assert_eq!(p.parent().unwrap().as_str(), "/usr/bin");
        assert_eq!(VfsPath::new("/usr").parent().unwrap().as_str(), "/");
        assert_eq!(p.file_name(), Some("env"));
        assert!(p.starts_with(&VfsPath::new("/usr")));
        assert!(!VfsPath::new("/usrx").starts_with(&VfsPath::new("/usr")));
        assert_eq!(p.relative(), "usr/bin/env");
    }
}
