//! Unit tests of [`super`] (`src/domain/text.rs`).
use super::*;

#[test]
fn narrows_full_width_and_half_width_kana() {
    assert_eq!(to_narrow("２：特定"), "2:特定");
    assert_eq!(to_narrow("ｻｰﾊﾞｰ"), "サーバー");
    assert_eq!(to_narrow("ﾊﾟｿｺﾝ"), "パソコン");
    assert_eq!(to_narrow("ﾃﾞｨｽｸ ｶﾞ ﾂﾞ ﾄﾞ"), "ディスク ガ ヅ ド");
    assert_eq!(to_narrow("ﾌﾞﾌﾟ"), "ブプ");
}

#[test]
fn keys_ignore_spaces_and_case() {
    assert_eq!(normalize_key(" 社内\nサーバー "), "社内サーバー");
    assert_eq!(normalize_key("ＩＴ機器利用"), "it機器利用");
}

#[test]
fn number_prefixes() {
    assert_eq!(split_number_prefix("(1) 組織的セキュリティ対策"), (Some(1), "組織的セキュリティ対策"));
    assert_eq!(split_number_prefix("（１１）情報セキュリティ"), (Some(11), "情報セキュリティ"));
    assert_eq!(split_number_prefix("10.委託管理"), (Some(10), "委託管理"));
    assert_eq!(split_number_prefix("IT機器利用"), (None, "IT機器利用"));
    assert_eq!(split_number_prefix("5分でできる"), (None, "5分でできる"));
}

#[test]
fn trailing_notes() {
    let key = normalize_key("脅威の発生頻度（「脅威の状況」シートで設定）");
    assert_eq!(strip_trailing_note(&key), "脅威の発生頻度");
    assert_eq!(strip_trailing_note("重要度"), "重要度");
}
