//! Java images: eclipse-temurin 17 (JDK and JRE, Ubuntu and Alpine), the deprecated
//! `openjdk:17` (Oracle Linux 8 slim) and `openjdk:17-jdk-slim` (Debian bullseye-slim),
//! and maven on both.
//!
//! Steps follow adoptium/containers (`ENV JAVA_HOME`, locale ENV, an apt/apk layer with
//! fontconfig, locales and CA tooling, `ENV JAVA_VERSION`, the JDK tarball, the
//! `__cacert_entrypoint.sh` entrypoint) and docker-library/openjdk and maven.

use super::{day, Bases, DEFAULT_PATH};
use crate::spec::{mb, ImageSpec, LayerSpec};

const DATE: i64 = day(2024, 12, 6);
const JAVA_HOME: &str = "/opt/java/openjdk";
const TEMURIN_VERSION: &str = "jdk-17.0.13+11";

const CACERT_ENTRYPOINT: &str = "#!/usr/bin/env bash\n# Import extra CA certificates when USE_SYSTEM_CA_CERTS is set, then run the command.\nset -e\nif [ -n \"$USE_SYSTEM_CA_CERTS\" ]; then\n  update-ca-certificates\nfi\nexec \"$@\"\n";

fn jdk_layer(key: &str, home: &str, jdk: bool, size: u64) -> LayerSpec {
    let tools = if jdk {
        "java javac jar jarsigner javadoc javap jdb jlink jshell keytool jcmd jps jstack"
    } else {
        "java keytool jfr rmiregistry"
    };
    LayerSpec::new(key, DATE, size)
        .tools(&format!("{home}/bin"), tools)
        .text(&format!("{home}/release"), 0o644, "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"17.0.13\"\nJAVA_VERSION_DATE=\"2024-10-15\"\nOS_NAME=\"Linux\"\nOS_ARCH=\"x86_64\"\n")
        .blob(&format!("{home}/lib/modules"), 0o644, size * 6 / 10)
        .bulk(&format!("{home}/lib"), 60, 30, "lib#.so")
        .bulk(&format!("{home}/legal"), 70, 1, "java.#")
}

fn temurin(b: &Bases, jdk: bool, alpine: bool) -> ImageSpec {
    let kind = if jdk { "jdk" } else { "jre" };
    let parent = if alpine {
        b.get("alpine", "3.21")
    } else {
        b.get("ubuntu", "24.04")
    };
    let mut tags = vec![format!("17-{kind}"), format!("17.0.13_11-{kind}")];
    if alpine {
        tags = tags.into_iter().map(|t| format!("{t}-alpine")).collect();
        tags.push(format!("17-{kind}-alpine-3.21"));
    } else {
        tags.push(format!("17-{kind}-noble"));
        if jdk {
            tags.push("17".to_owned());
        }
    }
    let refs: Vec<&str> = tags.iter().map(String::as_str).collect();
    let fl = if alpine { "alpine" } else { "noble" };
    let desc = format!(
        "Eclipse Temurin OpenJDK 17 {} on {}",
        kind.to_ascii_uppercase(),
        if alpine {
            "Alpine 3.21"
        } else {
            "Ubuntu 24.04"
        }
    );
    let path = format!(
        "{JAVA_HOME}/bin:{}",
        parent.env_value("PATH").unwrap_or(DEFAULT_PATH)
    );
    let mut img = parent
        .child("library/eclipse-temurin", &refs, &desc)
        .env(DATE, "JAVA_HOME", JAVA_HOME)
        .env(DATE, "PATH", &path)
        .envs(
            DATE,
            &[
                ("LANG", "en_US.UTF-8"),
                ("LANGUAGE", "en_US:en"),
                ("LC_ALL", "en_US.UTF-8"),
            ],
        );
    let (deps_by, deps) = if alpine {
        ("RUN /bin/sh -c set -eux;     apk add --no-cache         fontconfig ttf-dejavu         gnupg         ca-certificates p11-kit-trust         musl-locales musl-locales-lang         tzdata         coreutils         openssl     ;     rm -rf /var/cache/apk/* # buildkit", mb(30.0))
    } else {
        ("RUN /bin/sh -c set -eux;     apt-get update;     DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends         curl         wget         fontconfig         ca-certificates p11-kit         binutils         tzdata         locales     ;     echo \"en_US.UTF-8 UTF-8\" >> /etc/locale.gen;     locale-gen en_US.UTF-8;     rm -rf /var/lib/apt/lists/* # buildkit", mb(52.0))
    };
    img = img.layer(
        DATE,
        deps_by,
        LayerSpec::new(format!("eclipse-temurin/17/{kind}/{fl}/deps"), DATE, deps)
            .tools("/usr/bin", "curl wget update-ca-certificates")
            .bulk("/usr/share/fonts", 20, 1, "#.ttf")
            .bulk("/usr/lib/locale", 4, 3, "#"),
    );
    img = img.env(DATE, "JAVA_VERSION", TEMURIN_VERSION);
    let jdk_mb = match (jdk, alpine) {
        (true, false) => 277.0,
        (false, false) => 135.0,
        (true, true) => 293.0,
        (false, true) => 146.0,
    };
    img = img.layer(
        DATE,
        "RUN /bin/sh -c set -eux;     ARCH=\"$(dpkg --print-architecture)\";     wget --progress=dot:giga -O /tmp/openjdk.tar.gz ${BINARY_URL};     echo \"${ESUM} */tmp/openjdk.tar.gz\" | sha256sum -c -;     mkdir -p \"$JAVA_HOME\";     tar --extract --file /tmp/openjdk.tar.gz --directory \"$JAVA_HOME\" --strip-components 1 --no-same-owner;     rm -f /tmp/openjdk.tar.gz; # buildkit",
        jdk_layer(&format!("eclipse-temurin/17/{kind}/{fl}/jdk"), JAVA_HOME, jdk, mb(jdk_mb)),
    );
    img = img
        .layer(
            DATE,
            "RUN /bin/sh -c set -eux;     echo \"Verifying install ...\";     echo \"java --version\"; java --version;     echo \"Complete.\" # buildkit",
            LayerSpec::new(format!("eclipse-temurin/17/{kind}/{fl}/verify"), DATE, 0)
                .blob(&format!("{JAVA_HOME}/lib/server/classes.jsa"), 0o644, 13_500_000),
        )
        .layer(
            DATE,
            "COPY --chmod=755 entrypoint.sh /__cacert_entrypoint.sh # buildkit",
            LayerSpec::new(format!("eclipse-temurin/17/{kind}/{fl}/entrypoint"), DATE, 0)
                .text("/__cacert_entrypoint.sh", 0o755, CACERT_ENTRYPOINT),
        )
        .entrypoint(DATE, &["/__cacert_entrypoint.sh"]);
    if jdk {
        img = img.cmd(DATE, &["jshell"]);
    }
    let size: u64 = img
        .steps
        .iter()
        .filter_map(|s| s.layer.as_ref())
        .map(|l| l.size.max(l.explicit_bytes()))
        .sum();
    img.expect(size, "estimate: Docker Hub library/eclipse-temurin 17 (jdk ~407 MB, jre ~265 MB, jdk-alpine ~330 MB, jre-alpine ~185 MB)")
}

const ORACLE_OS_RELEASE: &str = "NAME=\"Oracle Linux Server\"\nVERSION=\"8.10\"\nID=\"ol\"\nID_LIKE=\"fedora\"\nVARIANT=\"Server\"\nVARIANT_ID=\"server\"\nVERSION_ID=\"8.10\"\nPLATFORM_ID=\"platform:el8\"\nPRETTY_NAME=\"Oracle Linux Server 8.10\"\nANSI_COLOR=\"0;31\"\nCPE_NAME=\"cpe:/o:oracle:linux:8:10:server\"\nHOME_URL=\"https://linux.oracle.com/\"\n";

fn openjdk(b: &Bases) -> Vec<ImageSpec> {
    let date = day(2022, 2, 23);
    // openjdk:17 is built on oraclelinux:8-slim, which the catalog does not list on its
    // own: its rootfs is the image's first layer.
    let ol = LayerSpec::new("oraclelinux/8-slim/rootfs", date, mb(110.0))
        .dirs(0o755, "/usr/bin /usr/sbin /usr/lib64 /etc /var/lib/rpm /home /opt /proc /sys /dev /run")
        .dirs(0o550, "/root")
        .dirs(0o1777, "/tmp")
        .link("/bin", "usr/bin")
        .link("/sbin", "usr/sbin")
        .link("/lib64", "usr/lib64")
        .exe("/usr/bin/bash", 1_150_584)
        .link("/usr/bin/sh", "bash")
        .tools("/usr/bin", "microdnf rpm cat cp ls mkdir mv rm tar gzip grep sed find env id chmod chown ln echo \
            true false uname sleep")
        .tools("/usr/sbin", "useradd groupadd ldconfig")
        .text("/etc/os-release", 0o644, ORACLE_OS_RELEASE)
        .text("/etc/oracle-release", 0o644, "Oracle Linux Server release 8.10\n")
        .text("/etc/passwd", 0o644, "root:x:0:0:root:/root:/bin/bash\nbin:x:1:1:bin:/bin:/sbin/nologin\ndaemon:x:2:2:daemon:/sbin:/sbin/nologin\nnobody:x:65534:65534:Kernel Overflow User:/:/sbin/nologin\n")
        .text("/etc/group", 0o644, "root:x:0:\nbin:x:1:\ndaemon:x:2:\nnobody:x:65534:\n")
        .text("/etc/shells", 0o644, "/bin/sh\n/bin/bash\n/usr/bin/sh\n/usr/bin/bash\n")
        .bulk("/usr/lib64", 200, 20, "lib#.so.1")
        .bulk("/var/lib/rpm", 6, 3, "#")
        .bulk("/usr/share/zoneinfo", 60, 1, "#");
    let mut root = ImageSpec::root(
        "docker.io",
        "library/openjdk",
        &["17", "17-jdk", "17-jdk-oracle", "17-oracle", "17.0.2"],
        "OpenJDK 17.0.2 on Oracle Linux 8 (deprecated image, last built 2022)",
    )
    .platforms(&[("amd64", None), ("arm64", Some("v8"))])
    .layer(
        date,
        "/bin/sh -c #(nop) ADD file:oraclelinux-8-slim-rootfs.tar.xz in / ",
        ol,
    );
    root.config.cmd = vec!["/bin/bash".to_owned()];
    let path = format!("/usr/java/openjdk-17/bin:{}", DEFAULT_PATH);
    let jdk17 = root
        .meta_step(date, "/bin/sh -c #(nop)  CMD [\"/bin/bash\"]")
        .layer(date, "/bin/sh -c set -eux; \tmicrodnf install \t\tgzip \t\ttar \t\tbinutils \t\tfreetype fontconfig \t; \tmicrodnf clean all", LayerSpec::new("openjdk/17/oracle/deps", date, mb(44.0)).bulk("/usr/lib64", 30, 1, "lib#.so.6"))
        .envs(date, &[("JAVA_HOME", "/usr/java/openjdk-17")])
        .envs(date, &[("PATH", &path)])
        .envs(date, &[("LANG", "C.UTF-8")])
        .envs(date, &[("JAVA_VERSION", "17.0.2")])
        .layer(date, "/bin/sh -c set -eux; \tcurl -fL -o openjdk.tgz \"$downloadUrl\"; \tmkdir -p \"$JAVA_HOME\"; \ttar --extract --file openjdk.tgz --directory \"$JAVA_HOME\" --strip-components 1 --no-same-owner; \trm openjdk.tgz*; \tjava -Xshare:dump; \tjava --version; \tjavac --version", jdk_layer("openjdk/17/oracle/jdk", "/usr/java/openjdk-17", true, mb(317.0)))
        .cmd(date, &["jshell"])
        .expect(mb(471.0), "Docker Hub library/openjdk tag 17 (471 MB), recalled; deprecated image, last pushed 2022");
    let slim_parent = b.get("debian", "bullseye-slim");
    let slim_path = format!("/usr/local/openjdk-17/bin:{DEFAULT_PATH}");
    let slim = slim_parent
        .child("library/openjdk", &["17-jdk-slim", "17-slim", "17-jdk-slim-bullseye", "17.0.2-jdk-slim"], "OpenJDK 17.0.2 on Debian bullseye-slim (deprecated image)")
        .layer(date, "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates p11-kit \t; \trm -rf /var/lib/apt/lists/* # buildkit", LayerSpec::new("openjdk/17/slim/deps", date, mb(4.3)).bulk("/etc/ssl/certs", 140, 1, "#.pem"))
        .env(date, "JAVA_HOME", "/usr/local/openjdk-17")
        .env(date, "PATH", &slim_path)
        .env(date, "LANG", "C.UTF-8")
        .env(date, "JAVA_VERSION", "17.0.2")
        .layer(date, "RUN /bin/sh -c set -eux; \tarch=\"$(dpkg --print-architecture)\"; \twget --progress=dot:giga -O openjdk.tgz \"$downloadUrl\"; \tmkdir -p \"$JAVA_HOME\"; \ttar --extract --file openjdk.tgz --directory \"$JAVA_HOME\" --strip-components 1 --no-same-owner; \trm openjdk.tgz*; \tjava -Xshare:dump; \tjava --version # buildkit", jdk_layer("openjdk/17/slim/jdk", "/usr/local/openjdk-17", true, mb(323.0)))
        .cmd(date, &["jshell"])
        .expect(mb(408.0), "Docker Hub library/openjdk tag 17-jdk-slim (408 MB), recalled");
    vec![jdk17, slim]
}

fn maven(parent: &ImageSpec, tags: &[&str], desc: &str, key: &str, extra: f64) -> ImageSpec {
    let date = DATE;
    let img = parent
        .child("library/maven", tags, desc)
        .layer(date, "RUN /bin/sh -c set -eux; apt-get update && apt-get install -y --no-install-recommends git openssh-client; rm -rf /var/lib/apt/lists/* # buildkit", LayerSpec::new(format!("maven/{key}/deps"), date, mb(extra)).tools("/usr/bin", "git ssh").bulk("/usr/lib/git-core", 40, 1, "git-#"))
        .env(date, "MAVEN_HOME", "/usr/share/maven")
        .layer(date, "COPY /usr/share/maven /usr/share/maven # buildkit", LayerSpec::new(format!("maven/{key}/maven"), date, mb(10.2))
            .text("/usr/share/maven/bin/mvn", 0o755, "#!/bin/sh\n# Apache Maven launcher: finds JAVA_HOME and starts org.codehaus.plexus.classworlds.launcher.Launcher.\nexec \"$JAVA_HOME/bin/java\" -classpath \"$MAVEN_HOME/boot/plexus-classworlds.jar\" \"-Dmaven.home=$MAVEN_HOME\" org.codehaus.plexus.classworlds.launcher.Launcher \"$@\"\n")
            .link("/usr/bin/mvn", "/usr/share/maven/bin/mvn")
            .bulk("/usr/share/maven/lib", 70, 10, "#.jar")
            .bulk("/usr/share/maven/boot", 1, 1, "plexus-#.jar"))
        .layer(date, "COPY mvn-entrypoint.sh /usr/local/bin/mvn-entrypoint.sh # buildkit", LayerSpec::new(format!("maven/{key}/entrypoint"), date, 0)
            .text("/usr/local/bin/mvn-entrypoint.sh", 0o755, "#!/usr/bin/env bash\n# Copy reference settings into the user's ~/.m2, then run the command.\nset -e\nmkdir -p \"${MAVEN_CONFIG:-$HOME/.m2}\"\nexec \"$@\"\n")
            .text("/usr/share/maven/ref/settings-docker.xml", 0o644, "<settings>\n  <localRepository>/usr/share/maven/ref/repository</localRepository>\n</settings>\n"))
        .env(date, "MAVEN_CONFIG", "/root/.m2")
        .entrypoint(date, &["/usr/local/bin/mvn-entrypoint.sh"])
        .cmd(date, &["mvn"]);
    let size: u64 = img
        .steps
        .iter()
        .filter_map(|s| s.layer.as_ref())
        .map(|l| l.size.max(l.explicit_bytes()))
        .sum();
    img.expect(
        size,
        "estimate: parent image + git/ssh layer + Maven 10 MB (docker-library/maven Dockerfiles)",
    )
}

/// Temurin, openjdk and maven images.
pub(crate) fn images(b: &Bases) -> Vec<ImageSpec> {
    let mut v = Vec::new();
    for alpine in [false, true] {
        for jdk in [true, false] {
            v.push(temurin(b, jdk, alpine));
        }
    }
    let openjdk = openjdk(b);
    v.push(maven(
        &openjdk[0],
        &["3.8-openjdk-17", "3.8.6-openjdk-17", "3-openjdk-17"],
        "Apache Maven 3.8.6 on openjdk:17 (Oracle Linux 8)",
        "3.8-openjdk-17",
        25.0,
    ));
    v.push(maven(
        &v[0],
        &[
            "3.9-eclipse-temurin-17",
            "3.9.9-eclipse-temurin-17",
            "3-eclipse-temurin-17",
        ],
        "Apache Maven 3.9.9 on eclipse-temurin:17-jdk (Ubuntu 24.04)",
        "3.9-eclipse-temurin-17",
        42.0,
    ));
    v.extend(openjdk);
    v
}
