//! `fill` on a self-check sheet: the points of each item, the result block (subtotals per part,
//! total, band, advice, the items answered 分からない, the unanswered count) as formulas with
//! the values [`super::read`] computed cached, and a dropdown on every answer cell.
use super::{block_rows, SelfCheckResult};
use crate::error::{Lang, Result};
use crate::ops::ipa::fill::{add_uncovered, rel, runs};
use crate::profile::{Aggregate, Profile, SelfCheckRule};
use crate::xlsx::chart::{ChartKind, ChartSeries, ChartSpec, DataRef};
use crate::xlsx::validation::{DataValidation, Rule};
use crate::xlsx::{CellRef, CellValue, Range, SheetCell, Workbook};

/// The title of the result block (Japanese, English): how a later `fill` finds the block it
/// wrote and rewrites it in place.
pub const BLOCK_TITLE: (&str, &str) = ("自社診断の結果（risksheet fill が計算します）", "Self-check result (computed by risksheet fill)");

/// The name of the chart `fill` places below the result block (how a later `fill` finds it).
pub const CHART_NAME: &str = "risksheet:self-check:score-per-part";

/// A formula's string literal.
fn lit(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// How many of a row's answer cells hold `label`: `(E5="実施している")+(F5="実施している")`.
fn count(row: u32, cols: &[u32], label: &str) -> String {
    let terms: Vec<String> = cols.iter().map(|&c| format!("({}={})", rel(row, c), lit(label))).collect();
    if terms.len() == 1 {
        terms.join("")
    } else {
        format!("({})", terms.join("+"))
    }
}

/// The points formula of an item's row: the profile's aggregate of its answered columns.
fn points_formula(rule: &SelfCheckRule, row: u32, cols: &[u32], wl: Lang) -> String {
    let mut answers: Vec<_> = rule.answers.iter().collect();
    match rule.aggregate {
        Aggregate::Min => {
            // The lowest points answered anywhere: tested from the lowest up.
            answers.sort_by_key(|a| a.points);
            let mut f = "\"\"".to_string();
            for a in answers.iter().rev() {
                f = format!("IF({}>0,{},{f})", count(row, cols, a.label_in(wl)), a.points);
            }
            f
        }
        Aggregate::Mean => {
            let n = answers.iter().map(|a| count(row, cols, a.label_in(wl))).collect::<Vec<_>>().join("+");
            let sum = answers.iter().map(|a| format!("{}*{}", a.points, count(row, cols, a.label_in(wl)))).collect::<Vec<_>>().join("+");
            format!("IF(({n})=0,\"\",({sum})/({n}))")
        }
    }
}

fn number_or_blank(v: Option<f64>) -> CellValue {
    v.map_or(CellValue::Text(String::new()), CellValue::Number)
}

/// Stages every write of the self check on `wb`.
pub(crate) fn stage(wb: &mut Workbook, s: &SelfCheckResult, p: &Profile) -> Result<()> {
    let Some(rule) = &p.self_check else { return Ok(()) };
    let (sh, wl, place) = (s.sheet.as_str(), s.lang, &s.place);
    let header = wb.header_style()?;
    let body = wb.body_style()?;
    let h = &p.headers.self_check;
    if place.points_header {
        wb.set_value(sh, CellRef::new(place.header_row, place.points_col), h.points.text_in(wl).into())?;
        wb.set_style(sh, CellRef::new(place.header_row, place.points_col), header)?;
    }
    // Points per item.
    for item in &s.items {
        let f = points_formula(rule, item.row, &place.answer_cols, wl);
        wb.set_formula(sh, CellRef::new(item.row, place.points_col), &f, Some(number_or_blank(item.points)))?;
        if place.points_header {
            wb.set_style(sh, CellRef::new(item.row, place.points_col), body)?;
        }
    }
    // Dropdowns on the answer cells.
    let labels: Vec<String> = rule.answers.iter().map(|a| a.label_in(wl).to_string()).collect();
    let item_rows: Vec<u32> = {
        let mut r: Vec<u32> = s.items.iter().map(|i| i.row).collect();
        r.sort_unstable();
        r
    };
    let prompt = wl.pick("一覧から選んでください", "Choose from the list");
    for &c in &place.answer_cols {
        for (a, z) in runs(&item_rows) {
            add_uncovered(wb, sh, c, (a, z), |range| {
                DataValidation::new(range, Rule::List(labels.clone())).with_ime_mode("hiragana").with_prompt(h.answer.text_in(wl), prompt)
            })?;
        }
    }
    // The result block.
    let (top, col) = place.block;
    let pc = place.points_col;
    let set = |wb: &mut Workbook, r: u32, c: u32, v: CellValue| wb.set_value(sh, CellRef::new(r, c), v);
    set(wb, top, col, wl.pick(BLOCK_TITLE.0, BLOCK_TITLE.1).into())?;
    let heads = [h.part.text_in(wl), h.points.text_in(wl), wl.pick("満点", "Full marks")];
    for (i, t) in heads.iter().enumerate() {
        set(wb, top + 1, col + i as u32, (*t).into())?;
        wb.set_style(sh, CellRef::new(top + 1, col + i as u32), header)?;
    }
    let mut subtotal_cells = Vec::new();
    for (k, part) in s.parts.iter().enumerate() {
        let r = top + 2 + k as u32;
        let rows: Vec<u32> = {
            let mut v: Vec<u32> = s.items.iter().filter(|i| i.part == part.number).map(|i| i.row).collect();
            v.sort_unstable();
            v
        };
        let cells: Vec<String> = runs(&rows).iter().map(|&(a, z)| if a == z { rel(a, pc) } else { format!("{}:{}", rel(a, pc), rel(z, pc)) }).collect();
        let f = if cells.is_empty() { "0".to_string() } else { format!("SUM({})", cells.join(",")) };
        set(wb, r, col, part.name.as_str().into())?;
        wb.set_formula(sh, CellRef::new(r, col + 1), &f, Some(CellValue::Number(part.subtotal)))?;
        set(wb, r, col + 2, CellValue::Number(part.max))?;
        subtotal_cells.push(rel(r, col + 1));
    }
    let total_row = top + 2 + s.parts.len() as u32;
    set(wb, total_row, col, wl.pick("合計", "Total").into())?;
    let total_f = format!("SUM({})", subtotal_cells.join(","));
    wb.set_formula(sh, CellRef::new(total_row, col + 1), &total_f, Some(CellValue::Number(s.total)))?;
    set(wb, total_row, col + 2, CellValue::Number(f64::from(s.max_total)))?;
    // Band and advice: the highest band whose minimum the total reaches.
    let total = rel(total_row, col + 1);
    let mut bands: Vec<_> = rule.bands.iter().collect();
    bands.sort_by_key(|b| std::cmp::Reverse(b.min));
    let pick = |text: &dyn Fn(&crate::profile::ScoreBand) -> String| {
        let mut f = lit(&bands.last().map(|b| text(b)).unwrap_or_default());
        for b in bands.iter().rev().skip(1) {
            f = format!("IF({total}>={},{},{f})", b.min, lit(&text(b)));
        }
        f
    };
    set(wb, total_row + 1, col, wl.pick("判定", "Band").into())?;
    let band_f = pick(&|b| b.label_in(wl).to_string());
    wb.set_formula(sh, CellRef::new(total_row + 1, col + 1), &band_f, Some(CellValue::Text(s.band.clone().unwrap_or_default())))?;
    set(wb, total_row + 2, col, wl.pick("助言", "Advice").into())?;
    let advice_f = pick(&|b| b.advice_in(wl).to_string());
    wb.set_formula(sh, CellRef::new(total_row + 2, col + 1), &advice_f, Some(CellValue::Text(s.advice.clone().unwrap_or_default())))?;
    // The items answered 分からない in some column, by number.
    let sep = wl.pick("、", ", ");
    let unknown_label = rule.answers.iter().find(|a| a.unknown).map(|a| a.label_in(wl)).unwrap_or_default();
    set(wb, total_row + 3, col, format!("{}{}", unknown_label, wl.pick("の項目", " items")).into())?;
    let mut by_number: Vec<_> = s.items.iter().collect();
    by_number.sort_by_key(|i| i.number);
    let parts: Vec<String> =
        by_number.iter().map(|i| format!("IF({}>0,{},\"\")", count(i.row, &place.answer_cols, unknown_label), lit(&format!("{sep}{}", i.number)))).collect();
    let list_f = if parts.is_empty() { "\"\"".to_string() } else { format!("MID({},{},1000)", parts.join("&"), sep.chars().count() + 1) };
    let list: Vec<String> = s.unknown.iter().map(u32::to_string).collect();
    wb.set_formula(sh, CellRef::new(total_row + 3, col + 1), &list_f, Some(CellValue::Text(list.join(sep))))?;
    // Unanswered items: those whose points are blank (missing items are warnings of their own).
    set(wb, total_row + 4, col, wl.pick("未回答の項目数", "Unanswered items").into())?;
    let terms: Vec<String> = runs(&item_rows).iter().map(|&(a, z)| format!("SUMPRODUCT(--({}:{}=\"\"))", rel(a, pc), rel(z, pc))).collect();
    let unanswered_f = if terms.is_empty() { "0".to_string() } else { terms.join("+") };
    let unanswered = s.items.iter().filter(|i| i.points.is_none()).count();
    wb.set_formula(sh, CellRef::new(total_row + 4, col + 1), &unanswered_f, Some(CellValue::Number(unanswered as f64)))?;
    for r in top + 2..top + block_rows(s.parts.len()) {
        for c in col..col + 3 {
            wb.set_style(sh, CellRef::new(r, c), body)?;
        }
    }
    if !s.parts.is_empty() {
        wb.add_chart(sh, chart(s, top, col))?;
    }
    Ok(())
}

/// The chart of the score per part beside its full marks, below the result block.
fn chart(s: &SelfCheckResult, top: u32, col: u32) -> ChartSpec {
    let (wl, sh) = (s.lang, s.sheet.as_str());
    let (first, last) = (top + 2, top + 1 + s.parts.len() as u32);
    let column = |c: u32| DataRef::new(sh, Range::new(CellRef::new(first, c), CellRef::new(last, c)));
    let chart_top = top + block_rows(s.parts.len()) + 1;
    // In the block's three columns, so that the sheet prints one page wide at a readable size;
    // seven of the questions' tall rows (about 250 pt), so that it fits on a printed page.
    let anchor = Range::new(CellRef::new(chart_top, col), CellRef::new(chart_top + 7, col + 3));
    let mut spec = ChartSpec::new(ChartKind::Bar, CHART_NAME, wl.pick("区分ごとの点数", "Score per part"), column(col), anchor);
    // The score in blue, the full marks behind it in grey.
    for (c, colour) in [(col + 1, "4472C4"), (col + 2, "BFBFBF")] {
        let name = SheetCell { sheet: sh.to_string(), cell: CellRef::new(top + 1, c) };
        spec.series.push(ChartSeries { name: Some(name), values: column(c), colour: Some(colour.into()) });
    }
    spec.number_format = Some("0".into());
    spec.data_labels = true;
    spec
}
