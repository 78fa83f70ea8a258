//! Finding the sheets and columns of an IPA-style workbook by their header texts, never by fixed
//! addresses: users move the table down, add columns, rename tabs.
use crate::error::{Error, ErrorKind, Result};
use crate::profile::Header;
use crate::xlsx::address::col_letters;
use crate::xlsx::{CellValue, Range, Workbook};
use serde::Serialize;

/// The cells of one sheet, addressable by (row, column), with merged areas resolved to their
/// top-left cell as Excel shows them.
pub struct Grid {
    /// The sheet's name.
    pub sheet: String,
    /// Where each row's cells start in `cols`/`cells` (`row_starts[r]..row_starts[r + 1]`),
    /// the cells of a row in column order: a ledger of 10,000 assets is read into flat
    /// vectors, and a cell is found by its row, then by bisection among the row's columns.
    row_starts: Vec<u32>,
    cols: Vec<u32>,
    cells: Vec<GridCell>,
    merges: Vec<Range>,
    /// Last row holding any cell.
    pub max_row: u32,
    /// Last column holding any cell.
    pub max_col: u32,
}

struct GridCell {
    value: CellValue,
    style: u32,
    /// A formula whose result the file does not store.
    uncomputed: bool,
}

impl Grid {
    /// Reads a sheet.
    pub(crate) fn read(wb: &mut Workbook, sheet: &str) -> Result<Grid> {
        let mut stored = wb.stored_cells(sheet, false)?;
        // Files keep rows and cells in order; a broken one that does not is put in order (the
        // last of two cells at one position counts).
        if stored.windows(2).any(|w| (w[0].at.row, w[0].at.col) >= (w[1].at.row, w[1].at.col)) {
            stored.sort_by_key(|c| (c.at.row, c.at.col));
            stored.reverse();
            stored.dedup_by_key(|c| (c.at.row, c.at.col));
            stored.reverse();
        }
        let (mut max_row, mut max_col) = (0, 0);
        let last_stored_row = stored.last().map_or(0, |c| c.at.row) as usize;
        let mut row_starts = vec![0u32; last_stored_row + 2];
        let mut cols = Vec::with_capacity(stored.len());
        let mut cells = Vec::with_capacity(stored.len());
        for c in stored {
            if !c.value.is_blank() {
                max_row = max_row.max(c.at.row);
                max_col = max_col.max(c.at.col);
            }
            row_starts[c.at.row as usize + 1] += 1;
            cols.push(c.at.col);
            cells.push(GridCell { uncomputed: c.formula.is_some() && c.value == CellValue::Empty, value: c.value, style: c.style });
        }
        for r in 1..row_starts.len() {
            row_starts[r] += row_starts[r - 1];
        }
        Ok(Grid { sheet: sheet.to_string(), row_starts, cols, cells, merges: wb.merges(sheet)?, max_row, max_col })
    }

    fn get(&self, row: u32, col: u32) -> Option<&GridCell> {
        let r = row as usize;
        let (start, end) = (*self.row_starts.get(r)? as usize, *self.row_starts.get(r + 1)? as usize);
        self.cols[start..end].binary_search(&col).ok().map(|i| &self.cells[start + i])
    }

    /// The merged area a cell lies in.
    pub fn merge_of(&self, row: u32, col: u32) -> Option<Range> {
        self.merges.iter().copied().find(|m| m.contains(crate::xlsx::CellRef::new(row, col)))
    }

    /// The value shown at a cell: a merged area's cells show its top-left value.
    pub fn value(&self, row: u32, col: u32) -> &CellValue {
        match self.merge_of(row, col) {
            Some(m) => self.own_value(m.start.row, m.start.col),
            None => self.own_value(row, col),
        }
    }

    /// The value stored in the cell itself (blank inside a merged area).
    pub fn own_value(&self, row: u32, col: u32) -> &CellValue {
        static EMPTY: CellValue = CellValue::Empty;
        self.get(row, col).map_or(&EMPTY, |c| &c.value)
    }

    /// The text shown at a cell, trimmed.
    pub fn text(&self, row: u32, col: u32) -> String {
        self.value(row, col).to_string().trim().to_string()
    }

    /// Whether the cell holds a formula whose result the file does not store (saved by a tool
    /// that does not compute, such as openpyxl): its value is unknown until a spreadsheet computes it.
    pub fn uncomputed(&self, row: u32, col: u32) -> bool {
        self.get(row, col).is_some_and(|c| c.uncomputed)
    }

    /// The style index of a cell (0 when not stored).
    pub fn style(&self, row: u32, col: u32) -> u32 {
        self.get(row, col).map_or(0, |c| c.style)
    }
}

/// The column of each field found in a table, in the order found; written as letters
/// (`{"asset": "C"}`). A handful of fields, looked up for every cell of a ledger: a short list
/// searched in order beats hashing.
#[derive(Debug, Clone, Default)]
pub struct FieldColumns(Vec<(&'static str, u32)>);

impl FieldColumns {
    /// The column number of a field.
    pub fn get(&self, field: &str) -> Option<u32> {
        self.0.iter().find(|(f, _)| *f == field).map(|x| x.1)
    }
    /// Sets a field's column (in place when it has one).
    pub(crate) fn insert(&mut self, field: &'static str, col: u32) {
        match self.0.iter_mut().find(|(f, _)| *f == field) {
            Some(x) => x.1 = col,
            None => self.0.push((field, col)),
        }
    }
    /// Whether some field is in this column.
    pub(crate) fn holds(&self, col: u32) -> bool {
        self.0.iter().any(|x| x.1 == col)
    }
    /// How many fields were found.
    pub fn len(&self) -> usize {
        self.0.len()
    }
    /// Whether no field was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// The first and last column holding a field.
    pub(crate) fn span(&self) -> Option<(u32, u32)> {
        Some((self.0.iter().map(|x| x.1).min()?, self.0.iter().map(|x| x.1).max()?))
    }
    /// (field, column letters) in the order found.
    pub fn letters(&self) -> impl Iterator<Item = (&'static str, String)> + '_ {
        self.0.iter().map(|&(f, c)| (f, col_letters(c)))
    }
}

impl Serialize for FieldColumns {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_map(self.letters())
    }
}

/// Where the asset ledger's columns are.
#[derive(Debug, Clone, Serialize)]
pub struct LedgerLayout {
    /// The sheet.
    pub sheet: String,
    /// The header's field row (the lower row of a two-row header).
    pub header_row: u32,
    /// First data row.
    pub first_row: u32,
    /// Columns by field; fields not found are absent.
    pub columns: FieldColumns,
    /// Why each field has its column.
    pub evidence: Vec<super::infer::FieldEvidence>,
}

impl LedgerLayout {
    /// The column number of a field, by its key (`"medium"`).
    pub fn col(&self, field: &str) -> Option<u32> {
        self.columns.get(field)
    }
    /// The column number of a field.
    pub fn of(&self, field: super::ledger::LedgerField) -> Option<u32> {
        self.columns.get(field.key())
    }
}

/// A simple table: one header row, named columns.
#[derive(Debug, Clone, Serialize)]
pub struct TableLayout {
    /// The sheet.
    pub sheet: String,
    /// The header row (the field row of a two-row header).
    pub header_row: u32,
    /// The first data row.
    pub first_row: u32,
    /// Columns by field; fields not found are absent.
    pub columns: FieldColumns,
    /// Why each field has its column.
    pub evidence: Vec<super::infer::FieldEvidence>,
}

impl TableLayout {
    /// The column number of a field.
    pub fn col(&self, field: &str) -> Option<u32> {
        self.columns.get(field)
    }
    /// The column number of a field the operation needs, or an error naming its header.
    pub(crate) fn need(&self, field: &str, header: &Header) -> Result<u32> {
        self.col(field).ok_or_else(|| Error::new(ErrorKind::MissingHeader(header.text.clone().into())).in_sheet(&self.sheet))
    }
}

/// The sheets of an IPA workbook, found by what their tables hold (the tab name is a hint).
#[derive(Debug, Clone, Default, Serialize)]
pub struct SheetRoles {
    /// 情報資産管理台帳.
    pub ledger: Option<String>,
    /// 記入例 sheets (filled too, but not counted as the company's assets).
    pub examples: Vec<String>,
    /// 脅威の状況.
    pub threats: Option<String>,
    /// 対策状況チェック.
    pub checklist: Option<String>,
    /// 診断結果.
    pub result: Option<String>,
    /// A risk register's asset inventory (資産目録); may be the ledger's sheet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inventory: Option<String>,
    /// The risk register (リスクアセスメント結果報告書).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub register: Option<String>,
    /// The treatment plan (リスク対応計画).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// The self check (自社診断).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub self_check: Option<String>,
}

/// Every worksheet as a grid, by name in tab order.
pub type Grids = indexmap::IndexMap<String, Grid>;

/// Reads every worksheet once; edition detection and role finding both work from the result.
pub(crate) fn read_grids(wb: &mut Workbook) -> Result<Grids> {
    let names: Vec<String> = wb.sheets().iter().filter(|s| s.kind == crate::xlsx::SheetKind::Worksheet).map(|s| s.name.clone()).collect();
    let mut grids = Grids::new();
    for n in names {
        let grid = Grid::read(wb, &n)?;
        grids.insert(n, grid);
    }
    Ok(grids)
}
