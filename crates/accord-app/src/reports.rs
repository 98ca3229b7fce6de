//! JSON views of engine results shared by every front end (CLI, server,
//! Python), so that they all print the same keys.

use accord::process::{civil_from_days, MilestoneWindow, ProcessReport};
use accord::Scenario;
use serde_json::{json, Map, Value};

/// ISO date `as_of + days`.
pub fn date_after(as_of: &str, days: i64) -> String {
    let day0 = accord_formats::process_toml::parse_iso_date(as_of).unwrap_or(0);
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

/// The ids of each blocking set, sorted, as `actor:id` strings.
fn blocker_ids(a: &accord::Analysis) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = a
        .blockers
        .iter()
        .map(|b| {
            let mut v: Vec<String> = b.iter().map(|c| format!("{}:{}", c.actor, c.id)).collect();
            v.sort();
            v
        })
        .collect();
    out.sort();
    out
}

/// One date of `accord timeline --json`: the event, the deal-space and
/// process figures after it, and what changed since the previous date.
pub fn timeline_step_view(
    step: &accord_formats::timeline::Step,
    an: &accord::Analysis,
    pr: &ProcessReport,
    prev: Option<(&accord::Analysis, &ProcessReport)>,
) -> Value {
    let nash = an
        .solutions
        .nash
        .as_ref()
        .map(|s| json!({"outcome": s.point.outcome, "utilities": s.point.utilities}));
    let best = an.relaxations.first().map(|r| {
        json!({
            "drop": r.drop.iter().map(|c| format!("{}:{}", c.actor, c.id)).collect::<Vec<_>>(),
            "zopa_size": r.zopa_size,
            "nash": r.nash.as_ref().map(|s| &s.point.outcome),
        })
    });
    let mut changes: Vec<String> = Vec::new();
    if let Some((pa, pp)) = prev {
        if pa.zopa.size != an.zopa.size {
            changes.push(format!("ZOPA {} → {}", pa.zopa.size, an.zopa.size));
        }
        let (old, new) = (blocker_ids(pa), blocker_ids(an));
        for b in new.iter().filter(|b| !old.contains(b)) {
            changes.push(format!("new block: {}", b.join(" + ")));
        }
        for b in old.iter().filter(|b| !new.contains(b)) {
            changes.push(format!("block gone: {}", b.join(" + ")));
        }
        let outcome = |a: &accord::Analysis| {
            a.solutions
                .nash
                .as_ref()
                .or(a.relaxations.first().and_then(|r| r.nash.as_ref()))
                .map(|s| s.point.outcome.clone())
        };
        if let (Some(o), Some(n)) = (outcome(pa), outcome(an)) {
            for (k, v) in &n {
                if o.get(k) != Some(v) {
                    changes.push(format!(
                        "Nash {k}: {} → {v}",
                        o.get(k).map_or("—".into(), |x| x.to_string())
                    ));
                }
            }
        }
        if pa.relaxations.first().map(|r| r.zopa_size)
            != an.relaxations.first().map(|r| r.zopa_size)
        {
            changes.push(format!(
                "best relaxation opens {} → {} deals",
                pa.relaxations.first().map_or(0, |r| r.zopa_size),
                an.relaxations.first().map_or(0, |r| r.zopa_size)
            ));
        }
        if pp.consistent != pr.consistent || pp.deadlocks.len() != pr.deadlocks.len() {
            changes.push(format!(
                "process deadlocks {} → {}",
                pp.deadlocks.len(),
                pr.deadlocks.len()
            ));
        }
        if pp.waivers.len() != pr.waivers.len() {
            changes.push(format!(
                "minimal waivers {} → {}",
                pp.waivers.len(),
                pr.waivers.len()
            ));
        }
    }
    json!({
        "id": step.id,
        "date": step.date,
        "title": step.title,
        "applied": step.applied,
        "disputed": step.denied_by.as_ref().map(|d| json!({"claimed_by": step.claimed_by, "denied_by": d})),
        "source": step.source,
        "quote": step.quote,
        "zopa_size": an.zopa.size,
        "blockers": blocker_ids(an),
        "nash": nash,
        "best_relaxation": best,
        "process": {
            "consistent": pr.consistent,
            "deadlocks": pr.deadlocks.len(),
            "waivers": pr.waivers.iter().map(|w| w.waived.iter().map(|c| c.id.clone()).collect::<Vec<_>>()).collect::<Vec<_>>(),
        },
        "changes": changes,
    })
}

/// The process network analyse-level outputs describe: with deal-dependent
/// steps, the one active on the reference deal; otherwise the whole network.
fn reference_network(sc: &Scenario, an: &accord::Analysis) -> accord::ProcessNetwork {
    match accord::reference_deal(an).filter(|_| sc.process.is_conditional()) {
        Some((_, index)) => accord::process_at(sc, index),
        None => sc.process.clone(),
    }
}

/// Analyses every step of a timeline (deal space and process) and returns
/// its `accord timeline --json` step views, in order. A step that changes
/// nothing keeps the previous figures instead of analysing again.
pub fn timeline_steps(
    steps: &[accord_formats::timeline::Step],
    progress: &dyn accord::Progress,
) -> Result<Vec<Value>, accord::Error> {
    let opts = accord::AnalyzeOptions::default();
    let mut views = Vec::new();
    let mut prev: Option<(accord::Analysis, ProcessReport)> = None;
    for (k, step) in steps.iter().enumerate() {
        let same = k > 0 && step.scenario == steps[k - 1].scenario;
        let (an, pr) = match (&prev, same) {
            (Some((a, p)), true) => (a.clone(), p.clone()),
            _ => {
                let an = accord::analyze(&step.scenario, &opts, progress)?;
                let pr = accord::process::analyze_process(&reference_network(&step.scenario, &an));
                (an, pr)
            }
        };
        views.push(timeline_step_view(
            step,
            &an,
            &pr,
            prev.as_ref().map(|(a, p)| (a, p)),
        ));
        prev = Some((an, pr));
    }
    Ok(views)
}

/// The `accord timeline --json` document: the base scenario's id and the
/// step views of [`timeline_steps`].
pub fn timeline_view(steps: &[accord_formats::timeline::Step], views: &[Value]) -> Value {
    json!({ "scenario": steps.first().map(|s| s.scenario.id.as_str()), "steps": views })
}

/// The `accord analyze --json` document: the engine's [`accord::Analysis`]
/// plus `ratification` (two-level win-sets and votes on the reference
/// deal; null without ratifiers) and, when the scenario has milestones,
/// `process` (see [`process_view`]); when some step has a `when` rule, that
/// is the network active on the reference deal, named by `reference` and
/// `reference_index`.
pub fn analyze_view(sc: &Scenario, an: &accord::Analysis) -> Value {
    let mut v = serde_json::to_value(an).unwrap_or(Value::Null);
    if let Value::Object(m) = &mut v {
        let rat = if sc.ratifiers.is_empty() {
            Value::Null
        } else {
            serde_json::to_value(accord::ratification(sc, an)).unwrap_or(Value::Null)
        };
        m.insert("ratification".into(), rat);
        // A deal-dependent process is shown as it runs for the reference deal.
        let reference = accord::reference_deal(an).filter(|_| sc.process.is_conditional());
        let process = if sc.process.milestones.is_empty() {
            Value::Null
        } else if let Some((name, index)) = reference {
            let mut at = sc.clone();
            at.process = accord::process_at(sc, index);
            let mut v = process_view(&at, &accord::process::analyze_process(&at.process));
            if let Value::Object(p) = &mut v {
                p.insert("reference".into(), json!(name));
                p.insert("reference_index".into(), json!(index));
            }
            v
        } else {
            process_view(sc, &accord::process::analyze_process(&sc.process))
        };
        m.insert("process".into(), process);
    }
    v
}
