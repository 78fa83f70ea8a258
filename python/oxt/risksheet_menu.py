"""The commands of the LibreOffice extension risksheet.oxt: the Calc menu and toolbar 「リスク分析」.

A UNO component, a protocol handler for the URLs ``org.risksheet.menu:COMMAND`` (registered by
risksheet.components and ProtocolHandler.xcu; the menu items of Addons.xcu are these URLs). The
frame that dispatches a command gives the document (``frame.getController().getModel()``), for a
visible window as for a hidden document driven over UNO.

Each command works on the document's file. A document with unsaved changes is stored first (in
its own format, xlsx stays xlsx; the user is asked first when the window is visible); a document
never saved, or not as .xlsx/.xlsm, is saved as .xlsx where the user says (visible window) or
refused (hidden). Nothing the user typed is lost: the engine only touches the stored file. The
engine is the risksheet module bundled in ``pythonpath/`` (built for the platform the extension
was built on); the document is then reloaded so that LibreOffice shows what was written. The
outcome is shown in a message box in the language of LibreOffice's user interface (Japanese,
else English) and returned to a caller of ``dispatchWithNotification`` (XDispatchHelper's
``executeDispatch`` returns it): ``DispatchResultEvent.State`` SUCCESS / FAILURE / DONTKNOW
(cancelled by the user), ``Result`` the message.

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
import unohelper
from com.sun.star.frame import DispatchResultEvent, XDispatchProvider, XNotifyingDispatch
from com.sun.star.lang import XInitialization, XServiceInfo

IMPLEMENTATION = "org.risksheet.calc.MenuHandler"
PROTOCOL = "org.risksheet.menu:"
TITLE = "risksheet"
XLSX_FILTER = "Calc MS Excel 2007 XML"
# com.sun.star.frame.DispatchResultState
FAILURE, SUCCESS, DONTKNOW = 0, 1, 2


def _bundled_first():
    """Puts the bundled module ahead of any other risksheet on sys.path (the Python loader appends
    ``pythonpath/`` beside this file after the system's site-packages)."""
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pythonpath")
    if here in sys.path:
        sys.path.remove(here)
    sys.path.insert(0, here)


_bundled_first()
import libreoffice_fill_macro as lo  # noqa: E402 (bundled in pythonpath/: store, reload, summary)


class Cancelled(Exception):
    """The user answered No or closed a dialog: nothing was done."""


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
    return _free_path(f"{os.path.splitext(doc_path)[0]}-{suffix}{ext}")


class Command:
    """One run of a command on the frame's document: its language, whether a person sees the
    window (then dialogs ask and tell), the document."""

    def __init__(self, ctx, frame):
        self.ctx = ctx
        self.frame = frame
        self.doc = frame.getController().getModel()
        self.lang = _ui_lang(ctx)
        args = {a.Name: a.Value for a in self.doc.getArgs()}
        try:
            visible = frame.getContainerWindow().isVisible()
        except Exception:
            visible = False
        self.interactive = visible and not args.get("Hidden", False)

    def pick(self, ja, en):
        return ja if self.lang == "ja" else en

    def box(self, kind, buttons, text):
        """A message box over the document's window (only when a person sees it); its result."""
        if not self.interactive:
            return 0
        from com.sun.star.awt.MessageBoxType import ERRORBOX, INFOBOX, QUERYBOX
        window = self.doc.getCurrentController().getFrame().getContainerWindow()
        toolkit = self.ctx.ServiceManager.createInstanceWithContext("com.sun.star.awt.Toolkit", self.ctx)
        box = toolkit.createMessageBox(window, {"error": ERRORBOX, "info": INFOBOX, "query": QUERYBOX}[kind], buttons, TITLE, text)
        try:
            return box.execute()
        finally:
            box.dispose()

    def ask(self, ja, en):
        """Yes/No in a dialog; Cancelled unless Yes. Without a visible window: yes (the caller
        asked for the command; storing keeps what it sees)."""
        if not self.interactive:
            return
        from com.sun.star.awt.MessageBoxButtons import BUTTONS_YES_NO, DEFAULT_BUTTON_YES
        from com.sun.star.awt.MessageBoxResults import YES
        if self.box("query", BUTTONS_YES_NO + DEFAULT_BUTTON_YES, self.pick(ja, en)) != YES:
            raise Cancelled()

    def save_as_xlsx(self):
        """Asks where to save the document as .xlsx and stores it there (the document then is that
        file); Cancelled when the user closes the dialog."""
        picker = self.ctx.ServiceManager.createInstanceWithArgumentsAndContext(
            "com.sun.star.ui.dialogs.FilePicker", (10,), self.ctx)  # FILESAVE_AUTOEXTENSION
        picker.appendFilter("Excel 2007-365 (*.xlsx)", "*.xlsx")
        picker.setCurrentFilter("Excel 2007-365 (*.xlsx)")
        url = self.doc.getURL()
        if url:
            picker.setDisplayDirectory(url.rsplit("/", 1)[0])
            picker.setDefaultName(os.path.splitext(url.rsplit("/", 1)[1])[0] + ".xlsx")
        if picker.execute() != 1:  # ExecutableDialogResults.OK
            raise Cancelled()
        target = picker.getSelectedFiles()[0]
        if not target.lower().endswith((".xlsx", ".xlsm")):
            target += ".xlsx"
        self.doc.storeAsURL(target, (lo._prop("FilterName", XLSX_FILTER),))

    def stored_path(self):
        """The path of the document's .xlsx file holding what the user sees."""
        url = self.doc.getURL()
        ext = os.path.splitext(url)[1].lower() if url else ""
        if ext not in (".xlsx", ".xlsm"):
            if not self.interactive:
                name = uno.fileUrlToSystemPath(url) if url else self.doc.getTitle()
                raise ValueError(self.pick(f"{name}: Excel ブック (.xlsx) として保存されていません。先に「名前を付けて保存」で .xlsx 形式で保存してください。",
                                           f"{name}: not saved as an Excel workbook (.xlsx); save it as .xlsx first (File > Save As)."))
            self.ask("この文書は Excel ブック (.xlsx) として保存されていません。.xlsx として保存してから実行しますか？",
                     "This document is not saved as an Excel workbook (.xlsx). Save it as .xlsx and continue?")
            self.save_as_xlsx()
        elif self.doc.isModified():
            self.ask("保存されていない変更があります。文書を保存してから実行しますか？",
                     "The document has unsaved changes. Save it and continue?")
        return lo.stored_path(self.doc)  # stores a modified document; refuses if it could not

    def reload(self):
        self.doc = lo._reload(self.doc)

    # The commands: each returns the message for the user.

    def fill(self, risksheet):
        path = self.stored_path()
        with risksheet.open(path) as wb:
            summary = wb.fill()
            # The lock file LibreOffice keeps beside the file is this document's own.
            wb.save(force=True)
        self.reload()
        return lo._summary_text(summary, self.lang)

    def convert(self, risksheet):
        path = self.stored_path()
        with risksheet.open(path) as wb:
            report = wb.convert(to="2022")
            wb.save(force=True)
        self.reload()
        n, m = report["converted"], report["review"]
        return self.pick(f"2022年版に変換しました（変換 {n} 件、要確認 {m} 件。記録はシート「変換記録」）",
                         f"Converted to 2022 ({n} converted, {m} to review; see the sheet 変換記録)")

    def report(self, risksheet):
        path = self.stored_path()
        with risksheet.open(path) as wb:
            html = wb.report("html")
        out = _beside(path, self.pick("レポート", "report"), ".html")
        with open(out, "x", encoding="utf-8") as f:
            f.write(html)
        if self.interactive:
            try:
                shell = self.ctx.ServiceManager.createInstanceWithContext("com.sun.star.system.SystemShellExecute", self.ctx)
                shell.execute(uno.systemPathToFileUrl(out), "", 0)
            except Exception:
                pass  # no browser: the message names the file
        return self.pick(f"レポートを書きました: {out}", f"Report written: {out}")

    def soa(self, risksheet):
        path = self.stored_path()
        out = _beside(path, self.pick("適用宣言書", "SoA"), ".xlsx")
        with risksheet.open(path) as wb:
            wb.soa(out)
        if self.interactive:
            desktop = self.ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)
            desktop.loadComponentFromURL(uno.systemPathToFileUrl(out), "_blank", 0, ())
        return self.pick(f"適用宣言書を作りました: {out}", f"Statement of Applicability written: {out}")

    def run(self, name):
        """Runs the command ``name``; returns (DispatchResultState, message) and shows the message."""
        from com.sun.star.awt.MessageBoxButtons import BUTTONS_OK
        try:
            import risksheet
            risksheet.set_lang(self.lang)
        except ImportError as e:
            text = self.pick(f"risksheet モジュールを読み込めません（{e}）。拡張機能を作り直してください（tools/build-oxt）。",
                             f"The risksheet module cannot be loaded ({e}); rebuild the extension (tools/build-oxt).")
            self.box("error", BUTTONS_OK, text)
            return FAILURE, text
        try:
            text = getattr(self, name)(risksheet)
        except Cancelled:
            return DONTKNOW, self.pick("取り消しました（何も変更していません）。", "Cancelled (nothing was changed).")
        except Exception as e:  # risksheet.WorkbookError names the file, sheet and cell
            text = str(e) or type(e).__name__
            self.box("error", BUTTONS_OK, text)
            return FAILURE, text
        self.box("info", BUTTONS_OK, text)
        return SUCCESS, text


COMMANDS = ("fill", "convert", "report", "soa")


class MenuHandler(unohelper.Base, XInitialization, XDispatchProvider, XNotifyingDispatch, XServiceInfo):
    """The protocol handler of ``org.risksheet.menu:fill|convert|report|soa`` for one frame."""

    def __init__(self, ctx, *args):
        self.ctx = ctx
        self.frame = None
        if args:
            self.initialize(args)

    # XInitialization: the frame that dispatches.
    def initialize(self, args):
        for a in args:
            if hasattr(a, "getController"):
                self.frame = a

    # XDispatchProvider
    def queryDispatch(self, url, target, flags):
        if url.Complete.startswith(PROTOCOL) and url.Complete[len(PROTOCOL):] in COMMANDS:
            return self
        return None

    def queryDispatches(self, requests):
        return tuple(self.queryDispatch(r.FeatureURL, r.FrameName, r.SearchFlags) for r in requests)

    # XDispatch / XNotifyingDispatch
    def _run(self, url):
        name = url.Complete[len(PROTOCOL):]
        if self.frame is None or name not in COMMANDS:
            return FAILURE, f"risksheet: {url.Complete}: no document / 文書がありません"
        return Command(self.ctx, self.frame).run(name)

    def dispatch(self, url, args):
        self._run(url)

    def dispatchWithNotification(self, url, args, listener):
        state, text = self._run(url)
        if listener is not None:
            listener.dispatchFinished(DispatchResultEvent(self, state, text))

    def addStatusListener(self, listener, url):
        pass

    def removeStatusListener(self, listener, url):
        pass

    # XServiceInfo
    def getImplementationName(self):
        return IMPLEMENTATION

    def supportsService(self, name):
        return name in self.getSupportedServiceNames()

    def getSupportedServiceNames(self):
        return ("com.sun.star.frame.ProtocolHandler",)


g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(MenuHandler, IMPLEMENTATION, ("com.sun.star.frame.ProtocolHandler",))
