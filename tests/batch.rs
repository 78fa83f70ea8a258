//! Batch runs of `fill`, `convert`, `inspect` and `edit`: several files, directories and glob
//! patterns; `-o DIR`; JSON Lines; a damaged file among good ones; the same bytes whatever the
//! number of jobs.
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn example() -> PathBuf {
    root().join("workbooks/example-ipa-3.xlsx")
}

/// Runs risksheet in `dir` (so that relative inputs and patterns are relative to it).
fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_risksheet")).current_dir(dir).env("RISKSHEET_LANG", "ja").args(args).output().expect("run risksheet")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn ok_in(dir: &Path, args: &[&str]) -> Output {
    let o = run_in(dir, args);
    assert!(o.status.success(), "{args:?}: {}{}", stdout(&o), stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
    o
}

fn copy_example(to: &Path) {
    fs::create_dir_all(to.parent().unwrap()).unwrap();
    fs::copy(example(), to).unwrap();
}

/// Every file under `dir` (relative path → bytes).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, d: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.insert(p.strip_prefix(base).unwrap().display().to_string(), fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The bytes `risksheet fill` writes for one file on its own (the single-file command).
fn filled_alone(src: &Path) -> Vec<u8> {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("alone.xlsx");
    let o = run_in(d.path(), &["fill", src.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    fs::read(out).unwrap()
}

fn json_lines(o: &Output) -> Vec<serde_json::Value> {
    stdout(o).lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect()
}

#[test]
fn files_directories_and_globs_into_an_output_directory() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    copy_example(&p.join("clients/a.xlsx"));
    copy_example(&p.join("clients/deep/er/b.xlsm"));
    fs::write(p.join("clients/notes.txt"), "not a workbook").unwrap();
    fs::write(p.join("clients/~$a.xlsx"), "Excel's lock file").unwrap();
    copy_example(&p.join("sites/tokyo/c.xlsx"));
    copy_example(&p.join("sites/osaka/skip.xls.bak"));
    copy_example(&p.join("d.xlsx"));
    let before = tree(p);
    let o = ok_in(p, &["fill", "clients", "sites/*/*.xlsx", "d.xlsx", "-o", "out/filled", "--jobs", "2"]);
    let text = stdout(&o);
    // one line per file, in input order, then the table
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("成功") && lines[0].contains("clients/a.xlsx → out/filled/clients/a.xlsx"), "{text}");
    assert!(lines[1].contains("clients/deep/er/b.xlsm"), "{text}");
    assert!(lines[2].contains("sites/tokyo/c.xlsx"), "{text}");
    assert!(lines[3].contains("d.xlsx") && lines[3].contains("資産 8 件を計算（ipa-3）"), "{text}");
    assert!(lines[4].is_empty(), "{text}");
    assert!(text.contains("成功") && text.lines().any(|l| l.starts_with("合計") && l.ends_with(" 4")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("失敗") && l.ends_with(" 0")), "{text}");
    // outputs keep their names and the inputs' folder tree; each is what the single-file command
    // writes; inputs untouched
    let out = tree(&p.join("out/filled"));
    assert_eq!(out.keys().collect::<Vec<_>>(), ["clients/a.xlsx", "clients/deep/er/b.xlsm", "d.xlsx", "sites/tokyo/c.xlsx"]);
    let alone = filled_alone(&example());
    for (name, bytes) in &out {
        assert!(bytes == &alone, "{name} differs from the single-file fill");
    }
    let after = tree(p);
    for (name, bytes) in &before {
        assert_eq!(after.get(name), Some(bytes), "{name} was changed");
    }
    // a second run does not take the outputs inside an input directory as inputs
    let o = ok_in(p, &["fill", ".", "-o", "out/filled", "--json", "--quiet"]);
    let files: Vec<String> = json_lines(&o).iter().map(|v| v["file"].as_str().unwrap().to_string()).collect();
    assert_eq!(files.len(), 4, "{files:?}");
    assert!(files.iter().all(|f| !f.contains("out/filled")), "{files:?}");
}

#[test]
fn json_lines_one_object_per_file_with_the_commands_report() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    for n in ["a", "b", "c"] {
        copy_example(&p.join(format!("in/{n}.xlsx")));
    }
    let o = ok_in(p, &["fill", "in", "--json", "--dry-run"]);
    let objs = json_lines(&o);
    assert_eq!(objs.len(), 3);
    for (v, n) in objs.iter().zip(["a", "b", "c"]) {
        assert_eq!(v["file"], format!("in/{n}.xlsx"));
        assert_eq!(v["status"], "ok");
        assert!(v["error"].is_null());
        assert_eq!(v["warnings"], serde_json::json!([]));
        assert_eq!(v["fill"]["assets"], 8);
        assert_eq!(v["fill"]["edition"], "ipa-3");
        assert!(v["save"]["cells_written"].as_array().unwrap().len() > 100);
    }
    // standard output holds only the objects; the table goes to standard error
    assert!(stderr(&o).contains("合計"), "{}", stderr(&o));
    assert_eq!(fs::read(p.join("in/a.xlsx")).unwrap(), fs::read(example()).unwrap(), "--dry-run writes nothing");
    // --quiet: nothing on standard error
    let o = ok_in(p, &["inspect", "in/*.xlsx", "--json", "--quiet"]);
    assert_eq!(stderr(&o), "");
    // inspect's report is the single-file command's JSON
    let objs = json_lines(&o);
    let alone: serde_json::Value = serde_json::from_slice(&ok_in(p, &["inspect", "in/b.xlsx", "--json"]).stdout).unwrap();
    assert_eq!(objs[1]["inspect"], alone);
    assert_eq!(objs[1]["status"], "ok");
    // English
    let o = ok_in(p, &["--lang", "en", "inspect", "in/a.xlsx", "in/b.xlsx"]);
    assert!(stdout(&o).starts_with("ok "), "{}", stdout(&o));
    assert!(stdout(&o).contains("total"), "{}", stdout(&o));
}

#[test]
fn a_damaged_file_fails_alone_and_stays_untouched() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    for n in ["a", "b", "d", "e"] {
        copy_example(&p.join(format!("in/{n}.xlsx")));
    }
    fs::write(p.join("in/c.xlsx"), b"this is not a zip").unwrap();
    let good = fs::read(example()).unwrap();
    fs::write(p.join("in/truncated.xlsx"), &good[..good.len() / 2]).unwrap();
    let before = tree(&p.join("in"));
    // in place, JSON Lines
    let o = run_in(p, &["fill", "in", "--json", "--jobs", "2"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"));
    let objs = json_lines(&o);
    let status: Vec<(&str, &str)> = objs.iter().map(|v| (v["file"].as_str().unwrap(), v["status"].as_str().unwrap())).collect();
    assert_eq!(
        status,
        [("in/a.xlsx", "ok"), ("in/b.xlsx", "ok"), ("in/c.xlsx", "failed"), ("in/d.xlsx", "ok"), ("in/e.xlsx", "ok"), ("in/truncated.xlsx", "failed")]
    );
    assert!(objs[2]["error"].as_str().unwrap().contains("zip"), "{}", objs[2]);
    assert!(objs[2].get("fill").is_none());
    assert!(objs[5]["error"].as_str().unwrap().contains("壊れて") || objs[5]["error"].as_str().unwrap().contains("zip"), "{}", objs[5]);
    let after = tree(&p.join("in"));
    assert_eq!(after.keys().collect::<Vec<_>>(), before.keys().collect::<Vec<_>>(), "no temporary file left behind");
    assert_eq!(after["c.xlsx"], before["c.xlsx"]);
    assert_eq!(after["truncated.xlsx"], before["truncated.xlsx"]);
    let alone = filled_alone(&example());
    for n in ["a.xlsx", "b.xlsx", "d.xlsx", "e.xlsx"] {
        assert!(after[n] == alone, "{n} was not filled");
    }
    // text: the failed line with its reason, and the counts
    let o = run_in(p, &["fill", "in", "-o", "out"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(text.lines().any(|l| l.starts_with("失敗") && l.contains("in/c.xlsx") && l.contains("zip")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("失敗") && l.ends_with(" 2")), "{text}");
    assert!(text.lines().any(|l| l.starts_with("成功") && l.ends_with(" 4")), "{text}");
    assert_eq!(tree(&p.join("out")).len(), 4);
}

#[test]
fn one_and_two_jobs_write_the_same_bytes() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    // ledgers with varied inputs, made with `risksheet edit`
    for i in 0..8 {
        let f = p.join(format!("in/ledger-{i:02}.xlsx"));
        copy_example(&f);
        let c = ((i + 1) % 3 + 1).to_string();
        let sets = [format!("情報資産管理台帳!K7={}", i % 3 + 1), format!("情報資産管理台帳!L8={c}"), format!("情報資産管理台帳!B9=資産{i}")];
        let mut args = vec!["edit", f.to_str().unwrap()];
        for s in &sets {
            args.extend(["--set", s.as_str()]);
        }
        ok_in(p, &args);
    }
    let one = ok_in(p, &["fill", "in", "-o", "one", "--jobs", "1"]);
    let two = ok_in(p, &["fill", "in", "-o", "two", "--jobs", "2"]);
    let (t1, t2) = (tree(&p.join("one")), tree(&p.join("two")));
    assert_eq!(t1.len(), 8);
    assert!(t1 == t2, "--jobs 1 and --jobs 2 wrote different bytes");
    let strip = |o: &Output| stdout(o).replace("→ one/", "→ X/").replace("→ two/", "→ X/");
    assert_eq!(strip(&one), strip(&two));
    // the inputs differ, so do the outputs
    assert_ne!(t1["ledger-00.xlsx"], t1["ledger-01.xlsx"]);
}

#[test]
fn edit_and_convert_over_several_files() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    copy_example(&p.join("a.xlsx"));
    copy_example(&p.join("b.xlsx"));
    let o = ok_in(p, &["edit", "a.xlsx", "b.xlsx", "--set", "情報資産管理台帳!B7=新しい資産", "-o", "edited"]);
    assert_eq!(stdout(&o).lines().filter(|l| l.starts_with("成功")).count(), 3, "two lines and the table row: {}", stdout(&o));
    for n in ["a", "b"] {
        let g = ok_in(p, &["get", &format!("edited/{n}.xlsx"), "情報資産管理台帳!B7"]);
        assert!(stdout(&g).contains("新しい資産"), "{}", stdout(&g));
    }
    // convert: a .ods gives a .xlsx of the same name in the output directory
    let legacy = root().join("tests/fixtures/legacy");
    fs::create_dir_all(p.join("legacy")).unwrap();
    fs::copy(legacy.join("soa-2013.ods"), p.join("legacy/soa.ods")).unwrap();
    fs::copy(legacy.join("risk-register.xlsx"), p.join("legacy/rr.xlsx")).unwrap();
    let o = ok_in(p, &["convert", "legacy", "-o", "conv", "--json"]);
    let objs = json_lines(&o);
    assert_eq!(objs.len(), 2);
    assert_eq!(objs[0]["file"], "legacy/rr.xlsx");
    assert!(objs[0]["convert"]["converted"].as_u64().unwrap() > 0);
    assert_eq!(objs[1]["save"]["file"], "conv/soa.xlsx");
    assert!(p.join("conv/soa.xlsx").is_file() && p.join("conv/rr.xlsx").is_file());
    assert!(!p.join("legacy/soa.xlsx").exists());
    assert!(objs.iter().all(|v| v["status"] != "failed"));
}

#[test]
fn bad_batches() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    copy_example(&p.join("x/book.xlsx"));
    copy_example(&p.join("y/book.xlsx"));
    // two inputs with one output name (a .ods and a .xls both give a .xlsx): refused before
    // anything is written
    let legacy = root().join("tests/fixtures/legacy");
    fs::create_dir_all(p.join("old")).unwrap();
    fs::copy(legacy.join("soa-2013.ods"), p.join("old/soa.ods")).unwrap();
    fs::copy(legacy.join("risk-register.xls"), p.join("old/soa.xls")).unwrap();
    let o = run_in(p, &["convert", "old", "-o", "out"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("old/soa.ods") && stderr(&o).contains("old/soa.xls"), "{}", stderr(&o));
    assert!(tree(&p.join("out")).is_empty());
    // -o naming a file with several inputs
    fs::write(p.join("file.txt"), "").unwrap();
    let o = run_in(p, &["fill", "x/book.xlsx", "y/book.xlsx", "-o", "file.txt"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("ディレクトリ"), "{}", stderr(&o));
    // a pattern matching nothing is a failed entry; the others still run
    let o = run_in(p, &["inspect", "nothing/*.xlsx", "x"]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(text.lines().next().unwrap().starts_with("失敗") && text.contains("nothing/*.xlsx"), "{text}");
    assert!(text.lines().nth(1).unwrap().starts_with("成功"), "{text}");
    // one input that is a directory is a batch too (one line and the table)
    let o = ok_in(p, &["inspect", "x"]);
    assert!(stdout(&o).contains("合計"), "{}", stdout(&o));
}

/// What a walk and a pattern take, in order: sorted, workbooks only (any case of extension in a
/// walk, the pattern's case in a pattern), no hidden file or folder, no Excel lock (`~$`),
/// LibreOffice lock (`.~lock…#`) or `--backup` backup, no dangling link; a linked folder is
/// followed, a link back up is walked once; a name that is not UTF-8 is taken; `[` and `]`
/// in a pattern are plain characters.
#[cfg(unix)]
#[test]
fn what_a_walk_and_a_pattern_take() {
    use std::os::unix::ffi::OsStrExt;
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    let books = [
        "in/a.xlsx",
        "in/B.XLSM",
        "in/sub/c.xlsx",
        "in/sub/deeper/g.xlsm",
        "in/[old]/d.xlsx",
        "in/.hidden/e.xlsx",
        "in/.f.xlsx",
        "in/~$a.xlsx",
        "in/.~lock.a.xlsx#",
        "in/a.bak.xlsx",
        "in/a.bak-2.xlsx",
        "other/h.xlsx",
    ];
    for f in books {
        copy_example(&p.join(f));
    }
    fs::write(p.join("in/notes.txt"), "not a workbook").unwrap();
    fs::copy(example(), p.join("in").join(std::ffi::OsStr::from_bytes(b"caf\xe9.xlsx"))).unwrap();
    std::os::unix::fs::symlink("../other", p.join("in/link")).unwrap();
    std::os::unix::fs::symlink(".", p.join("in/loop")).unwrap();
    std::os::unix::fs::symlink("nowhere.xlsx", p.join("in/dangling.xlsx")).unwrap();
    fs::create_dir(p.join("in/x")).unwrap();
    std::os::unix::fs::symlink("../sub/deeper", p.join("in/x/alias")).unwrap();
    let files = |dir: &Path, input: &str| -> Vec<String> {
        let o = run_in(dir, &["inspect", input, "--json", "--quiet"]);
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
        json_lines(&o).iter().map(|v| v["file"].as_str().unwrap().to_string()).collect()
    };
    let lossy = "caf\u{FFFD}.xlsx";
    assert_eq!(
        files(p, "in"),
        ["in/B.XLSM", "in/[old]/d.xlsx", "in/a.xlsx", &format!("in/{lossy}"), "in/link/h.xlsx", "in/sub/c.xlsx", "in/sub/deeper/g.xlsm"]
    );
    assert_eq!(files(p, "in/*.xlsx"), ["in/a.xlsx", &format!("in/{lossy}")]);
    assert_eq!(files(p, "in/**/*.xls?"), ["in/[old]/d.xlsx", "in/a.xlsx", &format!("in/{lossy}"), "in/link/h.xlsx", "in/sub/c.xlsx", "in/sub/deeper/g.xlsm"]);
    assert_eq!(files(p, "in/**/a.xlsx"), ["in/a.xlsx"]);
    // a folder walked under one name is searched again under a link's other name
    assert_eq!(files(p, "in/**/alias/*.xlsm"), ["in/x/alias/g.xlsm"]);
    assert_eq!(files(p, "in/[o*/d.xlsx"), ["in/[old]/d.xlsx"]);
    assert_eq!(files(p, "in/?old]/*"), ["in/[old]/d.xlsx"]);
    assert_eq!(files(p, "in/*/c.xlsx"), ["in/sub/c.xlsx"]);
    assert_eq!(files(p, "in/.hidden/*.xlsx"), ["in/.hidden/e.xlsx"], "a hidden folder named in the pattern is searched");
    // relative to the working directory, without "./"
    assert_eq!(files(&p.join("in"), "*.xlsx"), ["a.xlsx", lossy]);
    assert_eq!(files(&p.join("in"), "sub/**/*.xlsm"), ["sub/deeper/g.xlsm"]);
}

/// One folder per client, each with a workbook of the same name: the outputs keep the tree
/// (`OUT/A社/台帳.xlsx`), given as the folder of clients or as the clients' folders.
#[test]
fn outputs_keep_the_folder_tree() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path();
    copy_example(&p.join("clients/A社/台帳.xlsx"));
    copy_example(&p.join("clients/B社/台帳.xlsx"));
    copy_example(&p.join("clients/B社/2024/台帳.xlsx"));
    let before = tree(p);
    let o = ok_in(p, &["fill", "clients", "-o", "out", "--jobs", "1"]);
    let text = stdout(&o);
    assert!(text.contains("clients/A社/台帳.xlsx → out/A社/台帳.xlsx"), "{text}");
    let out = tree(&p.join("out"));
    assert_eq!(out.keys().collect::<Vec<_>>(), ["A社/台帳.xlsx", "B社/2024/台帳.xlsx", "B社/台帳.xlsx"]);
    let alone = filled_alone(&example());
    assert!(out.values().all(|b| b == &alone), "each is what the single-file fill writes");
    // The clients' folders one by one, and a pattern: the tree below the folder they share.
    let o = ok_in(p, &["fill", "clients/A社", "clients/B社", "-o", "out2", "--jobs", "1"]);
    assert!(stdout(&o).contains("clients/B社/2024/台帳.xlsx → out2/B社/2024/台帳.xlsx"), "{}", stdout(&o));
    assert_eq!(tree(&p.join("out2")).keys().collect::<Vec<_>>(), ["A社/台帳.xlsx", "B社/2024/台帳.xlsx", "B社/台帳.xlsx"]);
    ok_in(p, &["convert", "clients/*/台帳.xlsx", "--to", "2022", "-o", "out3", "--jobs", "1"]);
    assert_eq!(tree(&p.join("out3")).keys().collect::<Vec<_>>(), ["A社/台帳.xlsx", "B社/台帳.xlsx"]);
    // --dry-run creates no folder; the inputs are untouched.
    ok_in(p, &["fill", "clients", "-o", "out4", "--dry-run"]);
    assert!(!p.join("out4").exists());
    let after = tree(p);
    for (name, bytes) in &before {
        assert_eq!(after.get(name), Some(bytes), "{name} was changed");
    }
}
