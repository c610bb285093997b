//! Package managers: `apt-get`/`apt` over a compact Debian bookworm catalog, `apk`
//! over a compact Alpine catalog, and the language tools (`pip`, `npm`, ...).
//!
//! The catalog (`debian_bookworm.txt`, generated from the real bookworm index by
//! `tools/gen_debian_catalog.py`, read by `debian_catalog.rs`) gives each package's version, Installed-Size and
//! dependencies, so `apt-get install curl` adds the same packages, about the same
//! bytes, as on Debian. File contents are synthetic `(seed, len)` content: a 40 MB
//! install costs no memory.

mod alpine_catalog;
mod apk;
mod apt;
mod debian_catalog;
mod download;
mod go;
mod mvn;
mod npm;
mod npm_catalog;
mod pip;
mod pypi_catalog;
mod venv;

pub(crate) use apk::apk;
pub(crate) use apt::apt_get;
pub(crate) use debian_catalog::{debian, DebPackage};
pub(crate) use download::{curl, wget};
pub(crate) use go::go;
pub(crate) use mvn::mvn;
pub(crate) use npm::{npm, yarn};
pub(crate) use pip::pip;
pub(crate) use venv::venv;

use crate::exec::Shell;
use layerlab_vfs::{Content, VfsPath};

/// One Alpine catalog entry.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ApkPackage {
    pub(crate) name: &'static str,
    pub(crate) version: &'static str,
    /// Installed size in bytes (apk's `I:`).
    pub(crate) installed: u64,
    /// Dependencies (names in the catalog).
    pub(crate) depends: &'static [&'static str],
    /// Present in the `alpine` image already.
    pub(crate) base: bool,
}

/// Looks an Alpine package up by name.
pub(crate) fn alpine(name: &str) -> Option<&'static ApkPackage> {
    let cat = alpine_catalog::ALPINE_3_21;
    cat.binary_search_by(|p| p.name.cmp(name))
        .ok()
        .map(|i| &cat[i])
}

/// One PyPI catalog entry.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PyPackage {
    /// Normalized name (PEP 503).
    pub(crate) name: &'static str,
    /// The `Name:` of its metadata, as pip prints it.
    pub(crate) display: &'static str,
    pub(crate) version: &'static str,
    /// Top-level import package (a directory), or a single `module.py`.
    pub(crate) module: &'static str,
    /// Size of the wheel pip downloads.
    pub(crate) wheel_bytes: u64,
    /// Bytes in site-packages after install.
    pub(crate) installed: u64,
    /// A platform wheel (`cp312-manylinux`) rather than `py3-none-any`.
    pub(crate) binary: bool,
    /// Unconditional `Requires-Dist` (normalized names in the catalog).
    pub(crate) depends: &'static [&'static str],
    /// Console scripts it puts in `bin`.
    pub(crate) scripts: &'static [&'static str],
}

/// One npm catalog entry.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NpmPackage {
    pub(crate) name: &'static str,
    pub(crate) version: &'static str,
    /// Packages installing it adds (itself and its dependency tree).
    pub(crate) packages: u64,
    /// Unpacked bytes of that tree in `node_modules`.
    pub(crate) bytes: u64,
    /// Executables linked in `node_modules/.bin`.
    pub(crate) bins: &'static [&'static str],
}

/// Looks an npm package up by name.
pub(crate) fn npm_package(name: &str) -> Option<&'static NpmPackage> {
    let cat = npm_catalog::NPM;
    cat.binary_search_by(|p| p.name.cmp(name))
        .ok()
        .map(|i| &cat[i])
}

/// Looks a PyPI distribution up by normalized name.
pub(crate) fn pypi(name: &str) -> Option<&'static PyPackage> {
    let cat = pypi_catalog::PYPI;
    cat.binary_search_by(|p| p.name.cmp(name))
        .ok()
        .map(|i| &cat[i])
}

impl Shell<'_> {
    /// Writes a file a package manager installs, creating parent directories; owned
    /// by the running user (root for system package managers), mtime the epoch.
    pub(crate) fn put_file(&mut self, path: &str, content: Content, mode: u32) {
        let p = VfsPath::new(path);
        if let Some(parent) = p.parent() {
            let meta = self.new_file_meta(0o755);
            let _ = self.fs.mkdir_p(&parent, meta);
        }
        let meta = self.new_file_meta(mode);
        let _ = self.fs.write_file(&p, content, meta);
    }
}

/// A stable 64-bit seed for a package's synthetic content (FNV-1a of the name).
pub(crate) fn seed(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Executables a package puts on `PATH`, so later steps find them.
pub(crate) fn executables(name: &str) -> &'static [&'static str] {
    match name {
        "curl" => &["/usr/bin/curl"],
        "wget" => &["/usr/bin/wget"],
        "git" => &["/usr/bin/git"],
        "gpg" => &["/usr/bin/gpg"],
        "openssl" => &["/usr/bin/openssl"],
        "python3.11" => &["/usr/bin/python3.11"],
        "python3" => &["/usr/bin/python3"],
        "python3-pip" => &["/usr/bin/pip", "/usr/bin/pip3"],
        "gcc-12" => &["/usr/bin/gcc-12"],
        "gcc" => &["/usr/bin/gcc", "/usr/bin/cc"],
        "g++-12" => &["/usr/bin/g++-12"],
        "g++" => &["/usr/bin/g++", "/usr/bin/c++"],
        "make" => &["/usr/bin/make"],
        "cmake" => &["/usr/bin/cmake"],
        "vim" => &["/usr/bin/vim"],
        "nano" => &["/usr/bin/nano"],
        "less" => &["/usr/bin/less"],
        "unzip" => &["/usr/bin/unzip"],
        "zip" => &["/usr/bin/zip"],
        "xz-utils" => &["/usr/bin/xz"],
        "bzip2" => &["/usr/bin/bzip2"],
        "jq" => &["/usr/bin/jq"],
        "netcat-openbsd" => &["/usr/bin/nc"],
        "iputils-ping" => &["/usr/bin/ping"],
        "procps" => &["/usr/bin/ps", "/usr/bin/top"],
        "nginx" => &["/usr/sbin/nginx"],
        "postgresql-client-15" => &["/usr/bin/psql"],
        "mariadb-client" => &["/usr/bin/mysql", "/usr/bin/mariadb"],
        "openssh-client" => &["/usr/bin/ssh", "/usr/bin/scp"],
        "sudo" => &["/usr/bin/sudo"],
        "locales" => &["/usr/sbin/locale-gen"],
        "nodejs" => &["/usr/bin/node"],
        "npm" => &["/usr/bin/npm"],
        "golang-1.19-go" => &["/usr/lib/go-1.19/bin/go"],
        "golang-go" => &["/usr/bin/go"],
        "dumb-init" => &["/usr/bin/dumb-init"],
        "tini" => &["/usr/bin/tini"],
        "gosu" => &["/usr/sbin/gosu"],
        "file" => &["/usr/bin/file"],
        "lsb-release" => &["/usr/bin/lsb_release"],
        "rsync" => &["/usr/bin/rsync"],
        "htop" => &["/usr/bin/htop"],
        "tree" => &["/usr/bin/tree"],
        "sqlite3" => &["/usr/bin/sqlite3"],
        "redis-tools" => &["/usr/bin/redis-cli"],
        "openjdk-17-jre-headless" => &["/usr/bin/java"],
        "pkgconf" => &["/usr/bin/pkg-config"],
        _ => &[],
    }
}
