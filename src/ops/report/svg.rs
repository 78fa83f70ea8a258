//! The pictures of the HTML report, drawn as inline SVG (the page stays one file with no
//! external assets, and prints as sharply as its text): the risk map and the bars of the
//! implementation rate per area.
use crate::domain::risk::HeatMap;
use crate::error::Lang;
use crate::ops::looks;
use crate::profile::Profile;
use std::fmt::Write;

/// Text for SVG: the characters XML reads as markup escaped.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `#RRGGBB` of an ARGB colour the workbook uses (`FFFFC7CE` → `#FFC7CE`).
fn css_colour(argb: &str) -> String {
    format!("#{}", &argb[argb.len().saturating_sub(6)..])
}

/// The fill of a band's cells, as the ledger colours the band's label.
fn band_fill(profile: &Profile, band: Option<&crate::profile::RiskBand>) -> String {
    band.and_then(|b| looks::band_fill(profile, b)).map_or_else(|| "#ffffff".into(), |rgb| css_colour(&rgb))
}

/// The risk map: importance down the side (highest at the top), likelihood along the top, the
/// number of assets in each cell on the colour of its band, and a legend of the bands.
///
/// ```
/// use risksheet::domain::risk::HeatMap;
/// let p = risksheet::profile::Profile::builtin("ipa-3")?;
/// let svg = risksheet::ops::report::svg::heat_map(&HeatMap::new([(3, 3)], &p), &p, risksheet::Lang::En);
/// assert!(svg.starts_with("<svg") && svg.contains("#FFC7CE") && svg.contains(">1<"));
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn heat_map(map: &HeatMap, profile: &Profile, l: Lang) -> String {
    let (cell_w, cell_h, left, top) = (96, 40, 92, 52);
    let (cols, rows) = (map.likelihood.len(), map.importance.len());
    let legend_y = top + rows * cell_h + 24;
    let (width, height) = (left + cols * cell_w + 8, legend_y + 24);
    let mut s = String::new();
    let title = looks::heat_map_title(l);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="figure" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{}" font-size="12">"#,
        esc(title)
    );
    let _ = write!(s, r#"<text x="{}" y="14" text-anchor="middle">{}</text>"#, left + cols * cell_w / 2, esc(l.pick("被害発生可能性 →", "Likelihood →")));
    let _ = write!(s, r#"<text x="4" y="{}" >{}</text>"#, top - 8, esc(l.pick("重要度 ↓", "Importance ↓")));
    for (j, &lik) in map.likelihood.iter().enumerate() {
        let label = looks::likelihood_heading(profile, lik, l);
        let _ = write!(s, r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#, left + j * cell_w + cell_w / 2, top - 8, esc(&label));
    }
    for (i, &imp) in map.importance.iter().enumerate() {
        let y = top + i * cell_h;
        let _ = write!(s, r#"<text x="{}" y="{}" text-anchor="end">{imp}</text>"#, left - 10, y + cell_h / 2 + 4);
        for j in 0..cols {
            let x = left + j * cell_w;
            let fill = band_fill(profile, map.band(i, j, profile));
            let _ = write!(s, r##"<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="{fill}" stroke="#666"/>"##);
            let n = map.counts[i][j];
            let weight = if n > 0 { r#" font-weight="bold""# } else { "" };
            let _ = write!(s, r#"<text x="{}" y="{}" text-anchor="middle" font-size="16"{weight}>{n}</text>"#, x + cell_w / 2, y + cell_h / 2 + 6);
        }
    }
    // The legend: one swatch per band, highest first.
    let mut x = 4;
    for (b, label) in looks::band_legend(profile, l) {
        let _ = write!(s, r##"<rect x="{x}" y="{}" width="14" height="14" fill="{}" stroke="#666"/>"##, legend_y - 11, band_fill(profile, Some(b)));
        let _ = write!(s, r#"<text x="{}" y="{legend_y}">{}</text>"#, x + 20, esc(&label));
        x += 30 + crate::text::display_width(&label) * 7;
    }
    s += "</svg>";
    s
}

/// Horizontal bars of a rate (0–1) per named row; a row without a rate shows `missing` instead
/// of a bar (an area with nothing to count).
///
/// ```
/// let svg = risksheet::ops::report::svg::rate_bars("Rate", &[("Access".into(), Some(0.5)), ("Backup".into(), None)], "n/a");
/// assert!(svg.contains("50%") && svg.contains("n/a"));
/// ```
pub fn rate_bars(title: &str, rows: &[(String, Option<f64>)], missing: &str) -> String {
    let label_w = rows.iter().map(|(n, _)| crate::text::display_width(n)).max().unwrap_or(0).clamp(8, 48) * 7 + 12;
    let (bar_w, row_h, top) = (360, 22, 26);
    let (width, height) = (label_w + bar_w + 56, top + rows.len() * row_h + 22);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="figure" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{}" font-size="12">"#,
        esc(title)
    );
    let _ = write!(s, r#"<text x="{}" y="16" text-anchor="middle" font-weight="bold">{}</text>"#, label_w + bar_w / 2, esc(title));
    // Gridlines at every 25%.
    for k in 0..=4 {
        let x = label_w + bar_w * k / 4;
        let _ = write!(s, r##"<line x1="{x}" y1="{top}" x2="{x}" y2="{}" stroke="#ccc"/>"##, top + rows.len() * row_h);
        let _ = write!(s, r#"<text x="{x}" y="{}" text-anchor="middle" font-size="10">{}%</text>"#, top + rows.len() * row_h + 14, k * 25);
    }
    for (i, (name, rate)) in rows.iter().enumerate() {
        let y = top + i * row_h;
        let _ = write!(s, r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#, label_w - 8, y + 15, esc(name));
        match rate {
            Some(r) => {
                let w = (r.clamp(0.0, 1.0) * bar_w as f64).round() as usize;
                let _ = write!(s, r##"<rect x="{label_w}" y="{}" width="{w}" height="{}" fill="#4472C4"/>"##, y + 4, row_h - 8);
                // Rounded half up, as Excel's 0% format shows 62.5% (63%).
                let _ = write!(s, r#"<text x="{}" y="{}">{}%</text>"#, label_w + w + 4, y + 15, (r * 100.0).round());
            }
            None => {
                let _ = write!(s, r##"<text x="{}" y="{}" fill="#666">{}</text>"##, label_w + 4, y + 15, esc(missing));
            }
        }
    }
    s += "</svg>";
    s
}
