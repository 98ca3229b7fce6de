pub fn x() {}

/// Forecasting models (compromise, median, EUM, KTAB SMP) and backtests.
#[deny(missing_docs)]
pub mod forecast;
