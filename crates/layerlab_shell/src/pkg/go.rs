//! `go mod download`, `go build`, `go install`, `go version` (the `golang` images).
//!
//! * Modules come from the `require` lines of `go.mod` in the working directory (or a
//!   parent); each lands in the module cache, `$GOMODCACHE` (default
//!   `$GOPATH/pkg/mod`, `/go/pkg/mod` in the official images), as an extracted tree
//!   plus its `cache/download/…/@v/VERSION.zip`, which is why multi-stage builds and
//!   `--mount=type=cache` matter for Go.
//! * `go build -o OUT` writes one static binary: the runtime, what the standard
//!   packages the sources import add (`net/http` alone is most of a web server's
//!   binary), a share of every required module and the package's own sources
//!   (plausible, not exact), and fills the build cache (`$GOCACHE`, default
//!   `~/.cache/go-build`).
//! * Without `go.mod`: Go's own error (status 1).

use super::seed;
use crate::exec::{read_text, text, Shell, R};
use crate::io::Io;
use layerlab_vfs::{Content, Node, VfsPath};
use std::collections::BTreeSet;

/// Extracted size of well-known modules (estimates from their source trees); others
/// count as 1 MiB.
fn module_bytes(path: &str) -> u64 {
    match path {
        "github.com/gin-gonic/gin" => 1_100_000,
        "github.com/gorilla/mux" => 250_000,
        "github.com/labstack/echo/v4" => 900_000,
        "github.com/gofiber/fiber/v2" => 2_300_000,
        "github.com/spf13/cobra" => 800_000,
        "github.com/sirupsen/logrus" => 300_000,
        "go.uber.org/zap" => 1_300_000,
        "google.golang.org/grpc" => 9_500_000,
        "google.golang.org/protobuf" => 7_800_000,
        "github.com/aws/aws-sdk-go" => 130_000_000,
        "gorm.io/gorm" => 900_000,
        "github.com/jackc/pgx/v5" => 2_000_000,
        "github.com/redis/go-redis/v9" => 1_500_000,
        "github.com/stretchr/testify" => 1_000_000,
        "golang.org/x/sys" => 11_000_000,
        "golang.org/x/net" => 7_000_000,
        "golang.org/x/text" => 9_000_000,
        _ => 1 << 20,
    }
}

/// The runtime every Go binary carries (a `main` that imports nothing, go1.23,
/// linux/amd64, not stripped: about 1.5 MB).
const RUNTIME_BYTES: u64 = 1_500_000;

/// What importing a standard package adds to a static linux/amd64 binary beyond the
/// runtime (its code and the standard packages it pulls in), estimated from the
/// sizes of go1.22/1.23 hello-world programs: `fmt` ≈ 2.2 MB in all, a `net/http`
/// server ≈ 7.5 MB in all. Packages not listed add little and count as nothing.
fn std_bytes(import: &str) -> u64 {
    match import {
        "net/http" => 5_300_000,
        "fmt" => 700_000,
        "encoding/json" => 500_000,
        "database/sql" => 400_000,
        "html/template" | "text/template" => 600_000,
        "crypto/tls" => 2_000_000,
        "net" => 1_200_000,
        "os/exec" => 300_000,
        "regexp" => 300_000,
        _ => 0,
    }
}

/// Modules that serve HTTP through `net/http` (so a program importing them links it
/// even when its own files do not import it).
const HTTP_MODULES: &[&str] = &[
    "github.com/gin-gonic/gin",
    "github.com/labstack/echo/v4",
    "github.com/gorilla/mux",
    "github.com/go-chi/chi/v5",
    "google.golang.org/grpc",
];

/// The import paths of a Go source file: `import "p"`, `import name "p"` and
/// `import ( … )` blocks (comments and the rest of the file are not parsed).
fn imports(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_block = false;
    for line in src.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        let spec = if in_block {
            if line.starts_with(')') {
                in_block = false;
                continue;
            }
            line
        } else if line == "import (" || line == "import(" {
            in_block = true;
            continue;
        } else if let Some(rest) = line.strip_prefix("import ") {
            rest
        } else {
            continue;
        };
        if let Some(path) = spec.split('"').nth(1) {
            if out.len() < 1_000 {
                out.push(path.to_owned());
            }
        }
    }
    out
}

/// `require` entries of a `go.mod`: `(module path, version)`.
fn requires(gomod: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut in_block = false;
    for line in gomod.lines() {
        let line = line.split("//").next().unwrap_or("").trim();
        let entry = if in_block {
            if line == ")" {
                in_block = false;
                continue;
            }
            line
        } else if line == "require (" || line == "require(" {
            in_block = true;
            continue;
        } else if let Some(rest) = line.strip_prefix("require ") {
            rest.trim()
        } else {
            continue;
        };
        let mut words = entry.split_whitespace();
        if let (Some(p), Some(v)) = (words.next(), words.next()) {
            if !p.contains("..") && out.len() < 10_000 {
                out.push((p.to_owned(), v.to_owned()));
            }
        }
    }
    out
}

fn module_name(gomod: &str) -> Option<String> {
    gomod
        .lines()
        .find_map(|l| l.trim().strip_prefix("module "))
        .map(|m| m.trim().trim_matches('"').to_owned())
}

/// Go escapes upper-case letters in module cache paths (`!b` for `B`).
fn escape(path: &str) -> String {
    let mut out = String::new();
    for c in path.chars() {
        if c.is_ascii_uppercase() {
            out.push('!');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

impl Shell<'_> {
    /// `go.mod` in the working directory or the nearest parent: (dir, text).
    fn find_gomod(&self) -> Option<(VfsPath, String)> {
        let mut dir = Some(self.st.cwd.clone());
        while let Some(d) = dir {
            if let Some(text) = read_text(self.fs, &d.child("go.mod")) {
                return Some((d, text));
            }
            dir = d.parent();
        }
        None
    }

    fn go_env(&self, key: &str) -> String {
        let home = self.get_var("HOME").unwrap_or("/root").to_owned();
        let gopath = self
            .get_var("GOPATH")
            .map_or_else(|| format!("{home}/go"), str::to_owned);
        if let Some(v) = self.get_var(key).filter(|v| !v.is_empty()) {
            return v.to_owned();
        }
        match key {
            "GOMODCACHE" => format!("{gopath}/pkg/mod"),
            "GOCACHE" => format!("{home}/.cache/go-build"),
            _ => gopath,
        }
    }

    /// Downloads the required modules into the module cache; returns their bytes.
    fn go_download(&mut self, gomod: &str) -> R<u64> {
        let cache = self.go_env("GOMODCACHE");
        let mut total = 0;
        for (path, version) in requires(gomod) {
            self.tick(4)?;
            let size = module_bytes(&path);
            total += size;
            let dir = format!("{cache}/{}@{version}", escape(&path));
            if self.fs.exists(&VfsPath::new(&dir)) {
                continue;
            }
            self.put_file(
                &format!("{dir}/go.mod"),
                Content::inline(format!("module {path}\n")),
                0o444,
            );
            self.put_file(
                &format!("{dir}/source.go"),
                Content::synthetic(seed(&dir), size),
                0o444,
            );
            let dl = format!("{cache}/cache/download/{}/@v/{version}", escape(&path));
            self.put_file(
                &format!("{dl}.zip"),
                Content::synthetic(seed(&dl), size * 2 / 5),
                0o644,
            );
            self.put_file(
                &format!("{dl}.mod"),
                Content::inline(format!("module {path}\n")),
                0o644,
            );
            self.duration_ms += 150 + size / 50_000;
        }
        Ok(total)
    }

    /// The bytes of the `.go` files under `dir` and the import paths of the small
    /// (inline, so readable) ones, sorted and deduplicated.
    fn go_sources(&self, dir: &VfsPath, budget: &mut u32, imported: &mut BTreeSet<String>) -> u64 {
        let mut total = 0;
        let Ok(entries) = self.fs.read_dir(dir) else {
            return 0;
        };
        for (n, node) in entries {
            if *budget == 0 || n == "vendor" || n.starts_with('.') {
                continue;
            }
            *budget -= 1;
            match node {
                Node::File(f) if n.ends_with(".go") => {
                    total += f.content.len();
                    if f.content.len() <= 1 << 20 {
                        let source = text(&f.content);
                        imported.extend(imports(&source));
                    }
                }
                Node::Dir(_) => total += self.go_sources(&dir.child(n), budget, imported),
                _ => {}
            }
        }
        total
    }

    fn go_build(&mut self, args: &[String], install: bool, io: &Io) -> R<u8> {
        let Some((root, gomod)) = self.find_gomod() else {
            self.err(io, "go: go.mod file not found in current directory or any parent directory; see 'go help modules'\n")?;
            return Ok(1);
        };
        let mut output = None;
        let mut i = 0;
        while i < args.len() {
            match args[i].as_str() {
                "-o" => {
                    output = args.get(i + 1).cloned();
                    i += 1;
                }
                "-ldflags" | "-tags" | "-gcflags" | "-mod" | "-p" => i += 1,
                _ => {}
            }
            i += 1;
        }
        let deps = self.go_download(&gomod)?;
        let mut budget = 20_000;
        let mut imported = BTreeSet::new();
        let src = self.go_sources(&self.st.cwd.clone(), &mut budget, &mut imported);
        if requires(&gomod)
            .iter()
            .any(|(p, _)| HTTP_MODULES.contains(&p.as_str()))
        {
            imported.insert("net/http".to_owned());
        }
        let std: u64 = imported.iter().map(|i| std_bytes(i)).sum();
        let module =
            module_name(&gomod).unwrap_or_else(|| root.file_name().unwrap_or("main").to_owned());
        let name = module.rsplit('/').next().unwrap_or("main").to_owned();
        // Runtime + standard packages + a fifth of the dependencies' code + the program.
        let size = RUNTIME_BYTES + std + deps / 5 + src * 3;
        let out = if install {
            format!("{}/bin/{name}", self.go_env("GOPATH"))
        } else {
            match output {
                Some(o) if o.ends_with('/') => format!("{o}{name}"),
                Some(o) => o,
                None => name.clone(),
            }
        };
        let path = self.path(&out);
        let exists_dir = matches!(self.fs.node(&path), Ok(Node::Dir(_)));
        let path = if exists_dir { path.child(&name) } else { path };
        self.put_file(
            &path.to_string(),
            Content::synthetic(seed(&format!("{module}{src}{deps}")), size),
            0o755,
        );
        let gocache = self.go_env("GOCACHE");
        self.put_file(
            &format!("{gocache}/README"),
            Content::inline(
                "This directory holds cached build artifacts from the Go build system.\n",
            ),
            0o644,
        );
        self.put_file(
            &format!("{gocache}/00/{:016x}-d", seed(&module)),
            Content::synthetic(seed(&gocache), 4_000_000 + deps / 3),
            0o644,
        );
        self.duration_ms += 3_000 + deps / 200_000 + src / 10_000;
        Ok(0)
    }
}

/// `go ARGS`.
pub(crate) fn go(sh: &mut Shell<'_>, args: &[String], io: &Io) -> R<u8> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["version", ..] => {
            let v = sh.get_var("GOLANG_VERSION").unwrap_or("1.23.4").to_owned();
            sh.out_line(io, format_args!("go version go{v} linux/amd64"))?;
            Ok(0)
        }
        ["mod", "download" | "tidy" | "verify", ..] => {
            let Some((_, gomod)) = sh.find_gomod() else {
                sh.err(io, "go: go.mod file not found in current directory or any parent directory; see 'go help modules'\n")?;
                return Ok(1);
            };
            sh.go_download(&gomod)?;
            if words[1] == "verify" {
                sh.out(io, "all modules verified\n")?;
            }
            Ok(0)
        }
        ["build", rest @ ..] => {
            let rest: Vec<String> = rest.iter().map(|s| (*s).to_owned()).collect();
            sh.go_build(&rest, false, io)
        }
        ["install", rest @ ..] => {
            let rest: Vec<String> = rest.iter().map(|s| (*s).to_owned()).collect();
            sh.go_build(&rest, true, io)
        }
        [other, ..] => {
            sh.unmodeled(format_args!("go {other}"));
            Ok(0)
        }
        [] => {
            sh.err(io, "Go is a tool for managing Go source code.\n\nUsage:\n\n\tgo <command> [arguments]\n")?;
            Ok(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imports_single_lines_blocks_and_named() {
        let src = "package main\n\nimport \"fmt\"\nimport (\n\t\"net/http\" // server\n\tj \"encoding/json\"\n)\nfunc main() { s := \"import x\" }\n";
        assert_eq!(imports(src), ["fmt", "net/http", "encoding/json"]);
    }

    #[test]
    fn go_mod_requires_single_lines_and_blocks() {
        let m = "module example.com/app\n\ngo 1.23\n\nrequire github.com/gin-gonic/gin v1.10.0\n\nrequire (\n\tgithub.com/BurntSushi/toml v1.4.0 // indirect\n\tgolang.org/x/sys v0.28.0\n)\n";
        assert_eq!(module_name(m).as_deref(), Some("example.com/app"));
        let r = requires(m);
        assert_eq!(r.len(), 3);
        assert_eq!(
            r[1],
            ("github.com/BurntSushi/toml".to_owned(), "v1.4.0".to_owned())
        );
        assert_eq!(escape(&r[1].0), "github.com/!burnt!sushi/toml");
    }
}
