"""The look of a Chinese official document (GB/T 9704-2012) for the documents the tool writes.

A4 paper with the standard margins, the title in 方正小标宋简体 二号, the body in 仿宋_GB2312
三号 at a fixed line pitch (22 lines to the page), and page numbers "— 1 —" in 宋体 四号 at
the outer edge. The town's computers may lack the 方正 and ``_GB2312`` faces, so each is
declared in the font table with the face Windows always has as its alternative (黑体, 仿宋,
楷体); Word and WPS then show that one instead of a Western substitute.

The helpers take python-docx objects and change them in place, through python-docx's public
API and, for what it has no API for, the element layer :mod:`tongjia_xls.forms._oxml`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache
from io import BytesIO
from typing import TYPE_CHECKING, Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Mm, Pt

from tongjia_xls.forms import _oxml

if TYPE_CHECKING:
    from docx.document import Document
    from docx.section import Section
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"  # 一、 headings
SUBHEADING_FONT = "楷体_GB2312"  # （一） headings, quotations, the info line
BODY_FONT = "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"
#: Face shown where the preferred one is not installed (fontTable ``w:altName``).
FONT_FALLBACKS = {TITLE_FONT: "黑体", BODY_FONT: "仿宋", SUBHEADING_FONT: "楷体"}

SIZE_2 = 22.0  # 二号
SIZE_3 = 16.0  # 三号
SIZE_4 = 14.0  # 四号
SIZE_SMALL_4 = 12.0  # 小四
SIZE_5 = 10.5  # 五号
#: Exact line pitch: 225 mm of type area / 22 lines (GB/T 9704 7.1), 579 twips.
LINE_PITCH = 28.95
#: A title of two or three lines needs more air than the body's pitch gives 二号 type.
TITLE_PITCH = 35.0

#: The styles of python-docx's template the documents use (by id): the body, the footers'
#: page numbers and the tables' single borders.
TEMPLATE_STYLES = ("Normal", "Header", "Footer", "TableGrid")

A4_MM = (210, 297)
#: Portrait margins (top, bottom, left, right) in mm; GB/T 9704: 天头 37, 订口 28.
MARGINS_MM = (37, 35, 28, 26)
#: The page number sits 7 mm below the type area (GB/T 9704 7.5); ~5 mm is its own height.
_PAGE_NUMBER_DROP_MM = 12


def official_page(doc: Document, landscape: bool = False) -> None:
    """Give ``doc`` the official page, fonts and page numbers, for every section.

    A landscape page turns the margins with the sheet (as Word does when the orientation is
    switched), so the binding edge stays on the same side of the paper.
    """
    top, bottom, left, right = MARGINS_MM
    if landscape:
        top, bottom, left, right = left, right, top, bottom
    width, height = (A4_MM[1], A4_MM[0]) if landscape else A4_MM
    for section in doc.sections:
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
        section.left_margin, section.right_margin = Mm(left), Mm(right)
        section.footer_distance = Mm(bottom - _PAGE_NUMBER_DROP_MM)
        add_page_number_footer(section)
    # Odd pages carry the number at the right, even pages at the left (GB/T 9704 7.5).
    doc.settings.odd_and_even_pages_header_footer = True
    _style_normal(doc)
    declare_font_fallbacks(doc)


def official_document(landscape: bool = False) -> Document:
    """Return a new document with the official page (:func:`official_page`).

    The page is made once per orientation and kept as the bytes of its .docx; each document
    opens a copy of those, the same as a new document given the page itself.
    """
    return docx.Document(BytesIO(_official_bytes(landscape)))


@cache
def _official_bytes(landscape: bool) -> bytes:
    doc = docx.Document()
    official_page(doc, landscape=landscape)
    trim_template(doc, TEMPLATE_STYLES)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def trim_template(doc: Document, styles: Iterable[str]) -> None:
    """Drop from ``doc`` the template's styles and parts other than the style ids ``styles``.

    What those styles and the list definitions refer to, and Word's default styles, stay.
    For a document made from python-docx's template, before its content is added: see
    :func:`tongjia_xls.forms._oxml.trim_template`.
    """
    _oxml.trim_template(doc, styles)


def set_run_font(run: Run, east_asia: str, size_pt: float, bold: bool = False) -> None:
    """Set ``run``'s face (the East Asian slot Word uses for 汉字 included), size and weight."""
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    _oxml.set_faces(run, east_asia)


def add_run(paragraph: Paragraph, text: str, east_asia: str = BODY_FONT,
            size_pt: float = SIZE_3, bold: bool = False) -> Run:
    """Add a run of ``text`` to ``paragraph`` in ``east_asia`` at ``size_pt``, bold or not.

    The same run as ``set_run_font(paragraph.add_run(text), …)``: its properties are copied
    from a model run made that way once per face, size and weight.
    """
    return _oxml.add_run_like(paragraph, _run_model(east_asia, size_pt, bold), text)


def add_text(
    container: Any,
    text: str,
    *,
    font: str = BODY_FONT,
    size: float = SIZE_3,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = True,
    line: float | None = LINE_PITCH,
) -> Paragraph:
    """Add a paragraph of ``text`` to a document or table cell, in one run.

    ``indent`` is the first-line indent of two characters of body text; ``line`` the exact
    line pitch in points (``None``: single spacing, for table cells).
    """
    paragraph: Paragraph = container.add_paragraph()
    _oxml.copy_paragraph_format(_paragraph_model(size, align, indent, line), paragraph)
    if text:
        add_run(paragraph, text, font, size, bold)
    return paragraph


@cache
def _paragraph_model(size: float, align: WD_ALIGN_PARAGRAPH | None, indent: bool,
                     line: float | None) -> Paragraph:
    """Return a detached paragraph formatted as :func:`add_text` formats its paragraphs."""
    paragraph = _oxml.detached_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(2 * size) if indent else Pt(0)
    if line is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line)
    if align is not None:
        paragraph.alignment = align
    return paragraph


@cache
def _run_model(east_asia: str, size_pt: float, bold: bool) -> Run:
    """Return a detached run with :func:`set_run_font`'s properties, for :func:`add_run`."""
    run = _oxml.detached_paragraph().add_run()
    set_run_font(run, east_asia, size_pt, bold)
    return run


def add_title(doc: Any, *lines: str) -> Paragraph:
    """Add the centred 二号 title and the blank line below it.

    ``lines`` are the title's natural pieces: they run together when the title fits on one
    line of the type area, else each starts a line, so the title breaks where its meaning
    does instead of wherever the line is full.
    """
    section = doc.sections[-1]
    room = (section.page_width - section.left_margin - section.right_margin) / Pt(SIZE_2)
    # One em to spare: digits are wider than half an em in many faces.
    text = "".join(lines) if text_width("".join(lines)) <= room - 1 else "\n".join(lines)
    paragraph = add_text(doc, text, font=TITLE_FONT, size=SIZE_2,
                         align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, line=TITLE_PITCH)
    add_text(doc, "")  # 标题下空一行
    return paragraph


def add_heading(doc: Any, text: str, *, font: str = HEADING_FONT) -> Paragraph:
    """Add a 一、 (黑体) or （一） (楷体) heading, kept on the page of what follows."""
    paragraph = add_text(doc, text, font=font)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def add_rich(container: Any, pieces: Sequence[tuple[str, bool]], *, font: str = BODY_FONT,
             size: float = SIZE_3) -> Paragraph:
    """Add a body paragraph made of ``(text, bold)`` pieces."""
    paragraph = add_text(container, "", font=font, size=size)
    for text, bold in pieces:
        add_run(paragraph, text, font, size, bold)
    return paragraph


def add_signature(doc: Any, signer: str, day: date) -> None:
    """Add the 落款: the signer centred above the date, the date 右空四字 (GB/T 9704 7.3.5).

    The blank lines and the last paragraph before them are kept with the 落款, so it never
    stands alone on a page.
    """
    when = cn_date(day)
    offset = max(0.0, (text_width(when) - text_width(signer)) / 2)
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    for _ in range(2):
        add_text(doc, "").paragraph_format.keep_with_next = True
    for text, chars in ((signer, 4 + offset), (when, 4)):
        paragraph = add_text(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        paragraph.paragraph_format.right_indent = Pt(chars * SIZE_3)
        paragraph.paragraph_format.keep_with_next = text == signer


def cn_date(day: date | None) -> str:
    """Return ``day`` as an official document writes it: 2024年1月5日 (``—`` for none)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else "—"


def text_width(text: str) -> float:
    """Return ``text``'s width in em (full-width characters); ASCII counts half."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def add_page_number_footer(section: Section) -> None:
    """Put "— PAGE —" in 宋体 四号 into ``section``'s footers: right on odd, left on even."""
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        for run in list(paragraph.runs):
            _oxml.remove_run(run)
        paragraph.alignment = align
        fmt = paragraph.paragraph_format
        # 空一字 from the outer edge.
        fmt.left_indent = Pt(SIZE_4) if align == WD_ALIGN_PARAGRAPH.LEFT else Pt(0)
        fmt.right_indent = Pt(SIZE_4) if align == WD_ALIGN_PARAGRAPH.RIGHT else Pt(0)
        set_run_font(paragraph.add_run("— "), PAGE_NUMBER_FONT, SIZE_4)
        for run in _oxml.add_field(paragraph, "PAGE", "1"):
            set_run_font(run, PAGE_NUMBER_FONT, SIZE_4)
        set_run_font(paragraph.add_run(" —"), PAGE_NUMBER_FONT, SIZE_4)


def repeat_header_row(table: Table, rows: int = 1) -> None:
    """Mark the first ``rows`` rows of ``table`` to repeat at the top of every page."""
    for row in table.rows[:rows]:
        _oxml.repeat_as_header(row)


def keep_rows_whole(table: Table) -> None:
    """Keep each row on one page, so an organization's line is never cut in two."""
    for row in table.rows:
        _oxml.keep_row_together(row)


def grid_table(container: Any, rows: int, widths_mm: tuple[float, ...]) -> Table:
    """Add a centred table with single borders and the given column widths."""
    table: Table = container.add_table(rows=rows, cols=len(widths_mm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:  # row by row: a column's cells are found by walking every row
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)  # Word reads the cell widths, LibreOffice the grid
    return table


def narrow_cell_margins(table: Table, mm: float) -> None:
    """Set the left and right padding of every cell of ``table`` to ``mm``, for many columns."""
    _oxml.set_side_cell_margins(table, round(mm * 1440 / 25.4))


def cell_text(
    cell: _Cell, text: str, *, size: float = SIZE_4, bold: bool = False,
    font: str = BODY_FONT, align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
) -> None:
    """Write ``text`` into an empty table cell, one paragraph per line."""
    _oxml.remove_paragraph(cell.paragraphs[0])  # a new cell has one empty paragraph
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for line in text.split("\n"):
        add_text(cell, line, font=font, size=size, bold=bold, align=align, indent=False,
                 line=None)


def fit_on_one_line(paragraph: Paragraph, room_mm: float, size_pt: float) -> int:
    """Narrow ``paragraph``'s characters so that its text fits ``room_mm``; return the scale.

    For a name in a narrow cell (阿依古丽·买买提): 汉字 may break anywhere, so a name wider
    than its cell would be split over two lines. The characters are scaled horizontally
    (Word's 字符缩放, ``w:w``), which Word, WPS and LibreOffice all honour, down to 50 %;
    the height and the line stay as they are. 100 means the text fits unchanged.
    """
    needed = text_width(paragraph.text) * size_pt * 25.4 / 72
    if needed <= room_mm:
        return 100
    # 5 % to spare: faces differ a little in their widths, and the scale is a whole number.
    scale = max(50, int(100 * room_mm / needed * 0.95))
    for run in paragraph.runs:
        _oxml.set_character_scale(run, scale)
    return scale


def declare_font_fallbacks(doc: Document) -> None:
    """Declare each preferred face in the font table with its fallback as ``w:altName``."""
    _oxml.declare_fonts(doc, FONT_FALLBACKS)


def _style_normal(doc: Document) -> None:
    normal = doc.styles["Normal"]
    normal.font.size = Pt(SIZE_3)
    _oxml.set_faces(normal, BODY_FONT)
    # Chinese text: Word and LibreOffice then apply Chinese line breaking and punctuation.
    _oxml.set_language(normal, "en-US", "zh-CN")
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY  # 两端对齐
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH)
    fmt.space_before = fmt.space_after = Pt(0)
