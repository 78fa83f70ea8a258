//! The `edit`, `get` and `inspect` commands on real workbooks, and every kind of bad input:
//! each gives a one-line reason naming the file, a non-zero exit, no panic, and leaves the
//! original byte-identical.
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

mod common;
use common::{bin, fails, fixture, run, stderr, stdout};

fn temp_copy(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    fs::copy(fixture(name), &p).unwrap();
    p
}

#[test]
fn edit_sets_values_formulas_and_text_then_get_reads_them() {
    let dir = tempfile::tempdir().unwrap();
    let book = temp_copy(dir.path(), "excel-style-features.xlsx");
    let b = book.to_str().unwrap();
    let o = run(&["edit", b, "--set", "台帳!H20=42", "--set", "'My Sheet'!F1=こんにちは", "--set", "台帳!H21==H20*2", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(report["cells_written"].as_array().unwrap().len(), 3);
    let got = run(&["get", b, "台帳!H20", "'My Sheet'!F1", "台帳!H21", "--json"]);
    let cells: serde_json::Value = serde_json::from_str(&stdout(&got)).unwrap();
    assert_eq!(cells[0][1]["value"], 42.0);
    assert_eq!(cells[1][1]["value"], "こんにちは");
    assert_eq!(cells[2][1]["formula"], "H20*2");
}

#[test]
fn full_width_sheet_cell_and_digits_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let book = temp_copy(dir.path(), "excel-style-features.xlsx");
    let b = book.to_str().unwrap();
    assert!(run(&["edit", b, "--set", "台帳！Ｈ２０=２"]).status.success());
    let cells: serde_json::Value = serde_json::from_str(&stdout(&run(&["get", b, "台帳!H20", "--json"]))).unwrap();
    assert_eq!(cells[0][1]["value"], 2.0);
}

#[test]
fn inspect_counts_features() {
    let o = run(&["inspect", fixture("excel-style-features.xlsx").to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let sheets = v["sheets"].as_array().unwrap();
    assert!(sheets.iter().any(|s| s["name"] == "台帳"));
    assert!(sheets.iter().map(|s| s["formulas"].as_u64().unwrap()).sum::<u64>() > 0);
    assert!(sheets.iter().map(|s| s["validations"].as_u64().unwrap()).sum::<u64>() >= 5);
    assert!(sheets.iter().map(|s| s["merges"].as_u64().unwrap()).sum::<u64>() >= 2);
}

#[test]
fn backup_keeps_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let book = temp_copy(dir.path(), "macro.xlsm");
    let original = fs::read(&book).unwrap();
    let first = stdout(&run(&["inspect", book.to_str().unwrap(), "--json"]));
    let v: serde_json::Value = serde_json::from_str(&first).unwrap();
    let sheet = v["sheets"][0]["name"].as_str().unwrap().to_string();
    let o = run(&["edit", book.to_str().unwrap(), "--backup", "--set", &format!("'{sheet}'!Z9=1")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read(dir.path().join("macro.bak.xlsm")).unwrap(), original);
    assert_ne!(fs::read(&book).unwrap(), original);
}

/// Checks that a failing edit left the book byte-identical.
fn edit_fails_untouched(book: &Path, set: &str, reason: &str) {
    let before = fs::read(book).unwrap();
    let b = book.to_str().unwrap();
    fails(&["edit", b, "--set", set], book.file_name().unwrap().to_str().unwrap(), reason);
    assert_eq!(fs::read(book).unwrap(), before, "original untouched");
    let leftovers: Vec<_> =
        fs::read_dir(book.parent().unwrap()).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().starts_with(".risksheet-")).collect();
    assert!(leftovers.is_empty(), "no temporary file left behind");
}

#[test]
fn not_a_zip() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("notes.xlsx");
    fs::write(&p, "これはテキストです").unwrap();
    edit_fails_untouched(&p, "S!A1=1", "zip形式でない");
}

#[test]
fn zip_that_is_not_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("archive.xlsx");
    let mut z = zip::ZipWriter::new(fs::File::create(&p).unwrap());
    z.start_file("hello.txt", zip::write::SimpleFileOptions::default()).unwrap();
    z.write_all(b"hi").unwrap();
    z.finish().unwrap();
    edit_fails_untouched(&p, "S!A1=1", "Excelブックではありません");
}

#[test]
fn truncated_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("cut.xlsx");
    let bytes = fs::read(fixture("excel-style-features.xlsx")).unwrap();
    fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    edit_fails_untouched(&p, "台帳!A1=1", "壊れています");
}

#[test]
fn missing_sheet_names_the_sheets_there_are() {
    let dir = tempfile::tempdir().unwrap();
    let book = temp_copy(dir.path(), "excel-style-features.xlsx");
    let err = {
        edit_fails_untouched(&book, "存在しない!A1=1", "シート「存在しない」がありません");
        stderr(&run(&["edit", book.to_str().unwrap(), "--set", "存在しない!A1=1"]))
    };
    assert!(err.contains("台帳"), "{err}");
}

#[test]
fn invalid_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let book = temp_copy(dir.path(), "excel-style-features.xlsx");
    for bad in ["台帳!A0=1", "台帳!XFE1=1", "台帳A1=1", "台帳!高=1", "'台帳!A1=1"] {
        edit_fails_untouched(&book, bad, "解釈できません");
    }
}

#[test]
fn edit_inside_an_array_formula_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let book = temp_copy(dir.path(), "excel-style-features.xlsx");
    // The last cell of an array formula's range has no formula of its own, only a value.
    let xml = {
        let mut z = zip::ZipArchive::new(fs::File::open(&book).unwrap()).unwrap();
        let mut s = String::new();
        let name = (0..z.len()).map(|i| z.by_index(i).unwrap().name().unwrap().to_string()).find(|n| n.contains("worksheets/sheet1")).unwrap();
        std::io::Read::read_to_string(&mut z.by_name(&name).unwrap(), &mut s).unwrap();
        s
    };
    let i = xml.find("t=\"array\"").expect("fixture has an array formula");
    let r = &xml[i..];
    let ref_start = r.find("ref=\"").unwrap() + 5;
    let range = &r[ref_start..ref_start + r[ref_start..].find('"').unwrap()];
    let last = range.split(':').next_back().unwrap();
    edit_fails_untouched(&book, &format!("台帳!{last}=1"), "配列数式");
}

#[test]
fn encrypted_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("secret.xlsx");
    // An OLE compound file whose directory names an EncryptedPackage stream, as Excel writes.
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(512, 0);
    bytes.extend("EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()));
    bytes.resize(2048, 0);
    fs::write(&p, bytes).unwrap();
    edit_fails_untouched(&p, "S!A1=1", "パスワード");
}

#[test]
fn zip_bomb_part_over_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bomb.xlsx");
    let src = fs::read(fixture("excel-style-features.xlsx")).unwrap();
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(src)).unwrap();
    let mut z = zip::ZipWriter::new(fs::File::create(&p).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..src.len() {
        let f = src.by_index_raw(i).unwrap();
        let name = f.name().unwrap().to_string();
        if name.contains("worksheets/sheet1.xml") {
            drop(f);
            // 64 MiB of spaces deflate to about 64 KB: over a 16 MiB limit.
            z.start_file(name.as_str(), opts).unwrap();
            let chunk = vec![b' '; 1 << 20];
            for _ in 0..64 {
                z.write_all(&chunk).unwrap();
            }
        } else {
            z.raw_copy_file(f).unwrap();
        }
    }
    z.finish().unwrap();
    let before = fs::read(&p).unwrap();
    let o = bin().env("RISKSHEET_MAX_PART_MB", "16").args(["edit", p.to_str().unwrap(), "--set", "台帳!A1=1"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("bomb.xlsx") && stderr(&o).contains("大きすぎます"), "{}", stderr(&o));
    assert_eq!(fs::read(&p).unwrap(), before);
}

#[test]
fn missing_and_read_only_target_directories() {
    let dir = tempfile::tempdir().unwrap();
    let book = temp_copy(dir.path(), "excel-style-features.xlsx");
    let b = book.to_str().unwrap();
    let missing = dir.path().join("no/such/dir/out.xlsx");
    fails(&["edit", b, "-o", missing.to_str().unwrap(), "--set", "台帳!A30=1"], "no/such/dir", "保存先のフォルダーがありません");
    assert!(!missing.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let ro = dir.path().join("ro");
        fs::create_dir(&ro).unwrap();
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o555)).unwrap();
        let target = ro.join("out.xlsx");
        // root may write anywhere; the check only means something for other users.
        if fs::write(ro.join("probe"), b"x").is_err() {
            fails(&["edit", b, "-o", target.to_str().unwrap(), "--set", "台帳!A30=1"], "out.xlsx", "読み書きする権限がありません");
            assert!(!target.exists());
        }
        fs::set_permissions(&ro, fs::Permissions::from_mode(0o755)).unwrap();
        // A read-only file system refuses even root.
        if Path::new("/proc/self").exists() {
            fails(&["edit", b, "-o", "/proc/risksheet-out.xlsx", "--set", "台帳!A30=1"], "risksheet-out.xlsx", "読み書きできません");
        }
    }
    fails(&["inspect", dir.path().join("absent.xlsx").to_str().unwrap()], "absent.xlsx", "ファイルがありません");
}

#[test]
fn english_messages() {
    let o = bin().env("RISKSHEET_LANG", "en").args(["inspect", "/nonexistent/x.xlsx"]).output().unwrap();
    assert!(stderr(&o).contains("/nonexistent/x.xlsx: no such file"), "{}", stderr(&o));
}

#[test]
fn text_longer_than_excel_keeps_in_a_cell_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let book = temp_copy(dir.path(), "excel-style-features.xlsx");
    // Excel counts UTF-16 units: 16,384 characters outside the BMP are 32,768 units.
    edit_fails_untouched(&book, &format!("台帳!H20={}", "𠮷".repeat(16_384)), "32,767 文字以内");
    edit_fails_untouched(&book, &format!("台帳!H20={}", "あ".repeat(32_768)), "32,767 文字以内");
    let o = run(&["edit", book.to_str().unwrap(), "--set", &format!("台帳!H20={}", "あ".repeat(32_767))]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn backup_never_follows_a_link_nor_replaces_an_earlier_backup() {
    let dir = tempfile::tempdir().unwrap();
    let book = temp_copy(dir.path(), "macro.xlsm");
    let b = book.to_str().unwrap();
    let original = fs::read(&book).unwrap();
    // A link named like the backup, pointing at a file of someone else's.
    let victim = dir.path().join("victim.txt");
    fs::write(&victim, b"not yours").unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join("macro.bak.xlsm")).unwrap();
    let sheet = serde_json::from_str::<serde_json::Value>(&stdout(&run(&["inspect", b, "--json"]))).unwrap()["sheets"][0]["name"].as_str().unwrap().to_string();
    let o = run(&["edit", b, "--backup", "--set", &format!("'{sheet}'!Z9=1")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read(&victim).unwrap(), b"not yours", "the link's target is untouched");
    assert!(fs::symlink_metadata(dir.path().join("macro.bak.xlsm")).unwrap().file_type().is_symlink());
    assert_eq!(fs::read(dir.path().join("macro.bak-2.xlsm")).unwrap(), original);
    // A second edit keeps the first backup and adds the next one.
    let once = fs::read(&book).unwrap();
    let o = run(&["edit", b, "--backup", "--set", &format!("'{sheet}'!Z9=2")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read(dir.path().join("macro.bak-2.xlsm")).unwrap(), original);
    assert_eq!(fs::read(dir.path().join("macro.bak-3.xlsm")).unwrap(), once);
    // An edit that changes nothing writes nothing: no new backup, the file as it was.
    let twice = fs::read(&book).unwrap();
    let o = run(&["edit", b, "--backup", "--set", &format!("'{sheet}'!Z9=2")]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(fs::read(&book).unwrap(), twice);
    assert!(!dir.path().join("macro.bak-4.xlsm").exists());
    let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().flatten().filter(|e| e.file_name().to_string_lossy().starts_with(".risksheet-")).collect();
    assert!(leftovers.is_empty(), "no temporary file left behind");
}
