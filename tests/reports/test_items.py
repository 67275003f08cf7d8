"""The one grammar of listed items: problems, causes and plans, as secretaries number them."""

from __future__ import annotations

import pytest

from tongjia_xls.rectification import text as ledger_text
from tongjia_xls.reports.items import clean_item, find_items, marker_style, split_problems


@pytest.mark.parametrize(("text", "style"), [
    ("一是学习不深", "shi"), ("第一，学习不深", "di"), ("（一）学习不深", "paren"),
    ("(2)学习不深", "paren"), ("1.学习不深", "arabic"), ("1、学习不深", "arabic"),
    ("一、学习不深", "chinese"), ("首先，学习不深", "sequence"), ("学习不深", None),
    ("2023年发展党员3名", None), ("3.5万元收入", None),
])
def test_every_numbering_style_is_named(text: str, style: str | None) -> None:
    assert marker_style(text) == style


def test_the_ledger_reads_numbering_with_the_checkers_grammar() -> None:
    text = "一是（1）阵地建设滞后。"
    assert ledger_text.first_sentence(text) == clean_item(text) == "阵地建设滞后"
    assert ledger_text.normalized(text) == ledger_text.normalized("（二）阵地建设滞后")


PROBLEMS = "一是理论学习不够深入，我满足于读文件。二是联系群众不够紧密。三是集体经济办法不多。"


@pytest.mark.parametrize(("causes", "count"), [
    ("究其原因，一是宗旨意识淡化；二是学习抓得不紧。", 2),
    ("产生这些问题的原因，主要有以下几点：一是思想认识不到位。二是能力不足。三是作风不实。", 3),
    ("分析原因，主要是我放松了学习。", 1),
    ("问题的根源在于我宗旨意识淡化，责任扛得不牢。", 1),
    ("深层次原因在于党性修养不够。", 1),
    ("原因是多方面的：（一）学习不够；（二）担当不够。", 2),
    ("以上问题的产生，既有客观原因，更有主观原因。一是学习不深入，二是要求不严格。", 2),
    ("问题的根子在于思想上有松懈情绪。", 1),
])
def test_causes_are_never_counted_as_problems(causes: str, count: int) -> None:
    for texts in ([PROBLEMS + causes], [PROBLEMS, causes]):
        problems, found, opener = split_problems(texts)
        assert len(problems) == 3, [p.text for p in problems]
        assert len(found) == count, [c.text for c in found]
        assert opener is not None


@pytest.mark.parametrize("first", [
    "一是阵地建设滞后，原因在于资金不足。",
    "一是学习不深，主要原因在于重视不够。",
    "一是学习不深，主要原因是重视不够。",
    "一是阵地建设滞后，深层次原因在于投入不足。",
])
def test_a_cause_inside_a_problem_leaves_it_a_problem(first: str) -> None:
    problems, causes, opener = split_problems([first, "二是台账不规范。", "三是发展党员偏少。"])
    assert len(problems) == 3 and causes == [] and opener is None


def test_a_cause_inside_a_problem_does_not_hide_the_causes_after_it() -> None:
    problems, causes, opener = split_problems([
        "一是学习不深，主要原因在于重视不够。", "二是台账不规范。",
        "究其原因：一是宗旨意识淡化；二是要求不严。"])
    assert (len(problems), len(causes)) == (2, 2) and opener is not None


@pytest.mark.parametrize("causes", [
    "学习不深，主要原因在于：一是重视不够；二是方法不多。",  # a colon: a list follows
    "主要原因在于：一是重视不够；二是方法不多。",
    "主要原因是重视不够，方法不多。",  # the phrase opens its own sentence
])
def test_a_cause_phrase_that_opens_the_causes(causes: str) -> None:
    _, _, opener = split_problems(["一是学习不深。", "二是台账不规范。", causes])
    assert opener is not None


def test_two_problems_and_two_numbered_causes_are_two_problems() -> None:
    problems, causes, _ = split_problems([
        "一是学习不深。", "二是联系不紧。", "究其原因：", "一是宗旨意识淡化。", "二是要求不严。"])
    assert (len(problems), len(causes)) == (2, 2)


def test_problems_listed_inline_after_a_transition() -> None:
    problems, _, _ = split_problems([
        "对照上级要求，仍然存在不少差距，具体有以下几个方面：一是学习不深；二是联系不紧；"
        "三是办法不多；四是作风不实。"])
    assert [p.marker for p in problems] == ["一", "二", "三", "四"]


def test_the_outer_numbering_is_the_list() -> None:
    items = find_items(["（一）学习不深。一是满足于读文件；二是学用脱节。",
                        "（二）联系不紧。一是走访少；二是听取意见少。", "（三）办法不多。"])
    assert [i.marker for i in items] == ["一", "二", "三"]


@pytest.mark.parametrize(
    ("texts", "count"),
    [
        (["一是学习不深。二是联系不紧。三是办法不多。"], 3),
        (["一是学习不深。", "二是联系不紧。", "三是办法不多。", "四是作风不实。"], 4),
        (["1. 学习不深", "2. 联系不紧", "3. 办法不多"], 3),
        (["（1）学习不深", "（2）联系不紧", "(3)办法不多"], 3),
        (["第一，学习不深。第二，联系不紧。第三，办法不多。"], 3),
        # Not numbered: a paragraph is an item, as a reader takes a list one paragraph each.
        (["学习不深，联系不紧，办法不多。"], 1),
        (["学习不够深入，满足于读文件。", "联系群众不够紧密，走访不多。"], 2),
        (["对照上级要求，还存在以下几个方面的问题：", "学习不够深入，满足于读文件。"], 1),
        (["首先，学习不深。其次，联系不紧。最后，办法不多。"], 3),
        (["（一）学习不深。一是满足于读文件；二是学用脱节。", "（二）联系不紧。"], 2),
    ],
)
def test_items_in_every_numbering_style(texts: list[str], count: int) -> None:
    assert len(find_items(texts)) == count


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("一是……。以上问题究其原因，主要在于学习不够。", "以上问题究其原因，主要在于学习不够。"),
        ("产生问题的原因主要在于思想认识不到位。", "产生问题的原因主要在于思想认识不到位。"),
        ("一是学习不深。二是联系不紧。", None),
    ],
)
def test_cause_analysis(text: str, found: str | None) -> None:
    assert split_problems([text])[2] == found
