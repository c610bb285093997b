//! Debian 12 "bookworm" and 11 "bullseye" (full and `-slim`), and the
//! `buildpack-deps` images (`-curl`, `-scm`, full) most language images build `FROM`.
//!
//! Layer structure follows docker-library: `debian` is one rootfs layer from
//! `debian.sh` (debuerreotype) plus `CMD ["bash"]`; `buildpack-deps` adds one
//! `apt-get install` layer per flavour (docker-library/buildpack-deps Dockerfile
//! templates: curl = ca-certificates curl gnupg netbase sq wget; scm = git mercurial
//! openssh-client subversion procps; full = compilers and -dev libraries).
//! Paths are those of linux/amd64 (`x86_64-linux-gnu`); arm64 shares the layers and
//! differs in config metadata only.

use super::{
    day, deb_table, dpkg_status, group, os_release, passwd, shadow, DEBIAN_GROUPS, DEBIAN_USERS,
};
use crate::spec::{mb, ImageSpec, LayerSpec};

struct Release {
    codename: &'static str,
    major: &'static str,
    point: &'static str,
    date: i64,
    /// `docker images` sizes of the full and slim images.
    full: (f64, &'static str),
    slim: (f64, &'static str),
    /// `name|version|Installed-Size KiB|description` lines (text, not a `Deb` array:
    /// see `deb_table`).
    pkgs: &'static str,
}

/// What `debootstrap --variant=minbase bookworm` installs, which is how debuerreotype
/// builds the official `debian:bookworm(-slim)` rootfs: every `Priority: required`
/// package, `apt`, and `usr-is-merged` (debootstrap adds it for a merged-/usr system),
/// closed over `Pre-Depends` and `Depends` (an alternative already met by one of those
/// wins, otherwise the first). 88 packages, as `dpkg -l` lists in the real image.
/// Computed from the bookworm archive's `Packages` (`apt-cache dumpavail` on Debian 12);
/// Installed-Size and descriptions are the archive's, versions are those of the 12.8
/// image date (a binary shares the dated version of its source package's other
/// binaries here). The simulated `apt-get` treats these as already installed.
const BOOKWORM_PKGS: &str = "\
adduser|3.134|686|add and remove users and groups
apt|2.6.1|4139|commandline package manager
base-files|12.4+deb12u8|342|Debian base system miscellaneous files
base-passwd|3.6.1|247|Debian base system master password and group files
bash|5.2.15-2+b7|7164|GNU Bourne Again SHell
bsdutils|1:2.38.1-5+deb12u2|355|basic utilities from 4.4BSD-Lite
coreutils|9.1-1|18062|GNU core utilities
dash|0.5.12-2|208|POSIX-compliant shell
debconf|1.5.82|491|Debian configuration management system
debian-archive-keyring|2023.3+deb12u1|264|GnuPG archive keys of the Debian archive
debianutils|5.7-0.5~deb12u1|243|Miscellaneous utilities specific to Debian
diffutils|1:3.8-4|1598|File comparison utilities
dpkg|1.21.22|6409|Debian package management system
e2fsprogs|1.47.0-2+b2|1497|ext2/ext3/ext4 file system utilities
findutils|4.9.0-4|1796|utilities for finding files--find, xargs
gcc-12-base|12.2.0-14+deb12u1|100|GCC, the GNU Compiler Collection (base package)
gpgv|2.2.40-1.1+deb12u2|918|GNU privacy guard - signature verification tool
grep|3.8-5|1248|GNU grep, egrep and fgrep
gzip|1.12-1|245|GNU compression utilities
hostname|3.23+nmu1|51|utility to set/show the host name or domain name
init-system-helpers|1.65.2+deb12u1|133|helper tools for all init systems
libacl1|2.3.1-3|73|access control list - shared library
libapt-pkg6.0|2.6.1|3297|package management runtime library
libattr1|1:2.5.1-4|59|extended attribute handling - shared library
libaudit-common|1:3.0.9-1|22|Dynamic library for security auditing - common files
libaudit1|1:3.0.9-1|150|Dynamic library for security auditing
libblkid1|2.38.1-5+deb12u2|398|block device ID library
libbz2-1.0|1.0.8-5+b1|106|high-quality block-sorting file compressor library - runtime
libc-bin|2.36-9+deb12u9|2042|GNU C Library: Binaries
libc6|2.36-9+deb12u9|12987|GNU C Library: Shared libraries
libcap-ng0|0.8.3-1+b3|65|alternate POSIX capabilities library
libcap2|1:2.66-4+deb12u3+b1|95|POSIX 1003.1e capabilities (library)
libcom-err2|1.47.0-2+b2|55|common error description library
libcrypt1|1:4.4.33-2|233|libcrypt shared library
libdb5.3|5.3.28+dfsg2-1|1833|Berkeley v5.3 Database Libraries [runtime]
libdebconfclient0|0.270|37|Debian Configuration Management System (C-implementation library)
libext2fs2|1.47.0-2+b2|535|ext2/ext3/ext4 file system libraries
libffi8|3.4.4-1|68|Foreign Function Interface library runtime
libgcc-s1|12.2.0-14+deb12u1|140|GCC support library
libgcrypt20|1.10.1-3+deb12u1|1592|LGPL Crypto library - runtime library
libgmp10|2:6.2.1+dfsg1-1.1|855|Multiprecision arithmetic library
libgnutls30|3.7.9-2+deb12u7|3396|GNU TLS library - main runtime library
libgpg-error0|1.46-1|192|GnuPG development runtime library
libhogweed6|3.8.1-2|463|low level cryptographic library (public-key cryptos)
libidn2-0|2.3.3-1+b1|439|Internationalized domain names (IDNA2008/TR46) library
liblz4-1|1.9.4-1|169|Fast LZ compression algorithm library - runtime
liblzma5|5.4.1-1+deb12u2|333|XZ-format compression library
libmd0|1.0.4-2|79|message digest functions from BSD systems - shared library
libmount1|2.38.1-5+deb12u2|454|device mounting library
libnettle8|3.8.1-2|520|low level cryptographic library (symmetric and one-way cryptos)
libp11-kit0|0.24.1-2|1408|library for loading and coordinating access to PKCS#11 modules - runtime
libpam-modules|1.5.2-6+deb12u3|1033|Pluggable Authentication Modules for PAM
libpam-modules-bin|1.5.2-6+deb12u3|228|Pluggable Authentication Modules for PAM - helper binaries
libpam-runtime|1.5.2-6+deb12u3|877|Runtime support for the PAM library
libpam0g|1.5.2-6+deb12u3|216|Pluggable Authentication Modules library
libpcre2-8-0|10.42-1+deb12u2|685|New Perl Compatible Regular Expression Library- 8 bit runtime files
libseccomp2|2.5.4-1+deb12u1|148|high level interface to Linux seccomp filter
libselinux1|3.4-1+b6|199|SELinux runtime shared libraries
libsemanage-common|3.4-1|37|Common files for SELinux policy management libraries
libsemanage2|3.4-1+b5|297|SELinux policy management library
libsepol2|3.4-2.1|775|SELinux library for manipulating binary security policies
libsmartcols1|2.38.1-5+deb12u2|289|smart column output alignment library
libss2|1.47.0-2+b2|71|command-line interface parsing library
libstdc++6|12.2.0-14+deb12u1|2686|GNU Standard C++ Library v3
libsystemd0|252.39-1~deb12u2|909|systemd utility library
libtasn1-6|4.19.0-2+deb12u1|116|Manage ASN.1 structures (runtime)
libtinfo6|6.4-4|541|shared low-level terminfo library for terminal handling
libudev1|252.39-1~deb12u2|240|libudev shared library
libunistring2|1.0-2|1807|Unicode string library for C
libuuid1|2.38.1-5+deb12u2|79|Universally Unique ID library
libxxhash0|0.8.1-1|99|shared library for xxhash
libzstd1|1.5.4+dfsg2-5+deb12u1|785|fast lossless compression algorithm
login|1:4.13+dfsg1-1+b1|2722|system login tools
logsave|1.47.0-2+b2|50|save the output of a command in a log file
mawk|1.3.4.20200120-3.1|263|Pattern scanning and text processing language
mount|2.38.1-5+deb12u2|393|tools for mounting and manipulating filesystems
ncurses-base|6.4-4|379|basic terminal type definitions
ncurses-bin|6.4-4|636|terminal-related programs and man pages
passwd|1:4.13+dfsg1-1+b1|2900|change and administer password and group data
perl-base|5.36.0-7+deb12u1|7628|minimal Perl system
sed|4.9-1|883|GNU stream editor for filtering/transforming text
sysvinit-utils|3.06-4|100|System-V-like utilities
tar|1.34+dfsg-1.2+deb12u1|3152|GNU version of the tar archiving utility
tzdata|2026f-0+deb12u1|2571|time zone and daylight-saving time data
usr-is-merged|37~deb12u1|13|Transitional package to assert a merged-/usr system
util-linux|2.38.1-5+deb12u2|3423|miscellaneous system utilities
util-linux-extra|2.38.1-5+deb12u2|366|interactive login tools
zlib1g|1:1.2.13.dfsg-1+deb12u1|168|compression library - runtime
";

const BULLSEYE_PKGS: &str = "\
apt|2.2.4|4337|commandline package manager
base-files|11.1+deb11u11|340|Debian base system miscellaneous files
bash|5.1-2+deb11u1|6470|GNU Bourne Again SHell
coreutils|8.32-4+b1|17478|GNU core utilities
dash|0.5.11+git20200708+dd9ef66-5|212|POSIX-compliant shell
dpkg|1.20.13|6812|Debian package management system
findutils|4.8.0-1|1968|utilities for finding files--find, xargs
grep|3.6-1+deb11u1|1144|GNU grep, egrep and fgrep
gzip|1.10-4+deb11u1|244|GNU compression utilities
hostname|3.23|54|utility to set/show the host name or domain name
libc6|2.31-13+deb11u11|12837|GNU C Library: Shared libraries
login|1:4.8.1-1|2853|system login tools
passwd|1:4.8.1-1|2703|change and administer password and group data
perl-base|5.32.1-4+deb11u4|7635|minimal Perl system
sed|4.7-1|883|GNU stream editor for filtering/transforming text
tar|1.34+dfsg-1+deb11u1|3147|GNU version of the tar archiving utility
util-linux|2.36.1-8+deb11u2|4223|miscellaneous system utilities
";

const BOOKWORM: Release = Release {
    codename: "bookworm",
    major: "12",
    point: "12.8",
    date: day(2024, 11, 11),
    full: (116.5, "Docker Hub library/debian tag bookworm, amd64 (117 MB in `docker images`); recalled, no page in the search corpora"),
    slim: (74.8, "Docker Hub library/debian tag bookworm-slim, amd64 (74.8 MB); recalled, no page in the search corpora"),
    pkgs: BOOKWORM_PKGS,
};

const TRIXIE_PKGS: &str = "\
apt|3.0.3|4462|commandline package manager
base-files|13.8+deb13u1|356|Debian base system miscellaneous files
bash|5.2.37-2+b5|7436|GNU Bourne Again SHell
coreutils|9.7-3|19430|GNU core utilities
dash|0.5.12-12|216|POSIX-compliant shell
debian-archive-keyring|2025.1|272|OpenPGP archive certificates of the Debian archive
dpkg|1.22.21|6612|Debian package management system
findutils|4.10.0-3|1826|utilities for finding files--find, xargs
grep|3.11-4|1262|GNU grep, egrep and fgrep
gzip|1.13-1|254|GNU compression utilities
hostname|3.25|52|utility to set/show the host name or domain name
libc6|2.41-12|13284|GNU C Library: Shared libraries
login|1:4.16.0-2+really2.41-2|2402|system login tools
passwd|1:4.17.4-2|3018|change and administer password and group data
perl-base|5.40.1-6|8250|minimal Perl system
sed|4.9-2|888|GNU stream editor for filtering/transforming text
tar|1.35+dfsg-3.1|3230|GNU version of the tar archiving utility
util-linux|2.41-5|3560|miscellaneous system utilities
";

/// Debian 13 (August 2025). Not `latest` here: the catalog's `latest` tags describe
/// the late-2024 state the rest of the data comes from; trixie is present because the
/// shared corpus of real Dockerfiles uses it more than any other missing image.
const TRIXIE: Release = Release {
    codename: "trixie",
    major: "13",
    point: "13.1",
    date: day(2025, 9, 8),
    full: (
        120.0,
        "estimate: debian:trixie ~120 MB, between bookworm (117 MB) and bullseye (124 MB)",
    ),
    slim: (78.6, "estimate: debian:trixie-slim ~79 MB"),
    pkgs: TRIXIE_PKGS,
};

const BULLSEYE: Release = Release {
    codename: "bullseye",
    major: "11",
    point: "11.11",
    date: day(2024, 11, 11),
    full: (
        124.0,
        "tbillington/rust-docker-cheatsheet README (hello-world on debian: 124MB, on debian:slim: 80.8MB) and the distroless README (\"debian (124 MiB)\"), bullseye era",
    ),
    slim: (
        80.8,
        "tbillington/rust-docker-cheatsheet README (hello-world on debian:slim: 80.8MB), bullseye era",
    ),
    pkgs: BULLSEYE_PKGS,
};

/// Programs a shell simulation looks up on PATH, all in `/usr/bin` (usrmerge).
const USR_BIN: &str =
    "apt apt-cache apt-config apt-get apt-key apt-mark awk base64 basename cat chgrp \
    chmod chown cksum cmp cp cut date dd df diff dirname dpkg dpkg-deb dpkg-query du \
    echo egrep env expr false fgrep find getent grep groups gunzip gzip head hostname id \
    install kill ln login ls md5sum mkdir mknod mktemp more mount mv nproc passwd perl \
    printf pwd readlink realpath rm rmdir sed seq sha1sum sha256sum sleep sort split \
    stat su sync tail tar tee test touch tr true uname uniq wc whoami xargs yes zcat";

const USR_SBIN: &str =
    "adduser chpasswd chroot groupadd groupdel groupmod ldconfig nologin pam-auth-update \
    runuser update-alternatives useradd userdel usermod";

/// `/etc/apt/apt.conf.d/docker-clean` of the official Debian images: the apt settings
/// only (delete downloaded archives after dpkg and after `update`; no binary caches).
const DOCKER_CLEAN: &str = "DPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };\n\
APT::Update::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };\n\n\
Dir::Cache::pkgcache \"\";\nDir::Cache::srcpkgcache \"\";\n";

fn rootfs(r: &Release, slim: bool) -> LayerSpec {
    let flavor = if slim { "slim" } else { "full" };
    let size = if slim { r.slim.0 } else { r.full.0 };
    let mut l = LayerSpec::new(
        format!("debian/{}/{flavor}/rootfs", r.codename),
        r.date,
        mb(size),
    )
    .dirs(
        0o755,
        "/boot /dev /etc /home /media /mnt /opt /proc /run /srv /sys /usr/bin /usr/sbin \
            /usr/lib /usr/lib64 /usr/local/bin /usr/local/sbin /usr/local/lib /usr/local/share \
            /usr/share /var/cache /var/lib/apt/lists /var/log /var/mail /var/spool",
    )
    .dirs(0o700, "/root")
    .dirs(0o1777, "/tmp /var/tmp")
    // usrmerge (bookworm and bullseye images are merged-/usr).
    .link("/bin", "usr/bin")
    .link("/sbin", "usr/sbin")
    .link("/lib", "usr/lib")
    .link("/lib64", "usr/lib64")
    .exe("/usr/bin/bash", 1_265_648)
    .exe("/usr/bin/dash", 125_560)
    .link("/usr/bin/sh", "dash")
    .link("/usr/bin/rbash", "bash")
    .tools("/usr/bin", USR_BIN)
    .tools("/usr/sbin", USR_SBIN)
    .exe("/usr/lib/x86_64-linux-gnu/libc.so.6", 1_922_136)
    .exe("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", 210_968)
    .link(
        "/usr/lib64/ld-linux-x86-64.so.2",
        "../lib/x86_64-linux-gnu/ld-linux-x86-64.so.2",
    )
    .text("/etc/debian_version", 0o644, format!("{}\n", r.point))
    .text(
        "/usr/lib/os-release",
        0o644,
        os_release(&[
            (
                "PRETTY_NAME",
                &format!("Debian GNU/Linux {} ({})", r.major, r.codename),
            ),
            ("NAME", "Debian GNU/Linux"),
            ("VERSION_ID", r.major),
            ("VERSION", &format!("{} ({})", r.major, r.codename)),
            ("VERSION_CODENAME", r.codename),
            ("ID", "debian"),
            ("HOME_URL", "https://www.debian.org/"),
            ("SUPPORT_URL", "https://www.debian.org/support"),
            ("BUG_REPORT_URL", "https://bugs.debian.org/"),
        ]),
    )
    .link("/etc/os-release", "../usr/lib/os-release")
    .text("/etc/hostname", 0o644, "")
    .text("/etc/passwd", 0o644, passwd(DEBIAN_USERS))
    .text("/etc/group", 0o644, group(DEBIAN_GROUPS))
    .text("/etc/shadow", 0o640, shadow(DEBIAN_USERS, 20038))
    .text(
        "/etc/shells",
        0o644,
        "# /etc/shells: valid login shells\n/bin/sh\n/usr/bin/sh\n/bin/bash\n/usr/bin/bash\n\
             /bin/rbash\n/usr/bin/rbash\n/bin/dash\n/usr/bin/dash\n",
    )
    .text(
        "/var/lib/dpkg/status",
        0o644,
        dpkg_status(&deb_table(r.pkgs), "amd64"),
    )
    // debuerreotype's minimizing config in the official images: apt removes the .deb
    // files it downloaded after every dpkg run, so they never stay in a RUN's layer.
    .text("/etc/apt/apt.conf.d/docker-clean", 0o644, DOCKER_CLEAN);
    l = if r.codename != "bullseye" {
        // bookworm and later ship deb822 sources (`debian.sources`).
        let snap = snapshot(r.date);
        let cn = r.codename;
        l.text(
            "/etc/apt/sources.list.d/debian.sources",
            0o644,
            format!(
                "Types: deb\n# http://snapshot.debian.org/archive/debian/{snap}\n\
                 URIs: http://deb.debian.org/debian\nSuites: {cn} {cn}-updates\n\
                 Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\n\
                 Types: deb\n# http://snapshot.debian.org/archive/debian-security/{snap}\n\
                 URIs: http://deb.debian.org/debian-security\nSuites: {cn}-security\n\
                 Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
            ),
        )
    } else {
        l.text(
            "/etc/apt/sources.list",
            0o644,
            "# deb http://snapshot.debian.org/archive/debian/20241111T000000Z bullseye main\n\
             deb http://deb.debian.org/debian bullseye main\n\
             # deb http://snapshot.debian.org/archive/debian-security/20241111T000000Z bullseye-security main\n\
             deb http://deb.debian.org/debian-security bullseye-security main\n\
             # deb http://snapshot.debian.org/archive/debian/20241111T000000Z bullseye-updates main\n\
             deb http://deb.debian.org/debian bullseye-updates main\n",
        )
    };
    l = l
        .bulk("/usr/lib/x86_64-linux-gnu", 160, 40, "lib#.so.1")
        .bulk("/usr/lib/x86_64-linux-gnu/perl-base", 120, 6, "#.pm")
        .bulk("/usr/share/zoneinfo", 90, 2, "#")
        .bulk("/var/lib/dpkg/info", 200, 2, "#.list")
        .bulk("/usr/share/doc", 90, 2, "#");
    if !slim {
        // The slim variant drops man pages, most docs and locales (debuerreotype
        // `--slimify`); they are the size difference between the two.
        l = l
            .bulk("/usr/share/man/man1", 150, 5, "#.1.gz")
            .bulk("/usr/share/locale", 120, 20, "#.mo")
            .bulk("/usr/share/i18n/charmaps", 60, 4, "#.gz");
    }
    l
}

/// The snapshot.debian.org timestamp of a build date, e.g. `20241111T000000Z`.
fn snapshot(date: i64) -> String {
    let t = layerlab_vfs::civil_time(date);
    format!("{:04}{:02}{:02}T000000Z", t.year, t.month, t.day)
}

fn debian(r: &Release, slim: bool) -> ImageSpec {
    let (tags, desc, expected): (Vec<String>, String, (f64, &'static str)) = if slim {
        let mut t = vec![format!("{}-slim", r.codename), format!("{}-slim", r.major)];
        t.push(format!("{}-slim", r.point));
        (
            t,
            format!(
                "Debian {} ({}), minimal: no docs, man pages or locales",
                r.major, r.codename
            ),
            r.slim,
        )
    } else {
        let mut t = vec![
            r.codename.to_owned(),
            r.major.to_owned(),
            r.point.to_owned(),
        ];
        t.push(format!("{}-{}", r.codename, &snapshot(r.date)[..8]));
        if r.codename == "bookworm" {
            t.push("latest".to_owned());
            t.push("stable".to_owned());
        }
        (
            t,
            format!(
                "Debian {} ({}), the base of most official images",
                r.major, r.codename
            ),
            r.full,
        )
    };
    let tag_refs: Vec<&str> = tags.iter().map(String::as_str).collect();
    let tarball = format!(
        "# debian.sh --arch 'amd64' out/ '{}' '@{}'",
        r.codename, r.date
    );
    ImageSpec::root("docker.io", "library/debian", &tag_refs, &desc)
        .layer(r.date, &tarball, rootfs(r, slim))
        .cmd(r.date, &["bash"])
        .expect(mb(expected.0), expected.1)
}

fn buildpack_deps(parent: &ImageSpec, r: &Release) -> Vec<ImageSpec> {
    let cn = r.codename;
    let date = r.date + 86_400;
    let curl = parent
        .child("library/buildpack-deps", &[&format!("{cn}-curl")], "Debian with curl, wget, gnupg and CA certificates")
        .layer(
            date,
            "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates \t\tcurl \t\tgnupg \t\tnetbase \t\tsq \t\twget \t; \trm -rf /var/lib/apt/lists/* # buildkit",
            LayerSpec::new(format!("buildpack-deps/{cn}/curl"), date, mb(42.3))
                .tools("/usr/bin", "curl wget gpg gpgv sq update-ca-certificates")
                .bulk("/usr/lib/x86_64-linux-gnu", 60, 30, "lib#.so.2")
                .bulk("/usr/share/ca-certificates/mozilla", 140, 1, "#.crt")
                .bulk("/etc/ssl/certs", 140, 1, "#.pem")
                .bulk("/usr/share/doc", 40, 1, "#"),
        )
        .expect(mb(r.full.0 + 42.3), "estimate: debian + 42 MB apt layer (docker-library/buildpack-deps curl/Dockerfile)");
    let scm = curl
        .child("library/buildpack-deps", &[&format!("{cn}-scm")], "Debian with curl and git, mercurial, subversion, openssh-client")
        .layer(
            date,
            "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tgit \t\tmercurial \t\topenssh-client \t\tsubversion \t\tprocps \t; \trm -rf /var/lib/apt/lists/* # buildkit",
            LayerSpec::new(format!("buildpack-deps/{cn}/scm"), date, mb(98.4))
                .tools("/usr/bin", "git hg svn ssh scp ssh-keygen ps top free python3")
                .bulk("/usr/lib/git-core", 90, 20, "git-#")
                .bulk("/usr/lib/python3/dist-packages/mercurial", 300, 20, "#.py")
                .bulk("/usr/lib/x86_64-linux-gnu", 80, 30, "lib#.so.3")
                .bulk("/usr/share/doc", 60, 2, "#"),
        )
        .expect(mb(r.full.0 + 42.3 + 98.4), "estimate: curl + 98 MB scm layer (docker-library/buildpack-deps scm/Dockerfile)");
    let full_tags: Vec<&str> = if cn == "bookworm" {
        vec!["bookworm", "latest"]
    } else {
        vec![cn]
    };
    let gcc_dir = format!(
        "/usr/lib/gcc/x86_64-linux-gnu/{}",
        match cn {
            "bullseye" => 10,
            "bookworm" => 12,
            _ => 14,
        }
    );
    let full = scm
        .child("library/buildpack-deps", &full_tags, "Debian with scm tools, gcc/g++/make and common -dev libraries")
        .layer(
            date,
            "RUN /bin/sh -c set -ex; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tautoconf \t\tautomake \t\tbzip2 \t\tdefault-libmysqlclient-dev \t\tdpkg-dev \t\tfile \t\tg++ \t\tgcc \t\timagemagick \t\tlibbz2-dev \t\tlibc6-dev \t\tlibcurl4-openssl-dev \t\tlibdb-dev \t\tlibevent-dev \t\tlibffi-dev \t\tlibgdbm-dev \t\tlibglib2.0-dev \t\tlibgmp-dev \t\tlibjpeg-dev \t\tlibkrb5-dev \t\tliblzma-dev \t\tlibmagickcore-dev \t\tlibmagickwand-dev \t\tlibmaxminddb-dev \t\tlibncurses5-dev \t\tlibncursesw5-dev \t\tlibpng-dev \t\tlibpq-dev \t\tlibreadline-dev \t\tlibsqlite3-dev \t\tlibssl-dev \t\tlibtool \t\tlibwebp-dev \t\tlibxml2-dev \t\tlibxslt-dev \t\tlibyaml-dev \t\tmake \t\tpatch \t\tunzip \t\txz-utils \t\tzlib1g-dev \t; \trm -rf /var/lib/apt/lists/* # buildkit",
            LayerSpec::new(format!("buildpack-deps/{cn}/full"), date, mb(597.0))
                .tools("/usr/bin", "gcc g++ cc c++ cpp make ld as ar autoconf automake libtool patch unzip xz file \
                    pkg-config convert")
                .bulk(&gcc_dir, 40, 120, "#.so")
                .bulk("/usr/include", 600, 40, "#.h")
                .bulk("/usr/lib/x86_64-linux-gnu", 300, 300, "lib#.so.4")
                .bulk("/usr/share/doc", 200, 5, "#"),
        )
        .expect(mb(r.full.0 + 42.3 + 98.4 + 597.0), "estimate: scm + 597 MB compiler/-dev layer; python:3.12 (1.02 GB) minus its own layers");
    vec![curl, scm, full]
}

/// Debian and buildpack-deps images, bookworm first.
pub(crate) fn images() -> Vec<ImageSpec> {
    let mut v = Vec::new();
    for r in [&BOOKWORM, &TRIXIE, &BULLSEYE] {
        let full = debian(r, false);
        let slim = debian(r, true);
        let deps = buildpack_deps(&full, r);
        v.push(full);
        v.push(slim);
        v.extend(deps);
    }
    v
}
