//! The two small bundled scenarios, with every figure worked out by hand.

use accord::{analyze, AnalyzeOptions, NoProgress};
use accord_formats::bundled::bundled;
use accord_formats::{parse_scenario, Syntax};

fn load(name: &str) -> accord::Scenario {
    let b = bundled(name).expect("bundled");
    parse_scenario(b.text, b.file, Syntax::Toml).expect("valid")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

/// Seller u = 0.8·p/10 + 0.2·[standard]; buyer u = 0.6·(10−p)/10 + 0.4·[express];
/// reservations 0.4 and 0.3; buyer's red line p ≤ 8; the buyer's board
/// (quota 0.5 of 3 seats) passes only if finance (2 seats, u_buyer ≥ 0.5) agrees.
#[test]
fn sale_by_hand() {
    let sc = load("sale");
    let an = analyze(&sc, &AnalyzeOptions::default(), &NoProgress).unwrap();
    assert_eq!(an.outcomes, 22);
    assert_eq!(an.feasible, 22);
    // Seller: standard needs 0.08p + 0.2 ≥ 0.4 → p ≥ 3 (8 prices); express
    // needs 0.08p ≥ 0.4 → p ≥ 5 (6 prices).
    assert_eq!(an.win_sets[0].alone, 14);
    // Buyer: express always clears 0.3, red line leaves p ≤ 8 (9); standard
    // needs 0.6 − 0.06p ≥ 0.3 → p ≤ 5 (6).
    assert_eq!(an.win_sets[1].alone, 15);
    // Board: express 0.06(10−p) + 0.4 ≥ 0.5 → p ≤ 8 (9); standard p ≤ 1 (2):
    // the 11 outcomes it ratifies are all within the buyer's own win-set.
    assert_eq!(an.ratifiers[0].accepts, 11);
    assert_eq!(an.win_sets[1].with_ratifiers, 11);
    // ZOPA: express with p = 5..=8.
    assert_eq!(an.zopa.size, 4);
    let nash = an.solutions.nash.as_ref().unwrap();
    assert_eq!(nash.point.outcome["price"].to_string(), "8");
    assert_eq!(nash.point.outcome["delivery"].to_string(), "express");
    // (0.64 − 0.4)(0.52 − 0.3) = 0.0528
    assert!(close(nash.score, 0.0528), "{}", nash.score);
    // KS: utopia (0.64, 0.70); p = 7 gives min(0.16/0.24, 0.28/0.40) = 2/3,
    // the best; p = 8 gives min(1, 0.55).
    let ks = an.solutions.kalai_smorodinsky.as_ref().unwrap();
    assert_eq!(ks.point.outcome["price"].to_string(), "7");
    assert!(close(ks.score, 2.0 / 3.0));
    let ut = an.solutions.utilitarian.as_ref().unwrap();
    assert_eq!(ut.point.outcome["price"].to_string(), "8");
    assert!(close(ut.score, 1.16));
    let eg = an.solutions.egalitarian.as_ref().unwrap();
    assert!(close(eg.score, 0.22));
    let prices: Vec<String> = an
        .pareto
        .iter()
        .map(|p| p.outcome["price"].to_string())
        .collect();
    assert_eq!(prices, ["5", "6", "7", "8"]);
    assert!(an.blockers.is_empty() && an.relaxations.is_empty());
}

/// Red lines clash pairwise on three issues (A vs B on troops and zone, A vs
/// C on years): three blocking pairs, and 2³ = 8 ways to relax, each
/// dropping one side of every pair.
#[test]
fn triad_by_hand() {
    let sc = load("triad");
    let an = analyze(&sc, &AnalyzeOptions::default(), &NoProgress).unwrap();
    assert_eq!(an.outcomes, 45);
    assert_eq!(an.zopa.size, 0);
    assert!(an.solutions.nash.is_none());
    let mut blocks: Vec<Vec<String>> = an
        .blockers
        .iter()
        .map(|b| b.iter().map(|c| c.id.clone()).collect())
        .collect();
    blocks.sort();
    assert_eq!(
        blocks,
        [
            ["A-troops", "B-troops"],
            ["A-years", "C-years"],
            ["A-zone", "B-zone"]
        ]
    );
    assert_eq!(an.relaxations.len(), 8);
    assert!(an.relaxations.iter().all(|r| r.drop.len() == 3));
    // Troops: dropping A-troops leaves 1 level (none), B-troops 2; years:
    // dropping C-years leaves 2 (30, 40), A-years 3; zone: A-zone 1, B-zone 2.
    let sizes: Vec<u64> = an.relaxations.iter().map(|r| r.zopa_size).collect();
    assert_eq!(sizes, [12, 8, 6, 6, 4, 4, 3, 2]);
    let best = &an.relaxations[0];
    let mut ids: Vec<&str> = best.drop.iter().map(|c| c.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["A-years", "B-troops", "B-zone"]);
    let n = best.nash.as_ref().unwrap();
    // With troops ∈ {un, eu}, years ∈ {0, 10, 20}, zone ∈ {freeze, dmz} and
    // d = 0: A = 0.4·t + 0.4·y/40 + 0.2·z, B = 0.5·(1 − t) + 0.5·z', C peaks
    // at 15 with tolerance 30. (un, 20, dmz) gives 0.5 · 0.4 · 0.8333.
    assert_eq!(n.point.outcome["troops"].to_string(), "un");
    assert_eq!(n.point.outcome["years"].to_string(), "20");
    assert_eq!(n.point.outcome["zone"].to_string(), "dmz");
    assert!(
        close(n.score, 0.5 * 0.4 * (1.0 - 5.0 / 30.0)),
        "{}",
        n.score
    );
}

#[test]
fn bundled_scenarios_round_trip_through_toml_and_json() {
    for b in accord_formats::bundled::BUNDLED {
        let sc = parse_scenario(b.text, b.file, Syntax::Toml).unwrap();
        let toml_text = accord_formats::to_toml(&sc);
        let back = parse_scenario(&toml_text, "rt.toml", Syntax::Toml)
            .unwrap_or_else(|e| panic!("{}: {e}\n{toml_text}", b.name));
        assert_eq!(back, sc, "{} via TOML", b.name);
        let json = serde_json::to_string(&accord_formats::scenario::to_raw(&sc)).unwrap();
        let back = parse_scenario(&json, "rt.json", Syntax::Json).unwrap();
        assert_eq!(back, sc, "{} via JSON", b.name);
    }
}

/// The buyer's board at the Nash deal (price 8, express): finance's utility
/// is the buyer's 0.52 ≥ 0.5 and operations' condition (express) holds, so
/// all 3 seats vote yes against a quota of 0.5. Without the board the
/// buyer's win-set is its own 15 outcomes; with it, 11: the board is decisive.
#[test]
fn sale_ratification_by_hand() {
    let sc = load("sale");
    let an = analyze(&sc, &AnalyzeOptions::default(), &NoProgress).unwrap();
    let r = accord::ratification(&sc, &an);
    assert_eq!(r.reference, accord::Reference::Nash);
    assert_eq!(r.actors.len(), 1);
    let buyer = &r.actors[0];
    assert_eq!(
        (buyer.actor.as_str(), buyer.alone, buyer.with_all),
        ("buyer", 15, 11)
    );
    assert_eq!(buyer.decisive.as_deref(), Some("board"));
    let board = &buyer.ratifiers[0];
    assert_eq!((board.with_only_this, board.without_this), (11, 15));
    let m = board.margin.as_ref().unwrap();
    assert!(close(m.yes_share, 1.0) && close(m.margin, 0.5));
    assert!(close(m.blocs[0].utility, 0.52));
    assert!(m.blocs.iter().all(|b| b.accepts));
}

/// `sale` with the board voting only on standard delivery: there finance
/// (u = 0.6 − 0.06p ≥ 0.5) passes p ≤ 1 and operations (express only) never
/// votes yes; on express the board does not sit. Express p ≤ 8 (9) and
/// standard p ≤ 1 (2) are the buyer's 11; the board accepts every express
/// outcome (11) and standard p ≤ 1 (2). The ZOPA is express p = 5..=8 and the
/// Nash deal (express, 8) holds no vote: `held` is false and no yes share.
#[test]
fn ratifier_that_votes_only_when_the_deal_calls_it() {
    let text = bundled("sale").unwrap().text.replacen(
        "quota = 0.5\n",
        "quota = 0.5\napplies = \"delivery == standard\"\n",
        1,
    );
    let sc = parse_scenario(&text, "sale.toml", Syntax::Toml).unwrap();
    let an = analyze(&sc, &AnalyzeOptions::default(), &NoProgress).unwrap();
    assert_eq!(an.ratifiers[0].accepts, 13);
    assert_eq!(an.win_sets[1].with_ratifiers, 11);
    assert_eq!(an.zopa.size, 4);
    let r = accord::ratification(&sc, &an);
    let board = &r.actors[0].ratifiers[0];
    assert_eq!(board.held, Some(false));
    assert!(board.margin.is_none());
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["actors"][0]["ratifiers"][0]["held"], false);
    // Without an `applies` rule the key is absent, as before.
    let plain = accord::ratification(&load("sale"), &an);
    let json = serde_json::to_value(&plain).unwrap();
    assert!(json["actors"][0]["ratifiers"][0].get("held").is_none());
}

/// A quota of 1 on express: at the Nash deal (express, 8) all 3 seats vote
/// yes, so the margin is 1 − 1 = 0 and the quota reported is 1.
#[test]
fn quota_that_depends_on_the_deal() {
    let text = bundled("sale").unwrap().text.replacen(
        "quota = 0.5\n",
        "quota = 0.5\nquotas = [{ when = \"delivery == express\", quota = 1 }]\n",
        1,
    );
    let sc = parse_scenario(&text, "sale.toml", Syntax::Toml).unwrap();
    let an = analyze(&sc, &AnalyzeOptions::default(), &NoProgress).unwrap();
    // Express p ≤ 8 still passes unanimously; standard p ≤ 1 passes 2/3 ≥ 0.5.
    assert_eq!(an.ratifiers[0].accepts, 11);
    let r = accord::ratification(&sc, &an);
    let m = r.actors[0].ratifiers[0].margin.as_ref().unwrap();
    assert!(close(m.quota, 1.0) && close(m.yes_share, 1.0) && close(m.margin, 0.0));
    // On standard the default quota binds; a quota of 1 there would close it.
    let text = text.replacen("express\", quota = 1", "standard\", quota = 1", 1);
    let sc = parse_scenario(&text, "sale.toml", Syntax::Toml).unwrap();
    let an = analyze(&sc, &AnalyzeOptions::default(), &NoProgress).unwrap();
    assert_eq!(an.ratifiers[0].accepts, 9);
}

/// Finance's yes is 70% of its 2 seats (1.4): express p ≤ 8 gets
/// (1.4 + 1)/3 = 0.8 ≥ 0.5, standard p ≤ 1 only 1.4/3 ≈ 0.467 < 0.5, so the
/// board ratifies 9 outcomes; at the Nash deal the margin is 0.3. The share's
/// range makes it a sensitivity input.
#[test]
fn bloc_yes_share() {
    let text = bundled("sale").unwrap().text.replacen(
        "threshold = 0.5\n",
        "threshold = 0.5\nshare = { value = 0.7, range = [0.6, 0.8], assumption = \"test\" }\n",
        1,
    );
    let sc = parse_scenario(&text, "sale.toml", Syntax::Toml).unwrap();
    let an = analyze(&sc, &AnalyzeOptions::default(), &NoProgress).unwrap();
    assert_eq!(an.ratifiers[0].accepts, 9);
    assert_eq!(an.win_sets[1].with_ratifiers, 9);
    assert_eq!(an.zopa.size, 4);
    let r = accord::ratification(&sc, &an);
    let m = r.actors[0].ratifiers[0].margin.as_ref().unwrap();
    assert!(close(m.yes_share, 0.8) && close(m.margin, 0.3), "{m:?}");
    assert_eq!(m.blocs[0].share, Some(0.7));
    let names: Vec<String> = accord::sensitivity::uncertain_inputs(&sc)
        .into_iter()
        .map(|i| i.name)
        .collect();
    assert!(names.contains(&"ratifiers.board.finance.share".to_string()));
    // And the scenario round-trips with the new fields.
    let back = parse_scenario(&accord_formats::to_toml(&sc), "rt.toml", Syntax::Toml).unwrap();
    assert_eq!(back, sc);
}

/// `sale` with a process: the seller wants payment a day before delivery
/// (P1, always); with express delivery the buyer wants the courier's
/// delivery a day before paying (P2, `when = "delivery == express"`). Every
/// express outcome thus meets a deadlock (−2 days), every standard one a
/// consistent network: two distinct networks. The ZOPA (express, 5..=8) is
/// not implementable. Each outcome opens by dropping: standard 0..=1 the
/// seller's reservation; standard 3..=5 the board; express 5..=8 either P1
/// or P2. So the one blocking set is {seller's reservation, board, P1, P2},
/// and the relaxations are {P1} (4 deals), {P2} (4), {board} (3) and
/// {seller's reservation} (2).
#[test]
fn conditional_process_by_hand() {
    let text = format!(
        "{}\n{}",
        bundled("sale").unwrap().text,
        r#"
[[milestones]]
id = "payment"

[[milestones]]
id = "delivery"

[[preconditions]]
id = "P1"
owner = "seller"
before = "payment"
then = "delivery"
min_days = 1
rule = "payment a day before delivery"

[[preconditions]]
id = "P2"
owner = "buyer"
before = "delivery"
then = "payment"
min_days = 1
rule = "express goods delivered a day before payment"
when = "delivery == express"
"#
    );
    let sc = parse_scenario(&text, "sale.toml", Syntax::Toml).unwrap();
    let an = analyze(&sc, &AnalyzeOptions::default(), &NoProgress).unwrap();
    assert_eq!(an.zopa.size, 4);
    let imp = an.zopa.implementable.as_ref().unwrap();
    assert_eq!((imp.size, imp.networks), (0, 2));
    assert!(an.implementable_solutions.as_ref().unwrap().nash.is_none());
    assert_eq!(an.blockers_over.as_deref(), Some("implementable"));
    let ids = |list: &[accord::ConstraintRef]| -> Vec<String> {
        let mut v: Vec<String> = list
            .iter()
            .map(|c| format!("{:?}:{}:{}", c.kind, c.actor, c.id))
            .collect();
        v.sort();
        v
    };
    assert_eq!(an.blockers.len(), 1);
    assert_eq!(
        ids(&an.blockers[0]),
        [
            "Precondition:buyer:P2",
            "Precondition:seller:P1",
            "Ratification:buyer:board",
            "Reservation:seller:reservation",
        ]
    );
    let p2 = an.blockers[0].iter().find(|c| c.id == "P2").unwrap();
    assert_eq!(p2.rule, "express goods delivered a day before payment");
    let rel: Vec<(Vec<String>, u64)> = an
        .relaxations
        .iter()
        .map(|r| (ids(&r.drop), r.zopa_size))
        .collect();
    assert_eq!(
        rel,
        [
            (vec!["Precondition:seller:P1".to_string()], 4),
            (vec!["Precondition:buyer:P2".to_string()], 4),
            (vec!["Ratification:buyer:board".to_string()], 3),
            (vec!["Reservation:seller:reservation".to_string()], 2),
        ]
    );
    // Nothing is implementable, so the reference deal is the ZOPA's Nash
    // (express, 8): P2 applies there, so its network has both preconditions.
    let (name, index) = accord::reference_deal(&an).unwrap();
    assert_eq!(name, accord::Reference::Nash);
    assert_eq!(accord::process_at(&sc, index).preconditions.len(), 2);
    // Index 1 is (price 0, standard): P2 does not apply there.
    assert_eq!(accord::process_at(&sc, 1).preconditions.len(), 1);
    assert_eq!(accord::process_at(&sc, 0).preconditions.len(), 2);
    // Without the `when`, the process is not deal-dependent: the analysis
    // is the plain one.
    let plain = text.replace("when = \"delivery == express\"\n", "");
    let sc = parse_scenario(&plain, "sale.toml", Syntax::Toml).unwrap();
    let an = analyze(&sc, &AnalyzeOptions::default(), &NoProgress).unwrap();
    assert!(an.zopa.implementable.is_none() && an.blockers.is_empty());
}

/// A `when` naming an unknown issue is a located error.
#[test]
fn conditional_step_with_an_unknown_issue_is_located() {
    let text = format!(
        "{}\n[[milestones]]\nid = \"m\"\nwhen = \"referendum == yes\"\n",
        bundled("sale").unwrap().text
    );
    let err = parse_scenario(&text, "sale.toml", Syntax::Toml).unwrap_err();
    let d = &err.diagnostics[0];
    let line = text.lines().count();
    assert_eq!((d.line, d.path.as_str()), (line, "milestones[0].when"));
    assert!(d.message.contains("referendum"), "{}", d.message);
}

/// The same shape with a deadline: payment at least 3 days before delivery
/// (P1) and, for express only, delivery by day 2 (D1, the buyer's). Express
/// outcomes cannot be scheduled (delivery ≥ day 3 > day 2); dropping P1 or
/// D1 fixes them. The blocking set is {seller's reservation, board, P1, D1}.
#[test]
fn conditional_deadline_by_hand() {
    let text = format!(
        "{}\n{}",
        bundled("sale").unwrap().text,
        r#"
[[milestones]]
id = "payment"

[[milestones]]
id = "delivery"

[[preconditions]]
id = "P1"
owner = "seller"
before = "payment"
then = "delivery"
min_days = 3
rule = "payment three days before delivery"

[[deadlines]]
id = "D1"
milestone = "delivery"
not_after_days = 2
owner = "buyer"
rule = "express means delivery by day 2"
when = "delivery == express"
"#
    );
    let sc = parse_scenario(&text, "sale.toml", Syntax::Toml).unwrap();
    let an = analyze(&sc, &AnalyzeOptions::default(), &NoProgress).unwrap();
    assert_eq!(an.zopa.implementable.as_ref().unwrap().size, 0);
    let mut got: Vec<String> = an.blockers[0]
        .iter()
        .map(|c| format!("{:?}:{}:{}", c.kind, c.actor, c.id))
        .collect();
    got.sort();
    assert_eq!(an.blockers.len(), 1);
    assert_eq!(
        got,
        [
            "Deadline:buyer:D1",
            "Precondition:seller:P1",
            "Ratification:buyer:board",
            "Reservation:seller:reservation",
        ]
    );
    let sizes: Vec<(String, u64)> = an
        .relaxations
        .iter()
        .map(|r| (r.drop[0].id.clone(), r.zopa_size))
        .collect();
    assert_eq!(
        sizes,
        [
            ("P1".to_string(), 4),
            ("D1".to_string(), 4),
            ("board".to_string(), 3),
            ("reservation".to_string(), 2),
        ]
    );
}

/// A scenario with readings and firmness round-trips through TOML and JSON,
/// and `--reading` swaps the default with the chosen reading.
#[test]
fn readings_round_trip_and_select() {
    let text = include_str!("../../accord-cli/tests/fixtures/readings/two_pairs.toml");
    let sc = parse_scenario(text, "two_pairs.toml", Syntax::Toml).unwrap();
    assert_eq!(sc.readings.len(), 2);
    let nato = &sc.readings[0];
    assert_eq!(nato.names(), ["strict", "literal"]);
    let p = nato.probabilities();
    assert!((p[0] - 0.6).abs() < 1e-12 && (p[1] - 0.3).abs() < 1e-12);
    assert_eq!(sc.readings[1].names(), ["default"]);
    assert_eq!(sc.readings[1].firmness.value, 0.5);
    let back = parse_scenario(&accord_formats::to_toml(&sc), "rt.toml", Syntax::Toml).unwrap();
    assert_eq!(back, sc);
    let json = serde_json::to_string(&accord_formats::scenario::to_raw(&sc)).unwrap();
    assert_eq!(parse_scenario(&json, "rt.json", Syntax::Json).unwrap(), sc);

    let mut lit = sc.clone();
    accord_formats::readings::select_reading(&mut lit, "ru_nato", "literal").unwrap();
    assert_eq!(
        lit.red_lines[1].rule.to_text(&lit.issues),
        "nato != open_door"
    );
    assert_eq!(lit.readings[0].names(), ["literal", "strict"]);
    assert_eq!(
        lit.red_lines[1].provenance.source.as_deref(),
        Some("digest")
    );
    // Selecting back restores the file's scenario, and the default is a no-op.
    accord_formats::readings::select_reading(&mut lit, "ru_nato", "strict").unwrap();
    assert_eq!(lit.red_lines, sc.red_lines);
    assert!(accord_formats::readings::select_reading(&mut lit, "ru_nato", "loose").is_err());
}
