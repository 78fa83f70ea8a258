use super::*;

#[test]
fn shifts_relative_only() {
    assert_eq!(shift("A1+$A$1+A$1+$A1", 1, 1), "B2+$A$1+B$1+$A2");
    assert_eq!(shift("SUM(A:A,1:1)", 2, 3), "SUM(D:D,3:3)");
    assert_eq!(shift("A1", -1, 0), "#REF!");
    assert_eq!(shift("\"A1\"&A1", 1, 0), "\"A1\"&A2");
    assert_eq!(shift("LOG10(A1)+ABC1", 1, 0), "LOG10(A2)+ABC2");
    assert_eq!(shift("[1]Sheet1!A1+'x y'!B2", 1, 0), "[1]Sheet1!A2+'x y'!B3");
    assert_eq!(shift("1E+10+A1*1.5", 1, 0), "1E+10+A2*1.5");
    assert_eq!(shift("IF(#REF!=1,TRUE,A1)", 1, 0), "IF(#REF!=1,TRUE,A2)");
    assert_eq!(shift("INDEX(脅威の状況!$D$5:$D$30,MATCH(F5,脅威の状況!$B$5:$B$30,0))", 1, 0), "INDEX(脅威の状況!$D$5:$D$30,MATCH(F6,脅威の状況!$B$5:$B$30,0))");
}

#[test]
fn finds_references() {
    let r = references("SUM('My Sheet'!A1:B2)+MyName+INDIRECT(\"A1\")+[1]X!A1");
    assert_eq!(r.ranges, vec![SheetRange { sheet: Some("My Sheet".to_string()), last_sheet: None, range: Range::parse("A1:B2").unwrap() }]);
    assert_eq!(r.names, vec!["MyName".to_string()]);
    assert!(r.dynamic);
    assert!(!references("A1*2").dynamic);
}

#[test]
fn finds_3d_references() {
    let sheets = |f: &str| references(f).ranges.into_iter().map(|r| (r.sheet, r.last_sheet, r.range.to_string())).collect::<Vec<_>>();
    let s = |x: &str| Some(x.to_string());
    assert_eq!(sheets("SUM(Sheet1:Sheet4!C1)"), [(s("Sheet1"), s("Sheet4"), "C1".into())]);
    assert_eq!(sheets("SUM('My sheet:Other'!A1:B2)+A1:B2"), [(s("My sheet"), s("Other"), "A1:B2".into()), (None, None, "A1:B2".into())]);
    assert_eq!(sheets("台帳:集計!$A$1"), [(s("台帳"), s("集計"), "A1".into())]);
    assert!(references("SUM(Sheet1:Sheet4!C1)").names.is_empty());
    assert_eq!(shift("SUM(Sheet1:Sheet4!C1)+'a:b'!A1", 1, 0), "SUM(Sheet1:Sheet4!C2)+'a:b'!A2");
}

#[test]
fn finds_structured_references() {
    let rows = |headers, data, totals, this_row| TableRows { headers, data, totals, this_row };
    let t = |table: Option<&str>, cols: Option<(&str, &str)>, rows: TableRows| TableRef {
        table: table.map(str::to_string),
        columns: cols.map(|(a, b)| (a.to_string(), b.to_string())),
        rows,
    };
    let data = rows(false, true, false, false);
    let this = rows(false, false, false, true);
    for (f, want) in [
        ("Table1[Col]", t(Some("Table1"), Some(("Col", "Col")), data)),
        ("Table1[[#This Row],[Col]]*2", t(Some("Table1"), Some(("Col", "Col")), this)),
        ("SUM(Table1[#All])", t(Some("Table1"), None, rows(true, true, true, false))),
        ("SUM(Table1[[Col1]:[Col2]])", t(Some("Table1"), Some(("Col1", "Col2")), data)),
        ("SUM(Table1[])", t(Some("Table1"), None, data)),
        ("[@Col]+1", t(None, Some(("Col", "Col")), this)),
        ("表1[@[金 額]]", t(Some("表1"), Some(("金 額", "金 額")), this)),
        ("T[[#Headers],[#Data],[a'[1']]]", t(Some("T"), Some(("a[1]", "a[1]")), rows(true, true, false, false))),
        ("T[ [#Totals], [B] ]", t(Some("T"), Some(("B", "B")), rows(false, false, true, false))),
    ] {
        let r = references(f);
        assert!(!r.dynamic, "{f}");
        assert_eq!(r.tables, vec![want], "{f}");
        assert!(r.names.is_empty(), "{f}");
        assert_eq!(shift(f, 1, 1), f, "copied as it is");
    }
    for f in ["Table1[#Bogus]", "Table1[[A]x]", "Table1[A]:Table1[C]", "Table1[[A]"] {
        assert!(references(f).dynamic, "{f}");
    }
}

#[test]
fn never_panics_on_garbage() {
    for f in ["'", "\"", "[", "A1:", ":", "#", "'a'!", "a!", "$", "$$1", "1:", "[1]", "((", "Ｆ１＋１"] {
        let _ = shift(f, 1, 1);
        let _ = references(f);
    }
}
