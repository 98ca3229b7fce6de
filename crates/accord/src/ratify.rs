//! Two-level ratification (Putnam): how much each ratifier shrinks its
//! actor's win-set, which one is decisive, and how far a reference deal is
//! from each ratifier's threshold.

use crate::model::{Scenario, UtilityTable};
use crate::Analysis;
use serde::Serialize;

/// One bloc's vote on the reference outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlocVote {
    /// Bloc id.
    pub bloc: String,
    /// Its seats.
    pub seats: f64,
    /// Its utility for the reference outcome.
    pub utility: f64,
    /// The utility it needs.
    pub threshold: f64,
    /// Whether its `requires` rule holds (true when it has none).
    pub condition_holds: bool,
    /// Whether it votes yes.
    pub accepts: bool,
    /// Share of its seats that vote yes when it accepts (present only when
    /// the bloc declares one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
}

/// How a ratifier would vote on the reference outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Margin {
    /// Share of seats voting yes.
    pub yes_share: f64,
    /// Share needed.
    pub quota: f64,
    /// `yes_share − quota`: positive passes with room to spare.
    pub margin: f64,
    /// The blocs' votes.
    pub blocs: Vec<BlocVote>,
}

/// One ratifier's effect on its actor's win-set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RatifierEffect {
    /// Ratifier id.
    pub ratifier: String,
    /// Outcomes the actor accepts and this ratifier ratifies.
    pub with_only_this: u64,
    /// Outcomes the actor and all its other ratifiers accept.
    pub without_this: u64,
    /// The vote on the reference outcome, if there is one and the vote is
    /// held there.
    pub margin: Option<Margin>,
    /// Whether the vote is held on the reference outcome (present only for
    /// a ratifier with an `applies` rule and a reference outcome): `false`
    /// means it neither accepts nor blocks, and `margin` is `null`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub held: Option<bool>,
}

/// One actor's two-level win-set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorRatification {
    /// Actor id.
    pub actor: String,
    /// Outcomes within its red lines and reservation.
    pub alone: u64,
    /// … that all its ratifiers accept.
    pub with_all: u64,
    /// Per ratifier.
    pub ratifiers: Vec<RatifierEffect>,
    /// The ratifier whose removal would enlarge the win-set most.
    pub decisive: Option<String>,
}

/// The deal that per-deal outputs (ratification votes, the process
/// schedule) describe; see [`crate::reference_deal`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reference {
    /// The Nash solution over the implementable set (a conditional process).
    ImplementableNash,
    /// The ZOPA's Nash solution.
    Nash,
    /// The Nash solution of the smallest relaxation (the ZOPA is empty).
    Relaxation,
    /// No deal to refer to.
    None,
}

impl Reference {
    /// Every reference's name, as in JSON.
    pub const NAMES: &'static [&'static str] =
        &["implementable_nash", "nash", "relaxation", "none"];

    /// The snake_case name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Reference::ImplementableNash => "implementable_nash",
            Reference::Nash => "nash",
            Reference::Relaxation => "relaxation",
            Reference::None => "none",
        }
    }

    /// How a reader is told which deal the figures describe.
    pub fn describe(self) -> &'static str {
        match self {
            Reference::ImplementableNash => "the Nash solution over the implementable deals",
            Reference::Nash => "the Nash solution",
            Reference::Relaxation => "the smallest relaxation's Nash solution",
            Reference::None => "no reference deal",
        }
    }
}

impl std::fmt::Display for Reference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The two-level picture for every actor with ratifiers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ratification {
    /// Which outcome the margins refer to: `implementable_nash` (the Nash
    /// solution over the implementable set, with a conditional process),
    /// `nash` (the ZOPA's Nash solution), `relaxation` (the Nash solution of
    /// the smallest relaxation) or `none`.
    pub reference: Reference,
    /// Index of that outcome.
    pub reference_index: Option<u64>,
    /// Per actor (actors without ratifiers are left out).
    pub actors: Vec<ActorRatification>,
}

/// Gathers each actor's win-sets with and without each ratifier (counted by
/// the analysis's own scan) and each ratifier's vote on the reference deal
/// of `analysis`.
pub fn ratification(sc: &Scenario, analysis: &Analysis) -> Ratification {
    let (reference, index) = match crate::reference_deal(analysis) {
        Some((name, i)) => (name, Some(i)),
        None => (Reference::None, None),
    };
    let nr = sc.ratifiers.len();
    if nr == 0 {
        return Ratification {
            reference,
            reference_index: index,
            actors: vec![],
        };
    }
    let space = sc.space();
    let levels = index.map(|i| space.decode(i));
    let mut actors = Vec::new();
    for (a, actor) in sc.actors.iter().enumerate() {
        let mine: Vec<usize> = (0..nr).filter(|&k| sc.ratifiers[k].actor == a).collect();
        if mine.is_empty() {
            continue;
        }
        let ws = &analysis.win_sets[a];
        let ratifiers: Vec<RatifierEffect> = mine
            .iter()
            .map(|&k| {
                let r = &sc.ratifiers[k];
                let held = levels.as_ref().map(|l| r.applies_to(&sc.issues, l));
                RatifierEffect {
                    ratifier: r.id.clone(),
                    with_only_this: analysis.ratifiers[k].with_actor,
                    without_this: analysis.ratifiers[k].without_this,
                    margin: levels
                        .as_ref()
                        .filter(|_| held != Some(false))
                        .map(|l| vote(sc, k, l)),
                    held: held.filter(|_| r.applies.is_some()),
                }
            })
            .collect();
        let decisive = ratifiers
            .iter()
            .filter(|r| r.without_this > ws.with_ratifiers)
            .max_by(|x, y| {
                x.without_this
                    .cmp(&y.without_this)
                    .then(y.ratifier.cmp(&x.ratifier))
            })
            .map(|r| r.ratifier.clone());
        actors.push(ActorRatification {
            actor: actor.id.clone(),
            alone: ws.alone,
            with_all: ws.with_ratifiers,
            ratifiers,
            decisive,
        });
    }
    Ratification {
        reference,
        reference_index: index,
        actors,
    }
}

/// How ratifier `k` votes on an outcome.
fn vote(sc: &Scenario, k: usize, levels: &[usize]) -> Margin {
    let r = &sc.ratifiers[k];
    let total: f64 = r.blocs.iter().map(|b| b.seats.value).sum();
    let blocs: Vec<BlocVote> = r
        .blocs
        .iter()
        .map(|b| {
            let table = match &b.own {
                Some(own) => UtilityTable::new(&sc.issues, own),
                None => UtilityTable::of_actor(sc, r.actor),
            };
            let utility = table.utility(levels);
            let condition_holds = b
                .requires
                .as_ref()
                .is_none_or(|e| e.eval(&sc.issues, levels));
            BlocVote {
                bloc: b.id.clone(),
                seats: b.seats.value,
                utility,
                threshold: b.threshold.value,
                condition_holds,
                accepts: condition_holds && utility >= b.threshold.value,
                share: b.share.as_ref().map(|s| s.value),
            }
        })
        .collect();
    let yes: f64 = r
        .blocs
        .iter()
        .zip(&blocs)
        .filter(|(_, v)| v.accepts)
        .map(|(b, _)| b.yes_seats())
        .sum();
    let yes_share = if total > 0.0 { yes / total } else { 0.0 };
    let quota = r.quota_at(&sc.issues, levels);
    Margin {
        yes_share,
        quota,
        margin: yes_share - quota,
        blocs,
    }
}
