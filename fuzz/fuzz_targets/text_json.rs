//! The core's JSON reader on arbitrary bytes: it never panics or overflows the stack,
//! an error points inside the input, and what it accepts the writer prints back as the
//! same value (compact and indented).
#![no_main]

use layerlab_text::json::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse(data) {
        Ok(v) => {
            assert_eq!(parse(&v.to_bytes()).as_ref(), Ok(&v));
            assert_eq!(parse(v.to_string_pretty().as_bytes()).as_ref(), Ok(&v));
        }
        Err(e) => assert!(e.offset as usize <= data.len(), "{e}"),
    }
});
