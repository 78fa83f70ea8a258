"""Company facts (会社の状況): each fact changes exactly its chapter's decision on 診断結果, in the
cached value and in what LibreOffice computes (one LibreOffice run for every file)."""
import json

import lo
from conftest import run

YES = {"development": "はい", "outsourcing": "はい", "employees": "12", "contractor_secrets": "はい", "telework": "はい"}
NO = {"development": "いいえ", "outsourcing": "いいえ", "employees": "1", "contractor_secrets": "いいえ", "telework": "いいえ"}
# The 診断結果 row of each fact's chapter in ipa-3 (table from row 5, in the profile's order).
ROW = {"development": 12, "outsourcing": 13, "telework": 16, "employees": 17, "contractor_secrets": 18}
SELECT, NA = "ポリシーで対策を規定して下さい", "該当なし"


def fill(exe, src, out, facts):
    args = ["fill", src, "-o", out]
    for k, v in facts.items():
        args += ["--fact", f"{k}={v}"]
    p = run(exe, *args, check=False)
    assert p.returncode in (0, 3), p.stdout + p.stderr


def cached_decisions(exe, path):
    cells = [f"診断結果!D{r}" for r in range(5, 19)]
    return [c["value"] for _, c in json.loads(run(exe, "get", path, *cells, "--json").stdout)]


def test_each_fact_decides_its_chapter_in_cache_and_in_libreoffice(risksheet_bin, tmp_path, need_lo):
    src = tmp_path / "fresh.xlsx"
    run(risksheet_bin, "new", src, "--edition", "ipa-3")
    files = {"all-yes": tmp_path / "all-yes.xlsx"}
    fill(risksheet_bin, src, files["all-yes"], YES)
    for key in YES:
        files[key] = tmp_path / f"no-{key}.xlsx"
        fill(risksheet_bin, src, files[key], {**YES, key: NO[key]})
    cached = {k: cached_decisions(risksheet_bin, f) for k, f in files.items()}
    assert set(cached["all-yes"]) == {SELECT}
    recalculated = lo.sheets(list(files.values()), "recalc")
    for key, f in files.items():
        lo_decisions = [lo.cell(recalculated[f]["診断結果"], r, 4) for r in range(5, 19)]
        assert lo_decisions == cached[key], key
        if key == "all-yes":
            continue
        changed = [5 + i for i, (a, b) in enumerate(zip(cached["all-yes"], cached[key])) if a != b]
        assert changed == [ROW[key]], key
        assert cached[key][ROW[key] - 5] == NA


def test_an_edited_answer_is_followed_by_libreoffice_without_fill(risksheet_bin, tmp_path, need_lo):
    """The decision formula refers to the answer cell: LibreOffice follows an edit at once."""
    src, out = tmp_path / "e.xlsx", tmp_path / "e-filled.xlsx"
    run(risksheet_bin, "new", src, "--edition", "ipa-3")
    fill(risksheet_bin, src, out, {"outsourcing": "はい"})
    run(risksheet_bin, "edit", out, "--set", "診断結果!G6=いいえ")
    grid = lo.sheets([out], "recalc")[out]["診断結果"]
    assert lo.cell(grid, 13, 4) == NA
    assert lo.cell(grid, 12, 4) == SELECT
