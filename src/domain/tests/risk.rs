//! Unit tests of [`super`] (`src/domain/risk.rs`).
use super::*;

fn ipa21() -> Profile {
    Profile::builtin("ipa-2.1").expect("ipa-2.1 loads")
}
fn ipa3() -> Profile {
    Profile::builtin("ipa-3").expect("ipa-3 loads")
}

/// domain.md §2.2, the ipa-2.1 記入例: (medium, C, I, A, t, v) → (重要度, 可能性, 可能性ラベル, リスク値, 帯).
#[test]
fn ipa21_worked_examples() {
    let p = ipa21();
    let rows = [
        ("社員名簿/事務所PC", (2, 0, 0), 3, 2, 2, 2, "可能性:中", 4, "リスク大"),
        ("社員名簿/書類", (2, 2, 2), 2, 2, 2, 1, "可能性:低", 2, "リスク中"),
        ("給与システムデータ", (2, 2, 1), 3, 2, 2, 2, "可能性:中", 4, "リスク大"),
        ("当社宛請求書", (1, 1, 1), 2, 2, 1, 1, "可能性:低", 1, "リスク中"),
        ("電子メールデータ", (2, 2, 2), 3, 2, 2, 2, "可能性:中", 4, "リスク大"),
        ("製品カタログ", (0, 1, 1), 2, 2, 1, 1, "可能性:低", 1, "リスク中"),
        ("キャンペーン応募者リスト", (2, 1, 0), 3, 2, 2, 2, "可能性:中", 4, "リスク大"),
        ("製品設計図", (2, 2, 2), 2, 2, 2, 1, "可能性:低", 2, "リスク中"),
    ];
    for (asset, (c, i, a), t, v, imp, lik, lik_label, value, band) in rows {
        // Personal information never raises 重要度 in ipa-2.1.
        let got = assess(Cia::new(c, i, a), true, ThreatLevel(t), Vulnerability(v), &p).expect(asset);
        assert_eq!((got.importance.0, got.likelihood.0, got.value.0), (imp, lik, value), "{asset}");
        assert_eq!(got.band.label, band, "{asset}");
        assert_eq!(p.likelihood.level(lik).map(|l| l.label.as_str()), Some(lik_label), "{asset}");
    }
}

/// domain.md §2.2, the 1–3 scale examples of seed 001.
#[test]
fn one_to_three_examples() {
    let p = ipa3();
    assert_eq!(importance(Cia::new(1, 2, 3), false, &p).unwrap().0, 3);
    assert_eq!(importance(Cia::new(2, 1, 1), false, &p).unwrap().0, 2);
    assert_eq!(likelihood(ThreatLevel(2), Vulnerability(1), &p).unwrap().0, 1);
    assert_eq!(likelihood(ThreatLevel(3), Vulnerability(3), &p).unwrap().0, 3);
    for (i, l, v) in [(3, 1, 3), (2, 3, 6), (3, 3, 9), (3, 2, 6), (2, 2, 4)] {
        assert_eq!(risk_value(Importance(i), Likelihood(l)).0, v);
    }
}

#[test]
fn matrix_is_max_of_one_and_t_plus_v_minus_three() {
    let p = ipa21();
    for t in 1..=3u8 {
        for v in 1..=3u8 {
            let expected = (t + v).saturating_sub(3).max(1);
            assert_eq!(likelihood(ThreatLevel(t), Vulnerability(v), &p).unwrap().0, expected, "t{t} v{v}");
        }
    }
}

#[test]
fn personal_info_override_only_in_ipa3() {
    assert_eq!(importance(Cia::new(1, 1, 1), true, &ipa3()).unwrap().0, 3);
    assert_eq!(importance(Cia::new(1, 1, 1), false, &ipa3()).unwrap().0, 1);
    assert_eq!(importance(Cia::new(1, 1, 1), true, &ipa21()).unwrap().0, 1);
}

#[test]
fn band_boundaries_ipa21() {
    let p = ipa21();
    let label = |v| risk_band(RiskValue(v), &p).unwrap().label.clone();
    assert_eq!(label(0), "リスク小");
    assert_eq!(label(1), "リスク中");
    assert_eq!(label(3), "リスク中");
    assert_eq!(label(4), "リスク大");
    assert_eq!(label(6), "リスク大");
    assert!(risk_band(RiskValue(7), &p).is_err());
    assert_eq!(risk_band(RiskValue(0), &p).unwrap().advice, "現状維持");
    assert_eq!(risk_band(RiskValue(5), &p).unwrap().advice, "重点的に対策を実施");
}

#[test]
fn band_boundaries_ipa3() {
    let p = ipa3();
    let label = |v| risk_band(RiskValue(v), &p).unwrap().label.clone();
    assert_eq!(label(1), "リスク小");
    assert_eq!(label(3), "リスク小");
    assert_eq!(label(4), "リスク中");
    assert_eq!(label(6), "リスク大");
    assert_eq!(label(9), "リスク大");
    assert!(risk_band(RiskValue(0), &p).is_err());
    assert!(risk_band(RiskValue(10), &p).is_err());
}

#[test]
fn lv3_priorities() {
    let p = Profile::builtin("lv3").unwrap();
    let label = |v| risk_band(RiskValue(v), &p).unwrap().label.clone();
    assert_eq!(label(9), "1:早急に対応");
    assert_eq!(label(6), "2:今期中に対応");
    assert_eq!(label(4), "3:今期対応が望ましい");
    assert_eq!(label(3), "受容");
    assert_eq!(importance(Cia::new(1, 1, 1), true, &p).unwrap().0, 1);
}

#[test]
fn out_of_scale_values_are_errors() {
    let p = ipa3();
    let err = importance(Cia::new(0, 1, 1), false, &p).unwrap_err();
    assert!(matches!(&err.kind, ErrorKind::InvalidValue { expected, found } if expected.get(crate::Lang::Ja) == "1〜3の数値" && found == "0"));
    assert!(likelihood(ThreatLevel(4), Vulnerability(1), &p).is_err());
    assert!(likelihood(ThreatLevel(1), Vulnerability(0), &p).is_err());
}
