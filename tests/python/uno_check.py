"""Run with Debian's system Python (``/usr/bin/python3``, which has LibreOffice's ``uno``) and the
risksheet module installed there: proves the wheel imports next to ``uno`` and that LibreOffice,
driven over UNO, reads what risksheet wrote.

    /usr/bin/python3 tests/python/uno_check.py EXAMPLE.xlsx WORKDIR [MACRO.py]

1. fills a copy of EXAMPLE with risksheet (``WORKDIR/filled.xlsx``);
2. starts headless soffice listening on a local socket with its own profile in WORKDIR (its pid is
   written to ``WORKDIR/soffice.pid`` so that the caller can kill it should this script die);
3. loads the filled copy over UNO and reads the ledger's リスク値 of every asset as stored (the
   cached values risksheet wrote) and after LibreOffice recalculated everything;
4. with MACRO (python/examples/libreoffice_fill_macro.py): loads another copy, sets 機密性・完全性・
   可用性 of an asset to 1 and deletes the 集計 sheet in LibreOffice, runs the macro's ``fill_document``
   (store, fill with risksheet, reload) and reads the reloaded document.

Prints one JSON object; soffice is terminated in every case.
"""
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

RECALC_NEVER = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>1</value></prop></item>
</oor:items>
"""


def prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_soffice(workdir, port):
    profile = workdir / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_NEVER)
    proc = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
         f"-env:UserInstallation={profile.as_uri()}",
         f"--accept=socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)  # its own process group: soffice forks soffice.bin
    (workdir / "soffice.pid").write_text(str(proc.pid))
    return proc


def connect(port, proc, timeout=90):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    while True:
        try:
            return resolver.resolve(f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if proc.poll() is not None and proc.returncode != 0:
                raise RuntimeError(f"soffice exited with {proc.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"no UNO connection to soffice on port {port} after {timeout} s")
            time.sleep(0.5)


def stop_soffice(proc, desktop):
    if desktop is not None:
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge goes away while terminating
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # soffice.bin and anything else it left
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def cell(doc, sheet, address):
    c = doc.Sheets.getByName(sheet).getCellRangeByName(address)
    return {"value": c.getValue(), "string": c.getString(), "formula": c.getFormula(), "error": c.getError()}


def risks(doc, ledger, rows):
    return [cell(doc, ledger["sheet"], f"{ledger['columns']['risk']}{r}") for r in rows]


def main():
    import risksheet  # here: oxt_check.py uses this file's helpers without an installed module

    example, workdir = Path(sys.argv[1]), Path(sys.argv[2])
    macro = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    out = {"python": sys.executable, "risksheet": risksheet.__version__, "risksheet_file": risksheet.__file__}

    filled = workdir / "filled.xlsx"
    shutil.copyfile(example, filled)
    with risksheet.open(filled) as wb:
        out["fill"] = wb.fill()
        wb.save()
        analysis = wb.analysis()
    ledger = analysis["layout"]["ledger"]
    rows = [a["row"] for a in analysis["assets"]]
    out["ledger"] = ledger["sheet"]
    out["rows"] = rows

    port = free_port()
    proc = start_soffice(workdir, port)
    desktop = None
    try:
        ctx = connect(port, proc)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(filled.as_uri(), "_blank", 0, (prop("Hidden", True),))
        out["sheets"] = list(doc.Sheets.getElementNames())
        out["cached"] = risks(doc, ledger, rows)
        doc.calculateAll()
        out["recalculated"] = risks(doc, ledger, rows)
        doc.close(True)

        if macro is not None:
            spec = importlib.util.spec_from_file_location("libreoffice_fill_macro", macro)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            edited = workdir / "macro.xlsx"
            shutil.copyfile(example, edited)
            doc = desktop.loadComponentFromURL(edited.as_uri(), "_blank", 0, (prop("Hidden", True),))
            # An asset without personal information whose importance drops to 1 with 機密性・完全性・可用性 = 1.
            target = next(a for a in analysis["assets"] if not a["personal"] and not a["mynumber"] and (a["importance"] or 0) > 1)
            sheet = doc.Sheets.getByName(ledger["sheet"])
            for k in ("c", "i", "a"):
                sheet.getCellRangeByName(f"{ledger['columns'][k]}{target['row']}").setValue(1)
            if doc.Sheets.hasByName("集計"):
                doc.Sheets.removeByName("集計")
            reloaded, summary = module.fill_document(ctx, doc)
            out["macro"] = {
                "summary": summary,
                "same_document": reloaded == doc,
                "sheets": list(reloaded.Sheets.getElementNames()),
                "modified": reloaded.isModified(),
                "row": target["row"],
                "cia": [cell(reloaded, ledger["sheet"], f"{ledger['columns'][k]}{target['row']}")["value"] for k in ("c", "i", "a")],
                "cached": risks(reloaded, ledger, rows),
            }
            reloaded.close(True)
            with risksheet.open(edited) as wb:
                out["macro"]["risksheet"] = [a["risk"] for a in wb.analysis()["assets"]]
    finally:
        stop_soffice(proc, desktop)
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    # A SIGTERM from the caller (its timeout) unwinds through the finally that stops soffice.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    main()
