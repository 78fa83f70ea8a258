"""risksheet: read and edit IPA-style information-security risk analysis workbooks (.xlsx)
in place, changing nothing but the cells you set.

    import risksheet
    with risksheet.open("ledger.xlsx") as wb:
        print(wb.sheet_names)
        print(wb.get("情報資産管理台帳!B5"))
        wb.set("情報資産管理台帳!J5", 3)
        wb.save()            # atomic, in place

Errors are ``risksheet.WorkbookError`` and its subclasses; their message is Japanese by default
(``risksheet.set_lang("en")`` for English) and ``.file``, ``.sheet``, ``.cell`` say where.
"""
from ._risksheet import (
    ArrayFormulaError,
    Cell,
    InvalidAddressError,
    InvalidValueError,
    NotAWorkbookError,
    ProfileError,
    SheetNotFoundError,
    Workbook,
    WorkbookError,
    __version__,
    get_lang,
    open,
    set_lang,
)

__all__ = [
    "ArrayFormulaError",
    "Cell",
    "InvalidAddressError",
    "InvalidValueError",
    "NotAWorkbookError",
    "ProfileError",
    "SheetNotFoundError",
    "Workbook",
    "WorkbookError",
    "__version__",
    "get_lang",
    "open",
    "set_lang",
]
