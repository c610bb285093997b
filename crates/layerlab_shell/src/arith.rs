//! `$((..))` arithmetic (XCU 2.6.4): signed 64-bit integers with C operators.
//!
//! The expression text arrives after parameter expansion; bare names are read as
//! variables (unset or empty is 0). Overflow wraps, as dash's `intmax_t` does in
//! practice. Division by zero and malformed expressions are errors with dash's wording.

/// Looks up a variable's value for a bare name in the expression.
pub(crate) type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

struct P<'a> {
    s: &'a [u8],
    i: usize,
    vars: Lookup<'a>,
    depth: u32,
    /// `x = 1`, `x += 2`: assignments made so far, newest last.
    assigned: Vec<(String, i64)>,
}

/// Evaluates `expr`, returning its value and the variables it assigned (in order).
/// Errors are the text after `arithmetic expression: `.
pub(crate) fn eval(expr: &str, vars: Lookup<'_>) -> Result<(i64, Vec<(String, i64)>), String> {
    let mut p = P {
        s: expr.as_bytes(),
        i: 0,
        vars,
        depth: 0,
        assigned: Vec::new(),
    };
    p.ws();
    if p.i == p.s.len() {
        return Ok((0, Vec::new()));
    }
    let v = p.ternary()?;
    p.ws();
    if p.i != p.s.len() {
        return Err("expecting EOF".to_owned());
    }
    Ok((v, p.assigned))
}

impl P<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn eat(&mut self, op: &str) -> bool {
        self.ws();
        if self.s[self.i..].starts_with(op.as_bytes()) {
            // Do not read `<` out of `<<`, `&` out of `&&`, `=` out of `==`, etc.
            let next = self.s.get(self.i + op.len()).copied();
            let longer = matches!(
                (op, next),
                ("<", Some(b'<' | b'='))
                    | (">", Some(b'>' | b'='))
                    | ("&", Some(b'&'))
                    | ("|", Some(b'|'))
                    | ("!", Some(b'='))
                    | ("=", Some(b'='))
            );
            if !longer {
                self.i += op.len();
                return true;
            }
        }
        false
    }

    fn ternary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("expression too deeply nested".to_owned());
        }
        let c = self.binary(0)?;
        let res = if self.eat("?") {
            let a = self.ternary()?;
            if !self.eat(":") {
                return Err("expecting ':'".to_owned());
            }
            let b = self.ternary()?;
            if c != 0 {
                a
            } else {
                b
            }
        } else {
            c
        };
        self.depth -= 1;
        Ok(res)
    }

    fn binary(&mut self, level: usize) -> Result<i64, String> {
        const LEVELS: &[&[&str]] = &[
            &["||"],
            &["&&"],
            &["|"],
            &["^"],
            &["&"],
            &["==", "!="],
            &["<=", ">=", "<", ">"],
            &["<<", ">>"],
            &["+", "-"],
            &["*", "/", "%"],
        ];
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut lhs = self.binary(level + 1)?;
        'outer: loop {
            for op in LEVELS[level] {
                if self.eat(op) {
                    let rhs = self.binary(level + 1)?;
                    lhs = apply(op, lhs, rhs)?;
                    continue 'outer;
                }
            }
            return Ok(lhs);
        }
    }

    fn unary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("expression too deeply nested".to_owned());
        }
        let v = if self.eat("-") {
            self.unary()?.wrapping_neg()
        } else if self.eat("+") {
            self.unary()?
        } else if self.eat("!") {
            i64::from(self.unary()? == 0)
        } else if self.eat("~") {
            !self.unary()?
        } else {
            self.primary()?
        };
        self.depth -= 1;
        Ok(v)
    }

    fn primary(&mut self) -> Result<i64, String> {
        self.ws();
        if self.eat("(") {
            let v = self.ternary()?;
            if !self.eat(")") {
                return Err("expecting ')'".to_owned());
            }
            return Ok(v);
        }
        let start = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_alphanumeric() || self.s[self.i] == b'_')
        {
            self.i += 1;
        }
        let tok = std::str::from_utf8(&self.s[start..self.i]).unwrap_or("");
        if tok.is_empty() {
            return Err("expecting primary".to_owned());
        }
        if tok.as_bytes()[0].is_ascii_digit() {
            return parse_number(tok).ok_or_else(|| format!("syntax error: \"{tok}\""));
        }
        // Assignment operators (dash supports `=` and the compound forms, not `++`).
        self.ws();
        let rest = &self.s[self.i..];
        let assign_op = [
            "<<=", ">>=", "+=", "-=", "*=", "/=", "%=", "&=", "^=", "|=", "=",
        ]
        .into_iter()
        .find(|op| rest.starts_with(op.as_bytes()) && !(op == &"=" && rest.starts_with(b"==")));
        if let Some(op) = assign_op {
            self.i += op.len();
            let rhs = self.ternary()?;
            let value = if op == "=" {
                rhs
            } else {
                let old = self.read_var(tok)?;
                apply(&op[..op.len() - 1], old, rhs)?
            };
            self.assigned.push((tok.to_owned(), value));
            return Ok(value);
        }
        self.read_var(tok)
    }

    fn read_var(&self, tok: &str) -> Result<i64, String> {
        if let Some((_, v)) = self.assigned.iter().rev().find(|(n, _)| n == tok) {
            return Ok(*v);
        }
        let value = (self.vars)(tok).unwrap_or_default();
        let value = value.trim();
        if value.is_empty() {
            return Ok(0);
        }
        parse_number(value).ok_or_else(|| format!("Illegal number: {value}"))
    }
}

/// Decimal, `0x` hex or leading-zero octal, with an optional sign.
pub(crate) fn parse_number(s: &str) -> Option<i64> {
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let v = if let Some(hex) = digits
        .strip_prefix("0x")
        .or_else(|| digits.strip_prefix("0X"))
    {
        u64::from_str_radix(hex, 16).ok()? as i64
    } else if digits.len() > 1 && digits.starts_with('0') {
        u64::from_str_radix(&digits[1..], 8).ok()? as i64
    } else {
        digits.parse::<u64>().ok()? as i64
    };
    Some(if neg { v.wrapping_neg() } else { v })
}

fn apply(op: &str, a: i64, b: i64) -> Result<i64, String> {
    Ok(match op {
        "||" => i64::from(a != 0 || b != 0),
        "&&" => i64::from(a != 0 && b != 0),
        "|" => a | b,
        "^" => a ^ b,
        "&" => a & b,
        "==" => i64::from(a == b),
        "!=" => i64::from(a != b),
        "<=" => i64::from(a <= b),
        ">=" => i64::from(a >= b),
        "<" => i64::from(a < b),
        ">" => i64::from(a > b),
        "<<" => a.wrapping_shl(b as u32),
        ">>" => a.wrapping_shr(b as u32),
        "+" => a.wrapping_add(b),
        "-" => a.wrapping_sub(b),
        "*" => a.wrapping_mul(b),
        "/" | "%" if b == 0 => return Err("division by zero".to_owned()),
        "/" => a.wrapping_div(b),
        _ => a.wrapping_rem(b),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(s: &str) -> Result<i64, String> {
        eval(s, &|n| (n == "i").then(|| "41".to_owned())).map(|(v, _)| v)
    }

    #[test]
    fn precedence_and_variables() {
        assert_eq!(ev("1 + 2 * 3"), Ok(7));
        assert_eq!(ev("(1 + 2) * 3"), Ok(9));
        assert_eq!(ev("i + 1"), Ok(42));
        assert_eq!(ev("nope + 1"), Ok(1));
        assert_eq!(ev("1 << 4 | 1"), Ok(17));
        assert_eq!(ev("3 > 2 && 2 >= 2"), Ok(1));
        assert_eq!(ev("0x10 + 010"), Ok(24));
        assert_eq!(ev("1 ? 2 : 3"), Ok(2));
        assert_eq!(ev("-i"), Ok(-41));
        assert!(ev("1 / 0").is_err());
        assert!(ev("1 +").is_err());
        assert_eq!(ev("i += 1"), Ok(42));
        assert_eq!(ev("(j = 2) + j"), Ok(4));
        assert_eq!(ev("i == 41"), Ok(1));
    }
}
