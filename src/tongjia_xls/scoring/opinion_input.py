"""The evidence a 评价意见 draft is built from, and what it can tell.

Plain data: the scores, the report checker's figures (述职报告 sheet) and the 整改台账 in
figures; :func:`missing_data` says when there is too little to write any draft, and
:func:`tier` where a 现场述职 score stands in its town.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["ONSITE_GOOD", "ONSITE_HIGH", "PROBLEMS_MIN", "TOWN_MIN", "Draft", "Ledger",
           "OpinionInput", "count", "has_report_facts", "ledgers", "missing_data", "number",
           "tier", "topic_levels"]

#: 现场述职 at or above this is mostly 好 votes (好 100, 较好 90): never "较好评价".
ONSITE_HIGH = 95.0
#: 现场述职 at or above this is mostly 较好 and better.
ONSITE_GOOD = 88.0
#: A town needs this many 现场述职 scores before a draft places one among them.
TOWN_MIN = 4
#: Fewer 存在问题 items than this is a finding (the checker's rule 条数).
PROBLEMS_MIN = 3


@dataclass(frozen=True)
class Ledger:
    """One organization's 整改台账 in figures.

    ``own_problems`` are the problems of items whose 问题来源 is 自身查摆 (what the report
    itself named); ``open`` counts items not 已完成/已核验, ``overdue`` the open ones marked
    逾期, ``prior_open`` the open ones carried over from last year (上年度).
    """

    total: int = 0
    open: int = 0
    overdue: int = 0
    prior_open: int = 0
    own_problems: tuple[str, ...] = ()


_NO_LEDGER = Ledger()


@dataclass(frozen=True)
class OpinionInput:
    """What the draft is built from; ``None`` and empty values are simply left out.

    ``rank_label`` is as :func:`tongjia_xls.scoring.composite.rank` gives it ("3",
    "并列2"); ``grade`` is the 确定等次 when ``final``, else the 建议等次; ``report_issues``
    are the report checker's rule names (必答题, 字数, 问题占三分之一 …) or ids;
    ``strengths`` are short phrases such as "产业发展"; ``topics`` are 述职报告's marks for
    the 必答题 ("✓", "✓（实质）", "✗").
    """

    org: str
    secretary: str | None = None
    grade: str | None = None
    score: float | None = None
    rank_label: str = ""
    n: int = 0
    routine: float | None = None
    field: float | None = None
    onsite: float | None = None
    report_verdict: str | None = None
    report_issues: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()
    final: bool = False
    words: int | None = None
    data_points: int | None = None
    data_points_min: int = 5
    topics: tuple[str | None, ...] = ()
    problems_listed: int | None = None
    ledger: Ledger = _NO_LEDGER


@dataclass(frozen=True)
class Draft:
    """A draft (``text``), or ``""`` and a ``note`` saying why none was written."""

    text: str
    note: str | None = None


def ledgers(rows: Iterable[Any], key: Callable[[str], str] = str.strip) -> dict[str, Ledger]:
    """Return each organization's :class:`Ledger` from the rows of 整改 (``key(org)``).

    A row is anything with ``get`` for ``org``, ``source``, ``problem``, ``status`` and
    ``overdue`` (as the 整改 sheet has them).
    """
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        org = row.get("org")
        if not org or not str(row.get("problem") or "").strip():
            continue
        tally = found.setdefault(key(str(org)), {"total": 0, "open": 0, "overdue": 0,
                                                 "prior_open": 0, "own": []})
        tally["total"] += 1
        open_ = str(row.get("status") or "").strip() not in ("已完成", "已核验")
        if open_:
            tally["open"] += 1
            tally["overdue"] += str(row.get("overdue") or "").strip() == "是"
            tally["prior_open"] += str(row.get("source") or "").strip() == "上年度"
        if str(row.get("source") or "").strip() == "自身查摆":
            tally["own"].append(str(row.get("problem")).strip())
    return {org: Ledger(t["total"], t["open"], t["overdue"], t["prior_open"], tuple(t["own"]))
            for org, t in found.items()}


def number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return None if math.isnan(value) else float(value)


def count(value: Any) -> int | None:
    found = number(value)
    return int(found) if found is not None and found >= 0 else None


def topic_levels(data: OpinionInput) -> list[str]:
    """Return "explicit", "substance" or "none" for each 必答题 the checker marked."""
    levels = []
    for mark in data.topics:
        text = str(mark or "").strip()
        if text.startswith("✓"):
            levels.append("substance" if "实质" in text else "explicit")
        elif text.startswith("✗"):
            levels.append("none")
    return levels


def has_report_facts(data: OpinionInput) -> bool:
    figures = (data.words, data.data_points, data.problems_listed)
    return any(count(v) is not None for v in figures) or bool(topic_levels(data))


def missing_data(data: OpinionInput) -> str | None:
    """Return why no draft can be written for ``data`` ("未生成：缺少…"), or ``None``."""
    if number(data.score) is not None or has_report_facts(data):
        return None
    verdict = (data.report_verdict or "").strip()
    report = {"未收到": "述职报告（尚未收到）", "无法读取": "述职报告的检查结果（报告未能读取）"}
    what = report.get(verdict, "述职报告的检查结果")
    return f"评价意见未生成：缺少综合得分和{what}，补齐后重新计算即可生成"


def tier(value: float, town: tuple[float, ...]) -> str:
    """Return where ``value`` stands in the town: top, upper, lower, bottom ("" unknown)."""
    if len(town) < TOWN_MIN or len(set(town)) == 1:
        return ""
    quarter, half = math.ceil(len(town) / 4), math.ceil(len(town) / 2)
    from_top = 1 + sum(v > value for v in town)
    from_bottom = 1 + sum(v < value for v in town)
    if from_top <= quarter:
        return "top"
    if from_bottom <= quarter:
        return "bottom"
    return "upper" if from_top <= half else "lower"
