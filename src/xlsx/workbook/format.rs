//! Cell formats, data validations, conditional formats and merges: reading them, and adding
//! new ones to a sheet or to the styles part.
use super::*;
use crate::xlsx::value::DateKind;
use crate::xlsx::XlsxError;

/// A thin black border on the four sides.
const THIN_BORDER: &str = concat!(
    r#"<border><left style="thin"><color indexed="64"/></left><right style="thin"><color indexed="64"/></right>"#,
    r#"<top style="thin"><color indexed="64"/></top><bottom style="thin"><color indexed="64"/></bottom><diagonal/></border>"#
);

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

    /// Draws the sheet's conditional formats that end on row `end` within columns `cols` (first,
    /// last) down to row `to`: rows a user appended below a table get its colours. Formats added
    /// by [`Workbook::add_conditional_format`] and the Excel 2010 (x14) ones are left as they are.
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`] when the workbook has no sheet `sheet`; [`ErrorKind::Usage`]
    /// when it is a chart sheet, not a worksheet; [`XlsxError::Xml`] when its XML cannot be read.
    ///
    /// ```no_run
    /// let mut wb = risksheet::xlsx::Workbook::open("ledger.xlsx")?;
    /// // The template colours T5:T104; the user typed assets down to row 120.
    /// wb.extend_conditional_formats("台帳", 104, 120, (1, 21))?;
    /// wb.save()?;
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn extend_conditional_formats(&mut self, sheet: &str, end: u32, to: u32, cols: (u32, u32)) -> Result<()> {
        let si = self.sheet_index(sheet)?;
        self.worksheet(si)?;
        if to > end {
            self.edits[si].longer_formats.push((end, to, cols));
        }
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
        self.style_item("cellXfs", "xf", r#"<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#)
    }

    /// The index of a cell format for the header row of a table risksheet writes (a trail, a
    /// summary): the workbook's own font in bold, light grey fill, thin border, text wrapped and
    /// centred vertically. An identical format the workbook has is reused, so saving twice adds
    /// nothing.
    ///
    /// # Errors
    ///
    /// [`XlsxError::NotWorkbook`] when the workbook has no styles part; [`XlsxError::Xml`] when its
    /// XML cannot be read.
    ///
    /// ```no_run
    /// let mut wb = risksheet::xlsx::Workbook::open("ledger.xlsx")?;
    /// let header = wb.header_style()?;
    /// wb.set_style("集計", risksheet::xlsx::CellRef::parse("A1")?, header)?;
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn header_style(&mut self) -> Result<u32> {
        let font = self.bold_font()?;
        let fill = self.style_item(
            "fills",
            "fill",
            r#"<fill><patternFill patternType="solid"><fgColor rgb="FFD9D9D9"/><bgColor indexed="64"/></patternFill></fill>"#,
        )?;
        let border = self.style_item("borders", "border", THIN_BORDER)?;
        let xf = format!(
            r#"<xf numFmtId="0" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>"#
        );
        self.style_item("cellXfs", "xf", &xf)
    }

    /// The index of a cell format for the body rows of a table risksheet writes: thin border,
    /// text wrapped and aligned to the top, the workbook's default font. Reused like
    /// [`Workbook::header_style`].
    ///
    /// # Errors
    ///
    /// [`XlsxError::NotWorkbook`] when the workbook has no styles part; [`XlsxError::Xml`] when its
    /// XML cannot be read.
    ///
    /// ```no_run
    /// let mut wb = risksheet::xlsx::Workbook::open("ledger.xlsx")?;
    /// let body = wb.body_style()?;
    /// wb.set_style("集計", risksheet::xlsx::CellRef::parse("A2")?, body)?;
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn body_style(&mut self) -> Result<u32> {
        let border = self.style_item("borders", "border", THIN_BORDER)?;
        let xf = format!(
            r#"<xf numFmtId="0" fontId="0" fillId="0" borderId="{border}" xfId="0" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>"#
        );
        self.style_item("cellXfs", "xf", &xf)
    }

    /// The index of a cell format for a cell of a risk map: thin border, centred, filled with the
    /// colour `fill_rgb` (ARGB, as `FFFFC7CE`). Reused like [`Workbook::header_style`].
    ///
    /// # Errors
    ///
    /// [`XlsxError::NotWorkbook`] when the workbook has no styles part; [`XlsxError::Xml`] when its
    /// XML cannot be read.
    ///
    /// ```no_run
    /// let mut wb = risksheet::xlsx::Workbook::open("ledger.xlsx")?;
    /// let red = wb.filled_style("FFFFC7CE")?;
    /// wb.set_style("集計", risksheet::xlsx::CellRef::parse("B30")?, red)?;
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn filled_style(&mut self, fill_rgb: &str) -> Result<u32> {
        let rgb = crate::xlsx::xml::escape(fill_rgb);
        let fill = self.style_item(
            "fills",
            "fill",
            &format!(r#"<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/><bgColor indexed="64"/></patternFill></fill>"#),
        )?;
        let border = self.style_item("borders", "border", THIN_BORDER)?;
        let xf = format!(
            r#"<xf numFmtId="0" fontId="0" fillId="{fill}" borderId="{border}" xfId="0" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center"/></xf>"#
        );
        self.style_item("cellXfs", "xf", &xf)
    }

    /// The workbook's default font (the first of `<fonts>`) in bold, as an index of `<fonts>`.
    fn bold_font(&mut self) -> Result<u32> {
        let items = self.style_items("fonts", "font")?;
        let base = items.first().map_or("<font/>", String::as_str);
        if base.contains("<b/>") || base.contains("<b ") {
            return Ok(0);
        }
        // `b` is the first child of a font in the schema.
        let bold = if base.ends_with("/>") && base.matches('>').count() == 1 {
            format!("{}><b/></font>", base.trim_end_matches("/>").trim_end())
        } else {
            let at = base.find('>').map_or(base.len(), |i| i + 1);
            format!("{}<b/>{}", &base[..at], &base[at..])
        };
        self.style_item("fonts", "font", &bold)
    }

    /// The index of `item_xml` in the styles' counted list `list` of `item`s: an identical item
    /// the part has, one already added, or a new one appended when the workbook is saved.
    fn style_item(&mut self, list: &'static str, item: &str, item_xml: &str) -> Result<u32> {
        let items = self.style_items(list, item)?;
        let added = self.new_styles.entry(list).or_default();
        let at = match items.iter().position(|x| x == item_xml) {
            Some(i) => i,
            None => match added.iter().position(|x| x == item_xml) {
                Some(i) => items.len() + i,
                None => {
                    added.push(item_xml.to_string());
                    items.len() + added.len() - 1
                }
            },
        };
        Ok(u32::try_from(at).unwrap_or(u32::MAX))
    }

    /// The items of a counted list of the styles part, each as its whole element text.
    fn style_items(&mut self, list: &str, item: &str) -> Result<Vec<String>> {
        let Some(part) = self.styles_part.clone() else {
            return Err(Error::from(XlsxError::NotWorkbook("no styles part".into())).in_file(&self.path));
        };
        let xml = self.pkg.read_text(&part)?;
        let Some((s, e)) = xml::find_element(&xml, list).map_err(|m| Error::xml(&part, m))? else { return Ok(Vec::new()) };
        let body = &xml[s..e];
        let mut out = Vec::new();
        let (mut depth, mut open) = (0usize, None);
        for t in Scanner::new(body).flatten() {
            match t.kind {
                TokenKind::Empty if depth == 1 && t.local_name(body) == item => out.push(t.text(body).to_string()),
                TokenKind::Start => {
                    if depth == 1 && t.local_name(body) == item {
                        open = Some(t.start);
                    }
                    depth += 1;
                }
                TokenKind::End => {
                    depth = depth.saturating_sub(1);
                    if depth == 1 {
                        if let Some(st) = open.take() {
                            out.push(body[st..t.end].to_string());
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(out)
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

impl Workbook {
    /// Whether cell format `style` (an index of `cellXfs`) shows a number as a date, or a date
    /// with a time ([`DateKind::of_format`]); `None` for any other format, or an index the
    /// workbook does not have.
    ///
    /// # Errors
    ///
    /// [`XlsxError::Xml`] when the styles' XML cannot be read.
    ///
    /// ```no_run
    /// let mut wb = risksheet::xlsx::Workbook::open("ledger.xlsx")?;
    /// let style = wb.style("台帳", risksheet::xlsx::CellRef::parse("B2")?)?;
    /// println!("{:?}", wb.date_kind(style)?);
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn date_kind(&mut self, style: u32) -> Result<Option<DateKind>> {
        if self.styles_part.is_none() {
            return Ok(None);
        }
        let Some(xf) = self.cell_format(style)? else { return Ok(None) };
        let id: u32 = attr(start_tag(&xf), "numFmtId").and_then(|v| v.parse().ok()).unwrap_or(0);
        if id < 164 {
            return Ok(DateKind::of_format(id, None));
        }
        let code = self
            .style_items("numFmts", "numFmt")?
            .iter()
            .find(|f| attr(f, "numFmtId").and_then(|v| v.parse::<u32>().ok()) == Some(id))
            .and_then(|f| attr(f, "formatCode").map(|c| c.into_owned()));
        Ok(DateKind::of_format(id, code.as_deref()))
    }

    /// The index of a cell format like `style` (font, fill, border, alignment kept) that shows
    /// numbers as dates (or dates with a time): Excel's built-in format of `kind`, which Excel and
    /// LibreOffice show in the reader's locale. An identical format is reused.
    ///
    /// # Errors
    ///
    /// [`XlsxError::NotWorkbook`] when the workbook has no styles part; [`XlsxError::Xml`] when its
    /// XML cannot be read.
    ///
    /// ```no_run
    /// use risksheet::xlsx::{value::DateKind, CellRef, CellValue};
    /// let mut wb = risksheet::xlsx::Workbook::open("ledger.xlsx")?;
    /// let at = CellRef::parse("B2")?;
    /// let style = wb.style("台帳", at)?;
    /// let date = wb.date_style(style, DateKind::Date)?;
    /// wb.set_value("台帳", at, CellValue::Number(46113.0))?; // 2026-04-01
    /// wb.set_style("台帳", at, date)?;
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn date_style(&mut self, style: u32, kind: DateKind) -> Result<u32> {
        let xf = self.cell_format(style)?.unwrap_or_else(|| r#"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#.to_string());
        let tag = start_tag(&xf);
        let new_tag = xml::set_attr(&xml::set_attr(tag, "numFmtId", &kind.builtin_format().to_string()), "applyNumberFormat", "1");
        let new_xf = format!("{new_tag}{}", &xf[tag.len()..]);
        self.style_item("cellXfs", "xf", &new_xf)
    }

    /// The `<xf>` of `cellXfs` at `style`, one the workbook has or one added since it was read.
    fn cell_format(&mut self, style: u32) -> Result<Option<String>> {
        let items = self.style_items("cellXfs", "xf")?;
        let i = style as usize;
        Ok(match items.get(i) {
            Some(x) => Some(x.clone()),
            None => self.new_styles.get("cellXfs").and_then(|added| added.get(i - items.len()).cloned()),
        })
    }
}

/// The start tag of an element's text (`<xf …>` of `<xf …><alignment/></xf>`).
fn start_tag(element: &str) -> &str {
    element.find('>').map_or(element, |i| &element[..=i])
}
