"""综合得分 from 平时考核, 实地调研 and 现场述职, and the 排名 with ties shown as ties.

The weighted sum is computed in decimal on the values as they display (a float's
``repr``), then rounded half up to 2 decimals: the score staff see in the sheet is the
score that is ranked, banded and compared for ties, so two organizations showing 92.50
are tied even if their unrounded sums differ in the third decimal.

A missing component is never taken as 0: the organization gets no score, and ``missing``
says which component to fill in.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext

from tongjia_xls.errors import UserError
from tongjia_xls.scoring.grades import (
    Number,
    exact,
    format_number,
    is_missing,
    round_score,
    to_decimal,
)
from tongjia_xls.sheets.schema import SCORES, SETTINGS

__all__ = [
    "COMPONENT_NAMES",
    "Components",
    "Composite",
    "Rank",
    "WeightsError",
    "check_weights",
    "composite_scores",
    "rank",
]

#: The Chinese names of the three components, in the order of the weights: their 评分 headers.
ROUTINE, FIELD, ONSITE = (SCORES.header(name) for name in ("routine", "field", "onsite"))
COMPONENT_NAMES = (ROUTINE, FIELD, ONSITE)

#: How far the weights' sum may be from 1 (settings typed as 0.33 / 0.33 / 0.34 are fine).
WEIGHT_TOLERANCE = 1e-6


class WeightsError(UserError):
    """The three weights are unusable (do not sum to 1, negative, not numbers)."""


@dataclass(frozen=True)
class Components:
    """The inputs of one organization's 综合得分; ``None`` means not (yet) filled in.

    ``onsite_typed`` is a 现场述职 score staff typed; ``ballot_score`` the 测评得分.
    """

    org: str
    routine: float | None = None
    field: float | None = None
    onsite_typed: float | None = None
    ballot_score: float | None = None


@dataclass(frozen=True)
class Composite:
    """One organization's 综合得分 (``None`` when a component is missing).

    ``onsite`` is the 现场述职 score used, ``onsite_source`` where it came from: "staff"
    (typed in the sheet), "ballots" (the 测评得分) or ``None`` (neither).
    """

    org: str
    score: float | None
    onsite: float | None
    onsite_source: str | None
    missing: tuple[str, ...] = ()

    @property
    def note(self) -> str | None:
        """Return what staff must do when the score could not be computed."""
        if not self.missing:
            return None
        what = "、".join(self.missing)
        hint = "（或录入测评票）" if ONSITE in self.missing else ""
        return f"缺少{what}得分，综合得分暂不计算（缺项不按 0 分算），请补填{hint}后重新计算"


@dataclass(frozen=True)
class Rank:
    """A place in the ranking: ``label`` is "3", "并列2", or "" for an unscored org."""

    position: int | None
    tied: bool
    label: str


def check_weights(weights: tuple[Number, Number, Number]) -> tuple[float, float, float]:
    """Return the weights as floats, or raise :class:`WeightsError` saying what to fix."""
    if len(weights) != len(COMPONENT_NAMES):
        raise WeightsError(
            f"需要三项权重（{'、'.join(COMPONENT_NAMES)}），现在是 {len(weights)} 项，"
            f"请在“{SETTINGS.title}”中填写三项权重"
        )
    values = []
    for name, weight in zip(COMPONENT_NAMES, weights, strict=True):
        ok = isinstance(weight, (int, float, Decimal)) and not isinstance(weight, bool)
        if not ok or is_missing(weight) or not math.isfinite(weight):
            raise WeightsError(
                f"“{name}权重”不是数字（{weight!r}），"
                f"请在“{SETTINGS.title}”中填写 0 到 1 之间的小数"
            )
        if weight < 0:
            raise WeightsError(
                f"“{name}权重”为 {format_number(weight)}，不能为负数，请在“{SETTINGS.title}”中改正"
            )
        values.append(float(weight))
    total = sum((exact(w) for w in weights), start=exact(0))
    if abs(float(total) - 1) > WEIGHT_TOLERANCE:
        shown = " / ".join(format_number(w) for w in weights)
        raise WeightsError(
            f"三项权重之和为 {format_number(total)}，应为 1。请在“{SETTINGS.title}”中调整"
            f"{'、'.join(COMPONENT_NAMES)}的权重（现在是 {shown}），使三者相加等于 1，再重新计算；"
            "本次未写入任何得分"
        )
    return values[0], values[1], values[2]


def _value(value: float | None) -> float | None:
    return None if is_missing(value) else value


def composite_scores(
    components: Iterable[Components], weights: tuple[Number, Number, Number]
) -> list[Composite]:
    """Return the 综合得分 of each organization, in input order.

    Raises :class:`WeightsError` before computing anything when the weights are unusable,
    so no partial result is ever written. 现场述职 is the staff-typed score when there is
    one, else the 测评得分.
    """
    checked = check_weights(weights)
    results = []
    for item in components:
        onsite_typed, ballot = _value(item.onsite_typed), _value(item.ballot_score)
        if onsite_typed is not None:
            onsite, source = onsite_typed, "staff"
        elif ballot is not None:
            onsite, source = ballot, "ballots"
        else:
            onsite, source = None, None
        values = (_value(item.routine), _value(item.field), onsite)
        missing = tuple(
            name for name, value in zip(COMPONENT_NAMES, values, strict=True) if value is None
        )
        score = None if missing else _weighted(values, checked)
        results.append(Composite(item.org, score, onsite, source, missing))
    return results


def _weighted(values: tuple[float | None, ...], weights: tuple[float, float, float]) -> float:
    # Decimal with ample precision: the sum of three products of ≤17-digit decimals is exact,
    # so the half-up rounding to cents sees the true value, not a binary neighbour of it.
    with localcontext() as context:
        context.prec = 80
        total = sum(
            (to_decimal(w) * to_decimal(v) for w, v in zip(weights, values, strict=True)
             if v is not None),
            Decimal(0),
        )
    return round_score(total)


def rank(scores: Mapping[str, float | None]) -> dict[str, Rank]:
    """Return each organization's place: standard competition ranking (1, 2, 2, 4).

    Pass the rounded 综合得分 (as :func:`composite_scores` gives them): equal displayed
    scores are tied. Unscored organizations get position ``None`` and an empty label.
    """
    valid = [score for score in scores.values() if score is not None and not is_missing(score)]
    how_many = Counter(valid)
    place: dict[float, int] = {}
    position = 1
    for value in sorted(how_many, reverse=True):
        place[value] = position
        position += how_many[value]
    ranks = {}
    for org, score in scores.items():
        if score is None or is_missing(score):
            ranks[org] = Rank(None, False, "")
            continue
        tied = how_many[score] > 1
        at = place[score]
        ranks[org] = Rank(at, tied, f"并列{at}" if tied else str(at))
    return ranks
