//! `convert` and `soa` on the legacy workbooks of tests/fixtures/legacy (made by make_legacy.py):
//! every converted reference equals the 2013→2022 table's answer, every cell without a reference
//! is byte-identical in the XML, formulas are untouched, the trail lists each change, unreadable
//! references are listed for review and left alone, and bad input fails with one line.
mod common;

use common::{bin, legacy, ok, one_line_failure, run, stderr};
use risksheet::xlsx::{CellRef, CellValue, Workbook};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().expect("tempdir");
    let p = d.path().join(name);
    (d, p)
}

/// The table, read from the CSV independently of the library: old id → new ids.
fn table() -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/controls/iso27001-2013-to-2022.csv")).unwrap();
    let mut t: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        t.entry(f[0].to_string()).or_default().push(f[1].to_string());
    }
    t
}

fn half(s: &str) -> String {
    risksheet::text::to_narrow(s)
}

/// 2022 ids written in a text (`A.8.8`, `8.8`, full width), in order.
fn ids_2022(text: &str) -> Vec<String> {
    let re = regex::Regex::new(r"(?:A\.)?([5-8]\.\d{1,2})\b").unwrap();
    re.captures_iter(&half(text).replace('．', ".")).map(|c| c[1].to_string()).collect()
}

/// Every `<c>` element of a sheet part, by address.
fn cell_xml(book: &Path, part: &str) -> BTreeMap<String, String> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(book).unwrap()).unwrap();
    let mut xml = String::new();
    z.by_name(part).unwrap().read_to_string(&mut xml).unwrap();
    let re = regex::Regex::new(r#"<c r="([A-Z]+\d+)"[^>]*?(?:/>|>.*?</c>)"#).unwrap();
    re.captures_iter(&xml).map(|c| (c[1].to_string(), c[0].to_string())).collect()
}

fn text(wb: &mut Workbook, sheet: &str, at: &str) -> String {
    wb.value(sheet, CellRef::parse(at).unwrap()).unwrap().to_string()
}

fn trail(wb: &mut Workbook) -> Vec<Vec<String>> {
    let mut rows: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for c in wb.cells("変換記録").unwrap() {
        let r = rows.entry(c.row).or_insert_with(|| vec![String::new(); 8]);
        r[c.col as usize - 1] = c.value.to_string();
    }
    rows.into_values().collect()
}

#[test]
fn soa_of_114_controls_converts_to_the_tables_answer() {
    let (_d, out) = tmp("soa.xlsx");
    let src = legacy("soa-2013.xlsx");
    let said = ok(&["convert", src.to_str().unwrap(), "-o", out.to_str().unwrap(), "--to", "2022", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&said).unwrap();
    assert_eq!(v["convert"]["trail_sheet"], "変換記録");
    // the formula column (=LEN of the id) reads converted cells: only its cached values go
    let affected: BTreeSet<String> = v["save"]["formulas_affected"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    assert!(affected.iter().all(|a| a.starts_with("適用宣言書!H")), "{affected:?}");
    let table = table();
    let mut wb = Workbook::open(&out).unwrap();
    let mut changed: BTreeSet<String> = BTreeSet::new();
    let cat = risksheet::controls::Catalog::bundled();
    for r in 4..4 + 114 {
        let old_title = text(&mut Workbook::open(&src).unwrap(), "適用宣言書", &format!("C{r}"));
        let old = text(&mut Workbook::open(&src).unwrap(), "適用宣言書", &format!("B{r}"));
        let new = text(&mut wb, "適用宣言書", &format!("B{r}"));
        let old_id = cat.v2013[(r - 4) as usize].id.clone();
        assert_eq!(ids_2022(&new), table[&old_id], "B{r}: {old} → {new}");
        // the notation is kept
        if half(&old).starts_with('A') || old.starts_with("附属書") {
            assert!(half(&new).starts_with('A') || new.starts_with("附属書A"), "B{r}: {new}");
        } else {
            assert!(!new.contains('A'), "B{r}: bare stays bare: {new}");
        }
        if old.starts_with('Ａ') {
            assert!(new.starts_with('Ａ'), "full width kept: {new}");
        }
        changed.insert(format!("B{r}"));
        // the English 2013 title beside the id becomes the 2022 title
        let title = text(&mut wb, "適用宣言書", &format!("C{r}"));
        let want: Vec<String> = table[&old_id].iter().map(|n| cat.control_2022(n).unwrap().title_en.clone()).collect();
        if old.contains(' ') && !old.starts_with("附属書") {
            // id followed by its title in the same cell: the title column is left alone
            assert_eq!(title, old_title);
            for w in &want {
                assert!(new.contains(w.as_str()), "B{r}: {new} lacks {w}");
            }
        } else {
            assert_eq!(title, want.join(", "), "C{r}");
            if title != old_title {
                changed.insert(format!("C{r}"));
            }
        }
    }
    // Every other cell is byte-identical in the XML; the formula column is untouched.
    let before = cell_xml(&src, "xl/worksheets/sheet1.xml");
    let after = cell_xml(&out, "xl/worksheets/sheet1.xml");
    assert_eq!(before.len(), after.len());
    for (at, x) in &before {
        if affected.contains(&format!("適用宣言書!{at}")) {
            assert!(after[at].contains("<f>LEN("), "{at}: {}", after[at]);
        } else if !changed.contains(at) {
            assert_eq!(Some(x), after.get(at), "{at} changed");
        } else {
            // the style is kept
            assert!(after[at].contains(" s=\"2\""), "{at}: {}", after[at]);
        }
    }
    // 規程 section numbers (情報セキュリティ規程 5.1.1) are not controls.
    assert!(before.keys().any(|k| k.starts_with('G')));
    // The trail lists each change once, with the relation.
    let rows = trail(&mut wb);
    assert_eq!(rows[0][..4], ["シート", "セル", "変換前", "変換後"]);
    let listed: BTreeSet<String> = rows[1..].iter().map(|r| r[1].clone()).collect();
    assert_eq!(listed, changed);
    assert!(rows.iter().any(|r| r[4].contains("A.18.2.3→5.36 (分割)") && r[6].contains("分割")));
    assert!(rows[1..].iter().all(|r| r[0] == "適用宣言書" && r[5] == "変換"));
    // Converting again changes nothing.
    let (_d2, again) = tmp("again.xlsx");
    let said = ok(&["convert", out.to_str().unwrap(), "-o", again.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&said).unwrap();
    assert_eq!(v["convert"]["converted"], 0, "{said}");
    assert_eq!(v["convert"]["review"], 0, "{said}");
}

#[test]
fn risk_register_free_text_and_formulas() {
    let (_d, out) = tmp("rr.xlsx");
    let src = legacy("risk-register.xlsx");
    let said = ok(&["convert", src.to_str().unwrap(), "-o", out.to_str().unwrap(), "--json"]);
    let saved = serde_json::from_str::<serde_json::Value>(&said).unwrap()["save"].clone();
    let exp: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(legacy("expected.json")).unwrap()).unwrap();
    let mut wb = Workbook::open(&out).unwrap();
    for (k, v) in exp["risk_register"].as_object().unwrap() {
        let (sheet, at) = k.split_once('!').unwrap();
        assert_eq!(text(&mut wb, sheet, at), v.as_str().unwrap(), "{k}");
    }
    // Formulas keep their text; those that do not read a converted cell keep their cached value
    // (the one holding "A.12.4.1" as a literal too); LEN(A2) reads a converted cell, so its stale
    // cached value is dropped for Excel and LibreOffice to compute afresh.
    let mut orig = Workbook::open(&src).unwrap();
    let affected: Vec<String> = saved["formulas_affected"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    assert!(affected.contains(&"数式!B2".to_string()), "{affected:?}");
    for at in ["B2", "B3", "C2", "C3", "D5"] {
        let a = orig.cell("数式", CellRef::parse(at).unwrap()).unwrap().unwrap();
        let b = wb.cell("数式", CellRef::parse(at).unwrap()).unwrap().unwrap();
        assert_eq!(a.formula, b.formula, "{at}");
        if !affected.contains(&format!("数式!{at}")) {
            assert_eq!(a.value, b.value, "{at}");
        }
    }
    assert_eq!(wb.value("数式", CellRef::parse("C2").unwrap()).unwrap(), CellValue::Text("A.12.4.1参照".into()));
    // Unreadable references are listed for review, unchanged.
    let rows = trail(&mut wb);
    for cell in exp["review"].as_array().unwrap() {
        let (sheet, at) = cell.as_str().unwrap().split_once('!').unwrap();
        let row = rows.iter().find(|r| r[0] == sheet && r[1] == at).unwrap_or_else(|| panic!("{cell} not in the trail"));
        assert_eq!(row[5], "要確認");
        assert_eq!(row[2], row[3]);
        assert_eq!(text(&mut wb, sheet, at), text(&mut orig, sheet, at));
    }
    // Untouched cells are byte-identical, on both sheets.
    for part in ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"] {
        let before = cell_xml(&src, part);
        let after = cell_xml(&out, part);
        let sheet = if part.ends_with("1.xml") { "リスク対応" } else { "数式" };
        for (at, x) in &before {
            let converted = rows.iter().any(|r| r[0] == sheet && r[1] == *at && r[5] == "変換");
            if !converted && !affected.contains(&format!("{sheet}!{at}")) {
                assert_eq!(Some(x), after.get(at), "{sheet}!{at}");
            }
        }
    }
}

#[test]
fn sheets_option_dry_run_and_english() {
    let (_d, out) = tmp("rr.xlsx");
    let src = legacy("risk-register.xlsx");
    std::fs::copy(&src, &out).unwrap();
    let said = ok(&["convert", out.to_str().unwrap(), "--sheets", "数式", "--dry-run", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&said).unwrap();
    assert_eq!(v["convert"]["converted"], 3);
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&src).unwrap(), "dry run writes nothing");
    assert!(ok(&["--lang", "en", "convert", out.to_str().unwrap()]).contains("cells converted"));
    // The trail is in the workbook's language (Japanese here), the messages in --lang.
    let wb = Workbook::open(&out).unwrap();
    assert!(wb.sheet_names().contains(&"変換記録".to_string()));
}

#[test]
fn ods_input_gives_a_new_xlsx() {
    let d = tempfile::tempdir().unwrap();
    let src = d.path().join("soa.ods");
    std::fs::copy(legacy("soa-2013.ods"), &src).unwrap();
    ok(&["convert", src.to_str().unwrap()]);
    let out = d.path().join("soa.xlsx");
    let mut wb = Workbook::open(&out).unwrap();
    assert_eq!(text(&mut wb, "適用宣言書", "A2"), "A.5.1");
    assert_eq!(text(&mut wb, "適用宣言書", "B2"), "Policies for information security");
    assert_eq!(text(&mut wb, "適用宣言書", "A4"), "A.5.2");
    assert!(wb.sheet_names().contains(&"変換記録".to_string()));
    // a second run would overwrite the .xlsx: refused without -o
    let o = run(&["convert", src.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("soa.xlsx"));
}

#[test]
fn bad_input_fails_with_one_line() {
    let d = tempfile::tempdir().unwrap();
    let junk = d.path().join("junk.xlsx");
    std::fs::write(&junk, b"not a workbook").unwrap();
    let src = legacy("risk-register.xlsx");
    let csv = d.path().join("cat.csv");
    std::fs::write(&csv, "id,title_ja\n99.1,x\n").unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["convert".into(), junk.display().to_string()], "junk.xlsx"),
        (vec!["convert".into(), d.path().join("missing.xlsx").display().to_string()], "missing.xlsx"),
        (vec!["convert".into(), src.display().to_string(), "--to".into(), "2013".into(), "--dry-run".into()], "2022"),
        (vec!["convert".into(), src.display().to_string(), "--sheets".into(), "ない".into(), "--dry-run".into()], "ない"),
        (vec!["convert".into(), src.display().to_string(), "--catalog".into(), csv.display().to_string(), "--dry-run".into()], "cat.csv"),
        (vec!["convert".into(), d.path().join("broken.ods").display().to_string()], "broken.ods"),
        (vec!["soa".into(), junk.display().to_string(), "-o".into(), d.path().join("o.xlsx").display().to_string()], "junk.xlsx"),
    ];
    std::fs::write(d.path().join("broken.ods"), b"PK\x03\x04garbage").unwrap();
    for (args, name) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        one_line_failure(&run(&args), name, "");
    }
    assert_eq!(std::fs::read(&src).unwrap().len(), std::fs::metadata(&src).unwrap().len() as usize);
}

#[test]
fn soa_from_a_legacy_soa() {
    let (_d, out) = tmp("soa2022.xlsx");
    let said = ok(&["soa", legacy("soa-2013.xlsx").to_str().unwrap(), "-o", out.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&said).unwrap();
    assert_eq!(v["source"]["kind"], "legacy_soa");
    assert_eq!(v["rows"].as_array().unwrap().len(), 93);
    assert_eq!(v["new_controls"], 11);
    let mut wb = Workbook::open(&out).unwrap();
    let cat = risksheet::controls::Catalog::bundled();
    let exp: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(legacy("expected.json")).unwrap()).unwrap();
    let legacy_rows: BTreeMap<String, (String, String)> = exp["soa_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), (r["applicable"].as_str().unwrap().to_string(), r["status"].as_str().unwrap().to_string())))
        .collect();
    for (i, c) in cat.v2022.iter().enumerate() {
        let r = 5 + i as u32;
        assert_eq!(text(&mut wb, "適用宣言書", &format!("B{r}")), c.id);
        assert_eq!(text(&mut wb, "適用宣言書", &format!("D{r}")), c.title_ja);
        let app = text(&mut wb, "適用宣言書", &format!("E{r}"));
        let imp = text(&mut wb, "適用宣言書", &format!("F{r}"));
        let note = text(&mut wb, "適用宣言書", &format!("J{r}"));
        let preds = cat.predecessors(&c.id);
        if preds.is_empty() {
            assert_eq!(note, "要検討（2022新規）", "{}", c.id);
            assert_eq!(app, "");
            continue;
        }
        let olds: Vec<&(String, String)> = preds.iter().map(|m| &legacy_rows[&m.old]).collect();
        let want_app = if olds.iter().any(|o| o.0 == "○") { "○" } else { "×" };
        assert_eq!(app, want_app, "{}", c.id);
        let applicable: Vec<&&(String, String)> = olds.iter().filter(|o| o.0 == "○").collect();
        let want_imp = if want_app == "×" {
            "ー"
        } else if applicable.iter().any(|o| o.1 == "未") {
            "未"
        } else {
            "○"
        };
        assert_eq!(imp, want_imp, "{}", c.id);
        let differ = olds.iter().any(|o| o.0 == "○") && olds.iter().any(|o| o.0 == "×");
        assert_eq!(note.starts_with("要確認"), differ, "{}: {note}", c.id);
        let i_col = text(&mut wb, "適用宣言書", &format!("I{r}"));
        assert_eq!(i_col, preds.iter().map(|m| m.old.as_str()).collect::<Vec<_>>().join(", "));
    }
    let r518 = 5 + cat.v2022.iter().position(|c| c.id == "5.18").unwrap();
    assert_eq!(text(&mut wb, "適用宣言書", &format!("J{r518}")), "要確認（統合元で適用が異なる）");
    assert_eq!(wb.cells("適用宣言書").unwrap().iter().filter(|c| c.row >= 5 && c.col == 2).count(), 93);
    // refuses to overwrite
    let o = run(&["soa", legacy("soa-2013.xlsx").to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn soa_from_a_risk_sheet_with_a_catalogue_and_in_english() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("soa.xlsx");
    let csv = d.path().join("jis.csv");
    std::fs::write(&csv, "id,title_ja,title_en\n8.8,技術的脆弱性の管理（JIS）,\n").unwrap();
    ok(&["soa", legacy("risk-register.xlsx").to_str().unwrap(), "-o", out.to_str().unwrap(), "--catalog", csv.to_str().unwrap()]);
    let mut wb = Workbook::open(&out).unwrap();
    let cat = risksheet::controls::Catalog::bundled();
    let applicable: BTreeSet<String> =
        cat.v2022.iter().enumerate().filter(|(i, _)| text(&mut wb, "適用宣言書", &format!("E{}", 5 + i)) == "○").map(|(_, c)| c.id.clone()).collect();
    let want: BTreeSet<String> = ["5.18", "5.14", "8.8", "5.9", "5.36", "7.7", "5.3", "5.15", "8.15", "8.5", "5.26"].iter().map(|s| s.to_string()).collect();
    assert_eq!(applicable, want);
    let row88 = 5 + cat.v2022.iter().position(|c| c.id == "8.8").unwrap();
    assert_eq!(text(&mut wb, "適用宣言書", &format!("D{row88}")), "技術的脆弱性の管理（JIS）");
    assert!(text(&mut wb, "適用宣言書", &format!("G{row88}")).contains("リスク対応!A5"));
    let en = d.path().join("en.xlsx");
    ok(&["--lang", "en", "soa", legacy("risk-register.xlsx").to_str().unwrap(), "-o", en.to_str().unwrap()]);
    let mut wb = Workbook::open(&en).unwrap();
    assert_eq!(text(&mut wb, "Statement of Applicability", "D5"), "Policies for information security");
    assert_eq!(text(&mut wb, "Statement of Applicability", "J11"), "To review (new in 2022)", "5.7");
}

#[test]
fn the_soa_workbook_language_is_chosen_apart_from_the_messages() {
    // RISKSHEET_LANG chooses messages only: the new SoA stays Japanese; --book-lang en makes it English.
    let (_d, out) = tmp("soa-ja.xlsx");
    let o = bin().env("RISKSHEET_LANG", "en").args(["soa", legacy("soa-2013.xlsx").to_str().unwrap(), "-o", out.to_str().unwrap()]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(Workbook::open(&out).unwrap().sheet_names(), vec!["適用宣言書".to_string()]);
    let en = out.with_file_name("soa-en.xlsx");
    ok(&["soa", legacy("soa-2013.xlsx").to_str().unwrap(), "-o", en.to_str().unwrap(), "--book-lang", "en"]);
    assert_eq!(Workbook::open(&en).unwrap().sheet_names(), vec!["Statement of Applicability".to_string()]);
}

#[test]
fn legacy_files_are_handled_alike_by_every_command() {
    // fill and edit change a workbook in place: a .xls/.ods is refused with one line saying what
    // to do, the file untouched and nothing written beside it; get, inspect and report read it.
    let d = tempfile::tempdir().unwrap();
    let xls = d.path().join("risk.xls");
    let ods = d.path().join("soa.ods");
    std::fs::copy(legacy("risk-register.xls"), &xls).unwrap();
    std::fs::copy(legacy("soa-2013.ods"), &ods).unwrap();
    let before = (std::fs::read(&xls).unwrap(), std::fs::read(&ods).unwrap());
    for (book, ext) in [(&xls, "xls"), (&ods, "ods")] {
        let b = book.to_str().unwrap();
        for args in [vec!["fill", b], vec!["edit", b, "--set", "A1=x"], vec!["fill", b, "-o", d.path().join("o.xlsx").to_str().unwrap()]] {
            let o = run(&args);
            let err = String::from_utf8_lossy(&o.stderr).into_owned();
            assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
            assert_eq!(err.trim_end().lines().count(), 1, "{err}");
            assert!(err.contains(b) && err.contains(&format!("旧形式（.{ext}）のブックは書き換えません")) && err.contains("convert"), "{err}");
            assert!(!err.contains("Excelブック（.xlsx）ではありません") && !err.contains("zipですが"), "{err}");
        }
        let o = bin().env("RISKSHEET_LANG", "en").args(["edit", b, "--set", "A1=x"]).output().unwrap();
        assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("a legacy .{ext} workbook is not changed in place")));
    }
    assert_eq!((std::fs::read(&xls).unwrap(), std::fs::read(&ods).unwrap()), before);
    let mut left: Vec<String> = std::fs::read_dir(d.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    left.sort();
    assert_eq!(left, ["risk.xls", "soa.ods"], "nothing written beside them");
    // read-only commands read them
    assert_eq!(ok(&["get", ods.to_str().unwrap(), "適用宣言書!A2"]).trim_end(), "適用宣言書!A2\tA.5.1.1");
    let v: serde_json::Value = serde_json::from_str(&ok(&["inspect", xls.to_str().unwrap(), "--json"])).unwrap();
    let sheets: Vec<&str> = v["sheets"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(sheets, ["リスク対応", "数式"]);
    // a folder: inspect lists them with the workbooks
    std::fs::copy(legacy("risk-register.xlsx"), d.path().join("risk.xlsx")).unwrap();
    let out = ok(&["inspect", "-q", d.path().to_str().unwrap()]);
    assert!(["risk.xls", "soa.ods", "risk.xlsx"].iter().all(|f| out.contains(f)) && out.contains("合計"), "{out}");
    std::fs::remove_file(d.path().join("risk.xlsx")).unwrap();
    // report reads it too: what it says is about the content (no IPA ledger), not the format
    let o = run(&["report", xls.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("情報資産管理台帳") && !err.contains("旧形式"), "{err}");
}

/// The 2005 table read from the CSV apart from the library: 2005 id → (2013 id or none,
/// relation, confidence).
fn table_2005() -> BTreeMap<String, Vec<(Option<String>, String, String)>> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/controls/iso27001-2005-to-2013.csv")).unwrap();
    let re = regex::Regex::new(r#"^(A\.[\d.]+),(A\.[\d.]+)?,"?(\w+) \[(\w+)\]"#).unwrap();
    let mut t: BTreeMap<String, Vec<(Option<String>, String, String)>> = BTreeMap::new();
    for line in text.lines().skip(1).filter(|l| !l.is_empty()) {
        let c = re.captures(line).unwrap_or_else(|| panic!("{line}"));
        t.entry(c[1].to_string()).or_default().push((c.get(2).map(|m| m.as_str().to_string()), c[3].to_string(), c[4].to_string()));
    }
    t
}

#[test]
fn a_2005_soa_converts_through_2013_and_lists_what_a_person_decides() {
    let t13 = table();
    let t05 = table_2005();
    assert_eq!(t05.len(), 133);
    // Rows follow Annex A order, the order of the 2005 catalogue.
    let order: Vec<String> = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/controls/iso27001-2005-controls.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next().filter(|s| !s.is_empty()).map(str::to_string))
        .collect();
    for (name, how) in [("soa-2005.xlsx", "stated"), ("soa-2005-titles.xlsx", "cited")] {
        let (_d, out) = tmp(name);
        std::fs::copy(legacy(name), &out).unwrap();
        let said = ok(&["convert", out.to_str().unwrap(), "--json"]);
        let v: serde_json::Value = serde_json::from_str(&said).unwrap();
        assert_eq!(v["convert"]["source"]["edition"], "2005", "{name}");
        assert_eq!(v["convert"]["source"]["how"], how, "{name}");
        let text_said = ok(&["convert", legacy(name).to_str().unwrap(), "--dry-run"]);
        assert!(text_said.contains("元の版: ISO/IEC 27001:2005"), "{text_said}");
        let mut wb = Workbook::open(&out).unwrap();
        let mut original = Workbook::open(legacy(name)).unwrap();
        let rows = trail(&mut wb);
        let mut relations: BTreeMap<String, usize> = BTreeMap::new();
        for (i, old) in order.iter().enumerate() {
            let pairs = &t05[old];
            let at = format!("B{}", 4 + i);
            let cell = text(&mut wb, "適用宣言書", &at);
            let removed = pairs.iter().any(|p| p.0.is_none());
            let low = pairs.iter().any(|p| p.2 == "low");
            let row = rows.iter().find(|r| r[0] == "適用宣言書" && r[1] == at).unwrap_or_else(|| panic!("{old} {at} not in the trail"));
            assert_eq!(row[7], "2005", "{at}");
            if removed || low {
                // a person decides: unchanged, listed with the reason
                assert_eq!(row[5], "要確認", "{old}");
                assert!(row[6].contains(old.as_str()) && (row[6].contains("削除") || row[6].contains("確からしさが低い")), "{old}: {}", row[6]);
                assert_eq!(cell, text(&mut original, "適用宣言書", &at), "{old}: left as written");
                *relations.entry(if removed { "削除".into() } else { "確からしさ低".into() }).or_default() += 1;
                continue;
            }
            let mut want: BTreeSet<String> = BTreeSet::new();
            for (via, rel, _) in pairs {
                want.extend(t13[via.as_ref().unwrap()].iter().cloned());
                *relations.entry(rel.clone()).or_default() += 1;
            }
            let got: BTreeSet<String> = ids_2022(&cell).into_iter().collect();
            assert_eq!(got, want, "{old} ({at}: {cell})");
            assert_eq!(row[5], "変換", "{old}");
            // the pairs column names the 2013 control between, with the relation in Japanese
            for (via, _, _) in pairs {
                assert!(row[4].contains(&format!("{old}→{}→", via.as_ref().unwrap())), "{old}: {}", row[4]);
            }
        }
        // 2005 A.14.1.3 (business continuity) is 5.29/5.30's predecessor, never 8.26 (2013 A.14.1.3)
        let i = order.iter().position(|k| k == "A.14.1.3").unwrap();
        let cell = text(&mut wb, "適用宣言書", &format!("B{}", 4 + i));
        assert!(!cell.contains("8.26"), "{cell}");
        if name == "soa-2005.xlsx" {
            eprintln!("relations in the 2005 SoA: {relations:?}");
        }
        // a second run changes nothing and adds no second trail sheet
        let again: serde_json::Value = serde_json::from_str(&ok(&["convert", out.to_str().unwrap(), "--json"])).unwrap();
        assert_eq!(again["convert"]["converted"], 0, "{name}");
        let wb2 = Workbook::open(&out).unwrap();
        assert_eq!(wb2.sheet_names().iter().filter(|n| n.starts_with("変換記録")).count(), 1, "{:?}", wb2.sheet_names());
        assert_eq!(trail(&mut Workbook::open(&out).unwrap()).len(), rows.len(), "the trail did not grow");
    }
}

#[test]
fn a_sheet_mixing_editions_is_decided_cell_by_cell_and_the_undecidable_cell_listed() {
    let (_d, out) = tmp("mixed.xlsx");
    std::fs::copy(legacy("mixed-editions.xlsx"), &out).unwrap();
    let v: serde_json::Value = serde_json::from_str(&ok(&["convert", out.to_str().unwrap(), "--json"])).unwrap();
    assert_eq!(v["convert"]["source"]["how"], "split");
    assert!(v["convert"]["source"]["edition"].is_null());
    let mut wb = Workbook::open(&out).unwrap();
    assert_eq!(text(&mut wb, "対策一覧", "A2"), "A.8.15", "2005 A.10.10.1 (audit logging) → 2013 A.12.4.1 → 8.15");
    assert_eq!(text(&mut wb, "対策一覧", "A3"), "A.5.31", "2013 A.18.1.1");
    assert_eq!(text(&mut wb, "対策一覧", "A4"), "A.9.2.5", "in both editions: left for a person");
    let rows = trail(&mut wb);
    let a4 = rows.iter().find(|r| r[1] == "A4").unwrap();
    assert_eq!(a4[5], "要確認");
    assert!(a4[6].contains("版が分からない"), "{a4:?}");
    // told, the edition applies to every cell, and a cell of the other edition is listed
    let (_d2, out2) = tmp("mixed2.xlsx");
    std::fs::copy(legacy("mixed-editions.xlsx"), &out2).unwrap();
    let v: serde_json::Value = serde_json::from_str(&ok(&["convert", out2.to_str().unwrap(), "--from", "2013", "--json"])).unwrap();
    assert_eq!(v["convert"]["source"]["how"], "given");
    let mut wb = Workbook::open(&out2).unwrap();
    assert_eq!(text(&mut wb, "対策一覧", "A4"), "A.5.18");
    assert_eq!(text(&mut wb, "対策一覧", "A2"), "A.10.10.1", "2005-only id with --from 2013: listed, unchanged");
    let o = run(&["convert", out2.to_str().unwrap(), "--from", "2001"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--from 2001"), "{}", stderr(&o));
}

/// The text of a part of a saved package.
fn part_text(book: &Path, part: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(book).unwrap()).unwrap();
    let mut xml = String::new();
    z.by_name(part).unwrap().read_to_string(&mut xml).unwrap();
    xml
}

/// The elements of a counted list of the styles part (`<fonts>`, `<cellXfs>`), in order.
fn style_list(styles: &str, list: &str, item: &str) -> Vec<String> {
    let body = &styles[styles.find(&format!("<{list}")).unwrap()..styles.find(&format!("</{list}>")).unwrap()];
    let re = regex::Regex::new(&format!(r"<{item}\b[^>]*?(?:/>|>.*?</{item}>)")).unwrap();
    re.find_iter(body).map(|m| m.as_str().to_string()).collect()
}

#[test]
fn the_trail_is_laid_out_for_an_auditor() {
    let (_d, out) = tmp("soa-2005.xlsx");
    std::fs::copy(legacy("soa-2005.xlsx"), &out).unwrap();
    ok(&["convert", out.to_str().unwrap(), "-q"]);
    let mut wb = Workbook::open(&out).unwrap();
    let rows = trail(&mut wb).len();
    assert!(rows > 100, "{rows}");
    // The fixture has one sheet; the trail is the second.
    let sheets: Vec<String> = (1..=2).map(|n| format!("xl/worksheets/sheet{n}.xml")).collect();
    let part = sheets.iter().find(|p| part_text(&out, p).contains("<t>変換前</t>")).expect("trail part");
    let xml = part_text(&out, part);
    // Frozen header, a filter over the whole table, widths from the content, printed landscape.
    assert!(xml.contains(r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#), "{xml:.600}");
    assert!(xml.contains(&format!(r#"<autoFilter ref="A1:H{rows}"/>"#)), "{xml:.600}");
    let widths: Vec<f64> =
        regex::Regex::new(r#"<col min="\d+" max="\d+" width="([\d.]+)""#).unwrap().captures_iter(&xml).map(|c| c[1].parse().unwrap()).collect();
    assert_eq!(widths.len(), 8, "{xml:.900}");
    // 変換前 holds Japanese titles (CJK counts two): wider than the cell column, capped so long text wraps.
    assert!(widths[2] > widths[1] && widths.iter().all(|&w| w <= 40.0), "{widths:?}");
    assert!(xml.contains(r#"orientation="landscape" fitToWidth="1" fitToHeight="0""#), "{xml:.600}");
    let wbxml = part_text(&out, "xl/workbook.xml");
    assert!(
        wbxml.contains(&format!(r#"<definedName name="_xlnm._FilterDatabase" localSheetId="1" hidden="1">変換記録!$A$1:$H${rows}</definedName>"#)),
        "{wbxml}"
    );
    assert!(wbxml.contains(r#"<definedName name="_xlnm.Print_Titles" localSheetId="1">変換記録!$1:$1</definedName>"#), "{wbxml}");
    // Header cells bold on grey with a border; body cells bordered and wrapped.
    let styles = part_text(&out, "xl/styles.xml");
    let (xfs, fonts, fills) = (style_list(&styles, "cellXfs", "xf"), style_list(&styles, "fonts", "font"), style_list(&styles, "fills", "fill"));
    let cells = cell_xml(&out, part);
    let xf_of = |at: &str| -> &String {
        let s: usize = regex::Regex::new(r#" s="(\d+)""#).unwrap().captures(&cells[at]).unwrap()[1].parse().unwrap();
        &xfs[s]
    };
    let attr = |xf: &str, name: &str| -> usize { regex::Regex::new(&format!(r#" {name}="(\d+)""#)).unwrap().captures(xf).unwrap()[1].parse().unwrap() };
    for at in ["A1", "C1", "H1"] {
        let xf = xf_of(at);
        assert!(fonts[attr(xf, "fontId")].contains("<b/>"), "{xf}");
        assert!(fills[attr(xf, "fillId")].contains("FFD9D9D9"), "{xf}");
        assert!(attr(xf, "borderId") > 0 && xf.contains(r#"wrapText="1""#), "{xf}");
    }
    let body = xf_of("C2");
    assert!(!fonts[attr(body, "fontId")].contains("<b/>") && body.contains(r#"vertical="top" wrapText="1""#), "{body}");
    // A second run converts nothing and adds no sheet, name or style.
    ok(&["convert", out.to_str().unwrap(), "-q"]);
    assert_eq!(part_text(&out, "xl/workbook.xml").matches("_xlnm._FilterDatabase").count(), 1);
    assert_eq!(style_list(&part_text(&out, "xl/styles.xml"), "cellXfs", "xf").len(), xfs.len());
}
