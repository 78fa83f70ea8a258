//! What `inspect` and `fill` print for a person: tables aligned by the width a terminal gives each
//! character (a CJK character takes two), fields named in the user's words rather than internal
//! keys, the ◎/○ marks explained once, and the assets left without a risk value counted with why.
mod common;
use common::*;
use risksheet::text::display_width;
use std::path::{Path, PathBuf};

fn example_copy(dir: &Path) -> PathBuf {
    let b = dir.join("ledger.xlsx");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("workbooks/example-ipa-3.xlsx"), &b).unwrap();
    b
}

fn inspect(lang: &str, book: &Path) -> String {
    let o = bin().args(["--lang", lang, "inspect", book.to_str().unwrap()]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// The display column at which each line's `n`-th field (split on runs of spaces) ends.
fn field_ends(lines: &[&str], n: usize) -> Vec<usize> {
    lines
        .iter()
        .map(|l| {
            let mut seen = 0;
            let mut in_field = false;
            for (i, c) in l.char_indices() {
                let starts = c != ' ' && !in_field;
                in_field = c != ' ';
                if starts {
                    seen += 1;
                }
                if seen == n + 1 && !in_field {
                    return display_width(&l[..i]);
                }
            }
            display_width(l)
        })
        .collect()
}

/// The display column at which a line's `n`-th field (split on runs of spaces) starts.
fn field_start(line: &str, n: usize) -> usize {
    let mut seen = 0;
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        if c != ' ' && prev == ' ' {
            if seen == n {
                return display_width(&line[..i]);
            }
            seen += 1;
        }
        prev = c;
    }
    display_width(line)
}

#[test]
fn tables_align_by_display_width() {
    let dir = tempfile::tempdir().unwrap();
    let b = example_copy(dir.path());
    for lang in ["ja", "en"] {
        let out = inspect(lang, &b);
        // The sheet table: its header and one line per sheet (CJK names of 2 to 8 characters).
        let table: Vec<&str> = out.lines().skip(2).take(9).collect();
        assert!(table[4].contains("情報資産管理台帳") && table[8].contains("集計"), "{out}");
        let ends = field_ends(&table[1..], 1);
        assert!(ends.iter().all(|&e| e == ends[0]), "the dimension column ends at one place: {ends:?}\n{out}");
        let ends = field_ends(&table, 5);
        assert!(ends.iter().all(|&e| e == ends[0]), "the last column ends at one place: {ends:?}\n{out}");
        // The assets: the numbers after the name and the medium start in one column.
        let assets: Vec<&str> = out.lines().skip_while(|l| !l.contains("(importance") && !l.contains("（重要度")).skip(1).take(8).collect();
        assert_eq!(assets.len(), 8, "{out}");
        let starts: Vec<usize> = assets.iter().map(|l| field_start(l, 3)).collect();
        assert!(starts.iter().all(|&s| s == starts[0]), "{starts:?}\n{out}");
    }
}

#[test]
fn fields_are_named_in_the_users_words_and_marks_explained_once() {
    let dir = tempfile::tempdir().unwrap();
    let b = example_copy(dir.path());
    let en = inspect("en", &b);
    assert!(en.lines().any(|l| l.trim_start().starts_with("Medium / location") && l.contains("「媒体・保存先」")), "{en}");
    assert!(en.lines().any(|l| l.trim_start().starts_with("Confidentiality") && l.contains("「機密性」")), "{en}");
    let ja = inspect("ja", &b);
    assert!(ja.lines().any(|l| l.trim_start().starts_with("業務分類") && l.contains("「業務分類」")), "{ja}");
    for out in [&en, &ja] {
        // No internal key leads an evidence line.
        for key in ["business ", "asset ", "medium ", "importance ", "frequency ", "answer "] {
            assert!(!out.lines().any(|l| l.starts_with(&format!("    {key}"))), "{key}: {out}");
        }
        assert_eq!(out.matches('◎').count(), 3, "two chapters and the one explanation: {out}");
    }
    assert_eq!(en.lines().filter(|l| l.contains("◎ needed by every company, ○ needed depending on")).count(), 1, "{en}");
    assert_eq!(ja.lines().filter(|l| l.contains("◎ すべての企業に必要、○ 実施率や会社の状況によって必要")).count(), 1, "{ja}");
    // The JSON keeps the keys.
    let json: serde_json::Value = serde_json::from_str(&ok(&["inspect", b.to_str().unwrap(), "--json"])).unwrap();
    let fields: Vec<&str> =
        json["ipa"]["layout"]["ledger"]["evidence"].as_array().map(|v| v.iter().map(|e| e["field"].as_str().unwrap()).collect()).unwrap_or_default();
    assert!(fields.is_empty() || fields.contains(&"medium"), "{fields:?}");
    assert!(ok(&["inspect", b.to_str().unwrap(), "--json"]).contains("\"field\": \"medium\""));
}

#[test]
fn fill_says_how_many_assets_have_no_risk_value_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let b = example_copy(dir.path());
    let s = b.to_str().unwrap();
    // Two assets with a C/I/A value blank, one with no medium.
    ok(&["edit", s, "--set-text", "情報資産管理台帳!J5=", "--set-text", "情報資産管理台帳!K6=", "--set-text", "情報資産管理台帳!F7="]);
    let ja = ok(&["fill", s, "--dry-run"]);
    assert!(ja.contains("リスク値を計算できなかった資産: 3 件（2件は重要度が未入力（機密性・完全性・可用性）、1件は媒体・保存先が未入力）"), "{ja}");
    let en = stdout(&bin().args(["--lang", "en", "fill", s, "--dry-run"]).output().unwrap());
    assert!(en.contains("assets without a risk value: 3 (2 without an importance (confidentiality, integrity, availability not all entered); 1 without a medium or place of storage)"), "{en}");
    let json: serde_json::Value = serde_json::from_str(&ok(&["fill", s, "--dry-run", "--json"])).unwrap();
    assert_eq!(json["fill"]["not_evaluated"], serde_json::json!([{"missing": "importance", "assets": 2}, {"missing": "medium", "assets": 1}]));
    // A complete ledger says nothing of it.
    let clean = dir.path().join("clean.xlsx");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("workbooks/example-ipa-3.xlsx"), &clean).unwrap();
    let out = ok(&["fill", clean.to_str().unwrap(), "--dry-run"]);
    assert!(!out.contains("計算できなかった"), "{out}");
}
