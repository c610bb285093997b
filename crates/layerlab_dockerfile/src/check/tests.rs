use super::*;
use crate::parse;
use layerlab_text::Severity;
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn findings(text: &str) -> Vec<(&'static str, String, String)> {
    check(text, &parse(text))
        .into_iter()
        .map(|d| (d.code, d.message, text[d.range].to_string()))
        .collect()
}

fn has(text: &str, code: &str, message: &str) {
    let f = findings(text);
    assert!(
        f.iter().any(|(c, m, _)| *c == code && m == message),
        "{code}: {message:?} not in {f:#?}"
    );
}

#[test]
fn semantics_examples() {
    has(
        "FROM alpine AS Builder\n",
        "StageNameCasing",
        "Stage name 'Builder' should be lowercase",
    );
    has(
        "FROM debian:latest as builder\n",
        "FromAsCasing",
        "'as' and 'FROM' keywords' casing do not match",
    );
    has(
        "FROM a\nCMD node index.js\n",
        "JSONArgsRecommended",
        "JSON arguments recommended for CMD to prevent unintended behavior related to OS signals",
    );
    has(
        "FROM a\nENV PATH=$PAHT:/app/bin\n",
        "UndefinedVar",
        "Usage of undefined variable '$PAHT' (did you mean $PATH?)",
    );
    has(
        "FROM a\nARG AWS_SECRET_ACCESS_KEY\n",
        "SecretsUsedInArgOrEnv",
        "Do not use ARG or ENV instructions for sensitive data (ARG \"AWS_SECRET_ACCESS_KEY\")",
    );
    has(
        "ARG TAG\nFROM busybox:${TAG}\n",
        "InvalidDefaultArgInFrom",
        "Default value for ARG busybox:${TAG} results in empty or invalid base image name",
    );
    has(
        "FROM --platform=linux/amd64 alpine AS base\n",
        "FromPlatformFlagConstDisallowed",
        "FROM --platform flag should not use constant value \"linux/amd64\"",
    );
    assert!(
        !findings("FROM --platform=linux/amd64 alpine AS build_amd64\n")
            .iter()
            .any(|f| f.0 == "FromPlatformFlagConstDisallowed")
    );
}

#[test]
fn more_buildkit_rules() {
    has(
        "FROM a\nMAINTAINER me\n",
        "MaintainerDeprecated",
        "Maintainer instruction is deprecated in favor of using label",
    );
    has(
        "FROM a\nENV A b\n",
        "LegacyKeyValueFormat",
        "\"ENV key=value\" should be used instead of legacy \"ENV key value\" format",
    );
    has(
        "FROM a\nrun x\nRUN y\nRUN z\n",
        "ConsistentInstructionCasing",
        "Command 'run' should match the case of the command majority (uppercase)",
    );
    has(
        "FROM a AS x\nFROM b AS X\n",
        "DuplicateStageName",
        "Duplicate stage name \"x\", stage names should be unique",
    );
    has(
        "FROM a AS scratch\n",
        "ReservedStageName",
        "Stage name should not use the same name as reserved stage \"scratch\"",
    );
    has(
        "FROM $NOPE\n",
        "UndefinedArgInFrom",
        "FROM argument 'NOPE' is not declared",
    );
    has(
        "FROM a\nWORKDIR app\n",
        "WorkdirRelativePath",
        "Relative workdir \"app\" can have unexpected results if the base image changes",
    );
    has(
        "FROM a\nCMD [\"a\"]\nCMD [\"b\"]\n",
        "MultipleInstructionsDisallowed",
        "Multiple CMD instructions should not be used in the same stage because only the last one will be used",
    );
    has(
        "FROM --platform=$TARGETPLATFORM a\n",
        "RedundantTargetPlatform",
        "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
    );
    has(
        "FROM a\nEXPOSE 80/TcP\n",
        "ExposeProtoCasing",
        "Defined protocol '80/TcP' in EXPOSE instruction should be lowercase",
    );
    has(
        "FROM a\nEXPOSE 80:80\n",
        "ExposeInvalidFormat",
        "EXPOSE instruction should not define an IP address or host-port mapping, found '80:80'",
    );
    has(
        "FROM a\nRUN a \\\n\n  b\n",
        "NoEmptyContinuation",
        "Empty continuation line",
    );
}

#[test]
fn check_directive_skips_and_escalates() {
    let text = "# check=skip=StageNameCasing;error=true\nFROM a AS B\nMAINTAINER x\n";
    let f = check(text, &parse(text));
    assert!(!f.iter().any(|d| d.code == "StageNameCasing"));
    let m = f.iter().find(|d| d.code == "MaintainerDeprecated").unwrap();
    assert_eq!(m.severity, Severity::Error);
    let text = "# check=skip=all\nFROM a AS B\n";
    assert!(check(text, &parse(text)).is_empty());
}

#[test]
fn hints() {
    let text = "FROM node\nCOPY . .\nRUN npm ci\nRUN apt-get update\nRUN apt-get install -y curl\nADD a.txt /a\n";
    let codes: Vec<_> = findings(text).into_iter().map(|f| f.0).collect();
    for c in [
        "unpinned-base-image",
        "install-after-copy-all",
        "apt-update-alone",
        "apt-no-install-recommends",
        "apt-no-cleanup",
        "consecutive-run",
        "add-instead-of-copy",
        "runs-as-root",
    ] {
        assert!(codes.contains(&c), "{c} not in {codes:?}");
    }
    let clean = "FROM node:22\nCOPY package.json .\nRUN npm ci\nCOPY . .\nUSER node\nCMD [\"node\", \"index.js\"]\n";
    assert!(findings(clean).is_empty(), "{:#?}", findings(clean));
}

#[test]
fn rule_urls() {
    assert_eq!(
        rule_url("JSONArgsRecommended"),
        "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/"
    );
    assert_eq!(
        rule_url("StageNameCasing"),
        "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/"
    );
}

#[test]
fn per_instruction_skip_and_experimental_rule() {
    let text = "FROM a\n# check=skip=MaintainerDeprecated\nMAINTAINER x\nMAINTAINER y\n";
    let n = findings(text)
        .iter()
        .filter(|f| f.0 == "MaintainerDeprecated")
        .count();
    assert_eq!(n, 1);
    let text = "# check=experimental=InvalidDefinitionDescription\n# base image\nFROM a AS build\n# foo the build arg\nARG foo\n";
    has(
        text,
        "InvalidDefinitionDescription",
        "Comment for FROM should follow the format: `# build <description>`",
    );
    assert_eq!(
        findings(text)
            .iter()
            .filter(|f| f.0 == "InvalidDefinitionDescription")
            .count(),
        1
    );
}
