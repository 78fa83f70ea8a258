//! `edit`: set cells from `SHEET!A1=VALUE` assignments.
//!
//! ```
//! use risksheet::ops::edit::Assignment;
//! let a = Assignment::parse("'My Sheet'!B3=2").unwrap();
//! assert_eq!((a.target.sheet.as_str(), a.target.cell.to_string(), a.input.as_str()), ("My Sheet", "B3".into(), "2"));
//! let f = Assignment::parse("台帳!C3==B3*2").unwrap();
//! assert_eq!(f.input, "=B3*2");
//! ```
use crate::error::{Error, ErrorKind, Result};
use crate::xlsx::{Cell, CellValue, SheetCell, Workbook};

/// One `SHEET!A1=VALUE` assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The cell.
    pub target: SheetCell,
    /// What was typed after `=`: a number, `=formula`, or text.
    pub input: String,
}

impl Assignment {
    /// Parses `SHEET!A1=VALUE`; the sheet may be quoted as in Excel (`'My Sheet'!A1=x`).
    pub fn parse(text: &str) -> Result<Assignment> {
        let bad = || Error::new(ErrorKind::InvalidAddress(text.to_string()));
        // The address ends at the first '=' after the sheet name (which may itself hold '=').
        let search_from = if text.starts_with('\'') {
            let mut i = 1;
            let b = text.as_bytes();
            loop {
                match b.get(i) {
                    None => return Err(bad()),
                    Some(b'\'') if b.get(i + 1) == Some(&b'\'') => i += 2,
                    Some(b'\'') => break i + 1,
                    _ => i += 1,
                }
            }
        } else {
            0
        };
        let eq = text[search_from..].find('=').map(|i| i + search_from).ok_or_else(bad)?;
        Ok(Assignment { target: SheetCell::parse(&text[..eq])?, input: text[eq + 1..].to_string() })
    }

    /// Applies the assignment: `=…` becomes a formula, a number a number, anything else text.
    pub fn apply(&self, wb: &mut Workbook) -> Result<()> {
        let sheet = &self.target.sheet;
        match self.input.strip_prefix('=') {
            Some(f) if !f.is_empty() => wb.set_formula(sheet, self.target.cell, f, None),
            _ => wb.set_value(sheet, self.target.cell, CellValue::from_input(&self.input)),
        }
    }
}

/// Parses and applies every assignment; nothing is applied when one is invalid.
pub fn apply_all(wb: &mut Workbook, assignments: &[String]) -> Result<()> {
    let parsed = assignments.iter().map(|a| Assignment::parse(a)).collect::<Result<Vec<_>>>()?;
    for a in &parsed {
        a.apply(wb)?;
    }
    Ok(())
}

/// The cells named by targets: a sheet name gives all its cells, `SHEET!A1` one cell.
/// Each cell comes with its sheet's name.
pub fn get_cells(wb: &mut Workbook, targets: &[String]) -> Result<Vec<(String, Cell)>> {
    let mut out = Vec::new();
    for t in targets {
        match SheetCell::parse(t) {
            Ok(sc) if wb.sheet_index(&sc.sheet).is_ok() => {
                let name = wb.sheet_names()[wb.sheet_index(&sc.sheet)?].clone();
                if let Some(c) = wb.cell(&name, sc.cell)? {
                    out.push((name, c));
                }
            }
            _ => {
                let name = wb.sheet_names()[wb.sheet_index(t)?].clone();
                out.extend(wb.cells(&name)?.into_iter().map(|c| (name.clone(), c)));
            }
        }
    }
    Ok(out)
}
