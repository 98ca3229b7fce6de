//! The timeline: dated events, each a patch of the scenario, so that every
//! analysis can be rerun per date and compared.
//!
//! The file's own entries describe the state at `as_of`. Events are applied
//! cumulatively in date order (file order within a date): the state after
//! event *k* is the base with events 1..=k applied. A disputed event (one
//! with `claimed_by` and/or `denied_by`) is applied by default, since the
//! actors act on what they claim; a caller may reject it.

use crate::diag::{Diagnostic, LoadError};
use crate::locate::DocPath;
use crate::process_toml::{RawMilestone, RawPrecondition};
use crate::scenario::raw::{IssuePrefRaw, NumRaw, OptionRaw, RuleRaw, ScenarioFile};
use crate::scenario::{locate_path, validate_raw, Syntax};
use accord::Scenario;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// `[[events]]`: one dated event.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EventRaw {
    /// Identifier (used by `--assume` / `--reject`).
    pub id: String,
    /// ISO date of the event.
    pub date: String,
    /// What happened.
    #[serde(default)]
    pub title: String,
    /// Source id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Short quote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Assumption text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumption: Option<String>,
    /// Actor who claims it, for a disputed event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed_by: Option<String>,
    /// Actor who denies it, for a disputed event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denied_by: Option<String>,
    /// The changes it makes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patches: Vec<PatchRaw>,
}

impl EventRaw {
    /// Whether someone disputes the event.
    pub fn is_disputed(&self) -> bool {
        self.denied_by.is_some()
    }
}

/// A change to a position: the actor, the issue and a new
/// `[preferences.issues.X]` entry (its weight may be left out to keep the
/// old one).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PositionPatch {
    /// Actor id.
    pub actor: String,
    /// Issue id.
    pub issue: String,
    /// The new stance, as in `[preferences.issues.X]`.
    pub position: IssuePrefRaw,
}

/// `[[events.patches]]`: one change, selected by `op`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum PatchRaw {
    /// Set an actor's reservation value.
    SetReservation {
        /// Actor id.
        actor: String,
        /// New value.
        value: NumRaw,
    },
    /// Set an actor's power.
    SetPower {
        /// Actor id.
        actor: String,
        /// New value.
        value: NumRaw,
    },
    /// Set an actor's salience on an issue; its other weights rescale.
    SetWeight {
        /// Actor id.
        actor: String,
        /// Issue id.
        issue: String,
        /// New weight.
        value: NumRaw,
    },
    /// Replace an actor's position (value function) on an issue.
    SetPosition(Box<PositionPatch>),
    /// Add a red line.
    AddRedLine(RuleRaw),
    /// Drop a red line by id.
    DropRedLine {
        /// Red line id.
        id: String,
    },
    /// Add an option to an option issue, with its value for every actor
    /// (and bloc) that values the issue by table.
    AddOption {
        /// Issue id.
        issue: String,
        /// The new option.
        option: OptionRaw,
        /// Actor or bloc id → value of the new option.
        #[serde(default)]
        values: IndexMap<String, f64>,
    },
    /// Add a process milestone.
    AddMilestone(RawMilestone),
    /// Add a precondition.
    AddPrecondition(Box<RawPrecondition>),
    /// Drop a precondition by id.
    DropPrecondition {
        /// Precondition id.
        id: String,
    },
}

/// Which disputed events to apply.
#[derive(Debug, Clone, Default)]
pub struct Choices {
    /// Events to apply even if disputed (overrides `reject_disputed`).
    pub assume: BTreeSet<String>,
    /// Events not to apply.
    pub reject: BTreeSet<String>,
    /// Skip every disputed event not explicitly assumed.
    pub reject_disputed: bool,
}

/// One date of the timeline: the scenario as it stands after an event.
#[derive(Debug, Clone)]
pub struct Step {
    /// Event id (`as_of` for the base).
    pub id: String,
    /// Date.
    pub date: String,
    /// What happened.
    pub title: String,
    /// Whether the event's patches were applied.
    pub applied: bool,
    /// Who claims and who denies it, when disputed.
    pub claimed_by: Option<String>,
    /// Who denies it.
    pub denied_by: Option<String>,
    /// Its source id.
    pub source: Option<String>,
    /// Its quote.
    pub quote: Option<String>,
    /// The scenario after it.
    pub scenario: Scenario,
}

fn problem(file: &str, text: &str, syntax: Syntax, path: &DocPath, msg: String) -> Diagnostic {
    Diagnostic::at(
        file,
        text,
        locate_path(text, path, syntax),
        &path.to_string(),
        msg,
    )
}

/// Applies one patch to a raw file, or says what is wrong with it.
pub(crate) fn apply(raw: &mut ScenarioFile, patch: &PatchRaw) -> Result<(), (String, String)> {
    let actor_pref = |raw: &mut ScenarioFile, actor: &str| -> Result<usize, (String, String)> {
        raw.preferences
            .iter()
            .position(|p| p.actor == actor)
            .ok_or_else(|| ("actor".to_string(), format!("unknown actor `{actor}`")))
    };
    let known_issue = |raw: &ScenarioFile, issue: &str| -> Result<(), (String, String)> {
        if raw.issues.iter().any(|i| i.id == issue) {
            Ok(())
        } else {
            Err(("issue".into(), format!("unknown issue `{issue}`")))
        }
    };
    match patch {
        PatchRaw::SetReservation { actor, value } => {
            let k = actor_pref(raw, actor)?;
            raw.preferences[k].reservation = value.clone();
        }
        PatchRaw::SetPower { actor, value } => {
            let a = raw
                .actors
                .iter_mut()
                .find(|a| &a.id == actor)
                .ok_or_else(|| ("actor".to_string(), format!("unknown actor `{actor}`")))?;
            a.power = Some(value.clone());
        }
        PatchRaw::SetWeight {
            actor,
            issue,
            value,
        } => {
            known_issue(raw, issue)?;
            let k = actor_pref(raw, actor)?;
            let normalize = raw.scenario.weights.as_deref() == Some("normalize");
            let issues = &mut raw.preferences[k].issues;
            let Some(entry) = issues.get_mut(issue) else {
                return Err((
                    "issue".into(),
                    format!(
                        "`{actor}` has no position on `{issue}`: add one with set_position first"
                    ),
                ));
            };
            entry.weight = Some(value.clone());
            if !normalize {
                // Keep the sum at 1 by rescaling the other weights.
                let w = value.value();
                let others: f64 = issues
                    .iter()
                    .filter(|(k, _)| *k != issue)
                    .map(|(_, p)| p.weight.as_ref().map_or(0.0, NumRaw::value))
                    .sum();
                if others > 0.0 {
                    let f = (1.0 - w) / others;
                    for (k, p) in issues.iter_mut() {
                        if k != issue {
                            if let Some(n) = p.weight.as_mut() {
                                scale(n, f);
                            }
                        }
                    }
                }
            }
        }
        PatchRaw::SetPosition(p) => {
            known_issue(raw, &p.issue)?;
            let k = actor_pref(raw, &p.actor)?;
            let mut entry = p.position.clone();
            if entry.weight.is_none() {
                entry.weight = raw.preferences[k]
                    .issues
                    .get(&p.issue)
                    .and_then(|e| e.weight.clone());
            }
            if entry.weight.is_none() {
                return Err((
                    "position".into(),
                    format!(
                        "`{}` has no position on `{}` yet: give a `weight`",
                        p.actor, p.issue
                    ),
                ));
            }
            raw.preferences[k].issues.insert(p.issue.clone(), entry);
        }
        PatchRaw::AddRedLine(r) => {
            if raw.red_lines.iter().any(|x| x.id == r.id) {
                return Err(("id".into(), format!("a red line `{}` already exists", r.id)));
            }
            raw.red_lines.push(r.clone());
        }
        PatchRaw::DropRedLine { id } => {
            let before = raw.red_lines.len();
            raw.red_lines.retain(|r| &r.id != id);
            if raw.red_lines.len() == before {
                return Err(("id".into(), format!("no red line `{id}` to drop")));
            }
        }
        PatchRaw::AddOption {
            issue,
            option,
            values,
        } => {
            let Some(is) = raw.issues.iter_mut().find(|i| &i.id == issue) else {
                return Err(("issue".into(), format!("unknown issue `{issue}`")));
            };
            let Some(opts) = is.options.as_mut() else {
                return Err((
                    "issue".into(),
                    format!("`{issue}` is numeric: options can be added to option issues only"),
                ));
            };
            opts.push(option.clone());
            let oid = option.id().to_string();
            let add = |owner: &str,
                       prefs: &mut IndexMap<String, IssuePrefRaw>|
             -> Result<(), (String, String)> {
                if let Some(table) = prefs.get_mut(issue).and_then(|p| p.values.as_mut()) {
                    let v = values.get(owner).ok_or_else(|| ("values".to_string(), format!("give the value of `{oid}` for `{owner}`, who values `{issue}` by table")))?;
                    table.insert(oid.clone(), *v);
                }
                Ok(())
            };
            for p in &mut raw.preferences {
                let owner = p.actor.clone();
                add(&owner, &mut p.issues)?;
            }
            for r in &mut raw.ratifiers {
                for b in &mut r.blocs {
                    if let Some(own) = b.issues.as_mut() {
                        let owner = b.id.clone();
                        add(&owner, own)?;
                    }
                }
            }
        }
        PatchRaw::AddMilestone(m) => raw.milestones.push(m.clone()),
        PatchRaw::AddPrecondition(p) => raw.preconditions.push((**p).clone()),
        PatchRaw::DropPrecondition { id } => {
            let before = raw.preconditions.len();
            raw.preconditions.retain(|p| &p.id != id);
            if raw.preconditions.len() == before {
                return Err(("id".into(), format!("no precondition `{id}` to drop")));
            }
        }
    }
    Ok(())
}

fn scale(n: &mut NumRaw, f: f64) {
    match n {
        NumRaw::Plain(x) => *x *= f,
        NumRaw::Full(full) => {
            full.value *= f;
            if let Some(r) = full.range.as_mut() {
                r.iter_mut().for_each(|x| *x *= f);
            }
            if let Some(r) = full.normal.as_mut() {
                r.iter_mut().for_each(|x| *x *= f);
            }
            if let Some(r) = full.triangular.as_mut() {
                r.iter_mut().for_each(|x| *x *= f);
            }
        }
    }
}

/// The base scenario and the scenario after each event, in date order.
///
/// Every event is checked (dates, actors, patch targets, and the patched
/// scenario itself), and problems are located at the event in `text`.
pub fn timeline(
    raw: &ScenarioFile,
    text: &str,
    file: &str,
    syntax: Syntax,
    choices: &Choices,
) -> Result<Vec<Step>, LoadError> {
    let base = validate_raw(raw, text, file, syntax)?;
    let mut diags = Vec::new();
    let mut order: Vec<usize> = (0..raw.events.len()).collect();
    order.sort_by(|&a, &b| raw.events[a].date.cmp(&raw.events[b].date).then(a.cmp(&b)));
    let mut seen = BTreeSet::new();
    let actor_ok = |id: &str| raw.actors.iter().any(|a| a.id == id);
    for (i, e) in raw.events.iter().enumerate() {
        let p = DocPath::default().key("events").index(i);
        if !seen.insert(e.id.clone()) {
            diags.push(problem(
                file,
                text,
                syntax,
                &p.key("id"),
                format!("duplicate event id `{}`", e.id),
            ));
        }
        if !crate::scenario::is_iso_date(&e.date) {
            diags.push(problem(
                file,
                text,
                syntax,
                &p.key("date"),
                format!("`{}` is not a date: expected YYYY-MM-DD", e.date),
            ));
        } else if crate::scenario::is_iso_date(&raw.scenario.as_of)
            && e.date < raw.scenario.as_of
            && !e.patches.is_empty()
        {
            // The file's own entries already describe the state at `as_of`:
            // applying an earlier change on top of them would undo or repeat
            // it. (An earlier event without patches is a record, and fine.)
            diags.push(problem(
                file,
                text,
                syntax,
                &p.key("date"),
                format!(
                    "the event is dated {}, before the scenario's as_of {}, and changes it: fold \
                     its patches into the entries or move as_of back",
                    e.date, raw.scenario.as_of
                ),
            ));
        }
        for (k, who) in [("claimed_by", &e.claimed_by), ("denied_by", &e.denied_by)] {
            if let Some(w) = who {
                if !actor_ok(w) {
                    diags.push(problem(
                        file,
                        text,
                        syntax,
                        &p.key(k),
                        format!("unknown actor `{w}`"),
                    ));
                }
            }
        }
        if let Some(s) = &e.source {
            if !raw.sources.iter().any(|x| &x.id == s) {
                diags.push(problem(
                    file,
                    text,
                    syntax,
                    &p.key("source"),
                    format!("unknown source `{s}`"),
                ));
            }
        }
    }
    for name in choices.assume.iter().chain(&choices.reject) {
        if !seen.contains(name) {
            let ids: Vec<&str> = raw.events.iter().map(|e| e.id.as_str()).collect();
            diags.push(Diagnostic::at(
                file,
                text,
                0..0,
                "",
                format!("no event `{name}` (events: {})", ids.join(", ")),
            ));
        }
    }
    if !diags.is_empty() {
        return Err(LoadError { diagnostics: diags });
    }

    let mut steps = vec![Step {
        id: "as_of".into(),
        date: raw.scenario.as_of.clone(),
        title: "Base positions (the file as written)".into(),
        applied: true,
        claimed_by: None,
        denied_by: None,
        source: None,
        quote: None,
        scenario: base,
    }];
    let mut cur = raw.clone();
    let mut good = raw.clone();
    for i in order {
        let e = &raw.events[i];
        let p = DocPath::default().key("events").index(i);
        let applied = choices.assume.contains(&e.id)
            || !(choices.reject.contains(&e.id) || (choices.reject_disputed && e.is_disputed()));
        if applied {
            for (j, patch) in e.patches.iter().enumerate() {
                let pp = p.key("patches").index(j);
                if let Err((field, msg)) = apply(&mut cur, patch) {
                    diags.push(problem(file, text, syntax, &pp.key(&field), msg));
                }
            }
        }
        let scenario = match validate_raw(&cur, text, file, syntax) {
            Ok(sc) => {
                good = cur.clone();
                sc
            }
            Err(err) => {
                // Later events start from the last valid state, so one bad
                // patch is reported once, not again at every later event.
                cur = good.clone();
                // The patched file is no longer valid: report at the event.
                for d in err.diagnostics {
                    diags.push(problem(
                        file,
                        text,
                        syntax,
                        &p,
                        format!("after event `{}`: {} (at {})", e.id, d.message, d.path),
                    ));
                }
                steps.last().expect("base").scenario.clone()
            }
        };
        steps.push(Step {
            id: e.id.clone(),
            date: e.date.clone(),
            title: e.title.clone(),
            applied,
            claimed_by: e.claimed_by.clone(),
            denied_by: e.denied_by.clone(),
            source: e.source.clone(),
            quote: e.quote.clone(),
            scenario,
        });
    }
    if diags.is_empty() {
        Ok(steps)
    } else {
        Err(LoadError { diagnostics: diags })
    }
}
