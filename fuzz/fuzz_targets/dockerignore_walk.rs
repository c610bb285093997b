//! Fuzz the whole `.dockerignore` pipeline: arbitrary bytes split into an ignore
//! file and a tree listing; reading, compiling, walking, explaining and linting must
//! never panic or hang.

#![no_main]

use layerlab_dockerignore::{lint, walk, ContextTree, IgnoreFile, LintInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (ignore, listing) = text.split_once('\0').unwrap_or((&text, "a/b\nc\n"));
    let file = IgnoreFile::parse(ignore);
    let Ok(matcher) = file.matcher() else {
        return;
    };
    let tree = ContextTree::from_listing(listing);
    if let Ok(report) = walk(&matcher, &tree) {
        let _ = lint(&LintInput {
            file: &file,
            matcher: &matcher,
            context: Some((&tree, &report)),
        });
    }
    for e in tree.entries().iter().take(64) {
        if let Ok(x) = matcher.explain(&e.path) {
            let _ = matcher.describe(&x);
        }
    }
});
