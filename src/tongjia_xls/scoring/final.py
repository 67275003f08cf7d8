"""The check of the committee's 确定等次 against the quota, and the 等次分数.

The 确定等次 are the 党委's: :func:`check_final` only reads them and says whether they meet
the quota of the notice (四、4) and by how many they fall short; it never changes one.
:func:`grade_score` gives the score of an organization's grade, the 确定等次 before the
建议等次 of :func:`tongjia_xls.scoring.grading.propose_grades`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from tongjia_xls.scoring.bands import Quota
from tongjia_xls.scoring.grades import (
    GOOD,
    GRADES,
    LOW_GRADES,
    Number,
    is_missing,
    join_names,
    quota_arithmetic,
    quota_product,
    required_below_good,
    required_low,
)

__all__ = ["BELOW_GOOD_WORDS", "LOW_WORDS", "FinalCheck", "check_final", "grade_score"]

#: How messages name the two parts of the quota: the grades below 好, and 一般 with 差.
BELOW_GOOD_WORDS = "“较好”及以下"
LOW_WORDS = "“一般”和“差”"


@dataclass(frozen=True)
class FinalCheck:
    """The committee's 确定等次 checked against the quota (never changed).

    ``met`` is False while no organization has a final grade.
    ``ungraded`` are organizations with no final grade yet, ``invalid`` those whose grade
    is not one of the four (as ``"org：text"``); neither is counted in N.
    """

    met: bool
    below_good: int
    required_below_good: int
    low: int
    required_low: int
    message: str
    ungraded: tuple[str, ...] = ()
    invalid: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Return True when every organization has a valid final grade."""
        return not self.ungraded and not self.invalid


def check_final(grades: Mapping[str, str | None], quota: Quota) -> FinalCheck:
    """Return whether the 确定等次 meet the quota, and by how many they fall short."""
    counted, ungraded, invalid = _sort_finals(grades)
    n = len(counted)
    below = sum(1 for g in counted if g != GOOD)
    low = sum(1 for g in counted if g in LOW_GRADES)
    need_below = required_below_good(n, quota.share)
    need_low = required_low(n, quota.low_min)
    # Nothing decided yet is not "met": the 控制台 must not show a green light for it.
    met = n > 0 and below >= need_below and low >= need_low

    if n == 0:
        sentences = ["还没有填写任何确定等次，暂不能核对比例要求"]
    elif met:
        sentences = [
            f"符合比例要求（{BELOW_GOOD_WORDS} {below} 个，"
            f"要求不少于 {quota_arithmetic(n, quota.share)}；"
            f"{LOW_WORDS} {low} 个，要求不少于 {need_low} 个）"
        ]
    else:
        sentences = [
            _shortfalls(n, quota, below, need_below, low, need_low),
            "请党委复核确定等次；通知规定比例“原则上”执行，确需突破的请写明理由",
        ]
    if ungraded:
        sentences.append(
            f"另有 {len(ungraded)} 个党组织还没有确定等次（{join_names(ungraded)}），未计入，"
            "填写后请重新核对"
        )
    sentences.extend(
        f"“{org}”的确定等次“{text}”不是“好、较好、一般、差”之一，未计入，请改正"
        for org, text in invalid
    )
    return FinalCheck(
        met, below, need_below, low, need_low, "。".join(sentences),
        tuple(ungraded), tuple(f"{org}：{text}" for org, text in invalid),
    )


def _sort_finals(
    grades: Mapping[str, str | None],
) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """Return the valid grades, the orgs with none, and (org, text) of each invalid one."""
    counted: list[str] = []
    ungraded: list[str] = []
    invalid: list[tuple[str, str]] = []
    for org, raw in grades.items():
        text = "" if is_missing(raw) else "".join(str(raw).split())
        if not text:
            ungraded.append(org)
        elif text in GRADES:
            counted.append(text)
        else:
            invalid.append((org, str(raw).strip()))
    return counted, ungraded, invalid


def _shortfalls(
    n: int, quota: Quota, below: int, need_below: int, low: int, need_low: int
) -> str:
    """Return the sentence on how far the 确定等次 fall short of each part of the quota."""
    short = []
    if below < need_below:
        product, whole = quota_product(n, quota.share)
        how = product if whole else f"{product}，向上取整"
        short.append(
            f"{BELOW_GOOD_WORDS}只有 {below} 个，少于要求的 {need_below} 个（{how}），"
            f"还差 {need_below - below} 个"
        )
    if low < need_low:
        short.append(
            f"{LOW_WORDS}只有 {low} 个，少于要求的 {need_low} 个（“一般及差最少个数”），"
            f"还差 {need_low - low} 个"
        )
    return "；".join(short)


def grade_score(
    final: str | None, proposed: str | None, grade_scores: Mapping[str, Number]
) -> float | None:
    """Return the 等次分数: that of the 确定等次, else of the 建议等次, else ``None``."""
    for grade in (final, proposed):
        text = "" if is_missing(grade) else "".join(str(grade).split())
        if text in grade_scores:
            return float(grade_scores[text])
    return None
