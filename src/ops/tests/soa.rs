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
    let ids = |t: &str, b| cited(t, cat, b, b).into_iter().map(|(_, n)| n).collect::<Vec<_>>();
    assert_eq!(ids("A.18.2.3", false), ["5.36", "8.8"]);
    assert_eq!(ids("A.5.18", true), ["5.18"]);
    assert_eq!(ids("5.18", false), Vec::<String>::new());
    assert_eq!(ids("9.2.5", true), ["5.18"]);
}
