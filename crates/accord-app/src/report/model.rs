//! The report as one section model, built once from the gathered documents
//! and rendered by a template per format (`templates/report.html`,
//! `templates/report.md`). Every string here is plain text: the templates
//! escape it for their format, so the model never holds markup except the
//! SVG charts, which are drawings (`svg.rs`) and are marked safe.

use super::{
    chart_files, chart_parties, exactness, finite, forecast_svgs, kind_name, later_sections,
    level_text, p_deal_svg, pareto_svg, solution_text, solutions, timeline_svg, timeline_svg_name,
    verdict, waivers_text, who, ReportData,
};
use crate::narrative::{confidence_words, provenance, Narrative};
use crate::reports::ProcessDoc;
use serde::Serialize;

/// The whole report: the scenario's heading, the fixed opening sections
/// (positions, deal space, Pareto chart, process), then the later sections
/// in order, and the footer.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The scenario's title.
    pub title: String,
    /// The scenario's id.
    pub id: String,
    /// The scenario's date.
    pub as_of: String,
    /// The scenario's description.
    pub description: String,
    /// Each actor's ideal value per issue.
    pub positions: Positions,
    /// The ZOPA verdict, blockers, relaxations and solutions.
    pub deal: DealSpace,
    /// The Pareto chart of the first two actors, when there are two.
    pub pareto: Option<ParetoChart>,
    /// The process network: schedule, deadlocks, waivers.
    pub process: Process,
    /// The sections after the process, each with a lead, charts and blocks.
    pub sections: Vec<Section>,
    /// The footer's statement of exactness.
    pub exactness: String,
}

/// The positions table: one row per issue, one cell per actor.
#[derive(Debug, Clone, Serialize)]
pub struct Positions {
    /// Actor ids, the columns.
    pub actors: Vec<String>,
    /// One row per issue.
    pub rows: Vec<PositionRow>,
}

/// One issue's positions.
#[derive(Debug, Clone, Serialize)]
pub struct PositionRow {
    /// The issue id.
    pub issue: String,
    /// One cell per actor, in the columns' order; `None` when the actor states no position.
    pub cells: Vec<Option<Position>>,
}

/// One actor's position on one issue.
#[derive(Debug, Clone, Serialize)]
pub struct Position {
    /// The ideal value as the document gives it.
    pub ideal: String,
    /// The salience, two decimals.
    pub weight: String,
    /// The source alone (the Markdown cell).
    pub source: String,
    /// Source, quote and assumption joined by ` · ` (the HTML cell and its tooltip).
    pub sources: String,
}

/// The deal-space section.
#[derive(Debug, Clone, Serialize)]
pub struct DealSpace {
    /// Whether the ZOPA is non-empty.
    pub zopa: bool,
    /// The plain-language verdict.
    pub verdict: String,
    /// One row per constraint of each blocking set.
    pub blockers: Vec<BlockerRow>,
    /// The first 20 relaxations that open a deal.
    pub relaxations: Vec<RelaxationRow>,
    /// The four bargaining solutions, empty when none exists.
    pub solutions: Vec<SolutionRow>,
}

/// One constraint of a blocking set.
#[derive(Debug, Clone, Serialize)]
pub struct BlockerRow {
    /// The blocking set's number, from 1.
    pub block: usize,
    /// Its owner.
    pub actor: String,
    /// Its kind (red line, reservation…).
    pub kind: String,
    /// Its id.
    pub id: String,
    /// Its rule.
    pub rule: String,
    /// Its quote alone (the Markdown cell).
    pub quote: String,
    /// Quote, source and assumption joined by ` · ` (the HTML cell).
    pub sources: String,
}

/// One relaxation that opens a deal.
#[derive(Debug, Clone, Serialize)]
pub struct RelaxationRow {
    /// The constraints dropped, in words.
    pub drop: Vec<String>,
    /// How many deals it opens.
    pub zopa_size: String,
    /// The Nash solution then.
    pub nash: String,
}

/// One bargaining solution.
#[derive(Debug, Clone, Serialize)]
pub struct SolutionRow {
    /// Its name as the analysis document keys it.
    pub rule: String,
    /// Its outcome, `issue=level` pairs.
    pub outcome: String,
}

/// The Pareto chart and its two parties.
#[derive(Debug, Clone, Serialize)]
pub struct ParetoChart {
    /// The party on the x axis.
    pub x: String,
    /// The party on the y axis.
    pub y: String,
    /// The chart (inline in HTML; a file beside the Markdown).
    pub svg: String,
}

/// The process section.
#[derive(Debug, Clone, Serialize)]
pub struct Process {
    /// How many milestones (none: the section says so and stops).
    pub milestones: usize,
    /// Whether a schedule exists.
    pub consistent: bool,
    /// Each deadlock cycle.
    pub deadlocks: Vec<Deadlock>,
    /// The waivers that would unlock a schedule, in words.
    pub waivers: String,
    /// Each milestone's window.
    pub schedule: Vec<ScheduleRow>,
}

/// One deadlock cycle.
#[derive(Debug, Clone, Serialize)]
pub struct Deadlock {
    /// By how many days the cycle overruns.
    pub overrun_days: i64,
    /// Its edges.
    pub edges: Vec<Edge>,
}

/// One precondition edge of a deadlock cycle.
#[derive(Debug, Clone, Serialize)]
pub struct Edge {
    /// The milestone it starts from.
    pub from: String,
    /// The milestone it leads to.
    pub to: String,
    /// The constraint's id.
    pub id: String,
    /// The constraint's label.
    pub label: String,
    /// Who owns it.
    pub owner: String,
    /// Its rule.
    pub rule: String,
    /// Its quote.
    pub quote: String,
}

/// One milestone's window.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleRow {
    /// The milestone.
    pub milestone: String,
    /// Its earliest date, or `—`.
    pub earliest: String,
    /// Its latest date, `open`, or `—`.
    pub latest: String,
}

/// A later section: a title, a lead paragraph, its charts, then its blocks.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// The heading.
    pub title: String,
    /// The lead paragraph.
    pub lead: String,
    /// Whether the charts sit side by side (the forecast bands).
    pub bands: bool,
    /// The section's charts.
    pub charts: Vec<Chart>,
    /// The body.
    pub blocks: Vec<Block>,
}

/// A chart of a later section.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// The drawing (inline in HTML).
    pub svg: String,
    /// Its file beside a Markdown report.
    pub file: String,
    /// Its alternative text in Markdown.
    pub alt: String,
}

/// A piece of a section's body.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A table.
    Table {
        /// Column headings.
        headers: Vec<String>,
        /// Cells, row by row.
        rows: Vec<Vec<String>>,
    },
    /// A sub-heading.
    Heading {
        /// Its text.
        text: String,
    },
    /// The account of `accord explain`.
    Explain(Explain),
}

/// `accord explain`'s account: the headline, then each step.
#[derive(Debug, Clone, Serialize)]
pub struct Explain {
    /// Whether a deal exists (the headline's colour).
    pub deal: bool,
    /// The what-ifs assumed, joined.
    pub assumed: String,
    /// The one-sentence answer.
    pub headline: String,
    /// Each reason.
    pub steps: Vec<ExplainStep>,
}

/// One reason of the account.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainStep {
    /// The reason in words.
    pub text: String,
    /// The constraints it rests on.
    pub links: Vec<ExplainLink>,
    /// The facts that make them clash.
    pub facts: Vec<ExplainLink>,
    /// How far it can be trusted, in words.
    pub confidence: String,
}

/// One constraint or fact behind a reason, and where it comes from.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainLink {
    /// The constraint in words.
    pub text: String,
    /// Its owner, source and grade in words.
    pub provenance: String,
}

impl Block {
    /// A table of string cells.
    pub(super) fn table<const N: usize>(headers: [&str; N], rows: Vec<Vec<String>>) -> Block {
        Block::Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows,
        }
    }
}

impl Explain {
    /// The narrative's account as plain strings.
    pub(super) fn new(n: &Narrative) -> Explain {
        let link = |l: &crate::narrative::Link| ExplainLink {
            text: l.text.clone(),
            provenance: provenance(l),
        };
        Explain {
            deal: n.verdict == "deal",
            assumed: n.assumed.join(", "),
            headline: n.headline.clone(),
            steps: n
                .steps
                .iter()
                .map(|st| ExplainStep {
                    text: st.text.clone(),
                    links: st.links.iter().map(link).collect(),
                    facts: st.facts.iter().map(link).collect(),
                    confidence: confidence_words(&st.confidence),
                })
                .collect(),
        }
    }
}

/// Source-like fields joined by ` · `, the empty ones left out.
fn joined(parts: [String; 3]) -> String {
    parts
        .into_iter()
        .filter(|x| !x.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

impl Report {
    /// The model of `d`; `pareto_name` is the Pareto chart's file beside a
    /// Markdown report, from which the other charts' files are named.
    pub fn build(d: &ReportData, pareto_name: &str) -> Report {
        let sc = &d.show.scenario;
        let meta = &sc.scenario;
        let an = &d.analysis;
        let text = |x: &Option<String>| x.clone().unwrap_or_default();
        let actors: Vec<String> = sc.actors.iter().map(|a| a.id.clone()).collect();
        let rows = sc
            .issues
            .iter()
            .map(|issue| {
                let iid = issue.id.clone();
                let cells = actors
                    .iter()
                    .map(|a| {
                        d.show
                            .positions()
                            .iter()
                            .find(|p| p.actor == *a && p.issue == iid)
                            .map(|p| Position {
                                ideal: level_text(&p.ideal),
                                weight: format!("{:.2}", finite(p.weight)),
                                source: text(&p.source),
                                sources: joined([
                                    text(&p.source),
                                    text(&p.quote),
                                    text(&p.assumption),
                                ]),
                            })
                    })
                    .collect();
                PositionRow { issue: iid, cells }
            })
            .collect();
        let blockers = an
            .blockers
            .iter()
            .enumerate()
            .flat_map(|(i, b)| {
                b.iter().map(move |c| BlockerRow {
                    block: i + 1,
                    actor: c.actor.clone(),
                    kind: kind_name(c.kind).into(),
                    id: c.id.clone(),
                    rule: c.rule.clone(),
                    quote: text(&c.quote),
                    sources: joined([text(&c.quote), text(&c.source), text(&c.assumption)]),
                })
            })
            .collect();
        let relaxations = an
            .relaxations
            .iter()
            .take(20)
            .map(|r| RelaxationRow {
                drop: r.drop.iter().map(who).collect(),
                zopa_size: r.zopa_size.to_string(),
                nash: solution_text(r.nash.as_ref()),
            })
            .collect();
        let named = solutions(&an.solutions);
        let solutions = if named.iter().any(|(_, v)| v.is_some()) {
            named
                .iter()
                .map(|(n, v)| SolutionRow {
                    rule: n.to_string(),
                    outcome: solution_text(*v),
                })
                .collect()
        } else {
            Vec::new()
        };
        Report {
            title: meta.title.clone(),
            id: meta.id.clone(),
            as_of: meta.as_of.clone(),
            description: meta.description.clone(),
            positions: Positions { actors, rows },
            deal: DealSpace {
                zopa: an.zopa.size > 0,
                verdict: verdict(an),
                blockers,
                relaxations,
                solutions,
            },
            pareto: chart_parties(d).map(|(x, y)| ParetoChart {
                svg: pareto_svg(d, &x, &y),
                x,
                y,
            }),
            process: process(&d.process),
            sections: sections(d, pareto_name),
            exactness: exactness(an),
        }
    }
}

/// The process section from `accord process --json`.
fn process(p: &ProcessDoc) -> Process {
    let text = |x: &Option<String>| x.clone().unwrap_or_default();
    let deadlocks = p
        .deadlocks
        .iter()
        .enumerate()
        .map(|(i, cycle)| Deadlock {
            overrun_days: -p.deadlock_days.get(i).copied().unwrap_or(0),
            edges: cycle
                .iter()
                .map(|e| Edge {
                    from: e.from.clone(),
                    to: e.to.clone(),
                    id: e.constraint.id.clone(),
                    label: e.constraint.label.clone(),
                    owner: text(&e.constraint.owner),
                    rule: e.constraint.rule.clone(),
                    quote: text(&e.constraint.quote),
                })
                .collect(),
        })
        .collect();
    let schedule = p
        .schedule
        .iter()
        .map(|(k, w)| {
            let (earliest, latest) = match w {
                None => ("—".to_string(), "—".to_string()),
                Some(w) => (
                    w.earliest.clone(),
                    w.latest.clone().unwrap_or_else(|| "open".into()),
                ),
            };
            ScheduleRow {
                milestone: k.clone(),
                earliest,
                latest,
            }
        })
        .collect();
    Process {
        milestones: p.milestones,
        consistent: p.consistent,
        deadlocks,
        waivers: waivers_text(p),
        schedule,
    }
}

/// The later sections with their charts: the timeline's (events, then
/// P(deal)) and one band chart per forecast issue.
fn sections(d: &ReportData, pareto_name: &str) -> Vec<Section> {
    let files = chart_files(d, pareto_name);
    let timeline_name = timeline_svg_name(pareto_name);
    later_sections(d)
        .into_iter()
        .map(|(title, lead, blocks)| {
            let mut charts = Vec::new();
            let bands = title == "Forecasts";
            if title == "Timeline" {
                if let Some(svg) = timeline_svg(d) {
                    charts.push(Chart {
                        svg,
                        file: timeline_name.clone(),
                        alt: "Timeline".into(),
                    });
                    if let Some(svg) = p_deal_svg(d) {
                        let file = files
                            .iter()
                            .find(|f| f.0.ends_with("-p-deal.svg"))
                            .map_or(String::new(), |f| f.0.clone());
                        charts.push(Chart {
                            svg,
                            file,
                            alt: "Probability of a deal".into(),
                        });
                    }
                }
            } else if bands {
                // The forecast charts are the last files, in the same order.
                let svgs = forecast_svgs(d);
                let named = &files[files.len().saturating_sub(svgs.len())..];
                for (svg, (file, _)) in svgs.into_iter().zip(named) {
                    let alt = format!(
                        "Forecasts: {}",
                        file.rsplit_once("-forecast-")
                            .map_or("", |x| x.1)
                            .trim_end_matches(".svg")
                    );
                    charts.push(Chart {
                        svg,
                        file: file.clone(),
                        alt,
                    });
                }
            }
            Section {
                title: title.into(),
                lead,
                bands,
                charts,
                blocks,
            }
        })
        .collect()
}
