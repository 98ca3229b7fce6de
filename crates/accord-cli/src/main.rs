//! `accord`: the command-line front end. It parses arguments, loads inputs,
//! calls the engine and renders tables or JSON; the analyses live in the
//! `accord` crate and the file formats in `accord-formats`.

/// Writes a line to standard output, returning from the enclosing function
/// with an [`OutputError`] when the write fails (a full disk, a closed file),
/// so every command reports it and exits 2 instead of panicking as
/// `println!` does.
///
/// Control characters in the text (from scenario titles, rules, quotes) are
/// shown escaped, see [`visible`].
macro_rules! outln {
    () => {
        outln!("")
    };
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let text = format!($($t)*);
        writeln!(std::io::stdout().lock(), "{}", $crate::visible(&text))
            .map_err($crate::OutputError)?;
    }};
}

/// Like [`outln!`] without the newline.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let text = format!($($t)*);
        write!(std::io::stdout().lock(), "{}", $crate::visible(&text))
            .map_err($crate::OutputError)?;
    }};
}

mod cmd;
mod forecast_cmd;
mod input;
mod progress;
mod table;
mod whatif;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Accord: analyse multi-party negotiations.
#[derive(Parser)]
#[command(name = "accord", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a commented template scenario to start from (default: my.toml).
    Init(cmd::init::Args),
    /// Check a scenario file; exit 0 when valid, 2 with located errors.
    Check(cmd::check::Args),
    /// Show actors, issues, positions, red lines and ratifiers with sources.
    Show(cmd::show::Args),
    /// Analyse the deal space: ZOPA, blockers, relaxations, Pareto, solutions.
    Analyze(cmd::analyze::Args),
    /// Why no deal can close (or why the reference deal is the one it is), in plain words.
    Explain(cmd::explain::Args),
    /// Forecast issue outcomes with the compromise, median, EUM and SMP models.
    Forecast(forecast_cmd::ForecastArgs),
    /// Score the forecasting models against DEU outcomes.
    Backtest(forecast_cmd::BacktestArgs),
    /// Analyse the process: milestone schedule, deadlocks and waivers.
    Process(cmd::process::Args),
    /// Rerun the analyses after each dated event and show what changed.
    Timeline(cmd::timeline::Args),
    /// List the bundled scenarios.
    Scenarios(cmd::scenarios::Args),
    /// Import a scenario from another tool's files (GENIUS XML).
    Import(cmd::import::ImportArgs),
    /// Export a scenario to another tool's files (GENIUS XML).
    Export(cmd::import::ExportArgs),
    /// Simulate one agent negotiation (SAOP, multilateral or mediated).
    Simulate(cmd::simulate::Args),
    /// Run a tournament of negotiators over scenarios, with metrics.
    Tournament(cmd::tournament::Args),
    /// Monte Carlo over the scenario's uncertain numbers: forecast spread, ZOPA odds, drivers.
    Sensitivity(cmd::sensitivity::Args),
    /// Serve the web app: JSON API, scenario library and dashboard page.
    Serve(cmd::serve::Args),
    /// Write a self-contained HTML (or Markdown + SVG) report of a scenario.
    Report(cmd::report::Args),
    /// Compare two scenarios (files or library versions): inputs by id and answers.
    Diff(cmd::diff::Args),
}

/// An error the user caused (bad input): exit code 2.
#[derive(Debug)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// The text with every control character except newline and tab written as
/// a `\u{..}` escape: scenario text is untrusted, and an escape sequence in
/// a title could otherwise rewrite the user's terminal.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    escape_controls(text, false)
}

/// [`visible`] for a JSON document: the escapes are JSON's own (`\u007f`),
/// so the document stays valid. In serde_json's output a control character
/// can only stand inside a string (it escapes those below U+0020 itself,
/// leaving DEL and the C1 controls), where such an escape means the same
/// character.
pub fn visible_json(text: &str) -> std::borrow::Cow<'_, str> {
    escape_controls(text, true)
}

fn escape_controls(text: &str, json: bool) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !hidden(c) {
            out.push(c);
        } else if json {
            // Control characters are all below U+00A0: four digits hold them.
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A writer that passes a JSON document through [`visible_json`]: what it
/// writes is what `visible_json` gives for all the bytes written, however
/// they are split (a character cut between two writes waits for its last
/// bytes).
pub struct Visible<W: std::io::Write> {
    inner: W,
    /// The start of a character whose last bytes have not come yet.
    pending: Vec<u8>,
}

impl<W: std::io::Write> Visible<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Visible<W> {
        Visible {
            inner,
            pending: Vec::new(),
        }
    }

    /// Writes the text's longest whole-character prefix, keeps a cut
    /// character's first bytes, and passes bytes that are not UTF-8 as is.
    fn emit(&mut self, mut bytes: &[u8]) -> std::io::Result<Option<usize>> {
        loop {
            match std::str::from_utf8(bytes) {
                Ok(text) => {
                    self.inner.write_all(visible_json(text).as_bytes())?;
                    return Ok(None);
                }
                Err(e) => {
                    let (good, rest) = bytes.split_at(e.valid_up_to());
                    let text = std::str::from_utf8(good)
                        .expect("the bytes before `valid_up_to` are UTF-8");
                    self.inner.write_all(visible_json(text).as_bytes())?;
                    match e.error_len() {
                        // Cut at the end: the caller keeps these bytes.
                        None => return Ok(Some(rest.len())),
                        Some(n) => {
                            self.inner.write_all(&rest[..n])?;
                            bytes = &rest[n..];
                        }
                    }
                }
            }
        }
    }

    /// Writes what is pending and returns the inner writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        let pending = std::mem::take(&mut self.pending);
        self.inner.write_all(&pending)?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: std::io::Write> std::io::Write for Visible<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let kept = if self.pending.is_empty() {
            self.emit(buf)?.map(|n| buf[buf.len() - n..].to_vec())
        } else {
            let mut all = std::mem::take(&mut self.pending);
            all.extend_from_slice(buf);
            self.emit(&all)?.map(|n| all[all.len() - n..].to_vec())
        };
        self.pending = kept.unwrap_or_default();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Standard output could not be written: exit code 2 with the reason.
#[derive(Debug)]
pub struct OutputError(pub std::io::Error);

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "error: cannot write to standard output: {}", self.0)
    }
}

impl std::error::Error for OutputError {}

/// Restores the default SIGPIPE action, so that `accord … | head` ends
/// quietly when the reader closes the pipe, as other Unix tools do, instead
/// of failing on the next write.
fn reset_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any thread exists;
    // setting a signal's disposition to its default is always sound.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

fn main() -> ExitCode {
    reset_sigpipe();
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Init(a) => cmd::init::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Show(a) => cmd::show::run(a),
        Command::Analyze(a) => cmd::analyze::run(a),
        Command::Explain(a) => cmd::explain::run(a),
        Command::Process(a) => cmd::process::run(a),
        Command::Forecast(a) => forecast_cmd::run_forecast(a).map(|c| c as u8),
        Command::Backtest(a) => forecast_cmd::run_backtest(a).map(|c| c as u8),
        Command::Scenarios(a) => cmd::scenarios::run(a),
        Command::Timeline(a) => cmd::timeline::run(a),
        Command::Import(a) => cmd::import::run_import(a),
        Command::Export(a) => cmd::import::run_export(a),
        Command::Simulate(a) => cmd::simulate::run(a),
        Command::Tournament(a) => cmd::tournament::run(a),
        Command::Sensitivity(a) => cmd::sensitivity::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Report(a) => cmd::report::run(a),
        Command::Diff(a) => cmd::diff::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if let Some(bad) = e.downcast_ref::<BadInput>() {
                eprintln!("{}", visible(&bad.to_string()));
                return ExitCode::from(2);
            }
            if let Some(accord::Error::Cancelled) = e.downcast_ref::<accord::Error>() {
                eprintln!("interrupted");
                return ExitCode::from(130);
            }
            if let Some(out) = e.downcast_ref::<OutputError>() {
                if out.0.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
                eprintln!("{out}");
                return ExitCode::from(2);
            }
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return ExitCode::SUCCESS;
                }
            }
            eprintln!("{}", visible(&format!("error: {e:#}")));
            ExitCode::from(2)
        }
    }
}
