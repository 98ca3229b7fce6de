//! End-to-end tests of `accord serve` and `accord report` through the real
//! binary: crash safety of the library, the page in headless Chromium, and
//! the offline report.

mod browser;
mod crash;
mod hostile;
mod report;
mod server;
mod signals;
