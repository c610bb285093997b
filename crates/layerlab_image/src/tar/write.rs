//! Tar header encoding with Go `archive/tar`'s format choices (see the module above).

/// Tar block size.
pub const BLOCK: usize = 512;

const NAME: usize = 100;
const PREFIX: usize = 155;

/// Everything one header says about an entry.
#[derive(Clone, Copy, Debug)]
pub struct HeaderSpec<'a> {
    /// Entry name as stored (directories end with `/`; no leading `/`).
    pub name: &'a str,
    /// Type flag: `b'0'` file, `b'1'` hard link, `b'2'` symlink, `b'5'` directory.
    pub typeflag: u8,
    /// Permission bits.
    pub mode: u32,
    /// Owner.
    pub uid: u32,
    /// Group.
    pub gid: u32,
    /// Content length (0 except for regular files).
    pub size: u64,
    /// Modification time in seconds.
    pub mtime: i64,
    /// Link target for symlinks and hard links.
    pub linkname: &'a str,
}

/// Bytes of zero padding after `size` content bytes.
pub(crate) fn padding(size: u64) -> usize {
    ((BLOCK as u64 - size % BLOCK as u64) % BLOCK as u64) as usize
}

fn fits_octal(width: usize, x: i64) -> bool {
    // `width - 1` digits plus a NUL terminator, as Go's `fitsInOctal`.
    x >= 0 && (width > 22 || x < (1i64 << (3 * (width - 1))))
}

fn put_octal(field: &mut [u8], x: i64) {
    let x = if fits_octal(field.len(), x) {
        x as u64
    } else {
        0
    };
    let digits = field.len() - 1;
    let s = format!("{x:0digits$o}");
    field[..digits].copy_from_slice(s.as_bytes());
    field[digits] = 0;
}

fn put_str(field: &mut [u8], s: &str) {
    let b = s.as_bytes();
    let n = b.len().min(field.len());
    field[..n].copy_from_slice(&b[..n]);
    // A truncated name must not look like a directory to readers that trust the V7
    // field over the PAX record (Go does the same).
    if b.len() > field.len() && field[field.len() - 1] == b'/' {
        let mut end = field.len();
        while end > 0 && field[end - 1] == b'/' {
            end -= 1;
        }
        field[end] = 0;
    }
}

/// Splits a long ASCII name into USTAR `prefix` and `name` at a `/`, if possible.
fn split_ustar(name: &str) -> Option<(&str, &str)> {
    if name.len() <= NAME || !name.is_ascii() {
        return None;
    }
    // The split slash must leave at most PREFIX bytes before it; a trailing slash
    // (directories) belongs to the name part.
    let mut limit = name.len().min(PREFIX + 1);
    if limit == name.len() && name.ends_with('/') {
        limit -= 1;
    }
    let i = name[..limit].rfind('/')?;
    let (pre, rest) = (&name[..i], &name[i + 1..]);
    if i == 0 || rest.is_empty() || rest.len() > NAME || pre.len() > PREFIX {
        return None;
    }
    Some((pre, rest))
}

fn checksum(block: &mut [u8; BLOCK]) {
    block[148..156].fill(b' ');
    let sum: u32 = block.iter().map(|&b| u32::from(b)).sum();
    put_octal(&mut block[148..155], i64::from(sum));
    block[155] = b' ';
}

fn set_ustar_magic(block: &mut [u8; BLOCK]) {
    block[257..263].copy_from_slice(b"ustar\0");
    block[263..265].copy_from_slice(b"00");
}

fn pax_record(key: &str, value: &str) -> String {
    // The length prefix counts itself: grow it until the total is consistent.
    let body = key.len() + value.len() + 3; // ' ', '=', '\n'
    let mut n = body + 1;
    while n.to_string().len() + body != n {
        n = n.to_string().len() + body;
    }
    format!("{n} {key}={value}\n")
}

/// The name Go gives a PAX extended header: `PaxHeaders.0` inserted before the last
/// component, computed like `path.Join(path.Split(name))`, so a directory `a/b/` gets
/// `a/b/PaxHeaders.0` and a file `a/b` gets `a/PaxHeaders.0/b`. It only matters for
/// digests: readers ignore it.
fn pax_header_name(name: &str) -> String {
    let (dir, file) = match name.rfind('/') {
        Some(i) => (&name[..=i], &name[i + 1..]),
        None => ("", name),
    };
    let mut parts: Vec<&str> = Vec::new();
    for c in dir.split('/').chain(["PaxHeaders.0", file]) {
        match c {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    parts.join("/")
}

/// Appends the header block(s) for `h` to `out`: a PAX extended header first when some
/// field does not fit USTAR, then the main header. Content and padding are the caller's.
pub fn write_header(h: &HeaderSpec<'_>, out: &mut Vec<u8>) {
    let mut pax: Vec<(&str, String)> = Vec::new();
    let long_name = h.name.len() > NAME || !h.name.is_ascii();
    if h.linkname.len() > NAME || !h.linkname.is_ascii() {
        pax.push(("linkpath", h.linkname.to_owned()));
    }
    if !fits_octal(8, i64::from(h.uid)) {
        pax.push(("uid", h.uid.to_string()));
    }
    if !fits_octal(8, i64::from(h.gid)) {
        pax.push(("gid", h.gid.to_string()));
    }
    if !fits_octal(12, h.size as i64) || h.size > i64::MAX as u64 {
        pax.push(("size", h.size.to_string()));
    }
    if !fits_octal(12, h.mtime) {
        pax.push(("mtime", h.mtime.to_string()));
    }
    // Like Go: plain USTAR (with a prefix split for a long name) whenever every field
    // fits; once PAX is needed for any reason, the name goes into a PAX record too and
    // the main header only keeps a truncated copy.
    let split = if pax.is_empty() {
        split_ustar(h.name)
    } else {
        None
    };
    if long_name && split.is_none() {
        pax.push(("path", h.name.to_owned()));
    }
    if !pax.is_empty() {
        // Go writes the records sorted by key. At most a handful of unique keys: an
        // insertion sort here instead of a slice-sort instantiation (~4 KB of wasm).
        for i in 1..pax.len() {
            let mut j = i;
            while j > 0 && pax[j - 1].0 > pax[j].0 {
                pax.swap(j - 1, j);
                j -= 1;
            }
        }
        let records: String = pax.iter().map(|(k, v)| pax_record(k, v)).collect();
        let pax_name: String = pax_header_name(h.name)
            .chars()
            .filter(char::is_ascii)
            .take(NAME)
            .collect();
        let mut block = [0u8; BLOCK];
        put_str(&mut block[0..100], pax_name.trim_end_matches('/'));
        put_octal(&mut block[100..108], 0);
        put_octal(&mut block[108..116], 0);
        put_octal(&mut block[116..124], 0);
        put_octal(&mut block[124..136], records.len() as i64);
        put_octal(&mut block[136..148], 0);
        block[156] = b'x';
        set_ustar_magic(&mut block);
        checksum(&mut block);
        out.extend_from_slice(&block);
        out.extend_from_slice(records.as_bytes());
        out.resize(out.len() + padding(records.len() as u64), 0);
    }

    let mut block = [0u8; BLOCK];
    match split {
        Some((pre, name)) => {
            put_str(&mut block[0..100], name);
            put_str(&mut block[345..500], pre);
        }
        None => {
            let ascii: String = h.name.chars().filter(char::is_ascii).collect();
            put_str(&mut block[0..100], &ascii);
        }
    }
    put_octal(&mut block[100..108], i64::from(h.mode & 0o7777));
    put_octal(&mut block[108..116], i64::from(h.uid));
    put_octal(&mut block[116..124], i64::from(h.gid));
    put_octal(&mut block[124..136], h.size.min(i64::MAX as u64) as i64);
    put_octal(&mut block[136..148], h.mtime);
    block[156] = h.typeflag;
    let link: String = h.linkname.chars().filter(char::is_ascii).collect();
    put_str(&mut block[157..257], &link);
    set_ustar_magic(&mut block);
    put_octal(&mut block[329..337], 0);
    put_octal(&mut block[337..345], 0);
    checksum(&mut block);
    out.extend_from_slice(&block);
}

/// Length in bytes of what [`write_header`] emits for `h`.
pub(crate) fn encoded_header_len(h: &HeaderSpec<'_>) -> u64 {
    let mut v = Vec::with_capacity(BLOCK * 2);
    write_header(h, &mut v);
    v.len() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pax_header_names_follow_go_path_join() {
        assert_eq!(pax_header_name("a/b/"), "a/b/PaxHeaders.0");
        assert_eq!(pax_header_name("a/b"), "a/PaxHeaders.0/b");
        assert_eq!(pax_header_name("b"), "PaxHeaders.0/b");
        assert_eq!(pax_header_name("a/./../x/y"), "x/PaxHeaders.0/y");
    }

    #[test]
    fn pax_record_length_counts_itself() {
        assert_eq!(pax_record("path", "a"), "9 path=a\n");
        let long = "x".repeat(95);
        let r = pax_record("path", &long);
        assert_eq!(r.len().to_string(), r.split(' ').next().unwrap());
    }

    #[test]
    fn long_ascii_names_use_the_prefix_field() {
        let name = format!("{}/{}", "d".repeat(120), "f".repeat(50));
        assert_eq!(split_ustar(&name), Some((&name[..120], &name[121..])));
        let mut out = Vec::new();
        write_header(
            &HeaderSpec {
                name: &name,
                typeflag: b'0',
                mode: 0o644,
                uid: 0,
                gid: 0,
                size: 0,
                mtime: 0,
                linkname: "",
            },
            &mut out,
        );
        assert_eq!(out.len(), BLOCK, "no PAX header needed");
        // Too long for any split: a PAX `path` record.
        let name = "n".repeat(300);
        let mut out = Vec::new();
        write_header(
            &HeaderSpec {
                name: &name,
                typeflag: b'0',
                mode: 0o644,
                uid: 0,
                gid: 0,
                size: 0,
                mtime: -1,
                linkname: "",
            },
            &mut out,
        );
        assert_eq!(out[156], b'x');
        assert!(String::from_utf8_lossy(&out[512..1024]).contains(" mtime=-1\n"));
    }
}
