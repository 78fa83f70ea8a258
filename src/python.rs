//! The Python module `risksheet._risksheet` (feature `python`): a thin PyO3 layer over
//! [`crate::xlsx::Workbook`] and [`crate::ops`]. Everything here is conversion between Rust and
//! Python values; the logic lives in the library. The Python package `risksheet`
//! (`python/risksheet/`) re-exports these names.
use crate::error::{Error, ErrorKind, Lang, Message};
use crate::ops;
use crate::profile::Profile;
use crate::xlsx::value::DateKind;
use crate::xlsx::XlsxError;
use crate::xlsx::{self, CellValue, Limits, SheetCell};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyString, PyType};
use std::path::PathBuf;

create_exception!(risksheet, WorkbookError, PyException, "An error reading or editing a workbook. `.file`, `.sheet`, `.cell` say where, `.kind` what.");
create_exception!(
    risksheet,
    NotAWorkbookError,
    WorkbookError,
    "Not a usable .xlsx: not a zip, not a workbook, encrypted, a legacy .xls, damaged, or too large."
);
create_exception!(risksheet, SheetNotFoundError, WorkbookError, "No sheet of that name.");
create_exception!(risksheet, InvalidAddressError, WorkbookError, "A cell address that cannot be parsed or cannot be edited.");
create_exception!(risksheet, ArrayFormulaError, InvalidAddressError, "An edit that lands inside an array formula's range.");
create_exception!(risksheet, InvalidValueError, WorkbookError, "A value of the wrong kind.");
create_exception!(risksheet, ProfileError, WorkbookError, "A profile that cannot be used, or a layout whose headers cannot be found.");

/// `risksheet.FileNotFound(WorkbookError, FileNotFoundError)` and `risksheet.IsADirectory(WorkbookError,
/// IsADirectoryError)`: a missing file and a folder given for a file are caught by `except
/// FileNotFoundError` like any Python I/O error, and by `except risksheet.WorkbookError` like any
/// error of this module. Defined in Python (an exception type with two bases), at module import.
const OS_ERRORS: &std::ffi::CStr = cr#"
class FileNotFound(WorkbookError, FileNotFoundError):
    """The file does not exist (also a FileNotFoundError: .errno ENOENT, .filename the path)."""
    __module__ = "risksheet"
    def __str__(self):
        return BaseException.__str__(self)

class IsADirectory(WorkbookError, IsADirectoryError):
    """A folder was given where a file is needed (also an IsADirectoryError)."""
    __module__ = "risksheet"
    def __str__(self):
        return BaseException.__str__(self)
"#;

static FILE_NOT_FOUND: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static IS_A_DIRECTORY: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The language of messages of this module (`set_lang`): the binding's own setting, passed to
/// the library where a message is made.
static MESSAGE_LANG: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn message_lang() -> Lang {
    if MESSAGE_LANG.load(std::sync::atomic::Ordering::Relaxed) {
        Lang::En
    } else {
        Lang::Ja
    }
}

/// Machine-readable name of an error kind (`.kind` on the exception).
#[allow(unreachable_patterns)]
fn kind_name(kind: &ErrorKind) -> &'static str {
    use XlsxError::*;
    match kind {
        ErrorKind::Io(_) => "io",
        ErrorKind::Xlsx(x) => match x {
            NotZip => "not_zip",
            Encrypted => "encrypted",
            LegacyXls => "legacy_xls",
            NotWorkbook(_) => "not_workbook",
            Corrupt(_) => "corrupt",
            PartTooLarge { .. } => "part_too_large",
            Xml { .. } => "xml",
            SheetNotFound { .. } => "sheet_not_found",
            InvalidAddress(_) => "invalid_address",
            ArrayFormula { .. } => "array_formula",
            NotRegularFile => "not_regular_file",
            ChangedSinceRead => "changed_since_read",
            InUse(_) => "in_use",
            NotSaved(_) => "not_saved",
            ReadOnly => "read_only",
            HardLinked(_) => "hard_linked",
            _ => "other",
        },
        ErrorKind::InvalidValue { .. } => "invalid_value",
        ErrorKind::MissingHeader(_) => "missing_header",
        ErrorKind::Profile(_) => "profile",
        ErrorKind::Usage(_) => "usage",
        _ => "other",
    }
}

impl From<Error> for PyErr {
    #[allow(unreachable_patterns)]
    fn from(e: Error) -> PyErr {
        use XlsxError::*;
        let msg = e.display(message_lang()).to_string();
        // The OSError subclass of a missing file or a folder, with its errno (`str()` stays the message).
        let os_error = Python::attach(|py| {
            let (ty, errno) = match &e.kind {
                ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::NotFound => (FILE_NOT_FOUND.get(py)?, libc_errno::ENOENT),
                _ if e.file.as_deref().is_some_and(std::path::Path::is_dir) && !matches!(e.kind, ErrorKind::Io(_)) => {
                    (IS_A_DIRECTORY.get(py)?, libc_errno::EISDIR)
                }
                _ => return None,
            };
            let err = PyErr::from_type(ty.bind(py).clone(), msg.clone());
            let value = err.value(py);
            let _ = value.setattr("errno", errno);
            let _ = value.setattr("filename", e.file.as_ref().map(|f| f.display().to_string()));
            Some(err)
        });
        let err = match os_error {
            Some(err) => err,
            None => match &e.kind {
                ErrorKind::Xlsx(NotZip | Encrypted | LegacyXls | NotWorkbook(_) | Corrupt(_) | PartTooLarge { .. } | Xml { .. }) => {
                    NotAWorkbookError::new_err(msg)
                }
                ErrorKind::Xlsx(SheetNotFound { .. }) => SheetNotFoundError::new_err(msg),
                ErrorKind::Xlsx(InvalidAddress(_)) => InvalidAddressError::new_err(msg),
                ErrorKind::Xlsx(ArrayFormula { .. }) => ArrayFormulaError::new_err(msg),
                ErrorKind::InvalidValue { .. } => InvalidValueError::new_err(msg),
                ErrorKind::Profile(_) | ErrorKind::MissingHeader(_) => ProfileError::new_err(msg),
                _ => WorkbookError::new_err(msg),
            },
        };
        Python::attach(|py| {
            let value = err.value(py);
            let path = e.file.as_ref().map(|f| f.display().to_string());
            let _ = value.setattr("file", path);
            // Where the kind itself names the place (a missing sheet, a bad address), say it.
            let sheet = e.sheet.clone().or_else(|| match &e.kind {
                crate::error::ErrorKind::Xlsx(XlsxError::SheetNotFound { name, .. }) => Some(name.clone()),
                _ => None,
            });
            let cell = e.cell.clone().or_else(|| match &e.kind {
                crate::error::ErrorKind::Xlsx(XlsxError::InvalidAddress(a)) => Some(a.clone()),
                _ => None,
            });
            let _ = value.setattr("sheet", sheet.as_deref());
            let _ = value.setattr("cell", cell.as_deref());
            let _ = value.setattr("kind", kind_name(&e.kind));
            if let ErrorKind::Io(io) = &e.kind {
                // `raise WorkbookError from FileNotFoundError(...)`: the OSError subclass matches the cause.
                err.set_cause(py, Some(PyErr::from(std::io::Error::new(io.kind(), io.to_string()))));
            }
        });
        err
    }
}

/// The errno values of the OSError subclasses (the same on every platform Python runs on).
mod libc_errno {
    pub const ENOENT: i32 = 2;
    pub const EISDIR: i32 = 21;
}

/// `date(1899, 12, 30).toordinal()`: day 0 of Excel's 1900 date system (which counts a 29
/// February 1900 that never was, so days before 1 March 1900 are one lower).
const EXCEL_EPOCH_ORDINAL: i64 = 693_594;

/// A `datetime.date` (or `datetime.datetime`) → its Excel serial number (1900 date system, the
/// time as a fraction of the day, wall-clock time as given) and its kind; `None` for any other
/// value. A date before 1900 (Excel has none) is an `InvalidValueError` naming the cell.
fn excel_serial(v: &Bound<'_, PyAny>, path: &std::path::Path, at: &SheetCell) -> PyResult<Option<(f64, DateKind)>> {
    let dt = v.py().import("datetime")?;
    if !v.is_instance(&dt.getattr("date")?)? {
        return Ok(None);
    }
    let days = v.call_method0("toordinal")?.extract::<i64>()? - EXCEL_EPOCH_ORDINAL;
    if days < 2 {
        let msg = Message::new("1900年1月1日以降の日付", "a date from 1 January 1900 on");
        let e = Error::new(ErrorKind::InvalidValue { expected: msg, found: v.str()?.to_string() });
        return Err(e.in_file(path).in_sheet(at.sheet.clone()).at_cell(at.cell.to_string()).into());
    }
    let serial = (days - i64::from(days < 61)) as f64;
    if !v.is_instance(&dt.getattr("datetime")?)? {
        return Ok(Some((serial, DateKind::Date)));
    }
    let part = |name: &str| -> PyResult<f64> { v.getattr(name)?.extract::<f64>() };
    let seconds = part("hour")? * 3600.0 + part("minute")? * 60.0 + part("second")? + part("microsecond")? / 1e6;
    Ok(Some((serial + seconds / 86_400.0, DateKind::DateTime)))
}

/// An Excel serial number shown as a date → `datetime.date`, or `datetime.datetime` (to the
/// millisecond, as Excel keeps it) when the format shows a time or the number has one; `None`
/// for a number no date stands for (below 1, the 29 February 1900 that never was, past 9999).
fn date_to_py<'py>(py: Python<'py>, serial: f64, kind: DateKind) -> PyResult<Option<Bound<'py, PyAny>>> {
    let whole = serial.floor();
    if !(1.0..2_958_466.0).contains(&serial) || whole == 60.0 {
        return Ok(None);
    }
    let ordinal = whole as i64 + EXCEL_EPOCH_ORDINAL + i64::from(serial < 60.0);
    let ms = ((serial - whole) * 86_400_000.0).round() as i64;
    let dt = py.import("datetime")?;
    if kind == DateKind::Date && ms == 0 {
        return Ok(Some(dt.getattr("date")?.call_method1("fromordinal", (ordinal,))?));
    }
    let day = dt.getattr("datetime")?.call_method1("fromordinal", (ordinal,))?;
    let kwargs = pyo3::types::PyDict::new(py);
    kwargs.set_item("milliseconds", ms)?;
    let time = dt.getattr("timedelta")?.call((), Some(&kwargs))?;
    Ok(Some(day.add(time)?))
}

/// A cell's value for Python: a number in a date format as a date ([`date_to_py`]), anything else by [`value_to_py`].
fn cell_value_to_py<'py>(py: Python<'py>, v: &CellValue, date: Option<DateKind>) -> PyResult<Bound<'py, PyAny>> {
    if let (CellValue::Number(n), Some(kind)) = (v, date) {
        if let Some(d) = date_to_py(py, *n, kind)? {
            return Ok(d);
        }
    }
    value_to_py(py, v)
}

/// A Rust value → Python: `None`, `float`, `str`, `bool`; errors (`#N/A`) as `str`.
fn value_to_py<'py>(py: Python<'py>, v: &CellValue) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        CellValue::Empty => py.None().into_bound(py),
        CellValue::Number(n) => n.into_pyobject(py)?.into_any(),
        CellValue::Text(t) | CellValue::Error(t) => PyString::new(py, t).into_any(),
        CellValue::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
    })
}

/// A Python value → a cell value: `None` empty, `bool`, a number (anything with `__float__`), `str` text,
/// a `datetime.date` or `datetime.datetime` its serial number (with the kind of date format it needs).
fn input_from_py(v: &Bound<'_, PyAny>, path: &std::path::Path, at: &SheetCell) -> PyResult<(CellValue, Option<DateKind>)> {
    match value_from_py(v) {
        Err(e) => match excel_serial(v, path, at)? {
            Some((serial, kind)) => Ok((CellValue::Number(serial), Some(kind))),
            None => Err(e),
        },
        Ok(x) => Ok((x, None)),
    }
}

/// A Python value → a cell value: `None` empty, `bool`, a number (anything with `__float__`), `str` text.
fn value_from_py(v: &Bound<'_, PyAny>) -> PyResult<CellValue> {
    if v.is_none() {
        return Ok(CellValue::Empty);
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Ok(CellValue::Bool(b.is_true()));
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(CellValue::Text(s.to_cow()?.into_owned()));
    }
    match v.extract::<f64>() {
        Ok(n) => Ok(CellValue::Number(n)),
        Err(_) => Err(PyTypeError::new_err(format!(
            "a cell value must be None, bool, int, float, str, datetime.date or datetime.datetime, not {}",
            v.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        ))),
    }
}

/// One cell as read: `sheet`, `address`, `row`, `col` (1-based), `style`, `value`, `formula`.
#[pyclass(name = "Cell", module = "risksheet", frozen)]
#[derive(Clone, PartialEq)]
pub struct PyCell {
    #[pyo3(get)]
    sheet: String,
    #[pyo3(get)]
    address: String,
    #[pyo3(get)]
    row: u32,
    #[pyo3(get)]
    col: u32,
    #[pyo3(get)]
    style: u32,
    value: CellValue,
    /// The date format of its style, when it has one (the value is then a date).
    date: Option<DateKind>,
    #[pyo3(get)]
    formula: Option<String>,
}

impl PyCell {
    fn new(sheet: String, c: xlsx::Cell, date: Option<DateKind>) -> PyCell {
        PyCell { sheet, address: c.address, row: c.row, col: c.col, style: c.style, value: c.value, date, formula: c.formula }
    }
}

/// The date format of a cell's style when its value is a number (`None` otherwise), looked up
/// once per style in `seen` (the workbook's cache: `get` of a number took 80 µs looking the format up
/// each time, 19 µs with the cache, 14 µs for a text; debug build).
fn date_of(wb: &mut xlsx::Workbook, c: &xlsx::Cell, seen: &mut std::collections::HashMap<u32, Option<DateKind>>) -> crate::error::Result<Option<DateKind>> {
    if !matches!(c.value, CellValue::Number(_)) {
        return Ok(None);
    }
    if let Some(k) = seen.get(&c.style) {
        return Ok(*k);
    }
    let k = wb.date_kind(c.style)?;
    seen.insert(c.style, k);
    Ok(k)
}

#[pymethods]
impl PyCell {
    /// The value (for a formula, its cached result; `None` when there is none); a number in a
    /// date format as a `datetime.date` (or `datetime.datetime`).
    #[getter]
    fn value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        cell_value_to_py(py, &self.value, self.date)
    }

    /// The fields as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyDict>> {
        let d = pyo3::types::PyDict::new(py);
        d.set_item("sheet", &self.sheet)?;
        d.set_item("address", &self.address)?;
        d.set_item("row", self.row)?;
        d.set_item("col", self.col)?;
        d.set_item("style", self.style)?;
        d.set_item("value", self.value(py)?)?;
        d.set_item("formula", &self.formula)?;
        Ok(d)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<PyCell>().is_ok_and(|o| *o.get() == *self)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let value = self.value(py)?.repr()?.to_string();
        let formula = match &self.formula {
            Some(f) => PyString::new(py, f).repr()?.to_string(),
            None => "None".into(),
        };
        let sheet = PyString::new(py, &self.sheet).repr()?;
        Ok(format!(
            "Cell(sheet={sheet}, address='{}', row={}, col={}, style={}, value={value}, formula={formula})",
            self.address, self.row, self.col, self.style
        ))
    }
}

/// Serializes with serde_json and hands the text to Python's `json.loads`.
fn to_python<'py, T: serde::Serialize>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(v).map_err(|e| WorkbookError::new_err(e.to_string()))?;
    py.import("json")?.call_method1("loads", (text,))
}

/// Rejects NaN and infinities, which a cell cannot hold, with the cell's place in the error.
fn check_finite(v: CellValue, path: &std::path::Path, at: &SheetCell) -> PyResult<CellValue> {
    match v {
        CellValue::Number(n) if !n.is_finite() => {
            Err(Error::new(ErrorKind::InvalidValue { expected: Message::new("有限の数値", "a finite number"), found: n.to_string() })
                .in_file(path)
                .in_sheet(at.sheet.clone())
                .at_cell(at.cell.to_string())
                .into())
        }
        v => Ok(v),
    }
}

fn parse_address(path: &std::path::Path, address: &str) -> PyResult<SheetCell> {
    Ok(SheetCell::parse(address).map_err(|e| e.in_file(path))?)
}

/// Stores a date's serial number at `sc` and gives the cell a date format of `kind` (its own
/// style otherwise kept), unless its format already shows such dates.
fn set_date(wb: &mut xlsx::Workbook, sc: &SheetCell, serial: CellValue, kind: DateKind) -> crate::error::Result<()> {
    wb.set_value(&sc.sheet, sc.cell, serial)?;
    let style = wb.style(&sc.sheet, sc.cell)?;
    match (wb.date_kind(style)?, kind) {
        (Some(DateKind::DateTime), _) | (Some(DateKind::Date), DateKind::Date) => Ok(()),
        _ => {
            let date_style = wb.date_style(style, kind)?;
            wb.set_style(&sc.sheet, sc.cell, date_style)
        }
    }
}

/// A profile argument: `None` (detect the edition), a builtin name (`"ipa-3"`, `"ipa-2.1"`, `"lv3"`)
/// or the path of a TOML profile, as the CLI's `--profile`.
fn load_profile(arg: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Profile>> {
    let Some(arg) = arg.filter(|a| !a.is_none()) else { return Ok(None) };
    let path: PathBuf =
        arg.extract().map_err(|_| PyTypeError::new_err("a profile must be None, a builtin name (ipa-3, ipa-2.1) or the path of a TOML file"))?;
    Ok(Some(Profile::resolve(&path.to_string_lossy())?))
}

/// The read options of `fill`, `analysis` and `report`: the profile, explicit places
/// (`{"ledger.medium": "G", "checklist": "チェック表"}`) and company facts (`{"employees": 12,
/// "outsourcing": True}`; booleans become はい/いいえ), as the CLI's `--profile`, `--map`, `--fact`.
fn read_options(
    profile: Option<&Bound<'_, PyAny>>,
    map: Option<&Bound<'_, pyo3::types::PyDict>>,
    facts: Option<&Bound<'_, pyo3::types::PyDict>>,
) -> PyResult<ops::ipa::ReadOptions> {
    let pairs = |d: Option<&Bound<'_, pyo3::types::PyDict>>| -> PyResult<Vec<(String, String)>> {
        let Some(d) = d else { return Ok(Vec::new()) };
        d.iter()
            .map(|(k, v)| {
                let value = match v.extract::<bool>() {
                    Ok(b) if v.is_instance_of::<pyo3::types::PyBool>() => if b { "yes" } else { "no" }.to_string(),
                    _ => v.str()?.to_string(),
                };
                Ok((k.str()?.to_string(), value))
            })
            .collect()
    };
    Ok(ops::ipa::ReadOptions { profile: load_profile(profile)?, map: pairs(map)?, facts: pairs(facts)?, lang: message_lang() })
}

/// A workbook opened for reading and in-place editing. Edits stay in memory until `save()`.
/// (The Python package subclasses it as `risksheet.Workbook`, adding `assets` and `assets_frame()`.)
#[pyclass(name = "Workbook", module = "risksheet._risksheet", subclass)]
pub struct PyWorkbook {
    inner: Option<xlsx::Workbook>,
    /// Whether each cell format met shows dates ([`date_of`]); formats keep their index, so this
    /// holds for the workbook's life.
    date_styles: std::collections::HashMap<u32, Option<DateKind>>,
}

impl PyWorkbook {
    fn wb(&mut self) -> PyResult<&mut xlsx::Workbook> {
        self.inner.as_mut().ok_or_else(|| PyValueError::new_err("the workbook is closed"))
    }
    /// The workbook and the date formats met so far.
    fn wb_dates(&mut self) -> PyResult<(&mut xlsx::Workbook, &mut std::collections::HashMap<u32, Option<DateKind>>)> {
        let PyWorkbook { inner, date_styles } = self;
        Ok((inner.as_mut().ok_or_else(|| PyValueError::new_err("the workbook is closed"))?, date_styles))
    }
    fn wb_ref(&self) -> PyResult<&xlsx::Workbook> {
        self.inner.as_ref().ok_or_else(|| PyValueError::new_err("the workbook is closed"))
    }
    /// The sheet's name as the workbook spells it.
    fn sheet_name(&mut self, sheet: &str) -> PyResult<String> {
        let wb = self.wb()?;
        let i = wb.sheet_index(sheet)?;
        Ok(wb.sheet_names()[i].clone())
    }
}

#[pymethods]
impl PyWorkbook {
    /// Opens a workbook (`.xlsx`, `.xlsm`). `max_part_mb` is the largest uncompressed part accepted.
    #[new]
    #[pyo3(signature = (path, *, max_part_mb = 1024))]
    fn new(py: Python<'_>, path: PathBuf, max_part_mb: u64) -> PyResult<PyWorkbook> {
        let limits = Limits::with_max_part_mb(max_part_mb)?;
        let wb = py.detach(|| xlsx::Workbook::open_with(&path, &limits))?;
        Ok(PyWorkbook { inner: Some(wb), date_styles: Default::default() })
    }

    /// The file the workbook reads from (after `save(path)`, the new file).
    #[getter]
    fn path(&self) -> PyResult<PathBuf> {
        Ok(self.wb_ref()?.path().to_path_buf())
    }

    /// The tab names, in order.
    #[getter]
    fn sheet_names(&self) -> PyResult<Vec<String>> {
        Ok(self.wb_ref()?.sheet_names())
    }

    /// The tabs: dicts with `name`, `part`, `kind` (worksheet, chartsheet, other), `hidden`.
    #[getter]
    fn sheets<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.wb_ref()?.sheets())
    }

    /// Whether there are unsaved edits.
    #[getter]
    fn modified(&self) -> PyResult<bool> {
        Ok(self.wb_ref()?.is_modified())
    }

    /// Whether `close()` was called.
    #[getter]
    fn closed(&self) -> bool {
        self.inner.is_none()
    }

    /// The value of `SHEET!A1`: `float`, `str`, `bool` or `None`; errors (`#N/A`) as `str`; a
    /// number in a date format as a `datetime.date` (`datetime.datetime` when the format shows a
    /// time or the number has one). For a formula, the cached result (`None` when there is none).
    /// Unsaved edits are seen.
    fn get<'py>(&mut self, py: Python<'py>, address: &str) -> PyResult<Bound<'py, PyAny>> {
        let (wb, seen) = self.wb_dates()?;
        let sc = parse_address(wb.path(), address)?;
        let path = wb.path().to_path_buf();
        let Some(c) = wb.cell(&sc.sheet, sc.cell).map_err(|e| e.in_file(&path))? else { return Ok(py.None().into_bound(py)) };
        let date = date_of(wb, &c, seen).map_err(|e| e.in_file(&path))?;
        cell_value_to_py(py, &c.value, date)
    }

    /// The cell at `SHEET!A1`, or `None` when the workbook stores nothing there.
    fn cell(&mut self, address: &str) -> PyResult<Option<PyCell>> {
        let sc = parse_address(self.wb()?.path(), address)?;
        let sheet = self.sheet_name(&sc.sheet)?;
        let (wb, seen) = self.wb_dates()?;
        let path = wb.path().to_path_buf();
        let Some(c) = wb.cell(&sheet, sc.cell).map_err(|e| e.in_file(&path))? else { return Ok(None) };
        let date = date_of(wb, &c, seen).map_err(|e| e.in_file(&path))?;
        Ok(Some(PyCell::new(sheet, c, date)))
    }

    /// Every stored cell of a sheet, row by row.
    fn cells(&mut self, sheet: &str) -> PyResult<Vec<PyCell>> {
        let sheet = self.sheet_name(sheet)?;
        let (wb, seen) = self.wb_dates()?;
        let path = wb.path().to_path_buf();
        let cells = wb.cells(&sheet).map_err(|e| e.in_file(&path))?;
        let mut out = Vec::with_capacity(cells.len());
        for c in cells {
            let date = date_of(wb, &c, seen).map_err(|e| e.in_file(&path))?;
            out.push(PyCell::new(sheet.clone(), c, date));
        }
        Ok(out)
    }

    /// Sets `SHEET!A1`, keeping its style: `int`/`float` a number, `str` starting with `=` a
    /// formula (computed by Excel or LibreOffice when the file is opened), other `str` text,
    /// `bool` TRUE/FALSE, `None` empties the cell. With `text=True` a `str` is stored as text
    /// exactly as given (`"=1+2"` stays the text 「=1+2」), like `edit --set-text`. A
    /// `datetime.date` (`datetime.datetime`) is stored as its Excel serial number and, unless the
    /// cell already shows dates (with a time, for a `datetime`), given a date (date-time) number
    /// format, so Excel and LibreOffice show a date; `get` reads it back as the date.
    #[pyo3(signature = (address, value, *, text = false))]
    fn set(&mut self, address: &str, value: &Bound<'_, PyAny>, text: bool) -> PyResult<()> {
        let wb = self.wb()?;
        let sc = parse_address(wb.path(), address)?;
        let path = wb.path().to_path_buf();
        let (value, date) = input_from_py(value, &path, &sc)?;
        let value = check_finite(value, &path, &sc)?;
        if let Some(kind) = date {
            if text {
                return Err(PyTypeError::new_err("text=True takes a str value"));
            }
            let r = set_date(wb, &sc, value, kind);
            return Ok(r.map_err(|e| e.in_file(&path))?);
        }
        let r = match value {
            CellValue::Text(t) if text => ops::edit::Assignment { target: sc, input: t, text: true }.apply(wb),
            _ if text => return Err(PyTypeError::new_err("text=True takes a str value")),
            CellValue::Text(t) if t.len() > 1 && t.starts_with('=') => wb.set_formula(&sc.sheet, sc.cell, &t[1..], None),
            v => wb.set_value(&sc.sheet, sc.cell, v),
        };
        Ok(r.map_err(|e| e.in_file(&path))?)
    }

    /// Sets a formula (with or without the leading `=`) and, optionally, the value it computes.
    #[pyo3(signature = (address, formula, cached = None))]
    fn set_formula(&mut self, address: &str, formula: &str, cached: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let wb = self.wb()?;
        let sc = parse_address(wb.path(), address)?;
        let path = wb.path().to_path_buf();
        let cached = cached.map(|v| check_finite(value_from_py(v)?, &path, &sc)).transpose()?;
        Ok(wb.set_formula(&sc.sheet, sc.cell, formula, cached).map_err(|e| e.in_file(&path))?)
    }

    /// What the workbook holds, as `risksheet inspect --json` reports it.
    fn inspect<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let report = ops::inspect::inspect(self.wb()?)?;
        to_python(py, &report)
    }

    /// Computes every result of an IPA risk analysis workbook (重要度, 脅威, 脆弱性, 被害発生可能性,
    /// リスク値, the 集計 sheet, 診断結果 and the policy selection) and stages them as formulas with
    /// cached values, dropdowns and canonical inputs; `save()` writes them. `profile`: `None`
    /// (detect the edition), a builtin name or a TOML file; `map` and `facts` as `--map` and
    /// `--fact`. Returns the summary of `risksheet fill --json` (its `fill` part).
    #[pyo3(signature = (profile = None, *, map = None, facts = None))]
    fn fill<'py>(
        &mut self,
        py: Python<'py>,
        profile: Option<&Bound<'py, PyAny>>,
        map: Option<&Bound<'py, pyo3::types::PyDict>>,
        facts: Option<&Bound<'py, pyo3::types::PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let opts = read_options(profile, map, facts)?;
        let wb = self.wb()?;
        let path = wb.path().to_path_buf();
        let summary = py.detach(|| ops::ipa::fill::fill_with(wb, &opts)).map_err(|e| e.in_file(&path))?;
        // The high-risk assets as records (name, band … apart), not the CLI's 「name (リスク大)」.
        let out = to_python(py, &summary)?;
        out.set_item("high_risk_assets", to_python(py, &summary.high_risk)?)?;
        Ok(out)
    }

    /// Adds the 25-item self check as a sheet 自社診断 (`risksheet new --add-to BOOK --edition
    /// self-check`): one answer column per name of `sites` (one 「回答」 column when empty), the
    /// points and result as formulas. Staged: `save()` writes it in place. Returns the self check
    /// as `analysis()["self_check"]` shows it.
    #[pyo3(signature = (sites = None, lang = "ja", profile = None))]
    fn add_self_check<'py>(
        &mut self,
        py: Python<'py>,
        sites: Option<Vec<String>>,
        lang: &str,
        profile: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let wl = Lang::parse(lang).ok_or_else(|| PyValueError::new_err(format!("unknown language '{lang}' (ja, en)")))?;
        let p = match load_profile(profile)? {
            Some(p) => p,
            None => Profile::builtin("ipa-3")?,
        };
        let wb = self.wb()?;
        let path = wb.path().to_path_buf();
        let sites = sites.unwrap_or_default();
        let s = py.detach(|| ops::template::self_check::add_self_check(wb, &p, wl, &sites)).map_err(|e| e.in_file(&path))?;
        to_python(py, &s)
    }

    /// The IPA risk analysis read from the workbook (unsaved edits included): `edition`, `lang`,
    /// `layout`, `assets`, `media`, `groups`, `chapters`, `warnings`, as the `ipa` part of
    /// `risksheet inspect --json`. Raises `ProfileError` when the workbook is not one.
    #[pyo3(signature = (profile = None, *, map = None, facts = None))]
    fn analysis<'py>(
        &mut self,
        py: Python<'py>,
        profile: Option<&Bound<'py, PyAny>>,
        map: Option<&Bound<'py, pyo3::types::PyDict>>,
        facts: Option<&Bound<'py, pyo3::types::PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let opts = read_options(profile, map, facts)?;
        let wb = self.wb()?;
        let path = wb.path().to_path_buf();
        let analysis = py.detach(|| ops::ipa::analyze_with(wb, &opts)).map_err(|e| e.in_file(&path))?;
        to_python(py, &analysis)
    }

    /// Rewrites every ISO/IEC 27001:2013 control reference in the text cells to the 2022 set and
    /// adds the trail sheet 「変換記録」, as `risksheet convert`; `save()` writes it. `to` must be
    /// `"2022"`; `source` is the legacy edition, `"2005"`, `"2013"` or `"auto"` (decided from the
    /// workbook; cells that cannot be decided are listed for review); `sheets` limits the sheets;
    /// `catalog` is a CSV of licensed titles (id,title_ja[,title_en]).
    /// Returns the report (cells converted, to review, every change, the source edition).
    #[pyo3(signature = (to = "2022", *, source = "auto", sheets = None, catalog = None))]
    fn convert<'py>(&mut self, py: Python<'py>, to: &str, source: &str, sheets: Option<Vec<String>>, catalog: Option<PathBuf>) -> PyResult<Bound<'py, PyAny>> {
        if to != "2022" {
            return Err(PyValueError::new_err(format!("to={to:?}: only \"2022\" is supported")));
        }
        let from = match source {
            "auto" => None,
            s => Some(crate::controls::Edition::parse(s).ok_or_else(|| PyValueError::new_err(format!("source={s:?}: \"2005\", \"2013\" or \"auto\"")))?),
        };
        let cat = crate::controls::Catalog::with_titles(catalog.as_deref())?;
        let opts = ops::convert::Options { sheets: sheets.unwrap_or_default(), lang: message_lang(), from, ..Default::default() };
        let wb = self.wb()?;
        let path = wb.path().to_path_buf();
        let report = py.detach(|| ops::convert::convert(wb, &cat, &opts)).map_err(|e| e.in_file(&path))?;
        to_python(py, &report)
    }

    /// Writes a 2022 Statement of Applicability (適用宣言書) built from this workbook (a legacy SoA
    /// or a risk sheet) to `path`, as `risksheet soa`. Returns its report.
    #[pyo3(signature = (path, *, catalog = None, lang = None))]
    fn soa<'py>(&mut self, py: Python<'py>, path: PathBuf, catalog: Option<PathBuf>, lang: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
        let cat = crate::controls::Catalog::with_titles(catalog.as_deref())?;
        let lang = match lang {
            Some(l) => Lang::parse(l).ok_or_else(|| PyValueError::new_err(format!("lang={l:?}: \"ja\" or \"en\"")))?,
            None => message_lang(),
        };
        let wb = self.wb()?;
        let report = py.detach(|| ops::soa::build_soa(wb, &cat, &path, lang, message_lang()))?;
        to_python(py, &report)
    }

    /// The risk analysis as a document, as `risksheet report`: `format` is `"md"` (Markdown) or
    /// `"html"` (a standalone page), in the message language (`set_lang`).
    #[pyo3(signature = (format = "md", profile = None, *, map = None, facts = None))]
    fn report(
        &mut self,
        py: Python<'_>,
        format: &str,
        profile: Option<&Bound<'_, PyAny>>,
        map: Option<&Bound<'_, pyo3::types::PyDict>>,
        facts: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) -> PyResult<String> {
        let format = ops::report::Format::from_name(format).ok_or_else(|| PyValueError::new_err(format!("format={format:?}: \"md\" or \"html\"")))?;
        let opts = read_options(profile, map, facts)?;
        let wb = self.wb()?;
        let path = wb.path().to_path_buf();
        let analysis = py.detach(|| ops::ipa::analyze_with(wb, &opts)).map_err(|e| e.in_file(&path))?;
        Ok(ops::report::render(&analysis, format, message_lang()))
    }

    /// Saves the safe way, in place or to `path` (then the workbook reads from `path`): the new
    /// file is checked before it replaces the old one, which keeps its owner and mode. With
    /// `backup`, an existing target is first copied to `NAME.bak.xlsx` (or the next free
    /// `NAME.bak-2.xlsx` …). Refuses (`WorkbookError`, `.kind` "changed_since_read" or "in_use")
    /// a file changed on disk since it was opened, or open in LibreOffice or Excel, unless
    /// `force`. On error nothing is written. Returns the report of `risksheet edit --json`.
    #[pyo3(signature = (path = None, *, backup = false, force = false))]
    fn save<'py>(&mut self, py: Python<'py>, path: Option<PathBuf>, backup: bool, force: bool) -> PyResult<Bound<'py, PyAny>> {
        let wb = self.wb()?;
        let target = path.unwrap_or_else(|| wb.path().to_path_buf());
        let opts = xlsx::file::SaveOptions { backup, force };
        let report = py.detach(|| wb.save_as(&target, &opts))?;
        to_python(py, &report)
    }

    /// What `save()` would change, writing nothing (`risksheet edit --dry-run --json`).
    fn preview<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let report = self.wb()?.preview()?;
        to_python(py, &report)
    }

    /// Drops the workbook and any unsaved edits.
    fn close(&mut self) {
        self.inner = None;
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// Leaving a `with` block closes the workbook; it does not save.
    #[pyo3(signature = (_exc_type = None, _exc = None, _tb = None))]
    fn __exit__(&mut self, _exc_type: Option<&Bound<'_, PyAny>>, _exc: Option<&Bound<'_, PyAny>>, _tb: Option<&Bound<'_, PyAny>>) -> bool {
        self.close();
        false
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        match &self.inner {
            None => Ok("<risksheet.Workbook (closed)>".into()),
            Some(wb) => {
                let path = PyString::new(py, &wb.path().display().to_string()).repr()?;
                let names = wb.sheet_names().into_pyobject(py)?.repr()?;
                let modified = if wb.is_modified() { " (modified)" } else { "" };
                Ok(format!("<risksheet.Workbook {path} sheets={names}{modified}>"))
            }
        }
    }
}

/// Opens a workbook (`.xlsx`, `.xlsm`) for reading and in-place editing.
#[pyfunction]
#[pyo3(signature = (path, *, max_part_mb = 1024))]
fn open(py: Python<'_>, path: PathBuf, max_part_mb: u64) -> PyResult<PyWorkbook> {
    PyWorkbook::new(py, path, max_part_mb)
}

/// Creates `path` as a fresh risk analysis workbook in the IPA layout (`risksheet new`), with
/// every formula and dropdown of `fill`; for `"lv3"` and `"isms-seminar"` a risk register
/// (資産目録, the register, リスク対応計画; inputs only, the summary counts no assets).
/// `edition`: a builtin name or a TOML profile; `lang`: the language of the sheets. An existing
/// file is replaced only with `force`. Returns the summary.
#[pyfunction]
#[pyo3(signature = (path, edition = None, lang = "ja", *, force = false))]
fn new_workbook<'py>(py: Python<'py>, path: PathBuf, edition: Option<&Bound<'py, PyAny>>, lang: &str, force: bool) -> PyResult<Bound<'py, PyAny>> {
    let wl = Lang::parse(lang).ok_or_else(|| PyValueError::new_err(format!("unknown language '{lang}' (ja, en)")))?;
    let profile = match load_profile(edition)? {
        Some(p) => p,
        None => Profile::builtin("ipa-3")?,
    };
    if !force && path.exists() {
        let msg = Message::new("既にあります（上書きするには force=True）", "exists (use force=True to replace it)");
        return Err(Error::from(std::io::Error::new(std::io::ErrorKind::AlreadyExists, msg)).in_file(&path).into());
    }
    let summary = py.detach(|| ops::template::new_workbook(&path, &profile, wl))?;
    to_python(py, &summary)
}

/// Sets the language of error messages: `"ja"` (default) or `"en"`.
#[pyfunction]
fn set_lang(lang: &str) -> PyResult<()> {
    let l = Lang::parse(lang).ok_or_else(|| PyValueError::new_err(format!("unknown language '{lang}' (ja, en)")))?;
    MESSAGE_LANG.store(l == Lang::En, std::sync::atomic::Ordering::Relaxed);
    Ok(())
}

/// The language of error messages: `"ja"` or `"en"`.
#[pyfunction]
fn get_lang() -> &'static str {
    match message_lang() {
        Lang::Ja => "ja",
        Lang::En => "en",
    }
}

#[pymodule]
fn _risksheet(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(open, m)?)?;
    m.add_function(wrap_pyfunction!(new_workbook, m)?)?;
    m.add_function(wrap_pyfunction!(set_lang, m)?)?;
    m.add_function(wrap_pyfunction!(get_lang, m)?)?;
    m.add_class::<PyWorkbook>()?;
    m.add_class::<PyCell>()?;
    m.add("WorkbookError", py.get_type::<WorkbookError>())?;
    m.add("NotAWorkbookError", py.get_type::<NotAWorkbookError>())?;
    m.add("SheetNotFoundError", py.get_type::<SheetNotFoundError>())?;
    m.add("InvalidAddressError", py.get_type::<InvalidAddressError>())?;
    m.add("ArrayFormulaError", py.get_type::<ArrayFormulaError>())?;
    m.add("InvalidValueError", py.get_type::<InvalidValueError>())?;
    m.add("ProfileError", py.get_type::<ProfileError>())?;
    let ns = pyo3::types::PyDict::new(py);
    ns.set_item("WorkbookError", py.get_type::<WorkbookError>())?;
    py.run(OS_ERRORS, Some(&ns), None)?;
    for (name, cell) in [("FileNotFound", &FILE_NOT_FOUND), ("IsADirectory", &IS_A_DIRECTORY)] {
        let ty = ns.get_item(name)?.ok_or_else(|| PyValueError::new_err(name))?.cast_into::<PyType>()?;
        m.add(name, &ty)?;
        let _ = cell.set(py, ty.unbind());
    }
    Ok(())
}
