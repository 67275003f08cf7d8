"""A workbook the tool builds whole in memory with openpyxl, and saves as a new file.

This backend serves only where nothing of the staff's can be lost: a new workbook
(``init``, ``rollover``) and the macro workbook ``buttons`` builds. Staff workbooks are
written by :mod:`tongjia_xls.book.file_backend`, which edits them in place; openpyxl's own
save drops features it does not model (formula results, x14 formats, shapes...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from tongjia_xls.book.look import FONT, PAINTS, Look
from tongjia_xls.book.save import safe_save
from tongjia_xls.errors import Diagnostic
from tongjia_xls.sheets.cells import PendingFormula, cell_safe, looks_like_formula

SUFFIXES = (".xlsx", ".xlsm")
_THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


#: The cell style of each look, as staff see it in Excel's gallery of cell styles.
STYLE_NAMES = {
    Look.HEADER_STAFF: "述职评议·表头（您填写）",
    Look.HEADER_TOOL: "述职评议·表头（工具填写）",
    Look.HEADER_DRAFT: "述职评议·表头（工具起草）",
    Look.BODY_STAFF: "述职评议·您填写",
    Look.BODY_TOOL: "述职评议·工具填写",
    Look.TOWN_DECISION: "述职评议·镇党委确定",
}


def style_cell(cell: Any, look: Look, number_format: str | None = None) -> None:
    """Give ``cell`` the font, fill, border and format of ``look``.

    A cell not styled yet takes the workbook's named cell style for ``look`` and
    ``number_format``, added the first time it is needed: one style for many cells, instead
    of a font, fill, border and alignment made and looked up for each. A cell styled
    already is given the four directly, so that what ``look`` does not set (a fill, a
    number format, protection) stays as it was.
    """
    if cell.has_style:
        _paint(cell, look, number_format)
        return
    workbook = cell.parent.parent
    shown = number_format not in (None, "General")
    name = STYLE_NAMES[look] + (f"·{number_format}" if shown else "")
    if name not in workbook.named_styles:
        style = NamedStyle(name=name)
        _paint(style, look, number_format)
        workbook.add_named_style(style)
    cell.style = name


def _paint(target: Any, look: Look, number_format: str | None) -> None:
    """Set the font, fill, border, alignment and format of ``look`` on a cell or style."""
    paint = PAINTS[look]
    target.font = Font(name=FONT, size=11, bold=paint.bold, color=paint.color)
    if paint.fill:
        target.fill = PatternFill("solid", start_color=paint.fill, end_color=paint.fill)
    target.border = BORDER
    header = look in (Look.HEADER_STAFF, Look.HEADER_TOOL)
    target.alignment = Alignment(
        horizontal="center" if header else None,
        vertical="center",
        wrap_text=paint.wrap or not header,
    )
    if number_format:
        target.number_format = number_format


def _charts_of(sheet: Any) -> list[Any]:
    """Return the list openpyxl keeps ``sheet``'s charts in.

    The one read of an openpyxl private name: openpyxl has ``add_chart`` but no public way
    to list or remove a sheet's charts, and 统计's charts are replaced whole on every run.
    """
    charts: list[Any] = sheet._charts
    return charts


def store(cell: Any, value: Any) -> None:
    """Put ``value`` into ``cell`` as data; text that looks like a formula stays text."""
    value = cell_safe(value)
    cell.value = value
    if looks_like_formula(value):
        # openpyxl makes a formula of any text starting with "="; quotePrefix keeps Excel
        # from doing the same when staff later edit the cell.
        cell.data_type = "s"
        cell.quotePrefix = True


class OpenpyxlBackend:
    """A workbook built in memory with openpyxl, saved (whole) as the file ``path``."""

    def __init__(self, path: Path, workbook: OpenpyxlWorkbook, *, keep: int = 10) -> None:
        self.path = path
        self.workbook = workbook
        self.keep = keep
        self.load_diagnostics: list[Diagnostic] = []
        self.changed = False

    @property
    def label(self) -> str:
        """Return the file name used in messages."""
        return self.path.name

    def sheet_titles(self) -> list[str]:
        """Return the titles of every sheet, in tab order."""
        return list(self.workbook.sheetnames)

    def read_grid(self, title: str) -> list[list[Any]]:
        """Return the values of sheet ``title``; a formula, built in memory, has no result."""
        sheet = self.workbook[title]
        grid: list[list[Any]] = []
        for row in sheet.iter_rows():
            values = []
            for cell in row:
                value = cell.value
                if cell.data_type == "f":
                    value = PendingFormula(str(value))
                values.append(value)
            grid.append(values)
        while grid and all(v is None for v in grid[-1]):
            grid.pop()
        return grid

    def write_cells(
        self, title: str, cells: Mapping[tuple[int, int], Any]
    ) -> list[tuple[int, int]]:
        """Write ``cells`` ((row, column) -> value); return the merged cells left unwritten."""
        sheet = self.workbook[title]
        skipped = []
        for (row, col), value in cells.items():
            cell = sheet.cell(row=row, column=col)
            if isinstance(cell, MergedCell):
                skipped.append((row, col))
                continue
            store(cell, value)
            self.changed = True
        return skipped

    def format_cells(self, title: str, cells: Mapping[tuple[int, int], tuple[Look, str]]) -> None:
        """Style new cells: ``(row, column) -> (look, number format)``."""
        sheet = self.workbook[title]
        for (row, col), (look, number_format) in cells.items():
            cell = sheet.cell(row=row, column=col)
            if not isinstance(cell, MergedCell):
                style_cell(cell, look, number_format)
                self.changed = True

    def set_width(self, title: str, column: int, width: float) -> None:
        """Set the width of a column the tool has just added."""
        from openpyxl.utils import get_column_letter

        self.workbook[title].column_dimensions[get_column_letter(column)].width = width

    def rewrite_sheet(
        self,
        title: str,
        rows: Sequence[Sequence[Any]],
        looks: Mapping[tuple[int, int], tuple[Look, str]],
        charts: Sequence[Any],
    ) -> None:
        """Replace the values, styles and charts of sheet ``title`` (created if missing)."""
        if title in self.workbook.sheetnames:
            sheet = self.workbook[title]
            for merged in list(sheet.merged_cells.ranges):
                sheet.unmerge_cells(str(merged))
            if sheet.max_row:
                sheet.delete_rows(1, sheet.max_row)
            _charts_of(sheet).clear()
        else:
            sheet = self.workbook.create_sheet(title)
        for row_index, row in enumerate(rows, start=1):
            for col_index, value in enumerate(row, start=1):
                if value is not None:
                    store(sheet.cell(row=row_index, column=col_index), value)
        self.format_cells(title, looks)
        for spec in charts:
            sheet.add_chart(_chart(sheet, spec), spec.anchor)
        self.changed = True

    def chart_count(self, title: str) -> int:
        """Return how many charts sheet ``title`` holds."""
        return len(_charts_of(self.workbook[title]))

    def save(self) -> Path | None:
        """Save over the file safely; return the backup of the previous version, if any."""
        backup = safe_save(self.path, self.workbook.save, keep=self.keep)
        self.changed = False
        return backup

def _chart(sheet: Worksheet, spec: Any) -> Any:
    from openpyxl.chart import BarChart, PieChart, Reference

    chart = PieChart() if spec.kind == "pie" else BarChart()
    if spec.kind != "pie":
        chart.type = "bar" if spec.kind == "bar" else "col"
        chart.legend = None if len(spec.value_cols) == 1 else chart.legend
    chart.title = spec.title
    chart.width, chart.height = spec.width_cm, spec.height_cm
    for col in spec.value_cols:
        data = Reference(sheet, min_col=col, min_row=spec.header_row, max_row=spec.last_row)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=spec.category_col, min_row=spec.first_row,
                                   max_row=spec.last_row))
    return chart
