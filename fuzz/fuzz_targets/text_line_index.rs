//! LineIndex must never panic and must round-trip offsets on any text.
#![no_main]
use layerlab_text::{LineIndex, TextSize};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let index = LineIndex::new(text);
    for (i, _) in text.char_indices().step_by(7) {
        let offset = TextSize::from(i as u32);
        let pos = index.line_col_utf16(text, offset);
        assert_eq!(index.offset_utf16(text, pos), offset);
        let _ = index.line_col(offset);
    }
});
