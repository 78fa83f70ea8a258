"""The README's Python example as a script: fill the bundled example ledger and show its results.

    pip install .                                   # at the repository's top level
    python python/examples/quickstart.py            # workbooks/example-ipa-3.xlsx -> filled.xlsx
    python python/examples/quickstart.py LEDGER.xlsx OUT.xlsx

The same computation as ``risksheet fill LEDGER.xlsx -o OUT.xlsx``; the input is not changed.
"""
import sys
from pathlib import Path

import risksheet

HERE = Path(__file__).resolve().parent
book = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "workbooks" / "example-ipa-3.xlsx"
out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("filled.xlsx")

with risksheet.open(book) as wb:
    print("sheets:", ", ".join(wb.sheet_names))
    summary = wb.fill()  # the same computation as `risksheet fill`
    for a in wb.assets:
        print(f"{a.row:>4} {a.name}: risk {a.risk} ({a.band})")
    print("high risk:", ", ".join(a.name for a in summary.high_risk_assets) or "-")
    print("policy chapters:", len(summary["chapters_selected"]))
    for w in summary["warnings"]:
        print(f"! {w['sheet']}!{w['cell']}: {w['message']}")
    wb.save(out)  # atomic
print("saved", out)
