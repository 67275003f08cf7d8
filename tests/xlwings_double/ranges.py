"""Ranges of cells: values, merges, formats, and their fonts and borders."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from openpyxl.utils import get_column_letter, range_boundaries
from xlwings.base_classes import (
    BORDER_GRID_SIDES,
    BORDER_SIDES,
    HORIZONTAL_ALIGNMENTS,
    VERTICAL_ALIGNMENTS,
)

from xlwings_double.cells import ComError, _Cell
from xlwings_double.typing_rules import _rgb, _shaped, _typed

if TYPE_CHECKING:
    from xlwings_double.sheets import Sheet

_DEFAULTS = {"color": None, "font.name": "Calibri", "font.size": 11.0, "font.bold": False,
             "font.italic": False, "font.color": (0, 0, 0), "wrap_text": False,
             "horizontal_alignment": "general", "vertical_alignment": "bottom"}
_BORDER_GROUPS = {"all": BORDER_GRID_SIDES, "everything": BORDER_SIDES,
                  "outside": BORDER_SIDES[:4], "inside": BORDER_SIDES[4:6]}
_ADDRESS = re.compile(r"\$?[A-Za-z]{1,3}\$?\d+(:\$?[A-Za-z]{1,3}\$?\d+)?")
_UNSET: Any = object()


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
