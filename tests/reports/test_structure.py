"""Headings and parts as secretaries really write them."""

from __future__ import annotations

from typing import Any

import pytest

from tongjia_xls.reports import structure
from tongjia_xls.reports.model import Para
from tongjia_xls.reports.structure import (
    PLANS,
    PRACTICES,
    PROBLEMS,
    find_structure,
)


@pytest.mark.parametrize(
    ("heading", "key"),
    [
        ("一、主要做法和成效", PRACTICES),
        ("一、主要做法及成效", PRACTICES),
        ("主要做法和成效", PRACTICES),
        ("一. 主要做法与成效", PRACTICES),
        ("第一部分 主要做法和特色亮点", PRACTICES),
        ("（一）主要工作及成效", PRACTICES),
        ("二、存在问题及原因分析", PROBLEMS),
        ("二、存在的问题及原因分析", PROBLEMS),
        ("存在的主要问题和原因", PROBLEMS),
        ("2、问题和原因分析", PROBLEMS),
        ("存在的不足及原因分析：", PROBLEMS),
        ("三、下步工作打算", PLANS),
        ("三、下一步工作打算", PLANS),
        ("今后工作思路", PLANS),
        ("三、2024年工作计划", PLANS),
        ("下步打算", PLANS),
    ],
)
def test_heading_variants_open_their_part(heading: str, key: str) -> None:
    structure = find_structure([Para("标题"), Para(heading), Para("正文内容。")])
    assert list(structure.parts) == [key]
    assert structure.parts[key].texts == ["正文内容。"]


def test_a_heading_copied_with_the_outlines_note_still_opens_its_part() -> None:
    structure = find_structure([Para("二、存在问题及原因分析（此部分不少于整个篇幅的1/3）"),
                                Para("一是学习不深。")])
    assert structure.parts[PROBLEMS].heading == "二、存在问题及原因分析"
    assert structure.parts[PROBLEMS].texts == ["（此部分不少于整个篇幅的1/3）", "一是学习不深。"]


def test_a_heading_run_into_its_text_is_split() -> None:
    structure = find_structure([Para("一、主要做法和成效。今年我村开展党课12次。")])
    assert structure.parts[PRACTICES].heading == "一、主要做法和成效"
    assert structure.parts[PRACTICES].texts == ["今年我村开展党课12次。"]


@pytest.mark.parametrize(
    ("para", "is_heading"),
    [
        (Para("主要做法和成效是抓好三件事，一是学习，二是发展，三是治理，效果很好。"), False),
        (Para("主要做法和成效：我们抓好三件事，一是学习，二是发展，三是治理，效果很好。",
              bold=False), False),
        (Para("主要做法和成效：我们抓好三件事，一是学习，二是发展，三是治理，效果很好。",
              bold=True), True),
        (Para("主要做法和成效", outline_level=0), True),
        (Para("主要做法和成效", font="黑体"), True),
    ],
)
def test_long_body_text_is_no_heading_unless_set_as_one(para: Para, is_heading: bool) -> None:
    structure = find_structure([Para("标题"), para])
    assert bool(structure.parts) is is_heading


def test_parts_out_of_order_are_noticed() -> None:
    structure = find_structure([Para("三、下步工作打算"), Para("一、主要做法和成效")])
    assert structure.order == [PLANS, PRACTICES] and not structure.in_order


def test_title_is_the_first_line_before_the_parts() -> None:
    structure = find_structure([Para(""), Para("2023年度述职报告"), Para("一、主要做法和成效")])
    assert structure.title == "2023年度述职报告"


# --- the layouts of real reports ------------------------------------------------------------

def _parts(paragraphs: list[Para]) -> dict[str, tuple[str, list[str]]]:
    found = find_structure(paragraphs)
    return {key: (part.found_by, part.texts) for key, part in found.parts.items()}


@pytest.mark.parametrize("heading", [
    "一、2023年主要工作做法及成效", "一、工作开展情况及成效", "一、履职情况和工作亮点",
    "一、履职尽责情况", "一、主要工作做法及成效",
])
def test_reworded_practices_headings(heading: str) -> None:
    assert PRACTICES in _parts([Para("标题"), Para(heading), Para("正文。")])


@pytest.mark.parametrize(("heading", "key"), [
    ("二、存在的问题和不足", PROBLEMS), ("二、问题与短板", PROBLEMS),
    ("二、存在的主要问题和原因分析", PROBLEMS), ("三、2024年工作打算", PLANS),
    ("三、下一步工作计划", PLANS), ("三、努力方向", PLANS), ("三、今后工作思路", PLANS),
    ("三、整改措施及下步打算", PLANS),
])
def test_reworded_headings_of_the_other_parts(heading: str, key: str) -> None:
    assert key in _parts([Para("标题"), Para(heading), Para("正文。")])


def test_headings_set_in_heiti_without_numbers() -> None:
    parts = _parts([Para("述职报告"), Para("到任以来的主要工作", font="黑体"), Para("正文一。"),
                    Para("调研发现的突出问题及原因", font="黑体"), Para("正文二。"),
                    Para("抓党建工作的思路举措", font="黑体"), Para("正文三。")])
    assert {k: texts for k, (_, texts) in parts.items()} == {
        PRACTICES: ["正文一。"], PROBLEMS: ["正文二。"], PLANS: ["正文三。"]}


def test_thematic_top_level_headings_open_the_parts_by_their_numbers() -> None:
    parts = _parts([Para("述职报告"), Para("一、筑牢堡垒，让支部强起来"), Para("正文一。"),
                    Para("二、正视差距，把问题找准"), Para("正文二。"),
                    Para("三、接续奋斗，把事情办好"), Para("正文三。")])
    assert [parts[k][0] for k in (PRACTICES, PROBLEMS, PLANS)] == ["numbering"] * 3


def test_unheaded_problems_and_plans_open_at_their_transitions() -> None:
    parts = _parts([
        Para("述职报告"), Para("根据镇党委安排，现就本人抓党建工作情况述职如下："),
        Para("今年我村开展党课12次，发展党员2名。"),
        Para("成绩虽有，但对照上级要求，仍然存在不少差距，具体有以下几个方面：一是学习不深；"
             "二是联系不紧；三是办法不多。"),
        Para("下一步，我将重点抓好三件事：一是强班子；二是兴产业；三是优服务。"),
        Para("以上述职，请予评议。"),
    ])
    assert parts[PRACTICES] == ("position", ["今年我村开展党课12次，发展党员2名。"])
    assert parts[PROBLEMS][0] == "transition" and parts[PROBLEMS][1][0].startswith("成绩虽有")
    assert parts[PLANS] == ("transition", ["下一步，我将重点抓好三件事：一是强班子；二是兴产业；"
                                           "三是优服务。"])


def test_a_report_written_in_a_table() -> None:
    cells = [("一、主要做法和成效", "今年开展党课12次。"),
             ("二、存在问题及原因分析", "一是学习不深。"), ("三、下步工作打算", "一是强班子。")]
    paragraphs = [Para("述职报告")] + [Para(t, in_table=True) for row in cells for t in row]
    parts = _parts(paragraphs)
    assert {k: texts for k, (_, texts) in parts.items()} == {
        PRACTICES: ["今年开展党课12次。"], PROBLEMS: ["一是学习不深。"], PLANS: ["一是强班子。"]}


def test_a_heading_in_a_data_table_inside_a_part_opens_nothing() -> None:
    parts = _parts([Para("标题"), Para("一、主要做法和成效"), Para("存在问题", in_table=True),
                    Para("二、存在问题及原因分析"), Para("一是学习不深。"),
                    Para("三、下步工作打算"), Para("一是强班子。")])
    assert parts[PRACTICES][1] == ["存在问题"]


def test_the_closing_formula_and_signature_are_no_plan() -> None:
    found = find_structure([Para("三、下步工作打算"), Para("一是强班子。二是兴产业。"),
                            Para("各位领导、同志们，新的一年我们将再接再厉。以上述职，请予评议。"),
                            Para("清水村党支部书记：张三"), Para("2023年12月20日")])
    assert found.parts[PLANS].texts == ["一是强班子。二是兴产业。"]
    assert [p.text for p in found.closing][-1] == "2023年12月20日"


def test_name_openings_are_every_character_a_part_name_can_open_with() -> None:
    assert first_chars(structure._ANY_NAME.pattern) == set(structure._NAME_OPENINGS)


def first_chars(pattern: str) -> set[str]:
    """Return every character a match of ``pattern`` can open with (it must match no "").

    Worked out from ``re``'s own parse of the pattern: literals, classes of literals and
    ranges, groups, alternatives, repeats and zero-width assertions (which only narrow the
    set); anything else fails the test that asks.
    """
    from re import _constants as c  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]

    def first(items: Any) -> tuple[set[str], bool]:  # (characters, can match "")
        found: set[str] = set()
        for op, av in items:
            if op is c.LITERAL:
                return found | {chr(av)}, False
            if op is c.IN:
                for kind, value in av:
                    if kind is c.LITERAL:
                        found.add(chr(value))
                    elif kind is c.RANGE:
                        found.update(map(chr, range(value[0], value[1] + 1)))
                    else:
                        raise AssertionError(f"unhandled class item {kind}")
                return found, False
            if op is c.SUBPATTERN:
                chars, empty = first(av[3])
            elif op is c.BRANCH:
                results = [first(branch) for branch in av[1]]
                chars = set().union(*(r[0] for r in results))
                empty = any(r[1] for r in results)
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                chars, empty = first(av[2])
                empty = empty or av[0] == 0
            elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue
            else:
                raise AssertionError(f"unhandled {op}")
            found |= chars
            if not empty:
                return found, False
        return found, True

    chars, empty = first(_parser.parse(pattern).data)
    assert not empty, f"{pattern!r} can match the empty string"
    return chars
