//! KTAB and DEU readers: real files, error positions, and no panics.

use accord::forecast::{
    backtest, BacktestIssue, BacktestOptions, NeverCancel, PceModel, VotingRule,
};
use accord_formats::deu::read_deu;
use accord_formats::ktab::{read_ktab_csv, read_ktab_xml, DataError};
use proptest::prelude::*;

mod common;

/// A file of the repository's `data/` folder (KTAB: MIT; DEU III: CC BY 4.0).
fn data(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", common::DATA)).unwrap()
}

#[test]
fn ktab_csv_and_xml_agree_on_dummy_data() {
    let csv = read_ktab_csv(&data("ktab/dummyData_3Dim.csv")).unwrap();
    let xml = read_ktab_xml(&data("ktab/dummyData_3Dim.xml")).unwrap();
    assert_eq!(csv.name, "DummyData_3Dim");
    assert_eq!(csv.problem.actors().len(), 7);
    assert_eq!(csv.problem.dimensions().len(), 3);
    assert_eq!(csv.problem.dimensions()[0].name, "Pstn1");
    assert_eq!(csv.problem.actors()[2].power, 129.643);
    assert_eq!(csv.problem.dimensions()[2].positions[2], Some(0.07));
    assert_eq!(csv.problem.dimensions()[1].saliences[3], Some(39.24));
    assert_eq!(csv.problem, xml.problem);
    assert!(!xml.stochastic);
}

#[test]
fn ktab_files_of_every_shape_read() {
    let a160 = read_ktab_csv(&data("ktab/dummyData-a160.csv")).unwrap();
    assert_eq!(a160.problem.actors().len(), 160);
    assert_eq!(a160.problem.actors()[0].name, "Act-1001");
    assert_eq!(a160.problem.dimensions()[0].positions[0], Some(63.03));
    let six = read_ktab_csv(&data("ktab/dummyData_6Dim.csv")).unwrap();
    assert_eq!(
        (six.problem.actors().len(), six.problem.dimensions().len()),
        (27, 6)
    );
    let soe = read_ktab_csv(&data("ktab/SOE-Pol-Comp.csv")).unwrap();
    assert_eq!(soe.problem.actors()[0].name, "XJ");
    assert_eq!(soe.problem.dimensions()[1].name, "Competitive Position");
    let ex = read_ktab_xml(&data("ktab/smpExample.xml")).unwrap();
    assert!(ex.stochastic);
    assert_eq!(ex.smp.pce, PceModel::MarkovIncentive);
    assert_eq!(ex.smp.voting, VotingRule::PropCbc);
    assert_eq!(ex.problem.actors()[0].name, "Alice");
    // Alice's first coordinate is empty in the file: a missing value.
    assert_eq!(ex.problem.dimensions()[0].positions[0], None);
    assert_eq!(ex.problem.dimensions()[1].positions[0], Some(39.8));
}

#[test]
fn ktab_errors_name_line_and_column() {
    let bad = "S,d,2,1,\nActor,Desc,Power,P,S\nA,a,10,50,20\nB,b,10,abc,20\n";
    match read_ktab_csv(bad) {
        Err(DataError::Field { line, column, .. }) => assert_eq!((line, column), (4, 4)),
        other => panic!("{other:?}"),
    }
    let short = "S,d,3,1,\nActor,Desc,Power,P,S\nA,a,10,50,20\n";
    assert!(matches!(read_ktab_csv(short), Err(DataError::Line { .. })));
    let range = "S,d,1,1,\nActor,Desc,Power,P,S\nA,a,10,50,120\n";
    match read_ktab_csv(range) {
        Err(DataError::Field {
            line,
            column,
            expected,
            ..
        }) => {
            assert_eq!((line, column), (3, 5));
            assert!(expected.contains("salience"));
        }
        other => panic!("{other:?}"),
    }
    let xml = "<Scenario><Dimensions><dName>a</dName></Dimensions><Actors>\n<Actor><name>x</name><capability>1</capability>\n<Position><dCoord>oops</dCoord></Position><Salience><dSal>5</dSal></Salience></Actor></Actors></Scenario>";
    match read_ktab_xml(xml) {
        Err(DataError::Field { line, .. }) => assert_eq!(line, 3),
        other => panic!("{other:?}"),
    }
}

#[test]
fn deu_reader_counts_and_missing_values() {
    let issues = read_deu(&data("deu/deu3.csv")).unwrap();
    assert_eq!(issues.len(), 364);
    let first = &issues[0];
    assert_eq!(first.id, "d00032i1");
    assert_eq!(first.problem.actors().len(), 30);
    assert_eq!(first.problem.actors()[0].name, "com");
    assert_eq!(first.outcome, Some(100.0));
    assert_eq!(first.problem.dimensions()[0].positions[0], Some(100.0));
    // Bulgaria had no position on this 2000 issue.
    assert_eq!(first.problem.dimensions()[0].positions[4], None);
    let with_rp = issues
        .iter()
        .filter(|i| i.reference_point.is_some())
        .count();
    assert_eq!(with_rp, 261);
    let semi = "isnr;pa;pb;sa;sb;out\nx1;10;999;50;;40\n";
    let s = read_deu(semi).unwrap();
    assert_eq!(
        s[0].problem.dimensions()[0].positions,
        vec![Some(10.0), None]
    );
    assert_eq!(
        s[0].problem.dimensions()[0].saliences,
        vec![Some(50.0), None]
    );
    match read_deu("isnr;pa;sa;out\nx1;10;50;4x0\n") {
        Err(DataError::Field { line, column, .. }) => assert_eq!((line, column), (2, 4)),
        other => panic!("{other:?}"),
    }
}

/// The published DEU III baselines (equal capabilities, 351 issues).
#[test]
fn deu_baselines_reproduce_published_maes() {
    let issues: Vec<BacktestIssue> = read_deu(&data("deu/deu3.csv"))
        .unwrap()
        .into_iter()
        .map(|i| BacktestIssue {
            id: i.id,
            problem: i.problem,
            outcome: i.outcome,
        })
        .collect();
    let opts = BacktestOptions {
        eum: None,
        smp: None,
        ..BacktestOptions::default()
    };
    let r = backtest(&issues, &opts, &NeverCancel);
    assert_eq!(r.issues_scored, 351);
    let mae = |m: &str| r.scores.iter().find(|s| s.model == m).unwrap().mae;
    assert!(
        (mae("compromise") - 23.64).abs() < 0.005,
        "{}",
        mae("compromise")
    );
    assert!((mae("mean") - 23.63).abs() < 0.005, "{}", mae("mean"));
    assert!((mae("median") - 28.31).abs() < 0.005, "{}", mae("median"));
    let ci = r
        .scores
        .iter()
        .find(|s| s.model == "median")
        .unwrap()
        .ci
        .unwrap();
    // The median is clearly worse than the compromise model on DEU III.
    assert!(ci[0] > 2.0 && ci[1] < 7.0, "{ci:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn ktab_csv_never_panics(s in "\\PC*") {
        let _ = read_ktab_csv(&s);
    }

    #[test]
    fn ktab_csv_never_panics_near_valid(s in "[A-Za-z0-9 ,.\"\n-]{0,200}") {
        let _ = read_ktab_csv(&format!("S,d,2,1,\nActor,D,P,X,S\n{s}"));
    }

    #[test]
    fn ktab_xml_never_panics(s in "\\PC*") {
        let _ = read_ktab_xml(&s);
    }

    #[test]
    fn ktab_xml_never_panics_near_valid(s in "[<>/a-zA-Z0-9 .]{0,200}") {
        let _ = read_ktab_xml(&format!("<Scenario><Dimensions><dName>a</dName></Dimensions><Actors>{s}</Actors></Scenario>"));
    }

    #[test]
    fn deu_never_panics(s in "\\PC*") {
        let _ = read_deu(&s);
    }

    #[test]
    fn deu_never_panics_near_valid(s in "[0-9;\t.\n9x-]{0,200}") {
        let _ = read_deu(&format!("isnr;pa;pb;sa;sb;out;rp\n{s}"));
    }
}
