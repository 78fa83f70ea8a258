//! `edit`: set cells from `SHEET!A1=VALUE` assignments.
//!
//! ```
//! use risksheet::ops::edit::Assignment;
//! let a = Assignment::parse("'My Sheet'!B3=2").unwrap();
//! assert_eq!((a.target.sheet.as_str(), a.target.cell.to_string(), a.input.as_str()), ("My Sheet", "B3".into(), "2"));
//! let f = Assignment::parse("台帳!C3==B3*2").unwrap();
//! assert_eq!(f.input, "=B3*2");
//! // --set-text: stored as text whatever it looks like (a leading '=', digits).
//! let t = Assignment::parse_text("台帳!C3==1+2").unwrap();
//! assert_eq!((t.input.as_str(), t.text), ("=1+2", true));
//! ```
use crate::error::{Error, Message, Result};
use crate::xlsx::XlsxError;
use crate::xlsx::{Cell, CellValue, SheetCell, Workbook};

/// One `SHEET!A1=VALUE` assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The cell.
    pub target: SheetCell,
    /// What was typed after `=`: a number, `=formula`, or text.
    pub input: String,
    /// Whether `input` is stored as text as it stands (`--set-text`), never read as a number or
    /// a formula.
    pub text: bool,
}

impl Assignment {
    /// Parses `SHEET!A1=VALUE`; the sheet may be quoted as in Excel (`'My Sheet'!A1=x`).
    ///
    /// # Errors
    ///
    /// [`XlsxError::InvalidAddress`] when `text` has no `=` after a `SHEET!A1` address or the
    /// address cannot be parsed.
    pub fn parse(text: &str) -> Result<Assignment> {
        let bad = || Error::from(XlsxError::InvalidAddress(text.to_string()));
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
        let Some(eq) = text[search_from..].find('=').map(|i| i + search_from) else {
            return match SheetCell::parse(text) {
                // A cell without a value: say what is missing.
                Ok(_) => Err(Error::usage(Message::new(
                    format!("「{text}」に値がありません。「{text}=値」のように シート名!セル=値 の形で書いてください"),
                    format!("'{text}' has no value: write SHEET!CELL=VALUE, as in '{text}=1'"),
                ))),
                Err(_) => Err(bad()),
            };
        };
        // The whole assignment in the message, so that it can show the form with the value.
        let target = SheetCell::parse(&text[..eq]).map_err(|_| bad())?;
        Ok(Assignment { target, input: text[eq + 1..].to_string(), text: false })
    }

    /// Parses `SHEET!A1=TEXT` as [`Assignment::parse`] does, for a value stored as text exactly
    /// as typed (`--set-text`): `=1+2` stays the text 「=1+2」, `007` the text 「007」.
    ///
    /// # Errors
    ///
    /// As [`Assignment::parse`].
    pub fn parse_text(text: &str) -> Result<Assignment> {
        Ok(Assignment { text: true, ..Assignment::parse(text)? })
    }

    /// Applies the assignment: `=…` becomes a formula, a number a number, anything else text;
    /// with [`Assignment::text`] the input is text as it stands (empty input empties the cell).
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`] when the sheet does not exist; [`XlsxError::ArrayFormula`] when
    /// the cell lies inside an array formula;
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) for text longer than Excel's
    /// 32,767 characters.
    pub fn apply(&self, wb: &mut Workbook) -> Result<()> {
        let sheet = &self.target.sheet;
        if self.text {
            let value = if self.input.is_empty() { CellValue::Empty } else { CellValue::Text(self.input.clone()) };
            return wb.set_value(sheet, self.target.cell, value);
        }
        match self.input.strip_prefix('=') {
            Some(f) if !f.is_empty() => wb.set_formula(sheet, self.target.cell, f, None),
            _ => wb.set_value(sheet, self.target.cell, CellValue::from_input(&self.input)),
        }
    }
}

/// Parses and applies every assignment, `sets` (`--set`: number, `=formula` or text) then
/// `texts` (`--set-text`: text as typed); nothing is applied when one is invalid.
///
/// # Errors
///
/// [`XlsxError::InvalidAddress`] when an assignment cannot be parsed (then nothing is applied);
/// then those of [`Assignment::apply`], which leave the assignments before it applied.
pub fn apply_all(wb: &mut Workbook, sets: &[String], texts: &[String]) -> Result<()> {
    let parsed = sets.iter().map(|a| Assignment::parse(a)).chain(texts.iter().map(|a| Assignment::parse_text(a))).collect::<Result<Vec<_>>>()?;
    for a in &parsed {
        a.apply(wb)?;
    }
    Ok(())
}

/// The cells named by targets: a sheet name gives all its cells, `SHEET!A1` one cell.
/// Each cell comes with its sheet's name.
///
/// # Errors
///
/// [`XlsxError::SheetNotFound`] when a target names no sheet of the workbook; [`XlsxError::Xml`]
/// when a sheet's XML cannot be read.
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
            _ if wb.sheet_index(t).is_ok() => {
                let name = wb.sheet_names()[wb.sheet_index(t)?].clone();
                out.extend(wb.cells(&name)?.into_iter().map(|c| (name.clone(), c)));
            }
            // `ない!A1`: the sheet part is what is missing.
            Ok(sc) => return Err(wb.sheet_index(&sc.sheet).unwrap_err()),
            // `台帳!A0`, `A0`, `A1`: what is wrong with the address, not a missing sheet of that name.
            Err(e) if crate::xlsx::address::looks_like_cell(t.rsplit(['!', '！']).next().unwrap_or(t)) => return Err(e),
            Err(_) => return Err(wb.sheet_index(t).unwrap_err()),
        }
    }
    Ok(out)
}
