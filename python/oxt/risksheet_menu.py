"""The commands of the LibreOffice extension risksheet.oxt: the Calc menu and toolbar 「リスク分析」.

Each command works on the document's file: a modified document is stored first (in its own
format, xlsx stays xlsx), the engine (the risksheet module bundled in ``pythonpath/``, built for
the platform the extension was built on) changes or reads the file, and the document is reloaded
so that LibreOffice shows what was written. Errors are shown in a dialog in the language of
LibreOffice's user interface (Japanese, else English); the document is then left as it was.

- 計算する (``fill``): 重要度・脅威・脆弱性・被害発生可能性・リスク値, 集計, 診断結果 and the policy
  selection as formulas with cached values, as ``risksheet fill``.
- 2022年版に変換 (``convert``): ISO/IEC 27001:2013/2005 control references to 2022, with the trail
  sheet 変換記録, as ``risksheet convert --to 2022``.
- レポート (``report``): the analysis as an HTML page beside the document (NAME-レポート.html),
  opened in the browser.
- 適用宣言書 (``soa``): a 2022 Statement of Applicability beside the document
  (NAME-適用宣言書.xlsx, never over an existing file), opened in a new window.

Built by tools/build-oxt; installed with ``unopkg add risksheet.oxt``.
"""
import os
import sys

import uno

TITLE = "risksheet"


def _bundled_first():
    """Puts the bundled module ahead of any other risksheet on sys.path (LibreOffice appends
    ``pythonpath/`` after the system's site-packages)."""
    # The script framework has appended this script's pythonpath/ (``__file__`` is set only after
    # the module has run): the entry that holds the bundled helper.
    for entry in list(sys.path):
        if os.path.basename(entry) == "pythonpath" and os.path.exists(os.path.join(entry, "libreoffice_fill_macro.py")):
            sys.path.remove(entry)
            sys.path.insert(0, entry)
            return


_bundled_first()
import libreoffice_fill_macro as lo  # noqa: E402 (bundled in pythonpath/)


def _ui_lang(ctx):
    """"ja" unless LibreOffice's user interface is in another language."""
    try:
        provider = ctx.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
        access = provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationAccess", (lo._prop("nodepath", "/org.openoffice.Setup/L10N"),))
        locale = access.getByName("ooLocale") or ""
    except Exception:
        locale = ""
    return "en" if locale and not locale.lower().startswith("ja") else "ja"


def _free_path(path):
    """``path``, or NAME-2.EXT, NAME-3.EXT … when it is taken: nothing the user has is replaced."""
    stem, ext = os.path.splitext(path)
    n = 1
    while os.path.lexists(path):
        n += 1
        path = f"{stem}-{n}{ext}"
    return path


def _beside(doc_path, suffix, ext):
    stem = os.path.splitext(doc_path)[0]
    return _free_path(f"{stem}-{suffix}{ext}")


def _fill(ctx, doc, risksheet, pick):
    doc, summary = lo.fill_document(ctx, doc)
    return doc, lo._summary_text(summary)


def _convert(ctx, doc, risksheet, pick):
    path = lo.stored_path(doc)
    with risksheet.open(path) as wb:
        report = wb.convert(to="2022")
        wb.save(force=True)  # the lock beside the file is this document's own
    doc = lo._reload(doc)
    n, m = report["converted"], report["review"]
    return doc, pick(f"2022年版に変換しました（変換 {n} 件、要確認 {m} 件。記録はシート「変換記録」）",
                     f"Converted to 2022 ({n} converted, {m} to review; see the sheet 変換記録)")


def _report(ctx, doc, risksheet, pick):
    path = lo.stored_path(doc)
    with risksheet.open(path) as wb:
        html = wb.report("html")
    out = _beside(path, pick("レポート", "report"), ".html")
    with open(out, "x", encoding="utf-8") as f:
        f.write(html)
    try:
        shell = ctx.ServiceManager.createInstanceWithContext("com.sun.star.system.SystemShellExecute", ctx)
        shell.execute(uno.systemPathToFileUrl(out), "", 0)
    except Exception:
        pass  # no browser (headless): the message names the file
    return doc, pick(f"レポートを書きました: {out}", f"Report written: {out}")


def _soa(ctx, doc, risksheet, pick):
    path = lo.stored_path(doc)
    out = _beside(path, pick("適用宣言書", "SoA"), ".xlsx")
    with risksheet.open(path) as wb:
        wb.soa(out)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    desktop.loadComponentFromURL(uno.systemPathToFileUrl(out), "_blank", 0, ())
    return doc, pick(f"適用宣言書を作りました: {out}", f"Statement of Applicability written: {out}")


def _run(command):
    ctx = XSCRIPTCONTEXT.getComponentContext()  # noqa: F821 (provided by LibreOffice)
    doc = XSCRIPTCONTEXT.getDocument()  # noqa: F821
    lang = _ui_lang(ctx)

    def pick(ja, en):
        return ja if lang == "ja" else en

    try:
        import risksheet
        risksheet.set_lang(lang)
    except ImportError as e:
        lo._message(ctx, doc, pick(f"risksheet モジュールを読み込めません（{e}）。拡張機能を作り直してください（tools/build-oxt）。",
                                   f"The risksheet module cannot be loaded ({e}); rebuild the extension (tools/build-oxt)."), error=True)
        return
    try:
        doc, text = command(ctx, doc, risksheet, pick)
    except Exception as e:  # risksheet.WorkbookError names the file, sheet and cell
        lo._message(ctx, doc, str(e), error=True)
        return
    lo._message(ctx, doc, text)


def fill(*_args):
    """計算する: fill the open workbook and reload it."""
    _run(_fill)


def convert(*_args):
    """2022年版に変換: rewrite its control references to ISO/IEC 27001:2022 and reload it."""
    _run(_convert)


def report(*_args):
    """レポート: the analysis as an HTML page beside the workbook."""
    _run(_report)


def soa(*_args):
    """適用宣言書: a 2022 Statement of Applicability beside the workbook, opened."""
    _run(_soa)


g_exportedScripts = (fill, convert, report, soa)
