//! Property tests for the package-manager models: arbitrary project files
//! (`package.json`, `requirements.txt`, `go.mod`, `pom.xml`) and package names never
//! panic, always end within the budget, and give a valid exit status.
#![cfg(not(target_arch = "wasm32"))]

use layerlab_shell::{run, RunRequest};
use layerlab_vfs::{Content, Fs, Meta, VfsPath};
use proptest::prelude::*;

/// Pieces of the formats, so random files get past the first byte.
const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ":",
    ",",
    "\"dependencies\"",
    "\"devDependencies\"",
    "\"scripts\"",
    "\"build\"",
    "\"express\"",
    "\"tsc\"",
    "\"vite build\"",
    "\\u00e9",
    "\\",
    "true",
    "-1e5",
    "flask",
    "==",
    ">=",
    "[socks]",
    "-r ",
    "requirements.txt",
    "#",
    ";",
    "\n",
    " ",
    "../",
    "require (",
    ")",
    "module ",
    "github.com/gin-gonic/gin",
    "v1.0.0",
    "//",
    "<project>",
    "</project>",
    "<dependency>",
    "</dependency>",
    "<artifactId>",
    "</artifactId>",
    "<version>",
    "</version>",
    "<parent>",
    "curl",
    "build-base",
    ".build-deps",
    "@",
    "/",
    "x",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

fn image() -> Fs {
    let mut fs = Fs::default();
    fs.mkdir_p(&VfsPath::new("/bin"), Meta::new(0o755)).unwrap();
    fs.mkdir_p(&VfsPath::new("/app"), Meta::new(0o755)).unwrap();
    for t in [
        "sh", "cat", "npm", "yarn", "pip", "go", "mvn", "apk", "curl", "wget",
    ] {
        fs.write_file(
            &VfsPath::new("/bin").child(t),
            Content::inline("x"),
            Meta::new(0o755),
        )
        .unwrap();
    }
    fs
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn project_files_never_panic(files in prop::collection::vec(text(), 5)) {
        let mut fs = image();
        for (name, body) in ["package.json", "requirements.txt", "go.mod", "pom.xml", "names"].iter().zip(&files) {
            fs.write_file(&VfsPath::new("/app").child(name), Content::inline(body.as_str()), Meta::new(0o644)).unwrap();
        }
        let script = "npm install; npm run build; yarn add $(cat names); pip install -r requirements.txt; \
            pip install $(cat names); go build -o /out; mvn package; apk add --virtual .v $(cat names); \
            apk del .v; curl -fsSLO $(cat names); wget -q $(cat names)";
        let req = RunRequest { budget: 100_000, workdir: "/app".into(), ..RunRequest::shell(script) };
        let out = run(&mut fs, &req);
        prop_assert!((0..=255).contains(&out.status.code()));
        prop_assert!(out.steps <= 100_000 + 1_000);
    }
}
