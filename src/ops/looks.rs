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
