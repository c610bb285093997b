use super::*;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn env(k: &str) -> Option<String> {
    match k {
        "PWD" => Some("/home".into()),
        "EMPTY" => Some(String::new()),
        "PATHS" => Some("a/b/c.tar.gz".into()),
        _ => None,
    }
}

fn word(s: &str) -> Result<String, ShellError> {
    Lexer::new('\\').process_word(s, &env)
}

#[test]
fn modifiers() {
    assert_eq!(word("${X-a}${EMPTY-b}${EMPTY:-c}").unwrap(), "ac");
    assert_eq!(word("${PWD+a}${EMPTY+b}${EMPTY:+c}").unwrap(), "ab");
    assert_eq!(
        word("${PATHS#*/}|${PATHS##*/}").unwrap(),
        "b/c.tar.gz|c.tar.gz"
    );
    assert_eq!(word("${PATHS%.*}|${PATHS%%.*}").unwrap(), "a/b/c.tar|a/b/c");
    assert_eq!(
        word("${PATHS/\\//-}|${PATHS//\\//-}").unwrap(),
        "a-b/c.tar.gz|a-b-c.tar.gz"
    );
    let e = word("${X:?must be set}").unwrap_err();
    assert_eq!(
        e.message,
        r#"failed to process "${X:?must be set}": X: must be set"#
    );
    assert!(word("${EMPTY:?}").is_err());
    assert_eq!(word("${EMPTY?}").unwrap(), "");
}

#[test]
fn unmatched_names_are_reported() {
    let e = Lexer::new('\\').process("$A ${PWD} ${B:-x}", &env).unwrap();
    assert_eq!(e.matched.iter().collect::<Vec<_>>(), ["PWD"]);
    assert_eq!(e.unmatched.iter().collect::<Vec<_>>(), ["A", "B"]);
}

#[test]
fn backtick_escape() {
    let lex = Lexer::new('`');
    assert_eq!(lex.process_word("a`$PWD \\x", &env).unwrap(), "a$PWD \\x");
}

#[test]
fn heredoc_marker_keeps_following_blanks() {
    let mut lex = Lexer::new('\\');
    lex.raw_quotes = true;
    lex.raw_escapes = true;
    lex.skip_unset_env = true;
    let w = lex
        .process_words("RUN << EOF cat <<-'X' a<b", &env)
        .unwrap();
    assert_eq!(w, ["RUN", "<< EOF", "cat", "<<-'X'", "a<b"]);
}
