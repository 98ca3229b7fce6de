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
