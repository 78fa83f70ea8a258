"""Run with Debian's system Python (``/usr/bin/python3``, which has LibreOffice's ``uno``): the
extension risksheet.oxt in LibreOffice, as a user has it (driven by tests/python/test_oxt.py).

    /usr/bin/python3 tests/python/oxt_check.py RISKSHEET.OXT WORKDIR

WORKDIR holds the workbooks to work on: ``book.xlsx`` (the example ledger), ``plain.xlsx`` (no
risk analysis in it), ``soa-2013.xlsx`` (a legacy Statement of Applicability).

1. ``unopkg add`` the extension into a fresh profile in WORKDIR (as user nobody when run as root:
   unopkg refuses root without --shared);
2. starts headless soffice on that profile (pid in WORKDIR/soffice.pid);
3. opens book.xlsx hidden, sets 機密性・完全性・可用性 of row 5 to 1 in LibreOffice (unsaved), and
   runs 計算する, ``org.risksheet.menu:fill`` (the menu's own URL, read from the extension's
   Addons.xcu), through the dispatcher (XDispatchHelper on the document's frame); then reads what
   LibreOffice shows (the reloaded document): every cell of the ledger, 集計 and 診断結果;
4. レポート and 適用宣言書 on the same document; 2022年版に変換 on soa-2013.xlsx;
5. errors: 計算する on plain.xlsx (UI in Japanese, then in English), on a document never saved.

Prints one JSON object; soffice is terminated in every case. Uses no risksheet installed in this
Python: the extension's bundled module does the work.
"""
import json
import os
import re
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import unohelper
from com.sun.star.frame import XDispatchResultListener

sys.path.insert(0, str(Path(__file__).resolve().parent))
from uno_check import connect, free_port, prop, start_soffice, stop_soffice  # noqa: E402

SHEETS = ("情報資産管理台帳", "集計", "診断結果")


def unopkg_add(oxt, profile):
    cmd = ["unopkg", "add", "-s", str(oxt), f"-env:UserInstallation={profile.as_uri()}"]
    if os.geteuid() == 0:
        for p in (profile.parent, oxt):
            os.chmod(p, 0o777 if p.is_dir() else 0o644)
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", f"HOME={profile.parent}"] + cmd
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    listed = subprocess.run(cmd[:cmd.index("unopkg")] + ["unopkg", "list", f"-env:UserInstallation={profile.as_uri()}"],
                            capture_output=True, text=True, timeout=120)
    return {"rc": p.returncode, "stderr": p.stderr[-2000:], "list": listed.stdout}


class Result(unohelper.Base, XDispatchResultListener):
    def __init__(self):
        self.event = None

    def dispatchFinished(self, event):
        self.event = event

    def disposing(self, source):
        pass


def url(ctx, text):
    from com.sun.star.util import URL
    u = URL()
    u.Complete = text
    return u


def notify(ctx, frame, command):
    """``command`` dispatched on ``frame`` with a result listener: (state, message)."""
    dispatch = frame.queryDispatch(url(ctx, command), "", 0)
    if dispatch is None:
        return None, "no dispatch"
    listener = Result()
    dispatch.dispatchWithNotification(url(ctx, command), (), listener)
    return (listener.event.State, listener.event.Result) if listener.event else (None, None)


def dump(doc):
    """Every cell of SHEETS as LibreOffice shows it: values (numbers, texts) and formulas."""
    out = {}
    for name in SHEETS:
        if not doc.Sheets.hasByName(name):
            continue
        sheet = doc.Sheets.getByName(name)
        cursor = sheet.createCursor()
        cursor.gotoEndOfUsedArea(False)
        end = cursor.getRangeAddress()
        rng = sheet.getCellRangeByPosition(0, 0, end.EndColumn, end.EndRow)
        out[name] = {"data": [list(r) for r in rng.getDataArray()], "formulas": [list(r) for r in rng.getFormulaArray()]}
    return out


def set_ui_locale(ctx, locale):
    provider = ctx.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
    access = provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationUpdateAccess", (prop("nodepath", "/org.openoffice.Setup/L10N"),))
    access.replaceByName("ooLocale", locale)
    access.commitChanges()


def main():
    oxt, workdir = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    with zipfile.ZipFile(oxt) as z:
        addons = z.read("Addons.xcu").decode()
    fill_url = re.search(r"<value>(org\.risksheet\.menu:fill)</value>", addons).group(1)
    out = {"fill_url": fill_url}
    profile = workdir / "lo-profile"
    out["unopkg"] = unopkg_add(oxt, profile)
    if out["unopkg"]["rc"] != 0:
        print(json.dumps(out, ensure_ascii=False))
        return

    port = free_port()
    proc = start_soffice(workdir, port)
    desktop = None
    try:
        ctx = connect(port, proc)
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        hidden = (prop("Hidden", True),)
        set_ui_locale(ctx, "ja")

        # 計算する through the dispatcher, with an unsaved edit the command must keep.
        doc = desktop.loadComponentFromURL((workdir / "book.xlsx").as_uri(), "_blank", 0, hidden)
        frame = doc.getCurrentController().getFrame()
        sheet = doc.Sheets.getByName("情報資産管理台帳")
        for col in "JKL":
            sheet.getCellRangeByName(f"{col}5").setValue(1)
        helper = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        # It answers the handler's DispatchResultEvent (the handler is an XNotifyingDispatch).
        event = helper.executeDispatch(frame, fill_url, "", 0, ())  # None: nothing handled the URL
        shown = frame.getController().getModel()
        out["fill"] = {"state": event and event.State, "message": event and event.Result, "reloaded": shown != doc, "modified": shown.isModified(),
                       "sheets": list(shown.Sheets.getElementNames()), "cells": dump(shown)}

        # レポート and 適用宣言書 of the document shown (beside its file).
        for command in ("report", "soa"):
            out[command] = notify(ctx, frame, f"org.risksheet.menu:{command}")
        shown.close(True)

        # 2022年版に変換 on a legacy SoA: reloaded with the trail sheet.
        doc = desktop.loadComponentFromURL((workdir / "soa-2013.xlsx").as_uri(), "_blank", 0, hidden)
        frame = doc.getCurrentController().getFrame()
        state, message = notify(ctx, frame, "org.risksheet.menu:convert")
        shown = frame.getController().getModel()
        out["convert"] = {"state": state, "message": message, "sheets": list(shown.Sheets.getElementNames())}
        shown.close(True)

        # Errors: a workbook without a risk analysis (Japanese UI, then English), a new document.
        doc = desktop.loadComponentFromURL((workdir / "plain.xlsx").as_uri(), "_blank", 0, hidden)
        frame = doc.getCurrentController().getFrame()
        out["plain_ja"] = notify(ctx, frame, fill_url)
        set_ui_locale(ctx, "en-US")
        out["plain_en"] = notify(ctx, frame, fill_url)
        doc.close(True)
        doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, hidden)
        out["unsaved_en"] = notify(ctx, doc.getCurrentController().getFrame(), fill_url)
        doc.close(True)
    finally:
        stop_soffice(proc, desktop)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
