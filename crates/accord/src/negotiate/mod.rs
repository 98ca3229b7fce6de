//! Agent negotiation: mechanisms, negotiators and tournaments.
//!
//! A [`Mechanism`] runs [`Negotiator`]s over a [`Scenario`]:
//!
//! * **SAOP** (stacked alternating offers): parties take turns; each either
//!   accepts the standing offer, rejects it with a counter-offer, or ends the
//!   negotiation. The bilateral protocol is the two-party case of the
//!   **multilateral** one, where the standing offer passes around every
//!   party and closes when all accept it.
//! * **Mediated single text** (Camp David): a mediator holds one full text,
//!   proposes a one-issue change each round, keeps it when the parties
//!   prefer it (unanimously or by majority), and at the deadline each party
//!   accepts or rejects the final text against its reservation value.
//!
//! Each run ends with a [`Status`] — a value, not an error — and a trace of
//! every offer and response. The mechanism enforces the rules an agent
//! cannot be trusted with: an offer outside the issue domains or breaking a
//! feasibility constraint counts as the offering party walking away, and an
//! acceptance of an outcome below the party's reservation or across its red
//! lines is turned into a rejection (built-in agents never do either).
//!
//! Rounds: in round `r` (0-based) of a deadline of `N` rounds every party
//! gets one turn, and the relative time negotiators see is `t = r/(N−1)`,
//! so a time-based agent reaches its reservation value on the last round.
//! A caller may also pass a [`Clock`] (the engine has no clock of its own):
//! `t` is then the larger of the round fraction and the clock's fraction,
//! and the run stops with [`Status::Deadline`] once the clock reaches 1.
//!
//! Ratifiers are not consulted: an agreement is one the parties at the
//! table accept; `accord analyze` answers whether it would be ratified.
//!
//! # Example
//!
//! ```
//! use accord::negotiate::{simulate, Mechanism, NegotiatorKind, NoClock, Settings, Status};
//! # use accord::model::*;
//! # let issue = Issue { id: "price".into(), name: "Price".into(),
//! #     kind: IssueKind::Numeric { min: 0.0, max: 10.0, step: 1.0, unit: "".into() } };
//! # let pref = |v: ValueFn| Preference { reservation: Param::new(0.2), issues: vec![
//! #     IssuePref { weight: Param::new(1.0), value: v, stance: None, provenance: Provenance::default() }] };
//! # let actor = |id: &str| Actor { id: id.into(), name: id.into(), power: Param::new(1.0) };
//! # let sc = Scenario { id: "sale".into(), actors: vec![actor("seller"), actor("buyer")],
//! #     issues: vec![issue], preferences: vec![pref(ValueFn::Rising), pref(ValueFn::Falling)],
//! #     ..Default::default() };
//! // Seller u = price/10, buyer u = (10 − price)/10, both walking away below
//! // 0.2. Two linear conceders with a 4-round deadline aim at 1 − 0.8t:
//! // the seller asks 10, then 8, then 5 (t = 2/3, target 0.467), which the
//! // buyer, at the same target, accepts in round 2.
//! let linear = NegotiatorKind::parse("linear").unwrap();
//! let settings = Settings { rounds: 4, ..Settings::default() };
//! let run = simulate(&sc, Mechanism::Saop, &[0, 1], &[linear.clone(), linear], &settings, &NoClock)?;
//! assert_eq!(run.status, Status::Agreement { outcome: vec![5] });
//! assert_eq!(run.rounds, 3);
//! assert_eq!(run.utilities, vec![0.5, 0.5]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod agents;
mod domain;
mod mediated;
mod negotiator;
mod own;
mod saop;
mod tournament;

pub use agents::{FrequencyModel, HardLiner, NashSeeker, RandomAgent, TimeBased, TitForTat};
pub use domain::Domain;
pub use negotiator::{Context, Negotiator, NegotiatorKind, Response};
pub use own::{Own, ENUMERATE_LIMIT};
pub use tournament::{
    tournament, Aggregate, RunRecord, Tournament, TournamentEntry, TournamentSettings,
};

use crate::model::{Scenario, Value};
use indexmap::IndexMap;
use serde::Serialize;
use std::sync::Arc;

/// Which protocol runs the negotiation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mechanism {
    /// Bilateral stacked alternating offers.
    Saop,
    /// Stacked alternating offers among all parties.
    Multilateral,
    /// A mediator's single negotiating text.
    Mediated,
}

/// How the mediator decides whether to keep a proposed change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VoteRule {
    /// Every party must prefer the new text.
    Unanimous,
    /// More than half of the parties must prefer it.
    Majority,
}

/// Settings of one negotiation, validated by [`Settings::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The deadline in rounds (at least 1).
    pub rounds: u32,
    /// Per-round discount factor in (0, 1]: an agreement in round `r` is
    /// worth `δ^r` of its utility (reported utilities only).
    pub discount: f64,
    /// Seed for every random choice of the run (agents and mediator).
    pub seed: u64,
    /// The mediator's rule for keeping a change (mediated mechanism only).
    pub vote: VoteRule,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            rounds: 100,
            discount: 1.0,
            seed: 0,
            vote: VoteRule::Unanimous,
        }
    }
}

impl Settings {
    /// Rejects settings no run can use.
    pub fn check(&self) -> Result<(), crate::Error> {
        if self.rounds == 0 {
            return Err(crate::Error::Invalid("rounds must be at least 1".into()));
        }
        if !(self.discount > 0.0 && self.discount <= 1.0) {
            return Err(crate::Error::Invalid(format!(
                "discount {} is outside (0, 1]",
                self.discount
            )));
        }
        Ok(())
    }
}

/// A wall-clock (or any) budget supplied by the caller.
pub trait Clock {
    /// Fraction of the time budget used so far, in [0, 1].
    fn used(&self) -> f64;
}

/// A clock that never advances: the deadline is in rounds only.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoClock;

impl Clock for NoClock {
    fn used(&self) -> f64 {
        0.0
    }
}

/// How a negotiation ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Status {
    /// Every party accepted this outcome (levels per issue).
    Agreement {
        /// The agreed levels, one per issue.
        outcome: Vec<usize>,
    },
    /// The deadline passed without agreement.
    Deadline,
    /// A party walked away (or, mediated, rejected the final text).
    EndedBy {
        /// Index of the party in the run's party list.
        party: usize,
    },
}

/// What a party did at one step.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "action")]
pub enum Action {
    /// Proposed an outcome (the mediator's proposals have party `None`).
    Offer {
        /// Levels per issue.
        outcome: Vec<usize>,
    },
    /// Accepted the standing offer or text.
    Accept,
    /// Rejected it.
    Reject,
    /// Ended the negotiation.
    End,
}

/// One step of a trace.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Round (0-based).
    pub round: u32,
    /// Index of the acting party in the run's party list; `None` for the mediator.
    pub party: Option<usize>,
    /// What it did.
    pub action: Action,
}

/// The result of one negotiation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    /// How it ended.
    pub status: Status,
    /// Rounds used (the round of the last event, plus one).
    pub rounds: u32,
    /// Per party (in run order): utility of the agreement, discounted, or
    /// its reservation value without agreement.
    pub utilities: Vec<f64>,
    /// Every offer and response.
    pub trace: Vec<Event>,
}

impl Run {
    /// The agreed outcome, if any.
    pub fn agreement(&self) -> Option<&[usize]> {
        match &self.status {
            Status::Agreement { outcome } => Some(outcome),
            _ => None,
        }
    }
}

/// The agreed outcome as issue id → value, in issue order.
pub fn outcome_values(sc: &Scenario, levels: &[usize]) -> IndexMap<String, Value> {
    sc.issues
        .iter()
        .zip(levels)
        .map(|(i, &l)| (i.id.clone(), i.value(l)))
        .collect()
}

/// Runs one negotiation among `parties` (actor indices), each played by the
/// negotiator of the same position in `kinds`.
pub fn simulate(
    sc: &Scenario,
    mechanism: Mechanism,
    parties: &[usize],
    kinds: &[NegotiatorKind],
    settings: &Settings,
    clock: &dyn Clock,
) -> Result<Run, crate::Error> {
    sc.check()?;
    settings.check()?;
    check_parties(parties, sc.actors.len())?;
    let owns: Vec<Arc<Own>> = parties.iter().map(|&a| Arc::new(Own::new(sc, a))).collect();
    simulate_with(mechanism, &owns, kinds, settings, clock)
}

/// As [`simulate`], on any [`Domain`]: a scenario, or a non-linear GENIUS
/// problem whose parties bargain over levels (value − lowest value) with
/// their box utilities.
pub fn simulate_domain(
    domain: &Domain,
    mechanism: Mechanism,
    parties: &[usize],
    kinds: &[NegotiatorKind],
    settings: &Settings,
    clock: &dyn Clock,
) -> Result<Run, crate::Error> {
    domain.check()?;
    settings.check()?;
    check_parties(parties, domain.party_ids().len())?;
    let owns: Vec<Arc<Own>> = parties.iter().map(|&a| Arc::new(domain.own(a))).collect();
    simulate_with(mechanism, &owns, kinds, settings, clock)
}

/// Refuses a party index the domain does not have.
fn check_parties(parties: &[usize], n: usize) -> Result<(), crate::Error> {
    match parties.iter().find(|&&p| p >= n) {
        Some(p) => Err(crate::Error::Invalid(format!(
            "party {p} does not exist ({n} parties)"
        ))),
        None => Ok(()),
    }
}

/// As [`simulate`], with the parties' views already built (tournaments
/// share them across runs so candidate lists are built once).
pub(crate) fn simulate_with(
    mechanism: Mechanism,
    owns: &[Arc<Own>],
    kinds: &[NegotiatorKind],
    settings: &Settings,
    clock: &dyn Clock,
) -> Result<Run, crate::Error> {
    let n = owns.len();
    if kinds.len() != n {
        return Err(crate::Error::Invalid(format!(
            "{} negotiators for {} parties",
            kinds.len(),
            n
        )));
    }
    for (i, o) in owns.iter().enumerate() {
        if owns[..i].iter().any(|p| p.actor() == o.actor()) {
            return Err(crate::Error::Invalid("a party is listed twice".into()));
        }
    }
    let mut agents: Vec<Box<dyn Negotiator>> = Vec::with_capacity(n);
    for (i, k) in kinds.iter().enumerate() {
        let others: Vec<Arc<Own>> = (0..n)
            .filter(|&j| j != i)
            .map(|j| owns[j].clone())
            .collect();
        agents.push(k.build(owns[i].clone(), others, run_seed(settings.seed, i as u64)));
    }
    negotiate(mechanism, &mut agents, settings, clock)
}

/// Runs one negotiation among user-supplied agents (party `i` is
/// `agents[i]`, whose [`Negotiator::own`] view gives its preferences).
pub fn negotiate(
    mechanism: Mechanism,
    agents: &mut [Box<dyn Negotiator>],
    settings: &Settings,
    clock: &dyn Clock,
) -> Result<Run, crate::Error> {
    settings.check()?;
    if agents.is_empty() || (mechanism == Mechanism::Saop && agents.len() != 2) {
        return Err(crate::Error::Invalid(
            "bilateral SAOP needs exactly two parties, the others at least one".into(),
        ));
    }
    let mut run = match mechanism {
        Mechanism::Saop | Mechanism::Multilateral => saop::run(agents, settings, clock),
        Mechanism::Mediated => mediated::run(agents, settings, clock),
    };
    let factor = settings.discount.powi(run.rounds.saturating_sub(1) as i32);
    run.utilities = agents
        .iter()
        .map(|a| match run.agreement() {
            Some(x) => a.own().utility(x) * factor,
            None => a.own().reservation(),
        })
        .collect();
    Ok(run)
}

/// A seed derived from a base seed and an index (SplitMix64 finaliser), so
/// that run `i` gets the same stream whatever order runs are scheduled in.
pub fn run_seed(seed: u64, index: u64) -> u64 {
    let mut z = seed ^ index.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Relative time of a round: `r/(N−1)`, and 1 when there is one round.
pub(crate) fn round_time(round: u32, rounds: u32, clock: &dyn Clock) -> f64 {
    let t = if rounds <= 1 {
        1.0
    } else {
        round as f64 / (rounds - 1) as f64
    };
    t.max(clock.used()).clamp(0.0, 1.0)
}
