//! Reading non-linear GENIUS domains and solving them against a
//! `pareto.xml` (plain text: one `u1, u2` line per point): the
//! repository's own `data/genius/grid` always, GENIUS's own files for the
//! ANAC 2014 domains when `ACCORD_ANAC_DATA` names them.

mod common;

use accord::nonlinear::{analyze_boxes, BoxKind, BoxOptions};
use accord::NoProgress;
use accord_formats::genius::{is_nonlinear_genius, read_genius_nonlinear, GeniusFile};
use common::{anac, genius_files, own};

/// An ANAC non-linear domain under `<ACCORD_ANAC_DATA>/genius/other`.
fn anac_folder(root: &std::path::Path, name: &str) -> Vec<GeniusFile> {
    genius_files(&root.join("genius/other").join(name))
}

/// GENIUS's frontier: `u1, u2` per line, as Java floats.
fn reference(files: &[GeniusFile]) -> Vec<(f32, f32)> {
    let f = files
        .iter()
        .find(|f| f.base_name() == "pareto.xml")
        .unwrap();
    let mut v: Vec<(f32, f32)> = f
        .text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (a, b) = l.split_once(',').unwrap();
            (a.trim().parse().unwrap(), b.trim().parse().unwrap())
        })
        .collect();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v
}

/// The grid's frontier as `pareto.xml` lists it, in full precision.
fn grid_reference(files: &[GeniusFile]) -> Vec<(f64, f64)> {
    let f = files
        .iter()
        .find(|f| f.base_name() == "pareto.xml")
        .unwrap();
    f.text
        .lines()
        .map(|l| {
            let (a, b) = l.split_once(',').unwrap();
            (a.trim().parse().unwrap(), b.trim().parse().unwrap())
        })
        .collect()
}

#[test]
fn reads_the_grid_domain() {
    let files = own("grid");
    assert!(is_nonlinear_genius(&files));
    let p = read_genius_nonlinear(&files).unwrap();
    assert_eq!(p.name, "grid");
    assert_eq!(p.issues.len(), 4);
    assert_eq!(p.issues[3], ("i4".to_string(), 0, 4));
    assert_eq!(p.parties.len(), 2);
    assert_eq!(p.parties[0].max_utility, 100.0);
    assert_eq!(p.parties[1].max_utility, 80.0);
    assert_eq!(p.parties[0].reservation, 0.3);
    assert_eq!(p.parties[1].reservation, 0.2);
    assert_eq!(p.parties[0].boxes.len(), 4);
    // profile-1's second box: utility 30 over i2 in 0..=1 and i3 in 2..=4.
    let b = &p.parties[0].boxes[1];
    assert_eq!((b.weight, b.kind), (30.0, BoxKind::Includes));
    assert_eq!(b.ranges, vec![None, Some((0, 1)), Some((2, 4)), None]);
    // The third box's value is utility 20 × weight 1.5; the fourth has
    // EXCLUDES children, so it is an excludes box.
    assert_eq!(p.parties[0].boxes[2].weight, 30.0);
    assert_eq!(p.parties[0].boxes[3].kind, BoxKind::Excludes);
    assert_eq!(p.parties[1].boxes[3].kind, BoxKind::Excludes);
    // Hand-computed: outcome (3, 0, 2, 4). profile-1: boxes 1 (i1 ≥ 3),
    // 2 (i2 ≤ 1, i3 ≥ 2) and 3 (i4 = 4) hold, and the excludes box holds
    // since i1 is outside 0..=1: 40 + 30 + 30 + 10 = 110, capped at 1.
    // profile-2: box 3 (i3 ≤ 2, i1 ≥ 2) and the excludes box (i4 outside
    // 0..=1) hold: (20 + 15) / 80 = 0.4375.
    assert_eq!(p.utilities(&[3, 0, 2, 4]), vec![1.0, 0.4375]);
    // (0, 0, 0, 0): profile-1 only box 2 fails on i3 and the excludes box
    // is inside both ranges: 0. profile-2: box 1 needs i4 ≥ 2, box 3
    // needs i1 ≥ 2: 0.
    assert_eq!(p.utilities(&[0, 0, 0, 0]), vec![0.0, 0.0]);
}

#[test]
fn grid_frontier_matches_its_pareto_file() {
    // data/genius/grid/pareto.xml was written by data/genius/pareto.py,
    // an independent brute force over all 625 outcomes in Python.
    let files = own("grid");
    let p = read_genius_nonlinear(&files).unwrap();
    let a = analyze_boxes(&p, &BoxOptions::default(), &NoProgress).unwrap();
    assert!(a.exact);
    assert_eq!(a.outcomes, 625);
    let got: Vec<(f64, f64)> = a
        .pareto
        .iter()
        .map(|q| (q.utilities[0], q.utilities[1]))
        .collect();
    let want = grid_reference(&files);
    assert_eq!(want.len(), 4);
    assert_eq!(got, want);
    for q in &a.pareto {
        assert_eq!(p.utilities(&q.outcome), q.utilities);
    }
}

#[test]
fn reads_the_ten_issue_domain() {
    let Some(root) = anac("reads_the_ten_issue_domain") else {
        return;
    };
    let files = anac_folder(&root, "S-1NIKFRT-1");
    assert!(is_nonlinear_genius(&files));
    let p = read_genius_nonlinear(&files).unwrap();
    assert_eq!(p.name, "S-1NIKFRT-1");
    assert_eq!(p.issues.len(), 10);
    assert_eq!(p.issues[0], ("c1-i10".to_string(), 0, 9));
    assert_eq!(p.parties.len(), 2);
    assert_eq!(p.parties[0].max_utility, 1036.0);
    assert_eq!(p.parties[1].max_utility, 704.0);
    assert_eq!(p.parties[0].reservation, 0.6);
    assert_eq!(p.parties[1].reservation, 0.5);
    assert_eq!(p.parties[0].boxes.len(), 20);
    // First box of profile-1: utility 78, issue index 4 in 3..=9.
    let b = &p.parties[0].boxes[0];
    assert_eq!(b.weight, 78.0);
    assert_eq!(b.kind, BoxKind::Includes);
    assert_eq!(b.ranges[3], Some((3, 9)));
    assert_eq!(b.ranges.iter().filter(|r| r.is_some()).count(), 1);
}

#[test]
fn ten_issue_frontier_matches_genius_pareto_file() {
    let Some(root) = anac("ten_issue_frontier_matches_genius_pareto_file") else {
        return;
    };
    let files = anac_folder(&root, "S-1NIKFRT-1");
    let p = read_genius_nonlinear(&files).unwrap();
    let a = analyze_boxes(&p, &BoxOptions::default(), &NoProgress).unwrap();
    assert!(a.exact);
    assert_eq!(a.outcomes, 10u128.pow(10));
    let got: Vec<(f32, f32)> = a
        .pareto
        .iter()
        .map(|q| (q.utilities[0] as f32, q.utilities[1] as f32))
        .collect();
    assert_eq!(got, reference(&files));
    for q in &a.pareto {
        assert_eq!(p.utilities(&q.outcome), q.utilities);
    }
}

/// The 30-issue ANAC 2014 domain (10³⁰ outcomes) cannot be settled, but
/// after the plain search the anytime phase (seeded local search, then
/// ε-frontier passes) finds a frontier that weakly dominates every point
/// of GENIUS's own `pareto.xml` (compared as Java floats, as GENIUS wrote
/// them), and certifies how far from exact it can be: every outcome is
/// within the `pareto` ε of a found point.
#[test]
fn thirty_issue_frontier_dominates_genius_pareto_file() {
    let Some(root) = anac("thirty_issue_frontier_dominates_genius_pareto_file") else {
        return;
    };
    let files = anac_folder(&root, "S-1NAGUNL-128");
    let p = read_genius_nonlinear(&files).unwrap();
    let opts = BoxOptions {
        max_nodes: 1_500_000,
        ..BoxOptions::default()
    };
    let a = analyze_boxes(&p, &opts, &NoProgress).unwrap();
    assert!(!a.exact);
    let genius = reference(&files);
    assert_eq!(genius.len(), 94);
    let ours: Vec<(f32, f32)> = a
        .pareto
        .iter()
        .map(|q| (q.utilities[0] as f32, q.utilities[1] as f32))
        .collect();
    for g in &genius {
        assert!(
            ours.iter().any(|o| o.0 >= g.0 && o.1 >= g.1),
            "GENIUS's point {g:?} is not weakly dominated by any of {} found",
            ours.len()
        );
    }
    for q in &a.pareto {
        assert_eq!(p.utilities(&q.outcome), q.utilities);
    }
    let eps = a
        .bounds
        .iter()
        .find(|b| b.figure == "pareto")
        .unwrap()
        .upper;
    assert!(eps > 0.0 && eps <= 0.2, "certified ε {eps}");
    // Same options, same answer.
    assert_eq!(analyze_boxes(&p, &opts, &NoProgress).unwrap(), a);
}

#[test]
fn excludes_boxes_are_read() {
    let Some(root) = anac("excludes_boxes_are_read") else {
        return;
    };
    let files = anac_folder(&root, "S-1NAGUNL-128");
    let p = read_genius_nonlinear(&files).unwrap();
    assert_eq!(p.issues.len(), 30);
    assert_eq!(p.parties[0].boxes.len(), 60);
    assert_eq!(p.parties[1].boxes.len(), 78);
    let ex = |k: usize| {
        p.parties[k]
            .boxes
            .iter()
            .filter(|b| b.kind == BoxKind::Excludes)
            .count()
    };
    assert!(ex(0) > 0 && ex(1) > 0);
}

#[test]
fn linear_domains_are_not_nonlinear_and_errors_are_located() {
    assert!(!is_nonlinear_genius(&own("lease")));
    let mut files = own("grid");
    let prof = files
        .iter_mut()
        .find(|f| f.base_name() == "profile-2.xml")
        .unwrap();
    prof.text = prof
        .text
        .replace("maxutility=\"80\"", "maxutility=\"zero\"");
    let e = read_genius_nonlinear(&files).unwrap_err().to_string();
    assert!(e.contains("profile-2.xml"), "{e}");
    assert!(e.contains("maxutility"), "{e}");
}
