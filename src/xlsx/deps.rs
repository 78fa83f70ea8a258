//! Which formula cells an edit makes stale. LibreOffice does not recalculate an xlsx on load
//! and keeps a stale cached value forever, so every formula that reads an edited cell, directly
//! or through other formulas or defined names, must lose its cached value.
use crate::error::Result;
use crate::xlsx::address::{CellRef, Range, MAX_COL};
use crate::xlsx::formula::references;
use crate::xlsx::workbook::Workbook;
use std::collections::BTreeSet;

struct Node {
    sheet: usize,
    at: CellRef,
    reads: Vec<(usize, Range)>,
    dynamic: bool,
    cached: bool,
}

/// Changed cells per sheet, as (column, row) so a column's rows are contiguous.
struct Changed(Vec<BTreeSet<(u32, u32)>>);

impl Changed {
    fn hits(&self, sheet: usize, r: &Range) -> bool {
        let set = &self.0[sheet];
        if set.is_empty() {
            return false;
        }
        let width = (r.end.col - r.start.col + 1) as usize;
        if width > set.len() {
            return set.iter().any(|&(c, row)| r.contains(CellRef::new(row, c)));
        }
        (r.start.col..=r.end.col.min(MAX_COL)).any(|c| set.range((c, r.start.row)..=(c, r.end.row)).next().is_some())
    }
}

/// Resolves a formula's references to (sheet, range), following defined names.
fn resolve(wb: &Workbook, sheet: usize, formula: &str, depth: usize, out: &mut Vec<(usize, Range)>) -> bool {
    let refs = references(formula);
    let mut dynamic = refs.dynamic;
    let names = wb.sheet_names();
    for (s, r) in refs.ranges {
        let target = match s {
            None => Some(sheet),
            Some(n) => names.iter().position(|x| x.eq_ignore_ascii_case(&n)),
        };
        if let Some(t) = target {
            out.push((t, r));
        }
    }
    for n in refs.names {
        let defined = wb.defined_names().iter().filter(|d| d.name.eq_ignore_ascii_case(&n)).min_by_key(|d| if d.local_sheet == Some(sheet) { 0 } else { 1 });
        if let Some(d) = defined {
            if depth > 8 {
                dynamic = true;
            } else {
                let formula = d.formula.clone();
                dynamic |= resolve(wb, d.local_sheet.unwrap_or(sheet), &formula, depth + 1, out);
            }
        }
    }
    dynamic
}

/// The formula cells, outside the edit, whose results the pending edits change, each with
/// whether it holds a cached value (which is then stale).
pub(crate) fn affected_formula_cells(wb: &mut Workbook) -> Result<Vec<(usize, CellRef, bool)>> {
    let n = wb.sheet_count();
    let written = |wb: &Workbook, si: usize, at: CellRef| wb.sheet_edits(si).cells.get(&(at.row, at.col)).is_some_and(|p| p.content.is_some());
    if (0..n).all(|si| wb.sheet_edits(si).cells.values().all(|p| p.content.is_none())) {
        return Ok(Vec::new());
    }
    // The formulas the edit does not write; without any, nothing can go stale.
    let mut nodes = Vec::new();
    for si in 0..n {
        for (at, text, cached) in wb.formula_cells(si)? {
            if written(wb, si, at) {
                continue;
            }
            let mut reads = Vec::new();
            let dynamic = resolve(wb, si, &text, 0, &mut reads);
            nodes.push(Node { sheet: si, at, reads, dynamic, cached });
        }
    }
    if nodes.is_empty() {
        return Ok(Vec::new());
    }
    let mut changed = Changed(vec![BTreeSet::new(); n]);
    for (si, set) in changed.0.iter_mut().enumerate() {
        set.extend(wb.sheet_edits(si).cells.iter().filter(|(_, p)| p.content.is_some()).map(|(&(r, c), _)| (c, r)));
    }
    let mut dirty = vec![false; nodes.len()];
    loop {
        let mut grew = false;
        for (i, node) in nodes.iter().enumerate() {
            if dirty[i] {
                continue;
            }
            if node.dynamic || node.reads.iter().any(|(s, r)| changed.hits(*s, r)) {
                dirty[i] = true;
                changed.0[node.sheet].insert((node.at.col, node.at.row));
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    Ok(nodes.iter().zip(dirty).filter(|(_, d)| *d).map(|(n, _)| (n.sheet, n.at, n.cached)).collect())
}
