//! Worksheets added to the package: a new sheet part, and its entries in the workbook, the
//! workbook's relationships and the content types, written when the workbook is saved.
use super::*;
use crate::xlsx::address::col_letters;
use crate::xlsx::rels::{parse_rels, part_dir};
use crate::xlsx::xml_writer::XmlWriter;

/// How a sheet risksheet adds is laid out (a trail, a summary an auditor reads and prints).
/// The default is a bare sheet.
///
/// ```
/// use risksheet::xlsx::{NewSheet, Range};
/// let layout = NewSheet { widths: vec![10.0, 60.0], heights: vec![30.0], freeze_rows: 1, filter: Some(Range::parse("A1:B9").unwrap()), landscape: true, page_breaks: vec![] };
/// assert_eq!(NewSheet::default().freeze_rows, 0);
/// # let _ = layout;
/// ```
#[derive(Debug, Clone, Default)]
pub struct NewSheet {
    /// Widths of the columns from A on, in characters (Excel's unit); 0 keeps the default.
    pub widths: Vec<f64>,
    /// Heights of the rows from 1 on, in points (for wrapped text); 0 keeps the default.
    pub heights: Vec<f64>,
    /// Rows frozen at the top (the header), 0 for none.
    pub freeze_rows: u32,
    /// The range an autofilter covers (header row included).
    pub filter: Option<Range>,
    /// Printed on A4 landscape, fitted to one page wide, the frozen rows repeated on every page.
    pub landscape: bool,
    /// Rows that start a new printed page (a chart kept whole on a page of its own).
    pub page_breaks: Vec<u32>,
}

impl NewSheet {
    /// The worksheet part: its elements in schema order (CT_Worksheet).
    fn sheet_xml(&self) -> String {
        let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
        let mut w = XmlWriter::new(&mut s, "");
        w.start("worksheet")
            .attr("xmlns", "http://schemas.openxmlformats.org/spreadsheetml/2006/main")
            .attr("xmlns:r", "http://schemas.openxmlformats.org/officeDocument/2006/relationships")
            .open();
        if self.landscape {
            w.start("sheetPr").open().start("pageSetUpPr").attr("fitToPage", "1").close().end("sheetPr");
        }
        w.start("dimension").attr("ref", "A1").close();
        w.start("sheetViews").open().start("sheetView").attr_u32("workbookViewId", 0);
        if self.freeze_rows > 0 {
            let top = CellRef::new(self.freeze_rows + 1, 1).to_string();
            w.open()
                .start("pane")
                .attr_u32("ySplit", self.freeze_rows)
                .attr("topLeftCell", &top)
                .attr("activePane", "bottomLeft")
                .attr("state", "frozen")
                .close()
                .start("selection")
                .attr("pane", "bottomLeft")
                .attr("activeCell", &top)
                .attr("sqref", &top)
                .close()
                .end("sheetView");
        } else {
            w.close();
        }
        w.end("sheetViews");
        w.start("sheetFormatPr").attr("defaultRowHeight", "15").close();
        if self.widths.iter().any(|&x| x > 0.0) {
            w.start("cols").open();
            for (col, width) in (1u32..).zip(&self.widths).filter(|(_, &x)| x > 0.0) {
                let width = format!("{:.2}", width.min(255.0));
                w.start("col").attr_u32("min", col).attr_u32("max", col).attr("width", &width).attr("customWidth", "1").close();
            }
            w.end("cols");
        }
        if self.heights.iter().any(|&h| h > 0.0) {
            w.start("sheetData").open();
            for (r, h) in (1u32..).zip(&self.heights).filter(|(_, &h)| h > 0.0) {
                let h = format!("{:.2}", h.min(409.0));
                w.start("row").attr_u32("r", r).attr("ht", &h).attr("customHeight", "1").close();
            }
            w.end("sheetData");
        } else {
            w.empty("sheetData");
        }
        if let Some(f) = self.filter {
            w.start("autoFilter").attr("ref", &f.to_string()).close();
        }
        // A sheet printed landscape gets the narrow margins of the sheets `new` writes (more of
        // the page for the table, so larger print); Excel's defaults otherwise.
        let (side, top) = if self.landscape { ("0.4", "0.6") } else { ("0.7", "0.75") };
        w.start("pageMargins").attr("left", side).attr("right", side).attr("top", top).attr("bottom", top).attr("header", "0.3").attr("footer", "0.3").close();
        if self.landscape {
            // 9 = A4; fitToHeight 0 = as many pages down as needed.
            w.start("pageSetup").attr("paperSize", "9").attr("orientation", "landscape").attr("fitToWidth", "1").attr("fitToHeight", "0").close();
        }
        let breaks: Vec<u32> = self.page_breaks.iter().copied().filter(|&r| r > 1).collect();
        if !breaks.is_empty() {
            let count = u32::try_from(breaks.len()).unwrap_or(u32::MAX);
            w.start("rowBreaks").attr_u32("count", count).attr_u32("manualBreakCount", count).open();
            for r in breaks {
                // A break's id is the row above it; max = the last column.
                w.start("brk").attr_u32("id", r - 1).attr_u32("max", 16383).attr("man", "1").close();
            }
            w.end("rowBreaks");
        }
        w.end("worksheet");
        s
    }
}

impl Workbook {
    /// Adds an empty worksheet at the end of the tabs, with the default layout
    /// ([`Workbook::add_sheet_with`] with [`NewSheet::default`]).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Usage`] when Excel cannot hold `name` as a sheet name
    /// ([`is_valid_sheet_name`](crate::xlsx::address::is_valid_sheet_name)) or a sheet of that name
    /// exists.
    ///
    /// ```no_run
    /// let mut wb = risksheet::xlsx::Workbook::open("ledger.xlsx")?;
    /// wb.add_sheet("集計")?;
    /// wb.set_value("集計", risksheet::xlsx::CellRef::parse("A1")?, "媒体".into())?;
    /// wb.save()?;
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn add_sheet(&mut self, name: &str) -> Result<()> {
        self.add_sheet_with(name, &NewSheet::default())
    }

    /// Adds an empty worksheet at the end of the tabs, laid out as `layout` says: column widths,
    /// frozen header rows, an autofilter, and a page setup for printing (A4 landscape, one page
    /// wide, the header rows repeated on every page as print titles).
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Usage`] when Excel cannot hold `name` as a sheet name
    /// ([`is_valid_sheet_name`](crate::xlsx::address::is_valid_sheet_name)) or a sheet of that name
    /// exists.
    ///
    /// ```no_run
    /// use risksheet::xlsx::{NewSheet, CellRef, Range, Workbook};
    /// let mut wb = Workbook::open("ledger.xlsx")?;
    /// let filter = Range::parse("A1:C20")?;
    /// wb.add_sheet_with("集計", &NewSheet { widths: vec![12.0, 40.0, 8.0], heights: vec![], freeze_rows: 1, filter: Some(filter), landscape: true, page_breaks: vec![] })?;
    /// wb.set_value("集計", CellRef::parse("A1")?, "媒体".into())?;
    /// wb.save()?;
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn add_sheet_with(&mut self, name: &str, layout: &NewSheet) -> Result<()> {
        if !crate::xlsx::address::is_valid_sheet_name(name) {
            return Err(Error::usage(Message::new(format!("シート名に使えない名前です: {name}"), format!("invalid sheet name: {name}"))).in_file(&self.path));
        }
        if self.sheet_index(name).is_ok() {
            return Err(
                Error::usage(Message::new(format!("同じ名前のシートがあります: {name}"), format!("a sheet of that name exists: {name}"))).in_file(&self.path)
            );
        }
        let dir = part_dir(&self.workbook_part).to_string();
        let part = (1..)
            .map(|n| format!("{dir}worksheets/sheet{n}.xml"))
            .find(|p| !self.pkg.has(p) && !self.sheets.iter().any(|s| s.part.eq_ignore_ascii_case(p)))
            .unwrap_or_default();
        let xml = layout.sheet_xml();
        let index = SheetIndex::scan(&part, &xml)?;
        self.sheets.push(SheetEntry { name: name.to_string(), part, kind: SheetKind::Worksheet, hidden: false });
        self.loaded.push(Some(Loaded { xml: std::sync::Arc::new(xml), index }));
        self.edits.push(SheetEdits::default());
        let si = self.sheets.len() - 1;
        self.new_sheets.push(si);
        let quoted = crate::xlsx::address::quote_sheet_name(name);
        if let Some(f) = layout.filter {
            let formula = format!("{quoted}!${}${}:${}${}", col_letters(f.start.col), f.start.row, col_letters(f.end.col), f.end.row);
            self.new_names.push((DefinedName { name: "_xlnm._FilterDatabase".into(), formula, local_sheet: Some(si) }, true));
        }
        if layout.landscape && layout.freeze_rows > 0 {
            let formula = format!("{quoted}!$1:${}", layout.freeze_rows);
            self.new_names.push((DefinedName { name: "_xlnm.Print_Titles".into(), formula, local_sheet: Some(si) }, false));
        }
        Ok(())
    }

    /// Registers added sheets in the workbook, its relationships and the content types.
    pub(super) fn register_new_sheets(&mut self, changes: &mut PartChanges) -> Result<()> {
        if self.new_sheets.is_empty() {
            return Ok(());
        }
        let wb_part = self.workbook_part.clone();
        let mut wb = self.current_text(changes, &wb_part)?;
        let rels_part = self.pkg.find(&self.workbook_rels).map(str::to_string).unwrap_or_else(|| self.workbook_rels.clone());
        let mut rels = if self.pkg.has(&rels_part) || changes.replaced.contains_key(&rels_part) {
            self.current_text(changes, &rels_part)?
        } else {
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"></Relationships>".to_string()
        };
        let ct_part = self.content_types_part();
        let mut ct = self.current_text(changes, &ct_part)?;
        let existing = parse_rels(&rels_part, &rels)?;
        let first_sheet_id = Scanner::new(&wb)
            .flatten()
            .filter(|t| t.local_name(&wb) == "sheet")
            .filter_map(|t| attr(t.text(&wb), "sheetId").and_then(|v| v.parse::<u32>().ok()))
            .max()
            .unwrap_or(0)
            + 1;
        // The relationship attribute keeps the prefix the workbook already uses (r:id).
        let id_attr = Scanner::new(&wb)
            .flatten()
            .find(|t| t.local_name(&wb) == "sheet")
            .and_then(|t| xml::attrs(t.text(&wb)).find(|(n, _)| xml::local(n) == "id").map(|(n, _)| n.to_string()))
            .unwrap_or_else(|| "r:id".into());
        let prefix = Scanner::new(&wb).flatten().find(|t| t.local_name(&wb) == "sheets").map(|t| t.prefix(&wb).to_string()).unwrap_or_default();
        let dir = part_dir(&wb_part).to_string();
        let mut rid_n = existing.len() + 1;
        for (sheet_id, si) in (first_sheet_id..).zip(self.new_sheets.clone()) {
            let entry = self.sheets[si].clone();
            while existing.iter().any(|r| r.0 == format!("rId{rid_n}")) {
                rid_n += 1;
            }
            let rid = format!("rId{rid_n}");
            rid_n += 1;
            let target = entry.part.strip_prefix(&dir).unwrap_or(&entry.part).to_string();
            let mut sheet_tag = String::new();
            XmlWriter::new(&mut sheet_tag, &prefix).start("sheet").attr("name", &entry.name).attr_u32("sheetId", sheet_id).attr(&id_attr, &rid).close();
            let close = wb.find(&format!("</{prefix}sheets>")).ok_or_else(|| Error::xml(&wb_part, "no </sheets>"))?;
            wb.insert_str(close, &sheet_tag);
            let mut rel = String::new();
            XmlWriter::new(&mut rel, "")
                .start("Relationship")
                .attr("Id", &rid)
                .attr("Type", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet")
                .attr("Target", &target)
                .close();
            let rclose = rels.rfind("</").ok_or_else(|| Error::xml(&rels_part, "no end tag"))?;
            rels.insert_str(rclose, &rel);
            let mut ov = String::new();
            XmlWriter::new(&mut ov, "")
                .start("Override")
                .attr("PartName", &format!("/{}", entry.part))
                .attr("ContentType", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml")
                .close();
            let cclose = ct.rfind("</").ok_or_else(|| Error::xml(&ct_part, "no end tag"))?;
            ct.insert_str(cclose, &ov);
            if !changes.replaced.contains_key(&entry.part) {
                let l = self.loaded[si].as_ref().ok_or_else(|| Error::corrupt("new sheet not loaded"))?;
                changes.replace(&entry.part, l.xml.as_bytes().to_vec());
            }
        }
        self.add_defined_names(&mut wb, &prefix)?;
        changes.replace(&wb_part, wb.into_bytes());
        changes.replace(&rels_part, rels.into_bytes());
        changes.replace(&ct_part, ct.into_bytes());
        Ok(())
    }

    /// Writes the defined names of the new sheets into the workbook part: into its
    /// `<definedNames>`, or a new one where the schema puts it (after `sheets`, `functionGroups`
    /// and `externalReferences`).
    fn add_defined_names(&self, wb: &mut String, prefix: &str) -> Result<()> {
        if self.new_names.is_empty() {
            return Ok(());
        }
        let mut names = String::new();
        let mut w = XmlWriter::new(&mut names, prefix);
        for (n, hidden) in &self.new_names {
            w.start("definedName").attr("name", &n.name);
            if let Some(i) = n.local_sheet {
                w.attr_u32("localSheetId", u32::try_from(i).unwrap_or(u32::MAX));
            }
            if *hidden {
                w.attr("hidden", "1");
            }
            w.open().text(&n.formula).end("definedName");
        }
        if let Some(close) = wb.find(&format!("</{prefix}definedNames>")) {
            wb.insert_str(close, &names);
            return Ok(());
        }
        let mut block = String::new();
        XmlWriter::new(&mut block, prefix).start("definedNames").open().raw(&names).end("definedNames");
        let mut at = None;
        for name in ["sheets", "functionGroups", "externalReferences"] {
            if let Some((_, e)) = xml::find_element(wb, name).map_err(|m| Error::xml(&self.workbook_part, m))? {
                at = Some(e);
            }
        }
        let at = at.ok_or_else(|| Error::xml(&self.workbook_part, "no <sheets>"))?;
        wb.insert_str(at, &block);
        Ok(())
    }
}
