//! Text stored and shown exactly: `edit --set-text`, the `_xHHHH_` escapes of cell text, names
//! from a workbook printed to a terminal, workbook text in reports, the workbook's own language,
//! and the length of a cell's text. Each test goes through the built binary, on real workbooks,
//! and reads back what a user sees (with LibreOffice where `soffice` is installed).
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{bin, fixture, ok, run, stderr, stdout};

/// A copy of `src` with each part whose name contains `part` rewritten by `f`.
fn rewrite_part(src: &Path, dst: &Path, part: &str, f: impl Fn(String) -> String) {
    let mut zin = zip::ZipArchive::new(fs::File::open(src).unwrap()).unwrap();
    let mut z = zip::ZipWriter::new(fs::File::create(dst).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zin.len() {
        let mut e = zin.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut bytes = Vec::new();
        e.read_to_end(&mut bytes).unwrap();
        if name.contains(part) {
            bytes = f(String::from_utf8(bytes).unwrap()).into_bytes();
        }
        z.start_file(name.as_str(), opts).unwrap();
        z.write_all(&bytes).unwrap();
    }
    z.finish().unwrap();
}

/// The text of one part of a workbook.
fn part_text(book: &Path, part: &str) -> String {
    let mut z = zip::ZipArchive::new(fs::File::open(book).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(part).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The values `get --json` reads, one per address.
fn values(book: &Path, addresses: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["get", book.to_str().unwrap()];
    args.extend(addresses);
    args.push("--json");
    let cells: serde_json::Value = serde_json::from_str(&ok(&args)).unwrap();
    cells.as_array().unwrap().iter().map(|c| c[1]["value"].clone()).collect()
}

/// Every sheet as LibreOffice shows it after recalculating (`../shared/tools/lo-recalc`), as
/// (sheet file stem, CSV text); `None` when LibreOffice or the tool is not installed.
fn libreoffice(book: &Path) -> Option<Vec<(String, String)>> {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/lo-recalc");
    if !tool.exists() || Command::new("soffice").arg("--version").output().is_err() {
        eprintln!("LibreOffice check skipped: soffice or ../shared/tools/lo-recalc not found");
        return None;
    }
    let out = tempfile::tempdir().unwrap();
    let o = Command::new(&tool).arg(book).arg(out.path()).output().unwrap();
    assert!(o.status.success(), "lo-recalc: {}", stderr(&o));
    let mut sheets: Vec<(String, String)> = fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), fs::read_to_string(&p).unwrap()))
        .collect();
    sheets.sort();
    Some(sheets)
}

#[test]
fn set_text_stores_what_was_typed_even_a_leading_equals_sign() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book.xlsx");
    fs::copy(fixture("excel-style-features.xlsx"), &book).unwrap();
    let b = book.to_str().unwrap();
    let out = ok(&["edit", b, "--set-text", "'My Sheet'!A7==1+2", "--set-text", "'My Sheet'!A8=007", "--set", "'My Sheet'!A9==1+2"]);
    assert!(out.contains("3 セルを変更"), "{out}");
    assert_eq!(values(&book, &["'My Sheet'!A7", "'My Sheet'!A8"]), [serde_json::json!("=1+2"), serde_json::json!("007")]);
    let got = ok(&["get", b, "'My Sheet'!A7", "'My Sheet'!A9"]);
    assert_eq!(got.lines().next(), Some("My Sheet!A7\t=1+2"), "text, no formula: {got}");
    assert!(got.lines().nth(1).unwrap().ends_with("\t=1+2"), "--set still writes a formula: {got}");
    if let Some(sheets) = libreoffice(&book) {
        let my = &sheets.iter().find(|(n, _)| n.ends_with("My Sheet")).expect("My Sheet").1;
        let rows: Vec<&str> = my.lines().collect();
        assert!(rows[6].starts_with("=1+2,"), "LibreOffice shows the text: {my}");
        assert!(rows[7].starts_with("007,"), "{my}");
        assert!(rows[8].starts_with("3,"), "the --set formula computes: {my}");
    }
    // A bad address stops before anything is written.
    let before = fs::read(&book).unwrap();
    let o = run(&["edit", b, "--set-text", "'My Sheet'!ZZZZZ1=x"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("ZZZZZ1"), "{}", stderr(&o));
    assert_eq!(fs::read(&book).unwrap(), before);
}

#[test]
fn escape_like_text_and_control_characters_survive_writing_and_reading() {
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("book.xlsx");
    fs::copy(fixture("excel-style-features.xlsx"), &book).unwrap();
    let b = book.to_str().unwrap();
    let typed = [r"C:\_x005F_temp", "a\u{1}b", "_x00E9_ and _x0041_", "line\r\nbreak"];
    ok(&[
        "edit",
        b,
        "--set-text",
        &format!("'My Sheet'!A7={}", typed[0]),
        "--set-text",
        &format!("'My Sheet'!A8={}", typed[1]),
        "--set-text",
        &format!("'My Sheet'!A9={}", typed[2]),
        "--set-text",
        &format!("'My Sheet'!A10={}", typed[3]),
    ]);
    let xml = part_text(&book, "xl/worksheets/sheet2.xml");
    assert!(xml.contains(r"C:\_x005F_x005F_temp"), "a literal escape is escaped: {xml}");
    assert!(xml.contains("a_x0001_b") && xml.contains("line_x000D_\nbreak"), "{xml}");
    assert!(xml.contains("_x005F_x00E9_ and _x005F_x0041_"), "{xml}");
    assert_eq!(values(&book, &["'My Sheet'!A7", "'My Sheet'!A8", "'My Sheet'!A9", "'My Sheet'!A10"]), typed.map(serde_json::Value::from));
    if let Some(sheets) = libreoffice(&book) {
        let my = &sheets.iter().find(|(n, _)| n.ends_with("My Sheet")).expect("My Sheet").1;
        assert!(my.contains(r"C:\_x005F_temp,"), "LibreOffice shows what was typed: {my}");
        assert!(my.contains("_x00E9_ and _x0041_"), "{my}");
    }

    // Shared strings written by another program decode the same way.
    let foreign = dir.path().join("foreign.xlsx");
    rewrite_part(&fixture("excel-style-features.xlsx"), &foreign, "sharedStrings", |x| {
        x.replacen("<t>部署</t>", r"<t>C:\_x005F_x005F_temp_x0001_</t>", 1).replacen("<t>件数</t>", "<t>a_x0001_b_x</t>", 1)
    });
    assert_eq!(values(&foreign, &["'My Sheet'!A1", "'My Sheet'!B1"]), [serde_json::json!("C:\\_x005F_temp\u{1}"), serde_json::json!("a\u{1}b_x")]);
}

fn workbook(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("workbooks").join(name)
}

/// The texts of one column of a sheet, as `get --json` reads them.
fn column_texts(book: &Path, sheet: &str, col: &str) -> Vec<String> {
    let cells: serde_json::Value = serde_json::from_str(&ok(&["get", book.to_str().unwrap(), sheet, "--json"])).unwrap();
    cells
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c[1]["address"].as_str().unwrap().trim_end_matches(|ch: char| ch.is_ascii_digit()) == col)
        .filter_map(|c| c[1]["value"].as_str().map(str::to_string))
        .collect()
}

fn has_japanese(s: &str) -> bool {
    s.chars().any(|c| matches!(c, '\u{3040}'..='\u{30FF}' | '\u{4E00}'..='\u{9FFF}'))
}

#[test]
fn fill_writes_the_workbooks_language_whatever_the_message_language() {
    let dir = tempfile::tempdir().unwrap();
    for (src, result_sheet, japanese) in [("example-ipa-3.xlsx", "診断結果", true), ("ipa-2.1.xlsx", "診断結果", true), ("ipa-3-en.xlsx", "Diagnosis", false)]
    {
        let mut outputs = Vec::new();
        for lang in ["ja", "en"] {
            let out = dir.path().join(format!("{lang}-{src}"));
            let o = bin().env("RISKSHEET_LANG", lang).args(["fill", workbook(src).to_str().unwrap(), "-o", out.to_str().unwrap()]).output().unwrap();
            assert!(matches!(o.status.code(), Some(0 | 3)), "{src} {lang}: {}", stderr(&o));
            // The message follows --lang / RISKSHEET_LANG …
            assert_eq!(has_japanese(stdout(&o).lines().next().unwrap().split(": ").nth(1).unwrap()), lang == "ja", "{}", stdout(&o));
            outputs.push(out);
        }
        // … the workbook does not: both runs write the same bytes.
        assert!(fs::read(&outputs[0]).unwrap() == fs::read(&outputs[1]).unwrap(), "{src}: the message language changed the workbook");
        let reasons: Vec<String> = column_texts(&outputs[1], result_sheet, "B").into_iter().filter(|t| t.contains('：')).collect();
        assert!(reasons.len() >= 10, "{src}: {reasons:?}");
        for r in &reasons {
            if japanese {
                assert!(!r.contains("implementation rate") && !r.contains("applies"), "{src}: English in a Japanese workbook: {r}");
                assert!(r.contains("実施率") || r.contains("該当") || r.contains("要確認"), "{src}: {r}");
            } else {
                assert!(!has_japanese(r), "{src}: Japanese in an English workbook: {r}");
            }
        }
    }
}

#[test]
fn new_takes_the_workbooks_language_apart_from_the_messages() {
    let dir = tempfile::tempdir().unwrap();
    let sheets = |p: &Path| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(&ok(&["inspect", p.to_str().unwrap(), "--json"])).unwrap();
        v["sheets"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_string()).collect()
    };
    let make = |name: &str, env_lang: &str, args: &[&str]| -> (PathBuf, String) {
        let p = dir.path().join(name);
        let o = bin().env("RISKSHEET_LANG", env_lang).arg("new").arg(&p).args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
        (p, stdout(&o))
    };
    // English messages from the environment, a Japanese workbook.
    let (p, msg) = make("env-en.xlsx", "en", &[]);
    assert!(msg.contains("workbook created"), "{msg}");
    assert!(sheets(&p).contains(&"診断結果".to_string()), "{:?}", sheets(&p));
    // --book-lang decides the workbook, the messages stay as they are.
    let (p, msg) = make("book-en.xlsx", "ja", &["--book-lang", "en"]);
    assert!(msg.contains("作成しました"), "{msg}");
    assert!(sheets(&p).contains(&"Diagnosis".to_string()), "{:?}", sheets(&p));
    let (p, _) = make("book-ja.xlsx", "en", &["--book-lang", "ja", "--lang", "en"]);
    assert!(sheets(&p).contains(&"診断結果".to_string()));
    // `new --lang en` on the command line still makes an English workbook, as it always did.
    let (p, _) = make("lang-en.xlsx", "ja", &["--lang", "en"]);
    assert!(sheets(&p).contains(&"Diagnosis".to_string()));
    // An English workbook filled with Japanese messages stays English.
    let o = run(&["fill", p.to_str().unwrap(), "--fact", "development=no"]);
    assert!(stdout(&o).contains("資産"), "{}", stdout(&o));
    let reasons = column_texts(&p, "Diagnosis", "B");
    assert!(reasons.iter().any(|r| r.contains("implementation rate")), "{reasons:?}");
    assert!(!reasons.iter().any(|r| has_japanese(r)), "{reasons:?}");
    // A language it does not know is refused.
    let o = run(&["new", dir.path().join("x.xlsx").to_str().unwrap(), "--book-lang", "fr"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--book-lang fr") && stderr(&o).lines().count() == 1, "{}", stderr(&o));
    assert!(!dir.path().join("x.xlsx").exists());
}

/// A copy of the example ledger with the given cells set as text (`--set-text`).
fn example_with(dir: &Path, name: &str, texts: &[(&str, &str)]) -> PathBuf {
    let book = dir.join(name);
    fs::copy(workbook("example-ipa-3.xlsx"), &book).unwrap();
    let mut args = vec!["edit".to_string(), book.to_str().unwrap().to_string()];
    for (cell, text) in texts {
        args.push("--set-text".into());
        args.push(format!("{cell}={text}"));
    }
    let o = bin().args(&args).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    book
}

#[test]
fn terminal_output_shows_control_characters_escaped_json_keeps_them() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src.xlsx");
    fs::copy(fixture("excel-style-features.xlsx"), &src).unwrap();
    // A sheet named with an escape sequence (clear screen, red) and a right-to-left override.
    let book = dir.path().join("evil.xlsx");
    rewrite_part(&src, &book, "xl/workbook.xml", |x| x.replacen("name=\"My Sheet\"", "name=\"My&#x1b;[2J&#x1b;[31mSheet\u{202e}txt.exe\"", 1));
    let b = book.to_str().unwrap();
    let evil = "My\u{1b}[2J\u{1b}[31mSheet\u{202e}txt.exe";
    let shown = r"My\u{1b}[2J\u{1b}[31mSheet\u{202e}txt.exe";
    let clean = |s: &str| !s.chars().any(|c| c == '\u{1b}' || c == '\u{202e}');

    let out = ok(&["inspect", b]);
    assert!(out.contains(shown) && clean(&out), "inspect: {out}");
    // Cell text with controls: one line per cell, the controls shown.
    ok(&["edit", b, "--set-text", &format!("'{evil}'!A7=red\u{1b}[31m\ttab\nnew line"), "--set-text", "台帳!A30=\u{9b}31m"]);
    let out = ok(&["get", b, &format!("'{evil}'!A7"), "台帳!A30"]);
    assert_eq!(out, format!("{shown}!A7\tred\\u{{1b}}[31m\\u{{9}}tab\\u{{a}}new line\n台帳!A30\t\\u{{9b}}31m\n"));
    // JSON keeps every character (JSON escapes the controls itself).
    let json = ok(&["get", b, &format!("'{evil}'!A7"), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!((v[0][0].as_str().unwrap(), v[0][1]["value"].as_str().unwrap()), (evil, "red\u{1b}[31m\ttab\nnew line"));
    // An error naming the sheets: one line, escaped.
    let o = run(&["get", b, "nope"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains(shown) && clean(&err) && err.trim_end().lines().count() == 1, "{err}");
    // The workbook keeps the name as it is.
    assert!(part_text(&book, "xl/workbook.xml").contains("&#x1b;[2J"));
}

#[test]
fn reports_escape_workbook_text() {
    let dir = tempfile::tempdir().unwrap();
    let name = "<script>alert(1)</script> [x](javascript:alert(2)) a|b *c*";
    let book = example_with(dir.path(), "book.xlsx", &[("情報資産管理台帳!B5", name), ("情報資産管理台帳!B6", "x\u{1b}[2Jy")]);
    let md_path = dir.path().join("r.md");
    ok(&["report", book.to_str().unwrap(), "-o", md_path.to_str().unwrap()]);
    let md = fs::read_to_string(&md_path).unwrap();
    assert!(!md.contains("<script>") && !md.contains(" [x](javascript"), "{md}");
    let row = md.lines().find(|l| l.contains("alert(1)")).expect("the asset's row");
    assert!(row.contains(r"&lt;script&gt;alert(1)&lt;/script&gt; \[x\](javascript:alert(2)) a\|b \*c\*"), "{row}");
    // The table keeps its columns: the escaped pipe does not split a cell.
    let header_cells = md.lines().find(|l| l.starts_with("| 行 |")).unwrap().matches(" | ").count();
    assert_eq!(row.replace(r"\|", "").matches(" | ").count(), header_cells, "{row}");
    assert!(md.contains(r"x\\u{1b}\[2Jy") && !md.contains('\u{1b}'), "{md}");
    let html_path = dir.path().join("r.html");
    ok(&["report", book.to_str().unwrap(), "-o", html_path.to_str().unwrap()]);
    let html = fs::read_to_string(&html_path).unwrap();
    assert!(!html.contains("<script>") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    // On standard output too.
    let out = ok(&["report", book.to_str().unwrap()]);
    assert!(!out.contains("<script>") && !out.contains('\u{1b}'), "{out}");
}

#[test]
fn fill_cuts_reasons_that_would_overflow_a_cell() {
    let dir = tempfile::tempdir().unwrap();
    // Three high-risk assets named with 32,767 UTF-16 units each (a character outside the BMP
    // counts twice, as Excel counts).
    let long = format!("𠮷{}", "名".repeat(32_765));
    assert_eq!(long.encode_utf16().count(), 32_767);
    let book = example_with(dir.path(), "long.xlsx", &[("情報資産管理台帳!B5", &long), ("情報資産管理台帳!B6", &long), ("情報資産管理台帳!B7", &long)]);
    let o = run(&["fill", book.to_str().unwrap()]);
    assert!(matches!(o.status.code(), Some(0 | 3)), "{}", stderr(&o));
    let reasons: Vec<String> = column_texts(&book, "診断結果", "B").into_iter().filter(|t| t.contains('：')).collect();
    let cut: Vec<&String> = reasons.iter().filter(|r| r.encode_utf16().count() > 30_000).collect();
    assert!(!cut.is_empty(), "the long names are in the reasons");
    for r in cut {
        assert!(r.encode_utf16().count() <= 32_767, "{}", r.encode_utf16().count());
        assert!(r.ends_with("…（長すぎるため以下省略）"), "{}", &r[r.len() - 60..]);
        assert!(r.starts_with("策定する：") && r.contains('𠮷'), "cut at a character boundary after the start");
    }
    // The names themselves are untouched.
    assert_eq!(values(&book, &["情報資産管理台帳!B5"]), [serde_json::Value::from(long.clone())]);
}

#[test]
fn profile_errors_are_one_line_with_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let book = workbook("example-ipa-3.xlsx");
    let cases = [
        ("bad-field.toml", "id = \"x\"\nextends = \"ipa-3\"\n\n[[media]]\nid = \"pc\"\nname = \"PC\"\nbogus = 3\n", "7行目 [media] bogus", "bogus"),
        ("bad-type.toml", "id = \"x\"\nextends = \"ipa-3\"\n[media]\nfoo = 1\n", "3行目 [media]", "expected a sequence"),
        ("bad-toml.toml", "id = \"x\"\nextends = \"ipa-3\"\ntitle = [\n", "3行目 title", "TOMLとして読めません"),
        ("no-extends.toml", "id = 3\n", "1行目 id", "integer"),
    ];
    for (name, text, place, why) in cases {
        let p = dir.path().join(name);
        fs::write(&p, text).unwrap();
        let o = run(&["fill", book.to_str().unwrap(), "--profile", p.to_str().unwrap(), "--dry-run"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert!(err.contains(name) && err.contains(place) && err.contains(why), "{name}: {err}");
        assert!(!err.contains("\\u{a}"), "{err}");
    }
    let p = dir.path().join("bad-field.toml");
    let o = bin().env("RISKSHEET_LANG", "en").args(["inspect", book.to_str().unwrap(), "--profile", p.to_str().unwrap()]).output().unwrap();
    assert!(stderr(&o).contains("line 7, [media] bogus: bad field: unknown field `bogus`"), "{}", stderr(&o));
}

#[test]
fn a_profile_of_many_media_finds_each_by_name() {
    // The preset's media and 50,000 more; the ledger names the last one (a name search that went
    // through every medium for every cell took minutes here; tests/bench/bench_media.py times it).
    let mut table = toml::Table::new();
    table.insert("extends".into(), "ipa-3".into());
    table.insert("id".into(), "many-media".into());
    let preset = risksheet::profile::Profile::builtin("ipa-3").unwrap();
    let mut media: Vec<toml::Value> = preset.media.iter().map(|m| toml::Value::try_from(m).unwrap()).collect();
    let group = preset.media[0].groups[0].clone();
    for i in 0..50_000 {
        let mut m = toml::Table::new();
        m.insert("id".into(), format!("m{i}").into());
        m.insert("name".into(), format!("追加媒体{i}").into());
        m.insert("variants".into(), toml::Value::Array(vec![format!("追加{i}").into()]));
        m.insert("groups".into(), toml::Value::Array(vec![group.clone().into()]));
        media.push(m.into());
    }
    table.insert("media".into(), toml::Value::Array(media));
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("many.toml");
    fs::write(&profile, toml::to_string(&table).unwrap()).unwrap();
    let book = example_with(dir.path(), "book.xlsx", &[("情報資産管理台帳!F5", "追加媒体49999"), ("情報資産管理台帳!F6", "追加 49998")]);
    let out = ok(&["inspect", book.to_str().unwrap(), "--profile", profile.to_str().unwrap(), "--json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let assets = v["ipa"]["assets"].as_array().unwrap();
    assert_eq!(assets[0]["medium"], "追加媒体49999");
    assert_eq!(assets[1]["medium"], "追加媒体49998", "a variant, spaces ignored");
    assert_eq!(assets[2]["medium"], "クラウド", "the preset media still read: {}", assets[2]);
}
