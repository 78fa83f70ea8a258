//! `report` on the bundled example: assets ranked by risk with the engine's values, the media and
//! areas, the chapters with reasons; Markdown on stdout, HTML by file extension.
use std::path::Path;
use std::process::Command;

fn risksheet(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_risksheet")).env("RISKSHEET_LANG", "ja").args(args).output().expect("run")
}

fn example() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("workbooks/example-ipa-3.xlsx").display().to_string()
}

#[test]
fn markdown_ranks_assets_by_the_engines_risk_values() {
    let inspect = risksheet(&["inspect", &example(), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&inspect.stdout).unwrap();
    let assets = v["ipa"]["assets"].as_array().unwrap();
    let top = assets.iter().max_by_key(|a| (a["risk"].as_u64().unwrap_or(0), std::cmp::Reverse(a["row"].as_u64().unwrap()))).unwrap();
    let out = risksheet(&["report", &example()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let md = String::from_utf8(out.stdout).unwrap();
    let first_row = md.lines().skip_while(|l| !l.starts_with("|---")).nth(1).unwrap();
    assert!(first_row.contains(top["name"].as_str().unwrap()), "{first_row}");
    assert!(first_row.ends_with(&format!("| {} | {} |", top["risk"], top["band"].as_str().unwrap())), "{first_row}");
    for a in assets {
        assert!(md.contains(a["name"].as_str().unwrap()));
    }
    for c in v["ipa"]["chapters"].as_array().unwrap() {
        assert!(md.contains(c["title"].as_str().unwrap()));
    }
    assert!(md.contains("## 4. 策定する情報セキュリティポリシー"));
}

#[test]
fn html_by_extension_marks_high_risk() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let o = risksheet(&["report", &example(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert!(html.contains("<td class=\"high\">リスク大</td>"));
    let en = Command::new(env!("CARGO_BIN_EXE_risksheet")).args(["--lang", "en", "report", &example()]).output().unwrap();
    assert!(String::from_utf8_lossy(&en.stdout).contains("# Information security risk analysis report"));
}

#[test]
fn not_a_risk_analysis_is_a_clear_error() {
    let book = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/macro.xlsm");
    let o = risksheet(&["report", book.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("macro.xlsm") && err.contains("見つかりません") && !err.contains("panicked"), "{err}");
}
