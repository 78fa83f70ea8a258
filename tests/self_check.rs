//! The 25-item self check (自社診断, issue 16) through the CLI: `new --edition self-check` as a
//! new file and added in place to a risk analysis workbook, answered with `edit`, computed by
//! `fill`, read by `inspect --json` and `report`.
use std::fs;
use std::path::Path;

mod common;
use common::{fails, ok};

fn inspect(book: &Path) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(&ok(&["inspect", book.to_str().unwrap(), "--json"])).unwrap();
    v["ipa"]["self_check"].clone()
}

/// `edit` arguments answering items 1–25 (rows 5–29 of the sheet `new` writes) in column `col`;
/// an empty answer leaves the item blank.
fn answers(sheet: &str, col: &str, answer: impl Fn(u32) -> &'static str) -> Vec<String> {
    (1..=25).filter(|&n| !answer(n).is_empty()).flat_map(|n| ["--set".to_string(), format!("{sheet}!{col}{}={}", n + 4, answer(n))]).collect()
}

fn edit(book: &Path, sets: &[String]) {
    let mut args = vec!["edit", book.to_str().unwrap()];
    args.extend(sets.iter().map(String::as_str));
    ok(&args);
}

fn cell(book: &Path, at: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(&ok(&["get", book.to_str().unwrap(), at, "--json"])).unwrap();
    v[0][1].clone()
}

#[test]
fn all_implemented_is_100_and_entry_level() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("sc.xlsx");
    ok(&["new", book.to_str().unwrap(), "--edition", "self-check"]);
    let fresh = inspect(&book);
    assert_eq!(fresh["items"].as_array().unwrap().len(), 25);
    assert_eq!(fresh["unanswered"].as_array().unwrap().len(), 25);
    edit(&book, &answers("自社診断", "D", |_| "実施している"));
    let out = ok(&["fill", book.to_str().unwrap()]);
    assert!(out.contains("100 / 100 点（入門レベル達成）"), "{out}");
    let s = inspect(&book);
    assert_eq!(s["total"], 100.0);
    assert_eq!(s["band"], "入門レベル達成");
    assert_eq!(s["unknown"], serde_json::json!([]));
    let parts: Vec<f64> = s["parts"].as_array().unwrap().iter().map(|p| p["subtotal"].as_f64().unwrap()).collect();
    assert_eq!(parts, [20.0, 52.0, 28.0]);
    let item = &s["items"][0];
    assert_eq!(
        (item["number"].as_u64(), item["part"].as_u64(), item["answer"].as_str(), item["points"].as_f64()),
        (Some(1), Some(1), Some("実施している"), Some(4.0))
    );
    // The total and band are formulas with the value cached (block at G4: parts H6–H8, total H9).
    let total = cell(&book, "自社診断!H9");
    assert_eq!((total["value"].as_f64(), total["formula"].as_str()), (Some(100.0), Some("SUM(H6,H7,H8)")));
    assert_eq!(cell(&book, "自社診断!H10")["value"], "入門レベル達成");
}

#[test]
fn a_mix_with_unknowns_gives_the_total_and_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("sc.xlsx");
    ok(&["new", book.to_str().unwrap(), "--edition", "self-check"]);
    // 3 and 21 分からない (−1), 8 一部 (2), 16 ×: not done (0), 12 blank; the rest 4.
    let answer = |n| match n {
        3 | 21 => "分からない",
        8 => "一部",
        16 => "×",
        12 => "",
        _ => "実施している",
    };
    edit(&book, &answers("自社診断", "D", answer));
    let out = ok(&["fill", book.to_str().unwrap()]);
    // 20 × 4 − 1 − 1 + 2 + 0 = 80 (item 12 unanswered: 0).
    assert!(out.contains("80 / 100 点（部分的に不十分）、分からない: 3、21、未回答: 12"), "{out}");
    assert!(out.contains("「一部」→「一部実施している」") && out.contains("「×」→「実施していない」"), "{out}");
    let s = inspect(&book);
    assert_eq!((s["total"].as_f64(), s["band"].as_str()), (Some(80.0), Some("部分的に不十分")));
    assert_eq!(s["unknown"], serde_json::json!([3, 21]));
    assert_eq!(s["unanswered"], serde_json::json!([12]));
    assert_eq!(cell(&book, "自社診断!H12")["value"], "3、21");
    assert_eq!(cell(&book, "自社診断!D12")["value"], "一部実施している");
    // report: each weak item with the policy chapter covering it, weakest first.
    let report = ok(&["report", book.to_str().unwrap()]);
    let at = |s: &str| report.find(s).unwrap_or_else(|| panic!("{s} in {report}"));
    assert!(at("| 3 | パスワード") < at("| 16 | 退社時") && at("| 16 | 退社時") < at("| 8 | 重要な情報を電子メール"));
    assert!(report.contains("| 分からない | -1 | 4 アクセス制御及び認証 |"), "{report}");
    assert!(report.contains("| 12 | 重要な書類") && report.contains("| 未回答 | - | 5 物理的対策 |"), "{report}");
}

#[test]
fn added_to_a_risk_analysis_in_place_with_two_sites_taking_the_minimum() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book.xlsx");
    fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("workbooks/example-ipa-3-filled.xlsx"), &book).unwrap();
    let before = inspect_sheets(&book);
    ok(&["new", "--add-to", book.to_str().unwrap(), "--edition", "self-check", "--sites", "本社,工場"]);
    let after = inspect_sheets(&book);
    assert_eq!(after[..before.len()], before[..], "the workbook's own sheets are kept as they were");
    assert_eq!(after.last().unwrap().0, "自社診断");
    // 本社 all done; 工場 done but item 2 partly and item 5 分からない: the minimum counts.
    let mut sets = answers("自社診断", "D", |_| "実施している");
    sets.extend(answers("自社診断", "E", |n| match n {
        2 => "一部実施している",
        5 => "分からない",
        _ => "実施している",
    }));
    edit(&book, &sets);
    ok(&["fill", book.to_str().unwrap()]);
    let s = inspect(&book);
    assert_eq!(s["answer_columns"], serde_json::json!(["D", "E"]));
    assert_eq!((s["total"].as_f64(), s["unknown"].clone()), (Some(100.0 - 2.0 - 5.0), serde_json::json!([5])));
    assert_eq!(s["items"][4]["answer"], "実施している / 分からない");
    // The risk analysis is still read as before.
    let v: serde_json::Value = serde_json::from_str(&ok(&["inspect", book.to_str().unwrap(), "--json"])).unwrap();
    assert_eq!(v["ipa"]["assets"].as_array().unwrap().len(), 8);
}

#[test]
fn mean_rule_from_a_profile_of_ones_own() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("sc.xlsx");
    let profile = dir.path().join("mean.toml");
    fs::write(&profile, "extends = \"ipa-3\"\nid = \"mean\"\n[self_check]\naggregate = \"mean\"\n").unwrap();
    ok(&["new", book.to_str().unwrap(), "--edition", "self-check", "--sites", "A,B", "--profile", profile.to_str().unwrap()]);
    let mut sets = answers("自社診断", "D", |_| "実施している");
    sets.extend(answers("自社診断", "E", |n| if n == 1 { "分からない" } else { "実施している" }));
    edit(&book, &sets);
    ok(&["fill", book.to_str().unwrap(), "--profile", profile.to_str().unwrap()]);
    let s = inspect_with(&book, &profile);
    // Item 1: (4 + −1) / 2 = 1.5.
    assert_eq!((s["items"][0]["points"].as_f64(), s["total"].as_f64()), (Some(1.5), Some(97.5)));
    assert_eq!(cell(&book, "自社診断!F5")["value"], 1.5);
}

#[test]
fn bad_use_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("sc.xlsx");
    fails(&["new", "--edition", "self-check"], "--add-to", "どちらか");
    fails(&["new", book.to_str().unwrap(), "--add-to", book.to_str().unwrap(), "--edition", "self-check"], "--add-to", "どちらか");
    let missing = dir.path().join("missing.xlsx");
    fails(&["new", "--add-to", missing.to_str().unwrap(), "--edition", "self-check"], "missing.xlsx", "");
    let profile = dir.path().join("bad.toml");
    fs::write(&profile, "extends = \"ipa-3\"\n[self_check]\nbands = [{ min = 50, label = \"x\" }]\n").unwrap();
    fails(&["new", book.to_str().unwrap(), "--edition", "self-check", "--profile", profile.to_str().unwrap()], "bad.toml", "self_check.bands");
    assert!(!book.exists());
}

fn inspect_with(book: &Path, profile: &Path) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(&ok(&["inspect", book.to_str().unwrap(), "--json", "--profile", profile.to_str().unwrap()])).unwrap();
    v["ipa"]["self_check"].clone()
}

/// Each sheet's name, cells, formulas, validations and merges.
fn inspect_sheets(book: &Path) -> Vec<(String, u64, u64, u64, u64)> {
    let v: serde_json::Value = serde_json::from_str(&ok(&["inspect", book.to_str().unwrap(), "--json"])).unwrap();
    let n = |s: &serde_json::Value, k: &str| s[k].as_u64().unwrap_or(0);
    v["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap().to_string(), n(s, "cells"), n(s, "formulas"), n(s, "validations"), n(s, "merges")))
        .collect()
}
