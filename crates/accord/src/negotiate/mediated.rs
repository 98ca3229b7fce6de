//! The mediated single-text protocol (Camp David).
//!
//! The mediator starts from a random feasible text. Each round it proposes
//! a one-issue change (a random issue moved to a random other level,
//! redrawn up to [`TRIES`] times until the changed text is feasible), every
//! party says whether it prefers the new text, and the mediator keeps the
//! change under the [`VoteRule`]. After the last round (or when the
//! caller's clock runs out) every party signs or rejects the final text;
//! the first refusal ends the run with [`Status::EndedBy`]. The mediator
//! only ever proposes feasible outcomes inside the issue domains.

use super::negotiator::{Context, Negotiator};
use super::own::Own;
use super::{round_time, run_seed, Action, Clock, Event, Run, Settings, Status, VoteRule};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// Redraws of a change that breaks a feasibility rule before the round passes.
const TRIES: usize = 20;

/// Runs the protocol; `run.utilities` is filled in by the caller.
pub(crate) fn run(agents: &mut [Box<dyn Negotiator>], s: &Settings, clock: &dyn Clock) -> Run {
    // The mediator's stream is keyed past every party's index.
    let mut rng = ChaCha8Rng::seed_from_u64(run_seed(s.seed, u64::MAX));
    let own = &agents[0].own().clone_view();
    let levels = own.levels();
    let mut trace = Vec::new();
    let Some(mut text) = initial_text(own, &levels, &mut rng) else {
        return Run {
            status: Status::Deadline,
            rounds: 0,
            utilities: Vec::new(),
            trace,
        };
    };
    trace.push(Event {
        round: 0,
        party: None,
        action: Action::Offer {
            outcome: text.clone(),
        },
    });
    let movable: Vec<usize> = (0..levels.len()).filter(|&k| levels[k] > 1).collect();
    let mut last = 0;
    for round in 0..s.rounds {
        if clock.used() >= 1.0 || movable.is_empty() {
            break;
        }
        last = round;
        let Some(new) = mutate(own, &text, &levels, &movable, &mut rng) else {
            continue;
        };
        trace.push(Event {
            round,
            party: None,
            action: Action::Offer {
                outcome: new.clone(),
            },
        });
        let ctx = Context {
            time: round_time(round, s.rounds, clock),
            round,
            rounds: s.rounds,
        };
        let mut yes = 0;
        for (p, a) in agents.iter_mut().enumerate() {
            let pref = a.prefers(&ctx, &new, &text);
            yes += pref as usize;
            let action = if pref { Action::Accept } else { Action::Reject };
            trace.push(Event {
                round,
                party: Some(p),
                action,
            });
        }
        let keep = match s.vote {
            VoteRule::Unanimous => yes == agents.len(),
            VoteRule::Majority => 2 * yes > agents.len(),
        };
        if keep {
            text = new;
        }
    }
    for (p, a) in agents.iter_mut().enumerate() {
        // As under SAOP, signing across red lines or below reservation is refused.
        let signs = a.signs(&text) && a.own().acceptable(&text);
        let action = if signs {
            Action::Accept
        } else {
            Action::Reject
        };
        trace.push(Event {
            round: last,
            party: Some(p),
            action,
        });
        if !signs {
            return Run {
                status: Status::EndedBy { party: p },
                rounds: last + 1,
                utilities: Vec::new(),
                trace,
            };
        }
    }
    Run {
        status: Status::Agreement { outcome: text },
        rounds: last + 1,
        utilities: Vec::new(),
        trace,
    }
}

/// A random feasible text: uniform draws, then (for enumerable spaces) the
/// lowest-index feasible outcome.
fn initial_text(own: &Own, levels: &[usize], rng: &mut ChaCha8Rng) -> Option<Vec<usize>> {
    for _ in 0..1000 {
        let x: Vec<usize> = levels.iter().map(|&n| rng.random_range(0..n)).collect();
        if own.feasible(&x) {
            return Some(x);
        }
    }
    if own.space().size() > super::own::ENUMERATE_LIMIT {
        return None;
    }
    own.space().iter().find(|x| own.feasible(x))
}

/// A feasible text differing from `text` on exactly one issue, if found.
fn mutate(
    own: &Own,
    text: &[usize],
    levels: &[usize],
    movable: &[usize],
    rng: &mut ChaCha8Rng,
) -> Option<Vec<usize>> {
    for _ in 0..TRIES {
        let k = movable[rng.random_range(0..movable.len())];
        // A uniform level other than the current one.
        let mut l = rng.random_range(0..levels[k] - 1);
        if l >= text[k] {
            l += 1;
        }
        let mut y = text.to_vec();
        y[k] = l;
        if own.feasible(&y) {
            return Some(y);
        }
    }
    None
}
