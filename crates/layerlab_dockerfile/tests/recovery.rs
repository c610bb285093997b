//! The parser reports every problem with a range and keeps a usable tree; the first
//! problem BuildKit would stop at is `buildkit_error`, with its line.

use layerlab_dockerfile::parse;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[test]
fn every_error_is_reported_and_the_tree_survives() {
    let text = "# escape=x\n# escape=`\nFROM a\nENV onlykey\nLABEL a=b c\nCMD [\"a\", 1]\nRUN <<EOF\necho\n";
    let p = parse(text);
    let codes: Vec<_> = p.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        [
            "invalid-escape",
            "duplicate-directive",
            "invalid-arguments",
            "invalid-arguments",
            "invalid-arguments",
            "unterminated-heredoc"
        ]
    );
    for d in &p.diagnostics {
        assert!(!d.message.is_empty());
        assert!(d.range.end().to_usize() <= text.len());
    }
    let kws: Vec<_> = p
        .dockerfile
        .instructions
        .iter()
        .map(|i| i.keyword.as_str())
        .collect();
    assert_eq!(kws, ["FROM", "ENV", "LABEL", "CMD", "RUN"]);
    let run = &p.dockerfile.instructions[4];
    assert_eq!(run.heredocs[0].content, "echo\n");
    let e = p.buildkit_error.unwrap();
    assert_eq!(e.line, 1);
    assert_eq!(e.message, "invalid escape token 'x' does not match ` or \\");
    assert_eq!(
        e.to_message_with_line(),
        "dockerfile parse error on line 1: invalid escape token 'x' does not match ` or \\"
    );
}

#[test]
fn empty_file_and_comment_only_file_are_rejected_with_a_line() {
    for text in ["", "# just a comment\n\n"] {
        let e = parse(text).buildkit_error.unwrap();
        assert_eq!(e.message, "file with no instructions");
        assert!(e.line >= 1);
    }
}

#[test]
fn unknown_instruction_is_accepted_but_flagged() {
    let p = parse("FROM a\nFOO bar\n");
    assert!(p.buildkit_error.is_none());
    assert_eq!(p.diagnostics[0].code, "unknown-instruction");
    // BuildKit suggests a keyword within 2 edits, in the case the word is written in.
    assert_eq!(
        p.diagnostics[0].message,
        "unknown instruction: FOO (did you mean FROM?)"
    );
    let message = |text: &str| parse(text).diagnostics[0].message.clone();
    assert_eq!(
        message("FROM a\ncopi x y\n"),
        "unknown instruction: copi (did you mean copy?)"
    );
    assert_eq!(
        message("FROM a\nCopi x y\n"),
        "unknown instruction: Copi (did you mean copy?)"
    );
    assert_eq!(
        message("FROM a\nFROBNICATE\n"),
        "unknown instruction: FROBNICATE"
    );
}

#[test]
fn spans_of_words_flags_and_heredocs() {
    let text = "FROM a\nCOPY --chown=1:1 \\\n  src \\\n  # note\n  /dst/\nRUN 3<<-'END' cat\n\tbody\n\tEND\n";
    let p = parse(text);
    let copy = &p.dockerfile.instructions[1];
    assert_eq!((copy.start_line, copy.end_line), (2, 5));
    assert_eq!(&text[copy.flags[0].range.to_range()], "--chown=1:1");
    let words: Vec<_> = copy
        .value
        .iter()
        .map(|w| &text[w.range.to_range()])
        .collect();
    assert_eq!(words, ["src", "/dst/"]);
    assert_eq!(copy.comment_lines.len(), 1);
    let run = &p.dockerfile.instructions[2];
    let h = &run.heredocs[0];
    assert_eq!(
        (h.name.as_str(), h.file_descriptor, h.chomp, h.expand),
        ("END", 3, true, false)
    );
    assert_eq!(&text[h.marker_range.to_range()], "3<<-'END'");
    assert_eq!(&text[h.body_range.to_range()], "\tbody\n");
    assert_eq!(
        &text[run.range.to_range()],
        "RUN 3<<-'END' cat\n\tbody\n\tEND"
    );
}

/// BuildKit's scanner limit, checked against the oracle: 65,535 bytes per line
/// (a CR before the LF counts); "no instructions" is reported before it.
#[test]
fn line_length_limit_matches_buildkit() {
    let long = |n: usize, end: &str| format!("FROM a\n{}{end}", "x".repeat(n));
    assert!(parse(&long(65_535, "\n")).buildkit_error.is_none());
    assert!(parse(&long(65_535, "")).buildkit_error.is_none());
    for text in [long(65_536, "\n"), long(65_536, ""), long(65_535, "\r\n")] {
        let e = parse(&text).buildkit_error.unwrap();
        assert_eq!(
            e.message,
            "dockerfile line greater than max allowed size of 65535"
        );
        assert_eq!(e.line, 2);
    }
    let e = parse(&format!("# c\n{}\n", "x".repeat(70_000)))
        .buildkit_error
        .unwrap();
    assert_eq!(e.message, "file with no instructions");
}
