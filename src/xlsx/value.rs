//! Cell values, as read from and written to cells.
//!
//! ```
//! use risksheet::xlsx::CellValue;
//! assert_eq!(CellValue::from_input("2"), CellValue::Number(2.0));
//! assert_eq!(CellValue::from_input("リスク大"), CellValue::Text("リスク大".into()));
//! assert_eq!(CellValue::Number(0.625).to_string(), "0.625");
//! ```
use serde::Serialize;
use std::fmt;

/// What a cell holds (or a formula computed).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
#[serde(untagged)]
pub enum CellValue {
    /// Nothing.
    #[default]
    Empty,
    /// A number (dates are numbers too).
    Number(f64),
    /// Text.
    Text(String),
    /// TRUE / FALSE.
    Bool(bool),
    /// An error such as `#N/A`.
    #[serde(serialize_with = "serialize_error")]
    Error(String),
}

fn serialize_error<S: serde::Serializer>(e: &str, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(e)
}

impl CellValue {
    /// A value typed on a command line: a number when it parses as one (full-width digits too),
    /// otherwise text. Formulas (`=…`) are handled by the caller.
    pub fn from_input(text: &str) -> CellValue {
        let half = crate::text::to_narrow(text.trim());
        match half.parse::<f64>() {
            Ok(n) if n.is_finite() && !half.is_empty() && !half.chars().any(|c| c.is_ascii_alphabetic()) => CellValue::Number(n),
            _ if text.is_empty() => CellValue::Empty,
            _ => CellValue::Text(text.to_string()),
        }
    }

    /// The number, when the value is one.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            CellValue::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// Whether the cell is empty or holds only spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// Formats a number as Excel stores it: shortest text that reads back the same.
pub fn format_number(n: f64) -> String {
    if n == n.trunc() && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

impl fmt::Display for CellValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CellValue::Empty => Ok(()),
            CellValue::Number(n) => f.write_str(&format_number(*n)),
            CellValue::Text(t) => f.write_str(t),
            CellValue::Bool(b) => f.write_str(if *b { "TRUE" } else { "FALSE" }),
            CellValue::Error(e) => f.write_str(e),
        }
    }
}

impl From<f64> for CellValue {
    fn from(n: f64) -> Self {
        CellValue::Number(n)
    }
}

impl From<&str> for CellValue {
    fn from(s: &str) -> Self {
        CellValue::Text(s.to_string())
    }
}

impl From<String> for CellValue {
    fn from(s: String) -> Self {
        CellValue::Text(s)
    }
}

/// A cell as read: where, its style index, its value and its formula.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    /// Address (`B3`).
    pub address: String,
    /// Row, 1-based.
    pub row: u32,
    /// Column, 1-based.
    pub col: u32,
    /// Style index into the workbook's cell formats.
    pub style: u32,
    /// The value (for a formula, its cached result).
    pub value: CellValue,
    /// The formula without `=`, when the cell has one.
    pub formula: Option<String>,
}

/// The date an Excel serial number stands for (1900 date system), as `2026-04-01`; `None` for a
/// number that is no date (negative, fractional days are ignored, beyond 9999-12-31).
///
/// ```
/// use risksheet::xlsx::value::excel_date;
/// assert_eq!(excel_date(46113.0).as_deref(), Some("2026-04-01"));
/// assert_eq!(excel_date(61.0).as_deref(), Some("1900-03-01"));
/// assert_eq!(excel_date(-1.0), None);
/// ```
pub fn excel_date(serial: f64) -> Option<String> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    // Days since 1970-01-01; Excel's day 60 is the 29 February 1900 that never was.
    let days = serial.floor() as i64 - 25_569 + i64::from(serial < 60.0);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Whether a number format shows a date, or a date with a time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    /// A date (`yyyy/m/d`; Excel's built-in format 14).
    Date,
    /// A date and a time (`yyyy/m/d h:mm`; Excel's built-in format 22).
    DateTime,
}

impl DateKind {
    /// Excel's built-in number format showing this kind (14 `m/d/yyyy`, 22 `m/d/yyyy h:mm`; each
    /// shown in the reader's locale, `2026/4/1` in Japanese).
    pub fn builtin_format(self) -> u32 {
        match self {
            DateKind::Date => 14,
            DateKind::DateTime => 22,
        }
    }

    /// What a number format shows: a built-in format by its id (the dates of every locale,
    /// Japanese era formats included), a custom one (`code`, id 164 and above) by its date
    /// letters (`y`, `d`, `e`, `g` outside quotes, brackets and escapes) and time letters (`h`,
    /// `s`). `None` for a format that shows no date (a number, a time of day alone).
    ///
    /// ```
    /// use risksheet::xlsx::value::DateKind;
    /// assert_eq!(DateKind::of_format(14, None), Some(DateKind::Date));
    /// assert_eq!(DateKind::of_format(22, None), Some(DateKind::DateTime));
    /// assert_eq!(DateKind::of_format(164, Some(r#"yyyy"年"m"月"d"日""#)), Some(DateKind::Date));
    /// assert_eq!(DateKind::of_format(165, Some("[$-411]ggge年m月d日 h:mm")), Some(DateKind::DateTime));
    /// assert_eq!(DateKind::of_format(166, Some("0.00")), None);
    /// assert_eq!(DateKind::of_format(167, Some("h:mm:ss")), None);
    /// assert_eq!(DateKind::of_format(10, None), None);
    /// ```
    pub fn of_format(id: u32, code: Option<&str>) -> Option<DateKind> {
        match id {
            14..=17 | 27..=31 | 34..=36 | 50..=58 => return Some(DateKind::Date),
            22 => return Some(DateKind::DateTime),
            0..=163 => return None,
            _ => {}
        }
        let (mut date, mut time) = (false, false);
        let (mut quoted, mut bracket, mut escaped) = (false, false, false);
        for ch in code?.chars() {
            match ch {
                _ if escaped => escaped = false,
                '"' => quoted = !quoted,
                _ if quoted => {}
                '[' => bracket = true,
                ']' => bracket = false,
                _ if bracket => {}
                '\\' => escaped = true,
                // One section only: the positive numbers'.
                ';' => break,
                'y' | 'Y' | 'd' | 'D' | 'e' | 'E' | 'g' | 'G' => date = true,
                'h' | 'H' | 's' | 'S' => time = true,
                _ => {}
            }
        }
        // "General" and "0.00E+00" are no dates.
        let code = code?.to_ascii_lowercase();
        if code.contains("general") || code.contains("e+") || code.contains("e-") {
            return None;
        }
        match (date, time) {
            (true, true) => Some(DateKind::DateTime),
            (true, false) => Some(DateKind::Date),
            _ => None,
        }
    }
}
