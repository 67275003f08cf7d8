"""What the operator mutants of reports/rules.py found untested (docs/mutation.md).

The figures a message quotes (decimals, one sentence or several, four words of a topic,
the words still needed), the quote around template residue, the four-character runs that
recognise last year's items, the rule order check with two parts and the year's end when
no deadline is set.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

import pytest

from helpers import report_lines, report_text
from tongjia_xls.errors import Severity
from tongjia_xls.reports.measure import SUBSTANCE, measure
from tongjia_xls.reports.rules import (
    RULES,
    Context,
    _around,
    _mentions,
    _nearest,
    _pct,
    copied_share,
    need_words,
)
from tongjia_xls.reports.structure import PLANS, PRACTICES, PROBLEMS
from tongjia_xls.settings import Settings

SETTINGS = Settings()
BASE = measure(report_text(report_lines()), SETTINGS)


def _messages(rule: str, m: object, context: Context | None = None) -> list[str]:
    return [text for _, text, _ in RULES[rule].check(m, context or Context(SETTINGS))]


@pytest.mark.parametrize(("share", "against", "shown"), [
    (0.3, None, "30.0%"), (0.31, 1 / 3, "31.0%"), (0.3329, 1 / 3, "33.29%"),
    (0.33332, 1 / 3, "33.332%"), (0.333332, 1 / 3, "33.3332%"),
    (1 / 3 - 1e-7, 1 / 3, "33.3333%"),  # four decimals at most, even if still alike
])
def test_a_share_gets_the_decimals_that_tell_it_from_the_limit(
    share: float, against: float | None, shown: str
) -> None:
    assert _pct(share, against) == shown


@pytest.mark.parametrize(("value", "nearest"), [(5, 0), (4, 0), (6, 10), (-1, 0), (11, 10)])
def test_the_nearer_limit_and_a_tie_goes_to_the_lower(value: float, nearest: float) -> None:
    assert _nearest(value, 0, 10) == nearest


def _exact_need(problems: int, total: int, share: Fraction) -> int:
    n = 0
    while Fraction(problems + n, total + n) < share:
        n += 1
    return max(n, 1)


@pytest.mark.parametrize(("parts", "share", "alone"), [
    ({PRACTICES: 700, PROBLEMS: 200, PLANS: 100}, 1 / 3, True),
    ({PRACTICES: 700, PROBLEMS: 200, PLANS: 100}, 1 / 3, False),
    ({PRACTICES: 600, PROBLEMS: 0, PLANS: 300}, 1 / 3, True),
    ({PRACTICES: 700, PROBLEMS: 200, PLANS: 0}, 1 / 3, False),  # part 三 found, but empty
    ({PRACTICES: 1000, PROBLEMS: 100, PLANS: 200}, 0.333, False),  # a denominator of 1000
    ({PRACTICES: 1000, PROBLEMS: 100, PLANS: 200}, 0.333, True),
])
def test_the_words_needed_alone_or_with_part_three(
    parts: dict[str, int], share: float, alone: bool
) -> None:
    m = replace(BASE, parts=parts)
    problems = parts[PROBLEMS] + (0 if alone else parts[PLANS])
    expected = _exact_need(problems, sum(parts.values()), Fraction(share).limit_denominator(1000))
    assert need_words(m, share, alone) == expected


def test_two_parts_out_of_order_are_said() -> None:
    structure = replace(BASE.structure, order=[PLANS, PROBLEMS])
    messages = _messages("parts", replace(BASE, structure=structure))
    assert any("顺序为“下步工作打算、存在问题及原因分析”" in text for text in messages)


def test_a_topic_answered_in_substance_quotes_four_of_its_words() -> None:
    words = ["集体经济", "合作社", "产业", "招商", "项目"]
    m = replace(BASE, topics={**BASE.topics, "拼经济搞建设": words},
                topic_levels={**BASE.topic_levels, "拼经济搞建设": SUBSTANCE})
    (message,) = _messages("topics", m)
    assert "（集体经济、合作社、产业、招商等）" in message


@pytest.mark.parametrize(("appointed", "warned"), [
    # No deadline: the months run to the end of the year (2023-12).
    (date(2023, 6, 30), False), (date(2023, 7, 1), True), (date(2023, 12, 31), True),
])
def test_short_tenure_counts_to_the_years_end_without_a_deadline(
    appointed: date, warned: bool
) -> None:
    context = Context(replace(SETTINGS, deadline=None), appointed=appointed)
    assert bool(_messages("short_tenure", replace(BASE, research=False), context)) is warned


@dataclass(frozen=True)
class _Match:
    text: str
    other_org: str = "松林坪村"
    last_year: bool = False
    score: float = 0.9
    index: int = 0


@pytest.mark.parametrize(("count", "said"), [(1, "有一句话"), (2, "有2 句话"), (3, "有3 句话")])
def test_one_sentence_or_several(count: int, said: str) -> None:
    similar = tuple(_Match(f"第{i}句相似的话", index=i) for i in range(count))
    (message,) = _messages("similarity", BASE, Context(SETTINGS, similar=similar))
    assert said in message


def test_a_copy_of_last_year_leaves_the_other_orgs_matches_said() -> None:
    text = "甲" * 100
    similar = (_Match("甲" * 60, other_org="青杠湾村", last_year=True), _Match("甲" * 10, index=1),
               _Match("乙" * 10, other_org="白鹭溪村", index=2))
    findings = RULES["similarity"].check(replace(BASE, text=text), Context(SETTINGS,
                                                                          similar=similar))
    assert [severity for severity, _, _ in findings] == [Severity.ERROR, Severity.WARNING,
                                                          Severity.WARNING]


@pytest.mark.parametrize(("text", "copied", "share"), [
    ("", "甲", 1.0),  # an empty report: the share is capped, never divided by zero
    ("甲乙", "甲", 0.5), ("甲 乙\n丙丁", "甲", 0.25),
])
def test_copied_share_counts_characters_without_spaces(text: str, copied: str,
                                                       share: float) -> None:
    assert copied_share(replace(BASE, text=text), [_Match(copied)]) == share


LONG = "甲" * 30 + "XX" + "乙" * 30


@pytest.mark.parametrize(("text", "start", "quote"), [
    (LONG, 30, "甲" * 20 + "XX" + "乙" * 20),  # twenty characters either side
    ("前一行\n" + "甲" * 5 + "XX" + "乙" * 5 + "\n后一行", 9, "甲" * 5 + "XX" + "乙" * 5),
    ("XX" + "乙" * 30, 0, "XX" + "乙" * 20),
    ("甲" * 30 + "XX", 30, "甲" * 20 + "XX"),
    ("\nXX\n", 1, "XX"),
])
def test_the_quote_of_residue_stays_within_its_line(text: str, start: int, quote: str) -> None:
    assert _around(text, start, start + 2) == quote


@pytest.mark.parametrize(("text", "item", "mentioned"), [
    ("整改台账管理", "台账管理不规范", True),  # a run of four characters is enough
    ("整改台账管", "台账管理不规范", False),  # three are not
    ("已经规范", "台账管理不规范", False),
    ("管理不规范问题已整改", "台账管理不规范", True),  # the last run counts too
    ("不规范", "台账管理不规范", False),
    ("台账已建立", "台账", True), ("台", "台账", False),  # a short item: the whole item
    ("台账管理", "台账管理", True), ("台账管", "台账管理", False),
    ("“台账”管理", "台账，管理", False), ("台账管理到位", "台账，管理", True),
])
def test_last_years_item_is_mentioned_by_a_run_of_four(
    text: str, item: str, mentioned: bool
) -> None:
    assert _mentions(text, item) is mentioned


def test_the_exact_need_helper_agrees_with_arithmetic() -> None:
    # 200 of 1000 to one third: (200 + n) / (1000 + n) >= 1/3 first at n = 200.
    assert _exact_need(200, 1000, Fraction(1, 3)) == 200
    assert math.isclose((200 + 200) / (1000 + 200), 1 / 3)


@pytest.mark.parametrize(("extra", "what", "quoted"), [
    ("（主要包括学习教育、制度建设等）", "说明文字", "（主要包括"),
    ("此部分不少于整个篇幅的1/3。", "说明文字", "此部分不少于整个篇幅"),
    ("一是……………………", "省略号占位", "……………………"),
    ("二是202X年", "年份占位", "202X年"),
])
def test_each_kind_of_residue_is_found_on_its_own(extra: str, what: str, quoted: str) -> None:
    # A pattern whose quick test rules it out must not stop the patterns after it.
    m = measure(report_text(report_lines(extra={"problems": extra})), SETTINGS)
    assert _messages("template_residue", m) == [
        f"留有提纲模板中的{what}“{quoted}”，请删除或替换为实际内容"]
