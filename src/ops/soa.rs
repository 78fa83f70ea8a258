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
//! | F | 実施 (○ / 一部実施 / 未 / ー, dropdown) | Implemented (Yes / Partially / No / N/A) |
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
//!   were excluded; 実施 is ○ when every applicable predecessor was, 未 when one was not, 一部実施
//!   when one was partly (and none was not); reasons and documents are joined (with the 2013 id
//!   in front when they differ), their legacy references rewritten in 2022 ids by
//!   [`convert_text`]. Predecessors with different applicability are flagged 要確認; the 11 new
//!   controls 「要検討（2022新規）」. Lower-case ids (`a.12.2.1`) are read as 2013 ids; a
//!   two-number id in a sheet numbered in 2013 ids (`A.5.1`) is a control objective, read as its
//!   controls that have no row of their own and flagged; an id that is no control (`A.19.1.1`), a
//!   mark that cannot be read, or a reason citing an id that cannot be converted is listed in
//!   [`Report::unreadable`] with sheet, cell, text and reason — never dropped silently.
//! - **a risk sheet** (any other workbook): every control cited (2013 references anywhere, bare
//!   ids and 2022 ids in a control column) makes its 2022 control 適用, with the cells that cite
//!   it as the reason; the others stay blank to be decided, the new ones flagged. A cell citing
//!   an id that is no control is listed in [`Report::unreadable`].
//!
//! ```no_run
//! use risksheet::controls::Catalog;
//! let mut wb = risksheet::xlsx::Workbook::open("soa-2013.xlsx")?;
//! let report = risksheet::ops::soa::build_soa(&mut wb, Catalog::bundled(), "soa-2022.xlsx".as_ref(), risksheet::Lang::Ja, risksheet::Lang::Ja)?;
//! assert_eq!(report.rows.len(), 93);
//! # Ok::<(), risksheet::Error>(())
//! ```
use crate::controls::refs::{find, Context, RefKind};
use crate::controls::{Catalog, Edition};
use crate::error::{Lang, Message, Result};
use crate::ops::convert::Decision;
use crate::ops::convert::{convert_text, is_control_header, Outcome};
use crate::text::{to_narrow, wrapped_lines};
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
    /// 一部実施 / Partially (実施された / 一部実施された / 実施されていない are the three
    /// states of an SoA's controls).
    Partial,
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
    /// For a legacy SoA, the edition its ids were read in and why.
    pub source_edition: Option<crate::ops::convert::Decision>,
    /// Rows prefilled from the source (applicable or not decided there).
    pub prefilled: usize,
    /// Rows flagged as new in 2022.
    pub new_controls: usize,
    /// Legacy values and references that could not be read or need a person (要確認): nothing
    /// that looks like a control reference is left out without being listed here.
    pub unreadable: Vec<Unreadable>,
    /// The 93 rows.
    pub rows: Vec<Row>,
}

/// A legacy cell `soa` could not carry over as it is, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unreadable {
    /// Sheet of the source workbook.
    pub sheet: String,
    /// Cell (`B7`).
    pub cell: String,
    /// Its text.
    pub text: String,
    /// Why a person must look at it, in the language of messages.
    pub reason: String,
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

/// Reads an implementation mark: ○ (done), 一部実施 (partly), 未 (not yet), ー (not applicable),
/// and their spellings (実施された / 一部実施された / 実施されていない …).
///
/// ```
/// use risksheet::ops::soa::{parse_implemented, Implemented};
/// assert_eq!(parse_implemented("実施済"), Some(Implemented::Yes));
/// assert_eq!(parse_implemented("一部実施された"), Some(Implemented::Partial));
/// assert_eq!(parse_implemented("未"), Some(Implemented::No));
/// assert_eq!(parse_implemented("ー"), Some(Implemented::NotApplicable));
/// ```
pub fn parse_implemented(v: &str) -> Option<Implemented> {
    let t = to_narrow(v.trim()).to_lowercase();
    match t.as_str() {
        "○" | "◯" | "〇" | "o" | "済" | "済み" | "実施" | "実施済" | "実施済み" | "実施された" | "実施している" | "完了" | "yes" | "y" | "done"
        | "implemented" | "✓" | "✔" => Some(Implemented::Yes),
        "一部"
        | "一部実施"
        | "一部実施済"
        | "一部実施済み"
        | "一部実施された"
        | "一部実施している"
        | "一部済"
        | "部分実施"
        | "部分的"
        | "△"
        | "partly"
        | "partial"
        | "partially"
        | "partially implemented" => Some(Implemented::Partial),
        "未"
        | "未実施"
        | "実施されていない"
        | "実施していない"
        | "未着手"
        | "予定"
        | "計画"
        | "計画中"
        | "着手"
        | "未定"
        | "×"
        | "✕"
        | "no"
        | "n"
        | "planned"
        | "not implemented" => Some(Implemented::No),
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
    /// Why the 2022 row needs a person (in the workbook's language), if it does.
    review: Option<String>,
}

/// What a text cites: (label, 2022 id) pairs, or a reference that needs a person.
enum Cites {
    Ids(Vec<(String, String)>),
    Review(Message),
}

/// What a text cites, through [`convert_text`] (the one reading of legacy references): the pairs
/// of the table for legacy references, or directly the 2022 ids (`A.5.18`, `5.18`) when
/// `with_2022` is set and there is no legacy reference.
fn cited(text: &str, cat: &Catalog, edition: Edition, bare: bool, with_2022: bool) -> Cites {
    match convert_text(text, cat, Context { bare_ids: bare, edition, ..Context::default() }) {
        Outcome::Converted(c) => Cites::Ids(c.pairs.into_iter().map(|p| (p.old, p.new)).collect()),
        Outcome::Review(why) => Cites::Review(why),
        Outcome::None if with_2022 => Cites::Ids(cat.cited_2022(text).into_iter().map(|id| (id.clone(), id)).collect()),
        Outcome::None => Cites::Ids(Vec::new()),
    }
}

/// A text of a legacy SoA (reason, documents) with its legacy references written in 2022 ids;
/// a reference that cannot be converted leaves the text as written, with the reason why.
fn converted_text(text: &str, cat: &Catalog, edition: Edition) -> (String, Option<Message>) {
    if text.is_empty() {
        return (String::new(), None);
    }
    match convert_text(text, cat, Context { edition, ..Context::default() }) {
        Outcome::Converted(c) => (c.text, None),
        Outcome::Review(why) => (text.to_string(), Some(why)),
        Outcome::None => (text.to_string(), None),
    }
}

/// A two-number id alone at the start of an id cell (`A.5.1`, `5.1`, `附属書A.9.2`, with a title
/// after it): the two numbers.
fn two_level(text: &str) -> Option<(u32, u32)> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| regex::Regex::new(r"^\s*(?:附属書\s*)?(?:[Aa]\s*\.?\s*)?([0-9]{1,2})\s*\.\s*([0-9]{1,2})(?:$|[^0-9.])").expect("regex"));
    let t = to_narrow(text);
    re.captures(&t).and_then(|c| Some((c[1].parse().ok()?, c[2].parse().ok()?)))
}

/// What the id cell of a legacy SoA row says.
enum IdCell {
    /// 2013 controls and their 2022 successors: (2013 id, 2022 id).
    Pairs(Vec<(String, String)>),
    /// 2022 ids (a SoA already converted).
    Ids2022(Vec<String>),
    /// A 2013 control objective (`A.9.2`) and its controls.
    Objective(String, Vec<String>),
    /// Looks like a control reference but cannot be read.
    Unreadable(Message),
    /// No control reference (a heading, a blank).
    Nothing,
}

/// Reads the id cell of a legacy SoA row; `legacy` says whether the sheet numbers its rows with
/// 2013 ids (then `A.5.1` is the objective 5.1 of 2013, not the 2022 control 5.1).
fn read_id_cell(text: &str, cat: &Catalog, edition: Edition, legacy: bool) -> IdCell {
    if let Some((a, b)) = two_level(text) {
        let objective = format!("A.{a}.{b}");
        let controls = cat.objective(edition, &objective);
        let id_2022 = format!("{a}.{b}");
        let is_2022 = cat.control_2022(&id_2022).is_some();
        if !controls.is_empty() && (legacy || !is_2022) {
            return IdCell::Objective(objective, controls);
        }
        if is_2022 && !legacy {
            return IdCell::Ids2022(vec![id_2022]);
        }
        let year = edition.year();
        return IdCell::Unreadable(Message::new(
            format!("{year}年版の管理策でも管理目的でもありません: {objective}"),
            format!("neither a {year} control nor a control objective: {objective}"),
        ));
    }
    match cited(text, cat, edition, true, !legacy) {
        Cites::Review(why) => IdCell::Unreadable(why),
        Cites::Ids(ids) if ids.is_empty() => {
            let t = to_narrow(text);
            static NUMBERED: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
            let numbered = NUMBERED.get_or_init(|| regex::Regex::new(r"[0-9]+\.[0-9]+").expect("regex")).is_match(&t);
            if numbered {
                IdCell::Unreadable(Message::new(
                    format!("管理策番号として読めません: {}", text.trim()),
                    format!("not readable as a control id: {}", text.trim()),
                ))
            } else {
                IdCell::Nothing
            }
        }
        Cites::Ids(ids) if ids.iter().all(|(old, new)| old == new) => IdCell::Ids2022(ids.into_iter().map(|(_, n)| n).collect()),
        Cites::Ids(ids) => IdCell::Pairs(ids),
    }
}

/// One row of a legacy SoA below its header.
struct LegacyRow {
    row: u32,
    id_text: String,
    vals: BTreeMap<u32, String>,
}

/// Reads a legacy SoA into evidence per 2022 id; what cannot be read goes to `unreadable`.
fn read_legacy_soa(
    sheet: &str,
    cells: &[crate::xlsx::Cell],
    cols: &SoaCols,
    cat: &Catalog,
    lang: Lang,
    evidence: &mut BTreeMap<String, Vec<Evidence>>,
    unreadable: &mut Vec<(String, String, String, Message)>,
) -> Decision {
    let mut by_row: BTreeMap<u32, BTreeMap<u32, String>> = BTreeMap::new();
    for c in cells.iter().filter(|c| c.row > cols.row) {
        if !c.value.is_blank() {
            by_row.entry(c.row).or_default().insert(c.col, c.value.to_string());
        }
    }
    let rows: Vec<LegacyRow> = by_row
        .into_iter()
        .filter_map(|(row, vals)| Some(LegacyRow { row, id_text: vals.get(&cols.id)?.trim().to_string(), vals }))
        .filter(|r| !r.id_text.is_empty())
        .collect();
    // The edition of the legacy ids, decided as `convert` decides it (never assumed): each row's
    // id cell is read in it, or listed when it cannot be decided.
    let decision = crate::ops::convert::decide(
        cells.iter().filter_map(|c| match &c.value {
            CellValue::Text(t) if c.formula.is_none() => Some((format!("{sheet}!{}", c.address), t.as_str(), None, c.col == cols.id && c.row > cols.row)),
            _ => None,
        }),
        cat,
        None,
    );
    let editions: Vec<std::result::Result<Edition, Message>> =
        rows.iter().map(|r| crate::ops::convert::cell_edition(&r.id_text, None, cat, true, &decision)).collect();
    let edition_of = |i: usize| editions[i].as_ref().copied().unwrap_or_default();
    // Legacy numbering when any row holds a legacy control id.
    let legacy = rows
        .iter()
        .enumerate()
        .any(|(i, r)| editions[i].is_ok() && matches!(cited(&r.id_text, cat, edition_of(i), true, false), Cites::Ids(ids) if !ids.is_empty()));
    let read: Vec<IdCell> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| match &editions[i] {
            Ok(e) => read_id_cell(&r.id_text, cat, *e, legacy),
            Err(why) if !matches!(read_id_cell(&r.id_text, cat, Edition::Iso2013, legacy), IdCell::Nothing) => IdCell::Unreadable(why.clone()),
            Err(_) => IdCell::Nothing,
        })
        .collect();
    let own_rows: Vec<String> =
        read.iter().flat_map(|c| if let IdCell::Pairs(p) = c { p.iter().map(|(o, _)| o.clone()).collect() } else { Vec::new() }).collect();
    let mut listed =
        |row: u32, col: u32, text: &str, why: Message| unreadable.push((sheet.to_string(), CellRef::new(row, col).to_string(), text.to_string(), why));
    for (i, (r, id)) in rows.iter().zip(read).enumerate() {
        let edition = edition_of(i);
        let get = |c: Option<u32>| c.and_then(|c| r.vals.get(&c)).map(|s| s.trim().to_string()).unwrap_or_default();
        let app_text = get(Some(cols.applicable));
        let imp_text = get(cols.implemented);
        let marks = [app_text.as_str(), imp_text.as_str()].iter().filter(|t| !t.is_empty()).copied().collect::<Vec<_>>().join(" / ");
        let not_carried = |why: Message| {
            if marks.is_empty() {
                why
            } else {
                why.map(|l, s| match l {
                    Lang::Ja => format!("{s}（{marks} は転記していません）"),
                    Lang::En => format!("{s} ('{marks}' not carried over)"),
                })
            }
        };
        // (label, 2022 id, review note)
        let targets: Vec<(String, String, Option<String>)> = match id {
            IdCell::Nothing => continue,
            IdCell::Unreadable(why) => {
                listed(r.row, cols.id, &r.id_text, not_carried(why));
                continue;
            }
            IdCell::Pairs(p) => p.into_iter().map(|(o, n)| (o, n, None)).collect(),
            IdCell::Ids2022(ids) => ids.into_iter().map(|n| (n.clone(), n, None)).collect(),
            IdCell::Objective(objective, controls) => {
                if marks.is_empty() && get(cols.reason).is_empty() && get(cols.documents).is_empty() {
                    continue; // a heading row: nothing to carry over
                }
                let missing: Vec<&String> = controls.iter().filter(|c| !own_rows.contains(c)).collect();
                let list = |v: &[&String]| v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                if missing.is_empty() {
                    let all: Vec<&String> = controls.iter().collect();
                    let why = Message::new(
                        format!("管理目的の番号で、管理策ではありません（{} の行を使いました）", list(&all)),
                        format!("a control objective, not a control (the rows of {} were used)", list(&all)),
                    );
                    listed(r.row, cols.id, &r.id_text, not_carried(why));
                    continue;
                }
                let why = Message::new(
                    format!("管理目的の番号で、管理策ではありません（{} として読みました。要確認）", list(&missing)),
                    format!("a control objective, not a control (read as {}; to review)", list(&missing)),
                );
                listed(r.row, cols.id, &r.id_text, why);
                let note = format!("{}{objective}{}", lang.pick("要確認（管理目的 ", "To review (control objective "), lang.pick(" の記載から）", ")"));
                missing.iter().flat_map(|c| cat.successors(c)).map(|m| (objective.clone(), m.new.clone(), Some(note.clone()))).collect()
            }
        };
        let applicable = parse_applicable(&app_text);
        let implemented = parse_implemented(&imp_text);
        if !app_text.is_empty() && applicable.is_none() {
            listed(r.row, cols.applicable, &app_text, Message::new("適用の値が読めません", "not an applicability mark"));
        }
        if let (Some(col), false, None) = (cols.implemented, imp_text.is_empty(), implemented) {
            listed(r.row, col, &imp_text, Message::new("実施の値が読めません", "not an implementation status"));
        }
        let mut texts = [String::new(), String::new()];
        let mut text_review = None;
        for (k, col) in [cols.reason, cols.documents].into_iter().enumerate() {
            let Some(col) = col else { continue };
            let original = get(Some(col));
            let (text, why) = converted_text(&original, cat, edition);
            if let Some(why) = why {
                listed(r.row, col, &original, why);
                let note =
                    lang.pick("要確認（理由・規程の管理策番号を変換できません）", "To review (a control id in the reason or documents could not be converted)");
                text_review = Some(note.to_string());
            }
            texts[k] = text;
        }
        for (label, new, review) in targets {
            evidence.entry(new).or_default().push(Evidence {
                label,
                applicable,
                implemented,
                reason: texts[0].clone(),
                documents: texts[1].clone(),
                review: review.or_else(|| text_review.clone()),
            });
        }
    }
    decision
}

/// Builds the 2022 SoA from `wb` (a legacy SoA or a risk sheet) and writes it to `output`.
/// `lang` is the new workbook's language, `msg` that of the report's reasons.
///
/// # Errors
///
/// [`XlsxError::Xml`](crate::xlsx::XlsxError::Xml) when a sheet's XML cannot be read; those of
/// [`replace_with_bytes`](crate::xlsx::file::replace_with_bytes) when `output` cannot be written
/// ([`XlsxError::InUse`](crate::xlsx::XlsxError::InUse) when it is open in Excel,
/// [`ErrorKind::Io`](crate::ErrorKind::Io)).
pub fn build_soa(wb: &mut Workbook, cat: &Catalog, output: &Path, lang: Lang, msg: Lang) -> Result<Report> {
    let path = wb.path().to_path_buf();
    let mut evidence: BTreeMap<String, Vec<Evidence>> = BTreeMap::new();
    let mut listed: Vec<(String, String, String, Message)> = Vec::new();
    let mut source = Source::RiskSheet;
    let mut source_edition = None;
    // A risk register (LV.3, the seminar) names the controls of each risk's treatment: those are
    // applicable, for the reason 「リスク対応」 and the risks' numbers; its sheet is read no further.
    let register = crate::ops::ipa::analyze_with(wb, &crate::ops::ipa::ReadOptions { lang: msg, ..Default::default() }).ok().and_then(|a| a.register);
    if let Some(reg) = &register {
        let done = |r: &crate::ops::register::Risk| r.response.as_ref().map(|_| if r.response_done { Implemented::Yes } else { Implemented::No });
        for risk in reg.risks.iter().filter(|r| !r.treatment.is_empty()) {
            for id in &risk.control_ids {
                let ev = evidence.entry(id.clone()).or_default();
                ev.push(Evidence {
                    label: risk.no.clone(),
                    applicable: Some(true),
                    implemented: done(risk),
                    reason: String::new(),
                    documents: String::new(),
                    review: None,
                });
            }
        }
    }
    // The register and its plan are read above (the plan repeats the register's controls).
    let read_above: Vec<String> =
        register.iter().flat_map(|r| std::iter::once(r.layout.sheet.clone()).chain(r.plan_layout.as_ref().map(|p| p.sheet.clone()))).collect();
    let sheets: Vec<String> =
        wb.sheets().iter().filter(|s| s.kind == crate::xlsx::SheetKind::Worksheet && !read_above.contains(&s.name)).map(|s| s.name.clone()).collect();
    let mut all_cells = Vec::new();
    for s in &sheets {
        let cells = wb.cells(s).map_err(|e| e.in_file(&path))?;
        if matches!(source, Source::RiskSheet) {
            if let Some(cols) = find_soa_columns(&cells) {
                source = Source::LegacySoa { sheet: s.clone() };
                source_edition = Some(read_legacy_soa(s, &cells, &cols, cat, lang, &mut evidence, &mut listed));
                continue;
            }
        }
        all_cells.push((s.clone(), cells));
    }
    if matches!(source, Source::RiskSheet) {
        // The edition the risk sheet cites, decided as `convert` decides it.
        let decision = crate::ops::convert::decide(
            all_cells.iter().flat_map(|(s, cells)| {
                cells.iter().filter_map(move |c| match &c.value {
                    CellValue::Text(t) if c.formula.is_none() => Some((format!("{s}!{}", c.address), t.as_str(), None, false)),
                    _ => None,
                })
            }),
            cat,
            None,
        );
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
                let edition = match crate::ops::convert::cell_edition(t, None, cat, in_col, &decision) {
                    Ok(e) => e,
                    Err(why) => {
                        listed.push((s.clone(), c.address.clone(), t.clone(), why));
                        continue;
                    }
                };
                let ids = match cited(t, cat, edition, in_col, in_col) {
                    Cites::Ids(ids) => ids,
                    Cites::Review(why) => {
                        // Only references that were meant as such: not bare numbers in free text.
                        if find(t, cat, Context { bare_ids: in_col, edition, ..Context::default() })
                            .refs
                            .iter()
                            .any(|r| matches!(r.kind, RefKind::Unknown(_) | RefKind::Objective { .. }))
                        {
                            listed.push((s.clone(), c.address.clone(), t.clone(), why));
                        }
                        continue;
                    }
                };
                for (_, new) in ids {
                    let label = format!("{s}!{}", c.address);
                    let ev = evidence.entry(new).or_default();
                    if !ev.iter().any(|e| e.label == label) {
                        ev.push(Evidence { label, applicable: Some(true), implemented: None, reason: String::new(), documents: String::new(), review: None });
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
        let mut notes: Vec<String> = Vec::new();
        if predecessors.is_empty() {
            notes.push(new_flag.to_string());
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
                notes = vec![lang.pick("要確認（統合元で適用が異なる）", "To review (predecessors differ in applicability)").to_string()];
            }
            for n in ev.iter().filter_map(|e| e.review.clone()) {
                if !notes.contains(&n) {
                    notes.push(n);
                }
            }
            row.implemented = match row.applicable {
                Some(false) => Some(Implemented::NotApplicable),
                Some(true) => {
                    let imps: Vec<Option<Implemented>> = ev.iter().filter(|e| e.applicable != Some(false)).map(|e| e.implemented).collect();
                    if imps.contains(&Some(Implemented::No)) {
                        Some(Implemented::No)
                    } else if imps.contains(&Some(Implemented::Partial)) {
                        Some(Implemented::Partial)
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
            if register.is_some() && matches!(source, Source::RiskSheet) {
                // The register's risk numbers (its cells cited elsewhere in the workbook too).
                let nos: Vec<&str> = ev.iter().map(|e| e.label.as_str()).collect();
                row.reason =
                    format!("{}（{} {}）", lang.pick("リスク対応", "Risk treatment"), lang.pick("リスクNo", "risk No."), nos.join(lang.pick("、", ", ")));
            } else if matches!(source, Source::RiskSheet) {
                let cites: Vec<&str> = ev.iter().map(|e| e.label.as_str()).collect();
                let shown = if cites.len() > 3 { format!("{} {}", cites[..3].join("、"), lang.pick("ほか", "and others")) } else { cites.join("、") };
                row.reason = format!("{}（{shown}）", lang.pick("リスク対応で選択", "selected for risk treatment"));
            }
        }
        row.note = notes.join(lang.pick("／", "; "));
        rows.push(row);
    }
    let bytes = soa_workbook(cat, &rows, lang, &path)?;
    crate::xlsx::file::replace_with_bytes(output, &Default::default(), &bytes)?;
    let unreadable = listed.into_iter().map(|(sheet, cell, text, why)| Unreadable { sheet, cell, text, reason: why.get(msg).to_string() }).collect();
    Ok(Report { file: output.display().to_string(), source, source_edition, prefilled, new_controls, unreadable, rows })
}

/// The SoA workbook's bytes.
fn soa_workbook(cat: &Catalog, rows: &[Row], lang: Lang, source: &Path) -> Result<Vec<u8>> {
    let mut sh = Sheet::new(true);
    let t = |ja: &'static str, en: &'static str| lang.pick(ja, en);
    sh.text(1, 1, t("適用宣言書（ISO/IEC 27001:2022 附属書A）", "Statement of Applicability (ISO/IEC 27001:2022 Annex A)"), STYLE_TITLE);
    let note = match lang {
        Lang::Ja => format!("作成元: {}\n管理策名は公開の翻訳に基づく参考訳です（JIS Q 27001:2023 の正式名称は --catalog で読み込めます）。", source.display()),
        Lang::En => format!("Source: {}\nControl titles are public transcriptions (load licensed titles with --catalog).", source.display()),
    };
    // 132 characters in all: printed on A4 landscape, one page wide, at a readable size
    // (LibreOffice: about 82 %, its 10 pt note at 8.2 pt); long texts wrap in rows sized for them.
    let headers = [
        ("No", "No", 4.5),
        ("管理策番号", "Control", 8.5),
        ("分類", "Theme", 10.0),
        ("管理策", "Title", 26.0),
        ("適用", "Applicable", 7.0),
        ("実施", "Implemented", 8.0),
        ("管理策を含めた理由又は除外した理由", "Justification for inclusion or exclusion", 25.0),
        ("規程・手順書", "Policies and procedures", 19.0),
        ("2013年版の管理策", "2013 controls", 12.0),
        ("移行メモ", "Transition note", 14.0),
    ];
    for (i, (ja, en, w)) in headers.iter().enumerate() {
        let col = i as u32 + 1;
        sh.text(HEADER_ROW, col, t(ja, en), STYLE_HEADER);
        sh.width(col, *w);
    }
    // The note spans the table, as tall as its lines. Line heights in points: 游ゴシック draws
    // taller lines than Calibri (11 pt: 18.75 against 15).
    let (line, note_line) = match lang {
        Lang::Ja => (18.0, 16.0),
        Lang::En => (15.0, 13.5),
    };
    let table_width: f64 = headers.iter().map(|h| h.2).sum();
    sh.text(2, 1, &note, STYLE_NOTE);
    sh.merge(2, 1, 2, headers.len() as u32, STYLE_NOTE);
    sh.height(2, wrapped_lines(&note, table_width) as f64 * note_line + 4.0);
    sh.height(HEADER_ROW, 30.0);
    let (yes, no) = (t("○", "Yes"), t("×", "No"));
    let (done, partly, notyet, na) = (t("○", "Yes"), t("一部実施", "Partially"), t("未", "No"), t("ー", "N/A"));
    for (i, r) in rows.iter().enumerate() {
        let row = FIRST_ROW + i as u32;
        let c = cat.control_2022(&r.id);
        sh.number(row, 1, (i + 1) as f64, STYLE_BODY_CENTER);
        sh.text(row, 2, &r.id, STYLE_BODY_CENTER);
        sh.text(row, 3, c.map_or("", |c| c.theme.name(lang)), STYLE_BODY);
        let title = c.map_or("", |c| c.title(lang));
        sh.text(row, 4, title, STYLE_BODY_WRAP);
        match r.applicable {
            Some(true) => sh.text(row, 5, yes, STYLE_BODY_CENTER),
            Some(false) => sh.text(row, 5, no, STYLE_BODY_CENTER),
            None => sh.blank(row, 5, STYLE_BODY_CENTER),
        }
        match r.implemented {
            Some(Implemented::Yes) => sh.text(row, 6, done, STYLE_BODY_CENTER),
            Some(Implemented::Partial) => sh.text(row, 6, partly, STYLE_BODY_CENTER),
            Some(Implemented::No) => sh.text(row, 6, notyet, STYLE_BODY_CENTER),
            Some(Implemented::NotApplicable) => sh.text(row, 6, na, STYLE_BODY_CENTER),
            None => sh.blank(row, 6, STYLE_BODY_CENTER),
        }
        let predecessors = r.predecessors.join(", ");
        let wrapped = [(4, title), (7, r.reason.as_str()), (8, r.documents.as_str()), (9, predecessors.as_str()), (10, r.note.as_str())];
        for &(col, v) in &wrapped[1..] {
            if v.is_empty() {
                sh.blank(row, col, STYLE_BODY_WRAP);
            } else {
                sh.text(row, col, v, STYLE_BODY_WRAP);
            }
        }
        // Tall enough for the longest wrapped text (Excel and LibreOffice do not grow a row on opening).
        let lines = wrapped.iter().map(|&(col, v)| wrapped_lines(v, headers[col as usize - 1].2)).max().unwrap_or(1);
        if lines > 1 {
            sh.height(row, lines as f64 * line + 4.0);
        }
    }
    let last = FIRST_ROW + rows.len().max(1) as u32 - 1;
    let range = |c: u32| Range::new(CellRef::new(FIRST_ROW, c), CellRef::new(last, c));
    let err = (t("入力エラー", "Invalid entry"), t("一覧にある値を選んでください。", "Choose a value from the list."));
    sh.validate(DataValidation::list(range(5), &[yes, no]).with_error(err.0, err.1));
    sh.validate(DataValidation::list(range(6), &[done, partly, notyet, na]).with_error(err.0, err.1));
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
