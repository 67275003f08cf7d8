"""What a cell holds (the double's record of it), and the error Excel raises through COM."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from xlwings_double.ranges import Range


class ComError(Exception):
    """What Excel raises through COM (``pywintypes.com_error`` on Windows)."""


@dataclass
class _Cell:
    value: Any = None  # float, bool, datetime or str, as Excel holds it
    formula: str | None = None
    prefix: bool = False  # Excel's PrefixCharacter "'": text entered behind an apostrophe
    error: str | None = None  # "#N/A" and the like
    number_format: str = "General"
    style: dict[str, Any] = field(default_factory=dict)  # only what was set here


def record(rng: Range) -> _Cell:
    """Return what the top-left cell of ``rng`` holds (double only: COM's HasFormula etc.)."""
    return rng.sheet._cells.get((rng.row, rng.column), _Cell())
