//! Stacked alternating offers, bilateral and multilateral.
//!
//! Parties act in turn, party 0 first. On its turn a party facing a
//! standing offer made by someone else accepts it, rejects it and proposes
//! its own (which becomes the standing offer, accepted so far by its
//! proposer only), or ends the negotiation. The offer closes when every
//! party has accepted it. Every offer is shown to every other party
//! ([`Negotiator::observe`]) before the next turn.

use super::negotiator::{Context, Negotiator, Response};
use super::{round_time, Action, Clock, Event, Run, Settings, Status};

/// Runs the protocol; `run.utilities` is filled in by the caller.
pub(crate) fn run(agents: &mut [Box<dyn Negotiator>], s: &Settings, clock: &dyn Clock) -> Run {
    let n = agents.len();
    let mut trace = Vec::new();
    // The standing offer, who made it, and who has accepted it.
    let mut standing: Option<(Vec<usize>, Vec<bool>)> = None;
    let done = |trace: Vec<Event>, status: Status, round: u32| Run {
        status,
        rounds: round + 1,
        utilities: Vec::new(),
        trace,
    };
    for round in 0..s.rounds {
        for p in 0..n {
            if clock.used() >= 1.0 {
                return done(trace, Status::Deadline, round);
            }
            let ctx = Context {
                time: round_time(round, s.rounds, clock),
                round,
                rounds: s.rounds,
            };
            if let Some((offer, accepted)) = standing.as_mut() {
                let mut answer = agents[p].respond(&ctx, offer);
                // The mechanism, not the agent, guarantees red lines and
                // reservation values are never accepted across.
                if answer == Response::Accept && !agents[p].own().acceptable(offer) {
                    answer = Response::Reject;
                }
                match answer {
                    Response::Accept => {
                        trace.push(Event {
                            round,
                            party: Some(p),
                            action: Action::Accept,
                        });
                        accepted[p] = true;
                        if accepted.iter().all(|&a| a) {
                            let outcome = offer.clone();
                            return done(trace, Status::Agreement { outcome }, round);
                        }
                        continue;
                    }
                    Response::End => {
                        trace.push(Event {
                            round,
                            party: Some(p),
                            action: Action::End,
                        });
                        return done(trace, Status::EndedBy { party: p }, round);
                    }
                    Response::Reject => {
                        trace.push(Event {
                            round,
                            party: Some(p),
                            action: Action::Reject,
                        });
                    }
                }
            }
            let offer = match agents[p].propose(&ctx) {
                Some(x) if agents[p].own().feasible(&x) => x,
                // Nothing to offer, or an offer outside the domains or the
                // feasibility rules: the party leaves the table.
                _ => {
                    trace.push(Event {
                        round,
                        party: Some(p),
                        action: Action::End,
                    });
                    return done(trace, Status::EndedBy { party: p }, round);
                }
            };
            trace.push(Event {
                round,
                party: Some(p),
                action: Action::Offer {
                    outcome: offer.clone(),
                },
            });
            for (q, a) in agents.iter_mut().enumerate() {
                if q != p {
                    a.observe(p, &offer);
                }
            }
            let mut accepted = vec![false; n];
            accepted[p] = true;
            standing = Some((offer, accepted));
        }
    }
    done(trace, Status::Deadline, s.rounds.saturating_sub(1))
}
