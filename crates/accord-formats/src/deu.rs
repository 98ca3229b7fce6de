//! Reader for the DEU (Decision-making in the European Union) data set.
//!
//! DEU III: Arregui, J. & Perarnaud, C. (2021/22), "The Decision-making in
//! the European Union (DEU III) dataset", doi:10.34810/data53, CC BY 4.0.
//! Columns: issue metadata, then `p<actor>` positions and `s<actor>`
//! saliences (0–100) for the Commission, Parliament and member states,
//! `rp` (reference point) and `out` (outcome). Tab-, semicolon- or
//! comma-separated (detected from the header). An empty cell or 999 is
//! missing. Rows without an issue id (`isnr`) are skipped (the public copy
//! has a GDP row there). Every actor gets power 1 (equal capabilities);
//! [`read_deu_cv`] adds what the capability measures need: the procedure
//! (`proc`), the Council's voting rule (`counvte`) and the proposal's date
//! (`intro`, read by [`parse_intro`]).

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
    /// Legislative procedure (`proc`: COD, CNS…), empty if absent.
    pub procedure: String,
    /// Council voting rule (`counvte`: QMV, Unan…), empty if absent.
    pub vote: String,
    /// The `intro` cell (proposal date) as written, and its 1-based column.
    pub intro: Option<(String, u64)>,
    /// 1-based line of the row.
    pub line: u64,
}

/// Reads a proposal date as the DEU III public copy writes it: `DD-MM-YY`,
/// `DD-MM-YYYY`, or `YYYY-MM-DD` where a spreadsheet read `DD-MM-YY` as
/// year-month-day and prefixed a century (`2014-07-04` is 14 July 2004,
/// `1930-11-05` is 30 November 2005); two-digit years ≥ 50 are 19xx.
pub fn parse_intro(s: &str) -> Option<(i32, u32, u32)> {
    let parts: Vec<&str> = s.trim().split('-').collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let num = |t: &str| t.parse::<u32>().ok();
    let year2 = |y: u32| if y >= 50 { 1900 + y } else { 2000 + y } as i32;
    let (d, m, y) = match (a.len(), b.len(), c.len()) {
        (2, 2, 2) => (num(a)?, num(b)?, year2(num(c)?)),
        (2, 2, 4) => (num(a)?, num(b)?, num(c)? as i32),
        (4, 2, 2) => (num(a)? % 100, num(b)?, year2(num(c)?)),
        _ => return None,
    };
    ((1..=31).contains(&d) && (1..=12).contains(&m)).then_some((y, m, d))
}

/// Reads DEU III issues for the cross-validated backtest, with what the
/// capability measures need; a file without the `proc`, `counvte` or
/// `intro` column, or a row whose date cannot be read, is an error.
pub fn read_deu_cv(text: &str) -> Result<Vec<accord::forecast::CvIssue>, DataError> {
    let header = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = header.lines().next().unwrap_or("").to_lowercase();
    for (col, why) in [
        ("proc", "the legislative procedure (COD, CNS…)"),
        ("counvte", "the Council's voting rule (QMV, Unan)"),
        ("intro", "the proposal's date"),
    ] {
        let has = first
            .split(['\t', ';', ','])
            .any(|c| c.trim().trim_matches('"') == col);
        if !has {
            return Err(DataError::Line {
                line: 1,
                message: format!(
                    "header has no `{col}` column: the capability measures (Council voting \
                     power, the roles of the Commission and the Parliament) need {why}"
                ),
            });
        }
    }
    let mut out = Vec::new();
    for i in read_deu(text)? {
        let Some(outcome) = i.outcome else { continue };
        let (cell, column) = i.intro.clone().unwrap_or_default();
        let date = parse_intro(&cell).ok_or_else(|| {
            field(
                i.line,
                column,
                "a proposal date (DD-MM-YY, DD-MM-YYYY or YYYY-MM-DD)",
                &cell,
            )
        })?;
        out.push(accord::forecast::CvIssue {
            proposal: if i.proposal.is_empty() {
                i.id.clone()
            } else {
                i.proposal
            },
            id: i.id,
            problem: i.problem,
            outcome,
            reference_point: i.reference_point,
            context: accord::forecast::DecisionContext {
                codecision: i.procedure.eq_ignore_ascii_case("cod"),
                unanimity: i.vote.to_lowercase().starts_with("unan"),
                date,
            },
        });
    }
    Ok(out)
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
    let proc_col = find("proc");
    let vote_col = find("counvte");
    let intro_col = find("intro");
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
            procedure: proc_col
                .map(|c| get(c).trim().to_string())
                .unwrap_or_default(),
            vote: vote_col
                .map(|c| get(c).trim().to_string())
                .unwrap_or_default(),
            intro: intro_col.map(|c| (get(c).trim().to_string(), col(c))),
            line,
        });
    }
    Ok(issues)
}
