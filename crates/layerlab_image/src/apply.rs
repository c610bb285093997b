//! Applying a layer onto a filesystem, and reading a layer from untrusted tar bytes.
//!
//! Application follows OCI image-spec layer.md "Applying Changesets" and what containerd
//! and umoci do: an entry replaces whatever is at its path, except that a directory
//! over a directory only updates metadata (children merge); `.wh.<name>` deletes the
//! lower-layer `name` (file or whole subtree); `.wh..wh..opq` hides all lower-layer
//! children of its directory and acts before the layer's other entries; a whiteout never
//! hides an entry of its own layer. Missing parents are created `0755 root:root`.
//!
//! Reading validates every name before it reaches the tree: absolute names and `..`
//! components are rejected (they are how tar path-traversal attacks start); a name
//! that passes can still cross a symlink (`lib -> /usr/lib` and then `lib/x` is how
//! merged-`/usr` images look), but [`Fs`] resolves links inside its own root, so even a
//! hostile `link -> ../../..` lands inside the image tree, never outside it.

use crate::error::{Error, ErrorKind, Result};
use crate::layer::{EntryKind, Layer, LayerEntry, OPAQUE_WHITEOUT, WHITEOUT_PREFIX};
use crate::tar::{read_tar, TarLimits, TarType};
use layerlab_vfs::{Content, Fs, FsError, Meta, Node, VfsPath};
use std::collections::BTreeSet;

/// Applies `layer` on top of `fs`.
///
/// # Errors
/// [`ErrorKind::Apply`] with the entry name when an entry cannot be placed (a parent
/// is a file, a hard link points at nothing or at a non-file).
pub fn apply_layer(fs: &mut Fs, layer: &Layer) -> Result<()> {
    let apply_err = |e: &LayerEntry, err: FsError| {
        Error::new(ErrorKind::Apply, format!("cannot apply entry: {err}")).in_entry(&e.tar_name())
    };
    for e in layer.entries() {
        if e.kind == EntryKind::Opaque {
            if let Ok(Node::Dir(d)) = fs.symlink_node(&e.path) {
                let cleared = Node::dir(d.meta);
                fs.insert(&e.path, cleared)
                    .map_err(|err| apply_err(e, err))?;
            }
        }
    }
    let mut written: BTreeSet<VfsPath> = BTreeSet::new();
    for e in layer.entries() {
        let node = match &e.kind {
            EntryKind::Opaque => continue,
            EntryKind::Whiteout => {
                if !written.contains(&e.path) {
                    // Deleting something that is not there is not an error: lower
                    // layers may already lack it.
                    let _ = fs.remove(&e.path);
                }
                continue;
            }
            EntryKind::Dir => match fs.symlink_node(&e.path) {
                Ok(Node::Dir(_)) => {
                    // Directory over directory: keep children, take the new metadata.
                    let real = fs
                        .resolve(&e.path, false)
                        .map_err(|err| apply_err(e, err))?;
                    if real.is_root() {
                        let mut root = fs.root().clone();
                        root.meta = e.meta;
                        fs.insert(&real, Node::Dir(root))
                            .map_err(|err| apply_err(e, err))?;
                    } else if let Ok(Node::Dir(d)) = fs.symlink_node(&real) {
                        let mut d = d.clone();
                        d.meta = e.meta;
                        fs.insert(&real, Node::Dir(d))
                            .map_err(|err| apply_err(e, err))?;
                    }
                    written.insert(e.path.clone());
                    continue;
                }
                _ => Node::dir(e.meta),
            },
            EntryKind::File(c) => Node::file(c.clone(), e.meta),
            EntryKind::Symlink(t) => Node::symlink(t, e.meta),
            EntryKind::Hardlink(target) => match fs.symlink_node(target) {
                Ok(Node::File(f)) => Node::file(f.content.clone(), f.meta),
                Ok(_) => {
                    return Err(Error::new(
                        ErrorKind::Apply,
                        format!("hard link to {target}, which is not a regular file"),
                    )
                    .in_entry(&e.tar_name()))
                }
                Err(err) => return Err(apply_err(e, err)),
            },
        };
        if let Err(err) = fs.insert(&e.path, node.clone()) {
            // Tolerate layers that omit parent directories, as containerd does.
            let parent = e.path.parent().unwrap_or_else(VfsPath::root);
            fs.mkdir_p(&parent, Meta::new(0o755))
                .map_err(|_| apply_err(e, err))?;
            fs.insert(&e.path, node).map_err(|err| apply_err(e, err))?;
        }
        written.insert(e.path.clone());
    }
    Ok(())
}

/// Non-fatal findings while reading a layer tar.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadNotes {
    /// Entries not modelled (devices, FIFOs, AUFS metadata), with the reason.
    pub skipped: Vec<(String, &'static str)>,
}

/// Normalizes a tar entry name to a tree path, rejecting traversal.
fn safe_path(name: &str) -> Result<Option<VfsPath>> {
    let unsafe_path = |why: &str| Error::new(ErrorKind::UnsafePath, format!("{why}: {name:?}"));
    if name.starts_with('/') {
        return Err(unsafe_path("absolute path in layer"));
    }
    if name.contains('\0') {
        return Err(unsafe_path("NUL byte in path"));
    }
    let mut comps = Vec::new();
    for c in name.split('/') {
        match c {
            "" | "." => {}
            ".." => return Err(unsafe_path("path escapes the layer root with `..`")),
            c => comps.push(c),
        }
    }
    if comps.is_empty() {
        return Ok(None);
    }
    Ok(Some(VfsPath::new(&comps.join("/"))))
}

/// Parses a layer tar (uncompressed) into a [`Layer`], validating every entry.
///
/// File contents are copied out of `tar`. The root entry (`./`) is ignored, as
/// containerd does.
///
/// # Errors
/// Tar errors from [`read_tar`]; [`ErrorKind::UnsafePath`] for absolute or `..` names,
/// an invalid whiteout (`.wh.` alone, or `.wh.` of `.`/`..`) or a hard link outside the
/// tree; each with the entry name and header offset.
pub fn read_layer(tar: &[u8], limits: &TarLimits) -> Result<(Layer, ReadNotes)> {
    let mut notes = ReadNotes::default();
    let mut entries = Vec::new();
    for te in read_tar(tar, limits)? {
        let at = te.header_offset;
        let Some(path) = safe_path(&te.name).map_err(|e| e.in_entry(&te.name).at_offset(at))?
        else {
            continue;
        };
        let meta = Meta::new(te.mode)
            .with_owner(te.uid, te.gid)
            .with_mtime(te.mtime);
        let base = path.file_name().unwrap_or_default();
        let parent = path.parent().unwrap_or_else(VfsPath::root);
        if base == OPAQUE_WHITEOUT {
            entries.push(LayerEntry {
                path: parent,
                kind: EntryKind::Opaque,
                meta,
            });
            continue;
        }
        if let Some(hidden) = base.strip_prefix(WHITEOUT_PREFIX) {
            if hidden.starts_with(WHITEOUT_PREFIX) {
                // `.wh..wh.*` names other than the opaque marker are AUFS metadata
                // (hard-link bookkeeping); Docker skips them too.
                notes.skipped.push((te.name.clone(), "AUFS metadata"));
                continue;
            }
            if hidden.is_empty() || hidden == "." || hidden == ".." {
                return Err(Error::new(ErrorKind::UnsafePath, "invalid whiteout name")
                    .in_entry(&te.name)
                    .at_offset(at));
            }
            entries.push(LayerEntry {
                path: parent.child(hidden),
                kind: EntryKind::Whiteout,
                meta,
            });
            continue;
        }
        let kind = match te.kind {
            TarType::Regular => EntryKind::File(Content::inline(&tar[te.data.clone()])),
            TarType::Dir => EntryKind::Dir,
            TarType::Symlink => EntryKind::Symlink(te.linkname.clone()),
            TarType::Hardlink => {
                let target = safe_path(&te.linkname)
                    .map_err(|e| {
                        Error::new(e.kind, format!("hard link target: {}", e.message))
                            .in_entry(&te.name)
                            .at_offset(at)
                    })?
                    .ok_or_else(|| {
                        Error::new(ErrorKind::UnsafePath, "hard link to the root")
                            .in_entry(&te.name)
                            .at_offset(at)
                    })?;
                EntryKind::Hardlink(target)
            }
            TarType::Other(_) => {
                notes
                    .skipped
                    .push((te.name.clone(), "device, FIFO or unknown entry type"));
                continue;
            }
        };
        entries.push(LayerEntry { path, kind, meta });
    }
    Ok((Layer::from_entries(entries), notes))
}
