"""综合得分: weights, the 现场述职 source, missing components, rounding and 排名."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongjia_xls.errors import UserError
from tongjia_xls.scoring.composite import (
    Components,
    Composite,
    Rank,
    WeightsError,
    check_weights,
    composite_scores,
    rank,
)

WEIGHTS = (0.3, 0.3, 0.4)


def one(component: Components, weights: tuple[float, float, float] = WEIGHTS) -> Composite:
    return composite_scores([component], weights)[0]


@pytest.mark.parametrize(
    ("component", "score", "onsite", "source", "missing"),
    [
        (Components("甲村", 90, 80, 95, 70), 89.0, 95, "staff", ()),
        (Components("甲村", 90, 80, None, 70), 79.0, 70, "ballots", ()),
        (Components("甲村", 90, 80, None, None), None, None, None, ("现场述职",)),
        (Components("甲村", None, 80, 95, None), None, 95, "staff", ("平时考核",)),
        (Components("甲村", None, None, None, None), None, None, None,
         ("平时考核", "实地调研", "现场述职")),
        (Components("甲村", 0, 0, 0, None), 0.0, 0, "staff", ()),  # 0 is a score, not missing
        (Components("甲村", float("nan"), 80, 90, None), None, 90, "staff", ("平时考核",)),
    ],
)
def test_composite(
    component: Components, score: float | None, onsite: float | None, source: str | None,
    missing: tuple[str, ...],
) -> None:
    result = one(component)
    assert (result.score, result.onsite, result.onsite_source, result.missing) == (
        score, onsite, source, missing
    )
    assert (result.note is None) == (not missing)


def test_missing_component_note_says_what_to_fill_in() -> None:
    note = one(Components("甲村", 90, None, None, None)).note
    assert note is not None
    assert "实地调研、现场述职" in note and "不按 0 分算" in note and "测评票" in note


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ((90.0, 85.0, 92.5), 89.5),  # 27 + 25.5 + 37 exactly
        ((88.35, 90.0, 90.0), 89.51),  # 0.3 × 88.35 = 26.505: half up, as Excel shows it
        ((81.65, 80.0, 80.0), 80.5),  # 24.495 + 24 + 32 = 80.495 → 80.50, not 80.49
        ((100.0, 100.0, 1870 / 21), 95.62),  # a 测评得分 of 89.047619…
    ],
)
def test_rounding_is_half_up_on_the_decimal_value(
    values: tuple[float, float, float], expected: float
) -> None:
    assert one(Components("甲村", values[0], values[1], values[2])).score == expected


@pytest.mark.parametrize(
    "weights",
    [(0.3, 0.3, 0.4), (0.2, 0.3, 0.5), (1 / 3, 1 / 3, 1 / 3), (0.33, 0.33, 0.34), (0, 0, 1)],
)
def test_weights_that_sum_to_one_are_accepted(weights: tuple[float, float, float]) -> None:
    assert check_weights(weights) == tuple(float(w) for w in weights)


def test_weights_summing_to_point_nine_are_refused_with_the_sum() -> None:
    with pytest.raises(WeightsError) as caught:
        composite_scores([Components("甲村", 90, 90, 90)], (0.3, 0.3, 0.3))
    message = str(caught.value)
    assert isinstance(caught.value, UserError)
    assert message.startswith("三项权重之和为 0.9，应为 1")
    assert "0.3 / 0.3 / 0.3" in message and "设置" in message


@pytest.mark.parametrize(
    ("weights", "words"),
    [
        ((0.5, 0.6, -0.1), "“现场述职权重”为 -0.1，不能为负数"),
        ((0.5, None, 0.5), "“实地调研权重”不是数字"),
        ((0.5, float("nan"), 0.5), "“实地调研权重”不是数字"),
        ((0.5, 0.5), "现在是 2 项"),
        ((0.4, 0.4, 0.4), "三项权重之和为 1.2"),
    ],
)
def test_unusable_weights(weights: tuple, words: str) -> None:
    with pytest.raises(WeightsError, match=re.escape(words)):
        check_weights(weights)


def test_weights_are_checked_before_anything_is_computed() -> None:
    with pytest.raises(WeightsError):
        composite_scores([], (0.3, 0.3, 0.3))


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ({"甲": 95.0, "乙": 90.0, "丙": 90.0, "丁": 80.0},
         {"甲": Rank(1, False, "1"), "乙": Rank(2, True, "并列2"), "丙": Rank(2, True, "并列2"),
          "丁": Rank(4, False, "4")}),
        ({"甲": None, "乙": 90.0, "丙": float("nan")},
         {"甲": Rank(None, False, ""), "乙": Rank(1, False, "1"), "丙": Rank(None, False, "")}),
        ({"甲": 90.0, "乙": 90.0, "丙": 90.0},
         {org: Rank(1, True, "并列1") for org in "甲乙丙"}),
        ({}, {}),
        ({"甲": 80.0, "乙": 85.0, "丙": 85.0, "丁": 85.0, "戊": 70.0},
         {"甲": Rank(4, False, "4"), "乙": Rank(1, True, "并列1"), "丙": Rank(1, True, "并列1"),
          "丁": Rank(1, True, "并列1"), "戊": Rank(5, False, "5")}),
    ],
)
def test_rank(scores: dict, expected: dict) -> None:
    result = rank(scores)
    assert result == expected
    assert list(result) == list(scores)


def test_ties_are_judged_on_the_displayed_score() -> None:
    a, b = composite_scores(
        [Components("甲", 90.004, 90, 90), Components("乙", 90.0, 90.004, 90)], WEIGHTS
    )
    assert a.score == b.score == 90.0
    assert rank({a.org: a.score, b.org: b.score})["甲"].label == "并列1"


scores = st.one_of(st.none(), st.integers(60, 100).map(float))


@given(st.dictionaries(st.text(min_size=1, max_size=3), scores, max_size=30))
def test_rank_is_standard_competition_ranking(table: dict[str, float | None]) -> None:
    result = rank(table)
    for org, score in table.items():
        if score is None:
            assert result[org] == Rank(None, False, "")
            continue
        higher = sum(1 for s in table.values() if s is not None and s > score)
        equal = sum(1 for s in table.values() if s == score)
        assert result[org].position == higher + 1
        assert result[org].tied == (equal > 1)


components = st.builds(
    Components,
    org=st.just("甲村"),
    routine=st.one_of(st.none(), st.floats(0, 100)),
    field=st.one_of(st.none(), st.floats(0, 100)),
    onsite_typed=st.one_of(st.none(), st.floats(0, 100)),
    ballot_score=st.one_of(st.none(), st.floats(60, 100)),
)


@given(components)
def test_a_composite_is_a_weighted_mean_or_missing(component: Components) -> None:
    result = one(component)
    if result.missing:
        assert result.score is None
        return
    assert result.score is not None and result.onsite is not None
    values = [v for v in (component.routine, component.field, result.onsite) if v is not None]
    assert len(values) == 3
    assert min(values) - 0.005 <= result.score <= max(values) + 0.005
    assert result.score == round(result.score, 2)
