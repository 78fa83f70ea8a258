"""The type stubs shipped with the module agree with the compiled module (mypy's stubtest): every
runtime name, signature and class is in the stubs, and nothing in the stubs is missing at runtime
except the typing-only names listed in stubtest-allowlist.txt."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
HERE = Path(__file__).resolve().parent

if not IN_CI:
    pytest.importorskip("risksheet", reason="risksheet Python module not installed (python/build.sh)")
    pytest.importorskip("mypy", reason="mypy not installed (pip install mypy)")


def test_stubs_match_the_compiled_module():
    out = subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "risksheet", "--ignore-disjoint-bases",
         "--allowlist", str(HERE / "stubtest-allowlist.txt")],
        capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
