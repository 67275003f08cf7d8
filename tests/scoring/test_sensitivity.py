"""Sensitivity of the 建议等次 to the weights (±0.1) and to leaving problem ballots out."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongjia_xls.scoring.bands import Bands, Quota
from tongjia_xls.scoring.composite import Components, WeightsError
from tongjia_xls.scoring.grades import exact
from tongjia_xls.scoring.sensitivity import EXCLUDE_FLAGGED, sensitivity, shifted_weights

BANDS = Bands(90, 80, 70)
NO_QUOTA = Quota(0, 0)  # isolates the bands: only scores move grades


def test_labels_show_the_rescaled_weights() -> None:
    labels = [s.label for s in sensitivity([], (0.3, 0.3, 0.4), BANDS, NO_QUOTA)]
    assert labels == [
        "平时考核权重 +0.1（0.40 / 0.26 / 0.34）",
        "平时考核权重 −0.1（0.20 / 0.34 / 0.46）",
        "实地调研权重 +0.1（0.26 / 0.40 / 0.34）",
        "实地调研权重 −0.1（0.34 / 0.20 / 0.46）",
        "现场述职权重 +0.1（0.25 / 0.25 / 0.50）",
        "现场述职权重 −0.1（0.35 / 0.35 / 0.30）",
    ]


@pytest.mark.parametrize(
    ("weights", "index", "delta", "expected"),
    [
        ((0.3, 0.3, 0.4), 0, 0.1, (0.4, 0.6 * 3 / 7, 0.6 * 4 / 7)),
        ((0.3, 0.3, 0.4), 2, -0.1, (0.35, 0.35, 0.3)),
        ((0.05, 0.45, 0.5), 0, -0.1, None),  # would be negative
        ((0, 0, 1), 2, 0.1, None),  # the others would be negative
        ((0, 0, 1), 0, 0.1, (0.1, 0.0, 0.9)),
        ((0.5, 0.5, 0), 2, 0.1, (0.45, 0.45, 0.1)),
        ((0, 1, 0), 1, -0.1, (0.05, 0.9, 0.05)),  # no proportion to keep: shared equally
    ],
)
def test_shifted_weights(
    weights: tuple[float, float, float], index: int, delta: float,
    expected: tuple[float, float, float] | None,
) -> None:
    result = shifted_weights(weights, index, delta)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected, abs=1e-12)


def test_scenarios_that_would_make_a_weight_negative_are_skipped() -> None:
    labels = [s.label for s in sensitivity([], (0, 0, 1), BANDS, NO_QUOTA)]
    assert labels == [
        "平时考核权重 +0.1（0.10 / 0.00 / 0.90）",
        "实地调研权重 +0.1（0.00 / 0.10 / 0.90）",
        "现场述职权重 −0.1（0.05 / 0.05 / 0.90）",
    ]


def test_weights_summing_to_point_nine_are_refused() -> None:
    with pytest.raises(WeightsError, match=re.escape("三项权重之和为 0.9，应为 1")):
        sensitivity([Components("甲村", 90, 90, 90)], (0.3, 0.3, 0.3), BANDS, NO_QUOTA)


def test_counts_the_grades_a_weight_changes() -> None:
    components = [
        Components("甲村", 100, 85, 85),  # 89.5 → 较好; 91.0 → 好 with 平时考核 0.4
        Components("乙村", 95, 95, 95),  # 好 whatever the weights
    ]
    scenarios = {s.label.split("（")[0]: s for s in sensitivity(components, (0.3, 0.3, 0.4),
                                                                  BANDS, NO_QUOTA)}
    up = scenarios["平时考核权重 +0.1"]
    assert (up.changed, up.orgs, up.details) == (1, ("甲村",), ("甲村：较好→好",))
    assert scenarios["平时考核权重 −0.1"].changed == 0
    assert all(s.weights is not None for s in scenarios.values())


def test_a_robust_ranking_changes_nothing() -> None:
    components = [Components(f"{i}村", 60 + i * 3, 60 + i * 3, 60 + i * 3) for i in range(12)]
    scenarios = sensitivity(components, (0.3, 0.3, 0.4), BANDS, Quota(0.15, 1))
    assert [s.changed for s in scenarios] == [0] * 6


def test_leaving_problem_ballots_out() -> None:
    components = [
        Components("甲村", 90, 90, None, 92.0),  # 90.8 → 好; without flagged ballots 85 → 88.0
        Components("乙村", 90, 90, 95.0, 92.0),  # staff typed 现场述职: ballots do not matter
        Components("丙村", 90, 90, None, 92.0),  # not in the mapping: keeps its 测评得分
        Components("丁村", 90, 90, None, 92.0),  # no valid ballot left: no score, no grade
    ]
    alternative = {"甲村": 85.0, "乙村": 70.0, "丁村": None}
    scenarios = sensitivity(components, (0.3, 0.3, 0.4), BANDS, NO_QUOTA,
                            alternative_onsite=alternative)
    last = scenarios[-1]
    assert last.label == EXCLUDE_FLAGGED
    assert last.orgs == ("甲村", "丁村")
    assert last.details == ("甲村：好→较好", "丁村：好→无")
    assert len(scenarios) == 7
    assert EXCLUDE_FLAGGED not in [s.label for s in sensitivity(components, (0.3, 0.3, 0.4),
                                                                 BANDS, NO_QUOTA)]


def test_vetoes_hold_in_every_scenario() -> None:
    components = [Components("甲村", 100, 100, 100), Components("乙村", 70, 70, 70)]
    scenarios = sensitivity(components, (0.3, 0.3, 0.4), BANDS, NO_QUOTA, {"甲村": "违纪"})
    assert all("甲村" not in s.orgs for s in scenarios)


weights = st.lists(st.integers(0, 100), min_size=3, max_size=3).filter(any).map(
    lambda parts: tuple(Fraction(p, sum(parts)) for p in parts)
)


@given(weights, st.integers(0, 2), st.sampled_from([Fraction(1, 10), Fraction(-1, 10)]))
def test_shifted_weights_still_sum_to_one(
    base: tuple[Fraction, Fraction, Fraction], index: int, delta: Fraction
) -> None:
    result = shifted_weights(base, index, delta)
    if result is None:
        assert not 0 <= base[index] + delta <= 1
        return
    assert abs(sum(result) - 1) < 1e-9
    assert all(w >= 0 for w in result)
    assert result[index] == pytest.approx(float(base[index] + delta))
    others = [i for i in range(3) if i != index]
    a, b = (exact(result[i]) for i in others)
    if base[others[0]] and base[others[1]]:  # the other two keep their proportion
        assert float(a / b) == pytest.approx(float(base[others[0]] / base[others[1]]))
