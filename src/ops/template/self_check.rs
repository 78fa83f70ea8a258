//! `risksheet new --edition self-check`: the self check 自社診断 as a sheet, in a new workbook
//! or added in place to an existing one (`--add-to`).
//!
//! The sheet holds the profile's 25 items (No, 区分, 診断内容), one answer column per site or
//! department (「回答」, or 「回答（本社）」「回答（工場）」 …) with its dropdown, and the points
//! and the result block, which are written by the same code as `fill` writes them on a user's
//! own self-check sheet (the sheet is found by meaning, as any user's): formulas with cached
//! values.
//!
//! Layout: title A1, a line of instructions A2, header row [`HEADER_ROW`], items from row
//! [`HEADER_ROW`] + 1; columns A No, B 区分, C 診断内容, D… the answers, then 点数, then the result
//! block two columns to the right.
//!
//! ```
//! use risksheet::ops::template::self_check::new_self_check;
//! use risksheet::profile::Profile;
//! let path = std::env::temp_dir().join("risksheet-doc-self-check.xlsx");
//! let s = new_self_check(&path, &Profile::builtin("ipa-3")?, risksheet::Lang::Ja, &[])?;
//! assert_eq!((s.items.len(), s.total, s.unanswered.len()), (25, 0.0, 25));
//! # std::fs::remove_file(&path)?;
//! # Ok::<(), risksheet::Error>(())
//! ```
use crate::error::{Error, ErrorKind, Lang, Result};
use crate::lang::Message;
use crate::ops::ipa::infer::{self, Overrides, Role};
use crate::ops::ipa::layout::{Grid, Grids};
use crate::ops::self_check::SelfCheckResult;
use crate::profile::{Profile, SelfCheckRule};
use crate::xlsx::{CellRef, NewSheet, Workbook};
use std::path::Path;

/// The header row.
pub const HEADER_ROW: u32 = 4;

fn rule(p: &Profile) -> Result<&SelfCheckRule> {
    p.self_check.as_ref().ok_or_else(|| {
        Error::new(ErrorKind::Profile(Message::new(
            format!("プロファイル {} に [self_check] がありません", p.id),
            format!("profile {} has no [self_check]", p.id),
        )))
    })
}

/// The sheet's name in `wl`.
pub fn sheet_name(p: &Profile, wl: Lang) -> String {
    p.headers.sheets.self_check.as_ref().map_or_else(|| wl.pick("自社診断", "Self check").to_string(), |h| h.text_in(wl).to_string())
}

/// Column widths: No, 区分, 診断内容, the answers, 点数, a gap, the result block.
/// 121 characters for one site: printed on A4 landscape, one page wide, even the chart's 10 pt
/// labels at 8 pt (the chart stands below the result block, in its columns).
fn widths(sites: usize) -> Vec<f64> {
    let mut w = vec![5.0, 14.0, QUESTION_WIDTH];
    w.extend(std::iter::repeat_n(14.0, sites.max(1)));
    w.extend([6.0, 3.0, 18.0, 18.0, 7.0]);
    w
}

/// The width of the question column, in characters.
const QUESTION_WIDTH: f64 = 36.0;

/// Row heights: the header two lines, each item as many lines as its question wraps to in its
/// column (two at least).
fn heights(items: &[&str], wl: Lang) -> Vec<f64> {
    let line = if wl == Lang::Ja { 18.0 } else { 15.0 };
    let mut h = vec![0.0; HEADER_ROW as usize - 1];
    h.push(30.0);
    h.extend(items.iter().map(|q| (crate::text::wrapped_lines(q, QUESTION_WIDTH).max(2) as f64 * line + 4.0).max(30.0)));
    h
}

/// The questions in the order the sheet lists them (by part, then number).
fn questions(rule: &SelfCheckRule, wl: Lang) -> Vec<&str> {
    let mut items: Vec<_> = rule.items.iter().collect();
    items.sort_by_key(|i| (rule.parts.iter().position(|p| p.number == i.part), i.number));
    items.into_iter().map(|i| i.text_in(wl)).collect()
}

/// Writes the inputs of the self check on an empty sheet, then computes it as `fill` does.
fn write(wb: &mut Workbook, sheet: &str, p: &Profile, wl: Lang, sites: &[String]) -> Result<SelfCheckResult> {
    let rule = rule(p)?;
    let h = &p.headers.self_check;
    let header = wb.header_style()?;
    let body = wb.body_style()?;
    let set = |wb: &mut Workbook, r: u32, c: u32, v: crate::xlsx::CellValue| wb.set_value(sheet, CellRef::new(r, c), v);
    set(wb, 1, 1, wl.pick("5分でできる！情報セキュリティ自社診断", "Five-minute information security self check").into())?;
    let how = wl.pick(
        "各項目の回答欄で、実施状況を一覧から選んでください（複数の事業所・部署は列ごとに回答し、プロファイルの規則で集計します）。点数と結果は risksheet fill が計算します。",
        "Choose each item's answer from the list (several sites or departments answer in a column each, aggregated by the profile's rule). Points and results are computed by risksheet fill.",
    );
    set(wb, 2, 1, how.into())?;
    let answer = h.answer.text_in(wl);
    let mut heads = vec![h.no.text_in(wl).to_string(), h.part.text_in(wl).to_string(), h.question.text_in(wl).to_string()];
    if sites.is_empty() {
        heads.push(answer.to_string());
    } else {
        heads.extend(sites.iter().map(|s| match wl {
            Lang::Ja => format!("{answer}（{s}）"),
            Lang::En => format!("{answer} ({s})"),
        }));
    }
    for (c, t) in (1u32..).zip(&heads) {
        set(wb, HEADER_ROW, c, t.as_str().into())?;
        wb.set_style(sheet, CellRef::new(HEADER_ROW, c), header)?;
    }
    let mut items: Vec<_> = rule.items.iter().collect();
    items.sort_by_key(|i| (rule.parts.iter().position(|p| p.number == i.part), i.number));
    for (r, item) in (HEADER_ROW + 1..).zip(items) {
        let part = rule.part(item.part).map_or("", |x| x.name_in(wl));
        set(wb, r, 1, crate::xlsx::CellValue::Number(f64::from(item.number)))?;
        set(wb, r, 2, part.into())?;
        set(wb, r, 3, item.text_in(wl).into())?;
        for c in 1..=heads.len() as u32 {
            wb.set_style(sheet, CellRef::new(r, c), body)?;
        }
    }
    compute(wb, sheet, p)
}

/// Reads the self check on `sheet` by meaning, as `fill` reads a user's, and stages its
/// formulas.
fn compute(wb: &mut Workbook, sheet: &str, p: &Profile) -> Result<SelfCheckResult> {
    let mut grids = Grids::new();
    grids.insert(sheet.to_string(), Grid::read(wb, sheet)?);
    let inferred = infer::infer(&grids, p, &Overrides::default(), Lang::Ja)?;
    let (mut warnings, mut normalizations) = (Vec::new(), Vec::new());
    let found = inferred.table(Role::SelfCheck);
    let s = found.and_then(|f| crate::ops::self_check::read(&grids[sheet], f, p, Lang::Ja, &mut warnings, &mut normalizations));
    let s = s.ok_or_else(|| Error::corrupt("the self-check sheet written is not read back"))?;
    crate::ops::self_check::stage(wb, &s, p)?;
    Ok(s)
}

/// Writes a new workbook holding the self check sheet at `path` (sites: one answer column
/// each; none for a single 「回答」 column).
///
/// # Errors
///
/// [`ErrorKind::Profile`] when the profile has no `[self_check]`; [`ErrorKind::Io`] when the file
/// cannot be written.
pub fn new_self_check(path: impl AsRef<Path>, p: &Profile, wl: Lang, sites: &[String]) -> Result<SelfCheckResult> {
    let path = path.as_ref();
    let name = sheet_name(p, wl);
    let mut sheet = crate::xlsx::new_book::Sheet::new(true);
    for (c, w) in (1u32..).zip(widths(sites.len())) {
        sheet.width(c, w);
    }
    for (r, h) in (1u32..).zip(heights(&questions(rule(p)?, wl), wl)).filter(|(_, h)| *h > 0.0) {
        sheet.height(r, h);
    }
    sheet.freeze(HEADER_ROW, 0);
    sheet.selected = true;
    let bytes = crate::xlsx::new_book::package(&name, &[(name.clone(), sheet)], 0, wl)?;
    let mut wb = Workbook::from_bytes(path, bytes, &crate::xlsx::Limits::default())?;
    let s = write(&mut wb, &name, p, wl, sites)?;
    wb.save_as(path, &Default::default())?;
    Ok(s)
}

/// Adds the self check sheet to `wb` (in the workbook's language `wl`) and stages it; the
/// caller saves, in place. The sheet takes the name 「自社診断」, or 「自社診断 (2)」 … when the
/// workbook has a sheet of that name.
///
/// # Errors
///
/// [`ErrorKind::Profile`] when the profile has no `[self_check]`; [`ErrorKind::Usage`] when no
/// free sheet name is left.
pub fn add_self_check(wb: &mut Workbook, p: &Profile, wl: Lang, sites: &[String]) -> Result<SelfCheckResult> {
    let items = questions(rule(p)?, wl);
    let base = sheet_name(p, wl);
    let name = std::iter::once(base.clone())
        .chain((2..100).map(|n| format!("{base} ({n})")))
        .find(|n| wb.sheet_index(n).is_err())
        .ok_or_else(|| Error::usage(Message::new("自社診断シートの名前が空いていません", "no free name for the self-check sheet")).in_file(wb.path()))?;
    let layout =
        NewSheet { widths: widths(sites.len()), heights: heights(&items, wl), freeze_rows: HEADER_ROW, filter: None, landscape: true, page_breaks: vec![] };
    wb.add_sheet_with(&name, &layout)?;
    write(wb, &name, p, wl, sites)
}
