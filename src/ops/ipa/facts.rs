//! Company facts (会社の状況): what the chapter conditions of 診断結果 need to know about the
//! company and no IPA sheet asks — does it develop systems in house, outsource work, how many
//! employees it has, does it exchange secrets with contractors, does it allow telework
//! (domain.md §5).
//!
//! A fact comes from, in this order of precedence: the command line (`--fact KEY=VALUE`) or the
//! Python module (`fill(facts={...})`); the block 「会社の状況」 on 診断結果, one row per fact with
//! a はい/いいえ answer; the `[facts]` table of the profile. An answered fact decides its chapter,
//! in the cached value and in the 診断結果 formula (which refers to the block's answer cell); an
//! unanswered one leaves its chapter selected and is listed as 要確認.
//!
//! ```
//! use risksheet::ops::ipa::facts::{parse_value, FactKey, FactValue};
//! assert_eq!(FactKey::parse("employees"), Some(FactKey::Employees));
//! assert_eq!(parse_value(FactKey::Telework, "はい"), Some(FactValue::Bool(true)));
//! assert_eq!(parse_value(FactKey::Outsourcing, "×"), Some(FactValue::Bool(false)));
//! assert_eq!(parse_value(FactKey::Employees, "１２名"), Some(FactValue::Count(12)));
//! assert_eq!(parse_value(FactKey::Employees, "高"), None);
//! ```
use super::layout::{Grid, TableLayout};
use super::{Normalization, Warning};
use crate::domain::policy::ChapterFacts;
use crate::error::{Error, Lang, Message, Result};
use crate::profile::{Condition, Profile};
use crate::text::{normalize_key, to_narrow};
use crate::xlsx::address::col_letters;
use crate::xlsx::CellValue;
use serde::{Deserialize, Serialize};

/// One company fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKey {
    /// 社内でシステム開発を行っている (chapter システム開発及び保守).
    Development,
    /// 業務を外部に委託している (委託管理).
    Outsourcing,
    /// 従業員数 (社内体制図: 2 or more).
    Employees,
    /// 委託先と秘密情報・個人情報をやり取りしている (委託契約書機密保持条項サンプル).
    ContractorSecrets,
    /// テレワークを行っている (テレワークにおける対策).
    Telework,
}

impl FactKey {
    /// Every fact, in the order of the block.
    pub const ALL: [FactKey; 5] = [FactKey::Development, FactKey::Outsourcing, FactKey::Employees, FactKey::ContractorSecrets, FactKey::Telework];

    /// The key of `--fact KEY=VALUE` and of a profile's `[facts]`.
    pub fn key(self) -> &'static str {
        match self {
            FactKey::Development => "development",
            FactKey::Outsourcing => "outsourcing",
            FactKey::Employees => "employees",
            FactKey::ContractorSecrets => "contractor_secrets",
            FactKey::Telework => "telework",
        }
    }

    /// The fact a key names (`employees`); ASCII case and `-` for `_` are forgiven.
    pub fn parse(key: &str) -> Option<FactKey> {
        let k = key.trim().to_ascii_lowercase().replace('-', "_");
        FactKey::ALL.into_iter().find(|f| f.key() == k)
    }

    /// The valid keys, for messages: `development, outsourcing, …`.
    pub fn keys() -> String {
        FactKey::ALL.map(FactKey::key).join(", ")
    }

    /// The label of the fact's row in the block.
    pub fn label(self, l: Lang) -> &'static str {
        let (ja, en) = LABELS[self as usize][0];
        l.pick(ja, en)
    }

    /// The chapter condition the fact decides.
    pub fn condition(self) -> Condition {
        match self {
            FactKey::Development => Condition::InHouseDevelopment,
            FactKey::Outsourcing => Condition::Outsourcing,
            FactKey::Employees => Condition::EmployeesTwoOrMore,
            FactKey::ContractorSecrets => Condition::SecretsWithContractors,
            FactKey::Telework => Condition::Telework,
        }
    }

    /// The fact a condition depends on (none for `always` and `ledger_has_mynumber`).
    pub fn for_condition(c: Condition) -> Option<FactKey> {
        FactKey::ALL.into_iter().find(|f| f.condition() == c)
    }

    /// Whether the answer is a number (employees) rather than はい/いいえ.
    pub fn is_count(self) -> bool {
        self == FactKey::Employees
    }

    /// Whether a cell text is this fact's label (either language, a known variant), after
    /// normalising width, spaces and a trailing question mark.
    fn matches(self, text: &str) -> bool {
        let key = label_key(text);
        !key.is_empty() && LABELS[self as usize].iter().any(|(ja, en)| label_key(ja) == key || label_key(en) == key)
    }
}

/// Labels of each fact, in [`FactKey`] order: the first is written, all are recognised.
const LABELS: [&[(&str, &str)]; 5] = [
    &[
        ("社内でシステム開発を行っている", "We develop systems in house"),
        ("自社でシステム開発を行っている", "In-house system development"),
        ("社内でシステム開発を行う", "In-house development"),
    ],
    &[("業務を外部に委託している", "We outsource work"), ("業務委託を行っている", "Outsourcing"), ("業務を委託している", "We outsource work to contractors")],
    &[("従業員数（名）", "Number of employees"), ("従業員数", "Employees"), ("従業員は何名ですか", "How many employees do you have")],
    &[
        ("委託先と秘密情報・個人情報をやり取りしている", "We exchange secrets or personal data with contractors"),
        ("委託先と秘密情報をやり取りしている", "Secrets exchanged with contractors"),
        ("委託先と重要な情報の授受がある", "We exchange secrets with contractors"),
    ],
    &[("テレワークを行っている", "We allow telework"), ("テレワークを行う", "Telework"), ("テレワークを実施している", "Remote work")],
];

/// The block's title (Japanese, English).
pub const BLOCK_TITLE: (&str, &str) = ("会社の状況", "Company facts");
/// The header over the answers (Japanese, English).
pub const ANSWER_HEADER: (&str, &str) = ("回答", "Answer");
/// The answers of a yes/no fact in a workbook (Japanese, English): はい, いいえ.
pub const YES_NO: [(&str, &str); 2] = [("はい", "Yes"), ("いいえ", "No")];

fn label_key(text: &str) -> String {
    let k = normalize_key(text);
    k.trim_end_matches(['?', '？', '。', ':', '：']).to_string()
}

/// A fact's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum FactValue {
    /// はい (true) / いいえ (false).
    Bool(bool),
    /// A number of employees.
    Count(u32),
}

impl FactValue {
    /// The canonical cell value in a workbook of language `l`: はい/いいえ or the number.
    pub fn cell(self, l: Lang) -> CellValue {
        match self {
            FactValue::Bool(b) => {
                let (ja, en) = YES_NO[usize::from(!b)];
                CellValue::Text(l.pick(ja, en).to_string())
            }
            FactValue::Count(n) => CellValue::Number(f64::from(n)),
        }
    }
}

/// はい/いいえ in the forms people type: はい, いいえ, yes, no, y, n, true, false, ○, ×, 有, 無,
/// あり, なし (full-width letters too, any ASCII case). Anything else is `None`.
pub fn parse_yes_no(text: &str) -> Option<bool> {
    let t = to_narrow(text).trim().to_lowercase();
    match t.as_str() {
        "はい" | "yes" | "y" | "true" | "○" | "◯" | "〇" | "有" | "あり" | "有り" => Some(true),
        "いいえ" | "no" | "n" | "false" | "×" | "✕" | "x" | "無" | "なし" | "無し" => Some(false),
        _ => None,
    }
}

/// A whole number of people: `12`, `１２`, `12名`, `12人`. Anything else is `None`.
pub fn parse_count(text: &str) -> Option<u32> {
    let t = to_narrow(text);
    let t = t.trim().trim_end_matches(['名', '人']).trim();
    t.parse::<u32>().ok()
}

/// A fact's value from text (the command line, a profile, a cell's text); `None` when it is not
/// one of the accepted forms.
pub fn parse_value(key: FactKey, text: &str) -> Option<FactValue> {
    if key.is_count() {
        parse_count(text).map(FactValue::Count)
    } else {
        parse_yes_no(text).map(FactValue::Bool)
    }
}

/// A fact's value from a cell; `Ok(None)` for a blank cell, `Err(())` for anything unreadable.
fn cell_value(key: FactKey, v: &CellValue) -> std::result::Result<Option<FactValue>, ()> {
    match v {
        CellValue::Empty => Ok(None),
        CellValue::Text(t) if t.trim().is_empty() => Ok(None),
        CellValue::Bool(b) if !key.is_count() => Ok(Some(FactValue::Bool(*b))),
        CellValue::Number(n) if key.is_count() && *n >= 0.0 && n.fract() == 0.0 && *n <= f64::from(u32::MAX) => Ok(Some(FactValue::Count(*n as u32))),
        CellValue::Text(t) => parse_value(key, t).map(Some).ok_or(()),
        _ => Err(()),
    }
}

/// What the accepted forms are, for messages.
fn expected(key: FactKey) -> Message {
    if key.is_count() {
        Message::new("人数（0以上の整数）", "a number of people (a whole number)")
    } else {
        Message::new("はい／いいえ", "yes/no (はい/いいえ)")
    }
}

/// A value a profile's `[facts]` gives: `true`, `"はい"`, `12`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FactSetting {
    /// `true` / `false`.
    Bool(bool),
    /// A number.
    Number(i64),
    /// Text: はい, いいえ, yes, no, …, or a number.
    Text(String),
}

/// The `[facts]` table of a profile: the company's answers, used when neither the command line
/// nor the workbook answers. Every key is optional.
///
/// ```
/// use risksheet::profile::Profile;
/// let p = Profile::from_toml_str("extends = \"ipa-3\"\n[facts]\ntelework = \"はい\"\nemployees = 12\n")?;
/// assert!(p.facts.telework.is_some());
/// assert!(Profile::from_toml_str("extends = \"ipa-3\"\n[facts]\nbogus = 1\n").is_err());
/// # Ok::<(), risksheet::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileFacts {
    /// 社内でシステム開発を行っている.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub development: Option<FactSetting>,
    /// 業務を外部に委託している.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outsourcing: Option<FactSetting>,
    /// 従業員数.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employees: Option<FactSetting>,
    /// 委託先と秘密情報・個人情報をやり取りしている.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contractor_secrets: Option<FactSetting>,
    /// テレワークを行っている.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telework: Option<FactSetting>,
}

impl ProfileFacts {
    /// Whether no fact is given.
    pub fn is_empty(&self) -> bool {
        *self == ProfileFacts::default()
    }

    fn get(&self, key: FactKey) -> Option<&FactSetting> {
        match key {
            FactKey::Development => self.development.as_ref(),
            FactKey::Outsourcing => self.outsourcing.as_ref(),
            FactKey::Employees => self.employees.as_ref(),
            FactKey::ContractorSecrets => self.contractor_secrets.as_ref(),
            FactKey::Telework => self.telework.as_ref(),
        }
    }

    /// The values given, each checked; an unreadable one is an error naming `facts.KEY`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Profile`](crate::ErrorKind::Profile), naming `facts.KEY`, when a value does not
    /// read as that fact (a number for a yes/no fact, text that is neither).
    pub fn values(&self) -> Result<Vec<(FactKey, FactValue)>> {
        let mut out = Vec::new();
        for key in FactKey::ALL {
            let Some(s) = self.get(key) else { continue };
            let v = match s {
                FactSetting::Bool(b) if !key.is_count() => Some(FactValue::Bool(*b)),
                FactSetting::Number(n) if key.is_count() => u32::try_from(*n).ok().map(FactValue::Count),
                FactSetting::Text(t) => parse_value(key, t),
                _ => None,
            };
            let Some(v) = v else {
                let shown = match s {
                    FactSetting::Bool(b) => b.to_string(),
                    FactSetting::Number(n) => n.to_string(),
                    FactSetting::Text(t) => format!("\"{t}\""),
                };
                return Err(crate::profile::profile_error(
                    format!("facts.{}: {shown} は読めません（{}を書いてください）", key.key(), expected(key)),
                    format!("facts.{}: cannot read {shown} (expected {})", key.key(), expected(key)),
                ));
            };
            out.push((key, v));
        }
        Ok(out)
    }
}

/// Reads `--fact KEY=VALUE` pairs: an unknown key or an unreadable value is a usage error that
/// lists what is accepted.
///
/// # Errors
///
/// [`ErrorKind::Usage`](crate::ErrorKind::Usage), listing what is accepted, when a key is not a
/// company fact or its value cannot be read.
///
/// ```
/// use risksheet::ops::ipa::facts::{from_pairs, FactKey, FactValue};
/// let given = from_pairs(&[("outsourcing".into(), "yes".into()), ("employees".into(), "3".into())])?;
/// assert_eq!(given, [(FactKey::Outsourcing, FactValue::Bool(true)), (FactKey::Employees, FactValue::Count(3))]);
/// assert!(from_pairs(&[("bogus".into(), "1".into())]).is_err());
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn from_pairs(pairs: &[(String, String)]) -> Result<Vec<(FactKey, FactValue)>> {
    let mut out: Vec<(FactKey, FactValue)> = Vec::new();
    for (k, v) in pairs {
        let Some(key) = FactKey::parse(k) else {
            return Err(Error::usage(Message::new(
                format!("--fact {k}: 会社の状況の項目名ではありません（使える項目: {}）", FactKey::keys()),
                format!("--fact {k}: not a company fact (valid keys: {})", FactKey::keys()),
            )));
        };
        let Some(value) = parse_value(key, v) else {
            let expected = expected(key);
            return Err(Error::usage(Message::new(
                format!("--fact {k}={v}: 値が読めません（{}を指定してください）", expected.get(Lang::Ja)),
                format!("--fact {k}={v}: cannot read the value (expected {})", expected.get(Lang::En)),
            )));
        };
        // The last one given wins.
        out.retain(|(x, _)| *x != key);
        out.push((key, value));
    }
    Ok(out)
}

/// Where a fact's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FactSource {
    /// `--fact` or the Python module's `facts=`.
    Cli,
    /// The workbook's 会社の状況 block.
    Workbook,
    /// The profile's `[facts]`.
    Profile,
}

/// One fact as decided: its value (`None` = not answered) and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    /// The fact.
    #[serde(skip)]
    pub key: FactKey,
    /// Its value; `null` when no source answers it.
    pub value: Option<FactValue>,
    /// Where the value came from.
    pub source: Option<FactSource>,
    /// Its answer cell on 診断結果 (`G5`), when the workbook has (or gets) the block.
    pub cell: Option<String>,
    /// Whether a chapter of the profile depends on it.
    pub used: bool,
}

/// The 会社の状況 block on 診断結果: where it is, whether `fill` has to write it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactBlock {
    /// The sheet (診断結果).
    pub sheet: String,
    /// Title cell (row, column); `None` for a block found by its labels alone.
    pub title: Option<(u32, u32)>,
    /// Label cell and answer cell of each fact: (fact, row, label column, answer column).
    pub rows: Vec<(FactKey, u32, u32, u32)>,
    /// The workbook has no block yet: `fill` writes it here.
    pub new: bool,
}

impl FactBlock {
    /// The answer cell of a fact: (row, column).
    pub fn answer_cell(&self, key: FactKey) -> Option<(u32, u32)> {
        self.rows.iter().find(|r| r.0 == key).map(|r| (r.1, r.3))
    }
}

/// Every fact as decided for one workbook.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// One entry per fact, in [`FactKey::ALL`] order.
    pub items: Vec<Fact>,
    /// The block on 診断結果, found or planned.
    pub block: Option<FactBlock>,
}

impl Serialize for Facts {
    /// As a map: `{"employees": {"value": 12, "source": "cli", "cell": "G7", "used": true}, …}`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.items.len()))?;
        for f in &self.items {
            m.serialize_entry(f.key.key(), f)?;
        }
        m.end()
    }
}

impl Facts {
    /// The fact of a key.
    pub fn get(&self, key: FactKey) -> Option<&Fact> {
        self.items.iter().find(|f| f.key == key)
    }

    /// The facts for the chapter conditions (`ledger_has_mynumber` from the ledger).
    pub fn chapter_facts(&self, ledger_has_mynumber: bool) -> ChapterFacts {
        let b = |k| match self.get(k).and_then(|f| f.value) {
            Some(FactValue::Bool(b)) => Some(b),
            _ => None,
        };
        let employees = match self.get(FactKey::Employees).and_then(|f| f.value) {
            Some(FactValue::Count(n)) => Some(n),
            _ => None,
        };
        ChapterFacts {
            ledger_has_mynumber: Some(ledger_has_mynumber),
            in_house_development: b(FactKey::Development),
            outsourcing: b(FactKey::Outsourcing),
            employees,
            secrets_with_contractors: b(FactKey::ContractorSecrets),
            telework: b(FactKey::Telework),
        }
    }

    /// The facts a chapter depends on that nobody answered: listed as 要確認.
    pub fn unanswered(&self) -> impl Iterator<Item = &Fact> {
        self.items.iter().filter(|f| f.used && f.value.is_none())
    }

    /// One line per fact for people: 「テレワークを行っている: はい（コマンドライン）」, 「…: 未回答（要確認）」.
    pub fn lines(&self, l: Lang) -> Vec<String> {
        self.items
            .iter()
            .filter(|f| f.used || f.value.is_some())
            .map(|f| {
                let value = match f.value {
                    Some(FactValue::Bool(b)) => l.pick(YES_NO[usize::from(!b)].0, YES_NO[usize::from(!b)].1).to_string(),
                    Some(FactValue::Count(n)) => n.to_string(),
                    None => l.pick("未回答（要確認）", "not answered (to check)").to_string(),
                };
                let source = match f.source {
                    Some(FactSource::Cli) => l.pick("（--fact）", " (--fact)").to_string(),
                    Some(FactSource::Workbook) => match (&self.block, &f.cell) {
                        (Some(b), Some(c)) => format!("{}{}!{c}{}", l.pick("（", " ("), b.sheet, l.pick("）", ")")),
                        _ => String::new(),
                    },
                    Some(FactSource::Profile) => l.pick("（プロファイル）", " (profile)").to_string(),
                    None => String::new(),
                };
                format!("{}: {value}{source}", f.key.label(l))
            })
            .collect()
    }

    /// The labels of the unanswered facts, for the 要確認 lines.
    pub fn to_check(&self, l: Lang) -> Vec<String> {
        self.unanswered()
            .map(|f| match l {
                Lang::Ja => format!("会社の状況「{}」が未回答です（該当するものとして扱いました）", f.key.label(l)),
                Lang::En => format!("company fact '{}' not answered (assumed to apply)", f.key.label(l)),
            })
            .collect()
    }
}

/// Finds an existing block on a sheet: every cell whose text is a fact's label (in either
/// language, after normalising), the answer in the next cell to its right (past a merge).
pub fn find_block(grid: &Grid) -> Option<FactBlock> {
    let mut rows: Vec<(FactKey, u32, u32, u32)> = Vec::new();
    let mut title = None;
    for r in 1..=grid.max_row {
        for c in 1..=grid.max_col {
            let v = grid.own_value(r, c);
            let CellValue::Text(t) = v else { continue };
            if title.is_none() && [BLOCK_TITLE.0, BLOCK_TITLE.1].iter().any(|x| label_key(x) == label_key(t)) {
                title = Some((r, c));
                continue;
            }
            if let Some(key) = FactKey::ALL.into_iter().find(|k| k.matches(t)) {
                if rows.iter().any(|x| x.0 == key) {
                    continue;
                }
                let answer = grid.merge_of(r, c).map_or(c, |m| m.end.col) + 1;
                rows.push((key, r, c, answer));
            }
        }
    }
    if rows.is_empty() {
        return None;
    }
    Some(FactBlock { sheet: grid.sheet.clone(), title, rows, new: false })
}

/// Where `fill` puts a new block: to the right of the 診断結果 table after one blank column,
/// title in the table's (last) header row, one row per fact below. `Err` names the first cell
/// in use (nothing is written over).
pub(crate) fn plan_block(grid: &Grid, table: &TableLayout, header_bottom: u32, keys: &[FactKey]) -> std::result::Result<FactBlock, (u32, u32)> {
    // The table's right edge: its known columns, and any header cell right of them.
    let mut right = table.columns.letters().filter_map(|(k, _)| table.col(k)).max().unwrap_or(1);
    while !grid.text(table.header_row, right + 1).is_empty() || grid.merge_of(table.header_row, right + 1).is_some() {
        right += 1;
    }
    let (col, row) = (right + 2, header_bottom);
    let mut cells = vec![(row, col), (row, col + 1)];
    for k in 0..keys.len() as u32 {
        cells.extend([(row + 1 + k, col), (row + 1 + k, col + 1)]);
    }
    if let Some(&used) = cells.iter().find(|&&(r, c)| !grid.own_value(r, c).is_blank() || grid.merge_of(r, c).is_some()) {
        return Err(used);
    }
    let rows = keys.iter().enumerate().map(|(k, &key)| (key, row + 1 + k as u32, col, col + 1)).collect();
    Ok(FactBlock { sheet: grid.sheet.clone(), title: Some((row, col)), rows, new: true })
}

/// The facts the profile's chapters depend on, in block order.
pub fn used_keys(p: &Profile) -> Vec<FactKey> {
    FactKey::ALL.into_iter().filter(|k| p.chapters.iter().any(|c| c.condition == k.condition())).collect()
}

/// What [`read`] found: the facts, and the warnings and canonical rewrites of the block's cells.
pub(crate) struct Read {
    /// The facts.
    pub facts: Facts,
    /// Unreadable answers, with their cells.
    pub warnings: Vec<Warning>,
    /// Answers to rewrite in canonical form (「○」 → はい, 「１２名」 → 12).
    pub normalizations: Vec<Normalization>,
}

/// Decides every fact of a workbook from the command line (`given`, as [`from_pairs`] reads
/// it), the 会社の状況 block of the result sheet (`result`: its grid, table and last header row)
/// and the profile's `[facts]`, in that order of precedence. Values written back are in the
/// workbook's language `wl`, warnings in `lang`.
pub(crate) fn read(p: &Profile, given: &[(String, String)], result: Option<(&Grid, &TableLayout, u32)>, wl: Lang, lang: Lang) -> Result<Read> {
    let cli = from_pairs(given)?;
    let from_profile = p.facts.values()?;
    let used = used_keys(p);
    let mut warnings = Vec::new();
    let mut normalizations = Vec::new();
    let block = match result {
        Some((grid, table, bottom)) => match find_block(grid) {
            Some(b) => Some(b),
            None if used.is_empty() => None,
            None => match plan_block(grid, table, bottom, &used) {
                Ok(b) => Some(b),
                Err((r, c)) => {
                    let message = lang
                        .pick(
                            "既存の内容があるため、会社の状況の欄は書き込みませんでした（--fact で指定できます）",
                            "cells in use: the company facts block was not written (give them with --fact)",
                        )
                        .to_string();
                    warnings.push(Warning { sheet: grid.sheet.clone(), cell: format!("{}{r}", col_letters(c)), message });
                    None
                }
            },
        },
        None => None,
    };
    let grid = result.map(|r| r.0);
    let mut items = Vec::new();
    for key in FactKey::ALL {
        let cell_at = block.as_ref().and_then(|b| b.answer_cell(key));
        let mut from_book = None;
        if let (Some((r, c)), Some(g), Some(b)) = (cell_at, grid, &block) {
            if !b.new {
                let v = g.own_value(r, c);
                match cell_value(key, v) {
                    Ok(Some(x)) => {
                        from_book = Some(x);
                        let canon = x.cell(wl);
                        if *v != canon {
                            normalizations.push(Normalization { sheet: g.sheet.clone(), row: r, col: c, from: v.to_string(), to: canon });
                        }
                    }
                    Ok(None) => {}
                    Err(()) => {
                        let e = Error::new(crate::error::ErrorKind::InvalidValue { expected: expected(key), found: v.to_string() });
                        warnings.push(Warning {
                            sheet: g.sheet.clone(),
                            cell: format!("{}{r}", col_letters(c)),
                            message: format!("{}: {}", key.label(lang), e.message(lang)),
                        });
                    }
                }
            }
        }
        let pick = |list: &[(FactKey, FactValue)]| list.iter().rev().find(|x| x.0 == key).map(|x| x.1);
        let (value, source) = match (pick(&cli), from_book, pick(&from_profile)) {
            (Some(v), _, _) => (Some(v), Some(FactSource::Cli)),
            (None, Some(v), _) => (Some(v), Some(FactSource::Workbook)),
            (None, None, Some(v)) => (Some(v), Some(FactSource::Profile)),
            _ => (None, None),
        };
        items.push(Fact { key, value, source, cell: cell_at.map(|(r, c)| format!("{}{r}", col_letters(c))), used: used.contains(&key) });
    }
    Ok(Read { facts: Facts { items, block }, warnings, normalizations })
}
