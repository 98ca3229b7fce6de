//! Engine errors explained in the scenario's own terms, once for every front
//! end (the CLI, the server and the Python package print the same words).

use accord::Scenario;

/// `n` with thousands separators: `9953280` → `9,953,280`.
pub fn grouped(n: u128) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Why a scenario's outcome space is too large to analyse, and what to do.
///
/// The engine's count saturates at `u128::MAX`, so beyond 2⁶⁴ (the most
/// either path can index) the size is given as a power of ten computed from
/// the issues' level counts, never as the saturated number.
pub fn too_large(sc: &Scenario, max_outcomes: u128) -> String {
    let size = sc.space_size();
    if size > u64::MAX as u128 {
        let log10: f64 = sc.issues.iter().map(|i| (i.levels() as f64).log10()).sum();
        format!(
            "the outcome space has about 10^{} outcomes, more than 2^64, the most either path \
             can index; coarsen numeric steps or drop issues",
            log10.floor()
        )
    } else {
        format!(
            "the outcome space has {} outcomes, more than the exact scan enumerates ({}), and \
             the search path needs single-issue red lines and feasibility rules and no \
             ratifiers; coarsen numeric steps or drop issues",
            grouped(size),
            grouped(max_outcomes)
        )
    }
}

/// Why a backtest scored nothing (its mean errors would be NaN): no issue
/// has a recorded outcome and enough actors with a position and salience.
pub fn nothing_scored(file: &str, min_actors: usize, issues_read: usize) -> String {
    format!(
        "no issue of `{file}` can be scored: a backtest needs issues with a recorded outcome \
         and at least {min_actors} actors with a position and salience ({issues_read} issues read)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(9_953_280), "9,953,280");
    }

    #[test]
    fn a_space_beyond_two_to_the_64_is_a_power_of_ten() {
        // The sale scenario with 61 more ten-level issues: 10^61+ outcomes.
        let b = accord_formats::bundled::bundled("sale").expect("bundled sale");
        let mut sc = accord_formats::parse_scenario(b.text, b.file, accord_formats::Syntax::Toml)
            .expect("sale");
        let ten = sc
            .issues
            .iter()
            .find(|i| i.levels() == 11)
            .expect("sale's price has 11 levels")
            .clone();
        for _ in 0..61 {
            sc.issues.push(ten.clone());
        }
        let m = too_large(&sc, 2_000_000_000);
        assert!(m.contains("about 10^6"), "{m}");
        assert!(m.contains("outcomes, more than 2^64"), "{m}");
        assert!(!m.contains(&u128::MAX.to_string()), "{m}");
    }
}
