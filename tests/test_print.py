"""Every sheet risksheet creates prints legibly on A4 (issue 17): each is printed alone to PDF by
LibreOffice and the words are read back with `pdftotext -bbox-layout` (poppler-utils). On every
page each word is at least 8 pt and lies inside the page; the page counts are printed and held to
a maximum per sheet.

A word's box is taller than its font size (ascent + descent): the ratio is measured on a cell of
known size printed at 100 %, so the test reads sizes in points whatever fonts LibreOffice finds.

Run: RISKSHEET_BIN=target/debug/risksheet pytest tests/test_print.py -s   (-s shows the report)
"""
import shutil
from pathlib import Path

import pytest

import lo
from conftest import IN_CI, ROOT, run

LEGACY = ROOT / "tests/fixtures/legacy"
MIN_PT = 8.0

# (workbook, sheet) → most pages it may print on. Workbooks: made in the `printed` fixture.
SHEETS = {
    ("ipa-ja", "利用方法"): 1, ("ipa-ja", "台帳記入例"): 2, ("ipa-ja", "重要度定義"): 1, ("ipa-ja", "情報資産管理台帳"): 8,
    ("ipa-ja", "脅威の状況"): 2, ("ipa-ja", "対策状況チェック"): 5, ("ipa-ja", "診断結果"): 3, ("ipa-ja", "集計"): 2,
    ("ipa-en", "How to use"): 1, ("ipa-en", "Ledger example"): 3, ("ipa-en", "Importance definitions"): 1,
    ("ipa-en", "Asset ledger"): 15, ("ipa-en", "Threats"): 2, ("ipa-en", "Control checklist"): 5, ("ipa-en", "Diagnosis"): 3,
    ("ipa-en", "Summary"): 2,
    ("example", "診断結果"): 3, ("example", "集計"): 2,
    ("converted", "変換記録"): 10,
    ("soa-ja", "適用宣言書"): 12, ("soa-en", "Statement of Applicability"): 10,
    ("lv3", "資産目録"): 5, ("lv3", "リスクアセスメント結果報告書"): 15, ("lv3", "リスク対応計画"): 5, ("lv3", "リスク対応集計"): 2,
    ("seminar", "資産目録"): 5, ("seminar", "リスク一覧"): 15, ("seminar", "リスク対応計画"): 5, ("seminar", "リスク対応集計"): 2,
    ("self-check", "自社診断"): 3,
}

# Sheets not yet laid out for print (issue 17): each fails today, and the test says so when one
# is fixed (strict), so that it moves out of this list.
NOT_YET = {}


@pytest.fixture(scope="module")
def need_pdftotext():
    if shutil.which("pdftotext") is None:
        if IN_CI:
            pytest.fail("pdftotext is required in CI (apt-get install -y poppler-utils)")
        pytest.skip("pdftotext (poppler-utils) not installed")


def calibration(tmp):
    """A workbook with one 11 pt cell of Japanese and Latin text, printed at 100 %."""
    import openpyxl
    from openpyxl.styles import Font
    wb = openpyxl.Workbook()
    wb.active.title = "cal"
    wb.active["A1"] = "情報資産 Likelihood"
    wb.active["A1"].font = Font(name="游ゴシック", size=11)
    path = tmp / "calibration.xlsx"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def printed(risksheet_bin, need_lo, need_pdftotext, tmp_path_factory):
    """{(workbook, sheet): pages} of every sheet in SHEETS, and the word height of 1 pt."""
    tmp = tmp_path_factory.mktemp("print")
    books = {name: tmp / f"{name}.xlsx" for name in ["ipa-ja", "ipa-en", "example", "converted", "soa-ja", "soa-en", "lv3", "seminar", "self-check"]}
    run(risksheet_bin, "new", books["ipa-ja"], "--edition", "ipa-3")
    run(risksheet_bin, "new", books["ipa-en"], "--edition", "ipa-3", "--book-lang", "en")
    run(risksheet_bin, "fill", ROOT / "workbooks/example-ipa-3.xlsx", "-o", books["example"])
    shutil.copy(LEGACY / "soa-2013.xlsx", books["converted"])
    run(risksheet_bin, "convert", books["converted"], "--to", "2022")
    run(risksheet_bin, "soa", LEGACY / "soa-2013.xlsx", "-o", books["soa-ja"])
    run(risksheet_bin, "soa", LEGACY / "soa-2013.xlsx", "-o", books["soa-en"], "--book-lang", "en")
    run(risksheet_bin, "new", books["lv3"], "--edition", "lv3")
    run(risksheet_bin, "new", books["seminar"], "--edition", "isms-seminar")
    run(risksheet_bin, "new", books["self-check"], "--edition", "self-check")
    singles = {}
    for i, (book, sheet) in enumerate(SHEETS):
        singles[(book, sheet)] = tmp / f"sheet{i}.xlsx"
        lo.only_sheet(books[book], singles[(book, sheet)], sheet)
    cal = calibration(tmp)
    out = tmp / "pdf"
    lo.pdfs([cal, *singles.values()], out)
    [(_, _, words)] = lo.pdf_pages(out / "calibration.pdf")
    per_pt = max(w[3] - w[1] for w in words) / 11.0
    pages = {key: lo.pdf_pages(out / f"{path.stem}.pdf") for key, path in singles.items()}
    print(f"\nprinted sheets (1 pt = {per_pt:.3f} pt of word height; smallest word, pages / most allowed):")
    for (book, sheet), ps in pages.items():
        smallest = min((w[3] - w[1] for p in ps for w in p[2]), default=0) / per_pt
        orient = "landscape" if ps and ps[0][0] > ps[0][1] else "portrait"
        mark = "  (not yet: " + NOT_YET[(book, sheet)] + ")" if (book, sheet) in NOT_YET else ""
        print(f"  {book:10} {sheet:28} {smallest:4.1f} pt  {len(ps):2d} / {SHEETS[(book, sheet)]:2d} pages  {orient}{mark}")
    return pages, per_pt


def test_the_calibration_reads_a_size_in_points(printed):
    # The word box of 11 pt text is between 1 and 1.6 times as tall (ascent + descent).
    _, per_pt = printed
    assert 1.0 <= per_pt <= 1.6, per_pt


@pytest.mark.parametrize("key", [pytest.param(k, id=f"{k[0]}:{k[1]}", marks=[pytest.mark.xfail(reason=NOT_YET[k], strict=True)] if k in NOT_YET else [])
                                 for k in SHEETS])
def test_a_sheet_prints_legibly_on_a4(printed, key):
    pages, per_pt = printed
    ps = pages[key]
    assert ps, f"{key}: LibreOffice printed nothing"
    assert 1 <= len(ps) <= SHEETS[key], f"{key}: {len(ps)} pages"
    for n, (width, height, words) in enumerate(ps, 1):
        # A4 (595 × 842 pt), either way round.
        assert sorted([round(width), round(height)]) == [595, 842], (key, n, width, height)
        assert words, f"{key}: page {n} is blank"
        small = [(w[4], round((w[3] - w[1]) / per_pt, 1)) for w in words if (w[3] - w[1]) / per_pt < MIN_PT - 0.05]
        assert not small, f"{key}: page {n}: words under {MIN_PT} pt: {small[:5]}"
        outside = [w for w in words if w[0] < 0 or w[1] < 0 or w[2] > width or w[3] > height]
        # A cell merged over a page break is drawn on both pages at its place in the whole merge:
        # on the page where it is shown, and wholly above (or below) the next page, where the
        # page clips it. Such a copy is no text cut off; any other word outside is.
        shown = {w[4] for k in (n - 2, n) if 0 <= k < len(ps) for w in ps[k][2]}
        cut = [w[4] for w in outside if not ((w[3] <= 0 or w[1] >= height) and 0 <= w[0] and w[2] <= width and w[4] in shown)]
        assert not cut, f"{key}: page {n}: words outside the page: {cut[:5]}"


def test_only_the_sheet_asked_for_is_printed(printed):
    # The helper's own check: the trail alone, not the user's SoA before it.
    pages, _ = printed
    first = pages[("converted", "変換記録")][0][2]
    assert first[0][4] == "シート" and "変換前" in [w[4] for w in first], first[:3]


@pytest.mark.parametrize("edition,lang", [("ipa-3", "ja"), ("ipa-3", "en"), ("ipa-2.1", "ja"), ("ipa-2.1", "en")])
def test_the_ledgers_computed_labels_fit_their_columns(risksheet_bin, tmp_path, edition, lang):
    # 「Likelihood: medium」 was cut off in an English ledger: the label columns (S, U) are as wide
    # as the profile's longest label and a character (CJK counts two), on the ledger and its example.
    import tomllib
    import unicodedata

    import openpyxl
    width = lambda s: sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
    def load(name):  # a profile's tables, those it lacks from the profile it extends
        p = tomllib.loads((ROOT / f"data/profiles/{name}.toml").read_text(encoding="utf-8"))
        return {**load(p["extends"]), **p} if "extends" in p else p
    profile = load(edition)
    key = "label" if lang == "ja" else "label_en"
    likelihood = [lv[key] for lv in profile["likelihood"]["levels"]]
    risk = [b[key] for b in profile["risk"]["bands"]]
    out = tmp_path / "book.xlsx"
    run(risksheet_bin, "new", out, "--edition", edition, "--book-lang", lang)
    wb = openpyxl.load_workbook(out)
    ledgers = [ws for ws in wb.worksheets if "台帳" in ws.title or "ledger" in ws.title.lower()]
    assert ledgers, wb.sheetnames
    for ws in ledgers:
        for col, labels in (("S", likelihood), ("U", risk)):
            need = max(map(width, labels)) + 1
            assert ws.column_dimensions[col].width >= need, (ws.title, col, ws.column_dimensions[col].width, labels)


@pytest.mark.parametrize("edition,lang", [("ipa-3", "ja"), ("ipa-3", "en"), ("ipa-2.1", "ja")])
def test_the_reasons_fill_writes_land_in_cells_made_for_them(risksheet_bin, tmp_path, edition, lang):
    # `new` lays out the rows below 診断結果's table for the reasons `fill` writes there: each
    # reason in column B, merged across to the 会社の状況 block, wrapped, three lines high.
    import openpyxl
    out = tmp_path / "book.xlsx"
    run(risksheet_bin, "new", out, "--edition", edition, "--book-lang", lang)
    wb = openpyxl.load_workbook(out)
    ws = wb[next(n for n in wb.sheetnames if n in ("診断結果", "Diagnosis"))]
    heading = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value or "").endswith(("（risksheet fill）", "(risksheet fill)")))
    rows = range(heading + 1, ws.max_row + 1)
    assert len(rows) >= 13 and all(ws.cell(r, 2).value for r in rows), [ws.cell(r, 2).value for r in rows]
    merged = {str(m) for m in ws.merged_cells.ranges}
    for r in rows:
        assert f"B{r}:G{r}" in merged, (r, sorted(merged))
        assert ws.cell(r, 2).alignment.wrap_text and ws.row_dimensions[r].height >= 40, r
