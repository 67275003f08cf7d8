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

This module writes the Word documents; the pieces both share are in
:mod:`tongjia_xls.forms.review_common` and the workbook side is in
:mod:`tongjia_xls.forms.review_form_xlsx`. Every public name of the three is importable
from here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Mm, Pt

from tongjia_xls.errors import UserError
from tongjia_xls.forms.docx_style import (
    BODY_FONT,
    HEADING_FONT,
    SIZE_5,
    SIZE_SMALL_4,
    SUBHEADING_FONT,
    add_text,
    add_title,
    cell_text,
    fit_on_one_line,
    grid_table,
    keep_rows_whole,
    narrow_cell_margins,
    official_document,
    repeat_header_row,
    set_run_font,
    text_width,
)
from tongjia_xls.forms.names import normalize_dots
from tongjia_xls.forms.review_common import (
    EVALUATOR_LINE,
    GRADES,
    PROPOSED,  # noqa: F401 (re-exported: it was defined here)
    PROPOSED_NOTE,
    RESULT_TAG,
    TICK,  # noqa: F401 (re-exported: it was defined here)
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
from tongjia_xls.forms.review_form_xlsx import (
    TEMPLATE_ENV,
    TEMPLATE_NAME,
    TEMPLATE_SHEET,  # noqa: F401 (re-exported: it was defined here)
    build_template,
    default_template,
    ensure_template,
    write_blank_ballots_xlsx,
    write_result_xlsx,
)
from tongjia_xls.outputs import atomic_write, ensure_folder
from tongjia_xls.settings import Settings

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

# Word: the type area of the official page is 156 mm wide (A4 less 28 + 26 mm margins).
_WIDTHS_MM = (20.0, 52.0, 21.0, 21.0, 21.0, 21.0)
_CELL_MARGIN_MM = 0.8
#: 述职人 widens (taking from 单位及职务) for a long name such as 阿依古丽·买买提, up to this.
_NAME_MAX_MM = 32.0
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


def _title_lines(settings: Settings) -> tuple[str, str]:
    # Where the title breaks when it takes two lines: after 书记, as the notice's heading does.
    return (f"{settings.year}年度村（社区）党组织书记", "抓基层党建工作情况述职评议表")



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
    doc = official_document()
    props = doc.core_properties
    props.title, props.author = form_title(settings), settings.committee
    props.last_modified_by, props.comments, props.revision = props.author, "", 1
    props.created = props.modified = datetime.now().replace(microsecond=0)
    return doc


def _save(doc: Any, path: Path) -> Path:
    ensure_folder(path.parent)
    with atomic_write(path) as temporary:
        doc.save(str(temporary))
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
    widths = _widths(rows)
    table = grid_table(doc, 2 + len(rows), widths)
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
        # A name is never split over two lines: narrowed to fit when it is wider than the cell.
        cell_text(cells.cells[0], normalize_dots(row.secretary or ""), size=SIZE_SMALL_4)
        fit_on_one_line(cells.cells[0].paragraphs[0], widths[0] - 2 * _CELL_MARGIN_MM,
                        SIZE_SMALL_4)
        cell_text(cells.cells[1], row.position or "", size=SIZE_SMALL_4)
        for cell, grade in zip(cells.cells[2:], GRADES, strict=True):
            mark = _mark(row, grade) if result else ""
            cell_text(cell, mark[:1], size=SIZE_SMALL_4)
            if len(mark) > 1:  # （建议）: smaller, so that it stays on the line of the √
                set_run_font(cell.paragraphs[0].add_run(mark[1:]), SUBHEADING_FONT, 9.0)
    heights = (*_HEADER_HEIGHT_MM, *[_body_row_height(rows, widths)] * len(rows))
    for row, height in zip(table.rows, heights, strict=True):
        row.height = Mm(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                paragraph.paragraph_format.line_spacing = Pt(_CELL_PITCH)
    repeat_header_row(table, 2)
    keep_rows_whole(table)


def _widths(rows: Sequence[ReviewRow]) -> tuple[float, ...]:
    """Return the column widths (mm): 述职人 as wide as the longest name needs at 小四."""
    longest = max((text_width(normalize_dots(r.secretary or "")) for r in rows), default=0.0)
    needed = longest * SIZE_SMALL_4 * 25.4 / 72 + 2 * _CELL_MARGIN_MM + 0.5
    name = round(min(_NAME_MAX_MM, max(_WIDTHS_MM[0], needed)), 1)
    return (name, _WIDTHS_MM[1] - (name - _WIDTHS_MM[0]), *_WIDTHS_MM[2:])


def _body_row_height(rows: Sequence[ReviewRow], widths: Sequence[float] = _WIDTHS_MM) -> float:
    """Return the height (mm) of a one-line body row, leaving room for the wrapped ones."""
    pitch_mm = _CELL_PITCH * 25.4 / 72
    per_line = int((widths[1] - 2 * _CELL_MARGIN_MM) / (SIZE_SMALL_4 * 25.4 / 72))
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
