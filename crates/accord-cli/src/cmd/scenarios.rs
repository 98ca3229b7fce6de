//! `accord scenarios`: the scenarios bundled in the binary.

use accord_formats::bundled::BUNDLED;
use accord_formats::{parse_scenario, Syntax};

/// Arguments of `accord scenarios`.
#[derive(clap::Args)]
pub struct Args {
    /// Print the list as JSON.
    #[arg(long)]
    pub json: bool,
    /// Print the TOML text of this bundled scenario instead.
    #[arg(long)]
    pub print: Option<String>,
}

/// Runs the command.
pub fn run(a: &Args) -> anyhow::Result<u8> {
    if let Some(name) = &a.print {
        let b = accord_formats::bundled::bundled(name)
            .ok_or_else(|| crate::BadInput(format!("error: no bundled scenario `{name}`")))?;
        out!("{}", b.text);
        return Ok(0);
    }
    let mut rows = Vec::new();
    for b in BUNDLED {
        let sc = parse_scenario(b.text, b.file, Syntax::Toml)?;
        rows.push(accord_app::views::bundled_entry(b.name, &sc));
    }
    if a.json {
        super::print_json(&rows)?;
    } else {
        let mut t = crate::table::new(&["name", "title", "as of", "actors", "issues", "outcomes"]);
        for r in &rows {
            t.add_row(vec![
                r.name.clone(),
                r.title.clone(),
                r.as_of.clone(),
                r.actors.to_string(),
                r.issues.to_string(),
                crate::table::count(r.outcomes),
            ]);
        }
        outln!("{t}");
    }
    Ok(0)
}
