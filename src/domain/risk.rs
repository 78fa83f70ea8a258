//! One ledger row's risk: 重要度 from 機密性・完全性・可用性, 被害発生可能性 from 脅威 and 脆弱性
//! (the 換算表), リスク値 = 重要度 × 被害発生可能性, and the band of the value (リスク大/中/小).
//!
//! ```
//! use risksheet::domain::risk::{importance, likelihood, risk_band, risk_value, Cia, ThreatLevel, Vulnerability};
//! use risksheet::profile::Profile;
//! let ipa3 = Profile::builtin("ipa-3")?;
//! let imp = importance(Cia::new(1, 2, 1), false, &ipa3)?;
//! let lik = likelihood(ThreatLevel(3), Vulnerability(3), &ipa3)?;
//! let value = risk_value(imp, lik);
//! assert_eq!(value.0, 6);
//! assert_eq!(risk_band(value, &ipa3)?.label, "リスク大");
//! # Ok::<(), risksheet::Error>(())
//! ```
use crate::error::{Error, ErrorKind, Result};
use crate::profile::{Profile, RiskBand, Scale};
use serde::Serialize;

/// 機密性 (C), 完全性 (I), 可用性 (A) of an asset, each on the profile's C/I/A scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Cia {
    /// 機密性.
    pub c: u8,
    /// 完全性.
    pub i: u8,
    /// 可用性.
    pub a: u8,
}

impl Cia {
    /// The three values.
    pub const fn new(c: u8, i: u8, a: u8) -> Cia {
        Cia { c, i, a }
    }
    /// The highest of the three.
    pub fn max(self) -> u8 {
        self.c.max(self.i).max(self.a)
    }
}

/// 重要度 of an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Importance(pub u8);

/// 脅威の発生頻度 (1–3 in IPA profiles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ThreatLevel(pub u8);

/// 脆弱性 (1 = addressed … 3 = not addressed in IPA profiles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Vulnerability(pub u8);

/// 被害発生可能性 (1 低 … 3 高 in IPA profiles).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Likelihood(pub u8);

/// リスク値 = 重要度 × 被害発生可能性.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct RiskValue(pub u32);

/// `value` when it lies on `scale`, otherwise an [`ErrorKind::InvalidValue`] error
/// (「1〜3の数値」).
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] when `value` is off `scale`.
pub fn check_on_scale(value: u8, scale: Scale) -> Result<u8> {
    if scale.contains(value) {
        Ok(value)
    } else {
        Err(Error::new(ErrorKind::InvalidValue { expected: scale.expected(), found: value.to_string() }))
    }
}

/// 重要度 = max(C, I, A); when the profile says so (ipa-3), raised to its personal-information
/// level for an asset with personal information. Values off the C/I/A scale are errors.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] when C, I or A is off the profile's C/I/A scale.
///
/// ```
/// use risksheet::domain::risk::{importance, Cia};
/// use risksheet::profile::Profile;
/// let (ipa21, ipa3) = (Profile::builtin("ipa-2.1")?, Profile::builtin("ipa-3")?);
/// assert_eq!(importance(Cia::new(2, 0, 0), true, &ipa21)?.0, 2);
/// assert_eq!(importance(Cia::new(1, 1, 1), true, &ipa3)?.0, 3);
/// assert!(importance(Cia::new(3, 0, 0), false, &ipa21).is_err());
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn importance(cia: Cia, has_personal_info: bool, profile: &Profile) -> Result<Importance> {
    for value in [cia.c, cia.i, cia.a] {
        check_on_scale(value, profile.cia)?;
    }
    let raised = profile.personal_info_level().filter(|_| has_personal_info);
    Ok(Importance(raised.map_or(cia.max(), |level| level.max(cia.max()))))
}

/// 被害発生可能性 looked up in the profile's 換算表 (for IPA: max(1, t + v − 3)).
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] when the threat or the vulnerability is off its scale;
/// [`ErrorKind::Profile`] when the profile is inconsistent (its 換算表 has no value for the pair).
///
/// ```
/// use risksheet::domain::risk::{likelihood, ThreatLevel, Vulnerability};
/// use risksheet::profile::Profile;
/// let p = Profile::builtin("ipa-2.1")?;
/// assert_eq!(likelihood(ThreatLevel(3), Vulnerability(2), &p)?.0, 2);
/// assert_eq!(likelihood(ThreatLevel(1), Vulnerability(3), &p)?.0, 1);
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn likelihood(threat: ThreatLevel, vulnerability: Vulnerability, profile: &Profile) -> Result<Likelihood> {
    let t = check_on_scale(threat.0, profile.threat.scale())?;
    let v = check_on_scale(vulnerability.0, profile.vulnerability.scale())?;
    let row = usize::from(t - profile.threat.min);
    let col = usize::from(v - profile.vulnerability.min);
    profile.likelihood.matrix.get(row).and_then(|r| r.get(col)).map(|&l| Likelihood(l)).ok_or_else(|| {
        Error::new(ErrorKind::Profile(crate::lang::Message::new(
            format!("likelihood.matrix に脅威 {t}・脆弱性 {v} の値がありません"),
            format!("likelihood.matrix has no value for threat {t}, vulnerability {v}"),
        )))
    })
}

/// リスク値 = 重要度 × 被害発生可能性.
pub fn risk_value(importance: Importance, likelihood: Likelihood) -> RiskValue {
    RiskValue(u32::from(importance.0) * u32::from(likelihood.0))
}

/// The band (リスク大/中/小) that holds a リスク値.
///
/// # Errors
///
/// [`ErrorKind::InvalidValue`] when no band of the profile holds `value`.
///
/// ```
/// use risksheet::domain::risk::{risk_band, RiskValue};
/// use risksheet::profile::Profile;
/// let p = Profile::builtin("ipa-2.1")?;
/// assert_eq!(risk_band(RiskValue(4), &p)?.label, "リスク大");
/// assert_eq!(risk_band(RiskValue(3), &p)?.advice, "対策を実施");
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn risk_band(value: RiskValue, profile: &Profile) -> Result<&RiskBand> {
    profile.risk.band(value.0).ok_or_else(|| {
        let values = profile.possible_risk_values();
        let (min, max) = (values.first().copied().unwrap_or(0), values.last().copied().unwrap_or(0));
        Error::new(ErrorKind::InvalidValue {
            expected: crate::lang::Message::new(format!("{min}〜{max}のリスク値"), format!("a risk value {min}–{max}")),
            found: value.0.to_string(),
        })
    })
}

/// The computed columns of one ledger row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment<'p> {
    /// 重要度.
    pub importance: Importance,
    /// 被害発生可能性.
    pub likelihood: Likelihood,
    /// リスク値.
    pub value: RiskValue,
    /// The band of the value.
    pub band: &'p RiskBand,
}

/// Computes 重要度, 被害発生可能性, リスク値 and its band for one ledger row.
///
/// # Errors
///
/// Those of [`importance`], [`likelihood`] and [`risk_band`].
pub fn assess(cia: Cia, has_personal_info: bool, threat: ThreatLevel, vulnerability: Vulnerability, profile: &Profile) -> Result<Assessment<'_>> {
    let importance = importance(cia, has_personal_info, profile)?;
    let likelihood = likelihood(threat, vulnerability, profile)?;
    let value = risk_value(importance, likelihood);
    Ok(Assessment { importance, likelihood, value, band: risk_band(value, profile)? })
}

/// What can be computed of a ledger row whose inputs are not all there yet: each step of
/// [`assess`] when its own inputs are known (a row without its threat still has its 重要度).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartialAssessment<'p> {
    /// 重要度, when C, I and A are known.
    pub importance: Option<Importance>,
    /// 被害発生可能性, when the threat and the vulnerability are known.
    pub likelihood: Option<Likelihood>,
    /// リスク値 and its band, when both are known.
    pub value: Option<(RiskValue, &'p RiskBand)>,
}

/// [`assess`] for a row with missing inputs: every step whose inputs are known.
///
/// # Errors
///
/// Those of [`importance`], [`likelihood`] and [`risk_band`], for the steps whose inputs are known.
///
/// ```
/// use risksheet::domain::risk::{assess_partial, Cia, ThreatLevel};
/// use risksheet::profile::Profile;
/// let ipa = Profile::builtin("ipa-2.1")?;
/// let a = assess_partial(Some(Cia::new(2, 0, 0)), false, Some(ThreatLevel(3)), None, &ipa)?;
/// assert_eq!((a.importance.map(|i| i.0), a.likelihood, a.value), (Some(2), None, None));
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn assess_partial(
    cia: Option<Cia>,
    has_personal_info: bool,
    threat: Option<ThreatLevel>,
    vulnerability: Option<Vulnerability>,
    profile: &Profile,
) -> Result<PartialAssessment<'_>> {
    let importance = cia.map(|cia| importance(cia, has_personal_info, profile)).transpose()?;
    let likelihood = match (threat, vulnerability) {
        (Some(t), Some(v)) => Some(likelihood(t, v, profile)?),
        _ => None,
    };
    let value = match (importance, likelihood) {
        (Some(i), Some(l)) => {
            let value = risk_value(i, l);
            Some((value, risk_band(value, profile)?))
        }
        _ => None,
    };
    Ok(PartialAssessment { importance, likelihood, value })
}

#[cfg(test)]
#[path = "tests/risk.rs"]
mod tests;

/// A risk map: how many assets fall in each cell of 重要度 × 被害発生可能性, each cell standing
/// for one リスク値 and so one band. Rows are the importance levels, highest first (a risk map is
/// read with the most important at the top); columns the likelihood levels, lowest first.
///
/// ```
/// use risksheet::domain::risk::HeatMap;
/// use risksheet::profile::Profile;
/// let ipa3 = Profile::builtin("ipa-3")?;
/// // (重要度, 被害発生可能性) of four assets.
/// let map = HeatMap::new([(3, 3), (3, 3), (2, 1), (1, 2)], &ipa3);
/// assert_eq!(map.importance, [3, 2, 1]);
/// assert_eq!(map.likelihood, [1, 2, 3]);
/// assert_eq!(map.counts[0][2], 2); // 重要度 3, 可能性 3
/// assert_eq!(map.band(0, 2, &ipa3).unwrap().label, "リスク大");
/// assert_eq!(map.total(), 4);
/// # Ok::<(), risksheet::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeatMap {
    /// 重要度 levels, highest first.
    pub importance: Vec<u8>,
    /// 被害発生可能性 levels, lowest first.
    pub likelihood: Vec<u8>,
    /// `counts[row][column]`: the assets of that importance and likelihood.
    pub counts: Vec<Vec<usize>>,
}

impl HeatMap {
    /// Counts `(importance, likelihood)` pairs on the profile's scales; a pair off the scales
    /// (which the rules never produce) is not counted.
    pub fn new(pairs: impl IntoIterator<Item = (u8, u8)>, profile: &Profile) -> HeatMap {
        let importance: Vec<u8> = profile.importance_scale().values().rev().collect();
        let likelihood: Vec<u8> = profile.likelihood.scale().values().collect();
        let mut counts = vec![vec![0; likelihood.len()]; importance.len()];
        for (imp, lik) in pairs {
            if let (Some(r), Some(c)) = (importance.iter().position(|&x| x == imp), likelihood.iter().position(|&x| x == lik)) {
                counts[r][c] += 1;
            }
        }
        HeatMap { importance, likelihood, counts }
    }

    /// The band of a cell's リスク値 (重要度 × 被害発生可能性).
    pub fn band<'p>(&self, row: usize, column: usize, profile: &'p Profile) -> Option<&'p RiskBand> {
        let value = risk_value(Importance(*self.importance.get(row)?), Likelihood(*self.likelihood.get(column)?));
        profile.risk.band(value.0)
    }

    /// The number of assets counted.
    pub fn total(&self) -> usize {
        self.counts.iter().flatten().sum()
    }
}
