//! Profiles: versioned rule data (scales, labels, likelihood matrix, risk bands, media, threats,
//! check items and their mapping to media, policy chapters, and the header texts that locate
//! sheets and columns).
//!
//! The rules of a risk analysis workbook differ between IPA editions and between companies, so
//! they are data, not code. Presets are embedded in the binary (see [`Profile::builtin_names`]);
//! a user can load their own TOML file, which may `extends` a preset and override only what
//! differs. The format is described in `data/profiles/README.md`.
//!
//! ```
//! use risksheet::profile::Profile;
//! let ipa = Profile::builtin("ipa-2.1")?;
//! assert_eq!((ipa.cia.min, ipa.cia.max), (0, 2));
//! assert_eq!(ipa.media.len(), 6);
//! assert_eq!(ipa.checklist.groups.len(), 11);
//! # Ok::<(), risksheet::Error>(())
//! ```
mod load;
mod validate;

pub(crate) use load::profile_error;

use crate::error::Lang;
use crate::text::{header_key, normalize_key, split_number_prefix, strip_trailing_note, HeaderKey};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

/// Generates `fn $method(&self, lang) -> &str` picking the Japanese or English field; an empty
/// English text falls back to the Japanese one.
macro_rules! bilingual {
    ($ty:ty, $method:ident, $ja:ident, $en:ident) => {
        impl $ty {
            #[doc = concat!("`", stringify!($ja), "` in the given language (English falls back to Japanese when empty).")]
            pub fn $method(&self, lang: Lang) -> &str {
                if lang == Lang::En && !self.$en.is_empty() {
                    &self.$en
                } else {
                    &self.$ja
                }
            }
        }
    };
}

// After `bilingual!`, which it uses.
mod headers;
mod register;
mod self_check;
pub use headers::*;
pub use register::*;
pub use self_check::*;

/// A set of rules for one edition or method, as loaded from a profile file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// Short name used on the command line (`ipa-2.1`).
    pub id: String,
    /// The edition of the source document (`2.1`, `3`).
    pub edition: String,
    /// Version of this data; bump when the rules change.
    pub version: u32,
    /// Descriptive title (Japanese).
    pub title: String,
    /// Descriptive title (English).
    #[serde(default)]
    pub title_en: String,
    /// Scale of 機密性・完全性・可用性.
    pub cia: Scale,
    /// How 重要度 is derived from C, I, A.
    pub importance: ImportanceRule,
    /// 脅威の発生頻度 levels.
    pub threat: LabelledScale,
    /// 脆弱性 levels.
    pub vulnerability: LabelledScale,
    /// 被害発生可能性 levels and the 換算表.
    pub likelihood: LikelihoodRule,
    /// リスク値 bands.
    pub risk: RiskRule,
    /// 媒体・保存先, each with its threats and check groups.
    #[serde(default)]
    pub media: Vec<Medium>,
    /// 対策状況チェック: answer scale and check groups.
    #[serde(default)]
    pub checklist: Checklist,
    /// Policy chapters shown on 診断結果.
    #[serde(default)]
    pub chapters: Vec<Chapter>,
    /// Company facts the chapter conditions need (`[facts]`: `development`, `outsourcing`,
    /// `employees`, `contractor_secrets`, `telework`), used when neither `--fact` nor the
    /// workbook's 会社の状況 block answers them.
    #[serde(default, skip_serializing_if = "crate::ops::ipa::facts::ProfileFacts::is_empty")]
    pub facts: crate::ops::ipa::facts::ProfileFacts,
    /// How a risk register (LV.3, the ISMS seminar) scores and treats its risks, when the
    /// profile has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub register: Option<RegisterRule>,
    /// The 25-item self check (5分でできる！情報セキュリティ自社診断), when the profile has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_check: Option<SelfCheckRule>,
    /// Texts of the 診断結果 decision column.
    pub result: ResultTexts,
    /// Header texts that locate sheets and columns.
    pub headers: Headers,
    /// Where things are in a workbook whose layout defeats the inference, by role and field:
    /// `[layout.ledger] sheet = "台帳", header_row = 3, medium = "G"` (as `--map ledger.medium=G`;
    /// `inspect --layout-toml` prints what was found in this form).
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub layout: IndexMap<String, IndexMap<String, LayoutValue>>,
    /// `media` by id and by the comparison key of each name, built on the first lookup
    /// ([`Profile::medium`], [`Profile::find_medium`]) so that each is one hash lookup, not a pass
    /// over every medium (a profile of 200,000 media read cell by cell). Built again when `media`
    /// grows or shrinks; empty in a clone.
    #[serde(skip)]
    media_index: MediaIndex,
}

/// See `Profile::media_index`.
#[derive(Debug, Default)]
struct MediaIndex(std::sync::OnceLock<MediaKeys>);

#[derive(Debug)]
struct MediaKeys {
    /// `media.len()` when built.
    len: usize,
    ids: std::collections::HashMap<String, usize>,
    names: std::collections::HashMap<String, usize>,
}

impl Clone for MediaIndex {
    fn clone(&self) -> Self {
        MediaIndex::default()
    }
}

impl PartialEq for MediaIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl MediaIndex {
    fn keys(&self, media: &[Medium]) -> Option<&MediaKeys> {
        let build = || {
            let mut keys = MediaKeys { len: media.len(), ids: Default::default(), names: Default::default() };
            for (i, m) in media.iter().enumerate() {
                keys.ids.entry(m.id.clone()).or_insert(i);
                for n in m.names() {
                    keys.names.entry(normalize_key(n)).or_insert(i);
                }
            }
            keys
        };
        // A profile whose media changed in number since is looked up the slow way.
        Some(self.0.get_or_init(build)).filter(|k| k.len == media.len())
    }
}

/// A value of a profile's `[layout]` table: a sheet name or column letters, or a row number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LayoutValue {
    /// A sheet name or column letters.
    Text(String),
    /// A row or column number.
    Number(u32),
}

impl Profile {
    /// The `[layout]` table as `(role.field, value)` pairs, the form `--map` takes.
    ///
    /// ```
    /// let mut p = risksheet::profile::Profile::builtin("ipa-3")?;
    /// p.layout.entry("ledger".into()).or_default().insert("medium".into(), risksheet::profile::LayoutValue::Text("G".into()));
    /// assert_eq!(p.layout_entries(), [("ledger.medium".to_string(), "G".to_string())]);
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn layout_entries(&self) -> Vec<(String, String)> {
        self.layout
            .iter()
            .flat_map(|(role, fields)| {
                fields.iter().map(move |(field, v)| {
                    let value = match v {
                        LayoutValue::Text(t) => t.clone(),
                        LayoutValue::Number(n) => n.to_string(),
                    };
                    (format!("{role}.{field}"), value)
                })
            })
            .collect()
    }
}

/// An inclusive range of integer levels (`0〜2`, `1〜3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// Lowest level.
    pub min: u8,
    /// Highest level.
    pub max: u8,
}

impl Scale {
    /// Whether `value` lies on the scale.
    pub fn contains(self, value: u8) -> bool {
        (self.min..=self.max).contains(&value)
    }
    /// Number of levels.
    pub fn level_count(self) -> usize {
        usize::from(self.max.saturating_sub(self.min)) + 1
    }
    /// The levels, lowest first.
    pub fn values(self) -> std::ops::RangeInclusive<u8> {
        self.min..=self.max
    }
    /// What a cell on this scale should hold, for error messages: 「1〜3の数値」.
    pub fn expected(self) -> crate::lang::Message {
        crate::lang::Message::new(format!("{}〜{}の数値", self.min, self.max), format!("a number {}–{}", self.min, self.max))
    }
}

/// How 重要度 follows from the C, I, A values: their maximum, optionally raised for assets
/// with personal information.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportanceRule {
    /// Raise 重要度 when the asset holds personal information (3.x rule).
    pub personal_info_override: bool,
    /// The level it is raised to; the top of the C/I/A scale when absent.
    #[serde(default)]
    pub personal_info_level: Option<u8>,
}

/// One level of a scale with its cell text, e.g. `3` / 「3:通常の状態で発生する（…）」.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The number.
    pub value: u8,
    /// The text written to and recognised in cells (Japanese).
    pub label: String,
    /// The English text (`--lang en` templates).
    #[serde(default)]
    pub label_en: String,
}
bilingual!(Level, label_in, label, label_en);

/// A scale whose levels carry labels (脅威, 脆弱性).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelledScale {
    /// Lowest level.
    pub min: u8,
    /// Highest level.
    pub max: u8,
    /// One label per level.
    pub levels: Vec<Level>,
}

impl LabelledScale {
    /// The range of levels.
    pub fn scale(&self) -> Scale {
        Scale { min: self.min, max: self.max }
    }
    /// The level with this value.
    pub fn level(&self, value: u8) -> Option<&Level> {
        self.levels.iter().find(|l| l.value == value)
    }
}

/// 被害発生可能性: its levels with labels (可能性:高/中/低) and the 換算表 from threat and
/// vulnerability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LikelihoodRule {
    /// Lowest level.
    pub min: u8,
    /// Highest level.
    pub max: u8,
    /// One label per level.
    pub levels: Vec<Level>,
    /// `matrix[t - threat.min][v - vulnerability.min]` is the likelihood of threat `t` and
    /// vulnerability `v`.
    pub matrix: Vec<Vec<u8>>,
}

impl LikelihoodRule {
    /// The range of levels.
    pub fn scale(&self) -> Scale {
        Scale { min: self.min, max: self.max }
    }
    /// The level with this value.
    pub fn level(&self, value: u8) -> Option<&Level> {
        self.levels.iter().find(|l| l.value == value)
    }
}

/// リスク値 bands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskRule {
    /// Bands, highest first; together they cover every possible リスク値 exactly once.
    pub bands: Vec<RiskBand>,
}

impl RiskRule {
    /// The band that holds `value`.
    pub fn band(&self, value: u32) -> Option<&RiskBand> {
        self.bands.iter().find(|b| b.contains(value))
    }
}

/// A range of リスク値 with its label (リスク大) and advice (重点的に対策を実施).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskBand {
    /// Lowest value in the band.
    pub min: u32,
    /// Highest value in the band.
    pub max: u32,
    /// The band whose assets are cited as reasons in policy selection (リスク大).
    #[serde(default)]
    pub high: bool,
    /// Cell text (「リスク大」).
    pub label: String,
    /// English cell text.
    #[serde(default)]
    pub label_en: String,
    /// What to do (「重点的に対策を実施」).
    #[serde(default)]
    pub advice: String,
    /// English advice.
    #[serde(default)]
    pub advice_en: String,
}
bilingual!(RiskBand, label_in, label, label_en);
bilingual!(RiskBand, advice_in, advice, advice_en);

impl RiskBand {
    /// Whether `value` lies in the band.
    pub fn contains(&self, value: u32) -> bool {
        (self.min..=self.max).contains(&value)
    }
}

/// A 媒体・保存先 (書類, 社内サーバー …) with the spellings users write, its threats, and the
/// check groups that decide its 脆弱性.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Medium {
    /// Stable id (`server`).
    pub id: String,
    /// Canonical name written to cells (「社内サーバー」).
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: String,
    /// Other spellings recognised when reading (「社内サーバ」).
    #[serde(default)]
    pub variants: Vec<String>,
    /// Ids of the check groups whose items decide this medium's 脆弱性.
    #[serde(default)]
    pub groups: Vec<String>,
    /// The threats listed for this medium on 脅威の状況.
    #[serde(default)]
    pub threats: Vec<Threat>,
}
bilingual!(Medium, name_in, name, name_en);

impl Medium {
    /// Whether a cell text names this medium (name or variant, after [`normalize_key`]).
    pub fn matches(&self, text: &str) -> bool {
        let key = normalize_key(text);
        self.names().any(|n| normalize_key(n) == key)
    }
    /// The canonical name, the variants, then the English name (an English template says it).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(self.variants.iter().map(String::as_str))
            .chain(std::iter::once(self.name_en.as_str()).filter(|n| !n.is_empty()))
    }
}

/// One threat of a medium (project wording).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threat {
    /// Description (Japanese).
    pub text: String,
    /// Description (English).
    #[serde(default)]
    pub text_en: String,
}
bilingual!(Threat, text_in, text, text_en);

/// 対策状況チェック: the answer scale and the check groups.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// Possible answers (1:実施している … 4:自社には該当しない).
    #[serde(default)]
    pub answers: Vec<AnswerLevel>,
    /// Check groups keyed by id, in the order of their `number`.
    #[serde(default)]
    pub groups: IndexMap<String, CheckGroup>,
}

impl Checklist {
    /// The answer with this value.
    pub fn answer(&self, value: u8) -> Option<&AnswerLevel> {
        self.answers.iter().find(|a| a.value == value)
    }
    /// What an answer cell should hold, for error messages: 「1〜4の回答（1:実施している など）」.
    pub fn expected_answer(&self) -> crate::lang::Message {
        let min = self.answers.iter().map(|a| a.value).min().unwrap_or(1);
        let max = self.answers.iter().map(|a| a.value).max().unwrap_or(min);
        let example = self.answers.first().map(|a| a.label.as_str()).unwrap_or_default();
        crate::lang::Message::new(format!("{min}〜{max}の回答（「{example}」など）"), format!("an answer {min}–{max} (such as 「{example}」)"))
    }
    /// Total number of check items.
    pub fn item_count(&self) -> usize {
        self.groups.values().map(|g| g.items.len()).sum()
    }
}

/// One answer of the checklist and its share in the implementation rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerLevel {
    /// The number (1–4).
    pub value: u8,
    /// Cell text (「1:実施している」).
    pub label: String,
    /// English cell text.
    #[serde(default)]
    pub label_en: String,
    /// Share counted in the rate (1, 0.5, 0); none for 「該当しない」, which is left out.
    #[serde(default)]
    pub weight: Option<f64>,
    /// Other ways users write this answer (「実施している」, 「○」, 「一部」, 「該当しない」, 「-」),
    /// matched as the whole cell after [`normalize_key`].
    #[serde(default)]
    pub words: Vec<String>,
}
bilingual!(AnswerLevel, label_in, label, label_en);

/// A group of check items, e.g. (6) 物理的対策.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckGroup {
    /// Number in this edition; only a tie-breaker when matching a user's sheet.
    pub number: u32,
    /// Name written by `new` (「物理的対策」).
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: String,
    /// Other names recognised when reading (「物理的セキュリティ対策」).
    #[serde(default)]
    pub variants: Vec<String>,
    /// The check items.
    #[serde(default)]
    pub items: Vec<CheckItem>,
}
bilingual!(CheckGroup, name_in, name, name_en);

impl CheckGroup {
    /// The name followed by the variants.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str())
            .chain(self.variants.iter().map(String::as_str))
            .chain(std::iter::once(self.name_en.as_str()).filter(|n| !n.is_empty()))
    }
}

/// One check item (project wording).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckItem {
    /// The question (Japanese).
    pub text: String,
    /// The question (English).
    #[serde(default)]
    pub text_en: String,
}
bilingual!(CheckItem, text_in, text, text_en);

/// 策定の必要性 of a chapter: ◎ or ○.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// ◎: every company needs the chapter.
    Essential,
    /// ○: needed when the ledger or the answers show it applies.
    Conditional,
}

/// When a chapter applies, besides its group not being all 「該当しない」.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Every company.
    Always,
    /// Some asset of the ledger has マイナンバー 「有」.
    LedgerHasMynumber,
    /// The company develops systems itself.
    InHouseDevelopment,
    /// The company outsources work.
    Outsourcing,
    /// The company has 2 or more employees.
    #[serde(rename = "employees_2_or_more")]
    EmployeesTwoOrMore,
    /// Secrets are exchanged with contractors.
    SecretsWithContractors,
    /// People work remotely.
    Telework,
}

/// A chapter of the policy samples, one row of 診断結果.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    /// Number in this edition (matching goes by name).
    pub number: u32,
    /// Title (「組織的対策」).
    pub title: String,
    /// English title.
    #[serde(default)]
    pub title_en: String,
    /// Other titles recognised when reading; the group's names are recognised too.
    #[serde(default)]
    pub variants: Vec<String>,
    /// ◎ or ○.
    pub need: Need,
    /// Id of the check group whose rate the row shows; none for chapters without items.
    #[serde(default)]
    pub group: Option<String>,
    /// When the chapter applies.
    pub condition: Condition,
}
bilingual!(Chapter, title_in, title, title_en);

/// Texts of the 診断結果 decision column and need marks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultTexts {
    /// Decision for a selected chapter (「ポリシーで対策を規定して下さい」).
    pub select: String,
    /// English decision for a selected chapter.
    #[serde(default)]
    pub select_en: String,
    /// Decision for a chapter that does not apply (「該当なし」).
    pub not_applicable: String,
    /// English decision for a chapter that does not apply.
    #[serde(default)]
    pub not_applicable_en: String,
    /// Mark of [`Need::Essential`] (◎).
    pub essential_mark: String,
    /// Mark of [`Need::Conditional`] (○).
    pub conditional_mark: String,
}
bilingual!(ResultTexts, select_in, select, select_en);
bilingual!(ResultTexts, not_applicable_in, not_applicable, not_applicable_en);

impl ResultTexts {
    /// The mark of a need (◎ / ○).
    pub fn mark(&self, need: Need) -> &str {
        match need {
            Need::Essential => &self.essential_mark,
            Need::Conditional => &self.conditional_mark,
        }
    }
}

impl Profile {
    /// The medium with this id.
    pub fn medium(&self, id: &str) -> Option<&Medium> {
        match self.media_index.keys(&self.media) {
            Some(k) => k.ids.get(id).map(|&i| &self.media[i]).filter(|m| m.id == id),
            None => self.media.iter().find(|m| m.id == id),
        }
    }

    /// The medium a cell text names (「社内サーバ」 → 社内サーバー), ignoring width and spaces.
    ///
    /// ```
    /// use risksheet::profile::Profile;
    /// let p = Profile::builtin("ipa-3")?;
    /// assert_eq!(p.find_medium(" 社内サーバ ").map(|m| m.name.as_str()), Some("社内サーバー"));
    /// assert!(p.find_medium("金庫").is_none());
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn find_medium(&self, text: &str) -> Option<&Medium> {
        match self.media_index.keys(&self.media) {
            Some(k) => k.names.get(&normalize_key(text)).map(|&i| &self.media[i]).filter(|m| m.matches(text)),
            None => self.media.iter().find(|m| m.matches(text)),
        }
    }

    /// The check group with this id.
    pub fn group(&self, id: &str) -> Option<&CheckGroup> {
        self.checklist.groups.get(id)
    }

    /// The check group a label of a user's sheet names, such as 「(6) 物理的セキュリティ対策」:
    /// matched by name or variant; the number only breaks a tie between several matches.
    /// Returns the group's id and the group.
    ///
    /// ```
    /// use risksheet::profile::Profile;
    /// let p = Profile::builtin("ipa-2.1")?;
    /// assert_eq!(p.find_group("（10）外部委託管理").map(|(id, _)| id), Some("outsourcing"));
    /// assert_eq!(p.find_group("(5) アクセス制御と認証").map(|(_, g)| g.number), Some(5));
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn find_group(&self, label: &str) -> Option<(&str, &CheckGroup)> {
        let candidates = self.checklist.groups.iter().map(|(id, g)| ((id.as_str(), g), g.number, g.names().collect()));
        pick_by_name(candidates, label)
    }

    /// The chapter a 診断結果 row names, by its title, a variant, or its group's names; the
    /// number only breaks a tie.
    ///
    /// ```
    /// use risksheet::profile::Profile;
    /// let p = Profile::builtin("ipa-3")?;
    /// assert_eq!(p.find_chapter("(1) 組織的セキュリティ対策").map(|c| c.number), Some(1));
    /// assert_eq!(p.find_chapter("マイナンバー対応").map(|c| c.number), Some(11));
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn find_chapter(&self, label: &str) -> Option<&Chapter> {
        let candidates = self.chapters.iter().map(|c| {
            let own = std::iter::once(c.title.as_str())
                .chain(c.variants.iter().map(String::as_str))
                .chain(std::iter::once(c.title_en.as_str()).filter(|t| !t.is_empty()));
            let group = c.group.as_deref().and_then(|id| self.group(id)).into_iter().flat_map(CheckGroup::names);
            (c, c.number, own.chain(group).collect())
        });
        pick_by_name(candidates, label)
    }

    /// The 重要度 scale: the C/I/A scale (importance is their maximum).
    pub fn importance_scale(&self) -> Scale {
        self.cia
    }

    /// Every リスク値 the rules can produce: importance levels times likelihood levels, ascending.
    ///
    /// ```
    /// use risksheet::profile::Profile;
    /// assert_eq!(Profile::builtin("ipa-3")?.possible_risk_values(), [1, 2, 3, 4, 6, 9]);
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn possible_risk_values(&self) -> Vec<u32> {
        let likelihoods = self.likelihood.scale();
        let mut values: Vec<u32> = self.importance_scale().values().flat_map(|i| likelihoods.values().map(move |l| u32::from(i) * u32::from(l))).collect();
        values.sort_unstable();
        values.dedup();
        values
    }

    /// The level 重要度 is raised to for personal information, when the profile does so.
    pub fn personal_info_level(&self) -> Option<u8> {
        let rule = &self.importance;
        rule.personal_info_override.then(|| rule.personal_info_level.unwrap_or(self.cia.max))
    }
}

/// The item among `candidates` (item, number, names) whose names match `label` after its
/// number prefix is removed; with several matches, the one whose number equals the label's.
fn pick_by_name<'a, T>(candidates: impl Iterator<Item = (T, u32, Vec<&'a str>)>, label: &str) -> Option<T> {
    let (number, rest) = split_number_prefix(label);
    let key = normalize_key(rest);
    let bare = strip_trailing_note(&key).to_string();
    let mut matches: Vec<(T, u32)> = candidates
        .filter(|(_, _, names)| {
            names.iter().any(|n| {
                let n = normalize_key(n);
                n == key || n == bare
            })
        })
        .map(|(item, n, _)| (item, n))
        .collect();
    if matches.len() > 1 {
        matches.retain(|(_, n)| Some(*n) == number);
    }
    if matches.len() == 1 {
        matches.pop().map(|(item, _)| item)
    } else {
        None
    }
}

#[cfg(test)]
mod tests;
