#!/usr/bin/env python3
"""Benchmark (not a test): fill a ledger of N assets (default 10,000) with risksheet, and do the
equivalent load, write and save with openpyxl; print time and peak memory of each.

    python3 tests/bench/bench_fill.py [--assets 10000]

risksheet runs as the release CLI (`cargo build --release` first). The openpyxl side writes the same
formulas into the same ledger columns and the same dropdowns, without cached values (openpyxl cannot
compute them), which makes it the cheaper of the two jobs.
"""
import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
import ipa_samples  # noqa: E402

OPENPYXL_JOB = r'''
import sys, openpyxl
from openpyxl.worksheet.datavalidation import DataValidation
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
wb = openpyxl.load_workbook(src)
ws = wb["台帳(本社)"]
for r in range(7, 7 + n):
    ws[f"N{r}"] = f'=IF(OR(COUNT(K{r},L{r},M{r})<3,MIN(K{r},L{r},M{r})<0,MAX(K{r},L{r},M{r})>2),"",MAX(K{r},L{r},M{r}))'
    ws[f"Q{r}"] = f'=IF(G{r}="","",IFERROR(INDEX(集計!$B$4:$B$9,MATCH(G{r},集計!$A$4:$A$9,0)),""))'
    ws[f"R{r}"] = f'=IF(G{r}="","",IFERROR(INDEX(集計!$D$4:$D$9,MATCH(G{r},集計!$A$4:$A$9,0)),""))'
    ws[f"S{r}"] = f'=IF(OR(Q{r}="",R{r}=""),"",INDEX({{3,2,1;2,1,1;1,1,1}},Q{r}-0,R{r}-0))'
    ws[f"T{r}"] = f'=IF(S{r}="","",INDEX({{"可能性:低","可能性:中","可能性:高"}},S{r}-0))'
    ws[f"U{r}"] = f'=IF(OR(N{r}="",S{r}=""),"",N{r}*S{r})'
    ws[f"V{r}"] = f'=IF(U{r}="","",IF(U{r}>=4,"リスク大",IF(U{r}>=1,"リスク中","リスク小")))'
for col, values in [("G", '"書類,可搬電子媒体,事務所PC,モバイル機器,社内サーバー,クラウド"'), ("K", '"0,1,2"'), ("L", '"0,1,2"'), ("M", '"0,1,2"')]:
    dv = DataValidation(type="list", formula1=values, allow_blank=True)
    dv.add(f"{col}7:{col}{6 + n}")
    ws.add_data_validation(dv)
wb.save(out)
'''


MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def measure(cmd, runs=3):
    """(best seconds of `runs`, peak RSS MiB) of a command, each run in a fresh watcher process so
    that the peak is the command's own."""
    best, peak = float("inf"), 0.0
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], check=True, capture_output=True, text=True).stdout.split()
        best = min(best, float(out[0]))
        peak = max(peak, int(out[1]) / 1024)
    return best, peak


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assets", type=int, default=10_000)
    args = ap.parse_args()
    repeat = max(1, args.assets // len(ipa_samples.EXAMPLE))
    n = repeat * len(ipa_samples.EXAMPLE)
    exe = ROOT / "target/release/risksheet"
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "risksheet"], cwd=ROOT, check=True)
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "openpyxl"], check=True)
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "big.xlsx"
        ipa_samples.user_ledger(src, repeat=repeat)
        rows = []
        t, m = measure([str(exe), "fill", str(src), "-o", str(Path(d) / "rs.xlsx"), "--profile", "ipa-2.1"])
        rows.append(("risksheet fill (formulas + cached values + dropdowns + 集計 + 診断結果)", t, m))
        job = Path(d) / "job.py"
        job.write_text(OPENPYXL_JOB)
        t2, m2 = measure([sys.executable, str(job), str(src), str(Path(d) / "op.xlsx"), str(n)], runs=1)
        rows.append(("openpyxl load + write the same formulas and dropdowns + save", t2, m2))
        print(f"\nfill of a ledger with {n} assets ({src.stat().st_size // 1024} KiB), {os.cpu_count()} cores")
        print(f"{'(best of 3 for risksheet)':<72} {'time':>8} {'peak RSS':>10}")
        for name, t_, m_ in rows:
            print(f"{name:<72} {t_:>7.2f}s {m_:>8.0f}MiB")
        print(f"{'ratio openpyxl / risksheet':<72} {t2 / t:>7.1f}x")


if __name__ == "__main__":
    main()
