//! Just enough of Excel's formula grammar to find the cells a formula reads and to move a
//! formula to another cell (shared-formula expansion): references are found and shifted;
//! strings, numbers, functions and operators are copied as they are.
//!
//! ```
//! use risksheet::xlsx::formula::{shift, references};
//! assert_eq!(shift("MAX(J5:L5)*$B$1+'My Sheet'!C5", 2, 0), "MAX(J7:L7)*$B$1+'My Sheet'!C7");
//! let refs = references("SUM(台帳!A1:A9)+B2+SUM(Sheet1:Sheet4!C1)+Table1[[#This Row],[Amount]]");
//! assert_eq!(refs.ranges.len(), 3);
//! assert_eq!(refs.ranges[0].sheet.as_deref(), Some("台帳"));
//! assert_eq!(refs.ranges[2].last_sheet.as_deref(), Some("Sheet4"));
//! assert_eq!(refs.tables[0].table.as_deref(), Some("Table1"));
//! ```
use crate::xlsx::address::{col_letters, col_number, CellRef, Range, MAX_COL, MAX_ROW};

/// One coordinate of a reference: a number and whether it is absolute (`$`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Coord {
    n: u32,
    abs: bool,
}

/// The area a reference token names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Area {
    Cell(Coord, Coord),                // (row, col)
    Cells(Coord, Coord, Coord, Coord), // (row1, col1, row2, col2)
    Cols(Coord, Coord),
    Rows(Coord, Coord),
}

impl Area {
    fn range(&self) -> Range {
        match *self {
            Area::Cell(r, c) => Range::new(CellRef::new(r.n, c.n), CellRef::new(r.n, c.n)),
            Area::Cells(r1, c1, r2, c2) => Range::new(CellRef::new(r1.n, c1.n), CellRef::new(r2.n, c2.n)),
            Area::Cols(c1, c2) => Range::new(CellRef::new(1, c1.n), CellRef::new(MAX_ROW, c2.n)),
            Area::Rows(r1, r2) => Range::new(CellRef::new(r1.n, 1), CellRef::new(r2.n, MAX_COL)),
        }
    }

    /// The area moved by (drow, dcol), or `None` when it falls off the sheet (#REF!).
    fn shifted(&self, dr: i64, dc: i64) -> Option<Area> {
        let mv = |c: Coord, d: i64, max: u32| -> Option<Coord> {
            if c.abs {
                return Some(c);
            }
            let n = c.n as i64 + d;
            (1..=max as i64).contains(&n).then_some(Coord { n: n as u32, abs: false })
        };
        Some(match *self {
            Area::Cell(r, c) => Area::Cell(mv(r, dr, MAX_ROW)?, mv(c, dc, MAX_COL)?),
            Area::Cells(r1, c1, r2, c2) => Area::Cells(mv(r1, dr, MAX_ROW)?, mv(c1, dc, MAX_COL)?, mv(r2, dr, MAX_ROW)?, mv(c2, dc, MAX_COL)?),
            Area::Cols(c1, c2) => Area::Cols(mv(c1, dc, MAX_COL)?, mv(c2, dc, MAX_COL)?),
            Area::Rows(r1, r2) => Area::Rows(mv(r1, dr, MAX_ROW)?, mv(r2, dr, MAX_ROW)?),
        })
    }

    fn write(&self, out: &mut String) {
        let col = |c: Coord| format!("{}{}", if c.abs { "$" } else { "" }, col_letters(c.n));
        let row = |r: Coord| format!("{}{}", if r.abs { "$" } else { "" }, r.n);
        match *self {
            Area::Cell(r, c) => out.push_str(&format!("{}{}", col(c), row(r))),
            Area::Cells(r1, c1, r2, c2) => out.push_str(&format!("{}{}:{}{}", col(c1), row(r1), col(c2), row(r2))),
            Area::Cols(c1, c2) => out.push_str(&format!("{}:{}", col(c1), col(c2))),
            Area::Rows(r1, r2) => out.push_str(&format!("{}:{}", row(r1), row(r2))),
        }
    }
}

/// A piece of a formula: text copied as is, or a reference.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Raw(String),
    /// `sheet` and `last_sheet` are the sheets a prefix names (two for a 3D reference
    /// `Sheet1:Sheet4!C1`); `prefix` is the prefix as written.
    Ref {
        prefix: String,
        sheet: Option<String>,
        last_sheet: Option<String>,
        external: bool,
        area: Area,
    },
}

/// A range a formula reads, with the sheet(s) its prefix names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRange {
    /// The sheet the reference names; `None` for the formula's own sheet.
    pub sheet: Option<String>,
    /// For a 3D reference (`Sheet1:Sheet4!C1`, `'My sheet:Other'!A1`), the last sheet: the
    /// reference reads every sheet from `sheet` to this one in workbook order.
    pub last_sheet: Option<String>,
    /// The cells read on each of those sheets.
    pub range: Range,
}

/// Which rows of a table a structured reference reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableRows {
    /// The header row (`#Headers`, `#All`).
    pub headers: bool,
    /// The data rows (no row specifier, `#Data`, `#All`).
    pub data: bool,
    /// The totals row (`#Totals`, `#All`).
    pub totals: bool,
    /// The formula's own row (`#This Row`, `@`).
    pub this_row: bool,
}

/// A structured reference to a table (`Table1[Amount]`, `Table1[[#This Row],[Amount]]`,
/// `[@Amount]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRef {
    /// The table's name; `None` for a reference without one (`[@Amount]`), which names the
    /// table the formula is in.
    pub table: Option<String>,
    /// The first and last column named (escapes removed); `None` for every column.
    pub columns: Option<(String, String)>,
    /// The rows read.
    pub rows: TableRows,
}

/// What a formula reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct References {
    /// Ranges read. External-workbook ranges are left out.
    pub ranges: Vec<SheetRange>,
    /// Identifiers that may be defined names.
    pub names: Vec<String>,
    /// Structured references to tables.
    pub tables: Vec<TableRef>,
    /// Whether the formula can read cells it does not name (INDIRECT, OFFSET, a structured
    /// reference it cannot make sense of).
    pub dynamic: bool,
}

const DYNAMIC_FUNCTIONS: &[&str] = &["INDIRECT", "OFFSET", "CELL", "INFO"];

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '.' | '$' | '\\' | '?') || (!c.is_ascii() && !c.is_whitespace())
}

/// `$AB` → column coordinate.
fn parse_col(s: &str) -> Option<Coord> {
    let (abs, rest) = match s.strip_prefix('$') {
        Some(r) => (true, r),
        None => (false, s),
    };
    Some(Coord { n: col_number(rest)?, abs })
}

/// `$12` → row coordinate.
fn parse_row(s: &str) -> Option<Coord> {
    let (abs, rest) = match s.strip_prefix('$') {
        Some(r) => (true, r),
        None => (false, s),
    };
    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) || rest.starts_with('0') {
        return None;
    }
    let n: u32 = rest.parse().ok()?;
    (n <= MAX_ROW).then_some(Coord { n, abs })
}

/// `$A$1` → (row, col).
fn parse_cell(s: &str) -> Option<(Coord, Coord)> {
    let body = s.strip_prefix('$').unwrap_or(s);
    let split = body.find(|c: char| c == '$' || c.is_ascii_digit())?;
    let col_end = s.len() - body.len() + split;
    Some((parse_row(&s[col_end..])?, parse_col(&s[..col_end])?))
}

/// What [`tokenize`] finds: the pieces, identifiers that may be names, structured references,
/// and whether the formula can read cells it does not name.
struct Tokens {
    pieces: Vec<Piece>,
    names: Vec<String>,
    tables: Vec<TableRef>,
    dynamic: bool,
}

/// The index of the `]` closing the `[` at char index `i`, nested brackets and `'` escapes
/// (`'[`, `']`, `'#`, `''` in column names) taken into account.
fn bracket_end(chars: &[(usize, char)], i: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut k = i;
    while k < chars.len() {
        match chars[k].1 {
            '\'' => k += 1,
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
        k += 1;
    }
    None
}

/// A column name as a structured reference writes it, escapes removed (`a'[1']` → `a[1]`).
fn unescape_column(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        out.push(if c == '\'' { it.next().unwrap_or(c) } else { c });
    }
    out
}

/// Reads a row specifier (`#All`, `#Data`, `#Headers`, `#Totals`, `#This Row`) into `rows`;
/// false when `s` is none.
fn row_specifier(s: &str, rows: &mut TableRows) -> bool {
    match s.trim().to_ascii_lowercase().as_str() {
        "#all" => {
            rows.headers = true;
            rows.data = true;
            rows.totals = true;
        }
        "#data" => rows.data = true,
        "#headers" => rows.headers = true,
        "#totals" => rows.totals = true,
        "#this row" => rows.this_row = true,
        _ => return false,
    }
    true
}

/// Parses the inside of a structured reference's brackets (`Amount`, `#All`, `@Amount`,
/// `[#This Row],[Amount]`, `[A]:[C]`, empty); `None` when it is not understood.
fn table_ref(table: Option<&str>, inner: &str) -> Option<TableRef> {
    let mut rows = TableRows::default();
    let mut columns = None;
    let mut s = inner.trim();
    if let Some(rest) = s.strip_prefix('@') {
        rows.this_row = true;
        s = rest.trim_start();
    }
    if !s.starts_with('[') {
        if !s.is_empty() && !row_specifier(s, &mut rows) {
            if s.starts_with('#') {
                return None;
            }
            let c = unescape_column(s);
            columns = Some((c.clone(), c));
        }
    } else {
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let off = |k: usize| chars.get(k).map_or(s.len(), |&(o, _)| o);
        let mut k = 0;
        // Items separated by commas: `[x]` or `[x]:[y]`.
        while k < chars.len() {
            if chars[k].1 != '[' {
                return None;
            }
            let e = bracket_end(&chars, k)?;
            let first = &s[off(k + 1)..off(e)];
            k = e + 1;
            if chars.get(k).map(|c| c.1) == Some(':') {
                if chars.get(k + 1).map(|c| c.1) != Some('[') {
                    return None;
                }
                let e2 = bracket_end(&chars, k + 1)?;
                let last = &s[off(k + 2)..off(e2)];
                if columns.is_some() || first.starts_with('#') || last.starts_with('#') {
                    return None;
                }
                columns = Some((unescape_column(first), unescape_column(last)));
                k = e2 + 1;
            } else if !row_specifier(first, &mut rows) {
                if columns.is_some() || first.starts_with('#') {
                    return None;
                }
                let c = unescape_column(first);
                columns = Some((c.clone(), c));
            }
            while chars.get(k).is_some_and(|c| c.1.is_whitespace()) {
                k += 1;
            }
            match chars.get(k).map(|c| c.1) {
                None => break,
                Some(',') => k += 1,
                Some(_) => return None,
            }
            while chars.get(k).is_some_and(|c| c.1.is_whitespace()) {
                k += 1;
            }
        }
    }
    if rows == TableRows::default() {
        rows.data = true;
    }
    Some(TableRef { table: table.map(str::to_string), columns, rows })
}

fn tokenize(f: &str) -> Tokens {
    let chars: Vec<(usize, char)> = f.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let off = |i: usize| chars.get(i).map_or(f.len(), |&(o, _)| o);
    let mut pieces = Vec::new();
    let mut names = Vec::new();
    let mut tables = Vec::new();
    let mut dynamic = false;
    let mut raw = String::new();
    let mut i = 0;
    // Reads an identifier-like run starting at i; returns its end index.
    let ident_end = |mut j: usize| {
        while at(j).is_some_and(is_ident_char) {
            j += 1;
        }
        j
    };
    while i < chars.len() {
        let c = chars[i].1;
        match c {
            '"' => {
                let mut j = i + 1;
                while j < chars.len() {
                    if chars[j].1 == '"' {
                        if at(j + 1) == Some('"') {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j += 1;
                }
                raw.push_str(&f[off(i)..off(j + 1)]);
                i = j + 1;
            }
            '#' => {
                // Error literal such as #REF! or #N/A: copy to its end.
                let mut j = i + 1;
                while at(j).is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '!' | '?' | '0')) {
                    j += 1;
                    if at(j - 1) == Some('!') || at(j - 1) == Some('?') {
                        break;
                    }
                }
                raw.push_str(&f[off(i)..off(j)]);
                i = j;
            }
            '[' => {
                // [1]Sheet!A1 is an external book; anything else is a table reference.
                let Some(j) = (i..chars.len()).find(|&k| chars[k].1 == ']') else {
                    raw.push_str(&f[off(i)..]);
                    break;
                };
                let inner = &f[off(i + 1)..off(j)];
                if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
                    // Fold the book prefix into the next reference as raw text, marked external.
                    let book = f[off(i)..off(j + 1)].to_string();
                    let (next_i, piece) = read_ref(f, &chars, j + 1, &ident_end);
                    if let Some(Piece::Ref { prefix, sheet, last_sheet, area, .. }) = piece {
                        flush(&mut raw, &mut pieces);
                        pieces.push(Piece::Ref { prefix: book + &prefix, sheet, last_sheet, external: true, area });
                        i = next_i;
                        continue;
                    }
                    raw.push_str(&book);
                    i = j + 1;
                } else {
                    // A structured reference without a table name ([@Amount]): copied as it is.
                    let end = bracket_end(&chars, i);
                    let k = end.unwrap_or(chars.len());
                    match end.and_then(|k| table_ref(None, &f[off(i + 1)..off(k)])) {
                        // A range between two structured references may span other columns.
                        Some(t) if at(k + 1) != Some(':') => tables.push(t),
                        _ => dynamic = true,
                    }
                    raw.push_str(&f[off(i)..off(k + 1)]);
                    i = k + 1;
                }
            }
            '\'' => {
                let (next_i, piece) = read_ref(f, &chars, i, &ident_end);
                match piece {
                    Some(p) => {
                        flush(&mut raw, &mut pieces);
                        pieces.push(p);
                    }
                    None => raw.push_str(&f[off(i)..off(next_i)]),
                }
                i = next_i;
            }
            c if is_ident_char(c) => {
                let j = ident_end(i);
                let word = &f[off(i)..off(j)];
                if at(j) == Some('(') {
                    if DYNAMIC_FUNCTIONS.iter().any(|d| word.eq_ignore_ascii_case(d) || word.to_ascii_uppercase().ends_with(&format!(".{d}"))) {
                        dynamic = true;
                    }
                    raw.push_str(word);
                    i = j;
                    continue;
                }
                if at(j) == Some('[') && !word.starts_with(|c: char| c.is_ascii_digit()) {
                    // A structured reference: Table1[Amount], Table1[[#This Row],[Amount]].
                    let end = bracket_end(&chars, j);
                    let k = end.unwrap_or(chars.len());
                    match end.and_then(|k| table_ref(Some(word), &f[off(j + 1)..off(k)])) {
                        Some(t) if at(k + 1) != Some(':') => tables.push(t),
                        _ => dynamic = true,
                    }
                    raw.push_str(&f[off(i)..off(k + 1)]);
                    i = k + 1;
                    continue;
                }
                let (next_i, piece) = read_ref(f, &chars, i, &ident_end);
                match piece {
                    Some(p) => {
                        flush(&mut raw, &mut pieces);
                        pieces.push(p);
                        i = next_i;
                    }
                    None => {
                        let upper = word.to_ascii_uppercase();
                        let numeric = word.starts_with(|c: char| c.is_ascii_digit() || c == '.');
                        if !numeric && upper != "TRUE" && upper != "FALSE" {
                            names.push(word.to_string());
                        }
                        // A number in exponent form continues after its sign: 1E+10.
                        raw.push_str(word);
                        i = j;
                        if numeric && word.ends_with(['E', 'e']) && matches!(at(i), Some('+' | '-')) {
                            raw.push(chars[i].1);
                            i += 1;
                        }
                    }
                }
            }
            _ => {
                raw.push(c);
                i += 1;
            }
        }
    }
    flush(&mut raw, &mut pieces);
    Tokens { pieces, names, tables, dynamic }
}

fn flush(raw: &mut String, pieces: &mut Vec<Piece>) {
    if !raw.is_empty() {
        pieces.push(Piece::Raw(std::mem::take(raw)));
    }
}

/// Tries to read a reference (with an optional sheet prefix) starting at char index `i`.
/// Returns the index after it and the piece, or the index after the word and `None`.
fn read_ref(f: &str, chars: &[(usize, char)], i: usize, ident_end: &dyn Fn(usize) -> usize) -> (usize, Option<Piece>) {
    let at = |k: usize| chars.get(k).map(|&(_, c)| c);
    let off = |k: usize| chars.get(k).map_or(f.len(), |&(o, _)| o);
    let mut k = i;
    let mut sheet = None;
    let mut last_sheet = None;
    let prefix_start = i;
    if at(k) == Some('\'') {
        let mut name = String::new();
        k += 1;
        loop {
            match at(k) {
                None => return (chars.len(), None),
                Some('\'') if at(k + 1) == Some('\'') => {
                    name.push('\'');
                    k += 2;
                }
                Some('\'') => {
                    k += 1;
                    break;
                }
                Some(c) => {
                    name.push(c);
                    k += 1;
                }
            }
        }
        if at(k) != Some('!') {
            return (k, None);
        }
        k += 1;
        // Sheet names cannot hold ':', so 'First:Last'! is a 3D reference.
        match name.split_once(':') {
            Some((a, b)) => {
                sheet = Some(a.to_string());
                last_sheet = Some(b.to_string());
            }
            None => sheet = Some(name),
        }
    } else {
        let j = ident_end(k);
        if at(j) == Some('!') {
            sheet = Some(f[off(k)..off(j)].to_string());
            k = j + 1;
        } else if at(j) == Some(':') && j > k {
            // Sheet1:Sheet4!C1
            let j2 = ident_end(j + 1);
            if j2 > j + 1 && at(j2) == Some('!') {
                sheet = Some(f[off(k)..off(j)].to_string());
                last_sheet = Some(f[off(j + 1)..off(j2)].to_string());
                k = j2 + 1;
            }
        }
    }
    let prefix = f[off(prefix_start)..off(k)].to_string();
    // The reference proper: a word, optionally ':' and a second word.
    let first_end = ident_end(k);
    if first_end == k {
        return (k.max(i + 1), None);
    }
    let first = &f[off(k)..off(first_end)];
    let second = if at(first_end) == Some(':') {
        let e = ident_end(first_end + 1);
        Some((e, &f[off(first_end + 1)..off(e)]))
    } else {
        None
    };
    let area = match second {
        Some((end, w2)) => {
            if let (Some((r1, c1)), Some((r2, c2))) = (parse_cell(first), parse_cell(w2)) {
                Some((end, Area::Cells(r1, c1, r2, c2)))
            } else if let (Some(c1), Some(c2)) = (parse_col(first), parse_col(w2)) {
                Some((end, Area::Cols(c1, c2)))
            } else if let (Some(r1), Some(r2)) = (parse_row(first), parse_row(w2)) {
                Some((end, Area::Rows(r1, r2)))
            } else {
                None
            }
        }
        None => None,
    }
    .or_else(|| parse_cell(first).map(|(r, c)| (first_end, Area::Cell(r, c))));
    match area {
        // A word followed by '(' is a function such as LOG10( even when it looks like a cell.
        Some((end, area)) if at(end) != Some('(') => (end, Some(Piece::Ref { prefix, sheet, last_sheet, external: false, area })),
        _ => (first_end, None),
    }
}

/// Moves a formula written for one cell to a cell `drow` rows and `dcol` columns away, as Excel
/// does when it fills a shared formula: relative references move, `$` ones stay; a reference
/// pushed off the sheet becomes `#REF!`.
pub fn shift(formula: &str, drow: i64, dcol: i64) -> String {
    let pieces = tokenize(formula).pieces;
    let mut out = String::with_capacity(formula.len() + 8);
    for p in pieces {
        match p {
            Piece::Raw(s) => out.push_str(&s),
            Piece::Ref { prefix, area, .. } => {
                out.push_str(&prefix);
                match area.shifted(drow, dcol) {
                    Some(a) => a.write(&mut out),
                    None => out.push_str("#REF!"),
                }
            }
        }
    }
    out
}

/// The cells, names and dynamic functions a formula reads.
pub fn references(formula: &str) -> References {
    let Tokens { pieces, names, tables, dynamic } = tokenize(formula);
    let ranges = pieces
        .into_iter()
        .filter_map(|p| match p {
            Piece::Ref { sheet, last_sheet, external: false, area, .. } => Some(SheetRange { sheet, last_sheet, range: area.range() }),
            _ => None,
        })
        .collect();
    References { ranges, names, tables, dynamic }
}

#[cfg(test)]
#[path = "tests/formula.rs"]
mod tests;
