//! The user's workspace: the build context's files, with the Dockerfile and the ignore
//! file among them (as in a real project, where both live in the context).
//!
//! Files typed in the page hold their text; files of an uploaded folder hold only their
//! size (only paths and sizes are read from a user's folder, plus the Dockerfile and
//! ignore-file texts).

use layerlab_image::{gunzip, read_tar, ErrorKind, TarLimits, TarType};
use std::collections::BTreeMap;

/// Files larger than this, or not UTF-8, are kept by size only: the editor is for text.
pub const TEXT_LIMIT: usize = 1 << 20;

/// The largest context archive the page inflates (a small `.tar.gz` can claim gigabytes).
pub const TAR_LIMIT: u64 = 256 << 20;

/// One file of the build context: its text, or only its size (from an uploaded folder).
/// The share-link type itself, so saving and sharing copy the map without converting.
pub use layerlab_share::SharedFile as ContextFile;

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

    /// A file as uploaded: its text when it is UTF-8 and small enough to edit, else its size.
    pub fn file_of(bytes: &[u8]) -> ContextFile {
        match std::str::from_utf8(bytes) {
            Ok(text) if bytes.len() <= TEXT_LIMIT => ContextFile::Text(text.to_string()),
            _ => ContextFile::Sized(bytes.len() as u64),
        }
    }

    /// Whether `path` is a file or a directory (given or implied) of the context.
    pub fn exists(&self, path: &str) -> bool {
        let prefix = format!("{path}/");
        self.files.contains_key(path)
            || self.dirs.iter().any(|d| d == path)
            || self.files.keys().any(|p| p.starts_with(&prefix))
    }

    /// Whether a new file may take `path`: nothing is there, and no folder on its way is
    /// a file (`src/app.js/x` would turn the file `src/app.js` into a folder, losing it).
    fn free(&self, path: &str) -> Result<(), String> {
        if self.exists(path) {
            return Err(format!("{path} already exists"));
        }
        let mut end = 0;
        while let Some(i) = path[end..].find('/') {
            end += i;
            let folder = &path[..end];
            if self.files.contains_key(folder) {
                return Err(format!("{folder} is a file, so it cannot hold {path}"));
            }
            end += 1;
        }
        Ok(())
    }

    /// Adds a new, empty text file; the error says why the name cannot be used.
    pub fn add_file(&mut self, path: &str) -> Result<(), String> {
        let path = checked(path)?;
        self.free(&path)?;
        self.files.insert(path, ContextFile::Text(String::new()));
        Ok(())
    }

    /// Renames a file, keeping the Dockerfile pointer on it when it moves.
    pub fn rename(&mut self, from: &str, to: &str) -> Result<String, String> {
        let to = checked(to)?;
        if from == to {
            return Ok(to);
        }
        self.free(&to)?;
        let file = self
            .files
            .remove(from)
            .ok_or_else(|| format!("{from} is not a file of the context"))?;
        self.files.insert(to.clone(), file);
        if self.dockerfile_path == from {
            self.dockerfile_path = to.clone();
        }
        Ok(to)
    }

    /// Adds uploaded files at the context root, replacing same-named ones. Returns the
    /// first file's path (to open) and a summary naming what was added, replaced, or
    /// kept by size only.
    pub fn add_uploads(
        &mut self,
        files: Vec<(String, ContextFile)>,
    ) -> Result<(String, String), String> {
        let mut parts = Vec::new();
        let mut first = None;
        for (name, file) in files {
            let path = checked(&name)
                .and_then(|path| match self.files.contains_key(&path) {
                    true => Ok(path),
                    false => self.free(&path).map(|()| path),
                })
                .map_err(|m| format!("cannot add {name:?}: {m}"))?;
            let sized = matches!(file, ContextFile::Sized(_));
            let replaced = self.files.insert(path.clone(), file).is_some();
            parts.push(format!(
                "{path}{}{}",
                if replaced { " (replaced)" } else { "" },
                if sized {
                    " (size only: binary or over 1 MiB)"
                } else {
                    ""
                }
            ));
            first.get_or_insert(path);
        }
        let first = first.ok_or("no files were chosen")?;
        Ok((first, format!("Added {}", parts.join(", "))))
    }

    /// Deletes a file (the directories it implied stay only if something else is there).
    pub fn delete(&mut self, path: &str) -> bool {
        self.files.remove(path).is_some()
    }

    /// Reads a build context sent as a tar (`docker build - < context.tar`), plain or
    /// gzip-compressed. Regular files and directories are kept; links and special files
    /// are skipped and counted. Hostile archives (bad headers, names that climb out of the
    /// context, inflation bombs) give an error naming the entry.
    pub fn from_tar(bytes: &[u8], dockerfile_path: &str) -> Result<(Workspace, usize), String> {
        Workspace::from_tar_capped(bytes, dockerfile_path, TAR_LIMIT)
    }

    fn from_tar_capped(
        bytes: &[u8],
        dockerfile_path: &str,
        cap: u64,
    ) -> Result<(Workspace, usize), String> {
        let inflated;
        let tar = if bytes.starts_with(&[0x1f, 0x8b]) {
            // The core's gzip reader, as for layers and ADDed archives: the page
            // carries one gzip reader, without flate2's CRC tables.
            inflated = gunzip(bytes, cap).map_err(|e| match e.kind {
                ErrorKind::LimitExceeded => {
                    format!("the archive inflates past {} MiB", cap >> 20)
                }
                _ => format!("the archive's gzip data is corrupt: {e}"),
            })?;
            &inflated[..]
        } else {
            bytes
        };
        let limits = TarLimits {
            max_entries: 100_000,
            ..TarLimits::default()
        };
        let entries = read_tar(tar, &limits).map_err(|e| format!("the archive: {e}"))?;
        let mut ws = Workspace {
            dockerfile_path: dockerfile_path.to_string(),
            ..Workspace::default()
        };
        let mut skipped = 0;
        for (i, e) in entries.iter().enumerate() {
            let name = e.name.trim_start_matches("./").trim_end_matches('/');
            if name.is_empty() || name == "." {
                continue;
            }
            let path = checked(name)
                .map_err(|m| format!("archive entry {} ({:?}): {m}", i + 1, e.name))?;
            match e.kind {
                TarType::Dir => ws.dirs.push(path),
                TarType::Regular => {
                    let data = tar.get(e.data.clone()).unwrap_or_default();
                    ws.files.insert(path, Workspace::file_of(data));
                }
                _ => skipped += 1,
            }
        }
        ws.dirs.sort();
        ws.dirs.dedup();
        if !ws.files.contains_key(&ws.dockerfile_path) && ws.files.contains_key("Dockerfile") {
            ws.dockerfile_path = "Dockerfile".to_string();
        }
        Ok((ws, skipped))
    }

    /// The starter project (`layerlab_lesson::starter`).
    pub fn starter() -> Workspace {
        use layerlab_lesson::starter;
        let mut ws = Workspace {
            dockerfile_path: "Dockerfile".to_string(),
            ..Workspace::default()
        };
        ws.set_text("Dockerfile", starter::DOCKERFILE.to_string());
        ws.set_text(DOCKERIGNORE, starter::DOCKERIGNORE.to_string());
        for (path, text) in starter::TEXT_FILES {
            ws.set_text(path, text.to_string());
        }
        for (path, size) in starter::SIZED_FILES {
            ws.files.insert(path.to_string(), ContextFile::Sized(size));
        }
        ws
    }
}

/// A path typed or uploaded into the context, trimmed of surrounding slashes and
/// checked like a share link's paths (no `..`, not absolute, no NUL).
fn checked(path: &str) -> Result<String, String> {
    let path = path.trim().trim_matches('/');
    layerlab_share::check_path(path, 4096)?;
    Ok(path.to_string())
}

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

    #[test]
    fn add_rename_delete_keep_the_dockerfile_pointer() {
        let mut ws = Workspace::starter();
        assert!(ws.add_file("src").unwrap_err().contains("already exists"));
        assert_eq!(
            ws.add_file("src/routes.js/x").unwrap_err(),
            "src/routes.js is a file, so it cannot hold src/routes.js/x"
        );
        assert!(ws.rename("Dockerfile", "src/routes.js/Dockerfile").is_err());
        let folder = vec![("src".to_string(), ContextFile::Text(String::new()))];
        assert!(ws
            .add_uploads(folder)
            .unwrap_err()
            .contains("already exists"));
        assert!(ws.add_file("../x").is_err());
        ws.add_file("/docs/notes.md/").unwrap();
        assert_eq!(ws.text("docs/notes.md"), "");
        assert_eq!(
            ws.rename("Dockerfile", "build/Dockerfile").unwrap(),
            "build/Dockerfile"
        );
        assert_eq!(ws.dockerfile_path, "build/Dockerfile");
        assert!(ws.dockerfile().starts_with("# syntax") || ws.dockerfile().contains("FROM"));
        assert!(ws.rename("server.js", "README.md").is_err());
        assert!(ws.delete("README.md") && !ws.delete("README.md"));
    }

    #[test]
    fn uploads_replace_by_name_and_say_so() {
        let mut ws = Workspace::starter();
        let (first, summary) = ws
            .add_uploads(vec![
                ("notes.txt".into(), Workspace::file_of(b"hi\n")),
                ("README.md".into(), Workspace::file_of(&[0xff, 0xfe])),
            ])
            .unwrap();
        assert_eq!(first, "notes.txt");
        assert_eq!(
            summary,
            "Added notes.txt, README.md (replaced) (size only: binary or over 1 MiB)"
        );
        assert_eq!(ws.files.get("README.md"), Some(&ContextFile::Sized(2)));
        assert!(ws
            .add_uploads(vec![("..".into(), ContextFile::Sized(1))])
            .is_err());
        assert!(ws.add_uploads(Vec::new()).is_err());
    }

    /// Builds a tar with the image crate's header writer (the one layer tars use and
    /// that skopeo/umoci read in its own tests).
    fn tar_of(entries: &[(&str, &[u8], bool)]) -> Vec<u8> {
        use layerlab_image::{write_header, HeaderSpec, BLOCK};
        let mut out = Vec::new();
        for (name, data, dir) in entries {
            let spec = HeaderSpec {
                name,
                typeflag: if *dir { b'5' } else { b'0' },
                mode: if *dir { 0o755 } else { 0o644 },
                uid: 0,
                gid: 0,
                size: data.len() as u64,
                mtime: 0,
                linkname: "",
            };
            write_header(&spec, &mut out);
            out.extend_from_slice(data);
            out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
        }
        out.resize(out.len() + 2 * BLOCK, 0);
        out
    }

    #[test]
    fn a_context_tar_becomes_a_workspace() {
        let tar = tar_of(&[
            ("./", b"", true),
            ("./Dockerfile", b"FROM alpine\n", false),
            ("./app/", b"", true),
            ("./app/logo.png", &[0x89, b'P', b'N', b'G', 0xff], false),
        ]);
        let (ws, skipped) = Workspace::from_tar(&tar, "Dockerfile").unwrap();
        assert_eq!(skipped, 0);
        assert_eq!(ws.dockerfile(), "FROM alpine\n");
        assert_eq!(ws.files.get("app/logo.png"), Some(&ContextFile::Sized(5)));
        assert_eq!(ws.dirs, ["app"]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &tar).unwrap();
        let (again, _) = Workspace::from_tar(&gz.finish().unwrap(), "Dockerfile").unwrap();
        assert_eq!(again, ws);
    }

    #[test]
    fn hostile_context_tars_are_refused() {
        let climbing = tar_of(&[("../../etc/passwd", b"x", false)]);
        let e = Workspace::from_tar(&climbing, "Dockerfile").unwrap_err();
        assert!(e.contains("entry 1") && e.contains("climb"), "{e}");
        let e = Workspace::from_tar(&tar_of(&[("/abs", b"x", false)])[..], "Dockerfile");
        assert!(e.is_ok(), "a leading / is trimmed like tar -x does");
        assert!(Workspace::from_tar(b"not a tar at all, just text", "Dockerfile").is_err());
        assert!(Workspace::from_tar(&[0x1f, 0x8b, 8, 0, 0], "Dockerfile").is_err());
        // A gzip bomb (here 3 MiB of zeros against a 1 MiB cap): refused before it is
        // all inflated.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        std::io::Write::write_all(&mut gz, &vec![0u8; 3 << 20]).unwrap();
        let e =
            Workspace::from_tar_capped(&gz.finish().unwrap(), "Dockerfile", 1 << 20).unwrap_err();
        assert!(e.contains("inflates past"), "{e}");
    }
}
