//! BuildKit's lint rules (`frontend/dockerfile/linter/ruleset.go`), as far as they can be
//! decided from the Dockerfile alone. Messages are BuildKit's format strings.

use super::rule_url;
use crate::directive::CheckConfig;
use crate::shell::Lexer;
use crate::{Instruction, Parsed};
use layerlab_text::{Diagnostic, TextRange};
use std::collections::{BTreeMap, BTreeSet};

/// Platform build args BuildKit defines in every build.
const PLATFORM_ARGS: &[&str] = &[
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
    "TARGETSTAGE",
    "BUILDOSVERSION",
    "TARGETOSVERSION",
];

/// Build args BuildKit defines in every build: the platform args and the proxy args.
fn predefined_args<'a>() -> impl Iterator<Item = &'a str> {
    PLATFORM_ARGS
        .iter()
        .chain(super::PROXY_ARGS.iter())
        .copied()
}

fn warn(rule: &'static str, message: String, range: TextRange, help: &str) -> Diagnostic {
    Diagnostic::warning(rule, message, range).with_help(format!("{help} ({})", rule_url(rule)))
}

/// A stage as the checks see it.
struct Stage<'a> {
    from: &'a Instruction,
    name: Option<(String, TextRange)>,
    base: String,
    body: Vec<&'a Instruction>,
}

fn stages(parsed: &Parsed) -> (Vec<&Instruction>, Vec<Stage<'_>>) {
    let mut globals = Vec::new();
    let mut out: Vec<Stage<'_>> = Vec::new();
    for ins in &parsed.dockerfile.instructions {
        if ins.is("from") {
            let words: Vec<_> = ins.value.iter().collect();
            let name = (words.len() >= 3 && words[1].text.eq_ignore_ascii_case("as"))
                .then(|| (words[2].text.clone(), words[2].range));
            out.push(Stage {
                from: ins,
                name,
                base: words.first().map(|w| w.text.clone()).unwrap_or_default(),
                body: Vec::new(),
            });
        } else if let Some(s) = out.last_mut() {
            s.body.push(ins);
        } else {
            globals.push(ins);
        }
    }
    (globals, out)
}

pub(super) fn run(text: &str, parsed: &Parsed, out: &mut Vec<Diagnostic>) {
    let _ = text;
    casing(parsed, out);
    let (globals, stages) = stages(parsed);
    let mut global_args: BTreeMap<String, Option<String>> = BTreeMap::new();
    for g in &globals {
        if g.is("arg") {
            for w in &g.value {
                let (k, v) = match w.text.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(unquote(v))),
                    None => (w.text.clone(), None),
                };
                global_args.insert(k, v);
            }
        }
    }
    let mut seen_names: BTreeMap<String, TextRange> = BTreeMap::new();
    for st in &stages {
        from_rules(st, &global_args, &mut seen_names, out);
        stage_rules(st, &stages, out);
    }
    for ins in &parsed.dockerfile.instructions {
        instruction_rules(ins, out);
    }
}

fn unquote(v: &str) -> String {
    Lexer::new('\\')
        .process_word(v, &|_| None)
        .unwrap_or_else(|_| v.to_string())
}

/// ConsistentInstructionCasing and FromAsCasing.
fn casing(parsed: &Parsed, out: &mut Vec<Diagnostic>) {
    let ins = &parsed.dockerfile.instructions;
    let lower = ins
        .iter()
        .filter(|i| i.keyword == i.keyword.to_ascii_lowercase())
        .count();
    let upper = ins
        .iter()
        .filter(|i| i.keyword == i.keyword.to_ascii_uppercase())
        .count();
    let majority_upper = upper >= lower;
    for i in ins.iter().filter(|i| i.is_known()) {
        let ok = if majority_upper {
            i.keyword == i.keyword.to_ascii_uppercase()
        } else {
            i.keyword == i.keyword.to_ascii_lowercase()
        };
        if !ok {
            let case = if majority_upper {
                "uppercase"
            } else {
                "lowercase"
            };
            out.push(warn(
                "ConsistentInstructionCasing",
                format!(
                    "Command '{}' should match the case of the command majority ({case})",
                    i.keyword
                ),
                i.keyword_range,
                &format!("write every keyword in {case}"),
            ));
        }
        if i.is("from") && i.value.len() >= 3 && i.value[1].text.eq_ignore_ascii_case("as") {
            let (f, a) = (&i.keyword, &i.value[1].text);
            let f_upper = *f == f.to_ascii_uppercase();
            let f_lower = *f == f.to_ascii_lowercase();
            let mismatch = (f_upper && *a != a.to_ascii_uppercase())
                || (f_lower && *a != a.to_ascii_lowercase());
            if mismatch {
                out.push(warn(
                    "FromAsCasing",
                    format!("'{a}' and '{f}' keywords' casing do not match"),
                    i.value[1].range,
                    "write `AS` in the same case as `FROM`",
                ));
            }
        }
    }
}

fn vars_in(word: &str) -> BTreeSet<String> {
    Lexer::new('\\')
        .process(word, &|_| None)
        .map(|e| e.unmatched)
        .unwrap_or_default()
}

fn from_rules(
    st: &Stage<'_>,
    global_args: &BTreeMap<String, Option<String>>,
    seen: &mut BTreeMap<String, TextRange>,
    out: &mut Vec<Diagnostic>,
) {
    let from = st.from;
    if let Some((name, range)) = &st.name {
        if name.chars().any(|c| c.is_uppercase()) {
            out.push(warn(
                "StageNameCasing",
                format!("Stage name '{name}' should be lowercase"),
                *range,
                "use a lowercase stage name",
            ));
        }
        let lower = name.to_ascii_lowercase();
        if lower == "scratch" || lower == "context" {
            out.push(warn(
                "ReservedStageName",
                format!("Stage name should not use the same name as reserved stage \"{lower}\""),
                *range,
                "pick another stage name",
            ));
        }
        if let Some(first) = seen.get(&lower) {
            out.push(
                warn(
                    "DuplicateStageName",
                    format!("Duplicate stage name \"{lower}\", stage names should be unique"),
                    *range,
                    "rename one of the stages",
                )
                .with_label(*first, "first used here"),
            );
        } else {
            seen.insert(lower, *range);
        }
    }
    let is_defined = |v: &str| global_args.contains_key(v) || predefined_args().any(|a| a == v);
    let mut words: Vec<(&str, TextRange)> = Vec::new();
    if let Some(w) = from.value.first() {
        words.push((&w.text, w.range));
    }
    let platform = from.flag("platform");
    if let Some(p) = platform {
        words.push((p.value.as_deref().unwrap_or(""), p.range));
    }
    for (w, range) in &words {
        for v in vars_in(w) {
            if !is_defined(&v) {
                let suggestion = suggest(
                    &v,
                    global_args
                        .keys()
                        .map(String::as_str)
                        .chain(predefined_args()),
                );
                let tail = suggestion
                    .map(|s| format!(" (did you mean {s}?)"))
                    .unwrap_or_default();
                out.push(warn(
                    "UndefinedArgInFrom",
                    format!("FROM argument '{v}' is not declared{tail}"),
                    *range,
                    "declare it with ARG before the first FROM",
                ));
            }
        }
    }
    if let Some(w) = from.value.first() {
        if w.text.contains('$') {
            let env = |k: &str| global_args.get(k).cloned().flatten();
            let expanded = Lexer::new('\\')
                .process_word(&w.text, &env)
                .unwrap_or_default();
            if !valid_reference(&expanded) {
                out.push(warn(
                    "InvalidDefaultArgInFrom",
                    format!(
                        "Default value for ARG {} results in empty or invalid base image name",
                        w.text
                    ),
                    w.range,
                    "give the ARG a default value that names an image",
                ));
            }
        }
    }
    if let Some(p) = platform {
        let v = p.value.as_deref().unwrap_or("");
        if v == "$TARGETPLATFORM" || v == "${TARGETPLATFORM}" {
            out.push(warn(
                "RedundantTargetPlatform",
                format!("Setting platform to predefined {v} in FROM is redundant as this is the default behavior"),
                p.range,
                "remove the --platform flag",
            ));
        } else if !v.contains('$') {
            let stage = st
                .name
                .as_ref()
                .map(|n| n.0.to_ascii_lowercase())
                .unwrap_or_default();
            let mentioned = v
                .split('/')
                .any(|part| !part.is_empty() && stage.contains(&part.to_ascii_lowercase()));
            if !mentioned {
                out.push(warn(
                    "FromPlatformFlagConstDisallowed",
                    format!("FROM --platform flag should not use constant value \"{v}\""),
                    p.range,
                    "use a build arg such as $BUILDPLATFORM",
                ));
            }
        }
    }
}

/// A rough reference check: non-empty, no empty tag or digest, no blanks.
fn valid_reference(r: &str) -> bool {
    !(r.is_empty()
        || r.ends_with(':')
        || r.ends_with('@')
        || r.starts_with(':')
        || r.starts_with('/')
        || r.contains(char::is_whitespace)
        || r.contains("//"))
}

/// The closest candidate by edit distance, BuildKit-style "did you mean".
pub(super) fn suggest<'a>(name: &str, options: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for o in options {
        if o == name {
            continue;
        }
        let d = crate::suggest::edit_distance(&name.to_ascii_lowercase(), &o.to_ascii_lowercase());
        let limit = (name.chars().count() / 2).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, o));
        }
    }
    best.map(|b| b.1)
}

fn stage_rules(st: &Stage<'_>, all: &[Stage<'_>], out: &mut Vec<Diagnostic>) {
    let mut has_shell = false;
    let mut last: BTreeMap<&str, &Instruction> = BTreeMap::new();
    let mut first_workdir = true;
    let base_is_stage = all.iter().any(|s| {
        s.name
            .as_ref()
            .is_some_and(|n| n.0.eq_ignore_ascii_case(&st.base))
    });
    // Names in scope for UndefinedVar: stage ARGs and ENVs, predefined args, and PATH
    // (every base image sets it; other base-image variables are unknown here).
    let mut defined: BTreeSet<String> = predefined_args().map(str::to_string).collect();
    defined.insert("PATH".into());
    for ins in &st.body {
        let name = ins.name();
        undefined_vars(ins, &name, &defined, out);
        match name.as_str() {
            "shell" => has_shell = true,
            "cmd" | "entrypoint" if !ins.json && !has_shell && !ins.value.is_empty() => {
                let kw = name.to_ascii_uppercase();
                out.push(warn(
                    "JSONArgsRecommended",
                    format!("JSON arguments recommended for {kw} to prevent unintended behavior related to OS signals"),
                    ins.args_range,
                    &format!("use the exec form: {kw} [\"executable\", \"arg\"]"),
                ));
            }
            "workdir" if first_workdir => {
                first_workdir = false;
                if let Some(w) = ins.value.first() {
                    let p = unquote(&w.text);
                    if !base_is_stage && !p.starts_with('/') && !p.starts_with('$') {
                        out.push(warn(
                            "WorkdirRelativePath",
                            format!("Relative workdir \"{p}\" can have unexpected results if the base image changes"),
                            w.range,
                            "use an absolute path",
                        ));
                    }
                }
            }
            _ => {}
        }
        if name == "arg" {
            for w in &ins.value {
                defined.insert(w.text.split('=').next().unwrap_or("").to_string());
            }
        }
        if name == "env" {
            for kv in &ins.key_values {
                defined.insert(kv.key.text.clone());
            }
        }
        if matches!(name.as_str(), "cmd" | "entrypoint" | "healthcheck") {
            if let Some(prev) = last.insert(
                if name == "cmd" {
                    "CMD"
                } else if name == "entrypoint" {
                    "ENTRYPOINT"
                } else {
                    "HEALTHCHECK"
                },
                ins,
            ) {
                let kw = prev.name().to_ascii_uppercase();
                out.push(warn(
                    "MultipleInstructionsDisallowed",
                    format!("Multiple {kw} instructions should not be used in the same stage because only the last one will be used"),
                    prev.keyword_range,
                    &format!("remove this {kw}; only the last one counts"),
                ));
            }
        }
    }
}

/// UndefinedVar: variables used where BuildKit expands words (not in shell-form
/// RUN/CMD/ENTRYPOINT, which the shell expands at run time).
fn undefined_vars(
    ins: &Instruction,
    name: &str,
    defined: &BTreeSet<String>,
    out: &mut Vec<Diagnostic>,
) {
    if !matches!(
        name,
        "add" | "copy" | "env" | "expose" | "label" | "stopsignal" | "user" | "volume" | "workdir"
    ) {
        return;
    }
    let mut words: Vec<(&str, TextRange)> = ins
        .value
        .iter()
        .map(|w| (w.text.as_str(), w.range))
        .collect();
    words.extend(
        ins.key_values
            .iter()
            .map(|kv| (kv.value.text.as_str(), kv.value.range)),
    );
    let mut local = defined.clone();
    for (w, range) in words {
        for v in vars_in(w) {
            if !local.contains(&v) {
                let tail = suggest(&v, local.iter().map(String::as_str))
                    .map(|s| format!(" (did you mean ${s}?)"))
                    .unwrap_or_default();
                out.push(warn(
                    "UndefinedVar",
                    format!("Usage of undefined variable '${v}'{tail}"),
                    range,
                    "declare it with ARG or ENV first",
                ));
                local.insert(v);
            }
        }
    }
}

fn instruction_rules(ins: &Instruction, out: &mut Vec<Diagnostic>) {
    for r in &ins.empty_continuation_lines {
        out.push(warn(
            "NoEmptyContinuation",
            "Empty continuation line".into(),
            *r,
            "remove the blank line or end the instruction before it",
        ));
    }
    let name = ins.name();
    match name.as_str() {
        "maintainer" => out.push(warn(
            "MaintainerDeprecated",
            "Maintainer instruction is deprecated in favor of using label".into(),
            ins.keyword_range,
            "use LABEL org.opencontainers.image.authors=\"…\"",
        )),
        "env" | "label" => {
            let kw = name.to_ascii_uppercase();
            for kv in ins.key_values.iter().filter(|kv| !kv.equals) {
                out.push(warn(
                    "LegacyKeyValueFormat",
                    format!("\"{kw} key=value\" should be used instead of legacy \"{kw} key value\" format"),
                    kv.key.range.cover(kv.value.range),
                    &format!("write {kw} {}={}", kv.key.text, kv.value.text),
                ));
            }
            if name == "env" {
                for kv in &ins.key_values {
                    secrets(&kv.key.text, "ENV", kv.key.range, out);
                }
            }
        }
        "arg" => {
            for w in &ins.value {
                let key = w.text.split('=').next().unwrap_or("");
                secrets(key, "ARG", w.range, out);
            }
        }
        "expose" => {
            for w in &ins.value {
                if w.text.contains(':') {
                    out.push(warn(
                        "ExposeInvalidFormat",
                        format!("EXPOSE instruction should not define an IP address or host-port mapping, found '{}'", w.text),
                        w.range,
                        "publish ports with `docker run -p`; EXPOSE takes only the container port",
                    ));
                }
                if let Some((_, proto)) = w.text.split_once('/') {
                    if proto != proto.to_ascii_lowercase() {
                        out.push(warn(
                            "ExposeProtoCasing",
                            format!(
                                "Defined protocol '{}' in EXPOSE instruction should be lowercase",
                                w.text
                            ),
                            w.range,
                            "write the protocol in lowercase",
                        ));
                    }
                }
            }
        }
        _ => {}
    }
}

/// SecretsUsedInArgOrEnv: a sensitive word as a whole `_`-separated part of the key.
fn secrets(key: &str, kw: &str, range: TextRange, out: &mut Vec<Diagnostic>) {
    const DENY: &[&str] = &[
        "apikey",
        "auth",
        "credential",
        "credentials",
        "key",
        "password",
        "pword",
        "passwd",
        "secret",
        "token",
    ];
    const ALLOW: &[&str] = &["public", "file", "version"];
    let parts: Vec<String> = key.split('_').map(str::to_ascii_lowercase).collect();
    if parts.iter().any(|p| DENY.contains(&p.as_str()))
        && !parts.iter().any(|p| ALLOW.contains(&p.as_str()))
    {
        out.push(warn(
            "SecretsUsedInArgOrEnv",
            format!("Do not use ARG or ENV instructions for sensitive data ({kw} \"{key}\")"),
            range,
            "pass secrets with `RUN --mount=type=secret`",
        ));
    }
}

/// InvalidDefinitionDescription (experimental: only with `# check=experimental=…`): the
/// comment right above `FROM … AS name` or `ARG name` must start with the name.
pub(super) fn definition_descriptions(
    text: &str,
    parsed: &Parsed,
    cfg: &CheckConfig,
    out: &mut Vec<Diagnostic>,
) {
    const RULE: &str = "InvalidDefinitionDescription";
    if !cfg.experimental.iter().any(|r| r == RULE || r == "all") {
        return;
    }
    for ins in &parsed.dockerfile.instructions {
        let (kw, name) = if ins.is("from") && ins.value.len() >= 3 {
            ("FROM", ins.value[2].text.as_str())
        } else if ins.is("arg") && ins.value.len() == 1 {
            ("ARG", ins.value[0].text.split('=').next().unwrap_or(""))
        } else {
            continue;
        };
        let before = &text[..ins.range.start().to_usize()];
        let Some(before) = before.strip_suffix('\n') else {
            continue;
        };
        let above = before.rsplit('\n').next().unwrap_or("").trim();
        let Some(comment) = above.strip_prefix('#') else {
            continue;
        };
        let comment = comment.trim();
        if comment.starts_with("check=")
            || comment.contains('=') && comment.split('=').next().is_some_and(|k| !k.contains(' '))
        {
            continue;
        }
        let ok = comment
            .strip_prefix(name)
            .is_some_and(|r| r.is_empty() || r.starts_with(' '));
        if !ok {
            out.push(warn(
                RULE,
                format!("Comment for {kw} should follow the format: `# {name} <description>`"),
                ins.keyword_range,
                "start the comment with the name it describes",
            ));
        }
    }
}
