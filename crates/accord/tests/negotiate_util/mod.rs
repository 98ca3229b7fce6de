//! Scenarios built in code for the negotiation tests.
#![allow(dead_code)]

use accord::model::*;

fn issue(id: &str, kind: IssueKind) -> Issue {
    Issue {
        id: id.into(),
        name: id.into(),
        kind,
    }
}

/// A numeric issue `0..=max` in steps of 1.
pub fn numeric(id: &str, max: f64) -> Issue {
    issue(
        id,
        IssueKind::Numeric {
            min: 0.0,
            max,
            step: 1.0,
            unit: String::new(),
        },
    )
}

/// An unordered options issue.
pub fn options(id: &str, opts: &[&str]) -> Issue {
    let options = opts
        .iter()
        .map(|o| OptionDef {
            id: o.to_string(),
            label: o.to_string(),
        })
        .collect();
    issue(
        id,
        IssueKind::Options {
            options,
            ordered: false,
        },
    )
}

/// A preference from (weight, value function) pairs.
pub fn pref(reservation: f64, issues: Vec<(f64, ValueFn)>) -> Preference {
    Preference {
        reservation: Param::new(reservation),
        issues: issues
            .into_iter()
            .map(|(w, value)| IssuePref {
                weight: Param::new(w),
                value,
                stance: None,
                provenance: Provenance::default(),
            })
            .collect(),
    }
}

/// A scenario from actors, issues, preferences and red lines.
pub fn scenario(ids: &[&str], issues: Vec<Issue>, preferences: Vec<Preference>) -> Scenario {
    Scenario {
        id: "test".into(),
        actors: ids
            .iter()
            .map(|a| Actor {
                id: a.to_string(),
                name: a.to_string(),
                power: Param::new(1.0),
            })
            .collect(),
        issues,
        preferences,
        ..Default::default()
    }
}

/// An atom `issue op number`.
pub fn atom(issue: usize, op: CmpOp, x: f64) -> Expr {
    Expr::Atom(Atom {
        issue,
        op,
        rhs: Rhs::Number(x),
    })
}

/// The bundled `sale` scenario (scenarios/sale.toml) without its ratifier:
/// seller u = 0.8·price/10 + 0.2·[standard], reservation 0.4; buyer
/// u = 0.6·(10 − price)/10 + 0.4·[express], reservation 0.3, red line
/// price ≤ 8.
pub fn sale() -> Scenario {
    let mut sc = scenario(
        &["seller", "buyer"],
        vec![
            numeric("price", 10.0),
            options("delivery", &["express", "standard"]),
        ],
        vec![
            pref(
                0.4,
                vec![
                    (0.8, ValueFn::Rising),
                    (
                        0.2,
                        ValueFn::Table {
                            values: vec![0.0, 1.0],
                        },
                    ),
                ],
            ),
            pref(
                0.3,
                vec![
                    (0.6, ValueFn::Falling),
                    (
                        0.4,
                        ValueFn::Table {
                            values: vec![1.0, 0.0],
                        },
                    ),
                ],
            ),
        ],
    );
    sc.red_lines.push(RedLine {
        id: "budget".into(),
        actor: 1,
        rule: atom(0, CmpOp::Le, 8.0),
        provenance: Provenance::default(),
    });
    sc
}
