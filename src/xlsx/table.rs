//! Table parts (`xl/tables/tableN.xml`, Excel's Insert ▸ Table): where a table is and what its
//! columns are called, so that structured references (`Table1[Amount]`) can be resolved to cells.
use crate::xlsx::address::Range;
use crate::xlsx::xml::{attr, Scanner, TokenKind};

/// A table of a worksheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Table {
    /// The sheet holding it, by tab index.
    pub sheet: usize,
    /// `name` and `displayName` (formulas use the latter; they are usually equal).
    pub names: [String; 2],
    /// The whole table, header and totals rows included (`ref`).
    pub range: Range,
    /// Number of header rows (`headerRowCount`, 1 unless stated).
    pub header_rows: u32,
    /// Number of totals rows (`totalsRowCount`, 0 unless stated).
    pub totals_rows: u32,
    /// Column names, left to right.
    pub columns: Vec<String>,
}

impl Table {
    /// Reads a table part; `None` when it is not one that can be understood.
    pub fn parse(sheet: usize, xml: &str) -> Option<Table> {
        let mut table = None;
        let mut columns = Vec::new();
        for t in Scanner::new(xml) {
            let t = t.ok()?;
            if !matches!(t.kind, TokenKind::Start | TokenKind::Empty) {
                continue;
            }
            let tag = t.text(xml);
            match t.local_name(xml) {
                "table" if table.is_none() => {
                    let get = |n| attr(tag, n).map(|s| s.into_owned());
                    let count = |n, default| get(n).map_or(Some(default), |v| v.trim().parse().ok());
                    let range = Range::parse(&get("ref")?).ok()?;
                    let names = [get("name").unwrap_or_default(), get("displayName").unwrap_or_default()];
                    table = Some(Table {
                        sheet,
                        names,
                        range,
                        header_rows: count("headerRowCount", 1)?,
                        totals_rows: count("totalsRowCount", 0)?,
                        columns: Vec::new(),
                    });
                }
                "tableColumn" => columns.push(attr(tag, "name")?.into_owned()),
                _ => {}
            }
        }
        let mut table = table?;
        let width = (table.range.end.col - table.range.start.col + 1) as usize;
        if columns.len() != width {
            return None;
        }
        table.columns = columns;
        Some(table)
    }

    /// Whether formulas can call the table by this name.
    pub fn is_named(&self, name: &str) -> bool {
        self.names.iter().any(|n| !n.is_empty() && n.eq_ignore_ascii_case(name))
    }
}
