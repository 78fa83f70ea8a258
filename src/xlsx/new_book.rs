//! Writing a new workbook from nothing: a small worksheet writer ([`Sheet`]: cells with a style
//! index, merges, column widths, row heights, frozen panes, validations, conditional formats and
//! print setup, serialised in the element order of the schema), a fixed set of cell formats
//! ([`styles_xml`], indexes are the `STYLE_*` constants) and the package around them
//! ([`package`]). Used by `new` (the IPA template) and `soa` (the Statement of Applicability).
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
use crate::error::{Error, Lang, Result};
use crate::xlsx::address::{col_letters, quote_sheet_name, CellRef, Range};
use crate::xlsx::conditional::{ConditionalFormat, Highlight};
use crate::xlsx::validation::DataValidation;
use crate::xlsx::xml::escape;
use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

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

/// Differential format of the highest level (リスク大, 可能性:高): red.
pub const DXF_HIGH: usize = 0;
/// Differential format of the middle levels (リスク中, 可能性:中): yellow.
pub const DXF_MEDIUM: usize = 1;
/// Differential format of the lowest level (リスク小, 可能性:低): green.
pub const DXF_LOW: usize = 2;

/// What a cell holds.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    /// Formatted but empty.
    Blank,
    /// An inline string.
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
    formats: Vec<(ConditionalFormat, usize)>,
    /// Rows and columns kept in view (frozen above and left of the split).
    freeze: Option<(u32, u32)>,
    /// The tab is the selected one when the workbook opens.
    pub selected: bool,
    /// Rows repeated on every printed page (`$3:$4`), first and last.
    pub print_titles: Option<(u32, u32)>,
    /// Print in landscape.
    pub landscape: bool,
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

    /// Sets a column width (in characters).
    pub fn width(&mut self, col: u32, width: f64) {
        self.widths.insert(col, width);
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

    /// Adds a conditional format using differential format `dxf`.
    pub fn highlight(&mut self, cf: ConditionalFormat, dxf: usize) {
        self.formats.push((cf, dxf));
    }

    /// The worksheet part.
    pub fn to_xml(&self) -> String {
        let mut s = String::with_capacity(64 * 1024);
        s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
        s.push_str(
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
             xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
        );
        s.push_str("<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>");
        s.push_str(&format!("<dimension ref=\"{}\"/>", self.dimension()));
        s.push_str(&self.views_xml());
        s.push_str("<sheetFormatPr defaultRowHeight=\"18\"/>");
        if !self.widths.is_empty() {
            s.push_str("<cols>");
            for (c, w) in &self.widths {
                s.push_str(&format!("<col min=\"{c}\" max=\"{c}\" width=\"{w}\" customWidth=\"1\"/>"));
            }
            s.push_str("</cols>");
        }
        s.push_str(&self.data_xml());
        if !self.merges.is_empty() {
            s.push_str(&format!("<mergeCells count=\"{}\">", self.merges.len()));
            for m in &self.merges {
                s.push_str(&format!("<mergeCell ref=\"{m}\"/>"));
            }
            s.push_str("</mergeCells>");
        }
        for (priority, (cf, dxf)) in self.formats.iter().enumerate() {
            s.push_str(&cf.rule_xml("", *dxf, priority as u32 + 1));
        }
        if !self.validations.is_empty() {
            s.push_str(&format!("<dataValidations count=\"{}\">", self.validations.len()));
            for dv in &self.validations {
                s.push_str(&dv.to_xml());
            }
            s.push_str("</dataValidations>");
        }
        s.push_str("<printOptions horizontalCentered=\"1\"/>");
        s.push_str("<pageMargins left=\"0.4\" right=\"0.4\" top=\"0.6\" bottom=\"0.6\" header=\"0.3\" footer=\"0.3\"/>");
        s.push_str(&format!(
            "<pageSetup paperSize=\"9\" orientation=\"{}\" fitToWidth=\"1\" fitToHeight=\"0\"/>",
            if self.landscape { "landscape" } else { "portrait" }
        ));
        s.push_str("<headerFooter><oddFooter>&amp;C&amp;P / &amp;N</oddFooter></headerFooter>");
        s.push_str("</worksheet>");
        s
    }

    fn dimension(&self) -> String {
        let rows = self.cells.keys().map(|k| k.0);
        let cols = self.cells.keys().map(|k| k.1);
        match (rows.clone().min(), rows.max(), cols.clone().min(), cols.max()) {
            (Some(r1), Some(r2), Some(c1), Some(c2)) => Range::new(CellRef::new(r1, c1), CellRef::new(r2, c2)).to_string(),
            _ => "A1".to_string(),
        }
    }

    fn views_xml(&self) -> String {
        let mut v = String::from("<sheetViews><sheetView");
        if self.selected {
            v.push_str(" tabSelected=\"1\"");
        }
        v.push_str(" zoomScaleNormal=\"100\" workbookViewId=\"0\">");
        match self.freeze {
            Some((rows, cols)) if rows > 0 || cols > 0 => {
                let top_left = CellRef::new(rows + 1, cols + 1);
                let pane = match (rows > 0, cols > 0) {
                    (true, true) => "bottomRight",
                    (true, false) => "bottomLeft",
                    _ => "topRight",
                };
                v.push_str("<pane");
                if cols > 0 {
                    v.push_str(&format!(" xSplit=\"{cols}\""));
                }
                if rows > 0 {
                    v.push_str(&format!(" ySplit=\"{rows}\""));
                }
                v.push_str(&format!(
                    " topLeftCell=\"{top_left}\" activePane=\"{pane}\" state=\"frozen\"/>\
                     <selection pane=\"{pane}\" activeCell=\"{top_left}\" sqref=\"{top_left}\"/>"
                ));
            }
            _ => v.push_str("<selection activeCell=\"A1\" sqref=\"A1\"/>"),
        }
        v.push_str("</sheetView></sheetViews>");
        v
    }

    fn data_xml(&self) -> String {
        let mut s = String::from("<sheetData>");
        let mut rows: Vec<u32> = self.cells.keys().map(|k| k.0).chain(self.heights.keys().copied()).collect();
        rows.sort_unstable();
        rows.dedup();
        for r in rows {
            s.push_str(&format!("<row r=\"{r}\""));
            if let Some(h) = self.heights.get(&r) {
                s.push_str(&format!(" ht=\"{h}\" customHeight=\"1\""));
            }
            s.push('>');
            for (&(_, c), (value, style)) in self.cells.range((r, 0)..(r + 1, 0)) {
                let at = format!("{}{r}", col_letters(c));
                let st = if *style == 0 { String::new() } else { format!(" s=\"{style}\"") };
                match value {
                    Value::Blank => s.push_str(&format!("<c r=\"{at}\"{st}/>")),
                    Value::Number(n) => s.push_str(&format!("<c r=\"{at}\"{st}><v>{n}</v></c>")),
                    Value::Text(t) => {
                        let space = if t.starts_with(char::is_whitespace) || t.ends_with(char::is_whitespace) { " xml:space=\"preserve\"" } else { "" };
                        s.push_str(&format!("<c r=\"{at}\"{st} t=\"inlineStr\"><is><t{space}>{}</t></is></c>", escape(&crate::xlsx::xml::encode_xstring(t))));
                    }
                }
            }
            s.push_str("</row>");
        }
        s.push_str("</sheetData>");
        s
    }
}

/// Number format id of 「0.0%」.
const FMT_PERCENT: u32 = 164;
/// Number format id of 「yyyy/mm/dd」.
const FMT_DATE: u32 = 165;

/// The look of the three risk levels, highest first: red, yellow, green (Excel's own
/// 「濃い赤の文字、明るい赤の背景」 family of presets).
pub fn level_highlights() -> [Highlight; 3] {
    [
        Highlight { font_rgb: Some("FF9C0006".into()), fill_rgb: Some("FFFFC7CE".into()), bold: true },
        Highlight { font_rgb: Some("FF9C5700".into()), fill_rgb: Some("FFFFEB9C".into()), bold: false },
        Highlight { font_rgb: Some("FF006100".into()), fill_rgb: Some("FFC6EFCE".into()), bold: false },
    ]
}

/// One `<xf>`: font, fill, border, number format, alignment.
struct Xf {
    font: u32,
    fill: u32,
    border: u32,
    num_fmt: u32,
    /// (horizontal, vertical, wrap)
    align: Option<(&'static str, &'static str, bool)>,
}

/// The cell formats, in the order of the `STYLE_*` constants.
fn cell_xfs() -> Vec<(u32, Xf)> {
    let xf = |font, fill, border, num_fmt, align| Xf { font, fill, border, num_fmt, align };
    vec![
        (STYLE_DEFAULT, xf(0, 0, 0, 0, None)),
        (STYLE_TITLE, xf(2, 0, 0, 0, Some(("left", "center", false)))),
        (STYLE_HEADER, xf(1, 2, 1, 0, Some(("center", "center", true)))),
        (STYLE_HEADER_COMPUTED, xf(1, 3, 1, 0, Some(("center", "center", true)))),
        (STYLE_BODY, xf(0, 0, 1, 0, Some(("general", "center", false)))),
        (STYLE_BODY_WRAP, xf(0, 0, 1, 0, Some(("left", "center", true)))),
        (STYLE_BODY_CENTER, xf(0, 0, 1, 0, Some(("center", "center", false)))),
        (STYLE_PERCENT, xf(0, 4, 1, FMT_PERCENT, Some(("center", "center", false)))),
        (STYLE_DATE, xf(0, 0, 1, FMT_DATE, Some(("center", "center", false)))),
        (STYLE_COMPUTED, xf(0, 4, 1, 0, Some(("center", "center", false)))),
        (STYLE_COMPUTED_WRAP, xf(0, 4, 1, 0, Some(("center", "center", true)))),
        (STYLE_NOTE, xf(3, 0, 0, 0, Some(("left", "top", true)))),
        (STYLE_BOLD, xf(1, 0, 0, 0, Some(("left", "center", false)))),
    ]
}

/// The styles part.
pub fn styles_xml(lang: Lang) -> String {
    // A Japanese font for Japanese sheets; Excel and LibreOffice substitute when it is missing.
    let (font, family, charset) = match lang {
        Lang::Ja => ("游ゴシック", 3, "<charset val=\"128\"/>"),
        Lang::En => ("Calibri", 2, ""),
    };
    let font_xml = |size: u32, bold: bool, color: Option<&str>| {
        format!(
            "<font>{}<sz val=\"{size}\"/>{}<name val=\"{}\"/><family val=\"{family}\"/>{charset}</font>",
            if bold { "<b/>" } else { "" },
            color.map(|c| format!("<color rgb=\"{c}\"/>")).unwrap_or_default(),
            escape(font)
        )
    };
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
    s.push_str("<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">");
    s.push_str(&format!(
        "<numFmts count=\"2\"><numFmt numFmtId=\"{FMT_PERCENT}\" formatCode=\"0.0%\"/>\
         <numFmt numFmtId=\"{FMT_DATE}\" formatCode=\"yyyy/mm/dd\"/></numFmts>"
    ));
    let fonts = [font_xml(11, false, None), font_xml(11, true, None), font_xml(16, true, None), font_xml(10, false, Some("FF404040"))];
    s.push_str(&format!("<fonts count=\"{}\">{}</fonts>", fonts.len(), fonts.concat()));
    let solid = |rgb: &str| format!("<fill><patternFill patternType=\"solid\"><fgColor rgb=\"{rgb}\"/><bgColor indexed=\"64\"/></patternFill></fill>");
    let fills = [
        "<fill><patternFill patternType=\"none\"/></fill>".to_string(),
        "<fill><patternFill patternType=\"gray125\"/></fill>".to_string(),
        solid("FFDDEBF7"), // input headers: light blue
        solid("FFE7E6E6"), // computed headers: grey
        solid("FFF2F2F2"), // computed cells: light grey
    ];
    s.push_str(&format!("<fills count=\"{}\">{}</fills>", fills.len(), fills.concat()));
    let side = |n: &str| format!("<{n} style=\"thin\"><color rgb=\"FF808080\"/></{n}>");
    s.push_str(&format!(
        "<borders count=\"2\"><border><left/><right/><top/><bottom/><diagonal/></border>\
         <border>{}{}{}{}<diagonal/></border></borders>",
        side("left"),
        side("right"),
        side("top"),
        side("bottom")
    ));
    s.push_str("<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\"/></cellStyleXfs>");
    let xfs = cell_xfs();
    s.push_str(&format!("<cellXfs count=\"{}\">", xfs.len()));
    for (_, x) in &xfs {
        s.push_str(&format!("<xf numFmtId=\"{}\" fontId=\"{}\" fillId=\"{}\" borderId=\"{}\" xfId=\"0\"", x.num_fmt, x.font, x.fill, x.border));
        for (flag, on) in [
            ("applyNumberFormat", x.num_fmt != 0),
            ("applyFont", x.font != 0),
            ("applyFill", x.fill != 0),
            ("applyBorder", x.border != 0),
            ("applyAlignment", x.align.is_some()),
        ] {
            if on {
                s.push_str(&format!(" {flag}=\"1\""));
            }
        }
        match x.align {
            Some((h, v, wrap)) => {
                s.push_str(&format!("><alignment horizontal=\"{h}\" vertical=\"{v}\""));
                if wrap {
                    s.push_str(" wrapText=\"1\"");
                }
                s.push_str("/></xf>");
            }
            None => s.push_str("/>"),
        }
    }
    s.push_str("</cellXfs>");
    s.push_str("<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/></cellStyles>");
    let dxfs = level_highlights();
    s.push_str(&format!("<dxfs count=\"{}\">", dxfs.len()));
    for h in &dxfs {
        s.push_str(&h.to_dxf_xml());
    }
    s.push_str("</dxfs><tableStyles count=\"0\"/></styleSheet>");
    s
}

/// The whole `.xlsx` package of `sheets` (tab names and sheets, in tab order), with `active`
/// the tab shown on opening, the document title `title` and the cell formats of
/// [`styles_xml`] in `lang`'s font.
pub fn package(title: &str, sheets: &[(String, Sheet)], active: usize, lang: Lang) -> Result<Vec<u8>> {
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), content_types(sheets.len()).into_bytes()),
        ("_rels/.rels".into(), ROOT_RELS.as_bytes().to_vec()),
        ("docProps/core.xml".into(), core_xml(title).into_bytes()),
        ("docProps/app.xml".into(), app_xml(sheets).into_bytes()),
        ("xl/workbook.xml".into(), workbook_xml(sheets, active).into_bytes()),
        ("xl/_rels/workbook.xml.rels".into(), workbook_rels(sheets.len()).into_bytes()),
        ("xl/styles.xml".into(), styles_xml(lang).into_bytes()),
    ];
    for (i, (_, sh)) in sheets.iter().enumerate() {
        parts.push((format!("xl/worksheets/sheet{}.xml", i + 1), sh.to_xml().into_bytes()));
    }
    write_zip(&parts)
}

/// `_rels/.rels`: the workbook and the document properties.
pub const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

/// `[Content_Types].xml` for `sheets` worksheets and the styles part.
pub fn content_types(sheets: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>",
    );
    for i in 1..=sheets {
        s.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        ));
    }
    s.push_str(
        "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
         <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
         </Types>",
    );
    s
}

/// `docProps/core.xml` with a fixed date.
pub fn core_xml(title: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>risksheet</dc:creator><cp:lastModifiedBy>risksheet</cp:lastModifiedBy>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">2024-01-01T00:00:00Z</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">2024-01-01T00:00:00Z</dcterms:modified>\
         </cp:coreProperties>",
        escape(title)
    )
}

/// `docProps/app.xml` naming the tabs.
pub fn app_xml(sheets: &[(String, Sheet)]) -> String {
    let names: String = sheets.iter().map(|(n, _)| format!("<vt:lpstr>{}</vt:lpstr>", escape(n))).collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" \
         xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
         <Application>risksheet</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>\
         <HeadingPairs><vt:vector size=\"2\" baseType=\"variant\"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant>\
         <vt:variant><vt:i4>{n}</vt:i4></vt:variant></vt:vector></HeadingPairs>\
         <TitlesOfParts><vt:vector size=\"{n}\" baseType=\"lpstr\">{names}</vt:vector></TitlesOfParts>\
         <AppVersion>16.0300</AppVersion></Properties>",
        n = sheets.len()
    )
}

/// `xl/workbook.xml`: the tabs, the active one and the print titles.
pub fn workbook_xml(sheets: &[(String, Sheet)], active: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <workbookPr defaultThemeVersion=\"164011\"/>",
    );
    s.push_str(&format!(
        "<bookViews><workbookView xWindow=\"0\" yWindow=\"0\" windowWidth=\"28800\" windowHeight=\"15600\" activeTab=\"{active}\"/></bookViews><sheets>"
    ));
    for (i, (n, _)) in sheets.iter().enumerate() {
        s.push_str(&format!("<sheet name=\"{}\" sheetId=\"{}\" r:id=\"rId{}\"/>", escape(n), i + 1, i + 1));
    }
    s.push_str("</sheets>");
    let titles: Vec<String> = sheets
        .iter()
        .enumerate()
        .filter_map(|(i, (n, sh))| {
            sh.print_titles.map(|(a, b)| {
                format!("<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">{}</definedName>", escape(&format!("{}!${a}:${b}", quote_sheet_name(n))))
            })
        })
        .collect();
    if !titles.is_empty() {
        s.push_str(&format!("<definedNames>{}</definedNames>", titles.concat()));
    }
    s.push_str("<calcPr calcId=\"191029\"/></workbook>");
    s
}

/// `xl/_rels/workbook.xml.rels`: the worksheets and the styles.
pub fn workbook_rels(sheets: usize) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    for i in 1..=sheets {
        s.push_str(&format!(
            "<Relationship Id=\"rId{i}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>"
        ));
    }
    s.push_str(&format!(
        "<Relationship Id=\"rId{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>",
        sheets + 1
    ));
    s
}

/// Zips the parts in order, deflated, with a fixed timestamp so the bytes never vary.
pub fn write_zip(parts: &[(String, Vec<u8>)]) -> Result<Vec<u8>> {
    let zerr = |e: zip::result::ZipError| Error::from(std::io::Error::from(e));
    let time = zip::DateTime::from_date_and_time(2024, 1, 1, 0, 0, 0).map_err(|_| Error::corrupt("fixed zip timestamp out of range"))?;
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated).last_modified_time(time).unix_permissions(0o644);
    let mut zw = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        zw.start_file(name.as_str(), options).map_err(zerr)?;
        zw.write_all(bytes)?;
    }
    Ok(zw.finish().map_err(zerr)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_cells_in_order_with_merges() {
        let mut sh = Sheet::default();
        sh.text(3, 2, "b<", 2);
        sh.text(3, 1, " a", 2);
        sh.number(4, 1, 1.5, 0);
        sh.merge(3, 3, 4, 3, 2);
        sh.freeze(4, 2);
        let x = sh.to_xml();
        let a = x.find("r=\"A3\"").unwrap_or(usize::MAX);
        let b = x.find("r=\"B3\"").unwrap_or(0);
        assert!(a < b, "{x}");
        assert!(x.contains("<t xml:space=\"preserve\"> a</t>"));
        assert!(x.contains("<t>b&lt;</t>"));
        assert!(x.contains("<c r=\"A4\"><v>1.5</v></c>"));
        assert!(x.contains("<mergeCell ref=\"C3:C4\"/>"));
        assert!(x.contains("<dimension ref=\"A3:C4\"/>"));
        assert!(x.contains("xSplit=\"2\" ySplit=\"4\" topLeftCell=\"C5\""));
    }

    #[test]
    fn style_constants_match_the_xf_order() {
        for (i, (id, _)) in cell_xfs().iter().enumerate() {
            assert_eq!(*id as usize, i);
        }
        let x = styles_xml(Lang::Ja);
        assert!(x.contains("<cellXfs count=\"13\">"));
        assert!(x.contains("<dxfs count=\"3\">"));
    }
}
