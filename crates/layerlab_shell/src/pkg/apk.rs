//! `apk` (apk-tools 2.14, Alpine): `add`, `del`, `update`, with the effects
//! Dockerfile tutorials talk about.
//!
//! * Each repository of `/etc/apk/repositories` has an index, `APKINDEX.tar.gz`.
//!   `apk update`, `apk add -U` and an `apk add` that finds no cached index fetch
//!   them into `/var/cache/apk/APKINDEX.<hash>.tar.gz`, where they stay in the layer;
//!   `--no-cache` fetches them into memory only, so nothing is left behind (the reason
//!   `apk add --no-cache` is the idiom in Alpine Dockerfiles).
//! * `add` installs the dependency closure from the catalog (`alpine_catalog.rs`),
//!   adds the names to `/etc/apk/world` and records each package in
//!   `/lib/apk/db/installed` (the same `P:`/`V:`/`I:` records the base image has).
//!   `--virtual NAME` (`-t`) records one named virtual package depending on them
//!   instead, so `apk del NAME` later removes the whole group.
//! * An unknown name fails the whole transaction (`unable to select packages`, status
//!   1): apk installs all or nothing.
//! * `del` removes names from the world and purges every catalog package nothing in
//!   the world needs any more; the image's own packages are never purged.
//! * Non-root users cannot lock the database (status 99).

use super::alpine_catalog::apk_executables;
use super::{alpine, seed, ApkPackage};
use crate::exec::{read_text, Shell, R};
use crate::io::Io;
use layerlab_vfs::{Content, VfsPath};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

const INSTALLED: &str = "/lib/apk/db/installed";
const WORLD: &str = "/etc/apk/world";
const CACHE: &str = "/var/cache/apk";

/// Compressed index sizes per repository (v3.21 `main` and `community`, estimates
/// from a real `/var/cache/apk` after `apk update`), and the package counts apk
/// prints after an update.
const MAIN_INDEX_BYTES: u64 = 650_000;
const COMMUNITY_INDEX_BYTES: u64 = 2_280_000;
const DISTINCT_PACKAGES: u32 = 25_404;

/// One record of `/lib/apk/db/installed`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Installed {
    name: String,
    version: String,
    size: u64,
}

/// `apk` options that matter for the effects.
#[derive(Default)]
struct Opts {
    no_cache: bool,
    update: bool,
    quiet: bool,
    virtual_name: Option<String>,
}

impl Shell<'_> {
    fn apk_db(&self) -> Vec<Installed> {
        let Some(text) = read_text(self.fs, &VfsPath::new(INSTALLED)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for stanza in text.split("\n\n") {
            let field = |k: &str| {
                stanza
                    .lines()
                    .find_map(|l| l.strip_prefix(k))
                    .map(str::to_owned)
            };
            if let Some(name) = field("P:") {
                out.push(Installed {
                    name,
                    version: field("V:").unwrap_or_default(),
                    size: field("I:").and_then(|s| s.parse().ok()).unwrap_or(0),
                });
            }
        }
        out
    }

    fn apk_world(&self) -> Vec<String> {
        read_text(self.fs, &VfsPath::new(WORLD))
            .map(|text| text.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    fn apk_repositories(&self) -> Vec<String> {
        let text = read_text(self.fs, &VfsPath::new("/etc/apk/repositories")).unwrap_or_default();
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_owned)
            .collect()
    }

    /// The cache file of one repository's index: apk names it after a hash of the URL.
    fn apk_index_path(repo: &str) -> String {
        format!("{CACHE}/APKINDEX.{:08x}.tar.gz", seed(repo) & 0xffff_ffff)
    }

    /// Fetches the indexes (prints `fetch` lines); writes them to the cache unless
    /// `--no-cache`.
    fn apk_fetch_indexes(&mut self, opts: &Opts, out: &mut String) -> R<()> {
        for repo in self.apk_repositories() {
            self.tick(2)?;
            if !opts.quiet {
                let _ = writeln!(out, "fetch {repo}/x86_64/APKINDEX.tar.gz");
            }
            if !opts.no_cache {
                let size = if repo.ends_with("/community") {
                    COMMUNITY_INDEX_BYTES
                } else {
                    MAIN_INDEX_BYTES
                };
                let path = Self::apk_index_path(&repo);
                self.put_file(&path, Content::synthetic(seed(&path), size), 0o644);
            }
            self.duration_ms += 400;
        }
        Ok(())
    }

    fn apk_has_cached_indexes(&self) -> bool {
        let repos = self.apk_repositories();
        !repos.is_empty()
            && repos
                .iter()
                .all(|r| self.fs.exists(&VfsPath::new(&Self::apk_index_path(r))))
    }

    /// Rewrites the installed database: drops the records of `remove`, appends `add`
    /// (with their `D:` lines), and keeps every other record byte-identical.
    fn apk_edit_db(&mut self, remove: &BTreeSet<String>, add: &[(Installed, Vec<String>)]) {
        let old = read_text(self.fs, &VfsPath::new(INSTALLED)).unwrap_or_default();
        let mut text = String::new();
        for stanza in old.split("\n\n").filter(|s| !s.trim().is_empty()) {
            let name = stanza.lines().find_map(|l| l.strip_prefix("P:"));
            if name.is_some_and(|n| remove.contains(n)) {
                continue;
            }
            text.push_str(stanza.trim_start_matches('\n'));
            text.push_str("\n\n");
        }
        for (p, deps) in add {
            let _ = writeln!(
                text,
                "P:{}\nV:{}\nA:x86_64\nI:{}\no:{}",
                p.name, p.version, p.size, p.name
            );
            if !deps.is_empty() {
                let _ = writeln!(text, "D:{}", deps.join(" "));
            }
            text.push('\n');
        }
        self.put_file(INSTALLED, Content::inline(text), 0o644);
    }

    fn apk_write_world(&mut self, world: &BTreeSet<String>) {
        let w: String = world.iter().map(|n| format!("{n}\n")).collect();
        self.put_file(WORLD, Content::inline(w), 0o644);
    }

    fn apk_summary(&self, db: &[Installed]) -> String {
        let bytes: u64 = db.iter().map(|p| p.size).sum();
        format!(
            "OK: {} MiB in {} packages\n",
            (bytes + (1 << 19)) >> 20,
            db.len()
        )
    }

    fn apk_trigger(&self, db: &[Installed]) -> String {
        db.iter()
            .find(|p| p.name == "busybox")
            .map(|p| format!("Executing busybox-{}.trigger\n", p.version))
            .unwrap_or_default()
    }

    fn apk_update(&mut self, opts: &Opts, io: &Io) -> R<u8> {
        let mut out = String::new();
        let fetch = Opts {
            no_cache: false,
            update: true,
            quiet: opts.quiet,
            virtual_name: None,
        };
        self.apk_fetch_indexes(&fetch, &mut out)?;
        let release = read_text(self.fs, &VfsPath::new("/etc/alpine-release"))
            .map_or_else(|| "3.21.0".to_owned(), |text| text.trim().to_owned());
        for repo in self.apk_repositories() {
            let rev = seed(&repo) % 200;
            let _ = writeln!(out, "v{release}-{rev}-g{:011x} [{repo}]", seed(&repo) >> 20);
        }
        let _ = writeln!(out, "OK: {DISTINCT_PACKAGES} distinct packages available");
        self.out(io, &out)?;
        Ok(0)
    }

    fn apk_add(&mut self, names: &[String], opts: &Opts, io: &Io) -> R<u8> {
        let mut out = String::new();
        if opts.update || opts.no_cache || !self.apk_has_cached_indexes() {
            self.apk_fetch_indexes(opts, &mut out)?;
        }
        // `name=1.2-r0`, `name>1.2`, `name@edge`: the constraint part is not modeled.
        let base_name = |n: &str| {
            n.split(['=', '<', '>', '~', '@'])
                .next()
                .unwrap_or(n)
                .to_owned()
        };
        let mut db = self.apk_db();
        let have: BTreeSet<String> = db.iter().map(|p| p.name.clone()).collect();
        let missing: Vec<&String> = names
            .iter()
            .filter(|n| {
                let b = base_name(n);
                alpine(&b).is_none() && !have.contains(&b)
            })
            .collect();
        if !missing.is_empty() {
            out.push_str("ERROR: unable to select packages:\n");
            for n in &missing {
                let _ = writeln!(
                    out,
                    "  {} (no such package):\n    required by: world[{n}]",
                    base_name(n)
                );
            }
            self.out(io, &out)?;
            return Ok(1);
        }
        let mut plan: Vec<&'static ApkPackage> = Vec::new();
        let mut seen = BTreeSet::new();
        // Breadth-first: a list read in order as it grows (a VecDeque would add its
        // own code to the page for this alone).
        let mut queue: Vec<String> = names.iter().map(|n| base_name(n)).collect();
        let mut next = 0;
        while let Some(n) = queue.get_mut(next).map(std::mem::take) {
            next += 1;
            if !seen.insert(n.clone()) {
                continue;
            }
            self.tick(1)?;
            let Some(p) = alpine(&n) else { continue };
            queue.extend(p.depends.iter().map(|d| (*d).to_owned()));
            // Without a database (not an Alpine image?) the base packages count as present.
            let present = have.contains(p.name) || (db.is_empty() && p.base);
            if !present {
                plan.push(p);
            }
        }
        // apk installs dependencies first.
        plan.reverse();
        let virt = opts.virtual_name.clone();
        let n_steps = plan.len() + usize::from(virt.is_some());
        let mut added: Vec<(Installed, Vec<String>)> = Vec::new();
        for (i, p) in plan.iter().enumerate() {
            let _ = writeln!(
                out,
                "({}/{n_steps}) Installing {} ({})",
                i + 1,
                p.name,
                p.version
            );
            self.apk_install_files(p);
            let rec = Installed {
                name: p.name.to_owned(),
                version: p.version.to_owned(),
                size: p.installed,
            };
            db.push(rec.clone());
            added.push((rec, p.depends.iter().map(|d| (*d).to_owned()).collect()));
            self.tick(4)?;
        }
        let mut world: BTreeSet<String> = self.apk_world().into_iter().collect();
        let mut replaced = BTreeSet::new();
        match &virt {
            Some(v) => {
                let version = virtual_version(self.epoch);
                let _ = writeln!(out, "({n_steps}/{n_steps}) Installing {v} ({version})");
                db.retain(|p| &p.name != v);
                replaced.insert(v.clone());
                let rec = Installed {
                    name: v.clone(),
                    version,
                    size: 0,
                };
                db.push(rec.clone());
                added.push((rec, names.iter().map(|n| base_name(n)).collect()));
                world.insert(v.clone());
            }
            None => world.extend(names.iter().cloned()),
        }
        if !plan.is_empty() {
            out.push_str(&self.apk_trigger(&db));
        }
        self.apk_edit_db(&replaced, &added);
        self.apk_write_world(&world);
        out.push_str(&self.apk_summary(&db));
        let bytes: u64 = plan.iter().map(|p| p.installed).sum();
        self.duration_ms += 200 + plan.len() as u64 * 60 + bytes / 50_000;
        self.out(io, &out)?;
        Ok(0)
    }

    /// `D:` lines of the installed database, for packages this simulator installed.
    fn apk_recorded_deps(&self) -> DepMap {
        let mut map = DepMap::new();
        let Some(text) = read_text(self.fs, &VfsPath::new(INSTALLED)) else {
            return map;
        };
        for stanza in text.split("\n\n") {
            let name = stanza.lines().find_map(|l| l.strip_prefix("P:"));
            let deps = stanza.lines().find_map(|l| l.strip_prefix("D:"));
            if let (Some(n), Some(d)) = (name, deps) {
                map.insert(n.to_owned(), d.to_owned());
            }
        }
        map
    }

    fn apk_install_files(&mut self, p: &ApkPackage) {
        let exes = apk_executables(p.name);
        let exe_size = if exes.is_empty() {
            0
        } else {
            p.installed / 4 / exes.len() as u64
        };
        for (i, e) in exes.iter().enumerate() {
            self.put_file(
                e,
                Content::synthetic(seed(p.name) ^ (i as u64 + 1), exe_size),
                0o755,
            );
        }
        let rest = p.installed.saturating_sub(exe_size * exes.len() as u64);
        if rest > 0 {
            let data = if p.name.starts_with("lib") || p.name.ends_with("-libs") {
                format!("/usr/lib/{}.so", p.name)
            } else if p.name.ends_with("-dev") || p.name == "linux-headers" {
                format!("/usr/include/{}/headers.h", p.name)
            } else {
                format!("/usr/share/{}/data", p.name)
            };
            self.put_file(&data, Content::synthetic(seed(p.name), rest), 0o644);
        }
    }

    fn apk_del(&mut self, names: &[String], io: &Io) -> R<u8> {
        let mut world: BTreeSet<String> = self.apk_world().into_iter().collect();
        let mut db = self.apk_db();
        let deps = self.apk_recorded_deps();
        let mut out = String::new();
        for n in names {
            if !world.remove(n) {
                let _ = writeln!(out, "WARNING: {n}: not in world");
            }
        }
        // Everything the remaining world needs, through recorded and catalog deps.
        let mut needed = BTreeSet::new();
        let mut queue: Vec<String> = world.iter().cloned().collect();
        let mut next = 0;
        while let Some(n) = queue.get_mut(next).map(std::mem::take) {
            next += 1;
            self.tick(1)?;
            if !needed.insert(n.clone()) {
                continue;
            }
            if let Some(d) = deps.get(&n) {
                queue.extend(d.split_whitespace().map(str::to_owned));
            } else if let Some(p) = alpine(&n) {
                queue.extend(p.depends.iter().map(|d| (*d).to_owned()));
            }
        }
        // Purge only what this simulator installed (recorded deps) or the catalog knows
        // is not part of the base image; the image's own packages stay.
        let purge: Vec<Installed> = db
            .iter()
            .filter(|p| !needed.contains(&p.name))
            .filter(|p| deps.contains_key(&p.name) || alpine(&p.name).is_some_and(|c| !c.base))
            .cloned()
            .collect();
        for (i, p) in purge.iter().enumerate() {
            let _ = writeln!(
                out,
                "({}/{}) Purging {} ({})",
                i + 1,
                purge.len(),
                p.name,
                p.version
            );
            if let Some(c) = alpine(&p.name) {
                self.apk_remove_files(c);
            }
        }
        db.retain(|p| !purge.contains(p));
        if !purge.is_empty() {
            out.push_str(&self.apk_trigger(&db));
        }
        let gone: BTreeSet<String> = purge.into_iter().map(|p| p.name).collect();
        self.apk_edit_db(&gone, &[]);
        self.apk_write_world(&world);
        out.push_str(&self.apk_summary(&db));
        self.out(io, &out)?;
        Ok(0)
    }

    fn apk_remove_files(&mut self, p: &ApkPackage) {
        for e in apk_executables(p.name) {
            let _ = self.fs.remove(&VfsPath::new(e));
        }
        for path in [
            format!("/usr/lib/{}.so", p.name),
            format!("/usr/include/{}", p.name),
            format!("/usr/share/{}", p.name),
        ] {
            let _ = self.fs.remove(&VfsPath::new(&path));
        }
    }
}

/// Package name to its `D:` line (names separated by spaces). Kept as the line, not a
/// list: a map of strings to strings is already in the page, a map to lists would be
/// one more copy of the B-tree code.
type DepMap = BTreeMap<String, String>;

/// apk names a virtual package's version after the time it was created
/// (`20241206.153012`); here the build's epoch, for reproducible layers.
fn virtual_version(epoch: i64) -> String {
    let t = layerlab_vfs::civil_time(epoch);
    format!(
        "{:04}{:02}{:02}.{:02}{:02}{:02}",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

/// `apk ARGS`.
pub(crate) fn apk(sh: &mut Shell<'_>, args: &[String], io: &Io) -> R<u8> {
    let mut opts = Opts::default();
    let mut words = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--no-cache" => opts.no_cache = true,
            "-U" | "--update-cache" | "--update" => opts.update = true,
            "-q" | "--quiet" => opts.quiet = true,
            "-t" | "--virtual" => opts.virtual_name = it.next().cloned(),
            "-X" | "--repository" | "-p" | "--root" | "--arch" | "--keys-dir" => {
                let _ = it.next();
            }
            s if s.starts_with("--virtual=") => {
                opts.virtual_name = Some(s["--virtual=".len()..].to_owned());
            }
            s if s.starts_with('-') => {}
            _ => words.push(a.clone()),
        }
    }
    let Some(cmd) = words.first().cloned() else {
        sh.out(io, "apk-tools 2.14.6, compiled for x86_64.\n\nusage: apk [<OPTIONS>...] COMMAND [<ARGUMENTS>...]\n")?;
        return Ok(1);
    };
    let mutating = matches!(cmd.as_str(), "add" | "del" | "update" | "upgrade");
    if mutating && sh.who.uid != 0 {
        sh.err(
            io,
            "ERROR: Unable to lock database: Permission denied\nERROR: Failed to open apk database: Permission denied\n",
        )?;
        return Ok(99);
    }
    let rest = &words[1..];
    match cmd.as_str() {
        "update" => sh.apk_update(&opts, io),
        "add" if rest.is_empty() && opts.virtual_name.is_none() => {
            let db = sh.apk_db();
            let s = sh.apk_summary(&db);
            sh.out(io, &s)?;
            Ok(0)
        }
        "add" => sh.apk_add(rest, &opts, io),
        "del" => sh.apk_del(rest, io),
        "upgrade" => {
            let mut out = String::new();
            if opts.update || opts.no_cache || !sh.apk_has_cached_indexes() {
                sh.apk_fetch_indexes(&opts, &mut out)?;
            }
            out.push_str(&sh.apk_summary(&sh.apk_db()));
            sh.out(io, &out)?;
            Ok(0)
        }
        "cache" if rest.first().is_some_and(|r| r == "clean") => {
            // Without a configured package cache apk has nothing to clean; indexes stay.
            Ok(0)
        }
        "info" => {
            let mut names: Vec<String> = sh.apk_db().into_iter().map(|p| p.name).collect();
            if !rest.is_empty() {
                names.retain(|n| rest.contains(n));
            }
            let text: String = names.iter().map(|n| format!("{n}\n")).collect();
            sh.out(io, &text)?;
            Ok(0)
        }
        other => {
            sh.unmodeled(format_args!("apk {other}"));
            Ok(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_versions_are_the_epoch_as_a_date() {
        assert_eq!(virtual_version(0), "19700101.000000");
        assert_eq!(virtual_version(1_733_499_012), "20241206.153012");
    }

    #[test]
    fn catalog_is_sorted_and_closed() {
        let cat = super::super::alpine_catalog::ALPINE_3_21;
        assert!(cat.windows(2).all(|w| w[0].name < w[1].name));
        for p in cat {
            for d in p.depends {
                assert!(alpine(d).is_some(), "{} depends on missing {d}", p.name);
            }
        }
    }
}
