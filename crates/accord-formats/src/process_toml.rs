//! Process tables of a scenario file: `[[milestones]]`, `[[preconditions]]`
//! and `[[deadlines]]`, read raw and validated into an
//! [`accord::ProcessNetwork`].
//!
//! ```toml
//! [[milestones]]
//! id = "ceasefire"
//! name = "Full ceasefire in effect"
//!
//! [[preconditions]]
//! id = "P1"
//! owner = "UA"
//! before = "ceasefire"   # A
//! then = "referendum"    # B
//! min_days = 60          # optional: B no earlier than 60 days after A
//! max_days = 120         # optional: B no later than 120 days after A
//! kind = "held"          # optional: before | at_least | within | between | held | veto
//! rule = "Referendum on the plan requires >= 60-day ceasefire"
//! source = "cgtn-2025-12-27"
//! quote = "60 days is the minimum time required"
//!
//! [[deadlines]]
//! milestone = "signature"
//! not_after = "2026-02-24"   # ISO date, or not_after_days = 57
//! ```
//!
//! Without `kind`, the timing follows from the day fields: none gives
//! `Before`, `min_days` alone `AtLeast`, `max_days` alone `Within`, both
//! `Between`. `kind = "held"` needs `min_days` only; `kind = "veto"` takes
//! no day fields. An owner is an actor id, or several joined by `+`
//! (`"UA+US"`). The id `start` is reserved for day 0.

use std::collections::HashMap;

use accord::process::{
    civil_from_days, days_from_civil, Deadline, Milestone, Precondition, ProcessNetwork, Timing,
    MAX_ABS_DAYS, START_ID,
};
use serde::{Deserialize, Serialize};

/// The three process tables as written in a scenario file.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProcessTables {
    /// `[[milestones]]` entries.
    pub milestones: Vec<RawMilestone>,
    /// `[[preconditions]]` entries.
    pub preconditions: Vec<RawPrecondition>,
    /// `[[deadlines]]` entries.
    pub deadlines: Vec<RawDeadline>,
}

/// One `[[milestones]]` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMilestone {
    /// Unique id.
    pub id: String,
    /// Display name; defaults to the id.
    pub name: Option<String>,
    /// Rule over the outcome saying when the step exists (checked by the
    /// scenario reader, which knows the issues).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

/// One `[[preconditions]]` entry: `then` (B) only after `before` (A).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrecondition {
    /// Unique id (shared with deadline ids).
    pub id: String,
    /// Actor id(s) holding the condition.
    pub owner: String,
    /// Milestone A, the prerequisite.
    pub before: String,
    /// Milestone B, the conditioned milestone.
    pub then: String,
    /// B no earlier than this many days after A.
    pub min_days: Option<i64>,
    /// B no later than this many days after A.
    pub max_days: Option<i64>,
    /// Timing kind label; inferred from the day fields when absent.
    pub kind: Option<String>,
    /// The rule as stated.
    pub rule: String,
    /// Source document id.
    pub source: Option<String>,
    /// Short quote from the source.
    pub quote: Option<String>,
    /// Why the step is assumed, when no source states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumption: Option<String>,
    /// Rule over the outcome saying when the step exists (checked by the
    /// scenario reader, which knows the issues).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// Name of the entry above as a reading (`default` when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_reading: Option<String>,
    /// Plausibility weight of the entry above as a reading (1 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_weight: Option<f64>,
    /// Probability that the precondition holds at all (1 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firmness: Option<crate::scenario::raw::NumRaw>,
    /// Alternative readings: the same condition between other milestones
    /// or with another timing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<RawPreconditionReading>,
}

/// `[[preconditions.readings]]`: another way to read a precondition. The
/// id, owner and `when` are the precondition's own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPreconditionReading {
    /// Name, unique within the precondition.
    pub name: String,
    /// Milestone A under this reading (the precondition's when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// Milestone B under this reading (the precondition's when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub then: Option<String>,
    /// B no earlier than this many days after A.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_days: Option<i64>,
    /// B no later than this many days after A.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_days: Option<i64>,
    /// Timing kind label; inferred from the day fields when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The rule under this reading (the precondition's when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// Plausibility weight (> 0; 1 when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Evidence grade overriding the source's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// Source id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Short quote from the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Why this reading is assumed, when no source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumption: Option<String>,
    /// Free-text note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl RawPrecondition {
    /// The entry as read under one of its alternative readings: the same
    /// id, owner and `when`, the reading's milestones, timing, rule and
    /// source; without readings of its own.
    pub fn under(&self, r: &RawPreconditionReading) -> RawPrecondition {
        let timed = r.min_days.is_some() || r.max_days.is_some() || r.kind.is_some();
        RawPrecondition {
            id: self.id.clone(),
            owner: self.owner.clone(),
            before: r.before.clone().unwrap_or_else(|| self.before.clone()),
            then: r.then.clone().unwrap_or_else(|| self.then.clone()),
            min_days: if timed { r.min_days } else { self.min_days },
            max_days: if timed { r.max_days } else { self.max_days },
            kind: if timed {
                r.kind.clone()
            } else {
                self.kind.clone()
            },
            rule: r.rule.clone().unwrap_or_else(|| self.rule.clone()),
            source: r.source.clone().or_else(|| self.source.clone()),
            quote: if r.source.is_some() {
                r.quote.clone()
            } else {
                r.quote.clone().or_else(|| self.quote.clone())
            },
            assumption: r.assumption.clone(),
            when: self.when.clone(),
            default_reading: None,
            default_weight: None,
            firmness: None,
            readings: Vec::new(),
        }
    }
}

/// One `[[deadlines]]` entry: a bound on a milestone's date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeadline {
    /// Unique id; defaults to `deadlines[i]`.
    pub id: Option<String>,
    /// The bounded milestone.
    pub milestone: String,
    /// Latest date, ISO `YYYY-MM-DD` (string or TOML date).
    pub not_after: Option<toml::Value>,
    /// Latest day as an offset from `as_of`.
    pub not_after_days: Option<i64>,
    /// Earliest date, ISO `YYYY-MM-DD` (string or TOML date).
    pub not_before: Option<toml::Value>,
    /// Earliest day as an offset from `as_of`.
    pub not_before_days: Option<i64>,
    /// Actor id(s) setting the deadline.
    pub owner: Option<String>,
    /// The rule as stated; defaults to a description of the bound.
    pub rule: Option<String>,
    /// Source document id.
    pub source: Option<String>,
    /// Short quote from the source.
    pub quote: Option<String>,
    /// Why the step is assumed, when no source states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumption: Option<String>,
    /// Rule over the outcome saying when the step exists (checked by the
    /// scenario reader, which knows the issues).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
}

/// A problem with one table entry, e.g. `preconditions[3].then`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ProcessError {
    /// Where: table, index and field, e.g. `deadlines[0].not_after`.
    pub path: String,
    /// What is wrong and what was expected.
    pub message: String,
}

/// Parse an ISO calendar date `YYYY-MM-DD` into a day number
/// (days since 1970-01-01).
pub fn parse_iso_date(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let (y, m, d) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let z = days_from_civil(i64::from(y), m, d);
    (civil_from_days(z) == (i64::from(y), m, d)).then_some(z)
}

/// Validate the tables into a [`ProcessNetwork`] with days counted from
/// `as_of_days` (the day number of `as_of`, see [`parse_iso_date`]).
///
/// Every problem found is returned, each with its entry path.
pub fn build_network<S: AsRef<str>>(
    raw: &ProcessTables,
    as_of_days: i64,
    known_actor_ids: &[S],
) -> Result<ProcessNetwork, Vec<ProcessError>> {
    let mut b = Builder {
        errors: Vec::new(),
        actors: known_actor_ids,
    };
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut milestones = Vec::new();
    for (i, m) in raw.milestones.iter().enumerate() {
        let path = format!("milestones[{i}].id");
        if b.check_id(&path, &m.id) && index.insert(&m.id, i).is_some() {
            b.err(path, format!("duplicate milestone id \"{}\"", m.id));
        }
        let name = m.name.clone().unwrap_or_else(|| m.id.clone());
        milestones.push(Milestone {
            id: m.id.clone(),
            name,
            when: None,
        });
    }
    let known = |b: &mut Builder<S>, path: String, id: &str| {
        let found = index.get(id).copied();
        if found.is_none() {
            let mut ids: Vec<&str> = raw.milestones.iter().map(|m| m.id.as_str()).collect();
            ids.truncate(20);
            let hint = if id == START_ID {
                " (\"start\" is day 0: use [[deadlines]] to bound a milestone against it)"
            } else {
                ""
            };
            b.err(
                path,
                format!(
                    "unknown milestone \"{id}\"{hint}; expected one of: {}",
                    ids.join(", ")
                ),
            );
        }
        found
    };
    let mut ids: HashMap<String, String> = HashMap::new();
    let mut preconditions = Vec::new();
    for (i, p) in raw.preconditions.iter().enumerate() {
        let at = |f: &str| format!("preconditions[{i}].{f}");
        if b.check_id(&at("id"), &p.id) {
            b.unique(&mut ids, &p.id, at("id"));
        }
        b.check_owner(at("owner"), &p.owner);
        let from = known(&mut b, at("before"), &p.before);
        let to = known(&mut b, at("then"), &p.then);
        if from.is_some() && from == to {
            b.err(
                at("then"),
                format!("\"then\" must differ from \"before\" (both \"{}\")", p.then),
            );
        }
        let timing = b.timing(i, p);
        if let (Some(from), Some(to), Some(timing)) = (from, to, timing) {
            preconditions.push(Precondition {
                id: p.id.clone(),
                from,
                to,
                owner: p.owner.clone(),
                rule: p.rule.clone(),
                source: p.source.clone(),
                quote: p.quote.clone(),
                assumption: p.assumption.clone(),
                timing,
                when: None,
            });
        }
    }
    let mut deadlines = Vec::new();
    for (j, d) in raw.deadlines.iter().enumerate() {
        let at = |f: &str| format!("deadlines[{j}].{f}");
        let id = d.id.clone().unwrap_or_else(|| format!("deadlines[{j}]"));
        if d.id.is_none() || b.check_id(&at("id"), &id) {
            b.unique(&mut ids, &id, at("id"));
        }
        if let Some(owner) = &d.owner {
            b.check_owner(at("owner"), owner);
        }
        let milestone = known(&mut b, at("milestone"), &d.milestone);
        let lo = b.day(
            &at("not_before"),
            d.not_before.as_ref(),
            d.not_before_days,
            as_of_days,
        );
        let hi = b.day(
            &at("not_after"),
            d.not_after.as_ref(),
            d.not_after_days,
            as_of_days,
        );
        let (Ok(lo), Ok(hi)) = (lo, hi) else { continue };
        if lo.is_none() && hi.is_none() {
            b.err(
                at("milestone"),
                "a deadline needs not_after, not_after_days, not_before or not_before_days".into(),
            );
        }
        if let (Some(l), Some(h)) = (lo, hi) {
            if l > h {
                b.err(
                    at("not_after"),
                    format!("not_after (day {h}) is before not_before (day {l})"),
                );
            }
        }
        let rule = d.rule.clone().unwrap_or_else(|| match (lo, hi) {
            (Some(l), Some(h)) => format!("{} between day {l} and day {h}", d.milestone),
            (Some(l), None) => format!("{} not before day {l}", d.milestone),
            (_, h) => format!("{} not after day {}", d.milestone, h.unwrap_or(0)),
        });
        if let Some(milestone) = milestone {
            deadlines.push(Deadline {
                id,
                milestone,
                not_before_days: lo,
                not_after_days: hi,
                owner: d.owner.clone(),
                rule,
                source: d.source.clone(),
                quote: d.quote.clone(),
                assumption: d.assumption.clone(),
                when: None,
            });
        }
    }
    if b.errors.is_empty() {
        Ok(ProcessNetwork {
            milestones,
            preconditions,
            deadlines,
        })
    } else {
        Err(b.errors)
    }
}

struct Builder<'a, S> {
    errors: Vec<ProcessError>,
    actors: &'a [S],
}

impl<S: AsRef<str>> Builder<'_, S> {
    fn err(&mut self, path: String, message: String) {
        self.errors.push(ProcessError { path, message });
    }

    /// Record a constraint id, reporting a repeat with its first path.
    fn unique(&mut self, ids: &mut HashMap<String, String>, id: &str, path: String) {
        match ids.get(id) {
            Some(first) => {
                let msg = format!("duplicate id \"{id}\" (first used at {first})");
                self.err(path, msg);
            }
            None => {
                ids.insert(id.to_string(), path);
            }
        }
    }

    /// Non-empty and not the reserved `start`; returns whether usable.
    fn check_id(&mut self, path: &str, id: &str) -> bool {
        if id.trim().is_empty() {
            self.err(path.into(), "expected a non-empty id".into());
            false
        } else if id == START_ID {
            self.err(
                path.into(),
                "\"start\" is reserved for day 0 (as_of)".into(),
            );
            false
        } else {
            true
        }
    }

    fn check_owner(&mut self, path: String, owner: &str) {
        let known = |a: &str| self.actors.iter().any(|k| k.as_ref() == a);
        if let Some(bad) = owner.split('+').find(|a| !known(a)) {
            let mut ids: Vec<&str> = self.actors.iter().map(AsRef::as_ref).collect();
            ids.truncate(20);
            let msg = format!(
                "unknown actor \"{bad}\"; expected one of: {}",
                ids.join(", ")
            );
            self.err(path, msg);
        }
    }

    fn in_range(&mut self, path: String, value: i64) -> bool {
        let ok = value.abs() <= MAX_ABS_DAYS;
        if !ok {
            self.err(path, format!("{value} days is outside ±{MAX_ABS_DAYS}"));
        }
        ok
    }

    fn timing(&mut self, i: usize, p: &RawPrecondition) -> Option<Timing> {
        let at = |f: &str| format!("preconditions[{i}].{f}");
        let min_ok = p.min_days.is_none_or(|v| self.in_range(at("min_days"), v));
        let max_ok = p.max_days.is_none_or(|v| self.in_range(at("max_days"), v));
        if let (Some(lo), Some(hi)) = (p.min_days, p.max_days) {
            if lo > hi {
                self.err(
                    at("max_days"),
                    format!("max_days ({hi}) is less than min_days ({lo})"),
                );
                return None;
            }
        }
        if !(min_ok && max_ok) {
            return None;
        }
        let (lo, hi) = (p.min_days, p.max_days);
        let inferred = match (lo, hi) {
            (None, None) => Timing::Before,
            (Some(d), None) => Timing::AtLeast(d),
            (None, Some(d)) => Timing::Within(d),
            (Some(l), Some(h)) => Timing::Between(l, h),
        };
        let Some(kind) = p.kind.as_deref() else {
            return Some(inferred);
        };
        let (timing, needs) = match kind {
            "before" => (Timing::Before, "no min_days or max_days"),
            "at_least" => (inferred, "min_days only"),
            "within" => (inferred, "max_days only"),
            "between" => (inferred, "both min_days and max_days"),
            "held" => (Timing::Held(lo.unwrap_or(0)), "min_days only"),
            "veto" => (Timing::Never, "no min_days or max_days"),
            other => {
                let msg = format!("unknown kind \"{other}\"; expected one of: before, at_least, within, between, held, veto");
                self.err(at("kind"), msg);
                return None;
            }
        };
        let fits = match kind {
            "before" | "veto" => lo.is_none() && hi.is_none(),
            "at_least" | "held" => lo.is_some() && hi.is_none(),
            "within" => lo.is_none() && hi.is_some(),
            _ => lo.is_some() && hi.is_some(),
        };
        if !fits {
            self.err(at("kind"), format!("kind \"{kind}\" takes {needs}"));
            return None;
        }
        Some(timing)
    }

    /// A day offset from a date or a `_days` field (not both).
    fn day(
        &mut self,
        path: &str,
        date: Option<&toml::Value>,
        days: Option<i64>,
        as_of_days: i64,
    ) -> Result<Option<i64>, ()> {
        let offset = match (date, days) {
            (Some(_), Some(_)) => {
                let msg = format!(
                    "give either {0} or {0}_days, not both",
                    path.rsplit('.').next().unwrap_or(path)
                );
                self.err(path.into(), msg);
                return Err(());
            }
            (None, None) => return Ok(None),
            (None, Some(d)) => {
                return if self.in_range(format!("{path}_days"), d) {
                    Ok(Some(d))
                } else {
                    Err(())
                };
            }
            (Some(v), None) => {
                let text = match v {
                    toml::Value::String(s) => Some(s.clone()),
                    toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
                        Some(dt.to_string())
                    }
                    _ => None,
                };
                match text.as_deref().and_then(parse_iso_date) {
                    Some(z) => z.saturating_sub(as_of_days),
                    None => {
                        self.err(
                            path.into(),
                            format!("expected an ISO date like \"2026-02-24\", found {v}"),
                        );
                        return Err(());
                    }
                }
            }
        };
        if self.in_range(path.into(), offset) {
            Ok(Some(offset))
        } else {
            Err(())
        }
    }
}
