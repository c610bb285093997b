//! Language images: python, node, golang, rust, each in full (buildpack-deps),
//! `-slim` (debian slim) and `-alpine` flavours.
//!
//! Steps mirror the docker-library Dockerfiles (python: `ENV PATH`, `ENV LANG`,
//! `ENV PYTHON_VERSION`, one build layer, one symlink layer, `CMD ["python3"]`; node:
//! `groupadd/useradd node` (uid 1000), `ENV NODE_VERSION`, the node tarball, yarn,
//! `docker-entrypoint.sh`; golang: gcc toolchain, `ENV GOLANG_VERSION`, `/usr/local/go`,
//! `GOPATH=/go`, `WORKDIR /go`; rust: `ENV RUSTUP_HOME CARGO_HOME PATH RUST_VERSION`,
//! one rustup layer). Sizes not found in a citable source are estimates from those
//! layers and say so.

use super::alpine::{ALPINE_GROUP, ALPINE_PASSWD};
use super::{day, group, passwd, Bases, User, DEBIAN_GROUPS, DEBIAN_USERS, DEFAULT_PATH};
use crate::spec::{mb, ImageSpec, LayerSpec};

const DATE: i64 = day(2024, 12, 6);

#[derive(Clone, Copy, PartialEq, Eq)]
enum Flavor {
    Full,
    Slim,
    Alpine,
}

impl Flavor {
    fn suffix(self) -> &'static str {
        match self {
            Flavor::Full => "",
            Flavor::Slim => "-slim",
            Flavor::Alpine => "-alpine",
        }
    }
}

/// The parent of a flavour: buildpack-deps, debian slim, or alpine.
fn parent<'a>(b: &Bases<'a>, f: Flavor, debian: &str, alpine: &str) -> &'a ImageSpec {
    match f {
        Flavor::Full => b.get("buildpack-deps", debian),
        Flavor::Slim => b.get("debian", &format!("{debian}-slim")),
        Flavor::Alpine => b.get("alpine", alpine),
    }
}

/// Tags `<v>`, `<v.patch>`, `<v>-<debian>` (and `-slim`/`-alpine` forms).
fn tags(
    minor: &str,
    patch: &str,
    f: Flavor,
    debian: &str,
    alpine: &str,
    extra: &[&str],
) -> Vec<String> {
    let s = f.suffix();
    let mut t = vec![format!("{minor}{s}"), format!("{patch}{s}")];
    match f {
        Flavor::Full => t.push(format!("{minor}-{debian}")),
        Flavor::Slim => t.push(format!("{minor}-slim-{debian}")),
        Flavor::Alpine => t.push(format!("{minor}-alpine{alpine}")),
    }
    for e in extra {
        t.push(match (f, *e) {
            (Flavor::Full, e) => e.to_owned(),
            (_, "latest") => f.suffix()[1..].to_owned(),
            (_, e) => format!("{e}{s}"),
        });
    }
    t
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

// --- python -------------------------------------------------------------------------

/// minor, patch, extra tags, sizes (full, slim, alpine) in MB.
const PYTHONS: &[(&str, &str, &[&str], [f64; 3])] = &[
    ("3.13", "3.13.1", &["3", "latest"], [1020.0, 121.0, 45.2]),
    ("3.12", "3.12.8", &[], [1020.0, 124.0, 51.7]),
    ("3.11", "3.11.11", &[], [1010.0, 130.0, 52.4]),
    ("3.10", "3.10.16", &[], [1000.0, 127.0, 50.4]),
    ("3.9", "3.9.21", &[], [997.0, 125.0, 48.9]),
];

fn python(
    b: &Bases,
    (minor, patch, extra, sizes): (&str, &str, &[&str], [f64; 3]),
    f: Flavor,
) -> ImageSpec {
    let (debian, alpine) = ("bookworm", "3.21");
    let p = parent(b, f, debian, alpine);
    let total = sizes[f as usize];
    let own = mb(total)
        - p.steps
            .iter()
            .filter_map(|s| s.layer.as_ref())
            .map(|l| l.size)
            .sum::<u64>();
    let tag_v = tags(minor, patch, f, debian, alpine, extra);
    let desc = format!(
        "Python {patch}{}",
        match f {
            Flavor::Full => " on Debian bookworm with build tools",
            Flavor::Slim => " on Debian bookworm-slim",
            Flavor::Alpine => " on Alpine 3.21",
        }
    );
    let fl = &f.suffix().trim_start_matches('-');
    let key = |what: &str| {
        format!(
            "python/{patch}/{}/{what}",
            if fl.is_empty() { "full" } else { fl }
        )
    };
    let path = format!(
        "/usr/local/bin:{}",
        p.env_value("PATH").unwrap_or(DEFAULT_PATH)
    );
    let mut img = p
        .child("library/python", &refs(&tag_v), &desc)
        .env(DATE, "PATH", &path)
        .env(DATE, "LANG", "C.UTF-8");
    let deps_by = match f {
        Flavor::Full => "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tlibbluetooth-dev \t\ttk-dev \t\tuuid-dev \t; \trm -rf /var/lib/apt/lists/* # buildkit",
        Flavor::Slim => "RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tca-certificates \t\tnetbase \t\ttzdata \t; \trm -rf /var/lib/apt/lists/* # buildkit",
        Flavor::Alpine => "RUN /bin/sh -c set -eux; \tapk add --no-cache \t\tca-certificates \t\ttzdata \t; # buildkit",
    };
    let deps_size = if f == Flavor::Full { own / 8 } else { own / 15 };
    img = img.layer(
        DATE,
        deps_by,
        LayerSpec::new(key("deps"), DATE, deps_size)
            .bulk("/usr/share/zoneinfo", 60, 1, "#")
            .bulk(
                if f == Flavor::Alpine {
                    "/usr/lib"
                } else {
                    "/usr/lib/x86_64-linux-gnu"
                },
                12,
                4,
                "lib#.so.1",
            ),
    );
    img = img
        .env(DATE, "GPG_KEY", "7169605F62C751356D054A26A821E680E5FA6305")
        .env(DATE, "PYTHON_VERSION", patch);
    let build = LayerSpec::new(key("python"), DATE, own - deps_size - own / 100)
        .exe(&format!("/usr/local/bin/python{minor}"), 17_256)
        .exe(&format!("/usr/local/lib/libpython{minor}.so.1.0"), 27_143_200)
        .link(&format!("/usr/local/lib/libpython{minor}.so"), &format!("libpython{minor}.so.1.0"))
        .link("/usr/local/bin/python3", &format!("python{minor}"))
        .text("/usr/local/bin/pip3", 0o755, format!("#!/usr/local/bin/python{minor}\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom pip._internal.cli.main import main\nif __name__ == '__main__':\n    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n    sys.exit(main())\n"))
        .text(&format!("/usr/local/bin/pip{minor}"), 0o755, format!("#!/usr/local/bin/python{minor}\nimport sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n"))
        .text("/usr/local/bin/pydoc3", 0o755, format!("#!/usr/local/bin/python{minor}\nimport pydoc\nif __name__ == '__main__':\n    pydoc.cli()\n"))
        .bulk(&format!("/usr/local/lib/python{minor}"), 700, 55, "#.py")
        .bulk(&format!("/usr/local/lib/python{minor}/lib-dynload"), 70, 15, "_#.cpython.so")
        .bulk(&format!("/usr/local/lib/python{minor}/site-packages/pip"), 300, 15, "#.py")
        .bulk(&format!("/usr/local/include/python{minor}"), 90, 3, "#.h");
    img = img.layer(
        DATE,
        "RUN /bin/sh -c set -eux; \twget -O python.tar.xz \"https://www.python.org/ftp/python/${PYTHON_VERSION%%[a-z]*}/Python-$PYTHON_VERSION.tar.xz\"; \t./configure --enable-optimizations --enable-shared --with-lto; \tmake -j \"$nproc\"; \tmake install; \tldconfig; \tpython3 --version # buildkit",
        build,
    );
    img = img.layer(
        DATE,
        "RUN /bin/sh -c set -eux; \tfor src in idle3 pip3 pydoc3 python3 python3-config; do \t\tdst=\"$(echo \"$src\" | tr -d 3)\"; \t\t[ -s \"/usr/local/bin/$src\" ]; \t\t[ ! -e \"/usr/local/bin/$dst\" ]; \t\tln -svT \"$src\" \"/usr/local/bin/$dst\"; \tdone # buildkit",
        LayerSpec::new(key("links"), DATE, 0)
            .link("/usr/local/bin/python", "python3")
            .link("/usr/local/bin/pip", "pip3")
            .link("/usr/local/bin/pydoc", "pydoc3")
            .link("/usr/local/bin/idle", "idle3"),
    );
    img.cmd(DATE, &["python3"])
        .expect(mb(total), "estimate: Docker Hub library/python sizes (full ~1.0 GB, slim ~125 MB, alpine ~50 MB), per-version figures recalled")
}

// --- node ---------------------------------------------------------------------------

/// major, full version, debian, alpine, extra tags, sizes (full, slim, alpine) in MB.
type NodeRow = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    [f64; 3],
);
const NODES: &[NodeRow] = &[
    (
        "22",
        "22.12.0",
        "bookworm",
        "3.21",
        &["lts", "latest", "jod"],
        [1120.0, 220.0, 155.0],
    ),
    (
        "20",
        "20.18.1",
        "bookworm",
        "3.21",
        &["iron"],
        [1100.0, 200.0, 135.0],
    ),
    (
        "18",
        "18.20.5",
        "bookworm",
        "3.21",
        &["hydrogen"],
        [1090.0, 191.0, 127.0],
    ),
    (
        "16",
        "16.20.2",
        "bullseye",
        "3.18",
        &["gallium"],
        [909.0, 175.0, 115.0],
    ),
];

const NODE_USER: User = ("node", 1000, 1000, "", "/home/node", "/bin/bash");

const NODE_ENTRYPOINT: &str = "#!/bin/sh\nset -e\n\n# Run \"node\" when the first argument is an option or not a command on PATH.\nif [ \"${1#-}\" != \"$1\" ] || [ -z \"$(command -v \"$1\")\" ]; then\n  set -- node \"$@\"\nfi\n\nexec \"$@\"\n";

fn node(b: &Bases, row: &NodeRow, f: Flavor) -> ImageSpec {
    let &(major, version, debian, alpine, extra, sizes) = row;
    let p = parent(b, f, debian, alpine);
    let total = sizes[f as usize];
    let own = mb(total).saturating_sub(
        p.steps
            .iter()
            .filter_map(|s| s.layer.as_ref())
            .map(|l| l.size)
            .sum::<u64>(),
    );
    let minor = &version[..version.rfind('.').unwrap_or(version.len())];
    let mut t = tags(major, version, f, debian, alpine, extra);
    t.push(format!("{minor}{}", f.suffix()));
    let fl = if f == Flavor::Full {
        "full"
    } else {
        &f.suffix()[1..]
    };
    let key = |what: &str| format!("node/{version}/{fl}/{what}");
    let desc = format!(
        "Node.js {version} with npm and yarn{}",
        match f {
            Flavor::Full => format!(" on Debian {debian} with build tools"),
            Flavor::Slim => format!(" on Debian {debian}-slim"),
            Flavor::Alpine => format!(" on Alpine {alpine}"),
        }
    );
    let mut img = p.child("library/node", &refs(&t), &desc);
    let user_layer = if f == Flavor::Alpine {
        LayerSpec::new(key("user"), DATE, 0)
            .text(
                "/etc/passwd",
                0o644,
                format!("{ALPINE_PASSWD}node:x:1000:1000::/home/node:/bin/sh\n"),
            )
            .text("/etc/group", 0o644, format!("{ALPINE_GROUP}node:x:1000:\n"))
            .dir_owned("/home/node", 0o755, 1000, 1000)
    } else {
        let mut users = DEBIAN_USERS.to_vec();
        users.push(NODE_USER);
        let mut groups = DEBIAN_GROUPS.to_vec();
        groups.push(("node", 1000));
        LayerSpec::new(key("user"), DATE, 0)
            .text("/etc/passwd", 0o644, passwd(&users))
            .text("/etc/group", 0o644, group(&groups))
            .dir_owned("/home/node", 0o755, 1000, 1000)
    };
    let user_by = if f == Flavor::Alpine {
        "RUN /bin/sh -c addgroup -g 1000 node     && adduser -u 1000 -G node -s /bin/sh -D node # buildkit"
    } else {
        "RUN /bin/sh -c groupadd --gid 1000 node   && useradd --uid 1000 --gid node --shell /bin/bash --create-home node # buildkit"
    };
    img = img
        .layer(DATE, user_by, user_layer)
        .env(DATE, "NODE_VERSION", version);
    let node_size = own * 95 / 100;
    // Alpine's is musl: docker-library installs the unofficial musl build and asks apk,
    // not dpkg, for the architecture.
    let node_by = if f == Flavor::Alpine {
        "RUN /bin/sh -c ARCH= && alpineArch=\"$(apk --print-arch)\"   && apk add --no-cache libstdc++   && curl -fsSLO --compressed \"https://unofficial-builds.nodejs.org/download/release/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz\"   && tar -xJf \"node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz\" -C /usr/local --strip-components=1 --no-same-owner   && ln -s /usr/local/bin/node /usr/local/bin/nodejs   && node --version   && npm --version # buildkit"
    } else {
        "RUN /bin/sh -c ARCH= && dpkgArch=\"$(dpkg --print-architecture)\"   && curl -fsSLO --compressed \"https://nodejs.org/dist/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH.tar.xz\"   && tar -xJf \"node-v$NODE_VERSION-linux-$ARCH.tar.xz\" -C /usr/local --strip-components=1 --no-same-owner   && ln -s /usr/local/bin/node /usr/local/bin/nodejs   && node --version   && npm --version # buildkit"
    };
    img = img.layer(
        DATE,
        node_by,
        LayerSpec::new(key("node"), DATE, node_size)
            .exe("/usr/local/bin/node", node_size / 2)
            .link("/usr/local/bin/nodejs", "/usr/local/bin/node")
            .link("/usr/local/bin/npm", "../lib/node_modules/npm/bin/npm-cli.js")
            .link("/usr/local/bin/npx", "../lib/node_modules/npm/bin/npx-cli.js")
            .link("/usr/local/bin/corepack", "../lib/node_modules/corepack/dist/corepack.js")
            .text("/usr/local/lib/node_modules/npm/package.json", 0o644, format!("{{\n  \"name\": \"npm\",\n  \"version\": \"{}\",\n  \"bin\": {{ \"npm\": \"bin/npm-cli.js\", \"npx\": \"bin/npx-cli.js\" }}\n}}\n", npm_version(major)))
            .text("/usr/local/lib/node_modules/npm/bin/npm-cli.js", 0o755, "#!/usr/bin/env node\nrequire('../lib/cli.js')(process)\n")
            .text("/usr/local/lib/node_modules/npm/bin/npx-cli.js", 0o755, "#!/usr/bin/env node\nrequire('../lib/cli.js')(process, 'npx')\n")
            .text("/usr/local/lib/node_modules/corepack/dist/corepack.js", 0o755, "#!/usr/bin/env node\nrequire('./lib/corepack.cjs').runMain(process.argv.slice(2));\n")
            .bulk("/usr/local/lib/node_modules/npm/node_modules", 900, 60, "#.js")
            .bulk("/usr/local/include/node", 120, 8, "#.h")
            .bulk("/usr/local/share/doc/node", 10, 1, "#.md"),
    );
    img = img.env(DATE, "YARN_VERSION", "1.22.22").layer(
        DATE,
        "RUN /bin/sh -c set -ex   && curl -fsSLO --compressed \"https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz\"   && mkdir -p /opt   && tar -xzf yarn-v$YARN_VERSION.tar.gz -C /opt/   && ln -s /opt/yarn-v$YARN_VERSION/bin/yarn /usr/local/bin/yarn   && ln -s /opt/yarn-v$YARN_VERSION/bin/yarnpkg /usr/local/bin/yarnpkg   && yarn --version # buildkit",
        LayerSpec::new(key("yarn"), DATE, own - node_size)
            .text("/opt/yarn-v1.22.22/bin/yarn", 0o755, "#!/bin/sh\nexec node \"$(dirname \"$0\")/../lib/cli.js\" \"$@\"\n")
            .link("/usr/local/bin/yarn", "/opt/yarn-v1.22.22/bin/yarn")
            .link("/usr/local/bin/yarnpkg", "/opt/yarn-v1.22.22/bin/yarn")
            .bulk("/opt/yarn-v1.22.22/lib", 3, 1, "#.js"),
    );
    img.layer(
        DATE,
        "COPY docker-entrypoint.sh /usr/local/bin/ # buildkit",
        LayerSpec::new(key("entrypoint"), DATE, 0).text("/usr/local/bin/docker-entrypoint.sh", 0o755, NODE_ENTRYPOINT),
    )
    .entrypoint(DATE, &["docker-entrypoint.sh"])
    .cmd(DATE, &["node"])
    .expect(
        mb(total),
        if major == "22" {
            "labs.iximiuz.com/tutorials/how-to-choose-nodejs-container-image (`docker images`: node:22 1.12GB, node:22-slim 220MB, node:22-alpine 155MB)"
        } else {
            "estimate: Docker Hub library/node sizes (full ~1.1 GB, slim ~200 MB, alpine ~135 MB), per-version figures recalled"
        },
    )
}

fn npm_version(major: &str) -> &'static str {
    match major {
        "22" => "10.9.0",
        "20" => "10.8.2",
        "18" => "10.8.2",
        _ => "8.19.4",
    }
}

// --- golang -------------------------------------------------------------------------

/// minor, patch, debian, size of /usr/local/go in MB. 1.19 is calibrated on a cited
/// `docker images` figure (golang:1.19-alpine = 354 MB = alpine + certificates + Go);
/// the others are estimates relative to it: Go 1.20 stopped shipping precompiled
/// standard-library archives in `$GOROOT/pkg` (Go 1.20 release notes), which shrank
/// the tree.
const GOS: &[(&str, &str, &str, f64)] = &[
    ("1.23", "1.23.4", "bookworm", 245.0),
    ("1.22", "1.22.10", "bookworm", 235.0),
    ("1.21", "1.21.13", "bookworm", 225.0),
    ("1.20", "1.20.14", "bullseye", 240.0),
    ("1.19", "1.19.13", "bullseye", 346.0),
    ("1.18", "1.18.10", "bullseye", 335.0),
    ("1.17", "1.17.13", "bullseye", 320.0),
    ("1.16", "1.16.15", "bullseye", 305.0),
];

/// Cited by csang.dev/tags/docker (`docker images`: golang:1.19-bullseye 993MB,
/// golang:1.19-alpine 354MB); the bullseye gcc layer is calibrated on it.
const GO_1_19_SOURCE: &str =
    "csang.dev/tags/docker (`docker images`: golang:1.19-bullseye 993MB, golang:1.19-alpine 354MB)";

fn golang(
    b: &Bases,
    &(minor, patch, debian, go_mb): &(&str, &str, &str, f64),
    f: Flavor,
) -> ImageSpec {
    let alpine = if minor >= "1.21" { "3.21" } else { "3.18" };
    let p = match f {
        Flavor::Alpine => b.get("alpine", alpine),
        _ => b.get("buildpack-deps", &format!("{debian}-scm")),
    };
    let mut t = tags(
        minor,
        patch,
        f,
        debian,
        alpine,
        if minor == "1.23" {
            &["1", "latest"]
        } else {
            &[]
        },
    );
    if f == Flavor::Full {
        t.push(format!("{patch}-{debian}"));
    }
    let fl = if f == Flavor::Full { "full" } else { "alpine" };
    let key = |what: &str| format!("golang/{patch}/{fl}/{what}");
    let desc = format!(
        "Go {patch} toolchain{}",
        if f == Flavor::Alpine {
            format!(" on Alpine {alpine}")
        } else {
            format!(" on Debian {debian} with gcc")
        }
    );
    let mut img = p.child("library/golang", &refs(&t), &desc);
    let (deps_by, deps_size) = if f == Flavor::Alpine {
        (
            "RUN /bin/sh -c apk add --no-cache ca-certificates # buildkit",
            mb(0.6),
        )
    } else {
        // bookworm: estimate; bullseye: calibrated so that golang:1.19 is 993 MB.
        let gcc = if debian == "bullseye" { 385.7 } else { 182.0 };
        ("RUN /bin/sh -c set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends \t\tg++ \t\tgcc \t\tlibc6-dev \t\tmake \t\tpkg-config \t; \trm -rf /var/lib/apt/lists/* # buildkit", mb(gcc))
    };
    img = img.layer(
        DATE,
        deps_by,
        if f == Flavor::Alpine {
            LayerSpec::new(key("deps"), DATE, deps_size).bulk("/etc/ssl/certs", 20, 1, "#.pem")
        } else {
            LayerSpec::new(key("deps"), DATE, deps_size)
                .tools("/usr/bin", "gcc g++ cc c++ cpp make ld as ar pkg-config")
                .bulk("/usr/lib/gcc/x86_64-linux-gnu/12", 20, 1, "#")
        },
    );
    let path = format!(
        "/go/bin:/usr/local/go/bin:{}",
        p.env_value("PATH").unwrap_or(DEFAULT_PATH)
    );
    img = img
        .env(DATE, "GOLANG_VERSION", patch)
        .env(DATE, "GOTOOLCHAIN", "local")
        .env(DATE, "GOPATH", "/go")
        .env(DATE, "PATH", &path);
    img = img.layer(
        DATE,
        "COPY /target/ / # buildkit",
        LayerSpec::new(key("go"), DATE, mb(go_mb))
            .exe("/usr/local/go/bin/go", 14_000_000)
            .exe("/usr/local/go/bin/gofmt", 3_000_000)
            .text(
                "/usr/local/go/VERSION",
                0o644,
                format!("go{patch}\ntime 2024-12-02T00:00:00Z\n"),
            )
            .bulk("/usr/local/go/pkg/tool/linux_amd64", 18, 30, "#")
            .bulk("/usr/local/go/src", 900, 40, "#.go")
            .bulk("/usr/local/go/pkg/include", 10, 1, "#.h")
            .bulk("/usr/local/go/lib/time", 1, 1, "zoneinfo#.zip"),
    );
    img.layer(
        DATE,
        "RUN /bin/sh -c mkdir -p \"$GOPATH/src\" \"$GOPATH/bin\" && chmod -R 1777 \"$GOPATH\" # buildkit",
        LayerSpec::new(key("gopath"), DATE, 0).dirs(0o1777, "/go /go/src /go/bin"),
    )
    .workdir(DATE, "/go", key("workdir"))
    .expect(
        match (minor, f) {
            ("1.19", Flavor::Alpine) => mb(354.0),
            ("1.19", _) => mb(993.0),
            _ => mb(go_mb) + deps_size + p.steps.iter().filter_map(|s| s.layer.as_ref()).map(|l| l.size).sum::<u64>(),
        },
        if minor == "1.19" {
            GO_1_19_SOURCE
        } else {
            "estimate: parent + gcc layer + /usr/local/go (release tarball, unpacked), relative to the cited golang:1.19 figures"
        },
    )
}

// --- rust ---------------------------------------------------------------------------

fn rust(b: &Bases, f: Flavor) -> ImageSpec {
    let (debian, alpine) = ("bookworm", "3.21");
    let p = parent(b, f, debian, alpine);
    let t = tags("1.83", "1.83.0", f, debian, alpine, &["1", "latest"]);
    let fl = if f == Flavor::Full {
        "full"
    } else {
        &f.suffix()[1..]
    };
    let toolchain = match f {
        Flavor::Full => 600.0,
        Flavor::Slim => 700.0,
        Flavor::Alpine => 840.0,
    };
    let path = format!(
        "/usr/local/cargo/bin:{}",
        p.env_value("PATH").unwrap_or(DEFAULT_PATH)
    );
    let host = if f == Flavor::Alpine {
        "x86_64-unknown-linux-musl"
    } else {
        "x86_64-unknown-linux-gnu"
    };
    let tc = format!("/usr/local/rustup/toolchains/1.83.0-{host}");
    let img = p
        .child(
            "library/rust",
            &refs(&t),
            &format!(
                "Rust 1.83.0 with cargo, rustup, clippy and rustfmt{}",
                match f {
                    Flavor::Full => " on Debian bookworm",
                    Flavor::Slim => " on Debian bookworm-slim (with gcc)",
                    Flavor::Alpine => " on Alpine 3.21 (musl)",
                }
            ),
        )
        .envs(
            DATE,
            &[
                ("RUSTUP_HOME", "/usr/local/rustup"),
                ("CARGO_HOME", "/usr/local/cargo"),
                ("PATH", &path),
                ("RUST_VERSION", "1.83.0"),
            ],
        );
    let by = match f {
        Flavor::Alpine => "RUN /bin/sh -c apk add --no-cache ca-certificates gcc musl-dev; \twget \"https://static.rust-lang.org/rustup/archive/1.27.1/${rustArch}/rustup-init\"; \tchmod +x rustup-init; \t./rustup-init -y --no-modify-path --profile minimal --default-toolchain $RUST_VERSION --default-host ${rustArch}; \trustup --version; \tcargo --version; \trustc --version; # buildkit",
        _ => "RUN /bin/sh -c set -eux; \tdpkgArch=\"$(dpkg --print-architecture)\"; \twget \"https://static.rust-lang.org/rustup/archive/1.27.1/${rustArch}/rustup-init\"; \tchmod +x rustup-init; \t./rustup-init -y --no-modify-path --profile minimal --default-toolchain $RUST_VERSION --default-host ${rustArch}; \trm rustup-init; \tchmod -R a+w $RUSTUP_HOME $CARGO_HOME; \trustup --version; \tcargo --version; \trustc --version; # buildkit",
    };
    let layer = LayerSpec::new(format!("rust/1.83.0/{fl}/rustup"), DATE, mb(toolchain))
        .exe("/usr/local/cargo/bin/rustup", 16_500_000)
        .links("/usr/local/cargo/bin", "cargo rustc rustdoc cargo-clippy clippy-driver cargo-fmt rustfmt rust-gdb rust-lldb", "rustup")
        .exe(&format!("{tc}/bin/cargo"), 33_000_000)
        .exe(&format!("{tc}/bin/rustc"), 600_000)
        .exe(&format!("{tc}/lib/librustc_driver.so"), 150_000_000)
        .text("/usr/local/rustup/settings.toml", 0o644, format!("version = \"12\"\ndefault_toolchain = \"1.83.0-{host}\"\nprofile = \"minimal\"\n\n[overrides]\n"))
        .bulk(&format!("{tc}/lib/rustlib/{host}/lib"), 60, 80, "lib#.rlib")
        .bulk(&format!("{tc}/share/doc"), 20, 1, "#.md");
    let mut img = img.layer(DATE, by, layer);
    if f == Flavor::Slim {
        if let Some(s) = img.steps.last_mut() {
            s.created_by = s.created_by.replace("set -eux;", "set -eux; \tapt-get update; \tapt-get install -y --no-install-recommends ca-certificates gcc libc6-dev wget;");
        }
    }
    let size: u64 = img
        .steps
        .iter()
        .filter_map(|s| s.layer.as_ref())
        .map(|l| l.size)
        .sum();
    img.expect(size, "estimate: Docker Hub library/rust 1.83 (full ~1.47 GB, slim ~780 MB, alpine ~850 MB); toolchain layer sized to match")
}

/// python, node, golang and rust images.
pub(crate) fn images(b: &Bases) -> Vec<ImageSpec> {
    let mut v = Vec::new();
    for f in [Flavor::Full, Flavor::Slim, Flavor::Alpine] {
        for &row in PYTHONS {
            v.push(python(b, row, f));
        }
    }
    for f in [Flavor::Full, Flavor::Slim, Flavor::Alpine] {
        for row in NODES {
            v.push(node(b, row, f));
        }
    }
    for f in [Flavor::Full, Flavor::Alpine] {
        for row in GOS {
            v.push(golang(b, row, f));
        }
    }
    for f in [Flavor::Full, Flavor::Slim, Flavor::Alpine] {
        v.push(rust(b, f));
    }
    v
}
