#!/usr/bin/env python3
"""Benchmark (not a test) of issue 7: the three workloads, with ratios and peak memory.

    python3 tests/bench/bench_batch.py [--assets 10000] [--rows 100000] [--books 500] [--no-openpyxl] [--only abc]

(a) fill of a ledger of 10,000 assets: risksheet `fill` against openpyxl (load, write the same
    formulas and dropdowns, save; tests/bench/bench_fill.py's job) and umya-spreadsheet (the same
    writes: tests/bench/umya, built --release here with its own target dir);
(b) one changed cell in a 100,000-row sheet: risksheet `edit` against the floor of the job
    (reading and re-compressing that sheet part, as tests/bench/bench_edit.py measures it), and
    against openpyxl and umya-spreadsheet doing the same open-set-save;
(c) a batch of 500 typical ledgers (copies of workbooks/example-ipa-3.xlsx with varied inputs,
    made with `risksheet edit`): `risksheet fill DIR -o OUT` with --jobs 1 and --jobs 2.

Each command runs in a fresh watcher process so that the peak RSS is its own (bench_fill.measure);
risksheet's times are the best of 3 (2 for the batch), the others' of 1.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests/bench"))
import ipa_samples  # noqa: E402
from bench_edit import floor_seconds, write_rows_sheet  # noqa: E402
from bench_fill import OPENPYXL_JOB, measure  # noqa: E402

EXE = ROOT / "target/release/risksheet"
UMYA_DIR = ROOT / "tests/bench/umya"
UMYA_TARGET = ROOT / "target/bench-umya"
UMYA = UMYA_TARGET / "release/risksheet-bench-umya"

OPENPYXL_SET = r'''
import sys, openpyxl
src, out, sheet, cell, value = sys.argv[1:6]
wb = openpyxl.load_workbook(src)
wb[sheet][cell] = float(value)
wb.save(out)
'''

ANSWERS = ["1:実施している", "2:一部実施している", "3:実施していない／わからない"]
MEDIA = ["書類", "可搬電子媒体", "事務所PC", "モバイル機器", "社内サーバー", "クラウド"]


def build():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "risksheet"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--manifest-path", str(UMYA_DIR / "Cargo.toml"),
                    "--target-dir", str(UMYA_TARGET)], cwd=ROOT, check=True)


class Table:
    def __init__(self):
        self.rows = []

    def section(self, title):
        self.rows.append(("", title, None, None, None))

    def add(self, name, t, mem, ratio=None):
        self.rows.append(("row", name, t, mem, ratio))

    def note(self, name, value):
        self.rows.append(("note", name, value, None, None))

    def print(self):
        print(f"\n{'':<66} {'time':>9} {'peak RSS':>10} {'ratio':>9}")
        for kind, name, t, mem, ratio in self.rows:
            if kind == "":
                print(f"\n{name}")
            elif kind == "note":
                print(f"  {name:<64} {t:>30}")
            else:
                r = f"{ratio:>8.1f}x" if ratio is not None else ""
                print(f"  {name:<64} {t:>8.2f}s {mem:>7.0f}MiB {r:>9}")


def ledger_fill(d, n_assets, table, openpyxl):
    repeat = max(1, n_assets // len(ipa_samples.EXAMPLE))
    n = repeat * len(ipa_samples.EXAMPLE)
    src = d / "big.xlsx"
    ipa_samples.user_ledger(src, repeat=repeat)
    table.section(f"(a) fill of a ledger of {n} assets ({src.stat().st_size // 1024} KiB); ratio = time / risksheet's")
    t, m = measure([str(EXE), "fill", str(src), "-o", str(d / "rs.xlsx"), "--profile", "ipa-2.1"])
    table.add("risksheet fill (formulas + cached values + dropdowns + 集計 + 診断結果)", t, m, 1.0)
    tu, mu = measure([str(UMYA), "fill", str(src), str(d / "umya.xlsx"), "台帳(本社)", "7", str(n)], runs=1)
    table.add("umya-spreadsheet open + the same formulas and dropdowns + save", tu, mu, tu / t)
    if openpyxl:
        job = d / "job.py"
        job.write_text(OPENPYXL_JOB)
        to, mo = measure([sys.executable, str(job), str(src), str(d / "op.xlsx"), str(n)], runs=1)
        table.add("openpyxl load + the same formulas and dropdowns + save", to, mo, to / t)
    table.note("targets: openpyxl ≥ 20x, umya-spreadsheet ≥ 5x", "")


def one_cell(d, rows, table, openpyxl):
    src = d / "rows.xlsx"
    size = write_rows_sheet(src, rows)
    t_floor = floor_seconds(src)
    cell = f"D{rows // 2}"
    table.section(f"(b) one cell changed in a {rows}-row sheet (sheet part {size:.1f} MiB uncompressed); ratio = time / risksheet's")
    t, m = measure([str(EXE), "edit", str(src), "-o", str(d / "out.xlsx"), "--set", f"台帳!{cell}=9"])
    table.add("risksheet edit (open, change, save atomically)", t, m, 1.0)
    tu, mu = measure([str(UMYA), "set", str(src), str(d / "umya.xlsx"), "台帳", cell, "9"], runs=1)
    table.add("umya-spreadsheet open + set + save", tu, mu, tu / t)
    if openpyxl:
        job = d / "set.py"
        job.write_text(OPENPYXL_SET)
        to, mo = measure([sys.executable, str(job), str(src), str(d / "op.xlsx"), "台帳", cell, "9"], runs=1)
        table.add("openpyxl load + set + save", to, mo, to / t)
    table.note("read + re-compress the sheet part (python zlib; the floor)", f"{t_floor:.2f}s")
    table.note("risksheet time / floor (target < 3)", f"{t / t_floor:.2f}x")
    table.note("risksheet peak memory / sheet part size (target < 2)", f"{m / size:.2f}x")


def make_books(d, n):
    """n copies of the example ledger, each with its own C/I/A values, media and answers."""
    folder = d / "books"
    folder.mkdir()
    rnd = random.Random(7)
    jobs = []
    for i in range(n):
        f = folder / f"site-{i:04d}.xlsx"
        shutil.copy(ROOT / "workbooks/example-ipa-3.xlsx", f)
        sets = []
        for r in range(5, 13):
            sets += [f"情報資産管理台帳!{c}{r}={rnd.randint(1, 3)}" for c in "JKL"]
            sets.append(f"情報資産管理台帳!F{r}={rnd.choice(MEDIA)}")
        sets += [f"対策状況チェック!D{r}={rnd.choice(ANSWERS)}" for r in rnd.sample(range(5, 60), 8)]
        args = [str(EXE), "edit", str(f)]
        for s in sets:
            args += ["--set", s]
        jobs.append(args)
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        for p in pool.map(lambda a: subprocess.run(a, capture_output=True, text=True), jobs):
            if p.returncode != 0:
                raise SystemExit(f"making the batch failed: {p.stderr}")
    return folder


def batch(d, n, table):
    folder = make_books(d, n)
    size = sum(f.stat().st_size for f in folder.iterdir()) / 2**20
    table.section(f"(c) batch fill of {n} typical ledgers ({size:.0f} MiB), risksheet fill DIR -o OUT; ratio = speed-up")
    t1, m1 = measure([str(EXE), "fill", str(folder), "-o", str(d / "out1"), "--jobs", "1", "--quiet"], runs=2)
    table.add("--jobs 1", t1, m1, 1.0)
    t2, m2 = measure([str(EXE), "fill", str(folder), "-o", str(d / "out2"), "--jobs", "2", "--quiet"], runs=2)
    table.add("--jobs 2", t2, m2, t1 / t2)
    same = all((d / "out1" / f.name).read_bytes() == (d / "out2" / f.name).read_bytes() for f in folder.iterdir())
    table.note("per file, --jobs 1", f"{t1 / n * 1000:.1f} ms")
    table.note("outputs of --jobs 1 and --jobs 2 byte-identical", str(same))
    table.note(f"speed-up 1 → 2 cores (target ≥ 1.7; {os.cpu_count()} cores here)", f"{t1 / t2:.2f}x")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--assets", type=int, default=10_000)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--books", type=int, default=500)
    ap.add_argument("--no-openpyxl", action="store_true", help="skip openpyxl (the slowest part)")
    ap.add_argument("--only", default="abc", help="the workloads to run (default: abc)")
    args = ap.parse_args()
    openpyxl = not args.no_openpyxl
    if openpyxl:
        try:
            import openpyxl as _  # noqa: F401
        except ImportError:
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "openpyxl"], check=True)
    build()
    table = Table()
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        for step, sub in ((lambda p: ledger_fill(p, args.assets, table, openpyxl), "a"),
                          (lambda p: one_cell(p, args.rows, table, openpyxl), "b"),
                          (lambda p: batch(p, args.books, table), "c")):
            if sub not in args.only:
                continue
            (d / sub).mkdir()
            step(d / sub)
            print(f"({sub}) done", file=sys.stderr)
    print(f"\nrisksheet {subprocess.run([str(EXE), '--version'], capture_output=True, text=True).stdout.strip()}, "
          f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")
    table.print()


if __name__ == "__main__":
    main()
