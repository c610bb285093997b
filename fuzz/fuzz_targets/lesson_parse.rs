//! Arbitrary text as a lesson file (a tutorial author may paste one; share links may
//! carry one): the parser never panics, every line it reports lies inside the text,
//! and the parsed edits and expectations can be applied and checked (against an empty
//! build output, so no engine run) without panicking.
#![no_main]

use layerlab_build::engine::BuildOutput;
use layerlab_lesson::{check_build, parse, Project};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.lines().count() as u32;
    let sc = match parse("fuzz.md", text) {
        Ok(sc) => sc,
        Err(e) => {
            let line: u32 = e
                .strip_prefix("fuzz.md:")
                .and_then(|r| r.split(':').next())
                .and_then(|n| n.parse().ok())
                .expect("errors name a line");
            assert!(line >= 1 && line <= lines.max(1), "{e}");
            return;
        }
    };
    let mut project = Project::from_edits(&sc.initial);
    let empty = BuildOutput::default();
    for b in &sc.builds {
        assert!(b.line >= 1 && b.line <= lines && b.expect_end <= lines);
        project.apply(&b.edits);
        let _ = project.context();
        for o in check_build(b, &project.dockerfile, &empty) {
            assert!(o.line >= 1 && o.line <= lines);
            let _ = o.message();
        }
    }
});
