"""Type stubs for the compiled module risksheet._risksheet."""
import datetime
import os
from pathlib import Path
from types import TracebackType
from typing import Any, Dict, List, Literal, Optional, Tuple, Type, TypedDict, Union, final

from typing_extensions import NotRequired

__all__ = [
    "__version__", "open", "new_workbook", "set_lang", "get_lang", "Workbook", "Cell", "WorkbookError",
    "NotAWorkbookError", "SheetNotFoundError", "InvalidAddressError", "ArrayFormulaError", "InvalidValueError",
    "ProfileError", "FileNotFound", "IsADirectory",
]

__version__: str

CellValue = Union[float, str, bool, None, datetime.date]
"""What a cell holds: a number, text, TRUE/FALSE, or nothing; a number in a date format as a
``datetime.date`` (``datetime.datetime`` with a time). Errors (``#N/A``) are str."""
InputValue = Union[int, float, str, bool, None, datetime.date]
StrPath = Union[str, "os.PathLike[str]"]

class SheetInfo(TypedDict):
    name: str
    part: str
    kind: Literal["worksheet", "chartsheet", "other"]
    hidden: bool

class SheetSummary(TypedDict):
    name: str
    part: str
    kind: Literal["worksheet", "chartsheet", "other"]
    dimension: Optional[str]
    cells: int
    formulas: int
    validations: int
    merges: int

class Inspection(TypedDict, total=False):
    file: str
    sheets: List[SheetSummary]
    defined_names: int
    ipa: "Analysis"
    ipa_error: str

class SaveReport(TypedDict):
    file: str
    parts_changed: List[str]
    parts_removed: List[str]
    cells_written: List[str]
    formulas_affected: List[str]

class InputWarning(TypedDict):
    """An input risksheet could not use, with its place."""
    sheet: str
    cell: str
    message: str

class FillSummary(TypedDict):
    """What ``fill()`` staged (the ``fill`` part of ``risksheet fill --json``)."""
    edition: str
    assets: int
    high_risk_assets: List["AssetDict"]
    """The assets in a high band (the CLI prints them as 「name (band)」)."""
    chapters_selected: List[str]
    normalized: List[str]
    warnings: List[InputWarning]
    facts_to_check: List[str]
    register: NotRequired["RegisterFill"]

class RegisterSummary(TypedDict):
    """The figures of a risk register a management review asks for: counts per priority label
    before and after treatment (with 未評価 last), plan rows per status (with 未記入 last)."""
    risks: int
    by_priority: List[Tuple[str, int]]
    by_residual_priority: List[Tuple[str, int]]
    above_acceptance: int
    untreated: int
    unplanned: int
    plan: List[Tuple[str, int]]
    plan_done: Optional[float]

class RegisterFill(TypedDict):
    """What ``fill()`` computed on a risk register (LV.3, the ISMS seminar)."""
    sheet: str
    risks: int
    summary_sheet: str
    summary: RegisterSummary

class RiskDict(TypedDict, total=False):
    """One risk of a register. Besides these keys, each factor of the profile's ``[register]``
    by its key (``likelihood``; ``impact`` and ``frequency`` for the seminar) and, after
    treatment, ``residual_<key>``."""
    row: int
    no: str
    asset_nos: List[str]
    asset: str
    event: str
    importance: Optional[int]
    importance_from: Optional[Literal["inventory", "entered"]]
    level: Optional[int]
    priority: Optional[str]
    priority_advice: Optional[str]
    needs_treatment: bool
    treatment: List[str]
    controls: str
    control_ids: List[str]
    response: Optional[str]
    residual_importance: Optional[int]
    residual_level: Optional[int]
    residual_priority: Optional[str]
    plan_rows: List[int]

class PlanRowDict(TypedDict):
    """One row of a treatment plan (リスク対応計画); dates as ``2026-04-01``."""
    row: int
    no: str
    risk_nos: List[str]
    control: str
    control_ids: List[str]
    task: str
    owner: str
    dates: List[str]
    status: Optional[str]

class InventoryAssetDict(TypedDict):
    row: int
    no: str
    name: str
    cia: List[Optional[int]]
    importance: Optional[int]

class AssetDict(TypedDict):
    row: int
    name: str
    medium: Optional[str]
    c: Optional[int]
    i: Optional[int]
    a: Optional[int]
    personal: bool
    mynumber: bool
    importance: Optional[int]
    threat: Optional[int]
    vulnerability: Optional[int]
    likelihood: Optional[int]
    risk: Optional[int]
    band: Optional[str]

class MediumResult(TypedDict):
    id: str
    name: str
    threat: Optional[int]
    rate: Optional[float]
    vulnerability: Optional[int]

class GroupResult(TypedDict):
    id: str
    name: str
    rate: Optional[float]
    not_applicable: bool
    unanswered: int

class ChapterResult(TypedDict):
    number: int
    title: str
    need: str
    rate: Optional[float]
    selected: bool
    reasons: List[str]

class Fact(TypedDict):
    """One company fact (会社の状況): its value (None = not answered, 要確認), where it came from,
    its answer cell on 診断結果 and whether a chapter of the profile depends on it."""
    value: Union[bool, int, None]
    source: Optional[Literal["cli", "workbook", "profile"]]
    cell: Optional[str]
    used: bool

FactKey = Literal["development", "outsourcing", "employees", "contractor_secrets", "telework"]

class Analysis(TypedDict):
    """The IPA risk analysis of a workbook (the ``ipa`` part of ``risksheet inspect --json``)."""
    edition: str
    lang: Literal["ja", "en"]
    layout: Dict[str, Any]
    assets: List[AssetDict]
    media: List[MediumResult]
    groups: List[GroupResult]
    chapters: List[ChapterResult]
    facts: Dict[FactKey, Fact]
    warnings: List[InputWarning]
    # Present when the workbook has a risk register (LV.3, the ISMS seminar).
    risks: NotRequired[List[RiskDict]]
    plan: NotRequired[List[PlanRowDict]]
    inventory: NotRequired[List[InventoryAssetDict]]
    register_summary: NotRequired[RegisterSummary]

Profile = Union[str, "os.PathLike[str]", None]
"""A profile: None (detect the edition), a builtin name ("ipa-3", "ipa-2.1", "lv3", "isms-seminar") or a TOML file."""

class WorkbookError(Exception):
    """An error reading or editing a workbook."""
    file: Optional[str]
    sheet: Optional[str]
    cell: Optional[str]
    kind: str

class FileNotFound(WorkbookError, FileNotFoundError):
    """The file does not exist (also a FileNotFoundError: .errno ENOENT, .filename the path)."""

class IsADirectory(WorkbookError, IsADirectoryError):
    """A folder was given where a file is needed (also an IsADirectoryError)."""

class NotAWorkbookError(WorkbookError):
    """Not a usable .xlsx: not a zip, not a workbook, encrypted, a legacy .xls, damaged, or too large."""

class SheetNotFoundError(WorkbookError):
    """No sheet of that name."""

class InvalidAddressError(WorkbookError):
    """A cell address that cannot be parsed or cannot be edited."""

class ArrayFormulaError(InvalidAddressError):
    """An edit that lands inside an array formula's range."""

class InvalidValueError(WorkbookError):
    """A value of the wrong kind."""

class ProfileError(WorkbookError):
    """A profile that cannot be used, or a layout whose headers cannot be found."""

@final
class Cell:
    """One stored cell."""
    @property
    def sheet(self) -> str: ...
    @property
    def address(self) -> str: ...
    @property
    def row(self) -> int: ...
    @property
    def col(self) -> int: ...
    @property
    def style(self) -> int: ...
    @property
    def value(self) -> CellValue: ...
    @property
    def formula(self) -> Optional[str]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def __eq__(self, other: object, /) -> bool: ...

class Workbook:
    """A workbook opened for reading and in-place editing. Edits stay in memory until save().
    The package's risksheet.Workbook subclasses it."""
    def __new__(cls, path: StrPath, *, max_part_mb: int = 1024) -> "Workbook": ...
    @property
    def path(self) -> Path: ...
    @property
    def sheet_names(self) -> List[str]: ...
    @property
    def sheets(self) -> List[SheetInfo]: ...
    @property
    def modified(self) -> bool: ...
    @property
    def closed(self) -> bool: ...
    def get(self, address: str) -> CellValue: ...
    def cell(self, address: str) -> Optional[Cell]: ...
    def cells(self, sheet: str) -> List[Cell]: ...
    def set(self, address: str, value: InputValue, *, text: bool = False) -> None: ...
    def set_formula(self, address: str, formula: str, cached: InputValue = None) -> None: ...
    def inspect(self) -> Inspection: ...
    def fill(
        self,
        profile: Profile = None,
        *,
        map: Optional[Dict[str, str]] = None,
        facts: Optional[Dict[str, Union[str, int, bool]]] = None,
    ) -> FillSummary: ...
    def add_self_check(
        self, sites: Optional[List[str]] = None, lang: str = "ja", profile: Profile = None
    ) -> Dict[str, Any]: ...
    def analysis(
        self,
        profile: Profile = None,
        *,
        map: Optional[Dict[str, str]] = None,
        facts: Optional[Dict[str, Union[str, int, bool]]] = None,
    ) -> Analysis: ...
    def convert(
        self,
        to: str = "2022",
        *,
        source: str = "auto",
        sheets: Optional[List[str]] = None,
        catalog: Optional[StrPath] = None,
    ) -> Dict[str, Any]: ...
    def report(
        self,
        format: Literal["md", "markdown", "html"] = "md",
        profile: Profile = None,
        *,
        map: Optional[Dict[str, str]] = None,
        facts: Optional[Dict[str, Union[str, int, bool]]] = None,
    ) -> str: ...
    def soa(
        self, path: StrPath, *, catalog: Optional[StrPath] = None, lang: Optional[str] = None
    ) -> Dict[str, Any]: ...
    def save(self, path: Optional[StrPath] = None, *, backup: bool = False, force: bool = False) -> SaveReport: ...
    def preview(self) -> SaveReport: ...
    def close(self) -> None: ...
    def __enter__(self) -> "Workbook": ...
    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]] = None,
        exc: Optional[BaseException] = None,
        tb: Optional[TracebackType] = None,
    ) -> bool: ...

def open(path: StrPath, *, max_part_mb: int = 1024) -> Workbook: ...
def new_workbook(
    path: StrPath, edition: Profile = None, lang: str = "ja", *, force: bool = False
) -> FillSummary: ...
def set_lang(lang: str) -> None: ...
def get_lang() -> Literal["ja", "en"]: ...
