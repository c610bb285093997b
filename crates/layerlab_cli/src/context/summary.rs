//! The default `layerlab context` output: what is sent (counts, bytes, the biggest
//! directories and files), what is excluded by which rule, and the warnings.

use super::Source;
use layerlab_dockerignore::{
    lint, ContextTree, IgnoreFile, LintInput, Matcher, Outcome, WalkReport,
};
use layerlab_text::{Diagnostic, LineIndex};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Everything the summary is made from.
pub(crate) struct Input<'a> {
    pub(crate) dir: &'a Path,
    pub(crate) ignore: Option<&'a Source>,
    pub(crate) file: &'a IgnoreFile,
    pub(crate) matcher: &'a Matcher,
    pub(crate) tree: &'a ContextTree,
    pub(crate) report: &'a WalkReport,
    pub(crate) unreadable: &'a [(String, String)],
    pub(crate) copy_warnings: &'a [Warning],
}

/// A diagnostic located in a named file, 1-based.
pub(crate) struct Warning {
    file: String,
    line: u32,
    col: u32,
    d: Diagnostic,
}

impl Warning {
    pub(crate) fn new(file: &str, index: &LineIndex, d: &Diagnostic) -> Warning {
        let pos = index.line_col(d.range.start());
        Warning {
            file: file.to_owned(),
            line: pos.line + 1,
            col: pos.col + 1,
            d: d.clone(),
        }
    }

    fn to_text(&self) -> String {
        let mut s = format!(
            "{}:{}:{}: {}[{}]: {}",
            self.file,
            self.line,
            self.col,
            self.d.severity.as_str(),
            self.d.code,
            self.d.message
        );
        if let Some(help) = &self.d.help {
            let _ = write!(s, "\n    help: {help}");
        }
        s
    }

    fn to_json(&self) -> Value {
        json!({
            "file": self.file,
            "line": self.line,
            "column": self.col,
            "severity": self.d.severity.as_str(),
            "code": self.d.code,
            "message": self.d.message,
            "help": self.d.help,
        })
    }
}

/// Per-rule exclusion totals.
#[derive(Default, Clone, Copy)]
struct RuleTotal {
    entries: u64,
    bytes: u64,
    pruned_dirs: u64,
}

struct Facts {
    files: u64,
    dirs: u64,
    other: u64,
    bytes: u64,
    excluded_entries: u64,
    excluded_bytes: u64,
    rules: Vec<RuleTotal>,
    /// Sent bytes under each sent directory (recursive).
    dir_bytes: BTreeMap<String, u64>,
    biggest_files: Vec<(u64, String)>,
}

fn facts(input: &Input<'_>) -> Facts {
    let entries = input.tree.entries();
    let mut f = Facts {
        files: 0,
        dirs: 0,
        other: 0,
        bytes: 0,
        excluded_entries: 0,
        excluded_bytes: 0,
        rules: vec![RuleTotal::default(); input.matcher.patterns().len()],
        dir_bytes: BTreeMap::new(),
        biggest_files: Vec::new(),
    };
    for (e, o) in entries.iter().zip(&input.report.outcomes) {
        let rule = match *o {
            Outcome::Excluded { by } | Outcome::Pruned { by } => Some(by),
            Outcome::InsidePruned { dir } => match input.report.outcomes[dir as usize] {
                Outcome::Pruned { by } => Some(by),
                _ => None,
            },
            _ => None,
        };
        if let Some(by) = rule {
            f.excluded_entries += 1;
            f.excluded_bytes += e.size;
            let t = &mut f.rules[by as usize];
            t.entries += 1;
            t.bytes += e.size;
            if matches!(o, Outcome::Pruned { .. }) {
                t.pruned_dirs += 1;
            }
            continue;
        }
        if !o.is_sent() {
            continue;
        }
        match e.kind {
            layerlab_dockerignore::EntryKind::Dir => f.dirs += 1,
            layerlab_dockerignore::EntryKind::File => f.files += 1,
            _ => f.other += 1,
        }
        f.bytes += e.size;
        if !e.is_dir() {
            f.biggest_files.push((e.size, e.path.clone()));
            for (at, _) in e.path.match_indices('/') {
                *f.dir_bytes.entry(e.path[..at].to_owned()).or_default() += e.size;
            }
        }
    }
    f.biggest_files
        .sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    f.biggest_files.truncate(5);
    f
}

fn warnings(input: &Input<'_>) -> Vec<Warning> {
    let mut out = Vec::new();
    if let Some(src) = input.ignore {
        let index = LineIndex::new(&src.text);
        let diags = lint(&LintInput {
            file: input.file,
            matcher: input.matcher,
            context: Some((input.tree, input.report)),
        });
        out.extend(diags.iter().map(|d| Warning::new(&src.name, &index, d)));
    }
    out.extend(input.copy_warnings.iter().map(|w| Warning {
        file: w.file.clone(),
        line: w.line,
        col: w.col,
        d: w.d.clone(),
    }));
    out
}

fn biggest_dirs(f: &Facts) -> Vec<(u64, &str)> {
    let mut dirs: Vec<(u64, &str)> = f.dir_bytes.iter().map(|(p, b)| (*b, p.as_str())).collect();
    dirs.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    dirs.truncate(5);
    dirs
}

pub(crate) fn text(input: &Input<'_>) -> String {
    let f = facts(input);
    let mut s = String::new();
    let ignore = input.ignore.map_or("none".to_owned(), |i| i.name.clone());
    let _ = writeln!(
        s,
        "build context {} (ignore file: {ignore}, {} patterns)",
        input.dir.display(),
        input.matcher.patterns().len()
    );
    let _ = writeln!(
        s,
        "sent: {} files, {} directories{}, {}",
        f.files,
        f.dirs,
        if f.other > 0 {
            format!(", {} other", f.other)
        } else {
            String::new()
        },
        human(f.bytes)
    );
    let _ = writeln!(
        s,
        "excluded: {} entries, {}",
        f.excluded_entries,
        human(f.excluded_bytes)
    );
    for (p, t) in input.matcher.patterns().iter().zip(&f.rules) {
        if t.entries == 0 {
            continue;
        }
        let pruned = if t.pruned_dirs > 0 {
            format!(" ({} directories not entered)", t.pruned_dirs)
        } else {
            String::new()
        };
        let _ = writeln!(
            s,
            "  line {:>3}  {:<30} {} entries, {}{pruned}",
            p.source().line,
            p.source().text,
            t.entries,
            human(t.bytes)
        );
    }
    let dirs = biggest_dirs(&f);
    if !dirs.is_empty() {
        let _ = writeln!(s, "biggest sent directories:");
        for (b, p) in dirs {
            let _ = writeln!(s, "  {:>10}  {p}/", human(b));
        }
    }
    if !f.biggest_files.is_empty() {
        let _ = writeln!(s, "biggest sent files:");
        for (b, p) in &f.biggest_files {
            let _ = writeln!(s, "  {:>10}  {p}", human(*b));
        }
    }
    for (path, err) in input.unreadable {
        let _ = writeln!(s, "unreadable: {path}: {err}");
    }
    let warnings = warnings(input);
    if !warnings.is_empty() {
        let _ = writeln!(s, "warnings:");
        for w in &warnings {
            let _ = writeln!(s, "  {}", w.to_text());
        }
    }
    s
}

pub(crate) fn json(input: &Input<'_>) -> Value {
    let f = facts(input);
    let rules: Vec<Value> = input
        .matcher
        .patterns()
        .iter()
        .zip(&f.rules)
        .zip(&input.report.pattern_stats)
        .map(|((p, t), st)| {
            json!({
                "line": p.source().line,
                "pattern": p.source().text,
                "exception": p.is_exception(),
                "matched": st.matched,
                "decided": st.decided,
                "excluded_entries": t.entries,
                "excluded_bytes": t.bytes,
                "pruned_dirs": t.pruned_dirs,
            })
        })
        .collect();
    let excluded: Vec<Value> = input
        .tree
        .entries()
        .iter()
        .zip(&input.report.outcomes)
        .filter_map(|(e, o)| {
            let (by, how) = match *o {
                Outcome::Excluded { by } => (by, "excluded"),
                Outcome::Pruned { by } => (by, "excluded, not entered"),
                _ => return None,
            };
            let p = &input.matcher.patterns()[by as usize];
            Some(json!({
                "path": e.path,
                "dir": e.is_dir(),
                "outcome": how,
                "line": p.source().line,
                "pattern": p.source().text,
            }))
        })
        .collect();
    json!({
        "context": input.dir.display().to_string(),
        "ignore_file": input.ignore.map(|i| i.name.clone()),
        "sent": { "files": f.files, "dirs": f.dirs, "other": f.other, "bytes": f.bytes },
        "excluded_total": { "entries": f.excluded_entries, "bytes": f.excluded_bytes },
        "rules": rules,
        "excluded": excluded,
        "biggest_dirs": biggest_dirs(&f).iter().map(|(b, p)| json!({"path": p, "bytes": b})).collect::<Vec<_>>(),
        "biggest_files": f.biggest_files.iter().map(|(b, p)| json!({"path": p, "bytes": b})).collect::<Vec<_>>(),
        "unreadable": input.unreadable.iter().map(|(p, e)| json!({"path": p, "error": e})).collect::<Vec<_>>(),
        "warnings": warnings(input).iter().map(Warning::to_json).collect::<Vec<_>>(),
    })
}

fn human(bytes: u64) -> String {
    layerlab_build::progress::human_size_precision(bytes, 3)
}
