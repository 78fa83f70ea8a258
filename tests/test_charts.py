"""The charts `fill` writes, as LibreOffice draws them (issues 16 and 17).

Each filled workbook is printed to PDF by LibreOffice and rasterised at 60 dpi (pdftoppm); so is a
copy of it whose sheets no longer show their drawings. The chart's title must be on a page, and
the pages must hold many more pixels of the series' colours than the copy without the chart: the
chart is drawn, with its bars, not an empty frame. The structure of the parts is checked in
tests/charts.rs.
"""
import io
import re
import shutil
import subprocess
import zipfile

import pytest

from conftest import ROOT, run

Image = pytest.importorskip("PIL.Image")

# The colours of the first two series (src/xlsx/chart.rs PALETTE); the grey of the self check's
# full marks is left out, as cell borders share it.
COLOURS = [(0x44, 0x72, 0xC4), (0xED, 0x7D, 0x31)]


def without_drawings(src, dst):
    """A copy of `src` whose sheets do not show their drawings (their <drawing> element dropped)."""
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as b:
        for info in a.infolist():
            data = a.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"<drawing [^>]*/>", b"", data)
            b.writestr(info, data)


def pdf_pages(files, outdir, profile):
    """Prints each workbook to PDF with LibreOffice; {stem: [(text, PIL image)] per page}."""
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", "pdf",
                    "--outdir", str(outdir), *map(str, files)], capture_output=True, timeout=600, check=True)
    out = {}
    for f in files:
        pdf = outdir / (f.stem + ".pdf")
        assert pdf.exists(), f"LibreOffice printed {f.name}"
        n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout).group(1))
        pages = []
        for i in range(1, n + 1):
            text = subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), str(pdf), "-"], capture_output=True, text=True).stdout
            png = subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(i), "-l", str(i), str(pdf)], capture_output=True, check=True).stdout
            pages.append((text, Image.open(io.BytesIO(png)).convert("RGB")))
        out[f.stem] = pages
    return out


def chart_pixels(image):
    """Pixels of a series' colour (within anti-aliasing)."""
    b = image.tobytes()
    return sum(1 for p in zip(b[0::3], b[1::3], b[2::3]) if any(max(abs(p[k] - c[k]) for k in range(3)) <= 24 for c in COLOURS))


@pytest.fixture(scope="module")
def rendered(risksheet_bin, tmp_path_factory, need_lo):
    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils (pdftoppm, pdftotext) not installed")
    d = tmp_path_factory.mktemp("charts")
    books = {}
    # The example ledger; a self check with some answers; the lv3 register.
    run(risksheet_bin, "fill", ROOT / "workbooks/example-ipa-3.xlsx", "-o", d / "example.xlsx")
    books["example"] = "対策の種類ごとの実施率"
    sc = d / "sc-in.xlsx"
    run(risksheet_bin, "new", sc, "--edition", "self-check")
    sets = []
    for n, a in [(1, "実施している"), (2, "実施している"), (3, "一部実施している"), (8, "実施している"), (9, "実施している"), (23, "実施している")]:
        sets += ["--set", f"自社診断!D{n + 4}={a}"]
    run(risksheet_bin, "edit", sc, *sets)
    run(risksheet_bin, "fill", sc, "-o", d / "selfcheck.xlsx")
    books["selfcheck"] = "区分ごとの点数"
    run(risksheet_bin, "fill", ROOT / "tests/fixtures/register/lv3-register.xlsx", "-o", d / "register.xlsx", check=False)
    books["register"] = "優先順位ごとのリスク数"
    files = []
    for stem in books:
        without_drawings(d / f"{stem}.xlsx", d / f"{stem}-bare.xlsx")
        files += [d / f"{stem}.xlsx", d / f"{stem}-bare.xlsx"]
    pages = pdf_pages(files, d / "pdf", d / "profile")
    return books, pages


@pytest.mark.parametrize("stem", ["example", "selfcheck", "register"])
def test_libreoffice_draws_the_chart(rendered, stem):
    books, pages = rendered
    title = books[stem]
    with_chart, bare = pages[stem], pages[f"{stem}-bare"]
    on = [i for i, (text, _) in enumerate(with_chart) if title in text]
    assert on, f"{title} printed on a page of {stem}"
    assert not any(title in text for text, _ in bare)
    drawn = sum(chart_pixels(img) for _, img in with_chart)
    baseline = sum(chart_pixels(img) for _, img in bare)
    print(f"{stem}: title on page {on[0] + 1} of {len(with_chart)}; chart-colour pixels {drawn} with the chart, {baseline} without")
    # At 60 dpi a chart's bars are a thousand pixels or more; nothing else has their colours.
    assert drawn > 800 and drawn > 10 * (baseline + 10), (stem, drawn, baseline)
    # The title's text may also head a table; the chart is on one of the pages that show it.
    assert max(chart_pixels(with_chart[i][1]) for i in on) > 300, (stem, on)
