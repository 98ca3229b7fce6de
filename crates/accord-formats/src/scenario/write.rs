//! Scenario → file: the exact inverse of reading, so that a scenario built
//! elsewhere (an import, an edit from the web page) can be saved as TOML.

use super::raw::*;
use accord::model::*;
use indexmap::IndexMap;

fn num(p: &Param) -> NumRaw {
    let (range, normal, triangular) = match p.dist {
        None => (None, None, None),
        Some(Dist::Uniform { lo, hi }) => (Some([lo, hi]), None, None),
        Some(Dist::Normal { mean, sd }) => (None, Some([mean, sd]), None),
        Some(Dist::Triangular { lo, mode, hi }) => (None, None, Some([lo, mode, hi])),
    };
    let pv = &p.provenance;
    if range.is_none()
        && normal.is_none()
        && triangular.is_none()
        && !pv.is_accounted()
        && pv.quote.is_none()
    {
        return NumRaw::Plain(p.value);
    }
    NumRaw::Full(NumFull {
        value: p.value,
        range,
        normal,
        triangular,
        source: pv.source.clone(),
        quote: pv.quote.clone(),
        assumption: pv.assumption.clone(),
    })
}

fn issue_prefs(prefs: &[IssuePref], issues: &[Issue]) -> IndexMap<String, IssuePrefRaw> {
    let mut out = IndexMap::new();
    for (p, issue) in prefs.iter().zip(issues) {
        if p.weight.value == 0.0 && !p.provenance.is_accounted() && p.stance.is_none() {
            continue;
        }
        let mut r = IssuePrefRaw {
            weight: Some(num(&p.weight)),
            stance: p.stance.clone(),
            source: p.provenance.source.clone(),
            quote: p.provenance.quote.clone(),
            assumption: p.provenance.assumption.clone(),
            ..Default::default()
        };
        match &p.value {
            ValueFn::Table { values } => {
                if let IssueKind::Options { options, .. } = &issue.kind {
                    r.values = Some(
                        options
                            .iter()
                            .zip(values)
                            .map(|(o, v)| (o.id.clone(), *v))
                            .collect(),
                    );
                }
            }
            ValueFn::Rising => r.shape = Some("rising".into()),
            ValueFn::Falling => r.shape = Some("falling".into()),
            ValueFn::Peak { ideal, tolerance } => {
                r.shape = Some("peak".into());
                r.ideal = Some(match &issue.kind {
                    IssueKind::Options { options, .. } => {
                        ScalarRaw::Id(options[ideal.value as usize].id.clone())
                    }
                    IssueKind::Numeric { .. } => ScalarRaw::Num(ideal.value),
                });
                r.tolerance = Some(num(tolerance));
            }
            ValueFn::Piecewise { points } => {
                r.shape = Some("piecewise".into());
                r.points = Some(points.iter().map(|&(x, y)| [x, y]).collect());
            }
        }
        out.insert(issue.id.clone(), r);
    }
    out
}

/// The raw (file) form of a scenario.
pub fn to_raw(sc: &Scenario) -> ScenarioFile {
    let tables = process_tables(sc);
    ScenarioFile {
        milestones: tables.milestones,
        preconditions: tables.preconditions,
        deadlines: tables.deadlines,
        ..without_process(sc)
    }
}

fn without_process(sc: &Scenario) -> ScenarioFile {
    let is = &sc.issues;
    ScenarioFile {
        scenario: Meta {
            id: sc.id.clone(),
            title: sc.title.clone(),
            as_of: sc.as_of.clone(),
            description: sc.description.clone(),
            weights: None,
        },
        sources: sc
            .sources
            .iter()
            .map(|s| SourceRaw {
                id: s.id.clone(),
                title: s.title.clone(),
                date: s.date.clone(),
                url: s.url.clone(),
                grade: s.grade.name().to_string(),
            })
            .collect(),
        actors: sc
            .actors
            .iter()
            .map(|a| ActorRaw {
                id: a.id.clone(),
                name: a.name.clone(),
                power: Some(num(&a.power)),
            })
            .collect(),
        issues: sc
            .issues
            .iter()
            .map(|i| match &i.kind {
                IssueKind::Options { options, ordered } => IssueRaw {
                    id: i.id.clone(),
                    name: i.name.clone(),
                    kind: "options".into(),
                    options: Some(
                        options
                            .iter()
                            .map(|o| {
                                if o.label == o.id {
                                    OptionRaw::Id(o.id.clone())
                                } else {
                                    OptionRaw::Full {
                                        id: o.id.clone(),
                                        label: o.label.clone(),
                                    }
                                }
                            })
                            .collect(),
                    ),
                    ordered: Some(*ordered),
                    min: None,
                    max: None,
                    step: None,
                    unit: None,
                    decided_by: None,
                    decided_by_source: None,
                    decided_by_quote: None,
                    decided_by_assumption: None,
                },
                IssueKind::Numeric {
                    min,
                    max,
                    step,
                    unit,
                } => IssueRaw {
                    id: i.id.clone(),
                    name: i.name.clone(),
                    kind: "numeric".into(),
                    options: None,
                    ordered: None,
                    min: Some(*min),
                    max: Some(*max),
                    step: Some(*step),
                    unit: (!unit.is_empty()).then(|| unit.clone()),
                    decided_by: None,
                    decided_by_source: None,
                    decided_by_quote: None,
                    decided_by_assumption: None,
                },
            })
            .enumerate()
            .map(|(j, mut r)| {
                if let Some(d) = sc.decided_by.iter().find(|d| d.issue == j) {
                    r.decided_by = Some(sc.actors[d.actor].id.clone());
                    r.decided_by_source = d.provenance.source.clone();
                    r.decided_by_quote = d.provenance.quote.clone();
                    r.decided_by_assumption = d.provenance.assumption.clone();
                }
                r
            })
            .collect(),
        preferences: sc
            .actors
            .iter()
            .zip(&sc.preferences)
            .map(|(a, p)| PreferenceRaw {
                actor: a.id.clone(),
                reservation: num(&p.reservation),
                weights_assumption: None,
                reservation_entrenchment: entrench(p.reservation.provenance.entrenchment),
                reservation_step: sc
                    .reservation_steps
                    .iter()
                    .find(|s| sc.actors[s.actor].id == a.id)
                    .map(|s| num(&s.step)),
                issues: issue_prefs(&p.issues, is),
            })
            .collect(),
        red_lines: sc
            .red_lines
            .iter()
            .enumerate()
            .map(|(k, r)| {
                let rs = sc.readings.iter().find(|x| x.red_line == k);
                RuleRaw {
                    id: r.id.clone(),
                    actor: Some(sc.actors[r.actor].id.clone()),
                    rule: r.rule.to_text(is),
                    source: r.provenance.source.clone(),
                    quote: r.provenance.quote.clone(),
                    assumption: r.provenance.assumption.clone(),
                    entrenchment: entrench(r.provenance.entrenchment),
                    default_reading: rs
                        .filter(|x| x.default_name != "default")
                        .map(|x| x.default_name.clone()),
                    default_weight: rs
                        .filter(|x| x.default_weight != 1.0)
                        .map(|x| x.default_weight),
                    firmness: rs
                        .filter(|x| x.firmness.value != 1.0 || x.firmness.provenance.is_accounted())
                        .map(|x| num(&x.firmness)),
                    readings: rs.map_or_else(Vec::new, |x| {
                        x.alternatives
                            .iter()
                            .map(|a| ReadingRaw {
                                name: a.name.clone(),
                                rule: a.rule.to_text(is),
                                weight: (a.weight != 1.0).then_some(a.weight),
                                grade: a.grade.map(|g| g.name().to_string()),
                                source: a.provenance.source.clone(),
                                quote: a.provenance.quote.clone(),
                                assumption: a.provenance.assumption.clone(),
                                note: a.note.clone(),
                            })
                            .collect()
                    }),
                }
            })
            .collect(),
        constraints: sc
            .feasibility
            .iter()
            .map(|r| RuleRaw {
                id: r.id.clone(),
                actor: None,
                rule: r.rule.to_text(is),
                source: r.provenance.source.clone(),
                quote: r.provenance.quote.clone(),
                assumption: r.provenance.assumption.clone(),
                default_reading: None,
                default_weight: None,
                firmness: None,
                readings: Vec::new(),
                entrenchment: None,
            })
            .collect(),
        ratifiers: sc
            .ratifiers
            .iter()
            .map(|r| RatifierRaw {
                id: r.id.clone(),
                name: r.name.clone(),
                actor: sc.actors[r.actor].id.clone(),
                quota: num(&r.quota),
                applies: r.applies.as_ref().map(|e| e.to_text(is)),
                quotas: r
                    .quotas
                    .iter()
                    .map(|q| QuotaRuleRaw {
                        when: q.when.to_text(is),
                        quota: num(&q.quota),
                    })
                    .collect(),
                blocs: r
                    .blocs
                    .iter()
                    .map(|b| BlocRaw {
                        id: b.id.clone(),
                        seats: num(&b.seats),
                        threshold: num(&b.threshold),
                        requires: b.requires.as_ref().map(|e| e.to_text(is)),
                        share: b.share.as_ref().map(num),
                        issues: b.own.as_ref().map(|o| issue_prefs(o, is)),
                        source: b.provenance.source.clone(),
                        quote: b.provenance.quote.clone(),
                        assumption: b.provenance.assumption.clone(),
                    })
                    .collect(),
                source: r.provenance.source.clone(),
                quote: r.provenance.quote.clone(),
                assumption: r.provenance.assumption.clone(),
                entrenchment: entrench(r.provenance.entrenchment),
            })
            .collect(),
        milestones: Vec::new(),
        preconditions: Vec::new(),
        deadlines: Vec::new(),
        events: Vec::new(),
    }
}

fn process_tables(sc: &Scenario) -> crate::process_toml::ProcessTables {
    use crate::process_toml::{
        ProcessTables, RawDeadline, RawMilestone, RawPrecondition, RawPreconditionReading,
    };
    use accord::process::Timing;
    let net = &sc.process;
    let id = |k: usize| net.milestones[k].id.clone();
    ProcessTables {
        milestones: net
            .milestones
            .iter()
            .map(|m| RawMilestone {
                id: m.id.clone(),
                name: (m.name != m.id).then(|| m.name.clone()),
                when: m.when.as_ref().map(|e| e.to_text(&sc.issues)),
            })
            .collect(),
        preconditions: net
            .preconditions
            .iter()
            .enumerate()
            .map(|(k, p)| {
                let days = |t: Timing| match t {
                    Timing::Before | Timing::Never => (None, None),
                    Timing::AtLeast(d) | Timing::Held(d) => (Some(d), None),
                    Timing::Within(d) => (None, Some(d)),
                    Timing::Between(l, h) => (Some(l), Some(h)),
                };
                let (min_days, max_days) = days(p.timing);
                let rs = sc
                    .precondition_readings
                    .iter()
                    .find(|x| x.precondition == k);
                RawPrecondition {
                    id: p.id.clone(),
                    owner: p.owner.clone(),
                    before: id(p.from),
                    then: id(p.to),
                    min_days,
                    max_days,
                    kind: Some(p.timing.label().to_string()),
                    rule: p.rule.clone(),
                    source: p.source.clone(),
                    quote: p.quote.clone(),
                    assumption: p.assumption.clone(),
                    when: p.when.as_ref().map(|e| e.to_text(&sc.issues)),
                    default_reading: rs
                        .filter(|x| x.default_name != "default")
                        .map(|x| x.default_name.clone()),
                    default_weight: rs
                        .filter(|x| x.default_weight != 1.0)
                        .map(|x| x.default_weight),
                    firmness: rs
                        .filter(|x| x.firmness.value != 1.0 || x.firmness.provenance.is_accounted())
                        .map(|x| num(&x.firmness)),
                    readings: rs.map_or_else(Vec::new, |x| {
                        x.alternatives
                            .iter()
                            .map(|a| {
                                let q = &a.precondition;
                                let (min_days, max_days) = days(q.timing);
                                RawPreconditionReading {
                                    name: a.name.clone(),
                                    before: Some(id(q.from)),
                                    then: Some(id(q.to)),
                                    min_days,
                                    max_days,
                                    kind: Some(q.timing.label().to_string()),
                                    rule: Some(q.rule.clone()),
                                    weight: (a.weight != 1.0).then_some(a.weight),
                                    grade: a.grade.map(|g| g.name().to_string()),
                                    source: q.source.clone(),
                                    quote: q.quote.clone(),
                                    assumption: q.assumption.clone(),
                                    note: a.note.clone(),
                                }
                            })
                            .collect()
                    }),
                }
            })
            .collect(),
        deadlines: net
            .deadlines
            .iter()
            .map(|d| RawDeadline {
                id: Some(d.id.clone()),
                milestone: id(d.milestone),
                not_after: None,
                not_after_days: d.not_after_days,
                not_before: None,
                not_before_days: d.not_before_days,
                owner: d.owner.clone(),
                rule: Some(d.rule.clone()),
                source: d.source.clone(),
                when: d.when.as_ref().map(|e| e.to_text(&sc.issues)),
                quote: d.quote.clone(),
                assumption: d.assumption.clone(),
            })
            .collect(),
    }
}

/// Renders a scenario as a TOML scenario file.
pub fn to_toml(sc: &Scenario) -> String {
    toml::to_string(&to_raw(sc)).unwrap_or_else(|e| format!("# could not render: {e}\n"))
}

/// An entrenchment as written in files.
fn entrench(e: Option<accord::model::Entrenchment>) -> Option<EntrenchmentRaw> {
    e.map(|e| match e.name() {
        Some(n) => EntrenchmentRaw::Name(n.to_string()),
        None => EntrenchmentRaw::Cost(e.base_cost()),
    })
}
