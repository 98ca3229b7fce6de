//! Writing a linear-additive [`Scenario`] as GENIUS XML: one domain file
//! and one profile per actor, in the form [`import_genius`](super::import_genius)
//! reads back to the same issues, actors and utilities.
//!
//! - An options issue becomes a discrete issue; each option's value is
//!   written as its `evaluation`. GENIUS divides evaluations by the issue's
//!   largest, so an actor whose best value on an issue is neither 1 nor 0
//!   cannot be written without changing utilities: that is an
//!   [`ExportError`].
//! - A numeric issue with integer bounds, step 1 and a value function that
//!   is linear over its levels becomes an integer issue with a linear
//!   evaluator (`offset` = value at the lower bound). Any other numeric
//!   issue becomes a discrete issue whose items are its levels (written
//!   as numbers), so it reads back as options.
//! - Red lines, feasibility rules and ratifiers have no GENIUS form; they
//!   are left out and listed in [`GeniusExport::dropped`].

use accord::model::{fmt_num, IssueKind, Scenario};
use std::fmt::Write as _;

/// The files of an export.
#[derive(Debug, Clone, PartialEq)]
pub struct GeniusExport {
    /// `(file name, XML)` of the domain.
    pub domain: (String, String),
    /// `(file name, XML)` per actor, in actor order.
    pub profiles: Vec<(String, String)>,
    /// What the scenario holds that GENIUS cannot express.
    pub dropped: Vec<String>,
}

/// Why a scenario cannot be written as GENIUS XML.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// A discrete issue whose best value is neither 0 nor 1.
    #[error(
        "{actor}'s best value on issue `{issue}` is {best}; GENIUS divides evaluations by the best one, \
         so this preference has no GENIUS form (rescale the values so the best is 1)"
    )]
    NotNormalised {
        /// Actor id.
        actor: String,
        /// Issue id.
        issue: String,
        /// The best value.
        best: f64,
    },
    /// The scenario fails its own checks.
    #[error("the scenario is invalid: {0}")]
    Invalid(String),
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\n' => o.push_str("&#10;"),
            '\r' => o.push_str("&#13;"),
            '\t' => o.push_str("&#9;"),
            c => o.push(c),
        }
    }
    o
}

/// How one issue is written.
enum Shape {
    /// Discrete items with these labels.
    Discrete(Vec<String>),
    /// Integer issue `lo..=hi`.
    Integer(i64, i64),
}

fn shape(sc: &Scenario, k: usize) -> Shape {
    let issue = &sc.issues[k];
    match &issue.kind {
        IssueKind::Options { options, .. } => {
            Shape::Discrete(options.iter().map(|o| o.label.clone()).collect())
        }
        IssueKind::Numeric { min, max, step, .. } => {
            let integral = *step == 1.0
                && min.fract() == 0.0
                && max.fract() == 0.0
                && min.abs() < 1e15
                && max.abs() < 1e15;
            let linear = sc.preferences.iter().all(|p| {
                let (lo, hi) = (min, max);
                let f = |l| p.issues[k].value.at(issue, l);
                let n = issue.levels();
                let (f0, f1) = (f(0), f(n - 1));
                (0..n).all(|l| {
                    let x = issue.scalar(l);
                    let line = if hi > lo {
                        f0 + (f1 - f0) / (hi - lo) * (x - lo)
                    } else {
                        f0
                    };
                    (f(l) - line).abs() <= 1e-12
                })
            });
            if integral && linear {
                Shape::Integer(*min as i64, *max as i64)
            } else {
                Shape::Discrete(
                    (0..issue.levels())
                        .map(|l| fmt_num(issue.scalar(l)))
                        .collect(),
                )
            }
        }
    }
}

/// A file name for an id that stays inside the output folder: ASCII
/// letters, digits, `-` and `_` are kept, anything else (separators, dots,
/// control characters) becomes `_`, and a
/// name already `used` gets a `-2`, `-3`, … suffix so no file overwrites
/// another. Ids come from the scenario file, so `../../x` or `/etc/x` must
/// not pick where the export writes.
pub fn safe_file_name(id: &str, used: &mut std::collections::HashSet<String>) -> String {
    let mut stem: String = id
        .chars()
        .map(|c| match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '_' => c,
            _ => '_',
        })
        .collect();
    if stem.is_empty() {
        stem.push('_');
    }
    let mut name = format!("{stem}.xml");
    let mut k = 2;
    while !used.insert(name.to_ascii_lowercase()) {
        name = format!("{stem}-{k}.xml");
        k += 1;
    }
    name
}

/// Writes a scenario as a GENIUS domain plus one profile per actor.
/// `discounts` gives each actor's discount factor (missing entries: none).
pub fn to_genius(sc: &Scenario, discounts: &[f64]) -> Result<GeniusExport, ExportError> {
    sc.check()
        .map_err(|e| ExportError::Invalid(e.to_string()))?;
    let shapes: Vec<Shape> = (0..sc.issues.len()).map(|k| shape(sc, k)).collect();
    let mut dom =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<negotiation_template>\n");
    let _ = writeln!(
        dom,
        "<utility_space number_of_issues=\"{}\">",
        sc.issues.len()
    );
    dom.push_str("<objective index=\"0\" etype=\"objective\" type=\"objective\" description=\"\" name=\"root\">\n");
    for (k, (issue, sh)) in sc.issues.iter().zip(&shapes).enumerate() {
        let (i, name) = (k + 1, esc(&issue.name));
        match sh {
            Shape::Discrete(labels) => {
                let _ = writeln!(dom, "<issue index=\"{i}\" etype=\"discrete\" type=\"discrete\" vtype=\"discrete\" name=\"{name}\">");
                for (j, l) in labels.iter().enumerate() {
                    let _ = writeln!(dom, "  <item index=\"{}\" value=\"{}\"/>", j + 1, esc(l));
                }
                dom.push_str("</issue>\n");
            }
            Shape::Integer(lo, hi) => {
                let _ = writeln!(dom, "<issue index=\"{i}\" etype=\"integer\" type=\"integer\" vtype=\"integer\" name=\"{name}\" lowerbound=\"{lo}\" upperbound=\"{hi}\"/>");
            }
        }
    }
    dom.push_str("</objective>\n</utility_space>\n</negotiation_template>\n");

    let mut used = std::collections::HashSet::new();
    let domain_file = safe_file_name(&sc.id, &mut used);
    let mut profiles = Vec::new();
    for (a, (actor, pref)) in sc.actors.iter().zip(&sc.preferences).enumerate() {
        let mut p = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(p, "<utility_space name=\"{}\">", esc(&actor.name));
        p.push_str("<objective index=\"0\" etype=\"objective\" type=\"objective\" description=\"\" name=\"root\">\n");
        for (k, (issue, sh)) in sc.issues.iter().zip(&shapes).enumerate() {
            let (i, name) = (k + 1, esc(&issue.name));
            let vf = &pref.issues[k].value;
            match sh {
                Shape::Discrete(labels) => {
                    let vals: Vec<f64> = (0..labels.len()).map(|l| vf.at(issue, l)).collect();
                    let best = vals.iter().copied().fold(0.0, f64::max);
                    if best != 0.0 && best != 1.0 {
                        return Err(ExportError::NotNormalised {
                            actor: actor.id.clone(),
                            issue: issue.id.clone(),
                            best,
                        });
                    }
                    let _ = writeln!(p, "<issue index=\"{i}\" etype=\"discrete\" type=\"discrete\" vtype=\"discrete\" name=\"{name}\">");
                    for (j, (l, v)) in labels.iter().zip(&vals).enumerate() {
                        let _ = writeln!(
                            p,
                            "  <item index=\"{}\" value=\"{}\" evaluation=\"{v:?}\"/>",
                            j + 1,
                            esc(l)
                        );
                    }
                    p.push_str("</issue>\n");
                }
                Shape::Integer(lo, hi) => {
                    let n = issue.levels();
                    let (f0, f1) = (vf.at(issue, 0), vf.at(issue, n - 1));
                    let slope = if hi > lo {
                        (f1 - f0) / (hi - lo) as f64
                    } else {
                        0.0
                    };
                    let _ = writeln!(p, "<issue index=\"{i}\" etype=\"integer\" type=\"integer\" vtype=\"integer\" name=\"{name}\" lowerbound=\"{lo}\" upperbound=\"{hi}\">");
                    let _ = writeln!(
                        p,
                        "  <evaluator ftype=\"linear\" slope=\"{slope:?}\" offset=\"{f0:?}\"/>"
                    );
                    p.push_str("</issue>\n");
                }
            }
        }
        for (k, ip) in pref.issues.iter().enumerate() {
            let _ = writeln!(
                p,
                "<weight index=\"{}\" value=\"{:?}\"/>",
                k + 1,
                ip.weight.value
            );
        }
        p.push_str("</objective>\n");
        let d = discounts.get(a).copied().unwrap_or(1.0);
        let _ = writeln!(p, "<discount_factor value=\"{d:?}\"/>");
        let _ = writeln!(p, "<reservation value=\"{:?}\"/>", pref.reservation.value);
        p.push_str("</utility_space>\n");
        profiles.push((safe_file_name(&actor.id, &mut used), p));
    }
    let mut dropped = Vec::new();
    for r in &sc.red_lines {
        dropped.push(format!("red line `{}`", r.id));
    }
    for f in &sc.feasibility {
        dropped.push(format!("feasibility rule `{}`", f.id));
    }
    for r in &sc.ratifiers {
        dropped.push(format!("ratifier `{}`", r.id));
    }
    Ok(GeniusExport {
        domain: (domain_file, dom),
        profiles,
        dropped,
    })
}
