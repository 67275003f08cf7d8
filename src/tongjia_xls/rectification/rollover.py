"""Carrying last year's open items into next year's ledger (三、6 and 四、2).

Next year's report must answer for last year's problems, so every item not yet 已完成 or
已核验 starts the new ledger as 上年度, with its measure, owner and deadline as they stood.
Its completion fields are cleared: they belong to last year's ledger, which is kept as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from tongjia_xls.rectification.ledger import NOT_STARTED, Item

__all__ = ["PRIOR_YEAR", "carry_over"]

#: The 问题来源 of an item carried over from last year's ledger.
PRIOR_YEAR = "上年度"
# Years the workbook can mean; anything else is an argument passed in the wrong place.
_YEARS = range(2000, 2101)


def carry_over(items: Sequence[Item], new_year: int) -> list[Item]:
    """Return the items of last year's ledger that go into the ledger of ``new_year``.

    Only open items go: each becomes 上年度, keeps its problem, measure, owner, deadline
    and status (a blank status becomes 未开始), and loses 完成日期 and 核验情况. Order is
    kept. ``new_year`` is checked so that a year passed where another number belongs fails
    loudly instead of giving a wrong workbook.
    """
    if isinstance(new_year, bool) or not isinstance(new_year, int) or new_year not in _YEARS:
        raise ValueError(f"new_year must be a year such as 2024, got {new_year!r}")
    return [
        replace(
            item,
            source=PRIOR_YEAR,
            status=(item.status or "").strip() or NOT_STARTED,
            done_on=None,
            verification=None,
        )
        for item in items
        if not item.is_done
    ]
