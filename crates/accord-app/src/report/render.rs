//! The report's two templates over the section model: one HTML page, one
//! Markdown file. The templates own the layout; this module owns only the
//! escaping, which is the charts' (`svg::esc`) so the page escapes one way.

use super::model::Report;
use crate::svg::esc;
use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Serde, Value};
use minijinja::{AutoEscape, Environment};

/// The HTML page; written one element per line, loaded with its lines
/// joined, since the page itself has no line breaks outside the style
/// sheet and the charts.
const HTML: &str = include_str!("../../templates/report.html");

/// The Markdown file.
const MARKDOWN: &str = include_str!("../../templates/report.md");

/// The HTML page's style sheet, inlined so the page makes no requests.
const STYLE: &str = include_str!("../../templates/report.css");

/// Renders `report` as a self-contained HTML page.
pub(super) fn html(report: &Report) -> String {
    // Each line's indentation is for the reader of the template only.
    let source: String = HTML.lines().map(str::trim_start).collect();
    let mut env = environment();
    env.add_template("report.html", &source)
        .expect("the HTML report template parses");
    let ctx = minijinja::context! {
        r => Value::from(Serde(report)),
        style => Value::from_safe_string(STYLE.trim_end().to_string()),
    };
    env.get_template("report.html")
        .and_then(|t| t.render(ctx))
        .expect("the HTML report template renders its model")
}

/// Renders `report` as Markdown linking its Pareto chart `pareto_name`.
pub(super) fn markdown(report: &Report, pareto_name: &str) -> String {
    let mut env = environment();
    env.add_template("report.md", MARKDOWN)
        .expect("the Markdown report template parses");
    let ctx = minijinja::context! {
        r => Value::from(Serde(report)),
        pareto_file => pareto_name,
    };
    env.get_template("report.md")
        .and_then(|t| t.render(ctx))
        .expect("the Markdown report template renders its model")
}

/// The environment both templates share: block tags take their line with
/// them, the final newline is kept, HTML is escaped as the charts escape,
/// and the Markdown filters below.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_syntax(
        SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .expect("the default delimiters are valid"),
    );
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_formatter(|out, state, value| {
        if *state.auto_escape() == AutoEscape::Html && !value.is_safe() {
            out.write_str(&esc(&value.to_string()))?;
            Ok(())
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    // Scenario text is untrusted: outside code spans Markdown passes raw
    // HTML through to the page it renders, so it is escaped there too.
    env.add_filter("html", |x: &str| esc(x));
    env.add_filter("text", |x: &str| esc(x).replace('\n', " "));
    env.add_filter("cell", |x: &str| {
        esc(x)
            .replace('|', "\\|")
            .replace('\n', " ")
            .replace('`', "'")
    });
    env.add_filter("tcell", |x: &str| {
        esc(x).replace('|', "\\|").replace('\n', " ")
    });
    env.add_filter("code", |x: &str| {
        x.replace('|', "\\|").replace('\n', " ").replace('`', "'")
    });
    env
}
