"""The ``similarity`` rule: near-duplicate passages between reports (防止走过场)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Mapping

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tongjia_xls.reports.similarity import (
    Match,
    find_similar,
    split_passages,
    summarize,
)

# Sentences a secretary could write, on unrelated subjects; {org} and {n} vary per report.
STUDY = "{org}党支部坚持每月{n}日开展主题党日活动，全年组织党员集中学习{n}次，参学率达到{n}%以上。"
INCOME = "围绕柑橘产业发展，我牵头成立专业合作社，带动{n}户群众增收，村集体经济收入达到{n}万元。"
SAFETY = (
    "针对汛期地质灾害隐患，组织党员干部开展拉网式排查{n}次，"
    "整改安全隐患{n}处，确保群众生命财产安全。"
)
VISITS = "我带头走访困难党员和留守老人{n}户，收集群众急难愁盼问题{n}条，已全部办结并及时反馈到户。"
RULES = "严格落实“三会一课”制度，规范开展组织生活会和民主评议党员，党员教育管理更加规范有序。"
GRID = "推行网格化管理，将全村划分为{n}个网格，每个网格配备一名党员网格员，矛盾纠纷就地化解。"
CAUSE = "本人对党建工作重视程度不够，存在重业务轻党建的倾向，研究部署党建工作的次数明显偏少。"
YOUTH = "发展党员工作把关不严，后备力量培养不足，近三年仅发展年轻党员{n}名，党员队伍老龄化突出。"
PLAN = "明年我将聚焦乡村振兴，深化“党支部+合作社+农户”模式，力争{org}集体经济收入突破{n}万元。"
CLEAN = "持续推进人居环境整治，组织开展卫生大扫除{n}次，清理河道垃圾{n}吨，村容村貌明显改善。"
COOP = "依托{stem}柑橘专业合作社盘活闲置土地{n}亩，带动周边群众{n}户，户均增收{n}元以上。"
# SAFETY with one two-character word changed (排查 → 巡查): a lightly edited copy.
SAFETY_EDITED = SAFETY.replace("排查", "巡查")
SHORT = "全年召开支部委员会十二次。"
HEADINGS = (
    "2024年度抓基层党建工作述职报告\n根据会议安排，现就2024年度抓基层党建工作情况述职如下：\n"
    "一、主要做法和成效\n（一）加强政治建设方面\n（二）服务保障中心大局方面\n"
    "二、存在问题及原因分析\n三、下步工作打算\n以上述职，请各位领导和同志们评议。"
)


def fill(template: str, org: str, n: int = 12) -> str:
    stem = org.removesuffix("村").removesuffix("社区")
    return template.format(org=org, stem=stem, n=n)


def report(org: str, *templates: str, n: int = 12) -> str:
    return "\n".join(fill(t, org, n) for t in templates)


def pairs(matches: list[Match]) -> set[tuple[str, str, bool]]:
    return {(m.org, m.other_org, m.last_year) for m in matches}


A, B, C, D, E = "青杠湾村", "松林坪村", "白鹭溪村", "金竹岭村", "童心街社区"

CASES: list[tuple[str, dict[str, str], dict[str, str] | None, set[tuple[str, str, bool]]]] = [
    (
        "identical sentence in two orgs",
        {A: report(A, RULES, INCOME), B: report(B, RULES, SAFETY)},
        None,
        {(B, A, False)},  # sorted by org name: 松林坪村 < 青杠湾村 in code point order
    ),
    (
        "changed figures and org name",
        {A: report(A, STUDY, n=12), B: report(B, STUDY, n=7)},
        None,
        {(B, A, False)},
    ),
    (
        "org name stem replaced",
        {A: report(A, COOP, SAFETY, n=30), B: report(B, COOP, n=45)},
        None,
        {(B, A, False)},
    ),
    (
        "a lightly edited copy",
        {A: report(A, SAFETY, VISITS), B: report(B, SAFETY_EDITED, GRID)},
        None,
        {(B, A, False)},
    ),
    (
        "unrelated sentences",
        {A: report(A, STUDY, INCOME, SAFETY), B: report(B, VISITS, RULES, GRID)},
        None,
        set(),
    ),
    (
        "short passages ignored",
        {A: report(A, SHORT, INCOME), B: report(B, SHORT, SAFETY)},
        None,
        set(),
    ),
    (
        "heading and outline lines ignored",
        {A: HEADINGS + "\n" + fill(INCOME, A), B: HEADINGS + "\n" + fill(SAFETY, B)},
        None,
        set(),
    ),
    (
        "shared by more than half of the reports",
        {
            A: report(A, CAUSE, INCOME),
            B: report(B, CAUSE, SAFETY),
            C: report(C, CAUSE, VISITS),
            D: report(D, GRID),
            E: report(E, CLEAN),
        },
        None,
        set(),
    ),
    (
        "shared by two of five reports",
        {
            A: report(A, CAUSE, INCOME),
            B: report(B, CAUSE, SAFETY),
            C: report(C, VISITS),
            D: report(D, GRID),
            E: report(E, CLEAN),
        },
        None,
        {(B, A, False)},
    ),
    (
        "last year's own report copied",
        {A: report(A, STUDY, INCOME, n=9)},
        {A: report(A, STUDY, PLAN, n=15)},
        {(A, A, True)},
    ),
    (
        "last year's report of another org is not compared",
        {A: report(A, INCOME), B: report(B, GRID)},
        {B: report(B, INCOME)},
        set(),
    ),
    (
        "no self-match within one report",
        {A: report(A, RULES, INCOME, RULES), B: report(B, SAFETY)},
        None,
        set(),
    ),
]


@pytest.mark.parametrize(
    ("reports", "last_year", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_cases(
    reports: dict[str, str],
    last_year: dict[str, str] | None,
    expected: set[tuple[str, str, bool]],
) -> None:
    found = find_similar(reports, last_year)
    assert pairs(found) == expected
    assert all(0.8 <= m.score <= 1.0 for m in found)


@pytest.mark.parametrize(
    ("shared", "expected"),
    [(HEADINGS, set()), (SHORT, {(B, A, False)})],
    ids=["outline lines are on the stop-list", "a short sentence is not"],
)
def test_stop_list_without_a_length_floor(
    shared: str, expected: set[tuple[str, str, bool]]
) -> None:
    reports = {A: shared + "\n" + fill(INCOME, A), B: shared + "\n" + fill(SAFETY, B)}
    assert pairs(find_similar(reports, min_chars=0)) == expected


def test_match_quotes_both_passages_as_written() -> None:
    reports = {A: report(A, INCOME, STUDY, n=12), B: report(B, STUDY, n=7)}
    [match] = find_similar(reports)
    assert match == Match(
        org=B,
        other_org=A,
        last_year=False,
        text=fill(STUDY, B, 7),
        other_text=fill(STUDY, A, 12),
        score=1.0,
        index=0,
        other_index=1,
    )


def test_min_chars_counts_characters_without_punctuation() -> None:
    sentence = "本人对党建工作重视程度不够，存在重业务轻党建的倾向，研究部署党建工作偏少。"
    length = len(sentence) - 3  # two commas and the full stop do not count
    reports = {A: sentence, B: sentence}
    assert len(find_similar(reports, min_chars=length)) == 1
    assert find_similar(reports, min_chars=length + 1) == []


def test_same_result_whatever_the_hash_seed() -> None:
    # MinHash must not depend on Python's per-process randomized hash().
    code = (
        "from tongjia_xls.reports.similarity import find_similar;"
        f"print(find_similar({{'{A}': {fill(STUDY, A)!r} + {fill(SAFETY, A)!r},"
        f" '{B}': {fill(STUDY, B, 3)!r} + {fill(SAFETY_EDITED, B)!r}}}))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
    assert "score=1.0" in outputs.pop()


def test_edited_copy_scores_below_one() -> None:
    [match] = find_similar({A: fill(SAFETY, A), B: fill(SAFETY_EDITED, B)})
    assert 0.8 <= match.score < 1.0
    assert find_similar({A: fill(SAFETY, A), B: fill(SAFETY_EDITED, B)}, threshold=0.95) == []


def test_passages_split_on_sentence_ends_and_lines() -> None:
    text = "第一句。第二句！第三句？“第四句；”\n\n  第五句"
    assert [p.text for p in split_passages(A, text)] == [
        "第一句。",
        "第二句！",
        "第三句？",
        "“第四句；”",
        "第五句",
    ]


def test_summarize_lists_each_match_under_both_orgs() -> None:
    reports = {A: report(A, RULES), B: report(B, RULES, STUDY)}
    summary = summarize(find_similar(reports, {B: report(B, STUDY, n=3)}))
    assert set(summary) == {A, B}
    assert [(m.org, m.other_org, m.last_year) for m in summary[A]] == [(A, B, False)]
    assert {(m.other_org, m.last_year) for m in summary[B]} == {(A, False), (B, True)}
    assert all(m.text.startswith("严格") or m.last_year for m in summary[B])


@pytest.mark.parametrize("threshold", [0.0, -0.1, 1.5])
def test_threshold_out_of_range_is_refused(threshold: float) -> None:
    with pytest.raises(ValueError, match="threshold"):
        find_similar({A: "x"}, threshold=threshold)


# Property-based: reports drawn from the sentences above, with near-duplicates among them.
ORGS = (A, B, C, D, E)
POOL = (STUDY, INCOME, SAFETY, SAFETY_EDITED, VISITS, GRID, PLAN, CAUSE, COOP)
UNRELATED = (RULES, YOUTH, CLEAN)

sentences = st.lists(
    st.tuples(st.sampled_from(POOL), st.integers(1, 999)), min_size=0, max_size=4
)
report_sets = st.dictionaries(st.sampled_from(ORGS), sentences, min_size=1, max_size=5)


def render(drawn: Mapping[str, list[tuple[str, int]]]) -> dict[str, str]:
    return {org: "".join(fill(t, org, n) for t, n in items) for org, items in drawn.items()}


@settings(deadline=None, max_examples=60)
@given(report_sets, report_sets, st.randoms(use_true_random=False))
def test_input_order_does_not_matter(
    drawn: dict[str, list[tuple[str, int]]],
    past: dict[str, list[tuple[str, int]]],
    rnd: random.Random,
) -> None:
    reports, last_year = render(drawn), render(past)
    items = list(reports.items())
    rnd.shuffle(items)
    shuffled = find_similar(dict(items), dict(reversed(last_year.items())))
    assert set(shuffled) == set(find_similar(reports, last_year))


@settings(deadline=None, max_examples=60)
@given(report_sets, report_sets, st.lists(st.sampled_from(UNRELATED), min_size=1))
def test_an_unrelated_report_removes_no_match(
    drawn: dict[str, list[tuple[str, int]]],
    past: dict[str, list[tuple[str, int]]],
    unrelated: list[str],
) -> None:
    reports, last_year = render(drawn), render(past)
    before = set(find_similar(reports, last_year))
    extra = "".join(fill(t, "观音岩村", 7) for t in unrelated)
    assert before <= set(find_similar({**reports, "观音岩村": extra}, last_year))


@settings(deadline=None, max_examples=60)
@given(
    report_sets,
    report_sets,
    st.floats(0.05, 1.0),
    st.floats(0.05, 1.0),
)
def test_raising_the_threshold_adds_no_match(
    drawn: dict[str, list[tuple[str, int]]],
    past: dict[str, list[tuple[str, int]]],
    one: float,
    two: float,
) -> None:
    low, high = sorted((one, two))
    reports, last_year = render(drawn), render(past)
    strict = set(find_similar(reports, last_year, threshold=high))
    assert strict <= set(find_similar(reports, last_year, threshold=low))
    assert all(m.score >= high for m in strict)


def test_a_flipped_match_swaps_every_pair_of_fields_and_nothing_else() -> None:
    from dataclasses import fields, replace

    from tongjia_xls.reports.similarity import Match, _flip

    match = Match("甲村", "乙村", False, "甲的话", "乙的话", 0.75, 3, 9)
    flipped = _flip(match)
    assert flipped == replace(match, org="乙村", other_org="甲村", text="乙的话",
                              other_text="甲的话", index=9, other_index=3)
    assert _flip(flipped) == match
    # A field added to Match must be flipped (or kept) here too.
    assert [f.name for f in fields(Match)] == ["org", "other_org", "last_year", "text",
                                               "other_text", "score", "index", "other_index"]
