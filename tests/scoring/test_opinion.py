"""评价意见 drafts: three movements, 150–250 字, built from the data, deterministic."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tongjia_xls.reports.count import word_count
from tongjia_xls.scoring.opinion import (
    ISSUE_PHRASES,
    MAX_CHARS,
    MIN_CHARS,
    OpinionInput,
    draft_opinion,
    fingerprint,
)

GOOD = OpinionInput(
    org="青杠湾村", secretary="李德明", grade="好", score=95.2, rank_label="1", n=21,
    routine=96, field=94, onsite=95.5, report_verdict="合格", strengths=("产业发展", "党员教育"),
)
WEAK = OpinionInput(
    org="南华路社区", secretary="谢文斌", grade="一般", score=78.0, rank_label="并列19", n=21,
    routine=82, field=80, onsite=72.5, report_verdict="需修改",
    report_issues=("必答题", "问题占三分之一", "述我"),
)


def paragraphs(text: str) -> list[str]:
    return text.split("\n")


@pytest.mark.parametrize("data", [GOOD, WEAK, OpinionInput("白鹭溪村")])
def test_three_paragraphs_in_the_notices_order(data: OpinionInput) -> None:
    praise, problems, plan = paragraphs(draft_opinion(data))
    assert praise.startswith(f"{data.org}党组织书记")
    assert problems.startswith("同时也要看到，")
    assert plan.startswith("下一步，要") and plan.endswith("。")
    assert MIN_CHARS <= word_count(draft_opinion(data)) <= MAX_CHARS


def test_a_good_draft_names_grade_rank_and_strengths() -> None:
    text = draft_opinion(GOOD)
    assert "综合得分95.20分，在21个参评党组织中排名第1，等次为“好”。" in text
    assert "产业发展、党员教育" in text
    assert "平时考核得分96.00分" in text  # the strongest component
    assert "示范带动" in text


def test_a_weak_draft_points_at_the_reports_problems_and_the_weakest_component() -> None:
    praise, problems, plan = paragraphs(draft_opinion(WEAK))
    assert "排名并列第19" in praise
    assert "对拼经济搞建设、防风险保安全等必答题回应不够" in problems
    assert "现场述职得分相对较低（72.50分）" in problems
    assert "围绕拼经济搞建设、防风险保安全发挥党组织作用" in plan
    assert "整改" in plan


def test_rules_of_one_kind_are_said_once() -> None:
    data = OpinionInput("甲村", "张三", "较好", 88.0, "5", 21,
                        report_issues=("问题占三分之一", "述我", "原因分析", "self"))
    text = draft_opinion(data)
    assert text.count("查摆问题不够深入，自我剖析不够") == 1
    assert text.count("把自己摆进去") == 1


@pytest.mark.parametrize(
    ("issue", "phrase"),
    [
        ("必答题", "对拼经济搞建设、防风险保安全等必答题回应不够"),
        ("topics", "对拼经济搞建设、防风险保安全等必答题回应不够"),
        ("问题占三分之一", "查摆问题不够深入，自我剖析不够"),
        ("原因分析", "查摆问题不够深入，自我剖析不够"),
        ("述我", "查摆问题不够深入，自我剖析不够"),
        ("数据举例", "用具体实例和数据说话不够"),
        ("上年度整改", "对上年度查摆问题的整改情况回应不够"),
        ("雷同", "结合本村（社区）实际不够"),
    ],
)
def test_report_findings_become_concrete_phrases(issue: str, phrase: str) -> None:
    assert phrase in ISSUE_PHRASES[issue]
    text = draft_opinion(OpinionInput("甲村", "张三", "较好", 88.0, "5", 21,
                                      report_issues=(issue,)))
    assert phrase in paragraphs(text)[1]


def test_an_unknown_finding_is_still_mentioned() -> None:
    text = draft_opinion(OpinionInput("甲村", report_issues=("排版",)))
    assert "“排版”方面还有不足" in text


def test_an_unreadable_report_asks_staff_to_fill_in() -> None:
    text = draft_opinion(OpinionInput("甲村", report_verdict="无法读取"))
    assert "请对照原件补充存在的问题" in text


@pytest.mark.parametrize(
    ("grade", "words"),
    [("好", "成效明显"), ("较好", "重点任务推进较好"), ("一般", "取得了一定成效"),
     ("差", "较大差距"), (None, "按要求推进各项工作"), ("优秀", "按要求推进各项工作")],
)
def test_the_tone_follows_the_grade(grade: str | None, words: str) -> None:
    assert words in draft_opinion(OpinionInput("甲村", "张三", grade, 80.0, "10", 21))


def test_drafts_are_deterministic() -> None:
    assert draft_opinion(WEAK) == draft_opinion(WEAK)
    assert fingerprint(draft_opinion(WEAK)) == fingerprint(draft_opinion(WEAK))


def test_fingerprint_tells_edits_from_round_trips() -> None:
    text = draft_opinion(GOOD)
    mark = fingerprint(text)
    assert len(mark) == 16 and int(mark, 16) >= 0
    assert fingerprint(text.replace("\n", "\r\n") + "  ") == mark  # Excel round trip
    assert fingerprint(text.replace("成效明显", "成效显著")) != mark
    assert fingerprint("") != fingerprint("。")


components = st.one_of(st.none(), st.integers(50, 100).map(float))
inputs = st.builds(
    OpinionInput,
    org=st.sampled_from(["青杠湾村", "南华路社区", "金竹岭村", "童家镇某某某某某村"]),
    secretary=st.one_of(st.none(), st.sampled_from(["李德明", "欧阳春梅", ""])),
    grade=st.sampled_from([None, "好", "较好", "一般", "差"]),
    score=components,
    rank_label=st.sampled_from(["", "1", "并列2", "21"]),
    n=st.sampled_from([0, 21]),
    routine=components,
    field=components,
    onsite=components,
    report_verdict=st.sampled_from([None, "合格", "需修改", "无法读取"]),
    report_issues=st.lists(st.sampled_from(sorted(ISSUE_PHRASES)), max_size=8).map(tuple),
    strengths=st.lists(st.sampled_from(["产业发展", "党员教育", "基层治理", "乡村振兴"]),
                       max_size=3).map(tuple),
)


@settings(max_examples=300)
@given(inputs)
def test_every_draft_fits_the_length_and_shape(data: OpinionInput) -> None:
    text = draft_opinion(data)
    assert MIN_CHARS <= word_count(text) <= MAX_CHARS, text
    assert len(paragraphs(text)) == 3
    assert "None" not in text and "，，" not in text and "。。" not in text
