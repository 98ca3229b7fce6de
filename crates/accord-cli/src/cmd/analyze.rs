//! `accord analyze`: is there a deal, and if not, what blocks it and what
//! would open one.

use crate::progress::Bar;
use crate::table::{self, count, u3};
use accord::model::Scenario;
use accord::{Analysis, AnalyzeOptions, ConstraintKind, ConstraintRef, Point};

/// Arguments of `accord analyze`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML or JSON), a bundled name, or - for stdin; default: the flagship.
    pub file: Option<String>,
    /// Print the analysis as JSON (keys documented in the README).
    #[arg(long)]
    pub json: bool,
    /// Also compute the Pareto frontier of the whole feasible space.
    #[arg(long)]
    pub pareto_all: bool,
    /// How many of the best ZOPA outcomes (by Nash product) to list.
    #[arg(long, default_value_t = 5)]
    pub top: usize,
    /// How many rows of long lists (Pareto points, relaxations) to print.
    #[arg(long, default_value_t = 10)]
    pub rows: usize,
    // GENIUS import.
    /// Analyse a GENIUS domain folder (domain + profiles) instead of a scenario file.
    #[arg(long, value_name = "DIR", conflicts_with = "file")]
    pub genius: Option<String>,
    // The search path for large spaces.
    /// How to visit the space: auto (enumerate small spaces, search large ones), enumerate, search.
    #[arg(long, default_value = "auto")]
    pub method: accord::Method,
    /// Most branch-and-bound nodes per question on the search path (default 2·10⁸), or in all on a non-linear GENIUS domain (default 3·10⁷); beyond: certified bounds.
    #[arg(long)]
    pub max_nodes: Option<u64>,
    /// Non-linear GENIUS domains: stop after SECS seconds with certified bounds (the figures then depend on the machine's speed; --max-nodes repeats exactly).
    #[arg(long, value_name = "SECS", value_parser = positive_seconds)]
    pub time_limit: Option<f64>,
    /// Most notches a graded move may take when no deal exists (0: none sought).
    #[arg(long, default_value_t = accord::DEFAULT_MAX_NOTCHES)]
    pub max_notches: u32,
    /// What-ifs applied before the analysis.
    #[command(flatten)]
    pub whatif: crate::whatif::WhatIf,
}

/// The search path's default node budget per question.
const SEARCH_NODES: u64 = 200_000_000;

/// Parses `--time-limit`: a positive, finite number of seconds.
fn positive_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(format!(
            "expected a positive number of seconds, found `{s}`"
        )),
    }
}

/// Runs the command.
pub fn run(a: &Args) -> anyhow::Result<u8> {
    // Non-linear GENIUS domains have their own analysis (box utilities).
    if let Some(dir) = &a.genius {
        a.whatif.refuse("a GENIUS domain")?;
        let budget = super::analyze_nonlinear::Budget {
            max_nodes: a.max_nodes,
            time_limit: a.time_limit,
        };
        if let Some(code) = super::analyze_nonlinear::try_run(dir, a.json, a.rows, budget)? {
            return Ok(code);
        }
    }
    let (sc, assumed) = match &a.genius {
        Some(dir) => (super::import::load_genius(dir)?, Default::default()),
        None => a.whatif.load(a.file.as_deref())?,
    };
    let opts = AnalyzeOptions {
        pareto_all: a.pareto_all,
        top: a.top,
        method: a.method,
        max_nodes: a.max_nodes.unwrap_or(SEARCH_NODES),
        max_notches: a.max_notches,
        ..Default::default()
    };
    let bar = Bar::new();
    // List enough of the ZOPA for the deal-respecting forecasts, then cut
    // `zopa.top` back to what was asked.
    // The readings come from the analysis's own scan.
    let result = accord_app::reports::analyze_with_readings(
        &sc,
        &accord::forecast::acceptable_options(&opts),
        &bar,
    );
    let (mut an, readings) = match result {
        Err(accord::Error::TooLarge(_)) => {
            return Err(crate::BadInput(format!(
                "error: {}",
                accord_app::explain::too_large(&sc, opts.max_outcomes)
            ))
            .into())
        }
        Err(accord::Error::Unsupported(why)) => {
            return Err(crate::BadInput(format!("error: --method search: {why}")).into())
        }
        r => r?,
    };
    // An interrupted search printed as a result would claim what it did not
    // prove: Ctrl-C ends the command with exit code 130 instead.
    if an.search.as_ref().is_some_and(|s| s.cancelled) {
        bar.finish();
        return Err(accord::Error::Cancelled.into());
    }
    bar.finish();
    let set = accord::forecast::acceptable_set(&sc, &an);
    an.zopa.top.truncate(a.top);
    if let Some(i) = an.zopa.implementable.as_mut() {
        i.top.truncate(a.top);
    }
    if a.json {
        let mut doc = accord_app::reports::analyze_view(&sc, &an);
        doc.readings = readings.clone();
        crate::whatif::print_json(&doc, &assumed)?;
    } else {
        crate::whatif::echo(&assumed)?;
        print_human(&sc, &an, a.rows)?;
        if let Some(r) = &readings {
            print_readings(r, a.rows)?;
        }
        if !sc.ratifiers.is_empty() {
            print_ratification(&accord::ratification(&sc, &an))?;
        }
        print_process(&sc, &an)?;
        print_forecasts(&sc, &bar, &an, &opts, &set)?;
        bar.finish();
    }
    Ok(0)
}

/// "Under other readings": the probability of a deal and which blocking
/// sets hold under which readings.
fn print_readings(r: &accord::readings::ReadingsReport, rows: usize) -> anyhow::Result<()> {
    use accord::readings::member_label;
    let how = if r.exact {
        format!("{} combinations, exact", r.combinations)
    } else {
        format!(
            "{} combinations, {} sampled with seed {}",
            r.combinations,
            r.samples.unwrap_or(0),
            r.seed.unwrap_or(0)
        )
    };
    outln!();
    outln!("Under other readings ({how}):");
    for l in &r.red_lines {
        let mut parts: Vec<String> = l
            .readings
            .iter()
            .map(|x| format!("{} `{}` {}", x.name, x.rule, pct(x.probability)))
            .collect();
        if l.firmness < 1.0 {
            parts.push(format!("absent {}", pct(1.0 - l.firmness)));
        }
        outln!("  {} ({}): {}", l.id, l.actor, parts.join("; "));
    }
    for l in &r.preconditions {
        let mut parts: Vec<String> = l
            .readings
            .iter()
            .map(|x| {
                format!(
                    "{} ({} → {}) {}",
                    x.name,
                    x.before,
                    x.then,
                    pct(x.probability)
                )
            })
            .collect();
        if l.firmness < 1.0 {
            parts.push(format!("absent {}", pct(1.0 - l.firmness)));
        }
        outln!(
            "  precondition {} ({}): {}",
            l.id,
            l.owner,
            parts.join("; ")
        );
    }
    let p = match r.p_deal_interval {
        Some([lo, hi]) => format!("{} (95% interval {}–{})", u3(r.p_deal), u3(lo), u3(hi)),
        None => u3(r.p_deal),
    };
    let over = if r.deals_over == "implementable" {
        "an implementable deal"
    } else {
        "a deal"
    };
    outln!("  P({over} exists) = {p}");
    for b in r.blocking_sets.iter().take(rows) {
        let members: Vec<String> = b.members.iter().map(member_label).collect();
        let tag = match b.robust {
            Some(true) => ", robust",
            _ => "",
        };
        let under: Vec<String> = b
            .under
            .iter()
            .chain(&b.under_preconditions)
            .map(|(k, v)| format!("{k} read {}", v.join(" or ")))
            .collect();
        let under = if under.is_empty() {
            String::new()
        } else {
            format!(" — when {}", under.join(", "))
        };
        outln!(
            "  blocks with probability {}{tag}: {}{under}",
            u3(b.probability),
            members.join(" + ")
        );
    }
    if r.blocking_sets.len() > rows {
        outln!(
            "  … {} more blocking sets (--rows)",
            r.blocking_sets.len() - rows
        );
    }
    Ok(())
}

fn pct(p: f64) -> String {
    format!("{:.0}%", p * 100.0)
}

fn who(c: &ConstraintRef) -> String {
    match c.kind {
        ConstraintKind::RedLine => format!("{}'s red line `{}`", c.actor, c.rule),
        ConstraintKind::Reservation => format!("{}'s reservation ({})", c.actor, c.rule),
        ConstraintKind::Ratification => format!("{} for {}", c.rule, c.actor),
        ConstraintKind::Precondition => format!("{}'s precondition {} ({})", c.actor, c.id, c.rule),
        ConstraintKind::Deadline => format!("deadline {} ({})", c.id, c.rule),
    }
}

fn cite(sc: &Scenario, c: &ConstraintRef) -> String {
    let p = accord::model::Provenance {
        source: c.source.clone(),
        quote: c.quote.clone(),
        assumption: c.assumption.clone(),
        entrenchment: None,
    };
    super::show::cite(sc, &p)
}

fn outcome_line(p: &Point) -> String {
    p.outcome
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn utilities_line(p: &Point) -> String {
    p.utilities
        .iter()
        .map(|(k, v)| format!("{k} {}", u3(*v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The plain-language first lines of the report: the verdict (shared with
/// the report, `accord_app::verdict`), then the Nash solution of an open
/// deal, or the blocking sets and the smallest change that opens one.
pub fn summary(an: &Analysis) -> Vec<String> {
    let mut out = accord_app::verdict::verdict_lines(an);
    let open = accord_app::verdict::deal_open(an);
    let unsettled =
        accord_app::verdict::undecided(an) || accord_app::verdict::blockers_unsettled(an);
    if an.feasible == 0 || (!open && unsettled) {
        return out;
    }
    if open {
        if let Some(n) = &an.solutions.nash {
            out.push(format!(
                "The Nash bargaining solution is {} ({}).",
                outcome_line(&n.point),
                utilities_line(&n.point)
            ));
        }
        return out;
    }
    for (i, b) in an.blockers.iter().enumerate().take(8) {
        let parts: Vec<String> = b.iter().map(who).collect();
        out.push(format!("  block {}: {}", i + 1, parts.join(" + ")));
    }
    if let Some(r) = an.relaxations.first() {
        let parts: Vec<String> = r.drop.iter().map(who).collect();
        out.push(format!(
            "The smallest change that opens a deal drops {} constraint{}: {}; it opens {} deal{}.",
            r.drop.len(),
            if r.drop.len() == 1 { "" } else { "s" },
            parts.join(", "),
            count(r.zopa_size as u128),
            if r.zopa_size == 1 { "" } else { "s" }
        ));
        if let Some(n) = &r.nash {
            out.push(format!(
                "Its Nash solution would be {}.",
                outcome_line(&n.point)
            ));
        }
    }
    out
}

fn print_human(sc: &Scenario, an: &Analysis, rows: usize) -> anyhow::Result<()> {
    outln!("{} ({}), as of {}", sc.title, sc.id, sc.as_of);
    for line in summary(an) {
        outln!("{line}");
    }
    // Search path: say how the space was visited and what is unsettled.
    if let Some(r) = &an.search {
        outln!(
            "Searched by branch and bound over issues ({} nodes){}.",
            count(r.nodes as u128),
            if r.cancelled { ", cancelled" } else { "" }
        );
        for b in &r.bounds {
            outln!(
                "  NOT EXACT: {} found {}, true value at most {}",
                b.figure,
                b.found,
                b.upper
            );
        }
    }
    outln!();

    let mut t = table::new(&[
        "actor",
        "reservation",
        "accepts alone",
        "with ratifiers",
        "share of feasible",
    ]);
    for w in &an.win_sets {
        let share = if an.feasible > 0 {
            w.with_ratifiers as f64 / an.feasible as f64
        } else {
            0.0
        };
        t.add_row(vec![
            w.actor.clone(),
            u3(an.disagreement[&w.actor]),
            count(w.alone as u128),
            count(w.with_ratifiers as u128),
            format!("{:.2}%", 100.0 * share),
        ]);
    }
    outln!(
        "Win-sets ({} outcomes, {} feasible, ZOPA {})\n{t}\n",
        count(an.outcomes),
        count(an.feasible as u128),
        count(an.zopa.size as u128)
    );
    if let Some(i) = &an.zopa.implementable {
        let nash = an
            .implementable_solutions
            .as_ref()
            .and_then(|s| s.nash.as_ref())
            .map_or("none".to_string(), |n| outcome_line(&n.point));
        outln!(
            "Implementable (in the ZOPA and its deal-dependent process can run): {} of {} ({} distinct process networks); Nash over them: {nash}\n",
            count(i.size as u128),
            count(an.zopa.size as u128),
            i.networks
        );
    }
    if !an.ratifiers.is_empty() {
        let mut t = table::new(&["ratifier", "for", "would ratify"]);
        for r in &an.ratifiers {
            t.add_row(vec![
                r.ratifier.clone(),
                r.actor.clone(),
                count(r.accepts as u128),
            ]);
        }
        outln!("Ratifiers\n{t}\n");
    }

    let s = &an.solutions;
    let sols = [
        ("Nash", &s.nash),
        ("Kalai-Smorodinsky", &s.kalai_smorodinsky),
        ("utilitarian", &s.utilitarian),
        ("egalitarian", &s.egalitarian),
    ];
    if sols.iter().any(|(_, x)| x.is_some()) {
        let mut header = vec!["issue"];
        header.extend(sols.iter().map(|(n, _)| *n));
        let mut t = table::new(&header);
        for issue in &sc.issues {
            let mut row = vec![issue.id.clone()];
            for (_, x) in &sols {
                row.push(
                    x.as_ref()
                        .map_or("—".into(), |x| x.point.outcome[&issue.id].to_string()),
                );
            }
            t.add_row(row);
        }
        for actor in &sc.actors {
            let mut row = vec![format!("u({})", actor.id)];
            for (_, x) in &sols {
                row.push(
                    x.as_ref()
                        .map_or("—".into(), |x| u3(x.point.utilities[&actor.id])),
                );
            }
            t.add_row(row);
        }
        outln!("Bargaining solutions on the ZOPA (disagreement point = reservation values)\n{t}\n");
        let mut header = vec!["#".to_string(), "outcome".to_string()];
        header.extend(sc.actors.iter().map(|a| format!("u({})", a.id)));
        let mut t = table::new(&header.iter().map(String::as_str).collect::<Vec<_>>());
        for (i, p) in an.pareto.iter().take(rows).enumerate() {
            let mut row = vec![(i + 1).to_string(), outcome_line(&p)];
            row.extend(p.utilities.values().map(|u| u3(*u)));
            t.add_row(row);
        }
        let more = an.pareto.len().saturating_sub(rows);
        outln!(
            "Pareto frontier of the ZOPA: {} outcome{}{}\n{t}\n",
            an.pareto.len(),
            if an.pareto.len() == 1 { "" } else { "s" },
            if more > 0 {
                format!(" (first {rows} shown; --rows or --json for all)")
            } else {
                String::new()
            }
        );
    }

    if !an.blockers.is_empty() {
        let mut t = table::new(&["block", "actor", "constraint", "rule", "source"]);
        for (i, b) in an.blockers.iter().enumerate() {
            for (j, c) in b.iter().enumerate() {
                let kind = match c.kind {
                    ConstraintKind::RedLine => format!("red line {}", c.id),
                    ConstraintKind::Reservation => "reservation".into(),
                    ConstraintKind::Ratification => format!("ratifier {}", c.id),
                    ConstraintKind::Precondition => format!("precondition {}", c.id),
                    ConstraintKind::Deadline => format!("deadline {}", c.id),
                };
                t.add_row(vec![
                    if j == 0 {
                        (i + 1).to_string()
                    } else {
                        String::new()
                    },
                    c.actor.clone(),
                    kind,
                    c.rule.clone(),
                    cite(sc, c),
                ]);
            }
        }
        outln!(
            "Blocking sets: each set of constraints alone leaves no deal{}\n{t}\n",
            if an.blockers_truncated {
                " (list truncated)"
            } else {
                ""
            }
        );
    }
    if !an.relaxations.is_empty() {
        let mut t = table::new(&["drop", "ZOPA", "Nash solution then"]);
        for r in an.relaxations.iter().take(rows) {
            let drop: Vec<String> = r
                .drop
                .iter()
                .map(|c| format!("{}: {}", c.actor, c.rule))
                .collect();
            t.add_row(vec![
                drop.join("\n"),
                count(r.zopa_size as u128),
                r.nash.as_ref().map_or("—".into(), |n| {
                    format!("{}\n{}", outcome_line(&n.point), utilities_line(&n.point))
                }),
            ]);
        }
        let more = an.relaxations.len().saturating_sub(rows);
        outln!(
            "Minimal relaxations: {} way{} to open a deal, smallest first{}\n{t}",
            an.relaxations.len(),
            if an.relaxations.len() == 1 { "" } else { "s" },
            if more > 0 {
                format!(" (first {rows} shown)")
            } else {
                String::new()
            }
        );
    }
    print_costed(an, rows)?;
    Ok(())
}

/// The cheapest relaxations (by entrenchment cost) and the near misses.
fn print_costed(an: &Analysis, rows: usize) -> anyhow::Result<()> {
    if an.relaxations_truncated {
        outln!(
            "(relaxations cut at {}: smallest, then cheapest, kept)\n",
            an.relaxations.len()
        );
    }
    if !an.cheapest_relaxations.is_empty() {
        let mut t = table::new(&["cost", "drop", "ZOPA", "Nash solution then"]);
        for c in &an.cheapest_relaxations {
            let r = &c.relaxation;
            let drop: Vec<String> = r
                .drop
                .iter()
                .map(|c| format!("{}: {}", c.actor, c.rule))
                .collect();
            t.add_row(vec![
                short(c.cost),
                drop.join("\n"),
                count(r.zopa_size as u128),
                r.nash.as_ref().map_or("—".into(), |n| {
                    format!("{}\n{}", outcome_line(&n.point), utilities_line(&n.point))
                }),
            ]);
        }
        outln!("Cheapest relaxations (least total entrenchment cost)\n{t}\n");
    }
    if !an.near_misses.is_empty() {
        let mut t = table::new(&["shortfall", "outcome", "who must give what"]);
        for m in an.near_misses.iter().take(rows) {
            let gives: Vec<String> = m
                .gives
                .iter()
                .map(|g| {
                    let mut parts = g.breaks.clone();
                    if g.below_reservation > 0.0 {
                        parts.push(format!("{} below reservation", short(g.below_reservation)));
                    }
                    format!("{}: {}", g.actor, parts.join(", "))
                })
                .collect();
            t.add_row(vec![
                short(m.shortfall),
                format!("{}\n{}", outcome_line(&m.point), utilities_line(&m.point)),
                gives.join("\n"),
            ]);
        }
        outln!(
            "Near misses: the outcomes closest to a deal (shortfall = utility below reservations + cost of the constraints broken)\n{t}\n"
        );
    }
    if let Some(n) = &an.notches {
        print_notches(n, rows)?;
    }
    Ok(())
}

/// The smallest graded moves (red lines loosened by notches, reservations
/// lowered by their steps) and the deal each opens.
fn print_notches(n: &accord::Notches, rows: usize) -> anyhow::Result<()> {
    let Some(fewest) = n.fewest else {
        outln!(
            "Graded moves: none of up to {} notches opens a deal\n",
            n.max_notches
        );
        return Ok(());
    };
    let mut t = table::new(&[
        "notches",
        "cost",
        "who gives what",
        "ZOPA",
        "Nash solution then",
    ]);
    for m in n.moves.iter().take(rows) {
        let changes: Vec<String> = m
            .changes
            .iter()
            .map(|c| format!("{}: {} → {}", c.actor, c.from, c.to))
            .collect();
        t.add_row(vec![
            m.notches.to_string(),
            short(m.cost),
            changes.join("\n"),
            count(m.zopa_size as u128),
            m.nash.as_ref().map_or("—".into(), |s| {
                format!("{}\n{}", outcome_line(&s.point), utilities_line(&s.point))
            }),
        ]);
    }
    let shown = n.moves.len().min(rows);
    let more = if n.moves_total > shown {
        format!(", {shown} of {} shown", n.moves_total)
    } else {
        String::new()
    };
    outln!(
        "Graded moves: the smallest loosenings that open a deal ({fewest} notch{}{more}; cheapest first)\n{t}\n",
        if fewest == 1 { "" } else { "es" }
    );
    Ok(())
}

fn print_ratification(r: &accord::Ratification) -> anyhow::Result<()> {
    let reference = r.reference.describe();
    let mut t = table::new(&[
        "actor",
        "ratifier",
        "win-set with it alone",
        "with all others",
        "vote on the reference deal",
    ]);
    for a in &r.actors {
        for (i, e) in a.ratifiers.iter().enumerate() {
            let vote = match (e.held, e.margin.as_ref()) {
                (Some(false), _) => "not held (neither accepts nor blocks)".to_string(),
                (_, None) => "—".to_string(),
                (_, Some(m)) => format!(
                    "{} ({:.0}% yes, needs {:.0}%)",
                    if m.margin >= -1e-9 { "passes" } else { "fails" },
                    100.0 * m.yes_share,
                    100.0 * m.quota
                ),
            };
            let decisive = if a.decisive.as_deref() == Some(e.ratifier.as_str()) {
                " (decisive)"
            } else {
                ""
            };
            t.add_row(vec![
                if i == 0 {
                    format!(
                        "{} ({} alone, {} with all)",
                        a.actor,
                        count(a.alone as u128),
                        count(a.with_all as u128)
                    )
                } else {
                    String::new()
                },
                format!("{}{decisive}", e.ratifier),
                count(e.with_only_this as u128),
                count(e.without_this as u128),
                vote,
            ]);
        }
    }
    outln!("\nTwo-level ratification (votes on {reference})\n{t}");
    Ok(())
}

fn print_process(sc: &Scenario, an: &Analysis) -> anyhow::Result<()> {
    if sc.process.milestones.is_empty() {
        return Ok(());
    }
    if let Some((_, index)) = accord::reference_deal(an).filter(|_| sc.process.is_conditional()) {
        return print_reference_process(sc, index);
    }
    let r = accord::process::analyze_process(&sc.process);
    if r.consistent {
        outln!(
            "\nProcess: the {} milestones can be scheduled (`accord process` for dates).",
            sc.process.milestones.len()
        );
        return Ok(());
    }
    outln!(
        "\nProcess: cannot run — {} deadlock{} (`accord process` for waivers):",
        r.deadlocks.len(),
        if r.deadlocks.len() == 1 { "" } else { "s" }
    );
    for d in &r.deadlocks {
        let path: Vec<String> = d
            .edges
            .iter()
            .map(|e| {
                format!(
                    "{} → {} [{} {}: {}]",
                    e.from,
                    e.to,
                    e.constraint.id,
                    e.constraint.owner.as_deref().unwrap_or("—"),
                    e.constraint.rule
                )
            })
            .collect();
        outln!("  {}", path.join("\n  "));
    }
    Ok(())
}

/// The process as it runs for the reference deal: its active steps, the
/// earliest day of each milestone and the critical path, or its deadlocks.
fn print_reference_process(sc: &Scenario, index: u64) -> anyhow::Result<()> {
    let net = accord::process_at(sc, index);
    let r = accord::process::analyze_process(&net);
    outln!(
        "\nProcess of the reference deal: {} of {} milestones and {} of {} preconditions apply.",
        net.milestones.len(),
        sc.process.milestones.len(),
        net.preconditions.len(),
        sc.process.preconditions.len()
    );
    if !r.consistent {
        outln!(
            "  It cannot run: {} deadlock{} (`accord process` for waivers).",
            r.deadlocks.len(),
            if r.deadlocks.len() == 1 { "" } else { "s" }
        );
        return Ok(());
    }
    let day0 = accord_formats::process_toml::parse_iso_date(&sc.as_of);
    for w in &r.schedule {
        let date = day0.map_or(String::new(), |d| {
            let (y, m, dd) = accord::process::civil_from_days(d + w.earliest);
            format!(" ({y:04}-{m:02}-{dd:02})")
        });
        outln!("  {:<24} earliest day {}{date}", w.milestone, w.earliest);
    }
    // Every final milestone shares the latest earliest day; one path says
    // what fixes it.
    if let Some(p) = r.critical_paths.first() {
        let steps: Vec<String> = p.steps.iter().map(|e| e.constraint.id.clone()).collect();
        outln!(
            "  last milestone: {} on day {}; critical path: {}",
            p.milestone,
            p.earliest,
            steps.join(" → ")
        );
    }
    Ok(())
}

/// Runs of the quick uncertainty estimate shown by `analyze`.
const FORECAST_RUNS: usize = 400;

/// Per-issue forecasts of the four models with a 90% band over the
/// scenario's uncertain numbers (a short `accord sensitivity` run).
fn print_forecasts(
    sc: &Scenario,
    bar: &Bar,
    an: &Analysis,
    aopts: &AnalyzeOptions,
    set: &accord::forecast::AcceptableSet,
) -> anyhow::Result<()> {
    use accord::sensitivity::{sensitivity, SensitivityOptions};
    let opts = SensitivityOptions {
        runs: FORECAST_RUNS,
        deal_runs: 0,
        top: 0,
        ..Default::default()
    };
    let r = match sensitivity(sc, &opts, bar) {
        Ok(r) => r,
        // A scenario with nothing the spatial models can forecast.
        Err(accord::Error::Invalid(_)) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let models: Vec<&String> = r.forecasts.keys().collect();
    let Some(first) = r.forecasts.values().next() else {
        return Ok(());
    };
    let mut header = vec!["issue".to_string()];
    header.extend(models.iter().map(|m| m.to_string()));
    let mut t = table::new(&header.iter().map(String::as_str).collect::<Vec<_>>());
    for issue in first.keys() {
        let mut row = vec![issue.clone()];
        // Option issues are forecast on the option positions: show the
        // range as the nearest options.
        let options = sc
            .issues
            .iter()
            .find(|i| &i.id == issue)
            .and_then(|i| match &i.kind {
                accord::model::IssueKind::Options { options, .. } => Some(options),
                accord::model::IssueKind::Numeric { .. } => None,
            });
        let at = |x: f64| match options {
            Some(o) => o[(x.round().max(0.0) as usize).min(o.len() - 1)].id.clone(),
            None => short(x),
        };
        for m in &models {
            let f = &r.forecasts[*m][issue];
            let q = &f.summary.quantiles;
            let (lo, hi) = (at(q.p5), at(q.p95));
            row.push(if lo != hi {
                format!("{} ({lo} to {hi})", f.point_label)
            } else {
                f.point_label.clone()
            });
        }
        t.add_row(row);
    }
    let nd = accord_app::forecast_doc::no_deal(sc, an, aopts, bar)?;
    bar.finish();
    outln!(
        "\nForecasts at the point values, with the 5–95% range over {} Monte Carlo runs of the uncertain inputs\n\
         (`accord sensitivity --json` for distributions and drivers; `accord timeline` for the dated events)\n\
         Every forecast is conditional on a deal. {}\n{t}",
        r.runs_done,
        super::forecast_scenario::no_deal_line(nd.as_ref())
    );
    for line in validation_lines(&models) {
        outln!("{line}");
    }
    print_nearest(sc, set)?;
    if !r.not_forecastable.is_empty() {
        let ids: Vec<&str> = r
            .not_forecastable
            .iter()
            .map(|n| n.issue.as_str())
            .collect();
        outln!(
            "Not forecastable by spatial models (unordered, or decided by one actor): {}",
            ids.join(", ")
        );
    }
    Ok(())
}

/// Each model's DEU III backtest figures, beside its forecasts.
fn validation_lines(models: &[&String]) -> Vec<String> {
    models
        .iter()
        .filter_map(|m| accord::forecast::validation(m))
        .map(|v| format!("  {}: {}", v.model, v.summary()))
        .collect()
}

/// Each model's raw point forecast moved to the nearest acceptable package.
fn print_nearest(sc: &Scenario, set: &accord::forecast::AcceptableSet) -> anyhow::Result<()> {
    use accord::forecast::{run_model, spatial_problem, ModelKind, NeverCancel};
    let sp = spatial_problem(sc)?;
    let Some(p) = &sp.problem else {
        return Ok(());
    };
    let runs: Vec<_> = ModelKind::ALL
        .iter()
        .map(|&k| (k, run_model(k, p, &NeverCancel)))
        .collect();
    let d = accord_app::views::DealForecasts::new(sc, &sp, &runs, set, None);
    if d.acceptable_packages == 0 {
        outln!(
            "No acceptable package: no point forecast above can be signed as it stands \
             (`accord forecast` shows the nearest packages under the smallest relaxation)."
        );
        return Ok(());
    }
    let mut header = vec!["issue".to_string()];
    header.extend(d.nearest.keys().cloned());
    let mut t = table::new(&header.iter().map(String::as_str).collect::<Vec<_>>());
    for issue in &sc.issues {
        let mut row = vec![issue.id.clone()];
        for p in d.nearest.values() {
            row.push(
                p.as_ref()
                    .map_or("—".into(), |p| p.outcome[&issue.id].to_string()),
            );
        }
        t.add_row(row);
    }
    let mut row = vec!["distance".to_string()];
    row.extend(d.nearest.values().map(|p| {
        p.as_ref()
            .map_or("—".into(), |p| format!("{:.3}", p.distance))
    }));
    t.add_row(row);
    outln!(
        "\nNearest acceptable package to each model's point forecast (of {} in the ZOPA{})\n{}{t}",
        count(d.acceptable_packages as u128),
        if d.truncated {
            "; the best 5,000 by Nash product searched"
        } else {
            ""
        },
        super::forecast_scenario::deal_note(&d)
            .lines()
            .filter(|l| !l.starts_with("Each raw"))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    );
    Ok(())
}

fn short(x: f64) -> String {
    if x.abs() >= 1000.0 {
        format!("{:.0}", x)
    } else {
        format!("{:.1}", x)
    }
}
