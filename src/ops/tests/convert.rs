use super::*;

fn conv(t: &str, bare: bool) -> String {
    match convert_text(t, Catalog::bundled(), Context { bare_ids: bare, ..Context::default() }) {
        Outcome::Converted(c) => c.text,
        Outcome::None => "<none>".into(),
        Outcome::Review(r) => format!("<review {r}>"),
    }
}

#[test]
fn shapes_convert_in_their_notation() {
    assert_eq!(conv("A.12.6.1", false), "A.8.8");
    assert_eq!(conv("A12.6.1", false), "A.8.8");
    assert_eq!(conv("12.6.1", true), "8.8");
    assert_eq!(conv("Ａ．１２．６．１", false), "Ａ．８．８");
    assert_eq!(conv("附属書A.12.6.1 に従う", false), "附属書A.8.8 に従う");
    assert_eq!(conv("（参照：A.6.1.2）です", false), "（参照：A.5.3）です");
}

#[test]
fn lists_merges_split_ranges() {
    assert_eq!(conv("A.9.2.5, A.9.2.6", false), "A.5.18");
    assert_eq!(conv("A.9.2.1・A.9.2.2", false), "A.5.16・A.5.18");
    assert_eq!(conv("A.18.2.3", false), "A.5.36, A.8.8");
    assert_eq!(conv("対策 A.18.2.3 済", false), "対策 A.5.36、A.8.8 済");
    assert_eq!(conv("A.13.2.1〜A.13.2.3", false), "A.5.14");
    assert_eq!(conv("A.13.2.1〜A.13.2.4", false), "A.5.14、A.6.6");
    assert_eq!(conv("A.9.2.5 と A.12.6.1", false), "A.5.18 と A.8.8");
}

#[test]
fn titles_are_replaced() {
    assert_eq!(conv("A.12.6.1 技術的ぜい弱性の管理", false), "A.8.8 技術的ぜい弱性の管理");
    assert_eq!(conv("A.6.1.2 Segregation of duties", false), "A.5.3 Segregation of duties");
    assert_eq!(conv("A.9.2.6 Removal or adjustment of access rights", false), "A.5.18 Access rights");
    assert_eq!(
        conv("A.18.2.3（Technical compliance review）", false),
        "A.5.36（Compliance with policies, rules and standards for information security）、A.8.8（Management of technical vulnerabilities）"
    );
}

#[test]
fn japanese_2013_titles_from_a_loaded_catalogue() {
    let mut cat = Catalog::bundled().clone();
    cat.apply_titles("A.9.2.6,アクセス権の削除又は修正\n").unwrap();
    let t = "A.9.2.6 アクセス権の削除又は修正";
    assert!(matches!(convert_text(t, Catalog::bundled(), Context::default()), Outcome::Converted(c) if c.text == "A.5.18 アクセス権の削除又は修正"));
    assert!(matches!(convert_text(t, &cat, Context::default()), Outcome::Converted(c) if c.text == "A.5.18 アクセス権"));
}

#[test]
fn unknown_and_ambiguous_need_review() {
    assert!(conv("A.19.1.1", false).starts_with("<review"));
    assert!(conv("A.12.6.1, A.9.2", false).starts_with("<review"));
    assert!(conv("12.6.1", false).starts_with("<review"));
    assert_eq!(conv("手順書 12.6.1 章", false), "<none>");
    assert_eq!(conv("A.8.8", false), "<none>");
    assert_eq!(conv("", false), "<none>");
}

#[test]
fn a_title_before_the_id_is_replaced_too() {
    assert_eq!(conv("技術的ぜい弱性の管理（A.12.6.1）", false), "技術的ぜい弱性の管理（A.8.8）");
    assert_eq!(conv("Management of technical vulnerabilities: A.12.6.1", false), "Management of technical vulnerabilities: A.8.8");
    // 2005: 操作手順書 A.10.1.1 becomes the 2022 title of its successor through 2013 A.12.1.1
    let c = match convert_text("操作手順書 A.10.1.1", Catalog::bundled(), Context { edition: Edition::Iso2005, ..Context::default() }) {
        Outcome::Converted(c) => c.text,
        other => panic!("{other:?}"),
    };
    assert_eq!(c, format!("{} A.5.37", Catalog::bundled().control_2022("5.37").unwrap().title_ja));
    // a word that is not the title is left alone
    assert_eq!(conv("対策（A.12.6.1）", false), "対策（A.8.8）");
}
