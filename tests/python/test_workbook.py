"""The Python module `risksheet`: open, read, set, save (atomic, in place or elsewhere), errors as
Python exceptions in both languages, and round trips that lose nothing (`xlsx-features --lost`).

Needs the compiled module installed (`python/build.sh`); outside CI the tests skip without it."""
import ast
import json
import math
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(__file__).resolve().parents[3] / "shared"
FIXTURES = ROOT / "tests" / "fixtures"
XLSX_FEATURES = SHARED / "tools" / "xlsx-features"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

if IN_CI:
    import risksheet  # in CI a missing module is a failure: tests/run builds and installs it
else:
    risksheet = pytest.importorskip("risksheet", reason="risksheet Python module not installed (python/build.sh)")

LEDGER = "ipa-like-ledger.xlsx"
FEATURES = "excel-style-features.xlsx"


# Every test starts with Japanese messages (the default) and leaves them so.
pytestmark = pytest.mark.usefixtures("japanese")


@pytest.fixture
def copy(tmp_path):
    """Copies a fixture into the test's directory and returns the copy's path."""
    def make(name, dest=None):
        target = tmp_path / (dest or name)
        shutil.copyfile(FIXTURES / name, target)
        return target
    return make


def lost(before, after):
    """Runs `xlsx-features --lost`; returns its output when features were lost, else None."""
    if not XLSX_FEATURES.exists():
        if IN_CI:
            pytest.fail(f"{XLSX_FEATURES} is missing")
        pytest.skip(f"{XLSX_FEATURES} not found")
    r = subprocess.run(["python3", str(XLSX_FEATURES), "--lost", str(before), str(after)], capture_output=True, text=True)
    return None if r.returncode == 0 else r.stdout + r.stderr


# --- reading -------------------------------------------------------------------------------------

def test_open_and_read(copy):
    path = copy(LEDGER)
    wb = risksheet.open(path)
    assert wb.sheet_names == ["台帳", "脅威の状況", "対策状況チェック"]
    assert wb.path == path
    assert [s["kind"] for s in wb.sheets] == ["worksheet"] * 3
    assert wb.get("台帳!A1") == "情報資産管理台帳"
    assert wb.get("台帳!Z99") is None
    assert wb.cell("台帳!Z99") is None
    assert not wb.modified and not wb.closed
    assert "台帳" in repr(wb) and str(path) in repr(wb)


def test_values_have_python_types(copy):
    wb = risksheet.open(copy(FEATURES))
    assert wb.get("台帳!B3") == 2.0 and isinstance(wb.get("台帳!B3"), float)
    assert wb.get("台帳!F3") == "A"
    assert wb.get("台帳!D3") == 2400.0  # a formula's cached value
    # quoted sheet names, full-width '!' and a sheet name matched ignoring case
    assert wb.get("'My Sheet'!A1") == wb.get("my sheet！A1")


def test_cell_and_cells(copy):
    wb = risksheet.open(copy(FEATURES))
    c = wb.cell("台帳!D3")
    assert (c.sheet, c.address, c.row, c.col, c.value, c.formula) == ("台帳", "D3", 3, 4, 2400.0, "B3*C3")
    assert isinstance(c.style, int)
    assert c.to_dict() == {"sheet": "台帳", "address": "D3", "row": 3, "col": 4, "style": c.style, "value": 2400.0, "formula": "B3*C3"}
    assert c == wb.cell("台帳!D3") and c != wb.cell("台帳!D4")
    assert "D3" in repr(c) and "B3*C3" in repr(c)
    cells = wb.cells("台帳")
    assert cells[0].address == "A1" and all(x.sheet == "台帳" for x in cells)
    assert [x for x in cells if x.address == "D3"] == [c]
    assert [x.address for x in wb.cells("my sheet")] == [x.address for x in wb.cells("My Sheet")]
    assert wb.cells("My Sheet")[0].sheet == "My Sheet"


def test_inspect_matches_cli(copy, risksheet_bin):
    path = copy(LEDGER)
    cli = json.loads(subprocess.run([str(risksheet_bin), "inspect", str(path), "--json"], capture_output=True, check=True).stdout)
    assert risksheet.open(path).inspect() == cli
    assert risksheet.open(str(path)).inspect()["sheets"][0]["name"] == "台帳"


# --- editing -------------------------------------------------------------------------------------

def test_set_values_and_formulas(copy):
    path = copy(LEDGER)
    wb = risksheet.open(path)
    wb.set("台帳!B20", 3)
    wb.set("台帳!C20", 2.5)
    wb.set("台帳!D20", "テキスト")
    wb.set("台帳!E20", True)
    wb.set("台帳!F20", "=B20*C20")
    wb.set("台帳!G20", "2")  # a str stays text, even when it looks like a number
    wb.set("台帳!H20", "=")  # a lone '=' is text
    wb.set_formula("台帳!I20", "=B20+1", cached=4)
    wb.set_formula("台帳!J20", "B20+2")
    wb.set("台帳!A1", None)
    assert wb.modified
    # Unsaved edits are seen.
    assert wb.get("台帳!B20") == 3.0 and wb.cell("台帳!F20").formula == "B20*C20"
    report = wb.save()
    assert report["file"] == str(path)
    assert "xl/worksheets/sheet1.xml" in report["parts_changed"]
    assert len(report["cells_written"]) == 10
    assert not wb.modified

    wb = risksheet.open(path)
    assert wb.get("台帳!B20") == 3.0
    assert wb.get("台帳!C20") == 2.5
    assert wb.get("台帳!D20") == "テキスト"
    assert wb.get("台帳!E20") is True
    f = wb.cell("台帳!F20")
    assert (f.formula, f.value) == ("B20*C20", None)  # no cached value: computed on opening
    assert wb.get("台帳!G20") == "2"
    assert wb.get("台帳!H20") == "="
    assert (wb.cell("台帳!I20").formula, wb.get("台帳!I20")) == ("B20+1", 4.0)
    assert wb.cell("台帳!J20").formula == "B20+2"
    assert wb.get("台帳!A1") is None


def test_set_keeps_style(copy):
    wb = risksheet.open(copy(FEATURES))
    style = wb.cell("台帳!C3").style
    wb.set("台帳!C3", 999)
    wb.save()
    assert wb.cell("台帳!C3").style == style and wb.get("台帳!C3") == 999.0


def test_edit_drops_dependent_caches(copy):
    wb = risksheet.open(copy(FEATURES))
    wb.set("台帳!B3", 4)
    preview = wb.preview()
    assert "台帳!D3" in preview["formulas_affected"]
    assert "台帳!B3" in preview["cells_written"]
    report = wb.save()
    assert report["formulas_affected"] == preview["formulas_affected"]
    assert wb.cell("台帳!D3").value is None


def test_preview_matches_cli_dry_run(copy, risksheet_bin):
    path = copy(FEATURES)
    before = path.read_bytes()
    cli = subprocess.run([str(risksheet_bin), "edit", str(path), "--set", "台帳!B3=7", "--set", "台帳!B20==B3*2", "--dry-run", "--json"],
                         capture_output=True, check=True)
    wb = risksheet.open(path)
    wb.set("台帳!B3", 7)
    wb.set("台帳!B20", "=B3*2")
    assert wb.preview() == json.loads(cli.stdout)
    assert path.read_bytes() == before  # preview writes nothing


def test_save_to_new_path(copy, tmp_path):
    path = copy(LEDGER)
    before = path.read_bytes()
    out = tmp_path / "out" / "filled.xlsx"
    out.parent.mkdir()
    wb = risksheet.open(path)
    wb.set("台帳!B5", "新しい名前")
    report = wb.save(out)
    assert report["file"] == str(out)
    assert path.read_bytes() == before
    assert wb.path == out  # the workbook now reads from the new file
    assert risksheet.open(out).get("台帳!B5") == "新しい名前"


def test_save_with_backup(copy, tmp_path):
    path = copy(LEDGER, "book.xlsx")
    before = path.read_bytes()
    wb = risksheet.open(path)
    wb.set("台帳!B5", "x")
    wb.save(backup=True)
    assert (tmp_path / "book.bak.xlsx").read_bytes() == before
    assert risksheet.open(path).get("台帳!B5") == "x"


def test_save_unmodified_in_place_writes_nothing(copy):
    path = copy(LEDGER)
    mtime = path.stat().st_mtime_ns
    report = risksheet.open(path).save()
    assert report["parts_changed"] == [] and path.stat().st_mtime_ns == mtime


def test_context_manager_closes_without_saving(copy):
    path = copy(LEDGER)
    before = path.read_bytes()
    with risksheet.open(path) as wb:
        wb.set("台帳!B5", "x")
        assert wb.get("台帳!B5") == "x"
    assert wb.closed and "closed" in repr(wb)
    with pytest.raises(ValueError):
        wb.get("台帳!B5")
    assert path.read_bytes() == before
    with pytest.raises(KeyError):
        with risksheet.Workbook(path) as wb2:
            raise KeyError("propagates")
    assert wb2.closed


# --- atomicity -----------------------------------------------------------------------------------

def corrupt_part(src, dst, part):
    """A copy of src whose `part` is not well-formed XML."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                data = data[: len(data) // 2]
            zout.writestr(info, data)


def test_failed_save_leaves_file_byte_identical(tmp_path):
    path = tmp_path / "damaged.xlsx"
    corrupt_part(FIXTURES / LEDGER, path, "xl/worksheets/sheet3.xml")
    before = path.read_bytes()
    wb = risksheet.open(path)
    wb.set("台帳!B5", "x")  # the damaged sheet is read only when saving (to find dependent formulas)
    with pytest.raises(risksheet.WorkbookError):
        wb.save()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["damaged.xlsx"]  # no temporary file left


def test_failed_save_elsewhere_leaves_target_untouched(copy, tmp_path):
    path = copy(LEDGER)
    before = path.read_bytes()
    wb = risksheet.open(path)
    wb.set("台帳!B5", "x")
    with pytest.raises(risksheet.WorkbookError) as e:
        wb.save(tmp_path / "missing-dir" / "out.xlsx")
    assert e.value.kind == "io"
    target = tmp_path / "a-directory.xlsx"
    target.mkdir()
    with pytest.raises(risksheet.WorkbookError):
        wb.save(target)
    assert target.is_dir() and list(target.iterdir()) == []
    assert path.read_bytes() == before
    # The edits are still pending and can be saved afterwards.
    assert wb.modified
    wb.save()
    assert risksheet.open(path).get("台帳!B5") == "x"


def test_save_refuses_a_file_changed_since_it_was_opened(copy):
    # Another program saved the file after this workbook read it: saving would lose its work.
    path = copy(LEDGER)
    wb = risksheet.open(path)
    wb.set("台帳!B5", "mine")
    other = risksheet.open(path)
    other.set("台帳!B6", "theirs")
    other.save()
    theirs = path.read_bytes()
    with pytest.raises(risksheet.WorkbookError) as e:
        wb.save()
    assert e.value.kind == "changed_since_read" and e.value.file == str(path)
    assert "変更されています" in str(e.value)
    assert path.read_bytes() == theirs
    # The user decides: force overwrites.
    wb.save(force=True)
    assert risksheet.open(path).get("台帳!B5") == "mine"


def test_save_refuses_a_workbook_open_in_libreoffice(copy, tmp_path):
    path = copy(LEDGER, "book.xlsx")
    (tmp_path / ".~lock.book.xlsx#").write_text("佐藤,pc01,pc01,30.11.2026 09:00,file:///x;", encoding="utf-8")
    wb = risksheet.open(path)
    wb.set("台帳!B5", "x")
    before = path.read_bytes()
    with pytest.raises(risksheet.WorkbookError) as e:
        wb.save()
    assert e.value.kind == "in_use" and "佐藤" in str(e.value) and "LibreOffice" in str(e.value)
    assert path.read_bytes() == before
    wb.save(force=True)
    assert risksheet.open(path).get("台帳!B5") == "x"


def test_failed_edit_changes_nothing(copy):
    path = copy(FEATURES)
    before = path.read_bytes()
    wb = risksheet.open(path)
    with pytest.raises(risksheet.ArrayFormulaError):
        wb.set("台帳!E4", 1)
    assert not wb.modified
    wb.save()
    assert path.read_bytes() == before


# --- errors --------------------------------------------------------------------------------------

def test_exception_hierarchy():
    for cls in (risksheet.NotAWorkbookError, risksheet.SheetNotFoundError, risksheet.InvalidAddressError,
                risksheet.InvalidValueError, risksheet.ProfileError):
        assert issubclass(cls, risksheet.WorkbookError)
    assert issubclass(risksheet.ArrayFormulaError, risksheet.InvalidAddressError)
    assert issubclass(risksheet.WorkbookError, Exception)


def test_not_a_zip(tmp_path):
    p = tmp_path / "notes.xlsx"
    p.write_text("just text")
    with pytest.raises(risksheet.NotAWorkbookError) as e:
        risksheet.open(p)
    assert e.value.kind == "not_zip" and e.value.file == str(p)
    assert str(e.value).startswith(f"{p}: ") and "zip" in str(e.value)


@pytest.mark.parametrize("kind", ["encrypted", "legacy_xls"])
def test_ole_files(tmp_path, kind):
    # An OLE compound file: a password-protected .xlsx, or a legacy .xls.
    p = tmp_path / ("secret.xlsx" if kind == "encrypted" else "old.xls")
    p.write_bytes(bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + bytes(504))
    with pytest.raises(risksheet.NotAWorkbookError) as e:
        risksheet.open(p)
    assert e.value.kind in ("encrypted", "legacy_xls")


def test_zip_but_not_workbook(tmp_path):
    p = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(risksheet.NotAWorkbookError) as e:
        risksheet.open(p)
    assert e.value.kind == "not_workbook"


def test_truncated_zip(copy):
    p = copy(LEDGER)
    p.write_bytes(p.read_bytes()[:2000])
    with pytest.raises(risksheet.NotAWorkbookError):
        risksheet.open(p)


def test_part_too_large(tmp_path):
    # A sheet of over 2 MiB uncompressed (trailing spaces: a few KiB compressed).
    p = tmp_path / "big.xlsx"
    with zipfile.ZipFile(FIXTURES / LEDGER) as zin, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data += b" " * (2 << 20)
            zout.writestr(info, data)
    assert risksheet.open(p).get("台帳!A1") == "情報資産管理台帳"
    wb = risksheet.open(p, max_part_mb=1)  # sheets are read when first used
    with pytest.raises(risksheet.NotAWorkbookError) as e:
        wb.get("台帳!A1")
    assert e.value.kind == "part_too_large" and "xl/worksheets/sheet1.xml" in str(e.value)
    with pytest.raises(risksheet.WorkbookError) as e:
        risksheet.open(p, max_part_mb=0)  # an absurd limit is a usage error
    assert e.value.kind == "usage" and "1〜65536" in str(e.value)


def test_missing_file(tmp_path):
    with pytest.raises(risksheet.WorkbookError) as e:
        risksheet.open(tmp_path / "nope.xlsx")
    assert e.value.kind == "io" and isinstance(e.value.__cause__, FileNotFoundError)


def test_missing_sheet(copy):
    p = copy(LEDGER)
    wb = risksheet.open(p)
    for call in (lambda: wb.get("ない!A1"), lambda: wb.set("ない!A1", 1), lambda: wb.cells("ない"), lambda: wb.cell("ない!A1")):
        with pytest.raises(risksheet.SheetNotFoundError) as e:
            call()
        assert e.value.kind == "sheet_not_found" and e.value.file == str(p)
        assert "シート「ない」がありません" in str(e.value) and "台帳" in str(e.value)


@pytest.mark.parametrize("address", ["B3", "台帳!", "台帳!3B", "台帳!A0", "台帳!XFE1", "", "'台帳!A1"])
def test_bad_address(copy, address):
    wb = risksheet.open(copy(LEDGER))
    with pytest.raises(risksheet.InvalidAddressError) as e:
        wb.get(address)
    assert e.value.kind == "invalid_address"
    with pytest.raises(risksheet.InvalidAddressError):
        wb.set(address, 1)


def test_array_formula_edit(copy):
    p = copy(FEATURES)
    wb = risksheet.open(p)
    with pytest.raises(risksheet.ArrayFormulaError) as e:
        wb.set_formula("台帳!E5", "=1")
    err = e.value
    assert isinstance(err, risksheet.InvalidAddressError)
    assert (err.file, err.sheet, err.cell, err.kind) == (str(p), "台帳", "E5", "array_formula")
    assert str(err) == f"{p}: 台帳!E5: 配列数式（E3:E5）の一部は変更できません"


def test_bad_values(copy):
    wb = risksheet.open(copy(LEDGER))
    for bad in (math.nan, math.inf, -math.inf):
        with pytest.raises(risksheet.InvalidValueError) as e:
            wb.set("台帳!B20", bad)
        assert (e.value.sheet, e.value.cell) == ("台帳", "B20")
    with pytest.raises(TypeError):
        wb.set("台帳!B20", object())
    with pytest.raises(TypeError):
        wb.set("台帳!B20", [1])
    assert not wb.modified


def test_english_messages(copy):
    p = copy(FEATURES)
    wb = risksheet.open(p)
    assert risksheet.get_lang() == "ja"
    risksheet.set_lang("en")
    assert risksheet.get_lang() == "en"
    with pytest.raises(risksheet.SheetNotFoundError) as e:
        wb.get("Nope!A1")
    assert str(e.value) == f"{p}: no sheet named 'Nope' (sheets: 台帳, My Sheet)"
    with pytest.raises(risksheet.InvalidAddressError) as e:
        wb.get("台帳")
    assert str(e.value) == f"{p}: invalid cell address '台帳'"
    with pytest.raises(risksheet.ArrayFormulaError) as e:
        wb.set("台帳!E4", 1)
    assert str(e.value) == f"{p}: 台帳!E4: cannot change part of an array formula (E3:E5)"
    with pytest.raises(risksheet.InvalidValueError) as e:
        wb.set("台帳!B20", math.nan)
    assert str(e.value) == f"{p}: 台帳!B20: expected a finite number, found 「NaN」"
    bad = p.with_name("bad.xlsx")
    bad.write_text("x")
    with pytest.raises(risksheet.NotAWorkbookError) as e:
        risksheet.open(bad)
    assert str(e.value) == f"{bad}: not an Excel workbook (.xlsx): not a zip package"
    with pytest.raises(ValueError):
        risksheet.set_lang("fr")


# --- fidelity ------------------------------------------------------------------------------------

ROUND_TRIP = sorted(p.name for p in FIXTURES.glob("*.xls[xm]"))


@pytest.mark.parametrize("name", ROUND_TRIP)
def test_round_trip_loses_nothing(copy, tmp_path, name):
    src = copy(name)
    wb = risksheet.open(src)
    sheet = next(s["name"] for s in wb.sheets if s["kind"] == "worksheet")
    cells = wb.cells(sheet)
    plain = next(c for c in cells if c.formula is None and isinstance(c.value, str) and c.value)
    wb.set(f"'{sheet}'!{plain.address}", plain.value + "★")
    new_row = max(c.row for c in cells) + 2
    wb.set(f"'{sheet}'!B{new_row}", "risksheet✓")
    wb.set(f"'{sheet}'!C{new_row}", 42)
    out = tmp_path / f"edited-{name}"
    wb.save(out)
    assert (why := lost(FIXTURES / name, out)) is None, why

    # Unchanged: a save to a new file copies the package.
    same = tmp_path / f"same-{name}"
    risksheet.open(src).save(same)
    assert (why := lost(FIXTURES / name, same)) is None, why

    wb = risksheet.open(out)
    assert wb.get(f"'{sheet}'!{plain.address}") == plain.value + "★"
    assert wb.get(f"'{sheet}'!B{new_row}") == "risksheet✓"
    assert wb.get(f"'{sheet}'!C{new_row}") == 42.0


# --- packaging -----------------------------------------------------------------------------------

def test_stubs_match_module():
    """Every public name and Workbook/Cell member of the compiled module is in its type stubs, and
    back; the same for the package (`__init__.pyi`) and its Python classes."""
    def parse(name):
        stub = ast.parse((ROOT / "python" / "risksheet" / name).read_text(encoding="utf-8"))
        classes = {n.name: n for n in stub.body if isinstance(n, ast.ClassDef)}
        functions = {n.name for n in stub.body if isinstance(n, ast.FunctionDef)}
        imported = {a.asname or a.name for n in stub.body if isinstance(n, ast.ImportFrom) for a in n.names}
        assigned = {t.target.id for t in stub.body if isinstance(t, ast.AnnAssign)}
        return classes, functions, imported | assigned

    def members(cls):
        return {n for n in dir(cls) if not n.startswith("__") or n in ("__enter__", "__exit__")}

    def stub_members(node):
        return {n.name for n in node.body if isinstance(n, ast.FunctionDef)}

    classes, functions, _ = parse("_risksheet.pyi")
    native = risksheet._risksheet
    assert {n for n in dir(native) if not n.startswith("_")} <= set(classes) | functions
    for cls in ("Workbook", "Cell"):
        in_stub, runtime = stub_members(classes[cls]), members(getattr(native, cls))
        assert runtime - {"__init__"} <= in_stub, runtime - in_stub
        assert in_stub - {"__init__", "__new__", "__eq__"} <= runtime, in_stub - runtime

    classes, functions, names = parse("__init__.pyi")
    assert set(risksheet.__all__) <= set(classes) | functions | names
    assert set(risksheet.__all__) <= set(dir(risksheet))
    # The package's Workbook: the native members plus those its stub declares.
    runtime = {n for n in vars(risksheet.Workbook) if not n.startswith("_")}
    assert runtime == stub_members(classes["Workbook"]) - {"__enter__"}
    assert issubclass(risksheet.Workbook, native.Workbook)
    # Each record's fields are the properties its stub declares.
    for name in ("Asset", "Medium", "Group", "Chapter", "InputWarning", "Risk", "PlanRow", "InventoryAsset", "FillSummary", "SaveSummary"):
        declared = {n.name for n in classes[name].body if isinstance(n, ast.FunctionDef) and any(
            isinstance(d, ast.Name) and d.id == "property" for d in n.decorator_list)}
        assert set(getattr(risksheet, name)._fields) <= declared, name
