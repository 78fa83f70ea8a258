//! Charts risksheet places on a worksheet in place: the chart part, its anchor in the sheet's
//! drawing part (a new one, or the user's own, appended to), the relationships, the content
//! types and the sheet's `<drawing>` element; every other byte of the package is kept.
use super::*;
use crate::xlsx::chart::{anchor_xml, chart_xml, empty_drawing, ChartCache, ChartSpec, MAX_POINTS, MAX_SERIES, NS_DRAWING_MAIN};
use crate::xlsx::package::canonical_part_name;
use crate::xlsx::value::format_number;
use crate::xlsx::xml_writer::XmlWriter;

const REL_DRAWING: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing";
const REL_CHART: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart";
const CT_DRAWING: &str = "application/vnd.openxmlformats-officedocument.drawing+xml";
const CT_CHART: &str = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml";
const EMPTY_RELS: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"></Relationships>";

/// A chart waiting for the save: where, what, and its part's text.
#[derive(Debug, Clone)]
pub(super) struct PendingChart {
    sheet: usize,
    spec: ChartSpec,
    xml: String,
}

/// The path of `to` relative to the directory `from_dir` (`xl/worksheets/` → `../drawings/drawing1.xml`).
fn relative(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let target: Vec<&str> = to.split('/').collect();
    let common = from.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&target[common..]);
    out.join("/")
}

/// A relationship id not among `taken` (`rId1`, `rId2` …).
fn free_rid(taken: &[(String, String, String, bool)]) -> String {
    (1..).map(|n| format!("rId{n}")).find(|id| !taken.iter().any(|r| &r.0 == id)).unwrap_or_default()
}

/// `<Relationship>` appended to a rels part's text.
fn add_rel(part: &str, rels: &mut String, id: &str, kind: &str, target: &str) -> Result<()> {
    let mut rel = String::new();
    XmlWriter::new(&mut rel, "").start("Relationship").attr("Id", id).attr("Type", kind).attr("Target", target).close();
    let close = rels.rfind("</").ok_or_else(|| Error::xml(part, "no end tag"))?;
    rels.insert_str(close, &rel);
    Ok(())
}

/// An `<Override>` for a new part appended to the content types, unless the part has one.
fn add_override(part: &str, ct: &mut String, name: &str, kind: &str) -> Result<()> {
    let want = canonical_part_name(name);
    let listed = Scanner::new(ct)
        .flatten()
        .filter(|t| t.local_name(ct) == "Override")
        .any(|t| attr(t.text(ct), "PartName").is_some_and(|p| canonical_part_name(&p) == want));
    if listed {
        return Ok(());
    }
    let mut ov = String::new();
    XmlWriter::new(&mut ov, "").start("Override").attr("PartName", &format!("/{name}")).attr("ContentType", kind).close();
    let close = ct.rfind("</").ok_or_else(|| Error::xml(part, "no end tag"))?;
    ct.insert_str(close, &ov);
    Ok(())
}

/// An anchor of a drawing part: where it is, its shape's name, and its chart's relationship id.
struct Anchor {
    start: usize,
    end: usize,
    name: Option<String>,
    chart_rid: Option<String>,
}

/// The anchors (children of the root) of a drawing part, and the largest shape id in it.
fn anchors(part: &str, xml: &str) -> Result<(Vec<Anchor>, u32)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut max_id = 0u32;
    let mut open: Option<Anchor> = None;
    for t in Scanner::new(xml) {
        let t = t.map_err(|m| Error::xml(part, m))?;
        let tag = t.text(xml);
        if matches!(t.kind, TokenKind::Start | TokenKind::Empty) {
            let local = t.local_name(xml);
            if local == "cNvPr" {
                if let Some(id) = attr(tag, "id").and_then(|v| v.trim().parse::<u32>().ok()) {
                    max_id = max_id.max(id);
                }
            }
            if let Some(a) = open.as_mut() {
                if local == "cNvPr" && a.name.is_none() {
                    a.name = attr(tag, "name").map(|v| xml::unescape(&v).into_owned());
                }
                if local == "chart" && a.chart_rid.is_none() {
                    a.chart_rid = attr(tag, "id").map(|v| v.into_owned());
                }
            }
        }
        match t.kind {
            TokenKind::Start => {
                if depth == 1 {
                    open = Some(Anchor { start: t.start, end: t.end, name: None, chart_rid: None });
                }
                depth += 1;
            }
            TokenKind::Empty if depth == 1 => out.push(Anchor { start: t.start, end: t.end, name: None, chart_rid: None }),
            TokenKind::End => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    if let Some(mut a) = open.take() {
                        a.end = t.end;
                        out.push(a);
                    }
                }
            }
            _ => {}
        }
    }
    Ok((out, max_id))
}

impl Workbook {
    /// Places a native chart on a worksheet, in place, written when the workbook is saved: the
    /// chart part (`xl/charts/chartN.xml`) with the values of its cells cached (read now, pending
    /// edits included, so stage the cells first), its anchor in the sheet's drawing part (the
    /// user's own drawing is appended to, never changed otherwise; a sheet without one gets
    /// `xl/drawings/drawingN.xml` and a `<drawing>` element), the relationships and the content
    /// types. A chart of the same [`ChartSpec::name`] already on the sheet (an earlier run's) is
    /// replaced where it is, so that adding it again with the same values changes no byte.
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`] for a sheet the workbook does not have (the chart's or a
    /// data range's); [`ErrorKind::Usage`] for a chart sheet, an empty name, a data range that
    /// is not one row or one column, series of another length than the categories, more than
    /// [`MAX_POINTS`] points or [`MAX_SERIES`] series, no series; [`XlsxError::Xml`] when the
    /// sheet's XML cannot be read.
    ///
    /// ```no_run
    /// use risksheet::xlsx::chart::{ChartKind, ChartSeries, ChartSpec, DataRef};
    /// use risksheet::xlsx::{Range, SheetCell, Workbook};
    /// let mut wb = Workbook::open("summary.xlsx")?;
    /// let mut spec = ChartSpec::new(ChartKind::Column, "risksheet:demo", "件数", DataRef::new("集計", Range::parse("A4:A7")?), Range::parse("E3:L18")?);
    /// spec.series.push(ChartSeries { name: Some(SheetCell::parse("集計!B3")?), values: DataRef::new("集計", Range::parse("B4:B7")?), colour: None });
    /// wb.add_chart("集計", spec)?;
    /// wb.save()?;
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn add_chart(&mut self, sheet: &str, spec: ChartSpec) -> Result<()> {
        let si = self.sheet_index(sheet)?;
        let name = self.sheets[si].name.clone();
        self.worksheet(si)?;
        let refuse = |en: String, ja: String| Err(Error::usage(Message::new(ja, en)).in_sheet(&name).in_file(&self.path));
        if spec.name.trim().is_empty() {
            return refuse("a chart needs a name".into(), "グラフに名前がありません".into());
        }
        let n = spec.categories.len();
        if n == 0 || n > MAX_POINTS {
            let r = spec.categories.range;
            return refuse(
                format!("chart {}: categories {r} must be one row or one column of 1 to {MAX_POINTS} cells", spec.name),
                format!("グラフ {}: 項目の範囲 {r} は1行または1列、{MAX_POINTS}セル以内にしてください", spec.name),
            );
        }
        if spec.series.is_empty() || spec.series.len() > MAX_SERIES {
            return refuse(
                format!("chart {}: give 1 to {MAX_SERIES} series", spec.name),
                format!("グラフ {}: 系列は1〜{MAX_SERIES}個にしてください", spec.name),
            );
        }
        if let Some(s) = spec.series.iter().find(|s| s.values.len() != n) {
            let r = s.values.range;
            return refuse(
                format!("chart {}: values {r} must be one row or one column of {n} cells, as the categories", spec.name),
                format!("グラフ {}: 値の範囲 {r} は項目と同じ{n}セルの1行または1列にしてください", spec.name),
            );
        }
        if let Some(c) = spec.series.iter().filter_map(|s| s.colour.as_deref()).find(|c| !crate::xlsx::chart::is_colour(c)) {
            return refuse(
                format!("chart {}: colour {c:?} is not RRGGBB hex", spec.name),
                format!("グラフ {}: 色 {c:?} は RRGGBB の16進で指定してください", spec.name),
            );
        }
        let (a, b) = (spec.anchor.start, spec.anchor.end);
        if b.row < a.row || b.col < a.col {
            return refuse(
                format!("chart {}: anchor {} is reversed", spec.name, spec.anchor),
                format!("グラフ {}: 位置 {} の範囲が逆です", spec.name, spec.anchor),
            );
        }
        let mut cache = ChartCache::default();
        let text = |v: CellValue| match v {
            CellValue::Text(t) => t,
            CellValue::Number(x) => format_number(x),
            CellValue::Bool(b) => (if b { "TRUE" } else { "FALSE" }).to_string(),
            CellValue::Error(e) => e,
            CellValue::Empty => String::new(),
        };
        for at in spec.categories.cells() {
            cache.categories.push(text(self.value(&spec.categories.sheet, at)?));
        }
        for s in &spec.series {
            let label = match &s.name {
                Some(c) => text(self.value(&c.sheet, c.cell)?),
                None => String::new(),
            };
            let mut values = Vec::with_capacity(n as usize);
            for at in s.values.cells() {
                values.push(match self.value(&s.values.sheet, at)? {
                    CellValue::Number(x) => Some(x),
                    _ => None,
                });
            }
            cache.series.push((label, values));
        }
        let xml = chart_xml(&spec, &cache);
        // The sheet's first drawing gets its `<drawing>` element and relationship id now, so
        // that the sheet's splices are planned with the others.
        let has_drawing = self.loaded[si].as_ref().is_some_and(|l| l.index.child("drawing").is_some());
        if !has_drawing && self.edits[si].drawing.is_none() {
            let rels_part = rels_of(&self.sheets[si].part);
            let taken = match self.pkg.find(&rels_part).map(str::to_string) {
                Some(p) => parse_rels(&p, &self.pkg.read_text(&p)?).map_err(|e| e.in_sheet(&name).in_file(&self.path))?,
                None => Vec::new(),
            };
            self.edits[si].drawing = Some(free_rid(&taken));
        }
        self.charts.retain(|c| !(c.sheet == si && c.spec.name == spec.name));
        self.charts.push(PendingChart { sheet: si, spec, xml });
        Ok(())
    }

    /// A part name `{dir}{stem}N.xml` that is neither in the package nor among the changes.
    fn free_part(&self, changes: &PartChanges, dir: &str, stem: &str) -> String {
        let taken: std::collections::HashSet<String> = changes.replaced.keys().map(|k| canonical_part_name(k)).collect();
        (1..).map(|n| format!("{dir}{stem}{n}.xml")).find(|p| !self.pkg.has(p) && !taken.contains(&canonical_part_name(p))).unwrap_or_default()
    }

    /// A part's text as the changes so far leave it, or `fresh` when it does not exist.
    fn text_or(&mut self, changes: &PartChanges, part: &str, fresh: &str) -> Result<String> {
        match changes.replaced.contains_key(part) || self.pkg.has(part) {
            true => self.current_text(changes, part),
            false => Ok(fresh.to_string()),
        }
    }

    /// Writes the pending charts into `changes` (after the sheets' own changes).
    pub(super) fn write_charts(&mut self, changes: &mut PartChanges) -> Result<()> {
        if self.charts.is_empty() {
            return Ok(());
        }
        let wb_dir = part_dir(&self.workbook_part).to_string();
        let ct_part = self.content_types_part();
        let mut ct = self.current_text(changes, &ct_part)?;
        let mut sheets: Vec<usize> = self.charts.iter().map(|c| c.sheet).collect();
        sheets.sort_unstable();
        sheets.dedup();
        for si in sheets {
            let name = self.sheets[si].name.clone();
            let path = self.path.clone();
            let ctx = |e: Error| e.in_sheet(&name).in_file(&path);
            self.write_sheet_charts(changes, si, &wb_dir, &ct_part, &mut ct).map_err(ctx)?;
        }
        changes.replace(&ct_part, ct.into_bytes());
        Ok(())
    }

    fn write_sheet_charts(&mut self, changes: &mut PartChanges, si: usize, wb_dir: &str, ct_part: &str, ct: &mut String) -> Result<()> {
        let sheet_part = self.sheets[si].part.clone();
        let sheet_dir = part_dir(&sheet_part).to_string();
        let sheet_rels_part = self.pkg.find(&rels_of(&sheet_part)).map_or_else(|| rels_of(&sheet_part), str::to_string);
        // The drawing part: the sheet's own, or a new one.
        let existing_rid = {
            let l = self.worksheet(si)?;
            l.index.child("drawing").map(|c| l.xml[c.start..c.end].to_string()).and_then(|tag| attr(&tag, "id").map(|v| v.into_owned()))
        };
        let drawing_part = match existing_rid {
            Some(rid) => {
                let rels = self.text_or(changes, &sheet_rels_part, EMPTY_RELS)?;
                let rel = parse_rels(&sheet_rels_part, &rels)?.into_iter().find(|r| r.0 == rid && !r.3);
                let part = rel.map(|r| resolve_target(&sheet_dir, &r.2)).filter(|p| self.pkg.has(p));
                part.ok_or_else(|| {
                    Error::corrupt(Message::new(format!("シートの図形パーツ（{rid}）が見つかりません"), format!("the sheet's drawing part ({rid}) is missing")))
                })?
            }
            None => {
                let rid = self.edits[si].drawing.clone().ok_or_else(|| Error::corrupt("chart without a drawing relationship"))?;
                let part = self.free_part(changes, &format!("{wb_dir}drawings/"), "drawing");
                let mut rels = self.text_or(changes, &sheet_rels_part, EMPTY_RELS)?;
                add_rel(&sheet_rels_part, &mut rels, &rid, REL_DRAWING, &relative(&sheet_dir, &part))?;
                changes.replace(&sheet_rels_part, rels.into_bytes());
                add_override(ct_part, ct, &part, CT_DRAWING)?;
                changes.replace(&part, empty_drawing().into_bytes());
                part
            }
        };
        let drawing_part = self.pkg.find(&drawing_part).map_or(drawing_part.clone(), str::to_string);
        let drawing_dir = part_dir(&drawing_part).to_string();
        let drawing_rels_part = self.pkg.find(&rels_of(&drawing_part)).map_or_else(|| rels_of(&drawing_part), str::to_string);
        let mut drawing = self.current_text(changes, &drawing_part)?;
        let mut rels = self.text_or(changes, &drawing_rels_part, EMPTY_RELS)?;
        let charts: Vec<PendingChart> = self.charts.iter().filter(|c| c.sheet == si).cloned().collect();
        for chart in charts {
            let (found, max_id) = anchors(&drawing_part, &drawing)?;
            let parsed = parse_rels(&drawing_rels_part, &rels)?;
            // The root's prefix for the spreadsheet drawing namespace, and whether it binds `a:`.
            let root = Scanner::new(&drawing)
                .flatten()
                .find(|t| t.kind == TokenKind::Start || t.kind == TokenKind::Empty)
                .ok_or_else(|| Error::xml(&drawing_part, "no root element"))?;
            let prefix = root.prefix(&drawing).to_string();
            let binds_a = xml::attrs(root.text(&drawing)).any(|(n, v)| n == "xmlns:a" && v == NS_DRAWING_MAIN);
            // The anchor of that name whose chart is there (an earlier run's); a shape of that name
            // whose chart cannot be found is left as it is.
            let chart_of = |rid: &str| parsed.iter().find(|r| r.0 == rid && !r.3).map(|r| resolve_target(&drawing_dir, &r.2));
            let mine = found.iter().filter(|a| a.name.as_deref() == Some(chart.spec.name.as_str())).find_map(|a| {
                let rid = a.chart_rid.clone()?;
                let part = chart_of(&rid).filter(|p| self.pkg.has(p))?;
                Some((a, part, rid))
            });
            match mine {
                Some((a, chart_part, rid)) => {
                    let id = Scanner::new(&drawing[a.start..a.end])
                        .flatten()
                        .find(|t| t.local_name(&drawing[a.start..a.end]) == "cNvPr")
                        .and_then(|t| attr(t.text(&drawing[a.start..a.end]), "id").and_then(|v| v.trim().parse().ok()))
                        .unwrap_or(max_id + 1);
                    let (start, end) = (a.start, a.end);
                    drawing.replace_range(start..end, &anchor_xml(&prefix, !binds_a, &chart.spec, id, &rid));
                    let stored = self.pkg.find(&chart_part).map_or(chart_part.clone(), str::to_string);
                    changes.replace(&stored, chart.xml.into_bytes());
                }
                None => {
                    let chart_part = self.free_part(changes, &format!("{wb_dir}charts/"), "chart");
                    let rid = free_rid(&parsed);
                    add_rel(&drawing_rels_part, &mut rels, &rid, REL_CHART, &relative(&drawing_dir, &chart_part))?;
                    add_override(ct_part, ct, &chart_part, CT_CHART)?;
                    let close = drawing.rfind("</").ok_or_else(|| Error::xml(&drawing_part, "no end tag"))?;
                    drawing.insert_str(close, &anchor_xml(&prefix, !binds_a, &chart.spec, max_id + 1, &rid));
                    changes.replace(&chart_part, chart.xml.into_bytes());
                }
            }
        }
        changes.replace(&drawing_part, drawing.into_bytes());
        changes.replace(&drawing_rels_part, rels.into_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::relative;

    #[test]
    fn relative_targets() {
        assert_eq!(relative("xl/worksheets/", "xl/drawings/drawing1.xml"), "../drawings/drawing1.xml");
        assert_eq!(relative("xl/drawings/", "xl/charts/chart2.xml"), "../charts/chart2.xml");
        assert_eq!(relative("", "xl/charts/chart2.xml"), "xl/charts/chart2.xml");
    }
}
