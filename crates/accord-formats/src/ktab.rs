//! Readers for KTAB SMP inputs: the CSV and XML scenario formats of
//! KAPSARC's KTAB (`examples/smp/doc/*.csv`, `smpSchema.xsd`).
//!
//! CSV: line 1 `name, description, nActors, nDims, …`; line 2 a header
//! `Actor, Description, Power, Pos1, Sal1, …`; then one row per actor with
//! capability, then position and salience (0–100) per dimension.
//! XML: `<Scenario>` with `name`, `desc`, optional `ModelParameters`,
//! `Dimensions/dName` and `Actors/Actor` (`name`, `description`,
//! `capability`, `Position/dCoord`, `Salience/dSal`).
//! An empty position or salience is a missing value.

use accord::forecast::{
    BargainModel, Dimension, Interpolation, PceModel, ProblemError, RiskAdjust, RiskRange,
    SmpOptions, SpatialActor, SpatialProblem, ThirdPartyCommit, VictoryModel, VotingRule,
};

/// A problem in a forecasting input file, with where it went wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    /// A field had the wrong content.
    #[error("line {line}, column {column}: expected {expected}, found {found:?}")]
    Field {
        /// 1-based line.
        line: u64,
        /// 1-based field (CSV) or character (XML) column.
        column: u64,
        /// What the reader wanted.
        expected: String,
        /// What it found.
        found: String,
    },
    /// A line or element is missing or malformed as a whole.
    #[error("line {line}: {message}")]
    Line {
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// The values read do not form a valid problem.
    #[error("invalid problem")]
    Problem(#[source] ProblemError),
}

/// A KTAB scenario: the problem plus the SMP parameters it asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct KtabScenario {
    /// Scenario name.
    pub name: String,
    /// Scenario description.
    pub description: String,
    /// Actors and dimensions (positions and saliences on 0–100).
    pub problem: SpatialProblem,
    /// SMP parameters: KTAB defaults, overridden by `ModelParameters`.
    pub smp: SmpOptions,
    /// True when the file asks for KTAB's stochastic state transitions,
    /// which need KTAB's own random generator and are not reproduced.
    pub stochastic: bool,
}

pub(crate) fn field(line: u64, column: u64, expected: &str, found: &str) -> DataError {
    DataError::Field {
        line,
        column,
        expected: expected.to_string(),
        found: found.to_string(),
    }
}

pub(crate) fn number(line: u64, column: u64, what: &str, s: &str) -> Result<f64, DataError> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(field(line, column, what, s)),
    }
}

/// A 0–100 value; an empty field is a missing value.
fn in_scale(line: u64, column: u64, what: &str, s: &str) -> Result<Option<f64>, DataError> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    let v = number(line, column, what, s)?;
    if (0.0..=100.0).contains(&v) {
        Ok(Some(v))
    } else {
        Err(field(line, column, what, s))
    }
}

/// Refuses a problem in which no actor has a position and a salience on
/// every dimension with saliences above 0 in all: SMP then has no one to
/// weigh and divides by zero
/// (a NaN forecast). The line is the file's first, where the actors begin.
fn someone_takes_part(p: &SpatialProblem) -> Result<(), DataError> {
    let dims = p.dimensions();
    // SMP's own rule: a position and a salience on every dimension, and
    // saliences that do not sum to zero.
    let takes_part = |i: usize| {
        dims.iter()
            .all(|d| d.positions[i].is_some() && d.saliences[i].is_some())
            && dims
                .iter()
                .map(|d| d.saliences[i].unwrap_or(0.0))
                .sum::<f64>()
                > 0.0
    };
    if (0..p.actors().len()).any(takes_part) {
        Ok(())
    } else {
        Err(DataError::Line {
            line: 1,
            message: "no actor has a position and a salience on every dimension with \
                      saliences above 0, so the models have no one to weigh"
                .into(),
        })
    }
}

/// Reads a KTAB SMP CSV scenario.
pub fn read_ktab_csv(text: &str) -> Result<KtabScenario, DataError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    for rec in rdr.records() {
        match rec {
            Ok(r) => records.push(r),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(DataError::Line {
                    line,
                    message: format!("unreadable CSV: {e}"),
                });
            }
        }
    }
    let line_of = |r: &csv::StringRecord| r.position().map_or(0, |p| p.line());
    let first = records.first().ok_or(DataError::Line {
        line: 1,
        message: "empty file; expected `name, description, nActors, nDims`".into(),
    })?;
    let l1 = line_of(first);
    let get = |r: &csv::StringRecord, i: usize| r.get(i).unwrap_or("").to_string();
    let count = |i: usize, what: &str| -> Result<usize, DataError> {
        let s = get(first, i);
        s.parse::<usize>()
            .map_err(|_| field(l1, i as u64 + 1, what, &s))
    };
    let na = count(2, "the number of actors")?;
    let nd = count(3, "the number of dimensions")?;
    if nd == 0 || nd > 1000 || na > 100_000 {
        return Err(field(
            l1,
            4,
            "a dimension count in 1..=1000",
            &get(first, 3),
        ));
    }
    let header = records.get(1).ok_or(DataError::Line {
        line: l1 + 1,
        message: "missing header line `Actor, Description, Power, …`".into(),
    })?;
    let names: Vec<String> = (0..nd)
        .map(|d| {
            let n = get(header, 3 + 2 * d);
            if n.is_empty() {
                format!("Dim{d}")
            } else {
                n
            }
        })
        .collect();
    let rows: Vec<&csv::StringRecord> = records[2..]
        .iter()
        .filter(|r| r.iter().any(|f| !f.is_empty()))
        .collect();
    if rows.len() < na {
        return Err(DataError::Line {
            line: rows.last().map_or(line_of(header), |r| line_of(r)) + 1,
            message: format!("expected {na} actor rows, found {}", rows.len()),
        });
    }
    let mut actors = Vec::with_capacity(na);
    let mut dims: Vec<Dimension> = names
        .into_iter()
        .map(|name| Dimension {
            name,
            positions: vec![],
            saliences: vec![],
        })
        .collect();
    for r in rows.into_iter().take(na) {
        let line = line_of(r);
        // Exactly the fields the header line announces; KTAB's own files
        // end rows with a comma, so one empty field more is allowed. An
        // extra field anywhere else (an unquoted comma in a description)
        // would shift every later value into the wrong column.
        let want = 3 + 2 * nd;
        let trailing_comma = r.len() == want + 1 && r.get(want) == Some("");
        if r.len() != want && !trailing_comma {
            return Err(DataError::Line {
                line,
                message: format!(
                    "expected {want} fields (actor, description, capability and a position \
                     and salience for each of {nd} dimensions), found {}",
                    r.len()
                ),
            });
        }
        let power = number(line, 3, "a capability (number > 0)", &get(r, 2))?;
        if power <= 0.0 {
            return Err(field(line, 3, "a capability (number > 0)", &get(r, 2)));
        }
        actors.push(SpatialActor {
            name: get(r, 0),
            power,
        });
        for (d, dim) in dims.iter_mut().enumerate() {
            let (pc, sc) = (3 + 2 * d, 4 + 2 * d);
            dim.positions.push(in_scale(
                line,
                pc as u64 + 1,
                "a position in 0..=100",
                &get(r, pc),
            )?);
            dim.saliences.push(in_scale(
                line,
                sc as u64 + 1,
                "a salience in 0..=100",
                &get(r, sc),
            )?);
        }
    }
    let problem = SpatialProblem::new(actors, dims).map_err(DataError::Problem)?;
    someone_takes_part(&problem)?;
    Ok(KtabScenario {
        name: get(first, 0),
        description: get(first, 1),
        problem,
        smp: SmpOptions::default(),
        stochastic: false,
    })
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

/// Reads a KTAB SMP XML scenario.
pub fn read_ktab_xml(text: &str) -> Result<KtabScenario, DataError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = roxmltree::Document::parse(text).map_err(|e| {
        let p = e.pos();
        DataError::Field {
            line: p.row as u64,
            column: p.col as u64,
            expected: "well-formed XML".into(),
            found: e.to_string(),
        }
    })?;
    let pos = |n: roxmltree::Node| doc.text_pos_at(n.range().start);
    let root = doc.root_element();
    if root.tag_name().name() != "Scenario" {
        let p = pos(root);
        return Err(field(
            p.row as u64,
            p.col as u64,
            "a <Scenario> root",
            root.tag_name().name(),
        ));
    }
    fn need<'a, 'i>(
        doc: &roxmltree::Document,
        n: roxmltree::Node<'a, 'i>,
        name: &str,
    ) -> Result<roxmltree::Node<'a, 'i>, DataError> {
        child(n, name).ok_or_else(|| {
            let p = doc.text_pos_at(n.range().start);
            DataError::Line {
                line: p.row as u64,
                message: format!("<{}> needs a <{name}> element", n.tag_name().name()),
            }
        })
    }
    let text_of = |n: roxmltree::Node| n.text().unwrap_or("").trim().to_string();
    let num_of = |n: roxmltree::Node, what: &str| {
        let p = pos(n);
        number(p.row as u64, p.col as u64, what, &text_of(n))
    };
    let name = child(root, "name").map(text_of).unwrap_or_default();
    let description = child(root, "desc").map(text_of).unwrap_or_default();
    let (smp, stochastic) = match child(root, "ModelParameters") {
        Some(mp) => parameters(&doc, mp)?,
        None => (SmpOptions::default(), false),
    };
    let dnames: Vec<String> = need(&doc, root, "Dimensions")?
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "dName")
        .map(text_of)
        .collect();
    if dnames.is_empty() {
        let p = pos(need(&doc, root, "Dimensions")?);
        return Err(DataError::Line {
            line: p.row as u64,
            message: "no <dName> in <Dimensions>".into(),
        });
    }
    let nd = dnames.len();
    let mut dims: Vec<Dimension> = dnames
        .into_iter()
        .map(|name| Dimension {
            name,
            positions: vec![],
            saliences: vec![],
        })
        .collect();
    let mut actors = Vec::new();
    for a in need(&doc, root, "Actors")?
        .children()
        .filter(|c| c.is_element() && c.tag_name().name() == "Actor")
    {
        let cap_node = need(&doc, a, "capability")?;
        let power = num_of(cap_node, "a capability (number > 0)")?;
        if power <= 0.0 {
            let p = pos(cap_node);
            return Err(field(
                p.row as u64,
                p.col as u64,
                "a capability (number > 0)",
                &text_of(cap_node),
            ));
        }
        actors.push(SpatialActor {
            name: child(a, "name").map(text_of).unwrap_or_default(),
            power,
        });
        for (list, item, what) in [
            ("Position", "dCoord", "a position in 0..=100"),
            ("Salience", "dSal", "a salience in 0..=100"),
        ] {
            let l = need(&doc, a, list)?;
            let vals: Vec<roxmltree::Node> = l
                .children()
                .filter(|c| c.is_element() && c.tag_name().name() == item)
                .collect();
            if vals.len() != nd {
                let p = pos(l);
                return Err(DataError::Line {
                    line: p.row as u64,
                    message: format!("<{list}> has {} <{item}>, expected {nd}", vals.len()),
                });
            }
            for (d, v) in vals.into_iter().enumerate() {
                let p = pos(v);
                let x = in_scale(p.row as u64, p.col as u64, what, &text_of(v))?;
                if item == "dCoord" {
                    dims[d].positions.push(x);
                } else {
                    dims[d].saliences.push(x);
                }
            }
        }
    }
    let problem = SpatialProblem::new(actors, dims).map_err(DataError::Problem)?;
    someone_takes_part(&problem)?;
    Ok(KtabScenario {
        name,
        description,
        problem,
        smp,
        stochastic,
    })
}

fn parameters(
    doc: &roxmltree::Document,
    mp: roxmltree::Node,
) -> Result<(SmpOptions, bool), DataError> {
    let mut o = SmpOptions::default();
    let mut stochastic = false;
    for c in mp.children().filter(|c| c.is_element()) {
        let v = c.text().unwrap_or("").trim();
        let p = doc.text_pos_at(c.range().start);
        let bad = |expected: &str| field(p.row as u64, p.col as u64, expected, v);
        match c.tag_name().name() {
            "VictoryProbModel" => {
                o.victory = match v {
                    "Linear" => VictoryModel::Linear,
                    "Square" => VictoryModel::Square,
                    "Quartic" => VictoryModel::Quartic,
                    "Octic" => VictoryModel::Octic,
                    "Binary" => VictoryModel::Binary,
                    _ => return Err(bad("Linear|Square|Quartic|Octic|Binary")),
                }
            }
            "PCEModel" => {
                o.pce = match v {
                    "Conditional" => PceModel::Conditional,
                    "MarkovIncentive" => PceModel::MarkovIncentive,
                    "MarkovUniform" => PceModel::MarkovUniform,
                    _ => return Err(bad("Conditional|MarkovIncentive|MarkovUniform")),
                }
            }
            "StateTransitions" => {
                stochastic = match v {
                    "Deterministic" => false,
                    "Stochastic" => true,
                    _ => return Err(bad("Deterministic|Stochastic")),
                }
            }
            "VotingRule" => {
                o.voting = match v {
                    "Binary" => VotingRule::Binary,
                    "PropBin" => VotingRule::PropBin,
                    "Prop" | "Proportional" => VotingRule::Proportional,
                    "PropCbc" => VotingRule::PropCbc,
                    "Cubic" => VotingRule::Cubic,
                    "ASymProsp" => VotingRule::ASymProsp,
                    _ => return Err(bad("Binary|PropBin|Prop|PropCbc|Cubic|ASymProsp")),
                }
            }
            "BigRAdjust" => {
                o.risk_adjust = match v {
                    "Full" => RiskAdjust::Full,
                    "TwoThirds" => RiskAdjust::TwoThirds,
                    "Half" => RiskAdjust::Half,
                    "OneThird" => RiskAdjust::OneThird,
                    "None" => RiskAdjust::None,
                    _ => return Err(bad("Full|TwoThirds|Half|OneThird|None")),
                }
            }
            "BigRRange" => {
                o.risk_range = match v {
                    "Min" => RiskRange::Min,
                    "Mid" => RiskRange::Mid,
                    "Max" => RiskRange::Max,
                    _ => return Err(bad("Min|Mid|Max")),
                }
            }
            "ThirdPartyCommit" => {
                o.third_party = match v {
                    "FullCommit" => ThirdPartyCommit::FullCommit,
                    "SemiCommit" => ThirdPartyCommit::SemiCommit,
                    "NoCommit" => ThirdPartyCommit::NoCommit,
                    _ => return Err(bad("FullCommit|SemiCommit|NoCommit")),
                }
            }
            "InterVecBrgn" => {
                o.interpolation = match v {
                    "S1P1" => Interpolation::S1P1,
                    "S2P2" => Interpolation::S2P2,
                    "S2PMax" => Interpolation::S2PMax,
                    _ => return Err(bad("S1P1|S2P2|S2PMax")),
                }
            }
            "BargnModel" => {
                o.bargain = match v {
                    "InitOnlyInterp" => BargainModel::InitOnlyInterp,
                    "InitRcvrInterp" => BargainModel::InitRcvrInterp,
                    "PWCompInterp" => BargainModel::PWCompInterp,
                    _ => return Err(bad("InitOnlyInterp|InitRcvrInterp|PWCompInterp")),
                }
            }
            other => return Err(bad(&format!("a known model parameter, not <{other}>"))),
        }
    }
    Ok((o, stochastic))
}
