//! The verdict: the first sentences every front end prints about an
//! analysis, saying whether a deal can close. One function decides them, so
//! the CLI and the report cannot disagree, and neither claims more than the
//! analysis proved (a search stopped by its budget is undecided, not "no
//! deal").

use crate::explain::grouped;
use accord::Analysis;

/// The verdict of an analysis, in one or two sentences: no feasible
/// outcome; a deal (and how many of its outcomes can be carried out);
/// undecided (the search stopped before it could tell); or no deal, with
/// how many blocking sets rule it out when they are known.
pub fn verdict_lines(an: &Analysis) -> Vec<String> {
    let count = |n: u64| grouped(u128::from(n));
    if an.feasible == 0 {
        return vec![
            "No outcome is feasible: the feasibility constraints exclude every combination.".into(),
        ];
    }
    if deal_open(an) {
        let mut out = vec![format!(
            "A deal can close: {} of {} feasible outcomes are acceptable to every party and ratifier.",
            count(an.zopa.size),
            count(an.feasible)
        )];
        if let Some(i) = &an.zopa.implementable {
            out.push(format!(
                "{} of them can also be carried out (their deal-dependent process can run).",
                count(i.size)
            ));
        }
        return out;
    }
    if undecided(an) {
        return vec![format!(
            "Undecided: the search stopped at its node budget (--max-nodes) before it could \
             tell whether a deal can close; {} of {} feasible outcomes found acceptable so far.",
            count(an.zopa.size),
            count(an.feasible)
        )];
    }
    if an.blockers.is_empty() && an.blockers_truncated {
        return vec![format!(
            "No deal can close today: none of the {} feasible outcomes is acceptable to every \
             party, and more sets of constraints each rule them all out than the analysis lists.",
            count(an.feasible)
        )];
    }
    if blockers_unsettled(an) {
        return vec![format!(
            "No deal can close today: none of the {} feasible outcomes is acceptable to every \
             party; the search did not settle which constraints block it (its node budget ran \
             out, or there are more soft constraints than it tries every subset of).",
            count(an.feasible)
        )];
    }
    let k = an.blockers.len();
    let what = if k == 1 {
        "one set of constraints rules out".to_string()
    } else {
        format!(
            "{k} {}sets of constraints each rule out",
            if blockers_disjoint(an) {
                "independent "
            } else {
                ""
            }
        )
    };
    if an.zopa.size > 0 {
        vec![format!(
            "No deal can be carried out today: {} outcomes are acceptable to every party and ratifier, but the process each needs cannot run; {what} all {} feasible outcomes (process constraints included).",
            count(an.zopa.size),
            count(an.feasible)
        )]
    } else {
        vec![format!(
            "No deal can close today: {what} all {} feasible outcomes.",
            count(an.feasible)
        )]
    }
}

/// Whether a deal can close: some outcome is acceptable to every party and
/// ratifier and, when the process depends on the deal, can be carried out.
pub fn deal_open(an: &Analysis) -> bool {
    an.zopa.size > 0 && an.zopa.implementable.as_ref().is_none_or(|i| i.size > 0)
}

/// Whether the search stopped at its budget before it could tell whether a
/// deal can close: the ZOPA's size is only a bound.
pub fn undecided(an: &Analysis) -> bool {
    unsettled(an, "zopa.size")
}

/// Whether no deal is known to close but the blocking sets were not
/// settled (the search path's budget, or too many soft constraints to try
/// every subset): then no blocking set may be told as one. (A list cut at
/// its limit is settled, only too long to give.)
pub fn blockers_unsettled(an: &Analysis) -> bool {
    (an.blockers.is_empty() && !an.blockers_truncated) || unsettled(an, "blockers")
}

/// Whether the search left `figure` as a bound rather than a value.
fn unsettled(an: &Analysis, figure: &str) -> bool {
    an.search
        .as_ref()
        .is_some_and(|s| s.bounds.iter().any(|b| b.figure == figure))
}

/// Whether no constraint belongs to two blocking sets (then each set must
/// give way on its own: they are independent).
fn blockers_disjoint(an: &Analysis) -> bool {
    let mut seen = std::collections::HashSet::new();
    an.blockers
        .iter()
        .flatten()
        .all(|c| seen.insert((c.actor.as_str(), c.id.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord::{AnalyzeOptions, Method, NoProgress};
    use accord_formats::scenario::{parse_scenario, Syntax};

    const SALE: &str = include_str!("../../../scenarios/sale.toml");

    fn analyze(text: &str, opts: &AnalyzeOptions) -> (accord::Scenario, Analysis) {
        let sc = parse_scenario(text, "sale.toml", Syntax::Toml).expect("parses");
        let an = accord::analyze(&sc, opts, &NoProgress).expect("analyses");
        (sc, an)
    }

    /// The sale without ratifiers and with 10,001 prices: on the search
    /// path (20,002 outcomes: 10,001 prices by two levels of the other
    /// issue), one node settles nothing.
    #[test]
    fn a_budget_cut_search_is_undecided_everywhere() {
        let fine =
            SALE[..SALE.find("[[ratifiers]]").unwrap()].replacen("step = 1\n", "step = 0.001\n", 1);
        let opts = AnalyzeOptions {
            method: Method::Search,
            max_nodes: 1,
            ..AnalyzeOptions::default()
        };
        let (sc, an) = analyze(&fine, &opts);
        assert!(undecided(&an));
        let lines = verdict_lines(&an);
        assert_eq!(lines.len(), 1);
        assert!(
            lines[0].starts_with("Undecided: the search stopped"),
            "{lines:?}"
        );
        let n = crate::narrative::narrative(&sc, &an, None, &[]);
        assert_eq!(n.verdict, "undecided");
        assert!(!n.headline.contains("No deal"), "{}", n.headline);
        // With the budget it needs, the same file has a deal.
        let (_, an) = analyze(
            &fine,
            &AnalyzeOptions {
                method: Method::Search,
                ..AnalyzeOptions::default()
            },
        );
        assert_eq!(
            verdict_lines(&an)[0],
            "A deal can close: 5,502 of 20,002 feasible outcomes are acceptable to every party and ratifier."
        );
    }

    /// The bundled sale with the buyer's limit below the seller's: blocking
    /// sets are known, so they are counted, with grouped digits.
    #[test]
    fn no_deal_counts_its_blocking_sets() {
        let (_, an) = analyze(SALE, &AnalyzeOptions::default());
        assert_eq!(
            verdict_lines(&an),
            ["A deal can close: 4 of 22 feasible outcomes are acceptable to every party and ratifier."]
        );
        let (_, an) = analyze(
            &SALE.replacen("rule = \"price <= 8\"", "rule = \"price <= 1\"", 1),
            &AnalyzeOptions::default(),
        );
        assert!(!blockers_unsettled(&an));
        let k = an.blockers.len();
        assert!(k >= 1);
        let line = &verdict_lines(&an)[0];
        assert!(line.starts_with("No deal can close today: "), "{line}");
        assert!(
            line.ends_with(&format!(
                "all {} feasible outcomes.",
                grouped(u128::from(an.feasible))
            )),
            "{line}"
        );
    }

    /// The triad has three blocking sets; with a limit of one, none is
    /// listed, and the verdict says there are more than it lists rather
    /// than blaming a search that never ran.
    #[test]
    fn a_blocker_list_cut_at_its_limit_is_not_called_unsettled() {
        const TRIAD: &str = include_str!("../../../scenarios/triad.toml");
        let (sc, an) = analyze(TRIAD, &AnalyzeOptions::default());
        assert_eq!(an.blockers.len(), 3);
        assert_eq!(
            verdict_lines(&an),
            ["No deal can close today: 3 independent sets of constraints each rule out all 45 feasible outcomes."]
        );
        let cut = AnalyzeOptions {
            max_blockers: 1,
            ..AnalyzeOptions::default()
        };
        let an = accord::analyze(&sc, &cut, &NoProgress).expect("analyses");
        assert!(an.blockers.is_empty() && an.blockers_truncated);
        assert!(!blockers_unsettled(&an));
        let n = crate::narrative::narrative(&sc, &an, None, &[]);
        assert_eq!(n.verdict, "no_deal");
        assert!(
            n.headline.contains("than the analysis lists"),
            "{}",
            n.headline
        );
        assert_eq!(
            verdict_lines(&an),
            ["No deal can close today: none of the 45 feasible outcomes is acceptable to every party, and more sets of constraints each rule them all out than the analysis lists."]
        );
    }
}
