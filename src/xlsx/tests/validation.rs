use super::*;

#[test]
fn renders_rules() {
    let r = Range::parse("J5:L9").unwrap();
    let x = DataValidation::new(r, Rule::WholeBetween(1, 3)).with_ime_mode("off").to_xml_prefixed("x:");
    assert!(x.starts_with("<x:dataValidation type=\"whole\" operator=\"between\""));
    assert!(x.contains("imeMode=\"off\""));
    assert!(x.contains("<x:formula1>1</x:formula1><x:formula2>3</x:formula2>"));
    let l = DataValidation::list(r, &["a\"b", "有"]).to_xml();
    assert!(l.contains(r#"<formula1>"a""b,有"</formula1>"#), "{l}");
}

#[test]
fn renders_a_date_rule() {
    let r = Range::parse("F5:I9").unwrap();
    let x = DataValidation::new(r, Rule::DateBetween(1, 2_958_465)).to_xml();
    assert!(x.starts_with("<dataValidation type=\"date\" operator=\"between\""), "{x}");
    assert!(x.contains("<formula1>1</formula1><formula2>2958465</formula2>"), "{x}");
}
