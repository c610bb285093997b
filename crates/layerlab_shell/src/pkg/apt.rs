//! `apt-get` (and `apt`): `update`, `install`, `clean`, with the effects tutorials
//! talk about.
//!
//! * `update` writes the package lists (about 19.8 MB in bookworm, sizes from a real
//!   `/var/lib/apt/lists`) that stay in the layer unless the same `RUN` removes them;
//! * `install` before any `update` fails with `E: Unable to locate package …` (status
//!   100), as on a fresh `debian` image whose lists were removed;
//! * `install` adds the dependency closure from the catalog (Recommends too, unless
//!   `--no-install-recommends`), asks for confirmation without `-y` (and aborts: a
//!   build has no terminal), records packages in `/var/lib/dpkg/status`;
//! * `.deb` files stay in `/var/cache/apt/archives` only when the image lacks the
//!   `docker-clean` apt configuration that official Debian images ship; `clean`
//!   removes them.

use super::{debian, executables, seed, DebPackage};
use crate::exec::{read_text, Shell, R};
use crate::io::Io;
use layerlab_text::decimal::Double;
use layerlab_vfs::{Content, Meta, Node, VfsPath};
use std::collections::BTreeSet;
use std::fmt::Write as _;

const LISTS: &str = "/var/lib/apt/lists";

/// The files `apt-get update` writes on bookworm (names and sizes from a Debian 12
/// system using the `docker-gzip-indexes` lz4 setting), with the line it prints.
const LIST_FILES: &[(&str, u64, &str)] = &[
    (
        "deb.debian.org_debian_dists_bookworm_InRelease",
        151_075,
        "http://deb.debian.org/debian bookworm InRelease",
    ),
    (
        "deb.debian.org_debian_dists_bookworm-updates_InRelease",
        55_403,
        "http://deb.debian.org/debian bookworm-updates InRelease",
    ),
    (
        "deb.debian.org_debian-security_dists_bookworm-security_InRelease",
        34_770,
        "http://deb.debian.org/debian-security bookworm-security InRelease",
    ),
    (
        "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4",
        18_840_233,
        "http://deb.debian.org/debian bookworm/main amd64 Packages",
    ),
    (
        "deb.debian.org_debian_dists_bookworm-updates_main_binary-amd64_Packages.lz4",
        11_648,
        "http://deb.debian.org/debian bookworm-updates/main amd64 Packages",
    ),
    (
        "deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages.lz4",
        760_491,
        "http://deb.debian.org/debian-security bookworm-security/main amd64 Packages",
    ),
];

/// apt's `SizeToStr`: scale by 1000 while the value has five digits or more; one
/// decimal below 100 (`64.4 kB`, `5846 kB`, `15.1 MB`).
fn kb(bytes: u64) -> String {
    // apt divides a double; `Double` gives the same digits without float formatting.
    let mut v = Double::from_u64(bytes);
    for unit in ["", "k", "M", "G", "T"] {
        if v.lt(100) && !unit.is_empty() {
            return format!("{} {unit}B", v.fixed(1));
        }
        if v.lt(10_000) {
            return format!("{} {unit}B", v.fixed(0));
        }
        v = v / 1000;
    }
    format!("{} PB", v.fixed(0))
}

/// apt's package lists: two-space indent, wrapped before column 80.
fn wrap_names(names: &[&str]) -> String {
    let mut out = String::from(" ");
    let mut col = 1;
    for n in names {
        if col + 1 + n.len() > 79 && col > 1 {
            out.push_str("\n ");
            col = 1;
        }
        out.push(' ');
        out.push_str(n);
        col += 1 + n.len();
    }
    out
}

impl Shell<'_> {
    fn has_lists(&self) -> bool {
        self.fs.read_dir(&VfsPath::new(LISTS)).is_ok_and(|e| {
            e.iter()
                .any(|(n, _)| n.ends_with("_Packages.lz4") || n.contains("_Packages"))
        })
    }

    /// Package names marked installed in `/var/lib/dpkg/status`.
    fn dpkg_installed(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        if let Some(text) = read_text(self.fs, &VfsPath::new("/var/lib/dpkg/status")) {
            for stanza in text.split("\n\n") {
                let name = stanza.lines().find_map(|l| l.strip_prefix("Package: "));
                let ok = stanza.lines().any(|l| l == "Status: install ok installed");
                if let (Some(n), true) = (name, ok) {
                    out.insert(n.to_owned());
                }
            }
        }
        out
    }

    fn put(&mut self, path: &str, content: Content, mode: u32) {
        let p = VfsPath::new(path);
        if let Some(parent) = p.parent() {
            let _ = self
                .fs
                .mkdir_p(&parent, Meta::new(0o755).with_mtime(self.epoch));
        }
        let _ = self
            .fs
            .write_file(&p, content, Meta::new(mode).with_mtime(self.epoch));
    }

    fn apt_update(&mut self, io: &Io) -> R<u8> {
        let mut out = String::new();
        let mut total = 0;
        for (i, (name, size, line)) in LIST_FILES.iter().enumerate() {
            self.put(
                &format!("{LISTS}/{name}"),
                Content::synthetic(seed(name), *size),
                0o644,
            );
            let _ = writeln!(out, "Get:{} {line} [{}]", i + 1, kb(*size));
            total += size;
        }
        let _ = self
            .fs
            .mkdir_p(&VfsPath::new(LISTS).child("partial"), Meta::new(0o700));
        self.put(&format!("{LISTS}/lock"), Content::inline(Vec::new()), 0o640);
        let _ = writeln!(
            out,
            "Fetched {} in 2s ({} kB/s)\nReading package lists...",
            kb(total),
            total / 2000
        );
        self.duration_ms += 2_500;
        self.out(io, &out)?;
        Ok(0)
    }

    fn apt_install(&mut self, names: &[String], yes: bool, recommends: bool, io: &Io) -> R<u8> {
        let mut out = String::from(
            "Reading package lists...\nBuilding dependency tree...\nReading state information...\n",
        );
        let lists = self.has_lists();
        let missing: Vec<&String> = names
            .iter()
            .filter(|n| !lists || debian(n.split('=').next().unwrap_or(n)).is_none())
            .collect();
        if !missing.is_empty() {
            self.out(io, &out)?;
            for n in missing {
                self.err_line(io, format_args!("E: Unable to locate package {n}"))?;
            }
            return Ok(100);
        }
        let installed = self.dpkg_installed();
        let has_status = !installed.is_empty();
        let is_present = |p: &DebPackage| installed.contains(p.name) || (!has_status && p.base);
        // Breadth-first closure in request order, so the plan reads naturally.
        let mut plan: Vec<&'static DebPackage> = Vec::new();
        let mut seen = BTreeSet::new();
        // (A list read in order as it grows: a VecDeque would add its own code.)
        let mut queue: Vec<String> = names
            .iter()
            .map(|n| n.split('=').next().unwrap_or(n).to_owned())
            .collect();
        let mut next = 0;
        while let Some(n) = queue.get_mut(next).map(std::mem::take) {
            next += 1;
            if !seen.insert(n.clone()) {
                continue;
            }
            self.tick(1)?;
            let Some(p) = debian(&n) else { continue };
            if is_present(p) {
                continue;
            }
            if !p.version.is_empty() {
                plan.push(p);
            }
            queue.extend(p.depends().map(str::to_owned));
            if recommends {
                queue.extend(p.recommends().map(str::to_owned));
            }
        }
        if plan.is_empty() {
            for n in names {
                let version = debian(n).map_or("", |p| p.version);
                let _ = writeln!(out, "{n} is already the newest version ({version}).");
            }
            out.push_str("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n");
            self.out(io, &out)?;
            return Ok(0);
        }
        let mut sorted: Vec<&str> = plan.iter().map(|p| p.name).collect();
        sorted.sort_unstable();
        out.push_str("The following NEW packages will be installed:\n");
        out.push_str(&wrap_names(&sorted));
        let download: u64 = plan.iter().map(|p| p.deb_bytes).sum();
        let disk: u64 = plan.iter().map(|p| p.installed_kib * 1024).sum();
        let _ = writeln!(out, "\n0 upgraded, {} newly installed, 0 to remove and 0 not upgraded.\nNeed to get {} of archives.\nAfter this operation, {} of additional disk space will be used.",
            plan.len(),
            kb(download),
            kb(disk));
        if !yes {
            out.push_str("Do you want to continue? [Y/n] Abort.\n");
            self.out(io, &out)?;
            return Ok(1);
        }
        let keep_debs = !self
            .fs
            .exists(&VfsPath::new("/etc/apt/apt.conf.d/docker-clean"));
        for (i, p) in plan.iter().enumerate() {
            let _ = writeln!(
                out,
                "Get:{} http://deb.debian.org/debian bookworm/main amd64 {} amd64 {} [{}]",
                i + 1,
                p.name,
                p.version,
                kb(p.deb_bytes)
            );
        }
        out.push_str("debconf: delaying package configuration, since apt-utils is not installed\n");
        for p in &plan {
            let _ = writeln!(
                out,
                "Selecting previously unselected package {}.\nUnpacking {} ({}) ...",
                p.name, p.name, p.version
            );
            self.install_files(p, keep_debs);
            self.tick(4)?;
        }
        for p in &plan {
            let _ = writeln!(out, "Setting up {} ({}) ...", p.name, p.version);
        }
        // Modeled time: a fixed cost per package plus download and unpack throughput.
        self.duration_ms += 300 + plan.len() as u64 * 120 + download / 20_000 + disk / 100_000;
        self.out(io, &out)?;
        Ok(0)
    }

    /// Writes a package's files: executables, a data blob of the rest of its
    /// Installed-Size, its copyright file, dpkg bookkeeping, and maybe the `.deb`.
    fn install_files(&mut self, p: &DebPackage, keep_debs: bool) {
        let total = p.installed_kib * 1024;
        let exes = executables(p.name);
        let exe_size = if exes.is_empty() {
            0
        } else {
            total / 4 / exes.len() as u64
        };
        let mut listed = vec![format!("/usr/share/doc/{}/copyright", p.name)];
        for (i, e) in exes.iter().enumerate() {
            self.put(
                e,
                Content::synthetic(seed(p.name) ^ (i as u64 + 1), exe_size),
                0o755,
            );
            listed.push((*e).to_owned());
        }
        let rest = total
            .saturating_sub(exe_size * exes.len() as u64)
            .saturating_sub(1024);
        let data = if p.name.starts_with("lib") && p.name.ends_with("-dev") {
            format!("/usr/include/{}/headers.h", p.name.trim_end_matches("-dev"))
        } else if p.name.starts_with("lib") {
            format!("/usr/lib/x86_64-linux-gnu/{}.so", p.name)
        } else if p.name.starts_with("python3") {
            format!("/usr/lib/python3/dist-packages/{}/data", p.name)
        } else {
            format!("/usr/share/{}/data", p.name)
        };
        if rest > 0 {
            self.put(&data, Content::synthetic(seed(p.name), rest), 0o644);
            listed.push(data);
        }
        let copyright = format!("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: {}\n", p.name);
        self.put(
            &format!("/usr/share/doc/{}/copyright", p.name),
            Content::inline(copyright),
            0o644,
        );
        self.put(
            &format!("/var/lib/dpkg/info/{}.list", p.name),
            Content::inline(listed.join("\n") + "\n"),
            0o644,
        );
        let status = VfsPath::new("/var/lib/dpkg/status");
        let mut text = self
            .fs
            .read_file(&status)
            .map(|c| c.to_vec())
            .unwrap_or_default();
        if !text.is_empty() && !text.ends_with(b"\n\n") {
            text.extend_from_slice(if text.ends_with(b"\n") {
                b"\n"
            } else {
                b"\n\n"
            });
        }
        text.extend_from_slice(
            format!(
                "Package: {}\nStatus: install ok installed\nInstalled-Size: {}\nVersion: {}\n",
                p.name, p.installed_kib, p.version
            )
            .as_bytes(),
        );
        self.put("/var/lib/dpkg/status", Content::inline(text), 0o644);
        if keep_debs {
            let deb = format!(
                "/var/cache/apt/archives/{}_{}_amd64.deb",
                p.name,
                p.version.replace(':', "%3a")
            );
            self.put(
                &deb,
                Content::synthetic(seed(p.name) ^ 0xdeb, p.deb_bytes),
                0o644,
            );
        }
    }

    fn apt_clean(&mut self) {
        let dir = VfsPath::new("/var/cache/apt/archives");
        if let Ok(entries) = self.fs.read_dir(&dir) {
            let debs: Vec<String> = entries
                .iter()
                .filter(|(n, node)| n.ends_with(".deb") && matches!(node, Node::File(_)))
                .map(|(n, _)| (*n).to_owned())
                .collect();
            for n in debs {
                let _ = self.fs.remove(&dir.child(&n));
            }
        }
        for f in [
            "/var/cache/apt/pkgcache.bin",
            "/var/cache/apt/srcpkgcache.bin",
        ] {
            let _ = self.fs.remove(&VfsPath::new(f));
        }
    }
}

/// `apt-get ARGS` / `apt ARGS`.
pub(crate) fn apt_get(sh: &mut Shell<'_>, cmd: &str, args: &[String], io: &Io) -> R<u8> {
    if cmd == "apt" {
        sh.err(
            io,
            "\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n",
        )?;
    }
    if sh.who.uid != 0 {
        sh.err(io, "E: Could not open lock file /var/lib/dpkg/lock-frontend - open (13: Permission denied)\nE: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), are you root?\n")?;
        return Ok(100);
    }
    let mut yes = false;
    let mut recommends = true;
    let mut words = Vec::new();
    for a in args {
        match a.as_str() {
            "-y" | "--yes" | "--assume-yes" | "-qy" | "-yq" => yes = true,
            "--no-install-recommends" => recommends = false,
            "-q" | "-qq" | "--quiet" | "--no-install-suggests" | "--fix-missing" | "-f" => {}
            s if s.starts_with('-') => {
                if s.starts_with("-y") || (s.starts_with("-q") && s.contains('y')) {
                    yes = true;
                }
            }
            _ => words.push(a.clone()),
        }
    }
    // `DEBIAN_FRONTEND`/`APT_*` settings do not change the modeled effects.
    match words.first().map(String::as_str) {
        Some("update") => sh.apt_update(io),
        Some("install") => sh.apt_install(&words[1..], yes, recommends, io),
        Some("clean") | Some("autoclean") => {
            sh.apt_clean();
            Ok(0)
        }
        Some("upgrade" | "dist-upgrade" | "autoremove") => {
            let out = "Reading package lists...\nBuilding dependency tree...\nReading state information...\nCalculating upgrade...\n0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n";
            sh.out(io, out)?;
            Ok(0)
        }
        Some(other) => {
            sh.unmodeled(format_args!("{cmd} {other}"));
            Ok(0)
        }
        None => {
            sh.err(io, "E: Invalid operation\n")?;
            Ok(100)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_printed_like_apt() {
        assert_eq!(kb(64_432), "64.4 kB");
        assert_eq!(kb(389_000), "389 kB");
        assert_eq!(kb(5_846_000), "5846 kB");
        assert_eq!(kb(15_106_048), "15.1 MB");
        assert_eq!(kb(460_500_000), "460 MB");
        assert_eq!(kb(999), "999 B");
    }

    #[test]
    fn package_lists_wrap_before_column_80() {
        let names = [
            "libaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "libbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
            "libcccccccccc",
        ];
        let text = wrap_names(&names);
        assert!(text.lines().all(|l| l.len() < 80), "{text}");
        assert_eq!(text.lines().count(), 2);
    }
}
