//! GENIUS XML: reading a domain and its preference profiles into a
//! [`Scenario`], and writing a linear-additive scenario back out.
//!
//! GENIUS (the Java negotiation platform used by the ANAC competitions)
//! keeps a negotiation in one *domain* file (root `<negotiation_template>`)
//! and one *profile* per party (root `<utility_space>`). The reader follows
//! GENIUS 10.4's own Java classes, rule by rule:
//!
//! | What | Rule | GENIUS class |
//! |---|---|---|
//! | Issues | every `<issue>` under the root `<objective>`; the root objective itself (index 0) is not an issue | `DomainImpl`, `Objective.getPreorderIssueEnumeration` |
//! | Nested objectives | walked like the root: sub-objectives' issues first (depth first), then the level's own; objective weights are ignored | `DomainImpl.buildTreeRecursive`, `AdditiveUtilitySpace.getUtility` |
//! | Issue type | `type` (overruling `etype`/`vtype`), absent → discrete unless `etype`/`vtype` names another kind | `DomainImpl.buildTreeRecursive`, `EVALUATORTYPE.convertToType` |
//! | Discrete issue | items in order → [`IssueKind::Options`](accord::model::IssueKind::Options), unordered (GENIUS attaches no order to items) | `IssueDiscrete` |
//! | Discrete evaluation | `evaluation / max evaluation of that issue`; 0 when the maximum is below 1e-5; evaluations must be ≥ 0 | `EvaluatorDiscrete.normalize`, `getEvalMax`, `setEvaluationDouble` |
//! | Integer issue | `lowerbound..=upperbound` → [`IssueKind::Numeric`](accord::model::IssueKind::Numeric) with step 1 | `IssueInteger` |
//! | Integer evaluation | `clamp(offset + slope·(x − lowerbound), 0, 1)`, bounds from the profile's `<issue>` or `<range>` (else the domain's); older `ftype` spelling: `clamp(parameter1·x + parameter0, 0, 1)` or `constant` `parameter0`; no `<evaluator>` means slope = offset = 0 | `EvaluatorInteger.getEvaluation(int)`, `loadFromXML` |
//! | Real issue | `<range lowerbound upperbound>` → [`IssueKind::Numeric`](accord::model::IssueKind::Numeric) discretised into [`GeniusOptions::real_levels`] values (default 11, stated in the description) | `IssueReal` |
//! | Real evaluation | `linear`: `clamp(parameter1·x + parameter0, 0, 1)`; `constant`: `parameter0` | `EvaluatorReal` |
//! | Linear evaluators | become [`ValueFn::Rising`](accord::model::ValueFn::Rising)/[`ValueFn::Falling`](accord::model::ValueFn::Falling) when they run exactly 0→1 / 1→0, otherwise [`ValueFn::Piecewise`](accord::model::ValueFn::Piecewise) through the ends and the clamp corners, which equals the clamped line everywhere | — |
//! | Weights | `<weight index value>` per issue, used as written; an issue without a weight is an error (GENIUS creates no evaluator and `getUtility` throws). If they do not sum to 1 (±1e-6) they are divided by their sum, as `AdditiveUtilitySpace.normalizeWeights` does, and the description says so | `AdditiveUtilitySpace.loadTreeRecursive` |
//! | Utility | `Σ wᵢ · evalᵢ` | `AdditiveUtilitySpace.getUtility` |
//! | Reservation | `<reservation value>` under `<utility_space>` or the objective (the element visited last in preorder wins), 0 when absent (marked as an assumption) | `AdditiveUtilitySpace.loadTreeRecursive`, `AbstractUtilitySpace.setReservationValue` |
//! | Discount | `<discount_factor value>`; ≤ 0 or > 1 means 1 (none). GENIUS discounts as `u·d^t` with `t ∈ [0, 1]` the normalised time. The analyses are timeless, so the factors are stated in the scenario description and returned in [`GeniusImport::discounts`] | `AbstractUtilitySpace.validateDiscount` |
//! | Party | the profile root's `name` attribute, else the file stem | — |
//! | Provenance | one [`Source`](accord::model::Source) per file, grade `reported`; every weight, value function and reservation points to its profile (weights quote the `<weight>` element) | — |
//!
//! The discrete, integer, weight and utility rules were read from the
//! GENIUS sources named above; the real-evaluator and discount rules come
//! from the project's research note on GENIUS 10.4 (`docs/genius.md`).
//!
//! Where NegMAS 0.16 departs from these rules (it does not divide discrete
//! evaluations by the maximum, ignores `lowerbound` and the clamp for
//! integer issues, and turns the discount into a per-round factor) this
//! reader follows GENIUS, so utilities and rational-outcome counts can
//! differ from NegMAS's.
//!
//! Not supported yet: `utility_space type="nonlinear"` profiles (ANAC 2014
//! hyper-rectangles): they are refused with a located error, because the
//! engine's utilities are linear-additive. Real evaluators other than
//! `linear` and `constant` (e.g. `triangular`) are refused the same way.
//!
//! Every problem is a [`LoadError`] naming the file, line and column and
//! what was expected; no input makes the reader panic.

mod build;
mod domain;
mod nonlinear;
mod profile;
mod write;
mod xml;

pub use build::{genius_discount, slug, DOMAIN_SOURCE};
pub use nonlinear::{is_nonlinear_genius, read_genius_nonlinear};
pub use write::{safe_file_name, to_genius, ExportError, GeniusExport};
pub use xml::{genius_role, GeniusFile, Role};

use crate::diag::LoadError;
use accord::Scenario;
use xml::Xml;

/// Settings of the reader.
#[derive(Debug, Clone, PartialEq)]
pub struct GeniusOptions {
    /// How many values a real issue is discretised into (at least 2;
    /// default 11, i.e. steps of a tenth of the range).
    pub real_levels: usize,
    /// The scenario date; GENIUS files carry none (default `1970-01-01`).
    pub as_of: String,
}

impl Default for GeniusOptions {
    fn default() -> Self {
        GeniusOptions {
            real_levels: 11,
            as_of: "1970-01-01".to_string(),
        }
    }
}

/// A scenario read from GENIUS files, with what the model has no field for.
#[derive(Debug, Clone, PartialEq)]
pub struct GeniusImport {
    /// The scenario.
    pub scenario: Scenario,
    /// GENIUS discount factor per actor (1 = none), in actor order.
    pub discounts: Vec<f64>,
}

/// Reads a domain file and its profiles (at least two) into a scenario.
pub fn import_genius(
    domain: &GeniusFile,
    profiles: &[GeniusFile],
    opts: &GeniusOptions,
) -> Result<GeniusImport, LoadError> {
    let ddoc = xml::parse_doc(domain)?;
    let dx = Xml {
        file: domain,
        doc: &ddoc,
    };
    let dom = domain::read_domain(&dx)?;
    if profiles.len() < 2 {
        return Err(dx.at(
            dx.root(),
            format!(
                "a GENIUS negotiation needs at least two profiles for this domain; found {}",
                profiles.len()
            ),
        ));
    }
    let docs: Vec<roxmltree::Document> = profiles
        .iter()
        .map(xml::parse_doc)
        .collect::<Result<_, _>>()?;
    let mut read = Vec::with_capacity(docs.len());
    for (file, doc) in profiles.iter().zip(&docs) {
        let x = Xml { file, doc };
        read.push((file, profile::read_profile(&x, &dom)?));
    }
    let built = build::build(domain, &dom, &read, opts);
    if let Err(e) = built.scenario.check() {
        return Err(dx.at(dx.root(), format!("the imported scenario is invalid: {e}")));
    }
    Ok(GeniusImport {
        scenario: built.scenario,
        discounts: built.discounts,
    })
}

/// [`import_genius`], keeping only the scenario.
pub fn read_genius(
    domain: &GeniusFile,
    profiles: &[GeniusFile],
    opts: &GeniusOptions,
) -> Result<Scenario, LoadError> {
    import_genius(domain, profiles, opts).map(|i| i.scenario)
}

/// Reads a set of GENIUS files whose roles are found from their root
/// elements: exactly one domain (`<negotiation_template>`), the profiles
/// (`<utility_space>`) in the order given; other XML is skipped, and so is
/// any `pareto.xml` (GENIUS keeps the frontier there, often as plain text).
/// Any other file that is not well-formed XML is an error.
pub fn import_genius_files(
    files: &[GeniusFile],
    opts: &GeniusOptions,
) -> Result<GeniusImport, LoadError> {
    let mut domains = Vec::new();
    let mut profiles = Vec::new();
    for f in files {
        if f.base_name().eq_ignore_ascii_case("pareto.xml") {
            continue;
        }
        match genius_role(&f.text) {
            Some(Role::Domain) => domains.push(f),
            Some(Role::Profile) => profiles.push(f.clone()),
            Some(Role::Other) => {}
            None => return Err(xml::parse_doc(f).err().unwrap_or_else(|| not_genius(f))),
        }
    }
    match domains.as_slice() {
        [d] => import_genius(d, &profiles, opts),
        [] => Err(match files.first() {
            Some(f) => not_genius(f),
            None => LoadError::one(crate::diag::Diagnostic::at(
                "<none>",
                "",
                0..0,
                "",
                "no GENIUS files given".into(),
            )),
        }),
        [_, second, ..] => {
            let doc = xml::parse_doc(second)?;
            let x = Xml {
                file: second,
                doc: &doc,
            };
            Err(x.at(
                x.root(),
                format!(
                    "a second domain file (the first is {}); give one domain and its profiles",
                    domains[0].name
                ),
            ))
        }
    }
}

fn not_genius(f: &GeniusFile) -> LoadError {
    LoadError::one(crate::diag::Diagnostic::at(
        &f.name,
        &f.text,
        0..1,
        "",
        "no GENIUS domain among the files: expected one file whose root element is <negotiation_template>"
            .into(),
    ))
}
