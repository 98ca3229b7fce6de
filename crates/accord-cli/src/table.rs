//! Plain aligned tables for terminal output.

use comfy_table::{presets, ContentArrangement, Table, TableComponent};

/// A table with a header row, styled alike across commands.
pub fn new(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING)
        .set_style(TableComponent::HeaderLines, '─')
        .set_style(TableComponent::MiddleHeaderIntersections, '─')
        .set_style(TableComponent::LeftHeaderIntersection, '─')
        .set_style(TableComponent::RightHeaderIntersection, '─')
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().map(|s| s.to_string()));
    if let Some((w, _)) = terminal_width() {
        t.set_width(w);
    } else {
        t.set_width(120);
    }
    t
}

fn terminal_width() -> Option<(u16, u16)> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .map(|w| (w, 0))
}

/// Formats a utility or share to three decimals.
pub fn u3(x: f64) -> String {
    format!("{x:.3}")
}

/// Formats a count with thousands separators.
pub fn count(n: u128) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
