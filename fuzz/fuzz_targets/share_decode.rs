//! Arbitrary text as a share link: decode must return a state or an error, never panic,
//! and a state it returns must encode to a link that decodes to the same state.
#![no_main]

use layerlab_share::{decode, encode, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_payload: 1 << 20,
        ..Limits::default()
    };
    let text = String::from_utf8_lossy(data);
    if let Ok(state) = decode(&text, &limits) {
        let link = encode(&state, &limits).expect("a decoded state re-encodes");
        assert_eq!(decode(&link, &limits).as_ref(), Ok(&state));
    }
});
