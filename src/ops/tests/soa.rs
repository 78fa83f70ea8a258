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
    let ids = |t: &str, b| match cited(t, cat, Edition::Iso2013, b, b) {
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
    // The reference parser reads a lower-case (or full-width) prefix itself.
    let cat = Catalog::bundled();
    let ids = |t: &str| find(t, cat, Context::default()).refs.iter().flat_map(|r| r.ids()).collect::<Vec<_>>();
    assert_eq!(ids("a.12.2.1"), ["A.12.2.1"]);
    assert_eq!(ids("see ａ．１２．２．１ and a.9.2.1"), ["A.12.2.1", "A.9.2.1"]);
    assert!(find("data.12.2.1 a.1.2 abc", cat, Context::default()).refs.is_empty());
    assert!(find("規程 5.1", cat, Context::default()).refs.is_empty());
}

#[test]
fn id_cells() {
    let cat = Catalog::bundled();
    assert!(matches!(read_id_cell("A.5.1", cat, Edition::Iso2013, true), IdCell::Objective(o, c) if o == "A.5.1" && c == ["A.5.1.1", "A.5.1.2"]));
    assert!(matches!(read_id_cell("A.5.1", cat, Edition::Iso2013, false), IdCell::Ids2022(ids) if ids == ["5.1"]));
    assert!(matches!(read_id_cell("A.9.2 利用者アクセスの管理", cat, Edition::Iso2013, false), IdCell::Objective(o, _) if o == "A.9.2"));
    assert!(matches!(read_id_cell("A.19.1.1", cat, Edition::Iso2013, true), IdCell::Unreadable(_)));
    assert!(matches!(read_id_cell("a.12.2.1", cat, Edition::Iso2013, true), IdCell::Pairs(p) if p == [("A.12.2.1".to_string(), "8.7".to_string())]));
    assert!(matches!(read_id_cell("A.8.8", cat, Edition::Iso2013, true), IdCell::Unreadable(_)));
    assert!(matches!(read_id_cell("アクセス制御", cat, Edition::Iso2013, true), IdCell::Nothing));
}

#[test]
fn id_cells_of_2005() {
    let cat = Catalog::bundled();
    // 2005 A.14.1.3 (business continuity) through 2013 A.17.1.2 to 5.29, not 8.26
    assert!(
        matches!(read_id_cell("A.14.1.3", cat, Edition::Iso2005, true), IdCell::Pairs(p) if p.iter().all(|(o, n)| o == "A.14.1.3" && n != "8.26") && p.iter().any(|(_, n)| n == "5.29"))
    );
    assert!(matches!(read_id_cell("A.10.1", cat, Edition::Iso2005, true), IdCell::Objective(o, c) if o == "A.10.1" && c.len() == 4));
    assert!(matches!(read_id_cell("A.6.1.1", cat, Edition::Iso2005, true), IdCell::Unreadable(_)), "removed in 2013");
}
