//! Writing a new workbook from nothing: a small model of a worksheet ([`Sheet`]: cells with a
//! cell format, merges, column widths, row heights, frozen panes, validations, conditional
//! formats, autofilter and print setup), a fixed set of cell formats (the `STYLE_*` constants) and the
//! package around them ([`package`]). Used by `new` (the IPA template), `soa` (the Statement of
//! Applicability) and `convert` of a legacy `.xls`/`.ods`.
//!
//! The package is written by rust_xlsxwriter, the reference xlsx writer of the Rust ecosystem;
//! this module only maps the model onto it. One piece stays the project's own: the data
//! validations, which go through the in-place editor (`Workbook::add_validation`, the writer
//! `fill` uses on a user's ledger), because rust_xlsxwriter 0.102's `DataValidation` has no
//! `imeMode`, and the template's C/I/A and date columns switch a Japanese IME off with it.
//!
//! Measured when the hand-written writer (576 lines of XML strings) was replaced, dev build, the
//! shared 2-core machine, fastest of 40 runs: `risksheet new` (template + fill) 59.5 → 76.3 ms
//! (+17 ms: 3.5 ms into rust_xlsxwriter's model, 6–10 ms its save, 4–9 ms the validation pass);
//! `soa` 17.7 → 20.1 ms; `convert` of a `.xls` 10.5 → 11.0 ms. The ipa-3 template 32.8 → 33.6 KB
//! (a theme part and shared strings), the SoA 12.0 → 14.2 KB. One crate more (rust_xlsxwriter
//! 0.102; its only dependency, zip, is already ours), 49 s of CPU to compile once (opt-level 1),
//! +1.3 MB of stripped binary. The contents are the same as the user sees them (checked cell by
//! cell with openpyxl and LibreOffice on every edition, language, SoA and converted file), except
//! that row heights and column widths are whole pixels, as Excel stores them (28 pt → 27.75 pt;
//! a width of 4.5 digits → the 31 pixels Excel drew for it).
//!
//! The output is the same byte for byte for the same input (fixed timestamps).
//!
//! ```
//! use risksheet::xlsx::new_book::{package, Sheet, STYLE_HEADER, STYLE_BODY};
//! use risksheet::Lang;
//! let mut sh = Sheet::new(false);
//! sh.text(1, 1, "管理策", STYLE_HEADER);
//! sh.text(2, 1, "5.1", STYLE_BODY);
//! sh.selected = true;
//! let bytes = package("例", &[("一覧".to_string(), sh)], 0, Lang::Ja)?;
//! let path = std::env::temp_dir().join("risksheet-doc-new-book.xlsx");
//! std::fs::write(&path, &bytes)?;
//! let mut wb = risksheet::xlsx::Workbook::open(&path)?;
//! assert_eq!(wb.value("一覧", risksheet::xlsx::CellRef::parse("A2")?)?.to_string(), "5.1");
//! # std::fs::remove_file(&path)?;
//! # Ok::<(), risksheet::Error>(())
//! ```
use crate::error::{Error, Lang, Message, Result};
use crate::xlsx::address::{CellRef, Range};
use crate::xlsx::conditional::{ConditionalFormat, Highlight};
use crate::xlsx::validation::DataValidation;
use rust_xlsxwriter as xw;
use std::collections::BTreeMap;

/// Cell format 0: the default.
pub const STYLE_DEFAULT: u32 = 0;
/// Sheet title: bold, 16 pt.
pub const STYLE_TITLE: u32 = 1;
/// Header of an input column: bold, light blue fill, thin border, centred, wrapped.
pub const STYLE_HEADER: u32 = 2;
/// Header of a computed column: bold, grey fill, thin border, centred, wrapped.
pub const STYLE_HEADER_COMPUTED: u32 = 3;
/// Input cell: thin border, vertically centred.
pub const STYLE_BODY: u32 = 4;
/// Input or label cell with wrapped text, left aligned.
pub const STYLE_BODY_WRAP: u32 = 5;
/// Input cell, centred (numbers, marks, dropdown values).
pub const STYLE_BODY_CENTER: u32 = 6;
/// Computed percentage (「0.0%」), light grey fill, centred.
pub const STYLE_PERCENT: u32 = 7;
/// Date input (「yyyy/mm/dd」), centred.
pub const STYLE_DATE: u32 = 8;
/// Computed cell: light grey fill, thin border, centred.
pub const STYLE_COMPUTED: u32 = 9;
/// Computed cell with wrapped text (対策状況, 要否).
pub const STYLE_COMPUTED_WRAP: u32 = 10;
/// Explanatory note: smaller dark grey text, wrapped, no border.
pub const STYLE_NOTE: u32 = 11;
/// Bold text without border (sub-headings).
pub const STYLE_BOLD: u32 = 12;
/// Computed text that may be longer than its cell (「3:通常の状態で発生する…」): grey, left
/// aligned, so it starts with its number and is cut at its filled neighbour (centred, it spilled
/// over the empty cells on its left).
pub const STYLE_COMPUTED_TEXT: u32 = 13;

/// What a cell holds.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    /// Formatted but empty.
    Blank,
    /// A text.
    Text(String),
    /// A number (also a date serial).
    Number(f64),
}

/// One worksheet being built.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// (row, col) → (value, style).
    cells: BTreeMap<(u32, u32), (Value, u32)>,
    heights: BTreeMap<u32, f64>,
    widths: BTreeMap<u32, f64>,
    merges: Vec<Range>,
    validations: Vec<DataValidation>,
    formats: Vec<ConditionalFormat>,
    /// Rows and columns kept in view (frozen above and left of the split).
    freeze: Option<(u32, u32)>,
    /// The tab is the selected one when the workbook opens.
    pub selected: bool,
    /// Rows repeated on every printed page (`$3:$4`), first and last.
    pub print_titles: Option<(u32, u32)>,
    /// Columns repeated at the left of every printed page (`$A:$B`), first and last.
    pub title_columns: Option<(u32, u32)>,
    /// Pages the sheet is fitted to across (0 or 1: one page wide); a wide table prints on two
    /// pages across, its title columns repeated, rather than shrunk below legibility.
    pub pages_wide: u16,
    /// Columns that start a new printed page across (a group of columns kept whole on a page).
    pub column_breaks: Vec<u32>,
    /// The print scale (percent) used with [`Sheet::column_breaks`].
    pub break_scale: Option<u16>,
    /// When set, [`Sheet::pages_wide`] is worked out when the sheet is written, from its final
    /// column widths: as few pages across as keep each at most this many characters wide.
    pub legible_width: Option<f64>,
    /// Print in landscape.
    pub landscape: bool,
    /// The range of the autofilter (its first row holds the filter buttons).
    pub autofilter: Option<Range>,
    /// The range printed (all used cells when `None`).
    pub print_area: Option<Range>,
}

impl Sheet {
    /// An empty sheet printed in landscape or portrait.
    pub fn new(landscape: bool) -> Sheet {
        Sheet { landscape, ..Sheet::default() }
    }

    /// Writes a text.
    pub fn text(&mut self, row: u32, col: u32, text: &str, style: u32) {
        self.cells.insert((row, col), (Value::Text(text.to_string()), style));
    }

    /// Writes a number.
    pub fn number(&mut self, row: u32, col: u32, n: f64, style: u32) {
        self.cells.insert((row, col), (Value::Number(n), style));
    }

    /// Formats an empty cell (keeps a value already there, restyled).
    pub fn blank(&mut self, row: u32, col: u32, style: u32) {
        self.cells.entry((row, col)).and_modify(|c| c.1 = style).or_insert((Value::Blank, style));
    }

    /// Merges a rectangle; every cell of it gets `style` so that borders are drawn all round.
    pub fn merge(&mut self, r1: u32, c1: u32, r2: u32, c2: u32, style: u32) {
        for r in r1..=r2 {
            for c in c1..=c2 {
                self.blank(r, c, style);
            }
        }
        if (r1, c1) != (r2, c2) {
            self.merges.push(Range::new(CellRef::new(r1, c1), CellRef::new(r2, c2)));
        }
    }

    /// Sets a column width (in characters of the default font's digits, as stored in the file).
    pub fn width(&mut self, col: u32, width: f64) {
        self.widths.insert(col, width);
    }

    /// The width of columns, in characters (unset ones count as Excel's default 8.43).
    fn width_of(&self, cols: std::ops::RangeInclusive<u32>) -> f64 {
        cols.map(|c| self.widths.get(&c).copied().unwrap_or(8.43)).sum()
    }

    /// How many pages across columns 1 to `last_col` need at most `chars_per_page` characters of
    /// width a page, the [`Sheet::title_columns`] repeated on each (unset widths count as Excel's
    /// default 8.43): what [`Sheet::pages_wide`] takes for a wide table to print legibly.
    pub fn pages_across(&self, last_col: u32, chars_per_page: f64) -> u16 {
        let total = self.width_of(1..=last_col);
        let titles = self.title_columns.map_or(0.0, |(a, b)| self.width_of(a..=b));
        (1..=16u16).find(|&n| (total + f64::from(n - 1) * titles) / f64::from(n) <= chars_per_page).unwrap_or(16)
    }

    /// The pages across the sheet prints on: [`Sheet::pages_wide`], or worked out from
    /// [`Sheet::legible_width`] over the print area's (or the cells') columns.
    fn printed_pages_wide(&self) -> u16 {
        match self.legible_width {
            Some(chars) => {
                let last = self.print_area.map(|a| a.end.col).or_else(|| self.cells.keys().map(|k| k.1).max()).unwrap_or(1);
                self.pages_across(last, chars)
            }
            None if !self.column_breaks.is_empty() => self.column_breaks.len() as u16 + 1,
            None => self.pages_wide.max(1),
        }
    }

    /// Where pages across must start for no page to be wider than `chars_per_page` characters
    /// (the [`Sheet::title_columns`] repeated on each), never inside one of `groups` (runs of
    /// columns under one header, as `(first, last)`): the first column of each page but the first,
    /// and the width of the widest page, in characters.
    pub fn pages_by_groups(&self, last_col: u32, groups: &[(u32, u32)], chars_per_page: f64) -> (Vec<u32>, f64) {
        let width = |a: u32, b: u32| self.width_of(a..=b);
        let titles = self.title_columns.map_or(0.0, |(a, b)| width(a, b));
        let mut breaks = Vec::new();
        let (mut used, mut c, mut widest) = (0.0, 1, 0.0f64);
        while c <= last_col {
            let end = groups.iter().find(|g| g.0 == c).map_or(c, |g| g.1.min(last_col));
            let w = width(c, end);
            if used + w > chars_per_page && used > titles {
                breaks.push(c);
                widest = widest.max(used);
                used = titles;
            }
            used += w;
            c = end + 1;
        }
        (breaks, widest.max(used))
    }

    /// Sets a row height (in points).
    pub fn height(&mut self, row: u32, height: f64) {
        self.heights.insert(row, height);
    }

    /// Freezes `rows` rows and `cols` columns.
    pub fn freeze(&mut self, rows: u32, cols: u32) {
        self.freeze = Some((rows, cols));
    }

    /// Adds a data validation.
    pub fn validate(&mut self, dv: DataValidation) {
        self.validations.push(dv);
    }

    /// Adds a conditional format; matching cells get its [`Highlight`].
    pub fn highlight(&mut self, cf: ConditionalFormat) {
        self.formats.push(cf);
    }

    /// Everything but the validations, onto a rust_xlsxwriter worksheet.
    fn write_to(&self, ws: &mut xw::Worksheet, looks: &[xw::Format]) -> Result<()> {
        let fail = |at: Option<(u32, u32)>| {
            move |e: xw::XlsxError| {
                let err = writer_error(e);
                match at {
                    Some((r, c)) => err.at_cell(CellRef::new(r, c).to_string()),
                    None => err,
                }
            }
        };
        let look = |style: u32, at: (u32, u32)| {
            looks.get(style as usize).ok_or_else(|| {
                Error::usage(Message::new(format!("セル書式 {style} はありません"), format!("no cell format {style}")))
                    .at_cell(CellRef::new(at.0, at.1).to_string())
            })
        };
        // Merged first: merging writes the corner and pads the rest, the cells below overwrite.
        for m in &self.merges {
            let (s, e) = (m.start, m.end);
            let style = self.cells.get(&(s.row, s.col)).map_or(STYLE_DEFAULT, |c| c.1);
            ws.merge_range(s.row - 1, (s.col - 1) as u16, e.row - 1, (e.col - 1) as u16, "", look(style, (s.row, s.col))?)
                .map_err(fail(Some((s.row, s.col))))?;
        }
        for (&(r, c), (value, style)) in &self.cells {
            let (row, col) = (r - 1, (c - 1) as u16);
            let format = look(*style, (r, c))?;
            let done = match value {
                Value::Blank if *style == STYLE_DEFAULT => continue,
                Value::Blank => ws.write_blank(row, col, format),
                Value::Text(t) => ws.write_string_with_format(row, col, t, format),
                Value::Number(n) => ws.write_number_with_format(row, col, *n, format),
            };
            done.map_err(fail(Some((r, c))))?;
        }
        for (&c, &w) in &self.widths {
            // The pixels Excel shows for a stored width of `w` digits of 7 pixels (its rule:
            // trunc((256w + trunc(128/7)) / 256 × 7)); rust_xlsxwriter stores whole pixels, so a
            // width such as 4.5 is kept as the 31 pixels Excel draws. (`set_column_width` would
            // add Excel's 5 pixels of padding to `w`.)
            let pixels = (((w * 256.0).trunc() + 18.0) / 256.0 * 7.0).trunc() as u32;
            ws.set_column_width_pixels((c - 1) as u16, pixels).map_err(fail(None))?;
        }
        for (&r, &h) in &self.heights {
            ws.set_row_height(r - 1, h).map_err(fail(None))?;
        }
        if let Some((rows, cols)) = self.freeze.filter(|f| *f != (0, 0)) {
            ws.set_freeze_panes(rows, cols as u16).map_err(fail(None))?;
        }
        for cf in &self.formats {
            let rule = xw::ConditionalFormatCell::new()
                .set_rule(xw::ConditionalFormatCellRule::EqualTo(xw::Formula::new(&cf.equals)))
                .set_format(highlight_format(&cf.highlight).map_err(|e| e.at_cell(cf.range.to_string()))?);
            let (s, e) = (cf.range.start, cf.range.end);
            ws.add_conditional_format(s.row - 1, (s.col - 1) as u16, e.row - 1, (e.col - 1) as u16, &rule).map_err(fail(Some((s.row, s.col))))?;
        }
        if let Some((a, b)) = self.print_titles {
            ws.set_repeat_rows(a - 1, b - 1).map_err(fail(None))?;
        }
        if !self.column_breaks.is_empty() {
            let breaks: Vec<u32> = self.column_breaks.iter().filter(|&&c| c > 1).map(|&c| c - 1).collect();
            ws.set_vertical_page_breaks(&breaks).map_err(fail(None))?;
        }
        if let Some((a, b)) = self.title_columns {
            ws.set_repeat_columns((a - 1) as u16, (b - 1) as u16).map_err(fail(None))?;
        }
        if let Some(f) = self.autofilter {
            let (s, e) = (f.start, f.end);
            ws.autofilter(s.row - 1, (s.col - 1) as u16, e.row - 1, (e.col - 1) as u16).map_err(fail(Some((s.row, s.col))))?;
        }
        if let Some(p) = self.print_area {
            let (s, e) = (p.start, p.end);
            ws.set_print_area(s.row - 1, (s.col - 1) as u16, e.row - 1, (e.col - 1) as u16).map_err(fail(Some((s.row, s.col))))?;
        }
        if self.landscape {
            ws.set_landscape();
        } else {
            ws.set_portrait();
        }
        ws.set_paper_size(9); // A4
        match self.break_scale {
            // Fitting to pages would move the breaks; a fixed scale keeps them.
            Some(scale) if !self.column_breaks.is_empty() => ws.set_print_scale(scale),
            _ => ws.set_print_fit_to_pages(self.printed_pages_wide(), 0),
        };
        ws.set_print_center_horizontally(true).set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3).set_footer("&C&P / &N").set_selected(self.selected);
        Ok(())
    }
}

/// A library error as the crate's.
fn writer_error(e: xw::XlsxError) -> Error {
    Error::usage(Message::new(format!("新しいブックを書けません: {e}"), format!("cannot write the new workbook: {e}")))
}

/// The font of every cell: a Japanese font for Japanese sheets; Excel and LibreOffice substitute
/// when it is missing.
fn base_format(lang: Lang) -> xw::Format {
    match lang {
        Lang::Ja => xw::Format::new().set_font_name("游ゴシック").set_font_family(3).set_font_charset(128),
        Lang::En => xw::Format::new().set_font_name("Calibri").set_font_family(2),
    }
    .set_font_size(11)
}

/// The cell formats, indexed by the `STYLE_*` constants.
fn cell_formats(lang: Lang) -> Vec<xw::Format> {
    use xw::{FormatAlign as Align, FormatBorder};
    let base = base_format(lang);
    let border = |f: xw::Format| f.set_border(FormatBorder::Thin).set_border_color(0x808080);
    let align = |f: xw::Format, h: Align, v: Align| f.set_align(h).set_align(v);
    let header = |fill: u32| align(border(base.clone().set_bold().set_background_color(fill)), Align::Center, Align::VerticalCenter).set_text_wrap();
    let centred = |f: xw::Format| align(border(f), Align::Center, Align::VerticalCenter);
    let grey = 0xF2F2F2; // computed cells: light grey
    let looks = [
        (STYLE_DEFAULT, base.clone()),
        (STYLE_TITLE, align(base.clone().set_bold().set_font_size(16), Align::Left, Align::VerticalCenter)),
        (STYLE_HEADER, header(0xDDEBF7)),          // input headers: light blue
        (STYLE_HEADER_COMPUTED, header(0xE7E6E6)), // computed headers: grey
        (STYLE_BODY, align(border(base.clone()), Align::General, Align::VerticalCenter)),
        (STYLE_BODY_WRAP, align(border(base.clone()), Align::Left, Align::VerticalCenter).set_text_wrap()),
        (STYLE_BODY_CENTER, centred(base.clone())),
        (STYLE_PERCENT, centred(base.clone().set_background_color(grey).set_num_format("0.0%"))),
        (STYLE_DATE, centred(base.clone().set_num_format("yyyy/mm/dd"))),
        (STYLE_COMPUTED, centred(base.clone().set_background_color(grey))),
        (STYLE_COMPUTED_WRAP, centred(base.clone().set_background_color(grey)).set_text_wrap()),
        (STYLE_NOTE, align(base.clone().set_font_size(10).set_font_color(0x404040), Align::Left, Align::Top).set_text_wrap()),
        (STYLE_BOLD, align(base.clone().set_bold(), Align::Left, Align::VerticalCenter)),
        (STYLE_COMPUTED_TEXT, align(border(base.clone().set_background_color(grey)), Align::Left, Align::VerticalCenter)),
    ];
    debug_assert!(looks.iter().enumerate().all(|(i, (id, _))| *id as usize == i));
    looks.into_iter().map(|(_, f)| f).collect()
}

/// The differential format of a highlight (font colour, bold, fill).
fn highlight_format(h: &Highlight) -> Result<xw::Format> {
    let rgb = |argb: &str| {
        let hex = if argb.len() == 8 { &argb[2..] } else { argb };
        let bad =
            || Error::usage(Message::new(format!("色（RRGGBB または AARRGGBB）ではありません: {argb}"), format!("not a colour (RRGGBB or AARRGGBB): {argb}")));
        u32::from_str_radix(hex, 16).ok().filter(|_| hex.len() == 6).ok_or_else(bad)
    };
    let mut f = xw::Format::new();
    if h.bold {
        f = f.set_bold();
    }
    if let Some(c) = &h.font_rgb {
        f = f.set_font_color(rgb(c)?);
    }
    if let Some(c) = &h.fill_rgb {
        f = f.set_background_color(rgb(c)?);
    }
    Ok(f)
}

/// The whole `.xlsx` package of `sheets` (tab names and sheets, in tab order), with `active`
/// the tab shown on opening, the document title `title` and the `STYLE_*` cell formats in
/// `lang`'s font.
///
/// # Errors
///
/// [`ErrorKind::Usage`](crate::ErrorKind::Usage) naming the sheet and cell when a cell uses a
/// format that is not one of the `STYLE_*`, a highlight's colour is not `RRGGBB`, or
/// rust_xlsxwriter refuses the sheet (a name, a range past the sheet's edge).
pub fn package(title: &str, sheets: &[(String, Sheet)], active: usize, lang: Lang) -> Result<Vec<u8>> {
    let fail = writer_error;
    let mut book = xw::Workbook::new();
    // 24 pixels: rows 18 pt high unless set; 64: the digit width of 7 pixels the widths assume.
    book.set_default_format(&base_format(lang), 24, 64).map_err(fail)?;
    let created = xw::ExcelDateTime::from_ymd(2024, 1, 1).map_err(fail)?;
    book.set_properties(&xw::DocProperties::new().set_title(title).set_author("risksheet").set_creation_datetime(&created));
    let looks = cell_formats(lang);
    for (i, (name, sh)) in sheets.iter().enumerate() {
        let ws = book.add_worksheet();
        ws.set_name(name).map_err(|e| fail(e).in_sheet(name))?;
        ws.set_active(i == active);
        sh.write_to(ws, &looks).map_err(|e| e.in_sheet(name))?;
    }
    let bytes = book.save_to_buffer().map_err(fail)?;
    if sheets.iter().all(|(_, sh)| sh.validations.is_empty()) {
        return Ok(bytes);
    }
    // The validations, through the in-place editor (see the module's documentation).
    let mut wb = crate::xlsx::Workbook::from_bytes(title, bytes, &crate::xlsx::Limits::default())?;
    for (name, sh) in sheets {
        for dv in &sh.validations {
            wb.add_validation(name, dv.clone())?;
        }
    }
    wb.to_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xlsx::{CellValue, Workbook};

    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
        s
    }

    #[test]
    fn writes_cells_merges_panes_and_validations() {
        let mut sh = Sheet::new(true);
        sh.text(3, 2, "b<", STYLE_HEADER);
        sh.text(3, 1, " a", STYLE_HEADER);
        sh.number(4, 1, 1.5, 0);
        sh.merge(3, 3, 4, 3, STYLE_HEADER);
        sh.freeze(4, 2);
        sh.validate(DataValidation::list(Range::parse("A5:A9").unwrap(), &["x", "y"]).with_ime_mode("off"));
        let bytes = package("t", &[("S".into(), sh)], 0, Lang::Ja).unwrap();
        let mut wb = Workbook::from_bytes("t.xlsx", bytes.clone(), &Default::default()).unwrap();
        let at = |a: &str| CellRef::parse(a).unwrap();
        assert_eq!(wb.value("S", at("A3")).unwrap(), CellValue::Text(" a".into()));
        assert_eq!(wb.value("S", at("B3")).unwrap(), CellValue::Text("b<".into()));
        assert_eq!(wb.value("S", at("A4")).unwrap(), CellValue::Number(1.5));
        assert_eq!(wb.merges("S").unwrap(), vec![Range::parse("C3:C4").unwrap()]);
        assert_eq!(wb.validation_ranges("S").unwrap(), vec![Range::parse("A5:A9").unwrap()]);
        let x = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(x.contains("xSplit=\"2\" ySplit=\"4\" topLeftCell=\"C5\""), "{x}");
        assert!(x.contains("imeMode=\"off\""), "{x}");
        assert!(x.contains("orientation=\"landscape\""), "{x}");
    }

    #[test]
    fn one_format_per_style_constant_and_no_unknown_style_or_colour() {
        assert_eq!(cell_formats(Lang::Ja).len(), STYLE_COMPUTED_TEXT as usize + 1);
        let mut sh = Sheet::default();
        sh.text(1, 1, "x", 99);
        let e = package("t", &[("S".into(), sh)], 0, Lang::En).unwrap_err();
        assert_eq!((e.sheet.as_deref(), e.cell.as_deref()), (Some("S"), Some("A1")));
        let mut sh = Sheet::default();
        let red = Highlight { fill_rgb: Some("red".into()), ..Default::default() };
        sh.highlight(ConditionalFormat::text_equals(Range::parse("B2:B9").unwrap(), "x", red));
        let e = package("t", &[("S".into(), sh)], 0, Lang::En).unwrap_err();
        assert_eq!((e.sheet.as_deref(), e.cell.as_deref()), (Some("S"), Some("B2:B9")));
        assert!(e.to_string().contains("red"), "{e}");
    }

    #[test]
    fn the_bytes_do_not_vary() {
        let mut sh = Sheet::default();
        sh.text(1, 1, "x", STYLE_TITLE);
        let a = package("t", &[("S".into(), sh.clone())], 0, Lang::Ja).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        assert!(a == package("t", &[("S".into(), sh)], 0, Lang::Ja).unwrap());
    }
}
