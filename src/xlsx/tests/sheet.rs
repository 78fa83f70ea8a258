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
    for bad in [
        "",
        "<worksheet>",
        "<foo/>",
        "<worksheet><sheetData><row r=\"x\"/></sheetData></worksheet>",
        "<worksheet><sheetData><row><c r=\"1A\"/></row></sheetData></worksheet>",
    ] {
        assert!(SheetIndex::scan("s", bad).is_err(), "{bad}");
    }
}

/// A sheet of `rows` rows, with a shared formula column, an array formula, and `extra` spliced
/// into the middle row's first cell.
fn big_sheet(rows: u32, middle: &str) -> String {
    let mut x = String::from(r#"<?xml version="1.0"?><worksheet xmlns="x"><dimension ref="A1:C9"/><sheetData>"#);
    for r in 1..=rows {
        let a = if r == rows / 2 { middle.to_string() } else { format!(r#"<c r="A{r}" t="inlineStr"><is><t>資産{r}</t></is></c>"#) };
        let f = if r == 1 { format!(r#"<f t="shared" ref="C1:C{rows}" si="0">B1*2</f>"#) } else { r#"<f t="shared" si="0"/>"#.to_string() };
        x += &format!(r#"<row r="{r}">{a}<c r="B{r}"><v>{r}</v></c><c r="C{r}">{f}<v>{}</v></c></row>"#, r * 2);
    }
    x += r#"<row r="99999"><c r="A99999"><f t="array" ref="A99999:A100000">B1:B2</f><v>1</v></c></row>"#;
    x += r#"</sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells><pageMargins left="1"/></worksheet>"#;
    x
}

fn same_index(a: &SheetIndex, b: &SheetIndex) {
    let spans = |ix: &SheetIndex| ix.rows.iter().map(|r| (r.r, r.start, r.tag_end, r.end)).collect::<Vec<_>>();
    let children = |ix: &SheetIndex| ix.children.iter().map(|c| (c.name.clone(), c.start, c.end)).collect::<Vec<_>>();
    assert_eq!(spans(a), spans(b));
    assert_eq!(children(a), children(b));
    assert_eq!((a.cells, a.formulas, a.max_si, a.root_end), (b.cells, b.formulas, b.max_si, b.root_end));
    assert_eq!(a.arrays, b.arrays);
    assert_eq!(a.shared.keys().collect::<Vec<_>>(), b.shared.keys().collect::<Vec<_>>());
}

#[test]
fn a_large_sheet_indexed_in_runs_is_indexed_as_in_one() {
    let xml = big_sheet(60_000, r#"<c r="A30000" t="inlineStr"><is><t>x</t></is></c>"#);
    assert!(xml.len() > 4 << 20);
    let runs = SheetIndex::scan_in_runs(&xml);
    if std::thread::available_parallelism().map_or(1, |n| n.get()) > 1 {
        same_index(&runs.expect("split in runs").unwrap(), &SheetIndex::scan_inner(&xml).unwrap());
    }
    same_index(&SheetIndex::scan("s", &xml).unwrap(), &SheetIndex::scan_inner(&xml).unwrap());
}

#[test]
fn markup_inside_text_or_rows_without_numbers_fall_back_to_one_run() {
    // CDATA holding row markup across the split point, and a row without `r`: each run would
    // misread them, so the scan is done in one run and still right.
    let cdata = format!(r#"<c r="A30000" t="str"><v><![CDATA[{}]]></v></c>"#, r#"<row r="5"><c r="A5"/></row>"#.repeat(200_000));
    let xml = big_sheet(60_000, &cdata);
    assert!(SheetIndex::scan_in_runs(&xml).is_none());
    same_index(&SheetIndex::scan("s", &xml).unwrap(), &SheetIndex::scan_inner(&xml).unwrap());
    assert_eq!(SheetIndex::scan("s", &xml).unwrap().rows.len(), 60_001);
    let unnumbered = big_sheet(60_000, "").replace(r#"<row r="40000">"#, "<row>");
    let ix = SheetIndex::scan("s", &unnumbered).unwrap();
    assert!(ix.rows.iter().any(|r| r.r == 40_000));
    same_index(&ix, &SheetIndex::scan_inner(&unnumbered).unwrap());
}

#[test]
fn row_elements_outside_sheet_data_are_not_taken_for_rows() {
    // An unknown top-level element after <sheetData> holding <row> elements, where the split
    // point falls: the runs must not count them as the sheet's rows.
    let sheet = big_sheet(20_000, "");
    let foreign: String = (1..=150_000).map(|r| format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#)).collect();
    let xml = sheet.replace("</sheetData>", &format!("</sheetData><foo>{foreign}</foo>"));
    assert!(xml.len() > 4 << 20);
    let one = SheetIndex::scan_inner(&xml).unwrap();
    assert_eq!(one.rows.len(), 20_001);
    same_index(&SheetIndex::scan("s", &xml).unwrap(), &one);
}
