//! `find PATH... [EXPR]` with `-name`, `-iname`, `-path`, `-type`, `-maxdepth`,
//! `-mindepth`, `!`/`-not`, `-o`, `-print`, `-delete` and `-exec ... {} ;|+`.
//!
//! Directories are listed in name order (the VFS order), not in on-disk order.

use crate::exec::{Shell, R};
use crate::glob;
use crate::io::Io;
use layerlab_vfs::{Dir, Node, NodeType, VfsPath};

#[derive(Clone, Debug)]
enum Pred {
    Name(glob::Pattern),
    Path(String),
    Type(char),
    Empty,
    Print,
    Delete,
    Exec(Vec<String>, bool),
    Not(Box<Pred>),
    And(Vec<Pred>),
    Or(Vec<Pred>),
    True,
}

impl Shell<'_> {
    pub(super) fn find(&mut self, args: &[String], io: &Io) -> R<u8> {
        let split = args
            .iter()
            .position(|a| a.starts_with('-') || a == "!" || a == "(")
            .unwrap_or(args.len());
        let mut roots: Vec<String> = args[..split].to_vec();
        if roots.is_empty() {
            roots.push(".".to_owned());
        }
        let mut maxdepth = u32::MAX;
        let mut mindepth = 0;
        let mut toks: Vec<String> = Vec::new();
        let mut i = split;
        while i < args.len() {
            match args[i].as_str() {
                "-maxdepth" | "-mindepth" => {
                    let n = args.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or(0);
                    if args[i] == "-maxdepth" {
                        maxdepth = n
                    } else {
                        mindepth = n
                    }
                    i += 2;
                }
                "-xdev" | "-mount" | "-depth" | "-L" | "-H" | "-P" => i += 1,
                _ => {
                    toks.push(args[i].clone());
                    i += 1;
                }
            }
        }
        let mut pos = 0;
        let pred = match parse_or(&toks, &mut pos) {
            Ok(p) if pos == toks.len() => p,
            Ok(_) => {
                self.err_line(io, format_args!("find: unknown predicate `{}'", toks[pos]))?;
                return Ok(1);
            }
            Err(msg) => {
                self.err_line(io, format_args!("find: {msg}"))?;
                return Ok(1);
            }
        };
        let has_action = has_action(&pred);
        let pred = if has_action {
            pred
        } else {
            Pred::And(vec![pred, Pred::Print])
        };
        let mut status = 0;
        for root in roots {
            let rp = self.path(&root);
            if self.fs.symlink_node(&rp).is_err() && !rp.is_root() {
                self.err_line(
                    io,
                    format_args!("find: '{root}': No such file or directory"),
                )?;
                status = 1;
                continue;
            }
            // `-delete` implies `-depth`: children are visited before their parent.
            let post = contains_delete(&pred);
            let mut items = Vec::new();
            let start_kind = if rp.is_root() {
                Some(NodeType::Dir)
            } else {
                self.fs.symlink_node(&rp).ok().map(Node::node_type)
            };
            let start_dir = if rp.is_root() {
                Some(self.fs.root())
            } else {
                self.fs.symlink_node(&rp).ok().and_then(Node::as_dir)
            };
            let start = Item {
                shown: root.clone(),
                path: rp.clone(),
                depth: 0,
                kind: start_kind.unwrap_or(NodeType::File),
                empty: start_dir.is_some_and(|d| d.is_empty()),
            };
            if !post {
                items.push(start.clone());
            }
            if let Some(dir) = start_dir {
                if maxdepth > 0 {
                    collect(
                        dir,
                        &start.shown,
                        &start.path,
                        1,
                        maxdepth,
                        post,
                        &mut items,
                    );
                }
            }
            if post {
                items.push(start);
            }
            self.tick(items.len() as u64)?;
            let mut batch: Vec<String> = Vec::new();
            for item in items {
                if item.depth < mindepth {
                    continue;
                }
                self.eval_pred(&pred, &item, io, &mut status, &mut batch)?;
            }
            if let Some(cmd) = exec_plus(&pred) {
                if !batch.is_empty() {
                    let mut argv: Vec<String> =
                        cmd.iter().filter(|a| a.as_str() != "{}").cloned().collect();
                    argv.extend(batch);
                    let s = self.dispatch_argv(&argv, io)?;
                    if s != 0 {
                        status = 1;
                    }
                }
            }
        }
        Ok(status)
    }

    fn dispatch_argv(&mut self, argv: &[String], io: &Io) -> R<u8> {
        if let Some(s) = self.run_builtin(argv, io)? {
            return Ok(s);
        }
        self.run_external(argv, io)
    }

    fn eval_pred(
        &mut self,
        pred: &Pred,
        item: &Item,
        io: &Io,
        status: &mut u8,
        batch: &mut Vec<String>,
    ) -> R<bool> {
        let (shown, p) = (item.shown.as_str(), &item.path);
        Ok(match pred {
            Pred::True => true,
            Pred::Name(pat) => {
                let name = p.file_name().unwrap_or("/");
                let name = if shown == "." { "." } else { name };
                pat.matches(name)
            }
            Pred::Path(pat) => glob::matches(pat, shown),
            Pred::Type(t) => matches!(
                (t, item.kind),
                ('f', NodeType::File) | ('l', NodeType::Symlink) | ('d', NodeType::Dir)
            ),
            // Checked live: with -delete, a directory may have just been emptied.
            Pred::Empty => match item.kind {
                NodeType::Dir => self.fs.read_dir(p).is_ok_and(|d| d.is_empty()),
                NodeType::File => item.empty,
                NodeType::Symlink => false,
            },
            Pred::Print => {
                self.out_line(io, format_args!("{shown}"))?;
                true
            }
            Pred::Delete => {
                if shown == "." {
                    return Ok(true);
                }
                match self.fs.symlink_node(p) {
                    Ok(Node::Dir(d)) if !d.is_empty() => {
                        self.err_line(
                            io,
                            format_args!("find: cannot delete '{shown}': Directory not empty"),
                        )?;
                        *status = 1;
                        false
                    }
                    _ => self.fs.remove(p).is_ok(),
                }
            }
            Pred::Exec(cmd, plus) => {
                if *plus {
                    batch.push(shown.to_owned());
                    true
                } else {
                    let argv: Vec<String> = cmd.iter().map(|a| a.replace("{}", shown)).collect();
                    self.dispatch_argv(&argv, io)? == 0
                }
            }
            Pred::Not(inner) => !self.eval_pred(inner, item, io, status, batch)?,
            Pred::And(list) => {
                for x in list {
                    if !self.eval_pred(x, item, io, status, batch)? {
                        return Ok(false);
                    }
                }
                true
            }
            Pred::Or(list) => {
                for x in list {
                    if self.eval_pred(x, item, io, status, batch)? {
                        return Ok(true);
                    }
                }
                false
            }
        })
    }
}

/// One visited path with what the walk already knows about it.
#[derive(Clone, Debug)]
struct Item {
    shown: String,
    path: VfsPath,
    depth: u32,
    kind: NodeType,
    empty: bool,
}

/// Lists the children of `dir` (recursively, up to `maxdepth`) straight from the tree,
/// without resolving each path again.
fn collect(
    dir: &Dir,
    shown: &str,
    path: &VfsPath,
    depth: u32,
    maxdepth: u32,
    post: bool,
    out: &mut Vec<Item>,
) {
    for (name, node) in dir.entries() {
        let shown = if shown.ends_with('/') {
            format!("{shown}{name}")
        } else {
            format!("{shown}/{name}")
        };
        let item = Item {
            path: path.child(name),
            shown,
            depth,
            kind: node.node_type(),
            empty: match node {
                Node::File(f) => f.content.is_empty(),
                Node::Dir(d) => d.is_empty(),
                Node::Symlink(_) => false,
            },
        };
        let sub = node.as_dir().filter(|_| depth < maxdepth);
        if !post {
            out.push(item.clone());
        }
        if let Some(d) = sub {
            collect(d, &item.shown, &item.path, depth + 1, maxdepth, post, out);
        }
        if post {
            out.push(item);
        }
    }
}

fn parse_or(t: &[String], i: &mut usize) -> Result<Pred, String> {
    let mut alts = vec![parse_and(t, i)?];
    while t.get(*i).is_some_and(|x| x == "-o" || x == "-or") {
        *i += 1;
        alts.push(parse_and(t, i)?);
    }
    Ok(if alts.len() == 1 {
        alts.pop().unwrap_or(Pred::True)
    } else {
        Pred::Or(alts)
    })
}

fn parse_and(t: &[String], i: &mut usize) -> Result<Pred, String> {
    let mut all = Vec::new();
    while let Some(x) = t.get(*i) {
        if x == "-o" || x == "-or" || x == ")" {
            break;
        }
        if x == "-a" || x == "-and" {
            *i += 1;
            continue;
        }
        all.push(parse_unary(t, i)?);
    }
    Ok(if all.is_empty() {
        Pred::True
    } else {
        Pred::And(all)
    })
}

fn parse_unary(t: &[String], i: &mut usize) -> Result<Pred, String> {
    let Some(x) = t.get(*i).cloned() else {
        return Err(
            "invalid expression; expected an expression after the last operator".to_owned(),
        );
    };
    if *i > 10_000 {
        return Err("expression too complex".to_owned());
    }
    *i += 1;
    let mut arg = || {
        let v = t
            .get(*i)
            .cloned()
            .ok_or_else(|| format!("missing argument to `{x}'"));
        *i += 1;
        v
    };
    Ok(match x.as_str() {
        "!" | "-not" => Pred::Not(Box::new(parse_unary(t, i)?)),
        "(" => {
            let p = parse_or(t, i)?;
            if t.get(*i).map(String::as_str) != Some(")") {
                return Err(
                    "invalid expression; I was expecting to find a ')' somewhere".to_owned(),
                );
            }
            *i += 1;
            p
        }
        "-name" => Pred::Name(glob::Pattern::new(&arg()?)),
        "-iname" => Pred::Name(glob::Pattern::new(&arg()?).case_insensitive()),
        "-path" | "-wholename" => Pred::Path(arg()?),
        "-type" => Pred::Type(arg()?.chars().next().unwrap_or('f')),
        "-empty" => Pred::Empty,
        "-print" | "-print0" => Pred::Print,
        "-delete" => Pred::Delete,
        "-exec" | "-execdir" => {
            let mut cmd = Vec::new();
            loop {
                let Some(a) = t.get(*i) else {
                    return Err(format!("missing argument to `{x}'"));
                };
                *i += 1;
                if a == ";" {
                    return Ok(Pred::Exec(cmd, false));
                }
                if a == "+" && cmd.last().is_some_and(|c: &String| c == "{}") {
                    return Ok(Pred::Exec(cmd, true));
                }
                cmd.push(a.clone());
            }
        }
        "-newer" | "-user" | "-group" | "-perm" | "-size" | "-mtime" | "-prune" => {
            return Err(format!("predicate `{x}' is not modeled by the simulator"));
        }
        _ => return Err(format!("unknown predicate `{x}'")),
    })
}

fn has_action(p: &Pred) -> bool {
    match p {
        Pred::Print | Pred::Delete | Pred::Exec(..) => true,
        Pred::Not(x) => has_action(x),
        Pred::And(l) | Pred::Or(l) => l.iter().any(has_action),
        _ => false,
    }
}

fn contains_delete(p: &Pred) -> bool {
    match p {
        Pred::Delete => true,
        Pred::Not(x) => contains_delete(x),
        Pred::And(l) | Pred::Or(l) => l.iter().any(contains_delete),
        _ => false,
    }
}

fn exec_plus(p: &Pred) -> Option<&Vec<String>> {
    match p {
        Pred::Exec(cmd, true) => Some(cmd),
        Pred::Not(x) => exec_plus(x),
        Pred::And(l) | Pred::Or(l) => l.iter().find_map(exec_plus),
        _ => None,
    }
}
