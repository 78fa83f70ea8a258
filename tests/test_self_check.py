"""The 25-item self check (自社診断, issue 16) on real workbooks: a self-check sheet a user typed
in a wording and layout of its own, filled in place with nothing lost; the Python API adding the
sheet to a risk analysis; LibreOffice computing every formula to the value cached by fill."""
import json
import shutil
import subprocess

import openpyxl
import pytest
from openpyxl.worksheet.datavalidation import DataValidation

import lo
from conftest import ROOT, SHARED, run

# The user's own answers, in the words people type (normalised by fill), and the points they give.
USER_ANSWERS = {n: "○" for n in range(1, 26)}
USER_ANSWERS.update({4: "一部", 9: "わからない", 17: "×", 22: "不明"})
USER_TOTAL = 21 * 4 + 2 - 1 + 0 - 1  # 84


def user_sheet(path):
    """A self check typed by a user: its own title and tab name, a note row, part section rows
    between the items, headers 設問番号 / 質問内容 / 回答欄 / 備考 starting in column B, and other
    sheets, a merge, a defined name and a dropdown of its own."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "セキュリティ自己チェック"
    ws["B1"] = "当社 情報セキュリティ 自己チェック（2025年度）"
    ws.merge_cells("B1:E1")
    ws["B2"] = "記入者: 総務部 山田"
    for c, h in zip("BCDE", ["設問番号", "質問内容", "回答欄", "備考"]):
        ws[f"{c}4"] = h
    r = 5
    parts = {1: "【基本的対策】", 6: "【従業員としての対策】", 19: "【組織としての対策】"}
    for n in range(1, 26):
        if n in parts:
            ws[f"B{r}"] = parts[n]
            r += 1
        ws[f"B{r}"] = n
        ws[f"C{r}"] = f"質問{n}について当社の状況を答える"
        ws[f"D{r}"] = USER_ANSWERS[n]
        ws[f"E{r}"] = "要確認" if n == 9 else None
        r += 1
    memo = wb.create_sheet("メモ")
    memo["A1"] = "担当者一覧"
    memo["A2"] = "山田"
    memo["B2"] = "=LEN(A2)"
    dv = DataValidation(type="list", formula1='"総務,経理"', allow_blank=True)
    memo.add_data_validation(dv)
    dv.add("C2:C10")
    wb.defined_names["担当者"] = openpyxl.workbook.defined_name.DefinedName("担当者", attr_text="メモ!$A$2")
    wb.save(path)


def self_check(exe, path):
    return json.loads(run(exe, "inspect", path, "--json").stdout)["ipa"]["self_check"]


@pytest.fixture(scope="module")
def user_filled(risksheet_bin, tmp_path_factory):
    d = tmp_path_factory.mktemp("selfcheck")
    book = d / "user.xlsx"
    user_sheet(book)
    before = d / "before.xlsx"
    shutil.copy(book, before)
    p = run(risksheet_bin, "fill", book, "--json")
    return dict(book=book, before=before, report=json.loads(p.stdout), dir=d)


def test_user_typed_sheet_is_found_by_meaning_and_scored(user_filled, risksheet_bin):
    s = self_check(risksheet_bin, user_filled["book"])
    assert s["sheet"] == "セキュリティ自己チェック"
    assert s["answer_columns"] == ["D"]
    assert s["total"] == USER_TOTAL
    assert s["band"] == "部分的に不十分"
    assert s["unknown"] == [9, 22]
    assert [p["subtotal"] for p in s["parts"]] == [18, 43, 23]
    assert {i["number"]: i["answer"] for i in s["items"]}[4] == "一部実施している"
    normalized = user_filled["report"]["fill"]["normalized"]
    assert any("「○」→「実施している」" in n for n in normalized) and any("「不明」→「分からない」" in n for n in normalized)


def test_user_typed_sheet_loses_nothing(user_filled):
    tool = SHARED / "tools" / "xlsx-features"
    if not tool.exists():
        pytest.skip("xlsx-features not available")
    p = subprocess.run([str(tool), "--lost", str(user_filled["before"]), str(user_filled["book"])], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    wb = openpyxl.load_workbook(user_filled["book"])
    ws = wb["セキュリティ自己チェック"]
    # The user's cells stay where they were; 点数 goes in the first free column (F), the block two
    # columns to its right; the note beside item 9 is kept.
    assert (ws["B1"].value, ws["B2"].value, ws["E15"].value, ws["F4"].value) == ("当社 情報セキュリティ 自己チェック（2025年度）", "記入者: 総務部 山田", "要確認", "点数")
    assert "B1:E1" in [str(m) for m in ws.merged_cells.ranges]
    assert wb["メモ"]["B2"].value == "=LEN(A2)" and "担当者" in wb.defined_names


def test_second_fill_changes_nothing(user_filled, risksheet_bin):
    once = user_filled["book"].read_bytes()
    p = run(risksheet_bin, "fill", user_filled["book"], "--json")
    assert json.loads(p.stdout)["save"]["parts_changed"] == []
    assert user_filled["book"].read_bytes() == once


def test_libreoffice_computes_every_cell_as_cached(user_filled, risksheet_bin, need_lo):
    book = user_filled["book"]
    new = user_filled["dir"] / "fresh.xlsx"
    run(risksheet_bin, "new", new, "--edition", "self-check", "--sites", "本社,工場")
    sets = []
    for n in range(1, 26):
        sets += ["--set", f"自社診断!D{n + 4}=実施している", "--set", f"自社診断!E{n + 4}={'分からない' if n % 7 == 0 else '一部実施している' if n % 5 == 0 else '実施している'}"]
    run(risksheet_bin, "edit", new, *sets)
    run(risksheet_bin, "fill", new)
    forced = lo.sheets([book, new], "recalc")
    cached = lo.sheets([book, new], "cached")
    for f, sheet in ((book, "セキュリティ自己チェック"), (new, "自社診断")):
        assert sheet in forced[f], forced[f].keys()
        diff = lo.differences(forced[f][sheet], cached[f][sheet])
        assert not diff, f"{f.name}: {sorted(diff)[:10]}"
    grid = forced[new]["自社診断"]
    # 25 items: 本社 all 4; 工場 7, 14, 21 分からない (−1), 5, 10, 15, 20, 25 一部 (2): minimum.
    assert lo.cell(grid, 9, 9) == str(100 - 3 * 5 - 5 * 2)
    assert lo.cell(grid, 12, 9) == "7、14、21"
    ugrid = forced[book]["セキュリティ自己チェック"]
    total_row = [r for r in range(1, 40) if lo.cell(ugrid, r, 8) == "合計"][0]
    assert lo.cell(ugrid, total_row, 9) == str(USER_TOTAL)


def test_python_api_adds_the_sheet_to_a_risk_analysis(tmp_path, japanese):
    risksheet = pytest.importorskip("risksheet")
    book = tmp_path / "book.xlsx"
    shutil.copy(ROOT / "workbooks" / "example-ipa-3-filled.xlsx", book)
    with risksheet.open(book) as wb:
        added = wb.add_self_check()
        assert (added["sheet"], len(added["items"]), added["total"]) == ("自社診断", 25, 0)
        for n in range(1, 26):
            wb.set(f"自社診断!D{n + 4}", "実施している")
        summary = wb.fill()
        assert summary["self_check"]["total"] == 100
        assert summary["self_check"]["band"] == "入門レベル達成"
        assert summary["assets"] == 8
        wb.save()
    with risksheet.open(book) as wb:
        a = wb.analysis()
        assert a["self_check"]["total"] == 100 and a["self_check"]["unknown"] == []
        assert wb.get("自社診断!H10") == "入門レベル達成"
