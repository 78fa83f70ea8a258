//! Unit tests of [`super`] (`src/domain/threat.rs`).
use super::*;

#[test]
fn max_of_answered_threats() {
    assert_eq!(medium_threat([Some(ThreatLevel(1)), Some(ThreatLevel(2))]), Some(ThreatLevel(2)));
    assert_eq!(medium_threat([None, Some(ThreatLevel(1))]), Some(ThreatLevel(1)));
    assert_eq!(medium_threat(std::iter::empty()), None);
}
