//! The 25-item self check (5分でできる！情報セキュリティ自社診断) in a workbook: read from a
//! self-check sheet found by meaning (item numbers, question texts, one or more answer columns,
//! see [`crate::ops::ipa::infer::Role::SelfCheck`]), scored with [`crate::domain::self_check`],
//! and written back by `fill` as formulas with cached values: the points of each item, the
//! subtotal of each part, the total out of 100, its band, its advice and the items answered
//! 分からない, with a dropdown on every answer cell.
//!
//! Several answer columns (one per site or department: 「回答（本社）」「回答（工場）」) are made
//! one by the profile's `[self_check] aggregate` rule (`min` or `mean`).
//!
//! ```no_run
//! let mut wb = risksheet::xlsx::Workbook::open("self-check.xlsx")?;
//! let a = risksheet::ops::ipa::analyze(&mut wb, None)?;
//! let s = a.self_check.as_ref().unwrap();
//! println!("{} / {} {:?} 分からない: {:?}", s.total, s.max_total, s.band, s.unknown);
//! # Ok::<(), risksheet::Error>(())
//! ```
mod write;

pub(crate) use write::stage;
pub use write::{BLOCK_TITLE, CHART_NAME};

use crate::domain::self_check::score;
use crate::error::Lang;
use crate::ops::ipa::infer::Found;
use crate::ops::ipa::layout::Grid;
use crate::ops::ipa::{input, Normalization, Warning};
use crate::profile::{Aggregate, Profile, SelfCheckAnswer};
use crate::xlsx::address::col_letters;
use crate::xlsx::CellValue;
use serde::Serialize;
use std::collections::BTreeMap;

/// One item of the self check as answered.
#[derive(Debug, Clone, Serialize)]
pub struct ItemResult {
    /// 1–25.
    pub number: u32,
    /// The part's number.
    pub part: u32,
    /// The sheet row.
    pub row: u32,
    /// The answers, one per answer column, in the workbook's language (empty: blank or unreadable).
    pub answers: Vec<String>,
    /// The answers joined (「実施している / 分からない」): what a person reads as the item's answer.
    pub answer: String,
    /// The item's points after aggregation; `None` when no column is answered.
    pub points: Option<f64>,
    /// The policy chapter that covers it (its title in the workbook's language).
    pub chapter: String,
}

/// One part's subtotal.
#[derive(Debug, Clone, Serialize)]
pub struct PartResult {
    /// 1–3.
    pub number: u32,
    /// The part's name in the workbook's language.
    pub name: String,
    /// Sum of its items' points.
    pub subtotal: f64,
    /// The most it can have.
    pub max: f64,
}

/// The self check read from a workbook and scored.
#[derive(Debug, Clone, Serialize)]
pub struct SelfCheckResult {
    /// The sheet.
    pub sheet: String,
    /// The language the sheet is written in.
    pub lang: Lang,
    /// How several answer columns were made one.
    pub aggregate: Aggregate,
    /// The answer columns' letters.
    pub answer_columns: Vec<String>,
    /// The items, by number.
    pub items: Vec<ItemResult>,
    /// Subtotals per part.
    pub parts: Vec<PartResult>,
    /// The total (an unanswered item counts 0).
    pub total: f64,
    /// The most the total can be (100).
    pub max_total: i32,
    /// The band of the total, in the workbook's language.
    pub band: Option<String>,
    /// What the band advises.
    pub advice: Option<String>,
    /// Items answered 分からない, by number.
    pub unknown: Vec<u32>,
    /// Items with no answer.
    pub unanswered: Vec<u32>,
    #[serde(skip)]
    pub(crate) place: Place,
}

impl SelfCheckResult {
    /// One line for people, in `l`: 「自社診断: 84 / 100 点（部分的に不十分）、分からない: 3、21」.
    ///
    /// ```no_run
    /// let mut wb = risksheet::xlsx::Workbook::open("self-check.xlsx")?;
    /// let a = risksheet::ops::ipa::analyze(&mut wb, None)?;
    /// println!("{}", a.self_check.as_ref().unwrap().line(risksheet::Lang::Ja));
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn line(&self, l: Lang) -> String {
        let total = crate::xlsx::value::format_number(self.total);
        let band = self.band.as_deref().unwrap_or("-");
        let sep = l.pick("、", ", ");
        let numbers = |v: &[u32]| v.iter().map(u32::to_string).collect::<Vec<_>>().join(sep);
        let mut s = match l {
            Lang::Ja => format!("自社診断（{}）: {total} / {} 点（{band}）", self.sheet, self.max_total),
            Lang::En => format!("self check ({}): {total} / {} ({band})", self.sheet, self.max_total),
        };
        if !self.unknown.is_empty() {
            s += &format!("{sep}{}: {}", l.pick("分からない", "don't know"), numbers(&self.unknown));
        }
        if !self.unanswered.is_empty() {
            s += &format!("{sep}{}: {}", l.pick("未回答", "unanswered"), numbers(&self.unanswered));
        }
        s
    }

    /// Items below full points (partly done, not done, unknown or unanswered), weakest first:
    /// what `report` lists with the chapter that covers each.
    ///
    /// ```no_run
    /// let mut wb = risksheet::xlsx::Workbook::open("self-check.xlsx")?;
    /// let a = risksheet::ops::ipa::analyze(&mut wb, None)?;
    /// for i in a.self_check.as_ref().unwrap().weak_items(4.0) {
    ///     println!("{} → {}", i.number, i.chapter);
    /// }
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn weak_items(&self, full: f64) -> Vec<&ItemResult> {
        let mut weak: Vec<&ItemResult> = self.items.iter().filter(|i| i.points.is_none_or(|p| p < full)).collect();
        weak.sort_by(|a, b| a.points.unwrap_or(f64::NEG_INFINITY).total_cmp(&b.points.unwrap_or(f64::NEG_INFINITY)).then(a.number.cmp(&b.number)));
        weak
    }
}

/// Where the self check is on its sheet and where `fill` writes.
#[derive(Debug, Clone, Default)]
pub(crate) struct Place {
    /// The header's field row.
    pub(crate) header_row: u32,
    /// The answer columns.
    pub(crate) answer_cols: Vec<u32>,
    /// The points column, and whether its header is to be written (a column `fill` adds).
    pub(crate) points_col: u32,
    pub(crate) points_header: bool,
    /// The top-left cell of the result block.
    pub(crate) block: (u32, u32),
}

/// Rows the result block takes (title, header, parts, total, band, advice, unknown, unanswered).
fn block_rows(parts: usize) -> u32 {
    parts as u32 + 7
}

/// Reads and scores the self check of a found table. `None` when the table is not a self check
/// after all (fewer than half of the items numbered, or numbers of another list), or has no
/// answer column. Cells written in another form than the dropdown's (「○」, 「一部」) become
/// normalisations; unreadable answers and missing or repeated items become warnings, in `l`.
pub(crate) fn read(
    grid: &Grid,
    found: &Found,
    p: &Profile,
    l: Lang,
    warnings: &mut Vec<Warning>,
    normalizations: &mut Vec<Normalization>,
) -> Option<SelfCheckResult> {
    let rule = p.self_check.as_ref()?;
    let h = &p.headers.self_check;
    let no_col = found.columns.get("no")?;
    let warn = |warnings: &mut Vec<Warning>, row: u32, col: u32, message: crate::lang::Message| {
        let cell = if row == 0 { String::new() } else { format!("{}{row}", col_letters(col)) };
        warnings.push(Warning { sheet: grid.sheet.clone(), cell, message: message.get(l).to_string() })
    };
    // The items by number; numbers of another list mean another table.
    let mut rows: BTreeMap<u32, u32> = BTreeMap::new();
    let mut foreign = 0;
    for r in found.first_row..=grid.max_row {
        let Some(n) = crate::domain::cell::leading_number(input(grid.own_value(r, no_col))) else { continue };
        if rule.item(n).is_none() {
            foreign += 1;
            continue;
        }
        if rows.contains_key(&n) {
            let m =
                crate::lang::Message::new(format!("項目 {n} が2回あります（最初の行を読みます）"), format!("item {n} appears twice (the first row is read)"));
            warn(warnings, r, no_col, m);
            continue;
        }
        rows.insert(n, r);
    }
    let named = p.headers.sheets.self_check.as_ref().is_some_and(|hd| hd.matches(&grid.sheet));
    if rows.len() * 2 < rule.items.len() || foreign > 3 {
        if named {
            let m = crate::lang::Message::new(
                format!("自社診断の表として読めません（1〜{} の項目番号が {} 個）", rule.items.len(), rows.len()),
                format!("not read as the self check ({} of the item numbers 1–{} found)", rows.len(), rule.items.len()),
            );
            warn(warnings, 0, 0, m);
        }
        return None;
    }
    // The workbook's language: English headers (a sheet made with --book-lang en).
    let key = |s: &str| crate::text::header_key(s).0;
    let english = ["question", "answer"].iter().any(|f| {
        let header = if *f == "question" { &h.question } else { &h.answer };
        found.evidence.iter().any(|e| e.field == *f && !header.text_en.is_empty() && key(&e.header) == key(&header.text_en))
    });
    let wl = if english { Lang::En } else { Lang::Ja };
    let last_row = rows.values().copied().max().unwrap_or(found.first_row);
    let answer_cols = answer_columns(grid, found, p, &rows);
    if answer_cols.is_empty() {
        return None;
    }
    // Each item's answers.
    let mut answered: Vec<(u32, Vec<Option<&SelfCheckAnswer>>)> = Vec::new();
    let mut texts: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (&n, &r) in &rows {
        let mut given = Vec::new();
        let mut words = Vec::new();
        for &c in &answer_cols {
            let v = grid.own_value(r, c);
            let t = v.to_string();
            if v.is_blank() || t.trim().is_empty() {
                given.push(None);
                words.push(String::new());
                continue;
            }
            match rule.answer(&t) {
                Some(a) => {
                    let label = a.label_in(wl);
                    if t != label {
                        normalizations.push(Normalization {
                            sheet: grid.sheet.clone(),
                            row: r,
                            col: c,
                            from: t.clone(),
                            to: CellValue::Text(label.to_string()),
                        });
                    }
                    given.push(Some(a));
                    words.push(label.to_string());
                }
                None => {
                    let choices: Vec<&str> = rule.answers.iter().map(|a| a.label_in(l)).collect();
                    let m = crate::lang::Message::new(
                        format!("「{}」は自社診断の回答として読めません（{}）", crate::error::shown(&t), choices.join("／")),
                        format!("“{}” is no answer of the self check ({})", crate::error::shown(&t), choices.join(" / ")),
                    );
                    warn(warnings, r, c, m);
                    given.push(None);
                    words.push(String::new());
                }
            }
        }
        answered.push((n, given));
        texts.insert(n, words);
    }
    for i in rule.items.iter().filter(|i| !rows.contains_key(&i.number)) {
        let m =
            crate::lang::Message::new(format!("項目 {} がありません（0点として数えます）", i.number), format!("item {} is missing (counted as 0)", i.number));
        warn(warnings, 0, 0, m);
    }
    let s = score(rule, &answered);
    let items = rule
        .items
        .iter()
        .zip(&s.items)
        .filter_map(|(item, (_, points))| {
            let row = *rows.get(&item.number)?;
            let answers = texts.remove(&item.number).unwrap_or_default();
            let answer = answers.iter().filter(|a| !a.is_empty()).cloned().collect::<Vec<_>>().join(" / ");
            let chapter = p.find_chapter(&item.chapter).map_or(item.chapter.clone(), |c| c.title_in(wl).to_string());
            Some(ItemResult { number: item.number, part: item.part, row, answers, answer, points: *points, chapter })
        })
        .collect();
    let parts = s
        .parts
        .iter()
        .map(|ps| PartResult {
            number: ps.number,
            name: rule.part(ps.number).map_or(String::new(), |x| x.name_in(wl).to_string()),
            subtotal: ps.subtotal,
            max: ps.max,
        })
        .collect::<Vec<_>>();
    let (points_col, points_header) = match found.columns.get("points") {
        Some(c) => (c, false),
        None => (free_column(grid, found, &answer_cols, last_row), true),
    };
    let block = block_place(grid, found.top, points_col, parts.len());
    Some(SelfCheckResult {
        sheet: grid.sheet.clone(),
        lang: wl,
        aggregate: rule.aggregate,
        answer_columns: answer_cols.iter().map(|&c| col_letters(c)).collect(),
        items,
        parts,
        total: s.total,
        max_total: rule.max_total(),
        band: s.band.map(|b| b.label_in(wl).to_string()),
        advice: s.band.map(|b| b.advice_in(wl).to_string()),
        unknown: s.unknown,
        unanswered: s.unanswered,
        place: Place { header_row: found.bottom, answer_cols, points_col, points_header, block },
    })
}

/// The answer columns: the one the inference found, and every other column of the table whose
/// header reads as an answer (「回答（工場）」) or whose values are answers (a column headed by a
/// site's name).
fn answer_columns(grid: &Grid, found: &Found, p: &Profile, rows: &BTreeMap<u32, u32>) -> Vec<u32> {
    let rule = p.self_check.as_ref();
    let scorer = p.headers.self_check.answer.scorer();
    let others: Vec<u32> = ["no", "part", "question", "points"].iter().filter_map(|f| found.columns.get(f)).collect();
    let mut cols: Vec<u32> = found.columns.get("answer").into_iter().collect();
    for c in 1..=grid.max_col.min(200) {
        if cols.contains(&c) || others.contains(&c) {
            continue;
        }
        let headed = (found.top..=found.bottom).any(|r| scorer.score(&grid.text(r, c)) >= 0.75);
        let values: Vec<String> = rows.values().map(|&r| grid.own_value(r, c).to_string()).filter(|t| !t.trim().is_empty()).collect();
        let ok = values.iter().filter(|t| rule.is_some_and(|x| x.answer(t).is_some())).count();
        let by_values = values.len() >= 3 && ok * 10 >= values.len() * 9;
        if (headed && ok * 2 >= values.len()) || by_values {
            cols.push(c);
        }
    }
    cols.sort_unstable();
    cols
}

/// A column right of the table with nothing in it from the header to the last item: where
/// `fill` adds 点数 when the sheet has no such column.
fn free_column(grid: &Grid, found: &Found, answer_cols: &[u32], last_row: u32) -> u32 {
    let right = found.columns.letters().filter_map(|(f, _)| found.columns.get(f)).chain(answer_cols.iter().copied()).max().unwrap_or(1);
    (right + 1..).find(|&c| (found.top..=last_row).all(|r| grid.value(r, c).is_blank() && grid.merge_of(r, c).is_none())).unwrap_or(right + 1)
}

/// The result block's top-left cell: where an earlier `fill` wrote it (its title), else two
/// columns right of the points, moved right past anything the user has there.
fn block_place(grid: &Grid, top: u32, points_col: u32, parts: usize) -> (u32, u32) {
    for r in 1..=grid.max_row.min(top + 100) {
        for c in 1..=grid.max_col.min(300) {
            if let CellValue::Text(t) = grid.own_value(r, c) {
                if t == BLOCK_TITLE.0 || t == BLOCK_TITLE.1 {
                    return (r, c);
                }
            }
        }
    }
    let rows = top..top + block_rows(parts);
    let free = |c: u32| (c..c + 3).all(|cc| rows.clone().all(|r| grid.value(r, cc).is_blank() && grid.merge_of(r, cc).is_none()));
    let col = (points_col + 2..points_col + 200).find(|&c| free(c)).unwrap_or(points_col + 2);
    (top, col)
}
