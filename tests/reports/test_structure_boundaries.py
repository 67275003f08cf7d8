"""The edges of find_structure: the survivors of the operator mutants of reports/structure.py.

How long a heading may be (30 characters for a named one, 40 for one by its look), what
makes a paragraph look like a heading, two-character names, 方面 after a name, the first
of two headings of one part, a table that adds no part, the numbering that agrees or not
with the names, three headings of one look beside numbered ones, transitions further on,
in the middle of a paragraph or beside a table, where part 一 begins by position, what
stays in the preamble, and the closing lines in their order.
"""

from __future__ import annotations

import pytest

from tongjia_xls.reports.model import Para
from tongjia_xls.reports.structure import (
    HEADING_MAX_CHARS,
    PLANS,
    PRACTICES,
    PROBLEMS,
    find_structure,
)

NAME = "存在问题及原因分析"


def _padded(text: str, length: int) -> str:
    """``text`` with spaces before a closing colon, ``length`` characters in all."""
    return text + " " * (length - len(text) - 1) + "："


def _opened(paragraphs: list[Para]) -> dict[str, tuple[int, str]]:
    found = find_structure(paragraphs)
    return {key: (part.index, part.found_by) for key, part in found.parts.items()}


# -- how long a heading may be ---------------------------------------------------------------


@pytest.mark.parametrize(("length", "numbered", "styled", "heading"), [
    (HEADING_MAX_CHARS, False, False, True),
    (HEADING_MAX_CHARS + 1, False, False, False),  # a long line: a sentence, not a heading
    (HEADING_MAX_CHARS + 1, True, False, True),  # unless numbered
    (HEADING_MAX_CHARS + 1, False, True, True),  # or set as one
])
def test_a_named_heading_is_short_or_numbered_or_styled(length: int, numbered: bool,
                                                        styled: bool, heading: bool) -> None:
    text = _padded(("二、" if numbered else "") + NAME, length)
    assert len(text) == length
    found = find_structure([Para("标题"), Para(text, bold=styled), Para("正文。")])
    assert (PROBLEMS in found.parts) is heading


@pytest.mark.parametrize("para", [
    Para("主要做法和成效：我们抓好三件事，一是学习，二是发展，三是治理，效果很好。",
         outline_level=1),
    Para("主要做法和成效：我们抓好三件事，一是学习，二是发展，三是治理，效果很好。",
         font="黑体"),
])
def test_a_heading_run_into_its_text_counts_by_its_level_or_its_font(para: Para) -> None:
    found = find_structure([Para("标题"), para])
    assert found.parts[PRACTICES].texts == [
        "我们抓好三件事，一是学习，二是发展，三是治理，效果很好。"]


def test_a_heading_with_the_outlines_note_needs_no_number() -> None:
    found = find_structure([Para("标题"), Para(NAME + "（此部分不少于整个篇幅的1/3）"),
                            Para("一是学习不深。")])
    assert found.parts[PROBLEMS].heading == NAME


@pytest.mark.parametrize(("para", "listed"), [
    (Para("抓" * 40, bold=True), True),  # 40 characters: still a heading by its look
    (Para("抓" * 41, bold=True), False),
    (Para("", bold=True), False),
    (Para("我村开展党课12次。", bold=True), False),  # a sentence, even in bold
    (Para("一是强班子；", bold=True), False),
    (Para("一是强班子;", bold=True), False),
    (Para("筑牢战斗堡垒", bold=True), True),
    (Para("筑牢战斗堡垒", outline_level=1), True),
    (Para("筑牢战斗堡垒", font="黑体"), True),
    (Para("筑牢战斗堡垒", font="仿宋_GB2312"), False),  # the body text's font
    (Para("筑牢战斗堡垒"), False),
])
def test_what_looks_like_a_heading(para: Para, listed: bool) -> None:
    found = find_structure([Para("标题"), para, Para("正文。")])
    assert (para.text in found.headings) is listed


# -- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("heading", "key"), [
    ("二、问题", PROBLEMS), ("二、不足", PROBLEMS), ("三、打算", PLANS), ("一、成效", PRACTICES),
])
def test_a_two_character_name_is_a_name(heading: str, key: str) -> None:
    assert key in find_structure([Para("标题"), Para(heading), Para("正文。")]).parts


def test_a_name_followed_by_fangmian_is_a_heading() -> None:
    found = find_structure([Para("标题"), Para("二、存在问题方面：一是学习不深。")])
    assert found.parts[PROBLEMS].heading == "二、存在问题方面"
    assert found.parts[PROBLEMS].texts == ["一是学习不深。"]


def test_the_first_heading_of_a_part_opens_it() -> None:
    # "（二）原因分析" names part 二 again, inside it.
    found = find_structure([
        Para("标题"), Para("一、主要做法和成效"), Para("正文一。"),
        Para("二、存在问题及原因分析"), Para("（一）存在的问题"), Para("一是学习不深。"),
        Para("（二）原因分析"), Para("一是宗旨意识淡化。"),
        Para("三、下步工作打算"), Para("正文三。"),
    ])
    assert found.parts[PROBLEMS].index == 3
    assert found.parts[PROBLEMS].texts[-1] == "一是宗旨意识淡化。"


def test_a_table_that_adds_no_part_is_not_read_for_headings() -> None:
    # A summary table at the top names part 一 too; the body's heading opens it.
    found = find_structure([
        Para("述职报告"), Para("主要做法和成效", in_table=True), Para("党课12次", in_table=True),
        Para("一、主要做法和成效"), Para("今年开展党课12次。"),
    ])
    assert found.parts[PRACTICES].index == 3
    assert found.parts[PRACTICES].texts == ["今年开展党课12次。"]


# -- numbering and look ----------------------------------------------------------------------


def test_numbering_that_agrees_with_a_name_opens_the_other_parts() -> None:
    opened = _opened([Para("述职报告"), Para("一、主要做法和成效"), Para("正文一。"),
                      Para("二、正视差距，把问题找准"), Para("正文二。"),
                      Para("三、接续奋斗，把事情办好"), Para("正文三。")])
    assert opened == {PRACTICES: (1, "heading"), PROBLEMS: (3, "numbering"),
                      PLANS: (5, "numbering")}



def test_parts_opened_by_numbering_leave_the_preamble_whole() -> None:
    found = find_structure([Para("述职报告"), Para("一、筑牢堡垒，让支部强起来"), Para("正文一。"),
                            Para("二、正视差距，把问题找准"), Para("正文二。"),
                            Para("三、接续奋斗，把事情办好"), Para("正文三。")])
    assert [p.text for p in found.preamble] == ["述职报告"]
    assert found.parts[PRACTICES].texts == ["正文一。"]


def test_numbering_that_disagrees_with_the_names_is_not_followed() -> None:
    opened = _opened([Para("述职报告"), Para("一、筑牢堡垒，让支部强起来"), Para("正文一。"),
                      Para("二、服务发展，让群众富起来"), Para("正文二。"),
                      Para("三、存在问题及原因分析"), Para("一是学习不深。")])
    assert opened[PROBLEMS] == (5, "heading")
    assert PLANS not in opened


def _looks(*middle: Para) -> list[Para]:
    return [Para("述职报告"), Para("到任以来的工作回顾与体会", bold=True), *middle,
            Para("正文一。"), Para("调研发现的突出问题及原因", bold=True), Para("正文二。"),
            Para("抓党建工作的思路举措", bold=True), Para("正文三。")]


def test_numbered_subheadings_do_not_join_three_headings_of_one_look() -> None:
    opened = _opened(_looks(Para("（一）抓班子带队伍", bold=True)))
    assert {key: how for key, (_, how) in opened.items()} == {
        PRACTICES: "look", PROBLEMS: "look", PLANS: "look"}
    opened = _opened([*_looks(), Para("1. 附表", bold=True)])
    assert opened[PLANS] == (5, "look")


def test_three_headings_of_one_look_that_are_not_the_parts_open_none() -> None:
    opened = _opened([Para("述职报告"), Para("学习方面的问题", bold=True), Para("正文一。"),
                      Para("作风方面的问题", bold=True), Para("正文二。"),
                      Para("发展方面的问题", bold=True), Para("正文三。")])
    assert "look" not in {how for _, how in opened.values()}


def test_three_headings_of_one_look_agree_with_a_name_among_them() -> None:
    opened = _opened([Para("述职报告"), Para("主要做法和成效", bold=True), Para("正文一。"),
                      Para("正视差距把问题找准", bold=True), Para("正文二。"),
                      Para("接续奋斗把事情办好", bold=True), Para("正文三。")])
    assert opened == {PRACTICES: (1, "heading"), PROBLEMS: (3, "look"), PLANS: (5, "look")}


def test_three_headings_of_one_look_against_a_name_elsewhere_open_none() -> None:
    opened = _opened([Para("述职报告"), Para("筑牢战斗堡垒", bold=True), Para("正文一。"),
                      Para("服务发展大局", bold=True), Para("正文二。"),
                      Para("二、存在问题及原因分析"), Para("一是学习不深。"),
                      Para("为民办事实事", bold=True), Para("正文三。")])
    assert opened == {PRACTICES: (1, "position"), PROBLEMS: (5, "heading")}


# -- transitions -------------------------------------------------------------------------------


def test_a_plans_sentence_right_after_the_title_opens_the_plans() -> None:
    assert _opened([Para("述职报告"), Para("下一步，我将抓好三件事。")]) == {
        PLANS: (1, "transition")}
    # The first line is the title, even when it reads like a plans sentence.
    assert PLANS not in _opened([Para("明年，我将继续抓好党建。"), Para("其他。")])


def test_a_plans_sentence_right_after_the_heading_of_part_one() -> None:
    assert _opened([Para("述职报告"), Para("一、主要做法和成效"),
                    Para("下一步，我将抓好三件事。")])[PLANS] == (2, "transition")


def test_the_first_plans_sentence_after_the_problems_opens_the_plans() -> None:
    opened = _opened([Para("述职报告"), Para("二、存在问题及原因分析"), Para("一是学习不深。"),
                      Para("下一步，我将抓好三件事。"), Para("今后，我将常抓不懈。")])
    assert opened[PLANS] == (3, "transition")


def test_a_paragraph_that_opens_the_problems_does_not_open_the_plans_too() -> None:
    opened = _opened([Para("述职报告"), Para("一、主要做法和成效"), Para("今年开展党课12次。"),
                      Para("今后，我要正视不足：对照上级要求，我仍然存在不少差距。")])
    assert opened[PROBLEMS] == (3, "transition") and PLANS not in opened


def test_a_transition_further_on_opens_the_problems() -> None:
    paragraphs = [Para("述职报告"), Para("一、主要做法和成效"), Para("今年开展党课12次。"),
                  Para("但对照上级要求，仍然存在不少差距。"), Para("一是学习不深。"),
                  Para("党员发展情况表", bold=True, in_table=True),
                  Para("下一步，我将抓好三件事。")]
    assert _opened(paragraphs)[PROBLEMS] == (3, "transition")
    # Read outside the table: its cells are no headings.
    assert "党员发展情况表" not in find_structure(paragraphs).headings


def test_the_heading_of_part_one_with_a_turn_in_it_opens_no_problems() -> None:
    found = find_structure([Para("述职报告"), Para("一、主要做法和成效（但也存在不足）"),
                            Para("今年开展党课12次。")])
    assert list(found.parts) == [PRACTICES]


def test_the_last_turn_of_a_paragraph_opens_the_problems() -> None:
    found = find_structure([
        Para("述职报告"), Para("一、主要做法和成效"),
        Para("今年开展党课12次。同时帮助群众解决了存在的问题15个。"
             "但对照上级要求，仍然存在不少差距：一是学习不深。"),
        Para("下一步，我将抓好三件事。"),
    ])
    assert found.parts[PRACTICES].texts == ["今年开展党课12次。同时帮助群众解决了存在的问题15个。"]
    assert found.parts[PROBLEMS].texts == ["但对照上级要求，仍然存在不少差距：一是学习不深。"]
    assert [p.text for p in found.preamble] == ["述职报告"]


# -- part 一 by position ------------------------------------------------------------------------


@pytest.mark.parametrize("title", [Para("述职报告", bold=True), Para("述职报告")])
def test_part_one_begins_after_the_title_and_blank_lines(title: Para) -> None:
    found = find_structure([title, Para(""), Para("今年开展党课12次。"),
                            Para("二、存在问题及原因分析"), Para("一是学习不深。")])
    assert found.parts[PRACTICES].index == 2
    assert found.parts[PRACTICES].texts == ["今年开展党课12次。"]
    assert [p.text for p in found.preamble] == ["述职报告", ""]


def test_a_title_with_a_comma_is_still_the_title() -> None:
    found = find_structure([Para("守初心，担使命——2023年度述职报告"), Para("今年开展党课12次。"),
                            Para("二、存在问题及原因分析"), Para("一是学习不深。")])
    assert found.parts[PRACTICES].index == 1
    assert found.title == "守初心，担使命——2023年度述职报告"


def test_text_before_the_first_part_in_its_paragraph_is_preamble() -> None:
    # No heading, and part 一 nowhere but before the turn in the same paragraph.
    found = find_structure([
        Para("述职报告"), Para("今年我村开展党课12次。但对照上级要求，仍然存在不少差距。"),
        Para("下一步，我将抓好三件事。"),
    ])
    assert found.order == [PROBLEMS, PLANS]
    assert [p.text for p in found.preamble] == ["述职报告", "今年我村开展党课12次。"]
    assert found.parts[PROBLEMS].texts == ["但对照上级要求，仍然存在不少差距。"]


def test_part_one_by_position_at_a_heading_keeps_the_preamble_whole() -> None:
    found = find_structure([Para("述职报告"), Para("筑牢战斗堡垒", bold=True), Para("正文一。"),
                            Para("二、存在问题及原因分析"), Para("一是学习不深。")])
    assert found.parts[PRACTICES].index == 1
    assert [p.text for p in found.preamble] == ["述职报告"]


# -- the closing --------------------------------------------------------------------------------


def test_the_closing_lines_keep_their_order() -> None:
    found = find_structure([Para("三、下步工作打算"), Para("一是强班子。以上述职，请予评议。"),
                            Para(""), Para("清水村党支部书记：张三"), Para("2023年12月20日")])
    assert found.parts[PLANS].texts == ["一是强班子。"]
    assert [p.text for p in found.closing] == [
        "以上述职，请予评议。", "", "清水村党支部书记：张三", "2023年12月20日"]


def test_only_the_last_formula_is_the_closing() -> None:
    # A plan that mentions 批评指正 is still a plan.
    found = find_structure([Para("三、下步工作打算"), Para("一是主动接受群众监督和批评指正。"),
                            Para("以上述职，请予评议。")])
    assert found.parts[PLANS].texts == ["一是主动接受群众监督和批评指正。"]
    assert [p.text for p in found.closing] == ["以上述职，请予评议。"]
