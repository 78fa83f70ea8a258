//! `inspect`: what a workbook holds, for people (`--json` for programs).
use crate::error::Result;
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
