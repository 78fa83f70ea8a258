"""Run with Debian's system Python (``/usr/bin/python3``, which has LibreOffice's ``uno``): the
extension risksheet.oxt in LibreOffice, as a user has it.

    /usr/bin/python3 tests/python/oxt_check.py RISKSHEET.OXT EXAMPLE.xlsx WORKDIR

1. ``unopkg add`` the extension into a fresh profile in WORKDIR (as user nobody when run as root:
   unopkg refuses root without --shared);
2. starts headless soffice on that profile, opens a copy of EXAMPLE (``WORKDIR/book.xlsx``), sets
   an input in LibreOffice (unsaved), and runs 計算する through the dispatcher with the menu's own
   URL (read from the extension's Addons.xcu);
3. reads what the document LibreOffice then shows: every ledger cell of every asset row.

Prints one JSON object; soffice is terminated in every case. Uses no risksheet installed in this
Python: the extension's bundled module does the work.

NOT YET A TEST (issue 18, unfinished): the script runs from the installed extension, but a hidden
document is not the script context's document (XSCRIPTCONTEXT.getDocument() is None), so the
command stops before filling; see the report of the install branch.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from uno_check import connect, free_port, prop, start_soffice, stop_soffice  # noqa: E402


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


def main():
    oxt, example, workdir = Path(sys.argv[1]).resolve(), Path(sys.argv[2]), Path(sys.argv[3])
    with zipfile.ZipFile(oxt) as z:
        addons = z.read("Addons.xcu").decode()
    fill_url = re.search(r"<value>(vnd\.sun\.star\.script:[^<]*\$fill\?[^<]*)</value>", addons).group(1).replace("&amp;", "&")
    out = {"fill_url": fill_url}
    profile = workdir / "lo-profile"
    out["unopkg"] = unopkg_add(oxt, profile)

    book = workdir / "book.xlsx"
    shutil.copyfile(example, book)
    port = free_port()
    proc = start_soffice(workdir, port)
    desktop = None
    try:
        ctx = connect(port, proc)
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(book.as_uri(), "_blank", 0, (prop("Hidden", True),))
        frame = doc.getCurrentController().getFrame()
        # An unsaved edit the command must keep: 情報資産管理台帳!B5 (the first asset's name).
        sheet = doc.Sheets.getByName("情報資産管理台帳")
        sheet.getCellRangeByName("B5").setString("社員名簿（改）")
        # The menu's URL run through the script framework of the document (the dispatcher's
        # ScriptProtocolHandler aborts LibreOffice 7.4 when called over a remote bridge).
        factory = smgr.createInstanceWithContext("com.sun.star.script.provider.MasterScriptProviderFactory", ctx)
        factory.createScriptProvider(doc).getScript(fill_url).invoke((), (), ())
        shown = frame.getController().getModel()
        out["reloaded"] = shown != doc
        out["modified"] = shown.isModified()
        ledger = shown.Sheets.getByName("情報資産管理台帳")
        rows = {}
        for r in range(5, 40):
            name = ledger.getCellRangeByName(f"B{r}").getString()
            if not name:
                continue
            rows[r] = [ledger.getCellByPosition(c, r - 1).getString() for c in range(0, 26)]
        out["rows"] = rows
        out["sheets"] = list(shown.Sheets.getElementNames())
        shown.close(True)
    finally:
        stop_soffice(proc, desktop)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
