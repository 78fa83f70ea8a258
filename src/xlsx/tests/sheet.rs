use super::*;

const SHEET: &str = r#"<?xml version="1.0"?><worksheet xmlns="x"><dimension ref="A1:C3"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="2"><f t="shared" ref="B1:B3" si="0">A1*2</f><v>4</v></c></row><row r="2"><c r="B2"><f t="shared" si="0"/><v>6</v></c><c t="inlineStr"><is><r><t>ab</t></r><rPh><t>x</t></rPh></is></c></row><row r="3"/><row r="5"><c r="A5"><f t="array" ref="A5:A6">SUM(B1:B2*2)</f><v>1</v></c></row></sheetData><pageMargins left="1"/></worksheet>"#;

#[test]
fn indexes_a_sheet() {
    let ix = SheetIndex::scan("s", SHEET).unwrap();
    let names: Vec<_> = ix.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["dimension", "sheetData", "pageMargins"]);
    assert_eq!(ix.rows.iter().map(|r| r.r).collect::<Vec<_>>(), [1, 2, 3, 5]);
    assert_eq!((ix.cells, ix.formulas), (5, 3));
    assert_eq!(ix.shared[&0].text, "A1*2");
    assert_eq!(ix.arrays, vec![Range::parse("A5:A6").unwrap()]);
    assert_eq!(ix.dimension(SHEET).as_deref(), Some("A1:C3"));
    assert_eq!(ix.insertion_point("dataValidations"), ix.child("pageMargins").unwrap().start);
    let cells = ix.row_cells("s", SHEET, &ix.rows[1]).unwrap();
    assert_eq!(cells[1].at, CellRef::new(2, 3)); // implicit column after B2
    assert_eq!(cells[1].inline.as_deref(), Some("ab"));
    assert_eq!(cells[0].v(SHEET).as_deref(), Some("6"));
}

#[test]
fn bad_sheets_are_errors() {
    for bad in ["", "<worksheet>", "<foo/>", "<worksheet><sheetData><row r=\"x\"/></sheetData></worksheet>", "<worksheet><sheetData><row><c r=\"1A\"/></row></sheetData></worksheet>"] {
        assert!(SheetIndex::scan("s", bad).is_err(), "{bad}");
    }
}
