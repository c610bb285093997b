//! Content checksums of COPY/ADD sources, counted the way BuildKit counts them.
//!
//! BuildKit hashes each selected file as a tar-style header plus its bytes: path, mode
//! bits (permissions, type, setuid/setgid/sticky), uid, gid, size, type, symlink target
//! and content. The modification time is deliberately left out, which is why `touch
//! main.c` does not invalidate `COPY main.c` while `chmod +x` does. Build-context files
//! reach the builder with uid/gid reset to 0 by the client, so their owner never counts
//! (see `docs/semantics.md` §1.5 in the shared docs).

use crate::cache::{SourceFile, SourceSet};
use layerlab_vfs::{Digest, Hasher, Node, VfsPath};

/// Whether the owner of the files counts: it does for files from a stage or an image,
/// and not for the build context, whose files arrive as 0:0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owners {
    /// Count uid/gid.
    Keep,
    /// Treat every file as owned by 0:0 (the build context).
    Reset,
}

/// The digest of one entry's header and content (for a directory, its header alone:
/// children are listed as entries of their own).
pub fn entry_digest(node: &Node, owners: Owners) -> Digest {
    let meta = node.meta();
    let (uid, gid) = match owners {
        Owners::Keep => (meta.uid, meta.gid),
        Owners::Reset => (0, 0),
    };
    let mut h = Hasher::default();
    h.update(b"layerlab-tarsum-v1\0");
    h.update(node.node_type().as_str().as_bytes());
    h.update(&(meta.mode & 0o7777).to_le_bytes());
    h.update(&uid.to_le_bytes());
    h.update(&gid.to_le_bytes());
    match node {
        Node::File(f) => {
            h.update(&f.content.len().to_le_bytes());
            h.update(f.content.digest().as_bytes());
        }
        Node::Symlink(s) => {
            h.update(&(s.target.len() as u64).to_le_bytes());
            h.update(s.target.as_bytes());
        }
        _ => {}
    }
    h.finish()
}

/// Appends `node` at `rel` and, for a directory, everything below it, in path order.
pub fn flatten(node: &Node, rel: &str, owners: Owners, out: &mut Vec<SourceFile>) {
    out.push(SourceFile {
        path: rel.to_string(),
        digest: entry_digest(node, owners),
    });
    if let Node::Dir(dir) = node {
        for (name, child) in dir.entries() {
            let child_rel = if rel.is_empty() || rel == "/" {
                name.to_string()
            } else {
                format!("{rel}/{name}")
            };
            flatten(child, &child_rel, owners, out);
        }
    }
}

/// A [`SourceSet`] of the given `(path, node)` selections, paths relative to the source
/// root (`/` removed), sorted.
pub fn source_set(label: &str, selected: &[(VfsPath, &Node)], owners: Owners) -> SourceSet {
    let mut files = Vec::new();
    for (path, node) in selected {
        flatten(node, path.relative(), owners, &mut files);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    SourceSet {
        label: label.to_string(),
        files,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use layerlab_vfs::{Content, Fs, Meta};
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn digest_of(fs: &Fs, path: &str, owners: Owners) -> Digest {
        entry_digest(fs.symlink_node(&VfsPath::new(path)).unwrap(), owners)
    }

    #[test]
    fn mtime_does_not_count_but_mode_and_content_do() {
        let mut fs = Fs::default();
        let p = VfsPath::new("/main.c");
        fs.write_file(&p, Content::inline("int main;"), Meta::new(0o644))
            .unwrap();
        let base = digest_of(&fs, "/main.c", Owners::Reset);
        fs.set_mtime(&p, 1_700_000_000).unwrap(); // touch main.c
        assert_eq!(digest_of(&fs, "/main.c", Owners::Reset), base);
        fs.set_mode(&p, 0o755).unwrap(); // chmod +x main.c
        assert_ne!(digest_of(&fs, "/main.c", Owners::Reset), base);
        fs.set_mode(&p, 0o644).unwrap();
        fs.write_file(&p, Content::inline("int main();"), Meta::new(0o644))
            .unwrap();
        assert_ne!(digest_of(&fs, "/main.c", Owners::Reset), base);
    }

    #[test]
    fn owners_count_only_outside_the_build_context() {
        let mut fs = Fs::default();
        let p = VfsPath::new("/f");
        fs.write_file(&p, Content::inline("x"), Meta::new(0o644))
            .unwrap();
        let (ctx, stage) = (
            digest_of(&fs, "/f", Owners::Reset),
            digest_of(&fs, "/f", Owners::Keep),
        );
        fs.chown(&p, 1000, 1000).unwrap();
        assert_eq!(digest_of(&fs, "/f", Owners::Reset), ctx);
        assert_ne!(digest_of(&fs, "/f", Owners::Keep), stage);
    }

    #[test]
    fn directories_flatten_in_path_order() {
        let mut fs = Fs::default();
        fs.mkdir_p(&VfsPath::new("/src/b"), Meta::new(0o755))
            .unwrap();
        fs.write_file(
            &VfsPath::new("/src/b/x"),
            Content::inline("1"),
            Meta::new(0o644),
        )
        .unwrap();
        fs.write_file(
            &VfsPath::new("/src/a"),
            Content::inline("2"),
            Meta::new(0o644),
        )
        .unwrap();
        let node = fs.symlink_node(&VfsPath::new("/src")).unwrap();
        let set = source_set(
            "build context",
            &[(VfsPath::new("/src"), node)],
            Owners::Reset,
        );
        let paths: Vec<_> = set.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["src", "src/a", "src/b", "src/b/x"]);
    }
}
