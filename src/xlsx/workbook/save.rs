//! Saving: the package changes the pending edits make (stale caches dropped, shared formulas
//! expanded where overwritten, styles, added sheets, the calc chain), written the safe way.
use super::*;

impl Workbook {
    /// Whether there are unsaved edits.
    pub fn is_modified(&self) -> bool {
        !self.new_sheets.is_empty() || !self.charts.is_empty() || self.new_styles.values().any(|v| !v.is_empty()) || self.edits.iter().any(|e| !e.is_empty())
    }

    /// Saves in place, the safe way (see [`Workbook::save_as`]).
    ///
    /// # Errors
    ///
    /// As [`Workbook::save_as`].
    pub fn save(&mut self) -> Result<SaveReport> {
        let path = self.path.clone();
        self.save_as(&path, &SaveOptions::default())
    }

    /// Saves to `target` the safe way ([`crate::xlsx::file`]): a temporary file beside it,
    /// fsynced, opened again and checked, and only then renamed over the target, whose owner and
    /// mode it keeps (a symlinked target: the real file behind it). It refuses, unless
    /// `opts.force`, a workbook open in LibreOffice or Excel and one changed on disk since it was
    /// read. With `opts.backup`, an existing target is first copied to a new backup beside it
    /// ([`crate::xlsx::file::backup_path`]: `NAME.bak.xlsx`, then `NAME.bak-2.xlsx` …, never
    /// through a link, never over an earlier one). Edits that change nothing in place write
    /// nothing. On error, the target is untouched; once it is replaced, the save has succeeded and
    /// the workbook reads from `target`.
    ///
    /// # Errors
    ///
    /// [`XlsxError::InUse`] when the workbook is open in LibreOffice or Excel,
    /// [`XlsxError::ChangedSinceRead`] when the file changed on disk since it was read,
    /// [`XlsxError::ReadOnly`] or [`XlsxError::HardLinked`] for a read-only or hard-linked target
    /// (all four unless `force`); [`XlsxError::NotSaved`] when the new file fails its check;
    /// [`ErrorKind::Io`] when it cannot be written. The target is untouched on every error.
    ///
    /// ```no_run
    /// use risksheet::xlsx::{file::SaveOptions, Workbook};
    /// let mut wb = Workbook::open("ledger.xlsx")?;
    /// wb.set_value("台帳", risksheet::xlsx::CellRef::parse("B7")?, "顧客名簿".into())?;
    /// wb.save_as("ledger-new.xlsx", &SaveOptions { backup: true, ..Default::default() })?;
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn save_as(&mut self, target: impl AsRef<Path>, opts: &SaveOptions) -> Result<SaveReport> {
        let target = target.as_ref().to_path_buf();
        let mut report = SaveReport { file: target.display().to_string(), ..Default::default() };
        if !self.is_modified() && target == self.path {
            return Ok(report);
        }
        let changes = self.build_changes(&mut report).map_err(|e| e.in_file(&self.path))?;
        // Edits that change nothing (a second fill) leave the file, and any backup, as they are.
        if changes.is_empty() && target == self.path {
            *self = Workbook::open_with(&target, &self.limits)?;
            return Ok(report);
        }
        // The new file is opened as a workbook before it replaces anything: a save that could not
        // be read again (over a limit, damaged) fails with the target untouched.
        let limits = self.limits.clone();
        let mut reopened = None;
        self.pkg.save_checked(&target, &changes, opts, |pkg| {
            reopened = Some(Workbook::from_package(pkg, &limits)?);
            Ok(())
        })?;
        let mut saved = reopened.ok_or_else(|| Error::corrupt("not reopened"))?;
        saved.pkg.renamed(&target);
        saved.path = target;
        report.parts_changed = changes.replaced.keys().cloned().collect();
        report.parts_removed = changes.removed.clone();
        *self = saved;
        Ok(report)
    }

    /// What saving would change, without writing anything (for `--dry-run`).
    ///
    /// # Errors
    ///
    /// [`XlsxError::Xml`] or [`XlsxError::Corrupt`] when a part the edits touch cannot be read.
    pub fn preview(&mut self) -> Result<SaveReport> {
        let mut report = SaveReport { file: self.path.display().to_string(), ..Default::default() };
        let edits = self.edits.clone();
        let changes = self.build_changes(&mut report);
        self.edits = edits;
        let changes = changes?;
        report.parts_changed = changes.replaced.keys().cloned().collect();
        report.parts_removed = changes.removed;
        Ok(report)
    }

    /// The package changes the pending edits make, without writing anything.
    pub(super) fn build_changes(&mut self, report: &mut SaveReport) -> Result<PartChanges> {
        let mut changes = PartChanges::default();
        if !self.is_modified() {
            return Ok(changes);
        }
        self.expand_overwritten_shared()?;
        let affected = crate::xlsx::deps::affected_formula_cells(self)?;
        let qualified = |wb: &Workbook, si: usize, at: CellRef| format!("{}!{}", crate::xlsx::address::quote_sheet_name(&wb.sheets[si].name), at);
        for (si, edits) in self.edits.iter().enumerate() {
            let sheet = format!("{}!", crate::xlsx::address::quote_sheet_name(&self.sheets[si].name));
            report.cells_written.extend(edits.cells.iter().filter(|(_, p)| p.content.is_some()).map(|(&(r, c), _)| CellRef::new(r, c).qualified(&sheet)));
        }
        let mut formulas_changed = false;
        for &(si, at, cached) in &affected {
            report.formulas_affected.push(qualified(self, si, at));
            if cached {
                self.pending(si, at).drop_cache = true;
                formulas_changed = true;
            }
        }
        for si in 0..self.sheets.len() {
            if self.edits[si].is_empty() {
                continue;
            }
            let part = self.sheets[si].part.clone();
            let name = self.sheets[si].name.clone();
            let edits = std::mem::take(&mut self.edits[si]);
            formulas_changed |= edits.cells.values().any(|p| matches!(p.content, Some(Content::Formula(..) | Content::Shared(..))) || p.expand.is_some());
            let l = self.worksheet(si)?;
            // Overwriting a formula with a value also changes the calculation chain (each edited
            // row is parsed once).
            if !formulas_changed && l.index.formulas > 0 {
                let mut rows: Vec<u32> = edits.cells.iter().filter(|(_, p)| p.content.is_some()).map(|(&(r, _), _)| r).collect();
                rows.dedup();
                for r in rows {
                    if let Ok(i) = l.index.row_position(r) {
                        let cells = l.index.row_cells(&part, &l.xml, &l.index.rows[i])?;
                        formulas_changed |= cells.iter().any(|x| x.formula.is_some() && edits.cells.get(&(r, x.at.col)).is_some_and(|p| p.content.is_some()));
                    }
                    if formulas_changed {
                        break;
                    }
                }
            }
            let splices = plan_sheet(&part, &l.xml, &l.index, &edits).map_err(|e| e.in_sheet(&name))?;
            let base = l.xml.clone();
            self.edits[si] = edits;
            changes.replace_with(&part, PartContent::Spliced { base, splices });
        }
        if !self.new_dxfs.is_empty() || self.new_styles.values().any(|v| !v.is_empty()) {
            if let Some(part) = self.styles_part.clone() {
                let mut xml = self.pkg.read_text(&part)?;
                if !self.new_dxfs.is_empty() {
                    xml = add_dxfs(&part, &xml, &self.new_dxfs)?;
                }
                // In schema order; a list the part lacks goes before the first of those after it.
                const LISTS: [(&str, &str, usize); 4] = [("fonts", "font", 0), ("fills", "fill", 1), ("borders", "border", 2), ("cellXfs", "xf", 4)];
                const AFTER: [&str; 9] = ["fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs", "tableStyles", "colors", "extLst"];
                for (list, item, after) in LISTS {
                    if let Some(items) = self.new_styles.get(list).filter(|v| !v.is_empty()) {
                        xml = append_items(&part, &xml, list, item, items, &AFTER[after..])?;
                    }
                }
                changes.replace(&part, xml.into_bytes());
            }
        }
        self.register_new_sheets(&mut changes)?;
        self.write_charts(&mut changes)?;
        if formulas_changed {
            self.drop_calc_chain(&mut changes)?;
        }
        // A part rewritten to what it already was (fill run again) stays a raw copy.
        let mut same = Vec::new();
        for (part, content) in &changes.replaced {
            let unchanged = match content {
                PartContent::Spliced { base, splices } => splices.iter().all(|(s, e, t)| &base[*s..*e] == t),
                PartContent::Bytes(b) => self.pkg.has(part) && self.pkg.read_part(part).is_ok_and(|old| &old == b),
            };
            if unchanged {
                same.push(part.clone());
            }
        }
        for part in same {
            changes.replaced.remove(&part);
        }
        Ok(changes)
    }

    /// When a shared formula's anchor is overwritten, the other cells of its group get the
    /// formula written out in full, so they keep computing the same thing.
    fn expand_overwritten_shared(&mut self) -> Result<()> {
        for si in 0..self.sheets.len() {
            if self.edits[si].cells.values().all(|p| p.content.is_none()) {
                continue;
            }
            let part = self.sheets[si].part.clone();
            let edits = &self.edits[si];
            let Some(Some(l)) = self.loaded.get(si) else { continue };
            let hit: Vec<u32> =
                l.index.shared.iter().filter(|(_, a)| edits.cells.get(&(a.at.row, a.at.col)).is_some_and(|p| p.content.is_some())).map(|(si, _)| *si).collect();
            if hit.is_empty() {
                continue;
            }
            let mut expansions = Vec::new();
            for row in &l.index.rows {
                for c in l.index.row_cells(&part, &l.xml, row)? {
                    let Some(f) = &c.formula else { continue };
                    if f.kind == FormulaKind::Shared
                        && f.si.is_some_and(|s| hit.contains(&s))
                        && edits.cells.get(&(c.at.row, c.at.col)).is_none_or(|p| p.content.is_none())
                    {
                        if let Some(text) = Self::formula_text(&l.index, &c) {
                            expansions.push((c.at, text));
                        }
                    }
                }
            }
            for (at, text) in expansions {
                self.pending(si, at).expand = Some(text);
            }
        }
        Ok(())
    }

    /// The text of a part as the changes so far leave it.
    pub(super) fn current_text(&mut self, changes: &PartChanges, part: &str) -> Result<String> {
        match changes.replaced.get(part) {
            Some(content) => Ok(content.to_text()),
            None => self.pkg.read_text(part),
        }
    }

    pub(super) fn content_types_part(&self) -> String {
        self.pkg.find("[Content_Types].xml").unwrap_or("[Content_Types].xml").to_string()
    }
}
