//! The built-in images, one module per family, and the helpers that write their key
//! files (os-release, passwd/group/shadow, dpkg and apk databases) in the formats the
//! real distributions use.
//!
//! Sizes: each image states the uncompressed size `docker images` shows and where the
//! figure comes from; figures marked "estimate" were not found in a citable source and
//! were derived from the layer structure of the docker-library Dockerfiles.

mod alpine;
mod debian;
mod java;
mod langs;
mod server;
mod ubuntu;

use crate::spec::ImageSpec;

/// Every image, in picker order.
pub(crate) fn all() -> Vec<ImageSpec> {
    let mut v = Vec::new();
    v.push(
        ImageSpec::root(
            "docker.io",
            "library/scratch",
            &["latest"],
            "An explicitly empty image: no layers, no files",
        )
        .expect(
            0,
            "scratch has no layers (Docker docs, \"Create a base image\")",
        ),
    );
    // scratch has no config either: not even the default PATH.
    v[0].config = layerlab_image::ContainerConfig::default();
    let debian = debian::images();
    let ubuntu = ubuntu::images();
    let alpine = alpine::images();
    v.extend(alpine.iter().cloned());
    v.extend(debian.iter().cloned());
    v.extend(ubuntu.iter().cloned());
    let bases = Bases::new(&debian, &ubuntu, &alpine);
    v.extend(langs::images(&bases));
    v.extend(java::images(&bases));
    v.extend(server::images(&bases));
    v
}

/// The parent images other families build `FROM`, looked up by canonical tag.
pub(crate) struct Bases<'a> {
    all: Vec<&'a ImageSpec>,
}

impl<'a> Bases<'a> {
    fn new(a: &'a [ImageSpec], b: &'a [ImageSpec], c: &'a [ImageSpec]) -> Self {
        Bases {
            all: a.iter().chain(b).chain(c).collect(),
        }
    }

    /// The image `repo:tag` (repo without `library/`).
    ///
    /// # Panics
    /// When the data names a parent that does not exist: a bug in the data, caught by
    /// every test that builds the catalog.
    pub(crate) fn get(&self, repo: &str, tag: &str) -> &'a ImageSpec {
        let path = format!("library/{repo}");
        self.all
            .iter()
            .find(|i| i.path == path && i.tags.iter().any(|t| t == tag))
            .unwrap_or_else(|| panic!("catalog data: no parent image {repo}:{tag}"))
    }
}

/// Seconds since the epoch of midnight UTC on `y-m-d` (Howard Hinnant's
/// days-from-civil), so the data can say dates instead of magic numbers.
pub(crate) const fn day(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    (era * 146_097 + doe - 719_468) * 86_400
}

/// A user: name, uid, gid, gecos, home, shell.
pub(crate) type User = (
    &'static str,
    u32,
    u32,
    &'static str,
    &'static str,
    &'static str,
);

/// `/etc/passwd` lines.
pub(crate) fn passwd(users: &[User]) -> String {
    users
        .iter()
        .map(|(n, u, g, gecos, home, shell)| format!("{n}:x:{u}:{g}:{gecos}:{home}:{shell}\n"))
        .collect()
}

/// `/etc/shadow` lines: locked passwords (`*`, root `*` too, as in Docker images),
/// `last` days since the epoch.
pub(crate) fn shadow(users: &[User], last: u32) -> String {
    users
        .iter()
        .map(|(n, ..)| format!("{n}:*:{last}:0:99999:7:::\n"))
        .collect()
}

/// `/etc/group` lines from `(name, gid)`.
pub(crate) fn group(groups: &[(&str, u32)]) -> String {
    groups
        .iter()
        .map(|(n, g)| format!("{n}:x:{g}:\n"))
        .collect()
}

/// The Debian base users (Debian `base-passwd` master files).
pub(crate) const DEBIAN_USERS: &[User] = &[
    ("root", 0, 0, "root", "/root", "/bin/bash"),
    ("daemon", 1, 1, "daemon", "/usr/sbin", "/usr/sbin/nologin"),
    ("bin", 2, 2, "bin", "/bin", "/usr/sbin/nologin"),
    ("sys", 3, 3, "sys", "/dev", "/usr/sbin/nologin"),
    ("sync", 4, 65534, "sync", "/bin", "/bin/sync"),
    ("games", 5, 60, "games", "/usr/games", "/usr/sbin/nologin"),
    ("man", 6, 12, "man", "/var/cache/man", "/usr/sbin/nologin"),
    ("lp", 7, 7, "lp", "/var/spool/lpd", "/usr/sbin/nologin"),
    ("mail", 8, 8, "mail", "/var/mail", "/usr/sbin/nologin"),
    ("news", 9, 9, "news", "/var/spool/news", "/usr/sbin/nologin"),
    (
        "uucp",
        10,
        10,
        "uucp",
        "/var/spool/uucp",
        "/usr/sbin/nologin",
    ),
    ("proxy", 13, 13, "proxy", "/bin", "/usr/sbin/nologin"),
    (
        "www-data",
        33,
        33,
        "www-data",
        "/var/www",
        "/usr/sbin/nologin",
    ),
    (
        "backup",
        34,
        34,
        "backup",
        "/var/backups",
        "/usr/sbin/nologin",
    ),
    (
        "list",
        38,
        38,
        "Mailing List Manager",
        "/var/list",
        "/usr/sbin/nologin",
    ),
    ("irc", 39, 39, "ircd", "/run/ircd", "/usr/sbin/nologin"),
    ("_apt", 42, 65534, "", "/nonexistent", "/usr/sbin/nologin"),
    (
        "nobody",
        65534,
        65534,
        "nobody",
        "/nonexistent",
        "/usr/sbin/nologin",
    ),
];

/// The Debian base groups (`base-passwd`).
pub(crate) const DEBIAN_GROUPS: &[(&str, u32)] = &[
    ("root", 0),
    ("daemon", 1),
    ("bin", 2),
    ("sys", 3),
    ("adm", 4),
    ("tty", 5),
    ("disk", 6),
    ("lp", 7),
    ("mail", 8),
    ("news", 9),
    ("uucp", 10),
    ("man", 12),
    ("proxy", 13),
    ("kmem", 15),
    ("dialout", 20),
    ("fax", 21),
    ("voice", 22),
    ("cdrom", 24),
    ("floppy", 25),
    ("tape", 26),
    ("sudo", 27),
    ("audio", 29),
    ("dip", 30),
    ("www-data", 33),
    ("backup", 34),
    ("operator", 37),
    ("list", 38),
    ("irc", 39),
    ("src", 40),
    ("shadow", 42),
    ("utmp", 43),
    ("video", 44),
    ("sasl", 45),
    ("plugdev", 46),
    ("staff", 50),
    ("games", 60),
    ("users", 100),
    ("nogroup", 65534),
];

/// A dpkg package: name, version, Installed-Size (KiB), one-line description.
pub(crate) type Deb = (&'static str, &'static str, u32, &'static str);

/// Parses `name|version|Installed-Size|description` lines. Release package lists are
/// shipped as text: a `Deb` array costs four pointers per package in the wasm, which
/// gzip cannot squeeze. The tables are the catalog's own constants (a malformed line
/// is skipped; the stored diff_ids of the layers holding the status pin the output).
pub(crate) fn deb_table(text: &'static str) -> Vec<Deb> {
    text.lines()
        .filter_map(|l| {
            let mut f = l.splitn(4, '|');
            Some((f.next()?, f.next()?, f.next()?.parse().ok()?, f.next()?))
        })
        .collect()
}

/// `/var/lib/dpkg/status` stanzas (the fields dpkg-query reads), sorted by name as dpkg
/// writes them.
pub(crate) fn dpkg_status(pkgs: &[Deb], arch: &str) -> String {
    // Sorting the names (a `Vec<&str>` sort the page has already) and looking each
    // one up keeps a whole sort instantiation for `Deb` tuples out of the wasm; the
    // lists are a few dozen packages with unique names (the stored diff_ids of the
    // layers holding this file pin the output).
    let mut names: Vec<&str> = pkgs.iter().map(|p| p.0).collect();
    names.sort_unstable();
    let mut s = String::new();
    for &(name, version, size, desc) in names.iter().filter_map(|n| pkgs.iter().find(|p| p.0 == *n))
    {
        // `Essential: yes` as bookworm's archive marks it (dpkg refuses to remove these).
        let essential = matches!(
            name,
            "base-files"
                | "base-passwd"
                | "bash"
                | "bsdutils"
                | "coreutils"
                | "dash"
                | "debianutils"
                | "diffutils"
                | "dpkg"
                | "findutils"
                | "grep"
                | "gzip"
                | "hostname"
                | "init-system-helpers"
                | "libc-bin"
                | "login"
                | "ncurses-base"
                | "ncurses-bin"
                | "perl-base"
                | "sed"
                | "sysvinit-utils"
                | "tar"
                | "util-linux"
        );
        s.push_str(&format!("Package: {name}\nStatus: install ok installed\n"));
        if essential {
            s.push_str("Essential: yes\n");
        }
        s.push_str(&format!(
            "Priority: required\nInstalled-Size: {size}\nMaintainer: Debian maintainers\n\
             Architecture: {arch}\nVersion: {version}\nDescription: {desc}\n\n"
        ));
    }
    s
}

/// An apk package: name, version, installed size (bytes), description, license.
pub(crate) type Apk = (&'static str, &'static str, u32, &'static str, &'static str);

/// `/lib/apk/db/installed` records (package, version, arch, size, description, license).
pub(crate) fn apk_installed(pkgs: &[Apk], arch: &str) -> String {
    pkgs.iter()
        .map(|(p, v, size, desc, lic)| {
            format!("P:{p}\nV:{v}\nA:{arch}\nI:{size}\nT:{desc}\nL:{lic}\no:{p}\n\n")
        })
        .collect()
}

/// An os-release file from `(key, value)` pairs. Like the Debian and Ubuntu files,
/// values are double-quoted except identifiers (`ID`, `ID_LIKE`, `*_CODENAME`, `LOGO`).
pub(crate) fn os_release(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            let bare = matches!(
                *k,
                "ID" | "ID_LIKE" | "VERSION_CODENAME" | "UBUNTU_CODENAME" | "LOGO"
            );
            if bare {
                format!("{k}={v}\n")
            } else {
                format!("{k}=\"{v}\"\n")
            }
        })
        .collect()
}

/// `PATH` of the docker-library images built on Debian/Ubuntu.
pub(crate) const DEFAULT_PATH: &str =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
