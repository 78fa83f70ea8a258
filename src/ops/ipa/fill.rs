//! `fill`: writes every computed cell of an IPA workbook in place, as real Excel formulas that
//! keep working after the user edits the inputs, each with the value the rules engine computed
//! as its cached value (LibreOffice shows cached values without recalculating).
//!
//! The per-medium and per-group figures live on a sheet 「集計」 that `fill` adds and rewrites;
//! the ledger, 脅威の状況 and 診断結果 look them up there, which keeps every formula short.
//!
//! ```no_run
//! let mut wb = risksheet::xlsx::Workbook::open("ledger.xlsx")?;
//! let summary = risksheet::ops::ipa::fill::fill(&mut wb, None)?;
//! println!("{} assets, {} warnings", summary.assets, summary.warnings.len());
//! wb.save()?;
//! # Ok::<(), risksheet::Error>(())
//! ```
use super::layout::LedgerLayout;
use super::ledger::LedgerField;
use super::{Analysis, Asset, Normalization, Warning};
use crate::domain::checklist::CheckAnswer;
use crate::error::{Lang, Result};
use crate::profile::{LabelledScale, Profile};
use crate::xlsx::address::{col_letters, quote_sheet_name, Range};
use crate::xlsx::chart::{ChartKind, ChartSeries, ChartSpec, DataRef};
use crate::xlsx::conditional::ConditionalFormat;
use crate::xlsx::validation::{DataValidation, Rule};
use crate::xlsx::value::format_number;
use crate::xlsx::workbook::fit_cell_text;
use crate::xlsx::XlsxError;
use crate::xlsx::{CellRef, CellValue, SheetCell, Workbook};
use serde::Serialize;
use summary::{summary_sheet, SummaryLayout};

mod summary;
pub(crate) use summary::{is_summary_title, own_sheet};
pub use summary::{RATE_CHART, SUMMARY_SHEET};

/// The heading of the reasons block on 診断結果 (Japanese, English).
pub(crate) const REASONS_HEADING: (&str, &str) = ("ポリシー選定の根拠（risksheet fill）", "Why these chapters (risksheet fill)");

/// Rows of the ledger given dropdowns below the header, at least.
const MIN_INPUT_ROWS: u32 = 100;

/// What `fill` did.
#[derive(Debug, Clone, Serialize)]
pub struct FillSummary {
    /// The profile used.
    pub edition: String,
    /// Assets on the main ledger.
    pub assets: usize,
    /// Assets in a high risk band.
    pub high_risk_assets: Vec<String>,
    /// The same assets as records (the Python module's `high_risk_assets`).
    #[serde(skip)]
    pub high_risk: Vec<super::Asset>,
    /// Chapters the company must write.
    pub chapters_selected: Vec<String>,
    /// Inputs rewritten in canonical form.
    pub normalized: Vec<String>,
    /// Assets without a risk value, counted by the first input they lack, in the order
    /// importance (C/I/A), medium, threat, vulnerability.
    pub not_evaluated: Vec<NotEvaluated>,
    /// Inputs that could not be used.
    pub warnings: Vec<Warning>,
    /// Company facts a chapter depends on that nobody answered (要確認; the chapter is counted
    /// as needed). They do not make the exit code 3: a fresh workbook has them all.
    pub facts_to_check: Vec<String>,
    /// What was computed on the risk register, when the workbook has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub register: Option<crate::ops::register::fill::RegisterFill>,
    /// The self check (自社診断), when the workbook has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub self_check: Option<crate::ops::self_check::SelfCheckResult>,
}

/// How many assets got no risk value for lack of one input (`missing`: `importance` when a
/// C/I/A value is blank, `medium`, `threat` when the medium's threat frequencies are not
/// chosen, `vulnerability` when its checklist items are not answered).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotEvaluated {
    /// The input lacking.
    pub missing: &'static str,
    /// How many assets lack it.
    pub assets: usize,
}

impl NotEvaluated {
    /// The count and why, in `lang`: 「3件は重要度が未入力（機密性・完全性・可用性）」.
    ///
    /// ```
    /// use risksheet::ops::ipa::fill::NotEvaluated;
    /// use risksheet::Lang;
    /// let n = NotEvaluated { missing: "importance", assets: 3 };
    /// assert_eq!(n.text(Lang::Ja), "3件は重要度が未入力（機密性・完全性・可用性）");
    /// assert_eq!(n.text(Lang::En), "3 without an importance (confidentiality, integrity, availability not all entered)");
    /// ```
    pub fn text(&self, lang: Lang) -> String {
        let n = self.assets;
        let (ja, en) = match self.missing {
            "importance" => ("重要度が未入力（機密性・完全性・可用性）", "without an importance (confidentiality, integrity, availability not all entered)"),
            "medium" => ("媒体・保存先が未入力", "without a medium or place of storage"),
            "threat" => ("媒体の脅威の発生頻度が未選択（脅威の状況）", "whose medium has no threat frequency chosen (threats sheet)"),
            _ => ("媒体の対策状況チェックが未回答", "whose medium's checklist items are not answered"),
        };
        match lang {
            Lang::Ja => format!("{n}件は{ja}"),
            Lang::En => format!("{n} {en}"),
        }
    }
}

/// Counts the assets without a risk value by the first input they lack.
fn not_evaluated(assets: &[super::Asset]) -> Vec<NotEvaluated> {
    let mut counts: Vec<NotEvaluated> =
        ["importance", "medium", "threat", "vulnerability"].iter().map(|&missing| NotEvaluated { missing, assets: 0 }).collect();
    for a in assets.iter().filter(|a| a.risk.is_none()) {
        let i = if a.importance.is_none() {
            0
        } else if a.medium_id.is_none() {
            1
        } else if a.threat.is_none() {
            2
        } else {
            3
        };
        counts[i].assets += 1;
    }
    counts.retain(|c| c.assets > 0);
    counts
}

/// Computes everything and stages the writes in `wb` (save it afterwards, or `preview`).
///
/// # Errors
///
/// As [`fill_with`].
pub fn fill(wb: &mut Workbook, profile: Option<&Profile>) -> Result<FillSummary> {
    fill_with(wb, &super::ReadOptions::with_profile(profile))
}

/// [`fill`] with explicit places and company facts ([`super::ReadOptions`]).
///
/// # Errors
///
/// Those of [`analyze_with`](super::analyze_with); [`XlsxError::ArrayFormula`] when a cell to write
/// lies inside an array formula; [`ErrorKind::Usage`](crate::ErrorKind::Usage) when the summary
/// sheet's names are taken by other sheets.
pub fn fill_with(wb: &mut Workbook, opts: &super::ReadOptions) -> Result<FillSummary> {
    let analysis = super::analyze_with(wb, opts)?;
    for Normalization { sheet, row, col, to, .. } in &analysis.normalizations {
        wb.set_value(sheet, CellRef::new(*row, *col), to.clone())?;
    }
    // A workbook of a register or a self check alone has no IPA tables to compute.
    let skipped = if analysis.layout.ledger.is_some() { stage(wb, &analysis)? } else { Vec::new() };
    let register = match &analysis.register {
        Some(r) => Some(crate::ops::register::fill::stage(wb, &analysis, r)?),
        None => None,
    };
    if let Some(s) = &analysis.self_check {
        crate::ops::self_check::stage(wb, s, &analysis.profile)?;
    }
    Ok(FillSummary {
        register,
        edition: analysis.edition.clone(),
        assets: analysis.assets.len(),
        high_risk_assets: analysis.assets.iter().filter(|a| a.high).map(|a| format!("{} ({})", a.name, a.band.clone().unwrap_or_default())).collect(),
        high_risk: analysis.assets.iter().filter(|a| a.high).cloned().collect(),
        chapters_selected: analysis
            .chapters
            .iter()
            .filter(|c| c.selected)
            .map(|c| format!("{} {}", c.number, c.title_in(&analysis.profile, opts.lang)))
            .collect(),
        normalized: analysis.normalizations.iter().map(|n| format!("{}!{}{}: 「{}」→「{}」", n.sheet, col_letters(n.col), n.row, n.from, n.to)).collect(),
        not_evaluated: not_evaluated(&analysis.assets),
        warnings: analysis.warnings.iter().cloned().chain(skipped).collect(),
        facts_to_check: analysis.facts.to_check(opts.lang),
        self_check: analysis.self_check.clone(),
    })
}

/// An absolute reference to a cell of another sheet: `集計!$B$4`.
fn abs(sheet: &str, row: u32, col: u32) -> String {
    format!("{}!${}${}", quote_sheet_name(sheet), col_letters(col), row)
}

/// A relative reference on the same sheet: `J5`.
pub(crate) fn rel(row: u32, col: u32) -> String {
    format!("{}{}", col_letters(col), row)
}

/// An array constant of texts: `{"a","b"}`.
fn text_array<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let v: Vec<String> = items.into_iter().map(|s| format!("\"{}\"", s.replace('"', "\"\""))).collect();
    format!("{{{}}}", v.join(","))
}

/// Labels of a scale in value order, in the workbook's language.
fn labels(scale: &LabelledScale, wl: Lang) -> Vec<&str> {
    let mut levels: Vec<_> = scale.levels.iter().collect();
    levels.sort_by_key(|l| l.value);
    levels.iter().map(|l| l.label_in(wl)).collect()
}

fn num(v: Option<impl Into<f64>>) -> CellValue {
    v.map_or(CellValue::Text(String::new()), |x| CellValue::Number(x.into()))
}

fn text(v: Option<&str>) -> CellValue {
    CellValue::Text(v.unwrap_or("").to_string())
}

/// Contiguous runs of rows: [5,6,7,9] → [(5,7),(9,9)].
pub(crate) fn runs(rows: &[u32]) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &r in rows {
        match out.last_mut() {
            Some(last) if last.1 + 1 == r => last.1 = r,
            _ => out.push((r, r)),
        }
    }
    out
}

/// Stages every write; returns warnings about cells it left alone.
fn stage(wb: &mut Workbook, an: &Analysis) -> Result<Vec<Warning>> {
    let sheet = summary_sheet(wb, an.lang, &an.profile)?;
    let s = SummaryLayout::write(wb, an, sheet)?;
    write_threat_status(wb, an, &s)?;
    let mut skipped = Vec::new();
    for (layout, assets) in &an.ledgers {
        skipped.extend(write_ledger(wb, &an.profile, layout, assets, &s, an)?);
        extend_table_look(wb, an, layout, assets)?;
    }
    skipped.extend(write_result(wb, an, &s)?);
    add_input_validations(wb, an)?;
    add_label_colours(wb, an)?;
    Ok(skipped)
}

/// 対策状況 on 脅威の状況: the medium's vulnerability label, once per block.
fn write_threat_status(wb: &mut Workbook, an: &Analysis, s: &SummaryLayout) -> Result<()> {
    let p = &an.profile;
    let (Some(sheet), Some(col)) = (&an.layout.sheets.threats, an.layout.threats.as_ref().and_then(|t| t.col("status"))) else {
        return Ok(());
    };
    let grid = &an.grids[sheet];
    let labels = labels(&p.vulnerability, an.lang);
    for b in &an.threat_blocks {
        let Some(&first) = b.rows.first() else { continue };
        let Some(i) = p.media.iter().position(|m| m.id == b.medium) else { continue };
        // The block's status cell is the top of its merged area, when merged.
        let row = grid.merge_of(first, col).map_or(first, |m| m.start.row);
        let v = abs(&s.sheet, s.medium_rows[i], 4);
        let f = format!("IF({v}=\"\",\"\",INDEX({},{v}-{}))", text_array(labels.iter().copied()), p.vulnerability.min as i32 - 1);
        let cached = an.media[i].vulnerability.and_then(|v| p.vulnerability.level(v)).map(|l| l.label_in(an.lang));
        wb.set_formula(sheet, CellRef::new(row, col), &f, Some(text(cached)))?;
    }
    Ok(())
}

/// The last row of a ledger's input range: the last asset, and at least 100 rows on the
/// company's own ledger (an example sheet keeps to its examples).
fn input_last_row(an: &Analysis, l: &LedgerLayout, assets: &[Asset]) -> u32 {
    let last = assets.last().map_or(l.first_row, |a| a.row);
    if an.layout.sheets.examples.contains(&l.sheet) {
        last
    } else {
        last.max(l.first_row + MIN_INPUT_ROWS - 1)
    }
}

/// Rows a user typed below the formatted part of a ledger (the template's 100 rows) take the
/// look of its last formatted row: each cell's style (borders, the grey of computed cells,
/// number formats), and the conditional colours drawn down over the rows `fill` gives formulas.
fn extend_table_look(wb: &mut Workbook, an: &Analysis, l: &LedgerLayout, assets: &[Asset]) -> Result<()> {
    let (Some((c0, c1)), Some(last_asset)) = (l.columns.span(), assets.iter().map(|a| a.row).max()) else { return Ok(()) };
    let grid = &an.grids[&l.sheet];
    let last = input_last_row(an, l, assets);
    let Some(look_end) = (l.first_row..=last).rev().find(|&r| (c0..=c1).any(|c| grid.style(r, c) != 0)) else { return Ok(()) };
    if last_asset <= look_end {
        return Ok(());
    }
    for r in look_end + 1..=last_asset {
        for c in c0..=c1 {
            let style = grid.style(look_end, c);
            if style != 0 {
                wb.set_style(&l.sheet, CellRef::new(r, c), style)?;
            }
        }
    }
    wb.extend_conditional_formats(&l.sheet, look_end, last, (c0, c1))
}

/// The computed columns of one ledger.
/// Writes the computed columns; returns the cells it had to leave (inside array formulas).
/// The formulas of a ledger's computed columns by column: (row, the formula text for the first
/// row of a run, the cached value).
type ColumnFormulas = std::collections::BTreeMap<u32, Vec<(u32, Option<String>, CellValue)>>;

fn write_ledger(wb: &mut Workbook, p: &Profile, l: &LedgerLayout, assets: &[Asset], s: &SummaryLayout, an: &Analysis) -> Result<Vec<Warning>> {
    let skipped = std::cell::RefCell::new(Vec::new());
    let h = &p.headers.ledger;
    // Without its medium or C/I/A column (not found, or doubtful and left to the user) a
    // ledger gets no formulas: they would compute from nothing, or from a guess.
    let needed = [("medium", &h.medium), ("c", &h.confidentiality), ("i", &h.integrity), ("a", &h.availability)];
    let unplaced: Vec<&str> = needed.iter().filter(|(f, _)| l.col(f).is_none()).map(|(_, hd)| hd.text_in(an.lang)).collect();
    if !unplaced.is_empty() {
        let doubtful = |f: &str| an.layout.ambiguities.iter().any(|x| x.sheet == l.sheet && x.field == f);
        let message = if needed.iter().any(|(f, _)| l.col(f).is_none() && doubtful(f)) {
            an.message_lang
                .pick("列が確かでないため、この台帳には数式を書き込みませんでした", "columns not certain: no formulas written on this ledger")
                .to_string()
        } else {
            format!(
                "{}: {}",
                an.message_lang.pick("列が見つからないため、この台帳には数式を書き込みませんでした", "columns not found, no formulas written on this ledger"),
                unplaced.join("、")
            )
        };
        return Ok(vec![Warning { sheet: l.sheet.clone(), cell: String::new(), message }]);
    }
    let (Some(medium), Some(c), Some(i), Some(a)) =
        (l.of(LedgerField::Medium), l.of(LedgerField::Confidentiality), l.of(LedgerField::Integrity), l.of(LedgerField::Availability))
    else {
        return Ok(Vec::new());
    };
    let grid = &an.grids[&l.sheet];
    let first_m = *s.medium_rows.first().unwrap_or(&1);
    let last_m = *s.medium_rows.last().unwrap_or(&1);
    let media_names = format!("{}:${}${}", abs(&s.sheet, first_m, 1), "A", last_m);
    let lookup = |col: u32| format!("{}:${}${}", abs(&s.sheet, first_m, col), col_letters(col), last_m);
    let lk = &p.likelihood;
    let matrix = format!("{{{}}}", lk.matrix.iter().map(|row| row.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(",")).collect::<Vec<_>>().join(";"));
    let mut lk_levels: Vec<_> = lk.levels.iter().collect();
    lk_levels.sort_by_key(|x| x.value);
    let wl = an.lang;
    let lk_labels = text_array(lk_levels.iter().map(|x| x.label_in(wl)));
    let mut bands: Vec<_> = p.risk.bands.iter().collect();
    bands.sort_by_key(|b| std::cmp::Reverse(b.min));
    // Every row of the input range gets formulas, so results appear as soon as the user types.
    let last = input_last_row(an, l, assets);
    // The asset of each row from the first to the last; rows without one get an empty asset.
    let blank = Asset::default();
    let mut row_assets: Vec<&Asset> = vec![&blank; (last + 1).saturating_sub(l.first_row) as usize];
    for a in assets.iter().filter(|a| (l.first_row..=last).contains(&a.row)) {
        row_assets[(a.row - l.first_row) as usize] = a;
    }
    let by_row = |r: u32| row_assets[(r - l.first_row) as usize];
    // The cells a formula row reads or writes.
    let computed: Vec<u32> = LedgerField::COMPUTED.iter().chain(&LedgerField::CIA).chain(&LedgerField::FLAGS).filter_map(|&f| l.of(f)).collect();
    // Formulas by column, top to bottom; written below as shared formulas, one group per run of
    // consecutive rows, as Excel stores a formula filled down.
    let columns: std::cell::RefCell<ColumnFormulas> = Default::default();
    // A row without an asset that holds something in those cells (a total, a note) is the
    // user's: formulas go only into empty rows, so every cached value is what they compute.
    let users_row = |r: u32| {
        let a = by_row(r);
        a.name.is_empty() && a.medium.is_none() && computed.iter().any(|&col| !grid.own_value(r, col).is_blank())
    };
    for r in l.first_row..=last {
        let asset = by_row(r);
        if users_row(r) {
            continue;
        }
        // Only the first row of a run needs its formula text: the rows below share it.
        let run_start = r == l.first_row || users_row(r - 1);
        let write = |col: Option<u32>, f: &dyn Fn() -> String, v: CellValue| -> Result<()> {
            let Some(col) = col else { return Ok(()) };
            columns.borrow_mut().entry(col).or_default().push((r, run_start.then(f), v));
            Ok(())
        };
        // The formula texts are built only for a run's first row (the closures below).
        let importance = || {
            let cia = format!("{},{},{}", rel(r, c), rel(r, i), rel(r, a));
            let base = format!("MAX({cia})");
            let valid = format!("OR(COUNT({cia})<3,MIN({cia})<{},MAX({cia})>{})", p.cia.min, p.cia.max);
            let flags: Vec<String> = match p.personal_info_level() {
                Some(_) => LedgerField::FLAGS.iter().filter_map(|&f| l.of(f)).map(|col| format!("{}=\"{}\"", rel(r, col), super::flag_text(wl))).collect(),
                None => Vec::new(),
            };
            let value = match p.personal_info_level() {
                Some(level) if !flags.is_empty() => format!("IF(OR({}),MAX({level},{base}),{base})", flags.join(",")),
                _ => base,
            };
            format!("IF({valid},\"\",{value})")
        };
        let imp_col = l.of(LedgerField::Importance);
        write(imp_col, &importance, num(asset.importance))?;
        let m = || rel(r, medium);
        let t_col = l.of(LedgerField::Threat);
        let v_col = l.of(LedgerField::Vulnerability);
        // 脅威 and 脆弱性 show their labels as IPA's 記入例 does: in a label cell beside the number
        // when the ledger has one, else in the cell itself (「3:通常の状態で発生する…」), which the
        // likelihood then reads back by its place in the labels.
        for (col, label_col, scale, summary_col, value) in
            [(t_col, l.col("threat_label"), &p.threat, 2, asset.threat), (v_col, l.col("vulnerability_label"), &p.vulnerability, 4, asset.vulnerability)]
        {
            let looked_up = || format!("INDEX({},MATCH({m},{media_names},0))", lookup(summary_col), m = m());
            let in_words = |x: &str| format!("INDEX({},{x}-{})", text_array(labels(scale, wl)), scale.min as i32 - 1);
            let label = value.and_then(|x| scale.level(x)).map(|x| x.label_in(wl));
            match (col, label_col) {
                (Some(c), Some(_)) => {
                    write(col, &|| format!("IF({m}=\"\",\"\",IFERROR({},\"\"))", looked_up(), m = m()), num(value))?;
                    write(label_col, &|| format!("IF({x}=\"\",\"\",{})", in_words(&rel(r, c)), x = rel(r, c)), text(label))?;
                }
                _ => write(col, &|| format!("IF({m}=\"\",\"\",IFERROR({},\"\"))", in_words(&looked_up()), m = m()), text(label))?,
            }
        }
        let (Some(tc), Some(vc)) = (t_col, v_col) else { continue };
        // The level a cell holds: its number, or the place of its label among the scale's.
        let level = |col: u32, label_col: Option<u32>, scale: &LabelledScale| match label_col {
            Some(_) => format!("{}-{}", rel(r, col), scale.min as i32 - 1),
            None => format!("MATCH({},{},0)", rel(r, col), text_array(labels(scale, wl))),
        };
        let (t_level, v_level) = (level(tc, l.col("threat_label"), &p.threat), level(vc, l.col("vulnerability_label"), &p.vulnerability));
        let lk_col = l.of(LedgerField::Likelihood);
        write(
            lk_col,
            &|| format!("IF(OR({t}=\"\",{v}=\"\"),\"\",INDEX({matrix},{t_level},{v_level}))", t = rel(r, tc), v = rel(r, vc)),
            num(asset.likelihood),
        )?;
        let Some(lc) = lk_col else { continue };
        let lk_label = asset.likelihood.and_then(|x| lk.level(x)).map(|x| x.label_in(wl));
        write(
            l.of(LedgerField::LikelihoodLabel),
            &|| format!("IF({lkr}=\"\",\"\",INDEX({lk_labels},{lkr}-{}))", lk.min as i32 - 1, lkr = rel(r, lc)),
            text(lk_label),
        )?;
        let Some(ic_) = imp_col else { continue };
        let risk_col = l.of(LedgerField::Risk);
        write(risk_col, &|| format!("IF(OR({imp}=\"\",{lkr}=\"\"),\"\",{imp}*{lkr})", imp = rel(r, ic_), lkr = rel(r, lc)), num(asset.risk))?;
        if let Some(rc) = risk_col {
            // Highest band first: IF(v>=6,"大",IF(v>=4,"中","小")).
            let band_f = || {
                let rv = rel(r, rc);
                let mut f = format!("\"{}\"", bands.last().map_or("", |b| b.label_in(wl)));
                for b in bands.iter().rev().skip(1) {
                    f = format!("IF({rv}>={},\"{}\",{f})", b.min, b.label_in(wl));
                }
                format!("IF({rv}=\"\",\"\",{f})")
            };
            write(l.of(LedgerField::RiskLabel), &band_f, text(asset.band.as_deref()))?;
        }
    }
    for (col, cells) in columns.into_inner() {
        let mut start = 0;
        while start < cells.len() {
            let mut end = start;
            while end + 1 < cells.len() && cells[end + 1].0 == cells[end].0 + 1 {
                end += 1;
            }
            let run = &cells[start..=end];
            let range = Range::new(CellRef::new(run[0].0, col), CellRef::new(run[run.len() - 1].0, col));
            let cached = run.iter().map(|x| Some(x.2.clone())).collect();
            let anchor = run[0].1.clone().unwrap_or_default();
            match wb.set_shared_formula(&l.sheet, range, &anchor, cached) {
                // A computed cell inside the user's array formula is left to it (and reported);
                // the run's other cells get their formulas one by one.
                Err(e) if matches!(e.kind, crate::error::ErrorKind::Xlsx(XlsxError::ArrayFormula { .. })) => {
                    for (r, _, v) in run {
                        let at = CellRef::new(*r, col);
                        let f = crate::xlsx::formula::shift(&anchor, (*r - run[0].0) as i64, 0);
                        match wb.set_formula(&l.sheet, at, &f, Some(v.clone())) {
                            Err(e) if matches!(e.kind, crate::error::ErrorKind::Xlsx(XlsxError::ArrayFormula { .. })) => {
                                skipped.borrow_mut().push(Warning { sheet: l.sheet.clone(), cell: at.to_string(), message: e.message(an.message_lang) });
                            }
                            other => other?,
                        }
                    }
                }
                other => other?,
            }
            start = end + 1;
        }
    }
    Ok(skipped.into_inner())
}

/// 診断結果: need, rate and decision per chapter, then the reasons for the selection.
fn write_result(wb: &mut Workbook, an: &Analysis, s: &SummaryLayout) -> Result<Vec<Warning>> {
    let p = &an.profile;
    let l = an.lang;
    let (Some(sheet), Some(t)) = (&an.layout.sheets.result, &an.layout.result) else { return Ok(Vec::new()) };
    let grid = &an.grids[sheet];
    let h = &p.headers.result;
    let chapter_col = t.need("chapter", &h.chapter)?;
    // The table's rows: from below the header to the first blank row.
    let mut rows = Vec::new();
    let mut r = t.first_row;
    while !grid.text(r, chapter_col).is_empty() {
        rows.push(r);
        r += 1;
    }
    let mut placed: Vec<(u32, usize)> = Vec::new();
    for &row in &rows {
        if let Some(ch) = p.find_chapter(&grid.text(row, chapter_col)) {
            if let Some(i) = p.chapters.iter().position(|c| c.number == ch.number && c.title == ch.title) {
                placed.push((row, i));
            }
        }
    }
    // Chapters the sheet lacks get rows below the table, styled like its last row — when those
    // rows are free; the user's own content there is never written over.
    let mut warnings = Vec::new();
    let missing: Vec<usize> = (0..p.chapters.len()).filter(|i| !placed.iter().any(|x| x.1 == *i)).collect();
    let table_cols: Vec<u32> = [Some(chapter_col), t.col("need"), t.col("rate"), t.col("decision")].into_iter().flatten().collect();
    let free = (r..r + missing.len() as u32 + 1).all(|row| table_cols.iter().all(|&c| grid.own_value(row, c).is_blank()));
    if !missing.is_empty() && !free {
        let names: Vec<String> = missing.iter().map(|&i| format!("{} {}", p.chapters[i].number, p.chapters[i].title_in(l))).collect();
        let message = format!(
            "{}: {}",
            l.pick("表の下に既存の内容があるため、次の章の行は追加しませんでした", "cells in use below the table: rows not added for"),
            names.join("、")
        );
        warnings.push(Warning { sheet: sheet.clone(), cell: CellRef::new(r, chapter_col).to_string(), message });
    }
    let mut next = r;
    for &i in missing.iter().filter(|_| free) {
        let ch = &p.chapters[i];
        wb.set_value(sheet, CellRef::new(next, chapter_col), format!("{} {}", ch.number, ch.title_in(l)).into())?;
        if let Some(&last) = rows.last() {
            for &col in &table_cols {
                wb.set_style(sheet, CellRef::new(next, col), grid.style(last, col))?;
            }
        }
        placed.push((next, i));
        next += 1;
    }
    write_facts_block(wb, an, grid, t.header_row, chapter_col, rows.first().copied())?;
    let na = p.result.not_applicable_in(l);
    let select = p.result.select_in(l);
    let ledger = an.ledgers.first().map(|x| &x.0);
    for &(row, i) in &placed {
        let ch = &p.chapters[i];
        let result = &an.chapters[i];
        if let Some(c) = t.col("need") {
            wb.set_value(sheet, CellRef::new(row, c), result.need.as_str().into())?;
        }
        let group_row = ch.group.as_ref().and_then(|g| p.checklist.groups.get_index_of(g)).map(|gi| s.group_rows[gi]);
        if let (Some(c), Some(gr)) = (t.col("rate"), group_row) {
            let cached = match an.groups.iter().find(|g| Some(&g.id) == ch.group.as_ref()) {
                Some(g) if g.rate.is_some() => CellValue::Number(g.rate.unwrap_or(0.0)),
                Some(g) if g.not_applicable => CellValue::Text(na.to_string()),
                _ => CellValue::Text(String::new()),
            };
            wb.set_formula(sheet, CellRef::new(row, c), &abs(&s.sheet, gr, s.rate_col), Some(cached))?;
            // An unformatted rate cell shows a percentage (the user's own format is kept).
            if grid.style(row, c) == 0 {
                let percent = wb.percent_style()?;
                wb.set_style(sheet, CellRef::new(row, c), percent)?;
            }
        }
        if let Some(c) = t.col("decision") {
            let mut not_applicable = Vec::new();
            if let Some(gr) = group_row {
                not_applicable.push(format!("{}=\"{na}\"", abs(&s.sheet, gr, s.rate_col)));
            }
            if ch.condition == crate::profile::Condition::LedgerHasMynumber {
                if let (Some(led), Some(mc)) = (ledger, ledger.and_then(|x| x.of(LedgerField::MyNumber))) {
                    let last = input_last_row(an, led, &an.assets);
                    not_applicable.push(format!("COUNTIF({}:${}${},\"{}\")=0", abs(&led.sheet, led.first_row, mc), col_letters(mc), last, super::flag_text(l)));
                }
            }
            // A chapter decided by a company fact refers to the fact's answer cell; a fact given
            // without a cell to hold it (no block) makes the decision a plain value.
            let mut plain = false;
            if let Some(key) = super::facts::FactKey::for_condition(ch.condition) {
                match an.facts.block.as_ref().and_then(|b| b.answer_cell(key).map(|(r, c)| abs(&b.sheet, r, c))) {
                    Some(cell) if key.is_count() => not_applicable.push(format!("AND(ISNUMBER({cell}),{cell}>=0,{cell}=INT({cell}),{cell}<2)")),
                    Some(cell) => not_applicable.push(format!("{cell}=\"{}\"", l.pick(super::facts::YES_NO[1].0, super::facts::YES_NO[1].1))),
                    None => plain = an.facts.get(key).is_some_and(|f| f.value.is_some()),
                }
            }
            let cached = CellValue::Text(if result.selected { select } else { na }.to_string());
            if not_applicable.is_empty() || plain {
                wb.set_value(sheet, CellRef::new(row, c), cached)?;
            } else {
                let f = format!("IF(OR({}),\"{na}\",\"{select}\")", not_applicable.join(","));
                wb.set_formula(sheet, CellRef::new(row, c), &f, Some(cached))?;
            }
        }
    }
    // The selection and its reasons, below the table after one blank row — unless the user has
    // something of their own there, which is never written over.
    let top = next + 1;
    let reason_col = t.col("need").unwrap_or(chapter_col + 1);
    let heading = l.pick(REASONS_HEADING.0, REASONS_HEADING.1);
    let ours = [REASONS_HEADING.0, REASONS_HEADING.1].contains(&grid.text(top, chapter_col).as_str());
    let occupied = (top..=top + an.chapters.len() as u32).any(|r| [chapter_col, reason_col].iter().any(|&c| !grid.own_value(r, c).is_blank()));
    if occupied && !ours {
        let message = l
            .pick("既存の内容があるため、ポリシー選定の根拠は書き込みませんでした", "cells in use: the reasons for the selection were not written")
            .to_string();
        warnings.push(Warning { sheet: sheet.clone(), cell: CellRef::new(top, chapter_col).to_string(), message });
        return Ok(warnings);
    }
    wb.set_value(sheet, CellRef::new(top, chapter_col), heading.into())?;
    for (k, c) in an.chapters.iter().enumerate() {
        let row = top + 1 + k as u32;
        wb.set_value(sheet, CellRef::new(row, chapter_col), format!("{} {}", c.number, c.title).into())?;
        let verdict = if c.selected { l.pick("策定する", "write") } else { na };
        // Long asset names could make the reasons longer than a cell holds: cut, and say so.
        let reasons = fit_cell_text(format!("{verdict}：{}", c.book_reasons.join("／")), l.pick("（長すぎるため以下省略）", " (cut: too long for a cell)"));
        wb.set_value(sheet, CellRef::new(row, reason_col), reasons.into())?;
    }
    Ok(warnings)
}

/// The 会社の状況 block: written beside the table when the workbook has none (`plan_block` found
/// the cells free), answers given by `--fact` or the profile written into their cells so that the
/// formulas and the cached decisions agree, and a dropdown (はい/いいえ; a whole number for the
/// employees) on every answer cell no validation covers yet.
fn write_facts_block(wb: &mut Workbook, an: &Analysis, grid: &super::layout::Grid, header_row: u32, chapter_col: u32, first_row: Option<u32>) -> Result<()> {
    use super::facts::{FactSource, ANSWER_HEADER, BLOCK_TITLE, YES_NO};
    let l = an.lang;
    let Some(b) = &an.facts.block else { return Ok(()) };
    let sheet = b.sheet.as_str();
    if b.new {
        let head_style = grid.style(header_row, chapter_col);
        let body_style = first_row.map_or(0, |r| grid.style(r, chapter_col));
        if let Some((r, c)) = b.title {
            wb.set_value(sheet, CellRef::new(r, c), l.pick(BLOCK_TITLE.0, BLOCK_TITLE.1).into())?;
            wb.set_value(sheet, CellRef::new(r, c + 1), l.pick(ANSWER_HEADER.0, ANSWER_HEADER.1).into())?;
            for col in [c, c + 1] {
                wb.set_style(sheet, CellRef::new(r, col), head_style)?;
            }
        }
        for &(key, r, lc, ac) in &b.rows {
            wb.set_value(sheet, CellRef::new(r, lc), key.label(l).into())?;
            wb.set_style(sheet, CellRef::new(r, lc), body_style)?;
            wb.set_style(sheet, CellRef::new(r, ac), body_style)?;
        }
    }
    let yes_no: Vec<String> = YES_NO.iter().map(|(ja, en)| l.pick(ja, en).to_string()).collect();
    for &(key, r, _, ac) in &b.rows {
        let Some(f) = an.facts.get(key) else { continue };
        if let (Some(v), Some(FactSource::Cli | FactSource::Profile)) = (f.value, f.source) {
            wb.set_value(sheet, CellRef::new(r, ac), v.cell(l))?;
        }
        let (rule, prompt) = if key.is_count() {
            (Rule::WholeBetween(0, 1_000_000), l.pick("人数を入力してください", "Type the number of people"))
        } else {
            (Rule::List(yes_no.clone()), l.pick("はい／いいえを選んでください", "Choose Yes or No"))
        };
        add_uncovered(wb, sheet, ac, (r, r), |range| DataValidation::new(range, rule.clone()).with_prompt(key.label(l), prompt))?;
    }
    Ok(())
}

/// Dropdowns on every input column, for the cells no existing validation covers.
fn add_input_validations(wb: &mut Workbook, an: &Analysis) -> Result<()> {
    let p = &an.profile;
    let l = an.lang;
    let media: Vec<&str> = p.media.iter().map(|m| m.name_in(l)).collect();
    let cia: Vec<String> = p.cia.values().map(|v| v.to_string()).collect();
    for (layout, assets) in &an.ledgers {
        let rows = (layout.first_row, input_last_row(an, layout, assets));
        let mut add = |field: LedgerField, rule: Rule, ime: &str, prompt: &str| -> Result<()> {
            if let Some(col) = layout.of(field) {
                add_uncovered(wb, &layout.sheet, col, rows, |range| {
                    DataValidation::new(range, rule.clone()).with_ime_mode(ime).with_prompt(prompt, l.pick("一覧から選んでください", "Choose from the list"))
                })?;
            }
            Ok(())
        };
        add(LedgerField::Medium, Rule::List(media.iter().map(|s| s.to_string()).collect()), "hiragana", p.headers.ledger.medium.text_in(l))?;
        for f in LedgerField::FLAGS {
            add(f, Rule::List(vec![super::flag_text(l).into()]), "hiragana", super::flag_text(l))?;
        }
        for f in LedgerField::CIA {
            add(f, Rule::List(cia.clone()), "off", p.cia.expected().get(l))?;
        }
        if let Some(col) = layout.of(LedgerField::Registered) {
            add_uncovered(wb, &layout.sheet, col, rows, |range| crate::ops::template::registered_validation(range, p, l))?;
        }
    }
    if let (Some(sheet), Some(col)) = (&an.layout.sheets.threats, an.layout.threats.as_ref().and_then(|t| t.col("frequency"))) {
        let rule = Rule::List(labels(&p.threat, l).iter().map(|s| s.to_string()).collect());
        for b in &an.threat_blocks {
            for (a, z) in runs(&b.rows) {
                add_uncovered(wb, sheet, col, (a, z), |range| DataValidation::new(range, rule.clone()))?;
            }
        }
    }
    if let (Some(sheet), Some(col)) = (&an.layout.sheets.checklist, an.layout.checklist.as_ref().and_then(|t| t.col("answer"))) {
        let rule = Rule::List(p.checklist.answers.iter().map(|a| a.label_in(l).to_string()).collect());
        for g in &an.check_rows {
            for (a, z) in runs(&g.rows) {
                add_uncovered(wb, sheet, col, (a, z), |range| DataValidation::new(range, rule.clone()))?;
            }
        }
    }
    Ok(())
}

/// Colours on the computed labels (リスク大 red, 可能性:中 yellow, …) as the template has them,
/// for a ledger column no conditional format touches yet: a user's own colours are kept.
fn add_label_colours(wb: &mut Workbook, an: &Analysis) -> Result<()> {
    let colours = super::label_colours(&an.profile);
    let looks = crate::ops::looks::level_highlights();
    for (layout, assets) in &an.ledgers {
        let (first, last) = (layout.first_row, input_last_row(an, layout, assets));
        for (field, labels) in &colours {
            let Some(col) = layout.col(field) else { continue };
            let range = Range::new(CellRef::new(first, col), CellRef::new(last, col));
            if wb.conditional_format_ranges(&layout.sheet)?.iter().any(|r| r.intersects(&range)) {
                continue;
            }
            for (label, level) in labels {
                wb.add_conditional_format(&layout.sheet, ConditionalFormat::text_equals(range, label, looks[*level].clone()))?;
            }
        }
    }
    Ok(())
}

/// Adds a validation over the rows of a column that no existing validation covers.
pub(crate) fn add_uncovered(wb: &mut Workbook, sheet: &str, col: u32, (first, last): (u32, u32), make: impl Fn(Range) -> DataValidation) -> Result<()> {
    let covered = wb.validation_ranges(sheet)?;
    let free: Vec<u32> = (first..=last).filter(|&r| !covered.iter().any(|c| c.contains(CellRef::new(r, col)))).collect();
    for (a, z) in runs(&free) {
        wb.add_validation(sheet, make(Range::new(CellRef::new(a, col), CellRef::new(z, col))))?;
    }
    Ok(())
}
