//! Inputs the fuzzers found crashing the shell parser (kept as seeds under fuzz/seeds
//! too): parsing and running them must neither panic nor report positions outside the
//! input.

use layerlab_shell::{parse, run, RunRequest};
use layerlab_vfs::Fs;

const FOUND: [&[u8]; 3] = [
    // A command made of blanks the lexer skips: its range ended before its start.
    b"\x08\n\x0c",
    b"\nc\n\x0b",
    // A here-document inside backquotes: the error landed past the end of the script.
    b"\x08+.`\x10b`\x00<<`f[\x05`i\ndd$((`f@`",
];

#[test]
fn fuzz_findings_parse_and_run_without_panicking() {
    for input in FOUND {
        let text = std::str::from_utf8(input).unwrap();
        if let Err(e) = parse(text) {
            assert!(
                e.range.end().to_usize() <= text.len(),
                "{input:?}: {:?}",
                e.range
            );
        }
        let _ = run(&mut Fs::default(), &RunRequest::shell(text));
    }
}
