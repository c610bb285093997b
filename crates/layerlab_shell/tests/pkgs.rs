//! Package managers and downloads on the real catalog base images: what a `RUN` step
//! with `apk`, `pip`, `npm`, `go`, `mvn`, `curl` or `wget` leaves in the layer.

use layerlab_catalog::Catalog;
use layerlab_image::Platform;
use layerlab_shell::{run, RunOutcome, RunRequest};
use layerlab_vfs::{Content, Fs, Meta, Node, VfsPath};

/// The merged root of a catalog image and its config `Env`.
fn image(reference: &str) -> (Fs, Vec<(String, String)>) {
    let amd64 = Platform {
        os: "linux".into(),
        architecture: "amd64".into(),
        variant: None,
    };
    let img = Catalog::builtin().resolve(reference, &amd64).unwrap();
    let env = img
        .config
        .config
        .env
        .iter()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    (img.rootfs().unwrap(), env)
}

fn sh(fs: &mut Fs, env: &[(String, String)], script: &str) -> RunOutcome {
    let req = RunRequest {
        env: env.to_vec(),
        ..RunRequest::shell(script)
    };
    run(fs, &req)
}

fn text(fs: &Fs, path: &str) -> String {
    String::from_utf8(fs.read_file(&VfsPath::new(path)).unwrap().to_vec()).unwrap()
}

fn size(fs: &Fs, path: &str) -> u64 {
    fs.read_file(&VfsPath::new(path)).unwrap().len()
}

fn names(fs: &Fs, dir: &str) -> Vec<String> {
    fs.read_dir(&VfsPath::new(dir))
        .map(|e| e.iter().map(|(n, _)| (*n).to_owned()).collect())
        .unwrap_or_default()
}

/// Total bytes of regular files under `dir`.
fn du(fs: &Fs, dir: &str) -> u64 {
    let mut total = 0;
    let Ok(entries) = fs.read_dir(&VfsPath::new(dir)) else {
        return 0;
    };
    for (n, node) in entries {
        let p = format!("{}/{n}", dir.trim_end_matches('/'));
        match node {
            Node::File(f) => total += f.content.len(),
            Node::Dir(_) => total += du(fs, &p),
            _ => {}
        }
    }
    total
}

fn write(fs: &mut Fs, path: &str, body: &str) {
    let p = VfsPath::new(path);
    fs.mkdir_p(&p.parent().unwrap(), Meta::new(0o755)).unwrap();
    fs.write_file(&p, Content::inline(body), Meta::new(0o644))
        .unwrap();
}

// ---- apk -------------------------------------------------------------------

#[test]
fn apk_add_no_cache_installs_curl_and_leaves_no_index() {
    let (mut fs, env) = image("alpine:3.21");
    let out = sh(&mut fs, &env, "apk add --no-cache curl");
    assert!(out.status.success(), "{}", out.stderr());
    let log = out.stdout();
    assert!(log.starts_with(
        "fetch https://dl-cdn.alpinelinux.org/alpine/v3.21/main/x86_64/APKINDEX.tar.gz\n"
    ));
    // The same nine packages as on a real alpine:3.21, curl last.
    assert!(log.contains("(9/9) Installing curl (8.11.1-r0)\n"), "{log}");
    assert!(log.contains("Installing libcurl"), "{log}");
    assert!(
        log.contains("Executing busybox-1.37.0-r8.trigger\n"),
        "{log}"
    );
    assert!(
        log.ends_with(" packages\n") && log.contains("OK: "),
        "{log}"
    );
    assert!(fs.exists(&VfsPath::new("/usr/bin/curl")));
    assert!(names(&fs, "/var/cache/apk").is_empty());
    assert!(text(&fs, "/etc/apk/world").contains("\ncurl\n"));
    let db = text(&fs, "/lib/apk/db/installed");
    assert!(db.starts_with("P:alpine-baselayout\n"), "base records kept");
    assert!(db.contains("P:curl\nV:8.11.1-r0\nA:x86_64\nI:262144\n"));
}

#[test]
fn apk_add_without_no_cache_keeps_the_indexes_in_the_layer() {
    let (mut fs, env) = image("alpine:3.21");
    let out = sh(&mut fs, &env, "apk update && apk add git");
    assert!(out.status.success(), "{}", out.stderr());
    assert!(out.stdout().contains("distinct packages available\n"));
    let cached = names(&fs, "/var/cache/apk");
    assert_eq!(cached.len(), 2, "{cached:?}");
    assert!(cached
        .iter()
        .all(|n| n.starts_with("APKINDEX.") && n.ends_with(".tar.gz")));
    assert!(du(&fs, "/var/cache/apk") > 2_000_000);
    // The second command found the cached indexes and fetched nothing.
    assert_eq!(out.stdout().matches("fetch ").count(), 2);
}

#[test]
fn apk_unknown_package_fails_the_whole_transaction() {
    let (mut fs, env) = image("alpine:3.21");
    let before = text(&fs, "/lib/apk/db/installed");
    let out = sh(&mut fs, &env, "apk add --no-cache curl foo");
    assert_eq!(out.status.code(), 1);
    assert!(out.stdout().ends_with(
        "ERROR: unable to select packages:\n  foo (no such package):\n    required by: world[foo]\n"
    ));
    assert!(!fs.exists(&VfsPath::new("/usr/bin/curl")));
    assert_eq!(text(&fs, "/lib/apk/db/installed"), before);
}

#[test]
fn apk_virtual_group_is_removed_by_del() {
    let (mut fs, env) = image("alpine:3.21");
    let base_db = text(&fs, "/lib/apk/db/installed");
    let out = sh(
        &mut fs,
        &env,
        "apk add --no-cache --virtual .build-deps gcc musl-dev make && apk add --no-cache bash && apk del .build-deps",
    );
    assert!(out.status.success(), "{}", out.stderr());
    let log = out.stdout();
    assert!(
        log.contains("Installing .build-deps (19700101.000000)\n"),
        "{log}"
    );
    assert!(log.contains("Purging gcc (14.2.0-r4)\n"), "{log}");
    assert!(!log.contains("Purging bash"), "{log}");
    assert!(!fs.exists(&VfsPath::new("/usr/bin/gcc")));
    assert!(fs.exists(&VfsPath::new("/bin/bash")));
    let world = text(&fs, "/etc/apk/world");
    assert!(
        !world.contains(".build-deps") && world.contains("bash\n"),
        "{world}"
    );
    let db = text(&fs, "/lib/apk/db/installed");
    assert!(
        db.starts_with(&base_db),
        "the image's records are untouched"
    );
    assert!(!db.contains("P:gcc\n") && db.contains("P:bash\n") && db.contains("P:readline\n"));
}

#[test]
fn apk_as_non_root_cannot_lock_the_database() {
    let (mut fs, env) = image("alpine:3.21");
    let req = RunRequest {
        env,
        user: "nobody".into(),
        ..RunRequest::shell("apk add curl")
    };
    let out = run(&mut fs, &req);
    assert_eq!(out.status.code(), 99);
    assert!(out
        .stderr()
        .starts_with("ERROR: Unable to lock database: Permission denied\n"));
}

#[test]
fn apk_build_base_is_hundreds_of_megabytes() {
    let (mut fs, env) = image("alpine:3.21");
    let before = du(&fs, "/usr");
    let out = sh(&mut fs, &env, "apk add --no-cache build-base");
    assert!(out.status.success(), "{}", out.stderr());
    let added = du(&fs, "/usr") - before;
    assert!((150_000_000..300_000_000).contains(&added), "{added}");
    assert!(size(&fs, "/usr/bin/gcc") > 1_000_000);
}

// ---- pip -------------------------------------------------------------------

const SITE: &str = "/usr/local/lib/python3.12/site-packages";

#[test]
fn pip_install_flask_resolves_dependencies_into_site_packages() {
    let (mut fs, env) = image("python:3.12-slim");
    let out = sh(&mut fs, &env, "pip install flask");
    assert!(out.status.success(), "{}", out.stderr());
    let log = out.stdout();
    assert!(
        log.starts_with("Collecting flask\n  Downloading flask-3.1.0-py3-none-any.whl (102 kB)\n"),
        "{log}"
    );
    assert!(log.contains("Collecting werkzeug (from flask)\n"), "{log}");
    assert!(log.ends_with("Successfully installed Jinja2-3.1.4 MarkupSafe-3.0.2 Werkzeug-3.1.3 blinker-1.9.0 click-8.1.7 flask-3.1.0 itsdangerous-2.2.0\n"), "{log}");
    assert!(out
        .stderr()
        .starts_with("WARNING: Running pip as the 'root' user"));
    assert!(fs.exists(&VfsPath::new(&format!("{SITE}/flask/__init__.py"))));
    assert!(text(&fs, &format!("{SITE}/flask-3.1.0.dist-info/METADATA"))
        .contains("Requires-Dist: werkzeug\n"));
    assert!(fs.exists(&VfsPath::new("/usr/local/bin/flask")));
    // Wheels stay in pip's HTTP cache: the reason for --no-cache-dir.
    let cache = du(&fs, "/root/.cache/pip");
    assert!((500_000..800_000).contains(&cache), "{cache}");
}

#[test]
fn pip_no_cache_dir_and_requirements_file() {
    let (mut fs, env) = image("python:3.12-slim");
    write(
        &mut fs,
        "/app/requirements.txt",
        "# web\nDjango==5.0.1\n-r base.txt\n",
    );
    write(
        &mut fs,
        "/app/base.txt",
        "requests>=2.31  # http\n\ngunicorn\n",
    );
    let req = RunRequest {
        env,
        workdir: "/app".into(),
        ..RunRequest::shell(
            "pip install --no-cache-dir --root-user-action=ignore -r requirements.txt",
        )
    };
    let out = run(&mut fs, &req);
    assert!(out.status.success(), "{}", out.stderr());
    assert_eq!(out.stderr(), "");
    assert!(out.stdout().contains("Django-5.0.1 "), "{}", out.stdout());
    assert!(fs.exists(&VfsPath::new(&format!("{SITE}/django-5.0.1.dist-info"))));
    assert!(fs.exists(&VfsPath::new(&format!("{SITE}/urllib3"))));
    assert!(fs.exists(&VfsPath::new("/usr/local/bin/django-admin")));
    assert!(!fs.exists(&VfsPath::new("/root/.cache/pip")));
    assert!(du(&fs, SITE) > 30_000_000);
}

#[test]
fn pip_unknown_package_fails_with_pips_wording() {
    let (mut fs, env) = image("python:3.12-slim");
    let out = sh(&mut fs, &env, "pip install flask foo");
    assert_eq!(out.status.code(), 1);
    assert_eq!(
        out.stderr(),
        "ERROR: Could not find a version that satisfies the requirement foo (from versions: none)\nERROR: No matching distribution found for foo\n"
    );
    assert!(!fs.exists(&VfsPath::new(&format!("{SITE}/flask"))));
}

#[test]
fn pip_user_installs_under_home_local() {
    let (mut fs, env) = image("python:3.12-slim");
    let out = sh(
        &mut fs,
        &env,
        "pip install --user requests && pip install requests",
    );
    assert!(out.status.success(), "{}", out.stderr());
    assert!(fs.exists(&VfsPath::new(
        "/root/.local/lib/python3.12/site-packages/requests/__init__.py"
    )));
    assert!(
        !fs.exists(&VfsPath::new(&format!("{SITE}/requests")))
            || out.stdout().contains("Successfully installed")
    );
}

#[test]
fn pip_as_non_root_defaults_to_a_user_installation() {
    let (mut fs, env) = image("python:3.12-slim");
    sh(&mut fs, &env, "useradd -m app");
    let req = RunRequest {
        env,
        user: "app".into(),
        ..RunRequest::shell("pip install six")
    };
    let out = run(&mut fs, &req);
    assert!(out.status.success(), "{}", out.stderr());
    assert!(out.stdout().starts_with(
        "Defaulting to user installation because normal site-packages is not writeable\n"
    ));
    assert!(fs.exists(&VfsPath::new(
        "/home/app/.local/lib/python3.12/site-packages/six.py"
    )));
    assert_eq!(out.stderr(), "", "no root warning for a user install");
}

#[test]
fn pip_already_satisfied_and_missing_requirements_file() {
    let (mut fs, env) = image("python:3.12-slim");
    let out = sh(
        &mut fs,
        &env,
        "pip install -q six; pip install six; pip install -r nope.txt",
    );
    assert_eq!(out.status.code(), 1);
    assert!(out.stdout().contains(&format!(
        "Requirement already satisfied: six in {SITE} (1.17.0)\n"
    )));
    assert!(out.stderr().ends_with("ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'nope.txt'\n"));
}

#[test]
fn pip_on_an_image_without_python_is_not_found() {
    let (mut fs, env) = image("alpine:3.21");
    let out = sh(&mut fs, &env, "pip install flask");
    assert_eq!(out.status.code(), 127);
    assert_eq!(out.stderr(), "/bin/sh: pip: not found\n");
}

#[test]
fn pip_from_the_distribution_is_externally_managed() {
    let (mut fs, env) = image("alpine:3.21");
    let out = sh(
        &mut fs,
        &env,
        "apk add --no-cache py3-pip && pip install flask",
    );
    assert_eq!(out.status.code(), 1);
    assert!(out
        .stderr()
        .starts_with("error: externally-managed-environment\n"));
    let out = sh(&mut fs, &env, "pip install --break-system-packages flask");
    assert!(out.status.success(), "{}", out.stderr());
    assert!(fs.exists(&VfsPath::new("/usr/lib/python3.12/site-packages/flask")));
}

// ---- npm and yarn ----------------------------------------------------------

const PACKAGE_JSON: &str = r#"{
  "name": "web",
  "version": "1.2.0",
  "scripts": {
    "build": "tsc -p .",
    "lint": "echo linting > lint.txt"
  },
  "dependencies": {
    "express": "^4.21.2",
    "left-pad-ish": "^1.0.0"
  },
  "devDependencies": {
    "typescript": "^5.7.2"
  }
}
"#;

fn in_app(fs: &mut Fs, env: &[(String, String)], script: &str) -> RunOutcome {
    let req = RunRequest {
        env: env.to_vec(),
        workdir: "/app".into(),
        ..RunRequest::shell(script)
    };
    run(fs, &req)
}

#[test]
fn npm_install_reads_package_json_and_fills_node_modules() {
    let (mut fs, env) = image("node:22-slim");
    write(&mut fs, "/app/package.json", PACKAGE_JSON);
    write(
        &mut fs,
        "/app/src/index.ts",
        &"export const x = 1;\n".repeat(500),
    );
    let out = in_app(
        &mut fs,
        &env,
        "npm install && npm run build && npm run lint",
    );
    assert!(out.status.success(), "{}", out.stderr());
    let log = out.stdout();
    assert!(
        log.starts_with("\nadded 74 packages, and audited 75 packages in "),
        "{log}"
    );
    assert!(log.contains("\n> web@1.2.0 build\n> tsc -p .\n\n"), "{log}");
    assert!(du(&fs, "/app/node_modules/express") > 2_000_000);
    assert!(du(&fs, "/app/node_modules/typescript") > 20_000_000);
    assert!(fs.exists(&VfsPath::new("/app/node_modules/.bin/tsc")));
    assert!(fs.exists(&VfsPath::new("/app/package-lock.json")));
    assert!(text(&fs, "/app/package-lock.json").contains("\"lockfileVersion\": 3"));
    assert!(size(&fs, "/app/dist/index.js") > 8_000);
    assert_eq!(text(&fs, "/app/lint.txt"), "linting\n");
    // The unknown package is installed with a default size, and said so.
    assert!(out
        .warnings
        .iter()
        .any(|w| w.code == "simulated-package" && w.message.contains("left-pad-ish")));
    assert!(du(&fs, "/root/.npm/_cacache") > 1_000_000);
}

#[test]
fn npm_ci_needs_a_lockfile_and_omit_dev_skips_dev_dependencies() {
    let (mut fs, env) = image("node:22-slim");
    write(&mut fs, "/app/package.json", PACKAGE_JSON);
    let out = in_app(&mut fs, &env, "npm ci");
    assert_eq!(out.status.code(), 1);
    assert!(
        out.stderr().starts_with("npm error code EUSAGE\n"),
        "{}",
        out.stderr()
    );
    write(
        &mut fs,
        "/app/package-lock.json",
        "{\"lockfileVersion\": 3}",
    );
    let out = in_app(
        &mut fs,
        &env,
        "npm ci --omit=dev && npm cache clean --force",
    );
    assert!(out.status.success(), "{}", out.stderr());
    assert!(fs.exists(&VfsPath::new("/app/node_modules/express/package.json")));
    assert!(!fs.exists(&VfsPath::new("/app/node_modules/typescript")));
    assert!(!fs.exists(&VfsPath::new("/root/.npm/_cacache")));
}

#[test]
fn npm_errors_missing_package_json_and_missing_script() {
    let (mut fs, env) = image("node:22-slim");
    fs.mkdir_p(&VfsPath::new("/app"), Meta::new(0o755)).unwrap();
    let out = in_app(&mut fs, &env, "npm install");
    assert_eq!(out.status.code(), 254);
    assert!(out
        .stderr()
        .contains("npm error enoent Could not read package.json"));
    write(
        &mut fs,
        "/app/package.json",
        "{\"name\": \"a\", \"version\": \"1.0.0\"}",
    );
    let out = in_app(&mut fs, &env, "npm run build");
    assert_eq!(out.status.code(), 1);
    assert!(out
        .stderr()
        .starts_with("npm error Missing script: \"build\"\n"));
    write(&mut fs, "/app/package.json", "{\"name\": ");
    let out = in_app(&mut fs, &env, "npm install");
    assert_eq!(out.status.code(), 1);
    assert!(out.stderr().starts_with("npm error code EJSONPARSE\n"));
}

#[test]
fn npm_install_named_package_updates_package_json() {
    let (mut fs, env) = image("node:22-slim");
    write(
        &mut fs,
        "/app/package.json",
        "{\n  \"name\": \"a\",\n  \"version\": \"1.0.0\"\n}\n",
    );
    let out = in_app(&mut fs, &env, "npm install lodash && npm i -D vite");
    assert!(out.status.success(), "{}", out.stderr());
    assert_eq!(
        text(&fs, "/app/package.json"),
        "{\n  \"name\": \"a\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {\n    \"lodash\": \"^4.17.21\"\n  },\n  \"devDependencies\": {\n    \"vite\": \"^6.0.3\"\n  }\n}\n"
    );
}

#[test]
fn package_json_is_read_as_json_parse_does_and_written_as_json_stringify_does() {
    let (mut fs, env) = image("node:22-slim");
    // A trailing comma is JavaScript, not JSON: npm refuses it, for `run` too.
    write(&mut fs, "/app/package.json", "{\"name\": \"a\",}");
    for cmd in ["npm install", "npm run build"] {
        let out = in_app(&mut fs, &env, cmd);
        assert_eq!(out.status.code(), 1, "{cmd}");
        let err = out.stderr();
        assert!(
            err.starts_with("npm error code EJSONPARSE\nnpm error path /app/package.json\n"),
            "{err}"
        );
        assert!(err.contains("at byte 13"), "{err}");
    }
    // JSON.stringify leaves `<`, `&` and U+2028 alone (Go's encoder would not) and
    // escapes control characters; a repeated key is one member with its last value, and
    // array-index keys come first. A file on one line is written back on one line, with
    // no final newline (npm keeps the layout it read). Expected bytes from node 20:
    // JSON.stringify(JSON.parse(text), null, "") after adding vite, as npm saves it.
    write(
        &mut fs,
        "/app/package.json",
        "{\"name\": \"a\", \"description\": \"<b> & \\u2028 \\b\\u001f\", \"dependencies\": {\"lodash\": \"^3\", \"lodash\": \"^4\"}, \"7\": 0}",
    );
    let out = in_app(&mut fs, &env, "npm install vite");
    assert!(out.status.success(), "{}", out.stderr());
    assert!(out.stdout().starts_with("\nadded "), "{}", out.stdout());
    assert_eq!(
        text(&fs, "/app/package.json"),
        "{\"7\":0,\"name\":\"a\",\"description\":\"<b> & \u{2028} \\b\\u001f\",\"dependencies\":{\"lodash\":\"^4\",\"vite\":\"^6.0.3\"}}"
    );
    // A byte order mark is dropped and bad UTF-8 read as U+FFFD, as Node reads files;
    // tabs and CRLF line breaks are kept. Node: the same steps on these bytes.
    let p = VfsPath::new("/app/package.json");
    let bytes = b"\xef\xbb\xbf{\r\n\t\"name\": \"caf\xe9\"\r\n}\r\n".to_vec();
    fs.write_file(&p, Content::inline(bytes), Meta::new(0o644))
        .unwrap();
    let out = in_app(&mut fs, &env, "npm install vite");
    assert!(out.status.success(), "{}", out.stderr());
    let written = text(&fs, "/app/package.json");
    assert_eq!(
        written,
        "{\r\n\t\"name\": \"caf\u{fffd}\",\r\n\t\"dependencies\": {\r\n\t\t\"vite\": \"^6.0.3\"\r\n\t}\r\n}\r\n"
    );
    // Installing what is already there leaves the file alone, modification time too.
    fs.set_mtime(&p, 1).unwrap();
    let out = in_app(&mut fs, &env, "npm install vite");
    assert!(out.status.success(), "{}", out.stderr());
    assert_eq!(text(&fs, "/app/package.json"), written);
    assert_eq!(fs.metadata(&p).unwrap().mtime, 1);
}

#[test]
fn yarn_install_and_build_with_vite() {
    let (mut fs, env) = image("node:22-alpine");
    write(
        &mut fs,
        "/app/package.json",
        r#"{"name": "spa", "version": "0.1.0", "scripts": {"build": "vite build"}, "devDependencies": {"vite": "^6"}, "dependencies": {"react": "^19", "react-dom": "^19"}}"#,
    );
    let out = in_app(&mut fs, &env, "yarn install --frozen-lockfile");
    assert_eq!(out.status.code(), 1);
    let out = in_app(
        &mut fs,
        &env,
        "yarn install && yarn build && yarn cache clean",
    );
    assert!(out.status.success(), "{}", out.stderr());
    assert!(out
        .stdout()
        .starts_with("yarn install v1.22.22\ninfo No lockfile found.\n"));
    assert!(fs.exists(&VfsPath::new("/app/yarn.lock")));
    assert!(fs.exists(&VfsPath::new("/app/dist/index.html")));
    assert!(names(&fs, "/app/dist/assets").len() == 2);
    assert!(!fs.exists(&VfsPath::new("/usr/local/share/.cache/yarn")));
}

// ---- curl and wget ---------------------------------------------------------

#[test]
fn curl_and_wget_downloads_are_deterministic_and_noted() {
    let (mut fs, env) = image("debian:bookworm");
    let script = "apt-get update >/dev/null && apt-get install -y curl wget >/dev/null \
        && curl -fsSLO https://go.dev/dl/go1.23.4.linux-amd64.tar.gz \
        && curl -fsSL -o /tmp/key.gpg https://example.com/key.gpg \
        && wget -q -O /tmp/app.zip https://example.com/app.zip \
        && curl -fsSL https://get.example.sh | sh";
    let out = sh(&mut fs, &env, script);
    assert!(out.status.success(), "{}", out.stderr());
    assert_eq!(size(&fs, "/go1.23.4.linux-amd64.tar.gz"), 75_000_000);
    assert_eq!(size(&fs, "/tmp/key.gpg"), 3_000);
    assert_eq!(size(&fs, "/tmp/app.zip"), 12_000_000);
    let notes = out
        .warnings
        .iter()
        .filter(|w| w.code == "simulated-download")
        .count();
    assert_eq!(notes, 4);
    // Same URL, same bytes: layers stay reproducible.
    let (mut again, _) = image("debian:bookworm");
    sh(&mut again, &env, script);
    assert_eq!(
        fs.read_file(&VfsPath::new("/tmp/app.zip")).unwrap(),
        again.read_file(&VfsPath::new("/tmp/app.zip")).unwrap()
    );
}

#[test]
fn busybox_wget_on_alpine_saves_to_the_remote_name() {
    let (mut fs, env) = image("alpine:3.21");
    let req = RunRequest {
        env,
        workdir: "/tmp".into(),
        ..RunRequest::shell("wget https://example.com/releases/tool-1.0.tar.gz")
    };
    let out = run(&mut fs, &req);
    assert!(out.status.success(), "{}", out.stderr());
    assert!(
        out.stderr().ends_with("'tool-1.0.tar.gz' saved\n"),
        "{}",
        out.stderr()
    );
    assert_eq!(size(&fs, "/tmp/tool-1.0.tar.gz"), 8_000_000);
}

// ---- go and mvn ------------------------------------------------------------

#[test]
fn go_mod_download_and_build_fill_the_module_cache_and_write_a_binary() {
    let (mut fs, env) = image("golang:1.23");
    write(
        &mut fs,
        "/src/go.mod",
        "module example.com/api\n\ngo 1.23\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgolang.org/x/sys v0.28.0 // indirect\n)\n",
    );
    write(&mut fs, "/src/main.go", &"package main\n".repeat(100));
    let req = RunRequest {
        env: env.clone(),
        workdir: "/src".into(),
        ..RunRequest::shell("go mod download && CGO_ENABLED=0 go build -o /out/api . && go version")
    };
    let out = run(&mut fs, &req);
    assert!(out.status.success(), "{}", out.stderr());
    assert!(out.stdout().starts_with("go version go1.23"));
    assert!(fs.exists(&VfsPath::new(
        "/go/pkg/mod/github.com/gin-gonic/gin@v1.10.0/go.mod"
    )));
    assert!(fs.exists(&VfsPath::new(
        "/go/pkg/mod/cache/download/golang.org/x/sys/@v/v0.28.0.zip"
    )));
    let bin = size(&fs, "/out/api");
    assert!((1_500_000..10_000_000).contains(&bin), "{bin}");
    assert!(du(&fs, "/root/.cache/go-build") > 4_000_000);
    let req = RunRequest {
        env,
        workdir: "/".into(),
        ..RunRequest::shell("go build ./...")
    };
    let out = run(&mut fs, &req);
    assert_eq!(out.status.code(), 1);
    assert!(out.stderr().starts_with("go: go.mod file not found"));
}

#[test]
fn mvn_package_writes_the_jar_and_fills_the_local_repository() {
    let (mut fs, env) = image("maven:3.9-eclipse-temurin-17");
    write(
        &mut fs,
        "/app/pom.xml",
        "<project><groupId>com.acme</groupId><artifactId>shop</artifactId><version>1.0.0</version>\
         <dependencies><dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId><version>33.3.1-jre</version></dependency></dependencies></project>",
    );
    write(
        &mut fs,
        "/app/src/main/java/com/acme/App.java",
        "class App {}\n",
    );
    let req = RunRequest {
        env: env.clone(),
        workdir: "/app".into(),
        ..RunRequest::shell("mvn -B package -DskipTests")
    };
    let out = run(&mut fs, &req);
    assert!(out.status.success(), "{}", out.stderr());
    assert!(out.stdout().contains("[INFO] BUILD SUCCESS\n"));
    assert!(out.stdout().contains("Tests are skipped."));
    assert!(fs.exists(&VfsPath::new("/app/target/shop-1.0.0.jar")));
    assert!(fs.exists(&VfsPath::new(
        "/root/.m2/repository/com/google/guava/guava/33.3.1-jre/guava-33.3.1-jre.jar"
    )));
    assert!(du(&fs, "/root/.m2/repository") > 10_000_000);
    let req = RunRequest {
        env,
        workdir: "/tmp".into(),
        ..RunRequest::shell("mvn package")
    };
    let out = run(&mut fs, &req);
    assert_eq!(out.status.code(), 1);
    assert!(out
        .stdout()
        .contains("there is no POM in this directory (/tmp)"));
}

#[test]
fn non_root_user_cannot_create_node_modules_or_download_into_root_owned_dirs() {
    let (mut fs, env) = image("node:22");
    write(&mut fs, "/app/package.json", PACKAGE_JSON);
    let req = RunRequest {
        env,
        user: "node".into(),
        workdir: "/app".into(),
        ..RunRequest::shell("npm install")
    };
    let out = run(&mut fs, &req);
    assert_eq!(out.status.code(), 243);
    assert!(out
        .stderr()
        .contains("npm error Error: EACCES: permission denied, mkdir '/app/node_modules'"));
    let req = RunRequest {
        command: layerlab_shell::RunCommand::Shell(
            "curl -fsSLO https://example.com/x.tar.gz".into(),
        ),
        ..req
    };
    let out = run(&mut fs, &req);
    assert_eq!(out.status.code(), 23);
    assert!(!fs.exists(&VfsPath::new("/app/x.tar.gz")));
}

#[test]
fn pip_on_alpine_python_downloads_musllinux_wheels() {
    let (mut fs, env) = image("python:3.12-alpine");
    let out = sh(&mut fs, &env, "pip install --no-cache-dir markupsafe");
    assert!(out.status.success(), "{}", out.stderr());
    assert!(
        out.stdout()
            .contains("markupsafe-3.0.2-cp312-cp312-musllinux_1_2_x86_64.whl"),
        "{}",
        out.stdout()
    );
}

#[test]
fn pip_in_a_virtual_environment_installs_into_it_without_the_root_warning() {
    let (mut fs, mut env) = image("python:3.12-slim");
    env.push((
        "PATH".into(),
        "/opt/venv/bin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
    ));
    let out = sh(
        &mut fs,
        &env,
        "python -m venv /opt/venv && pip install --no-cache-dir flask",
    );
    assert!(out.status.success(), "{}", out.stderr());
    assert_eq!(out.stderr(), "");
    assert!(text(&fs, "/opt/venv/pyvenv.cfg").contains("version = 3.12\n"));
    assert!(fs.exists(&VfsPath::new(
        "/opt/venv/lib/python3.12/site-packages/flask/__init__.py"
    )));
    assert!(fs.exists(&VfsPath::new("/opt/venv/bin/flask")));
    assert!(!fs.exists(&VfsPath::new(&format!("{SITE}/flask"))));
}
