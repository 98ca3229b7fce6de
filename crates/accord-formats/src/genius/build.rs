//! Assembling the [`Scenario`] from a parsed domain and its profiles.

use super::domain::{DomKind, Domain};
use super::profile::{Eval, Profile};
use super::xml::GeniusFile;
use super::GeniusOptions;
use accord::model::{
    fmt_num, Actor, Grade, Issue, IssueKind, IssuePref, OptionDef, Param, Preference, Provenance,
    Scenario, Source, ValueFn,
};

/// A lowercase identifier: ASCII letters and digits, other runs → `_`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let t = out.trim_matches('_');
    if t.is_empty() {
        "x".to_string()
    } else {
        t.to_string()
    }
}

/// `base`, or `base_2`, `base_3`, … whichever is not taken yet.
fn unique(base: String, taken: &[String]) -> String {
    if !taken.contains(&base) {
        return base;
    }
    (2..)
        .map(|k| format!("{base}_{k}"))
        .find(|c| !taken.contains(c))
        .unwrap_or(base)
}

/// GENIUS's `validateDiscount`: a factor ≤ 0 or > 1 means no discount (1).
pub fn genius_discount(d: Option<f64>) -> f64 {
    match d {
        Some(d) if d > 0.0 && d <= 1.0 => d,
        _ => 1.0,
    }
}

/// The source id of the domain file.
pub const DOMAIN_SOURCE: &str = "genius-domain";

fn sourced(source: &str, quote: Option<String>) -> Provenance {
    Provenance {
        source: Some(source.to_string()),
        quote,
        assumption: None,
        entrenchment: None,
    }
}

pub(crate) fn issues_of(dom: &Domain, opts: &GeniusOptions) -> Vec<Issue> {
    let mut ids: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for di in &dom.issues {
        let id = unique(slug(&di.name), &ids);
        ids.push(id.clone());
        let kind = match &di.kind {
            DomKind::Discrete(values) => {
                let mut oids: Vec<String> = Vec::new();
                let options = values
                    .iter()
                    .map(|v| {
                        let oid = unique(slug(v), &oids);
                        oids.push(oid.clone());
                        OptionDef {
                            id: oid,
                            label: v.clone(),
                        }
                    })
                    .collect();
                IssueKind::Options {
                    options,
                    ordered: false,
                }
            }
            DomKind::Integer { lo, hi } => IssueKind::Numeric {
                min: *lo as f64,
                max: *hi as f64,
                step: 1.0,
                unit: String::new(),
            },
            DomKind::Real { lo, hi } => {
                let n = opts.real_levels.max(2);
                let step = if hi > lo {
                    (hi - lo) / (n - 1) as f64
                } else {
                    1.0
                };
                IssueKind::Numeric {
                    min: *lo,
                    max: *hi,
                    step,
                    unit: String::new(),
                }
            }
        };
        out.push(Issue {
            id,
            name: di.name.clone(),
            kind,
        });
    }
    out
}

/// The value function matching a linear GENIUS evaluator on `[a, b]`:
/// `Rising`/`Falling` when it runs exactly 0→1 or 1→0, otherwise the
/// piecewise-linear function through its ends and its clamp corners.
pub(crate) fn value_fn(eval: &Eval, a: f64, b: f64) -> ValueFn {
    match eval {
        Eval::Table(values) => ValueFn::Table {
            values: values.clone(),
        },
        Eval::Constant(c) => ValueFn::Piecewise {
            points: vec![(a, *c)],
        },
        Eval::Linear {
            origin,
            slope,
            offset,
        } => {
            let (fa, fb) = (eval.at(a), eval.at(b));
            let mut xs = vec![a, b];
            if *slope != 0.0 {
                for level in [0.0, 1.0] {
                    let x = origin + (level - offset) / slope;
                    if x > a && x < b {
                        xs.push(x);
                    }
                }
            }
            xs.sort_by(f64::total_cmp);
            xs.dedup();
            if xs.len() == 2 && b > a && fa == 0.0 && fb == 1.0 {
                return ValueFn::Rising;
            }
            if xs.len() == 2 && b > a && fa == 1.0 && fb == 0.0 {
                return ValueFn::Falling;
            }
            ValueFn::Piecewise {
                points: xs.into_iter().map(|x| (x, eval.at(x))).collect(),
            }
        }
    }
}

pub(crate) struct Built {
    pub scenario: Scenario,
    pub discounts: Vec<f64>,
}

pub(crate) fn build(
    domain_file: &GeniusFile,
    dom: &Domain,
    profiles: &[(&GeniusFile, Profile)],
    opts: &GeniusOptions,
) -> Built {
    let issues = issues_of(dom, opts);
    let mut sources = vec![Source {
        id: DOMAIN_SOURCE.to_string(),
        title: format!("GENIUS domain {}", domain_file.base_name()),
        date: None,
        url: None,
        grade: Grade::Reported,
    }];
    let mut actors = Vec::new();
    let mut preferences = Vec::new();
    let mut discounts = Vec::new();
    let mut notes = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    for (file, p) in profiles {
        let name = p.name.clone().unwrap_or_else(|| file.stem().to_string());
        let id = unique(slug(&name), &ids);
        ids.push(id.clone());
        let src = format!("genius-{id}");
        sources.push(Source {
            id: src.clone(),
            title: format!("GENIUS profile {}", file.base_name()),
            date: None,
            url: None,
            grade: Grade::Reported,
        });
        let sum: f64 = p.issues.iter().map(|i| i.weight.0).sum();
        let scale = if (sum - 1.0).abs() > 1e-6 {
            notes.push(format!(
                "{name}'s weights sum to {}; divided by that sum as AdditiveUtilitySpace.normalizeWeights does \
                 (GENIUS reading this file keeps them and caps utility at 1)",
                fmt_num(sum)
            ));
            sum
        } else {
            1.0
        };
        let prefs = p
            .issues
            .iter()
            .zip(&dom.issues)
            .zip(&issues)
            .map(|((pi, di), issue)| IssuePref {
                weight: Param {
                    value: pi.weight.0 / scale,
                    dist: None,
                    provenance: sourced(
                        &src,
                        Some(format!(
                            "<weight index=\"{}\" value=\"{}\">",
                            di.index, pi.weight.1
                        )),
                    ),
                },
                value: {
                    let (a, b) = issue.range();
                    value_fn(&pi.eval, a, b)
                },
                stance: None,
                provenance: sourced(&src, None),
            })
            .collect();
        let reservation = match &p.reservation {
            Some((v, text)) => Param {
                value: *v,
                dist: None,
                provenance: sourced(&src, Some(format!("<reservation value=\"{text}\">"))),
            },
            None => Param {
                value: 0.0,
                dist: None,
                provenance: Provenance::assumed(
                    "the profile has no <reservation>; GENIUS then uses 0",
                ),
            },
        };
        actors.push(Actor {
            id,
            name: name.clone(),
            power: Param {
                value: 1.0,
                dist: None,
                provenance: Provenance::assumed(
                    "GENIUS profiles carry no power; equal power assumed",
                ),
            },
        });
        preferences.push(Preference {
            reservation,
            issues: prefs,
        });
        discounts.push((name, genius_discount(p.discount)));
    }
    let mut description = format!(
        "Imported from GENIUS XML: domain {}, profiles {}.",
        domain_file.base_name(),
        profiles
            .iter()
            .map(|(f, _)| f.base_name())
            .collect::<Vec<_>>()
            .join(", ")
    );
    if discounts.iter().any(|(_, d)| *d < 1.0) {
        description.push_str(&format!(
            " GENIUS discount factors (u·d^t, t the normalised time in [0, 1]; not applied by the analyses): {}.",
            discounts
                .iter()
                .map(|(n, d)| format!("{n} {}", fmt_num(*d)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    for (di, issue) in dom.issues.iter().zip(&issues) {
        if let (DomKind::Real { .. }, IssueKind::Numeric { step, .. }) = (&di.kind, &issue.kind) {
            description.push_str(&format!(
                " Real issue `{}` discretised into {} values (step {}).",
                di.name,
                issue.levels(),
                fmt_num(*step)
            ));
        }
    }
    for n in notes {
        description.push(' ');
        description.push_str(&n);
        description.push('.');
    }
    let stem = domain_file.stem();
    Built {
        scenario: Scenario {
            id: slug(stem),
            title: format!("{stem} (GENIUS)"),
            as_of: opts.as_of.clone(),
            description,
            sources,
            actors,
            issues,
            preferences,
            red_lines: Vec::new(),
            feasibility: Vec::new(),
            ratifiers: Vec::new(),
            process: Default::default(),
            decided_by: Vec::new(),
            readings: Vec::new(),
            precondition_readings: Vec::new(),
            reservation_steps: Vec::new(),
        },
        discounts: discounts.into_iter().map(|(_, d)| d).collect(),
    }
}
