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
from dataclasses import FrozenInstanceError as _FrozenInstanceError
from pathlib import Path as _Path
from typing import Any, Dict, List, Optional, Tuple

from . import _risksheet
from ._risksheet import (
    ArrayFormulaError,
    Cell,
    FileNotFound,
    InvalidAddressError,
    InvalidValueError,
    IsADirectory,
    NotAWorkbookError,
    ProfileError,
    SheetNotFoundError,
    WorkbookError,
    __version__,
    get_lang,
    set_lang,
)


def _plain(v: Any) -> Any:
    """A record, or lists and dicts holding records, as plain dicts and lists."""
    if isinstance(v, Record):
        return v.to_dict()
    if isinstance(v, list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def _frozen(v: Any) -> Any:
    """A hashable form of a field's value."""
    if isinstance(v, (list, tuple)):
        return tuple(_frozen(x) for x in v)
    if isinstance(v, dict):
        return tuple((k, _frozen(x)) for k, x in v.items())
    return v


class Record(dict):  # type: ignore[type-arg]
    """A record of the analysis (an asset, a medium, a warning …): read-only attributes
    (``a.name``), a one-line ``repr`` and ``to_dict()``; still the ``dict`` it used to be
    (``a["name"]``, ``a.get("name")``, ``json.dumps``, ``==`` with a dict of the same items),
    but read-only. Every key the library reports is kept, the declared fields first (``None``
    when absent)."""

    __slots__ = ()
    _fields: Tuple[str, ...] = ()
    """The fields every record of the class has, in order (also its attributes)."""
    _shown: Tuple[str, ...] = ()
    """The fields its ``repr`` shows."""

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        for name in cls._fields:
            if name not in cls.__dict__:
                setattr(cls, name, property(lambda self, _n=name: dict.__getitem__(self, _n), doc=f"The record's ``{name}``."))

    def __init__(self, *args: Any, **fields: Any) -> None:
        if len(args) > len(self._fields):
            raise TypeError(f"{type(self).__name__}() takes at most {len(self._fields)} positional arguments")
        data = {f: None for f in self._fields}
        data.update(zip(self._fields, args))
        data.update(fields)
        dict.__init__(self, data)

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> Any:
        """The record of a dict of the analysis."""
        return cls(**d)

    def to_dict(self) -> Dict[str, Any]:
        """The fields as a plain dict, in order (nested records as dicts too)."""
        return {k: _plain(v) for k, v in self.items()}

    def __getattr__(self, name: str) -> Any:
        # Keys beyond the declared fields (a register's factors, say) are attributes too.
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}") from None

    def _frozen_field(self, *args: Any) -> None:
        raise _FrozenInstanceError(f"{type(self).__name__} is read-only (to_dict() gives a dict to change)")

    def _frozen_item(self, *args: Any, **kw: Any) -> Any:
        raise TypeError(f"{type(self).__name__} is read-only (to_dict() gives a dict to change)")

    __setattr__ = __delattr__ = _frozen_field
    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _frozen_item  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash((type(self).__name__, _frozen(self)))

    def __reduce__(self) -> Any:
        return (_rebuild, (type(self), dict(self)))

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={self.get(k)!r}" for k in self._shown or self._fields)
        return f"{type(self).__name__}({shown})"


def _rebuild(cls: Any, data: Dict[str, Any]) -> Any:
    return cls(**data)


class Asset(Record):
    """One asset of the ledger (情報資産管理台帳) and its computed results. A number is ``None``
    where an input is missing or invalid (the analysis' ``warnings`` say which). Its fields:
    ``row`` (sheet row), ``name`` (情報資産名称, as typed), ``medium`` (媒体・保存先, its
    canonical name), ``c``, ``i``, ``a`` (機密性・完全性・可用性), ``personal`` (a
    personal-information column is 有), ``mynumber``, ``importance`` (重要度), ``threat``
    (脅威, the medium's 発生頻度), ``vulnerability`` (脆弱性), ``likelihood`` (被害発生可能性),
    ``risk`` (リスク値), ``band`` (リスク大 / リスク中 / リスク小)."""

    __slots__ = ()
    _fields = ("row", "name", "medium", "c", "i", "a", "personal", "mynumber", "importance", "threat", "vulnerability", "likelihood",
               "risk", "band")
    _shown = ("row", "name", "medium", "importance", "likelihood", "risk", "band")

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "Asset":
        """From a dict of the analysis (keys that are no field of ``Asset`` are ignored)."""
        return cls(**{f: d.get(f) for f in cls._fields})


class Medium(Record):
    """A medium (媒体・保存先) of the analysis: ``id``, ``name``, ``threat`` (its highest 発生頻度),
    ``rate`` (the implementation rate of its groups' checks), ``vulnerability`` (脆弱性)."""

    __slots__ = ()
    _fields = ("id", "name", "threat", "rate", "vulnerability")


class Group(Record):
    """A group of checks of 対策状況チェック: ``id``, ``name``, ``rate`` (implementation rate,
    ``None`` when unanswered), ``not_applicable`` (every item 該当しない), ``unanswered`` (items left blank)."""

    __slots__ = ()
    _fields = ("id", "name", "rate", "not_applicable", "unanswered")


class Chapter(Record):
    """A policy chapter and the decision on it: ``number``, ``title``, ``need`` (◎ / ○),
    ``rate``, ``selected`` (the company must write it), ``reasons``."""

    __slots__ = ()
    _fields = ("number", "title", "need", "rate", "selected", "reasons")
    _shown = ("number", "title", "need", "rate", "selected")


class InputWarning(Record):
    """An input risksheet could not use: ``sheet``, ``cell`` (``J7``; empty for a whole sheet), ``message``."""

    __slots__ = ()
    _fields = ("sheet", "cell", "message")

    def __str__(self) -> str:
        return f"{self.sheet}!{self.cell}: {self.message}" if self.cell else f"{self.sheet}: {self.message}"


class Risk(Record):
    """One risk of a risk register (LV.3, the ISMS seminar): ``row``, ``no``, ``asset``,
    ``event``, ``level``, ``priority`` …, and each factor of the profile's ``[register]`` by its
    key (``likelihood``; ``impact`` and ``frequency`` for the seminar), ``residual_<key>`` after treatment."""

    __slots__ = ()
    _fields = ("row", "no", "asset_nos", "asset", "event", "importance", "importance_from", "level", "priority", "priority_advice",
               "needs_treatment", "treatment", "controls", "control_ids", "response", "residual_importance", "residual_level",
               "residual_priority", "plan_rows")
    _shown = ("row", "no", "asset", "level", "priority")


class PlanRow(Record):
    """One row of a treatment plan (リスク対応計画): ``row``, ``no``, ``risk_nos``, ``control``,
    ``control_ids``, ``task``, ``owner``, ``dates`` (``2026-04-01``), ``status``."""

    __slots__ = ()
    _fields = ("row", "no", "risk_nos", "control", "control_ids", "task", "owner", "dates", "status")
    _shown = ("row", "no", "task", "status")


class InventoryAsset(Record):
    """One asset of a register's asset inventory (資産目録): ``row``, ``no``, ``name``, ``cia``, ``importance``."""

    __slots__ = ()
    _fields = ("row", "no", "name", "cia", "importance")


class FillSummary(Record):
    """What ``Workbook.fill()`` staged: ``edition``, ``assets`` (how many), ``high_risk_assets``
    (``Asset`` records in a high band), ``chapters_selected``, ``normalized``, ``warnings``
    (``InputWarning`` records), ``facts_to_check``, and ``register`` / ``self_check`` when the
    workbook has one."""

    __slots__ = ()
    _fields = ("edition", "assets", "high_risk_assets", "chapters_selected", "normalized", "warnings", "facts_to_check")

    def __repr__(self) -> str:
        return (f"<FillSummary {self.edition}: {_count(self.assets, 'asset')}, {len(self.high_risk_assets)} high risk, "
                f"{_count(len(self.chapters_selected), 'chapter')} to write, {_count(len(self.warnings), 'warning')}>")


class SaveSummary(Record):
    """What ``Workbook.save()`` wrote (or ``preview()`` would write): ``file``,
    ``cells_written`` (``SHEET!A1`` each), ``sheets`` (the sheets they are on), ``formulas_affected``
    (formula cells whose cached value was dropped, so that Excel and LibreOffice compute them
    afresh), ``parts_changed`` and ``parts_removed`` (the zip parts). Its ``repr`` is one line."""

    __slots__ = ()
    _fields = ("file", "parts_changed", "parts_removed", "cells_written", "formulas_affected")

    @property
    def sheets(self) -> List[str]:
        """The sheets of ``cells_written``, in order of first write."""
        seen: Dict[str, None] = {}
        for address in self.cells_written:
            seen.setdefault(_sheet_of(address), None)
        return list(seen)

    def __repr__(self) -> str:
        name = _Path(self.file).name
        cells = len(self.cells_written)
        if cells:
            what = f"{_count(cells, 'cell')} changed in {_count(len(self.sheets), 'sheet')}"
        elif self.parts_changed or self.parts_removed:
            what = f"{_count(len(self.parts_changed) + len(self.parts_removed), 'part')} changed"
        else:
            what = "nothing changed"
        return f"<SaveSummary {name}: {what}>"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _sheet_of(address: str) -> str:
    """The sheet of ``SHEET!A1`` (``'My sheet'!A1`` unquoted)."""
    sheet = address.rpartition("!")[0]
    if len(sheet) >= 2 and sheet[0] == sheet[-1] == "'":
        sheet = sheet[1:-1].replace("''", "'")
    return sheet


# The record class of each list of the analysis (and of inspect()["ipa"]).
_ANALYSIS_RECORDS = {"assets": Asset, "media": Medium, "groups": Group, "chapters": Chapter, "warnings": InputWarning, "risks": Risk,
                     "plan": PlanRow, "inventory": InventoryAsset}


def _analysis(d: Dict[str, Any]) -> Dict[str, Any]:
    """The analysis dict with its lists of records as ``Record`` objects."""
    for key, cls in _ANALYSIS_RECORDS.items():
        if isinstance(d.get(key), list):
            d[key] = [cls(**x) for x in d[key]]
    return d


ASSET_COLUMNS = Asset._fields
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
        (``"=1+2"``, ``"007"``). A ``datetime.date`` (``datetime.datetime``) is stored as an Excel
        date: its serial number, with a date (date and time) number format unless the cell already
        shows dates, so Excel and LibreOffice show the date and ``get`` returns it."""
        super().set(address, str(value) if isinstance(value, Text) else value, text=text or isinstance(value, Text))

    def analysis(self, profile: Any = None, *, map: Optional[Dict[str, str]] = None, facts: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """The IPA risk analysis read from the workbook (unsaved edits included): ``edition``,
        ``lang``, ``layout``, ``facts`` and the lists ``assets`` (``Asset``), ``media``
        (``Medium``), ``groups`` (``Group``), ``chapters`` (``Chapter``), ``warnings``
        (``InputWarning``) and, for a risk register, ``risks`` (``Risk``), ``plan``
        (``PlanRow``), ``inventory`` (``InventoryAsset``), as records. Raises ``ProfileError``
        when the workbook is not one."""
        return _analysis(super().analysis(profile, map=map, facts=facts))

    def inspect(self) -> Dict[str, Any]:
        """What the workbook holds, as ``risksheet inspect --json`` reports it (its ``ipa`` part
        with records, as ``analysis()``)."""
        report = super().inspect()
        if isinstance(report.get("ipa"), dict):
            _analysis(report["ipa"])
        return report

    def fill(self, profile: Any = None, *, map: Optional[Dict[str, str]] = None, facts: Optional[Dict[str, Any]] = None) -> FillSummary:
        """Computes every result of the risk analysis (重要度 … リスク値, 集計, 診断結果, the
        policy selection) and stages them; ``save()`` writes them. Returns a ``FillSummary``
        (``high_risk_assets`` as ``Asset`` records, ``warnings`` as ``InputWarning``)."""
        d = super().fill(profile, map=map, facts=facts)
        d["high_risk_assets"] = [Asset(**a) for a in d["high_risk_assets"]]
        d["warnings"] = [InputWarning(**w) for w in d["warnings"]]
        return FillSummary(**d)

    def save(self, path: Any = None, *, backup: bool = False, force: bool = False) -> SaveSummary:
        """Saves the safe way, in place or to ``path`` (the workbook then reads from ``path``);
        ``backup`` keeps the old file as ``NAME.bak.xlsx``; ``force`` writes even when the file
        is open in LibreOffice or Excel or changed on disk. Returns a ``SaveSummary``
        (``<SaveSummary 台帳.xlsx: 980 cells changed in 3 sheets>``, the detail as attributes)."""
        return SaveSummary(**super().save(path, backup=backup, force=force))

    def preview(self) -> SaveSummary:
        """What ``save()`` would change, writing nothing (``risksheet edit --dry-run --json``)."""
        return SaveSummary(**super().preview())

    @property
    def assets(self) -> List[Asset]:
        """The assets of the ledger with their computed results (the workbook's edition is
        detected; unsaved edits are seen). ``analysis(profile)["assets"]`` for another profile."""
        return self.analysis()["assets"]

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
    "Chapter",
    "FileNotFound",
    "FillSummary",
    "Group",
    "InputWarning",
    "InvalidAddressError",
    "InvalidValueError",
    "InventoryAsset",
    "IsADirectory",
    "Medium",
    "NotAWorkbookError",
    "PlanRow",
    "ProfileError",
    "Record",
    "Risk",
    "SaveSummary",
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
