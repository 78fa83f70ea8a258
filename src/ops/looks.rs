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
