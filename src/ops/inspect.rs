//! `inspect`: what a workbook holds, for people (`--json` for programs).
use crate::error::Result;
use crate::ops::ipa::infer::Role;
use crate::xlsx::{SheetSummary, Workbook};
use serde::Serialize;

/// The report of `inspect`.
#[derive(Serialize)]
pub struct Inspection {
    /// The file.
    pub file: String,
    /// One entry per tab.
    pub sheets: Vec<SheetSummary>,
    /// Number of defined names.
    pub defined_names: usize,
    /// The IPA risk analysis read from the workbook, when it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipa: Option<crate::ops::ipa::Analysis>,
    /// Why the workbook was not read as an IPA risk analysis.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ipa_error: Option<String>,
}

/// Inspects a workbook.
///
/// # Errors
///
/// [`XlsxError::Xml`](crate::xlsx::XlsxError::Xml) when a sheet's XML cannot be read. A workbook
/// that is not an IPA risk analysis is not an error ([`Inspection::ipa_error`] says why).
///
/// ```no_run
/// let mut wb = risksheet::xlsx::Workbook::open("ledger.xlsx")?;
/// let report = risksheet::ops::inspect::inspect(&mut wb)?;
/// println!("{}", serde_json::to_string_pretty(&report).unwrap());
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn inspect(wb: &mut Workbook) -> Result<Inspection> {
    inspect_with(wb, &crate::ops::ipa::ReadOptions::default())
}

/// Inspects a workbook, reading it as an IPA risk analysis with `opts` (profile, places, facts).
///
/// # Errors
///
/// [`XlsxError::Xml`](crate::xlsx::XlsxError::Xml) when a sheet's XML cannot be read;
/// [`ErrorKind::Usage`](crate::ErrorKind::Usage) when `opts` names a place or fact that is unknown
/// or unreadable. A workbook that is not an IPA risk analysis is not an error
/// ([`Inspection::ipa_error`] says why).
pub fn inspect_with(wb: &mut Workbook, opts: &crate::ops::ipa::ReadOptions) -> Result<Inspection> {
    let sheets = wb.summary()?;
    let (ipa, ipa_error) = match crate::ops::ipa::analyze_with(wb, opts) {
        Ok(a) => (Some(a), None),
        // A wrong --map or profile is the user's command to fix, not a property of the workbook.
        Err(e) if matches!(e.kind, crate::error::ErrorKind::Usage(_)) => return Err(e.in_file(wb.path())),
        Err(e) => (None, Some(e.message(opts.lang))),
    };
    Ok(Inspection { file: wb.path().display().to_string(), sheets, defined_names: wb.defined_names().len(), ipa, ipa_error })
}

impl Inspection {
    /// A plain-text table, in `lang`.
    pub fn to_text(&self, lang: crate::Lang) -> String {
        let mut s = format!("{}\n", self.file);
        if let Some(a) = &self.ipa {
            s += &format!("  {}: {}\n", lang.pick("プロファイル", "profile"), a.edition);
        }
        s += &format!(
            "  {:<24} {:>12} {:>8} {:>8} {:>8} {:>8}\n",
            lang.pick("シート", "sheet"),
            lang.pick("範囲", "dimension"),
            lang.pick("セル", "cells"),
            lang.pick("数式", "formulas"),
            lang.pick("入力規則", "valid."),
            lang.pick("結合", "merges")
        );
        for sh in &self.sheets {
            s += &format!(
                "  {:<24} {:>12} {:>8} {:>8} {:>8} {:>8}\n",
                sh.name,
                sh.dimension.clone().unwrap_or_default(),
                sh.cells,
                sh.formulas,
                sh.validations,
                sh.merges
            );
        }
        if let Some(e) = &self.ipa_error {
            s += &format!("\n  {}: {e}\n", lang.pick("リスク分析シートとしては読めません", "not read as a risk analysis workbook"));
        }
        if let Some(a) = &self.ipa {
            let r = &a.layout.sheets;
            let show = |x: &Option<String>| x.clone().unwrap_or_else(|| lang.pick("（見つかりません）", "(not found)").to_string());
            s += &format!(
                "\n  {}: {} / {}: {} / {}: {} / {}: {}\n",
                lang.pick("台帳", "ledger"),
                show(&r.ledger),
                lang.pick("脅威", "threats"),
                show(&r.threats),
                lang.pick("チェック", "checklist"),
                show(&r.checklist),
                lang.pick("診断結果", "result"),
                show(&r.result)
            );
            // Where each field was found and why: what a user checks before trusting the results.
            let lay = &a.layout;
            for t in lay.tables() {
                let name = match t.role {
                    Role::Ledger => lang.pick("台帳", "ledger"),
                    Role::Threats => lang.pick("脅威", "threats"),
                    Role::Checklist => lang.pick("チェック", "checklist"),
                    Role::Result => lang.pick("診断結果", "result"),
                };
                s += &format!("  {name}: {} {} {}\n", t.sheet, lang.pick("見出し行", "header row"), t.header_row);
                for e in t.evidence {
                    s += &format!("    {:<16} {:<3} {:<6} 「{}」 {:.2}  {}\n", e.field, e.column, e.header_cell, e.header, e.score, e.evidence);
                }
            }
            for amb in &lay.ambiguities {
                s += &format!("  ? {}!{}: {}\n", amb.sheet, amb.cell, amb.message);
            }
            s += &format!(
                "\n  {}\n",
                lang.pick("情報資産（重要度・脅威・脆弱性・可能性・リスク値）", "assets (importance, threat, vulnerability, likelihood, risk)")
            );
            let show = |v: Option<u8>| v.map_or("-".to_string(), |x| x.to_string());
            for x in &a.assets {
                s += &format!(
                    "  {:>4} {:<24} {:<10} {} {} {} {} {} {}\n",
                    x.row,
                    x.name,
                    x.medium.clone().unwrap_or_default(),
                    show(x.importance),
                    show(x.threat),
                    show(x.vulnerability),
                    show(x.likelihood),
                    x.risk.map_or("-".into(), |v| v.to_string()),
                    x.band.clone().unwrap_or_default()
                );
            }
            s += &format!("\n  {}\n", lang.pick("ポリシー（策定の必要性・実施率・判定）", "policy chapters (need, rate, decision)"));
            for c in &a.chapters {
                let rate = c.rate.map_or("-".into(), |r| format!("{:.1}%", r * 100.0));
                let verdict = if c.selected { lang.pick("策定する", "write") } else { lang.pick("該当なし", "n/a") };
                s += &format!("  {:>2} {:<36} {} {:>7} {}\n", c.number, c.title, c.need, rate, verdict);
            }
            s += &format!("\n  {}\n", lang.pick("会社の状況", "company facts"));
            for line in a.facts.lines(lang) {
                s += &format!("  {line}\n");
            }
            for w in &a.warnings {
                s += &format!("  ! {w}\n");
            }
            for f in a.facts.to_check(lang) {
                s += &format!("  ! {}: {f}\n", lang.pick("要確認", "to check"));
            }
        }
        s
    }
}
