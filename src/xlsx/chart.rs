//! Native charts that risksheet writes into a workbook: what a chart shows ([`ChartSpec`]) and
//! the DrawingML parts that hold it (`xl/charts/chartN.xml`, and its anchor in the sheet's
//! `xl/drawings/drawingN.xml`). [`Workbook::add_chart`](crate::xlsx::Workbook::add_chart) places
//! one on a sheet in place.
//!
//! A chart keeps the values it shows cached (`c:strCache`, `c:numCache`), so that a viewer that
//! does not compute (a preview, a phone) still draws it; Excel and LibreOffice refresh them from
//! the cells the chart refers to.
use crate::xlsx::address::{col_letters, quote_sheet_name, Range, SheetCell};
use crate::xlsx::value::format_number;
use crate::xlsx::xml::{escape, escape_xstring};

/// The chart namespace of DrawingML.
pub(crate) const NS_CHART: &str = "http://schemas.openxmlformats.org/drawingml/2006/chart";
/// The main namespace of DrawingML (`a:`).
pub(crate) const NS_DRAWING_MAIN: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
/// The spreadsheet drawing namespace (`xdr:`).
pub(crate) const NS_SHEET_DRAWING: &str = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing";
/// The relationships namespace (`r:`).
pub(crate) const NS_RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The most points a series of a risksheet chart has (a chart of more is unreadable anyway).
pub const MAX_POINTS: u32 = 1000;
/// The most series of one chart.
pub const MAX_SERIES: usize = 8;

/// The series' colours, in order.
const PALETTE: [&str; 6] = ["4472C4", "ED7D31", "A5A5A5", "70AD47", "FFC000", "5B9BD5"];

/// How a chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Horizontal bars, the first category at the top (long category names read well).
    Bar,
    /// Vertical bars.
    Column,
    /// A radar (spider) chart: one spoke per category.
    Radar,
}

/// A range of cells on a named sheet: `'集計'!$I$5:$I$12`.
///
/// ```
/// use risksheet::xlsx::{chart::DataRef, Range};
/// let r = DataRef::new("リスク対応集計", Range::parse("B4:B7")?);
/// assert_eq!(r.formula(), "リスク対応集計!$B$4:$B$7");
/// assert_eq!(DataRef::new("My Sheet", Range::parse("A1")?).formula(), "'My Sheet'!$A$1");
/// # Ok::<(), risksheet::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataRef {
    /// The sheet, unquoted.
    pub sheet: String,
    /// The cells: one row or one column.
    pub range: Range,
}

impl DataRef {
    /// A range on `sheet`.
    pub fn new(sheet: impl Into<String>, range: Range) -> DataRef {
        DataRef { sheet: sheet.into(), range }
    }

    /// The reference as a chart formula holds it (absolute, the sheet quoted when it must be).
    pub fn formula(&self) -> String {
        let (a, b) = (self.range.start, self.range.end);
        let sheet = quote_sheet_name(&self.sheet);
        if a == b {
            return format!("{sheet}!${}${}", col_letters(a.col), a.row);
        }
        format!("{sheet}!${}${}:${}${}", col_letters(a.col), a.row, col_letters(b.col), b.row)
    }

    /// Number of cells (0 when the range is neither one row nor one column).
    pub fn len(&self) -> u32 {
        let (a, b) = (self.range.start, self.range.end);
        match (a.row == b.row, a.col == b.col) {
            (_, true) => b.row - a.row + 1,
            (true, false) => b.col - a.col + 1,
            _ => 0,
        }
    }

    /// Whether the range holds no usable cells (it is two-dimensional).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cells in order.
    pub(crate) fn cells(&self) -> Vec<crate::xlsx::CellRef> {
        let (a, b) = (self.range.start, self.range.end);
        (a.row..=b.row).flat_map(|r| (a.col..=b.col).map(move |c| crate::xlsx::CellRef::new(r, c))).collect()
    }
}

/// One series of a chart: its values, and the cell holding its name (shown in the legend).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartSeries {
    /// The cell holding the series' name.
    pub name: Option<SheetCell>,
    /// Its values, one per category.
    pub values: DataRef,
    /// Its colour as `RRGGBB` hex (`None`: the next of the palette).
    pub colour: Option<String>,
}

/// A chart risksheet places on a sheet.
///
/// `name` identifies it: a later [`Workbook::add_chart`](crate::xlsx::Workbook::add_chart) with
/// the same name on the same sheet replaces it (a second `fill` changes nothing), and a chart of
/// any other name (a user's) is never touched.
///
/// ```
/// use risksheet::xlsx::chart::{ChartKind, ChartSeries, ChartSpec, DataRef};
/// use risksheet::xlsx::{Range, SheetCell};
/// let mut spec = ChartSpec::new(ChartKind::Column, "risksheet:priorities", "優先順位ごとのリスク数",
///     DataRef::new("集計", Range::parse("A4:A7")?), Range::parse("E3:L18")?);
/// spec.series.push(ChartSeries { name: Some(SheetCell::parse("集計!B3")?), values: DataRef::new("集計", Range::parse("B4:B7")?), colour: None });
/// spec.number_format = Some("0".into());
/// assert_eq!(spec.points(), 4);
/// # Ok::<(), risksheet::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// How the series are drawn.
    pub kind: ChartKind,
    /// What identifies the chart among the sheet's drawings (its shape name, `cNvPr/@name`).
    pub name: String,
    /// The title shown above it.
    pub title: String,
    /// The category labels.
    pub categories: DataRef,
    /// The series.
    pub series: Vec<ChartSeries>,
    /// The cells the chart covers, top left to bottom right, on its own sheet.
    pub anchor: Range,
    /// The number format of the value axis and the data labels (`0%`, `0`); `None`: General.
    pub number_format: Option<String>,
    /// The value axis' lower bound (`None`: chosen by the viewer).
    pub min: Option<f64>,
    /// The value axis' upper bound.
    pub max: Option<f64>,
    /// Each bar or point labelled with its value.
    pub data_labels: bool,
}

impl ChartSpec {
    /// A chart without series, General numbers, automatic bounds and no data labels.
    pub fn new(kind: ChartKind, name: impl Into<String>, title: impl Into<String>, categories: DataRef, anchor: Range) -> ChartSpec {
        ChartSpec {
            kind,
            name: name.into(),
            title: title.into(),
            categories,
            series: Vec::new(),
            anchor,
            number_format: None,
            min: None,
            max: None,
            data_labels: false,
        }
    }

    /// Number of categories.
    pub fn points(&self) -> u32 {
        self.categories.len()
    }
}

/// The values a chart shows, read from its cells when it is added.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ChartCache {
    /// Category labels.
    pub categories: Vec<String>,
    /// Each series' name and values (`None`: a blank or text cell, drawn as a gap).
    pub series: Vec<(String, Vec<Option<f64>>)>,
}

/// Whether `c` is a colour as DrawingML writes one (`RRGGBB`).
pub(crate) fn is_colour(c: &str) -> bool {
    c.len() == 6 && c.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Appends a text run of DrawingML (`a:p` content) in the workbook's fonts.
fn rich_text(out: &mut String, text: &str, size: u32, bold: bool) {
    let b = if bold { "1" } else { "0" };
    out.push_str(&format!(
        "<c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"{size}\" b=\"{b}\"/></a:pPr><a:r><a:rPr lang=\"ja-JP\" altLang=\"en-US\" sz=\"{size}\" b=\"{b}\"/><a:t>{}</a:t></a:r></a:p></c:rich></c:tx>",
        escape(text)
    ));
}

fn str_cache(out: &mut String, values: &[String]) {
    out.push_str(&format!("<c:strCache><c:ptCount val=\"{}\"/>", values.len()));
    for (i, v) in values.iter().enumerate() {
        out.push_str(&format!("<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>", escape_xstring(v)));
    }
    out.push_str("</c:strCache>");
}

fn num_cache(out: &mut String, values: &[Option<f64>]) {
    out.push_str(&format!("<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val=\"{}\"/>", values.len()));
    for (i, v) in values.iter().enumerate() {
        if let Some(v) = v {
            out.push_str(&format!("<c:pt idx=\"{i}\"><c:v>{}</c:v></c:pt>", format_number(*v)));
        }
    }
    out.push_str("</c:numCache>");
}

/// The chart part (`c:chartSpace`) for `spec` with the values in `cache`. The same inputs give
/// the same bytes.
pub(crate) fn chart_xml(spec: &ChartSpec, cache: &ChartCache) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n");
    s.push_str(&format!("<c:chartSpace xmlns:c=\"{NS_CHART}\" xmlns:a=\"{NS_DRAWING_MAIN}\" xmlns:r=\"{NS_RELATIONSHIPS}\">"));
    s.push_str("<c:roundedCorners val=\"0\"/><c:chart><c:title>");
    rich_text(&mut s, &spec.title, 1200, true);
    s.push_str("<c:overlay val=\"0\"/></c:title><c:autoTitleDeleted val=\"0\"/><c:plotArea><c:layout/>");
    let (cat_ax, val_ax) = (50_010_001, 50_010_002);
    let format = spec.number_format.as_deref().unwrap_or("General");
    match spec.kind {
        ChartKind::Bar | ChartKind::Column => {
            let dir = if spec.kind == ChartKind::Bar { "bar" } else { "col" };
            s.push_str(&format!("<c:barChart><c:barDir val=\"{dir}\"/><c:grouping val=\"clustered\"/><c:varyColors val=\"0\"/>"));
        }
        ChartKind::Radar => s.push_str("<c:radarChart><c:radarStyle val=\"marker\"/><c:varyColors val=\"0\"/>"),
    }
    for (i, (ser, (name, values))) in spec.series.iter().zip(&cache.series).enumerate() {
        let colour = ser.colour.as_deref().filter(|c| is_colour(c)).unwrap_or(PALETTE[i % PALETTE.len()]);
        s.push_str(&format!("<c:ser><c:idx val=\"{i}\"/><c:order val=\"{i}\"/>"));
        if let Some(cell) = &ser.name {
            let f = DataRef::new(cell.sheet.clone(), Range::new(cell.cell, cell.cell)).formula();
            s.push_str(&format!("<c:tx><c:strRef><c:f>{}</c:f>", escape(&f)));
            str_cache(&mut s, std::slice::from_ref(name));
            s.push_str("</c:strRef></c:tx>");
        }
        match spec.kind {
            ChartKind::Radar => {
                s.push_str(&format!(
                    "<c:spPr><a:ln w=\"28575\"><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill></a:ln></c:spPr><c:marker><c:symbol val=\"circle\"/><c:size val=\"6\"/><c:spPr><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill></c:spPr></c:marker>"
                ));
            }
            _ => s.push_str(&format!("<c:spPr><a:solidFill><a:srgbClr val=\"{colour}\"/></a:solidFill></c:spPr><c:invertIfNegative val=\"0\"/>")),
        }
        if spec.data_labels {
            s.push_str(&format!(
                "<c:dLbls><c:numFmt formatCode=\"{}\" sourceLinked=\"0\"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr><c:showLegendKey val=\"0\"/><c:showVal val=\"1\"/><c:showCatName val=\"0\"/><c:showSerName val=\"0\"/><c:showPercent val=\"0\"/><c:showBubbleSize val=\"0\"/></c:dLbls>",
                escape(format)
            ));
        }
        s.push_str(&format!("<c:cat><c:strRef><c:f>{}</c:f>", escape(&spec.categories.formula())));
        str_cache(&mut s, &cache.categories);
        s.push_str(&format!("</c:strRef></c:cat><c:val><c:numRef><c:f>{}</c:f>", escape(&ser.values.formula())));
        num_cache(&mut s, values);
        s.push_str("</c:numRef></c:val></c:ser>");
    }
    match spec.kind {
        ChartKind::Bar | ChartKind::Column => s.push_str(&format!("<c:gapWidth val=\"80\"/><c:axId val=\"{cat_ax}\"/><c:axId val=\"{val_ax}\"/></c:barChart>")),
        ChartKind::Radar => s.push_str(&format!("<c:axId val=\"{cat_ax}\"/><c:axId val=\"{val_ax}\"/></c:radarChart>")),
    }
    // Horizontal bars list the first category at the top: the category axis runs downwards
    // and the value axis crosses it at its far (bottom) end.
    let (cat_pos, val_pos, cat_orient, val_crosses) = match spec.kind {
        ChartKind::Bar => ("l", "b", "maxMin", "max"),
        _ => ("b", "l", "minMax", "autoZero"),
    };
    let grid = if spec.kind == ChartKind::Radar { "<c:majorGridlines/>" } else { "" };
    s.push_str(&format!(
        "<c:catAx><c:axId val=\"{cat_ax}\"/><c:scaling><c:orientation val=\"{cat_orient}\"/></c:scaling><c:delete val=\"0\"/><c:axPos val=\"{cat_pos}\"/>{grid}<c:numFmt formatCode=\"General\" sourceLinked=\"0\"/><c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/><c:crossAx val=\"{val_ax}\"/><c:crosses val=\"autoZero\"/><c:auto val=\"1\"/><c:lblAlgn val=\"ctr\"/><c:lblOffset val=\"100\"/><c:noMultiLvlLbl val=\"0\"/></c:catAx>"
    ));
    let bound = |name: &str, v: Option<f64>| v.map(|v| format!("<c:{name} val=\"{}\"/>", format_number(v))).unwrap_or_default();
    s.push_str(&format!(
        "<c:valAx><c:axId val=\"{val_ax}\"/><c:scaling><c:orientation val=\"minMax\"/>{}{}</c:scaling><c:delete val=\"0\"/><c:axPos val=\"{val_pos}\"/><c:majorGridlines/><c:numFmt formatCode=\"{}\" sourceLinked=\"0\"/><c:majorTickMark val=\"out\"/><c:minorTickMark val=\"none\"/><c:tickLblPos val=\"nextTo\"/><c:crossAx val=\"{cat_ax}\"/><c:crosses val=\"{val_crosses}\"/><c:crossBetween val=\"between\"/></c:valAx>",
        bound("max", spec.max),
        bound("min", spec.min),
        escape(format)
    ));
    s.push_str("</c:plotArea>");
    if spec.series.len() > 1 {
        s.push_str("<c:legend><c:legendPos val=\"b\"/><c:overlay val=\"0\"/></c:legend>");
    }
    s.push_str("<c:plotVisOnly val=\"1\"/><c:dispBlanksAs val=\"gap\"/></c:chart>");
    s.push_str(
        "<c:spPr><a:solidFill><a:srgbClr val=\"FFFFFF\"/></a:solidFill><a:ln w=\"9525\"><a:solidFill><a:srgbClr val=\"D9D9D9\"/></a:solidFill></a:ln></c:spPr>",
    );
    // Axis and data labels at 11 pt: printed one page wide, the default 10 pt came out under 8.
    s.push_str("<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz=\"1100\"/></a:pPr><a:endParaRPr lang=\"ja-JP\"/></a:p></c:txPr>");
    s.push_str("</c:chartSpace>");
    s
}

/// The anchor of a chart in a drawing part (`xdr:twoCellAnchor` with its graphic frame), its
/// elements prefixed `p` (the drawing's own prefix for the spreadsheet drawing namespace);
/// `declare_a` when the drawing's root does not bind `a:` itself.
pub(crate) fn anchor_xml(p: &str, declare_a: bool, spec: &ChartSpec, shape_id: u32, rid: &str) -> String {
    let (a, b) = (spec.anchor.start, spec.anchor.end);
    let a_ns = if declare_a { format!(" xmlns:a=\"{NS_DRAWING_MAIN}\"") } else { String::new() };
    let at = |tag: &str, col: u32, row: u32| {
        format!("<{p}{tag}><{p}col>{col}</{p}col><{p}colOff>0</{p}colOff><{p}row>{row}</{p}row><{p}rowOff>0</{p}rowOff></{p}{tag}>")
    };
    format!(
        "<{p}twoCellAnchor editAs=\"oneCell\"{a_ns}>{}{}<{p}graphicFrame macro=\"\"><{p}nvGraphicFramePr><{p}cNvPr id=\"{shape_id}\" name=\"{}\" descr=\"{}\"/><{p}cNvGraphicFramePr/></{p}nvGraphicFramePr><{p}xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"0\" cy=\"0\"/></{p}xfrm><a:graphic><a:graphicData uri=\"{NS_CHART}\"><c:chart xmlns:c=\"{NS_CHART}\" xmlns:r=\"{NS_RELATIONSHIPS}\" r:id=\"{rid}\"/></a:graphicData></a:graphic></{p}graphicFrame><{p}clientData/></{p}twoCellAnchor>",
        at("from", a.col - 1, a.row - 1),
        at("to", b.col, b.row),
        escape(&spec.name),
        escape(&spec.title),
    )
}

/// A drawing part holding no anchor yet.
pub(crate) fn empty_drawing() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<xdr:wsDr xmlns:xdr=\"{NS_SHEET_DRAWING}\" xmlns:a=\"{NS_DRAWING_MAIN}\"></xdr:wsDr>"
    )
}
