//! The `analyze`, `process` and `timeline` documents, typed: every front
//! end (CLI, server, Python) serialises these same structs, so they all
//! print the same keys in the same order.

use accord::model::Value as Level;
use accord::process::{
    civil_from_days, ConstraintEdge, ConstraintRef as ProcessRef, CriticalPath, MilestoneWindow,
    ProcessReport,
};
use accord::{Analysis, Ratification, Scenario};
use indexmap::IndexMap;
use serde::Serialize;

/// ISO date `as_of + days`.
pub fn date_after(as_of: &str, days: i64) -> String {
    let day0 = accord_formats::process_toml::parse_iso_date(as_of).unwrap_or(0);
    let (y, m, d) = civil_from_days(day0 + days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// One milestone's window as dates and as days after `as_of`.
#[derive(Debug, Clone, Serialize)]
pub struct WindowDoc {
    /// Earliest date.
    pub earliest: String,
    /// Latest date, `null` when open.
    pub latest: Option<String>,
    /// Earliest day after `as_of`.
    pub earliest_day: i64,
    /// Latest day after `as_of`, `null` when open.
    pub latest_day: Option<i64>,
}

fn windows(sc: &Scenario, w: &[MilestoneWindow]) -> IndexMap<String, WindowDoc> {
    w.iter()
        .map(|m| {
            let doc = WindowDoc {
                earliest: date_after(&sc.as_of, m.earliest),
                latest: m.latest.map(|l| date_after(&sc.as_of, l)),
                earliest_day: m.earliest,
                latest_day: m.latest,
            };
            (m.milestone.clone(), doc)
        })
        .collect()
}

/// One minimal waiver and the schedule it gives (`waivers[]`).
#[derive(Debug, Clone, Serialize)]
pub struct WaiverDoc {
    /// The constraints waived.
    pub waived: Vec<ProcessRef>,
    /// Milestone → window once they are waived.
    pub schedule: IndexMap<String, WindowDoc>,
}

/// The `accord process --json` document.
#[derive(Debug, Clone, Serialize)]
pub struct ProcessDoc {
    /// Scenario id.
    pub scenario: String,
    /// The scenario date the days count from.
    pub as_of: String,
    /// How many milestones.
    pub milestones: usize,
    /// How many preconditions.
    pub preconditions: usize,
    /// Whether a schedule exists.
    pub consistent: bool,
    /// Milestone → window; every window `null` when inconsistent.
    pub schedule: IndexMap<String, Option<WindowDoc>>,
    /// The chains of constraints that fix each earliest date.
    pub critical_paths: Vec<CriticalPath>,
    /// Each deadlock cycle as its edges.
    pub deadlocks: Vec<Vec<ConstraintEdge>>,
    /// Each cycle's total days.
    pub deadlock_days: Vec<i64>,
    /// Whether the cycle listing stopped at its limit.
    pub deadlocks_truncated: bool,
    /// Minimal waivers.
    pub waivers: Vec<WaiverDoc>,
    /// Whether the waiver listing stopped at its limit.
    pub waivers_truncated: bool,
    /// With deal-dependent steps: the reference deal the network is shown for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<&'static str>,
    /// With deal-dependent steps: the reference deal's outcome index.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_index: Option<u64>,
    /// The process under every reading and firmness of the preconditions
    /// (every step active); present only when some precondition has
    /// readings or a firmness below 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readings: Option<accord::process::ProcessReadingsReport>,
}

/// The `accord process --json` document: `consistent`, `schedule`
/// (milestone → {earliest, latest} or null), `critical_paths`,
/// `deadlocks` (cycles as lists of `{from, to, owner, rule, source, …}`)
/// and `waivers` (minimal sets of waived constraints with the schedule
/// each gives).
pub fn process_view(sc: &Scenario, r: &ProcessReport) -> ProcessDoc {
    let schedule = if r.consistent {
        windows(sc, &r.schedule)
            .into_iter()
            .map(|(k, w)| (k, Some(w)))
            .collect()
    } else {
        sc.process
            .milestones
            .iter()
            .map(|ms| (ms.id.clone(), None))
            .collect()
    };
    ProcessDoc {
        scenario: sc.id.clone(),
        as_of: sc.as_of.clone(),
        milestones: sc.process.milestones.len(),
        preconditions: sc.process.preconditions.len(),
        consistent: r.consistent,
        schedule,
        critical_paths: r.critical_paths.clone(),
        deadlocks: r.deadlocks.iter().map(|d| d.edges.clone()).collect(),
        deadlock_days: r.deadlocks.iter().map(|d| d.total_days).collect(),
        deadlocks_truncated: r.deadlocks_truncated,
        waivers: r
            .waivers
            .iter()
            .map(|w| WaiverDoc {
                waived: w.waived.clone(),
                schedule: windows(sc, &w.schedule),
            })
            .collect(),
        waivers_truncated: r.waivers_truncated,
        reference: None,
        reference_index: None,
        readings: accord::process::analyze_precondition_readings(
            sc,
            &accord::process::ProcessReadingsOptions::default(),
        ),
    }
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

/// A disputed event: who claims it and who denies it.
#[derive(Debug, Clone, Serialize)]
pub struct DisputeDoc {
    /// The actor or source claiming the event.
    pub claimed_by: Option<String>,
    /// The actor or source denying it.
    pub denied_by: String,
}

/// The Nash bargaining solution at one date.
#[derive(Debug, Clone, Serialize)]
pub struct NashDoc {
    /// Issue → value.
    pub outcome: IndexMap<String, Level>,
    /// Actor → utility.
    pub utilities: IndexMap<String, f64>,
}

/// The smallest relaxation at one date.
#[derive(Debug, Clone, Serialize)]
pub struct RelaxationDoc {
    /// The constraints dropped, as `actor:id`.
    pub drop: Vec<String>,
    /// How many deals it opens.
    pub zopa_size: u64,
    /// The Nash solution's outcome once they are dropped.
    pub nash: Option<IndexMap<String, Level>>,
}

/// The process figures at one date.
#[derive(Debug, Clone, Serialize)]
pub struct StepProcessDoc {
    /// Whether a schedule exists.
    pub consistent: bool,
    /// How many deadlock cycles.
    pub deadlocks: usize,
    /// The minimal waivers, as constraint ids.
    pub waivers: Vec<Vec<String>>,
}

/// One date of `accord timeline --json` (`steps[]`).
#[derive(Debug, Clone, Serialize)]
pub struct TimelineStepDoc {
    /// Event id (`as_of` for the base scenario).
    pub id: String,
    /// Event date.
    pub date: String,
    /// Event title.
    pub title: String,
    /// Whether the event's patch was applied.
    pub applied: bool,
    /// Who claims and who denies a disputed event; `null` otherwise.
    pub disputed: Option<DisputeDoc>,
    /// Source id.
    pub source: Option<String>,
    /// Verbatim quote.
    pub quote: Option<String>,
    /// ZOPA size after the event.
    pub zopa_size: u64,
    /// Blocking sets as sorted `actor:id` lists.
    pub blockers: Vec<Vec<String>>,
    /// The Nash solution, `null` without a ZOPA.
    pub nash: Option<NashDoc>,
    /// The smallest relaxation, `null` when there is none.
    pub best_relaxation: Option<RelaxationDoc>,
    /// The process figures.
    pub process: StepProcessDoc,
    /// What changed since the previous date, in words.
    pub changes: Vec<String>,
    /// The probability that an implementable deal exists at this date
    /// under the readings and firmness of the red lines (the `p_deal` of
    /// analyze's `readings`); absent when the step has no readings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p_deal: Option<f64>,
}

/// One date of `accord timeline --json`: the event, the deal-space and
/// process figures after it, and what changed since the previous date.
pub fn timeline_step_view(
    step: &accord_formats::timeline::Step,
    an: &accord::Analysis,
    pr: &ProcessReport,
    prev: Option<(&accord::Analysis, &ProcessReport)>,
) -> TimelineStepDoc {
    let nash = an.solutions.nash.as_ref().map(|s| NashDoc {
        outcome: s.point.outcome.clone(),
        utilities: s.point.utilities.clone(),
    });
    let best = an.relaxations.first().map(|r| RelaxationDoc {
        drop: r
            .drop
            .iter()
            .map(|c| format!("{}:{}", c.actor, c.id))
            .collect(),
        zopa_size: r.zopa_size,
        nash: r.nash.as_ref().map(|s| s.point.outcome.clone()),
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
    TimelineStepDoc {
        id: step.id.clone(),
        date: step.date.clone(),
        title: step.title.clone(),
        applied: step.applied,
        disputed: step.denied_by.as_ref().map(|d| DisputeDoc {
            claimed_by: step.claimed_by.clone(),
            denied_by: d.clone(),
        }),
        source: step.source.clone(),
        quote: step.quote.clone(),
        zopa_size: an.zopa.size,
        blockers: blocker_ids(an),
        nash,
        best_relaxation: best,
        process: StepProcessDoc {
            consistent: pr.consistent,
            deadlocks: pr.deadlocks.len(),
            waivers: pr
                .waivers
                .iter()
                .map(|w| w.waived.iter().map(|c| c.id.clone()).collect())
                .collect(),
        },
        changes,
        p_deal: None,
    }
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
) -> Result<Vec<TimelineStepDoc>, accord::Error> {
    let opts = accord::AnalyzeOptions::default();
    let mut views: Vec<TimelineStepDoc> = Vec::new();
    let mut prev: Option<(accord::Analysis, ProcessReport)> = None;
    for (k, step) in steps.iter().enumerate() {
        let same = k > 0 && step.scenario == steps[k - 1].scenario;
        let (an, pr, p_deal) = match (&prev, same) {
            (Some((a, p)), true) => (a.clone(), p.clone(), views[k - 1].p_deal),
            _ => {
                // One scan gives the step's analysis and its readings.
                let (an, readings) = analyze_with_readings(&step.scenario, &opts, progress)?;
                let pr = accord::process::analyze_process(&reference_network(&step.scenario, &an));
                let p = readings.map(|r| r.p_deal);
                (an, pr, p)
            }
        };
        let mut view = timeline_step_view(step, &an, &pr, prev.as_ref().map(|(a, p)| (a, p)));
        view.p_deal = p_deal;
        views.push(view);
        prev = Some((an, pr));
    }
    Ok(views)
}

/// The `accord timeline --json` document.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineDoc {
    /// The base scenario's id (`null` without steps).
    pub scenario: Option<String>,
    /// One entry per date, in order.
    pub steps: Vec<TimelineStepDoc>,
}

/// The `accord timeline --json` document: the base scenario's id and the
/// step views of [`timeline_steps`].
pub fn timeline_view(
    steps: &[accord_formats::timeline::Step],
    views: &[TimelineStepDoc],
) -> TimelineDoc {
    TimelineDoc {
        scenario: steps.first().map(|s| s.scenario.id.clone()),
        steps: views.to_vec(),
    }
}

/// The `accord analyze --json` document: the engine's [`Analysis`] with
/// the two-level picture and the process beside it.
#[derive(Debug, Clone, Serialize)]
pub struct AnalyzeDoc<'a> {
    /// The engine's answer, its keys first.
    #[serde(flatten)]
    pub analysis: &'a Analysis,
    /// Two-level win-sets and votes on the reference deal; `null` without
    /// ratifiers.
    pub ratification: Option<Ratification>,
    /// The process (see [`process_view`]); `null` without milestones.
    pub process: Option<ProcessDoc>,
    /// The answer under every reading and firmness of the red lines;
    /// present only when the scenario has readings or a firmness below 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readings: Option<accord::readings::ReadingsReport>,
}

/// The readings-and-firmness analysis the analyze document carries, or
/// `None` when the scenario has no readings or firmness below 1, or its
/// space is too large to scan for them.
pub fn readings_for(
    sc: &Scenario,
    progress: &dyn accord::Progress,
) -> Result<Option<accord::readings::ReadingsReport>, accord::Error> {
    let opts = accord::readings::ReadingsOptions::default();
    match accord::analyze_readings(sc, &opts, progress) {
        Err(accord::Error::TooLarge(_)) => Ok(None),
        r => r,
    }
}

/// The analysis and the readings analysis the analyze document carries
/// (see [`readings_for`]), from one scan of the outcomes when the engine
/// can fold the readings into it.
pub fn analyze_with_readings(
    sc: &Scenario,
    opts: &accord::AnalyzeOptions,
    progress: &dyn accord::Progress,
) -> Result<(Analysis, Option<accord::readings::ReadingsReport>), accord::Error> {
    let ropts = accord::readings::ReadingsOptions::default();
    let (an, readings) = accord::analyze_with_readings(sc, opts, &ropts, progress)?;
    let readings = match readings {
        Err(accord::Error::TooLarge(_)) => None,
        r => r?,
    };
    Ok((an, readings))
}

/// [`analyze_view`] with the readings analysis attached: the whole
/// `accord analyze --json` document, as every front end serves it.
pub fn analyze_document<'a>(
    sc: &Scenario,
    an: &'a Analysis,
    progress: &dyn accord::Progress,
) -> Result<AnalyzeDoc<'a>, accord::Error> {
    let mut doc = analyze_view(sc, an);
    doc.readings = readings_for(sc, progress)?;
    Ok(doc)
}

/// The `accord analyze --json` document: the engine's [`accord::Analysis`]
/// plus `ratification` (two-level win-sets and votes on the reference
/// deal; null without ratifiers) and, when the scenario has milestones,
/// `process` (see [`process_view`]); when some step has a `when` rule, that
/// is the network active on the reference deal, named by `reference` and
/// `reference_index`.
pub fn analyze_view<'a>(sc: &Scenario, an: &'a Analysis) -> AnalyzeDoc<'a> {
    let ratification = (!sc.ratifiers.is_empty()).then(|| accord::ratification(sc, an));
    // A deal-dependent process is shown as it runs for the reference deal.
    let reference = accord::reference_deal(an).filter(|_| sc.process.is_conditional());
    let process = if sc.process.milestones.is_empty() {
        None
    } else if let Some((name, index)) = reference {
        let mut at = sc.clone();
        at.process = accord::process_at(sc, index);
        // Precondition readings index the whole network: they are analysed
        // on it, not on the reference deal's part of it.
        at.precondition_readings.clear();
        let mut v = process_view(&at, &accord::process::analyze_process(&at.process));
        v.readings = accord::process::analyze_precondition_readings(
            sc,
            &accord::process::ProcessReadingsOptions::default(),
        );
        v.reference = Some(name.name());
        v.reference_index = Some(index);
        Some(v)
    } else {
        Some(process_view(
            sc,
            &accord::process::analyze_process(&sc.process),
        ))
    };
    AnalyzeDoc {
        analysis: an,
        ratification,
        process,
        readings: None,
    }
}
