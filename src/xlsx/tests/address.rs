use super::*;

#[test]
fn columns_round_trip() {
    for n in [1, 26, 27, 52, 53, 702, 703, 16384] {
        assert_eq!(col_number(&col_letters(n)), Some(n));
    }
    assert_eq!(col_letters(16384), "XFD");
    assert_eq!(col_number("XFE"), None);
}

#[test]
fn cell_refs() {
    assert_eq!(CellRef::parse("$C$7").unwrap(), CellRef::new(7, 3));
    assert_eq!(CellRef::parse("ｂ３").unwrap(), CellRef::new(3, 2));
    for bad in ["", "A", "1", "A0", "A01", "XFE1", "A1048577", "高", "A-1"] {
        assert!(CellRef::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn sheet_cells() {
    let s = SheetCell::parse("情報資産管理台帳!M5").unwrap();
    assert_eq!((s.sheet.as_str(), s.cell), ("情報資産管理台帳", CellRef::new(5, 13)));
    let s = SheetCell::parse("'It''s here'!A1").unwrap();
    assert_eq!(s.sheet, "It's here");
    assert_eq!(s.to_string(), "'It''s here'!A1");
    assert_eq!(SheetCell::parse("台帳！Ａ１").unwrap().cell, CellRef::new(1, 1));
    for bad in ["A1", "!A1", "'x!A1", "S!", "S!ZZZZ1"] {
        assert!(SheetCell::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn quoting() {
    assert_eq!(quote_sheet_name("台帳"), "台帳");
    assert_eq!(quote_sheet_name("Sheet1"), "Sheet1");
    assert_eq!(quote_sheet_name("My Sheet"), "'My Sheet'");
    assert_eq!(quote_sheet_name("A1"), "'A1'");
}

#[test]
fn ranges() {
    let r = Range::parse("B2:A1").unwrap();
    assert_eq!(r.to_string(), "A1:B2");
    assert!(r.contains(CellRef::new(2, 2)));
    assert!(!r.contains(CellRef::new(3, 2)));
    assert_eq!(Range::parse_list("A1 C3:D4").unwrap().len(), 2);
}
