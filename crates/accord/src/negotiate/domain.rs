//! What a negotiation runs over: a linear scenario, or a non-linear
//! (hyper-rectangle) GENIUS problem. Both give each party an [`Own`] view
//! over levels per issue, so every negotiator and mechanism runs on either.

use super::Own;
use crate::model::{OutcomeSpace, Scenario, Value, MAX_LEVELS};
use crate::nonlinear::BoxProblem;
use crate::Error;
use indexmap::IndexMap;

/// A negotiation domain.
#[derive(Debug, Clone, PartialEq)]
// One domain per run or tournament entry: boxing the scenario would buy
// nothing but an indirection.
#[allow(clippy::large_enum_variant)]
pub enum Domain {
    /// A scenario: additive utilities, red lines and feasibility rules.
    Scenario(Scenario),
    /// A non-linear problem: box utilities over integer issues, whose
    /// level `l` is the issue's lowest value plus `l`.
    Boxes(BoxProblem),
}

impl From<Scenario> for Domain {
    fn from(sc: Scenario) -> Domain {
        Domain::Scenario(sc)
    }
}

impl From<BoxProblem> for Domain {
    fn from(p: BoxProblem) -> Domain {
        Domain::Boxes(p)
    }
}

impl Domain {
    /// The scenario id or the problem's name.
    pub fn name(&self) -> &str {
        match self {
            Domain::Scenario(sc) => &sc.id,
            Domain::Boxes(p) => &p.name,
        }
    }

    /// Checks what the negotiators rely on: a valid scenario, or a valid
    /// box problem whose issues each have at most [`MAX_LEVELS`] values.
    pub fn check(&self) -> Result<(), Error> {
        match self {
            Domain::Scenario(sc) => sc.check(),
            Domain::Boxes(p) => check_boxes(p),
        }
    }

    /// The parties' ids (actor ids, or the profiles' names).
    pub fn party_ids(&self) -> Vec<&str> {
        match self {
            Domain::Scenario(sc) => sc.actors.iter().map(|a| a.id.as_str()).collect(),
            Domain::Boxes(p) => p.parties.iter().map(|q| q.name.as_str()).collect(),
        }
    }

    /// Index of a party by id.
    pub fn party_index(&self, id: &str) -> Option<usize> {
        self.party_ids().iter().position(|p| *p == id)
    }

    /// A party's reservation value.
    pub fn reservation(&self, party: usize) -> f64 {
        match self {
            Domain::Scenario(sc) => sc.preferences[party].reservation.value,
            Domain::Boxes(p) => p.parties[party].reservation,
        }
    }

    /// The outcome space over levels.
    pub fn space(&self) -> OutcomeSpace {
        match self {
            Domain::Scenario(sc) => sc.space(),
            Domain::Boxes(p) => p.space(),
        }
    }

    /// Party `party`'s private view (of a checked domain).
    pub fn own(&self, party: usize) -> Own {
        match self {
            Domain::Scenario(sc) => Own::new(sc, party),
            Domain::Boxes(p) => Own::from_boxes(p, party),
        }
    }

    /// An outcome as issue id → value, in issue order (box issues' values
    /// are their integers).
    pub fn outcome_values(&self, levels: &[usize]) -> IndexMap<String, Value> {
        match self {
            Domain::Scenario(sc) => super::outcome_values(sc, levels),
            Domain::Boxes(p) => p
                .issues
                .iter()
                .zip(p.values(levels))
                .map(|((id, ..), v)| (id.clone(), Value::Number(v as f64)))
                .collect(),
        }
    }
}

/// [`BoxProblem::check`] plus the bound on values per issue every
/// negotiator's per-level search needs.
pub(crate) fn check_boxes(p: &BoxProblem) -> Result<(), Error> {
    p.check()?;
    for (r, (name, ..)) in p.space().radix().iter().zip(&p.issues) {
        if *r > MAX_LEVELS {
            return Err(Error::Invalid(format!(
                "issue `{name}` has more than {MAX_LEVELS} values"
            )));
        }
    }
    Ok(())
}
