//! Layout inference: which sheet holds each table of a risk analysis workbook, where its header
//! is, and which column holds each field — decided by evidence, as a person reading the sheet
//! would, never by a fixed address or one exact wording.
//!
//! For each role (ledger, threats, checklist, diagnosis) every sheet is tried. In the first rows
//! each row (or pair of rows, for a group row over a field row) is a candidate header; each
//! field scores each column on
//! - the header text ([`Header::score`]: width, spacing, notes in brackets, numbering and
//!   punctuation do not count; names, variants and English are compared, and the words shared),
//! - the column's contents (media names, C/I/A levels on the profile's scale, 有/○, check answers,
//!   frequencies, group and chapter names: the share of values below the header that read as the
//!   field's kind),
//!
//! and fields take columns best first, one column each. The header position with the highest
//! total wins; the roles then take sheets best first, one sheet each, the tab name counting as a
//! hint only. A required input column whose best candidate is weak, or has a rival within a
//! hair's breadth, is left unassigned and reported as an [`Ambiguity`]: nothing is computed
//! from a column risksheet is not sure of. `--map` ([`Overrides`]) settles what the evidence
//! cannot.
mod evidence;
mod overrides;
mod register;

use super::layout::{FieldColumns, Grid, Grids, LedgerLayout, SheetRoles, TableLayout};
use crate::error::{Error, Lang, Message, Result};
use crate::profile::{Header, Profile};
use crate::xlsx::address::col_letters;
use crate::xlsx::CellValue;
use evidence::{combine, Content, HeaderScores, Score, SheetMemo};
pub use overrides::Overrides;
use register::register_fields;
pub(crate) use register::treatment_key;
use serde::Serialize;
use std::collections::HashMap;

/// How many rows below the first non-empty row a header is looked for in.
const HEADER_SEARCH_ROWS: u32 = 60;
/// Columns looked at (a ledger is never this wide; a sheet with 16,384 used columns is not read
/// column by column for a header).
const MAX_COLS: u32 = 200;
/// A cell longer than this is prose, not a header (only key words count in it).
const MAX_HEADER_CHARS: usize = 60;
/// Rows sampled below a header to judge a column's contents.
const CONTENT_SAMPLE_ROWS: u32 = 300;
/// The least score for which a field takes a column.
const ASSIGN: f32 = 0.55;
/// Below this an input column's best candidate is too weak to compute from.
const CONFIDENT: f32 = 0.65;
/// Two candidates closer than this are a tie a person must settle.
const CLOSE: f32 = 0.05;

/// The tables of a risk analysis workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// 情報資産管理台帳.
    Ledger,
    /// 脅威の状況.
    Threats,
    /// 対策状況チェック.
    Checklist,
    /// 診断結果.
    Result,
    /// A risk register's asset inventory (資産目録): may be the ledger's own sheet.
    Inventory,
    /// A risk register (リスクアセスメント結果報告書).
    Register,
    /// A risk treatment plan (リスク対応計画).
    Plan,
    /// The 25-item self check (自社診断).
    SelfCheck,
}

impl Role {
    /// Every role, in the order a workbook has them.
    pub const ALL: [Role; 8] = [Role::Ledger, Role::Threats, Role::Checklist, Role::Result, Role::Inventory, Role::Register, Role::Plan, Role::SelfCheck];

    /// The key used by `--map` and `[layout]` (`ledger`, `threats`, `checklist`, `result`,
    /// `inventory`, `register`, `plan`, `self_check`).
    pub fn key(self) -> &'static str {
        match self {
            Role::Ledger => "ledger",
            Role::Threats => "threats",
            Role::Checklist => "checklist",
            Role::Result => "result",
            Role::Inventory => "inventory",
            Role::Register => "register",
            Role::Plan => "plan",
            Role::SelfCheck => "self_check",
        }
    }

    /// The role a `--map` key names.
    pub fn parse(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key.trim())
    }

    fn sheet_header(self, p: &Profile) -> Option<&Header> {
        let sh = &p.headers.sheets;
        match self {
            Role::Ledger => Some(&sh.ledger),
            Role::Threats => Some(&sh.threats),
            Role::Checklist => Some(&sh.checklist),
            Role::Result => Some(&sh.result),
            Role::Inventory => sh.inventory.as_ref(),
            Role::Register => sh.register.as_ref(),
            Role::Plan => sh.plan.as_ref(),
            Role::SelfCheck => sh.self_check.as_ref(),
        }
    }
}

/// One field of a role's table.
struct Field<'p> {
    key: &'static str,
    header: &'p Header,
    content: Content,
    weight: f32,
    /// The group header it sits under in the IPA layout (評価値 over 機密性), if any.
    group: Option<&'p Header>,
}

fn fields(role: Role, p: &Profile) -> Vec<Field<'_>> {
    let f = |key, header, content, weight| Field { key, header, content, weight, group: None };
    use Content::*;
    match role {
        Role::Ledger => {
            let h = &p.headers.ledger;
            use super::ledger::LedgerField::{self, *};
            // The ledger's fields from its schema: what each column holds, and how much its
            // header counts.
            let weighted: [(LedgerField, Content, f32); 19] = [
                (Business, Free, 0.5),
                (Asset, Text, 1.0),
                (Note, Free, 0.3),
                (Users, Free, 0.3),
                (Owner, Free, 0.3),
                (Medium, Content::Medium, 1.5),
                (Personal, Flag, 0.6),
                (Sensitive, Flag, 0.6),
                (MyNumber, Flag, 0.6),
                (Confidentiality, Level, 1.2),
                (Integrity, Level, 1.2),
                (Availability, Level, 1.2),
                (Importance, Computed, 0.5),
                (Retention, Free, 0.3),
                (Registered, Free, 0.3),
                (Threat, Computed, 0.5),
                (Vulnerability, Computed, 0.5),
                (Likelihood, Computed, 0.5),
                (Risk, Computed, 0.5),
            ];
            let mut v: Vec<Field<'_>> =
                weighted.iter().filter_map(|&(field, content, weight)| field.header(h).map(|hd| f(field.key(), hd, content, weight))).collect();
            let keys = |fields: &[LedgerField]| fields.iter().map(|f| f.key()).collect::<Vec<_>>();
            let groups = [
                (&h.personal_group, keys(&LedgerField::FLAGS)),
                (&h.evaluation_group, keys(&[Confidentiality, Integrity, Availability, Importance])),
                (&h.risk_group, keys(&[Threat, Vulnerability, Likelihood, Risk])),
            ];
            for field in &mut v {
                if let Some((g, _)) = groups.iter().find(|(_, keys)| keys.contains(&field.key)) {
                    field.group = Some(g);
                }
            }
            v
        }
        Role::Threats => {
            let h = &p.headers.threats;
            vec![
                f("medium", &h.medium, Medium, 1.5),
                f("threat", &h.threat, Text, 1.0),
                f("frequency", &h.frequency, Frequency, 1.5),
                f("status", &h.status, Computed, 0.5),
            ]
        }
        Role::Checklist => {
            let h = &p.headers.checklist;
            vec![f("group", &h.group, Group, 1.2), f("item", &h.item, Text, 1.0), f("answer", &h.answer, Answer, 1.5)]
        }
        Role::Result => {
            let h = &p.headers.result;
            vec![
                f("chapter", &h.chapter, Chapter, 1.2),
                f("need", &h.need, Free, 0.8),
                f("rate", &h.rate, Computed, 1.0),
                f("decision", &h.decision, Computed, 1.0),
            ]
        }
        Role::Inventory => {
            let h = &p.headers.inventory;
            vec![
                f("no", &h.no, Free, 1.0),
                f("asset", &h.asset, Text, 1.0),
                f("c", &h.confidentiality, Level, 1.2),
                f("i", &h.integrity, Level, 1.2),
                f("a", &h.availability, Level, 1.2),
                f("importance", &h.importance, Computed, 0.5),
            ]
        }
        Role::Register => register_fields(p),
        Role::Plan => {
            let h = &p.headers.plan;
            let g = |key, header, group| Field { key, header, content: Free, weight: 0.4, group: Some(group) };
            vec![
                f("no", &h.no, Free, 0.5),
                f("risk_no", &h.risk_no, Free, 0.8),
                f("control", &h.control, Free, 1.0),
                f("task", &h.task, Free, 1.0),
                f("owner", &h.owner, Free, 0.6),
                g("planned_start", &h.planned_start, &h.planned_group),
                g("planned_end", &h.planned_end, &h.planned_group),
                g("actual_start", &h.actual_start, &h.actual_group),
                g("actual_end", &h.actual_end, &h.actual_group),
                f("status", &h.status, Free, 1.2),
            ]
        }
        Role::SelfCheck => {
            let h = &p.headers.self_check;
            vec![
                f("no", &h.no, Free, 1.0),
                f("part", &h.part, Free, 0.6),
                f("question", &h.question, Text, 1.0),
                f("answer", &h.answer, Answer, 1.5),
                f("points", &h.points, Computed, 0.5),
            ]
        }
    }
}

/// The field keys of a role, for `--map` messages and `[layout]` validation.
pub fn field_keys(role: Role, p: &Profile) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = fields(role, p).iter().map(|f| f.key).collect();
    if role == Role::Ledger {
        keys.extend(["likelihood_label", "risk_label", "threat_label", "vulnerability_label"]);
    }
    keys
}

/// Whether a found table has what its role needs to be read.
fn usable(role: Role, cols: &FieldColumns, p: &Profile) -> bool {
    let has = |k| cols.get(k).is_some();
    match role {
        Role::Ledger => has("medium") && (has("asset") || has("c") || has("i") || has("a")) && cols.len() >= 4,
        Role::Threats => has("medium") && has("frequency"),
        // Groups may be section rows in the item column instead of a column of their own.
        Role::Checklist => has("answer") && (has("group") || has("item")),
        Role::Result => has("chapter") && (has("rate") || has("decision") || has("need")),
        Role::Inventory => has("no") && has("asset") && (has("c") || has("i") || has("a") || has("importance")),
        // A level computed from something: an importance or the asset it comes from, and a
        // factor; and what the risk is or how it is treated.
        Role::Register => {
            let factor = p.register.as_ref().is_some_and(|r| r.factors.iter().any(|f| has(&f.key)));
            // What makes a list of risks more than a ledger with a likelihood (an IPA ledger has
            // 重要度, 被害発生可能性 and リスク値 too): the risk's own words or its treatment.
            // One column per option: a lone short word (「共有」 in 「共有端末」) is no set of options.
            let options = cols.letters().filter(|(k, _)| k.starts_with("treat_")).count();
            let treated = options >= 2 || ["treatment", "controls", "response"].iter().any(|k| has(k));
            // (リスク源 and 原因 alone are not enough: 脅威 and 脆弱性 head an IPA ledger's columns.)
            let described = ["event", "consequence"].iter().any(|k| has(k));
            factor && (has("asset_no") || has("importance") || has("asset")) && (treated || described)
        }
        Role::Plan => has("status") && (has("control") || has("task")),
        Role::SelfCheck => has("no") && has("question") && has("answer"),
    }
}

/// Why a field was given its column, for `inspect`.
#[derive(Debug, Clone, Serialize)]
pub struct FieldEvidence {
    /// The field (`medium`, `c`, `answer` …).
    pub field: &'static str,
    /// The field as a person calls it, in both languages (the profile's header text:
    /// 「媒体・保存先」, "Medium / storage"); not in the JSON, which has `field`.
    #[serde(skip)]
    pub label: crate::lang::Message,
    /// The column's letters.
    pub column: String,
    /// The header cell (`F4`).
    pub header_cell: String,
    /// The header's text as shown.
    pub header: String,
    /// 0–1: how sure the choice is.
    pub score: f32,
    /// The evidence, in the message language.
    pub evidence: String,
}

/// A field risksheet could not place with confidence: nothing is computed from it.
#[derive(Debug, Clone, Serialize)]
pub struct Ambiguity {
    /// The role (`ledger` …).
    pub role: &'static str,
    /// The field.
    pub field: &'static str,
    /// The sheet.
    pub sheet: String,
    /// The header cell of the best candidate.
    pub cell: String,
    /// The candidates, best first: `J「機密性」(0.78)`.
    pub candidates: Vec<String>,
    /// What to do, in the message language.
    pub message: String,
}

/// A table found on a sheet: where its header is, its columns and why.
#[derive(Debug, Clone)]
pub struct Found {
    /// The sheet.
    pub sheet: String,
    /// The header's first row.
    pub top: u32,
    /// The header's last row (the field row).
    pub bottom: u32,
    /// The first data row.
    pub first_row: u32,
    /// Columns by field.
    pub columns: FieldColumns,
    /// Why each field has its column.
    pub evidence: Vec<FieldEvidence>,
    /// Fields left unplaced for want of certainty.
    pub ambiguities: Vec<Ambiguity>,
    /// The total evidence.
    pub score: f32,
}

impl Found {
    /// As the ledger layout the readers use.
    pub fn ledger(&self) -> LedgerLayout {
        LedgerLayout {
            sheet: self.sheet.clone(),
            header_row: self.bottom,
            first_row: self.first_row,
            columns: self.columns.clone(),
            evidence: self.evidence.clone(),
        }
    }
    /// As a table layout.
    pub fn table(&self) -> TableLayout {
        TableLayout {
            sheet: self.sheet.clone(),
            header_row: self.bottom,
            first_row: self.first_row,
            columns: self.columns.clone(),
            evidence: self.evidence.clone(),
        }
    }
}

/// Finds a role's table on one sheet: the best header position and the columns of its fields.
fn find_on_sheet(sheet: &mut SheetMemo<'_>, role: Role, p: &Profile, over: &Overrides, l: Lang) -> Option<Found> {
    let grid = sheet.grid;
    let fields = fields(role, p);
    let max_col = grid.max_col.clamp(1, MAX_COLS);
    let forced: Vec<(usize, u32)> = over.columns(role).filter_map(|(k, c)| fields.iter().position(|f| f.key == k).map(|i| (i, c))).collect();
    // The label columns beside 被害発生可能性 and リスク値 are not fields of their own.
    let forced_labels: Vec<(&'static str, u32)> = over.columns(role).filter(|(k, _)| !fields.iter().any(|f| f.key == *k)).collect();
    let first_used = (1..=grid.max_row.max(1)).find(|&r| (1..=max_col).any(|c| !grid.own_value(r, c).is_blank())).unwrap_or(1);
    let positions: Vec<(u32, u32)> = match over.header_row(role) {
        Some(r) => vec![(r, r), (r.saturating_sub(1).max(1), r)],
        None => {
            let last = grid.max_row.max(1).min(first_used + HEADER_SEARCH_ROWS);
            (first_used..=last).flat_map(|r| [(r, r), (r, r + 1)]).collect()
        }
    };
    let scorers = fields.iter().map(|f| f.header.scorer()).collect();
    let group_scorers = fields.iter().map(|f| f.group.map(Header::scorer)).collect();
    let mut scores = HeaderScores { sheet, scorers, group_scorers, memo: HashMap::new(), groups: HashMap::new(), contents: HashMap::new() };
    // Header texts alone first, to keep the content reading to the few likely positions.
    let mut by_header: Vec<(f32, u32, u32)> = Vec::new();
    for &(top, bottom) in &positions {
        let mut best = vec![0.0f32; fields.len()];
        for c in 1..=max_col {
            if let Some((_, s)) = scores.at(top, bottom, c) {
                for (b, &x) in best.iter_mut().zip(s) {
                    *b = b.max(x);
                }
            }
        }
        let total: f32 = best.iter().zip(&fields).filter(|(s, _)| **s >= ASSIGN).map(|(s, f)| s * f.weight).sum();
        if total > 0.0 || over.header_row(role).is_some() {
            by_header.push((total, top, bottom));
        }
    }
    by_header.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)).then(a.1.cmp(&b.1)));
    by_header.truncate(6);
    let mut best: Option<Found> = None;
    for (_, top, bottom) in by_header {
        let Some(found) = assign(grid, role, p, &fields, &mut scores, top, bottom, max_col, &forced, &forced_labels, l) else { continue };
        let better = match &best {
            None => true,
            Some(b) => found.score > b.score + 1e-4 || ((found.score - b.score).abs() <= 1e-4 && found.bottom - found.top < b.bottom - b.top),
        };
        if better {
            best = Some(found);
        }
    }
    best
}

/// Gives each field its column at one header position.
#[allow(clippy::too_many_arguments)]
fn assign(
    grid: &Grid,
    role: Role,
    p: &Profile,
    fields: &[Field<'_>],
    scores: &mut HeaderScores<'_, '_>,
    top: u32,
    bottom: u32,
    max_col: u32,
    forced: &[(usize, u32)],
    forced_labels: &[(&'static str, u32)],
    l: Lang,
) -> Option<Found> {
    // Data starts below the header, and below header cells merged further down.
    let merged_down = (1..=max_col).filter_map(|c| grid.merge_of(bottom, c)).filter(|m| m.start.row <= bottom).map(|m| m.end.row).max().unwrap_or(bottom);
    let first_row = merged_down.max(bottom) + 1;
    // A table's columns stand together: a column with neither a header nor values ends it, so a
    // legend or a second table beside it (a list of 媒体 names two columns to the right) is not
    // read as its columns.
    let used = |c: u32| {
        (top..=bottom).any(|r| !grid.value(r, c).is_blank()) || (first_row..=grid.max_row.min(first_row + 50)).any(|r| !grid.own_value(r, c).is_blank())
    };
    let mut blocks: Vec<(u32, u32)> = Vec::new();
    for c in 1..=max_col {
        match blocks.last_mut() {
            Some(b) if used(c) && b.1 + 1 == c => b.1 = c,
            _ if used(c) => blocks.push((c, c)),
            _ => {}
        }
    }
    // Every (field, column) score.
    let mut table: Vec<Vec<Option<Score>>> = vec![vec![None; max_col as usize + 1]; fields.len()];
    for c in 1..=max_col {
        let header = scores.at(top, bottom, c).map(|(row, s)| (row, s.to_vec()));
        // The group row above a field row: 評価値 over 機密性 is evidence for 機密性.
        let group_text = if top < bottom && header.as_ref().is_none_or(|(row, _)| *row == bottom) { scores.sheet.header_text(top, c) } else { None };
        // A header of its own, not a line of instructions running over the table.
        let headed = header.as_ref().is_some_and(|(row, _)| {
            grid.text(*row, c).chars().count() <= MAX_HEADER_CHARS && grid.merge_of(*row, c).is_none_or(|m| m.end.col - m.start.col < 3)
        });
        for (i, f) in fields.iter().enumerate() {
            let (row, mut hs) = header.as_ref().map_or((bottom, 0.0), |(row, s)| (*row, s[i]));
            let under_group = group_text.as_ref().is_some_and(|t| scores.under_group(i, t));
            // Under another field's group header (二次評価 over a second 重要度): not this field's.
            let elsewhere = !under_group
                && group_text
                    .as_ref()
                    .is_some_and(|t| (0..fields.len()).any(|j| j != i && fields[j].group.is_some() && fields[j].group != f.group && scores.under_group(j, t)));
            if elsewhere {
                hs -= 0.3;
            }
            if hs < 0.3 && !f.content.identifying() && !under_group {
                continue;
            }
            let content = scores.content(c, first_row, f.content, p);
            // Under its group header with values of its kind, a field's header may be misspelt
            // (「人個情報」 under 個人情報の種類) and still be read as the field.
            if under_group && hs < 0.5 && content.is_some_and(|(ok, n)| ok * 5 >= n * 4) {
                hs = 0.5;
            }
            if under_group && hs >= 0.3 {
                hs = (hs + 0.1).min(1.0);
            }
            let total = combine(hs, headed, content, f.content);
            if total >= 0.3 {
                table[i][c as usize] = Some(Score { total, header: hs, under_group, content, header_row: row });
            }
        }
    }
    // The block holding the most evidence is the table; the other blocks' columns are not its.
    let weight_of = |b: &(u32, u32)| -> f32 {
        fields.iter().enumerate().map(|(i, f)| (b.0..=b.1).filter_map(|c| table[i][c as usize]).map(|x| x.total).fold(0.0, f32::max) * f.weight).sum()
    };
    if let Some(&best) = blocks.iter().max_by(|a, b| weight_of(a).total_cmp(&weight_of(b))) {
        for row in table.iter_mut() {
            for (c, cell) in row.iter_mut().enumerate() {
                if !(best.0..=best.1).contains(&(c as u32)) {
                    *cell = None;
                }
            }
        }
    }
    // Fields take columns best first; the user's own places first of all.
    let mut owner: Vec<Option<usize>> = vec![None; max_col as usize + 1];
    let mut chosen: Vec<Option<(u32, Score)>> = vec![None; fields.len()];
    for &(i, c) in forced {
        let s = Score { total: 1.0, header: 1.0, under_group: false, content: None, header_row: bottom };
        chosen[i] = Some((c, s));
        if c <= max_col {
            owner[c as usize] = Some(i);
        }
    }
    let mut pairs: Vec<(f32, usize, u32)> = Vec::new();
    for (i, row) in table.iter().enumerate() {
        for (c, s) in row.iter().enumerate() {
            if let Some(s) = s.filter(|s| s.total >= ASSIGN) {
                pairs.push((s.total, i, c as u32));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(fields[b.1].weight.total_cmp(&fields[a.1].weight)).then(a.2.cmp(&b.2)));
    for &(_, i, c) in &pairs {
        if chosen[i].is_none() && owner[c as usize].is_none() {
            chosen[i] = table[i][c as usize].map(|s| (c, s));
            owner[c as usize] = Some(i);
        }
    }
    // A decisive input whose column is doubtful is not used: weak, or with a rival as good.
    let mut ambiguities = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        let Some((c, s)) = chosen[i] else { continue };
        if !f.content.decisive() || forced.iter().any(|x| x.0 == i) {
            continue;
        }
        let rivals: Vec<u32> = (1..=max_col)
            .filter(|&c2| c2 != c)
            .filter(|&c2| {
                table[i][c2 as usize].is_some_and(|s2| {
                    s2.total >= ASSIGN
                        && s2.total >= s.total - CLOSE
                        && owner[c2 as usize].is_none_or(|o| table[o][c2 as usize].is_none_or(|so| so.total < s2.total))
                })
            })
            .collect();
        if s.total >= CONFIDENT && rivals.is_empty() {
            continue;
        }
        let describe = |col: u32| {
            let (sc, row) = table[i][col as usize].map_or((0.0, bottom), |x| (x.total, x.header_row));
            let text = grid.text(row, col);
            format!("{}「{}」({:.2})", col_letters(col), text.replace('\n', " "), sc)
        };
        let mut candidates = vec![describe(c)];
        candidates.extend(rivals.iter().map(|&c2| describe(c2)));
        let how = format!("--map {}.{}={}", role.key(), f.key, col_letters(c));
        let message = if rivals.is_empty() {
            match l {
                Lang::Ja => format!(
                    "「{}」の列が確かではないため、この列からは計算しません（候補: {}）。正しければ {how} のように指定してください",
                    f.header.text,
                    candidates.join("、")
                ),
                Lang::En => format!(
                    "not sure which column is “{}”, so nothing is computed from it (candidate: {}); if it is right, say so with {how}",
                    f.header.text_en,
                    candidates.join(", ")
                ),
            }
        } else {
            match l {
                Lang::Ja => format!("「{}」の列の候補が複数あり、決められません（{}）。{how} のように指定してください", f.header.text, candidates.join("、")),
                Lang::En => format!("several columns could be “{}” ({}); say which with {how}", f.header.text_en, candidates.join(", ")),
            }
        };
        ambiguities.push(Ambiguity {
            role: role.key(),
            field: f.key,
            sheet: grid.sheet.clone(),
            cell: format!("{}{}", col_letters(c), s.header_row),
            candidates,
            message,
        });
        owner[c as usize] = None;
        chosen[i] = None;
    }
    let mut columns = FieldColumns::default();
    let mut evidence = Vec::new();
    let mut score = 0.0;
    for (i, f) in fields.iter().enumerate() {
        let Some((c, s)) = chosen[i] else { continue };
        columns.insert(f.key, c);
        score += s.total * f.weight;
        let header = grid.text(s.header_row, c).replace('\n', " ");
        let forced_here = forced.iter().any(|x| x.0 == i);
        evidence.push(FieldEvidence {
            field: f.key,
            label: crate::lang::Message::new(f.header.text_in(Lang::Ja), f.header.text_in(Lang::En)),
            column: col_letters(c),
            header_cell: format!("{}{}", col_letters(c), s.header_row),
            header,
            score: (s.total * 100.0).round() / 100.0,
            evidence: describe_evidence(s, forced_here, l),
        });
    }
    // An ambiguous decisive field still counts as evidence that this is the table.
    score += ambiguities.len() as f32 * 0.5;
    if role == Role::Ledger {
        for &(k, c) in forced_labels {
            columns.insert(k, c);
        }
        ledger_labels(grid, p, &mut columns, top, bottom, first_row);
    }
    // A table is a table by at least one header a person would read as its field; values alone
    // (a column of 1–3 on a legend sheet) do not make one.
    let headed = chosen.iter().flatten().any(|(_, s)| s.header >= 0.75) || !forced.is_empty();
    let usable_now = headed && (usable(role, &columns, p) || !ambiguities.is_empty() && usable_with(role, &columns, &ambiguities, p));
    usable_now.then(|| Found { sheet: grid.sheet.clone(), top, bottom, first_row, columns, evidence, ambiguities, score })
}

/// Whether the table would be usable had its ambiguous fields been placed: it is the table, and
/// the ambiguity is reported rather than the table missed.
fn usable_with(role: Role, cols: &FieldColumns, ambiguities: &[Ambiguity], p: &Profile) -> bool {
    let mut all = cols.clone();
    for (k, a) in ambiguities.iter().enumerate() {
        all.insert(a.field, u32::MAX - k as u32);
    }
    usable(role, &all, p)
}

fn describe_evidence(s: Score, forced: bool, l: Lang) -> String {
    if forced {
        return l.pick("指定（--map / [layout]）", "given (--map / [layout])").to_string();
    }
    let mut header = if s.header >= 0.999 {
        l.pick("見出しが一致", "header matches").to_string()
    } else if s.header >= 0.5 {
        format!("{} ({:.2})", l.pick("見出しが近い", "header close"), s.header)
    } else {
        l.pick("見出しは手がかりにならない", "header says little").to_string()
    };
    if s.under_group {
        header += l.pick("; 上の見出しのグループ内", "; under its group header");
    }
    match s.content {
        Some((ok, n)) => format!("{header}; {} {ok}/{n}", l.pick("内容", "values")),
        None => header,
    }
}

/// 被害発生可能性 and リスク値 each span a number and a label column, merged in the header; or,
/// without a merged header, the column to the right holds nothing but labels under no header.
/// 脅威 and 脆弱性 may too (a number cell beside its label cell): when their header alone is
/// merged over the column to the right, or that column is free and holds only labels.
fn ledger_labels(grid: &Grid, p: &Profile, cols: &mut FieldColumns, top: u32, bottom: u32, first_row: u32) {
    let pairs = [("likelihood", "likelihood_label"), ("risk", "risk_label"), ("threat", "threat_label"), ("vulnerability", "vulnerability_label")];
    for (key, label) in pairs {
        let Some(c) = cols.get(key) else { continue };
        if cols.get(label).is_some() {
            continue;
        }
        // A group header over 脅威 and what follows (現状から想定されるリスク) is not its own.
        let header_rows = if matches!(key, "threat" | "vulnerability") { bottom..=bottom } else { top..=bottom };
        let spans_two = !cols.holds(c + 1) && header_rows.clone().any(|row| grid.merge_of(row, c).is_some_and(|m| m.end.col == c + 1 && m.start.col == c))
            || (matches!(key, "likelihood" | "risk") && (top..=bottom).any(|row| grid.merge_of(row, c).is_some_and(|m| m.end.col > c && m.start.col == c)));
        // A label column beside a number may leave out the number (「通常の状態で発生する…」).
        let levels = |s: &crate::profile::LabelledScale| {
            let bare = |t: &str| t.trim_start_matches(|ch: char| ch.is_ascii_digit() || ch == ':' || ch == '：' || ch == ' ').to_string();
            s.levels.iter().flat_map(|l| [l.label.clone(), l.label_en.clone(), bare(&l.label), bare(&l.label_en)]).collect::<Vec<_>>()
        };
        let labels: Vec<String> = match key {
            "risk" => p.risk.bands.iter().flat_map(|b| [b.label.clone(), b.label_en.clone()]).collect(),
            "threat" => levels(&p.threat),
            "vulnerability" => levels(&p.vulnerability),
            _ => p.likelihood.levels.iter().flat_map(|l| [l.label.clone(), l.label_en.clone()]).collect(),
        };
        let label_like = |row: u32| {
            let t = grid.text(row, c + 1);
            t.is_empty() || labels.iter().any(|l| !l.is_empty() && &t == l)
        };
        let next_free = !cols.holds(c + 1) && (top..=bottom).all(|r| grid.text(r, c + 1).is_empty()) && (first_row..=grid.max_row).all(label_like);
        // Beside 脅威 and 脆弱性 an empty column is a spacer, not a label column, until it holds a label.
        let next_free = next_free && (matches!(key, "likelihood" | "risk") || (first_row..=grid.max_row).any(|r| !grid.text(r, c + 1).is_empty()));
        if spans_two || next_free {
            cols.insert(label, c + 1);
        }
    }
}

/// The sheet risksheet writes its own figures on (集計): never read as the user's input.
fn is_own_summary(grid: &Grid) -> bool {
    let title = grid.text(1, 1);
    super::fill::is_summary_title(&title)
}

/// Everything found in a workbook.
#[derive(Debug, Clone, Default)]
pub struct Inferred {
    /// Sheet roles.
    pub roles: SheetRoles,
    /// The table found for each role (the main ledger for `Ledger`).
    pub tables: Vec<(Role, Found)>,
    /// The example ledgers (記入例), filled too but not the company's assets.
    pub examples: Vec<Found>,
    /// Fields left unplaced, everywhere.
    pub ambiguities: Vec<Ambiguity>,
}

impl Inferred {
    /// The table of a role.
    pub fn table(&self, role: Role) -> Option<&Found> {
        self.tables.iter().find(|t| t.0 == role).map(|t| &t.1)
    }
}

/// Every sheet's ledger table, in tab order: what edition detection reads the C/I/A values of
/// (its doubts are not shown, so their language does not matter).
pub fn ledgers(grids: &Grids, p: &Profile) -> Vec<LedgerLayout> {
    grids
        .values()
        .filter(|g| !is_own_summary(g))
        .filter_map(|g| find_on_sheet(&mut SheetMemo::new(g), Role::Ledger, p, &Overrides::default(), Lang::Ja))
        .map(|f| f.ledger())
        .collect()
}

/// Infers the layout of a whole workbook: the best table of each role, one role per sheet.
pub(crate) fn infer(grids: &Grids, p: &Profile, over: &Overrides, l: Lang) -> Result<Inferred> {
    let sh = &p.headers.sheets;
    let is_example = |n: &str| sh.ledger_example.as_ref().is_some_and(|h| h.matches(n)) || n.contains("記入例") || n.to_lowercase().contains("example");
    for role in Role::ALL {
        if let Some(s) = over.sheet(role) {
            if !grids.contains_key(s) {
                let names: Vec<&str> = grids.keys().map(String::as_str).collect();
                return Err(Error::usage(Message::each(|l| {
                    format!("{}={s}: {}: {}", role.key(), l.pick("そのシートはありません。シート", "no such sheet; sheets"), names.join(", "))
                })));
            }
        }
    }
    // Every candidate (role, sheet) with its evidence; the tab name adds a little.
    let mut candidates: Vec<(f32, Role, Found)> = Vec::new();
    for (name, grid) in grids {
        if is_own_summary(grid) {
            continue;
        }
        let mut memo = SheetMemo::new(grid);
        for role in Role::ALL {
            if over.sheet(role).is_some_and(|s| s != name) {
                continue;
            }
            let Some(found) = find_on_sheet(&mut memo, role, p, over, l) else { continue };
            let mut score = found.score + role.sheet_header(p).map_or(0.0, |h| h.score(name).max(0.0)) * 1.0;
            if over.sheet(role).is_some() {
                score += 100.0;
            }
            if role == Role::Ledger && is_example(name) {
                score -= 0.5;
            }
            // An old copy of a table (「台帳（旧）」) loses to any current one.
            let key = crate::text::normalize_key(name);
            if sh.stale.iter().any(|w| key.contains(&crate::text::normalize_key(w))) && over.sheet(role) != Some(name.as_str()) {
                score -= 50.0;
            }
            candidates.push((score, role, found));
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out = Inferred::default();
    // Example ledgers are ledgers, named so; the company's ledger is the best other one.
    let mut taken: Vec<String> = Vec::new();
    for (_, role, found) in &candidates {
        if *role == Role::Ledger && is_example(&found.sheet) && over.sheet(Role::Ledger) != Some(found.sheet.as_str()) {
            taken.push(found.sheet.clone());
            out.examples.push(found.clone());
        }
    }
    // The asset inventory may be the ledger itself (a ledger with a No column): it takes its
    // sheet whatever else the sheet is.
    let (inventories, others): (Vec<_>, Vec<_>) = candidates.into_iter().partition(|c| c.1 == Role::Inventory);
    for (_, role, found) in others {
        if taken.contains(&found.sheet) || out.table(role).is_some() {
            continue;
        }
        taken.push(found.sheet.clone());
        out.tables.push((role, found));
    }
    // Only a register points to an inventory: without one, a ledger with a No column is a ledger.
    let shared = |sheet: &str| out.tables.iter().all(|(r, f)| f.sheet != sheet || *r == Role::Ledger);
    if out.table(Role::Register).is_some() {
        if let Some((_, role, mut found)) = inventories.into_iter().find(|c| shared(&c.2.sheet)) {
            // The ledger's own doubts are said once.
            if out.table(Role::Ledger).is_some_and(|l| l.sheet == found.sheet) {
                found.ambiguities.clear();
            }
            out.tables.push((role, found));
        }
    }
    out.examples.sort_by_key(|f| grids.get_index_of(&f.sheet));
    out.roles = SheetRoles {
        ledger: out.table(Role::Ledger).map(|f| f.sheet.clone()),
        examples: out.examples.iter().map(|f| f.sheet.clone()).collect(),
        threats: out.table(Role::Threats).map(|f| f.sheet.clone()),
        checklist: out.table(Role::Checklist).map(|f| f.sheet.clone()),
        result: out.table(Role::Result).map(|f| f.sheet.clone()),
        inventory: out.table(Role::Inventory).map(|f| f.sheet.clone()),
        register: out.table(Role::Register).map(|f| f.sheet.clone()),
        plan: out.table(Role::Plan).map(|f| f.sheet.clone()),
        self_check: out.table(Role::SelfCheck).map(|f| f.sheet.clone()),
    };
    out.ambiguities = out.tables.iter().flat_map(|t| t.1.ambiguities.clone()).collect();
    Ok(out)
}
