"""A workbook the tool builds whole in memory with openpyxl, and saves as a new file.

This backend serves only where nothing of the staff's can be lost: a new workbook
(``init``, ``rollover``) and the macro workbook ``buttons`` builds. Staff workbooks are
written by :mod:`tongjia_xls.book.file_backend`, which edits them in place; openpyxl's own
save drops features it does not model (formula results, x14 formats, shapes...).
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from tongjia_xls.book.cells import PendingFormula, cell_safe, looks_like_formula
from tongjia_xls.book.file_backend import check_workbook_path
from tongjia_xls.book.look import FONT, PAINTS, Look
from tongjia_xls.book.save import ensure_not_open, safe_save
from tongjia_xls.errors import Diagnostic, Severity, UserError

SUFFIXES = (".xlsx", ".xlsm")
_THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def style_cell(cell: Any, look: Look, number_format: str | None = None) -> None:
    """Give ``cell`` the font, fill, border and format of ``look``."""
    paint = PAINTS[look]
    cell.font = Font(name=FONT, size=11, bold=paint.bold, color=paint.color)
    if paint.fill:
        cell.fill = PatternFill("solid", start_color=paint.fill, end_color=paint.fill)
    cell.border = BORDER
    header = look in (Look.HEADER_STAFF, Look.HEADER_TOOL)
    cell.alignment = Alignment(
        horizontal="center" if header else None,
        vertical="center",
        wrap_text=paint.wrap or not header,
    )
    if number_format:
        cell.number_format = number_format


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
    """A workbook file opened for reading and, unless ``read_only``, for writing."""

    def __init__(self, path: Path, workbook: OpenpyxlWorkbook, *, keep: int = 10) -> None:
        self.path = path
        self._source = path  # where formulas' last values are read: the file opened
        self.workbook = workbook
        self.keep = keep
        self.load_diagnostics: list[Diagnostic] = []
        self._cached_values: OpenpyxlWorkbook | None = None
        self.changed = False

    @property
    def label(self) -> str:
        """Return the file name used in messages."""
        return self.path.name

    @classmethod
    def open(cls, path: Path | str, *, for_write: bool = True) -> OpenpyxlBackend:
        """Open the workbook at ``path``; raise :class:`UserError` if it cannot be used."""
        path = Path(path)
        check_workbook_path(path)
        if for_write:
            ensure_not_open(path)
            if path.suffix.lower() == ".xlsm":
                _refuse_button_hazards(path)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            workbook = _load(path, keep_vba=path.suffix.lower() == ".xlsm")
        backend = cls(path, workbook)
        for warning in caught:
            # openpyxl warns when it drops a feature it does not support (an extension list,
            # a slicer): staff must know, and the backup keeps the original.
            backend.load_diagnostics.append(
                Diagnostic(
                    f"工作簿含有本工具无法保留的 Excel 功能（{warning.message}），保存后可能丢失；"
                    f"保存前的版本会留在“备份”文件夹中",
                    file=path.name, severity=Severity.WARNING,
                )
            )
        return backend

    def save_as(self, path: Path) -> None:
        """Make the next save write ``path``; the file opened is left as it is."""
        self.path = Path(path)

    def sheet_titles(self) -> list[str]:
        """Return the titles of every sheet, in tab order."""
        return list(self.workbook.sheetnames)

    def read_grid(self, title: str) -> list[list[Any]]:
        """Return the values of sheet ``title``.

        A formula gives its last computed value, or a :class:`PendingFormula` when the file
        holds none.
        """
        sheet = self.workbook[title]
        grid: list[list[Any]] = []
        for row in sheet.iter_rows():
            values = []
            for cell in row:
                value = cell.value
                if cell.data_type == "f":
                    computed = self._computed(title, cell.coordinate)
                    value = PendingFormula(str(value)) if computed is None else computed
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
            sheet._charts.clear()  # openpyxl keeps charts in this list; no public remover
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
        return len(self.workbook[title]._charts)

    def save(self) -> Path | None:
        """Save over the file safely; return the backup of the previous version, if any."""
        backup = safe_save(self.path, self.workbook.save, keep=self.keep)
        self.changed = False
        return backup

    def _computed(self, title: str, coordinate: str) -> Any:
        if self._cached_values is None:
            # Loaded only when a formula is met: most workbooks have none in the tables.
            self._cached_values = _load(self._source, data_only=True)
        sheet: Worksheet = self._cached_values[title]
        return sheet[coordinate].value


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


def _refuse_button_hazards(path: Path) -> None:
    from tongjia_xls.book.buttons import vml_hazards

    try:
        hazards = vml_hazards(path)
    except (zipfile.BadZipFile, KeyError, OSError, SyntaxError):
        return  # a broken package is reported by the load that follows
    if hazards:
        raise UserError(
            f"“{path.name}”{'；'.join(hazards)}，所以本工具不写入它，以免按钮损坏。"
            "请删除多余的批注或按钮后再运行，或在 Excel 中另存为 .xlsx 后对 .xlsx 运行。"
        )


_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def _load(path: Path, **options: Any) -> OpenpyxlWorkbook:
    with path.open("rb") as handle:
        if handle.read(4) == _OLE_MAGIC:
            raise UserError(
                f"无法打开“{path.name}”：它设置了打开密码，或其实是旧版 .xls 文件。"
                "请在 Excel 中取消密码（文件→信息→保护工作簿），或另存为 .xlsx 后再使用。"
            )
    try:
        return load_workbook(path, **options)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise UserError(
            f"无法打开“{path.name}”：文件已损坏，或不是真正的 Excel 工作簿"
            f"（{type(error).__name__}）。"
            "请在 Excel 中打开确认；如有备份，可从“备份”文件夹中取回上一版本。"
        ) from None
