"""Installing the Python module as a user does: `pip install .` at the repository's top level
(maturin as the PEP 517 build backend) into a fresh venv, then the README's example
(python/examples/quickstart.py) on the bundled ledger gives what `risksheet fill` gives; and the
sdist carries everything a build from it needs.

The build reuses Cargo's target dir ($CARGO_TARGET_DIR, else target/) in the debug profile
(MATURIN_PEP517_ARGS), so after tests/run's own build it takes seconds. Needs network access to
PyPI or a pip cache holding maturin (pip's isolated build environment installs it)."""
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "workbooks" / "example-ipa-3.xlsx"
QUICKSTART = ROOT / "python" / "examples" / "quickstart.py"
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))


def build_env():
    env = dict(os.environ, CARGO_TARGET_DIR=str(TARGET), MATURIN_PEP517_ARGS="--profile dev", PIP_DISABLE_PIP_VERSION_CHECK="1")
    for name in ("PYTHONPATH", "VIRTUAL_ENV", "PIP_BREAK_SYSTEM_PACKAGES"):
        env.pop(name, None)
    return env


@pytest.fixture(scope="module")
def venv_python(tmp_path_factory):
    """A fresh venv (no system site-packages) with `pip install .` done in it."""
    where = tmp_path_factory.mktemp("venv") / "v"
    venv.create(where, with_pip=True)
    py = where / "bin" / "python"
    p = subprocess.run([py, "-m", "pip", "install", "--quiet", "."], cwd=ROOT, env=build_env(), capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    return py


def inspect(exe, book):
    return json.loads(subprocess.run([exe, "inspect", book, "--json"], capture_output=True, text=True, check=True).stdout)


def test_pip_install_then_the_readme_example_fills_like_the_cli(venv_python, risksheet_bin, tmp_path):
    # Imported from the venv, not from python/ (no compiled module there) nor the developer's site.
    where = subprocess.run([venv_python, "-c", "import risksheet; print(risksheet.__file__); print(risksheet.__version__)"],
                           cwd=tmp_path, env=build_env(), capture_output=True, text=True, check=True).stdout.split()
    assert where[0].startswith(str(venv_python.parent.parent)), where
    assert where[1] == subprocess.run([risksheet_bin, "--version"], capture_output=True, text=True).stdout.split()[1]

    out = tmp_path / "filled.xlsx"
    p = subprocess.run([venv_python, QUICKSTART, EXAMPLE, out], cwd=tmp_path, env=build_env(), capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "社員名簿: risk 6 (リスク大)" in p.stdout, p.stdout
    assert f"saved {out}" in p.stdout

    cli_out = tmp_path / "cli.xlsx"
    subprocess.run([risksheet_bin, "fill", EXAMPLE, "-o", cli_out], capture_output=True, check=True)
    assert out.read_bytes() == cli_out.read_bytes()
    assert inspect(risksheet_bin, out)["ipa"]["assets"] == inspect(risksheet_bin, cli_out)["ipa"]["assets"]


def test_the_installed_module_names_a_bad_file(venv_python, tmp_path):
    # The example on a file that is not a workbook: the module's own exception naming the file.
    bad = tmp_path / "台帳.xlsx"
    bad.write_text("not a zip")
    p = subprocess.run([venv_python, QUICKSTART, bad, tmp_path / "o.xlsx"], cwd=tmp_path, env=build_env(), capture_output=True, text=True)
    assert p.returncode == 1
    assert "NotAWorkbookError" in p.stderr and str(bad) in p.stderr, p.stderr
    assert "panicked" not in p.stderr
    assert not (tmp_path / "o.xlsx").exists()


def maturin():
    exe = shutil.which("maturin")
    if exe:
        return [exe]
    if subprocess.run([sys.executable, "-m", "maturin", "--version"], capture_output=True).returncode == 0:
        return [sys.executable, "-m", "maturin"]
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("maturin is required in CI (.ci/run installs it)")
    pytest.skip("maturin not installed")


def test_sdist_holds_what_a_build_needs(tmp_path):
    p = subprocess.run([*maturin(), "sdist", "--out", tmp_path], cwd=ROOT, env=build_env(), capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    [sdist] = tmp_path.glob("risksheet-*.tar.gz")
    with tarfile.open(sdist) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    # The crate, its lock file, every file the code embeds (include_str!), the Python side.
    embedded = {
        m
        for f in (ROOT / "src").rglob("*.rs")
        for m in re.findall(r'include_str!\("((?:\.\./)+data/[^"]+)"\)', f.read_text())
    }
    need = {"pyproject.toml", "Cargo.toml", "Cargo.lock", "src/lib.rs", "src/python.rs", "python/risksheet/__init__.py",
            "python/risksheet/_risksheet.pyi", "python/risksheet/py.typed", "PKG-INFO"}
    need |= {"data/" + m.split("data/", 1)[1] for m in embedded}
    assert len(embedded) >= 5
    missing = need - names
    assert not missing, sorted(missing)
