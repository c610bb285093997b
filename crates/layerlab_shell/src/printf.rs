//! `printf` (XCU printf) and the backslash escapes shared with dash's `echo`.

use crate::exec::{Shell, R};
use crate::io::Io;

/// Interprets backslash escapes. `echo_mode` uses echo's `\0nnn` octal form and `\c`;
/// the flag in the result is true when `\c` asked to stop all output.
pub(crate) fn unescape(s: &str, echo_mode: bool) -> (String, bool) {
    let mut out = String::with_capacity(s.len());
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '\\' || i == chars.len() {
            out.push(c);
            continue;
        }
        let e = chars[i];
        i += 1;
        match e {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'v' => out.push('\u{b}'),
            '\\' => out.push('\\'),
            'c' => return (out, true),
            '0'..='7' => {
                // echo: `\0` then up to 3 octal digits; printf: up to 3 digits in all.
                let mut n = 0u32;
                let mut digits = 0;
                let max = if echo_mode && e == '0' { 3 } else { 2 };
                if !(echo_mode && e == '0') {
                    n = e as u32 - '0' as u32;
                } else if !echo_mode {
                    n = 0;
                }
                if echo_mode && e != '0' {
                    out.push('\\');
                    out.push(e);
                    continue;
                }
                while digits < max && i < chars.len() && ('0'..='7').contains(&chars[i]) {
                    n = n * 8 + (chars[i] as u32 - '0' as u32);
                    i += 1;
                    digits += 1;
                }
                out.push(char::from_u32(n & 0xff).unwrap_or('?'));
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    (out, false)
}

/// `printf FORMAT [ARG...]`: the format is reused while arguments remain.
pub(crate) fn printf(sh: &mut Shell<'_>, args: &[String], io: &Io) -> R<u8> {
    let Some(format) = args.first() else {
        sh.err(io, "printf: usage: printf format [arg ...]\n")?;
        return Ok(2);
    };
    let fmt: Vec<char> = format.chars().collect();
    let mut rest = &args[1..];
    let mut out = String::new();
    let mut status = 0;
    loop {
        let before = rest.len();
        let mut i = 0;
        while i < fmt.len() {
            let c = fmt[i];
            if c == '\\' {
                let mut j = i + 1;
                while j < fmt.len() && j < i + 4 && fmt[j].is_ascii_digit() && fmt[i + 1] != '\\' {
                    j += 1;
                }
                let end = if j > i + 1 { j } else { (i + 2).min(fmt.len()) };
                let piece: String = fmt[i..end].iter().collect();
                out.push_str(&unescape(&piece, false).0);
                i = end;
                continue;
            }
            if c != '%' {
                out.push(c);
                i += 1;
                continue;
            }
            i += 1;
            if fmt.get(i) == Some(&'%') {
                out.push('%');
                i += 1;
                continue;
            }
            let spec_start = i;
            while i < fmt.len() && "-+ #0".contains(fmt[i]) {
                i += 1;
            }
            while i < fmt.len() && (fmt[i].is_ascii_digit() || fmt[i] == '.') {
                i += 1;
            }
            let flags: String = fmt[spec_start..i].iter().collect();
            let Some(&conv) = fmt.get(i) else {
                sh.err_line(io, format_args!("printf: %{flags}: invalid directive"))?;
                return Ok(1);
            };
            i += 1;
            let arg = rest.first().cloned();
            if !rest.is_empty() {
                rest = &rest[1..];
            }
            let s = match conv {
                's' => arg.unwrap_or_default(),
                'b' => unescape(&arg.unwrap_or_default(), true).0,
                'c' => arg
                    .unwrap_or_default()
                    .chars()
                    .next()
                    .map(String::from)
                    .unwrap_or_default(),
                'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
                    let a = arg.unwrap_or_default();
                    let n = if a.is_empty() {
                        0
                    } else if let Some(ch) = a.strip_prefix(['\'', '"']) {
                        ch.chars().next().map_or(0, |c| c as i64)
                    } else {
                        match crate::arith::parse_number(a.trim()) {
                            Some(n) => n,
                            None => {
                                sh.error(io, format_args!("printf: {a}: expected numeric value"))?;
                                status = 1;
                                0
                            }
                        }
                    };
                    match conv {
                        'x' => format!("{n:x}"),
                        'X' => format!("{n:X}"),
                        'o' => format!("{n:o}"),
                        _ => n.to_string(),
                    }
                }
                other => {
                    sh.err_line(
                        io,
                        format_args!("printf: %{flags}{other}: invalid directive"),
                    )?;
                    return Ok(1);
                }
            };
            out.push_str(&pad(&s, &flags, conv));
        }
        if rest.is_empty() || rest.len() == before {
            break;
        }
        sh.tick(1)?;
    }
    sh.out(io, &out)?;
    Ok(status)
}

/// Applies `-`, `0`, width and precision to one converted value.
fn pad(s: &str, flags: &str, conv: char) -> String {
    let left = flags.contains('-');
    let zero = flags.contains('0') && !left && conv != 's';
    let digits = flags.trim_start_matches(['-', '+', ' ', '#', '0']);
    let (width, prec) = match digits.split_once('.') {
        Some((w, p)) => (
            w.parse::<usize>().unwrap_or(0),
            Some(p.parse::<usize>().unwrap_or(0)),
        ),
        None => (digits.parse::<usize>().unwrap_or(0), None),
    };
    let mut s: String = match (prec, conv) {
        (Some(p), 's' | 'b') => s.chars().take(p).collect(),
        _ => s.to_owned(),
    };
    let width = width.min(4096);
    let len = s.chars().count();
    if len < width {
        let fill = width - len;
        if left {
            s.push_str(&" ".repeat(fill));
        } else if zero {
            let (sign, num) = if let Some(n) = s.strip_prefix('-') {
                ("-", n.to_owned())
            } else {
                ("", s.clone())
            };
            s = format!("{sign}{}{num}", "0".repeat(fill));
        } else {
            s = format!("{}{s}", " ".repeat(fill));
        }
    }
    s
}
