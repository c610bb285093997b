//! `sed` (`s`, `d`, `p`, `a`/`i`/`c` with line, `$` and `/re/` addresses; `-n`, `-e`,
//! `-E`, `-i`) and the small regular-expression engine it shares with `grep`.
//!
//! No `regex` crate ships to the browser: this is a backtracking matcher for POSIX
//! basic and extended syntax (`.`, `[..]`, `^`, `$`, `*`, `\+`/`+`, `\?`/`?`,
//! `\{m,n\}`, groups, alternation, back-references), with a step budget so hostile
//! patterns end instead of running away.

use crate::exec::{Shell, R};
use crate::io::Io;
use layerlab_vfs::Content;

#[derive(Clone, Debug)]
enum Node {
    Char(char),
    Any,
    Class(Vec<(char, char)>, bool),
    Start,
    End,
    Group(usize, Vec<Vec<Node>>),
    Repeat(Box<Node>, u32, u32),
    Backref(usize),
}

/// A compiled regular expression.
#[derive(Clone, Debug)]
pub(crate) struct Regex {
    alts: Vec<Vec<Node>>,
    groups: usize,
    icase: bool,
    depth: std::cell::Cell<u32>,
}

/// Deepest matcher recursion (frames) before a match attempt is abandoned.
const MAX_MATCH_DEPTH: u32 = 1_000;

enum Cont<'a> {
    Done,
    Seq(&'a [Node], &'a Cont<'a>),
    Close(usize, usize, &'a Cont<'a>),
    Rep(&'a Node, u32, u32, u32, usize, &'a [Node], &'a Cont<'a>),
}

type Caps = Vec<Option<(usize, usize)>>;

impl Regex {
    pub(crate) fn new(pat: &str, extended: bool, icase: bool) -> Result<Regex, String> {
        let chars: Vec<char> = pat.chars().collect();
        let mut i = 0;
        let mut groups = 0;
        let alts = parse_alts(&chars, &mut i, extended, &mut groups, 0)?;
        if i < chars.len() {
            return Err("Unmatched ) or \\)".to_owned());
        }
        Ok(Regex {
            alts,
            groups,
            icase,
            depth: std::cell::Cell::new(0),
        })
    }

    /// The first match at or after `from`: (start, end, captures).
    pub(crate) fn find(
        &self,
        text: &str,
        from: usize,
        budget: &mut u64,
    ) -> Option<(usize, usize, Caps)> {
        let t: Vec<char> = text.chars().collect();
        self.find_chars(&t, from, budget)
    }

    fn find_chars(
        &self,
        t: &[char],
        from: usize,
        budget: &mut u64,
    ) -> Option<(usize, usize, Caps)> {
        for start in from..=t.len() {
            for alt in &self.alts {
                let mut caps: Caps = vec![None; self.groups + 1];
                if let Some(end) = self.m(alt, &Cont::Done, t, start, &mut caps, budget) {
                    caps[0] = Some((start, end));
                    return Some((start, end, caps));
                }
            }
            if *budget == 0 {
                return None;
            }
        }
        None
    }

    /// `I` folds ASCII letters only, as GNU sed does in a container's default C locale.
    fn eq(&self, a: char, b: char) -> bool {
        a == b || (self.icase && a.eq_ignore_ascii_case(&b))
    }

    fn single(&self, n: &Node, c: char) -> bool {
        match n {
            Node::Char(x) => self.eq(*x, c),
            Node::Any => c != '\n',
            Node::Class(items, neg) => {
                let hit = items.iter().any(|&(lo, hi)| {
                    (lo <= c && c <= hi)
                        || (self.icase
                            && [c.to_ascii_lowercase(), c.to_ascii_uppercase()]
                                .into_iter()
                                .any(|d| lo <= d && d <= hi))
                });
                hit != *neg
            }
            _ => false,
        }
    }

    fn m(
        &self,
        nodes: &[Node],
        k: &Cont<'_>,
        t: &[char],
        pos: usize,
        caps: &mut Caps,
        budget: &mut u64,
    ) -> Option<usize> {
        // Each call is one step of the budget and one stack frame: the depth limit keeps
        // group repetitions over long lines from overflowing the stack.
        if *budget == 0 || self.depth.get() > MAX_MATCH_DEPTH {
            return None;
        }
        *budget -= 1;
        self.depth.set(self.depth.get() + 1);
        let res = self.m_inner(nodes, k, t, pos, caps, budget);
        self.depth.set(self.depth.get() - 1);
        res
    }

    fn m_inner(
        &self,
        nodes: &[Node],
        k: &Cont<'_>,
        t: &[char],
        pos: usize,
        caps: &mut Caps,
        budget: &mut u64,
    ) -> Option<usize> {
        let Some((first, rest)) = nodes.split_first() else {
            return match k {
                Cont::Done => Some(pos),
                Cont::Seq(n, k2) => self.m(n, k2, t, pos, caps, budget),
                Cont::Close(g, start, k2) => {
                    let old = caps[*g];
                    caps[*g] = Some((*start, pos));
                    let r = self.m(&[], k2, t, pos, caps, budget);
                    if r.is_none() {
                        caps[*g] = old;
                    }
                    r
                }
                Cont::Rep(node, min, max, count, start, rest, k2) => {
                    // One more iteration done; an empty iteration ends the loop.
                    if pos == *start && count >= min {
                        return self.m(rest, k2, t, pos, caps, budget);
                    }
                    self.rep(node, *min, *max, count + 1, rest, k2, t, pos, caps, budget)
                }
            };
        };
        match first {
            Node::Start => (pos == 0)
                .then_some(())
                .and_then(|()| self.m(rest, k, t, pos, caps, budget)),
            Node::End => (pos == t.len())
                .then_some(())
                .and_then(|()| self.m(rest, k, t, pos, caps, budget)),
            Node::Group(g, alts) => {
                let k2 = Cont::Seq(rest, k);
                let k3 = Cont::Close(*g, pos, &k2);
                alts.iter()
                    .find_map(|alt| self.m(alt, &k3, t, pos, caps, budget))
            }
            Node::Repeat(node, min, max) => {
                if matches!(**node, Node::Char(_) | Node::Any | Node::Class(..)) {
                    let mut n = 0;
                    while n < *max
                        && pos + (n as usize) < t.len()
                        && self.single(node, t[pos + n as usize])
                    {
                        n += 1;
                    }
                    if n < *min {
                        return None;
                    }
                    (*min..=n)
                        .rev()
                        .find_map(|c| self.m(rest, k, t, pos + c as usize, caps, budget))
                } else {
                    self.rep(node, *min, *max, 0, rest, k, t, pos, caps, budget)
                }
            }
            Node::Backref(g) => {
                let (s, e) = caps.get(*g).copied().flatten()?;
                let len = e - s;
                if pos + len <= t.len() && (0..len).all(|i| self.eq(t[s + i], t[pos + i])) {
                    self.m(rest, k, t, pos + len, caps, budget)
                } else {
                    None
                }
            }
            n => {
                if pos < t.len() && self.single(n, t[pos]) {
                    self.m(rest, k, t, pos + 1, caps, budget)
                } else {
                    None
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn rep(
        &self,
        node: &Node,
        min: u32,
        max: u32,
        count: u32,
        rest: &[Node],
        k: &Cont<'_>,
        t: &[char],
        pos: usize,
        caps: &mut Caps,
        budget: &mut u64,
    ) -> Option<usize> {
        if count < max {
            let k2 = Cont::Rep(node, min, max, count, pos, rest, k);
            if let Some(r) = self.m(std::slice::from_ref(node), &k2, t, pos, caps, budget) {
                return Some(r);
            }
        }
        if count >= min {
            return self.m(rest, k, t, pos, caps, budget);
        }
        None
    }
}

fn parse_alts(
    c: &[char],
    i: &mut usize,
    ere: bool,
    groups: &mut usize,
    depth: u32,
) -> Result<Vec<Vec<Node>>, String> {
    if depth > 50 {
        return Err("Regular expression too big".to_owned());
    }
    let mut alts = vec![Vec::new()];
    while *i < c.len() {
        let ch = c[*i];
        let escaped_next = c.get(*i + 1).copied();
        // Alternation and group ends.
        if (ere && ch == '|') || (!ere && ch == '\\' && escaped_next == Some('|')) {
            *i += if ere { 1 } else { 2 };
            alts.push(Vec::new());
            continue;
        }
        if (ere && ch == ')') || (!ere && ch == '\\' && escaped_next == Some(')')) {
            break;
        }
        let seq = alts.last_mut().expect("at least one alternative");
        let atom = if (ere && ch == '(') || (!ere && ch == '\\' && escaped_next == Some('(')) {
            *i += if ere { 1 } else { 2 };
            *groups += 1;
            let g = *groups;
            let inner = parse_alts(c, i, ere, groups, depth + 1)?;
            let close = if ere {
                c.get(*i) == Some(&')')
            } else {
                c.get(*i) == Some(&'\\') && c.get(*i + 1) == Some(&')')
            };
            if !close {
                return Err("Unmatched ( or \\(".to_owned());
            }
            *i += if ere { 1 } else { 2 };
            Node::Group(g, inner)
        } else if ch == '\\' {
            *i += 2;
            match escaped_next {
                Some(d @ '1'..='9') => Node::Backref(d as usize - '0' as usize),
                Some('n') => Node::Char('\n'),
                Some('t') => Node::Char('\t'),
                Some(x) => Node::Char(x),
                None => return Err("Trailing backslash".to_owned()),
            }
        } else if ch == '.' {
            *i += 1;
            Node::Any
        } else if ch == '^' && seq.is_empty() {
            *i += 1;
            Node::Start
        } else if ch == '$'
            && (*i + 1 == c.len()
                || (ere && c[*i + 1] == '|')
                || (ere && c[*i + 1] == ')')
                || (!ere && c[*i + 1] == '\\' && matches!(c.get(*i + 2), Some(')' | '|'))))
        {
            *i += 1;
            Node::End
        } else if ch == '[' {
            let (node, next) = parse_class(c, *i).ok_or("Unmatched [, [^, [:, [., or [=")?;
            *i = next;
            node
        } else if ch == '*' && seq.is_empty() {
            *i += 1;
            Node::Char('*')
        } else {
            *i += 1;
            Node::Char(ch)
        };
        seq.push(atom);
        // Postfix operators.
        loop {
            let (min, max, len) = match (c.get(*i), c.get(*i + 1)) {
                (Some('*'), _) => (0, u32::MAX, 1),
                (Some('+'), _) if ere => (1, u32::MAX, 1),
                (Some('?'), _) if ere => (0, 1, 1),
                (Some('\\'), Some('+')) if !ere => (1, u32::MAX, 2),
                (Some('\\'), Some('?')) if !ere => (0, 1, 2),
                (Some('{'), _) if ere => {
                    parse_interval(c, *i + 1, "}").ok_or("Invalid content of \\{\\}")?
                }
                (Some('\\'), Some('{')) if !ere => {
                    let (a, b, l) =
                        parse_interval(c, *i + 2, "\\}").ok_or("Invalid content of \\{\\}")?;
                    (a, b, l + 1)
                }
                _ => break,
            };
            *i += len;
            let last = seq.pop().expect("an atom was pushed");
            seq.push(Node::Repeat(Box::new(last), min, max));
        }
    }
    Ok(alts)
}

/// `m}`, `m,}`, `m,n}` after the opening brace; returns (min, max, chars consumed
/// including the opening brace).
fn parse_interval(c: &[char], start: usize, close: &str) -> Option<(u32, u32, usize)> {
    let rest: String = c[start..].iter().collect();
    let end = rest.find(close)?;
    let body = &rest[..end];
    let (min, max) = match body.split_once(',') {
        Some((a, "")) => (a.parse().ok()?, u32::MAX),
        Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
        None => {
            let n = body.parse().ok()?;
            (n, n)
        }
    };
    (min <= max && min <= 1000).then_some((
        min,
        max.min(1000).max(min),
        1 + body.chars().count() + close.len(),
    ))
}

fn parse_class(c: &[char], start: usize) -> Option<(Node, usize)> {
    let text: String = c[start..].iter().collect();
    // Reuse the glob class parser's rules by compiling `[...]` as a one-char pattern.
    let mut i = start + 1;
    let neg = c.get(i) == Some(&'^');
    if neg {
        i += 1;
    }
    let first = i;
    let mut items = Vec::new();
    loop {
        let ch = *c.get(i)?;
        if ch == ']' && i > first {
            let _ = text;
            return Some((Node::Class(items, neg), i + 1));
        }
        if ch == '[' && c.get(i + 1) == Some(&':') {
            let rest: String = c[i + 2..].iter().collect();
            let end = rest.find(":]")?;
            let ranges: &[(char, char)] = match &rest[..end] {
                "alpha" => &[('a', 'z'), ('A', 'Z')],
                "digit" => &[('0', '9')],
                "alnum" => &[('a', 'z'), ('A', 'Z'), ('0', '9')],
                "upper" => &[('A', 'Z')],
                "lower" => &[('a', 'z')],
                "space" => &[(' ', ' '), ('\t', '\r')],
                "blank" => &[(' ', ' '), ('\t', '\t')],
                "xdigit" => &[('0', '9'), ('a', 'f'), ('A', 'F')],
                "punct" => &[('!', '/'), (':', '@'), ('[', '`'), ('{', '~')],
                _ => &[],
            };
            items.extend_from_slice(ranges);
            i += 2 + end + 2;
            continue;
        }
        if c.get(i + 1) == Some(&'-') && c.get(i + 2).is_some_and(|&e| e != ']') {
            items.push((ch, c[i + 2]));
            i += 3;
        } else {
            items.push((ch, ch));
            i += 1;
        }
    }
}

#[derive(Clone, Debug)]
enum Addr {
    Line(usize),
    Last,
    Re(Regex),
}

#[derive(Clone, Debug)]
enum Cmd {
    Subst {
        re: Regex,
        rep: String,
        global: bool,
        nth: usize,
        print: bool,
    },
    Delete,
    Print,
    Append(String),
    Insert(String),
    Change(String),
}

/// Splits `s/a/b/` style text at unescaped `delim`s.
fn split_delim(
    s: &[char],
    start: usize,
    delim: char,
    parts: usize,
) -> Option<(Vec<String>, usize)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut i = start;
    while i < s.len() && out.len() < parts {
        let c = s[i];
        if c == '\\' && i + 1 < s.len() {
            if s[i + 1] == delim {
                cur.push(delim);
            } else {
                cur.push('\\');
                cur.push(s[i + 1]);
            }
            i += 2;
            continue;
        }
        if c == delim {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
        i += 1;
    }
    (out.len() == parts).then_some((out, i))
}

/// One address: a line number, `$` or `/re/` (`\cREc`).
fn parse_addr(c: &[char], i: &mut usize, ere: bool) -> Result<Option<Addr>, String> {
    let Some(&ch) = c.get(*i) else {
        return Ok(None);
    };
    Ok(if ch.is_ascii_digit() {
        let s = *i;
        while *i < c.len() && c[*i].is_ascii_digit() {
            *i += 1;
        }
        Some(Addr::Line(
            c[s..*i].iter().collect::<String>().parse().unwrap_or(0),
        ))
    } else if ch == '$' {
        *i += 1;
        Some(Addr::Last)
    } else if ch == '/' || ch == '\\' {
        let delim = if ch == '\\' {
            *i += 1;
            *c.get(*i).ok_or("unterminated address regex")?
        } else {
            '/'
        };
        let (parts, next) = split_delim(c, *i + 1, delim, 1).ok_or("unterminated address regex")?;
        *i = next;
        Some(Addr::Re(Regex::new(&parts[0], ere, false)?))
    } else {
        None
    })
}

/// A command's address: one line selector or an inclusive range.
#[derive(Clone, Debug)]
enum Address {
    One(Addr),
    Range(Addr, Addr),
}

type Program = Vec<(Option<Address>, bool, Cmd)>;

fn parse_script(script: &str, ere: bool) -> Result<Program, String> {
    let c: Vec<char> = script.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < c.len() {
        while i < c.len() && (c[i].is_whitespace() || c[i] == ';') {
            i += 1;
        }
        if i >= c.len() {
            break;
        }
        let first = parse_addr(&c, &mut i, ere)?;
        let addr = match first {
            Some(a) if c.get(i) == Some(&',') => {
                i += 1;
                let second = parse_addr(&c, &mut i, ere)?.ok_or("unexpected `,'")?;
                Some(Address::Range(a, second))
            }
            Some(a) => Some(Address::One(a)),
            None => None,
        };
        let negate = c.get(i) == Some(&'!');
        if negate {
            i += 1;
        }
        let Some(&cmd) = c.get(i) else {
            return Err("missing command".to_owned());
        };
        i += 1;
        let text_arg = |i: &mut usize| {
            while *i < c.len() && c[*i] == ' ' {
                *i += 1;
            }
            if c.get(*i) == Some(&'\\') {
                *i += 1;
                if c.get(*i) == Some(&'\n') {
                    *i += 1;
                }
            }
            let s = *i;
            while *i < c.len() && c[*i] != '\n' {
                *i += 1;
            }
            c[s..*i].iter().collect::<String>()
        };
        let parsed = match cmd {
            's' => {
                let delim = *c.get(i).ok_or("unterminated `s' command")?;
                let (parts, next) =
                    split_delim(&c, i + 1, delim, 2).ok_or("unterminated `s' command")?;
                i = next;
                let (mut global, mut print, mut nth, mut icase) = (false, false, 1, false);
                while let Some(&f) = c.get(i) {
                    match f {
                        'g' => global = true,
                        'p' => print = true,
                        'I' | 'i' => icase = true,
                        d if d.is_ascii_digit() => nth = d as usize - '0' as usize,
                        _ => break,
                    }
                    i += 1;
                }
                Cmd::Subst {
                    re: Regex::new(&parts[0], ere, icase)?,
                    rep: parts[1].clone(),
                    global,
                    nth: nth.max(1),
                    print,
                }
            }
            'd' => Cmd::Delete,
            'p' => Cmd::Print,
            'a' => Cmd::Append(text_arg(&mut i)),
            'i' => Cmd::Insert(text_arg(&mut i)),
            'c' => Cmd::Change(text_arg(&mut i)),
            other => return Err(format!("unknown command: `{other}'")),
        };
        out.push((addr, negate, parsed));
    }
    Ok(out)
}

fn replacement(rep: &str, t: &[char], caps: &Caps) -> String {
    let r: Vec<char> = rep.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let cap = |g: usize, out: &mut String| {
        if let Some(Some((s, e))) = caps.get(g) {
            out.extend(&t[*s..*e]);
        }
    };
    while i < r.len() {
        match r[i] {
            '&' => cap(0, &mut out),
            '\\' if i + 1 < r.len() => {
                i += 1;
                match r[i] {
                    d @ '0'..='9' => cap(d as usize - '0' as usize, &mut out),
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    x => out.push(x),
                }
            }
            x => out.push(x),
        }
        i += 1;
    }
    out
}

impl Shell<'_> {
    pub(super) fn sed(&mut self, args: &[String], io: &Io) -> R<u8> {
        let (mut quiet, mut in_place, mut ere) = (false, false, false);
        let mut scripts = Vec::new();
        let mut files = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "-n" | "--quiet" | "--silent" => quiet = true,
                "-E" | "-r" | "--regexp-extended" => ere = true,
                "-e" => scripts.extend(it.next().cloned()),
                s if s.starts_with("-i") || s.starts_with("--in-place") => in_place = true,
                s if s.starts_with('-') && s.len() > 1 => {
                    for f in s[1..].chars() {
                        match f {
                            'n' => quiet = true,
                            'E' | 'r' => ere = true,
                            'i' => in_place = true,
                            _ => {}
                        }
                    }
                }
                _ if scripts.is_empty() => scripts.push(a.clone()),
                _ => files.push(a),
            }
        }
        let script = scripts.join("\n");
        let prog = match parse_script(&script, ere) {
            Ok(p) => p,
            Err(e) => {
                self.err_line(io, format_args!("sed: -e expression #1, char 0: {e}"))?;
                return Ok(1);
            }
        };
        let mut budget = 2_000_000u64;
        if !in_place {
            let (data, status) = self.read_inputs("sed", &files, io)?;
            let out = run_sed(&prog, &String::from_utf8_lossy(&data), quiet, &mut budget);
            self.tick(2_000_000 - budget)?;
            self.out(io, &out)?;
            return Ok(status);
        }
        let mut status = 0;
        for f in files {
            let p = self.path(f);
            let (data, meta) = match self.fs.node(&p) {
                Ok(layerlab_vfs::Node::File(file))
                    if file.content.len() as usize > crate::exec::MAX_MATERIALIZED =>
                {
                    return Err(crate::exec::Flow::Abort);
                }
                Ok(layerlab_vfs::Node::File(file)) => (file.content.to_vec(), file.meta),
                _ => {
                    self.err_line(
                        io,
                        format_args!("sed: can't read {f}: No such file or directory"),
                    )?;
                    status = 2;
                    continue;
                }
            };
            let out = run_sed(&prog, &String::from_utf8_lossy(&data), quiet, &mut budget);
            self.tick(2_000_000 - budget)?;
            budget = 2_000_000;
            let _ = self
                .fs
                .write_file(&p, Content::inline(out.into_bytes()), meta);
        }
        Ok(status)
    }
}

fn addr_matches(a: &Addr, line: &str, idx: usize, n: usize, budget: &mut u64) -> bool {
    match a {
        Addr::Line(l) => idx + 1 == *l,
        Addr::Last => idx + 1 == n,
        Addr::Re(re) => re.find(line, 0, budget).is_some(),
    }
}

fn run_sed(
    prog: &[(Option<Address>, bool, Cmd)],
    text: &str,
    quiet: bool,
    budget: &mut u64,
) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let n = lines.len();
    let mut out = String::new();
    let mut in_range = vec![false; prog.len()];
    for (idx, raw) in lines.iter().enumerate() {
        let had_nl = raw.ends_with('\n');
        let mut line = raw.strip_suffix('\n').unwrap_or(raw).to_owned();
        let mut deleted = false;
        let mut after = String::new();
        for (ci, (addr, negate, cmd)) in prog.iter().enumerate() {
            let hit = match addr {
                None => true,
                Some(Address::One(a)) => addr_matches(a, &line, idx, n, budget),
                Some(Address::Range(a, b)) => {
                    if in_range[ci] {
                        // The range ends at the line matching its end address (a line
                        // number already passed ends it at once).
                        let end = match b {
                            Addr::Line(l) => idx + 1 >= *l,
                            other => addr_matches(other, &line, idx, n, budget),
                        };
                        in_range[ci] = !end;
                        true
                    } else if addr_matches(a, &line, idx, n, budget) {
                        in_range[ci] = match b {
                            Addr::Line(l) => idx + 1 < *l,
                            Addr::Last => idx + 1 < n,
                            Addr::Re(_) => true,
                        };
                        true
                    } else {
                        false
                    }
                }
            } != *negate;
            if !hit {
                continue;
            }
            match cmd {
                Cmd::Delete => {
                    deleted = true;
                    break;
                }
                Cmd::Print => {
                    out.push_str(&line);
                    out.push('\n');
                }
                Cmd::Append(t) => {
                    after.push_str(t);
                    after.push('\n');
                }
                Cmd::Insert(t) => {
                    out.push_str(t);
                    out.push('\n');
                }
                Cmd::Change(t) => {
                    out.push_str(t);
                    out.push('\n');
                    deleted = true;
                    break;
                }
                Cmd::Subst {
                    re,
                    rep,
                    global,
                    nth,
                    print,
                } => {
                    let t: Vec<char> = line.chars().collect();
                    let mut res = String::new();
                    let mut pos = 0;
                    let mut count = 0;
                    let mut changed = false;
                    while pos <= t.len() {
                        let Some((s, e, caps)) = re.find_chars(&t, pos, budget) else {
                            break;
                        };
                        count += 1;
                        res.extend(&t[pos..s]);
                        if count >= *nth {
                            res.push_str(&replacement(rep, &t, &caps));
                            changed = true;
                        } else {
                            res.extend(&t[s..e]);
                        }
                        if e == s {
                            if e < t.len() {
                                res.push(t[e]);
                            }
                            pos = e + 1;
                        } else {
                            pos = e;
                        }
                        if changed && !*global {
                            break;
                        }
                    }
                    if pos < t.len() {
                        res.extend(&t[pos..]);
                    }
                    if changed {
                        line = res;
                        if *print {
                            out.push_str(&line);
                            out.push('\n');
                        }
                    }
                }
            }
        }
        if !deleted && !quiet {
            out.push_str(&line);
            if had_nl {
                out.push('\n');
            }
        }
        out.push_str(&after);
    }
    out
}
