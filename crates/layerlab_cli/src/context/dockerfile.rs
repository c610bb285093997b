//! The `CopyIgnoredFile` check: `COPY`/`ADD` sources from the build context that the
//! ignore file excludes, found in the Dockerfile with the first-slice parser.

use super::summary::Warning;
use layerlab_dockerignore::{copy_ignored, CopyCommand, CopySource, Matcher};
use layerlab_text::{LineIndex, TextRange, TextSize};
use std::path::Path;

/// Warnings for the Dockerfile at `path` (none when it cannot be read).
pub(crate) fn copy_warnings(path: &Path, matcher: &Matcher) -> Vec<Warning> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let parsed = layerlab_dockerfile::parse(&text);
    let mut sources = Vec::new();
    for ins in &parsed.dockerfile.instructions {
        let command = if ins.keyword.eq_ignore_ascii_case("COPY") {
            CopyCommand::Copy
        } else if ins.keyword.eq_ignore_ascii_case("ADD") {
            CopyCommand::Add
        } else {
            continue;
        };
        let start = ins.keyword_range.end().to_usize();
        let args = &text[start..ins.range.end().to_usize()];
        sources.extend(sources_of(command, args, start));
    }
    let index = LineIndex::new(&text);
    let name = path.display().to_string();
    copy_ignored(matcher, &sources)
        .iter()
        .map(|d| Warning::new(&name, &index, d))
        .collect()
}

/// The context sources of one instruction's arguments (`args` starts at byte
/// `offset` of the Dockerfile): every word but the destination, skipping flags,
/// line continuations and heredocs; nothing for `--from` (not the context).
fn sources_of(command: CopyCommand, args: &str, offset: usize) -> Vec<CopySource<'_>> {
    let trimmed = args.trim_start();
    if trimmed.starts_with('[') {
        // JSON form: the words are not located precisely; the whole form is used.
        let lead = args.len() - trimmed.len();
        let Ok(words) = serde_json::from_str::<Vec<String>>(trimmed.trim_end()) else {
            return Vec::new();
        };
        let range = range(offset + lead, offset + args.trim_end().len());
        let n = words.len().saturating_sub(1);
        return words[..n]
            .iter()
            .filter_map(|w| trimmed.find(w.as_str()).map(|i| &trimmed[i..i + w.len()]))
            .map(|path| CopySource {
                command,
                path,
                range,
            })
            .collect();
    }
    let mut words: Vec<(usize, &str)> = Vec::new();
    let mut pos = 0;
    for word in args.split_whitespace() {
        let at = pos + args[pos..].find(word).unwrap_or(0);
        pos = at + word.len();
        words.push((at, word));
    }
    if words.iter().any(|(_, w)| w.starts_with("--from")) {
        return Vec::new();
    }
    let words: Vec<(usize, &str)> = words
        .into_iter()
        .filter(|(_, w)| !w.starts_with("--") && *w != "\\" && !w.starts_with("<<"))
        .collect();
    let n = words.len().saturating_sub(1);
    words[..n]
        .iter()
        .map(|&(at, path)| CopySource {
            command,
            path,
            range: range(offset + at, offset + at + path.len()),
        })
        .collect()
}

fn range(start: usize, end: usize) -> TextRange {
    let to = |n: usize| TextSize::from(u32::try_from(n).unwrap_or(u32::MAX));
    TextRange::new(to(start), to(end))
}
