"""综合评价意见: one document per secretary, and the committee's 汇编 of them all.

Each opinion is the title, a short table of the figures (述职人, 单位及职务, 综合得分, 排名,
评价等次; a grade the committee has not yet settled is marked 建议), the opinion's paragraphs
as staff or the tool wrote them in ``评分`` (肯定成绩、指出问题、明确方向, notice 四、4), and
the committee's 落款. The 汇编 puts every opinion after a contents page, each on a new page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.shared import Mm

from tongjia_xls.forms.docx_style import (
    HEADING_FONT,
    SIZE_4,
    SUBHEADING_FONT,
    add_signature,
    add_text,
    add_title,
    cell_text,
    grid_table,
    keep_rows_whole,
)
from tongjia_xls.forms.outline import new_document
from tongjia_xls.outputs import NameBook, atomic_write, ensure_folder, safe_file_name
from tongjia_xls.settings import Settings
from tongjia_xls.sheets.schema import SCORES

__all__ = ["NOT_FINAL", "NO_OPINION", "OpinionDoc", "combined_name", "combined_title",
           "opinion_name", "opinion_paragraphs", "opinion_title", "write_opinion",
           "write_opinions_combined"]

#: After a grade the committee has not settled yet.
NOT_FINAL = "（建议，待党委确定）"
NO_OPINION = "评价意见尚未填写。"
NONE = "—"
#: Label, value, label, value: 156 mm, the portrait type area.
_WIDTHS = (27.0, 35.0, 30.0, 64.0)
_ROW_MM = 10.0
_LINES = re.compile(r"\r\n|[\r\n\u2028\u2029\v]")


@dataclass(frozen=True)
class OpinionDoc:
    """One secretary's figures and opinion, as the ``评分`` sheet holds them.

    ``rank_label`` is "3", "并列2" or "" (not ranked); ``grade`` is the 确定等次 when
    ``final``, else the 建议等次 (``None``: none yet); ``opinion`` is the text with its
    paragraphs on separate lines.
    """

    org: str
    secretary: str | None
    position: str | None
    composite: float | None
    rank_label: str
    grade: str | None
    final: bool
    opinion: str | None


def opinion_title(org: str, settings: Settings) -> str:
    """Return the title of ``org``'s opinion."""
    return f"{org}党组织书记{settings.year}年度抓基层党建工作综合评价意见"


def opinion_name(org: str, settings: Settings, names: NameBook | None = None) -> str:
    """Return the file name of ``org``'s opinion, taken from a batch's ``names`` if given."""
    wanted = f"{org}-{settings.year}年度综合评价意见.docx"
    return names.name(wanted, label=org) if names else safe_file_name(wanted)


def combined_title(settings: Settings) -> str:
    """Return the title of the committee's 汇编."""
    return f"{settings.year}年度村（社区）党组织书记综合评价意见汇编"


def combined_name(settings: Settings) -> str:
    """Return the file name of the committee's 汇编."""
    return safe_file_name(f"{combined_title(settings)}.docx")


def opinion_paragraphs(opinion: str | None) -> list[str]:
    """Return the paragraphs of ``opinion`` (one per line, blank lines dropped)."""
    if opinion is None:
        return []
    return [line.strip() for line in _LINES.split(str(opinion)) if line.strip()]


def write_opinion(doc: OpinionDoc, settings: Settings, folder: Path, *,
                  day: date | None = None, names: NameBook | None = None) -> Path:
    """Write ``doc``'s 综合评价意见 into ``folder`` and return its path.

    ``day`` is the date of the 落款 (today when not given); ``names`` keeps the file names
    of a batch distinct (see :class:`NameBook`).
    """
    document = new_document(opinion_title(doc.org, settings), settings)
    _opinion(document, doc, settings, day or date.today())
    path = ensure_folder(folder) / opinion_name(doc.org, settings, names)
    with atomic_write(path) as temporary:
        document.save(str(temporary))
    return path


def write_opinions_combined(docs: Sequence[OpinionDoc], settings: Settings, folder: Path, *,
                            day: date | None = None) -> Path:
    """Write every opinion of ``docs`` into one document, in order, each on a new page."""
    day = day or date.today()
    document = new_document(settings.town + combined_title(settings), settings)
    add_title(document, f"{settings.town}{settings.year}年度村（社区）党组织书记",
              "综合评价意见汇编")
    add_text(document, _contents(docs))
    if any(d.grade and not d.final for d in docs):
        add_text(document, f"等次后注明“{NOT_FINAL[1:-1]}”的，是按综合得分和比例要求提出的"
                           "建议等次，尚待镇党委研究确定。")
    add_signature(document, settings.committee, day)
    for doc in docs:
        _opinion(document, doc, settings, day, new_page=True)
    path = ensure_folder(folder) / combined_name(settings)
    with atomic_write(path) as temporary:
        document.save(str(temporary))
    return path


# -- the pieces ----------------------------------------------------------------------------

def _opinion(document: Any, doc: OpinionDoc, settings: Settings, day: date, *,
             new_page: bool = False) -> None:
    title = add_title(document, f"{doc.org}党组织书记",
                      f"{settings.year}年度抓基层党建工作综合评价意见")
    title.paragraph_format.page_break_before = new_page
    _figures(document, doc)
    add_text(document, "")
    paragraphs = opinion_paragraphs(doc.opinion)
    if not paragraphs:
        add_text(document, NO_OPINION, font=SUBHEADING_FONT)
    for text in paragraphs:
        add_text(document, text)
    add_signature(document, settings.committee, day)


def _figures(document: Any, doc: OpinionDoc) -> None:
    table = grid_table(document, 3, _WIDTHS)
    rows = (
        ("述职人", _text(doc.secretary), "单位及职务", _position(doc)),
        (SCORES.header("composite"), _score(doc.composite), SCORES.header("rank"),
         _rank(doc.rank_label)),
    )
    for cells, values in zip(table.rows, rows, strict=False):
        for index, (cell, text) in enumerate(zip(cells.cells, values, strict=True)):
            cell_text(cell, text, font=HEADING_FONT if index % 2 == 0 else SUBHEADING_FONT,
                      size=SIZE_4)
    last = table.rows[2].cells
    cell_text(last[0], "评价等次", font=HEADING_FONT, size=SIZE_4)
    merged = last[1].merge(last[3])  # empty cells merge into one with one empty paragraph
    cell_text(merged, _grade(doc), font=SUBHEADING_FONT, size=SIZE_4)
    for row in table.rows:
        row.height, row.height_rule = Mm(_ROW_MM), WD_ROW_HEIGHT_RULE.AT_LEAST
    keep_rows_whole(table)


def _contents(docs: Sequence[OpinionDoc]) -> str:
    items = "；".join(f"{number}．{d.org}（{_text(d.secretary)}）"
                     for number, d in enumerate(docs, start=1))
    return f"本汇编收录{len(docs)}个村（社区）党组织书记的综合评价意见，依次为：{items}。"


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a rank read back from Excel
    text = "" if value is None else str(value).strip()
    return text or NONE


def _position(doc: OpinionDoc) -> str:
    return _text(doc.position) if doc.position else f"{doc.org}党组织书记"


def _score(value: float | None) -> str:
    if value is None or isinstance(value, bool):
        return NONE
    try:
        return f"{float(value):.2f}"
    except (TypeError, ValueError):
        return _text(value)


def _rank(label: Any) -> str:
    text = _text(label)
    if text == NONE:
        return text
    if text.startswith("并列"):
        return f"并列第{text[2:]}名"
    return f"第{text}名" if text.isdigit() else text


def _grade(doc: OpinionDoc) -> str:
    if not doc.grade:
        return "尚未评定"
    return doc.grade if doc.final else f"{doc.grade}{NOT_FINAL}"
