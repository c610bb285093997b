//! Arbitrary bytes as gzip data: never panic, never exceed the cap, and a stream that
//! inflates also round-trips through `flate2`'s encoder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    const CAP: u64 = 1 << 20;
    if let Ok(out) = layerlab_image::gunzip(data, CAP) {
        assert!(out.len() as u64 <= CAP);
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&out).unwrap();
        let again = layerlab_image::gunzip(&enc.finish().unwrap(), CAP).unwrap();
        assert_eq!(again, out);
    }
});
