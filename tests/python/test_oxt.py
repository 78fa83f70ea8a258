"""The LibreOffice extension as a user has it: tools/build-oxt builds risksheet.oxt, `unopkg add`
installs it into a fresh profile, and in headless LibreOffice the menu's 計算する
(``org.risksheet.menu:fill``, dispatched on the document's frame) stores an unsaved edit, fills the
file with the bundled module and reloads the document, which then shows every value `risksheet
inspect --json` gives for the same file filled by the CLI. Also レポート, 適用宣言書, 2022年版に変換,
and the errors a user sees (in the UI's language).

The LibreOffice side runs in tests/python/oxt_check.py under Debian's /usr/bin/python3 (which has
LibreOffice's ``uno``). Skipped only when LibreOffice is absent outside CI. The wheel bundled is
$RISKSHEET_WHEEL when set (tests/run sets it), else tools/build-oxt builds one (maturin, debug)."""
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

import uno_script
from uno_script import SYSTEM_PYTHON

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "workbooks" / "example-ipa-3.xlsx"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="module")
def run(risksheet_bin):
    """Builds and installs the extension, runs oxt_check.py; its JSON and the work folder."""
    if shutil.which("soffice") is None:
        if IN_CI:
            pytest.fail("LibreOffice is required in CI (.ci/run installs it)")
        pytest.skip("LibreOffice (soffice) not installed")
    has_uno = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0
    assert has_uno, f"{SYSTEM_PYTHON} cannot import uno: apt-get install python3-uno (LibreOffice's Python, which loads the extension)"

    # Not under pytest's tmp (unopkg runs as nobody when root: it needs a path it can reach).
    work = Path(tempfile.mkdtemp(prefix="risksheet-oxt-"))
    try:
        yield install_and_run(work), work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def install_and_run(work):
    build = work / "oxt"
    env = dict(os.environ)
    if os.environ.get("RISKSHEET_WHEEL"):
        env["WHEEL"] = os.environ["RISKSHEET_WHEEL"]
    p = subprocess.run([ROOT / "tools" / "build-oxt", build], env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr[-4000:]
    oxt = Path(p.stdout.split()[-1])
    assert oxt == build / "risksheet.oxt" and oxt.is_file()

    shutil.copyfile(EXAMPLE, work / "book.xlsx")
    shutil.copyfile(ROOT / "tests/fixtures/libreoffice-made.xlsx", work / "plain.xlsx")
    shutil.copyfile(ROOT / "tests/fixtures/legacy/soa-2013.xlsx", work / "soa-2013.xlsx")
    # LibreOffice's Python takes its library from the `python3` first on PATH: another one there
    # (pyenv's for one) makes soffice fail (std::bad_alloc) as soon as the extension is loaded.
    env = dict(os.environ, PATH=f"{Path(SYSTEM_PYTHON).parent}:{os.environ.get('PATH', '')}")
    rc, out, err = uno_script.run(Path(__file__).with_name("oxt_check.py"), [oxt, work], work, 240, env)
    assert rc == 0, err[-4000:]
    result = json.loads(out)
    assert result["unopkg"]["rc"] == 0, result["unopkg"]
    return result


def cli(exe, *args):
    p = subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p.stdout


def column(letter):
    n = 0
    for ch in letter:
        n = n * 26 + ord(ch) - 64
    return n - 1


def shown(cells, sheet, address):
    """The value LibreOffice shows at ``address`` of ``sheet`` (number or text; "" when empty)."""
    col = column("".join(c for c in address if c.isalpha()))
    row = int("".join(c for c in address if c.isdigit())) - 1
    data = cells[sheet]["data"]
    return data[row][col] if row < len(data) and col < len(data[row]) else ""


def test_extension_installs(run):
    result, _ = run
    assert "Identifier: org.risksheet.calc" in result["unopkg"]["list"]
    assert "is registered: yes" in result["unopkg"]["list"]


def test_fill_from_the_menu_shows_what_the_cli_computes(run, risksheet_bin, tmp_path):
    result, work = run
    fill = result["fill"]
    # The document shown is the reloaded file, unmodified, with the fill's summary as the answer.
    assert fill["state"] == 1, fill["message"]
    assert fill["reloaded"] and not fill["modified"], fill["message"]
    assert fill["message"].startswith("ipa-3: 情報資産 8 件\nリスク大: "), fill["message"]
    cells = fill["cells"]

    # The CLI on the same input: the example with the edit made in LibreOffice (unsaved there).
    expected = tmp_path / "cli.xlsx"
    shutil.copyfile(EXAMPLE, expected)
    cli(risksheet_bin, "edit", expected, "--set", "情報資産管理台帳!J5=1", "--set", "情報資産管理台帳!K5=1", "--set", "情報資産管理台帳!L5=1")
    cli(risksheet_bin, "fill", expected)
    ipa = json.loads(cli(risksheet_bin, "inspect", expected, "--json"))["ipa"]
    # What LibreOffice's file is, for risksheet: the same analysis.
    assert json.loads(cli(risksheet_bin, "inspect", work / "book.xlsx", "--json"))["ipa"] == ipa

    ledger = ipa["layout"]["ledger"]
    cols = ledger["columns"]
    assets = ipa["assets"]
    assert len(assets) == 8
    first = next(a for a in assets if a["row"] == 5)
    assert (first["c"], first["i"], first["a"]) == (1, 1, 1)  # the unsaved edit was stored, not lost
    for a in assets:
        r = a["row"]
        got = {k: shown(cells, ledger["sheet"], f"{cols[k]}{r}") for k in ("c", "i", "a", "importance", "likelihood", "risk")}
        want = {k: float(a[k]) for k in got}
        assert got == want, (r, a["name"])
        # 脅威 and 脆弱性 show the number with its label (「3:通常の状態で発生する…」).
        for k in ("threat", "vulnerability"):
            assert str(shown(cells, ledger["sheet"], f"{cols[k]}{r}")).startswith(f"{a[k]}:"), (r, k)
        assert shown(cells, ledger["sheet"], f"{cols['risk_label']}{r}") == a["band"], r
        assert shown(cells, ledger["sheet"], f"{cols['asset']}{r}") == a["name"]
    # The reload shows formulas, not pasted values.
    assert cells[ledger["sheet"]]["formulas"][first["row"] - 1][column(cols["risk"])].startswith("=")

    # 診断結果: each chapter's rate and decision, as inspect has them.
    result_sheet = ipa["layout"]["sheets"]["result"]
    rows = {str(r[0]).split(".")[0]: i + 1 for i, r in enumerate(cells[result_sheet]["data"]) if r and str(r[0])[:1].isdigit() and "." in str(r[0])}
    assert len(ipa["chapters"]) == 14
    for ch in ipa["chapters"]:
        r = rows[str(ch["number"])]
        rate = shown(cells, result_sheet, f"C{r}")
        if ch["rate"] is None:
            assert not isinstance(rate, float), (ch, rate)
        else:
            assert rate == pytest.approx(ch["rate"], abs=1e-12), ch
        assert shown(cells, result_sheet, f"D{r}") == ("ポリシーで対策を規定して下さい" if ch["selected"] else "該当なし"), ch
    # The reasons below the table, one line per chapter.
    reasons = {str(r[0]): r[1] for r in cells[result_sheet]["data"] if r and isinstance(r[1], str) and r[1].startswith(("策定する：", "該当なし："))}
    for ch in ipa["chapters"]:
        text = reasons[f"{ch['number']} {ch['title']}"]
        assert all(reason in text for reason in ch["reasons"]), (ch, text)

    # 集計: the rate of each group of the checklist.
    summary = cells["集計"]["data"]
    for g in ipa["groups"]:
        row = next(r for r in summary if g["name"] in map(str, r))
        if g["rate"] is not None:
            assert any(isinstance(v, float) and v == pytest.approx(g["rate"], abs=1e-12) for v in row), (g, row)


def test_report_and_soa_are_written_beside_the_document(run, risksheet_bin):
    result, work = run
    state, message = result["report"]
    html = work / "book-レポート.html"
    assert state == 1 and message == f"レポートを書きました: {html}"
    assert "リスク大" in html.read_text(encoding="utf-8")
    state, message = result["soa"]
    soa = work / "book-適用宣言書.xlsx"
    assert state == 1 and message == f"適用宣言書を作りました: {soa}"
    assert "適用宣言書" in cli(risksheet_bin, "inspect", soa)


def test_convert_reloads_with_the_trail(run):
    result, _ = run
    convert = result["convert"]
    assert convert["state"] == 1, convert["message"]
    assert convert["message"].startswith("2022年版に変換しました（変換 "), convert["message"]
    assert "変換記録" in convert["sheets"]


def test_errors_name_the_file_in_the_ui_language(run):
    result, work = run
    plain = work / "plain.xlsx"
    assert result["plain_ja"] == [0, f"{plain}: 見出し「情報資産管理台帳（媒体・保存先）」が見つかりません"]
    assert result["plain_en"] == [0, f"{plain}: cannot find the header '情報資産管理台帳（媒体・保存先）'"]
    state, message = result["unsaved_en"]
    assert state == 0 and "not saved as an Excel workbook (.xlsx)" in message, message
