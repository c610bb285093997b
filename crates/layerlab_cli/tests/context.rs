//! `layerlab context --list` against every shared tree case, twice: from a listing on
//! standard input (`--stdin-tree`) and from a real directory built from the listing.

#![allow(
    clippy::disallowed_methods,
    reason = "CLI tests create directories and run the binary"
)]

use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_layerlab");

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn run(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run layerlab");
    let mut input = child.stdin.take().expect("stdin");
    // The CLI may exit (e.g. on an invalid ignore file) before reading all of stdin.
    match input.write_all(stdin.unwrap_or("").as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => panic!("write stdin: {e}"),
        _ => {}
    }
    drop(input);
    child.wait_with_output().expect("wait")
}

/// One case: the ignore file text, the tree listing, and the expected sent list or error.
struct Case {
    id: String,
    ignore: String,
    tree: Vec<String>,
    sent: Option<Vec<String>>,
    error: Option<String>,
}

fn cases(shared: &Path) -> Vec<Case> {
    let mut out = Vec::new();
    let read = |name: &str| -> Value {
        let text = std::fs::read_to_string(shared.join("dockerignore").join(name)).expect("read");
        serde_json::from_str(&text).expect("json")
    };
    let public = read("trees-public.json");
    let moby = read("moby-cases.json");
    let all = public["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .chain(moby["tree_cases"].as_array().expect("tree cases"));
    for c in all {
        let ignore = match c["dockerignore"].as_str() {
            Some(text) => text.to_owned(),
            // Upstream tables hand patterns to the matcher directly; one per line is
            // the same list after ReadAll for every pattern in them.
            None => strs(&c["patterns"]).join("\n"),
        };
        out.push(Case {
            id: c["id"].as_str().unwrap_or("?").to_owned(),
            ignore,
            tree: strs(&c["tree"]),
            sent: c["sent"].as_array().map(|_| strs(&c["sent"])),
            error: c["error"].as_str().map(str::to_owned),
        });
    }
    out
}

fn check(case: &Case, out: &Output, how: &str) -> Option<String> {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    match (&case.sent, &case.error) {
        (_, Some(err)) => {
            (out.status.code() != Some(1) || !stderr.contains(err.as_str())).then(|| {
                format!(
                    "{} ({how}): want exit 1 with {err:?}, got {:?} {stderr}",
                    case.id, out.status
                )
            })
        }
        (Some(sent), None) => {
            let got: Vec<&str> = stdout.lines().collect();
            (!out.status.success() || got != *sent).then(|| {
                format!(
                    "{} ({how}): {stderr}\n got  {got:?}\n want {sent:?}",
                    case.id
                )
            })
        }
        (None, None) => None,
    }
}

#[test]
fn list_matches_every_shared_tree_from_stdin_and_real_dirs() {
    let Some(shared) = layerlab_testkit::shared_dir("cli_context_trees") else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut failures = Vec::new();
    let cases = cases(&shared);
    for (n, case) in cases.iter().enumerate() {
        let ignore = tmp.path().join(format!("ignore-{n}"));
        std::fs::write(&ignore, &case.ignore).expect("write ignore file");
        let ignore = ignore.to_str().expect("utf-8 temp path");
        let listing = case.tree.join("\n");
        let out = run(
            &["context", "--list", "--stdin-tree", "--ignore-file", ignore],
            Some(&listing),
        );
        failures.extend(check(case, &out, "stdin"));

        let root = tmp.path().join(format!("ctx-{n}"));
        std::fs::create_dir(&root).expect("mkdir");
        for entry in &case.tree {
            let path = root.join(entry.trim_end_matches('/'));
            if entry.ends_with('/') {
                std::fs::create_dir_all(&path).expect("mkdir");
            } else {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).expect("mkdir");
                }
                std::fs::write(&path, "").expect("write");
            }
        }
        let out = run(
            &[
                "context",
                "--list",
                "--ignore-file",
                ignore,
                root.to_str().expect("utf-8"),
            ],
            None,
        );
        failures.extend(check(case, &out, "directory"));
    }
    println!(
        "{} tree cases x 2 modes, {} failures",
        cases.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn summary_explain_and_json_on_a_small_context() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    for dir in ["node_modules/keep", "node_modules/big", "src", "sub"] {
        std::fs::create_dir_all(root.join(dir)).expect("mkdir");
    }
    std::fs::write(root.join("node_modules/keep/k.js"), "k").expect("write");
    std::fs::write(root.join("node_modules/big/x.js"), "x".repeat(1000)).expect("write");
    std::fs::write(root.join("src/main.rs"), "fn main() {}").expect("write");
    std::fs::write(root.join("sub/a.log"), "log").expect("write");
    std::fs::write(root.join("a.log"), "log").expect("write");
    std::fs::write(
        root.join(".dockerignore"),
        "node_modules\n!node_modules/keep\n*.log\n",
    )
    .expect("write");
    let dir = root.to_str().expect("utf-8");

    let out = run(&["context", dir], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("pattern-root-only"), "{text}");
    assert!(text.contains("node_modules"), "{text}");

    let out = run(
        &["context", "--explain", "node_modules/keep/k.js", dir],
        None,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text.trim(),
        "node_modules/keep/k.js: sent: excluded by `node_modules` (line 1) via its parent \
         `node_modules/`, re-included by `!node_modules/keep` (line 2) via its parent \
         `node_modules/keep/`"
    );

    let out = run(&["context", "--format", "json", dir], None);
    let v: Value = serde_json::from_slice(&out.stdout).expect("json summary");
    assert_eq!(v["sent"]["files"], 4, "{v}");
    assert_eq!(v["excluded_total"]["entries"], 2, "{v}");

    // Symbolic links are entries, never followed.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("src", root.join("ln")).expect("symlink");
        let out = run(&["context", "--list", dir], None);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.lines().any(|l| l == "ln"), "{text}");
        assert!(!text.lines().any(|l| l.starts_with("ln/")), "{text}");
    }

    // A Dockerfile-specific ignore file wins over the root one.
    std::fs::write(root.join("Dockerfile.dockerignore"), "src\n").expect("write");
    let out = run(&["context", "--list", dir], None);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().any(|l| l == "node_modules/big/x.js"), "{text}");
    assert!(!text.lines().any(|l| l == "src/"), "{text}");
}

#[test]
fn invalid_pattern_exits_1_with_line_and_reason() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let ignore = tmp.path().join("ignore");
    std::fs::write(&ignore, "ok\n\n[a-\n").expect("write");
    let out = run(
        &[
            "context",
            "--stdin-tree",
            "--ignore-file",
            ignore.to_str().expect("utf-8"),
        ],
        Some("a\n"),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains(":3:1:")
            && stderr.contains("syntax error in pattern")
            && stderr.contains("[a-"),
        "{stderr}"
    );
}
