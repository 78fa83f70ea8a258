//! A risk register's rules (LV.3 リスクアセスメント結果報告書, the ISMS seminar's risk list): a
//! risk's level is its asset's importance times each factor entered for it, the level gives its
//! priority, and a level above the acceptance level (受容基準) needs a treatment, which, unless it
//! retains the risk, needs a row of the treatment plan.
//!
//! ```
//! use risksheet::domain::register::{assess, Treatment};
//! use risksheet::profile::Profile;
//! let lv3 = Profile::builtin("lv3")?;
//! let rule = lv3.register.as_ref().unwrap();
//! // 資産目録 No 9 of seed 001: 重要度 3, 被害発生可能性 2 → リスクレベル 6, 優先順位 2.
//! let a = assess(3, &[2], rule)?;
//! assert_eq!((a.level, a.priority.label.as_str(), a.needs_treatment), (6, "2", true));
//! // The seminar: 資産価値 2 + 2 + 2 = 6, 影響度 3, 発生頻度 1 → 18.
//! let seminar = Profile::builtin("isms-seminar")?;
//! assert_eq!(assess(6, &[3, 1], seminar.register.as_ref().unwrap())?.level, 18);
//! assert_eq!(Treatment::check(a.needs_treatment, &[], false), Some(Treatment::Missing));
//! # Ok::<(), risksheet::Error>(())
//! ```
use crate::error::{Error, ErrorKind, Result};
use crate::lang::Message;
use crate::profile::{Choice, RegisterRule, RiskBand};

/// A risk's level, its priority band and whether it must be treated.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment<'p> {
    /// リスクレベル (リスク値) = importance × each factor.
    pub level: u32,
    /// 優先順位: the band of the level.
    pub priority: &'p RiskBand,
    /// Above the acceptance level (受容基準).
    pub needs_treatment: bool,
}

/// The level, priority and need of treatment of a risk whose importance and factors are known.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] when a factor is off its scale (or there are not as many as the
/// rule has), or no priority band holds the level.
pub fn assess<'p>(importance: u32, factors: &[u8], rule: &'p RegisterRule) -> Result<Assessment<'p>> {
    if factors.len() != rule.factors.len() {
        let expected = Message::new(format!("{}個の要素", rule.factors.len()), format!("{} factors", rule.factors.len()));
        return Err(Error::new(ErrorKind::InvalidValue { expected, found: factors.len().to_string() }));
    }
    for (&v, f) in factors.iter().zip(&rule.factors) {
        crate::domain::risk::check_on_scale(v, f.scale())?;
    }
    let level = factors.iter().fold(importance, |l, &v| l * u32::from(v));
    let priority = rule.priority(level).ok_or_else(|| {
        let expected = Message::new("優先順位の帯にあるリスクレベル", "a risk level within the priority bands");
        Error::new(ErrorKind::InvalidValue { expected, found: level.to_string() })
    })?;
    Ok(Assessment { level, priority, needs_treatment: level > rule.acceptance })
}

/// What is missing in a risk's treatment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    /// Above the acceptance level and no option chosen.
    Missing,
    /// An option that changes the risk (低減, 回避, 移転) and no plan row for it.
    Unplanned,
}

impl Treatment {
    /// What a risk lacks, from whether it needs treatment, the options chosen and whether a plan
    /// row serves it; `None` when nothing is missing.
    ///
    /// ```
    /// use risksheet::domain::register::Treatment;
    /// let p = risksheet::profile::Profile::builtin("lv3")?;
    /// let t = &p.register.as_ref().unwrap().treatments;
    /// let (retain, reduce) = (&t[0], &t[1]);
    /// assert_eq!(Treatment::check(true, &[reduce], false), Some(Treatment::Unplanned));
    /// assert_eq!(Treatment::check(true, &[retain], false), None);
    /// assert_eq!(Treatment::check(false, &[], false), None);
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn check(needs_treatment: bool, chosen: &[&Choice], planned: bool) -> Option<Treatment> {
        if chosen.is_empty() {
            return needs_treatment.then_some(Treatment::Missing);
        }
        (chosen.iter().any(|c| !c.retain) && !planned).then_some(Treatment::Unplanned)
    }
}

/// The word of a vocabulary a cell holds (保有, 済み, 着手 …), in either language or a variant.
///
/// ```
/// let p = risksheet::profile::Profile::builtin("lv3")?;
/// let statuses = &p.register.as_ref().unwrap().statuses;
/// assert_eq!(risksheet::domain::register::choice(statuses, " 着手 ").map(|c| c.label.as_str()), Some("着手"));
/// assert!(risksheet::domain::register::choice(statuses, "たぶん").is_none());
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn choice<'p>(words: &'p [Choice], cell: &str) -> Option<&'p Choice> {
    words.iter().find(|c| c.matches(cell))
}

/// Whether a cell of a treatment option's column marks the option as chosen: ●, ○, ✓, 1 or the
/// option's own word; a blank, ×, －, 0 do not.
///
/// ```
/// use risksheet::domain::register::is_marked;
/// assert!(is_marked("●") && is_marked("〇") && is_marked("✔") && is_marked("1"));
/// assert!(!is_marked("") && !is_marked("×") && !is_marked("-") && !is_marked("0"));
/// ```
pub fn is_marked(cell: &str) -> bool {
    let t = crate::text::normalize_key(cell);
    !t.is_empty() && !matches!(t.as_str(), "×" | "x" | "-" | "－" | "ー" | "0" | "なし" | "無" | "no" | "false" | "✕" | "―" | "—")
}
