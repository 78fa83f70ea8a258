//! Rewriting a worksheet part by splicing: rows and elements that change are re-rendered, every
//! other byte is copied from the original.
use crate::error::Result;
use crate::xlsx::address::{CellRef, Range};
use crate::xlsx::conditional::ConditionalFormat;
use crate::xlsx::sheet::{CellSpan, CellType, CellXml, RowSpan, SheetIndex};
use crate::xlsx::validation::DataValidation;
use crate::xlsx::value::{format_number, CellValue};
use crate::xlsx::xml::{self, attr, remove_attr, set_attr};
use crate::xlsx::xml_writer::XmlWriter;
use std::collections::BTreeMap;

/// New content for a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// A plain value.
    Value(CellValue),
    /// A formula (without `=`) and its cached result, when known.
    Formula(String, Option<CellValue>),
    /// A cell of a shared-formula group (a column of the same formula, as Excel stores
    /// filled-down formulas): the anchor carries the text, the others refer to it.
    Shared(std::sync::Arc<SharedGroup>, Option<CellValue>),
}

/// A shared-formula group risksheet writes.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedGroup {
    /// The group's index (`si`), unique in its sheet.
    pub si: u32,
    /// The cells of the group; the top-left one is the anchor.
    pub range: Range,
    /// The anchor's formula, without `=`.
    pub text: String,
}

/// What will change in one cell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pending {
    /// New content, or `None` to keep the content.
    pub content: Option<Content>,
    /// New style index, or `None` to keep it (new cells take the column's or row's style).
    pub style: Option<u32>,
    /// Drop the cached value of the cell's formula (its inputs changed).
    pub drop_cache: bool,
    /// Replace a shared-formula child by this plain formula (its anchor is being overwritten).
    pub expand: Option<String>,
}

/// Everything that will change in one worksheet.
#[derive(Debug, Clone, Default)]
pub struct SheetEdits {
    /// Cell changes keyed by (row, column).
    pub cells: BTreeMap<(u32, u32), Pending>,
    /// Validations to add.
    pub validations: Vec<DataValidation>,
    /// Conditional formats to add, with the index of their differential format.
    pub formats: Vec<(ConditionalFormat, usize)>,
    /// Shared-formula indexes given to new groups.
    pub new_si: Vec<u32>,
    /// The relationship id of a `<drawing>` element to add (the sheet gets its first drawing
    /// part: a chart risksheet places).
    pub drawing: Option<String>,
    /// Conditional formats drawn longer: each range of a `<conditionalFormatting>` that ends on
    /// `.0` and lies in columns `.2` gets its end row set to `.1` (rows a user appended to a table).
    pub longer_formats: Vec<(u32, u32, (u32, u32))>,
}

impl SheetEdits {
    /// Whether nothing changes.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty() && self.validations.is_empty() && self.formats.is_empty() && self.drawing.is_none() && self.longer_formats.is_empty()
    }
}

/// Renders a fresh `<c>` element.
pub fn render_cell(p: &str, at: CellRef, style: Option<u32>, content: &Content) -> String {
    let mut out = String::new();
    render_cell_into(&mut out, p, at, style, content);
    out
}

/// Renders a fresh `<c>` element at the end of `out`, piece by piece (a fill renders tens of
/// thousands of cells; the formatting machinery would cost more than the rest).
fn render_cell_into(out: &mut String, p: &str, at: CellRef, style: Option<u32>, content: &Content) {
    let mut w = XmlWriter::new(out, p);
    w.start("c").raw(" r=\"");
    at.push_to(w.out());
    w.raw("\"");
    if let Some(s) = style.filter(|&s| s != 0) {
        w.attr_u32("s", s);
    }
    let t = |v: &CellValue| match v {
        CellValue::Text(_) => " t=\"str\"",
        CellValue::Bool(_) => " t=\"b\"",
        CellValue::Error(_) => " t=\"e\"",
        CellValue::Empty | CellValue::Number(_) => "",
    };
    let v = |w: &mut XmlWriter<'_>, v: &CellValue| {
        w.start("v").open();
        match v {
            CellValue::Empty => {}
            CellValue::Number(n) if n.fract() == 0.0 && (0.0..1e9).contains(n) => {
                w.u32(*n as u32);
            }
            CellValue::Number(n) => {
                w.raw(&format_number(*n));
            }
            CellValue::Text(t) => {
                w.xstring(t);
            }
            CellValue::Error(t) => {
                w.text(t);
            }
            CellValue::Bool(b) => {
                w.raw(if *b { "1" } else { "0" });
            }
        }
        w.end("v");
    };
    match content {
        Content::Value(CellValue::Empty) => {
            w.close();
        }
        Content::Value(CellValue::Text(text)) => {
            w.attr("t", "inlineStr").open().start("is").open().start("t");
            if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
                w.attr("xml:space", "preserve");
            }
            w.open().xstring(text).end("t").end("is").end("c");
        }
        Content::Value(value) => {
            w.raw(t(value)).open();
            v(&mut w, value);
            w.end("c");
        }
        Content::Formula(_, cached) | Content::Shared(_, cached) => {
            let cached = cached.as_ref().filter(|c| **c != CellValue::Empty);
            w.raw(cached.map_or("", t)).open();
            match content {
                Content::Shared(g, _) => {
                    w.start("f").attr("t", "shared");
                    if g.range.start == at {
                        w.attr("ref", &g.range.to_string());
                    }
                    w.attr_u32("si", g.si);
                    if g.range.start == at {
                        w.open().text(&g.text).end("f");
                    } else {
                        w.close();
                    }
                }
                Content::Formula(f, _) => {
                    w.text_element("f", f);
                }
                Content::Value(_) => {}
            }
            if let Some(c) = cached {
                v(&mut w, c);
            }
            w.end("c");
        }
    }
}

/// `<name attrs…>inner</name>`: an element around XML already made.
fn wrap(p: &str, name: &str, attrs: &[(&str, u32)], inner: &str) -> String {
    let mut s = String::with_capacity(inner.len() + 64);
    let mut w = XmlWriter::new(&mut s, p);
    w.start(name);
    for &(a, n) in attrs {
        w.attr_u32(a, n);
    }
    w.open().raw(inner).end(name);
    s
}

/// Applies style/cache/expansion changes to an existing `<c>` element, keeping the rest.
fn patch_cell(p: &str, xml: &str, c: &CellXml, pend: &Pending) -> String {
    let mut tag = xml[c.start..c.tag_end].to_string();
    if !c.explicit_r {
        tag = set_attr(&tag, "r", &c.at.to_string());
    }
    if let Some(s) = pend.style {
        tag = set_attr(&tag, "s", &s.to_string());
    }
    if pend.drop_cache && c.v_span.is_some() && matches!(c.t, Some(CellType::FormulaString | CellType::Bool | CellType::Error | CellType::Number)) {
        tag = remove_attr(&tag, "t");
    }
    if c.tag_end == c.end {
        return tag;
    }
    // Inner pieces to replace, by span: the formula and the value.
    let mut cuts: Vec<(usize, usize, String)> = Vec::new();
    if let (Some(f), Some(span)) = (&pend.expand, c.f_span) {
        cuts.push((span.0, span.1, {
            let mut f_xml = String::new();
            XmlWriter::new(&mut f_xml, p).text_element("f", f);
            f_xml
        }));
    }
    if pend.drop_cache {
        if let Some(span) = c.v_span {
            cuts.push((span.0, span.1, String::new()));
        }
    }
    cuts.sort_by_key(|c| c.0);
    let mut out = tag;
    let mut pos = c.tag_end;
    for (s, e, rep) in cuts {
        out.push_str(&xml[pos..s]);
        out.push_str(&rep);
        pos = e;
    }
    out.push_str(&xml[pos..c.end]);
    out
}

/// Column styles from `<cols>`: (first, last, style).
fn column_styles(xml: &str, ix: &SheetIndex) -> Vec<(u32, u32, u32)> {
    let Some(cols) = ix.child("cols") else { return Vec::new() };
    xml::Scanner::new(&xml[cols.start..cols.end])
        .flatten()
        .filter(|t| t.local_name(&xml[cols.start..cols.end]) == "col")
        .filter_map(|t| {
            let tag = t.text(&xml[cols.start..cols.end]);
            let min = attr(tag, "min")?.parse().ok()?;
            let max = attr(tag, "max")?.parse().ok()?;
            let style = attr(tag, "style")?.parse().ok()?;
            Some((min, max, style))
        })
        .collect()
}

/// The style Excel gives a new cell: the row's when the row is formatted, else the column's.
fn default_style(col_styles: &[(u32, u32, u32)], row_tag: Option<&str>, col: u32) -> Option<u32> {
    if let Some(tag) = row_tag {
        if attr(tag, "customFormat").is_some_and(|v| v == "1" || v == "true") {
            if let Some(s) = attr(tag, "s").and_then(|s| s.parse().ok()) {
                return Some(s);
            }
        }
    }
    col_styles.iter().find(|(a, b, _)| (*a..=*b).contains(&col)).map(|c| c.2)
}

/// Renders the new text of a worksheet part.
///
/// # Errors
///
/// [`XlsxError::Xml`](crate::xlsx::XlsxError::Xml) when a row or cell of `xml` that an edit touches
/// cannot be parsed.
pub fn render_sheet(part: &str, xml: &str, ix: &SheetIndex, edits: &SheetEdits) -> Result<String> {
    let splices = plan_sheet(part, xml, ix, edits)?;
    let mut out = String::with_capacity(xml.len() + splices.iter().map(|s| s.2.len()).sum::<usize>());
    let mut pos = 0;
    for (s, e, text) in splices {
        out.push_str(&xml[pos..s]);
        out.push_str(&text);
        pos = e;
    }
    out.push_str(&xml[pos..]);
    Ok(out)
}

/// The replacements that turn a worksheet part into its edited form: (start, end, new text),
/// sorted and disjoint.
pub(crate) fn plan_sheet(part: &str, xml: &str, ix: &SheetIndex, edits: &SheetEdits) -> Result<Vec<(usize, usize, String)>> {
    let p = ix.prefix.as_str();
    let mut splices: Vec<(usize, usize, String)> = Vec::new();
    let col_styles = column_styles(xml, ix);

    // Rows: the edits are in (row, column) order, so each row's are one slice.
    let pending: Vec<(u32, &Pending)> = edits.cells.iter().map(|(&(_, c), p)| (c, p)).collect();
    let mut by_row: Vec<(u32, &[(u32, &Pending)])> = Vec::new();
    let mut start = 0;
    let rows_of: Vec<u32> = edits.cells.keys().map(|&(r, _)| r).collect();
    for i in 1..=rows_of.len() {
        if i == rows_of.len() || rows_of[i] != rows_of[start] {
            by_row.push((rows_of[start], &pending[start..i]));
            start = i;
        }
    }
    // A broken sheet may hold rows out of order or one row number twice. LibreOffice reads it,
    // a later copy of a cell winning over an earlier one, so an edit goes to the copy it shows.
    let mut copies_of: std::collections::HashMap<u32, Vec<usize>> = std::collections::HashMap::new();
    if ix.unordered {
        for (i, row) in ix.rows.iter().enumerate() {
            copies_of.entry(row.r).or_default().push(i);
        }
    }
    // The row elements to re-render: (index in rows, the edits they take, columns whose
    // copies they drop because the cell is written in a later copy of the row).
    type Job<'a, 'p> = (usize, std::borrow::Cow<'a, [(u32, &'p Pending)]>, Vec<u32>);
    let mut jobs: Vec<Job> = Vec::new();
    let sheet_data = ix.child("sheetData");
    let data_end_tag = sheet_data.map(|sd| xml[sd.start..sd.end].rfind('<').map_or(sd.end, |i| sd.start + i));
    let mut new_rows: BTreeMap<usize, String> = BTreeMap::new();
    // A row whose only change is formulas losing their cached values (a running total below an
    // edited amount) is patched cell by cell where the index found its formulas, not re-rendered.
    let formulas_in_order = !ix.unordered && ix.formula_cells.windows(2).all(|w| (w[0].0.row, w[0].0.col) < (w[1].0.row, w[1].0.col));
    let formula_start = |r: u32, c: u32| match formulas_in_order {
        true => ix.formula_cells.binary_search_by_key(&(r, c), |(at, _)| (at.row, at.col)).ok().map(|i| ix.formula_cells[i].1),
        false => None,
    };
    let mut patches: Vec<(CellRef, usize, &Pending)> = Vec::new();
    for &(r, pend) in &by_row {
        let cache_only = pend.iter().all(|(_, pd)| pd.content.is_none() && pd.style.is_none() && pd.expand.is_none());
        if cache_only {
            if let Some(starts) = pend.iter().map(|&(c, _)| formula_start(r, c)).collect::<Option<Vec<usize>>>() {
                patches.extend(pend.iter().zip(starts).map(|(&(c, pd), start)| (CellRef::new(r, c), start, pd)));
                continue;
            }
        }
        let copies = match ix.unordered {
            true => copies_of.get(&r).cloned().unwrap_or_default(),
            false => ix.row_position(r).ok().into_iter().collect(),
        };
        match copies.len() {
            0 => {
                let i = match ix.unordered {
                    true => ix.rows.iter().position(|row| row.r > r).unwrap_or(ix.rows.len()),
                    false => ix.row_position(r).err().unwrap_or(ix.rows.len()),
                };
                let at = match ix.rows.get(i) {
                    Some(next) => next.start,
                    None => data_end_tag.unwrap_or(ix.insertion_point("sheetData")),
                };
                let mut s = String::new();
                XmlWriter::new(&mut s, p).start("row").attr_u32("r", r).open();
                for (c, pd) in pend {
                    let style = pd.style.or_else(|| default_style(&col_styles, None, *c));
                    render_cell_into(&mut s, p, CellRef::new(r, *c), style, pd.content.as_ref().unwrap_or(&Content::Value(CellValue::Empty)));
                }
                XmlWriter::new(&mut s, p).end("row");
                new_rows.entry(at).or_default().push_str(&s);
            }
            1 => jobs.push((copies[0], std::borrow::Cow::Borrowed(pend), Vec::new())),
            n => {
                // Each edit goes to the last copy of the row holding its cell (the last copy when
                // none does); earlier copies of a cell being written are dropped.
                let spans = copies.iter().map(|&i| ix.row_spans(part, xml, i)).collect::<Result<Vec<_>>>()?;
                let holds = |k: usize, c: u32| spans[k].iter().any(|s| s.at.col == c);
                let mut mine: Vec<Vec<(u32, &Pending)>> = vec![Vec::new(); n];
                let mut drops: Vec<Vec<u32>> = vec![Vec::new(); n];
                for &(c, pd) in pend {
                    let owner = (0..n).rev().find(|&k| holds(k, c)).unwrap_or(n - 1);
                    mine[owner].push((c, pd));
                    if pd.content.is_some() {
                        (0..owner).filter(|&k| holds(k, c)).for_each(|k| drops[k].push(c));
                    }
                }
                for (k, (m, d)) in mine.into_iter().zip(drops).enumerate() {
                    if !m.is_empty() || !d.is_empty() {
                        jobs.push((copies[k], std::borrow::Cow::Owned(m), d));
                    }
                }
            }
        }
    }
    splices.extend(crate::xlsx::parallel::map_runs(&patches, crate::xlsx::parallel::MIN_ROWS_PER_THREAD, |run| {
        run.iter()
            .map(|&(at, start, pd)| {
                let cell = SheetIndex::cell_starting(part, xml, at, start, false)?;
                Ok((cell.start, cell.end, patch_cell(p, xml, &cell, pd)))
            })
            .collect()
    })?);
    // Rows that exist are re-rendered with their cells, on all cores when there are many.
    splices.extend(crate::xlsx::parallel::map_runs(&jobs, crate::xlsx::parallel::MIN_ROWS_PER_THREAD, |rows| {
        rows.iter()
            .map(|(i, pend, drop)| {
                let row = &ix.rows[*i];
                Ok((row.start, row.end, render_row(part, p, xml, ix, row, &ix.row_spans(part, xml, *i)?, pend, drop, &col_styles)?))
            })
            .collect()
    })?);
    for (at, rows) in new_rows {
        match sheet_data {
            Some(sd) if xml[sd.start..sd.end].ends_with("/>") => {
                splices.push((sd.start, sd.end, wrap(p, "sheetData", &[], &rows)));
            }
            Some(_) => splices.push((at, at, rows)),
            None => splices.push((at, at, wrap(p, "sheetData", &[], &rows))),
        }
    }

    // Dimension grows to cover new cells.
    if let Some(dim) = ix.child("dimension") {
        let tag = &xml[dim.start..dim.end];
        let old = attr(tag, "ref").and_then(|r| Range::parse(&r).ok());
        let mut ext = old;
        for &(r, c) in edits.cells.keys() {
            let cell = Range::new(CellRef::new(r, c), CellRef::new(r, c));
            ext = Some(ext.map_or(cell, |e| e.union(&cell)));
        }
        if ext != old {
            if let Some(e) = ext {
                splices.push((dim.start, dim.end, set_attr(tag, "ref", &e.to_string())));
            }
        }
    }

    // Existing conditional formats drawn down over appended rows: their `sqref` rewritten.
    for cf in ix.children_named("conditionalFormatting").filter(|_| !edits.longer_formats.is_empty()) {
        let whole = &xml[cf.start..cf.end];
        let tag = &whole[..whole.find('>').map_or(whole.len(), |i| i + 1)];
        let Some(Ok(ranges)) = attr(tag, "sqref").map(|v| Range::parse_list(&v)) else { continue };
        let longer: Vec<Range> = ranges
            .iter()
            .map(|r| {
                let rule = edits.longer_formats.iter().find(|(end, _, (c0, c1))| r.end.row == *end && r.start.col >= *c0 && r.end.col <= *c1);
                rule.map_or(*r, |&(_, to, _)| Range::new(r.start, CellRef::new(to.max(r.end.row), r.end.col)))
            })
            .collect();
        if longer != ranges {
            let sqref = longer.iter().map(Range::to_string).collect::<Vec<_>>().join(" ");
            splices.push((cf.start, cf.start + tag.len(), set_attr(tag, "sqref", &sqref)));
        }
    }

    // Conditional formats go after the existing ones.
    if !edits.formats.is_empty() {
        let mut priority = max_priority(xml);
        let mut s = String::new();
        for (cf, dxf) in &edits.formats {
            priority += 1;
            s += &cf.rule_xml(p, *dxf, priority);
        }
        let at = ix.children_named("conditionalFormatting").last().map_or_else(|| ix.insertion_point("conditionalFormatting"), |c| c.end);
        splices.push((at, at, s));
    }

    // Validations join the existing <dataValidations> or start one.
    if !edits.validations.is_empty() {
        let new: String = edits.validations.iter().map(|v| v.to_xml_prefixed(p)).collect();
        match ix.child("dataValidations") {
            Some(dv) => {
                let whole = &xml[dv.start..dv.end];
                let tag_end = whole.find('>').map_or(whole.len(), |i| i + 1);
                let tag = &whole[..tag_end];
                let old = attr(tag, "count").and_then(|c| c.parse::<usize>().ok()).unwrap_or(0);
                let count = (old + edits.validations.len()).to_string();
                if tag.ends_with("/>") {
                    let open = set_attr(tag, "count", &count).replacen("/>", ">", 1);
                    splices.push((dv.start, dv.end, format!("{open}{new}</{p}dataValidations>")));
                } else {
                    splices.push((dv.start, dv.start + tag_end, set_attr(tag, "count", &count)));
                    let close = dv.start + whole.rfind('<').unwrap_or(whole.len());
                    splices.push((close, close, new));
                }
            }
            None => {
                let at = ix.insertion_point("dataValidations");
                let count = u32::try_from(edits.validations.len()).unwrap_or(u32::MAX);
                splices.push((at, at, wrap(p, "dataValidations", &[("count", count)], &new)));
            }
        }
    }

    // The drawing (a chart's anchor) goes where the schema puts it, after the elements above.
    if let Some(rid) = &edits.drawing {
        if ix.child("drawing").is_none() {
            let at = ix.insertion_point("drawing");
            splices.push((at, at, drawing_element(p, xml, rid)));
        }
    }

    // Splices never overlap; insertions at one point keep their order.
    splices.sort_by_key(|s| (s.0, s.1));
    let mut pos = 0;
    for (s, e, _) in &splices {
        if *s < pos || e < s || *e > xml.len() {
            return Err(crate::error::Error::xml(part, "overlapping elements"));
        }
        pos = *e;
    }
    Ok(splices)
}

/// `<drawing r:id="…"/>`, with the prefix the root binds to the relationships namespace (the
/// namespace declared on the element when the root binds none).
fn drawing_element(p: &str, xml: &str, rid: &str) -> String {
    let root = xml::Scanner::new(xml).flatten().find(|t| t.kind == xml::TokenKind::Start || t.kind == xml::TokenKind::Empty);
    let bound = root.and_then(|t| {
        xml::attrs(t.text(xml))
            .find(|(n, v)| n.starts_with("xmlns:") && *v == crate::xlsx::chart::NS_RELATIONSHIPS)
            .map(|(n, _)| n["xmlns:".len()..].to_string())
    });
    let mut s = String::new();
    let mut w = XmlWriter::new(&mut s, p);
    w.start("drawing");
    match bound {
        Some(r) => w.attr(&format!("{r}:id"), rid),
        None => w.attr("xmlns:r", crate::xlsx::chart::NS_RELATIONSHIPS).attr("r:id", rid),
    };
    w.close();
    s
}

fn max_priority(xml: &str) -> u32 {
    let mut max = 0;
    let mut rest = xml;
    while let Some(i) = rest.find("priority=\"") {
        rest = &rest[i + 10..];
        let n: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        max = max.max(n.parse().unwrap_or(0));
    }
    max
}

#[allow(clippy::too_many_arguments)]
fn render_row(
    part: &str,
    p: &str,
    xml: &str,
    ix: &SheetIndex,
    row: &RowSpan,
    cells: &[CellSpan],
    pend: &[(u32, &Pending)],
    drop: &[u32],
    col_styles: &[(u32, u32, u32)],
) -> Result<String> {
    let mut tag = xml[row.start..row.tag_end].to_string();
    if row.tag_end == row.end {
        tag = format!("{}>", tag.trim_end_matches("/>").trim_end());
    }
    let min_col = cells.iter().map(|c| c.at.col).chain(pend.iter().map(|p| p.0)).min().unwrap_or(1);
    let max_col = cells.iter().map(|c| c.at.col).chain(pend.iter().map(|p| p.0)).max().unwrap_or(1);
    if let Some(spans) = attr(&tag, "spans") {
        let fits = spans.split_once(':').and_then(|(a, b)| Some((a.parse::<u32>().ok()?, b.parse::<u32>().ok()?)));
        if !fits.is_some_and(|(a, b)| a <= min_col && max_col <= b) {
            let (a, b) = fits.map_or((min_col, max_col), |(a, b)| (a.min(min_col), b.max(max_col)));
            tag = set_attr(&tag, "spans", &format!("{a}:{b}"));
        }
    }
    let row_tag = xml[row.start..row.tag_end].to_string();
    let mut out = tag;
    // Text between original cells (indentation in pretty-printed files) is kept.
    let mut pos = row.tag_end;
    let any_implicit = cells.iter().any(|c| !c.explicit_r);
    // A broken row may hold cells out of order or one cell twice; LibreOffice shows the last copy.
    let irregular = cells.windows(2).any(|w| w[0].at.col >= w[1].at.col);
    let stored = |col: u32| match irregular {
        true => cells.iter().any(|c| c.at.col == col),
        false => cells.binary_search_by_key(&col, |c| c.at.col).is_ok(),
    };
    let new_cell = |out: &mut String, c: u32, pd: &Pending| {
        let style = pd.style.or_else(|| default_style(col_styles, Some(&row_tag), c));
        render_cell_into(out, p, CellRef::new(row.r, c), style, pd.content.as_ref().unwrap_or(&Content::Value(CellValue::Empty)));
    };
    let mut pi = 0;
    for (i, c) in cells.iter().enumerate() {
        // New cells go before the first stored cell to their right.
        while let Some(&(col, pd)) = pend.get(pi).filter(|x| x.0 < c.at.col) {
            if !stored(col) {
                new_cell(&mut out, col, pd);
            }
            pi += 1;
        }
        out.push_str(&xml[pos..c.start]);
        pos = c.end;
        let shadowed = irregular && cells[i + 1..].iter().any(|d| d.at.col == c.at.col);
        match pend.binary_search_by_key(&c.at.col, |x| x.0).ok().map(|k| pend[k].1) {
            Some(pd) if !shadowed => match &pd.content {
                Some(content) => render_cell_into(&mut out, p, c.at, pd.style.or(c.style), content),
                None => out += &patch_cell(p, xml, &ix.cell_at(part, xml, row, c)?, pd),
            },
            // An earlier copy of a cell being written: LibreOffice never showed it, Excel calls
            // a cell stored twice corrupt; it is dropped, so that both show the new content.
            Some(pd) if pd.content.is_some() => {}
            _ if drop.contains(&c.at.col) => {}
            // Cells without `r` take their place from their order; once a cell is inserted
            // before them they must say where they are.
            _ if any_implicit && !c.explicit_r => out += &patch_cell(p, xml, &ix.cell_at(part, xml, row, c)?, &Pending::default()),
            _ => out += &xml[c.start..c.end],
        }
    }
    for &(col, pd) in &pend[pi..] {
        if !stored(col) {
            new_cell(&mut out, col, pd);
        }
    }
    if row.tag_end == row.end {
        XmlWriter::new(&mut out, p).end("row");
    } else {
        out += &xml[pos..row.end];
    }
    Ok(out)
}

#[cfg(test)]
#[path = "tests/edit.rs"]
mod tests;
