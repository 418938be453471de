//! SVG line charts, written by hand: axes, ticks, gridlines, labels, a legend.

use std::fmt::Write;

/// One line of a chart.
pub struct Series {
    /// Legend text.
    pub label: String,
    /// Colour index (one colour per candidate).
    pub colour: usize,
    /// Dash-pattern index (one pattern per rule).
    pub dash: usize,
    /// (x, y) points, y a probability in 0..=1.
    pub points: Vec<(f64, f64)>,
}

/// A line chart with a probability y axis.
pub struct Chart {
    /// Title.
    pub title: String,
    /// A smaller line under the title.
    pub subtitle: String,
    /// The x axis's label.
    pub x_label: String,
    /// The y axis's label.
    pub y_label: String,
    /// The lines.
    pub series: Vec<Series>,
}

/// Colour-blind-safe palette (Okabe–Ito), one colour per candidate.
pub const COLOURS: [&str; 8] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];
const DASHES: [&str; 6] = ["", "8 4", "2 3", "10 3 2 3", "4 4", "1 2"];

/// `s` escaped for SVG text and attribute values.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// "Nice" tick positions covering `lo..=hi`.
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).max(1e-9);
    let raw = span / 6.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag);
    let start = (lo / step).ceil() * step;
    (0..).map(|i| ((start + step * i as f64) * 1e6).round() / 1e6).take_while(|v| *v <= hi + step * 1e-6).collect()
}

/// Renders the chart as a standalone SVG document.
pub fn line_chart(chart: &Chart) -> String {
    let (width, height) = (860.0, 520.0);
    let (left, right, top, bottom) = (70.0, 250.0, 70.0, 60.0);
    let (pw, ph) = (width - left - right, height - top - bottom);
    let xs = chart.series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    let (mut x0, mut x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
    if !x0.is_finite() {
        (x0, x1) = (0.0, 1.0);
    }
    if x1 <= x0 {
        x1 = x0 + 1.0;
    }
    // Start the axis at zero when the data start just above it.
    if x0 > 0.0 && x0 < 0.05 * (x1 - x0) {
        x0 = 0.0;
    }
    let px = |x: f64| left + (x - x0) / (x1 - x0) * pw;
    let py = |y: f64| top + (1.0 - y) * ph;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(s, r#"<text x="{left}" y="28" font-size="17" font-weight="bold">{}</text>"#, esc(&chart.title));
    let _ = writeln!(s, r##"<text x="{left}" y="48" fill="#555">{}</text>"##, esc(&chart.subtitle));
    // Gridlines and ticks.
    for t in ticks(0.0, 1.0) {
        let y = py(t);
        let _ = writeln!(s, r##"<line x1="{left}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/>"##, left + pw);
        let _ =
            writeln!(s, r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{:.0}%</text>"#, left - 6.0, y + 4.0, t * 100.0);
    }
    for t in ticks(x0, x1) {
        let x = px(t);
        let _ = writeln!(s, r##"<line x1="{x:.1}" x2="{x:.1}" y1="{top}" y2="{:.1}" stroke="#eee"/>"##, top + ph);
        let _ = writeln!(s, r#"<text x="{x:.1}" y="{:.1}" text-anchor="middle">{t}</text>"#, top + ph + 18.0);
    }
    let _ = writeln!(s, r##"<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>"##);
    let _ = writeln!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
        left + pw / 2.0,
        height - 16.0,
        esc(&chart.x_label)
    );
    let _ = writeln!(
        s,
        r#"<text transform="translate(18 {:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
        top + ph / 2.0,
        esc(&chart.y_label)
    );
    // Lines and legend.
    for (i, line) in chart.series.iter().enumerate() {
        let colour = COLOURS[line.colour % COLOURS.len()];
        let dash = DASHES[line.dash % DASHES.len()];
        let dash_attr = if dash.is_empty() { String::new() } else { format!(r#" stroke-dasharray="{dash}""#) };
        let pts: Vec<String> = line.points.iter().map(|&(x, y)| format!("{:.1},{:.1}", px(x), py(y))).collect();
        let _ = writeln!(
            s,
            r#"<polyline fill="none" stroke="{colour}" stroke-width="2"{dash_attr} points="{}"><title>{}</title></polyline>"#,
            pts.join(" "),
            esc(&line.label)
        );
        let ly = top + 8.0 + 20.0 * i as f64;
        let lx = left + pw + 16.0;
        let _ = writeln!(
            s,
            r#"<line x1="{lx}" x2="{:.1}" y1="{ly:.1}" y2="{ly:.1}" stroke="{colour}" stroke-width="2"{dash_attr}/>"#,
            lx + 30.0
        );
        let _ = writeln!(s, r#"<text x="{:.1}" y="{:.1}">{}</text>"#, lx + 36.0, ly + 4.0, esc(&line.label));
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_has_axes_legend_and_lines() {
        let chart = Chart {
            title: "T & co".into(),
            subtitle: "s".into(),
            x_label: "x".into(),
            y_label: "y".into(),
            series: vec![Series {
                label: "A — plurality".into(),
                colour: 0,
                dash: 1,
                points: vec![(0.0, 0.2), (10.0, 0.8)],
            }],
        };
        let svg = line_chart(&chart);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("T &amp; co"));
        assert!(svg.contains("<polyline"));
        assert!(svg.contains("100%"));
        assert!(svg.contains("A — plurality"));
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(0.0, 1.0), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(ticks(0.0, 20.0), vec![0.0, 5.0, 10.0, 15.0, 20.0]);
    }
}
