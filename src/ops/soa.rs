//! `risksheet soa`: a Statement of Applicability (適用宣言書) for ISO/IEC 27001:2022 Annex A.
//!
//! The workbook has one sheet 「適用宣言書」 ("Statement of Applicability" in English) with the 93
//! controls in Annex A order, one per row from row 5 (header in row 4):
//!
//! | col | 日本語 | English |
//! |---|---|---|
//! | A | No | No |
//! | B | 管理策番号 (`5.1`) | Control |
//! | C | 分類 (組織的管理策 …) | Theme |
//! | D | 管理策 (title) | Title |
//! | E | 適用 (○ / ×, dropdown) | Applicable (Yes / No) |
//! | F | 実施 (○ / 未 / ー, dropdown) | Implemented (Yes / No / N/A) |
//! | G | 管理策を含めた理由又は除外した理由 | Justification for inclusion or exclusion |
//! | H | 規程・手順書 | Policies and procedures |
//! | I | 2013年版の管理策 (its predecessors in the table) | 2013 controls |
//! | J | 移行メモ (要検討（2022新規）, 要確認 …, highlighted) | Transition note |
//!
//! It is prefilled from the source workbook:
//!
//! - **a legacy SoA** (a sheet with a header row naming a control column and an 適用 column):
//!   each row's 2013 control (or 2022 control, when the SoA was already converted) is carried
//!   over through the table. A 2022 control is 適用 when any of its predecessors was, × when all
//!   were excluded; 実施 is ○ when every applicable predecessor was, 未 when one was not; reasons
//!   and documents are joined (with the 2013 id in front when they differ). Predecessors with
//!   different applicability are flagged 要確認; the 11 new controls 「要検討（2022新規）」.
//! - **a risk sheet** (any other workbook): every control cited (2013 references anywhere, bare
//!   ids and 2022 ids in a control column) makes its 2022 control 適用, with the cells that cite
//!   it as the reason; the others stay blank to be decided, the new ones flagged.
//!
//! ```no_run
//! use risksheet::controls::Catalog;
//! let mut wb = risksheet::xlsx::Workbook::open("soa-2013.xlsx")?;
//! let report = risksheet::ops::soa::build_soa(&mut wb, Catalog::bundled(), "soa-2022.xlsx".as_ref(), risksheet::Lang::Ja)?;
//! assert_eq!(report.rows.len(), 93);
//! # Ok::<(), risksheet::Error>(())
//! ```
use crate::controls::refs::{find, Context, RefKind};
use crate::controls::Catalog;
use crate::error::{Lang, Result};
use crate::ops::convert::is_control_header;
use crate::text::to_narrow;
use crate::xlsx::address::{CellRef, Range};
use crate::xlsx::conditional::ConditionalFormat;
use crate::xlsx::new_book::{self, Sheet, STYLE_BODY, STYLE_BODY_CENTER, STYLE_BODY_WRAP, STYLE_HEADER, STYLE_NOTE, STYLE_TITLE};
use crate::xlsx::validation::DataValidation;
use crate::xlsx::{CellValue, Workbook};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Header row of the SoA sheet.
pub const HEADER_ROW: u32 = 4;
/// First control row.
pub const FIRST_ROW: u32 = 5;

/// Implementation status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Implemented {
    /// ○ / Yes.
    Yes,
    /// 未 / No.
    No,
    /// ー / N/A.
    NotApplicable,
}

/// Where the prefill came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// A legacy Statement of Applicability on this sheet.
    LegacySoa {
        /// The sheet.
        sheet: String,
    },
    /// Controls cited in a risk sheet.
    RiskSheet,
}

/// One control row of the SoA.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// 2022 id.
    pub id: String,
    /// Applicable (`None`: to be decided).
    pub applicable: Option<bool>,
    /// Implementation status.
    pub implemented: Option<Implemented>,
    /// Justification.
    pub reason: String,
    /// Policies and procedures.
    pub documents: String,
    /// Predecessors in the 2013→2022 table.
    pub predecessors: Vec<String>,
    /// Transition note (new control, to review).
    pub note: String,
}

/// What [`build_soa`] wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The file written.
    pub file: String,
    /// Where the prefill came from.
    pub source: Source,
    /// Rows prefilled from the source (applicable or not decided there).
    pub prefilled: usize,
    /// Rows flagged as new in 2022.
    pub new_controls: usize,
    /// Legacy values that could not be read, as `SHEET!A1: value`.
    pub unreadable: Vec<String>,
    /// The 93 rows.
    pub rows: Vec<Row>,
}

/// Reads an applicability mark: ○ / × and their many spellings.
///
/// ```
/// use risksheet::ops::soa::parse_applicable;
/// assert_eq!(parse_applicable("○"), Some(true));
/// assert_eq!(parse_applicable("適用外"), Some(false));
/// assert_eq!(parse_applicable("たぶん"), None);
/// ```
pub fn parse_applicable(v: &str) -> Option<bool> {
    let t = to_narrow(v.trim()).to_lowercase();
    match t.as_str() {
        "○" | "◯" | "〇" | "o" | "有" | "有り" | "あり" | "適用" | "適用する" | "対象" | "yes" | "y" | "true" | "1" | "✓" | "✔" | "要" => {
            Some(true)
        }
        "×" | "✕" | "x" | "無" | "無し" | "なし" | "除外" | "適用外" | "不適用" | "適用しない" | "対象外" | "no" | "n" | "false" | "0" | "-" | "ー" | "－"
        | "不要" => Some(false),
        _ => None,
    }
}

/// Reads an implementation mark: ○ (done), 未 (not yet), ー (not applicable).
///
/// ```
/// use risksheet::ops::soa::{parse_implemented, Implemented};
/// assert_eq!(parse_implemented("実施済"), Some(Implemented::Yes));
/// assert_eq!(parse_implemented("未"), Some(Implemented::No));
/// assert_eq!(parse_implemented("ー"), Some(Implemented::NotApplicable));
/// ```
pub fn parse_implemented(v: &str) -> Option<Implemented> {
    let t = to_narrow(v.trim()).to_lowercase();
    match t.as_str() {
        "○" | "◯" | "〇" | "o" | "済" | "済み" | "実施" | "実施済" | "実施済み" | "完了" | "yes" | "y" | "done" | "implemented" | "✓" | "✔" => {
            Some(Implemented::Yes)
        }
        "未" | "未実施" | "予定" | "計画" | "計画中" | "一部" | "△" | "着手" | "未定" | "no" | "n" | "planned" | "partly" | "partial" => {
            Some(Implemented::No)
        }
        "ー" | "-" | "－" | "―" | "対象外" | "n/a" | "na" | "不要" => Some(Implemented::NotApplicable),
        _ => None,
    }
}

fn header_has(t: &str, words: &[&str]) -> bool {
    let t = to_narrow(t).to_lowercase();
    words.iter().any(|w| t.contains(w))
}

/// Columns of a legacy SoA.
#[derive(Debug, Default)]
struct SoaCols {
    row: u32,
    id: u32,
    applicable: u32,
    implemented: Option<u32>,
    reason: Option<u32>,
    documents: Option<u32>,
}

fn find_soa_columns(cells: &[crate::xlsx::Cell]) -> Option<SoaCols> {
    let mut by_row: BTreeMap<u32, Vec<(u32, &str)>> = BTreeMap::new();
    for c in cells.iter().filter(|c| c.row <= 30 && c.formula.is_none()) {
        if let CellValue::Text(t) = &c.value {
            by_row.entry(c.row).or_default().push((c.col, t.as_str()));
        }
    }
    for (row, hs) in by_row {
        let ids: Vec<u32> = hs.iter().filter(|(_, t)| is_control_header(t)).map(|(c, _)| *c).collect();
        let id = hs.iter().filter(|(c, t)| ids.contains(c) && header_has(t, &["番号", "no", "id", "#"])).map(|(c, _)| *c).next().or(ids.first().copied());
        let not_reason = |t: &str| !header_has(t, &["理由", "reason", "justif", "宣言"]);
        let applicable = hs.iter().find(|(_, t)| header_has(t, &["適用", "applicab"]) && not_reason(t) && !header_has(t, &["実施"])).map(|(c, _)| *c);
        if let (Some(id), Some(applicable)) = (id, applicable) {
            let implemented =
                hs.iter().find(|(c, t)| *c != applicable && header_has(t, &["実施", "導入", "status", "implement"]) && not_reason(t)).map(|(c, _)| *c);
            let reason = hs.iter().find(|(_, t)| header_has(t, &["理由", "reason", "justif"])).map(|(c, _)| *c);
            let documents = hs.iter().find(|(_, t)| header_has(t, &["規程", "手順", "文書", "procedure", "document", "policies"])).map(|(c, _)| *c);
            return Some(SoaCols { row, id, applicable, implemented, reason, documents });
        }
    }
    None
}

/// What one source row or cell says about a 2022 control.
#[derive(Debug, Clone)]
struct Evidence {
    label: String,
    applicable: Option<bool>,
    implemented: Option<Implemented>,
    reason: String,
    documents: String,
}

/// The 2022 ids a text refers to: through the table for 2013 references, directly for 2022 ids
/// (`A.5.18`, `5.18`) when `ids_2022` is set. Returns (label, 2022 id) pairs.
fn cited(text: &str, cat: &Catalog, bare: bool, ids_2022: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for r in find(text, cat, Context { bare_ids: bare, ..Context::default() }).refs {
        if matches!(r.kind, RefKind::Unknown(_)) {
            continue;
        }
        for old in r.ids() {
            for m in cat.successors(&old) {
                out.push((old.clone(), m.new.clone()));
            }
        }
    }
    if out.is_empty() && ids_2022 {
        let t = to_narrow(text);
        let re = regex::Regex::new(r"(?:^|[^0-9A-Za-z.])(?:A\.?\s*)?([5-8]\.[0-9]{1,2})(?:$|[^0-9.])").ok();
        if let Some(re) = re {
            for c in re.captures_iter(&t) {
                let id = c[1].to_string();
                if cat.control_2022(&id).is_some() {
                    out.push((id.clone(), id));
                }
            }
        }
    }
    out
}

/// Builds the 2022 SoA from `wb` (a legacy SoA or a risk sheet) and writes it to `output`.
///
/// # Errors
///
/// [`XlsxError::Xml`](crate::xlsx::XlsxError::Xml) when a sheet's XML cannot be read; those of
/// [`replace_with_bytes`](crate::xlsx::file::replace_with_bytes) when `output` cannot be written
/// ([`XlsxError::InUse`](crate::xlsx::XlsxError::InUse) when it is open in Excel,
/// [`ErrorKind::Io`](crate::ErrorKind::Io)).
pub fn build_soa(wb: &mut Workbook, cat: &Catalog, output: &Path, lang: Lang) -> Result<Report> {
    let path = wb.path().to_path_buf();
    let mut evidence: BTreeMap<String, Vec<Evidence>> = BTreeMap::new();
    let mut unreadable = Vec::new();
    let mut source = Source::RiskSheet;
    let sheets: Vec<String> = wb.sheets().iter().filter(|s| s.kind == crate::xlsx::SheetKind::Worksheet).map(|s| s.name.clone()).collect();
    let mut all_cells = Vec::new();
    for s in &sheets {
        let cells = wb.cells(s).map_err(|e| e.in_file(&path))?;
        if matches!(source, Source::RiskSheet) {
            if let Some(cols) = find_soa_columns(&cells) {
                source = Source::LegacySoa { sheet: s.clone() };
                let mut rows: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
                for c in cells.iter().filter(|c| c.row > cols.row) {
                    if !c.value.is_blank() {
                        rows.entry(c.row).or_default().insert(c.col, c.value.to_string());
                    }
                }
                for (r, vals) in rows {
                    let Some(idt) = vals.get(&cols.id) else { continue };
                    let ids = cited(idt, cat, true, true);
                    if ids.is_empty() {
                        continue;
                    }
                    let get = |c: Option<u32>| c.and_then(|c| vals.get(&c)).map(|s| s.trim().to_string()).unwrap_or_default();
                    let app_text = get(Some(cols.applicable));
                    let imp_text = get(cols.implemented);
                    let applicable = parse_applicable(&app_text);
                    let implemented = parse_implemented(&imp_text);
                    for (col, text, ok) in [(Some(cols.applicable), &app_text, applicable.is_some()), (cols.implemented, &imp_text, implemented.is_some())] {
                        if !text.is_empty() && !ok {
                            let at = CellRef::new(r, col.unwrap_or(1));
                            unreadable.push(format!("{s}!{at}: {text}"));
                        }
                    }
                    for (label, new) in ids {
                        evidence.entry(new).or_default().push(Evidence {
                            label,
                            applicable,
                            implemented,
                            reason: get(cols.reason),
                            documents: get(cols.documents),
                        });
                    }
                }
                continue;
            }
        }
        all_cells.push((s.clone(), cells));
    }
    if matches!(source, Source::RiskSheet) {
        for (s, cells) in &all_cells {
            let mut control_cols: BTreeMap<u32, u32> = BTreeMap::new();
            for c in cells.iter().filter(|c| c.row <= 30) {
                if let CellValue::Text(t) = &c.value {
                    if is_control_header(t) {
                        control_cols.entry(c.col).or_insert(c.row);
                    }
                }
            }
            for c in cells.iter().filter(|c| c.formula.is_none()) {
                let CellValue::Text(t) = &c.value else { continue };
                let in_col = control_cols.get(&c.col).is_some_and(|&h| c.row > h);
                for (_, new) in cited(t, cat, in_col, in_col) {
                    let label = format!("{s}!{}", c.address);
                    let ev = evidence.entry(new).or_default();
                    if !ev.iter().any(|e| e.label == label) {
                        ev.push(Evidence { label, applicable: Some(true), implemented: None, reason: String::new(), documents: String::new() });
                    }
                }
            }
        }
    }
    let new_flag = lang.pick("要検討（2022新規）", "To review (new in 2022)");
    let mut rows = Vec::new();
    let mut prefilled = 0;
    let mut new_controls = 0;
    for c in &cat.v2022 {
        let predecessors: Vec<String> = cat.predecessors(&c.id).iter().map(|m| m.old.clone()).collect();
        let ev = evidence.get(&c.id).cloned().unwrap_or_default();
        let mut row = Row {
            id: c.id.clone(),
            applicable: None,
            implemented: None,
            reason: String::new(),
            documents: String::new(),
            predecessors: predecessors.clone(),
            note: String::new(),
        };
        if predecessors.is_empty() {
            row.note = new_flag.to_string();
            new_controls += 1;
        }
        if !ev.is_empty() {
            prefilled += 1;
            let apps: Vec<Option<bool>> = ev.iter().map(|e| e.applicable).collect();
            row.applicable = if apps.contains(&Some(true)) {
                Some(true)
            } else if apps.iter().all(|a| *a == Some(false)) {
                Some(false)
            } else {
                None
            };
            if apps.contains(&Some(true)) && apps.contains(&Some(false)) {
                row.note = lang.pick("要確認（統合元で適用が異なる）", "To review (predecessors differ in applicability)").to_string();
            }
            row.implemented = match row.applicable {
                Some(false) => Some(Implemented::NotApplicable),
                Some(true) => {
                    let imps: Vec<Option<Implemented>> = ev.iter().filter(|e| e.applicable != Some(false)).map(|e| e.implemented).collect();
                    if imps.contains(&Some(Implemented::No)) {
                        Some(Implemented::No)
                    } else if !imps.is_empty() && imps.iter().all(|i| *i == Some(Implemented::Yes)) {
                        Some(Implemented::Yes)
                    } else {
                        None
                    }
                }
                None => None,
            };
            let join = |f: &dyn Fn(&Evidence) -> &str, sep: &str| -> String {
                let mut vals: Vec<(&str, &str)> = Vec::new();
                for e in &ev {
                    let v = f(e);
                    if !v.is_empty() && !vals.iter().any(|(_, x)| *x == v) {
                        vals.push((&e.label, v));
                    }
                }
                if vals.len() <= 1 {
                    vals.first().map(|(_, v)| v.to_string()).unwrap_or_default()
                } else {
                    vals.iter().map(|(l, v)| format!("{l}: {v}")).collect::<Vec<_>>().join(sep)
                }
            };
            row.reason = join(&|e| e.reason.as_str(), "／");
            row.documents = join(&|e| e.documents.as_str(), "、");
            if matches!(source, Source::RiskSheet) {
                let cites: Vec<&str> = ev.iter().map(|e| e.label.as_str()).collect();
                let shown = if cites.len() > 3 { format!("{} {}", cites[..3].join("、"), lang.pick("ほか", "and others")) } else { cites.join("、") };
                row.reason = format!("{}（{shown}）", lang.pick("リスク対応で選択", "selected for risk treatment"));
            }
        }
        rows.push(row);
    }
    let bytes = soa_workbook(cat, &rows, lang, &path)?;
    crate::xlsx::file::replace_with_bytes(output, &Default::default(), &bytes)?;
    Ok(Report { file: output.display().to_string(), source, prefilled, new_controls, unreadable, rows })
}

/// The SoA workbook's bytes.
fn soa_workbook(cat: &Catalog, rows: &[Row], lang: Lang, source: &Path) -> Result<Vec<u8>> {
    let mut sh = Sheet::new(true);
    let t = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    sh.text(1, 1, t("適用宣言書（ISO/IEC 27001:2022 附属書A）", "Statement of Applicability (ISO/IEC 27001:2022 Annex A)"), STYLE_TITLE);
    let note = match lang {
        Lang::Ja => format!("作成元: {}　管理策名は公開の翻訳に基づく参考訳です（JIS Q 27001:2023 の正式名称は --catalog で読み込めます）。", source.display()),
        Lang::En => format!("Source: {}. Control titles are public transcriptions (load licensed titles with --catalog).", source.display()),
    };
    sh.text(2, 1, &note, STYLE_NOTE);
    let headers = [
        ("No", "No", 5.0),
        ("管理策番号", "Control", 10.0),
        ("分類", "Theme", 14.0),
        ("管理策", "Title", 40.0),
        ("適用", "Applicable", 9.0),
        ("実施", "Implemented", 11.0),
        ("管理策を含めた理由又は除外した理由", "Justification for inclusion or exclusion", 44.0),
        ("規程・手順書", "Policies and procedures", 28.0),
        ("2013年版の管理策", "2013 controls", 22.0),
        ("移行メモ", "Transition note", 26.0),
    ];
    for (i, (ja, en, w)) in headers.iter().enumerate() {
        let col = i as u32 + 1;
        sh.text(HEADER_ROW, col, t(ja, en), STYLE_HEADER);
        sh.width(col, *w);
    }
    let (yes, no) = (t("○", "Yes"), t("×", "No"));
    let (done, notyet, na) = (t("○", "Yes"), t("未", "No"), t("ー", "N/A"));
    for (i, r) in rows.iter().enumerate() {
        let row = FIRST_ROW + i as u32;
        let c = cat.control_2022(&r.id);
        sh.number(row, 1, (i + 1) as f64, STYLE_BODY_CENTER);
        sh.text(row, 2, &r.id, STYLE_BODY_CENTER);
        sh.text(row, 3, c.map_or("", |c| c.theme.name(lang)), STYLE_BODY);
        sh.text(row, 4, c.map_or("", |c| c.title(lang)), STYLE_BODY_WRAP);
        match r.applicable {
            Some(true) => sh.text(row, 5, yes, STYLE_BODY_CENTER),
            Some(false) => sh.text(row, 5, no, STYLE_BODY_CENTER),
            None => sh.blank(row, 5, STYLE_BODY_CENTER),
        }
        match r.implemented {
            Some(Implemented::Yes) => sh.text(row, 6, done, STYLE_BODY_CENTER),
            Some(Implemented::No) => sh.text(row, 6, notyet, STYLE_BODY_CENTER),
            Some(Implemented::NotApplicable) => sh.text(row, 6, na, STYLE_BODY_CENTER),
            None => sh.blank(row, 6, STYLE_BODY_CENTER),
        }
        for (col, v) in [(7, &r.reason), (8, &r.documents), (9, &r.predecessors.join(", ")), (10, &r.note)] {
            if v.is_empty() {
                sh.blank(row, col, STYLE_BODY_WRAP);
            } else {
                sh.text(row, col, v, STYLE_BODY_WRAP);
            }
        }
    }
    let last = FIRST_ROW + rows.len().max(1) as u32 - 1;
    let range = |c: u32| Range::new(CellRef::new(FIRST_ROW, c), CellRef::new(last, c));
    let err = (t("入力エラー", "Invalid entry"), t("一覧にある値を選んでください。", "Choose a value from the list."));
    sh.validate(DataValidation::list(range(5), &[yes, no]).with_error(err.0, err.1));
    sh.validate(DataValidation::list(range(6), &[done, notyet, na]).with_error(err.0, err.1));
    let [_, medium, _] = crate::ops::looks::level_highlights();
    sh.highlight(ConditionalFormat::text_equals(range(10), t("要検討（2022新規）", "To review (new in 2022)"), medium));
    sh.freeze(HEADER_ROW, 2);
    sh.print_titles = Some((HEADER_ROW, HEADER_ROW));
    sh.selected = true;
    let name = t("適用宣言書", "Statement of Applicability");
    new_book::package(t("適用宣言書", "Statement of Applicability"), &[(name.to_string(), sh)], 0, lang)
}

#[cfg(test)]
#[path = "tests/soa.rs"]
mod tests;
