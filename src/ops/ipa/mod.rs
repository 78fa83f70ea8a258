//! IPA-style risk analysis workbooks: find the sheets by meaning, read assets, threats and
//! checklist answers as they stand in the user's file, and compute every result with the
//! domain rules. [`fill`] writes the results back in place.
//!
//! ```no_run
//! use risksheet::ops::ipa;
//! let mut wb = risksheet::xlsx::Workbook::open("ledger.xlsx")?;
//! let analysis = ipa::analyze(&mut wb, None)?;
//! for a in &analysis.assets {
//!     println!("{} {:?} {:?}", a.name, a.risk, a.band);
//! }
//! # Ok::<(), risksheet::Error>(())
//! ```
pub mod facts;
pub mod fill;
pub mod infer;
pub mod layout;
pub mod ledger;
mod options;
pub(crate) mod read;

pub use options::ReadOptions;

use crate::domain::cell::{parse_answer, parse_flag, parse_labelled, parse_level, parse_medium, CellInput};
use crate::domain::checklist::{group_tally, medium_tally, vulnerability_from_rate, CheckAnswer, GroupAnswers, Rate};
use crate::domain::policy::{select_chapters, AssetRisk, ChapterFacts};
use crate::domain::risk::{assess_partial, Cia, ThreatLevel, Vulnerability};
use crate::domain::threat::medium_threat;
use crate::error::{Error, ErrorKind, Lang, Result};
use crate::profile::Profile;
use crate::xlsx::address::col_letters;
use crate::xlsx::{CellValue, Workbook};
use infer::Role;
use layout::{Grid, LedgerLayout, SheetRoles, TableLayout};
use read::{missing_ledger_fields, read_checklist, read_ledger, read_threats, Collector};
use serde::Serialize;

/// Something in the user's workbook that risksheet could not use, with its place.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Warning {
    /// Sheet.
    pub sheet: String,
    /// Cell (`J7`).
    pub cell: String,
    /// What is wrong, in the message language.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // One line, whatever the sheet name or the cell text quoted in the message holds.
        let line = if self.cell.is_empty() { format!("{}: {}", self.sheet, self.message) } else { format!("{}!{}: {}", self.sheet, self.cell, self.message) };
        f.write_str(&crate::error::shown(&line))
    }
}

/// An input written in a form the formulas cannot read (「２」, 「○」, 「社内サーバ」), and the
/// canonical form `fill` writes in its place.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Normalization {
    /// Sheet.
    pub sheet: String,
    /// Row.
    pub row: u32,
    /// Column.
    pub col: u32,
    /// What the cell held.
    pub from: String,
    /// What it will hold.
    pub to: CellValue,
}

/// One asset of the ledger and its computed results (`None` where an input is missing or
/// invalid; the warnings say which).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Asset {
    /// Sheet row.
    pub row: u32,
    /// 情報資産名称.
    pub name: String,
    /// 媒体・保存先, the canonical name.
    pub medium: Option<String>,
    /// The medium's id in the profile.
    #[serde(skip)]
    pub medium_id: Option<String>,
    /// 機密性.
    pub c: Option<u8>,
    /// 完全性.
    pub i: Option<u8>,
    /// 可用性.
    pub a: Option<u8>,
    /// Any personal-information column is 有.
    pub personal: bool,
    /// マイナンバー is 有.
    pub mynumber: bool,
    /// 重要度.
    pub importance: Option<u8>,
    /// 脅威の発生頻度 of the medium.
    pub threat: Option<u8>,
    /// 脆弱性 of the medium.
    pub vulnerability: Option<u8>,
    /// 被害発生可能性.
    pub likelihood: Option<u8>,
    /// リスク値.
    pub risk: Option<u32>,
    /// リスク大 / 中 / 小.
    pub band: Option<String>,
    /// Whether the band is a high one.
    #[serde(skip)]
    pub high: bool,
}

/// A medium's block of rows on 脅威の状況.
#[derive(Debug, Clone, Serialize)]
pub struct ThreatBlock {
    /// The medium's id in the profile.
    pub medium: String,
    /// Rows of its threats.
    pub rows: Vec<u32>,
    /// Frequencies answered (None: blank or invalid).
    pub levels: Vec<Option<u8>>,
}

/// The check items of one group on 対策状況チェック.
#[derive(Debug, Clone, Serialize)]
pub struct CheckRows {
    /// The group's id in the profile.
    pub group: String,
    /// Rows of its items.
    pub rows: Vec<u32>,
}

/// Per-medium results.
#[derive(Debug, Clone, Serialize)]
pub struct MediumResult {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Max threat frequency.
    pub threat: Option<u8>,
    /// Rate over the mapped groups' items.
    pub rate: Option<f64>,
    /// Vulnerability.
    pub vulnerability: Option<u8>,
}

/// Per-group results.
#[derive(Debug, Clone, Serialize)]
pub struct GroupResult {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Implementation rate; `None` when unanswered.
    pub rate: Option<f64>,
    /// All items answered 「該当しない」.
    pub not_applicable: bool,
    /// Items left blank.
    pub unanswered: usize,
}

/// The decision on one policy chapter.
#[derive(Debug, Clone, Serialize)]
pub struct ChapterResult {
    /// Number in the profile's edition.
    pub number: u32,
    /// Title.
    pub title: String,
    /// ◎ / ○.
    pub need: String,
    /// Implementation rate of its group.
    pub rate: Option<f64>,
    /// Whether the company must write it.
    pub selected: bool,
    /// Why, in the message language.
    pub reasons: Vec<String>,
    /// Why, in the workbook's language ([`Analysis::lang`]): what `fill` writes into 診断結果.
    #[serde(skip)]
    pub book_reasons: Vec<String>,
}

impl ChapterResult {
    /// The chapter's title in `lang` ([`ChapterResult::title`] is in the workbook's language,
    /// as written into it); the title as it stands when the profile has no such chapter.
    ///
    /// ```
    /// use risksheet::ops::ipa::analyze;
    /// use risksheet::Lang;
    /// let mut wb = risksheet::xlsx::Workbook::open("workbooks/example-ipa-3-filled.xlsx")?;
    /// let a = analyze(&mut wb, None)?;
    /// assert_eq!(a.chapters[0].title, "組織的対策");
    /// assert_eq!(a.chapters[0].title_in(&a.profile, Lang::En), "Organisational measures");
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn title_in<'a>(&'a self, profile: &'a Profile, lang: crate::error::Lang) -> &'a str {
        profile.chapters.iter().find(|c| c.number == self.number).map_or(self.title.as_str(), |c| c.title_in(lang))
    }
}

/// Everything read and computed from an IPA workbook.
#[derive(Serialize)]
pub struct Analysis {
    /// The profile's id.
    pub edition: String,
    /// The language the workbook is written in (its headers); texts written into cells use it.
    pub lang: crate::error::Lang,
    /// The language of the warnings (the caller's, [`ReadOptions::lang`]).
    #[serde(skip)]
    pub message_lang: crate::error::Lang,
    /// The sheets found.
    pub layout: FoundLayout,
    /// Assets of the main ledger.
    pub assets: Vec<Asset>,
    /// Per-medium results.
    pub media: Vec<MediumResult>,
    /// Per-group results.
    pub groups: Vec<GroupResult>,
    /// Policy chapters.
    pub chapters: Vec<ChapterResult>,
    /// Company facts for the chapter conditions: value (or null) and source of each.
    pub facts: facts::Facts,
    /// The self check (自社診断), when the workbook has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub self_check: Option<crate::ops::self_check::SelfCheckResult>,
    /// Problems found in inputs.
    pub warnings: Vec<Warning>,
    /// Inputs to rewrite in canonical form.
    #[serde(skip)]
    pub normalizations: Vec<Normalization>,
    /// The profile used.
    #[serde(skip)]
    pub profile: Profile,
    /// Assets of every ledger sheet, examples included, by sheet.
    #[serde(skip)]
    pub ledgers: Vec<(LedgerLayout, Vec<Asset>)>,
    #[serde(skip)]
    pub(crate) threat_blocks: Vec<ThreatBlock>,
    #[serde(skip)]
    pub(crate) check_rows: Vec<CheckRows>,
    #[serde(skip)]
    pub(crate) answers: GroupAnswers,
    #[serde(skip)]
    pub(crate) grids: layout::Grids,
    /// The risk register with its inventory and plan, when the workbook has one: `risks`,
    /// `plan`, `inventory` and `register_summary` in `inspect --json`.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub register: Option<crate::ops::register::Register>,
}

impl FoundLayout {
    /// The layout as a profile's `[layout]` table: what `inspect --layout-toml` prints, for a
    /// user to correct and load back with `--profile` (or give as `--map`).
    ///
    /// ```no_run
    /// let mut wb = risksheet::xlsx::Workbook::open("ledger.xlsx")?;
    /// let a = risksheet::ops::ipa::analyze(&mut wb, None)?;
    /// print!("{}", a.layout.to_toml());
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn to_toml(&self) -> String {
        let mut s = String::new();
        for t in self.tables() {
            s += &format!("[layout.{}]\nsheet = {}\nheader_row = {}\n", t.role.key(), toml::Value::String(t.sheet.to_string()), t.header_row);
            for (field, letters) in t.columns.letters() {
                s += &format!("{field} = \"{letters}\"\n");
            }
            s.push('\n');
        }
        s
    }

    /// The tables found, in workbook order (ledger, threats, checklist, result, then a
    /// register's inventory, register and plan).
    pub fn tables(&self) -> Vec<FoundTable<'_>> {
        let ledger = self.ledger.as_ref().map(|l| FoundTable {
            role: Role::Ledger,
            sheet: &l.sheet,
            header_row: l.header_row,
            columns: &l.columns,
            evidence: &l.evidence,
        });
        let others = [
            (Role::Threats, &self.threats),
            (Role::Checklist, &self.checklist),
            (Role::Result, &self.result),
            (Role::Inventory, &self.inventory),
            (Role::Register, &self.register),
            (Role::Plan, &self.plan),
        ];
        let others = others.into_iter().filter_map(|(role, t)| {
            t.as_ref().map(|t| FoundTable { role, sheet: &t.sheet, header_row: t.header_row, columns: &t.columns, evidence: &t.evidence })
        });
        ledger.into_iter().chain(others).collect()
    }
}

/// One table found, whatever its role: what `inspect` and `--layout-toml` show of it.
pub struct FoundTable<'a> {
    /// The role.
    pub role: Role,
    /// The sheet.
    pub sheet: &'a str,
    /// The header's field row.
    pub header_row: u32,
    /// Columns by field.
    pub columns: &'a layout::FieldColumns,
    /// Why each field has its column.
    pub evidence: &'a [infer::FieldEvidence],
}

/// The sheets and tables found.
#[derive(Debug, Clone, Serialize)]
pub struct FoundLayout {
    /// Sheet roles.
    pub sheets: SheetRoles,
    /// The main ledger's columns.
    pub ledger: Option<LedgerLayout>,
    /// 脅威の状況 columns.
    pub threats: Option<TableLayout>,
    /// 対策状況チェック columns.
    pub checklist: Option<TableLayout>,
    /// 診断結果 columns.
    pub result: Option<TableLayout>,
    /// A risk register's inventory, register and plan columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inventory: Option<TableLayout>,
    /// See `inventory`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub register: Option<TableLayout>,
    /// See `inventory`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<TableLayout>,
    /// Fields risksheet could not place with confidence, with their candidates.
    pub ambiguities: Vec<infer::Ambiguity>,
}

pub(crate) fn input(v: &CellValue) -> CellInput<'_> {
    match v {
        CellValue::Empty => CellInput::Blank,
        CellValue::Number(n) => CellInput::Number(*n),
        CellValue::Text(t) | CellValue::Error(t) => CellInput::Text(t),
        CellValue::Bool(b) => CellInput::Bool(*b),
    }
}

/// The text a personal-information column holds when 有.
pub fn flag_text(wl: crate::error::Lang) -> &'static str {
    wl.pick("有", "Yes")
}

/// The language a workbook's ledger is written in: English when its 媒体・保存先 header is the
/// profile's English text (a template made with `new --lang en`).
fn workbook_lang(grid: &Grid, p: &Profile) -> crate::error::Lang {
    header_lang(grid, &p.headers.ledger.medium)
}

/// English when a sheet's header row shows `header`'s English text (an English template is read
/// back in English), else Japanese.
fn header_lang(grid: &Grid, h: &crate::profile::Header) -> crate::error::Lang {
    let en = crate::text::normalize_key(&h.text_en);
    let english = !h.text_en.is_empty() && (1..=40u32).any(|r| (1..=grid.max_col.max(1)).any(|c| crate::text::normalize_key(&grid.text(r, c)) == en));
    if english {
        crate::error::Lang::En
    } else {
        crate::error::Lang::Ja
    }
}

fn addr(row: u32, col: u32) -> String {
    format!("{}{row}", col_letters(col))
}

/// The edition a workbook looks like: ipa-3 when it has the 利用方法 or 重要度定義 sheet (in
/// Japanese or English); otherwise the C/I/A values decide (a 0 means the 0–2 scale of ipa-2.1,
/// a 3 the 1–3 scale of ipa-3); a workbook with neither is the older five-sheet ipa-2.1 layout.
pub(crate) fn detect_profile(sheet_names: &[String], grids: &layout::Grids) -> Result<Profile> {
    let ipa3 = Profile::builtin("ipa-3")?;
    let sh = &ipa3.headers.sheets;
    let has = |h: &Option<crate::profile::Header>| h.as_ref().is_some_and(|h| sheet_names.iter().any(|n| h.matches(n)));
    if has(&sh.usage) || has(&sh.importance_definition) {
        return Ok(ipa3);
    }
    let ledgers = infer::ledgers(grids, &ipa3);
    if ledgers.is_empty() {
        if let Some(p) = register_profile(grids)? {
            return Ok(p);
        }
        // No ledger to judge by (a self check alone): the current edition.
        return Ok(ipa3);
    }
    for l in &ledgers {
        let grid = &grids[&l.sheet];
        let values: Vec<f64> = ledger::LedgerField::CIA
            .iter()
            .filter_map(|&f| l.of(f))
            .flat_map(|c| (l.first_row..=grid.max_row).map(move |r| (r, c)))
            .filter_map(|(r, c)| crate::domain::cell::leading_number(input(grid.own_value(r, c))).map(f64::from))
            .collect();
        if values.contains(&3.0) {
            return Ok(ipa3);
        }
        if values.contains(&0.0) {
            break;
        }
    }
    Profile::builtin("ipa-2.1")
}

/// The method of a workbook holding a risk register and no IPA ledger: the seminar's when the
/// register has all its factors (業務への影響度, 発生頻度), else LV.3's when it has LV.3's.
fn register_profile(grids: &layout::Grids) -> Result<Option<Profile>> {
    for name in ["isms-seminar", "lv3"] {
        let p = Profile::builtin(name)?;
        let inferred = infer::infer(grids, &p, &infer::Overrides::default(), Lang::Ja)?;
        let has_factors = |f: &infer::Found| p.register.as_ref().is_some_and(|r| r.factors.iter().all(|x| f.columns.get(&x.key).is_some()));
        if inferred.table(Role::Register).is_some_and(has_factors) {
            return Ok(Some(p));
        }
    }
    Ok(None)
}

/// Reads an IPA workbook and computes every result. `profile` overrides edition detection.
///
/// # Errors
///
/// As [`analyze_with`].
pub fn analyze(wb: &mut Workbook, profile: Option<&Profile>) -> Result<Analysis> {
    analyze_with(wb, &ReadOptions::with_profile(profile))
}

/// Reads an IPA workbook with explicit [`ReadOptions`] and computes every result.
///
/// # Errors
///
/// [`ErrorKind::Usage`] when a place given by `opts.map` or the profile's `[layout]` (a role,
/// field, column or sheet) or a fact of `opts.facts` is unknown or unreadable;
/// [`ErrorKind::Profile`] when the profile's `[facts]` cannot be read; [`ErrorKind::MissingHeader`]
/// when no sheet has the ledger's 媒体・保存先 header; [`XlsxError::Xml`](crate::xlsx::XlsxError::Xml)
/// when a sheet's XML cannot be read. Unusable cells are not errors: they are the analysis's
/// warnings.
pub fn analyze_with(wb: &mut Workbook, opts: &ReadOptions) -> Result<Analysis> {
    let grids = layout::read_grids(wb)?;
    let p = match &opts.profile {
        Some(p) => p.clone(),
        None => detect_profile(&wb.sheet_names(), &grids)?,
    };
    let path = wb.path().to_path_buf();
    // Places the user gave: the profile's [layout], then --map over it.
    let mut over = infer::Overrides::parse(&p.layout_entries(), &p, "[layout]").map_err(|e| e.in_file(&path))?;
    over.add(&opts.map, &p, "--map")?;
    let inferred = infer::infer(&grids, &p, &over, opts.lang)?;
    let roles = inferred.roles.clone();
    let mut out = Collector { warnings: Vec::new(), normalizations: Vec::new(), lang: opts.lang };
    let self_check = inferred
        .table(Role::SelfCheck)
        .and_then(|f| crate::ops::self_check::read(&grids[&f.sheet], f, &p, opts.lang, &mut out.warnings, &mut out.normalizations));
    // A column risksheet is not sure of is named with its candidates; nothing is computed from it.
    // Several answer columns of a self check are its sites, not a doubt.
    let several_answers = self_check.as_ref().is_some_and(|s| s.answer_columns.len() > 1);
    for a in inferred.ambiguities.iter().filter(|a| !(several_answers && a.role == Role::SelfCheck.key() && a.field == "answer")) {
        out.warnings.push(Warning { sheet: a.sheet.clone(), cell: a.cell.clone(), message: a.message.clone() });
    }
    let Some(ledger_sheet) = roles.ledger.clone() else {
        // A workbook of a risk register (LV.3, the seminar) or a self check alone has no IPA
        // ledger: it is read for what it holds.
        if inferred.table(Role::Register).is_some() || self_check.is_some() {
            return without_ledger(grids, p, &inferred, opts, out, self_check);
        }
        return Err(Error::new(ErrorKind::MissingHeader(format!("{}（{}）", p.headers.sheets.ledger.text, p.headers.ledger.medium.text).into())).in_file(&path));
    };
    let wl = workbook_lang(&grids[&ledger_sheet], &p);

    let mut ledgers = Vec::new();
    for found in inferred.table(Role::Ledger).into_iter().chain(inferred.examples.iter()) {
        let l = found.ledger();
        missing_ledger_fields(&l, &p, &found.ambiguities, &mut out);
        let assets = read_ledger(&grids[&l.sheet], &l, &p, wl, &mut out);
        ledgers.push((l, assets));
    }

    let threats_layout = inferred.table(Role::Threats).map(infer::Found::table);
    // A sheet whose table lacks a column it needs is a warning: the rest is still computed.
    let missing =
        |out: &mut Collector, sheet: &str, e: Error| out.warnings.push(Warning { sheet: sheet.to_string(), cell: String::new(), message: e.message(out.lang) });
    let threat_blocks = match (&threats_layout, &roles.threats) {
        (Some(t), Some(s)) => read_threats(&grids[s], t, &p, wl, &mut out).unwrap_or_else(|e| {
            missing(&mut out, s, e);
            Vec::new()
        }),
        _ => Vec::new(),
    };
    let check_layout = inferred.table(Role::Checklist).map(infer::Found::table);
    let (check_rows, answers) = match (&check_layout, &roles.checklist) {
        (Some(t), Some(s)) => read_checklist(&grids[s], t, &p, wl, &mut out).unwrap_or_else(|e| {
            missing(&mut out, s, e);
            (Vec::new(), GroupAnswers::new())
        }),
        _ => (Vec::new(), GroupAnswers::new()),
    };
    let result_layout = inferred.table(Role::Result).map(infer::Found::table);
    // Sheets that are there but not answered yet leave every risk value empty: say so.
    if threats_layout.is_some() && !threat_blocks.is_empty() && threat_blocks.iter().all(|b| b.levels.iter().all(Option::is_none)) {
        let sheet = roles.threats.clone().unwrap_or_default();
        let message = opts
            .lang
            .pick("脅威の発生頻度がまだ選ばれていません（リスク値は空欄のままです）", "no threat frequency chosen yet (risk values stay empty)")
            .to_string();
        out.warnings.push(Warning { sheet, cell: String::new(), message });
    }
    if check_layout.is_some() && !answers.is_empty() && answers.values().all(|a| a.iter().all(Option::is_none)) {
        let sheet = roles.checklist.clone().unwrap_or_default();
        let message = opts
            .lang
            .pick(
                "対策状況チェックがまだ回答されていません（脆弱性とリスク値は空欄のままです）",
                "the checklist is not answered yet (vulnerability and risk values stay empty)",
            )
            .to_string();
        out.warnings.push(Warning { sheet, cell: String::new(), message });
    }
    // A sheet that is not there is named, so the user knows why results stay empty.
    let sh = &p.headers.sheets;
    let tables = [
        (threats_layout.is_some(), &sh.threats, &roles.threats, &p.headers.threats.frequency),
        (check_layout.is_some(), &sh.checklist, &roles.checklist, &p.headers.checklist.answer),
        (result_layout.is_some(), &sh.result, &roles.result, &p.headers.result.rate),
    ];
    for (found, sheet, role, anchor) in tables {
        if !found {
            let sheet = role.clone().unwrap_or_else(|| sheet.text_in(wl).to_string());
            let e = Error::new(ErrorKind::MissingHeader(anchor.text_in(wl).into()));
            out.warnings.push(Warning { sheet, cell: String::new(), message: e.message(opts.lang) });
        }
    }

    // Per medium: threat (max of its threats) and vulnerability (rate over its groups' items).
    let mut media = Vec::new();
    for m in &p.media {
        let levels = threat_blocks.iter().filter(|b| b.medium == m.id).flat_map(|b| b.levels.iter().map(|l| l.map(ThreatLevel)));
        let threat = medium_threat(levels).map(|t| t.0);
        let tally = medium_tally(m, &answers, &p)?;
        let rate = tally.rate().value();
        let vulnerability = vulnerability_from_rate(tally.rate(), &p).map(|v| v.0);
        media.push(MediumResult { id: m.id.clone(), name: m.name_in(wl).to_string(), threat, rate, vulnerability });
    }
    let groups = p
        .checklist
        .groups
        .iter()
        .map(|(id, g)| {
            let t = group_tally(id, &answers, &p)?;
            Ok(GroupResult {
                id: id.clone(),
                name: g.name_in(wl).to_string(),
                rate: t.rate().value(),
                not_applicable: t.rate() == Rate::NotApplicable,
                unanswered: t.unanswered,
            })
        })
        .collect::<Result<Vec<_>>>()?;

    // Per asset.
    for (_, assets) in &mut ledgers {
        for a in assets.iter_mut() {
            let m = a.medium_id.as_ref().and_then(|id| media.iter().find(|x| &x.id == id));
            a.threat = m.and_then(|m| m.threat);
            a.vulnerability = m.and_then(|m| m.vulnerability);
            let cia = match (a.c, a.i, a.a) {
                (Some(c), Some(i), Some(av)) => Some(Cia::new(c, i, av)),
                _ => None,
            };
            let r = assess_partial(cia, a.personal, a.threat.map(ThreatLevel), a.vulnerability.map(Vulnerability), &p)?;
            a.importance = r.importance.map(|x| x.0);
            a.likelihood = r.likelihood.map(|x| x.0);
            if let Some((value, band)) = r.value {
                a.risk = Some(value.0);
                a.band = Some(band.label_in(wl).to_string());
                a.high = band.high;
            }
        }
    }
    let main_assets = ledgers.first().map(|l| l.1.clone()).unwrap_or_default();
    // Company facts: --fact, the 会社の状況 block on 診断結果, the profile's [facts].
    let result_at = match (&roles.result, &result_layout) {
        (Some(s), Some(t)) => t.col("chapter").map(|c| (&grids[s], t, grids[s].merge_of(t.header_row, c).map_or(t.header_row, |m| m.end.row))),
        _ => None,
    };
    let company = facts::read(&p, &opts.facts, result_at, wl, opts.lang)?;
    out.warnings.extend(company.warnings);
    out.normalizations.extend(company.normalizations);
    let facts: ChapterFacts = company.facts.chapter_facts(main_assets.iter().any(|a| a.mynumber));
    let risks: Vec<AssetRisk> = main_assets
        .iter()
        .filter_map(|a| Some(AssetRisk { asset: a.name.clone(), medium: a.medium_id.clone()?, value: crate::domain::risk::RiskValue(a.risk?) }))
        .collect();
    let chapters = select_chapters(&p, &answers, &facts, &risks)?
        .into_iter()
        .map(|d| ChapterResult {
            number: d.chapter.number,
            title: d.chapter.title_in(wl).to_string(),
            need: d.need_mark(&p).to_string(),
            rate: d.rate.and_then(|r| r.value()),
            selected: d.selected,
            // "Not confirmed, counted as met" reads as a contradiction beside 該当なし.
            reasons: reason_texts(&d.reasons, d.selected, &p, opts.lang),
            book_reasons: reason_texts(&d.reasons, d.selected, &p, wl),
        })
        .collect();

    let register = crate::ops::register::read(&grids, &inferred, &p, wl, &mut out)?;

    Ok(Analysis {
        edition: p.id.clone(),
        lang: wl,
        message_lang: opts.lang,
        layout: FoundLayout {
            sheets: roles,
            ledger: ledgers.first().map(|l| l.0.clone()),
            threats: threats_layout,
            checklist: check_layout,
            result: result_layout,
            inventory: register.as_ref().and_then(|r| r.inventory_layout.clone()),
            register: register.as_ref().map(|r| r.layout.clone()),
            plan: register.as_ref().and_then(|r| r.plan_layout.clone()),
            ambiguities: inferred.ambiguities.clone(),
        },
        assets: main_assets,
        media,
        groups,
        chapters,
        facts: company.facts,
        self_check,
        warnings: out.warnings,
        normalizations: out.normalizations,
        profile: p,
        ledgers,
        threat_blocks,
        check_rows,
        answers,
        grids,
        register,
    })
}

/// The analysis of a workbook holding a risk register or a self check and no IPA ledger: the
/// register with its inventory and plan, the self check; the IPA results are empty.
fn without_ledger(
    grids: layout::Grids,
    p: Profile,
    inferred: &infer::Inferred,
    opts: &ReadOptions,
    mut out: Collector,
    self_check: Option<crate::ops::self_check::SelfCheckResult>,
) -> Result<Analysis> {
    let wl = match (inferred.table(Role::Register), &self_check) {
        (Some(f), _) => header_lang(&grids[&f.sheet], &p.headers.register.level),
        (None, Some(s)) => s.lang,
        (None, None) => opts.lang,
    };
    let register = crate::ops::register::read(&grids, inferred, &p, wl, &mut out)?;
    Ok(Analysis {
        edition: p.id.clone(),
        lang: wl,
        message_lang: opts.lang,
        layout: FoundLayout {
            sheets: inferred.roles.clone(),
            ledger: None,
            threats: None,
            checklist: None,
            result: None,
            inventory: register.as_ref().and_then(|r| r.inventory_layout.clone()),
            register: register.as_ref().map(|r| r.layout.clone()),
            plan: register.as_ref().and_then(|r| r.plan_layout.clone()),
            ambiguities: inferred.ambiguities.clone(),
        },
        assets: Vec::new(),
        media: Vec::new(),
        groups: Vec::new(),
        chapters: Vec::new(),
        facts: facts::Facts::default(),
        self_check,
        warnings: out.warnings,
        normalizations: out.normalizations,
        profile: p,
        ledgers: Vec::new(),
        threat_blocks: Vec::new(),
        check_rows: Vec::new(),
        answers: GroupAnswers::new(),
        grids,
        register,
    })
}

/// The most high-risk assets a chapter's reasons name one by one; the rest are counted, so a
/// ledger of thousands of assets still gives a reason a person reads (and a cell Excel accepts).
pub const MAX_LISTED_ASSETS: usize = 10;

/// The reasons of a chapter as sentences: "not confirmed, counted as met" left out of a chapter
/// not selected (it reads as a contradiction beside 該当なし), high-risk assets beyond
/// [`MAX_LISTED_ASSETS`] counted; in language `l`.
fn reason_texts(reasons: &[crate::domain::policy::Reason], selected: bool, p: &Profile, l: Lang) -> Vec<String> {
    use crate::domain::policy::Reason;
    let mut out = Vec::new();
    let mut high = 0;
    for r in reasons {
        match r {
            Reason::Condition { holds: None, .. } if !selected => continue,
            Reason::HighRisk { .. } => {
                high += 1;
                if high > MAX_LISTED_ASSETS {
                    continue;
                }
            }
            _ => {}
        }
        out.push(r.text(p, l));
    }
    if high > MAX_LISTED_ASSETS {
        let more = high - MAX_LISTED_ASSETS;
        out.push(match l {
            Lang::Ja => format!("ほか {more} 件の資産"),
            Lang::En => format!("and {more} more assets"),
        });
    }
    out
}

/// The colour of each computed label, in both languages so either text is coloured, by the
/// ledger field that shows it: `(field, [(label, level)])`, level 0 for the highest (red), 2 for
/// the lowest (green), 1 between (yellow), as [`crate::ops::looks::level_highlights`]
/// orders them. The template and `fill` colour the same labels the same way.
pub(crate) fn label_colours(p: &Profile) -> Vec<(&'static str, Vec<(String, usize)>)> {
    let with_ranks = |labels: Vec<(&str, &str)>| {
        let n = labels.len();
        let mut out: Vec<(String, usize)> = Vec::new();
        for (i, (ja, en)) in labels.into_iter().enumerate() {
            for label in [ja, en] {
                if !label.is_empty() && !out.iter().any(|(l, _)| l == label) {
                    out.push((label.to_string(), crate::ops::looks::level_of(i, n)));
                }
            }
        }
        out
    };
    let mut levels: Vec<_> = p.likelihood.levels.iter().collect();
    levels.sort_by_key(|l| std::cmp::Reverse(l.value));
    let mut bands: Vec<_> = p.risk.bands.iter().collect();
    bands.sort_by_key(|b| std::cmp::Reverse(b.min));
    vec![
        ("likelihood_label", with_ranks(levels.iter().map(|l| (l.label.as_str(), l.label_en.as_str())).collect())),
        ("risk_label", with_ranks(bands.iter().map(|b| (b.label.as_str(), b.label_en.as_str())).collect())),
    ]
}
