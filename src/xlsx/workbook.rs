//! A workbook opened for reading and in-place editing.
//!
//! Nothing is parsed into a model that is then written back: edits are kept beside the original
//! parts and spliced into them on save, so every part and every byte the edit does not touch is
//! kept as the user's file had it.
//!
//! ```no_run
//! use risksheet::xlsx::{Workbook, CellValue, CellRef};
//! let mut wb = Workbook::open("ledger.xlsx")?;
//! let sheet = wb.sheet_names()[0].clone();
//! wb.set_value(&sheet, CellRef::parse("B3")?, CellValue::Number(2.0))?;
//! wb.set_formula(&sheet, CellRef::parse("C3")?, "B3*2", Some(CellValue::Number(4.0)))?;
//! wb.save()?;
//! # Ok::<(), risksheet::Error>(())
//! ```
use crate::error::{Error, ErrorKind, Message, Result};
use crate::xlsx::address::{CellRef, Range};
use crate::xlsx::conditional::ConditionalFormat;
use crate::xlsx::edit::{plan_sheet, Content, Pending, SheetEdits};
use crate::xlsx::file::SaveOptions;
use crate::xlsx::package::{Limits, Package, PartChanges, PartContent};
use crate::xlsx::rels::{parse_rels, part_dir, rels_of, resolve_target};
use crate::xlsx::shared_strings::parse_shared_strings;
use crate::xlsx::sheet::{CellLayout, CellSpan, CellType, CellXml, FormulaKind, SheetIndex};
use crate::xlsx::styles::{add_dxfs, append_items};
use crate::xlsx::validation::DataValidation;
use crate::xlsx::value::{Cell, CellValue};
use crate::xlsx::xml::{self, attr, Scanner, TokenKind};
use crate::xlsx::XlsxError;
use serde::Serialize;
use std::path::{Path, PathBuf};

mod calc_chain;
mod charts;
mod format;
mod new_sheets;
mod summary;
pub use new_sheets::NewSheet;
mod save;

const REL_OFFICE_DOCUMENT: &str = "/officeDocument";
/// The most cells whose places a full read of a sheet keeps for rewriting its rows (40 bytes each).
const MAX_KEPT_LAYOUT: usize = 500_000;

/// The most characters Excel keeps in one cell (it counts UTF-16 units: an emoji or a rare kanji
/// outside the BMP counts twice).
pub const MAX_CELL_CHARS: usize = 32_767;

/// `text` cut to fit one cell: unchanged when it has at most [`MAX_CELL_CHARS`] UTF-16 units,
/// else cut at a character boundary and ended with `…` and `note` (which says it was cut), the
/// whole within the limit.
///
/// ```
/// use risksheet::xlsx::workbook::{fit_cell_text, MAX_CELL_CHARS};
/// assert_eq!(fit_cell_text("short".into(), "（以下省略）"), "short");
/// let long = "𠮷".repeat(20_000); // 40,000 UTF-16 units
/// let cut = fit_cell_text(long, "（以下省略）");
/// assert!(cut.encode_utf16().count() <= MAX_CELL_CHARS && cut.ends_with("…（以下省略）"));
/// assert!(cut.starts_with("𠮷𠮷"));
/// ```
pub fn fit_cell_text(text: String, note: &str) -> String {
    if text.len() <= MAX_CELL_CHARS || text.encode_utf16().count() <= MAX_CELL_CHARS {
        return text;
    }
    let tail = format!("…{note}");
    let room = MAX_CELL_CHARS.saturating_sub(tail.encode_utf16().count());
    let mut units = 0;
    let end = text
        .char_indices()
        .find(|(_, c)| {
            units += c.len_utf16();
            units > room
        })
        .map_or(text.len(), |(i, _)| i);
    let mut out = String::with_capacity(end + tail.len());
    out.push_str(&text[..end]);
    out.push_str(&tail);
    out
}

/// What kind of sheet a tab is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SheetKind {
    /// A grid of cells.
    Worksheet,
    /// A sheet holding one chart.
    Chartsheet,
    /// Dialog or macro sheets, kept as they are.
    Other,
}

/// A tab of the workbook.
#[derive(Debug, Clone, Serialize)]
pub struct SheetEntry {
    /// The tab's name.
    pub name: String,
    /// The part holding it (`xl/worksheets/sheet1.xml`).
    pub part: String,
    /// Its kind.
    pub kind: SheetKind,
    /// Whether the tab is hidden.
    pub hidden: bool,
}

/// A defined name (`<definedName>`).
#[derive(Debug, Clone, Serialize)]
pub struct DefinedName {
    /// The name.
    pub name: String,
    /// What it refers to, as a formula.
    pub formula: String,
    /// The sheet it is local to, by tab index.
    pub local_sheet: Option<usize>,
}

/// What a save changed, for `--json` reports and for tests that check nothing else moved.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SaveReport {
    /// The file written.
    pub file: String,
    /// Parts rewritten or added.
    pub parts_changed: Vec<String>,
    /// Parts dropped (`xl/calcChain.xml` when formulas change).
    pub parts_removed: Vec<String>,
    /// Cells written, as `SHEET!A1`.
    pub cells_written: Vec<String>,
    /// Formula cells whose result the edit changes; their cached values were dropped so that
    /// Excel and LibreOffice compute them afresh.
    pub formulas_affected: Vec<String>,
}

/// Counts for one sheet, as `inspect` reports them.
#[derive(Debug, Clone, Serialize)]
pub struct SheetSummary {
    /// The tab's name.
    pub name: String,
    /// The part holding it.
    pub part: String,
    /// Its kind.
    pub kind: SheetKind,
    /// The `<dimension>` range, if the part states one.
    pub dimension: Option<String>,
    /// Number of cells.
    pub cells: usize,
    /// Number of formula cells.
    pub formulas: usize,
    /// Number of data validations (plain and x14).
    pub validations: usize,
    /// Number of merged ranges.
    pub merges: usize,
}

struct Loaded {
    /// Shared with the save, which writes the edited part from it piece by piece.
    xml: std::sync::Arc<String>,
    index: SheetIndex,
}

/// A workbook opened for reading and in-place editing.
pub struct Workbook {
    path: PathBuf,
    pkg: Package,
    limits: Limits,
    workbook_part: String,
    workbook_rels: String,
    sheets: Vec<SheetEntry>,
    loaded: Vec<Option<Loaded>>,
    shared_strings_part: Option<String>,
    shared_strings: Option<Vec<String>>,
    styles_part: Option<String>,
    names: Vec<DefinedName>,
    edits: Vec<SheetEdits>,
    new_dxfs: Vec<String>,
    /// Items to add to the counted lists of the styles part (`fonts`, `fills`, `borders`,
    /// `cellXfs`), by list.
    new_styles: std::collections::BTreeMap<&'static str, Vec<String>>,
    /// Sheets added by [`Workbook::add_sheet`], by tab index.
    new_sheets: Vec<usize>,
    /// Defined names added with new sheets (print titles, filter ranges), and whether hidden.
    new_names: Vec<(DefinedName, bool)>,
    /// Charts to place ([`Workbook::add_chart`]).
    charts: Vec<charts::PendingChart>,
}

impl Workbook {
    /// Opens a workbook with the default size limits.
    ///
    /// # Errors
    ///
    /// As [`Workbook::open_with`].
    pub fn open(path: impl AsRef<Path>) -> Result<Workbook> {
        Self::open_with(path, &Limits::default())
    }

    /// Opens a workbook with the given size limits.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Io`] when the file cannot be read; [`XlsxError::NotZip`],
    /// [`XlsxError::Encrypted`], [`XlsxError::LegacyXls`] or [`XlsxError::NotWorkbook`] when the
    /// file is not an .xlsx/.xlsm workbook; [`XlsxError::Corrupt`], [`XlsxError::Xml`] or
    /// [`XlsxError::PartTooLarge`] when it is damaged or over `limits`. The error names the file.
    pub fn open_with(path: impl AsRef<Path>, limits: &Limits) -> Result<Workbook> {
        let path = path.as_ref();
        let pkg = Package::open(path, limits)?;
        Self::from_package(pkg, limits).map_err(|e| e.in_file(path))
    }

    /// Opens a workbook to change it and save it in place: as [`Workbook::open_with`], holding
    /// an advisory lock until it is saved or dropped, so that risksheet processes updating the
    /// same file take turns instead of one losing the other's edit.
    ///
    /// # Errors
    ///
    /// As [`Workbook::open_with`], and [`XlsxError::InUse`] when another risksheet process keeps
    /// the file for more than a minute.
    pub fn open_for_update(path: impl AsRef<Path>, limits: &Limits) -> Result<Workbook> {
        let path = path.as_ref();
        let pkg = Package::open_for_update(path, limits)?;
        Self::from_package(pkg, limits).map_err(|e| e.in_file(path))
    }

    /// Opens a workbook held in memory; `name` stands for the file in messages and is where
    /// [`Workbook::save`] writes.
    ///
    /// # Errors
    ///
    /// [`XlsxError::NotZip`], [`XlsxError::Encrypted`], [`XlsxError::LegacyXls`] or
    /// [`XlsxError::NotWorkbook`] when the file is not an .xlsx/.xlsm workbook;
    /// [`XlsxError::Corrupt`], [`XlsxError::Xml`] or [`XlsxError::PartTooLarge`] when it is damaged
    /// or over `limits`. The error names `name`.
    pub fn from_bytes(name: impl AsRef<Path>, bytes: Vec<u8>, limits: &Limits) -> Result<Workbook> {
        let name = name.as_ref();
        let pkg = Package::from_bytes(name, bytes, limits).map_err(|e| e.in_file(name))?;
        Self::from_package(pkg, limits).map_err(|e| e.in_file(name))
    }

    /// The package the pending edits would produce, as bytes, without writing a file.
    ///
    /// # Errors
    ///
    /// [`XlsxError::Xml`] or [`XlsxError::Corrupt`] when a part the edits touch, or one copied
    /// unchanged, cannot be read.
    pub fn to_bytes(&mut self) -> Result<Vec<u8>> {
        let mut report = SaveReport::default();
        let edits = self.edits.clone();
        let changes = self.build_changes(&mut report);
        self.edits = edits;
        self.pkg.write_to_vec(&changes?)
    }

    fn from_package(mut pkg: Package, limits: &Limits) -> Result<Workbook> {
        if !pkg.has("_rels/.rels") {
            return Err(Error::from(XlsxError::NotWorkbook("_rels/.rels missing".into())));
        }
        let root_rels = pkg.read_text("_rels/.rels")?;
        let workbook_part = parse_rels("_rels/.rels", &root_rels)?
            .into_iter()
            .find(|r| r.1.ends_with(REL_OFFICE_DOCUMENT))
            .map(|r| resolve_target("", &r.2))
            .filter(|p| pkg.has(p))
            .ok_or_else(|| Error::from(XlsxError::NotWorkbook("no workbook part".into())))?;
        let wb_bytes = pkg.read_part(&workbook_part)?;
        let wb_xml = xml::as_text(&workbook_part, &wb_bytes)?.to_string();
        if !wb_xml.contains("workbook") {
            return Err(Error::from(XlsxError::NotWorkbook(format!("{workbook_part} is not a workbook").into())));
        }
        let workbook_rels = rels_of(&workbook_part);
        let rels = match pkg.find(&workbook_rels).map(str::to_string) {
            Some(p) => parse_rels(&p, &pkg.read_text(&p)?)?,
            None => Vec::new(),
        };
        let dir = part_dir(&workbook_part).to_string();
        let target_of = |kind: &str| rels.iter().find(|r| r.1.ends_with(kind) && !r.3).map(|r| resolve_target(&dir, &r.2));
        let shared_strings_part = target_of("/sharedStrings").filter(|p| pkg.has(p));
        let styles_part = target_of("/styles").filter(|p| pkg.has(p));

        let mut sheets = Vec::new();
        let mut names = Vec::new();
        let mut in_name: Option<(String, Option<usize>, usize)> = None;
        for t in Scanner::new(&wb_xml) {
            let t = t.map_err(|m| Error::xml(&workbook_part, m))?;
            let tag = t.text(&wb_xml);
            match (t.kind, t.local_name(&wb_xml)) {
                (TokenKind::Start | TokenKind::Empty, "sheet") => {
                    let name = attr(tag, "name").map(|s| s.into_owned()).unwrap_or_default();
                    let rid = attr(tag, "id").map(|s| s.into_owned()).unwrap_or_default();
                    let rel = rels.iter().find(|r| r.0 == rid);
                    let part = rel.map(|r| resolve_target(&dir, &r.2)).unwrap_or_default();
                    let kind = match rel.map(|r| r.1.as_str()) {
                        Some(t) if t.ends_with("/worksheet") && pkg.has(&part) => SheetKind::Worksheet,
                        Some(t) if t.ends_with("/chartsheet") => SheetKind::Chartsheet,
                        _ => SheetKind::Other,
                    };
                    let hidden = attr(tag, "state").is_some_and(|s| s != "visible");
                    sheets.push(SheetEntry { name, part, kind, hidden });
                }
                (TokenKind::Start, "definedName") => {
                    let name = attr(tag, "name").map(|s| s.into_owned()).unwrap_or_default();
                    let local = attr(tag, "localSheetId").and_then(|s| s.parse().ok());
                    in_name = Some((name, local, t.end));
                }
                (TokenKind::End, "definedName") => {
                    if let Some((name, local_sheet, start)) = in_name.take() {
                        let formula = xml::unescape(&wb_xml[start..t.start]).into_owned();
                        names.push(DefinedName { name, formula, local_sheet });
                    }
                }
                _ => {}
            }
        }
        if sheets.is_empty() {
            return Err(Error::from(XlsxError::NotWorkbook("no sheets".into())));
        }
        let n = sheets.len();
        Ok(Workbook {
            path: pkg.path().to_path_buf(),
            pkg,
            limits: limits.clone(),
            workbook_part,
            workbook_rels,
            sheets,
            loaded: (0..n).map(|_| None).collect(),
            shared_strings_part,
            shared_strings: None,
            styles_part,
            names,
            edits: vec![SheetEdits::default(); n],
            new_dxfs: Vec::new(),
            new_styles: std::collections::BTreeMap::new(),
            new_sheets: Vec::new(),
            new_names: Vec::new(),
            charts: Vec::new(),
        })
    }

    /// The file the workbook was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The tabs, in order.
    pub fn sheets(&self) -> &[SheetEntry] {
        &self.sheets
    }

    /// The tab names, in order.
    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.iter().map(|s| s.name.clone()).collect()
    }

    /// Defined names.
    pub fn defined_names(&self) -> &[DefinedName] {
        &self.names
    }

    /// The index of a sheet by name: exact match first, then ignoring case and width.
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`], listing the sheets there are, when no sheet matches `name`.
    pub fn sheet_index(&self, name: &str) -> Result<usize> {
        let fold = |s: &str| crate::text::to_narrow(s.trim()).to_lowercase();
        self.sheets
            .iter()
            .position(|s| s.name == name)
            .or_else(|| self.sheets.iter().position(|s| fold(&s.name) == fold(name)))
            .ok_or_else(|| Error::from(XlsxError::SheetNotFound { name: name.to_string(), available: self.sheet_names() }).in_file(&self.path))
    }

    fn worksheet(&mut self, sheet: usize) -> Result<&Loaded> {
        let entry = &self.sheets[sheet];
        if entry.kind != SheetKind::Worksheet {
            return Err(Error::usage(Message::new("このシートはセルを持つワークシートではありません", "not a worksheet with cells"))
                .in_sheet(&entry.name)
                .in_file(&self.path));
        }
        if self.loaded[sheet].is_none() {
            let part = entry.part.clone();
            let name = entry.name.clone();
            let ctx = |e: Error| e.in_sheet(&name).in_file(&self.path);
            let bytes = self.pkg.read_part(&part).map_err(ctx)?;
            let text = xml::into_text(&part, bytes).map_err(ctx)?;
            let index = SheetIndex::scan(&part, &text).map_err(ctx)?;
            self.loaded[sheet] = Some(Loaded { xml: std::sync::Arc::new(text), index });
        }
        Ok(self.loaded[sheet].as_ref().expect("loaded above"))
    }

    fn strings(&mut self) -> Result<&[String]> {
        if self.shared_strings.is_none() {
            let list = match self.shared_strings_part.clone() {
                Some(part) => {
                    let bytes = self.pkg.read_part(&part)?;
                    parse_shared_strings(&part, &xml::as_text(&part, &bytes)?)?
                }
                None => Vec::new(),
            };
            self.shared_strings = Some(list);
        }
        Ok(self.shared_strings.as_deref().unwrap_or(&[]))
    }

    /// Where a cell's formula text is: its own, or, for a shared-formula child, its anchor's with
    /// the offset to move it by. `None` when the cell has no formula that can be given.
    fn formula_source<'a>(index: &'a SheetIndex, c: &'a CellXml) -> Option<(&'a str, Option<(i64, i64)>)> {
        let f = c.formula.as_ref()?;
        if f.kind == FormulaKind::Shared && f.text.is_empty() {
            let anchor = index.shared.get(&f.si?)?;
            return Some((&anchor.text, Some((c.at.row as i64 - anchor.at.row as i64, c.at.col as i64 - anchor.at.col as i64))));
        }
        Some((&f.text, None))
    }

    /// A cell's formula text; a shared-formula child's is moved from its anchor.
    fn formula_text(index: &SheetIndex, c: &CellXml) -> Option<String> {
        Self::formula_source(index, c).map(|(text, offset)| match offset {
            Some((dr, dc)) => crate::xlsx::formula::shift(text, dr, dc),
            None => text.to_string(),
        })
    }

    /// Every stored cell of a sheet, row by row, with pending edits applied.
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`] when the workbook has no sheet `sheet`; [`ErrorKind::Usage`]
    /// when it is a chart sheet, not a worksheet; [`XlsxError::Xml`] when its XML cannot be read.
    pub fn cells(&mut self, sheet: &str) -> Result<Vec<Cell>> {
        Ok(self.stored_cells(sheet, true)?.into_iter().map(Cell::from).collect())
    }

    /// Every stored cell of a sheet in (row, column) order, pending edits applied. Without
    /// `formula_text`, a formula cell's `formula` is empty text (readers that only need to know
    /// there is one skip moving each shared formula to its cell).
    pub(crate) fn stored_cells(&mut self, sheet: &str, formula_text: bool) -> Result<Vec<StoredCell>> {
        let si = self.sheet_index(sheet)?;
        let name = self.sheets[si].name.clone();
        self.worksheet(si)?;
        self.strings()?;
        let part = self.sheets[si].part.clone();
        let path = self.path.clone();
        let l = self.loaded[si].as_ref().ok_or_else(|| Error::corrupt("sheet not loaded"))?;
        let strings = self.shared_strings.as_deref().unwrap_or(&[]);
        // Each run gives its cells, where they are, and how many each row has.
        let runs = crate::xlsx::parallel::map_runs(&l.index.rows, crate::xlsx::parallel::MIN_ROWS_PER_THREAD, |rows| {
            let (mut out, mut spans, mut counts) = (Vec::new(), Vec::new(), Vec::with_capacity(rows.len()));
            for row in rows {
                let cells = l.index.row_cells(&part, &l.xml, row)?;
                counts.push(cells.len());
                for mut c in cells {
                    spans.push(CellSpan::from(&c));
                    let value = stored_value(&mut c, &l.xml, strings).map_err(|e| e.in_sheet(&name).at_cell(c.at.to_string()).in_file(&path))?;
                    let formula = match formula_text {
                        true => Self::formula_text(&l.index, &c),
                        false => Self::formula_source(&l.index, &c).map(|_| String::new()),
                    };
                    out.push(StoredCell { at: c.at, style: c.style.unwrap_or(0), value, formula });
                }
            }
            Ok(vec![(out, spans, counts)])
        })?;
        let total = runs.iter().map(|r| r.0.len()).sum();
        let mut out = Vec::with_capacity(total);
        // The layout is kept for rewriting these rows (a fill rewrites every row of a ledger),
        // unless the sheet is so large that it would cost more memory than a second parse costs time.
        let keep = l.index.layout.is_none() && total <= MAX_KEPT_LAYOUT;
        let mut layout =
            CellLayout { starts: Vec::with_capacity(if keep { l.index.rows.len() + 1 } else { 0 }), cells: Vec::with_capacity(if keep { total } else { 0 }) };
        for (cells, spans, counts) in runs {
            out.extend(cells);
            if keep {
                let mut at = layout.cells.len();
                for n in counts {
                    layout.starts.push(at);
                    at += n;
                }
                layout.cells.extend(spans);
            }
        }
        if keep {
            layout.starts.push(layout.cells.len());
            if let Some(l) = self.loaded[si].as_mut() {
                l.index.layout = Some(layout);
            }
        }
        // Overlay pending edits: both sequences are in (row, column) order, so merge them.
        let pending = &self.edits[si].cells;
        if pending.is_empty() {
            return Ok(out);
        }
        let mut merged = Vec::with_capacity(out.len() + pending.len());
        let mut stored = out.into_iter().peekable();
        for (&(r, col), p) in pending {
            while let Some(c) = stored.next_if(|c| (c.at.row, c.at.col) < (r, col)) {
                merged.push(c);
            }
            let base = stored.next_if(|c| (c.at.row, c.at.col) == (r, col)).unwrap_or_else(|| StoredCell::empty(CellRef::new(r, col)));
            merged.push(base.with_pending(p, formula_text));
        }
        merged.extend(stored);
        Ok(merged)
    }

    /// One cell, with pending edits applied; `None` when the cell is not stored.
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`] when the workbook has no sheet `sheet`; [`ErrorKind::Usage`]
    /// when it is a chart sheet, not a worksheet; [`XlsxError::Xml`] when its XML cannot be read.
    pub fn cell(&mut self, sheet: &str, at: CellRef) -> Result<Option<Cell>> {
        let si = self.sheet_index(sheet)?;
        let name = self.sheets[si].name.clone();
        let part = self.sheets[si].part.clone();
        let l = self.worksheet(si)?;
        // A cell stored twice (a broken file) is the last copy, as LibreOffice shows it.
        let mut found = None;
        for i in l.index.row_copies(at.row) {
            found = l.index.row_cells(&part, &l.xml, &l.index.rows[i])?.into_iter().rfind(|c| c.at == at).or(found);
        }
        // The shared strings are read only for a cell that refers to them.
        if found.as_ref().is_some_and(|c| c.t == Some(CellType::SharedString)) {
            self.strings()?;
        }
        let l = self.loaded[si].as_ref().ok_or_else(|| Error::corrupt("sheet not loaded"))?;
        let strings = self.shared_strings.as_deref().unwrap_or(&[]);
        let stored = match found {
            Some(mut c) => {
                let value = stored_value(&mut c, &l.xml, strings).map_err(|e| e.in_sheet(&name).at_cell(at.to_string()).in_file(&self.path))?;
                Some(StoredCell { at, style: c.style.unwrap_or(0), value, formula: Self::formula_text(&l.index, &c) })
            }
            None => None,
        };
        Ok(match self.edits[si].cells.get(&(at.row, at.col)) {
            Some(p) => Some(stored.unwrap_or_else(|| StoredCell::empty(at)).with_pending(p, true)),
            None => stored,
        }
        .map(Cell::from))
    }

    /// The value of one cell (empty when not stored).
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`] when the workbook has no sheet `sheet`; [`ErrorKind::Usage`]
    /// when it is a chart sheet, not a worksheet; [`XlsxError::Xml`] when its XML cannot be read.
    pub fn value(&mut self, sheet: &str, at: CellRef) -> Result<CellValue> {
        Ok(self.cell(sheet, at)?.map(|c| c.value).unwrap_or_default())
    }

    fn check_editable(&mut self, si: usize, at: CellRef) -> Result<()> {
        let l = self.worksheet(si)?;
        if let Some(r) = l.index.arrays.iter().find(|r| r.contains(at)) {
            let e = Error::from(XlsxError::ArrayFormula { range: r.to_string() }).at_cell(at.to_string());
            return Err(e.in_sheet(&self.sheets[si].name).in_file(&self.path));
        }
        Ok(())
    }

    fn pending(&mut self, si: usize, at: CellRef) -> &mut Pending {
        self.edits[si].cells.entry((at.row, at.col)).or_default()
    }

    /// Sets a cell's value (text, number, boolean, or empty), keeping its style.
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`] when the workbook has no sheet `sheet`; [`ErrorKind::Usage`]
    /// when it is a chart sheet, not a worksheet; [`XlsxError::ArrayFormula`] when `at` lies inside
    /// an array formula's range. [`ErrorKind::InvalidValue`] for a number that is not finite (NaN,
    /// infinity) or text longer than Excel's 32,767 characters.
    pub fn set_value(&mut self, sheet: &str, at: CellRef, value: CellValue) -> Result<()> {
        let si = self.sheet_index(sheet)?;
        let invalid = |expected: (&str, &str), found: String| {
            let expected = Message::new(expected.0, expected.1);
            Err(Error::new(ErrorKind::InvalidValue { expected, found }).in_sheet(sheet).at_cell(at.to_string()).in_file(&self.path))
        };
        match &value {
            CellValue::Number(n) if !n.is_finite() => return invalid(("有限の数値", "a finite number"), n.to_string()),
            // Excel refuses to open a file with a longer cell (it counts UTF-16 units).
            CellValue::Text(t) if t.encode_utf16().count() > MAX_CELL_CHARS => {
                let found = format!("{}… ({} chars)", t.chars().take(20).collect::<String>(), t.chars().count());
                return invalid(("32,767 文字以内の文字列", "text of at most 32,767 characters"), found);
            }
            _ => {}
        }
        self.check_editable(si, at)?;
        self.pending(si, at).content = Some(Content::Value(value));
        Ok(())
    }

    /// Sets a cell's formula (without `=`) with the value it computes, when known. A formula
    /// without a cached value is computed by Excel on load and by LibreOffice, which computes
    /// cells that have none.
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`] when the workbook has no sheet `sheet`; [`ErrorKind::Usage`]
    /// when it is a chart sheet, not a worksheet; [`XlsxError::ArrayFormula`] when `at` lies inside
    /// an array formula's range.
    pub fn set_formula(&mut self, sheet: &str, at: CellRef, formula: &str, cached: Option<CellValue>) -> Result<()> {
        let si = self.sheet_index(sheet)?;
        self.check_editable(si, at)?;
        let f = formula.strip_prefix('=').unwrap_or(formula).to_string();
        self.pending(si, at).content = Some(Content::Formula(f, cached));
        Ok(())
    }

    /// Writes one formula into a column of cells as a shared formula, the way Excel stores a
    /// formula filled down: `formula` is the top cell's; each cell below gets it moved to its
    /// row, with its own cached value (`cached`, top to bottom). Writing the same group again
    /// gives the same bytes.
    ///
    /// # Errors
    ///
    /// [`XlsxError::SheetNotFound`] when the workbook has no sheet `sheet`; [`ErrorKind::Usage`]
    /// when it is a chart sheet, not a worksheet; [`XlsxError::ArrayFormula`] when a cell of
    /// `range` lies inside an array formula's range. [`ErrorKind::Usage`] when `cached` does not
    /// hold one value per cell of `range`.
    ///
    /// ```no_run
    /// use risksheet::xlsx::{Workbook, Range, CellValue};
    /// let mut wb = Workbook::open("ledger.xlsx")?;
    /// let cached = vec![Some(CellValue::Number(2.0)), Some(CellValue::Number(3.0))];
    /// wb.set_shared_formula("台帳", Range::parse("M5:M6")?, "MAX(J5:L5)", cached)?;
    /// # Ok::<(), risksheet::Error>(())
    /// ```
    pub fn set_shared_formula(&mut self, sheet: &str, range: Range, formula: &str, cached: Vec<Option<CellValue>>) -> Result<()> {
        let si = self.sheet_index(sheet)?;
        let cells: Vec<CellRef> = (range.start.row..=range.end.row).flat_map(|r| (range.start.col..=range.end.col).map(move |c| CellRef::new(r, c))).collect();
        if cells.len() != cached.len() {
            return Err(Error::usage(format!("{} cells, {} cached values", cells.len(), cached.len())));
        }
        for &at in &cells {
            self.check_editable(si, at)?;
        }
        let text = formula.strip_prefix('=').unwrap_or(formula).to_string();
        if cells.len() == 1 {
            self.pending(si, range.start).content = Some(Content::Formula(text, cached.into_iter().next().flatten()));
            return Ok(());
        }
        // The group keeps the index it has when it is written again over the same cells.
        let l = self.worksheet(si)?;
        let same = l.index.shared.iter().find(|(_, a)| a.at == range.start && a.range == Some(range) && a.text == text).map(|(k, _)| *k);
        let taken = l.index.max_si;
        let new_si = &mut self.edits[si].new_si;
        let group_si = same.unwrap_or_else(|| new_si.iter().copied().chain(taken).max().map_or(0, |m| m + 1));
        new_si.push(group_si);
        let group = std::sync::Arc::new(crate::xlsx::edit::SharedGroup { si: group_si, range, text });
        for (at, v) in cells.into_iter().zip(cached) {
            self.pending(si, at).content = Some(Content::Shared(group.clone(), v));
        }
        Ok(())
    }
}

/// A stored cell's value (for a formula, its cached result): shared strings and types resolved,
/// the inline string moved out.
fn stored_value(c: &mut CellXml, xml: &str, strings: &[String]) -> Result<CellValue> {
    if let (Some(CellType::InlineString), Some(text)) = (c.t, c.inline.take()) {
        return Ok(CellValue::Text(match xml::unescape_xstring(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(decoded) => decoded,
        }));
    }
    Ok(match (c.t, c.v(xml)) {
        (Some(CellType::SharedString), Some(v)) => {
            let i: usize = v.trim().parse().map_err(|_| Error::corrupt(format!("shared string index {v:?}")))?;
            CellValue::Text(strings.get(i).cloned().ok_or_else(|| Error::corrupt(format!("shared string {i} missing")))?)
        }
        (Some(CellType::FormulaString), Some(v)) => CellValue::Text(xml::unescape_xstring(&v).into_owned()),
        (Some(CellType::Date), Some(v)) => CellValue::Text(v.into_owned()),
        (Some(CellType::Bool), Some(v)) => CellValue::Bool(v.trim() == "1" || v.trim() == "true"),
        (Some(CellType::Error), Some(v)) => CellValue::Error(v.into_owned()),
        (_, Some(v)) => match v.trim().parse() {
            Ok(n) => CellValue::Number(n),
            Err(_) => CellValue::Text(v.into_owned()),
        },
        _ => CellValue::Empty,
    })
}

/// A stored cell as the crate's readers use it (a [`Cell`] without its address text).
pub(crate) struct StoredCell {
    pub at: CellRef,
    pub style: u32,
    /// The value (for a formula, its cached result).
    pub value: CellValue,
    /// The formula, when the cell has one (empty text when it was not asked for).
    pub formula: Option<String>,
}

impl StoredCell {
    fn empty(at: CellRef) -> StoredCell {
        StoredCell { at, style: 0, value: CellValue::Empty, formula: None }
    }

    /// The cell as a pending edit leaves it.
    fn with_pending(mut self, p: &Pending, formula_text: bool) -> StoredCell {
        if let Some(s) = p.style {
            self.style = s;
        }
        match &p.content {
            Some(Content::Value(v)) => {
                self.value = v.clone();
                self.formula = None;
            }
            Some(Content::Shared(g, cached)) => {
                let (dr, dc) = (self.at.row as i64 - g.range.start.row as i64, self.at.col as i64 - g.range.start.col as i64);
                self.formula = Some(match formula_text {
                    false => String::new(),
                    true if dr == 0 && dc == 0 => g.text.clone(),
                    true => crate::xlsx::formula::shift(&g.text, dr, dc),
                });
                self.value = cached.clone().unwrap_or_default();
            }
            Some(Content::Formula(f, cached)) => {
                self.formula = Some(if formula_text { f.clone() } else { String::new() });
                self.value = cached.clone().unwrap_or_default();
            }
            None => {}
        }
        self
    }
}

impl From<StoredCell> for Cell {
    fn from(c: StoredCell) -> Cell {
        Cell { address: c.at.to_string(), row: c.at.row, col: c.at.col, style: c.style, value: c.value, formula: c.formula }
    }
}

#[cfg(test)]
#[path = "tests/workbook.rs"]
mod tests;
