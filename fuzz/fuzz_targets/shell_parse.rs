//! Arbitrary text as a shell script: the parser never panics and its error positions
//! lie inside the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = layerlab_shell::parse(s) {
        assert!(u32::from(e.range.end()) as usize <= s.len());
    }
});
