//! `accord diff A B`: what changed between two scenarios — the inputs by id
//! and the answers. A and B are files (or bundled names), or with `--db`
//! two versions `ID@N` of one scenario in the web app's library.
//!
//! Exit code as `diff(1)`: 0 when nothing differs, 1 when something does,
//! 2 on bad input.

use crate::input::{self, Source};
use crate::progress::Bar;
use crate::BadInput;
use accord::Scenario;
use accord_app::diff::{diff, Change, FieldChange, ScenarioDiff, SetChanges};
use accord_formats::scenario::raw::ScenarioFile;
use accord_formats::scenario::{parse_raw, validate_raw, Syntax};
use serde_json::Value;
use std::path::PathBuf;

/// Arguments of `accord diff`.
#[derive(clap::Args)]
pub struct Args {
    /// The first scenario: a file, a bundled name, or with --db `ID@N` (`ID` alone: the latest version).
    pub a: String,
    /// The second scenario, named the same way.
    pub b: String,
    /// Read A and B from this scenario library (the file `accord serve --db` uses).
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Print the differences as JSON.
    #[arg(long)]
    pub json: bool,
}

/// One side of the diff, loaded.
struct Side {
    name: String,
    raw: ScenarioFile,
    scenario: Scenario,
}

fn load_source(name: String, src: &Source, syntax: Syntax) -> anyhow::Result<Side> {
    let bad = |e: accord_formats::LoadError| BadInput(e.to_string());
    let raw = parse_raw(&src.text, &src.file, syntax).map_err(bad)?;
    let scenario = validate_raw(&raw, &src.text, &src.file, syntax).map_err(bad)?;
    Ok(Side {
        name,
        raw,
        scenario,
    })
}

fn from_file(name: &str) -> anyhow::Result<Side> {
    let src = input::read(Some(name))?;
    let syntax = Syntax::detect(&src.file, &src.text);
    load_source(name.to_string(), &src, syntax)
}

#[cfg(feature = "serve")]
fn from_db(store: &accord_server::Store, name: &str) -> anyhow::Result<Side> {
    let (id, version) = match name.rsplit_once('@') {
        Some((id, v)) => {
            let n: i64 = v.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                BadInput(format!(
                    "error: `{name}`: `{v}` is not a version number (expected ID@N, N from 1)"
                ))
            })?;
            (id, Some(n))
        }
        None => (name, None),
    };
    let v = store
        .version(id, version)
        .map_err(|e| BadInput(format!("error: `{name}`: {e}")))?;
    let shown = format!("{}@v{}", v.id, v.version);
    let syntax = v.syntax;
    let src = Source {
        file: shown.clone(),
        text: v.text,
    };
    load_source(shown, &src, syntax)
}

/// Runs the command.
pub fn run(a: &Args) -> anyhow::Result<u8> {
    let (x, y) = match &a.db {
        #[cfg(not(feature = "serve"))]
        Some(_) => {
            return Err(BadInput(
                "error: --db needs the scenario library, which this build leaves out \
                 (built without the default feature `serve`)"
                    .into(),
            )
            .into())
        }
        #[cfg(feature = "serve")]
        Some(path) => {
            // Opening a missing file would create an empty library.
            if !path.exists() {
                return Err(BadInput(format!(
                    "error: no scenario library at `{}`",
                    path.display()
                ))
                .into());
            }
            let store = accord_server::Store::open(path)
                .map_err(|e| BadInput(format!("error: cannot open `{}`: {e}", path.display())))?;
            (from_db(&store, &a.a)?, from_db(&store, &a.b)?)
        }
        None => (from_file(&a.a)?, from_file(&a.b)?),
    };
    let bar = Bar::new();
    let result = diff(
        (&x.name, &x.raw, &x.scenario),
        (&y.name, &y.raw, &y.scenario),
        &bar,
    );
    bar.finish();
    let d = match result {
        Err(accord::Error::TooLarge(_)) => {
            return Err(BadInput(format!(
                "error: {}",
                accord_app::explain::too_large(
                    &x.scenario,
                    accord::AnalyzeOptions::default().max_outcomes
                )
            ))
            .into())
        }
        r => r?,
    };
    if a.json {
        super::print_json(&d)?;
    } else {
        print_human(&d)?;
    }
    Ok(u8::from(!d.same))
}

/// A value as a reader wants it: strings bare, the rest as compact JSON.
fn show(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => "—".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| format!("{k}={}", show(Some(v))))
            .collect::<Vec<_>>()
            .join(", "),
        Some(v) => v.to_string(),
    }
}

fn field_line(f: &FieldChange) -> String {
    format!(
        "{}: {} → {}",
        f.field,
        show(f.old.as_ref()),
        show(f.new.as_ref())
    )
}

fn sets(what: &str, s: &SetChanges) -> Vec<String> {
    let mut out = Vec::new();
    for (sign, list) in [("+", &s.added), ("-", &s.removed)] {
        for set in list {
            out.push(format!("  {sign} {what} {{{}}}", set.join(", ")));
        }
    }
    out
}

fn print_human(d: &ScenarioDiff) -> anyhow::Result<()> {
    outln!("Comparing {} with {}", d.a, d.b);
    if d.same {
        outln!("No changes: the inputs and the answers are the same.");
        return Ok(());
    }
    if d.inputs.is_empty() {
        outln!("Inputs: no changes.");
    } else {
        outln!(
            "Inputs: {} {}",
            d.inputs.len(),
            if d.inputs.len() == 1 {
                "entry differs"
            } else {
                "entries differ"
            }
        );
        for c in &d.inputs {
            let what = match c.change {
                Change::Added => "added",
                Change::Removed => "removed",
                Change::Changed => "changed",
            };
            outln!("  {} {}: {what}", c.section, c.id);
            for f in &c.fields {
                outln!("      {}", field_line(f));
            }
        }
    }
    let ans = &d.answers;
    if ans.is_empty() {
        outln!("Answers: no changes.");
        return Ok(());
    }
    outln!("Answers:");
    for f in &ans.figures {
        outln!("  {}", field_line(f));
    }
    for line in sets("blocking set", &ans.blockers)
        .into_iter()
        .chain(sets("relaxation", &ans.relaxations))
    {
        outln!("{line}");
    }
    Ok(())
}
