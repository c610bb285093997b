//! Arbitrary text run as a `RUN` step on a tiny image: never panics, always ends
//! (the step budget), and the status is a valid exit code.
#![no_main]

use layerlab_shell::{run, RunRequest};
use layerlab_vfs::{Content, Fs, Meta, VfsPath};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let mut fs = Fs::default();
    let _ = fs.mkdir_p(&VfsPath::new("/bin"), Meta::new(0o755));
    for t in ["sh", "mkdir", "rm", "cp", "mv", "cat", "sed", "find", "touch", "ln", "chmod"] {
        let _ = fs.write_file(&VfsPath::new("/bin").child(t), Content::inline("x"), Meta::new(0o755));
    }
    let req = RunRequest { budget: 50_000, ..RunRequest::shell(s) };
    let out = run(&mut fs, &req);
    assert!((0..=255).contains(&out.status.code()));
});
