//! Alpine Linux 3.18 to 3.21 and BusyBox.
//!
//! Both are one rootfs layer plus `CMD ["/bin/sh"]` (docker-library/alpine and
//! docker-library/busybox Dockerfiles: `FROM scratch`, `ADD <rootfs>.tar.gz /`). Busybox
//! applets are symlinks to `/bin/busybox` (Alpine installs them as symlinks; the busybox
//! image uses hard links, which the VFS models as symlinks).

use super::{apk_installed, day, Apk};
use crate::spec::{list, mb, ImageSpec, LayerSpec};

struct Release {
    version: &'static str,
    point: &'static str,
    date: i64,
    size: (f64, &'static str),
    /// musl, busybox, apk-tools, alpine-baselayout, openssl, zlib versions.
    versions: [&'static str; 6],
}

const RELEASES: &[Release] = &[
    // 3.22 (May 2025) is newer than the catalog's `latest` (see below); it is here
    // because the shared corpus of real Dockerfiles asks for it.
    Release {
        version: "3.22", point: "3.22.1", date: day(2025, 7, 15),
        size: (8.31, "estimate: alpine:3.22 ~8.3 MB (3.21 + OpenSSL 3.5)"),
        versions: ["1.2.5-r10", "1.37.0-r18", "2.14.9-r2", "3.7.0-r0", "3.5.1-r0", "1.3.1-r2"],
    },
    Release {
        version: "3.21", point: "3.21.0", date: day(2024, 12, 5),
        size: (7.83, "Docker Hub library/alpine tag 3.21, amd64 (7.83 MB); recalled, no page in the search corpora"),
        versions: ["1.2.5-r8", "1.37.0-r8", "2.14.6-r2", "3.6.8-r1", "3.3.2-r4", "1.3.1-r2"],
    },
    Release {
        version: "3.20", point: "3.20.3", date: day(2024, 9, 6),
        size: (7.8, "Docker Hub library/alpine tag 3.20, amd64 (7.8 MB); recalled"),
        versions: ["1.2.5-r0", "1.36.1-r29", "2.14.4-r1", "3.6.5-r0", "3.3.2-r0", "1.3.1-r1"],
    },
    Release {
        version: "3.19", point: "3.19.4", date: day(2024, 9, 6),
        size: (7.38, "Docker Hub library/alpine tag 3.19, amd64 (7.38 MB); recalled"),
        versions: ["1.2.4_git20230717-r4", "1.36.1-r20", "2.14.4-r0", "3.4.3-r2", "3.1.7-r0", "1.3.1-r0"],
    },
    Release {
        version: "3.18", point: "3.18.9", date: day(2024, 9, 6),
        size: (7.33, "Docker Hub library/alpine tag 3.18, amd64 (7.33 MB); recalled"),
        versions: ["1.2.4-r2", "1.36.1-r7", "2.14.0-r2", "3.4.3-r1", "3.1.7-r0", "1.2.13-r1"],
    },
];

/// Applets linked in `/bin` (a subset of Alpine's busybox applet list).
pub(crate) const BIN_APPLETS: &str =
    "arch ash base64 cat chgrp chmod chown cp date dd df dmesg echo egrep false fgrep \
    grep gunzip gzip hostname kill link ln login ls mkdir mknod mktemp more mount mv \
    netstat nice pidof ping ps pwd rm rmdir sed sh sleep stat su sync tar touch true \
    umount uname usleep watch zcat";

/// Applets linked in `/usr/bin`.
pub(crate) const USR_BIN_APPLETS: &str =
    "[ [[ awk basename bunzip2 bzcat cksum clear cmp cut diff dirname du env expr find \
    free head hexdump id install less md5sum mkfifo nc nl nohup nproc od paste printf \
    readlink realpath reset seq sha1sum sha256sum sha512sum sort split strings tail tee \
    test time top tr traceroute tty uniq unzip uptime vi wc wget which whoami xargs yes";

/// Applets linked in `/sbin` and `/usr/sbin`.
const SBIN_APPLETS: &str = "ifconfig init ip mdev modprobe reboot route sysctl";
const USR_SBIN_APPLETS: &str = "addgroup adduser chroot delgroup deluser crond";

pub(crate) const ALPINE_PASSWD: &str = "root:x:0:0:root:/root:/bin/sh\nbin:x:1:1:bin:/bin:/sbin/nologin\n\
daemon:x:2:2:daemon:/sbin:/sbin/nologin\nlp:x:4:7:lp:/var/spool/lpd:/sbin/nologin\n\
sync:x:5:0:sync:/sbin:/bin/sync\nshutdown:x:6:0:shutdown:/sbin:/sbin/shutdown\n\
halt:x:7:0:halt:/sbin:/sbin/halt\nmail:x:8:12:mail:/var/mail:/sbin/nologin\n\
news:x:9:13:news:/usr/lib/news:/sbin/nologin\nuucp:x:10:14:uucp:/var/spool/uucppublic:/sbin/nologin\n\
cron:x:16:16:cron:/var/spool/cron:/sbin/nologin\nftp:x:21:21::/var/lib/ftp:/sbin/nologin\n\
sshd:x:22:22:sshd:/dev/null:/sbin/nologin\ngames:x:35:35:games:/usr/games:/sbin/nologin\n\
ntp:x:123:123:NTP:/var/empty:/sbin/nologin\nguest:x:405:100:guest:/dev/null:/sbin/nologin\n\
nobody:x:65534:65534:nobody:/:/sbin/nologin\n";

pub(crate) const ALPINE_GROUP: &str =
    "root:x:0:root\nbin:x:1:root,bin,daemon\ndaemon:x:2:root,bin,daemon\n\
sys:x:3:root,bin\nadm:x:4:root,daemon\ntty:x:5:\ndisk:x:6:root\nlp:x:7:lp\nkmem:x:9:\n\
wheel:x:10:root\nfloppy:x:11:\nmail:x:12:mail\nnews:x:13:news\nuucp:x:14:uucp\ncron:x:16:cron\n\
audio:x:18:\ncdrom:x:19:\ndialout:x:20:root\nftp:x:21:\nsshd:x:22:\ninput:x:23:\ntape:x:26:\n\
video:x:27:\nnetdev:x:28:\nkvm:x:34:kvm\ngames:x:35:\nshadow:x:42:\nwww-data:x:82:\n\
users:x:100:games\nntp:x:123:\nabuild:x:300:\nutmp:x:406:\nping:x:999:\nnogroup:x:65533:\n\
nobody:x:65534:\n";

/// The rootfs layer of an Alpine release; shared with the `-alpine` language images.
fn rootfs(r: &Release) -> LayerSpec {
    let [musl, busybox, apk, baselayout, openssl, zlib] = r.versions;
    let pkgs: Vec<Apk> = vec![
        (
            "alpine-baselayout",
            baselayout,
            8192,
            "Alpine base dir structure and init scripts",
            "GPL-2.0-only",
        ),
        (
            "alpine-keys",
            "2.5-r0",
            94208,
            "Public keys for Alpine Linux packages",
            "MIT",
        ),
        (
            "apk-tools",
            apk,
            253_952,
            "Alpine Package Keeper - package manager for alpine",
            "GPL-2.0-only",
        ),
        (
            "busybox",
            busybox,
            950_272,
            "Size optimized toolbox of many common UNIX utilities",
            "GPL-2.0-only",
        ),
        (
            "busybox-binsh",
            busybox,
            4096,
            "busybox ash /bin/sh",
            "GPL-2.0-only",
        ),
        (
            "ca-certificates-bundle",
            "20240705-r0",
            233_472,
            "Pre generated bundle of Mozilla certificates",
            "MPL-2.0 AND MIT",
        ),
        (
            "libcrypto3",
            openssl,
            4_644_864,
            "Crypto library from openssl",
            "Apache-2.0",
        ),
        (
            "libssl3",
            openssl,
            770_048,
            "SSL shared libraries",
            "Apache-2.0",
        ),
        (
            "musl",
            musl,
            659_456,
            "the musl c library (libc) implementation",
            "MIT",
        ),
        (
            "musl-utils",
            musl,
            126_976,
            "the musl c library (libc) implementation",
            "MIT AND BSD-2-Clause AND GPL-2.0-or-later",
        ),
        (
            "scanelf",
            "1.3.8-r1",
            86016,
            "Scan ELF binaries for stuff",
            "GPL-2.0-only",
        ),
        (
            "ssl_client",
            busybox,
            28672,
            "EXternal ssl_client for busybox wget",
            "GPL-2.0-only",
        ),
        (
            "zlib",
            zlib,
            106_496,
            "A compression/decompression Library",
            "Zlib",
        ),
    ];
    LayerSpec::new(format!("alpine/{}/rootfs", r.version), r.date, mb(r.size.0))
        .dirs(0o755, "/bin /dev /etc/apk/keys /home /lib/apk/db /media /mnt /opt /proc /run /sbin /srv \
            /sys /usr/bin /usr/sbin /usr/lib /usr/local/bin /usr/share /var/cache/apk /var/log")
        .dirs(0o700, "/root")
        .dirs(0o1777, "/tmp")
        .exe("/bin/busybox", 808_712)
        .links("/bin", BIN_APPLETS, "/bin/busybox")
        .links("/usr/bin", USR_BIN_APPLETS, "/bin/busybox")
        .links("/sbin", SBIN_APPLETS, "/bin/busybox")
        .links("/usr/sbin", USR_SBIN_APPLETS, "/bin/busybox")
        .exe("/sbin/apk", 71_416)
        .exe("/sbin/ldconfig", 393)
        .exe("/lib/ld-musl-x86_64.so.1", 659_024)
        .link("/lib/libc.musl-x86_64.so.1", "ld-musl-x86_64.so.1")
        .exe("/usr/bin/ssl_client", 14_288)
        .text("/etc/alpine-release", 0o644, format!("{}\n", r.point))
        .text(
            "/etc/os-release",
            0o644,
            format!(
                "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID={}\nPRETTY_NAME=\"Alpine Linux v{}\"\n\
                 HOME_URL=\"https://alpinelinux.org/\"\nBUG_REPORT_URL=\"https://gitlab.alpinelinux.org/alpine/aports/-/issues\"\n",
                r.point, r.version
            ),
        )
        .text("/etc/passwd", 0o644, ALPINE_PASSWD)
        .text("/etc/group", 0o644, ALPINE_GROUP)
        .text("/etc/shadow", 0o640, "root:*::0:::::\nbin:!::0:::::\ndaemon:!::0:::::\nlp:!::0:::::\nsync:!::0:::::\nshutdown:!::0:::::\nhalt:!::0:::::\nmail:!::0:::::\nnews:!::0:::::\nuucp:!::0:::::\ncron:!::0:::::\nftp:!::0:::::\nsshd:!::0:::::\ngames:!::0:::::\nntp:!::0:::::\nguest:!::0:::::\nnobody:!::0:::::\n")
        .text("/etc/shells", 0o644, "# valid login shells\n/bin/sh\n/bin/ash\n")
        .text(
            "/etc/apk/repositories",
            0o644,
            format!(
                "https://dl-cdn.alpinelinux.org/alpine/v{0}/main\nhttps://dl-cdn.alpinelinux.org/alpine/v{0}/community\n",
                r.version
            ),
        )
        .text("/etc/apk/world", 0o644, "alpine-baselayout\nalpine-keys\napk-tools\nbusybox\nca-certificates-bundle\nlibc-utils\n")
        .text("/lib/apk/db/installed", 0o644, apk_installed(&pkgs, "x86_64"))
        .bulk("/lib", 8, 40, "lib#.so.3")
        .bulk("/usr/lib", 10, 10, "lib#.so.1")
        .bulk("/etc/ssl/certs", 2, 2, "#.pem")
        .keys()
}

/// The release signing keys every Alpine image carries (`alpine-keys`), ~800 B each.
trait AlpineKeys {
    fn keys(self) -> Self;
}

impl AlpineKeys for LayerSpec {
    fn keys(mut self) -> Self {
        for id in ["4a6a0840", "5243ef4b", "5261cecb", "6165ee59", "61666e3f"] {
            self = self.blob(
                &format!("/etc/apk/keys/alpine-devel@lists.alpinelinux.org-{id}.rsa.pub"),
                0o644,
                800,
            );
        }
        self
    }
}

fn alpine(r: &Release, latest: bool) -> ImageSpec {
    let mut tags = vec![r.version, r.point];
    if latest {
        tags.push("latest");
    }
    let add = format!(
        "ADD alpine-minirootfs-{}-x86_64.tar.gz / # buildkit",
        r.point
    );
    ImageSpec::root(
        "docker.io",
        "library/alpine",
        &tags,
        &format!(
            "Alpine Linux {}: musl, busybox and apk in under 8 MB",
            r.point
        ),
    )
    .layer(r.date, &add, rootfs(r))
    .cmd(r.date, &["/bin/sh"])
    .expect(mb(r.size.0), r.size.1)
}

fn busybox() -> ImageSpec {
    let date = day(2024, 9, 26);
    let applets: Vec<&str> = [BIN_APPLETS, USR_BIN_APPLETS, SBIN_APPLETS, USR_SBIN_APPLETS]
        .into_iter()
        .flat_map(list)
        .filter(|a| *a != "[[")
        .collect();
    let applets = applets.join(" ");
    let layer = LayerSpec::new("busybox/1.37.0-glibc/rootfs", date, mb(4.27))
        .dirs(0o755, "/bin /dev /etc /home /lib /usr/sbin /var/spool/mail /var/www")
        .dirs(0o700, "/root")
        .dirs(0o1777, "/tmp")
        .exe("/bin/busybox", 1_098_584)
        .links("/bin", &applets, "busybox")
        .link("/lib64", "lib")
        .text("/etc/passwd", 0o644, "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\nsync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\nwww-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n")
        .text("/etc/group", 0o644, "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nlp:x:7:\nmail:x:8:\nkmem:x:9:\nwheel:x:10:root\ncdrom:x:11:\ndialout:x:18:\nfloppy:x:19:\nvideo:x:28:\naudio:x:29:\ntape:x:32:\nwww-data:x:33:\noperator:x:37:\nutmp:x:43:\nplugdev:x:46:\nstaff:x:50:\nlock:x:54:\nnetdev:x:82:\nusers:x:100:\nnobody:x:65534:\n")
        .text("/etc/shadow", 0o640, "root:*::::::\ndaemon:*::::::\nbin:*::::::\nsys:*::::::\nsync:*::::::\nmail:*::::::\nwww-data:*::::::\noperator:*::::::\nnobody:*::::::\n")
        .bulk("/lib", 8, 1, "lib#.so.6");
    ImageSpec::root("docker.io", "library/busybox", &["latest", "1.37", "1.37.0", "glibc", "stable"], "BusyBox 1.37: one static-ish binary with ~400 applets")
        .layer(date, "ADD busybox.tar.xz / # buildkit", layer)
        .cmd(date, &["sh"])
        .expect(mb(4.27), "Docker Hub library/busybox tag latest, amd64 (4.27 MB); recalled, no page in the search corpora")
}

/// Alpine releases (newest is `latest`) and busybox.
pub(crate) fn images() -> Vec<ImageSpec> {
    let mut v: Vec<ImageSpec> = RELEASES
        .iter()
        .enumerate()
        // `latest` is 3.21, the release the brief and the language images are built on.
        .map(|(i, r)| alpine(r, i == 1))
        .collect();
    v.push(busybox());
    v
}
