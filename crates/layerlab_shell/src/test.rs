//! `test` / `[` (XCU test): file tests against the VFS, string and integer comparisons,
//! `!`, `-a`, `-o` and parentheses.

use crate::exec::{Shell, R};
use crate::io::Io;
use layerlab_vfs::Node;

/// Runs `test`; status 0 true, 1 false, 2 error.
pub(crate) fn test(sh: &mut Shell<'_>, name: &str, args: &[String], io: &Io) -> R<u8> {
    let cond = name == "[[";
    let mut args: Vec<&str> = args
        .iter()
        .map(|a| match (cond, a.as_str()) {
            (true, "&&") => "-a",
            (true, "||") => "-o",
            (_, s) => s,
        })
        .collect();
    if name == "[" || name == "[[" {
        let close = if name == "[" { "]" } else { "]]" };
        if args.last() != Some(&close) {
            sh.error(io, format_args!("{name}: missing {close}"))?;
            return Ok(2);
        }
        args.pop();
    }
    let mut p = TestParser {
        sh,
        args: &args,
        i: 0,
        err: None,
        depth: 0,
        cond,
    };
    let res = if p.args.is_empty() { false } else { p.or() };
    let res = match (p.err.take(), p.i < args.len()) {
        (Some(e), _) => Err(e),
        // dash names the last token it consumed, not the first one left over.
        (None, true) => Err(match args[p.i.saturating_sub(1)] {
            // dash drops the token when it is empty.
            "" => "unexpected operator".to_owned(),
            tok => format!("{tok}: unexpected operator"),
        }),
        (None, false) => Ok(res),
    };
    match res {
        Ok(b) => Ok(u8::from(!b)),
        Err(msg) => {
            sh.error(io, format_args!("{name}: {msg}"))?;
            Ok(2)
        }
    }
}

struct TestParser<'s, 'a, 'b> {
    sh: &'s mut Shell<'b>,
    args: &'a [&'a str],
    i: usize,
    err: Option<String>,
    depth: u32,
    /// `[[ ]]`: `==`/`!=` match patterns, `=~` matches an extended regex.
    cond: bool,
}

impl<'a> TestParser<'_, 'a, '_> {
    fn peek(&self) -> Option<&'a str> {
        self.args.get(self.i).copied()
    }

    fn or(&mut self) -> bool {
        let mut v = self.and();
        while self.peek() == Some("-o") {
            self.i += 1;
            let r = self.and();
            v = v || r;
        }
        v
    }

    fn and(&mut self) -> bool {
        let mut v = self.not();
        while self.peek() == Some("-a") {
            self.i += 1;
            let r = self.not();
            v = v && r;
        }
        v
    }

    fn not(&mut self) -> bool {
        // `! x` negates, unless `!` is itself the left side of a binary operator.
        let mut negate = false;
        while self.peek() == Some("!") && !self.args.get(self.i + 1).is_some_and(|a| is_binary(a)) {
            self.i += 1;
            negate = !negate;
        }
        self.primary() != negate
    }

    fn primary(&mut self) -> bool {
        let Some(a) = self.peek() else {
            self.err
                .get_or_insert_with(|| "argument expected".to_owned());
            return false;
        };
        if a == "(" && !self.args.get(self.i + 1).is_some_and(|x| is_binary(x)) {
            self.i += 1;
            self.depth += 1;
            if self.depth > 100 {
                self.err
                    .get_or_insert_with(|| "expression too complex".to_owned());
                self.i = self.args.len();
                return false;
            }
            let v = self.or();
            self.depth -= 1;
            if self.peek() == Some(")") {
                self.i += 1;
            } else {
                self.err
                    .get_or_insert_with(|| "closing paren expected".to_owned());
            }
            return v;
        }
        // `=~` is an operator only inside bash's `[[ ]]`.
        let cond = self.cond;
        if let Some(op) = self
            .args
            .get(self.i + 1)
            .copied()
            .filter(|o| is_binary(o) && (cond || *o != "=~"))
        {
            if let Some(b) = self.args.get(self.i + 2).copied() {
                self.i += 3;
                return self.binary(a, op, b);
            }
            self.err
                .get_or_insert_with(|| format!("{op}: argument expected"));
            self.i = self.args.len();
            return false;
        }
        if is_unary(a) {
            if let Some(operand) = self.args.get(self.i + 1).copied() {
                self.i += 2;
                return self.unary(a, operand);
            }
        }
        self.i += 1;
        !a.is_empty()
    }

    fn int(&mut self, s: &str) -> i64 {
        match s.trim().parse::<i64>() {
            Ok(n) => n,
            Err(_) => {
                self.err
                    .get_or_insert_with(|| format!("Illegal number: {s}"));
                0
            }
        }
    }

    fn binary(&mut self, a: &str, op: &str, b: &str) -> bool {
        match op {
            "=" | "==" | "!=" if self.cond => crate::glob::matches(b, a) == (op != "!="),
            "=~" => match crate::utils::regex_matches(b, a) {
                Some(m) => m,
                None => {
                    self.err
                        .get_or_insert_with(|| "invalid regular expression".to_owned());
                    false
                }
            },
            "=" | "==" => a == b,
            "!=" => a != b,
            "<" => a < b,
            ">" => a > b,
            "-nt" | "-ot" | "-ef" => {
                let pa = self.sh.path(a);
                let pb = self.sh.path(b);
                let (ma, mb) = (self.sh.fs.metadata(&pa), self.sh.fs.metadata(&pb));
                match (op, ma, mb) {
                    ("-nt", Ok(x), Ok(y)) => x.mtime > y.mtime,
                    ("-ot", Ok(x), Ok(y)) => x.mtime < y.mtime,
                    ("-ef", Ok(_), Ok(_)) => {
                        self.sh.fs.resolve(&pa, true).ok() == self.sh.fs.resolve(&pb, true).ok()
                    }
                    _ => false,
                }
            }
            _ => {
                let (x, y) = (self.int(a), self.int(b));
                match op {
                    "-eq" => x == y,
                    "-ne" => x != y,
                    "-lt" => x < y,
                    "-le" => x <= y,
                    "-gt" => x > y,
                    _ => x >= y,
                }
            }
        }
    }

    fn unary(&mut self, op: &str, s: &str) -> bool {
        match op {
            "-z" => s.is_empty(),
            "-n" => !s.is_empty(),
            "-t" => false,
            _ => {
                let path = self.sh.path(s);
                if s.is_empty() {
                    return false;
                }
                if op == "-L" || op == "-h" {
                    return matches!(self.sh.fs.symlink_node(&path), Ok(Node::Symlink(_)));
                }
                let is_root = self.sh.fs.resolve(&path, true).is_ok_and(|p| p.is_root());
                let node = self.sh.fs.node(&path);
                let Ok(meta) = self.sh.fs.metadata(&path) else {
                    return false;
                };
                let dir = is_root || matches!(node, Ok(Node::Dir(_)));
                match op {
                    "-e" => true,
                    "-f" => matches!(node, Ok(Node::File(_))),
                    "-d" => dir,
                    "-s" => node.is_ok_and(|n| n.size() > 0) || dir,
                    "-r" => crate::perm::may(self.sh.fs, &meta, &self.sh.who, 4),
                    "-w" => crate::perm::may(self.sh.fs, &meta, &self.sh.who, 2),
                    "-x" => crate::perm::may_exec(&meta, &self.sh.who, dir),
                    "-u" => meta.mode & 0o4000 != 0,
                    "-g" => meta.mode & 0o2000 != 0,
                    "-k" => meta.mode & 0o1000 != 0,
                    "-O" => meta.uid == self.sh.who.uid,
                    "-G" => meta.gid == self.sh.who.gid,
                    _ => false,
                }
            }
        }
    }
}

fn is_binary(s: &str) -> bool {
    matches!(
        s,
        "=" | "=="
            | "!="
            | "=~"
            | "<"
            | ">"
            | "-eq"
            | "-ne"
            | "-lt"
            | "-le"
            | "-gt"
            | "-ge"
            | "-nt"
            | "-ot"
            | "-ef"
    )
}

fn is_unary(s: &str) -> bool {
    matches!(
        s,
        "-z" | "-n"
            | "-e"
            | "-f"
            | "-d"
            | "-s"
            | "-r"
            | "-w"
            | "-x"
            | "-L"
            | "-h"
            | "-t"
            | "-u"
            | "-g"
            | "-k"
            | "-O"
            | "-G"
            | "-b"
            | "-c"
            | "-p"
            | "-S"
    )
}
