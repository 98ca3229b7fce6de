//! `accord import genius` and `accord export genius`: GENIUS XML in and out.
//! The reading and writing live in `accord_formats::genius`; this module
//! only finds the files, reports and writes.

use crate::{input, BadInput};
use accord::Scenario;
use accord_formats::genius::{to_genius, GeniusImport, GeniusOptions};
use std::path::{Path, PathBuf};

/// Arguments of `accord import`.
#[derive(clap::Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    format: ImportFormat,
}

#[derive(clap::Subcommand)]
enum ImportFormat {
    /// Read a GENIUS domain and its profiles into a scenario file.
    Genius(GeniusImportArgs),
}

/// Arguments of `accord import genius`.
#[derive(clap::Args)]
pub struct GeniusImportArgs {
    /// A folder holding one domain file and its profiles, or the files
    /// themselves; the domain is the file whose root is <negotiation_template>.
    #[arg(required = true, value_name = "DIR|FILES")]
    pub inputs: Vec<String>,
    /// Where to write the scenario (TOML); default: standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<String>,
    /// How many values each real issue is discretised into.
    #[arg(long, default_value_t = 11)]
    pub real_levels: usize,
    /// The scenario date (GENIUS files carry none).
    #[arg(long, default_value = "1970-01-01")]
    pub as_of: String,
}

/// Arguments of `accord export`.
#[derive(clap::Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    format: ExportFormat,
}

#[derive(clap::Subcommand)]
enum ExportFormat {
    /// Write a scenario as a GENIUS domain plus one profile per actor.
    Genius(GeniusExportArgs),
}

/// Arguments of `accord export genius`.
#[derive(clap::Args)]
pub struct GeniusExportArgs {
    /// Scenario file (TOML or JSON) or a bundled name.
    pub file: String,
    /// Folder to write the XML files into (created if missing).
    #[arg(short, long, value_name = "DIR")]
    pub output: String,
}

/// Runs `accord import …`.
pub fn run_import(a: &ImportArgs) -> anyhow::Result<u8> {
    let ImportFormat::Genius(g) = &a.format;
    if g.real_levels < 2 {
        return Err(BadInput("error: --real-levels must be at least 2".into()).into());
    }
    let opts = GeniusOptions {
        real_levels: g.real_levels,
        as_of: g.as_of.clone(),
    };
    let imp = import_paths(&g.inputs, &opts)?;
    let text = accord_formats::to_toml(&imp.scenario);
    let sc = &imp.scenario;
    let summary = format!(
        "imported `{}`: {} actors, {} issues, {} outcomes",
        sc.id,
        sc.actors.len(),
        sc.issues.len(),
        sc.space_size()
    );
    match &g.output {
        Some(o) => {
            std::fs::write(o, text)
                .map_err(|e| BadInput(format!("error: cannot write `{o}`: {e}")))?;
            eprintln!("{summary} → {o}");
        }
        None => {
            out!("{text}");
            eprintln!("{summary}");
        }
    }
    Ok(0)
}

/// Runs `accord export …`.
pub fn run_export(a: &ExportArgs) -> anyhow::Result<u8> {
    let ExportFormat::Genius(g) = &a.format;
    let sc = input::load(Some(&g.file))?;
    let out = to_genius(&sc, &[]).map_err(|e| BadInput(format!("error: {e}")))?;
    let dir = Path::new(&g.output);
    std::fs::create_dir_all(dir)
        .map_err(|e| BadInput(format!("error: cannot create `{}`: {e}", g.output)))?;
    for (name, text) in std::iter::once(&out.domain).chain(&out.profiles) {
        // The writer makes names of one plain component; check it here too,
        // since a name with a separator or `..` would write outside `-o`.
        let mut parts = Path::new(name).components();
        if !matches!(
            (parts.next(), parts.next()),
            (Some(std::path::Component::Normal(_)), None)
        ) {
            return Err(BadInput(format!(
                "error: refusing to write `{name}` outside `{}`",
                g.output
            ))
            .into());
        }
        let p = dir.join(name);
        std::fs::write(&p, text)
            .map_err(|e| BadInput(format!("error: cannot write `{}`: {e}", p.display())))?;
    }
    for d in &out.dropped {
        eprintln!(
            "{}",
            crate::visible(&format!("warning: GENIUS has no form for {d}; left out"))
        );
    }
    eprintln!(
        "wrote {} and {} profiles to {}",
        out.domain.0,
        out.profiles.len(),
        g.output
    );
    Ok(0)
}

/// Loads a scenario from a folder holding a GENIUS domain and its
/// profiles (for `analyze --genius DIR`); bad input is exit code 2.
pub fn load_genius(dir: &str) -> anyhow::Result<Scenario> {
    Ok(import_paths(&[dir.to_string()], &GeniusOptions::default())?.scenario)
}

/// Reads the given files, or every `*.xml` of a single folder (sorted by
/// name), and imports them.
fn import_paths(inputs: &[String], opts: &GeniusOptions) -> anyhow::Result<GeniusImport> {
    let paths: Vec<PathBuf> = inputs.iter().map(PathBuf::from).collect();
    Ok(accord_app::input::import_genius(&paths, opts).map_err(input::bad_input)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The repository's own GENIUS-format domains (`data/genius`).
    const GENIUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/genius");

    #[test]
    fn a_folder_loads_and_its_toml_reads_back() {
        // A three-party domain of 3 × 4 × 2 outcomes.
        let sc = load_genius(&format!("{GENIUS}/picnic")).expect("loads");
        assert_eq!(sc.actors.len(), 3);
        assert_eq!(sc.space_size(), 24);
        let text = accord_formats::to_toml(&sc);
        let back =
            accord_formats::parse_scenario(&text, "laptop.toml", accord_formats::Syntax::Toml)
                .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back.issues, sc.issues);
        for a in 0..3 {
            for l in 0..24 {
                let lv = [l / 8, (l / 2) % 4, l % 2];
                assert!((back.utility(a, &lv) - sc.utility(a, &lv)).abs() <= 1e-12);
            }
        }
    }

    #[test]
    fn bad_input_is_a_located_bad_input_error() {
        let e = load_genius(&format!("{GENIUS}/grid")).unwrap_err();
        let bad = e.downcast_ref::<BadInput>().expect("exit code 2");
        // `<utility_space type="nonlinear">` on line 1: the value at column 22.
        assert!(bad.0.contains("profile-1.xml:1:22"), "{}", bad.0);
        assert!(bad.0.contains("non-linear"), "{}", bad.0);
        let e = load_genius("/nonexistent/genius").unwrap_err();
        assert!(e.downcast_ref::<BadInput>().is_some());
    }
}
