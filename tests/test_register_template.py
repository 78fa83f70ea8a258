"""The risk register `risksheet new --edition lv3` and `--edition isms-seminar` write (issue 15):
資産目録, the register (リスクアセスメント結果報告書 / リスク一覧) and リスク対応計画, in Japanese and
English, read back with openpyxl as a user's Excel shows them (sheets, header texts, dropdowns on
every input, grey computed columns, 作成 / 承認 boxes, frozen panes, autofilter, print setup), and
printed to PDF by LibreOffice (landscape A4, one page wide, the lists outside the print area)."""
import re
import shutil
import subprocess
import tempfile

import pytest

from conftest import IN_CI, run

try:
    import openpyxl
    from openpyxl.utils import get_column_letter, range_boundaries
except ImportError:  # tests/run and .ci/run install it
    if IN_CI:
        raise
    pytest.skip("openpyxl not installed (python3 -m pip install openpyxl)", allow_module_level=True)

BLUE, GREY, LIGHT = "FFDDEBF7", "FFE7E6E6", "FFF2F2F2"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")

# The headers a user sees, column by column: (group, field); the texts of seed 001 (LV.3) and
# seed 000 (the seminar), and their English.
INVENTORY = {
    "ja": ["No", "業務分類", "情報資産名称", "備考", "利用者範囲", "管理部署", "機密性", "完全性", "可用性", "重要度"],
    "en": ["No.", "Business area", "Asset", "Notes", "Users", "Owning department", "Confidentiality", "Integrity", "Availability", "Importance"],
}
PLAN = {
    "ja": [(None, "No"), (None, "リスクNo"), (None, "管理策"), (None, "タスク"), (None, "担当"), ("予定", "予定開始"), ("予定", "予定終了"),
           ("実績", "実績開始"), ("実績", "実績終了"), (None, "ステータス")],
    "en": [(None, "No."), (None, "Risk No."), (None, "Control"), (None, "Task"), (None, "Owner"), ("Planned", "Planned start"),
           ("Planned", "Planned end"), ("Actual", "Actual start"), ("Actual", "Actual end"), (None, "Status")],
}


def register_headers(edition, lang):
    ja = lang == "ja"
    seminar = edition == "isms-seminar"
    imp = ("資産価値" if ja else "Asset value") if seminar else ("重要度" if ja else "Importance")
    level = ("リスク値" if ja else "Risk value") if seminar else ("リスクレベル" if ja else "Risk level")
    factors = (["業務への影響度", "発生頻度"] if ja else ["Business impact", "Frequency"]) if seminar else (["被害発生可能性"] if ja else ["Likelihood"])
    treatments = (["受容", "軽減", "回避", "移転"] if ja else ["Accept", "Reduce", "Avoid", "Transfer"]) if seminar else \
        (["保有", "低減", "回避", "移転"] if ja else ["Retain", "Reduce", "Avoid", "Transfer"])
    first, treat, second = ("一次評価", "リスク対応", "二次評価") if ja else ("First evaluation", "Treatment", "Second evaluation")
    plain = ["No", "資産目録のNo", "脅威" if seminar else "リスク源", "影響領域", "事象", "原因", "起こり得る結果"] if ja else \
        ["No.", "Asset No.", "Threat" if seminar else "Risk source", "Area affected", "Event", "Cause", "Consequence"]
    cols = [(None, h) for h in plain]
    cols += [(first, h) for h in [imp, *factors, level]]
    cols += [(None, "優先順位" if ja else "Priority")]
    cols += [(treat, h) for h in treatments]
    cols += [(None, h) for h in (["管理策", "附属書A", "対応"] if ja else ["Controls", "Annex A", "Response"])]
    cols += [(second, h) for h in [imp, *factors, level]]
    return cols


SHEETS = {
    ("lv3", "ja"): ["資産目録", "リスクアセスメント結果報告書", "リスク対応計画"],
    ("lv3", "en"): ["Asset inventory", "Risk assessment report", "Risk treatment plan"],
    ("isms-seminar", "ja"): ["資産目録", "リスク一覧", "リスク対応計画"],
    ("isms-seminar", "en"): ["Asset inventory", "Risk list", "Risk treatment plan"],
}
CASES = list(SHEETS)
# The sheet `fill` adds when `new` computes the fresh register: the counts a review asks for.
SUMMARY = {"ja": "リスク対応集計", "en": "Treatment summary"}


@pytest.fixture(scope="module")
def books(risksheet_bin, tmp_path_factory):
    """The four workbooks, written once through the CLI."""
    d = tmp_path_factory.mktemp("register")
    out = {}
    for edition, lang in CASES:
        path = d / f"{edition}-{lang}.xlsx"
        p = run(risksheet_bin, "new", path, "--edition", edition, "--book-lang", lang)
        assert str(path) in p.stdout
        out[(edition, lang)] = path
    return out


def fill(c):
    return c.fill.fgColor.rgb if c.fill.fill_type == "solid" else None


def header_row(ws, cols, two_rows):
    """(group, field) of each column as a reader sees it: a merged header's text is in row 3."""
    got = []
    for c in range(1, cols + 1):
        top, field = ws.cell(3, c).value, ws.cell(4, c).value
        if two_rows and field is None:
            got.append((None, top))
        else:
            group = None
            for m in ws.merged_cells.ranges:
                if m.min_row == m.max_row == 3 and m.min_col <= c <= m.max_col:
                    group = ws.cell(3, m.min_col).value
            got.append((group, field))
    return got


def validations(ws):
    """{column: validation} over rows 5..104, each validation covering its columns whole."""
    by_col = {}
    for dv in ws.data_validations.dataValidation:
        for rng in str(dv.sqref).split():
            c1, r1, c2, r2 = range_boundaries(rng)
            assert (r1, r2) == (5, 104), f"{ws.title}: {rng}"
            for c in range(c1, c2 + 1):
                assert c not in by_col, f"{ws.title}: two rules on column {c}"
                by_col[c] = dv
    return by_col


def check_table(ws, ncols, frozen, two_rows, title):
    assert ws["A1"].value == title and ws["A1"].font.b and ws["A1"].font.sz == 16
    assert ws.freeze_panes == frozen
    assert ws.auto_filter.ref == f"A4:{get_column_letter(ncols)}104"
    assert ws.print_title_rows == ("$3:$4" if two_rows else "$4:$4")
    assert ws.print_area == f"'{ws.title}'!$A$1:${get_column_letter(ncols)}$104"
    ps = ws.page_setup
    # One page wide, or (a table too wide to print legibly on one) a few pages across, its No
    # column repeated on each.
    across = int(ps.fitToWidth or 1)
    assert (ps.orientation, str(ps.paperSize), str(ps.fitToHeight)) == ("landscape", "9", "0")
    assert across == 1 or (across <= 3 and ws.print_title_cols == "$A:$A"), (ncols, across)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    for c in range(1, ncols + 1):
        head = ws.cell(3 if two_rows and ws.cell(4, c).value is None else 4, c)
        assert head.alignment.wrap_text and head.border.left.style == "thin" and head.font.b, f"{ws.title} {head.coordinate}"
        computed = fill(head) == GREY
        body = ws.cell(5, c)
        # Inputs empty; computed cells hold fill's formulas (blank until the inputs are typed).
        assert (body.value is None) != (computed and str(body.value).startswith("=")), f"{ws.title} {body.coordinate}: {body.value}"
        assert body.border.bottom.style == "thin"
        assert (fill(body) == LIGHT) == computed, f"{ws.title} {body.coordinate}: grey only when computed"
        assert ws.cell(104, c).border.bottom.style == "thin"


@pytest.mark.parametrize("edition,lang", CASES)
def test_sheets_and_header_texts(books, edition, lang):
    wb = openpyxl.load_workbook(books[(edition, lang)])
    assert wb.sheetnames == SHEETS[(edition, lang)] + [SUMMARY[lang]]
    assert wb.active.title == SHEETS[(edition, lang)][1]
    inv, reg, plan = (wb[n] for n in wb.sheetnames[:3])
    expected_inventory = list(INVENTORY[lang])
    if edition == "isms-seminar":
        expected_inventory[-1] = "資産価値" if lang == "ja" else "Asset value"
    assert [c.value for c in inv[4]] == expected_inventory
    assert not any(c.value for c in inv[3])
    medium = "媒体・保存先" if lang == "ja" else "Medium / location"
    assert medium not in expected_inventory, "an IPA ledger column would make the inventory a ledger"
    assert header_row(reg, reg.max_column - 2, True) == register_headers(edition, lang)
    assert header_row(plan, plan.max_column, True) == PLAN[lang]
    check_table(inv, 10, "D5", False, wb.sheetnames[0])
    ncols = len(register_headers(edition, lang))
    check_table(reg, ncols, "C5", True, wb.sheetnames[1])
    check_table(plan, 10, "C5", True, wb.sheetnames[2])
    # 作成 / 承認: labelled boxes of two columns each at the top right, empty and bordered below.
    labels = ("作成", "承認") if lang == "ja" else ("Prepared", "Approved")
    merged = {str(m) for m in reg.merged_cells.ranges}
    for k, label in enumerate(labels):
        c = ncols - 3 + 2 * k
        a, b = get_column_letter(c), get_column_letter(c + 1)
        assert reg.cell(1, c).value == label and fill(reg.cell(1, c)) == BLUE
        assert {f"{a}1:{b}1", f"{a}2:{b}2"} <= merged
        assert reg.cell(2, c).value is None and reg.cell(2, c).border.top.style == "thin" and reg.cell(2, c + 1).border.right.style == "thin"
    if lang == "en":
        for ws in wb:
            assert not JAPANESE.search(ws.title)
            for row in ws.iter_rows():
                for c in row:
                    assert not (isinstance(c.value, str) and JAPANESE.search(c.value)), f"{ws.title}!{c.coordinate}: {c.value}"
            for dv in ws.data_validations.dataValidation:
                for text in (dv.formula1, dv.prompt, dv.promptTitle, dv.error, dv.errorTitle):
                    assert not (text and JAPANESE.search(text)), f"{ws.title} {dv.sqref}: {text}"


@pytest.mark.parametrize("edition,lang", CASES)
def test_every_input_has_its_rule(books, edition, lang):
    wb = openpyxl.load_workbook(books[(edition, lang)])
    inv, reg, plan = (wb[n] for n in wb.sheetnames[:3])
    ja = lang == "ja"
    seminar = edition == "isms-seminar"

    # 資産目録: No a whole number, C/I/A the profile's 1–3, 重要度 computed (no rule).
    dvs = validations(inv)
    assert set(dvs) == {1, 7, 8, 9}
    assert (dvs[1].type, dvs[1].formula1) == ("whole", "1")
    assert (dvs[7].type, dvs[7].formula1, dvs[7].imeMode) == ("list", '"1,2,3"', "off")

    # The register: every column that is neither free text nor computed has a rule.
    cols = register_headers(edition, lang)
    index = {}
    for i, (g, f) in enumerate(cols, start=1):
        index.setdefault(f, []).append(i)
    dvs = validations(reg)
    computed = {i for i in range(1, len(cols) + 1) if fill(reg.cell(5, i)) == LIGHT}
    text = {i for i in range(1, len(cols) + 1) if reg.cell(5, i).alignment.wrap_text}
    assert set(dvs) == set(range(1, len(cols) + 1)) - computed - (text - set(index["附属書A" if ja else "Annex A"]))
    assert len(computed) == 4, "重要度, リスクレベル, 優先順位, 二次評価 リスクレベル"
    factors = ["業務への影響度", "発生頻度"] if seminar and ja else ["Business impact", "Frequency"] if seminar else \
        ["被害発生可能性"] if ja else ["Likelihood"]
    for f in factors:
        for c in index[f]:
            assert (dvs[c].type, dvs[c].formula1, dvs[c].imeMode) == ("list", '"1,2,3"', "off")
    residual_importance = index["資産価値" if seminar and ja else "Asset value" if seminar else "重要度" if ja else "Importance"][1]
    assert dvs[residual_importance].formula1 == ('"3,4,5,6,7,8,9"' if seminar else '"1,2,3"')
    treatments = [c for c, (g, _) in enumerate(cols, start=1) if g == ("リスク対応" if ja else "Treatment")]
    assert len(treatments) == 4 and all(dvs[c].formula1 == '"●"' for c in treatments)
    response = dvs[index["対応" if ja else "Response"][0]]
    assert response.formula1 == ('"済み,予定,未定"' if ja else '"Done,Planned,Undecided"')
    # 附属書A: the 93 controls of ISO/IEC 27001:2022 from a list right of the form, outside the print area.
    annex = dvs[index["附属書A" if ja else "Annex A"][0]]
    c1, r1, c2, r2 = range_boundaries(annex.formula1.replace("$", ""))
    assert (c1, c2, r1, r2) == (len(cols) + 2, len(cols) + 2, 5, 97)
    controls = [reg.cell(r, c1).value for r in range(5, 98)]
    assert controls[0] == ("5.1 情報セキュリティのための方針群" if ja else "5.1 Policies for information security")
    assert controls[-1].startswith("8.34 ") and len(set(controls)) == 93
    assert reg.cell(4, c1).value == ("選択肢" if ja else "Choices")

    # The levels are coloured by priority once fill writes them (the highest red, the lowest green).
    levels = [c for c, (_, f) in enumerate(cols, start=1) if f in ("リスクレベル", "リスク値", "Risk level", "Risk value")]
    rules = {(str(r.sqref), x.formula[0]): x.dxf for r in reg.conditional_formatting for x in r.rules}
    for c in levels:
        col = get_column_letter(c)
        top, low = rules[(f"{col}5:{col}104", "81" if seminar else "9")], rules[(f"{col}5:{col}104", "3" if seminar else "1")]
        assert (top.fill.bgColor.rgb, low.fill.bgColor.rgb) == ("FFFFC7CE", "FFC6EFCE")

    # リスク対応計画: numbers, dates (a date rule and format), the status from the profile's words.
    dvs = validations(plan)
    assert set(dvs) == {1, 2, 6, 7, 8, 9, 10}
    assert all((dvs[c].type, dvs[c].operator, dvs[c].imeMode) == ("date", "between", "off") for c in (6, 7, 8, 9))
    assert all(plan.cell(5, c).number_format == "yyyy/mm/dd" for c in (6, 7, 8, 9))
    assert dvs[10].formula1 == ('"終了,着手,未着手"' if ja else '"Finished,In progress,Not started"')


def test_the_edition_list_names_the_register_editions(risksheet_bin, tmp_path):
    help_text = run(risksheet_bin, "new", "--help").stdout
    assert "lv3" in help_text and "isms-seminar" in help_text
    # ipa-3 still writes the IPA workbook.
    out = tmp_path / "ipa.xlsx"
    run(risksheet_bin, "new", out)
    assert "情報資産管理台帳" in openpyxl.load_workbook(out).sheetnames


@pytest.fixture(scope="module")
def pdf_pages(books, need_lo):
    """The text of every printed page of each workbook, as LibreOffice prints it."""
    if not shutil.which("pdftotext"):
        if IN_CI:
            pytest.fail("pdftotext (poppler-utils) is required in CI")
        pytest.skip("pdftotext not installed")
    out = {}
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{d}/profile", "--headless", "--norestore", "--convert-to", "pdf",
                        "--outdir", d, *map(str, books.values())], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600, check=False)
        for key, path in books.items():
            pdf = f"{d}/{path.stem}.pdf"
            info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
            pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
            size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
            text = [subprocess.run(["pdftotext", "-layout", "-f", str(p), "-l", str(p), pdf, "-"], capture_output=True, text=True).stdout
                    for p in range(1, pages + 1)]
            out[key] = (tuple(round(float(x)) for x in size), text)
    return out


@pytest.mark.parametrize("edition,lang", CASES)
def test_libreoffice_prints_each_sheet_landscape_one_page_wide(pdf_pages, edition, lang):
    size, pages = pdf_pages[(edition, lang)]
    assert size == (842, 595), "A4 landscape"
    names = SHEETS[(edition, lang)]
    starts = [next(i for i, t in enumerate(pages) if t.lstrip().startswith(n)) for n in names]
    # The summary sheet prints after them (its own title first).
    assert any(("リスク対応の集計" if lang == "ja" else "Risk treatment summary") in t for t in pages[starts[-1]:])
    assert starts == sorted(starts) and starts[0] == 0
    register = "".join(pages[starts[1]:starts[2]])
    cols = register_headers(edition, lang)
    # The register prints a few pages across: the first and the last columns' headers, and the
    # boxes, on its pages (tests/test_print.py checks the sizes).
    for text in (cols[0][1], cols[6][1], cols[-1][0], "作成" if lang == "ja" else "Prepared", "承認" if lang == "ja" else "Approved"):
        assert text in register, text
    # The control list stays off the paper.
    assert ("選択肢" if lang == "ja" else "Choices") not in "".join(pages)
    assert "5.1 " not in "".join(pages)
    # Each sheet's later pages repeat the header rows (print titles).
    summary_start = next(i for i, t in enumerate(pages) if i > starts[-1] and ("リスク対応の集計" if lang == "ja" else "Risk treatment summary") in t)
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else summary_start
        assert end - start >= 2, names[k]
        assert ("No" if lang == "ja" else "No.") in pages[start + 1]
    if lang == "en":
        assert not JAPANESE.search("".join(pages))
