//! One module per subcommand.

pub mod analyze;
pub mod analyze_nonlinear;
pub mod check;
pub mod diff;
pub mod explain;
pub mod forecast_scenario;
pub mod import;
pub mod init;
pub mod process;
pub mod report;
pub mod scenarios;
pub mod sensitivity;
pub mod serve;
pub mod show;
pub mod simulate;
pub mod timeline;
pub mod tournament;

/// Prints a value as pretty JSON on standard output.
pub fn print_json<T: serde::Serialize>(v: &T) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(v)?;
    outln!("{text}");
    Ok(())
}
