//! Permission checks: a non-root `USER` cannot write into root-owned directories.
//!
//! Root bypasses read/write checks and needs one execute bit for files, as in Linux.

use crate::exec::Identity;
use layerlab_vfs::{Fs, Meta, VfsPath};

/// Whether `who` has permission `bit` (4 read, 2 write, 1 execute) on `meta`.
pub(crate) fn may(_fs: &Fs, meta: &Meta, who: &Identity, bit: u32) -> bool {
    if who.uid == 0 {
        return true;
    }
    let shift = if meta.uid == who.uid {
        6
    } else if meta.gid == who.gid {
        3
    } else {
        0
    };
    (meta.mode >> shift) & bit != 0
}

/// Execute permission; root needs any execute bit on files.
pub(crate) fn may_exec(meta: &Meta, who: &Identity, is_dir: bool) -> bool {
    if who.uid == 0 {
        return is_dir || meta.mode & 0o111 != 0;
    }
    let shift = if meta.uid == who.uid {
        6
    } else if meta.gid == who.gid {
        3
    } else {
        0
    };
    (meta.mode >> shift) & 1 != 0
}

/// Whether `who` may create or remove entries in the directory `dir`.
pub(crate) fn may_write(fs: &Fs, dir: &VfsPath, who: &Identity) -> bool {
    if who.uid == 0 {
        return true;
    }
    match fs.metadata(dir) {
        Ok(meta) => may(fs, &meta, who, 2),
        Err(_) => false,
    }
}
