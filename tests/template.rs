//! `risksheet new`'s template generator: a fresh workbook in the IPA layout for both editions
//! and both languages, read back with the crate's own reader (and LibreOffice when installed).
use risksheet::ops::template::build_template;
use risksheet::profile::{Header, Profile};
use risksheet::xlsx::{CellRef, CellValue, Range, Workbook};
use risksheet::Lang;
use std::path::{Path, PathBuf};
use std::process::Command;

const CASES: [(&str, Lang); 4] = [("ipa-2.1", Lang::Ja), ("ipa-2.1", Lang::En), ("ipa-3", Lang::Ja), ("ipa-3", Lang::En)];

fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "ja",
        Lang::En => "en",
    }
}

/// Builds the template and writes it into `dir`.
fn write(dir: &Path, edition: &str, lang: Lang) -> (Profile, PathBuf) {
    let p = Profile::builtin(edition).expect("builtin profile");
    let bytes = build_template(&p, lang).expect("build template");
    let path = dir.join(format!("{edition}-{}.xlsx", lang_name(lang)));
    std::fs::write(&path, bytes).expect("write template");
    (p, path)
}

fn at(a1: &str) -> CellRef {
    CellRef::parse(a1).expect("address")
}

fn rng(a1: &str) -> Range {
    Range::parse(a1).expect("range")
}

fn text(wb: &mut Workbook, sheet: &str, a1: &str) -> String {
    match wb.value(sheet, at(a1)).expect("read cell") {
        CellValue::Text(s) => s,
        CellValue::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// The sheet names the profile's edition has, in tab order.
fn expected_sheets(p: &Profile, lang: Lang) -> Vec<String> {
    let s = &p.headers.sheets;
    [s.usage.as_ref(), s.ledger_example.as_ref(), s.importance_definition.as_ref(), Some(&s.ledger), Some(&s.threats), Some(&s.checklist), Some(&s.result)]
        .into_iter()
        .flatten()
        .map(|h| h.text_in(lang).to_string())
        .collect()
}

/// The cell shows exactly the header's text in `lang`, and `fill` (which matches Japanese
/// texts with [`Header::matches`]) finds it in a Japanese sheet.
fn assert_header(wb: &mut Workbook, sheet: &str, a1: &str, h: &Header, lang: Lang) {
    let got = text(wb, sheet, a1);
    assert_eq!(got, h.text_in(lang), "{sheet}!{a1}");
    if lang == Lang::Ja {
        assert!(h.matches(&got), "{sheet}!{a1}: {got}");
    }
}

fn covers(ranges: &[Range], want: &str) -> bool {
    let w = rng(want);
    ranges.iter().any(|r| r.contains(w.start) && r.contains(w.end))
}

#[test]
fn every_edition_and_language_has_the_ipa_layout() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (edition, lang) in CASES {
        let (p, path) = write(dir.path(), edition, lang);
        let mut wb = Workbook::open(&path).unwrap_or_else(|e| panic!("{edition} {lang:?}: {e}"));
        let names = expected_sheets(&p, lang);
        assert_eq!(wb.sheet_names(), names, "{edition} {lang:?}");
        assert_eq!(names.len(), if edition == "ipa-3" { 7 } else { 5 });
        let s = &p.headers.sheets;
        let (ledger, threats, checklist, result) = (s.ledger.text_in(lang), s.threats.text_in(lang), s.checklist.text_in(lang), s.result.text_in(lang));

        // Ledger and example: title, two-row header, merges, dropdowns.
        let example = s.ledger_example.as_ref().map(|h| h.text_in(lang)).expect("example sheet");
        for sheet in [ledger, example] {
            let h = &p.headers.ledger;
            assert_eq!(text(&mut wb, sheet, "A1"), h.title.text_in(lang));
            for (a1, hd) in [
                ("A3", &h.business),
                ("B3", &h.asset),
                ("C3", &h.note),
                ("D3", &h.users),
                ("E3", &h.owner),
                ("F3", &h.medium),
                ("G3", &h.personal_group),
                ("G4", &h.personal),
                ("H4", &h.sensitive),
                ("I4", &h.mynumber),
                ("J3", &h.evaluation_group),
                ("J4", &h.confidentiality),
                ("K4", &h.integrity),
                ("L4", &h.availability),
                ("M4", &h.importance),
                ("N3", &h.retention),
                ("O3", &h.registered),
                ("P4", &h.threat),
                ("Q4", &h.vulnerability),
                ("R4", &h.likelihood),
                ("T4", &h.risk),
            ] {
                assert_header(&mut wb, sheet, a1, hd, lang);
            }
            let risk_group = text(&mut wb, sheet, "P3");
            assert!(risk_group.starts_with(h.risk_group.text_in(lang)), "{risk_group}");
            if lang == Lang::Ja {
                assert!(h.risk_group.matches(&risk_group));
            }
            let merges = wb.merges(sheet).expect("merges");
            for m in ["A3:A4", "F3:F4", "N3:N4", "O3:O4", "G3:I3", "J3:M3", "P3:U3", "R4:S4", "T4:U4"] {
                assert!(merges.contains(&rng(m)), "{sheet}: no merge {m} in {merges:?}");
            }
            let v = wb.validation_ranges(sheet).expect("validations");
            for want in ["F5:F104", "G5:I104", "J5:L104", "O5:O104"] {
                assert!(covers(&v, want), "{sheet}: no validation over {want}: {v:?}");
            }
        }
        // The empty ledger has no data but formatted rows; the example has 8 assets.
        assert_eq!(text(&mut wb, ledger, "B5"), "");
        let empty = wb.cells(ledger).expect("cells");
        assert!(empty.iter().any(|c| c.row == 104 && c.col == 21 && c.style != 0), "row 104 formatted");
        assert!(empty.iter().all(|c| c.formula.is_none()), "no formulas");
        let assets: Vec<String> = (5..=12).map(|r| text(&mut wb, example, &format!("B{r}"))).collect();
        assert!(assets.iter().all(|a| !a.is_empty()), "{assets:?}");
        assert_eq!(text(&mut wb, example, "B13"), "");
        let first_medium = text(&mut wb, example, "F5");
        assert_eq!(Some(first_medium.as_str()), p.medium("office-pc").map(|m| m.name_in(lang)));
        // 社員名簿 on the office PC: C/I/A 2,0,0 on 0–2, moved onto the profile's scale.
        let c = wb.value(example, at("J5")).expect("J5");
        assert_eq!(c, CellValue::Number(f64::from(2 + p.cia.min)));
        assert_eq!(wb.value(example, at("O5")).expect("O5"), CellValue::Number(45383.0));

        // 脅威の状況: header row 4, 21 threats from row 5, one block per medium.
        let th = &p.headers.threats;
        for (a1, hd) in [("A4", &th.medium), ("B4", &th.threat), ("C4", &th.frequency), ("D4", &th.status)] {
            assert_header(&mut wb, threats, a1, hd, lang);
        }
        let threat_rows = (5..200).take_while(|r| !text(&mut wb, threats, &format!("B{r}")).is_empty()).count();
        assert_eq!(threat_rows, 21, "{edition} {lang:?}");
        assert_eq!(text(&mut wb, threats, "A5"), p.media[0].name_in(lang));
        let merges = wb.merges(threats).expect("merges");
        let n0 = p.media[0].threats.len() as u32;
        assert!(merges.contains(&rng(&format!("A5:A{}", 4 + n0))), "{merges:?}");
        assert!(merges.contains(&rng(&format!("D5:D{}", 4 + n0))), "{merges:?}");
        assert!(covers(&wb.validation_ranges(threats).expect("v"), "C5:C25"));

        // 対策状況チェック: header row 4, 55 items, groups merged in B.
        let ch = &p.headers.checklist;
        for (a1, hd) in [("B4", &ch.group), ("C4", &ch.item), ("D4", &ch.answer)] {
            assert_header(&mut wb, checklist, a1, hd, lang);
        }
        let item_rows = (5..200).take_while(|r| !text(&mut wb, checklist, &format!("C{r}")).is_empty()).count();
        assert_eq!(item_rows, 55);
        assert_eq!(text(&mut wb, checklist, "A59"), "55");
        let g1 = text(&mut wb, checklist, "B5");
        assert!(g1.starts_with("(1) "), "{g1}");
        if lang == Lang::Ja {
            assert_eq!(p.find_group(&g1).map(|(id, _)| id), Some("organizational"));
        }
        assert!(wb.merges(checklist).expect("merges").contains(&rng("B5:B8")));
        assert!(covers(&wb.validation_ranges(checklist).expect("v"), "D5:D59"));

        // 診断結果: header row 4, one row per chapter.
        let rh = &p.headers.result;
        for (a1, hd) in [("A4", &rh.chapter), ("B4", &rh.need), ("C4", &rh.rate), ("D4", &rh.decision)] {
            assert_header(&mut wb, result, a1, hd, lang);
        }
        for (i, chapter) in p.chapters.iter().enumerate() {
            let r = 5 + i;
            let a = text(&mut wb, result, &format!("A{r}"));
            assert!(a.ends_with(chapter.title_in(lang)), "{a}");
            if lang == Lang::Ja {
                assert_eq!(p.find_chapter(&a).map(|c| c.number), Some(chapter.number), "{a}");
            }
            assert_eq!(text(&mut wb, result, &format!("B{r}")), p.result.mark(chapter.need));
        }
        assert_eq!(text(&mut wb, result, &format!("A{}", 5 + p.chapters.len())), "");

        // Print titles on the ledger.
        let titles: Vec<_> = wb.defined_names().iter().filter(|n| n.name == "_xlnm.Print_Titles").collect();
        assert!(titles.iter().any(|n| n.formula.ends_with("!$3:$4")), "{titles:?}");
    }
}

#[test]
fn output_is_deterministic() {
    for (edition, lang) in CASES {
        let p = Profile::builtin(edition).expect("profile");
        let a = build_template(&p, lang).expect("build");
        let b = build_template(&p, lang).expect("build");
        assert!(a == b, "{edition} {lang:?} differs between two builds");
    }
}

#[test]
fn the_package_has_the_expected_parts() {
    let p = Profile::builtin("ipa-3").expect("profile");
    let bytes = build_template(&p, Lang::Ja).expect("build");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("zip");
    let names: Vec<String> = zip.file_names().map(|n| n.expect("entry name").into_owned()).collect();
    for part in [
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/core.xml",
        "docProps/app.xml",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet7.xml",
    ] {
        assert!(names.iter().any(|n| n == part), "{part} missing: {names:?}");
    }
    let mut ledger = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet4.xml").expect("ledger"), &mut ledger).expect("read");
    assert!(ledger.contains("tabSelected=\"1\""));
    assert!(ledger.contains("state=\"frozen\""));
    assert!(ledger.contains("imeMode=\"off\""));
    assert!(ledger.contains("<formula>\"リスク大\"</formula>"));
    assert!(ledger.contains("<formula1>\"1,2,3\"</formula1>"));
    assert!(!ledger.contains("<f>"));
}

/// LibreOffice shows the headers, the 55 items and the 21 threats (skipped without soffice).
#[test]
fn libreoffice_reads_the_template() {
    let has_soffice = Command::new("soffice").arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
    if !has_soffice {
        eprintln!("skipped: soffice not on PATH (apt-get install -y libreoffice-calc-nogui)");
        return;
    }
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/lo-recalc");
    if !tool.exists() {
        eprintln!("skipped: {} not found", tool.display());
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    for (edition, lang) in [("ipa-3", Lang::Ja), ("ipa-2.1", Lang::En)] {
        let (p, path) = write(dir.path(), edition, lang);
        let out = dir.path().join(format!("csv-{edition}-{}", lang_name(lang)));
        let status = Command::new(&tool).arg(&path).arg(&out).output().expect("run lo-recalc");
        assert!(status.status.success(), "lo-recalc failed: {}", String::from_utf8_lossy(&status.stderr));
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        let csv = |sheet: &str| std::fs::read_to_string(out.join(format!("{stem}-{sheet}.csv"))).unwrap_or_else(|e| panic!("{sheet}: {e}"));
        let s = &p.headers.sheets;
        let check = csv(s.checklist.text_in(lang));
        assert!(check.contains(p.headers.checklist.item.text_in(lang)));
        let answered_rows = check.lines().skip(4).filter(|l| l.split(',').next().is_some_and(|n| n.parse::<u32>().is_ok())).count();
        assert_eq!(answered_rows, 55, "{check}");
        let ledger = csv(s.ledger.text_in(lang));
        assert!(ledger.contains(p.headers.ledger.business.text_in(lang)));
        assert!(ledger.contains(p.headers.ledger.risk.text_in(lang)));
        let threats = csv(s.threats.text_in(lang));
        let first_threat = p.media[0].threats[0].text_in(lang);
        assert!(threats.contains(first_threat), "{threats}");
        let result = csv(s.result.text_in(lang));
        assert!(result.contains(p.chapters[0].title_in(lang)));
    }
}

/// With `RISKSHEET_TEMPLATE_DIR=DIR`, writes the four templates there to look at them.
#[test]
fn writes_templates_when_asked() {
    let Some(dir) = std::env::var_os("RISKSHEET_TEMPLATE_DIR") else {
        return;
    };
    std::fs::create_dir_all(&dir).expect("create dir");
    for (edition, lang) in CASES {
        write(Path::new(&dir), edition, lang);
    }
}

/// `fill` edits the template in place: a formula with its cached value goes into a formatted
/// cell, keeps the cell's style, and the result opens again.
#[test]
fn the_in_place_editor_can_fill_the_template() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (p, path) = write(dir.path(), "ipa-3", Lang::Ja);
    let ledger = p.headers.sheets.ledger.text.clone();
    let mut wb = Workbook::open(&path).expect("open");
    let style = wb.style(&ledger, at("M5")).expect("style");
    assert_ne!(style, 0);
    wb.set_value(&ledger, at("J5"), CellValue::Number(2.0)).expect("set J5");
    wb.set_formula(&ledger, at("M5"), "MAX(J5:L5)", Some(CellValue::Number(2.0))).expect("set M5");
    let out = dir.path().join("filled.xlsx");
    wb.save_as(&out, &Default::default()).expect("save");
    let mut again = Workbook::open(&out).expect("reopen");
    let m5 = again.cell(&ledger, at("M5")).expect("read").expect("M5 stored");
    assert_eq!(m5.formula.as_deref(), Some("MAX(J5:L5)"));
    assert_eq!(m5.value, CellValue::Number(2.0));
    assert_eq!(m5.style, style);
    assert!(covers(&again.validation_ranges(&ledger).expect("v"), "J5:L104"));
}
