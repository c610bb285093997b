//! File utilities over the VFS with GNU coreutils' messages and exit statuses:
//! `mkdir`, `touch`, `cp`, `mv`, `rm`, `rmdir`, `ln`, `chmod`, `chown`, `ls`.

use super::mode::{mode_string, parse_mode};
use crate::exec::{Shell, R};
use crate::io::Io;
use layerlab_vfs::{Content, ErrorKind, Node, VfsPath};
use std::fmt::Write as _;

/// Splits GNU-style arguments into short/long flags and operands (`--` ends flags).
pub(super) fn split_args(args: &[String]) -> (String, Vec<String>, Vec<&String>) {
    let mut short = String::new();
    let mut long = Vec::new();
    let mut ops = Vec::new();
    let mut done = false;
    for a in args {
        if done || a == "-" || !a.starts_with('-') {
            ops.push(a);
        } else if a == "--" {
            done = true;
        } else if let Some(l) = a.strip_prefix("--") {
            long.push(l.to_owned());
        } else {
            short.push_str(&a[1..]);
        }
    }
    (short, long, ops)
}

fn has(short: &str, long: &[String], c: char, l: &str) -> bool {
    short.contains(c) || super::any_arg(long, &[l])
}

impl Shell<'_> {
    fn may_write_parent(&self, p: &VfsPath) -> bool {
        let parent = p.parent().unwrap_or_else(VfsPath::root);
        crate::perm::may_write(self.fs, &parent, &self.who)
    }

    pub(super) fn mkdir(&mut self, args: &[String], io: &Io) -> R<u8> {
        let mut mode = None;
        let mut parents = false;
        let mut ops = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "-p" | "--parents" => parents = true,
                "-m" => mode = it.next().and_then(|m| u32::from_str_radix(m, 8).ok()),
                "-v" | "--verbose" => {}
                s if s.starts_with("-m") => mode = u32::from_str_radix(&s[2..], 8).ok(),
                s if s.starts_with('-')
                    && s.len() > 1
                    && s[1..].chars().all(|c| c == 'p' || c == 'v') =>
                {
                    parents = true
                }
                _ => ops.push(a),
            }
        }
        if ops.is_empty() {
            self.err_line(io, format_args!("mkdir: missing operand"))?;
            return Ok(1);
        }
        let mut status = 0;
        for op in ops {
            self.tick(1)?;
            let p = self.path(op);
            let meta = self.new_file_meta(0o777);
            let meta = match mode {
                Some(m) => layerlab_vfs::Meta { mode: m, ..meta },
                None => meta,
            };
            if !(self.may_write_parent(&p) || parents && self.is_dir(&p)) {
                self.err_line(
                    io,
                    format_args!("mkdir: cannot create directory '{op}': Permission denied"),
                )?;
                status = 1;
                continue;
            }
            let res = if parents {
                // Parents get the default mode; only the last directory gets -m.
                let parent_meta = self.new_file_meta(0o777);
                match p.parent() {
                    Some(parent) if !parent.is_root() => self.fs.mkdir_p(&parent, parent_meta),
                    _ => Ok(()),
                }
                .and_then(|()| {
                    if self.is_dir(&p) {
                        Ok(())
                    } else {
                        self.fs.mkdir(&p, meta)
                    }
                })
            } else {
                self.fs.mkdir(&p, meta)
            };
            if let Err(e) = res {
                self.err_line(
                    io,
                    format_args!(
                        "mkdir: cannot create directory '{op}': {}",
                        e.kind.strerror()
                    ),
                )?;
                status = 1;
            }
        }
        Ok(status)
    }

    pub(super) fn touch(&mut self, args: &[String], io: &Io) -> R<u8> {
        let (short, _, ops) = split_args(args);
        let no_create = short.contains('c');
        let mut status = 0;
        for op in ops {
            self.tick(1)?;
            let p = self.path(op);
            if self.fs.exists(&p) {
                let _ = self.fs.set_mtime(&p, self.epoch);
                continue;
            }
            if no_create {
                continue;
            }
            if !self.may_write_parent(&p) && self.is_dir(&p.parent().unwrap_or_else(VfsPath::root))
            {
                self.err_line(
                    io,
                    format_args!("touch: cannot touch '{op}': Permission denied"),
                )?;
                status = 1;
                continue;
            }
            let meta = self.new_file_meta(0o666);
            if let Err(e) = self.fs.write_file(&p, Content::inline(Vec::new()), meta) {
                let why = match e.kind {
                    ErrorKind::NotADirectory
                        if self.fs.exists(&p.parent().unwrap_or_else(VfsPath::root)) =>
                    {
                        "Not a directory"
                    }
                    ErrorKind::NotADirectory => "No such file or directory",
                    k => k.strerror(),
                };
                self.err_line(io, format_args!("touch: cannot touch '{op}': {why}"))?;
                status = 1;
            }
        }
        Ok(status)
    }

    pub(super) fn rm(&mut self, args: &[String], io: &Io) -> R<u8> {
        let (short, long, ops) = split_args(args);
        let force = has(&short, &long, 'f', "force");
        let recursive =
            short.contains('r') || short.contains('R') || super::any_arg(&long, &["recursive"]);
        let dir_ok = short.contains('d');
        if ops.is_empty() && !force {
            self.err_line(io, format_args!("rm: missing operand"))?;
            return Ok(1);
        }
        let mut status = 0;
        for op in ops {
            self.tick(1)?;
            let p = self.path(op);
            if recursive && p.is_root() {
                self.err_line(
                    io,
                    format_args!("rm: it is dangerous to operate recursively on '/'"),
                )?;
                self.err_line(
                    io,
                    format_args!("rm: use --no-preserve-root to override this failsafe"),
                )?;
                status = 1;
                continue;
            }
            let node = self.fs.symlink_node(&p).map(|n| n.node_type());
            match node {
                Err(_) if force => {}
                Err(e) => {
                    self.err_line(
                        io,
                        format_args!("rm: cannot remove '{op}': {}", e.kind.strerror()),
                    )?;
                    status = 1;
                }
                Ok(layerlab_vfs::NodeType::Dir) if !recursive => {
                    let empty = self.fs.read_dir(&p).map(|d| d.is_empty()).unwrap_or(false);
                    if dir_ok && empty {
                        let _ = self.fs.remove(&p);
                    } else {
                        self.err_line(
                            io,
                            format_args!("rm: cannot remove '{op}': Is a directory"),
                        )?;
                        status = 1;
                    }
                }
                Ok(_) => {
                    if !self.may_write_parent(&p) {
                        self.err_line(
                            io,
                            format_args!("rm: cannot remove '{op}': Permission denied"),
                        )?;
                        status = 1;
                        continue;
                    }
                    if let Err(e) = self.fs.remove(&p) {
                        self.err_line(
                            io,
                            format_args!("rm: cannot remove '{op}': {}", e.kind.strerror()),
                        )?;
                        status = 1;
                    }
                }
            }
        }
        Ok(status)
    }

    pub(super) fn rmdir(&mut self, args: &[String], io: &Io) -> R<u8> {
        let (_, _, ops) = split_args(args);
        let mut status = 0;
        for op in ops {
            let p = self.path(op);
            let why = match self.fs.symlink_node(&p) {
                Ok(Node::Dir(d)) if d.is_empty() => {
                    let _ = self.fs.remove(&p);
                    continue;
                }
                Ok(Node::Dir(_)) => "Directory not empty",
                Ok(_) => "Not a directory",
                Err(e) => e.kind.strerror(),
            };
            self.err_line(io, format_args!("rmdir: failed to remove '{op}': {why}"))?;
            status = 1;
        }
        Ok(status)
    }

    pub(super) fn ln(&mut self, args: &[String], io: &Io) -> R<u8> {
        let (short, _, ops) = split_args(args);
        let symbolic = short.contains('s');
        let force = short.contains('f');
        let no_deref = short.contains('n') || short.contains('T');
        let (target, link) = match ops.as_slice() {
            [t] => ((*t).clone(), t.rsplit('/').next().unwrap_or(t).to_owned()),
            [t, l] => ((*t).clone(), (*l).clone()),
            _ => {
                self.err_line(io, format_args!("ln: missing file operand"))?;
                return Ok(1);
            }
        };
        let mut lp = self.path(&link);
        if !no_deref && self.is_dir(&lp) {
            lp = lp.child(
                target
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or(&target),
            );
        }
        let shown = if lp == self.path(&link) {
            link.clone()
        } else {
            lp.to_string()
        };
        if force && self.fs.symlink_node(&lp).is_ok() {
            let _ = self.fs.remove(&lp);
        }
        let res = if symbolic {
            let meta = self
                .new_file_meta(0o777)
                .with_owner(self.who.uid, self.who.gid);
            let meta = layerlab_vfs::Meta {
                mode: 0o777,
                ..meta
            };
            self.fs.symlink(&target, &lp, meta)
        } else {
            // Hard links are not modelled: the new name gets a copy sharing the content.
            let src = self.path(&target);
            match self.fs.node(&src) {
                Ok(Node::File(f)) => {
                    let f = f.clone();
                    if self.fs.symlink_node(&lp).is_ok() {
                        Err(layerlab_vfs::FsError::new(ErrorKind::AlreadyExists, &lp))
                    } else {
                        self.fs.write_file(&lp, f.content, f.meta)
                    }
                }
                Ok(_) => {
                    self.err_line(
                        io,
                        format_args!("ln: {target}: hard link not allowed for directory"),
                    )?;
                    return Ok(1);
                }
                Err(_) => {
                    self.err_line(
                        io,
                        format_args!("ln: failed to access '{target}': No such file or directory"),
                    )?;
                    return Ok(1);
                }
            }
        };
        if let Err(e) = res {
            let kind = if symbolic {
                "symbolic link"
            } else {
                "hard link"
            };
            self.err_line(
                io,
                format_args!(
                    "ln: failed to create {kind} '{shown}': {}",
                    e.kind.strerror()
                ),
            )?;
            return Ok(1);
        }
        Ok(0)
    }

    pub(super) fn chmod(&mut self, args: &[String], io: &Io) -> R<u8> {
        let mut recursive = false;
        let mut rest = Vec::new();
        for a in args {
            match a.as_str() {
                "-R" | "--recursive" => recursive = true,
                "-v" | "-f" | "-c" => {}
                _ => rest.push(a),
            }
        }
        let Some((mode, files)) = rest.split_first() else {
            self.err_line(io, format_args!("chmod: missing operand"))?;
            return Ok(1);
        };
        if files.is_empty() {
            self.err_line(io, format_args!("chmod: missing operand after '{mode}'"))?;
            return Ok(1);
        }
        if parse_mode(mode, 0, false).is_none() {
            self.err_line(io, format_args!("chmod: invalid mode: '{mode}'"))?;
            self.err_line(io, format_args!("Try 'chmod --help' for more information."))?;
            return Ok(1);
        }
        self.each_target("chmod", files, recursive, io, &mut |sh, path| {
            let Ok(meta) = sh.fs.metadata(path) else {
                return;
            };
            let is_dir = sh.is_dir(path);
            if let Some(m) = parse_mode(mode, meta.mode, is_dir) {
                let _ = sh.fs.set_mode(path, m);
            }
        })
    }

    /// Applies `apply` to each operand and, when recursive, everything below it; an
    /// operand that does not exist is reported as coreutils does and makes the status 1.
    /// `apply` is `dyn`: one copy serves `chmod` and `chown`.
    fn each_target(
        &mut self,
        cmd: &str,
        operands: &[&String],
        recursive: bool,
        io: &Io,
        apply: &mut dyn FnMut(&mut Self, &VfsPath),
    ) -> R<u8> {
        let mut status = 0;
        for f in operands {
            let p = self.path(f);
            if self.fs.metadata(&p).is_err() {
                self.err_line(
                    io,
                    format_args!("{cmd}: cannot access '{f}': No such file or directory"),
                )?;
                status = 1;
                continue;
            }
            for path in self.targets(&p, recursive) {
                self.tick(1)?;
                apply(self, &path);
            }
        }
        Ok(status)
    }

    /// `path` and, when recursive, everything below it (symlinks not followed).
    pub(super) fn targets(&self, p: &VfsPath, recursive: bool) -> Vec<VfsPath> {
        let mut out = vec![p.clone()];
        if recursive && (p.is_root() || matches!(self.fs.symlink_node(p), Ok(Node::Dir(_)))) {
            let mut stack = vec![p.clone()];
            while let Some(dir) = stack.pop() {
                if let Ok(entries) = self.fs.read_dir(&dir) {
                    for (name, node) in entries {
                        let c = dir.child(name);
                        if node.is_dir() {
                            stack.push(c.clone());
                        }
                        out.push(c);
                    }
                }
            }
        }
        out
    }

    pub(super) fn chown(&mut self, cmd: &str, args: &[String], io: &Io) -> R<u8> {
        let (short, _, ops) = split_args(args);
        let recursive = short.contains('R');
        let Some((spec, files)) = ops.split_first() else {
            self.err_line(io, format_args!("{cmd}: missing operand"))?;
            return Ok(1);
        };
        let spec = if cmd == "chgrp" {
            format!(":{spec}")
        } else {
            (*spec).clone()
        };
        let (user, group) = match spec.split_once([':', '.']) {
            Some((u, g)) => (u, Some(g)),
            None => (spec.as_str(), None),
        };
        let uid = if user.is_empty() {
            None
        } else {
            match crate::users::resolve_uid(self.fs, user) {
                Some(u) => Some(u),
                None => {
                    self.err_line(io, format_args!("{cmd}: invalid user: '{spec}'"))?;
                    return Ok(1);
                }
            }
        };
        let gid = match group.filter(|g| !g.is_empty()) {
            None => None,
            Some(g) => match crate::users::resolve_gid(self.fs, g) {
                Some(g) => Some(g),
                None => {
                    self.err_line(io, format_args!("{cmd}: invalid group: '{spec}'"))?;
                    return Ok(1);
                }
            },
        };
        if self.who.uid != 0 {
            self.err_line(
                io,
                format_args!("{cmd}: changing ownership: Operation not permitted"),
            )?;
            return Ok(1);
        }
        self.each_target(cmd, files, recursive, io, &mut |sh, path| {
            let Ok(meta) = sh
                .fs
                .symlink_node(path)
                .map(|n| *n.meta())
                .or_else(|_| sh.fs.metadata(path))
            else {
                return;
            };
            let _ = sh
                .fs
                .chown(path, uid.unwrap_or(meta.uid), gid.unwrap_or(meta.gid));
        })
    }

    pub(super) fn ls(&mut self, args: &[String], io: &Io) -> R<u8> {
        let (short, _, ops) = split_args(args);
        let all = short.contains('a');
        let almost = short.contains('A');
        let long = short.contains('l');
        let dir_only = short.contains('d');
        let ops: Vec<String> = if ops.is_empty() {
            vec![".".to_owned()]
        } else {
            ops.into_iter().cloned().collect()
        };
        let mut status = 0;
        let mut files = Vec::new();
        let mut dirs = Vec::new();
        for op in &ops {
            let p = self.path(op);
            if self.fs.symlink_node(&p).is_err() && !self.is_dir(&p) {
                self.err_line(
                    io,
                    format_args!("ls: cannot access '{op}': No such file or directory"),
                )?;
                status = 2;
                continue;
            }
            if self.is_dir(&p) && !dir_only {
                dirs.push((op.clone(), p));
            } else {
                files.push((op.clone(), p));
            }
        }
        let mut out = String::new();
        files.sort();
        for (name, p) in &files {
            out.push_str(&self.ls_line(name, p, long));
        }
        let multi = ops.len() > 1;
        dirs.sort();
        for (i, (name, p)) in dirs.iter().enumerate() {
            if multi {
                if i > 0 || !files.is_empty() {
                    out.push('\n');
                }
                let _ = writeln!(out, "{name}:");
            }
            let mut names: Vec<String> = Vec::new();
            if all {
                names.push(".".to_owned());
                names.push("..".to_owned());
            }
            if let Ok(entries) = self.fs.read_dir(p) {
                for (n, _) in entries {
                    if n.starts_with('.') && !all && !almost {
                        continue;
                    }
                    names.push(n.to_owned());
                }
            }
            if long {
                out.push_str("total 0\n");
            }
            for n in names {
                let cp = p.join(&n);
                out.push_str(&self.ls_line(&n, &cp, long));
            }
        }
        self.out(io, &out)?;
        Ok(status)
    }

    fn ls_line(&self, name: &str, p: &VfsPath, long: bool) -> String {
        if !long {
            return format!("{name}\n");
        }
        let node = self.fs.symlink_node(p).ok();
        let meta = node
            .map(|n| *n.meta())
            .or_else(|| self.fs.metadata(p).ok())
            .unwrap_or(layerlab_vfs::Meta::new(0));
        let (t, size, suffix) = match node {
            Some(Node::Symlink(s)) => ('l', s.target.len() as u64, format!(" -> {}", s.target)),
            Some(Node::File(f)) => ('-', f.content.len(), String::new()),
            _ => ('d', 4096, String::new()),
        };
        let user =
            crate::users::user_name(self.fs, meta.uid).unwrap_or_else(|| meta.uid.to_string());
        let group =
            crate::users::group_name(self.fs, meta.gid).unwrap_or_else(|| meta.gid.to_string());
        format!(
            "{t}{} 1 {user} {group} {size} Jan  1  1970 {name}{suffix}\n",
            mode_string(meta.mode)
        )
    }

    pub(super) fn cp(&mut self, args: &[String], io: &Io) -> R<u8> {
        let (short, long, ops) = split_args(args);
        let archive = has(&short, &long, 'a', "archive");
        let recursive = archive
            || short.contains('r')
            || short.contains('R')
            || super::any_arg(&long, &["recursive"]);
        let preserve =
            archive || short.contains('p') || long.iter().any(|l| l.starts_with("preserve"));
        self.copy_or_move("cp", &ops, io, Some((recursive, preserve)))
    }

    pub(super) fn mv(&mut self, args: &[String], io: &Io) -> R<u8> {
        let (_, _, ops) = split_args(args);
        self.copy_or_move("mv", &ops, io, None)
    }

    /// `cp`/`mv` operand handling: `SRC DST`, `SRC... DIR`.
    fn copy_or_move(
        &mut self,
        cmd: &str,
        ops: &[&String],
        io: &Io,
        copy: Option<(bool, bool)>,
    ) -> R<u8> {
        let Some((dst, srcs)) = ops.split_last() else {
            self.err_line(io, format_args!("{cmd}: missing file operand"))?;
            return Ok(1);
        };
        if srcs.is_empty() {
            self.err_line(
                io,
                format_args!("{cmd}: missing destination file operand after '{dst}'"),
            )?;
            return Ok(1);
        }
        let dp = self.path(dst);
        let into_dir = self.is_dir(&dp);
        if srcs.len() > 1 && !into_dir {
            self.err_line(io, format_args!("{cmd}: target '{dst}' is not a directory"))?;
            return Ok(1);
        }
        let mut status = 0;
        for src in srcs {
            self.tick(1)?;
            let sp = self.path(src);
            let stat = match copy {
                Some((recursive, _)) if recursive => {
                    self.fs.symlink_node(&sp).map(|n| n.node_type())
                }
                Some(_) => self.fs.node(&sp).map(|n| n.node_type()),
                None => self.fs.symlink_node(&sp).map(|n| n.node_type()),
            };
            let Ok(ty) = stat else {
                self.err_line(
                    io,
                    format_args!("{cmd}: cannot stat '{src}': No such file or directory"),
                )?;
                status = 1;
                continue;
            };
            let name = sp.file_name().unwrap_or("");
            let target = if into_dir { dp.child(name) } else { dp.clone() };
            if target == sp || target.starts_with(&sp) && ty == layerlab_vfs::NodeType::Dir {
                if target == sp {
                    self.err_line(
                        io,
                        format_args!("{cmd}: '{src}' and '{dst}' are the same file"),
                    )?;
                } else {
                    let verb = if cmd == "cp" { "copy" } else { "move" };
                    self.err_line(
                        io,
                        format_args!(
                            "{cmd}: cannot {verb} a directory, '{src}', into itself, '{target}'"
                        ),
                    )?;
                }
                status = 1;
                continue;
            }
            if !self.may_write_parent(&target) {
                self.err_line(
                    io,
                    format_args!("{cmd}: cannot create regular file '{dst}': Permission denied"),
                )?;
                status = 1;
                continue;
            }
            match copy {
                None => {
                    if let Err(e) = self.fs.rename(&sp, &target) {
                        self.err_line(
                            io,
                            format_args!(
                                "{cmd}: cannot move '{src}' to '{dst}': {}",
                                e.kind.strerror()
                            ),
                        )?;
                        status = 1;
                    }
                }
                Some((recursive, preserve)) => {
                    if ty == layerlab_vfs::NodeType::Dir && !recursive {
                        self.err_line(
                            io,
                            format_args!("cp: -r not specified; omitting directory '{src}'"),
                        )?;
                        status = 1;
                        continue;
                    }
                    if let Err(why) = self.copy_node(&sp, &target, preserve, recursive) {
                        let what = if ty == layerlab_vfs::NodeType::Dir {
                            "directory"
                        } else {
                            "regular file"
                        };
                        self.err_line(io, format_args!("cp: cannot create {what} '{dst}': {why}"))?;
                        status = 1;
                    }
                }
            }
        }
        Ok(status)
    }

    /// Copies one node (recursively for directories), merging into existing
    /// directories the way `cp -r` does.
    fn copy_node(
        &mut self,
        src: &VfsPath,
        dst: &VfsPath,
        preserve: bool,
        recursive: bool,
    ) -> Result<(), &'static str> {
        self.tick(1).map_err(|_| "step budget exhausted")?;
        let node = if recursive {
            self.fs.symlink_node(src)
        } else {
            self.fs.node(src)
        };
        let node = node.map_err(|e| e.kind.strerror())?.clone();
        let meta = if preserve {
            *node.meta()
        } else {
            let m = self.new_file_meta(node.meta().mode);
            layerlab_vfs::Meta {
                mode: node.meta().mode & !self.st.umask,
                ..m
            }
        };
        match node {
            Node::File(f) => {
                let meta = match self.fs.node(dst) {
                    Ok(Node::File(existing)) if !preserve => existing.meta,
                    _ => meta,
                };
                self.charge_bytes((f.content.len() / 64) as usize)
                    .map_err(|_| "step budget exhausted")?;
                self.fs
                    .write_file(dst, f.content, meta)
                    .map_err(|e| e.kind.strerror())
            }
            Node::Symlink(s) => {
                let _ = self.fs.remove(dst);
                self.fs
                    .symlink(&s.target, dst, meta)
                    .map_err(|e| e.kind.strerror())
            }
            Node::Dir(d) => {
                if !self.is_dir(dst) {
                    self.fs.mkdir(dst, meta).map_err(|e| e.kind.strerror())?;
                } else if preserve {
                    let _ = self.fs.set_mode(dst, meta.mode);
                }
                let names: Vec<String> = d.entries().map(|(n, _)| n.to_owned()).collect();
                for n in names {
                    self.copy_node(&src.child(&n), &dst.child(&n), preserve, recursive)?;
                }
                if preserve {
                    let _ = self.fs.chown(dst, meta.uid, meta.gid);
                    let _ = self.fs.set_mtime(dst, meta.mtime);
                }
                Ok(())
            }
        }
    }
}
