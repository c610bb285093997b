//! Inflating raw deflate streams (RFC 1951) from untrusted input: share links and
//! gzip members (layers, `ADD`ed archives, uploaded contexts) all come through here.
//!
//! The output is capped, so a small hostile stream cannot make gigabytes (a
//! decompression bomb), and it grows geometrically up to the cap, so an honest stream
//! costs a few reallocations. Callers decide what follows the stream: a gzip trailer,
//! or nothing at all in a share link.
#![deny(missing_docs)]

use miniz_oxide::inflate::stream::{inflate, InflateState};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};
use std::fmt;

/// Why a stream did not inflate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InflateError {
    /// The output would pass the cap.
    TooLarge,
    /// The input ends before the stream does.
    Truncated,
    /// The bytes are not deflate data.
    Invalid,
}

impl fmt::Display for InflateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InflateError::TooLarge => "inflates past its size limit",
            InflateError::Truncated => "unexpected end of data",
            InflateError::Invalid => "invalid deflate data",
        })
    }
}

impl std::error::Error for InflateError {}

/// Appends the raw deflate stream at the start of `data` to `out`, as long as `out`
/// stays within `cap` bytes; returns how many bytes of `data` the stream took.
///
/// # Errors
/// [`InflateError::TooLarge`] as soon as `out` would pass `cap` (what was inflated so
/// far stays in `out`), else the first problem in the stream.
pub fn inflate_onto(data: &[u8], cap: u64, out: &mut Vec<u8>) -> Result<usize, InflateError> {
    let mut state = InflateState::new_boxed(DataFormat::Raw);
    let mut used = 0;
    loop {
        let len = out.len();
        let room = cap.saturating_add(1).saturating_sub(len as u64);
        if room == 0 {
            return Err(InflateError::TooLarge);
        }
        // Grow geometrically (at least 64 KiB), never past one byte over the cap: that
        // byte is how a stream that would pass the cap is told from one that fills it.
        let grow = room.min(len.max(64 * 1024) as u64) as usize;
        out.resize(len + grow, 0);
        let res = inflate(&mut state, &data[used..], &mut out[len..], MZFlush::None);
        used += res.bytes_consumed;
        out.truncate(len + res.bytes_written);
        if out.len() as u64 > cap {
            return Err(InflateError::TooLarge);
        }
        let stuck = res.bytes_consumed == 0 && res.bytes_written == 0;
        match res.status {
            Ok(MZStatus::StreamEnd) => return Ok(used),
            // No progress with room to write: the input ran out mid-stream.
            Ok(_) | Err(MZError::Buf) if stuck => return Err(InflateError::Truncated),
            Ok(_) | Err(MZError::Buf) => {}
            Err(_) => return Err(InflateError::Invalid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn deflate(data: &[u8]) -> Vec<u8> {
        miniz_oxide::deflate::compress_to_vec(data, 6)
    }

    /// A whole stream and nothing after it, as a share link holds.
    fn inflate_all(data: &[u8], cap: u64) -> Result<Vec<u8>, InflateError> {
        let mut out = Vec::new();
        match inflate_onto(data, cap, &mut out)? {
            used if used == data.len() => Ok(out),
            _ => Err(InflateError::Invalid),
        }
    }

    #[test]
    fn round_trips_and_reports_what_it_took() {
        let data: Vec<u8> = (0..300_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut stream = deflate(&data);
        assert_eq!(inflate_all(&stream, data.len() as u64).unwrap(), data);
        let len = stream.len();
        stream.extend_from_slice(b"trailer");
        let mut out = b"kept".to_vec();
        assert_eq!(inflate_onto(&stream, u64::MAX, &mut out), Ok(len));
        assert_eq!(&out[..4], b"kept");
        assert_eq!(&out[4..], &data[..]);
        assert_eq!(inflate_all(&stream, u64::MAX), Err(InflateError::Invalid));
        assert_eq!(inflate_all(&deflate(b""), 0), Ok(Vec::new()));
    }

    #[test]
    fn the_cap_is_exact() {
        let data = vec![0u8; 1 << 20];
        let stream = deflate(&data);
        assert_eq!(inflate_all(&stream, 1 << 20).unwrap().len(), 1 << 20);
        assert_eq!(
            inflate_all(&stream, (1 << 20) - 1),
            Err(InflateError::TooLarge)
        );
        assert_eq!(inflate_all(&stream, 0), Err(InflateError::TooLarge));
        // Output already at the cap before the call: nothing more fits.
        let mut out = vec![1u8; 10];
        assert_eq!(
            inflate_onto(&stream, 10, &mut out),
            Err(InflateError::TooLarge)
        );
    }

    #[test]
    fn broken_streams_say_why_without_panicking() {
        let stream = deflate(b"hello hello hello hello");
        for cut in 0..stream.len() {
            assert_eq!(
                inflate_all(&stream[..cut], 1000),
                Err(InflateError::Truncated),
                "cut at {cut}"
            );
        }
        // Block type 3 is reserved.
        assert_eq!(inflate_all(&[0b111], 1000), Err(InflateError::Invalid));
        for flip in 0..stream.len() * 8 {
            let mut bad = stream.clone();
            bad[flip / 8] ^= 1 << (flip % 8);
            let _ = inflate_all(&bad, 1000);
        }
    }
}
