//! The rule language of red lines, feasibility rules and bloc conditions.
//!
//! ```text
//! rule    := or ("implies" rule)?
//! or      := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | "(" rule ")" | "true" | "false" | compare
//! compare := ISSUE ("==" | "!=" | "<" | "<=" | ">" | ">=") VALUE
//!          | ISSUE ("in" | "not in") "[" VALUE ("," VALUE)* "]"
//! VALUE   := an option id of the issue, or a number for a numeric issue
//! ```
//! Ordering comparisons need an ordered issue; options compare by position.

use accord::model::{fmt_num, Atom, CmpOp, Expr, Issue, IssueKind, Rhs};

/// A syntax or reference error at a byte offset of the rule text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// Byte offset of the problem in the rule.
    pub offset: usize,
    /// Length of the offending token.
    pub len: usize,
    /// What is wrong and what was expected.
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Num(f64),
    Op(&'static str),
    LParen,
    RParen,
    LBrack,
    RBrack,
    Comma,
    End,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Ident(s) => format!("`{s}`"),
        Tok::Num(x) => format!("number {}", accord::model::fmt_num(*x)),
        Tok::Op(o) => format!("`{o}`"),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::LBrack => "`[`".into(),
        Tok::RBrack => "`]`".into(),
        Tok::Comma => "`,`".into(),
        Tok::End => "the end of the rule".into(),
    }
}

fn lex(s: &str) -> Result<Vec<(Tok, usize, usize)>, RuleError> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let tok = match c {
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b'[' => Tok::LBrack,
            b']' => Tok::RBrack,
            b',' => Tok::Comma,
            b'=' | b'!' | b'<' | b'>' => {
                let two = b.get(i + 1) == Some(&b'=');
                let op = match (c, two) {
                    (b'=', true) => "==",
                    (b'=', false) => "==",
                    (b'!', true) => "!=",
                    (b'<', true) => "<=",
                    (b'<', false) => "<",
                    (b'>', true) => ">=",
                    (b'>', false) => ">",
                    _ => {
                        return Err(RuleError {
                            offset: i,
                            len: 1,
                            message: "expected `!=`".into(),
                        })
                    }
                };
                i += if two { 2 } else { 1 };
                out.push((Tok::Op(op), start, i - start));
                continue;
            }
            b'-' | b'+' | b'.' | b'0'..=b'9' => {
                i += 1;
                while i < b.len()
                    && (b[i].is_ascii_digit()
                        || b"._eE".contains(&b[i])
                        || ((b[i] == b'-' || b[i] == b'+') && matches!(b[i - 1], b'e' | b'E')))
                {
                    i += 1;
                }
                let text: String = s[start..i].chars().filter(|&c| c != '_').collect();
                let x: f64 = text.parse().map_err(|_| RuleError {
                    offset: start,
                    len: i - start,
                    message: format!("`{}` is not a number", &s[start..i]),
                })?;
                out.push((Tok::Num(x), start, i - start));
                continue;
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                i += 1;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b"_-".contains(&b[i])) {
                    i += 1;
                }
                out.push((Tok::Ident(s[start..i].to_string()), start, i - start));
                continue;
            }
            _ => {
                let ch = s[i..].chars().next().unwrap_or('?');
                return Err(RuleError {
                    offset: i,
                    len: ch.len_utf8(),
                    message: format!("unexpected character `{ch}`"),
                });
            }
        };
        i += 1;
        out.push((tok, start, 1));
    }
    out.push((Tok::End, s.len(), 0));
    Ok(out)
}

/// The deepest nesting of parentheses, `not` and `implies` a rule may have.
///
/// The parser and every later pass over the rule (evaluation, compilation,
/// printing) recurse once per level, so an unbounded depth would let one
/// rule overflow the stack and abort the process; real rules nest a few
/// levels at most.
pub const MAX_RULE_DEPTH: usize = 64;

struct Parser<'a> {
    toks: Vec<(Tok, usize, usize)>,
    pos: usize,
    issues: &'a [Issue],
    depth: usize,
}

/// Parses a rule against the scenario's issues.
pub fn parse_rule(text: &str, issues: &[Issue]) -> Result<Expr, RuleError> {
    let mut p = Parser {
        toks: lex(text)?,
        pos: 0,
        issues,
        depth: 0,
    };
    if p.peek() == &Tok::End {
        return Err(p.err("expected a rule such as `troops == none`"));
    }
    let e = p.implies()?;
    if p.peek() != &Tok::End {
        return Err(p.err(&format!(
            "expected `and`, `or`, `implies` or the end, found {}",
            describe(p.peek())
        )));
    }
    Ok(e)
}

impl Parser<'_> {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }

    fn err(&self, msg: &str) -> RuleError {
        let (_, off, len) = self.toks[self.pos];
        RuleError {
            offset: off,
            len: len.max(1),
            message: msg.to_string(),
        }
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Ident(s) if s == kw)
    }

    /// Enters one nesting level, refusing to go deeper than [`MAX_RULE_DEPTH`].
    fn descend(&mut self) -> Result<(), RuleError> {
        self.depth += 1;
        if self.depth > MAX_RULE_DEPTH {
            return Err(self.err(&format!("nesting deeper than {MAX_RULE_DEPTH} levels")));
        }
        Ok(())
    }

    fn implies(&mut self) -> Result<Expr, RuleError> {
        self.descend()?;
        let a = self.or()?;
        let e = if self.is_kw("implies") {
            self.pos += 1;
            let b = self.implies()?;
            Expr::Implies(Box::new(a), Box::new(b))
        } else {
            a
        };
        self.depth -= 1;
        Ok(e)
    }

    fn or(&mut self) -> Result<Expr, RuleError> {
        let mut xs = vec![self.and()?];
        while self.is_kw("or") {
            self.pos += 1;
            xs.push(self.and()?);
        }
        Ok(if xs.len() == 1 {
            xs.pop().expect("one")
        } else {
            Expr::Or(xs)
        })
    }

    fn and(&mut self) -> Result<Expr, RuleError> {
        let mut xs = vec![self.unary()?];
        while self.is_kw("and") {
            self.pos += 1;
            xs.push(self.unary()?);
        }
        Ok(if xs.len() == 1 {
            xs.pop().expect("one")
        } else {
            Expr::And(xs)
        })
    }

    fn unary(&mut self) -> Result<Expr, RuleError> {
        match self.peek().clone() {
            Tok::Ident(k) if k == "not" => {
                self.descend()?;
                self.pos += 1;
                let e = Expr::Not(Box::new(self.unary()?));
                self.depth -= 1;
                Ok(e)
            }
            Tok::Ident(k) if k == "true" => {
                self.pos += 1;
                Ok(Expr::True)
            }
            Tok::Ident(k) if k == "false" => {
                self.pos += 1;
                Ok(Expr::False)
            }
            Tok::LParen => {
                self.pos += 1;
                let e = self.implies()?;
                if self.peek() != &Tok::RParen {
                    return Err(self.err(&format!("expected `)`, found {}", describe(self.peek()))));
                }
                self.pos += 1;
                Ok(e)
            }
            Tok::Ident(_) => self.compare(),
            t => Err(self.err(&format!(
                "expected an issue id, `not` or `(`, found {}",
                describe(&t)
            ))),
        }
    }

    fn compare(&mut self) -> Result<Expr, RuleError> {
        let Tok::Ident(name) = self.peek().clone() else {
            unreachable!("checked by caller")
        };
        let Some(ix) = self.issues.iter().position(|i| i.id == name) else {
            let ids: Vec<&str> = self.issues.iter().map(|i| i.id.as_str()).collect();
            return Err(self.err(&format!(
                "unknown issue `{name}` (issues: {})",
                ids.join(", ")
            )));
        };
        let issue = &self.issues[ix];
        self.pos += 1;
        let op = match self.peek().clone() {
            Tok::Op(o) => {
                self.pos += 1;
                match o {
                    "==" => CmpOp::Eq,
                    "!=" => CmpOp::Ne,
                    "<" => CmpOp::Lt,
                    "<=" => CmpOp::Le,
                    ">" => CmpOp::Gt,
                    _ => CmpOp::Ge,
                }
            }
            Tok::Ident(k) if k == "in" => {
                self.pos += 1;
                CmpOp::In
            }
            Tok::Ident(k) if k == "not" => {
                self.pos += 1;
                if !self.is_kw("in") {
                    return Err(self.err("expected `in` after `not`"));
                }
                self.pos += 1;
                CmpOp::NotIn
            }
            t => {
                return Err(self.err(&format!(
                    "expected a comparison (==, !=, <, <=, >, >=, in) after `{name}`, found {}",
                    describe(&t)
                )))
            }
        };
        if op.is_ordering() && !issue.is_ordered() {
            self.pos -= 1;
            return Err(self.err(&format!("`{name}` is unordered: use ==, != or in")));
        }
        let rhs = if matches!(op, CmpOp::In | CmpOp::NotIn) {
            if self.peek() != &Tok::LBrack {
                return Err(self.err(&format!(
                    "expected `[` after `in`, found {}",
                    describe(self.peek())
                )));
            }
            self.pos += 1;
            let mut set = vec![self.value(issue)?];
            while self.peek() == &Tok::Comma {
                self.pos += 1;
                set.push(self.value(issue)?);
            }
            if self.peek() != &Tok::RBrack {
                return Err(self.err(&format!(
                    "expected `,` or `]`, found {}",
                    describe(self.peek())
                )));
            }
            self.pos += 1;
            Rhs::Set(set)
        } else {
            let v = self.value(issue)?;
            match issue.kind {
                IssueKind::Options { .. } => Rhs::Option(v as usize),
                IssueKind::Numeric { .. } => Rhs::Number(v),
            }
        };
        Ok(Expr::Atom(Atom { issue: ix, op, rhs }))
    }

    /// A value of `issue`: an option (returned as its index) or a number.
    fn value(&mut self, issue: &Issue) -> Result<f64, RuleError> {
        let t = self.peek().clone();
        match (&issue.kind, &t) {
            (IssueKind::Options { options, .. }, Tok::Ident(id)) => {
                match options.iter().position(|o| &o.id == id) {
                    Some(k) => {
                        self.pos += 1;
                        Ok(k as f64)
                    }
                    None => {
                        let ids: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
                        Err(self.err(&format!(
                            "`{id}` is not an option of `{}` (options: {})",
                            issue.id,
                            ids.join(", ")
                        )))
                    }
                }
            }
            (IssueKind::Numeric { min, max, .. }, Tok::Num(x)) => {
                if *x < *min || *x > *max {
                    return Err(self.err(&format!(
                        "{} is outside the range of `{}` ({} to {})",
                        fmt_num(*x),
                        issue.id,
                        fmt_num(*min),
                        fmt_num(*max)
                    )));
                }
                self.pos += 1;
                Ok(*x)
            }
            (IssueKind::Options { .. }, _) => Err(self.err(&format!(
                "expected an option of `{}`, found {}",
                issue.id,
                describe(&t)
            ))),
            (IssueKind::Numeric { .. }, _) => Err(self.err(&format!(
                "expected a number for `{}`, found {}",
                issue.id,
                describe(&t)
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord::model::OptionDef;

    fn issues() -> Vec<Issue> {
        let opts = |ids: &[&str]| {
            ids.iter()
                .map(|s| OptionDef {
                    id: s.to_string(),
                    label: s.to_string(),
                })
                .collect()
        };
        vec![
            Issue {
                id: "troops".into(),
                name: "".into(),
                kind: IssueKind::Options {
                    options: opts(&["none", "un", "eu", "us"]),
                    ordered: true,
                },
            },
            Issue {
                id: "zone".into(),
                name: "".into(),
                kind: IssueKind::Options {
                    options: opts(&["a", "b"]),
                    ordered: false,
                },
            },
            Issue {
                id: "years".into(),
                name: "".into(),
                kind: IssueKind::Numeric {
                    min: 0.0,
                    max: 50.0,
                    step: 5.0,
                    unit: "y".into(),
                },
            },
        ]
    }

    #[test]
    fn parses_and_round_trips() {
        let is = issues();
        for src in [
            "troops == none",
            "troops <= un and years >= 30",
            "zone in [a, b] or not troops == us",
            "years >= 30 implies troops in [eu, us]",
            "(troops == none or zone == a) and years < 20",
            "troops not in [us]",
        ] {
            let e = parse_rule(src, &is).unwrap();
            let back = e.to_text(&is);
            assert_eq!(parse_rule(&back, &is).unwrap(), e, "{src} -> {back}");
        }
    }

    #[test]
    fn evaluates_by_position() {
        let is = issues();
        let e = parse_rule("troops <= un and years >= 30", &is).unwrap();
        assert!(e.eval(&is, &[1, 0, 6]));
        assert!(!e.eval(&is, &[2, 0, 6]));
        assert!(!e.eval(&is, &[0, 0, 5]));
    }

    #[test]
    fn errors_point_at_the_token() {
        let is = issues();
        let e = parse_rule("troops == nato", &is).unwrap_err();
        assert_eq!(e.offset, 10);
        assert!(
            e.message.contains("not an option of `troops`"),
            "{}",
            e.message
        );
        let e = parse_rule("zone < b", &is).unwrap_err();
        assert_eq!(e.offset, 5);
        let e = parse_rule("years >= 80", &is).unwrap_err();
        assert!(e.message.contains("outside the range"));
        let e = parse_rule("army == 3", &is).unwrap_err();
        assert_eq!((e.offset, e.len), (0, 4));
        assert!(parse_rule("", &is).is_err());
        assert!(parse_rule("troops == none and", &is).is_err());
    }

    #[test]
    fn deep_nesting_is_refused_at_the_first_level_too_deep() {
        let is = issues();
        // 63 parentheses inside the top level: exactly the limit, accepted.
        let ok = format!("{}troops == none{}", "(".repeat(63), ")".repeat(63));
        assert!(parse_rule(&ok, &is).is_ok());
        for n in [64, 3_000, 100_000] {
            let deep = format!("{}troops == none{}", "(".repeat(n), ")".repeat(n));
            let e = parse_rule(&deep, &is).unwrap_err();
            assert_eq!(e.message, "nesting deeper than 64 levels");
            // The error points at the first token inside the 64th parenthesis.
            assert_eq!(e.offset, 64);
        }
        let nots = format!("{}troops == none", "not ".repeat(10_000));
        let e = parse_rule(&nots, &is).unwrap_err();
        assert_eq!(e.offset, 4 * 63);
        let chain = vec!["troops == none"; 10_000].join(" implies ");
        let e = parse_rule(&chain, &is).unwrap_err();
        assert_eq!(e.message, "nesting deeper than 64 levels");
    }
}
