"""建议等次 under the quota, and the check of the 确定等次: table-driven and named cases."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest

from tongjia_xls.errors import UserError
from tongjia_xls.scoring.bands import Bands, BandsError, Quota, QuotaError
from tongjia_xls.scoring.final import check_final, grade_score
from tongjia_xls.scoring.grades import quota_arithmetic, required_below_good, required_low
from tongjia_xls.scoring.grading import propose_grades

BANDS = Bands(90, 80, 70)
QUOTA = Quota(0.15, 1)
GRADE_SCORES = {"好": 100, "较好": 90, "一般": 75, "差": 60}


def high(count: int, start: float = 95.0) -> dict[str, float]:
    """``count`` distinct 好 scores well above the ones a test is about."""
    return {f"上{i:02d}村": start + i * 0.1 for i in range(count)}


# -- the arithmetic --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "share", "expected"),
    [
        (20, 0.15, 3),  # exactly 3: the float product 3.0000000000000004 must not give 4
        (21, 0.15, 4),  # 3.15 → 4
        (1, 0.15, 1),
        (0, 0.15, 0),
        (7, 0.15, 2),  # 1.05 → 2
        (100, 0.15, 15),
        (40, 0.15, 6),
        (60, 0.15, 9),
        (3, 0.1, 1),
        (10, 0.3, 3),  # 0.3 × 10 = 3.0000000000000004 in binary
        (21, 0, 0),
        (21, 1, 21),
        (20, "0.15", 3),
        (20, Decimal("0.15"), 3),
        (20, Fraction(3, 20), 3),
    ],
)
def test_required_below_good_is_an_exact_ceiling(n: int, share: object, expected: int) -> None:
    assert required_below_good(n, share) == expected  # type: ignore[arg-type]


def test_required_below_good_agrees_with_integer_arithmetic_everywhere() -> None:
    for percent in range(101):
        for n in range(201):
            assert required_below_good(n, percent / 100) == -(-percent * n // 100), (percent, n)


@pytest.mark.parametrize(
    ("n", "low_min", "expected"), [(21, 1, 1), (21, 0, 0), (2, 3, 2), (0, 1, 0), (21, 5, 5)]
)
def test_required_low(n: int, low_min: int, expected: int) -> None:
    assert required_low(n, low_min) == expected


@pytest.mark.parametrize(
    ("n", "share", "text"),
    [
        (21, 0.15, "21 × 15% = 3.15，向上取整为 4 个"),
        (20, 0.15, "20 × 15% = 3，即 3 个"),
        (1, 0.15, "1 × 15% = 0.15，向上取整为 1 个"),
        (8, 0.125, "8 × 12.5% = 1，即 1 个"),
        (10, 0.3, "10 × 30% = 3，即 3 个"),
        (7, 1 / 3, "7 × 约33.3333% ≈ 2.3333，向上取整为 3 个"),
    ],
)
def test_quota_arithmetic(n: int, share: float, text: str) -> None:
    assert quota_arithmetic(n, share) == text


# -- bands and settings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "grade"),
    [(100, "好"), (90, "好"), (89.99, "较好"), (80, "较好"), (79.99, "一般"), (70, "一般"),
     (69.99, "差"), (0, "差")],
)
def test_band_grade(score: float, grade: str) -> None:
    assert BANDS.grade(score) == grade


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: Bands(80, 90, 70), BandsError, "80 / 90 / 70"),
        (lambda: Quota(1.5, 1), QuotaError, "应在 0 到 1 之间"),
        (lambda: Quota(-0.1, 1), QuotaError, "应在 0 到 1 之间"),
        (lambda: Quota(float("nan"), 1), QuotaError, "应在 0 到 1 之间"),
        (lambda: Quota(0.15, -1), QuotaError, "应为 0 或正整数"),
        (lambda: Quota(0.15, 1.5), QuotaError, "应为 0 或正整数"),
    ],
)
def test_unusable_settings_are_user_errors(make: object, error: type, words: str) -> None:
    with pytest.raises(error, match=re.escape(words)) as caught:
        make()  # type: ignore[operator]
    assert isinstance(caught.value, UserError)


# -- proposals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "grades", "met"),
    [
        # Band grades already meet the quota: nothing moves.
        ({"甲": 95, "乙": 85, "丙": 75, "丁": 65}, {"甲": "好", "乙": "较好", "丙": "一般",
                                                  "丁": "差"}, True),
        # All 好 with distinct scores: the lowest to 一般, the next lowest to 较好 (N=6 → 1).
        ({"甲": 95, "乙": 94, "丙": 93, "丁": 92, "戊": 91, "己": 90.5},
         {"甲": "好", "乙": "好", "丙": "好", "丁": "好", "戊": "好", "己": "一般"}, True),
        # A 较好 band org is the one moved to 一般, not a 好.
        ({"甲": 95, "乙": 94, "丙": 85}, {"甲": "好", "乙": "好", "丙": "一般"}, True),
        # The quota is already met by a 差: nobody is lowered.
        ({"甲": 95, "乙": 94, "丙": 60}, {"甲": "好", "乙": "好", "丙": "差"}, True),
        # Unscored: no grade and not in N (N = 2 → 1 at 较好 or below, 1 at 一般/差).
        ({"甲": 95, "乙": 94, "丙": None}, {"甲": "好", "乙": "一般", "丙": None}, True),
        # Two equal lowest scores and one needed: neither is moved.
        ({"甲": 95, "乙": 91, "丙": 91}, {"甲": "好", "乙": "好", "丙": "好"}, False),
        # A tie above the line is no obstacle.
        ({"甲": 95, "乙": 95, "丙": 91}, {"甲": "好", "乙": "好", "丙": "一般"}, True),
        # Nothing scored at all.
        ({"甲": None, "乙": None}, {"甲": None, "乙": None}, True),
        ({}, {}, True),
    ],
)
def test_proposals(scores: dict, grades: dict, met: bool) -> None:
    result = propose_grades(scores, BANDS, QUOTA)
    assert result.grades == grades
    assert result.met is met
    assert bool(result.tied) is not met


def test_the_reason_of_a_move_has_score_band_arithmetic_and_place() -> None:
    scores = {**high(17), "甲村": 75.0, "乙村": 91.0, "丙村": 91.2, "丁村": 91.5}
    result = propose_grades(scores, BANDS, QUOTA)
    assert result.n == 21 and result.met
    assert result["丙村"].grade == "较好" and result["丙村"].moved
    assert result["丙村"].reason == (
        "综合得分 91.20 分，按分档属“好”；比例要求“较好”及以下不少于 21 × 15% = 3.15，"
        "向上取整为 4 个，本单位得分倒数第 3，建议调整为“较好”"
    )
    assert [p.org for p in result if p.moved] == ["乙村", "丙村", "丁村"]
    assert result["甲村"].grade == "一般" and not result["甲村"].moved
    assert result["甲村"].reason is None
    assert "符合比例要求" in result.summary and "21 × 15% = 3.15，向上取整为 4 个" in result.summary


def test_a_move_to_average_explains_the_low_minimum() -> None:
    result = propose_grades({**high(19), "甲村": 91.0, "乙村": 85.0}, BANDS, QUOTA)
    assert result["乙村"].grade == "一般"
    assert result["乙村"].reason == (
        "综合得分 85.00 分，按分档属“较好”；比例要求“一般”和“差”至少 1 个，本单位得分倒数第 1，"
        "建议调整为“一般”"
    )
    # 21 × 15% → 4 at 较好 or below: 乙村 (一般), 甲村 and two of the 好 from the bottom.
    assert result.below_good == 4 and result.low == 1


def test_n21_with_a_tie_at_the_fourth_lowest_place() -> None:
    # From the bottom: 91 (→ 一般), 91.5, 92 (→ 较好), then 92.5 twice at places 4 and 5.
    scores = {**high(16), "甲村": 91.0, "乙村": 91.5, "丙村": 92.0, "丁村": 92.5, "戊村": 92.5}
    result = propose_grades(scores, BANDS, QUOTA)
    assert result.n == 21 and result.required_below_good == 4
    assert (result["甲村"].grade, result["乙村"].grade, result["丙村"].grade) == (
        "一般", "较好", "较好"
    )
    assert result["丁村"].grade == result["戊村"].grade == "好"  # not split arbitrarily
    assert not result["丁村"].moved
    assert result["丁村"].tie == (
        "与戊村得分相同（92.50分），按比例要求还需从这 2 个中确定 1 个为“较好”及以下，"
        "请党委研究决定"
    )
    assert result["戊村"].tie is not None and "与丁村得分相同" in result["戊村"].tie
    assert result.tied == ("丁村", "戊村")
    assert not result.met and result.below_good == 3
    assert "还差 1 个" in result.summary and "丁村、戊村得分相同（92.50分）" in result.summary
    assert "待党委研究决定" in result.summary


def test_n21_with_a_tie_that_fits_under_the_line_moves_whole() -> None:
    # Places 3 and 4 share 92.0: the quota needs exactly both of them.
    scores = {**high(17), "甲村": 91.0, "乙村": 91.5, "丙村": 92.0, "丁村": 92.0}
    result = propose_grades(scores, BANDS, QUOTA)
    assert result.met and not result.tied
    assert result["丙村"].grade == result["丁村"].grade == "较好"
    assert "本单位得分并列倒数第 3" in (result["丁村"].reason or "")


def test_all_scores_equal() -> None:
    scores = {f"{i:02d}村": 93.0 for i in range(21)}
    result = propose_grades(scores, BANDS, QUOTA)
    assert set(result.grades.values()) == {"好"}
    assert not result.met and len(result.tied) == 21
    tie = result["00村"].tie or ""
    assert "等 20 个党组织得分相同（93.00分）" in tie
    assert "从这 21 个中确定 4 个为“较好”及以下（其中至少 1 个为“一般”或“差”）" in tie
    assert "“较好”及以下还差 4 个，“一般”和“差”还差 1 个" in result.summary


def test_all_scores_equal_and_already_in_a_low_band() -> None:
    result = propose_grades({f"{i:02d}村": 75.0 for i in range(21)}, BANDS, QUOTA)
    assert set(result.grades.values()) == {"一般"} and result.met and not result.tied


def test_one_organization_only() -> None:
    result = propose_grades({"甲村": 96.0}, BANDS, QUOTA)
    proposal = result["甲村"]
    assert (result.n, result.required_below_good, result.required_low) == (1, 1, 1)
    assert proposal.grade == "一般" and proposal.band_grade == "好" and proposal.moved
    assert "本单位得分倒数第 1" in (proposal.reason or "")
    assert result.met
    assert "参评党组织较少" in result.summary and "请党委酌情把握" in result.summary


def test_one_organization_with_no_low_minimum() -> None:
    result = propose_grades({"甲村": 96.0}, BANDS, Quota(0.15, 0))
    assert result["甲村"].grade == "较好"
    assert "1 × 15% = 0.15，向上取整为 1 个" in (result["甲村"].reason or "")


def test_twenty_organizations_need_exactly_three() -> None:
    result = propose_grades(high(20), BANDS, QUOTA)
    assert result.required_below_good == 3
    assert result.below_good == 3
    assert [p.grade for p in result][:4] == ["一般", "较好", "较好", "好"]
    assert "20 × 15% = 3，即 3 个" in (result["上01村"].reason or "")


def test_vetoes_force_poor_and_count_in_n() -> None:
    scores = {**high(5), "甲村": 98.0, "乙村": None}
    vetoes = {"甲村": " 发生重大安全生产事故 ", "乙村": "班子成员严重违纪", "上00村": "  ",
              "外村": "not an org of this review"}
    result = propose_grades(scores, BANDS, QUOTA, vetoes)
    assert result["甲村"].grade == "差" and result["甲村"].band_grade == "好"
    assert result["甲村"].veto == "发生重大安全生产事故"
    assert result["甲村"].reason == "一票否决：发生重大安全生产事故；按规定建议等次为“差”"
    assert result["乙村"].grade == "差" and result["乙村"].band_grade is None
    assert result["上00村"].veto is None  # a blank reason is no veto
    assert result.n == 7 and result.met
    assert [p.org for p in result if p.moved] == []  # two 差 already meet the quota
    assert "一票否决 2 个" in result.summary


def test_unscored_organizations_are_reported() -> None:
    result = propose_grades({**high(3), "甲村": None}, BANDS, QUOTA)
    assert result["甲村"].grade is None and result["甲村"].reason is not None
    assert "缺少综合得分" in result["甲村"].reason
    assert result.n == 3
    assert "另有 1 个党组织缺少综合得分（甲村）" in result.summary


def test_scores_are_compared_as_displayed() -> None:
    # 92.504 and 92.496 both show as 92.50: they are tied.
    scores = {**high(16), "甲村": 91.0, "乙村": 91.5, "丙村": 92.0, "丁村": 92.504,
              "戊村": 92.496}
    result = propose_grades(scores, BANDS, QUOTA)
    assert result.tied == ("丁村", "戊村")
    assert result["丁村"].score == result["戊村"].score == 92.5


def test_order_of_input_does_not_change_grades() -> None:
    scores = {**high(16), "甲村": 91.0, "乙村": 91.5, "丙村": 92.0, "丁村": 92.5, "戊村": 92.5}
    forward = propose_grades(scores, BANDS, QUOTA)
    backward = propose_grades(dict(reversed(scores.items())), BANDS, QUOTA)
    assert forward.grades == backward.grades
    assert list(backward.grades) == list(reversed(scores))


# -- the committee's final grades ------------------------------------------------------------


@pytest.mark.parametrize(
    ("grades", "met", "message"),
    [
        ({**{f"{i}": "好" for i in range(17)}, "a": "较好", "b": "较好", "c": "较好", "d": "一般"},
         True, "符合比例要求（“较好”及以下 4 个，要求不少于 21 × 15% = 3.15，向上取整为 4 个；"
               "“一般”和“差” 1 个，要求不少于 1 个）"),
        ({**{f"{i}": "好" for i in range(18)}, "a": "较好", "b": "较好", "c": "一般"},
         False, "“较好”及以下只有 3 个，少于要求的 4 个（21 × 15% = 3.15，向上取整），还差 1 个。"),
        ({**{f"{i}": "好" for i in range(17)}, "a": "较好", "b": "较好", "c": "较好"},
         False, "“一般”和“差”只有 0 个，少于要求的 1 个（“一般及差最少个数”），还差 1 个"),
        ({**{f"{i}": "好" for i in range(17)}, "a": "较好", "b": "一般", "c": "差"},
         True, "20 × 15% = 3，即 3 个"),
        ({"a": None, "b": ""}, False, "还没有填写任何确定等次"),
    ],
)
def test_check_final(grades: dict, met: bool, message: str) -> None:
    result = check_final(grades, QUOTA)
    assert result.met is met
    assert message in result.message


def test_check_final_falls_short_says_which_way_and_what_to_do() -> None:
    grades = {f"{i:02d}村": "好" for i in range(21)}
    result = check_final(grades, QUOTA)
    assert (result.below_good, result.required_below_good, result.low, result.required_low) == (
        0, 4, 0, 1
    )
    assert "还差 4 个" in result.message and "还差 1 个" in result.message
    assert "请党委复核确定等次" in result.message


def test_check_final_reports_missing_and_unknown_grades_without_counting_them() -> None:
    grades = {"甲村": "好", "乙村": None, "丙村": "良好", "丁村": " 一般 ", "戊村": "较好"}
    result = check_final(grades, QUOTA)
    assert result.ungraded == ("乙村",)
    assert result.invalid == ("丙村：良好",)
    assert not result.complete
    assert (result.below_good, result.low, result.required_below_good) == (2, 1, 1)
    assert result.met
    assert "另有 1 个党组织还没有确定等次（乙村）" in result.message
    assert "“丙村”的确定等次“良好”不是“好、较好、一般、差”之一" in result.message


@pytest.mark.parametrize(
    ("final", "proposed", "expected"),
    [("较好", "好", 90.0), (None, "好", 100.0), ("", "一般", 75.0), (" 差 ", None, 60.0),
     (None, None, None), ("良好", None, None)],
)
def test_grade_score_follows_the_final_grade(
    final: str | None, proposed: str | None, expected: float | None
) -> None:
    assert grade_score(final, proposed, GRADE_SCORES) == expected
