//! Times the Context panel's check on a 100,000-file workspace, stage by stage.
#![allow(
    clippy::disallowed_methods,
    reason = "a native profiling example: it reads the clock"
)]
use layerlab_web::engine::context::context_view;
use layerlab_web::workspace::{ContextFile, Workspace};
use std::time::Instant;

fn main() {
    let mut ws = Workspace {
        dockerfile_path: "Dockerfile".into(),
        ..Workspace::default()
    };
    ws.set_text("Dockerfile", "FROM node:20\nCOPY . .\n".into());
    let ignore = [
        "# 40 lines",
        "node_modules",
        ".git",
        "dist",
        "build",
        "coverage",
        "*.log",
        "**/*.map",
        "**/*.tmp",
        ".env",
        ".env.*",
        "!.env.example",
        "docs/**/*.png",
        "assets/**/*.psd",
        "tmp",
        ".cache",
        ".vscode",
        ".idea",
        "*.swp",
        "**/.DS_Store",
        "npm-debug.log*",
        "yarn-error.log*",
        "test/**/fixtures",
        "**/__snapshots__",
        "scripts/*.sh",
        "!scripts/entrypoint.sh",
        "Dockerfile*",
        "!Dockerfile",
        ".dockerignore",
        "**/*.orig",
        "src/**/*.test.js",
        "src/**/*.spec.ts",
        "docs/drafts",
        "assets/raw",
        "**/node_modules",
        "packages/*/dist",
        "*.tgz",
        "out",
        ".next",
        ".nuxt",
    ];
    ws.set_text(".dockerignore", ignore.join("\n"));
    let areas = [
        "src",
        "test",
        "docs",
        "node_modules",
        "dist",
        ".git/objects",
        "assets",
        "scripts",
    ];
    let mut n = 0;
    for a in areas {
        for d in 0..50 {
            for f in 0..250 {
                ws.files.insert(
                    format!("{a}/pkg{d}/lib/file{f}.js"),
                    ContextFile::Sized(100),
                );
                n += 1;
            }
        }
    }
    let t = Instant::now();
    let e = ws.entries();
    println!(
        "{n} files: entries() {:?} ({} entries)",
        t.elapsed(),
        e.len()
    );
    let t = Instant::now();
    let (file, m) = layerlab_web::engine::context::matcher(&ws)
        .unwrap()
        .unwrap();
    let tree = layerlab_dockerignore::ContextTree::new(e.iter().map(|(p, d, s)| {
        if *d {
            layerlab_dockerignore::ContextEntry::dir(p.clone())
        } else {
            layerlab_dockerignore::ContextEntry::file(p.clone(), *s)
        }
    }));
    println!("tree {:?}", t.elapsed());
    let t = Instant::now();
    let r = layerlab_dockerignore::walk(&m, &tree).unwrap();
    println!("walk {:?}", t.elapsed());
    let t = Instant::now();
    let _ = layerlab_dockerignore::lint(&layerlab_dockerignore::LintInput {
        file: &file,
        matcher: &m,
        context: Some((&tree, &r)),
    });
    println!("lint {:?}", t.elapsed());
    let t = Instant::now();
    let v = context_view(&ws);
    println!(
        "context_view {:?}: {} rows, sent {:?}",
        t.elapsed(),
        v.rows.len(),
        v.sent
    );
}
