//! Cell formats, data validations, conditional formats and merges: reading them, and adding
//! new ones to a sheet or to the styles part.
use super::*;
use crate::xlsx::XlsxError;

impl Workbook {
    /// The style index of a cell (0 when not stored).
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`] when the workbook has no sheet `sheet`; [`ErrorKind::Usage`]
    /// when it is a chart sheet, not a worksheet; [`XlsxError::Xml`] when its XML cannot be read.
    pub fn style(&mut self, sheet: &str, at: CellRef) -> Result<u32> {
        Ok(self.cell(sheet, at)?.map_or(0, |c| c.style))
    }

    /// Sets a cell's style index (a cell format of the workbook, e.g. taken from a neighbour).
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`] when the workbook has no sheet `sheet`; [`ErrorKind::Usage`]
    /// when it is a chart sheet, not a worksheet; [`XlsxError::ArrayFormula`] when `at` lies inside
    /// an array formula's range.
    pub fn set_style(&mut self, sheet: &str, at: CellRef, style: u32) -> Result<()> {
        let si = self.sheet_index(sheet)?;
        self.check_editable(si, at)?;
        self.pending(si, at).style = Some(style);
        Ok(())
    }

    /// Gives `at` the style of `from` (e.g. the cell above, for a row the user appended).
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`] when the workbook has no sheet `sheet`; [`ErrorKind::Usage`]
    /// when it is a chart sheet, not a worksheet; [`XlsxError::ArrayFormula`] when `at` lies inside
    /// an array formula's range.
    pub fn copy_style(&mut self, sheet: &str, from: CellRef, at: CellRef) -> Result<()> {
        let s = self.style(sheet, from)?;
        self.set_style(sheet, at, s)
    }

    /// Adds a data validation to a sheet.
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`] when the workbook has no sheet `sheet`; [`ErrorKind::Usage`]
    /// when it is a chart sheet, not a worksheet; [`XlsxError::Xml`] when its XML cannot be read.
    pub fn add_validation(&mut self, sheet: &str, dv: DataValidation) -> Result<()> {
        let si = self.sheet_index(sheet)?;
        self.worksheet(si)?;
        self.edits[si].validations.push(dv);
        Ok(())
    }

    /// Adds a conditional format to a sheet (its highlight becomes a new differential format).
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`] when the workbook has no sheet `sheet`; [`ErrorKind::Usage`]
    /// when it is a chart sheet, not a worksheet; [`XlsxError::NotWorkbook`] when the workbook has
    /// no styles part to hold the highlight; [`XlsxError::Xml`] when the sheet's or the styles' XML
    /// cannot be read.
    pub fn add_conditional_format(&mut self, sheet: &str, cf: ConditionalFormat) -> Result<()> {
        let si = self.sheet_index(sheet)?;
        self.worksheet(si)?;
        if self.styles_part.is_none() {
            return Err(Error::from(XlsxError::NotWorkbook("no styles part".into())).in_file(&self.path));
        }
        let existing = self.dxf_count()?;
        let dxf = existing + self.new_dxfs.len();
        self.new_dxfs.push(cf.highlight.to_dxf_xml());
        self.edits[si].formats.push((cf, dxf));
        Ok(())
    }

    /// The index of a cell format (`<xf>` of `cellXfs`) showing numbers as percentages with two
    /// decimals: an identical one the workbook has, or a new one (so saving twice adds nothing).
    ///
    /// # Errors
    ///
    /// [`XlsxError::NotWorkbook`] when the workbook has no styles part; [`XlsxError::Xml`] when its
    /// XML cannot be read.
    pub fn percent_style(&mut self) -> Result<u32> {
        const PERCENT_XF: &str = r#"<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#;
        let Some(part) = self.styles_part.clone() else {
            return Err(Error::from(XlsxError::NotWorkbook("no styles part".into())).in_file(&self.path));
        };
        let xml = self.pkg.read_text(&part)?;
        let (s, e) = xml::find_element(&xml, "cellXfs").map_err(|m| Error::xml(&part, m))?.unwrap_or((0, 0));
        let list = &xml[s..e];
        let xfs: Vec<&str> = Scanner::new(list)
            .flatten()
            .filter(|t| matches!(t.kind, TokenKind::Start | TokenKind::Empty) && t.local_name(list) == "xf")
            .map(|t| t.text(list))
            .collect();
        if let Some(i) = xfs.iter().position(|x| *x == PERCENT_XF) {
            return Ok(i as u32);
        }
        if let Some(i) = self.new_xfs.iter().position(|x| x == PERCENT_XF) {
            return Ok((xfs.len() + i) as u32);
        }
        self.new_xfs.push(PERCENT_XF.to_string());
        Ok((xfs.len() + self.new_xfs.len() - 1) as u32)
    }

    fn dxf_count(&mut self) -> Result<usize> {
        let Some(part) = self.styles_part.clone() else { return Ok(0) };
        let xml = self.pkg.read_text(&part)?;
        Ok(match xml::find_element(&xml, "dxfs").map_err(|m| Error::xml(&part, m))? {
            Some((s, e)) => xml::count_elements(&xml[s..e], "dxf"),
            None => 0,
        })
    }

    /// The ranges covered by the sheet's data validations, plain and x14 (Excel 2010) ones.
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`] when the workbook has no sheet `sheet`; [`ErrorKind::Usage`]
    /// when it is a chart sheet, not a worksheet; [`XlsxError::Xml`] when its XML cannot be read.
    pub fn validation_ranges(&mut self, sheet: &str) -> Result<Vec<Range>> {
        let si = self.sheet_index(sheet)?;
        let mut out: Vec<Range> = self.edits[si].validations.iter().flat_map(|v| v.ranges.clone()).collect();
        out.extend(self.sqref_ranges(si, "dataValidations", "dataValidation")?);
        Ok(out)
    }

    /// The ranges covered by the sheet's conditional formats, plain and x14 (Excel 2010) ones.
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`] when the workbook has no sheet `sheet`; [`ErrorKind::Usage`]
    /// when it is a chart sheet, not a worksheet; [`XlsxError::Xml`] when its XML cannot be read.
    pub fn conditional_format_ranges(&mut self, sheet: &str) -> Result<Vec<Range>> {
        let si = self.sheet_index(sheet)?;
        let mut out: Vec<Range> = self.edits[si].formats.iter().map(|(cf, _)| cf.range).collect();
        out.extend(self.sqref_ranges(si, "conditionalFormatting", "conditionalFormatting")?);
        Ok(out)
    }

    /// The ranges of the `element`s of a sheet (inside the top-level `container`s, or in the
    /// x14 form inside `extLst`): their `sqref` attribute, or the `xm:sqref` child of the x14 form.
    fn sqref_ranges(&mut self, si: usize, container: &str, element: &str) -> Result<Vec<Range>> {
        let l = self.worksheet(si)?;
        let xml = &l.xml;
        let mut out = Vec::new();
        for child in l.index.children.iter().filter(|c| c.name == container || c.name == "extLst") {
            let part = &xml[child.start..child.end];
            // Inside an `element` (an x14 one keeps its range in a child `sqref`).
            let mut inside = false;
            let mut sqref_open = None;
            for t in Scanner::new(part).flatten() {
                match (t.kind, t.local_name(part)) {
                    (TokenKind::Start | TokenKind::Empty, name) if name == element => {
                        inside = t.kind == TokenKind::Start;
                        if let Some(s) = attr(t.text(part), "sqref") {
                            out.extend(Range::parse_list(&s).unwrap_or_default());
                        }
                    }
                    (TokenKind::End, name) if name == element => inside = false,
                    (TokenKind::Start, "sqref") if inside => sqref_open = Some(t.end),
                    (TokenKind::End, "sqref") => {
                        if let Some(s) = sqref_open.take() {
                            out.extend(Range::parse_list(&xml::unescape(&part[s..t.start])).unwrap_or_default());
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(out)
    }

    /// The merged ranges of a sheet.
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`] when the workbook has no sheet `sheet`; [`ErrorKind::Usage`]
    /// when it is a chart sheet, not a worksheet; [`XlsxError::Xml`] when its XML cannot be read.
    pub fn merges(&mut self, sheet: &str) -> Result<Vec<Range>> {
        let si = self.sheet_index(sheet)?;
        let l = self.worksheet(si)?;
        let Some(m) = l.index.child("mergeCells") else { return Ok(Vec::new()) };
        let part = &l.xml[m.start..m.end];
        Ok(Scanner::new(part)
            .flatten()
            .filter(|t| t.local_name(part) == "mergeCell")
            .filter_map(|t| attr(t.text(part), "ref").and_then(|r| Range::parse(&r).ok()))
            .collect())
    }
}
