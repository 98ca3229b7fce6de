//! Reader for the DEU (Decision-making in the European Union) data set.
//!
//! DEU III: Arregui, J. & Perarnaud, C. (2021/22), "The Decision-making in
//! the European Union (DEU III) dataset", doi:10.34810/data53, CC BY 4.0.
//! Columns: issue metadata, then `p<actor>` positions and `s<actor>`
//! saliences (0–100) for the Commission, Parliament and member states,
//! `rp` (reference point) and `out` (outcome). Tab-, semicolon- or
//! comma-separated (detected from the header). An empty cell or 999 is
//! missing. Rows without an issue id (`isnr`) are skipped (the public copy
//! has a GDP row there). Every actor gets power 1 (equal capabilities).

use accord::forecast::{Dimension, SpatialActor, SpatialProblem};

use crate::ktab::{field, number, DataError};

/// One DEU issue as a one-dimensional spatial problem.
#[derive(Debug, Clone, PartialEq)]
pub struct DeuIssue {
    /// Issue id (`isnr`, e.g. `d00032i1`).
    pub id: String,
    /// Proposal id (`prnr`), empty if the column is absent.
    pub proposal: String,
    /// Actors (all power 1) with their position and salience, if known.
    pub problem: SpatialProblem,
    /// Observed outcome (`out`), if known.
    pub outcome: Option<f64>,
    /// Reference point (`rp`), if known.
    pub reference_point: Option<f64>,
}

fn cell(line: u64, column: u64, what: &str, s: &str) -> Result<Option<f64>, DataError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let v = number(line, column, what, t)?;
    if v == 999.0 {
        return Ok(None);
    }
    if !(0.0..=100.0).contains(&v) {
        return Err(field(line, column, what, t));
    }
    Ok(Some(v))
}

/// Reads a DEU CSV file into issues.
/// Reads DEU III issues as backtest inputs: each issue's spatial problem
/// and its observed outcome.
pub fn read_deu_backtest(text: &str) -> Result<Vec<accord::forecast::BacktestIssue>, DataError> {
    Ok(read_deu(text)?
        .into_iter()
        .map(|i| accord::forecast::BacktestIssue {
            id: i.id,
            problem: i.problem,
            outcome: i.outcome,
        })
        .collect())
}

/// Reads DEU III issues (see the module docs for the layout).
pub fn read_deu(text: &str) -> Result<Vec<DeuIssue>, DataError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let delim = if first.contains('\t') {
        b'\t'
    } else if first.contains(';') {
        b';'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = rdr.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            return Err(DataError::Line {
                line: 1,
                message: format!("unreadable header: {e}"),
            })
        }
        None => {
            return Err(DataError::Line {
                line: 1,
                message: "empty file".into(),
            })
        }
    };
    let cols: Vec<String> = header.iter().map(|c| c.to_lowercase()).collect();
    let find = |name: &str| cols.iter().position(|c| c == name);
    let out_col = find("out").ok_or(DataError::Line {
        line: 1,
        message: "header has no `out` (outcome) column".into(),
    })?;
    let id_col = find("isnr").or_else(|| find("isnrnmc"));
    let rp_col = find("rp");
    let pr_col = find("prnr");
    let actors: Vec<(String, usize, usize)> = cols
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let rest = c.strip_prefix('p')?;
            if rest.is_empty() {
                return None;
            }
            let s = find(&format!("s{rest}"))?;
            Some((rest.to_string(), i, s))
        })
        .collect();
    if actors.is_empty() {
        return Err(DataError::Line {
            line: 1,
            message: "header has no actor columns (p<actor> with a matching s<actor>)".into(),
        });
    }
    let mut issues = Vec::new();
    for rec in records {
        let r = rec.map_err(|e| DataError::Line {
            line: e.position().map_or(0, |p| p.line()),
            message: format!("unreadable row: {e}"),
        })?;
        let line = r.position().map_or(0, |p| p.line());
        let get = |i: usize| r.get(i).unwrap_or("");
        let id = match id_col {
            Some(c) => get(c).trim().to_string(),
            None => format!("line{line}"),
        };
        if id.is_empty() {
            continue;
        }
        let col = |i: usize| i as u64 + 1;
        let mut positions = Vec::with_capacity(actors.len());
        let mut saliences = Vec::with_capacity(actors.len());
        for (_, p, s) in &actors {
            positions.push(cell(
                line,
                col(*p),
                "a position in 0..=100, empty or 999",
                get(*p),
            )?);
            saliences.push(cell(
                line,
                col(*s),
                "a salience in 0..=100, empty or 999",
                get(*s),
            )?);
        }
        let outcome = cell(
            line,
            col(out_col),
            "an outcome in 0..=100, empty or 999",
            get(out_col),
        )?;
        let reference_point = match rp_col {
            Some(c) => cell(
                line,
                col(c),
                "a reference point in 0..=100, empty or 999",
                get(c),
            )?,
            None => None,
        };
        let problem = SpatialProblem::new(
            actors
                .iter()
                .map(|a| SpatialActor {
                    name: a.0.clone(),
                    power: 1.0,
                })
                .collect(),
            vec![Dimension {
                name: id.clone(),
                positions,
                saliences,
            }],
        )
        .map_err(DataError::Problem)?;
        issues.push(DeuIssue {
            id,
            proposal: pr_col
                .map(|c| get(c).trim().to_string())
                .unwrap_or_default(),
            problem,
            outcome,
            reference_point,
        });
    }
    Ok(issues)
}
