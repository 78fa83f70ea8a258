use super::parse;

#[test]
fn quotes_and_line_ends() {
    let rows = parse("\u{feff}a,b\r\n\"x \"\"y\"\"\",\"1\n2\"\n\n,\n").unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0], (1, vec!["a".to_string(), "b".to_string()]));
    assert_eq!(rows[1], (2, vec!["x \"y\"".to_string(), "1\n2".to_string()]));
    assert_eq!(rows[2], (5, vec![String::new(), String::new()]));
    assert!(parse("a,\"b\n").is_err());
    assert_eq!(parse("a,b").unwrap().len(), 1);
}

#[test]
fn a_quoted_comma_stays_in_its_field() {
    let rows = parse("id,title\n5.1,\"a, b\"\n").unwrap();
    assert_eq!(rows[1].1, vec!["5.1".to_string(), "a, b".to_string()]);
}
