//! The language of messages is the caller's, passed where a message is made: `--lang en` gives
//! English messages (a cell's own text quoted as it is), `--lang ja` Japanese, anything else is
//! an error before any file is read.
mod common;
use common::*;

/// A copy of the shipped example with 「高」 typed where a number 1–3 belongs (J5, 機密性).
fn ledger_with_word_in_number_column(dir: &std::path::Path) -> String {
    let book = dir.join("台帳.xlsx");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("workbooks/example-ipa-3.xlsx"), &book).unwrap();
    let b = book.to_str().unwrap().to_string();
    ok(&["edit", &b, "--set-text", "情報資産管理台帳!J5=高"]);
    b
}

use std::path::Path;

#[test]
fn fill_warnings_follow_the_message_language() {
    let dir = tempfile::tempdir().unwrap();
    let b = ledger_with_word_in_number_column(dir.path());
    let en = bin().args(["--lang", "en", "fill", &b, "--dry-run"]).output().unwrap();
    assert_eq!(en.status.code(), Some(3), "{}", stderr(&en));
    let out = stdout(&en);
    assert!(out.contains("情報資産管理台帳!J5: expected a number 1–3, found 「高」"), "{out}");
    assert!(!out.contains("の数値"), "Japanese wording left in English output: {out}");
    let ja = bin().args(["--lang", "ja", "fill", &b, "--dry-run"]).output().unwrap();
    assert!(stdout(&ja).contains("情報資産管理台帳!J5: 1〜3の数値 を入力してください（「高」が入っています）"), "{}", stdout(&ja));
}

#[test]
fn errors_follow_the_message_language() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.xlsx");
    let m = missing.to_str().unwrap();
    let en = bin().args(["--lang", "en", "inspect", m]).output().unwrap();
    assert_eq!(en.status.code(), Some(1));
    assert_eq!(stderr(&en).trim(), format!("risksheet: {m}: no such file"));
    let ja = bin().args(["inspect", m]).output().unwrap();
    assert_eq!(stderr(&ja).trim(), format!("risksheet: {m}: ファイルがありません"));
}

/// One failing run: exit 1, no panic, the one line of standard error.
fn error_line(lang: &str, args: &[&str]) -> String {
    let o = bin().args(["--lang", lang]).args(args).output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
    assert!(!err.contains("panicked") && err.trim_end().lines().count() == 1, "{err}");
    err.trim_end().to_string()
}

#[test]
fn errors_name_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let b = ledger_with_word_in_number_column(dir.path());
    let before = std::fs::read(&b).unwrap();
    // A cell without its sheet: the form to write.
    let e = error_line("ja", &["edit", &b, "--set", "A1=3"]);
    assert!(e.ends_with("「A1=3」にシートの指定がありません。「台帳!A1=3」のように シート名!セル=値 の形で書いてください"), "{e}");
    let e = error_line("en", &["edit", &b, "--set", "A1=3"]);
    assert!(e.ends_with("'A1=3' names no sheet: write SHEET!CELL=VALUE, as in 'Sheet1!A1=3'"), "{e}");
    let e = error_line("en", &["edit", &b, "--set", "情報資産管理台帳!A1"]);
    assert!(e.ends_with("'情報資産管理台帳!A1' has no value: write SHEET!CELL=VALUE, as in '情報資産管理台帳!A1=1'"), "{e}");
    assert_eq!(std::fs::read(&b).unwrap(), before, "nothing written");
    // Row 0, with or without a sheet, and a column past XFD: what is wrong, not a missing sheet.
    for (target, ja, en) in [
        (
            "台帳!A0",
            "セル番地「台帳!A0」を解釈できません：0行目はありません（行は1から始まります）",
            "invalid cell address '台帳!A0': row 0 does not exist (rows start at 1)",
        ),
        ("A0", "セル番地「A0」を解釈できません：0行目はありません（行は1から始まります）", "invalid cell address 'A0': row 0 does not exist (rows start at 1)"),
        (
            "台帳!XFE1",
            "セル番地「台帳!XFE1」を解釈できません：列 XFE はありません（最後の列は XFD）",
            "invalid cell address '台帳!XFE1': there is no column XFE (the last column is XFD)",
        ),
        (
            "B3",
            "「B3」にシートの指定がありません。「台帳!B3」のように シート名!セル の形で書いてください",
            "'B3' names no sheet: write SHEET!CELL, as in 'Sheet1!B3'",
        ),
    ] {
        assert_eq!(error_line("ja", &["get", &b, target]), format!("risksheet: {b}: {ja}"));
        assert_eq!(error_line("en", &["get", &b, target]), format!("risksheet: {b}: {en}"));
    }
    // A missing sheet is named without the cell.
    let e = error_line("en", &["get", &b, "ない!B2"]);
    assert!(e.contains("no sheet named 'ない' (sheets: 利用方法,"), "{e}");
    // A folder given as a workbook; a path through a file.
    let folder = dir.path().join("folder.xlsx");
    std::fs::create_dir(&folder).unwrap();
    let e = error_line("en", &["get", folder.to_str().unwrap(), "台帳!A1"]);
    assert!(e.ends_with("folder.xlsx: a directory, not a file"), "{e}");
    let e = error_line("en", &["get", &format!("{b}/x.xlsx"), "台帳!A1"]);
    assert!(e.ends_with("x.xlsx: a part of the path is not a folder"), "{e}");
    let e = error_line("ja", &["get", &format!("{b}/x.xlsx"), "台帳!A1"]);
    assert!(e.ends_with("x.xlsx: パスの途中にフォルダーでないものがあります"), "{e}");
}

#[test]
fn an_unknown_language_is_refused_before_anything_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let b = ledger_with_word_in_number_column(dir.path());
    let before = std::fs::read(&b).unwrap();
    let o = bin().args(["--lang", "xx", "fill", &b]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).trim(), "risksheet: --lang xx: ja か en を指定してください / --lang xx: expected ja or en");
    assert_eq!(std::fs::read(&b).unwrap(), before);
    let o = bin().env("RISKSHEET_LANG", "fr").args(["inspect", &b]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
