//! The link format, version 1.
//!
//! `v1:` then base64url (no padding) of a raw deflate stream (RFC 1951, level 6) of the
//! payload. The payload is a flat byte layout, read front to back:
//!
//! ```text
//! str dockerfile   str open   str view   str target   str build_args
//! u8  flags        (bit 0: --no-cache; other bits must be 0)
//! num dir count,   then each: str path
//! num file count,  then each: str path, u8 kind, and for kind 0 (text) str text,
//!                  for kind 1 (size only) num size
//! ```
//!
//! `num` is an unsigned LEB128 varint in its shortest form; `str` is a `num` byte length
//! then UTF-8. Directories and files are in byte order of their paths (strictly
//! increasing), so each state has exactly one payload and one link, and a link cannot
//! name a file twice. Nothing may follow the last file.

use crate::base64url;
use crate::error::{At, ShareError};
use crate::limits::Limits;
use crate::path::check_path;
use crate::state::{ShareState, SharedFile};
use layerlab_deflate::InflateError;

/// The format version this crate writes and reads.
pub const VERSION: u32 = 1;

/// Longest `view` name: panel ids are short words.
const MAX_VIEW: usize = 64;

/// Encodes `state` as link text `v1:…` (without the `#`). Fails when the state breaks
/// `limits` (too many files, a bad path, a link too long), so every link it returns
/// opens with [`decode`].
pub fn encode(state: &ShareState, limits: &Limits) -> Result<String, ShareError> {
    check_state(state, limits)?;
    let mut payload = Vec::new();
    put_str(&mut payload, &state.dockerfile);
    put_str(&mut payload, &state.open);
    put_str(&mut payload, &state.view);
    put_str(&mut payload, &state.target);
    put_str(&mut payload, &state.build_args);
    payload.push(u8::from(state.no_cache));
    put_num(&mut payload, state.dirs.len() as u64);
    for dir in &state.dirs {
        put_str(&mut payload, dir);
    }
    put_num(&mut payload, state.files.len() as u64);
    for (path, file) in &state.files {
        put_str(&mut payload, path);
        match file {
            SharedFile::Text(text) => {
                payload.push(0);
                put_str(&mut payload, text);
            }
            SharedFile::Sized(size) => {
                payload.push(1);
                put_num(&mut payload, *size);
            }
        }
    }
    if payload.len() > limits.max_payload {
        return Err(ShareError::new(
            At::Link,
            format!(
                "the project is {} bytes; a link holds at most {}",
                payload.len(),
                limits.max_payload
            ),
        ));
    }
    let compressed = deflate(&payload);
    let text = base64url::encode(&compressed);
    if text.len() > limits.max_link {
        return Err(ShareError::new(
            At::Link,
            format!(
                "the link would be {} characters; the limit is {} (make files size-only or remove some)",
                text.len(),
                limits.max_link
            ),
        ));
    }
    Ok(format!("v{VERSION}:{text}"))
}

/// Decodes link text (`v1:…`, with or without a leading `#`) into a state, checking
/// every limit and path. Never panics.
pub fn decode(link: &str, limits: &Limits) -> Result<ShareState, ShareError> {
    let link = link.strip_prefix('#').unwrap_or(link);
    let Some((version, text)) = link.split_once(':') else {
        return Err(ShareError::new(
            At::Link,
            "not a layerlab share link (expected `#v1:` then the project)",
        ));
    };
    match version.strip_prefix('v').map(str::parse::<u32>) {
        Some(Ok(VERSION)) => {}
        Some(Ok(v)) if v > VERSION => {
            return Err(ShareError::new(
                At::Link,
                format!("format v{v} comes from a newer layerlab; this page reads v{VERSION}"),
            ))
        }
        _ => {
            return Err(ShareError::new(
                At::Link,
                format!(
                    "unknown format {:?}; this page reads v{VERSION}",
                    version.chars().take(16).collect::<String>()
                ),
            ))
        }
    }
    if text.len() > limits.max_link {
        return Err(ShareError::new(
            At::Link,
            format!(
                "the link is {} characters; the limit is {}",
                text.len(),
                limits.max_link
            ),
        ));
    }
    let compressed =
        base64url::decode(text).map_err(|(i, msg)| ShareError::new(At::Char(i), msg))?;
    let payload = inflate(&compressed, limits.max_payload)?;
    let state = Reader {
        bytes: &payload,
        pos: 0,
    }
    .state(limits)?;
    // The layout has one form per state: a payload that re-encodes differently (a
    // non-shortest number, an unsorted list) was not made by `encode`.
    check_state(&state, limits)?;
    Ok(state)
}

/// Raw deflate (RFC 1951) at level 6 (as short as level 9 on measured projects, four
/// times faster: autosave runs it), with `miniz_oxide` (what flate2 wraps; the bytes of
/// links made through flate2 are unchanged, see the test): the same bytes for the same
/// payload on every host.
fn deflate(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(data, 6)
}

/// Inflates a raw deflate stream, refusing to produce more than `cap` bytes and refusing
/// anything after the end of the stream (one link, one meaning).
fn inflate(data: &[u8], cap: usize) -> Result<Vec<u8>, ShareError> {
    let corrupt =
        |why: &str| ShareError::new(At::Link, format!("the compressed data is corrupt ({why})"));
    let mut out = Vec::new();
    match layerlab_deflate::inflate_onto(data, cap as u64, &mut out) {
        Ok(used) if used == data.len() => Ok(out),
        Ok(_) => Err(corrupt("bytes after the end of the stream")),
        Err(InflateError::TooLarge) => Err(ShareError::new(
            At::Link,
            format!("the project inflates past {cap} bytes, the limit"),
        )),
        Err(InflateError::Truncated) => Err(corrupt("the stream ends early")),
        Err(InflateError::Invalid) => Err(corrupt("invalid deflate data")),
    }
}

/// The checks both directions share: paths, counts, sizes.
fn check_state(state: &ShareState, limits: &Limits) -> Result<(), ShareError> {
    let path_err = |path: &str, msg: String| ShareError::new(At::File(path.to_string()), msg);
    check_path(&state.dockerfile, limits.max_path)
        .map_err(|m| path_err(&state.dockerfile, format!("Dockerfile path: {m}")))?;
    if !state.open.is_empty() {
        check_path(&state.open, limits.max_path)
            .map_err(|m| path_err(&state.open, format!("open file: {m}")))?;
    }
    if state.view.len() > MAX_VIEW
        || !state
            .view
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(ShareError::new(
            At::Link,
            format!("the view name must be up to {MAX_VIEW} letters, digits, `-` or `_`"),
        ));
    }
    let entries = state.files.len() + state.dirs.len();
    if entries > limits.max_entries {
        return Err(ShareError::new(
            At::Link,
            format!(
                "{entries} files and directories; a link holds at most {}",
                limits.max_entries
            ),
        ));
    }
    for dir in &state.dirs {
        check_path(dir, limits.max_path).map_err(|m| path_err(dir, m))?;
    }
    let mut sized_total = 0u64;
    for (path, file) in &state.files {
        check_path(path, limits.max_path).map_err(|m| path_err(path, m))?;
        if let SharedFile::Sized(size) = file {
            sized_total = sized_total.saturating_add(*size);
            if sized_total > limits.max_sized_total {
                return Err(path_err(
                    path,
                    format!(
                        "size-only files add up to more than {} bytes, the limit",
                        limits.max_sized_total
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn put_num(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_num(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// A cursor over the payload; every read is bounds-checked and reports its offset.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn err(&self, at: usize, msg: impl Into<String>) -> ShareError {
        ShareError::new(At::Byte(at), msg)
    }

    fn byte(&mut self, what: &str) -> Result<u8, ShareError> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| self.err(self.pos, format!("the payload ends before {what}")))?;
        self.pos += 1;
        Ok(b)
    }

    fn num(&mut self, what: &str) -> Result<u64, ShareError> {
        let start = self.pos;
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte(what)?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(self.err(start, format!("{what}: number too large")));
            }
            n |= bits << shift;
            if b & 0x80 == 0 {
                if b == 0 && shift > 0 {
                    return Err(self.err(start, format!("{what}: number not in shortest form")));
                }
                return Ok(n);
            }
        }
        Err(self.err(start, format!("{what}: number too long")))
    }

    fn str(&mut self, what: &str) -> Result<String, ShareError> {
        let start = self.pos;
        let len = self.num(what)?;
        let left = (self.bytes.len() - self.pos) as u64;
        if len > left {
            return Err(self.err(
                start,
                format!("{what}: {len} bytes claimed, {left} left in the payload"),
            ));
        }
        let end = self.pos + len as usize;
        let text = std::str::from_utf8(&self.bytes[self.pos..end])
            .map_err(|e| self.err(self.pos + e.valid_up_to(), format!("{what}: not UTF-8")))?;
        self.pos = end;
        Ok(text.to_string())
    }

    /// A count of entries, each at least one byte long, capped by the limits.
    fn count(&mut self, what: &str, limits: &Limits) -> Result<usize, ShareError> {
        let start = self.pos;
        let n = self.num(what)?;
        if n > limits.max_entries as u64 || n > (self.bytes.len() - self.pos) as u64 {
            return Err(self.err(start, format!("{n} {what} claimed; too many")));
        }
        Ok(n as usize)
    }

    fn state(mut self, limits: &Limits) -> Result<ShareState, ShareError> {
        let mut state = ShareState::new(&self.str("the Dockerfile path")?);
        state.open = self.str("the open file")?;
        state.view = self.str("the view")?;
        state.target = self.str("the target")?;
        state.build_args = self.str("the build args")?;
        let at = self.pos;
        let flags = self.byte("the flags")?;
        if flags & !1 != 0 {
            return Err(self.err(at, format!("unknown option flags {flags:#04x}")));
        }
        state.no_cache = flags & 1 != 0;
        let dirs = self.count("directories", limits)?;
        for _ in 0..dirs {
            let at = self.pos;
            let dir = self.str("a directory path")?;
            if state.dirs.last().is_some_and(|last| *last >= dir) {
                return Err(self.err(at, format!("directory {dir:?} out of order or repeated")));
            }
            state.dirs.insert(dir);
        }
        let files = self.count("files", limits)?;
        for _ in 0..files {
            let at = self.pos;
            let path = self.str("a file path")?;
            if let Some((last, _)) = state.files.last_key_value() {
                if *last >= path {
                    return Err(self.err(at, format!("file {path:?} out of order or repeated")));
                }
            }
            let at = self.pos;
            let file = match self.byte("a file kind")? {
                0 => SharedFile::Text(self.str("a file's text")?),
                1 => SharedFile::Sized(self.num("a file size")?),
                k => return Err(self.err(at, format!("unknown file kind {k} for {path:?}"))),
            };
            state.files.insert(path, file);
        }
        if self.pos != self.bytes.len() {
            return Err(self.err(
                self.pos,
                format!(
                    "{} unexpected bytes after the last file",
                    self.bytes.len() - self.pos
                ),
            ));
        }
        Ok(state)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    /// What `deflate` did through flate2 before it called miniz_oxide directly.
    fn flate2_deflate(data: &[u8]) -> Vec<u8> {
        use flate2::{Compress, Compression, FlushCompress, Status};
        let mut c = Compress::new(Compression::new(6), false);
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        loop {
            let read = c.total_in() as usize;
            let status = c
                .compress_vec(&data[read..], &mut out, FlushCompress::Finish)
                .unwrap();
            if status == Status::StreamEnd {
                return out;
            }
            out.reserve(out.capacity().max(64));
        }
    }

    #[test]
    fn links_keep_the_bytes_flate2_made() {
        let text: Vec<u8> = (0..200_000u32)
            .map(|i| b"FROM alpine\n"[(i % 12) as usize])
            .collect();
        let noise: Vec<u8> = (0..100_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for data in [&b""[..], b"x", &text, &noise] {
            let ours = deflate(data);
            assert!(ours == flate2_deflate(data), "{} bytes", data.len());
            assert_eq!(inflate(&ours, data.len()).unwrap(), data);
            if !data.is_empty() {
                assert!(
                    inflate(&ours, data.len() - 1).is_err(),
                    "one byte over the cap"
                );
            }
        }
    }

    fn sample() -> ShareState {
        let mut s = ShareState::new("Dockerfile");
        s.files.insert(
            "Dockerfile".into(),
            SharedFile::Text("FROM alpine:3.20\nRUN echo hi\n".into()),
        );
        s.files
            .insert("node_modules/x.js".into(), SharedFile::Sized(1234));
        s.dirs.insert("empty".into());
        s.build_args = "A=1\nB=two words".into();
        s.target = "build".into();
        s.no_cache = true;
        s.view = "build".into();
        s.open = "Dockerfile".into();
        s
    }

    /// Deflates a hand-made payload into link text, to test the reader on layouts
    /// `encode` would never write.
    fn link_of(payload: &[u8]) -> String {
        format!("v1:{}", base64url::encode(&deflate(payload)))
    }

    fn header(out: &mut Vec<u8>) {
        for s in ["Dockerfile", "", "", "", ""] {
            put_str(out, s);
        }
        out.push(0);
    }

    /// Recorded natively; the same test runs in wasm (Node and Chromium), so a link made
    /// in the page is byte-for-byte the one the CLI makes.
    #[test]
    fn the_same_state_gives_the_recorded_link_on_every_host() {
        assert_eq!(
            encode(&sample(), &Limits::default()).unwrap(),
            "v1:Tcq9DkRAFEDhnU0Ue5vNPsAm8wT2r9tEQUSHRKIWzBXDcMUQvKYnUihoTk7xgUt5jX0hFcKxRjZKJfbebesDjjVMxCfqhWbMwKYbluvJX55eFPo8VZ1s8f8zv2-I4oBjXhIvJTxaEpg0JEaF-jWblWbrbQM"
        );
    }

    #[test]
    fn round_trips_and_is_deterministic() {
        let limits = Limits::default();
        let link = encode(&sample(), &limits).unwrap();
        assert_eq!(link, encode(&sample(), &limits).unwrap());
        assert_eq!(decode(&link, &limits).unwrap(), sample());
        assert_eq!(decode(&format!("#{link}"), &limits).unwrap(), sample());
        assert!(link[3..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    }

    /// The layout is fixed: this link was made once and must keep opening (and keep
    /// being what this state encodes to) as long as the format is v1.
    #[test]
    fn v1_layout_is_stable() {
        let mut s = ShareState::new("Dockerfile");
        s.files.insert(
            "Dockerfile".into(),
            SharedFile::Text("FROM scratch\n".into()),
        );
        let mut payload = Vec::new();
        header(&mut payload);
        payload.extend_from_slice(&[0, 1, 10]);
        payload.extend_from_slice(b"Dockerfile\0\x0dFROM scratch\n");
        assert_eq!(decode(&link_of(&payload), &Limits::default()).unwrap(), s);
        assert_eq!(encode(&s, &Limits::default()).unwrap(), link_of(&payload));
    }

    #[test]
    fn versions_and_garbage_have_clear_messages() {
        let l = Limits::default();
        let e = decode("v2:abc", &l).unwrap_err();
        assert!(e.to_string().contains("newer layerlab"), "{e}");
        let e = decode("hello", &l).unwrap_err();
        assert!(e.to_string().contains("not a layerlab share link"), "{e}");
        let e = decode("v0:", &l).unwrap_err();
        assert!(e.to_string().contains("unknown format"), "{e}");
        let e = decode("v1:abc$", &l).unwrap_err();
        assert_eq!(e.at, At::Char(3));
        let e = decode("v1:AAAA", &l).unwrap_err();
        assert!(e.to_string().contains("corrupt"), "{e}");
        let e = decode("v1:", &l).unwrap_err();
        assert!(e.to_string().contains("corrupt"), "{e}");
        let e = decode(&link_of(b""), &l).unwrap_err();
        assert_eq!(e.at, At::Byte(0), "{e}");
        let mut trailing = deflate(b"x");
        trailing.push(0);
        let e = decode(&format!("v1:{}", base64url::encode(&trailing)), &l).unwrap_err();
        assert!(e.to_string().contains("after the end"), "{e}");
    }

    #[test]
    fn hostile_payloads_are_refused_where_they_fail() {
        let l = Limits::default();
        let file = |path: &str| {
            let mut p = Vec::new();
            header(&mut p);
            p.extend_from_slice(&[0, 1]);
            put_str(&mut p, path);
            p.extend_from_slice(&[1, 5]);
            p
        };
        for bad in ["../etc/passwd", "/abs", "a\0b", "a//b"] {
            let e = decode(&link_of(&file(bad)), &l).unwrap_err();
            assert_eq!(e.at, At::File(bad.to_string()), "{e}");
        }
        // Two files with the same path.
        let mut p = Vec::new();
        header(&mut p);
        p.extend_from_slice(&[0, 2]);
        for _ in 0..2 {
            put_str(&mut p, "a");
            p.extend_from_slice(&[1, 5]);
        }
        let e = decode(&link_of(&p), &l).unwrap_err();
        assert!(e.to_string().contains("repeated"), "{e}");
        // A count far beyond the payload.
        let mut p = Vec::new();
        header(&mut p);
        p.push(0);
        put_num(&mut p, 1 << 40);
        let e = decode(&link_of(&p), &l).unwrap_err();
        assert!(e.to_string().contains("too many"), "{e}");
        // A string claiming more bytes than exist.
        let mut p = Vec::new();
        put_num(&mut p, 1000);
        let e = decode(&link_of(&p), &l).unwrap_err();
        assert!(e.to_string().contains("1000 bytes claimed"), "{e}");
        // Trailing bytes, unknown flags, non-shortest numbers.
        let mut p = file("a");
        p.push(9);
        assert!(decode(&link_of(&p), &l).is_err());
        let mut p = Vec::new();
        header(&mut p);
        *p.last_mut().unwrap() = 2;
        assert!(decode(&link_of(&p), &l)
            .unwrap_err()
            .to_string()
            .contains("flags"));
        let mut p = Vec::new();
        header(&mut p);
        p.extend_from_slice(&[0x80, 0x00, 0]);
        assert!(decode(&link_of(&p), &l)
            .unwrap_err()
            .to_string()
            .contains("shortest"));
    }

    #[test]
    fn inflation_bombs_and_huge_declared_sizes_are_capped() {
        let l = Limits {
            max_payload: 1 << 16,
            ..Limits::default()
        };
        let mut p = Vec::new();
        header(&mut p);
        p.extend_from_slice(&[0, 1]);
        put_str(&mut p, "big");
        p.push(0);
        put_str(&mut p, &"x".repeat(1 << 20));
        let link = link_of(&p);
        assert!(link.len() < 4096, "1 MiB of one byte deflates small");
        let e = decode(&link, &l).unwrap_err();
        assert!(e.to_string().contains("inflates past"), "{e}");
        let mut s = ShareState::new("Dockerfile");
        s.files.insert("huge".into(), SharedFile::Sized(u64::MAX));
        let e = encode(&s, &Limits::default()).unwrap_err();
        assert_eq!(e.at, At::File("huge".into()));
    }

    #[test]
    fn encode_refuses_what_decode_would_refuse() {
        let mut s = sample();
        s.files.insert("../x".into(), SharedFile::Sized(1));
        assert!(encode(&s, &Limits::default()).is_err());
        let mut s = sample();
        s.view = "<script>".into();
        assert!(encode(&s, &Limits::default()).is_err());
        let l = Limits {
            max_link: 10,
            ..Limits::default()
        };
        assert!(encode(&sample(), &l)
            .unwrap_err()
            .to_string()
            .contains("characters"));
    }
}
