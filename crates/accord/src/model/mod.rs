//! The scenario model: actors, issues, preferences, red lines, ratifiers and
//! their sources. Everything here is plain data, checked once by
//! [`Scenario::check`] and then trusted by the analyses.

mod expr;
mod param;
mod preference;
mod space;
mod utility;

pub use expr::{Atom, CmpOp, Expr, Rhs, MAX_EXPR_DEPTH};
pub use param::{Dist, Entrenchment, Param, Provenance};

#[cfg(test)]
pub(crate) use preference::additive_utility as additive;
pub use preference::{IssuePref, Preference, ValueFn};
pub use space::OutcomeSpace;
pub use utility::{Utility, UtilityTable};

use serde::Serialize;

/// Everything about one negotiation at one moment.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scenario {
    /// Short stable identifier, e.g. `ukraine-2025-12`.
    pub id: String,
    /// Human title.
    pub title: String,
    /// The date the scenario describes (ISO `YYYY-MM-DD`).
    pub as_of: String,
    /// Free-text description.
    pub description: String,
    /// Citations that positions, red lines and numbers refer to.
    pub sources: Vec<Source>,
    /// The parties at the table.
    pub actors: Vec<Actor>,
    /// The dimensions of the deal.
    pub issues: Vec<Issue>,
    /// One preference per actor, in actor order.
    pub preferences: Vec<Preference>,
    /// Hard constraints stated by actors.
    pub red_lines: Vec<RedLine>,
    /// Combinations of issue values that cannot exist at all.
    pub feasibility: Vec<Feasibility>,
    /// Bodies whose consent an actor needs.
    pub ratifiers: Vec<Ratifier>,
    /// Milestones and timed preconditions: how a deal would come about.
    pub process: crate::process::ProcessNetwork,
    /// Issues one actor settles alone (models do not vote on them).
    pub decided_by: Vec<DecidedBy>,
    /// Alternative readings and firmness of red lines (only those that
    /// declare either).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<Readings>,
    /// Alternative readings and firmness of process preconditions (only
    /// those that declare either).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub precondition_readings: Vec<PreconditionReadings>,
    /// The stated steps by which actors' reservations may be lowered in a
    /// one-notch relaxation (actors without one keep their reservation).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reservation_steps: Vec<ReservationStep>,
}

/// How far one notch lowers an actor's reservation value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReservationStep {
    /// Index of the actor.
    pub actor: usize,
    /// The step (> 0, on the utility scale), with its provenance.
    pub step: Param,
}

/// The readings of one process precondition: its own timing (the default
/// reading), the alternatives, and the probability that it holds at all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreconditionReadings {
    /// Index of the precondition in `process.preconditions`.
    pub precondition: usize,
    /// Name of the precondition's own form as a reading (`default` unless
    /// named).
    pub default_name: String,
    /// Plausibility weight of the default reading (> 0).
    pub default_weight: f64,
    /// The alternative readings.
    pub alternatives: Vec<PreconditionReading>,
    /// Probability that the precondition holds at all, in [0, 1].
    pub firmness: Param,
}

/// One alternative reading of a precondition: the same constraint, between
/// other milestones or with another timing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreconditionReading {
    /// Name, unique within its precondition.
    pub name: String,
    /// The precondition under this reading (same id and owner).
    pub precondition: crate::process::Precondition,
    /// Plausibility weight (> 0); normalised with the default's.
    pub weight: f64,
    /// Evidence grade overriding the source's, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    /// Free-text note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl PreconditionReadings {
    /// Probabilities of the readings, default first: firmness × normalised
    /// weight.
    pub fn probabilities(&self) -> Vec<f64> {
        let total: f64 =
            self.default_weight + self.alternatives.iter().map(|r| r.weight).sum::<f64>();
        let f = self.firmness.value;
        std::iter::once(self.default_weight)
            .chain(self.alternatives.iter().map(|r| r.weight))
            .map(|w| f * w / total)
            .collect()
    }

    /// Names of the readings, default first.
    pub fn names(&self) -> Vec<&str> {
        std::iter::once(self.default_name.as_str())
            .chain(self.alternatives.iter().map(|r| r.name.as_str()))
            .collect()
    }
}

/// The readings of one red line: its own rule (the default reading), the
/// alternatives, and the probability that it holds at all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Readings {
    /// Index of the red line.
    pub red_line: usize,
    /// Name of the red line's own rule as a reading (`default` unless named).
    pub default_name: String,
    /// Plausibility weight of the default reading (> 0).
    pub default_weight: f64,
    /// The alternative readings.
    pub alternatives: Vec<Reading>,
    /// Probability that the red line holds at all, in [0, 1].
    pub firmness: Param,
}

/// One alternative reading of a red line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    /// Name, unique within its red line.
    pub name: String,
    /// What must hold under this reading.
    pub rule: Expr,
    /// Plausibility weight (> 0); normalised with the default's per red line.
    pub weight: f64,
    /// Evidence grade overriding the source's, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    /// Free-text note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Where this reading comes from.
    pub provenance: Provenance,
}

impl Readings {
    /// Probabilities of the readings, default first then the alternatives
    /// in order: firmness × normalised weight.
    pub fn probabilities(&self) -> Vec<f64> {
        let total: f64 =
            self.default_weight + self.alternatives.iter().map(|r| r.weight).sum::<f64>();
        let f = self.firmness.value;
        std::iter::once(self.default_weight)
            .chain(self.alternatives.iter().map(|r| r.weight))
            .map(|w| f * w / total)
            .collect()
    }

    /// Names of the readings, default first.
    pub fn names(&self) -> Vec<&str> {
        std::iter::once(self.default_name.as_str())
            .chain(self.alternatives.iter().map(|r| r.name.as_str()))
            .collect()
    }
}

/// An issue one actor settles alone, e.g. a guarantor setting the duration
/// of its own guarantee: spatial models do not vote on it, and the forecast
/// is that actor's choice within the deal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecidedBy {
    /// Index of the issue.
    pub issue: usize,
    /// Index of the actor that decides it.
    pub actor: usize,
    /// Where it is said that this actor decides.
    pub provenance: Provenance,
}

/// How much weight a source's claim can bear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// A named official or a document, carried by a wire or major outlet.
    Reported,
    /// A summary of another source (a digest, an encyclopedia, a briefing
    /// that cites the original).
    Secondary,
    /// One party reporting another party's position.
    OnePartyClaim,
    /// Only a partisan or state outlet; fit for that side's own statements.
    Partisan,
    /// A single anonymous-source report.
    Anonymous,
    /// A source its own author flags as uncertain, or one the scenario's
    /// author trusts little.
    LowConfidence,
    /// Analyst inference, not a party position.
    Speculation,
    /// A modelling assumption made by the scenario's author.
    Assumption,
}

impl Grade {
    /// All grades, in order of decreasing evidential weight.
    pub const ALL: [Grade; 8] = [
        Grade::Reported,
        Grade::Secondary,
        Grade::OnePartyClaim,
        Grade::Partisan,
        Grade::Anonymous,
        Grade::LowConfidence,
        Grade::Speculation,
        Grade::Assumption,
    ];

    /// The snake_case name used in files and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Grade::Reported => "reported",
            Grade::Secondary => "secondary",
            Grade::OnePartyClaim => "one_party_claim",
            Grade::Partisan => "partisan",
            Grade::Anonymous => "anonymous",
            Grade::LowConfidence => "low_confidence",
            Grade::Speculation => "speculation",
            Grade::Assumption => "assumption",
        }
    }

    /// Position in [`Grade::ALL`]: 0 is the strongest.
    pub fn rank(self) -> usize {
        Grade::ALL
            .iter()
            .position(|&g| g == self)
            .unwrap_or(Grade::ALL.len())
    }

    /// The weaker of two grades: a conclusion is never stronger than its
    /// weakest source.
    pub fn weaker(self, other: Grade) -> Grade {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }

    /// Parses a grade name as written in files.
    pub fn parse(s: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.name() == s)
    }
}

/// A citation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// Identifier that other entries refer to.
    pub id: String,
    /// Title or headline.
    pub title: String,
    /// Publication date, if known (ISO).
    pub date: Option<String>,
    /// Where it can be read.
    pub url: Option<String>,
    /// Evidence grade.
    pub grade: Grade,
}

/// A party at the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Actor {
    /// Short identifier (`UA`, `RU`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Capability/clout used by forecasting models.
    pub power: Param,
}

/// One dimension of the deal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    /// Identifier used in rules and outputs.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The values the issue can take.
    pub kind: IssueKind,
}

/// The value domain of an issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum IssueKind {
    /// A list of labelled values; `ordered` says whether their order means
    /// more or less of something.
    Options {
        /// The options, in order.
        options: Vec<OptionDef>,
        /// Whether comparisons (`<`, `>=`) are meaningful.
        ordered: bool,
    },
    /// A numeric range discretised by `step`.
    Numeric {
        /// Lowest value.
        min: f64,
        /// Highest value.
        max: f64,
        /// Distance between consecutive values.
        step: f64,
        /// Unit for display.
        unit: String,
    },
}

/// One labelled option of an issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionDef {
    /// Identifier used in rules and outputs.
    pub id: String,
    /// Display label.
    pub label: String,
}

/// The value an issue takes in an outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// An option, by id.
    Option(String),
    /// A number.
    Number(f64),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Option(s) => f.write_str(s),
            Value::Number(x) => write!(f, "{}", fmt_num(*x)),
        }
    }
}

/// Formats a number without a trailing `.0` for whole values.
pub fn fmt_num(x: f64) -> String {
    // Huge and tiny magnitudes in exponent form: `{:.6}` of 1e308 is 309
    // digits, and of 1e-300 is `0`.
    if x != 0.0 && x.is_finite() && (x.abs() >= 1e15 || x.abs() < 1e-6) {
        return format!("{x:e}");
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

impl Issue {
    /// Number of discrete levels the issue can take.
    pub fn levels(&self) -> usize {
        match &self.kind {
            IssueKind::Options { options, .. } => options.len(),
            IssueKind::Numeric { min, max, step, .. } => numeric_levels(*min, *max, *step),
        }
    }

    /// The position of a level on the issue's own scale: the option's index,
    /// or the number.
    pub fn scalar(&self, level: usize) -> f64 {
        match &self.kind {
            IssueKind::Options { .. } => level as f64,
            IssueKind::Numeric { min, max, step, .. } => (min + step * level as f64).min(*max),
        }
    }

    /// The value at a level.
    pub fn value(&self, level: usize) -> Value {
        match &self.kind {
            IssueKind::Options { options, .. } => Value::Option(options[level].id.clone()),
            IssueKind::Numeric { .. } => Value::Number(self.scalar(level)),
        }
    }

    /// Whether the options are ordered (always true for numeric issues).
    pub fn is_ordered(&self) -> bool {
        match &self.kind {
            IssueKind::Options { ordered, .. } => *ordered,
            IssueKind::Numeric { .. } => true,
        }
    }

    /// Index of an option by id (options issues only).
    pub fn option_index(&self, id: &str) -> Option<usize> {
        match &self.kind {
            IssueKind::Options { options, .. } => options.iter().position(|o| o.id == id),
            IssueKind::Numeric { .. } => None,
        }
    }

    /// The level nearest to a number (numeric issues) or option position.
    pub fn nearest_level(&self, x: f64) -> usize {
        let n = self.levels();
        (0..n)
            .min_by(|&a, &b| {
                let da = (self.scalar(a) - x).abs();
                let db = (self.scalar(b) - x).abs();
                da.total_cmp(&db)
            })
            .unwrap_or(0)
    }

    /// The lowest and highest scalar values of the issue.
    pub fn range(&self) -> (f64, f64) {
        let n = self.levels();
        (self.scalar(0), self.scalar(n.saturating_sub(1)))
    }
}

/// The most values one issue may have; every analysis allocates per value.
pub const MAX_LEVELS: usize = 100_000;

/// Number of levels of a numeric range with a step (the last value is `max`
/// even when the step does not divide the range).
pub fn numeric_levels(min: f64, max: f64, step: f64) -> usize {
    if step.is_nan() || step <= 0.0 || max.is_nan() || max < min {
        return 1;
    }
    // `(max - min) / step` overflows to infinity for `step = 1e-300` or
    // `max - min = 2e308`; a count that does not fit saturates at
    // `usize::MAX` (every caller refuses such an issue) rather than
    // wrapping to a handful of levels.
    let kf = ((max - min) / step + 1e-9).floor();
    if !kf.is_finite() || kf >= (usize::MAX / 2) as f64 {
        return usize::MAX;
    }
    let k = kf as usize;
    let last = min + step * k as f64;
    if (max - last).abs() > 1e-9 * step.max(1.0) {
        k + 2
    } else {
        k + 1
    }
}

/// A hard constraint an actor states ("no NATO-country troops").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RedLine {
    /// Identifier.
    pub id: String,
    /// Index of the actor that holds it.
    pub actor: usize,
    /// What must hold for the actor to accept.
    pub rule: Expr,
    /// Where the actor said so.
    pub provenance: Provenance,
}

/// A combination of values that cannot exist, whatever anyone wants.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feasibility {
    /// Identifier.
    pub id: String,
    /// What must hold for an outcome to exist.
    pub rule: Expr,
    /// Why.
    pub provenance: Provenance,
}

/// A body whose consent an actor needs: blocs with seat counts, each voting
/// by its own rule, and a quota of seats that must accept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ratifier {
    /// Identifier.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Index of the actor whose deals it ratifies.
    pub actor: usize,
    /// Share of seats (0–1] that must accept.
    pub quota: Param,
    /// The voting blocs.
    pub blocs: Vec<Bloc>,
    /// Where its rules come from.
    pub provenance: Provenance,
    /// When the body votes at all (e.g. `referendum == yes`); `None`: on
    /// every outcome. Where it does not apply it neither accepts nor blocks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applies: Option<Expr>,
    /// Deal-dependent quotas: the first rule that holds on an outcome
    /// replaces `quota` there (a constitutional amendment needs more votes
    /// than a law).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub quotas: Vec<QuotaRule>,
}

/// A quota that applies on the outcomes where its rule holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuotaRule {
    /// Where this quota applies.
    pub when: Expr,
    /// Share of seats (0–1] that must accept there.
    pub quota: Param,
}

impl Ratifier {
    /// Whether the body votes on an outcome.
    pub fn applies_to(&self, issues: &[Issue], levels: &[usize]) -> bool {
        self.applies.as_ref().is_none_or(|e| e.eval(issues, levels))
    }

    /// The quota on an outcome: the first deal-dependent quota whose rule
    /// holds, else the default.
    pub fn quota_at(&self, issues: &[Issue], levels: &[usize]) -> f64 {
        self.quotas
            .iter()
            .find(|q| q.when.eval(issues, levels))
            .map_or(self.quota.value, |q| q.quota.value)
    }
}

/// A voting bloc within a ratifier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bloc {
    /// Identifier.
    pub id: String,
    /// Seats (or vote share) the bloc holds.
    pub seats: Param,
    /// The bloc accepts when its utility reaches this threshold.
    pub threshold: Param,
    /// The bloc's own preferences, or `None` to use its actor's.
    pub own: Option<Vec<IssuePref>>,
    /// A condition the bloc insists on, if any.
    pub requires: Option<Expr>,
    /// Where the numbers come from.
    pub provenance: Provenance,
    /// Share of the bloc's seats that vote yes when it accepts (e.g. a poll
    /// range); `None`: all of them. The exact analysis uses the point value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<Param>,
}

impl Bloc {
    /// Seats voting yes when the bloc accepts.
    pub fn yes_seats(&self) -> f64 {
        self.seats.value * self.share.as_ref().map_or(1.0, |s| s.value)
    }
}

impl Scenario {
    /// Keeps the red lines `keep` accepts, and the readings of those kept
    /// (re-indexed): readings point at red lines by index, so removing red
    /// lines any other way leaves them naming the wrong one or none.
    pub fn retain_red_lines(&mut self, keep: impl Fn(&RedLine) -> bool) {
        let mut new_index = vec![None; self.red_lines.len()];
        let mut next = 0;
        for (k, r) in self.red_lines.iter().enumerate() {
            if keep(r) {
                new_index[k] = Some(next);
                next += 1;
            }
        }
        self.red_lines.retain(|r| keep(r));
        self.readings
            .retain_mut(|rs| match new_index.get(rs.red_line).copied().flatten() {
                Some(k) => {
                    rs.red_line = k;
                    true
                }
                None => false,
            });
    }

    /// Number of outcomes in the full product space.
    pub fn space_size(&self) -> u128 {
        self.space().size()
    }

    /// The outcome space: levels per issue, numbered last issue fastest.
    pub fn space(&self) -> OutcomeSpace {
        OutcomeSpace::of(self)
    }

    /// Index of an actor by id.
    pub fn actor_index(&self, id: &str) -> Option<usize> {
        self.actors.iter().position(|a| a.id == id)
    }

    /// Index of an issue by id.
    pub fn issue_index(&self, id: &str) -> Option<usize> {
        self.issues.iter().position(|i| i.id == id)
    }

    /// A source by id.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    /// Utility of an outcome (levels per issue) for an actor, by direct
    /// evaluation in issue order.
    pub fn utility(&self, actor: usize, levels: &[usize]) -> f64 {
        preference::additive_utility(&self.issues, &self.preferences[actor].issues, levels)
    }

    /// Every number or rule that carries neither a source nor an assumption
    /// label, described by where it sits (e.g. `preferences.UA.army_size.weight`).
    pub fn provenance_gaps(&self) -> Vec<String> {
        let mut gaps = Vec::new();
        let mut need = |ok: bool, what: String| {
            if !ok {
                gaps.push(what);
            }
        };
        for a in &self.actors {
            need(
                a.power.provenance.is_accounted(),
                format!("actors.{}.power", a.id),
            );
        }
        for (a, p) in self.actors.iter().zip(&self.preferences) {
            need(
                p.reservation.provenance.is_accounted(),
                format!("preferences.{}.reservation", a.id),
            );
            for (i, ip) in self.issues.iter().zip(&p.issues) {
                if ip.weight.value > 0.0 {
                    need(
                        ip.weight.provenance.is_accounted(),
                        format!("preferences.{}.{}.weight", a.id, i.id),
                    );
                    need(
                        ip.provenance.is_accounted(),
                        format!("preferences.{}.{} (position)", a.id, i.id),
                    );
                }
            }
        }
        for r in &self.red_lines {
            need(r.provenance.is_accounted(), format!("red_lines.{}", r.id));
        }
        for d in &self.decided_by {
            need(
                d.provenance.is_accounted(),
                format!("issues.{}.decided_by", self.issues[d.issue].id),
            );
        }
        for f in &self.feasibility {
            need(f.provenance.is_accounted(), format!("constraints.{}", f.id));
        }
        for r in &self.ratifiers {
            need(
                r.provenance.is_accounted() || r.quota.provenance.is_accounted(),
                format!("ratifiers.{}.quota", r.id),
            );
            for (k, q) in r.quotas.iter().enumerate() {
                need(
                    q.quota.provenance.is_accounted(),
                    format!("ratifiers.{}.quotas[{k}]", r.id),
                );
            }
            for b in &r.blocs {
                let bloc_ok = b.provenance.is_accounted();
                need(
                    bloc_ok || b.seats.provenance.is_accounted(),
                    format!("ratifiers.{}.{}.seats", r.id, b.id),
                );
                need(
                    bloc_ok || b.threshold.provenance.is_accounted(),
                    format!("ratifiers.{}.{}.threshold", r.id, b.id),
                );
                if let Some(share) = &b.share {
                    need(
                        share.provenance.is_accounted(),
                        format!("ratifiers.{}.{}.share", r.id, b.id),
                    );
                }
            }
        }
        gaps
    }

    /// Checks the invariants the analyses rely on. Formats report located
    /// errors before this; this guards scenarios built in code.
    pub fn check(&self) -> Result<(), crate::Error> {
        let bad = |m: String| Err(crate::Error::Invalid(m));
        if self.actors.is_empty() {
            return bad("a scenario needs at least one actor".into());
        }
        if self.issues.is_empty() {
            return bad("a scenario needs at least one issue".into());
        }
        if self.preferences.len() != self.actors.len() {
            return bad("one preference per actor is required".into());
        }
        for (i, issue) in self.issues.iter().enumerate() {
            if issue.levels() == 0 {
                return bad(format!("issue `{}` has no values", issue.id));
            }
            if issue.levels() > MAX_LEVELS {
                return bad(format!(
                    "issue `{}` has more than {MAX_LEVELS} values: use a coarser step",
                    issue.id
                ));
            }
            if self.issues[..i].iter().any(|o| o.id == issue.id) {
                return bad(format!("duplicate issue id `{}`", issue.id));
            }
        }
        for p in &self.preferences {
            if p.issues.len() != self.issues.len() {
                return bad("a preference must cover every issue".into());
            }
            p.check(&self.issues).map_err(crate::Error::Invalid)?;
        }
        for d in &self.decided_by {
            if d.issue >= self.issues.len() || d.actor >= self.actors.len() {
                return bad("`decided_by` names no issue or no actor".into());
            }
        }
        for r in &self.red_lines {
            if r.actor >= self.actors.len() {
                return bad(format!("red line `{}` names no actor", r.id));
            }
            r.rule.check(&self.issues).map_err(crate::Error::Invalid)?;
        }
        for rs in &self.readings {
            let Some(r) = self.red_lines.get(rs.red_line) else {
                return bad("readings name no red line".into());
            };
            if !(0.0..=1.0).contains(&rs.firmness.value) {
                return bad(format!("red line `{}`: firmness must lie in [0, 1]", r.id));
            }
            let weights =
                std::iter::once(rs.default_weight).chain(rs.alternatives.iter().map(|a| a.weight));
            if weights.clone().any(|w| !(w.is_finite() && w > 0.0)) {
                return bad(format!(
                    "red line `{}`: reading weights must be positive",
                    r.id
                ));
            }
            let names = rs.names();
            if names
                .iter()
                .enumerate()
                .any(|(k, n)| names[..k].contains(n))
            {
                return bad(format!("red line `{}`: duplicate reading name", r.id));
            }
            for a in &rs.alternatives {
                a.rule.check(&self.issues).map_err(crate::Error::Invalid)?;
            }
        }
        for f in &self.feasibility {
            f.rule.check(&self.issues).map_err(crate::Error::Invalid)?;
        }
        for s in &self.reservation_steps {
            if s.actor >= self.actors.len() {
                return bad("a reservation step names no actor".into());
            }
            if !(s.step.value.is_finite() && s.step.value > 0.0 && s.step.value <= 1.0) {
                return bad(format!(
                    "actor `{}`: a reservation step must lie in (0, 1]",
                    self.actors[s.actor].id
                ));
            }
        }
        let n_mil = self.process.milestones.len();
        for rs in &self.precondition_readings {
            let Some(p) = self.process.preconditions.get(rs.precondition) else {
                return bad("readings name no precondition".into());
            };
            if !(0.0..=1.0).contains(&rs.firmness.value) {
                return bad(format!(
                    "precondition `{}`: firmness must lie in [0, 1]",
                    p.id
                ));
            }
            let weights =
                std::iter::once(rs.default_weight).chain(rs.alternatives.iter().map(|a| a.weight));
            if weights.clone().any(|w| !(w.is_finite() && w > 0.0)) {
                return bad(format!(
                    "precondition `{}`: reading weights must be positive",
                    p.id
                ));
            }
            let names = rs.names();
            if names
                .iter()
                .enumerate()
                .any(|(k, n)| names[..k].contains(n))
            {
                return bad(format!("precondition `{}`: duplicate reading name", p.id));
            }
            for a in &rs.alternatives {
                let q = &a.precondition;
                if q.from >= n_mil || q.to >= n_mil {
                    return bad(format!(
                        "precondition `{}`: reading `{}` names no milestone",
                        p.id, a.name
                    ));
                }
                if let Some(w) = &q.when {
                    w.check(&self.issues).map_err(crate::Error::Invalid)?;
                }
            }
        }
        for r in &self.ratifiers {
            if r.actor >= self.actors.len() {
                return bad(format!("ratifier `{}` names no actor", r.id));
            }
            if r.blocs.is_empty() {
                return bad(format!("ratifier `{}` has no blocs", r.id));
            }
            if let Some(e) = &r.applies {
                e.check(&self.issues).map_err(crate::Error::Invalid)?;
            }
            for q in &r.quotas {
                q.when.check(&self.issues).map_err(crate::Error::Invalid)?;
                if !(q.quota.value > 0.0 && q.quota.value <= 1.0) {
                    return bad(format!("ratifier `{}`: a quota must lie in (0, 1]", r.id));
                }
            }
            for b in &r.blocs {
                if let Some(own) = &b.own {
                    if own.len() != self.issues.len() {
                        return bad(format!("bloc `{}` must cover every issue", b.id));
                    }
                }
                if let Some(e) = &b.requires {
                    e.check(&self.issues).map_err(crate::Error::Invalid)?;
                }
                if let Some(s) = &b.share {
                    if !(0.0..=1.0).contains(&s.value) {
                        return bad(format!("bloc `{}`: a yes share must lie in [0, 1]", b.id));
                    }
                }
            }
        }
        // The process analyses index milestones and add day offsets without
        // further checks: a network that fails here would make them panic.
        self.process
            .validate()
            .map_err(|e| crate::Error::Invalid(format!("process: {e}")))?;
        Ok(())
    }
}
