"""Roster changes as staff make them: an organization renamed in every sheet at once."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

from tongjia_xls.actions.workbook import Outcome, holds_workbook, open_book, validate_workbook
from tongjia_xls.book.gateway import Workbook
from tongjia_xls.errors import UserError
from tongjia_xls.sheets.schema import (
    BALLOT_DETAILS,
    BALLOTS,
    ORGS,
    RECTIFICATION,
    REPORTS,
    SCORES,
)
from tongjia_xls.sheets.table import key_text

#: Every sheet naming an organization in its 党组织名称 column.
_NAMED_IN = (ORGS, REPORTS, BALLOTS, SCORES, RECTIFICATION)


@dataclass
class RenameOutcome(Outcome):
    """What a rename did; ``summary`` says where the name was changed."""

    summary: str = ""


@holds_workbook
def rename_org(book: Workbook | Path | str, old: str, new: str) -> RenameOutcome:
    """Rename organization ``old`` to ``new`` in every sheet, the ledger and 测评票明细's header.

    The rows keep everything typed in them; only the name cells change. Raise
    :class:`UserError` when ``old`` is not in the roster or ``new`` already is.
    """
    book = open_book(book)
    old, new = old.strip(), new.strip()
    _check_names(book, old, new)
    renamed = [*_rename_in_rows(book, old, new), *_rename_in_header(book, old, new)]
    validated = validate_workbook(book)
    return RenameOutcome(
        **{f.name: getattr(validated, f.name) for f in fields(Outcome)},
        summary=f"已把“{old}”改为“{new}”：{'、'.join(renamed)}。"
                "请重新计算得分（点“计算得分与等次”）",
    )


def _check_names(book: Workbook, old: str, new: str) -> None:
    """Refuse a blank or unchanged name, an ``old`` not in the roster, a ``new`` in it."""
    if not old or not new or key_text(old) == key_text(new):
        raise UserError("请写出原名称和新名称，两者要不同。"
                        "例：tongjia-xls rename-org 总表.xlsx 东风村 东丰村")
    roster = {key_text(r["org"]) for r in book.read(ORGS) if r.get("org")}
    if key_text(old) not in roster:
        raise UserError(f"“{ORGS.title}”表中没有“{old}”。"
                        f"请核对原名称（须与“{ORGS.title}”表一字不差）。")
    if key_text(new) in roster:
        raise UserError(f"“{ORGS.title}”表中已经有“{new}”，不能再把“{old}”改成这个名称。")


def _rename_in_rows(book: Workbook, old: str, new: str) -> list[str]:
    """Rename ``old`` in the 党组织名称 column of every sheet; return where, as text."""
    renamed: list[str] = []
    for sheet in _NAMED_IN:
        table = book.read(sheet)
        if not table.usable:
            continue
        rows = {r.row: {"org": new} for r in table if key_text(r.raw.get("org")) == key_text(old)}
        if rows:
            book.update_rows(sheet, rows, include_staff=True)
            renamed.append(f"“{table.title}”{len(rows)} 行")
    return renamed


def _rename_in_header(book: Workbook, old: str, new: str) -> list[str]:
    """Rename ``old``'s column header in 测评票明细; return where, as text."""
    renamed: list[str] = []
    details = book.read(BALLOT_DETAILS)
    if details.layout is not None:
        for header in details.layout.extra_headers.values():
            if key_text(header) == key_text(old):
                book.update_rows(BALLOT_DETAILS, {details.layout.header_row: {header: new}},
                                 include_staff=True)
                renamed.append(f"“{details.title}”的表头")
    return renamed
