//! `risksheet convert`: rewrite legacy ISO/IEC 27001 control references (2013, or 2005 through the
//! 2005→2013 table) in a workbook to their 2022 ids, in place, with a trail sheet an auditor can
//! follow. The source edition is decided first, never assumed ([`Decision`]; a cell that cannot be
//! decided is listed for review).
//!
//! For each text cell (formulas are never touched) the references are found with
//! [`crate::controls::refs::find`] and rewritten through the 115-pair table (for 2005, each id
//! through the 2013 control between; a removed control or a low-confidence pair is listed for
//! review, never written):
//!
//! - each reference becomes its 2022 id in the same notation (`A.12.6.1` → `A.8.8`,
//!   `12.6.1` → `8.8`, `Ａ．１２．６．１` → `Ａ．８．８`); every other character of the cell stays;
//! - a list whose ids merge is collapsed (`A.9.2.5, A.9.2.6` → `A.5.18`), the split is expanded
//!   (`A.18.2.3` → `A.5.36、A.8.8`), a range is expanded then collapsed
//!   (`A.13.2.1〜A.13.2.3` → `A.5.14`);
//! - a title beside the id (in the cell, or alone in the cell right of an id-only cell) becomes
//!   the 2022 title in the same language;
//! - a cell with a reference that cannot be interpreted (`A.19.1.1`, `A.9.2`, a reversed range,
//!   bare ids outside a control column) is left unchanged and listed as 要確認.
//!
//! Bare ids (`12.6.1`) are read only below a header that names controls; see
//! [`crate::controls::refs`] for the rule. The trail sheet 「変換記録」 ("Conversion log" in
//! English) lists sheet, cell, old text, new text, the pairs used with their relation, and the
//! status (変換 / 要確認). Cell styles are kept; a cell that held rich text (runs of several
//! fonts) keeps its cell style but its text becomes plain.
//!
//! ```
//! use risksheet::controls::{Catalog, refs::Context};
//! use risksheet::ops::convert::{convert_text, Outcome};
//! let cat = Catalog::bundled();
//! match convert_text("A.9.2.5、A.9.2.6 を実施", cat, Context::default()) {
//!     Outcome::Converted(c) => assert_eq!(c.text, "A.5.18 を実施"),
//!     other => panic!("{other:?}"),
//! }
//! match convert_text("A.18.2.3 Technical compliance review", cat, Context::default()) {
//!     Outcome::Converted(c) => assert_eq!(c.new_ids, ["5.36", "8.8"]),
//!     other => panic!("{other:?}"),
//! }
//! assert!(matches!(convert_text("A.19.1.1", cat, Context::default()), Outcome::Review(_)));
//! assert!(matches!(convert_text("売上 1.2.3", cat, Context::default()), Outcome::None));
//! ```
use crate::controls::refs::{find, render_id, Context, RefKind, Reference};
use crate::controls::{Catalog, Confidence, Edition, Relation, Relation2005};
use crate::error::{Error, ErrorKind, Lang, Message, Result};
use crate::text::to_narrow;
use crate::xlsx::file::SaveOptions;
use crate::xlsx::new_book::{self, Sheet};
use crate::xlsx::XlsxError;
use crate::xlsx::{CellRef, CellValue, Limits, SaveReport, SheetKind, Workbook};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One pair of the tables used for a cell: a 2013 id to a 2022 id, or a 2005 id through a
/// 2013 id to a 2022 id.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    /// The legacy id (2013, or 2005 when `via` is set).
    pub old: String,
    /// For a 2005 id, the 2013 control between.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    /// 2022 id.
    pub new: String,
    /// 2013 → 2022.
    pub relation: Relation,
    /// 2005 → 2013, for a 2005 id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relation_2005: Option<Relation2005>,
    /// How sure the 2005 → 2013 table is, for a 2005 id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
}

impl Pair {
    /// `A.9.2.5→5.18 (統合)`, `A.14.1.3→A.17.1.2→5.29 (同一・高)`: the pair as the trail shows
    /// it, its relation in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        let word = self.relation.word(lang);
        match (&self.via, self.relation_2005, self.confidence) {
            (Some(via), Some(r), Some(c)) => {
                let dot = lang.pick("・", ", ");
                let first = if r == Relation2005::Equivalent { String::new() } else { format!("{}{dot}", r.word(lang)) };
                format!("{}→{via}→{} ({first}{word}{dot}{})", self.old, self.new, c.word(lang))
            }
            _ => format!("{}→{} ({word})", self.old, self.new),
        }
    }
}

/// A converted text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Converted {
    /// The new text.
    pub text: String,
    /// The 2013 ids found, in order, without repeats.
    pub old_ids: Vec<String>,
    /// The 2022 ids written, in order, without repeats.
    pub new_ids: Vec<String>,
    /// The pairs used.
    pub pairs: Vec<Pair>,
    /// A list collapsed to fewer ids (merge).
    pub merged: bool,
    /// A control split into several.
    pub split: bool,
    /// When the text is a single reference without title: its legacy id (for a title in the
    /// next cell).
    pub lone_id: Option<String>,
    /// The edition the legacy ids were read in.
    pub edition: Edition,
}

/// What converting one text gives.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// No legacy reference.
    None,
    /// Rewritten.
    Converted(Converted),
    /// Left as it is; the reason says why it needs a person.
    Review(Message),
}

fn default_separator(text: &str, r: &Reference) -> &'static str {
    if r.full_width || !text.is_ascii() {
        "、"
    } else {
        ", "
    }
}

/// The pairs that take a legacy id of `edition` to 2022.
fn successors(cat: &Catalog, edition: Edition, old: &str) -> Vec<Pair> {
    match edition {
        Edition::Iso2013 => cat
            .successors(old)
            .into_iter()
            .map(|m| Pair { old: m.old.clone(), via: None, new: m.new.clone(), relation: m.relation, relation_2005: None, confidence: None })
            .collect(),
        Edition::Iso2005 => cat
            .chain_2005(old)
            .into_iter()
            .filter_map(|c| {
                Some(Pair { old: c.old, via: c.via, new: c.new?, relation: c.relation_2022?, relation_2005: Some(c.relation), confidence: Some(c.confidence) })
            })
            .collect(),
    }
}

/// The 2022 ids the controls of an objective go to, without repeats.
fn objective_successors(cat: &Catalog, edition: Edition, ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in ids.iter().flat_map(|id| successors(cat, edition, id)) {
        if !out.contains(&p.new) {
            out.push(p.new);
        }
    }
    out
}

fn title_2022(cat: &Catalog, id: &str, lang: Lang) -> String {
    cat.control_2022(id).map(|c| c.title(lang).to_string()).unwrap_or_default()
}

/// Converts the legacy references of one text. See the module documentation for the rules.
pub fn convert_text(text: &str, cat: &Catalog, ctx: Context) -> Outcome {
    let found = find(text, cat, ctx);
    if found.refs.is_empty() {
        if !ctx.bare_ids {
            let bare = find(text, cat, Context { bare_ids: true, ..ctx });
            if !bare.refs.is_empty() && bare.only_references(text) && bare.refs.iter().all(|r| !matches!(r.kind, RefKind::Unknown(_))) {
                return Outcome::Review(Message::new(
                    "「A.」のない番号（管理策の列ではないため変換しません）",
                    "ids without \"A.\" outside a control column (not converted)",
                ));
            }
        }
        return Outcome::None;
    }
    let edition = ctx.edition.year();
    if let Some(r) = found.refs.iter().find(|r| matches!(r.kind, RefKind::Unknown(_))) {
        let RefKind::Unknown(what) = &r.kind else { return Outcome::None };
        return Outcome::Review(Message::new(
            format!("{edition}年版の管理策として解釈できません: {what}"),
            format!("not a control of the {edition} edition: {what}"),
        ));
    }
    if let Some(RefKind::Objective { id, ids }) = found.refs.iter().map(|r| &r.kind).find(|k| matches!(k, RefKind::Objective { .. })) {
        let (ids, new) = (ids.join(", "), objective_successors(cat, ctx.edition, ids).join(", "));
        return Outcome::Review(Message::new(
            format!("管理目的 {id}（{edition}年版）: 個々の管理策 {ids} のどれかを指定してください（2022年版では {new}）"),
            format!("objective {id} ({edition} edition): name the controls meant among {ids} (in 2022: {new})"),
        ));
    }
    // A 2005 control without a successor, or a pair the table is not sure of, is a person's call.
    if ctx.edition == Edition::Iso2005 {
        for old in found.refs.iter().flat_map(Reference::ids) {
            let chain = cat.chain_2005(&old);
            if chain.iter().any(|c| c.relation == Relation2005::Removed) {
                let note = chain.first().map(|c| c.note.clone()).unwrap_or_default();
                return Outcome::Review(Message::new(
                    format!("2005年版 {old} は2013年版で削除された管理策で、後継がありません（{note}）"),
                    format!("2005 {old} was removed in 2013 and has no successor ({note})"),
                ));
            }
            if let Some(c) = chain.iter().find(|c| c.confidence == Confidence::Low) {
                let via = c.via.clone().unwrap_or_default();
                return Outcome::Review(Message::new(
                    format!("2005年版 {old} → 2013年版 {via} の対応は確からしさが低いため変換しません（{}）", c.note),
                    format!("2005 {old} → 2013 {via} is a low-confidence pair, not converted ({})", c.note),
                ));
            }
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    let mut old_ids: Vec<String> = Vec::new();
    let mut new_ids: Vec<String> = Vec::new();
    let mut pairs: Vec<Pair> = Vec::new();
    let (mut merged, mut split) = (false, false);
    for g in &found.groups {
        let refs = &found.refs[g.clone()];
        // (new id, index of the reference it comes from first)
        let mut items: Vec<(String, usize)> = Vec::new();
        let mut olds_in_group = 0;
        for (k, r) in refs.iter().enumerate() {
            for old in r.ids() {
                olds_in_group += 1;
                if !old_ids.contains(&old) {
                    old_ids.push(old.clone());
                }
                let succ = successors(cat, ctx.edition, &old);
                if succ.iter().map(|p| &p.new).collect::<std::collections::BTreeSet<_>>().len() > 1 {
                    split = true;
                }
                for m in succ {
                    if !items.iter().any(|(n, _)| *n == m.new) {
                        items.push((m.new.clone(), k));
                    }
                    if !new_ids.contains(&m.new) {
                        new_ids.push(m.new.clone());
                    }
                    if !pairs.contains(&m) {
                        pairs.push(m);
                    }
                }
            }
        }
        if items.len() < olds_in_group {
            merged = true;
        }
        let one_to_one =
            items.len() == refs.len() && items.iter().enumerate().all(|(i, (_, k))| *k == i) && refs.iter().all(|r| matches!(r.kind, RefKind::Control(_)));
        if one_to_one {
            for (r, (new, _)) in refs.iter().zip(&items) {
                if let Some(t) = r.title_before.as_ref().filter(|t| t.span.start >= pos) {
                    out.push_str(&text[pos..t.span.start]);
                    out.push_str(&title_2022(cat, new, t.lang));
                    pos = t.span.end;
                }
                out.push_str(&text[pos..r.id_span.start]);
                out.push_str(&render_id(new, r.prefixed, r.full_width));
                pos = r.id_span.end;
                if let Some(t) = &r.title {
                    out.push_str(&text[pos..t.span.start]);
                    out.push_str(&title_2022(cat, new, t.lang));
                    pos = t.span.end;
                }
            }
        } else {
            let first = &refs[0];
            // A title before a list that merges or splits: the new titles, in its language.
            if let Some(t) = first.title_before.as_ref().filter(|t| t.span.start >= pos) {
                out.push_str(&text[pos..t.span.start]);
                let sep = if t.lang == Lang::Ja { "、" } else { ", " };
                out.push_str(&items.iter().map(|(n, _)| title_2022(cat, n, t.lang)).collect::<Vec<_>>().join(sep));
                pos = t.span.end;
            }
            out.push_str(&text[pos..first.span.start]);
            let sep = if refs.len() > 1 { &text[refs[0].span.end..refs[1].span.start] } else { default_separator(text, first) };
            for (i, (new, k)) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                let r = &refs[*k];
                out.push_str(&render_id(new, r.prefixed, r.full_width));
                if let Some(t) = &r.title {
                    out.push_str(&text[r.id_span.end..t.span.start]);
                    out.push_str(&title_2022(cat, new, t.lang));
                    out.push_str(&text[t.span.end..r.span.end]);
                }
            }
            pos = refs[refs.len() - 1].span.end;
        }
    }
    out.push_str(&text[pos..]);
    let lone_id = match found.refs.as_slice() {
        [r] if r.title.is_none() && r.title_before.is_none() && found.only_references(text) => match &r.kind {
            RefKind::Control(id) => Some(id.clone()),
            _ => None,
        },
        _ => None,
    };
    Outcome::Converted(Converted { text: out, old_ids, new_ids, pairs, merged, split, lone_id, edition: ctx.edition })
}

/// Whether a header text names a column of control ids or titles (管理策, 管理目的, 附属書,
/// control, annex) and not one of reasons, documents, status or notes.
///
/// ```
/// use risksheet::ops::convert::is_control_header;
/// assert!(is_control_header("管理策番号"));
/// assert!(is_control_header("Annex A control"));
/// assert!(!is_control_header("管理策を含めた理由又は除外した理由"));
/// assert!(!is_control_header("規程・手順書"));
/// ```
pub fn is_control_header(text: &str) -> bool {
    let t = to_narrow(text).to_lowercase();
    if t.chars().count() > 40 {
        return false;
    }
    let yes = ["管理策", "管理目的", "附属書", "control", "annex"];
    let no = [
        "理由",
        "reason",
        "justif",
        "規程",
        "手順",
        "procedure",
        "document",
        "備考",
        "note",
        "remark",
        "実施",
        "status",
        "適用",
        "applicab",
        "タスク",
        "task",
        "担当",
        "owner",
        "計画",
        "plan",
        "メモ",
    ];
    yes.iter().any(|w| t.contains(w)) && !no.iter().any(|w| t.contains(w))
}

mod edition;
mod trail;
pub(crate) use edition::decide;
pub use edition::{Decision, How};
use trail::{book_lang, converted_before, is_trail_sheet, write_trail};

/// Options of [`convert`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The edition the legacy references cite; `None` decides it from the workbook (see
    /// [`Decision`]).
    pub from: Option<Edition>,
    /// Sheets to convert (all worksheets when empty).
    pub sheets: Vec<String>,
    /// Do not add the trail sheet.
    pub no_trail: bool,
    /// The language of the report and of the trail sheet.
    pub lang: Lang,
}

/// Status of a trail row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The cell was rewritten.
    Converted,
    /// The cell was left as it is and needs a person.
    Review,
}

/// One row of the trail.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// Sheet.
    pub sheet: String,
    /// Cell (`B7`).
    pub cell: String,
    /// Text before.
    pub old: String,
    /// Text after (the same for a review).
    pub new: String,
    /// The pairs used.
    pub pairs: Vec<Pair>,
    /// What happened: converted or to review.
    pub status: Status,
    /// 統合 / 分割 / 名称 / the reason for a review, in the message language.
    pub note: String,
    /// The note in both languages (the trail is in the workbook's).
    #[serde(skip)]
    pub note_text: Message,
    /// The edition the cell's references were read in (none when it was not decided).
    pub edition: Option<Edition>,
}

/// What [`convert`] did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Sheets scanned.
    pub sheets: Vec<String>,
    /// Text cells scanned.
    pub cells_scanned: usize,
    /// Cells rewritten.
    pub converted: usize,
    /// Cells listed for review.
    pub review: usize,
    /// Every change and review, in sheet and cell order.
    pub changes: Vec<Change>,
    /// The trail sheet added, if any.
    pub trail_sheet: Option<String>,
    /// The edition the references were read in, and why.
    pub source: Option<Decision>,
}

/// Converts every legacy reference of `wb` (see the module documentation) and adds the trail
/// sheet. The workbook is not saved.
///
/// # Errors
///
/// [`XlsxError::SheetNotFound`] when a sheet of `opts.sheets` is not in the workbook;
/// [`XlsxError::Xml`] when a sheet's XML cannot be read; [`XlsxError::ArrayFormula`] when a
/// converted cell lies inside an array formula.
///
/// ```no_run
/// use risksheet::controls::Catalog;
/// use risksheet::ops::convert::{convert, Options};
/// let mut wb = risksheet::xlsx::Workbook::open("soa-2013.xlsx")?;
/// let report = convert(&mut wb, Catalog::bundled(), &Options::default())?;
/// println!("{} cells converted, {} to review", report.converted, report.review);
/// wb.save_as("soa-2022.xlsx", &Default::default())?;
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn convert(wb: &mut Workbook, cat: &Catalog, opts: &Options) -> Result<Report> {
    let lang = opts.lang;
    let path = wb.path().to_path_buf();
    for s in &opts.sheets {
        wb.sheet_index(s).map_err(|e| e.in_file(&path))?;
    }
    let targets: Vec<String> = wb
        .sheets()
        .iter()
        .filter(|s| s.kind == SheetKind::Worksheet && !is_trail_sheet(&s.name))
        .filter(|s| opts.sheets.is_empty() || opts.sheets.contains(&s.name))
        .map(|s| s.name.clone())
        .collect();
    // Each sheet's text cells and the columns whose header names controls (column → header row).
    // Cells an earlier run converted hold 2022 ids now (`A.8.1` is no longer the objective):
    // they are not read again while they hold what the trail says was written.
    let done = converted_before(wb)?;
    let mut sheets_read = Vec::new();
    for sheet in &targets {
        let cells = wb.cells(sheet).map_err(|e| e.in_file(&path))?;
        let mut control_cols: BTreeMap<u32, u32> = BTreeMap::new();
        for c in cells.iter().filter(|c| c.row <= 30 && c.formula.is_none()) {
            if let CellValue::Text(t) = &c.value {
                if is_control_header(t) && find(t, cat, Context { bare_ids: true, ..Context::default() }).refs.is_empty() {
                    control_cols.entry(c.col).or_insert(c.row);
                }
            }
        }
        sheets_read.push((sheet.clone(), cells, control_cols));
    }
    let bare_at = |cols: &BTreeMap<u32, u32>, row: u32, col: u32| cols.get(&col).is_some_and(|&h| row > h);
    let texts_of = |cells: &[crate::xlsx::Cell]| -> BTreeMap<(u32, u32), String> {
        cells
            .iter()
            .filter(|c| c.formula.is_none())
            .filter_map(|c| match &c.value {
                CellValue::Text(t) => Some(((c.row, c.col), t.clone())),
                _ => None,
            })
            .collect()
    };
    let sheet_texts: Vec<BTreeMap<(u32, u32), String>> = sheets_read.iter().map(|(_, cells, _)| texts_of(cells)).collect();
    let decision = edition::decide(
        sheets_read.iter().zip(&sheet_texts).flat_map(|((sheet, cells, cols), texts)| {
            let done = &done;
            cells.iter().filter(|c| c.formula.is_none()).filter_map(move |c| match &c.value {
                CellValue::Text(t) if done.contains(&(sheet.clone(), c.address.clone(), t.clone())) => None,
                CellValue::Text(t) => {
                    let beside = texts.get(&(c.row, c.col + 1)).map(String::as_str);
                    Some((format!("{sheet}!{}", c.address), t.as_str(), beside, bare_at(cols, c.row, c.col)))
                }
                _ => None,
            })
        }),
        cat,
        opts.from,
    );
    let mut report = Report { sheets: targets.clone(), source: Some(decision.clone()), ..Report::default() };
    for (sheet, cells, control_cols) in &sheets_read {
        let text_at: BTreeMap<(u32, u32), &str> = cells
            .iter()
            .filter(|c| c.formula.is_none())
            .filter_map(|c| match &c.value {
                CellValue::Text(t) => Some(((c.row, c.col), t.as_str())),
                _ => None,
            })
            .collect();
        let mut titles_done: Vec<(u32, u32)> = Vec::new();
        for c in cells.iter() {
            if c.formula.is_some() || titles_done.contains(&(c.row, c.col)) {
                continue;
            }
            let CellValue::Text(text) = &c.value else { continue };
            if done.contains(&(sheet.clone(), c.address.clone(), text.clone())) {
                continue;
            }
            report.cells_scanned += 1;
            let bare_ids = bare_at(control_cols, c.row, c.col);
            let at = CellRef::new(c.row, c.col);
            let beside = text_at.get(&(c.row, c.col + 1)).copied();
            let (outcome, cell_ed) = match cell_edition(text, beside, cat, bare_ids, &decision) {
                Ok(edition) => (convert_text(text, cat, Context { bare_ids, edition, objectives: decision.cites_legacy }), Some(edition)),
                Err(why) => (Outcome::Review(why), None),
            };
            match outcome {
                Outcome::None => {}
                Outcome::Review(why) => {
                    report.review += 1;
                    report.changes.push(Change {
                        sheet: sheet.clone(),
                        cell: c.address.clone(),
                        old: text.clone(),
                        new: text.clone(),
                        pairs: Vec::new(),
                        status: Status::Review,
                        note: why.get(lang).to_string(),
                        note_text: why,
                        edition: cell_ed,
                    });
                }
                Outcome::Converted(cv) => {
                    wb.set_value(sheet, at, CellValue::Text(cv.text.clone())).map_err(|e| e.in_file(&path))?;
                    report.converted += 1;
                    let note_text = Message::each(|l| {
                        let mut notes = Vec::new();
                        if cv.merged {
                            notes.push(l.pick("統合", "merged"));
                        }
                        if cv.split {
                            notes.push(l.pick("分割", "split"));
                        }
                        notes.join(l.pick("・", ", "))
                    });
                    report.changes.push(Change {
                        sheet: sheet.clone(),
                        cell: c.address.clone(),
                        old: text.clone(),
                        new: cv.text.clone(),
                        pairs: cv.pairs.clone(),
                        status: Status::Converted,
                        note: note_text.get(lang).to_string(),
                        note_text,
                        edition: Some(cv.edition),
                    });
                    // The 2013 title alone in the cell to the right.
                    if let (Some(old), Some(right)) = (&cv.lone_id, text_at.get(&(c.row, c.col + 1))) {
                        let want = right.trim();
                        let matched = crate::controls::refs::titles_of(cat, cv.edition, old).into_iter().find(|(t, _)| t.trim() == want);
                        if let Some((_, tlang)) = matched {
                            let sep = if tlang == Lang::Ja { "、" } else { ", " };
                            let new_title = cv.new_ids.iter().map(|n| title_2022(cat, n, tlang)).collect::<Vec<_>>().join(sep);
                            if new_title != *right {
                                let r_at = CellRef::new(c.row, c.col + 1);
                                wb.set_value(sheet, r_at, CellValue::Text(new_title.clone())).map_err(|e| e.in_file(&path))?;
                                report.converted += 1;
                                report.changes.push(Change {
                                    sheet: sheet.clone(),
                                    cell: r_at.to_string(),
                                    old: right.to_string(),
                                    new: new_title,
                                    pairs: cv.pairs.clone(),
                                    status: Status::Converted,
                                    note: format!("{}（{}）", lang.pick("名称", "title"), c.address),
                                    note_text: Message::new(format!("名称（{}）", c.address), format!("title ({})", c.address)),
                                    edition: Some(cv.edition),
                                });
                            }
                            titles_done.push((c.row, c.col + 1));
                        }
                    }
                }
            }
        }
    }
    if !opts.no_trail {
        let texts = sheets_read.iter().flat_map(|(_, cells, _)| cells.iter()).filter_map(|c| match &c.value {
            CellValue::Text(t) => Some(t.as_str()),
            _ => None,
        });
        let names: Vec<String> = wb.sheet_names();
        report.trail_sheet = write_trail(wb, &report.changes, book_lang(texts.chain(names.iter().map(String::as_str))))?;
    }
    Ok(report)
}

/// The edition one cell is read in: the workbook's unless the cell's own evidence says the other
/// (then the cell is for review), the cell's own when the workbook's is not decided, and for
/// review when neither says.
pub(crate) fn cell_edition(text: &str, beside: Option<&str>, cat: &Catalog, bare_ids: bool, decision: &Decision) -> std::result::Result<Edition, Message> {
    let (vote, cites) = edition::cell_vote(text, beside, cat, bare_ids);
    match (decision.edition, vote) {
        (Some(e), Some(v)) if v != e => {
            let (e, v) = (e.year(), v.year());
            Err(Message::new(
                format!("ブックは {e}年版ですが、このセルは {v}年版の管理策を指しているようです（版が混在）"),
                format!("the workbook is read as the {e} edition but this cell looks like {v} (editions mixed)"),
            ))
        }
        (Some(e), _) => Ok(e),
        (None, Some(v)) => Ok(v),
        // Nothing to convert in the cell: whatever edition finds nothing.
        (None, None) if !cites => Ok(Edition::Iso2013),
        (None, None) => Err(Message::new(
            format!("版が分からないため変換しません（{}）", decision.why.get(Lang::Ja)),
            format!("edition unknown, not converted ({})", decision.why.get(Lang::En)),
        )),
    }
}

/// Whether a file is a legacy workbook read with calamine (`.xls`, `.ods`, `.xlsb`).
pub fn is_legacy(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "xls" | "ods" | "xlsb"))
}

/// Reads a `.xls`/`.ods`/`.xlsb` workbook with calamine into a new `.xlsx` package holding its
/// values (text, numbers; dates as serial numbers, booleans and errors as text). Formulas,
/// styles, merges and validations are not carried over.
///
/// # Errors
///
/// [`ErrorKind::Io`] when the file cannot be read; [`XlsxError::PartTooLarge`] or
/// [`XlsxError::Corrupt`] when it is over the limits of the legacy reader, damaged, or holds no
/// sheets (a panic of the reader becomes this error).
pub fn legacy_to_xlsx(path: &Path) -> Result<Vec<u8>> {
    use calamine::{Data, Reader};
    let fail = |m: Message| Error::from(XlsxError::Corrupt(m)).in_file(path);
    let (bytes, _) = crate::xlsx::file::read(path, crate::ops::legacy::MAX_FILE).map_err(|e| e.in_file(path))?;
    // What calamine would build is measured first: an allocation it cannot make aborts.
    crate::ops::legacy::check(path, &bytes)?;
    let read = || -> std::result::Result<Vec<(String, calamine::Range<Data>)>, String> {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        let rs = std::io::Cursor::new(bytes.as_slice());
        let mut book = if bytes.starts_with(&crate::xlsx::package::OLE_MAGIC[..4]) {
            calamine::Sheets::Xls(calamine::open_workbook_from_rs(rs).map_err(|e: calamine::XlsError| e.to_string())?)
        } else if ext == "ods" {
            calamine::Sheets::Ods(calamine::open_workbook_from_rs(rs).map_err(|e: calamine::OdsError| e.to_string())?)
        } else if ext == "xlsb" {
            calamine::Sheets::Xlsb(calamine::open_workbook_from_rs(rs).map_err(|e: calamine::XlsbError| e.to_string())?)
        } else {
            calamine::open_workbook_auto_from_rs(rs).map_err(|e| e.to_string())?
        };
        book.sheet_names().into_iter().map(|name| book.worksheet_range(&name).map(|r| (name.clone(), r)).map_err(|e| format!("{name}: {e}"))).collect()
    };
    // calamine panics on some damaged records: that is this file's error, said quietly.
    let ranges = crate::error::catch_panic(read)
        .map_err(|p| fail(Message::new(format!("旧形式の読み込みが異常終了しました: {p}"), format!("the legacy reader failed: {p}"))))?
        .map_err(|m| fail(m.into()))?;
    let mut sheets: Vec<(String, Sheet)> = Vec::new();
    for (name, range) in ranges {
        let mut sh = Sheet::new(false);
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, v) in range.used_cells() {
            let (row, col) = ((r0 as usize).saturating_add(r + 1), (c0 as usize).saturating_add(c + 1));
            if row > 1_048_576 || col > 16_384 {
                continue;
            }
            let (row, col) = (row as u32, col as u32);
            match v {
                Data::Empty => {}
                Data::String(s) => sh.text(row, col, s, 0),
                Data::Float(f) if f.is_finite() => sh.number(row, col, *f, 0),
                Data::Float(_) => {}
                Data::Int(i) => sh.number(row, col, *i as f64, 0),
                Data::Bool(b) => sh.text(row, col, if *b { "TRUE" } else { "FALSE" }, 0),
                Data::DateTime(d) => sh.number(row, col, d.as_f64(), 0),
                Data::DateTimeIso(s) | Data::DurationIso(s) => sh.text(row, col, s, 0),
                Data::Error(e) => sh.text(row, col, &e.to_string(), 0),
            }
        }
        let name = if name.chars().count() > 31 { name.chars().take(31).collect() } else { name };
        sheets.push((name, sh));
    }
    if sheets.is_empty() {
        return Err(fail(Message::new("シートがありません", "no sheets")));
    }
    sheets[0].1.selected = true;
    let title = path.file_stem().and_then(|s| s.to_str()).unwrap_or("workbook").to_string();
    // What language the values are in is not known: the Japanese font shows both.
    new_book::package(&title, &sheets, 0, Lang::Ja).map_err(|e| e.in_file(path))
}

/// The whole `convert` command: opens `input` (`.xlsx`/`.xlsm` in place, or `.xls`/`.ods`
/// through [`legacy_to_xlsx`]), converts, and saves to `output` (default: `input` itself, or
/// `input` with `.xlsx` for a legacy file, which must not exist yet), unless `dry_run`.
///
/// # Errors
///
/// Those of opening the input ([`Workbook::open_with`], [`legacy_to_xlsx`]), of [`convert`] and of
/// saving ([`Workbook::save_as`]); [`ErrorKind::Usage`] when a legacy input's default output
/// (`input.xlsx`) exists already.
pub fn convert_file(
    input: &Path,
    output: Option<&Path>,
    cat: &Catalog,
    opts: &Options,
    dry_run: bool,
    save: &SaveOptions,
    limits: &Limits,
) -> Result<(Report, SaveReport)> {
    let legacy = is_legacy(input);
    let (mut wb, target): (Workbook, PathBuf) = if legacy {
        let target = match output {
            Some(o) => o.to_path_buf(),
            None => {
                let t = input.with_extension("xlsx");
                if t.exists() && !dry_run {
                    return Err(Error::usage(Message::new("既にあります（-o で保存先を指定してください）", "exists (name the output with -o)")).in_file(&t));
                }
                t
            }
        };
        if !input.exists() {
            return Err(Error::new(ErrorKind::Io(std::io::Error::new(std::io::ErrorKind::NotFound, "not found"))).in_file(input));
        }
        let bytes = legacy_to_xlsx(input)?;
        // Named after the input until saved, so that the new file is always written.
        (Workbook::from_bytes(input, bytes, limits)?, target)
    } else {
        // Changed in place: read under the lock held until the save (see `Workbook::open_for_update`).
        let wb = if output.is_none() && !dry_run { Workbook::open_for_update(input, limits)? } else { Workbook::open_with(input, limits)? };
        (wb, output.unwrap_or(input).to_path_buf())
    };
    let report = convert(&mut wb, cat, opts).map_err(|e| e.in_file(input))?;
    let saved = if dry_run { wb.preview()? } else { wb.save_as(&target, &SaveOptions { backup: save.backup && !legacy, ..*save })? };
    Ok((report, saved))
}

#[cfg(test)]
#[path = "tests/convert.rs"]
mod tests;
