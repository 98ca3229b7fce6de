//! Progress bars and Ctrl-C for long engine runs.

use indicatif::{ProgressBar, ProgressStyle};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

static INTERRUPTED: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// The process-wide Ctrl-C flag (installed on first use).
fn interrupted() -> Arc<AtomicBool> {
    INTERRUPTED
        .get_or_init(|| {
            let flag = Arc::new(AtomicBool::new(false));
            let f = flag.clone();
            // If a handler cannot be installed, Ctrl-C simply kills the process.
            let _ = ctrlc::set_handler(move || f.store(true, Ordering::SeqCst));
            flag
        })
        .clone()
}

/// A terminal progress bar that stops the engine on Ctrl-C.
pub struct Bar {
    bar: Mutex<Option<ProgressBar>>,
    flag: Arc<AtomicBool>,
}

impl Bar {
    /// A bar on standard error (hidden when it is not a terminal).
    pub fn new() -> Bar {
        Bar {
            bar: Mutex::new(None),
            flag: interrupted(),
        }
    }

    /// Clears the bar from the terminal.
    pub fn finish(&self) {
        if let Some(b) = self.bar.lock().expect("bar lock").take() {
            b.finish_and_clear();
        }
    }
}

impl accord::Progress for Bar {
    fn start(&self, total: u64, what: &str) {
        let b = ProgressBar::new(total);
        b.set_style(
            ProgressStyle::with_template("{msg:>22} [{bar:40}] {percent:>3}% {elapsed}/{duration}")
                .expect("valid template")
                .progress_chars("=> "),
        );
        b.set_message(what.to_string());
        b.enable_steady_tick(Duration::from_millis(200));
        if let Some(old) = self.bar.lock().expect("bar lock").replace(b) {
            old.finish_and_clear();
        }
    }

    fn advance(&self, n: u64) {
        if let Some(b) = self.bar.lock().expect("bar lock").as_ref() {
            b.inc(n);
        }
    }

    fn cancelled(&self) -> bool {
        self.flag.load(Ordering::Relaxed)
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.finish();
    }
}
