//! Lesson files are untrusted (pasted by a tutorial author, carried by share links):
//! lessons cut, spliced and sprinkled with format keywords parse or fail with a line
//! inside the text, and whatever parses can be applied and checked without panicking.
//! (The `lesson_parse` fuzz target explores further.)
#![cfg(not(target_arch = "wasm32"))]

use layerlab_build::engine::BuildOutput;
use layerlab_lesson::{check_build, lessons, parse, Project};
use proptest::prelude::*;

/// Lines that steer the parser into its branches, valid and not.
const LINES: &[&str] = &[
    "## build",
    "## build: t",
    "## bild",
    "# x",
    "```",
    "```expect",
    "```options",
    "```Dockerfile",
    "```.dockerignore",
    "```file a mode=0755 mtime=3",
    "```file b size=99",
    "```file c size=x",
    "```remove a",
    "steps: ✓✗!",
    "cached: 1-3,5",
    "cached: 3-1",
    "layer 2 size: 1.5MB",
    "layer 0 size: 1MB",
    "image size: 12 kB",
    "reason 2: changed",
    "file /a: x\\n",
    "mode a: 0755",
    "--target build",
    "--build-arg A",
    "--platform linux/arm64/v8/x",
    "FROM scratch",
    "COPY a /",
    "é",
    "",
];

fn check_all(text: &str) -> Result<(), TestCaseError> {
    let lines = text.lines().count().max(1) as u32;
    match parse("p.md", text) {
        Ok(sc) => {
            let mut project = Project::from_edits(&sc.initial);
            let empty = BuildOutput::default();
            for b in &sc.builds {
                project.apply(&b.edits);
                let _ = project.context();
                for o in check_build(b, &project.dockerfile, &empty) {
                    prop_assert!(o.line >= 1 && o.line <= lines);
                    let _ = o.message();
                }
            }
        }
        Err(e) => {
            let line: u32 = e
                .strip_prefix("p.md:")
                .and_then(|r| r.split(':').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            prop_assert!(line >= 1 && line <= lines, "{e}");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    #[test]
    fn spliced_lessons_parse_or_fail_with_a_line(
        which in 0..lessons().len(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(LINES), any::<bool>()), 0..12),
    ) {
        let mut lines: Vec<String> = lessons()[which].source.lines().map(str::to_string).collect();
        for (at, text, replace) in edits {
            let i = at.index(lines.len() + 1);
            if replace && i < lines.len() {
                lines[i] = text.to_string();
            } else {
                lines.insert(i, text.to_string());
            }
        }
        check_all(&lines.join("\n"))?;
    }

    #[test]
    fn arbitrary_text_parses_or_fails_with_a_line(s in "\\PC{0,300}") {
        check_all(&s)?;
    }
}
