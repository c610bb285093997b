//! A tar reader for untrusted bytes: bounds-checked, never panics, caps every size.
//!
//! It reads from a byte slice (archives are already in memory in the browser) and
//! returns entries that point into it, so file contents are never copied here. Formats:
//! V7/USTAR (with `prefix`), PAX `x` headers (`path`, `linkpath`, `size`, `uid`, `gid`,
//! `mtime`), GNU `L`/`K` long names, base-256 numbers. Global PAX headers are ignored.

use super::write::{padding, BLOCK};
use crate::error::{Error, ErrorKind, Result};
use std::ops::Range;

/// The type of a tar entry, as far as layers care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TarType {
    /// Regular file (`0`, NUL, `7`).
    Regular,
    /// Hard link (`1`) to `linkname`.
    Hardlink,
    /// Symbolic link (`2`).
    Symlink,
    /// Directory (`5`).
    Dir,
    /// Devices, FIFOs and unknown types: kept so callers can report them.
    Other(u8),
}

/// One entry of a tar archive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TarEntry {
    /// Full name (PAX/GNU long names applied), as stored.
    pub name: String,
    /// Type.
    pub kind: TarType,
    /// Permission bits (`0o7777`).
    pub mode: u32,
    /// Owner.
    pub uid: u32,
    /// Group.
    pub gid: u32,
    /// Modification time, seconds.
    pub mtime: i64,
    /// Link target (symlinks, hard links).
    pub linkname: String,
    /// The content's byte range in the input.
    pub data: Range<usize>,
    /// Offset of this entry's first header block (including PAX/GNU headers).
    pub header_offset: u64,
}

/// Caps applied while reading, so hostile input cannot exhaust memory or time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TarLimits {
    /// Maximum number of entries.
    pub max_entries: u32,
    /// Maximum length of a name or link target, in bytes.
    pub max_name_len: u32,
    /// Maximum size of one PAX or GNU long-name header's data.
    pub max_extended_header: u32,
}

impl Default for TarLimits {
    fn default() -> Self {
        TarLimits {
            max_entries: 1_000_000,
            max_name_len: 4096,
            max_extended_header: 1 << 20,
        }
    }
}

fn malformed(msg: impl Into<String>, offset: usize) -> Error {
    Error::new(ErrorKind::MalformedTar, msg).at_offset(offset as u64)
}

/// Parses a numeric header field: octal (space/NUL padded) or GNU base-256.
fn parse_number(field: &[u8]) -> Option<i64> {
    if let Some(&first) = field.first() {
        if first & 0x80 != 0 {
            // Base-256 (GNU/star): big-endian after the marker bit. Negative values
            // never make sense in a layer, so they are rejected.
            if first & 0x40 != 0 {
                return None;
            }
            let mut v = i64::from(first & 0x7f);
            for &b in &field[1..] {
                v = v.checked_mul(256)?.checked_add(i64::from(b))?;
            }
            return Some(v);
        }
    }
    let s: Vec<u8> = field
        .iter()
        .copied()
        .take_while(|&b| b != 0)
        .filter(|&b| b != b' ')
        .collect();
    if s.is_empty() {
        return Some(0);
    }
    let mut v: i64 = 0;
    for b in s {
        if !(b'0'..=b'7').contains(&b) {
            return None;
        }
        v = v.checked_mul(8)?.checked_add(i64::from(b - b'0'))?;
    }
    Some(v)
}

fn c_string(field: &[u8]) -> String {
    let end = field.iter().position(|&b| b == 0).unwrap_or(field.len());
    String::from_utf8_lossy(&field[..end]).into_owned()
}

fn checksum_ok(block: &[u8]) -> bool {
    let Some(stored) = parse_number(&block[148..156]) else {
        return false;
    };
    let mut unsigned: i64 = 0;
    let mut signed: i64 = 0;
    for (i, &b) in block.iter().enumerate() {
        let b = if (148..156).contains(&i) { b' ' } else { b };
        unsigned += i64::from(b);
        signed += i64::from(b as i8);
    }
    stored == unsigned || stored == signed
}

#[derive(Default)]
struct Pending {
    path: Option<String>,
    linkpath: Option<String>,
    size: Option<i64>,
    uid: Option<i64>,
    gid: Option<i64>,
    mtime: Option<i64>,
}

fn parse_pax(data: &[u8], pending: &mut Pending, at: usize) -> Result<()> {
    let mut rest = data;
    while !rest.is_empty() {
        let sp = rest
            .iter()
            .position(|&b| b == b' ')
            .ok_or_else(|| malformed("pax record without length", at))?;
        let len: usize = std::str::from_utf8(&rest[..sp])
            .ok()
            .and_then(|s| s.parse().ok())
            .filter(|&n: &usize| n > sp + 1 && n <= rest.len())
            .ok_or_else(|| malformed("bad pax record length", at))?;
        let record = &rest[sp + 1..len];
        let record = record
            .strip_suffix(b"\n")
            .ok_or_else(|| malformed("pax record not ending in newline", at))?;
        let eq = record
            .iter()
            .position(|&b| b == b'=')
            .ok_or_else(|| malformed("pax record without '='", at))?;
        let key = &record[..eq];
        let value = String::from_utf8_lossy(&record[eq + 1..]).into_owned();
        let int = |v: &str| -> Result<i64> {
            // PAX times may carry a fraction; layers only keep whole seconds.
            let whole = v.split('.').next().unwrap_or("");
            whole
                .parse::<i64>()
                .map_err(|_| malformed(format!("bad pax number {v:?}"), at))
        };
        match key {
            b"path" => pending.path = Some(value),
            b"linkpath" => pending.linkpath = Some(value),
            b"size" => pending.size = Some(int(&value)?),
            b"uid" => pending.uid = Some(int(&value)?),
            b"gid" => pending.gid = Some(int(&value)?),
            b"mtime" => pending.mtime = Some(int(&value)?),
            _ => {}
        }
        rest = &rest[len..];
    }
    Ok(())
}

/// Reads every entry of the tar in `input`.
///
/// A missing end-of-archive marker is accepted (some writers omit it) but a header or
/// content cut short is an error.
///
/// # Errors
/// [`ErrorKind::MalformedTar`] with the byte offset of the bad header;
/// [`ErrorKind::LimitExceeded`] when a [`TarLimits`] cap is hit.
pub fn read_tar(input: &[u8], limits: &TarLimits) -> Result<Vec<TarEntry>> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    let mut pending = Pending::default();
    let mut entry_start = 0usize;
    let mut have_pending = false;
    loop {
        if pos == input.len() {
            break;
        }
        let Some(block) = input.get(pos..pos + BLOCK) else {
            return Err(malformed("truncated tar header", pos));
        };
        if block.iter().all(|&b| b == 0) {
            break;
        }
        if !have_pending {
            entry_start = pos;
        }
        if !checksum_ok(block) {
            return Err(malformed("invalid tar header checksum", pos));
        }
        let header_size = parse_number(&block[124..136])
            .filter(|&n| n >= 0)
            .ok_or_else(|| malformed("invalid size field", pos))?;
        let typeflag = block[156];
        let size = match typeflag {
            b'x' | b'g' | b'L' | b'K' => header_size,
            _ => pending.size.unwrap_or(header_size),
        };
        if size < 0 {
            return Err(malformed("negative size", pos));
        }
        let data_start = pos + BLOCK;
        let size_usize = usize::try_from(size).map_err(|_| malformed("entry too large", pos))?;
        let data_end = data_start
            .checked_add(size_usize)
            .filter(|&e| e <= input.len())
            .ok_or_else(|| malformed("truncated tar entry content", pos))?;
        let next = data_end.saturating_add(padding(size as u64));
        if next > input.len() {
            return Err(malformed("truncated tar entry padding", pos));
        }
        let data = &input[data_start..data_end];
        match typeflag {
            b'x' | b'g' | b'L' | b'K' => {
                if size > i64::from(limits.max_extended_header) {
                    return Err(Error::new(
                        ErrorKind::LimitExceeded,
                        format!(
                            "extended header of {size} bytes exceeds {}",
                            limits.max_extended_header
                        ),
                    )
                    .at_offset(pos as u64));
                }
                match typeflag {
                    b'x' => parse_pax(data, &mut pending, pos)?,
                    b'L' => pending.path = Some(c_string(data)),
                    b'K' => pending.linkpath = Some(c_string(data)),
                    _ => {}
                }
                have_pending = true;
                pos = next;
                continue;
            }
            _ => {}
        }
        let mut name = c_string(&block[0..100]);
        let is_ustar = &block[257..262] == b"ustar";
        if is_ustar && block[345] != 0 && &block[257..265] != b"ustar  \0" {
            name = format!("{}/{}", c_string(&block[345..500]), name);
        }
        let name = pending.path.take().unwrap_or(name);
        let linkname = pending
            .linkpath
            .take()
            .unwrap_or_else(|| c_string(&block[157..257]));
        if name.len() > limits.max_name_len as usize
            || linkname.len() > limits.max_name_len as usize
        {
            return Err(
                Error::new(ErrorKind::LimitExceeded, "entry name too long").at_offset(pos as u64)
            );
        }
        let num = |field: &[u8], what: &str| {
            parse_number(field).ok_or_else(|| malformed(format!("invalid {what} field"), pos))
        };
        let mode = num(&block[100..108], "mode")?;
        let uid = pending
            .uid
            .take()
            .map_or_else(|| num(&block[108..116], "uid"), Ok)?;
        let gid = pending
            .gid
            .take()
            .map_or_else(|| num(&block[116..124], "gid"), Ok)?;
        let mtime = pending
            .mtime
            .take()
            .map_or_else(|| num(&block[136..148], "mtime"), Ok)?;
        let id = |v: i64, what: &str| {
            u32::try_from(v).map_err(|_| malformed(format!("{what} out of range"), pos))
        };
        let kind = match typeflag {
            b'0' | 0 | b'7' => TarType::Regular,
            b'1' => TarType::Hardlink,
            b'2' => TarType::Symlink,
            b'5' => TarType::Dir,
            other => TarType::Other(other),
        };
        // Old V7 writers mark directories only by a trailing slash.
        let kind = if kind == TarType::Regular && name.ends_with('/') {
            TarType::Dir
        } else {
            kind
        };
        if out.len() >= limits.max_entries as usize {
            return Err(Error::new(
                ErrorKind::LimitExceeded,
                format!("more than {} tar entries", limits.max_entries),
            )
            .at_offset(pos as u64));
        }
        out.push(TarEntry {
            name,
            kind,
            mode: (mode & 0o7777) as u32,
            uid: id(uid, "uid")?,
            gid: id(gid, "gid")?,
            mtime,
            linkname,
            data: data_start..data_end,
            header_offset: entry_start as u64,
        });
        pending = Pending::default();
        have_pending = false;
        pos = next;
    }
    if have_pending {
        return Err(malformed(
            "extended header without a following entry",
            entry_start,
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_octal_and_base256() {
        assert_eq!(parse_number(b"0000644\0"), Some(0o644));
        assert_eq!(parse_number(b"  755 \0"), Some(0o755));
        assert_eq!(parse_number(&[0x80, 0, 0, 0, 0, 0, 1, 0]), Some(256));
        assert_eq!(parse_number(b"9"), None);
    }

    #[test]
    fn garbage_and_truncation_are_errors() {
        assert_eq!(read_tar(&[], &TarLimits::default()).unwrap(), vec![]);
        let err = read_tar(&[1u8; 700], &TarLimits::default()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::MalformedTar);
        assert_eq!(err.location.offset, Some(0));
        let err = read_tar(&[0u8; 100], &TarLimits::default()).unwrap_err();
        assert_eq!(err.message, "truncated tar header");
    }
}
