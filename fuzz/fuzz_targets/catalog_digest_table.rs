//! Arbitrary text as a catalog digest table: never panics, every diagnostic range lies
//! inside the input on character boundaries, and good lines round-trip.
#![no_main]

use layerlab_catalog::{format_digest_line, parse_digest_table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (table, diags) = parse_digest_table(text);
    for d in &diags {
        let (s, e) = (u32::from(d.range.start()) as usize, u32::from(d.range.end()) as usize);
        assert!(s <= e && e <= text.len());
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
    }
    let printed: String = table
        .iter()
        .map(|(k, d)| format_digest_line(k, d) + "\n")
        .collect();
    let (again, diags) = parse_digest_table(&printed);
    assert!(diags.is_empty());
    assert_eq!(again, table);
});
