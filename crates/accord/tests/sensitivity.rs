//! Scenario → spatial problem mapping and Monte Carlo sensitivity:
//! hand-built cases, analytic expectations, determinism.

use accord::forecast::{run_model, spatial_problem, ModelKind, NeverCancel};
use accord::model::*;
use accord::sensitivity::{sensitivity, spearman, SensitivityOptions};
use accord::NoProgress;

fn actor(id: &str, power: f64) -> Actor {
    Actor {
        id: id.into(),
        name: id.into(),
        power: Param::new(power),
    }
}

fn pref(weight: f64, value: ValueFn) -> IssuePref {
    IssuePref {
        weight: Param::new(weight),
        value,
        stance: None,
        provenance: Provenance::default(),
    }
}

fn options(ids: &[&str], ordered: bool) -> IssueKind {
    IssueKind::Options {
        options: ids
            .iter()
            .map(|id| OptionDef {
                id: id.to_string(),
                label: id.to_uppercase(),
            })
            .collect(),
        ordered,
    }
}

fn scenario(actors: Vec<Actor>, issues: Vec<Issue>, prefs: Vec<Vec<IssuePref>>) -> Scenario {
    Scenario {
        id: "t".into(),
        actors,
        issues,
        preferences: prefs
            .into_iter()
            .map(|issues| Preference {
                reservation: Param::new(0.0),
                issues,
            })
            .collect(),
        ..Default::default()
    }
}

fn issue(id: &str, kind: IssueKind) -> Issue {
    Issue {
        id: id.into(),
        name: id.into(),
        kind,
    }
}

/// Three actors; a numeric issue 20..=120 step 10, an ordered 3-option
/// issue and an unordered one.
fn hand_built() -> Scenario {
    let issues = vec![
        issue(
            "price",
            IssueKind::Numeric {
                min: 20.0,
                max: 120.0,
                step: 10.0,
                unit: "EUR".into(),
            },
        ),
        issue("level", options(&["low", "mid", "high"], true)),
        issue("venue", options(&["geneva", "oslo"], false)),
    ];
    let peak = |ideal: f64| ValueFn::Peak {
        ideal: Param::new(ideal),
        tolerance: Param::new(50.0),
    };
    let table = |v: &[f64]| ValueFn::Table { values: v.to_vec() };
    scenario(
        vec![actor("A", 1.0), actor("B", 2.0), actor("C", 3.0)],
        issues,
        vec![
            // A: price up (ideal 120 → 100), level mid (→ 50).
            vec![
                pref(0.5, ValueFn::Rising),
                pref(0.3, table(&[0.2, 1.0, 0.5])),
                pref(0.2, table(&[1.0, 0.0])),
            ],
            // B: price down (20 → 0), level high (→ 100).
            vec![
                pref(0.6, ValueFn::Falling),
                pref(0.4, ValueFn::Rising),
                pref(0.0, table(&[0.0, 1.0])),
            ],
            // C: price peak at 70 (→ 50), level low (→ 0).
            vec![
                pref(0.1, peak(70.0)),
                pref(0.7, ValueFn::Falling),
                pref(0.2, table(&[0.0, 1.0])),
            ],
        ],
    )
}

#[test]
fn mapping_by_hand() {
    let sc = hand_built();
    let sp = spatial_problem(&sc).unwrap();
    let p = sp.problem.as_ref().unwrap();
    assert_eq!(sp.issues.len(), 2);
    assert_eq!((sp.issues[0].lo, sp.issues[0].hi), (20.0, 120.0));
    let powers: Vec<f64> = p.actors().iter().map(|a| a.power).collect();
    assert_eq!(powers, vec![1.0, 2.0, 3.0]);
    let d = p.dimensions();
    assert_eq!(d[0].name, "price");
    assert_eq!(d[0].positions, vec![Some(100.0), Some(0.0), Some(50.0)]);
    assert_eq!(d[0].saliences, vec![Some(50.0), Some(60.0), Some(10.0)]);
    assert_eq!(d[1].positions, vec![Some(50.0), Some(100.0), Some(0.0)]);
    assert_eq!(d[1].saliences, vec![Some(30.0), Some(40.0), Some(70.0)]);
    // Compromise on price: w = 50, 120, 30; (100×50 + 0 + 50×30) / 200 = 32.5
    // on 0–100, i.e. 20 + 0.325 × 100 = 52.5 EUR.
    let f = run_model(ModelKind::Compromise, p, &NeverCancel);
    assert!((f.forecast[0] - 32.5).abs() < 1e-12);
    assert!((sp.issues[0].to_issue_scale(f.forecast[0]) - 52.5).abs() < 1e-12);
    assert_eq!(
        sp.issues[0].display(&sc.issues[0], f.forecast[0]),
        "52.5 EUR"
    );
    // Level: w = 30, 80, 210; (50×30 + 100×80) / 320 = 29.6875 → index 0.59 → `mid`.
    assert!((f.forecast[1] - 9500.0 / 320.0).abs() < 1e-12);
    assert_eq!(sp.issues[1].display(&sc.issues[1], f.forecast[1]), "mid");
    assert_eq!(sp.issues[1].display(&sc.issues[1], 20.0), "low");
}

#[test]
fn unordered_issues_are_reported_not_coerced() {
    let sp = spatial_problem(&hand_built()).unwrap();
    assert_eq!(sp.not_forecastable.len(), 1);
    assert_eq!(sp.not_forecastable[0].issue, "venue");
    assert!(sp.not_forecastable[0].reason.contains("unordered"));
    assert!(sp
        .problem
        .unwrap()
        .dimensions()
        .iter()
        .all(|d| d.name != "venue"));
    // A scenario with only unordered issues has no problem at all, and the
    // sensitivity report then has no forecasts but lists the issue.
    let sc = scenario(
        vec![actor("A", 1.0)],
        vec![issue("venue", options(&["geneva", "oslo"], false))],
        vec![vec![pref(1.0, ValueFn::Rising)]],
    );
    assert!(spatial_problem(&sc).unwrap().problem.is_none());
    let opts = SensitivityOptions {
        runs: 5,
        deal_runs: 0,
        ..Default::default()
    };
    let r = sensitivity(&sc, &opts, &NoProgress).unwrap();
    assert!(r.forecasts.values().all(|m| m.is_empty()));
    assert_eq!(r.not_forecastable[0].issue, "venue");
}

#[test]
fn no_uncertainty_gives_zero_spread() {
    let sc = hand_built();
    let opts = SensitivityOptions {
        runs: 40,
        deal_runs: 3,
        ..Default::default()
    };
    let r = sensitivity(&sc, &opts, &NoProgress).unwrap();
    assert!(r.inputs.is_empty());
    assert_eq!(r.runs_done, 40);
    assert!(!r.cancelled);
    for (model, issues) in &r.forecasts {
        for (id, f) in issues {
            let s = &f.summary;
            assert_eq!(s.n, 40);
            assert_eq!(s.sd, 0.0, "{model}:{id}");
            assert_eq!(s.min, f.point, "{model}:{id}");
            assert_eq!(s.max, f.point, "{model}:{id}");
            assert_eq!(s.quantiles.p5, s.quantiles.p95);
            assert_eq!(s.histogram.iter().map(|b| b.count).sum::<usize>(), 40);
        }
    }
    // No input varies, so no correlation is defined.
    assert!(r.correlations.is_empty());
    let deal = r.deal.unwrap();
    assert_eq!(deal.runs, 3);
    assert!(deal.zopa_probability == 0.0 || deal.zopa_probability == 1.0);
}

/// One issue 0..=100 step 1; A wants 0 with power ~ U[1, 3], B wants 100
/// with power 1; both put all weight on it.
fn uniform_power() -> Scenario {
    let mut sc = scenario(
        vec![actor("A", 2.0), actor("B", 1.0)],
        vec![issue(
            "x",
            IssueKind::Numeric {
                min: 0.0,
                max: 100.0,
                step: 1.0,
                unit: String::new(),
            },
        )],
        vec![
            vec![pref(1.0, ValueFn::Falling)],
            vec![pref(1.0, ValueFn::Rising)],
        ],
    );
    sc.actors[0].power.dist = Some(Dist::Uniform { lo: 1.0, hi: 3.0 });
    sc
}

#[test]
fn compromise_mean_matches_the_analytic_mean() {
    // Compromise = 100 / (p + 1) with p ~ U[1, 3]:
    //   E = 50 ln 2 = 34.657…, median = 100 / 3 (monotone in p),
    //   sd = sqrt(1250 − (50 ln 2)²) = 6.99, so with N = 4000 the standard
    //   error of the mean is 0.11; we allow 4 standard errors.
    let opts = SensitivityOptions {
        runs: 4000,
        seed: 7,
        deal_runs: 0,
        models: vec![ModelKind::Compromise],
        ..Default::default()
    };
    let r = sensitivity(&uniform_power(), &opts, &NoProgress).unwrap();
    let f = &r.forecasts["compromise"]["x"];
    let exact = 50.0 * 2f64.ln();
    assert!((f.summary.mean - exact).abs() < 0.45, "{}", f.summary.mean);
    assert!((f.summary.quantiles.p50 - 100.0 / 3.0).abs() < 0.5);
    assert!((f.summary.sd - 6.99).abs() < 0.3, "{}", f.summary.sd);
    // Support is 100/4 = 25 to 100/2 = 50.
    assert!(f.summary.min >= 25.0 && f.summary.max <= 50.0);
    assert_eq!(f.point, 100.0 / 3.0);
    // Decreasing in A's power, so ρ is exactly −1.
    assert_eq!(r.correlations.len(), 1);
    assert_eq!(r.correlations[0].input, "actors.A.power");
    assert_eq!(r.correlations[0].output, "compromise:x");
    assert_eq!(r.correlations[0].rho, -1.0);
}

#[test]
fn spearman_on_constructed_monotone_cases() {
    let x: Vec<f64> = (0..50).map(|i| (i as f64 * 0.37).sin() * 10.0).collect();
    let up: Vec<f64> = x.iter().map(|v| v.exp()).collect();
    let down: Vec<f64> = x.iter().map(|v| -v * v * v).collect();
    assert_eq!(spearman(&x, &up), Some(1.0));
    assert_eq!(spearman(&x, &down), Some(-1.0));
    // d² = (0, 0, 1, 1) over 4 distinct ranks: ρ = 1 − 6×2 / (4×15) = 0.8.
    let r = spearman(&[1.0, 2.0, 3.0, 4.0], &[10.0, 20.0, 40.0, 30.0]).unwrap();
    assert!((r - 0.8).abs() < 1e-12);
    // Constant side: undefined.
    assert_eq!(spearman(&x, &vec![1.0; 50]), None);
}

/// Seller (rising) and buyer (falling) over a price 0..=10; the seller's
/// reservation is 0.2, the buyer's ~ U[0.5, 1.0].
fn sale() -> Scenario {
    let mut sc = scenario(
        vec![actor("S", 1.0), actor("B", 1.0)],
        vec![issue(
            "price",
            IssueKind::Numeric {
                min: 0.0,
                max: 10.0,
                step: 1.0,
                unit: String::new(),
            },
        )],
        vec![
            vec![pref(1.0, ValueFn::Rising)],
            vec![pref(1.0, ValueFn::Falling)],
        ],
    );
    sc.preferences[0].reservation = Param::new(0.2);
    sc.preferences[1].reservation = Param {
        value: 0.6,
        dist: Some(Dist::Uniform { lo: 0.5, hi: 1.0 }),
        provenance: Provenance::default(),
    };
    sc
}

#[test]
fn zopa_probability_matches_the_analytic_value() {
    // A price x closes when x ≥ 2 and (10 − x)/10 ≥ r_B: some x exists iff
    // r_B ≤ 0.8, so P(ZOPA) = 0.3 / 0.5 = 0.6. N = 300: se 0.028, allow 0.1.
    let opts = SensitivityOptions {
        runs: 300,
        seed: 3,
        deal_runs: 300,
        ..Default::default()
    };
    let r = sensitivity(&sale(), &opts, &NoProgress).unwrap();
    let d = r.deal.as_ref().unwrap();
    assert_eq!(d.runs, 300);
    assert!(
        (d.zopa_probability - 0.6).abs() < 0.1,
        "{}",
        d.zopa_probability
    );
    let shares = &d.nash["price"];
    assert!((shares.values().sum::<f64>() - 1.0).abs() < 1e-12);
    // Nash maximises (x/10 − 0.2)((10 − x)/10 − r_B) over 2 ≤ x ≤ 10 − 10 r_B:
    // the midpoint of that range, so x ∈ {2, 3, 4}.
    assert!(shares.keys().all(|k| ["2", "3", "4"].contains(&k.as_str())));
    // The buyer's reservation drives whether a deal exists: ρ < 0.
    let z = r.correlations.iter().find(|c| c.output == "zopa").unwrap();
    assert_eq!(z.input, "preferences.B.reservation");
    assert!(z.rho < -0.6, "{}", z.rho);
}

#[test]
fn same_seed_same_bytes_on_one_thread_and_two() {
    let mut sc = hand_built();
    sc.actors[1].power.dist = Some(Dist::Triangular {
        lo: 1.0,
        mode: 2.0,
        hi: 4.0,
    });
    sc.preferences[2].issues[1].weight.dist = Some(Dist::Normal { mean: 0.7, sd: 0.2 });
    sc.preferences[0].reservation.dist = Some(Dist::Uniform { lo: 0.0, hi: 0.5 });
    let opts = SensitivityOptions {
        runs: 200,
        seed: 11,
        deal_runs: 20,
        ..Default::default()
    };
    let run = |threads: usize, seed: u64| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let o = SensitivityOptions {
            seed,
            ..opts.clone()
        };
        let r = pool.install(|| sensitivity(&sc, &o, &NoProgress).unwrap());
        serde_json::to_string(&r).unwrap()
    };
    let one = run(1, 11);
    assert_eq!(one, run(2, 11));
    assert_eq!(one, run(2, 11));
    assert_ne!(one, run(2, 12));
    // The normal weight was renormalised, so C's weights still sum to 1 in
    // every run: the mapping (which checks the scenario) never failed.
    let v: serde_json::Value = serde_json::from_str(&one).unwrap();
    assert_eq!(v["runs_done"], 200);
    assert_eq!(v["inputs"].as_array().unwrap().len(), 3);
}

fn proptest_config() -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases: 64,
        max_shrink_iters: if std::env::var_os("CI").is_some() {
            0
        } else {
            1024
        },
        ..Default::default()
    }
}

proptest::proptest! {
    #![proptest_config(proptest_config())]

    /// With distinct values, Spearman's ρ equals the textbook
    /// 1 − 6 Σ d² / (n (n² − 1)) over brute-force ranks.
    #[test]
    fn spearman_matches_the_rank_difference_formula(
        pairs in proptest::collection::btree_map(-1000i32..1000, -1000i32..1000, 3..40)
    ) {
        // Distinct x (map keys); make y distinct by adding a tiny index term.
        let x: Vec<f64> = pairs.keys().map(|&k| f64::from(k)).collect();
        let y: Vec<f64> = pairs
            .values()
            .enumerate()
            .map(|(i, &v)| f64::from(v) + i as f64 * 1e-6)
            .collect();
        let rank = |v: &[f64], i: usize| v.iter().filter(|&&w| w < v[i]).count() as f64 + 1.0;
        let n = x.len() as f64;
        let d2: f64 = (0..x.len()).map(|i| (rank(&x, i) - rank(&y, i)).powi(2)).sum();
        let expected = 1.0 - 6.0 * d2 / (n * (n * n - 1.0));
        let got = spearman(&x, &y).unwrap();
        proptest::prop_assert!((got - expected).abs() < 1e-9, "{} vs {}", got, expected);
    }
}

/// Cancels once `limit` runs have been reported done.
struct StopAfter {
    done: std::sync::atomic::AtomicU64,
    limit: u64,
}

impl accord::Progress for StopAfter {
    fn advance(&self, n: u64) {
        self.done.fetch_add(n, std::sync::atomic::Ordering::SeqCst);
    }
    fn cancelled(&self) -> bool {
        self.done.load(std::sync::atomic::Ordering::SeqCst) >= self.limit
    }
}

#[test]
fn cancelling_keeps_what_was_done() {
    let stop = StopAfter {
        done: 0.into(),
        limit: 10,
    };
    let opts = SensitivityOptions {
        runs: 5000,
        deal_runs: 10,
        models: vec![ModelKind::Compromise],
        ..Default::default()
    };
    let r = sensitivity(&uniform_power(), &opts, &stop).unwrap();
    assert!(r.cancelled);
    assert!(r.runs_done >= 10 && r.runs_done < 5000, "{}", r.runs_done);
    let s = &r.forecasts["compromise"]["x"].summary;
    assert_eq!(s.n, r.runs_done);
    // The deal space is skipped once the forecasts were cut short.
    assert!(r.deal.is_none());
}

/// Wilson 95% intervals worked out by hand: 0 of 10 gives [0, z²/(n+z²)]
/// = [0, 0.2775]; 5 of 10 is symmetric about 0.5: 0.5 ± 0.2634.
#[test]
fn wilson_interval_by_hand() {
    use accord::sensitivity::wilson;
    let z2 = 1.959_963_984_540_054_f64.powi(2);
    let [lo, hi] = wilson(0, 10);
    assert_eq!(lo, 0.0);
    assert!((hi - z2 / (10.0 + z2)).abs() < 1e-12, "{hi}");
    assert!((hi - 0.277_5).abs() < 1e-4);
    let [lo, hi] = wilson(5, 10);
    assert!((lo + hi - 1.0).abs() < 1e-12);
    assert!((hi - 0.5 - 0.263_4).abs() < 1e-4, "{hi}");
    assert_eq!(wilson(3, 0), [0.0, 1.0]);
}

/// One issue x in 0..=10; A (rising) has reservation ~ U[0.4, 0.8], so it
/// accepts x ≥ 10·r; B (falling, reservation 0.4) accepts x ≤ 6. A deal
/// exists iff r ≤ 0.6: the probability of no deal is 1/2.
fn uncertain_deal() -> Scenario {
    let mut sc = scenario(
        vec![actor("A", 1.0), actor("B", 1.0)],
        vec![issue(
            "x",
            IssueKind::Numeric {
                min: 0.0,
                max: 10.0,
                step: 1.0,
                unit: String::new(),
            },
        )],
        vec![
            vec![pref(1.0, ValueFn::Rising)],
            vec![pref(1.0, ValueFn::Falling)],
        ],
    );
    sc.preferences[0].reservation = Param::new(0.5);
    sc.preferences[0].reservation.dist = Some(Dist::Uniform { lo: 0.4, hi: 0.8 });
    sc.preferences[1].reservation = Param::new(0.4);
    sc
}

#[test]
fn no_deal_probability_is_the_share_of_blocked_draws() {
    use accord::sensitivity::{no_deal_probability, NoDealMethod};
    use accord::{analyze, AnalyzeOptions};
    let sc = uncertain_deal();
    let opts = AnalyzeOptions::default();
    let point = analyze(&sc, &opts, &NoProgress).unwrap();
    assert_eq!(point.zopa.size, 2); // x = 5, 6
    let r = no_deal_probability(&sc, &point, 400, 7, &opts, &NoProgress).unwrap();
    assert_eq!(r.method, NoDealMethod::Sampled);
    assert_eq!(r.runs, 400);
    // Binomial(400, 1/2): ±4 standard deviations is ±40.
    assert!((160..=240).contains(&r.no_deal_runs), "{}", r.no_deal_runs);
    assert_eq!(r.ci, accord::sensitivity::wilson(r.no_deal_runs, 400));
    assert!(r.ci[1] - r.ci[0] < 0.11);
    // The draws are those of `sensitivity`'s deal runs with the same seed.
    let opts_s = SensitivityOptions {
        runs: 400,
        deal_runs: 400,
        seed: 7,
        models: vec![ModelKind::Compromise],
        ..Default::default()
    };
    let s = sensitivity(&sc, &opts_s, &NoProgress).unwrap();
    assert_eq!(s.deal.unwrap().zopa_runs, 400 - r.no_deal_runs);
    // Same seed, same answer.
    let again = no_deal_probability(&sc, &point, 400, 7, &opts, &NoProgress).unwrap();
    assert_eq!(again, r);

    // Red lines A: x ≥ 8 and B: x ≤ 4 block every draw: certain, no sampling.
    let mut sc = sc;
    for (k, (op, v)) in [(CmpOp::Ge, 8.0), (CmpOp::Le, 4.0)].into_iter().enumerate() {
        sc.red_lines.push(RedLine {
            id: format!("r{k}"),
            actor: k,
            rule: Expr::Atom(Atom {
                issue: 0,
                op,
                rhs: Rhs::Number(v),
            }),
            provenance: Provenance::default(),
        });
    }
    let point = analyze(&sc, &opts, &NoProgress).unwrap();
    let r = no_deal_probability(&sc, &point, 400, 7, &opts, &NoProgress).unwrap();
    assert_eq!(r.method, NoDealMethod::RedLines);
    assert_eq!((r.runs, r.probability, r.ci), (0, 1.0, [1.0, 1.0]));
}
