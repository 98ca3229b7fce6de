//! The validated input of every forecasting model.

use serde::Serialize;

/// An actor in a spatial problem.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpatialActor {
    /// Display name.
    pub name: String,
    /// Capability / clout; must be finite and positive.
    pub power: f64,
}

/// One issue dimension: a position and a salience per actor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Dimension {
    /// Display name.
    pub name: String,
    /// Position per actor on 0–100; `None` when unknown.
    pub positions: Vec<Option<f64>>,
    /// Salience per actor on 0–100; `None` when unknown.
    pub saliences: Vec<Option<f64>>,
}

/// Why a spatial problem was rejected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ProblemError {
    /// The problem has no actors.
    #[error("a spatial problem needs at least one actor")]
    NoActors,
    /// The problem has no dimensions.
    #[error("a spatial problem needs at least one dimension")]
    NoDimensions,
    /// An actor's power is not a finite positive number.
    #[error("actor {actor:?} has power {power}, expected a finite number > 0")]
    BadPower {
        /// Actor name.
        actor: String,
        /// The rejected value.
        power: f64,
    },
    /// A dimension's vectors do not have one entry per actor.
    #[error("dimension {dimension:?} has {found} {what}, expected {expected}")]
    WrongLength {
        /// Dimension name.
        dimension: String,
        /// "positions" or "saliences".
        what: &'static str,
        /// Entries found.
        found: usize,
        /// Number of actors.
        expected: usize,
    },
    /// A position or salience is NaN, infinite or outside 0–100.
    #[error("dimension {dimension:?}, actor {actor:?}: {what} {value} is not in 0..=100")]
    OutOfRange {
        /// Dimension name.
        dimension: String,
        /// Actor name.
        actor: String,
        /// "position" or "salience".
        what: &'static str,
        /// The rejected value.
        value: f64,
    },
}

/// A validated spatial problem (see [`SpatialProblem::new`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpatialProblem {
    actors: Vec<SpatialActor>,
    dimensions: Vec<Dimension>,
}

impl SpatialProblem {
    /// Validates and builds a problem: at least one actor and dimension,
    /// powers finite and > 0, one position and salience slot per actor per
    /// dimension, every present value finite and within 0..=100.
    pub fn new(
        actors: Vec<SpatialActor>,
        dimensions: Vec<Dimension>,
    ) -> Result<Self, ProblemError> {
        if actors.is_empty() {
            return Err(ProblemError::NoActors);
        }
        if dimensions.is_empty() {
            return Err(ProblemError::NoDimensions);
        }
        for a in &actors {
            if !(a.power.is_finite() && a.power > 0.0) {
                return Err(ProblemError::BadPower {
                    actor: a.name.clone(),
                    power: a.power,
                });
            }
        }
        for d in &dimensions {
            for (what, v) in [("positions", &d.positions), ("saliences", &d.saliences)] {
                if v.len() != actors.len() {
                    return Err(ProblemError::WrongLength {
                        dimension: d.name.clone(),
                        what,
                        found: v.len(),
                        expected: actors.len(),
                    });
                }
            }
            for (i, a) in actors.iter().enumerate() {
                for (what, v) in [("position", d.positions[i]), ("salience", d.saliences[i])] {
                    if let Some(x) = v {
                        if !(x.is_finite() && (0.0..=100.0).contains(&x)) {
                            return Err(ProblemError::OutOfRange {
                                dimension: d.name.clone(),
                                actor: a.name.clone(),
                                what,
                                value: x,
                            });
                        }
                    }
                }
            }
        }
        Ok(SpatialProblem { actors, dimensions })
    }

    /// The actors, in input order.
    pub fn actors(&self) -> &[SpatialActor] {
        &self.actors
    }

    /// The dimensions, in input order.
    pub fn dimensions(&self) -> &[Dimension] {
        &self.dimensions
    }

    /// Actors taking part in dimension `d`: (actor index, position, salience).
    pub fn participants(&self, d: usize) -> Vec<(usize, f64, f64)> {
        let dim = &self.dimensions[d];
        (0..self.actors.len())
            .filter_map(|i| match (dim.positions[i], dim.saliences[i]) {
                (Some(x), Some(s)) => Some((i, x, s)),
                _ => None,
            })
            .collect()
    }

    /// All positions as a round-0 table (actor × dimension).
    pub(crate) fn position_table(&self) -> Vec<Vec<Option<f64>>> {
        (0..self.actors.len())
            .map(|i| self.dimensions.iter().map(|d| d.positions[i]).collect())
            .collect()
    }
}
