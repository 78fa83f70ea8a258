//! Saves that cannot go wrong (issue 12): the new file is checked before it replaces anything,
//! links and odd targets, owner and mode, other programs and other risksheet runs, leftovers.
//! Each case asserts the exit code, a one-line message, and the original byte-identical (or the
//! new file complete) with no temporary file left.
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{fails, fixture, ok, stderr};

fn copy_of(dir: &Path, fixture_name: &str, name: &str) -> PathBuf {
    let p = dir.join(name);
    fs::copy(fixture(fixture_name), &p).unwrap();
    p
}

fn no_leftovers(dir: &Path) {
    let left: Vec<_> =
        fs::read_dir(dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with(".risksheet-")).collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

/// The value of one cell as `get` prints it.
fn get(book: &Path, cell: &str) -> String {
    let out = ok(&["get", book.to_str().unwrap(), cell]);
    out.trim_end().split('\t').nth(1).unwrap_or("").to_string()
}

/// Rewrites a zip with `edit` applied to its entries (name, stored bytes), stored uncompressed.
fn rezip(src: &Path, dst: &Path, edit: impl FnOnce(&mut Vec<(String, Vec<u8>)>)) {
    let mut zin = zip::ZipArchive::new(fs::File::open(src).unwrap()).unwrap();
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..zin.len() {
        let mut f = zin.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        entries.push((f.name().unwrap().into_owned(), bytes));
    }
    edit(&mut entries);
    let mut zw = zip::ZipWriter::new(fs::File::create(dst).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in entries {
        zw.start_file(name, opts).unwrap();
        zw.write_all(&bytes).unwrap();
    }
    zw.finish().unwrap();
}

#[test]
fn a_save_that_could_not_be_read_again_replaces_nothing() {
    // At the limit of parts: the conversion adds its trail sheet, and the new package would be
    // over the limit. Checked before the rename, the original is left as it was.
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("soa.xlsx");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/legacy/soa-2013.xlsx");
    rezip(&src, &book, |entries| {
        let n = 20_000 - entries.len();
        entries.extend((0..n).map(|i| (format!("customXml/pad{i}.bin"), vec![b'x'])));
    });
    let original = fs::read(&book).unwrap();
    fails(&["convert", book.to_str().unwrap()], "soa.xlsx", "壊れています");
    assert_eq!(fs::read(&book).unwrap(), original, "the original is untouched");
    no_leftovers(dir.path());
}

#[test]
fn a_damaged_part_is_found_before_it_is_copied() {
    // A stored (uncompressed) part whose bytes no longer match its checksum: an edit elsewhere
    // would copy it raw into the new file; the save refuses instead, naming the part.
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("crc.xlsx");
    rezip(&fixture("excel-style-features.xlsx"), &book, |entries| entries.push(("xl/media/image9.png".into(), b"PNG-DATA-PNG-DATA".to_vec())));
    let mut bytes = fs::read(&book).unwrap();
    let at = bytes.windows(9).position(|w| w == b"PNG-DATA-").unwrap();
    bytes[at] = b'Q';
    fs::write(&book, &bytes).unwrap();
    let err = fails(&["edit", book.to_str().unwrap(), "--set", "台帳!H20=1"], "crc.xlsx", "壊れています");
    assert!(err.contains("image9.png"), "names the part: {err}");
    assert_eq!(fs::read(&book).unwrap(), bytes);
    no_leftovers(dir.path());
}

#[test]
fn entries_sharing_their_data_are_refused() {
    // Many central-directory entries pointing at one local file: a zip bomb (0.8 MB → 1.1 GB).
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("shared.xlsx");
    rezip(&fixture("excel-style-features.xlsx"), &book, |_| {});
    let bytes = fs::read(&book).unwrap();
    // Copy the last central-directory record 200 times under new names, all pointing at the same
    // local header.
    let eocd = bytes.windows(4).rposition(|w| w == b"PK\x05\x06").unwrap();
    let cd_start = u32::from_le_bytes(bytes[eocd + 16..eocd + 20].try_into().unwrap()) as usize;
    let records: Vec<usize> = (cd_start..eocd).filter(|&i| bytes[i..].starts_with(b"PK\x01\x02")).collect();
    let last = *records.last().unwrap();
    let record = bytes[last..eocd].to_vec();
    let mut out = bytes[..eocd].to_vec();
    for i in 0..200 {
        let mut copy = record.clone();
        copy[46..51].copy_from_slice(format!("p{i:04}").as_bytes());
        out.extend_from_slice(&copy);
    }
    let mut end = bytes[eocd..].to_vec();
    let count = (records.len() + 200) as u16;
    end[8..10].copy_from_slice(&count.to_le_bytes());
    end[10..12].copy_from_slice(&count.to_le_bytes());
    let size = (out.len() - cd_start) as u32;
    end[12..16].copy_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&end);
    fs::write(&book, &out).unwrap();
    fails(&["get", book.to_str().unwrap(), "台帳!A1"], "shared.xlsx", "重なって");
    fails(&["edit", book.to_str().unwrap(), "--set", "台帳!H20=1"], "shared.xlsx", "重なって");
    assert_eq!(fs::read(&book).unwrap(), out);
}

#[test]
fn a_symlinked_workbook_is_saved_into_the_real_file() {
    let dir = tempfile::tempdir().unwrap();
    let real = copy_of(dir.path(), "excel-style-features.xlsx", "real.xlsx");
    let link = dir.path().join("link.xlsx");
    std::os::unix::fs::symlink("real.xlsx", &link).unwrap();
    ok(&["edit", link.to_str().unwrap(), "--set", "台帳!H20=42"]);
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
    assert_eq!(get(&real, "台帳!H20"), "42", "the real file has the edit");
    // `report -o` through a link: the real file gets the report, atomically.
    let ipa = copy_of(dir.path(), "ipa-like-ledger.xlsx", "ipa.xlsx");
    let target = dir.path().join("report-real.md");
    fs::write(&target, "old").unwrap();
    std::os::unix::fs::symlink("report-real.md", dir.path().join("report.md")).unwrap();
    ok(&["report", ipa.to_str().unwrap(), "-o", dir.path().join("report.md").to_str().unwrap()]);
    assert!(fs::symlink_metadata(dir.path().join("report.md")).unwrap().file_type().is_symlink());
    assert!(fs::read_to_string(&target).unwrap().starts_with('#'), "the report is in the real file");
    no_leftovers(dir.path());
}

#[test]
fn targets_that_are_not_regular_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let book = copy_of(dir.path(), "excel-style-features.xlsx", "book.xlsx");
    let fifo = dir.path().join("pipe.xlsx");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    fails(&["edit", book.to_str().unwrap(), "--set", "台帳!H20=1", "-o", fifo.to_str().unwrap()], "pipe.xlsx", "通常のファイルではありません");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the FIFO is still there");
    let ipa = copy_of(dir.path(), "ipa-like-ledger.xlsx", "ipa.xlsx");
    let report_fifo = dir.path().join("pipe.md");
    assert!(Command::new("mkfifo").arg(&report_fifo).status().unwrap().success());
    fails(&["report", ipa.to_str().unwrap(), "-o", report_fifo.to_str().unwrap()], "pipe.md", "通常のファイルではありません");
    // Reading one is refused before anything is read (a FIFO would block, /dev/zero never ends).
    fails(&["get", fifo.to_str().unwrap(), "台帳!A1"], "pipe.xlsx", "通常のファイルではありません");
    fails(&["get", "/dev/zero", "A!A1"], "/dev/zero", "通常のファイルではありません");
    no_leftovers(dir.path());
}

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};

#[test]
fn the_replaced_file_keeps_its_owner_and_mode() {
    let dir = tempfile::tempdir().unwrap();
    let book = copy_of(dir.path(), "excel-style-features.xlsx", "book.xlsx");
    fs::set_permissions(&book, fs::Permissions::from_mode(0o640)).unwrap();
    let as_root = fs::metadata(&book).unwrap().uid() == 0;
    if as_root {
        std::os::unix::fs::chown(&book, Some(1234), Some(5678)).unwrap();
    }
    ok(&["edit", book.to_str().unwrap(), "--backup", "--set", "台帳!H20=7"]);
    for f in [&book, &dir.path().join("book.bak.xlsx")] {
        let meta = fs::metadata(f).unwrap();
        assert_eq!(meta.mode() & 0o7777, 0o640, "{f:?}");
        if as_root {
            assert_eq!((meta.uid(), meta.gid()), (1234, 5678), "{f:?}");
        }
    }
    assert_eq!(get(&book, "台帳!H20"), "7");
}

#[test]
fn a_workbook_open_in_libreoffice_or_excel_is_not_changed_under_it() {
    let dir = tempfile::tempdir().unwrap();
    let book = copy_of(dir.path(), "excel-style-features.xlsx", "台帳.xlsx");
    let b = book.to_str().unwrap();
    let original = fs::read(&book).unwrap();
    let office = dir.path().join(".~lock.台帳.xlsx#");
    fs::write(&office, "佐藤 花子,pc01,pc01,30.11.2026 09:12,file:///home/sato/.config/libreoffice/4;").unwrap();
    let err = fails(&["edit", b, "--set", "台帳!H20=1"], "台帳.xlsx", "開かれています");
    assert!(err.contains("LibreOffice") && err.contains("佐藤 花子") && err.contains("--force"), "{err}");
    assert_eq!(fs::read(&book).unwrap(), original);
    fs::remove_file(&office).unwrap();
    let excel = dir.path().join("~$台帳.xlsx");
    fs::write(&excel, b"x").unwrap();
    let err = fails(&["edit", b, "--set", "台帳!H20=1"], "台帳.xlsx", "開かれています");
    assert!(err.contains("Excel"), "{err}");
    assert_eq!(fs::read(&book).unwrap(), original);
    // Opened through a link: LibreOffice's lock is beside the link.
    fs::remove_file(&excel).unwrap();
    let link = dir.path().join("link.xlsx");
    std::os::unix::fs::symlink("台帳.xlsx", &link).unwrap();
    fs::write(dir.path().join(".~lock.link.xlsx#"), "佐藤 花子,pc01,pc01,30.11.2026 09:12,file:///x;").unwrap();
    fails(&["edit", link.to_str().unwrap(), "--set", "台帳!H20=1"], "link.xlsx", "開かれています");
    assert_eq!(fs::read(&book).unwrap(), original);
    fs::write(&excel, b"x").unwrap();
    // With --force the user says the lock is stale.
    ok(&["edit", b, "--force", "--set", "台帳!H20=1"]);
    assert_eq!(get(&book, "台帳!H20"), "1");
    // In English too.
    let o = Command::new(env!("CARGO_BIN_EXE_risksheet")).args(["--lang", "en", "edit", b, "--set", "台帳!H20=2"]).output().unwrap();
    assert!(stderr(&o).contains("open in another program"), "{}", stderr(&o));
    no_leftovers(dir.path());
}

#[test]
fn two_edits_of_one_file_at_once_both_land() {
    let dir = tempfile::tempdir().unwrap();
    let book = copy_of(dir.path(), "excel-style-features.xlsx", "book.xlsx");
    let b = book.to_str().unwrap();
    for round in 0..10 {
        let spawn = |cell: &str| {
            Command::new(env!("CARGO_BIN_EXE_risksheet"))
                .args(["edit", b, "--set", &format!("台帳!{cell}={round}")])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (one, two) = (spawn("H20"), spawn("H21"));
        for child in [one, two] {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", stderr(&out));
        }
        assert_eq!(get(&book, "台帳!H20"), round.to_string(), "round {round}");
        assert_eq!(get(&book, "台帳!H21"), round.to_string(), "round {round}");
    }
    no_leftovers(dir.path());
}

#[test]
fn temporary_files_of_a_killed_run_are_removed_by_the_next_save() {
    let dir = tempfile::tempdir().unwrap();
    let book = copy_of(dir.path(), "excel-style-features.xlsx", "book.xlsx");
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    let leftover = |name: &str, modified: std::time::SystemTime| {
        let p = dir.path().join(name);
        fs::File::create(&p).unwrap().set_modified(modified).unwrap();
        p
    };
    // No process has this id (above the kernel's pid_max); one minute idle.
    let dead = leftover(".risksheet-4999999-a1B2c3.tmp", old);
    // Still being written (young), and one of a running process (this test).
    let young = leftover(".risksheet-4999998-d4E5f6.tmp", std::time::SystemTime::now());
    let alive = leftover(&format!(".risksheet-{}-g7H8i9.tmp", std::process::id()), old);
    ok(&["edit", book.to_str().unwrap(), "--set", "台帳!H20=3"]);
    assert!(!dead.exists(), "the leftover of a killed run is removed");
    assert!(young.exists() && alive.exists(), "files that may still be in use stay");
}

#[test]
fn read_only_and_hard_linked_files_are_not_replaced_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let book = copy_of(dir.path(), "excel-style-features.xlsx", "ro.xlsx");
    let b = book.to_str().unwrap();
    fs::set_permissions(&book, fs::Permissions::from_mode(0o444)).unwrap();
    let original = fs::read(&book).unwrap();
    fails(&["edit", b, "--set", "台帳!H20=1"], "ro.xlsx", "読み取り専用");
    assert_eq!(fs::read(&book).unwrap(), original);
    ok(&["edit", b, "--force", "--set", "台帳!H20=1"]);
    assert_eq!(fs::metadata(&book).unwrap().mode() & 0o777, 0o444, "still read-only after a forced save");
    // A second name for the same file would keep the old content: refused.
    let linked = copy_of(dir.path(), "excel-style-features.xlsx", "h.xlsx");
    let other = dir.path().join("h2.xlsx");
    fs::hard_link(&linked, &other).unwrap();
    let err = fails(&["edit", linked.to_str().unwrap(), "--set", "台帳!H20=1"], "h.xlsx", "ハードリンク");
    assert!(err.contains("2"), "{err}");
    assert_eq!(fs::metadata(&linked).unwrap().ino(), fs::metadata(&other).unwrap().ino(), "still one file");
    no_leftovers(dir.path());
}

#[test]
fn a_lock_file_that_cannot_be_read_still_says_the_workbook_is_open() {
    // A colleague's lock this user may not read (umask 077); here a folder of that name, which no
    // one reads as a file, stands for it (the tests run as root, who reads any file).
    let dir = tempfile::tempdir().unwrap();
    let book = copy_of(dir.path(), "excel-style-features.xlsx", "a.xlsx");
    fs::create_dir(dir.path().join(".~lock.a.xlsx#")).unwrap();
    let original = fs::read(&book).unwrap();
    fails(&["edit", book.to_str().unwrap(), "--set", "台帳!H20=1"], "a.xlsx", "開かれています");
    assert_eq!(fs::read(&book).unwrap(), original);
}

#[test]
fn a_report_is_never_written_over_a_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let book = copy_of(dir.path(), "ipa-like-ledger.xlsx", "r.xlsx");
    std::os::unix::fs::symlink("r.xlsx", dir.path().join("rl.md")).unwrap();
    let original = fs::read(&book).unwrap();
    fails(&["report", book.to_str().unwrap(), "-o", dir.path().join("rl.md").to_str().unwrap()], "rl.md", "上書きしません");
    assert_eq!(fs::read(&book).unwrap(), original, "the workbook is still the workbook");
    no_leftovers(dir.path());
}
