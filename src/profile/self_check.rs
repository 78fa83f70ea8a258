//! `[self_check]`: the 25-item self check 「5分でできる！情報セキュリティ自社診断」 (domain §6,
//! seed 001): its items in three parts, the answers with their points, the bands of the total,
//! the policy chapter each item points to, and how the answers of several sites or departments
//! make one; and `[headers.self_check]`, the header texts that find a self-check sheet.
//!
//! ```
//! use risksheet::profile::{Aggregate, Profile};
//! let p = Profile::builtin("ipa-3")?;
//! let s = p.self_check.as_ref().unwrap();
//! assert_eq!((s.items.len(), s.parts.len()), (25, 3));
//! assert_eq!(s.answers.iter().map(|a| a.points).collect::<Vec<_>>(), [4, 2, 0, -1]);
//! assert_eq!(s.max_total(), 100);
//! assert_eq!(s.aggregate, Aggregate::Min);
//! assert_eq!(s.band(100.0).unwrap().label, "入門レベル達成");
//! assert_eq!(s.band(69.0).unwrap().label, "不十分");
//! # Ok::<(), risksheet::Error>(())
//! ```
use super::*;

/// How the answers of several answer columns (one per site or department) make an item's
/// points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    /// The lowest points of the columns answered: the item is as done as its weakest site
    /// (a 分からない anywhere gives −1).
    Min,
    /// The mean of the points of the columns answered.
    Mean,
}

/// A part of the self check (1 基本的対策, 2 従業員としての対策, 3 組織としての対策).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfCheckPart {
    /// 1, 2, 3.
    pub number: u32,
    /// Name (Japanese).
    pub name: String,
    /// English name.
    #[serde(default)]
    pub name_en: String,
}
bilingual!(SelfCheckPart, name_in, name, name_en);

/// An answer of the self check and its points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfCheckAnswer {
    /// The word written in cells (実施している).
    pub label: String,
    /// English.
    #[serde(default)]
    pub label_en: String,
    /// Points (4, 2, 0, −1).
    pub points: i32,
    /// The answer that means nobody knows (分からない): its items are listed to find out.
    #[serde(default)]
    pub unknown: bool,
    /// Other ways users write it (「○」, 「一部」, 「不明」), matched as the whole cell after
    /// [`normalize_key`].
    #[serde(default)]
    pub words: Vec<String>,
}
bilingual!(SelfCheckAnswer, label_in, label, label_en);

impl SelfCheckAnswer {
    /// Whether a cell's text is this answer, in either language or one of its words.
    ///
    /// ```
    /// let p = risksheet::profile::Profile::builtin("ipa-3")?;
    /// let partly = &p.self_check.as_ref().unwrap().answers[1];
    /// assert!(partly.matches("一部実施している") && partly.matches(" 一部 ") && partly.matches("Partly"));
    /// assert!(!partly.matches("実施している"));
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn matches(&self, cell: &str) -> bool {
        let key = normalize_key(cell);
        !key.is_empty() && [&self.label, &self.label_en].into_iter().chain(&self.words).any(|w| !w.is_empty() && normalize_key(w) == key)
    }
}

/// A band of the total (100 入門レベル達成 …): a total at or above `min`, below the next band's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreBand {
    /// The lowest total in the band.
    pub min: i32,
    /// Cell text (Japanese).
    pub label: String,
    /// English.
    #[serde(default)]
    pub label_en: String,
    /// What to do (Japanese).
    #[serde(default)]
    pub advice: String,
    /// English advice.
    #[serde(default)]
    pub advice_en: String,
}
bilingual!(ScoreBand, label_in, label, label_en);
bilingual!(ScoreBand, advice_in, advice, advice_en);

/// One question of the self check (project wording).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfCheckItem {
    /// 1–25.
    pub number: u32,
    /// The part's number.
    pub part: u32,
    /// The question (Japanese).
    pub text: String,
    /// English.
    #[serde(default)]
    pub text_en: String,
    /// The title of the policy chapter of the risk analysis that covers it (as
    /// [`Profile::find_chapter`] reads it).
    pub chapter: String,
}
bilingual!(SelfCheckItem, text_in, text, text_en);

/// The rules of the self check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfCheckRule {
    /// How several answer columns make one item's points.
    pub aggregate: Aggregate,
    /// The parts, in order.
    pub parts: Vec<SelfCheckPart>,
    /// The answers, best first.
    pub answers: Vec<SelfCheckAnswer>,
    /// Bands of the total, highest first.
    pub bands: Vec<ScoreBand>,
    /// The items, by number.
    pub items: Vec<SelfCheckItem>,
}

impl SelfCheckRule {
    /// The answer a cell holds, if any.
    pub fn answer(&self, cell: &str) -> Option<&SelfCheckAnswer> {
        self.answers.iter().find(|a| a.matches(cell))
    }
    /// The item of a number.
    pub fn item(&self, number: u32) -> Option<&SelfCheckItem> {
        self.items.iter().find(|i| i.number == number)
    }
    /// The part of a number.
    pub fn part(&self, number: u32) -> Option<&SelfCheckPart> {
        self.parts.iter().find(|p| p.number == number)
    }
    /// The highest total: every item at the best answer's points (100).
    pub fn max_total(&self) -> i32 {
        self.items.len() as i32 * self.answers.iter().map(|a| a.points).max().unwrap_or(0)
    }
    /// The lowest total: every item at the worst answer's points (−25).
    pub fn min_total(&self) -> i32 {
        self.items.len() as i32 * self.answers.iter().map(|a| a.points).min().unwrap_or(0)
    }
    /// The band of a total: the highest whose `min` it reaches.
    pub fn band(&self, total: f64) -> Option<&ScoreBand> {
        self.bands.iter().filter(|b| total >= f64::from(b.min)).max_by_key(|b| b.min)
    }
}

/// Columns of a self-check sheet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SelfCheckHeaders {
    /// No.
    pub no: Header,
    /// The part (区分).
    pub part: Header,
    /// The question (診断内容).
    pub question: Header,
    /// The answer (回答); one column per site or department is read as several.
    pub answer: Header,
    /// 点数, computed.
    pub points: Header,
}
