"""LibreOffice as the reference client: open workbooks headless and read every sheet as CSV.

`recalc` forces recalculation on load (what ../shared/tools/lo-recalc does), `cached` shows the
values stored in the file, as a LibreOffice user sees them by default. Many files go through one
soffice process, which is what keeps the corpus tests fast.
"""
import csv
import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>{mode}</value></prop></item>
</oor:items>
"""
FILTER = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def available():
    return shutil.which("soffice") is not None


def _convert(files, outdir, mode, to=FILTER):
    with tempfile.TemporaryDirectory() as profile:
        os.makedirs(f"{profile}/user")
        Path(f"{profile}/user/registrymodifications.xcu").write_text(XCU.format(mode=mode))
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", to, "--outdir", str(outdir), *map(str, files)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900, check=False)


def only_sheet(src, dst, keep):
    """Writes to dst a copy of workbook src that prints only its sheet `keep`: every other sheet
    hidden (LibreOffice prints the visible ones) and their print ranges dropped (a hidden sheet
    with a print range is printed all the same), `keep` the active tab. Nothing else changes."""
    unescape = lambda s: s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/workbook.xml":
                text = data.decode("utf-8")
                names = [unescape(n) for n in re.findall(r'<sheet\s[^>]*?\bname="([^"]*)"', text)]
                idx = names.index(keep)

                def sheet(m):
                    tag = re.sub(r'\s+state="[^"]*"', "", m.group(0))
                    name = unescape(re.search(r'\bname="([^"]*)"', tag).group(1))
                    return tag if name == keep else tag.replace("<sheet ", '<sheet state="hidden" ', 1)
                text = re.sub(r"<sheet\s[^>]*?/>", sheet, text)
                text = re.sub(r'\s(activeTab|firstSheet)="\d+"', "", text)
                text = re.sub(r"<workbookView\b", f'<workbookView activeTab="{idx}" firstSheet="{idx}"', text, count=1)
                text = re.sub(r'<definedName name="_xlnm\.Print_(Area|Titles)" localSheetId="(\d+)"[^>]*>[^<]*</definedName>',
                              lambda m: m.group(0) if int(m.group(2)) == idx else "", text)
                data = text.encode("utf-8")
            elif re.fullmatch(r"xl/worksheets/sheet\d+\.xml", item.filename):
                data = re.sub(rb'\stabSelected="1"', b"", data)
            zout.writestr(item, data)


def pdfs(files, outdir):
    """Prints workbooks to PDF (outdir/STEM.pdf) in one LibreOffice process, values as cached."""
    _convert(files, outdir, 1, to="pdf")


def pdf_pages(pdf):
    """The pages of a PDF as read by poppler's `pdftotext -bbox-layout`: a list of
    (width, height, words), each word (x_min, y_min, x_max, y_max, text), in points."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", out))
    xhtml = "{http://www.w3.org/1999/xhtml}"
    pages = []
    for p in root.iter(f"{xhtml}page"):
        words = [(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
                 for w in p.iter(f"{xhtml}word")]
        pages.append((float(p.get("width")), float(p.get("height")), words))
    return pages


def sheets(files, mode="recalc"):
    """{file: {sheet: [[cell text]]}} for each file; mode 'recalc' (forced) or 'cached'.

    File stems must be unique. A file LibreOffice cannot open maps to {}.
    """
    files = [Path(f) for f in files]
    with tempfile.TemporaryDirectory() as out:
        _convert(files, out, 0 if mode == "recalc" else 1)
        found = os.listdir(out)
        result = {}
        for f in files:
            prefix = f.stem + "-"
            per = {}
            for name in found:
                if name.startswith(prefix) and name.endswith(".csv"):
                    with open(os.path.join(out, name), newline="", encoding="utf-8", errors="replace") as fh:
                        per[name[len(prefix):-4]] = list(csv.reader(fh))
            if not per and f.suffix.lower() in (".xlsx", ".xlsm"):
                single = os.path.join(out, f.stem + ".csv")
                if os.path.exists(single):
                    with open(single, newline="", encoding="utf-8", errors="replace") as fh:
                        per[""] = list(csv.reader(fh))
            result[f] = per
        return result


def cell(grid, row, col):
    """Text of a 1-based cell in a CSV grid, '' beyond its edge."""
    if row - 1 < len(grid) and col - 1 < len(grid[row - 1]):
        return grid[row - 1][col - 1]
    return ""


def differences(a, b):
    """Set of (row, col) where two grids differ, 1-based."""
    rows = max(len(a), len(b))
    out = set()
    for r in range(rows):
        ra = a[r] if r < len(a) else []
        rb = b[r] if r < len(b) else []
        for c in range(max(len(ra), len(rb))):
            va = ra[c] if c < len(ra) else ""
            vb = rb[c] if c < len(rb) else ""
            if va != vb:
                out.add((r + 1, c + 1))
    return out
