//! The user's workspace: the build context's files, with the Dockerfile and the ignore
//! file among them (as in a real project, where both live in the context).
//!
//! Files typed in the page hold their text; files of an uploaded folder hold only their
//! size (only paths and sizes are read from a user's folder, plus the Dockerfile and
//! ignore-file texts).

use std::collections::BTreeMap;

/// One file of the build context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContextFile {
    /// A file whose text the page holds and can edit.
    Text(String),
    /// A file known only by its size (from an uploaded folder).
    Sized(u64),
}

impl ContextFile {
    /// The size in bytes.
    pub fn size(&self) -> u64 {
        match self {
            ContextFile::Text(text) => text.len() as u64,
            ContextFile::Sized(size) => *size,
        }
    }
}

/// The build context: files and (possibly empty) directories, by `/`-separated path
/// relative to the context root.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Workspace {
    /// Files by path.
    pub files: BTreeMap<String, ContextFile>,
    /// Directories that exist even with nothing inside.
    pub dirs: Vec<String>,
    /// The Dockerfile's path in the context.
    pub dockerfile_path: String,
}

/// Where the ignore file lives in the context root.
pub const DOCKERIGNORE: &str = ".dockerignore";

impl Workspace {
    /// The text of a file, or `""` when it is missing or known only by size.
    pub fn text(&self, path: &str) -> &str {
        match self.files.get(path) {
            Some(ContextFile::Text(text)) => text,
            _ => "",
        }
    }

    /// The Dockerfile's text.
    pub fn dockerfile(&self) -> &str {
        self.text(&self.dockerfile_path)
    }

    /// Sets a file's text, creating it when missing.
    pub fn set_text(&mut self, path: &str, text: String) {
        self.files.insert(path.to_string(), ContextFile::Text(text));
    }

    /// Every entry as `(path, is_dir, size)`, directories implied by file paths included,
    /// sorted by path: the shape the context walker consumes.
    pub fn entries(&self) -> Vec<(String, bool, u64)> {
        let mut dirs: std::collections::BTreeSet<&str> =
            self.dirs.iter().map(String::as_str).collect();
        for path in self.files.keys() {
            let mut end = 0;
            while let Some(i) = path[end..].find('/') {
                end += i;
                dirs.insert(&path[..end]);
                end += 1;
            }
        }
        let mut out: Vec<_> = dirs.into_iter().map(|d| (d.to_string(), true, 0)).collect();
        out.extend(self.files.iter().map(|(p, f)| (p.clone(), false, f.size())));
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    /// Builds a workspace from a folder listing (`path\tsize\tkind` lines, kind `d` or
    /// `f`) and the texts read from it. Malformed lines are skipped and counted.
    pub fn from_listing(
        listing: &str,
        texts: BTreeMap<String, String>,
        dockerfile_path: &str,
    ) -> (Workspace, usize) {
        let mut ws = Workspace {
            dockerfile_path: dockerfile_path.to_string(),
            ..Workspace::default()
        };
        let mut skipped = 0;
        for line in listing.lines().filter(|l| !l.is_empty()) {
            let mut parts = line.rsplitn(3, '\t');
            let (Some(kind), Some(size), Some(path)) = (parts.next(), parts.next(), parts.next())
            else {
                skipped += 1;
                continue;
            };
            let path = path.trim_matches('/');
            if path.is_empty()
                || path
                    .split('/')
                    .any(|c| c.is_empty() || c == "." || c == "..")
            {
                skipped += 1;
                continue;
            }
            match (kind, size.parse::<u64>()) {
                ("d", _) => ws.dirs.push(path.to_string()),
                ("f", Ok(size)) => {
                    let file = match texts.get(path) {
                        Some(text) => ContextFile::Text(text.clone()),
                        None => ContextFile::Sized(size),
                    };
                    ws.files.insert(path.to_string(), file);
                }
                _ => skipped += 1,
            }
        }
        (ws, skipped)
    }

    /// The starter project: a small Node app whose context shows why `.dockerignore`
    /// matters (dependencies, VCS data, secrets and logs that should not be sent).
    pub fn starter() -> Workspace {
        let mut ws = Workspace {
            dockerfile_path: "Dockerfile".to_string(),
            ..Workspace::default()
        };
        let text_files: [(&str, &str); 8] = [
            ("Dockerfile", crate::engine::STARTER_DOCKERFILE),
            (DOCKERIGNORE, STARTER_DOCKERIGNORE),
            ("package.json", "{\n  \"name\": \"hello\",\n  \"version\": \"1.0.0\",\n  \"main\": \"server.js\",\n  \"dependencies\": { \"express\": \"^4.19.2\" }\n}\n"),
            ("package-lock.json", "{\n  \"name\": \"hello\",\n  \"lockfileVersion\": 3,\n  \"requires\": true\n}\n"),
            ("server.js", "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('hello from layerlab'));\napp.listen(3000);\n"),
            ("src/routes.js", "module.exports = [];\n"),
            ("README.md", "# hello\n\nA tiny Express app.\n"),
            (".env", "API_TOKEN=not-a-real-secret\n"),
        ];
        for (path, text) in text_files {
            ws.set_text(path, text.to_string());
        }
        let sized: [(&str, u64); 7] = [
            ("node_modules/express/index.js", 224),
            ("node_modules/express/package.json", 2_652),
            ("node_modules/express/lib/express.js", 2_409),
            ("node_modules/.package-lock.json", 41_287),
            (".git/HEAD", 21),
            (".git/index", 1_843),
            ("npm-debug.log", 12_045),
        ];
        for (path, size) in sized {
            ws.files.insert(path.to_string(), ContextFile::Sized(size));
        }
        ws
    }
}

/// The starter `.dockerignore`.
pub const STARTER_DOCKERIGNORE: &str = "\
# Dependencies are installed inside the image.
node_modules
# Version control and local files never belong in an image.
.git
.env
*.log
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_include_implied_directories_in_path_order() {
        let ws = Workspace::starter();
        let entries = ws.entries();
        let paths: Vec<_> = entries.iter().map(|e| e.0.as_str()).collect();
        let mut sorted = paths.clone();
        sorted.sort();
        assert_eq!(paths, sorted);
        assert!(entries.contains(&("node_modules/express/lib".to_string(), true, 0)));
        assert!(entries.contains(&("src".to_string(), true, 0)));
    }

    #[test]
    fn listing_round_trip_rejects_traversal_and_junk() {
        let mut texts = BTreeMap::new();
        texts.insert("Dockerfile".to_string(), "FROM scratch\n".to_string());
        let listing =
            "Dockerfile\t13\tf\nsrc\t0\td\nsrc/a.c\t10\tf\n../x\t1\tf\nbad line\nb\tNaN\tf";
        let (ws, skipped) = Workspace::from_listing(listing, texts, "Dockerfile");
        assert_eq!(skipped, 3);
        assert_eq!(ws.dockerfile(), "FROM scratch\n");
        assert_eq!(ws.files.get("src/a.c"), Some(&ContextFile::Sized(10)));
        assert_eq!(ws.dirs, ["src"]);
    }
}
