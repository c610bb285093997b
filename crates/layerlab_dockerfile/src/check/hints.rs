//! Best-practice hints the Docker tutorials teach; not BuildKit rules, so they are
//! [`Severity::Hint`](layerlab_text::Severity::Hint) with kebab-case codes.

use crate::{Instruction, Parsed};
use layerlab_text::{Diagnostic, TextRange};

/// Codes of the hints.
pub(super) mod code {
    pub(crate) const INSTALL_AFTER_COPY_ALL: &str = "install-after-copy-all";
    pub(crate) const APT_NO_INSTALL_RECOMMENDS: &str = "apt-no-install-recommends";
    pub(crate) const APT_NO_CLEANUP: &str = "apt-no-cleanup";
    pub(crate) const APT_UPDATE_ALONE: &str = "apt-update-alone";
    pub(crate) const CONSECUTIVE_RUN: &str = "consecutive-run";
    pub(crate) const UNPINNED_BASE_IMAGE: &str = "unpinned-base-image";
    pub(crate) const RUNS_AS_ROOT: &str = "runs-as-root";
    pub(crate) const ADD_INSTEAD_OF_COPY: &str = "add-instead-of-copy";
}

fn hint(code: &'static str, message: &str, range: TextRange, help: &str) -> Diagnostic {
    Diagnostic::hint(code, message, range).with_help(help)
}

/// Package-manager commands that install dependencies from a manifest.
const INSTALLS: &[&str] = &[
    "npm install",
    "npm ci",
    "yarn install",
    "pnpm install",
    "pip install",
    "pip3 install",
    "poetry install",
    "bundle install",
    "go mod download",
    "composer install",
    "cargo build",
    "cargo fetch",
    "mvn ",
    "gradle ",
    "dotnet restore",
];

fn shell_text(ins: &Instruction) -> String {
    let mut s: String = ins
        .value
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    for h in &ins.heredocs {
        s.push('\n');
        s.push_str(&h.content);
    }
    s
}

pub(super) fn run(text: &str, parsed: &Parsed, out: &mut Vec<Diagnostic>) {
    let _ = text;
    let ins = &parsed.dockerfile.instructions;
    let stage_names: Vec<String> = ins
        .iter()
        .filter(|i| i.is("from") && i.value.len() >= 3)
        .map(|i| i.value[2].text.to_ascii_lowercase())
        .collect();
    let mut copied_all: Option<TextRange> = None;
    let mut prev_run: Option<&Instruction> = None;
    let mut last_from: Option<&Instruction> = None;
    let mut has_user = false;
    for i in ins {
        let name = i.name();
        if name == "from" {
            copied_all = None;
            last_from = Some(i);
            has_user = false;
            base_image(i, &stage_names, out);
        }
        if name == "user" {
            has_user = true;
        }
        if (name == "copy" || name == "add") && i.flag("from").is_none() {
            let srcs = &i.value[..i.value.len().saturating_sub(1)];
            if srcs
                .iter()
                .any(|w| matches!(w.text.as_str(), "." | "./" | "*"))
            {
                copied_all = Some(i.range);
            }
        }
        if name == "add" {
            add_vs_copy(i, out);
        }
        if name == "run" {
            let sh = shell_text(i);
            if let Some(copy) = copied_all {
                if let Some(cmd) = INSTALLS.iter().find(|c| sh.contains(**c)) {
                    out.push(
                        hint(
                            code::INSTALL_AFTER_COPY_ALL,
                            &format!("`{}` runs after copying the whole context, so any source change busts its cache", cmd.trim()),
                            i.args_range,
                            "copy only the dependency manifests (package.json, requirements.txt, …) first, install, then COPY the rest",
                        )
                        .with_label(copy, "the whole context is copied here"),
                    );
                }
            }
            apt(i, &sh, out);
            if let Some(p) = prev_run {
                if p.flags.is_empty()
                    && i.flags.is_empty()
                    && !p.json
                    && !i.json
                    && p.heredocs.is_empty()
                    && i.heredocs.is_empty()
                {
                    out.push(
                        hint(
                            code::CONSECUTIVE_RUN,
                            "consecutive RUN instructions each add a layer",
                            i.keyword_range,
                            "join them with `&&` in one RUN, unless the split is for caching",
                        )
                        .with_label(p.keyword_range, "previous RUN"),
                    );
                }
            }
            prev_run = Some(i);
        } else {
            prev_run = None;
        }
    }
    if let Some(f) = last_from {
        let scratch = f
            .value
            .first()
            .is_some_and(|w| w.text.eq_ignore_ascii_case("scratch"));
        if !has_user && !scratch {
            out.push(hint(
                code::RUNS_AS_ROOT,
                "the final stage sets no USER, so the container runs as root",
                f.keyword_range,
                "add `USER <name>` (create the user first) before CMD/ENTRYPOINT",
            ));
        }
    }
}

fn base_image(from: &Instruction, stages: &[String], out: &mut Vec<Diagnostic>) {
    let Some(w) = from.value.first() else { return };
    let image = &w.text;
    if image.contains('$')
        || image.eq_ignore_ascii_case("scratch")
        || stages.contains(&image.to_ascii_lowercase())
        || image.contains('@')
    {
        return;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, "latest")) => out.push(hint(
            code::UNPINNED_BASE_IMAGE,
            "the base image uses the `latest` tag, which changes under you",
            w.range,
            "pin a version tag (and ideally a @sha256 digest)",
        )),
        None => out.push(hint(
            code::UNPINNED_BASE_IMAGE,
            "the base image has no tag, so it means `latest`",
            w.range,
            "pin a version tag (and ideally a @sha256 digest)",
        )),
        _ => {}
    }
}

fn add_vs_copy(i: &Instruction, out: &mut Vec<Diagnostic>) {
    if i.value.len() < 2 || !i.heredocs.is_empty() {
        return;
    }
    let srcs = &i.value[..i.value.len() - 1];
    let special = srcs.iter().any(|w| {
        let s = w.text.to_ascii_lowercase();
        s.contains("://")
            || s.starts_with("git@")
            || [".tar", ".tgz", ".gz", ".bz2", ".xz", ".zst"]
                .iter()
                .any(|e| s.contains(e))
    });
    if !special {
        out.push(hint(
            code::ADD_INSTEAD_OF_COPY,
            "ADD with local files does what COPY does, plus implicit extraction",
            i.keyword_range,
            "use COPY; keep ADD for URLs, git repositories and archives to extract",
        ));
    }
}

fn apt(i: &Instruction, sh: &str, out: &mut Vec<Diagnostic>) {
    let installs = sh.contains("apt-get install") || sh.contains("apt install");
    let updates = sh.contains("apt-get update") || sh.contains("apt update");
    if installs && !sh.contains("--no-install-recommends") {
        out.push(hint(
            code::APT_NO_INSTALL_RECOMMENDS,
            "apt-get install without --no-install-recommends pulls in extra packages",
            i.args_range,
            "add --no-install-recommends",
        ));
    }
    if installs
        && !sh.contains("/var/lib/apt/lists")
        && i.flags.iter().all(|f| !f.text.contains("type=cache"))
    {
        out.push(hint(
            code::APT_NO_CLEANUP,
            "the apt package lists stay in the layer",
            i.args_range,
            "end the same RUN with `&& rm -rf /var/lib/apt/lists/*`",
        ));
    }
    if updates && !installs {
        out.push(hint(
            code::APT_UPDATE_ALONE,
            "apt-get update in its own RUN is cached separately, so later installs can use stale lists",
            i.args_range,
            "run `apt-get update && apt-get install …` in one RUN",
        ));
    }
}
