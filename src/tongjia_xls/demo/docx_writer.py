"""Render a composed demo 述职报告 as a python-docx document.

Formatting lives in paragraph styles rather than on every run, as in a tidy official
document. The styles are set up once per layout in a prototype document whose 160 unused
built-in styles (438 KB of styles.xml, twice over with stylesWithEffects.xml) are dropped;
each report then opens the small prototype, which keeps 21 reports well under a second.
Each report looks its styles up once and gives the paragraphs the style objects: a style
named instead would be looked up again for every paragraph.
"""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from io import BytesIO
from typing import TYPE_CHECKING, Any

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from tongjia_xls.demo.report_model import Report, Table
from tongjia_xls.demo.roster import DemoOrg
from tongjia_xls.forms.docx_style import trim_template

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.styles.style import ParagraphStyle

__all__ = ["render"]


_BODY_FONT = "仿宋_GB2312"
_HEADING_FONTS = {"part": "黑体", "aspect": "楷体_GB2312"}
# Paragraph role -> (style name, font, size in points).
_CUSTOM_STYLES = {
    "title": ("述职标题", "方正小标宋简体", 22),
    "byline": ("述职署名", "楷体_GB2312", 16),
    "table": ("述职表格", _BODY_FONT, 14),
}
# Built-in styles the reports use; trim_template keeps what these and numbering.xml refer to.
_KEPT_STYLE_IDS = frozenset(
    {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid", "Heading1", "Heading2"}
)


def _set_font(target: Any, name: str, size: float | None = None) -> None:
    """Set a run's or style's font, East Asian slot included (the one Word uses for 汉字)."""
    font = target.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    r_fonts = target.element.get_or_add_rPr().get_or_add_rFonts()
    # Theme fonts of the built-in heading styles would override the named font in Word.
    for attribute in [a for a in r_fonts.attrib if a.endswith("Theme")]:
        del r_fonts.attrib[attribute]
    r_fonts.set(qn("w:eastAsia"), name)


@lru_cache(maxsize=2)
def _prototype(heading_styles: bool) -> tuple[bytes, dict[str, str | None]]:
    """Return an empty, styled document and the style id of each paragraph role.

    ``heading_styles`` puts part and aspect headings in Word's 标题 1 / 标题 2; without it
    they are bold Normal paragraphs, as many secretaries type them.
    """
    doc = Document()
    styles = doc.styles
    normal = styles["Normal"]
    _set_font(normal, _BODY_FONT, 16)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(32)  # 首行缩进2字符 at 三号

    ids: dict[str, str | None] = {"body": None, "intro": None}  # None: Normal
    for role, (name, font, size) in _CUSTOM_STYLES.items():
        custom = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        custom.base_style = normal
        _set_font(custom, font, size)
        custom.paragraph_format.first_line_indent = Pt(0)
        custom.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        ids[role] = custom.style_id
    styles["述职标题"].paragraph_format.space_after = Pt(16)
    ids["date"] = ids["byline"]
    if heading_styles:
        for role, level in (("part", "Heading 1"), ("aspect", "Heading 2")):
            heading = styles[level]
            _set_font(heading, _HEADING_FONTS[role], 16)
            heading.font.bold = role == "aspect"
            heading.font.italic = False
            # The built-in headings are blue; secretaries' files are black.
            heading.font.color.rgb = RGBColor(0, 0, 0)
            heading.paragraph_format.first_line_indent = Pt(32)
            heading.paragraph_format.space_before = Pt(0)
            heading.paragraph_format.space_after = Pt(0)
            ids[role] = heading.style_id
    else:
        ids["part"] = ids["aspect"] = None

    trim_template(doc, _KEPT_STYLE_IDS | {custom_id for custom_id in ids.values() if custom_id})
    buffer = BytesIO()
    doc.save(buffer)
    return buffer.getvalue(), ids


def render(report: Report, org: DemoOrg, year: int) -> WordDocument:
    """Return ``report`` as a Word document by ``org``'s secretary, ready to save."""
    style = report.style
    prototype, style_ids = _prototype(style.heading_styles)
    doc = Document(BytesIO(prototype))

    props = doc.core_properties
    props.author = org.secretary
    props.last_modified_by = org.secretary
    props.title = style.title
    props.comments = ""
    # Fixed stamps keep the documents identical from run to run.
    stamp = datetime(year + 1, 1, 3, 9, 0, tzinfo=timezone.utc)
    props.created = stamp
    props.modified = stamp
    props.revision = 1

    styles: dict[str, ParagraphStyle] = {
        role: doc.styles.get_by_id(style_id, WD_STYLE_TYPE.PARAGRAPH)
        for role, style_id in style_ids.items() if style_id is not None
    }
    for _, block in report.blocks:
        if isinstance(block, Table):
            _render_table(doc, block, styles.get("table"))
            continue
        paragraph = doc.add_paragraph(style=styles.get(block.role))
        text = block.text
        if block.lead:
            lead = paragraph.add_run(block.lead)
            lead.bold = True
            if block.lead.startswith("（"):
                # An aspect heading run into its text keeps the heading font.
                _set_font(lead, _HEADING_FONTS["aspect"])
            text = text[len(block.lead) :]
        if not text:
            continue
        run = paragraph.add_run(text)
        if block.role in _HEADING_FONTS and not style.heading_styles:
            # Bold-only headings: a Normal paragraph that only looks like a heading.
            run.bold = True
            _set_font(run, _HEADING_FONTS[block.role])
    return doc


def _render_table(doc: Any, block: Table, cell_style: ParagraphStyle | None) -> None:
    table = doc.add_table(rows=len(block.rows), cols=len(block.rows[0]))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, (row, values) in enumerate(zip(table.rows, block.rows, strict=True)):
        for cell, value in zip(row.cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            if cell_style is not None:
                paragraph.style = cell_style
            run = paragraph.add_run(value)
            run.bold = index == 0
