//! Gzip (RFC 1952): reading the members of a `.tar.gz` layer or an `ADD`ed archive,
//! each checked by its CRC-32 and length like Go's `compress/gzip` does, and writing
//! layers as `.tar.gz`.
//!
//! Deflate itself is `miniz_oxide`'s, called directly rather than through `flate2`:
//! flate2's gzip code brings a 16 KiB slice-by-16 CRC table that does not compress and
//! costs the page as much as the inflater itself; the CRC here builds its tables at
//! first use. The bytes written are flate2's (same compressor, level and header), so
//! layer digests do not change.

use crate::error::{Error, ErrorKind, Result};
use layerlab_deflate::InflateError;
use miniz_oxide::deflate::core::{compress_to_output, CompressorOxide, TDEFLFlush, TDEFLStatus};
use miniz_oxide::DataFormat;
use std::io;
use std::sync::OnceLock;

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), eight bytes a step
/// ("slice-by-8"). The 8 KiB of tables are computed on first use rather than shipped:
/// generating them takes microseconds, and tables in the binary do not compress.
fn crc_tables() -> &'static [[u32; 256]; 8] {
    static TABLES: OnceLock<Box<[[u32; 256]; 8]>> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = Box::new([[0u32; 256]; 8]);
        for i in 0..256 {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
            t[0][i] = c;
        }
        for i in 0..256 {
            for k in 1..8 {
                let prev = t[k - 1][i];
                t[k][i] = t[0][(prev & 0xff) as usize] ^ (prev >> 8);
            }
        }
        t
    })
}

/// Continues a CRC-32 (start with 0). Natively `crc32fast`'s (SIMD, and its tables
/// cost nothing there); in the page, [`crc32`], whose tables are not shipped.
fn checksum_more(crc: u32, bytes: &[u8]) -> u32 {
    if cfg!(target_arch = "wasm32") {
        crc32(crc, bytes)
    } else {
        let mut h = crc32fast::Hasher::new_with_initial(crc);
        h.update(bytes);
        h.finalize()
    }
}

/// CRC-32 of `bytes`.
fn checksum(bytes: &[u8]) -> u32 {
    checksum_more(0, bytes)
}

/// Continues a CRC-32 (start with 0) over `bytes`.
fn crc32(crc: u32, bytes: &[u8]) -> u32 {
    let t = crc_tables();
    let mut c = !crc;
    let mut chunks = bytes.chunks_exact(8);
    for b in &mut chunks {
        let lo = c ^ u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        c = t[7][(lo & 0xff) as usize]
            ^ t[6][((lo >> 8) & 0xff) as usize]
            ^ t[5][((lo >> 16) & 0xff) as usize]
            ^ t[4][(lo >> 24) as usize]
            ^ t[3][b[4] as usize]
            ^ t[2][b[5] as usize]
            ^ t[1][b[6] as usize]
            ^ t[0][b[7] as usize];
    }
    for &b in chunks.remainder() {
        c = t[0][((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

const FHCRC: u8 = 0x02;
const FEXTRA: u8 = 0x04;
const FNAME: u8 = 0x08;
const FCOMMENT: u8 = 0x10;

fn corrupt(what: impl Into<String>) -> Error {
    Error::new(
        ErrorKind::Gzip,
        format!("corrupt gzip stream: {}", what.into()),
    )
}

/// Inflates every member of `data`, refusing to produce more than `cap` bytes.
///
/// # Errors
/// [`ErrorKind::Gzip`] for a bad header, a truncated or corrupt deflate stream, a
/// CRC-32 or length mismatch, or trailing bytes that are not another member;
/// [`ErrorKind::LimitExceeded`] past `cap` (a decompression bomb).
pub fn gunzip(data: &[u8], cap: u64) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = data;
    loop {
        let offset = (data.len() - rest.len()) as u64;
        rest = member(rest, cap, &mut out).map_err(|e| e.at_offset(offset))?;
        if rest.is_empty() {
            return Ok(out);
        }
    }
}

/// Inflates one member at the start of `data` onto `out`; returns what follows it.
fn member<'a>(data: &'a [u8], cap: u64, out: &mut Vec<u8>) -> Result<&'a [u8]> {
    let body = header(data)?;
    let start = out.len();
    let used = inflate_onto(body, cap, out)?;
    let trailer = &body[used..];
    let (Some(crc), Some(size)) = (le32(trailer, 0), le32(trailer, 4)) else {
        return Err(corrupt("unexpected end of data"));
    };
    let inflated = &out[start..];
    if checksum(inflated) != crc {
        return Err(corrupt("checksum error"));
    }
    // ISIZE is the length modulo 2^32.
    if inflated.len() as u32 != size {
        return Err(corrupt("length mismatch"));
    }
    Ok(&trailer[8..])
}

fn bomb(cap: u64) -> Error {
    Error::new(
        ErrorKind::LimitExceeded,
        format!("gzip data inflates to more than {cap} bytes (possible decompression bomb)"),
    )
}

/// Inflates the raw deflate stream at the start of `data` onto `out` while `out` stays
/// within `cap` bytes; returns how many bytes of `data` the stream took.
fn inflate_onto(data: &[u8], cap: u64, out: &mut Vec<u8>) -> Result<usize> {
    layerlab_deflate::inflate_onto(data, cap, out).map_err(|e| match e {
        InflateError::TooLarge => bomb(cap),
        other => corrupt(other.to_string()),
    })
}

/// Writes one gzip member as flate2's `GzBuilder::new().mtime(0)` does at `level`:
/// the same header bytes (XFL from the level, OS 255) and the same deflate stream.
pub(crate) struct GzWriter {
    deflater: Box<CompressorOxide>,
    out: Vec<u8>,
    crc: u32,
    len: u32,
}

impl GzWriter {
    pub(crate) fn new(level: u8) -> GzWriter {
        let mut deflater = Box::<CompressorOxide>::default();
        deflater.set_format_and_level(DataFormat::Raw, level);
        // flate2 marks the best level 2 and the fastest 4 in XFL, as zlib does.
        let xfl = match level {
            9.. => 2,
            0 | 1 => 4,
            _ => 0,
        };
        GzWriter {
            deflater,
            out: vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 255],
            crc: 0,
            len: 0,
        }
    }

    /// Compresses all of `data` (the output callback always accepts, so the
    /// compressor never stops early); false if it did not.
    fn deflate(&mut self, data: &[u8], flush: TDEFLFlush) -> bool {
        let out = &mut self.out;
        let (status, used) = compress_to_output(&mut self.deflater, data, flush, |chunk| {
            out.extend_from_slice(chunk);
            true
        });
        let want = match flush {
            TDEFLFlush::Finish => TDEFLStatus::Done,
            _ => TDEFLStatus::Okay,
        };
        status == want && used == data.len()
    }

    /// Ends the deflate stream and appends the CRC-32 and length trailer.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        let done = self.deflate(&[], TDEFLFlush::Finish);
        debug_assert!(done, "finishing a deflate stream into a Vec cannot fail");
        self.out.extend(self.crc.to_le_bytes());
        self.out.extend(self.len.to_le_bytes());
        self.out
    }
}

impl io::Write for GzWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if !self.deflate(data, TDEFLFlush::None) {
            return Err(io::Error::other("deflate failed"));
        }
        self.crc = checksum_more(self.crc, data);
        // ISIZE is the length modulo 2^32.
        self.len = self.len.wrapping_add(data.len() as u32);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Checks a member header and returns the bytes after it (the deflate stream).
fn header(data: &[u8]) -> Result<&[u8]> {
    if data.len() < 10 || data[0] != 0x1f || data[1] != 0x8b || data[2] != 8 {
        return Err(corrupt("invalid header"));
    }
    let flags = data[3];
    if flags & 0xe0 != 0 {
        return Err(corrupt("invalid header (reserved flags)"));
    }
    let mut pos = 10;
    if flags & FEXTRA != 0 {
        let len = data
            .get(pos..pos + 2)
            .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
            .ok_or_else(|| corrupt("unexpected end of data"))?;
        pos += 2 + len;
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let nul = data
                .get(pos..)
                .and_then(|s| s.iter().position(|&b| b == 0))
                .ok_or_else(|| corrupt("unexpected end of data"))?;
            pos += nul + 1;
        }
    }
    if flags & FHCRC != 0 {
        let want = data
            .get(pos..pos + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .ok_or_else(|| corrupt("unexpected end of data"))?;
        if checksum(&data[..pos]) as u16 != want {
            return Err(corrupt("header checksum error"));
        }
        pos += 2;
    }
    data.get(pos..)
        .ok_or_else(|| corrupt("unexpected end of data"))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 4)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn gz(data: &[u8], name: Option<&str>) -> Vec<u8> {
        let mut b = flate2::GzBuilder::new().mtime(0);
        if let Some(n) = name {
            b = b.filename(n).comment("c").extra(vec![1, 2, 3]);
        }
        let mut enc = b.write(Vec::new(), flate2::Compression::new(6));
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    #[test]
    fn crc32_matches_the_check_value() {
        // The standard check value of CRC-32/ISO-HDLC.
        assert_eq!(crc32(0, b"123456789"), 0xCBF4_3926);
        let mut h = flate2::Crc::new();
        let data: Vec<u8> = (0..5000u32).map(|i| (i * 7 + i / 13) as u8).collect();
        h.update(&data);
        assert_eq!(crc32(0, &data), h.sum());
    }

    #[test]
    fn writes_the_bytes_flate2_writes() {
        let text: Vec<u8> = (0..300_000u32)
            .map(|i| b"layer tar "[(i % 10) as usize])
            .collect();
        let noise: Vec<u8> = (0..200_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for data in [&b""[..], b"hi", &text, &noise] {
            for level in [1u8, 6, 9] {
                let mut b = flate2::GzBuilder::new()
                    .mtime(0)
                    .write(Vec::new(), flate2::Compression::new(level.into()));
                b.write_all(data).unwrap();
                let want = b.finish().unwrap();
                // Chunking must not matter: tar writes headers and contents apart.
                for chunk in [1 << 20, 512, 7] {
                    let mut ours = GzWriter::new(level);
                    for piece in data.chunks(chunk) {
                        ours.write_all(piece).unwrap();
                    }
                    let got = ours.finish();
                    assert!(
                        got == want,
                        "level {level}, chunk {chunk}, {} bytes",
                        data.len()
                    );
                    assert_eq!(gunzip(&got, u64::MAX).unwrap(), data);
                }
            }
        }
    }

    #[test]
    fn reads_members_with_optional_fields() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
        let mut two = gz(&data, Some("a.tar"));
        two.extend(gz(b"second member", None));
        let mut want = data.clone();
        want.extend(b"second member");
        assert_eq!(gunzip(&two, u64::MAX).unwrap(), want);
        assert_eq!(gunzip(&gz(b"", None), 10).unwrap(), b"");
    }

    #[test]
    fn header_crc_is_checked() {
        // A hand-made header with FHCRC (flate2 does not write one).
        let body = gz(b"hi", None);
        let mut h = body[..10].to_vec();
        h[3] |= FHCRC;
        let c = crc32(0, &h) as u16;
        h.extend(c.to_le_bytes());
        h.extend(&body[10..]);
        assert_eq!(gunzip(&h, 100).unwrap(), b"hi");
        let n = h.len();
        h[10] ^= 1;
        let e = gunzip(&h, 100).unwrap_err();
        assert!(e.to_string().contains("header checksum"), "{e}");
        assert!(n > 12);
    }

    #[test]
    fn rejects_corruption_truncation_garbage_and_bombs() {
        let good = gz(b"hello hello hello hello", Some("x"));
        let mut bad_crc = good.clone();
        let n = bad_crc.len();
        bad_crc[n - 8] ^= 0xff;
        let mut bad_len = good.clone();
        bad_len[n - 1] ^= 0xff;
        let mut trailing = good.clone();
        trailing.extend(b"\0\0\0");
        for (bytes, what) in [
            (&bad_crc[..], "checksum"),
            (&bad_len[..], "length"),
            (&good[..n - 3], "unexpected end"),
            (&good[..15], "unexpected end"),
            (&trailing[..], "invalid header"),
            (&b"\x1f\x8b\x08\xe0"[..], "invalid header"),
        ] {
            let e = gunzip(bytes, 1000).unwrap_err();
            assert!(e.to_string().contains(what), "{what}: {e}");
        }
        let zeros = gz(&vec![0u8; 1 << 20], None);
        let e = gunzip(&zeros, 1000).unwrap_err();
        assert_eq!(e.kind, ErrorKind::LimitExceeded);
        assert_eq!(gunzip(&zeros, 1 << 20).unwrap().len(), 1 << 20);
    }
}
