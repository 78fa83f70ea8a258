//! The 25-item self check's rules (domain §6): an item's points from its answers (several
//! answer columns made one by the profile's `aggregate` rule), the subtotal of each part, the
//! total out of 100, its band, and the items answered 分からない.
//!
//! ```
//! use risksheet::domain::self_check::score;
//! use risksheet::profile::Profile;
//! let p = Profile::builtin("ipa-3")?;
//! let rule = p.self_check.as_ref().unwrap();
//! let done = rule.answer("実施している");
//! // Every item 実施している: 100, 入門レベル達成.
//! let all: Vec<(u32, Vec<_>)> = (1..=25).map(|n| (n, vec![done])).collect();
//! let s = score(rule, &all);
//! assert_eq!((s.total, s.band.map(|b| b.label.as_str())), (100.0, Some("入門レベル達成")));
//! assert_eq!(s.parts.iter().map(|p| p.subtotal).collect::<Vec<_>>(), [20.0, 52.0, 28.0]);
//! # Ok::<(), risksheet::Error>(())
//! ```
use crate::profile::{Aggregate, ScoreBand, SelfCheckAnswer, SelfCheckRule};

/// The points of one item from the answers of its columns (blank columns left out): `None`
/// when no column is answered.
///
/// ```
/// use risksheet::domain::self_check::item_points;
/// use risksheet::profile::{Aggregate, Profile};
/// let p = Profile::builtin("ipa-3")?;
/// let r = p.self_check.as_ref().unwrap();
/// let (yes, partly, unknown) = (r.answer("実施している"), r.answer("一部"), r.answer("分からない"));
/// assert_eq!(item_points(Aggregate::Min, &[yes, partly, None]), Some(2.0));
/// assert_eq!(item_points(Aggregate::Mean, &[yes, partly, None]), Some(3.0));
/// assert_eq!(item_points(Aggregate::Min, &[yes, unknown]), Some(-1.0));
/// assert_eq!(item_points(Aggregate::Mean, &[None, None]), None);
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn item_points(rule: Aggregate, answers: &[Option<&SelfCheckAnswer>]) -> Option<f64> {
    let points: Vec<f64> = answers.iter().flatten().map(|a| f64::from(a.points)).collect();
    if points.is_empty() {
        return None;
    }
    Some(match rule {
        Aggregate::Min => points.iter().copied().fold(f64::INFINITY, f64::min),
        Aggregate::Mean => points.iter().sum::<f64>() / points.len() as f64,
    })
}

/// One part's subtotal.
#[derive(Debug, Clone, PartialEq)]
pub struct PartScore {
    /// The part's number.
    pub number: u32,
    /// The sum of its items' points (an unanswered item counts 0).
    pub subtotal: f64,
    /// The most it can have (4 × its items).
    pub max: f64,
}

/// The result of a self check.
#[derive(Debug, Clone, PartialEq)]
pub struct Score<'p> {
    /// Each item's points (`None`: unanswered), by item number.
    pub items: Vec<(u32, Option<f64>)>,
    /// Subtotals per part, in the profile's order.
    pub parts: Vec<PartScore>,
    /// The total (an unanswered item counts 0).
    pub total: f64,
    /// The band of the total.
    pub band: Option<&'p ScoreBand>,
    /// Items answered 分からない in some column, by number.
    pub unknown: Vec<u32>,
    /// Items with no answer in any column.
    pub unanswered: Vec<u32>,
}

/// Scores the self check from each item's answers (one per answer column, `None` for a blank
/// or unreadable cell), keyed by item number; items of the profile that are missing count as
/// unanswered.
pub fn score<'p>(rule: &'p SelfCheckRule, answers: &[(u32, Vec<Option<&SelfCheckAnswer>>)]) -> Score<'p> {
    let mut items = Vec::new();
    let mut unknown = Vec::new();
    let mut unanswered = Vec::new();
    for item in &rule.items {
        let given: &[Option<&SelfCheckAnswer>] = answers.iter().find(|(n, _)| *n == item.number).map_or(&[], |(_, a)| a.as_slice());
        let points = item_points(rule.aggregate, given);
        if given.iter().flatten().any(|a| a.unknown) {
            unknown.push(item.number);
        }
        if points.is_none() {
            unanswered.push(item.number);
        }
        items.push((item.number, points));
    }
    let best = f64::from(rule.answers.iter().map(|a| a.points).max().unwrap_or(0));
    let parts: Vec<PartScore> = rule
        .parts
        .iter()
        .map(|part| {
            let of_part = rule.items.iter().zip(&items).filter(|(i, _)| i.part == part.number);
            let (subtotal, n) = of_part.fold((0.0, 0usize), |(s, n), (_, (_, p))| (s + p.unwrap_or(0.0), n + 1));
            PartScore { number: part.number, subtotal, max: best * n as f64 }
        })
        .collect();
    let total = parts.iter().map(|p| p.subtotal).sum();
    Score { items, parts, total, band: rule.band(total), unknown, unanswered }
}
