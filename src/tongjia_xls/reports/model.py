"""The plain data of a report as read from its file: paragraphs with a few layout facts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Para:
    """One paragraph of a report as Word shows it (automatic numbering not included)."""

    text: str
    bold: bool = False  # every run carrying text is bold
    style: str | None = None  # the paragraph style's name; None for Normal
    outline_level: int | None = None  # 0-8 when the paragraph is a heading level
    in_table: bool = False
    story: str = "body"  # "body", "textbox", "footnote" or "endnote"


@dataclass(frozen=True)
class ReportText:
    """A report's paragraphs in reading order, and where they came from."""

    source: Path
    paragraphs: tuple[Para, ...]
    converted_from: str | None = None  # the original suffix when LibreOffice converted it

    @property
    def text(self) -> str:
        """Return the paragraphs' texts joined by line breaks."""
        return "\n".join(p.text for p in self.paragraphs)
