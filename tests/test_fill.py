"""fill on IPA ledgers laid out as users lay them out: every computed cell is a formula whose
cached value equals what LibreOffice computes and what the rules engine says (domain.md §2.2),
nothing is lost, a second fill changes nothing, and one edited input changes only its asset."""
import json
import re
import shutil
import subprocess
import zipfile

import pytest

import lo
from conftest import SHARED, run

from ipa_samples import EXAMPLE, user_ledger


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


def test_computed_labels_are_coloured_like_the_template(filled):
    """The user's ledger had no colours: リスク大 and 可能性:高 become red, the middle levels
    yellow, the lowest green, over the input range, each rule pointing at a new differential format."""
    z = zipfile.ZipFile(filled["out"])
    sheet1 = z.read("xl/worksheets/sheet1.xml").decode()
    dxfs = re.findall(r"<dxf>.*?</dxf>", z.read("xl/styles.xml").decode())
    rules = re.findall(r'<conditionalFormatting sqref="([A-Z]+7:[A-Z]+106)"><cfRule [^>]*dxfId="(\d+)"[^>]*><formula>"([^"]+)"</formula>', sheet1)
    colour = {(ref[0], text): re.search(r'bgColor rgb="(\w+)"', dxfs[int(dxf)]).group(1) for ref, dxf, text in rules}
    assert colour[("V", "リスク大")] == colour[("T", "可能性:高")] == "FFFFC7CE"
    assert colour[("V", "リスク中")] == "FFFFEB9C" and colour[("V", "リスク小")] == "FFC6EFCE"
    # The original had none: every rule is new, and none was added twice.
    assert "conditionalFormatting" not in zipfile.ZipFile(filled["src"]).read("xl/worksheets/sheet1.xml").decode()
    assert len(rules) == len(set((r[0], r[2]) for r in rules))


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
    p = run(risksheet_bin, "fill", bad, "--profile", "ipa-2.1", "--json", check=False)
    assert p.returncode == 3  # written, with inputs to check
    warnings = json.loads(p.stdout)["fill"]["warnings"]
    assert [(w["sheet"], w["cell"]) for w in warnings] == [("台帳(本社)", "L9")]
    assert "高" in warnings[0]["message"]
    a = analysis(risksheet_bin, bad)["assets"][2]
    assert a["importance"] is None and a["risk"] is None and a["threat"] == 3


def test_ipa3_user_ledger_matches_an_independent_oracle(risksheet_bin, tmp_path, need_lo):
    from ipa_samples import ipa3_oracle, ipa3_user_ledger
    src, out = tmp_path / "ipa3.xlsx", tmp_path / "ipa3-filled.xlsx"
    ipa3_user_ledger(src)
    p = run(risksheet_bin, "fill", src, "-o", out, "--json", check=False)
    assert p.returncode == 3  # no 診断結果 sheet: done, with a warning
    report = json.loads(p.stdout)
    assert report["fill"]["edition"] == "ipa-3"
    a = json.loads(run(risksheet_bin, "inspect", out, "--json").stdout)["ipa"]
    assert a["layout"]["sheets"]["ledger"] == "資産台帳2024" and a["layout"]["sheets"]["threats"] == "脅威一覧"
    got = [(x["name"], x["importance"], x["threat"], x["vulnerability"], x["likelihood"], x["risk"], x["band"]) for x in a["assets"]]
    assert got == ipa3_oracle()
    # Without a 診断結果 sheet there is nothing to write there, and it says so.
    assert any(w["cell"] == "" for w in report["fill"]["warnings"])
    forced = lo.sheets([out], "recalc")[out]
    cached = lo.sheets([out], "cached")[out]
    for sheet in forced:
        assert not lo.differences(forced[sheet], cached[sheet]), sheet
    led = forced["資産台帳2024"]
    for k, (_, imp, _, _, lik, risk, band) in enumerate(ipa3_oracle()):
        assert [lo.cell(led, 4 + k, c) for c in (14, 19, 21, 22)] == [str(imp), str(lik), str(risk), band]
    p = subprocess.run([str(SHARED / "tools/xlsx-features"), "--lost", str(src), str(out)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout


def test_users_own_summary_sheet_and_notes_are_never_written_over(risksheet_bin, tmp_path):
    src, out = tmp_path / "own.xlsx", tmp_path / "own-filled.xlsx"
    user_ledger(src, own_summary=True, note_below_result=True)
    p = run(risksheet_bin, "fill", src, "-o", out, "--profile", "ipa-2.1", "--json", check=False)
    assert p.returncode == 3
    report = json.loads(p.stdout)
    info = json.loads(run(risksheet_bin, "inspect", out, "--json").stdout)
    names = [s["name"] for s in info["sheets"]]
    assert "集計" in names and "集計 (risksheet)" in names
    mine = {c["address"]: c["value"] for _, c in json.loads(run(risksheet_bin, "get", out, "集計", "--json").stdout)}
    assert mine == {"A1": "部署別の件数", "A2": "総務", "B2": 3}
    note = json.loads(run(risksheet_bin, "get", out, "診断結果!A16", "--json").stdout)
    assert note[0][1]["value"] == "備考：この表は年1回見直す"
    assert any(w["sheet"] == "診断結果" for w in report["fill"]["warnings"])
    a = analysis(risksheet_bin, out)
    assert [x["risk"] for x in a["assets"]] == [e[6][2] for e in EXAMPLE]
    # A second fill finds its own summary sheet again.
    again = tmp_path / "again.xlsx"
    assert run(risksheet_bin, "fill", out, "-o", again, "--profile", "ipa-2.1", check=False).returncode == 3
    assert [s["name"] for s in json.loads(run(risksheet_bin, "inspect", again, "--json").stdout)["sheets"]] == names


def test_uncomputed_formula_inputs_and_missing_sheets_are_named(risksheet_bin, tmp_path):
    from ipa_samples import ipa3_user_ledger
    src = tmp_path / "f.xlsx"
    ipa3_user_ledger(src, formula_input=True, without_threats=True)
    p = run(risksheet_bin, "fill", src, "-o", tmp_path / "out.xlsx", "--json", check=False)
    assert p.returncode == 3
    warnings = json.loads(p.stdout)["fill"]["warnings"]
    assert ("資産台帳2024", "K5") in [(w["sheet"], w["cell"]) for w in warnings]  # =1+1 without a result
    missing = [w for w in warnings if w["cell"] == ""]
    assert missing and all(w["sheet"] != "使い方" for w in missing), missing  # the how-to is not taken for 脅威の状況
    assert any("脅威の状況" in w["sheet"] or "脅威の状況" in w["message"] or "発生頻度" in w["message"] for w in missing)


def test_thousands_of_high_risk_assets_are_counted_not_listed(risksheet_bin, tmp_path):
    """Each reason names at most 10 assets and counts the rest, so a large ledger's reasons stay
    readable and within Excel's 32,767 characters per cell; the counts scale with the ledger."""
    def reasons(repeat):
        src, out = tmp_path / f"r{repeat}.xlsx", tmp_path / f"r{repeat}-filled.xlsx"
        user_ledger(src, repeat=repeat)
        p = run(risksheet_bin, "fill", src, "-o", out, "--profile", "ipa-2.1")
        cells = json.loads(run(risksheet_bin, "get", out, "診断結果", "--json").stdout)
        texts = [c["value"] for _, c in cells if isinstance(c["value"], str) and c["value"].startswith("策定する：")]
        return p.stdout, texts

    def high_risk(text):
        named = text.count("リスク大")
        more = re.search(r"ほか (\d+) 件の資産", text)
        return named, int(more.group(1)) if more else 0

    # 600 copies = 4,800 rows: enough for the rows to be read and rendered on several cores.
    _, small = reasons(1)
    stdout, large = reasons(600)
    assert len(small) == len(large) and any(high_risk(t)[0] for t in small)
    for s, t in zip(small, large):
        named, more = high_risk(t)
        assert named == min(10, high_risk(s)[0] * 600) and named + more == high_risk(s)[0] * 600, t
        assert len(t.encode("utf-16-le")) // 2 < 2000
    # The summary on the terminal is short too; --json keeps every item.
    assert len(stdout.splitlines()) < 50 and "全件は --json で出力されます" in stdout
    # Every asset of the large ledger got the example's results, in order.
    assets = analysis(risksheet_bin, tmp_path / "r600-filled.xlsx")["assets"]
    assert [a["risk"] for a in assets] == [e[6][2] for e in EXAMPLE] * 600


def test_large_ledger_written_on_several_cores_opens_in_libreoffice(risksheet_bin, tmp_path, need_lo):
    """6,400 assets: rows parsed and rendered in runs on all cores and the sheet part deflated
    in pieces; LibreOffice opens the result and computes what was cached, row for row."""
    src, out = tmp_path / "big.xlsx", tmp_path / "big-filled.xlsx"
    user_ledger(src, repeat=800)
    run(risksheet_bin, "fill", src, "-o", out, "--profile", "ipa-2.1")
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None
        assert max(i.file_size for i in z.infolist()) > 4 << 20, "large enough to be deflated in pieces"
    forced = lo.sheets([out], "recalc")[out]
    cached = lo.sheets([out], "cached")[out]
    for sheet in forced:
        assert not lo.differences(forced[sheet], cached[sheet]), f"{sheet}: {sorted(lo.differences(forced[sheet], cached[sheet]))[:10]}"
    led = forced["台帳(本社)"]
    for k in (0, 7, 3203, 6399):
        e = EXAMPLE[k % len(EXAMPLE)]
        assert [lo.cell(led, 7 + k, c) for c in (14, 19, 21, 22)] == [str(v) for v in e[6]]


def test_rows_out_of_order_are_read_in_order(risksheet_bin, tmp_path):
    """A broken file with rows out of order (and a cell repeated) is read as if in order, without
    a crash; the row-by-row reader assumes order, so it restores it first."""
    src, bad = tmp_path / "user.xlsx", tmp_path / "shuffled.xlsx"
    user_ledger(src)
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    rows = re.findall(r'<row r="(?:8|9)".*?</row>', xml)
    assert len(rows) == 2
    xml = xml.replace(rows[0] + rows[1], rows[1] + rows[0])
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    assets = analysis(risksheet_bin, bad)["assets"]
    assert [a["risk"] for a in assets] == [e[6][2] for e in EXAMPLE]
