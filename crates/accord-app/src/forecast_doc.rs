//! The `accord forecast FILE --json` document, built once for every front
//! end: the models' raw forecasts, each projected onto the deal (nearest
//! acceptable package, or under the smallest relaxation), the probability
//! of no deal, and each model's DEU III record.

use crate::views::{forecast_scenario_view, DealForecasts, ForecastScenarioDoc};
use accord::forecast::{
    acceptable_options, acceptable_set, relaxed_set, Forecast, ModelKind, ScenarioProblem,
    Validation,
};
use accord::sensitivity::{no_deal_probability, NoDeal, NoDealMethod};
use accord::{Analysis, AnalyzeOptions, Error, Progress, Scenario};
use serde::Serialize;
use std::collections::BTreeMap;

/// How many draws estimate P(no deal): at most 200, within a budget of
/// 2·10⁷ outcomes scanned; 0 (not estimated) when fewer than 20 fit.
pub fn no_deal_runs(sc: &Scenario) -> usize {
    let n = (20_000_000u128 / sc.space_size().max(1)).min(200) as usize;
    if n < 20 {
        0
    } else {
        n
    }
}

/// The probability of no deal, when it is certain or cheap to sample.
pub fn no_deal(
    sc: &Scenario,
    an: &Analysis,
    opts: &AnalyzeOptions,
    progress: &dyn Progress,
) -> Result<Option<NoDeal>, Error> {
    let r = no_deal_probability(sc, an, no_deal_runs(sc), 0, opts, progress)?;
    Ok((r.method != NoDealMethod::Sampled || r.runs > 0).then_some(r))
}

/// Projects every run onto the acceptable packages (and, when there are
/// none, onto those the smallest relaxation opens); `None` when the deal
/// space is too large to list.
pub fn deal_forecasts(
    sc: &Scenario,
    sp: &ScenarioProblem,
    runs: &[(ModelKind, Forecast)],
    progress: &dyn Progress,
) -> Result<Option<DealForecasts>, Error> {
    let opts = AnalyzeOptions::default();
    let an = match accord::analyze(sc, &acceptable_options(&opts), progress) {
        Ok(an) => an,
        Err(Error::TooLarge(_) | Error::Invalid(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let set = acceptable_set(sc, &an);
    let relaxed = relaxed_set(sc, &an, &opts, progress)?;
    let mut d = DealForecasts::new(sc, sp, runs, &set, relaxed.as_ref());
    d.no_deal = no_deal(sc, &an, &opts, progress)?;
    Ok(Some(d))
}

/// The whole `accord forecast FILE --json` document.
#[derive(Debug, Clone, Serialize)]
pub struct ForecastDocument<'a> {
    /// The raw forecasts.
    #[serde(flatten)]
    pub view: ForecastScenarioDoc<'a>,
    /// The projections onto the deal; `null` when the deal space is too
    /// large to list.
    pub deal: Option<&'a DealForecasts>,
    /// Each model's DEU III record.
    pub validation: BTreeMap<&'static str, Validation>,
}

/// The whole document: the raw forecasts' view plus `deal` (the
/// projections, `null` when the deal space is too large to list) and
/// `validation` (each model's DEU III record).
pub fn forecast_document<'a>(
    sc: &'a Scenario,
    sp: &'a ScenarioProblem,
    runs: &[(ModelKind, Forecast)],
    deal: Option<&'a DealForecasts>,
) -> ForecastDocument<'a> {
    ForecastDocument {
        view: forecast_scenario_view(sc, sp, runs),
        deal,
        validation: runs
            .iter()
            .filter_map(|(k, _)| accord::forecast::validation(k.name()).map(|v| (k.name(), v)))
            .collect(),
    }
}
