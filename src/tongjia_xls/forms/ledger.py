"""The 整改台账 for the inspection, as .xlsx and .docx, grouped by organization and by status.

Both print on A4 landscape. The workbook's text wraps in its cells and every row is as tall
as its longest cell needs (Excel never grows a row by itself, and cuts off what does not
fit); the header row repeats on every page and the columns are fitted to the page width.
Names in 责任人 stand one per line, their middle dots normalized, so that 买买提·吐尔逊 is
never split.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from tongjia_xls.forms.names import name_lines, printed_width
from tongjia_xls.outputs import atomic_write, ensure_folder, safe_file_name
from tongjia_xls.rectification.ledger import Item, Tracking
from tongjia_xls.settings import Settings
from tongjia_xls.sheets.schema import RECTIFICATION

Row = tuple[Item, Tracking]
#: The 整改 sheet's own headers, as staff know them, after a running number and the org.
HEADERS = ("序号", "党组织", *(RECTIFICATION.header(name) for name in (
    "source", "problem", "measure", "owner", "deadline", "status", "done_on", "days_left",
    "alert")))
_WIDTHS = (6, 14, 10, 36, 36, 14, 12, 9, 12, 9, 10)
#: Columns of running text: aligned left (the others are centred).
_PROSE = frozenset({3, 4, 5})
_STATUS_ORDER = ("未开始", "整改中", "已完成", "已核验", None)
#: The body's type size (pt) and the height of one of its lines: 1.45 em is the line of
#: the CJK faces (宋体 in Excel, Noto CJK in LibreOffice), with some air.
_SIZE = 11.0
_LINE_PT = _SIZE * 1.45
_PAD_PT = 5.0
_MIN_ROW_PT = 20.0


def _cells(number: int, item: Item, tracking: Tracking) -> list[object]:
    owner = "\n".join(name_lines(item.owner)) if item.owner else None
    return [number, item.org, item.source, item.problem, item.measure, owner,
            item.deadline, item.status or "未填", item.done_on, tracking.days_left,
            tracking.alert]


def chars_per_line(width: float, size: float = _SIZE) -> float:
    """Return how many 汉字 of ``size`` pt fit on a line of a column ``width`` wide.

    Excel's width counts characters of 7 px (plus 5 px of padding); a 汉字 is as wide as
    its size, in px 4/3 of it in pt. 2 px each side are the cell's own margin.
    """
    return max(1.0, (width * 7 + 5 - 4) / (size * 4 / 3))


def line_count(value: object, width: float, size: float = _SIZE) -> int:
    """Return the lines ``value`` takes when wrapped in a column ``width`` wide."""
    if value is None:
        return 1
    text = f"{value:%Y-%m-%d}" if isinstance(value, date) else str(value)
    room = chars_per_line(width, size)
    return sum(max(1, math.ceil(printed_width(part) / room - 1e-9)) for part in text.split("\n"))


def row_height(values: Sequence[object], widths: Sequence[float] = _WIDTHS) -> float:
    """Return the height (pt) of a row of ``values`` that shows every line of each cell."""
    lines = max((line_count(v, w) for v, w in zip(values, widths, strict=False)), default=1)
    return max(_MIN_ROW_PT, round(lines * _LINE_PT + _PAD_PT, 1))


def _by_org(rows: Sequence[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: (r[0].org or "", r[0].deadline or date.max))


def _by_status(rows: Sequence[Row]) -> list[Row]:
    rank = {s: i for i, s in enumerate(_STATUS_ORDER)}
    return sorted(rows, key=lambda r: (r[1].alert != "已逾期", rank.get(r[0].status, 4),
                                       r[0].deadline or date.max, r[0].org or ""))


def ledger_title(settings: Settings) -> str:
    """Return the ledger's title."""
    return f"{settings.town}{settings.year}年度村（社区）党组织书记抓党建述职评议问题整改台账"


def write_ledger_xlsx(rows: Sequence[Row], settings: Settings, folder: Path, today: date) -> Path:
    """Write the ledger workbook (sheets 按党组织 and 按状态); return its path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from tongjia_xls.book.look import Look
    from tongjia_xls.book.openpyxl_backend import store, style_cell
    from tongjia_xls.sheets.schema import DATE_FORMAT

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, ordered in (("按党组织", _by_org(rows)), ("按状态", _by_status(rows))):
        ws = workbook.create_sheet(title)
        store(ws.cell(row=1, column=1), ledger_title(settings))
        ws.cell(row=1, column=1).font = Font(name="黑体", size=14, bold=True)
        ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
        ws.row_dimensions[1].height = 30
        store(ws.cell(row=2, column=1), f"统计日期：{today:%Y年%m月%d日}")
        for col, (header, width) in enumerate(zip(HEADERS, _WIDTHS, strict=True), start=1):
            style_cell(ws.cell(row=3, column=col), Look.HEADER_STAFF)
            store(ws.cell(row=3, column=col), header)
            ws.column_dimensions[get_column_letter(col)].width = width
        ws.row_dimensions[3].height = row_height(HEADERS)
        for number, (item, tracking) in enumerate(ordered, start=1):
            values = _cells(number, item, tracking)
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row=3 + number, column=col)
                style_cell(cell, Look.BODY_STAFF, DATE_FORMAT if isinstance(value, date) else None)
                cell.alignment = Alignment(horizontal="left" if col in _PROSE else "center",
                                           vertical="center", wrap_text=True)
                if value is not None:
                    store(cell, value)
                if tracking.alert == "已逾期":
                    cell.fill = PatternFill("solid", start_color="F8CBAD", end_color="F8CBAD")
            # Excel keeps a row at its set height and cuts off the rest: set it from the text.
            ws.row_dimensions[3 + number].height = row_height(values)
        ws.freeze_panes = "A4"
        ws.print_title_rows = "3:3"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        margins = ws.page_margins
        margins.left = margins.right = 0.5
        margins.top, margins.bottom, margins.header, margins.footer = 0.7, 0.7, 0.3, 0.3
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    name = safe_file_name(f"{settings.town}{settings.year}年度整改台账.xlsx")
    path = ensure_folder(folder) / name
    with atomic_write(path) as temporary:
        workbook.save(temporary)
    return path


_DOCX_HEADERS = ("序号", *(RECTIFICATION.header(name) for name in (
    "source", "problem", "measure", "owner", "deadline", "status", "alert")))
_DOCX_WIDTHS = (10, 18, 58, 58, 24, 24, 14, 16)  # 222 mm: landscape A4 between margins
_DOCX_OWNER = 4  # the 责任人 column


def write_ledger_docx(rows: Sequence[Row], settings: Settings, folder: Path, today: date) -> Path:
    """Write the ledger as a Word document, one section per organization; return its path."""

    from tongjia_xls.forms.docx_style import (
        add_page_number_footer,
        add_text,
        add_title,
        official_document,
    )

    document = official_document(landscape=True)
    add_page_number_footer(document.sections[0])
    add_title(document, ledger_title(settings))
    add_text(document, f"统计日期：{today:%Y年%m月%d日}。共 {len(rows)} 项，"
                       f"逾期 {sum(t.alert == '已逾期' for _, t in rows)} 项。")
    orgs = list(dict.fromkeys(item.org for item, _ in _by_org(rows)))
    for org in orgs:
        mine = [r for r in _by_org(rows) if r[0].org == org]
        add_text(document, f"{org}（{len(mine)} 项）", bold=True)
        _docx_table(document, mine)
    name = safe_file_name(f"{settings.town}{settings.year}年度整改台账.docx")
    path = ensure_folder(folder) / name
    with atomic_write(path) as temporary:
        document.save(str(temporary))
    return path


def _docx_table(document: Any, mine: Sequence[Row]) -> None:
    """Add one organization's table: a repeated header row, then a row per item."""
    from tongjia_xls.forms.docx_style import cell_text, grid_table, repeat_header_row

    table = grid_table(document, len(mine) + 1, _DOCX_WIDTHS)
    for cell, header in zip(table.rows[0].cells, _DOCX_HEADERS, strict=True):
        cell_text(cell, header, bold=True)
    repeat_header_row(table)
    for number, (item, tracking) in enumerate(mine, start=1):
        _docx_row(table, number, item, tracking)


def _docx_row(table: Any, number: int, item: Item, tracking: Tracking) -> None:
    """Fill row ``number`` of an organization's table with one item."""
    from tongjia_xls.forms.docx_style import SIZE_SMALL_4, cell_text, fit_on_one_line

    owner_room = _DOCX_WIDTHS[_DOCX_OWNER] - 2 * 1.9  # Word's cell padding: 0.19 cm a side
    values = (str(number), item.source or "", item.problem or "", item.measure or "",
              None, f"{item.deadline:%Y-%m-%d}" if item.deadline else "",
              item.status or "", tracking.alert or "")
    # A row's cells at once: python-docx's table.cell(r, c) lays out the whole table per call.
    cells = table.rows[number].cells
    for cell, value in zip(cells, values, strict=True):
        if value is not None:
            cell_text(cell, value)
    # 责任人: one name a line, each narrowed to its cell rather than split.
    owner = cells[_DOCX_OWNER]
    cell_text(owner, "\n".join(name_lines(item.owner)) if item.owner else "",
              size=SIZE_SMALL_4)
    for paragraph in owner.paragraphs:
        fit_on_one_line(paragraph, owner_room, SIZE_SMALL_4)
