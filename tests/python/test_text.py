"""Text stored exactly through the Python module: `set(..., text=True)` and `risksheet.Text`
keep a leading `=` or digits as text, `_xHHHH_`-like text and control characters survive a save,
and a new workbook's language is its own (`lang`), not the message language.

Needs the compiled module installed (`python/build.sh`); outside CI the tests skip without it."""
import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

if IN_CI:
    import risksheet
else:
    risksheet = pytest.importorskip("risksheet", reason="risksheet Python module not installed (python/build.sh)")

pytestmark = pytest.mark.usefixtures("japanese")


@pytest.fixture
def book(tmp_path):
    target = tmp_path / "book.xlsx"
    shutil.copyfile(ROOT / "tests" / "fixtures" / "excel-style-features.xlsx", target)
    return target


def test_text_is_stored_as_given(book):
    with risksheet.open(book) as wb:
        wb.set("My Sheet!A7", "=1+2", text=True)
        wb.set("My Sheet!A8", risksheet.Text("=SUM(B2:B4)"))
        wb.set("My Sheet!A9", risksheet.Text("007"))
        wb.set("My Sheet!A10", "=1+2")  # a plain str with '=' is still a formula
        wb.set("My Sheet!A11", "C:\\_x005F_temp a\x01b", text=True)
        assert wb.get("My Sheet!A7") == "=1+2" and wb.cell("My Sheet!A7").formula is None
        wb.save()
    wb = risksheet.open(book)
    assert [wb.get(f"My Sheet!A{r}") for r in (7, 8, 9, 11)] == ["=1+2", "=SUM(B2:B4)", "007", "C:\\_x005F_temp a\x01b"]
    assert wb.cell("My Sheet!A8").formula is None
    assert wb.cell("My Sheet!A10").formula == "1+2"
    assert isinstance(risksheet.Text("x"), str) and "Text" in risksheet.__all__


def test_text_true_takes_only_a_str(book):
    wb = risksheet.open(book)
    with pytest.raises(TypeError, match="text=True"):
        wb.set("My Sheet!A7", 3, text=True)
    assert not wb.modified


def test_text_in_libreoffice(book, need_lo):
    import lo
    with risksheet.open(book) as wb:
        wb.set("My Sheet!A7", risksheet.Text("=1+2"))
        wb.set("My Sheet!A8", risksheet.Text("C:\\_x005F_temp"))
        wb.save()
    grid = lo.sheets([book])[book]["My Sheet"]
    assert (lo.cell(grid, 7, 1), lo.cell(grid, 8, 1)) == ("=1+2", "C:\\_x005F_temp")


def test_new_workbook_language_is_not_the_message_language(tmp_path):
    risksheet.set_lang("en")
    ja = risksheet.new(tmp_path / "ja.xlsx")
    assert "診断結果" in ja.sheet_names
    en = risksheet.new(tmp_path / "en.xlsx", lang="en")
    risksheet.set_lang("ja")
    assert "Diagnosis" in en.sheet_names
    en.fill(facts={"development": False})
    reasons = [c.value for c in en.cells("Diagnosis") if isinstance(c.value, str) and c.value.startswith(("write：", "n/a："))]
    assert len(reasons) >= 10 and any("implementation rate" in r for r in reasons), reasons
    assert not any(any("\u3040" <= ch <= "\u9fff" for ch in r) for r in reasons), reasons
