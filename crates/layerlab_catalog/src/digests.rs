//! The generated digest table: one line per layer, `key diff_id tar_size size`.
//!
//! Hashing a base image means hashing hundreds of megabytes of synthetic content, so
//! it happens once, in the `gen_catalog` example, and the results ship as text. This
//! module parses that text. The table is data like any other input, so the parser never
//! panics: a malformed line becomes a [`Diagnostic`] with its byte range and is skipped.

use layerlab_text::{Diagnostic, TextRange, TextSize};
use layerlab_vfs::Digest;
use std::collections::BTreeMap;

/// What the generator recorded for one layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerDigest {
    /// sha256 of the uncompressed layer tar, as `layerlab_image`'s layer writer makes it.
    pub diff_id: Digest,
    /// Length of that tar in bytes.
    pub tar_size: u64,
    /// Sum of file content sizes (what `docker history` shows as SIZE).
    pub size: u64,
}

/// The layer digest table, keyed by layer key.
pub type DigestTable = BTreeMap<String, LayerDigest>;

/// Parses a digest table. Blank lines and `#` comments are ignored.
///
/// Returns every well-formed line; each malformed line gives one diagnostic
/// (`catalog-digest-line`) whose range covers that line. A repeated key keeps the first
/// line and reports the second (`catalog-duplicate-layer`).
pub fn parse_digest_table(text: &str) -> (DigestTable, Vec<Diagnostic>) {
    let mut table = DigestTable::new();
    let mut diags = Vec::new();
    let mut offset = 0usize;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let range = span(start, line.len());
        let body = line.trim();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        match parse_line(body) {
            Ok((key, d)) => {
                if table.contains_key(key) {
                    diags.push(Diagnostic::error(
                        "catalog-duplicate-layer",
                        format!("layer `{key}` is listed twice; the first line wins"),
                        range,
                    ));
                } else {
                    table.insert(key.to_owned(), d);
                }
            }
            Err(why) => diags.push(
                Diagnostic::error("catalog-digest-line", why, range).with_help(
                    "expected `<layer-key> sha256:<64 hex> <tar bytes> <content bytes>`",
                ),
            ),
        }
    }
    (table, diags)
}

fn parse_line(body: &str) -> Result<(&str, LayerDigest), String> {
    let fields: Vec<&str> = body.split_ascii_whitespace().collect();
    let [key, digest, tar_size, size] = fields[..] else {
        return Err(format!("expected 4 fields, found {}", fields.len()));
    };
    let diff_id =
        Digest::parse(digest).ok_or_else(|| format!("`{digest}` is not a sha256 digest"))?;
    let number = |s: &str, what: &str| {
        s.parse::<u64>()
            .map_err(|_| format!("{what} `{s}` is not a byte count"))
    };
    Ok((
        key,
        LayerDigest {
            diff_id,
            tar_size: number(tar_size, "tar size")?,
            size: number(size, "size")?,
        },
    ))
}

/// A range from byte offsets; the table is far below 4 GiB, and larger inputs saturate
/// instead of wrapping so that ranges stay ordered.
fn span(start: usize, len: usize) -> TextRange {
    let s = u32::try_from(start).unwrap_or(u32::MAX);
    let e = u32::try_from(start.saturating_add(len)).unwrap_or(u32::MAX);
    TextRange::new(TextSize::from(s), TextSize::from(e))
}

/// Formats one table line (the generator's output format).
pub fn format_digest_line(key: &str, d: &LayerDigest) -> String {
    format!("{key} {} {} {}", d.diff_id, d.tar_size, d.size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_reports_bad_lines_with_ranges() {
        let d = LayerDigest {
            diff_id: Digest::of(b"x"),
            tar_size: 3072,
            size: 1,
        };
        let text = format!("# c\n{}\nbroken line\n", format_digest_line("a/b", &d));
        let (table, diags) = parse_digest_table(&text);
        assert_eq!(table.get("a/b"), Some(&d));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "catalog-digest-line");
        let r = diags[0].range;
        assert_eq!(
            &text[u32::from(r.start()) as usize..u32::from(r.end()) as usize],
            "broken line"
        );
    }
}
