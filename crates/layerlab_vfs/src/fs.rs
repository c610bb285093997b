//! [`Fs`]: the in-memory filesystem and its POSIX-like operations.
//!
//! Every operation takes a path that may cross symlinks. Resolution happens inside the
//! tree as if the root were `chroot`ed: an absolute target restarts at `/` of this
//! tree, and `..` at `/` stays at `/`, so no path can ever escape the root (BuildKit
//! resolves container paths the same way, with `fs.RootPath`). At most
//! [`MAX_SYMLINKS`] links are followed per lookup (Linux's limit), then `ELOOP`.

use crate::content::Content;
use crate::error::{ErrorKind, FsError};
use crate::node::{Dir, Meta, Node};
use crate::path::VfsPath;

/// Symlinks followed in one resolution before giving up with `ELOOP` (Linux uses 40).
pub const MAX_SYMLINKS: u32 = 40;

/// Path components processed in one resolution (links expanded) before giving up with
/// `ELOOP`: twice `PATH_MAX` worth of one-character components.
pub const MAX_RESOLVE_STEPS: u32 = 8192;

/// An in-memory filesystem. `Clone` is O(1): clones share every unchanged directory,
/// so keeping one snapshot per build step costs only what each step changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fs {
    root: Dir,
}

impl Default for Fs {
    /// An empty tree whose root is `0755 root:root`, mtime 0.
    fn default() -> Self {
        Fs::new(Meta::new(0o755))
    }
}

/// Result of [`Fs::walk`]: a path and the node there.
pub type WalkEntry<'a> = (VfsPath, &'a Node);

type Result<T> = std::result::Result<T, FsError>;

impl Fs {
    /// An empty tree whose root directory has `root_meta`.
    pub fn new(root_meta: Meta) -> Self {
        Fs {
            root: Dir::new(root_meta),
        }
    }

    /// The root directory.
    pub fn root(&self) -> &Dir {
        &self.root
    }

    /// Resolves symlinks in `path` and returns the real path inside the tree.
    ///
    /// Intermediate components must exist and be directories (after following links);
    /// the last one may be missing (the result then names where it would be created).
    /// With `follow_last` false a final symlink is returned as is (lstat semantics).
    ///
    /// # Errors
    /// `NotFound`/`NotADirectory` for a bad intermediate component, `TooManyLinks`
    /// after [`MAX_SYMLINKS`] links.
    pub fn resolve(&self, path: &VfsPath, follow_last: bool) -> Result<VfsPath> {
        // Pending components, in reverse so `pop` yields the next one.
        let mut pending: Vec<&str> = path.components().rev().collect();
        // The directories along the resolved prefix, root first: `..` pops one and a
        // lookup never re-walks from the root, so resolution is linear in the depth.
        let mut dirs: Vec<&Dir> = vec![&self.root];
        let mut real: Vec<&str> = Vec::new();
        let mut links = 0u32;
        let mut steps = 0u32;
        while let Some(comp) = pending.pop() {
            // Each link may add thousands of components; a cap on the total keeps a
            // hostile chain of long links from turning one lookup into a hang.
            steps += 1;
            if steps > MAX_RESOLVE_STEPS {
                return Err(FsError::new(ErrorKind::TooManyLinks, path));
            }
            match comp {
                "" | "." => continue,
                ".." => {
                    if real.pop().is_some() {
                        dirs.pop();
                    }
                    continue;
                }
                _ => {}
            }
            let is_last = pending.is_empty();
            let parent = *dirs.last().expect("the root is never popped");
            match parent.get(comp) {
                None if is_last => real.push(comp),
                None => return Err(FsError::new(ErrorKind::NotFound, path)),
                Some(Node::Symlink(link)) if !is_last || follow_last => {
                    links += 1;
                    if links > MAX_SYMLINKS {
                        return Err(FsError::new(ErrorKind::TooManyLinks, path));
                    }
                    if link.target.starts_with('/') {
                        real.clear();
                        dirs.truncate(1);
                    }
                    pending.extend(link.target.split('/').rev().filter(|c| !c.is_empty()));
                }
                Some(Node::Dir(d)) => {
                    real.push(comp);
                    dirs.push(d);
                }
                Some(_) if !is_last => {
                    return Err(FsError::new(ErrorKind::NotADirectory, path));
                }
                Some(_) => real.push(comp),
            }
        }
        let mut s = String::new();
        for c in &real {
            s.push('/');
            s.push_str(c);
        }
        Ok(VfsPath::new(&s))
    }

    /// The node at a real (already resolved) path, without following anything.
    fn lookup(&self, real: &VfsPath) -> Option<&Node> {
        let mut dir = &self.root;
        let mut comps = real.components().peekable();
        while let Some(c) = comps.next() {
            let node = dir.get(c)?;
            if comps.peek().is_none() {
                return Some(node);
            }
            dir = node.as_dir()?;
        }
        None
    }

    /// The directory at a real path, for writing (copy-on-write on the way down).
    fn dir_mut(&mut self, real: &VfsPath, orig: &VfsPath) -> Result<&mut Dir> {
        let mut dir = &mut self.root;
        for c in real.components() {
            dir = match dir.entries_mut().get_mut(c) {
                Some(Node::Dir(d)) => d,
                Some(_) => return Err(FsError::new(ErrorKind::NotADirectory, orig)),
                None => return Err(FsError::new(ErrorKind::NotFound, orig)),
            };
        }
        Ok(dir)
    }

    /// Parent directory (mutable) and the final name of a resolved path.
    fn parent_mut<'a>(&mut self, real: &'a VfsPath, orig: &VfsPath) -> Result<(&mut Dir, &'a str)> {
        let name = real
            .file_name()
            .ok_or_else(|| FsError::new(ErrorKind::InvalidArgument, orig))?;
        let parent = real.parent().unwrap_or_else(VfsPath::root);
        Ok((self.dir_mut(&parent, orig)?, name))
    }

    fn node_mut(&mut self, real: &VfsPath, orig: &VfsPath) -> Result<&mut Node> {
        let (dir, name) = self.parent_mut(real, orig)?;
        dir.entries_mut()
            .get_mut(name)
            .ok_or_else(|| FsError::new(ErrorKind::NotFound, orig))
    }

    /// The node at `path`, following symlinks (stat). The root is returned as a
    /// directory node clone-free via [`Fs::root`]; here `/` yields `InvalidArgument`
    /// only if asked through [`Fs::symlink_node`].
    ///
    /// # Errors
    /// `NotFound` and the resolution errors of [`Fs::resolve`].
    pub fn node(&self, path: &VfsPath) -> Result<&Node> {
        let real = self.resolve(path, true)?;
        self.lookup_or_err(&real, path)
    }

    /// The node at `path` without following a final symlink (lstat).
    ///
    /// # Errors
    /// As [`Fs::node`].
    pub fn symlink_node(&self, path: &VfsPath) -> Result<&Node> {
        let real = self.resolve(path, false)?;
        self.lookup_or_err(&real, path)
    }

    fn lookup_or_err(&self, real: &VfsPath, orig: &VfsPath) -> Result<&Node> {
        if real.is_root() {
            return Err(FsError::new(ErrorKind::IsADirectory, orig));
        }
        self.lookup(real)
            .ok_or_else(|| FsError::new(ErrorKind::NotFound, orig))
    }

    /// Metadata of `path` following symlinks; `/` gives the root directory's.
    ///
    /// # Errors
    /// As [`Fs::node`].
    pub fn metadata(&self, path: &VfsPath) -> Result<Meta> {
        let real = self.resolve(path, true)?;
        if real.is_root() {
            return Ok(self.root.meta);
        }
        Ok(*self.lookup_or_err(&real, path)?.meta())
    }

    /// True when `path` exists (following symlinks).
    pub fn exists(&self, path: &VfsPath) -> bool {
        self.metadata(path).is_ok()
    }

    /// Creates one directory; the parent must exist.
    ///
    /// # Errors
    /// `AlreadyExists` if anything (even a dangling symlink) is there, resolution errors.
    pub fn mkdir(&mut self, path: &VfsPath, meta: Meta) -> Result<()> {
        let real = self.resolve(path, false)?;
        if real.is_root() || self.lookup(&real).is_some() {
            return Err(FsError::new(ErrorKind::AlreadyExists, path));
        }
        let (dir, name) = self.parent_mut(&real, path)?;
        dir.entries_mut().insert(name.to_owned(), Node::dir(meta));
        Ok(())
    }

    /// Creates `path` and any missing parents with `meta` (`mkdir -p`); existing
    /// directories (also reached through symlinks) are left untouched.
    ///
    /// # Errors
    /// `AlreadyExists` when the final path is a non-directory, `NotADirectory` when a
    /// parent is.
    pub fn mkdir_p(&mut self, path: &VfsPath, meta: Meta) -> Result<()> {
        let mut cur = VfsPath::root();
        let comps: Vec<&str> = path.components().collect();
        for (i, c) in comps.iter().enumerate() {
            cur = cur.child(c);
            let real = self.resolve(&cur, true)?;
            match self.lookup(&real) {
                Some(Node::Dir(_)) => {}
                Some(_) if i + 1 == comps.len() => {
                    return Err(FsError::new(ErrorKind::AlreadyExists, path));
                }
                Some(_) => return Err(FsError::new(ErrorKind::NotADirectory, path)),
                None if real.is_root() => {}
                None => {
                    let (dir, name) = self.parent_mut(&real, path)?;
                    dir.entries_mut().insert(name.to_owned(), Node::dir(meta));
                }
            }
            // Continue from the real location so later components land inside the
            // directory a symlink pointed at.
            cur = real;
        }
        Ok(())
    }

    /// Creates or replaces a regular file (following a final symlink, like `open(2)`
    /// with `O_CREAT|O_TRUNC`). Content and metadata are both replaced by the arguments.
    ///
    /// # Errors
    /// `IsADirectory` when `path` is a directory; resolution errors.
    pub fn write_file(&mut self, path: &VfsPath, content: Content, meta: Meta) -> Result<()> {
        let real = self.resolve(path, true)?;
        if real.is_root() || matches!(self.lookup(&real), Some(Node::Dir(_))) {
            return Err(FsError::new(ErrorKind::IsADirectory, path));
        }
        let (dir, name) = self.parent_mut(&real, path)?;
        dir.entries_mut()
            .insert(name.to_owned(), Node::file(content, meta));
        Ok(())
    }

    /// Puts `node` at `path`, replacing whatever is there (a whole subtree too) without
    /// following a final symlink: how layer entries and `COPY` land on a filesystem.
    ///
    /// # Errors
    /// `InvalidArgument` for `/` unless `node` is a directory (then only the root's
    /// metadata and children are replaced); resolution errors for the parents.
    pub fn insert(&mut self, path: &VfsPath, node: Node) -> Result<()> {
        let real = self.resolve(path, false)?;
        if real.is_root() {
            return match node {
                Node::Dir(d) => {
                    self.root = d;
                    Ok(())
                }
                _ => Err(FsError::new(ErrorKind::InvalidArgument, path)),
            };
        }
        let (dir, name) = self.parent_mut(&real, path)?;
        dir.entries_mut().insert(name.to_owned(), node);
        Ok(())
    }

    /// Contents of a regular file (following symlinks).
    ///
    /// # Errors
    /// `IsADirectory`, `NotFound`, resolution errors.
    pub fn read_file(&self, path: &VfsPath) -> Result<&Content> {
        match self.node(path)? {
            Node::File(f) => Ok(&f.content),
            _ => Err(FsError::new(ErrorKind::IsADirectory, path)),
        }
    }

    /// Creates a symlink at `path` pointing at `target` (stored verbatim).
    ///
    /// # Errors
    /// `AlreadyExists` if anything is at `path`.
    pub fn symlink(&mut self, target: &str, path: &VfsPath, meta: Meta) -> Result<()> {
        let real = self.resolve(path, false)?;
        if real.is_root() || self.lookup(&real).is_some() {
            return Err(FsError::new(ErrorKind::AlreadyExists, path));
        }
        let (dir, name) = self.parent_mut(&real, path)?;
        dir.entries_mut()
            .insert(name.to_owned(), Node::symlink(target, meta));
        Ok(())
    }

    /// Removes `path` and everything below it (`rm -rf` of one path, not following a
    /// final symlink). Returns the removed node.
    ///
    /// # Errors
    /// `NotFound`; `InvalidArgument` for `/`.
    pub fn remove(&mut self, path: &VfsPath) -> Result<Node> {
        let real = self.resolve(path, false)?;
        let (dir, name) = self.parent_mut(&real, path)?;
        dir.entries_mut()
            .remove(name)
            .ok_or_else(|| FsError::new(ErrorKind::NotFound, path))
    }

    /// Moves `from` to `to` like `rename(2)`: a final symlink is moved, not followed; an
    /// existing `to` is replaced when the types allow it.
    ///
    /// # Errors
    /// `NotFound`; `InvalidArgument` when `to` is inside `from`; `IsADirectory` (file
    /// over directory), `NotADirectory` (directory over non-directory),
    /// `DirectoryNotEmpty` (directory over a non-empty directory).
    pub fn rename(&mut self, from: &VfsPath, to: &VfsPath) -> Result<()> {
        let real_from = self.resolve(from, false)?;
        let real_to = self.resolve(to, false)?;
        if real_from == real_to {
            return Ok(());
        }
        if real_from.is_root() || real_to.is_root() || real_to.starts_with(&real_from) {
            return Err(FsError::new(ErrorKind::InvalidArgument, from));
        }
        let src = self
            .lookup(&real_from)
            .ok_or_else(|| FsError::new(ErrorKind::NotFound, from))?;
        match (src, self.lookup(&real_to)) {
            (_, None) => {}
            (Node::Dir(_), Some(Node::Dir(d))) if !d.is_empty() => {
                return Err(FsError::new(ErrorKind::DirectoryNotEmpty, to));
            }
            (Node::Dir(_), Some(Node::Dir(_))) => {}
            (Node::Dir(_), Some(_)) => return Err(FsError::new(ErrorKind::NotADirectory, to)),
            (_, Some(Node::Dir(_))) => return Err(FsError::new(ErrorKind::IsADirectory, to)),
            (_, Some(_)) => {}
        }
        // Check the destination parent before detaching the source, so a failure
        // leaves the tree unchanged.
        self.parent_mut(&real_to, to)?;
        let node = self.remove(&real_from)?;
        let (dir, name) = self.parent_mut(&real_to, to)?;
        dir.entries_mut().insert(name.to_owned(), node);
        Ok(())
    }

    /// Sets the permission bits (`chmod`, following symlinks).
    ///
    /// # Errors
    /// `NotFound`, resolution errors.
    pub fn set_mode(&mut self, path: &VfsPath, mode: u32) -> Result<()> {
        self.edit_meta(path, |m| m.mode = mode & 0o7777)
    }

    /// Sets owner and group (`chown`, following symlinks).
    ///
    /// # Errors
    /// `NotFound`, resolution errors.
    pub fn chown(&mut self, path: &VfsPath, uid: u32, gid: u32) -> Result<()> {
        self.edit_meta(path, |m| {
            m.uid = uid;
            m.gid = gid;
        })
    }

    /// Sets the modification time (`touch -d`, following symlinks).
    ///
    /// # Errors
    /// `NotFound`, resolution errors.
    pub fn set_mtime(&mut self, path: &VfsPath, mtime: i64) -> Result<()> {
        self.edit_meta(path, |m| m.mtime = mtime)
    }

    fn edit_meta(&mut self, path: &VfsPath, f: impl FnOnce(&mut Meta)) -> Result<()> {
        let real = self.resolve(path, true)?;
        if real.is_root() {
            f(&mut self.root.meta);
            return Ok(());
        }
        f(self.node_mut(&real, path)?.meta_mut());
        Ok(())
    }

    /// The children of a directory, sorted by name.
    ///
    /// # Errors
    /// `NotADirectory`, `NotFound`, resolution errors.
    pub fn read_dir(&self, path: &VfsPath) -> Result<Vec<(&str, &Node)>> {
        let real = self.resolve(path, true)?;
        let dir = if real.is_root() {
            &self.root
        } else {
            self.lookup(&real)
                .ok_or_else(|| FsError::new(ErrorKind::NotFound, path))?
                .as_dir()
                .ok_or_else(|| FsError::new(ErrorKind::NotADirectory, path))?
        };
        Ok(dir.entries().collect())
    }

    /// Every node except the root, depth-first, parents before children, siblings by
    /// name: the order `filepath.Walk` and layer tars use.
    pub fn walk(&self) -> Vec<WalkEntry<'_>> {
        let mut out = Vec::new();
        walk_dir(&self.root, &VfsPath::root(), &mut out);
        out
    }

    /// Total bytes of regular files (each path counted, as `du --apparent-size -l`).
    pub fn total_file_bytes(&self) -> u64 {
        self.walk()
            .iter()
            .filter(|(_, n)| matches!(n, Node::File(_)))
            .map(|(_, n)| n.size())
            .sum()
    }
}

pub(crate) fn walk_dir<'a>(dir: &'a Dir, at: &VfsPath, out: &mut Vec<WalkEntry<'a>>) {
    for (name, node) in dir.entries() {
        let p = at.child(name);
        out.push((p.clone(), node));
        if let Node::Dir(d) = node {
            walk_dir(d, &p, out);
        }
    }
}

#[cfg(test)]
mod tests;
