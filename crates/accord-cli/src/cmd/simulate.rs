//! `accord simulate`: one agent negotiation on a scenario, under SAOP,
//! multilateral SAOP or a mediated single text.

use crate::table::{self, u3};
use crate::{input, BadInput};
use accord::negotiate::{
    simulate_domain, Action, Domain, Mechanism, NegotiatorKind, NoClock, Run, Settings, VoteRule,
};
use accord_app::views::{simulate_status as status_text, simulate_view};
use accord_formats::genius::GeniusOptions;

/// Arguments of `accord simulate`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML or JSON), a bundled name, or - for stdin; default: the flagship.
    pub file: Option<String>,
    /// Negotiate on a GENIUS domain folder (domain + profiles) instead;
    /// non-linear (hyper-rectangle) profiles are negotiated with their box
    /// utilities.
    #[arg(long, value_name = "DIR", conflicts_with = "file")]
    pub genius: Option<String>,
    /// Protocol: saop, multilateral or mediated.
    #[arg(long, default_value = "saop")]
    pub mechanism: Mechanism,
    /// Negotiators, one per party in order (one name plays every party).
    /// Default: boulware,conceder, repeated to fit the parties (three or
    /// four parties: boulware,conceder,boulware[,conceder]).
    #[arg(long, value_delimiter = ',')]
    pub negotiators: Vec<String>,
    /// Parties by actor id (default: the first two actors for saop, all otherwise).
    #[arg(long, value_delimiter = ',')]
    pub parties: Vec<String>,
    /// Deadline in rounds.
    #[arg(long, default_value_t = 100)]
    pub rounds: u32,
    /// Seed for every random choice.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Per-round discount factor in (0, 1].
    #[arg(long, default_value_t = 1.0)]
    pub discount: f64,
    /// Mediated: keep a change on a unanimous or a majority preference.
    #[arg(long, default_value = "unanimous")]
    pub vote: VoteRule,
    /// Include every offer and response.
    #[arg(long)]
    pub trace: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
    /// What-ifs applied before the analysis.
    #[command(flatten)]
    pub whatif: crate::whatif::WhatIf,
}

/// Loads a GENIUS folder to negotiate on: a scenario for linear
/// profiles, a box problem for non-linear ones (bad input is exit code 2).
pub fn load_genius_domain(dir: &str) -> anyhow::Result<Domain> {
    Ok(
        accord_app::input::genius_domain(&[dir.into()], &GeniusOptions::default())
            .map_err(input::bad_input)?,
    )
}

/// Parses a list of negotiator names (exit 2 on an unknown one).
pub fn parse_kinds(names: &[String]) -> anyhow::Result<Vec<NegotiatorKind>> {
    names
        .iter()
        .map(|n| {
            NegotiatorKind::parse(n.trim()).ok_or_else(|| {
                BadInput(format!(
                    "error: unknown negotiator `{n}` (known: {})",
                    NegotiatorKind::NAMES
                ))
                .into()
            })
        })
        .collect()
}

/// The default negotiators for `n` parties: boulware and conceder in turn,
/// so the bilateral default (one hard, one soft bargainer) carries over to
/// the multilateral and mediated protocols, which take one per party.
pub fn default_kinds(n: usize) -> Vec<NegotiatorKind> {
    ["boulware", "conceder"]
        .iter()
        .cycle()
        .take(n)
        .map(|k| NegotiatorKind::parse(k).expect("a built-in name"))
        .collect()
}

/// Turns an engine settings error into exit code 2.
pub fn bad_settings(e: accord::Error) -> anyhow::Error {
    match e {
        accord::Error::Invalid(m) => BadInput(format!("error: {m}")).into(),
        e => e.into(),
    }
}

/// Runs the command.
pub fn run(a: &Args) -> anyhow::Result<u8> {
    let (domain, assumed) = match &a.genius {
        Some(dir) => {
            a.whatif.refuse("a GENIUS domain")?;
            (load_genius_domain(dir)?, Default::default())
        }
        None => {
            let (sc, assumed) = a.whatif.load(a.file.as_deref())?;
            (Domain::Scenario(sc), assumed)
        }
    };
    let all_ids = domain.party_ids();
    let (mechanism, vote) = (a.mechanism, a.vote);
    let parties: Vec<usize> = if a.parties.is_empty() {
        let n = if mechanism == Mechanism::Saop {
            2
        } else {
            all_ids.len()
        };
        if all_ids.len() < n {
            return Err(
                BadInput("error: bilateral SAOP needs a scenario with two actors".into()).into(),
            );
        }
        (0..n).collect()
    } else {
        a.parties
            .iter()
            .map(|p| {
                domain.party_index(p.trim()).ok_or_else(|| {
                    BadInput(format!(
                        "error: no actor `{p}` (actors: {})",
                        all_ids.join(", ")
                    ))
                })
            })
            .collect::<Result<_, _>>()?
    };
    let mut kinds = if a.negotiators.is_empty() {
        default_kinds(parties.len())
    } else {
        parse_kinds(&a.negotiators)?
    };
    if kinds.len() == 1 {
        kinds = vec![kinds[0].clone(); parties.len()];
    }
    if kinds.len() != parties.len() {
        return Err(BadInput(format!(
            "error: {} negotiators for {} parties (give one per party, or one for all)",
            kinds.len(),
            parties.len()
        ))
        .into());
    }
    let settings = Settings {
        rounds: a.rounds,
        discount: a.discount,
        seed: a.seed,
        vote,
    };
    let run = simulate_domain(&domain, mechanism, &parties, &kinds, &settings, &NoClock)
        .map_err(bad_settings)?;
    let party_ids: Vec<&str> = parties.iter().map(|&p| all_ids[p]).collect();
    if a.json {
        crate::whatif::print_json(&simulate_view(&domain, &run, &party_ids, a.trace), &assumed)?;
    } else {
        crate::whatif::echo(&assumed)?;
        let text = render_human(&domain, &run, &parties, &party_ids, &kinds, a.trace)?;
        std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes())
            .map_err(crate::OutputError)?;
    }
    Ok(0)
}

fn outcome_line(d: &Domain, x: &[usize]) -> String {
    d.outcome_values(x)
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn render_human(
    d: &Domain,
    run: &Run,
    parties: &[usize],
    party_ids: &[&str],
    kinds: &[NegotiatorKind],
    trace: bool,
) -> Result<String, std::fmt::Error> {
    use std::fmt::Write;
    let mut out = String::new();
    let (status, by) = status_text(run, party_ids);
    match (run.agreement(), by) {
        (Some(x), _) => writeln!(
            out,
            "Agreement after {} rounds: {}",
            run.rounds,
            outcome_line(d, x)
        ),
        (None, Some(p)) => writeln!(
            out,
            "No agreement: {p} ended the negotiation in round {}.",
            run.rounds
        ),
        (None, None) => writeln!(out, "No agreement ({status}) after {} rounds.", run.rounds),
    }?;
    let mut t = table::new(&["party", "negotiator", "utility", "reservation"]);
    for (i, p) in party_ids.iter().enumerate() {
        let res = d.reservation(parties[i]);
        t.add_row(vec![
            p.to_string(),
            kinds[i].name(),
            u3(run.utilities[i]),
            u3(res),
        ]);
    }
    writeln!(out, "\n{t}")?;
    if trace {
        let mut t = table::new(&["round", "party", "action", "outcome"]);
        for e in &run.trace {
            let party = e
                .party
                .map_or("mediator".to_string(), |p| party_ids[p].to_string());
            let (action, outcome) = match &e.action {
                Action::Offer { outcome } => ("offer", outcome_line(d, outcome)),
                Action::Accept => ("accept", String::new()),
                Action::Reject => ("reject", String::new()),
                Action::End => ("end", String::new()),
            };
            t.add_row(vec![e.round.to_string(), party, action.into(), outcome]);
        }
        writeln!(out, "\n{t}")?;
    }
    Ok(out)
}
