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

/// `shell_pkgs` found `npm install NAME` slicing a name that starts with a multi-byte
/// character at byte 1 (`é@1`, `~\u{f9}`): a panic, now a name npm refuses as npm does.
#[test]
fn npm_install_of_a_name_starting_with_a_wide_character() {
    use layerlab_vfs::{Content, Meta, VfsPath};
    let mut fs = Fs::default();
    for dir in ["/bin", "/app"] {
        fs.mkdir_p(&VfsPath::new(dir), Meta::new(0o755)).unwrap();
    }
    for tool in ["sh", "npm"] {
        let path = VfsPath::new("/bin").child(tool);
        fs.write_file(&path, Content::inline("x"), Meta::new(0o755))
            .unwrap();
    }
    for name in ["é@1", "é", "@é/x@2", "\u{1f600}"] {
        let req = RunRequest {
            workdir: "/app".into(),
            ..RunRequest::shell(&format!("npm install '{name}'"))
        };
        let out = run(&mut fs, &req);
        assert_eq!(out.status.code(), 1, "{name}");
        assert!(
            out.stderr()
                .starts_with("npm error code EINVALIDPACKAGENAME\nnpm error Invalid package name"),
            "{name}: {}",
            out.stderr()
        );
    }
}
