"""What a user sees in a workbook `new` and `soa` write (src/xlsx/new_book.rs over rust_xlsxwriter),
read back with openpyxl: the fonts, fills, borders, alignment and number formats of each kind of
cell, widths and heights, frozen panes, print setup, the dropdowns (with the IME switched off on
the number and date columns) and the colours of the risk labels. These are the properties the
hand-written writer had; the workbooks must keep them whatever writes the package."""
import pytest

from conftest import IN_CI, ROOT, run

try:
    import openpyxl
except ImportError:  # tests/run and .ci/run install it
    if IN_CI:
        raise
    pytest.skip("openpyxl not installed (python3 -m pip install openpyxl)", allow_module_level=True)

BLUE, GREY, LIGHT, BORDER = "FFDDEBF7", "FFE7E6E6", "FFF2F2F2", "FF808080"


def look(c):
    """(font, size, bold, font colour, fill, border, horizontal, vertical, wrap, number format)"""
    colour = c.font.color.rgb if c.font.color is not None and c.font.color.type == "rgb" else None
    fill = c.fill.fgColor.rgb if c.fill.fill_type == "solid" else None
    border = {(s.style, s.color.rgb if s.color is not None else None) for s in (c.border.left, c.border.right, c.border.top, c.border.bottom)}
    return (c.font.name, c.font.sz, bool(c.font.b), colour, fill, border, c.alignment.horizontal or "general", c.alignment.vertical,
            bool(c.alignment.wrap_text), c.number_format)


def boxed(fill=None, h="center", wrap=False, fmt="General", font="游ゴシック", bold=False):
    return (font, 11, bold, None, fill, {("thin", BORDER)}, h, "center", wrap, fmt)


@pytest.mark.parametrize("lang,font", [("ja", "游ゴシック"), ("en", "Calibri")])
def test_the_template_looks_as_designed(tmp_path, risksheet_bin, lang, font):
    out = tmp_path / f"t-{lang}.xlsx"
    run(risksheet_bin, "new", out, "--book-lang", lang)
    wb = openpyxl.load_workbook(out)
    ledger = wb.sheetnames[3]
    assert wb.active.title == ledger
    ws = wb[ledger]
    assert look(ws["A1"]) == (font, 16, True, None, None, {(None, None)}, "left", "center", False, "General")
    assert look(ws["A2"]) == (font, 10, False, "FF404040", None, {(None, None)}, "left", "top", True, "General")
    assert look(ws["A3"]) == boxed(BLUE, wrap=True, font=font, bold=True)      # input header
    assert look(ws["P4"]) == boxed(GREY, wrap=True, font=font, bold=True)      # computed header
    assert look(ws["A5"]) == boxed(h="left", wrap=True, font=font)            # text input
    assert look(ws["J5"]) == boxed(font=font)                                 # C/I/A
    assert look(ws["O5"]) == boxed(fmt="yyyy/mm/dd", font=font)               # date
    assert look(ws["U104"]) == boxed(LIGHT, font=font)                        # computed label
    assert {str(m) for m in ws.merged_cells.ranges} >= {"A3:A4", "G3:I3", "P3:U3", "R4:S4", "T4:U4"}
    # Excel keeps widths and heights in whole pixels: 4.5 digits are drawn 31 pixels wide, 28 pt as 37 pixels.
    widths = {k: ws.column_dimensions[k].width for k in "ABR"}
    assert widths == ({"A": 12, "B": 22, "R": pytest.approx(4.5, abs=0.1)} if lang == "ja" else {"A": 13, "B": 18, "R": pytest.approx(4.5, abs=0.1)})
    assert [ws.row_dimensions[r].height for r in (1, 2, 3, 4)] == pytest.approx([28, 45, 24, 54], abs=0.25)
    assert ws.sheet_format.defaultRowHeight == 18
    assert ws.freeze_panes == "C5"
    # 21 columns print across pages split between the header's groups, at a scale that keeps the
    # text legible (tests/test_print.py measures it), 業務分類 and the asset repeated on each.
    breaks = [b.id for b in ws.col_breaks.brk]
    assert breaks == ([9] if lang == "ja" else [9, 15]), breaks
    assert (ws.page_setup.orientation, str(ws.page_setup.paperSize)) == ("landscape", "9")
    assert 75 <= int(ws.page_setup.scale) <= 90 and not ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_options.horizontalCentered
    assert (ws.print_title_rows, ws.print_title_cols, ws.oddFooter.center.text) == ("$3:$4", "$A:$B", "&P / &N")
    dvs = {str(d.sqref): d for d in ws.data_validations.dataValidation}
    assert set(dvs) >= {"F5:F104", "G5:I104", "J5:L104", "O5:O104"}
    assert (dvs["J5:L104"].type, dvs["J5:L104"].formula1, dvs["J5:L104"].imeMode) == ("list", '"1,2,3"', "off")
    assert (dvs["O5:O104"].type, dvs["O5:O104"].operator, dvs["O5:O104"].imeMode) == ("decimal", "between", "off")
    assert dvs["F5:F104"].promptTitle and dvs["F5:F104"].errorTitle
    rules = {(str(r.sqref), x.formula[0]): x.dxf for r in ws.conditional_formatting for x in r.rules}
    high = rules[("U5:U104", '"リスク大"')]
    low = rules[("S5:S104", '"Likelihood: low"')]
    assert (high.font.b, high.font.color.rgb, high.fill.bgColor.rgb) == (True, "FF9C0006", "FFFFC7CE")
    assert (bool(low.font.b), low.font.color.rgb, low.fill.bgColor.rgb) == (False, "FF006100", "FFC6EFCE")
    result = wb[wb.sheetnames[6]]
    assert look(result["C5"])[4] == LIGHT and result["C5"].number_format == "0.0%"
    threats, checklist = wb[wb.sheetnames[4]], wb[wb.sheetnames[5]]
    assert (threats.freeze_panes, threats.print_title_rows, threats.page_setup.orientation) == ("A5", "$4:$4", "landscape")
    assert checklist.page_setup.orientation == "landscape"


def test_the_soa_looks_as_designed(tmp_path, risksheet_bin):
    out = tmp_path / "soa.xlsx"
    run(risksheet_bin, "soa", ROOT / "tests/fixtures/legacy/soa-2013.xlsx", "-o", out)
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert look(ws["A4"]) == boxed(BLUE, wrap=True, bold=True)
    assert look(ws["B5"]) == boxed()
    assert ws.freeze_panes == "C5" and ws.print_title_rows == "$4:$4"
    rule = next(x for r in ws.conditional_formatting for x in r.rules)
    assert (rule.formula[0], rule.dxf.font.color.rgb, rule.dxf.fill.bgColor.rgb) == ('"要検討（2022新規）"', "FF9C5700", "FFFFEB9C")
    assert sorted(d.formula1 for d in ws.data_validations.dataValidation) == ['"○,×"', '"○,一部実施,未,ー"']
    assert "A2:J2" in [str(m) for m in ws.merged_cells.ranges] and ws.row_dimensions[2].height >= 30
