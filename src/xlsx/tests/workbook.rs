use super::*;

#[test]
fn resolves_targets() {
    assert_eq!(resolve_target("xl/", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
    assert_eq!(resolve_target("xl/", "/xl/styles.xml"), "xl/styles.xml");
    assert_eq!(resolve_target("xl/worksheets/", "../drawings/d.xml"), "xl/drawings/d.xml");
    assert_eq!(rels_of("xl/workbook.xml"), "xl/_rels/workbook.xml.rels");
}

#[test]
fn shared_strings_skip_phonetics() {
    let x = r#"<sst><si><t>情報</t><rPh sb="0" eb="2"><t>ジョウホウ</t></rPh></si><si><r><t>a</t></r><r><t xml:space="preserve"> b_x000D_</t></r></si><si/></sst>"#;
    assert_eq!(parse_shared_strings("s", x).unwrap(), vec!["情報".to_string(), "a b\r".into(), String::new()]);
}

#[test]
fn calc_pr() {
    let x = r#"<workbook><sheets/><calcPr calcId="1"/></workbook>"#;
    assert_eq!(set_full_calc_on_load("w", x).unwrap(), r#"<workbook><sheets/><calcPr calcId="1" fullCalcOnLoad="1"/></workbook>"#);
    let x = r#"<workbook><sheets/><extLst/></workbook>"#;
    assert_eq!(set_full_calc_on_load("w", x).unwrap(), r#"<workbook><sheets/><calcPr fullCalcOnLoad="1"/><extLst/></workbook>"#);
}

#[test]
fn dxfs() {
    let x = r#"<styleSheet><cellStyles/><dxfs count="0"/><tableStyles/></styleSheet>"#;
    assert_eq!(add_dxfs("s", x, &["<dxf/>".into()]).unwrap(), r#"<styleSheet><cellStyles/><dxfs count="1"><dxf/></dxfs><tableStyles/></styleSheet>"#);
    let x = r#"<styleSheet><cellStyles/><tableStyles/></styleSheet>"#;
    assert_eq!(add_dxfs("s", x, &["<dxf/>".into()]).unwrap(), r#"<styleSheet><cellStyles/><dxfs count="1"><dxf/></dxfs><tableStyles/></styleSheet>"#);
}
