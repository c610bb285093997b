//! The build context view: which files the ignore file lets through, and why.

use super::DiagnosticView;
use crate::workspace::{Workspace, DOCKERIGNORE};
use layerlab_dockerignore::{
    copy_ignored, lint, select_ignore_file, walk, ContextEntry, ContextTree, CopyCommand,
    CopySource, IgnoreFile, LintInput, Matcher, Outcome,
};
use layerlab_text::LineIndex;

/// How an entry fared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Sent to the builder.
    Sent,
    /// Sent because an exception re-included it.
    Reincluded,
    /// An excluded directory sent only because something inside is re-included.
    SentForContents,
    /// Not sent.
    Excluded,
    /// An excluded directory the walk never entered.
    Pruned,
}

impl Status {
    /// CSS class and badge text.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Sent => "sent",
            Status::Reincluded => "re-included",
            Status::SentForContents => "sent for contents",
            Status::Excluded => "excluded",
            Status::Pruned => "excluded, not entered",
        }
    }

    /// Whether the entry reaches the builder.
    pub fn is_sent(self) -> bool {
        matches!(
            self,
            Status::Sent | Status::Reincluded | Status::SentForContents
        )
    }
}

/// One row of the context tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryView {
    /// Path relative to the context root.
    pub path: String,
    /// Last path component.
    pub name: String,
    /// Nesting depth (0 at the root).
    pub depth: u32,
    /// Directory or file.
    pub is_dir: bool,
    /// File size, or for a directory the size of everything below it.
    pub size: u64,
    /// The decision.
    pub status: Status,
    /// The deciding rule in words, when a rule decided.
    pub rule: Option<String>,
    /// For a pruned directory: how many entries below it were never visited.
    pub hidden: u32,
}

/// A pattern and how much it did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleView {
    /// The line number in the ignore file.
    pub line: u32,
    /// The pattern as written.
    pub text: String,
    /// Entries it decided.
    pub decided: u32,
}

/// Everything the Context panel shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContextView {
    /// Which ignore file applies (`None`: everything is sent).
    pub ignore_file: Option<String>,
    /// Why the build would fail on the ignore file (invalid pattern), with its line.
    pub error: Option<String>,
    /// Rows in walk order (entries inside pruned directories are folded into them).
    pub rows: Vec<EntryView>,
    /// Files and bytes sent.
    pub sent: (u64, u64),
    /// Files and bytes left out.
    pub excluded: (u64, u64),
    /// Rules with what they decided.
    pub rules: Vec<RuleView>,
    /// Warnings about the ignore file (ranges in it) and COPY sources it excludes.
    pub warnings: Vec<DiagnosticView>,
    /// Entries walked (sent, excluded, or folded into a pruned directory).
    pub entries: usize,
    /// How long the check took in the browser, in microseconds (set by the page).
    pub elapsed_us: Option<u64>,
}

/// The ignore file a workspace's build uses, and its text.
pub fn ignore_file(ws: &Workspace) -> Option<(String, String)> {
    let exists = |p: &str| ws.files.contains_key(p);
    let choice = select_ignore_file(Some(&ws.dockerfile_path), "", &exists);
    choice
        .path()
        .map(|p| (p.to_string(), ws.text(p).to_string()))
}

/// The compiled patterns, or the reason the build would fail on them.
pub fn matcher(ws: &Workspace) -> Result<Option<(IgnoreFile, Matcher)>, String> {
    let Some((path, text)) = ignore_file(ws) else {
        return Ok(None);
    };
    let file = IgnoreFile::parse(&text);
    match file.matcher() {
        Ok(m) => Ok(Some((file, m))),
        Err(e) => {
            let d = e.to_diagnostic();
            let line = LineIndex::new(&text).line_of(d.range.start()) + 1;
            Err(format!("{path}:{line}: {}", d.message))
        }
    }
}

/// Walks the workspace's context as BuildKit would.
pub fn context_view(ws: &Workspace) -> ContextView {
    // ContextTree adds missing parent directories and sorts into walk order itself, so
    // the files and explicit directories go in as they are (one pass, one sort).
    let tree = ContextTree::new(
        ws.dirs.iter().map(|d| ContextEntry::dir(d.clone())).chain(
            ws.files
                .iter()
                .map(|(p, f)| ContextEntry::file(p.clone(), f.size())),
        ),
    );
    let mut view = ContextView {
        ignore_file: ignore_file(ws).map(|(p, _)| p),
        ..ContextView::default()
    };
    let (file, matcher) = match matcher(ws) {
        Ok(Some(pair)) => pair,
        Ok(None) => {
            let empty = IgnoreFile::parse("");
            let m = empty.matcher().expect("an empty ignore file compiles");
            (empty, m)
        }
        Err(message) => {
            view.error = Some(message);
            return view;
        }
    };
    let report = match walk(&matcher, &tree) {
        Ok(r) => r,
        Err(e) => {
            view.error = Some(format!(
                "the ignore file cannot be applied: {}",
                e.message()
            ));
            return view;
        }
    };
    let patterns = matcher.patterns();
    let describe = |i: u32| {
        let p = &patterns[i as usize];
        format!("`{}` (line {})", p.source().text, p.source().line)
    };
    let items = tree.entries();
    view.entries = items.len();
    // Directory sizes: everything below, counted once per file.
    let mut dir_sizes = vec![0u64; items.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, e) in items.iter().enumerate() {
        while let Some(&top) = stack.last() {
            if e.path.starts_with(&items[top].path)
                && e.path.as_bytes().get(items[top].path.len()) == Some(&b'/')
            {
                break;
            }
            stack.pop();
        }
        if !e.is_dir() {
            for &d in &stack {
                dir_sizes[d] += e.size;
            }
        }
        if e.is_dir() {
            stack.push(i);
        }
    }
    for (i, (e, outcome)) in items.iter().zip(&report.outcomes).enumerate() {
        let (status, rule) = match *outcome {
            Outcome::Sent {
                reincluded_by: Some(p),
            } => (
                Status::Reincluded,
                Some(format!("re-included by {}", describe(p))),
            ),
            Outcome::Sent {
                reincluded_by: None,
            } => (Status::Sent, None),
            Outcome::SentForContents { excluded_by } => (
                Status::SentForContents,
                Some(format!(
                    "excluded by {}, sent because something inside is re-included",
                    describe(excluded_by)
                )),
            ),
            Outcome::Excluded { by } => (
                Status::Excluded,
                Some(format!("excluded by {}", describe(by))),
            ),
            Outcome::Pruned { by } => (
                Status::Pruned,
                Some(format!(
                    "excluded by {}; nothing inside can be re-included, so it is not entered",
                    describe(by)
                )),
            ),
            Outcome::InsidePruned { dir } => {
                if let Some(row) = view
                    .rows
                    .iter_mut()
                    .rev()
                    .find(|r| r.path == items[dir as usize].path)
                {
                    row.hidden += 1;
                }
                let counter = if e.is_dir() {
                    None
                } else {
                    Some(&mut view.excluded)
                };
                if let Some(c) = counter {
                    c.0 += 1;
                    c.1 += e.size;
                }
                continue;
            }
        };
        if !e.is_dir() {
            let counter = if status.is_sent() {
                &mut view.sent
            } else {
                &mut view.excluded
            };
            counter.0 += 1;
            counter.1 += e.size;
        }
        view.rows.push(EntryView {
            name: e.path.rsplit('/').next().unwrap_or(&e.path).to_string(),
            depth: e.path.matches('/').count() as u32,
            path: e.path.clone(),
            is_dir: e.is_dir(),
            size: if e.is_dir() { dir_sizes[i] } else { e.size },
            status,
            rule,
            hidden: 0,
        });
    }
    view.rules = patterns
        .iter()
        .zip(&report.pattern_stats)
        .map(|(p, s)| RuleView {
            line: p.source().line,
            text: p.source().text.clone(),
            decided: s.decided,
        })
        .collect();
    // Whole-file warnings (ranges in the ignore file) and COPY sources it excludes
    // (ranges in the Dockerfile).
    let ignore_text = ignore_file(ws).map(|(_, t)| t).unwrap_or_default();
    let ignore_path = view
        .ignore_file
        .clone()
        .unwrap_or_else(|| DOCKERIGNORE.to_string());
    let findings = lint(&LintInput {
        file: &file,
        matcher: &matcher,
        context: Some((&tree, &report)),
    });
    view.warnings.extend(
        findings
            .iter()
            .map(|d| super::diagnostic_view(&ignore_path, &ignore_text, d)),
    );
    let dockerfile = ws.dockerfile();
    let parsed = layerlab_dockerfile::parse(dockerfile);
    let mut sources: Vec<CopySource<'_>> = Vec::new();
    for ins in &parsed.dockerfile.instructions {
        let command = match ins.name().as_str() {
            "copy" if ins.flag("from").is_none() => CopyCommand::Copy,
            "add" => CopyCommand::Add,
            _ => continue,
        };
        let n = ins.value.len();
        for w in ins.value.iter().take(n.saturating_sub(1)) {
            sources.push(CopySource {
                command,
                path: &w.text,
                range: w.range,
            });
        }
    }
    let copy = copy_ignored(&matcher, &sources);
    view.warnings.extend(
        copy.iter()
            .map(|d| super::diagnostic_view(&ws.dockerfile_path, dockerfile, d)),
    );
    view
}

/// The full explanation of one path, as a sentence.
pub fn explain(ws: &Workspace, path: &str) -> String {
    match matcher(ws) {
        Err(e) => e,
        Ok(None) => format!("{path}: sent (there is no ignore file)"),
        Ok(Some((_, m))) => match m.explain(path) {
            Ok(e) => format!("{path}: {}", m.describe(&e)),
            Err(e) => format!("{path}: {}", e.message()),
        },
    }
}
