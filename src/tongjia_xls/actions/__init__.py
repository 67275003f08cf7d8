"""The use cases: what a command or a button does, from start to saved workbook.

Each action takes a workbook gateway (or a path, opened with the file backend) and options,
reads tables, calls the domain, writes the tool's columns, refreshes ``控制台``, saves, and
returns an :class:`Outcome`. The command line and the Excel buttons call these same
functions; nothing here prints.
"""

from __future__ import annotations

from tongjia_xls.actions.check import CheckOutcome, analyze_files, check_reports
from tongjia_xls.actions.roster import rename_org
from tongjia_xls.actions.score import ScoreOutcome, score_workbook
from tongjia_xls.actions.workbook import (
    Outcome,
    Progress,
    init_workbook,
    refresh_dashboard,
    validate_workbook,
)

__all__ = [
    "CheckOutcome",
    "Outcome",
    "Progress",
    "ScoreOutcome",
    "analyze_files",
    "check_reports",
    "init_workbook",
    "refresh_dashboard",
    "rename_org",
    "score_workbook",
    "validate_workbook",
]
