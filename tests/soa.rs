//! `risksheet soa` on legacy SoAs with the rows users really write (tests/fixtures/legacy/
//! soa-odd-ids.xlsx, made by make_legacy.py): 一部実施 kept as its own state, reasons and documents
//! carrying 2022 ids, lower-case ids read, objectives and ids that are no control listed with
//! sheet, cell, text and reason (in --json and in the text summary), and the header note laid out
//! over the table.
mod common;

use common::{bin, ok, run, stdout};
use risksheet::xlsx::{CellRef, Range, Workbook};
use std::io::Read;
use std::path::{Path, PathBuf};

fn legacy(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/legacy").join(name)
}

/// The row of a 2022 control in the new SoA.
fn row_of(id: &str) -> u32 {
    5 + risksheet::controls::Catalog::bundled().v2022.iter().position(|c| c.id == id).unwrap() as u32
}

fn at(wb: &mut Workbook, col: &str, id: &str) -> String {
    wb.value("適用宣言書", CellRef::parse(&format!("{col}{}", row_of(id))).unwrap()).unwrap().to_string()
}

fn sheet_xml(book: &Path) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(book).unwrap()).unwrap();
    let mut xml = String::new();
    z.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
    xml
}

fn soa_json(src: &Path, out: &Path) -> serde_json::Value {
    let said = ok(&["soa", src.to_str().unwrap(), "-o", out.to_str().unwrap(), "--json"]);
    serde_json::from_str(&said).unwrap()
}

/// (cell, text, reason) of each unreadable entry of sheet 適用宣言書.
fn unreadable(v: &serde_json::Value) -> Vec<(String, String, String)> {
    v["unreadable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            assert_eq!(u["sheet"], "適用宣言書", "{u}");
            (u["cell"].as_str().unwrap().into(), u["text"].as_str().unwrap().into(), u["reason"].as_str().unwrap().into())
        })
        .collect()
}

#[test]
fn partly_implemented_is_its_own_state_with_its_dropdown() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("soa.xlsx");
    let v = soa_json(&legacy("soa-odd-ids.xlsx"), &out);
    let row = |id: &str| v["rows"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap().clone();
    // 5.1 ← A.5.1.1 実施された + A.5.1.2 一部実施された; 8.25 ← A.14.2.1 △; 8.8 ← A.12.6.1 実施されていない
    assert_eq!(row("5.1")["implemented"], "partial");
    assert_eq!(row("8.25")["implemented"], "partial");
    assert_eq!(row("8.8")["implemented"], "no");
    assert_eq!(row("8.7")["implemented"], "yes");
    assert_eq!(row("7.1")["implemented"], "notapplicable");
    let mut wb = Workbook::open(&out).unwrap();
    assert_eq!(at(&mut wb, "F", "5.1"), "一部実施");
    assert_eq!(at(&mut wb, "F", "8.8"), "未");
    assert_eq!(at(&mut wb, "F", "8.7"), "○");
    let xml = sheet_xml(&out);
    assert!(xml.contains("<formula1>\"○,一部実施,未,ー\"</formula1>"), "the 実施 dropdown offers 一部実施");
    // English workbook
    let en = d.path().join("en.xlsx");
    ok(&["soa", legacy("soa-odd-ids.xlsx").to_str().unwrap(), "-o", en.to_str().unwrap(), "--book-lang", "en"]);
    let mut wb = Workbook::open(&en).unwrap();
    assert_eq!(wb.value("Statement of Applicability", CellRef::parse(&format!("F{}", row_of("5.1"))).unwrap()).unwrap().to_string(), "Partially");
    assert!(sheet_xml(&en).contains("<formula1>\"Yes,Partially,No,N/A\"</formula1>"));
}

#[test]
fn reasons_and_documents_carry_2022_ids() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("soa.xlsx");
    let v = soa_json(&legacy("soa-odd-ids.xlsx"), &out);
    let mut wb = Workbook::open(&out).unwrap();
    // A.5.1.2 in a reason, A.5.1.1 in a document name (both now 5.1)
    assert_eq!(at(&mut wb, "G", "5.1"), "A.5.1.1: A.5.1 と合わせて年1回見直す／A.5.1.2: 経営層の指示");
    assert_eq!(at(&mut wb, "H", "5.1"), "A.5.1.1: 情報セキュリティ基本方針（A.5.1）、A.5.1.2: 見直し手順書");
    // the split A.18.2.3 and an annex prefix
    assert_eq!(at(&mut wb, "G", "8.8"), "A.5.36、A.8.8 の結果を反映する");
    assert_eq!(at(&mut wb, "H", "8.8"), "脆弱性管理手順（附属書A.8.8）");
    // A.14.4.1 is no 2013 control: the reason stays as written, the row is flagged and listed
    assert_eq!(at(&mut wb, "G", "8.25"), "A.14.4.1 を参照");
    assert!(at(&mut wb, "J", "8.25").starts_with("要確認"), "{}", at(&mut wb, "J", "8.25"));
    let f12 = unreadable(&v).into_iter().find(|u| u.0 == "F12").expect("F12 listed");
    assert_eq!(f12.1, "A.14.4.1 を参照");
    assert!(f12.2.contains("A.14.4.1"), "{f12:?}");
    // section numbers of a document are not controls: untouched (soa-2013's 規程・手順書 column)
    let out2 = d.path().join("soa2.xlsx");
    let v2 = soa_json(&legacy("soa-2013.xlsx"), &out2);
    let r61 = v2["rows"].as_array().unwrap().iter().find(|r| r["id"] == "6.1").unwrap();
    assert!(r61["documents"].as_str().unwrap().starts_with("情報セキュリティ規程 "), "{r61}");
    assert_eq!(v2["unreadable"].as_array().unwrap().len(), 0, "{}", v2["unreadable"]);
}

#[test]
fn no_legacy_row_is_dropped_silently() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("soa.xlsx");
    let v = soa_json(&legacy("soa-odd-ids.xlsx"), &out);
    let listed = unreadable(&v);
    let cells: Vec<&str> = listed.iter().map(|u| u.0.as_str()).collect();
    // B7 A.5.1 with marks (its controls have rows), B9 A.9.2, B10 A.19.1.1, F12 a reason, D14 a mark
    assert_eq!(cells, ["B7", "B9", "B10", "F12", "D14"], "{listed:?}");
    let by = |c: &str| listed.iter().find(|u| u.0 == c).unwrap().clone();
    assert_eq!(by("B10").1, "A.19.1.1");
    assert!(by("B10").2.contains("A.19.1.1") && by("B10").2.contains("転記していません"), "{:?}", by("B10"));
    assert!(by("B7").2.contains("管理目的") && by("B7").2.contains("A.5.1.1, A.5.1.2"), "{:?}", by("B7"));
    assert!(by("B9").2.contains("A.9.2.1") && by("B9").2.contains("要確認"), "{:?}", by("B9"));
    assert_eq!(by("D14").1, "たぶん");
    // the heading row A.5.1 without marks (B4) is a heading, not data: not listed
    assert!(!cells.contains(&"B4"));
    // lower-case a.12.2.1 (○, 実施された) is read: 8.7 applicable and implemented, not listed
    assert!(!listed.iter().any(|u| u.1.contains("12.2.1")));
    let mut wb = Workbook::open(&out).unwrap();
    assert_eq!((at(&mut wb, "E", "8.7"), at(&mut wb, "F", "8.7")), ("○".into(), "○".into()));
    assert_eq!(at(&mut wb, "G", "8.7"), "ウイルス対策ソフトを全端末に導入");
    // A.9.2 (○ 一部実施) is read as its six controls, the rows flagged; A.19.1.1 is carried nowhere
    for id in ["5.15", "5.16", "5.17", "5.18", "8.2"] {
        let want = if id == "5.15" { "" } else { "○" };
        assert_eq!(at(&mut wb, "E", id), want, "{id}");
    }
    assert_eq!(at(&mut wb, "F", "5.18"), "一部実施");
    assert_eq!(at(&mut wb, "J", "5.18"), "要確認（管理目的 A.9.2 の記載から）");
    // the text summary lists each with sheet, cell, text and reason
    let text = stdout(&bin().args(["soa", legacy("soa-odd-ids.xlsx").to_str().unwrap(), "-o", out.to_str().unwrap(), "--force"]).output().unwrap());
    for (cell, t, reason) in &listed {
        assert!(text.contains(&format!("要確認: 適用宣言書!{cell}「{t}」: {reason}")), "{cell} in:\n{text}");
    }
    assert!(text.contains("5 件の旧い値は要確認です"), "{text}");
    // reasons in the language of messages, the workbook still Japanese
    let o = bin()
        .env("RISKSHEET_LANG", "en")
        .args(["soa", legacy("soa-odd-ids.xlsx").to_str().unwrap(), "-o", out.to_str().unwrap(), "--force", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let b10 = v["unreadable"].as_array().unwrap().iter().find(|u| u["cell"] == "B10").unwrap();
    assert_eq!(b10["reason"], "not a control of the 2013 edition: A.19.1.1 ('○ / 実施された' not carried over)");
    assert_eq!(Workbook::open(&out).unwrap().sheet_names(), ["適用宣言書"]);
}

#[test]
fn a_risk_sheet_citing_ids_that_are_no_control_lists_them() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("soa.xlsx");
    let said = ok(&["soa", legacy("risk-register.xlsx").to_str().unwrap(), "-o", out.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&said).unwrap();
    let cells: Vec<(String, String)> = v["unreadable"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (format!("{}!{}", u["sheet"].as_str().unwrap(), u["cell"].as_str().unwrap()), u["text"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(cells, [("リスク対応!A8".to_string(), "A.19.1.1".to_string()), ("リスク対応!A9".to_string(), "A.9.2".to_string())]);
}

#[test]
fn the_header_note_spans_the_table_on_its_own_lines() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("soa.xlsx");
    ok(&["soa", legacy("soa-odd-ids.xlsx").to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let mut wb = Workbook::open(&out).unwrap();
    assert!(wb.merges("適用宣言書").unwrap().contains(&Range::parse("A2:J2").unwrap()));
    let note = wb.value("適用宣言書", CellRef::parse("A2").unwrap()).unwrap().to_string();
    assert_eq!(note.lines().count(), 2, "{note}");
    assert!(note.lines().next().unwrap().ends_with("soa-odd-ids.xlsx"), "{note}");
    let xml = sheet_xml(&out);
    let height = |r: u32| -> f64 {
        let re = regex::Regex::new(&format!(r#"<row r="{r}"[^>]*? ht="([0-9.]+)""#)).unwrap();
        re.captures(&xml).map_or(0.0, |c| c[1].parse().unwrap())
    };
    assert!(height(2) >= 30.0, "two lines of the note: {}", height(2));
    // a row whose reason wraps is as tall as its lines; a one-line row keeps the default
    assert!(height(row_of("5.1")) >= 36.0, "{}", height(row_of("5.1")));
    assert_eq!(height(row_of("5.3")), 0.0);
    let o = run(&["soa", legacy("soa-odd-ids.xlsx").to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "refuses to overwrite");
}

#[test]
fn a_2005_soa_is_read_in_its_own_edition() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("soa.xlsx");
    let v = soa_json(&legacy("soa-2005.xlsx"), &out);
    assert_eq!(v["source_edition"]["edition"], "2005", "{}", v["source_edition"]);
    let row = |id: &str| v["rows"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap().clone();
    // 2005 A.14.1.3 (business continuity) ○ ○ reaches 5.29 through 2013 A.17.1.2
    assert_eq!((row("5.29")["applicable"].clone(), row("5.29")["implemented"].clone()), (serde_json::json!(true), serde_json::json!("yes")));
    // removed 2005 controls and low-confidence pairs are listed, none carried silently
    let listed = unreadable(&v);
    assert_eq!(listed.len(), 24, "{listed:?}");
    assert!(listed.iter().any(|u| u.1 == "6.1.1" && u.2.contains("削除")), "{listed:?}");
    assert!(listed.iter().any(|u| u.1 == "A.14.1.2" && u.2.contains("確からしさが低い")), "{listed:?}");
    let text = ok(&["soa", legacy("soa-2005.xlsx").to_str().unwrap(), "-o", out.to_str().unwrap(), "--force"]);
    assert!(text.contains("元の版: ISO/IEC 27001:2005"), "{text}");
}
