"""risksheet: read, fill and edit IPA-style information-security risk analysis workbooks (.xlsx)
in place, changing nothing but the cells it writes.

    import risksheet
    with risksheet.open("ledger.xlsx") as wb:
        print(wb.sheet_names)
        print(wb.get("情報資産管理台帳!B5"))
        wb.set("情報資産管理台帳!J5", 3)
        summary = wb.fill()  # 重要度・リスク値・診断結果 as formulas with cached values
        for a in wb.assets:
            print(a.name, a.risk, a.band)
        wb.save()            # atomic, in place

Errors are ``risksheet.WorkbookError`` and its subclasses; their message is Japanese by default
(``risksheet.set_lang("en")`` for English) and ``.file``, ``.sheet``, ``.cell`` say where.
"""
from dataclasses import dataclass, fields as _fields
from typing import Any, Dict, List, Optional

from . import _risksheet
from ._risksheet import (
    ArrayFormulaError,
    Cell,
    InvalidAddressError,
    InvalidValueError,
    NotAWorkbookError,
    ProfileError,
    SheetNotFoundError,
    WorkbookError,
    __version__,
    get_lang,
    set_lang,
)


@dataclass(frozen=True)
class Asset:
    """One asset of the ledger (情報資産管理台帳) and its computed results. A number is ``None``
    where an input is missing or invalid (the analysis' ``warnings`` say which)."""

    row: int
    """Sheet row."""
    name: str
    """情報資産名称."""
    medium: Optional[str]
    """媒体・保存先, its canonical name."""
    c: Optional[int]
    """機密性."""
    i: Optional[int]
    """完全性."""
    a: Optional[int]
    """可用性."""
    personal: bool
    """A personal-information column is 有."""
    mynumber: bool
    """マイナンバー is 有."""
    importance: Optional[int]
    """重要度."""
    threat: Optional[int]
    """脅威 (the medium's 発生頻度)."""
    vulnerability: Optional[int]
    """脆弱性 (of the medium)."""
    likelihood: Optional[int]
    """被害発生可能性."""
    risk: Optional[int]
    """リスク値."""
    band: Optional[str]
    """リスク大 / リスク中 / リスク小."""

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "Asset":
        """From a dict of the analysis (unknown keys are ignored)."""
        return cls(**{f.name: d.get(f.name) for f in _fields(cls)})

    def to_dict(self) -> Dict[str, Any]:
        """The fields as a dict, in order."""
        return {f.name: getattr(self, f.name) for f in _fields(self)}


ASSET_COLUMNS = tuple(f.name for f in _fields(Asset))
"""The columns of ``Workbook.assets_frame()``: the fields of ``Asset``, in order."""

_NULLABLE_INT = ("c", "i", "a", "importance", "threat", "vulnerability", "likelihood", "risk")


class Text(str):
    """A ``str`` that ``Workbook.set`` stores as text exactly as it is, never as a formula or a
    number: ``wb.set("台帳!B5", risksheet.Text("=1+2"))`` writes the text 「=1+2」 (the same as
    ``wb.set("台帳!B5", "=1+2", text=True)`` and ``risksheet edit --set-text``)."""

    __slots__ = ()


class Workbook(_risksheet.Workbook):
    """A workbook opened for reading and in-place editing. Edits (``set``, ``fill``) stay in
    memory until ``save()``; leaving a ``with`` block closes it without saving."""

    def set(self, address: str, value: Any, *, text: bool = False) -> None:
        """Sets ``SHEET!A1``, keeping its style: ``int``/``float`` a number, ``str`` starting with
        ``=`` a formula, other ``str`` text, ``bool`` TRUE/FALSE, ``None`` empties the cell. A
        ``risksheet.Text`` value, or ``text=True``, stores the ``str`` as text exactly as given
        (``"=1+2"``, ``"007"``)."""
        super().set(address, str(value) if isinstance(value, Text) else value, text=text or isinstance(value, Text))

    @property
    def assets(self) -> List[Asset]:
        """The assets of the ledger with their computed results (the workbook's edition is
        detected; unsaved edits are seen). ``analysis(profile)["assets"]`` for another profile."""
        return [Asset.from_dict(a) for a in self.analysis()["assets"]]

    def assets_frame(self, profile: Any = None) -> Any:
        """The assets as a pandas DataFrame, one row per asset, with the columns of ``Asset``
        (scores as nullable ``Int64``). Needs pandas."""
        try:
            import pandas as pd
        except ImportError as e:
            raise ImportError("pandas is required for assets_frame(); pip install pandas") from e
        assets = self.analysis(profile)["assets"]
        frame = pd.DataFrame([[a.get(c) for c in ASSET_COLUMNS] for a in assets], columns=list(ASSET_COLUMNS))
        frame = frame.astype({"row": "int64", "personal": "bool", "mynumber": "bool"})
        return frame.astype({c: "Int64" for c in _NULLABLE_INT})


def open(path: Any, *, max_part_mb: int = 1024) -> Workbook:
    """Opens a workbook (``.xlsx``, ``.xlsm``) for reading and in-place editing.
    ``max_part_mb`` is the largest uncompressed part accepted."""
    return Workbook(path, max_part_mb=max_part_mb)


def new(path: Any, edition: Any = "ipa-3", lang: str = "ja", *, force: bool = False) -> Workbook:
    """Creates ``path`` as a fresh risk analysis workbook in the IPA layout (``risksheet new``):
    ``edition`` is ``"ipa-3"``, ``"ipa-2.1"`` or a TOML profile file, ``lang`` the language of
    its sheets (``"ja"``, ``"en"``). Every formula and dropdown is already in place. An existing
    file is replaced only with ``force=True``. Returns the new workbook, opened."""
    _risksheet.new_workbook(path, edition, lang, force=force)
    return Workbook(path)


__all__ = [
    "ASSET_COLUMNS",
    "ArrayFormulaError",
    "Asset",
    "Cell",
    "InvalidAddressError",
    "InvalidValueError",
    "NotAWorkbookError",
    "ProfileError",
    "SheetNotFoundError",
    "Text",
    "Workbook",
    "WorkbookError",
    "__version__",
    "get_lang",
    "new",
    "open",
    "set_lang",
]
