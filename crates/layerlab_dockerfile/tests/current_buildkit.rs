//! Where current BuildKit differs from the oracle's v0.12.5 (corpus README, "How far
//! v0.12.5 is from current BuildKit"), and the one wrapper artifact in the testfiles.
//! We follow current BuildKit; these tests pin that behaviour.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::disallowed_methods, reason = "tests read the shared corpus")]

use layerlab_dockerfile::parse;

fn shared_file(test: &str, rel: &str) -> Option<String> {
    let shared = layerlab_testkit::shared_dir(test)?;
    Some(std::fs::read_to_string(shared.join("corpus").join(rel)).unwrap())
}

/// v0.15.0+: text after the closing `]` makes it shell form.
#[test]
fn json_with_trailing_text_is_shell_form() {
    let Some(text) = shared_file(
        "json_with_trailing_text_is_shell_form",
        "edge-cases/json-forms.Dockerfile",
    ) else {
        return;
    };
    let p = parse(&text);
    let ep = &p.dockerfile.instructions[8];
    assert_eq!(ep.keyword, "ENTRYPOINT");
    assert!(!ep.json);
    assert_eq!(ep.value[0].text, "[\"a\"] extra");
    // Every other instruction is as the oracle recorded.
    assert!(p.dockerfile.instructions[9].json);
    assert_eq!(p.dockerfile.instructions[10].value[1].text, "A\t\n");
}

/// v0.22.0+: `<< EOF` (blank after the operator) is a heredoc.
#[test]
fn heredoc_with_space_after_operator() {
    let Some(text) = shared_file(
        "heredoc_with_space_after_operator",
        "edge-cases/heredoc-space-after-operator.Dockerfile",
    ) else {
        return;
    };
    let p = parse(&text);
    let ins = &p.dockerfile.instructions;
    assert_eq!(ins.len(), 3);
    assert_eq!((ins[1].start_line, ins[1].end_line), (2, 4));
    assert_eq!(ins[1].heredocs[0].name, "EOF");
    assert_eq!(ins[1].heredocs[0].content, "echo a\n");
    assert_eq!(ins[2].value[0].text, "echo done");
}

/// The wrapper cut the last JSON string at its NUL; BuildKit keeps it whole.
#[test]
fn json_string_with_nul_is_kept_whole() {
    let Some(text) = shared_file(
        "json_string_with_nul_is_kept_whole",
        "buildkit-testfiles/frontend/dockerfile/parser/testfiles/json/Dockerfile",
    ) else {
        return;
    };
    let p = parse(&text);
    let last = p.dockerfile.instructions.last().unwrap();
    let got: Vec<&str> = last.value.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(
        got,
        ["abc 123", "♥", "☃", "\" \\ / \u{8} \u{c} \n \r \t \0"]
    );
}
