#!/usr/bin/env python3
"""Makes the workbooks shipped in workbooks/ with the risksheet CLI, deterministically:
the fresh templates (`new`) and an example ledger (template + a small company's answers + fill).

    python3 tests/make_workbooks.py [OUTDIR]      (default: workbooks/)

tests/test_workbooks.py runs it into a temporary folder and checks the shipped files are its output.
"""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ASSETS = [  # 業務分類, 情報資産名称, 利用者範囲, 管理部署, 媒体・保存先, 個人情報, 要配慮, マイナンバー, C, I, A
    ("総務", "社員名簿", "総務部", "総務部", "事務所PC", "有", None, None, 3, 2, 2),
    ("経理", "給与計算データ", "経理担当", "経理部", "社内サーバー", "有", None, "有", 3, 3, 2),
    ("営業", "顧客リスト", "営業部", "営業部", "クラウド", "有", None, None, 3, 2, 2),
    ("営業", "見積書控え", "営業部", "営業部", "書類", None, None, None, 2, 2, 1),
    ("開発", "製品設計図", "開発部", "開発部", "書類", None, None, None, 3, 2, 1),
    ("営業", "営業用ノートPCのデータ", "営業部", "営業部", "モバイル機器", "有", None, None, 2, 2, 2),
    ("広報", "製品カタログ", "全社員", "広報", "書類", None, None, None, 1, 1, 1),
    ("経理", "請求書の控え（USBメモリ）", "経理担当", "経理部", "可搬電子媒体", None, None, None, 2, 2, 1),
]
# 脅威の状況 rows 5–25: 書類 4, 可搬電子媒体 4, 事務所PC 5, モバイル機器 3, 社内サーバー 3, クラウド 2.
THREATS = [2, 1, 2, 2, 1, 1, 2, 1, 3, 2, 2, 2, 3, 3, 2, 2, 3, 2, 2, 3, 2]
# 対策状況チェック rows 5–59, 55 answers in the profile's group order.
ANSWERS = ([1, 1, 2, 3] + [1, 2, 3] + [1, 2, 2, 3, 1, 2, 3] + [1, 1, 2, 3, 2] + [2, 1, 1, 3]
           + [1, 1, 2, 2, 3, 3, 1, 2, 2, 1] + [2, 2, 3, 3, 1, 3, 3, 2, 2, 3] + [4, 4, 4] + [1, 2, 2] + [3, 3, 3] + [1, 2, 3])

# 会社の状況 answers: development, outsourcing, employees, contractor_secrets, telework.
FACTS = ["いいえ", "はい", 12, "はい", "はい"]


def run(*args):
    exe = os.environ.get("RISKSHEET_BIN") or str(ROOT / "target/debug/risksheet")
    subprocess.run([exe, *map(str, args)], check=True, stdout=subprocess.DEVNULL)


def main(out):
    out.mkdir(parents=True, exist_ok=True)
    for edition in ("ipa-3", "ipa-2.1"):
        run("new", out / f"{edition}.xlsx", "--edition", edition, "--force")
    run("new", out / "ipa-3-en.xlsx", "--edition", "ipa-3", "--book-lang", "en", "--force")
    example = out / "example-ipa-3.xlsx"
    run("new", example, "--edition", "ipa-3", "--force")
    threat_labels = {3: "3:通常の状態で発生する（いつ発生してもおかしくない）", 2: "2:特定の状況で発生する（年に数回程度）",
                     1: "1:通常の状態では発生しない（数年に1回未満）"}
    answer_labels = {1: "1:実施している", 2: "2:一部実施している", 3: "3:実施していない／わからない", 4: "4:自社には該当しない"}
    sets = []
    for k, (biz, name, users, owner, medium, pi, sens, myn, c, i, a) in enumerate(ASSETS):
        r = 5 + k
        for col, v in zip("ABDEFGHIJKL", (biz, name, users, owner, medium, pi, sens, myn, c, i, a)):
            if v is not None:
                sets.append(f"情報資産管理台帳!{col}{r}={v}")
    sets += [f"脅威の状況!C{5 + k}={threat_labels[v]}" for k, v in enumerate(THREATS)]
    sets += [f"対策状況チェック!D{5 + k}={answer_labels[v]}" for k, v in enumerate(ANSWERS)]
    # 会社の状況 (診断結果 G5–G9): no in-house development, outsourcing, 12 employees, secrets
    # exchanged with contractors, telework.
    sets += [f"診断結果!G{5 + k}={v}" for k, v in enumerate(FACTS)]
    args = []
    for s in sets:
        args += ["--set", s]
    # The example as a user leaves it after typing: inputs in, results not yet computed (the main
    # job of the README fills it); and the same after fill.
    run("edit", example, *args)
    run("fill", example, "-o", out / "example-ipa-3-filled.xlsx")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "workbooks")
