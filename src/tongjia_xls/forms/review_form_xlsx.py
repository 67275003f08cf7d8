"""附件2 述职评议表 as a workbook: the Excel template, found or built, and its fill.

The template ``xlsx_templates/述职评议表.xlsx`` (or the one in the folder named by
``TONGJIA_TEMPLATES``) may be restyled by staff in Excel: the tool finds the cells by their
``{…}`` placeholders and only writes values, so fonts, colours, widths and borders set there
survive every fill. Without a template the built-in layout (:func:`build_template`) is used.
The blank ballots get a sheet each (票001 …); the result table is one sheet, 评议结果.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Sequence
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from tongjia_xls.book.openpyxl_backend import store
from tongjia_xls.errors import UserError
from tongjia_xls.forms.docx_style import text_width
from tongjia_xls.forms.names import normalize_dots
from tongjia_xls.forms.review_common import (
    EVALUATOR_LINE,
    GRADES,
    PROPOSED_NOTE,
    RESULT_TAG,
    ReviewRow,
    _check_grades,
    _instructions,
    _mark,
    _score_label,
    _tally,
    _ticket,
    ballot_name,
    form_title,
    result_name,
)
from tongjia_xls.outputs import atomic_write, ensure_folder
from tongjia_xls.settings import Settings

__all__ = [
    "TEMPLATE_ENV",
    "TEMPLATE_NAME",
    "build_template",
    "default_template",
    "ensure_template",
    "write_blank_ballots_xlsx",
    "write_result_xlsx",
]

#: Name of the template workbook, in ``xlsx_templates/`` or the folder of ``TEMPLATE_ENV``.
TEMPLATE_NAME = "述职评议表.xlsx"
#: Environment variable naming a folder that holds the staff's template.
TEMPLATE_ENV = "TONGJIA_TEMPLATES"
TEMPLATE_SHEET = "述职评议表"

_PLACEHOLDER = re.compile(r"\{(标题|票号|述职人|单位及职务|好|较好|一般|差|说明|落款)\}")
_REQUIRED = ("述职人", "单位及职务", *GRADES)
# The template's columns: 述职人, 单位及职务, the four grades (Excel character widths).
_XLSX_WIDTHS = (11.0, 30.0, 12.0, 12.0, 12.0, 12.0)


def default_template() -> Path | None:
    """Return the template the fill functions use when none is given, or ``None``.

    The folder named by ``TONGJIA_TEMPLATES`` comes first, then ``xlsx_templates/`` of the
    checkout the package runs from. ``None`` means the built-in layout is used.
    """
    folder = os.environ.get(TEMPLATE_ENV)
    if folder and (Path(folder) / TEMPLATE_NAME).is_file():
        return Path(folder) / TEMPLATE_NAME
    repo = Path(__file__).resolve().parents[3]
    candidate = repo / "xlsx_templates" / TEMPLATE_NAME
    if (repo / "pyproject.toml").is_file() and candidate.is_file():
        return candidate
    return None


def ensure_template(path: Path) -> Path:
    """Create the template at ``path`` unless a file is there already; return ``path``.

    An existing template is never overwritten: it may carry the staff's styling.
    """
    path = Path(path)
    if not path.exists():
        ensure_folder(path.parent)
        with atomic_write(path) as temporary:
            build_template().save(temporary)
    return path


def build_template() -> Any:
    """Return the template workbook: title, header, one styled body row, A4 print setup."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = TEMPLATE_SHEET
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    head_font = Font(name="黑体", size=12)
    body_font = Font(name="仿宋", size=12)
    last = len(_XLSX_WIDTHS)
    for column, width in enumerate(_XLSX_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width

    def put(row: int, column: int, value: Any, font: Any, align: Any, border: bool) -> None:
        cell = ws.cell(row=row, column=column)
        if value is not None:
            store(cell, value)
        cell.font, cell.alignment = font, align
        if border:
            cell.border = box

    def band(row: int, value: str, font: Any, align: Any, height: float) -> None:
        put(row, 1, value, font, align, False)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        ws.row_dimensions[row].height = height

    band(1, "{标题}", Font(name="黑体", size=18), center, 54)
    band(2, "{票号}", body_font, Alignment(horizontal="right", vertical="center"), 24)
    for column in range(1, last + 1):
        for row in (3, 4):
            put(row, column, None, head_font, center, True)
    put(3, 1, "述职人", head_font, center, True)
    put(3, 2, "单位及职务", head_font, center, True)
    put(3, 3, "评议等次及分数", head_font, center, True)
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells(start_row=3, start_column=3, end_row=3, end_column=last)
    for column, grade in enumerate(GRADES, start=3):
        put(4, column, f"{{{grade}}}", head_font, center, True)
    ws.row_dimensions[3].height, ws.row_dimensions[4].height = 24, 36
    # A name (阿依古丽·买买提) shrinks to fit its cell instead of wrapping onto two lines.
    put(5, 1, "{述职人}", body_font,
        Alignment(horizontal="center", vertical="center", shrink_to_fit=True), True)
    put(5, 2, "{单位及职务}", body_font, center, True)
    for column in range(3, last + 1):
        put(5, column, None, body_font, center, True)
    ws.row_dimensions[5].height = 22
    left = Alignment(horizontal="left", vertical="top", wrap_text=True)
    band(6, "{说明}", Font(name="仿宋", size=10.5), left, 34)
    band(7, "{落款}", body_font, Alignment(horizontal="right", vertical="center",
                                           wrap_text=True), 48)
    ws.print_title_rows = "3:4"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    margins = ws.page_margins
    margins.left, margins.right, margins.top, margins.bottom = 0.9, 0.8, 1.0, 0.9
    margins.header, margins.footer = 0.4, 0.4
    ws.oddFooter.center.text = "— &P —"
    ws.oddFooter.center.font, ws.oddFooter.center.size = "宋体", 12
    ws.sheet_view.showGridLines = False
    return workbook


def write_blank_ballots_xlsx(
    rows: Sequence[ReviewRow], settings: Settings, folder: Path, *, copies: int = 1,
    template: Path | None = None,
) -> Path:
    """Write ``copies`` blank ballots into one workbook, a sheet (票001 …) per ballot."""
    if copies < 1:
        raise UserError("份数至少为 1。")
    workbook, source, label = _open_template(template)
    for number in range(1, copies + 1):
        ws = _copy_sheet(workbook, source)
        ws.title = f"票{number:0{max(3, len(str(copies)))}d}"
        _fill(ws, rows, settings, label, tag=_ticket(number, copies),
              note=_instructions(rows, settings), sign=EVALUATOR_LINE, result=False)
        # One ballot, one page, whatever staff did to the widths and heights.
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 1
    workbook.remove(source)
    workbook.active = 0
    return _save_workbook(workbook, Path(folder) / ballot_name(settings, copies, ".xlsx"))


def write_result_xlsx(
    rows: Sequence[ReviewRow], settings: Settings, folder: Path, *,
    template: Path | None = None,
) -> Path:
    """Write the result table into the template's sheet, renamed 评议结果."""
    _check_grades(rows)
    workbook, ws, label = _open_template(template)
    note = _tally(rows)
    if any(r.grade and not r.final for r in rows):
        note += "\n" + PROPOSED_NOTE
    sign = f"{settings.committee}（盖章）\n年　　月　　日　　　　"
    _fill(ws, rows, settings, label, tag=RESULT_TAG, note=note, sign=sign, result=True)
    ws.title = "评议结果"
    return _save_workbook(workbook, Path(folder) / result_name(settings, ".xlsx"))


def _save_workbook(workbook: Any, path: Path) -> Path:
    ensure_folder(path.parent)
    with atomic_write(path) as temporary:
        workbook.save(temporary)
    return path


def _open_template(template: Path | None) -> tuple[Any, Any, str]:
    """Return the template workbook, its form sheet (the other sheets removed) and its name."""
    if template is not None and not Path(template).is_file():
        raise UserError(f"找不到评议表模板“{template}”。请检查路径，或不指定模板使用默认样式。")
    path = Path(template) if template is not None else default_template()
    if path is None:
        workbook, label = build_template(), "内置模板"
    else:
        label = f"模板“{path.name}”"
        try:
            with warnings.catch_warnings():
                # Features openpyxl cannot keep (e.g. slicers) are dropped from the copy
                # only: the template file itself is never written.
                warnings.simplefilter("ignore")
                workbook = load_workbook(path)
        except Exception as error:  # a damaged or non-Excel file: the user's to fix
            raise UserError(f"{label}无法打开（{error}）。请用 Excel 另存为 .xlsx，或删除该文件，"
                            "工具会改用默认样式。") from None
    sheet = next((ws for ws in workbook.worksheets if _find(ws, "述职人")), None)
    if sheet is None:
        raise UserError(f"{label}中找不到占位符“{{述职人}}”。请勿删除模板中的 {{…}} 占位符；"
                        "也可以删除模板文件，工具会改用默认样式。")
    for other in [ws for ws in workbook.worksheets if ws is not sheet]:
        workbook.remove(other)
    for name in list(workbook.defined_names):
        del workbook.defined_names[name]  # names may point into the removed sheets
    return workbook, sheet, label


def _find(ws: Any, name: str) -> Any:
    token = f"{{{name}}}"
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and token in cell.value:
                return cell
    return None


def _copy_sheet(workbook: Any, source: Any) -> Any:
    """Copy ``source`` with what ``copy_worksheet`` leaves out: footers, print titles, view."""
    ws = workbook.copy_worksheet(source)
    ws.HeaderFooter = copy(source.HeaderFooter)
    ws.print_title_rows = source.print_title_rows
    ws.print_title_cols = source.print_title_cols
    ws.sheet_view.showGridLines = source.sheet_view.showGridLines
    ws.sheet_view.zoomScale = source.sheet_view.zoomScale
    ws.sheet_properties.pageSetUpPr = copy(source.sheet_properties.pageSetUpPr)
    return ws


def _fill(ws: Any, rows: Sequence[ReviewRow], settings: Settings, label: str, *, tag: str,
          note: str, sign: str, result: bool) -> None:
    """Fill the form sheet ``ws`` in place: body rows from the ``{述职人}`` row down."""
    anchors = _anchors(ws, label)
    body = anchors["述职人"].row
    columns = {name: cell.column for name, cell in anchors.items()}
    texts = {
        "标题": form_title(settings), "票号": tag, "说明": note, "落款": sign,
        **{grade: f"{grade}\n{_score_label(grade, settings)}" for grade in GRADES},
    }
    for row in ws.iter_rows(max_row=body - 1):
        for cell in row:
            if isinstance(cell.value, str) and _PLACEHOLDER.search(cell.value):
                store(cell, _PLACEHOLDER.sub(lambda m: texts[m.group(1)], cell.value))
    _make_room(ws, body, len(rows))
    _fill_body(ws, rows, body, columns, result)
    for row in ws.iter_rows(min_row=body + max(len(rows), 1)):
        for cell in row:
            if isinstance(cell.value, str) and _PLACEHOLDER.search(cell.value):
                store(cell, _PLACEHOLDER.sub(lambda m: texts.get(m.group(1), ""), cell.value))
                _fit_height(ws, cell.row, ws.row_dimensions[cell.row].height)


def _anchors(ws: Any, label: str) -> dict[str, Any]:
    """Return the cell of each required placeholder; refuse a template that lacks one."""
    anchors = {name: _find(ws, name) for name in _REQUIRED}
    missing = [f"{{{name}}}" for name, cell in anchors.items() if cell is None]
    if missing:
        raise UserError(f"{label}中找不到占位符{'、'.join(missing)}。请勿删除模板中的 {{…}} "
                        "占位符；也可以删除模板文件，工具会改用默认样式。")
    return anchors


def _fill_body(
    ws: Any, rows: Sequence[ReviewRow], body: int, columns: dict[str, int], result: bool
) -> None:
    """Write one row per organization from row ``body``, each styled as the template's."""
    template = {c: _style_of(ws.cell(row=body, column=c)) for c in range(1, ws.max_column + 1)}
    height = ws.row_dimensions[body].height
    for index, review in enumerate(rows):
        number = body + index
        for column, style in template.items():
            cell = ws.cell(row=number, column=column)
            for name, value in style.items():
                setattr(cell, name, value)
            store(cell, None)
        values = {columns["述职人"]: normalize_dots(review.secretary or ""),
                  columns["单位及职务"]: review.position}
        for grade in GRADES:
            values[columns[grade]] = _mark(review, grade) if result else None
        for column, value in values.items():
            store(ws.cell(row=number, column=column), value or None)
        _fit_height(ws, number, height)
    if not rows:  # keep the row, empty, for the evaluator to write in
        for column in range(1, ws.max_column + 1):
            store(ws.cell(row=body, column=column), None)


#: What makes up a cell's style in openpyxl. The named style comes first: setting it resets
#: the others to its own.
_STYLE_PARTS = ("style", "font", "border", "fill", "number_format", "protection", "alignment",
                "quotePrefix", "pivotButton")


def _style_of(cell: Any) -> dict[str, Any]:
    """Return ``cell``'s style as openpyxl's public attributes, to give other cells."""
    return {name: copy(getattr(cell, name)) for name in _STYLE_PARTS}


def _make_room(ws: Any, body: int, count: int) -> None:
    """Insert ``count - 1`` rows under row ``body``, moving merges and heights with them."""
    extra = count - 1
    if extra <= 0:
        return
    below = sorted((r for r in ws.row_dimensions if r > body), reverse=True)
    heights = {r: ws.row_dimensions[r].height for r in below}
    ws.insert_rows(body + 1, extra)
    for merged in list(ws.merged_cells.ranges):
        if merged.min_row > body:
            merged.shift(row_shift=extra)
    for r in below:
        ws.row_dimensions[r + extra].height = heights[r]
        ws.row_dimensions[r].height = None


def _fit_height(ws: Any, row: int, height: float | None) -> None:
    """Make row ``row`` tall enough for every wrapped line of its cells, never lower than
    ``height``: Excel does not grow a row whose height is set, it cuts the text off."""
    spans = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
    needed = height or 0.0
    for cell in ws[row]:
        if not isinstance(cell.value, str) or not cell.value:
            continue
        if cell.alignment.shrink_to_fit and not cell.alignment.wrap_text:
            continue  # one line, however long: the text shrinks instead
        merged = spans.get((row, cell.column))
        last = merged.max_col if merged else cell.column
        width = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43
                    for c in range(cell.column, last + 1))
        size = float(cell.font.sz or 11)
        # Excel's width is in characters of 7 px; a 汉字 is as wide as its size in px·4/3.
        per_line = max(1, int((width * 7 + 5 - 8) / (size * 4 / 3)))
        lines = sum(max(1, math.ceil(text_width(part) / per_line))
                    for part in cell.value.split("\n"))
        needed = max(needed, lines * size * 1.35 + 4)
    if needed:
        ws.row_dimensions[row].height = needed
