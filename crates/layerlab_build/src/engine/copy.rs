//! `COPY` and `ADD` (semantics.md §3): selecting sources, checksumming them, and placing
//! them at the destination.

use super::glob;
use super::run::RunOutcome;
use super::stage::{Builder, StageState};
use super::users;
use crate::cache::{Field, KeyInputs, SourceSet, BUILD_CONTEXT};
use crate::checksum::{self, Owners};
use crate::command::{Command, CopyCmd, Located};
use crate::report::BuildError;
use layerlab_image::{read_layer, EntryKind};
use layerlab_vfs::{Content, Digest, Fs, Meta, Node, VfsPath};

fn err(message: impl Into<String>, c: &Located<Command>) -> BuildError {
    BuildError {
        message: message.into(),
        source: Some(c.range),
    }
}

/// Cleans a source path as BuildKit does: relative to the source root, `..` cannot climb
/// above it, a leading `/` and a trailing `/` mean nothing.
fn clean_source(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// One selected source: its path relative to the source root and its node.
struct Selected {
    rel: String,
    node: Node,
}

/// Expands one (cleaned) source path, wildcards included, against `fs`.
fn select(fs: &Fs, rel: &str) -> Result<Vec<Selected>, String> {
    if rel.is_empty() {
        // `.` is the whole source root.
        return Ok(vec![Selected {
            rel: String::new(),
            node: Node::Dir(fs.root().clone()),
        }]);
    }
    if !glob::has_meta(rel) {
        let path = VfsPath::new(&format!("/{rel}"));
        // Top-level symlinks given as sources are followed.
        return match fs.node(&path) {
            Ok(node) => Ok(vec![Selected {
                rel: rel.to_string(),
                node: node.clone(),
            }]),
            Err(_) => Err(format!("\"/{rel}\": not found")),
        };
    }
    let segments: Vec<&str> = rel.split('/').collect();
    let mut found: Vec<String> = vec![String::new()];
    for (i, seg) in segments.iter().enumerate() {
        let mut next = Vec::new();
        for base in &found {
            let dir = VfsPath::new(&format!("/{base}"));
            if !glob::has_meta(seg) {
                let candidate = if base.is_empty() {
                    seg.to_string()
                } else {
                    format!("{base}/{seg}")
                };
                if fs
                    .symlink_node(&VfsPath::new(&format!("/{candidate}")))
                    .is_ok()
                {
                    next.push(candidate);
                } else if i < segments.len() - 1
                    && segments[i + 1..].iter().any(|s| glob::has_meta(s))
                    && found.len() == 1
                {
                    // The directory part before a wildcard must exist.
                    return Err(format!("lstat /{candidate}: no such file or directory"));
                }
                continue;
            }
            let Ok(entries) = fs.read_dir(&dir) else {
                continue;
            };
            for (name, _) in entries {
                if glob::matches(seg, name)? {
                    next.push(if base.is_empty() {
                        name.to_string()
                    } else {
                        format!("{base}/{name}")
                    });
                }
            }
        }
        found = next;
    }
    found.sort();
    Ok(found
        .into_iter()
        .filter_map(|rel| {
            let node = fs.node(&VfsPath::new(&format!("/{rel}"))).ok()?.clone();
            Some(Selected { rel, node })
        })
        .collect())
}

/// Parses `--chmod`: octal (`755`, `0644`) or symbolic (`+x`, `u=rwX,go=rX`).
fn parse_chmod(spec: &str) -> Result<Box<dyn Fn(u32, bool) -> u32>, String> {
    let bad = || {
        format!(
            "invalid chmod parameter: '{spec}'. it should be octal string and between 0 and 07777"
        )
    };
    if spec.chars().all(|c| c.is_ascii_digit()) {
        let mode = u32::from_str_radix(spec, 8).map_err(|_| bad())?;
        if mode > 0o7777 {
            return Err(bad());
        }
        return Ok(Box::new(move |_, _| mode));
    }
    // Symbolic: comma-separated clauses [ugoa]*[+-=][rwxX]*.
    let mut clauses = Vec::new();
    for clause in spec.split(',') {
        let op_at = clause.find(['+', '-', '=']).ok_or_else(bad)?;
        let (who, rest) = clause.split_at(op_at);
        let op = rest.chars().next().ok_or_else(bad)?;
        let perms = &rest[1..];
        if !who.chars().all(|c| "ugoa".contains(c)) || !perms.chars().all(|c| "rwxX".contains(c)) {
            return Err(bad());
        }
        clauses.push((who.to_string(), op, perms.to_string()));
    }
    Ok(Box::new(move |mode: u32, is_dir: bool| {
        let mut mode = mode & 0o7777;
        for (who, op, perms) in &clauses {
            let who = if who.is_empty() { "a" } else { who.as_str() };
            let mut mask = 0;
            for w in who.chars() {
                mask |= match w {
                    'u' => 0o700,
                    'g' => 0o070,
                    'o' => 0o007,
                    _ => 0o777,
                };
            }
            let mut bits = 0;
            for p in perms.chars() {
                bits |= match p {
                    'r' => 0o444,
                    'w' => 0o222,
                    'x' => 0o111,
                    // X: execute only for directories or files already executable by someone.
                    _ if is_dir || mode & 0o111 != 0 => 0o111,
                    _ => 0,
                };
            }
            bits &= mask;
            mode = match op {
                '+' => mode | bits,
                '-' => mode & !bits,
                _ => (mode & !mask) | bits,
            };
        }
        mode
    }))
}

/// How placed files are owned and moded.
struct Place<'a> {
    owner: Option<(u32, u32)>,
    chmod: Option<&'a dyn Fn(u32, bool) -> u32>,
    epoch: i64,
}

impl Place<'_> {
    fn meta(&self, mut meta: Meta, is_dir: bool) -> Meta {
        if let Some((uid, gid)) = self.owner {
            meta.uid = uid;
            meta.gid = gid;
        }
        if let Some(f) = self.chmod {
            meta.mode = f(meta.mode, is_dir);
        }
        meta
    }

    /// Missing parents of `path` are created 0755 (or with `--chmod`), owned by the
    /// `--chown` owner or root.
    fn parents(&self, fs: &mut Fs, path: &VfsPath) -> Result<(), String> {
        if let Some(parent) = path.parent() {
            if fs.node(&parent).is_err() {
                let meta = self.meta(Meta::new(0o755).with_mtime(self.epoch), true);
                fs.mkdir_p(&parent, meta).map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    }

    /// Puts `node` at `target`, the destination a source is copied to; a directory onto
    /// an existing directory merges.
    fn put(&self, fs: &mut Fs, target: &VfsPath, node: &Node) -> Result<(), String> {
        self.merge(fs, target, node, true)
    }

    /// BuildKit's copier (fsutil `copier.copy`) leaves the destination directory's own
    /// owner, mode and time alone when it already exists (`COPY --chown=app . /app`
    /// after `WORKDIR /app` keeps `/app` root's), while a directory below it that
    /// already exists takes the source directory's metadata, `--chown`/`--chmod`
    /// applied, as a new one would.
    fn merge(&self, fs: &mut Fs, target: &VfsPath, node: &Node, top: bool) -> Result<(), String> {
        self.parents(fs, target)?;
        let existing_dir = fs.symlink_node(target).map(Node::is_dir).unwrap_or(false);
        match node {
            Node::Dir(dir) if existing_dir => {
                for (name, child) in dir.entries() {
                    self.merge(fs, &target.child(name), child, false)?;
                }
                if !top {
                    let meta = self.meta(*node.meta(), true);
                    fs.set_mode(target, meta.mode)
                        .and_then(|()| fs.chown(target, meta.uid, meta.gid))
                        .and_then(|()| fs.set_mtime(target, meta.mtime))
                        .map_err(|e| e.to_string())?;
                }
            }
            _ => {
                if fs.symlink_node(target).is_ok() {
                    fs.remove(target).map_err(|e| e.to_string())?;
                }
                if self.owner.is_none() && self.chmod.is_none() {
                    // Structural sharing: the subtree is not copied.
                    fs.insert(target, node.clone()).map_err(|e| e.to_string())?;
                } else {
                    self.put_rewritten(fs, target, node)?;
                }
            }
        }
        Ok(())
    }

    fn put_rewritten(&self, fs: &mut Fs, target: &VfsPath, node: &Node) -> Result<(), String> {
        match node {
            Node::Dir(dir) => {
                fs.mkdir(target, self.meta(*node.meta(), true))
                    .map_err(|e| e.to_string())?;
                for (name, child) in dir.entries() {
                    self.put_rewritten(fs, &target.child(name), child)?;
                }
                Ok(())
            }
            Node::File(f) => fs
                .write_file(target, f.content.clone(), self.meta(*node.meta(), false))
                .map_err(|e| e.to_string()),
            Node::Symlink(s) => {
                let mut meta = *node.meta();
                if let Some((uid, gid)) = self.owner {
                    meta.uid = uid;
                    meta.gid = gid;
                }
                fs.symlink(&s.target, target, meta)
                    .map_err(|e| e.to_string())
            }
        }
    }
}

/// Whether `rel` (or a parent of it) matches one of the `--exclude` patterns.
fn excluded(rel: &str, patterns: &[String]) -> bool {
    patterns.iter().any(|p| {
        let pat: Vec<&str> = p.trim_matches('/').split('/').collect();
        let segs: Vec<&str> = rel.split('/').collect();
        // A pattern matches the path or any of its parents, segment by segment; a
        // pattern of one segment also matches a base name at any depth.
        let prefix_match = segs.len() >= pat.len()
            && pat
                .iter()
                .zip(&segs)
                .all(|(p, s)| glob::matches(p, s).unwrap_or(false));
        let base_match = pat.len() == 1
            && segs
                .iter()
                .any(|s| glob::matches(pat[0], s).unwrap_or(false));
        prefix_match || base_match
    })
}

/// Drops excluded entries from a selection (inside directories too).
fn filter_excluded(sel: Selected, patterns: &[String]) -> Option<Selected> {
    if patterns.is_empty() {
        return Some(sel);
    }
    if excluded(&sel.rel, patterns) {
        return None;
    }
    let Node::Dir(_) = &sel.node else {
        return Some(sel);
    };
    let mut tmp = Fs::new(*sel.node.meta());
    fn walk(node: &Node, rel: &str, at: &VfsPath, patterns: &[String], fs: &mut Fs) {
        if let Node::Dir(d) = node {
            for (name, child) in d.entries() {
                let child_rel = format!("{rel}/{name}");
                if excluded(&child_rel, patterns) {
                    continue;
                }
                let path = at.child(name);
                match child {
                    Node::Dir(_) => {
                        let _ = fs.mkdir(&path, *child.meta());
                        walk(child, &child_rel, &path, patterns, fs);
                    }
                    _ => {
                        let _ = fs.insert(&path, child.clone());
                    }
                }
            }
        }
    }
    walk(&sel.node, &sel.rel, &VfsPath::root(), patterns, &mut tmp);
    Some(Selected {
        rel: sel.rel,
        node: Node::Dir(tmp.root().clone()),
    })
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

fn is_git(s: &str) -> bool {
    s.starts_with("git@")
        || s.starts_with("git://")
        || s.starts_with("ssh://")
        || (is_url(s)
            && s.split(['#', '?'])
                .next()
                .is_some_and(|u| u.ends_with(".git")))
}

/// A deterministic stand-in for a download: content seeded by the URL.
fn simulated_download(url: &str, epoch: i64) -> Node {
    let digest = Digest::of(url.as_bytes());
    let b = digest.as_bytes();
    let seed = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
    let len = 1024 + (seed % (512 * 1024));
    Node::file(
        Content::synthetic(seed, len),
        Meta::new(0o600).with_mtime(epoch),
    )
}

/// Whether `content` is a tar archive (plain or gzip), as ADD detects by content.
fn tar_layer(content: &Content) -> Option<layerlab_image::Layer> {
    let bytes = content.as_inline()?;
    let looks_tar = bytes.len() >= 512 && &bytes[257..262] == b"ustar";
    let looks_gzip = bytes.starts_with(&[0x1f, 0x8b]);
    if !(looks_tar || looks_gzip) {
        return None;
    }
    let data = if looks_gzip {
        layerlab_image::gunzip(bytes, 1 << 30).ok()?
    } else {
        bytes.to_vec()
    };
    read_layer(&data, &layerlab_image::TarLimits::default())
        .ok()
        .map(|(l, _)| l)
}

pub(crate) fn dispatch(
    b: &mut Builder<'_, '_>,
    state: &mut StageState,
    c: &Located<Command>,
    cp: &CopyCmd,
    results: &[Option<StageState>],
) -> Result<(), BuildError> {
    let what = if cp.is_add { "ADD" } else { "COPY" };
    let mut sources = Vec::new();
    for s in &cp.sources {
        sources.extend(b.expand_words(state, s, c.range)?);
    }
    let dest = b.expand(state, &cp.dest, c.range)?;
    let chown = cp
        .chown
        .as_ref()
        .map(|s| b.expand(state, s, c.range))
        .transpose()?;
    let chmod_text = cp
        .chmod
        .as_ref()
        .map(|s| b.expand(state, s, c.range))
        .transpose()?;
    let mut exclude = Vec::new();
    for e in &cp.exclude {
        exclude.push(b.expand(state, e, c.range)?);
    }
    for s in &sources {
        if !cp.is_add && is_git(s) {
            return Err(err("source can't be a git ref for COPY", c));
        }
        if !cp.is_add && is_url(s) {
            return Err(err("source can't be a URL for COPY", c));
        }
    }
    if cp.checksum.is_some() && sources.len() > 1 {
        return Err(err("checksum can't be specified for multiple sources", c));
    }

    // Where the sources come from.
    let (src_fs, label, owners) = match &cp.from {
        None => (
            b.req.context.clone(),
            BUILD_CONTEXT.to_string(),
            Owners::Reset,
        ),
        Some(from) => {
            if from.contains('$') {
                return Err(err("variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround", c));
            }
            match b.stage_ref(from, state.index) {
                Some(j) => {
                    let r = results[j]
                        .as_ref()
                        .ok_or_else(|| err(format!("stage {from} was not built"), c))?;
                    (r.fs.clone(), format!("stage {from}"), Owners::Keep)
                }
                None => {
                    if from.parse::<usize>().is_ok() {
                        return Err(err(format!("invalid stage index {from}"), c));
                    }
                    let image = b
                        .req
                        .bases
                        .resolve(from, &b.platform)
                        .map_err(|m| err(m, c))?;
                    (image.fs, format!("image {}", image.reference), Owners::Keep)
                }
            }
        }
    };

    // Select, checksum.
    let mut selected: Vec<Selected> = Vec::new();
    let mut remote: Vec<(String, Node)> = Vec::new();
    for s in &sources {
        if cp.is_add && (is_url(s) || is_git(s)) {
            remote.push((s.clone(), simulated_download(s, b.req.options.epoch)));
            continue;
        }
        let rel = clean_source(s);
        match select(&src_fs, &rel) {
            Ok(found) => selected.extend(
                found
                    .into_iter()
                    .filter_map(|sel| filter_excluded(sel, &exclude)),
            ),
            Err(e) => {
                let mut message = format!(
                    "failed to compute cache key: failed to calculate checksum of ref {}: {e}",
                    ref_id(&label)
                );
                if cp.from.is_none() {
                    if let Some(why) = (b.req.excluded)(&rel) {
                        message.push_str(&format!(" ({why})"));
                    }
                }
                return Err(err(message, c));
            }
        }
    }
    let refs: Vec<(VfsPath, &Node)> = selected
        .iter()
        .map(|s| (VfsPath::new(&format!("/{}", s.rel)), &s.node))
        .collect();
    let mut source_set: SourceSet = checksum::source_set(&label, &refs, owners);
    for (url, node) in &remote {
        checksum::flatten(node, url, Owners::Keep, &mut source_set.files);
    }
    let mut inline = Vec::new();
    for f in &cp.inline {
        let data = if f.expand {
            b.expand(state, &f.data, c.range)
                .unwrap_or_else(|_| f.data.clone())
        } else {
            f.data.clone()
        };
        inline.push((f.name.clone(), data));
    }
    for (name, data) in &inline {
        checksum::flatten(
            &Node::file(Content::inline(data.as_bytes()), Meta::new(0o644)),
            &format!("<<{name}"),
            Owners::Keep,
            &mut source_set.files,
        );
    }

    // Destination.
    let dir_intent = dest.ends_with('/') || dest == "." || dest.is_empty() || dest.ends_with("/.");
    let dest_abs = super::meta::resolve_path(&state.workdir, &dest);
    let owner = match &chown {
        Some(spec) => Some(users::resolve(&state.fs, spec).map_err(|m| err(m, c))?),
        None => None,
    };
    let chmod = chmod_text
        .as_deref()
        .map(parse_chmod)
        .transpose()
        .map_err(|m| err(m, c))?;
    let link = cp.link && cp.chmod.is_none();

    let mut inputs = KeyInputs::new(what, if link { None } else { state.key })
        .field(Field::new("dest", dest.clone()))
        .field(Field::new("dest dir", state.workdir.clone()));
    if let Some(ch) = &chown {
        inputs = inputs.field(Field::new("--chown", ch.clone()));
    }
    if let Some(m) = &chmod_text {
        inputs = inputs.field(Field::new("--chmod", m.clone()));
    }
    for e in &exclude {
        inputs = inputs.field(Field::new("--exclude", e.clone()));
    }
    if cp.parents {
        inputs = inputs.field(Field::new("--parents", "true"));
    }
    let names: Vec<String> = sources
        .iter()
        .map(|s| {
            s.rsplit('/')
                .find(|p| !p.is_empty())
                .unwrap_or(s)
                .to_string()
        })
        .collect();
    inputs = inputs
        .field(Field::new("sources", names.join(" ")))
        .field(b.platform_field())
        .source(source_set);

    let mut shown_flags = String::new();
    if cp.parents {
        shown_flags.push_str("--parents ");
    }
    if let Some(ch) = &chown {
        shown_flags.push_str(&format!("--chown={ch} "));
    }
    if let Some(m) = &chmod_text {
        shown_flags.push_str(&format!("--chmod={m} "));
    }
    let mut shown_sources: Vec<String> = sources.clone();
    shown_sources.extend(inline.iter().map(|(n, _)| format!("<<{n}")));
    let created_by = format!(
        "{what} {shown_flags}{} {dest} # buildkit",
        shown_sources.join(" ")
    );
    let bytes: u64 = selected.iter().map(|s| s.node.size()).sum();
    let epoch = b.req.options.epoch;
    let unpack_default = cp.is_add;
    let unpack = cp.unpack.unwrap_or(unpack_default);
    let parents = cp.parents;
    let ignore = state.no_cache != super::stage::IgnoreCache::No;
    let chmod_ref = chmod.as_deref();
    let mut exec = |fs: &mut Fs| -> Result<RunOutcome, String> {
        let place = Place {
            owner,
            chmod: chmod_ref,
            epoch,
        };
        let dest_path = VfsPath::new(&dest_abs);
        let into_dir =
            |fs: &Fs| dir_intent || fs.node(&dest_path).map(Node::is_dir).unwrap_or(false);
        for sel in &selected {
            let node = &sel.node;
            if let (true, Node::File(f)) = (unpack && cp.from.is_none(), node) {
                if let Some(layer) = tar_layer(&f.content) {
                    // ADD of a local tar: extract under the destination directory.
                    for entry in layer.entries() {
                        let target = dest_path.join(entry.path.relative());
                        match &entry.kind {
                            EntryKind::Dir => {
                                place.parents(fs, &target)?;
                                if fs.node(&target).is_err() {
                                    fs.mkdir(&target, entry.meta).map_err(|e| e.to_string())?;
                                }
                            }
                            EntryKind::File(content) => {
                                place.put(fs, &target, &Node::file(content.clone(), entry.meta))?
                            }
                            EntryKind::Symlink(t) => {
                                place.put(fs, &target, &Node::symlink(t, entry.meta))?
                            }
                            _ => {}
                        }
                    }
                    continue;
                }
            }
            if node.is_dir() {
                let target = if parents {
                    dest_path.join(&sel.rel)
                } else {
                    dest_path.clone()
                };
                place.put(fs, &target, node)?;
            } else {
                let name = sel.rel.rsplit('/').next().unwrap_or(&sel.rel);
                let target = if parents {
                    dest_path.join(&sel.rel)
                } else if into_dir(fs) {
                    dest_path.child(name)
                } else {
                    dest_path.clone()
                };
                place.put(fs, &target, node)?;
            }
        }
        for (url, node) in &remote {
            let name = url
                .split(['?', '#'])
                .next()
                .unwrap_or(url)
                .rsplit('/')
                .find(|p| !p.is_empty() && !p.contains(':'))
                .unwrap_or("__unnamed__");
            let target = if into_dir(fs) {
                dest_path.child(name)
            } else {
                dest_path.clone()
            };
            place.put(fs, &target, node)?;
        }
        for (name, data) in &inline {
            let target = if into_dir(fs) {
                dest_path.child(name)
            } else {
                dest_path.clone()
            };
            place.put(
                fs,
                &target,
                &Node::file(
                    Content::inline(data.as_bytes()),
                    Meta::new(0o644).with_mtime(epoch),
                ),
            )?;
        }
        let mut output = Vec::new();
        for (url, _) in &remote {
            output.push((
                40,
                format!("simulated download of {url} (no network is used)"),
            ));
        }
        Ok(RunOutcome {
            // Modeled: 40 ms plus 250 MB/s of copying.
            duration_ms: 40 + (bytes / 250_000) as u32 + 200 * remote.len() as u32,
            output,
            ..RunOutcome::default()
        })
    };
    let before_key = state.key;
    let name = b.step_name(state, &c.original, false);
    b.op(state, c, name, inputs, ignore, created_by, &mut exec)?;
    if link {
        if let Some(copy_key) = state.key {
            state.key = Some(crate::cache::link_merge_key(before_key, copy_key));
        }
    }
    Ok(())
}

/// A stable stand-in for BuildKit's random ref id in "not found" messages.
fn ref_id(label: &str) -> String {
    let d = Digest::of(label.as_bytes()).hex();
    format!("{}::{}", &d[..25], &d[25..50])
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn sources_are_cleaned_like_buildkit() {
        assert_eq!(clean_source("../a.txt"), "a.txt");
        assert_eq!(clean_source("/etc/hosts"), "etc/hosts");
        assert_eq!(clean_source("dir/"), "dir");
        assert_eq!(clean_source("."), "");
        assert_eq!(clean_source("a/../../b"), "b");
    }

    #[test]
    fn chmod_octal_and_symbolic() {
        assert_eq!(parse_chmod("755").unwrap()(0o644, false), 0o755);
        assert!(parse_chmod("9").is_err());
        assert!(parse_chmod("17777").is_err());
        assert_eq!(parse_chmod("+x").unwrap()(0o644, false), 0o755);
        assert_eq!(parse_chmod("u=rwX,go=rX").unwrap()(0o600, false), 0o644);
        assert_eq!(parse_chmod("u=rwX,go=rX").unwrap()(0o700, true), 0o755);
        assert_eq!(parse_chmod("g-w").unwrap()(0o664, false), 0o644);
    }

    #[test]
    fn exclude_matches_paths_and_names() {
        let ex = vec!["*.txt".to_string()];
        assert!(excluded("a.txt", &ex));
        assert!(excluded("dir/b.txt", &ex));
        assert!(!excluded("dir/b.md", &ex));
        assert!(excluded("dir/sub/y", &["dir/sub".to_string()]));
    }
}
