//! `accord report`: a self-contained HTML report (or Markdown with every
//! chart as an SVG file beside it) with positions, deal space, ratification,
//! Pareto frontier, process, timeline, forecasts and sensitivity.

use crate::input;
use crate::progress::Bar;
use std::path::{Path, PathBuf};

/// Arguments of `accord report`.
#[derive(clap::Args)]
pub struct Args {
    /// Scenario file (TOML or JSON), a bundled name, or - for stdin; default: the flagship.
    pub file: Option<String>,
    /// Output file: `.html` (self-contained) or `.md` (with an SVG beside it).
    #[arg(short, long, default_value = "report.html")]
    pub output: PathBuf,
    /// What-ifs applied before the analysis.
    #[command(flatten)]
    pub whatif: crate::whatif::WhatIf,
}

/// Runs the command.
pub fn run(a: &Args) -> anyhow::Result<u8> {
    use anyhow::Context;
    // The writer makes HTML or Markdown only; any other name would hold a
    // document of the wrong kind (HTML in a `.pdf`).
    let ext = a
        .output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if !matches!(ext.as_deref(), Some("html" | "htm" | "md")) {
        return Err(crate::BadInput(format!(
            "error: `{}`: the report is written as .html (self-contained) or .md (with an SVG \
             beside it); give -o a name ending in one of those",
            a.output.display()
        ))
        .into());
    }
    let src = input::read(a.file.as_deref())?;
    let syntax = accord_formats::Syntax::from_name(&src.file);
    let bad = |e: accord_formats::LoadError| crate::BadInput(e.to_string());
    let (raw, mut sc, assumed) = a.whatif.raw(&src, syntax)?;
    // The report says what it assumed where every reader sees it: its title.
    if let Some(line) = assumed.line() {
        sc.title = format!("{} — {line}", sc.title);
    }
    let choices = accord_formats::timeline::Choices::default();
    let steps = accord_formats::timeline::timeline(&raw, &src.text, &src.file, syntax, &choices)
        .map_err(bad)?;
    let bar = Bar::new();
    let data = accord_app::report::gather(&sc, &steps, &bar);
    bar.finish();
    let data = match data {
        Err(accord_app::report::ReportError::Engine(accord::Error::TooLarge(_))) => {
            return Err(crate::BadInput(format!(
                "error: {}",
                accord_app::explain::too_large(&sc, accord::AnalyzeOptions::default().max_outcomes)
            ))
            .into())
        }
        Err(accord_app::report::ReportError::Engine(e)) => return Err(e.into()),
        r => r?,
    };
    let out = &a.output;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create `{}`", dir.display()))?;
    }
    let is_md = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"));
    if is_md {
        let stem = out.file_stem().and_then(|s| s.to_str()).unwrap_or("report");
        let svg_name = format!("{stem}-pareto.svg");
        let (md, svg) = accord_app::report::markdown(&data, &svg_name);
        let dir = out.parent().unwrap_or(Path::new(""));
        // Every chart beside the report: Pareto, timeline, P(deal), forecasts.
        let charts = accord_app::report::chart_files(&data, &svg_name);
        for (name, svg) in svg.map(|s| (svg_name.clone(), s)).into_iter().chain(charts) {
            let p = dir.join(&name);
            std::fs::write(&p, svg).with_context(|| format!("cannot write `{}`", p.display()))?;
        }
        std::fs::write(out, md).with_context(|| format!("cannot write `{}`", out.display()))?;
    } else {
        std::fs::write(out, accord_app::report::html(&data))
            .with_context(|| format!("cannot write `{}`", out.display()))?;
    }
    outln!("wrote {}", out.display());
    Ok(0)
}
