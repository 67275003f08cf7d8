"""Errors a user can fix, and the diagnostics that point at one cell.

A :class:`UserError` carries a message in plain Chinese that says what is wrong and what to
do next; the command line prints it without a traceback. Anything else that escapes is a
bug in the tool and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class UserError(Exception):
    """A mistake the user can correct; ``str(error)`` is the Chinese message."""


class WorkbookLocked(UserError):
    """The workbook is open in Excel, WPS or LibreOffice, so it must not be written."""


class SaveRefused(UserError):
    """A save was refused because it would have changed something of the staff's."""


class Severity(str, Enum):
    """How serious a diagnostic is."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        """Return the Chinese word shown before a message."""
        return {"error": "错误", "warning": "提醒", "info": "提示"}[self.value]


@dataclass(frozen=True)
class Diagnostic:
    """One message about the user's input, located as precisely as it can be.

    ``row`` is the sheet's 1-based row number and ``column`` the header text; either is
    ``None`` when the message concerns a whole sheet or a whole column.
    """

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    severity: Severity = Severity.ERROR
    file: str | None = None

    @property
    def where(self) -> str:
        """Return the location in the words staff use, e.g. ``工作表“评分”第5行“实地调研”列``."""
        parts = []
        if self.file:
            parts.append(f"文件“{self.file}”")
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"“{self.column}”列")
        return "".join(parts)

    def __str__(self) -> str:
        where = self.where
        return f"【{self.severity.label}】{where}：{self.message}" if where else (
            f"【{self.severity.label}】{self.message}"
        )
