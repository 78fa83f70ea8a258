use super::*;

fn kinds(text: &str, bare: bool) -> Vec<RefKind> {
    find(text, Catalog::bundled(), Context { bare_ids: bare, ..Context::default() }).refs.into_iter().map(|r| r.kind).collect()
}
fn c(id: &str) -> RefKind {
    RefKind::Control(id.into())
}

#[test]
fn shapes() {
    assert_eq!(kinds("A.12.6.1", false), [c("A.12.6.1")]);
    assert_eq!(kinds("A12.6.1", false), [c("A.12.6.1")]);
    assert_eq!(kinds("Ａ．１２．６．１", false), [c("A.12.6.1")]);
    assert_eq!(kinds("附属書A.12.6.1", false), [c("A.12.6.1")]);
    assert_eq!(kinds("附属書 12.6.1 による", false), [c("A.12.6.1")]);
    assert_eq!(kinds("12.6.1", false), []);
    assert_eq!(kinds("12.6.1", true), [c("A.12.6.1")]);
    assert_eq!(kinds("A. 12.6.1", false), [c("A.12.6.1")]);
    assert_eq!(kinds("（A.12.6.1）", false), [c("A.12.6.1")]);
}

#[test]
fn not_references() {
    for t in ["DATA.12.6.1", "A.12.6.1.2x", "v1.2.3", "192.168.1.10", "A1", "A.8.8", "5.18", "A12.6.1a", "A.5"] {
        assert_eq!(kinds(t, false), [], "{t}");
    }
    assert_eq!(kinds("192.168.1.10", true), []);
    assert_eq!(kinds("手順書 5.1.1 版", false), []);
}

#[test]
fn unknown_ones_are_reported() {
    assert_eq!(kinds("A.19.1.1", false), [RefKind::Unknown("A.19.1.1".into())]);
    let objective = RefKind::Objective { id: "A.9.2".into(), ids: (1..=6).map(|n| format!("A.9.2.{n}")).collect() };
    assert_eq!(kinds("A.9.2", false), [objective]);
    assert_eq!(kinds("A.10.5.1", false), [RefKind::Unknown("A.10.5.1".into())]);
    assert_eq!(kinds("A.13.2.3〜A.13.2.1", false), [RefKind::Unknown("A.13.2.3〜A.13.2.1".into())]);
    assert_eq!(kinds("99.1.1", true), [RefKind::Unknown("A.99.1.1".into())]);
}

#[test]
fn lists_and_ranges() {
    let cat = Catalog::bundled();
    let f = find("A.9.2.5, A.9.2.6 及び A.9.4.1 / 本文 A.12.6.1", cat, Context::default());
    assert_eq!(f.refs.len(), 4);
    assert_eq!(f.groups, vec![0..3, 3..4]);
    let ids = |t: &str| find(t, cat, Context::default()).refs.iter().flat_map(|r| r.ids()).collect::<Vec<_>>();
    assert_eq!(ids("A.13.2.1〜A.13.2.3"), ["A.13.2.1", "A.13.2.2", "A.13.2.3"]);
    assert_eq!(ids("A.13.2.1～13.2.3"), ["A.13.2.1", "A.13.2.2", "A.13.2.3"]);
    assert_eq!(ids("A.13.2.1-3"), ["A.13.2.1", "A.13.2.2", "A.13.2.3"]);
    assert_eq!(ids("A.13.2.1 から A.13.2.2"), ["A.13.2.1", "A.13.2.2"]);
    assert_eq!(ids("Ａ．１３．２．１〜Ａ．１３．２．２"), ["A.13.2.1", "A.13.2.2"]);
    assert_eq!(find("A.9.2.5・A.9.2.6", cat, Context::default()).groups, vec![0..2]);
}

#[test]
fn titles() {
    let cat = Catalog::bundled();
    let t = "A.12.6.1: Management of technical vulnerabilities, A.9.2.6 アクセス権の削除又は修正";
    let f = find(t, cat, Context::default());
    let ti = f.refs[0].title.clone().unwrap();
    assert_eq!(&t[ti.span], "Management of technical vulnerabilities");
    assert_eq!(ti.lang, Lang::En);
    assert!(f.refs[1].title.is_none(), "2013 ja titles are not bundled");
    // a 2022 title that is only a prefix of the following word is not a title
    let t = "A.9.2.6 アクセス権の削除";
    assert!(find(t, cat, Context::default()).refs[0].title.is_none());
    let t = "A.9.2.6 アクセス権";
    assert_eq!(find(t, cat, Context::default()).refs[0].span, 0..t.len());
    let t = "A.7.2.2（情報セキュリティの意識向上、教育及び訓練）";
    let f = find(t, cat, Context::default());
    assert_eq!(&t[f.refs[0].title.clone().unwrap().span], "情報セキュリティの意識向上、教育及び訓練");
}
