"""LibreOffice Calc macro: run ``risksheet fill`` on the open workbook and reload it.

It computes 重要度・脅威・脆弱性・被害発生可能性・リスク値, the 集計 sheet, 診断結果 and the policy
selection of the document's file, writes them as formulas with cached values (in place, keeping
every style, dropdown and other sheet), and reloads the document so that you see the results.

Install (Linux; LibreOffice's Python must be able to ``import risksheet``):

1. Install the module into the Python LibreOffice runs macros with. Debian's and Ubuntu's
   LibreOffice (macros need ``libreoffice-script-provider-python``, not pulled in by ``python3-uno``) use
   the system Python ``/usr/bin/python3``; from the repository::

       PYTHON=/usr/bin/python3 PIP_BREAK_SYSTEM_PACKAGES=1 python/build.sh

   (or ``/usr/bin/python3 -m pip install --break-system-packages risksheet-*.whl`` with a built
   wheel). Check: ``/usr/bin/python3 -c 'import uno, risksheet'``. The LibreOffice of
   libreoffice.org bundles its own Python: install the wheel with that one
   (``/opt/libreoffice*/program/python -m pip install …``).

2. Copy this file into your user's Python macro directory::

       mkdir -p ~/.config/libreoffice/4/user/Scripts/python
       cp python/examples/libreoffice_fill_macro.py ~/.config/libreoffice/4/user/Scripts/python/

   (Windows: ``%APPDATA%\\LibreOffice\\4\\user\\Scripts\\python``; macOS:
   ``~/Library/Application Support/LibreOffice/4/user/Scripts/python``.)

3. In Calc, open the risk analysis workbook (.xlsx or .xlsm) and run
   Tools > Macros > Run Macro… > My Macros > libreoffice_fill_macro > ``fill_current_document``
   (assign it to a toolbar button or shortcut with Tools > Customize).

A modified document is first stored in its own format (xlsx); the file is then filled on disk and
the document reloaded. A document that was never saved, or not as .xlsx/.xlsm, is refused with a
message. Warnings (invalid inputs such as 「高」 in a number column) are shown after the reload.
"""
import os

import uno
from com.sun.star.beans import PropertyValue

TITLE = "risksheet fill"


def _prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def _message(ctx, doc, text, error=False):
    """A message box over the document's window; printed when there is no window (headless)."""
    try:
        window = doc.getCurrentController().getFrame().getContainerWindow()
        toolkit = ctx.ServiceManager.createInstanceWithContext("com.sun.star.awt.Toolkit", ctx)
        from com.sun.star.awt.MessageBoxType import ERRORBOX, INFOBOX
        from com.sun.star.awt.MessageBoxButtons import BUTTONS_OK
        box = toolkit.createMessageBox(window, ERRORBOX if error else INFOBOX, BUTTONS_OK, TITLE, text)
        box.execute()
        box.dispose()
    except Exception:
        print(f"{TITLE}: {text}")


def _reload(doc):
    """Loads the document's file again into the document's window (what File > Reload does,
    also in a hidden or headless LibreOffice) and returns the new document model."""
    args = {a.Name: a.Value for a in doc.getArgs()}
    keep = [_prop(name, args[name]) for name in ("FilterName", "Hidden") if name in args]
    frame = doc.getCurrentController().getFrame()
    new = frame.loadComponentFromURL(doc.getURL(), "_self", 0, tuple(keep))
    if new is None:
        raise RuntimeError("LibreOffice could not reload the document; use File > Reload.")
    try:
        doc.close(True)  # normally already closed by the frame
    except Exception:
        pass
    return new


def fill_document(ctx, doc, profile=None):
    """Stores ``doc`` if modified, fills its file with risksheet and reloads it. Returns
    ``(document, summary)``: the reloaded document model and risksheet's fill summary."""
    import risksheet  # here, so that a missing module is reported in a message box

    path = stored_path(doc)
    with risksheet.open(path) as wb:
        summary = wb.fill(profile)
        # The lock file LibreOffice keeps beside the file is this document's own, stored just
        # above and reloaded below: force says so (a save otherwise refuses an open workbook).
        wb.save(force=True)  # atomic: written beside the file, then renamed over it
    return _reload(doc), summary


def stored_path(doc):
    """The path of ``doc``'s file, the document stored first if modified (in the format it was
    loaded with: xlsx stays xlsx), so that the file holds what the user sees. Refuses a document
    never saved, or not as .xlsx/.xlsm."""
    url = doc.getURL()
    if not url:
        raise ValueError("Save the document as an Excel workbook (.xlsx) first. / 先に .xlsx として保存してください。")
    path = uno.fileUrlToSystemPath(url)
    if os.path.splitext(path)[1].lower() not in (".xlsx", ".xlsm"):
        raise ValueError(f"{path}: not an .xlsx/.xlsm workbook. / .xlsx 形式で保存してください。")
    if doc.isModified():
        doc.store()
    if doc.isModified():  # store() refused silently; never change the file under the user's edits
        raise RuntimeError(f"{path}: the document could not be stored. / 文書を保存できませんでした。")
    return path


def _summary_text(summary, lang=None):
    """The fill summary for a message box: in ``lang`` ("ja" or "en"), both when None."""
    def t(ja, en):
        return {"ja": ja, "en": en}.get(lang, f"{en} / {ja}")

    n = summary["assets"]
    lines = [f"{summary['edition']}: " + t(f"情報資産 {n} 件", f"{n} assets")]
    if summary["high_risk_assets"]:
        lines.append(t("リスク大", "High risk") + ": " + ", ".join(a["name"] for a in summary["high_risk_assets"]))
    lines.append(t("策定するポリシー", "Policy chapters to write") + f": {len(summary['chapters_selected'])}")
    lines += [t("修正", "Rewritten") + f": {n}" for n in summary["normalized"]]
    lines += [f"! {w['sheet']}!{w['cell']}: {w['message']}" for w in summary["warnings"]]
    return "\n".join(lines)


def fill_current_document(*_args):
    """Tools > Macros > Run Macro…: fills the open workbook with risksheet and reloads it."""
    ctx = XSCRIPTCONTEXT.getComponentContext()  # noqa: F821 (provided by LibreOffice)
    doc = XSCRIPTCONTEXT.getDocument()  # noqa: F821
    try:
        doc, summary = fill_document(ctx, doc)
    except ImportError as e:
        _message(ctx, doc, f"The Python module risksheet is not installed for LibreOffice's Python ({e}).\n"
                           "PYTHON=/usr/bin/python3 PIP_BREAK_SYSTEM_PACKAGES=1 python/build.sh", error=True)
        return
    except Exception as e:
        _message(ctx, doc, str(e), error=True)
        return
    _message(ctx, doc, _summary_text(summary))


g_exportedScripts = (fill_current_document,)
