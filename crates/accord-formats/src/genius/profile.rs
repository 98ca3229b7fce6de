//! A preference profile: `<utility_space>` → root `<objective>` holding one
//! `<issue>` per domain issue (with its evaluator) and one `<weight>` per
//! issue, then `<discount_factor>` and `<reservation>`; read as GENIUS's
//! `genius.core.utility.AdditiveUtilitySpace.loadTreeRecursive` does.

use super::domain::{int_bound, issue_type, root_objective, DomKind, Domain};
use super::xml::{children, Xml};
use crate::diag::LoadError;
use roxmltree::Node;

/// How one issue's values are evaluated, on [0, 1].
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Eval {
    /// `EvaluatorDiscrete`: each item's evaluation divided by the issue's
    /// largest evaluation (0 when that largest is below 1e-5); in domain
    /// item order.
    Table(Vec<f64>),
    /// `EvaluatorInteger` / `EvaluatorReal` (linear):
    /// `clamp(offset + slope·(x − origin), 0, 1)`.
    Linear {
        origin: f64,
        slope: f64,
        offset: f64,
    },
    /// `EvaluatorReal` (constant): the same value everywhere.
    Constant(f64),
}

impl Eval {
    /// The evaluation at a number (numeric issues).
    pub fn at(&self, x: f64) -> f64 {
        match *self {
            Eval::Linear {
                origin,
                slope,
                offset,
            } => (offset + slope * (x - origin)).clamp(0.0, 1.0),
            Eval::Constant(c) => c,
            Eval::Table(_) => 0.0,
        }
    }
}

/// One issue of a profile: its weight (as written) and evaluator.
#[derive(Debug, Clone)]
pub(crate) struct ProfIssue {
    /// The `<weight value>` as written, and its text.
    pub weight: (f64, String),
    /// The evaluator.
    pub eval: Eval,
}

/// A parsed profile, its issues in domain order.
pub(crate) struct Profile {
    /// The root's `name` attribute, if any.
    pub name: Option<String>,
    /// One entry per domain issue.
    pub issues: Vec<ProfIssue>,
    /// `<reservation value>` and its text, if present.
    pub reservation: Option<(f64, String)>,
    /// `<discount_factor value>` as written, if present.
    pub discount: Option<f64>,
}

const NONLINEAR: &str = "non-linear (hyper-rectangle) GENIUS profiles are not supported yet: \
     the engine's utilities are linear-additive";

/// Reads a profile against its domain.
pub(crate) fn read_profile<'a>(x: &Xml<'a>, dom: &Domain) -> Result<Profile, LoadError> {
    let root = x.root();
    if root.tag_name().name() != "utility_space" {
        return Err(x.at(
            root,
            format!(
                "expected a GENIUS profile (root element <utility_space>), found <{}>",
                root.tag_name().name()
            ),
        ));
    }
    if root.attribute("type") == Some("nonlinear") {
        return Err(x.at_attr(root, "type", NONLINEAR));
    }
    if let Some(n) = root
        .descendants()
        .find(|n| n.has_tag_name("utility") || n.has_tag_name("hyperRectangle"))
    {
        return Err(x.at(n, NONLINEAR));
    }
    let objective = root_objective(x, root)?;
    // Weights are children of the objective that holds the issue; indices
    // are global, so collect them all (GENIUS's tmpWeights per level).
    let mut weights: Vec<(i64, f64, String, Node)> = Vec::new();
    for w in objective.descendants().filter(|n| n.has_tag_name("weight")) {
        let idx = x.int(w, "index")?;
        let v = x.num(w, "value")?;
        if v < 0.0 {
            return Err(x.at_attr(w, "value", format!("weight {v} is negative; expected ≥ 0")));
        }
        if weights.iter().any(|(i, ..)| *i == idx) {
            return Err(x.at_attr(w, "index", format!("a second weight for issue {idx}")));
        }
        weights.push((idx, v, x.req(w, "value")?.trim().to_string(), w));
    }
    let prof_issues: Vec<Node> = objective
        .descendants()
        .filter(|n| n.has_tag_name("issue"))
        .collect();
    let mut issues = Vec::with_capacity(dom.issues.len());
    for di in &dom.issues {
        let Some(node) = prof_issues.iter().copied().find(|n| {
            n.attribute("index")
                .and_then(|s| s.trim().parse::<i64>().ok())
                == Some(di.index)
        }) else {
            return Err(x.at(
                objective,
                format!(
                    "no <issue index=\"{}\"> for domain issue `{}`",
                    di.index, di.name
                ),
            ));
        };
        let Some((_, w, wtext, _)) = weights.iter().find(|(i, ..)| *i == di.index) else {
            return Err(x.at(
                node,
                format!(
                    "no <weight index=\"{}\"> for issue `{}` (GENIUS creates no evaluator without one)",
                    di.index, di.name
                ),
            ));
        };
        let eval = read_eval(x, node, &di.kind, &di.name)?;
        issues.push(ProfIssue {
            weight: (*w, wtext.clone()),
            eval,
        });
    }
    if issues.iter().map(|i| i.weight.0).sum::<f64>() <= 0.0 {
        return Err(x.at(
            objective,
            "the issue weights are all 0; at least one must be positive",
        ));
    }
    let reservation = match last_setting(root, "reservation") {
        Some(r) => {
            let v = x.num(r, "value")?;
            if !(0.0..=1.0).contains(&v) {
                return Err(x.at_attr(r, "value", format!("reservation {v} is outside [0, 1]")));
            }
            Some((v, x.req(r, "value")?.trim().to_string()))
        }
        None => None,
    };
    let discount = match last_setting(root, "discount_factor") {
        Some(d) => Some(x.num(d, "value")?),
        None => None,
    };
    Ok(Profile {
        name: root.attribute("name").map(str::to_string),
        issues,
        reservation,
        discount,
    })
}

/// The `<reservation>` or `<discount_factor>` GENIUS ends up with, wherever
/// it is written: `AdditiveUtilitySpace.loadTreeRecursive` visits every
/// element depth first and lets the first such child of each overwrite the
/// value, so the child of the last element visited (in document preorder)
/// wins — under `<utility_space>`, the root `<objective>` or deeper.
fn last_setting<'a>(root: Node<'a, 'a>, tag: &'static str) -> Option<Node<'a, 'a>> {
    root.descendants()
        .filter(|n| n.is_element())
        .filter_map(|n| children(n, tag).next())
        .next_back()
}

/// An evaluator's function type, compared case-insensitively as GENIUS's
/// `EVALFUNCTYPE.convertToType` does.
fn ftype(ev: Node) -> Option<String> {
    ev.attribute("ftype").map(|t| t.trim().to_ascii_lowercase())
}

fn read_eval(x: &Xml, node: Node, kind: &DomKind, name: &str) -> Result<Eval, LoadError> {
    let t = issue_type(x, node)?;
    let expected = match kind {
        DomKind::Discrete(_) => "discrete",
        DomKind::Integer { .. } => "integer",
        DomKind::Real { .. } => "real",
    };
    if t != expected {
        return Err(x.at(
            node,
            format!("issue `{name}` is {expected} in the domain but {t} here"),
        ));
    }
    match kind {
        DomKind::Discrete(values) => {
            // EvaluatorDiscrete.loadFromXML: value → evaluation; the maximum
            // runs over every evaluated item, as in getEvalMax().
            let mut evals: Vec<(String, f64)> = Vec::new();
            for item in children(node, "item") {
                let v = x.req(item, "value")?;
                // EvaluatorDiscrete.loadFromXML skips an item whose
                // evaluation is absent or the text `null`.
                match item.attribute("evaluation").map(str::trim) {
                    None | Some("null") => continue,
                    Some(_) => {}
                }
                let e = x.num(item, "evaluation")?;
                if e < 0.0 {
                    return Err(x.at_attr(
                        item,
                        "evaluation",
                        format!("evaluation {e} is negative; GENIUS requires ≥ 0"),
                    ));
                }
                evals.retain(|(w, _)| w != v);
                evals.push((v.to_string(), e));
            }
            let max = evals
                .iter()
                .map(|(_, e)| *e)
                .fold(f64::NEG_INFINITY, f64::max);
            let mut table = Vec::with_capacity(values.len());
            for v in values {
                let Some((_, e)) = evals.iter().find(|(w, _)| w == v) else {
                    return Err(x.at(
                        node,
                        format!("item `{v}` of issue `{name}` has no evaluation here"),
                    ));
                };
                table.push(if max < 0.00001 { 0.0 } else { e / max });
            }
            Ok(Eval::Table(table))
        }
        DomKind::Integer { lo, .. } => {
            // EvaluatorInteger.loadFromXML: bounds from this element or its
            // <range> (the domain's when absent). GENIUS 10 writes `slope`
            // and `offset` on <evaluator>, measured from the lower bound;
            // older files write `ftype` with `parameter1·x + parameter0`
            // (from 0) or a `constant` `parameter0`. No evaluator leaves
            // slope and offset at 0.
            let origin = if node.attribute("lowerbound").is_some()
                || children(node, "range").any(|r| r.attribute("lowerbound").is_some())
            {
                int_bound(x, node, "lowerbound")? as f64
            } else {
                *lo as f64
            };
            let Some(ev) = children(node, "evaluator").next() else {
                return Ok(Eval::Linear {
                    origin,
                    slope: 0.0,
                    offset: 0.0,
                });
            };
            if ev.attribute("slope").is_some() || ev.attribute("offset").is_some() {
                return Ok(Eval::Linear {
                    origin,
                    slope: x.num(ev, "slope")?,
                    offset: x.num(ev, "offset")?,
                });
            }
            match ftype(ev).as_deref() {
                Some("linear") => Ok(Eval::Linear {
                    origin: 0.0,
                    slope: x.num(ev, "parameter1")?,
                    offset: x.opt_num(ev, "parameter0")?.unwrap_or(0.0),
                }),
                Some("constant") => constant(x, ev),
                Some(other) => Err(x.at_attr(
                    ev,
                    "ftype",
                    format!(
                        "evaluator type `{other}` is not supported yet (linear and constant are)"
                    ),
                )),
                None => Err(x.at(
                    ev,
                    format!(
                        "integer issue `{name}` needs `slope` and `offset` (or `ftype` with `parameter0`/`parameter1`) on <evaluator>"
                    ),
                )),
            }
        }
        DomKind::Real { .. } => {
            let ev = children(node, "evaluator")
                .next()
                .ok_or_else(|| x.at(node, format!("real issue `{name}` needs an <evaluator>")))?;
            match ftype(ev).as_deref().unwrap_or("linear") {
                "linear" => Ok(Eval::Linear {
                    origin: 0.0,
                    slope: x.num(ev, "parameter1")?,
                    offset: x.opt_num(ev, "parameter0")?.unwrap_or(0.0),
                }),
                "constant" => constant(x, ev),
                other => Err(x.at_attr(
                    ev,
                    "ftype",
                    format!(
                        "evaluator type `{other}` is not supported yet (linear and constant are)"
                    ),
                )),
            }
        }
    }
}

/// A `constant` evaluator: `parameter0`, in [0, 1].
fn constant(x: &Xml, ev: Node) -> Result<Eval, LoadError> {
    let c = x.num(ev, "parameter0")?;
    if !(0.0..=1.0).contains(&c) {
        return Err(x.at_attr(
            ev,
            "parameter0",
            format!("constant evaluation {c} is outside [0, 1]"),
        ));
    }
    Ok(Eval::Constant(c))
}
