"""整改台账 (四、6): ledger items, tracking, drafts from reports, returned plans, rollover.

The pure domain of issue 6: plain data in, plain data out. Nothing here reads or writes a
file or a workbook; the workbook side maps the ``整改`` sheet to :class:`Item` and back.
"""

from __future__ import annotations

from tongjia_xls.rectification.drafts import (
    Draft,
    draft_items,
    draft_key,
    new_drafts,
    with_keys,
)
from tongjia_xls.rectification.ledger import (
    DONE,
    DUE_SOON,
    OVERDUE,
    SOON_DAYS,
    Item,
    LedgerSummary,
    Tracking,
    group_by_org,
    summary,
    track,
)
from tongjia_xls.rectification.pairing import pair_plans
from tongjia_xls.rectification.returned import (
    items_from_paragraphs,
    items_from_plan,
    items_from_rows,
    items_from_tables,
    parse_deadline,
    parse_source,
)
from tongjia_xls.rectification.rollover import PRIOR_YEAR, carry_over

__all__ = [
    "DONE",
    "DUE_SOON",
    "OVERDUE",
    "PRIOR_YEAR",
    "SOON_DAYS",
    "Draft",
    "Item",
    "LedgerSummary",
    "Tracking",
    "carry_over",
    "draft_items",
    "draft_key",
    "group_by_org",
    "items_from_paragraphs",
    "items_from_plan",
    "items_from_rows",
    "items_from_tables",
    "new_drafts",
    "pair_plans",
    "parse_deadline",
    "parse_source",
    "summary",
    "track",
    "with_keys",
]
