"""The risk map (重要度 × 被害発生可能性, the number of assets per cell, coloured by band) on 集計
and in the HTML report, with the bars of the rate per area (issue 17).

The map's counts are checked against the assets `inspect --json` reports, its formulas against
LibreOffice (recalculated = cached, and still right after the user edits the ledger without
running fill again), its colours against the bands, and the report's SVG is parsed as XML.
"""
import collections
import json
import re
import shutil
import xml.etree.ElementTree as ET

import pytest

import lo
from conftest import ROOT, run

openpyxl = pytest.importorskip("openpyxl")

MAP_TITLE = {"ja": "リスクマップ（資産の数）", "en": "Risk map (number of assets)"}
# The fills of the three levels (src/ops/looks.rs), highest first.
FILLS = {"リスク大": "FFFFC7CE", "リスク中": "FFFFEB9C", "リスク小": "FFC6EFCE"}
BANDS_IPA3 = [(6, 9, "リスク大"), (4, 5, "リスク中"), (1, 3, "リスク小")]


def assets(exe, book):
    return json.loads(run(exe, "inspect", book, "--json").stdout)["ipa"]["assets"]


def expected_counts(found):
    return collections.Counter((a["importance"], a["likelihood"]) for a in found if a["importance"] is not None and a["likelihood"] is not None)


def find_map(ws, lang="ja"):
    """(row of the likelihood header, {(importance, likelihood): cell}) of the map on a sheet."""
    title = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == MAP_TITLE[lang])
    head = title + 1
    liks = {}
    for c in range(2, ws.max_column + 1):
        v = ws.cell(head, c).value
        if not v:
            break
        liks[c] = int(str(v).split()[0])
    cells = {}
    r = head + 1
    while isinstance(ws.cell(r, 1).value, (int, float)):
        for c, lik in liks.items():
            cells[(int(ws.cell(r, 1).value), lik)] = ws.cell(r, c)
        r += 1
    return head, cells


@pytest.fixture(scope="module")
def filled(risksheet_bin, tmp_path_factory):
    d = tmp_path_factory.mktemp("heatmap")
    out = d / "example.xlsx"
    run(risksheet_bin, "new", d / "blank.xlsx", "--edition", "ipa-3")
    # The shipped example, filled: its 集計 is risksheet's own, rewritten in place.
    run(risksheet_bin, "fill", ROOT / "workbooks/example-ipa-3.xlsx", "-o", out)
    return d, out


def test_the_map_counts_the_assets_by_importance_and_likelihood(risksheet_bin, filled):
    _, book = filled
    want = expected_counts(assets(risksheet_bin, book))
    assert sum(want.values()) == 8 and want[(3, 2)] == 4
    formulas = openpyxl.load_workbook(book)["集計"]
    values = openpyxl.load_workbook(book, data_only=True)["集計"]
    _, fcells = find_map(formulas)
    _, vcells = find_map(values)
    assert sorted(fcells) == [(i, k) for i in (1, 2, 3) for k in (1, 2, 3)]
    for (imp, lik), cell in vcells.items():
        assert cell.value == want.get((imp, lik), 0), (imp, lik)
        f = fcells[(imp, lik)].value
        assert f.startswith("=COUNTIFS(情報資産管理台帳!$M$5:$M$104,") and f.endswith(f",{lik})"), f
        band = next(label for lo_, hi, label in BANDS_IPA3 if lo_ <= imp * lik <= hi)
        assert cell.fill.fgColor.rgb == FILLS[band], (imp, lik, band, cell.fill.fgColor.rgb)
    legend = [values.cell(r, c).value for r in range(1, values.max_row + 1) for c in (2, 3, 4) if values.cell(r, 1).value == "凡例（リスク値）"]
    assert legend == ["リスク大 6〜9", "リスク中 4〜5", "リスク小 1〜3"]


def test_an_ipa_2_1_map_has_importance_0_to_2(risksheet_bin, tmp_path):
    book = tmp_path / "ipa21.xlsx"
    run(risksheet_bin, "new", book, "--edition", "ipa-2.1")
    ws = openpyxl.load_workbook(book, data_only=True)["集計"]
    _, cells = find_map(ws)
    assert sorted({i for i, _ in cells}) == [0, 1, 2] and sorted({k for _, k in cells}) == [1, 2, 3]
    assert all(c.value == 0 for c in cells.values())
    # 2 × 2 = 4: リスク大 in ipa-2.1 (4–6); 0 × 3 = 0: リスク小.
    assert cells[(2, 2)].fill.fgColor.rgb == FILLS["リスク大"] and cells[(0, 3)].fill.fgColor.rgb == FILLS["リスク小"]


def test_an_english_workbook_has_the_map_in_english(risksheet_bin, tmp_path):
    book = tmp_path / "en.xlsx"
    run(risksheet_bin, "new", book, "--edition", "ipa-3", "--lang", "en")
    ws = openpyxl.load_workbook(book, data_only=True)["Summary"]
    head, cells = find_map(ws, "en")
    assert len(cells) == 9
    assert [ws.cell(head, c).value for c in (1, 2, 3, 4)][1:] == ["1 Likelihood: low", "2 Likelihood: medium", "3 Likelihood: high"]


def test_libreoffice_computes_the_map_and_follows_the_users_edit(risksheet_bin, filled, need_lo, tmp_path):
    d, book = filled
    # The user raises 製品カタログ's 機密性 (row 11) to 3 and does not run fill again.
    edited = tmp_path / "edited.xlsx"
    shutil.copy(book, edited)
    run(risksheet_bin, "edit", edited, "--set", "情報資産管理台帳!J11=3")
    recalc = lo.sheets([book, edited], "recalc")
    cached = lo.sheets([book], "cached")
    ws = openpyxl.load_workbook(book)["集計"]
    head, cells = find_map(ws)
    grid, grid_cached = recalc[book]["集計"], cached[book]["集計"]
    for (imp, lik), cell in cells.items():
        assert lo.cell(grid, cell.row, cell.column) == lo.cell(grid_cached, cell.row, cell.column), (imp, lik)
    want = expected_counts(assets(risksheet_bin, book))
    want[(1, 1)] -= 1
    want[(3, 1)] += 1
    egrid = recalc[edited]["集計"]
    for (imp, lik), cell in cells.items():
        assert lo.cell(egrid, cell.row, cell.column) == str(want.get((imp, lik), 0)), (imp, lik)


def test_the_new_summary_prints_the_map_and_chart_on_a_page_of_their_own(filled):
    d, _ = filled
    ws = openpyxl.load_workbook(d / "blank.xlsx")["集計"]
    head, _ = find_map(ws)
    assert [b.id for b in ws.row_breaks.brk] == [head - 2], "a page break above the map's title"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1


SVG = "{http://www.w3.org/2000/svg}"


def test_the_html_report_draws_the_map_and_the_rates_inline(risksheet_bin, filled, tmp_path):
    _, book = filled
    out = tmp_path / "report.html"
    run(risksheet_bin, "report", book, "-o", out)
    html = out.read_text(encoding="utf-8")
    # One file: no external scripts, styles, images or fonts.
    assert not re.search(r"(src|href)\s*=|@import|url\(", html)
    assert "@media print" in html and "@page{size:A4" in html
    svgs = [ET.fromstring(s) for s in re.findall(r"<svg.*?</svg>", html, re.S)]
    assert len(svgs) == 2
    heat, bars = svgs
    assert heat.get("aria-label") == MAP_TITLE["ja"]
    want = expected_counts(assets(risksheet_bin, book))
    # The cells: 9 rects (the legend's 3 swatches are 14 wide), each with its count.
    rects = [r for r in heat.iter(f"{SVG}rect") if r.get("width") != "14"]
    counts = [t.text for t in heat.iter(f"{SVG}text") if t.get("font-size") == "16"]
    assert len(rects) == 9 and len(counts) == 9
    order = [(i, k) for i in (3, 2, 1) for k in (1, 2, 3)]
    assert counts == [str(want.get(x, 0)) for x in order]
    for (imp, lik), r in zip(order, rects):
        band = next(label for lo_, hi, label in BANDS_IPA3 if lo_ <= imp * lik <= hi)
        assert r.get("fill") == "#" + FILLS[band][2:], (imp, lik)
    groups = json.loads(run(risksheet_bin, "inspect", book, "--json").stdout)["ipa"]["groups"]
    labels = [t.text for t in bars.iter(f"{SVG}text") if t.get("text-anchor") == "end"]
    assert labels == [g["name"] for g in groups]
    shown = [t.text for t in bars.iter(f"{SVG}text") if t.text and (t.text.endswith("%") and t.get("font-size") != "10" or t.text == "該当なし")]
    expect = ["該当なし" if g["not_applicable"] else f"{round(g['rate'] * 100 + 1e-9)}%" for g in groups]
    assert shown == expect


def test_the_markdown_report_has_the_map_as_a_table(risksheet_bin, filled, tmp_path):
    _, book = filled
    md = run(risksheet_bin, "report", book).stdout
    assert "| 重要度 ＼ 被害発生可能性 | 1 可能性:低 | 2 可能性:中 | 3 可能性:高 |" in md
    assert "| 3 | 1 (リスク小) | 4 (リスク大) | 0 (リスク大) |" in md


def test_nothing_of_the_users_is_lost(filled):
    from conftest import SHARED
    import subprocess
    tool = SHARED / "tools" / "xlsx-features"
    if not tool.exists():
        pytest.skip("xlsx-features not available")
    _, book = filled
    p = subprocess.run([str(tool), "--lost", str(ROOT / "workbooks/example-ipa-3.xlsx"), str(book)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
