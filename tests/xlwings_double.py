"""A test double of the part of xlwings 0.37.8 that the tool uses, for machines without Excel.

Written from xlwings' documentation and source (``xlwings/main.py``, ``_xlwindows.py``,
``conversion/standard.py``, ``expansion.py``); the vocabularies (chart types, alignments,
border sides) are xlwings' own, imported from ``xlwings.base_classes``.

Faithful, as xlwings over Excel on Windows behaves:

- ``Range.value`` shapes: a cell reads as a scalar, one row or one column as a flat list,
  a block as a list of rows; ``options(ndim=2)`` always gives rows. Assigning a scalar fills
  every cell of the range; a flat list writes one row and a list of rows a block, both from
  the range's top-left cell whatever the range's own size; rows must be equally long.
- What Excel hands back: every number as ``float``, dates as ``datetime``, empty and ``""``
  as ``None``, error cells as ``None`` (their text with ``err_to_str=True``).
- Excel's typing rules when text is assigned, for the cases listed in :func:`_typed`: a
  leading apostrophe is consumed and the rest kept as text (``PrefixCharacter``); ``=...``
  and ``+``/``-``/``@`` followed by a non-number become formulas; numbers (``0012``,
  ``1,234``, ``-1``, ``1e3``, long digit strings losing precision past 15 digits), ``50%``,
  ``TRUE`` and dates (``2024-1-5``, ``2024/1/5``, ``2024年1月5日``) are converted. A cell
  formatted as Text (``@``) stores any text as given, apostrophe included.
- ``.formula`` is COM's ``Formula``: the formula of a formula cell, else the constant as
  text (so text that starts with ``=`` reads back starting with ``=`` too; whether a cell
  *holds* a formula is COM's ``HasFormula``, which xlwings does not expose: tests ask
  :func:`record` instead).
- ``merge_cells`` is True, False, or None when only some cells of the range are merged;
  ``number_format``, ``wrap_text`` and the alignments read None when the cells disagree.
- ``Sheet.clear()`` clears contents, formats and merges but leaves charts (they are shapes)
  and column widths; ``used_range`` covers every cell with a value or a format, and is
  ``$A$1`` on an empty sheet.

Not faithful (known gaps):

- No calculation: a formula read from a file gives the value cached in the file; one
  assigned here reads as ``None``.
- No COM: objects have no ``.api`` (as on xlwings Lite). Excel coerces more typed text than
  modelled here (times, fractions, currency, locale forms): the list above is what tests
  rely on. Writing into a merged cell other than its top-left raises :class:`ComError`,
  where Excel's behaviour varies. Borders are kept per cell and side, not as Excel's edges.
- ``left``/``top`` are computed from column widths with Calibri 11's 7-pixel digit and 15pt
  rows: close, not Excel's exact figures.
- :meth:`Book.save` really writes the file, with openpyxl (double behaviour, so that a test
  can read what was saved): values, number formats, merges, widths and the styles set
  here, over the file's other content; charts are written as plain openpyxl charts. A book
  whose full name is a URL (OneDrive) is only recorded as saved.

Double-only, for tests (xlwings has none of these): :meth:`Book.from_file` and
``Book(fullname, {title: rows})`` to build a book (rows stored as a file holds them, not
typed); :func:`record` for what a cell holds (formula, prefix); ``App.calls`` (value reads and
writes, to count COM round trips), ``App.alerts``, ``App.answers`` (buttons to press),
``App.status_history``, ``Book.saves``, ``Book.pdfs``; :class:`ComError`.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, PatternFill, Side
from openpyxl.styles import Font as OpenpyxlFont
from openpyxl.utils import get_column_letter, range_boundaries
from xlwings.base_classes import (
    BORDER_GRID_SIDES,
    BORDER_SIDES,
    CHART_PLOT_BY,
    CHART_TYPES,
    HORIZONTAL_ALIGNMENTS,
    VERTICAL_ALIGNMENTS,
)

MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384
_DEFAULTS = {"color": None, "font.name": "Calibri", "font.size": 11.0, "font.bold": False,
             "font.italic": False, "font.color": (0, 0, 0), "wrap_text": False,
             "horizontal_alignment": "general", "vertical_alignment": "bottom"}
_BORDER_GROUPS = {"all": BORDER_GRID_SIDES, "everything": BORDER_SIDES,
                  "outside": BORDER_SIDES[:4], "inside": BORDER_SIDES[4:6]}
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")
_DATE = re.compile(r"^(\d{4})(?:[-/](\d{1,2})[-/](\d{1,2})|年(\d{1,2})月(\d{1,2})日)$")
_ADDRESS = re.compile(r"\$?[A-Za-z]{1,3}\$?\d+(:\$?[A-Za-z]{1,3}\$?\d+)?")
_UNSET: Any = object()


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


class App:
    """An Excel instance: alerts and status bar recorded, books opened from files."""

    def __init__(self) -> None:
        self.books = Books(self)
        self.alerts: list[dict[str, Any]] = []
        self.answers: list[str] = []  # buttons a test wants pressed, in order
        self.status_history: list[str | bool] = []
        self._status_bar: str | bool = False
        self.screen_updating = True
        self.display_alerts = True
        self._calculation = "automatic"
        self.calls: list[tuple[str, str]] = []  # (operation, address) of value reads/writes

    def alert(self, prompt: str, title: str | None = None, buttons: str = "ok",
              mode: str | None = None, callback: str | None = None) -> str:
        """Record a message box; return the pressed button (queued answer, else the first)."""
        if buttons not in ("ok", "ok_cancel", "yes_no", "yes_no_cancel"):
            raise ValueError(f"invalid buttons {buttons!r}")
        if mode not in (None, "info", "critical"):
            raise ValueError(f"invalid mode {mode!r}")
        self.alerts.append({"prompt": prompt, "title": title, "buttons": buttons, "mode": mode})
        return self.answers.pop(0) if self.answers else buttons.split("_")[0]

    @property
    def status_bar(self) -> str | bool:
        """Return the status bar text, or False while Excel shows its own."""
        return self._status_bar

    @status_bar.setter
    def status_bar(self, value: str | bool) -> None:
        self.status_history.append(value)
        self._status_bar = value

    @property
    def calculation(self) -> str:
        """Return the calculation mode."""
        return self._calculation

    @calculation.setter
    def calculation(self, value: str) -> None:
        if value not in ("manual", "automatic", "semiautomatic"):
            raise ValueError(f"invalid calculation {value!r}")
        self._calculation = value


class Books:
    """The books open in an :class:`App`."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._books: list[Book] = []

    def __len__(self) -> int:
        return len(self._books)

    def __iter__(self) -> Iterator[Book]:
        return iter(list(self._books))

    def __getitem__(self, key: int | str) -> Book:
        if isinstance(key, int):
            return self._books[key]
        return next(b for b in self._books if b.name.lower() == key.lower())

    def open(self, fullname: str | Path) -> Book:
        """Return the book at ``fullname``, opening it unless it is open already."""
        path = Path(fullname)
        if not path.exists():
            raise FileNotFoundError(f"No such file: '{path}'")
        for book in self._books:
            if book.name.lower() == path.name.lower():
                if Path(book.fullname).resolve() != path.resolve():
                    raise ValueError(f"Cannot open two workbooks named '{path.name}'")
                return book
        return Book.from_file(path, app=self.app)


class Book:
    """A workbook; ``fullname`` is a path once saved, a bare name (``工作簿1``) before."""

    def __init__(self, fullname: str | Path = "工作簿1",
                 sheets: Iterable[str] | Mapping[str, Sequence[Sequence[Any]]] = ("Sheet1",),
                 app: App | None = None) -> None:
        self._fullname = str(fullname)
        self.app = app or App()
        self.app.books._books.append(self)
        self.sheets = Sheets(self)
        self.saves: list[str | None] = []
        self.pdfs: list[str] = []
        self.closed = False
        self._source: Path | None = None
        for name in sheets:
            sheet = self.sheets._append(name)
            rows = sheets[name] if isinstance(sheets, Mapping) else []
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row, start=1):
                    if value is not None:
                        sheet._cells[(r, c)] = _Cell(value=_stored(value))

    @classmethod
    def from_file(cls, path: str | Path, app: App | None = None) -> Book:
        """Return the book of the .xlsx/.xlsm at ``path`` as Excel would open it."""
        path = Path(path).resolve()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's doubts about features Excel reads
            workbook = openpyxl.load_workbook(path)
        book = cls(path, sheets=(), app=app)
        book._source = path
        cached = None
        for ws in workbook.worksheets:
            sheet = book.sheets._append(ws.title)
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell, MergedCell) or (cell.value is None and not cell.has_style):
                        continue
                    held = _Cell(number_format=cell.number_format, prefix=cell.quotePrefix)
                    if cell.data_type == "f":
                        if cached is None:  # Excel computes formulas; the file caches results
                            cached = openpyxl.load_workbook(path, data_only=True)
                        held.formula = str(cell.value)
                        held.value = _stored(cached[ws.title][cell.coordinate].value)
                    elif cell.data_type == "e":
                        held.error = str(cell.value)
                    else:
                        held.value = _stored(cell.value)
                    sheet._cells[(cell.row, cell.column)] = held
            sheet._merged = [range_boundaries(str(m)) for m in ws.merged_cells.ranges]
            for letter, dim in ws.column_dimensions.items():
                if dim.width and dim.customWidth:
                    sheet._widths[range_boundaries(f"{letter}1")[0]] = float(dim.width)
            for chart in ws._charts:  # openpyxl keeps loaded charts here; no public reader
                sheet.charts._add(Chart(sheet, _openpyxl_kind(chart), 0, 0, 355, 211))
        return book

    @property
    def name(self) -> str:
        """Return the file name (``总表.xlsx``), or the bare name of an unsaved book."""
        return Path(self._fullname).name

    @property
    def fullname(self) -> str:
        """Return the full path, or the bare name of an unsaved book."""
        return self._fullname

    @property
    def sheet_names(self) -> list[str]:
        """Return the sheet names in tab order."""
        return [s.name for s in self.sheets]

    def save(self, path: str | Path | None = None, password: str | None = None) -> None:
        """Save (write the file with openpyxl: double behaviour), as SaveAs when ``path``."""
        self.saves.append(None if path is None else str(path))
        if path is None and "://" in self._fullname:
            return  # a book in the cloud (OneDrive): Excel uploads it, the double cannot
        if path is None:
            # Excel saves a book never saved into the working directory, under its name.
            path = self._fullname if Path(self._fullname).is_absolute() else (
                Path.cwd() / f"{self.name}.xlsx")
        target = Path(path).resolve()
        _write(self, target)
        self._fullname, self._source = str(target), target
        for sheet in self.sheets:
            sheet._cleared = False

    def to_pdf(self, path: str | Path | None = None, **options: Any) -> str:
        """Record the export and write a small placeholder PDF; return its path."""
        base = Path(self._fullname)
        target = Path(path) if path else (
            base.with_suffix(".pdf") if base.is_absolute() else Path.cwd() / f"{self.name}.pdf")
        target.write_bytes(b"%PDF-1.4\n% xlwings double placeholder\n%%EOF\n")
        self.pdfs.append(str(target))
        return str(target)

    def close(self) -> None:
        """Close without saving."""
        self.closed = True
        self.app.books._books.remove(self)

    def __repr__(self) -> str:
        return f"<Book [{self.name}]>"


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


class Range:
    """A block of cells from (row, column) to (last row, last column)."""

    def __init__(self, sheet: Sheet, r1: int, c1: int, r2: int, c2: int,
                 options: Mapping[str, Any] | None = None) -> None:
        self.sheet = sheet
        self.row, self.column, self._last = r1, c1, (r2, c2)
        self._options = dict(options or {})

    def options(self, convert: Any = None, **options: Any) -> Range:
        """Return this range reading and writing with ``options`` (ndim, err_to_str, empty)."""
        unknown = set(options) - {"ndim", "err_to_str", "empty", "expand"}
        if convert is not None or unknown:
            raise NotImplementedError(f"the double has no converter/options {unknown or convert}")
        return Range(self.sheet, self.row, self.column, *self._last, options=options)

    @property
    def shape(self) -> tuple[int, int]:
        """Return (rows, columns)."""
        return self._last[0] - self.row + 1, self._last[1] - self.column + 1

    def __len__(self) -> int:
        return self.shape[0] * self.shape[1]

    count = property(__len__)

    @property
    def address(self) -> str:
        """Return the address as COM gives it: ``$A$1`` or ``$A$1:$C$3``."""
        first = f"${get_column_letter(self.column)}${self.row}"
        if self.shape == (1, 1):
            return first
        return f"{first}:${get_column_letter(self._last[1])}${self._last[0]}"

    @property
    def last_cell(self) -> Range:
        """Return the bottom-right cell."""
        return Range(self.sheet, *self._last, *self._last, options=self._options)

    def __call__(self, row: int, col: int) -> Range:
        return self.sheet.range((self.row + row - 1, self.column + col - 1))

    def expand(self, mode: str = "table") -> Range:
        """Extend down and/or right from the top-left cell while cells are filled."""
        if mode not in ("table", "down", "d", "vertical", "right", "r", "horizontal"):
            raise KeyError(mode)
        rows, cols = self.shape
        if mode in ("table", "down", "d", "vertical"):
            rows = 1
            while not self.sheet._empty(self.row + rows, self.column):
                rows += 1
        if mode in ("table", "right", "r", "horizontal"):
            cols = 1
            while not self.sheet._empty(self.row, self.column + cols):
                cols += 1
        return Range(self.sheet, self.row, self.column, self.row + rows - 1, self.column + cols - 1)

    # -- values --------------------------------------------------------------------

    @property
    def value(self) -> Any:
        """Return the values, shaped as xlwings shapes them (see the module docstring)."""
        self.sheet.book.app.calls.append(("read", self.address))
        rng = self._expanded()
        err, empty = self._options.get("err_to_str", False), self._options.get("empty")
        rows = [[rng._read(r, c, err, empty) for c in rng._cols()] for r in rng._rows()]
        return _shaped(rows, self._options.get("ndim"))

    @value.setter
    def value(self, data: Any) -> None:
        self.sheet.book.app.calls.append(("write", self.address))
        self._assign(data)

    @property
    def formula(self) -> Any:
        """Return COM's ``Formula``: the formula, else the constant as text; a tuple of rows
        for a block."""
        rows = tuple(tuple(self.sheet._formula_of(r, c) for c in self._cols())
                     for r in self._rows())
        return rows[0][0] if self.shape == (1, 1) else rows

    @formula.setter
    def formula(self, data: Any) -> None:
        self._assign(data)  # COM's Formula takes typed text as Value does

    def clear_contents(self) -> None:
        """Clear values and formulas; formats stay."""
        for key, cell in self.sheet._cells.items():
            if self._holds(*key):
                cell.value, cell.formula, cell.prefix, cell.error = None, None, False, None

    # -- merged cells --------------------------------------------------------------

    @property
    def merge_cells(self) -> bool | None:
        """Return True if every cell is merged, False if none, None if some."""
        merged = {self.sheet._merge_of(r, c) is not None
                  for r in self._rows() for c in self._cols()}
        return merged.pop() if len(merged) == 1 else None

    @property
    def merge_area(self) -> Range:
        """Return the merged block holding the top-left cell, or that cell."""
        area = self.sheet._merge_of(self.row, self.column)
        if area is None:
            return Range(self.sheet, self.row, self.column, self.row, self.column)
        c1, r1, c2, r2 = area
        return Range(self.sheet, r1, c1, r2, c2)

    def merge(self, across: bool = False) -> None:
        """Merge the range into one cell (``across``: one per row); the top-left value stays."""
        blocks = ([(self.column, r, self._last[1], r) for r in self._rows()] if across
                  else [(self.column, self.row, self._last[1], self._last[0])])
        for c1, r1, c2, r2 in blocks:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        self.sheet._cells.pop((r, c), None)
            self.sheet._merged.append((c1, r1, c2, r2))

    def unmerge(self) -> None:
        """Split the merged blocks that hold cells of this range."""
        self.sheet._merged = [m for m in self.sheet._merged if not self._overlaps(m)]

    # -- formats -------------------------------------------------------------------

    @property
    def number_format(self) -> str | None:
        """Return the cells' number format, None when they differ."""
        return self._common(lambda cell: cell.number_format, "General")

    @number_format.setter
    def number_format(self, value: str) -> None:
        for cell in self._records():
            cell.number_format = value

    color = property(lambda self: self._style("color"),
                     lambda self, value: self._set_style("color", _rgb(value)),
                     doc="The fill colour as an RGB tuple; None: no fill.")
    wrap_text = property(lambda self: self._style("wrap_text"),
                         lambda self, value: self._set_style("wrap_text", bool(value)))

    @property
    def horizontal_alignment(self) -> str | None:
        """Return the horizontal alignment, None when the cells differ."""
        return self._style("horizontal_alignment")

    @horizontal_alignment.setter
    def horizontal_alignment(self, value: str) -> None:
        if value not in HORIZONTAL_ALIGNMENTS:
            raise ValueError(f"Invalid horizontal alignment {value!r}")
        self._set_style("horizontal_alignment", value)

    @property
    def vertical_alignment(self) -> str | None:
        """Return the vertical alignment, None when the cells differ."""
        return self._style("vertical_alignment")

    @vertical_alignment.setter
    def vertical_alignment(self, value: str) -> None:
        if value not in VERTICAL_ALIGNMENTS:
            raise ValueError(f"Invalid vertical alignment {value!r}")
        self._set_style("vertical_alignment", value)

    @property
    def font(self) -> Font:
        """Return the font of the range."""
        return Font(self)

    @property
    def borders(self) -> Borders:
        """Return the borders of the range."""
        return Borders(self)

    @property
    def column_width(self) -> float | None:
        """Return the width in characters of the range's columns, None when they differ."""
        widths = {self.sheet._widths.get(c, 8.43) for c in self._cols()}
        return widths.pop() if len(widths) == 1 else None

    @column_width.setter
    def column_width(self, value: float) -> None:
        if not 0 <= value <= 255:
            raise ComError("column width must be 0 to 255")
        for col in self._cols():
            self.sheet._widths[col] = float(value)

    @property
    def row_height(self) -> float | None:
        """Return the height in points of the range's rows, None when they differ."""
        heights = {self.sheet._heights.get(r, 15.0) for r in self._rows()}
        return heights.pop() if len(heights) == 1 else None

    @row_height.setter
    def row_height(self, value: float) -> None:
        for row in self._rows():
            self.sheet._heights[row] = float(value)

    @property
    def left(self) -> float:
        """Return the distance in points from column A's left edge."""
        widths = (self.sheet._widths.get(c, 8.43) for c in range(1, self.column))
        return sum(int(w * 7 + 5) * 0.75 if w else 0.0 for w in widths)

    @property
    def top(self) -> float:
        """Return the distance in points from row 1's top edge."""
        return sum(self.sheet._heights.get(r, 15.0) for r in range(1, self.row))

    def __repr__(self) -> str:
        return f"<Range [{self.sheet.book.name}]{self.sheet.name}!{self.address}>"

    # -- internals -----------------------------------------------------------------

    def _rows(self) -> range:
        return range(self.row, self._last[0] + 1)

    def _cols(self) -> range:
        return range(self.column, self._last[1] + 1)

    def _holds(self, row: int, col: int) -> bool:
        return self.row <= row <= self._last[0] and self.column <= col <= self._last[1]

    def _overlaps(self, area: tuple[int, int, int, int]) -> bool:
        c1, r1, c2, r2 = area
        return not (c2 < self.column or c1 > self._last[1] or r2 < self.row or r1 > self._last[0])

    def _expanded(self) -> Range:
        mode = self._options.get("expand")
        return self.expand(mode) if mode else self

    def _read(self, row: int, col: int, err_to_str: bool, empty: Any) -> Any:
        cell = self.sheet._cells.get((row, col))
        if cell is None:
            return empty
        if cell.error:
            return cell.error if err_to_str else None
        return empty if cell.value in (None, "") else cell.value

    def _records(self) -> Iterator[_Cell]:
        for row in self._rows():
            for col in self._cols():
                yield self.sheet._cells.setdefault((row, col), _Cell())

    def _common(self, get: Any, default: Any) -> Any:
        found = {get(self.sheet._cells[(r, c)]) if (r, c) in self.sheet._cells else default
                 for r in self._rows() for c in self._cols()}
        return found.pop() if len(found) == 1 else None

    def _style(self, key: str) -> Any:
        default = _DEFAULTS.get(key)
        return self._common(lambda cell: cell.style.get(key, default), default)

    def _set_style(self, key: str, value: Any) -> None:
        for cell in self._records():
            cell.style[key] = value

    def _assign(self, data: Any) -> None:
        if isinstance(data, (list, tuple)):
            if not data:
                return  # xlwings writes nothing for an empty list
            rows = [list(r) for r in data] if isinstance(data[0], (list, tuple)) else [list(data)]
            if len({len(r) for r in rows}) != 1 or not rows[0]:
                raise ValueError("rows of a block must be equally long and not empty")
            target = [((self.row + i, self.column + j), v)
                      for i, row in enumerate(rows) for j, v in enumerate(row)]
        else:
            target = [((r, c), data) for r in self._rows() for c in self._cols()]
        for (row, col), _ in target:
            area = self.sheet._merge_of(row, col)
            if area is not None and (row, col) != (area[1], area[0]):
                raise ComError(f"cannot change part of a merged cell ({row}, {col})")
        for (row, col), value in target:
            cell = self.sheet._cells.setdefault((row, col), _Cell())
            _typed(cell, value)


class Font:
    """The font of a range: name, size, bold, italic, colour (RGB tuple)."""

    def __init__(self, rng: Range) -> None:
        self._range = rng

    def _get(self, key: str) -> Any:
        return self._range._style(f"font.{key}")

    def _set(self, key: str, value: Any) -> None:
        self._range._set_style(f"font.{key}", value)

    name = property(lambda self: self._get("name"), lambda self, v: self._set("name", v))
    size = property(lambda self: self._get("size"), lambda self, v: self._set("size", float(v)))
    bold = property(lambda self: self._get("bold"), lambda self, v: self._set("bold", bool(v)))
    italic = property(lambda self: self._get("italic"),
                      lambda self, v: self._set("italic", bool(v)))
    color = property(lambda self: self._get("color"), lambda self, v: self._set("color", _rgb(v)))


class Borders:
    """The borders of a range: ``set(which, line_style=, weight=, color=)`` and the three
    properties over the six grid sides."""

    def __init__(self, rng: Range) -> None:
        self._range = rng

    def set(self, which: str | Sequence[str] = "all", *, line_style: Any = _UNSET,
            weight: Any = _UNSET, color: Any = _UNSET) -> None:
        """Set the given attributes on the sides ``which`` (a side, a group or a list)."""
        sides = (_BORDER_GROUPS.get(which) or (which,)) if isinstance(which, str) else which
        if set(sides) - set(BORDER_SIDES):
            raise ValueError(f"Invalid border selector {which!r}")
        if line_style not in (_UNSET, None, "continuous", "dash", "dash_dot", "dash_dot_dot",
                              "dot", "double", "slant_dash_dot", "none"):
            raise ValueError(f"Invalid line style {line_style!r}")
        if weight not in (_UNSET, "hairline", "thin", "medium", "thick"):
            raise ValueError(f"Invalid weight {weight!r}")
        for side in sides:
            for key, value in (("line_style", line_style), ("weight", weight), ("color", color)):
                if value is not _UNSET:
                    stored = _rgb(value) if key == "color" else (None if value == "none" else value)
                    self._range._set_style(f"border.{side}.{key}", stored)

    def _common(self, key: str) -> Any:
        found = {self._range._style(f"border.{side}.{key}") for side in BORDER_GRID_SIDES}
        return found.pop() if len(found) == 1 else None

    line_style = property(lambda self: self._common("line_style"),
                          lambda self, v: self.set("all", line_style=v))
    weight = property(lambda self: self._common("weight"),
                      lambda self, v: self.set("all", weight=v))
    color = property(lambda self: self._common("color"), lambda self, v: self.set("all", color=v))


class Charts:
    """The charts of a sheet, by 0-based index or by name."""

    def __init__(self, sheet: Sheet) -> None:
        self.parent = sheet
        self._charts: list[Chart] = []
        self._made = 0

    def __len__(self) -> int:
        return len(self._charts)

    def __iter__(self) -> Iterator[Chart]:
        return iter(list(self._charts))

    def __getitem__(self, key: int | str) -> Chart:
        if isinstance(key, int):
            return self._charts[key]
        return next(c for c in self._charts if c.name == key)

    def __contains__(self, name: str) -> bool:
        return any(c.name == name for c in self._charts)

    def add(self, left: float = 0, top: float = 0, width: float = 355, height: float = 211,
            chart_type: str | None = None, source: Range | None = None,
            plot_by: str | None = None, name: str | None = None, anchor: Range | None = None,
            style: int | None = 227) -> Chart:
        """Add a chart; ``anchor`` (a Range) or ``left``/``top`` in points place it."""
        if anchor is not None:
            if left or top:
                raise ValueError("You must either provide 'anchor' or 'top'/'left', but not both.")
            left, top = anchor.left, anchor.top
        if name and name in self:
            raise ValueError(f"'{name}' is already present on {self.parent.name}.")
        chart = self._add(Chart(self.parent, "column_clustered", left, top, width, height))
        if source is not None:
            chart.set_source_data(source, plot_by)
        if chart_type is not None:
            chart.chart_type = chart_type
        chart.style, chart.name = style, name or chart.name
        return chart

    def _add(self, chart: Chart) -> Chart:
        self._made += 1
        chart.name = f"Chart {self._made}"
        self._charts.append(chart)
        return chart


class Chart:
    """A chart object on a sheet: type, source, category labels, title, legend, place."""

    def __init__(self, sheet: Sheet, chart_type: str | None, left: float, top: float,
                 width: float, height: float) -> None:
        self.parent, self.name, self.style = sheet, "", None
        self._type = chart_type
        self.left, self.top, self.width, self.height = left, top, width, height
        self.source: Range | None = None
        self.plot_by: str | None = None
        self.x_values: Range | None = None
        self._title: str | None = None
        self._legend = _Legend()

    @property
    def legend(self) -> _Legend:
        """Return the legend (``visible``, ``position``)."""
        return self._legend

    chart_type = property(lambda self: self._type,
                          lambda self, value: setattr(self, "_type", _checked(value, CHART_TYPES)))

    @property
    def title(self) -> str | None:
        """Return the title; None: hidden."""
        return self._title

    @title.setter
    def title(self, value: str | None) -> None:
        if value is not None and not isinstance(value, str):
            raise ValueError(f"Invalid title {value!r}. Must be a string or None to hide it.")
        self._title = value

    def set_source_data(self, source: Range, plot_by: str | None = None) -> None:
        """Draw the chart from ``source``; series by ``"rows"`` or ``"columns"``."""
        self.source, self.plot_by = source, _checked(plot_by, (*CHART_PLOT_BY, None))

    def set_x_axis_values(self, source: Range) -> None:
        """Label the categories of every series from ``source``."""
        self.x_values = source

    def delete(self) -> None:
        """Delete the chart."""
        self.parent.charts._charts.remove(self)


@dataclass
class _Legend:
    visible: bool = True
    position: str = "right"


# -- Excel's rules -------------------------------------------------------------------


def _typed(cell: _Cell, data: Any) -> None:
    """Put ``data`` into ``cell`` as Excel does when it is assigned (typed) into the cell."""
    cell.value, cell.formula, cell.prefix, cell.error = None, None, False, None
    if data is None or data == "" or (isinstance(data, float) and math.isnan(data)):
        return
    if not isinstance(data, str):
        cell.value = _stored(data)
        return
    if cell.number_format == "@":  # a Text cell keeps what it is given, apostrophe and all
        cell.value = data
    elif data.startswith("'"):
        cell.value, cell.prefix = data[1:], True
    elif data.startswith("="):
        if len(data) == 1:
            raise ComError("invalid formula '='")
        cell.formula = data
    elif (number := _number(data)) is not None:
        cell.value = number
        if data.endswith("%") and cell.number_format == "General":
            cell.number_format = "0%" if number * 100 == int(number * 100) else "0.00%"
    elif data[0] in "+-@" and len(data) > 1:
        cell.formula = "=" + (data[1:] if data[0] == "@" else data)  # Lotus-style entry
    elif data.upper() in ("TRUE", "FALSE"):
        cell.value = data.upper() == "TRUE"
    elif (day := _date(data)) is not None:
        cell.value = day
        if cell.number_format == "General":
            cell.number_format = "yyyy/m/d"
    else:
        cell.value = data


def _number(text: str) -> float | None:
    body = text[:-1] if text.endswith("%") else text
    if not _NUMBER.match(body) or not any(ch.isdigit() for ch in body):
        return None
    number = float(f"{float(body.replace(',', '')):.15g}")  # Excel keeps 15 digits
    return number / 100 if text.endswith("%") else number


def _date(text: str) -> datetime | None:
    match = _DATE.match(text)
    if not match:
        return None
    year, m1, d1, m2, d2 = match.groups()
    try:
        return datetime(int(year), int(m1 or m2), int(d1 or d2))
    except ValueError:
        return None


def _stored(value: Any) -> Any:
    """Return ``value`` as Excel holds it: numbers as float, dates and times as datetime."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, datetime)):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, time):
        return datetime.combine(date(1899, 12, 30), value)
    raise TypeError(f"Excel cannot hold {type(value).__name__}")


def _rgb(value: Any) -> tuple[int, int, int] | None:
    if value is None or isinstance(value, tuple):
        return value
    if isinstance(value, str):
        text = value.lstrip("#")
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    return value & 0xFF, (value >> 8) & 0xFF, (value >> 16) & 0xFF  # Excel's BGR integer


def _checked(value: Any, allowed: Sequence[Any]) -> Any:
    if value not in allowed:
        raise ValueError(f"Invalid value {value!r}")
    return value


def _shaped(rows: list[list[Any]], ndim: Any) -> Any:
    """Shape a block of rows as xlwings' AdjustDimensionsStage does."""
    if ndim == 2:
        return rows
    if ndim in (None, "squeeze", 1):
        if len(rows) == 1:
            return rows[0][0] if len(rows[0]) == 1 and ndim != 1 else rows[0]
        if len(rows[0]) == 1:
            return [row[0] for row in rows]
        if ndim == 1:
            raise ValueError("Range must be 1-by-n or n-by-1 when ndim=1.")
        return rows
    raise ValueError(f"Invalid c.value ndim={ndim}")


def _corners(ref: Any) -> tuple[int, int, int, int]:
    if isinstance(ref, Range):
        return ref.row, ref.column, *ref._last
    if isinstance(ref, tuple) and len(ref) == 2 and all(isinstance(p, int) for p in ref):
        return ref[0], ref[1], ref[0], ref[1]
    if isinstance(ref, tuple) and len(ref) == 2:
        r1, c1, _, _ = _corners(ref[0])
        _, _, r2, c2 = _corners(ref[1])
        return r1, c1, r2, c2
    if isinstance(ref, str) and _ADDRESS.fullmatch(ref):
        c1, r1, c2, r2 = range_boundaries(ref.replace("$", "").upper())
        return r1, c1, r2, c2  # type: ignore[return-value]
    raise NotImplementedError(f"the double does not take range {ref!r} (names, whole columns)")


def _openpyxl_kind(chart: Any) -> str:
    kind = type(chart).__name__
    if kind == "PieChart":
        return "pie"
    return "bar_clustered" if getattr(chart, "type", "col") == "bar" else "column_clustered"



# -- Book.save: the double writes the file itself ------------------------------------

_SIDES = {("continuous", "thin"): "thin", ("continuous", "medium"): "medium",
          ("continuous", "thick"): "thick", ("continuous", "hairline"): "hair",
          ("dash", "thin"): "dashed", ("dot", "thin"): "dotted", ("double", "thick"): "double"}


def _write(book: Book, target: Path) -> None:
    """Write ``book`` to ``target`` with openpyxl, over the file it was opened from.

    Double behaviour only (Excel writes its own files): starting from the file keeps what the
    double does not model (validations, conditional formats, untouched styles), as Excel
    keeps them; an .xlsm keeps its VBA project.
    """
    source = book._source if book._source is not None and book._source.exists() else None
    if source is not None:
        macro = target.suffix.lower() == ".xlsm" and source.suffix.lower() == ".xlsm"
        workbook = openpyxl.load_workbook(source, keep_vba=macro)
    else:
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
    for sheet in book.sheets:
        if sheet.name in workbook.sheetnames:
            ws = workbook[sheet.name]
        else:
            ws = workbook.create_sheet(sheet.name)
        for merged in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(merged))
        if sheet._cleared and ws.max_row:
            ws.delete_rows(1, ws.max_row)
        for row in ws.iter_rows():
            for cell in row:
                if (cell.row, cell.column) not in sheet._cells:
                    cell.value = None
        for (row, col), held in sheet._cells.items():
            _put(ws.cell(row=row, column=col), held)
        for c1, r1, c2, r2 in sheet._merged:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        for col, width in sheet._widths.items():
            ws.column_dimensions[get_column_letter(col)].width = width
        ws._charts.clear()  # openpyxl's list of charts; no public remover
        for chart in sheet.charts:
            if chart.source is not None:
                ws.add_chart(_openpyxl_chart(ws, chart), _cell_at(sheet, chart.left, chart.top))
    names = book.sheet_names
    workbook._sheets.sort(key=lambda ws: names.index(ws.title) if ws.title in names else 0)
    workbook.save(target)


def _put(cell: Any, held: _Cell) -> None:
    if held.formula:
        cell.value = held.formula
    elif held.error:
        cell.value, cell.data_type = held.error, "e"
    else:
        value = held.value
        cell.value = int(value) if isinstance(value, float) and value.is_integer() else value
        if isinstance(value, str):
            cell.data_type = "s"  # text such as "=x" stays text
        cell.quotePrefix = held.prefix
    cell.number_format = held.number_format
    style = held.style
    hexed = {k: _hex(v) for k, v in style.items()
             if k in ("color", "font.color") and v is not None}
    if "color" in style:
        cell.fill = (PatternFill("solid", start_color=hexed["color"], end_color=hexed["color"])
                     if "color" in hexed else PatternFill(fill_type=None))
    if any(k.startswith("font.") for k in style):
        old = cell.font
        cell.font = OpenpyxlFont(
            name=style.get("font.name", old.name), size=style.get("font.size", old.sz),
            bold=style.get("font.bold", old.b), italic=style.get("font.italic", old.i),
            color=hexed.get("font.color", old.color))
    if {"wrap_text", "horizontal_alignment", "vertical_alignment"} & set(style):
        horizontal = style.get("horizontal_alignment", "general")
        cell.alignment = Alignment(horizontal=None if horizontal == "general" else horizontal,
                                   vertical=style.get("vertical_alignment", "bottom"),
                                   wrap_text=style.get("wrap_text", False))
    line = style.get("border.edge_top.line_style")
    if line:
        color = style.get("border.edge_top.color") or (0, 0, 0)
        side = Side(style=_SIDES.get((line, style.get("border.edge_top.weight", "thin")), "thin"),
                    color=_hex(color))
        cell.border = Border(left=side, right=side, top=side, bottom=side)


def _openpyxl_chart(ws: Any, chart: Chart) -> Any:
    from openpyxl.chart import BarChart, PieChart, Reference

    kind = chart.chart_type or "column_clustered"
    drawn = PieChart() if kind.startswith("pie") else BarChart()
    if not kind.startswith("pie"):
        drawn.type = "bar" if kind.startswith("bar") else "col"
    drawn.title = chart.title
    drawn.width, drawn.height = chart.width / 28.3465, chart.height / 28.3465
    source = chart.source
    assert source is not None
    drawn.add_data(Reference(ws, min_col=source.column, min_row=source.row,
                             max_col=source._last[1], max_row=source._last[0]),
                   titles_from_data=True)
    if chart.x_values is not None:
        x = chart.x_values
        drawn.set_categories(Reference(ws, min_col=x.column, min_row=x.row,
                                       max_col=x._last[1], max_row=x._last[0]))
    return drawn


def _cell_at(sheet: Sheet, left: float, top: float) -> str:
    """Return the address of the cell whose top-left corner is at or before (left, top)."""
    col = row = 1
    while sheet.range((1, col + 1)).left <= left + 0.01:
        col += 1
    while sheet.range((row + 1, 1)).top <= top + 0.01:
        row += 1
    return f"{get_column_letter(col)}{row}"


def _hex(rgb: tuple[int, int, int]) -> str:
    return "FF{:02X}{:02X}{:02X}".format(*rgb)
