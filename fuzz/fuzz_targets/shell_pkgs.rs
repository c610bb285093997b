//! Arbitrary project files (`package.json`, `requirements.txt`, `go.mod`, `pom.xml`,
//! package names) fed to the package-manager models: never panics, always ends, and
//! the status is a valid exit code.
#![no_main]

use layerlab_shell::{run, RunRequest};
use layerlab_vfs::{Content, Fs, Meta, VfsPath};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == 0xff);
    let mut fs = Fs::default();
    let _ = fs.mkdir_p(&VfsPath::new("/bin"), Meta::new(0o755));
    let _ = fs.mkdir_p(&VfsPath::new("/app"), Meta::new(0o755));
    for t in ["sh", "cat", "npm", "yarn", "pip", "go", "mvn", "apk", "curl", "wget"] {
        let _ = fs.write_file(&VfsPath::new("/bin").child(t), Content::inline("x"), Meta::new(0o755));
    }
    for name in ["package.json", "requirements.txt", "go.mod", "pom.xml", "names", "package-lock.json"] {
        let body = parts.next().unwrap_or_default().to_vec();
        let _ = fs.write_file(&VfsPath::new("/app").child(name), Content::inline(body), Meta::new(0o644));
    }
    let script = "npm install; npm ci; npm run build; npm install $(cat names); yarn install; \
        pip install -r requirements.txt; \
        pip install $(cat names); go build -o /out; mvn package; apk add $(cat names); \
        curl -fsSLO $(cat names); wget $(cat names)";
    let req = RunRequest { budget: 50_000, workdir: "/app".into(), ..RunRequest::shell(script) };
    let out = run(&mut fs, &req);
    assert!((0..=255).contains(&out.status.code()));
});
