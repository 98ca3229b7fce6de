//! Errors the engine reports: bad input it cannot analyse, and cancellation.

/// Why an analysis could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The scenario breaks an invariant the analyses rely on.
    #[error("invalid scenario: {0}")]
    Invalid(String),
    /// The space is larger than the exact scan enumerates.
    #[error("the outcome space has {0} outcomes, more than the exact scan enumerates")]
    TooLarge(u128),
    /// The scenario is valid but the requested method cannot analyse it.
    #[error("{0}")]
    Unsupported(String),
    /// The caller cancelled the run.
    #[error("cancelled")]
    Cancelled,
}
