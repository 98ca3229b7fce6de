//! Raw file → checked [`Scenario`], collecting every problem with the path
//! of the entry it concerns.

use super::raw::*;
use crate::locate::DocPath;
use crate::rule::parse_rule;
use accord::model::*;
use std::collections::HashSet;

/// One problem found while checking, before it is located in the text.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub path: DocPath,
    pub message: String,
    /// For rule strings: byte offset and length inside the string.
    pub inner: Option<(usize, usize)>,
}

struct Checker<'a> {
    raw: &'a ScenarioFile,
    problems: Vec<Problem>,
    source_ids: HashSet<&'a str>,
}

// The largest number of levels one numeric issue may have (the engine's).
use accord::model::MAX_LEVELS;

/// Checks a raw file and builds the scenario, or lists every problem.
pub(crate) fn validate(raw: &ScenarioFile) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker {
        raw,
        problems: Vec::new(),
        source_ids: HashSet::new(),
    };
    let sc = c.run();
    if c.problems.is_empty() {
        Ok(sc)
    } else {
        Err(c.problems)
    }
}

fn root() -> DocPath {
    DocPath::default()
}

/// Whether `s` is an ISO calendar date `YYYY-MM-DD`: four, two and two
/// ASCII digits naming a day that exists. One validator for every date the
/// readers take, so a date that validates always has a day number (see
/// [`parse_iso_date`](crate::process_toml::parse_iso_date)).
pub fn is_iso_date(s: &str) -> bool {
    crate::process_toml::parse_iso_date(s).is_some()
}

impl<'a> Checker<'a> {
    fn err(&mut self, path: DocPath, message: impl Into<String>) {
        self.problems.push(Problem {
            path,
            message: message.into(),
            inner: None,
        });
    }

    fn run(&mut self) -> Scenario {
        let raw = self.raw;
        let meta = &raw.scenario;
        let mp = root().key("scenario");
        if meta.id.trim().is_empty() {
            self.err(mp.key("id"), "expected a non-empty scenario id");
        }
        if !is_iso_date(&meta.as_of) {
            self.err(
                mp.key("as_of"),
                format!("`{}` is not a date: expected YYYY-MM-DD", meta.as_of),
            );
        }
        let normalize = match meta.weights.as_deref() {
            None | Some("sum_to_one") => false,
            Some("normalize") => true,
            Some(other) => {
                self.err(
                    mp.key("weights"),
                    format!(
                        "unknown weights mode `{other}`: expected \"normalize\" or \"sum_to_one\""
                    ),
                );
                false
            }
        };

        let sources = self.sources();
        let actors = self.actors();
        let issues = self.issues();
        let preferences = self.preferences(&actors, &issues, normalize);
        let red_lines = self.red_lines(&actors, &issues);
        let readings = self.readings(&issues);
        let feasibility = self.constraints(&issues);
        let ratifiers = self.ratifiers(&actors, &issues, normalize);
        let process = self.process(&actors, &issues, &meta.as_of);
        let decided_by = self.decided_by(&actors, &issues);
        let reservation_steps = self.reservation_steps(&actors);
        let precondition_readings = self.precondition_readings(&process, &issues);
        Scenario {
            id: meta.id.clone(),
            title: meta.title.clone(),
            as_of: meta.as_of.clone(),
            description: meta.description.clone(),
            sources,
            actors,
            issues,
            preferences,
            red_lines,
            feasibility,
            ratifiers,
            process,
            decided_by,
            readings,
            precondition_readings,
            reservation_steps,
        }
    }

    /// Readings and firmness of preconditions: each alternative is the
    /// precondition rebuilt with the reading's milestones and timing, checked
    /// like any `[[preconditions]]` entry and located at its reading.
    fn precondition_readings(
        &mut self,
        net: &accord::process::ProcessNetwork,
        issues: &[Issue],
    ) -> Vec<PreconditionReadings> {
        use crate::process_toml::{build_network, ProcessTables};
        let raw = self.raw;
        let mut out = Vec::new();
        let ids: Vec<&str> = raw.actors.iter().map(|a| a.id.as_str()).collect();
        for (i, r) in raw.preconditions.iter().enumerate() {
            let p = root().key("preconditions").index(i);
            if r.readings.is_empty()
                && r.firmness.is_none()
                && r.default_reading.is_none()
                && r.default_weight.is_none()
            {
                continue;
            }
            let default_name = r
                .default_reading
                .clone()
                .unwrap_or_else(|| "default".into());
            let mut seen = HashSet::new();
            seen.insert(default_name.clone());
            let weight = |this: &mut Self, path: DocPath, w: Option<f64>| -> f64 {
                let w = w.unwrap_or(1.0);
                if !(w.is_finite() && w > 0.0) {
                    this.err(
                        path,
                        format!(
                            "{} is out of range: a reading weight must be above 0",
                            fmt_num(w)
                        ),
                    );
                    return 1.0;
                }
                w
            };
            let default_weight = weight(self, p.key("default_weight"), r.default_weight);
            let firmness = match &r.firmness {
                Some(n) => self.param(p.key("firmness"), n, 0.0, 1.0),
                None => Param::new(1.0),
            };
            let base = net.preconditions.iter().position(|x| x.id == r.id);
            let mut alternatives = Vec::new();
            for (j, a) in r.readings.iter().enumerate() {
                let q = p.key("readings").index(j);
                if !seen.insert(a.name.clone()) {
                    self.err(
                        q.key("name"),
                        format!("duplicate reading `{}` of precondition `{}`", a.name, r.id),
                    );
                }
                let w = weight(self, q.key("weight"), a.weight);
                let grade = a.grade.as_deref().and_then(|g| {
                    let parsed = Grade::parse(g);
                    if parsed.is_none() {
                        let names: Vec<&str> = Grade::ALL.iter().map(|g| g.name()).collect();
                        self.err(
                            q.key("grade"),
                            format!("unknown grade `{g}`: expected one of {}", names.join(", ")),
                        );
                    }
                    parsed
                });
                self.prov(&q, &a.source, &a.quote, &a.assumption);
                // The reading alone, checked by the process reader against
                // the same milestones; its problems are moved to the reading.
                let tables = ProcessTables {
                    milestones: raw.milestones.clone(),
                    preconditions: vec![r.under(a)],
                    deadlines: Vec::new(),
                };
                let built = build_network(&tables, 0, &ids);
                let mut pre = match built {
                    Ok(mut n) => n.preconditions.pop(),
                    Err(errors) => {
                        for e in errors {
                            let path = e.path.replacen(
                                "preconditions[0]",
                                &format!("preconditions[{i}].readings[{j}]"),
                                1,
                            );
                            self.err(parse_path(&path), e.message);
                        }
                        None
                    }
                };
                if let (Some(x), Some(b)) = (pre.as_mut(), base) {
                    x.when = net.preconditions[b].when.clone();
                }
                let _ = issues;
                if let Some(precondition) = pre {
                    alternatives.push(PreconditionReading {
                        name: a.name.clone(),
                        precondition,
                        weight: w,
                        grade,
                        note: a.note.clone(),
                    });
                }
            }
            if let Some(precondition) = base {
                out.push(PreconditionReadings {
                    precondition,
                    default_name,
                    default_weight,
                    alternatives,
                    firmness,
                });
            }
        }
        out
    }

    /// `reservation_step` on preferences: a step in (0, 1] of the utility
    /// scale, for an actor that exists.
    fn reservation_steps(&mut self, actors: &[Actor]) -> Vec<ReservationStep> {
        let raw = self.raw;
        let mut out = Vec::new();
        for (i, r) in raw.preferences.iter().enumerate() {
            let Some(n) = &r.reservation_step else {
                continue;
            };
            let p = root().key("preferences").index(i).key("reservation_step");
            let step = self.param(p.clone(), n, 0.0, 1.0);
            if step.value <= 0.0 {
                self.err(
                    p,
                    "0 is out of range: a reservation step must be above 0 (leave it out to keep the reservation fixed)",
                );
                continue;
            }
            if let Some(actor) = actors.iter().position(|a| a.id == r.actor) {
                out.push(ReservationStep { actor, step });
            }
        }
        out
    }

    /// Alternative readings and firmness of red lines: names unique per red
    /// line, weights positive, firmness in [0, 1], rules over known issues.
    fn readings(&mut self, issues: &[Issue]) -> Vec<Readings> {
        let raw = self.raw;
        let mut out = Vec::new();
        for (i, r) in raw.red_lines.iter().enumerate() {
            let p = root().key("red_lines").index(i);
            if r.readings.is_empty()
                && r.firmness.is_none()
                && r.default_reading.is_none()
                && r.default_weight.is_none()
            {
                continue;
            }
            let default_name = r
                .default_reading
                .clone()
                .unwrap_or_else(|| "default".into());
            let mut seen = HashSet::new();
            seen.insert(default_name.clone());
            let weight = |this: &mut Self, path: DocPath, w: Option<f64>| -> f64 {
                let w = w.unwrap_or(1.0);
                if !(w.is_finite() && w > 0.0) {
                    this.err(
                        path,
                        format!(
                            "{} is out of range: a reading weight must be above 0",
                            fmt_num(w)
                        ),
                    );
                    return 1.0;
                }
                w
            };
            let default_weight = weight(self, p.key("default_weight"), r.default_weight);
            let firmness = match &r.firmness {
                Some(n) => self.param(p.key("firmness"), n, 0.0, 1.0),
                None => Param::new(1.0),
            };
            let mut alternatives = Vec::new();
            for (j, a) in r.readings.iter().enumerate() {
                let q = p.key("readings").index(j);
                if !seen.insert(a.name.clone()) {
                    self.err(
                        q.key("name"),
                        format!("duplicate reading `{}` of red line `{}`", a.name, r.id),
                    );
                }
                let rule = self.rule(q.key("rule"), &a.rule, issues);
                let w = weight(self, q.key("weight"), a.weight);
                let grade = a.grade.as_deref().and_then(|g| {
                    let parsed = Grade::parse(g);
                    if parsed.is_none() {
                        let names: Vec<&str> = Grade::ALL.iter().map(|g| g.name()).collect();
                        self.err(
                            q.key("grade"),
                            format!("unknown grade `{g}`: expected one of {}", names.join(", ")),
                        );
                    }
                    parsed
                });
                let provenance = self.prov(&q, &a.source, &a.quote, &a.assumption);
                alternatives.push(Reading {
                    name: a.name.clone(),
                    rule,
                    weight: w,
                    grade,
                    note: a.note.clone(),
                    provenance,
                });
            }
            out.push(Readings {
                red_line: i,
                default_name,
                default_weight,
                alternatives,
                firmness,
            });
        }
        out
    }

    /// `decided_by` on issues: the deciding actor must exist.
    fn decided_by(&mut self, actors: &[Actor], issues: &[Issue]) -> Vec<DecidedBy> {
        let raw = self.raw;
        let mut out = Vec::new();
        for (j, r) in raw.issues.iter().enumerate() {
            let p = root().key("issues").index(j);
            let Some(a) = r.decided_by.as_deref() else {
                for (key, set) in [
                    ("decided_by_source", r.decided_by_source.is_some()),
                    ("decided_by_quote", r.decided_by_quote.is_some()),
                    ("decided_by_assumption", r.decided_by_assumption.is_some()),
                ] {
                    if set {
                        self.err(p.key(key), format!("`{key}` needs `decided_by`"));
                    }
                }
                continue;
            };
            let Some(actor) = actors.iter().position(|x| x.id == a) else {
                self.unknown_actor(p.key("decided_by"), a, actors);
                continue;
            };
            if let Some(s) = &r.decided_by_source {
                if !self.source_ids.contains(s.as_str()) {
                    let mut known: Vec<&str> = self.source_ids.iter().copied().collect();
                    known.sort_unstable();
                    self.err(
                        p.key("decided_by_source"),
                        format!("unknown source `{s}` (known: {})", abbreviate(&known)),
                    );
                }
            }
            let provenance = Provenance {
                source: r.decided_by_source.clone(),
                quote: r.decided_by_quote.clone(),
                assumption: r.decided_by_assumption.clone(),
                entrenchment: None,
            };
            if j < issues.len() {
                out.push(DecidedBy {
                    issue: j,
                    actor,
                    provenance,
                });
            }
        }
        out
    }

    fn process(
        &mut self,
        actors: &[Actor],
        issues: &[Issue],
        as_of: &str,
    ) -> accord::process::ProcessNetwork {
        use crate::process_toml::{build_network, parse_iso_date, ProcessTables};
        let raw = self.raw;
        for (i, p) in raw.preconditions.iter().enumerate() {
            let path = root().key("preconditions").index(i);
            self.prov(&path, &p.source, &p.quote, &None);
        }
        for (i, d) in raw.deadlines.iter().enumerate() {
            let path = root().key("deadlines").index(i);
            self.prov(&path, &d.source, &d.quote, &None);
        }
        if raw.milestones.is_empty() && raw.preconditions.is_empty() && raw.deadlines.is_empty() {
            return Default::default();
        }
        let Some(day0) = parse_iso_date(as_of) else {
            return Default::default();
        };
        let tables = ProcessTables {
            milestones: raw.milestones.clone(),
            preconditions: raw.preconditions.clone(),
            deadlines: raw.deadlines.clone(),
        };
        let ids: Vec<&str> = actors.iter().map(|a| a.id.as_str()).collect();
        let mut net = build_network(&tables, day0, &ids).unwrap_or_else(|errors| {
            for e in errors {
                self.err(parse_path(&e.path), e.message);
            }
            Default::default()
        });
        // `when` rules need the issues, which the process tables do not know.
        let mut when = |table: &str, i: usize, text: &Option<String>| {
            text.as_ref()
                .map(|t| self.rule(root().key(table).index(i).key("when"), t, issues))
        };
        for (i, m) in raw.milestones.iter().enumerate() {
            let w = when("milestones", i, &m.when);
            if let Some(x) = net.milestones.get_mut(i) {
                x.when = w;
            }
        }
        for (i, p) in raw.preconditions.iter().enumerate() {
            let w = when("preconditions", i, &p.when);
            if let Some(x) = net.preconditions.get_mut(i) {
                x.when = w;
            }
        }
        for (i, d) in raw.deadlines.iter().enumerate() {
            let w = when("deadlines", i, &d.when);
            if let Some(x) = net.deadlines.get_mut(i) {
                x.when = w;
            }
        }
        net
    }

    fn unique(&mut self, seen: &mut HashSet<String>, id: &str, path: DocPath, what: &str) {
        if id.trim().is_empty() {
            self.err(path, format!("expected a non-empty {what} id"));
        } else if !seen.insert(id.to_string()) {
            self.err(path, format!("duplicate {what} id `{id}`"));
        }
    }

    fn sources(&mut self) -> Vec<Source> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let raw = self.raw;
        for (i, s) in raw.sources.iter().enumerate() {
            let p = root().key("sources").index(i);
            self.unique(&mut seen, &s.id, p.key("id"), "source");
            self.source_ids.insert(&s.id);
            let grade = Grade::parse(&s.grade).unwrap_or_else(|| {
                let names: Vec<&str> = Grade::ALL.iter().map(|g| g.name()).collect();
                self.err(
                    p.key("grade"),
                    format!(
                        "unknown grade `{}`: expected one of {}",
                        s.grade,
                        names.join(", ")
                    ),
                );
                Grade::Assumption
            });
            if let Some(d) = &s.date {
                if !is_iso_date(d) && !is_partial_date(d) {
                    self.err(
                        p.key("date"),
                        format!("`{d}` is not a date: expected YYYY-MM-DD (or YYYY-MM, YYYY)"),
                    );
                }
            }
            out.push(Source {
                id: s.id.clone(),
                title: s.title.clone(),
                date: s.date.clone(),
                url: s.url.clone(),
                grade,
            });
        }
        out
    }

    fn prov(
        &mut self,
        path: &DocPath,
        source: &Option<String>,
        quote: &Option<String>,
        assumption: &Option<String>,
    ) -> Provenance {
        if let Some(s) = source {
            if !self.source_ids.contains(s.as_str()) {
                let mut known: Vec<&str> = self.source_ids.iter().copied().collect();
                known.sort_unstable();
                let hint = if known.is_empty() {
                    "no [[sources]] are defined".to_string()
                } else {
                    format!("known: {}", abbreviate(&known))
                };
                self.err(path.key("source"), format!("unknown source `{s}` ({hint})"));
            }
        }
        Provenance {
            source: source.clone(),
            quote: quote.clone(),
            assumption: assumption.clone(),
            entrenchment: None,
        }
    }

    /// A constraint's entrenchment: a known level name or a finite cost ≥ 0.
    fn entrenchment(&mut self, path: DocPath, e: Option<&EntrenchmentRaw>) -> Option<Entrenchment> {
        match e? {
            EntrenchmentRaw::Name(n) => Entrenchment::parse(n).or_else(|| {
                let names: Vec<&str> = Entrenchment::NAMED
                    .iter()
                    .filter_map(|e| e.name())
                    .collect();
                self.err(
                    path,
                    format!(
                        "unknown entrenchment `{n}`: expected one of {} or a cost >= 0",
                        names.join(", ")
                    ),
                );
                None
            }),
            EntrenchmentRaw::Cost(c) if c.is_finite() && *c >= 0.0 => Some(Entrenchment::Cost(*c)),
            EntrenchmentRaw::Cost(c) => {
                self.err(
                    path,
                    format!("entrenchment cost {c}: expected a number >= 0"),
                );
                None
            }
        }
    }

    fn param(&mut self, path: DocPath, n: &NumRaw, lo: f64, hi: f64) -> Param {
        let v = n.value();
        if !v.is_finite() || v < lo || v > hi {
            self.err(
                path.clone(),
                if hi == f64::MAX {
                    format!(
                        "{} is out of range: expected a number of at least {}",
                        fmt_num(v),
                        fmt_num(lo)
                    )
                } else {
                    format!(
                        "{} is out of range: expected a number from {} to {}",
                        fmt_num(v),
                        fmt_num(lo),
                        fmt_num(hi)
                    )
                },
            );
        }
        match n {
            NumRaw::Plain(x) => Param::new(*x),
            NumRaw::Full(f) => {
                let provenance = self.prov(&path, &f.source, &f.quote, &f.assumption);
                let given = [
                    f.range.is_some(),
                    f.normal.is_some(),
                    f.triangular.is_some(),
                ]
                .iter()
                .filter(|b| **b)
                .count();
                if given > 1 {
                    self.err(
                        path.clone(),
                        "give at most one of `range`, `normal`, `triangular`",
                    );
                }
                let dist = if let Some([a, b]) = f.range {
                    if !(a <= f.value && f.value <= b) {
                        self.err(
                            path.key("range"),
                            format!("range [{a}, {b}] must contain the value {}", f.value),
                        );
                    }
                    Some(Dist::Uniform { lo: a, hi: b })
                } else if let Some([m, sd]) = f.normal {
                    if sd.is_nan() || sd < 0.0 {
                        self.err(path.key("normal"), "the standard deviation must be >= 0");
                    }
                    Some(Dist::Normal { mean: m, sd })
                } else if let Some([a, m, b]) = f.triangular {
                    if !(a <= m && m <= b) {
                        self.err(
                            path.key("triangular"),
                            "expected [lo, mode, hi] with lo <= mode <= hi",
                        );
                    }
                    Some(Dist::Triangular {
                        lo: a,
                        mode: m,
                        hi: b,
                    })
                } else {
                    None
                };
                if let Some(d) = dist {
                    let (a, b) = d.support();
                    let outside = a < lo - 1e-12 || b > hi + 1e-12;
                    if outside && !matches!(d, Dist::Normal { .. }) {
                        self.err(
                            path.clone(),
                            format!(
                                "the distribution reaches outside {} to {}",
                                fmt_num(lo),
                                fmt_num(hi)
                            ),
                        );
                    }
                }
                Param {
                    value: f.value,
                    dist,
                    provenance,
                }
            }
        }
    }

    fn actors(&mut self) -> Vec<Actor> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        if self.raw.actors.is_empty() {
            self.err(root(), "expected at least one [[actors]] entry");
        }
        for (i, a) in self.raw.actors.iter().enumerate() {
            let p = root().key("actors").index(i);
            self.unique(&mut seen, &a.id, p.key("id"), "actor");
            let power = match &a.power {
                Some(n) => self.param(p.key("power"), n, 0.0, f64::MAX),
                None => Param::new(1.0),
            };
            let name = if a.name.is_empty() {
                a.id.clone()
            } else {
                a.name.clone()
            };
            out.push(Actor {
                id: a.id.clone(),
                name,
                power,
            });
        }
        out
    }

    fn issues(&mut self) -> Vec<Issue> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        if self.raw.issues.is_empty() {
            self.err(root(), "expected at least one [[issues]] entry");
        }
        let raw = self.raw;
        for (i, r) in raw.issues.iter().enumerate() {
            let p = root().key("issues").index(i);
            self.unique(&mut seen, &r.id, p.key("id"), "issue");
            if matches!(
                r.id.as_str(),
                "and" | "or" | "not" | "in" | "implies" | "true" | "false"
            ) {
                self.err(
                    p.key("id"),
                    format!(
                        "`{}` is a keyword of the rule language: choose another id",
                        r.id
                    ),
                );
            }
            let name = if r.name.is_empty() {
                r.id.clone()
            } else {
                r.name.clone()
            };
            let kind = match r.kind.as_str() {
                "options" => {
                    for key in [
                        ("min", r.min.is_some()),
                        ("max", r.max.is_some()),
                        ("step", r.step.is_some()),
                    ] {
                        if key.1 {
                            self.err(
                                p.key(key.0),
                                format!("`{}` applies to numeric issues only", key.0),
                            );
                        }
                    }
                    let opts = r.options.clone().unwrap_or_default();
                    if opts.is_empty() {
                        self.err(p.key("options"), "expected a non-empty list of options");
                    }
                    let mut ids = HashSet::new();
                    let mut options = Vec::new();
                    for (k, o) in opts.iter().enumerate() {
                        let op = p.key("options").index(k);
                        self.unique(&mut ids, o.id(), op, "option");
                        let label = match o {
                            OptionRaw::Id(s) => s.clone(),
                            OptionRaw::Full { label, .. } => label.clone(),
                        };
                        options.push(OptionDef {
                            id: o.id().to_string(),
                            label,
                        });
                    }
                    if options.is_empty() {
                        options.push(OptionDef {
                            id: "?".into(),
                            label: "?".into(),
                        });
                    }
                    IssueKind::Options {
                        options,
                        ordered: r.ordered.unwrap_or(true),
                    }
                }
                "numeric" => {
                    if r.options.is_some() {
                        self.err(p.key("options"), "`options` applies to option issues only");
                    }
                    let (Some(min), Some(max), Some(step)) = (r.min, r.max, r.step) else {
                        self.err(p.clone(), "a numeric issue needs `min`, `max` and `step`");
                        out.push(placeholder(r));
                        continue;
                    };
                    if !(min.is_finite() && max.is_finite() && max >= min) {
                        self.err(
                            p.key("max"),
                            format!("expected max >= min (min is {})", fmt_num(min)),
                        );
                    } else if step.is_nan() || step <= 0.0 {
                        self.err(p.key("step"), "expected a step > 0");
                    } else if numeric_levels(min, max, step) > MAX_LEVELS {
                        self.err(
                            p.key("step"),
                            format!(
                                "the step gives more than {MAX_LEVELS} values: use a coarser step"
                            ),
                        );
                    } else {
                        out.push(Issue {
                            id: r.id.clone(),
                            name,
                            kind: IssueKind::Numeric {
                                min,
                                max,
                                step,
                                unit: r.unit.clone().unwrap_or_default(),
                            },
                        });
                        continue;
                    }
                    out.push(placeholder(r));
                    continue;
                }
                other => {
                    self.err(
                        p.key("type"),
                        format!(
                            "unknown issue type `{other}`: expected \"options\" or \"numeric\""
                        ),
                    );
                    out.push(placeholder(r));
                    continue;
                }
            };
            if r.ordered.is_some() && r.kind != "options" {
                self.err(p.key("ordered"), "`ordered` applies to option issues only");
            }
            out.push(Issue {
                id: r.id.clone(),
                name,
                kind,
            });
        }
        out
    }

    fn issue_prefs(
        &mut self,
        path: DocPath,
        map: &indexmap::IndexMap<String, IssuePrefRaw>,
        issues: &[Issue],
        normalize: bool,
        weights_assumption: &Option<String>,
    ) -> Vec<IssuePref> {
        let mut prefs: Vec<IssuePref> = issues.iter().map(|_| IssuePref::indifferent()).collect();
        for (key, r) in map {
            let p = path.key(key);
            let Some(ix) = issues.iter().position(|i| &i.id == key) else {
                let ids: Vec<&str> = issues.iter().map(|i| i.id.as_str()).collect();
                self.err(
                    p,
                    format!("unknown issue `{key}` (issues: {})", abbreviate(&ids)),
                );
                continue;
            };
            let issue = &issues[ix];
            let mut weight = match &r.weight {
                Some(w) => self.param(
                    p.key("weight"),
                    w,
                    0.0,
                    if normalize { f64::MAX } else { 1.0 },
                ),
                None => {
                    self.err(p.clone(), "expected a `weight` (the issue's salience)");
                    Param::new(0.0)
                }
            };
            if !weight.provenance.is_accounted() {
                weight.provenance.assumption = weights_assumption.clone();
            }
            let value = self.value_fn(&p, r, issue);
            let provenance = self.prov(&p, &r.source, &r.quote, &r.assumption);
            prefs[ix] = IssuePref {
                weight,
                value,
                stance: r.stance.clone(),
                provenance,
            };
        }
        let sum: f64 = prefs.iter().map(|p| p.weight.value).sum();
        if normalize {
            if sum > 0.0 {
                for p in &mut prefs {
                    let w = &mut p.weight;
                    w.value /= sum;
                    w.dist = w.dist.map(|d| scale_dist(d, 1.0 / sum));
                }
            } else if !map.is_empty() {
                self.err(path, "the weights are all zero");
            }
        } else if (sum - 1.0).abs() > 1e-6 && !map.is_empty() {
            self.err(path, format!("the weights sum to {}, expected 1 (or set `weights = \"normalize\"` in [scenario])", round6(sum)));
        }
        prefs
    }

    fn value_fn(&mut self, p: &DocPath, r: &IssuePrefRaw, issue: &Issue) -> ValueFn {
        let ordered = issue.is_ordered();
        if let Some(values) = &r.values {
            if r.shape.is_some() {
                self.err(p.key("shape"), "give either `values` or `shape`, not both");
            }
            let IssueKind::Options { options, .. } = &issue.kind else {
                self.err(
                    p.key("values"),
                    format!(
                        "`values` needs an option issue; `{}` is numeric: use `shape`",
                        issue.id
                    ),
                );
                return ValueFn::Rising;
            };
            let mut table = vec![0.0; options.len()];
            for (k, v) in values {
                match options.iter().position(|o| &o.id == k) {
                    Some(ix) => table[ix] = *v,
                    None => {
                        let ids: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
                        self.err(
                            p.key("values").key(k),
                            format!(
                                "`{k}` is not an option of `{}` (options: {})",
                                issue.id,
                                ids.join(", ")
                            ),
                        );
                    }
                }
                if !(0.0..=1.0).contains(v) {
                    self.err(
                        p.key("values").key(k),
                        format!(
                            "{} is out of range: expected a value from 0 to 1",
                            fmt_num(*v)
                        ),
                    );
                }
            }
            let missing: Vec<&str> = options
                .iter()
                .filter(|o| !values.contains_key(&o.id))
                .map(|o| o.id.as_str())
                .collect();
            if !missing.is_empty() {
                self.err(
                    p.key("values"),
                    format!("missing values for option(s) {}", missing.join(", ")),
                );
            }
            return ValueFn::Table { values: table };
        }
        let Some(shape) = r.shape.as_deref() else {
            self.err(p.clone(), "expected `values = { option = value, … }` or `shape = \"rising\" | \"falling\" | \"peak\" | \"piecewise\"`");
            return ValueFn::Rising;
        };
        let (lo, hi) = issue.range();
        match shape {
            "rising" | "falling" if !ordered => {
                self.err(
                    p.key("shape"),
                    format!("`{}` is unordered: give `values` per option", issue.id),
                );
                ValueFn::Rising
            }
            "rising" => ValueFn::Rising,
            "falling" => ValueFn::Falling,
            "peak" => {
                if !ordered {
                    self.err(
                        p.key("shape"),
                        format!("`{}` is unordered: give `values` per option", issue.id),
                    );
                }
                let ideal = match &r.ideal {
                    Some(ScalarRaw::Num(x)) if matches!(issue.kind, IssueKind::Numeric { .. }) => {
                        if *x < lo || *x > hi {
                            self.err(
                                p.key("ideal"),
                                format!(
                                    "{x} is outside the range of `{}` ({lo} to {hi})",
                                    issue.id
                                ),
                            );
                        }
                        *x
                    }
                    Some(ScalarRaw::Id(s)) if matches!(issue.kind, IssueKind::Options { .. }) => {
                        match issue.option_index(s) {
                            Some(k) => k as f64,
                            None => {
                                self.err(
                                    p.key("ideal"),
                                    format!("`{s}` is not an option of `{}`", issue.id),
                                );
                                0.0
                            }
                        }
                    }
                    Some(_) => {
                        let want = if matches!(issue.kind, IssueKind::Numeric { .. }) {
                            "a number"
                        } else {
                            "an option id"
                        };
                        self.err(p.key("ideal"), format!("expected {want} for `ideal`"));
                        0.0
                    }
                    None => {
                        self.err(p.clone(), "shape \"peak\" needs an `ideal`");
                        0.0
                    }
                };
                let default_tol = (hi - lo).max(1.0);
                let tolerance = match &r.tolerance {
                    Some(t) => self.param(p.key("tolerance"), t, 0.0, f64::MAX),
                    None => Param::new(default_tol),
                };
                ValueFn::Peak {
                    ideal: Param::new(ideal),
                    tolerance,
                }
            }
            "piecewise" => {
                let pts = r.points.clone().unwrap_or_default();
                if pts.is_empty() {
                    self.err(
                        p.clone(),
                        "shape \"piecewise\" needs `points = [[x, value], …]`",
                    );
                }
                for (k, w) in pts.windows(2).enumerate() {
                    if w[1][0] < w[0][0] {
                        self.err(p.key("points").index(k + 1), "expected points sorted by x");
                    }
                }
                for (k, pt) in pts.iter().enumerate() {
                    if !(0.0..=1.0).contains(&pt[1]) {
                        self.err(
                            p.key("points").index(k),
                            format!("value {} is out of range: expected 0 to 1", pt[1]),
                        );
                    }
                }
                ValueFn::Piecewise {
                    points: pts.iter().map(|p| (p[0], p[1])).collect(),
                }
            }
            other => {
                self.err(
                    p.key("shape"),
                    format!("unknown shape `{other}`: expected rising, falling, peak or piecewise"),
                );
                ValueFn::Rising
            }
        }
    }

    fn preferences(
        &mut self,
        actors: &[Actor],
        issues: &[Issue],
        normalize: bool,
    ) -> Vec<Preference> {
        let mut out: Vec<Option<Preference>> = vec![None; actors.len()];
        let raw = self.raw;
        for (i, r) in raw.preferences.iter().enumerate() {
            let p = root().key("preferences").index(i);
            let mut reservation = self.param(p.key("reservation"), &r.reservation, 0.0, 1.0);
            reservation.provenance.entrenchment = self.entrenchment(
                p.key("reservation_entrenchment"),
                r.reservation_entrenchment.as_ref(),
            );
            let prefs = self.issue_prefs(
                p.key("issues"),
                &r.issues,
                issues,
                normalize,
                &r.weights_assumption,
            );
            if r.issues.is_empty() {
                self.err(
                    p.clone(),
                    "expected `[preferences.issues.<issue>]` entries with weights",
                );
            }
            match actors.iter().position(|a| a.id == r.actor) {
                Some(a) if out[a].is_some() => self.err(
                    p.key("actor"),
                    format!("actor `{}` already has [[preferences]]", r.actor),
                ),
                Some(a) => {
                    out[a] = Some(Preference {
                        reservation,
                        issues: prefs,
                    })
                }
                None => self.unknown_actor(p.key("actor"), &r.actor, actors),
            }
        }
        out.into_iter()
            .enumerate()
            .map(|(a, p)| {
                p.unwrap_or_else(|| {
                    if !actors.is_empty() {
                        self.err(
                            root().key("actors").index(a),
                            format!("actor `{}` has no [[preferences]] entry", actors[a].id),
                        );
                    }
                    Preference {
                        reservation: Param::new(0.0),
                        issues: issues.iter().map(|_| IssuePref::indifferent()).collect(),
                    }
                })
            })
            .collect()
    }

    fn unknown_actor(&mut self, path: DocPath, id: &str, actors: &[Actor]) {
        let ids: Vec<&str> = actors.iter().map(|a| a.id.as_str()).collect();
        self.err(
            path,
            format!("unknown actor `{id}` (actors: {})", ids.join(", ")),
        );
    }

    fn rule(&mut self, path: DocPath, text: &str, issues: &[Issue]) -> Expr {
        match parse_rule(text, issues) {
            Ok(e) => e,
            Err(e) => {
                self.problems.push(Problem {
                    path,
                    message: e.message,
                    inner: Some((e.offset, e.len)),
                });
                Expr::True
            }
        }
    }

    fn red_lines(&mut self, actors: &[Actor], issues: &[Issue]) -> Vec<RedLine> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let raw = self.raw;
        for (i, r) in raw.red_lines.iter().enumerate() {
            let p = root().key("red_lines").index(i);
            self.unique(&mut seen, &r.id, p.key("id"), "red line");
            let rule = self.rule(p.key("rule"), &r.rule, issues);
            let mut provenance = self.prov(&p, &r.source, &r.quote, &r.assumption);
            provenance.entrenchment =
                self.entrenchment(p.key("entrenchment"), r.entrenchment.as_ref());
            let actor = match r.actor.as_deref() {
                Some(a) => match actors.iter().position(|x| x.id == a) {
                    Some(ix) => ix,
                    None => {
                        self.unknown_actor(p.key("actor"), a, actors);
                        continue;
                    }
                },
                None => {
                    self.err(p.clone(), "a red line needs the `actor` that holds it");
                    continue;
                }
            };
            out.push(RedLine {
                id: r.id.clone(),
                actor,
                rule,
                provenance,
            });
        }
        out
    }

    fn constraints(&mut self, issues: &[Issue]) -> Vec<Feasibility> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let raw = self.raw;
        for (i, r) in raw.constraints.iter().enumerate() {
            let p = root().key("constraints").index(i);
            self.unique(&mut seen, &r.id, p.key("id"), "constraint");
            if r.actor.is_some() {
                self.err(p.key("actor"), "feasibility constraints bind everyone: a rule one actor holds is a [[red_lines]] entry");
            }
            if !r.readings.is_empty()
                || r.firmness.is_some()
                || r.default_reading.is_some()
                || r.default_weight.is_some()
            {
                self.err(
                    p.clone(),
                    "feasibility constraints have no readings or firmness: only [[red_lines]] do",
                );
            }
            let rule = self.rule(p.key("rule"), &r.rule, issues);
            let provenance = self.prov(&p, &r.source, &r.quote, &r.assumption);
            out.push(Feasibility {
                id: r.id.clone(),
                rule,
                provenance,
            });
        }
        out
    }

    fn ratifiers(&mut self, actors: &[Actor], issues: &[Issue], normalize: bool) -> Vec<Ratifier> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        let raw = self.raw;
        for (i, r) in raw.ratifiers.iter().enumerate() {
            let p = root().key("ratifiers").index(i);
            self.unique(&mut seen, &r.id, p.key("id"), "ratifier");
            let quota = self.param(p.key("quota"), &r.quota, 0.0, 1.0);
            if quota.value <= 0.0 {
                self.err(
                    p.key("quota"),
                    "expected a quota above 0 (a share of seats, e.g. 0.5 or 0.6667)",
                );
            }
            let applies = r
                .applies
                .as_ref()
                .map(|t| self.rule(p.key("applies"), t, issues));
            let mut quotas = Vec::new();
            for (k, q) in r.quotas.iter().enumerate() {
                let qp = p.key("quotas").index(k);
                let when = self.rule(qp.key("when"), &q.when, issues);
                let quota = self.param(qp.key("quota"), &q.quota, 0.0, 1.0);
                if quota.value <= 0.0 {
                    self.err(
                        qp.key("quota"),
                        "expected a quota above 0 (a share of seats, e.g. 0.5 or 0.6667)",
                    );
                }
                quotas.push(QuotaRule { when, quota });
            }
            let provenance = self.prov(&p, &r.source, &r.quote, &r.assumption);
            if r.blocs.is_empty() {
                self.err(p.clone(), "expected at least one [[ratifiers.blocs]] entry");
            }
            let mut bseen = HashSet::new();
            let mut blocs = Vec::new();
            for (k, b) in r.blocs.iter().enumerate() {
                let bp = p.key("blocs").index(k);
                self.unique(&mut bseen, &b.id, bp.key("id"), "bloc");
                let seats = self.param(bp.key("seats"), &b.seats, 0.0, f64::MAX);
                if seats.value.is_finite() && seats.value.fract() != 0.0 {
                    self.err(
                        bp.key("seats"),
                        format!("{} is not a whole number of seats", fmt_num(seats.value)),
                    );
                }
                let threshold = self.param(bp.key("threshold"), &b.threshold, 0.0, 1.0);
                let requires = b
                    .requires
                    .as_ref()
                    .map(|t| self.rule(bp.key("requires"), t, issues));
                let share = b
                    .share
                    .as_ref()
                    .map(|n| self.param(bp.key("share"), n, 0.0, 1.0));
                let own = b
                    .issues
                    .as_ref()
                    .map(|m| self.issue_prefs(bp.key("issues"), m, issues, normalize, &None));
                let provenance = self.prov(&bp, &b.source, &b.quote, &b.assumption);
                blocs.push(Bloc {
                    id: b.id.clone(),
                    seats,
                    threshold,
                    own,
                    requires,
                    provenance,
                    share,
                });
            }
            let Some(actor) = actors.iter().position(|a| a.id == r.actor) else {
                self.unknown_actor(p.key("actor"), &r.actor, actors);
                continue;
            };
            let name = if r.name.is_empty() {
                r.id.clone()
            } else {
                r.name.clone()
            };
            let mut provenance = provenance;
            provenance.entrenchment =
                self.entrenchment(p.key("entrenchment"), r.entrenchment.as_ref());
            out.push(Ratifier {
                id: r.id.clone(),
                name,
                actor,
                quota,
                blocs,
                provenance,
                applies,
                quotas,
            });
        }
        out
    }
}

/// Parses an entry path such as `preconditions[3].then`.
fn parse_path(text: &str) -> DocPath {
    let mut p = DocPath::default();
    for part in text.split('.') {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        if !key.is_empty() {
            p = p.key(key);
        }
        for idx in rest.split('[') {
            if let Ok(i) = idx.trim_end_matches(']').parse::<usize>() {
                p = p.index(i);
            }
        }
    }
    p
}

fn placeholder(r: &IssueRaw) -> Issue {
    Issue {
        id: r.id.clone(),
        name: r.id.clone(),
        kind: IssueKind::Options {
            options: vec![OptionDef {
                id: "?".into(),
                label: "?".into(),
            }],
            ordered: true,
        },
    }
}

fn is_partial_date(s: &str) -> bool {
    let b = s.as_bytes();
    (b.len() == 4 && b.iter().all(u8::is_ascii_digit))
        || (b.len() == 7 && b[4] == b'-' && is_iso_date(&format!("{s}-01")))
}

fn scale_dist(d: Dist, k: f64) -> Dist {
    match d {
        Dist::Uniform { lo, hi } => Dist::Uniform {
            lo: lo * k,
            hi: hi * k,
        },
        Dist::Normal { mean, sd } => Dist::Normal {
            mean: mean * k,
            sd: sd * k,
        },
        Dist::Triangular { lo, mode, hi } => Dist::Triangular {
            lo: lo * k,
            mode: mode * k,
            hi: hi * k,
        },
    }
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn abbreviate(ids: &[&str]) -> String {
    if ids.len() <= 12 {
        ids.join(", ")
    } else {
        format!("{}, … ({} in all)", ids[..12].join(", "), ids.len())
    }
}
