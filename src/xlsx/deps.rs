//! Which formula cells an edit makes stale. LibreOffice does not recalculate an xlsx on load
//! and keeps a stale cached value forever, so every formula that reads an edited cell, directly
//! or through other formulas, defined names, 3D references (`Sheet1:Sheet4!C1`) or structured
//! references (`Table1[Amount]`), must lose its cached value.
//!
//! The ranges every formula reads are indexed once; the dependency graph is then walked from the
//! edited cells, each formula visited at most once, so the cost grows with the number of
//! formulas, not with the length of the longest chain of formulas reading formulas (a running
//! total down a ledger).
use crate::error::Result;
use crate::xlsx::address::{CellRef, Range, MAX_COL};
use crate::xlsx::formula::{references, References, TableRef};
use crate::xlsx::parallel::{map_runs, MIN_ROWS_PER_THREAD};
use crate::xlsx::table::Table;
use crate::xlsx::workbook::{DefinedName, Workbook};
use std::collections::HashMap;

/// Cells read, as (sheet, range), and whether more may be read.
type Reads = (Vec<(usize, Range)>, bool);

/// A formula cell the edit does not write.
struct Node {
    sheet: usize,
    at: CellRef,
    cached: bool,
}

/// What formulas are resolved against.
struct Context {
    sheets: Vec<String>,
    defined: Vec<DefinedName>,
    /// Defined names by lower-case name.
    by_name: HashMap<String, Vec<usize>>,
    tables: Vec<Table>,
    /// The ranges a defined name reads, once resolved in the context of a sheet.
    memo: HashMap<(usize, usize), Reads>,
}

impl Context {
    fn new(wb: &mut Workbook) -> Context {
        let defined = wb.defined_names().to_vec();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, d) in defined.iter().enumerate() {
            by_name.entry(d.name.to_ascii_lowercase()).or_default().push(i);
        }
        Context { sheets: wb.sheet_names(), defined, by_name, tables: wb.tables(), memo: HashMap::new() }
    }

    fn sheet(&self, name: &str) -> Option<usize> {
        self.sheets.iter().position(|x| x.eq_ignore_ascii_case(name))
    }

    /// Resolves a formula written in `sheet` (at `at`; `None` inside a defined name) to the
    /// (sheet, range)s it reads; returns whether it may read cells it does not name.
    fn resolve(&mut self, sheet: usize, at: Option<CellRef>, refs: References, depth: usize, out: &mut Vec<(usize, Range)>) -> bool {
        let mut dynamic = refs.dynamic;
        for r in refs.ranges {
            let first = match &r.sheet {
                None => Some(sheet),
                Some(n) => self.sheet(n),
            };
            let last = match &r.last_sheet {
                None => first,
                Some(n) => self.sheet(n),
            };
            // A sheet that does not exist makes the reference #REF!: it reads nothing.
            if let (Some(a), Some(b)) = (first, last) {
                out.extend((a.min(b)..=a.max(b)).map(|s| (s, r.range)));
            }
        }
        for t in &refs.tables {
            dynamic |= !self.table_reads(sheet, at, t, out);
        }
        for n in refs.names {
            let Some(candidates) = self.by_name.get(&n.to_ascii_lowercase()) else { continue };
            // A name local to the formula's sheet hides a global one.
            let Some(&d) = candidates.iter().min_by_key(|&&d| if self.defined[d].local_sheet == Some(sheet) { 0 } else { 1 }) else { continue };
            if depth > 8 {
                dynamic = true;
                continue;
            }
            let context = self.defined[d].local_sheet.unwrap_or(sheet);
            if !self.memo.contains_key(&(d, context)) {
                let mut reads = Vec::new();
                let refs = references(&self.defined[d].formula);
                let dynamic = self.resolve(context, None, refs, depth + 1, &mut reads);
                self.memo.insert((d, context), (reads, dynamic));
            }
            let (reads, d_dynamic) = &self.memo[&(d, context)];
            out.extend_from_slice(reads);
            dynamic |= d_dynamic;
        }
        dynamic
    }

    /// The cells a structured reference reads; false when its table or columns are unknown.
    fn table_reads(&self, sheet: usize, at: Option<CellRef>, t: &TableRef, out: &mut Vec<(usize, Range)>) -> bool {
        let table = match &t.table {
            Some(n) => self.tables.iter().find(|x| x.is_named(n)),
            // [@Amount] names the table the formula is in.
            None => at.and_then(|a| self.tables.iter().find(|x| x.sheet == sheet && x.range.contains(a))),
        };
        let Some(table) = table else { return false };
        let r = table.range;
        let (c1, c2) = match &t.columns {
            None => (r.start.col, r.end.col),
            Some((a, b)) => {
                let pos = |n: &str| table.columns.iter().position(|c| c.eq_ignore_ascii_case(n) || c.to_lowercase() == n.to_lowercase());
                let (Some(i), Some(j)) = (pos(a), pos(b)) else { return false };
                (r.start.col + i.min(j) as u32, r.start.col + i.max(j) as u32)
            }
        };
        let mut push = |from: u32, to: u32| {
            if from <= to {
                out.push((table.sheet, Range::new(CellRef::new(from, c1), CellRef::new(to, c2))));
            }
        };
        let data = (r.start.row + table.header_rows, r.end.row.saturating_sub(table.totals_rows));
        if t.rows.headers && table.header_rows > 0 {
            push(r.start.row, (r.start.row + table.header_rows - 1).min(r.end.row));
        }
        if t.rows.data {
            push(data.0, data.1);
        }
        if t.rows.totals && table.totals_rows > 0 {
            push((r.end.row + 1).saturating_sub(table.totals_rows).max(r.start.row), r.end.row);
        }
        if t.rows.this_row {
            match at {
                Some(a) => push(a.row, a.row),
                // Inside a defined name the row is the using cell's: any data row.
                None => push(data.0, data.1),
            }
        }
        true
    }
}

/// The rows each of a set of ranges covers, to find the ranges covering a row, each reported
/// once: the ranges sorted by first row, with a max-tree of their last rows; a reported range's
/// last row becomes 0.
struct Stabbing {
    starts: Vec<u32>,
    owners: Vec<u32>,
    /// Max-tree over the ranges' last rows; leaves from `size`.
    best: Vec<u32>,
    size: usize,
}

impl Stabbing {
    fn new(mut ranges: Vec<(u32, u32, u32)>) -> Stabbing {
        ranges.sort_unstable();
        let size = ranges.len().next_power_of_two();
        let mut best = vec![0; 2 * size];
        for (i, r) in ranges.iter().enumerate() {
            best[size + i] = r.1;
        }
        for i in (1..size).rev() {
            best[i] = best[2 * i].max(best[2 * i + 1]);
        }
        Stabbing { starts: ranges.iter().map(|r| r.0).collect(), owners: ranges.iter().map(|r| r.2).collect(), best, size }
    }

    /// Reports (once) every range covering `row`.
    fn take(&mut self, row: u32, found: &mut impl FnMut(u32)) {
        let k = self.starts.partition_point(|&s| s <= row);
        if k > 0 {
            self.descend(1, 0, self.size, k, row, found);
        }
    }

    fn descend(&mut self, node: usize, lo: usize, hi: usize, k: usize, row: u32, found: &mut impl FnMut(u32)) {
        if lo >= k || self.best[node] < row {
            return;
        }
        if hi - lo == 1 {
            found(self.owners[lo]);
            self.best[node] = 0;
            return;
        }
        let mid = (lo + hi) / 2;
        self.descend(2 * node, lo, mid, k, row, found);
        self.descend(2 * node + 1, mid, hi, k, row, found);
        self.best[node] = self.best[2 * node].max(self.best[2 * node + 1]);
    }
}

/// Leaves of the segment tree over columns (MAX_COL rounded up to a power of two).
const COL_LEAVES: u32 = MAX_COL.next_power_of_two();

/// The ranges read on one sheet: a segment tree over columns, each range kept, by its rows, in
/// the O(log columns) nodes that together cover its columns; the ranges covering a cell are
/// then in the nodes on the path from its column's leaf to the root.
#[derive(Default)]
struct SheetReads {
    nodes: HashMap<u32, Stabbing>,
}

impl SheetReads {
    fn build(ranges: Vec<(Range, u32)>) -> SheetReads {
        let mut lists: HashMap<u32, Vec<(u32, u32, u32)>> = HashMap::new();
        for (r, owner) in ranges {
            let (mut lo, mut hi) = (r.start.col.clamp(1, MAX_COL) - 1 + COL_LEAVES, r.end.col.clamp(1, MAX_COL) + COL_LEAVES);
            while lo < hi {
                if lo & 1 == 1 {
                    lists.entry(lo).or_default().push((r.start.row, r.end.row, owner));
                    lo += 1;
                }
                if hi & 1 == 1 {
                    hi -= 1;
                    lists.entry(hi).or_default().push((r.start.row, r.end.row, owner));
                }
                lo /= 2;
                hi /= 2;
            }
        }
        SheetReads { nodes: lists.into_iter().map(|(k, v)| (k, Stabbing::new(v))).collect() }
    }

    /// Reports the owners of ranges covering `at` not reported before (an owner with several
    /// ranges may be reported once for each).
    fn take(&mut self, at: CellRef, found: &mut impl FnMut(u32)) {
        if self.nodes.is_empty() || !(1..=MAX_COL).contains(&at.col) {
            return;
        }
        let mut node = at.col - 1 + COL_LEAVES;
        while node >= 1 {
            if let Some(s) = self.nodes.get_mut(&node) {
                s.take(at.row, found);
            }
            node /= 2;
        }
    }
}

/// The formula cells, outside the edit, whose results the pending edits change, each with
/// whether it holds a cached value (which is then stale).
pub(crate) fn affected_formula_cells(wb: &mut Workbook) -> Result<Vec<(usize, CellRef, bool)>> {
    let n = wb.sheet_count();
    let written = |wb: &Workbook, si: usize, at: CellRef| wb.sheet_edits(si).cells.get(&(at.row, at.col)).is_some_and(|p| p.content.is_some());
    if (0..n).all(|si| wb.sheet_edits(si).cells.values().all(|p| p.content.is_none())) {
        return Ok(Vec::new());
    }
    // The formulas the edit does not write, with the ranges they read; without any, nothing can
    // go stale.
    let mut ctx: Option<Context> = None;
    let mut nodes = Vec::new();
    let mut reads: Vec<Vec<(Range, u32)>> = (0..n).map(|_| Vec::new()).collect();
    let mut dynamic = Vec::new();
    let mut scratch = Vec::new();
    for si in 0..n {
        let formulas = wb.formula_cells(si)?;
        if formulas.is_empty() {
            continue;
        }
        let ctx = ctx.get_or_insert_with(|| Context::new(wb));
        // Reading the formulas is most of the work: on all cores.
        let refs = map_runs(&formulas, MIN_ROWS_PER_THREAD, |run| Ok(run.iter().map(|f| references(&f.1)).collect()))?;
        for ((at, _, cached), refs) in formulas.into_iter().zip(refs) {
            if written(wb, si, at) {
                continue;
            }
            let id = nodes.len() as u32;
            scratch.clear();
            if ctx.resolve(si, Some(at), refs, 0, &mut scratch) {
                dynamic.push(id);
            }
            for &(s, r) in &scratch {
                reads[s].push((r, id));
            }
            nodes.push(Node { sheet: si, at, cached });
        }
    }
    if nodes.is_empty() {
        return Ok(Vec::new());
    }
    let mut index: Vec<SheetReads> = reads.into_iter().map(|r| if r.is_empty() { SheetReads::default() } else { SheetReads::build(r) }).collect();
    // Walk from the edited cells; a formula found stale is itself a changed cell.
    let mut dirty = vec![false; nodes.len()];
    let mut changed: Vec<(usize, CellRef)> = Vec::new();
    for si in 0..n {
        changed.extend(wb.sheet_edits(si).cells.iter().filter(|(_, p)| p.content.is_some()).map(|(&(r, c), _)| (si, CellRef::new(r, c))));
    }
    for id in dynamic {
        dirty[id as usize] = true;
        changed.push((nodes[id as usize].sheet, nodes[id as usize].at));
    }
    while let Some((si, at)) = changed.pop() {
        index[si].take(at, &mut |id| {
            let id = id as usize;
            if !dirty[id] {
                dirty[id] = true;
                changed.push((nodes[id].sheet, nodes[id].at));
            }
        });
    }
    Ok(nodes.iter().zip(dirty).filter(|(_, d)| *d).map(|(n, _)| (n.sheet, n.at, n.cached)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stabbing_reports_each_covering_range_once() {
        let mut s = Stabbing::new(vec![(1, 10, 0), (5, 5, 1), (3, 4, 2), (8, 20, 3)]);
        let mut got = Vec::new();
        s.take(5, &mut |o| got.push(o));
        got.sort();
        assert_eq!(got, [0, 1]);
        got.clear();
        s.take(9, &mut |o| got.push(o));
        assert_eq!(got, [3], "range 0 was reported already");
        s.take(4, &mut |o| got.push(o));
        assert_eq!(got, [3, 2]);
    }

    #[test]
    fn sheet_reads_find_ranges_by_column_and_row() {
        let r = |s: &str| Range::parse(s).unwrap();
        let mut reads = SheetReads::build(vec![(r("B2:D9"), 0), (r("A1:A1048576"), 1), (r("A3:XFD3"), 2), (r("XFD1"), 3), (r("C5"), 4)]);
        let mut take = |c: &str| {
            let mut got = Vec::new();
            reads.take(CellRef::parse(c).unwrap(), &mut |o| got.push(o));
            got.sort();
            got
        };
        assert_eq!(take("E10"), Vec::<u32>::new());
        assert_eq!(take("C5"), [0, 4]);
        assert_eq!(take("A1048576"), [1]);
        assert_eq!(take("ZZ3"), [2]);
        assert_eq!(take("XFD1"), [3]);
    }
}
