"""Everyday use of the Python module (issue 17): dates in and out of cells (as Excel and LibreOffice
show them), a missing file or a folder raised as the OSError a Python user catches, a one-line
summary of a save, and the analysis' records as objects (attributes, one-line repr, `rec["name"]`
still working, no 「(リスク大)」 glued to a name).

Needs the compiled module installed (`python/build.sh`); outside CI the tests skip without it."""
import datetime
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "tests" / "fixtures"
EXAMPLE = ROOT / "workbooks" / "example-ipa-3.xlsx"
XLSX_FEATURES = SHARED / "tools" / "xlsx-features"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

if IN_CI:
    import risksheet
else:
    risksheet = pytest.importorskip("risksheet", reason="risksheet Python module not installed (python/build.sh)")

pytestmark = pytest.mark.usefixtures("japanese")

APRIL_FIRST = datetime.date(2026, 4, 1)
AFTERNOON = datetime.datetime(2026, 4, 1, 13, 45, 30, 250000)


@pytest.fixture
def ledger(tmp_path):
    """A copy of the styled fixture (borders, fonts, merges) to write dates into."""
    target = tmp_path / "features.xlsx"
    shutil.copyfile(FIXTURES / "excel-style-features.xlsx", target)
    return target


@pytest.fixture
def example(tmp_path):
    target = tmp_path / "台帳.xlsx"
    shutil.copyfile(EXAMPLE, target)
    return target


def cli_json(exe, *args):
    p = subprocess.run([str(exe), *map(str, args), "--json"], capture_output=True, text=True)
    assert p.returncode in (0, 3), p.stderr
    return json.loads(p.stdout)


# --- dates ---------------------------------------------------------------------------------------

def test_dates_are_stored_as_excel_dates_and_read_back(ledger):
    wb = risksheet.open(ledger)
    wb.set("台帳!B20", APRIL_FIRST)
    wb.set("台帳!C20", AFTERNOON)
    wb.set("台帳!D20", datetime.date(1900, 2, 28))  # before Excel's 29 February 1900 that never was
    wb.set("台帳!E20", datetime.date(1900, 3, 1))
    assert wb.get("台帳!B20") == APRIL_FIRST  # unsaved edits are seen
    wb.save()

    again = risksheet.open(ledger)
    assert again.get("台帳!B20") == APRIL_FIRST and type(again.get("台帳!B20")) is datetime.date
    assert again.get("台帳!C20") == AFTERNOON
    assert again.get("台帳!D20") == datetime.date(1900, 2, 28) and again.get("台帳!E20") == datetime.date(1900, 3, 1)
    assert again.cell("台帳!B20").value == APRIL_FIRST
    assert {c.address: c.value for c in again.cells("台帳") if c.row == 20}["C20"] == AFTERNOON

    # What the file holds is Excel's: the serial number, in a date (date-time) format.
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(ledger)["台帳"]
    assert ws["B20"].is_date and ws["C20"].is_date
    assert ws["B20"].value == datetime.datetime(2026, 4, 1)
    assert ws["C20"].number_format != ws["B20"].number_format  # the date-time format shows the time
    # Serial numbers, as Excel counts them (46113 is 2026-04-01; 59 and 61 around the missing 29 February 1900).
    with zipfile.ZipFile(ledger) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    values = dict(re.findall(r'<c r="([B-E]20)"[^>]*><v>([^<]*)</v>', sheet))
    assert (values["B20"], values["D20"], values["E20"]) == ("46113", "59", "61")
    assert abs(float(values["C20"]) - (46113 + (13 * 3600 + 45 * 60 + 30.25) / 86400)) < 1e-9


def test_a_date_keeps_the_cells_style(ledger):
    openpyxl = pytest.importorskip("openpyxl")

    def looks(c):
        return (c.font.name, c.font.sz, c.font.b, c.fill.fgColor.rgb, c.alignment.vertical,
                [getattr(c.border, side).style for side in ("left", "right", "top", "bottom")])

    before = openpyxl.load_workbook(ledger)["台帳"]["C3"]
    assert before.border.left.style == "thin" and not before.is_date
    wb = risksheet.open(ledger)
    wb.set("台帳!C3", APRIL_FIRST)
    wb.save()
    after = openpyxl.load_workbook(ledger)["台帳"]["C3"]
    assert after.is_date and looks(after) == looks(before)
    if XLSX_FEATURES.exists():
        r = subprocess.run(["python3", str(XLSX_FEATURES), "--lost", str(FIXTURES / "excel-style-features.xlsx"), str(ledger)],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr


def test_a_date_format_of_the_cell_is_kept(ledger):
    wb = risksheet.open(ledger)
    wb.set("台帳!B21", APRIL_FIRST)
    date_style = wb.cell("台帳!B21").style
    wb.set("台帳!B21", datetime.date(2027, 1, 2))  # already a date cell: its format stays
    assert wb.cell("台帳!B21").style == date_style
    wb.set("台帳!B21", AFTERNOON)  # a time to show: the date-time format
    assert wb.cell("台帳!B21").style != date_style and wb.get("台帳!B21") == AFTERNOON
    wb.set("台帳!B21", 5)  # a plain number in a date cell reads as that date, as Excel shows it
    assert wb.get("台帳!B21") == datetime.datetime(1900, 1, 5)


def test_dates_excel_cannot_hold(ledger):
    wb = risksheet.open(ledger)
    with pytest.raises(risksheet.InvalidValueError) as e:
        wb.set("台帳!B20", datetime.date(1899, 12, 31))
    assert (e.value.file, e.value.sheet, e.value.cell) == (str(ledger), "台帳", "B20")
    assert "1900年1月1日以降の日付" in str(e.value) and "1899-12-31" in str(e.value)
    with pytest.raises(TypeError):
        wb.set("台帳!B20", APRIL_FIRST, text=True)
    with pytest.raises(TypeError, match="datetime.date"):
        wb.set("台帳!B20", datetime.time(12, 0))
    assert not wb.modified


def test_libreoffice_shows_the_date(ledger, need_lo):
    import lo
    wb = risksheet.open(ledger)
    wb.set("台帳!B20", APRIL_FIRST)
    wb.set("台帳!C20", AFTERNOON)
    wb.set("台帳!D20", 46113)  # the same serial number without a date format
    wb.save()
    grid = lo.sheets([ledger], mode="cached")[ledger]["台帳"]
    date, date_time, number = lo.cell(grid, 20, 2), lo.cell(grid, 20, 3), lo.cell(grid, 20, 4)
    assert number == "46113"
    for shown in (date, date_time):
        parts = [int(x) for x in re.findall(r"\d+", shown)]
        assert "46113" not in shown and 4 in parts and 1 in parts and (26 in parts or 2026 in parts), shown
    assert re.search(r"13:45", date_time) and not re.search(r"\d+:\d+", date), (date, date_time)


# --- missing files -------------------------------------------------------------------------------

def test_missing_file_is_a_file_not_found_error(tmp_path):
    path = tmp_path / "ない.xlsx"
    with pytest.raises(FileNotFoundError) as e:
        risksheet.open(path)
    err = e.value
    assert isinstance(err, risksheet.FileNotFound) and isinstance(err, risksheet.WorkbookError)
    assert (err.errno, err.filename, err.file, err.kind) == (2, str(path), str(path), "io")
    assert str(err).startswith(f"{path}: ")
    with pytest.raises(risksheet.WorkbookError):
        risksheet.Workbook(path)


def test_a_folder_is_an_is_a_directory_error(tmp_path):
    with pytest.raises(IsADirectoryError) as e:
        risksheet.open(tmp_path)
    err = e.value
    assert isinstance(err, risksheet.IsADirectory) and isinstance(err, risksheet.WorkbookError)
    assert (err.errno, err.filename) == (21, str(tmp_path)) and str(err).startswith(f"{tmp_path}: ")
    risksheet.set_lang("en")
    with pytest.raises(risksheet.IsADirectory, match="a directory, not a file"):
        risksheet.open(tmp_path)


def test_other_errors_are_no_os_errors(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(risksheet.NotAWorkbookError) as e:
        risksheet.open(bad)
    assert not isinstance(e.value, OSError)


# --- save summary --------------------------------------------------------------------------------

def test_save_summary_is_one_line(example):
    wb = risksheet.open(example)
    wb.fill()
    preview = wb.preview()
    report = wb.save()
    text = repr(report)
    assert re.fullmatch(r"<SaveSummary 台帳\.xlsx: \d+ cells changed in \d+ sheets>", text), text
    assert len(report.cells_written) > 500 and f"{len(report.cells_written)} cells" in text
    assert f"in {len(report.sheets)} sheets" in text and "集計" in report.sheets and set(report.sheets) <= set(wb.sheet_names)
    assert report.file == report["file"] == str(example)
    assert report.cells_written == preview.cells_written and isinstance(report.parts_changed, list)
    assert repr(wb.save()) == "<SaveSummary 台帳.xlsx: nothing changed>"  # a second save writes nothing


def test_save_summary_counts_one_cell(example):
    wb = risksheet.open(example)
    wb.set("台帳記入例!A1", 1)
    assert repr(wb.save()) == "<SaveSummary 台帳.xlsx: 1 cell changed in 1 sheet>"


# --- records -------------------------------------------------------------------------------------

def test_analysis_lists_are_records(example, risksheet_bin):
    expected = cli_json(risksheet_bin, "inspect", example)["ipa"]
    a = risksheet.open(example).analysis()
    kinds = {"assets": risksheet.Asset, "media": risksheet.Medium, "groups": risksheet.Group, "chapters": risksheet.Chapter}
    for key, cls in kinds.items():
        assert a[key] and all(type(r) is cls for r in a[key]), key
        assert [r.to_dict() for r in a[key]] == expected[key]
        for rec, d in zip(a[key], expected[key]):
            assert dict(rec) == d and rec == d  # old code reading dicts keeps working
            for k, v in d.items():
                assert rec[k] == v == getattr(rec, k) and rec.get(k) == v
            r = repr(rec)
            assert "\n" not in r and r.startswith(cls.__name__ + "(") and len(r) < 200, r
    asset = a["assets"][0]
    assert repr(asset) == (f"Asset(row={asset.row}, name={asset.name!r}, medium={asset.medium!r}, importance={asset.importance}, "
                           f"likelihood={asset.likelihood}, risk={asset.risk}, band={asset.band!r})")
    with pytest.raises(AttributeError):
        asset.name = "x"
    with pytest.raises(KeyError):
        asset["nope"]
    with pytest.raises(AttributeError):
        asset.nope
    assert pickle.loads(pickle.dumps(asset)) == asset
    assert json.loads(json.dumps(asset)) == asset.to_dict() == dict(asset)  # still a dict for json


def test_fill_lists_high_risk_assets_as_records(example, risksheet_bin):
    by_cli = example.with_name("by_cli.xlsx")
    shutil.copyfile(example, by_cli)
    cli_fill = cli_json(risksheet_bin, "fill", by_cli)["fill"]
    summary = risksheet.open(example).fill()
    high = summary.high_risk_assets
    assert high and all(type(a) is risksheet.Asset for a in high)
    # The band is its own field; the name is the name as typed.
    assert [f"{a.name} ({a.band})" for a in high] == cli_fill["high_risk_assets"]
    assert not any("リスク" in a.name for a in high) and {a.band for a in high} == {"リスク大"}
    assert summary["edition"] == summary.edition == "ipa-3" and summary.assets == cli_fill["assets"]
    assert repr(summary) == (f"<FillSummary ipa-3: {cli_fill['assets']} assets, {len(high)} high risk, "
                             f"{len(cli_fill['chapters_selected'])} chapters to write, 0 warnings>")


def test_warnings_are_records(example):
    wb = risksheet.open(example)
    ledger = wb.analysis()["layout"]["ledger"]
    row = wb.assets[0].row
    wb.set(f"{ledger['sheet']}!{ledger['columns']['c']}{row}", "とても高い")
    summary = wb.fill()
    w = next(w for w in summary.warnings if w.cell == f"{ledger['columns']['c']}{row}")
    assert type(w) is risksheet.InputWarning and w.sheet == ledger["sheet"] and "とても高い" in w.message
    assert str(w) == f"{w.sheet}!{w.cell}: {w.message}" and w["message"] == w.message
    assert re.fullmatch(r"<FillSummary ipa-3: \d+ assets, \d+ high risk, \d+ chapters to write, \d+ warnings?>", repr(summary))
    assert any(x == w for x in wb.analysis()["warnings"])


def test_register_lists_are_records(tmp_path):
    book = tmp_path / "lv3.xlsx"
    shutil.copyfile(FIXTURES / "register" / "lv3-register.xlsx", book)
    a = risksheet.open(book).analysis()
    risks, plan = a["risks"], a["plan"]
    assert risks and all(type(r) is risksheet.Risk for r in risks) and all(type(p) is risksheet.PlanRow for p in plan)
    assert all(type(x) is risksheet.InventoryAsset for x in a.get("inventory", []))
    first = risks[0]
    # The profile's factors are attributes too, and the old dict reads still work.
    assert (first.importance, first.likelihood, first.level, first.priority) == (3, 2, 6, "2") == (
        first["importance"], first["likelihood"], first["level"], first["priority"])
    assert repr(first) == f"Risk(row={first.row}, no={first.no!r}, asset={first.asset!r}, level=6, priority='2')"
    assert [p.status for p in plan] == ["終了", "着手", "未着手"] and all("\n" not in repr(p) for p in plan)
