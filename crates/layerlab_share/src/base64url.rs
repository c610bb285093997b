//! Base64url without padding (RFC 4648 §5): the alphabet a URL fragment keeps as is.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Encodes bytes, no `=` padding.
pub(crate) fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}

fn value(c: u8) -> Option<u32> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    } as u32)
}

/// Decodes unpadded base64url; the error is the offending character's index. Unused
/// low bits of the last character must be zero, so each byte string has one encoding.
pub(crate) fn decode(text: &str) -> Result<Vec<u8>, (usize, &'static str)> {
    let bytes = text.as_bytes();
    if bytes.len() % 4 == 1 {
        return Err((bytes.len() - 1, "the text ends mid-byte (truncated link?)"));
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3 + 2);
    for (c, chunk) in bytes.chunks(4).enumerate() {
        let mut n = 0u32;
        for (i, &ch) in chunk.iter().enumerate() {
            let v = value(ch).ok_or((c * 4 + i, "not a base64url character"))?;
            n |= v << (18 - 6 * i);
        }
        let full = chunk.len() - 1;
        let tail_bits = 8 * 3 - 8 * full;
        if chunk.len() < 4 && n & ((1 << tail_bits) - 1) != 0 {
            return Err((c * 4 + chunk.len() - 1, "stray bits in the last character"));
        }
        out.extend_from_slice(&n.to_be_bytes()[1..1 + full]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn rfc4648_vectors_without_padding() {
        // RFC 4648 §10 test vectors, padding removed (base64url alphabet is identical here).
        let vectors = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, coded) in vectors {
            assert_eq!(encode(plain.as_bytes()), coded);
            assert_eq!(decode(coded).unwrap(), plain.as_bytes());
        }
        assert_eq!(encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(decode("-_8").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn rejects_bad_characters_truncation_and_stray_bits() {
        assert_eq!(decode("Zm9v+g").unwrap_err().0, 4);
        assert_eq!(decode("Zm9vY").unwrap_err().0, 4);
        assert_eq!(decode("Zh").unwrap_err().0, 1);
        assert!(decode("Zm=").is_err());
    }
}
