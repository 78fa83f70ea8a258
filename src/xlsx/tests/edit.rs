use super::*;

#[test]
fn renders_cells() {
    let at = CellRef::new(2, 3);
    assert_eq!(render_cell("", at, Some(4), &Content::Value(CellValue::Number(2.5))), r#"<c r="C2" s="4"><v>2.5</v></c>"#);
    assert_eq!(
        render_cell("x:", at, None, &Content::Value(" a&b".into())),
        r#"<x:c r="C2" t="inlineStr"><x:is><x:t xml:space="preserve"> a&amp;b</x:t></x:is></x:c>"#
    );
    assert_eq!(
        render_cell("", at, None, &Content::Formula("IF(A1>1,\"大\",\"小\")".into(), Some("大".into()))),
        r#"<c r="C2" t="str"><f>IF(A1&gt;1,"大","小")</f><v>大</v></c>"#
    );
    assert_eq!(render_cell("", at, None, &Content::Formula("A1".into(), None)), r#"<c r="C2"><f>A1</f></c>"#);
}

fn edit(xml: &str, cells: &[((u32, u32), Pending)]) -> String {
    let ix = SheetIndex::scan("s", xml).unwrap();
    let mut e = SheetEdits::default();
    for (k, v) in cells {
        e.cells.insert(*k, v.clone());
    }
    render_sheet("s", xml, &ix, &e).unwrap()
}

fn value(v: f64) -> Pending {
    Pending { content: Some(Content::Value(CellValue::Number(v))), ..Default::default() }
}

#[test]
fn splices_only_what_changes() {
    let xml = r#"<worksheet><dimension ref="A1:B2"/><sheetData><row r="1" spans="1:2"><c r="A1"><v>1</v></c><c r="B1" s="3"><f>A1*2</f><v>2</v></c></row><row r="3"><c r="A3"><v>5</v></c></row></sheetData></worksheet>"#;
    let out = edit(xml, &[((1, 1), value(7.0)), ((2, 2), value(9.0)), ((1, 3), value(1.0))]);
    assert_eq!(
        out,
        r#"<worksheet><dimension ref="A1:C2"/><sheetData><row r="1" spans="1:3"><c r="A1"><v>7</v></c><c r="B1" s="3"><f>A1*2</f><v>2</v></c><c r="C1"><v>1</v></c></row><row r="2"><c r="B2"><v>9</v></c></row><row r="3"><c r="A3"><v>5</v></c></row></sheetData></worksheet>"#
    );
    let dropped = edit(xml, &[((1, 2), Pending { drop_cache: true, ..Default::default() })]);
    assert!(dropped.contains(r#"<c r="B1" s="3"><f>A1*2</f></c>"#), "{dropped}");
}

#[test]
fn rows_out_of_order_are_edited_where_they_are() {
    // Found by the sheet_xml fuzz target: overlapping row spans once panicked. LibreOffice reads
    // such a file, so an edit goes to the row it shows; a new row goes before the first row (in
    // file order) numbered after it.
    let xml = r#"<worksheet><sheetData><row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>2</v></c></row></sheetData></worksheet>"#;
    let out = edit(xml, &[((2, 1), value(9.0)), ((1, 1), value(4.0)), ((4, 1), value(5.0))]);
    assert_eq!(
        out,
        r#"<worksheet><sheetData><row r="1"><c r="A1"><v>4</v></c></row><row r="3"><c r="A3"><v>1</v></c></row><row r="2"><c r="A2"><v>9</v></c></row><row r="4"><c r="A4"><v>5</v></c></row></sheetData></worksheet>"#
    );
    assert!(SheetIndex::scan("s", r#"<worksheet><sheetData><row r="0"/></sheetData></worksheet>"#).is_err());
}

#[test]
fn a_cell_stored_twice_is_written_in_its_last_copy_and_the_others_dropped() {
    // LibreOffice shows the last copy of a cell stored twice, in one row or in a repeated row.
    let xml = r#"<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c><c r="A1"><v>2</v></c><c r="B1"><v>3</v></c></row><row r="1"><c r="B1"><v>4</v></c></row></sheetData></worksheet>"#;
    let out = edit(xml, &[((1, 1), value(7.0)), ((1, 2), value(8.0))]);
    assert_eq!(out, r#"<worksheet><sheetData><row r="1"><c r="A1"><v>7</v></c></row><row r="1"><c r="B1"><v>8</v></c></row></sheetData></worksheet>"#);
    // A cached value dropped goes to the copy shown; the other copy is left as it is.
    let xml = r#"<worksheet><sheetData><row r="1"><c r="A1"><f>1</f><v>1</v></c><c r="A1"><f>2</f><v>2</v></c></row></sheetData></worksheet>"#;
    let out = edit(xml, &[((1, 1), Pending { drop_cache: true, ..Default::default() })]);
    assert_eq!(out, r#"<worksheet><sheetData><row r="1"><c r="A1"><f>1</f><v>1</v></c><c r="A1"><f>2</f></c></row></sheetData></worksheet>"#);
}

#[test]
fn empty_sheet_data_and_implicit_refs() {
    let out = edit("<worksheet><sheetData/></worksheet>", &[((2, 1), value(1.0))]);
    assert_eq!(out, r#"<worksheet><sheetData><row r="2"><c r="A2"><v>1</v></c></row></sheetData></worksheet>"#);
    let out = edit("<worksheet><sheetData><row><c><v>1</v></c><c><v>2</v></c></row></sheetData></worksheet>", &[((1, 1), value(3.0))]);
    assert_eq!(out, r#"<worksheet><sheetData><row><c r="A1"><v>3</v></c><c r="B1"><v>2</v></c></row></sheetData></worksheet>"#);
}
