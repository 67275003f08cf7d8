"""Year rollover: open items go into next year's ledger as 上年度, finished ones stay behind."""

from __future__ import annotations

from datetime import date

import pytest

from tongjia_xls.rectification.ledger import Item
from tongjia_xls.rectification.rollover import carry_over


def _item(problem: str, status: str | None, source: str | None = "会议点评") -> Item:
    return Item(
        "青杠湾村", problem, source=source, measure="专人管理", owner="李四",
        deadline=date(2023, 12, 31), status=status, done_on=date(2024, 1, 5),
        verification="已抽查",
    )


@pytest.mark.parametrize(
    ("status", "carried_status"),
    [
        ("未开始", "未开始"),
        ("整改中", "整改中"),
        (" 整改中 ", "整改中"),
        (None, "未开始"),
        ("", "未开始"),
        ("已完成", None),
        ("已核验", None),
    ],
)
def test_status_decides_what_is_carried(status: str | None, carried_status: str | None) -> None:
    carried = carry_over([_item("台账不规范", status)], 2024)
    assert [i.status for i in carried] == ([carried_status] if carried_status else [])


@pytest.mark.parametrize("source", ["会议点评", "自身查摆", "上年度", "巡视巡察", "主题教育", None])
def test_carried_items_become_prior_year_and_keep_their_plan(source: str | None) -> None:
    old = _item("台账不规范", "整改中", source)
    (new,) = carry_over([old], 2024)
    assert new == Item(
        "青杠湾村", "台账不规范", source="上年度", measure="专人管理", owner="李四",
        deadline=date(2023, 12, 31), status="整改中", done_on=None, verification=None,
    )
    assert old.source == source and old.done_on == date(2024, 1, 5)  # last year's untouched


def test_rollover_keeps_open_items_in_order_and_drops_done_ones() -> None:
    ledger = [
        _item("阵地建设滞后", "整改中"),
        _item("台账不规范", "已完成"),
        _item("理论学习不够深入", None, "自身查摆"),
        _item("集体经济薄弱", "已核验"),
        _item("党员队伍老化", "未开始", "上年度"),
    ]
    carried = carry_over(ledger, 2024)
    assert [(i.problem, i.source, i.status) for i in carried] == [
        ("阵地建设滞后", "上年度", "整改中"),
        ("理论学习不够深入", "上年度", "未开始"),
        ("党员队伍老化", "上年度", "未开始"),
    ]
    assert carry_over([], 2024) == []


@pytest.mark.parametrize("year", [24, 1999, 2101, "2024", True, 2024.0])
def test_a_wrong_year_fails_loudly(year: object) -> None:
    with pytest.raises(ValueError, match="new_year"):
        carry_over([], year)  # type: ignore[arg-type]
