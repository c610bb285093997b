//! Arbitrary `FROM` references against the built-in catalog: never panics, errors have
//! a message, and a resolved image's layers match the digest table.
#![no_main]

use layerlab_catalog::Catalog;
use layerlab_image::Platform;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let platform = Platform {
        os: "linux".into(),
        architecture: "amd64".into(),
        variant: None,
    };
    match Catalog::builtin().resolve(s, &platform) {
        Ok(img) => assert_eq!(img.config.diff_ids.len(), img.layers.len()),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
