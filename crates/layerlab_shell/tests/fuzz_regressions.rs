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

/// `shell_run` found `.*/.*/.*/…` taking all memory: `.*` matches `.` and `..`, so the
/// candidates double at each component. Pathname expansion now spends the step budget.
#[test]
fn exponential_pathname_expansion_stops_at_the_budget() {
    let pattern = ".*/".repeat(40) + "x";
    let req = RunRequest {
        budget: 50_000,
        ..RunRequest::shell(&format!("echo {pattern}"))
    };
    let mut fs = Fs::default();
    for tool in ["sh", "echo"] {
        let path = layerlab_vfs::VfsPath::new("/bin").child(tool);
        fs.mkdir_p(&path.parent().unwrap(), layerlab_vfs::Meta::new(0o755))
            .unwrap();
        fs.write_file(
            &path,
            layerlab_vfs::Content::inline("x"),
            layerlab_vfs::Meta::new(0o755),
        )
        .unwrap();
    }
    let out = run(&mut fs, &req);
    assert_ne!(out.status.code(), 0, "{}", out.stderr());
    assert!(out.steps <= 50_001, "{}", out.steps);
    // A modest pattern still expands.
    let out = run(&mut fs, &RunRequest::shell("echo /.*/../b*"));
    assert_eq!(out.stdout(), "/../../bin /./../bin\n"); // as dash prints it
}
