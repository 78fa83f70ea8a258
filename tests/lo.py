"""LibreOffice as the reference client: open workbooks headless and read every sheet as CSV.

`recalc` forces recalculation on load (what ../shared/tools/lo-recalc does), `cached` shows the
values stored in the file, as a LibreOffice user sees them by default. Many files go through one
soffice process, which is what keeps the corpus tests fast.
"""
import csv
import os
import shutil
import subprocess
import tempfile
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


def _convert(files, outdir, mode):
    with tempfile.TemporaryDirectory() as profile:
        os.makedirs(f"{profile}/user")
        Path(f"{profile}/user/registrymodifications.xcu").write_text(XCU.format(mode=mode))
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", FILTER, "--outdir", str(outdir), *map(str, files)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900, check=False)


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
