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
