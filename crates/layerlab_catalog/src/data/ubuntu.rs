//! Ubuntu 15.04 to 24.04.
//!
//! History follows what `docker history` shows for each era, all from the classic
//! builder (`/bin/sh -c #(nop) ...`): 20.04 and later are Launchpad builds (`ARG
//! RELEASE`, `ARG LAUNCHPAD_BUILD_ARCH`, two `LABEL`s, `ADD file:… in /`,
//! `CMD ["/bin/bash"]`); 18.04 is `ADD` + `CMD ["bash"]`; 15.04/16.04 still carry the
//! small `policy-rc.d` / `/run/systemd/container` RUN layers of the old
//! docker-library/ubuntu Dockerfile.

use super::{
    day, dpkg_status, group, os_release, passwd, shadow, Deb, User, DEBIAN_GROUPS, DEBIAN_USERS,
};
use crate::spec::{mb, ImageSpec, LayerSpec};
use layerlab_vfs::Digest;

struct Release {
    version: &'static str,
    point: &'static str,
    codename: &'static str,
    pretty: &'static str,
    date: i64,
    size: (f64, &'static str),
    /// base-files, bash, libc6, apt, dpkg, coreutils versions.
    versions: [&'static str; 6],
}

const RELEASES: &[Release] = &[
    Release {
        version: "24.04", point: "24.04.1 LTS", codename: "noble", pretty: "Noble Numbat",
        date: day(2024, 10, 11),
        size: (78.1, "Docker Hub library/ubuntu tag 24.04, amd64 (78.1 MB); recalled, no page in the search corpora"),
        versions: ["13ubuntu10.1", "5.2.21-2ubuntu4", "2.39-0ubuntu8.3", "2.7.14build2", "1.22.6ubuntu6.1", "9.4-3ubuntu6"],
    },
    Release {
        version: "22.04", point: "22.04.5 LTS", codename: "jammy", pretty: "Jammy Jellyfish",
        date: day(2024, 10, 11),
        size: (77.9, "Docker Hub library/ubuntu tag 22.04, amd64 (77.9 MB); recalled"),
        versions: ["12ubuntu4.7", "5.1-6ubuntu1.1", "2.35-0ubuntu3.8", "2.4.13", "1.21.1ubuntu2.3", "8.32-4.1ubuntu1.2"],
    },
    Release {
        version: "20.04", point: "20.04.6 LTS", codename: "focal", pretty: "Focal Fossa",
        date: day(2024, 10, 11),
        size: (72.8, "Docker Hub library/ubuntu tag 20.04, amd64 (72.8 MB); recalled"),
        versions: ["11ubuntu5.8", "5.0-6ubuntu1.2", "2.31-0ubuntu9.16", "2.0.10", "1.19.7ubuntu3.2", "8.30-3ubuntu2"],
    },
    Release {
        version: "18.04", point: "18.04.6 LTS", codename: "bionic", pretty: "Bionic Beaver",
        date: day(2023, 5, 30),
        size: (63.1, "Docker Hub library/ubuntu tag 18.04, amd64 (63.1 MB); recalled"),
        versions: ["10.1ubuntu2.12", "4.4.18-2ubuntu1.3", "2.27-3ubuntu1.6", "1.6.17", "1.19.0.5ubuntu2.4", "8.28-1ubuntu1"],
    },
    Release {
        version: "16.04", point: "16.04.7 LTS", codename: "xenial", pretty: "Xenial Xerus",
        date: day(2021, 8, 31),
        size: (135.0, "estimate: ubuntu:16.04 (2021 build) ~135 MB in `docker images`"),
        versions: ["9.4ubuntu4.14", "4.3-14ubuntu1.4", "2.23-0ubuntu11.3", "1.2.35", "1.18.4ubuntu1.7", "8.25-2ubuntu3~16.04"],
    },
    Release {
        version: "15.04", point: "15.04", codename: "vivid", pretty: "Vivid Vervet",
        date: day(2016, 1, 26),
        size: (131.3, "estimate: ubuntu:15.04 (last build, 2016) ~131 MB in `docker images`"),
        versions: ["8ubuntu1", "4.3-11ubuntu2", "2.21-0ubuntu4.1", "1.0.9.7ubuntu4.2", "1.17.25ubuntu1.1", "8.23-3ubuntu1"],
    },
];

const UBUNTU_USER: User = ("ubuntu", 1000, 1000, "Ubuntu", "/home/ubuntu", "/bin/bash");

fn rootfs(r: &Release) -> LayerSpec {
    let modern = r.version >= "20.04";
    let [base_files, bash, libc, apt, dpkg, coreutils] = r.versions;
    let pkgs: Vec<Deb> = vec![
        (
            "base-files",
            base_files,
            392,
            "Debian base system miscellaneous files",
        ),
        ("bash", bash, 1864, "GNU Bourne Again SHell"),
        ("libc6", libc, 13000, "GNU C Library: Shared libraries"),
        ("apt", apt, 4100, "commandline package manager"),
        ("dpkg", dpkg, 6700, "Debian package management system"),
        ("coreutils", coreutils, 7000, "GNU core utilities"),
    ];
    let mut users = DEBIAN_USERS.to_vec();
    let mut groups = DEBIAN_GROUPS.to_vec();
    // Ubuntu 24.04 images ship a default `ubuntu` user (uid 1000).
    if r.version == "24.04" {
        users.insert(users.len() - 1, UBUNTU_USER);
        groups.insert(groups.len() - 1, ("ubuntu", 1000));
    }
    let mut l = LayerSpec::new(format!("ubuntu/{}/rootfs", r.version), r.date, mb(r.size.0))
        .dirs(
            0o755,
            "/boot /dev /etc /home /media /mnt /opt /proc /run /srv /sys /usr/bin /usr/sbin \
                /usr/lib /usr/local/bin /usr/share /var/lib/apt/lists /var/log",
        )
        .dirs(0o700, "/root")
        .dirs(0o1777, "/tmp /var/tmp");
    // The shell simulator finds programs in /bin on both layouts.
    let bin = if modern {
        l = l
            .link("/bin", "usr/bin")
            .link("/sbin", "usr/sbin")
            .link("/lib", "usr/lib")
            .dirs(0o755, "/usr/lib64")
            .link("/lib64", "usr/lib64");
        "/usr/bin"
    } else {
        l = l.dirs(0o755, "/bin /sbin /lib/x86_64-linux-gnu");
        "/bin"
    };
    l = l
        .exe(&format!("{bin}/bash"), 1_446_024)
        .exe(&format!("{bin}/dash"), 125_688)
        .link(&format!("{bin}/sh"), "dash")
        .tools(bin, "cat chmod chown cp date dd df echo false grep gzip hostname ln ls mkdir mktemp mv \
            pwd readlink rm rmdir sed sleep tar touch true uname zcat")
        .tools("/usr/bin", "apt apt-get apt-cache apt-key awk basename dirname dpkg env find head id perl sort \
            tail tee tr wc whoami xargs")
        .tools("/usr/sbin", "useradd groupadd usermod userdel chpasswd nologin update-alternatives")
        .text(
            "/etc/os-release",
            0o644,
            os_release(&[
                ("PRETTY_NAME", &format!("Ubuntu {}", r.point)),
                ("NAME", "Ubuntu"),
                ("VERSION_ID", r.version),
                ("VERSION", &format!("{} ({})", r.point, r.pretty)),
                ("VERSION_CODENAME", r.codename),
                ("ID", "ubuntu"),
                ("ID_LIKE", "debian"),
                ("HOME_URL", "https://www.ubuntu.com/"),
                ("SUPPORT_URL", "https://help.ubuntu.com/"),
                ("BUG_REPORT_URL", "https://bugs.launchpad.net/ubuntu/"),
                ("UBUNTU_CODENAME", r.codename),
            ]),
        )
        .text(
            "/etc/lsb-release",
            0o644,
            format!(
                "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE={}\nDISTRIB_CODENAME={}\nDISTRIB_DESCRIPTION=\"Ubuntu {}\"\n",
                r.version, r.codename, r.point
            ),
        )
        .text("/etc/debian_version", 0o644, match r.version {
            "24.04" => "trixie/sid\n",
            "22.04" => "bookworm/sid\n",
            "20.04" => "bullseye/sid\n",
            "18.04" => "buster/sid\n",
            "16.04" => "stretch/sid\n",
            _ => "jessie/sid\n",
        })
        .text("/etc/passwd", 0o644, passwd(&users))
        .text("/etc/group", 0o644, group(&groups))
        .text("/etc/shadow", 0o640, shadow(&users, 19_900))
        .text("/etc/shells", 0o644, "# /etc/shells: valid login shells\n/bin/sh\n/bin/bash\n/usr/bin/bash\n/bin/rbash\n/usr/bin/rbash\n/usr/bin/sh\n/bin/dash\n/usr/bin/dash\n")
        .text("/var/lib/dpkg/status", 0o644, dpkg_status(&pkgs, "amd64"));
    if r.version == "24.04" {
        l = l
            .dir_owned("/home/ubuntu", 0o750, 1000, 1000)
            .text(
                "/etc/apt/sources.list.d/ubuntu.sources",
                0o644,
                "Types: deb\nURIs: http://archive.ubuntu.com/ubuntu/\nSuites: noble noble-updates noble-backports\n\
                 Components: main universe restricted multiverse\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n\n\
                 Types: deb\nURIs: http://security.ubuntu.com/ubuntu/\nSuites: noble-security\n\
                 Components: main universe restricted multiverse\nSigned-By: /usr/share/keyrings/ubuntu-archive-keyring.gpg\n",
            );
    } else {
        let cn = r.codename;
        l = l.text(
            "/etc/apt/sources.list",
            0o644,
            format!(
                "deb http://archive.ubuntu.com/ubuntu/ {cn} main restricted\n\
                 deb http://archive.ubuntu.com/ubuntu/ {cn}-updates main restricted\n\
                 deb http://archive.ubuntu.com/ubuntu/ {cn} universe\n\
                 deb http://security.ubuntu.com/ubuntu/ {cn}-security main restricted\n"
            ),
        );
    }
    l.bulk("/usr/lib/x86_64-linux-gnu", 150, 45, "lib#.so.1")
        .bulk("/usr/share/perl5", 80, 4, "#.pm")
        .bulk("/var/lib/dpkg/info", 180, 2, "#.list")
        .bulk("/usr/share/doc", 90, 1, "#")
        .bulk("/usr/share/zoneinfo", 60, 2, "#")
}

fn image(r: &Release) -> ImageSpec {
    let mut tags = vec![r.version, r.codename];
    if r.version == "24.04" {
        tags.extend(["latest", "noble-20241011"]);
    }
    let desc = format!("Ubuntu {} ({})", r.point, r.pretty);
    let key = format!("ubuntu/{}/rootfs", r.version);
    let add = format!("file:{} in / ", Digest::of(key.as_bytes()).hex());
    let img =
        ImageSpec::root("docker.io", "library/ubuntu", &tags, &desc).expect(mb(r.size.0), r.size.1);
    let d = r.date;
    if r.version >= "20.04" {
        // Launchpad still builds these with the classic builder, so even the newest
        // history lines read `/bin/sh -c #(nop) ...` and carry no BuildKit comment.
        let mut img = img
            .meta_step(d, "/bin/sh -c #(nop)  ARG RELEASE")
            .meta_step(d, "/bin/sh -c #(nop)  ARG LAUNCHPAD_BUILD_ARCH")
            .meta_step(
                d,
                "/bin/sh -c #(nop)  LABEL org.opencontainers.image.ref.name=ubuntu",
            )
            .meta_step(
                d,
                &format!(
                    "/bin/sh -c #(nop)  LABEL org.opencontainers.image.version={}",
                    r.version
                ),
            )
            .layer(d, &format!("/bin/sh -c #(nop) ADD {add}"), rootfs(r));
        let labels = &mut img.config.labels;
        labels.insert(
            "org.opencontainers.image.ref.name".to_owned(),
            "ubuntu".to_owned(),
        );
        labels.insert(
            "org.opencontainers.image.version".to_owned(),
            r.version.to_owned(),
        );
        img.config.cmd = vec!["/bin/bash".to_owned()];
        img.meta_step(d, "/bin/sh -c #(nop)  CMD [\"/bin/bash\"]")
    } else if r.version == "18.04" {
        let mut img = img.layer(d, &format!("/bin/sh -c #(nop) ADD {add}"), rootfs(r));
        img.config.cmd = vec!["bash".to_owned()];
        img.meta_step(d, "/bin/sh -c #(nop)  CMD [\"bash\"]")
    } else {
        let v = r.version;
        let mut img = img
            .layer(d, &format!("/bin/sh -c #(nop) ADD {add}"), rootfs(r))
            .layer(
                d,
                "/bin/sh -c set -xe \t\t&& echo '#!/bin/sh' > /usr/sbin/policy-rc.d \t&& echo 'exit 101' >> /usr/sbin/policy-rc.d \t&& chmod +x /usr/sbin/policy-rc.d",
                LayerSpec::new(format!("ubuntu/{v}/policy-rc"), d, 0)
                    .text("/usr/sbin/policy-rc.d", 0o755, "#!/bin/sh\nexit 101\n")
                    .text("/etc/apt/apt.conf.d/docker-clean", 0o644, "DPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true\"; };\n"),
            )
            .layer(d, "/bin/sh -c rm -rf /var/lib/apt/lists/*", LayerSpec::new(format!("ubuntu/{v}/apt-lists"), d, 0).dirs(0o755, "/var/lib/apt/lists"))
            .layer(
                d,
                "/bin/sh -c mkdir -p /run/systemd && echo 'docker' > /run/systemd/container",
                LayerSpec::new(format!("ubuntu/{v}/systemd"), d, 0).text("/run/systemd/container", 0o644, "docker\n"),
            );
        img.config.cmd = vec!["/bin/bash".to_owned()];
        img.meta_step(d, "/bin/sh -c #(nop)  CMD [\"/bin/bash\"]")
    }
}

/// All Ubuntu releases, newest first.
pub(crate) fn images() -> Vec<ImageSpec> {
    RELEASES.iter().map(image).collect()
}
