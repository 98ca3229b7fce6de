//! `accord analyze --genius DIR` on a non-linear (hyper-rectangle) GENIUS
//! domain: the box branch and bound of `accord::nonlinear`, printed or as
//! the JSON keys that apply (`scenario`, `outcomes`, `exact`, `gap`,
//! `search`, `pareto`, `solutions`).

use crate::progress::Bar;
use crate::BadInput;
use accord::nonlinear::{analyze_boxes, BoxOptions, BoxPoint};
use accord_formats::genius::{is_nonlinear_genius, read_genius_nonlinear};
use std::path::Path;

/// The default node budget on a non-linear domain: about half a minute
/// on a 2-core machine, local search included, and it repeats exactly.
const NONLINEAR_NODES: u64 = 30_000_000;

/// How long the analysis may run.
pub struct Budget {
    /// `--max-nodes` (default [`NONLINEAR_NODES`]).
    pub max_nodes: Option<u64>,
    /// `--time-limit` in seconds.
    pub time_limit: Option<f64>,
}

/// Runs the analysis when `dir` holds non-linear profiles; `None` otherwise
/// (the linear path then reads the folder as before).
pub fn try_run(
    dir: &str,
    json_out: bool,
    rows: usize,
    budget: Budget,
) -> anyhow::Result<Option<u8>> {
    // Not a readable folder of UTF-8 files: the linear path reports why.
    if !Path::new(dir).is_dir() {
        return Ok(None);
    }
    let Ok(files) = accord_app::input::read_genius_files(&[dir.into()]) else {
        return Ok(None);
    };
    if !is_nonlinear_genius(&files) {
        return Ok(None);
    }
    let p = read_genius_nonlinear(&files).map_err(|e| BadInput(e.to_string()))?;
    let bar = Bar::new();
    let a = analyze_boxes(
        &p,
        &BoxOptions {
            max_nodes: budget.max_nodes.unwrap_or(NONLINEAR_NODES),
            time_limit: budget.time_limit.map(std::time::Duration::from_secs_f64),
            ..BoxOptions::default()
        },
        &bar,
    )?;
    bar.finish();
    // Ctrl-C: no result, as on the linear path, rather than partial figures.
    if a.cancelled {
        return Err(accord::Error::Cancelled.into());
    }
    if json_out {
        let doc = accord_app::nonlinear::nonlinear_analyze_view(&p, &a);
        super::print_json(&doc)?;
        return Ok(Some(0));
    }
    let names: Vec<&str> = p.parties.iter().map(|q| q.name.as_str()).collect();
    outln!(
        "{} — non-linear GENIUS domain: {} issues, {} outcomes, parties {}",
        p.name,
        p.issues.len(),
        a.outcomes,
        names.join(", ")
    );
    outln!(
        "branch and bound over boxes: {} nodes{}",
        a.nodes,
        if a.cancelled { ", cancelled" } else { "" }
    );
    match a.gap {
        None => outln!("exact: every figure below is exact"),
        Some(g) => {
            outln!("NOT exact: stopped early; certified gap {g:.6}");
            for b in &a.bounds {
                outln!(
                    "  {}: found {:?}, upper bound {:.6}",
                    b.figure,
                    b.found,
                    b.upper
                );
            }
        }
    }
    let show = |q: &BoxPoint| {
        q.utilities
            .iter()
            .zip(&names)
            .map(|(u, n)| format!("{n} {u:.4}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    outln!(
        "Pareto frontier ({} distinct utility vectors):",
        a.pareto.len()
    );
    for q in a.pareto.iter().take(rows) {
        outln!("  {}  at {:?}", show(q), q.outcome);
    }
    if a.pareto.len() > rows {
        outln!("  … {} more (--rows)", a.pareto.len() - rows);
    }
    for (name, s) in [
        ("Nash", &a.solutions.nash),
        ("Kalai–Smorodinsky", &a.solutions.kalai_smorodinsky),
        ("utilitarian", &a.solutions.utilitarian),
        ("egalitarian", &a.solutions.egalitarian),
    ] {
        match s {
            Some(s) => outln!(
                "{name}: {} (score {:.6}) at {:?}",
                show(&s.point),
                s.score,
                s.point.outcome
            ),
            None => outln!("{name}: none (no outcome clears every reservation)"),
        }
    }
    Ok(Some(0))
}
