//! `accord check`: is the file valid, and is every number accounted for?

use crate::input;
use accord_formats::{parse_scenario, Syntax};

/// Arguments of `accord check`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML or JSON), a bundled name, or - for stdin; default: the flagship.
    pub file: Option<String>,
    /// Treat numbers with neither a source nor an assumption label as errors.
    #[arg(long)]
    pub strict: bool,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs the command.
pub fn run(a: &Args) -> anyhow::Result<u8> {
    let src = input::read(a.file.as_deref())?;
    let result = parse_scenario(&src.text, &src.file, Syntax::detect(&src.file, &src.text));
    if a.json {
        let view = accord_app::views::check_view(&src.file, &result, a.strict);
        let ok = view.valid;
        super::print_json(&view)?;
        return Ok(if ok { 0 } else { 2 });
    }
    match result {
        Ok(sc) => {
            let gaps = sc.provenance_gaps();
            let fail = a.strict && !gaps.is_empty();
            for g in &gaps {
                let level = if a.strict { "error" } else { "warning" };
                eprintln!(
                    "{}",
                    crate::visible(&format!(
                        "{level}: {g} has neither a source nor an assumption label"
                    ))
                );
            }
            if !fail {
                outln!(
                    "{}: valid — {} actors, {} issues, {} outcomes, {} red lines, {} ratifiers{}",
                    src.file,
                    sc.actors.len(),
                    sc.issues.len(),
                    crate::table::count(sc.space_size()),
                    sc.red_lines.len(),
                    sc.ratifiers.len(),
                    if gaps.is_empty() {
                        String::new()
                    } else {
                        format!("; {} unsourced numbers", gaps.len())
                    }
                );
            }
            Ok(if fail { 2 } else { 0 })
        }
        Err(e) => {
            // Diagnostics quote the offending line of the file: escape it.
            eprintln!("{}", crate::visible(&e.to_string()));
            Ok(2)
        }
    }
}
