//! One module per subcommand.

pub mod analyze;
pub mod check;
pub mod import;
pub mod process;
pub mod scenarios;
pub mod show;
// --- web app (web branch) ---
pub mod report;
pub mod serve;

/// Prints a value as pretty JSON on standard output.
pub fn print_json<T: serde::Serialize>(v: &T) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, v)?;
    writeln!(out)?;
    Ok(())
}
