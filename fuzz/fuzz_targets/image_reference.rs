//! Arbitrary strings as image references: never panic; a normalised reference
//! re-parses to itself.
#![no_main]

use layerlab_image::Reference;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(r) = Reference::parse_docker(s) {
        let again = Reference::parse_docker(&r.to_string()).expect("normalised form parses");
        assert_eq!(again.to_string(), r.to_string());
        let _ = r.familiar();
    }
});
