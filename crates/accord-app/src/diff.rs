//! What changed between two scenarios (two files, or two saved versions of
//! one): the inputs by id, and the answers (deal space, blockers,
//! relaxations, Nash solution, ratification votes, process). One
//! implementation for `accord diff` and the web app's version compare.

use accord::{analyze, ratification, AnalyzeOptions, ConstraintKind, ConstraintRef, Progress};
use accord::{analyze_process, Scenario};
use accord_formats::scenario::raw::ScenarioFile;
use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;

/// Whether an entry was added, removed or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Only in the second scenario.
    Added,
    /// Only in the first scenario.
    Removed,
    /// In both, with different fields.
    Changed,
}

/// One field that differs, by its dotted path inside the entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// Dotted path, e.g. `reservation` or `issues.nato.weight`.
    pub field: String,
    /// The value in the first scenario (absent: not there).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<Value>,
    /// The value in the second scenario (absent: not there).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<Value>,
}

/// One input entry that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputChange {
    /// The file's table: `actors`, `issues`, `preferences`, `red_lines`, …
    pub section: String,
    /// The entry's id (an actor id for `preferences`).
    pub id: String,
    /// Added, removed or changed.
    pub change: Change,
    /// For a changed entry, the fields that differ.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
}

/// One ratifier's vote on the reference deal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vote {
    /// The actor it ratifies for.
    pub actor: String,
    /// The ratifier.
    pub ratifier: String,
    /// `passes`, `fails`, `not held` or `no vote` (no reference deal).
    pub outcome: String,
}

/// The answers a diff compares, for one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answers {
    /// Feasible outcomes.
    pub feasible: u64,
    /// Outcomes every party and ratifier accepts.
    pub zopa_size: u64,
    /// Of those, the ones whose process can run (when the process depends on the deal).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub implementable_size: Option<u64>,
    /// Minimal blocking sets, each a sorted list of constraint labels.
    pub blockers: Vec<Vec<String>>,
    /// Minimal relaxations, each a sorted list of constraint labels.
    pub relaxations: Vec<Vec<String>>,
    /// The Nash solution on the ZOPA, issue → value.
    pub nash: Option<IndexMap<String, String>>,
    /// Every ratifier's vote on the reference deal.
    pub ratification: Vec<Vote>,
    /// Whether the process (every step active) can be scheduled.
    pub process_consistent: bool,
    /// How many deadlock cycles it has.
    pub deadlocks: usize,
    /// Whether the answers are exact (not search bounds).
    pub exact: bool,
}

/// Blocking sets or relaxations found in only one of the two scenarios.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SetChanges {
    /// Sets only in the second scenario.
    pub added: Vec<Vec<String>>,
    /// Sets only in the first scenario.
    pub removed: Vec<Vec<String>>,
}

impl SetChanges {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

/// How the answers changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerChanges {
    /// Single figures that differ: `feasible`, `zopa_size`,
    /// `implementable_size`, `nash`, `ratification.ACTOR.RATIFIER`,
    /// `process_consistent`, `deadlocks`, `exact`.
    pub figures: Vec<FieldChange>,
    /// Blocking sets added and removed.
    pub blockers: SetChanges,
    /// Relaxations added and removed.
    pub relaxations: SetChanges,
}

impl AnswerChanges {
    /// Whether no answer changed.
    pub fn is_empty(&self) -> bool {
        self.figures.is_empty() && self.blockers.is_empty() && self.relaxations.is_empty()
    }
}

/// The `accord diff --json` document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioDiff {
    /// The first scenario, as named on the command line (or `ID@vN`).
    pub a: String,
    /// The second scenario.
    pub b: String,
    /// Whether inputs and answers are all the same.
    pub same: bool,
    /// Input entries that differ, in file order (first scenario's, then added ones).
    pub inputs: Vec<InputChange>,
    /// How the answers changed.
    pub answers: AnswerChanges,
    /// The first scenario's answers.
    pub before: Answers,
    /// The second scenario's answers.
    pub after: Answers,
}

/// The short name of a constraint in a blocking set or a relaxation: its
/// id, or `ACTOR.reservation` for a reservation (which has no id).
pub fn label(c: &ConstraintRef) -> String {
    match c.kind {
        ConstraintKind::Reservation => format!("{}.reservation", c.actor),
        _ => c.id.clone(),
    }
}

fn labels(cs: &[ConstraintRef]) -> Vec<String> {
    let set: BTreeSet<String> = cs.iter().map(label).collect();
    set.into_iter().collect()
}

/// Analyses one scenario for a diff.
pub fn answers(sc: &Scenario, progress: &dyn Progress) -> Result<Answers, accord::Error> {
    let an = analyze(sc, &AnalyzeOptions::default(), progress)?;
    let rat = ratification(sc, &an);
    let mut votes = Vec::new();
    for a in &rat.actors {
        for e in &a.ratifiers {
            let outcome = match (e.held, &e.margin) {
                (Some(false), _) => "not held",
                (_, None) => "no vote",
                (_, Some(m)) if m.margin >= -1e-9 => "passes",
                (_, Some(_)) => "fails",
            };
            votes.push(Vote {
                actor: a.actor.clone(),
                ratifier: e.ratifier.clone(),
                outcome: outcome.into(),
            });
        }
    }
    let process = analyze_process(&sc.process);
    Ok(Answers {
        feasible: an.feasible,
        zopa_size: an.zopa.size,
        implementable_size: an.zopa.implementable.as_ref().map(|i| i.size),
        blockers: an.blockers.iter().map(|b| labels(b)).collect(),
        relaxations: an.relaxations.iter().map(|r| labels(&r.drop)).collect(),
        nash: an.solutions.nash.as_ref().map(|n| {
            n.point
                .outcome
                .iter()
                .map(|(k, v)| (k.clone(), v.to_string()))
                .collect()
        }),
        ratification: votes,
        process_consistent: process.consistent,
        deadlocks: process.deadlocks.len(),
        exact: an.exact,
    })
}

/// The entries of each table of a raw file, keyed by id, as JSON values.
fn sections(raw: &ScenarioFile) -> Vec<(&'static str, Vec<(String, Value)>)> {
    fn by<T: Serialize>(items: &[T], id: impl Fn(usize, &T) -> String) -> Vec<(String, Value)> {
        items
            .iter()
            .enumerate()
            .map(|(i, x)| (id(i, x), serde_json::to_value(x).unwrap_or(Value::Null)))
            .collect()
    }
    vec![
        (
            "scenario",
            vec![(
                "scenario".to_string(),
                serde_json::to_value(&raw.scenario).unwrap_or(Value::Null),
            )],
        ),
        ("sources", by(&raw.sources, |_, s| s.id.clone())),
        ("actors", by(&raw.actors, |_, a| a.id.clone())),
        ("issues", by(&raw.issues, |_, x| x.id.clone())),
        ("preferences", by(&raw.preferences, |_, p| p.actor.clone())),
        ("red_lines", by(&raw.red_lines, |_, r| r.id.clone())),
        ("constraints", by(&raw.constraints, |_, r| r.id.clone())),
        ("ratifiers", by(&raw.ratifiers, |_, r| r.id.clone())),
        ("milestones", by(&raw.milestones, |_, m| m.id.clone())),
        ("preconditions", by(&raw.preconditions, |_, p| p.id.clone())),
        (
            "deadlines",
            by(&raw.deadlines, |i, d| {
                d.id.clone().unwrap_or_else(|| format!("deadlines[{i}]"))
            }),
        ),
        ("events", by(&raw.events, |_, e| e.id.clone())),
    ]
}

/// The fields that differ between two JSON values, by dotted path; objects
/// are compared key by key, anything else as a whole.
fn field_changes(path: &str, a: Option<&Value>, b: Option<&Value>, out: &mut Vec<FieldChange>) {
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            let join = |k: &str| {
                if path.is_empty() {
                    k.to_string()
                } else {
                    format!("{path}.{k}")
                }
            };
            for (k, v) in x {
                field_changes(&join(k), Some(v), y.get(k), out);
            }
            for (k, v) in y {
                if !x.contains_key(k) {
                    field_changes(&join(k), None, Some(v), out);
                }
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(FieldChange {
            field: path.to_string(),
            old: a.cloned(),
            new: b.cloned(),
        }),
    }
}

/// The input entries that differ between two raw scenarios, by id.
pub fn input_changes(a: &ScenarioFile, b: &ScenarioFile) -> Vec<InputChange> {
    let mut out = Vec::new();
    for ((section, xs), (_, ys)) in sections(a).into_iter().zip(sections(b)) {
        let find = |items: &[(String, Value)], id: &str| {
            items.iter().find(|(k, _)| k == id).map(|(_, v)| v.clone())
        };
        for (id, x) in &xs {
            match find(&ys, id) {
                None => out.push(InputChange {
                    section: section.into(),
                    id: id.clone(),
                    change: Change::Removed,
                    fields: Vec::new(),
                }),
                Some(y) => {
                    let mut fields = Vec::new();
                    field_changes("", Some(x), Some(&y), &mut fields);
                    if !fields.is_empty() {
                        out.push(InputChange {
                            section: section.into(),
                            id: id.clone(),
                            change: Change::Changed,
                            fields,
                        });
                    }
                }
            }
        }
        for (id, _) in &ys {
            if find(&xs, id).is_none() {
                out.push(InputChange {
                    section: section.into(),
                    id: id.clone(),
                    change: Change::Added,
                    fields: Vec::new(),
                });
            }
        }
    }
    out
}

fn set_changes(a: &[Vec<String>], b: &[Vec<String>]) -> SetChanges {
    SetChanges {
        added: b.iter().filter(|s| !a.contains(s)).cloned().collect(),
        removed: a.iter().filter(|s| !b.contains(s)).cloned().collect(),
    }
}

/// How the answers changed from `a` to `b`.
pub fn answer_changes(a: &Answers, b: &Answers) -> AnswerChanges {
    let mut figures = Vec::new();
    let mut figure = |name: &str, x: Value, y: Value| {
        if x != y {
            figures.push(FieldChange {
                field: name.into(),
                old: Some(x),
                new: Some(y),
            });
        }
    };
    figure("feasible", v(&a.feasible), v(&b.feasible));
    figure("zopa_size", v(&a.zopa_size), v(&b.zopa_size));
    figure(
        "implementable_size",
        v(&a.implementable_size),
        v(&b.implementable_size),
    );
    figure("nash", v(&a.nash), v(&b.nash));
    let key = |x: &Vote| format!("ratification.{}.{}", x.actor, x.ratifier);
    for x in &a.ratification {
        let other = b.ratification.iter().find(|y| key(y) == key(x));
        figure(
            &key(x),
            Value::from(x.outcome.clone()),
            other.map_or(Value::Null, |y| Value::from(y.outcome.clone())),
        );
    }
    for y in &b.ratification {
        if !a.ratification.iter().any(|x| key(x) == key(y)) {
            figure(&key(y), Value::Null, Value::from(y.outcome.clone()));
        }
    }
    figure(
        "process_consistent",
        v(&a.process_consistent),
        v(&b.process_consistent),
    );
    figure("deadlocks", v(&a.deadlocks), v(&b.deadlocks));
    figure("exact", v(&a.exact), v(&b.exact));
    AnswerChanges {
        figures,
        blockers: set_changes(&a.blockers, &b.blockers),
        relaxations: set_changes(&a.relaxations, &b.relaxations),
    }
}

/// A figure as a JSON value, so figures of every type compare alike.
fn v<T: Serialize>(x: &T) -> Value {
    serde_json::to_value(x).unwrap_or(Value::Null)
}

/// Compares two scenarios: their raw files by id and their answers.
pub fn diff(
    a: (&str, &ScenarioFile, &Scenario),
    b: (&str, &ScenarioFile, &Scenario),
    progress: &dyn Progress,
) -> Result<ScenarioDiff, accord::Error> {
    let before = answers(a.2, progress)?;
    let after = answers(b.2, progress)?;
    let inputs = input_changes(a.1, b.1);
    let answers = answer_changes(&before, &after);
    Ok(ScenarioDiff {
        a: a.0.to_string(),
        b: b.0.to_string(),
        same: inputs.is_empty() && answers.is_empty(),
        inputs,
        answers,
        before,
        after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord_formats::scenario::{parse_raw, Syntax};

    const BASE: &str = r#"
[scenario]
id = "t"
title = "t"
as_of = "2024-01-01"

[[actors]]
id = "A"
[[actors]]
id = "B"

[[issues]]
id = "price"
type = "options"
options = ["low", "high"]

[[preferences]]
actor = "A"
reservation = 0.2
[preferences.issues.price]
weight = 1.0
values = { low = 0.0, high = 1.0 }

[[red_lines]]
id = "r1"
actor = "A"
rule = "price == high"

[[red_lines]]
id = "r2"
actor = "B"
rule = "price == low"
"#;

    fn raw(text: &str) -> ScenarioFile {
        parse_raw(text, "t.toml", Syntax::Toml).unwrap()
    }

    #[test]
    fn nested_fields_by_path_and_moves_are_no_change() {
        let a = raw(BASE);
        // r1 and r2 swapped, A's weight and one value changed, an actor renamed.
        let r1 = "[[red_lines]]\nid = \"r1\"\nactor = \"A\"\nrule = \"price == high\"\n";
        let swapped = BASE.replace(r1, "") + "\n" + r1;
        let b_text = swapped
            .replace("weight = 1.0", "weight = 0.5")
            .replace("low = 0.0, high = 1.0", "low = 0.1, high = 1.0")
            .replace("id = \"B\"\n", "id = \"B\"\nname = \"Bee\"\n");
        let changes = input_changes(&a, &raw(&b_text));
        let fields = |c: &InputChange| -> Vec<(String, Option<Value>, Option<Value>)> {
            c.fields
                .iter()
                .map(|f| (f.field.clone(), f.old.clone(), f.new.clone()))
                .collect()
        };
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert_eq!(
            (changes[0].section.as_str(), changes[0].id.as_str()),
            ("actors", "B")
        );
        assert_eq!(
            fields(&changes[0]),
            vec![(
                "name".into(),
                Some(Value::from("")),
                Some(Value::from("Bee"))
            )]
        );
        assert_eq!(
            (
                changes[1].section.as_str(),
                changes[1].id.as_str(),
                changes[1].change
            ),
            ("preferences", "A", Change::Changed)
        );
        assert_eq!(
            fields(&changes[1]),
            vec![
                (
                    "issues.price.weight".into(),
                    Some(Value::from(1.0)),
                    Some(Value::from(0.5))
                ),
                (
                    "issues.price.values.low".into(),
                    Some(Value::from(0.0)),
                    Some(Value::from(0.1))
                ),
            ]
        );
        assert!(input_changes(&a, &a).is_empty());
    }

    #[test]
    fn answer_sets_compare_as_sets() {
        let base = Answers {
            feasible: 2,
            zopa_size: 0,
            implementable_size: None,
            blockers: vec![vec!["r1".into(), "r2".into()]],
            relaxations: vec![vec!["r1".into()], vec!["r2".into()]],
            nash: None,
            ratification: vec![],
            process_consistent: true,
            deadlocks: 0,
            exact: true,
        };
        let mut other = base.clone();
        other.relaxations.reverse();
        assert!(
            answer_changes(&base, &other).is_empty(),
            "order is not a change"
        );
        other.blockers = vec![vec!["r2".into(), "A.reservation".into()]];
        other.zopa_size = 1;
        let d = answer_changes(&base, &other);
        assert_eq!(
            d.blockers.added,
            vec![vec!["r2".to_string(), "A.reservation".into()]]
        );
        assert_eq!(
            d.blockers.removed,
            vec![vec!["r1".to_string(), "r2".into()]]
        );
        assert_eq!(d.figures.len(), 1);
        assert_eq!(d.figures[0].field, "zopa_size");
    }
}
