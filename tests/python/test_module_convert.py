"""convert and soa through the Python module give what the CLI gives."""
import json
import os
from pathlib import Path

import pytest

risksheet = pytest.importorskip("risksheet") if os.environ.get("CI", "").lower() not in ("1", "true", "yes") else __import__("risksheet")

ROOT = Path(__file__).resolve().parents[2]
LEGACY = ROOT / "tests/fixtures/legacy"


def legacy_books():
    return sorted(p for p in LEGACY.glob("*.xlsx"))


@pytest.mark.parametrize("book", legacy_books(), ids=lambda p: p.name)
def test_convert_matches_the_cli(book, tmp_path, risksheet_bin):
    import subprocess
    out_py, out_cli = tmp_path / "py.xlsx", tmp_path / "cli.xlsx"
    with risksheet.open(book) as wb:
        report = wb.convert("2022")
        wb.save(out_py)
    cli = json.loads(subprocess.run([str(risksheet_bin), "convert", str(book), "-o", str(out_cli), "--to", "2022", "--json"],
                                    capture_output=True, text=True, check=True).stdout)
    cli_report = cli.get("convert", cli)
    assert report["converted"] == cli_report["converted"] and report["review"] == cli_report["review"]
    assert report["converted"] > 0
    with risksheet.open(out_py) as a, risksheet.open(out_cli) as b:
        for sheet in a.sheet_names:
            assert [(c.address, c.value) for c in a.cells(sheet)] == [(c.address, c.value) for c in b.cells(sheet)]


def test_convert_rejects_other_targets():
    with risksheet.open(legacy_books()[0]) as wb, pytest.raises(ValueError):
        wb.convert("2013")


def test_soa_has_93_controls(tmp_path):
    out = tmp_path / "soa.xlsx"
    with risksheet.open(legacy_books()[0]) as wb:
        wb.soa(out)
    with risksheet.open(out) as soa:
        ids = [c.value for c in soa.cells(soa.sheet_names[0]) if c.col == 2 and isinstance(c.value, str) and c.value[:1].isdigit() and "." in c.value]
    assert len(ids) == 93 and ids[0] == "5.1" and ids[-1] == "8.34"
