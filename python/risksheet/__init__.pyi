from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from ._risksheet import (
    Analysis as Analysis,
    ArrayFormulaError as ArrayFormulaError,
    Cell as Cell,
    CellValue as CellValue,
    FillSummary as FillSummary,
    Inspection as Inspection,
    InvalidAddressError as InvalidAddressError,
    InvalidValueError as InvalidValueError,
    NotAWorkbookError as NotAWorkbookError,
    Profile as Profile,
    ProfileError as ProfileError,
    SaveReport as SaveReport,
    SheetNotFoundError as SheetNotFoundError,
    StrPath as StrPath,
    WorkbookError as WorkbookError,
    __version__ as __version__,
    get_lang as get_lang,
    set_lang as set_lang,
)
from ._risksheet import Workbook as _Workbook

@dataclass(frozen=True)
class Asset:
    """One asset of the ledger and its computed results (None where an input is missing)."""
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
    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "Asset": ...
    def to_dict(self) -> Dict[str, Any]: ...

ASSET_COLUMNS: Tuple[str, ...]

class Text(str):
    """A str that Workbook.set stores as text exactly as it is, never as a formula or a number."""

class Workbook(_Workbook):
    """A workbook opened for reading and in-place editing. Edits stay in memory until save()."""
    @property
    def assets(self) -> List[Asset]: ...
    def assets_frame(self, profile: Profile = None) -> Any:
        """A pandas.DataFrame, one row per asset, columns ASSET_COLUMNS. Needs pandas."""
    def __enter__(self) -> "Workbook": ...

def open(path: StrPath, *, max_part_mb: int = 1024) -> Workbook: ...
def new(path: StrPath, edition: Profile = "ipa-3", lang: str = "ja", *, force: bool = False) -> Workbook: ...

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
