//! Helpers shared by the randomised test files.

use accord::model::*;

/// A small deterministic generator, so a failing case is its seed.
pub struct Gen(pub u64);

impl Gen {
    /// The next 53 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 11
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A multiple of 1/20 in [0, 1]: exact ties are common, which is what
    /// the tie-breaking and pruning rules must survive.
    pub fn unit(&mut self) -> f64 {
        self.below(21) as f64 / 20.0
    }
}

/// `n` issues of 2 to `1 + max_extra_levels` levels: option issues
/// (ordered two times in three) or numeric ones with a step of 1 to 3.
pub fn random_issues(g: &mut Gen, n_issues: usize, max_extra_levels: usize) -> Vec<Issue> {
    (0..n_issues)
        .map(|i| {
            let levels = 2 + g.below(max_extra_levels);
            let kind = if g.below(2) == 0 {
                IssueKind::Options {
                    options: (0..levels)
                        .map(|k| OptionDef {
                            id: format!("o{k}"),
                            label: format!("o{k}"),
                        })
                        .collect(),
                    ordered: g.below(3) != 0,
                }
            } else {
                let step = 1.0 + g.below(3) as f64;
                IssueKind::Numeric {
                    min: 0.0,
                    max: step * (levels - 1) as f64,
                    step,
                    unit: String::new(),
                }
            };
            Issue {
                id: format!("i{i}"),
                name: format!("i{i}"),
                kind,
            }
        })
        .collect()
}

/// Actors `A0`, `A1`, … of equal power.
pub fn random_actors(n: usize) -> Vec<Actor> {
    (0..n)
        .map(|a| Actor {
            id: format!("A{a}"),
            name: format!("A{a}"),
            power: Param::new(1.0),
        })
        .collect()
}

/// Random salience-weighted value functions of every shape, on every issue.
pub fn random_prefs(g: &mut Gen, issues: &[Issue]) -> Vec<IssuePref> {
    let raw: Vec<f64> = issues.iter().map(|_| 1.0 + g.below(4) as f64).collect();
    let total: f64 = raw.iter().sum();
    issues
        .iter()
        .zip(raw)
        .map(|(issue, w)| {
            let value = match (&issue.kind, g.below(4)) {
                (IssueKind::Options { options, .. }, _)
                    if !issue.is_ordered() || g.below(2) == 0 =>
                {
                    ValueFn::Table {
                        values: options.iter().map(|_| g.unit()).collect(),
                    }
                }
                (_, 0) => ValueFn::Rising,
                (_, 1) => ValueFn::Falling,
                (_, 2) => {
                    let (lo, hi) = issue.range();
                    ValueFn::Peak {
                        ideal: Param::new(issue.scalar(g.below(issue.levels()))),
                        tolerance: Param::new((hi - lo).max(1.0) * 0.7),
                    }
                }
                _ => {
                    let (lo, hi) = issue.range();
                    ValueFn::Piecewise {
                        points: vec![(lo, g.unit()), ((lo + hi) / 2.0, g.unit()), (hi, g.unit())],
                    }
                }
            };
            IssuePref {
                weight: Param::new(w / total),
                value,
                stance: None,
                provenance: Provenance::default(),
            }
        })
        .collect()
}
