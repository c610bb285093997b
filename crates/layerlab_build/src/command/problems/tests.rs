//! Each error that fails a build before any step is a diagnostic with the build's text.

use super::*;
use layerlab_text::LineIndex;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// `(severity, code, message, 1-based line)` of every problem, parser errors included.
fn check(text: &str) -> Vec<(&'static str, &'static str, String, u32)> {
    let parsed = layerlab_dockerfile::parse(text);
    let index = LineIndex::new(text);
    let mut all: Vec<Diagnostic> = parsed
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    all.extend(problems(&parsed));
    all.iter()
        .map(|d| {
            let line = index.line_col_utf16(text, d.range.start()).line + 1;
            (d.severity.as_str(), d.code, d.message.clone(), line)
        })
        .collect()
}

fn one(
    severity: &'static str,
    code: &'static str,
    message: &str,
    line: u32,
) -> Vec<(&'static str, &'static str, String, u32)> {
    vec![(severity, code, message.to_string(), line)]
}

#[test]
fn instruction_before_any_from() {
    assert_eq!(
        check("RUN echo hi\nFROM alpine\n"),
        one(
            "error",
            "invalid-instruction",
            "no build stage in current context",
            1
        )
    );
    // ARG is the one instruction allowed there.
    assert_eq!(check("ARG V=1\nFROM alpine:$V\n"), []);
}

#[test]
fn unknown_flag() {
    assert_eq!(
        check("FROM alpine\nRUN --foo=bar echo\n"),
        one("error", "invalid-instruction", "unknown flag: foo", 2)
    );
}

#[test]
fn healthcheck_without_command() {
    assert_eq!(
        check("FROM alpine\nHEALTHCHECK CMD\n"),
        one(
            "error",
            "invalid-instruction",
            "Missing command after HEALTHCHECK CMD",
            2
        )
    );
}

#[test]
fn uppercase_base_image() {
    assert_eq!(
        check("FROM Alpine:latest\n"),
        one(
            "error",
            "invalid-reference",
            "failed to parse stage name \"Alpine:latest\": invalid reference format: repository name (library/Alpine) must be lowercase",
            1
        )
    );
}

#[test]
fn blank_base() {
    assert_eq!(
        check("FROM \"\"\n"),
        one(
            "error",
            "invalid-reference",
            "base name (\"\") should not be blank",
            1
        )
    );
}

#[test]
fn bases_that_are_no_image_or_depend_on_args_are_not_checked() {
    assert_eq!(check("FROM scratch AS build\nFROM build\n"), []);
    // A base is matched against stage names as written: `Build` is an image, and an
    // invalid one.
    assert_eq!(
        check("FROM scratch AS build\nFROM Build\n"),
        one(
            "error",
            "invalid-reference",
            "failed to parse stage name \"Build\": invalid reference format: repository name (library/Build) must be lowercase",
            2
        )
    );
    // A build arg may replace the default, so only the build can tell.
    assert_eq!(check("ARG IMG=Alpine\nFROM $IMG\n"), []);
    // Quotes are removed first, as the build does.
    assert_eq!(check("FROM \"alpine:3.21\"\n"), []);
}

#[test]
fn invalid_expose_proto_and_port() {
    assert_eq!(
        check("FROM alpine\nEXPOSE 80/tcpx\n"),
        one("error", "invalid-port", "invalid proto: tcpx", 2)
    );
    assert_eq!(
        check("FROM alpine\nEXPOSE 80 http 53/UDP 8000-8002 $PORT\n"),
        one("error", "invalid-port", "invalid containerPort: http", 2)
    );
}

#[test]
fn words_the_shell_lexer_refuses() {
    // EXPOSE splits on blanks before removing quotes, as BuildKit's parser does: two
    // words, each with an unmatched quote.
    let messages: Vec<String> = check("FROM alpine\nEXPOSE \"80 81\"\n")
        .into_iter()
        .map(|f| f.2)
        .collect();
    assert_eq!(
        messages,
        [
            r#"failed to process "\"80": unexpected end of statement while looking for matching double-quote"#,
            r#"failed to process "81\"": unexpected end of statement while looking for matching double-quote"#,
        ]
    );
}

#[test]
fn unknown_instruction_is_reported_once_with_its_suggestion() {
    assert_eq!(
        check("FROM alpine\nFORM x\n"),
        one(
            "error",
            "unknown-instruction",
            "unknown instruction: FORM (did you mean FROM?)",
            2
        )
    );
}

#[test]
fn every_error_is_reported_not_only_the_first() {
    let found = check("FROM alpine\nRUN --foo echo\nCOPY a\nEXPOSE 1/x\n");
    let lines: Vec<u32> = found.iter().map(|f| f.3).collect();
    assert_eq!(lines, [2, 3, 4]);
}

#[test]
fn only_args_is_no_stage() {
    assert_eq!(
        check("ARG A=1\n"),
        one(
            "error",
            "no-stages",
            "dockerfile contains no stages to build",
            1
        )
    );
    // Without any instruction the parser's `file with no instructions` says it all.
    let codes: Vec<_> = check("# only a comment\n").iter().map(|f| f.1).collect();
    assert_eq!(codes, ["no-instructions"]);
}

#[test]
fn plan_reports_the_same_first_error() {
    let text = "FROM alpine\nHEALTHCHECK CMD\nRUN --foo=bar echo\n";
    let parsed = layerlab_dockerfile::parse(text);
    let (_, err) = super::super::plan(&parsed.dockerfile);
    let err = err.unwrap();
    assert_eq!(err.message, problems(&parsed)[0].message);
    assert_eq!(
        err.to_message_with_line(),
        "dockerfile parse error on line 2: Missing command after HEALTHCHECK CMD"
    );
}

#[test]
fn port_specs() {
    assert_eq!(port_spec("80"), Ok((80..=80, "tcp".into())));
    assert_eq!(port_spec("53/UDP"), Ok((53..=53, "udp".into())));
    assert_eq!(
        port_spec("127.0.0.1:80:8080"),
        Ok((8080..=8080, "tcp".into()))
    );
    assert_eq!(port_spec("8000-8002"), Ok((8000..=8002, "tcp".into())));
    assert_eq!(port_spec("80/xyz"), Err("invalid proto: xyz".into()));
    assert_eq!(port_spec("9-1"), Err("invalid containerPort: 9-1".into()));
    assert_eq!(
        port_spec("70000"),
        Err("invalid containerPort: 70000".into())
    );
}

#[test]
fn stage_references_are_checked_as_the_build_checks_them() {
    assert_eq!(
        check("FROM alpine AS a\nCOPY --from=b /x /y\nFROM alpine AS b\nCOPY --from=a /x /y\n"),
        one(
            "error",
            "stage-reference",
            "circular dependency detected on stage: a",
            2
        )
    );
    assert_eq!(
        check("FROM alpine\nCOPY --from=3 /x /y\n"),
        one("error", "stage-reference", "invalid stage index 3", 2)
    );
    // `strconv.Atoi` reads a sign: `-1` is an index, and an invalid one.
    assert_eq!(
        check("FROM alpine\nCOPY --from=-1 /x /y\n"),
        one("error", "stage-reference", "invalid stage index -1", 2)
    );
    // Reading an earlier stage is fine; a later one fails only in a stage the target
    // needs (convert.go dispatches no other), so only the build says.
    assert_eq!(
        check("FROM alpine AS a\nFROM alpine\nCOPY --from=a /x /y\n"),
        []
    );
    assert_eq!(
        check("FROM alpine AS a\nCOPY --from=b /x /y\nRUN --mount=from=b,target=/m true\nFROM alpine AS b\n"),
        []
    );
}

#[test]
fn only_lowercase_scratch_is_the_empty_image() {
    // convert.go compares the base with `emptyImageName` exactly, so any other
    // spelling is an image reference, and BuildKit's parse refuses it in every stage,
    // needed or not.
    let found = check("FROM SCRATCH\nFROM Scratch AS x\nFROM scratch\n");
    assert_eq!(
        found,
        [
            (
                "error",
                "invalid-reference",
                "failed to parse stage name \"SCRATCH\": invalid reference format: repository name (library/SCRATCH) must be lowercase".to_string(),
                1
            ),
            (
                "error",
                "invalid-reference",
                "failed to parse stage name \"Scratch\": invalid reference format: repository name (library/Scratch) must be lowercase".to_string(),
                2
            ),
        ]
    );
    let parsed = layerlab_dockerfile::parse("FROM SCRATCH\n");
    let help = problems(&parsed)[0].help.clone().unwrap_or_default();
    assert!(help.contains("`scratch`, in lowercase"), "{help}");
}

#[test]
fn images_read_by_commands_are_parsed_like_bases() {
    // A `--from` naming no stage is an image, parsed before anything runs.
    assert_eq!(
        check("FROM alpine\nCOPY --from=Busybox /bin/sh /sh\n"),
        one(
            "error",
            "invalid-reference",
            "failed to parse stage name \"Busybox\": invalid reference format: repository name (library/Busybox) must be lowercase",
            2
        )
    );
    assert_eq!(
        check("FROM alpine\nRUN --mount=from=SCRATCH,target=/m true\n"),
        one(
            "error",
            "invalid-reference",
            "failed to parse stage name \"SCRATCH\": invalid reference format: repository name (library/SCRATCH) must be lowercase",
            2
        )
    );
    // Stage names are found in any case and anywhere in the file; `scratch`, indexes
    // and images that parse are fine.
    assert_eq!(
        check("FROM alpine AS Build\nFROM alpine\nCOPY --from=BUILD /x /y\nRUN --mount=from=LATER,target=/m true\nCOPY --from=scratch /x /y\nCOPY --from=0 /x /y\nRUN --mount=from=0,target=/m true\nCOPY --from=busybox /x /y\nFROM alpine AS later\n"),
        []
    );
}
