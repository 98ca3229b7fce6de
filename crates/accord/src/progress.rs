//! The handle long computations use to report progress and be cancelled;
//! front ends implement it (a progress bar, a Ctrl-C flag, a time budget).

/// Progress reporting and cancellation for long computations.
pub trait Progress: Sync {
    /// A phase of `total` units of work begins.
    fn start(&self, _total: u64, _what: &str) {}
    /// `n` more units are done.
    fn advance(&self, _n: u64) {}
    /// Whether the caller wants the work stopped.
    fn cancelled(&self) -> bool {
        false
    }
}

/// A handle that reports nothing and never cancels.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {}
