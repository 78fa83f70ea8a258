use super::*;

#[test]
fn spans_and_kinds() {
    let xml = "<?xml version=\"1.0\"?><a x=\"1>2\"><!-- c --><b/>t&amp;u<![CDATA[<z>]]></a>";
    let toks: Vec<Token> = Scanner::new(xml).map(Result::unwrap).collect();
    let kinds: Vec<TokenKind> = toks.iter().map(|t| t.kind).collect();
    use TokenKind::*;
    assert_eq!(kinds, vec![Other, Start, Other, Empty, Text, CData, End]);
    assert_eq!(attr(toks[1].text(xml), "x").as_deref(), Some("1>2"));
    assert_eq!(unescape(toks[4].text(xml)), "t&u");
}

#[test]
fn malformed_is_an_error_not_a_panic() {
    for bad in ["<a", "<a x=\"1", "<!-- x", "<![CDATA[", "< >"] {
        assert!(Scanner::new(bad).any(|t| t.is_err()), "{bad}");
    }
}

#[test]
fn attributes_edit() {
    let t = r#"<c r="A1" s="2" t="s">"#;
    assert_eq!(set_attr(t, "s", "5"), r#"<c r="A1" s="5" t="s">"#);
    assert_eq!(set_attr("<x/>", "a", "<"), r#"<x a="&lt;"/>"#);
    assert_eq!(remove_attr(t, "t"), r#"<c r="A1" s="2">"#);
    assert_eq!(attr(r#"<x:c x:r="B2"/>"#, "r").as_deref(), Some("B2"));
}

#[test]
fn latin1_parts_are_decoded() {
    let t = as_text("p", b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>S\xe9rie</a>").unwrap();
    assert_eq!(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a>S\u{e9}rie</a>");
    assert!(as_text("p", b"\xff\xfe<").is_err());
}

#[test]
fn text_escaping_keeps_quotes() {
    assert_eq!(escape_text(r#""a"&"b""#), r#""a"&amp;"b""#);
    assert_eq!(escape_text(r#"x"y"#), r#"x"y"#);
    assert_eq!(escape_text(r#""<""#), r#""&lt;""#);
}

#[test]
fn escaping() {
    assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    assert_eq!(unescape("&#x41;&#66;&bogus;"), "AB&bogus;");
}

#[test]
fn finds_elements() {
    let xml = "<w><a><b/></a><b>x</b></w>";
    assert_eq!(find_element(xml, "a").unwrap(), Some((3, 14)));
    assert_eq!(find_element(xml, "b").unwrap(), Some((6, 10)));
    assert_eq!(find_element(xml, "zz").unwrap(), None);
}

#[test]
fn well_formed_trees_only() {
    let check = |xml: &str| check_well_formed_stream(xml.as_bytes());
    assert!(check(r#"<?xml version="1.0"?><a><b x="1"/>t</a>"#).is_ok());
    assert!(check("<a><b></a></b>").is_err());
    assert!(check("<a></a><a></a>").is_err());
}

#[test]
fn well_formed_stream_reads_in_pieces() {
    let xml = format!("<a>{}</a>", "<b>t</b>".repeat(1_000_000));
    assert!(check_well_formed_stream(xml.as_bytes()).is_ok());
    assert!(check_well_formed_stream(&xml.as_bytes()[..xml.len() - 1]).is_err());
}
