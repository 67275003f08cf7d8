"""The workbook gateway: the one way actions read tables and write the tool's columns.

:class:`Workbook` speaks in sheets and columns of the schema and English column names; a
backend speaks in sheet titles, rows and columns. The file backend (openpyxl) serves
headless runs; a live-Excel backend (xlwings) can serve the same calls for the buttons, as
long as it offers the small :class:`Backend` protocol.

What it writes: only the tool's columns, only cells whose value changes (so writing twice
changes nothing), in rows found by key or by row number. Staff cells, staff columns, other
sheets, formats and validations are never touched, except that a row the tool adds is
styled like its neighbours.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from tongjia_xls.book.look import Look, body_look, header_look
from tongjia_xls.errors import Diagnostic, SaveRefused, Severity, UserError
from tongjia_xls.settings import Settings, settings_from_rows
from tongjia_xls.sheets.cells import same_value
from tongjia_xls.sheets.schema import DASHBOARD, REFUSED_STAGE, SETTINGS, SHEETS, Column, Sheet
from tongjia_xls.sheets.table import Layout, Table, header_key, key_text, locate_header, read_table

Cell = tuple[int, int]


class Backend(Protocol):
    """What the gateway needs of a workbook: titles, grids of values, and cell writes."""

    changed: bool
    load_diagnostics: list[Diagnostic]

    @property
    def label(self) -> str: ...

    def sheet_titles(self) -> list[str]: ...

    def read_grid(self, title: str) -> list[list[Any]]: ...

    def write_cells(self, title: str, cells: Mapping[Cell, Any]) -> list[Cell]: ...

    def format_cells(self, title: str, cells: Mapping[Cell, tuple[Look, str]]) -> None: ...

    def set_width(self, title: str, column: int, width: float) -> None: ...

    def rewrite_sheet(
        self,
        title: str,
        rows: Sequence[Sequence[Any]],
        looks: Mapping[Cell, tuple[Look, str]],
        charts: Sequence[ChartSpec],
    ) -> None: ...

    def chart_count(self, title: str) -> int: ...

    def save(self) -> Path | None: ...


@dataclass(frozen=True)
class ChartSpec:
    """A native chart over a block of a sheet the tool lays out itself (``统计``).

    Rows and columns are 1-based. ``kind`` is ``"column"``, ``"bar"`` (horizontal) or
    ``"pie"``; the series names stand in ``header_row``, the categories in
    ``category_col`` from ``first_row`` to ``last_row``.
    """

    kind: str
    title: str
    header_row: int
    first_row: int
    last_row: int
    category_col: int
    value_cols: tuple[int, ...]
    anchor: str
    width_cm: float = 16.0
    height_cm: float = 8.0


@dataclass
class WriteReport:
    """What one write did: cells changed, keys not found, and anything to tell staff."""

    changed: int = 0
    added_rows: list[int] = field(default_factory=list)
    missing_keys: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


class Workbook:
    """A master workbook, read and written through a backend."""

    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self._grids: dict[str, list[list[Any]]] = {}

    @classmethod
    def open(cls, path: Path | str, *, for_write: bool = True) -> Workbook:
        """Open the workbook file at ``path`` with the file backend.

        Opened for writing, the workbook is held by this run (no other run of the tool may
        write it) until :meth:`close`, or the end of a ``with`` block.
        """
        from tongjia_xls.book.file_backend import FileBackend

        return cls(FileBackend.open(Path(path), for_write=for_write))

    def close(self) -> None:
        """Release the workbook for other runs; unsaved writes are dropped."""
        close = getattr(self.backend, "close", None)
        if close is not None:
            close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def label(self) -> str:
        """Return the workbook's name as shown in messages."""
        return self.backend.label

    # -- reading ---------------------------------------------------------------------

    def title_of(self, sheet: Sheet) -> str | None:
        """Return the title under which ``sheet`` stands in the workbook, or ``None``."""
        titles = self.backend.sheet_titles()
        if sheet.title in titles:
            return sheet.title
        wanted = header_key(sheet.title)
        return next((t for t in titles if header_key(t) == wanted), None)

    def read(self, sheet: Sheet) -> Table:
        """Return ``sheet`` read into typed records; a missing sheet gives an empty table."""
        title = self.title_of(sheet)
        if title is None:
            table = Table(sheet, None, None)
            table.diagnostics.append(self._missing_sheet(sheet))
            return table
        table = read_table(self._grid(title), sheet, title)
        if table.layout is None and sheet.columns:
            headers = "、".join(c.header for c in sheet.columns[:4])
            table.diagnostics.append(
                Diagnostic(
                    f"在前几行找不到表头（应包含“{headers}”等列）。请把表头改回原样，"
                    "或对照新建的工作簿（tongjia-xls init）修正",
                    sheet=title,
                )
            )
        return table

    def settings(self) -> tuple[Settings, list[Diagnostic]]:
        """Return the typed settings of ``设置`` and what was wrong in them."""
        table = self.read(SETTINGS)
        rows = [(r.row, r.raw.get("item"), r.raw.get("value")) for r in table]
        if not table.usable:
            return Settings(), table.diagnostics
        settings, problems = settings_from_rows(rows, table.title or SETTINGS.title)
        return settings, [*table.diagnostics, *problems]

    # -- writing ---------------------------------------------------------------------

    def update(
        self,
        sheet: Sheet,
        by_key: Mapping[str, Mapping[str, Any]],
        *,
        add_missing: bool = False,
        include_staff: bool = False,
    ) -> WriteReport:
        """Write values into the rows whose key is given: ``{key: {column name: value}}``.

        A key found in no row is listed in the report, or added as a new row when
        ``add_missing``; a key found in several rows is left alone and reported (write such
        rows with :meth:`update_rows`). Only tool columns may be written unless
        ``include_staff`` (used to seed a workbook, never on staff's data).
        """
        if sheet.key is None:
            raise ValueError(f"sheet {sheet.name} has no key; use update_rows")
        table = self._writable(sheet)
        rows_of: dict[str, list[int]] = {}
        for record in table.records:
            rows_of.setdefault(key_text(record.raw.get(sheet.key)), []).append(record.row)
        report = WriteReport()
        by_row: dict[int, Mapping[str, Any]] = {}
        new: list[Mapping[str, Any]] = []
        for key, values in by_key.items():
            rows = rows_of.get(key_text(key), [])
            if len(rows) == 1:
                by_row[rows[0]] = values
            elif len(rows) > 1:
                report.diagnostics.append(
                    Diagnostic(
                        f"“{key}”出现在第{'、'.join(map(str, rows))}行，无法确定写入哪一行，"
                        "请删除重复行后重新运行",
                        sheet=table.title, column=sheet.column(sheet.key).header,
                    )
                )
            elif add_missing:
                new.append({sheet.key: key, **values})
            else:
                report.missing_keys.append(key)
        self._write(table, by_row, report, include_staff)
        if new:
            self._append(table, new, report, include_staff=True)
        return report

    def update_rows(
        self,
        sheet: Sheet,
        by_row: Mapping[int, Mapping[str, Any]],
        *,
        include_staff: bool = False,
    ) -> WriteReport:
        """Write values into rows given by their sheet row number: ``{row: {name: value}}``."""
        report = WriteReport()
        self._write(self._writable(sheet), by_row, report, include_staff)
        return report

    def append(self, sheet: Sheet, records: Sequence[Mapping[str, Any]]) -> WriteReport:
        """Add ``records`` as new rows below the last used row, styled like the table.

        A record may also name a column of the sheet that the schema does not declare by its
        header text (the organizations' columns of 测评票明细).
        """
        report = WriteReport()
        self._append(self._writable(sheet), records, report, include_staff=True)
        return report

    def rewrite(
        self,
        sheet: Sheet,
        rows: Sequence[Sequence[Any]],
        looks: Mapping[Cell, tuple[Look, str]] | None = None,
        charts: Sequence[ChartSpec] = (),
        widths: Mapping[int, float] | None = None,
    ) -> None:
        """Replace the whole content of a sheet the tool owns (one without columns: 统计).

        The sheet is created at the end when missing. Nothing is written when the content
        and charts are what the sheet already holds, so a repeated run changes nothing.
        """
        if sheet.columns:
            raise ValueError(f"{sheet.name} holds staff data; it is never rewritten whole")
        title = self.title_of(sheet) or sheet.title
        wanted = [list(row) for row in rows]
        if title in self.backend.sheet_titles() and self._unchanged(title, wanted, charts):
            return
        self.backend.rewrite_sheet(title, wanted, looks or {}, charts)
        for column, width in (widths or {}).items():
            self.backend.set_width(title, column, width)
        self._grids.pop(title, None)

    def _unchanged(self, title: str, wanted: list[list[Any]], charts: Sequence[ChartSpec]) -> bool:
        current = self._grid(title)
        if len(current) != len(wanted):
            return False
        for have, want in zip(current, wanted, strict=True):
            width = max(len(have), len(want))
            if not all(same_value(_value_at([have], 1, c), _value_at([want], 1, c))
                       for c in range(1, width + 1)):
                return False
        # Same cells and as many charts: the charts draw the same ranges.
        return self.backend.chart_count(title) == len(charts)

    def save(self) -> Path | None:
        """Save if anything changed; return the backup of the previous version, if any.

        A save the backend refuses to protect staff data (:class:`SaveRefused`) drops this
        run's writes, leaves only the reason on ``控制台`` (when that alone can be saved),
        and raises again.
        """
        if not self.backend.changed:
            return None
        try:
            return self.backend.save()
        except SaveRefused as refused:
            self._note_refusal(str(refused))
            raise

    def _note_refusal(self, reason: str) -> None:
        discard = getattr(self.backend, "discard", None)
        if discard is None:
            return
        discard()
        self._grids.clear()
        now = datetime.now().replace(microsecond=0)
        with contextlib.suppress(UserError):
            self.update(DASHBOARD, {REFUSED_STAGE: {
                "status": reason, "updated": now,
                "next_step": "把工作簿发给技术支持查看；在此之前请勿删除“备份”文件夹"}},
                add_missing=True)
            self.backend.save()

    @property
    def changed(self) -> bool:
        """Return True when something was written since the last save."""
        return self.backend.changed

    # -- internals -------------------------------------------------------------------

    def _grid(self, title: str) -> list[list[Any]]:
        if title not in self._grids:
            self._grids[title] = self.backend.read_grid(title)
        return self._grids[title]

    def _writable(self, sheet: Sheet) -> Table:
        table = self.read(sheet)
        if not table.usable:
            raise UserError("；".join(str(d) for d in table.diagnostics[:1]))
        return table

    def _write(
        self,
        table: Table,
        by_row: Mapping[int, Mapping[str, Any]],
        report: WriteReport,
        include_staff: bool,
    ) -> None:
        assert table.title is not None and table.layout is not None
        grid = self._grid(table.title)
        cells: dict[Cell, Any] = {}
        for row, values in by_row.items():
            for name, value in values.items():
                if include_staff and not any(c.name == name for c in table.sheet.columns):
                    col = _extra_position(table, name)  # a staff column the schema lacks
                else:
                    column = table.sheet.column(name)
                    if not (column.is_tool or include_staff):
                        raise ValueError(f"{table.sheet.name}.{name} belongs to staff")
                    col = self._position(table, column, report)
                if not same_value(_value_at(grid, row, col), value):
                    cells[(row, col)] = value
        self._send(table, cells, report)

    def _append(
        self,
        table: Table,
        records: Sequence[Mapping[str, Any]],
        report: WriteReport,
        *,
        include_staff: bool,
    ) -> None:
        assert table.title is not None and table.layout is not None
        first = max(len(self._grid(table.title)), table.layout.header_row) + 1
        rows = list(range(first, first + len(records)))
        looks: dict[Cell, tuple[Look, str]] = {}
        for row in rows:
            for column in table.sheet.columns:
                col = self._position(table, column, report)
                looks[(row, col)] = (body_look(column), column.format)
        self.backend.format_cells(table.title, looks)
        self._write(table, dict(zip(rows, records, strict=True)), report, include_staff)
        report.added_rows.extend(rows)

    def _position(self, table: Table, column: Column, report: WriteReport) -> int:
        layout: Layout = table.layout  # type: ignore[assignment]
        if column.name not in layout.positions:
            # A column the tool needs is missing (an older workbook, or staff deleted it):
            # it is added right of the table rather than written over anything.
            col = layout.next_free_column()
            assert table.title is not None
            self.backend.write_cells(table.title, {(layout.header_row, col): column.header})
            self.backend.format_cells(
                table.title, {(layout.header_row, col): (header_look(column), "General")}
            )
            self.backend.set_width(table.title, col, column.width)
            self._grids.pop(table.title, None)
            layout.positions[column.name] = col
            report.diagnostics.append(
                Diagnostic(
                    f"缺少“{column.header}”列，已在第{col}列补上",
                    sheet=table.title, severity=Severity.INFO,
                )
            )
        return layout.positions[column.name]

    def _send(self, table: Table, cells: dict[Cell, Any], report: WriteReport) -> None:
        if not cells:
            return
        assert table.title is not None
        skipped = self.backend.write_cells(table.title, cells)
        report.changed += len(cells) - len(skipped)
        for row, col in skipped:
            report.diagnostics.append(
                Diagnostic("该单元格已被合并，或属于数组公式，工具没有写入。"
                           "请取消合并（或删除数组公式）后重新运行",
                           sheet=table.title, row=row, column=_header_at(table, col))
            )
        self._grids.pop(table.title, None)

    def _missing_sheet(self, sheet: Sheet) -> Diagnostic:
        known = {header_key(s.title) for s in SHEETS}
        for title in self.backend.sheet_titles():
            if header_key(title) in known or not sheet.columns:
                continue
            layout = locate_header(self._grid(title), sheet)
            if layout and len(layout.positions) >= max(2, len(sheet.columns) // 2):
                return Diagnostic(
                    f"找不到工作表“{sheet.title}”；工作表“{title}”的表头与它相同，"
                    f"可能是被改了名。请把“{title}”改回“{sheet.title}”后重新运行",
                    file=self.label,
                )
        return Diagnostic(
            f"找不到工作表“{sheet.title}”（可能被删除或改名）。请把它改回原名“{sheet.title}”；"
            "如已删除，可用 tongjia-xls init 新建一份工作簿，把该表复制回来",
            file=self.label,
        )


def _extra_position(table: Table, header: str) -> int:
    """Return the column of the staff's own column ``header``; KeyError when it is absent."""
    assert table.layout is not None
    for col, text in table.layout.extra_headers.items():
        if key_text(text) == key_text(header):
            return col
    raise KeyError(f"{table.sheet.name} has no column headed {header!r}")


def _value_at(grid: list[list[Any]], row: int, col: int) -> Any:
    if row > len(grid) or col > len(grid[row - 1]):
        return None
    return grid[row - 1][col - 1]


def _header_at(table: Table, col: int) -> str | None:
    layout = table.layout
    if layout is None:
        return None
    for name, position in layout.positions.items():
        if position == col:
            return table.sheet.column(name).header
    return layout.extra_headers.get(col)
