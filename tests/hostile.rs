//! Hostile input through the CLI: damaged legacy workbooks, decompression budgets, absurd
//! limits, devices and FIFOs, symlink loops. Each is a clear one-line error naming the file and
//! a non-zero exit, never a panic or an abort; where memory is the point, the child's peak RSS
//! is measured (generous bounds, no timings).
mod common;

use common::{bin, legacy, one_line_failure, stderr, stdout};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

const GIB: u64 = 1 << 30;

/// Runs the command and returns its output with its peak resident set in bytes (where the
/// platform tells it).
fn run_measured(mut cmd: Command) -> (Output, Option<u64>) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::process::ExitStatusExt;
        cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
        // Waited for with wait4 below (for its resource usage), not with `Child::wait`.
        #[allow(clippy::zombie_processes)]
        let mut child = cmd.spawn().expect("run risksheet");
        let (mut out, mut err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
        let t_out = std::thread::spawn(move || {
            let mut v = Vec::new();
            std::io::Read::read_to_end(&mut out, &mut v).unwrap();
            v
        });
        let t_err = std::thread::spawn(move || {
            let mut v = Vec::new();
            std::io::Read::read_to_end(&mut err, &mut v).unwrap();
            v
        });
        let mut status = 0;
        // SAFETY: plain system call on our own child; `usage` is written by the kernel.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let pid = child.id() as libc::pid_t;
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        assert_eq!(r, pid, "wait4");
        let output = Output { status: std::process::ExitStatus::from_raw(status), stdout: t_out.join().unwrap(), stderr: t_err.join().unwrap() };
        (output, Some(usage.ru_maxrss as u64 * 1024))
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        (cmd.output().expect("run risksheet"), None)
    }
}

fn assert_rss_below(rss: Option<u64>, bound: u64, what: &str) {
    if let Some(rss) = rss {
        assert!(rss < bound, "{what}: peak RSS {} MiB over {} MiB", rss >> 20, bound >> 20);
    }
}

/// A small deterministic generator (splitmix64) for the mutations.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn mutate(data: &[u8], seed: u64) -> Vec<u8> {
    let mut r = Rng(seed);
    let mut b = data.to_vec();
    for _ in 0..1 + r.below(4) {
        let p = r.below(b.len() - 4);
        match r.below(4) {
            0 => b[p] = r.next() as u8,
            1 => b[p..p + 4].copy_from_slice([[0xFF; 4], [0xFF, 0xFF, 0xFF, 0x7F], [0, 0, 0, 0x80], [0xFE, 0xFF, 0, 0]][r.below(4)].as_slice()),
            2 => b[p + 1] = 0xFF,
            _ => b[p] ^= 1 << r.below(8),
        }
    }
    b
}

#[test]
fn a_batch_of_mutated_legacy_workbooks_always_finishes_with_its_table() {
    let dir = tempfile::tempdir().unwrap();
    for (name, n) in [("risk-register.xls", 200u64), ("soa-2013.ods", 100)] {
        let data = std::fs::read(legacy(name)).unwrap();
        let ext = Path::new(name).extension().unwrap().to_str().unwrap();
        for i in 0..n {
            std::fs::write(dir.path().join(format!("m{i:03}-{}.{ext}", &name[..3])), mutate(&data, i)).unwrap();
        }
    }
    let mut cmd = bin();
    cmd.args(["convert", "--dry-run", "-q", "-j", "2"]).arg(dir.path());
    let (o, rss) = run_measured(cmd);
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(o.status.code().is_some(), "ended by a signal: {:?}\n{err}", o.status);
    assert!(!err.contains("panicked"), "{err}");
    let total = out.lines().find(|l| l.starts_with("合計")).unwrap_or_else(|| panic!("no table: {out}"));
    assert!(total.ends_with(" 300"), "{total}");
    assert!(out.contains("失敗"), "some mutants fail: {out}");
    assert_rss_below(rss, GIB, "300 mutated legacy files");
}

#[test]
fn a_damaged_xls_that_panics_calamine_is_one_clear_error() {
    // Bytes changed in the fixture (found by the mutation loop): calamine indexes past a record.
    let mut b = std::fs::read(legacy("risk-register.xls")).unwrap();
    for (at, v) in [(644, 127), (6132, 29), (6583, 255), (6584, 255), (6585, 255), (6586, 255), (6912, 239)] {
        b[at] = v;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("壊れた.xls");
    std::fs::write(&p, &b).unwrap();
    let o = bin().args(["convert", "--dry-run"]).arg(&p).output().unwrap();
    one_line_failure(&o, "壊れた.xls", "壊れています");
}

#[test]
fn an_xls_declaring_four_billion_rows_is_refused_before_allocating() {
    let mut b = std::fs::read(legacy("risk-register.xls")).unwrap();
    let at = b.windows(4).position(|w| w == [0x00, 0x02, 0x0E, 0x00]).expect("a DIMENSIONS record");
    b[at + 8..at + 12].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("dims.xls");
    std::fs::write(&p, &b).unwrap();
    let mut cmd = bin();
    cmd.args(["convert", "--dry-run"]).arg(&p);
    let (o, rss) = run_measured(cmd);
    one_line_failure(&o, "dims.xls", "セル");
    assert_rss_below(rss, GIB, "declared dimensions");
}

fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zw = zip::ZipWriter::new(&mut buf);
    for (name, data) in parts {
        zw.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        zw.write_all(data).unwrap();
    }
    zw.finish().unwrap();
    buf.into_inner()
}

#[test]
fn an_ods_repeating_a_cell_a_hundred_million_times_is_refused() {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="a"><table:table-row table:number-rows-repeated="6000"><table:table-cell office:value-type="string" table:number-columns-repeated="16384"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let bytes = zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", content.as_bytes())]);
    assert!(bytes.len() < 2000);
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("repeat.ods");
    std::fs::write(&p, &bytes).unwrap();
    let mut cmd = bin();
    cmd.args(["convert", "--dry-run"]).arg(&p);
    let (o, rss) = run_measured(cmd);
    one_line_failure(&o, "repeat.ods", "セル");
    assert_rss_below(rss, GIB, "ods repeats");
}

/// A `.xlsx` whose sheet and shared strings inflate to `sheet_mb` and `strings_mb` MiB (spaces
/// inside the XML); A1 is a shared string, so `get` needs both.
fn padded_workbook(sheet_mb: usize, strings_mb: usize) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zw = zip::ZipWriter::new(&mut buf);
    let opt = SimpleFileOptions::default().compression_level(Some(1)).large_file(false);
    let small: [(&str, &str); 4] = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#,
        ),
    ];
    for (name, xml) in small {
        zw.start_file(name, opt).unwrap();
        zw.write_all(xml.as_bytes()).unwrap();
    }
    let spaces = vec![b' '; 1 << 20];
    zw.start_file("xl/worksheets/sheet1.xml", opt).unwrap();
    zw.write_all(br#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>"#).unwrap();
    for _ in 0..sheet_mb {
        zw.write_all(&spaces).unwrap();
    }
    zw.write_all(b"</sheetData></worksheet>").unwrap();
    zw.start_file("xl/sharedStrings.xml", opt).unwrap();
    zw.write_all(br#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>hello</t></si>"#).unwrap();
    for _ in 0..strings_mb {
        zw.write_all(&spaces).unwrap();
    }
    zw.write_all(b"</sst>").unwrap();
    zw.finish().unwrap();
    buf.into_inner()
}

#[test]
fn parts_under_the_part_limit_are_still_bounded_by_the_workbook_budget() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("budget.xlsx");
    // 400 + 700 MiB: each under the 1 GiB part limit, together over the 1 GiB budget.
    std::fs::write(&p, padded_workbook(400, 700)).unwrap();
    let mut cmd = bin();
    cmd.arg("get").arg(&p).arg("S!A1");
    let (o, rss) = run_measured(cmd);
    one_line_failure(&o, "budget.xlsx", "先に読んだパーツとの合計");
    // The 400 MiB sheet is held while the strings inflate up to the budget: about 1 GiB of
    // part text at most, never the sum of the parts.
    assert_rss_below(rss, 2 * GIB, "two large parts");
    // Small parts pass, and the value is read.
    std::fs::write(&p, padded_workbook(1, 1)).unwrap();
    let o = bin().arg("get").arg(&p).arg("S!A1").output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("hello"));
}

#[test]
fn a_part_over_the_limit_that_is_only_copied_stops_the_save() {
    // A part no command reads (copied raw on save) is still inflated within the part limit first.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("pad.xlsx");
    let mut buf = std::io::Cursor::new(padded_workbook(0, 0));
    let mut zw = zip::ZipWriter::new_append(&mut buf).unwrap();
    zw.start_file("xl/media/pad.bin", zip::write::SimpleFileOptions::default()).unwrap();
    zw.write_all(&vec![0u8; 3 << 20]).unwrap();
    zw.finish().unwrap();
    std::fs::write(&p, buf.into_inner()).unwrap();
    let before = std::fs::read(&p).unwrap();
    let o = bin().args(["--max-part-mb", "2", "edit"]).arg(&p).args(["--set", "S!B1=1"]).output().unwrap();
    one_line_failure(&o, "xl/media/pad.bin", "大きすぎます");
    assert_eq!(std::fs::read(&p).unwrap(), before, "the workbook is as it was");
    let o = bin().args(["--max-part-mb", "4", "edit"]).arg(&p).args(["--set", "S!B1=1"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn absurd_max_part_sizes_are_usage_errors() {
    let book = legacy("risk-register.xlsx");
    for v in ["9223372036854775807", "18446744073709551615", "17592186044416", "0"] {
        let o = bin().args(["--max-part-mb", v, "get"]).arg(&book).arg("A1").output().unwrap();
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{v}: {err}");
        assert!(err.contains("--max-part-mb") && err.contains("65536"), "{v}: {err}");
        assert!(!err.contains("0 バイト") && !err.contains("panicked"), "{err}");
    }
    let o = bin().args(["--max-part-mb", "65536", "get"]).arg(&book).arg("リスク対応!A3").output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_are_refused_without_reading() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.xlsx");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo on a path we own.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    for (args, name) in [(vec!["get", fifo.to_str().unwrap(), "A1"], "pipe.xlsx"), (vec!["inspect", "/dev/zero"], "/dev/zero")] {
        let o = bin().args(&args).output().unwrap();
        one_line_failure(&o, name, "通常のファイルではありません");
    }
    // A legacy name too: /dev/zero behind a link named .xls.
    let link = dir.path().join("zero.xls");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let o = bin().args(["convert", "--dry-run"]).arg(&link).output().unwrap();
    one_line_failure(&o, "zero.xls", "通常のファイルではありません");
    // In a walk they are skipped: the batch sees only the real workbook.
    std::fs::copy(legacy("risk-register.xlsx"), dir.path().join("real.xlsx")).unwrap();
    let o = bin().args(["inspect", "-q"]).arg(dir.path()).output().unwrap();
    let out = stdout(&o);
    assert!(out.contains("real.xlsx") && !out.contains("pipe.xlsx") && !out.contains("zero.xls"), "{out}");
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a/b");
    std::fs::create_dir_all(&a).unwrap();
    std::fs::copy(legacy("risk-register.xlsx"), a.join("book.xlsx")).unwrap();
    std::os::unix::fs::symlink("../..", a.join("up")).unwrap();
    std::os::unix::fs::symlink(dir.path(), a.join("root")).unwrap();
    for input in [dir.path().to_path_buf(), dir.path().join("**/*.xlsx")] {
        let mut cmd = bin();
        cmd.args(["inspect", "-q"]).arg(&input);
        let (o, rss) = run_measured(cmd);
        let out = stdout(&o);
        assert!(out.contains("book.xlsx"), "{out}{}", stderr(&o));
        let total = out.lines().find(|l| l.starts_with("合計")).unwrap_or_else(|| panic!("{out}"));
        assert!(total.ends_with(" 1"), "one workbook, once: {out}");
        assert_rss_below(rss, GIB, "symlink loop");
    }
}

#[test]
fn one_asset_typed_at_the_last_row_is_reported_not_filled_down_to() {
    // A stray entry at row 1,048,576 once made fill write 7.3 M cells (33 KB → 23 MB). The table
    // ends at its last asset before a long gap; the stray row is named and left alone.
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("ledger.xlsx");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("workbooks/example-ipa-3.xlsx"), &book).unwrap();
    let b = book.to_str().unwrap();
    let o = bin().args(["edit", b, "--set", "情報資産管理台帳!B1048576=迷子の資産", "--set", "情報資産管理台帳!F1048576=書類"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let before = std::fs::metadata(&book).unwrap().len();
    let (o, rss) = run_measured({
        let mut c = bin();
        c.args(["fill", b, "--json"]);
        c
    });
    assert_eq!(o.status.code(), Some(3), "fill wrote what it could and asks for a look: {}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let warnings = v["fill"]["warnings"].as_array().unwrap();
    let stray = warnings.iter().find(|w| w["cell"] == "B1048576").unwrap_or_else(|| panic!("the stray cell is named: {warnings:?}"));
    assert!(stray["message"].as_str().unwrap().contains("500行以上離れた"), "{stray}");
    assert_eq!(v["fill"]["assets"], 8, "the stray row is not an asset of the table");
    let after = std::fs::metadata(&book).unwrap().len();
    assert!(after < before * 2, "the file stays its size: {before} → {after} bytes");
    assert_rss_below(rss, GIB / 4, "fill with a stray last row");
    // Nothing was computed on the stray row.
    let got = bin().args(["get", b, "情報資産管理台帳!M1048576", "情報資産管理台帳!T1048576"]).output().unwrap();
    assert!(!stdout(&got).contains('='), "no formulas on the stray row: {}", stdout(&got));
}
