//! Progress bars and Ctrl-C for long engine runs.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

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
    lines: Option<Mutex<Lines>>,
}

impl Bar {
    /// A bar on standard error (hidden when it is not a terminal).
    pub fn new() -> Bar {
        Bar {
            bar: Mutex::new(None),
            flag: interrupted(),
            lines: None,
        }
    }

    /// A bar on a terminal; otherwise (a log, a pipe, CI) one plain line on
    /// standard error every `every`, for runs long enough that silence
    /// looks like a hang.
    pub fn with_lines(every: Duration) -> Bar {
        Bar {
            bar: Mutex::new(None),
            flag: interrupted(),
            lines: (!std::io::stderr().is_terminal()).then(|| Mutex::new(Lines::new(every))),
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
        if let Some(l) = &self.lines {
            l.lock()
                .expect("lines lock")
                .start(total, what, Instant::now());
        }
    }

    fn advance(&self, n: u64) {
        if let Some(b) = self.bar.lock().expect("bar lock").as_ref() {
            b.inc(n);
        }
        if let Some(l) = &self.lines {
            if let Some(line) = l.lock().expect("lines lock").advance(n, Instant::now()) {
                eprintln!("{line}");
            }
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

/// Progress as plain text lines, at most one per interval.
struct Lines {
    every: Duration,
    what: String,
    total: u64,
    done: u64,
    started: Instant,
    last: Instant,
}

impl Lines {
    fn new(every: Duration) -> Lines {
        let now = Instant::now();
        Lines {
            every,
            what: String::new(),
            total: 0,
            done: 0,
            started: now,
            last: now,
        }
    }

    /// A new phase of `total` steps begins at `now`.
    fn start(&mut self, total: u64, what: &str, now: Instant) {
        self.what = what.to_string();
        self.total = total;
        self.done = 0;
        self.started = now;
        self.last = now;
    }

    /// Counts `n` steps; returns a line when `every` has passed since the
    /// last one (or since the start).
    fn advance(&mut self, n: u64, now: Instant) -> Option<String> {
        self.done += n;
        if now.duration_since(self.last) < self.every {
            return None;
        }
        self.last = now;
        let secs = now.duration_since(self.started).as_secs_f64();
        let pct = if self.total == 0 {
            100.0
        } else {
            100.0 * self.done as f64 / self.total as f64
        };
        // Remaining time at the average rate so far.
        let left = if self.done == 0 {
            String::new()
        } else {
            let rest = secs * (self.total.saturating_sub(self.done)) as f64 / self.done as f64;
            format!(", about {rest:.0} s left")
        };
        Some(format!(
            "{}: {}/{} ({pct:.0}%), {secs:.0} s{left}",
            self.what, self.done, self.total
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::Lines;
    use std::time::{Duration, Instant};

    #[test]
    fn lines_come_once_per_interval_with_counts_and_time_left() {
        let t0 = Instant::now();
        let mut l = Lines::new(Duration::from_secs(5));
        l.start(50, "Monte Carlo deal space", t0);
        // Within the interval: silent.
        assert_eq!(l.advance(1, t0 + Duration::from_secs(4)), None);
        // 10 of 50 after 10 s: 40 more at 1 per second.
        assert_eq!(
            l.advance(9, t0 + Duration::from_secs(10)).as_deref(),
            Some("Monte Carlo deal space: 10/50 (20%), 10 s, about 40 s left")
        );
        // The next line waits another 5 s from the last one.
        assert_eq!(l.advance(1, t0 + Duration::from_secs(14)), None);
        assert_eq!(
            l.advance(14, t0 + Duration::from_secs(15)).as_deref(),
            Some("Monte Carlo deal space: 25/50 (50%), 15 s, about 15 s left")
        );
        // A new phase starts its own count and clock.
        l.start(1000, "Monte Carlo forecasts", t0 + Duration::from_secs(20));
        assert_eq!(
            l.advance(500, t0 + Duration::from_secs(25)).as_deref(),
            Some("Monte Carlo forecasts: 500/1000 (50%), 5 s, about 5 s left")
        );
    }
}
