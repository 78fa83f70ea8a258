//! `[register]`: how a risk register scores and treats its risks — the LV.3
//! リスクアセスメント結果報告書 and リスク対応計画 of seed 001, the risk list of the ISMS seminar
//! (seed 000) — and `[headers.inventory]`, `[headers.register]`, `[headers.plan]`, the header
//! texts that find their tables.
//!
//! A risk's level is its asset's importance (from the asset inventory, 資産目録) times each
//! factor entered for the risk: LV.3 has one factor, 被害発生可能性; the seminar two, 業務への
//! 影響度 and 発生頻度. The importance is the maximum of C, I, A (LV.3) or their sum (the
//! seminar's 資産価値).
//!
//! ```
//! use risksheet::profile::{Combine, Profile};
//! let lv3 = Profile::builtin("lv3")?;
//! let r = lv3.register.as_ref().unwrap();
//! assert_eq!(r.importance, Combine::Max);
//! assert_eq!(r.factors.len(), 1);
//! assert_eq!(r.acceptance, 3);
//! let seminar = Profile::builtin("isms-seminar")?;
//! let s = seminar.register.as_ref().unwrap();
//! assert_eq!(s.importance, Combine::Sum);
//! assert_eq!(s.factors.iter().map(|f| f.header.text.as_str()).collect::<Vec<_>>(), ["業務への影響度", "発生頻度"]);
//! # Ok::<(), risksheet::Error>(())
//! ```
use super::*;

/// How the C, I, A values of an asset make its importance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Combine {
    /// The highest of the three (重要度, LV.3 and IPA).
    Max,
    /// Their sum (資産価値, the ISMS seminar).
    Sum,
}

impl Combine {
    /// The importance of `c`, `i`, `a`.
    ///
    /// ```
    /// use risksheet::profile::Combine;
    /// assert_eq!(Combine::Max.apply(3, 3, 2), 3);
    /// assert_eq!(Combine::Sum.apply(2, 2, 2), 6);
    /// ```
    pub fn apply(self, c: u8, i: u8, a: u8) -> u32 {
        match self {
            Combine::Max => u32::from(c.max(i).max(a)),
            Combine::Sum => u32::from(c) + u32::from(i) + u32::from(a),
        }
    }
}

/// A factor entered per risk and multiplied into its level (被害発生可能性; 影響度, 発生頻度).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    /// Key used in `inspect --json` and `--map register.KEY=COL` (`likelihood`, `impact`).
    pub key: String,
    /// The column's header.
    pub header: Header,
    /// Lowest value.
    pub min: u8,
    /// Highest value.
    pub max: u8,
}

impl Factor {
    /// The factor's range.
    pub fn scale(&self) -> Scale {
        Scale { min: self.min, max: self.max }
    }
}

/// A word of a register's vocabulary: a treatment option (保有, 低減 …), a response (済み …) or
/// a plan status (終了 …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// The word written in cells (Japanese).
    pub label: String,
    /// English.
    #[serde(default)]
    pub label_en: String,
    /// Other words read as this one (「受容」 for 保有).
    #[serde(default)]
    pub variants: Vec<String>,
    /// A response or status that means the work is finished (済み, 終了).
    #[serde(default)]
    pub done: bool,
    /// A response or status that means the work has begun (着手).
    #[serde(default)]
    pub started: bool,
    /// A treatment that keeps the risk as it is (保有, 受容): it needs no plan row.
    #[serde(default)]
    pub retain: bool,
}
bilingual!(Choice, label_in, label, label_en);

impl Choice {
    /// Whether a cell's text is this word (after [`normalize_key`]), in either language.
    ///
    /// ```
    /// let p = risksheet::profile::Profile::builtin("lv3")?;
    /// let retain = &p.register.as_ref().unwrap().treatments[0];
    /// assert!(retain.matches("保有") && retain.matches("受容") && retain.matches("Retain"));
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn matches(&self, cell: &str) -> bool {
        let key = normalize_key(cell);
        !key.is_empty()
            && std::iter::once(&self.label).chain(std::iter::once(&self.label_en)).chain(&self.variants).any(|w| !w.is_empty() && normalize_key(w) == key)
    }
}

/// The rules of a risk register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterRule {
    /// How the importance (重要度, 資産価値) is made from C, I, A.
    pub importance: Combine,
    /// Factors entered per risk, multiplied with the importance, in column order.
    pub factors: Vec<Factor>,
    /// 受容基準: a level at or below it is accepted; above it a risk needs a treatment.
    pub acceptance: u32,
    /// 優先順位 by level, highest first; together they cover every possible level once (the same
    /// form as `[risk] bands`).
    pub priorities: Vec<RiskBand>,
    /// Treatment options, one column each in the register (●).
    pub treatments: Vec<Choice>,
    /// 対応 of a risk (済み / 予定 / 未定).
    pub responses: Vec<Choice>,
    /// ステータス of a plan row (終了 / 着手 / 未着手).
    pub statuses: Vec<Choice>,
}

impl RegisterRule {
    /// The importance scale's lowest and highest values for C/I/A on `cia`.
    pub fn importance_range(&self, cia: Scale) -> (u32, u32) {
        (self.importance.apply(cia.min, cia.min, cia.min), self.importance.apply(cia.max, cia.max, cia.max))
    }

    /// Every level a risk can have: an importance on its range times one value of each factor.
    ///
    /// ```
    /// let p = risksheet::profile::Profile::builtin("lv3")?;
    /// assert_eq!(p.register.as_ref().unwrap().possible_levels(p.cia), [1, 2, 3, 4, 6, 9]);
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn possible_levels(&self, cia: Scale) -> Vec<u32> {
        let (lo, hi) = self.importance_range(cia);
        let mut levels: Vec<u32> = (lo..=hi).collect();
        for f in &self.factors {
            levels = levels.iter().flat_map(|&l| f.scale().values().map(move |v| l * u32::from(v))).collect();
        }
        levels.sort_unstable();
        levels.dedup();
        levels
    }

    /// The priority band of a level.
    pub fn priority(&self, level: u32) -> Option<&RiskBand> {
        self.priorities.iter().find(|b| b.contains(level))
    }

    /// The factor of a key.
    pub fn factor(&self, key: &str) -> Option<&Factor> {
        self.factors.iter().find(|f| f.key == key)
    }
}

/// Columns of the asset inventory (資産目録): the assets a register's risks point to by number.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InventoryHeaders {
    /// No.
    pub no: Header,
    /// 情報資産名称.
    pub asset: Header,
    /// 機密性.
    pub confidentiality: Header,
    /// 完全性.
    pub integrity: Header,
    /// 可用性.
    pub availability: Header,
    /// 重要度 (資産価値), computed.
    pub importance: Header,
}

/// Columns of the risk register (リスクアセスメント結果報告書). The factor columns are named by
/// `[register] factors`; the second evaluation repeats 重要度, the factors and the level under
/// the group header `residual_group` (二次評価).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RegisterHeaders {
    /// The group header over the first evaluation (一次評価).
    pub first_group: Header,
    /// The group header over the second evaluation (二次評価).
    pub residual_group: Header,
    /// The group header over the treatment options (リスク対応).
    pub treatment_group: Header,
    /// No.
    pub no: Header,
    /// 資産目録のNo.
    pub asset_no: Header,
    /// 資産名 (when the register names its asset instead of, or beside, its number).
    pub asset: Header,
    /// リスク源.
    pub source: Header,
    /// 影響領域.
    pub area: Header,
    /// 事象.
    pub event: Header,
    /// 原因.
    pub cause: Header,
    /// 起こり得る結果.
    pub consequence: Header,
    /// 重要度 (資産価値).
    pub importance: Header,
    /// リスクレベル (リスク値).
    pub level: Header,
    /// 優先順位.
    pub priority: Header,
    /// 管理策.
    pub controls: Header,
    /// 附属書A: the ISO/IEC 27001:2022 Annex A controls a risk's treatment uses (`5.12 …`), when
    /// apart from the 管理策 text.
    pub annex: Header,
    /// 対応 (済み / 予定 / 未定).
    pub response: Header,
    /// The label of the box the preparer signs or stamps (作成), top right of a new register.
    pub prepared: Header,
    /// The label of the box the approver signs or stamps (承認).
    pub approved: Header,
}

/// Columns of the treatment plan (リスク対応計画).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PlanHeaders {
    /// No.
    pub no: Header,
    /// The register's risk No. the row serves (リスクNo), when the plan has such a column.
    pub risk_no: Header,
    /// 管理策.
    pub control: Header,
    /// タスク.
    pub task: Header,
    /// 担当.
    pub owner: Header,
    /// The group header over the planned dates (予定).
    pub planned_group: Header,
    /// The group header over the actual dates (実績).
    pub actual_group: Header,
    /// 予定 開始.
    pub planned_start: Header,
    /// 予定 終了.
    pub planned_end: Header,
    /// 実績 開始.
    pub actual_start: Header,
    /// 実績 終了.
    pub actual_end: Header,
    /// ステータス.
    pub status: Header,
}
