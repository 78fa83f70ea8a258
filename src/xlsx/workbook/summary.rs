//! Counts per sheet (cells, formulas, validations, merges, its range), as `inspect` reports them.
use super::*;

impl Workbook {
    /// Counts per sheet, as `inspect` reports them.
    ///
    /// # Errors
    ///
    /// [`XlsxError::Xml`] when a worksheet's XML cannot be read.
    pub fn summary(&mut self) -> Result<Vec<SheetSummary>> {
        let mut out = Vec::new();
        for si in 0..self.sheets.len() {
            let entry = self.sheets[si].clone();
            if entry.kind != SheetKind::Worksheet {
                out.push(SheetSummary {
                    name: entry.name,
                    part: entry.part,
                    kind: entry.kind,
                    dimension: None,
                    cells: 0,
                    formulas: 0,
                    validations: 0,
                    merges: 0,
                });
                continue;
            }
            let validations = {
                let l = self.worksheet(si)?;
                l.index
                    .children_named("dataValidations")
                    .chain(l.index.children_named("extLst"))
                    .map(|c| xml::count_elements(&l.xml[c.start..c.end], "dataValidation"))
                    .sum()
            };
            let merges = self.merges(&entry.name)?.len();
            let l = self.worksheet(si)?;
            out.push(SheetSummary {
                name: entry.name,
                part: entry.part,
                kind: entry.kind,
                dimension: l.index.dimension(&l.xml),
                cells: l.index.cells,
                formulas: l.index.formulas,
                validations,
                merges,
            });
        }
        Ok(out)
    }

    pub(crate) fn sheet_count(&self) -> usize {
        self.sheets.len()
    }

    pub(crate) fn sheet_edits(&self, si: usize) -> &SheetEdits {
        &self.edits[si]
    }

    /// The tables of every worksheet, found through each sheet's relationships. A table part
    /// that is missing or cannot be understood is left out (a structured reference to it then
    /// counts as reading anything).
    pub(crate) fn tables(&mut self) -> Vec<crate::xlsx::table::Table> {
        let mut out = Vec::new();
        for si in 0..self.sheets.len() {
            if self.sheets[si].kind != SheetKind::Worksheet {
                continue;
            }
            let part = self.sheets[si].part.clone();
            let Some(rels_part) = self.pkg.find(&rels_of(&part)).map(str::to_string) else { continue };
            let Ok(rels) = self.pkg.read_text(&rels_part).and_then(|x| parse_rels(&rels_part, &x)) else { continue };
            for (_, kind, target, external) in rels {
                if external || !kind.ends_with("/table") {
                    continue;
                }
                let Some(found) = self.pkg.find(&resolve_target(part_dir(&part), &target)).map(str::to_string) else { continue };
                if let Some(t) = self.pkg.read_text(&found).ok().and_then(|x| crate::xlsx::table::Table::parse(si, &x)) {
                    out.push(t);
                }
            }
        }
        out
    }

    /// Every formula cell of a worksheet: (cell, formula text, has a cached value).
    pub(crate) fn formula_cells(&mut self, si: usize) -> Result<Vec<(CellRef, String, bool)>> {
        if self.sheets[si].kind != SheetKind::Worksheet {
            return Ok(Vec::new());
        }
        let part = self.sheets[si].part.clone();
        let l = self.worksheet(si)?;
        // Only the formula cells are parsed, from where the index found them, on all cores.
        crate::xlsx::parallel::map_runs(&l.index.formula_cells, crate::xlsx::parallel::MIN_ROWS_PER_THREAD, |run| {
            let mut out = Vec::with_capacity(run.len());
            for &(at, start) in run {
                let c = SheetIndex::cell_starting(&part, &l.xml, at, start, true)?;
                if let Some(text) = Self::formula_text(&l.index, &c) {
                    out.push((c.at, text, c.v_span.is_some()));
                }
            }
            Ok(out)
        })
    }
}
