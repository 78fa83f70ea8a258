"""Realistic variants of the IPA workbooks, as companies edit them, for the variant test.

Each base workbook (the shipped ipa-3 example ledger, and an ipa-2.1 ledger made from `risksheet new`
with the worked example of domain.md §2.2 typed in) is read into a small model that keeps only what
a person types: ledger inputs and headers, threat frequencies, checklist answers, the chapters of
診断結果 and the other sheets as they are. `make_variant` applies 1–4 random edits of the kinds in
EDITS. Most edits change how the workbook looks, never what it means (same assets with the same
inputs, same frequencies, same answers), so `fill` must give the canonical workbook's values, or
leave a value out and say what needs a person; a differing value is always wrong.

The kinds, in three families:
- the first catalogue: reworded headers (REWORD, wordings that mostly overlap the profiles' own
  variants), notes, inserted/deleted/reordered columns, moved tables, header shapes, renamed and
  reordered tabs, answers and frequencies in other forms;
- held out and harder: `reword_unseen` uses HELD_OUT, wordings no profile lists (checked by
  `check_held_out`), at the rate of `reword_header`; `blank_rows`, `notes_above`, `side_table`,
  `group_as_section_rows`, `english_sheet`, `extra_copy_sheet` (an older ledger after the real one)
  and `header_typo`;
- ambiguity (`ambiguous_duplicate`: two columns headed alike with different values;
  `ambiguous_medium`: the medium header gone and the media in a company's own words), and held-out
  wordings a person could hesitate over: a missing value counts only with a warning that names
  the field (its header texts) or a cell of its column; the canonical values are accepted too.

Also a command for iterating on the layout inference:

    python3 tests/variants.py --count 300 --seed 1 --bin target/debug/risksheet --keep DIR [--all]

prints the pass table and each wrong variant with its edits and first differing value (with
--all also each warned variant with its first warning).
"""
import argparse
import copy
import json
import random
import re
import subprocess
import sys
import tempfile
import tomllib
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import xlsxgen  # noqa: E402
from ipa_samples import EXAMPLE, GROUPS as EXAMPLE_GROUPS  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

T_LABEL = {3: "3:通常の状態で発生する（いつ発生してもおかしくない）", 2: "2:特定の状況で発生する（年に数回程度）",
           1: "1:通常の状態では発生しない（数年に1回未満）"}
A_LABEL = {1: "1:実施している", 2: "2:一部実施している", 3: "3:実施していない／わからない", 4: "4:自社には該当しない"}
FW = str.maketrans("0123456789", "０１２３４５６７８９")
RISK_GROUP = "現状から想定されるリスク（入力不要・自動表示）"

# The IPA ledger columns (domain.md §2): key, group, label, computed, width (likelihood and risk
# are a number and a label under one header).
LEDGER = [("business", None, "業務分類", False, 1), ("asset", None, "情報資産名称", False, 1), ("note", None, "備考", False, 1),
          ("users", None, "利用者範囲", False, 1), ("owner", None, "管理部署", False, 1), ("medium", None, "媒体・保存先", False, 1),
          ("personal", "個人情報の種類", "個人情報", False, 1), ("sensitive", "個人情報の種類", "要配慮個人情報", False, 1),
          ("mynumber", "個人情報の種類", "マイナンバー", False, 1),
          ("c", "評価値", "機密性", False, 1), ("i", "評価値", "完全性", False, 1), ("a", "評価値", "可用性", False, 1),
          ("importance", "評価値", "重要度", True, 1), ("retention", None, "保存期限", False, 1), ("registered", None, "登録日", False, 1),
          ("threat", RISK_GROUP, "脅威の発生頻度", True, 1), ("vulnerability", RISK_GROUP, "脆弱性", True, 1),
          ("likelihood", RISK_GROUP, "被害発生可能性", True, 2), ("risk", RISK_GROUP, "リスク値", True, 2)]
FLAGS = ("personal", "sensitive", "mynumber")
CIA = ("c", "i", "a")

# Plausible wordings a company uses instead of the template's (some are not in the profiles: the
# point is to see whether fill finds them, warns, or reads the wrong column).
REWORD = {
    ("ledger", "asset"): ["資産名", "情報資産", "資産の名称", "Asset name", "情報資産名"],
    ("ledger", "medium"): ["保管媒体", "保存場所", "媒体", "記録媒体・保存場所", "媒体・保管先"],
    ("ledger", "c"): ["機密性(C)", "C:機密性", "機密性（Confidentiality）", "C"],
    ("ledger", "i"): ["完全性(I)", "I:完全性", "完全性（Integrity）", "I"],
    ("ledger", "a"): ["可用性(A)", "A:可用性", "可用性（Availability）", "A"],
    ("ledger", "business"): ["業務", "業務区分", "部門業務"],
    ("ledger", "owner"): ["管理部門", "管理者", "主管部署"],
    ("ledger", "users"): ["利用者", "利用範囲", "アクセス可能者"],
    ("ledger", "note"): ["説明", "内容", "メモ"],
    ("ledger", "personal"): ["個人情報有無", "個人情報の有無", "個人データ"],
    ("ledger", "mynumber"): ["特定個人情報", "個人番号", "マイナンバー（特定個人情報）"],
    ("ledger", "retention"): ["保管期限", "保存期間"],
    ("ledger", "registered"): ["登録年月日", "作成日"],
    ("threats", "frequency"): ["発生頻度", "脅威の頻度", "脅威の発生頻度", "頻度（対策なしの場合）"],
    ("threats", "medium"): ["媒体", "媒体・保管先", "保存先"],
    ("threats", "threat"): ["脅威", "想定される脅威", "脅威の内容"],
    ("checklist", "answer"): ["回答", "回答欄", "実施状況", "チェック"],
    ("checklist", "group"): ["分類", "カテゴリ", "対策区分"],
    ("checklist", "item"): ["診断項目", "チェック項目", "質問"],
}
NOTES = ["（必須）", "※1", "(入力)", "\n（プルダウンで選択）", "\n※記入してください"]
EXTRA_COLUMNS = ["リスク所有者", "更新日", "担当者", "保管場所の詳細", "確認者"]
TAB_NAMES = {"ledger": ["資産台帳", "情報資産一覧", "台帳", "Sheet1", "情報資産管理台帳（2024年度）"],
             "checklist": ["チェックシート", "対策チェック", "チェック表"],
             "threats": ["脅威", "脅威一覧"], "result": ["結果", "ポリシー選定"]}
ANSWER_FORMS = {
    "label": A_LABEL,
    "digit": {1: 1, 2: 2, 3: 3, 4: 4},
    "fullwidth": {k: str(k).translate(FW) for k in range(1, 5)},
    "word": {1: "実施している", 2: "一部実施している", 3: "実施していない", 4: "該当しない"},
    "mark": {1: "○", 2: "△", 3: "×", 4: "該当しない"},
}
FREQ_FORMS = {
    "label": T_LABEL,
    "digit": {k: k for k in (1, 2, 3)},
    "fullwidth": {k: str(k).translate(FW) for k in (1, 2, 3)},
    "label_fullwidth": {k: str(k).translate(FW) + "：" + v[2:] for k, v in T_LABEL.items()},
}
# Group numbers in each edition, by a word of the group's name: (ipa-2.1, ipa-3).
GROUP_NUMBERS = [("組織的", 1, 1), ("人的", 2, 2), ("情報資産管理", 3, 3), ("マイナンバー", 4, 11), ("個人番号", 4, 11),
                 ("アクセス", 5, 4), ("物理的", 6, 5), ("IT機器", 7, 6), ("IT基盤", 8, 7), ("開発", 9, 8), ("委託", 10, 9),
                 ("インシデント", 11, 10)]


@dataclass
class Col:
    key: str
    group: str | None
    label: str
    computed: bool = False
    width: int = 1
    values: list = field(default_factory=list)
    same_as: str | None = None  # a duplicate column: headed as that column is when written


@dataclass
class Table:
    """A titled table: title and note rows, header row, data; offset moves all of it."""
    title: str
    note: str | None
    headers: dict  # key -> label
    order: list  # column keys, left to right
    dr: int = 0
    dc: int = 0
    pre: list = field(default_factory=list)  # explanatory lines between the title and the header: (text, column key or None)


@dataclass
class Book:
    base: str
    tabs: list  # [(role, name)] in tab order
    others: dict  # role -> (cells, merges) of sheets kept as they are
    ledger: Table = None
    blocks: list = None  # [[Col]] : one header block (a group or a single column) each
    header_mode: str = "ipa"  # ipa | split_top | split_bottom | one_row
    flag_form: str = "有"
    cia_form: str = "number"
    medium_form: str = "社内サーバー"
    threats: Table = None
    media: list = None  # [(medium, [(threat text, frequency)])]
    medium_mode: str = "merged"  # merged | every | once
    freq_form: str = "label"
    checklist: Table = None
    groups: list = None  # [(number, name, [(item, answer)])]
    extra_check: dict = None  # key -> values per item, for inserted checklist columns
    group_mode: str = "merged"
    group_style: str = "paren"  # paren | dot | name | fullwidth
    group_numbers: str = "own"  # own | other (the other edition's numbering)
    answer_form: str = "label"
    result: Table = None
    chapters: list = None  # [(label, need)]
    group_labels: dict = field(default_factory=dict)  # ledger group → the label shown (english_sheet)
    ledger_blanks: list = field(default_factory=list)  # blank rows before these asset indices
    check_blanks: list = field(default_factory=list)  # blank rows before these item indices
    threat_blanks: list = field(default_factory=list)  # blank rows before these media
    section_rows: bool = False  # checklist groups as rows of their own in the item column
    side: list = field(default_factory=list)  # [(role, kind, row offset from the header)]
    copy: dict = None  # an older copy of the ledger after it: {name, title}
    expect: list = field(default_factory=list)  # [(edit kind, role, [field keys])]: a warning naming them, or the canonical values


# ---------------------------------------------------------------- reading the bases

def _cli(exe, *args):
    p = subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True)
    if p.returncode not in (0, 3):
        raise RuntimeError(f"risksheet {' '.join(map(str, args))}: {p.stderr}")
    return p.stdout


def _grids(exe, path):
    """{sheet: ({(row, col): value} of typed cells, [merge refs])}: formulas and their results dropped."""
    info = json.loads(_cli(exe, "inspect", path, "--json"))
    names = [s["name"] for s in info["sheets"]]
    cells = {n: {} for n in names}
    for sheet, c in json.loads(_cli(exe, "get", path, *names, "--json")):
        v = c["value"]
        if c["formula"] is None and v not in (None, ""):
            cells[sheet][(c["row"], c["col"])] = int(v) if isinstance(v, float) and v.is_integer() else v
    z = zipfile.ZipFile(path)
    return {s["name"]: (cells[s["name"]], re.findall(r'<mergeCell ref="([A-Z0-9:]+)"', z.read(s["part"]).decode()))
            for s in info["sheets"]}


def _digit(v):
    return int(str(v).strip().translate(str.maketrans("０１２３４", "01234"))[0])


def _read(exe, path, base, roles):
    """The model of a workbook in the template's layout (title row 1, header row 3 or 4)."""
    g = _grids(exe, path)
    book = Book(base=base, tabs=[(roles.get(n, "other:" + n), n) for n in g], others={})
    for role, name in book.tabs:
        if role.startswith("other:"):
            book.others[role] = g[name]
    led, _ = g[roles_inv(roles)["ledger"]]
    assert [led.get((4, k + 1)) or led.get((3, k + 1)) for k in range(15)][:2] == ["業務分類", "情報資産名称"], "not the template ledger"
    n = 0
    while led.get((5 + n, 2)):
        n += 1
    cols, c = [], 1
    for key, group, label, computed, width in LEDGER:
        vals = [] if computed else [led.get((5 + r, c)) for r in range(n)]
        cols.append(Col(key, group, label, computed, width, vals))
        c += width
    blocks = []
    for col in cols:
        if blocks and col.group and blocks[-1][0].group == col.group:
            blocks[-1].append(col)
        else:
            blocks.append([col])
    book.blocks = blocks
    book.ledger = Table(led[(1, 1)], led.get((2, 1)), {}, [])
    thr, _ = g[roles_inv(roles)["threats"]]
    book.threats = Table(thr[(1, 1)], thr.get((2, 1)), {k: thr[(4, i + 1)] for i, k in enumerate(["medium", "threat", "frequency", "status"])},
                         ["medium", "threat", "frequency", "status"])
    media, r = [], 5
    while thr.get((r, 2)):
        if thr.get((r, 1)):
            media.append((thr[(r, 1)], []))
        media[-1][1].append((thr[(r, 2)], _digit(thr[(r, 3)]) if thr.get((r, 3)) else None))
        r += 1
    book.media = media
    chk, _ = g[roles_inv(roles)["checklist"]]
    book.checklist = Table(chk[(1, 1)], chk.get((2, 1)), {k: chk[(4, i + 1)] for i, k in enumerate(["no", "group", "item", "answer"])},
                           ["no", "group", "item", "answer"])
    groups, r = [], 5
    while chk.get((r, 3)):
        if chk.get((r, 2)):
            m = re.match(r"\((\d+)\)\s*(.*)", chk[(r, 2)])
            groups.append((int(m.group(1)), m.group(2), []))
        groups[-1][2].append((chk[(r, 3)], _digit(chk[(r, 4)]) if chk.get((r, 4)) else None))
        r += 1
    book.groups, book.extra_check = groups, {}
    res, _ = g[roles_inv(roles)["result"]]
    book.result = Table(res[(1, 1)], res.get((2, 1)), {k: res[(4, i + 1)] for i, k in enumerate(["chapter", "need", "rate", "decision"])},
                        ["chapter", "need", "rate", "decision"])
    chapters, r = [], 5
    while res.get((r, 1)):
        chapters.append((res[(r, 1)], res.get((r, 2))))
        r += 1
    book.chapters = chapters
    # fill's own sheet is output, not something a person typed.
    book.tabs = [(role, n) for role, n in book.tabs if n != "集計"]
    book.others.pop("other:集計", None)
    return book


# The company facts the shipped example answers in its 会社の状況 block, which the variants do not
# carry: given on the command line, so every variant and both canonicals decide the same chapters.
FACTS = ["development=いいえ", "outsourcing=はい", "employees=12", "contractor_secrets=はい", "telework=はい"]


def roles_inv(roles):
    return {v: k for k, v in roles.items()}


def load_bases(exe, workdir):
    """{'ipa3': Book, 'ipa21': Book}."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    roles = {"情報資産管理台帳": "ledger", "脅威の状況": "threats", "対策状況チェック": "checklist", "診断結果": "result"}
    ipa3 = _read(exe, ROOT / "workbooks/example-ipa-3.xlsx", "ipa3", roles)
    # ipa-2.1: the fresh template with domain.md §2.2's assets, frequencies whose maximum per
    # medium is the worked example's, and the answers of tests/ipa_samples.py.
    tmpl = workdir / "ipa-2.1-template.xlsx"
    _cli(exe, "new", tmpl, "--edition", "ipa-2.1", "--force")
    ipa21 = _read(exe, tmpl, "ipa21", roles)
    canon = {"社内サーバ": "社内サーバー"}
    rows = []
    for name, medium, c, i, a, my, _ in EXAMPLE:
        rows.append({"business": "総務", "asset": name, "users": "社員", "owner": "総務部", "medium": canon.get(medium, medium),
                     "mynumber": "有" if my else None, "c": _digit(c), "i": i, "a": a})
    for block in ipa21.blocks:
        for col in block:
            if not col.computed:
                col.values = [r.get(col.key) for r in rows]
    freqs = {"書類": [2, 1, 2, 1], "可搬電子媒体": [1, 1, 1, 1], "事務所PC": [3, 2, 1, 2, 2], "モバイル機器": [1, 1, 1],
             "社内サーバー": [3, 1, 2], "クラウド": [3, 2]}
    ipa21.media = [(m, [(t, f) for (t, _), f in zip(ts, freqs[m], strict=True)]) for m, ts in ipa21.media]
    answers = [_digit(a) for _, ans in EXAMPLE_GROUPS for a in ans]
    it = iter(answers)
    ipa21.groups = [(n, name, [(item, next(it)) for item, _ in items]) for n, name, items in ipa21.groups]
    assert next(it, None) is None
    return {"ipa3": ipa3, "ipa21": ipa21}


def ipa21_oracle():
    """domain.md §2.2: (name, importance, likelihood, risk, band) per asset of the ipa-2.1 base."""
    return [(e[0], *e[6]) for e in EXAMPLE]


# ---------------------------------------------------------------- edits

def _cols(book):
    return [c for b in book.blocks for c in b]


def _col(book, key):
    return next((c for c in _cols(book) if c.key == key), None)


def e_reword_header(rng, book):
    options = [(t, k) for (t, k) in REWORD if t != "ledger" or _col(book, k)]
    t, k = rng.choice(options)
    new = rng.choice(REWORD[(t, k)])
    if t == "ledger":
        _col(book, k).label = new
    else:
        getattr(book, t).headers[k] = new
    return f"{t}.{k}→{new!r}"


def e_add_note(rng, book):
    note = rng.choice(NOTES)
    if rng.random() < 0.7:
        col = rng.choice([c for c in _cols(book) if not c.computed])
        col.label += note
        return f"ledger.{col.key}+{note!r}"
    t, k = rng.choice([("threats", "frequency"), ("checklist", "answer"), ("checklist", "item")])
    getattr(book, t).headers[k] += note
    return f"{t}.{k}+{note!r}"


def e_insert_column(rng, book):
    label = rng.choice(EXTRA_COLUMNS)
    if rng.random() < 0.75:
        n = len(book.blocks[0][0].values)
        vals = [rng.choice(["総務部長", "営業部長", "2024/4/1", "山田", None, "要確認"]) for _ in range(n)]
        pos = rng.randint(1, len(book.blocks))
        book.blocks.insert(pos, [Col("extra:" + label, None, label, False, 1, vals)])
        return f"ledger+{label!r}@block{pos}"
    label = rng.choice(["備考", "担当者", "確認日"])
    key = "extra:" + label
    pos = rng.randint(1, len(book.checklist.order))
    book.checklist.order.insert(pos, key)
    book.checklist.headers[key] = label
    book.extra_check[key] = [rng.choice(["", "総務", "来期対応", "済"]) for _ in range(sum(len(g[2]) for g in book.groups))]
    return f"checklist+{label!r}@{pos}"


def e_delete_column(rng, book):
    options = [("ledger", k) for k in ("note", "users", "retention", "registered") if _col(book, k)]
    if "no" in book.checklist.order:
        options.append(("checklist", "no"))
    t, k = rng.choice(options)
    if t == "ledger":
        book.blocks = [b for b in book.blocks if b[0].key != k]
    else:
        book.checklist.order.remove(k)
    return f"{t}-{k}"


def e_reorder_columns(rng, book):
    if rng.random() < 0.3:
        # C, I and A in another order inside 評価値 (重要度 stays last: it is their result).
        blk = next(b for b in book.blocks if b[0].key in CIA or b[0].group == "評価値")
        cia = [c for c in blk if c.key in CIA]
        rng.shuffle(cia)
        blk[:] = cia + [c for c in blk if c.key not in CIA]
        return "ledger CIA order " + "".join(c.key for c in cia)
    movable = [i for i, b in enumerate(book.blocks) if not all(c.computed for c in b)]
    i, j = rng.sample(movable, 2)
    book.blocks[i], book.blocks[j] = book.blocks[j], book.blocks[i]
    return f"ledger swap {book.blocks[j][0].key}<->{book.blocks[i][0].key}"


def e_move_table(rng, book):
    t = rng.choice(["ledger", "threats", "checklist", "result"])
    tab = getattr(book, t)
    tab.dr, tab.dc = rng.randint(0, 6), rng.randint(0, 3)
    if tab.dr == tab.dc == 0:
        tab.dr = 1
    return f"{t} +{tab.dr}r+{tab.dc}c"


def e_one_row_header(rng, book):
    book.header_mode = "one_row"
    return "ledger one-row header"


def e_split_header(rng, book):
    book.header_mode = rng.choice(["split_top", "split_bottom"])
    return f"ledger {book.header_mode}"


def e_rename_tab(rng, book):
    role = rng.choice(list(TAB_NAMES))
    taken = {n for _, n in book.tabs}
    new = rng.choice([n for n in TAB_NAMES[role] if n not in taken])
    book.tabs = [(r, new if r == role else n) for r, n in book.tabs]
    return f"tab {role}→{new!r}"


def e_reorder_tabs(rng, book):
    rng.shuffle(book.tabs)
    return "tabs " + ",".join(r.split(":")[-1] for r, _ in book.tabs)


def e_answer_forms(rng, book):
    book.answer_form = rng.choice(list(ANSWER_FORMS) + ["mixed"])
    return f"answers {book.answer_form}"


def e_frequency_forms(rng, book):
    book.freq_form = rng.choice(list(FREQ_FORMS) + ["mixed"])
    return f"frequencies {book.freq_form}"


def e_group_numbering(rng, book):
    book.group_style = rng.choice(["dot", "name", "fullwidth", "paren"])
    if book.group_style != "name" and rng.random() < 0.4:
        book.group_numbers = "other"
    return f"groups {book.group_style}/{book.group_numbers}"


def e_group_every_row(rng, book):
    mode = rng.choice(["every", "once"])
    if rng.random() < 0.6:
        book.group_mode = mode
        return f"checklist groups {mode}"
    book.medium_mode = mode
    return f"threats media {mode}"


def e_flag_forms(rng, book):
    book.flag_form = rng.choice(["○", "あり", "●", "有"])
    return f"flags {book.flag_form}"


def e_value_forms(rng, book):
    """C/I/A as full-width digits or numbers stored as text; 社内サーバ without ー."""
    book.cia_form = rng.choice(["fullwidth", "text"])
    book.medium_form = rng.choice(["社内サーバ", "社内サーバー"])
    return f"values cia={book.cia_form} medium={book.medium_form}"


# ---------------------------------------------------------------- held-out wordings and harder edits

# Header wordings a Japanese company or consultant writes that no profile lists (checked by
# `check_held_out` against data/profiles: not a name, variant or English text of any field of
# that table after normalisation, and not holding a `contains` key word). `True`: a person reads
# it as the field without hesitation, so fill must give the canonical values or say what it could
# not read. `False`: a person could hesitate (「秘匿性」 is not the IPA word, 「対策項目」 may be read as
# the item): fill must give the canonical values or a warning naming that field or its column.
HELD_OUT = {
    ("ledger", "asset"): [("情報資産の名前", True), ("保有情報", True), ("対象情報", True), ("情報の名称", True), ("Information held", True)],
    ("ledger", "medium"): [("保管形態", True), ("格納先", True), ("保存形態・場所", True), ("媒体／保管場所", True), ("記録先", True),
                           ("Storage location", True)],
    ("ledger", "c"): [("機密性（C）評価", True), ("C(機密性)", True), ("機密度", True), ("Confidentiality (C)", True), ("秘匿性", False)],
    ("ledger", "i"): [("完全性（I）評価", True), ("I(完全性)", True), ("Integrity (I)", True), ("正確性", False)],
    ("ledger", "a"): [("可用性（A）評価", True), ("A(可用性)", True), ("Availability (A)", True), ("稼働性", False)],
    ("ledger", "business"): [("業務の種類", True), ("所管業務", True), ("Business process", True)],
    ("ledger", "owner"): [("責任部署", True), ("所管部署", True), ("Responsible dept.", True)],
    ("ledger", "users"): [("アクセス権者", True), ("利用部門", True), ("Who uses it", True)],
    ("ledger", "note"): [("概要", True), ("補足", True), ("Remarks", True)],
    ("ledger", "personal"): [("個人情報を含む", True), ("個人情報含有", True)],
    ("ledger", "sensitive"): [("要配慮情報", True), ("センシティブ情報", True)],
    ("ledger", "mynumber"): [("マイナンバー含む", True), ("個人番号の有無", True)],
    ("ledger", "retention"): [("保管年限", True), ("廃棄予定", True)],
    ("ledger", "registered"): [("記載日", True), ("登録年月", True)],
    ("threats", "frequency"): [("頻度", True), ("発生の可能性（対策なし）", True), ("脅威の起こりやすさ", True), ("起こりやすさ（1〜3）", True),
                               ("Frequency", True)],
    ("threats", "medium"): [("保管形態", True), ("対象媒体", True), ("媒体の種類", True), ("Storage location", True)],
    ("threats", "threat"): [("脅威事象", True), ("想定脅威の内容", True), ("Threat scenario", True)],
    ("checklist", "answer"): [("回答（1〜4）", True), ("自己評価", True), ("実施状況（選択）", True), ("Answer (1-4)", True), ("対応", False)],
    ("checklist", "group"): [("対策区分名", True), ("大分類", True), ("Control area", True), ("対策項目", False)],
    ("checklist", "item"): [("確認内容", True), ("質問項目", True), ("Check question", True)],
}
# Profile header keys where ours differ.
PROFILE_FIELD = {("ledger", "c"): "confidentiality", ("ledger", "i"): "integrity", ("ledger", "a"): "availability"}


def _norm(s):
    """Simple normalisation: NFKC, case folded, without spaces, punctuation, symbols and ー."""
    s = unicodedata.normalize("NFKC", s).casefold()
    return "".join(ch for ch in s if not ch.isspace() and ch != "ー" and unicodedata.category(ch)[0] not in "PS")


def profile_names():
    """{(table, profile field): (set of normalised names, [normalised contains words])} over the
    ipa-2.1 and ipa-3 profiles' [headers]."""
    out = {}
    for name in ("ipa-2.1", "ipa-3"):
        with open(ROOT / "data/profiles" / f"{name}.toml", "rb") as f:
            data = tomllib.load(f)
        for table, fields in data.get("headers", {}).items():
            for key, h in fields.items():
                if not isinstance(h, dict):  # not a header (the stale-tab words)
                    continue
                names, contains = out.setdefault((table, key), (set(), []))
                names.update(_norm(n) for n in [h.get("text", ""), h.get("text_en", ""), *h.get("variants", [])] if n)
                contains.extend(_norm(w) for w in h.get("contains", []))
    return out


def listed_as(table, wording, names=None):
    """The profile fields of `table` whose names (or contains words) the wording is, after normalisation."""
    names = names or profile_names()
    n = _norm(wording)
    return [k for (t, k), (ns, contains) in names.items() if t == table and (n in ns or any(w and w in n for w in contains))]


def check_held_out():
    """Every held-out wording is held out: no profile lists it for any field of its table."""
    names = profile_names()
    for (table, key), wordings in HELD_OUT.items():
        assert (table, PROFILE_FIELD.get((table, key), key)) in names, (table, key)
        for w, _ in wordings:
            hit = listed_as(table, w, names)
            assert not hit, f"held-out wording {w!r} for {table}.{key} is listed in the profile as {table}.{hit}"


def _set_label(book, t, k, new):
    if t == "ledger":
        _col(book, k).label = new
    else:
        getattr(book, t).headers[k] = new


def _label(book, t, k):
    return _col(book, k).label if t == "ledger" else getattr(book, t).headers.get(k)


def e_reword_unseen(rng, book):
    options = [(t, k) for (t, k) in HELD_OUT if (_col(book, k) if t == "ledger" else k in getattr(book, t).order)]
    t, k = rng.choice(options)
    new, clear = rng.choice(HELD_OUT[(t, k)])
    _set_label(book, t, k, new)
    if not clear:
        book.expect.append(("reword_unseen", t, [k]))
    return f"{t}.{k}→{new!r}" + ("" if clear else " (unclear)")


# Typos: a character dropped, two swapped, or a homophone typed (IME conversions).
HOMOPHONES = {"性": "制", "密": "蜜", "管": "菅", "媒": "煤", "報": "法", "答": "当", "策": "作", "録": "緑"}


def e_header_typo(rng, book):
    names = profile_names()
    options = [("ledger", c.key) for c in _cols(book) if not c.computed and c.key in {x[0] for x in LEDGER} and c.label]
    options += [(t, k) for t, ks in (("threats", ("medium", "threat", "frequency")), ("checklist", ("group", "item", "answer")))
                for k in ks if k in getattr(book, t).order]
    for _ in range(20):
        t, k = rng.choice(options)
        old = _label(book, t, k)
        core = re.split(r"[（(\n※]", old)[0]
        rest = old[len(core):]
        if len(core) < 3:
            continue
        how = rng.choice(["drop", "swap", "homophone"])
        if how == "homophone" and not any(ch in HOMOPHONES for ch in core):
            how = "drop"
        if how == "drop":
            i = rng.randrange(len(core))
            new = core[:i] + core[i + 1:]
        elif how == "swap":
            i = rng.randrange(len(core) - 1)
            new = core[:i] + core[i + 1] + core[i] + core[i + 2:]
        else:
            i = rng.choice([i for i, ch in enumerate(core) if ch in HOMOPHONES])
            new = core[:i] + HOMOPHONES[core[i]] + core[i + 1:]
        # A typo that spells another field's name is not a typo of this one.
        other = [f for f in listed_as(t, new, names) if f != PROFILE_FIELD.get((t, k), k)]
        if new == core or other:
            continue
        _set_label(book, t, k, new + rest)
        return f"{t}.{k} {old!r}→{new + rest!r}"
    return "no typo"


def e_blank_rows(rng, book):
    n = len(book.blocks[0][0].values)
    where = rng.choice(["ledger", "checklist", "threats"])
    if where == "ledger":
        book.ledger_blanks = sorted(rng.sample(range(1, n), min(n - 1, rng.randint(1, 3))))
        return f"ledger blank rows before assets {book.ledger_blanks}"
    if where == "checklist":
        starts, k = [], 0
        for _, _, items in book.groups:
            starts.append(k)
            k += len(items)
        # Between groups mostly, inside one sometimes.
        picks = rng.sample(starts[1:], 2) + ([rng.randrange(1, k)] if rng.random() < 0.5 else [])
        book.check_blanks = sorted(set(picks))
        return f"checklist blank rows before items {book.check_blanks}"
    book.threat_blanks = sorted(rng.sample(range(1, len(book.media)), 2))
    return f"threats blank rows before media {book.threat_blanks}"


# Lines people write above a header, some with the header's own words in them.
NOTES_ABOVE = {
    "ledger": [("※媒体・保存先は一覧から選択してください。", None), ("※機密性・完全性・可用性は「重要度定義」を参照し評価値を入力", None),
               ("※個人情報を含む場合は「有」を選択", None), ("記入者：総務部　最終更新：2024年4月1日", None),
               ("↓一覧から選択", "medium"), ("評価値を入力", "c"), ("※必須", "asset")],
    "threats": [("※媒体ごとに、対策を講じない場合の発生頻度を選択してください。", None), ("頻度は1〜3で評価", "frequency"), ("脅威の例は「利用方法」参照", None)],
    "checklist": [("※各診断項目について、回答欄に1〜4を選択してください。", None), ("1:実施している 2:一部実施 3:実施していない 4:該当しない", None),
                  ("↓選択", "answer")],
}


def e_notes_above(rng, book):
    t = rng.choice(["ledger", "ledger", "threats", "checklist"])
    pool = NOTES_ABOVE[t]
    lines = rng.sample(pool, rng.randint(1, min(3, len(pool))))
    getattr(book, t).pre = lines
    return f"{t} notes above: " + " / ".join(text for text, _ in lines)


SIDE_TABLES = ["media", "criteria", "answers"]


def e_side_table(rng, book):
    kind = rng.choice(SIDE_TABLES)
    role = "checklist" if kind == "answers" else "ledger"
    book.side.append((role, kind, rng.choice([-2, 0, 0, 1])))
    return f"{role} side table {kind}"


def e_group_as_section_rows(rng, book):
    """Each group's label on a row of its own above its items, in the item column; no group column."""
    book.section_rows = True
    if "group" in book.checklist.order:
        book.checklist.order.remove("group")
    return "checklist groups as section rows"


ENGLISH = {
    "ledger": {"title": ["Information asset register"], "business": ["Business process", "Business area"], "asset": ["Asset", "Information asset name"],
               "note": ["Description"], "users": ["Users"], "owner": ["Owner department", "Owner"], "medium": ["Storage location", "Storage medium"],
               "personal": ["Personal info"], "sensitive": ["Sensitive personal info"], "mynumber": ["My Number"],
               "c": ["Confidentiality (C)", "Confidentiality"], "i": ["Integrity (I)", "Integrity"], "a": ["Availability (A)", "Availability"],
               "importance": ["Importance"], "retention": ["Retention period"], "registered": ["Date registered"],
               "threat": ["Threat level"], "vulnerability": ["Vulnerability"], "likelihood": ["Likelihood"], "risk": ["Risk value"],
               "group:個人情報の種類": ["Personal data"], "group:評価値": ["CIA rating"], f"group:{RISK_GROUP}": ["Current risk (automatic)"]},
    "threats": {"title": ["Threat assessment"], "medium": ["Storage location", "Medium"], "threat": ["Threat"],
                "frequency": ["Frequency (without controls)", "Likelihood of threat"], "status": ["Current controls"]},
    "checklist": {"title": ["Security self-check"], "no": ["No."], "group": ["Category", "Control area"], "item": ["Check item", "Question"],
                  "answer": ["Answer (1-4)", "Response"]},
}


def e_english_sheet(rng, book):
    t = rng.choice(["ledger", "threats", "checklist"])
    en = {k: rng.choice(v) for k, v in ENGLISH[t].items()}
    getattr(book, t).title = en["title"]
    if t == "ledger":
        for col in _cols(book):
            if col.key in en:
                col.label = en[col.key]
        book.group_labels = {g[6:]: v for g, v in en.items() if g.startswith("group:")}
    else:
        tab = getattr(book, t)
        tab.headers.update({k: v for k, v in en.items() if k in tab.headers})
    return f"{t} in English"


def e_extra_copy_sheet(rng, book):
    taken = {n for _, n in book.tabs}
    name = rng.choice([n for n in ["台帳（旧）", "2023年度", "情報資産管理台帳 (2)", "旧台帳"] if n not in taken])
    book.copy = {"name": name, "title": "情報資産管理台帳（2023年度版）"}
    return f"older ledger copy {name!r} after the ledger"


# Ambiguity: two columns headed the same with different values, or a header gone and its values
# written in a company's own words. A person must say which; fill must warn naming the field or
# its column, or give the canonical values.
FREE_MEDIA = {"書類": ["紙ファイル", "キャビネット"], "可搬電子媒体": ["USBメモリ", "外付けHDD"], "事務所PC": ["各自のノート", "共有端末"],
              "モバイル機器": ["スマホ", "タブレット"], "社内サーバー": ["NAS", "ファイル共有"], "クラウド": ["Google Drive", "kintone"]}


def e_ambiguous_duplicate(rng, book):
    key = rng.choice(["c", "i", "a", "medium"])
    orig = _col(book, key)
    if key == "medium":
        media = list(FREE_MEDIA)
        vals = [None if v is None else media[(media.index(v) + 1) % len(media)] if v in media else "書類" for v in orig.values]
    else:
        lo_, hi = (1, 3) if book.base == "ipa3" else (0, 2)
        vals = [None if v is None else (lo_ + (v - lo_ + 1) % (hi - lo_ + 1)) for v in orig.values]
    pos = rng.randint(1, len(book.blocks))
    book.blocks.insert(pos, [Col("dup:" + key, None, orig.label, False, 1, vals, same_as=key)])
    book.expect.append(("ambiguous_duplicate", "ledger", [key, "dup:" + key]))
    return f"ledger second {key!r} column with other values @block{pos}"


def e_ambiguous_medium(rng, book):
    col = _col(book, "medium")
    col.label = ""
    col.values = [None if v is None else rng.choice(FREE_MEDIA[v]) for v in col.values]
    book.expect.append(("ambiguous_medium", "ledger", ["medium"]))
    return "ledger medium header deleted, media in free text"


EDITS = {name[2:]: f for name, f in globals().items() if name.startswith("e_")}


def make_variant(rng, base, path):
    """Writes a variant of `base` (a Book) to `path`; returns (the list of (kind, description),
    the expected warnings: [{kind, sheet, names, columns}], where a warning must name one of the
    names, or a cell of one of the columns, unless fill gives the canonical values)."""
    book = copy.deepcopy(base)
    edits = []
    for kind in rng.sample(sorted(EDITS), rng.randint(1, 4)):
        edits.append((kind, EDITS[kind](rng, book)))
    where = write(book, path)
    expect = []
    for kind, role, keys in book.expect:
        sheet, at = where[role][0], where[role][1]
        names = set()
        for k in keys:
            k = k.removeprefix("dup:")
            names.update(profile_texts(role, PROFILE_FIELD.get((role, k), k)))
            label = _label(book, role, k)
            if label and (len(_norm(label)) >= 3 or not _norm(label).isascii() and len(_norm(label)) >= 2):
                names.add(label)
        own = keys[0]
        expect.append(dict(kind=kind, role=role, field=own, sheet=sheet, names=sorted(names),
                           own=xlsxgen.col_letters(at[own]) if own in at else None,
                           columns=sorted(xlsxgen.col_letters(at[k]) for k in keys if k in at)))
    return edits, expect


def profile_texts(table, key):
    """The Japanese and English header texts of a field in the ipa-2.1 profile."""
    with open(ROOT / "data/profiles/ipa-2.1.toml", "rb") as f:
        h = tomllib.load(f)["headers"][table][key]
    return [t for t in (h.get("text"), h.get("text_en")) if t]


# ---------------------------------------------------------------- writing

def _group_label(book, number, name):
    if book.group_numbers == "other":
        row = next((r for r in GROUP_NUMBERS if r[0] in name), None)
        if row:
            number = row[2] if book.base == "ipa21" else row[1]
    style = book.group_style
    if style == "paren":
        return f"({number}) {name}"
    if style == "dot":
        return f"{number}. {name}"
    if style == "fullwidth":
        return f"{str(number).translate(FW)}．{re.sub('的対策$', '的セキュリティ対策', name)}"
    return name


def _form(forms, form, v, rng):
    if v is None:
        return None
    if form == "mixed":
        form = rng.choice(list(forms))
    return forms[form][v]


def _pre_lines(t, r, c0, at, cells):
    """Writes a table's explanatory lines from row r; returns the row after them."""
    for text, key in t.pre:
        cells[(r, at.get(key, c0) if key else c0)] = text
        r += 1
    return r


SIDE_MEDIA = [("書類", "紙の契約書・帳票・印刷物"), ("可搬電子媒体", "USBメモリ、外付けHDD、DVD"), ("事務所PC", "社内のデスクトップ・ノートPC"),
              ("モバイル機器", "スマートフォン、タブレット"), ("社内サーバー", "ファイルサーバー、NAS"), ("クラウド", "クラウドサービス上のデータ")]
CRITERIA = {"機密性": ["公開されると事業に深刻な影響", "関係者以外に知られると影響がある", "公開してよい"],
            "完全性": ["改ざん・誤りで深刻な影響", "改ざん・誤りで影響がある", "影響は軽微"],
            "可用性": ["使えないと業務がすぐ止まる", "使えないと業務が遅れる", "使えなくても影響は小さい"]}


def _side_table(book, kind, row, col, cells):
    """A small table that is not the ledger (or checklist), beside it."""
    if kind == "media":
        cells[(row - 1, col)] = "【媒体・保存先の区分】"
        cells[(row, col)], cells[(row, col + 1)] = "媒体", "例"
        for k, (m, ex) in enumerate(SIDE_MEDIA):
            cells[(row + 1 + k, col)], cells[(row + 1 + k, col + 1)] = m, ex
    elif kind == "criteria":
        top = 3 if book.base == "ipa3" else 2
        cells[(row - 1, col)] = "評価基準"
        cells[(row, col)] = "評価値"
        for j, (name, texts) in enumerate(CRITERIA.items()):
            cells[(row, col + 1 + j)] = name
            for k, text in enumerate(texts):
                cells[(row + 1 + k, col)] = top - k
                cells[(row + 1 + k, col + 1 + j)] = text
    else:
        cells[(row - 1, col)] = "回答の目安"
        cells[(row, col)], cells[(row, col + 1)] = "回答値", "意味"
        for v, label in A_LABEL.items():
            cells[(row + v, col)], cells[(row + v, col + 1)] = v, label[2:]


def _ledger_cells(book, cells, merges):
    """Writes the ledger; returns {column key: column number} and the header rows."""
    t = book.ledger
    r0, c0 = 1 + t.dr, 1 + t.dc
    L = xlsxgen.col_letters
    cells[(r0, c0)] = t.title
    r = r0 + 1
    if t.note:
        cells[(r, c0)] = t.note
        merges.append(f"{L(c0)}{r}:{L(c0 + 11)}{r}")
        r += 1
    # Column of each key, for the notes above it.
    at, c = {}, c0
    for block in book.blocks:
        for col in block:
            at[col.key] = c
            c += col.width
    top = _pre_lines(t, r, c0, at, cells)
    bottom = top if book.header_mode == "one_row" else top + 1

    def row_of(k):
        return bottom + 1 + k + sum(1 for b in book.ledger_blanks if b <= k)

    c = c0
    for block in book.blocks:
        start = c
        for col in block:
            two_rows = book.header_mode == "ipa" and not col.group
            label_row = top if (not col.group and book.header_mode in ("ipa", "split_top")) else bottom
            label = _col(book, col.same_as).label if col.same_as else col.label
            cells[(label_row, c)] = label or None
            if two_rows or col.width > 1:
                merges.append(f"{L(c)}{label_row}:{L(c + col.width - 1)}{bottom if two_rows else label_row}")
            if not col.computed:
                for k, v in enumerate(col.values):
                    cells[(row_of(k), c)] = _ledger_value(book, col.key, v)
            c += col.width
        if block[0].group and book.header_mode != "one_row":
            cells[(top, start)] = book.group_labels.get(block[0].group, block[0].group)
            if c - 1 > start:
                merges.append(f"{L(start)}{top}:{L(c - 1)}{top}")
    for role, kind, dr in book.side:
        if role == "ledger":
            _side_table(book, kind, max(2, bottom + dr), c + 1, cells)
    return at, bottom


def _ledger_value(book, key, v):
    if v is None:
        return None
    key = key.removeprefix("dup:")
    if key in FLAGS:
        return book.flag_form
    if key in CIA:
        return {"number": v, "fullwidth": str(v).translate(FW), "text": str(v)}[book.cia_form]
    if key == "medium" and v == "社内サーバー":
        return book.medium_form
    return v


def _table_head(t, cells, merges):
    r0, c0 = 1 + t.dr, 1 + t.dc
    at = {k: c0 + i for i, k in enumerate(t.order)}
    cells[(r0, c0)] = t.title
    if t.note:
        cells[(r0 + 1, c0)] = t.note
        merges.append(f"{xlsxgen.col_letters(c0)}{r0 + 1}:{xlsxgen.col_letters(c0 + len(t.order) - 1)}{r0 + 1}")
    # Explanatory lines go in the blank row above the header, and push it down.
    head = max(r0 + 3, _pre_lines(t, r0 + 2, c0, at, cells))
    for i, k in enumerate(t.order):
        cells[(head, c0 + i)] = t.headers[k]
    return head + 1, at


def _span(merges, col, r1, r2):
    if r2 > r1:
        L = xlsxgen.col_letters(col)
        merges.append(f"{L}{r1}:{L}{r2}")


def _threat_cells(book, cells, merges, rng):
    r, at = _table_head(book.threats, cells, merges)
    for m, (medium, threats) in enumerate(book.media):
        if m in book.threat_blanks:
            r += 1
        first = r
        for k, (text, freq) in enumerate(threats):
            if k == 0 or book.medium_mode == "every":
                cells[(r, at["medium"])] = medium
            cells[(r, at["threat"])] = text
            cells[(r, at["frequency"])] = _form(FREQ_FORMS, book.freq_form, freq, rng)
            r += 1
        if book.medium_mode == "merged":
            _span(merges, at["medium"], first, r - 1)
            _span(merges, at["status"], first, r - 1)


def _check_cells(book, cells, merges, rng):
    r, at = _table_head(book.checklist, cells, merges)
    head, n = r - 1, 0
    for number, name, items in book.groups:
        if book.section_rows:
            cells[(r, at["item"])] = _group_label(book, number, name)
            r += 1
        # A blank row before a group's first item comes before its (merged) group cell.
        if n in book.check_blanks:
            r += 1
        first = r
        for k, (item, answer) in enumerate(items):
            if k and n in book.check_blanks:
                r += 1
            if "group" in at and (k == 0 or book.group_mode == "every"):
                cells[(r, at["group"])] = _group_label(book, number, name)
            if "no" in at:
                cells[(r, at["no"])] = n + 1
            cells[(r, at["item"])] = item
            cells[(r, at["answer"])] = _form(ANSWER_FORMS, book.answer_form, answer, rng)
            for key, vals in book.extra_check.items():
                cells[(r, at[key])] = vals[n] or None
            r, n = r + 1, n + 1
        if book.group_mode == "merged" and "group" in at:
            _span(merges, at["group"], first, r - 1)
    for role, kind, dr in book.side:
        if role == "checklist":
            _side_table(book, kind, max(2, head + dr), max(at.values()) + 2, cells)
    return at


def _result_cells(book, cells, merges):
    r, at = _table_head(book.result, cells, merges)
    for label, need in book.chapters:
        cells[(r, at["chapter"])] = label
        cells[(r, at["need"])] = need
        r += 1


def _older_copy(book):
    """The ledger as it was a year before: the last asset not yet there, other C/I/A and media."""
    old = copy.deepcopy(book)
    old.ledger.title = book.copy["title"]
    old.side = []
    media = list(FREE_MEDIA)
    for col in _cols(old):
        if col.computed:
            continue
        col.values = col.values[:-1]
        base_key = col.key.removeprefix("dup:")
        if base_key in CIA:
            lo_, hi = (1, 3) if book.base == "ipa3" else (0, 2)
            col.values = [None if v is None or k % 2 else (lo_ + (v - lo_ + 1) % (hi - lo_ + 1)) for k, v in enumerate(col.values)]
        elif base_key == "medium":
            col.values = [v if v is None or k % 3 else (media[(media.index(v) + 1) % len(media)] if v in media else v)
                          for k, v in enumerate(col.values)]
    return old


def write(book, path):
    """Writes the workbook; returns where things are: {"ledger": (sheet, {key: column}, header row),
    "checklist": (sheet, {key: column})}."""
    # Mixed forms are drawn per cell from a generator seeded by the file name, so a variant is
    # the same file whenever it is written.
    rng = random.Random(Path(path).name)
    sheets, where = [], {}
    for role, name in book.tabs:
        cells, merges = {}, []
        if role == "ledger":
            at, bottom = _ledger_cells(book, cells, merges)
            where["ledger"] = (name, at, bottom)
        elif role == "threats":
            _threat_cells(book, cells, merges, rng)
        elif role == "checklist":
            where["checklist"] = (name, _check_cells(book, cells, merges, rng))
        elif role == "result":
            _result_cells(book, cells, merges)
        else:
            cells, merges = book.others[role]
        assert all(r >= 1 and c >= 1 for r, c in cells), f"{name}: a cell outside the sheet"
        sheets.append((name, {k: v for k, v in cells.items() if v is not None}, merges))
        if role == "ledger" and book.copy:
            cells, merges = {}, []
            _ledger_cells(_older_copy(book), cells, merges)
            sheets.append((book.copy["name"], {k: v for k, v in cells.items() if v is not None}, merges))
    xlsxgen.write(path, sheets)
    return where


# ---------------------------------------------------------------- running and comparing

ASSET_FIELDS = ("importance", "threat", "vulnerability", "likelihood", "risk", "band")


def values(ipa):
    """The computed values of an `inspect --json` analysis, keyed so that a variant's table may
    sit anywhere: assets by position, groups by id, chapters by number."""
    out = {}
    if not ipa:
        return out
    for k, a in enumerate(ipa.get("assets") or []):
        # An empty name is a name not read (missing); another name is a mix-up (wrong).
        out[f"asset[{k}].name"] = a["name"] or None
        for f in ASSET_FIELDS:
            out[f"asset[{k}].{f}"] = a[f]
    for g in ipa.get("groups") or []:
        out[f"group {g['id']}.rate"] = g["rate"]
    for c in ipa.get("chapters") or []:
        # A chapter whose answers could not be read is "treated as needed, saying so" (domain.md
        # §5): undecided, like a missing value, not a decision to compare.
        undecided = c["selected"] and any("未回答" in r for r in c.get("reasons") or [])
        out[f"chapter {c['number']} {c['title']}.selected"] = None if undecided else c["selected"]
    return out


def _same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and abs(a - b) < 1e-9
    return a == b


def warning_texts(fill_record):
    """Everything fill said needs a person: the error and the warnings, as
    [(sheet or None, cell or None, text)]."""
    if not fill_record:
        return []
    out = [(None, None, fill_record["error"])] if fill_record.get("error") else []
    out += [(None, None, str(w)) for w in fill_record.get("warnings") or []]
    out += [(w.get("sheet"), w.get("cell"), f"{w.get('sheet')}!{w.get('cell')}: {w.get('message')}")
            for w in (fill_record.get("fill") or {}).get("warnings") or []]
    return out


def names_it(fill_record, exp):
    """Whether a warning names the expected field (its header texts) or a cell of its column."""
    for sheet, cell, text in warning_texts(fill_record):
        t = _norm(text)
        if any(_norm(n) in t for n in exp["names"]):
            return True
        m = re.match(r"([A-Z]+)\d+$", cell or "")
        if sheet == exp["sheet"] and m and m.group(1) in exp["columns"]:
            return True
    return False


def expectation_met(exp, fill_record, layout):
    """An expected warning is met by a warning naming the field or a cell of its column, by fill
    refusing the whole file (an error: nothing computed, nothing silently wrong), or by the field
    having been read from its own column (the filled workbook's layout says so)."""
    if fill_record is None or fill_record.get("error") or names_it(fill_record, exp):
        return True
    placed = ((layout or {}).get(exp["role"]) or {})
    return placed.get("sheet") == exp["sheet"] and exp["own"] is not None and (placed.get("columns") or {}).get(exp["field"]) == exp["own"]


def classify(canon, got, fill_record, expect=(), layout=None):
    """('exact' | 'warned' | 'wrong', [(key, expected, got)] differences). A value the variant
    lacks is acceptable only when fill said something needs a person (exit 3, or an error); for a
    variant with an expected warning (ambiguous columns, a wording a person could hesitate over),
    only when that expectation is met (`expectation_met`). A differing value is always wrong."""
    names = {k.split(".")[0]: v for k, v in canon.items() if k.endswith(".name")}
    diffs = []
    for k in sorted(set(canon) | set(got), key=_key_order):
        e, g = canon.get(k), got.get(k)
        if not _same(e, g):
            # Name the asset as the canonical has it, so that a report reads without the canonical.
            label = k.replace("].", f"] {names.get(k.split('.')[0], '?')}.", 1) if k.startswith("asset[") else k
            diffs.append((label, e, g))
    wrong = [d for d in diffs if d[2] is not None]
    flagged = fill_record is None or fill_record.get("status") in ("warnings", "failed")
    named = all(expectation_met(x, fill_record, layout) for x in expect)
    if wrong or (diffs and not (flagged and named)):
        return "wrong", diffs
    return ("warned" if diffs else "exact"), diffs


def _key_order(k):
    m = re.match(r"asset\[(\d+)\]", k)
    return (0, int(m.group(1)), k) if m else (1, 0, k)


def run_batch(exe, variants_dir, out_dir):
    """fill every workbook of the directory into out_dir, then inspect the outputs: two runs of
    the binary in all. Returns ({stem: fill record}, {stem: ipa analysis or None})."""
    facts = [a for f in FACTS for a in ("--fact", f)]
    p = subprocess.run([str(exe), "fill", str(variants_dir), "-o", str(out_dir), "--json", "--quiet", *facts], capture_output=True, text=True)
    fills = {}
    for line in p.stdout.splitlines():
        rec = json.loads(line)
        fills[Path(rec["file"]).stem] = rec
    outs = sorted(Path(out_dir).glob("*.xlsx"))
    analyses = {}
    if outs:
        p = subprocess.run([str(exe), "inspect", *map(str, outs), "--json", "--quiet"], capture_output=True, text=True)
        for line in p.stdout.splitlines():
            rec = json.loads(line)
            analyses[Path(rec["file"]).stem] = ((rec.get("inspect") or {}).get("ipa"))
    return fills, analyses


def generate(exe, workdir, count, seed):
    """Writes the canonical workbooks and `count` variants (alternating bases) under workdir.
    Returns (bases, [(stem, base key, edits, expected warnings)])."""
    check_held_out()
    workdir = Path(workdir)
    bases = load_bases(exe, workdir)
    vdir = workdir / "variants"
    # A kept directory from an earlier run must not leave old variants or outputs behind.
    for d in (vdir, workdir / "filled"):
        d.mkdir(parents=True, exist_ok=True)
        for old in d.glob("*.xlsx"):
            old.unlink()
    for key, book in bases.items():
        write(book, vdir / f"canonical-{key}.xlsx")
    rng = random.Random(seed)
    made = []
    for n in range(count):
        key = ("ipa3", "ipa21")[n % 2]
        stem = f"v{n:04d}-{key}"
        made.append((stem, key, *make_variant(rng, bases[key], vdir / f"{stem}.xlsx")))
    return bases, made


def evaluate(exe, workdir, count, seed):
    """Generates, fills and compares. Returns a dict with the canonical analyses, one result per
    variant (stem, base, edits, class, diffs, fill record) and the fill records."""
    workdir = Path(workdir)
    bases, made = generate(exe, workdir, count, seed)
    fills, analyses = run_batch(exe, workdir / "variants", workdir / "filled")
    canon = {key: analyses.get(f"canonical-{key}") for key in bases}
    results = []
    for stem, key, edits, expect in made:
        cls, diffs = classify(values(canon[key]), values(analyses.get(stem)), fills.get(stem), expect, (analyses.get(stem) or {}).get("layout"))
        results.append(dict(stem=stem, base=key, edits=edits, expect=expect, cls=cls, diffs=diffs, fill=fills.get(stem),
                            layout=(analyses.get(stem) or {}).get("layout")))
    return dict(canon=canon, results=results, fills=fills, analyses=analyses, dir=workdir)


# The kinds added to keep the test honest: wordings no profile lists, and harder layouts.
HELD_OUT_KINDS = ("reword_unseen",)
HARDER_KINDS = ("blank_rows", "notes_above", "side_table", "group_as_section_rows", "english_sheet", "extra_copy_sheet", "header_typo")
AMBIGUITY_KINDS = ("ambiguous_duplicate", "ambiguous_medium")
NEW_KINDS = HELD_OUT_KINDS + HARDER_KINDS + AMBIGUITY_KINDS


def table(results):
    """The pass table: overall and per edit kind (a variant counts under each of its kinds), and
    the variants with at least one of the held-out, harder or ambiguity kinds."""
    kinds = lambda r: {e[0] for e in r["edits"]}  # noqa: E731
    rows = [("all", results), ("(any new kind)", [r for r in results if kinds(r) & set(NEW_KINDS)]),
            ("(old kinds only)", [r for r in results if not kinds(r) & set(NEW_KINDS)])]
    rows += [(k, [r for r in results if k in kinds(r)]) for k in sorted(EDITS)]
    lines = [f"{'edit kind':<22} {'variants':>8} {'exact':>7} {'warned':>7} {'wrong':>7}  pass rate"]
    for name, rs in rows:
        n = len(rs)
        c = {x: sum(r["cls"] == x for r in rs) for x in ("exact", "warned", "wrong")}
        rate = f"{100 * c['exact'] / n:5.1f}%" if n else "   - "
        lines.append(f"{name:<22} {n:>8} {c['exact']:>7} {c['warned']:>7} {c['wrong']:>7}  {rate}")
    return "\n".join(lines)


def describe(r):
    """One variant: its edits; for a wrong one the first differing value (or, when only values are
    missing, why the warnings do not cover them); for a warned one the first warning."""
    fill = r["fill"] or {}
    wrong = [d for d in r["diffs"] if d[2] is not None]
    first = (wrong or r["diffs"] or [None])[0]
    warnings = [t for _, _, t in warning_texts(fill)]
    out = f"{r['stem']}.xlsx [{r['cls']}] " + " | ".join(f"{k}: {d}" for k, d in r["edits"])
    if first:
        what = "first differing value" if wrong else "first missing value"
        out += f"\n    {what}: {first[0]}: expected {first[1]!r}, got {first[2]!r} ({len(r['diffs'])} differences)"
    if r["cls"] == "wrong" and not wrong:
        unnamed = [x for x in r.get("expect") or [] if not expectation_met(x, r["fill"], r.get("layout"))]
        if unnamed:
            out += "\n    no warning names " + "; ".join(f"{x['kind']}: {'/'.join(x['names'])} or column {','.join(x['columns'])} of {x['sheet']}"
                                                    for x in unnamed)
        elif fill.get("status") not in ("warnings", "failed"):
            out += "\n    values missing without any warning"
    if warnings:
        out += f"\n    fill {fill.get('status')}: {warnings[0][:200]}" + (f" (+{len(warnings) - 1} more)" if len(warnings) > 1 else "")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--bin", default=str(ROOT / "target/debug/risksheet"))
    ap.add_argument("--keep", help="directory for the variants and filled files (default: a temporary one)")
    ap.add_argument("--all", action="store_true", help="list warned variants too")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(args.keep or tmp)
        ev = evaluate(args.bin, workdir, args.count, args.seed)
        print(f"seed {args.seed}, {args.count} variants, {args.bin}")
        print(table(ev["results"]))
        shown = [r for r in ev["results"] if r["cls"] == "wrong"] + [r for r in ev["results"] if args.all and r["cls"] == "warned"]
        for r in shown:
            print(describe(r).replace(f"{r['stem']}.xlsx", str(workdir / "variants" / f"{r['stem']}.xlsx"), 1))
        return 1 if any(r["cls"] == "wrong" for r in ev["results"]) else 0


if __name__ == "__main__":
    sys.exit(main())
