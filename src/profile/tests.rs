use super::*;
use crate::error::{Error, ErrorKind};

fn ipa21() -> Profile {
    Profile::builtin("ipa-2.1").expect("ipa-2.1 loads")
}
fn ipa3() -> Profile {
    Profile::builtin("ipa-3").expect("ipa-3 loads")
}

/// The profile message of an error (language independent checks use the TOML field names).
fn profile_message(e: Error) -> String {
    match e.into_kind() {
        ErrorKind::Profile(why) => why.get(crate::Lang::Ja).to_string(),
        other => panic!("expected a profile error, got {other:?}"),
    }
}

/// ipa-2.1 with one text replaced, loaded and expected to fail.
fn broken(from: &str, to: &str) -> String {
    let text = include_str!("../../data/profiles/ipa-2.1.toml");
    assert!(text.contains(from), "test setup: {from:?} not in ipa-2.1.toml");
    profile_message(Profile::from_toml_str(&text.replacen(from, to, 1)).unwrap_err())
}

#[test]
fn every_builtin_loads_and_validates() {
    for name in Profile::builtin_names() {
        let p = Profile::builtin(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(p.id, name);
    }
}

#[test]
fn ipa21_counts() {
    let p = ipa21();
    assert_eq!((p.cia.min, p.cia.max), (0, 2));
    assert_eq!(p.media.len(), 6);
    let names: Vec<&str> = p.media.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["書類", "可搬電子媒体", "事務所PC", "モバイル機器", "社内サーバー", "クラウド"]);
    let threats: Vec<usize> = p.media.iter().map(|m| m.threats.len()).collect();
    assert_eq!(threats, [4, 4, 5, 3, 3, 2]);
    assert_eq!(threats.iter().sum::<usize>(), 21);
    assert_eq!(p.checklist.item_count(), 55);
    let groups: Vec<(u32, &str, usize)> = p.checklist.groups.values().map(|g| (g.number, g.name.as_str(), g.items.len())).collect();
    assert_eq!(
        groups,
        [
            (1, "組織的対策", 4),
            (2, "人的対策", 3),
            (3, "情報資産管理", 7),
            (4, "マイナンバー対応", 3),
            (5, "アクセス制御及び認証", 5),
            (6, "物理的対策", 4),
            (7, "IT機器利用", 10),
            (8, "IT基盤運用管理", 10),
            (9, "システム開発及び保守", 3),
            (10, "委託管理", 3),
            (11, "情報セキュリティインシデント対応及び事業継続管理", 3),
        ]
    );
    assert_eq!(p.chapters.len(), 13);
    assert_eq!(p.checklist.answers.len(), 4);
    assert_eq!(p.checklist.answers[2].label, "3:実施していない／わからない");
    assert!(p.personal_info_level().is_none());
}

#[test]
fn default_group_to_media_mapping() {
    let p = ipa21();
    let numbers = |id: &str| -> Vec<u32> {
        let m = p.medium(id).expect("medium");
        m.groups.iter().map(|g| p.group(g).expect("group").number).collect()
    };
    assert_eq!(numbers("paper"), [2, 3, 6]);
    assert_eq!(numbers("removable"), [3, 6, 7]);
    assert_eq!(numbers("office-pc"), [3, 7, 8]);
    assert_eq!(numbers("mobile"), [3, 7]);
    assert_eq!(numbers("server"), [3, 5, 8]);
    assert_eq!(numbers("cloud"), [3, 5, 8]);
}

#[test]
fn ipa3_differs_where_the_edition_does() {
    let p = ipa3();
    assert_eq!((p.cia.min, p.cia.max), (1, 3));
    assert_eq!(p.personal_info_level(), Some(3));
    assert_eq!(p.checklist.item_count(), 55);
    let last = p.checklist.groups.last().map(|(id, g)| (id.as_str(), g.number, g.name.as_str()));
    assert_eq!(last, Some(("mynumber", 11, "個人番号及び特定個人情報の取扱い")));
    assert_eq!(p.group("access").map(|g| g.number), Some(4));
    assert_eq!(p.chapters.len(), 14);
    assert_eq!(p.chapters[10].title, "個人番号及び特定個人情報の取扱い");
    assert!(p.headers.sheets.importance_definition.is_some());
    assert!(p.headers.ledger.mynumber.matches("特定個人情報"));
    assert_eq!(p.media.iter().map(|m| m.threats.len()).sum::<usize>(), 21);
    assert_eq!(p.possible_risk_values(), [1, 2, 3, 4, 6, 9]);
}

#[test]
fn labels_and_english() {
    let p = ipa21();
    assert_eq!(p.threat.level(3).map(|l| l.label.as_str()), Some("3:通常の状態で発生する（いつ発生してもおかしくない）"));
    assert_eq!(p.threat.level(2).map(|l| l.label.as_str()), Some("2:特定の状況で発生する（年に数回程度）"));
    assert_eq!(p.vulnerability.level(2).map(|l| l.label.as_str()), Some("2:部分的に脆弱性未対策"));
    assert_eq!(p.likelihood.level(3).map(|l| l.label.as_str()), Some("可能性:高"));
    assert_eq!(p.media[4].name_in(Lang::En), "In-house server");
    assert_eq!(p.risk.bands[0].label_in(Lang::En), "High risk");
    assert_eq!(p.result.not_applicable_in(Lang::Ja), "該当なし");
    let every_text_has_english = p.media.iter().all(|m| !m.name_en.is_empty() && m.threats.iter().all(|t| !t.text_en.is_empty()))
        && p.checklist.groups.values().all(|g| !g.name_en.is_empty() && g.items.iter().all(|i| !i.text_en.is_empty()))
        && p.chapters.iter().all(|c| !c.title_en.is_empty());
    assert!(every_text_has_english);
}

#[test]
fn group_and_chapter_name_variants() {
    let p = ipa21();
    let group = |label: &str| p.find_group(label).map(|(id, _)| id);
    assert_eq!(group("(1) 組織的セキュリティ対策"), Some("organizational"));
    assert_eq!(group("アクセス制御と認証"), Some("access"));
    assert_eq!(group("（１０）外部委託管理"), Some("outsourcing"));
    assert_eq!(group("(6) 物理的セキュリティ対策"), Some("physical"));
    assert_eq!(group("(11) 情報セキュリティインシデント対応ならびに事業継続管理"), Some("incident"));
    assert_eq!(group("(4) 個人番号及び特定個人情報の取扱い"), Some("mynumber"));
    assert_eq!(group("(12) 何か別のもの"), None);
    assert_eq!(p.find_chapter("(10) 委託管理").map(|c| c.number), Some(10));
    assert_eq!(p.find_chapter("社内体制図").map(|c| c.number), Some(12));
    let ipa3 = ipa3();
    assert_eq!(ipa3.find_group("(11) マイナンバー対応").map(|(id, _)| id), Some("mynumber"));
}

#[test]
fn headers_find_sheets_and_columns() {
    let p = ipa21();
    let h = &p.headers;
    assert!(h.sheets.ledger.matches("情報資産管理台帳"));
    assert!(h.sheets.checklist.matches("対策状況チェック"));
    assert!(h.ledger.business.matches(" 業務分類 "));
    assert!(h.ledger.vulnerability.matches("脆弱性（「対策状況チェックシート」で設定）"));
    assert!(h.ledger.threat.matches("脅威の発生頻度（「脅威の状況」シートで設定）"));
    assert!(h.ledger.sensitive.matches("要配慮個人情報"));
    assert!(!h.ledger.personal.matches("要配慮個人情報"));
    assert!(h.threats.frequency.matches("対策を講じない場合の脅威の発生頻度"));
    assert!(h.result.need.matches("情報セキュリティポリシー\n策定の必要性"));
    assert!(h.result.decision.matches("<ツール B> 情報セキュリティポリシーによる 対策規定の要否"));
    assert!(h.result.chapter.matches("対策の種類 (情報セキュリティポリシー名称)"));
}

#[test]
fn unknown_builtin_lists_the_names() {
    let msg = profile_message(Profile::builtin("ipa-9").unwrap_err());
    assert!(msg.contains("ipa-2.1, ipa-3, lv3"), "{msg}");
}

#[test]
fn validation_matrix_size() {
    let msg = broken("  [1, 2, 3], # threat 3\n", "");
    assert!(msg.contains("likelihood.matrix") && msg.contains('3') && msg.contains('2'), "{msg}");
    let msg = broken("[1, 1, 2], # threat 2", "[1, 1], # threat 2");
    assert!(msg.contains("likelihood.matrix") && msg.contains('2'), "{msg}");
    let msg = broken("[1, 1, 2], # threat 2", "[1, 1, 7], # threat 2");
    assert!(msg.contains("likelihood.matrix") && msg.contains('7'), "{msg}");
}

#[test]
fn validation_references() {
    let msg = broken(r#"groups = ["human", "asset", "physical"]"#, r#"groups = ["human", "assets", "physical"]"#);
    assert!(msg.contains("paper") && msg.contains("assets"), "{msg}");
    let msg = broken(r#"group = "outsourcing""#, r#"group = "contractors""#);
    assert!(msg.contains("contractors") && msg.contains("委託管理"), "{msg}");
}

#[test]
fn validation_bands_and_levels() {
    let msg = broken("min = 0\nmax = 0\nlabel = \"リスク小\"", "min = 1\nmax = 1\nlabel = \"リスク小\"");
    assert!(msg.contains("risk.bands"), "{msg}");
    let msg = broken("min = 1\nmax = 3\nlabel = \"リスク中\"", "min = 2\nmax = 3\nlabel = \"リスク中\"");
    assert!(msg.contains("risk.bands") && msg.contains('1'), "{msg}");
    let msg = broken("{ value = 1, label = \"1:脆弱性対策済\"", "{ value = 2, label = \"1:脆弱性対策済\"");
    assert!(msg.contains("vulnerability.levels"), "{msg}");
    let msg = broken("number = 2\nname = \"人的対策\"", "number = 1\nname = \"人的対策\"");
    assert!(msg.contains("checklist.groups"), "{msg}");
}

#[test]
fn validation_syntax_and_fields() {
    let msg = profile_message(Profile::from_toml_str("id = ").unwrap_err());
    assert!(!msg.is_empty());
    let msg = broken("edition = \"2.1\"", "editon = \"2.1\"");
    assert!(msg.contains("editon"), "{msg}");
    let msg = profile_message(Profile::from_toml_str("extends = \"nope\"").unwrap_err());
    assert!(msg.contains("nope"), "{msg}");
}

#[test]
fn user_profile_overrides_a_preset() {
    let p = Profile::from_toml_str(
        r#"
        extends = "ipa-2.1"
        id = "acme"
        [[media]]
        id = "paper"
        name = "書類"
        groups = ["asset"]
        [checklist.groups.asset]
        name = "資産管理"
        "#,
    )
    .expect("override loads");
    assert_eq!(p.id, "acme");
    assert_eq!(p.media.len(), 1);
    assert_eq!(p.group("asset").map(|g| (g.name.as_str(), g.items.len())), Some(("資産管理", 7)));
    assert_eq!(p.checklist.groups.len(), 11);
}

#[test]
fn from_file_names_the_file() {
    let dir = std::env::temp_dir().join(format!("risksheet-profile-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("bad.toml");
    std::fs::write(&path, "extends = \"ipa-3\"\n[cia]\nmin = 3\nmax = 1\n").expect("write");
    let err = Profile::from_file(&path).unwrap_err();
    assert_eq!(err.file.as_deref(), Some(path.as_path()));
    let msg = profile_message(err);
    assert!(msg.contains("cia"), "{msg}");
    assert!(Profile::from_file(dir.join("missing.toml")).is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn readme_example_loads() {
    let readme = include_str!("../../data/profiles/README.md");
    let example = readme.split("```toml\n").nth(1).and_then(|rest| rest.split("```").next()).expect("README has a toml example");
    let p = Profile::from_toml_str(example).unwrap_or_else(|e| panic!("README example: {e}"));
    assert_eq!(p.id, "acme");
    assert_eq!(p.find_group("協力会社管理").map(|(id, _)| id), Some("outsourcing"));
}
