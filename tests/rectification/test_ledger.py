"""Tracking the 整改台账: 剩余天数, 是否逾期 and reminders for a fixed day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from tongjia_xls.rectification.ledger import (
    DONE,
    DUE_SOON,
    OVERDUE,
    Item,
    LedgerSummary,
    Tracking,
    group_by_org,
    summary,
    track,
)

TODAY = date(2024, 3, 15)
YESTERDAY = TODAY - timedelta(days=1)
NEXT_MONTH = date(2024, 4, 15)


def _item(
    status: str | None = "整改中",
    deadline: date | None = TODAY,
    done_on: date | None = None,
    org: str = "青杠湾村",
) -> Item:
    return Item(org, "组织生活质量不够高", source="自身查摆", measure="规范落实三会一课",
                owner="张三", deadline=deadline, status=status, done_on=done_on)


def test_a_ledger_due_yesterday_today_and_next_month_gets_the_right_marks() -> None:
    ledger = [_item(deadline=YESTERDAY), _item(deadline=TODAY), _item(deadline=NEXT_MONTH)]
    marks = [track(item, TODAY) for item in ledger]
    assert [(m.days_left, m.overdue, m.alert) for m in marks] == [
        (-1, "是", "已逾期"),
        (0, "否", "即将到期"),
        (31, "否", None),
    ]
    assert summary(ledger, marks) == LedgerSummary(total=3, done=0, open=3, overdue=1, soon=1)


@pytest.mark.parametrize(
    ("item", "days_left", "overdue", "alert"),
    [
        (_item("未开始", YESTERDAY), -1, "是", OVERDUE),
        (_item(None, TODAY - timedelta(days=30)), -30, "是", OVERDUE),
        (_item("整改中", TODAY), 0, "否", DUE_SOON),
        (_item("整改中", TODAY + timedelta(days=7)), 7, "否", DUE_SOON),
        (_item("整改中", TODAY + timedelta(days=8)), 8, "否", None),
        (_item("未开始", NEXT_MONTH), 31, "否", None),
        (_item("已完成", YESTERDAY, done_on=YESTERDAY), None, "否", None),
        (_item("已完成", YESTERDAY, done_on=TODAY), None, "是", None),
        (_item("已核验", NEXT_MONTH, done_on=TODAY), None, "否", None),
        (_item("已核验", None, done_on=TODAY), None, "否", None),
        (_item("已完成", YESTERDAY, done_on=None), None, "否", None),
        (_item("整改中", None), None, None, None),
    ],
)
def test_track_table(item: Item, days_left: int | None, overdue: str | None,
                     alert: str | None) -> None:
    marks = track(item, TODAY)
    assert (marks.days_left, marks.overdue, marks.alert) == (days_left, overdue, alert)


@pytest.mark.parametrize(
    ("item", "note"),
    [
        (_item("整改中", None), "未填写完成时限，请补填"),
        (_item("已完成", YESTERDAY, done_on=TODAY), "逾期完成"),
        (_item("已完成", YESTERDAY), "请补填完成日期"),
        (_item("整改中", YESTERDAY), "已超过完成时限1天"),
        (_item("整改中", TODAY), "今天到期"),
        (_item("整改中", TODAY + timedelta(days=3)), "还有3天到期"),
        (_item("整改中", NEXT_MONTH, done_on=TODAY), "请把状态改为已完成"),
    ],
)
def test_notes_say_what_to_do(item: Item, note: str) -> None:
    found = track(item, TODAY).note
    assert found is not None
    assert note in found


@pytest.mark.parametrize(
    "item",
    [_item("整改中", NEXT_MONTH), _item("已完成", YESTERDAY, done_on=YESTERDAY)],
)
def test_nothing_to_do_leaves_no_note(item: Item) -> None:
    assert track(item, TODAY).note is None


def test_missing_deadline_on_an_open_item_gives_nothing_but_the_note() -> None:
    expected = Tracking(None, None, None, "未填写完成时限，请补填")
    assert track(_item("未开始", None), TODAY) == expected


def test_soon_days_moves_the_due_soon_window() -> None:
    item = _item("整改中", TODAY + timedelta(days=10))
    assert track(item, TODAY).alert is None
    assert track(item, TODAY, soon_days=10).alert == DUE_SOON
    assert track(_item("整改中", TODAY), TODAY, soon_days=0).alert == DUE_SOON
    with pytest.raises(ValueError, match="soon_days"):
        track(item, TODAY, soon_days=-1)


def test_datetimes_from_a_workbook_count_as_their_day() -> None:
    item = _item("整改中", datetime(2024, 3, 14, 0, 0))
    assert track(item, datetime(2024, 3, 15, 9, 30)).days_left == -1
    done = _item("已完成", datetime(2024, 3, 14), done_on=datetime(2024, 3, 14, 18, 0))
    assert track(done, TODAY).overdue == "否"


def test_done_statuses() -> None:
    assert DONE == ("已完成", "已核验")
    assert _item("已核验").is_done
    assert _item(" 已完成 ").is_done
    assert not _item("整改中").is_done
    assert not _item(None).is_done


def test_summary_counts_only_open_items_as_overdue_or_soon() -> None:
    ledger = [
        _item("整改中", YESTERDAY),
        _item("未开始", TODAY + timedelta(days=2)),
        _item("已完成", YESTERDAY, done_on=TODAY),  # finished late: not chased any more
        _item("已核验", YESTERDAY, done_on=YESTERDAY),
        _item("整改中", None),
    ]
    result = summary(ledger, [track(i, TODAY) for i in ledger])
    assert result == LedgerSummary(total=5, done=2, open=3, overdue=1, soon=1)
    assert result.line() == (
        "整改问题5个：已完成2个，未完成3个，其中已逾期1个、即将到期1个，请督促落实"
    )


@pytest.mark.parametrize(
    ("figures", "line"),
    [
        (LedgerSummary(0, 0, 0, 0, 0), "整改台账还没有问题，请先从述职报告起草或导入整改方案"),
        (LedgerSummary(2, 2, 0, 0, 0), "整改问题2个：已完成2个，未完成0个"),
    ],
)
def test_summary_line(figures: LedgerSummary, line: str) -> None:
    assert figures.line() == line


def test_summary_needs_one_tracking_per_item() -> None:
    with pytest.raises(ValueError, match="trackings"):
        summary([_item()], [])


def test_group_by_org_then_status_in_work_order() -> None:
    ledger = [
        _item("已完成", org="甲村"),
        _item("整改中", org="乙社区"),
        _item(None, org="甲村"),
        _item("已核验", org="甲村"),
        _item("未开始", org="甲村"),
    ]
    grouped = group_by_org(ledger)
    assert list(grouped) == ["甲村", "乙社区"]
    assert list(grouped["甲村"]) == ["未开始", "已完成", "已核验"]
    assert len(grouped["甲村"]["未开始"]) == 2
    assert list(grouped["乙社区"]) == ["整改中"]
