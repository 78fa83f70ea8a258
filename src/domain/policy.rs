//! Policy selection (診断結果): which chapters of the policy samples the company must write, and
//! why.
//!
//! **[our rule]** A chapter is selected (「ポリシーで対策を規定して下さい」) unless its check group
//! is answered 「該当しない」 throughout or its condition is false; then it shows 「該当なし」. The
//! decision depends on applicability, not on the rate: a chapter at 100 % is still selected, as in
//! seed 002. A condition whose fact is unknown counts as met (the cautious choice), and the reason
//! says it is to be checked (要確認). The company facts come from `crate::ops::ipa::facts`. The reasons also list the group's rate and the assets in the high
//! risk band (リスク大) on the media the group protects.
//!
//! ```
//! use risksheet::domain::checklist::GroupAnswers;
//! use risksheet::domain::policy::{select_chapters, ChapterFacts};
//! use risksheet::profile::Profile;
//! let p = Profile::builtin("ipa-2.1")?;
//! let facts = ChapterFacts { in_house_development: Some(false), ..ChapterFacts::default() };
//! let decisions = select_chapters(&p, &GroupAnswers::new(), &facts, &[])?;
//! assert_eq!(decisions.len(), 13);
//! assert!(decisions[0].selected);          // 組織的対策 ◎
//! assert!(decisions[3].selected);          // マイナンバー対応: every employer
//! assert!(!decisions[8].selected);         // システム開発及び保守: no in-house development
//! assert_eq!(decisions[8].decision_text(&p, risksheet::Lang::Ja), "該当なし");
//! assert!(decisions[11].selected);         // 社内体制図: employees not known → 要確認, counted as met
//! # Ok::<(), risksheet::Error>(())
//! ```
use super::checklist::{group_tally, GroupAnswers, Rate};
use super::risk::{risk_band, RiskValue};
use crate::error::{Lang, Result};
use crate::profile::{Chapter, Condition, Need, Profile};
use serde::Serialize;

/// What is known about the company for the chapter conditions; `None` = not known.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ChapterFacts {
    /// Some asset of the ledger has マイナンバー 「有」.
    pub ledger_has_mynumber: Option<bool>,
    /// The company develops systems itself.
    pub in_house_development: Option<bool>,
    /// The company outsources work.
    pub outsourcing: Option<bool>,
    /// Number of employees.
    pub employees: Option<u32>,
    /// Secrets are exchanged with contractors.
    pub secrets_with_contractors: Option<bool>,
    /// People work remotely.
    pub telework: Option<bool>,
}

/// Whether a condition holds for the facts; `None` when the fact is unknown.
pub fn condition_holds(condition: Condition, facts: &ChapterFacts) -> Option<bool> {
    match condition {
        Condition::Always => Some(true),
        Condition::LedgerHasMynumber => facts.ledger_has_mynumber,
        Condition::InHouseDevelopment => facts.in_house_development,
        Condition::Outsourcing => facts.outsourcing,
        Condition::EmployeesTwoOrMore => facts.employees.map(|n| n >= 2),
        Condition::SecretsWithContractors => facts.secrets_with_contractors,
        Condition::Telework => facts.telework,
    }
}

/// One assessed ledger row, as input to the selection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssetRisk {
    /// 情報資産名称.
    pub asset: String,
    /// Id of the row's medium in the profile.
    pub medium: String,
    /// The row's リスク値.
    pub value: RiskValue,
}

/// Why a chapter is or is not selected.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Reason {
    /// ◎: every company needs it.
    Essential,
    /// The chapter's condition and whether it holds (`None` = not confirmed, counted as met).
    Condition {
        /// The condition.
        condition: Condition,
        /// Whether it holds.
        holds: Option<bool>,
    },
    /// The implementation rate of the chapter's group.
    Rate {
        /// Group id.
        group: String,
        /// The rate.
        rate: Rate,
        /// Blank items of the group.
        unanswered: usize,
    },
    /// An asset in the high risk band on a medium the group protects.
    HighRisk {
        /// 情報資産名称.
        asset: String,
        /// Medium id.
        medium: String,
        /// リスク値.
        value: RiskValue,
    },
}

impl Reason {
    /// The reason as a sentence for reports.
    pub fn text(&self, profile: &Profile, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            Reason::Essential => lang.pick("すべての企業に必要（◎）", "needed by every company (◎)").into(),
            Reason::Condition { condition, holds } => {
                let what = condition_text(*condition, lang);
                match (holds, ja) {
                    (Some(true), true) => format!("該当: {what}"),
                    (Some(true), false) => format!("applies: {what}"),
                    (Some(false), true) => format!("非該当: {what}"),
                    (Some(false), false) => format!("does not apply: {what}"),
                    (None, true) => format!("要確認（未回答のため該当とみなす）: {what}"),
                    (None, false) => format!("to check (not answered, assumed to apply): {what}"),
                }
            }
            Reason::Rate { group, rate, unanswered } => {
                let name = profile.group(group).map_or(group.as_str(), |g| g.name_in(lang));
                let shown = match (rate, ja) {
                    (Rate::Rated(r), _) => format!("{:.1}%", r * 100.0),
                    (Rate::NotApplicable, true) => "すべて「該当しない」".into(),
                    (Rate::NotApplicable, false) => "all 'not applicable'".into(),
                    (Rate::Unanswered, true) => "未回答".into(),
                    (Rate::Unanswered, false) => "not answered".into(),
                };
                match (unanswered, ja) {
                    (0, true) => format!("{name}の実施率: {shown}"),
                    (0, false) => format!("implementation rate of {name}: {shown}"),
                    (n, true) => format!("{name}の実施率: {shown}（未回答 {n} 項目）"),
                    (n, false) => {
                        format!("implementation rate of {name}: {shown} ({n} items not answered)")
                    }
                }
            }
            Reason::HighRisk { asset, medium, value } => {
                let medium = profile.medium(medium).map_or(medium.as_str(), |m| m.name_in(lang));
                let band = risk_band(*value, profile).map(|b| b.label_in(lang).to_string()).unwrap_or_default();
                match lang {
                    Lang::Ja => format!("{asset}（{medium}）: {} {band}", value.0),
                    Lang::En => format!("{asset} ({medium}): {} {band}", value.0),
                }
            }
        }
    }
}

fn condition_text(condition: Condition, lang: Lang) -> &'static str {
    match condition {
        Condition::Always => lang.pick("すべての企業", "every company"),
        Condition::LedgerHasMynumber => lang.pick("台帳にマイナンバーを含む情報資産がある", "the ledger has assets with My Number data"),
        Condition::InHouseDevelopment => lang.pick("自社でシステム開発を行う", "the company develops systems itself"),
        Condition::Outsourcing => lang.pick("業務を外部に委託している", "the company outsources work"),
        Condition::EmployeesTwoOrMore => lang.pick("従業員が2名以上", "2 or more employees"),
        Condition::SecretsWithContractors => lang.pick("委託先と秘密情報をやり取りする", "secrets are exchanged with contractors"),
        Condition::Telework => lang.pick("テレワークを行う", "people work remotely"),
    }
}

/// The decision on one chapter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChapterDecision<'p> {
    /// The chapter.
    pub chapter: &'p Chapter,
    /// The rate of its group (`None` for a chapter without a group).
    pub rate: Option<Rate>,
    /// Whether the company must write the chapter.
    pub selected: bool,
    /// Why.
    pub reasons: Vec<Reason>,
}

impl ChapterDecision<'_> {
    /// 策定の必要性 mark (◎ / ○).
    pub fn need_mark<'a>(&self, profile: &'a Profile) -> &'a str {
        profile.result.mark(self.chapter.need)
    }
    /// The decision column text: 「ポリシーで対策を規定して下さい」 or 「該当なし」.
    pub fn decision_text<'a>(&self, profile: &'a Profile, lang: Lang) -> &'a str {
        if self.selected {
            profile.result.select_in(lang)
        } else {
            profile.result.not_applicable_in(lang)
        }
    }
}

/// Decides every chapter of the profile, in the profile's order, from the checklist answers,
/// the facts about the company and the assessed ledger rows.
///
/// # Errors
///
/// As [`decide_chapter`], for any chapter.
pub fn select_chapters<'p>(profile: &'p Profile, answers: &GroupAnswers, facts: &ChapterFacts, assets: &[AssetRisk]) -> Result<Vec<ChapterDecision<'p>>> {
    profile.chapters.iter().map(|c| decide_chapter(c, profile, answers, facts, assets)).collect()
}

/// Decides one chapter; see the module documentation for the rule.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when an answer of the chapter's
/// group is not on the profile's answer scale, or an asset's リスク値 lies in none of the profile's
/// bands.
pub fn decide_chapter<'p>(
    chapter: &'p Chapter,
    profile: &Profile,
    answers: &GroupAnswers,
    facts: &ChapterFacts,
    assets: &[AssetRisk],
) -> Result<ChapterDecision<'p>> {
    let mut reasons = Vec::new();
    if chapter.need == Need::Essential {
        reasons.push(Reason::Essential);
    }
    let holds = condition_holds(chapter.condition, facts);
    if chapter.condition != Condition::Always {
        reasons.push(Reason::Condition { condition: chapter.condition, holds });
    }
    let mut rate = None;
    if let Some(group) = &chapter.group {
        let tally = group_tally(group, answers, profile)?;
        rate = Some(tally.rate());
        reasons.push(Reason::Rate { group: group.clone(), rate: tally.rate(), unanswered: tally.unanswered });
    }
    let selected = holds != Some(false) && rate != Some(Rate::NotApplicable);
    if selected {
        reasons.extend(high_risk_reasons(chapter, profile, assets)?);
    }
    Ok(ChapterDecision { chapter, rate, selected, reasons })
}

/// The assets in a high band on the media whose vulnerability the chapter's group decides.
fn high_risk_reasons(chapter: &Chapter, profile: &Profile, assets: &[AssetRisk]) -> Result<Vec<Reason>> {
    let Some(group) = &chapter.group else {
        return Ok(Vec::new());
    };
    let mut reasons = Vec::new();
    for a in assets {
        let protects = profile.medium(&a.medium).is_some_and(|m| m.groups.contains(group));
        if protects && risk_band(a.value, profile)?.high {
            reasons.push(Reason::HighRisk { asset: a.asset.clone(), medium: a.medium.clone(), value: a.value });
        }
    }
    Ok(reasons)
}

#[cfg(test)]
#[path = "tests/policy.rs"]
mod tests;
