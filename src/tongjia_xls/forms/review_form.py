"""附件2 述职评议表: blank ballots for the meeting and the committee's result table.

The form is the notice's: the title, a header row ``述职人 | 单位及职务 | 评议等次及分数``
with the last cell over the four grades ``好（100分）| 较好（90分）| 一般（75分）| 差（60分）``
(the scores from ``设置``), then one row per organization in roster order.

* **Blank ballots** carry a 票号 for the tally and a line for the evaluator; every ballot is
  one A4 page with all 21 rows.
* **The result table** has √ under each organization's grade. A grade the committee has not
  yet decided is the tool's proposal: its √ is followed by "（建议）" and a note says so.

Each comes as a Word document (most offices print from Word) and as a workbook filled into
the template ``xlsx_templates/述职评议表.xlsx``, which staff may restyle in Excel: the tool
finds the cells by their ``{…}`` placeholders and only writes values, so fonts, colours,
widths and borders set there survive every fill.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Mm, Pt
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from tongjia_xls.book.openpyxl_backend import store
from tongjia_xls.errors import UserError
from tongjia_xls.reports.docx_style import (
    BODY_FONT,
    HEADING_FONT,
    SIZE_5,
    SIZE_SMALL_4,
    SUBHEADING_FONT,
    add_text,
    add_title,
    cell_text,
    grid_table,
    keep_rows_whole,
    narrow_cell_margins,
    official_page,
    repeat_header_row,
    safe_file_name,
    set_run_font,
    text_width,
)
from tongjia_xls.settings import Settings, format_setting

__all__ = [
    "GRADES",
    "TEMPLATE_ENV",
    "TEMPLATE_NAME",
    "ReviewRow",
    "ballot_name",
    "build_template",
    "default_template",
    "ensure_template",
    "form_title",
    "result_name",
    "write_blank_ballots_docx",
    "write_blank_ballots_xlsx",
    "write_result_docx",
    "write_result_xlsx",
]

GRADES = ("好", "较好", "一般", "差")
TICK = "√"
PROPOSED = "（建议）"
PROPOSED_NOTE = "注：标“建议”的为工具建议等次，尚待党委确定。"
RESULT_TAG = "（评议结果）"
EVALUATOR_LINE = "评议人（可不署名）：________________　　日期：________"
#: Name of the template workbook, in ``xlsx_templates/`` or the folder of ``TEMPLATE_ENV``.
TEMPLATE_NAME = "述职评议表.xlsx"
#: Environment variable naming a folder that holds the staff's template.
TEMPLATE_ENV = "TONGJIA_TEMPLATES"
TEMPLATE_SHEET = "述职评议表"

# Word: the type area of the official page is 156 mm wide (A4 less 28 + 26 mm margins).
_WIDTHS_MM = (20.0, 52.0, 21.0, 21.0, 21.0, 21.0)
_CELL_MARGIN_MM = 0.8
_HEADER_HEIGHT_MM = (7.5, 11.0)
#: Height of a one-line body row: 21 of them, the title and the lines below fit one page.
#: Rows are as tall as the budget allows (room to tick), down to the minimum when long
#: positions wrap onto more lines.
_ROW_HEIGHT_MM = (6.0, 6.6)
_BODY_BUDGET_MM = 21 * 6.6
#: Exact line pitch inside the cells (小四 type), the same in Word, WPS and LibreOffice.
_CELL_PITCH = 15.0
#: The line under the title that holds the 票号: tighter than the body's 28.95 pt.
_TAG_PITCH = 22.0


@dataclass(frozen=True)
class ReviewRow:
    """One organization's line on the form.

    ``grade`` is the 确定等次 when ``final`` is true, else the tool's 建议等次 (or ``None``:
    no grade yet, no √).
    """

    secretary: str
    position: str | None
    org: str
    grade: str | None = None
    final: bool = False


def form_title(settings: Settings) -> str:
    """Return the form's title, as 附件2 of the notice words it."""
    return f"{settings.year}年度村（社区）党组织书记抓基层党建工作情况述职评议表"


def _title_lines(settings: Settings) -> tuple[str, str]:
    # Where the title breaks when it takes two lines: after 书记, as the notice's heading does.
    return (f"{settings.year}年度村（社区）党组织书记", "抓基层党建工作情况述职评议表")


def ballot_name(settings: Settings, copies: int, suffix: str = ".docx") -> str:
    """Return the file name of the blank ballots."""
    return safe_file_name(f"{settings.year}年度述职评议表（空白票，{copies}份）{suffix}")


def result_name(settings: Settings, suffix: str = ".docx") -> str:
    """Return the file name of the result table."""
    return safe_file_name(f"{settings.year}年度述职评议结果表{suffix}")


def _score_label(grade: str, settings: Settings) -> str:
    return f"（{format_setting(settings.grade_scores[grade])}分）"


def _ticket(number: int, copies: int) -> str:
    return f"票号：{number:0{max(3, len(str(copies)))}d}"


def _instructions(rows: Sequence[ReviewRow], settings: Settings) -> str:
    share = settings.quota_share
    least = math.ceil(round(len(rows) * share, 9))
    count = f"（{len(rows)}名述职人中至少{least}名）" if rows and least else ""
    return (f"说明：请在每位述职人对应的评议等次栏内划“{TICK}”，每人只划一个等次；"
            f"评为“较好”及以下等次的原则上不低于{share:.0%}{count}，"
            "其中“一般”和“差”应占一定比例。")


def _check_grades(rows: Iterable[ReviewRow]) -> None:
    for row in rows:
        if row.grade is not None and row.grade not in GRADES:
            raise UserError(
                f"“{row.org}”的等次“{row.grade}”不是“好、较好、一般、差”之一，"
                "无法在评议结果表中划“√”。请在“评分”表中改正后再生成。"
            )


def _mark(row: ReviewRow, grade: str) -> str:
    if row.grade != grade:
        return ""
    return TICK if row.final else TICK + PROPOSED


def _tally(rows: Sequence[ReviewRow]) -> str:
    counts = {grade: sum(r.grade == grade for r in rows) for grade in GRADES}
    text = "合计：" + "，".join(f"{g} {counts[g]} 个" for g in GRADES)
    missing = sum(r.grade is None for r in rows)
    if missing:
        text += f"，未定等次 {missing} 个"
    graded = len(rows) - missing
    if graded:
        low = graded - counts["好"]
        text += f"；“较好”及以下占 {low / graded:.0%}"
    return text + "。"


# -- Word --------------------------------------------------------------------------------

def write_blank_ballots_docx(
    rows: Sequence[ReviewRow], settings: Settings, folder: Path, *, copies: int = 1
) -> Path:
    """Write ``copies`` blank ballots, one A4 page each, into one document; return its path."""
    if copies < 1:
        raise UserError("份数至少为 1。")
    doc = _document(settings)
    for number in range(1, copies + 1):
        _form(doc, rows, settings, tag=_ticket(number, copies), new_page=number > 1,
              result=False)
        _after_table(doc, _instructions(rows, settings))
        line = _after_table(doc, EVALUATOR_LINE, size=12.0)
        line.paragraph_format.space_before = Pt(10)
    return _save(doc, Path(folder) / ballot_name(settings, copies))


def write_result_docx(rows: Sequence[ReviewRow], settings: Settings, folder: Path) -> Path:
    """Write the result table (√ under each grade) with the committee's sign-off block."""
    _check_grades(rows)
    doc = _document(settings)
    _form(doc, rows, settings, tag=RESULT_TAG, new_page=False, result=True)
    _after_table(doc, _tally(rows))
    if any(r.grade and not r.final for r in rows):
        _after_table(doc, PROPOSED_NOTE)
    # 落款: the committee over the date, the date 右空四字, room for the seal above.
    for index, text in enumerate((f"{settings.committee}（盖章）", "年　　月　　日")):
        paragraph = _after_table(doc, text, size=SIZE_SMALL_4, align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = Pt(4 * SIZE_SMALL_4 if index else 0)
        paragraph.paragraph_format.space_before = Pt(18 if index == 0 else 6)
        paragraph.paragraph_format.keep_with_next = index == 0
    return _save(doc, Path(folder) / result_name(settings))


def _document(settings: Settings) -> Any:
    doc = Document()
    official_page(doc)
    props = doc.core_properties
    props.title, props.author = form_title(settings), settings.committee
    props.last_modified_by, props.comments, props.revision = props.author, "", 1
    props.created = props.modified = datetime.now().replace(microsecond=0)
    return doc


def _save(doc: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def _form(doc: Any, rows: Sequence[ReviewRow], settings: Settings, *, tag: str,
          new_page: bool, result: bool) -> None:
    """Add the title, the tag line (票号 or 评议结果) and the table."""
    title = add_title(doc, *_title_lines(settings))
    if new_page:  # each ballot starts a page; a full page then leaves no empty one
        title.paragraph_format.page_break_before = True
    # add_title leaves a blank line under the title: the 票号 (or 评议结果) stands in it.
    line = doc.paragraphs[-1]
    line.paragraph_format.line_spacing = Pt(_TAG_PITCH)
    if result:
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_run_font(line.add_run(tag), SUBHEADING_FONT, SIZE_SMALL_4)
    else:
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        set_run_font(line.add_run(tag), BODY_FONT, SIZE_SMALL_4)
    table = grid_table(doc, 2 + len(rows), _WIDTHS_MM)
    narrow_cell_margins(table, _CELL_MARGIN_MM)
    head, sub = table.rows[0].cells, table.rows[1].cells
    for column, text in ((0, "述职人"), (1, "单位及职务")):
        merged = head[column].merge(sub[column])
        cell_text(merged, text, size=SIZE_SMALL_4, font=HEADING_FONT)
    cell_text(head[2].merge(head[5]), "评议等次及分数", size=SIZE_SMALL_4, font=HEADING_FONT)
    for cell, grade in zip(sub[2:], GRADES, strict=True):
        cell_text(cell, grade, size=SIZE_SMALL_4, font=HEADING_FONT)
        add_text(cell, _score_label(grade, settings), font=HEADING_FONT, size=SIZE_5,
                 align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, line=None)
    for row, cells in zip(rows, table.rows[2:], strict=True):
        cell_text(cells.cells[0], row.secretary or "", size=SIZE_SMALL_4)
        cell_text(cells.cells[1], row.position or "", size=SIZE_SMALL_4)
        for cell, grade in zip(cells.cells[2:], GRADES, strict=True):
            mark = _mark(row, grade) if result else ""
            cell_text(cell, mark[:1], size=SIZE_SMALL_4)
            if len(mark) > 1:  # （建议）: smaller, so that it stays on the line of the √
                set_run_font(cell.paragraphs[0].add_run(mark[1:]), SUBHEADING_FONT, 9.0)
    heights = (*_HEADER_HEIGHT_MM, *[_body_row_height(rows)] * len(rows))
    for row, height in zip(table.rows, heights, strict=True):
        row.height = Mm(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                paragraph.paragraph_format.line_spacing = Pt(_CELL_PITCH)
    repeat_header_row(table, 2)
    keep_rows_whole(table)


def _body_row_height(rows: Sequence[ReviewRow]) -> float:
    """Return the height (mm) of a one-line body row, leaving room for the wrapped ones."""
    pitch_mm = _CELL_PITCH * 25.4 / 72
    per_line = int((_WIDTHS_MM[1] - 2 * _CELL_MARGIN_MM) / (SIZE_SMALL_4 * 25.4 / 72))
    lines = [max(1, math.ceil(text_width(r.position or "") / per_line)) for r in rows]
    single = sum(n == 1 for n in lines)
    if not single:
        return _ROW_HEIGHT_MM[0]
    room = _BODY_BUDGET_MM - sum(n * pitch_mm for n in lines if n > 1)
    return max(_ROW_HEIGHT_MM[0], min(_ROW_HEIGHT_MM[1], room / single))


def _after_table(doc: Any, text: str, *, size: float = 10.5, align: Any = None) -> Any:
    paragraph = add_text(doc, text, size=size, indent=False, line=round(size * 4 / 3),
                         align=WD_ALIGN_PARAGRAPH.LEFT if align is None else align)
    paragraph.paragraph_format.space_before = Pt(4)
    return paragraph


# -- Excel --------------------------------------------------------------------------------

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
        path.parent.mkdir(parents=True, exist_ok=True)
        build_template().save(path)
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
    put(5, 1, "{述职人}", body_font, center, True)
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
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
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
    anchors = {name: _find(ws, name) for name in _REQUIRED}
    missing = [f"{{{name}}}" for name, cell in anchors.items() if cell is None]
    if missing:
        raise UserError(f"{label}中找不到占位符{'、'.join(missing)}。请勿删除模板中的 {{…}} "
                        "占位符；也可以删除模板文件，工具会改用默认样式。")
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
    template = {c: copy(ws.cell(row=body, column=c)._style) for c in range(1, ws.max_column + 1)}
    height = ws.row_dimensions[body].height
    for index, review in enumerate(rows):
        number = body + index
        for column, style in template.items():
            cell = ws.cell(row=number, column=column)
            cell._style = copy(style)
            store(cell, None)
        values = {columns["述职人"]: review.secretary, columns["单位及职务"]: review.position}
        for grade in GRADES:
            values[columns[grade]] = _mark(review, grade) if result else None
        for column, value in values.items():
            store(ws.cell(row=number, column=column), value or None)
        _fit_height(ws, number, height)
    if not rows:  # keep the row, empty, for the evaluator to write in
        for column in range(1, ws.max_column + 1):
            store(ws.cell(row=body, column=column), None)
    for row in ws.iter_rows(min_row=body + max(len(rows), 1)):
        for cell in row:
            if isinstance(cell.value, str) and _PLACEHOLDER.search(cell.value):
                store(cell, _PLACEHOLDER.sub(lambda m: texts.get(m.group(1), ""), cell.value))
                _fit_height(ws, cell.row, ws.row_dimensions[cell.row].height)


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
