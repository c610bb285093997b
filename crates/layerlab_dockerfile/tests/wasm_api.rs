//! The public API in wasm (Node and Chromium): parse, highlight, check, expansion.
#![cfg(target_arch = "wasm32")]

use layerlab_dockerfile::{check, highlight, parse, shell::Lexer, HighlightKind};
use wasm_bindgen_test::wasm_bindgen_test;

const TEXT: &str =
    "# check=skip=runs-as-root\nFROM alpine AS Build\nRUN <<EOF\necho hi\nEOF\nCMD echo $HOME\n";

#[wasm_bindgen_test]
fn parse_highlight_check_in_wasm() {
    let p = parse(TEXT);
    assert!(p.buildkit_error.is_none());
    assert_eq!(p.dockerfile.instructions.len(), 3);
    assert_eq!(
        p.dockerfile.instructions[1].heredocs[0].content,
        "echo hi\n"
    );
    let spans = highlight(TEXT, &p);
    assert!(spans.iter().any(|h| h.kind == HighlightKind::HeredocBody));
    let codes: Vec<_> = check(TEXT, &p).iter().map(|d| d.code).collect();
    assert!(codes.contains(&"StageNameCasing") && codes.contains(&"JSONArgsRecommended"));
    assert!(!codes.contains(&"runs-as-root"));
}

#[wasm_bindgen_test]
fn expansion_in_wasm() {
    let env = |k: &str| (k == "A").then(|| "x y".to_string());
    let lex = Lexer::new('\\');
    assert_eq!(
        lex.process_words("$A \"$A\" ${B:-z}", &env).unwrap(),
        ["x", "y", "x y", "z"]
    );
}

/// The lexer's nesting limit keeps deep `${…}` inside the wasm stack (1 MiB).
#[wasm_bindgen_test]
fn deep_substitutions_fit_the_wasm_stack() {
    for n in [400, 499, 2000] {
        let text = format!(
            "FROM a\nRUN <<EOF {}{}\nEOF\n",
            "${a:-".repeat(n),
            "}".repeat(n)
        );
        let p = parse(&text);
        assert!(!p.dockerfile.instructions.is_empty());
    }
}
