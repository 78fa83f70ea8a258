//! `inspect`: what a workbook holds, for people (`--json` for programs).
use crate::error::Result;
use crate::xlsx::{SheetSummary, Workbook};
use serde::Serialize;

/// The report of `inspect`.
#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    /// The file.
    pub file: String,
    /// One entry per tab.
    pub sheets: Vec<SheetSummary>,
    /// Number of defined names.
    pub defined_names: usize,
}

/// Inspects a workbook.
///
/// ```no_run
/// let mut wb = risksheet::xlsx::Workbook::open("ledger.xlsx")?;
/// let report = risksheet::ops::inspect::inspect(&mut wb)?;
/// println!("{}", serde_json::to_string_pretty(&report).unwrap());
/// # Ok::<(), risksheet::Error>(())
/// ```
pub fn inspect(wb: &mut Workbook) -> Result<Inspection> {
    Ok(Inspection { file: wb.path().display().to_string(), sheets: wb.summary()?, defined_names: wb.defined_names().len() })
}

impl Inspection {
    /// A plain-text table.
    pub fn to_text(&self) -> String {
        let lang = crate::error::lang();
        let mut s = format!("{}\n", self.file);
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
        s
    }
}
