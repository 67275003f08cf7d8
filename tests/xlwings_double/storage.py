"""The file behind a book, read and written with openpyxl (double behaviour: Excel does its own).

:meth:`Book.from_file` reads a file as Excel would open it; :meth:`Book.save` writes one.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.styles import Alignment, Border, PatternFill, Side
from openpyxl.styles import Font as OpenpyxlFont
from openpyxl.utils import get_column_letter, range_boundaries

from helpers import load_xlsm
from xlwings_double.cells import _Cell
from xlwings_double.charts import Chart
from xlwings_double.typing_rules import _stored

if TYPE_CHECKING:
    from xlwings_double.app import Book
    from xlwings_double.sheets import Sheet


# -- Book.from_file: the file as Excel opens it ----------------------------------------


def _load(path: Path) -> Any:
    """Return the openpyxl workbook of the file at ``path``, read as Excel opens it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's doubts about features Excel reads
        workbook = openpyxl.load_workbook(path)
    return workbook


def _fill(book: Book, workbook: Any, path: Path) -> None:
    """Put the sheets of ``workbook``, read from ``path``, into the new, empty ``book``."""
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
        workbook = load_xlsm(source) if macro else openpyxl.load_workbook(source)
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
