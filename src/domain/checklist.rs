//! 対策状況チェック: answers, the implementation rate of a group, and a medium's 脆弱性.
//!
//! The **implementation rate** of a group is (count of 1 + 0.5 × count of 2) / (items − count of
//! 4): each answer counts with its profile `weight`, and answers without a weight (4:自社には
//! 該当しない) leave the item out. A group whose items are all 4 is *not applicable*.
//!
//! **[our rule] Unanswered items** (blank cells) are not counted at all, neither as done nor as
//! not done: the rate is over the answered items, and [`unanswered_items`] lists the blanks so the
//! caller can report them. Counting them as 「3:実施していない」 would silently lower the rate of a
//! half-filled sheet; leaving them out keeps the rate honest about what was answered.
//!
//! **[our rule] 脆弱性 of a medium**: the rate over the items of the groups mapped to the medium
//! (the profile's `media.groups`), 100 % → lowest level (1), 0 % → highest (3), otherwise the
//! middle (2). A medium with no rated item has no vulnerability (`None`).
//!
//! ```
//! use risksheet::domain::checklist::{implementation_rate, CheckAnswer, Rate};
//! use risksheet::profile::Profile;
//! let p = Profile::builtin("ipa-2.1")?;
//! let answers = [1, 1, 2, 3].map(|v| Some(CheckAnswer(v)));
//! assert_eq!(implementation_rate(&answers, &p)?, Rate::Rated(0.625));
//! # Ok::<(), risksheet::Error>(())
//! ```
use super::risk::Vulnerability;
use crate::error::{Error, ErrorKind, Result};
use crate::profile::{Medium, Profile};
use indexmap::IndexMap;
use serde::Serialize;

/// An answer of 対策状況チェック, by its number (1:実施している … 4:自社には該当しない).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct CheckAnswer(pub u8);

/// Answers per check group id, one entry per item in sheet order (`None` = blank).
pub type GroupAnswers = IndexMap<String, Vec<Option<CheckAnswer>>>;

/// The implementation rate of a set of items.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status", content = "rate")]
pub enum Rate {
    /// Share of the applicable answered items that are implemented, 0.0–1.0.
    Rated(f64),
    /// Every item is answered 「該当しない」.
    NotApplicable,
    /// No applicable item is answered (blanks, possibly with some 「該当しない」).
    Unanswered,
}

impl Rate {
    /// The rate as a fraction, when rated.
    pub fn value(self) -> Option<f64> {
        match self {
            Rate::Rated(r) => Some(r),
            _ => None,
        }
    }
    /// The rate in percent (62.5), when rated.
    pub fn percent(self) -> Option<f64> {
        self.value().map(|r| r * 100.0)
    }
}

/// The counts behind a rate.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Tally {
    /// Sum of the weights of the applicable answers (1 + 0.5 + 0 …).
    pub score: f64,
    /// Answered items that count (answers with a weight).
    pub applicable: usize,
    /// Items answered 「該当しない」.
    pub not_applicable: usize,
    /// Blank items.
    pub unanswered: usize,
}

impl Tally {
    /// The rate these counts give.
    pub fn rate(&self) -> Rate {
        if self.applicable > 0 {
            Rate::Rated(self.score / self.applicable as f64)
        } else if self.not_applicable > 0 && self.unanswered == 0 {
            Rate::NotApplicable
        } else {
            Rate::Unanswered
        }
    }

    /// Adds another tally's counts to this one.
    pub fn add(&mut self, other: Tally) {
        self.score += other.score;
        self.applicable += other.applicable;
        self.not_applicable += other.not_applicable;
        self.unanswered += other.unanswered;
    }
}

/// Counts answers with the weights of the profile's answer scale. An answer the scale lacks is an
/// [`ErrorKind::InvalidValue`] error.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] when an answer is not on the profile's answer scale.
pub fn tally(answers: &[Option<CheckAnswer>], profile: &Profile) -> Result<Tally> {
    let mut t = Tally::default();
    for answer in answers {
        let Some(CheckAnswer(value)) = answer else {
            t.unanswered += 1;
            continue;
        };
        let level = profile
            .checklist
            .answer(*value)
            .ok_or_else(|| Error::new(ErrorKind::InvalidValue { expected: profile.checklist.expected_answer(), found: value.to_string() }))?;
        match level.weight {
            Some(w) => {
                t.score += w;
                t.applicable += 1;
            }
            None => t.not_applicable += 1,
        }
    }
    Ok(t)
}

/// The implementation rate of one group's answers.
///
/// # Errors
///
/// As [`tally`].
///
/// ```
/// use risksheet::domain::checklist::{implementation_rate, CheckAnswer, Rate};
/// use risksheet::profile::Profile;
/// let p = Profile::builtin("ipa-2.1")?;
/// let all_na = [Some(CheckAnswer(4)), Some(CheckAnswer(4)), Some(CheckAnswer(4))];
/// assert_eq!(implementation_rate(&all_na, &p)?, Rate::NotApplicable);
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn implementation_rate(answers: &[Option<CheckAnswer>], profile: &Profile) -> Result<Rate> {
    Ok(tally(answers, profile)?.rate())
}

/// Zero-based positions of the blank answers, to report them.
pub fn unanswered_items(answers: &[Option<CheckAnswer>]) -> Vec<usize> {
    answers.iter().enumerate().filter(|(_, a)| a.is_none()).map(|(i, _)| i).collect()
}

/// The tally of one group: its answers in `answers`, or all its items blank when the group is
/// missing there.
///
/// # Errors
///
/// As [`tally`].
pub fn group_tally(group_id: &str, answers: &GroupAnswers, profile: &Profile) -> Result<Tally> {
    match answers.get(group_id) {
        Some(list) => tally(list, profile),
        None => {
            let items = profile.group(group_id).map_or(0, |g| g.items.len());
            Ok(Tally { unanswered: items, ..Tally::default() })
        }
    }
}

/// 脆弱性 from a rate **[our rule]**: 100 % → the scale's lowest level, 0 % → its highest, any
/// other rate → the middle; no vulnerability when the rate is not rated.
///
/// ```
/// use risksheet::domain::checklist::{vulnerability_from_rate, Rate};
/// use risksheet::profile::Profile;
/// let p = Profile::builtin("ipa-3")?;
/// let v = |r| vulnerability_from_rate(r, &p).map(|v| v.0);
/// assert_eq!((v(Rate::Rated(1.0)), v(Rate::Rated(0.5)), v(Rate::Rated(0.0))), (Some(1), Some(2), Some(3)));
/// assert_eq!(v(Rate::NotApplicable), None);
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn vulnerability_from_rate(rate: Rate, profile: &Profile) -> Option<Vulnerability> {
    const EPSILON: f64 = 1e-9;
    let scale = profile.vulnerability.scale();
    let r = rate.value()?;
    let level = if r >= 1.0 - EPSILON {
        scale.min
    } else if r <= EPSILON {
        scale.max
    } else {
        scale.min + (scale.max - scale.min) / 2
    };
    Some(Vulnerability(level))
}

/// The pooled tally over the items of every group mapped to a medium.
///
/// # Errors
///
/// As [`tally`], for any group of the medium.
pub fn medium_tally(medium: &Medium, answers: &GroupAnswers, profile: &Profile) -> Result<Tally> {
    let mut pooled = Tally::default();
    for group in &medium.groups {
        pooled.add(group_tally(group, answers, profile)?);
    }
    Ok(pooled)
}

/// 脆弱性 of a medium: [`vulnerability_from_rate`] of its [`medium_tally`].
///
/// # Errors
///
/// As [`tally`], for any group of the medium.
///
/// ```
/// use risksheet::domain::checklist::{medium_vulnerability, CheckAnswer, GroupAnswers};
/// use risksheet::profile::Profile;
/// let p = Profile::builtin("ipa-2.1")?;
/// let cloud = p.medium("cloud").expect("preset medium");
/// let mut answers = GroupAnswers::new();
/// for id in &cloud.groups {
///     let items = p.group(id).map_or(0, |g| g.items.len());
///     answers.insert(id.clone(), vec![Some(CheckAnswer(1)); items]);
/// }
/// assert_eq!(medium_vulnerability(cloud, &answers, &p)?.map(|v| v.0), Some(1));
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn medium_vulnerability(medium: &Medium, answers: &GroupAnswers, profile: &Profile) -> Result<Option<Vulnerability>> {
    Ok(vulnerability_from_rate(medium_tally(medium, answers, profile)?.rate(), profile))
}

#[cfg(test)]
#[path = "tests/checklist.rs"]
mod tests;
