//! Word expansion (XCU 2.6): tilde, parameters, command substitution, arithmetic,
//! field splitting, pathname expansion and quote removal, in that order.
//!
//! A word expands into [`Field`]s that remember, character by character, what was
//! quoted: `text` is the final value and `pattern` the same text with quoted characters
//! backslash-escaped, so globbing (and `case`) treats `"*"` as a star but `*` as a
//! wildcard.

use crate::ast::{Param, ParamOp, Word, WordPart};
use crate::exec::{Flow, Shell, R};
use crate::glob;
use crate::io::{Io, Sink};
use layerlab_vfs::VfsPath;

/// Largest single word or variable value (16 MiB).
const MAX_WORD: usize = 16 << 20;

#[derive(Clone, Debug, Default)]
struct Field {
    text: String,
    pattern: String,
    glob: bool,
}

/// How the result of an expansion is used.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// Command arguments: split and globbed.
    Fields,
    /// Assignments, redirection targets, here-documents: one string, no splitting.
    String,
}

#[derive(Default)]
struct Builder {
    fields: Vec<Field>,
    cur: Field,
    started: bool,
}

impl Builder {
    fn push_quoted(&mut self, s: &str) {
        self.started = true;
        self.cur.text.push_str(s);
        for c in s.chars() {
            if matches!(c, '*' | '?' | '[' | ']' | '\\' | '-' | '!' | '^') {
                self.cur.pattern.push('\\');
            }
            self.cur.pattern.push(c);
        }
    }

    /// Unquoted literal text: globbed, never split.
    fn push_unquoted(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        self.started = true;
        self.cur.text.push_str(s);
        self.cur.pattern.push_str(s);
        if glob::has_wildcards(s) {
            self.cur.glob = true;
        }
    }

    /// The unquoted result of an expansion: split on IFS, then globbed.
    fn push_split(&mut self, s: &str, ifs: &str) {
        for c in s.chars() {
            if ifs.contains(c) {
                if c.is_whitespace() {
                    if self.started {
                        self.finish();
                    }
                } else {
                    self.finish_always();
                }
                continue;
            }
            self.started = true;
            self.cur.text.push(c);
            if c == '\\' {
                self.cur.pattern.push('\\');
            }
            self.cur.pattern.push(c);
            if matches!(c, '*' | '?' | '[') {
                self.cur.glob = true;
            }
        }
    }

    fn finish(&mut self) {
        if self.started {
            self.fields.push(std::mem::take(&mut self.cur));
            self.started = false;
        }
    }

    fn finish_always(&mut self) {
        self.fields.push(std::mem::take(&mut self.cur));
        self.started = false;
    }

    /// Every field's text (or, with `pattern`, its pattern) run together: the word
    /// where no field splitting happens.
    fn joined(self, pattern: bool) -> String {
        let mut out = String::new();
        for f in self.fields.iter().chain([&self.cur]) {
            out.push_str(if pattern { &f.pattern } else { &f.text });
        }
        out
    }
}

impl Shell<'_> {
    /// Expands command words into arguments.
    pub(crate) fn expand_words(&mut self, words: &[Word], io: &Io) -> R<Vec<String>> {
        let mut out = Vec::new();
        let braced;
        let mut words = words;
        if self.dialect == crate::exec::Dialect::Bash {
            let mut expanded = Vec::with_capacity(words.len());
            for w in words {
                match crate::brace::expand(w) {
                    Some(ws) => {
                        self.tick(ws.len() as u64)?;
                        expanded.extend(ws);
                    }
                    None => expanded.push(w.clone()),
                }
            }
            braced = expanded;
            words = &braced;
        }
        for w in words {
            let mut b = Builder::default();
            self.expand_parts(&w.parts, false, Ctx::Fields, &mut b, io)?;
            b.finish();
            for f in b.fields {
                if f.glob && !self.st.opts.noglob {
                    self.tick(1)?;
                    let left = self.budget.saturating_sub(self.steps);
                    let Some((matches, used)) =
                        glob::expand_path(self.fs, &self.st.cwd, &f.pattern, left)
                    else {
                        // Out of steps: the budget error, as for any runaway script.
                        return Err(Flow::Abort);
                    };
                    self.tick(used)?;
                    if !matches.is_empty() {
                        out.extend(matches);
                        continue;
                    }
                }
                out.push(f.text);
            }
        }
        Ok(out)
    }

    /// The words of bash's `[[ .. ]]`: no splitting or globbing; the right side of
    /// `==`, `=` and `!=` is a pattern (quoted parts match literally).
    pub(crate) fn expand_cond(&mut self, words: &[Word], io: &Io) -> R<Vec<String>> {
        let mut out = Vec::with_capacity(words.len());
        for (i, w) in words.iter().enumerate() {
            let after_eq = i > 0 && matches!(words[i - 1].as_plain(), Some("==" | "=" | "!="));
            out.push(if after_eq {
                self.expand_pattern(w, io)?
            } else {
                self.expand_string(w, io)?
            });
        }
        Ok(out)
    }

    /// Expands a word into a single string (no field splitting, no globbing).
    pub(crate) fn expand_string(&mut self, w: &Word, io: &Io) -> R<String> {
        let mut b = Builder::default();
        self.expand_parts(&w.parts, false, Ctx::String, &mut b, io)?;
        Ok(b.joined(false))
    }

    /// Expands a word into a pattern for `case` and `${x%pat}`.
    pub(crate) fn expand_pattern(&mut self, w: &Word, io: &Io) -> R<String> {
        let mut b = Builder::default();
        self.expand_parts(&w.parts, false, Ctx::String, &mut b, io)?;
        Ok(b.joined(true))
    }

    fn ifs(&self) -> String {
        self.get_var("IFS").unwrap_or(" \t\n").to_owned()
    }

    fn expand_parts(
        &mut self,
        parts: &[WordPart],
        quoted: bool,
        ctx: Ctx,
        b: &mut Builder,
        io: &Io,
    ) -> R<()> {
        for part in parts {
            // A word that keeps doubling would exhaust memory long before the step
            // budget; past this size the step is stopped like an exhausted budget.
            if b.cur.text.len() > MAX_WORD {
                return Err(Flow::Abort);
            }
            match part {
                WordPart::Lit(s) if quoted => b.push_quoted(s),
                WordPart::Lit(s) => b.push_unquoted(s),
                WordPart::Quoted(s) => b.push_quoted(s),
                WordPart::DoubleQuoted(inner) => {
                    b.started = true;
                    self.expand_parts(inner, true, ctx, b, io)?;
                }
                WordPart::Tilde(user) => {
                    let home = self.tilde(user);
                    b.push_quoted(&home);
                }
                WordPart::Param(p) => self.expand_param(p, quoted, ctx, b, io)?,
                WordPart::CommandSub(script) => {
                    let text = self.command_sub(script, io)?;
                    self.push_result(&text, quoted, ctx, b);
                }
                WordPart::Arith(inner) => {
                    let mut ib = Builder::default();
                    self.expand_parts(inner, true, Ctx::String, &mut ib, io)?;
                    let expr = ib.joined(false);
                    let vars = &self.st.vars;
                    let lookup = |n: &str| vars.get(n).map(|v| v.value.clone());
                    let res = crate::arith::eval(&expr, &lookup);
                    match res {
                        Ok((v, assigned)) => {
                            for (name, value) in assigned {
                                if !self.set_var(&name, value.to_string(), io)? {
                                    return Err(Flow::Exit(2));
                                }
                            }
                            self.push_result(&v.to_string(), quoted, ctx, b);
                        }
                        Err(msg) => {
                            self.error(
                                io,
                                format_args!("arithmetic expression: {msg}: \"{expr}\""),
                            )?;
                            return Err(Flow::Exit(2));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn push_result(&self, text: &str, quoted: bool, ctx: Ctx, b: &mut Builder) {
        if quoted {
            b.push_quoted(text);
        } else if ctx == Ctx::Fields {
            let ifs = self.ifs();
            b.push_split(text, &ifs);
        } else {
            b.push_unquoted(text);
        }
    }

    fn tilde(&self, user: &str) -> String {
        if user.is_empty() {
            return self.get_var("HOME").unwrap_or("/").to_owned();
        }
        match crate::users::lookup_user(self.fs, user) {
            Some(u) => u.home,
            None => format!("~{user}"),
        }
    }

    /// The value of a parameter, `None` when unset.
    pub(crate) fn param_value(&self, name: &str) -> Option<String> {
        match name {
            "?" => Some(self.status.to_string()),
            "#" => Some(self.st.positional.len().to_string()),
            "$" => Some("1".to_owned()),
            "!" => (self.bg_pid > 0).then(|| (self.bg_pid + 1).to_string()),
            "-" => {
                let o = &self.st.opts;
                let mut s = String::new();
                for (on, c) in [
                    (o.errexit, 'e'),
                    (o.noglob, 'f'),
                    (o.nounset, 'u'),
                    (o.xtrace, 'x'),
                ] {
                    if on {
                        s.push(c);
                    }
                }
                Some(s)
            }
            "@" | "*" => Some(self.st.positional.join(" ")),
            "0" => Some(self.argv0.clone()),
            n if n.bytes().all(|b| b.is_ascii_digit()) => {
                let i: usize = n.parse().ok()?;
                self.st.positional.get(i.checked_sub(1)?).cloned()
            }
            n => self.get_var(n).map(str::to_owned),
        }
    }

    fn expand_param(
        &mut self,
        p: &Param,
        quoted: bool,
        ctx: Ctx,
        b: &mut Builder,
        io: &Io,
    ) -> R<()> {
        self.tick(1)?;
        // `matches!`, not `==`: comparing `ParamOp`s would link the derived equality of
        // the whole syntax tree (a word holds command substitutions), ~1 KB gzipped.
        let plain = matches!(p.op, ParamOp::Plain);
        // "$@" makes one field per positional parameter.
        if p.name == "@" && quoted && plain && ctx == Ctx::String {
            // Assignments and other single-word contexts join with spaces.
            let joined = self.st.positional.join(" ");
            b.push_quoted(&joined);
            return Ok(());
        }
        if p.name == "@" && quoted && plain {
            let params = self.st.positional.clone();
            for (i, a) in params.iter().enumerate() {
                if i > 0 {
                    b.finish_always();
                }
                b.push_quoted(a);
            }
            if params.is_empty() && b.cur.text.is_empty() {
                // `"$@"` with no parameters is no field at all.
                b.started = false;
            }
            return Ok(());
        }
        let is_special_list = p.name == "@" || p.name == "*";
        if is_special_list && plain {
            let params = self.st.positional.clone();
            if quoted {
                // "$*": one field joined by the first character of IFS.
                let ifs = self.ifs();
                let sep: String = ifs.chars().next().map(String::from).unwrap_or_default();
                b.push_quoted(&params.join(&sep));
            } else {
                // Unquoted: every parameter is its own field, then split further.
                let ifs = self.ifs();
                for (i, a) in params.iter().enumerate() {
                    if i > 0 && ctx == Ctx::Fields {
                        b.finish();
                    }
                    if ctx == Ctx::Fields {
                        b.push_split(a, &ifs);
                    } else {
                        if i > 0 {
                            b.push_unquoted(" ");
                        }
                        b.push_unquoted(a);
                    }
                }
            }
            return Ok(());
        }
        let value = self.param_value(&p.name);
        let value = match &p.op {
            ParamOp::Plain => match value {
                Some(v) => v,
                None => {
                    self.check_unset(&p.name, is_special_list, io)?;
                    String::new()
                }
            },
            ParamOp::Length => {
                let v = match value {
                    Some(v) => v,
                    None => {
                        self.check_unset(&p.name, is_special_list, io)?;
                        String::new()
                    }
                };
                v.chars().count().to_string()
            }
            ParamOp::Default(colon, w) | ParamOp::Assign(colon, w) => {
                let use_word = match &value {
                    None => true,
                    Some(v) => *colon && v.is_empty(),
                };
                if use_word {
                    let word = self.expand_string(w, io)?;
                    if matches!(p.op, ParamOp::Assign(..)) {
                        if !crate::parser::is_valid_name(&p.name) {
                            self.error(io, format_args!("{}: bad variable name", p.name))?;
                            return Err(Flow::Exit(2));
                        }
                        if !self.set_var(&p.name, word.clone(), io)? {
                            return Err(Flow::Exit(2));
                        }
                    }
                    word
                } else {
                    value.unwrap_or_default()
                }
            }
            ParamOp::Error(colon, w) => {
                let bad = match &value {
                    None => true,
                    Some(v) => *colon && v.is_empty(),
                };
                if bad {
                    let mut msg = self.expand_string(w, io)?;
                    if msg.is_empty() {
                        msg = if value.is_none() {
                            "parameter not set".to_owned()
                        } else {
                            "parameter null or not set".to_owned()
                        };
                    }
                    self.error(io, format_args!("{}: {msg}", p.name))?;
                    return Err(Flow::Exit(2));
                }
                value.unwrap_or_default()
            }
            ParamOp::Alternative(colon, w) => {
                let set = match &value {
                    None => false,
                    Some(v) => !(*colon && v.is_empty()),
                };
                if set {
                    self.expand_string(w, io)?
                } else {
                    String::new()
                }
            }
            ParamOp::RemovePrefix(longest, w) | ParamOp::RemoveSuffix(longest, w) => {
                let v = match value {
                    Some(v) => v,
                    None => {
                        self.check_unset(&p.name, is_special_list, io)?;
                        String::new()
                    }
                };
                let pat = glob::Pattern::new(&self.expand_pattern(w, io)?);
                let prefix = matches!(p.op, ParamOp::RemovePrefix(..));
                self.tick(v.len() as u64 / 16)?;
                remove_affix(&v, &pat, prefix, *longest)
            }
        };
        self.push_result(&value, quoted, ctx, b);
        Ok(())
    }

    fn check_unset(&mut self, name: &str, special: bool, io: &Io) -> R<()> {
        if self.st.opts.nounset && !special {
            self.error(io, format_args!("{name}: parameter not set"))?;
            return Err(Flow::Exit(2));
        }
        Ok(())
    }

    /// Runs `$(..)` in a subshell and returns its output without trailing newlines.
    fn command_sub(&mut self, script: &crate::ast::Script, io: &Io) -> R<String> {
        self.captures.push(Vec::new());
        let idx = self.captures.len() - 1;
        let cio = io.with_stdout(Sink::Capture(idx));
        let saved_line = self.line;
        let saved_range = self.range;
        // `$?` is not changed by a substitution (only assignment-only commands take
        // its status, through `cmdsub_status`).
        let saved_status = self.status;
        let res = self.subshell(&mut |sh| sh.run_script(script, &cio));
        self.line = saved_line;
        self.range = saved_range;
        self.status = saved_status;
        let bytes = self.captures.pop().unwrap_or_default();
        let status = res?;
        self.cmdsub_status = Some(status);
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        while text.ends_with('\n') {
            text.pop();
        }
        Ok(text)
    }

    /// Resolves a user-supplied path against the working directory.
    pub(crate) fn path(&self, p: &str) -> VfsPath {
        self.st.cwd.join(p)
    }
}

/// `${v#pat}`, `${v##pat}`, `${v%pat}`, `${v%%pat}`.
fn remove_affix(v: &str, pat: &glob::Pattern, prefix: bool, longest: bool) -> String {
    let bounds: Vec<usize> = v.char_indices().map(|(i, _)| i).chain([v.len()]).collect();
    let order: Box<dyn Iterator<Item = &usize>> = match (prefix, longest) {
        (true, false) | (false, true) => Box::new(bounds.iter()),
        _ => Box::new(bounds.iter().rev()),
    };
    for &i in order {
        let (cand, rest) = if prefix {
            (&v[..i], &v[i..])
        } else {
            (&v[i..], &v[..i])
        };
        if pat.matches(cand) {
            return rest.to_owned();
        }
    }
    v.to_owned()
}
