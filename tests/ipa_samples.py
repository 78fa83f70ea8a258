"""Sample IPA workbooks for tests and benchmarks: the worked example of domain.md §2.2 in a
layout a user made."""
import xlsxgen

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


def user_ledger(path, repeat=1, own_summary=False, note_below_result=False):
    """An ipa-2.1 workbook as a user edited it: title moved down, a リスク所有者 column added, the
    ledger tab renamed, 社内サーバ without ー, a full-width ２, ○ for 有, 12–13 missing on 診断結果.
    `repeat` copies the eight example assets that many times (for benchmarks); `own_summary` adds
    the user's own sheet named 「集計」, `note_below_result` a note under the 診断結果 table."""
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
    for k, (name, medium, c, i_, a, my, _) in enumerate(EXAMPLE * repeat):
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
    if note_below_result:
        res[(16, 1)] = "備考：この表は年1回見直す"
    sheets = [("台帳(本社)", led, merges), ("脅威の状況", thr, tm), ("対策状況チェック", chk, cm), ("診断結果", res, [])]
    if own_summary:
        sheets.append(("集計", {(1, 1): "部署別の件数", (2, 1): "総務", (2, 2): 3}, []))
    xlsxgen.write(path, sheets)


# An ipa-3 ledger as a user made it (1–3 scale, 特定個人情報, tabs renamed, header moved up), with
# an independent oracle of the rules of domain.md §2.1 and §4 to check the results against.
IPA3_ASSETS = [  # name, medium as typed, C, I, A, personal (個人情報 column)
    ("社員名簿", "事務所PC", 1, 2, 3, None),
    ("見積書", "書類", 2, 1, 1, None),
    ("顧客リスト", "クラウド", 2, 2, 1, "○"),
    ("設計図面", "書類", "３", 2, 2, None),
    ("受注データ", "社内サーバ", 2, 2, 2, None),
    ("営業資料", "モバイル機器", 1, 1, 1, None),
    ("バックアップ", "可搬電子媒体", 3, 3, 3, None),
]
IPA3_THREATS = [("書類", [2, 1]), ("可搬電子媒体", [1, 1]), ("事務所PC", [3, 2]), ("モバイル機器", [1]),
                ("社内サーバー", [3, 1]), ("クラウド", [2, 2])]
IPA3_GROUPS = [  # label as the user wrote it, profile id, answers
    ("(1) 組織的対策", "organizational", [1, 2, 3, 1]), ("(2) 人的対策", "human", [3, 3, 3]),
    ("(3) 情報資産管理", "asset", [3] * 7), ("(4) アクセス制御及び認証", "access", [1] * 5),
    ("(5) 物理的対策", "physical", [3, 3, 3, 3]), ("(6) IT機器利用", "it-device", [1] * 10),
    ("(7) IT基盤運用管理", "it-infra", [1, 1, 1, 1, 1, 2, 2, 2, 3, 4]), ("(8) システム開発及び保守", "development", [4, 4, 4]),
    ("(9) 委託管理", "outsourcing", [1, 2, 2]), ("(10) 情報セキュリティインシデント対応ならびに事業継続管理", "incident", [2, 2, 2]),
    ("(11) 個人番号及び特定個人情報の取扱い", "mynumber", [1, 1, 1]),
]
MEDIA_GROUPS = {"書類": ["human", "asset", "physical"], "可搬電子媒体": ["asset", "physical", "it-device"],
                "事務所PC": ["asset", "it-device", "it-infra"], "モバイル機器": ["asset", "it-device"],
                "社内サーバー": ["asset", "access", "it-infra"], "クラウド": ["asset", "access", "it-infra"]}
CANON = {"社内サーバ": "社内サーバー"}
THREAT_LABEL = {3: T3, 2: T2, 1: T1}
ANSWER_LABEL = {1: A1, 2: A2, 3: A3, 4: A4}


def ipa3_oracle():
    """Expected (importance, threat, vulnerability, likelihood, risk, band) per asset."""
    weights = {1: 1.0, 2: 0.5, 3: 0.0}
    answers = {gid: a for _, gid, a in IPA3_GROUPS}
    out = []
    for name, medium, c, i, a, pi in IPA3_ASSETS:
        medium = CANON.get(medium, medium)
        cia = [int(str(x).translate(str.maketrans("０１２３", "0123"))) for x in (c, i, a)]
        imp = max(cia + ([3] if pi else []))
        t = max(dict(IPA3_THREATS)[medium])
        pooled = [x for g in MEDIA_GROUPS[medium] for x in answers[g] if x in weights]
        rate = sum(weights[x] for x in pooled) / len(pooled)
        v = 1 if rate == 1 else 3 if rate == 0 else 2
        lik = max(1, t + v - 3)
        risk = imp * lik
        band = "リスク大" if risk >= 6 else "リスク中" if risk >= 4 else "リスク小"
        out.append((name, imp, t, v, lik, risk, band))
    return out


def ipa3_user_ledger(path, formula_input=False, without_threats=False):
    """The ipa-3 user ledger; `formula_input` puts an uncomputed formula in a C cell,
    `without_threats` drops 脅威の状況 and adds a how-to sheet whose prose mentions 発生頻度."""
    head = ["業務分類", "情報資産名称", "備考", "利用者範囲", "管理部署", "リスク所有者", "媒体・保存先", "個人情報の種類", None, None,
            "評価値", None, None, None, "保存期限", "登録日", "現状から想定されるリスク（入力不要・自動表示）"]
    fields = [None] * 7 + ["個人情報", "要配慮個人情報", "特定個人情報", "機密性", "完全性", "可用性", "重要度", None, None,
                           "脅威の発生頻度", "脆弱性", "被害発生可能性", None, "リスク値"]
    led = {(1, 1): "情報資産管理台帳（2024年度）"}
    for i, v in enumerate(head, 1):
        if v:
            led[(2, i)] = v
    for i, v in enumerate(fields, 1):
        if v:
            led[(3, i)] = v
    for k, (name, medium, c, i_, a, pi) in enumerate(IPA3_ASSETS):
        r = 4 + k
        led.update({(r, 1): "本社", (r, 2): name, (r, 7): medium, (r, 11): c, (r, 12): i_, (r, 13): a})
        if formula_input and k == 1:
            led[(r, 11)] = "=1+1"
        if pi:
            led[(r, 8)] = pi
    merges = ["H2:J2", "K2:N2", "Q2:V2", "S3:T3", "U3:V3"] + [f"{x}2:{x}3" for x in "ABCDEFGOP"]
    thr = {(1, 1): "脅威の状況", (2, 1): "媒体・保存先", (2, 2): "個別の脅威", (2, 3): "対策を講じない場合の脅威の発生頻度", (2, 4): "対策状況"}
    r, tm = 3, []
    for medium, freqs in IPA3_THREATS:
        tm += [f"A{r}:A{r + len(freqs) - 1}", f"D{r}:D{r + len(freqs) - 1}"]
        thr[(r, 1)] = medium
        for f in freqs:
            thr.update({(r, 2): f"{medium}の脅威", (r, 3): THREAT_LABEL[f]})
            r += 1
    chk = {(1, 1): "対策状況チェック", (2, 1): "No", (2, 2): "対策の種類", (2, 3): "情報セキュリティ診断項目", (2, 4): "回答値"}
    r, cm, n = 3, [], 1
    for label, _, answers in IPA3_GROUPS:
        cm.append(f"B{r}:B{r + len(answers) - 1}")
        chk[(r, 2)] = label
        for a in answers:
            chk.update({(r, 1): n, (r, 3): f"項目{n}", (r, 4): ANSWER_LABEL[a] if a != 2 else 2})
            r, n = r + 1, n + 1
    sheets = [("資産台帳2024", led, merges), ("脅威一覧", thr, tm), ("チェック", chk, cm)]
    if without_threats:
        howto = {(1, 1): "使い方", (3, 1): "脅威の発生頻度は「脅威の状況」シートで選びます。", (4, 1): "対策を講じない場合の脅威の発生頻度を選ぶ"}
        sheets = [("使い方", howto, [])] + [x for x in sheets if x[0] != "脅威一覧"]
    xlsxgen.write(path, sheets)
