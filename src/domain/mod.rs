//! Domain types and rules (pure functions): the calculations of an IPA-style risk analysis
//! workbook, with the rule data taken from a [`Profile`](crate::profile::Profile).
//!
//! - [`risk`]: 重要度, 被害発生可能性, リスク値 and its band for one ledger row.
//! - [`threat`]: a medium's 脅威の発生頻度 from its threats on 脅威の状況.
//! - [`checklist`]: 対策状況チェック answers, implementation rates, a medium's 脆弱性.
//! - [`policy`]: which policy chapters (診断結果) the company must write, and why.
//! - [`register`]: a risk register's level, priority and treatment (LV.3, the ISMS seminar).
//! - [`cell`]: parsers of what users type in input cells.
//!
//! ```
//! use risksheet::domain::risk::{assess, Cia, ThreatLevel, Vulnerability};
//! use risksheet::profile::Profile;
//! let ipa = Profile::builtin("ipa-2.1")?;
//! // 社員名簿 on 事務所PC: C2 I0 A0, threat 3, vulnerability 2.
//! let a = assess(Cia::new(2, 0, 0), false, ThreatLevel(3), Vulnerability(2), &ipa)?;
//! assert_eq!((a.importance.0, a.likelihood.0, a.value.0), (2, 2, 4));
//! assert_eq!(a.band.label, "リスク大");
//! # Ok::<(), risksheet::Error>(())
//! ```
pub mod cell;
pub mod checklist;
pub mod policy;
pub mod register;
pub mod risk;
pub mod self_check;
pub mod threat;
