//! Running engine work without the GIL, interruptible with Ctrl-C.
//!
//! The work runs on a scoped worker thread (and rayon's pool inside the
//! engine) with the GIL released. The calling thread — the Python main
//! thread in the usual case — waits for it in slices of 50 ms, and between
//! slices re-attaches to Python and calls `Python::check_signals`. When
//! that raises (`KeyboardInterrupt` after Ctrl-C, or whatever a custom
//! signal handler raises), it sets the flag that [`Interrupt::cancelled`]
//! reports to the engine (`accord::Progress` and
//! `accord::forecast::Cancel`), waits for the engine to stop at its next
//! check, and re-raises the exception. Python only runs signal handlers on
//! the main thread, so a call made from another Python thread simply runs
//! to completion.

use pyo3::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// The cancellation flag handed to the engine.
#[derive(Default)]
pub struct Interrupt(AtomicBool);

impl accord::Progress for Interrupt {
    fn cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

impl accord::forecast::Cancel for Interrupt {
    fn cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// How often the waiting thread checks for signals.
const SLICE: Duration = Duration::from_millis(50);

/// Runs `work` with the GIL released; Ctrl-C cancels it and raises.
pub fn run<T, F>(py: Python<'_>, work: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce(&Interrupt) -> T + Send,
{
    let flag = Interrupt::default();
    let done = (Mutex::new(false), Condvar::new());
    std::thread::scope(|s| {
        let worker = s.spawn(|| {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(&flag)));
            *done.0.lock().unwrap_or_else(|e| e.into_inner()) = true;
            done.1.notify_all();
            r
        });
        let mut raised: Option<PyErr> = None;
        loop {
            let finished = py.detach(|| {
                let g = done.0.lock().unwrap_or_else(|e| e.into_inner());
                let (g, _) = done
                    .1
                    .wait_timeout_while(g, SLICE, |d| !*d)
                    .unwrap_or_else(|e| e.into_inner());
                *g
            });
            if finished {
                break;
            }
            if raised.is_none() {
                if let Err(e) = py.check_signals() {
                    flag.0.store(true, Ordering::SeqCst);
                    raised = Some(e);
                }
            }
        }
        let out = py
            .detach(|| worker.join())
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        match (out, raised) {
            (Err(panic), _) => std::panic::resume_unwind(panic),
            (Ok(_), Some(e)) => Err(e),
            (Ok(v), None) => Ok(v),
        }
    })
}
