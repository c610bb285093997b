//! The tree's nodes: regular files, directories and symlinks, with their metadata.
//!
//! Directories keep their children in an `Arc<BTreeMap>`: cloning a tree is O(1) and a
//! write copies only the directories on the path it touches (`Arc::make_mut`), which is
//! what lets a build keep one snapshot per step. Names iterate in byte order, the order
//! Go's `filepath.Walk` (and so containerd's layer writer) visits them.
//!
//! Not modelled (documented non-features): hard links (an imported hard link becomes a
//! second file sharing the same [`Content`]), device nodes, FIFOs, sockets, xattrs,
//! atime/ctime.

use crate::content::Content;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Ownership, permissions and modification time of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Meta {
    /// Permission bits including setuid/setgid/sticky (`0o7777` mask); no type bits.
    pub mode: u32,
    /// Numeric owner.
    pub uid: u32,
    /// Numeric group.
    pub gid: u32,
    /// Modification time, whole seconds since the Unix epoch.
    pub mtime: i64,
}

impl Meta {
    /// `mode` owned by root with mtime 0 (the epoch default).
    pub const fn new(mode: u32) -> Self {
        Meta {
            mode: mode & 0o7777,
            uid: 0,
            gid: 0,
            mtime: 0,
        }
    }

    /// The same with another mtime.
    pub const fn with_mtime(mut self, mtime: i64) -> Self {
        self.mtime = mtime;
        self
    }

    /// The same with another owner.
    pub const fn with_owner(mut self, uid: u32, gid: u32) -> Self {
        self.uid = uid;
        self.gid = gid;
        self
    }
}

/// The kind of a node, for messages and summaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeType {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link.
    Symlink,
}

impl NodeType {
    /// `file`, `directory` or `symlink`.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeType::File => "file",
            NodeType::Dir => "directory",
            NodeType::Symlink => "symlink",
        }
    }
}

/// One filesystem object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// A regular file.
    File(File),
    /// A directory.
    Dir(Dir),
    /// A symbolic link.
    Symlink(Symlink),
}

/// A regular file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct File {
    /// Metadata.
    pub meta: Meta,
    /// The bytes.
    pub content: Content,
}

/// A symbolic link; the target is stored verbatim, resolved only when followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symlink {
    /// Metadata (mode is conventionally 0o777).
    pub meta: Meta,
    /// The link target as written.
    pub target: String,
}

/// A directory with ordered, structurally shared children.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dir {
    /// Metadata.
    pub meta: Meta,
    pub(crate) entries: Arc<BTreeMap<String, Node>>,
}

impl Dir {
    /// An empty directory.
    pub fn new(meta: Meta) -> Self {
        Dir {
            meta,
            entries: Arc::default(),
        }
    }

    /// The child called `name`.
    pub fn get(&self, name: &str) -> Option<&Node> {
        self.entries.get(name)
    }

    /// Children in name (byte) order.
    pub fn entries(&self) -> impl ExactSizeIterator<Item = (&str, &Node)> + '_ {
        self.entries.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Number of children.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True without children.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// True when both share the same children storage (an unchanged snapshot): lets
    /// diffs skip whole untouched subtrees without looking inside.
    pub fn shares_entries_with(&self, other: &Dir) -> bool {
        Arc::ptr_eq(&self.entries, &other.entries)
    }

    pub(crate) fn entries_mut(&mut self) -> &mut BTreeMap<String, Node> {
        Arc::make_mut(&mut self.entries)
    }
}

impl Node {
    /// The node's type.
    pub fn node_type(&self) -> NodeType {
        match self {
            Node::File(_) => NodeType::File,
            Node::Dir(_) => NodeType::Dir,
            Node::Symlink(_) => NodeType::Symlink,
        }
    }

    /// Metadata.
    pub fn meta(&self) -> &Meta {
        match self {
            Node::File(f) => &f.meta,
            Node::Dir(d) => &d.meta,
            Node::Symlink(s) => &s.meta,
        }
    }

    /// Mutable metadata.
    pub fn meta_mut(&mut self) -> &mut Meta {
        match self {
            Node::File(f) => &mut f.meta,
            Node::Dir(d) => &mut d.meta,
            Node::Symlink(s) => &mut s.meta,
        }
    }

    /// File length; 0 for directories; the target length for symlinks (what `ls -l` shows).
    pub fn size(&self) -> u64 {
        match self {
            Node::File(f) => f.content.len(),
            Node::Dir(_) => 0,
            Node::Symlink(s) => s.target.len() as u64,
        }
    }

    /// The directory, if this is one.
    pub fn as_dir(&self) -> Option<&Dir> {
        match self {
            Node::Dir(d) => Some(d),
            _ => None,
        }
    }

    /// True for directories.
    pub fn is_dir(&self) -> bool {
        matches!(self, Node::Dir(_))
    }

    /// A regular file node.
    pub fn file(content: Content, meta: Meta) -> Self {
        Node::File(File { meta, content })
    }

    /// An empty directory node.
    pub fn dir(meta: Meta) -> Self {
        Node::Dir(Dir::new(meta))
    }

    /// A symlink node.
    pub fn symlink(target: &str, meta: Meta) -> Self {
        Node::Symlink(Symlink {
            meta,
            target: target.to_owned(),
        })
    }

    /// Same type, metadata and content/target, ignoring directory children.
    pub fn same_self(&self, other: &Node) -> bool {
        match (self, other) {
            (Node::File(a), Node::File(b)) => a.meta == b.meta && a.content == b.content,
            (Node::Dir(a), Node::Dir(b)) => a.meta == b.meta,
            (Node::Symlink(a), Node::Symlink(b)) => a == b,
            _ => false,
        }
    }
}
