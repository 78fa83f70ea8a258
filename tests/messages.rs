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
    assert!(stderr(&en).contains("cannot read or write the file"), "{}", stderr(&en));
    let ja = bin().args(["inspect", m]).output().unwrap();
    assert!(stderr(&ja).contains("ファイルを読み書きできません"), "{}", stderr(&ja));
}

#[test]
fn an_unknown_language_is_refused_before_anything_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let b = ledger_with_word_in_number_column(dir.path());
    let before = std::fs::read(&b).unwrap();
    let o = bin().args(["--lang", "xx", "fill", &b]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o).trim(), "risksheet: --lang xx: ja か en を指定してください");
    assert_eq!(std::fs::read(&b).unwrap(), before);
    let o = bin().env("RISKSHEET_LANG", "fr").args(["inspect", &b]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
