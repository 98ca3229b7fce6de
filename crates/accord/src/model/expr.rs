//! Constraint expressions over issue values: the language of red lines,
//! feasibility rules and bloc conditions.

use super::{fmt_num, Issue, IssueKind};
use serde::Serialize;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in [..]`
    In,
    /// `not in [..]`
    NotIn,
}

impl CmpOp {
    /// The operator as written in rules.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::In => "in",
            CmpOp::NotIn => "not in",
        }
    }

    /// Whether the operator compares order (meaningless on unordered options).
    pub fn is_ordering(self) -> bool {
        matches!(self, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge)
    }
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Rhs {
    /// An option of the issue, by index.
    Option(usize),
    /// A number on a numeric issue's scale.
    Number(f64),
    /// A set of options (by index) or numbers, for `in` / `not in`.
    Set(Vec<f64>),
}

/// One comparison of one issue's value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Atom {
    /// Index of the issue compared.
    pub issue: usize,
    /// The operator.
    pub op: CmpOp,
    /// What it is compared with.
    pub rhs: Rhs,
}

impl Atom {
    /// Whether the atom holds at a level of its issue.
    pub fn holds(&self, issue: &Issue, level: usize) -> bool {
        let x = issue.scalar(level);
        let eq = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (1.0 + b.abs());
        match (&self.rhs, self.op) {
            (Rhs::Set(set), CmpOp::In) => set.iter().any(|&v| eq(x, v)),
            (Rhs::Set(set), CmpOp::NotIn) => !set.iter().any(|&v| eq(x, v)),
            (Rhs::Set(_), _) => false,
            (rhs, op) => {
                let y = match rhs {
                    Rhs::Option(i) => *i as f64,
                    Rhs::Number(v) => *v,
                    Rhs::Set(_) => unreachable!("handled above"),
                };
                match op {
                    CmpOp::Eq => eq(x, y),
                    CmpOp::Ne => !eq(x, y),
                    CmpOp::Lt => x < y && !eq(x, y),
                    CmpOp::Le => x <= y || eq(x, y),
                    CmpOp::Gt => x > y && !eq(x, y),
                    CmpOp::Ge => x >= y || eq(x, y),
                    CmpOp::In | CmpOp::NotIn => false,
                }
            }
        }
    }

    /// Truth of the atom at every level of its issue.
    pub fn mask(&self, issue: &Issue) -> Vec<bool> {
        (0..issue.levels()).map(|l| self.holds(issue, l)).collect()
    }
}

/// A boolean expression over issue values.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "op", content = "args")]
pub enum Expr {
    /// Always holds.
    True,
    /// Never holds.
    False,
    /// A comparison.
    Atom(Atom),
    /// Negation.
    Not(Box<Expr>),
    /// All hold.
    And(Vec<Expr>),
    /// At least one holds.
    Or(Vec<Expr>),
    /// If the first holds, so must the second.
    Implies(Box<Expr>, Box<Expr>),
}

/// The deepest expression tree [`Expr::check`] accepts.
///
/// Evaluation, compilation and printing recurse once per level, so a deeper
/// tree could overflow the stack and abort the process; the rule parser's
/// own limit (64 levels of parentheses, `not` and `implies`) keeps parsed
/// rules well inside this.
pub const MAX_EXPR_DEPTH: usize = 256;

impl Expr {
    /// The depth of the tree (an atom is 1), measured without recursion so
    /// that a tree of any depth can be measured.
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(self, 1usize)];
        while let Some((e, d)) = stack.pop() {
            deepest = deepest.max(d);
            match e {
                Expr::True | Expr::False | Expr::Atom(_) => {}
                Expr::Not(x) => stack.push((x, d + 1)),
                Expr::And(xs) | Expr::Or(xs) => stack.extend(xs.iter().map(|x| (x, d + 1))),
                Expr::Implies(a, b) => {
                    stack.push((a, d + 1));
                    stack.push((b, d + 1));
                }
            }
        }
        deepest
    }

    /// Evaluates the expression on an outcome given as levels per issue.
    pub fn eval(&self, issues: &[Issue], levels: &[usize]) -> bool {
        match self {
            Expr::True => true,
            Expr::False => false,
            Expr::Atom(a) => a.holds(&issues[a.issue], levels[a.issue]),
            Expr::Not(e) => !e.eval(issues, levels),
            Expr::And(es) => es.iter().all(|e| e.eval(issues, levels)),
            Expr::Or(es) => es.iter().any(|e| e.eval(issues, levels)),
            Expr::Implies(a, b) => !a.eval(issues, levels) || b.eval(issues, levels),
        }
    }

    /// The issues the expression mentions, sorted, without repeats.
    pub fn issues(&self) -> Vec<usize> {
        let mut out = Vec::new();
        self.walk(&mut |a| out.push(a.issue));
        out.sort_unstable();
        out.dedup();
        out
    }

    fn walk(&self, f: &mut impl FnMut(&Atom)) {
        match self {
            Expr::True | Expr::False => {}
            Expr::Atom(a) => f(a),
            Expr::Not(e) => e.walk(f),
            Expr::And(es) | Expr::Or(es) => es.iter().for_each(|e| e.walk(f)),
            Expr::Implies(a, b) => {
                a.walk(f);
                b.walk(f);
            }
        }
    }

    /// Checks that every atom fits its issue (ordering only on ordered
    /// issues, option indices in range).
    pub fn check(&self, issues: &[Issue]) -> Result<(), String> {
        if self.depth() > MAX_EXPR_DEPTH {
            return Err(format!("a rule nests deeper than {MAX_EXPR_DEPTH} levels"));
        }
        let mut err = None;
        self.walk(&mut |a| {
            if err.is_some() {
                return;
            }
            let Some(issue) = issues.get(a.issue) else {
                err = Some("a rule names an issue that does not exist".to_string());
                return;
            };
            if a.op.is_ordering() && !issue.is_ordered() {
                err = Some(format!("`{}` is unordered: use == or in", issue.id));
            }
            if let (Rhs::Option(i), IssueKind::Options { options, .. }) = (&a.rhs, &issue.kind) {
                if *i >= options.len() {
                    err = Some(format!(
                        "option index {i} is out of range on `{}`",
                        issue.id
                    ));
                }
            }
        });
        err.map_or(Ok(()), Err)
    }

    /// Renders the expression in the rule syntax files use.
    pub fn to_text(&self, issues: &[Issue]) -> String {
        self.render(issues, 0)
    }

    fn render(&self, issues: &[Issue], parent: u8) -> String {
        // Precedence: implies 1 < or 2 < and 3 < not/atom 4.
        let (prec, s) = match self {
            Expr::True => (4, "true".to_string()),
            Expr::False => (4, "false".to_string()),
            Expr::Atom(a) => (4, render_atom(a, issues)),
            Expr::Not(e) => (4, format!("not {}", e.render(issues, 4))),
            Expr::And(es) => (
                3,
                es.iter()
                    .map(|e| e.render(issues, 3))
                    .collect::<Vec<_>>()
                    .join(" and "),
            ),
            Expr::Or(es) => (
                2,
                es.iter()
                    .map(|e| e.render(issues, 2))
                    .collect::<Vec<_>>()
                    .join(" or "),
            ),
            Expr::Implies(a, b) => (
                1,
                format!("{} implies {}", a.render(issues, 2), b.render(issues, 1)),
            ),
        };
        // `and` inside `or` gets brackets too, though not needed, for readers.
        if prec < parent || (prec == 3 && parent == 2) {
            format!("({s})")
        } else {
            s
        }
    }
}

fn render_value(issue: &Issue, v: f64) -> String {
    match &issue.kind {
        IssueKind::Options { options, .. } => options
            .get(v as usize)
            .map_or_else(|| fmt_num(v), |o| o.id.clone()),
        IssueKind::Numeric { .. } => fmt_num(v),
    }
}

fn render_atom(a: &Atom, issues: &[Issue]) -> String {
    let issue = &issues[a.issue];
    let rhs = match &a.rhs {
        Rhs::Option(i) => render_value(issue, *i as f64),
        Rhs::Number(x) => fmt_num(*x),
        Rhs::Set(vs) => {
            let items: Vec<String> = vs.iter().map(|&v| render_value(issue, v)).collect();
            format!("[{}]", items.join(", "))
        }
    };
    format!("{} {} {}", issue.id, a.op.symbol(), rhs)
}
