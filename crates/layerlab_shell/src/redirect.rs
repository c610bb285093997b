//! Redirections (XCU 2.7): `<`, `>`, `>>`, `>|`, `<>`, `n>&m`, `n>&-` and here-documents,
//! applied to a copy of the fd table so they last exactly one command.
//!
//! Messages and statuses are dash's: `cannot create x: Directory nonexistent` and
//! `cannot open x: No such file`, status 2, the command not run. `/dev/null`,
//! `/dev/stdout` and `/dev/stderr` are understood without existing in the image.

use crate::ast::{RedirOp, RedirTarget, Redirect};
use crate::exec::{Shell, R};
use crate::io::{Fd, Input, Io, Sink};
use layerlab_vfs::{Content, Node, VfsPath};

impl Shell<'_> {
    /// Applies redirections to a copy of `io`; `None` (after a message) when one fails.
    pub(crate) fn apply_redirects(&mut self, redirects: &[Redirect], io: &Io) -> R<Option<Io>> {
        if redirects.is_empty() {
            return Ok(Some(io.clone()));
        }
        let mut new = io.clone();
        for r in redirects {
            let default_fd = match r.op {
                RedirOp::In | RedirOp::DupIn | RedirOp::ReadWrite | RedirOp::HereDoc => 0,
                _ => 1,
            };
            let fd = r.fd.unwrap_or(default_fd) as usize;
            if fd >= new.fds.len() {
                self.error(io, format_args!("{fd}: Bad file descriptor"))?;
                return Ok(None);
            }
            let target = match &r.target {
                RedirTarget::HereDoc(doc) => {
                    let text = match doc.body.get() {
                        Some(w) => self.expand_string(w, io)?,
                        None => String::new(),
                    };
                    new.fds[fd] = Fd::Read(Input::new(Content::inline(text)));
                    continue;
                }
                RedirTarget::Word(w) => self.expand_string(w, io)?,
            };
            match r.op {
                RedirOp::DupIn | RedirOp::DupOut => {
                    if target == "-" {
                        new.fds[fd] = Fd::Closed;
                        continue;
                    }
                    let src = target.parse::<usize>().ok().filter(|&n| n < new.fds.len());
                    match src.map(|n| new.fds[n].clone()) {
                        Some(Fd::Closed) | None => {
                            self.error(io, format_args!("{target}: Bad file descriptor"))?;
                            return Ok(None);
                        }
                        Some(f) => new.fds[fd] = f,
                    }
                }
                RedirOp::In => match self.open_read(&target) {
                    Ok(c) => new.fds[fd] = Fd::Read(Input::new(c)),
                    Err(why) => {
                        self.error(io, format_args!("cannot open {target}: {why}"))?;
                        return Ok(None);
                    }
                },
                RedirOp::Out | RedirOp::Clobber | RedirOp::Append | RedirOp::ReadWrite => {
                    let append = matches!(r.op, RedirOp::Append | RedirOp::ReadWrite);
                    match self.open_write(&target, append, &new) {
                        Ok(f) => new.fds[fd] = f,
                        Err(why) => {
                            self.error(io, format_args!("cannot create {target}: {why}"))?;
                            return Ok(None);
                        }
                    }
                }
                RedirOp::HereDoc => {}
            }
        }
        Ok(Some(new))
    }

    fn open_read(&mut self, target: &str) -> Result<Content, &'static str> {
        if target == "/dev/null" || target == "/dev/zero" {
            return Ok(Content::inline(Vec::new()));
        }
        let path = self.st.cwd.join(target);
        match self.fs.node(&path) {
            Ok(Node::File(f)) => Ok(f.content.clone()),
            Ok(_) => Ok(Content::inline(Vec::new())),
            Err(_) => Err("No such file"),
        }
    }

    fn open_write(&mut self, target: &str, append: bool, io: &Io) -> Result<Fd, &'static str> {
        match target {
            "/dev/null" => return Ok(Fd::Write(Sink::Null)),
            "/dev/stdout" => return Ok(io.fds[1].clone()),
            "/dev/stderr" => return Ok(io.fds[2].clone()),
            _ => {}
        }
        if target.is_empty() {
            return Err("Directory nonexistent");
        }
        let path = self.st.cwd.join(target);
        let real = self
            .fs
            .resolve(&path, true)
            .map_err(|_| "Directory nonexistent")?;
        let parent = real.parent().unwrap_or_else(VfsPath::root);
        match self.fs.node(&real) {
            Ok(Node::Dir(_)) => return Err("Is a directory"),
            Err(_) if real.is_root() => return Err("Is a directory"),
            Ok(_) => {
                if !crate::perm::may_write(self.fs, &real, &self.who) {
                    return Err("Permission denied");
                }
                if !append {
                    let meta = self
                        .fs
                        .metadata(&real)
                        .map_err(|_| "Directory nonexistent")?;
                    let _ = self.fs.write_file(&real, Content::inline(Vec::new()), meta);
                }
            }
            Err(_) => {
                if !self.is_dir(&parent) {
                    return Err("Directory nonexistent");
                }
                if !crate::perm::may_write(self.fs, &parent, &self.who) {
                    return Err("Permission denied");
                }
                let meta = self.new_file_meta(0o666);
                self.fs
                    .write_file(&real, Content::inline(Vec::new()), meta)
                    .map_err(|_| "Directory nonexistent")?;
            }
        }
        Ok(Fd::Write(Sink::File(real)))
    }
}
