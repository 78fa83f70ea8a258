"""The shipped workbooks: `new` reproduces the templates, the example ledger is the output of
tests/make_workbooks.py, and what LibreOffice computes in them equals the cached values."""
import json
import subprocess
import zipfile
from pathlib import Path

import pytest

import lo
from conftest import ROOT, SHARED, run

SHIPPED = ROOT / "workbooks"
NAMES = ["ipa-3.xlsx", "ipa-2.1.xlsx", "ipa-3-en.xlsx", "example-ipa-3.xlsx", "example-ipa-3-filled.xlsx"]


@pytest.fixture(scope="module")
def regenerated(risksheet_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("workbooks")
    subprocess.run(["python3", str(ROOT / "tests/make_workbooks.py"), str(out)], check=True, env={"RISKSHEET_BIN": str(risksheet_bin), "PATH": "/usr/bin:/bin"})
    return out


@pytest.mark.parametrize("name", NAMES)
def test_shipped_workbook_is_reproduced(regenerated, name):
    a, b = zipfile.ZipFile(SHIPPED / name), zipfile.ZipFile(regenerated / name)
    assert a.namelist() == b.namelist()
    for n in a.namelist():
        assert a.read(n) == b.read(n), f"{name}: {n} differs; run tests/make_workbooks.py"


@pytest.mark.parametrize("name", NAMES)
def test_libreoffice_agrees_with_cached_values(name, need_lo):
    f = SHIPPED / name
    forced = lo.sheets([f], "recalc")[f]
    cached = lo.sheets([f], "cached")[f]
    assert forced and set(forced) == set(cached)
    for sheet in forced:
        d = lo.differences(forced[sheet], cached[sheet])
        assert not d, f"{sheet}: {sorted(d)[:10]}"


def test_templates_have_every_part_of_the_edition(risksheet_bin):
    for name, sheets, chapters in [("ipa-3.xlsx", 7, 14), ("ipa-2.1.xlsx", 5, 13)]:
        info = json.loads(run(risksheet_bin, "inspect", SHIPPED / name, "--json").stdout)
        assert len(info["sheets"]) == sheets + 1  # + 集計
        assert len(info["ipa"]["chapters"]) == chapters
        ledger = next(s for s in info["sheets"] if s["name"] == info["ipa"]["layout"]["sheets"]["ledger"])
        assert ledger["validations"] >= 4 and ledger["formulas"] >= 700
    en = json.loads(run(risksheet_bin, "--lang", "en", "inspect", SHIPPED / "ipa-3-en.xlsx", "--json").stdout)
    assert en["ipa"]["lang"] == "en" and en["ipa"]["layout"]["sheets"]["ledger"]


def test_example_ledger_results(risksheet_bin):
    a = json.loads(run(risksheet_bin, "inspect", SHIPPED / "example-ipa-3.xlsx", "--json").stdout)["ipa"]
    first = a["assets"][0]
    assert (first["name"], first["medium"], first["importance"], first["threat"], first["vulnerability"], first["risk"], first["band"]) == \
        ("社員名簿", "事務所PC", 3, 3, 2, 6, "リスク大")
    assert not a["warnings"]


def test_fill_keeps_the_template_intact(tmp_path, risksheet_bin):
    src = SHIPPED / "example-ipa-3.xlsx"
    out = tmp_path / "again.xlsx"
    run(risksheet_bin, "fill", src, "-o", out)
    p = subprocess.run([str(SHARED / "tools/xlsx-features"), "--lost", str(src), str(out)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout


def test_fill_after_libreoffice_saved_the_workbook(tmp_path, risksheet_bin, need_lo):
    """A user opens the filled ledger in LibreOffice, changes nothing, saves it (LibreOffice
    rewrites every part its own way), and runs fill again: it still finds everything, computes the
    same results, and LibreOffice agrees with every cached value."""
    import shutil
    import subprocess
    src = tmp_path / "in.xlsx"
    shutil.copyfile(SHIPPED / "example-ipa-3-filled.xlsx", src)
    outdir = tmp_path / "lo"
    profile = tmp_path / "profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--convert-to", "xlsx",
                    "--outdir", str(outdir), str(src)], check=True, capture_output=True, timeout=300)
    resaved = outdir / "in.xlsx"
    assert resaved.exists()
    refilled = tmp_path / "refilled.xlsx"
    p = run(risksheet_bin, "fill", resaved, "-o", refilled, "--json", check=False)
    assert p.returncode == 0, p.stdout + p.stderr
    before = json.loads(run(risksheet_bin, "inspect", SHIPPED / "example-ipa-3-filled.xlsx", "--json").stdout)["ipa"]
    after = json.loads(run(risksheet_bin, "inspect", refilled, "--json").stdout)["ipa"]
    assert [(a["name"], a["risk"], a["band"]) for a in after["assets"]] == [(a["name"], a["risk"], a["band"]) for a in before["assets"]]
    assert [(c["number"], c["selected"]) for c in after["chapters"]] == [(c["number"], c["selected"]) for c in before["chapters"]]
    forced = lo.sheets([refilled], "recalc")[refilled]
    cached = lo.sheets([refilled], "cached")[refilled]
    for sheet in forced:
        d = lo.differences(forced[sheet], cached[sheet])
        assert not d, f"{sheet}: {sorted(d)[:10]}"
    p = subprocess.run([str(SHARED / "tools/xlsx-features"), "--lost", str(resaved), str(refilled)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout
