"""`risksheet convert` and `soa` seen from outside: the legacy fixtures are what their script
makes, conversion loses no feature (xlsx-features --lost), LibreOffice opens the converted files
with the new references and the trail, and the generated 2022 SoA opens in LibreOffice with 93
control rows."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, run

LEGACY = ROOT / "tests/fixtures/legacy"
FEATURES = SHARED / "tools/xlsx-features"


def test_fixtures_are_what_the_script_makes(tmp_path):
    subprocess.run([sys.executable, str(LEGACY / "make_legacy.py"), str(tmp_path)], check=True)
    for name in ["soa-2013.xlsx", "risk-register.xlsx", "soa-2013.ods", "soa-odd-ids.xlsx", "soa-2005.xlsx", "soa-2005-titles.xlsx",
                 "mixed-editions.xlsx", "expected.json"]:
        assert (tmp_path / name).read_bytes() == (LEGACY / name).read_bytes(), name


@pytest.fixture(scope="module")
def converted(risksheet_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("converted")
    files = {}
    for name in ["soa-2013.xlsx", "risk-register.xlsx", "soa-2005.xlsx"]:
        target = out / name.replace(".xlsx", "-2022.xlsx")
        p = run(risksheet_bin, "convert", LEGACY / name, "-o", target, "--json")
        files[name] = (target, json.loads(p.stdout))
    return files


@pytest.mark.parametrize("name", ["soa-2013.xlsx", "risk-register.xlsx", "soa-2005.xlsx"])
def test_nothing_is_lost(converted, name):
    if not FEATURES.exists():
        pytest.skip("../shared/tools/xlsx-features not found")
    target, _ = converted[name]
    p = subprocess.run([sys.executable, str(FEATURES), "--lost", str(LEGACY / name), str(target)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr


def test_original_untouched_and_trail_complete(converted):
    target, report = converted["risk-register.xlsx"]
    assert report["convert"]["converted"] == 13
    assert report["convert"]["review"] == 2
    assert report["convert"]["trail_sheet"] == "変換記録"
    cells = {(c["sheet"], c["cell"]) for c in report["convert"]["changes"]}
    assert ("リスク対応", "A3") in cells and ("数式", "A2") in cells


def test_a_2005_soa_in_libreoffice_and_in_python(converted, need_lo, tmp_path):
    """The 2005 SoA as LibreOffice shows it after conversion: 2005 A.14.1.3 (business continuity)
    became 5.29 through 2013 A.17.1.2, never 8.26 (what 2013 A.14.1.3 would give); a removed
    control is left as written; the trail says 2005 on every row. Python's convert(source=...)
    gives the same cells."""
    import lo
    import risksheet
    target, report = converted["soa-2005.xlsx"]
    assert report["convert"]["source"] == {"edition": "2005", "how": "stated"}
    seen = lo.sheets([target], "cached")[target]
    soa = {r[0]: r for r in seen["適用宣言書"] if r and r[0].isdigit()}
    ids = [l.split(",")[0] for l in (ROOT / "data/controls/iso27001-2005-controls.csv").read_text(encoding="utf-8").splitlines()[1:]]
    row = soa[str(ids.index("A.14.1.3") + 1)]
    assert "5.29" in row[1] and "8.26" not in row[1], row
    removed = soa[str(ids.index("A.6.1.1") + 1)]
    assert removed[1].endswith("6.1.1"), removed
    trail = seen["変換記録"]
    assert trail[0][7] == "元の版" and all(r[7] == "2005" for r in trail[1:] if r and r[0]), trail[:3]
    # the same through Python, told the edition
    wb = risksheet.open(LEGACY / "soa-2005-titles.xlsx")
    r = wb.convert(source="2005")
    assert r["source"]["how"] == "given" and r["converted"] == report["convert"]["converted"]
    with pytest.raises(ValueError):
        wb.convert(source="2001")


def test_libreoffice_reads_the_converted_files(converted, need_lo):
    import lo
    targets = [converted[n][0] for n in converted]
    seen = lo.sheets(targets, "cached")
    rr = seen[converted["risk-register.xlsx"][0]]
    assert rr, "LibreOffice could not open the converted risk register"
    flat = {v for rows in rr.values() for row in rows for v in row}
    assert "A.5.18" in flat and "A.5.14" in flat
    assert any("変換記録" in k for k in rr), list(rr)
    soa = seen[converted["soa-2013.xlsx"][0]]
    flat = [row for rows in soa.values() for row in rows]
    assert any(r[:2] == ["1", "A.5.1"] for r in flat), flat[:6]


def test_generated_soa_opens_in_libreoffice_with_93_rows(risksheet_bin, tmp_path, need_lo):
    import lo
    out = tmp_path / "soa-2022.xlsx"
    run(risksheet_bin, "soa", LEGACY / "soa-2013.xlsx", "-o", out)
    risk = tmp_path / "soa-risk.xlsx"
    run(risksheet_bin, "soa", LEGACY / "risk-register.xlsx", "-o", risk)
    lo_recalc = SHARED / "tools/lo-recalc"
    if lo_recalc.exists():
        d = tmp_path / "lo"
        subprocess.run([str(lo_recalc), str(out), str(d)], check=True, capture_output=True, timeout=600)
        csvs = list(d.glob("*.csv"))
        assert csvs, "lo-recalc wrote nothing"
    seen = lo.sheets([out, risk], "recalc")
    for f in (out, risk):
        sheets = seen[f]
        assert sheets, f"LibreOffice could not open {f.name}"
        rows = next(iter(sheets.values()))
        controls = [r for r in rows if len(r) > 1 and re.fullmatch(r"[5-8]\.\d{1,2}", r[1])]
        assert len(controls) == 93
        assert sum(1 for r in controls if r[9] == "要検討（2022新規）") == (11 if f is risk else 11)
    rows = next(iter(seen[out].values()))
    r88 = next(r for r in rows if len(r) > 1 and r[1] == "8.8")
    assert r88[4] == "○" and r88[8] == "A.12.6.1, A.18.2.3"


def test_soa_of_odd_legacy_rows_in_libreoffice(risksheet_bin, tmp_path, need_lo):
    """What LibreOffice shows of the SoA built from soa-odd-ids.xlsx: 一部実施 as its own value,
    the lower-case a.12.2.1 read (8.7 ○ ○), the reason with its 2022 id, the two-line note."""
    import lo
    out = tmp_path / "soa-odd.xlsx"
    p = run(risksheet_bin, "soa", LEGACY / "soa-odd-ids.xlsx", "-o", out, "--json")
    assert [u["cell"] for u in json.loads(p.stdout)["unreadable"]] == ["B7", "B9", "B10", "F12", "D14"]
    rows = next(iter(lo.sheets([out], "recalc")[out].values()))
    by_id = {r[1]: r for r in rows if len(r) > 9 and re.fullmatch(r"[5-8]\.\d{1,2}", r[1])}
    assert len(by_id) == 93
    assert by_id["5.1"][4:6] == ["○", "一部実施"]
    assert by_id["8.7"][4:6] == ["○", "○"]
    assert by_id["8.8"][4:7] == ["○", "未", "A.5.36、A.8.8 の結果を反映する"]
    assert by_id["5.18"][9] == "要確認（管理目的 A.9.2 の記載から）"
    assert rows[1][0].startswith("作成元: ") and "\n" in rows[1][0]
