#!/usr/bin/env python3
"""Benchmark (not a test): one changed cell in a 100,000-row sheet.

    python3 tests/bench/bench_edit.py [--rows 100000]

Prints risksheet `edit` (open, change one cell, save) against the floor of the job: reading and
re-compressing that sheet part (zlib in-process, same level as the zip writer), with time and peak
memory next to the uncompressed size of the sheet part.
"""
import argparse
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


def write_rows_sheet(src, rows):
    """A sheet 「台帳」 of `rows` ledger-like rows; returns the size of its part in MiB."""
    cells = {}
    for r in range(1, rows + 1):
        cells.update({(r, 1): r, (r, 2): f"資産{r}", (r, 3): "書類", (r, 4): r % 3 + 1, (r, 5): r % 2 + 1,
                      (r, 6): 2, (r, 7): "総務部", (r, 8): r * 0.5})
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "risksheet"], cwd=ROOT, check=True)
    exe = ROOT / "target/release/risksheet"
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "big.xlsx"
        size = write_rows_sheet(src, args.rows)
        t_floor = floor_seconds(src)
        t, m = measure([str(exe), "edit", str(src), "-o", str(Path(d) / "out.xlsx"), "--set", f"台帳!D{args.rows // 2}=9"])
        print(f"\none cell changed in a {args.rows}-row sheet (sheet part {size:.1f} MiB uncompressed)")
        print(f"{'read + re-compress the sheet part (python zlib, floor)':<60} {t_floor:>7.2f}s")
        print(f"{'risksheet edit (open, change, save atomically)':<60} {t:>7.2f}s {m:>7.0f}MiB")
        print(f"{'time ratio (target < 3)':<60} {t / t_floor:>7.2f}x")
        print(f"{'peak memory / sheet part size (target < 2)':<60} {m / size:>7.2f}x")


if __name__ == "__main__":
    main()
