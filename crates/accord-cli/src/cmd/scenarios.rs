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
        rows.push(serde_json::json!({
            "name": b.name, "title": sc.title, "as_of": sc.as_of,
            "actors": sc.actors.len(), "issues": sc.issues.len(), "outcomes": sc.space_size(),
        }));
    }
    if a.json {
        super::print_json(&rows)?;
    } else {
        let mut t = crate::table::new(&["name", "title", "as of", "actors", "issues", "outcomes"]);
        for r in &rows {
            t.add_row(vec![
                r["name"].as_str().unwrap_or_default().to_string(),
                r["title"].as_str().unwrap_or_default().to_string(),
                r["as_of"].as_str().unwrap_or_default().to_string(),
                r["actors"].to_string(),
                r["issues"].to_string(),
                crate::table::count(r["outcomes"].as_u64().unwrap_or(0) as u128),
            ]);
        }
        outln!("{t}");
    }
    Ok(0)
}
