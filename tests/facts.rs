//! Company facts (会社の状況, domain.md §5) through the CLI: each fact decides exactly its
//! chapter, in the cached value and in the formula; the block on 診断結果 is read; `--fact`
//! overrides the block and the profile's `[facts]`; bad values and keys are reported.
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn risksheet(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_risksheet")).env("RISKSHEET_LANG", "ja").args(args).output().expect("run")
}

fn ok(args: &[&str]) -> String {
    let o = risksheet(args);
    assert!(o.status.success(), "{args:?}: {}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A fresh ipa-3 workbook (nothing answered, so no chapter is 該当なし by its group).
fn fresh(dir: &Path, name: &str) -> PathBuf {
    let f = dir.join(name);
    ok(&["new", p(&f), "--edition", "ipa-3"]);
    f
}

/// The 診断結果 decisions (column D, rows 5–18) as cached: row → (value, formula).
fn decisions(book: &Path) -> Vec<(String, String)> {
    let cells: Vec<String> = (5..=18).map(|r| format!("診断結果!D{r}")).collect();
    let mut args = vec!["get", p(book), "--json"];
    args.extend(cells.iter().map(String::as_str));
    let v: serde_json::Value = serde_json::from_str(&ok(&args)).unwrap();
    v.as_array().unwrap().iter().map(|x| (x[1]["value"].as_str().unwrap_or("").to_string(), x[1]["formula"].as_str().unwrap_or("").to_string())).collect()
}

const ALL_YES: [&str; 5] = ["development=はい", "outsourcing=yes", "employees=12", "contractor_secrets=○", "telework=true"];

/// `fill` that completed: exit 0, or 3 for a fresh workbook whose sheets are not answered yet.
fn filled(o: &Output) -> bool {
    matches!(o.status.code(), Some(0 | 3))
}

fn fill(src: &Path, out: &Path, facts: &[&str]) -> Output {
    let mut args = vec!["fill", p(src), "-o", p(out)];
    for f in facts {
        args.extend(["--fact", f]);
    }
    risksheet(&args)
}

#[test]
fn each_fact_changes_exactly_its_chapter() {
    let dir = tempfile::tempdir().unwrap();
    let src = fresh(dir.path(), "fresh.xlsx");
    let yes = dir.path().join("yes.xlsx");
    assert!(filled(&fill(&src, &yes, &ALL_YES)));
    let base = decisions(&yes);
    assert!(base.iter().all(|(v, _)| v == "ポリシーで対策を規定して下さい"), "{base:?}");
    // fact → (its 'no', the 診断結果 row of its chapter in ipa-3, the answer cell)
    let cases = [
        ("development", "development=いいえ", 12, "$G$5"),
        ("outsourcing", "outsourcing=no", 13, "$G$6"),
        ("employees", "employees=1", 17, "$G$7"),
        ("contractor_secrets", "contractor_secrets=×", 18, "$G$8"),
        ("telework", "telework=false", 16, "$G$9"),
    ];
    for (key, no, row, cell) in cases {
        let facts: Vec<&str> = ALL_YES.iter().copied().filter(|f| !f.starts_with(&format!("{key}="))).chain([no]).collect();
        let out = dir.path().join(format!("no-{key}.xlsx"));
        assert!(filled(&fill(&src, &out, &facts)));
        let got = decisions(&out);
        for (i, ((v, f), (bv, _))) in got.iter().zip(&base).enumerate() {
            let r = 5 + i;
            if r == row {
                assert_eq!(v, "該当なし", "{key}: row {r}");
                assert!(f.contains(&format!("診断結果!{cell}")), "{key}: {f}");
            } else {
                assert_eq!(v, bv, "{key} changed row {r}");
            }
        }
    }
}

#[test]
fn the_block_in_the_workbook_is_read_and_its_answer_decides() {
    let dir = tempfile::tempdir().unwrap();
    let src = fresh(dir.path(), "b.xlsx");
    ok(&["edit", p(&src), "--set", "診断結果!G9=いいえ", "--set", "診断結果!G7=１名"]);
    let out = dir.path().join("b1.xlsx");
    let o = fill(&src, &out, &[]);
    assert!(filled(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("「１名」→「1」"), "{text}");
    let d = decisions(&out);
    assert_eq!((d[11].0.as_str(), d[12].0.as_str()), ("該当なし", "該当なし"), "{d:?}");
    // The user changes the answer; the next fill follows it.
    ok(&["edit", p(&out), "--set", "診断結果!G9=はい"]);
    let again = dir.path().join("b2.xlsx");
    assert!(filled(&fill(&out, &again, &[])));
    assert_eq!(decisions(&again)[11].0, "ポリシーで対策を規定して下さい");
    let j: serde_json::Value = serde_json::from_str(&ok(&["inspect", p(&again), "--json"])).unwrap();
    assert_eq!(j["ipa"]["facts"]["telework"]["value"], serde_json::json!(true));
    assert_eq!(j["ipa"]["facts"]["telework"]["source"], "workbook");
    assert_eq!(j["ipa"]["facts"]["employees"]["value"], serde_json::json!(1));
    assert!(j["ipa"]["facts"]["outsourcing"]["value"].is_null());
}

#[test]
fn unanswered_facts_are_listed_to_check_and_counted_as_met() {
    let dir = tempfile::tempdir().unwrap();
    // The answered example, its company facts cleared.
    let src = dir.path().join("u.xlsx");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("workbooks/example-ipa-3.xlsx"), &src).unwrap();
    ok(&["edit", p(&src), "--set", "診断結果!G5=", "--set", "診断結果!G6=", "--set", "診断結果!G7=", "--set", "診断結果!G8=", "--set", "診断結果!G9="]);
    let out = dir.path().join("u1.xlsx");
    let o = fill(&src, &out, &["telework=no"]);
    assert_eq!(o.status.code(), Some(0), "unanswered facts do not make the exit code 3");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("要確認: 会社の状況「業務を外部に委託している」が未回答です"), "{text}");
    assert!(!text.contains("「テレワークを行っている」が未回答"), "{text}");
    assert_eq!(decisions(&out)[8].0, "ポリシーで対策を規定して下さい");
    let report = ok(&["report", p(&out)]);
    assert!(report.contains("業務を外部に委託している: 未回答（要確認）") && report.contains("テレワークを行っている: いいえ（診断結果!G9）"), "{report}");
}

#[test]
fn bad_answers_are_warnings_naming_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let src = fresh(dir.path(), "w.xlsx");
    ok(&["edit", p(&src), "--set", "診断結果!G9=たぶん", "--set", "診断結果!G7=高"]);
    let out = dir.path().join("w1.xlsx");
    let o = fill(&src, &out, &[]);
    assert_eq!(o.status.code(), Some(3));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("診断結果!G9") && text.contains("たぶん"), "{text}");
    assert!(text.contains("診断結果!G7") && text.contains("高"), "{text}");
    // Not guessed: both chapters are counted as needed, and the formulas agree.
    let d = decisions(&out);
    assert_eq!((d[11].0.as_str(), d[12].0.as_str()), ("ポリシーで対策を規定して下さい", "ポリシーで対策を規定して下さい"));
}

#[test]
fn an_unknown_key_or_value_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let src = fresh(dir.path(), "k.xlsx");
    let out = dir.path().join("k1.xlsx");
    let o = fill(&src, &out, &["bogus=1"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bogus") && err.contains("development, outsourcing, employees, contractor_secrets, telework"), "{err}");
    assert!(!out.exists());
    let o = fill(&src, &out, &["employees=高"]);
    assert_eq!(o.status.code(), Some(1));
    let en = Command::new(env!("CARGO_BIN_EXE_risksheet")).args(["--lang", "en", "fill", p(&src), "-o", p(&out), "--fact", "bogus=1"]).output().unwrap();
    assert!(String::from_utf8_lossy(&en.stderr).contains("not a company fact"));
}

#[test]
fn profile_facts_apply_and_the_command_line_overrides_them() {
    let dir = tempfile::tempdir().unwrap();
    let src = fresh(dir.path(), "pf.xlsx");
    let profile = dir.path().join("acme.toml");
    std::fs::write(&profile, "extends = \"ipa-3\"\nid = \"acme\"\n[facts]\ntelework = \"いいえ\"\noutsourcing = false\nemployees = 30\n").unwrap();
    let out = dir.path().join("pf1.xlsx");
    assert!(filled(&risksheet(&["fill", p(&src), "-o", p(&out), "--profile", p(&profile)])));
    let d = decisions(&out);
    assert_eq!((d[8].0.as_str(), d[11].0.as_str(), d[12].0.as_str()), ("該当なし", "該当なし", "ポリシーで対策を規定して下さい"));
    // The block's answer cell holds the profile's value, so the formula agrees.
    let g9 = ok(&["get", p(&out), "診断結果!G9"]);
    assert!(g9.contains("いいえ"), "{g9}");
    let out2 = dir.path().join("pf2.xlsx");
    assert!(filled(&risksheet(&["fill", p(&src), "-o", p(&out2), "--profile", p(&profile), "--fact", "telework=はい"])));
    assert_eq!(decisions(&out2)[11].0, "ポリシーで対策を規定して下さい");
    let j: serde_json::Value = serde_json::from_str(&ok(&["inspect", p(&src), "--json", "--profile", p(&profile), "--fact", "telework=yes"])).unwrap();
    assert_eq!(j["ipa"]["facts"]["telework"]["source"], "cli");
    assert_eq!(j["ipa"]["facts"]["outsourcing"]["source"], "profile");
    // An unknown key in [facts] names the file and the key.
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "extends = \"ipa-3\"\n[facts]\nremote = \"はい\"\n").unwrap();
    let o = risksheet(&["fill", p(&src), "-o", p(&out2), "--profile", p(&bad)]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("bad.toml") && err.contains("remote"), "{err}");
}

#[test]
fn a_users_sheet_gets_the_block_only_where_cells_are_free() {
    let dir = tempfile::tempdir().unwrap();
    let src = fresh(dir.path(), "free.xlsx");
    // A workbook of the old template: no block (cleared), and the user's note where it would go.
    let mut sets = vec!["診断結果!F4=".to_string(), "診断結果!G4=".to_string()];
    for r in 5..=9 {
        sets.push(format!("診断結果!F{r}="));
    }
    sets.push("診断結果!G6=メモ".to_string());
    let mut args = vec!["edit", p(&src)];
    for s in &sets {
        args.extend(["--set", s.as_str()]);
    }
    ok(&args);
    let out = dir.path().join("free1.xlsx");
    let o = fill(&src, &out, &["telework=no"]);
    assert_eq!(o.status.code(), Some(3));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("診断結果!G6"), "{text}");
    let got = ok(&["get", p(&out), "診断結果!G6", "診断結果!F5"]);
    assert!(got.contains("メモ"), "{got}");
    // No cell holds the fact: the decision is a plain value.
    assert_eq!(decisions(&out)[11], ("該当なし".to_string(), String::new()));
}

#[test]
fn fill_twice_with_facts_is_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let src = fresh(dir.path(), "twice.xlsx");
    let (a, b) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
    assert!(filled(&fill(&src, &a, &["employees=3", "telework=no"])));
    assert!(filled(&fill(&a, &b, &["employees=3", "telework=no"])));
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}
