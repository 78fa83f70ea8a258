//! Columns headed in the words of the seeds' own documents are found: seed 001 (the ISMS
//! training text) heads the risk column 「リスクレベル」, where the IPA sheet says 「リスク値」.
mod common;
use common::*;

#[test]
fn a_risk_column_headed_risk_level_is_found_and_filled() {
    let d = tempfile::tempdir().unwrap();
    let book = d.path().join("台帳.xlsx");
    std::fs::copy(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("workbooks/example-ipa-3.xlsx"), &book).unwrap();
    let b = book.to_str().unwrap();
    ok(&["edit", b, "--set-text", "情報資産管理台帳!T4=リスクレベル"]);
    for profile in [None, Some("lv3")] {
        let mut args = vec!["inspect", b, "--json"];
        args.extend(profile.iter().flat_map(|p| ["--profile", p]));
        let v: serde_json::Value = serde_json::from_str(&ok(&args)).unwrap();
        assert_eq!(v["ipa"]["layout"]["ledger"]["columns"]["risk"], "T", "{profile:?}");
    }
    let o = bin().args(["fill", b, "--profile", "lv3"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // 重要度 3 × 被害発生可能性 2 = 6 in the column the user headed リスクレベル, its priority beside it
    let got = ok(&["get", b, "情報資産管理台帳!T5", "情報資産管理台帳!U5"]);
    assert!(got.contains("情報資産管理台帳!T5\t6\t="), "{got}");
    assert!(got.contains("2:今期中に対応"), "{got}");
}
