//! Finding the sheets and columns of an IPA-style workbook by their header texts, never by fixed
//! addresses: users move the table down, add columns, rename tabs.
use crate::error::{Error, ErrorKind, Result};
use crate::profile::{Header, Profile};
use crate::xlsx::address::col_letters;
use crate::xlsx::{CellValue, Range, Workbook};
use serde::Serialize;

/// How many rows from the top a header row is looked for in.
const HEADER_SEARCH_ROWS: u32 = 40;

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
    pub fn read(wb: &mut Workbook, sheet: &str) -> Result<Grid> {
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

    /// The first column in rows `rows` whose shown text matches the header.
    fn find_col(&self, header: &Header, rows: &[u32]) -> Option<u32> {
        (1..=self.max_col.max(1)).find(|&c| rows.iter().any(|&r| {
            let t = self.text(r, c);
            !t.is_empty() && header.matches(&t)
        }))
    }

    /// The header row: the row among the first rows where most of `headers` match (in it or,
    /// for a two-row header, in it and the row below). Requires `anchor` to match.
    fn find_header_row(&self, anchor: &Header, headers: &[&Header], two_rows: bool) -> Option<u32> {
        let mut best: Option<(usize, u32)> = None;
        for r in 1..=HEADER_SEARCH_ROWS.min(self.max_row.max(1)) {
            let rows: Vec<u32> = if two_rows { vec![r, r + 1] } else { vec![r] };
            if self.find_col(anchor, &rows).is_none() {
                continue;
            }
            let score = headers.iter().filter(|h| self.find_col(h, &rows).is_some()).count();
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, r));
            }
        }
        best.map(|(_, r)| r)
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
    fn insert(&mut self, field: &'static str, col: u32) {
        match self.0.iter_mut().find(|(f, _)| *f == field) {
            Some(x) => x.1 = col,
            None => self.0.push((field, col)),
        }
    }
    /// Whether some field is in this column.
    fn holds(&self, col: u32) -> bool {
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
    /// Row of the (first) header row.
    pub header_row: u32,
    /// First data row.
    pub first_row: u32,
    /// Columns by field; fields not found are absent.
    pub columns: FieldColumns,
}

impl LedgerLayout {
    /// The column number of a field.
    pub fn col(&self, field: &str) -> Option<u32> {
        self.columns.get(field)
    }
    /// The column number of a field the operation needs, or an error naming its header.
    pub fn need(&self, field: &str, header: &Header) -> Result<u32> {
        self.col(field).ok_or_else(|| Error::new(ErrorKind::MissingHeader(header.text.clone())).in_sheet(&self.sheet))
    }
}

/// The ledger fields: (key, header) in IPA order.
pub fn ledger_fields(p: &Profile) -> Vec<(&'static str, &Header)> {
    let h = &p.headers.ledger;
    vec![
        ("business", &h.business),
        ("asset", &h.asset),
        ("note", &h.note),
        ("users", &h.users),
        ("owner", &h.owner),
        ("medium", &h.medium),
        ("personal", &h.personal),
        ("sensitive", &h.sensitive),
        ("mynumber", &h.mynumber),
        ("c", &h.confidentiality),
        ("i", &h.integrity),
        ("a", &h.availability),
        ("importance", &h.importance),
        ("retention", &h.retention),
        ("registered", &h.registered),
        ("threat", &h.threat),
        ("vulnerability", &h.vulnerability),
        ("likelihood", &h.likelihood),
        ("risk", &h.risk),
    ]
}

/// Finds the ledger table on a sheet.
pub fn find_ledger(grid: &Grid, p: &Profile) -> Option<LedgerLayout> {
    let fields = ledger_fields(p);
    let headers: Vec<&Header> = fields.iter().map(|f| f.1).collect();
    let anchor = &p.headers.ledger.medium;
    let r = grid.find_header_row(anchor, &headers, true)?;
    let rows = [r, r + 1];
    let mut cols = FieldColumns::default();
    for (key, h) in &fields {
        if let Some(c) = grid.find_col(h, &rows) {
            cols.insert(key, c);
        }
    }
    // 被害発生可能性 and リスク値 each span a number and a label column, merged in the header.
    for (key, label) in [("likelihood", "likelihood_label"), ("risk", "risk_label")] {
        if let Some(c) = cols.get(key) {
            let spans_two = rows.iter().any(|&row| grid.merge_of(row, c).is_some_and(|m| m.end.col > c && m.start.col == c));
            // Without a merged header, the column to the right is the label column only when it
            // has no header of its own and holds nothing but labels (or nothing) below.
            let labels: Vec<String> = if key == "risk" {
                p.risk.bands.iter().flat_map(|b| [b.label.clone(), b.label_en.clone()]).collect()
            } else {
                p.likelihood.levels.iter().flat_map(|l| [l.label.clone(), l.label_en.clone()]).collect()
            };
            let label_like = |row: u32| {
                let t = grid.text(row, c + 1);
                t.is_empty() || labels.iter().any(|l| !l.is_empty() && &t == l)
            };
            let next_free = !cols.holds(c + 1)
                && grid.text(r, c + 1).is_empty()
                && grid.text(r + 1, c + 1).is_empty()
                && (r + 2..=grid.max_row).all(label_like);
            if spans_two || next_free {
                cols.insert(label, c + 1);
            }
        }
    }
    // A two-row header: data starts below the field row unless the field row holds data.
    let field_row_is_header = fields.iter().any(|(_, h)| grid.find_col(h, &[r + 1]).is_some()) || grid.merge_of(r, cols.get("asset").unwrap_or(1)).is_some_and(|m| m.end.row > r);
    let first_row = if field_row_is_header { r + 2 } else { r + 1 };
    (cols.len() >= 4 && cols.get("medium").is_some()).then_some(LedgerLayout { sheet: grid.sheet.clone(), header_row: r, first_row, columns: cols })
}

/// A simple table: one header row, named columns.
#[derive(Debug, Clone, Serialize)]
pub struct TableLayout {
    /// The sheet.
    pub sheet: String,
    /// The header row.
    pub header_row: u32,
    /// Columns by field; fields not found are absent.
    pub columns: FieldColumns,
}

impl TableLayout {
    /// The column number of a field.
    pub fn col(&self, field: &str) -> Option<u32> {
        self.columns.get(field)
    }
    /// The column number of a field the operation needs, or an error naming its header.
    pub fn need(&self, field: &str, header: &Header) -> Result<u32> {
        self.col(field).ok_or_else(|| Error::new(ErrorKind::MissingHeader(header.text.clone())).in_sheet(&self.sheet))
    }
}

/// Finds a one-row-header table whose `anchor` header is present.
pub fn find_table(grid: &Grid, anchor: &Header, fields: &[(&'static str, &Header)]) -> Option<TableLayout> {
    let headers: Vec<&Header> = fields.iter().map(|f| f.1).collect();
    let r = grid.find_header_row(anchor, &headers, false)?;
    let mut columns = FieldColumns::default();
    for (key, h) in fields {
        // A header may sit in the row below when the header row is two rows high.
        if let Some(c) = grid.find_col(h, &[r]).or_else(|| grid.find_col(h, &[r + 1])) {
            if !columns.holds(c) {
                columns.insert(key, c);
            }
        }
    }
    Some(TableLayout { sheet: grid.sheet.clone(), header_row: r, columns })
}

/// Threat sheet fields.
pub fn threat_fields(p: &Profile) -> Vec<(&'static str, &Header)> {
    let h = &p.headers.threats;
    vec![("frequency", &h.frequency), ("medium", &h.medium), ("threat", &h.threat), ("status", &h.status)]
}

/// Checklist fields.
pub fn checklist_fields(p: &Profile) -> Vec<(&'static str, &Header)> {
    let h = &p.headers.checklist;
    vec![("answer", &h.answer), ("group", &h.group), ("item", &h.item)]
}

/// 診断結果 fields.
pub fn result_fields(p: &Profile) -> Vec<(&'static str, &Header)> {
    let h = &p.headers.result;
    vec![("rate", &h.rate), ("chapter", &h.chapter), ("need", &h.need), ("decision", &h.decision)]
}

/// The sheets of an IPA workbook, found by name first and by content second.
#[derive(Debug, Clone, Serialize)]
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
}

/// Assigns sheets to roles.
pub fn find_roles(grids: &Grids, p: &Profile) -> SheetRoles {
    let names: Vec<String> = grids.keys().cloned().collect();
    let sh = &p.headers.sheets;
    let is_example = |n: &str| sh.ledger_example.as_ref().is_some_and(|h| h.matches(n)) || n.contains("記入例") || n.to_lowercase().contains("example");
    let mut roles = SheetRoles { ledger: None, examples: Vec::new(), threats: None, checklist: None, result: None };
    // Ledgers: every sheet holding the ledger table; the one named like the ledger wins.
    let ledgers: Vec<&String> = names.iter().filter(|n| find_ledger(&grids[*n], p).is_some()).collect();
    for n in &ledgers {
        if is_example(n) {
            roles.examples.push((*n).clone());
        }
    }
    roles.ledger = ledgers
        .iter()
        .find(|n| sh.ledger.matches(n) && !is_example(n))
        .or_else(|| ledgers.iter().find(|n| !is_example(n)))
        .map(|n| (*n).clone());
    // A renamed tab is found by its table; ledgers are left out (they have a 脅威 column too).
    let by = |header: &Header, anchor: &Header, fields: &[(&'static str, &Header)]| -> Option<String> {
        // A sheet counts when its table shows the anchor and at least one more column (the how-to
        // sheet's prose may mention 「発生頻度」).
        let has = |n: &&String| !ledgers.contains(n) && find_table(&grids[*n], anchor, fields).is_some_and(|t| t.columns.len() >= 2);
        names.iter().find(|n| header.matches(n) && has(n)).or_else(|| names.iter().find(|n| has(n))).cloned()
    };
    roles.threats = by(&sh.threats, &p.headers.threats.frequency, &threat_fields(p));
    roles.checklist = by(&sh.checklist, &p.headers.checklist.answer, &checklist_fields(p));
    roles.result = by(&sh.result, &p.headers.result.rate, &result_fields(p));
    roles
}

/// Every worksheet as a grid, by name in tab order.
pub type Grids = indexmap::IndexMap<String, Grid>;

/// Reads every worksheet once; edition detection and role finding both work from the result.
pub fn read_grids(wb: &mut Workbook) -> Result<Grids> {
    let names: Vec<String> = wb.sheets().iter().filter(|s| s.kind == crate::xlsx::SheetKind::Worksheet).map(|s| s.name.clone()).collect();
    let mut grids = Grids::new();
    for n in names {
        let grid = Grid::read(wb, &n)?;
        grids.insert(n, grid);
    }
    Ok(grids)
}
