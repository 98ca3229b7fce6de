//! The offline report: one self-contained HTML file (styles inline, the
//! Pareto chart as inline SVG, no external requests), or Markdown with the
//! chart as an SVG file beside it. Built from the same typed documents the
//! API serializes (read by field, never back from JSON by key), so the
//! report and the dashboard agree: positions, deal space,
//! Pareto frontier, process, why in words, readings, relaxations, graded
//! moves, near misses, ratification, timeline, forecasts and sensitivity.
//!
//! [`gather`] runs the analyses; the sections' rows are computed here, put
//! into one section model ([`Report`], `model.rs`) and laid out by one
//! template per format (`templates/report.html`, `templates/report.md`,
//! rendered in `render.rs`).

use crate::narrative::{narrative, text_lines, Narrative};
use crate::reports::{
    analyze_view, process_view, timeline_steps, timeline_view, ProcessDoc, TimelineDoc,
    TimelineStepDoc,
};
use crate::svg::{bands, lines, scatter, BandRow, Series};
use crate::views::{forecast_scenario_view, show_view, IssueForecast, ShowDoc};
use accord::forecast::{run_model, spatial_problem, ModelKind};
use accord::readings::ReadingsReport;
use accord::sensitivity::{sensitivity, Quantiles, SensitivityOptions, SensitivityReport};
use accord::{
    Analysis, AnalyzeOptions, ConstraintKind, ConstraintRef, Point, Progress, Ratification,
    Reference, Scenario,
};
use accord_formats::timeline::Step;
use indexmap::IndexMap;

mod model;
mod render;

pub use model::{Block, Explain, Report, Section};

/// Monte Carlo runs of the report's sensitivity section (fewer than the
/// CLI's default 1000 so a report stays quick; the section says how many).
pub const REPORT_RUNS: usize = 300;

/// Deal-space runs of the report's sensitivity section.
pub const REPORT_DEAL_RUNS: usize = 10;

/// The documents a report is made of, typed: what `--json` prints, before
/// it is serialized.
#[derive(Debug, Clone)]
pub struct ReportData {
    /// `accord show --json`.
    pub show: ShowDoc,
    /// The engine's analysis (`accord analyze --json --pareto-all`'s
    /// engine keys, the graded moves among them).
    pub analysis: Analysis,
    /// Two-level win-sets and votes on the reference deal (analyze's
    /// `ratification`); `None` without ratifiers.
    pub ratification: Option<Ratification>,
    /// The answer under every reading and firmness of the red lines
    /// (analyze's `readings`); `None` when the scenario has none.
    pub readings: Option<ReadingsReport>,
    /// `accord process --json`.
    pub process: ProcessDoc,
    /// `accord timeline --json`, or `None` with fewer than two dated events.
    pub timeline: Option<TimelineDoc>,
    /// The `models` of `accord forecast FILE --json` (model → issue →
    /// forecast); empty when no issue can be forecast.
    pub forecast: IndexMap<String, IndexMap<String, IssueForecast>>,
    /// `accord sensitivity --json --runs 300 --deal-runs 10`, or `None`
    /// when the scenario cannot be sampled.
    pub sensitivity: Option<SensitivityReport>,
    /// `accord explain --json`: why no deal (or why the reference deal), in
    /// words; its text is the CLI's, line for line.
    pub explain: Narrative,
    /// The lines `accord explain` prints for [`ReportData::explain`].
    pub explain_text: Vec<String>,
}

/// Why a report could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The engine could not analyse the scenario.
    #[error(transparent)]
    Engine(#[from] accord::Error),
}

/// Runs the analyses a report needs. `steps` are the scenario's dated
/// events (see [`accord_formats::timeline::timeline`]); with fewer than
/// two the report has no timeline section.
pub fn gather(
    sc: &Scenario,
    steps: &[Step],
    progress: &dyn Progress,
) -> Result<ReportData, ReportError> {
    let opts = AnalyzeOptions {
        pareto_all: true,
        ..Default::default()
    };
    // The readings come from the analysis's own scan.
    let (an, readings) = crate::reports::analyze_with_readings(sc, &opts, progress)?;
    let pr = accord::analyze_process(&sc.process);
    let timeline = if steps.len() > 1 {
        Some(timeline_view(steps, &timeline_steps(steps, progress)?))
    } else {
        None
    };
    // Forecasts and sensitivity need issues on a line; a scenario without
    // any simply has no such section.
    let forecast = match spatial_problem(sc) {
        Ok(sp) => match &sp.problem {
            Some(p) => {
                let stop = || progress.cancelled();
                let runs: Vec<_> = ModelKind::ALL
                    .iter()
                    .map(|&k| (k, run_model(k, p, &stop)))
                    .collect();
                forecast_scenario_view(sc, &sp, &runs).models
            }
            None => IndexMap::new(),
        },
        Err(_) => IndexMap::new(),
    };
    let so = SensitivityOptions {
        runs: REPORT_RUNS,
        deal_runs: REPORT_DEAL_RUNS,
        ..SensitivityOptions::default()
    };
    let sensitivity = match sensitivity(sc, &so, progress) {
        Ok(r) => Some(r),
        Err(accord::Error::Cancelled) => return Err(accord::Error::Cancelled.into()),
        Err(_) => None,
    };
    // The readings (from the analysis's own scan) serve the document and
    // the account.
    let explain = narrative(sc, &an, readings.as_ref(), &[]);
    let explain_text = text_lines(sc, &explain);
    // The same ratification the analyze document carries.
    let ratification = analyze_view(sc, &an).ratification;
    Ok(ReportData {
        show: show_view(sc),
        analysis: an,
        ratification,
        readings,
        process: process_view(sc, &pr),
        timeline,
        forecast,
        sensitivity,
        explain,
        explain_text,
    })
}

/// The footer's statement of exactness: exact only when the analysis says so.
fn exactness(an: &Analysis) -> String {
    if !an.exact {
        // An unbounded gap (written `"inf"` in JSON) is not stated.
        let gap = an
            .gap
            .filter(|g| g.is_finite())
            .map_or(String::new(), |g| format!(" (gap {g:.3})"));
        format!(
            "The deal-space figures are bounds from a search{gap}, not exact counts: the outcome space was too large to enumerate."
        )
    } else {
        "Every deal-space figure is exact (the outcome space was enumerated).".into()
    }
}

/// One line per ratifier: `(actor, ratifier, alone, with only this, without this, vote, decisive)`.
fn ratification_rows(rat: Option<&Ratification>) -> Vec<[String; 6]> {
    let mut out = Vec::new();
    for a in rat.map_or(&[][..], |r| &r.actors) {
        for r in &a.ratifiers {
            let vote = match &r.margin {
                None => "—".to_string(),
                Some(m) => format!(
                    "yes {:.0}% of quota {:.0}% (margin {:+.3})",
                    100.0 * finite(m.yes_share),
                    100.0 * finite(m.quota),
                    finite(m.margin)
                ),
            };
            let not_held: Vec<String> = r
                .margin
                .iter()
                .flat_map(|m| &m.blocs)
                .filter(|b| !b.condition_holds)
                .map(|b| b.bloc.clone())
                .collect();
            let vote = if not_held.is_empty() {
                vote
            } else {
                format!("{vote}; condition not held: {}", not_held.join(", "))
            };
            out.push([
                a.actor.clone(),
                r.ratifier.clone(),
                format!("{} → {}", a.alone, a.with_all),
                format!("{} / {}", r.with_only_this, r.without_this),
                vote,
                if a.decisive.as_ref() == Some(&r.ratifier) {
                    "decisive".into()
                } else {
                    String::new()
                },
            ]);
        }
    }
    out
}

/// A timeline's steps, none without one.
fn timeline_steps_of(t: Option<&TimelineDoc>) -> &[TimelineStepDoc] {
    t.map_or(&[], |t| &t.steps)
}

/// One line per dated event: `(date, event, applied, ZOPA, blocking sets, changes)`.
fn timeline_rows(t: Option<&TimelineDoc>) -> Vec<[String; 6]> {
    timeline_steps_of(t)
        .iter()
        .map(|st| {
            let mut event = format!("{}: {}", st.id, st.title);
            if let Some(dis) = &st.disputed {
                event.push_str(&format!(
                    " [disputed: claimed by {}, denied by {}]",
                    dis.claimed_by.as_deref().unwrap_or_default(),
                    dis.denied_by
                ));
            }
            let added = st
                .changes
                .iter()
                .filter(|c| c.starts_with("new block"))
                .count();
            let gone = st
                .changes
                .iter()
                .filter(|c| c.starts_with("block gone"))
                .count();
            let mut said: Vec<String> = Vec::new();
            if added + gone > 0 {
                said.push(format!("blocking sets +{added} −{gone}"));
            }
            said.extend(
                st.changes
                    .iter()
                    .filter(|c| !c.starts_with("new block") && !c.starts_with("block gone"))
                    .cloned(),
            );
            [
                st.date.clone(),
                event,
                if st.applied { "yes" } else { "no" }.into(),
                st.zopa_size.to_string(),
                st.blockers.len().to_string(),
                if said.is_empty() {
                    "—".into()
                } else {
                    said.join("; ")
                },
            ]
        })
        .collect()
}

/// A number compact: whole numbers bare, others to two decimals; a dash
/// for a non-finite one (which JSON cannot hold).
fn short(x: f64) -> String {
    if !x.is_finite() {
        "—".into()
    } else if (x - x.round()).abs() < 1e-9 {
        format!("{}", x.round())
    } else {
        format!("{x:.2}")
    }
}

/// The sensitivity runs' quantiles of `model`'s forecast of `issue`.
fn quantiles(d: &ReportData, model: &str, issue: &str) -> Option<Quantiles> {
    let f = d.sensitivity.as_ref()?.forecasts.get(model)?.get(issue)?;
    Some(f.summary.quantiles)
}

/// One line per model and issue: `(issue, model, forecast, p5, p50, p95)`.
fn forecast_rows(d: &ReportData) -> Vec<[String; 6]> {
    let mut out = Vec::new();
    for (model, issues) in &d.forecast {
        for (issue, f) in issues {
            let q = quantiles(d, model, issue);
            let at = |p: fn(&Quantiles) -> f64| q.map_or("—".into(), |q| short(p(&q)));
            out.push([
                issue.clone(),
                model.clone(),
                f.label.clone(),
                at(|q| q.p5),
                at(|q| q.p50),
                at(|q| q.p95),
            ]);
        }
    }
    out.sort_by(|a, b| a[0].cmp(&b[0]));
    out
}

/// The sensitivity section's plain-language summary.
fn sensitivity_lead(v: &SensitivityReport) -> String {
    let mut t = format!(
        "{} Monte Carlo runs (seed {}) over {} uncertain input{}.",
        v.runs_done,
        v.seed,
        v.inputs.len(),
        if v.inputs.len() == 1 { "" } else { "s" }
    );
    if let Some(deal) = &v.deal {
        t.push_str(&format!(
            " A ZOPA exists in {} of {} deal-space runs ({:.1}%).",
            deal.zopa_runs,
            deal.runs,
            100.0 * finite(deal.zopa_probability)
        ));
    }
    t
}

/// The readings section's plain-language summary: P(deal) and how it was
/// counted (exactly, or by a stated number of seeded samples).
fn readings_lead(r: &ReadingsReport) -> String {
    let how = if r.exact {
        format!("all {} combinations of readings enumerated", r.combinations)
    } else {
        let interval = match r.p_deal_interval {
            Some([lo, hi]) => format!(
                ", 95% interval {:.1}%–{:.1}%",
                100.0 * finite(lo),
                100.0 * finite(hi)
            ),
            None => String::new(),
        };
        let text = |x: Option<u64>| x.map_or(String::new(), |x| x.to_string());
        format!(
            "estimated from {} seeded samples (seed {}) of {} combinations{interval}",
            text(r.samples),
            text(r.seed),
            r.combinations
        )
    };
    let deals = if r.deals_over == "implementable" {
        "an implementable deal"
    } else {
        "a deal"
    };
    format!(
        "Some red lines can be read more than one way, and some may be bluffs (firmness below 1). Weighing each reading by its plausibility and each red line by its firmness, the probability that {deals} exists is {:.1}% ({how}). A blocking set is robust when it blocks whichever way its red lines are read.",
        100.0 * finite(r.p_deal)
    )
}

/// The sections after the process, each `(title, lead, body)`; a section
/// without data is left out.
fn later_sections(d: &ReportData) -> Vec<(&'static str, String, Vec<Block>)> {
    let mut out = Vec::new();
    out.push((
        "Why, in words",
        "The answer as a chain of reasons, each with the constraints it rests on, who owns them, where they come from, and how far it can be trusted (its weakest source). The same words as `accord explain`.".into(),
        vec![Block::Explain(Explain::new(&d.explain))],
    ));
    if let Some(r) = &d.readings {
        let lines: Vec<Vec<String>> = r
            .red_lines
            .iter()
            .map(|l| {
                let readings: Vec<String> = l
                    .readings
                    .iter()
                    .map(|x| {
                        format!(
                            "{} ({:.0}%): {}",
                            x.name,
                            100.0 * finite(x.probability),
                            x.rule
                        )
                    })
                    .collect();
                vec![
                    l.actor.clone(),
                    l.id.clone(),
                    short(l.firmness),
                    readings.join("; "),
                ]
            })
            .collect();
        let sets: Vec<Vec<String>> = r
            .blocking_sets
            .iter()
            .map(|b| {
                let members: Vec<String> = b
                    .members
                    .iter()
                    .map(|m| match &m.reading {
                        Some(x) => format!("{} [{x}]", m.id),
                        None => m.id.clone(),
                    })
                    .collect();
                // Red lines' readings, then the preconditions' (with a
                // deal-dependent process a combination reads both).
                let under: Vec<String> = b
                    .under
                    .iter()
                    .chain(&b.under_preconditions)
                    .map(|(k, names)| format!("{k}: {}", names.join(" or ")))
                    .collect();
                vec![
                    members.join(" + "),
                    format!("{:.0}%", 100.0 * finite(b.probability)),
                    match b.robust {
                        Some(true) => "robust".into(),
                        Some(false) => "depends on readings".into(),
                        None => "— (sampled)".into(),
                    },
                    if b.default { "yes" } else { "no" }.into(),
                    if under.is_empty() {
                        "every reading".into()
                    } else {
                        under.join("; ")
                    },
                ]
            })
            .collect();
        let body = vec![
            Block::table(
                [
                    "actor",
                    "red line",
                    "firmness",
                    "readings (probability): rule",
                ],
                lines,
            ),
            Block::Heading {
                text: "Blocking sets under the readings".into(),
            },
            Block::table(
                [
                    "blocking set",
                    "probability",
                    "robust?",
                    "in today's answer",
                    "holds under",
                ],
                sets,
            ),
        ];
        out.push(("Readings and firmness", readings_lead(r), body));
    }
    let cheapest: Vec<Vec<String>> = d
        .analysis
        .cheapest_relaxations
        .iter()
        .take(20)
        .map(|c| {
            let r = &c.relaxation;
            let drop: Vec<String> = r.drop.iter().map(who).collect();
            vec![
                short(c.cost),
                drop.join(" + "),
                r.zopa_size.to_string(),
                solution_text(r.nash.as_ref()),
            ]
        })
        .collect();
    if !cheapest.is_empty() {
        out.push((
            "Cheapest relaxations",
            "The concessions of least total cost that open a deal, each constraint weighed by how entrenched it is (a constitutional rule costs more to give up than an anonymously sourced one).".into(),
            vec![Block::table(["cost", "give up", "deals it opens", "Nash solution then"], cheapest)],
        ));
    }
    if let Some(n) = &d.analysis.notches {
        out.push(graded_moves(n));
    }
    let misses: Vec<Vec<String>> = d
        .analysis
        .near_misses
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let gives: Vec<String> = m
                .gives
                .iter()
                .map(|g| {
                    let mut what = Vec::new();
                    let below = finite(g.below_reservation);
                    if below > 0.0 {
                        what.push(format!("accept {below:.3} below its no-deal value"));
                    }
                    if !g.breaks.is_empty() {
                        what.push(format!("give up {}", g.breaks.join(", ")));
                    }
                    format!("{}: {}", g.actor, what.join("; "))
                })
                .collect();
            vec![
                (i + 1).to_string(),
                format!("{:.3}", finite(m.shortfall)),
                gives.join(" · "),
                outcome_text(&m.point),
            ]
        })
        .collect();
    if !misses.is_empty() {
        out.push((
            "Near misses",
            "The packages that come closest to a deal, ranked by shortfall (how far each actor falls below its no-deal value, plus the cost of the red lines it breaks): who must give what.".into(),
            vec![Block::table(["#", "shortfall", "who must give what", "package"], misses)],
        ));
    }
    let rat = ratification_rows(d.ratification.as_ref());
    let reference = match d.ratification.as_ref().map(|r| r.reference) {
        Some(Reference::Relaxation) => "the Nash deal of the best relaxation (the ZOPA is empty)",
        Some(Reference::Nash) => "the Nash solution",
        _ => "the reference deal",
    };
    if !rat.is_empty() {
        let headers = [
            "actor",
            "ratifier",
            "win-set alone → with all ratifiers",
            "with only this / without this",
            "vote on the deal",
            "decisive",
        ];
        out.push((
            "Ratification",
            format!("A deal needs each actor's own bodies to ratify it. A ratifier is decisive when it alone shrinks its actor's win-set; votes are counted on {reference}."),
            vec![Block::table(headers, rows_of(rat))],
        ));
    }
    let tl = timeline_rows(d.timeline.as_ref());
    if !tl.is_empty() {
        let headers = [
            "date",
            "event",
            "applied",
            "ZOPA",
            "blocking sets",
            "what changed",
        ];
        out.push((
            "Timeline",
            "The analysis replayed after each dated event; disputed events are applied as claimed (use `accord timeline --reject` to compare).".into(),
            vec![Block::table(headers, rows_of(tl))],
        ));
    }
    let fc = forecast_rows(d);
    if !fc.is_empty() {
        let headers = ["issue", "model", "forecast", "5%", "median", "95%"];
        out.push((
            "Forecasts",
            "Where four forecasting models expect each issue to settle, with the 5–95% range over the sensitivity runs (issue units; option issues by option index, 0 = first).".into(),
            vec![Block::table(headers, rows_of(fc))],
        ));
    }
    if let Some(sens) = &d.sensitivity {
        let rows: Vec<[String; 3]> = sens
            .correlations
            .iter()
            .map(|c| {
                [
                    c.input.clone(),
                    c.output.clone(),
                    format!("{:+.3}", finite(c.rho)),
                ]
            })
            .collect();
        let headers = ["input", "output", "Spearman ρ"];
        // An empty table under "the inputs that move the results most"
        // would read as a table that failed to fill: say why it is empty.
        let (lead, blocks) = if sens.inputs.is_empty() {
            (
                format!(
                    "{} The scenario gives no number a distribution, so every run is the same and no input moves any result.",
                    sensitivity_lead(sens)
                ),
                Vec::new(),
            )
        } else if rows.is_empty() {
            (
                format!(
                    "{} No input's draws are rank-correlated with any result.",
                    sensitivity_lead(sens)
                ),
                Vec::new(),
            )
        } else {
            (
                format!(
                    "{} The inputs that move the results most:",
                    sensitivity_lead(sens)
                ),
                vec![Block::table(headers, rows_of(rows))],
            )
        };
        out.push(("Sensitivity", lead, blocks));
    }
    out
}

/// The most graded moves the report lists (the CLI's default row count).
pub const GRADED_ROWS: usize = 10;

/// The Graded moves section, in `accord analyze`'s words: the smallest
/// loosenings (red lines by their notches, reservations by their stated
/// step) that open a deal, cheapest first, and the deal each opens.
fn graded_moves(n: &accord::Notches) -> (&'static str, String, Vec<Block>) {
    let Some(fewest) = n.fewest else {
        let lead = format!(
            "None of up to {} notches opens a deal: no red line loosened by its notches, nor reservation lowered by its stated step, that many steps at most.",
            n.max_notches
        );
        return ("Graded moves", lead, Vec::new());
    };
    let rows: Vec<Vec<String>> = n
        .moves
        .iter()
        .take(GRADED_ROWS)
        .map(|m| {
            let changes: Vec<String> = m
                .changes
                .iter()
                .map(|c| format!("{}: {} → {}", c.actor, c.from, c.to))
                .collect();
            let nash = m.nash.as_ref().map_or("—".into(), |s| {
                s.point
                    .outcome
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            });
            vec![
                m.notches.to_string(),
                // One decimal, as `accord analyze` prints costs.
                if m.cost.abs() >= 1000.0 {
                    format!("{:.0}", m.cost)
                } else {
                    format!("{:.1}", m.cost)
                },
                changes.join("; "),
                m.zopa_size.to_string(),
                nash,
            ]
        })
        .collect();
    let shown = rows.len();
    let more = if n.moves_total > shown {
        format!(", {shown} of {} shown", n.moves_total)
    } else {
        String::new()
    };
    let lead = format!(
        "The smallest loosenings that open a deal ({fewest} notch{}{more}; cheapest first): red lines loosened by their notches and reservations lowered by their stated step, with the deals each opens.",
        if fewest == 1 { "" } else { "es" }
    );
    let headers = [
        "notches",
        "cost",
        "who gives what",
        "ZOPA",
        "Nash solution then",
    ];
    ("Graded moves", lead, vec![Block::table(headers, rows)])
}

/// Fixed-width rows as the model's rows.
fn rows_of<const N: usize>(rows: Vec<[String; N]>) -> Vec<Vec<String>> {
    rows.into_iter().map(Vec::from).collect()
}

/// A number as the JSON documents write it (`20.0` for a whole float);
/// empty for a non-finite one, which JSON writes as `null`.
fn json_num(x: f64) -> String {
    serde_json::Number::from_f64(x).map_or(String::new(), |n| n.to_string())
}

/// `x`, or 0 when it is not finite (as the JSON documents' `null` read).
fn finite(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

/// An issue's value: an option's id, or a number as the JSON documents
/// write it.
fn level_text(v: &accord::model::Value) -> String {
    match v {
        accord::model::Value::Option(o) => o.clone(),
        accord::model::Value::Number(x) => json_num(*x),
    }
}

/// An outcome as `issue=value, …`, numbers as the JSON documents write them.
fn outcome_text(p: &Point) -> String {
    p.outcome
        .iter()
        .map(|(k, v)| format!("{k}={}", level_text(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A solution's outcome, or nothing when there is none.
fn solution_text(n: Option<&accord::Solution>) -> String {
    n.map_or(String::new(), |n| outcome_text(&n.point))
}

/// A constraint's kind as the JSON documents name it.
fn kind_name(k: ConstraintKind) -> &'static str {
    match k {
        ConstraintKind::RedLine => "red_line",
        ConstraintKind::Reservation => "reservation",
        ConstraintKind::Ratification => "ratification",
        ConstraintKind::Precondition => "precondition",
        ConstraintKind::Deadline => "deadline",
    }
}

/// A dropped constraint in words.
fn who(c: &ConstraintRef) -> String {
    let (actor, rule) = (&c.actor, &c.rule);
    match c.kind {
        ConstraintKind::Reservation => format!("{actor}'s reservation ({rule})"),
        ConstraintKind::Ratification => format!("{rule} for {actor}"),
        ConstraintKind::Precondition => format!("{actor}'s precondition ({rule})"),
        ConstraintKind::Deadline => format!("deadline ({rule})"),
        ConstraintKind::RedLine => format!("{actor}'s red line `{rule}`"),
    }
}

/// The two parties the Pareto chart plots by default: the first two actors.
fn chart_parties(d: &ReportData) -> Option<(String, String)> {
    let actors = &d.show.scenario.actors;
    Some((actors.first()?.id.clone(), actors.get(1)?.id.clone()))
}

/// The Pareto chart for parties `x` and `y`, as SVG.
pub fn pareto_svg(d: &ReportData, x: &str, y: &str) -> String {
    // A party a point does not rate, or rates non-finite, plots at 0.
    let at =
        |m: &indexmap::IndexMap<String, f64>, k: &str| finite(m.get(k).copied().unwrap_or(0.0));
    let pt = |p: &Point, tip: String| (at(&p.utilities, x), at(&p.utilities, y), tip);
    let an = &d.analysis;
    let all: Vec<_> = an
        .pareto_all
        .iter()
        .flat_map(accord::Points::iter)
        .map(|p| pt(&p, outcome_text(&p)))
        .collect();
    let zopa: Vec<_> = an.pareto.iter().map(|p| pt(&p, outcome_text(&p))).collect();
    let mut sols = Vec::new();
    for (name, v) in solutions(&an.solutions) {
        if let Some(v) = v {
            sols.push(pt(&v.point, format!("{name}: {}", outcome_text(&v.point))));
        }
    }
    let relax: Vec<_> = an
        .relaxations
        .iter()
        .filter_map(|r| Some((r, r.nash.as_ref()?)))
        .take(12)
        .map(|(r, nash)| {
            let drop: Vec<String> = r.drop.iter().map(who).collect();
            pt(
                &nash.point,
                format!("Nash if dropped: {}", drop.join(" + ")),
            )
        })
        .collect();
    let d0 = vec![(
        at(&an.disagreement, x),
        at(&an.disagreement, y),
        "disagreement point (reservations)".to_string(),
    )];
    scatter(
        &format!("Pareto frontier: {x} × {y}"),
        &format!("u({x})"),
        &format!("u({y})"),
        &[
            Series {
                label: "feasible frontier",
                color: "#bbbbbb",
                radius: 3.0,
                points: all,
            },
            Series {
                label: "ZOPA frontier",
                color: "#3366cc",
                radius: 4.0,
                points: zopa,
            },
            Series {
                label: "solutions",
                color: "#d62728",
                radius: 6.0,
                points: sols,
            },
            Series {
                label: "Nash if relaxed",
                color: "#ff9900",
                radius: 5.0,
                points: relax,
            },
            Series {
                label: "disagreement",
                color: "#000000",
                radius: 4.0,
                points: d0,
            },
        ],
    )
}

/// The timeline chart (blocking sets, ZOPA size and the deals the best
/// relaxation opens per dated event; disputed events marked), as SVG; none
/// without dated events.
pub fn timeline_svg(d: &ReportData) -> Option<String> {
    let steps = timeline_steps_of(d.timeline.as_ref());
    if steps.len() < 2 {
        return None;
    }
    let labels = step_labels(steps);
    let count = |f: &dyn Fn(&TimelineStepDoc) -> f64| steps.iter().map(f).collect::<Vec<f64>>();
    let series = [
        (
            "blocking sets",
            "#b3261e",
            count(&|st| st.blockers.len() as f64),
        ),
        ("ZOPA size", "#087a2a", count(&|st| st.zopa_size as f64)),
        (
            "deals the best relaxation opens",
            "#ff9900",
            count(&|st| {
                st.best_relaxation
                    .as_ref()
                    .map_or(0.0, |r| r.zopa_size as f64)
            }),
        ),
    ];
    let marked = disputed(steps);
    Some(lines("Timeline", &labels, &series, &marked))
}

/// One band chart per forecast issue (SVG): each model's 5–95% range over
/// the sensitivity runs, its median and the point forecast.
pub fn forecast_svgs(d: &ReportData) -> Vec<String> {
    let models = &d.forecast;
    let Some((_, first)) = models.first() else {
        return Vec::new();
    };
    let issues: Vec<&String> = first.keys().collect();
    let mut out = Vec::new();
    for id in issues {
        let issue = d.show.scenario.issues.iter().find(|i| i.id == *id);
        let Some(issue) = issue else { continue };
        let options: Vec<String> = issue
            .options
            .iter()
            .flatten()
            .map(|o| o.id().to_string())
            .collect();
        let finite_or = |x: Option<f64>, or: f64| x.filter(|x| x.is_finite()).unwrap_or(or);
        let (lo, hi) = if options.is_empty() {
            (finite_or(issue.min, 0.0), finite_or(issue.max, 1.0))
        } else {
            (0.0, options.len().saturating_sub(1) as f64)
        };
        let rows: Vec<BandRow<'_>> = models
            .iter()
            .map(|(m, per)| {
                // A band needs all three quantiles finite (JSON's `null` otherwise).
                let band = quantiles(d, m, id)
                    .map(|q| [q.p5, q.p50, q.p95])
                    .filter(|b| b.iter().all(|x| x.is_finite()));
                // A non-finite forecast (JSON's `null`) is not drawn.
                let point = per.get(id.as_str()).map(|f| f.forecast);
                (m.as_str(), band, point.filter(|x| x.is_finite()))
            })
            .collect();
        let unit = issue.unit.clone().unwrap_or_default();
        let title = if unit.is_empty() {
            id.to_string()
        } else {
            format!("{id} ({unit})")
        };
        out.push(bands(&title, lo, hi, &rows, &options));
    }
    out
}

/// Each dated event's label on a chart's axis: `date id`.
fn step_labels(steps: &[TimelineStepDoc]) -> Vec<String> {
    steps
        .iter()
        .map(|st| format!("{} {}", st.date, st.id))
        .collect()
}

/// Which dated events are disputed (marked on the charts).
fn disputed(steps: &[TimelineStepDoc]) -> Vec<bool> {
    steps.iter().map(|st| st.disputed.is_some()).collect()
}

/// The probability of a deal under the readings at each dated event, in
/// percent (SVG); none without dated events or without readings.
pub fn p_deal_svg(d: &ReportData) -> Option<String> {
    let steps = timeline_steps_of(d.timeline.as_ref());
    // A non-finite P(deal) is written `null`, as if absent.
    let p_deal = |st: &TimelineStepDoc| st.p_deal.filter(|p| p.is_finite());
    if steps.len() < 2 || steps.iter().all(|st| p_deal(st).is_none()) {
        return None;
    }
    let labels = step_labels(steps);
    let p: Vec<f64> = steps
        .iter()
        .map(|st| 100.0 * p_deal(st).unwrap_or(0.0))
        .collect();
    let marked = disputed(steps);
    Some(lines(
        "Probability of a deal under the readings (%)",
        &labels,
        &[("P(deal) %", "#7b3fa0", p)],
        &marked,
    ))
}

/// The stem of a Markdown report's chart files (`x-pareto.svg` → `x`).
fn chart_stem(pareto_name: &str) -> &str {
    pareto_name
        .strip_suffix("-pareto.svg")
        .unwrap_or(pareto_name.trim_end_matches(".svg"))
}

/// An issue id as a file-name part: letters, digits, `-` and `_` kept.
fn file_part(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The issues the forecast charts are drawn for, in [`forecast_svgs`]'s order.
fn forecast_issues(d: &ReportData) -> Vec<String> {
    let Some((_, first)) = d.forecast.first() else {
        return Vec::new();
    };
    let known = &d.show.scenario.issues;
    first
        .keys()
        .filter(|k| known.iter().any(|i| i.id == **k))
        .cloned()
        .collect()
}

/// Every chart file a Markdown report links besides the Pareto chart
/// (`pareto_name`): the timeline, P(deal) across the dates, and one band
/// chart per forecast issue, as `(file name, SVG)`.
pub fn chart_files(d: &ReportData, pareto_name: &str) -> Vec<(String, String)> {
    let stem = chart_stem(pareto_name);
    let mut out = Vec::new();
    if let Some(t) = timeline_svg(d) {
        out.push((timeline_svg_name(pareto_name), t));
    }
    if let Some(p) = p_deal_svg(d) {
        out.push((format!("{stem}-p-deal.svg"), p));
    }
    for (id, svg) in forecast_issues(d).iter().zip(forecast_svgs(d)) {
        out.push((format!("{stem}-forecast-{}.svg", file_part(id)), svg));
    }
    out
}

/// The name of the timeline chart's file beside a Markdown report whose
/// Pareto chart is `pareto_name` (`x-pareto.svg` → `x-timeline.svg`).
pub fn timeline_svg_name(pareto_name: &str) -> String {
    match pareto_name.strip_suffix("-pareto.svg") {
        Some(stem) => format!("{stem}-timeline.svg"),
        None => format!("timeline-{pareto_name}"),
    }
}

/// The minimal waivers of a deadlocked process, in words.
fn waivers_text(p: &ProcessDoc) -> String {
    let sets: Vec<String> = p
        .waivers
        .iter()
        .map(|w| {
            w.waived
                .iter()
                .map(|c| format!("{} ({})", c.id, c.owner.as_deref().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .collect();
    if sets.is_empty() {
        "No schedule exists, and no small set of waived constraints unlocks one.".into()
    } else {
        format!(
            "No schedule exists. Minimal waivers that would unlock one: {}.",
            sets.join("; ")
        )
    }
}

/// The four solutions by their JSON names, in the documents' order.
fn solutions(s: &accord::Solutions) -> [(&'static str, Option<&accord::Solution>); 4] {
    [
        ("nash", s.nash.as_ref()),
        ("kalai_smorodinsky", s.kalai_smorodinsky.as_ref()),
        ("utilitarian", s.utilitarian.as_ref()),
        ("egalitarian", s.egalitarian.as_ref()),
    ]
}

/// The plain-language verdict on the deal space: the CLI's first lines
/// (`crate::verdict`), as one paragraph.
fn verdict(an: &Analysis) -> String {
    crate::verdict::verdict_lines(an).join(" ")
}

/// The whole report as one self-contained HTML page.
pub fn html(d: &ReportData) -> String {
    render::html(&Report::build(d, "report-pareto.svg"))
}

/// The report as Markdown; the Pareto chart is `svg_name`, to be written
/// beside it (returned as the second value, when there are two parties).
/// With dated events it also links the timeline chart
/// [`timeline_svg_name`]`(svg_name)`, which [`timeline_svg`] draws.
pub fn markdown(d: &ReportData, svg_name: &str) -> (String, Option<String>) {
    let report = Report::build(d, svg_name);
    let md = render::markdown(&report, svg_name);
    (md, report.pareto.map(|p| p.svg))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::narrative::confidence_words;
    use crate::svg::esc;

    fn data(text: &str) -> ReportData {
        let sc =
            accord_formats::parse_scenario(text, "t.toml", accord_formats::Syntax::Toml).unwrap();
        gather(&sc, &[], &accord::NoProgress).unwrap()
    }

    fn triad() -> ReportData {
        data(accord_formats::bundled::bundled("triad").unwrap().text)
    }

    #[test]
    fn report_is_self_contained_with_every_blocker_and_the_chart() {
        let d = triad();
        let h = html(&d);
        assert!(h.starts_with("<!doctype html>"));
        // The only URL is the SVG namespace: no external requests.
        assert_eq!(
            h.matches("http").count(),
            h.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
        );
        assert!(!h.contains("<script") && !h.contains("<link"));
        // Three independent pairs of red lines.
        assert_eq!(h.matches("<tr class=\"blocker\">").count(), 6);
        assert!(h.contains("ZOPA: <span class=\"no\">no</span>"));
        assert!(h.contains("<svg") && h.contains("Pareto frontier: A × B"));
    }

    #[test]
    fn deadlock_rows_are_marked() {
        let d = data(include_str!(
            "../../../accord-server/tests/fixtures/sale-deadlock.toml"
        ));
        let h = html(&d);
        assert_eq!(h.matches("<tr class=\"cycle\">").count(), 2);
        assert!(h.contains("ZOPA: <span class=\"yes\">yes</span>"));
        // No column of dashes: the waivers that would unlock a schedule.
        assert!(!h.contains("<h3>Milestones and schedule</h3>"));
        let waivers = waivers_text(&d.process);
        assert!(
            waivers.starts_with("No schedule exists. Minimal waivers"),
            "{waivers}"
        );
        assert!(h.contains(&esc(&waivers)));
        // The ZOPA frontier and the four solutions are plotted.
        let zopa = d.analysis.pareto.len();
        let svg = pareto_svg(&d, "seller", "buyer");
        assert!(svg.contains(&format!("ZOPA frontier ({zopa})")));
        assert!(svg.contains("solutions (4)"));
    }

    #[test]
    fn markdown_lists_the_bargaining_solutions_as_the_html_does() {
        // The sale's ZOPA is express at prices 5 to 8 (worked out by hand in
        // accord-formats/tests/hand_scenarios.rs): Nash, utilitarian and
        // egalitarian pick 8, Kalai–Smorodinsky 7.
        let d = data(accord_formats::bundled::bundled("sale").unwrap().text);
        let (md, _) = markdown(&d, "x.svg");
        assert!(
            md.contains(
                "\n### Bargaining solutions\n\n| rule | outcome |\n|---|---|\n\
                 | nash | price=8.0, delivery=express |\n\
                 | kalai_smorodinsky | price=7.0, delivery=express |\n\
                 | utilitarian | price=8.0, delivery=express |\n\
                 | egalitarian | price=8.0, delivery=express |\n"
            ),
            "{md}"
        );
        let h = html(&d);
        assert!(
            h.contains("<tr><td>kalai_smorodinsky</td><td>price=7.0, delivery=express</td></tr>")
        );
        // No deal in the triad: neither format has the table.
        let d = triad();
        assert!(!markdown(&d, "x.svg").0.contains("Bargaining solutions"));
        assert!(!html(&d).contains("Bargaining solutions"));
    }

    #[test]
    fn footer_says_bounds_when_the_analysis_is_not_exact() {
        let mut d = triad();
        assert!(html(&d).contains("Every deal-space figure is exact"));
        d.analysis.exact = false;
        d.analysis.gap = Some(0.125);
        let h = html(&d);
        assert!(h.contains("bounds from a search (gap 0.125), not exact counts"));
        assert!(!h.contains("is exact"));
        let (md, _) = markdown(&d, "x.svg");
        assert!(md.contains("bounds from a search (gap 0.125)"));
    }

    #[test]
    fn ratification_forecast_and_sensitivity_sections() {
        let d = data(accord_formats::bundled::bundled("sale").unwrap().text);
        let h = html(&d);
        // The sale's board is the decisive ratifier of the seller.
        assert!(h.contains("<h2>Ratification</h2>"), "{h}");
        assert!(h.contains("<td>board</td>"));
        assert!(h.contains("<td>decisive</td>"));
        assert!(h.contains("<h2>Forecasts</h2>"));
        // One band chart per forecast issue, a row per model.
        let charts = forecast_svgs(&d);
        let issues = d.forecast["compromise"].len();
        assert_eq!(charts.len(), issues);
        assert!(charts[0].contains(">compromise</text>") && charts[0].contains(">smp</text>"));
        assert!(h.contains(&charts[0]));
        assert!(h.contains(&format!("{REPORT_RUNS} Monte Carlo runs (seed 0)")));
        // No dated events: no timeline section.
        assert!(!h.contains("<h2>Timeline</h2>"));
        let (md, _) = markdown(&d, "x.svg");
        assert!(md.contains("\n## Ratification\n"));
        assert!(md.contains("| issue | model | forecast | 5% | median | 95% |"));
    }

    #[test]
    fn timeline_chart_marks_disputed_events() {
        let mut d = triad();
        assert!(timeline_svg(&d).is_none());
        assert!(!html(&d).contains("<h2>Timeline</h2>"));
        let step = |id: &str, date: &str, title: &str| TimelineStepDoc {
            id: id.into(),
            date: date.into(),
            title: title.into(),
            applied: true,
            disputed: None,
            source: None,
            quote: None,
            zopa_size: 0,
            blockers: Vec::new(),
            nash: None,
            best_relaxation: None,
            process: crate::reports::StepProcessDoc {
                consistent: true,
                deadlocks: 0,
                waivers: Vec::new(),
            },
            changes: Vec::new(),
            p_deal: None,
        };
        let base = TimelineStepDoc {
            blockers: vec![vec!["A:x".into(), "B:y".into()]],
            best_relaxation: Some(crate::reports::RelaxationDoc {
                drop: Vec::new(),
                zopa_size: 3,
                nash: None,
            }),
            ..step("as_of", "2026-01-01", "base")
        };
        let claim = TimelineStepDoc {
            disputed: Some(crate::reports::DisputeDoc {
                claimed_by: Some("A".into()),
                denied_by: "B".into(),
            }),
            zopa_size: 2,
            changes: vec!["ZOPA 0 → 2".into()],
            ..step("claim", "2026-01-02", "a claim")
        };
        d.timeline = Some(TimelineDoc {
            scenario: Some("triad".into()),
            steps: vec![base, claim],
        });
        let svg = timeline_svg(&d).unwrap();
        // Three series, the disputed step a triangle in each.
        assert_eq!(svg.matches("<polyline").count(), 3);
        assert_eq!(svg.matches("(disputed)").count(), 3);
        let h = html(&d);
        assert!(h.contains("<h2>Timeline</h2>"));
        assert!(h.contains("<td>claim: a claim [disputed: claimed by A, denied by B]</td>"));
        let (md, _) = markdown(&d, "r-pareto.svg");
        assert!(md.contains("![Timeline](r-timeline.svg)"));
        // Event titles are the scenario's own text: escaped in Markdown
        // tables as in every other one (they once went through raw).
        d.timeline.as_mut().unwrap().steps[1].title = "<b>a | claim</b>".into();
        let (md, _) = markdown(&d, "r-pareto.svg");
        assert!(
            md.contains(
                "| claim: &lt;b&gt;a \\| claim&lt;/b&gt; [disputed: claimed by A, denied by B] |"
            ),
            "{md}"
        );
        assert_eq!(timeline_svg_name("odd.svg"), "timeline-odd.svg");
    }

    #[test]
    fn readings_explain_and_near_miss_sections() {
        // Triad: no deal, so near misses and the cheapest relaxations; the
        // account is `accord explain`'s, sentence for sentence.
        let d = triad();
        let h = html(&d);
        assert!(h.contains("<h2>Why, in words</h2>"));
        for step in &d.explain.steps {
            assert!(h.contains(&esc(&step.text)), "{}", step.text);
            assert!(h.contains(&esc(&confidence_words(&step.confidence))));
        }
        assert_eq!(d.explain_text, text_lines(&triad_scenario(), &d.explain));
        let misses = d.analysis.near_misses.len();
        assert!(misses > 0);
        assert!(h.contains("<h2>Near misses</h2>"));
        assert_eq!(
            h.contains("<h2>Cheapest relaxations</h2>"),
            !d.analysis.cheapest_relaxations.is_empty()
        );
        // No readings in the triad: no readings section.
        assert!(!h.contains("<h2>Readings and firmness</h2>"));
        // A red line read two ways, with a firmness: P(deal) counted exactly.
        let d = data(include_str!(
            "../../../accord-server/tests/fixtures/sale-readings.toml"
        ));
        let h = html(&d);
        assert!(h.contains("<h2>Readings and firmness</h2>"));
        assert!(h.contains("the probability that a deal exists is 100.0% (all 3 combinations of readings enumerated)"), "{h}");
        assert!(
            h.contains("<td>tight (40%): price &lt;= 7; strict (40%): price &lt;= 8</td>")
                || h.contains("<td>strict (40%): price &lt;= 8; tight (40%): price &lt;= 7</td>"),
            "{h}"
        );
        let (md, _) = markdown(&d, "r-pareto.svg");
        assert!(md.contains("\n## Readings and firmness\n"));
        assert!(md.contains("\n## Why, in words\n"));
        // The sampled wording says how many samples.
        let mut r = d.readings.clone().unwrap();
        r.exact = false;
        r.samples = Some(4096);
        r.seed = Some(7);
        assert!(readings_lead(&r)
            .contains("estimated from 4096 seeded samples (seed 7) of 3 combinations"));
    }

    fn triad_scenario() -> Scenario {
        accord_formats::parse_scenario(
            accord_formats::bundled::bundled("triad").unwrap().text,
            "t.toml",
            accord_formats::Syntax::Toml,
        )
        .unwrap()
    }

    #[test]
    fn forecast_chart_labels_bare_options() {
        // The triad writes `options = ["none", "un", "eu"]`: the band
        // chart's axis names each option (it once read an `id` key off the
        // bare string and drew empty labels).
        let d = triad();
        assert_eq!(forecast_issues(&d), ["troops", "years"]);
        let troops = &forecast_svgs(&d)[0];
        for (anchor, label) in [("start", "none"), ("middle", "un"), ("end", "eu")] {
            let text = format!("text-anchor=\"{anchor}\" fill=\"#555\">{label}</text>");
            assert!(troops.contains(&text), "{troops}");
        }
    }

    #[test]
    fn markdown_has_a_file_for_every_chart() {
        let d = data(accord_formats::bundled::bundled("sale").unwrap().text);
        let files = chart_files(&d, "r-pareto.svg");
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        // No dated events: one band chart per forecast issue.
        let issues = forecast_svgs(&d).len();
        assert!(issues > 0);
        assert_eq!(names.len(), issues);
        assert!(names
            .iter()
            .all(|n| n.starts_with("r-forecast-") && n.ends_with(".svg")));
        let (md, _) = markdown(&d, "r-pareto.svg");
        for n in &names {
            assert!(md.contains(&format!("]({n})")), "{n}");
        }
        assert!(files.iter().all(|f| f.1.starts_with("<svg")));
    }

    #[test]
    fn markdown_links_the_chart() {
        let d = triad();
        let (md, svg) = markdown(&d, "report-pareto.svg");
        assert!(md.contains("](report-pareto.svg)"));
        assert!(svg.unwrap().starts_with("<svg"));
        // The blockers' rows (the near misses come later, numbered too).
        let md = &md[..md.find("\n## Pareto frontier").unwrap()];
        assert_eq!(
            md.matches("\n| 1 | ").count()
                + md.matches("\n| 2 | ").count()
                + md.matches("\n| 3 | ").count(),
            6
        );
    }

    /// The text of section `title` in an HTML report, up to the next section.
    fn html_section<'a>(h: &'a str, title: &str) -> &'a str {
        let at = h.find(&format!("<h2>{title}</h2>")).expect(title);
        let end = h[at + 4..].find("<h2>").map_or(h.len(), |e| at + 4 + e);
        &h[at..end]
    }

    #[test]
    fn graded_moves_on_the_triad_with_the_analysis_values() {
        // No deal in the triad; 12 graded moves of 3 notches each, as
        // `accord analyze triad` prints them; the report lists the first 10.
        let d = triad();
        let n = d.analysis.notches.as_ref().unwrap();
        assert_eq!((n.fewest, n.moves_total), (Some(3), 12));
        let h = html(&d);
        let s = html_section(&h, "Graded moves");
        assert!(s.contains("<p>The smallest loosenings that open a deal (3 notches, 10 of 12 shown; cheapest first):"), "{s}");
        assert_eq!(s.matches("<tr><td>3</td><td>3.0</td>").count(), 10);
        assert!(s.contains(
            "<tr><td>3</td><td>3.0</td><td>A: troops in [un, eu] → troops &gt;= none; A: years &gt;= 30 → years &gt;= 20; A: zone != withdraw → true</td><td>1</td><td>troops=none, years=20, zone=withdraw</td></tr>"
        ), "{s}");
        // After the cheapest relaxations (when any), before the near misses.
        let at = h.find("<h2>Graded moves</h2>").unwrap();
        assert!(at < h.find("<h2>Near misses</h2>").unwrap());
        assert!(h
            .find("<h2>Cheapest relaxations</h2>")
            .is_none_or(|c| c < at));
        let (md, _) = markdown(&d, "x.svg");
        assert!(md.contains("\n## Graded moves\n\nThe smallest loosenings that open a deal (3 notches, 10 of 12 shown; cheapest first):"));
        assert!(md.contains("| notches | cost | who gives what | ZOPA | Nash solution then |\n|---|---|---|---|---|\n| 3 | 3.0 | A: troops in [un, eu] → troops &gt;= none; A: years &gt;= 30 → years &gt;= 20; A: zone != withdraw → true | 1 | troops=none, years=20, zone=withdraw |\n"), "{md}");
    }

    #[test]
    fn graded_moves_on_the_flagship_say_none_opens_a_deal() {
        // The flagship's red lines have notches, but no loosening of up to
        // three of them opens a deal (`accord analyze` says the same).
        let d = data(
            accord_formats::bundled::bundled("ukraine-2025-12")
                .unwrap()
                .text,
        );
        let n = d.analysis.notches.as_ref().unwrap();
        assert_eq!((n.fewest, n.max_notches, n.moves.len()), (None, 3, 0));
        let h = html(&d);
        let s = html_section(&h, "Graded moves");
        assert!(
            s.starts_with("<h2>Graded moves</h2><p>None of up to 3 notches opens a deal:"),
            "{s}"
        );
        assert!(!s.contains("<table>"));
        let (md, _) = markdown(&d, "x.svg");
        assert!(md.contains("\n## Graded moves\n\nNone of up to 3 notches opens a deal:"));
        // The process's blocking sets hold only when P2 reads "settlement":
        // the readings table says so beside the red lines' readings.
        assert!(md.contains("P2: settlement"), "{md}");
        // The empty section is its heading and lead, one blank line after
        // each, then the next section: no doubled blank line anywhere.
        assert!(
            md.contains("that many steps at most.\n\n## Near misses\n"),
            "{md}"
        );
        assert_one_blank_line(&md);
    }

    /// Blank lines in a Markdown report come one at a time, and the file
    /// ends in one line break.
    fn assert_one_blank_line(md: &str) {
        if let Some(at) = md.find("\n\n\n") {
            panic!(
                "a doubled blank line at byte {at}: {:?}",
                &md[at.saturating_sub(80)..at + 3]
            );
        }
        assert!(md.ends_with(".\n") && !md.starts_with('\n'));
    }

    #[test]
    fn markdown_has_no_doubled_blank_lines() {
        // A deal with solutions and ratifiers (sale), no deal with blockers
        // and graded moves (triad), a deadlocked process (its cycles and
        // waivers in place of the schedule).
        let deadlock = include_str!("../../../accord-server/tests/fixtures/sale-deadlock.toml");
        for text in [
            accord_formats::bundled::bundled("sale").unwrap().text,
            accord_formats::bundled::bundled("triad").unwrap().text,
            deadlock,
        ] {
            let (md, _) = markdown(&data(text), "x.svg");
            assert_one_blank_line(&md);
        }
        // The sale has no milestones: a sentence, as in the HTML report, in
        // place of "Schedule exists: yes" over an empty table.
        let d = data(accord_formats::bundled::bundled("sale").unwrap().text);
        assert_eq!(d.process.milestones, 0);
        let (md, _) = markdown(&d, "x.svg");
        assert!(
            md.contains("\n## Process\n\nThe scenario defines no process milestones.\n\n## "),
            "{md}"
        );
        assert!(!md.contains("| milestone |"));
        // The deadlock's waivers stand in for the schedule, then the next section.
        let (md, _) = markdown(&data(deadlock), "x.svg");
        assert!(md.contains(
            "| delivery → payment | P1 | seller | No delivery before payment |\n\n\
             No schedule exists. Minimal waivers that would unlock one: P1 (seller); P2 (buyer).\n\n\
             ## Why, in words\n"
        ), "{md}");
    }

    #[test]
    fn html_escapes_scenario_text_as_the_charts_do() {
        let text = include_str!("../../../../scenarios/triad.toml").replacen(
            "title = \"",
            "title = \"<script>alert('x')</script> & \\\"q\\\" ",
            1,
        );
        let h = html(&data(&text));
        // The template escapes with `svg::esc`: `'` and `/` stay as they are.
        assert!(
            h.contains("<h1>&lt;script&gt;alert('x')&lt;/script&gt; &amp; &quot;q&quot; "),
            "{}",
            &h[..h.find("</h1>").unwrap_or(0)]
        );
        assert!(!h.contains("<script>"));
    }

    #[test]
    fn markdown_escapes_scenario_text() {
        let text = include_str!("../../../../scenarios/triad.toml").replacen(
            "title = \"",
            "title = \"<script>alert(1)</script> & ",
            1,
        );
        let (md, _) = markdown(&data(&text), "x.svg");
        let first = md.lines().next().unwrap();
        assert!(
            first.starts_with("# &lt;script&gt;alert(1)&lt;/script&gt; &amp; "),
            "{first}"
        );
        assert!(!md.contains("<script>"));
    }
}
