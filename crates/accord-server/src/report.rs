//! The offline report: one self-contained HTML file (styles inline, the
//! Pareto chart as inline SVG, no external requests), or Markdown with the
//! chart as an SVG file beside it. Built from the same JSON views the API
//! serves, so the report and the dashboard agree.

use crate::svg::{esc, scatter, Series};
use accord::{AnalyzeOptions, Progress, Scenario};
use accord_formats::reports::process_view;
use accord_formats::views::show_view;
use serde_json::Value;
use std::fmt::Write;

/// The documents a report is made of: `show`, `analyze` (with
/// `pareto_all`) and `process`, exactly as `--json` prints them.
#[derive(Debug, Clone)]
pub struct ReportData {
    /// `accord show --json`.
    pub show: Value,
    /// `accord analyze --json --pareto-all`.
    pub analysis: Value,
    /// `accord process --json`.
    pub process: Value,
}

/// Why a report could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The engine could not analyse the scenario.
    #[error(transparent)]
    Engine(#[from] accord::Error),
    /// The analysis could not be turned into JSON.
    #[error("cannot serialise the analysis: {0}")]
    Json(#[from] serde_json::Error),
}

/// Runs the analyses a report needs.
pub fn gather(sc: &Scenario, progress: &dyn Progress) -> Result<ReportData, ReportError> {
    let opts = AnalyzeOptions {
        pareto_all: true,
        ..Default::default()
    };
    let an = accord::analyze(sc, &opts, progress)?;
    let pr = accord::analyze_process(&sc.process);
    Ok(ReportData {
        show: show_view(sc),
        analysis: serde_json::to_value(&an)?,
        process: process_view(sc, &pr),
    })
}

fn s(v: &Value) -> String {
    match v {
        Value::String(x) => x.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn arr(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

fn outcome_text(p: &Value) -> String {
    p["outcome"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", s(v)))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

fn who(c: &Value) -> String {
    match c["kind"].as_str() {
        Some("reservation") => format!("{}'s reservation ({})", s(&c["actor"]), s(&c["rule"])),
        Some("ratification") => format!("{} for {}", s(&c["rule"]), s(&c["actor"])),
        Some("precondition") => format!("{}'s precondition ({})", s(&c["actor"]), s(&c["rule"])),
        Some("deadline") => format!("deadline ({})", s(&c["rule"])),
        _ => format!("{}'s red line `{}`", s(&c["actor"]), s(&c["rule"])),
    }
}

/// The two parties the Pareto chart plots by default: the first two actors.
fn chart_parties(d: &ReportData) -> Option<(String, String)> {
    let actors = arr(&d.show["scenario"]["actors"]);
    Some((s(&actors.first()?["id"]), s(&actors.get(1)?["id"])))
}

/// The Pareto chart for parties `x` and `y`, as SVG.
pub fn pareto_svg(d: &ReportData, x: &str, y: &str) -> String {
    let pt = |p: &Value, tip: String| {
        (
            p["utilities"][x].as_f64().unwrap_or(0.0),
            p["utilities"][y].as_f64().unwrap_or(0.0),
            tip,
        )
    };
    let an = &d.analysis;
    let all: Vec<_> = arr(&an["pareto_all"])
        .iter()
        .map(|p| pt(p, outcome_text(p)))
        .collect();
    let zopa: Vec<_> = arr(&an["pareto"])
        .iter()
        .map(|p| pt(p, outcome_text(p)))
        .collect();
    let mut sols = Vec::new();
    for name in ["nash", "kalai_smorodinsky", "utilitarian", "egalitarian"] {
        let v = &an["solutions"][name];
        if !v.is_null() {
            sols.push(pt(v, format!("{name}: {}", outcome_text(v))));
        }
    }
    let relax: Vec<_> = arr(&an["relaxations"])
        .iter()
        .filter(|r| !r["nash"].is_null())
        .take(12)
        .map(|r| {
            let drop: Vec<String> = arr(&r["drop"]).iter().map(who).collect();
            pt(&r["nash"], format!("Nash if dropped: {}", drop.join(" + ")))
        })
        .collect();
    let d0 = vec![(
        an["disagreement"][x].as_f64().unwrap_or(0.0),
        an["disagreement"][y].as_f64().unwrap_or(0.0),
        "disagreement point (reservations)".to_string(),
    )];
    scatter(
        &format!("Pareto frontier: {x} × {y}"),
        &format!("u({x})"),
        &format!("u({y})"),
        &[
            Series {
                label: "feasible frontier",
                color: "#bbbbbb",
                radius: 3.0,
                points: all,
            },
            Series {
                label: "ZOPA frontier",
                color: "#3366cc",
                radius: 4.0,
                points: zopa,
            },
            Series {
                label: "solutions",
                color: "#d62728",
                radius: 6.0,
                points: sols,
            },
            Series {
                label: "Nash if relaxed",
                color: "#ff9900",
                radius: 5.0,
                points: relax,
            },
            Series {
                label: "disagreement",
                color: "#000000",
                radius: 4.0,
                points: d0,
            },
        ],
    )
}

/// The plain-language verdict on the deal space.
fn verdict(an: &Value) -> String {
    let size = an["zopa"]["size"].as_u64().unwrap_or(0);
    // With deal-dependent process steps, a deal must also be implementable.
    let implementable = an["zopa"]["implementable"]["size"].as_u64();
    if size > 0 && implementable == Some(0) {
        format!(
            "No deal can be carried out: {size} outcomes are acceptable to every party and ratifier, but none has a process that can run; {} set(s) of constraints each rule out all {} feasible outcomes.",
            arr(&an["blockers"]).len(),
            s(&an["feasible"])
        )
    } else if size > 0 {
        let also = implementable.map_or(String::new(), |k| {
            format!(" {k} of them can also be carried out (their process can run).")
        });
        format!("A deal can close: {size} of {} feasible outcomes are acceptable to every party and ratifier.{also}", s(&an["feasible"]))
    } else {
        format!(
            "No deal can close: {} set(s) of constraints each rule out all {} feasible outcomes.",
            arr(&an["blockers"]).len(),
            s(&an["feasible"])
        )
    }
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.9rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
th{background:#f3f3f3}.src{color:#666;font-size:.8rem}.no{color:#b00;font-weight:bold}.yes{color:#070;font-weight:bold}
tr.cycle td{background:#fde8e8}h2{border-bottom:1px solid #ddd;margin-top:2rem}@media print{body{margin:0;max-width:none}h2{break-after:avoid}table,svg{break-inside:avoid}}";

/// The whole report as one self-contained HTML page.
pub fn html(d: &ReportData) -> String {
    let sc = &d.show["scenario"];
    let meta = &sc["scenario"];
    let an = &d.analysis;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} — Accord report</title><style>{STYLE}</style></head><body>\
         <h1>{t}</h1><p>Scenario <code>{id}</code>, as of {asof}. {desc}</p>",
        t = esc(&s(&meta["title"])),
        id = esc(&s(&meta["id"])),
        asof = esc(&s(&meta["as_of"])),
        desc = esc(&s(&meta["description"]))
    );
    // Positions.
    let actors: Vec<String> = arr(&sc["actors"]).iter().map(|a| s(&a["id"])).collect();
    let _ = write!(h, "<h2>Positions</h2><p>Each actor's ideal value on each issue, its salience (w) and source.</p><table><tr><th>issue</th>");
    for a in &actors {
        let _ = write!(h, "<th>{}</th>", esc(a));
    }
    h.push_str("</tr>");
    for issue in arr(&sc["issues"]) {
        let iid = s(&issue["id"]);
        let _ = write!(h, "<tr><th>{}</th>", esc(&iid));
        for a in &actors {
            let p = arr(&d.show["positions"])
                .iter()
                .find(|p| s(&p["actor"]) == *a && s(&p["issue"]) == iid);
            match p {
                Some(p) => {
                    let src = [s(&p["source"]), s(&p["quote"]), s(&p["assumption"])]
                        .into_iter()
                        .filter(|x| !x.is_empty())
                        .collect::<Vec<_>>()
                        .join(" · ");
                    let _ = write!(
                        h,
                        "<td title=\"{src}\">{} (w {:.2})<div class=\"src\">{src}</div></td>",
                        esc(&s(&p["ideal"])),
                        p["weight"].as_f64().unwrap_or(0.0),
                        src = esc(&src)
                    );
                }
                None => h.push_str("<td>—</td>"),
            }
        }
        h.push_str("</tr>");
    }
    h.push_str("</table>");
    // Deal space.
    let zopa = an["zopa"]["size"].as_u64().unwrap_or(0);
    let _ = write!(
        h,
        "<h2>Deal space</h2><p>ZOPA: <span class=\"{}\">{}</span> — {}</p>",
        if zopa > 0 { "yes" } else { "no" },
        if zopa > 0 { "yes" } else { "no" },
        esc(&verdict(an))
    );
    if !arr(&an["blockers"]).is_empty() {
        h.push_str("<h3>Blockers</h3><table><tr><th>block</th><th>actor</th><th>constraint</th><th>rule</th><th>quote / source</th></tr>");
        for (i, b) in arr(&an["blockers"]).iter().enumerate() {
            for c in arr(b) {
                let src = [s(&c["quote"]), s(&c["source"]), s(&c["assumption"])]
                    .into_iter()
                    .filter(|x| !x.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · ");
                let _ = write!(
                    h,
                    "<tr class=\"blocker\"><td>{}</td><td>{}</td><td>{} {}</td><td><code>{}</code></td><td>{}</td></tr>",
                    i + 1,
                    esc(&s(&c["actor"])),
                    esc(&s(&c["kind"])),
                    esc(&s(&c["id"])),
                    esc(&s(&c["rule"])),
                    esc(&src)
                );
            }
        }
        h.push_str("</table>");
    }
    if !arr(&an["relaxations"]).is_empty() {
        h.push_str("<h3>Relaxations that open a deal</h3><table><tr><th>drop</th><th>ZOPA</th><th>Nash solution then</th></tr>");
        for r in arr(&an["relaxations"]).iter().take(20) {
            let drop: Vec<String> = arr(&r["drop"]).iter().map(|c| esc(&who(c))).collect();
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                drop.join("<br>"),
                s(&r["zopa_size"]),
                esc(&outcome_text(&r["nash"]))
            );
        }
        h.push_str("</table>");
    }
    // Solutions.
    let sol_names = ["nash", "kalai_smorodinsky", "utilitarian", "egalitarian"];
    if sol_names.iter().any(|n| !an["solutions"][*n].is_null()) {
        h.push_str("<h3>Bargaining solutions</h3><table><tr><th>rule</th><th>outcome</th></tr>");
        for n in sol_names {
            let _ = write!(
                h,
                "<tr><td>{n}</td><td>{}</td></tr>",
                esc(&outcome_text(&an["solutions"][n]))
            );
        }
        h.push_str("</table>");
    }
    // Chart.
    if let Some((x, y)) = chart_parties(d) {
        let _ = write!(
            h,
            "<h2>Pareto frontier</h2><figure>{}</figure>",
            pareto_svg(d, &x, &y)
        );
    }
    // Process.
    h.push_str(&process_html(d));
    h.push_str("<p class=\"src\">Generated by Accord. Every figure is exact (enumerated outcome space).</p></body></html>");
    h
}

fn edge_row(e: &Value, class: &str) -> String {
    // The constraint's fields are flattened into the edge.
    let c = e;
    format!(
        "<tr class=\"{class}\"><td>{} → {}</td><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        esc(&s(&e["from"])),
        esc(&s(&e["to"])),
        esc(&s(&c["id"])),
        esc(&s(&c["label"])),
        esc(&s(&c["owner"])),
        esc(&s(&c["rule"])),
        esc(&s(&c["quote"]))
    )
}

fn process_html(d: &ReportData) -> String {
    let p = &d.process;
    let mut h = String::from("<h2>Process</h2>");
    if p["milestones"].as_u64().unwrap_or(0) == 0 {
        h.push_str("<p>The scenario defines no process milestones.</p>");
        return h;
    }
    let ok = p["consistent"].as_bool().unwrap_or(false);
    let _ = write!(
        h,
        "<p>Schedule exists: <span class=\"{}\">{}</span></p>",
        if ok { "yes" } else { "no" },
        if ok {
            "yes"
        } else {
            "no — the preconditions deadlock"
        }
    );
    for (i, cyc) in arr(&p["deadlocks"]).iter().enumerate() {
        let _ = write!(h, "<h3>Deadlock {} (overruns by {} days)</h3><table><tr><th>edge</th><th>constraint</th><th>owner</th><th>rule</th><th>quote</th></tr>", i + 1, -p["deadlock_days"][i].as_i64().unwrap_or(0));
        for e in arr(cyc) {
            h.push_str(&edge_row(e, "cycle"));
        }
        h.push_str("</table>");
    }
    h.push_str("<h3>Milestones and schedule</h3><table><tr><th>milestone</th><th>earliest</th><th>latest</th></tr>");
    if let Some(m) = p["schedule"].as_object() {
        for (k, w) in m {
            let (e, l) = if w.is_null() {
                ("—".to_string(), "—".to_string())
            } else {
                (
                    s(&w["earliest"]),
                    if w["latest"].is_null() {
                        "open".into()
                    } else {
                        s(&w["latest"])
                    },
                )
            };
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(k),
                esc(&e),
                esc(&l)
            );
        }
    }
    h.push_str("</table>");
    h
}

/// The report as Markdown; the Pareto chart is `svg_name`, to be written
/// beside it (returned as the second value, when there are two parties).
pub fn markdown(d: &ReportData, svg_name: &str) -> (String, Option<String>) {
    let sc = &d.show["scenario"];
    let meta = &sc["scenario"];
    let an = &d.analysis;
    let mut m = String::new();
    let _ = writeln!(
        m,
        "# {}\n\nScenario `{}`, as of {}.\n",
        crate::svg::esc(&s(&meta["title"])).replace('\n', " "),
        s(&meta["id"]).replace('`', "'"),
        crate::svg::esc(&s(&meta["as_of"]))
    );
    // Scenario text is untrusted: outside code spans it is HTML-escaped, since
    // Markdown passes raw HTML through to the page it renders.
    let code = |x: String| x.replace('|', "\\|").replace('\n', " ").replace('`', "'");
    let cell = |x: String| code(crate::svg::esc(&x));
    let actors: Vec<String> = arr(&sc["actors"]).iter().map(|a| s(&a["id"])).collect();
    let _ = writeln!(
        m,
        "## Positions\n\n| issue | {} |\n|---|{}",
        actors
            .iter()
            .map(|a| cell(a.clone()))
            .collect::<Vec<_>>()
            .join(" | "),
        "---|".repeat(actors.len())
    );
    for issue in arr(&sc["issues"]) {
        let iid = s(&issue["id"]);
        let mut row = format!("| {} |", cell(iid.clone()));
        for a in &actors {
            let p = arr(&d.show["positions"])
                .iter()
                .find(|p| s(&p["actor"]) == *a && s(&p["issue"]) == iid);
            let _ = write!(
                row,
                " {} |",
                p.map_or("—".into(), |p| cell(format!(
                    "{} (w {:.2}) {}",
                    s(&p["ideal"]),
                    p["weight"].as_f64().unwrap_or(0.0),
                    s(&p["source"])
                )))
            );
        }
        let _ = writeln!(m, "{row}");
    }
    let _ = writeln!(m, "\n## Deal space\n\n{}\n", verdict(an));
    if !arr(&an["blockers"]).is_empty() {
        let _ = writeln!(
            m,
            "### Blockers\n\n| block | actor | constraint | rule | quote |\n|---|---|---|---|---|"
        );
        for (i, b) in arr(&an["blockers"]).iter().enumerate() {
            for c in arr(b) {
                let _ = writeln!(
                    m,
                    "| {} | {} | {} {} | `{}` | {} |",
                    i + 1,
                    cell(s(&c["actor"])),
                    s(&c["kind"]),
                    cell(s(&c["id"])),
                    code(s(&c["rule"])),
                    cell(s(&c["quote"]))
                );
            }
        }
    }
    if !arr(&an["relaxations"]).is_empty() {
        let _ = writeln!(
            m,
            "\n### Relaxations that open a deal\n\n| drop | ZOPA | Nash then |\n|---|---|---|"
        );
        for r in arr(&an["relaxations"]).iter().take(20) {
            let drop: Vec<String> = arr(&r["drop"]).iter().map(who).collect();
            let _ = writeln!(
                m,
                "| {} | {} | {} |",
                cell(drop.join("; ")),
                s(&r["zopa_size"]),
                cell(outcome_text(&r["nash"]))
            );
        }
    }
    let svg = chart_parties(d).map(|(x, y)| {
        let _ = writeln!(
            m,
            "\n## Pareto frontier\n\n![Pareto frontier: {x} × {y}]({svg_name})\n"
        );
        pareto_svg(d, &x, &y)
    });
    let p = &d.process;
    let _ = writeln!(
        m,
        "\n## Process\n\nSchedule exists: {}\n",
        if p["consistent"].as_bool().unwrap_or(false) {
            "yes"
        } else {
            "no"
        }
    );
    for (i, cyc) in arr(&p["deadlocks"]).iter().enumerate() {
        let _ = writeln!(
            m,
            "### Deadlock {}\n\n| edge | constraint | owner | rule |\n|---|---|---|---|",
            i + 1
        );
        for e in arr(cyc) {
            let c = e;
            let _ = writeln!(
                m,
                "| {} → {} | {} | {} | {} |",
                cell(s(&e["from"])),
                cell(s(&e["to"])),
                cell(s(&c["id"])),
                cell(s(&c["owner"])),
                cell(s(&c["rule"]))
            );
        }
        m.push('\n');
    }
    if let Some(sched) = p["schedule"].as_object() {
        let _ = writeln!(m, "| milestone | earliest | latest |\n|---|---|---|");
        for (k, w) in sched {
            let _ = writeln!(
                m,
                "| {} | {} | {} |",
                cell(k.clone()),
                if w.is_null() {
                    "—".into()
                } else {
                    s(&w["earliest"])
                },
                if w.is_null() {
                    "—".into()
                } else if w["latest"].is_null() {
                    "open".into()
                } else {
                    s(&w["latest"])
                }
            );
        }
    }
    (m, svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(text: &str) -> ReportData {
        let sc =
            accord_formats::parse_scenario(text, "t.toml", accord_formats::Syntax::Toml).unwrap();
        gather(&sc, &accord::NoProgress).unwrap()
    }

    fn triad() -> ReportData {
        data(accord_formats::bundled::bundled("triad").unwrap().text)
    }

    #[test]
    fn report_is_self_contained_with_every_blocker_and_the_chart() {
        let d = triad();
        let h = html(&d);
        assert!(h.starts_with("<!doctype html>"));
        // The only URL is the SVG namespace: no external requests.
        assert_eq!(
            h.matches("http").count(),
            h.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
        );
        assert!(!h.contains("<script") && !h.contains("<link"));
        // Three independent pairs of red lines.
        assert_eq!(h.matches("<tr class=\"blocker\">").count(), 6);
        assert!(h.contains("ZOPA: <span class=\"no\">no</span>"));
        assert!(h.contains("<svg") && h.contains("Pareto frontier: A × B"));
    }

    #[test]
    fn deadlock_rows_are_marked() {
        let d = data(include_str!("../tests/fixtures/sale-deadlock.toml"));
        let h = html(&d);
        assert_eq!(h.matches("<tr class=\"cycle\">").count(), 2);
        assert!(h.contains("ZOPA: <span class=\"yes\">yes</span>"));
        // The ZOPA frontier and the four solutions are plotted.
        let zopa = d.analysis["pareto"].as_array().unwrap().len();
        let svg = pareto_svg(&d, "seller", "buyer");
        assert!(svg.contains(&format!("ZOPA frontier ({zopa})")));
        assert!(svg.contains("solutions (4)"));
    }

    #[test]
    fn markdown_links_the_chart() {
        let d = triad();
        let (md, svg) = markdown(&d, "report-pareto.svg");
        assert!(md.contains("](report-pareto.svg)"));
        assert!(svg.unwrap().starts_with("<svg"));
        assert_eq!(
            md.matches("\n| 1 | ").count()
                + md.matches("\n| 2 | ").count()
                + md.matches("\n| 3 | ").count(),
            6
        );
    }

    #[test]
    fn markdown_escapes_scenario_text() {
        let text = include_str!("../../../scenarios/triad.toml").replacen(
            "title = \"",
            "title = \"<script>alert(1)</script> & ",
            1,
        );
        let (md, _) = markdown(&data(&text), "x.svg");
        let first = md.lines().next().unwrap();
        assert!(
            first.starts_with("# &lt;script&gt;alert(1)&lt;/script&gt; &amp; "),
            "{first}"
        );
        assert!(!md.contains("<script>"));
    }
}
