"""The edges of propose_grades: the survivors of the operator mutants of scoring/grading.py.

A quota filled exactly by whole groups (no tie after it), a tie that needs as many below
好 as at 一般/差, the summary's shortfalls only on the side that is short, the count of
moves, a NaN score, and the small-N warning at exactly twice the share.
"""

from __future__ import annotations

import pytest

from tongjia_xls.scoring.bands import Bands, Quota
from tongjia_xls.scoring.grading import propose_grades

BANDS = Bands(90, 80, 70)
QUOTA = Quota(0.15, 1)
SMALL_N = "参评党组织较少"


def high(count: int) -> dict[str, float]:
    """``count`` distinct 好 scores well above the ones a test is about."""
    return {f"上{i:02d}村": 95.0 + i * 0.1 for i in range(count)}


def test_a_quota_filled_exactly_leaves_the_next_group_alone() -> None:
    # N = 7: 2 at 较好 or below, 1 at 一般 or 差. 甲 alone fills 一般, 乙 alone 较好; 丙 and
    # 丁 share the next score and nothing more is needed, so they are no tie.
    result = propose_grades({"甲村": 91, "乙村": 92, "丙村": 93, "丁村": 93, **high(3)},
                            BANDS, QUOTA)
    assert result.grades["甲村"] == "一般" and result.grades["乙村"] == "较好"
    assert result.grades["丙村"] == result.grades["丁村"] == "好"
    assert result.met and result.tied == ()
    assert all(p.tie is None for p in result)
    assert "其中按比例要求调低 2 个" in result.summary


@pytest.mark.parametrize(("moved", "said"), [(0, None), (1, "调低 1 个"), (2, "调低 2 个")])
def test_the_summary_counts_the_moves(moved: int, said: str | None) -> None:
    # N = 7 (2 and 1 needed); the bands already give 2 - moved of them.
    given = {"甲村": 75, "乙村": 85}  # 一般 and 较好 by their bands
    if moved >= 1:
        given["乙村"] = 92
    if moved == 2:
        given["甲村"] = 91
    result = propose_grades({**given, **high(5)}, BANDS, QUOTA)
    assert result.met
    assert sum(p.moved for p in result) == moved
    if said is None:
        assert "调低" not in result.summary
    else:
        assert f"其中按比例要求{said}" in result.summary


def test_a_tie_that_needs_as_many_below_good_as_low_asks_only_for_the_low() -> None:
    # N = 5: 1 at 较好 or below, and that one at 一般 or 差; 甲 and 乙 share the lowest score.
    result = propose_grades({"甲村": 91, "乙村": 91, **high(3)}, BANDS, QUOTA)
    assert not result.met and result.tied == ("甲村", "乙村")
    assert "从这 2 个中确定 1 个为“一般”或“差”，请党委研究决定" in (result["甲村"].tie or "")
    assert "其中至少" not in (result["甲村"].tie or "")


def test_only_the_low_side_is_short() -> None:
    # N = 7: 甲 and 乙 (较好 by their bands) already make the 2 below 好, and share the
    # lowest score: which of them goes to 一般 is the 党委's choice.
    result = propose_grades({"甲村": 85, "乙村": 85, **high(5)}, BANDS, QUOTA)
    assert not result.met and result.tied == ("甲村", "乙村")
    assert "“一般”和“差”还差 1 个" in result.summary
    assert "“较好”及以下还差" not in result.summary


def test_only_the_below_good_side_is_short() -> None:
    # N = 7: 甲 is 一般 by its band (the one low); 乙 and 丙 tie for the second below 好.
    result = propose_grades({"甲村": 75, "乙村": 91, "丙村": 91, **high(4)}, BANDS, QUOTA)
    assert not result.met and result.tied == ("乙村", "丙村")
    assert "“较好”及以下还差 1 个" in result.summary
    assert "“一般”和“差”还差" not in result.summary


def test_a_nan_score_is_no_score() -> None:
    result = propose_grades({"甲村": float("nan"), "乙村": 85, **high(6)}, BANDS, QUOTA)
    assert result["甲村"].grade is None and result["甲村"].score is None
    assert result.n == 7
    assert "另有 1 个党组织缺少综合得分（甲村）" in result.summary


@pytest.mark.parametrize(("n", "share", "warned"), [
    (3, 0.15, True),  # 1/3 > 30 % (and not above 45 %)
    (4, 0.15, False),  # 1/4 is not above 30 % (but above 15 %)
    (5, 0.15, False),  # 1/5
    (1, 0.25, True),  # 1/1
    (2, 0.25, False),  # exactly twice the share: 1/2 = 2 × 25 %
    (3, 0.25, False),  # 1/3
    (20, 0.15, False),
    (2, 0, False),
])
def test_the_small_n_warning_starts_above_twice_the_share(n: int, share: float, warned: bool
                                                           ) -> None:
    result = propose_grades(high(n), BANDS, Quota(share, 0))
    need = result.required_below_good
    assert (need / n > 2 * share) is warned
    assert (SMALL_N in result.summary) is warned
