"""The limits of 设置 where they are judged outside the report rules, at their edges.

``check_settings`` (a pair of limits may be equal; weights sum to 1 within a millionth),
the 报送截止日期 of the checker (a report on the deadline day is in time) and the score
action's list of broken rules (字数, 问题占三分之一, 数据举例, 条数). The two action helpers are
private: they are where those limits are applied to the 述职报告 sheet's figures, and no
public entry reaches them without building a workbook.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from tongjia_xls.actions.check import _workbook_notes
from tongjia_xls.actions.score import _report_issues
from tongjia_xls.reports.matching import Matching
from tongjia_xls.settings import Settings
from tongjia_xls.validation import check_settings

SETTINGS = Settings()


def _said(settings: Settings) -> list[str]:
    return [d.message for d in check_settings(settings)]


def test_the_defaults_contradict_nothing() -> None:
    assert _said(SETTINGS) == []


@pytest.mark.parametrize(("low", "high", "field_low", "field_high", "refused"), [
    (1500, 2000, "words_min", "words_max", False), (2000, 2000, "words_min", "words_max", False),
    (2001, 2000, "words_min", "words_max", True),
    (0.7, 0.7, "practices_share_min", "practices_share_max", False),
    (0.71, 0.7, "practices_share_min", "practices_share_max", True),
    (0.35, 0.35, "problems_plans_share_min", "problems_plans_share_max", False),
    (0.351, 0.35, "problems_plans_share_min", "problems_plans_share_max", True),
])
def test_a_pair_of_limits_may_be_equal(
    low: Any, high: Any, field_low: str, field_high: str, refused: bool
) -> None:
    said = _said(replace(SETTINGS, **{field_low: low, field_high: high}))
    assert any("大于" in message for message in said) is refused


@pytest.mark.parametrize(("onsite", "refused"), [
    (0.4, False), (0.4000005, False), (0.3999995, False), (0.400002, True), (0.399998, True),
    (0.395, True),
])
def test_weights_in_the_settings_sum_to_one(onsite: float, refused: bool) -> None:
    said = _said(replace(SETTINGS, onsite_weight=onsite))
    assert any("三项权重之和" in message for message in said) is refused


@pytest.mark.parametrize(("low_min", "refused"), [(0, False), (-1, True), (1, False)])
def test_the_low_minimum_may_be_zero(low_min: int, refused: bool) -> None:
    said = _said(replace(SETTINGS, quota_low_min=low_min))
    assert any("不能为负数" in message for message in said) is refused


@pytest.mark.parametrize(("submitted", "late"), [
    (date(2024, 1, 4), False), (date(2024, 1, 5), False), (date(2024, 1, 6), True),
])
def test_a_report_on_the_deadline_day_is_in_time(submitted: date, late: bool) -> None:
    record = {"submitted": submitted, "area_review": "已审核"}
    notes = _workbook_notes(record, Matching(), "青杠湾村", SETTINGS)
    assert any(note.rule == "deadline" for note in notes) is late


_GOOD = {"topic_economy": "✓", "topic_safety": "✓", "words": 1800, "problems_share": 0.25,
         "plans_share": 0.1, "data_points": 7, "problems_listed": 3}


@pytest.mark.parametrize(("changed", "issues"), [
    ({}, ()),
    ({"words": 1500}, ()), ({"words": 1499}, ("字数",)),
    ({"words": 2000}, ()), ({"words": 2001}, ("字数",)),
    ({"problems_share": 0.2, "plans_share": 0.4 / 3}, ()),  # one third, as floats add up
    # A float a step short of one third is float noise, not a share short of it.
    ({"problems_share": 0.2, "plans_share": math.nextafter(1 / 3 - 0.2, 0)}, ()),
    ({"problems_share": 0.2, "plans_share": 0.133}, ("问题占三分之一",)),
    ({"data_points": 5}, ()), ({"data_points": 4}, ("数据举例",)),
    ({"problems_listed": 3}, ()), ({"problems_listed": 2}, ("条数",)),
])
def test_the_score_sheet_reads_broken_rules_at_their_limits(
    changed: dict[str, Any], issues: tuple[str, ...]
) -> None:
    assert _report_issues({**_GOOD, **changed}, SETTINGS) == issues  # type: ignore[arg-type]
