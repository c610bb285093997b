//! nginx (Debian bookworm-slim and Alpine) and Google's distroless images.
//!
//! nginx follows nginxinc/docker-nginx (a `nginx` system user with uid/gid 101, one
//! install layer, the `/docker-entrypoint.sh` + `/docker-entrypoint.d/*` scripts,
//! `EXPOSE 80`, `STOPSIGNAL SIGQUIT`, `CMD ["nginx", "-g", "daemon off;"]`).
//! Distroless follows GoogleContainerTools/distroless: Bazel-built layers dated at the
//! epoch, users root, nobody and nonroot (65532), `SSL_CERT_FILE` set, no shell.

use super::{day, group, passwd, Bases, User, DEBIAN_GROUPS, DEBIAN_USERS};
use crate::spec::{mb, ImageSpec, LayerSpec};

const NGINX_CONF: &str = "user  nginx;\nworker_processes  auto;\n\nerror_log  /var/log/nginx/error.log notice;\npid        /var/run/nginx.pid;\n\nevents {\n    worker_connections  1024;\n}\n\nhttp {\n    include       /etc/nginx/mime.types;\n    default_type  application/octet-stream;\n    access_log  /var/log/nginx/access.log;\n    sendfile        on;\n    keepalive_timeout  65;\n    include /etc/nginx/conf.d/*.conf;\n}\n";
const DEFAULT_CONF: &str = "server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n}\n";
const INDEX_HTML: &str = "<!DOCTYPE html>\n<html>\n<head><title>Welcome to nginx!</title></head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and working.</p>\n</body>\n</html>\n";
const ENTRYPOINT: &str = "#!/bin/sh\n# Run the scripts in /docker-entrypoint.d when starting nginx, then exec the command.\nset -e\nif [ \"$1\" = \"nginx\" ] || [ \"$1\" = \"nginx-debug\" ]; then\n  for f in /docker-entrypoint.d/*.sh; do\n    [ -x \"$f\" ] && \"$f\"\n  done\nfi\nexec \"$@\"\n";

const NGINX_USER: User = (
    "nginx",
    101,
    101,
    "nginx user",
    "/nonexistent",
    "/bin/false",
);

fn nginx(b: &Bases, version: &str, tags: &[&str], alpine: bool) -> ImageSpec {
    let date = day(2024, 11, 26);
    let parent = if alpine {
        b.get("alpine", "3.20")
    } else {
        b.get("debian", "bookworm-slim")
    };
    let fl = if alpine { "alpine" } else { "bookworm" };
    let desc = format!(
        "nginx {version} web server on {}",
        if alpine {
            "Alpine 3.20"
        } else {
            "Debian bookworm-slim"
        }
    );
    let mut img = parent
        .child("library/nginx", tags, &desc)
        .label(
            date,
            "maintainer",
            "NGINX Docker Maintainers <docker-maint@nginx.com>",
        )
        .env(date, "NGINX_VERSION", version)
        .env(date, "NJS_VERSION", "0.8.7")
        .env(date, "PKG_RELEASE", if alpine { "1" } else { "1~bookworm" });
    let (passwd_text, group_text) = if alpine {
        (
            format!(
                "{}nginx:x:101:101:nginx:/var/cache/nginx:/sbin/nologin\n",
                super::alpine::ALPINE_PASSWD
            ),
            format!("{}nginx:x:101:nginx\n", super::alpine::ALPINE_GROUP),
        )
    } else {
        let mut users = DEBIAN_USERS.to_vec();
        users.push(NGINX_USER);
        let mut groups = DEBIAN_GROUPS.to_vec();
        groups.push(("nginx", 101));
        (passwd(&users), group(&groups))
    };
    let own = if alpine { mb(43.6) } else { mb(117.6) };
    let install = LayerSpec::new(format!("nginx/{version}/{fl}/install"), date, own)
        .text("/etc/passwd", 0o644, passwd_text)
        .text("/etc/group", 0o644, group_text)
        .exe("/usr/sbin/nginx", 1_420_000)
        .exe("/usr/sbin/nginx-debug", 1_480_000)
        .text("/etc/nginx/nginx.conf", 0o644, NGINX_CONF)
        .text("/etc/nginx/conf.d/default.conf", 0o644, DEFAULT_CONF)
        .text("/usr/share/nginx/html/index.html", 0o644, INDEX_HTML)
        .text(
            "/usr/share/nginx/html/50x.html",
            0o644,
            "<!DOCTYPE html>\n<html><body><h1>An error occurred.</h1></body></html>\n",
        )
        .link("/var/log/nginx/access.log", "/dev/stdout")
        .link("/var/log/nginx/error.log", "/dev/stderr")
        .dirs(0o755, "/var/cache/nginx /etc/nginx/modules")
        .bulk("/usr/lib/nginx/modules", 12, 10, "ngx_#_module.so")
        .bulk(
            if alpine {
                "/usr/lib"
            } else {
                "/usr/lib/x86_64-linux-gnu"
            },
            80,
            60,
            "lib#.so.2",
        )
        .bulk("/usr/share/doc", if alpine { 1 } else { 60 }, 1, "#");
    img = img.layer(
        date,
        "RUN /bin/sh -c set -x     && groupadd --system --gid 101 nginx     && useradd --system --gid nginx --no-create-home --home /nonexistent --comment \"nginx user\" --shell /bin/false --uid 101 nginx     && apt-get update     && apt-get install --no-install-recommends --no-install-suggests -y gnupg1 ca-certificates     && apt-get install --no-install-recommends --no-install-suggests -y $nginxPackages gettext-base curl     && rm -rf /var/lib/apt/lists/*     && ln -sf /dev/stdout /var/log/nginx/access.log     && ln -sf /dev/stderr /var/log/nginx/error.log     && mkdir /docker-entrypoint.d # buildkit",
        install,
    );
    let scripts = [
        ("docker-entrypoint.sh", "/docker-entrypoint.sh", ENTRYPOINT),
        ("10-listen-on-ipv6-by-default.sh", "/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh", "#!/bin/sh\n# Add `listen [::]:80` to default.conf when IPv6 is available.\nexit 0\n"),
        ("15-local-resolvers.envsh", "/docker-entrypoint.d/15-local-resolvers.envsh", "#!/bin/sh\n# Export NGINX_LOCAL_RESOLVERS from /etc/resolv.conf when asked to.\n"),
        ("20-envsubst-on-templates.sh", "/docker-entrypoint.d/20-envsubst-on-templates.sh", "#!/bin/sh\n# Render /etc/nginx/templates/*.template with envsubst into conf.d.\nexit 0\n"),
        ("30-tune-worker-processes.sh", "/docker-entrypoint.d/30-tune-worker-processes.sh", "#!/bin/sh\n# Match worker_processes to the CPU quota when NGINX_ENTRYPOINT_WORKER_PROCESSES_AUTOTUNE is set.\nexit 0\n"),
    ];
    for (name, path, text) in scripts {
        let dest = if path.starts_with("/docker-entrypoint.d/") {
            "/docker-entrypoint.d"
        } else {
            "/"
        };
        img = img.layer(
            date,
            &format!("COPY {name} {dest} # buildkit"),
            LayerSpec::new(format!("nginx/{version}/{fl}/{name}"), date, 0).text(path, 0o755, text),
        );
    }
    let size: u64 = img
        .steps
        .iter()
        .filter_map(|s| s.layer.as_ref())
        .map(|l| l.size.max(l.explicit_bytes()))
        .sum();
    img.entrypoint(date, &["/docker-entrypoint.sh"])
        .expose(date, "80/tcp")
        .stop_signal(date, "SIGQUIT")
        .cmd(date, &["nginx", "-g", "daemon off;"])
        .expect(
            size,
            if alpine {
                "Docker Hub library/nginx tag alpine (~48 MB in `docker images`), recalled"
            } else {
                "Docker Hub library/nginx tag latest (192 MB in `docker images`), recalled"
            },
        )
}

/// `distroless/static` and `distroless/base` (no Debian suffix) point at the current
/// Debian release's images: the same layers and config under a second repository.
fn unsuffixed(img: &ImageSpec) -> ImageSpec {
    let mut alias = img.clone();
    alias.path = alias.path.trim_end_matches("-debian12").to_owned();
    alias.description = format!("{} (alias of the -debian12 repository)", alias.description);
    alias
}

fn distroless(base: bool, nonroot: bool) -> ImageSpec {
    let name = if base {
        "distroless/base-debian12"
    } else {
        "distroless/static-debian12"
    };
    let mut tags = vec![if nonroot { "nonroot" } else { "latest" }];
    tags.push(if nonroot {
        "nonroot-amd64"
    } else {
        "latest-amd64"
    });
    let desc = format!(
        "Distroless {} for Debian 12: {}{}",
        if base { "base" } else { "static" },
        if base {
            "glibc, libssl and CA certificates, no shell"
        } else {
            "CA certificates, tzdata and /etc/passwd only, no libc, no shell"
        },
        if nonroot {
            ", runs as nonroot (65532)"
        } else {
            ""
        }
    );
    let users = "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n";
    let groups = "root:x:0:\nnobody:x:65534:\ntty:x:5:\nstaff:x:50:\nnonroot:x:65532:\n";
    let mut img = ImageSpec::root("gcr.io", name, &tags, &desc)
        .platforms(&[("amd64", None), ("arm64", None), ("arm", Some("v7")), ("s390x", None), ("ppc64le", None)])
        .layer(
            0,
            "bazel build @debian12//base-files",
            LayerSpec::new("distroless/debian12/base-files", 0, mb(1.85))
                .dirs(0o755, "/bin /boot /dev /etc /home /lib /proc /run /sbin /sys /usr/bin /usr/lib /usr/sbin \
                    /usr/share /var")
                .dirs(0o700, "/root")
                .dirs(0o1777, "/tmp")
                .dir_owned("/home/nonroot", 0o700, 65532, 65532)
                .text("/etc/debian_version", 0o644, "12.8\n")
                .text("/etc/os-release", 0o644, "PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nID=\"debian\"\nVERSION_ID=\"12\"\nVERSION=\"Debian GNU/Linux 12 (bookworm)\"\nHOME_URL=\"https://github.com/GoogleContainerTools/distroless\"\nSUPPORT_URL=\"https://github.com/GoogleContainerTools/distroless/blob/master/README.md\"\nBUG_REPORT_URL=\"https://github.com/GoogleContainerTools/distroless/issues/new\"\n")
                .text("/etc/passwd", 0o644, users)
                .text("/etc/group", 0o644, groups)
                .text("/etc/nsswitch.conf", 0o644, "passwd:         files\ngroup:          files\nshadow:         files\nhosts:          files dns\nnetworks:       files\nprotocols:      files\nservices:       files\n")
                .bulk("/usr/share/zoneinfo", 40, 1, "#"),
        )
        .layer(
            0,
            "bazel build @debian12//ca-certificates",
            LayerSpec::new("distroless/debian12/ca-certificates", 0, mb(0.25))
                .blob("/etc/ssl/certs/ca-certificates.crt", 0o644, 221_000),
        )
        .layer(
            0,
            "bazel build @debian12//netbase",
            LayerSpec::new("distroless/debian12/netbase", 0, 0)
                .text("/etc/services", 0o644, "ssh\t\t22/tcp\nhttp\t\t80/tcp\t\twww\nhttps\t\t443/tcp\n")
                .text("/etc/protocols", 0o644, "ip\t0\tIP\ntcp\t6\tTCP\nudp\t17\tUDP\n"),
        );
    if base {
        img = img.layer(
            0,
            "bazel build @debian12//libc6 @debian12//libssl3 @debian12//openssl",
            LayerSpec::new("distroless/debian12/base-libs", 0, mb(18.7))
                .exe("/lib/x86_64-linux-gnu/libc.so.6", 1_922_136)
                .exe("/lib64/ld-linux-x86-64.so.2", 210_968)
                .exe("/usr/bin/openssl", 1_100_000)
                .bulk("/usr/lib/x86_64-linux-gnu", 40, 1, "lib#.so.3"),
        );
    }
    img.config
        .env
        .push("SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt".to_owned());
    img.config.user = Some(if nonroot { "65532" } else { "0" }.to_owned());
    img.config.working_dir = Some(if nonroot { "/home/nonroot" } else { "/" }.to_owned());
    let size: u64 = img
        .steps
        .iter()
        .filter_map(|s| s.layer.as_ref())
        .map(|l| l.size.max(l.explicit_bytes()))
        .sum();
    let source = if base {
        "gcr.io/distroless/base-debian12 ~20.7 MB (distroless README size table: base ~20 MB), recalled"
    } else {
        "GoogleContainerTools/distroless README: \"gcr.io/distroless/static-debian12, is around 2 MiB\""
    };
    img.domain("gcr.io").expect(size, source)
}

/// nginx and distroless images.
pub(crate) fn images(b: &Bases) -> Vec<ImageSpec> {
    let mut v = vec![
        nginx(
            b,
            "1.27.3",
            &[
                "latest",
                "1.27",
                "1.27.3",
                "mainline",
                "bookworm",
                "1.27.3-bookworm",
                "mainline-bookworm",
            ],
            false,
        ),
        nginx(
            b,
            "1.26.2",
            &[
                "stable",
                "1.26",
                "1.26.2",
                "stable-bookworm",
                "1.26.2-bookworm",
            ],
            false,
        ),
        nginx(
            b,
            "1.27.3",
            &[
                "alpine",
                "1.27-alpine",
                "1.27.3-alpine",
                "mainline-alpine",
                "alpine3.20",
            ],
            true,
        ),
    ];
    let distroless = [
        distroless(false, false),
        distroless(false, true),
        distroless(true, false),
        distroless(true, true),
    ];
    v.extend(distroless.iter().map(unsuffixed));
    v.extend(distroless);
    v
}
