//! Conditional formatting: cell colours that follow the value, such as red for リスク大.
//!
//! A rule refers to a differential format (`dxf`) in the styles part; [`Highlight`] describes
//! one, and the workbook adds it to the styles when the format is added.
//!
//! ```
//! use risksheet::xlsx::conditional::{ConditionalFormat, Highlight};
//! use risksheet::xlsx::address::Range;
//! let cf = ConditionalFormat::text_equals(Range::parse("U5:U100").unwrap(), "リスク大",
//!     Highlight { font_rgb: Some("FF9C0006".into()), fill_rgb: Some("FFFFC7CE".into()), bold: true });
//! assert!(cf.rule_xml("", 0, 7).contains(r#"<formula>"リスク大"</formula>"#));
//! ```
use crate::xlsx::address::Range;
use crate::xlsx::xml_writer::XmlWriter;

/// A differential format: font colour, fill colour, bold (ARGB hex such as `FFFFC7CE`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Highlight {
    /// Font colour.
    pub font_rgb: Option<String>,
    /// Fill colour.
    pub fill_rgb: Option<String>,
    /// Bold font.
    pub bold: bool,
}

impl Highlight {
    /// The `<dxf>` element.
    pub fn to_dxf_xml(&self) -> String {
        let mut s = String::new();
        let mut w = XmlWriter::new(&mut s, "");
        w.start("dxf").open();
        if self.font_rgb.is_some() || self.bold {
            w.start("font").open();
            if self.bold {
                w.empty("b");
            }
            if let Some(c) = &self.font_rgb {
                w.start("color").attr("rgb", c).close();
            }
            w.end("font");
        }
        if let Some(c) = &self.fill_rgb {
            w.start("fill").open().start("patternFill").open().start("bgColor").attr("rgb", c).close().end("patternFill").end("fill");
        }
        w.end("dxf");
        s
    }
}

/// A conditional format over a range: cells whose value equals a given value get a highlight.
#[derive(Debug, Clone, PartialEq)]
pub struct ConditionalFormat {
    /// Cells it applies to.
    pub range: Range,
    /// The formula compared with each cell's value (`"リスク大"` or `3`).
    pub equals: String,
    /// The look of matching cells.
    pub highlight: Highlight,
}

impl ConditionalFormat {
    /// Highlights cells whose text equals `text`.
    pub fn text_equals(range: Range, text: &str, highlight: Highlight) -> Self {
        ConditionalFormat { range, equals: format!("\"{}\"", text.replace('"', "\"\"")), highlight }
    }

    /// Highlights cells whose value equals the number `n`.
    pub fn number_equals(range: Range, n: f64, highlight: Highlight) -> Self {
        ConditionalFormat { range, equals: crate::xlsx::value::format_number(n), highlight }
    }

    /// The `<conditionalFormatting>` element using format `dxf_id` at `priority`.
    pub fn rule_xml(&self, p: &str, dxf_id: usize, priority: u32) -> String {
        let mut s = String::new();
        let dxf_id = u32::try_from(dxf_id).unwrap_or(u32::MAX);
        XmlWriter::new(&mut s, p)
            .start("conditionalFormatting")
            .attr("sqref", &self.range.to_string())
            .open()
            .start("cfRule")
            .attr("type", "cellIs")
            .attr_u32("dxfId", dxf_id)
            .attr_u32("priority", priority)
            .attr("operator", "equal")
            .open()
            .text_element("formula", &self.equals)
            .end("cfRule")
            .end("conditionalFormatting");
        s
    }
}
