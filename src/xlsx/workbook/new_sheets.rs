//! Worksheets added to the package: a new sheet part, and its entries in the workbook, the
//! workbook's relationships and the content types, written when the workbook is saved.
use super::*;
use crate::xlsx::rels::{parse_rels, part_dir};
use crate::xlsx::xml_writer::XmlWriter;

impl Workbook {
    /// Adds an empty worksheet at the end of the tabs.
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
        let xml: String = concat!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" ",
            "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
            "<dimension ref=\"A1\"/><sheetViews><sheetView workbookViewId=\"0\"/></sheetViews>",
            "<sheetFormatPr defaultRowHeight=\"15\"/><sheetData/>",
            "<pageMargins left=\"0.7\" right=\"0.7\" top=\"0.75\" bottom=\"0.75\" header=\"0.3\" footer=\"0.3\"/>",
            "</worksheet>"
        )
        .to_string();
        let index = SheetIndex::scan(&part, &xml)?;
        self.sheets.push(SheetEntry { name: name.to_string(), part, kind: SheetKind::Worksheet, hidden: false });
        self.loaded.push(Some(Loaded { xml: std::sync::Arc::new(xml), index }));
        self.edits.push(SheetEdits::default());
        self.new_sheets.push(self.sheets.len() - 1);
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
        changes.replace(&wb_part, wb.into_bytes());
        changes.replace(&rels_part, rels.into_bytes());
        changes.replace(&ct_part, ct.into_bytes());
        Ok(())
    }
}
