//! Risk registers through the CLI (issue 15): the worked rows of seeds 000 and 001 in registers
//! typed by a user (tests/fixtures/register/make_register.py), read by meaning, filled in place
//! with formulas and cached values, and what a person must fix said at its cell.
mod common;
use common::{bin, fixture, ok, run, stderr, stdout};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn register(name: &str) -> PathBuf {
    fixture("register").join(name)
}

fn inspect(path: &Path) -> Value {
    let out = ok(&["inspect", path.to_str().unwrap(), "--json"]);
    serde_json::from_str::<Value>(&out).unwrap()["ipa"].clone()
}

/// (No, importance, factors…, level, priority, treatment, response, residual importance,
/// residual factors…, residual level) of each risk.
fn rows(ipa: &Value, factors: &[&str]) -> Vec<String> {
    ipa["risks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut v = vec![r["no"].to_string(), r["importance"].to_string()];
            v.extend(factors.iter().map(|f| r[*f].to_string()));
            v.extend(["level", "priority", "treatment", "response", "residual_importance"].map(|k| r[k].to_string()));
            v.extend(factors.iter().map(|f| r[format!("residual_{f}")].to_string()));
            v.push(r["residual_level"].to_string());
            v.join(" ")
        })
        .collect()
}

fn filled(input: &Path, dir: &Path, name: &str) -> (PathBuf, std::process::Output) {
    let out = dir.join(name);
    let o = bin().args(["fill", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--json"]).output().unwrap();
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    (out, o)
}

const LV3_ROWS: [&str; 3] = [r#""1" 3 2 6 "2" ["低減"] "済み" 2 1 2"#, r#""2" 2 2 4 "3" ["低減"] "予定" 1 1 1"#, r#""3" 3 3 9 "1" ["低減"] "未定" 2 3 6"#];

#[test]
fn the_lv3_worked_rows_are_read_from_a_users_register() {
    let ipa = inspect(&register("lv3-register.xlsx"));
    assert_eq!(ipa["edition"], "lv3", "a register alone is LV.3's");
    assert_eq!(ipa["layout"]["sheets"]["register"], "リスクアセスメント結果報告書");
    assert_eq!(ipa["layout"]["sheets"]["inventory"], "資産目録");
    assert_eq!(rows(&ipa, &["likelihood"]), LV3_ROWS);
    let risk3 = &ipa["risks"][2];
    assert_eq!(risk3["asset_nos"], serde_json::json!(["10", "11", "13", "26", "55"]));
    assert_eq!(risk3["control_ids"], serde_json::json!(["5.12", "5.13"]));
    assert_eq!(risk3["importance_from"], "inventory");
    let plan: Vec<(String, String)> =
        ipa["plan"].as_array().unwrap().iter().map(|p| (p["task"].as_str().unwrap().to_string(), p["status"].as_str().unwrap().to_string())).collect();
    assert_eq!(plan.iter().map(|p| p.1.as_str()).collect::<Vec<_>>(), ["終了", "着手", "未着手"]);
    assert_eq!(ipa["plan"][0]["dates"], serde_json::json!(["2026-04-01", "2026-06-30", "2026-04-01", "2026-06-20"]));
    // Each risk is served by its plan row: by the control's text, or by the Annex A ids.
    let served: Vec<Value> = ipa["risks"].as_array().unwrap().iter().map(|r| r["plan_rows"].clone()).collect();
    assert_eq!(served, [serde_json::json!([4]), serde_json::json!([5]), serde_json::json!([6])]);
    let s = &ipa["register_summary"];
    assert_eq!(
        s["by_priority"],
        serde_json::json!([
            ["1（早急に対応）", 1],
            ["2（今期中に対応）", 1],
            ["3（今期対応が望ましい）", 1],
            ["-（受容基準以下のため保有）", 0],
            ["未評価", 0]
        ])
    );
    assert_eq!(s["by_residual_priority"][1], serde_json::json!(["2（今期中に対応）", 1]));
    assert_eq!(s["by_residual_priority"][3], serde_json::json!(["-（受容基準以下のため保有）", 2]));
    assert_eq!((s["above_acceptance"].as_u64(), s["untreated"].as_u64(), s["unplanned"].as_u64()), (Some(3), Some(0), Some(0)));
    assert_eq!(s["plan"], serde_json::json!([["終了", 1], ["着手", 1], ["未着手", 1], ["未記入", 0]]));
    assert!(ipa["warnings"].as_array().unwrap().is_empty(), "{}", ipa["warnings"]);
}

#[test]
fn fill_writes_formulas_with_the_cached_results_and_a_second_fill_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (out, o) = filled(&register("lv3-register.xlsx"), dir.path(), "filled.xlsx");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(summary["fill"]["register"]["risks"], 3);
    assert_eq!(summary["fill"]["register"]["summary_sheet"], "リスク対応集計");
    // The filled register reads back the same, and its computed cells are formulas.
    assert_eq!(rows(&inspect(&out), &["likelihood"]), LV3_ROWS);
    let cells: Value = serde_json::from_str(&ok(&[
        "get",
        out.to_str().unwrap(),
        "リスクアセスメント結果報告書!G6",
        "リスクアセスメント結果報告書!I6",
        "リスクアセスメント結果報告書!J6",
        "リスクアセスメント結果報告書!S6",
        "資産目録!G3",
        "リスク対応集計!B4",
        "--json",
    ]))
    .unwrap();
    // Numbers as a person reads them (3, not 3.0).
    let value = |v: &Value| v.as_f64().map_or_else(|| v.to_string(), |n| n.to_string());
    let shown: Vec<(String, String)> = cells.as_array().unwrap().iter().map(|c| (value(&c[1]["value"]), c[1]["formula"].to_string())).collect();
    assert_eq!(shown[0].0, "3");
    assert!(shown[0].1.contains("MATCH(10,") && shown[0].1.contains("MATCH(55,") && shown[0].1.contains("MAX("), "{:?}", shown[0]);
    assert_eq!(shown[1], ("9".into(), r#""IFERROR(IF(OR(G6=\"\",H6=\"\"),\"\",G6*H6),\"\")""#.into()));
    assert_eq!(shown[2].0, r#""1""#);
    assert!(shown[2].1.contains(r#"I6>=9"#), "{:?}", shown[2]);
    assert_eq!(shown[3].0, "6");
    assert_eq!(shown[4].0, "3");
    assert!(shown[4].1.contains("MAX(D3,E3,F3)"), "{:?}", shown[4]);
    assert_eq!(shown[5].0, "1", "one risk of priority 1 before treatment");
    // Dropdowns on the inputs.
    let text = ok(&["inspect", out.to_str().unwrap()]);
    assert!(text.contains("リスク 3 件、受容基準を超える 3 件"), "{text}");
    // Filled again: nothing to change.
    let again = dir.path().join("again.xlsx");
    let said = ok(&["fill", out.to_str().unwrap(), "-o", again.to_str().unwrap()]);
    assert!(said.contains("変更なし"), "{said}");
}

#[test]
fn the_seminar_rows_multiply_asset_value_impact_and_frequency() {
    let path = register("seminar-risks.xlsx");
    let ipa = inspect(&path);
    assert_eq!(ipa["edition"], "isms-seminar", "a register with 業務への影響度 and 発生頻度 is the seminar's");
    assert_eq!(ipa["layout"]["sheets"]["inventory"], "資産台帳");
    let levels: Vec<(u64, u64, u64, u64)> = ipa["risks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["importance"].as_u64().unwrap(), r["impact"].as_u64().unwrap(), r["frequency"].as_u64().unwrap(), r["level"].as_u64().unwrap()))
        .collect();
    assert_eq!(levels, [(6, 3, 1, 18), (6, 2, 2, 24), (3, 2, 2, 12)]);
    let treatment: Vec<Value> = ipa["risks"].as_array().unwrap().iter().map(|r| r["treatment"].clone()).collect();
    assert_eq!(treatment, [serde_json::json!(["軽減"]), serde_json::json!(["軽減"]), serde_json::json!(["受容"])]);
    // 12 is the acceptance level: accepted; 18 and 24 are treated (軽減) but have no plan.
    let needs: Vec<bool> = ipa["risks"].as_array().unwrap().iter().map(|r| r["needs_treatment"].as_bool().unwrap()).collect();
    assert_eq!(needs, [true, true, false]);
    let cells: Vec<&str> = ipa["warnings"].as_array().unwrap().iter().map(|w| w["cell"].as_str().unwrap()).collect();
    assert_eq!(cells, ["L2", "L3"]);
    let dir = tempfile::tempdir().unwrap();
    let (out, o) = filled(&path, dir.path(), "filled.xlsx");
    assert_eq!(o.status.code(), Some(3), "warnings that need a person: exit 3");
    let cells: Value = serde_json::from_str(&ok(&["get", out.to_str().unwrap(), "リスク一覧!D2", "リスク一覧!G3", "資産台帳!G3", "--json"])).unwrap();
    let values: Vec<f64> = cells.as_array().unwrap().iter().map(|c| c[1]["value"].as_f64().unwrap()).collect();
    assert_eq!(values, [6.0, 24.0, 3.0]);
    assert!(cells[2][1]["formula"].as_str().unwrap().contains("SUM(D3,E3,F3)"));
}

#[test]
fn what_a_person_must_fix_is_said_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let (_, o) = filled(&register("lv3-problems.xlsx"), dir.path(), "filled.xlsx");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let summary: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let warnings: Vec<(String, String)> = summary["fill"]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["cell"].as_str().unwrap().to_string(), w["message"].as_str().unwrap().to_string()))
        .collect();
    let at = |cell: &str| warnings.iter().find(|w| w.0 == cell).map(|w| w.1.clone()).unwrap_or_else(|| panic!("no warning at {cell}: {warnings:?}"));
    assert!(at("K4").contains("受容基準 3 を超えていますが、リスク対応が選ばれていません"), "level 9, nothing chosen");
    assert!(at("H5").contains("「高」"), "a word in a number column");
    assert!(at("B7").contains("No 99"), "an asset the inventory lacks");
    assert!(at("O6").contains("「低減」とされたリスク"), "treated without a plan row");
    assert!(warnings.iter().all(|w| w.0 != "O8"), "保有 needs no plan: {warnings:?}");
    assert!(summary["fill"]["normalized"].as_array().unwrap().iter().any(|n| n.as_str().unwrap().contains("H6: 「２」→「2」")));
    // In English, the same places, no Japanese but the workbook's own words.
    let o = run(&["fill", register("lv3-problems.xlsx").to_str().unwrap(), "--dry-run", "--lang", "en"]);
    let text = stdout(&o);
    assert!(text.contains("K4: risk level 9 is above the acceptance level 3, and no treatment is chosen"), "{text}");
    assert!(text.contains("H5: expected a number 1–3"), "{text}");
}

#[test]
fn the_soa_takes_the_registers_controls_and_the_report_shows_risks_and_plan() {
    let dir = tempfile::tempdir().unwrap();
    let soa = dir.path().join("soa.xlsx");
    let out: Value = serde_json::from_str(&ok(&["soa", register("lv3-register.xlsx").to_str().unwrap(), "-o", soa.to_str().unwrap(), "--json"])).unwrap();
    let applicable: Vec<(String, String, String)> = out["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["applicable"] == Value::Bool(true))
        .map(|r| (r["id"].as_str().unwrap().into(), r["reason"].as_str().unwrap().into(), r["implemented"].to_string()))
        .collect();
    // Risk 3 names 5.12 and 5.13; its response is 未定, so they are not implemented yet.
    assert_eq!(
        applicable,
        [("5.12".into(), "リスク対応（リスクNo 3）".into(), r#""no""#.into()), ("5.13".into(), "リスク対応（リスクNo 3）".into(), r#""no""#.into())]
    );
    let md = ok(&["report", register("lv3-register.xlsx").to_str().unwrap()]);
    assert!(md.contains("## 1. リスクと対応（リスクレベルの高い順）"), "{md}");
    assert!(md.contains("| 3 | 社員名簿、当社宛請求書、顧客リスト、契約書、設計書 | 重要情報の誤送付・誤廃棄 | 3 | 3 | 9 | 1 早急に対応 | 低減 |"), "{md}");
    assert!(md.contains("完了率: 33.3%"), "{md}");
    assert!(!md.contains("媒体ごとの脅威"), "no IPA sections for a register alone: {md}");
    let en = ok(&["report", register("seminar-risks.xlsx").to_str().unwrap(), "--lang", "en"]);
    assert!(en.contains("## 1. Risks and their treatment (highest level first)") && en.contains("| Risk value | Priority |"), "{en}");
}

#[test]
fn a_risk_naming_hundreds_of_assets_gets_its_importance_as_a_value() {
    // Excel refuses a formula over 8,192 characters or 255 arguments: the importance of a risk
    // that lists 300 asset numbers is written as its value, and the file stays valid.
    let dir = tempfile::tempdir().unwrap();
    let book = dir.path().join("many.xlsx");
    std::fs::copy(register("lv3-register.xlsx"), &book).unwrap();
    let b = book.to_str().unwrap();
    let many = vec!["9"; 300].join(", ");
    ok(&["edit", b, "--set-text", &format!("リスクアセスメント結果報告書!B6={many}")]);
    let o = bin().args(["fill", b]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let cells: Value = serde_json::from_str(&ok(&["get", b, "リスクアセスメント結果報告書!G6", "リスクアセスメント結果報告書!I6", "--json"])).unwrap();
    assert_eq!(cells[0][1]["value"].as_f64(), Some(3.0));
    assert!(cells[0][1]["formula"].is_null(), "{}", cells[0][1]);
    assert_eq!(cells[1][1]["value"].as_f64(), Some(9.0), "the level still computes from it");
}
