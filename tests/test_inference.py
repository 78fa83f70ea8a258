"""Reading a company's own workbook by meaning (issue 11): tables found by their headers and
contents on renamed tabs, evidence shown by `inspect`, doubtful columns reported and never
computed from, `--map` / `[layout]` / `inspect --layout-toml`, and risksheet's own 集計 never read
as input."""
import json

import pytest

from conftest import run
from xlsxgen import write

MEDIA = ["書類", "可搬電子媒体", "事務所PC", "モバイル機器", "社内サーバー", "クラウド"]
GROUPS = ["(1) 組織的対策", "(2) 人的対策", "(3) 情報資産管理", "(4) アクセス制御及び認証", "(5) 物理的対策",
          "(6) IT機器利用", "(7) IT基盤運用管理", "(8) システム開発及び保守", "(9) 委託管理",
          "(10) 情報セキュリティインシデント対応及び事業継続管理", "(11) 個人番号及び特定個人情報の取扱い"]


def company_book(path, ledger_header=None, extra_c=False, checklist=None):
    """A ledger re-typed by a company in its own words: one-row headers, renamed tabs, answers in
    words and marks, frequencies as bare digits. Every group is answered 実施している / 一部 / ×
    (rate 50 %, vulnerability 2); every medium's threat is 3 except 書類 (2)."""
    header = ledger_header or ["No", "資産名", "保管媒体", "個人情報", "機密性(C)", "完全性(I)", "可用性(A)", "リスク所有者"]
    rows = [(1, "社員名簿", "事務所PC", "有", 3, 2, 2, "総務"),
            (2, "顧客リスト", "クラウド", "", 3, 2, 2, "営業"),
            (3, "見積書", "書類", "", 2, 2, 1, "営業")]
    led = {(2, c + 1): h for c, h in enumerate(header)}
    led[(1, 1)] = "当社の情報資産一覧"
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            led[(3 + r, c + 1)] = v
        if extra_c:
            led[(3 + r, len(header) + 1)] = 1
    if extra_c:
        led[(2, len(header) + 1)] = "機密性(C)"
    thr = {(1, 1): "想定される脅威", (3, 1): "媒体", (3, 2): "脅威の内容", (3, 3): "発生頻度"}
    for k, m in enumerate(MEDIA):
        thr[(4 + k, 1)], thr[(4 + k, 2)], thr[(4 + k, 3)] = m, "情報の漏えい", 2 if m == "書類" else 3
    chk = {(1, 1): "チェック表", (2, 1): "分類", (2, 2): "質問", (2, 3): "回答"}
    r = 3
    for g in GROUPS:
        for answer in ("実施している", "一部", "×"):
            chk[(r, 1)], chk[(r, 2)], chk[(r, 3)] = g, f"確認事項 {r}", answer
            r += 1
    name, chk = checklist or ("チェック", chk)
    write(path, [("台帳", led, []), ("脅威", thr, []), (name, chk, [])])
    return path


def inspect(exe, path, *args):
    p = run(exe, "inspect", path, "--json", "--profile", "ipa-3", *args)
    return json.loads(p.stdout)["ipa"]


def results(ipa):
    return [(a["name"], a["importance"], a["threat"], a["vulnerability"], a["likelihood"], a["risk"], a["band"]) for a in ipa["assets"]]


EXPECTED = [("社員名簿", 3, 3, 2, 2, 6, "リスク大"), ("顧客リスト", 3, 3, 2, 2, 6, "リスク大"), ("見積書", 2, 2, 2, 1, 2, "リスク小")]


def test_company_wording_is_read_with_its_evidence(risksheet_bin, tmp_path):
    book = company_book(tmp_path / "company.xlsx")
    ipa = inspect(risksheet_bin, book)
    assert ipa["layout"]["sheets"] == {"ledger": "台帳", "examples": [], "threats": "脅威", "checklist": "チェック", "result": None}
    ledger = ipa["layout"]["ledger"]
    assert ledger["columns"] == {"asset": "B", "medium": "C", "personal": "D", "c": "E", "i": "F", "a": "G"}
    assert (ledger["header_row"], ledger["first_row"]) == (2, 3)
    medium = next(e for e in ledger["evidence"] if e["field"] == "medium")
    assert (medium["header_cell"], medium["header"]) == ("C2", "保管媒体")
    assert "3/3" in medium["evidence"]
    assert ipa["layout"]["checklist"]["columns"] == {"group": "A", "item": "B", "answer": "C"}
    assert results(ipa) == EXPECTED
    # The text report names the same evidence.
    text = run(risksheet_bin, "inspect", book, "--profile", "ipa-3").stdout
    assert "「保管媒体」" in text and "内容 3/3" in text


def test_fill_computes_the_company_ledger_and_normalises_words(risksheet_bin, tmp_path):
    book = company_book(tmp_path / "company.xlsx")
    out = tmp_path / "filled.xlsx"
    p = run(risksheet_bin, "fill", book, "-o", out, "--profile", "ipa-3", "--json", check=False)
    assert p.returncode == 3, p.stderr  # 診断結果 is missing: said, not fatal
    summary = json.loads(p.stdout)["fill"]
    assert any("「一部」→「2:一部実施している」" in n for n in summary["normalized"])
    assert results(inspect(risksheet_bin, out)) == EXPECTED
    cells = json.loads(run(risksheet_bin, "get", out, "チェック!C4", "--json").stdout)
    assert cells[0][1]["value"] == "2:一部実施している"


def test_two_candidate_columns_are_reported_not_guessed(risksheet_bin, tmp_path):
    book = company_book(tmp_path / "twice.xlsx", extra_c=True)
    ipa = inspect(risksheet_bin, book)
    assert "c" not in ipa["layout"]["ledger"]["columns"]
    [amb] = ipa["layout"]["ambiguities"]
    assert (amb["field"], amb["sheet"], amb["cell"]) == ("c", "台帳", "E2")
    assert amb["candidates"][0].startswith("E「機密性(C)」") and amb["candidates"][1].startswith("I「機密性(C)」")
    # Nothing is computed from either column: importance and risk stay empty, with the warning.
    assert all(a["importance"] is None and a["risk"] is None for a in ipa["assets"])
    p = run(risksheet_bin, "fill", book, "-o", tmp_path / "out.xlsx", "--profile", "ipa-3", check=False)
    assert p.returncode == 3
    assert "--map ledger.c=E" in p.stdout
    # The user settles it.
    settled = inspect(risksheet_bin, book, "--map", "ledger.c=E")
    assert results(settled) == EXPECTED
    assert next(e for e in settled["layout"]["ledger"]["evidence"] if e["field"] == "c")["evidence"].startswith("指定")


def test_layout_toml_round_trip_overrides_the_inference(risksheet_bin, tmp_path):
    book = company_book(tmp_path / "company.xlsx")
    toml = run(risksheet_bin, "inspect", book, "--layout-toml", "--profile", "ipa-3").stdout
    assert '[layout.ledger]\nsheet = "台帳"\nheader_row = 2\n' in toml
    assert 'medium = "C"' in toml
    # Say that C is in F and I in E: the profile wins over the headers.
    swapped = toml.replace('c = "E"', 'c = "X"').replace('i = "F"', 'i = "E"').replace('c = "X"', 'c = "F"')
    profile = tmp_path / "mine.toml"
    profile.write_text('extends = "ipa-3"\n\n' + swapped, encoding="utf-8")
    ipa = json.loads(run(risksheet_bin, "inspect", book, "--json", "--profile", profile).stdout)["ipa"]
    assert ipa["layout"]["ledger"]["columns"]["c"] == "F" and ipa["layout"]["ledger"]["columns"]["i"] == "E"
    # --map goes over the profile.
    ipa = json.loads(run(risksheet_bin, "inspect", book, "--json", "--profile", profile, "--map", "ledger.c=E", "--map", "ledger.i=F").stdout)["ipa"]
    assert results(ipa) == EXPECTED


@pytest.mark.parametrize("arg, says", [
    ("ledger.colour=F", "項目は次のいずれかです"),
    ("ledgr.medium=F", "役割は次のいずれかです"),
    ("ledger=存在しない", "そのシートはありません"),
    ("ledger.medium=ZZZZ", "列は A〜XFD"),
    ("ledger", "KEY=VALUE"),
])
def test_a_wrong_map_is_a_usage_error(risksheet_bin, tmp_path, arg, says):
    book = company_book(tmp_path / "company.xlsx")
    before = book.read_bytes()
    for command in ("inspect", "fill"):
        p = run(risksheet_bin, command, book, "--map", arg, check=False)
        assert p.returncode == 1, (command, p.stdout)
        assert says in p.stderr
    assert book.read_bytes() == before


def test_map_names_a_sheet_the_inference_would_not_take(risksheet_bin, tmp_path):
    """A checklist whose answers are unreadable as answers is not a checklist to the inference;
    --map checklist=SHEET makes it one, and each unreadable answer is then named."""
    book = company_book(tmp_path / "company.xlsx")
    ipa = inspect(risksheet_bin, book, "--map", "checklist=チェック", "--map", "threats=脅威")
    assert ipa["layout"]["sheets"]["checklist"] == "チェック"
    assert results(ipa) == EXPECTED


def test_own_summary_sheet_is_never_read_as_input(risksheet_bin, tmp_path):
    """A workbook with only a ledger, filled twice: the second run must not take 集計 for the
    threats, the checklist or 診断結果 (it once wrote bogus warnings and the reasons into it)."""
    led = {(1, 1): "資産名", (1, 2): "媒体", (1, 3): "機密性", (1, 4): "完全性", (1, 5): "可用性",
           (2, 1): "社員名簿", (2, 2): "書類", (2, 3): 3, (2, 4): 2, (2, 5): 1}
    book = tmp_path / "only-ledger.xlsx"
    write(book, [("台帳", led, [])])
    once, twice = tmp_path / "once.xlsx", tmp_path / "twice.xlsx"
    first = run(risksheet_bin, "fill", book, "-o", once, "--profile", "ipa-3", "--json", check=False)
    second = run(risksheet_bin, "fill", once, "-o", twice, "--profile", "ipa-3", "--json", check=False)
    w1 = json.loads(first.stdout)["fill"]["warnings"]
    w2 = json.loads(second.stdout)["fill"]["warnings"]
    assert w1 == w2 and not any(w["sheet"] == "集計" for w in w2)
    roles = inspect(risksheet_bin, twice)["layout"]["sheets"]
    assert (roles["threats"], roles["checklist"], roles["result"]) == (None, None, None)
    assert once.read_bytes() == twice.read_bytes()


def test_python_map_argument(tmp_path):
    risksheet = pytest.importorskip("risksheet")
    book = company_book(tmp_path / "twice.xlsx", extra_c=True)
    with risksheet.open(book) as wb:
        assert wb.analysis("ipa-3")["assets"][0]["importance"] is None
        a = wb.analysis("ipa-3", map={"ledger.c": "E"})
        assert [x["risk"] for x in a["assets"]] == [6, 6, 2]
        with pytest.raises(risksheet.WorkbookError):
            wb.analysis("ipa-3", map={"ledger.colour": "E"})


def test_checklist_with_groups_as_section_rows_and_an_unfamiliar_answer_header(risksheet_bin, tmp_path):
    """Groups written as rows of their own above their items (no group column), and an answer
    column headed in words no profile lists: the answers themselves say what the column is."""
    chk = {(1, 1): "セキュリティ自己点検", (2, 1): "点検項目", (2, 2): "自己評価（選択）"}
    r = 3
    for g in GROUPS:
        chk[(r, 1)] = g
        r += 1
        for answer in ("実施している", "一部", "×"):
            chk[(r, 1)], chk[(r, 2)] = f"確認事項 {r}", answer
            r += 1
    sectioned = company_book(tmp_path / "sectioned.xlsx", checklist=("点検", chk))
    ipa = inspect(risksheet_bin, sectioned)
    table = ipa["layout"]["checklist"]
    assert table["sheet"] == "点検" and table["columns"] == {"item": "A", "answer": "B"}, table
    answer = next(e for e in table["evidence"] if e["field"] == "answer")
    assert answer["evidence"].endswith("33/33")
    assert [g["rate"] for g in ipa["groups"]] == [0.5] * len(GROUPS)
