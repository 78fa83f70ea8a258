"""Fidelity on other people's workbooks: set one new cell and change one existing value in every
file of the corpus, then prove that nothing else changed: no feature lost, every untouched part
byte-identical, and LibreOffice showing the new values and the same values everywhere else
(only cells that depend on the edit may change, and none may keep a stale cached value)."""
import html
import json
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

import lo
from conftest import SHARED, corpus_files, run

FILES = corpus_files()
NEW_TEXT = "risksheet✓"
TIMINGS = {}


def pick_edit(exe, path):
    """(sheet, [candidate cells with a plain value], new cell address) for a file."""
    info = json.loads(run(exe, "inspect", path, "--json").stdout)
    sheet = next(s["name"] for s in info["sheets"] if s["kind"] == "worksheet")
    cells = json.loads(run(exe, "get", path, sheet, "--json").stdout)
    plain = [c for _, c in cells if c["formula"] is None and isinstance(c["value"], (int, float)) and not isinstance(c["value"], bool)]
    plain += [c for _, c in cells if c["formula"] is None and isinstance(c["value"], str) and c["value"]]
    max_row = max((c["row"] for _, c in cells), default=0)
    return sheet, plain, f"B{max_row + 2}"


def quote(sheet):
    return "'" + sheet.replace("'", "''") + "'"


@pytest.fixture(scope="module")
def results(risksheet_bin, tmp_path_factory):
    base = tmp_path_factory.mktemp("fidelity")
    (base / "before").mkdir()
    (base / "after").mkdir()
    out = {}
    for i, f in enumerate(FILES):
        stem = f"{i:03d}-{f.stem}"
        before = base / "before" / f"{stem}{f.suffix}"
        after = base / "after" / f"{stem}{f.suffix}"
        shutil.copyfile(f, before)
        sheet, candidates, new_cell = pick_edit(risksheet_bin, before)
        report = None
        t0 = time.perf_counter()
        for c in candidates[:5] or [None]:
            sets = ["--set", f"{quote(sheet)}!{new_cell}={NEW_TEXT}"]
            changed = None
            if c is not None:
                v = c["value"]
                new_value = v + 1 if isinstance(v, (int, float)) else v + "★"
                sets += ["--set", f"{quote(sheet)}!{c['address']}={new_value}"]
                changed = (c["address"], c["row"], c["col"], v, new_value)
            p = run(risksheet_bin, "edit", before, "-o", after, "--json", *sets, check=False)
            if p.returncode == 0:
                report = json.loads(p.stdout)
                break
            assert "配列数式" in p.stderr, p.stderr  # only array ranges may refuse an edit
        TIMINGS[f.name] = time.perf_counter() - t0
        out[f] = dict(before=before, after=after, sheet=sheet, new_cell=new_cell, changed=changed, report=report)
    if lo.available():
        befores = [r["before"] for r in out.values()]
        afters = [r["after"] for r in out.values()]
        for key, files, mode in [("lo_before", befores, "recalc"), ("lo_after", afters, "recalc"),
                                 ("lo_before_cached", befores, "cached"), ("lo_after_cached", afters, "cached")]:
            grids = lo.sheets(files, mode)
            for r in out.values():
                r[key] = grids[r["before" if "before" in key else "after"]]
    return out


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_nothing_lost(results, path):
    r = results[path]
    assert r["report"] is not None, "no edit could be made"
    p = subprocess.run([str(SHARED / "tools/xlsx-features"), "--lost", str(r["before"]), str(r["after"])], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_untouched_parts_are_identical(results, path):
    r = results[path]
    report = r["report"]
    touched = {n.replace("\\", "/").lower() for n in report["parts_changed"] + report["parts_removed"]}
    a, b = zipfile.ZipFile(r["before"]), zipfile.ZipFile(r["after"])
    names_b = set(b.namelist())
    for info in a.infolist():
        key = info.filename.replace("\\", "/").lower()
        if key in touched:
            continue
        assert info.filename in names_b, f"{info.filename} vanished"
        assert a.read(info) == b.read(info.filename), f"{info.filename} changed"
        # Copied raw: the compressed bytes are the original ones.
        ib = b.getinfo(info.filename)
        assert (ib.CRC, ib.compress_size, ib.compress_type) == (info.CRC, info.compress_size, info.compress_type)
    # Only the edited sheet and the workbook's calculation bookkeeping may change.
    allowed = ("xl/worksheets/", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[content_types].xml", "xl/calcchain.xml", "xl/sheet")
    assert all(t.startswith(allowed) for t in touched), touched


def _csv_key(grids, sheet):
    return sheet if sheet in grids else ("" if "" in grids else None)


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_libreoffice_sees_the_edit_and_nothing_else(results, path, need_lo, risksheet_bin):
    r = results[path]
    before, after = r["lo_before"], r["lo_after"]
    if not before:
        pytest.skip("LibreOffice cannot open the original either")
    assert after, "LibreOffice could not open the output"
    allowed = {}
    for q in r["report"]["cells_written"] + r["report"]["formulas_affected"]:
        sheet, _, addr = q.rpartition("!")
        sheet = sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet
        col = "".join(ch for ch in addr if ch.isalpha())
        n = 0
        for ch in col:
            n = n * 26 + ord(ch) - 64
        allowed.setdefault(sheet, set()).add((int(addr[len(col):]), n))
    key = _csv_key(after, r["sheet"])
    assert key is not None, list(after)
    row = int(r["new_cell"][1:])
    assert lo.cell(after[key], row, 2) == NEW_TEXT
    if r["changed"]:
        addr, _, _, _, new_value = r["changed"]
        got = json.loads(run(risksheet_bin, "get", r["after"], f"{quote(r['sheet'])}!{addr}", "--json").stdout)
        assert got[0][1]["value"] == new_value
    derived = derived_sheets(r["after"])
    for sheet in set(before) | set(after):
        diff = lo.differences(before.get(sheet, []), after.get(sheet, []))
        extra = diff - allowed.get(sheet or r["sheet"], set())
        if extra and sheet in derived:
            continue  # a pivot table LibreOffice refreshes from the edited data
        extra -= volatile_cells(risksheet_bin, r["after"], sheet) if extra else set()
        assert not extra, f"{sheet}: unexpected changes at {sorted(extra)[:10]}"


VOLATILE = ("NOW(", "TODAY(", "RAND(", "RANDBETWEEN(")


def volatile_cells(exe, path, sheet):
    """Cells whose formulas give a new result on every calculation."""
    cells = json.loads(run(exe, "get", path, sheet, "--json").stdout)
    return {(c["row"], c["col"]) for _, c in cells if c["formula"] and any(v in c["formula"].upper() for v in VOLATILE)}


def derived_sheets(path):
    """Sheets holding pivot tables (LibreOffice refreshes them from their source on load)."""
    z = zipfile.ZipFile(path)
    names = {n.replace("\\", "/").lower(): n for n in z.namelist()}
    wb = z.read(names["xl/workbook.xml"]).decode("utf-8", "replace")
    rels = z.read(names["xl/_rels/workbook.xml.rels"]).decode("utf-8", "replace")
    targets = dict(re.findall(r'Id="([^"]+)"[^>]*Target="([^"]+)"', rels) + [(b, a) for a, b in re.findall(r'Target="([^"]+)"[^>]*Id="([^"]+)"', rels)])
    out = set()
    for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', wb):
        part = "xl/" + targets.get(rid, "").lstrip("/").removeprefix("xl/")
        rel = part.rsplit("/", 1)[0] + "/_rels/" + part.rsplit("/", 1)[-1] + ".rels"
        if rel.lower() in names and "pivotTable" in z.read(names[rel.lower()]).decode("utf-8", "replace"):
            out.add(html.unescape(name))
    return out


@pytest.mark.parametrize("path", FILES, ids=[f.name for f in FILES])
def test_no_stale_cached_values(results, path, need_lo):
    """What LibreOffice shows by default (cached values) equals what it computes, wherever the
    original file's cached values did too."""
    r = results[path]
    if not r["lo_before"]:
        pytest.skip("LibreOffice cannot open the original")
    for sheet in r["lo_after"]:
        stale_before = lo.differences(r["lo_before_cached"].get(sheet, []), r["lo_before"].get(sheet, []))
        stale_after = lo.differences(r["lo_after_cached"].get(sheet, []), r["lo_after"].get(sheet, []))
        new_stale = stale_after - stale_before
        assert not new_stale, f"{sheet}: stale cached values at {sorted(new_stale)[:10]}"


def test_timings_recorded(results):
    assert len(TIMINGS) == len(FILES) >= 77
    total = sum(TIMINGS.values())
    slowest = max(TIMINGS, key=TIMINGS.get)
    print(f"\nfidelity corpus: {len(FILES)} files, edit+save {total / len(FILES) * 1000:.0f} ms/file on average "
          f"(CLI process included), slowest {slowest} {TIMINGS[slowest] * 1000:.0f} ms")
