"""Reading a worksheet part into a grid of values, and what the writer must know of it.

Values come out as openpyxl gives them (numbers as ``int`` or ``float``, dates as
``datetime``, text as ``str``) with one difference: a formula gives the result the file
holds for it, and a :class:`~tongjia_xls.sheets.cells.PendingFormula` only when the file holds
none. Alongside, :class:`SheetIndex` keeps each cell's style, formulas, merged ranges and the
row and column styles, so a write can keep a cell's look and its neighbours' formulas.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tongjia_xls.book.package.numbers import MAC_EPOCH, WINDOWS_EPOCH, from_excel
from tongjia_xls.book.package.parts import MAIN_NS, PackageDamaged, parse
from tongjia_xls.book.package.styles import StyleSheet
from tongjia_xls.sheets.cells import PendingFormula, column_letters, column_number

Cell = tuple[int, int]
Box = tuple[int, int, int, int]  # first row, first column, last row, last column

_M = f"{{{MAIN_NS}}}"
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_LOOSE_REF = re.compile(r"^([A-Za-z]{0,3})(\d*)$")


@dataclass(frozen=True)
class Formula:
    """A cell's formula: ``kind`` is ``normal``, ``shared``, ``array`` or ``dataTable``.

    ``ref`` is the range a shared formula's master or an array formula covers (``None`` for
    others); ``si`` the shared index; ``text`` the formula without ``=`` (empty for a
    shared formula's dependent cells, which borrow their master's).
    """

    kind: str
    text: str
    ref: str | None = None
    si: str | None = None


@dataclass
class SheetIndex:
    """One worksheet as read: values, and the facts a write needs."""

    grid: list[list[Any]] = field(default_factory=list)
    styles: dict[Cell, int] = field(default_factory=dict)
    formulas: dict[Cell, Formula] = field(default_factory=dict)
    merged: list[Box] = field(default_factory=list)
    row_styles: dict[int, int] = field(default_factory=dict)
    col_styles: list[tuple[int, int, int]] = field(default_factory=list)
    present: set[Cell] = field(default_factory=set)
    _arrays: list[Box] | None = field(default=None, repr=False)

    def merged_away(self, cell: Cell) -> bool:
        """Return True for a cell hidden inside a merged range (not its top-left cell)."""
        row, col = cell
        return any(r1 <= row <= r2 and c1 <= col <= c2 and (row, col) != (r1, c1)
                   for r1, c1, r2, c2 in self.merged)

    def in_array(self, cell: Cell) -> bool:
        """Return True for a cell an array formula or a data table fills."""
        row, col = cell
        if self._arrays is None:
            self._arrays = [box(f.ref) for f in self.formulas.values()
                            if f.kind in ("array", "dataTable") and f.ref]
        return any(r1 <= row <= r2 and c1 <= col <= c2 for r1, c1, r2, c2 in self._arrays)

    def default_style(self, cell: Cell) -> int:
        """Return the style a new cell at ``cell`` takes: its row's, else its column's."""
        row, col = cell
        if row in self.row_styles:
            return self.row_styles[row]
        for first, last, style in self.col_styles:
            if first <= col <= last:
                return style
        return 0


def box(ref: str) -> Box:
    """Return the (first row, first col, last row, last col) of ``A1``, ``A1:C3``, ``A:C``."""
    first, _, last = ref.replace("$", "").partition(":")
    r1, c1 = _parts(first)
    r2, c2 = _parts(last) if last else (r1, c1)
    return r1 or 1, c1 or 1, r2 or 1048576, c2 or 16384


def _parts(ref: str) -> tuple[int, int]:
    match = _LOOSE_REF.match(ref)
    if match is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    letters, digits = match.groups()
    return int(digits) if digits else 0, column_number(letters) if letters else 0


def cell_of(ref: str) -> Cell:
    """Return (row, column) of a reference such as ``B7``."""
    row, col = _parts(ref.replace("$", ""))
    if not row or not col:
        raise ValueError(f"not a cell reference: {ref!r}")
    return row, col


def ref_of(cell: Cell) -> str:
    """Return the A1 reference of (row, column)."""
    return f"{column_letters(cell[1])}{cell[0]}"


def shared_strings(data: bytes | None, name: str = "xl/sharedStrings.xml") -> list[str]:
    """Return the plain texts of a shared-strings part (rich runs joined, phonetics left out)."""
    if data is None:
        return []
    return [_text(si) for si in parse(data, name).iter(f"{_M}si")]


def read_sheet(data: bytes, name: str, strings: list[str], styles: StyleSheet,
               date1904: bool = False) -> SheetIndex:
    """Return the values and write facts of the worksheet part ``data``."""
    root = parse(data, name)
    index = SheetIndex()
    reader = _CellReader(strings, styles, MAC_EPOCH if date1904 else WINDOWS_EPOCH, name)
    values: dict[Cell, Any] = {}
    for row_number, row, cells in _rows(root, name):
        if row.get("customFormat") in ("1", "true"):
            index.row_styles[row_number] = _int(row.get("s"), name)
        for cell, element in cells:
            values[cell] = reader.read(index, cell, element)
    reader.translate_dependents(values)
    index.merged = [box(merge.get("ref", "")) for merge in root.iter(f"{_M}mergeCell")
                    if merge.get("ref")]
    index.col_styles = [(_int(col.get("min"), name), _int(col.get("max"), name),
                         _int(col.get("style"), name))
                        for col in root.iter(f"{_M}col") if col.get("style")]
    _blank_merged_away(values, index.merged)
    index.grid = _grid(values)
    return index


@dataclass
class _CellReader:
    """Reads the cells of one worksheet part, keeping its shared formulas' masters."""

    strings: list[str]
    styles: StyleSheet
    epoch: datetime
    name: str
    masters: dict[str, tuple[Cell, str]] = field(default_factory=dict)
    dependents: list[tuple[Cell, str]] = field(default_factory=list)

    def read(self, index: SheetIndex, cell: Cell, element: Any) -> Any:
        """Record the style and formula of the cell ``element`` in ``index``; return its value."""
        index.present.add(cell)
        style = _int(element.get("s"), self.name)
        if style:
            index.styles[cell] = style
        formula = element.find(f"{_M}f")
        value = _value(element, self.strings, self.styles, style, self.epoch, self.name)
        if formula is None:
            return value
        found = Formula(formula.get("t", "normal"), formula.text or "", formula.get("ref"),
                        formula.get("si"))
        index.formulas[cell] = found
        if found.kind == "shared" and found.si is not None:
            if found.text:
                self.masters[found.si] = (cell, found.text)
            else:
                self.dependents.append((cell, found.si))
        if value is None and not _has_result(element):
            return PendingFormula(f"={found.text}")
        return value

    def translate_dependents(self, values: dict[Cell, Any]) -> None:
        """Give each pending dependent of a shared formula its master's formula, moved."""
        for cell, si in self.dependents:
            if si in self.masters and isinstance(values.get(cell), PendingFormula):
                master, text = self.masters[si]
                values[cell] = PendingFormula(translated(f"={text}", master, cell))


def _blank_merged_away(values: dict[Cell, Any], merged: list[Box]) -> None:
    """Blank the values of the cells hidden inside merged ranges."""
    for r1, c1, r2, c2 in merged:
        # Only the top-left cell of a merged range shows; walk whichever is smaller.
        hidden: Iterator[Cell]
        if (r2 - r1 + 1) * (c2 - c1 + 1) <= len(values):
            hidden = ((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
        else:
            hidden = (c for c in list(values) if r1 <= c[0] <= r2 and c1 <= c[1] <= c2)
        for cell in hidden:
            if cell != (r1, c1) and cell in values:
                values[cell] = None


def _rows(root: Any, name: str) -> Iterator[tuple[int, Any, list[tuple[Cell, Any]]]]:
    data = root.find(f"{_M}sheetData")
    if data is None:
        return
    row_number = 0
    for row in data.iterfind(f"{_M}row"):
        row_number = _int(row.get("r"), name) if row.get("r") else row_number + 1
        col = 0
        cells = []
        for element in row.iterfind(f"{_M}c"):
            ref = element.get("r")
            if ref:
                match = _REF.match(ref)
                if not match:
                    raise PackageDamaged(f"{name}: cell reference {ref!r}")
                col = column_number(match.group(1))
            else:
                col += 1
            cells.append(((row_number, col), element))
        yield row_number, row, cells


def _value(element: Any, strings: list[str], styles: StyleSheet, style: int,
           epoch: datetime, name: str) -> Any:
    kind = element.get("t", "n")
    if kind == "inlineStr":
        inline = element.find(f"{_M}is")
        return _text(inline) if inline is not None else None
    text = element.findtext(f"{_M}v")
    if not text:
        return None
    try:
        if kind == "s":
            return strings[int(text)]
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind in ("str", "e"):
            return text
        if kind == "d":
            return datetime.fromisoformat(text.rstrip("Z"))
        number: int | float = float(text) if any(c in text for c in ".Ee") else int(text)
    except (ValueError, IndexError):
        raise PackageDamaged(f"{name}: cell {element.get('r')} holds {text!r}") from None
    if style and styles.is_date(style):
        try:
            return from_excel(number, epoch, duration=styles.is_timedelta(style))
        except (OverflowError, ValueError):
            return number
    return number


def _has_result(element: Any) -> bool:
    """Return True when a formula cell holds a result, an empty text counting as one.

    openpyxl writes ``<v/>`` for every formula; Excel writes ``<v></v>`` only for a formula
    whose result is empty text, and marks it ``t="str"``.
    """
    found = element.find(f"{_M}v")
    return found is not None and (bool(found.text) or element.get("t") == "str")


def _text(node: Any) -> str:
    """Return the text of a string item: its ``t``, or its runs' ``t`` joined."""
    parts = []
    for child in node:
        if child.tag == f"{_M}t":
            parts.append(child.text or "")
        elif child.tag == f"{_M}r":
            parts.extend(t.text or "" for t in child.iterfind(f"{_M}t"))
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), "".join(parts))


def translated(text: str, master: Cell, cell: Cell) -> str:
    """Return formula ``text`` (with ``=``) of ``master`` as it reads when moved to ``cell``."""
    # Only for a shared formula, which is rare: openpyxl's translator is imported then.
    from openpyxl.formula.translate import Translator, TranslatorError

    try:
        return str(Translator(text, origin=ref_of(master)).translate_formula(ref_of(cell)))
    except (TranslatorError, ValueError):
        return text


def _grid(values: dict[Cell, Any]) -> list[list[Any]]:
    """Return rows of values, each as long as its last value (a sheet may be ragged)."""
    filled = [cell for cell, value in values.items() if value is not None]
    if not filled:
        return []
    grid: list[list[Any]] = [[] for _ in range(max(r for r, _ in filled))]
    for row, col in sorted(filled):
        line = grid[row - 1]
        line.extend([None] * (col - len(line)))
        line[col - 1] = values[(row, col)]
    return grid


def _int(text: str | None, name: str) -> int:
    if not text:
        return 0
    try:
        return int(text)
    except ValueError:
        raise PackageDamaged(f"{name}: {text!r} is not a number") from None
