"""The sheets of a book: tab order, names, and the sparse cells each one holds."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from xlwings_double.cells import ComError, _Cell
from xlwings_double.charts import Charts
from xlwings_double.ranges import Range, _corners

if TYPE_CHECKING:
    from xlwings_double.app import Book

MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384


class Sheets:
    """The sheets of a book, by 0-based index (negative from the end) or by name."""

    def __init__(self, book: Book) -> None:
        self.book = book
        self._sheets: list[Sheet] = []
        self._active = 0

    def __len__(self) -> int:
        return len(self._sheets)

    def __iter__(self) -> Iterator[Sheet]:
        return iter(list(self._sheets))

    def __contains__(self, name: str) -> bool:
        return any(s.name.lower() == name.lower() for s in self._sheets)

    def __getitem__(self, key: int | str) -> Sheet:
        if isinstance(key, int):
            if not -len(self) <= key < len(self):
                raise IndexError(f"Index {key} out of range ({len(self)} elements)")
            return self._sheets[key]
        for sheet in self._sheets:
            if sheet.name.lower() == key.lower():  # Excel's names ignore case
                return sheet
        raise ComError(f"no sheet named {key!r}")

    @property
    def active(self) -> Sheet:
        """Return the active sheet."""
        return self._sheets[self._active]

    def add(self, name: str | None = None, before: Sheet | None = None,
            after: Sheet | None = None) -> Sheet:
        """Add a sheet before the active one (or ``before``/``after``); it becomes active."""
        if name is not None and name in self:
            raise ValueError(f"Sheet named '{name}' already present in workbook")
        number = len(self) + 1
        while f"Sheet{number}" in self:
            number += 1
        sheet = self._append(name or f"Sheet{number}")
        self._sheets.pop()
        index = (self._sheets.index(after) + 1 if after is not None
                 else self._sheets.index(before) if before is not None else self._active)
        self._sheets.insert(index, sheet)
        self._active = index
        return sheet

    def _append(self, name: str) -> Sheet:
        if len(name) > 31 or re.search(r"[\[\]:*?/\\]", name):
            raise ComError(f"invalid sheet name {name!r}")
        sheet = Sheet(self.book, name)
        self._sheets.append(sheet)
        return sheet


class Sheet:
    """A worksheet: cells kept sparse by (row, column)."""

    def __init__(self, book: Book, name: str) -> None:
        self.book = book
        self.name = name
        self._cells: dict[tuple[int, int], _Cell] = {}
        self._merged: list[tuple[int, int, int, int]] = []  # (min col, min row, max col, max row)
        self._widths: dict[int, float] = {}
        self._heights: dict[int, float] = {}
        self._cleared = False  # since the last save: the file's formats go too
        self.charts = Charts(self)

    @property
    def index(self) -> int:
        """Return the 1-based position in the tab order."""
        return self.book.sheets._sheets.index(self) + 1

    def range(self, cell1: Any, cell2: Any = None) -> Range:
        """Return a range: ``'A1'``, ``'A1:C3'``, ``(row, col)``, or two corners."""
        r1, c1, r2, c2 = _corners(cell1)
        if cell2 is not None:
            r3, c3, r4, c4 = _corners(cell2)
            r1, c1, r2, c2 = min(r1, r3), min(c1, c3), max(r2, r4), max(c2, c4)
        for row, col in ((r1, c1), (r2, c2)):
            if not (1 <= row <= MAX_ROWS and 1 <= col <= MAX_COLUMNS):
                raise ComError(f"cell ({row}, {col}) is outside the sheet")
        return Range(self, r1, c1, r2, c2)

    def __getitem__(self, key: str | tuple[int, int]) -> Range:
        return self.range(key) if isinstance(key, str) else self.range((key[0] + 1, key[1] + 1))

    @property
    def cells(self) -> Range:
        """Return every cell of the sheet."""
        return Range(self, 1, 1, MAX_ROWS, MAX_COLUMNS)

    @property
    def used_range(self) -> Range:
        """Return the block from the first to the last cell with a value or a format."""
        if not self._cells:
            return Range(self, 1, 1, 1, 1)
        rows = [r for r, _ in self._cells]
        cols = [c for _, c in self._cells]
        return Range(self, min(rows), min(cols), max(rows), max(cols))

    def clear(self) -> None:
        """Clear contents, formats and merges; charts and column widths stay."""
        self._cells.clear()
        self._merged.clear()
        self._cleared = True

    def clear_contents(self) -> None:
        """Clear values and formulas; formats stay."""
        self.cells.clear_contents()

    def __repr__(self) -> str:
        return f"<Sheet [{self.book.name}]{self.name}>"

    def _empty(self, row: int, col: int) -> bool:
        cell = self._cells.get((row, col))
        return cell is None or (cell.value in (None, "") and not cell.formula and not cell.error)

    def _merge_of(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        return next((m for m in self._merged
                     if m[0] <= col <= m[2] and m[1] <= row <= m[3]), None)

    def _formula_of(self, row: int, col: int) -> str:
        """Return COM's Formula of one cell: a formula, or the constant as Excel writes it."""
        cell = self._cells.get((row, col), _Cell())
        value = cell.value
        if cell.formula or cell.error:
            return cell.formula or cell.error or ""
        if value is None:
            return ""
        if isinstance(value, bool):
            return str(value).upper()
        if isinstance(value, datetime):  # a date's constant is its serial number
            value = (value - datetime(1899, 12, 30)).total_seconds() / 86400
        if isinstance(value, float):
            return f"{value:.15g}"
        return str(value)

