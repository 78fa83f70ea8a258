"""Risk registers (issue 15) seen from outside: the fixtures are what their script makes, a filled
register loses nothing (xlsx-features --lost), LibreOffice computes every formula to the value
risksheet cached (and shows the seeds' worked rows), and the Python module gives the same risks."""
import shutil
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from conftest import ROOT, SHARED, run

REGISTER = ROOT / "tests/fixtures/register"
FEATURES = SHARED / "tools/xlsx-features"
NAMES = ["lv3-register.xlsx", "seminar-risks.xlsx", "lv3-problems.xlsx"]


def contents(path):
    wb = load_workbook(path)
    return {ws.title: ([[c.value for c in row] for row in ws.iter_rows()], sorted(map(str, ws.merged_cells.ranges))) for ws in wb}


def test_fixtures_are_what_the_script_makes(tmp_path):
    subprocess.run([sys.executable, str(REGISTER / "make_register.py"), str(tmp_path)], check=True)
    for name in NAMES:
        assert contents(tmp_path / name) == contents(REGISTER / name), name


@pytest.fixture(scope="module")
def filled(risksheet_bin, tmp_path_factory):
    out = tmp_path_factory.mktemp("filled")
    files = {}
    for name in NAMES:
        target = out / name.replace(".xlsx", "-filled.xlsx")
        run(risksheet_bin, "fill", REGISTER / name, "-o", target, check=False)
        assert target.exists(), name
        files[name] = target
    return files


@pytest.mark.parametrize("name", NAMES)
def test_nothing_is_lost(filled, name):
    if not FEATURES.exists():
        pytest.skip("../shared/tools/xlsx-features not found")
    p = subprocess.run([sys.executable, str(FEATURES), "--lost", str(REGISTER / name), str(filled[name])], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr


def test_libreoffice_computes_what_risksheet_cached(filled, need_lo):
    import lo
    files = list(filled.values())
    recalc = lo.sheets(files, "recalc")
    cached = lo.sheets(files, "cached")
    for f in files:
        assert recalc[f], f"LibreOffice could not open {f}"
        assert recalc[f] == cached[f], f
    lv3 = recalc[filled["lv3-register.xlsx"]]["リスクアセスメント結果報告書"]
    # No, 重要度, 被害発生可能性, リスクレベル, 優先順位, then 二次評価 as LibreOffice shows them.
    assert [(r[0], r[6], r[7], r[8], r[9], r[16], r[17], r[18]) for r in lv3[3:6]] == [
        ("1", "3", "2", "6", "2", "2", "1", "2"),
        ("2", "2", "2", "4", "3", "1", "1", "1"),
        ("3", "3", "3", "9", "1", "2", "3", "6"),
    ]
    summary = recalc[filled["lv3-register.xlsx"]]["リスク対応集計"]
    assert summary[3][:3] == ["1（早急に対応）", "1", "0"]
    assert ["終了", "1"] in [r[:2] for r in summary] and ["着手", "1"] in [r[:2] for r in summary]
    seminar = recalc[filled["seminar-risks.xlsx"]]["リスク一覧"]
    assert [(r[3], r[4], r[5], r[6]) for r in seminar[1:4]] == [("6", "3", "1", "18"), ("6", "2", "2", "24"), ("3", "2", "2", "12")]


def test_python_gives_the_same_risks(tmp_path):
    risksheet = pytest.importorskip("risksheet")
    target = tmp_path / "lv3.xlsx"
    shutil.copy(REGISTER / "lv3-register.xlsx", target)
    with risksheet.open(target) as wb:
        analysis = wb.analysis()
        levels = [(r["importance"], r["likelihood"], r["level"], r["priority"], r["residual_level"]) for r in analysis["risks"]]
        assert levels == [(3, 2, 6, "2", 2), (2, 2, 4, "3", 1), (3, 3, 9, "1", 6)]
        assert [p["status"] for p in analysis["plan"]] == ["終了", "着手", "未着手"]
        summary = wb.fill()
        assert summary["register"]["risks"] == 3
        assert summary["register"]["summary"]["plan_done"] == pytest.approx(1 / 3)
        wb.save()
    with risksheet.open(target) as wb:
        assert [c.value for c in wb.cells("リスクアセスメント結果報告書") if c.address == "I6"] == [9]


def test_lv1_ledger_rows_of_seed_001(risksheet_bin, tmp_path, need_lo):
    """Seed 001's LV.1 ledger with the lv3 profile: 社員名簿 (3,3,2) → 重要度 3, 可能性 3,
    リスクレベル 9; 当社宛請求書 (3,3,2) → 3, 2, 6; 顧客リスト (3,3,3) → 3, 2, 6. The ledger is the
    shipped example, edited with openpyxl as a user would: the areas behind クラウド answered
    「実施していない」 throughout (脆弱性 3, so 可能性 3 there), the three assets typed in."""
    import json
    import lo
    from openpyxl import load_workbook
    wb = load_workbook(ROOT / "workbooks/example-ipa-3.xlsx")
    chk = wb["対策状況チェック"]
    group = ""
    for row in chk.iter_rows(min_row=5):
        group = row[1].value or group
        if any(w in group for w in ("情報資産管理", "アクセス制御", "IT基盤運用管理")):
            row[3].value = "3:実施していない／わからない"
    led = wb["情報資産管理台帳"]
    for r, (name, medium, cia) in enumerate([("社員名簿", "クラウド", (3, 3, 2)), ("当社宛請求書", "事務所PC", (3, 3, 2)),
                                            ("顧客リスト", "モバイル機器", (3, 3, 3))], start=5):
        led.cell(r, 2).value, led.cell(r, 6).value = name, medium
        for k, v in enumerate(cia):
            led.cell(r, 10 + k).value = v
    book = tmp_path / "lv1.xlsx"
    wb.save(book)
    out = tmp_path / "lv1-filled.xlsx"
    run(risksheet_bin, "fill", book, "-o", out, "--profile", "lv3", check=False)
    assets = json.loads(run(risksheet_bin, "inspect", out, "--json", "--profile", "lv3").stdout)["ipa"]["assets"]
    got = [(a["name"], a["importance"], a["likelihood"], a["risk"], a["band"]) for a in assets[:3]]
    assert got == [("社員名簿", 3, 3, 9, "1:早急に対応"), ("当社宛請求書", 3, 2, 6, "2:今期中に対応"), ("顧客リスト", 3, 2, 6, "2:今期中に対応")]
    shown = lo.sheets([out], "recalc")[out]["情報資産管理台帳"]
    assert [(r[1], r[12], r[17], r[19]) for r in shown[4:7]] == [("社員名簿", "3", "3", "9"), ("当社宛請求書", "3", "2", "6"), ("顧客リスト", "3", "2", "6")]
