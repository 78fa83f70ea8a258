"""脅威 and 脆弱性 show their labels as IPA's 記入例 does (issue 17): in the cell itself
(「3:通常の状態で発生する（いつ発生してもおかしくない）」) on a ledger with one column each, and in
a label cell beside the number on a ledger whose header spans two columns. LibreOffice computes
the same from the formulas.
"""
import json

import pytest

import lo
from conftest import ROOT, run

openpyxl = pytest.importorskip("openpyxl")

LEDGER = "情報資産管理台帳"
THREAT = {3: "3:通常の状態で発生する（いつ発生してもおかしくない）", 2: "2:特定の状況で発生する（年に数回程度）", 1: "1:通常の状態では発生しない（数年に1回未満）"}
VULN = {3: "3:脆弱性未対策", 2: "2:部分的に脆弱性未対策", 1: "1:脆弱性対策済"}


def assets(exe, book):
    return json.loads(run(exe, "inspect", book, "--json").stdout)["ipa"]


def test_one_column_each_shows_the_number_with_its_label(risksheet_bin, tmp_path, need_lo):
    book = tmp_path / "example.xlsx"
    run(risksheet_bin, "fill", ROOT / "workbooks/example-ipa-3.xlsx", "-o", book)
    found = assets(risksheet_bin, book)["assets"]
    ws = openpyxl.load_workbook(book, data_only=True)[LEDGER]
    for a in found:
        assert (ws.cell(a["row"], 16).value, ws.cell(a["row"], 17).value) == (THREAT[a["threat"]], VULN[a["vulnerability"]]), a["name"]
        assert ws.cell(a["row"], 18).value == a["likelihood"]
    recalc, cached = lo.sheets([book], "recalc")[book][LEDGER], lo.sheets([book], "cached")[book][LEDGER]
    for a in found:
        for c in range(16, 22):
            assert lo.cell(recalc, a["row"], c) == lo.cell(cached, a["row"], c), (a["name"], c)


def two_column_ledger(src, dst):
    """The example with its ledger rebuilt: 脅威・脆弱性・被害発生可能性・リスク値 each a number
    column and a label column under one merged header."""
    wb = openpyxl.load_workbook(src)
    old = wb[LEDGER]
    inputs = [[old.cell(r, c).value for c in range(1, 16)] for r in range(3, 13)]
    at = wb.sheetnames.index(LEDGER)
    wb.remove(old)
    ws = wb.create_sheet(LEDGER, at)
    ws["A1"] = "情報資産管理台帳"
    for i, row in enumerate(inputs):
        for c, v in enumerate(row, start=1):
            if v is not None and not (isinstance(v, str) and v.startswith("=")):
                ws.cell(3 + i, c, v)
    for m in ("A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:F4", "N3:N4", "O3:O4", "G3:I3", "J3:M3"):
        ws.merge_cells(m)
    ws["P3"] = "現状から想定されるリスク"
    ws.merge_cells("P3:W3")
    for c, text in zip("PRTV", ("脅威の発生頻度", "脆弱性", "被害発生可能性", "リスク値")):
        ws[f"{c}4"] = text
        nxt = chr(ord(c) + 1)
        ws.merge_cells(f"{c}4:{nxt}4")
    wb.save(dst)


def test_a_number_beside_its_label_cell(risksheet_bin, tmp_path, need_lo):
    src = tmp_path / "src.xlsx"
    run(risksheet_bin, "fill", ROOT / "workbooks/example-ipa-3.xlsx", "-o", src)
    book = tmp_path / "two-columns.xlsx"
    two_column_ledger(src, book)
    run(risksheet_bin, "fill", book)
    ipa = assets(risksheet_bin, book)
    ledger = ipa["layout"]["ledger"]["columns"]
    assert (ledger["threat"], ledger["threat_label"], ledger["vulnerability"], ledger["vulnerability_label"]) == ("P", "Q", "R", "S"), ledger
    assert (ledger["likelihood"], ledger["likelihood_label"], ledger["risk"], ledger["risk_label"]) == ("T", "U", "V", "W"), ledger
    ws = openpyxl.load_workbook(book, data_only=True)[LEDGER]
    found = ipa["assets"]
    assert len(found) == 8
    for a in found:
        r = a["row"]
        assert [ws.cell(r, c).value for c in range(16, 24)] == [
            a["threat"], THREAT[a["threat"]], a["vulnerability"], VULN[a["vulnerability"]], a["likelihood"], ws.cell(r, 21).value, a["risk"], a["band"]], a["name"]
    recalc, cached = lo.sheets([book], "recalc")[book][LEDGER], lo.sheets([book], "cached")[book][LEDGER]
    for a in found:
        for c in range(13, 24):
            assert lo.cell(recalc, a["row"], c) == lo.cell(cached, a["row"], c), (a["name"], c)
