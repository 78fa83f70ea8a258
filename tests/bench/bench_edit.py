#!/usr/bin/env python3
"""Benchmark (not a test): one changed cell in a 100,000-row sheet.

    python3 tests/bench/bench_edit.py [--rows 100000] [--chain] [--exe PATH]

Prints risksheet `edit` (open, change one cell, save) against the floor of the job: reading and
re-compressing that sheet part (zlib in-process, same level as the zip writer), with time and peak
memory next to the uncompressed size of the sheet part.

With `--chain`, also the same ledger with a running total in column I whose formulas each read
the row below (`I5=I6+H5`, stored with cached values, the chain running against the file order):
one cell changed at the chain's head (the last row's amount) makes every total stale, and the
edit must find them all in time linear in the number of formulas (target: within 2x the plain
edit).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests/bench"))
import xlsxgen  # noqa: E402
from bench_fill import measure  # noqa: E402


def write_rows_sheet(src, rows, chain=False):
    """A sheet 「台帳」 of `rows` ledger-like rows, with `chain` a running total in column I read
    bottom-up; returns the size of its part in MiB."""
    cells = {}
    total = 0.0
    for r in range(rows, 0, -1):
        cells.update({(r, 1): r, (r, 2): f"資産{r}", (r, 3): "書類", (r, 4): r % 3 + 1, (r, 5): r % 2 + 1,
                      (r, 6): 2, (r, 7): "総務部", (r, 8): r * 0.5})
        if chain:
            total += r * 0.5
            cells[(r, 9)] = (f"=I{r + 1}+H{r}" if r < rows else f"=H{r}", total)
    xlsxgen.write(src, [("台帳", cells, [])])
    return len(zipfile.ZipFile(src).read("xl/worksheets/sheet1.xml")) / 2**20


def floor_seconds(src, runs=3):
    """The floor of a one-cell edit: reading the sheet part and re-compressing it (Python zlib),
    best of `runs`."""
    def once():
        t = time.perf_counter()
        raw = zipfile.ZipFile(src).read("xl/worksheets/sheet1.xml")
        zlib.compress(raw, 6)
        return time.perf_counter() - t
    return min(once() for _ in range(runs))


def one_edit(exe, d, rows, chain):
    """(seconds, peak MiB, part MiB, floor seconds, affected formulas) of one changed cell."""
    src = Path(d) / ("chain.xlsx" if chain else "big.xlsx")
    size = write_rows_sheet(src, rows, chain)
    # The chain's head is the last row's amount; the plain sheet gets a cell in its middle.
    cell = f"台帳!H{rows}=1" if chain else f"台帳!D{rows // 2}=9"
    args = [str(exe), "edit", str(src), "-o", str(Path(d) / "out.xlsx"), "--set", cell]
    t, m = measure(args)
    report = json.loads(subprocess.run(args + ["--json"], check=True, capture_output=True, text=True).stdout)
    return t, m, size, floor_seconds(src), len(report["formulas_affected"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--chain", action="store_true", help="also a one-cell edit at the head of a running total")
    ap.add_argument("--exe", help="a built risksheet (default: build the release binary)")
    args = ap.parse_args()
    if args.exe:
        exe = Path(args.exe)
    else:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "risksheet"], cwd=ROOT, check=True)
        exe = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release/risksheet"
    with tempfile.TemporaryDirectory() as d:
        t, m, size, t_floor, _ = one_edit(exe, d, args.rows, False)
        print(f"\none cell changed in a {args.rows}-row sheet (sheet part {size:.1f} MiB uncompressed)")
        print(f"{'read + re-compress the sheet part (python zlib, floor)':<60} {t_floor:>7.2f}s")
        print(f"{'risksheet edit (open, change, save atomically)':<60} {t:>7.2f}s {m:>7.0f}MiB")
        print(f"{'time ratio (target < 3)':<60} {t / t_floor:>7.2f}x")
        print(f"{'peak memory / sheet part size (target < 2)':<60} {m / size:>7.2f}x")
        if args.chain:
            tc, mc, size_c, _, affected = one_edit(exe, d, args.rows, True)
            print(f"\none cell changed at the head of a {args.rows}-row running total (sheet part {size_c:.1f} MiB)")
            print(f"{'risksheet edit, every total made stale':<60} {tc:>7.2f}s {mc:>7.0f}MiB")
            print(f"{'formulas whose cached value was dropped':<60} {affected:>8}")
            print(f"{'time / plain one-cell edit (target < 2)':<60} {tc / t:>7.2f}x")


if __name__ == "__main__":
    main()
