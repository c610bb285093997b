//! Unit tables for the regular-expression engine.

use super::Regex;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn m(expr: &str, text: &str) -> bool {
    Regex::new(expr)
        .unwrap_or_else(|e| panic!("{expr}: {e:?}"))
        .is_match(text)
}

#[test]
fn translated_globs_match_like_go() {
    assert!(m("^[^/]*$", "file"));
    assert!(!m("^[^/]*$", "a/b"));
    assert!(m("^(.*/)?dir2/[^/]*$", "x/y/dir2/f"));
    assert!(m("^(.*/)?dir2/[^/]*$", "dir2/f"));
    assert!(!m("^(.*/)?dir2/[^/]*$", "xdir2/f"));
    assert!(m("^a[b-d]e$", "ace"));
    assert!(!m("^a[b-d]e$", "aee"));
    assert!(m("^\\.[^/]*$", ".git"));
    // `.` does not match a newline, `[^/]` does (Go's ClassNL).
    assert!(!m("^a.*$", "a\nb"));
    assert!(m("^a[^/]*$", "a\nb"));
}

#[test]
fn trailing_dollar_swallowed_by_quote_leaves_end_open() {
    assert!(m("^\\Qab$", "ab$cd"));
    assert!(!m("^\\Qab$", "ab"));
}

#[test]
fn classes_escapes_and_assertions() {
    assert!(m("^[[:alpha:]]$", "q"));
    assert!(!m("^[[:alpha:]]$", "1"));
    assert!(m("^\\d\\d$", "42"));
    assert!(m("^a\\b$", "a"));
    assert!(!m("^a\\bb$", "ab"));
    assert!(m("^[^]a]$", "b"));
    assert!(m("^[a-]$", "-"));
    assert!(m("^\\x41$", "A"));
    assert!(m("^\\101$", "A"));
    // `[a[^/]*]`: the class is `[a[^/]`, then `*`, then a literal `]`.
    assert!(m("^[a[^/]*]$", "a[]"));
    assert!(m("^[a[^/]*]$", "]"));
}

#[test]
fn rejections_follow_re2() {
    for bad in [
        "^[z-a]$",
        "^\\y$",
        "^[[:nope:]]$",
        "^[a$",
        "^\\1$",
        "^a**$",
        "^\\C$",
        "^\\pX$",
        "^\\x4$",
        "^\\é$",
    ] {
        assert!(Regex::new(bad).is_err(), "{bad} should be rejected");
    }
    for ok in ["^[a-b-c]$", "^\\_$", "^\\pL$", "^a*?$", "^[\\d-z]$", "^*$"] {
        assert!(Regex::new(ok).is_ok(), "{ok} should be accepted");
    }
}
