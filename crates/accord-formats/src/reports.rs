//! JSON views of engine results shared by every front end (CLI, server,
//! Python), so that they all print the same keys.

use accord::process::{civil_from_days, MilestoneWindow, ProcessReport};
use accord::Scenario;
use serde_json::{json, Map, Value};

/// ISO date `as_of + days`.
pub fn date_after(as_of: &str, days: i64) -> String {
    let day0 = crate::process_toml::parse_iso_date(as_of).unwrap_or(0);
    let (y, m, d) = civil_from_days(day0 + days);
    format!("{y:04}-{m:02}-{d:02}")
}

fn windows(sc: &Scenario, w: &[MilestoneWindow]) -> Value {
    let mut out = Map::new();
    for m in w {
        out.insert(
            m.milestone.clone(),
            json!({
                "earliest": date_after(&sc.as_of, m.earliest),
                "latest": m.latest.map(|l| date_after(&sc.as_of, l)),
                "earliest_day": m.earliest,
                "latest_day": m.latest,
            }),
        );
    }
    Value::Object(out)
}

/// The `accord process --json` document: `consistent`, `schedule`
/// (milestone → {earliest, latest} or null), `critical_paths`,
/// `deadlocks` (cycles as lists of `{from, to, owner, rule, source, …}`)
/// and `waivers` (minimal sets of waived constraints with the schedule
/// each gives).
pub fn process_view(sc: &Scenario, r: &ProcessReport) -> Value {
    let schedule = if r.consistent {
        windows(sc, &r.schedule)
    } else {
        let mut m = Map::new();
        for ms in &sc.process.milestones {
            m.insert(ms.id.clone(), Value::Null);
        }
        Value::Object(m)
    };
    json!({
        "scenario": sc.id,
        "as_of": sc.as_of,
        "milestones": sc.process.milestones.len(),
        "preconditions": sc.process.preconditions.len(),
        "consistent": r.consistent,
        "schedule": schedule,
        "critical_paths": r.critical_paths,
        "deadlocks": r.deadlocks.iter().map(|d| serde_json::to_value(&d.edges).unwrap_or(Value::Null)).collect::<Vec<_>>(),
        "deadlock_days": r.deadlocks.iter().map(|d| d.total_days).collect::<Vec<_>>(),
        "deadlocks_truncated": r.deadlocks_truncated,
        "waivers": r.waivers.iter().map(|w| json!({
            "waived": w.waived,
            "schedule": windows(sc, &w.schedule),
        })).collect::<Vec<_>>(),
        "waivers_truncated": r.waivers_truncated,
    })
}

// --- views shared with the web server (web branch) ---

/// One actor's position on one issue, with where it comes from.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Position {
    /// Actor id.
    pub actor: String,
    /// Issue id.
    pub issue: String,
    /// The actor's ideal value on the issue.
    pub ideal: accord::model::Value,
    /// Salience (weight) of the issue for the actor.
    pub weight: f64,
    /// Stated stance, if any.
    pub stance: Option<String>,
    /// Source id.
    pub source: Option<String>,
    /// Evidence grade of the source.
    pub grade: Option<String>,
    /// Short quote from the source.
    pub quote: Option<String>,
    /// Assumption label when the number is not sourced.
    pub assumption: Option<String>,
}

/// Every actor's position on every issue it cares about (or that is sourced).
pub fn positions(sc: &Scenario) -> Vec<Position> {
    let mut out = Vec::new();
    for (a, p) in sc.actors.iter().zip(&sc.preferences) {
        for (issue, ip) in sc.issues.iter().zip(&p.issues) {
            if ip.weight.value == 0.0 && !ip.provenance.is_accounted() {
                continue;
            }
            let src = ip.provenance.source.as_deref().and_then(|s| sc.source(s));
            out.push(Position {
                actor: a.id.clone(),
                issue: issue.id.clone(),
                ideal: issue.value(ip.value.best_level(issue)),
                weight: ip.weight.value,
                stance: ip.stance.clone(),
                source: ip.provenance.source.clone(),
                grade: src.map(|s| s.grade.name().to_string()),
                quote: ip.provenance.quote.clone(),
                assumption: ip.provenance.assumption.clone(),
            });
        }
    }
    out
}

/// The `accord show --json` document: `scenario` (file schema) and `positions`.
pub fn show_view(sc: &Scenario) -> Value {
    json!({
        "scenario": crate::scenario::to_raw(sc),
        "positions": positions(sc),
    })
}

/// The `accord check --json` document for a parse result: `file`, `valid`,
/// and either `scenario`, `outcomes`, `unsourced` or the located `errors`.
pub fn check_view(file: &str, result: &Result<Scenario, crate::LoadError>, strict: bool) -> Value {
    match result {
        Ok(sc) => {
            let gaps = sc.provenance_gaps();
            json!({
                "file": file,
                "valid": !strict || gaps.is_empty(),
                "scenario": sc.id,
                "outcomes": sc.space_size(),
                "errors": [],
                "unsourced": gaps,
            })
        }
        Err(e) => json!({
            "file": file,
            "valid": false,
            "errors": e.diagnostics,
        }),
    }
}
