"""Every threshold of the checks, exactly at it and one step either side.

Each table is written so that flipping one comparison (``<`` for ``<=``, ``3`` for ``2``)
or the rule runner's ``continue`` for ``break`` fails at least one row; see
docs/mutation.md for the mutants these rows were written against.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pytest

from helpers import report_lines, report_text
from tongjia_xls.errors import Severity
from tongjia_xls.reports.measure import NONE, SUBSTANCE, Measures, measure, topic_level
from tongjia_xls.reports.rules import RULES, Context, Finding, run_rules
from tongjia_xls.reports.structure import PLANS, PRACTICES, PROBLEMS
from tongjia_xls.settings import SHARE_BASIS_PART_TWO, Settings

SETTINGS = Settings()
BASE = measure(report_text(report_lines()), SETTINGS)
W = Severity.WARNING
E = Severity.ERROR


def _said(rule: str, m: Measures, context: Context | None = None) -> list[Severity]:
    return [severity for severity, _, _ in RULES[rule].check(m, context or Context(SETTINGS))]


def _messages(rule: str, m: Measures, context: Context | None = None) -> list[str]:
    return [message for _, message, _ in RULES[rule].check(m, context or Context(SETTINGS))]


def test_the_base_report_passes_every_rule() -> None:
    # Every row below changes one measure of this report; nothing else may speak.
    assert run_rules(BASE, Context(SETTINGS)) == []


# -- 篇幅比例: 做法成效 65 %—70 %, 问题和打算 30 %—35 % ------------------------------------

@pytest.mark.parametrize(("parts", "practices_warned", "rest_warned"), [
    ({PRACTICES: 649, PROBLEMS: 200, PLANS: 151}, True, True),  # 64.9 % / 35.1 %
    ({PRACTICES: 650, PROBLEMS: 200, PLANS: 150}, False, False),  # exactly 65 % / 35 %
    ({PRACTICES: 651, PROBLEMS: 200, PLANS: 149}, False, False),
    ({PRACTICES: 699, PROBLEMS: 200, PLANS: 101}, False, False),
    ({PRACTICES: 700, PROBLEMS: 200, PLANS: 100}, False, False),  # exactly 70 % / 30 %
    ({PRACTICES: 701, PROBLEMS: 200, PLANS: 99}, True, True),  # 70.1 % / 29.9 %
])
def test_shares_at_65_and_70_percent(
    parts: dict[str, int], practices_warned: bool, rest_warned: bool
) -> None:
    messages = _messages("shares", replace(BASE, parts=parts))
    assert any("主要做法和成效" in m for m in messages) is practices_warned
    assert any("合计占" in m for m in messages) is rest_warned
    assert all(severity is W for severity in _said("shares", replace(BASE, parts=parts)))


@pytest.mark.parametrize(("low", "high", "share", "warned"), [
    # Settings where the two limits differ from the notice's, each limit hit exactly.
    (0.6, 0.8, 0.6, False), (0.6, 0.8, 0.599, True), (0.6, 0.8, 0.8, False),
    (0.6, 0.8, 0.801, True), (0.5, 0.5, 0.5, False), (0.5, 0.5, 0.501, True),
])
def test_practices_share_limits_from_the_settings(
    low: float, high: float, share: float, warned: bool
) -> None:
    practices = round(share * 1000)
    settings = replace(SETTINGS, practices_share_min=low, practices_share_max=high,
                       problems_plans_share_min=0.0, problems_plans_share_max=1.0)
    m = replace(BASE, parts={PRACTICES: practices, PROBLEMS: 1000 - practices, PLANS: 0})
    assert bool(_said("shares", m, Context(settings))) is warned


@pytest.mark.parametrize(("low", "high", "rest", "warned"), [
    (0.2, 0.4, 200, False), (0.2, 0.4, 199, True), (0.2, 0.4, 400, False),
    (0.2, 0.4, 401, True),
])
def test_problems_plans_share_limits_from_the_settings(
    low: float, high: float, rest: int, warned: bool
) -> None:
    settings = replace(SETTINGS, problems_plans_share_min=low, problems_plans_share_max=high,
                       practices_share_min=0.0, practices_share_max=1.0)
    m = replace(BASE, parts={PRACTICES: 1000 - rest, PROBLEMS: rest, PLANS: 0})
    assert bool(_said("shares", m, Context(settings))) is warned


# -- 问题占三分之一 and its tolerance --------------------------------------------------------

@pytest.mark.parametrize(("parts", "said"), [
    ({PRACTICES: 200, PROBLEMS: 100, PLANS: 0}, []),  # part 二 alone, exactly one third
    ({PRACTICES: 201, PROBLEMS: 100, PLANS: 0}, [W]),
    ({PRACTICES: 199, PROBLEMS: 100, PLANS: 0}, []),
    ({PRACTICES: 200, PROBLEMS: 99, PLANS: 1}, [W]),  # part 三 does not count then
])
def test_one_third_of_part_two_alone(parts: dict[str, int], said: list[Severity]) -> None:
    settings = replace(SETTINGS, problems_share_basis=SHARE_BASIS_PART_TWO)
    assert _said("problems_third", replace(BASE, parts=parts), Context(settings)) == said


@pytest.mark.parametrize(("parts", "said"), [
    # 1/2 − 1/4 is exact in binary: the share 1/4 stands exactly on the tolerance's edge.
    ({PRACTICES: 3, PROBLEMS: 1, PLANS: 0}, [W]),
    ({PRACTICES: 301, PROBLEMS: 99, PLANS: 0}, [E]),  # 24.75 %
    ({PRACTICES: 299, PROBLEMS: 101, PLANS: 0}, [W]),  # 25.25 %
    ({PRACTICES: 1, PROBLEMS: 1, PLANS: 0}, []),  # exactly one half
    ({PRACTICES: 101, PROBLEMS: 99, PLANS: 0}, [W]),
])
def test_the_tolerance_edge_is_a_warning(parts: dict[str, int], said: list[Severity]) -> None:
    settings = replace(SETTINGS, problems_share_min=0.5, share_tolerance=0.25)
    assert _said("problems_third", replace(BASE, parts=parts), Context(settings)) == said


@pytest.mark.parametrize(("parts", "said"), [
    ({PRACTICES: 103, PROBLEMS: 30, PLANS: 17}, [W]),  # 47/150: one third less 2 points
    ({PRACTICES: 104, PROBLEMS: 30, PLANS: 16}, [E]),  # 46/150
    ({PRACTICES: 102, PROBLEMS: 30, PLANS: 18}, [W]),  # 48/150
])
def test_the_default_tolerance_of_two_points(parts: dict[str, int], said: list[Severity]) -> None:
    assert _said("problems_third", replace(BASE, parts=parts)) == said


# -- 条数: at least three problems and three plans ------------------------------------------

@pytest.mark.parametrize(("problems", "plans", "said"), [
    (2, 3, ["问题有 2 条"]), (3, 3, []), (3, 2, ["打算有 2 条"]),
    (2, 2, ["问题有 2 条", "打算有 2 条"]), (0, 3, ["问题有 0 条"]),
])
def test_two_items_are_not_three(problems: int, plans: int, said: list[str]) -> None:
    assert len(BASE.problems) == len(BASE.plans) == 3
    m = replace(BASE, problems=BASE.problems[:problems], plans=BASE.plans[:plans])
    messages = _messages("items", m)
    assert len(messages) == len(said)
    assert all(part in message for part, message in zip(said, messages, strict=True))


# -- 数据举例 ---------------------------------------------------------------------------

@pytest.mark.parametrize(("need", "found", "warned"), [
    (5, 4, True), (5, 5, False), (5, 6, False), (1, 0, True), (1, 1, False), (0, 0, False),
])
def test_data_points_at_the_minimum(need: int, found: int, warned: bool) -> None:
    m = replace(BASE, data_points=[f"{n}次" for n in range(1, found + 1)])
    settings = replace(SETTINGS, data_points_min=need)
    assert bool(_said("data", m, Context(settings))) is warned


# -- 述我: one first-person word is enough, none is not ---------------------------------------

@pytest.mark.parametrize(("first_person", "warned"), [(0, True), (1, False), (2, False)])
def test_one_first_person_word_is_enough(first_person: int, warned: bool) -> None:
    assert bool(_said("self", replace(BASE, first_person=first_person))) is warned


# -- 任职较短: months served against 任职较短月数 ---------------------------------------------

@pytest.mark.parametrize(("appointed", "warned"), [
    # 报送截止日期 2024-01-05: the months are counted from the appointment's month to it.
    (date(2023, 7, 1), False),  # 6 months: not short
    (date(2023, 8, 31), True),  # 5 months
    (date(2024, 1, 1), True),  # 0 months: appointed in the deadline's month
    (date(2024, 2, 1), False),  # -1: a date after the deadline is a typing error, not new
])
def test_short_tenure_at_six_months(appointed: date, warned: bool) -> None:
    m = replace(BASE, research=False)
    assert bool(_said("short_tenure", m, Context(SETTINGS, appointed=appointed))) is warned


@pytest.mark.parametrize(("months", "warned"), [(5, False), (6, False), (7, True)])
def test_short_tenure_months_from_the_settings(months: int, warned: bool) -> None:
    settings = replace(SETTINGS, short_tenure_months=months)
    m = replace(BASE, research=False)
    context = Context(settings, appointed=date(2023, 7, 15))  # 6 months served
    assert bool(_said("short_tenure", m, context)) is warned


# -- 年度 -----------------------------------------------------------------------------

@pytest.mark.parametrize(("year", "warned"), [(2022, True), (2023, False), (2024, True)])
def test_a_title_of_another_year_either_way(year: int, warned: bool) -> None:
    lines = report_lines(title=f"{year}年度抓基层党建工作述职报告")
    assert bool(_said("year", measure(report_text(lines), SETTINGS))) is warned


# -- 字数 by Word against WPS -------------------------------------------------------------

@pytest.mark.parametrize(("words", "wps", "said"), [
    (1500, 1499, [W]), (1500, 1500, []), (1501, 1500, []), (1499, 1500, [E, W]),
    (2000, 2001, [W]), (2000, 2000, []), (2001, 2000, [E, W]), (1999, 2000, []),
    (1800, 1700, []), (1400, 1300, [E]), (2100, 2200, [E]),
])
def test_word_and_wps_on_two_sides_of_a_limit(words: int, wps: int, said: list[Severity]) -> None:
    assert _said("words", replace(BASE, words=words, words_wps=wps)) == said


@pytest.mark.parametrize(("low", "high", "words", "said"), [
    (1000, 1000, 1000, []), (1000, 1000, 999, [E]), (1000, 1000, 1001, [E]),
])
def test_word_limits_from_the_settings(
    low: int, high: int, words: int, said: list[Severity]
) -> None:
    settings = replace(SETTINGS, words_min=low, words_max=high)
    m = replace(BASE, words=words, words_wps=words)
    assert _said("words", m, Context(settings)) == said


# -- 实际内容最少词数 ------------------------------------------------------------------------

@pytest.mark.parametrize(("minimum", "text", "level"), [
    (2, "发展集体经济", NONE), (2, "发展集体经济和合作社", SUBSTANCE),
    (3, "发展集体经济和合作社", NONE), (1, "发展集体经济", SUBSTANCE),
    (1, "没有相关内容", NONE),
    (0, "没有相关内容", NONE),  # 0 still asks for one word: no words is no answer
])
def test_substance_words_minimum(minimum: int, text: str, level: str) -> None:
    settings = replace(SETTINGS, substance_words_min=minimum)
    found, _ = topic_level(text, ("拼经济搞建设",), ("集体经济", "合作社", "产业"), settings)
    assert found == level


# -- 照抄上年度比例 -------------------------------------------------------------------------

@dataclass(frozen=True)
class _Match:
    text: str
    score: float = 0.9
    index: int = 0
    other_org: str = "青杠湾村"
    last_year: bool = True


@pytest.mark.parametrize(("share", "copied", "said"), [
    (0.5, 50, [E]), (0.5, 49, [W]), (0.5, 51, [E]), (1.0, 100, [E]), (1.0, 99, [W]),
])
def test_copied_from_last_year_at_the_share(
    share: float, copied: int, said: list[Severity]
) -> None:
    m = replace(BASE, text="甲" * 100)
    settings = replace(SETTINGS, last_year_copy_share=share)
    context = Context(settings, similar=(_Match("甲" * copied),))
    assert _said("similarity", m, context) == said


# -- the rule runner: switching one rule off leaves every other one running -----------------

def _broken() -> tuple[Measures, Context]:
    """Return a report and context that break every rule but 三个板块."""
    m = measure(report_text(report_lines(title="2022年度抓基层党建工作述职报告")), SETTINGS)
    m = replace(
        m, words=1000, words_wps=1000, parts={PRACTICES: 900, PROBLEMS: 50, PLANS: 50},
        aspects={name: [] for name in m.aspects}, problems=[], plans=[], causes=None,
        data_points=[], topic_levels=dict.fromkeys(m.topics, NONE), first_person=0,
        prior_year=[], text=m.text + "XX", research=False,
    )
    context = Context(SETTINGS, appointed=date(2023, 12, 1),
                      similar=(_Match("相似的一句话", last_year=False),))
    return m, context


def _run(disabled: tuple[str, ...]) -> list[Finding]:
    m, context = _broken()
    return run_rules(m, replace(context, settings=replace(SETTINGS, disabled_rules=disabled)))


def test_the_broken_report_breaks_every_rule_but_the_parts() -> None:
    assert {f.rule for f in _run(())} == set(RULES) - {"parts"}


@pytest.mark.parametrize("rule", list(RULES))
@pytest.mark.parametrize("by", ["id", "name"])
def test_switching_one_rule_off_keeps_the_others(rule: str, by: str) -> None:
    everything = _run(())
    off = rule if by == "id" else RULES[rule].name
    assert _run((off,)) == [f for f in everything if f.rule != rule]


def test_switching_two_rules_off_keeps_the_rest_in_order() -> None:
    findings = _run(("字数", "条数"))
    assert [f for f in _run(()) if f.rule not in ("words", "items")] == findings
