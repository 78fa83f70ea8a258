//! A small worksheet writer for the template: cells with a style index, merges, column widths,
//! row heights, frozen panes, validations, conditional formats and print setup, serialised in
//! the element order of the schema (CT_Worksheet).
use crate::xlsx::address::{col_letters, CellRef, Range};
use crate::xlsx::conditional::ConditionalFormat;
use crate::xlsx::validation::DataValidation;
use crate::xlsx::xml::escape;
use std::collections::BTreeMap;

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
pub(crate) struct Sheet {
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
        Sheet {
            landscape,
            ..Sheet::default()
        }
    }

    /// Writes a text.
    pub fn text(&mut self, row: u32, col: u32, text: &str, style: u32) {
        self.cells
            .insert((row, col), (Value::Text(text.to_string()), style));
    }

    /// Writes a number.
    pub fn number(&mut self, row: u32, col: u32, n: f64, style: u32) {
        self.cells.insert((row, col), (Value::Number(n), style));
    }

    /// Formats an empty cell (keeps a value already there, restyled).
    pub fn blank(&mut self, row: u32, col: u32, style: u32) {
        self.cells
            .entry((row, col))
            .and_modify(|c| c.1 = style)
            .or_insert((Value::Blank, style));
    }

    /// Merges a rectangle; every cell of it gets `style` so that borders are drawn all round.
    pub fn merge(&mut self, r1: u32, c1: u32, r2: u32, c2: u32, style: u32) {
        for r in r1..=r2 {
            for c in c1..=c2 {
                self.blank(r, c, style);
            }
        }
        if (r1, c1) != (r2, c2) {
            self.merges
                .push(Range::new(CellRef::new(r1, c1), CellRef::new(r2, c2)));
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
                s.push_str(&format!(
                    "<col min=\"{c}\" max=\"{c}\" width=\"{w}\" customWidth=\"1\"/>"
                ));
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
            s.push_str(&format!(
                "<dataValidations count=\"{}\">",
                self.validations.len()
            ));
            for dv in &self.validations {
                s.push_str(&dv.to_xml());
            }
            s.push_str("</dataValidations>");
        }
        s.push_str("<printOptions horizontalCentered=\"1\"/>");
        s.push_str(
            "<pageMargins left=\"0.4\" right=\"0.4\" top=\"0.6\" bottom=\"0.6\" header=\"0.3\" footer=\"0.3\"/>",
        );
        s.push_str(&format!(
            "<pageSetup paperSize=\"9\" orientation=\"{}\" fitToWidth=\"1\" fitToHeight=\"0\"/>",
            if self.landscape {
                "landscape"
            } else {
                "portrait"
            }
        ));
        s.push_str("<headerFooter><oddFooter>&amp;C&amp;P / &amp;N</oddFooter></headerFooter>");
        s.push_str("</worksheet>");
        s
    }

    fn dimension(&self) -> String {
        let rows = self.cells.keys().map(|k| k.0);
        let cols = self.cells.keys().map(|k| k.1);
        match (
            rows.clone().min(),
            rows.max(),
            cols.clone().min(),
            cols.max(),
        ) {
            (Some(r1), Some(r2), Some(c1), Some(c2)) => {
                Range::new(CellRef::new(r1, c1), CellRef::new(r2, c2)).to_string()
            }
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
        let mut rows: Vec<u32> = self
            .cells
            .keys()
            .map(|k| k.0)
            .chain(self.heights.keys().copied())
            .collect();
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
                let st = if *style == 0 {
                    String::new()
                } else {
                    format!(" s=\"{style}\"")
                };
                match value {
                    Value::Blank => s.push_str(&format!("<c r=\"{at}\"{st}/>")),
                    Value::Number(n) => s.push_str(&format!("<c r=\"{at}\"{st}><v>{n}</v></c>")),
                    Value::Text(t) => {
                        let space = if t.starts_with(char::is_whitespace)
                            || t.ends_with(char::is_whitespace)
                        {
                            " xml:space=\"preserve\""
                        } else {
                            ""
                        };
                        s.push_str(&format!(
                            "<c r=\"{at}\"{st} t=\"inlineStr\"><is><t{space}>{}</t></is></c>",
                            escape(t)
                        ));
                    }
                }
            }
            s.push_str("</row>");
        }
        s.push_str("</sheetData>");
        s
    }
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
}
