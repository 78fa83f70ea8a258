use super::*;

#[test]
fn marks() {
    assert_eq!(parse_applicable("Ｙｅｓ"), Some(true));
    assert_eq!(parse_applicable(" × "), Some(false));
    assert_eq!(parse_implemented("N/A"), Some(Implemented::NotApplicable));
    assert_eq!(parse_implemented("?"), None);
}

#[test]
fn cited_ids() {
    let cat = Catalog::bundled();
    let ids = |t: &str, b| match cited(t, cat, b, b) {
        Cites::Ids(ids) => ids.into_iter().map(|(_, n)| n).collect::<Vec<_>>(),
        Cites::Review(m) => panic!("{t}: {}", m.get(Lang::En)),
    };
    assert_eq!(ids("A.18.2.3", false), ["5.36", "8.8"]);
    assert_eq!(ids("A.5.18", true), ["5.18"]);
    assert_eq!(ids("5.18", false), Vec::<String>::new());
    assert_eq!(ids("9.2.5", true), ["5.18"]);
}

#[test]
fn lower_case_prefix_only_before_control_ids() {
    assert_eq!(capital_prefix("a.12.2.1"), "A.12.2.1");
    assert_eq!(capital_prefix("see ａ．１２．２．１ and a.9.2"), "see Ａ．１２．２．１ and A.9.2");
    assert_eq!(capital_prefix("data.12.2.1 a.1.2 abc"), "data.12.2.1 a.1.2 abc");
    assert!(matches!(capital_prefix("規程 5.1"), std::borrow::Cow::Borrowed(_)));
}

#[test]
fn id_cells() {
    let cat = Catalog::bundled();
    assert!(matches!(read_id_cell("A.5.1", cat, true), IdCell::Objective(o, c) if o == "A.5.1" && c == ["A.5.1.1", "A.5.1.2"]));
    assert!(matches!(read_id_cell("A.5.1", cat, false), IdCell::Ids2022(ids) if ids == ["5.1"]));
    assert!(matches!(read_id_cell("A.9.2 利用者アクセスの管理", cat, false), IdCell::Objective(o, _) if o == "A.9.2"));
    assert!(matches!(read_id_cell("A.19.1.1", cat, true), IdCell::Unreadable(_)));
    assert!(matches!(read_id_cell("a.12.2.1", cat, true), IdCell::Pairs(p) if p == [("A.12.2.1".to_string(), "8.7".to_string())]));
    assert!(matches!(read_id_cell("A.8.8", cat, true), IdCell::Unreadable(_)));
    assert!(matches!(read_id_cell("アクセス制御", cat, true), IdCell::Nothing));
}
