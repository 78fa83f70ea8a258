use super::*;
use crate::xlsx::workbook::calc_chain::set_full_calc_on_load;

#[test]
fn resolves_targets() {
    assert_eq!(resolve_target("xl/", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
    assert_eq!(resolve_target("xl/", "/xl/styles.xml"), "xl/styles.xml");
    assert_eq!(resolve_target("xl/worksheets/", "../drawings/d.xml"), "xl/drawings/d.xml");
    assert_eq!(rels_of("xl/workbook.xml"), "xl/_rels/workbook.xml.rels");
}

#[test]
fn shared_strings_skip_phonetics() {
    let x =
        r#"<sst><si><t>情報</t><rPh sb="0" eb="2"><t>ジョウホウ</t></rPh></si><si><r><t>a</t></r><r><t xml:space="preserve"> b_x000D_</t></r></si><si/></sst>"#;
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

/// A workbook of one sheet 「S」 with the given sheet data and shared strings part.
fn book(sheet_data: &str, shared_strings: &str) -> Workbook {
    use std::io::Write;
    let parts = [
        ("[Content_Types].xml", r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
        ("xl/workbook.xml", r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#.to_string()),
        ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#)),
        ("xl/sharedStrings.xml", shared_strings.to_string()),
    ];
    let mut zw = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, text) in parts {
        zw.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zw.write_all(text.as_bytes()).unwrap();
    }
    Workbook::from_bytes("t.xlsx", zw.finish().unwrap().into_inner(), &Limits::default()).unwrap()
}

#[test]
fn a_cell_that_does_not_use_shared_strings_is_read_past_a_broken_strings_part() {
    let mut wb = book(r#"<row r="1"><c r="A1"><v>7</v></c><c r="B1" t="s"><v>0</v></c></row>"#, "<sst><si><t>broken");
    assert_eq!(wb.value("S", CellRef::new(1, 1)).unwrap(), CellValue::Number(7.0));
    assert_eq!(wb.cell("S", CellRef::new(9, 9)).unwrap(), None);
    assert!(wb.value("S", CellRef::new(1, 2)).is_err(), "a cell that uses them says the part is broken");
}

#[test]
fn reading_values_and_reading_formulas_agree_on_which_cells_have_one() {
    // C1 is the child of a shared formula whose anchor is missing: no formula can be given for it.
    let mut wb = book(
        r#"<row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1"><f t="shared" ref="B1:B2" si="0">A1</f><v>2</v></c><c r="C1"><f t="shared" si="3"/></c></row><row r="2"><c r="B2"><f t="shared" si="0"/><v>0</v></c></row>"#,
        "<sst/>",
    );
    let with_text: Vec<bool> = wb.cells("S").unwrap().iter().map(|c| c.formula.is_some()).collect();
    let without: Vec<bool> = wb.stored_cells("S", false).unwrap().iter().map(|c| c.formula.is_some()).collect();
    assert_eq!(with_text, [true, true, false, true]);
    assert_eq!(without, with_text);
}
