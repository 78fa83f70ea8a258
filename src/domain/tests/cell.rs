//! Unit tests of [`super`] (`src/domain/cell.rs`).
use super::*;

fn ipa21() -> Profile {
    Profile::builtin("ipa-2.1").expect("ipa-2.1 loads")
}
fn level(text: &str, scale: Scale) -> Result<Option<u8>> {
    parse_level(CellInput::Text(text), scale)
}
fn expected_of(e: Error) -> (String, String) {
    match e.into_kind() {
        ErrorKind::InvalidValue { expected, found } => (expected.get(crate::Lang::Ja).to_string(), found),
        other => panic!("unexpected error kind {other:?}"),
    }
}

#[test]
fn levels_from_text_and_numbers() {
    let p = ipa21();
    let cia = p.cia;
    assert_eq!(level("2", cia).unwrap(), Some(2));
    assert_eq!(level("２", cia).unwrap(), Some(2));
    assert_eq!(level(" 0 ", cia).unwrap(), Some(0));
    assert_eq!(level("2.0", cia).unwrap(), Some(2));
    assert_eq!(level("　", cia).unwrap(), None);
    assert_eq!(parse_level(CellInput::Number(2.0), cia).unwrap(), Some(2));
    assert_eq!(parse_level(2.0.into(), cia).unwrap(), Some(2));
}

#[test]
fn levels_from_label_texts() {
    let p = ipa21();
    let t = p.threat.scale();
    for l in &p.threat.levels {
        assert_eq!(level(&l.label, t).unwrap(), Some(l.value), "{}", l.label);
    }
    for l in &p.vulnerability.levels {
        assert_eq!(level(&l.label, p.vulnerability.scale()).unwrap(), Some(l.value));
    }
    assert_eq!(level("3：通常の状態で発生する（いつ発生してもおかしくない）", t).unwrap(), Some(3));
    assert_eq!(level("3通常の状態で発生する（いつ発生してもおかしくない）", t).unwrap(), Some(3));
    assert_eq!(level("1:通常では発生しない（数年に1回未満）", t).unwrap(), Some(1));
    assert_eq!(level("２：部分的に脆弱性未対策", p.vulnerability.scale()).unwrap(), Some(2));
}

#[test]
fn bad_levels_are_errors_in_japanese() {
    let p = ipa21();
    assert_eq!(expected_of(level("高", p.cia).unwrap_err()), ("0〜2の数値".into(), "高".into()));
    assert_eq!(expected_of(level("3", p.cia).unwrap_err()), ("0〜2の数値".into(), "3".into()));
    assert_eq!(expected_of(level("可能性:高", p.threat.scale()).unwrap_err()).0, "1〜3の数値");
    assert_eq!(expected_of(parse_level(CellInput::Number(2.5), p.cia).unwrap_err()), ("0〜2の数値".into(), "2.5".into()));
    assert!(level("12", p.threat.scale()).is_err());
    assert!(level("-1", p.cia).is_err());
    assert!(parse_level(CellInput::Bool(true), p.cia).is_err());
}

#[test]
fn flags() {
    for yes in ["有", "○", "〇", "●", "✓", "あり", "Yes", "１"] {
        assert!(parse_flag(CellInput::Text(yes)).unwrap(), "{yes}");
    }
    for no in ["", " ", "無", "×", "なし", "-", "0"] {
        assert!(!parse_flag(CellInput::Text(no)).unwrap(), "{no}");
    }
    assert!(parse_flag(CellInput::Number(1.0)).unwrap());
    assert!(!parse_flag(CellInput::Bool(false)).unwrap());
    assert_eq!(expected_of(parse_flag(CellInput::Text("高")).unwrap_err()), ("「有」または空欄".into(), "高".into()));
}

#[test]
fn answers() {
    let p = ipa21();
    for a in &p.checklist.answers {
        assert_eq!(parse_answer(CellInput::Text(&a.label), &p).unwrap(), Some(CheckAnswer(a.value)));
    }
    assert_eq!(parse_answer(CellInput::Text("４：自社に該当しない"), &p).unwrap(), Some(CheckAnswer(4)));
    assert_eq!(parse_answer(CellInput::Number(2.0), &p).unwrap(), Some(CheckAnswer(2)));
    assert_eq!(parse_answer(CellInput::Blank, &p).unwrap(), None);
    let (expected, found) = expected_of(parse_answer(CellInput::Text("5"), &p).unwrap_err());
    assert_eq!(found, "5");
    assert!(expected.starts_with("1〜4の回答"), "{expected}");
}

#[test]
fn media_names() {
    let p = ipa21();
    let name = |t: &str| parse_medium(CellInput::Text(t), &p).unwrap().map(|m| m.id.as_str());
    assert_eq!(name("社内サーバ"), Some("server"));
    assert_eq!(name(" 社内 サーバー "), Some("server"));
    assert_eq!(name("ｻｰﾊﾞｰ"), Some("server"));
    assert_eq!(name("事務所ＰＣ"), Some("office-pc"));
    assert_eq!(name("事務所pc"), Some("office-pc"));
    assert_eq!(name("クラウドサービス"), Some("cloud"));
    assert_eq!(name(""), None);
    let (expected, found) = expected_of(parse_medium(CellInput::Text("金庫"), &p).unwrap_err());
    assert_eq!(found, "金庫");
    assert_eq!(expected, "媒体・保存先（書類／可搬電子媒体／事務所PC／モバイル機器／社内サーバー／クラウドのいずれか）");
}
