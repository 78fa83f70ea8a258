//! Cell addresses as Excel writes them: `B3`, `$B$3`, `A1:C9`, `'My Sheet'!A1`, `台帳!B3`.
//!
//! ```
//! use risksheet::xlsx::address::{CellRef, SheetCell};
//! let c = CellRef::parse("AB12").unwrap();
//! assert_eq!((c.row, c.col), (12, 28));
//! assert_eq!(c.to_string(), "AB12");
//! let sc = SheetCell::parse("'My Sheet'!C3").unwrap();
//! assert_eq!(sc.sheet, "My Sheet");
//! assert_eq!(sc.cell.to_string(), "C3");
//! ```
use crate::error::{Error, Result};
use crate::xlsx::XlsxError;
use std::fmt;

/// Largest row number Excel allows.
pub const MAX_ROW: u32 = 1_048_576;
/// Largest column number Excel allows (XFD).
pub const MAX_COL: u32 = 16_384;

/// A cell position, 1-based (`A1` is row 1, column 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellRef {
    /// Row number, 1-based.
    pub row: u32,
    /// Column number, 1-based (`A` = 1).
    pub col: u32,
}

/// Column letters of a 1-based column number: 1 → `A`, 28 → `AB`.
pub fn col_letters(col: u32) -> String {
    let (buf, n) = letters(col);
    String::from_utf8_lossy(&buf[buf.len() - n..]).into_owned()
}

/// The letters of a column, right-aligned in a buffer, and how many there are (no allocation:
/// addresses are written for every cell saved).
fn letters(mut col: u32) -> ([u8; 7], usize) {
    let mut buf = [0u8; 7];
    let mut n = 0;
    while col > 0 && n < buf.len() {
        n += 1;
        buf[buf.len() - n] = b'A' + ((col - 1) % 26) as u8;
        col = (col - 1) / 26;
    }
    (buf, n)
}

/// Column number of column letters (case-insensitive), or `None` when not letters or past XFD.
pub fn col_number(letters: &str) -> Option<u32> {
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n: u32 = 0;
    for b in letters.bytes() {
        if !b.is_ascii_alphabetic() {
            return None;
        }
        n = n * 26 + (b.to_ascii_uppercase() - b'A' + 1) as u32;
    }
    (n <= MAX_COL).then_some(n)
}

impl CellRef {
    /// A cell from 1-based row and column.
    pub fn new(row: u32, col: u32) -> CellRef {
        CellRef { row, col }
    }

    /// Parses `B3` or `$B$3` (also full-width letters and digits, as users type them).
    ///
    /// # Errors
    ///
    /// [`XlsxError::InvalidAddress`] when `text` is not a cell address or lies outside the sheet's
    /// 1,048,576 rows and XFD columns.
    pub fn parse(text: &str) -> Result<CellRef> {
        if text.is_ascii() {
            if let Some(c) = Self::parse_ascii(text.trim()) {
                return Ok(c);
            }
        }
        Self::parse_ascii(&crate::text::to_narrow(text.trim())).ok_or_else(|| Error::from(XlsxError::InvalidAddress(text.to_string())))
    }

    fn parse_ascii(text: &str) -> Option<CellRef> {
        let t: std::borrow::Cow<str> = if text.contains('$') { text.replace('$', "").into() } else { text.into() };
        let split = t.find(|c: char| c.is_ascii_digit())?;
        let (letters, digits) = t.split_at(split);
        let col = col_number(letters)?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0') {
            return None;
        }
        let row: u32 = digits.parse().ok()?;
        (1..=MAX_ROW).contains(&row).then_some(CellRef { row, col })
    }
}

impl CellRef {
    /// The address after a prefix such as a sheet name with its `!`, in one allocation (a fill
    /// reports every cell it wrote).
    ///
    /// ```
    /// use risksheet::xlsx::CellRef;
    /// assert_eq!(CellRef::new(7, 28).qualified("台帳!"), "台帳!AB7");
    /// ```
    pub fn qualified(&self, prefix: &str) -> String {
        let mut out = String::with_capacity(prefix.len() + 10);
        out.push_str(prefix);
        self.push_to(&mut out);
        out
    }

    /// Appends the address (`AB7`) to `out` without the formatting machinery: it is written
    /// for every cell saved.
    ///
    /// ```
    /// use risksheet::xlsx::CellRef;
    /// let mut s = String::from("r=");
    /// CellRef::new(10_000, 3).push_to(&mut s);
    /// assert_eq!(s, "r=C10000");
    /// ```
    pub fn push_to(&self, out: &mut String) {
        let (letters, n) = letters(self.col);
        // Letters are ASCII.
        out.push_str(std::str::from_utf8(&letters[letters.len() - n..]).unwrap_or_default());
        push_u32(out, self.row);
    }
}

/// Appends a number's decimal digits to `out`.
pub(crate) fn push_u32(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Digits are ASCII.
    out.push_str(std::str::from_utf8(&digits[i..]).unwrap_or_default());
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (buf, n) = letters(self.col);
        // Letters are ASCII.
        f.write_str(std::str::from_utf8(&buf[buf.len() - n..]).unwrap_or_default())?;
        write!(f, "{}", self.row)
    }
}

/// A rectangle of cells, inclusive (`A1:C9`; a single cell is a range of one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Range {
    /// Top-left cell.
    pub start: CellRef,
    /// Bottom-right cell.
    pub end: CellRef,
}

impl Range {
    /// A range from two corners in any order.
    pub fn new(a: CellRef, b: CellRef) -> Range {
        Range { start: CellRef::new(a.row.min(b.row), a.col.min(b.col)), end: CellRef::new(a.row.max(b.row), a.col.max(b.col)) }
    }
    /// Parses `A1:C9` or `B3`.
    ///
    /// # Errors
    ///
    /// [`XlsxError::InvalidAddress`] when either corner is not a cell address.
    pub fn parse(text: &str) -> Result<Range> {
        match text.split_once(':') {
            Some((a, b)) => Ok(Range::new(CellRef::parse(a)?, CellRef::parse(b)?)),
            None => {
                let c = CellRef::parse(text)?;
                Ok(Range::new(c, c))
            }
        }
    }
    /// Parses a space-separated list of ranges, as in a `sqref` attribute.
    ///
    /// # Errors
    ///
    /// [`XlsxError::InvalidAddress`] when one of the ranges cannot be parsed.
    pub fn parse_list(text: &str) -> Result<Vec<Range>> {
        text.split_whitespace().map(Range::parse).collect()
    }
    /// Whether the cell lies inside.
    pub fn contains(&self, c: CellRef) -> bool {
        (self.start.row..=self.end.row).contains(&c.row) && (self.start.col..=self.end.col).contains(&c.col)
    }
    /// Whether two ranges share a cell.
    pub fn intersects(&self, o: &Range) -> bool {
        self.start.row <= o.end.row && o.start.row <= self.end.row && self.start.col <= o.end.col && o.start.col <= self.end.col
    }
    /// The smallest range covering both.
    pub fn union(&self, o: &Range) -> Range {
        Range {
            start: CellRef::new(self.start.row.min(o.start.row), self.start.col.min(o.start.col)),
            end: CellRef::new(self.end.row.max(o.end.row), self.end.col.max(o.end.col)),
        }
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.start == self.end {
            write!(f, "{}", self.start)
        } else {
            write!(f, "{}:{}", self.start, self.end)
        }
    }
}

/// A cell on a named sheet: `台帳!B3`, `'My Sheet'!A1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetCell {
    /// Sheet name, unquoted.
    pub sheet: String,
    /// The cell.
    pub cell: CellRef,
}

impl SheetCell {
    /// Parses `SHEET!A1`; the sheet may be quoted as Excel quotes it (`'It''s'!A1`).
    ///
    /// # Errors
    ///
    /// [`XlsxError::InvalidAddress`] when `text` has no `!`, an empty or badly quoted sheet name,
    /// or a bad cell address.
    pub fn parse(text: &str) -> Result<SheetCell> {
        let bad = || Error::from(XlsxError::InvalidAddress(text.to_string()));
        let text = text.trim();
        let (sheet, cell) = if let Some(rest) = text.strip_prefix('\'') {
            // Quoted name: '' is an escaped quote; the name ends at a lone quote followed by '!'.
            let mut name = String::new();
            let mut chars = rest.char_indices().peekable();
            let mut end = None;
            while let Some((i, ch)) = chars.next() {
                if ch == '\'' {
                    if matches!(chars.peek(), Some((_, '\''))) {
                        name.push('\'');
                        chars.next();
                    } else {
                        end = Some(i + 1);
                        break;
                    }
                } else {
                    name.push(ch);
                }
            }
            let rest = &rest[end.ok_or_else(bad)?..];
            (name, rest.strip_prefix('!').or_else(|| rest.strip_prefix('！')).ok_or_else(bad)?)
        } else {
            let i = text.rfind(['!', '！']).ok_or_else(bad)?;
            let bang = text[i..].chars().next().map_or(1, char::len_utf8);
            (text[..i].to_string(), &text[i + bang..])
        };
        if sheet.is_empty() {
            return Err(bad());
        }
        let cell = CellRef::parse(cell).map_err(|_| bad())?;
        Ok(SheetCell { sheet, cell })
    }
}

impl fmt::Display for SheetCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}!{}", quote_sheet_name(&self.sheet), self.cell)
    }
}

/// Whether Excel can hold `name` as a sheet's name: 1 to 31 characters, not blank, none of
/// `[ ] : * ? / \`, no apostrophe at either end, and not `History` (reserved by Excel). (Whether
/// another sheet has it already is the workbook's question.)
///
/// ```
/// use risksheet::xlsx::address::is_valid_sheet_name;
/// assert!(is_valid_sheet_name("情報資産管理台帳") && is_valid_sheet_name("My Sheet"));
/// assert!(!is_valid_sheet_name("") && !is_valid_sheet_name("a/b") && !is_valid_sheet_name("'x"));
/// assert!(!is_valid_sheet_name(&"あ".repeat(32)) && !is_valid_sheet_name("history"));
/// ```
pub fn is_valid_sheet_name(name: &str) -> bool {
    !name.trim().is_empty()
        && name.chars().count() <= 31
        && !name.contains(['[', ']', ':', '*', '?', '/', '\\'])
        && !name.starts_with('\'')
        && !name.ends_with('\'')
        && !name.eq_ignore_ascii_case("history")
}

/// Quotes a sheet name for use in a formula when Excel would: `My Sheet` → `'My Sheet'`.
pub fn quote_sheet_name(name: &str) -> String {
    let plain = name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.' || !c.is_ascii())
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && CellRef::parse_ascii(name).is_none();
    if plain {
        name.to_string()
    } else {
        format!("'{}'", name.replace('\'', "''"))
    }
}

#[cfg(test)]
#[path = "tests/address.rs"]
mod tests;
