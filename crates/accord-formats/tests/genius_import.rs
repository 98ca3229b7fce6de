//! Known-answer tests of the GENIUS reader and writer: on the repository's
//! own GENIUS-format domains (`data/genius`, always), and on the ANAC
//! 2010–2011 and multi-party domains when `ACCORD_ANAC_DATA` names them
//! (they are GPL/AGPL and not shipped; see `data/README.md`).

mod common;

use accord::{analyze, AnalyzeOptions, NoProgress, Scenario};
use accord_formats::genius::{
    import_genius_files, to_genius, GeniusFile, GeniusImport, GeniusOptions,
};
use common::{anac, genius_files, own};
use proptest::prelude::*;

/// Every linear ANAC domain: (folder under `genius/`, outcomes, parties).
/// Outcome counts are the products of the `<item>` counts per `<issue>`
/// of each domain file.
const LINEAR: &[(&str, u128, usize)] = &[
    ("other/Domain2", 5 * 5, 6),
    ("other/Domain4", 5 * 4 * 4 * 4, 6),
    ("other/Domain8", 6561, 6),   // 3^8
    ("other/Domain16", 65536, 6), // 2^16
    ("y2010/EnglandZimbabwe", 4 * 4 * 3 * 3 * 4, 2),
    ("y2010/ItexvsCypress", 5 * 4 * 3 * 3, 2),
    ("y2010/Travel", 7 * 7 * 4 * 4 * 6 * 5 * 8, 2),
    ("y2011/Amsterdam", 4 * 3 * 7 * 3 * 3 * 4, 2),
    ("y2011/Camera", 5 * 4 * 3 * 3 * 5 * 4, 2),
    ("y2011/Car", 15625, 2),     // 5^6
    ("y2011/Energy", 390625, 2), // 5^8
    ("y2011/Grocery", 4 * 5 * 4 * 4 * 5, 2),
    ("y2011/IS_BT_Acquisition", 4 * 3 * 4 * 4 * 2, 2),
    ("y2011/Laptop", 27, 2),
    ("y2011/NiceOrDie", 3, 2),
];

/// The repository's own linear domains: (name, outcomes, parties).
/// lease: 5 rents (10..=14) × 3 terms × 11 deposits (0..=2.5 by 0.25);
/// picnic: 3 places × 4 foods × 2 times.
const OWN: &[(&str, u128, usize)] = &[("lease", 5 * 3 * 11, 2), ("picnic", 3 * 4 * 2, 3)];

/// The files of an ANAC domain folder under `<ACCORD_ANAC_DATA>/genius`.
fn anac_files(root: &std::path::Path, dir: &str) -> Vec<GeniusFile> {
    genius_files(&root.join("genius").join(dir))
}

fn import_files(label: &str, files: &[GeniusFile]) -> GeniusImport {
    import_genius_files(files, &GeniusOptions::default())
        .unwrap_or_else(|e| panic!("{label}:\n{e}"))
}

fn import_own(name: &str) -> GeniusImport {
    import_files(name, &own(name))
}

/// Levels of an outcome given by option ids.
fn levels(sc: &Scenario, ids: &[&str]) -> Vec<usize> {
    sc.issues
        .iter()
        .zip(ids)
        .map(|(i, id)| {
            i.option_index(id)
                .unwrap_or_else(|| panic!("no option {id}"))
        })
        .collect()
}

fn utility(sc: &Scenario, actor: &str, ids: &[&str]) -> f64 {
    sc.utility(sc.actor_index(actor).expect("actor"), &levels(sc, ids))
}

fn close(got: f64, want: f64) {
    assert!((got - want).abs() <= 1e-12, "got {got}, want {want}");
}

/// Size, parties, sources and provenance of an imported linear domain.
fn check_import(label: &str, imp: &GeniusImport, outcomes: u128, parties: usize) {
    let sc = &imp.scenario;
    assert_eq!(sc.space_size(), outcomes, "{label}");
    assert_eq!(sc.actors.len(), parties, "{label}");
    assert_eq!(imp.discounts.len(), parties, "{label}");
    assert_eq!(sc.sources.len(), parties + 1, "{label}");
    sc.check().expect("valid scenario");
    for p in &sc.preferences {
        for ip in &p.issues {
            let src = ip.weight.provenance.source.as_deref().expect("sourced");
            assert!(src.starts_with("genius-"), "{label}: {src}");
        }
    }
}

#[test]
fn own_domains_import_with_their_size_and_parties() {
    for &(name, outcomes, parties) in OWN {
        check_import(name, &import_own(name), outcomes, parties);
    }
}

#[test]
fn every_anac_linear_domain_imports_with_its_size_and_parties() {
    let Some(root) = anac("every_anac_linear_domain_imports_with_its_size_and_parties") else {
        return;
    };
    for &(dir, outcomes, parties) in LINEAR {
        let imp = import_files(dir, &anac_files(&root, dir));
        check_import(dir, &imp, outcomes, parties);
    }
}

#[test]
fn hand_computed_utilities() {
    // The numbers of the own domains are short binary fractions, so the
    // expected utilities below are exact in floating point.
    // lease_landlord.xml: Rent clamp(0 + 0.25·(x − 10)), Term evaluations
    // 1/2/4 (÷ 4), Deposit clamp(0 + 0.5·x); weights 0.5, 0.25, 0.25.
    // Rent 12 (level 2), 2 years (level 1), deposit 1.5 (level 6 of 0..2.5
    // by 0.25): 0.5·0.5 + 0.25·(2/4) + 0.25·0.75 = 0.5625.
    let imp = import_own("lease");
    let sc = &imp.scenario;
    assert_eq!(sc.issues[1].option_index("2_years"), Some(1));
    assert_eq!(sc.utility(0, &[2, 1, 6]), 0.5625);
    // lease_tenant.xml: Rent clamp(1 − 0.25·(x − 10)), Term 2/4/1 (÷ 4),
    // Deposit clamp(1 − 0.5·x); weights 1, 1, 2 sum to 4 and are divided
    // by it (0.25, 0.25, 0.5): 0.25·0.5 + 0.25·1 + 0.5·0.25 = 0.5.
    assert_eq!(sc.utility(1, &[2, 1, 6]), 0.5);
    // Rent 14, 3 years, deposit 2.5, where both deposit evaluators are
    // clamped (0.5·2.5 = 1.25 → 1; 1 − 1.25 → 0): landlord
    // 0.5 + 0.25 + 0.25 = 1; tenant 0.25·0 + 0.25·(1/4) + 0.5·0 = 0.0625.
    assert_eq!(sc.utility(0, &[4, 2, 10]), 1.0);
    assert_eq!(sc.utility(1, &[4, 2, 10]), 0.0625);
    assert!(sc.description.contains("lease_tenant's weights sum to 4"));
    assert!(sc
        .description
        .contains("discretised into 11 values (step 0.25)"));

    // picnic_ann.xml: place 4/2/1, food 1/4/2/2, time 2/1 (each ÷ its
    // maximum), weights 0.5, 0.25, 0.25. park, pizza, noon:
    // 0.5·1 + 0.25·1 + 0.25·(1/2) = 0.875.
    let sc = import_own("picnic").scenario;
    close(
        utility(&sc, "picnic_ann", &["park", "pizza", "noon"]),
        0.875,
    );
    // picnic_ben.xml: place 1/4/2, food 2/2/4/1, time 1/2, weights 0.25,
    // 0.5, 0.25. beach, salad, noon: everything at its best, 1.
    close(utility(&sc, "picnic_ben", &["beach", "salad", "noon"]), 1.0);
    // park, curry, morning: 0.25·(1/4) + 0.5·(1/4) + 0.25·(1/2) = 0.3125.
    close(
        utility(&sc, "picnic_ben", &["park", "curry", "morning"]),
        0.3125,
    );
    // picnic_cai.xml: place 2/1/4, food 4/1/2/2, time 1/1; weights 1, 0.5,
    // 0.5 sum to 2, so 0.5, 0.25, 0.25. park, salad, noon:
    // 0.5·(2/4) + 0.25·(2/4) + 0.25·1 = 0.625.
    close(
        utility(&sc, "picnic_cai", &["park", "salad", "noon"]),
        0.625,
    );
}

#[test]
fn anac_hand_computed_utilities() {
    let Some(root) = anac("anac_hand_computed_utilities") else {
        return;
    };
    let import = |dir: &str| import_files(dir, &anac_files(&root, dir));
    // NiceOrDie1.xml: one issue, weight 1, evaluations 1000/160/299.
    // u(29_29) = 299 / 1000.
    let sc = import("y2011/NiceOrDie").scenario;
    close(utility(&sc, "niceordie1", &["29_29"]), 299.0 / 1000.0);
    // NiceOrDie2.xml: u(100_16) = 160 / 1000.
    close(utility(&sc, "niceordie2", &["100_16"]), 160.0 / 1000.0);

    // Domain2_util1.xml: evaluations a1..a5 = 5,4,3,2,1 and b1..b5 = 5..1,
    // weights 0.5035917337270935 and 0.49640826627290646.
    let sc = import("other/Domain2").scenario;
    close(
        utility(&sc, "domain2_util1", &["a3", "b5"]),
        0.5035917337270935 * 3.0 / 5.0 + 0.49640826627290646 * 1.0 / 5.0,
    );
    close(
        utility(&sc, "domain2_util1", &["a1", "b1"]),
        0.5035917337270935 + 0.49640826627290646,
    );

    // Domain4_util1.xml: a = 5,1,1,1,1; b = 3,4,2,1; c = 5,1,1,1; d = 3,4,2,4.
    // u(a2,b3,c2,d1) = w1·1/5 + w2·2/4 + w3·1/5 + w4·3/4.
    let sc = import("other/Domain4").scenario;
    close(
        utility(&sc, "domain4_util1", &["a2", "b3", "c2", "d1"]),
        0.41051514203415784 / 5.0
            + 0.08512093662498495 * 2.0 / 4.0
            + 0.41333428787463083 / 5.0
            + 0.09102963346622636 * 3.0 / 4.0,
    );

    // ItexvsCypress_Itex.xml: Price $3.98 = 10/30, Delivery 45 days = 20/20,
    // Payment upon delivery = 10/25, Returns full price = 1/30.
    let sc = import("y2010/ItexvsCypress").scenario;
    let o = ["3_98", "45_days", "upon_delivery", "full_price"];
    close(
        utility(&sc, "itexvscypress_itex", &o),
        0.28812635027374 * 10.0 / 30.0
            + 0.1915290482981283 * 20.0 / 20.0
            + 0.24212575877553694 * 10.0 / 25.0
            + 0.2782188426525948 * 1.0 / 30.0,
    );
    // ItexvsCypress_Cypress.xml: 25/40, 10/25, 15/15, 20/20.
    close(
        utility(&sc, "itexvscypress_cypress", &o),
        0.4700166576535899 * 25.0 / 40.0
            + 0.1220816713696379 * 10.0 / 25.0
            + 0.17727008190772825 * 15.0 / 15.0
            + 0.2306315890690439 * 20.0 / 20.0,
    );

    // laptop_buyer_utility.xml: Dell 12/30, 120 Gb 9/30, 20'' LCD 10/30; the
    // weights sum to 1.000051804171754, so each is divided by that sum.
    let sc = import("y2011/Laptop").scenario;
    let sum = 0.4452125771655631 + 0.37808251708013424 + 0.1767567099260568;
    close(
        utility(&sc, "laptop_buyer_utility", &["dell", "120_gb", "20_lcd"]),
        (0.4452125771655631 / sum) * 12.0 / 30.0
            + (0.37808251708013424 / sum) * 9.0 / 30.0
            + (0.1767567099260568 / sum) * 10.0 / 30.0,
    );
    assert!(sc.description.contains("weights sum to 1.000052"));
}

#[test]
fn discount_and_reservation_are_read() {
    // lease_landlord.xml: discount 0.9, reservation 0.4; lease_tenant.xml:
    // discount 1.0, reservation 0.3.
    let imp = import_own("lease");
    assert_eq!(imp.discounts, vec![0.9, 1.0]);
    assert!(imp.scenario.description.contains("lease_landlord 0.9"));
    assert_eq!(imp.scenario.preferences[0].reservation.value, 0.4);
    assert_eq!(imp.scenario.preferences[1].reservation.value, 0.3);
    // picnic: ben discounts by 0.8; cai has no <reservation>: 0, marked as
    // an assumption.
    let imp = import_own("picnic");
    assert_eq!(imp.discounts, vec![1.0, 0.8, 1.0]);
    assert_eq!(imp.scenario.preferences[0].reservation.value, 0.5);
    let r = &imp.scenario.preferences[2].reservation;
    assert_eq!(r.value, 0.0);
    assert!(r.provenance.assumption.is_some());
    assert!(imp.scenario.preferences[0]
        .reservation
        .provenance
        .assumption
        .is_none());
}

#[test]
fn anac_discount_and_reservation_are_read() {
    let Some(root) = anac("anac_discount_and_reservation_are_read") else {
        return;
    };
    let import = |dir: &str| import_files(dir, &anac_files(&root, dir));
    let imp = import("y2011/Laptop");
    assert_eq!(imp.discounts, vec![0.42441038, 0.42441038]);
    assert!(imp.scenario.description.contains("0.42441"));
    let imp = import("other/Domain2");
    // Domain2_util4.xml: reservation 0.5, discount 1.0.
    assert_eq!(imp.scenario.preferences[3].reservation.value, 0.5);
    assert_eq!(imp.discounts[3], 1.0);
    assert_eq!(imp.discounts[0], 0.2);
    // NiceOrDie has no <reservation>: 0, marked as an assumption.
    let r = &import("y2011/NiceOrDie").scenario.preferences[0].reservation;
    assert_eq!(r.value, 0.0);
    assert!(r.provenance.assumption.is_some());
}

/// Outcomes that no other outcome Pareto-dominates, by enumeration.
fn brute_force_frontier(sc: &Scenario) -> usize {
    let sizes: Vec<usize> = sc.issues.iter().map(|i| i.levels()).collect();
    let total: usize = sizes.iter().product();
    let utils: Vec<Vec<f64>> = (0..total)
        .map(|mut k| {
            let mut lv = vec![0; sizes.len()];
            for (j, s) in sizes.iter().enumerate().rev() {
                lv[j] = k % s;
                k /= s;
            }
            (0..sc.actors.len()).map(|a| sc.utility(a, &lv)).collect()
        })
        .collect();
    let dominates = |a: &[f64], b: &[f64]| {
        a.iter().zip(b).all(|(x, y)| x >= y) && a.iter().zip(b).any(|(x, y)| x > y)
    };
    (0..total)
        .filter(|&i| !(0..total).any(|j| dominates(&utils[j], &utils[i])))
        .count()
}

/// The analysis's whole-space frontier has the brute-force size.
fn check_frontier(label: &str, sc: &Scenario) -> usize {
    let opts = AnalyzeOptions {
        pareto_all: true,
        ..Default::default()
    };
    let an = analyze(sc, &opts, &NoProgress).expect("analysis");
    let got = an.pareto_all.expect("asked for").len();
    let want = brute_force_frontier(sc);
    assert!(want > 0);
    assert_eq!(got, want, "{label}");
    got
}

#[test]
fn pareto_frontier_matches_brute_force() {
    // Frontier sizes counted by an independent enumeration of every
    // outcome in exact fractions (Python `fractions.Fraction`, the
    // utilities written out from the profiles as in
    // `hand_computed_utilities`): lease 18 of 165 outcomes, picnic 12 of 24.
    assert_eq!(check_frontier("lease", &import_own("lease").scenario), 18);
    assert_eq!(check_frontier("picnic", &import_own("picnic").scenario), 12);
}

#[test]
fn anac_pareto_frontier_matches_brute_force() {
    let Some(root) = anac("anac_pareto_frontier_matches_brute_force") else {
        return;
    };
    let import = |dir: &str| import_files(dir, &anac_files(&root, dir));
    for dir in [
        "y2011/NiceOrDie",
        "y2011/Laptop",
        "other/Domain2",
        "other/Domain4",
        "y2010/ItexvsCypress",
    ] {
        check_frontier(dir, &import(dir).scenario);
    }
    // NiceOrDie: all three outcomes are Pareto-optimal (each is best or
    // second best for someone: 1000/160, 160/1000, 299/299).
    assert_eq!(brute_force_frontier(&import("y2011/NiceOrDie").scenario), 3);
}

/// Export, re-import, and compare issues, actors, discounts, weights and
/// every outcome's utilities (up to the largest domains); returns the
/// re-import.
fn check_round_trip(label: &str, first: &GeniusImport) -> GeniusImport {
    let out = to_genius(&first.scenario, &first.discounts).expect("exportable");
    assert!(out.dropped.is_empty());
    let second = reimport(&out);
    let (a, b) = (&first.scenario, &second.scenario);
    assert_eq!(a.id, b.id, "{label}");
    assert_eq!(a.issues.len(), b.issues.len(), "{label}");
    assert_eq!(a.actors, b.actors, "{label}");
    assert_eq!(first.discounts, second.discounts, "{label}");
    for (pa, pb) in a.preferences.iter().zip(&b.preferences) {
        assert_eq!(pa.reservation.value, pb.reservation.value);
        for (x, y) in pa.issues.iter().zip(&pb.issues) {
            assert!((x.weight.value - y.weight.value).abs() <= 1e-15);
        }
    }
    if a.space_size() <= 70_000 {
        let sizes: Vec<usize> = a.issues.iter().map(|i| i.levels()).collect();
        for mut k in 0..a.space_size() as usize {
            let mut lv = vec![0; sizes.len()];
            for (j, s) in sizes.iter().enumerate().rev() {
                lv[j] = k % s;
                k /= s;
            }
            for act in 0..a.actors.len() {
                assert!(
                    (a.utility(act, &lv) - b.utility(act, &lv)).abs() <= 1e-12,
                    "{label}"
                );
            }
        }
    }
    second
}

#[test]
fn export_then_import_gives_the_same_scenario() {
    let picnic = import_own("picnic");
    assert_eq!(
        check_round_trip("picnic", &picnic).scenario.issues,
        picnic.scenario.issues
    );
    // lease: the integer rent keeps its kind (both evaluators are straight
    // lines from 10 to 14), but the deposit evaluators bend where they
    // clamp at 2, so the deposit comes back as its 11 levels listed as
    // discrete items, with the same utilities.
    let lease = import_own("lease");
    let back = check_round_trip("lease", &lease).scenario;
    assert_eq!(back.issues[..2], lease.scenario.issues[..2]);
    let labels: Vec<&str> = match &back.issues[2].kind {
        accord::model::IssueKind::Options { options, .. } => {
            options.iter().map(|o| o.label.as_str()).collect()
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(
        labels,
        ["0", "0.25", "0.5", "0.75", "1", "1.25", "1.5", "1.75", "2", "2.25", "2.5"]
    );
}

#[test]
fn anac_export_then_import_gives_the_same_scenario() {
    let Some(root) = anac("anac_export_then_import_gives_the_same_scenario") else {
        return;
    };
    for &(dir, ..) in LINEAR {
        let first = import_files(dir, &anac_files(&root, dir));
        let second = check_round_trip(dir, &first);
        assert_eq!(first.scenario.issues, second.scenario.issues, "{dir}");
    }
}

/// The non-linear profile-1.xml is refused, pointing at the value of its
/// `type="nonlinear"`.
fn check_nonlinear_refused(label: &str, files: &[GeniusFile]) {
    let e = import_genius_files(files, &GeniusOptions::default()).unwrap_err();
    let d = &e.diagnostics[0];
    assert!(d.message.contains("non-linear"), "{}", d.message);
    assert!(d.file.ends_with("profile-1.xml"), "{}", d.file);
    let text = &files
        .iter()
        .find(|f| f.name.ends_with("profile-1.xml"))
        .expect("profile")
        .text;
    let pos = text.find("\"nonlinear\"").expect("attribute") + 1;
    let line = 1 + text[..pos].matches('\n').count();
    let column = pos - text[..pos].rfind('\n').map_or(0, |i| i + 1) + 1;
    assert_eq!((d.line, d.column), (line, column), "{label}");
}

#[test]
fn nonlinear_profiles_are_refused_with_a_location() {
    let files = own("grid");
    check_nonlinear_refused("grid", &files);
    // data/genius/grid/profile-1.xml opens with
    // `<utility_space type="nonlinear">`: the value starts at line 1,
    // column 22.
    let e = import_genius_files(&files, &GeniusOptions::default()).unwrap_err();
    assert_eq!((e.diagnostics[0].line, e.diagnostics[0].column), (1, 22));
}

#[test]
fn anac_nonlinear_profiles_are_refused_with_a_location() {
    let Some(root) = anac("anac_nonlinear_profiles_are_refused_with_a_location") else {
        return;
    };
    for dir in ["other/S-1NIKFRT-1", "other/S-1NAGUNL-128"] {
        check_nonlinear_refused(dir, &anac_files(&root, dir));
    }
}

const DOMAIN: &str = r#"<negotiation_template><utility_space>
<objective index="0" name="root" etype="objective">
<issue index="1" name="Price" etype="integer" lowerbound="10" upperbound="20"/>
<issue index="2" name="Size" etype="real"><range lowerbound="0" upperbound="2"/></issue>
<issue index="3" name="Colour" etype="discrete"><item index="1" value="red"/><item index="2" value="blue"/></issue>
</objective></utility_space></negotiation_template>"#;

fn profile(price: &str, size: &str, w: [&str; 3]) -> String {
    format!(
        r#"<utility_space><objective index="0" name="root" etype="objective">
<issue index="1" name="Price" etype="integer" lowerbound="10" upperbound="20"><evaluator ftype="linear" {price}/></issue>
<issue index="2" name="Size" etype="real"><evaluator ftype="linear" {size}/></issue>
<issue index="3" name="Colour" etype="discrete"><item value="red" evaluation="4"/><item value="blue" evaluation="2"/></issue>
<weight index="1" value="{}"/><weight index="2" value="{}"/><weight index="3" value="{}"/>
</objective><reservation value="0.25"/><discount_factor value="1.5"/></utility_space>"#,
        w[0], w[1], w[2]
    )
}

fn synthetic(p1: &str, p2: &str) -> Result<GeniusImport, accord_formats::LoadError> {
    import_genius_files(
        &[
            GeniusFile::new("d.xml", DOMAIN),
            GeniusFile::new("seller.xml", p1),
            GeniusFile::new("buyer.xml", p2),
        ],
        &GeniusOptions::default(),
    )
}

#[test]
fn integer_and_real_evaluators_follow_genius() {
    // seller: price clamp(0.5 + 0.1·(x − 10)) → 1 from x = 15 on;
    // size clamp(0.5·x + 0) → rising on [0, 2].
    let p1 = profile(
        r#"slope="0.1" offset="0.5""#,
        r#"parameter0="0" parameter1="0.5""#,
        ["0.5", "0.25", "0.25"],
    );
    // buyer: price clamp(1 − 0.1·(x − 10)) falling; size constant 1 − x/2.
    let p2 = profile(
        r#"slope="-0.1" offset="1""#,
        r#"parameter0="1" parameter1="-0.5""#,
        ["0.25", "0.25", "0.5"],
    );
    let imp = synthetic(&p1, &p2).expect("imports");
    let sc = &imp.scenario;
    assert_eq!(sc.issues[0].levels(), 11);
    assert_eq!(sc.issues[1].levels(), 11); // default real discretisation
    assert!(sc
        .description
        .contains("discretised into 11 values (step 0.2)"));
    assert_eq!(imp.discounts, vec![1.0, 1.0]); // 1.5 is out of (0, 1]: none
                                               // price 12 (level 2), size 1.2 (level 6), blue (level 1):
                                               // seller 0.5·0.7 + 0.25·0.6 + 0.25·(2/4); buyer 0.25·0.8 + 0.25·0.4 + 0.5·0.5.
    close(
        sc.utility(0, &[2, 6, 1]),
        0.5 * 0.7 + 0.25 * 0.6 + 0.25 * 0.5,
    );
    close(
        sc.utility(1, &[2, 6, 1]),
        0.25 * 0.8 + 0.25 * 0.4 + 0.5 * 0.5,
    );
    // price 17 is past the seller's clamp: 0.5·1 + 0.25·0 + 0.25·1.
    close(sc.utility(0, &[7, 0, 0]), 0.5 + 0.25);
    assert_eq!(sc.preferences[0].reservation.value, 0.25);
    // The seller's price function has a corner, so the writer lists the
    // levels as discrete items; utilities survive the round trip.
    let out = to_genius(sc, &imp.discounts).expect("export");
    assert!(!out.domain.1.contains(r#"etype="integer""#));
    let back = reimport(&out);
    for l in 0..11 * 11 * 2 {
        let lv = [l / 22, (l / 2) % 11, l % 2];
        for a in 0..2 {
            close(back.scenario.utility(a, &lv), sc.utility(a, &lv));
        }
    }
    // Without the corner (slope 0.05 reaches 1 exactly at 20) both price
    // functions are linear and the issue is written as an integer issue.
    let p1 = profile(
        r#"slope="0.05" offset="0.5""#,
        r#"parameter1="0.5""#,
        ["0.5", "0.25", "0.25"],
    );
    let imp = synthetic(&p1, &p2).expect("imports");
    let out = to_genius(&imp.scenario, &imp.discounts).expect("export");
    assert!(out.domain.1.contains(r#"etype="integer""#));
    let back = reimport(&out);
    assert_eq!(back.scenario.issues[0], imp.scenario.issues[0]);
    for l in 0..11 * 11 * 2 {
        let lv = [l / 22, (l / 2) % 11, l % 2];
        for a in 0..2 {
            close(back.scenario.utility(a, &lv), imp.scenario.utility(a, &lv));
        }
    }
}

fn reimport(out: &accord_formats::genius::GeniusExport) -> GeniusImport {
    let mut files = vec![GeniusFile::new(out.domain.0.clone(), out.domain.1.clone())];
    files.extend(
        out.profiles
            .iter()
            .map(|(n, t)| GeniusFile::new(n.clone(), t.clone())),
    );
    import_genius_files(&files, &GeniusOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn bad_inputs_give_located_errors() {
    let ok = profile(
        r#"slope="0.1" offset="0.5""#,
        r#"parameter1="0.5""#,
        ["0.5", "0.25", "0.25"],
    );
    let cases: Vec<(String, &str, usize)> = vec![
        (
            ok.replace(r#"evaluation="4""#, r#"evaluation="-4""#),
            "negative",
            4,
        ),
        (
            ok.replace(r#"<weight index="2" value="0.25"/>"#, ""),
            "no <weight index=\"2\">",
            3,
        ),
        (
            ok.replace(r#"slope="0.1""#, r#"slope="steep""#),
            "must be a number",
            2,
        ),
        (
            ok.replace(
                r#"ftype="linear" parameter1"#,
                r#"ftype="triangular" parameter1"#,
            ),
            "not supported yet",
            3,
        ),
        (ok.replace("</objective>", ""), "not well-formed", 6),
    ];
    for (text, want, line) in cases {
        let e = synthetic(&text, &ok).unwrap_err();
        let d = &e.diagnostics[0];
        assert!(d.message.contains(want), "{}", d.message);
        assert_eq!(d.file, "seller.xml");
        assert_eq!(d.line, line, "{want}: {e}");
    }
    let huge = DOMAIN.replace(r#"upperbound="20""#, r#"upperbound="9000000000""#);
    let e = import_genius_files(
        &[
            GeniusFile::new("d.xml", huge),
            GeniusFile::new("a.xml", ok.clone()),
            GeniusFile::new("b.xml", ok.clone()),
        ],
        &GeniusOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("d.xml:3:"), "{e}");
    let e = synthetic(&ok, "<pareto/>").unwrap_err();
    assert!(e.to_string().contains("at least two profiles"), "{e}");
}

/// The lease domain's files: domain, landlord, tenant.
fn lease_texts() -> Vec<GeniusFile> {
    own("lease")
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        max_shrink_iters: if std::env::var_os("CI").is_some() { 0 } else { 1024 },
        ..ProptestConfig::default()
    })]

    /// Random byte flips in any file never make the reader panic.
    #[test]
    fn byte_flips_never_panic(which in 0usize..3, flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6)) {
        let mut fs = lease_texts();
        let mut bytes = fs[which].text.clone().into_bytes();
        for (i, b) in flips {
            let k = i.index(bytes.len());
            bytes[k] = b;
        }
        fs[which].text = String::from_utf8_lossy(&bytes).into_owned();
        let _ = import_genius_files(&fs, &GeniusOptions::default());
    }

    /// Arbitrary text as a profile never makes the reader panic.
    #[test]
    fn arbitrary_profiles_never_panic(text in ".{0,300}", tail in "(<[a-z_]{1,12}( [a-z]{1,9}=\"[-0-9.a-z]{0,6}\")*/?>){0,12}") {
        let mut fs = lease_texts();
        fs[1].text = format!("<utility_space><objective index=\"0\">{text}{tail}");
        let _ = import_genius_files(&fs, &GeniusOptions::default());
        fs[1].text = tail;
        let _ = import_genius_files(&fs, &GeniusOptions::default());
    }
}

/// Every prefix of every file of a domain is refused or read, never a
/// panic.
#[test]
fn every_prefix_never_panics() {
    for dir in ["lease", "picnic"] {
        let fs = own(dir);
        for which in 0..fs.len() {
            let text = &fs[which].text;
            for cut in (0..=text.len()).filter(|&c| text.is_char_boundary(c)) {
                let mut g = fs.clone();
                g[which].text = text[..cut].to_string();
                let r = import_genius_files(&g, &GeniusOptions::default());
                if cut < text.trim_end().len() {
                    assert!(r.is_err(), "{dir} {which} prefix {cut} accepted");
                }
            }
        }
    }
}
