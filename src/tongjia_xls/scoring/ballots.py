"""测评票: one evaluator's filled 述职评议表 (附件2), checked and tallied.

A ballot is a row of ``测评票明细``: a 票号 and, per organization, the raw cell as staff typed
it. Cells are read leniently (spaces anywhere, full-width spaces and zero-width characters
are ignored, so " 较好 " is 较好) but never guessed: "√", "良", "90" are unknown marks,
flagged with the organization and the text, and never counted, because any reading of
them would be the tool's invention, not the evaluator's vote.

The checks only flag; whether flagged ballots count is the committee's setting
(``问题测评票``), applied by :func:`tally` through ``exclude_flagged``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from tongjia_xls.scoring.grades import (
    AVERAGE,
    FAIRLY_GOOD,
    GOOD,
    GRADES,
    LOW_GRADES,
    POOR,
    Number,
    exact,
    is_missing,
    join_names,
    quota_arithmetic,
    required_below_good,
    required_low,
)
from tongjia_xls.sheets.schema import SETTINGS

__all__ = [
    "FLAG_KINDS",
    "Ballot",
    "BallotFlag",
    "Counts",
    "ballot_score",
    "check_ballots",
    "read_mark",
    "scores_both_ways",
    "tally",
]

#: Every kind of flag, in the order they are raised for one ballot.
FLAG_KINDS = ("no_number", "duplicate", "blank", "partial", "unknown_mark", "uniform", "quota")

_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff")
_FOUR = "“好、较好、一般、差”"


@dataclass(frozen=True)
class Ballot:
    """One collected ballot: its 票号 and the raw cell of each organization."""

    number: str
    marks: Mapping[str, Any]


@dataclass(frozen=True)
class Counts:
    """The votes one organization received, per grade."""

    good: int = 0
    fairly_good: int = 0
    average: int = 0
    poor: int = 0

    @property
    def valid(self) -> int:
        """Return the number of valid votes (有效票)."""
        return self.good + self.fairly_good + self.average + self.poor

    def as_dict(self) -> dict[str, int]:
        """Return the counts keyed by grade, 好 first, as the ``测评票`` sheet lays them out."""
        return {GOOD: self.good, FAIRLY_GOOD: self.fairly_good, AVERAGE: self.average,
                POOR: self.poor}


@dataclass(frozen=True)
class BallotFlag:
    """Something wrong with one ballot (or, for ``duplicate``, with one 票号).

    ``kind`` is one of :data:`FLAG_KINDS`; ``message`` is for staff; ``orgs`` names the
    organizations concerned (unmarked ones, ones with an unknown mark), if any.
    """

    number: str
    kind: str
    message: str
    orgs: tuple[str, ...] = ()


def read_mark(raw: Any) -> tuple[str | None, str | None]:
    """Return ``(grade, None)``, ``(None, None)`` for a blank cell or ``(None, text)``.

    ``text`` is the unknown mark as typed (trimmed), to quote back to staff.
    """
    if is_missing(raw):
        return None, None
    text = str(raw).translate(_INVISIBLE).strip()
    squeezed = "".join(text.split())
    if not squeezed:
        return None, None
    if squeezed in GRADES:
        return squeezed, None
    return None, text


def _number(raw: Any) -> str:
    """Return the 票号 as text; Excel hands whole numbers over as floats (12.0 → "12")."""
    if is_missing(raw):
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


def _label(number: str, position: int) -> str:
    return f"票号 {number} " if number else f"第 {position} 张票（未填票号）"


def check_ballots(
    ballots: Sequence[Ballot],
    orgs: Sequence[str],
    *,
    quota_share: Number,
    quota_low_min: int,
) -> list[BallotFlag]:
    """Return what is wrong with each ballot, ballot by ballot, in :data:`FLAG_KINDS` order.

    Only the cells of ``orgs`` are read; other keys of a ballot's marks are ignored (the
    workbook side checks its headers). A blank ballot gets only ``blank``: nothing else
    can be said about it. A ballot's own quota is judged on the organizations it marked
    validly: ⌈share × marked⌉ of them at 较好 or below, ``min(low_min, marked)`` at 一般
    or 差.
    """
    flags: list[BallotFlag] = []
    positions: dict[str, list[int]] = {}
    for position, ballot in enumerate(ballots, 1):
        positions.setdefault(_number(ballot.number), []).append(position)

    for position, ballot in enumerate(ballots, 1):
        number = _number(ballot.number)
        label = _label(number, position)
        if not number:
            flags.append(BallotFlag(number, "no_number", (
                f"第 {position} 张票没有填写票号，请按原票补填，便于逐张核对"
            )))
        elif len(positions[number]) > 1 and positions[number][0] == position:
            places = "、".join(f"第 {p} 张" for p in positions[number])
            flags.append(BallotFlag(number, "duplicate", (
                f"票号 {number} 出现了 {len(positions[number])} 次（{places}），"
                "请核对是否重复录入：重复的请删去多余的行，不同的票请改正票号"
            )))
        flags.extend(_check_one(ballot, number, label, orgs, quota_share, quota_low_min))
    return flags


def _check_one(
    ballot: Ballot,
    number: str,
    label: str,
    orgs: Sequence[str],
    quota_share: Number,
    quota_low_min: int,
) -> list[BallotFlag]:
    grades: dict[str, str] = {}
    unknown: dict[str, str] = {}
    blank: list[str] = []
    for org in orgs:
        grade, text = read_mark(ballot.marks.get(org))
        if grade is not None:
            grades[org] = grade
        elif text is not None:
            unknown[org] = text
        else:
            blank.append(org)

    if not grades and not unknown:
        return [BallotFlag(number, "blank", (
            f"{label}整张没有填写任何等次：原票确是空白的为废票，不计票；录入时漏填的请按原票补录"
        ))]

    flags = []
    if blank:
        flags.append(BallotFlag(number, "partial", (
            f"{label}有 {len(blank)} 个党组织没有评等次（{join_names(blank)}），请按原票补录；"
            "原票确实没填的，这几个党组织少计这一票"
        ), tuple(blank)))
    if unknown:
        quoted = "、".join(f"“{org}”填的“{text}”" for org, text in unknown.items())
        flags.append(BallotFlag(number, "unknown_mark", (
            f"{label}中{quoted}不是{_FOUR}之一，不计票；请按原票改为其中一个等次，"
            "原票无法辨认的请留空"
        ), tuple(unknown)))
    marked = len(grades)
    if marked >= 3 and len(set(grades.values())) == 1:
        grade = next(iter(grades.values()))
        flags.append(BallotFlag(number, "uniform", (
            f"{label}给评了等次的 {marked} 个党组织全部评为“{grade}”，没有区分高低；"
            f"请核对原票，是否计入测评得分按“{SETTINGS.title}”中“问题测评票”的规定"
        )))
    shortfalls = _quota_shortfalls(list(grades.values()), quota_share, quota_low_min)
    if shortfalls:
        flags.append(BallotFlag(number, "quota", (
            f"{label}{'；'.join(shortfalls)}，不符合通知四、4的比例要求；请核对原票是否录错，"
            f"录入无误的，是否计入测评得分按“{SETTINGS.title}”中“问题测评票”的规定"
        )))
    return flags


def _quota_shortfalls(grades: list[str], share: Number, low_min: int) -> list[str]:
    marked = len(grades)
    if marked == 0:
        return []
    below = sum(1 for grade in grades if grade != GOOD)
    low = sum(1 for grade in grades if grade in LOW_GRADES)
    need_below = required_below_good(marked, share)
    need_low = required_low(marked, low_min)
    found = []
    if below < need_below:
        found.append(
            f"评为“较好”及以下的只有 {below} 个，不足 {quota_arithmetic(marked, share)}"
        )
    if low < need_low:
        found.append(f"评为“一般”或“差”的只有 {low} 个，不足要求的 {need_low} 个")
    return found


def tally(
    ballots: Iterable[Ballot],
    orgs: Sequence[str],
    *,
    exclude_flagged: bool,
    flags: Iterable[BallotFlag],
) -> dict[str, Counts]:
    """Return the votes of each organization in ``orgs`` (in that order).

    Blank cells and unknown marks are never counted. With ``exclude_flagged`` every
    ballot whose 票号 appears in ``flags`` is left out whole; pass only the flags of the
    kinds the committee wants excluded.
    """
    excluded = {_number(flag.number) for flag in flags} if exclude_flagged else set()
    votes = {org: [0, 0, 0, 0] for org in orgs}
    for ballot in ballots:
        if excluded and _number(ballot.number) in excluded:
            continue
        for org in orgs:
            grade, _ = read_mark(ballot.marks.get(org))
            if grade is not None:
                votes[org][GRADES.index(grade)] += 1
    return {org: Counts(*counts) for org, counts in votes.items()}


def ballot_score(counts: Counts, grade_scores: Mapping[str, Number]) -> float | None:
    """Return 测评得分 = Σ(票数 × 等次分数) / 有效票, or None when there is no valid vote.

    The sum is exact; only the result is a float (rounding is left to the composite).
    """
    if counts.valid == 0:
        return None
    total = sum(
        (count * exact(grade_scores[grade]) for grade, count in counts.as_dict().items()
         if count),
        Fraction(0),
    )
    return float(total / counts.valid)


def scores_both_ways(
    ballots: Sequence[Ballot],
    orgs: Sequence[str],
    flags: Iterable[BallotFlag],
    grade_scores: Mapping[str, Number],
) -> dict[str, tuple[float | None, float | None]]:
    """Return each organization's 测评得分 with every ballot and with flagged ones left out.

    The ``测评票`` sheet shows both when they differ; the second also feeds the
    sensitivity scenario "剔除有问题的测评票".
    """
    flags = list(flags)
    counted = tally(ballots, orgs, exclude_flagged=False, flags=flags)
    cleaned = tally(ballots, orgs, exclude_flagged=True, flags=flags)
    return {
        org: (ballot_score(counted[org], grade_scores), ballot_score(cleaned[org], grade_scores))
        for org in orgs
    }
