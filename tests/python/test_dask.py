"""The Dask example (`python/examples/dask_batch.py`): `fill` over a folder through the Python
module on a local Dask cluster gives the same workbooks as the CLI (checked with
`risksheet inspect --json` and `risksheet fill --json`), and a damaged file among them is
reported as failed without stopping the others.

Needs the compiled module (`python/build.sh`) and `dask[distributed]`; outside CI the test skips
without them, in CI (CI=true) it fails."""
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "workbooks" / "example-ipa-3.xlsx"
SCRIPT = ROOT / "python" / "examples" / "dask_batch.py"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

if IN_CI:
    import risksheet  # noqa: F401  (tests/run builds and installs it)
    import dask.distributed  # noqa: F401  (.ci/run installs dask[distributed])
else:
    pytest.importorskip("risksheet", reason="risksheet Python module not installed (python/build.sh)")
    pytest.importorskip("dask.distributed", reason="dask[distributed] not installed (pip install 'dask[distributed]')")


def load_example():
    spec = importlib.util.spec_from_file_location("dask_batch", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def cli(exe, *args):
    p = subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, env={**os.environ, "RISKSHEET_LANG": "ja"})
    assert p.returncode == 0, p.stderr
    return p.stdout


def inspected(exe, path):
    """`risksheet inspect --json` of a file, without its file name."""
    v = json.loads(cli(exe, "inspect", path, "--json"))
    v.pop("file")
    return v


@pytest.fixture(scope="module")
def client():
    ex = load_example()
    c, cluster = ex.connect(workers=2)
    yield c
    c.close()
    cluster.close()


def make_folder(d: Path):
    src = d / "clients"
    for name in ("a.xlsx", "b.xlsx", "sub/c.xlsx", "sub/deeper/d.xlsm"):
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLE, src / name)
    (src / "sub" / "broken.xlsx").write_bytes(b"PK\x03\x04 this is not really a zip")
    (src / "notes.txt").write_text("not a workbook")
    return src


def test_dask_fill_equals_the_cli_and_a_broken_file_is_reported(tmp_path, client, risksheet_bin):
    ex = load_example()
    src = make_folder(tmp_path)
    broken_before = (src / "sub" / "broken.xlsx").read_bytes()
    paths = ex.find_workbooks([src])
    assert [p.relative_to(src).as_posix() for p in paths] == ["a.xlsx", "b.xlsx", "sub/broken.xlsx", "sub/c.xlsx", "sub/deeper/d.xlsm"]
    out = tmp_path / "out"
    records = ex.run_batch(client, paths, out)
    by_name = {Path(r["file"]).name: r for r in records}
    assert [r["status"] for r in records] == ["ok", "ok", "failed", "ok", "ok"], records
    broken = by_name["broken.xlsx"]
    assert "broken.xlsx" in broken["error"] and "fill" not in broken
    assert (src / "sub" / "broken.xlsx").read_bytes() == broken_before, "the broken file is untouched"
    assert sorted(p.name for p in out.iterdir()) == ["a.xlsx", "b.xlsx", "c.xlsx", "d.xlsm"]
    assert ex.counts(records) == {"ok": 4, "warnings": 0, "failed": 1, "total": 5}

    # the same as the CLI: the summary of `fill --json`, and what `inspect --json` reads back
    ref = tmp_path / "cli.xlsx"
    cli_fill = json.loads(cli(risksheet_bin, "fill", EXAMPLE, "-o", ref, "--json"))
    want = inspected(risksheet_bin, ref)
    assert want["ipa"]["assets"] and all(a["risk"] is not None for a in want["ipa"]["assets"])
    for name in ("a.xlsx", "b.xlsx", "c.xlsx", "d.xlsm"):
        rec = by_name[name]
        assert cli_form(rec["fill"]) == cli_fill["fill"], name
        assert rec["save"]["cells_written"] == cli_fill["save"]["cells_written"], name
        assert inspected(risksheet_bin, out / name) == want, name

    # the CLI's batch over the same folder agrees file by file
    lines = subprocess.run([str(risksheet_bin), "fill", src, "-o", tmp_path / "cli-out", "--json", "--quiet"],
                           capture_output=True, text=True)
    assert lines.returncode == 1
    cli_records = {Path(json.loads(l)["file"]).name: json.loads(l) for l in lines.stdout.splitlines()}
    for name, rec in by_name.items():
        assert cli_records[name]["status"] == rec["status"], name
        if rec["status"] != "failed":
            assert cli_records[name]["fill"] == cli_form(rec["fill"]), name
            # The CLI keeps the input's folder tree (sub/c.xlsx); the example writes one folder.
            rel = next(p.relative_to(src) for p in paths if p.name == name)
            assert (tmp_path / "cli-out" / rel).read_bytes() == (out / name).read_bytes(), name


def cli_form(summary):
    """A fill summary of the module as `risksheet fill --json` prints it: the module gives the
    high-risk assets as records, the CLI as 「name (band)」."""
    return dict(summary, high_risk_assets=[f"{a['name']} ({a['band']})" for a in summary["high_risk_assets"]])


def test_main_prints_lines_and_fails_when_a_file_failed(tmp_path, risksheet_bin):
    """The script as a user runs it: a LocalCluster of its own, JSON Lines, exit code 1."""
    src = make_folder(tmp_path)
    p = subprocess.run([sys.executable, str(SCRIPT), str(src), "-o", str(tmp_path / "out"), "--workers", "2", "--json"],
                       capture_output=True, text=True, timeout=300, env={k: v for k, v in os.environ.items() if k != "DASK_SCHEDULER_ADDRESS"})
    assert p.returncode == 1, p.stderr
    objs = [json.loads(line) for line in p.stdout.splitlines()]
    assert [o["status"] for o in objs] == ["ok", "ok", "failed", "ok", "ok"]
    assert "total" in p.stderr
    # in place over the folder that is left
    (src / "sub" / "broken.xlsx").unlink()
    p = subprocess.run([sys.executable, str(SCRIPT), str(src), "--workers", "1"], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert sum(line.startswith("ok ") and "assets" in line for line in p.stdout.splitlines()) == 4, p.stdout
    assert inspected(risksheet_bin, src / "a.xlsx")["ipa"]["assets"][0]["risk"] is not None
