//! The ledger's schema (情報資産管理台帳): its fields, once. Their header texts come from the
//! profile ([`LedgerField::header`]), their columns in a new workbook from their order here
//! ([`LedgerField::template_col`]); layout inference, reading, `fill` and the template all name
//! fields through this enum, and `--map ledger.FIELD=COL` through [`LedgerField::key`].
use crate::profile::{Header, LedgerHeaders};

/// One field of the ledger, in the order of the template's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LedgerField {
    /// 業務分類.
    Business,
    /// 情報資産名称.
    Asset,
    /// 備考.
    Note,
    /// 利用者範囲.
    Users,
    /// 管理部署.
    Owner,
    /// 媒体・保存先.
    Medium,
    /// 個人情報.
    Personal,
    /// 要配慮個人情報.
    Sensitive,
    /// マイナンバー (特定個人情報).
    MyNumber,
    /// 機密性.
    Confidentiality,
    /// 完全性.
    Integrity,
    /// 可用性.
    Availability,
    /// 重要度 (computed).
    Importance,
    /// 保存期限.
    Retention,
    /// 登録日.
    Registered,
    /// 脅威の発生頻度 (computed).
    Threat,
    /// 脆弱性 (computed).
    Vulnerability,
    /// 被害発生可能性 (computed).
    Likelihood,
    /// Its label (「中」), in the column right of the number (computed).
    LikelihoodLabel,
    /// リスク値 (computed).
    Risk,
    /// Its band (「リスク大」), right of the number (computed).
    RiskLabel,
}

use LedgerField::*;

impl LedgerField {
    /// Every field, in the template's column order.
    pub const ALL: [LedgerField; 21] = [
        Business,
        Asset,
        Note,
        Users,
        Owner,
        Medium,
        Personal,
        Sensitive,
        MyNumber,
        Confidentiality,
        Integrity,
        Availability,
        Importance,
        Retention,
        Registered,
        Threat,
        Vulnerability,
        Likelihood,
        LikelihoodLabel,
        Risk,
        RiskLabel,
    ];
    /// The personal-information flags (個人情報の種類).
    pub const FLAGS: [LedgerField; 3] = [Personal, Sensitive, MyNumber];
    /// The evaluation values C, I, A.
    pub const CIA: [LedgerField; 3] = [Confidentiality, Integrity, Availability];
    /// The columns risksheet computes.
    pub const COMPUTED: [LedgerField; 7] = [Importance, Threat, Vulnerability, Likelihood, LikelihoodLabel, Risk, RiskLabel];

    /// The field's key in layouts, `--map ledger.KEY=COL` and JSON (`"medium"`, `"c"`).
    ///
    /// ```
    /// use risksheet::ops::ipa::ledger::LedgerField;
    /// assert_eq!(LedgerField::Confidentiality.key(), "c");
    /// assert_eq!(LedgerField::from_key("risk_label"), Some(LedgerField::RiskLabel));
    /// ```
    pub const fn key(self) -> &'static str {
        match self {
            Business => "business",
            Asset => "asset",
            Note => "note",
            Users => "users",
            Owner => "owner",
            Medium => "medium",
            Personal => "personal",
            Sensitive => "sensitive",
            MyNumber => "mynumber",
            Confidentiality => "c",
            Integrity => "i",
            Availability => "a",
            Importance => "importance",
            Retention => "retention",
            Registered => "registered",
            Threat => "threat",
            Vulnerability => "vulnerability",
            Likelihood => "likelihood",
            LikelihoodLabel => "likelihood_label",
            Risk => "risk",
            RiskLabel => "risk_label",
        }
    }

    /// The field of a key ([`LedgerField::key`]).
    pub fn from_key(key: &str) -> Option<LedgerField> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }

    /// The field's column in a new workbook (A = 1), from its place in [`LedgerField::ALL`].
    ///
    /// ```
    /// use risksheet::ops::ipa::ledger::LedgerField;
    /// assert_eq!(LedgerField::Medium.template_col(), 6);
    /// assert_eq!(LedgerField::RiskLabel.template_col(), 21);
    /// ```
    pub const fn template_col(self) -> u32 {
        self as u32 + 1
    }

    /// The field's header in the profile; the label columns have none of their own (they sit
    /// under their number's merged header).
    pub fn header(self, h: &LedgerHeaders) -> Option<&Header> {
        Some(match self {
            Business => &h.business,
            Asset => &h.asset,
            Note => &h.note,
            Users => &h.users,
            Owner => &h.owner,
            Medium => &h.medium,
            Personal => &h.personal,
            Sensitive => &h.sensitive,
            MyNumber => &h.mynumber,
            Confidentiality => &h.confidentiality,
            Integrity => &h.integrity,
            Availability => &h.availability,
            Importance => &h.importance,
            Retention => &h.retention,
            Registered => &h.registered,
            Threat => &h.threat,
            Vulnerability => &h.vulnerability,
            Likelihood => &h.likelihood,
            Risk => &h.risk,
            LikelihoodLabel | RiskLabel => return None,
        })
    }

    /// Whether risksheet computes the column (its contents say nothing about the input).
    pub fn is_computed(self) -> bool {
        Self::COMPUTED.contains(&self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_distinct_and_round_trip() {
        for f in LedgerField::ALL {
            assert_eq!(LedgerField::from_key(f.key()), Some(f));
        }
        let cols: Vec<u32> = LedgerField::ALL.iter().map(|f| f.template_col()).collect();
        assert_eq!(cols, (1..=21).collect::<Vec<_>>());
    }
}
