//! What-ifs from the command line: `--drop ID` and `--set PATH=VALUE`, each a
//! patch of the raw scenario applied like a timeline event (the same patch
//! machinery, [`crate::timeline::apply`]) before the scenario is validated,
//! so a result can say exactly what it assumed.
//!
//! What can be dropped (by id; a prefix `KIND:` picks one kind when two
//! kinds share an id): `red_line`, `precondition`, `ratifier`, `deadline`,
//! `constraint` (a feasibility rule).
//!
//! What can be set (a number each; the new value is a point value, since
//! the what-if is itself the assumption):
//!
//! | path | range |
//! |---|---|
//! | `ACTOR.reservation` | 0 to 1 |
//! | `ACTOR.power` | above 0 |
//! | `ACTOR.ISSUE.weight` | 0 to 1 (the actor's other weights rescale to keep the sum, as the timeline's `set_weight` does; with `weights = "normalize"`, any number ≥ 0) |
//! | `RATIFIER.quota` | above 0, at most 1 |
//!
//! Operations apply in the order given; each is checked against the
//! scenario as it stands after the ones before it.

use crate::diag::LoadError;
use crate::scenario::raw::{NumRaw, ScenarioFile};
use crate::scenario::{parse_raw, validate_raw, Syntax};
use crate::timeline::{apply as apply_patch, PatchRaw};
use accord::Scenario;
use serde::Serialize;

/// One what-if operation, as typed on the command line.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// `--drop [KIND:]ID`: remove a constraint.
    Drop {
        /// The kind named by a `KIND:` prefix, if any.
        kind: Option<DropKind>,
        /// The constraint's id.
        id: String,
    },
    /// `--set PATH=VALUE`: change a number.
    Set {
        /// The dotted path, e.g. `RU.reservation` or `RU.nato.weight`.
        path: String,
        /// The new value.
        value: f64,
    },
    /// `--reading ID=NAME`: assume one reading of a red line.
    Reading {
        /// The red line's id.
        id: String,
        /// The reading's name.
        name: String,
    },
}

/// The kinds of constraint `--drop` removes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropKind {
    /// A `[[red_lines]]` entry.
    RedLine,
    /// A `[[preconditions]]` entry.
    Precondition,
    /// A `[[ratifiers]]` entry (the deal then needs no vote there).
    Ratifier,
    /// A `[[deadlines]]` entry.
    Deadline,
    /// A `[[constraints]]` entry (a feasibility rule).
    Constraint,
}

impl DropKind {
    /// Every kind, in the order an unprefixed id is looked up.
    pub const ALL: [DropKind; 5] = [
        DropKind::RedLine,
        DropKind::Precondition,
        DropKind::Ratifier,
        DropKind::Deadline,
        DropKind::Constraint,
    ];

    /// The name used in a `KIND:` prefix and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            DropKind::RedLine => "red_line",
            DropKind::Precondition => "precondition",
            DropKind::Ratifier => "ratifier",
            DropKind::Deadline => "deadline",
            DropKind::Constraint => "constraint",
        }
    }

    /// The words used in human output.
    fn words(self) -> &'static str {
        match self {
            DropKind::RedLine => "red line",
            DropKind::Precondition => "precondition",
            DropKind::Ratifier => "ratifier",
            DropKind::Deadline => "deadline",
            DropKind::Constraint => "constraint",
        }
    }

    /// The ids of this kind in a raw scenario, in file order.
    fn ids(self, raw: &ScenarioFile) -> Vec<String> {
        match self {
            DropKind::RedLine => raw.red_lines.iter().map(|r| r.id.clone()).collect(),
            DropKind::Precondition => raw.preconditions.iter().map(|p| p.id.clone()).collect(),
            DropKind::Ratifier => raw.ratifiers.iter().map(|r| r.id.clone()).collect(),
            DropKind::Deadline => raw
                .deadlines
                .iter()
                .enumerate()
                .map(|(i, d)| deadline_id(d.id.as_deref(), i))
                .collect(),
            DropKind::Constraint => raw.constraints.iter().map(|r| r.id.clone()).collect(),
        }
    }
}

/// A deadline's id, defaulting as the process reader does.
fn deadline_id(id: Option<&str>, i: usize) -> String {
    id.map_or_else(|| format!("deadlines[{i}]"), str::to_string)
}

/// One applied what-if, as echoed in every result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Assumption {
    /// A constraint was removed.
    Drop {
        /// Its kind.
        kind: DropKind,
        /// Its id.
        id: String,
    },
    /// A number was changed.
    Set {
        /// The dotted path, e.g. `RU.reservation`.
        path: String,
        /// The new value.
        value: f64,
        /// The value in the file (absent when the file left it to a default).
        #[serde(skip_serializing_if = "Option::is_none")]
        was: Option<f64>,
    },
    /// A red line (or a precondition) was read another way.
    Reading {
        /// The red line's or precondition's id.
        id: String,
        /// The reading assumed.
        reading: String,
        /// Whether `id` is a precondition of the process (written only
        /// when true).
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        precondition: bool,
    },
}

/// Every what-if applied to a result, in order (empty when none).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Assumed(pub Vec<Assumption>);

impl Assumed {
    /// Whether nothing was assumed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The one line human output starts with, e.g.
    /// `Assuming: dropped red line ru-nato-renunciation; RU reservation 0.6 (was 0.5)`,
    /// or `None` when nothing was assumed.
    pub fn line(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        Some(format!("Assuming: {}", self.parts().join("; ")))
    }

    /// Each assumption in words, e.g. `dropped red line ru-nato-renunciation`.
    pub fn parts(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|a| match a {
                Assumption::Reading {
                    id,
                    reading,
                    precondition,
                } => {
                    let what = if *precondition {
                        "precondition"
                    } else {
                        "red line"
                    };
                    format!("reading `{reading}` of {what} {id}")
                }
                Assumption::Drop { kind, id } => format!("dropped {} {id}", kind.words()),
                Assumption::Set { path, value, was } => {
                    let what = match path.rsplit_once('.') {
                        Some((head, field)) => format!("{head} {field}"),
                        None => path.clone(),
                    };
                    match was {
                        Some(w) => format!("{what} {value} (was {w})"),
                        None => format!("{what} {value}"),
                    }
                }
            })
            .collect()
    }
}

/// A document with the what-ifs it assumed attached as one `assumed` field,
/// present only when something was assumed (so documents without what-ifs
/// stay byte-identical).
#[derive(Serialize)]
pub struct WithAssumed<'a, T: Serialize> {
    /// The document.
    #[serde(flatten)]
    pub doc: &'a T,
    /// What it assumed.
    #[serde(skip_serializing_if = "Assumed::is_empty")]
    pub assumed: &'a Assumed,
}

/// A what-if that cannot be applied.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WhatIfError {
    /// A `--set` argument that is not `PATH=NUMBER`.
    #[error("--set {arg}: {why}")]
    BadSet {
        /// The argument as given.
        arg: String,
        /// What is wrong and what was expected.
        why: String,
    },
    /// A `--drop` id that names nothing, or names two kinds.
    #[error("--drop {arg}: {why}")]
    BadDrop {
        /// The argument as given.
        arg: String,
        /// What is wrong and what exists.
        why: String,
    },
    /// A `--reading` that names no red line or no reading of it.
    #[error("--reading {arg}: {why}")]
    BadReading {
        /// The argument as given.
        arg: String,
        /// What is wrong and what exists.
        why: String,
    },
    /// The scenario after the what-ifs does not validate.
    #[error("{0}")]
    Invalid(LoadError),
}

/// Parses a `--set PATH=VALUE` argument.
pub fn parse_set(arg: &str) -> Result<Op, WhatIfError> {
    let bad = |why: String| WhatIfError::BadSet {
        arg: arg.to_string(),
        why,
    };
    let Some((path, value)) = arg.split_once('=') else {
        return Err(bad(
            "expected PATH=NUMBER, e.g. RU.reservation=0.6 or RU.power=1.4".into(),
        ));
    };
    let path = path.trim();
    if path.split('.').count() < 2 || path.split('.').any(str::is_empty) {
        return Err(bad(format!(
            "`{path}` is not a path: expected ACTOR.reservation, ACTOR.power, \
             ACTOR.ISSUE.weight or RATIFIER.quota"
        )));
    }
    let value = value.trim();
    let x: f64 = value
        .parse()
        .ok()
        .filter(|x: &f64| x.is_finite())
        .ok_or_else(|| bad(format!("`{value}` is not a number")))?;
    Ok(Op::Set {
        path: path.to_string(),
        value: x,
    })
}

/// Parses a `--reading ID=NAME` argument.
pub fn parse_reading(arg: &str) -> Result<Op, WhatIfError> {
    match arg.split_once('=') {
        Some((id, name)) if !id.trim().is_empty() && !name.trim().is_empty() => Ok(Op::Reading {
            id: id.trim().to_string(),
            name: name.trim().to_string(),
        }),
        _ => Err(WhatIfError::BadReading {
            arg: arg.to_string(),
            why: "expected ID=NAME (a red line id and one of its readings)".into(),
        }),
    }
}

/// Parses a `--drop [KIND:]ID` argument.
pub fn parse_drop(arg: &str) -> Result<Op, WhatIfError> {
    let (kind, id) = match arg.split_once(':') {
        Some((k, id)) => {
            let kind = DropKind::ALL
                .into_iter()
                .find(|d| d.name() == k)
                .ok_or_else(|| WhatIfError::BadDrop {
                    arg: arg.to_string(),
                    why: format!(
                        "unknown kind `{k}`: kinds are {}",
                        DropKind::ALL.map(DropKind::name).join(", ")
                    ),
                })?;
            (Some(kind), id)
        }
        None => (None, arg),
    };
    if id.is_empty() {
        return Err(WhatIfError::BadDrop {
            arg: arg.to_string(),
            why: "expected an id".into(),
        });
    }
    Ok(Op::Drop {
        kind,
        id: id.to_string(),
    })
}

fn list(ids: &[String]) -> String {
    if ids.is_empty() {
        "none".into()
    } else {
        ids.join(", ")
    }
}

/// Applies what-ifs to a raw scenario in order, returning what was assumed.
pub fn apply(raw: &mut ScenarioFile, ops: &[Op]) -> Result<Assumed, WhatIfError> {
    let mut assumed = Vec::with_capacity(ops.len());
    for op in ops {
        assumed.push(match op {
            Op::Drop { kind, id } => drop_one(raw, *kind, id)?,
            Op::Set { path, value } => set_one(raw, path, *value)?,
            Op::Reading { id, name } => {
                let precondition =
                    crate::readings::select_reading_raw(raw, id, name).map_err(|why| {
                        WhatIfError::BadReading {
                            arg: format!("{id}={name}"),
                            why,
                        }
                    })?;
                Assumption::Reading {
                    id: id.clone(),
                    reading: name.clone(),
                    precondition,
                }
            }
        });
    }
    Ok(Assumed(assumed))
}

fn drop_one(
    raw: &mut ScenarioFile,
    kind: Option<DropKind>,
    id: &str,
) -> Result<Assumption, WhatIfError> {
    let arg = match kind {
        Some(k) => format!("{}:{id}", k.name()),
        None => id.to_string(),
    };
    let matches: Vec<DropKind> = DropKind::ALL
        .into_iter()
        .filter(|k| kind.is_none_or(|want| want == *k))
        .filter(|k| k.ids(raw).iter().any(|x| x == id))
        .collect();
    let kind = match matches.as_slice() {
        [k] => *k,
        [] => {
            let kinds: Vec<DropKind> = match kind {
                Some(k) => vec![k],
                None => DropKind::ALL.to_vec(),
            };
            let known: Vec<String> = kinds
                .iter()
                .map(|k| format!("{}s: {}", k.words(), list(&k.ids(raw))))
                .collect();
            return Err(WhatIfError::BadDrop {
                arg,
                why: format!("unknown id `{id}`; {}", known.join("; ")),
            });
        }
        several => {
            let named: Vec<String> = several
                .iter()
                .map(|k| format!("{}:{id}", k.name()))
                .collect();
            return Err(WhatIfError::BadDrop {
                arg,
                why: format!(
                    "`{id}` names more than one constraint: write {}",
                    named.join(" or ")
                ),
            });
        }
    };
    let patch_error = |(_, msg): (String, String)| WhatIfError::BadDrop {
        arg: arg.clone(),
        why: msg,
    };
    match kind {
        DropKind::RedLine => {
            apply_patch(raw, &PatchRaw::DropRedLine { id: id.into() }).map_err(patch_error)?
        }
        DropKind::Precondition => {
            apply_patch(raw, &PatchRaw::DropPrecondition { id: id.into() }).map_err(patch_error)?
        }
        DropKind::Ratifier => raw.ratifiers.retain(|r| r.id != id),
        DropKind::Deadline => {
            let mut i = 0;
            raw.deadlines.retain(|d| {
                let keep = deadline_id(d.id.as_deref(), i) != id;
                i += 1;
                keep
            });
        }
        DropKind::Constraint => raw.constraints.retain(|r| r.id != id),
    }
    Ok(Assumption::Drop {
        kind,
        id: id.to_string(),
    })
}

fn set_one(raw: &mut ScenarioFile, path: &str, value: f64) -> Result<Assumption, WhatIfError> {
    let arg = format!("{path}={value}");
    let bad = |why: String| WhatIfError::BadSet {
        arg: arg.clone(),
        why,
    };
    let parts: Vec<&str> = path.split('.').collect();
    let actors: Vec<String> = raw.actors.iter().map(|a| a.id.clone()).collect();
    let ratifiers: Vec<String> = raw.ratifiers.iter().map(|r| r.id.clone()).collect();
    let in_range = |lo: f64, hi: f64, lo_open: bool, what: &str| {
        let below = if lo_open { value <= lo } else { value < lo };
        if below || value > hi {
            let from = if lo_open { "above" } else { "from" };
            let to = if hi.is_finite() {
                format!(" to {hi}")
            } else {
                String::new()
            };
            Err(bad(format!(
                "{value} is out of range: {what} must be {from} {lo}{to}"
            )))
        } else {
            Ok(())
        }
    };
    let patch_error = |(_, msg): (String, String)| bad(msg);
    let was;
    match parts.as_slice() {
        [who, "quota"] if !actors.iter().any(|a| a == who) => {
            let Some(r) = raw.ratifiers.iter_mut().find(|r| r.id == *who) else {
                return Err(bad(format!(
                    "unknown ratifier {who}; ratifiers are {}",
                    list(&ratifiers)
                )));
            };
            in_range(0.0, 1.0, true, "a quota")?;
            was = Some(r.quota.value());
            r.quota = NumRaw::Plain(value);
        }
        [who, field @ ("reservation" | "power")] => {
            if !actors.iter().any(|a| a == who) {
                return Err(bad(format!(
                    "unknown actor {who}; actors are {}",
                    list(&actors)
                )));
            }
            if *field == "reservation" {
                in_range(0.0, 1.0, false, "a reservation")?;
                was = raw
                    .preferences
                    .iter()
                    .find(|p| p.actor == *who)
                    .map(|p| p.reservation.value());
                apply_patch(
                    raw,
                    &PatchRaw::SetReservation {
                        actor: who.to_string(),
                        value: NumRaw::Plain(value),
                    },
                )
                .map_err(patch_error)?;
            } else {
                in_range(0.0, f64::INFINITY, true, "a power")?;
                was = raw
                    .actors
                    .iter()
                    .find(|a| a.id == *who)
                    .and_then(|a| a.power.as_ref().map(NumRaw::value));
                apply_patch(
                    raw,
                    &PatchRaw::SetPower {
                        actor: who.to_string(),
                        value: NumRaw::Plain(value),
                    },
                )
                .map_err(patch_error)?;
            }
        }
        [who, issue, "weight"] => {
            if !actors.iter().any(|a| a == who) {
                return Err(bad(format!(
                    "unknown actor {who}; actors are {}",
                    list(&actors)
                )));
            }
            let Some(pref) = raw.preferences.iter().find(|p| p.actor == *who) else {
                return Err(bad(format!("{who} has no [[preferences]] entry")));
            };
            let Some(entry) = pref.issues.get(*issue) else {
                let issues: Vec<String> = pref.issues.keys().cloned().collect();
                return Err(bad(format!(
                    "{who} has no position on `{issue}`; {who}'s issues are {}",
                    list(&issues)
                )));
            };
            was = entry.weight.as_ref().map(NumRaw::value);
            if raw.scenario.weights.as_deref() == Some("normalize") {
                in_range(0.0, f64::INFINITY, false, "a weight")?;
            } else {
                in_range(0.0, 1.0, false, "a weight")?;
            }
            apply_patch(
                raw,
                &PatchRaw::SetWeight {
                    actor: who.to_string(),
                    issue: issue.to_string(),
                    value: NumRaw::Plain(value),
                },
            )
            .map_err(patch_error)?;
        }
        [who, ..] if !actors.iter().any(|a| a == who) && !ratifiers.iter().any(|r| r == who) => {
            return Err(bad(format!(
                "unknown actor {who}; actors are {}",
                list(&actors)
            )));
        }
        _ => {
            return Err(bad(format!(
                "`{path}` cannot be set: settable are ACTOR.reservation, ACTOR.power, \
                 ACTOR.ISSUE.weight and RATIFIER.quota"
            )));
        }
    }
    Ok(Assumption::Set {
        path: path.to_string(),
        value,
        was,
    })
}

/// Parses a scenario text, applies what-ifs and validates the result
/// (problems with the patched scenario are located in `text`).
pub fn load(
    text: &str,
    file: &str,
    syntax: Syntax,
    ops: &[Op],
) -> Result<(Scenario, Assumed), WhatIfError> {
    let mut raw = parse_raw(text, file, syntax).map_err(WhatIfError::Invalid)?;
    let assumed = apply(&mut raw, ops)?;
    let sc = validate_raw(&raw, text, file, syntax).map_err(WhatIfError::Invalid)?;
    if !raw.events.is_empty() {
        crate::timeline::timeline(&raw, text, file, syntax, &Default::default())
            .map_err(WhatIfError::Invalid)?;
    }
    Ok((sc, assumed))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SALE: &str = r#"
[scenario]
id = "t"
title = "t"
as_of = "2024-01-01"

[[actors]]
id = "A"
power = 2.0
[[actors]]
id = "B"

[[issues]]
id = "price"
type = "options"
options = ["low", "high"]
[[issues]]
id = "date"
type = "options"
options = ["soon", "late"]

[[preferences]]
actor = "A"
reservation = 0.2
[preferences.issues.price]
weight = 0.75
values = { low = 0.0, high = 1.0 }
[preferences.issues.date]
weight = 0.25
values = { soon = 1.0, late = 0.0 }

[[preferences]]
actor = "B"
reservation = 0.3
[preferences.issues.price]
weight = 1.0
values = { low = 1.0, high = 0.0 }

[[red_lines]]
id = "a-high"
actor = "A"
rule = "price == high"
"#;

    fn raw() -> ScenarioFile {
        parse_raw(SALE, "t.toml", Syntax::Toml).unwrap()
    }

    #[test]
    fn parse_set_and_drop() {
        assert_eq!(
            parse_set("A.reservation=0.6").unwrap(),
            Op::Set {
                path: "A.reservation".into(),
                value: 0.6
            }
        );
        assert!(parse_set("A.reservation").is_err());
        assert!(parse_set("A.reservation=x").is_err());
        assert!(parse_set("A.reservation=NaN").is_err());
        assert!(parse_set("A..power=1").is_err());
        assert!(parse_set("A=1").is_err());
        assert_eq!(
            parse_drop("red_line:a-high").unwrap(),
            Op::Drop {
                kind: Some(DropKind::RedLine),
                id: "a-high".into()
            }
        );
        assert!(parse_drop("nope:a-high").is_err());
    }

    #[test]
    fn applies_in_order_and_records() {
        let mut r = raw();
        let ops = [
            parse_drop("a-high").unwrap(),
            parse_set("A.reservation=0.6").unwrap(),
            parse_set("B.power=1.5").unwrap(),
            parse_set("A.price.weight=0.5").unwrap(),
        ];
        let assumed = apply(&mut r, &ops).unwrap();
        assert!(r.red_lines.is_empty());
        assert_eq!(r.preferences[0].reservation.value(), 0.6);
        assert_eq!(r.actors[1].power.as_ref().unwrap().value(), 1.5);
        // The other weight rescales to keep the sum at 1: 0.25 → 0.5.
        let w = |k: &str| r.preferences[0].issues[k].weight.as_ref().unwrap().value();
        assert_eq!((w("price"), w("date")), (0.5, 0.5));
        assert_eq!(
            assumed.line().unwrap(),
            "Assuming: dropped red line a-high; A reservation 0.6 (was 0.2); B power 1.5; \
             A.price weight 0.5 (was 0.75)"
        );
        let json = serde_json::to_string(&assumed).unwrap();
        assert_eq!(
            json,
            r#"[{"op":"drop","kind":"red_line","id":"a-high"},{"op":"set","path":"A.reservation","value":0.6,"was":0.2},{"op":"set","path":"B.power","value":1.5},{"op":"set","path":"A.price.weight","value":0.5,"was":0.75}]"#
        );
        // Later operations see earlier ones: the red line is gone.
        let again = apply(&mut r, &[parse_drop("a-high").unwrap()]).unwrap_err();
        assert!(again.to_string().contains("unknown id `a-high`"), "{again}");
    }

    #[test]
    fn errors_name_what_exists() {
        let err = |op: Op| apply(&mut raw(), &[op]).unwrap_err().to_string();
        assert_eq!(
            err(parse_set("XX.power=1").unwrap()),
            "--set XX.power=1: unknown actor XX; actors are A, B"
        );
        assert_eq!(
            err(parse_set("A.reservation=1.5").unwrap()),
            "--set A.reservation=1.5: 1.5 is out of range: a reservation must be from 0 to 1"
        );
        assert_eq!(
            err(parse_set("A.power=0").unwrap()),
            "--set A.power=0: 0 is out of range: a power must be above 0"
        );
        assert_eq!(
            err(parse_set("B.date.weight=0.5").unwrap()),
            "--set B.date.weight=0.5: B has no position on `date`; B's issues are price"
        );
        assert_eq!(
            err(parse_set("A.mood=1").unwrap()),
            "--set A.mood=1: `A.mood` cannot be set: settable are ACTOR.reservation, \
             ACTOR.power, ACTOR.ISSUE.weight and RATIFIER.quota"
        );
        assert_eq!(
            err(parse_drop("zz").unwrap()),
            "--drop zz: unknown id `zz`; red lines: a-high; preconditions: none; ratifiers: \
             none; deadlines: none; constraints: none"
        );
    }

    #[test]
    fn a_shared_id_needs_its_kind() {
        let mut r = raw();
        let mut c = r.red_lines[0].clone();
        c.actor = None;
        r.constraints.push(c);
        let e = apply(&mut r.clone(), &[parse_drop("a-high").unwrap()]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "--drop a-high: `a-high` names more than one constraint: write red_line:a-high or \
             constraint:a-high"
        );
        let a = apply(&mut r, &[parse_drop("constraint:a-high").unwrap()]).unwrap();
        assert_eq!(
            a.0,
            vec![Assumption::Drop {
                kind: DropKind::Constraint,
                id: "a-high".into()
            }]
        );
        assert!(r.constraints.is_empty());
        assert_eq!(r.red_lines.len(), 1, "the red line stays");
    }

    #[test]
    fn load_validates_the_result() {
        let (sc, assumed) = load(
            SALE,
            "t.toml",
            Syntax::Toml,
            &[parse_set("B.reservation=0.9").unwrap()],
        )
        .unwrap();
        assert_eq!(sc.actors.len(), 2);
        assert_eq!(assumed.0.len(), 1);
        let (_, none) = load(SALE, "t.toml", Syntax::Toml, &[]).unwrap();
        assert!(none.is_empty() && none.line().is_none());
    }
}
