//! `curl` and `wget`: simulated downloads. layerlab has no network: a download
//! succeeds with deterministic content seeded by the URL and a size plausible for the
//! kind of file (a release tarball is tens of MB, a signing key a few KB), and leaves a
//! `simulated-download` note saying so, never silently.
//!
//! Scripts piped into a shell (`curl -fsSL https://get.example.sh | sh`) receive a
//! harmless stand-in script, so the pipeline runs like the real one would and the
//! note tells the reader the installer itself was not modeled.

use super::seed;
use crate::exec::{Shell, R};
use crate::io::Io;
use crate::utils::any_arg;
use layerlab_vfs::{Content, VfsPath};

/// What a URL downloads to: a small text stand-in for scripts and text files,
/// synthetic bytes of a plausible size for archives and binaries.
fn body_for(url: &str) -> Content {
    let name = file_name(url);
    let last = name.as_str();
    let text_like = last == "index.html"
        || last.ends_with(".sh")
        || last.ends_with(".txt")
        || last.ends_with(".json")
        || last.ends_with(".py")
        || last.is_empty()
        || !last.contains('.')
        || last.ends_with(".asc")
        || last.ends_with(".sha256");
    if text_like {
        return Content::inline(format!(
            "#!/bin/sh\n# layerlab: simulated download of {url} (no network was used)\n:\n"
        ));
    }
    let size = if last.ends_with(".tar.gz") || last.ends_with(".tgz") || last.ends_with(".tar.xz") {
        // Release tarballs: Go ~73 MB, Node ~45 MB, typical projects a few MB.
        if last.starts_with("go1.") {
            75_000_000
        } else if last.starts_with("node-v") {
            46_000_000
        } else {
            8_000_000
        }
    } else if last.ends_with(".zip") || last.ends_with(".jar") {
        12_000_000
    } else if last.ends_with(".deb") || last.ends_with(".rpm") || last.ends_with(".apk") {
        4_000_000
    } else if last.ends_with(".gpg") || last.ends_with(".key") || last.ends_with(".pem") {
        3_000
    } else {
        1_000_000
    };
    Content::synthetic(seed(url), size)
}

fn file_name(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let after_scheme = path.split_once("://").map_or(path, |(_, r)| r);
    match after_scheme.split_once('/') {
        Some((_, p)) if !p.is_empty() && !p.ends_with('/') => {
            p.rsplit('/').next().unwrap_or("index.html").to_owned()
        }
        _ => "index.html".to_owned(),
    }
}

impl Shell<'_> {
    fn note_download(&mut self, url: &str) {
        self.warn(
            "simulated-download",
            format!(
                "`{url}` was not fetched (no network in the simulator): its content is simulated"
            ),
        );
    }

    fn save_download(&mut self, url: &str, out: &str, io: &Io) -> R<Option<u64>> {
        let content = body_for(url);
        let len = content.len();
        self.duration_ms += 200 + len / 20_000;
        self.tick(4)?;
        if out == "-" {
            let bytes = match content.as_inline() {
                Some(b) => b.to_vec(),
                // Binary to a terminal or pipe: a short stand-in keeps the log readable.
                None => format!("[{len} simulated bytes of {url}]\n").into_bytes(),
            };
            self.write(io, 1, &bytes)?;
            return Ok(Some(len));
        }
        let path = self.path(out);
        let parent = path.parent().unwrap_or_else(|| VfsPath::new("/"));
        if !crate::perm::may_write(self.fs, &parent, &self.who) {
            self.err_line(io, format_args!("{out}: Permission denied"))?;
            return Ok(None);
        }
        let meta = self.new_file_meta(0o644);
        match self.fs.write_file(&path, content, meta) {
            Ok(()) => Ok(Some(len)),
            Err(e) => {
                let msg = e.kind.strerror();
                self.err_line(io, format_args!("{out}: {msg}"))?;
                Ok(None)
            }
        }
    }
}

/// `curl [-fsSL] [-o FILE | -O] URL...`.
pub(crate) fn curl(sh: &mut Shell<'_>, args: &[String], io: &Io) -> R<u8> {
    if any_arg(args, &["--version", "-V"]) {
        sh.out(io, "curl 7.88.1 (x86_64-pc-linux-gnu) libcurl/7.88.1 OpenSSL/3.0.15 zlib/1.2.13\nProtocols: dict file ftp ftps gopher gophers http https imap imaps mqtt pop3 pop3s rtsp smb smbs smtp smtps telnet tftp\n")?;
        return Ok(0);
    }
    let mut urls = Vec::new();
    let mut output: Option<String> = None;
    let mut remote_name = false;
    let mut create_dirs = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-o" | "--output" => {
                output = args.get(i + 1).cloned();
                i += 1;
            }
            "-O" | "--remote-name" => remote_name = true,
            "--create-dirs" => create_dirs = true,
            "-H" | "--header" | "-X" | "--request" | "-d" | "--data" | "-u" | "--user"
            | "--retry" | "--proto" | "-A" | "--user-agent" | "-e" | "--max-time" | "-m"
            | "--connect-timeout" | "-w" | "--write-out" | "--retry-delay" | "-T" | "-b" | "-c"
            | "--cacert" | "--tlsv1.2" => {
                if a != "--tlsv1.2" {
                    i += 1;
                }
            }
            s if s.starts_with("--") => {}
            s if s.starts_with('-') && s.len() > 1 => {
                // Bundled short options (`-fsSLo file`, `-fsSLO`).
                let flags = &s[1..];
                if flags.contains('O') {
                    remote_name = true;
                }
                if flags.ends_with('o') {
                    output = args.get(i + 1).cloned();
                    i += 1;
                }
            }
            _ => urls.push(a.to_owned()),
        }
        i += 1;
    }
    if urls.is_empty() {
        sh.err(
            io,
            "curl: try 'curl --help' or 'curl --manual' for more information\n",
        )?;
        return Ok(2);
    }
    for url in &urls {
        sh.note_download(url);
        let dest = match (&output, remote_name) {
            (Some(o), _) => o.clone(),
            (None, true) => file_name(url),
            (None, false) => "-".to_owned(),
        };
        if create_dirs && dest != "-" {
            if let Some(parent) = sh.path(&dest).parent() {
                let meta = sh.new_file_meta(0o755);
                let _ = sh.fs.mkdir_p(&parent, meta);
            }
        }
        if sh.save_download(url, &dest, io)?.is_none() {
            sh.err(
                io,
                "curl: (23) Failure writing output to destination, passed 0 returned 0\n",
            )?;
            return Ok(23);
        }
    }
    Ok(0)
}

/// `wget [-q] [-O FILE] [-P DIR] URL...` (GNU wget or BusyBox).
pub(crate) fn wget(sh: &mut Shell<'_>, args: &[String], io: &Io, busybox: bool) -> R<u8> {
    if any_arg(args, &["--version", "-V"]) {
        sh.out(io, "GNU Wget 1.21.3 built on linux-gnu.\n")?;
        return Ok(0);
    }
    let mut urls = Vec::new();
    let mut output: Option<String> = None;
    let mut prefix: Option<String> = None;
    let mut quiet = false;
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_str();
        match a {
            "-O" | "--output-document" => {
                output = args.get(i + 1).cloned();
                i += 1;
            }
            "-P" | "--directory-prefix" => {
                prefix = args.get(i + 1).cloned();
                i += 1;
            }
            "-q" | "--quiet" => quiet = true,
            "--header" | "-U" | "--user-agent" | "-T" | "--timeout" | "-t" | "--tries" => i += 1,
            s if s.starts_with("-O") && s.len() > 2 => output = Some(s[2..].to_owned()),
            s if s.starts_with("--") => {}
            s if s.starts_with('-') && s.len() > 1 => {
                let flags = &s[1..];
                if flags.contains('q') {
                    quiet = true;
                }
                if let Some(pos) = flags.find('O') {
                    let rest = &flags[pos + 1..];
                    if rest.is_empty() {
                        output = args.get(i + 1).cloned();
                        i += 1;
                    } else {
                        output = Some(rest.to_owned());
                    }
                }
            }
            _ => urls.push(a.to_owned()),
        }
        i += 1;
    }
    if urls.is_empty() {
        sh.err(io, "wget: missing URL\nUsage: wget [OPTION]... [URL]...\n")?;
        return Ok(1);
    }
    for url in &urls {
        sh.note_download(url);
        let mut dest = output.clone().unwrap_or_else(|| file_name(url));
        if let (Some(p), None) = (&prefix, &output) {
            dest = format!("{}/{dest}", p.trim_end_matches('/'));
        }
        let Some(len) = sh.save_download(url, &dest, io)? else {
            return Ok(1);
        };
        if !quiet && dest != "-" {
            let host = url
                .split("://")
                .nth(1)
                .unwrap_or(url)
                .split('/')
                .next()
                .unwrap_or("");
            if busybox {
                sh.err_line(io, format_args!("Connecting to {host}\nsaving to '{dest}'\n{dest}   100% |********************************| {len}  0:00:00 ETA\n'{dest}' saved"))?;
            } else {
                sh.err_line(io, format_args!("Resolving {host}... \nConnecting to {host}|:443... connected.\nHTTP request sent, awaiting response... 200 OK\nLength: {len}\nSaving to: '{dest}'\n\n'{dest}' saved [{len}/{len}]\n"))?;
            }
        }
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_names_follow_the_url_path() {
        assert_eq!(
            file_name("https://go.dev/dl/go1.23.4.linux-amd64.tar.gz"),
            "go1.23.4.linux-amd64.tar.gz"
        );
        assert_eq!(file_name("https://example.com/"), "index.html");
        assert_eq!(file_name("https://example.com"), "index.html");
        assert_eq!(file_name("https://x.io/a/b.sh?v=1"), "b.sh");
    }

    #[test]
    fn sizes_depend_on_the_kind_of_file() {
        assert_eq!(
            body_for("https://go.dev/dl/go1.23.4.linux-amd64.tar.gz").len(),
            75_000_000
        );
        assert!(body_for("https://get.docker.com").as_inline().is_some());
        assert_eq!(body_for("https://x/k.gpg").len(), 3_000);
    }
}
