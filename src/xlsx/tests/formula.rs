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
    assert_eq!(r.ranges, vec![(Some("My Sheet".to_string()), Range::parse("A1:B2").unwrap())]);
    assert_eq!(r.names, vec!["MyName".to_string()]);
    assert!(r.dynamic);
    let r = references("Table1[[#This Row],[Col]]*2");
    assert!(r.dynamic);
    assert!(!references("A1*2").dynamic);
}

#[test]
fn never_panics_on_garbage() {
    for f in ["'", "\"", "[", "A1:", ":", "#", "'a'!", "a!", "$", "$$1", "1:", "[1]", "((", "Ｆ１＋１"] {
        let _ = shift(f, 1, 1);
        let _ = references(f);
    }
}
