//! How the operations colour what they write: the look of the risk levels, shared by the IPA
//! template (`new`), `fill` on a user's ledger and the Statement of Applicability (`soa`).
//! The workbook layer (`xlsx`) only carries a [`Highlight`]; which colour means what is decided
//! here.
//!
//! ```
//! use risksheet::ops::looks::level_highlights;
//! let [high, medium, low] = level_highlights();
//! assert!(high.bold && !medium.bold && !low.bold);
//! assert_eq!(low.fill_rgb.as_deref(), Some("FFC6EFCE"));
//! ```
use crate::xlsx::conditional::Highlight;

/// The look of the three risk levels, highest first: red, yellow, green (Excel's own
/// 「濃い赤の文字、明るい赤の背景」 family of presets), indexed by the level the IPA labels
/// are given (0 for リスク大 and 可能性:高).
pub fn level_highlights() -> [Highlight; 3] {
    [
        Highlight { font_rgb: Some("FF9C0006".into()), fill_rgb: Some("FFFFC7CE".into()), bold: true },
        Highlight { font_rgb: Some("FF9C5700".into()), fill_rgb: Some("FFFFEB9C".into()), bold: false },
        Highlight { font_rgb: Some("FF006100".into()), fill_rgb: Some("FFC6EFCE".into()), bold: false },
    ]
}

/// The level (an index into [`level_highlights`]) of the `i`-th of `n` labels ordered highest
/// first: the first is red, the last green, any between yellow.
///
/// ```
/// use risksheet::ops::looks::level_of;
/// assert_eq!([0, 1, 2].map(|i| level_of(i, 3)), [0, 1, 2]);
/// assert_eq!([0, 1, 2, 3].map(|i| level_of(i, 4)), [0, 1, 1, 2]);
/// ```
pub fn level_of(i: usize, n: usize) -> usize {
    if i == 0 {
        0
    } else if i + 1 >= n {
        2
    } else {
        1
    }
}

/// The level of a risk band (an index into [`level_highlights`]): its place among the profile's
/// bands, highest first, as the ledger's リスク大/中/小 are coloured.
pub fn band_level(profile: &crate::profile::Profile, band: &crate::profile::RiskBand) -> usize {
    let mut mins: Vec<u32> = profile.risk.bands.iter().map(|b| b.min).collect();
    mins.sort_by_key(|&m| std::cmp::Reverse(m));
    level_of(mins.iter().position(|&m| m == band.min).unwrap_or(0), mins.len())
}

/// The fill (ARGB, as `FFFFC7CE`) of a risk band's cells on a risk map: its label's colour.
pub fn band_fill(profile: &crate::profile::Profile, band: &crate::profile::RiskBand) -> Option<String> {
    level_highlights()[band_level(profile, band)].fill_rgb.clone()
}

/// The risk map's title, on 集計 and in the report.
pub fn heat_map_title(l: crate::Lang) -> &'static str {
    l.pick("リスクマップ（資産の数）", "Risk map (number of assets)")
}

/// A risk map's column heading: the likelihood with its label (「2 可能性:中」).
pub fn likelihood_heading(profile: &crate::profile::Profile, likelihood: u8, l: crate::Lang) -> String {
    profile.likelihood.level(likelihood).map_or(likelihood.to_string(), |x| format!("{likelihood} {}", x.label_in(l)))
}

/// The bands highest first, each with its legend text (「リスク大 6〜9」).
///
/// ```
/// let p = risksheet::profile::Profile::builtin("ipa-3")?;
/// let legend: Vec<String> = risksheet::ops::looks::band_legend(&p, risksheet::Lang::Ja).into_iter().map(|(_, t)| t).collect();
/// assert_eq!(legend, ["リスク大 6〜9", "リスク中 4〜5", "リスク小 1〜3"]);
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn band_legend(profile: &crate::profile::Profile, l: crate::Lang) -> Vec<(&crate::profile::RiskBand, String)> {
    let mut bands: Vec<_> = profile.risk.bands.iter().collect();
    bands.sort_by_key(|b| std::cmp::Reverse(b.min));
    bands
        .into_iter()
        .map(|b| {
            let range = if b.min == b.max { b.min.to_string() } else { format!("{}{}{}", b.min, l.pick("〜", "–"), b.max) };
            (b, format!("{} {range}", b.label_in(l)))
        })
        .collect()
}
