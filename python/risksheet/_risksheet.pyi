"""Type stubs for the compiled module risksheet._risksheet."""
import os
from pathlib import Path
from types import TracebackType
from typing import Any, Dict, List, Literal, Optional, Type, TypedDict, Union

__version__: str

CellValue = Union[float, str, bool, None]
"""What a cell holds: a number (dates too), text, TRUE/FALSE, or nothing. Errors (``#N/A``) are str."""
InputValue = Union[int, float, str, bool, None]
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

class Inspection(TypedDict):
    file: str
    sheets: List[SheetSummary]
    defined_names: int

class SaveReport(TypedDict):
    file: str
    parts_changed: List[str]
    parts_removed: List[str]
    cells_written: List[str]
    formulas_affected: List[str]

class WorkbookError(Exception):
    """An error reading or editing a workbook."""
    file: Optional[str]
    sheet: Optional[str]
    cell: Optional[str]
    kind: str

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
    def __eq__(self, other: object) -> bool: ...

class Workbook:
    """A workbook opened for reading and in-place editing. Edits stay in memory until save()."""
    def __init__(self, path: StrPath, *, max_part_mb: int = 1024) -> None: ...
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
    def set(self, address: str, value: InputValue) -> None: ...
    def set_formula(self, address: str, formula: str, cached: InputValue = None) -> None: ...
    def inspect(self) -> Inspection: ...
    def save(self, path: Optional[StrPath] = None, *, backup: bool = False) -> SaveReport: ...
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
def set_lang(lang: str) -> None: ...
def get_lang() -> Literal["ja", "en"]: ...
