//! Reading the shared non-linear GENIUS domains and solving them against
//! GENIUS's own `pareto.xml` (plain text: one `u1, u2` line per point).

use accord::nonlinear::{analyze_boxes, BoxKind, BoxOptions};
use accord::NoProgress;
use accord_formats::genius::{is_nonlinear_genius, read_genius_nonlinear, GeniusFile};

fn folder(name: &str) -> Vec<GeniusFile> {
    let dir = format!(
        "{}/../../../shared/data/genius/other/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|p| {
            GeniusFile::new(
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
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

#[test]
fn reads_the_ten_issue_domain() {
    let files = folder("S-1NIKFRT-1");
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
    let files = folder("S-1NIKFRT-1");
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

#[test]
fn excludes_boxes_are_read() {
    let files = folder("S-1NAGUNL-128");
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
    let mut files = folder("S-1NIKFRT-1");
    let prof = files
        .iter_mut()
        .find(|f| f.base_name() == "profile-2.xml")
        .unwrap();
    prof.text = prof
        .text
        .replace("maxutility=\"704\"", "maxutility=\"zero\"");
    let e = read_genius_nonlinear(&files).unwrap_err().to_string();
    assert!(e.contains("profile-2.xml"), "{e}");
    assert!(e.contains("maxutility"), "{e}");
}
