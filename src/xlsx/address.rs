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

/// What a text typed as a cell is, for an error message: a cell Excel has, one it does not have
/// (why), or not a cell's shape at all.
enum CellShape {
    Valid,
    Outside(crate::lang::Message),
    NotACell,
}

fn cell_shape(text: &str) -> CellShape {
    use crate::lang::Message;
    let t = crate::text::to_narrow(text.trim()).replace('$', "");
    let split = t.find(|c: char| c.is_ascii_digit()).unwrap_or(t.len());
    let (letters, digits) = t.split_at(split);
    if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_alphabetic()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return CellShape::NotACell;
    }
    if digits.is_empty() {
        return CellShape::Outside(Message::new(format!("行番号がありません（{letters}1 のように書きます）"), format!("no row number (as in {letters}1)")));
    }
    let row = digits.parse::<u64>().unwrap_or(u64::MAX);
    if col_number(letters).is_none() {
        let msg = Message::new(format!("列 {letters} はありません（最後の列は XFD）"), format!("there is no column {letters} (the last column is XFD)"));
        return CellShape::Outside(msg);
    }
    if row == 0 {
        return CellShape::Outside(Message::new("0行目はありません（行は1から始まります）", "row 0 does not exist (rows start at 1)"));
    }
    if row > MAX_ROW as u64 {
        return CellShape::Outside(Message::new(
            format!("{digits}行目はありません（最後の行は 1048576）"),
            format!("row {digits} does not exist (the last row is 1048576)"),
        ));
    }
    if digits.starts_with('0') {
        return CellShape::Outside(Message::new("行番号が0で始まっています", "the row number starts with 0"));
    }
    CellShape::Valid
}

/// Whether `text` has the shape of a cell address (letters, then digits or nothing), whether or
/// not Excel has that cell: `A0` and `XFE1` do, `台帳` does not.
///
/// ```
/// use risksheet::xlsx::address::looks_like_cell;
/// assert!(looks_like_cell("A0") && looks_like_cell("$B$3") && !looks_like_cell("台帳") && !looks_like_cell("Sheet"));
/// ```
pub fn looks_like_cell(text: &str) -> bool {
    let t = crate::text::to_narrow(text.trim()).replace('$', "");
    let split = t.find(|c: char| c.is_ascii_digit()).unwrap_or(t.len());
    let (letters, digits) = t.split_at(split);
    !letters.is_empty() && !digits.is_empty() && letters.bytes().all(|b| b.is_ascii_alphabetic()) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Why `text` is not a cell address (`B3`), a cell on a sheet (`台帳!B3`) or an assignment
/// (`台帳!B3=1`), in words: the message of [`XlsxError::InvalidAddress`]. A cell without its
/// sheet is told the form to write; a row or column Excel does not have is named.
///
/// ```
/// use risksheet::xlsx::address::address_problem;
/// use risksheet::Lang;
/// assert_eq!(address_problem("台帳!A0").get(Lang::En), "invalid cell address '台帳!A0': row 0 does not exist (rows start at 1)");
/// assert_eq!(address_problem("A1=3").get(Lang::En), "'A1=3' names no sheet: write SHEET!CELL=VALUE, as in 'Sheet1!A1=3'");
/// assert_eq!(address_problem("A1=3").get(Lang::Ja), "「A1=3」にシートの指定がありません。「台帳!A1=3」のように シート名!セル=値 の形で書いてください");
/// assert_eq!(address_problem("台帳").get(Lang::En), "invalid cell address '台帳'");
/// ```
pub fn address_problem(text: &str) -> crate::lang::Message {
    use crate::lang::Message;
    let t = text.trim();
    // An assignment's address ends at the first '=' after a quoted sheet name.
    let name_end = t.strip_prefix('\'').and_then(|rest| rest.find("'!").or_else(|| rest.find("'！"))).map_or(0, |i| i + 2);
    let (addr, value) = match t[name_end..].find('=') {
        Some(i) => (&t[..name_end + i], Some(&t[name_end + i + 1..])),
        None => (t, None),
    };
    let bang = addr[name_end.min(addr.len())..].rfind(['!', '！']).map(|i| i + name_end.min(addr.len()));
    let (sheet, cell) = match bang {
        Some(i) => (Some(&addr[..i]), &addr[i + addr[i..].chars().next().map_or(1, char::len_utf8)..]),
        None => (None, addr),
    };
    let generic = || Message::new(format!("セル番地「{text}」を解釈できません"), format!("invalid cell address '{text}'"));
    match (sheet, cell_shape(cell)) {
        (_, CellShape::Outside(why)) => why.map(|lang, why| match lang {
            crate::Lang::Ja => format!("セル番地「{text}」を解釈できません：{why}"),
            crate::Lang::En => format!("invalid cell address '{text}': {why}"),
        }),
        (None, CellShape::Valid) => {
            let (ja_form, en_form) = if value.is_some() { ("シート名!セル=値", "SHEET!CELL=VALUE") } else { ("シート名!セル", "SHEET!CELL") };
            let rest = value.map(|v| format!("={v}")).unwrap_or_default();
            let cell = cell.trim();
            Message::new(
                format!("「{text}」にシートの指定がありません。「台帳!{cell}{rest}」のように {ja_form} の形で書いてください"),
                format!("'{text}' names no sheet: write {en_form}, as in 'Sheet1!{cell}{rest}'"),
            )
        }
        _ => generic(),
    }
}
