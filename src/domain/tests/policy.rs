//! Unit tests of [`super`] (`src/domain/policy.rs`).
use super::*;
use crate::domain::checklist::CheckAnswer;

fn ipa21() -> Profile {
    Profile::builtin("ipa-2.1").expect("ipa-2.1 loads")
}
fn all(value: u8, n: usize) -> Vec<Option<CheckAnswer>> {
    vec![Some(CheckAnswer(value)); n]
}
fn decision<'p>(ds: &'p [ChapterDecision<'_>], title: &str) -> &'p ChapterDecision<'p> {
    ds.iter().find(|d| d.chapter.title == title).expect("chapter exists")
}

#[test]
fn decision_depends_on_applicability_not_rate() {
    let p = ipa21();
    let mut answers = GroupAnswers::new();
    answers.insert("organizational".into(), all(1, 4));
    answers.insert("development".into(), all(4, 3));
    let facts = ChapterFacts { ledger_has_mynumber: Some(true), outsourcing: Some(false), employees: Some(1), ..Default::default() };
    let ds = select_chapters(&p, &answers, &facts, &[]).unwrap();
    let org = decision(&ds, "組織的対策");
    assert!(org.selected);
    assert_eq!(org.rate, Some(Rate::Rated(1.0)));
    assert_eq!(org.need_mark(&p), "◎");
    assert_eq!(org.decision_text(&p, Lang::Ja), "ポリシーで対策を規定して下さい");
    assert!(decision(&ds, "マイナンバー対応").selected);
    assert_eq!(decision(&ds, "マイナンバー対応").need_mark(&p), "○");
    // all 「4」 → 該当なし, even though the condition is unknown
    let dev = decision(&ds, "システム開発及び保守");
    assert!(!dev.selected);
    assert_eq!(dev.rate, Some(Rate::NotApplicable));
    assert_eq!(dev.decision_text(&p, Lang::Ja), "該当なし");
    assert!(!decision(&ds, "委託管理").selected);
    assert!(!decision(&ds, "社内体制図").selected);
    // unknown fact → selected, reason says not confirmed
    let sample = decision(&ds, "委託契約書機密保持条項サンプル");
    assert!(sample.selected);
    assert_eq!(sample.rate, None);
    assert!(sample.reasons.contains(&Reason::Condition { condition: Condition::SecretsWithContractors, holds: None }));
}

#[test]
fn high_risk_assets_are_cited_on_the_groups_media() {
    let p = ipa21();
    let assets = [
        AssetRisk { asset: "社員名簿".into(), medium: "office-pc".into(), value: RiskValue(4) },
        AssetRisk { asset: "製品設計図".into(), medium: "paper".into(), value: RiskValue(2) },
        AssetRisk { asset: "応募者リスト".into(), medium: "server".into(), value: RiskValue(4) },
    ];
    let ds = select_chapters(&p, &GroupAnswers::new(), &ChapterFacts::default(), &assets).unwrap();
    let high = |title: &str| -> Vec<String> {
        decision(&ds, title)
            .reasons
            .iter()
            .filter_map(|r| match r {
                Reason::HighRisk { asset, .. } => Some(asset.clone()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(high("IT機器利用"), vec!["社員名簿"]);
    assert_eq!(high("アクセス制御及び認証"), vec!["応募者リスト"]);
    assert_eq!(high("情報資産管理"), vec!["社員名簿", "応募者リスト"]);
    assert!(high("人的対策").is_empty());
    let text = decision(&ds, "IT機器利用").reasons.last().unwrap().text(&p, Lang::Ja);
    assert_eq!(text, "社員名簿（事務所PC）: 4 リスク大");
}

#[test]
fn reason_texts() {
    let p = ipa21();
    let r = Reason::Rate { group: "organizational".into(), rate: Rate::Rated(0.625), unanswered: 0 };
    assert_eq!(r.text(&p, Lang::Ja), "組織的対策の実施率: 62.5%");
    assert_eq!(r.text(&p, Lang::En), "implementation rate of Organisational measures: 62.5%");
    let c = Reason::Condition { condition: Condition::EmployeesTwoOrMore, holds: Some(true) };
    assert_eq!(c.text(&p, Lang::Ja), "該当: 従業員が2名以上");
}

#[test]
fn ipa3_chapters_put_mynumber_last_and_add_telework() {
    let p = Profile::builtin("ipa-3").unwrap();
    let facts = ChapterFacts { ledger_has_mynumber: Some(true), telework: Some(false), ..Default::default() };
    let ds = select_chapters(&p, &GroupAnswers::new(), &facts, &[]).unwrap();
    assert_eq!(ds[10].chapter.title, "個人番号及び特定個人情報の取扱い");
    assert!(ds[10].selected);
    assert!(!decision(&ds, "テレワークにおける対策").selected);
}

#[test]
fn mynumber_applies_to_every_company_unless_its_group_is_all_not_applicable() {
    for id in ["ipa-2.1", "ipa-3"] {
        let p = Profile::builtin(id).unwrap();
        let facts = ChapterFacts { ledger_has_mynumber: Some(false), ..Default::default() };
        let ds = select_chapters(&p, &GroupAnswers::new(), &facts, &[]).unwrap();
        let ch = ds.iter().find(|d| d.chapter.group.as_deref() == Some("mynumber")).unwrap();
        assert!(ch.selected, "{id}");
        assert_eq!(ch.chapter.condition, Condition::Always);
        let mut answers = GroupAnswers::new();
        answers.insert("mynumber".into(), all(4, 3));
        let ds = select_chapters(&p, &answers, &facts, &[]).unwrap();
        let ch = ds.iter().find(|d| d.chapter.group.as_deref() == Some("mynumber")).unwrap();
        assert!(!ch.selected, "{id}: all 「4」 → 該当なし");
    }
}

#[test]
fn a_profile_may_still_tie_mynumber_to_the_ledger() {
    let mut p = ipa21();
    p.chapters[3].condition = Condition::LedgerHasMynumber;
    let facts = ChapterFacts { ledger_has_mynumber: Some(false), ..Default::default() };
    let ds = select_chapters(&p, &GroupAnswers::new(), &facts, &[]).unwrap();
    assert!(!decision(&ds, "マイナンバー対応").selected);
}

#[test]
fn an_unknown_fact_reads_as_to_check() {
    let p = ipa21();
    let c = Reason::Condition { condition: Condition::Telework, holds: None };
    assert!(c.text(&p, Lang::Ja).starts_with("要確認"), "{}", c.text(&p, Lang::Ja));
}
