//! `accord tournament`: negotiators × scenarios × role swaps × repetitions
//! under bilateral SAOP, with per-negotiator metrics.

use super::simulate::{bad_settings, parse_kinds};
use crate::progress::Bar;
use crate::table::{self, u3};
use crate::BadInput;
use accord::negotiate::{tournament, Settings, Tournament, TournamentEntry, TournamentSettings};
use accord_app::views::{tournament_agreement as agreement, tournament_view};
use std::path::Path;

/// Arguments of `accord tournament`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario files or bundled names (default: the flagship unless --genius is given).
    pub scenarios: Vec<String>,
    /// Add a GENIUS domain folder (repeatable).
    #[arg(long, value_name = "DIR")]
    pub genius: Vec<String>,
    /// Competing negotiators.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "boulware,linear,conceder,tit-for-tat,hardliner,random,nash,frequency"
    )]
    pub negotiators: Vec<String>,
    /// Repetitions of every pairing.
    #[arg(long, default_value_t = 1)]
    pub reps: u32,
    /// Deadline in rounds.
    #[arg(long, default_value_t = 100)]
    pub rounds: u32,
    /// Base seed (run i is seeded from (seed, i)).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Per-round discount factor in (0, 1].
    #[arg(long, default_value_t = 1.0)]
    pub discount: f64,
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also write every run as CSV to FILE.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<String>,
    /// What-ifs applied to every scenario (not to GENIUS domains).
    #[command(flatten)]
    pub whatif: crate::whatif::WhatIf,
}

/// Runs the command.
pub fn run(a: &Args) -> anyhow::Result<u8> {
    let mut entries = Vec::new();
    let mut assumed = Default::default();
    for f in &a.scenarios {
        let scenario;
        (scenario, assumed) = a.whatif.load(Some(f))?;
        entries.push(TournamentEntry {
            name: scenario.id.clone(),
            domain: scenario.into(),
        });
    }
    for dir in &a.genius {
        a.whatif.refuse("a GENIUS domain")?;
        let name = Path::new(dir)
            .file_name()
            .map_or(dir.clone(), |n| n.to_string_lossy().into_owned());
        entries.push(TournamentEntry {
            name,
            domain: super::simulate::load_genius_domain(dir)?,
        });
    }
    if entries.is_empty() {
        let scenario;
        (scenario, assumed) = a.whatif.load(None)?;
        entries.push(TournamentEntry {
            name: scenario.id.clone(),
            domain: scenario.into(),
        });
    }
    let settings = TournamentSettings {
        negotiators: parse_kinds(&a.negotiators)?,
        reps: a.reps,
        run: Settings {
            rounds: a.rounds,
            discount: a.discount,
            seed: a.seed,
            ..Settings::default()
        },
    };
    let bar = Bar::new();
    let result = tournament(&entries, &settings, &bar);
    bar.finish();
    let t = result.map_err(bad_settings)?;
    if let Some(path) = &a.csv {
        std::fs::write(path, to_csv(&entries, &t))
            .map_err(|e| BadInput(format!("error: cannot write `{path}`: {e}")))?;
    }
    if a.json {
        crate::whatif::print_json(&tournament_view(&entries, &t), &assumed)?;
    } else {
        crate::whatif::echo(&assumed)?;
        let text = render_human(&t)?;
        std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes())
            .map_err(crate::OutputError)?;
    }
    Ok(0)
}

/// Quotes a CSV field when it needs it.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn opt(x: Option<f64>) -> String {
    x.map_or(String::new(), |v| format!("{v}"))
}

fn to_csv(entries: &[TournamentEntry], t: &Tournament) -> String {
    let mut out = String::from(
        "index,scenario,negotiator_a,negotiator_b,party_a,party_b,rep,status,rounds,\
         utility_a,utility_b,welfare,pareto_distance,nash_distance,agreement\n",
    );
    for (i, r) in t.runs.iter().enumerate() {
        let deal = agreement(entries, t, i)
            .and_then(|m| serde_json::to_value(m).ok())
            .and_then(|v| v.as_object().cloned())
            .map(|m| {
                m.iter()
                    .map(|(k, v)| {
                        format!("{k}={}", v.as_str().map_or(v.to_string(), str::to_string))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default();
        let row = [
            r.index.to_string(),
            field(&r.scenario),
            field(&r.negotiators[0]),
            field(&r.negotiators[1]),
            field(&r.parties[0]),
            field(&r.parties[1]),
            r.rep.to_string(),
            r.status.clone(),
            r.rounds.to_string(),
            format!("{}", r.utilities[0]),
            format!("{}", r.utilities[1]),
            format!("{}", r.welfare),
            opt(r.pareto_distance),
            opt(r.nash_distance),
            field(&deal),
        ];
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

fn render_human(t: &Tournament) -> Result<String, std::fmt::Error> {
    use std::fmt::Write;
    let mut out = String::new();
    writeln!(out, "{} negotiations.", t.runs.len())?;
    let mut rows: Vec<_> = t.negotiators.iter().collect();
    // Best mean utility first; ties keep the order given.
    rows.sort_by(|a, b| b.1.mean_utility.total_cmp(&a.1.mean_utility));
    let mut tab = table::new(&[
        "negotiator",
        "runs",
        "agreements",
        "mean utility",
        "welfare",
        "to Pareto",
        "to Nash",
        "rounds",
    ]);
    let o = |x: Option<f64>| x.map_or("—".to_string(), u3);
    for (name, a) in rows {
        tab.add_row(vec![
            name.clone(),
            a.runs.to_string(),
            format!("{:.1}%", 100.0 * a.agreement_rate),
            u3(a.mean_utility),
            u3(a.mean_welfare),
            o(a.mean_pareto_distance),
            o(a.mean_nash_distance),
            format!("{:.1}", a.mean_rounds),
        ]);
    }
    writeln!(out, "\n{tab}")?;
    Ok(out)
}
