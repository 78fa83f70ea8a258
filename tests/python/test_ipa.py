"""The IPA side of the Python module: `fill`, `analysis`, `assets`, `assets_frame` and `new`, checked
against the CLI (`inspect --json`, `fill --json`); round trips without loss; the example notebook
executes headless; and Debian's system Python imports the wheel next to LibreOffice's `uno` and
drives headless LibreOffice over UNO to read what risksheet wrote (also through the example macro).

Needs the compiled module installed (`python/build.sh`); outside CI the tests skip without it, and
the notebook and UNO tests skip without their tools. In CI (CI=true) all of them run."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

import uno_script
from uno_script import SYSTEM_PYTHON

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
XLSX_FEATURES = SHARED / "tools" / "xlsx-features"
EXAMPLE = ROOT / "workbooks" / "example-ipa-3.xlsx"
EXAMPLES = ROOT / "python" / "examples"
NOTEBOOK = EXAMPLES / "risk_overview.ipynb"
MACRO = EXAMPLES / "libreoffice_fill_macro.py"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

if IN_CI:
    import risksheet  # in CI a missing module is a failure: tests/run builds and installs it
else:
    risksheet = pytest.importorskip("risksheet", reason="risksheet Python module not installed (python/build.sh)")


def need(condition, why):
    """Skips outside CI, fails in CI, when a tool a test needs is missing."""
    if not condition:
        if IN_CI:
            pytest.fail(f"required in CI: {why}")
        pytest.skip(why)


def importable(name):
    try:
        __import__(name)
        return True
    except ImportError:
        return False


# Every test starts with Japanese messages (the default) and leaves them so.
pytestmark = pytest.mark.usefixtures("japanese")


@pytest.fixture
def example(tmp_path):
    target = tmp_path / "example.xlsx"
    shutil.copyfile(EXAMPLE, target)
    return target


def cli(exe, *args):
    p = subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p.stdout


def cli_ipa(exe, path):
    """The `ipa` section of `risksheet inspect --json`."""
    report = json.loads(cli(exe, "inspect", path, "--json"))
    assert "ipa" in report, report.get("ipa_error")
    return report["ipa"]


def lost(before, after):
    need(XLSX_FEATURES.exists(), f"{XLSX_FEATURES} not found")
    r = subprocess.run([sys.executable, str(XLSX_FEATURES), "--lost", str(before), str(after)], capture_output=True, text=True)
    return None if r.returncode == 0 else r.stdout + r.stderr


def parts(path):
    """{part name: uncompressed bytes} of a package."""
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def frame_records(frame):
    """DataFrame rows as dicts of plain Python values (pd.NA → None, numpy → int/bool)."""
    import pandas as pd
    out = []
    for rec in frame.to_dict("records"):
        row = {}
        for k, v in rec.items():
            if v is pd.NA or (isinstance(v, float) and v != v):
                v = None
            elif hasattr(v, "item"):
                v = v.item()
            row[k] = v
        out.append(row)
    return out


def fill_template(wb):
    """Types three assets into a fresh template's ledger (on the profile's first three media) and
    answers every threat and check item."""
    a = wb.analysis()
    ledger = a["layout"]["ledger"]
    cols, sheet, first = ledger["columns"], ledger["sheet"], ledger["first_row"]
    media = [m["name"] for m in a["media"]]
    rows = [("顧客名簿", media[0], 2, 1, 1, "有"), ("製品図面", media[1], 1, 2, 1, ""), ("掲示物", media[2], 1, 1, 1, "")]  # valid on 0-2 and 1-3 scales
    for n, (name, medium, c, i, av, personal) in enumerate(rows):
        r = first + n
        wb.set(f"'{sheet}'!{cols['asset']}{r}", name)
        wb.set(f"'{sheet}'!{cols['medium']}{r}", medium)
        wb.set(f"'{sheet}'!{cols['c']}{r}", c)
        wb.set(f"'{sheet}'!{cols['i']}{r}", i)
        wb.set(f"'{sheet}'!{cols['a']}{r}", av)
        if personal:
            wb.set(f"'{sheet}'!{cols['personal']}{r}", personal)
    # Every threat 2 (年に数回程度), every check item 2 (一部実施している): numbers, as typed.
    for table, label, answer in (("threats", "threat", "frequency"), ("checklist", "item", "answer")):
        t = a["layout"][table]
        for c in wb.cells(t["sheet"]):
            if c.row > t["header_row"] and c.address.rstrip("0123456789") == t["columns"][label] and c.value:
                wb.set(f"'{t['sheet']}'!{t['columns'][answer]}{c.row}", 2)
    return len(rows)


# --- fill, analysis, assets ----------------------------------------------------------------------

def test_fill_example_matches_cli(example, tmp_path, risksheet_bin):
    by_cli = tmp_path / "by-cli.xlsx"
    shutil.copyfile(example, by_cli)
    cli_fill = json.loads(cli(risksheet_bin, "fill", by_cli, "--json"))["fill"]

    wb = risksheet.open(example)
    summary = wb.fill()
    assert wb.modified
    # The same summary, the high-risk assets as records (name and band apart) instead of 「name (band)」.
    assert summary == dict(cli_fill, high_risk_assets=summary.high_risk_assets)
    assert [f"{a.name} ({a.band})" for a in summary.high_risk_assets] == cli_fill["high_risk_assets"]
    assert summary["edition"] == "ipa-3" and summary["assets"] == 8 and summary["warnings"] == []
    assert all(isinstance(s, str) for s in summary["chapters_selected"])
    report = wb.save()
    assert not wb.modified and report["file"] == str(example)
    assert parts(example) == parts(by_cli)  # the same engine: the same package

    expected = cli_ipa(risksheet_bin, example)
    assert wb.analysis() == expected
    assert risksheet.open(example).analysis() == expected
    assert wb.inspect()["ipa"] == expected


def test_assets_are_records_of_the_analysis(example, risksheet_bin):
    expected = cli_ipa(risksheet_bin, example)["assets"]
    wb = risksheet.open(example)
    assets = wb.assets
    assert [a.to_dict() for a in assets] == expected
    assert assets == [risksheet.Asset.from_dict(a) for a in expected]
    first = assets[0]
    assert isinstance(first, risksheet.Asset)
    assert (first.row, first.name, first.medium) == (5, "社員名簿", "事務所PC")
    assert first.risk == first.importance * first.likelihood and first.band == "リスク大"
    assert list(first.to_dict()) == list(risksheet.ASSET_COLUMNS)
    with pytest.raises(AttributeError):
        first.risk = 1  # frozen
    assert "社員名簿" in repr(first)
    assert len({a for a in assets}) == len(assets)  # hashable


def test_assets_frame_matches_cli(example, risksheet_bin):
    pd = pytest.importorskip("pandas") if not IN_CI else __import__("pandas")
    expected = cli_ipa(risksheet_bin, example)["assets"]
    frame = risksheet.open(example).assets_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == list(risksheet.ASSET_COLUMNS)
    assert len(frame) == len(expected) == 8
    assert frame_records(frame) == expected
    assert str(frame["risk"].dtype) == "Int64" and frame["personal"].dtype == bool
    assert int(frame["risk"].sum()) == sum(a["risk"] for a in expected)


def test_assets_frame_without_pandas(example, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` raises ImportError
    wb = risksheet.open(example)
    with pytest.raises(ImportError, match=r"pandas is required for assets_frame\(\); pip install pandas"):
        wb.assets_frame()
    assert len(wb.assets) == 8  # the records need no pandas


def test_analysis_sees_unsaved_edits(example):
    wb = risksheet.open(example)
    ledger = wb.analysis()["layout"]["ledger"]
    row = next(a for a in wb.assets if not a.personal and not a.mynumber and a.importance > 1).row
    for k in ("c", "i", "a"):
        wb.set(f"{ledger['sheet']}!{ledger['columns'][k]}{row}", 1)
    asset = next(a for a in wb.assets if a.row == row)
    assert asset.importance == 1 and asset.risk == asset.likelihood


def test_fill_on_a_new_template_matches_cli(tmp_path, risksheet_bin):
    path = tmp_path / "new.xlsx"
    wb = risksheet.new(path)
    assert isinstance(wb, risksheet.Workbook) and wb.path == path and not wb.modified
    assert wb.assets == [] and wb.analysis()["edition"] == "ipa-3"
    n = fill_template(wb)
    summary = wb.fill()
    wb.save()
    assert summary["assets"] == n and summary["warnings"] == []
    expected = cli_ipa(risksheet_bin, path)
    assert wb.analysis() == expected
    assert [a.to_dict() for a in wb.assets] == expected["assets"]
    assert all(a.risk is not None for a in wb.assets)
    if importable("pandas") or IN_CI:
        assert frame_records(wb.assets_frame()) == expected["assets"]
    # The CLI's template is the same file.
    by_cli = tmp_path / "by-cli.xlsx"
    cli(risksheet_bin, "new", by_cli, "--edition", "ipa-3")
    assert risksheet.open(by_cli).analysis() == risksheet.new(tmp_path / "again.xlsx").analysis()


@pytest.mark.parametrize("edition,lang", [("ipa-2.1", "ja"), ("ipa-3", "en")])
def test_new_editions_and_languages(tmp_path, edition, lang, risksheet_bin):
    path = tmp_path / f"{edition}-{lang}.xlsx"
    wb = risksheet.new(path, edition=edition, lang=lang)
    assert wb.analysis(edition)["lang"] == lang
    assert wb.analysis(edition)["edition"] == edition
    n = fill_template(wb)
    summary = wb.fill(profile=edition)
    assert summary["assets"] == n and summary["warnings"] == []
    assert all(a["risk"] is not None for a in wb.analysis(edition)["assets"])
    wb.save()
    report = json.loads(cli(risksheet_bin, "inspect", path, "--json", "--profile", edition))
    assert risksheet.open(path).analysis(edition) == report["ipa"]


def test_new_refuses_to_replace_a_file(tmp_path):
    path = tmp_path / "exists.xlsx"
    path.write_text("mine")
    with pytest.raises(risksheet.WorkbookError) as e:
        risksheet.new(path)
    assert e.value.kind == "io" and e.value.file == str(path)
    assert isinstance(e.value.__cause__, FileExistsError)
    assert path.read_text() == "mine"
    assert risksheet.new(path, force=True).analysis()["edition"] == "ipa-3"
    with pytest.raises(ValueError):
        risksheet.new(tmp_path / "x.xlsx", lang="fr")
    with pytest.raises(risksheet.ProfileError):
        risksheet.new(tmp_path / "y.xlsx", edition="ipa-9")
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "y.xlsx").exists()


def test_fill_profiles(example, tmp_path):
    wb = risksheet.open(example)
    by_name = wb.fill(profile="ipa-3")
    toml = ROOT / "data" / "profiles" / "ipa-3.toml"
    assert risksheet.open(example).fill(profile=toml) == by_name  # a pathlib.Path
    assert risksheet.open(example).fill(profile=str(toml)) == by_name
    custom = tmp_path / "custom.toml"
    custom.write_text(toml.read_text(encoding="utf-8"), encoding="utf-8")
    assert risksheet.open(example).analysis(custom)["assets"] == wb.analysis()["assets"]
    with pytest.raises(risksheet.ProfileError) as e:
        wb.fill(profile="nope")
    assert "nope" in str(e.value)
    bad = tmp_path / "bad.toml"
    bad.write_text("this is = = not toml")
    with pytest.raises(risksheet.ProfileError):
        wb.fill(profile=bad)
    with pytest.raises(TypeError):
        wb.fill(profile=3)


def test_fill_stages_until_save(example):
    before = example.read_bytes()
    wb = risksheet.open(example)
    wb.fill()
    preview = wb.preview()
    assert preview["cells_written"] and example.read_bytes() == before
    wb.close()
    assert example.read_bytes() == before
    with pytest.raises(ValueError):
        wb.fill()
    with pytest.raises(ValueError):
        wb.assets


def test_fill_is_idempotent(example, tmp_path):
    once = tmp_path / "once.xlsx"
    wb = risksheet.open(example)
    wb.fill()
    wb.save(once)
    twice = tmp_path / "twice.xlsx"
    wb = risksheet.open(once)
    wb.fill()
    wb.save(twice)
    assert once.read_bytes() == twice.read_bytes()


def test_not_an_ipa_workbook():
    fixture = ROOT / "tests" / "fixtures" / "excel-style-features.xlsx"
    wb = risksheet.open(fixture)
    with pytest.raises(risksheet.ProfileError) as e:
        wb.fill()
    assert e.value.file == str(fixture)
    with pytest.raises(risksheet.ProfileError):
        wb.assets
    assert not wb.modified
    ja = str(e.value)
    risksheet.set_lang("en")
    with pytest.raises(risksheet.ProfileError) as e:
        wb.analysis()
    assert str(e.value) != ja and str(e.value).startswith(f"{fixture}: ")


# --- fidelity ------------------------------------------------------------------------------------

def test_fill_round_trip_loses_nothing(example, tmp_path):
    out = tmp_path / "filled.xlsx"
    wb = risksheet.open(example)
    wb.fill()
    wb.save(out)
    assert (why := lost(EXAMPLE, out)) is None, why

    template = tmp_path / "template.xlsx"
    wb = risksheet.new(template)
    shutil.copyfile(template, tmp_path / "template-before.xlsx")
    fill_template(wb)
    wb.fill()
    wb.save()
    assert (why := lost(tmp_path / "template-before.xlsx", template)) is None, why


# --- the example notebook ------------------------------------------------------------------------

def test_notebook_is_committed_without_outputs():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)


def test_notebook_executes_headless(tmp_path):
    need(all(importable(m) for m in ("nbclient", "nbformat", "ipykernel", "pandas", "matplotlib")),
         "nbclient, nbformat, ipykernel, pandas and matplotlib are needed to run the notebook")
    import nbclient
    import nbformat
    nb = nbformat.read(NOTEBOOK, as_version=4)
    before = EXAMPLE.read_bytes()
    # Where Jupyter starts it: the notebook's directory; it finds the example from there.
    nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(EXAMPLES)}}).execute()
    nbformat.write(nb, tmp_path / "executed.ipynb")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the heat map
    text = "\n".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "社員名簿" in text and "組織的対策" in text
    assert EXAMPLE.read_bytes() == before


# --- LibreOffice over UNO from Debian's Python ---------------------------------------------------

def system_python_has_uno():
    if not os.path.exists(SYSTEM_PYTHON):
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


def test_uno_reads_what_risksheet_wrote(risksheet_bin):
    need(shutil.which("soffice") is not None, "LibreOffice (soffice) not installed")
    need(system_python_has_uno(), f"{SYSTEM_PYTHON} cannot import uno (apt-get install python3-uno)")
    have = subprocess.run([SYSTEM_PYTHON, "-c", "import risksheet"], capture_output=True, cwd="/")
    need(have.returncode == 0, f"risksheet is not installed for {SYSTEM_PYTHON} "
                               f"(PYTHON={SYSTEM_PYTHON} PIP_BREAK_SYSTEM_PACKAGES=1 python/build.sh)")

    with tempfile.TemporaryDirectory(prefix="risksheet-uno-") as work:
        work = Path(work)
        rc, out, err = uno_script.run(Path(__file__).with_name("uno_check.py"), [EXAMPLE, work, MACRO], work, 120)
        assert rc == 0, err[-4000:]
        result = json.loads(out)

        assert result["python"] == SYSTEM_PYTHON or Path(result["python"]).resolve() == Path(SYSTEM_PYTHON).resolve()
        assert result["risksheet"] == risksheet.__version__
        # What inspect reports for the file risksheet filled ...
        ipa = cli_ipa(risksheet_bin, work / "filled.xlsx")
        risks = [a["risk"] for a in ipa["assets"]]
        assert result["rows"] == [a["row"] for a in ipa["assets"]]
        assert result["fill"]["assets"] == len(risks)
        # ... is what LibreOffice shows (the cached values) and computes itself.
        assert [c["value"] for c in result["cached"]] == risks
        assert [c["value"] for c in result["recalculated"]] == risks
        assert all(c["error"] == 0 and c["formula"].startswith("=") for c in result["cached"])
        assert "集計" in result["sheets"]

        # The macro: LibreOffice stored the edit, risksheet filled the file, the document reloaded.
        macro = result["macro"]
        assert not macro["same_document"] and not macro["modified"]
        assert "集計" in macro["sheets"]  # deleted in LibreOffice, written again by fill
        assert macro["cia"] == [1.0, 1.0, 1.0]
        ipa = cli_ipa(risksheet_bin, work / "macro.xlsx")
        assert macro["risksheet"] == [a["risk"] for a in ipa["assets"]]
        assert [c["value"] for c in macro["cached"]] == macro["risksheet"]
        changed = next(a for a in ipa["assets"] if a["row"] == macro["row"])
        assert changed["importance"] == 1 and changed["risk"] == changed["likelihood"]
        assert changed["risk"] != next(r for r, row in zip(risks, result["rows"]) if row == macro["row"])
        assert macro["summary"]["assets"] == len(ipa["assets"])


def test_report_is_the_cli_report(risksheet_bin):
    import subprocess
    example = Path(__file__).resolve().parents[2] / "workbooks/example-ipa-3.xlsx"
    with risksheet.open(example) as wb:
        md = wb.report()
        html = wb.report("html")
    cli = subprocess.run([str(risksheet_bin), "report", str(example)], capture_output=True, text=True, check=True).stdout
    assert md.strip() == cli.strip()
    assert html.startswith("<!DOCTYPE html>") and "リスク大" in html


def test_fill_takes_company_facts(tmp_path):
    """`fill(facts=...)` reaches the rules as `--fact` does: booleans as yes/no, numbers as counts;
    the analysis shows each fact with its source, and an unknown key is an error."""
    import risksheet
    src = Path(__file__).resolve().parents[2] / "workbooks/ipa-3.xlsx"
    with risksheet.open(src) as wb:
        wb.fill(facts={"employees": 1, "outsourcing": False, "telework": True})
        a = wb.analysis()
        facts = a["facts"]
        assert facts["employees"]["value"] == 1 and facts["outsourcing"]["value"] is False
        chapters = {c["number"]: c["selected"] for c in a["chapters"]}
        assert (chapters[9], chapters[12], chapters[13]) == (False, True, False)
        assert wb.get("診断結果!D17") == "該当なし"
        with pytest.raises(risksheet.WorkbookError, match="bogus"):
            wb.fill(facts={"bogus": 1})
