//! The in-place engine through its library API on real workbooks: styles from neighbours,
//! validations (literal list and range), conditional formats, new rows and sheets, shared-formula
//! anchors, and what LibreOffice makes of the result.
use risksheet::xlsx::conditional::{ConditionalFormat, Highlight};
use risksheet::xlsx::validation::{DataValidation, Rule};
use risksheet::xlsx::{CellRef, CellValue, Range, Workbook};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn at(a: &str) -> CellRef {
    CellRef::parse(a).unwrap()
}

/// Feature counts of `xlsx-features --json`.
fn features(path: &Path) -> serde_json::Value {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/xlsx-features");
    let out = Command::new(tool).arg("--json").arg(path).output().expect("xlsx-features");
    serde_json::from_slice(&out.stdout).expect("json")
}

/// Every sheet as CSV after LibreOffice recalculated, or None when LibreOffice is missing
/// (outside CI only; with CI=true it must be there).
fn libreoffice(path: &Path) -> Option<Vec<(String, String)>> {
    let has = Command::new("sh").arg("-c").arg("command -v soffice").output().is_ok_and(|o| o.status.success());
    if !has {
        assert!(std::env::var("CI").is_err(), "LibreOffice is required in CI");
        eprintln!("NOTICE: soffice not found, LibreOffice check skipped");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/lo-recalc");
    let st = Command::new(tool).arg(path).arg(dir.path()).output().unwrap();
    assert!(st.status.success(), "LibreOffice opens {}: {}", path.display(), String::from_utf8_lossy(&st.stderr));
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).unwrap()))
        .collect();
    out.sort();
    Some(out)
}

#[test]
fn validations_formats_styles_rows_and_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    let src = fixture("excel-style-features.xlsx");
    let mut wb = Workbook::open(&src).unwrap();
    let before = features(&src);
    // A row far below the data, styled like a neighbour.
    let style = wb.style("台帳", at("B2")).unwrap();
    wb.set_value("台帳", at("B40"), CellValue::Text("新しい行".into())).unwrap();
    wb.copy_style("台帳", at("B2"), at("B40")).unwrap();
    wb.add_validation("台帳", DataValidation::list(Range::parse("C40:C45").unwrap(), &["書類", "クラウド"]).with_ime_mode("hiragana")).unwrap();
    wb.add_validation("台帳", DataValidation::new(Range::parse("D40:D45").unwrap(), Rule::ListFrom("$B$2:$B$4".into()))).unwrap();
    wb.add_validation("台帳", DataValidation::new(Range::parse("E40:E45").unwrap(), Rule::WholeBetween(1, 3))).unwrap();
    let red = Highlight { font_rgb: Some("FF9C0006".into()), fill_rgb: Some("FFFFC7CE".into()), bold: true };
    wb.add_conditional_format("台帳", ConditionalFormat::text_equals(Range::parse("F40:F45").unwrap(), "リスク大", red)).unwrap();
    wb.add_sheet("追加シート").unwrap();
    wb.set_formula("追加シート", at("A1"), "台帳!B40", Some(CellValue::Text("新しい行".into()))).unwrap();
    wb.set_value("台帳", at("F40"), CellValue::Text("リスク大".into())).unwrap();
    wb.save_as(&out, &Default::default()).unwrap();

    let mut again = Workbook::open(&out).unwrap();
    assert_eq!(again.style("台帳", at("B40")).unwrap(), style);
    let covered = again.validation_ranges("台帳").unwrap();
    for c in ["C40", "D45", "E41"] {
        assert!(covered.iter().any(|r| r.contains(at(c))), "{c} has a dropdown");
    }
    assert_eq!(again.value("追加シート", at("A1")).unwrap(), CellValue::Text("新しい行".into()));
    let after = features(&out);
    for (k, more) in [("data validations", 3), ("cf rules", 1), ("sheets", 1), ("styles <dxf>", 1)] {
        assert_eq!(after[k].as_i64().unwrap(), before[k].as_i64().unwrap() + more, "{k}");
    }
    let lost = Command::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/xlsx-features")).arg("--lost").arg(&src).arg(&out).output().unwrap();
    assert!(lost.status.success(), "{}", String::from_utf8_lossy(&lost.stdout));
    if let Some(sheets) = libreoffice(&out) {
        let added = sheets.iter().find(|(n, _)| n.contains("追加シート")).expect("new sheet exported");
        assert!(added.1.starts_with("新しい行"), "{}", added.1);
    }
}

#[test]
fn overwriting_a_shared_formula_anchor_keeps_the_group_computing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    let src = fixture("excel-style-features.xlsx");
    let mut wb = Workbook::open(&src).unwrap();
    // Find a shared formula's anchor and one of its children.
    let cells = wb.cells("台帳").unwrap();
    let xml = {
        let mut z = zip::ZipArchive::new(std::fs::File::open(&src).unwrap()).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut s).unwrap();
        s
    };
    let i = xml.find("t=\"shared\"").expect("a shared formula");
    let cell_start = xml[..i].rfind("<c ").unwrap();
    let anchor_ref = risksheet::xlsx::xml::attr(&xml[cell_start..i], "r").unwrap().into_owned();
    let anchor = at(&anchor_ref);
    let children: Vec<_> = cells.iter().filter(|c| c.formula.is_some() && c.col == anchor.col && c.row > anchor.row).cloned().collect();
    assert!(!children.is_empty());
    let child_formulas: Vec<_> = children.iter().map(|c| c.formula.clone()).collect();
    wb.set_value("台帳", anchor, CellValue::Number(7.0)).unwrap();
    let report = wb.save_as(&out, &Default::default()).unwrap();
    let mut again = Workbook::open(&out).unwrap();
    assert_eq!(again.value("台帳", anchor).unwrap(), CellValue::Number(7.0));
    for (c, f) in children.iter().zip(child_formulas) {
        let now = again.cell("台帳", CellRef::new(c.row, c.col)).unwrap().unwrap();
        assert_eq!(now.formula, f, "{} keeps its formula, written out in full", c.address);
        assert_eq!(now.value, c.value, "{} keeps its cached value (its inputs did not change)", c.address);
    }
    assert!(report.parts_removed.iter().any(|p| p.ends_with("calcChain.xml")));
    if let (Some(a), Some(b)) = (libreoffice(&src), libreoffice(&out)) {
        // LibreOffice computes the children as before; only the anchor's row changed.
        let (sa, sb) = (&a.iter().find(|x| x.0.contains("台帳")).unwrap().1, &b.iter().find(|x| x.0.contains("台帳")).unwrap().1);
        let diff: Vec<_> = sa.lines().zip(sb.lines()).enumerate().filter(|(_, (x, y))| x != y).map(|(n, _)| n as u32 + 1).collect();
        assert_eq!(diff, vec![anchor.row], "only the anchor's row differs");
    }
}

#[test]
fn stale_cached_values_are_dropped_across_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.xlsx");
    let src = fixture("excel-style-features.xlsx");
    let mut wb = Workbook::open(&src).unwrap();
    // 'My Sheet' feeds a formula on 台帳: change an input there.
    let inputs: Vec<_> = wb.cells("My Sheet").unwrap().into_iter().filter(|c| c.formula.is_none() && matches!(c.value, CellValue::Number(_))).collect();
    let input = inputs.first().expect("a number input on My Sheet");
    wb.set_value("My Sheet", CellRef::new(input.row, input.col), CellValue::Number(1000.0)).unwrap();
    let report = wb.save_as(&out, &Default::default()).unwrap();
    assert!(report.formulas_affected.iter().any(|f| f.starts_with("台帳!")), "{:?}", report.formulas_affected);
    let mut again = Workbook::open(&out).unwrap();
    for f in &report.formulas_affected {
        let sc = risksheet::xlsx::SheetCell::parse(f).unwrap();
        let c = again.cell(&sc.sheet, sc.cell).unwrap().unwrap();
        assert!(c.formula.is_some());
        assert_eq!(c.value, CellValue::Empty, "{f} lost its stale cached value");
    }
}
