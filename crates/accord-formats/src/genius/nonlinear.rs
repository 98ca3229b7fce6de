//! Non-linear GENIUS profiles (`<utility_space type="nonlinear">`, the
//! ANAC 2014 hyper-rectangle utilities) read into an
//! [`accord::nonlinear::BoxProblem`], following GENIUS's
//! `NonlinearUtilitySpace.loadNonlinearSpace` / `loadHyperRectangles`:
//!
//! * `<objective>` → first `<utility maxutility>` → first `<ufun>`, whose
//!   `aggregation` must be `sum` (other aggregations and nested `<ufun>`s
//!   are refused with a located error; the shared domains use neither);
//! * each `<hyperRectangle utility [weight]>`: with `<EXCLUDES>` children
//!   it is an excludes box over them (GENIUS makes it exclusive whenever
//!   one is present), else an includes box over its `<INCLUDES>` (none:
//!   it holds everywhere); its value is `utility × weight` (weight 1 when
//!   absent), and each bound's `index` names a domain issue, `min..=max`;
//!   two bounds on one issue must both hold;
//! * `<reservation value>` (0 when absent); the discount is not used (the
//!   analysis is timeless).
//!
//! Every issue must be an integer issue (GENIUS reads bounds as
//! `ValueInteger`).

use super::domain::{read_domain, root_objective, DomKind};
use super::xml::{self, children, GeniusFile, Role, Xml};
use crate::diag::LoadError;
use accord::nonlinear::{BoxKind, BoxParty, BoxProblem, WeightedBox};

/// Whether a set of GENIUS files holds non-linear profiles (any profile
/// whose root is `<utility_space type="nonlinear">`).
pub fn is_nonlinear_genius(files: &[GeniusFile]) -> bool {
    files.iter().any(|f| {
        !f.base_name().eq_ignore_ascii_case("pareto.xml")
            && xml::parse_doc(f).is_ok_and(|d| {
                let r = d.root_element();
                r.has_tag_name("utility_space") && r.attribute("type") == Some("nonlinear")
            })
    })
}

/// Reads a domain and its non-linear profiles (roles found from the root
/// elements, `pareto.xml` and other XML skipped, profiles in the order
/// given) into a box problem named after the domain file.
pub fn read_genius_nonlinear(files: &[GeniusFile]) -> Result<BoxProblem, LoadError> {
    let mut domain = None;
    let mut profiles = Vec::new();
    for f in files {
        if f.base_name().eq_ignore_ascii_case("pareto.xml") {
            continue;
        }
        match xml::genius_role(&f.text) {
            Some(Role::Domain) if domain.is_none() => domain = Some(f),
            Some(Role::Domain) => {
                let doc = xml::parse_doc(f)?;
                let x = Xml { file: f, doc: &doc };
                return Err(x.at(
                    x.root(),
                    "a second domain file; give one domain and its profiles",
                ));
            }
            Some(Role::Profile) => profiles.push(f),
            Some(Role::Other) => {}
            None => {
                return Err(match xml::parse_doc(f) {
                    Err(e) => e,
                    Ok(_) => LoadError::one(crate::diag::Diagnostic::at(
                        &f.name,
                        &f.text,
                        0..0,
                        "",
                        "not a GENIUS XML file".into(),
                    )),
                })
            }
        }
    }
    let Some(domain) = domain else {
        return Err(LoadError::one(crate::diag::Diagnostic::at(
            files.first().map_or("<none>", |f| &f.name),
            files.first().map_or("", |f| &f.text),
            0..0,
            "",
            "no GENIUS domain among the files: expected one whose root element is <negotiation_template>".into(),
        )));
    };
    let ddoc = xml::parse_doc(domain)?;
    let dx = Xml {
        file: domain,
        doc: &ddoc,
    };
    let dom = read_domain(&dx)?;
    let mut issues = Vec::new();
    for i in &dom.issues {
        match i.kind {
            DomKind::Integer { lo, hi } => issues.push((i.name.clone(), lo, hi)),
            _ => {
                let node = dx
                    .root()
                    .descendants()
                    .find(|n| n.has_tag_name("issue") && n.attribute("name") == Some(&i.name))
                    .unwrap_or(dx.root());
                return Err(dx.at(
                    node,
                    format!("issue `{}` is not an integer issue; non-linear GENIUS profiles bound integer issues only", i.name),
                ));
            }
        }
    }
    if profiles.len() < 2 {
        return Err(dx.at(
            dx.root(),
            format!(
                "a GENIUS negotiation needs at least two profiles for this domain; found {}",
                profiles.len()
            ),
        ));
    }
    let mut parties = Vec::new();
    for f in profiles {
        let doc = xml::parse_doc(f)?;
        let x = Xml { file: f, doc: &doc };
        let positions: Vec<i64> = dom.issues.iter().map(|i| i.index).collect();
        parties.push(read_party(&x, &positions)?);
    }
    let name = domain.stem();
    let name = name.strip_suffix("-domain").unwrap_or(name).to_string();
    Ok(BoxProblem {
        name,
        issues,
        parties,
    })
}

fn read_party(x: &Xml, positions: &[i64]) -> Result<BoxParty, LoadError> {
    let root = x.root();
    if root.tag_name().name() != "utility_space" {
        return Err(x.at(
            root,
            "expected a GENIUS profile (root element <utility_space>)",
        ));
    }
    let objective = root_objective(x, root)?;
    let utility = children(objective, "utility").next().ok_or_else(|| {
        x.at(
            objective,
            "expected a <utility maxutility=…> element in a non-linear profile",
        )
    })?;
    let max_utility = x.num(utility, "maxutility")?;
    if max_utility <= 0.0 {
        return Err(x.at_attr(
            utility,
            "maxutility",
            format!("maxutility {max_utility} must be positive (utilities are divided by it)"),
        ));
    }
    let ufun = children(utility, "ufun")
        .next()
        .ok_or_else(|| x.at(utility, "expected a <ufun> element here"))?;
    if let Some(a) = ufun.attribute("aggregation") {
        if !a.eq_ignore_ascii_case("sum") {
            return Err(x.at_attr(
                ufun,
                "aggregation",
                format!("aggregation `{a}` is not supported; only `sum` is"),
            ));
        }
    }
    if let Some(inner) = children(ufun, "ufun").next() {
        return Err(x.at(inner, "nested <ufun> elements are not supported"));
    }
    let mut boxes = Vec::new();
    for r in children(ufun, "hyperRectangle") {
        let value = x.num(r, "utility")?;
        let weight = x.opt_num(r, "weight")?.unwrap_or(1.0);
        let (kind, tag) = if children(r, "EXCLUDES").next().is_some() {
            (BoxKind::Excludes, "EXCLUDES")
        } else {
            (BoxKind::Includes, "INCLUDES")
        };
        let mut ranges: Vec<Option<(i64, i64)>> = vec![None; positions.len()];
        for b in children(r, tag) {
            let idx = x.int(b, "index")?;
            let pos = positions.iter().position(|&p| p == idx).ok_or_else(|| {
                x.at_attr(
                    b,
                    "index",
                    format!("no issue with index {idx} in the domain"),
                )
            })?;
            let (lo, hi) = (x.int(b, "min")?, x.int(b, "max")?);
            ranges[pos] = Some(match ranges[pos] {
                Some((a, c)) => (a.max(lo), c.min(hi)),
                None => (lo, hi),
            });
        }
        boxes.push(WeightedBox {
            weight: value * weight,
            ranges,
            kind,
        });
    }
    let reservation = match children(root, "reservation").next() {
        Some(r) => x.num(r, "value")?,
        None => 0.0,
    };
    let name = root
        .attribute("name")
        .map_or_else(|| x.file.stem().to_string(), str::to_string);
    Ok(BoxParty {
        name,
        reservation,
        max_utility,
        boxes,
    })
}
