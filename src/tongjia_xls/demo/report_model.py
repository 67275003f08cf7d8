"""The block model of a demo 述职报告, between composing its text and rendering it.

``tongjia_xls.demo.compose`` builds a :class:`Report` of paragraphs and tables, each
tagged with the part it belongs to; ``tongjia_xls.demo.docx_writer`` turns it into Word.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Block", "Para", "Report", "Style", "Table"]


@dataclass
class Para:
    """One paragraph: ``lead`` is a leading part of ``text`` shown in bold, if any."""

    text: str
    role: str  # title, byline, date, intro, part, aspect, body
    lead: str = ""


@dataclass
class Table:
    """A small table of figures; the first row is the header."""

    rows: list[tuple[str, ...]]


Block = Para | Table


@dataclass
class Style:
    """How one secretary lays the report out."""

    title: str
    byline: str
    date_line: str
    salutation: str
    part_titles: tuple[str, str, str]
    aspect_layout: str  # separate, inline, unnumbered
    heading_styles: bool  # Word heading styles, or bold runs only
    aspect_suffix: str  # "方面" or ""
    table_aspect: int  # index of the aspect followed by a table, -1 for none
    bold_leads: bool  # 一是… leads in bold
    plans_one_paragraph: bool


@dataclass
class Report:
    """A whole report: its layout and its blocks in order, each with its part (0-3)."""

    style: Style
    blocks: list[tuple[int, Block]] = field(default_factory=list)  # (part, block)

    def add(self, part: int, block: Block) -> None:
        self.blocks.append((part, block))
