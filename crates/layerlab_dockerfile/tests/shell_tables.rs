//! BuildKit's shell-lexer tables (`frontend/dockerfile/shell/envVarTest` and
//! `wordsTest`), every row, read from the shared corpus.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::disallowed_methods, reason = "tests read the shared corpus")]

use layerlab_dockerfile::shell::Lexer;
use std::collections::BTreeMap;

fn table(name: &str) -> Option<String> {
    let shared = layerlab_testkit::shared_dir(name)?;
    let p = shared
        .join("corpus/buildkit-testfiles/frontend/dockerfile/shell")
        .join(name);
    Some(std::fs::read_to_string(p).unwrap())
}

/// Rows are `platform|source|expected`; `U` rows are Unix-only, `W` Windows-only (we
/// are Unix, where variable names are case-sensitive). The environment is the one
/// BuildKit's lex_test.go uses.
#[test]
fn env_var_test_table() {
    let Some(text) = table("envVarTest") else {
        return;
    };
    let env = |k: &str| match k {
        "PWD" => Some("/home".to_string()),
        "SHELL" => Some("bash".to_string()),
        "KOREAN" => Some("한국어".to_string()),
        "NULL" => Some(String::new()),
        _ => None,
    };
    let lex = Lexer::new('\\');
    let (mut n, mut bad) = (0, Vec::new());
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.splitn(3, '|').collect();
        if parts[0] == "W" {
            continue;
        }
        let (src, want) = (parts[1].trim(), parts[2].trim());
        n += 1;
        let got = lex.process_word(src, &env);
        let ok = match (&got, want) {
            (Err(_), "error") => true,
            (Ok(g), w) => g == w,
            _ => false,
        };
        if !ok {
            bad.push(format!("{src:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {n} rows differ:\n{}",
        bad.len(),
        bad.join("\n")
    );
    assert!(n > 200, "only {n} rows");
}

/// Rows are `source|word,word`; `ENV k=v` lines extend the environment.
#[test]
fn words_test_table() {
    let Some(text) = table("wordsTest") else {
        return;
    };
    let mut env: BTreeMap<String, String> = BTreeMap::new();
    let lex = Lexer::new('\\');
    let (mut n, mut bad) = (0, Vec::new());
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(kv) = line.strip_prefix("ENV ") {
            let kv = kv.trim_start_matches(' ');
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            env.insert(k.to_string(), v.to_string());
            continue;
        }
        let (src, want) = line.split_once('|').unwrap();
        let (src, want) = (src.trim(), want.trim_start_matches(' '));
        n += 1;
        let lookup = |k: &str| env.get(k).cloned();
        let got = lex.process_words(src, &lookup);
        let ok = match &got {
            Err(_) => want == "error",
            Ok(words) => words.join(",") == want,
        };
        if !ok {
            bad.push(format!("{src:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(
        bad.is_empty(),
        "{} of {n} rows differ:\n{}",
        bad.len(),
        bad.join("\n")
    );
    assert!(n >= 20);
}
