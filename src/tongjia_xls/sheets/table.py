"""Reading a sheet's grid of values into typed records, by header name.

This layer works on a plain grid (a list of rows of cell values), whatever backend produced
it. It finds the header row (staff may insert a title above it), maps headers to the
schema's columns in any order, keeps columns the schema does not know, skips blank rows,
and parses every cell with a diagnostic naming the row and column of anything wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from tongjia_xls.errors import Diagnostic, Severity
from tongjia_xls.sheets.cells import (
    CellValueError,
    Kind,
    column_letters,
    is_blank,
    lenient_number,
    parse,
    parse_text,
)
from tongjia_xls.sheets.schema import Column, Sheet

Grid = Sequence[Sequence[Any]]

#: Kinds whose cells may be typed with a unit ("90分", "30票").
_NUMERIC = frozenset({Kind.INT, Kind.COUNT, Kind.NUMBER, Kind.SCORE})
#: How many rows from the top are searched for the header row.
HEADER_SCAN_ROWS = 12
_HEADER_NOISE = re.compile(r"[\s*＊:：]|（必填）|\(必填\)")


def header_key(text: Any) -> str:
    """Return a header's text reduced for matching: no spaces, stars, colons or width forms."""
    folded = unicodedata.normalize("NFKC", parse_text(text))
    return _HEADER_NOISE.sub("", folded)


def key_text(value: Any) -> str:
    """Return a key cell's text reduced for matching (``党组织名称`` typed with spaces)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", parse_text(value)))


@dataclass
class Record:
    """One data row of a sheet.

    ``values`` holds the parsed value of each schema column by its English name (``None``
    for a blank or unreadable cell); ``raw`` the cell values as found; ``extra`` the staff's
    own columns by header text.
    """

    row: int
    values: dict[str, Any]
    raw: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    unreadable: dict[str, str] = field(default_factory=dict)
    """Columns whose cell holds something that could not be read, with the reason."""

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        """Return the parsed value of column ``name``, or ``default`` when it is blank."""
        value = self.values.get(name)
        return default if value is None else value


@dataclass
class Layout:
    """Where a sheet's table stands: its header row and the column of each header."""

    header_row: int
    positions: dict[str, int]  # English column name -> 1-based column number
    extra_headers: dict[int, str]  # 1-based column number -> header text, staff's columns
    width: int  # last used column of the header row
    repeated: dict[str, list[int]] = field(default_factory=dict)
    """Columns whose header appears again further right: name -> the later columns."""

    def next_free_column(self) -> int:
        """Return the first column right of every header."""
        used = [*self.positions.values(), *self.extra_headers, self.width]
        return max(used) + 1


@dataclass
class Table:
    """A sheet read into records, with what was wrong in it.

    ``title`` is the sheet's title as found in the workbook (``None`` when it is missing);
    ``layout`` is ``None`` when no header row was found.
    """

    sheet: Sheet
    title: str | None
    layout: Layout | None
    records: list[Record] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __iter__(self) -> Iterator[Record]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)

    @property
    def usable(self) -> bool:
        """Return True when the sheet was found and its header row located."""
        return self.layout is not None

    def by_key(self) -> dict[str, Record]:
        """Return the records by their key's text; a repeated key keeps its first record."""
        if self.sheet.key is None:
            raise ValueError(f"sheet {self.sheet.name} has no key column")
        found: dict[str, Record] = {}
        for record in self.records:
            key = record.values.get(self.sheet.key)
            if key is not None:
                found.setdefault(key_text(key), record)
        return found


def locate_header(grid: Grid, sheet: Sheet) -> Layout | None:
    """Return where ``sheet``'s header row stands in ``grid``, or ``None`` if it is not there.

    The row that matches most of the schema's headers wins; it must match the key column
    or at least two columns, so a title row that happens to contain one header never wins.
    """
    wanted = {header_key(h): c.name for c in sheet.columns for h in c.headers}
    best: Layout | None = None
    best_hits = 0
    for index, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        positions: dict[str, int] = {}
        extra: dict[int, str] = {}
        repeated: dict[str, list[int]] = {}
        width = 0
        for col, value in enumerate(row, start=1):
            if is_blank(value):
                continue
            width = col
            name = wanted.get(header_key(value))
            if name is not None and name not in positions:
                positions[name] = col
            else:
                if name is not None:
                    repeated.setdefault(name, []).append(col)
                extra[col] = parse_text(value)
        hits = len(positions)
        enough = hits >= 2 or (sheet.key is not None and sheet.key in positions and hits >= 1)
        if enough and hits > best_hits:
            best, best_hits = Layout(index + 1, positions, extra, width, repeated), hits
    return best


def read_table(grid: Grid, sheet: Sheet, title: str | None, *, partial: bool = False) -> Table:
    """Return the records of ``sheet`` read from ``grid``, parsed by the schema's types.

    A ``partial`` table (a roster handed in with some of the columns) may lack any column
    but the required ones without a word.
    """
    table = Table(sheet, title, locate_header(grid, sheet))
    if title is None or table.layout is None:
        return table
    layout = table.layout
    for column in sheet.columns:
        if column.name in layout.positions or column.is_tool:
            continue
        if column.required or not partial:
            severity = Severity.ERROR if column.required else Severity.WARNING
            table.diagnostics.append(
                Diagnostic(
                    f"找不到“{column.header}”列（表头可能被改名或删除）。请在第{layout.header_row}行"
                    f"把该列的表头改回“{column.header}”",
                    sheet=title, severity=severity,
                )
            )
    for name, columns in layout.repeated.items():
        column = sheet.column(name)
        if column.is_tool:
            continue  # the tool writes its own columns: a copy of one is the staff's
        letters = "、".join(column_letters(c) for c in columns)
        table.diagnostics.append(Diagnostic(
            f"有不止一列叫“{column.header}”：用的是第{column_letters(layout.positions[name])}列，"
            f"第{letters}列没有用。请删除多余的一列或给它改个名字",
            sheet=title, severity=Severity.WARNING,  # no row: the header row has no 校验提示
        ))
    for index in range(layout.header_row, len(grid)):
        record = _read_record(grid[index], index + 1, layout, sheet, table.diagnostics, title)
        if record is not None:
            table.records.append(record)
    _flag_repeated_keys(table)
    return table


def _read_record(
    cells: Sequence[Any],
    row: int,
    layout: Layout,
    sheet: Sheet,
    diagnostics: list[Diagnostic],
    title: str,
) -> Record | None:
    raw = {name: _at(cells, col) for name, col in layout.positions.items()}
    extra = {header: _at(cells, col) for col, header in layout.extra_headers.items()}
    # A row counts when staff wrote in it: a row holding only the tool's output (its key
    # cleared by staff) is stale, not data.
    telling = [v for name, v in raw.items() if name == sheet.key or not sheet.column(name).is_tool]
    if all(is_blank(v) for v in (*telling, *extra.values())):
        return None
    values: dict[str, Any] = {}
    unreadable: dict[str, str] = {}
    for column in sheet.columns:
        if column.name not in raw:
            values[column.name] = None
            continue
        found = len(diagnostics)
        values[column.name] = _parse_cell(raw[column.name], column, row, title, diagnostics)
        if values[column.name] is None and not is_blank(raw[column.name]) and not column.is_tool:
            unreadable[column.name] = diagnostics[-1].message if len(diagnostics) > found else ""
    return Record(row, values, raw, extra, unreadable)


def _parse_cell(
    value: Any, column: Column, row: int, title: str, diagnostics: list[Diagnostic]
) -> Any:
    if column.required and is_blank(value):
        diagnostics.append(
            Diagnostic(f"“{column.header}”必须填写", sheet=title, row=row, column=column.header)
        )
        return None
    try:
        return parse(column.kind, value, column.choices)
    except CellValueError as error:
        if column.is_tool:  # the tool rewrites its own columns; their content is no input
            return None
        lenient = lenient_number(value) if column.kind in _NUMERIC else None
        if lenient is not None:
            number, note = lenient
            try:
                parsed = parse(column.kind, number, column.choices)
            except CellValueError:
                parsed = None
            if parsed is not None:
                diagnostics.append(Diagnostic(note, sheet=title, row=row, column=column.header,
                                              severity=Severity.WARNING))
                return parsed
        diagnostics.append(Diagnostic(str(error), sheet=title, row=row, column=column.header))
        return None


def _flag_repeated_keys(table: Table) -> None:
    if table.sheet.key is None or table.title is None:
        return
    key_column = table.sheet.column(table.sheet.key)
    first_row: dict[str, int] = {}
    for record in table.records:
        key = record.values.get(table.sheet.key)
        if key is None:
            continue
        text = key_text(key)
        if text in first_row:
            table.diagnostics.append(
                Diagnostic(
                    f"“{key}”与第{first_row[text]}行重复，请删除或合并其中一行",
                    sheet=table.title, row=record.row, column=key_column.header,
                )
            )
        else:
            first_row[text] = record.row


def _at(cells: Sequence[Any], col: int) -> Any:
    return cells[col - 1] if col - 1 < len(cells) else None
