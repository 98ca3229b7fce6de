//! A small SVG scatter chart for the Pareto frontier (two parties' utilities
//! on [0, 1] axes), used by the offline report. No fonts or scripts needed.

use std::fmt::Write;

/// A series of points drawn in one style.
pub(crate) struct Series<'a> {
    /// Legend label.
    pub label: &'a str,
    /// Fill colour (CSS).
    pub color: &'a str,
    /// Marker radius in pixels.
    pub radius: f64,
    /// `(x, y, tooltip)` in utility units.
    pub points: Vec<(f64, f64, String)>,
}

/// Escapes text for XML content and attributes.
pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A 480×400 scatter chart with axes from 0 to 1.
pub(crate) fn scatter(title: &str, x_label: &str, y_label: &str, series: &[Series<'_>]) -> String {
    let (w, h) = (480.0, 400.0);
    let (l, r, t, b) = (56.0, 150.0, 34.0, 48.0);
    let pw = w - l - r;
    let ph = h - t - b;
    let px = |x: f64| l + x.clamp(0.0, 1.0) * pw;
    let py = |y: f64| t + (1.0 - y.clamp(0.0, 1.0)) * ph;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}" font-family="sans-serif" font-size="11">"##,
        esc(title)
    );
    let _ = write!(s, r##"<rect width="{w}" height="{h}" fill="#fff"/>"##);
    let _ = write!(
        s,
        r##"<text x="{l}" y="20" font-size="13" font-weight="bold">{}</text>"##,
        esc(title)
    );
    for k in 0..=5 {
        let v = k as f64 / 5.0;
        let (x, y) = (px(v), py(v));
        let _ = write!(
            s,
            r##"<line x1="{x}" y1="{t}" x2="{x}" y2="{}" stroke="#e4e4e4"/><line x1="{l}" y1="{y}" x2="{}" y2="{y}" stroke="#e4e4e4"/>"##,
            t + ph,
            l + pw
        );
        let _ = write!(
            s,
            r##"<text x="{x}" y="{}" text-anchor="middle">{v:.1}</text><text x="{}" y="{}" text-anchor="end">{v:.1}</text>"##,
            t + ph + 14.0,
            l - 6.0,
            y + 4.0
        );
    }
    let _ = write!(
        s,
        r##"<rect x="{l}" y="{t}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>"##
    );
    let _ = write!(
        s,
        r##"<text x="{}" y="{}" text-anchor="middle">{}</text>"##,
        l + pw / 2.0,
        h - 10.0,
        esc(x_label)
    );
    let _ = write!(
        s,
        r##"<text transform="translate(16 {}) rotate(-90)" text-anchor="middle">{}</text>"##,
        t + ph / 2.0,
        esc(y_label)
    );
    for (i, se) in series.iter().enumerate() {
        let _ = write!(s, r##"<g class="series" fill="{}">"##, esc(se.color));
        for (x, y, tip) in &se.points {
            let _ = write!(
                s,
                r##"<circle cx="{:.2}" cy="{:.2}" r="{}" fill-opacity="0.85" stroke="#333" stroke-width="0.5"><title>{}</title></circle>"##,
                px(*x),
                py(*y),
                se.radius,
                esc(tip)
            );
        }
        s.push_str("</g>");
        let ly = t + 10.0 + 18.0 * i as f64;
        let _ = write!(
            s,
            r##"<circle cx="{}" cy="{ly}" r="5" fill="{}"/><text x="{}" y="{}">{} ({})</text>"##,
            l + pw + 14.0,
            esc(se.color),
            l + pw + 24.0,
            ly + 4.0,
            esc(se.label),
            se.points.len()
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_points_and_escapes_text() {
        let svg = scatter(
            "A & B",
            "u(A)",
            "u(B)",
            &[Series {
                label: "frontier",
                color: "#36c",
                radius: 4.0,
                points: vec![(0.0, 1.0, "<x>".into()), (1.0, 0.0, "y".into())],
            }],
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        // (0, 1) is the top-left corner of the plot area, (1, 0) the bottom-right.
        assert!(svg.contains(r#"cx="56.00" cy="34.00""#));
        assert!(svg.contains(r#"cx="330.00" cy="352.00""#));
        assert!(svg.contains("A &amp; B") && svg.contains("&lt;x&gt;"));
        assert_eq!(svg.matches("<circle").count(), 3);
    }
}
