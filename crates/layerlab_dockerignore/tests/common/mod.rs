//! Runners for the shared `.dockerignore` corpora (`../shared/dockerignore`), used by
//! the native tests and, with the files embedded at compile time, by the wasm tests.
//! Each runner returns how many cases it checked and a description of each failure.

#![allow(dead_code, reason = "each test binary uses a subset")]

use layerlab_dockerignore::{walk, ContextTree, IgnoreFile, Matcher, PatternError};
use serde_json::Value;

/// The outcome of one corpus file.
#[derive(Default, Debug)]
pub(crate) struct Tally {
    pub(crate) checked: usize,
    pub(crate) failures: Vec<String>,
}

impl Tally {
    fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        self.checked += 1;
        if !ok {
            self.failures.push(what());
        }
    }
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn opt_str(v: &Value) -> Option<&str> {
    v.as_str()
}

/// What the walk sends for `tree`, as the corpus lists it (directories end in `/`),
/// or the error BuildKit fails with.
pub(crate) fn sent_or_error(
    matcher: &Result<Matcher, PatternError>,
    tree: &ContextTree,
) -> Result<Vec<String>, String> {
    let matcher = matcher.as_ref().map_err(|e| e.message().to_owned())?;
    let report = walk(matcher, tree).map_err(|e| e.message().to_owned())?;
    Ok(report
        .sent()
        .map(|i| {
            let e = &tree.entries()[i];
            if e.is_dir() {
                format!("{}/", e.path)
            } else {
                e.path.clone()
            }
        })
        .collect())
}

/// The walker verdict for a lone path (with its parents): `Ok(excluded)` or the error.
fn lone_path(
    matcher: &Result<Matcher, PatternError>,
    path: &str,
    is_dir: bool,
) -> Result<bool, String> {
    let clean = path.trim_end_matches('/');
    let listing = if is_dir {
        format!("{clean}/")
    } else {
        clean.to_owned()
    };
    let tree = ContextTree::from_listing(&listing);
    let sent = sent_or_error(matcher, &tree)?;
    let want = if is_dir {
        format!("{clean}/")
    } else {
        clean.to_owned()
    };
    Ok(!sent.contains(&want))
}

fn error_agrees(got: &str, want: &str) -> bool {
    // The corpus records BuildKit's error text, sometimes with a wrapping prefix.
    got.contains(want) || want.contains(got)
}

/// `random-public.json`: ReadAll output, then the walker verdict for each path.
pub(crate) fn random_cases(json: &str) -> Tally {
    let doc: Value = serde_json::from_str(json).expect("random cases parse");
    let mut tally = Tally::default();
    for case in doc["cases"].as_array().expect("cases") {
        let id = case["id"].as_str().unwrap_or("?");
        let file = IgnoreFile::parse(case["dockerignore"].as_str().unwrap_or(""));
        let want_patterns = strs(&case["patterns"]);
        let got_patterns: Vec<String> = file.patterns().into_iter().map(str::to_owned).collect();
        tally.check(got_patterns == want_patterns, || {
            format!("{id}: patterns {got_patterns:?}, want {want_patterns:?}")
        });
        let matcher = file.matcher();
        let path = case["path"].as_str().unwrap_or("");
        let is_dir = case["is_dir"].as_bool().unwrap_or(false);
        let got = lone_path(&matcher, path, is_dir);
        match (
            opt_str(&case["expected_error"]),
            case["expected_excluded"].as_bool(),
        ) {
            (Some(want), _) => tally.check(matches!(&got, Err(e) if error_agrees(e, want)), || {
                format!("{id}: {path}: got {got:?}, want error {want:?}")
            }),
            (None, Some(want)) => tally.check(got == Ok(want), || {
                format!("{id}: {path}: got {got:?}, want excluded={want}")
            }),
            (None, None) => {}
        }
        if let (Some(want), Ok(m)) = (case["matches_or_parent_matches"].as_bool(), &matcher) {
            let got = m
                .matches_or_parent_matches(path.trim_end_matches('/'))
                .map(|v| v.excluded);
            tally.check(got == Ok(want), || {
                format!("{id}: MatchesOrParentMatches({path}) = {got:?}, want {want}")
            });
        }
    }
    tally
}

/// `trees-public.json` and the tree tables of `moby-cases.json`.
pub(crate) fn tree_cases(cases: &[Value]) -> Tally {
    let mut tally = Tally::default();
    for case in cases {
        let id = case["id"].as_str().unwrap_or("?");
        let matcher = match case["dockerignore"].as_str() {
            Some(text) => {
                let file = IgnoreFile::parse(text);
                let want = strs(&case["patterns"]);
                let got: Vec<String> = file.patterns().into_iter().map(str::to_owned).collect();
                tally.check(got == want, || {
                    format!("{id}: patterns {got:?}, want {want:?}")
                });
                file.matcher()
            }
            None => Matcher::from_patterns(&strs(&case["patterns"])),
        };
        let tree = ContextTree::from_listing(&strs(&case["tree"]).join("\n"));
        let got = sent_or_error(&matcher, &tree);
        match opt_str(&case["error"]) {
            Some(want) => tally.check(matches!(&got, Err(e) if error_agrees(e, want)), || {
                format!("{id}: got {got:?}, want error {want:?}")
            }),
            None => {
                let want = strs(&case["sent"]);
                tally.check(got.as_ref() == Ok(&want), || {
                    format!("{id}: sent {got:?}\n  want {want:?}")
                });
            }
        }
    }
    tally
}

/// `moby-cases.json`: upstream tables (path, New, ReadAll and tree cases).
pub(crate) fn moby_cases(json: &str) -> Tally {
    let doc: Value = serde_json::from_str(json).expect("moby cases parse");
    let mut tally = Tally::default();
    for case in doc["path_cases"].as_array().expect("path_cases") {
        let id = case["id"].as_str().unwrap_or("?");
        let matcher = Matcher::from_patterns(&strs(&case["patterns"]));
        let path = case["path"].as_str().unwrap_or("");
        let is_dir = path.ends_with('/');
        match (
            opt_str(&case["expected_error"]),
            case["expected_excluded"].as_bool(),
        ) {
            (Some(want), _) => {
                let got = lone_path(&matcher, path, is_dir);
                tally.check(matches!(&got, Err(e) if error_agrees(e, want)), || {
                    format!(
                        "{id}: {:?} {path}: got {got:?}, want error {want:?}",
                        case["patterns"]
                    )
                });
            }
            (None, Some(want)) => {
                let got = lone_path(&matcher, path, is_dir);
                tally.check(got == Ok(want), || {
                    format!(
                        "{id}: {:?} {path}: got {got:?}, want excluded={want}",
                        case["patterns"]
                    )
                });
            }
            (None, None) => {}
        }
        if let (Some(want), Ok(m)) = (case["matches_or_parent_matches"].as_bool(), &matcher) {
            let got = m
                .matches_or_parent_matches(path.trim_end_matches('/'))
                .map(|v| v.excluded);
            tally.check(got == Ok(want), || {
                format!("{id}: MatchesOrParentMatches({path}) = {got:?}, want {want}")
            });
        }
    }
    for case in doc["new_cases"].as_array().expect("new_cases") {
        let id = case["id"].as_str().unwrap_or("?");
        let got = Matcher::from_patterns(&strs(&case["patterns"]))
            .err()
            .map(|e| e.message());
        let want = opt_str(&case["oracle_new_error"]);
        tally.check(got == want, || {
            format!("{id}: New error {got:?}, want {want:?}")
        });
    }
    for case in doc["parse_cases"].as_array().expect("parse_cases") {
        let file = IgnoreFile::parse(case["dockerignore"].as_str().unwrap_or(""));
        let got: Vec<String> = file.patterns().into_iter().map(str::to_owned).collect();
        let want = strs(&case["oracle_patterns"]);
        tally.check(got == want, || format!("ReadAll {got:?}, want {want:?}"));
        let got = file.matcher().err().map(|e| e.message());
        let want = opt_str(&case["oracle_new_error"]);
        tally.check(got == want, || format!("New error {got:?}, want {want:?}"));
    }
    let trees = tree_cases(doc["tree_cases"].as_array().expect("tree_cases"));
    tally.checked += trees.checked;
    tally.failures.extend(trees.failures);
    tally
}

/// `trees-public.json`.
pub(crate) fn public_trees(json: &str) -> Tally {
    let doc: Value = serde_json::from_str(json).expect("tree cases parse");
    tree_cases(doc["cases"].as_array().expect("cases"))
}
