//! A list of outcomes with every actor's utility, kept as outcome indices
//! and a flat table of utilities: the frontiers of large tied spaces list
//! tens of thousands of outcomes, and one [`Point`] with its two maps costs
//! about forty times the 8 bytes of an index and 8 per actor. The list
//! serialises exactly as a `Vec<Point>` would.

use super::Point;
use crate::model::{OutcomeSpace, Scenario, Value};
use indexmap::IndexMap;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use std::sync::Arc;

/// What every row of a [`Points`] shares: the issue ids with each level's
/// value, the actor ids and the outcome numbering.
#[derive(Debug, PartialEq, Default)]
struct Names {
    /// Issue id and the value of each of its levels, in issue order.
    issues: Vec<(String, Vec<Value>)>,
    /// Actor ids, in actor order.
    actors: Vec<String>,
    /// Decodes an outcome index into levels.
    space: Option<OutcomeSpace>,
}

/// Outcomes listed by index with each actor's utility, as a list of
/// [`Point`]s would hold them (same order, same numbers), built on demand.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Points {
    /// Shared by every row (and by clones).
    names: Arc<Names>,
    /// Outcome index of each row.
    index: Vec<u64>,
    /// Row `r`'s utilities, one per actor: `utilities[r * actors..][..actors]`.
    utilities: Vec<f64>,
}

impl Points {
    /// An empty list over a scenario's issues and actors.
    pub(crate) fn new(sc: &Scenario) -> Points {
        let issues = sc
            .issues
            .iter()
            .map(|i| (i.id.clone(), (0..i.levels()).map(|l| i.value(l)).collect()))
            .collect();
        Points {
            names: Arc::new(Names {
                issues,
                actors: sc.actors.iter().map(|a| a.id.clone()).collect(),
                space: Some(sc.space()),
            }),
            index: Vec::new(),
            utilities: Vec::new(),
        }
    }

    /// Appends the outcome at `index` with one utility per actor (the
    /// analysis gives exactly one per actor).
    pub(crate) fn push(&mut self, index: u64, utilities: &[f64]) {
        debug_assert_eq!(utilities.len(), self.names.actors.len());
        self.index.push(index);
        self.utilities.extend_from_slice(utilities);
    }

    /// How many outcomes.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The outcome indices, in list order.
    pub fn indices(&self) -> &[u64] {
        &self.index
    }

    /// Row `row`'s utilities, in actor order.
    pub fn utilities(&self, row: usize) -> &[f64] {
        let k = self.names.actors.len();
        &self.utilities[row * k..(row + 1) * k]
    }

    /// Row `row` as a [`Point`], or `None` past the end.
    pub fn get(&self, row: usize) -> Option<Point> {
        (row < self.len()).then(|| self.point(row))
    }

    /// Every row as a [`Point`], in list order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Point> + '_ {
        (0..self.len()).map(|r| self.point(r))
    }

    /// Every row as a [`Point`].
    pub fn to_vec(&self) -> Vec<Point> {
        self.iter().collect()
    }

    fn levels(&self, row: usize) -> Vec<usize> {
        match &self.names.space {
            Some(space) => space.decode(self.index[row]),
            None => Vec::new(),
        }
    }

    fn point(&self, row: usize) -> Point {
        let levels = self.levels(row);
        Point {
            index: self.index[row],
            outcome: self
                .names
                .issues
                .iter()
                .zip(&levels)
                .map(|((id, values), &l)| (id.clone(), values[l].clone()))
                .collect(),
            utilities: self
                .names
                .actors
                .iter()
                .zip(self.utilities(row))
                .map(|(a, &u)| (a.clone(), u))
                .collect::<IndexMap<_, _>>(),
        }
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for row in 0..self.len() {
            seq.serialize_element(&Row { points: self, row })?;
        }
        seq.end()
    }
}

/// One row, serialised as its [`Point`] is, without building it.
struct Row<'a> {
    points: &'a Points,
    row: usize,
}

impl Serialize for Row<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Field names and order as `Point` derives them.
        let mut st = s.serialize_struct("Point", 3)?;
        st.serialize_field("index", &self.points.index[self.row])?;
        st.serialize_field("outcome", &Outcome(self))?;
        st.serialize_field("utilities", &Utilities(self))?;
        st.end()
    }
}

struct Outcome<'a, 'b>(&'b Row<'a>);

impl Serialize for Outcome<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Row { points, row } = *self.0;
        let levels = points.levels(row);
        s.collect_map(
            points
                .names
                .issues
                .iter()
                .zip(levels)
                .map(|((id, values), l)| (id, &values[l])),
        )
    }
}

struct Utilities<'a, 'b>(&'b Row<'a>);

impl Serialize for Utilities<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Row { points, row } = *self.0;
        s.collect_map(points.names.actors.iter().zip(points.utilities(row)))
    }
}
