//! `risksheet new --edition lv3 | isms-seminar` through the CLI: the register workbook (資産目録,
//! the register, リスク対応計画) with its sheets in tab order, the same refusals as the IPA
//! template, a user's profile that extends a register edition, and a profile whose sheet names
//! Excel cannot hold. (Looks, dropdowns and printing: tests/test_register_template.py.)
use std::fs;

mod common;
use common::{fails, ok, run, stderr};
use risksheet::xlsx::{CellRef, Workbook};

#[test]
fn writes_the_three_sheets_of_each_register_edition() {
    let dir = tempfile::tempdir().unwrap();
    // The list of controls: two columns right of the form (21 columns for lv3's one factor, 23
    // for the seminar's two).
    for (edition, register, list_col) in [("lv3", "リスクアセスメント結果報告書", 23), ("isms-seminar", "リスク一覧", 25)] {
        let out = dir.path().join(format!("{edition}.xlsx"));
        let said = ok(&["new", out.to_str().unwrap(), "--edition", edition]);
        assert!(said.contains("資産目録・リスク一覧・リスク対応計画"), "{said}");
        let mut wb = Workbook::open(&out).unwrap();
        // The register computed at once: its summary sheet follows the three.
        assert_eq!(wb.sheet_names(), ["資産目録", register, "リスク対応計画", "リスク対応集計"]);
        assert_eq!(wb.value(register, CellRef::parse("A1").unwrap()).unwrap().to_string(), register);
        // The 2022 controls the 附属書A dropdown offers: all 93.
        let names: Vec<String> = (5..=97).map(|r| wb.value(register, CellRef::new(r, list_col)).unwrap().to_string()).collect();
        assert_eq!((names[0].as_str(), names.len()), ("5.1 情報セキュリティのための方針群", 93), "{names:?}");
        assert!(names[92].starts_with("8.34 "), "{names:?}");
    }
}

#[test]
fn refuses_what_the_ipa_template_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let txt = dir.path().join("r.txt");
    fails(&["new", txt.to_str().unwrap(), "--edition", "lv3"], "r.txt", ".xlsx");
    assert!(!txt.exists());
    let out = dir.path().join("r.xlsx");
    fs::write(&out, b"mine").unwrap();
    fails(&["new", out.to_str().unwrap(), "--edition", "isms-seminar"], "r.xlsx", "--force");
    assert_eq!(fs::read(&out).unwrap(), b"mine", "left as it was");
    ok(&["new", out.to_str().unwrap(), "--edition", "isms-seminar", "--force"]);
    assert_eq!(Workbook::open(&out).unwrap().sheet_names()[1], "リスク一覧");
}

#[test]
fn a_profile_extending_a_register_edition_writes_its_own_headers() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("acme.toml");
    fs::write(
        &toml,
        "extends = \"lv3\"\nid = \"acme\"\n[headers.sheets]\nplan = { text = \"対応計画2025\", text_en = \"Plan 2025\" }\n[headers.register]\nevent = { text = \"リスク事象\" }\n",
    )
    .unwrap();
    let out = dir.path().join("acme.xlsx");
    ok(&["new", out.to_str().unwrap(), "--edition", toml.to_str().unwrap()]);
    let mut wb = Workbook::open(&out).unwrap();
    assert_eq!(wb.sheet_names()[2], "対応計画2025");
    assert_eq!(wb.value("リスクアセスメント結果報告書", CellRef::parse("E3").unwrap()).unwrap().to_string(), "リスク事象");
}

#[test]
fn a_sheet_name_excel_cannot_hold_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let toml = dir.path().join("bad.toml");
    fs::write(&toml, "extends = \"lv3\"\nid = \"bad\"\n[headers.sheets]\nplan = { text = \"計画[2025]\" }\n").unwrap();
    let out = dir.path().join("bad.xlsx");
    let o = run(&["new", out.to_str().unwrap(), "--edition", toml.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("計画[2025]") && !err.contains("panicked") && err.trim_end().lines().count() == 1, "{err}");
    assert!(!out.exists());
}
