//! Unit tests of [`super`] (`src/domain/checklist.rs`).
use super::*;

fn ipa21() -> Profile {
    Profile::builtin("ipa-2.1").expect("ipa-2.1 loads")
}
fn answers(values: &[u8]) -> Vec<Option<CheckAnswer>> {
    values.iter().map(|&v| (v != 0).then_some(CheckAnswer(v))).collect()
}
fn percent(values: &[u8]) -> f64 {
    implementation_rate(&answers(values), &ipa21()).unwrap().percent().unwrap()
}

/// domain.md §4, the rates of seed 002's 診断結果.
#[test]
fn seed_002_rates() {
    assert_eq!(percent(&[1, 1, 2, 3]), 62.5); // 2.5 / 4
    assert_eq!(format!("{:.1}", percent(&[1, 3, 3])), "33.3");
    assert_eq!(format!("{:.1}", percent(&[1, 3, 3, 3, 3, 3, 3])), "14.3");
    assert_eq!(percent(&[1, 1, 1]), 100.0);
}

#[test]
fn answers_4_are_left_out() {
    assert_eq!(percent(&[1, 4, 4, 3]), 50.0);
    assert_eq!(percent(&[2, 4]), 50.0);
    let rate = implementation_rate(&answers(&[4, 4, 4, 4]), &ipa21()).unwrap();
    assert_eq!(rate, Rate::NotApplicable);
}

#[test]
fn blanks_are_reported_not_counted() {
    let list = answers(&[1, 0, 3, 0]);
    let t = tally(&list, &ipa21()).unwrap();
    assert_eq!((t.applicable, t.unanswered), (2, 2));
    assert_eq!(t.rate(), Rate::Rated(0.5));
    assert_eq!(unanswered_items(&list), vec![1, 3]);
    assert_eq!(implementation_rate(&answers(&[0, 0]), &ipa21()).unwrap(), Rate::Unanswered);
    assert_eq!(implementation_rate(&answers(&[4, 0]), &ipa21()).unwrap(), Rate::Unanswered);
    assert_eq!(implementation_rate(&[], &ipa21()).unwrap(), Rate::Unanswered);
}

#[test]
fn unknown_answer_is_an_error() {
    let err = implementation_rate(&answers(&[5]), &ipa21()).unwrap_err();
    assert!(matches!(&err.kind, ErrorKind::InvalidValue { expected, found } if expected.get(crate::Lang::Ja).starts_with("1〜4の回答") && found == "5"));
}

#[test]
fn medium_vulnerability_pools_mapped_groups() {
    let p = ipa21();
    let paper = p.medium("paper").unwrap(); // human (3), asset (7), physical (4)
    let mut a = GroupAnswers::new();
    a.insert("human".into(), answers(&[1, 1, 1]));
    a.insert("asset".into(), answers(&[1; 7]));
    a.insert("physical".into(), answers(&[1, 1, 1, 4]));
    assert_eq!(medium_vulnerability(paper, &a, &p).unwrap(), Some(Vulnerability(1)));
    a.insert("physical".into(), answers(&[1, 1, 2, 4]));
    assert_eq!(medium_vulnerability(paper, &a, &p).unwrap(), Some(Vulnerability(2)));
    for g in ["human", "asset", "physical"] {
        a.insert(g.into(), answers(&[3, 3, 4]));
    }
    assert_eq!(medium_vulnerability(paper, &a, &p).unwrap(), Some(Vulnerability(3)));
    assert_eq!(medium_vulnerability(paper, &GroupAnswers::new(), &p).unwrap(), None);
}

#[test]
fn missing_group_counts_its_items_as_blank() {
    let p = ipa21();
    let t = group_tally("asset", &GroupAnswers::new(), &p).unwrap();
    assert_eq!((t.unanswered, t.rate()), (7, Rate::Unanswered));
}
