//! Build checks: BuildKit's lint rules (`docker build --check`) and best-practice hints.
//!
//! BuildKit rules keep BuildKit's names as codes (`StageNameCasing`) and its message
//! format strings (see `docs/semantics.md` §7); they are warnings, or errors under
//! `# check=error=true`. `# check=skip=A,B` (or `skip=all`) turns rules off. Hints use
//! kebab-case codes (`apt-no-install-recommends`) and [`Severity::Hint`]; `skip` applies
//! to them too, `error=true` does not. Rules that need the build context or the base
//! image (`CopyIgnoredFile`, `InvalidBaseImagePlatform`) belong to the build engine.
//!
//! ```
//! use layerlab_dockerfile::{check, parse};
//! let text = "FROM alpine AS Builder\nCMD node index.js\n";
//! let codes: Vec<_> = check(text, &parse(text)).iter().map(|d| d.code).collect();
//! assert!(codes.contains(&"StageNameCasing"));
//! assert!(codes.contains(&"JSONArgsRecommended"));
//! ```

mod hints;
mod rules;

use crate::directive::CheckConfig;
use crate::Parsed;
use layerlab_text::{Diagnostic, Severity};

/// The documentation page of a BuildKit rule.
pub fn rule_url(rule: &str) -> String {
    let mut kebab = String::new();
    let chars: Vec<char> = rule.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev_lower = chars[i - 1].is_ascii_lowercase();
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev_lower || (next_lower && chars[i - 1].is_ascii_uppercase()) {
                kebab.push('-');
            }
        }
        kebab.push(c.to_ascii_lowercase());
    }
    format!("https://docs.docker.com/go/dockerfile/rule/{kebab}/")
}

/// The proxy build args: `--build-arg` accepts them without an `ARG`, and unless the
/// Dockerfile declares them they reach RUN without entering its cache key (semantics.md
/// §1.14).
pub const PROXY_ARGS: [&str; 10] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// The `# check=` configuration of a parsed file.
pub fn config(parsed: &Parsed) -> CheckConfig {
    parsed
        .dockerfile
        .directives
        .iter()
        .find(|d| d.name == "check")
        .map(|d| CheckConfig::parse(&d.value))
        .unwrap_or_default()
}

/// Runs every check on `text` (the text `parsed` came from). Findings are sorted by
/// position; each has a stable code, a range, a message and usually a help line.
pub fn check(text: &str, parsed: &Parsed) -> Vec<Diagnostic> {
    let cfg = config(parsed);
    let mut out = Vec::new();
    rules::run(text, parsed, &mut out);
    for d in &mut out {
        if cfg.error {
            d.severity = Severity::Error;
        }
    }
    rules::definition_descriptions(text, parsed, &cfg, &mut out);
    hints::run(text, parsed, &mut out);
    out.retain(|d| !cfg.is_skipped(d.code) && !skipped_here(text, parsed, d));
    out.sort_by_key(|d| (d.range.start(), d.code));
    out
}

/// Newer BuildKit frontends honour `# check=skip=Rule` on the line right above an
/// instruction, for findings inside that instruction.
fn skipped_here(text: &str, parsed: &Parsed, d: &Diagnostic) -> bool {
    let Some(ins) = parsed
        .dockerfile
        .instructions
        .iter()
        .find(|i| i.range.contains_range(d.range) || i.range.start() == d.range.start())
    else {
        return false;
    };
    let before = text[..ins.range.start().to_usize()].trim_end_matches([' ', '\t']);
    let Some(before) = before.strip_suffix('\n') else {
        return false;
    };
    let above = before.rsplit('\n').next().unwrap_or("").trim();
    let Some(rest) = above.strip_prefix('#') else {
        return false;
    };
    let rest = rest.trim_start();
    let Some(value) = rest.strip_prefix("check") else {
        return false;
    };
    let Some(value) = value.trim_start().strip_prefix('=') else {
        return false;
    };
    CheckConfig::parse(value.trim()).is_skipped(d.code)
}

#[cfg(test)]
mod tests;
