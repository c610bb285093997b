//! Behaviour tests for explanations, the walk's outcomes and the lints, on small
//! hand-written contexts (one `check` helper per area, many small cases).

use layerlab_dockerignore::{
    copy_ignored, lint, walk, ContextTree, CopyCommand, CopySource, IgnoreFile, LintInput, Outcome,
};
use layerlab_text::{TextRange, TextSize};
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn explain(ignore: &str, path: &str) -> String {
    let m = IgnoreFile::parse(ignore).matcher().expect("valid");
    let e = m.explain(path).expect("no bad pattern");
    m.describe(&e)
}

#[test]
fn negation_reincludes_file_under_excluded_dir() {
    assert_eq!(
        explain(
            "node_modules\n!node_modules/keep\n",
            "node_modules/keep/a.js"
        ),
        "sent: excluded by `node_modules` (line 1) via its parent `node_modules/`, \
         re-included by `!node_modules/keep` (line 2) via its parent `node_modules/keep/`"
    );
}

#[test]
fn pruned_directory_contents_are_never_visited() {
    assert_eq!(
        explain("build\n", "build/x/y.o"),
        "excluded: inside `build/`, which is excluded by `build` (line 1) and never \
         entered (no exception points inside it)"
    );
}

#[test]
fn slashless_glob_only_matches_at_root() {
    assert_eq!(explain("*.log\n", "a/b.log"), "sent: no pattern matches");
    assert_eq!(explain("*.log\n", "b.log"), "excluded by `*.log` (line 1)");
}

#[test]
fn pattern_skipped_for_parent_is_tested_on_full_path_only() {
    // `*/b` does not match the parent `a`, and inside the walk it is then tested
    // against `a/b/c` only, never against `a/b`: so `a/b/c` is sent.
    let m = IgnoreFile::parse("*/b\n").matcher().expect("valid");
    let tree = ContextTree::from_listing("a/b/c\n");
    let report = walk(&m, &tree).expect("walk");
    let outcomes: Vec<_> = tree
        .entries()
        .iter()
        .map(|e| e.path.as_str())
        .zip(&report.outcomes)
        .collect();
    assert_eq!(
        outcomes,
        [
            (
                "a",
                &Outcome::Sent {
                    reincluded_by: None
                }
            ),
            ("a/b", &Outcome::Pruned { by: 0 }),
            ("a/b/c", &Outcome::InsidePruned { dir: 1 }),
        ]
    );
}

#[test]
fn excluded_dir_is_sent_for_reincluded_contents() {
    let m = IgnoreFile::parse("docs\n!docs/*.md\n")
        .matcher()
        .expect("valid");
    let tree = ContextTree::from_listing("docs/a.md\ndocs/b.png\n");
    let report = walk(&m, &tree).expect("walk");
    assert_eq!(
        report.outcomes,
        [
            Outcome::SentForContents { excluded_by: 0 },
            Outcome::Sent {
                reincluded_by: Some(1)
            },
            Outcome::Excluded { by: 0 },
        ]
    );
}

#[test]
fn invalid_regexp_fails_only_when_reached() {
    // `[z-a]` passes Go's glob check but not RE2: the build fails when the pattern is
    // evaluated, which a pruned directory prevents.
    let m = IgnoreFile::parse("a\nb/[z-a]\n")
        .matcher()
        .expect("glob syntax is fine");
    assert!(walk(&m, &ContextTree::from_listing("a/b\n")).is_ok());
    let err = walk(&m, &ContextTree::from_listing("c\n")).expect_err("reached");
    assert_eq!(err.pattern, 1);
    assert_eq!(
        err.message(),
        "failed to match excludepatterns: syntax error in pattern"
    );
}

fn codes(ignore: &str, listing: Option<&str>) -> Vec<&'static str> {
    let file = IgnoreFile::parse(ignore);
    let matcher = file.matcher().expect("valid");
    let tree = listing.map(ContextTree::from_listing);
    let report = tree.as_ref().map(|t| walk(&matcher, t).expect("walk"));
    let context = tree.as_ref().zip(report.as_ref());
    lint(&LintInput {
        file: &file,
        matcher: &matcher,
        context,
    })
    .into_iter()
    .map(|d| d.code)
    .collect()
}

#[test]
fn lints_name_gitignore_habits_and_dead_rules() {
    assert_eq!(
        codes("*.log\n", Some("a.log\nsub/b.log\n")),
        ["pattern-root-only"]
    );
    assert_eq!(codes("build/\n", None), ["trailing-slash-ignored"]);
    assert_eq!(codes("  # note\n", None), ["indented-comment"]);
    // One diagnosis per dead exception: the later pattern that undoes it, with the fix.
    assert_eq!(codes("!README.md\n*.md\n", None), ["exception-overridden"]);
    assert_eq!(
        codes("!README.md\n*\n", Some("README.md\na.txt\n")),
        ["exception-overridden"]
    );
    assert_eq!(
        codes("!README.md\n", Some("README.md\n")),
        ["exception-without-exclusion"]
    );
    assert_eq!(codes("tmp\ntmp\n", None), ["pattern-redundant"]);
    assert_eq!(codes("x\n", Some("a\n")), ["pattern-matches-nothing"]);
    // `ab` is skipped for `ab`: `a*` already excluded it.
    assert_eq!(codes("a*\nab\n", Some("ab\n")), ["pattern-redundant"]);
    // `*.txt` matches but `!*.txt` always overrides it.
    assert_eq!(
        codes("*.txt\n!*.txt\n", Some("x.txt\n")),
        ["pattern-redundant"]
    );
    assert_eq!(codes("b/[z-a]\n", None), ["pattern-fails-when-reached"]);
    // `node_modules/x` points inside a directory the walk never enters.
    assert_eq!(
        codes("node_modules\nnode_modules/x\n", Some("node_modules/x\n")),
        ["pattern-redundant"]
    );
}

#[test]
fn copy_ignored_file_matches_buildkit_check() {
    let range = TextRange::empty(TextSize::from(0));
    let src = |path| CopySource {
        command: CopyCommand::Copy,
        path,
        range,
    };
    let m = IgnoreFile::parse("*/tmp/*\nsecrets\n")
        .matcher()
        .expect("valid");
    let msgs: Vec<String> = copy_ignored(&m, &[src("./a/tmp/x"), src("secrets/key"), src("src")])
        .into_iter()
        .map(|d| d.message)
        .collect();
    assert_eq!(
        msgs,
        [
            "Attempting to Copy file \"a/tmp/x\" that is excluded by .dockerignore",
            "Attempting to Copy file \"secrets/key\" that is excluded by .dockerignore",
        ]
    );
    // Skipped entirely when the file has exceptions, like BuildKit.
    let m = IgnoreFile::parse("secrets\n!secrets/pub\n")
        .matcher()
        .expect("valid");
    assert!(copy_ignored(&m, &[src("secrets/key")]).is_empty());
}

#[test]
fn check_reports_the_rejected_pattern_with_its_line() {
    let text = "ok\n\n  [a-\n";
    let checked = layerlab_dockerignore::check(text);
    assert!(checked.matcher.is_none());
    let d = &checked.diagnostics[0];
    assert_eq!(d.code, "invalid-ignore-pattern");
    assert_eq!(
        d.message,
        "invalid pattern `[a-` on line 3: syntax error in pattern"
    );
    assert_eq!(&text[d.range.to_range()], "[a-");
}

#[test]
fn pathological_patterns_stay_fast() {
    // Long lines of class openers, stars and `**/` chains: reading, compiling and
    // matching stay linear-ish (this test would take minutes if they did not).
    let long = [
        "[[:".repeat(20_000),
        "*a".repeat(20_000),
        "**/".repeat(20_000) + "x",
        "[a-z]?".repeat(10_000),
        "\\Q".repeat(20_000),
    ];
    for line in long {
        let file = IgnoreFile::parse(&line);
        if let Ok(m) = file.matcher() {
            let tree = ContextTree::from_listing("a/b/c\nxx\naaaa/aaaa\n");
            let _ = walk(&m, &tree);
            let _ = m.explain("a/b/c");
        }
    }
}

#[test]
fn reasons_name_the_deciding_rule_for_every_row() {
    // A literal exception keeps fsutil's pruning on (a glob in any exception turns
    // it off, and `build/` would then be entered).
    let m = IgnoreFile::parse("build\ndocs\n!docs/a.md\n")
        .matcher()
        .expect("valid");
    let tree = ContextTree::from_listing("build/x.o\ndocs/a.md\ndocs/b.png\nsrc.rs\n");
    let report = walk(&m, &tree).expect("walk");
    let rows: Vec<String> = (0..tree.entries().len())
        .map(|i| {
            format!(
                "{}: {}",
                tree.entries()[i].path,
                report.reason(&m, &tree, i)
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            "build: excluded by `build` (line 1); its contents were never visited (no exception points inside)",
            "build/x.o: excluded: inside `build/`, excluded by `build` (line 1) and never entered",
            "docs: sent for its contents: excluded by `docs` (line 2), but entries inside are re-included",
            "docs/a.md: sent: re-included by `!docs/a.md` (line 3)",
            "docs/b.png: excluded by `docs` (line 2)",
            "src.rs: sent: no pattern matches",
        ]
    );
}
