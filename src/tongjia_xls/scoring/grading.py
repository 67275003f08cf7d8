"""建议等次 from score bands and the quota, and the check of the committee's 确定等次.

The notice (四、4): "评价为‘较好’或以下等次的原则上不低于15%，其中‘一般’和‘差’的要占一定比例".
With N organizations graded, the proposal needs at least ⌈share × N⌉ at 较好 or below and
at least ``min(low_min, N)`` at 一般 or 差. ⌈·⌉ is computed exactly on the decimal share
(see :mod:`tongjia_xls.scoring.grades`).

How the proposal is made:

1. Unscored organizations get no grade and are not counted in N: a missing score is not a
   low score. A 一票否决 forces 差 (with or without a score) and counts in N.
2. Every scored organization starts at its band grade (:class:`Bands`).
3. The quota is then filled from the bottom of the ranking, never moving anyone the quota
   does not need: the lowest-scored 好/较好 are moved to 一般 until the 一般/差 minimum is
   met, then the lowest-scored remaining 好 are moved to 较好 until the 较好-or-below
   minimum is met. This gives exactly the grades of "first 好→较好, then the lowest
   较好 (or 好) → 一般" in the untied case; filling 一般/差 first only matters at a tie,
   where it keeps every tie flag true: a later step can never fill a need that an earlier
   step had declared blocked.
4. A group of equal (displayed) scores is moved whole or not at all. When the quota would
   need only part of a group, none of it moves, each member carries a ``tie`` note
   saying how many of the group must go lower, the quota is reported as not met, and the
   choice is left to the 党委: picking some of equal scores is a judgement, not arithmetic.

The proposal never raises an organization above its band grade, and :func:`check_final`
only reads the committee's grades: the 确定等次 are staff's and are never changed.
That check and :func:`grade_score` live in :mod:`tongjia_xls.scoring.final` and are
re-exported here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from itertools import groupby
from typing import Any

from tongjia_xls.scoring.bands import Bands, Quota
from tongjia_xls.scoring.final import BELOW_GOOD_WORDS, LOW_WORDS
from tongjia_xls.scoring.grades import (
    AVERAGE,
    FAIRLY_GOOD,
    GOOD,
    GRADES,
    LOW_GRADES,
    POOR,
    exact,
    format_percent,
    format_score,
    is_missing,
    join_names,
    quota_arithmetic,
    required_below_good,
    required_low,
    round_score,
)
from tongjia_xls.sheets.schema import SCORES

__all__ = ["Proposal", "Proposals", "propose_grades"]


@dataclass(frozen=True)
class Proposal:
    """The proposed grade of one organization and why.

    ``grade`` and ``band_grade`` are ``None`` for an unscored organization (unless
    vetoed); ``moved`` says the quota lowered it; ``reason`` explains a move, a veto or a
    missing score; ``tie`` is set when it shares its score with others across the quota
    line; ``veto`` is the 一票否决 reason. ``score`` is the displayed 综合得分.
    """

    org: str
    grade: str | None
    band_grade: str | None
    moved: bool = False
    reason: str | None = None
    tie: str | None = None
    veto: str | None = None
    score: float | None = None


@dataclass(frozen=True)
class Proposals:
    """Every proposal, in input order, and the state of the quota."""

    proposals: tuple[Proposal, ...]
    n: int
    required_below_good: int
    required_low: int
    below_good: int
    low: int
    met: bool
    summary: str

    @cached_property
    def _by_org(self) -> dict[str, Proposal]:
        return {p.org: p for p in self.proposals}

    def __getitem__(self, org: str) -> Proposal:
        return self._by_org[org]

    def __iter__(self) -> Iterator[Proposal]:
        return iter(self.proposals)

    def __len__(self) -> int:
        return len(self.proposals)

    @property
    def grades(self) -> dict[str, str | None]:
        """Return the proposed grade of each organization."""
        return {p.org: p.grade for p in self.proposals}

    @property
    def tied(self) -> tuple[str, ...]:
        """Return the organizations whose grade waits for the 党委 because of a tie."""
        return tuple(p.org for p in self.proposals if p.tie)


@dataclass
class _Tie:
    score: float
    members: tuple[str, ...]
    needs: dict[str, int] = field(default_factory=dict)

    def note(self, org: str) -> str:
        below, low = self.needs.get("below", 0), self.needs.get("low", 0)
        if low and below > low:
            what = f"{below} 个为“较好”及以下（其中至少 {low} 个为“一般”或“差”）"
        elif low:
            what = f"{low} 个为“一般”或“差”"
        else:
            what = f"{below} 个为“较好”及以下"
        others = join_names([m for m in self.members if m != org], noun="党组织")
        return (
            f"与{others}得分相同（{format_score(self.score)}分），按比例要求还需从这 "
            f"{len(self.members)} 个中确定 {what}，请党委研究决定"
        )


def _veto_text(raw: Any) -> str | None:
    if is_missing(raw):
        return None
    text = str(raw).strip()
    return text or None


def _take(
    candidates: list[str], short: int, scores: Mapping[str, float], kind: str,
    ties: dict[float, _Tie],
) -> list[str]:
    """Return whole groups of equal scores from the bottom of ``candidates`` (sorted
    ascending) until ``short`` are taken; record a tie at the first group that would be
    split."""
    taken: list[str] = []
    for score, members in groupby(candidates, key=scores.__getitem__):
        if short <= 0:
            break
        group = list(members)
        if len(group) <= short:
            taken.extend(group)
            short -= len(group)
            continue
        ties.setdefault(score, _Tie(score, tuple(group))).needs[kind] = short
        break
    return taken


def propose_grades(
    scores: Mapping[str, float | None],
    bands: Bands,
    quota: Quota,
    vetoes: Mapping[str, str] | None = None,
) -> Proposals:
    """Return the 建议等次 of every organization in ``scores`` (see the module docstring).

    ``scores`` are the 综合得分; they are compared as displayed (rounded half up to 2
    decimals). ``vetoes`` maps an organization to its 一票否决 reason; blank reasons and
    organizations not in ``scores`` are ignored.
    """
    state = _Grading.start(scores, bands, quota, vetoes)
    state.fill_quota()
    below, low = state.below(), state.low()
    met = below >= state.need_below and low >= state.need_low
    proposals = state.proposals(scores, quota)
    summary = _summary(
        proposals, state.n, quota, state.need_below, state.need_low, below, low, met,
        list(state.ties.values()),
    )
    return Proposals(
        tuple(proposals), state.n, state.need_below, state.need_low, below, low, met, summary
    )


def _vetoed(
    scores: Mapping[str, float | None], vetoes: Mapping[str, str] | None
) -> dict[str, str]:
    """Return the non-blank 一票否决 reason of each organization in ``scores``."""
    return {
        org: text for org, raw in (vetoes or {}).items()
        if org in scores and (text := _veto_text(raw)) is not None
    }


def _shown(scores: Mapping[str, float | None]) -> dict[str, float]:
    """Return the displayed (rounded) 综合得分 of each scored organization."""
    return {
        org: round_score(s) for org, s in scores.items() if s is not None and not is_missing(s)
    }


@dataclass
class _Grading:
    """The grades being proposed: displayed scores, vetoes, band grades and quota needs."""

    shown: dict[str, float]
    vetoed: dict[str, str]
    n: int
    need_below: int
    need_low: int
    band: dict[str, str]
    grade: dict[str, str]
    ties: dict[float, _Tie] = field(default_factory=dict)

    @classmethod
    def start(
        cls, scores: Mapping[str, float | None], bands: Bands, quota: Quota,
        vetoes: Mapping[str, str] | None,
    ) -> _Grading:
        """Return the state before the quota: band grades, and 差 for every veto."""
        vetoed = _vetoed(scores, vetoes)
        shown = _shown(scores)
        graded = [org for org in scores if org in shown or org in vetoed]
        n = len(graded)
        need_below = required_below_good(n, quota.share)
        need_low = required_low(n, quota.low_min)
        band = {org: bands.grade(score) for org, score in shown.items()}
        grade = {org: POOR if org in vetoed else band[org] for org in graded}
        return cls(shown, vetoed, n, need_below, need_low, band, grade)

    def below(self) -> int:
        """Return how many graded organizations are at 较好 or below."""
        return sum(1 for g in self.grade.values() if g != GOOD)

    def low(self) -> int:
        """Return how many graded organizations are at 一般 or 差."""
        return sum(1 for g in self.grade.values() if g in LOW_GRADES)

    def fill_quota(self) -> None:
        """Lower whole groups from the bottom: first to 一般, then 好 to 较好 (step 3)."""
        # Input order breaks no tie (equal scores move together); it only fixes the listing.
        order = sorted(
            (org for org in self.shown if org not in self.vetoed), key=self.shown.__getitem__
        )
        short_low = self.need_low - self.low()
        to_average = [org for org in order if self.grade[org] in (GOOD, FAIRLY_GOOD)]
        for org in _take(to_average, short_low, self.shown, "low", self.ties):
            self.grade[org] = AVERAGE
        short_below = self.need_below - self.below()
        to_fairly_good = [org for org in order if self.grade[org] == GOOD]
        for org in _take(to_fairly_good, short_below, self.shown, "below", self.ties):
            self.grade[org] = FAIRLY_GOOD

    def proposals(self, orgs: Iterable[str], quota: Quota) -> list[Proposal]:
        """Return the proposal of each of ``orgs``, in their order."""
        tie_of = {org: tie for tie in self.ties.values() for org in tie.members}
        places = _Places(Counter(self.shown.values()))
        return [self._proposal(org, quota, tie_of, places) for org in orgs]

    def _proposal(
        self, org: str, quota: Quota, tie_of: Mapping[str, _Tie], places: _Places
    ) -> Proposal:
        """Return the proposal of one organization: vetoed, unscored, or graded."""
        if org in self.vetoed:
            return Proposal(
                org, POOR, self.band.get(org),
                reason=f"一票否决：{self.vetoed[org]}；按规定建议等次为“差”",
                veto=self.vetoed[org], score=self.shown.get(org),
            )
        if org not in self.shown:
            return Proposal(org, None, None, reason=(
                "缺少综合得分，未评定等次，也不计入比例基数；补齐得分后请重新计算"
            ))
        score, band, grade = self.shown[org], self.band[org], self.grade[org]
        moved = grade != band
        reason = None
        if moved:
            reason = _moved_reason(
                score, band, grade, places.place(score), self.n, quota, self.need_low
            )
        tie = tie_of[org].note(org) if org in tie_of else None
        return Proposal(org, grade, band, moved, reason, tie, None, score)


@dataclass(frozen=True)
class _Places:
    """How many organizations have each displayed score, to name a place from the bottom."""

    lower: Counter[float]

    @cached_property
    def _sorted(self) -> list[float]:
        return sorted(self.lower)

    def place(self, score: float) -> str:
        """Return "倒数第 k" (or "并列倒数第 k") for ``score``."""
        k = 1 + sum(self.lower[s] for s in self._sorted if s < score)
        return f"并列倒数第 {k}" if self.lower[score] > 1 else f"倒数第 {k}"


def _moved_reason(
    score: float, band: str, final: str, place: str, n: int, quota: Quota, need_low: int
) -> str:
    if final == FAIRLY_GOOD:
        rule = f"比例要求{BELOW_GOOD_WORDS}不少于 {quota_arithmetic(n, quota.share)}"
    else:
        rule = f"比例要求{LOW_WORDS}至少 {need_low} 个"
        if need_low < quota.low_min:
            rule += f"（设置为 {quota.low_min} 个，参评只有 {n} 个）"
    return (
        f"综合得分 {format_score(score)} 分，按分档属“{band}”；{rule}，本单位得分{place}，"
        f"建议调整为“{final}”"
    )


def _summary(
    proposals: list[Proposal], n: int, quota: Quota, need_below: int, need_low: int,
    below: int, low: int, met: bool, ties: list[_Tie],
) -> str:
    unscored = [p.org for p in proposals if p.grade is None]
    if n == 0:
        return (
            "没有可评定等次的党组织：综合得分都还没有算出，"
            "请先补齐平时考核、实地调研、现场述职得分。"
        )
    parts = _count_parts(proposals, n)
    if met:
        parts.append(
            f"符合比例要求：{BELOW_GOOD_WORDS} {below} 个"
            f"（要求不少于 {quota_arithmetic(n, quota.share)}），"
            f"{LOW_WORDS} {low} 个（要求不少于 {need_low} 个）"
        )
    else:
        parts.append(_unmet_part(need_below, need_low, below, low, ties))
    if exact(quota.share) > 0 and Fraction(need_below, n) > 2 * exact(quota.share):
        # Rounding up a small N makes the quota bite far harder than the notice's 15%.
        parts.append(
            f"参评党组织较少，向上取整后“较好”及以下要占 {need_below}/{n}，"
            f"明显高于 {format_percent(quota.share)}；通知规定比例“原则上”执行，请党委酌情把握"
        )
    if unscored:
        parts.append(
            f"另有 {len(unscored)} 个党组织缺少综合得分（{join_names(unscored)}），"
            "未评定等次，补齐后请重新计算"
        )
    return "；".join(parts) + "。"


def _count_parts(proposals: list[Proposal], n: int) -> list[str]:
    """Return the summary's opening: the count of each grade, of moves and of vetoes."""
    counts = Counter(p.grade for p in proposals if p.grade)
    parts = [f"参评 {n} 个党组织，建议" + "、".join(f"“{g}” {counts[g]} 个" for g in GRADES)]
    moved = sum(1 for p in proposals if p.moved)
    if moved:
        parts.append(f"其中按比例要求调低 {moved} 个")
    vetoed = sum(1 for p in proposals if p.veto)
    if vetoed:
        parts.append(f"一票否决 {vetoed} 个")
    return parts


def _unmet_part(need_below: int, need_low: int, below: int, low: int, ties: list[_Tie]) -> str:
    """Return the summary's sentence on a quota left to the 党委 by a tie."""
    short = []
    if below < need_below:
        short.append(f"{BELOW_GOOD_WORDS}还差 {need_below - below} 个")
    if low < need_low:
        short.append(f"{LOW_WORDS}还差 {need_low - low} 个")
    groups = "；".join(
        f"{join_names(t.members, noun='党组织')}得分相同（{format_score(t.score)}分）"
        for t in ties
    )
    return (
        f"比例要求尚未落实：{'，'.join(short)}，但{groups}，正跨在比例线上，工具不作任意取舍；"
        f"比例要求待党委研究决定，请把结果填入“{SCORES.header('final_grade')}”"
    )
