//! With `--lang en` (or `RISKSHEET_LANG=en`) every message risksheet prints is English: no
//! Japanese (CJK) character is left once the user's own text is taken out of the output (quoted
//! spans 「…」 "…" “…” '…', `sheet!cell` names, and the sheet names and cell texts the workbook
//! itself holds, which a table prints as they are). One test runs every command path (fill,
//! inspect, report, soa, convert, edit, get, new of every edition, batch, the error paths) on the
//! shipped workbooks and the problem fixtures; `--json` output is data and is not checked.
mod common;
use common::*;
use std::path::{Path, PathBuf};

fn cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff00}'..='\u{ffef}')
}

/// The texts a workbook holds: its sheet names and the text of every cell (also each line and
/// each item of a list in a cell), longest first.
fn user_texts(book: &Path) -> Vec<String> {
    let b = book.to_str().unwrap();
    let inspect: serde_json::Value = serde_json::from_str(&ok(&["inspect", b, "--json"])).unwrap();
    let names: Vec<String> = inspect["sheets"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().to_string()).collect();
    let mut texts = names.clone();
    for name in &names {
        let cells: serde_json::Value = serde_json::from_str(&ok(&["get", b, name, "--json"])).unwrap();
        for c in cells.as_array().unwrap() {
            if let Some(v) = c[1]["value"].as_str() {
                texts.push(v.trim().to_string());
                texts.extend(
                    v.split(['\n', '、', ',', '・', '／', '/', '（', '）', '(', ')', ' ', '　'])
                        .map(|s| s.trim().to_string())
                        .filter(|s| s.chars().count() > 1),
                );
            }
        }
    }
    // The sheets an IPA workbook should have, named as the workbook's language names them when
    // one is missing.
    texts.extend(["情報資産管理台帳", "脅威の状況", "対策状況チェック", "診断結果"].map(String::from));
    texts.retain(|t| !t.is_empty());
    texts.sort_by_key(|t| std::cmp::Reverse(t.len()));
    texts.dedup();
    texts
}

/// `line` without quoted spans and `sheet!cell` names.
fn without_quotes(line: &str) -> String {
    let mut out = line.to_string();
    for (open, close) in [('「', '」'), ('“', '”'), ('"', '"'), ('\'', '\'')] {
        while let Some(i) = out.find(open) {
            let from = i + open.len_utf8();
            let Some(j) = out[from..].find(close) else { break };
            out.replace_range(i..from + j + close.len_utf8(), " ");
        }
    }
    // A sheet!cell name.
    out.split_whitespace().filter(|w| !w.contains(['!', '！'])).collect::<Vec<_>>().join(" ")
}

struct Check {
    offenders: Vec<String>,
    runs: usize,
}

impl Check {
    /// Runs risksheet with English messages and records every line of its output that still
    /// holds CJK once the user's text (`user`, and quoted spans) is taken out.
    fn run(&mut self, args: &[&str], user: &[String]) -> std::process::Output {
        let o = bin().args(["--lang", "en"]).args(args).output().unwrap();
        self.look(args, &o, user);
        o
    }
    fn look(&mut self, args: &[&str], o: &std::process::Output, user: &[String]) {
        self.runs += 1;
        let err = stderr(o);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        for line in stdout(o).lines().chain(err.lines()) {
            // `convert`: `SHEET!CELL<tab>OLD → NEW`, a cell's text before and after.
            if line.split('\t').next().is_some_and(|f| f.contains('!')) && line.contains(" → ") {
                continue;
            }
            // A user's text cut short to fit a column (`社員名簿、当社…`).
            let mut rest = line.split(' ').filter(|w| !w.ends_with('…')).collect::<Vec<_>>().join(" ");
            for t in user {
                rest = rest.replace(t.as_str(), "\u{1}");
            }
            // The separators between the user's texts of one cell (`社員名簿、当社宛請求書…`).
            while rest.contains("\u{1}、") || rest.contains("、\u{1}") {
                rest = rest.replace("\u{1}、", "\u{1}").replace("、\u{1}", "\u{1}");
            }
            let rest = rest.replace('\u{1}', " ");
            let rest = without_quotes(&rest);
            if rest.chars().any(cjk) {
                self.offenders.push(format!("{args:?}\n    {line}\n    left: {rest}"));
            }
        }
    }
}

fn copy(from: &Path, dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(name);
    std::fs::copy(from, &to).unwrap();
    to
}

#[test]
fn english_output_has_no_japanese_but_the_users_own_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let mut check = Check { offenders: Vec::new(), runs: 0 };
    let none: Vec<String> = Vec::new();

    // Workbooks with problems: a word in a number column, an unknown medium, a blank importance.
    let example = root.join("workbooks/example-ipa-3.xlsx");
    let word = copy(&example, d, "word.xlsx");
    ok(&["edit", &s(&word), "--set-text", "情報資産管理台帳!J5=高", "--set-text", "情報資産管理台帳!F6=金庫", "--set-text", "情報資産管理台帳!L7="]);
    let mut books = vec![example.clone(), word];
    for f in ["register/lv3-problems.xlsx", "register/lv3-register.xlsx", "register/seminar-risks.xlsx", "ipa-like-ledger.xlsx", "excel-style-features.xlsx"] {
        books.push(fixture(f));
    }
    for f in ["ipa-2.1.xlsx", "ipa-3.xlsx", "ipa-3-en.xlsx", "example-ipa-3-filled.xlsx"] {
        books.push(root.join("workbooks").join(f));
    }
    for ed in ["ipa-3", "ipa-2.1", "lv3", "isms-seminar", "self-check"] {
        let out = d.join(format!("new-{ed}.xlsx"));
        check.run(&["new", &s(&out), "--edition", ed], &none);
        books.push(out);
    }
    let added = copy(&example, d, "added.xlsx");
    check.run(&["new", "--add-to", &s(&added), "--edition", "self-check"], &none);
    books.push(added);

    for (i, book) in books.iter().enumerate() {
        // Filled into a copy, then read back: the filled workbook's texts (its bands, its
        // summary sheet's labels) are the user's too.
        let mut user = user_texts(book);
        let filled = d.join(format!("filled-{i}.xlsx"));
        check.run(&["fill", &s(book), "-o", &s(&filled)], &user);
        check.run(&["fill", &s(book), "--dry-run"], &user);
        if filled.exists() {
            user.extend(user_texts(&filled));
            user.sort_by_key(|t| std::cmp::Reverse(t.len()));
            for args in [vec!["inspect", &s(&filled)], vec!["report", &s(&filled)]] {
                check.run(&args, &user);
            }
            check.run(&["soa", &s(&filled), "-o", &s(&d.join(format!("soa-{i}.xlsx")))], &user);
        } else {
            check.run(&["inspect", &s(book)], &user);
        }
    }
    // Legacy workbooks: convert, soa, inspect.
    for f in [
        "risk-register.xlsx",
        "risk-register.xls",
        "mixed-editions.xlsx",
        "soa-2005.xlsx",
        "soa-2005-titles.xlsx",
        "soa-2013.xlsx",
        "soa-2013.ods",
        "soa-odd-ids.xlsx",
    ] {
        let book = legacy(f);
        let user = user_texts(&book);
        check.run(&["convert", &s(&book), "--to", "2022", "-o", &s(&d.join(format!("conv-{f}.xlsx"))), "--dry-run"], &user);
        check.run(&["soa", &s(&book), "-o", &s(&d.join(format!("soa-{f}.xlsx")))], &user);
        check.run(&["inspect", &s(&book)], &user);
    }
    // Batches, with a file that is not a workbook among them.
    let folder = d.join("batch");
    std::fs::create_dir(&folder).unwrap();
    copy(&example, &folder, "a.xlsx");
    copy(&books[1], &folder, "b.xlsx");
    std::fs::write(folder.join("c.xlsx"), b"not a workbook").unwrap();
    let user: Vec<String> = [user_texts(&example), user_texts(&books[1])].concat();
    let f = s(&folder);
    check.run(&["fill", &f, "-o", &s(&d.join("out-fill")), "-q", "--jobs", "1"], &user);
    check.run(&["inspect", &f, "-q", "--jobs", "1"], &user);
    check.run(&["convert", &f, "--to", "2022", "-o", &s(&d.join("out-conv")), "-q", "--jobs", "1"], &user);
    check.run(&["edit", &f, "-o", &s(&d.join("out-edit")), "--set", "情報資産管理台帳!A1=1", "-q", "--jobs", "1"], &user);
    // edit and get, and what a user gets wrong.
    let b = s(&books[1]);
    check.run(&["edit", &b, "--set", "情報資産管理台帳!A30=1", "--set-text", "情報資産管理台帳!B30=x"], &user);
    check.run(&["edit", &b, "--set", "情報資産管理台帳!A30=1", "--dry-run"], &user);
    let missing = s(&d.join("missing.xlsx"));
    for args in [
        vec!["edit", &b, "--set", "A1=3"],
        vec!["edit", &b, "--set", "情報資産管理台帳!A1"],
        vec!["edit", &b, "--set", "ない!A1=1"],
        vec!["edit", &b, "--set", "'情報資産管理台帳!A1=1"],
        vec!["get", &b, "台帳!A0"],
        vec!["get", &b, "A0"],
        vec!["get", &b, "B3"],
        vec!["get", &b, "ない"],
        vec!["get", &b, "情報資産管理台帳!XFE1"],
        vec!["get", &missing, "情報資産管理台帳!A1"],
        vec!["inspect", &missing],
        vec!["fill", &missing],
        vec!["get", &f, "A1"],
        vec!["fill", &s(&folder.join("c.xlsx"))],
        vec!["new", &s(&d.join("x.xlsx")), "--edition", "ipa-9"],
        vec!["new", &s(&d.join("x.xlsx")), "--edition", "ipa-3", "--book-lang", "fr"],
        vec!["new", &s(&d.join("x.txt")), "--edition", "ipa-3"],
        vec!["new", &s(&books[0]), "--edition", "ipa-3"],
        vec!["report", &b, "-o", &s(&d.join("r.txt"))],
        vec!["convert", &b, "--to", "2013"],
        vec!["convert", &b, "--to", "2022", "--from", "1999"],
        vec!["soa", &b, "-o", &s(&books[0])],
        vec!["fill", &s(&legacy("risk-register.xls"))],
        vec!["fill", &b, "--profile", "no-such-profile"],
        vec!["fill", &b, "--map", "ledger.nothing=Q"],
        vec!["fill", &b, "--fact", "nothing=1"],
    ] {
        check.run(&args, &user);
    }
    // The environment's language, once.
    let o = bin().env("RISKSHEET_LANG", "en").args(["fill", &b, "--dry-run"]).output().unwrap();
    check.look(&["RISKSHEET_LANG=en", "fill"], &o, &user);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stdout(&o).contains("expected a number 1–3, found 「高」"), "{}", stdout(&o));

    assert!(check.runs > 100, "{} runs", check.runs);
    assert!(check.offenders.is_empty(), "Japanese in English output ({} lines):\n{}", check.offenders.len(), check.offenders.join("\n"));
}
