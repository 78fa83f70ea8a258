"""Rows a user types below the template's 100 ledger rows get everything the template rows have
(issue 17): the cell styles (borders, the grey computed cells, formats), the dropdowns and the
date rule, the conditional colours drawn down, and the formulas; checked in the file and, for the
values, in LibreOffice.
"""
import shutil

import pytest

import lo
from conftest import ROOT, run

openpyxl = pytest.importorskip("openpyxl")

LEDGER = "情報資産管理台帳"
# Row 105 stays blank; the user typed two assets in 106 and 107.
TYPED = {106: ("新しい資産", "クラウド", 3, 3, 3), 107: ("紙の控え", "書類", 1, 1, 1)}


@pytest.fixture(scope="module")
def appended(risksheet_bin, tmp_path_factory):
    d = tmp_path_factory.mktemp("appended")
    book = d / "ledger.xlsx"
    shutil.copy(ROOT / "workbooks/example-ipa-3.xlsx", book)
    sets = []
    for r, (name, medium, c, i, a) in TYPED.items():
        sets += ["--set", f"{LEDGER}!B{r}={name}", "--set", f"{LEDGER}!F{r}={medium}"]
        sets += ["--set", f"{LEDGER}!J{r}={c}", "--set", f"{LEDGER}!K{r}={i}", "--set", f"{LEDGER}!L{r}={a}"]
    run(risksheet_bin, "edit", book, *sets)
    before = d / "before.xlsx"
    shutil.copy(book, before)
    run(risksheet_bin, "fill", book)
    return before, book


def look(cell):
    return (cell.border.left.style, cell.border.bottom.style, cell.fill.fgColor.rgb, cell.fill.fill_type, cell.number_format, cell.font.b)


def test_appended_rows_take_the_look_of_the_template_rows(appended):
    before, book = appended
    ws_before = openpyxl.load_workbook(before)[LEDGER]
    assert ws_before["B106"].border.left.style is None, "the typed row starts without a look"
    ws = openpyxl.load_workbook(book)[LEDGER]
    for r in TYPED:
        for col in "ABCDEFGHIJKLMNOPQRSTU":
            assert look(ws[f"{col}{r}"]) == look(ws[f"{col}104"]), f"{col}{r}"
    # The grey computed cells and the bordered input cells differ: the look is per column.
    assert look(ws["M106"]) != look(ws["B106"])


def ranges(sqref):
    out = []
    for part in str(sqref).split():
        a, _, b = part.partition(":")
        out.append((a, b or a))
    return out


def covers(ranges_, col, row):
    def split(ref):
        letters = "".join(ch for ch in ref if ch.isalpha())
        return letters, int(ref[len(letters):])
    for a, b in ranges_:
        (ca, ra), (cb, rb) = split(a), split(b)
        if ca <= col <= cb and len(ca) == len(col) and ra <= row <= rb:
            return True
    return False


def test_appended_rows_get_the_colours_dropdowns_and_date_rule(appended):
    _, book = appended
    ws = openpyxl.load_workbook(book)[LEDGER]
    cf = [ranges(rng.sqref) for rng in ws.conditional_formatting]
    for col in "SU":
        assert any(covers(r, col, 107) for r in cf), f"colours of {col} reach row 107"
    dv = {}
    for v in ws.data_validations.dataValidation:
        for col in "FGHIJKLO":
            for r in TYPED:
                if covers(ranges(v.sqref), col, r):
                    dv[(col, r)] = (v.type, v.formula1)
    for col in "FGHIJKLO":
        for r in TYPED:
            assert (col, r) in dv, f"a rule on {col}{r}"
    assert dv[("O", 106)][0] == "decimal", "登録日 takes a date (serial number)"
    assert dv[("F", 107)][0] == "list" and dv[("J", 106)][0] == "list"


def test_libreoffice_computes_the_appended_rows(appended, need_lo):
    _, book = appended
    recalc = lo.sheets([book], "recalc")[book][LEDGER]
    cached = lo.sheets([book], "cached")[book][LEDGER]
    wsv = openpyxl.load_workbook(book, data_only=True)[LEDGER]
    for r in TYPED:
        for c in range(13, 22):
            assert lo.cell(recalc, r, c) == lo.cell(cached, r, c), (r, c)
    # クラウド: threat 3, vulnerability 2 → likelihood 2; importance 3 → 6 リスク大. 書類 with 1,1,1 → 1 × 1.
    assert [lo.cell(recalc, 106, c) for c in (13, 18, 20, 21)] == ["3", "2", "6", "リスク大"]
    assert wsv["U107"].value == "リスク小" and wsv["M107"].value == 1


def test_a_second_fill_changes_nothing(risksheet_bin, appended, tmp_path):
    _, book = appended
    again = tmp_path / "again.xlsx"
    shutil.copy(book, again)
    out = run(risksheet_bin, "fill", again).stdout
    assert "変更なし" in out and again.read_bytes() == book.read_bytes()


def test_nothing_of_the_users_is_lost(appended):
    import subprocess
    from conftest import SHARED
    tool = SHARED / "tools" / "xlsx-features"
    if not tool.exists():
        pytest.skip("xlsx-features not available")
    before, book = appended
    p = subprocess.run([str(tool), "--lost", str(before), str(book)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
