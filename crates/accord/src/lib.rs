//! # Accord: the engine
//!
//! Accord models a multi-party negotiation as a [`Scenario`]: actors,
//! issues, per-actor preferences (salience-weighted value functions and a
//! reservation value), red lines, feasibility rules and ratifiers. The
//! engine answers the mediator's first questions exactly:
//!
//! * which outcomes each actor (and its ratifiers) accepts — its *win-set*;
//! * the zone of possible agreement (ZOPA), the intersection of win-sets;
//! * the Pareto frontier of the ZOPA and the classic bargaining solutions,
//!   with the disagreement point `d` set to the reservation values:
//!   Nash, `max Π (uᵢ − dᵢ)`; Kalai–Smorodinsky,
//!   `max minᵢ (uᵢ − dᵢ)/(Uᵢ − dᵢ)` with `Uᵢ` the best utility for `i` in
//!   the ZOPA; utilitarian, `max Σ uᵢ`; egalitarian, `max minᵢ (uᵢ − dᵢ)`;
//! * when the ZOPA is empty, every minimal set of constraints that blocks a
//!   deal, and every minimal relaxation that would open one.
//!
//! The engine does no I/O: formats and front ends live in other crates.
//!
//! # Example
//!
//! ```
//! use accord::{analyze, AnalyzeOptions, NoProgress};
//! # use accord::model::*;
//! # let issue = Issue { id: "price".into(), name: "Price".into(),
//! #     kind: IssueKind::Numeric { min: 0.0, max: 10.0, step: 1.0, unit: "".into() } };
//! # let pref = |v: ValueFn| Preference { reservation: Param::new(0.2), issues: vec![
//! #     IssuePref { weight: Param::new(1.0), value: v, stance: None, provenance: Provenance::default() }] };
//! # let actor = |id: &str| Actor { id: id.into(), name: id.into(), power: Param::new(1.0) };
//! # let sc = Scenario { id: "sale".into(), title: "".into(), as_of: "2025-01-01".into(),
//! #     description: "".into(), sources: vec![], actors: vec![actor("seller"), actor("buyer")],
//! #     issues: vec![issue], preferences: vec![pref(ValueFn::Rising), pref(ValueFn::Falling)],
//! #     red_lines: vec![], feasibility: vec![], ratifiers: vec![], process: Default::default(),
//! #     decided_by: vec![], readings: vec![], precondition_readings: vec![],
//! #     reservation_steps: vec![] };
//! // A seller who wants a high price, a buyer who wants a low one, each
//! // walking away below utility 0.2: prices 2..=8 can close, and the Nash
//! // solution splits the difference.
//! let a = analyze(&sc, &AnalyzeOptions::default(), &NoProgress)?;
//! assert_eq!(a.zopa.size, 7);
//! let nash = a.solutions.nash.unwrap();
//! assert_eq!(nash.point.outcome["price"].to_string(), "5");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

mod analysis;
mod error;
pub mod forecast;
pub mod model;
mod names;
pub mod negotiate;
pub mod nonlinear;
pub mod process;
mod progress;
mod ratify;
pub mod sensitivity;

pub use analysis::{
    analyze, analyze_readings, analyze_with_readings, process_at, reference_deal, zopa_and_nash,
    Analysis, AnalyzeOptions, Bound, ConstraintKind, ConstraintRef, CostedRelaxation, Give,
    Implementable, Method, NearMiss, NotchChange, NotchMove, Notches, Point, Points, RatifierCount,
    Relaxation, SearchReport, Solution, Solutions, WinSet, Zopa, DEFAULT_MAX_NOTCHES,
};
/// The readings-and-firmness analysis' types.
pub mod readings {
    pub use crate::analysis::{
        member_label, wilson, BlockingMember, BlockingSet, Combination, ReadingLine, ReadingProb,
        ReadingsOptions, ReadingsReport, ReadingsResult, ABSENT,
    };
}
pub use error::Error;
pub use model::Scenario;
pub use names::UnknownName;
pub use process::{analyze_process, ProcessNetwork, ProcessReport};
pub use progress::{NoProgress, Progress};
pub use ratify::{
    ratification, ActorRatification, BlocVote, Margin, Ratification, RatifierEffect, Reference,
};
