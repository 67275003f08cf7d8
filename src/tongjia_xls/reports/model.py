"""The plain data the checker reads: a report's paragraphs as Word shows them.

:mod:`tongjia_xls.word.extract` makes a :class:`ReportText` from a file; everything after
it (counting, structure, rules) reads only these objects, never a file, so tests can build
them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["Para", "ReportText", "new_para"]


@dataclass(frozen=True)
class Para:
    """One paragraph (or one table-cell paragraph) of a report."""

    text: str
    """The text as Word shows it, without automatic numbering. A manual line break
    (Shift+Enter) is ``"\\n"`` and a tab ``"\\t"`` inside the text."""
    bold: bool = False
    """Every run carrying text is bold, by direct formatting or by style (heading styles
    included). A paragraph without text is not bold."""
    style: str | None = None
    """The paragraph style's *name* (``"heading 1"``, ``"Title"``, ``"述职标题"``); ``None``
    for the default paragraph style (Normal)."""
    outline_level: int | None = None
    """0-8 from ``w:outlineLvl`` on the paragraph or its style chain; ``None`` for body text."""
    in_table: bool = False
    story: str = "body"
    """Where the paragraph lives: ``"body"`` (the main text), ``"textbox"``, ``"footnote"``
    or ``"endnote"``."""
    font: str | None = None
    """The font of the paragraph's Chinese text when every run carrying text has the same
    one (``"黑体"``, ``"仿宋_GB2312"``), styles followed; ``None`` when mixed or unknown."""


_make = object.__new__


def new_para(text: str, bold: bool, style: str | None, outline_level: int | None,
             in_table: bool, story: str, font: str | None) -> Para:
    """Return ``Para(text, bold, style, outline_level, in_table, story, font)``, made faster.

    A frozen dataclass sets each field through ``object.__setattr__``; the reader makes one
    :class:`Para` per paragraph and this fills the instance's dictionary at once instead,
    about ten times faster. The result is the same object (``tests/word`` checks it).
    """
    para: Para = _make(Para)
    para.__dict__.update(text=text, bold=bold, style=style, outline_level=outline_level,
                         in_table=in_table, story=story, font=font)
    return para


@dataclass(frozen=True)
class ReportText:
    """The text of one report file, paragraph by paragraph, in reading order."""

    source: Path
    """The file as given (not the temporary copy LibreOffice converted)."""
    paragraphs: tuple[Para, ...]
    converted_from: str | None = None
    """The original format (``".doc"``, ``".wps"`` …) when LibreOffice converted the file."""
    subdocs_in_stats: bool = True
    """False when the file tells Word to leave text boxes, footnotes and endnotes out of
    its 字数 (``w:doNotIncludeSubdocsInStats``)."""
    note_marks: int = 0
    """Footnote and endnote reference marks in the main text: WPS counts each as a word."""

    @property
    def text(self) -> str:
        """Return every paragraph's text joined with ``"\\n"``."""
        return "\n".join(p.text for p in self.paragraphs)
