"""The limits of the item grammar (reports/items.py): the survivors of its operator mutants.

An unnumbered paragraph is an item from 12 characters; one ending in a colon is a lead-in
below 80; a sentence before the numbered causes is a cause of its own from 12 characters.
Which numberings may follow a comma, where an item ends, the outer list, stripping markers,
and problems and causes cut apart without losing a character.
"""

from __future__ import annotations

import pytest

from tongjia_xls.reports.items import Item, find_items, split_problems, strip_marker


@pytest.mark.parametrize(("length", "items"), [(11, 0), (12, 1), (13, 1)])
def test_an_unnumbered_paragraph_is_an_item_from_twelve_characters(length: int,
                                                                   items: int) -> None:
    text = "学" * length
    assert find_items([text]) == [Item("", text)] * items


@pytest.mark.parametrize(("length", "lead_in"), [(78, True), (79, True), (80, False), (81, False)])
def test_a_paragraph_ending_in_a_colon_is_a_lead_in_below_eighty_characters(
    length: int, lead_in: bool
) -> None:
    text = "学" * (length - 1) + "："
    assert len(text) == length
    assert find_items([text]) == ([] if lead_in else [Item("", text)])


@pytest.mark.parametrize(("length", "counted"), [(11, False), (12, True), (13, True)])
def test_a_sentence_before_the_numbered_causes_is_a_cause_from_twelve_characters(
    length: int, counted: bool
) -> None:
    lead = "宗" * length
    _, causes, _ = split_problems(["一是学习不深。二是联系不紧。",
                                   f"究其原因，{lead}。一是理想信念有所松懈。二是责任意识不强。"])
    assert [c.text for c in causes] == [lead] * counted + ["一是理想信念有所松懈。",
                                                           "二是责任意识不强。"]


# -- where each numbering may stand ----------------------------------------------------------


@pytest.mark.parametrize(("text", "markers"), [
    ("第一，学习不深，第二，联系不紧。", ["一", "二"]),  # after a comma too
    ("（1）学习不深，（2）联系不紧。", ["1", "2"]),
    ("1、学习不深，2、联系不紧。", ["1", "2"]),
    ("一方面，学习不深，另一方面，联系不紧。", ["一方面", "另一方面"]),
    ("一是学习不深，二是联系不紧，三是办法不多。", ["一", "二", "三"]),
    ("首先，学习不深。其次，联系不紧。", ["首先", "其次"]),
])
def test_numberings_that_follow_a_comma(text: str, markers: list[str]) -> None:
    assert [item.marker for item in find_items([text])] == markers


@pytest.mark.parametrize("text", [
    "首先，要学习，其次，要实践，这是党员的本分。",  # 其次 after a comma: no second item
    "一、学习不深。二、联系不紧。",  # 一、 numbers paragraphs (headings), not sentences
])
def test_numberings_that_open_a_paragraph_or_a_sentence_only(text: str) -> None:
    assert find_items([text]) == [Item("", text)]


def test_each_item_runs_to_the_next_marker() -> None:
    assert find_items(["一是学习不深，二是联系不紧，三是办法不多。"]) == [
        Item("一", "一是学习不深，"), Item("二", "二是联系不紧，"), Item("三", "三是办法不多。")]


def test_a_paragraph_without_the_marker_does_not_end_the_list() -> None:
    items = find_items(["一是学习不深。", "群众意见较多。", "二是联系不紧。"])
    assert [item.marker for item in items] == ["一", "二"]


def test_the_outer_list_needs_two_items() -> None:
    # One （一） heading before a list of 一是 … 二是 is no list of its own.
    items = find_items(["（一）学习方面", "一是学习不深。二是联系不紧。"])
    assert [item.marker for item in items] == ["一", "二"]


@pytest.mark.parametrize(("text", "stripped"), [
    ("（1）一是阵地建设滞后", "阵地建设滞后"),  # markers in any order
    ("一是（1）阵地建设滞后", "阵地建设滞后"),
    ("（一）", "（一）"),  # a marker alone is kept
    ("一是", "一是"),
])
def test_strip_marker_strips_every_leading_marker_but_never_all(text: str,
                                                                stripped: str) -> None:
    assert strip_marker(text) == stripped


# -- problems and causes -----------------------------------------------------------------------


def test_problems_and_causes_keep_every_character() -> None:
    problems, causes, sentence = split_problems([
        "一是学习不深。二是联系不紧。",
        "究其原因，一是理想信念有所松懈。二是责任意识不强。此外还有其他。",
    ])
    assert [p.text for p in problems] == ["一是学习不深。", "二是联系不紧。"]
    assert [c.text for c in causes] == ["一是理想信念有所松懈。",
                                        "二是责任意识不强。此外还有其他。"]
    assert sentence == "究其原因，一是理想信念有所松懈。"


def test_problems_and_causes_in_one_paragraph() -> None:
    problems, causes, _ = split_problems(
        ["一是学习不深。二是联系不紧。究其原因，一是理想信念有所松懈。二是责任意识不强。"])
    assert [p.text for p in problems] == ["一是学习不深。", "二是联系不紧。"]
    assert [c.text for c in causes] == ["一是理想信念有所松懈。", "二是责任意识不强。"]


def test_an_unnumbered_lead_in_opens_the_problems_and_is_none() -> None:
    problems, _, _ = split_problems(["对照镇党委要求，我在抓党建工作中还有明显不足。",
                                     "理论学习不够深入，满足于读文件。",
                                     "联系群众不够紧密，走访群众不多。"])
    assert [p.text for p in problems] == ["理论学习不够深入，满足于读文件。",
                                          "联系群众不够紧密，走访群众不多。"]


def test_causes_numbered_two_ways_take_the_first_numbering() -> None:
    _, causes, _ = split_problems([
        "一是学习不深。二是联系不紧。",
        "究其原因：一是理想信念松懈，（1）学习少；（2）思考少。二是责任意识不强。",
    ])
    assert [c.marker for c in causes] == ["一", "二"]


def test_one_numbered_cause_is_the_analysis_as_one() -> None:
    whole = "究其原因，主要是：一是理想信念有所松懈。"
    _, causes, _ = split_problems(["一是学习不深。二是联系不紧。", whole])
    assert causes == [Item("", whole)]


def test_a_lead_that_introduces_the_causes_is_none_of_them() -> None:
    _, causes, _ = split_problems([
        "一是学习不深。二是联系不紧。",
        "产生以上问题的原因是多方面的，认真归纳起来主要有以下几个方面：一是理想信念有所松懈。"
        "二是责任意识不强。"])
    assert [c.text for c in causes] == ["一是理想信念有所松懈。", "二是责任意识不强。"]
