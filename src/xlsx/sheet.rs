//! A worksheet part as text plus an index of where things are in it: the top-level elements,
//! every row's span, and the anchors of shared and array formulas. Cells are parsed from a row's
//! span when asked for, so a 100,000-row sheet costs one pass and a few bytes a row.
use crate::error::{Error, Result};
use crate::xlsx::address::{CellRef, Range};
use crate::xlsx::xml::{self, attr, Scanner, TokenKind};
use std::collections::HashMap;

/// The order of a worksheet's child elements in the schema (CT_Worksheet); new elements are
/// inserted where this order puts them.
pub const WORKSHEET_ORDER: &[&str] = &[
    "sheetPr",
    "dimension",
    "sheetViews",
    "sheetFormatPr",
    "cols",
    "sheetData",
    "sheetCalcPr",
    "sheetProtection",
    "protectedRanges",
    "scenarios",
    "autoFilter",
    "sortState",
    "dataConsolidate",
    "customSheetViews",
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
];

/// A top-level element of the worksheet and its span.
#[derive(Debug, Clone)]
pub struct Child {
    /// Local name.
    pub name: String,
    /// Start of its start tag.
    pub start: usize,
    /// End of its end tag.
    pub end: usize,
}

/// A `<row>` element's span.
#[derive(Debug, Clone, Copy)]
pub struct RowSpan {
    /// Row number.
    pub r: u32,
    /// Start of `<row`.
    pub start: usize,
    /// End of the start tag (equal to `end` for `<row/>`).
    pub tag_end: usize,
    /// End of `</row>`.
    pub end: usize,
}

/// How a formula is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormulaKind {
    /// A formula of its own.
    Normal,
    /// Part of a shared formula group (`t="shared"`).
    Shared,
    /// An array formula anchor (`t="array"`).
    Array,
    /// A what-if data table (`t="dataTable"`).
    DataTable,
}

/// A formula as stored in a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormulaXml {
    /// Storage kind.
    pub kind: FormulaKind,
    /// Formula text without `=`, unescaped; empty for a shared-formula child.
    pub text: String,
    /// Shared group index.
    pub si: Option<u32>,
    /// Range of a shared or array anchor.
    pub range: Option<String>,
}

/// A `<c>` element as stored.
#[derive(Debug, Clone)]
pub struct CellXml {
    /// Position.
    pub at: CellRef,
    /// Span of the whole element.
    pub start: usize,
    /// End of the whole element.
    pub end: usize,
    /// End of the start tag.
    pub tag_end: usize,
    /// Whether the element carries `r`.
    pub explicit_r: bool,
    /// Style index (`s`).
    pub style: Option<u32>,
    /// Type (`t`).
    pub t: Option<CellType>,
    /// Formula.
    pub formula: Option<FormulaXml>,
    /// Span of `<f>…</f>`.
    pub f_span: Option<(usize, usize)>,
    /// Span of `<v>…</v>`.
    pub v_span: Option<(usize, usize)>,
    /// Span of the text inside `<v>` (read with [`CellXml::v`]: most cells are numbers, parsed
    /// from the part's text without a copy).
    pub v_text: Option<(usize, usize)>,
    /// Text of an inline string (`<is>`), phonetic runs left out.
    pub inline: Option<String>,
}

impl CellXml {
    /// The text of `<v>`, unescaped.
    pub fn v<'a>(&self, xml: &'a str) -> Option<std::borrow::Cow<'a, str>> {
        self.v_text.map(|(s, e)| text_of(&xml[s..e], TokenKind::Text))
    }
}

/// A cell's type (`t`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellType {
    /// `s`: an index into the shared strings.
    SharedString,
    /// `inlineStr`: the text is in `<is>`.
    InlineString,
    /// `str`: the text result of a formula.
    FormulaString,
    /// `b`.
    Bool,
    /// `e`: an error such as `#N/A`.
    Error,
    /// `n`, written out.
    Number,
    /// `d`: an ISO 8601 date.
    Date,
    /// Anything else (read as a number when it parses as one).
    Other,
}

impl CellType {
    fn parse(t: &str) -> CellType {
        match t {
            "s" => CellType::SharedString,
            "inlineStr" => CellType::InlineString,
            "str" => CellType::FormulaString,
            "b" => CellType::Bool,
            "e" => CellType::Error,
            "n" => CellType::Number,
            "d" => CellType::Date,
            _ => CellType::Other,
        }
    }
}

/// A shared formula's anchor.
#[derive(Debug, Clone)]
pub struct SharedAnchor {
    /// The anchor cell.
    pub at: CellRef,
    /// Its formula text.
    pub text: String,
    /// The group's range.
    pub range: Option<Range>,
}

/// Where a stored cell is: enough to splice around it.
#[derive(Debug, Clone, Copy)]
pub struct CellSpan {
    /// Position.
    pub at: CellRef,
    /// Start of `<c`.
    pub start: usize,
    /// End of the element.
    pub end: usize,
    /// Style index (`s`).
    pub style: Option<u32>,
    /// Whether the element carries `r`.
    pub explicit_r: bool,
}

impl From<&CellXml> for CellSpan {
    fn from(c: &CellXml) -> CellSpan {
        CellSpan { at: c.at, start: c.start, end: c.end, style: c.style, explicit_r: c.explicit_r }
    }
}

/// The cells of every row, kept from a full read of a sheet so that rewriting its rows (a fill
/// rewrites every row of a ledger) does not parse them a second time.
#[derive(Debug, Clone, Default)]
pub struct CellLayout {
    /// The cells of `rows[i]` are `cells[starts[i]..starts[i + 1]]`.
    pub starts: Vec<usize>,
    /// Every cell, row by row.
    pub cells: Vec<CellSpan>,
}

/// Where things are in a worksheet part.
#[derive(Debug, Clone, Default)]
pub struct SheetIndex {
    /// Namespace prefix of the main namespace (`x:` in some generators' files, usually empty).
    pub prefix: String,
    /// Start of `</worksheet>`.
    pub root_end: usize,
    /// Top-level elements in order.
    pub children: Vec<Child>,
    /// Rows in order.
    pub rows: Vec<RowSpan>,
    /// Array formula ranges.
    pub arrays: Vec<Range>,
    /// Shared formula anchors by `si`.
    pub shared: HashMap<u32, SharedAnchor>,
    /// Number of cells.
    pub cells: usize,
    /// Number of formula cells.
    pub formulas: usize,
    /// Where every formula cell is: its place and the start of its `<c>`, in file order.
    pub formula_cells: Vec<(CellRef, usize)>,
    /// The largest shared-formula index (`si`) in the sheet.
    pub max_si: Option<u32>,
    /// The cells of every row, when a full read has recorded them.
    pub layout: Option<CellLayout>,
    /// Whether rows are out of order or a row number is repeated (a broken file; LibreOffice
    /// reads it anyway, a later copy of a cell winning).
    pub unordered: bool,
}

impl SheetIndex {
    /// Indexes a worksheet part. `part` names it in errors. A large part's rows are indexed in
    /// runs on all cores.
    ///
    /// # Errors
    ///
    /// [`XlsxError::Xml`](crate::xlsx::XlsxError::Xml) naming `part` when `xml` is not a worksheet
    /// (no `<worksheet>` root, a broken tag, a part that ends early).
    pub fn scan(part: &str, xml: &str) -> Result<SheetIndex> {
        let mut ix = Self::scan_in_runs(xml).unwrap_or_else(|| Self::scan_inner(xml)).map_err(|m| Error::xml(part, m))?;
        ix.unordered = ix.rows.windows(2).any(|w| w[0].r >= w[1].r);
        Ok(ix)
    }

    fn scan_inner(xml: &str) -> std::result::Result<SheetIndex, String> {
        let mut scan = Scan::default();
        match scan.run(xml, 0, xml.len(), false)? {
            Stop::Done => Ok(scan.ix),
            _ => Err(if scan.root_seen { "the part ends before </worksheet>".into() } else { "no <worksheet> element".into() }),
        }
    }

    /// Indexes the rows of a large `<sheetData>` in runs, one per core, split where a `<row`
    /// starts. `None` when the part is small or a run does not end cleanly on a row boundary
    /// (a split inside CDATA, a comment, rows without numbers): the caller scans in one run,
    /// which also gives the precise error for a broken part.
    fn scan_in_runs(xml: &str) -> Option<std::result::Result<SheetIndex, String>> {
        const MIN_BYTES_PER_RUN: usize = 2 << 20;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let runs = cores.min(xml.len() / MIN_BYTES_PER_RUN);
        if runs < 2 {
            return None;
        }
        let mut head = Scan::default();
        let Ok(Stop::SheetData(data_start)) = head.run(xml, 0, xml.len(), true) else { return None };
        let row_tag = format!("<{}row", head.ix.prefix);
        let mut bounds = vec![data_start];
        for k in 1..runs {
            let target = data_start + (xml.len() - data_start) * k / runs;
            let at = (target..xml.len().saturating_sub(row_tag.len())).find(|&i| {
                xml.as_bytes()[i] == b'<'
                    && xml[i..].starts_with(&row_tag)
                    && matches!(xml.as_bytes().get(i + row_tag.len()), Some(b' ' | b'\t' | b'\r' | b'\n' | b'>' | b'/'))
            })?;
            if at > *bounds.last()? {
                bounds.push(at);
            }
        }
        bounds.push(xml.len());
        let spans: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
        let last = spans.len() - 1;
        let scanned = crate::xlsx::parallel::map_runs(&spans, 1, |mine| {
            Ok(mine
                .iter()
                .map(|&(from, to)| {
                    let mut s = head.continued();
                    let stop = s.run(xml, from, to, false);
                    (s, stop)
                })
                .collect())
        })
        .ok()?;
        let mut ix = std::mem::take(&mut head.ix);
        for (k, (s, stop)) in scanned.into_iter().enumerate() {
            let clean = match stop {
                // Between two rows inside <sheetData>, having met nothing else.
                Ok(Stop::Limit) => k < last && s.row.is_none() && s.depth == 2 && s.in_sheet_data && s.ix.children.is_empty(),
                Ok(Stop::Done) => k == last,
                _ => false,
            };
            if !clean || (k > 0 && s.first_row_implicit) {
                return None;
            }
            ix.rows.extend(s.ix.rows);
            ix.arrays.extend(s.ix.arrays);
            ix.shared.extend(s.ix.shared);
            ix.cells += s.ix.cells;
            ix.formulas += s.ix.formulas;
            ix.formula_cells.extend(s.ix.formula_cells);
            ix.max_si = ix.max_si.max(s.ix.max_si);
            if k == last {
                ix.children.extend(s.ix.children);
                ix.root_end = s.ix.root_end;
            }
        }
        Some(Ok(ix))
    }

    /// The first top-level element with this local name.
    pub fn child(&self, name: &str) -> Option<&Child> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All top-level elements with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Child> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Where a new top-level element `name` goes: before the first existing element that the
    /// schema puts after it, else before `</worksheet>`.
    pub fn insertion_point(&self, name: &str) -> usize {
        let rank = |n: &str| WORKSHEET_ORDER.iter().position(|x| *x == n);
        let Some(mine) = rank(name) else { return self.root_end };
        self.children.iter().find(|c| rank(&c.name).is_some_and(|r| r > mine)).map_or(self.root_end, |c| c.start)
    }

    /// Index in `rows` of row `r`, or where it would be inserted (in a sheet whose rows are in
    /// order; see [`SheetIndex::row_copies`] for one that is not).
    pub(crate) fn row_position(&self, r: u32) -> std::result::Result<usize, usize> {
        self.rows.binary_search_by_key(&r, |row| row.r)
    }

    /// The indexes in `rows` of every `<row>` numbered `r`, in file order: one at most, unless
    /// the sheet is [`unordered`](SheetIndex::unordered).
    pub fn row_copies(&self, r: u32) -> Vec<usize> {
        match self.unordered {
            false => self.row_position(r).ok().into_iter().collect(),
            true => (0..self.rows.len()).filter(|&i| self.rows[i].r == r).collect(),
        }
    }

    /// The cells of one row.
    ///
    /// # Errors
    ///
    /// [`XlsxError::Xml`](crate::xlsx::XlsxError::Xml) naming `part` when a cell of the row cannot
    /// be parsed.
    pub fn row_cells(&self, part: &str, xml: &str, row: &RowSpan) -> Result<Vec<CellXml>> {
        self.row_cells_with(part, xml, row, true)
    }

    /// The cells of one row as places to splice at: positions, spans, styles and types, without
    /// copying any text out (`inline` is `None`, formula texts are empty).
    pub(crate) fn row_layout(&self, part: &str, xml: &str, row: &RowSpan) -> Result<Vec<CellXml>> {
        self.row_cells_with(part, xml, row, false)
    }

    /// Where the cells of `rows[i]` are: from the recorded layout when there is one, else parsed.
    pub(crate) fn row_spans(&self, part: &str, xml: &str, i: usize) -> Result<std::borrow::Cow<'_, [CellSpan]>> {
        if let Some(l) = &self.layout {
            return Ok(std::borrow::Cow::Borrowed(&l.cells[l.starts[i]..l.starts[i + 1]]));
        }
        Ok(std::borrow::Cow::Owned(self.row_layout(part, xml, &self.rows[i])?.iter().map(CellSpan::from).collect()))
    }

    /// The cell at a span, parsed without copying text out.
    pub(crate) fn cell_at(&self, part: &str, xml: &str, row: &RowSpan, span: &CellSpan) -> Result<CellXml> {
        Self::cell_starting(part, xml, CellRef::new(row.r, span.at.col), span.start, false)
    }

    /// The cell `at` whose `<c` starts at `start` (one of [`SheetIndex::formula_cells`]);
    /// with `texts`, its formula and inline string are copied out.
    pub(crate) fn cell_starting(part: &str, xml: &str, at: CellRef, start: usize, texts: bool) -> Result<CellXml> {
        let mut sc = Scanner::at(xml, start);
        let t = match sc.next() {
            Some(t) => t.map_err(|m| Error::xml(part, m))?,
            None => return Err(Error::xml(part, "cell missing")),
        };
        parse_cell(xml, &mut sc, t, at.row, at.col.saturating_sub(1), texts).map_err(|m| Error::xml(part, m))
    }

    fn row_cells_with(&self, part: &str, xml: &str, row: &RowSpan, texts: bool) -> Result<Vec<CellXml>> {
        let mut out = Vec::new();
        if row.tag_end == row.end {
            return Ok(out);
        }
        let mut sc = Scanner::at(xml, row.tag_end);
        let mut last_col = 0;
        while sc.position() < row.end {
            let t = match sc.next() {
                Some(t) => t.map_err(|m| Error::xml(part, m))?,
                None => break,
            };
            if matches!(t.kind, TokenKind::Start | TokenKind::Empty) && t.local_name(xml) == "c" {
                let c = parse_cell(xml, &mut sc, t, row.r, last_col, texts).map_err(|m| Error::xml(part, m))?;
                last_col = c.at.col;
                out.push(c);
            }
        }
        Ok(out)
    }

    /// The range in `<dimension ref>`, if any.
    pub fn dimension(&self, xml: &str) -> Option<String> {
        let c = self.child("dimension")?;
        attr(&xml[c.start..c.end], "ref").map(|s| s.into_owned())
    }
}

/// Why a scan run stopped.
enum Stop {
    /// At `</worksheet>`.
    Done,
    /// At the end of its byte range, between two tokens.
    Limit,
    /// After the `<sheetData>` start tag (its end offset), when asked to.
    SheetData(usize),
}

/// The state of a scan, so that a large `<sheetData>` can be scanned in runs.
#[derive(Default)]
struct Scan {
    ix: SheetIndex,
    depth: usize,
    child_start: Option<(String, usize)>,
    in_sheet_data: bool,
    row: Option<RowSpan>,
    last_row: u32,
    last_col: u32,
    root_seen: bool,
    /// The run has not met a row yet.
    before_first_row: bool,
    /// The run's first row has no `r`: its number depends on the rows before the run.
    first_row_implicit: bool,
}

impl Scan {
    /// The state for a run that starts inside `<sheetData>`, between rows.
    fn continued(&self) -> Scan {
        Scan {
            ix: SheetIndex { prefix: self.ix.prefix.clone(), ..Default::default() },
            depth: self.depth,
            child_start: self.child_start.clone(),
            in_sheet_data: true,
            root_seen: true,
            before_first_row: true,
            ..Default::default()
        }
    }

    /// Scans tokens from `from` until `</worksheet>`, or `limit` (a token crossing it is an
    /// error), or, with `to_sheet_data`, the end of the `<sheetData>` start tag.
    fn run(&mut self, xml: &str, from: usize, limit: usize, to_sheet_data: bool) -> std::result::Result<Stop, String> {
        let ix = &mut self.ix;
        let mut sc = Scanner::at(xml, from);
        while sc.position() < limit {
            let Some(tok) = sc.next() else { break };
            let t = tok?;
            if t.end > limit {
                return Err("a token crosses the end of the run".into());
            }
            match t.kind {
                TokenKind::Start | TokenKind::Empty => {
                    let name = t.local_name(xml);
                    if self.depth == 0 {
                        if name != "worksheet" && name != "chartsheet" && name != "dialogsheet" && name != "macrosheet" {
                            return Err(format!("root element is <{name}>, not <worksheet>"));
                        }
                        ix.prefix = t.prefix(xml).to_string();
                        self.root_seen = true;
                    } else if self.depth == 1 {
                        self.child_start = Some((name.to_string(), t.start));
                        self.in_sheet_data = name == "sheetData" && t.kind == TokenKind::Start;
                        if self.in_sheet_data && to_sheet_data {
                            self.depth += 1;
                            return Ok(Stop::SheetData(t.end));
                        }
                    } else if self.depth == 2 && self.in_sheet_data && name == "row" {
                        let r = match attr(t.text(xml), "r") {
                            Some(v) => {
                                v.parse().ok().filter(|r| (1..=crate::xlsx::address::MAX_ROW).contains(r)).ok_or_else(|| format!("bad row number {v:?}"))?
                            }
                            None => {
                                self.first_row_implicit |= self.before_first_row;
                                self.last_row + 1
                            }
                        };
                        self.before_first_row = false;
                        self.last_row = r;
                        self.last_col = 0;
                        let span = RowSpan { r, start: t.start, tag_end: t.end, end: t.end };
                        if t.kind == TokenKind::Empty {
                            ix.rows.push(span);
                        } else {
                            self.row = Some(span);
                        }
                    } else if self.depth == 3 && self.row.is_some() && name == "c" {
                        ix.cells += 1;
                        // Most cells hold a value: the index only needs where they are, so their
                        // content is skipped and only formula cells are parsed.
                        let at = match xml::attrs(t.text(xml)).find(|(n, _)| xml::local(n) == "r") {
                            Some((_, r)) => CellRef::parse(r).map_err(|_| format!("bad cell reference {r:?}"))?,
                            None => CellRef::new(self.last_row, self.last_col + 1),
                        };
                        let formula = t.kind == TokenKind::Start && skip_cell(xml, &mut sc)?;
                        let prev_col = self.last_col;
                        self.last_col = at.col;
                        if !formula {
                            continue;
                        }
                        let c = parse_cell(xml, &mut Scanner::at(xml, t.end), t, self.last_row, prev_col, true)?;
                        if let Some(f) = &c.formula {
                            ix.formulas += 1;
                            ix.formula_cells.push((c.at, t.start));
                            if f.kind == FormulaKind::Shared {
                                ix.max_si = ix.max_si.max(f.si);
                            }
                            let range = f.range.as_deref().and_then(|r| Range::parse(r).ok());
                            match f.kind {
                                FormulaKind::Array | FormulaKind::DataTable => {
                                    ix.arrays.push(range.unwrap_or(Range::new(c.at, c.at)));
                                }
                                FormulaKind::Shared if !f.text.is_empty() => {
                                    if let Some(si) = f.si {
                                        ix.shared.insert(si, SharedAnchor { at: c.at, text: f.text.clone(), range });
                                    }
                                }
                                _ => {}
                            }
                        }
                        continue; // the cell's tokens were consumed
                    }
                    if t.kind == TokenKind::Start {
                        self.depth += 1;
                    } else if self.depth == 1 {
                        if let Some((n, s)) = self.child_start.take() {
                            ix.children.push(Child { name: n, start: s, end: t.end });
                        }
                    }
                }
                TokenKind::End => {
                    self.depth = self.depth.checked_sub(1).ok_or("unbalanced end tag")?;
                    if self.depth == 0 {
                        ix.root_end = t.start;
                        return Ok(Stop::Done);
                    } else if self.depth == 1 {
                        if let Some((n, s)) = self.child_start.take() {
                            ix.children.push(Child { name: n, start: s, end: t.end });
                        }
                        self.in_sheet_data = false;
                    } else if self.depth == 2 && self.in_sheet_data {
                        if let Some(mut r) = self.row.take() {
                            r.end = t.end;
                            ix.rows.push(r);
                        }
                    }
                }
                _ => {}
            }
        }
        if sc.position() > limit {
            return Err("a cell crosses the end of the run".into());
        }
        Ok(Stop::Limit)
    }
}

/// Moves the scanner past the `</c>` of a cell whose start tag was just read; tells whether the
/// cell has a formula (`<f>`).
fn skip_cell(xml: &str, sc: &mut Scanner) -> std::result::Result<bool, String> {
    let mut depth = 1usize;
    let mut formula = false;
    for tok in sc.by_ref() {
        let k = tok?;
        match k.kind {
            TokenKind::Start | TokenKind::Empty => {
                formula |= depth == 1 && k.local_name(xml) == "f";
                depth += (k.kind == TokenKind::Start) as usize;
            }
            TokenKind::End => {
                depth -= 1;
                if depth == 0 {
                    return Ok(formula);
                }
            }
            _ => {}
        }
    }
    Err("a cell has no end".into())
}

/// Parses a `<c>` element whose start tag `t` was just read; leaves the scanner after `</c>`.
/// Without `texts`, nothing is copied out: no inline string, empty formula texts.
fn parse_cell(xml: &str, sc: &mut Scanner, t: xml::Token, row: u32, last_col: u32, texts: bool) -> std::result::Result<CellXml, String> {
    let tag = t.text(xml);
    // One pass over the attributes: this runs for every cell of every sheet read.
    let (mut r, mut style, mut ty) = (None, None, None);
    for (name, value) in xml::attrs(tag) {
        match xml::local(name) {
            "r" => r = Some(value),
            "s" => style = value.parse().ok(),
            "t" => ty = Some(CellType::parse(value)),
            _ => {}
        }
    }
    let at = match r {
        Some(r) => CellRef::parse(r).map_err(|_| format!("bad cell reference {r:?}"))?,
        None => CellRef::new(row, last_col + 1),
    };
    let mut c = CellXml {
        at,
        start: t.start,
        end: t.end,
        tag_end: t.end,
        explicit_r: r.is_some(),
        style,
        t: ty,
        formula: None,
        f_span: None,
        v_span: None,
        v_text: None,
        inline: None,
    };
    if t.kind == TokenKind::Empty {
        return Ok(c);
    }
    // Inside <c>: <f>, <v>, <is> (with <t>, <r><t>, <rPh><t>), <extLst>.
    let mut depth = 1usize;
    let mut current: Option<(&str, usize, usize)> = None; // (name, start, text start)
    let mut in_phonetic = 0usize;
    let mut inline = String::new();
    let mut has_inline = false;
    let mut ftag: Option<(usize, usize)> = None;
    for tok in sc.by_ref() {
        let k = tok?;
        match k.kind {
            TokenKind::Start | TokenKind::Empty => {
                let name = k.local_name(xml);
                if depth == 1 {
                    match name {
                        "f" => ftag = Some((k.start, k.end)),
                        "is" => has_inline = true,
                        _ => {}
                    }
                }
                if name == "rPh" {
                    in_phonetic += 1;
                }
                if k.kind == TokenKind::Start {
                    if depth == 1 {
                        current = Some((name, k.start, k.end));
                    }
                    depth += 1;
                } else if depth == 1 && name == "f" {
                    c.formula = Some(formula_from(&xml[k.start..k.end], String::new()));
                    c.f_span = Some((k.start, k.end));
                } else if name == "rPh" {
                    in_phonetic -= 1;
                }
            }
            // Text of an inline string, phonetic guides left out.
            TokenKind::Text | TokenKind::CData if texts && has_inline && in_phonetic == 0 && depth >= 3 => {
                inline.push_str(&text_of(k.text(xml), k.kind));
            }
            TokenKind::End => {
                depth -= 1;
                let name = k.local_name(xml);
                if name == "rPh" {
                    in_phonetic = in_phonetic.saturating_sub(1);
                }
                if depth == 1 {
                    if let Some((n, s, ts)) = current.take() {
                        match n {
                            "f" => {
                                let text = if texts { text_of(&xml[ts..k.start], TokenKind::Text).into_owned() } else { String::new() };
                                let (fs, fe) = ftag.unwrap_or((s, ts));
                                c.formula = Some(formula_from(&xml[fs..fe], text));
                                c.f_span = Some((s, k.end));
                            }
                            "v" => {
                                c.v_text = Some((ts, k.start));
                                c.v_span = Some((s, k.end));
                            }
                            _ => {}
                        }
                    }
                } else if depth == 0 {
                    c.end = k.end;
                    if has_inline && texts {
                        c.inline = Some(inline);
                    }
                    return Ok(c);
                }
            }
            _ => {}
        }
    }
    Err(format!("cell {} has no end", c.at))
}

fn text_of(raw: &str, kind: TokenKind) -> std::borrow::Cow<'_, str> {
    if kind == TokenKind::CData {
        std::borrow::Cow::Borrowed(raw.trim_start_matches("<![CDATA[").trim_end_matches("]]>"))
    } else if raw.contains('<') {
        // A span with inner markup (only CDATA is expected in <f>/<v>): keep the text pieces.
        let mut s = String::new();
        for t in Scanner::new(raw).flatten() {
            if matches!(t.kind, TokenKind::Text | TokenKind::CData) {
                s.push_str(&text_of(t.text(raw), t.kind));
            }
        }
        std::borrow::Cow::Owned(s)
    } else {
        xml::unescape(raw)
    }
}

fn formula_from(tag: &str, text: String) -> FormulaXml {
    let mut f = FormulaXml { kind: FormulaKind::Normal, text, si: None, range: None };
    for (name, value) in xml::attrs(tag) {
        match xml::local(name) {
            "t" => {
                f.kind = match value {
                    "shared" => FormulaKind::Shared,
                    "array" => FormulaKind::Array,
                    "dataTable" => FormulaKind::DataTable,
                    _ => FormulaKind::Normal,
                }
            }
            "si" => f.si = value.parse().ok(),
            "ref" => f.range = Some(xml::unescape(value).into_owned()),
            _ => {}
        }
    }
    f
}

#[cfg(test)]
#[path = "tests/sheet.rs"]
mod tests;
