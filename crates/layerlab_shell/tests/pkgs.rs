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

#[allow(dead_code)]
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
