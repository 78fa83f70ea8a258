//! A medium's 脅威の発生頻度, from the frequencies chosen for its threats on 脅威の状況.
//!
//! **[our rule]** A medium has several threats; the ledger uses the highest frequency chosen
//! among them, so that the worst threat drives the risk. Threats left blank are ignored; a
//! medium none of whose threats is answered has no frequency (the caller reports it).
//!
//! ```
//! use risksheet::domain::risk::ThreatLevel;
//! use risksheet::domain::threat::medium_threat;
//! let chosen = [Some(ThreatLevel(2)), None, Some(ThreatLevel(3)), Some(ThreatLevel(1))];
//! assert_eq!(medium_threat(chosen), Some(ThreatLevel(3)));
//! assert_eq!(medium_threat([None, None]), None);
//! ```
use super::risk::ThreatLevel;

/// The highest frequency chosen among a medium's threats; `None` when none is answered.
pub fn medium_threat(levels: impl IntoIterator<Item = Option<ThreatLevel>>) -> Option<ThreatLevel> {
    levels.into_iter().flatten().max()
}

#[cfg(test)]
#[path = "tests/threat.rs"]
mod tests;
