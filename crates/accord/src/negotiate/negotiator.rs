//! The negotiator interface: what an agent sees and what it may do.

use super::agents::{FrequencyModel, HardLiner, NashSeeker, RandomAgent, TimeBased, TitForTat};
use super::Own;
use std::sync::Arc;

/// What a negotiator knows when it acts.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    /// Relative time in [0, 1] (see the module docs).
    pub time: f64,
    /// Current round (0-based).
    pub round: u32,
    /// The deadline in rounds.
    pub rounds: u32,
}

/// An answer to a standing offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// Accept the standing offer.
    Accept,
    /// Reject it (the party then proposes, under SAOP).
    Reject,
    /// Walk away from the negotiation.
    End,
}

/// A negotiation strategy. Each instance plays one party and sees only its
/// own preferences (the [`Own`] it was built with) and what it observes.
pub trait Negotiator: Send {
    /// A short name for traces and tables.
    fn name(&self) -> String;
    /// The party's own view (the defaults below use it).
    fn own(&self) -> &Own;
    /// Proposes an outcome (levels per issue), or `None` to walk away.
    fn propose(&mut self, ctx: &Context) -> Option<Vec<usize>>;
    /// Answers the standing offer.
    fn respond(&mut self, ctx: &Context, offer: &[usize]) -> Response;
    /// Sees an offer another party made (`from` is its index in the run).
    fn observe(&mut self, _from: usize, _offer: &[usize]) {}
    /// Mediated protocol: whether the party prefers `new` to `current`.
    /// By default: a text within the party's red lines beats one outside
    /// them, then higher utility wins.
    fn prefers(&mut self, _ctx: &Context, new: &[usize], current: &[usize]) -> bool {
        default_prefers(self.own(), new, current)
    }
    /// Mediated protocol: whether the party signs the final text. By
    /// default: when it is acceptable (red lines and reservation).
    fn signs(&mut self, text: &[usize]) -> bool {
        self.own().acceptable(text)
    }
}

/// The built-in negotiators, by name.
#[derive(Debug, Clone, PartialEq)]
pub enum NegotiatorKind {
    /// Faratin time-dependent concession with exponent `e`
    /// (`boulware` e = 0.2, `linear` e = 1, `conceder` e = 2, `time:E`).
    TimeBased(f64),
    /// Relative tit-for-tat: concedes the share of its range the opponent conceded.
    TitForTat,
    /// Offers its best outcome and accepts only that.
    HardLiner,
    /// Random acceptable offers; accepts above a random threshold.
    Random,
    /// Concedes linearly towards the Nash point, computed with a model of
    /// the other parties' preferences (here the true ones: full information).
    NashSeeker,
    /// Learns the opponents' issue weights and values from their offers
    /// (a frequency model) and, at each target, offers what they like most.
    Frequency,
}

impl NegotiatorKind {
    /// Every built-in name, for help texts.
    pub const NAMES: &'static str =
        "boulware, linear, conceder, time:E, tit-for-tat, hardliner, random, nash, frequency";

    /// Parses a negotiator name.
    pub fn parse(s: &str) -> Option<NegotiatorKind> {
        Some(match s {
            "boulware" => NegotiatorKind::TimeBased(0.2),
            "linear" => NegotiatorKind::TimeBased(1.0),
            "conceder" => NegotiatorKind::TimeBased(2.0),
            "tit-for-tat" | "tft" => NegotiatorKind::TitForTat,
            "hardliner" => NegotiatorKind::HardLiner,
            "random" => NegotiatorKind::Random,
            "nash" => NegotiatorKind::NashSeeker,
            "frequency" => NegotiatorKind::Frequency,
            _ => {
                let e: f64 = s.strip_prefix("time:")?.parse().ok()?;
                if !(e > 0.0 && e.is_finite()) {
                    return None;
                }
                NegotiatorKind::TimeBased(e)
            }
        })
    }

    /// The canonical name.
    pub fn name(&self) -> String {
        match self {
            NegotiatorKind::TimeBased(e) if *e == 0.2 => "boulware".into(),
            NegotiatorKind::TimeBased(e) if *e == 1.0 => "linear".into(),
            NegotiatorKind::TimeBased(e) if *e == 2.0 => "conceder".into(),
            NegotiatorKind::TimeBased(e) => format!("time:{e}"),
            NegotiatorKind::TitForTat => "tit-for-tat".into(),
            NegotiatorKind::HardLiner => "hardliner".into(),
            NegotiatorKind::Random => "random".into(),
            NegotiatorKind::NashSeeker => "nash".into(),
            NegotiatorKind::Frequency => "frequency".into(),
        }
    }

    /// Builds an agent for the party `own`; `others` are the other parties'
    /// views, given only to the Nash-seeker (its opponent model).
    pub fn build(&self, own: Arc<Own>, others: Vec<Arc<Own>>, seed: u64) -> Box<dyn Negotiator> {
        match self {
            NegotiatorKind::TimeBased(e) => Box::new(TimeBased::new(own, *e)),
            NegotiatorKind::TitForTat => Box::new(TitForTat::new(own)),
            NegotiatorKind::HardLiner => Box::new(HardLiner::new(own)),
            NegotiatorKind::Random => Box::new(RandomAgent::new(own, seed)),
            NegotiatorKind::NashSeeker => Box::new(NashSeeker::new(own, others)),
            NegotiatorKind::Frequency => Box::new(FrequencyModel::new(own)),
        }
    }
}

/// The default preference test of the mediated protocol.
pub(crate) fn default_prefers(own: &Own, new: &[usize], current: &[usize]) -> bool {
    let (a, b) = (own.within_red_lines(new), own.within_red_lines(current));
    if a != b {
        return a;
    }
    own.utility(new) > own.utility(current) + super::own::EPS
}
