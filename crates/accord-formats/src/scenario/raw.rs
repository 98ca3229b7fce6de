//! The scenario file as written: serde types that mirror the TOML/JSON
//! exactly, before any checking. `validate` turns them into the engine's
//! [`accord::Scenario`].

use indexmap::IndexMap;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Metadata.
    pub scenario: Meta,
    /// Citations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceRaw>,
    /// Parties.
    #[serde(default)]
    pub actors: Vec<ActorRaw>,
    /// Dimensions of the deal.
    #[serde(default)]
    pub issues: Vec<IssueRaw>,
    /// Per-actor preferences.
    #[serde(default)]
    pub preferences: Vec<PreferenceRaw>,
    /// Actors' red lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub red_lines: Vec<RuleRaw>,
    /// Feasibility rules (combinations that cannot exist).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constraints: Vec<RuleRaw>,
    /// Ratifying bodies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ratifiers: Vec<RatifierRaw>,
    /// Process milestones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<crate::process_toml::RawMilestone>,
    /// Timed preconditions between milestones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preconditions: Vec<crate::process_toml::RawPrecondition>,
    /// Deadlines on milestones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deadlines: Vec<crate::process_toml::RawDeadline>,
    /// Dated events that patch the scenario (see `timeline`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<crate::timeline::EventRaw>,
}

/// `[scenario]`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Identifier.
    pub id: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Date the scenario describes.
    pub as_of: String,
    /// Description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// `"normalize"` to rescale each actor's weights to sum to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<String>,
}

/// `[[sources]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRaw {
    /// Identifier.
    pub id: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// URL or document reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Evidence grade.
    pub grade: String,
}

/// `[[actors]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ActorRaw {
    /// Identifier.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Capability.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub power: Option<NumRaw>,
}

/// `[[issues]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IssueRaw {
    /// Identifier.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// `options` or `numeric`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Options (for `options`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<OptionRaw>>,
    /// Whether options are ordered (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered: Option<bool>,
    /// Range start (numeric).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Range end (numeric).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// Discretisation step (numeric).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
    /// Unit (numeric).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The actor that settles this issue alone (models do not vote on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// Source id for `decided_by`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by_source: Option<String>,
    /// Verbatim quote from that source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by_quote: Option<String>,
    /// Why `decided_by` is assumed, when no source says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by_assumption: Option<String>,
}

/// An option: a bare id or `{ id, label }`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum OptionRaw {
    /// Just the id.
    Id(String),
    /// Id and label.
    Full {
        /// Identifier.
        id: String,
        /// Label.
        label: String,
    },
}

impl OptionRaw {
    /// The option's id.
    pub fn id(&self) -> &str {
        match self {
            OptionRaw::Id(s) | OptionRaw::Full { id: s, .. } => s,
        }
    }
}

impl<'de> Deserialize<'de> for OptionRaw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OptionRaw;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an option id, or a table { id = \"…\", label = \"…\" }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OptionRaw, E> {
                Ok(OptionRaw::Id(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<OptionRaw, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Full {
                    id: String,
                    #[serde(default)]
                    label: String,
                }
                let f = Full::deserialize(de::value::MapAccessDeserializer::new(m))?;
                Ok(OptionRaw::Full {
                    label: if f.label.is_empty() {
                        f.id.clone()
                    } else {
                        f.label
                    },
                    id: f.id,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// A number, plain or with uncertainty and provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum NumRaw {
    /// A bare number.
    Plain(f64),
    /// A number with details.
    Full(NumFull),
}

/// The detailed form of a number.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NumFull {
    /// Point value.
    pub value: f64,
    /// Uniform range `[lo, hi]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<[f64; 2]>,
    /// Normal `[mean, sd]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normal: Option<[f64; 2]>,
    /// Triangular `[lo, mode, hi]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub triangular: Option<[f64; 3]>,
    /// Source id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Short quote from the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Why the number is assumed, when no source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumption: Option<String>,
}

impl NumRaw {
    /// The point value.
    pub fn value(&self) -> f64 {
        match self {
            NumRaw::Plain(x) => *x,
            NumRaw::Full(f) => f.value,
        }
    }
}

impl<'de> Deserialize<'de> for NumRaw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = NumRaw;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a number, or a table like { value = 0.3, range = [0.2, 0.4], source = \"…\" }",
                )
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<NumRaw, E> {
                Ok(NumRaw::Plain(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<NumRaw, E> {
                Ok(NumRaw::Plain(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<NumRaw, E> {
                Ok(NumRaw::Plain(v as f64))
            }
            fn visit_map<A: MapAccess<'de>>(self, m: A) -> Result<NumRaw, A::Error> {
                NumFull::deserialize(de::value::MapAccessDeserializer::new(m)).map(NumRaw::Full)
            }
        }
        d.deserialize_any(V)
    }
}

/// A number or an option id (an ideal point).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ScalarRaw {
    /// A number.
    Num(f64),
    /// An option id.
    Id(String),
}

impl<'de> Deserialize<'de> for ScalarRaw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ScalarRaw;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or an option id")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ScalarRaw, E> {
                Ok(ScalarRaw::Num(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ScalarRaw, E> {
                Ok(ScalarRaw::Num(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ScalarRaw, E> {
                Ok(ScalarRaw::Num(v as f64))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ScalarRaw, E> {
                Ok(ScalarRaw::Id(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// `[[preferences]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PreferenceRaw {
    /// Actor id.
    pub actor: String,
    /// Utility of no deal.
    pub reservation: NumRaw,
    /// Where the saliences come from, for weights with no provenance of
    /// their own (usually an assumption).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights_assumption: Option<String>,
    /// How firmly the reservation is held (see [`EntrenchmentRaw`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_entrenchment: Option<EntrenchmentRaw>,
    /// How far one notch lowers the reservation in a graded relaxation
    /// (none: the reservation never moves).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reservation_step: Option<NumRaw>,
    /// Issue id → stance.
    #[serde(default)]
    pub issues: IndexMap<String, IssuePrefRaw>,
}

/// One actor's (or bloc's) stance on one issue.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IssuePrefRaw {
    /// Salience.
    pub weight: Option<NumRaw>,
    /// Option id → value in [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values: Option<IndexMap<String, f64>>,
    /// `rising`, `falling`, `peak` or `piecewise`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<String>,
    /// Ideal point for `peak`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ideal: Option<ScalarRaw>,
    /// Tolerance for `peak`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<NumRaw>,
    /// Points for `piecewise`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Vec<[f64; 2]>>,
    /// Kind of statement (ideal, offer, demand, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stance: Option<String>,
    /// Source id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Short quote from the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Why the number is assumed, when no source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumption: Option<String>,
}

/// `entrenchment = "legal"` or `entrenchment = 4.5`: a level name or a cost.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum EntrenchmentRaw {
    /// A stated cost.
    Cost(f64),
    /// `constitutional`, `legal`, `public_pledge`, `reported` or `anonymous`.
    Name(String),
}

/// `[[red_lines]]` and `[[constraints]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleRaw {
    /// Identifier.
    pub id: String,
    /// Holder (red lines only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The rule text.
    pub rule: String,
    /// Source id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Short quote from the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Why the number is assumed, when no source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumption: Option<String>,
    /// Name of the rule above as a reading (red lines only; `default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_reading: Option<String>,
    /// Plausibility weight of the rule above as a reading (red lines
    /// only; 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_weight: Option<f64>,
    /// Probability that the red line holds at all (red lines only; 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firmness: Option<NumRaw>,
    /// Alternative readings (red lines only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<ReadingRaw>,
    /// How firmly the holder is bound to it (red lines only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrenchment: Option<EntrenchmentRaw>,
}

/// `[[red_lines.readings]]`: another way to read a red line.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReadingRaw {
    /// Name, unique within the red line.
    pub name: String,
    /// The rule under this reading.
    pub rule: String,
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

/// `[[ratifiers]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RatifierRaw {
    /// Identifier.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Actor whose deals it ratifies.
    pub actor: String,
    /// Share of seats that must accept.
    pub quota: NumRaw,
    /// When the body votes at all (a rule over the outcome).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies: Option<String>,
    /// Deal-dependent quotas, first match wins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quotas: Vec<QuotaRuleRaw>,
    /// Voting blocs.
    #[serde(default)]
    pub blocs: Vec<BlocRaw>,
    /// Source id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Short quote from the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Why the number is assumed, when no source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumption: Option<String>,
    /// How firmly the actor is bound to this body's approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entrenchment: Option<EntrenchmentRaw>,
}

/// `[[ratifiers.quotas]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuotaRuleRaw {
    /// Where the quota applies (a rule over the outcome).
    pub when: String,
    /// Share of seats that must accept there.
    pub quota: NumRaw,
}

/// `[[ratifiers.blocs]]`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BlocRaw {
    /// Identifier.
    pub id: String,
    /// Seats or vote share.
    pub seats: NumRaw,
    /// Utility the bloc needs to accept.
    pub threshold: NumRaw,
    /// A condition the bloc insists on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires: Option<String>,
    /// Share of its seats voting yes when it accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<NumRaw>,
    /// The bloc's own preferences (issue id → stance); default: its actor's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issues: Option<IndexMap<String, IssuePrefRaw>>,
    /// Source id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Short quote from the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Why the number is assumed, when no source gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assumption: Option<String>,
}
