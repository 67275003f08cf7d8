"""Reading returned 整改方案: as a table (Word or Excel) and as numbered paragraphs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongjia_xls.rectification.ledger import Item
from tongjia_xls.rectification.returned import (
    items_from_paragraphs,
    items_from_plan,
    items_from_rows,
    items_from_tables,
    parse_deadline,
    parse_source,
)

ORG = "青杠湾村"

TABLE: list[list[Any]] = [
    ["青杠湾村党委2023年度述职评议问题整改清单", None, None, None, None, None],
    ["序号", "问题来源", "存在问题", "整改措施", "责 任 人", "完成时限（年月日）"],
    [1, "会议点评", "组织生活质量不够高", "严格落实“三会一课”制度", "张三", "2024年3月31日"],
    [2, "自查", "理论学习不够深入", "", "李四", "2024.6.30"],
    ["", "", "", "", "", ""],
    [3, "上年度", "集体经济薄弱", "发展花椒产业", "王五", "3月底"],
    ["序号", "问题来源", "存在问题", "整改措施", "责任人", "完成时限"],  # repeated on page 2
    [4, "督查", "台账不规范", "专人管理", None, datetime(2024, 5, 31)],
    [5, None, None, "一条多余的措施", None, None],
    [6, "主题教育", "阵地建设滞后", "新建活动室", "赵六", 45473],  # an Excel serial
]

PARAGRAPHS = [
    "童家镇青杠湾村党委",
    "关于2023年度抓党建述职评议问题的整改方案",
    "根据镇党委要求，针对述职评议中会议点评和自身查摆的问题，制定整改方案如下：",
    "一、会议点评指出的问题",
    "1. 问题：组织生活质量不够高，党员参与热情不高。",
    "整改措施：",
    "（1）严格落实“三会一课”制度；",
    "（2）每月开展一次主题党日活动。",
    "责任人：张三",
    "完成时限：2024年3月31日前",
    "2. 集体经济增收渠道单一。整改措施：依托合作社发展花椒产业。责任人：李四。完成时限：3月底。",
    "二、自身查摆的问题",
    "1. 理论学习不够深入\n措施：每月集中学习1次\n责任人：张三（村党委书记）\n时限：2024.6.30",
    "2. 问题来源：主题教育；问题：台账不规范（责任人：王五）",
    "青杠湾村党委",
    "2024年1月10日",
]


def _brief(items: list[Item]) -> list[tuple[Any, ...]]:
    return [(i.problem, i.source, i.measure, i.owner, i.deadline) for i in items]


def test_a_plan_as_a_table_is_read_row_by_row() -> None:
    items, problems = items_from_rows(TABLE, ORG)
    assert _brief(items) == [
        ("组织生活质量不够高", "会议点评", "严格落实“三会一课”制度", "张三", date(2024, 3, 31)),
        ("理论学习不够深入", "自身查摆", None, "李四", date(2024, 6, 30)),
        ("集体经济薄弱", "上年度", "发展花椒产业", "王五", None),
        ("台账不规范", None, "专人管理", None, date(2024, 5, 31)),
        ("阵地建设滞后", "主题教育", "新建活动室", "赵六", date(2024, 6, 30)),
    ]
    assert all(i.org == ORG and i.status == "未开始" for i in items)
    assert problems == [
        "第4行没有填写整改措施，请在台账中补填",
        "第6行：“3月底”不是完整日期，完成时限未导入，请在台账中补填",
        "第8行没有填写责任人，请在台账中补填",
        "第8行：问题来源“督查”不是可选项（会议点评、自身查摆、上年度、巡视巡察、主题教育），"
        "未导入，请在台账中选择",
        "第9行没有填写问题描述，未导入，请补填后重新导入",
    ]


_FULL = ("p", "m", "o", date(2024, 1, 31))


@pytest.mark.parametrize(
    ("header", "fields"),
    [
        (["问题", "措施", "责任人", "时限"], _FULL),
        (["整改内容", "具体措施", "整改责任人", "完成时间"], _FULL),
        (["问题描述*", "整改措施：", "责任人(必填)", "完成时限"], _FULL),
        (["存在问题及表现", "问题整改措施", "责任人", "整改时限"], _FULL),
        # 序号 and unknown columns are passed over; 措施 is read wherever it stands.
        (["问题", "序号", "备注", "措施"], ("p", "2024-01-31", None, None)),
    ],
)
def test_headers_are_matched_tolerantly(header: list[str], fields: tuple[Any, ...]) -> None:
    items, _ = items_from_rows([header, ["p", "m", "o", "2024-01-31"]], ORG)
    assert [(i.problem, i.measure, i.owner, i.deadline) for i in items] == [fields]


def test_missing_columns_are_reported_once() -> None:
    rows = [["问题", "措施"], ["台账不规范", "专人管理"], ["阵地建设滞后", "新建活动室"]]
    items, problems = items_from_rows(rows, ORG, source="会议点评")
    assert [(i.problem, i.source) for i in items] == [
        ("台账不规范", "会议点评"), ("阵地建设滞后", "会议点评"),
    ]
    assert problems == [
        "表格没有“责任人”列，责任人未导入，请在台账中补填",
        "表格没有“完成时限”列，完成时限未导入，请在台账中补填",
    ]


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [["甲", "乙"], ["丙", "丁"]],
        [["问题"], ["台账不规范"]],  # a lone 问题 column is no plan
        [[], [], [], [], [], ["问题", "措施"], ["台账不规范", "专人管理"]],  # below row 5
    ],
)
def test_a_table_without_header_gives_no_items_and_says_why(rows: list[list[str]]) -> None:
    items, problems = items_from_rows(rows, ORG)
    assert items == []
    assert len(problems) == 1
    assert "没有找到" in problems[0]


def test_a_table_with_only_its_header_says_so() -> None:
    items, problems = items_from_rows([["问题", "措施", "责任人", "时限"], [None] * 4], ORG)
    assert items == []
    assert problems == ["表格中只有列名，没有填写问题，请补填后重新导入"]


def test_tables_without_header_are_layout_and_messages_name_the_table() -> None:
    letterhead = [["中共童家镇青杠湾村委员会"]]
    first = [["问题", "措施", "责任人", "时限"], ["台账不规范", "专人管理", "", "2024-01-31"]]
    second = [["问题", "措施", "责任人", "时限"], ["阵地建设滞后", "新建活动室", "赵六", "长期"]]
    items, problems = items_from_tables([letterhead, first], ORG)
    assert [i.problem for i in items] == ["台账不规范"]
    assert problems == ["第2行没有填写责任人，请在台账中补填"]
    items, problems = items_from_tables([letterhead, first, second], ORG)
    assert [i.problem for i in items] == ["台账不规范", "阵地建设滞后"]
    assert problems == [
        "第2个表格第2行没有填写责任人，请在台账中补填",
        "第3个表格第2行：“长期”不是完整日期，完成时限未导入，请在台账中补填",
    ]
    items, problems = items_from_tables([letterhead], ORG)
    assert items == []
    assert "没有找到" in problems[0]


def test_a_plan_as_numbered_paragraphs_is_read_item_by_item() -> None:
    items, problems = items_from_paragraphs(PARAGRAPHS, ORG)
    assert _brief(items) == [
        ("组织生活质量不够高，党员参与热情不高", "会议点评",
         "（1）严格落实“三会一课”制度；\n（2）每月开展一次主题党日活动", "张三",
         date(2024, 3, 31)),
        ("集体经济增收渠道单一", "会议点评", "依托合作社发展花椒产业", "李四", None),
        ("理论学习不够深入", "自身查摆", "每月集中学习1次", "张三（村党委书记）",
         date(2024, 6, 30)),
        ("台账不规范", "主题教育", None, "王五", None),
    ]
    assert all(i.org == ORG and i.status == "未开始" for i in items)
    assert problems == [
        "第2项“集体经济增收渠道单一”：“3月底”不是完整日期，完成时限未导入，请在台账中补填",
        "第4项“台账不规范”没有填写整改措施、完成时限，请在台账中补填",
    ]


@pytest.mark.parametrize(
    "marker",
    ["一是", "1.", "1、", "（一）", "(1)", "第一，", "一、"],
)
def test_every_numbering_style_with_parts_in_one_paragraph(marker: str) -> None:
    second = marker.replace("一", "二").replace("1", "2")
    texts = [
        f"{marker}组织生活不规范。整改措施：严格落实三会一课；责任人：张三；完成时限：2024年3月31日。",
        f"{second}台账不规范。措施：专人管理。责任人：李四。时限：2024-04-30",
    ]
    items, problems = items_from_paragraphs(texts, ORG, source="自身查摆")
    assert _brief(items) == [
        ("组织生活不规范", "自身查摆", "严格落实三会一课", "张三", date(2024, 3, 31)),
        ("台账不规范", "自身查摆", "专人管理", "李四", date(2024, 4, 30)),
    ]
    assert problems == []


def test_parts_missing_everywhere_are_reported_once() -> None:
    texts = ["一是组织生活不规范。整改措施：严格落实三会一课。", "二是台账不规范。"]
    items, problems = items_from_paragraphs(texts, ORG)
    assert [i.measure for i in items] == ["严格落实三会一课", None]
    assert problems == [
        "整改方案没有写明责任人，责任人未导入，请在台账中补填",
        "整改方案没有写明完成时限，完成时限未导入，请在台账中补填",
        "第2项“台账不规范”没有填写整改措施，请在台账中补填",
    ]


def test_an_item_without_a_problem_is_reported() -> None:
    texts = ["1. 整改措施：严格落实三会一课；责任人：张三；完成时限：2024年3月31日",
             "2. 台账不规范；整改措施：专人管理；责任人：李四；完成时限：2024年3月31日"]
    items, problems = items_from_paragraphs(texts, ORG)
    assert [i.problem for i in items] == ["台账不规范"]
    assert problems == ["第1项没有问题描述，未导入，请补填后重新导入"]


@pytest.mark.parametrize(
    "texts",
    [[], ["整改方案", "我村将认真整改会议点评指出的问题。"], ["", "  \n "]],
)
def test_paragraphs_without_numbered_items(texts: list[str]) -> None:
    items, problems = items_from_paragraphs(texts, ORG)
    assert items == []
    assert len(problems) == 1
    assert "没有找到逐条编号的问题" in problems[0]


def test_a_measure_ending_with_a_bracket_keeps_it() -> None:
    texts = ["一是台账不规范。整改措施：按标准整理台账（见附件）；责任人：李四（副书记）"]
    (item,), _ = items_from_paragraphs(texts, ORG)
    assert item.measure == "按标准整理台账（见附件）"
    assert item.owner == "李四（副书记）"


def test_a_plan_prefers_its_tables_and_falls_back_to_paragraphs() -> None:
    table = [["问题", "措施", "责任人", "时限"], ["台账不规范", "专人管理", "李四", "2024-01-31"]]
    body = ["一是阵地建设滞后。整改措施：新建活动室；责任人：赵六；完成时限：2024年6月30日"]
    items, problems = items_from_plan([table], body, ORG)
    assert [i.problem for i in items] == ["台账不规范"]
    assert problems == []
    items, problems = items_from_plan([[["中共童家镇青杠湾村委员会"]]], body, ORG)
    assert [i.problem for i in items] == ["阵地建设滞后"]
    assert problems == []
    items, _ = items_from_plan([], body, ORG, source="会议点评")
    assert [i.source for i in items] == ["会议点评"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024年3月31日", date(2024, 3, 31)),
        ("2024.3.31", date(2024, 3, 31)),
        ("2024-03-31", date(2024, 3, 31)),
        ("２０２４年３月３１日", date(2024, 3, 31)),
        ("2024年3月31日前", date(2024, 3, 31)),
        ("2024年3月31日前完成", date(2024, 3, 31)),
        ("2024年2月底", date(2024, 2, 29)),
        ("2023.12月末", date(2023, 12, 31)),
        (date(2024, 3, 31), date(2024, 3, 31)),
        (datetime(2024, 3, 31, 0, 0), date(2024, 3, 31)),
        (45382, date(2024, 3, 31)),
        (None, None),
        ("  ", None),
    ],
)
def test_parse_deadline_reads_full_dates(value: Any, expected: date | None) -> None:
    assert parse_deadline(value) == (expected, None)


@pytest.mark.parametrize("value", ["3月底", "长期坚持", "2024年3月", "2024年13月底",
                                   "2024年2月30日", 30, "上半年"])
def test_parse_deadline_reports_anything_else(value: Any) -> None:
    deadline, message = parse_deadline(value)
    assert deadline is None
    assert message == f"“{value}”不是完整日期，完成时限未导入，请在台账中补填"


@pytest.mark.parametrize(
    ("value", "source"),
    [
        ("会议点评", "会议点评"),
        (" 自身 查摆 ", "自身查摆"),
        ("自查", "自身查摆"),
        ("上一年度述职评议", "上年度"),
        ("县委巡察反馈", "巡视巡察"),
        ("主题教育检视", "主题教育"),
        ("一、会议点评指出的问题", "会议点评"),
        ("会议点评和自身查摆", None),
        ("督查", None),
        (None, None),
    ],
)
def test_parse_source(value: Any, source: str | None) -> None:
    assert parse_source(value) == source


# --- properties ------------------------------------------------------------------------

_WORDS = st.sampled_from([
    "一是", "二、", "1.", "（一）", "第一，", "问题：", "整改措施：", "措施：", "责任人：",
    "时限：", "完成时限：", "2024年3月31日", "3月底", "；", "。", "\n", "台账不规范", "（",
    "）", "会议点评", "党委", "以上",
])
_LINES = st.lists(st.lists(_WORDS | st.text(max_size=5), max_size=8).map("".join), max_size=8)
_CELLS = st.one_of(st.none(), st.integers(-5, 60000), st.text(max_size=8),
                   st.sampled_from(["问题", "措施", "责任人", "时限", "来源", "序号"]))


@given(_LINES)
def test_any_paragraphs_give_items_with_a_problem_or_a_message(texts: list[str]) -> None:
    items, problems = items_from_paragraphs(texts, ORG)
    assert all(i.problem and i.problem == i.problem.strip() for i in items)
    assert all(isinstance(p, str) and p for p in problems)
    assert items or problems or not any(t.strip() for t in texts)


@given(st.lists(st.lists(_CELLS, max_size=6), max_size=8))
def test_any_table_gives_items_with_a_problem_or_a_message(rows: list[list[Any]]) -> None:
    items, problems = items_from_rows(rows, ORG)
    assert all(i.problem for i in items)
    assert items or problems
