"""tools/release, in the debug profile (`--debug`: after tests/run's own debug builds it only
packages, about 40 s; the release profile builds the same way, for minutes): one folder with the
command, the wheel, the sdist, the LibreOffice extension and SHA256SUMS that checks them, each
what it says it is."""
import hashlib
import os
import shutil
import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def version():
    for line in (ROOT / "Cargo.toml").read_text().splitlines():
        if line.startswith("version = "):
            return line.split('"')[1]
    raise AssertionError("no version in Cargo.toml")


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    if shutil.which("maturin") is None:
        if IN_CI:
            pytest.fail("maturin is required in CI (.ci/run installs it)")
        pytest.skip("maturin not installed")
    out = tmp_path_factory.mktemp("dist") / "dist"
    env = dict(os.environ, CARGO_TARGET_DIR=str(TARGET))
    p = subprocess.run([ROOT / "tools" / "release", "--debug", out], cwd=ROOT, env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr[-4000:]
    assert p.stdout.split()[-1] == str(out)
    return out


def test_one_folder_with_every_artifact_and_their_checksums(dist):
    v = version()
    triple = subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True).stdout.split("host: ")[1].split()[0]
    names = sorted(p.name for p in dist.iterdir())
    [wheel] = [n for n in names if n.endswith(".whl")]
    [oxt] = [n for n in names if n.endswith(".oxt")]
    assert wheel.startswith(f"risksheet-{v}-cp39-abi3-") and oxt.startswith(f"risksheet-{v}-")
    assert names == sorted(["SHA256SUMS", f"risksheet-{v}-{triple}.tar.gz", f"risksheet-{v}.tar.gz", wheel, oxt])

    sums = dict(reversed(line.split("  ", 1)) for line in (dist / "SHA256SUMS").read_text().splitlines())
    assert sorted(sums) == sorted(n for n in names if n != "SHA256SUMS")
    for name, digest in sums.items():
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest, name


def test_the_command_runs_from_its_archive(dist, tmp_path):
    v = version()
    [archive] = dist.glob(f"risksheet-{v}-*-*.tar.gz")
    with tarfile.open(archive) as t:
        assert sorted(t.getnames()) == sorted([f"risksheet-{v}", f"risksheet-{v}/risksheet", f"risksheet-{v}/README.md"])
        t.extractall(tmp_path)
    exe = tmp_path / f"risksheet-{v}" / "risksheet"
    assert subprocess.run([exe, "--version"], capture_output=True, text=True, check=True).stdout.strip() == f"risksheet {v}"
    out = tmp_path / "filled.xlsx"
    subprocess.run([exe, "fill", ROOT / "workbooks/example-ipa-3.xlsx", "-o", out], capture_output=True, check=True)
    assert out.read_bytes() == (ROOT / "workbooks/example-ipa-3-filled.xlsx").read_bytes()


def test_the_extension_bundles_the_wheels_module(dist):
    [wheel] = dist.glob("*.whl")
    [oxt] = dist.glob("*.oxt")
    with zipfile.ZipFile(wheel) as w, zipfile.ZipFile(oxt) as o:
        module = [n for n in w.namelist() if n.startswith("risksheet/_risksheet") and n.endswith(".so")]
        assert len(module) == 1
        assert o.read("python/pythonpath/" + module[0]) == w.read(module[0])
        assert f'<version value="{version()}"/>' in o.read("description.xml").decode()
        assert o.namelist()[0] == "META-INF/manifest.xml"
        assert {"risksheet.components", "ProtocolHandler.xcu", "Addons.xcu", "python/risksheet_menu.py"} <= set(o.namelist())


def test_the_sdist_is_the_crate_and_the_python_side(dist):
    [sdist] = dist.glob(f"risksheet-{version()}.tar.gz")
    with tarfile.open(sdist) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    assert {"pyproject.toml", "Cargo.toml", "Cargo.lock", "src/lib.rs", "python/risksheet/__init__.py"} <= names


def test_a_folder_holding_other_files_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    (tmp_path / "risksheet-0.0.1.oxt").write_text("old")
    p = subprocess.run([ROOT / "tools" / "release", "--debug", tmp_path], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 1
    assert f"{tmp_path} holds notes.txt, not a release" in p.stderr, p.stderr
    assert sorted(f.name for f in tmp_path.iterdir()) == ["notes.txt", "risksheet-0.0.1.oxt"]
