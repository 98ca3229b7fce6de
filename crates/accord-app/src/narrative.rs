//! "Why no deal", in words: the blocking sets and the process deadlocks of
//! an analysis as plain sentences for a reader who has never seen the rule
//! language, each link with its owner, source, quote and evidence grade.
//! The CLI prints it (`accord explain`); the structured steps are what the
//! web page and the report can show.

use accord::model::{fmt_num, CmpOp, Expr, Grade, Issue, IssueKind, Rhs, Scenario};
use accord::process::{analyze_process, ConstraintKind as ProcKind};
use accord::readings::ReadingsReport;
use accord::{reference_deal, Analysis, ConstraintKind, ConstraintRef};
use serde::Serialize;

/// The whole account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Narrative {
    /// Scenario id.
    pub scenario: String,
    /// Whether a deal can close (`deal`), not (`no_deal`), or the search
    /// stopped at its budget before it could tell (`undecided`).
    pub verdict: String,
    /// One sentence with the answer.
    pub headline: String,
    /// The readings the analysis assumed (`ID=NAME`), if any were chosen.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assumed: Vec<String>,
    /// The reasons, in order.
    pub steps: Vec<Step>,
}

/// One reason: a blocking set, a deadlock, or the reference deal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// `blocking_set`, `deadlock`, `notch` (a graded move that opens a
    /// deal) or `reference_deal`.
    pub kind: String,
    /// What the step concludes, in one or two sentences.
    pub text: String,
    /// The constraints it rests on, one sentence each.
    pub links: Vec<Link>,
    /// The feasibility rules (hard facts) on the same issues, which are why
    /// the constraints cannot all hold; their sources count towards the
    /// confidence too.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<Link>,
    /// How far the conclusion can be trusted.
    pub confidence: Confidence,
}

/// One constraint in words, with where it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// Constraint id (red line, ratifier, precondition, deadline id, or
    /// `reservation`).
    pub id: String,
    /// Its kind: `red_line`, `reservation`, `ratification`, `precondition`,
    /// `deadline`.
    pub kind: String,
    /// Actor id of its owner, when it has one.
    pub owner: Option<String>,
    /// Display name of the owner.
    pub owner_name: Option<String>,
    /// The sentence.
    pub text: String,
    /// Source id.
    pub source: Option<String>,
    /// Source title.
    pub source_title: Option<String>,
    /// Short quote.
    pub quote: Option<String>,
    /// Evidence grade of the source (`assumption` for an assumption,
    /// `None` when neither a source nor an assumption is given).
    pub grade: Option<Grade>,
    /// The assumption label, when no source gives it.
    pub assumption: Option<String>,
}

/// A conclusion's confidence: its weakest link's grade, and its probability
/// under the readings and firmness when the scenario has them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confidence {
    /// The weakest grade among the links (`None`: some link is unsourced).
    pub grade: Option<Grade>,
    /// Probability that the conclusion holds, across readings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
}

/// Builds the account of an analysis (and its readings report, if any).
pub fn narrative(
    sc: &Scenario,
    an: &Analysis,
    readings: Option<&ReadingsReport>,
    assumed: &[String],
) -> Narrative {
    let deal_open = crate::verdict::deal_open(an);
    let mut steps = Vec::new();
    for b in &an.blockers {
        let links: Vec<Link> = b.iter().map(|c| link(sc, c)).collect();
        let under_readings = readings.and_then(|r| {
            r.blocking_sets.iter().find(|s| {
                s.default
                    && s.members.len() == b.len()
                    && s.members.iter().zip(b).all(|(m, c)| m.id == c.id)
            })
        });
        let probability = under_readings.map(|s| s.probability);
        let owners = join_and(&links.iter().filter_map(|l| l.owner_name.clone()).fold(
            Vec::new(),
            |mut v, o| {
                if !v.contains(&o) {
                    v.push(o);
                }
                v
            },
        ));
        let text = if b.len() == 1 {
            "This constraint alone rules out every possible deal.".to_string()
        } else {
            format!(
                "These {} constraints of {owners} cannot all be met at once: every possible deal breaks at least one of them.",
                b.len()
            )
        };
        let mut text = text;
        if let Some(s) = under_readings {
            let what = if readings.is_some_and(|r| !r.preconditions.is_empty()) {
                "its red lines and the process's preconditions"
            } else {
                "its red lines"
            };
            if s.robust == Some(true) {
                text.push_str(&format!(" This set holds however {what} are read."));
            } else {
                let when: Vec<String> = s
                    .under
                    .iter()
                    .chain(&s.under_preconditions)
                    .map(|(id, names)| read_as(id, names))
                    .collect();
                if !when.is_empty() {
                    text.push_str(&format!(
                        " This set holds only when {}; read another way, it falls away.",
                        join_and(&when)
                    ));
                }
            }
        }
        let facts = facts_on(sc, b);
        let all: Vec<Link> = links.iter().chain(&facts).cloned().collect();
        steps.push(Step {
            kind: "blocking_set".into(),
            text,
            confidence: confidence(&all, probability),
            links,
            facts,
        });
    }
    // The process: of the reference deal when it depends on the deal,
    // else with every step active.
    if !sc.process.milestones.is_empty() {
        // With no deal, every step active (the deals that call for all of
        // them); with one, the process the reference deal sets up.
        let reference = reference_deal(an).filter(|_| deal_open && sc.process.is_conditional());
        let net = match reference {
            Some((_, index)) => accord::process_at(sc, index),
            None => sc.process.clone(),
        };
        let on_which = if reference.is_none() && sc.process.is_conditional() {
            "On the deals that call for all of these steps, the"
        } else {
            "The"
        };
        let report = analyze_process(&net);
        for d in &report.deadlocks {
            let mut links = Vec::new();
            let mut chain = Vec::new();
            for e in &d.edges {
                let c = &e.constraint;
                if c.kind == ProcKind::Floor {
                    continue;
                }
                let name = |id: &str| {
                    net.milestones
                        .iter()
                        .find(|m| m.id == id)
                        .map_or(id.to_string(), |m| m.name.clone())
                };
                chain.push(format!("{} waits on {}", name(&e.to), name(&e.from)));
                let kind = match c.kind {
                    ProcKind::Deadline => ConstraintKind::Deadline,
                    _ => ConstraintKind::Precondition,
                };
                links.push(link(
                    sc,
                    &ConstraintRef {
                        kind,
                        id: c.id.clone(),
                        actor: c.owner.clone().unwrap_or_default(),
                        rule: c.rule.clone(),
                        source: c.source.clone(),
                        quote: c.quote.clone(),
                        assumption: c.assumption.clone(),
                    },
                ));
            }
            steps.push(Step {
                kind: "deadlock".into(),
                text: format!(
                    "{on_which} steps to a deal wait on each other in a circle ({}): no schedule can meet all these conditions; they overrun each other by {} days.",
                    chain.join(", "),
                    -d.total_days
                ),
                confidence: confidence(&links, None),
                links,
                facts: Vec::new(),
            });
        }
    }
    if !deal_open {
        if let Some(n) = &an.notches {
            steps.extend(notch_steps(sc, n));
        }
    }
    let (verdict, headline) = if deal_open {
        let (text, step) = reference_step(sc, an);
        if let Some(s) = step {
            steps.push(s);
        }
        ("deal", text)
    } else if an.feasible == 0 {
        (
            "no_deal",
            "No deal can exist: the feasibility rules leave no possible outcome.".to_string(),
        )
    } else if crate::verdict::undecided(an) {
        (
            "undecided",
            "Undecided: the search stopped at its node budget before it could tell whether a deal can close."
                .to_string(),
        )
    } else {
        let n = an.blockers.len();
        let mut h = match n {
            _ if crate::verdict::blockers_unsettled(an) => {
                "No deal can close; the search did not settle which constraints block it.".to_string()
            }
            0 => "No deal can close: more sets of constraints each rule out every possible deal than the analysis lists."
                .to_string(),
            1 => "No deal can close: one set of constraints rules out every possible deal."
                .to_string(),
            _ => format!(
                "No deal can close: {n} separate sets of constraints each rule out every possible deal, so each must give way."
            ),
        };
        if let Some(r) = readings {
            h.push_str(&format!(
                " Read other ways and allowing that some red lines may not hold, a deal exists with probability {}.",
                prob(r.p_deal)
            ));
        }
        ("no_deal", h)
    };
    Narrative {
        scenario: sc.id.clone(),
        verdict: verdict.into(),
        headline,
        assumed: assumed.to_vec(),
        steps,
    }
}

/// "P2 is read “signature”", "P2 does not hold", or both joined by "or".
fn read_as(id: &str, names: &[String]) -> String {
    let read: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| *n != accord::readings::ABSENT)
        .collect();
    let absent = read.len() < names.len();
    match (read.is_empty(), absent) {
        (true, _) => format!("{id} does not hold"),
        (false, false) => format!("{id} is read “{}”", read.join("” or “")),
        (false, true) => format!("{id} is read “{}” or does not hold", read.join("” or “")),
    }
}

/// Whether a rule holds on every combination of the values of the issues
/// it names (a loosened red line that no longer rules anything out).
fn admits_every_value(rule: &Expr, issues: &[Issue]) -> bool {
    /// Beyond this many combinations the rule is not checked (and is told
    /// as a loosening, which stays true).
    const MAX: usize = 1 << 16;
    let named = rule.issues();
    let sizes: Vec<usize> = named.iter().map(|&i| issues[i].levels()).collect();
    let total = sizes
        .iter()
        .try_fold(1usize, |acc, &n| acc.checked_mul(n))
        .filter(|&t| t <= MAX);
    let Some(total) = total else {
        return false;
    };
    let mut levels = vec![0; issues.len()];
    (0..total).all(|mut k| {
        for (&i, &n) in named.iter().zip(&sizes).rev() {
            levels[i] = k % n;
            k /= n;
        }
        rule.eval(issues, &levels)
    })
}

/// "every value of Foreign troops" (and of the other issues a rule names).
fn every_value_of(rule: &Expr, issues: &[Issue]) -> String {
    let names: Vec<String> = rule
        .issues()
        .into_iter()
        .map(|i| short_name(&issues[i]))
        .collect();
    if names.is_empty() {
        "every value".to_string()
    } else {
        format!("every value of {}", join_and(&names))
    }
}

/// Most graded moves told as steps (the rest are in `analyze`).
const NOTCH_STEPS: usize = 3;

/// The smallest graded moves that open a deal, one step each: one sentence
/// per concession ("Russia would need to accept X instead of only Y"), then
/// what it opens.
fn notch_steps(sc: &Scenario, n: &accord::Notches) -> Vec<Step> {
    n.moves
        .iter()
        .take(NOTCH_STEPS)
        .map(|m| {
            let mut sentences = Vec::new();
            let mut links = Vec::new();
            for c in &m.changes {
                let who = sc
                    .actors
                    .iter()
                    .find(|a| a.id == c.actor)
                    .map_or(c.actor.clone(), |a| a.name.clone());
                let sentence = match (&c.from_rule, &c.to_rule) {
                    // A move that admits every value is no loosening but
                    // the red line given up: say so.
                    (Some(from), Some(to)) if admits_every_value(to, &sc.issues) => format!(
                        "{who} would need to drop its red line that {} ({} admitted).",
                        rule_words(from, &sc.issues),
                        every_value_of(from, &sc.issues)
                    ),
                    (Some(from), Some(to)) => format!(
                        "{who} would need to accept a deal where {} instead of only one where {}.",
                        rule_words(to, &sc.issues),
                        rule_words(from, &sc.issues)
                    ),
                    _ => format!(
                        "{who} would need to accept a deal it scores {} instead of only one it scores at least {} (on a scale from 0 to 1).",
                        c.to.replace("utility >= ", "at least "),
                        c.from.trim_start_matches("utility >= ")
                    ),
                };
                sentences.push(sentence);
                let (source, quote, assumption) = match c.kind {
                    ConstraintKind::RedLine => sc
                        .red_lines
                        .iter()
                        .find(|r| r.id == c.id)
                        .map(|r| {
                            (
                                r.provenance.source.clone(),
                                r.provenance.quote.clone(),
                                r.provenance.assumption.clone(),
                            )
                        })
                        .unwrap_or_default(),
                    _ => sc
                        .actor_index(&c.actor)
                        .map(|a| {
                            let p = &sc.preferences[a].reservation.provenance;
                            (p.source.clone(), p.quote.clone(), p.assumption.clone())
                        })
                        .unwrap_or_default(),
                };
                links.push(link(
                    sc,
                    &ConstraintRef {
                        kind: c.kind,
                        id: c.id.clone(),
                        actor: c.actor.clone(),
                        rule: c.from.clone(),
                        source,
                        quote,
                        assumption,
                    },
                ));
            }
            let deal = m.nash.as_ref().map_or(String::new(), |nash| {
                let terms: Vec<String> = sc
                    .issues
                    .iter()
                    .filter_map(|i| {
                        nash.point
                            .outcome
                            .get(&i.id)
                            .map(|v| format!("{}: {}", short_name(i), value_words(i, v)))
                    })
                    .collect();
                format!(" Its Nash deal: {}.", terms.join("; "))
            });
            let notches = if m.notches == 1 {
                "one notch".to_string()
            } else {
                format!("{} notches", m.notches)
            };
            let text = format!(
                "{} This graded concession ({notches}) would open {} possible deal{}.{deal}",
                sentences.join(" "),
                m.zopa_size,
                if m.zopa_size == 1 { "" } else { "s" }
            );
            Step {
                kind: "notch".into(),
                text,
                confidence: confidence(&links, None),
                links,
                facts: Vec::new(),
            }
        })
        .collect()
}

/// Why the reference (Nash) deal is the one it is.
fn reference_step(sc: &Scenario, an: &Analysis) -> (String, Option<Step>) {
    let sols = an.implementable_solutions.as_ref().unwrap_or(&an.solutions);
    let count = an
        .zopa
        .implementable
        .as_ref()
        .map_or(an.zopa.size, |i| i.size);
    let Some(nash) = &sols.nash else {
        return (
            format!("A deal can close: {count} possible deals are acceptable to every side."),
            None,
        );
    };
    let terms: Vec<String> = sc
        .issues
        .iter()
        .filter_map(|i| {
            nash.point
                .outcome
                .get(&i.id)
                .map(|v| format!("{}: {}", short_name(i), value_words(i, v)))
        })
        .collect();
    let gains: Vec<String> = sc
        .actors
        .iter()
        .zip(&sc.preferences)
        .map(|(a, p)| {
            let u = nash.point.utilities.get(&a.id).copied().unwrap_or(0.0);
            format!(
                "{} scores it {} against {} for no deal",
                a.name,
                fmt3(u),
                fmt3(p.reservation.value)
            )
        })
        .collect();
    let links: Vec<Link> = sc
        .actors
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let res = &sc.preferences[k].reservation;
            link(
                sc,
                &ConstraintRef {
                    kind: ConstraintKind::Reservation,
                    id: "reservation".into(),
                    actor: a.id.clone(),
                    rule: format!("utility >= {}", fmt_num(res.value)),
                    source: res.provenance.source.clone(),
                    quote: res.provenance.quote.clone(),
                    assumption: res.provenance.assumption.clone(),
                },
            )
        })
        .collect();
    let headline = format!(
        "A deal can close: {count} possible deals are acceptable to every side and every body that must approve."
    );
    let text = format!(
        "The reference deal is the one that makes the product of every side's gain over no deal largest (the Nash bargaining solution), so no side can gain much without another losing more: {}. {}.",
        terms.join("; "),
        gains.join(", ")
    );
    (
        headline,
        Some(Step {
            kind: "reference_deal".into(),
            text,
            confidence: confidence(&links, None),
            links,
            facts: Vec::new(),
        }),
    )
}

fn fmt3(x: f64) -> String {
    format!("{x:.3}")
}

fn prob(p: f64) -> String {
    format!("{:.0}%", p * 100.0)
}

fn join_and(xs: &[String]) -> String {
    match xs {
        [] => String::new(),
        [a] => a.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The weakest grade among the links; an unsourced link makes it `None`.
fn confidence(links: &[Link], probability: Option<f64>) -> Confidence {
    let mut grade = Some(Grade::Reported);
    for l in links {
        grade = match (grade, l.grade) {
            (Some(g), Some(h)) => Some(g.weaker(h)),
            _ => None,
        };
    }
    Confidence { grade, probability }
}

/// One constraint as a sentence with its provenance.
/// The feasibility rules that mention an issue of one of the set's red
/// lines: the hard facts a reader needs to see why the set leaves no deal
/// (e.g. a territorial change needs a referendum, which needs a ceasefire).
fn facts_on(sc: &Scenario, set: &[ConstraintRef]) -> Vec<Link> {
    let issues: Vec<usize> = set
        .iter()
        .filter(|c| c.kind == ConstraintKind::RedLine)
        .filter_map(|c| sc.red_lines.iter().find(|r| r.id == c.id))
        .flat_map(|r| r.rule.issues())
        .collect();
    sc.feasibility
        .iter()
        .filter(|f| f.rule.issues().iter().any(|i| issues.contains(i)))
        .map(|f| {
            let (source_title, grade) = match &f.provenance.source {
                Some(s) => {
                    let src = sc.source(s);
                    (src.map(|x| x.title.clone()), src.map(|x| x.grade))
                }
                None if f.provenance.assumption.is_some() => (None, Some(Grade::Assumption)),
                None => (None, None),
            };
            Link {
                id: f.id.clone(),
                kind: "feasibility".into(),
                owner: None,
                owner_name: None,
                text: format!(
                    "A hard fact: {}.",
                    rule_words(&f.rule, &sc.issues).trim_end_matches('.')
                ),
                source: f.provenance.source.clone(),
                source_title,
                quote: f.provenance.quote.clone(),
                grade,
                assumption: f.provenance.assumption.clone(),
            }
        })
        .collect()
}

fn link(sc: &Scenario, c: &ConstraintRef) -> Link {
    let actor = sc.actors.iter().find(|a| a.id == c.actor);
    let owner_name = actor.map(|a| a.name.clone());
    let who = owner_name.clone().unwrap_or_else(|| c.actor.clone());
    let (kind, text) = match c.kind {
        ConstraintKind::RedLine => {
            let words = sc
                .red_lines
                .iter()
                .find(|r| r.id == c.id)
                .map_or(c.rule.clone(), |r| rule_words(&r.rule, &sc.issues));
            (
                "red_line",
                format!("{who} accepts only a deal where {words}."),
            )
        }
        ConstraintKind::Reservation => {
            let best = c.rule.trim_start_matches("utility >= ");
            (
                "reservation",
                format!("{who} prefers no deal to any deal it scores below {best} (on a scale from 0, its worst, to 1, its best)."),
            )
        }
        ConstraintKind::Ratification => {
            let name = sc
                .ratifiers
                .iter()
                .find(|r| r.id == c.id)
                .map_or(c.id.clone(), |r| r.name.clone());
            (
                "ratification",
                format!("{name} must approve the deal for {who}, and would not."),
            )
        }
        ConstraintKind::Precondition => (
            "precondition",
            format!(
                "{who} sets this condition: {}.",
                c.rule.trim_end_matches('.')
            ),
        ),
        ConstraintKind::Deadline => ("deadline", format!("Deadline: {}.", c.rule)),
    };
    let (source_title, grade) = match &c.source {
        Some(s) => {
            let src = sc.source(s);
            (src.map(|x| x.title.clone()), src.map(|x| x.grade))
        }
        None if c.assumption.is_some() => (None, Some(Grade::Assumption)),
        None => (None, None),
    };
    Link {
        id: c.id.clone(),
        kind: kind.into(),
        owner: actor
            .map(|a| a.id.clone())
            .or_else(|| (!c.actor.is_empty()).then(|| c.actor.clone())),
        owner_name,
        text,
        source: c.source.clone(),
        source_title,
        quote: c.quote.clone(),
        grade,
        assumption: c.assumption.clone(),
    }
}

fn lower_first(s: &str) -> String {
    let mut cs = s.chars();
    match (cs.next(), s.chars().nth(1)) {
        (Some(f), Some(n)) if f.is_uppercase() && n.is_lowercase() => {
            f.to_lowercase().chain(cs).collect()
        }
        _ => s.to_string(),
    }
}

/// An issue's name without a trailing parenthesised code such as `(I7)`.
fn short_name(i: &Issue) -> String {
    let n = i.name.trim();
    if n.ends_with(')') {
        if let Some(k) = n.rfind(" (") {
            return n[..k].to_string();
        }
    }
    if n.is_empty() {
        i.id.replace('_', " ")
    } else {
        n.to_string()
    }
}

/// A number with thousands separators (`800000` → `800,000`).
fn grouped(x: f64) -> String {
    let s = fmt_num(x);
    let (int, frac) = match s.find('.') {
        Some(k) => (&s[..k], &s[k..]),
        None => (s.as_str(), ""),
    };
    if int.contains('e') {
        return s;
    }
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut out = String::new();
    for (k, ch) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{sign}{out}{frac}")
}

fn option_words(i: &Issue, level: usize) -> String {
    match &i.kind {
        IssueKind::Options { options, .. } => {
            let o = &options[level];
            if o.label.is_empty() || o.label == o.id {
                format!("“{}”", o.id.replace('_', " "))
            } else {
                format!("“{}”", o.label)
            }
        }
        IssueKind::Numeric { .. } => number_words(i, i.scalar(level)),
    }
}

fn number_words(i: &Issue, x: f64) -> String {
    match &i.kind {
        IssueKind::Numeric { unit, .. } if !unit.is_empty() => format!("{} {unit}", grouped(x)),
        _ => grouped(x),
    }
}

fn value_words(i: &Issue, v: &accord::model::Value) -> String {
    match v {
        accord::model::Value::Option(id) => i
            .option_index(id)
            .map_or(id.clone(), |k| option_words(i, k)),
        accord::model::Value::Number(x) => number_words(i, *x),
    }
}

fn rhs_words(i: &Issue, r: &Rhs) -> String {
    match r {
        Rhs::Option(k) => option_words(i, *k),
        Rhs::Number(x) => number_words(i, *x),
        Rhs::Set(xs) => {
            let items: Vec<String> = xs
                .iter()
                .map(|&x| match &i.kind {
                    IssueKind::Options { .. } => option_words(i, x as usize),
                    IssueKind::Numeric { .. } => number_words(i, x),
                })
                .collect();
            or_list(&items)
        }
    }
}

fn or_list(xs: &[String]) -> String {
    match xs {
        [] => "nothing".into(),
        [a] => a.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// A rule in words: `foreign_troops == none` → "no foreign troops in
/// Ukraine"; `army_size >= 800000` → "Ukraine's peacetime army is at
/// least 800,000 personnel".
pub fn rule_words(e: &Expr, issues: &[Issue]) -> String {
    match e {
        Expr::True => "anything goes".into(),
        Expr::False => "nothing is acceptable".into(),
        Expr::Atom(a) => {
            let i = &issues[a.issue];
            let name = short_name(i);
            let is_none = |r: &Rhs| match (r, &i.kind) {
                (Rhs::Option(k), IssueKind::Options { options, .. }) => options[*k].id == "none",
                _ => false,
            };
            match a.op {
                CmpOp::Eq if is_none(&a.rhs) => format!("there are no {}", lower_first(&name)),
                CmpOp::Ne if is_none(&a.rhs) => format!("there are some {}", lower_first(&name)),
                CmpOp::Eq => format!("{name} is {}", rhs_words(i, &a.rhs)),
                CmpOp::Ne => format!("{name} is anything but {}", rhs_words(i, &a.rhs)),
                CmpOp::Lt => format!("{name} is below {}", rhs_words(i, &a.rhs)),
                CmpOp::Le => format!("{name} is at most {}", rhs_words(i, &a.rhs)),
                CmpOp::Gt => format!("{name} is above {}", rhs_words(i, &a.rhs)),
                CmpOp::Ge => format!("{name} is at least {}", rhs_words(i, &a.rhs)),
                CmpOp::In => format!("{name} is {}", rhs_words(i, &a.rhs)),
                CmpOp::NotIn => format!("{name} is neither {}", {
                    rhs_words(i, &a.rhs).replacen(" or ", " nor ", 1)
                }),
            }
        }
        Expr::Not(x) => format!("it is not the case that {}", rule_words(x, issues)),
        Expr::And(xs) => join_words(xs, issues, "and"),
        Expr::Or(xs) => {
            let parts: Vec<String> = xs.iter().map(|x| nested(x, issues)).collect();
            format!("either {}", parts.join(", or "))
        }
        Expr::Implies(a, b) => format!("if {}, then {}", nested(a, issues), nested(b, issues)),
    }
}

fn join_words(xs: &[Expr], issues: &[Issue], word: &str) -> String {
    let parts: Vec<String> = xs.iter().map(|x| nested(x, issues)).collect();
    parts.join(&format!(", {word} "))
}

/// A sub-rule, bracketed when it is itself a combination.
fn nested(e: &Expr, issues: &[Issue]) -> String {
    match e {
        Expr::And(_) | Expr::Or(_) | Expr::Implies(..) => format!("({})", rule_words(e, issues)),
        _ => rule_words(e, issues),
    }
}

/// An evidence grade in words (`unsourced` when a link has none), as
/// `accord explain`, the web page and the report print it.
pub fn grade_words(g: Option<Grade>) -> String {
    g.map_or("unsourced".into(), |g| g.name().replace('_', " "))
}

/// Where a link comes from, in one sentence: its source and grade, its
/// quote, its assumption (the words every front end prints under a link).
pub fn provenance(l: &Link) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &l.source {
        let title = l.source_title.as_deref().unwrap_or(s);
        parts.push(format!("Source: {title} [{s}], {}", grade_words(l.grade)));
    }
    if let Some(q) = &l.quote {
        parts.push(format!("\u{201c}{q}\u{201d}"));
    }
    if let Some(a) = &l.assumption {
        parts.push(format!("Assumption: {a}"));
    }
    if parts.is_empty() {
        "No source and no stated assumption.".into()
    } else {
        parts.join(" ")
    }
}

/// A step's confidence in one sentence (without the leading indentation).
pub fn confidence_words(c: &Confidence) -> String {
    let mut conf = format!("Confidence: {} (its weakest source)", grade_words(c.grade));
    if let Some(p) = c.probability {
        conf.push_str(&format!(
            "; holds with probability {:.0}% across readings",
            p * 100.0
        ));
    }
    conf.push('.');
    conf
}

/// The whole account as the plain text `accord explain` prints, one line
/// per entry: the title line, the assumptions, the headline, then each
/// numbered step with its links, the facts that make them clash and its
/// confidence.
pub fn text_lines(sc: &Scenario, n: &Narrative) -> Vec<String> {
    let mut out = vec![format!("{} ({}), as of {}", sc.title, sc.id, sc.as_of)];
    if !n.assumed.is_empty() {
        out.push(format!("Assuming: {}", n.assumed.join(", ")));
    }
    out.push(n.headline.clone());
    for (k, s) in n.steps.iter().enumerate() {
        out.push(String::new());
        out.push(format!("{}. {}", k + 1, s.text));
        for l in &s.links {
            out.push(format!("   - {}", l.text));
            out.push(format!("     {}", provenance(l)));
        }
        if !s.facts.is_empty() {
            out.push("   Why they clash:".into());
            for l in &s.facts {
                out.push(format!("   - {}", l.text));
                out.push(format!("     {}", provenance(l)));
            }
        }
        out.push(format!("   {}", confidence_words(&s.confidence)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord::model::{Atom, OptionDef};

    fn issues() -> Vec<Issue> {
        vec![
            Issue {
                id: "foreign_troops".into(),
                name: "Foreign troops in Ukraine (I5)".into(),
                kind: IssueKind::Options {
                    options: ["none", "un"]
                        .iter()
                        .map(|o| OptionDef {
                            id: (*o).into(),
                            label: (*o).into(),
                        })
                        .collect(),
                    ordered: false,
                },
            },
            Issue {
                id: "army_size".into(),
                name: "Ukraine's peacetime army (I6)".into(),
                kind: IssueKind::Numeric {
                    min: 100_000.0,
                    max: 900_000.0,
                    step: 100_000.0,
                    unit: "personnel".into(),
                },
            },
        ]
    }

    #[test]
    fn rules_read_as_words() {
        let is = issues();
        let none = Expr::Atom(Atom {
            issue: 0,
            op: CmpOp::Eq,
            rhs: Rhs::Option(0),
        });
        assert_eq!(
            rule_words(&none, &is),
            "there are no foreign troops in Ukraine"
        );
        let army = Expr::Atom(Atom {
            issue: 1,
            op: CmpOp::Ge,
            rhs: Rhs::Number(800_000.0),
        });
        assert_eq!(
            rule_words(&army, &is),
            "Ukraine's peacetime army is at least 800,000 personnel"
        );
        let un = Expr::Atom(Atom {
            issue: 0,
            op: CmpOp::Eq,
            rhs: Rhs::Option(1),
        });
        assert_eq!(
            rule_words(&Expr::Or(vec![un, Expr::And(vec![none, army])]), &is),
            "either Foreign troops in Ukraine is “un”, or (there are no foreign troops in Ukraine, and Ukraine's peacetime army is at least 800,000 personnel)"
        );
    }

    #[test]
    fn a_rule_that_admits_every_value_is_recognised() {
        let is = issues();
        let atom = |issue, op, rhs| Expr::Atom(Atom { issue, op, rhs });
        // At least the lowest level, on either issue: nothing ruled out.
        assert!(admits_every_value(
            &atom(1, CmpOp::Ge, Rhs::Number(0.0)),
            &is
        ));
        assert!(admits_every_value(&Expr::True, &is));
        let none = atom(0, CmpOp::Eq, Rhs::Option(0));
        let not_none = atom(0, CmpOp::Ne, Rhs::Option(0));
        assert!(admits_every_value(
            &Expr::Or(vec![none.clone(), not_none]),
            &is
        ));
        assert!(!admits_every_value(&none, &is));
        assert!(!admits_every_value(
            &atom(1, CmpOp::Ge, Rhs::Number(800_000.0)),
            &is
        ));
        assert_eq!(
            every_value_of(&none, &is),
            "every value of Foreign troops in Ukraine"
        );
    }

    #[test]
    fn a_notch_that_admits_every_level_reads_as_a_dropped_red_line() {
        // The triad's graded moves take Party A's troops line to
        // `troops >= none` (every option) and its zone line to anything.
        let b = accord_formats::bundled::bundled("triad").expect("bundled triad");
        let sc = accord_formats::parse_scenario(b.text, b.file, accord_formats::Syntax::Toml)
            .expect("triad");
        let an = accord::analyze(&sc, &accord::AnalyzeOptions::default(), &accord::NoProgress)
            .expect("analysis");
        let n = narrative(&sc, &an, None, &[]);
        let notches: Vec<&Step> = n.steps.iter().filter(|s| s.kind == "notch").collect();
        assert!(!notches.is_empty());
        let all: String = notches.iter().map(|s| s.text.as_str()).collect();
        assert!(!all.contains("is at least “none”"), "{all}");
        assert!(!all.contains("where anything goes"), "{all}");
        assert!(
            all.contains("Party A would need to drop its red line that Foreign troops is “un” or “eu” (every value of Foreign troops admitted)."),
            "{all}"
        );
        // A real loosening keeps its wording.
        assert!(
            all.contains("would need to accept a deal where Guarantee is at least 20 years"),
            "{all}"
        );
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(grouped(800_000.0), "800,000");
        assert_eq!(grouped(-1234.5), "-1,234.5");
        assert_eq!(grouped(12.0), "12");
    }
}
