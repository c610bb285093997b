//! Bounded no-panic properties: arbitrary digest tables and arbitrary references.
#![cfg(not(target_arch = "wasm32"))]

use layerlab_catalog::{format_digest_line, parse_digest_table, Catalog};
use layerlab_image::Platform;
use proptest::prelude::*;

fn amd64() -> Platform {
    Platform {
        os: "linux".into(),
        architecture: "amd64".into(),
        variant: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn digest_table_never_panics_and_ranges_are_in_bounds(text in "(\\PC{0,40}\n?){0,8}") {
        let (table, diags) = parse_digest_table(&text);
        for d in &diags {
            let (s, e) = (u32::from(d.range.start()) as usize, u32::from(d.range.end()) as usize);
            prop_assert!(s <= e && e <= text.len());
            prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        }
        let printed: String = table.iter().map(|(k, d)| format_digest_line(k, d) + "\n").collect();
        prop_assert_eq!(parse_digest_table(&printed).0, table);
    }

    #[test]
    fn resolve_never_panics(reference in "[a-zA-Z0-9./:@_-]{0,40}") {
        match Catalog::builtin().resolve(&reference, &amd64()) {
            Ok(img) => prop_assert_eq!(img.layers.len(), img.config.diff_ids.len()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn near_misses_of_real_tags_get_suggestions(idx in 0usize..400, pos in 0usize..8) {
        let refs = Catalog::builtin().references();
        let r = &refs[idx % refs.len()];
        // Drop one character of the repository name: a typo a suggestion should fix.
        let colon = r.rfind(':').unwrap();
        let at = pos % colon;
        let typo = format!("{}{}", &r[..at], &r[at + 1..]);
        if let Err(e) = Catalog::builtin().resolve(&typo, &amd64()) {
            let short = r[..colon].len() < 4 || r.contains('/');
            prop_assert!(short || !e.suggestions.is_empty(), "{typo}: {e}");
        }
    }
}
