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

/// The issue type, from `etype` (falling back to `type`, then `vtype`).
pub(crate) fn issue_type<'n>(x: &Xml, node: Node<'n, 'n>) -> Result<&'n str, LoadError> {
    let t = ["etype", "type", "vtype"]
        .iter()
        .find_map(|a| node.attribute(*a))
        .ok_or_else(|| {
            x.at(
                node,
                "<issue> needs an `etype` attribute (discrete, integer or real)",
            )
        })?;
    match t {
        "discrete" | "integer" | "real" => Ok(t),
        other => Err(x.at_attr(
            node,
            "etype",
            format!("issue type `{other}` is not one of discrete, integer, real"),
        )),
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
    for node in objective.descendants().filter(|n| n.has_tag_name("issue")) {
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
                let lo = x.int(node, "lowerbound")?;
                let hi = x.int(node, "upperbound")?;
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
