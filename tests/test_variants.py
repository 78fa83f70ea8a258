"""fill on realistic variants of the IPA workbooks (tests/variants.py): for each, the canonical
workbook's computed values, or a warning naming what it could not read; never a wrong value. The
variants include header wordings no profile lists, harder layouts (blank rows, notes above the
header, a side table, an older copy of the ledger, typos, English headers) and ambiguous ones,
for which a missing value needs a warning naming the field or its column.
RISKSHEET_VARIANTS sets the count (default 300); the seed is fixed. A sample of the filled
variants goes through LibreOffice in one run, which must compute what risksheet cached."""
import json
import os

import pytest

import lo
import variants
from conftest import run
from ipa_samples import EXAMPLE

SEED = 1
COUNT = int(os.environ.get("RISKSHEET_VARIANTS", "300"))
LO_SAMPLE = 10


@pytest.fixture(scope="module")
def evaluated(risksheet_bin, tmp_path_factory):
    return variants.evaluate(risksheet_bin, tmp_path_factory.mktemp("variants"), COUNT, SEED)


def test_canonical_workbooks_give_the_expected_values(evaluated, risksheet_bin, tmp_path):
    """The comparison is only worth something if the canonical values are right: the model of
    the shipped example, written back, gives what the shipped example gives, and the ipa-2.1 base
    gives domain.md §2.2's worked example."""
    ipa3, ipa21 = evaluated["canon"]["ipa3"], evaluated["canon"]["ipa21"]
    shipped = tmp_path / "example-filled.xlsx"
    run(risksheet_bin, "fill", variants.ROOT / "workbooks/example-ipa-3.xlsx", "-o", shipped)
    direct = json.loads(run(risksheet_bin, "inspect", shipped, "--json").stdout)["ipa"]
    assert variants.classify(variants.values(direct), variants.values(ipa3), None) == ("exact", [])
    got = [(a["name"], a["importance"], a["likelihood"], a["risk"], a["band"]) for a in ipa21["assets"]]
    assert ipa21["edition"] == "ipa-2.1" and got == variants.ipa21_oracle() and len(got) == len(EXAMPLE)
    for a in ipa3["assets"] + ipa21["assets"]:
        assert a["risk"] is not None and a["band"], a
    assert not ipa3["warnings"] and not ipa21["warnings"]


def test_held_out_wordings_are_not_in_the_profiles():
    """reword_unseen proves something only if the profiles do not list its wordings."""
    variants.check_held_out()
    assert sum(len(w) for w in variants.HELD_OUT.values()) >= 60
    # The check catches a listed wording (a profile variant, an English text, a contains word).
    names = variants.profile_names()
    assert variants.listed_as("ledger", "資産名", names) == ["asset"]
    assert variants.listed_as("ledger", "Ｃ", names) == ["confidentiality"]
    assert "frequency" in variants.listed_as("threats", "対策なしの発生頻度", names)


def test_variants_give_the_canonical_values_or_a_warning(evaluated, capsys):
    results = evaluated["results"]
    assert len(results) == COUNT and (COUNT >= 300 or "RISKSHEET_VARIANTS" in os.environ)
    assert {r["base"] for r in results} == {"ipa3", "ipa21"}
    # Every variant went through fill (a record each) and every edit kind was tried.
    assert all(r["fill"] is not None for r in results)
    assert {e[0] for r in results for e in r["edits"]} == set(variants.EDITS)
    # About half the variants have a held-out, harder or ambiguity edit; reword_unseen comes as
    # often as reword_header.
    new = [r for r in results if {e[0] for e in r["edits"]} & set(variants.NEW_KINDS)]
    assert 0.4 <= len(new) / len(results) <= 0.75
    count = lambda k: sum(any(e[0] == k for e in r["edits"]) for r in results)  # noqa: E731
    assert abs(count("reword_unseen") - count("reword_header")) <= max(10, 0.5 * count("reword_header"))
    wrong = [r for r in results if r["cls"] == "wrong"]
    with capsys.disabled():
        print(f"\nvariants (seed {SEED}):\n{variants.table(results)}")
    assert len(wrong) == 0, f"{len(wrong)} of {len(results)} variants give wrong values (seed {SEED}):\n" + "\n".join(
        variants.describe(r) for r in wrong)


def _text(v):
    """A cached value as LibreOffice's CSV shows it (numbers in the General format)."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


def _shows(text, v):
    """Whether LibreOffice's text is the cached value: rates are shown as percentages, rounded
    to the digits the cell's format shows."""
    if text.endswith("%") and isinstance(v, (int, float)):
        digits = len(text[:-1].partition(".")[2])
        return abs(float(text[:-1]) / 100 - v) <= 0.5 * 10 ** -(digits + 2) + 1e-12
    return text == _text(v)


def test_libreoffice_computes_what_risksheet_cached(evaluated, risksheet_bin, need_lo):
    """Filled variants of different layouts, in one LibreOffice run (recalculation forced): every
    formula cell of the ledger, 脅威の状況 and 診断結果 shows the value risksheet cached."""
    exact = [r for r in evaluated["results"] if r["cls"] == "exact"]
    # Spread over both bases and as many edit kinds as possible.
    sample, seen = [], set()
    for r in sorted(exact, key=lambda r: -len({e[0] for e in r["edits"]} - seen)):
        if len(sample) < LO_SAMPLE and {e[0] for e in r["edits"]} - seen:
            sample.append(r)
            seen |= {e[0] for e in r["edits"]}
    sample += [r for r in exact if r not in sample][:LO_SAMPLE - len(sample)]
    assert len(sample) >= min(LO_SAMPLE, len(exact)) and sample, "no exact variant to check"
    files = {r["stem"]: evaluated["dir"] / "filled" / f"{r['stem']}.xlsx" for r in sample}
    shown = lo.sheets(files.values(), "recalc")
    checked = 0
    for stem, path in files.items():
        layout = evaluated["analyses"][stem]["layout"]
        names = [layout["sheets"][k] for k in ("ledger", "threats", "result") if layout["sheets"].get(k)]
        grids = shown[path]
        assert layout["sheets"]["ledger"] in grids, f"{stem}: LibreOffice did not open it"
        for sheet, c in json.loads(run(risksheet_bin, "get", path, *names, "--json").stdout):
            if c["formula"] is None:
                continue
            shown_text = lo.cell(grids[sheet], c["row"], c["col"])
            assert _shows(shown_text, c["value"]), f"{stem} {sheet}!{c['address']}: ={c['formula']}: LibreOffice {shown_text!r}, cached {c['value']!r}"
            checked += 1
    assert checked > 50 * len(files)
