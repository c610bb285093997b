//! Untrusted input never panics: arbitrary ignore-file text and trees go through
//! reading, compiling, walking, explaining and linting (bounded cases).

#![cfg(not(target_arch = "wasm32"))]

use layerlab_dockerignore::{lint, walk, ContextTree, IgnoreFile, LintInput};
use proptest::prelude::*;

fn ignore_text() -> impl Strategy<Value = String> {
    // Pattern-ish characters, RE2 escapes and class syntax are over-represented.
    let piece = prop_oneof![
        Just("*".to_owned()),
        Just("**".to_owned()),
        Just("?".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("^".to_owned()),
        Just("\\".to_owned()),
        Just("!".to_owned()),
        Just("/".to_owned()),
        Just("\n".to_owned()),
        Just("[:alpha:]".to_owned()),
        Just("\\Q".to_owned()),
        Just("\\E".to_owned()),
        Just("\\p".to_owned()),
        Just("\\x".to_owned()),
        Just("-".to_owned()),
        "[a-z0-9.]{1,3}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_input_never_panics(text in ignore_text(), listing in "[a-c/.\n*]{0,40}") {
        let file = IgnoreFile::parse(&text);
        let Ok(matcher) = file.matcher() else { return Ok(()); };
        let tree = ContextTree::from_listing(&listing);
        if let Ok(report) = walk(&matcher, &tree) {
            let _ = lint(&LintInput { file: &file, matcher: &matcher, context: Some((&tree, &report)) });
        }
        for e in tree.entries() {
            if let Ok(x) = matcher.explain(&e.path) {
                let _ = matcher.describe(&x);
            }
            let _ = matcher.matches_or_parent_matches(&e.path);
        }
        let _ = lint(&LintInput { file: &file, matcher: &matcher, context: None });
    }
}
