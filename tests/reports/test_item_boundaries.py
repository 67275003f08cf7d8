"""The limits of the item grammar (reports/items.py), on both sides.

An unnumbered paragraph is an item from 12 characters; one ending in a colon is a lead-in
below 80; a sentence before the numbered causes is a cause of its own from 12 characters.
"""

from __future__ import annotations

import pytest

from tongjia_xls.reports.items import Item, find_items, split_problems


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
