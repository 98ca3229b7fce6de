//! A time budget for one request's analysis: an [`accord::Progress`] whose
//! `cancelled` turns true at a deadline or when the request is abandoned.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Cancels engine work once its deadline passes (or [`Budget::cancel`] is called).
#[derive(Debug, Clone)]
pub struct Budget {
    deadline: Instant,
    flag: Arc<AtomicBool>,
    /// Shared by every request: set when the server shuts down.
    stop: Option<Arc<AtomicBool>>,
}

impl Budget {
    /// A budget of `limit` from now.
    pub fn new(limit: Duration) -> Budget {
        Budget {
            deadline: Instant::now() + limit,
            flag: Arc::new(AtomicBool::new(false)),
            stop: None,
        }
    }

    /// This budget, also spent once `stop` is set (the server shutting down).
    pub fn until_stopped(mut self, stop: Arc<AtomicBool>) -> Budget {
        self.stop = Some(stop);
        self
    }

    /// Stops the work now (the client gave up or the server timed out).
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }

    /// Whether the budget is spent.
    pub fn spent(&self) -> bool {
        self.flag.load(Ordering::Relaxed)
            || self
                .stop
                .as_ref()
                .is_some_and(|s| s.load(Ordering::Relaxed))
            || Instant::now() >= self.deadline
    }
}

impl accord::Progress for Budget {
    fn cancelled(&self) -> bool {
        self.spent()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use accord::Progress;

    #[test]
    fn cancels_at_deadline_or_on_request() {
        let b = Budget::new(Duration::from_secs(60));
        assert!(!b.cancelled());
        b.clone().cancel();
        assert!(b.cancelled());
        let z = Budget::new(Duration::ZERO);
        assert!(z.cancelled());
        let stop = Arc::new(AtomicBool::new(false));
        let s = Budget::new(Duration::from_secs(60)).until_stopped(stop.clone());
        assert!(!s.cancelled());
        stop.store(true, Ordering::Relaxed);
        assert!(s.cancelled());
    }
}
