//! Stokman's exchange model: actors trade position shifts across issues
//! they weigh differently.
//!
//! The model follows Stokman & Van Oosten (1994), "The exchange of voting
//! positions", and its use on EU legislation by Arregui, Stokman & Thomson
//! (2004, 2006): a proposal bundles several issues; on each issue the
//! expected outcome is the capability × salience weighted mean of the
//! positions (the compromise); two actors who sit on opposite sides of the
//! expected outcome on two issues, and who care about those issues in
//! different proportions, both gain if each moves towards the other on the
//! issue it cares less about. The formulation here (docs/forecast.md,
//! "Stokman's exchange model"):
//!
//! - `w_ik = c_i s_ik`, `W_k = Σ_i w_ik`, `O_k = Σ_i w_ik x_ik / W_k`.
//! - An exchange (i, j, a, b): i demands on a and supplies on b. It exists
//!   when both take part in a and b, `s_ia s_jb > s_ib s_ja`, and i and j
//!   are on opposite sides of `O_a` and of `O_b`. j moves towards `O_a` on
//!   a, shifting the outcome by `u = w_ja d_ja / W_a` towards i; i moves
//!   towards `O_b` on b, shifting it by `v = w_ib d_ib / W_b` towards j.
//! - Utilities are salience-weighted linear losses, so i gains
//!   `s_ia u − s_ib v` and j gains `s_jb v − s_ja u`. Equal gains fix the
//!   rate `v = u (s_ia + s_ja) / (s_ib + s_jb)`; no one moves past the
//!   expected outcome (`d_ja ≤ |x_ja − O_a|`, `d_ib ≤ |x_ib − O_b|`), which
//!   bounds u. The gain of each is then `u (s_ia s_jb − s_ib s_ja) /
//!   (s_ib + s_jb)`.
//! - Exchanges are realised in order of gain (ties: lower demand issue, supply
//!   issue, actor, partner first), a `share` of each, and an actor's position on an issue
//!   moves at most once per round. After a round the expected outcomes are
//!   recomputed; `rounds` rounds at most, fewer when no exchange is left.
//! - The forecast on each issue is the expected outcome after the last
//!   round.
//!
//! Positions are on 0–100 and saliences on 0–100 as in the rest of the
//! forecasting engine; the model draws nothing at random.

use serde::Serialize;

/// Settings of the exchange model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ExchangeOptions {
    /// Exchange rounds at most (1: the static model, exchanges computed once
    /// from the initial positions).
    pub rounds: usize,
    /// Share of each exchange realised, in [0, 1] (1: the full exchange).
    pub share: f64,
}

impl Default for ExchangeOptions {
    fn default() -> Self {
        ExchangeOptions {
            rounds: 1,
            share: 1.0,
        }
    }
}

/// One realised exchange.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Exchange {
    /// Round (from 1).
    pub round: usize,
    /// The actor that demands on `demand_issue` and supplies on `supply_issue`.
    pub actor: usize,
    /// Its partner (moves on `demand_issue`).
    pub partner: usize,
    /// The issue `actor` cares relatively more about.
    pub demand_issue: usize,
    /// The issue `actor` moves on.
    pub supply_issue: usize,
    /// Utility gain of each of the two (equal by construction).
    pub gain: f64,
    /// Shift of the expected outcome on `demand_issue`, towards `actor`.
    pub shift_demand: f64,
    /// Shift of the expected outcome on `supply_issue`, towards `partner`.
    pub shift_supply: f64,
}

/// The result of the exchange model on one bundle of issues.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExchangeResult {
    /// Forecast per issue: the expected outcome after the exchanges.
    pub outcomes: Vec<f64>,
    /// The compromise (expected outcome) before any exchange.
    pub initial: Vec<f64>,
    /// Positions after the exchanges, `[issue][actor]`.
    pub positions: Vec<Vec<Option<f64>>>,
    /// The exchanges realised, in order.
    pub exchanges: Vec<Exchange>,
}

/// Runs the exchange model. `positions[k][i]` and `saliences[k][i]` are
/// actor i's position and salience on issue k (an actor takes part in an
/// issue when it has both and its weight is positive); `capability[i]` is
/// actor i's capability. An issue nobody takes part in forecasts NaN.
pub fn exchange_model(
    positions: &[Vec<Option<f64>>],
    saliences: &[Vec<Option<f64>>],
    capability: &[f64],
    options: &ExchangeOptions,
) -> ExchangeResult {
    let k = positions.len();
    let n = capability.len();
    let sal = |q: usize, i: usize| saliences[q].get(i).copied().flatten().unwrap_or(0.0);
    let mut pos: Vec<Vec<Option<f64>>> = positions.to_vec();
    let weight = |q: usize, i: usize| capability[i] * sal(q, i);
    let takes_part = |pos: &[Vec<Option<f64>>], q: usize, i: usize| {
        pos[q].get(i).is_some_and(Option::is_some) && weight(q, i) > 0.0
    };
    let outcome = |pos: &[Vec<Option<f64>>], q: usize| -> (f64, f64) {
        let (mut s, mut w) = (0.0, 0.0);
        for (i, &c) in capability.iter().enumerate() {
            if let Some(x) = pos[q].get(i).copied().flatten() {
                let wi = c * sal(q, i);
                if wi > 0.0 {
                    s += wi * x;
                    w += wi;
                }
            }
        }
        (if w > 0.0 { s / w } else { f64::NAN }, w)
    };
    let initial: Vec<f64> = (0..k).map(|q| outcome(&pos, q).0).collect();
    let mut exchanges = Vec::new();
    let share = options.share.clamp(0.0, 1.0);
    for round in 1..=options.rounds {
        let o: Vec<(f64, f64)> = (0..k).map(|q| outcome(&pos, q)).collect();
        // Every feasible exchange of this round, with its full size.
        let mut offers: Vec<Exchange> = Vec::new();
        for a in 0..k {
            for b in 0..k {
                if a == b || o[a].1 <= 0.0 || o[b].1 <= 0.0 {
                    continue;
                }
                for i in 0..n {
                    // (i, j, a, b) and (j, i, b, a) are one exchange.
                    for j in i + 1..n {
                        if !takes_part(&pos, a, i)
                            || !takes_part(&pos, b, i)
                            || !takes_part(&pos, a, j)
                            || !takes_part(&pos, b, j)
                        {
                            continue;
                        }
                        let (sia, sib, sja, sjb) = (sal(a, i), sal(b, i), sal(a, j), sal(b, j));
                        let edge = sia * sjb - sib * sja;
                        if edge <= 0.0 {
                            continue;
                        }
                        let (xia, xja) = (pos[a][i].unwrap_or(0.0), pos[a][j].unwrap_or(0.0));
                        let (xib, xjb) = (pos[b][i].unwrap_or(0.0), pos[b][j].unwrap_or(0.0));
                        let (oa, ob) = (o[a].0, o[b].0);
                        if (xia - oa) * (xja - oa) >= 0.0 || (xib - ob) * (xjb - ob) >= 0.0 {
                            continue;
                        }
                        let rate = (sia + sja) / (sib + sjb);
                        let u_max = weight(a, j) * (xja - oa).abs() / o[a].1;
                        let v_max = weight(b, i) * (xib - ob).abs() / o[b].1;
                        let u = u_max.min(v_max / rate);
                        let gain = u * edge / (sib + sjb);
                        if gain > 1e-12 {
                            offers.push(Exchange {
                                round,
                                actor: i,
                                partner: j,
                                demand_issue: a,
                                supply_issue: b,
                                gain,
                                shift_demand: u,
                                shift_supply: u * rate,
                            });
                        }
                    }
                }
            }
        }
        if offers.is_empty() || share == 0.0 {
            break;
        }
        // Largest gain first; the stable sort keeps the loops' tie order.
        offers.sort_by(|p, q| q.gain.total_cmp(&p.gain));
        let mut moved = vec![vec![false; n]; k];
        let mut any = false;
        for mut e in offers {
            let (i, j, a, b) = (e.actor, e.partner, e.demand_issue, e.supply_issue);
            if moved[a][j] || moved[b][i] {
                continue;
            }
            moved[a][j] = true;
            moved[b][i] = true;
            e.gain *= share;
            e.shift_demand *= share;
            e.shift_supply *= share;
            // Turn outcome shifts back into position moves towards the
            // expected outcome of the round.
            let d_ja = e.shift_demand * o[a].1 / weight(a, j);
            let d_ib = e.shift_supply * o[b].1 / weight(b, i);
            if let Some(x) = pos[a][j].as_mut() {
                *x += d_ja * (o[a].0 - *x).signum();
            }
            if let Some(x) = pos[b][i].as_mut() {
                *x += d_ib * (o[b].0 - *x).signum();
            }
            exchanges.push(e);
            any = true;
        }
        if !any {
            break;
        }
    }
    let outcomes = (0..k).map(|q| outcome(&pos, q).0).collect();
    ExchangeResult {
        outcomes,
        initial,
        positions: pos,
        exchanges,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_actors_trade_across_two_issues_at_equal_gain() {
        // Actor 0 cares about issue 0 (salience 80 vs 20), actor 1 about
        // issue 1 (20 vs 80). Issue 0: actor 0 at 0, actor 1 at 100; issue
        // 1 the other way round. Equal capabilities, W = 100 on both.
        let pos = vec![vec![Some(0.0), Some(100.0)], vec![Some(100.0), Some(0.0)]];
        let sal = vec![vec![Some(80.0), Some(20.0)], vec![Some(20.0), Some(80.0)]];
        let r = exchange_model(&pos, &sal, &[1.0, 1.0], &ExchangeOptions::default());
        // O_0 = (80·0 + 20·100)/100 = 20, O_1 = (20·100 + 80·0)/100 = 20.
        assert_eq!(r.initial, vec![20.0, 20.0]);
        // Exchange (i = 0, j = 1, a = 0, b = 1): edge = 80·80 − 20·20 =
        // 6000, rate = (80 + 20)/(20 + 80) = 1, u ≤ w_ja |x_ja − O_a| / W_a
        // = 20·80/100 = 16 and v ≤ 20·80/100 = 16: u = v = 16, gain =
        // 16·6000/100 = 960.
        assert_eq!(r.exchanges.len(), 1);
        let e = r.exchanges[0];
        assert_eq!(
            (e.actor, e.partner, e.demand_issue, e.supply_issue),
            (0, 1, 0, 1)
        );
        assert!((e.gain - 960.0).abs() < 1e-9, "{e:?}");
        // Actor 1 moves to O_0 = 20 on issue 0, actor 0 to O_1 = 20 on
        // issue 1: both outcomes become (80·0 + 20·20)/100 = 4.
        assert_eq!(r.positions[0][1], Some(20.0));
        assert_eq!(r.positions[1][0], Some(20.0));
        assert!((r.outcomes[0] - 4.0).abs() < 1e-12 && (r.outcomes[1] - 4.0).abs() < 1e-12);
        // Each gains 80·16 − 20·16 = 960 in utility, as the gain says.
        let before = -80.0 * 20.0 - 20.0 * 80.0;
        let after = -80.0 * 4.0 - 20.0 * 96.0;
        assert!(((after - before) - 960.0_f64).abs() < 1e-9);
    }

    #[test]
    fn no_exchange_without_opposite_sides_or_different_priorities() {
        // Same saliences ratio: no edge.
        let pos = vec![vec![Some(0.0), Some(100.0)], vec![Some(100.0), Some(0.0)]];
        let same = vec![vec![Some(50.0), Some(50.0)], vec![Some(50.0), Some(50.0)]];
        let r = exchange_model(&pos, &same, &[1.0, 1.0], &ExchangeOptions::default());
        assert!(r.exchanges.is_empty());
        assert_eq!(r.outcomes, r.initial);
        // A single issue: nothing to trade.
        let one = exchange_model(
            &pos[..1],
            &same[..1],
            &[1.0, 1.0],
            &ExchangeOptions::default(),
        );
        assert!(one.exchanges.is_empty());
        assert_eq!(one.outcomes, vec![50.0]);
        // Share 0: the compromise.
        let sal = vec![vec![Some(80.0), Some(20.0)], vec![Some(20.0), Some(80.0)]];
        let zero = exchange_model(
            &pos,
            &sal,
            &[1.0, 1.0],
            &ExchangeOptions {
                rounds: 3,
                share: 0.0,
            },
        );
        assert_eq!(zero.outcomes, zero.initial);
    }

    #[test]
    fn unequal_priorities_set_the_exchange_rate() {
        // Three actors; actor 2 takes part in neither issue and never
        // trades. Saliences: actor 0 (90, 30), actor 1 (30, 60).
        // rate = (90 + 30)/(30 + 60) = 4/3: for every unit actor 0 wins on
        // issue 0 it concedes 4/3 on issue 1.
        let pos = vec![
            vec![Some(0.0), Some(100.0), None],
            vec![Some(100.0), Some(0.0), None],
        ];
        let sal = vec![
            vec![Some(90.0), Some(30.0), None],
            vec![Some(30.0), Some(60.0), None],
        ];
        let r = exchange_model(&pos, &sal, &[1.0, 1.0, 1.0], &ExchangeOptions::default());
        assert_eq!(r.exchanges.len(), 1);
        let e = r.exchanges[0];
        assert!((e.shift_supply / e.shift_demand - 4.0 / 3.0).abs() < 1e-12);
        // Gains are equal: 90u − 30v = 60v − 30u.
        let (u, v) = (e.shift_demand, e.shift_supply);
        assert!(((90.0 * u - 30.0 * v) - (60.0 * v - 30.0 * u)).abs() < 1e-9);
        assert!(((90.0 * u - 30.0 * v) - e.gain).abs() < 1e-9);
        // O_0 = 30·100/120 = 25, O_1 = 30·100/90 = 33.3: u ≤ 30·75/120 =
        // 18.75, v ≤ 30·66.7/90 = 22.2 → u = 22.2·3/4 = 16.67 binds on v.
        assert!((v - 200.0 / 9.0).abs() < 1e-9, "{v}");
        let moved = r.positions[1][0].unwrap();
        assert!((moved - 100.0 / 3.0).abs() < 1e-9, "{moved}");
    }
}
