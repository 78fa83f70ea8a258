"""fill on IPA ledgers laid out as users lay them out: every computed cell is a formula whose
cached value equals what LibreOffice computes and what the rules engine says (domain.md §2.2),
nothing is lost, a second fill changes nothing, and one edited input changes only its asset."""
import json
import shutil
import subprocess
import zipfile

import pytest

import lo
import xlsxgen
from conftest import SHARED, run

T3 = "3:通常の状態で発生する（いつ発生してもおかしくない）"
T2 = "2:特定の状況で発生する（年に数回程度）"
T1 = "1:通常の状態では発生しない（数年に1回未満）"
A1, A2, A3, A4 = "1:実施している", "2:一部実施している", "3:実施していない／わからない", "4:自社には該当しない"

# domain.md §2.2, ipa-2.1: (asset, medium as typed, C, I, A, mynumber) -> (重要度, 可能性, リスク値, 帯)
EXAMPLE = [
    ("社員名簿", "事務所PC", 2, 0, 0, "○", (2, 2, 4, "リスク大")),
    ("社員名簿", "書類", "２", 2, 2, None, (2, 1, 2, "リスク中")),
    ("給与システムデータ", "事務所PC", 2, 2, 1, None, (2, 2, 4, "リスク大")),
    ("当社宛請求書", "書類", 1, 1, 1, None, (1, 1, 1, "リスク中")),
    ("電子メールデータ", "クラウド", 2, 2, 2, None, (2, 2, 4, "リスク大")),
    ("製品カタログ", "書類", 0, 1, 1, None, (1, 1, 1, "リスク中")),
    ("キャンペーン応募者リスト", "社内サーバ", 2, 1, 0, None, (2, 2, 4, "リスク大")),
    ("製品設計図", "書類", 2, 2, 2, None, (2, 1, 2, "リスク中")),
]
# Frequencies per medium (max is what counts): 書類 2, 事務所PC 3, クラウド 3, 社内サーバー 3.
THREATS = [("書類", [T2, T1]), ("可搬電子媒体", [T1, T1]), ("事務所PC", [3, T2, T1]),
           ("モバイル機器", [T1]), ("社内サーバー", [T3, T1]), ("クラウド", [T3, T2])]
GROUPS = [("(1) 組織的セキュリティ対策", [A1, A1, A2, A3]), ("(2) 人的対策", [A2] * 3), ("(3) 情報資産管理", [A2] * 7),
          ("(4) マイナンバー対応", [A1] * 3), ("(5) アクセス制御と認証", [A2] * 5), ("(6) 物理的対策", [A2] * 4),
          ("(7) IT機器利用", [A2] * 10), ("(8) IT基盤運用管理", [A2] * 10), ("(9) システム開発及び保守", [A4] * 3),
          ("(10) 外部委託管理", [A1] * 3), ("(11) 情報セキュリティインシデント対応ならびに事業継続管理", [A2] * 3)]


def user_ledger(path):
    """An ipa-2.1 workbook as a user edited it: title moved down, a リスク所有者 column added, the
    ledger tab renamed, 社内サーバ without ー, a full-width ２, ○ for 有, 12–13 missing on 診断結果."""
    h5 = ["業務分類", "情報資産名称", "備考", "利用者範囲", "リスク所有者", "管理部署", "媒体・保存先", "個人情報の種類", None, None,
          "評価値", None, None, None, "保存期限", "登録日", "現状から想定されるリスク（入力不要・自動表示）"]
    h6 = [None] * 7 + ["個人情報", "要配慮個人情報", "マイナンバー", "機密性", "完全性", "可用性", "重要度", None, None,
                       "脅威の発生頻度\n（「脅威の状況」シートで設定）", "脆弱性\n（「対策状況チェック」シートで設定）", "被害発生可能性", None, "リスク値"]
    led = {(3, 1): "情報資産管理台帳"}
    for i, v in enumerate(h5, 1):
        if v:
            led[(5, i)] = v
    for i, v in enumerate(h6, 1):
        if v:
            led[(6, i)] = v
    for k, (name, medium, c, i_, a, my, _) in enumerate(EXAMPLE):
        r = 7 + k
        led.update({(r, 1): "総務", (r, 2): name, (r, 4): "社員", (r, 5): "総務部長", (r, 6): "総務部", (r, 7): medium,
                    (r, 11): c, (r, 12): i_, (r, 13): a})
        if my:
            led[(r, 10)] = my
    merges = ["H5:J5", "K5:N5", "Q5:V5", "S6:T6", "U6:V6"] + [f"{x}5:{x}6" for x in "ABCDEFGOP"]
    thr = {(1, 1): "脅威の状況", (3, 1): "媒体・保存先", (3, 2): "個別の脅威", (3, 3): "対策を講じない場合の脅威の発生頻度", (3, 4): "対策状況"}
    r, tm = 4, []
    for medium, freqs in THREATS:
        tm.append(f"A{r}:A{r + len(freqs) - 1}")
        tm.append(f"D{r}:D{r + len(freqs) - 1}")
        thr[(r, 1)] = medium
        for f in freqs:
            thr[(r, 2)] = f"{medium}の脅威{r}"
            thr[(r, 3)] = f
            r += 1
    chk = {(1, 1): "対策状況チェック", (3, 1): "No", (3, 2): "対策の種類", (3, 3): "情報セキュリティ診断項目", (3, 4): "回答値"}
    r, cm, n = 4, [], 1
    for label, answers in GROUPS:
        cm.append(f"B{r}:B{r + len(answers) - 1}")
        chk[(r, 2)] = label
        for a in answers:
            chk.update({(r, 1): n, (r, 3): f"診断項目{n}", (r, 4): a})
            r, n = r + 1, n + 1
    res = {(1, 1): "診断結果", (3, 1): "対策の種類（情報セキュリティポリシー名称）", (3, 2): "情報セキュリティポリシー策定の必要性",
           (3, 3): "対策状況チェックの診断結果（実施率）", (3, 4): "情報セキュリティポリシーによる対策規定の要否"}
    for k, title in enumerate(["組織的対策", "人的対策", "情報資産管理", "マイナンバー対応", "アクセス制御及び認証", "物理的対策",
                               "IT機器利用", "IT基盤運用管理", "システム開発及び保守", "委託管理",
                               "情報セキュリティインシデント対応ならびに事業継続管理"], 1):
        res[(3 + k, 1)] = f"{k} {title}"
    xlsxgen.write(path, [("台帳(本社)", led, merges), ("脅威の状況", thr, tm), ("対策状況チェック", chk, cm), ("診断結果", res, [])])


@pytest.fixture(scope="module")
def filled(risksheet_bin, tmp_path_factory):
    d = tmp_path_factory.mktemp("fill")
    src = d / "user.xlsx"
    user_ledger(src)
    out = d / "user-filled.xlsx"
    p = run(risksheet_bin, "fill", src, "-o", out, "--profile", "ipa-2.1", "--json")
    return dict(src=src, out=out, report=json.loads(p.stdout), dir=d)


def analysis(exe, path):
    return json.loads(run(exe, "inspect", path, "--json", "--profile", "ipa-2.1").stdout)["ipa"]


def test_worked_example_through_the_whole_pipeline(filled, risksheet_bin):
    a = analysis(risksheet_bin, filled["out"])
    assert a["layout"]["sheets"]["ledger"] == "台帳(本社)"
    got = [(x["name"], x["importance"], x["likelihood"], x["risk"], x["band"]) for x in a["assets"]]
    assert got == [(e[0], *e[6]) for e in EXAMPLE]
    assert [x["vulnerability"] for x in a["assets"]] == [2] * 8
    rates = {g["id"]: g["rate"] for g in a["groups"]}
    assert rates["organizational"] == pytest.approx(0.625)  # 2.5 / 4, as seed 002 shows
    chapters = {c["number"]: c for c in a["chapters"]}
    assert chapters[9]["selected"] is False  # all 「該当しない」
    assert chapters[4]["selected"] is True  # the ledger has マイナンバー 有
    assert not a["warnings"]


def test_inputs_are_normalized_and_reported(filled, risksheet_bin):
    normalized = "\n".join(filled["report"]["fill"]["normalized"])
    for expect in ["「２」→「2」", "「○」→「有」", "「社内サーバ」→「社内サーバー」"]:
        assert expect in normalized, normalized
    cells = dict((c["address"], c) for _, c in json.loads(run(risksheet_bin, "get", filled["out"], "台帳(本社)", "--json").stdout))
    assert cells["K8"]["value"] == 2 and cells["G13"]["value"] == "社内サーバー" and cells["J7"]["value"] == "有"
    assert cells["N7"]["formula"].startswith("IF(") and cells["N7"]["value"] == 2


def test_libreoffice_computes_what_risksheet_cached(filled, need_lo):
    forced = lo.sheets([filled["out"]], "recalc")[filled["out"]]
    cached = lo.sheets([filled["out"]], "cached")[filled["out"]]
    assert set(forced) == set(cached) and "集計" in forced
    for sheet in forced:
        assert not lo.differences(forced[sheet], cached[sheet]), f"{sheet}: {sorted(lo.differences(forced[sheet], cached[sheet]))[:10]}"
    led = forced["台帳(本社)"]
    for k, e in enumerate(EXAMPLE):
        imp, lik, risk, band = e[6]
        # 重要度 N, 被害発生可能性 S, リスク値 U and its label V (one column right of IPA).
        assert [lo.cell(led, 7 + k, c) for c in (14, 19, 21, 22)] == [str(imp), str(lik), str(risk), band]
    res = forced["診断結果"]
    assert lo.cell(res, 4, 4) == "ポリシーで対策を規定して下さい"  # 1 組織的対策
    assert lo.cell(res, 12, 4) == "該当なし"  # 9 システム開発及び保守
    assert any("社内体制図" in lo.cell(res, r, 1) for r in range(14, 17))  # appended chapters


def test_nothing_lost(filled):
    p = subprocess.run([str(SHARED / "tools/xlsx-features"), "--lost", str(filled["src"]), str(filled["out"])], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout


def test_dropdowns_on_every_input_column(filled):
    z = zipfile.ZipFile(filled["out"])
    sheet1 = z.read("xl/worksheets/sheet1.xml").decode()
    for col in ["G", "H", "I", "J", "K", "L", "M"]:
        assert f'sqref="{col}7:{col}106"' in sheet1, col
    assert "社内サーバー" in sheet1 and 'imeMode="off"' in sheet1
    assert '"1:実施している,2:一部実施している' in z.read("xl/worksheets/sheet3.xml").decode()


def test_second_fill_changes_nothing(filled, risksheet_bin):
    again = filled["dir"] / "again.xlsx"
    run(risksheet_bin, "fill", filled["out"], "-o", again, "--profile", "ipa-2.1")
    a, b = zipfile.ZipFile(filled["out"]), zipfile.ZipFile(again)
    assert a.namelist() == b.namelist()
    for n in a.namelist():
        assert a.read(n) == b.read(n), n


def test_editing_one_input_changes_only_that_asset(filled, risksheet_bin):
    d = filled["dir"]
    edited = d / "edited.xlsx"
    shutil.copyfile(filled["out"], edited)
    run(risksheet_bin, "edit", edited, "--set", "'台帳(本社)'!K10=0")  # 当社宛請求書 C 1 -> 0
    run(risksheet_bin, "fill", edited, "--profile", "ipa-2.1")
    before = analysis(risksheet_bin, filled["out"])["assets"]
    after = analysis(risksheet_bin, edited)["assets"]
    changed = [b["name"] for b, a in zip(before, after) if a != b]
    assert changed == ["当社宛請求書"]
    assert after[3]["c"] == 0 and after[3]["importance"] == 1


def test_invalid_input_is_a_warning_with_its_cell(filled, risksheet_bin):
    d = filled["dir"]
    bad = d / "bad.xlsx"
    shutil.copyfile(filled["src"], bad)
    run(risksheet_bin, "edit", bad, "--set", "'台帳(本社)'!L9=高")
    p = run(risksheet_bin, "fill", bad, "--profile", "ipa-2.1", "--json")
    warnings = json.loads(p.stdout)["fill"]["warnings"]
    assert [(w["sheet"], w["cell"]) for w in warnings] == [("台帳(本社)", "L9")]
    assert "高" in warnings[0]["message"]
    a = analysis(risksheet_bin, bad)["assets"][2]
    assert a["importance"] is None and a["risk"] is None and a["threat"] == 3
