//! The recovering parser: BuildKit's `Parse` loop over lines, keeping ranges and going on
//! after errors.
//!
//! Per line, as BuildKit: drop a BOM (first line), the line ending and leading
//! whitespace; let the directive parser look at it; skip comments and blank lines; a
//! line whose last non-blank character is the escape character (not itself escaped)
//! continues on the next line, where comment lines are dropped and blank lines are
//! skipped (BuildKit warns about those). The joined logical line is split into keyword,
//! flags and arguments; RUN/COPY/ADD then read their heredoc bodies. BuildKit stops at
//! the first error; this parser records that error as [`Parsed::buildkit_error`] and
//! keeps going with a best-effort reading.

use crate::command::{parse_command, Command, Piece};
use crate::diagnostics;
use crate::directive::{Directive, DirectiveParser, LineKind};
use crate::heredoc::markers_in_line;
use crate::logical::LogicalLine;
use crate::shell::is_space;
use crate::source::{lines, Line};
use crate::{Flag, Heredoc, Instruction, KeyValue, ParseError, Parsed, Word};
use layerlab_text::{Diagnostic, LineIndex, TextRange, TextSize};

/// Parses `text`; never fails and never panics.
pub fn parse(text: &str) -> Parsed {
    let src = lines(text);
    let mut p = Parser {
        text,
        lines: &src.lines,
        parsed: Parsed::default(),
        index: None,
    };
    p.parsed.dockerfile.escape = '\\';
    p.run();
    // BuildKit checks for instructions before it reports the scanner's error.
    if p.parsed.dockerfile.instructions.is_empty() {
        let range = TextRange::empty(TextSize::of(text));
        p.fatal(diagnostics::no_instructions(range), range);
    }
    if let Some(line) = src.too_long {
        let range = TextRange::new(
            TextSize::from(line.start),
            TextSize::from(line.start) + TextSize::from(16u32.min(line.content_end - line.start)),
        );
        let d = diagnostics::line_too_long(range);
        p.fatal(d, range);
    }
    p.parsed
}

struct Parser<'a> {
    text: &'a str,
    lines: &'a [Line],
    parsed: Parsed,
    index: Option<LineIndex>,
}

/// Size of `n` as a text offset.
fn ts(n: usize) -> TextSize {
    TextSize::from(n as u32)
}

/// BuildKit's continuation test: the line ends (before blanks and tabs) with the escape
/// character, which is not itself preceded by one. Returns the kept part.
fn trim_continuation(line: &str, escape: char) -> (&str, bool) {
    let t = line.trim_end_matches([' ', '\t']);
    let Some(before) = t.strip_suffix(escape) else {
        return (line, false);
    };
    if before.ends_with(escape) {
        return (line, false);
    }
    (before, true)
}

impl Parser<'_> {
    fn line_of(&mut self, offset: TextSize) -> u32 {
        let text = self.text;
        self.index
            .get_or_insert_with(|| LineIndex::new(text))
            .line_of(offset)
            + 1
    }

    /// Records a diagnostic that makes BuildKit refuse the file; the first one wins.
    fn fatal(&mut self, d: Diagnostic, range: TextRange) {
        if self.parsed.buildkit_error.is_none() {
            let line = self.line_of(range.start());
            self.parsed.buildkit_error = Some(ParseError {
                message: d.message.clone(),
                line,
                range,
            });
        }
        self.parsed.diagnostics.push(d);
    }

    fn run(&mut self) {
        let text = self.text;
        let mut dirs = DirectiveParser::default();
        let mut escape = '\\';
        let mut i = 0;
        while i < self.lines.len() {
            let line = self.lines[i];
            i += 1;
            let content = line.content(text);
            let trimmed = content.trim_start_matches(is_space);
            let lead = line.start as usize + content.len() - trimmed.len();
            if let LineKind::Directive(ns, ne, vs, ve) = dirs.line(trimmed) {
                escape = self.directive(trimmed, lead, (ns, ne, vs, ve), escape);
            }
            if trimmed.starts_with('#') {
                self.parsed
                    .dockerfile
                    .comments
                    .push(TextRange::new(ts(lead), ts(line.content_end as usize)));
                continue;
            }
            if trimmed.is_empty() {
                continue;
            }
            let start_line = i as u32;
            let (piece, mut cont) = trim_continuation(trimmed, escape);
            let mut ll = LogicalLine::new(lead as u32);
            ll.push(piece, lead as u32);
            let mut end = line.content_end;
            let mut ins = Instruction::default();
            while cont && i < self.lines.len() {
                let l2 = self.lines[i];
                i += 1;
                end = l2.content_end;
                let c2 = l2.content(text);
                let t2 = c2.trim_start_matches(is_space);
                if t2.starts_with('#') {
                    ins.comment_lines.push(l2.content_range());
                    continue;
                }
                if t2.is_empty() {
                    ins.empty_continuation_lines.push(l2.content_range());
                    continue;
                }
                let (p2, c) = trim_continuation(c2, escape);
                ll.push(p2, l2.start);
                cont = c;
            }
            let cmd = parse_command(&ll.text, escape);
            self.build(&mut ins, &cmd, &ll, true);
            ins.original = ll.text.clone();
            ins.start_line = start_line;
            let can_heredoc = heredoc_capable(&cmd);
            if can_heredoc && ll.text.contains("<<") {
                match markers_in_line(&ll.text) {
                    Ok(markers) => {
                        let mut search = 0;
                        for m in markers {
                            let marker_range = marker_range(&ll, &mut search, &m.name);
                            let body_start =
                                self.lines.get(i).map_or(text.len(), |l| l.start as usize);
                            let mut content = String::new();
                            let mut terminator = None;
                            while i < self.lines.len() {
                                let l = self.lines[i];
                                i += 1;
                                end = l.content_end;
                                let c = l.content(text);
                                let c = if m.chomp {
                                    c.trim_start_matches('\t')
                                } else {
                                    c
                                };
                                if c == m.name {
                                    terminator = Some(l);
                                    break;
                                }
                                content.push_str(l.raw(text));
                            }
                            let body_end = terminator.map_or(text.len(), |l| l.start as usize);
                            let body_range =
                                TextRange::new(ts(body_start.min(body_end)), ts(body_end));
                            if terminator.is_none() {
                                let d = diagnostics::unterminated_heredoc(&m.name, marker_range);
                                self.fatal(d, marker_range);
                            }
                            ins.heredocs.push(Heredoc {
                                name: m.name,
                                file_descriptor: m.file_descriptor,
                                expand: m.expand,
                                chomp: m.chomp,
                                content,
                                marker_range,
                                body_range,
                                terminator_range: terminator
                                    .map_or(TextRange::empty(ts(text.len())), |l| {
                                        l.content_range()
                                    }),
                            });
                        }
                    }
                    Err(msg) => {
                        let r = ins.args_range;
                        self.fatal(diagnostics::invalid_heredoc(&msg, r), r);
                    }
                }
            }
            ins.end_line = i as u32;
            ins.range = TextRange::new(ts(lead), ts(end as usize).max(ts(lead)));
            // ONBUILD heredocs belong to the trigger in BuildKit's tree.
            if let Some(t) = ins.trigger.as_mut() {
                if !ins.heredocs.is_empty() && t.heredocs.is_empty() {
                    t.heredocs = std::mem::take(&mut ins.heredocs);
                }
            }
            self.parsed.dockerfile.instructions.push(ins);
        }
        self.parsed.dockerfile.escape = escape;
    }

    /// Handles one directive line; returns the escape character now in effect.
    fn directive(
        &mut self,
        line: &str,
        lead: usize,
        m: (usize, usize, usize, usize),
        escape: char,
    ) -> char {
        let (ns, ne, vs, ve) = m;
        let name = line[ns..ne].to_ascii_lowercase();
        let value = &line[vs..ve];
        let range = TextRange::new(ts(lead), ts(lead + line.len()));
        let d = Directive {
            name: name.clone(),
            value: value.to_string(),
            range,
            name_range: TextRange::new(ts(lead + ns), ts(lead + ne)),
            value_range: TextRange::new(ts(lead + vs), ts(lead + ve)),
        };
        let first = self
            .parsed
            .dockerfile
            .directives
            .iter()
            .find(|x| x.name == name)
            .map(|x| x.range);
        if let Some(first) = first {
            self.fatal(diagnostics::duplicate_directive(&name, range, first), range);
            return escape;
        }
        let mut escape = escape;
        if name == "escape" {
            match value {
                "\\" => escape = '\\',
                "`" => escape = '`',
                _ => {
                    let r = d.value_range;
                    self.fatal(diagnostics::invalid_escape(value, r), r);
                }
            }
        }
        self.parsed.dockerfile.directives.push(d);
        escape
    }

    /// Fills `ins` from `cmd`, mapping logical offsets back to the source.
    fn build(&mut self, ins: &mut Instruction, cmd: &Command, ll: &LogicalLine, top: bool) {
        let word = |p: &Piece| Word {
            text: p.0.clone(),
            range: ll.range(p.1, p.2),
        };
        ins.keyword = cmd.keyword.0.clone();
        ins.keyword_range = ll.range(cmd.keyword.1, cmd.keyword.2);
        ins.flags = cmd
            .flags
            .iter()
            .map(|p| {
                let body = p.0.strip_prefix("--").unwrap_or(&p.0);
                let (name, value) = match body.split_once('=') {
                    Some((n, v)) => (n.to_string(), Some(v.to_string())),
                    None => (body.to_string(), None),
                };
                Flag {
                    text: p.0.clone(),
                    name,
                    value,
                    range: ll.range(p.1, p.2),
                }
            })
            .collect();
        ins.value = cmd.value.iter().map(word).collect();
        ins.key_values = cmd
            .pairs
            .iter()
            .map(|kv| KeyValue {
                key: word(&kv.key),
                value: word(&kv.value),
                equals: kv.equals,
            })
            .collect();
        ins.json = cmd.json;
        ins.args_range = ll.range(cmd.args.0, cmd.args.1);
        let name = crate::command::fold_keyword(&cmd.keyword.0);
        if !crate::command::is_known(&name) && !cmd.keyword.0.is_empty() {
            self.parsed
                .diagnostics
                .push(diagnostics::unknown_instruction(
                    &cmd.keyword.0,
                    ins.keyword_range,
                ));
        }
        if top {
            if let Some((msg, a, b)) = &cmd.error {
                let r = ll.range(*a, *b);
                self.fatal(diagnostics::invalid_arguments(msg, r), r);
            }
        }
        if let Some(t) = &cmd.trigger {
            let mut trig = Instruction::default();
            self.build(&mut trig, t, ll, false);
            trig.original = ll.text[t.keyword.1.min(ll.text.len())..].trim().to_string();
            ins.trigger = Some(Box::new(trig));
        }
    }
}

/// BuildKit's `canContainHeredoc`: RUN/COPY/ADD in shell form, also as ONBUILD trigger.
fn heredoc_capable(cmd: &Command) -> bool {
    let mut c = cmd;
    if crate::command::fold_keyword(&c.keyword.0) == "onbuild" {
        if let Some(t) = &c.trigger {
            c = t;
        }
    }
    let k = crate::command::fold_keyword(&c.keyword.0);
    matches!(k.as_str(), "run" | "copy" | "add") && !c.json
}

/// Finds the next `<<…name` in the logical line for a marker's range.
fn marker_range(ll: &LogicalLine, search: &mut usize, name: &str) -> TextRange {
    let text = &ll.text;
    let Some(rel) = text.get(*search..).and_then(|s| s.find("<<")) else {
        return ll.range(text.len(), text.len());
    };
    let start = *search + rel;
    let digits = text[..start]
        .bytes()
        .rev()
        .take_while(u8::is_ascii_digit)
        .count();
    let mut end = start + 2;
    let after = &text[end..];
    let name_at = after.find(name).filter(|&k| k <= 4).map(|k| k + name.len());
    end += name_at.unwrap_or_else(|| after.find(char::is_whitespace).unwrap_or(after.len()));
    // Swallow a closing quote after the name.
    if matches!(text[end..].chars().next(), Some('\'' | '"')) {
        end += 1;
    }
    *search = end;
    ll.range(start - digits, end)
}
