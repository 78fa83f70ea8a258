//! Stale cached values. LibreOffice does not recalculate an xlsx on load: a formula whose input
//! `risksheet edit` changes must lose its cached `<v>`, or LibreOffice shows the old result for
//! ever. These tests edit real workbooks through the CLI and read the saved sheet XML: exactly
//! the formulas that may have changed lose their cache, and the others keep theirs. Where
//! LibreOffice is installed, it is asked what it shows.
mod common;

use common::ok;
use std::collections::HashMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `risksheet edit BOOK --set … --json`; returns the JSON report.
fn edit(book: &Path, sets: &[&str]) -> serde_json::Value {
    let mut args = vec!["edit", book.to_str().unwrap(), "--json"];
    for s in sets {
        args.extend(["--set", s]);
    }
    serde_json::from_str(&ok(&args)).unwrap()
}

/// A table part: (name, ref, column names).
type TableDef<'a> = (&'a str, &'a str, &'a [&'a str]);

/// Writes a workbook: sheets as (name, `<sheetData>` content, tables).
fn write_book(path: &Path, sheets: &[(&str, String, Vec<TableDef>)]) {
    let ns =
        r#"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut parts: Vec<(String, String)> = Vec::new();
    let mut types = String::new();
    let mut wb_rels = String::new();
    let mut wb_sheets = String::new();
    let mut table_n = 0;
    for (i, (name, data, tables)) in sheets.iter().enumerate() {
        let n = i + 1;
        let mut sheet_rels = String::new();
        let mut parts_xml = String::new();
        for (k, (tname, tref, cols)) in tables.iter().enumerate() {
            table_n += 1;
            let columns: String = cols.iter().enumerate().map(|(c, name)| format!(r#"<tableColumn id="{}" name="{name}"/>"#, c + 1)).collect();
            parts.push((
                format!("xl/tables/table{table_n}.xml"),
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="{table_n}" name="{tname}" displayName="{tname}" ref="{tref}"><autoFilter ref="{tref}"/><tableColumns count="{}">{columns}</tableColumns><tableStyleInfo name="TableStyleMedium2" showRowStripes="1"/></table>"#,
                    cols.len()
                ),
            ));
            types += &format!(
                r#"<Override PartName="/xl/tables/table{table_n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/>"#
            );
            sheet_rels += &format!(r#"<Relationship Id="rId{}" Type="{rel}/table" Target="../tables/table{table_n}.xml"/>"#, k + 1);
            parts_xml += &format!(r#"<tablePart r:id="rId{}"/>"#, k + 1);
        }
        if !tables.is_empty() {
            parts.push((
                format!("xl/worksheets/_rels/sheet{n}.xml.rels"),
                format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{sheet_rels}</Relationships>"#),
            ));
            parts_xml = format!(r#"<tableParts count="{}">{parts_xml}</tableParts>"#, tables.len());
        }
        parts.push((
            format!("xl/worksheets/sheet{n}.xml"),
            format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {ns}><sheetData>{data}</sheetData>{parts_xml}</worksheet>"#),
        ));
        types += &format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        );
        wb_rels += &format!(r#"<Relationship Id="rId{n}" Type="{rel}/worksheet" Target="worksheets/sheet{n}.xml"/>"#);
        wb_sheets += &format!(r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#);
    }
    parts.push((
        "[Content_Types].xml".into(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{types}</Types>"#
        ),
    ));
    parts.push((
        "_rels/.rels".into(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
        ),
    ));
    parts.push((
        "xl/_rels/workbook.xml.rels".into(),
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{wb_rels}</Relationships>"#),
    ));
    parts.push((
        "xl/workbook.xml".into(),
        format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook {ns}><sheets>{wb_sheets}</sheets></workbook>"#),
    ));
    let mut z = zip::ZipWriter::new(fs::File::create(path).unwrap());
    for (name, text) in parts {
        z.start_file(name, zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap();
}

fn num(at: &str, v: f64) -> String {
    format!(r#"<c r="{at}"><v>{v}</v></c>"#)
}

fn formula(at: &str, f: &str, cached: f64) -> String {
    format!(r#"<c r="{at}"><f>{}</f><v>{cached}</v></c>"#, f.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;"))
}

fn row(r: u32, cells: &[String]) -> String {
    format!(r#"<row r="{r}">{}</row>"#, cells.concat())
}

/// The text of sheet part `n` of a saved workbook.
fn sheet_xml(book: &Path, n: usize) -> String {
    let mut z = zip::ZipArchive::new(fs::File::open(book).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(&format!("xl/worksheets/sheet{n}.xml")).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// Every `<c>` element of a sheet part by address, in file order (a cell stored twice twice).
fn cells(xml: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<c ") {
        rest = &rest[i..];
        let tag_end = rest.find('>').unwrap();
        let end = if rest[..tag_end].ends_with('/') { tag_end + 1 } else { rest.find("</c>").unwrap() + 4 };
        let el = &rest[..end];
        let r = el.split("r=\"").nth(1).map(|s| s[..s.find('"').unwrap()].to_string()).unwrap_or_default();
        out.push((r, el.to_string()));
        rest = &rest[end..];
    }
    out
}

/// The addresses of the formula cells of a sheet part that hold a cached value, and of those
/// that do not.
fn cached_and_dropped(xml: &str) -> (Vec<String>, Vec<String>) {
    let (mut cached, mut dropped) = (Vec::new(), Vec::new());
    for (r, el) in cells(xml) {
        if el.contains("<f") {
            if el.contains("<v>") {
                cached.push(r);
            } else {
                dropped.push(r);
            }
        }
    }
    (cached, dropped)
}

fn affected(report: &serde_json::Value) -> Vec<String> {
    let mut v: Vec<String> = report["formulas_affected"].as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect();
    v.sort();
    v
}

/// CSV rows by sheet name, by workbook.
type Shown = HashMap<PathBuf, HashMap<String, Vec<Vec<String>>>>;

/// What LibreOffice shows for each sheet of each book, as CSV rows: with `recalc`, after a
/// forced recalculation (what ../shared/tools/lo-recalc does); without, as a user sees the file
/// by default (cached values kept, only formulas without one computed). `None` without soffice.
fn libreoffice(books: &[&Path], recalc: bool) -> Option<Shown> {
    if Command::new("soffice").arg("--version").output().is_err() {
        eprintln!("soffice not found: the LibreOffice part of this test is skipped");
        return None;
    }
    let profile = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    fs::create_dir_all(profile.path().join("user")).unwrap();
    let mode = if recalc { 0 } else { 1 };
    let item = |name: &str| {
        format!(r#"<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="{name}" oor:op="fuse"><value>{mode}</value></prop></item>"#)
    };
    fs::write(
        profile.path().join("user/registrymodifications.xcu"),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{}{}</oor:items>"#,
            item("OOXMLRecalcMode"),
            item("ODFRecalcMode")
        ),
    )
    .unwrap();
    let status = Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.path().display()))
        .args(["--headless", "--norestore", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir"])
        .arg(out.path())
        .args(books)
        .output()
        .unwrap();
    assert!(status.status.success(), "soffice: {}", String::from_utf8_lossy(&status.stderr));
    let mut result = HashMap::new();
    for book in books {
        let stem = format!("{}-", book.file_stem().unwrap().to_str().unwrap());
        let mut per = HashMap::new();
        for e in fs::read_dir(out.path()).unwrap() {
            let name = e.unwrap().file_name().into_string().unwrap();
            if let Some(sheet) = name.strip_prefix(&stem).and_then(|s| s.strip_suffix(".csv")) {
                let text = fs::read_to_string(out.path().join(&name)).unwrap();
                let rows = text.lines().map(|l| l.split(',').map(|c| c.trim_matches('"').to_string()).collect()).collect();
                per.insert(sheet.to_string(), rows);
            }
        }
        assert!(!per.is_empty(), "LibreOffice read {}", book.display());
        result.insert(book.to_path_buf(), per);
    }
    Some(result)
}

/// A cell of a CSV grid by address ("" when outside it).
fn at(grid: &[Vec<String>], a1: &str) -> String {
    let col = a1.bytes().take_while(|b| b.is_ascii_alphabetic()).fold(0usize, |n, b| n * 26 + (b.to_ascii_uppercase() - b'A' + 1) as usize);
    let row: usize = a1.trim_start_matches(|c: char| c.is_ascii_alphabetic()).parse().unwrap();
    grid.get(row - 1).and_then(|r| r.get(col - 1)).cloned().unwrap_or_default()
}

/// A running total typed bottom-up: `B{r} = B{r+1} + A{r}`, the chain's head in the last row,
/// each total stored with its cached value; column C (`A{r}*2`) reads only its own row.
fn running_total(path: &Path, rows: u32) {
    let mut data = String::new();
    let mut totals = vec![0.0; rows as usize + 2];
    for r in (1..=rows).rev() {
        totals[r as usize] = totals[r as usize + 1] + r as f64;
    }
    for r in 1..=rows {
        let f = if r < rows { format!("B{}+A{r}", r + 1) } else { format!("A{r}") };
        data += &row(
            r,
            &[
                num(&format!("A{r}"), r as f64),
                formula(&format!("B{r}"), &f, totals[r as usize]),
                formula(&format!("C{r}"), &format!("A{r}*2"), 2.0 * r as f64),
            ],
        );
    }
    write_book(path, &[("Ledger", data, Vec::new())]);
}

#[test]
fn an_edit_at_the_head_of_a_long_running_total_drops_every_total_and_nothing_else() {
    const ROWS: u32 = 20_000;
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("chain.xlsx");
    running_total(&book, ROWS);
    let report = edit(&book, &[&format!("Ledger!A{ROWS}=1")]);
    let (cached, dropped) = cached_and_dropped(&sheet_xml(&book, 1));
    let mut want: Vec<String> = (1..=ROWS).map(|r| format!("B{r}")).collect();
    want.push(format!("C{ROWS}"));
    want.sort();
    let mut dropped = dropped;
    dropped.sort();
    assert_eq!(dropped, want, "every total and the one product of the edited row");
    assert_eq!(cached.len(), ROWS as usize - 1, "the other products keep their values");
    assert_eq!(affected(&report).len(), want.len());
}

#[test]
fn an_edit_in_the_middle_of_a_running_total_drops_only_the_totals_above_it() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("chain.xlsx");
    running_total(&book, 2_000);
    edit(&book, &["Ledger!A1000=7"]);
    let (_, dropped) = cached_and_dropped(&sheet_xml(&book, 1));
    let mut want: Vec<String> = (1..=1000).map(|r| format!("B{r}")).chain(["C1000".to_string()]).collect();
    want.sort();
    let mut dropped = dropped;
    dropped.sort();
    assert_eq!(dropped, want);
}

/// The workbook of Apache POI's test file 48703 (bug 48703, 3D references): four sheets with
/// C1 = 5 each and `SUM(Sheet1:Sheet4!C1)` = 20 cached; here with a summary sheet besides.
fn three_d_book(path: &Path) {
    let c1 = |extra: &[String]| [vec![num("C1", 5.0)], extra.to_vec()].concat();
    let sheet1 = row(1, &c1(&[])) + &row(3, &[formula("A3", "SUM(Sheet1:Sheet4!C1)", 20.0), formula("B3", "SUM(Sheet3:Sheet4!C1)", 10.0)]);
    let summary = row(
        1,
        &[
            formula("A1", "SUM('Sheet1:Sheet2'!C1)", 10.0),
            formula("B1", "SUM('Sheet3:Sheet4'!C1)", 10.0),
            formula("C1", "Sheet1!A3*2", 40.0),
            formula("D1", "SUM(Sheet4:Sheet2!C1)", 15.0),
            formula("E1", "SUM(Sheet1:Nowhere!C1)", 0.0),
        ],
    );
    write_book(
        path,
        &[
            ("Sheet1", sheet1, Vec::new()),
            ("Sheet2", row(1, &c1(&[])), Vec::new()),
            ("Sheet3", row(1, &c1(&[])), Vec::new()),
            ("Sheet4", row(1, &c1(&[])), Vec::new()),
            ("Summary", summary, Vec::new()),
        ],
    );
}

#[test]
fn a_3d_sum_loses_its_cache_when_a_sheet_between_changes() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("poi48703.xlsx");
    three_d_book(&book);
    let report = edit(&book, &["Sheet2!C1=6"]);
    assert_eq!(affected(&report), ["Sheet1!A3", "Summary!A1", "Summary!C1", "Summary!D1"]);
    let (cached, dropped) = cached_and_dropped(&sheet_xml(&book, 1));
    assert_eq!((cached, dropped), (vec!["B3".to_string()], vec!["A3".to_string()]));
    let (cached, dropped) = cached_and_dropped(&sheet_xml(&book, 5));
    assert_eq!(cached, ["B1", "E1"], "sheets outside the span and a span to a missing sheet (#REF!) are not read");
    assert_eq!(dropped, ["A1", "C1", "D1"]);
    for recalc in [false, true] {
        let Some(lo) = libreoffice(&[&book], recalc) else { return };
        let shown = &lo[&book];
        assert_eq!(at(&shown["Sheet1"], "A3"), "21", "recalc {recalc}");
        assert_eq!(at(&shown["Sheet1"], "B3"), "10");
        // (LibreOffice reads the quoted form 'Sheet1:Sheet2'!C1 as #NAME?: Summary!A1 is not asked.)
        assert_eq!([at(&shown["Summary"], "C1"), at(&shown["Summary"], "D1")], ["42", "16"]);
    }
}

/// A sheet 「Data」 with a table 「Sales」 (A1:D4: Name, Amount, Tax = 10 % of the row's amount,
/// Double written `[@Amount]*2`), a sheet 「Report」 of sums over its columns, and an empty sheet
/// 「Other」.
fn table_book(path: &Path) {
    let mut data = row(
        1,
        &["Name", "Amount", "Tax", "Double"]
            .iter()
            .enumerate()
            .map(|(i, h)| format!(r#"<c r="{}1" t="inlineStr"><is><t>{h}</t></is></c>"#, (b'A' + i as u8) as char))
            .collect::<Vec<_>>(),
    );
    for r in 2..=4u32 {
        let amount = 100.0 * r as f64;
        data += &row(
            r,
            &[
                format!(r#"<c r="A{r}" t="inlineStr"><is><t>item{r}</t></is></c>"#),
                num(&format!("B{r}"), amount),
                formula(&format!("C{r}"), "Sales[[#This Row],[Amount]]*0.1", amount * 0.1),
                formula(&format!("D{r}"), "[@Amount]*2", amount * 2.0),
            ],
        );
    }
    let report = row(
        1,
        &[
            formula("A1", "SUM(Sales[Amount])", 900.0),
            formula("B1", "SUM(Sales[Tax])", 90.0),
            formula("C1", "COUNTA(Sales[Name])", 3.0),
            formula("D1", "COUNTA(Sales[#Headers])", 4.0),
            formula("E1", "SUM(Sales[[Name]:[Amount]])", 900.0),
            formula("F1", "SUM(Unknown[Amount])", 0.0),
            formula("G1", "ROWS(Sales[#All])", 4.0),
        ],
    );
    write_book(
        path,
        &[("Data", data, vec![("Sales", "A1:D4", &["Name", "Amount", "Tax", "Double"])]), ("Report", report, Vec::new()), ("Other", String::new(), Vec::new())],
    );
}

#[test]
fn a_far_away_edit_keeps_the_caches_of_formulas_over_a_table() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("table.xlsx");
    table_book(&book);
    let report = edit(&book, &["Other!ZZ999=1"]);
    assert_eq!(affected(&report), ["Report!F1"], "only the reference to a table that does not exist counts as reading anything");
    assert_eq!(cached_and_dropped(&sheet_xml(&book, 1)).1, Vec::<String>::new());
}

#[test]
fn an_edit_in_a_table_drops_the_formulas_reading_its_column_and_row() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("table.xlsx");
    table_book(&book);
    let report = edit(&book, &["Data!B3=1000"]);
    assert_eq!(affected(&report), ["Data!C3", "Data!D3", "Report!A1", "Report!B1", "Report!E1", "Report!F1", "Report!G1"]);
    assert_eq!(cached_and_dropped(&sheet_xml(&book, 1)), (vec!["C2".into(), "D2".into(), "C4".into(), "D4".into()], vec!["C3".into(), "D3".into()]));
    // A new name in the header row changes the headers, not the data of any column.
    table_book(&book);
    let report = edit(&book, &["Data!A1=Label"]);
    assert_eq!(affected(&report), ["Report!D1", "Report!F1", "Report!G1"]);
}

#[test]
fn a_cell_stored_twice_in_a_row_is_edited_in_the_copy_libreoffice_shows() {
    let dir = tempfile::tempdir().unwrap();
    let cells_twice = dir.path().join("twice.xlsx");
    // B1 twice in one row (LibreOffice shows the second, 20); C1 reads it.
    write_book(&cells_twice, &[("S", row(1, &[num("A1", 1.0), num("B1", 10.0), num("B1", 20.0), formula("C1", "B1*2", 40.0)]), Vec::new())]);
    let rows_twice = dir.path().join("rows.xlsx");
    // Row 1 twice: B1 in both (the later wins), A1 only in the first, D1 only in the second.
    let data = row(1, &[num("A1", 1.0), num("B1", 10.0)]) + &row(1, &[num("B1", 20.0), num("D1", 5.0)]) + &row(2, &[formula("C2", "B1*2+A1+D1", 46.0)]);
    write_book(&rows_twice, &[("S", data, Vec::new())]);
    let implicit = dir.path().join("implicit.xlsx");
    // Cells out of order; the one without `r` follows A1, so it is B1 again (30 wins over 10).
    write_book(&implicit, &[("S", r#"<row r="1"><c r="B1"><v>10</v></c><c r="A1"><v>20</v></c><c><v>30</v></c></row>"#.to_string(), Vec::new())]);

    let get = |book: &Path, cell: &str| {
        serde_json::from_str::<serde_json::Value>(&ok(&["get", book.to_str().unwrap(), &format!("S!{cell}"), "--json"])).unwrap()[0][1]["value"].clone()
    };
    assert_eq!(get(&cells_twice, "B1"), 20.0, "get reads the copy LibreOffice shows");
    assert_eq!(get(&rows_twice, "B1"), 20.0);
    assert_eq!(get(&implicit, "B1"), 30.0);

    assert_eq!(affected(&edit(&cells_twice, &["S!B1=5"])), ["S!C1"]);
    let b1: Vec<String> = cells(&sheet_xml(&cells_twice, 1)).into_iter().filter(|c| c.0 == "B1").map(|c| c.1).collect();
    assert_eq!(b1, [r#"<c r="B1"><v>5</v></c>"#], "one copy left, with the new value");

    assert_eq!(affected(&edit(&rows_twice, &["S!B1=7", "S!A1=2", "S!D1=8", "S!E1=9"])), ["S!C2"]);
    let saved = sheet_xml(&rows_twice, 1);
    let b1: Vec<String> = cells(&saved).into_iter().filter(|c| c.0 == "B1").map(|c| c.1).collect();
    assert_eq!(b1, [r#"<c r="B1"><v>7</v></c>"#]);
    assert!(
        saved.contains(r#"<row r="1"><c r="A1"><v>2</v></c></row><row r="1"><c r="B1"><v>7</v></c><c r="D1"><v>8</v></c><c r="E1"><v>9</v></c></row>"#),
        "{saved}"
    );

    edit(&implicit, &["S!B1=5"]);
    assert!(sheet_xml(&implicit, 1).contains(r#"<row r="1"><c r="A1"><v>20</v></c><c r="B1"><v>5</v></c></row>"#), "{}", sheet_xml(&implicit, 1));

    assert_eq!([get(&cells_twice, "B1"), get(&rows_twice, "B1"), get(&implicit, "B1")], [5.0, 7.0, 5.0]);
    let Some(lo) = libreoffice(&[&cells_twice, &rows_twice, &implicit], false) else { return };
    assert_eq!(lo[&cells_twice]["S"][0], ["1", "5", "10"]);
    assert_eq!(lo[&rows_twice]["S"][0], ["2", "7", "", "8", "9"]);
    assert_eq!(at(&lo[&rows_twice]["S"], "C2"), "24");
    assert_eq!(lo[&implicit]["S"][0], ["20", "5"]);
}
