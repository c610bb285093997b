//! Parser tests: the tree shape as a compact S-expression, and dash's error messages.

use super::parse;
use crate::ast::{Command, Compound, List, ParamOp, RedirTarget, Word, WordPart};
use std::fmt::Write;

fn word(w: &Word, out: &mut String) {
    for p in &w.parts {
        part(p, out);
    }
}

fn part(p: &WordPart, out: &mut String) {
    match p {
        WordPart::Lit(s) => out.push_str(s),
        WordPart::Quoted(s) => {
            let _ = write!(out, "'{s}'");
        }
        WordPart::DoubleQuoted(inner) => {
            out.push('"');
            for p in inner {
                part(p, out);
            }
            out.push('"');
        }
        WordPart::Param(p) => {
            let op = match &p.op {
                ParamOp::Plain => String::new(),
                ParamOp::Length => "#".to_owned(),
                ParamOp::Default(c, w)
                | ParamOp::Assign(c, w)
                | ParamOp::Error(c, w)
                | ParamOp::Alternative(c, w) => {
                    let mut s = if *c {
                        ":op".to_owned()
                    } else {
                        "op".to_owned()
                    };
                    s.push('=');
                    word(w, &mut s);
                    s
                }
                ParamOp::RemovePrefix(l, w) | ParamOp::RemoveSuffix(l, w) => {
                    let mut s = if *l {
                        "long=".to_owned()
                    } else {
                        "short=".to_owned()
                    };
                    word(w, &mut s);
                    s
                }
            };
            let _ = write!(
                out,
                "${{{}{}}}",
                p.name,
                if op.is_empty() { op } else { format!("|{op}") }
            );
        }
        WordPart::CommandSub(s) => {
            out.push_str("$(");
            list(&s.body, out);
            out.push(')');
        }
        WordPart::Arith(inner) => {
            out.push_str("$((");
            for p in inner {
                part(p, out);
            }
            out.push_str("))");
        }
        WordPart::Tilde(u) => {
            let _ = write!(out, "~{u}");
        }
    }
}

fn list(l: &List, out: &mut String) {
    for (i, ao) in l.items.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        pipeline(&ao.first, out);
        for (op, p) in &ao.rest {
            out.push_str(if *op == crate::ast::AndOrOp::And {
                " && "
            } else {
                " || "
            });
            pipeline(p, out);
        }
        if ao.background {
            out.push_str(" &");
        }
    }
}

fn pipeline(p: &crate::ast::Pipeline, out: &mut String) {
    if p.bang {
        out.push_str("! ");
    }
    for (i, c) in p.commands.iter().enumerate() {
        if i > 0 {
            out.push_str(" | ");
        }
        command(c, out);
    }
}

fn command(c: &Command, out: &mut String) {
    match c {
        Command::Simple(sc) => {
            out.push('(');
            let mut first = true;
            let mut sep = |out: &mut String| {
                if !first {
                    out.push(' ');
                }
                first = false;
            };
            for a in &sc.assigns {
                sep(out);
                let _ = write!(out, "{}=", a.name);
                word(&a.value, out);
            }
            for w in &sc.words {
                sep(out);
                word(w, out);
            }
            for r in &sc.redirects {
                sep(out);
                let _ = write!(
                    out,
                    "{:?}{}:",
                    r.op,
                    r.fd.map(|f| f.to_string()).unwrap_or_default()
                );
                match &r.target {
                    RedirTarget::Word(w) => word(w, out),
                    RedirTarget::HereDoc(h) => {
                        out.push('[');
                        if let Some(w) = h.body.get() {
                            word(w, out);
                        }
                        out.push(']');
                    }
                }
            }
            out.push(')');
        }
        Command::FunctionDef { name, body } => {
            let _ = write!(out, "fn {name} ");
            command(body, out);
        }
        Command::Compound(c, _) => match &**c {
            Compound::Brace(l) => {
                out.push_str("{ ");
                list(l, out);
                out.push_str(" }");
            }
            Compound::Subshell(l) => {
                out.push_str("sub(");
                list(l, out);
                out.push(')');
            }
            Compound::If {
                branches,
                otherwise,
            } => {
                out.push_str("if");
                for (c, b) in branches {
                    out.push_str(" [");
                    list(c, out);
                    out.push_str("] then [");
                    list(b, out);
                    out.push(']');
                }
                if let Some(o) = otherwise {
                    out.push_str(" else [");
                    list(o, out);
                    out.push(']');
                }
            }
            Compound::For { var, words, body } => {
                let _ = write!(out, "for {var} in");
                for w in words.iter().flatten() {
                    out.push(' ');
                    word(w, out);
                }
                out.push_str(" [");
                list(body, out);
                out.push(']');
            }
            Compound::While { cond, body, until } => {
                out.push_str(if *until { "until [" } else { "while [" });
                list(cond, out);
                out.push_str("] [");
                list(body, out);
                out.push(']');
            }
            Compound::Case { word: w, arms } => {
                out.push_str("case ");
                word(w, out);
                for a in arms {
                    out.push_str(" (");
                    for (i, p) in a.patterns.iter().enumerate() {
                        if i > 0 {
                            out.push('|');
                        }
                        word(p, out);
                    }
                    out.push_str(") [");
                    list(&a.body, out);
                    out.push(']');
                }
            }
        },
    }
}

fn check(src: &str, expected: &str) {
    let script = parse(src).unwrap_or_else(|e| panic!("{src:?}: {e}"));
    let mut out = String::new();
    list(&script.body, &mut out);
    assert_eq!(out, expected, "{src:?}");
}

fn check_err(src: &str, expected: &str, line: u32) {
    let err = parse(src).expect_err(src);
    assert_eq!(err.to_string(), expected, "{src:?}");
    assert_eq!(err.line, line, "{src:?}");
}

#[test]
fn lists_and_pipelines() {
    check("a && b || c; d &\ne", "(a) && (b) || (c); (d) &; (e)");
    check("! a | b | c", "! (a) | (b) | (c)");
    check("a &&\n\nb", "(a) && (b)");
    check("a |\n b", "(a) | (b)");
}

#[test]
fn words_keep_their_quoting() {
    check(
        r#"echo 'a b' "c $x" d\ e"#,
        r#"(echo 'a b' "'c '${x}" d' 'e)"#,
    );
    check(
        r#"echo "\$x \"q\" \a""#,
        r#"(echo "'$''x ''"''q''"'' \a'")"#,
    );
    check("echo ~ ~root/x a~", "(echo ~ ~root/x a~)");
    check(
        "echo a\\\nb",
        "(echoab)".replace("echoab", "echo ab").as_str(),
    );
}

#[test]
fn parameters_and_substitutions() {
    check(
        "echo ${x:-d} ${y=v} ${#z} ${p##*/} ${q%.*}",
        "(echo ${x|:op=d} ${y|op=v} ${z|#} ${p|long=*/} ${q|short=.*})",
    );
    check(
        "echo $1 $@ $# $? $$ ${10}",
        "(echo ${1} ${@} ${#} ${?} ${$} ${10})",
    );
    check("x=$(a | b) y=`c`", "(x=$((a) | (b)) y=$((c)))");
    check("echo $((1 + $x))", "(echo $((1 + ${x})))");
    check("echo $", "(echo $)");
}

#[test]
fn assignments_only_before_the_command_name() {
    check("A=1 B=2 cmd C=3", "(A=1 B=2 cmd C=3)");
    check("A=1", "(A=1)");
    check("'A'=1", "('A'=1)");
}

#[test]
fn redirections_and_heredocs() {
    check(
        "cmd >out 2>&1 <in >>log 3<>rw",
        "(cmd Out:out DupOut2:1 In:in Append:log ReadWrite3:rw)",
    );
    check(
        "cat <<EOF\nhi $x\nEOF\necho after",
        "(cat HereDoc:['hi '${x}'\n']); (echo after)",
    );
    check("cat <<'E' >f\n$raw\nE", "(cat HereDoc:['$raw\n'] Out:f)");
    check("cat <<-E\n\tx\n\tE", "(cat HereDoc:['x\n'])");
    check(
        "a <<A; b <<B\n1\nA\n2\nB",
        "(a HereDoc:['1\n']); (b HereDoc:['2\n'])",
    );
}

#[test]
fn compound_commands() {
    check(
        "if a; then b; elif c; then d; else e; fi",
        "if [(a)] then [(b)] [(c)] then [(d)] else [(e)]",
    );
    check(
        "for i in 1 2; do echo $i; done",
        "for i in 1 2 [(echo ${i})]",
    );
    check("for i\ndo x; done", "for i in [(x)]");
    check(
        "while a; do b; done; until c; do d; done",
        "while [(a)] [(b)]; until [(c)] [(d)]",
    );
    check(
        "case $x in a|b) one;; (c) two;; *) ;; esac",
        "case ${x} (a|b) [(one)] (c) [(two)] (*) []",
    );
    check("f() { echo; }; (a; b)", "fn f { (echo) }; sub((a); (b))");
    check("echo if then fi", "(echo if then fi)");
}

#[test]
fn dash_error_messages() {
    check_err(
        "if true; then",
        "Syntax error: end of file unexpected (expecting \"fi\")",
        1,
    );
    check_err("echo a &&", "Syntax error: end of file unexpected", 1);
    check_err("&& b", "Syntax error: \"&&\" unexpected", 1);
    check_err("echo \"abc", "Syntax error: Unterminated quoted string", 1);
    check_err("echo )", "Syntax error: \")\" unexpected", 1);
    check_err(
        "if true; fi",
        "Syntax error: \"fi\" unexpected (expecting \"then\")",
        1,
    );
    check_err(
        "{ echo",
        "Syntax error: end of file unexpected (expecting \"}\")",
        1,
    );
    check_err("echo ${x", "Syntax error: Missing '}'", 1);
    check_err("a\nb\nfi", "Syntax error: \"fi\" unexpected", 3);
    check_err(
        "for 1 in a; do :; done",
        "Syntax error: Bad for loop variable",
        1,
    );
}

#[test]
fn ranges_of_simple_commands() {
    let script = parse("  echo hi >f ; true").unwrap();
    let Command::Simple(sc) = &script.body.items[0].first.commands[0] else {
        panic!()
    };
    assert_eq!(
        (u32::from(sc.range.start()), u32::from(sc.range.end())),
        (2, 12)
    );
    assert_eq!(sc.line, 1);
    let script = parse("a\n\nb").unwrap();
    let Command::Simple(sc) = &script.body.items[1].first.commands[0] else {
        panic!()
    };
    assert_eq!(sc.line, 3);
}

// ---- spans -----------------------------------------------------------------------

/// Every span in a script: each simple command and every word, including the words
/// inside parameter expansions, command substitutions and here-document bodies.
fn spans(list: &List, out: &mut Vec<layerlab_text::TextRange>) {
    for ao in &list.items {
        for p in std::iter::once(&ao.first).chain(ao.rest.iter().map(|(_, p)| p)) {
            for c in &p.commands {
                command_spans(c, out);
            }
        }
    }
}

fn command_spans(c: &Command, out: &mut Vec<layerlab_text::TextRange>) {
    let redirects = match c {
        Command::Simple(s) => {
            out.push(s.range);
            for a in &s.assigns {
                word_spans(&a.value, out);
            }
            for w in &s.words {
                word_spans(w, out);
            }
            &s.redirects
        }
        Command::Compound(comp, redirects) => {
            match &**comp {
                Compound::Brace(l) | Compound::Subshell(l) => spans(l, out),
                Compound::If {
                    branches,
                    otherwise,
                } => {
                    for (c, b) in branches {
                        spans(c, out);
                        spans(b, out);
                    }
                    if let Some(o) = otherwise {
                        spans(o, out);
                    }
                }
                Compound::For { words, body, .. } => {
                    for w in words.iter().flatten() {
                        word_spans(w, out);
                    }
                    spans(body, out);
                }
                Compound::While { cond, body, .. } => {
                    spans(cond, out);
                    spans(body, out);
                }
                Compound::Case { word, arms } => {
                    word_spans(word, out);
                    for arm in arms {
                        for p in &arm.patterns {
                            word_spans(p, out);
                        }
                        spans(&arm.body, out);
                    }
                }
            }
            redirects
        }
        Command::FunctionDef { body, .. } => return command_spans(body, out),
    };
    for r in redirects {
        match &r.target {
            RedirTarget::Word(w) => word_spans(w, out),
            RedirTarget::HereDoc(h) => {
                if let Some(w) = h.body.get() {
                    word_spans(w, out);
                }
            }
        }
    }
}

fn word_spans(w: &Word, out: &mut Vec<layerlab_text::TextRange>) {
    out.push(w.range);
    parts_spans(&w.parts, out);
}

fn parts_spans(parts: &[WordPart], out: &mut Vec<layerlab_text::TextRange>) {
    for p in parts {
        match p {
            WordPart::DoubleQuoted(inner) | WordPart::Arith(inner) => parts_spans(inner, out),
            WordPart::CommandSub(s) => spans(&s.body, out),
            WordPart::Param(p) => match &p.op {
                ParamOp::Default(_, w)
                | ParamOp::Assign(_, w)
                | ParamOp::Error(_, w)
                | ParamOp::Alternative(_, w)
                | ParamOp::RemoveSuffix(_, w)
                | ParamOp::RemovePrefix(_, w) => word_spans(w, out),
                ParamOp::Plain | ParamOp::Length => {}
            },
            WordPart::Lit(_) | WordPart::Quoted(_) | WordPart::Tilde(_) => {}
        }
    }
}

/// Every span of `src`'s tree (or its error) lies inside `src`, on character
/// boundaries.
fn assert_spans_inside(src: &str) {
    let inside = |r: layerlab_text::TextRange| {
        let (s, e) = (r.start().to_usize(), r.end().to_usize());
        s <= e && e <= src.len() && src.is_char_boundary(s) && src.is_char_boundary(e)
    };
    match parse(src) {
        Ok(script) => {
            let mut all = Vec::new();
            spans(&script.body, &mut all);
            for r in all {
                assert!(inside(r), "{src:?}: span {r:?} is outside the input");
            }
        }
        Err(e) => assert!(inside(e.range), "{src:?}: error at {:?}", e.range),
    }
}

/// The text of the first word of the `n`th simple command inside the first command
/// substitution of the script's first command (a backquote's words).
fn inner_word_text(src: &str, word: usize) -> &str {
    let script = parse(src).unwrap();
    let Command::Simple(outer) = &script.body.items[0].first.commands[0] else {
        panic!("not simple");
    };
    let sub = outer.words[1]
        .parts
        .iter()
        .find_map(|p| match p {
            WordPart::CommandSub(s) => Some(s.clone()),
            _ => None,
        })
        .unwrap();
    let Command::Simple(inner) = &sub.body.items[0].first.commands[0] else {
        panic!("not simple");
    };
    let r = inner.words[word].range;
    &src[r.start().to_usize()..r.end().to_usize()]
}

#[test]
fn backquote_words_point_into_the_script_past_removed_backslashes() {
    // The copy the sub-parser reads is `echo $HOME ok`; `ok` is at 18..20 in the script.
    let src = "echo `echo \\$HOME ok`";
    assert_eq!(inner_word_text(src, 2), "ok");
    // The removed backslash belongs to no byte of the copy: the word starts at `$`.
    assert_eq!(inner_word_text(src, 1), "$HOME");
    assert_eq!(inner_word_text("echo `ls é x`", 2), "x");
}

#[test]
fn here_document_errors_stay_inside_the_script() {
    // The body ends with the script, so the copy has a newline the script lacks:
    // the error at the copy's end used to land one byte past the script's.
    for src in ["cat <<E\n${x", "cat <<-E\n\t\t${x", "echo `cat <<E\n${x`"] {
        let e = parse(src).unwrap_err();
        assert!(e.range.end().to_usize() <= src.len(), "{src:?}: {e:?}");
        assert_spans_inside(src);
    }
    // Stripped tabs no longer shift the error left of the text it is about.
    let src = "cat <<-E\n\t\t\tok ${\nE\n";
    let e = parse(src).unwrap_err();
    assert!(
        e.range.start().to_usize() >= src.find("${").unwrap(),
        "{e:?}"
    );
    assert_eq!(e.line, 2);
}

#[test]
fn spans_of_nested_substitutions_are_inside() {
    for src in [
        "a=`b \\`c \\\\\\`d\\\\\\`\\``; cat <<E\n$(x `y`)\n${z:-`w`}\nE",
        "cat <<-A <<B\n\t$a\nA\n`b`\nB",
        "for i in `seq 3`; do case $i in 1) echo \"`x` ${i#*}\";; esac; done",
        "\x08+.`\x10b`\x00<<`f[\x05`i\ndd$((`f@`",
    ] {
        assert_spans_inside(src);
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod props {
    use proptest::prelude::*;

    /// Pieces that exercise the sub-parsers: backquotes, escapes, here-documents with
    /// and without tab stripping, expansions, multi-byte text.
    const PIECES: &[&str] = &[
        "`",
        "\\`",
        "\\\\",
        "\\$",
        "$(",
        ")",
        "${",
        "}",
        "${x:-",
        "<<E\n",
        "<<-E\n",
        "<<'E'\n",
        "\nE\n",
        "\n",
        "\t",
        " ",
        "echo ",
        "x",
        "é",
        "\"",
        "'",
        ";",
        "|",
        "$((",
        "1+",
        "))",
        "case a in a) ",
        ";; esac",
        "if true; then ",
        "fi",
        "f() { ",
        "; }",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn every_span_is_inside_the_input(
            v in prop::collection::vec(prop::sample::select(PIECES), 0..24)
        ) {
            super::assert_spans_inside(&v.concat());
        }
    }
}
