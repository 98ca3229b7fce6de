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

/// The most markers one series draws: a 5,000-point frontier would
/// otherwise make a multi-megabyte SVG of markers hidden under each other.
pub(crate) const MAX_MARKERS: usize = 800;

/// Thins points (in pixels) to at most `max` markers: points falling in the
/// same square cell share one marker at the first one's place, with the
/// count. The cell starts below a pixel (nothing visible merges) and
/// doubles until the markers fit.
pub(crate) fn bin<'a>(
    points: &[(f64, f64, &'a str)],
    max: usize,
) -> Vec<(f64, f64, &'a str, usize)> {
    let mut cell = 0.5;
    loop {
        let mut seen: std::collections::HashMap<(i64, i64), usize> = Default::default();
        let mut out: Vec<(f64, f64, &str, usize)> = Vec::new();
        for &(x, y, tip) in points {
            let key = ((x / cell).floor() as i64, (y / cell).floor() as i64);
            match seen.get(&key) {
                Some(&k) => out[k].3 += 1,
                None => {
                    seen.insert(key, out.len());
                    out.push((x, y, tip, 1));
                }
            }
        }
        if out.len() <= max.max(1) {
            return out;
        }
        cell *= 2.0;
    }
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
        let placed: Vec<(f64, f64, &str)> = se
            .points
            .iter()
            .map(|(x, y, tip)| (px(*x), py(*y), tip.as_str()))
            .collect();
        for (x, y, tip, n) in bin(&placed, MAX_MARKERS) {
            let more = if n > 1 {
                format!(" (and {} more outcomes here)", n - 1)
            } else {
                String::new()
            };
            let _ = write!(
                s,
                r##"<circle cx="{x:.2}" cy="{y:.2}" r="{}" fill-opacity="0.85" stroke="#333" stroke-width="0.5"><title>{}{more}</title></circle>"##,
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

/// A 640×300 line chart of counts over labelled steps (the timeline):
/// `series` are `(label, colour, values)`, one value per label; the y axis
/// runs from 0 to the largest value. `marked` steps get a triangle (the
/// disputed events).
pub(crate) fn lines(
    title: &str,
    labels: &[String],
    series: &[(&str, &str, Vec<f64>)],
    marked: &[bool],
) -> String {
    let (w, h) = (640.0, 300.0);
    let (l, r, t, b) = (56.0, 190.0, 34.0, 70.0);
    let (pw, ph) = (w - l - r, h - t - b);
    let top = series
        .iter()
        .flat_map(|s| s.2.iter().copied())
        .fold(1.0_f64, f64::max);
    let n = labels.len().max(2) as f64 - 1.0;
    let px = |i: usize| l + pw * i as f64 / n;
    let py = |v: f64| t + ph * (1.0 - v.max(0.0) / top);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}" font-family="sans-serif" font-size="11"><rect width="{w}" height="{h}" fill="#fff"/><text x="{l}" y="20" font-size="13" font-weight="bold">{}</text>"##,
        esc(title),
        esc(title)
    );
    for k in 0..=4 {
        let v = top * k as f64 / 4.0;
        let y = py(v);
        let _ = write!(
            s,
            r##"<line x1="{l}" y1="{y:.2}" x2="{}" y2="{y:.2}" stroke="#e4e4e4"/><text x="{}" y="{:.2}" text-anchor="end">{}</text>"##,
            l + pw,
            l - 6.0,
            y + 4.0,
            (v * 10.0).round() / 10.0
        );
    }
    for (i, lab) in labels.iter().enumerate() {
        let x = px(i);
        let _ = write!(
            s,
            r##"<text transform="translate({x:.2} {}) rotate(30)" font-size="10">{}</text>"##,
            t + ph + 12.0,
            esc(lab)
        );
    }
    for (k, (label, color, vals)) in series.iter().enumerate() {
        let pts: Vec<String> = vals
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.2},{:.2}", px(i), py(*v)))
            .collect();
        let _ = write!(
            s,
            r##"<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>"##,
            pts.join(" "),
            esc(color)
        );
        for (i, v) in vals.iter().enumerate() {
            let (x, y) = (px(i), py(*v));
            if marked.get(i).copied().unwrap_or(false) {
                let _ = write!(
                    s,
                    r##"<path d="M{x:.2},{:.2} L{:.2},{:.2} L{:.2},{:.2} z" fill="{}"><title>{} (disputed): {v}</title></path>"##,
                    y - 6.0,
                    x - 6.0,
                    y + 5.0,
                    x + 6.0,
                    y + 5.0,
                    esc(color),
                    esc(label)
                );
            } else {
                let _ = write!(
                    s,
                    r##"<circle cx="{x:.2}" cy="{y:.2}" r="3" fill="{}"><title>{}: {v}</title></circle>"##,
                    esc(color),
                    esc(label)
                );
            }
        }
        let ly = t + 10.0 + 18.0 * k as f64;
        let _ = write!(
            s,
            r##"<line x1="{}" y1="{ly}" x2="{}" y2="{ly}" stroke="{}" stroke-width="2"/><text x="{}" y="{}">{}</text>"##,
            l + pw + 12.0,
            l + pw + 28.0,
            esc(color),
            l + pw + 34.0,
            ly + 4.0,
            esc(label)
        );
    }
    s.push_str("</svg>");
    s
}

/// One row of a band chart: a label, the 5/50/95% quantiles and the
/// point forecast (either may be missing).
pub(crate) type BandRow<'a> = (&'a str, Option<[f64; 3]>, Option<f64>);

/// A 300×(40 + 26 per row) chart of one issue's forecasts: per row a bar
/// from the 5% to the 95% quantile, a tick at the median and a dot at the
/// point forecast, on an axis from `lo` to `hi` (labelled by `ticks` when
/// given, one per whole number from `lo`).
pub(crate) fn bands(
    title: &str,
    lo: f64,
    hi: f64,
    rows: &[BandRow<'_>],
    ticks: &[String],
) -> String {
    let (l, r, t) = (90.0, 16.0, 28.0);
    let w = 300.0;
    let h = t + 26.0 * rows.len() as f64 + 26.0;
    let span = if hi > lo { hi - lo } else { 1.0 };
    let px = |v: f64| l + (w - l - r) * ((v - lo) / span).clamp(0.0, 1.0);
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}" font-family="sans-serif" font-size="10"><rect width="{w}" height="{h}" fill="#fff"/><text x="4" y="16" font-size="12" font-weight="bold">{}</text>"##,
        esc(title),
        esc(title)
    );
    let axis_y = t + 26.0 * rows.len() as f64 + 4.0;
    let _ = write!(
        s,
        r##"<line x1="{l}" y1="{axis_y}" x2="{}" y2="{axis_y}" stroke="#888"/>"##,
        w - r
    );
    let marks: Vec<(f64, String)> = if ticks.is_empty() {
        vec![(lo, fmt_tick(lo)), (hi, fmt_tick(hi))]
    } else {
        ticks
            .iter()
            .enumerate()
            .map(|(k, name)| (lo + k as f64, name.clone()))
            .collect()
    };
    // Long option names would overlap: then only the two ends are named
    // and the others are ticks with a tooltip.
    let crowded = marks.iter().map(|m| m.1.chars().count()).sum::<usize>() > 34;
    for (k, (v, name)) in marks.iter().enumerate() {
        if crowded && k > 0 && k + 1 < marks.len() {
            let _ = write!(
                s,
                r##"<line x1="{x:.2}" y1="{axis_y}" x2="{x:.2}" y2="{}" stroke="#888"><title>{}</title></line>"##,
                axis_y + 5.0,
                esc(name),
                x = px(*v)
            );
            continue;
        }
        let anchor = if k == 0 {
            "start"
        } else if k + 1 == marks.len() {
            "end"
        } else {
            "middle"
        };
        let _ = write!(
            s,
            r##"<text x="{:.2}" y="{}" text-anchor="{anchor}" fill="#555">{}</text>"##,
            px(*v),
            axis_y + 13.0,
            esc(name)
        );
    }
    for (k, (label, q, point)) in rows.iter().enumerate() {
        let y = t + 26.0 * k as f64;
        let _ = write!(
            s,
            r##"<text x="{}" y="{}" text-anchor="end">{}</text>"##,
            l - 6.0,
            y + 13.0,
            esc(label)
        );
        if let Some([p5, p50, p95]) = q {
            let _ = write!(
                s,
                r##"<rect x="{:.2}" y="{}" width="{:.2}" height="14" fill="#3366cc" fill-opacity="0.35" stroke="#3366cc"><title>5–95%: {} – {}</title></rect><rect x="{:.2}" y="{}" width="2" height="18" fill="#1a3d7c"/>"##,
                px(*p5),
                y + 3.0,
                (px(*p95) - px(*p5)).max(2.0),
                fmt_tick(*p5),
                fmt_tick(*p95),
                px(*p50) - 1.0,
                y + 1.0
            );
        }
        if let Some(v) = point {
            let _ = write!(
                s,
                r##"<circle cx="{:.2}" cy="{}" r="4" fill="#d62728"><title>forecast {}</title></circle>"##,
                px(*v),
                y + 10.0,
                fmt_tick(*v)
            );
        }
    }
    s.push_str("</svg>");
    s
}

/// A number for an axis or tooltip: whole numbers bare, others to two decimals.
fn fmt_tick(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round())
    } else {
        format!("{v:.2}")
    }
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

    #[test]
    fn lines_place_points_and_mark_steps() {
        let labels: Vec<String> = ["a", "b", "c"].iter().map(|x| x.to_string()).collect();
        let svg = lines(
            "t",
            &labels,
            &[("blocks", "#b00", vec![0.0, 2.0, 4.0])],
            &[false, true, false],
        );
        // x runs over 394 px in two steps; y from 0 (y = 230) to 4 (y = 34).
        assert!(
            svg.contains(r#"points="56.00,230.00 253.00,132.00 450.00,34.00""#),
            "{svg}"
        );
        assert_eq!(svg.matches("<path").count(), 1);
        assert!(svg.contains("blocks (disputed): 2"));
    }

    #[test]
    fn bands_place_quantiles_and_the_forecast() {
        let svg = bands(
            "years",
            0.0,
            10.0,
            &[("m", Some([2.0, 5.0, 8.0]), Some(5.0)), ("n", None, None)],
            &[],
        );
        // The axis runs over 194 px from x = 90: 2 → 128.8, 8 → 245.2.
        assert!(
            svg.contains(r#"<rect x="128.80" y="31" width="116.40""#),
            "{svg}"
        );
        assert!(svg.contains(r#"<circle cx="187.00" cy="38""#));
        assert_eq!(svg.matches("<circle").count(), 1);
        let opts = bands(
            "o",
            0.0,
            2.0,
            &[("m", None, Some(1.0))],
            &["a".into(), "b".into(), "c".into()],
        );
        assert!(opts.contains(r##"text-anchor="middle" fill="#555">b</text>"##));
        // Long names: the middle one becomes a tick with its name as a tooltip.
        let long: Vec<String> = ["first_option_name", "second_option_name", "third"]
            .iter()
            .map(|x| x.to_string())
            .collect();
        let crowded = bands("o", 0.0, 2.0, &[], &long);
        assert!(crowded.contains("<title>second_option_name</title>"));
        assert!(crowded.contains(">first_option_name</text>") && crowded.contains(">third</text>"));
    }

    #[test]
    fn thins_a_dense_series_and_keeps_counts() {
        // 5,000 points on a 100 × 50 grid of pixels: at most MAX_MARKERS
        // markers, and every point is counted in one of them.
        let pts: Vec<(f64, f64, &str)> = (0..5000)
            .map(|i| ((i % 100) as f64, (i / 100) as f64, "p"))
            .collect();
        let b = bin(&pts, MAX_MARKERS);
        assert!(b.len() <= MAX_MARKERS, "{}", b.len());
        assert_eq!(b.iter().map(|m| m.3).sum::<usize>(), 5000);
        // Cells of 4 px (2 px would leave 1,250 markers): the first marker
        // holds the 4 × 4 points of its cell.
        assert_eq!(b.len(), 25 * 13);
        assert_eq!(b[0], (0.0, 0.0, "p", 16));
        // Few points are drawn as they are.
        let few = bin(&pts[..10], MAX_MARKERS);
        assert_eq!(few.len(), 10);
        let data: Vec<(f64, f64, String)> = (0..5000)
            .map(|i| {
                (
                    (i % 100) as f64 / 100.0,
                    (i / 100) as f64 / 50.0,
                    "x".repeat(300),
                )
            })
            .collect();
        let svg = scatter(
            "t",
            "x",
            "y",
            &[Series {
                label: "many",
                color: "#000",
                radius: 2.0,
                points: data,
            }],
        );
        assert!(svg.len() < 400_000, "{} bytes", svg.len());
        assert!(svg.contains("many (5000)"));
    }
}
