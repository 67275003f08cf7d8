"""The 整改台账: one item per problem, and what the tool works out for each (四、6).

Staff keep the ledger by hand (问题, 措施, 责任人, 完成时限, 状态, 完成日期, 核验情况); the tool
only adds 剩余天数, 是否逾期 and a reminder, computed here from a fixed ``today`` so that the
same ledger on the same day always gives the same marks. Nothing here touches a workbook.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from tongjia_xls.sheets.schema import STATUSES, YES_NO

__all__ = [
    "DONE",
    "DUE_SOON",
    "NO",
    "NOT_STARTED",
    "OVERDUE",
    "SOON_DAYS",
    "YES",
    "Item",
    "LedgerSummary",
    "Tracking",
    "group_by_org",
    "summary",
    "track",
]

NOT_STARTED = STATUSES[0]
# STATUSES are in the order work goes through them: 未开始, 整改中, 已完成, 已核验.
#: Statuses of an item whose work is finished; such an item is no longer tracked.
DONE = ("已完成", "已核验")
YES, NO = YES_NO
#: The reminders shown in the ``提醒`` column.
OVERDUE, DUE_SOON = "已逾期", "即将到期"
#: How many days before its 完成时限 an open item is flagged as due soon.
SOON_DAYS = 7


@dataclass(frozen=True)
class Item:
    """One row of the ledger, as staff filled it; ``None`` for a blank cell."""

    org: str
    problem: str
    source: str | None = None
    measure: str | None = None
    owner: str | None = None
    deadline: date | None = None
    status: str | None = None
    done_on: date | None = None
    verification: str | None = None

    @property
    def is_done(self) -> bool:
        """Return True when the item's status says its work is finished."""
        return _status(self.status) in DONE


@dataclass(frozen=True)
class Tracking:
    """What the tool fills in for one item on a given day.

    ``days_left`` is negative once the deadline has passed; ``overdue`` is ``"是"``/``"否"``
    (``None`` when it cannot be told); ``alert`` is ``"已逾期"``, ``"即将到期"`` or ``None``;
    ``note`` says in Chinese what staff should do next, or is ``None`` when nothing is due.
    """

    days_left: int | None
    overdue: str | None
    alert: str | None
    note: str | None


def track(item: Item, today: date, *, soon_days: int = SOON_DAYS) -> Tracking:
    """Return the 剩余天数, 是否逾期, reminder and note of ``item`` as of ``today``.

    An open item counts down to its deadline and is overdue once it has passed; the deadline
    day itself is still in time (0 days left, due soon). A finished item no longer counts
    down: it is overdue only if it was finished after its deadline.
    """
    if soon_days < 0:
        raise ValueError(f"soon_days must not be negative, got {soon_days}")
    today = _day(today) or today
    deadline = _day(item.deadline)
    done_on = _day(item.done_on)
    if item.is_done:
        return _track_done(deadline, done_on)
    if deadline is None:
        return Tracking(None, None, None, "未填写完成时限，请补填")
    days_left = (deadline - today).days
    if days_left < 0:
        overdue, alert = YES, OVERDUE
        note = (f"已超过完成时限{-days_left}天，请督促责任人尽快完成，"
                "完成后填写完成日期并改状态为已完成")
    elif days_left <= soon_days:
        overdue, alert = NO, DUE_SOON
        when = "今天到期" if days_left == 0 else f"还有{days_left}天到期"
        note = f"{when}，请提醒责任人按时完成"
    else:
        overdue, alert, note = NO, None, None
    if done_on is not None:
        # A 完成日期 on an open item means staff forgot to change its status.
        note = "已填写完成日期，请把状态改为已完成（核验后改为已核验）"
    return Tracking(days_left, overdue, alert, note)


def _track_done(deadline: date | None, done_on: date | None) -> Tracking:
    if done_on is None:
        return Tracking(None, NO, None, "状态为已完成，但未填写完成日期，请补填完成日期")
    if deadline is not None and done_on > deadline:
        late = (done_on - deadline).days
        return Tracking(None, YES, None, f"逾期完成：比完成时限晚{late}天，请在核验情况中说明原因")
    return Tracking(None, NO, None, None)


@dataclass(frozen=True)
class LedgerSummary:
    """The ledger in figures, for the ``控制台`` line.

    ``overdue`` and ``soon`` count open items only: a finished item needs no more chasing.
    """

    total: int
    done: int
    open: int
    overdue: int
    soon: int

    def line(self) -> str:
        """Return the ledger in one Chinese sentence, as the ``控制台`` shows it."""
        if not self.total:
            return "整改台账还没有问题，请先从述职报告起草或导入整改方案"
        text = f"整改问题{self.total}个：已完成{self.done}个，未完成{self.open}个"
        if self.overdue or self.soon:
            text += f"，其中已逾期{self.overdue}个、即将到期{self.soon}个，请督促落实"
        return text


def summary(items: Sequence[Item], trackings: Sequence[Tracking]) -> LedgerSummary:
    """Return the figures of a ledger from its items and their trackings (same order)."""
    if len(items) != len(trackings):
        raise ValueError(f"{len(items)} items but {len(trackings)} trackings")
    done = sum(item.is_done for item in items)
    open_pairs = [(i, t) for i, t in zip(items, trackings, strict=True) if not i.is_done]
    return LedgerSummary(
        total=len(items),
        done=done,
        open=len(items) - done,
        overdue=sum(t.alert == OVERDUE for _, t in open_pairs),
        soon=sum(t.alert == DUE_SOON for _, t in open_pairs),
    )


def group_by_org(items: Iterable[Item]) -> dict[str, dict[str, list[Item]]]:
    """Return the items by organization (first-seen order), then by status in work order.

    This is the layout of the exported 整改台账 for the inspection; a blank status counts as
    未开始 and an unknown one is kept under its own text, after the known ones.
    """
    grouped: dict[str, dict[str, list[Item]]] = {}
    for item in items:
        grouped.setdefault(item.org, {}).setdefault(_status(item.status), []).append(item)
    order = {status: n for n, status in enumerate(STATUSES)}
    return {
        org: dict(sorted(by_status.items(), key=lambda kv: order.get(kv[0], len(order))))
        for org, by_status in grouped.items()
    }


def _status(status: str | None) -> str:
    text = (status or "").strip()
    return text or NOT_STARTED


def _day(value: date | None) -> date | None:
    # A workbook hands back datetimes; mixing them with dates would raise in subtraction.
    return value.date() if isinstance(value, datetime) else value
