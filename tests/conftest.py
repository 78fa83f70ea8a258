"""Shared fixtures: the risksheet binary, LibreOffice, and the corpus of other people's files."""
import glob
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_report_header(config):
    import lo
    if not lo.available():
        return "NOTICE: LibreOffice (soffice) not found: LibreOffice checks are skipped (they run in CI)"
    return "LibreOffice: " + shutil.which("soffice")


@pytest.fixture(scope="session")
def risksheet_bin():
    """Path to the risksheet binary, built once."""
    exe = os.environ.get("RISKSHEET_BIN")
    if exe:
        return Path(exe)
    subprocess.run(["cargo", "build", "--quiet", "--bin", "risksheet"], cwd=ROOT, check=True)
    # Where cargo put it: CARGO_TARGET_DIR when set (a stale target/ must not be tested instead).
    return Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "debug" / "risksheet"


@pytest.fixture(scope="session")
def need_lo():
    """Skips (outside CI) or fails (in CI) when LibreOffice is missing."""
    import lo
    if not lo.available():
        if IN_CI:
            pytest.fail("LibreOffice is required in CI (apt-get install -y libreoffice-calc-nogui)")
        pytest.skip("LibreOffice not installed: skipping LibreOffice checks")


def corpus_files():
    """The umya-spreadsheet test files (fetched by cargo) plus our own fixtures."""
    home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
    dirs = sorted(glob.glob(str(home / "registry/src/*/umya-spreadsheet-4.0.0-beta.1/tests/test_files")))
    files = []
    if dirs:
        files += sorted(Path(dirs[-1]).glob("*.xls[xm]"))
    files += sorted((ROOT / "tests/fixtures").glob("*.xls[xm]"))
    return files


def run(exe, *args, check=True):
    """Runs the CLI; returns the CompletedProcess (text)."""
    p = subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError(f"risksheet {' '.join(map(str, args))} failed: {p.stderr}")
    return p


@pytest.fixture
def japanese():
    """The test starts with Japanese messages (the default) and leaves them so; for the tests of
    the Python module, which switch the language (`pytestmark = pytest.mark.usefixtures(...)`)."""
    risksheet = pytest.importorskip("risksheet")
    risksheet.set_lang("ja")
    yield
    risksheet.set_lang("ja")
