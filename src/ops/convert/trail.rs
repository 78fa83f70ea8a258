//! The trail sheet 「変換記録」 ("Conversion log"): one row per cell converted or listed for
//! review, in the workbook's language, laid out for an auditor (widths, wrapped cells, a styled
//! and frozen header, a filter, landscape print with the header on every page); a second run
//! appends below it and does not read again what it lists as converted.
use super::{Change, Pair, Status};
use crate::error::{Lang, Result};
use crate::xlsx::{CellRef, CellValue, NewSheet, Range, Workbook};
use std::collections::BTreeMap;

fn relation_text(pairs: &[Pair], lang: Lang) -> String {
    pairs.iter().map(|p| p.describe(lang)).collect::<Vec<_>>().join("; ")
}

fn trail_names(lang: Lang) -> (&'static str, [&'static str; 8]) {
    match lang {
        Lang::Ja => ("変換記録", ["シート", "セル", "変換前", "変換後", "対応（→2022）", "状態", "備考", "元の版"]),
        Lang::En => ("Conversion log", ["Sheet", "Cell", "Old text", "New text", "Pairs (→2022)", "Status", "Note", "Source edition"]),
    }
}

/// The language of a workbook's own text (sheet names and text cells): Japanese unless English
/// words outnumber Japanese text four to one (a Japanese company's sheet often quotes the
/// standard's English titles; ids alone count for neither).
pub(super) fn book_lang<'a>(texts: impl Iterator<Item = &'a str>) -> Lang {
    let (mut ja, mut en) = (0usize, 0usize);
    for t in texts {
        if t.chars().any(|c| matches!(c, '\u{3040}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}')) {
            ja += 1;
        } else if t.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w.len() >= 3) {
            en += 1;
        }
    }
    if en > ja * 4 {
        Lang::En
    } else {
        Lang::Ja
    }
}

pub(super) fn is_trail_sheet(name: &str) -> bool {
    name.starts_with("変換記録") || name.starts_with("Conversion log")
}

/// The cells an earlier run converted, as its trail lists them: (sheet, cell, text written).
pub(super) fn converted_before(wb: &mut Workbook) -> Result<std::collections::HashSet<(String, String, String)>> {
    let mut out = std::collections::HashSet::new();
    let Some(name) = wb.sheet_names().into_iter().find(|n| is_trail_sheet(n)) else { return Ok(out) };
    let mut rows: BTreeMap<u32, [String; 6]> = BTreeMap::new();
    for c in wb.cells(&name)? {
        if (1..=6).contains(&c.col) && c.row > 1 {
            rows.entry(c.row).or_default()[c.col as usize - 1] = c.value.to_string();
        }
    }
    for [sheet, cell, _, new, _, status] in rows.into_values() {
        if status == "変換" || status == "converted" {
            out.insert((sheet, cell, new));
        }
    }
    Ok(out)
}

/// The widest each trail column is made, in characters; longer text wraps. Together they keep
/// the printed trail at a readable size on A4 landscape, one page wide (LibreOffice prints a
/// 140-character table at about 80 %: 11 pt text at 8.8 pt).
const TRAIL_MAX_WIDTHS: [usize; 8] = [14, 8, 30, 30, 24, 8, 18, 8];
/// The height of one line of trail text, in points.
const TRAIL_LINE: f64 = 15.0;

/// Writes the trail of `changes` in `lang` (the workbook's): appended below an existing trail
/// sheet (rows it already lists for review are not repeated), or on a new one. Returns the
/// trail sheet's name when a row was written.
pub(super) fn write_trail(wb: &mut Workbook, changes: &[Change], lang: Lang) -> Result<Option<String>> {
    let existing = wb.sheet_names().into_iter().find(|n| is_trail_sheet(n));
    let (name, lang, mut row, listed) = match existing {
        Some(name) => {
            let cells = wb.cells(&name)?;
            let last = cells.iter().map(|c| c.row).max().unwrap_or(1);
            let at = |r: u32, col: u32| cells.iter().find(|c| c.row == r && c.col == col).map(|c| c.value.to_string()).unwrap_or_default();
            let listed: Vec<(String, String, String)> = (2..=last).map(|r| (at(r, 1), at(r, 2), at(r, 3))).collect();
            let lang = if name.starts_with("Conversion log") { Lang::En } else { Lang::Ja };
            (name, lang, last + 1, listed)
        }
        None => (trail_names(lang).0.to_string(), lang, 2, Vec::new()),
    };
    let new_rows: Vec<&Change> =
        changes.iter().filter(|ch| ch.status == Status::Converted || !listed.contains(&(ch.sheet.clone(), ch.cell.clone(), ch.old.clone()))).collect();
    if new_rows.is_empty() {
        return Ok(None);
    }
    let rows: Vec<[String; 8]> = new_rows
        .iter()
        .map(|ch| {
            let status = match ch.status {
                Status::Converted => lang.pick("変換", "converted"),
                Status::Review => lang.pick("要確認", "to review"),
            };
            let edition = ch.edition.map(|e| e.year().to_string()).unwrap_or_default();
            [
                ch.sheet.clone(),
                ch.cell.clone(),
                ch.old.clone(),
                ch.new.clone(),
                relation_text(&ch.pairs, lang),
                status.to_string(),
                ch.note_text.get(lang).to_string(),
                edition,
            ]
        })
        .collect();
    // A workbook without a (readable) styles part gets a plain trail rather than none.
    let (header, body) = match (wb.header_style(), wb.body_style()) {
        (Ok(h), Ok(b)) => (h, b),
        _ => (0, 0),
    };
    if !wb.sheet_names().contains(&name) {
        let heads = trail_names(lang).1;
        let last = CellRef::new(rows.len() as u32 + 1, heads.len() as u32);
        // Columns as wide as their longest line (CJK counts two), long text wrapped.
        let widths = (0..heads.len())
            .map(|i| {
                let lines = std::iter::once(heads[i]).chain(rows.iter().map(|r| r[i].as_str())).flat_map(str::lines);
                (lines.map(crate::text::display_width).max().unwrap_or(0) + 2).clamp(8, TRAIL_MAX_WIDTHS[i]) as f64
            })
            .collect::<Vec<f64>>();
        // Rows as tall as their most wrapped cell.
        let heights = std::iter::once(&heads.map(str::to_string))
            .chain(&rows)
            .map(|r| r.iter().zip(&widths).map(|(v, &w)| crate::text::wrapped_lines(v, w)).max().unwrap_or(1) as f64 * TRAIL_LINE + 3.0)
            .collect();
        let layout = NewSheet { widths, heights, freeze_rows: 1, filter: Some(Range::new(CellRef::new(1, 1), last)), landscape: true, page_breaks: vec![] };
        wb.add_sheet_with(&name, &layout)?;
        for (i, h) in heads.iter().enumerate() {
            let at = CellRef::new(1, i as u32 + 1);
            wb.set_value(&name, at, CellValue::Text(h.to_string()))?;
            wb.set_style(&name, at, header)?;
        }
    }
    for vals in &rows {
        for (i, v) in vals.iter().enumerate() {
            let at = CellRef::new(row, i as u32 + 1);
            if !v.is_empty() {
                wb.set_value(&name, at, CellValue::Text(v.clone()))?;
            }
            wb.set_style(&name, at, body)?;
        }
        row += 1;
    }
    Ok(Some(name))
}
