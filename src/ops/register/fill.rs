//! `fill` on a risk register: the inventory's 重要度, each risk's 重要度 (looked up in the
//! inventory by 資産目録のNo), リスクレベル, 優先順位 and the second evaluation's リスクレベル as
//! Excel formulas with their cached values; dropdowns on the input columns that have none; and a
//! sheet 「リスク対応集計」 with the counts by priority before and after treatment and the plan's
//! progress (COUNTIF formulas), the figures a management review asks for.
//!
//! A formula checks its inputs as the rules do: a blank or unreadable input leaves the result
//! blank (an out-of-scale number is reported as a warning and left to the user).
use super::{Register, Risk};
use crate::error::{Lang, Result};
use crate::ops::ipa::infer::treatment_key;
use crate::ops::ipa::layout::{Grid, TableLayout};
use crate::ops::ipa::Analysis;
use crate::profile::{Profile, RegisterRule};
use crate::xlsx::address::{col_letters, quote_sheet_name, Range};
use crate::xlsx::chart::{ChartKind, ChartSeries, ChartSpec, DataRef};
use crate::xlsx::validation::{DataValidation, Rule};
use crate::xlsx::{CellRef, CellValue, NewSheet, SheetCell, Workbook};
use serde::Serialize;

/// Names of the summary sheet, Japanese then English; later ones when a user's sheet has the name.
const SUMMARY_NAMES: (&[&str], &[&str]) = (
    &["リスク対応集計", "リスク対応集計 (risksheet)", "リスク対応集計 (risksheet 2)"],
    &["Treatment summary", "Treatment summary (risksheet)", "Treatment summary (risksheet 2)"],
);
/// Its A1 title: how risksheet knows the sheet is its own.
const SUMMARY_TITLE: (&str, &str) =
    ("リスク対応の集計（risksheet fill が計算します。編集しないでください）", "Risk treatment summary (computed by risksheet fill; do not edit)");
/// Excel's limits on a formula: its length and a function's arguments.
const MAX_FORMULA_CHARS: usize = 8_000;
const MAX_FORMULA_ARGS: usize = 255;
/// Rows below the last risk that get formulas too, so that a risk typed later is computed.
const SPARE_ROWS: u32 = 20;

/// The name of the chart of the risks per priority on the summary sheet (how a later `fill` finds it).
pub const CHART_NAME: &str = "risksheet:register:risks-per-priority";

/// Whether a sheet's A1 is the register summary's title.
pub(crate) fn is_summary_title(a1: &str) -> bool {
    a1 == SUMMARY_TITLE.0 || a1 == SUMMARY_TITLE.1
}

/// What `fill` did on a register.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterFill {
    /// The register's sheet.
    pub sheet: String,
    /// Risks read.
    pub risks: usize,
    /// The summary sheet written.
    pub summary_sheet: String,
    /// The counts written there.
    pub summary: super::Summary,
}

fn rel(r: u32, c: u32) -> String {
    format!("{}{r}", col_letters(c))
}

fn abs_range(sheet: &str, c: u32, first: u32, last: u32) -> String {
    let letters = col_letters(c);
    format!("{}!${letters}${first}:${letters}${last}", quote_sheet_name(sheet))
}

fn num(v: Option<u32>) -> CellValue {
    v.map_or(CellValue::Text(String::new()), |n| CellValue::Number(f64::from(n)))
}

/// `IF(v="","",IF(v>=9,"1",IF(v>=6,"2",…)))`: the band of a level, highest first.
fn band_formula(v: &str, rule: &RegisterRule, wl: Lang) -> String {
    let mut bands: Vec<_> = rule.priorities.iter().collect();
    bands.sort_by_key(|b| std::cmp::Reverse(b.min));
    let mut f = format!("\"{}\"", bands.last().map_or("", |b| b.label_in(wl)));
    for b in bands.iter().rev().skip(1) {
        f = format!("IF({v}>={},\"{}\",{f})", b.min, b.label_in(wl));
    }
    format!("IF({v}=\"\",\"\",{f})")
}

/// `IF(OR(a="",b=""),"",a*b)`, wrapped in IFERROR so that a text where a number belongs leaves
/// the result blank, as the rules do.
fn product_formula(cells: &[String]) -> String {
    let blanks: Vec<String> = cells.iter().map(|c| format!("{c}=\"\"")).collect();
    format!("IFERROR(IF(OR({}),\"\",{}),\"\")", blanks.join(","), cells.join("*"))
}

/// The last row given formulas: the last item and a few more, and every row the sheet gives
/// dropdowns in the table's columns (a new register's 100 input rows).
fn last_row(wb: &mut Workbook, t: &TableLayout, last_item: Option<u32>) -> Result<u32> {
    let cols: Vec<u32> = t.columns.letters().filter_map(|(f, _)| t.col(f)).collect();
    let (lo, hi) = (cols.iter().min().copied().unwrap_or(1), cols.iter().max().copied().unwrap_or(1));
    let validated = wb
        .validation_ranges(&t.sheet)?
        .iter()
        .filter(|r| r.start.col <= hi && r.end.col >= lo && r.end.row >= t.first_row)
        .map(|r| r.end.row.min(t.first_row + 999))
        .max()
        .unwrap_or(t.first_row);
    Ok(last_item.map_or(t.first_row + SPARE_ROWS, |r| r + SPARE_ROWS).max(validated))
}

/// Writes a formula with its cached value unless the cell is the user's (a value that is no
/// result of ours: a note, a total) — rows without a risk get formulas only where empty.
fn put(wb: &mut Workbook, grid: &Grid, r: u32, c: u32, formula: &str, cached: CellValue, is_risk: bool) -> Result<()> {
    if !is_risk && !grid.own_value(r, c).is_blank() && !grid.uncomputed(r, c) {
        return Ok(());
    }
    wb.set_formula(&grid.sheet, CellRef::new(r, c), formula, Some(cached))
}

/// Stages the register's formulas, dropdowns and summary in `wb`.
///
/// # Errors
///
/// Those of the workbook edits ([`Workbook::set_formula`], [`Workbook::add_validation`]): a cell
/// inside an array formula, a sheet that cannot be added.
pub fn stage(wb: &mut Workbook, an: &Analysis, reg: &Register) -> Result<RegisterFill> {
    let p = &an.profile;
    let wl = an.lang;
    let Some(rule) = p.register.as_ref() else {
        return Ok(RegisterFill { sheet: reg.layout.sheet.clone(), risks: 0, summary_sheet: String::new(), summary: reg.summary.clone() });
    };
    write_inventory(wb, an, reg, rule)?;
    let (level_end, residual_end) = write_register(wb, an, reg, rule)?;
    add_validations(wb, p, reg, rule, wl, level_end)?;
    let summary_sheet = write_summary(wb, an, reg, rule, (level_end, residual_end))?;
    Ok(RegisterFill { sheet: reg.layout.sheet.clone(), risks: reg.risks.len(), summary_sheet, summary: reg.summary.clone() })
}

fn write_inventory(wb: &mut Workbook, an: &Analysis, reg: &Register, rule: &RegisterRule) -> Result<()> {
    let Some(t) = &reg.inventory_layout else { return Ok(()) };
    let (Some(ic), Some(c), Some(i), Some(a)) = (t.col("importance"), t.col("c"), t.col("i"), t.col("a")) else { return Ok(()) };
    let grid = &an.grids[&t.sheet];
    let cia = an.profile.cia;
    let last = last_row(wb, t, reg.inventory.last().map(|x| x.row))?;
    let by_row: std::collections::HashMap<u32, &super::InventoryAsset> = reg.inventory.iter().map(|x| (x.row, x)).collect();
    for r in t.first_row..=last {
        let asset = by_row.get(&r).copied();
        let cells = format!("{},{},{}", rel(r, c), rel(r, i), rel(r, a));
        let combined = match rule.importance {
            crate::profile::Combine::Max => format!("MAX({cells})"),
            crate::profile::Combine::Sum => format!("SUM({cells})"),
        };
        let f = format!("IF(OR(COUNT({cells})<3,MIN({cells})<{},MAX({cells})>{}),\"\",{combined})", cia.min, cia.max);
        put(wb, grid, r, ic, &f, num(asset.and_then(|x| x.importance)), asset.is_some())?;
    }
    Ok(())
}

/// Writes the register's computed columns; returns the last row of the first and second
/// evaluation's level ranges (for the summary's counts).
fn write_register(wb: &mut Workbook, an: &Analysis, reg: &Register, rule: &RegisterRule) -> Result<(u32, u32)> {
    let t = &reg.layout;
    let grid = &an.grids[&t.sheet];
    let wl = an.lang;
    let col = |f: &str| t.col(f);
    let Some(level_col) = col("level") else { return Ok((t.first_row, t.first_row)) };
    let last = last_row(wb, t, reg.risks.last().map(|x| x.row))?;
    let risks_by_row: std::collections::HashMap<u32, &Risk> = reg.risks.iter().map(|x| (x.row, x)).collect();
    // How each inventory No is stored (a number or a text), for the lookups' literals.
    let stored_as_number: std::collections::HashMap<String, bool> = reg
        .inventory_layout
        .as_ref()
        .and_then(|inv| inv.col("no").map(|c| (inv, c)))
        .map(|(inv, c)| {
            let g = &an.grids[&inv.sheet];
            reg.inventory.iter().map(|a| (super::read::no_key(&a.no), matches!(g.own_value(a.row, c), CellValue::Number(_)))).collect()
        })
        .unwrap_or_default();
    // The inventory's No and 重要度 columns, for the lookup.
    let lookup = reg.inventory_layout.as_ref().and_then(|inv| {
        let (no, imp) = (inv.col("no")?, inv.col("importance")?);
        let inv_last = reg.inventory.last().map_or(inv.first_row, |a| a.row).max(inv.first_row + SPARE_ROWS);
        Some((abs_range(&inv.sheet, no, inv.first_row, inv_last), abs_range(&inv.sheet, imp, inv.first_row, inv_last)))
    });
    for r in t.first_row..=last {
        let risk: Option<&Risk> = risks_by_row.get(&r).copied();
        let is_risk = risk.is_some();
        // 重要度 from the inventory, where the register names its assets by number.
        if let (Some(ic), Some(risk), Some((nos, imps))) = (col("importance"), risk, &lookup) {
            if risk.importance_from == Some(super::Source::Inventory) {
                // Each number as the inventory stores it (a number or a text), so MATCH finds it.
                let literal = |n: &str| {
                    if stored_as_number.get(n).copied().unwrap_or(false) {
                        n.to_string()
                    } else {
                        format!("\"{}\"", n.replace('"', "\"\""))
                    }
                };
                let one = |n: &str| format!("INDEX({imps},MATCH({},{nos},0))", literal(n));
                let f = match (risk.asset_nos.as_slice(), col("asset_no")) {
                    // One number in a cell of the same kind: follow the cell, as the user edits it.
                    ([n], Some(ac)) if matches!(grid.own_value(r, ac), CellValue::Number(_)) && !literal(n).starts_with('"') => {
                        format!("IFERROR(INDEX({imps},MATCH({},{nos},0)),\"\")", rel(r, ac))
                    }
                    ([n], _) => format!("IFERROR({},\"\")", one(n)),
                    (many, _) => format!("IFERROR(MAX({}),\"\")", many.iter().map(|n| one(n)).collect::<Vec<_>>().join(",")),
                };
                // Excel takes at most 255 arguments and 8,192 characters in a formula: a longer
                // list of assets is written as its value (the next fill computes it again).
                if f.len() > MAX_FORMULA_CHARS || risk.asset_nos.len() > MAX_FORMULA_ARGS {
                    wb.set_value(&grid.sheet, CellRef::new(r, ic), num(risk.importance))?;
                } else {
                    put(wb, grid, r, ic, &f, num(risk.importance), true)?;
                }
            }
        }
        // リスクレベル = 重要度 × factors.
        let factor_cells: Option<Vec<String>> = rule.factors.iter().map(|f| col(&f.key).map(|c| rel(r, c))).collect();
        if let (Some(ic), Some(fs)) = (col("importance"), factor_cells) {
            let cells: Vec<String> = std::iter::once(rel(r, ic)).chain(fs).collect();
            put(wb, grid, r, level_col, &product_formula(&cells), num(risk.and_then(|x| x.level)), is_risk)?;
        }
        if let Some(pc) = col("priority") {
            let cached = risk.and_then(|x| x.priority.clone()).unwrap_or_default();
            put(wb, grid, r, pc, &band_formula(&rel(r, level_col), rule, wl), CellValue::Text(cached), is_risk)?;
        }
        // 二次評価: its own 重要度, or the first one when left blank.
        let residual_factors: Option<Vec<String>> = rule.factors.iter().map(|f| col(&format!("residual_{}", f.key)).map(|c| rel(r, c))).collect();
        if let (Some(rl), Some(fs)) = (col("residual_level"), residual_factors) {
            let imp = match (col("residual_importance"), col("importance")) {
                (Some(ri), Some(ic)) => Some(format!("IF({a}=\"\",{b},{a})", a = rel(r, ri), b = rel(r, ic))),
                (Some(ri), None) => Some(rel(r, ri)),
                (None, Some(ic)) => Some(rel(r, ic)),
                (None, None) => None,
            };
            if let Some(imp) = imp {
                let blanks: Vec<String> = fs.iter().map(|c| format!("{c}=\"\"")).collect();
                let f = format!("IFERROR(IF(OR({imp}=\"\",{}),\"\",{imp}*{}),\"\")", blanks.join(","), fs.join("*"));
                put(wb, grid, r, rl, &f, num(risk.and_then(|x| x.residual_level)), is_risk)?;
            }
        }
    }
    Ok((last, last))
}

fn add_validations(wb: &mut Workbook, p: &Profile, reg: &Register, rule: &RegisterRule, wl: Lang, last: u32) -> Result<()> {
    let t = &reg.layout;
    let pick = wl.pick("一覧から選んでください", "Choose from the list");
    let add = |wb: &mut Workbook, sheet: &str, col: Option<u32>, first: u32, last: u32, rule: Rule, title: &str| -> Result<()> {
        let Some(col) = col else { return Ok(()) };
        let covered = wb.validation_ranges(sheet)?;
        let free: Vec<u32> = (first..=last).filter(|&r| !covered.iter().any(|c| c.contains(CellRef::new(r, col)))).collect();
        let mut start = 0;
        while start < free.len() {
            let mut end = start;
            while end + 1 < free.len() && free[end + 1] == free[end] + 1 {
                end += 1;
            }
            let range = Range::new(CellRef::new(free[start], col), CellRef::new(free[end], col));
            wb.add_validation(sheet, DataValidation::new(range, rule.clone()).with_prompt(title, pick))?;
            start = end + 1;
        }
        Ok(())
    };
    let words = |list: &[crate::profile::Choice]| Rule::List(list.iter().map(|c| c.label_in(wl).to_string()).collect());
    let values = |lo: u32, hi: u32| Rule::List((lo..=hi).map(|v| v.to_string()).collect());
    for f in &rule.factors {
        let name = f.header.text_in(wl);
        add(wb, &t.sheet, t.col(&f.key), t.first_row, last, values(u32::from(f.min), u32::from(f.max)), name)?;
        add(wb, &t.sheet, t.col(&format!("residual_{}", f.key)), t.first_row, last, values(u32::from(f.min), u32::from(f.max)), name)?;
    }
    let (lo, hi) = rule.importance_range(p.cia);
    if hi - lo < 20 {
        add(wb, &t.sheet, t.col("residual_importance"), t.first_row, last, values(lo, hi), p.headers.register.importance.text_in(wl))?;
    }
    for c in &rule.treatments {
        add(wb, &t.sheet, t.col(&treatment_key(c)), t.first_row, last, Rule::List(vec!["●".into()]), c.label_in(wl))?;
    }
    if rule.treatments.iter().all(|c| t.col(&treatment_key(c)).is_none()) {
        add(wb, &t.sheet, t.col("treatment"), t.first_row, last, words(&rule.treatments), p.headers.register.treatment_group.text_in(wl))?;
    }
    add(wb, &t.sheet, t.col("response"), t.first_row, last, words(&rule.responses), p.headers.register.response.text_in(wl))?;
    if let Some(pl) = &reg.plan_layout {
        let plan_last = reg.plan.last().map_or(pl.first_row, |x| x.row).max(pl.first_row + SPARE_ROWS);
        add(wb, &pl.sheet, pl.col("status"), pl.first_row, plan_last, words(&rule.statuses), p.headers.plan.status.text_in(wl))?;
    }
    if let Some(inv) = &reg.inventory_layout {
        let inv_last = reg.inventory.last().map_or(inv.first_row, |x| x.row).max(inv.first_row + SPARE_ROWS);
        for f in ["c", "i", "a"] {
            add(wb, &inv.sheet, inv.col(f), inv.first_row, inv_last, values(u32::from(p.cia.min), u32::from(p.cia.max)), p.cia.expected().get(wl))?;
        }
    }
    Ok(())
}

/// The summary sheet: counts by priority before and after treatment (COUNTIFS over the level
/// columns, by each band's range), risks above the 受容基準, and the plan's rows by status.
fn write_summary(wb: &mut Workbook, an: &Analysis, reg: &Register, rule: &RegisterRule, (last, residual_last): (u32, u32)) -> Result<String> {
    let wl = an.lang;
    let names = match wl {
        Lang::Ja => SUMMARY_NAMES.0,
        Lang::En => SUMMARY_NAMES.1,
    };
    // Landscape, one page wide: the chart right of the tables prints on the same page.
    let layout = NewSheet { widths: vec![34.0, 14.0, 14.0], heights: vec![], freeze_rows: 0, filter: None, landscape: true, page_breaks: vec![] };
    let sheet = crate::ops::ipa::fill::own_sheet(wb, names, &is_summary_title, Some(&layout))?;
    let header = wb.header_style()?;
    let body = wb.body_style()?;
    let percent = wb.percent_style()?;
    let t = &reg.layout;
    let s = sheet.as_str();
    let set = |wb: &mut Workbook, r: u32, c: u32, v: CellValue, style: Option<u32>| -> Result<()> {
        wb.set_value(s, CellRef::new(r, c), v)?;
        if let Some(st) = style {
            wb.set_style(s, CellRef::new(r, c), st)?;
        }
        Ok(())
    };
    set(wb, 1, 1, wl.pick(SUMMARY_TITLE.0, SUMMARY_TITLE.1).into(), None)?;
    let mut row = 3;
    for (i, h) in [wl.pick("優先順位", "Priority"), wl.pick("一次評価", "Before treatment"), wl.pick("二次評価", "After treatment")].iter().enumerate()
    {
        set(wb, row, i as u32 + 1, (*h).into(), Some(header))?;
    }
    let count = |col: Option<u32>, to: u32, b: &crate::profile::RiskBand| {
        col.map(|c| {
            let range = abs_range(&t.sheet, c, t.first_row, to);
            format!("COUNTIFS({range},\">={}\",{range},\"<={}\")", b.min, b.max)
        })
    };
    for (i, b) in rule.priorities.iter().enumerate() {
        row += 1;
        let name = reg.summary.by_priority.get(i).map_or_else(|| b.label_in(wl).to_string(), |x| x.0.clone());
        set(wb, row, 1, name.into(), Some(body))?;
        let before = reg.summary.by_priority.get(i).map_or(0, |x| x.1);
        let after = reg.summary.by_residual_priority.get(i).map_or(0, |x| x.1);
        for (c, f, v) in [(2, count(t.col("level"), last, b), before), (3, count(t.col("residual_level"), residual_last, b), after)] {
            match f {
                Some(f) => wb.set_formula(s, CellRef::new(row, c), &f, Some(CellValue::Number(v as f64)))?,
                None => wb.set_value(s, CellRef::new(row, c), CellValue::Number(v as f64))?,
            }
            wb.set_style(s, CellRef::new(row, c), body)?;
        }
    }
    row += 1;
    let n = |v: usize| CellValue::Number(v as f64);
    set(wb, row, 1, wl.pick("未評価（入力が足りないリスク）", "Not evaluated (inputs missing)").into(), Some(body))?;
    let unrated = reg.summary.by_priority.last().map_or(0, |x| x.1);
    let unrated_after = reg.summary.by_residual_priority.last().map_or(0, |x| x.1);
    set(wb, row, 2, n(unrated), Some(body))?;
    set(wb, row, 3, n(unrated_after), Some(body))?;
    row += 2;
    let facts = [
        (wl.pick("リスクの数", "Risks"), reg.summary.risks),
        (wl.pick("受容基準を超えるリスク", "Above the acceptance level"), reg.summary.above_acceptance),
        (wl.pick("うちリスク対応が未選択", "of which no treatment chosen"), reg.summary.untreated),
        (wl.pick("対応計画のないリスク対応", "Treatments without a plan row"), reg.summary.unplanned),
    ];
    for (label, v) in facts {
        set(wb, row, 1, label.into(), Some(body))?;
        set(wb, row, 2, n(v), Some(body))?;
        row += 1;
    }
    row += 1;
    set(wb, row, 1, wl.pick("リスク対応計画の進捗", "Treatment plan progress").into(), Some(header))?;
    set(wb, row, 2, wl.pick("行数", "Rows").into(), Some(header))?;
    let status_range = reg.plan_layout.as_ref().and_then(|pl| {
        let plan_last = reg.plan.last().map_or(pl.first_row, |x| x.row).max(pl.first_row + SPARE_ROWS);
        pl.col("status").map(|c| abs_range(&pl.sheet, c, pl.first_row, plan_last))
    });
    let first_status_row = row + 1;
    for (i, (label, v)) in reg.summary.plan.iter().enumerate() {
        row += 1;
        set(wb, row, 1, label.as_str().into(), Some(body))?;
        let word = rule.statuses.get(i).map(|w| w.label_in(wl).to_string());
        match (&status_range, word) {
            (Some(range), Some(w)) => wb.set_formula(s, CellRef::new(row, 2), &format!("COUNTIF({range},\"{}\")", w.replace('"', "\"\"")), Some(n(*v)))?,
            _ => wb.set_value(s, CellRef::new(row, 2), n(*v))?,
        }
        wb.set_style(s, CellRef::new(row, 2), body)?;
    }
    row += 1;
    set(wb, row, 1, wl.pick("完了率", "Finished").into(), Some(body))?;
    let done_rows: Vec<u32> = rule.statuses.iter().enumerate().filter(|(_, w)| w.done).map(|(i, _)| first_status_row + i as u32).collect();
    let total = format!("SUM(B{first_status_row}:B{})", row - 1);
    let done = done_rows.iter().map(|r| format!("B{r}")).collect::<Vec<_>>().join("+");
    let cached = reg.summary.plan_done.map_or(CellValue::Text(String::new()), CellValue::Number);
    let done = if done.is_empty() { "0".to_string() } else { done };
    wb.set_formula(s, CellRef::new(row, 2), &format!("IF({total}=0,\"\",({done})/{total})"), Some(cached))?;
    wb.set_style(s, CellRef::new(row, 2), percent)?;
    if !rule.priorities.is_empty() {
        let last = 3 + rule.priorities.len() as u32;
        let column = |c: u32| DataRef::new(s, Range::new(CellRef::new(4, c), CellRef::new(last, c)));
        let anchor = Range::new(CellRef::new(3, 5), CellRef::new(18, 12));
        let title = wl.pick("優先順位ごとのリスク数（リスク対応の前後）", "Risks per priority before and after treatment");
        let mut spec = ChartSpec::new(ChartKind::Column, CHART_NAME, title, column(1), anchor);
        for c in [2, 3] {
            spec.series.push(ChartSeries { name: Some(SheetCell { sheet: sheet.clone(), cell: CellRef::new(3, c) }), values: column(c), colour: None });
        }
        spec.number_format = Some("0".into());
        spec.min = Some(0.0);
        spec.data_labels = true;
        wb.add_chart(s, spec)?;
    }
    Ok(sheet)
}
