//! The domain file: `<negotiation_template>` → `<utility_space>` →
//! `<objective>` (the root objective) → `<issue>` elements, as read by
//! GENIUS's `genius.core.DomainImpl`.

use super::xml::{children, Xml};
use crate::diag::LoadError;
use roxmltree::Node;

/// The most values an integer issue may span: the scenario check's limit,
/// so an import never yields a scenario that `check` then refuses.
pub(crate) const MAX_INTEGER_VALUES: i64 = accord::model::MAX_LEVELS as i64;

/// The value set of one issue, as the domain declares it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DomKind {
    /// `IssueDiscrete`: the `value` attributes of its `<item>`s, in order.
    Discrete(Vec<String>),
    /// `IssueInteger`: `lowerbound..=upperbound`.
    Integer { lo: i64, hi: i64 },
    /// `IssueReal`: `<range lowerbound upperbound>`.
    Real { lo: f64, hi: f64 },
}

/// One issue of the domain.
#[derive(Debug, Clone)]
pub(crate) struct DomIssue {
    /// The `index` attribute (GENIUS's issue number).
    pub index: i64,
    /// The `name` attribute.
    pub name: String,
    /// Its value set.
    pub kind: DomKind,
}

/// A parsed domain.
pub(crate) struct Domain {
    /// The issues in document (pre-)order, which is GENIUS's order.
    pub issues: Vec<DomIssue>,
}

/// The issue type. GENIUS decides it from `type` alone (a conflicting
/// `vtype`/`etype` is overruled) and reads an issue without `type` as
/// discrete (`DomainImpl.buildTreeRecursive`, `AdditiveUtilitySpace.
/// loadTreeRecursive`). Without `type`, an `etype` or `vtype` naming another
/// kind is followed instead: GENIUS would build a discrete issue with no
/// values, which no negotiation can use.
pub(crate) fn issue_type<'n>(x: &Xml, node: Node<'n, 'n>) -> Result<&'n str, LoadError> {
    let Some((attr, t)) = ["type", "etype", "vtype"]
        .iter()
        .find_map(|a| node.attribute(*a).map(|t| (*a, t)))
    else {
        return Ok("discrete");
    };
    match t.trim().to_ascii_lowercase().as_str() {
        "discrete" => Ok("discrete"),
        "integer" => Ok("integer"),
        "real" => Ok("real"),
        _ => Err(x.at_attr(
            node,
            attr,
            format!("issue type `{t}` is not one of discrete, integer, real"),
        )),
    }
}

/// The issues below an objective in GENIUS's order: at each level the
/// sub-objectives' issues (depth first) come before the level's own issues,
/// because `DomainImpl.buildTreeRecursive` attaches child objectives first
/// and `getPreorderIssueEnumeration` walks that tree.
pub(crate) fn issues_in_order<'a>(objective: Node<'a, 'a>) -> Vec<Node<'a, 'a>> {
    let mut out = Vec::new();
    for sub in children(objective, "objective") {
        out.extend(issues_in_order(sub));
    }
    out.extend(children(objective, "issue"));
    out
}

/// An integer bound: the attribute on the issue (GENIUS 10), else on its
/// `<range>` child (older files).
pub(crate) fn int_bound(x: &Xml, node: Node, name: &str) -> Result<i64, LoadError> {
    match children(node, "range").next() {
        Some(r) if node.attribute(name).is_none() && r.attribute(name).is_some() => x.int(r, name),
        _ => x.int(node, name),
    }
}

/// The root objective of a `<utility_space>` (the first `<objective>`).
pub(crate) fn root_objective<'a>(
    x: &Xml<'a>,
    space: Node<'a, 'a>,
) -> Result<Node<'a, 'a>, LoadError> {
    children(space, "objective").next().ok_or_else(|| {
        x.at(
            space,
            "expected an <objective> element (the root objective) here",
        )
    })
}

/// Reads a domain file.
pub(crate) fn read_domain<'a>(x: &Xml<'a>) -> Result<Domain, LoadError> {
    let root = x.root();
    if root.tag_name().name() != "negotiation_template" {
        return Err(x.at(
            root,
            format!(
                "expected a GENIUS domain (root element <negotiation_template>), found <{}>",
                root.tag_name().name()
            ),
        ));
    }
    let space = children(root, "utility_space").next().ok_or_else(|| {
        x.at(
            root,
            "expected a <utility_space> element inside <negotiation_template>",
        )
    })?;
    let objective = root_objective(x, space)?;
    let mut issues: Vec<DomIssue> = Vec::new();
    for node in issues_in_order(objective) {
        let index = x.int(node, "index")?;
        let name = x.req(node, "name")?.to_string();
        if issues.iter().any(|i| i.index == index) {
            return Err(x.at_attr(node, "index", format!("a second issue with index {index}")));
        }
        if issues.iter().any(|i| i.name == name) {
            return Err(x.at_attr(node, "name", format!("a second issue named `{name}`")));
        }
        let kind = match issue_type(x, node)? {
            "discrete" => {
                let mut values: Vec<String> = Vec::new();
                for item in children(node, "item") {
                    let v = x.req(item, "value")?;
                    if values.iter().any(|w| w == v) {
                        return Err(x.at_attr(item, "value", format!("a second item `{v}`")));
                    }
                    values.push(v.to_string());
                }
                if values.is_empty() {
                    return Err(x.at(
                        node,
                        format!("discrete issue `{name}` needs at least one <item>"),
                    ));
                }
                DomKind::Discrete(values)
            }
            "integer" => {
                let lo = int_bound(x, node, "lowerbound")?;
                let hi = int_bound(x, node, "upperbound")?;
                if hi < lo {
                    return Err(x.at_attr(
                        node,
                        "upperbound",
                        format!("upperbound {hi} is below lowerbound {lo}"),
                    ));
                }
                if (hi as i128 - lo as i128) >= MAX_INTEGER_VALUES as i128 {
                    return Err(x.at_attr(
                        node,
                        "upperbound",
                        format!("integer issue `{name}` spans more than {MAX_INTEGER_VALUES} values, the most one issue may have"),
                    ));
                }
                DomKind::Integer { lo, hi }
            }
            _ => {
                let range = children(node, "range").next().unwrap_or(node);
                let lo = x.num(range, "lowerbound")?;
                let hi = x.num(range, "upperbound")?;
                if hi < lo {
                    return Err(x.at_attr(
                        range,
                        "upperbound",
                        format!("upperbound {hi} is below lowerbound {lo}"),
                    ));
                }
                DomKind::Real { lo, hi }
            }
        };
        issues.push(DomIssue { index, name, kind });
    }
    if issues.is_empty() {
        return Err(x.at(objective, "the domain declares no <issue>"));
    }
    Ok(Domain { issues })
}
