"""The live-Excel backend: the workbook open in Excel, read and written through xlwings.

The buttons use it: Excel's RunPython calls the tool, which takes ``xw.Book.caller()`` and
wraps it here. Like the file backend it only moves values in and out of cells; the gateway
decides what to write. Every call crosses into Excel over COM, so a sheet is read in one
block and cells are written in one call per run of adjacent cells.

Excel takes what is assigned to a cell as if it were typed: ``=...`` becomes a formula,
``0012`` the number 12, ``2024-1-5`` a date, ``50%`` a number. Text is therefore written
behind Excel's text prefix (a leading apostrophe, which Excel consumes and does not show),
so that it is stored exactly as given and is never run as a formula.

Nothing here imports xlwings: it receives the ``Book`` and calls its methods, so the tests
drive it with a double of xlwings' API (``tests/xlwings_double/``).
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import groupby
from pathlib import Path
from typing import Any

from tongjia_xls.book.look import FONT, PAINTS, Look
from tongjia_xls.book.save import backup_copy
from tongjia_xls.errors import Diagnostic
from tongjia_xls.sheets.cells import cell_safe, looks_like_formula

Cell = tuple[int, int]

#: Points in one centimetre: chart sizes are given in cm, Excel places shapes in points.
POINTS_PER_CM = 28.3465
#: Excel's text prefix: a value assigned behind it is stored as text, exactly.
TEXT_PREFIX = "'"
#: The number format of cells formatted as 文本 (Text).
TEXT_FORMAT = "@"
BORDER_COLOR = "#A6A6A6"
CHART_TYPES = {"column": "column_clustered", "bar": "bar_clustered", "pie": "pie"}
# Excel's COM constants (xlCenter, xlGeneral, xlContinuous, xlThin), only for the fallback
# through ``.api`` on xlwings releases older than the properties used first.
_XL_CENTER, _XL_GENERAL, _XL_CONTINUOUS, _XL_THIN = -4108, 1, 1, 2


class XlwingsBackend:
    """A workbook open in Excel, reached through an xlwings ``Book``."""

    def __init__(self, book: Any, *, keep: int = 10) -> None:
        self.book = book
        self.keep = keep
        self.changed = False
        self.load_diagnostics: list[Diagnostic] = []

    @property
    def label(self) -> str:
        """Return the workbook's name as Excel shows it, used in messages."""
        return str(self.book.name)

    @property
    def path(self) -> Path:
        """Return the workbook's full name; for a book never saved it is just its name."""
        return Path(self.book.fullname)

    def sheet_titles(self) -> list[str]:
        """Return the titles of every sheet, in tab order."""
        return [sheet.name for sheet in self.book.sheets]

    def read_grid(self, title: str) -> list[list[Any]]:
        """Return the values of sheet ``title`` from A1 to its last used cell.

        Whole numbers come back as ``int`` (Excel hands every number over as a float), a
        formula as its computed value, an error cell as its text (``#N/A``), as the file
        backend reads them. An empty sheet gives ``[]``.
        """
        sheet = self.book.sheets[title]
        last = sheet.used_range.last_cell  # the used range need not start at A1
        block = sheet.range((1, 1), (last.row, last.column)).options(ndim=2, err_to_str=True)
        grid = [[_from_excel(value) for value in row] for row in block.value]
        while grid and all(value is None for value in grid[-1]):
            grid.pop()
        return grid

    def write_cells(self, title: str, cells: Mapping[Cell, Any]) -> list[Cell]:
        """Write ``cells`` ((row, column) -> value); return the merged cells left unwritten."""
        sheet = self.book.sheets[title]
        skipped: list[Cell] = []
        for row, col, values in _runs(cells):
            skipped.extend(self._write_run(sheet, row, col, [cell_safe(v) for v in values]))
        return skipped

    def format_cells(self, title: str, cells: Mapping[Cell, tuple[Look, str]]) -> None:
        """Style new cells: ``(row, column) -> (look, number format)``."""
        if not cells:
            return
        sheet = self.book.sheets[title]
        for col, first, last, (look, number_format) in _blocks(cells):
            paint(sheet.range((first, col), (last, col)), look, number_format)
        self.changed = True

    def set_width(self, title: str, column: int, width: float) -> None:
        """Set the width of a column the tool has just added."""
        self.book.sheets[title].range((1, column)).column_width = width
        self.changed = True

    def rewrite_sheet(
        self,
        title: str,
        rows: Sequence[Sequence[Any]],
        looks: Mapping[Cell, tuple[Look, str]],
        charts: Sequence[Any],
    ) -> None:
        """Replace the values, styles and charts of sheet ``title`` (made at the end if missing)."""
        sheets = self.book.sheets
        if title in self.sheet_titles():
            sheet = sheets[title]
            sheet.clear()  # contents, formats and merges; charts are shapes and stay
            while len(sheet.charts):
                sheet.charts[0].delete()
        else:
            sheet = sheets.add(title, after=sheets[-1])
        width = max((len(row) for row in rows), default=0)
        if width:
            # A cleared sheet is all General: every text gets the prefix.
            block = [[_to_excel(cell_safe(v), text_format=False) for v in row]
                     + [None] * (width - len(row)) for row in rows]
            sheet.range((1, 1)).value = block  # one call for the whole sheet
        self.format_cells(title, looks)
        for spec in charts:
            add_chart(sheet, spec)
        self.changed = True

    def chart_count(self, title: str) -> int:
        """Return how many charts sheet ``title`` holds."""
        return len(self.book.sheets[title].charts)

    def save(self) -> Path | None:
        """Let Excel save the book, after copying the version on disk into ``备份``.

        Returns the backup, or ``None`` when there is none: ``keep`` is 0, the book lives in
        the cloud (OneDrive: saved, with no local file to copy), or it was never saved
        (``工作簿1``), in which case nothing is saved and staff choose where to save it. The
        file is never written by anything but Excel: it is open there.
        """
        path = self.path
        backup = None
        if path.is_absolute() and path.is_file():
            backup = backup_copy(path, self.keep)
            self.book.save()
        elif "://" in str(self.book.fullname):
            self.book.save()  # the cloud keeps its own versions
        self.changed = False
        return backup

    def _write_run(self, sheet: Any, row: int, col: int, values: list[Any]) -> list[Cell]:
        rng = sheet.range((row, col), (row, col + len(values) - 1))
        merged = rng.merge_cells  # COM: True, False, or None when only some are merged
        number_format = rng.number_format if any(_is_text(v) for v in values) else ""
        if len(values) > 1 and (merged is not False or number_format is None):
            # Merged cells or mixed formats in the run: each cell is decided on its own.
            return [cell for offset, value in enumerate(values)
                    for cell in self._write_run(sheet, row, col + offset, [value])]
        if merged:
            area = rng.merge_area
            if (area.row, area.column) != (row, col):
                return [(row, col)]
        data = [_to_excel(value, text_format=number_format == TEXT_FORMAT) for value in values]
        rng.value = data if len(data) > 1 else data[0]
        self.changed = True
        return []


def paint(rng: Any, look: Look, number_format: str | None = None) -> None:
    """Give ``rng`` the font, fill, alignment, border and number format of ``look``.

    The same look as the file backend's ``style_cell``, so both backends style alike.
    """
    style = PAINTS[look]
    font = rng.font
    font.name, font.size, font.bold, font.color = FONT, 11, style.bold, f"#{style.color}"
    if style.fill:
        rng.color = f"#{style.fill}"
    if number_format:
        rng.number_format = number_format
    header = look in (Look.HEADER_STAFF, Look.HEADER_TOOL)
    rng.wrap_text = style.wrap or not header
    _align(rng, "center" if header else "general")
    _border(rng)


def add_chart(sheet: Any, spec: Any) -> Any:
    """Add the chart of ``spec`` (a :class:`~tongjia_xls.book.gateway.ChartSpec`) to ``sheet``."""
    first, last = min(spec.value_cols), max(spec.value_cols)
    if sorted(spec.value_cols) != list(range(first, last + 1)):
        raise ValueError(f"chart {spec.title!r}: value columns must stand side by side")
    anchor = sheet.range(spec.anchor)
    chart = sheet.charts.add(anchor.left, anchor.top, spec.width_cm * POINTS_PER_CM,
                             spec.height_cm * POINTS_PER_CM)
    values = sheet.range((spec.header_row, first), (spec.last_row, last))
    if _offers(chart, "set_x_axis_values") and _takes(chart.set_source_data, "plot_by"):
        # Series by column, named by the header row, labelled by the category column:
        # the chart the file backend draws, with nothing left to Excel's guessing.
        chart.set_source_data(values, plot_by="columns")
        chart.set_x_axis_values(
            sheet.range((spec.first_row, spec.category_col), (spec.last_row, spec.category_col))
        )
    else:
        # Older xlwings: hand Excel the category column with the values; a column of text
        # on the left is what Excel takes for the labels.
        chart.set_source_data(sheet.range((spec.header_row, spec.category_col),
                                          (spec.last_row, last)))
    chart.chart_type = CHART_TYPES[spec.kind]  # after the data, as xlwings itself does
    _title(chart, spec.title)
    if spec.kind != "pie" and len(spec.value_cols) == 1:
        _hide_legend(chart)
    return chart


# -- values in and out ---------------------------------------------------------------


def _from_excel(value: Any) -> Any:
    # Excel has one number type; the file backend gives whole numbers as int, and so must
    # this one, or keys and parsers would see "88.0" where they saw "88".
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _to_excel(value: Any, *, text_format: bool) -> Any:
    """Return ``value`` as it must be assigned so that Excel stores it unchanged."""
    if not _is_text(value):
        return value
    if text_format and not looks_like_formula(value):
        # A 文本 cell stores what it is given without parsing, and would keep an apostrophe
        # as part of the text. Formula-like text still gets the prefix: it must never run,
        # and a visible apostrophe is the lesser harm.
        return value
    return TEXT_PREFIX + value


def _is_text(value: Any) -> bool:
    # "" clears a cell, as in the file backend; it needs no prefix.
    return isinstance(value, str) and value != ""


def _runs(cells: Mapping[Cell, Any]) -> Iterator[tuple[int, int, list[Any]]]:
    """Yield ``(row, first column, values)`` for each run of adjacent cells in one row."""
    ordered = sorted(cells.items())
    # Cells of one run share row and (column - position in the sorted list).
    keyed = groupby(enumerate(ordered), key=lambda item: (item[1][0][0], item[1][0][1] - item[0]))
    for _, items in keyed:
        run = [cell for _, cell in items]
        (row, col), _value = run[0]
        yield row, col, [value for _, value in run]


def _blocks(
    cells: Mapping[Cell, tuple[Look, str]],
) -> Iterator[tuple[int, int, int, tuple[Look, str]]]:
    """Yield ``(column, first row, last row, style)`` for each column run of one style.

    Rows the tool appends hold the same style down each column, so a run is a block of new
    rows in one column: one set of COM calls for it instead of one per cell.
    """
    ordered = sorted(cells.items(), key=lambda item: (item[0][1], item[1], item[0][0]))
    keyed = groupby(
        enumerate(ordered), key=lambda item: (item[1][0][1], item[1][1], item[1][0][0] - item[0])
    )
    for (col, style, _), items in keyed:
        rows = [row for _, ((row, _col), _style) in items]
        yield col, rows[0], rows[-1], style


# -- formats that older xlwings reach only through COM -------------------------------


def _offers(obj: Any, name: str) -> bool:
    """Return True when ``obj``'s xlwings class has ``name`` (added in a later release)."""
    return hasattr(type(obj), name)


def _takes(method: Callable[..., Any], name: str) -> bool:
    """Return True when ``method`` has a parameter ``name`` (added in a later release)."""
    try:
        return name in inspect.signature(method).parameters
    except (TypeError, ValueError):  # a signature Python cannot read: assume the old one
        return False


def _through_api(obj: Any, apply: Callable[[Any], None]) -> None:
    """Apply a COM-only setting to ``obj.api``; do nothing where there is no COM object.

    Unverified without Excel: this path runs only on Windows with an xlwings older than
    0.37.3, which lacks the cross-platform property used first. What it sets is cosmetic,
    so a failure here (macOS's appscript, a COM error) is not allowed to stop the run.
    """
    with contextlib.suppress(Exception):
        api = getattr(obj, "api", None)
        if api is not None:
            apply(api)


def _align(rng: Any, horizontal: str) -> None:
    if _offers(rng, "horizontal_alignment"):
        rng.horizontal_alignment = horizontal
        rng.vertical_alignment = "center"
        return

    def apply(api: Any) -> None:
        api.HorizontalAlignment = _XL_CENTER if horizontal == "center" else _XL_GENERAL
        api.VerticalAlignment = _XL_CENTER

    _through_api(rng, apply)


def _border(rng: Any) -> None:
    if _offers(rng, "borders"):
        # "all": the four edges and the lines inside, as the file backend's thin grey box
        # around every cell.
        rng.borders.set("all", line_style="continuous", weight="thin", color=BORDER_COLOR)
        return

    def apply(api: Any) -> None:
        api.Borders.LineStyle = _XL_CONTINUOUS
        api.Borders.Weight = _XL_THIN
        api.Borders.Color = 0xA6A6A6  # grey: the same in Excel's BGR order

    _through_api(rng, apply)


def _title(chart: Any, text: str) -> None:
    if _offers(chart, "title"):
        chart.title = text
        return

    def apply(api: Any) -> None:
        _, native = api  # xlwings gives (ChartObject, Chart) on Windows
        native.HasTitle = True
        native.ChartTitle.Text = text

    _through_api(chart, apply)


def _hide_legend(chart: Any) -> None:
    # One series needs no legend, as in the file backend's charts.
    if _offers(chart, "legend"):
        chart.legend.visible = False
        return

    def apply(api: Any) -> None:
        api[1].HasLegend = False

    _through_api(chart, apply)
