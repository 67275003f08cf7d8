"""How robust the 建议等次 are: what changes if a weight moves by ±0.1, or if the
problem ballots are left out.

Each scenario recomputes the whole chain (综合得分 → bands → quota) and counts the
organizations whose proposed grade differs from the baseline. A table of small numbers
tells the committee the ranking is robust; a large one tells them the weights decide.

When one weight moves, the other two are rescaled in proportion so the three still sum
to 1 (0.3 / 0.3 / 0.4 with 平时考核 +0.1 gives 0.4 / 0.2571… / 0.3429…): that keeps the
relation the committee set between the other two. The arithmetic is exact (fractions of
the decimals typed), so the sum is 1 to the last bit the check in
:func:`tongjia_xls.scoring.composite.check_weights` can see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from fractions import Fraction

from tongjia_xls.scoring.bands import Bands, Quota
from tongjia_xls.scoring.composite import (
    COMPONENT_NAMES,
    Components,
    check_weights,
    composite_scores,
)
from tongjia_xls.scoring.grades import Number, exact, format_score
from tongjia_xls.scoring.grading import propose_grades

__all__ = ["EXCLUDE_FLAGGED", "STEP", "Scenario", "sensitivity", "shifted_weights"]

#: How far each weight is moved, up and down.
STEP = Fraction(1, 10)
EXCLUDE_FLAGGED = "剔除有问题的测评票"


@dataclass(frozen=True)
class Scenario:
    """One "what if": its label, how many proposed grades change, and which.

    ``details`` reads "甲村：好→较好" for each change; ``weights`` are the weights used.
    """

    label: str
    changed: int
    orgs: tuple[str, ...]
    details: tuple[str, ...] = ()
    weights: tuple[float, float, float] | None = None


def shifted_weights(
    weights: tuple[Number, Number, Number], index: int, delta: Number
) -> tuple[float, float, float] | None:
    """Return the weights with ``weights[index]`` moved by ``delta`` and the other two
    rescaled in proportion, or ``None`` when a weight would become negative."""
    exact_weights = [exact(w) for w in weights]
    moved = exact_weights[index] + exact(delta)
    if moved < 0 or moved > 1:
        return None
    others = [i for i in range(3) if i != index]
    rest = sum((exact_weights[i] for i in others), Fraction(0))
    result = [Fraction(0)] * 3
    result[index] = moved
    for i in others:
        # Two zero weights have no proportion to keep: share what is left equally.
        result[i] = (1 - moved) * exact_weights[i] / rest if rest else (1 - moved) / 2
    return float(result[0]), float(result[1]), float(result[2])


def _grades(
    components: list[Components],
    weights: tuple[Number, Number, Number],
    bands: Bands,
    quota: Quota,
    vetoes: Mapping[str, str],
) -> dict[str, str | None]:
    scores = {c.org: c.score for c in composite_scores(components, weights)}
    return propose_grades(scores, bands, quota, vetoes).grades


def _scenario(
    label: str,
    baseline: dict[str, str | None],
    grades: dict[str, str | None],
    weights: tuple[float, float, float] | None = None,
) -> Scenario:
    changed = tuple(org for org in baseline if grades.get(org) != baseline[org])
    details = tuple(
        f"{org}：{baseline[org] or '无'}→{grades.get(org) or '无'}" for org in changed
    )
    return Scenario(label, len(changed), changed, details, weights)


def sensitivity(
    components: Iterable[Components],
    weights: tuple[Number, Number, Number],
    bands: Bands,
    quota: Quota,
    vetoes: Mapping[str, str] | None = None,
    *,
    alternative_onsite: Mapping[str, float | None] | None = None,
) -> list[Scenario]:
    """Return the scenarios, each weight +0.1 then −0.1 in the order of the weights, then
    (when ``alternative_onsite`` is given) the 测评得分 without the problem ballots.

    ``alternative_onsite`` maps an organization to its 测评得分 with flagged ballots left
    out (``None``: no valid ballot left); organizations not in it keep theirs. A 现场述职
    typed by staff still wins, as in the baseline. Raises
    :class:`~tongjia_xls.scoring.composite.WeightsError` when the baseline weights are
    unusable.
    """
    items = list(components)
    vetoes = vetoes or {}
    check_weights(weights)
    baseline = _grades(items, weights, bands, quota, vetoes)
    scenarios = []
    for index, name in enumerate(COMPONENT_NAMES):
        for delta, sign in ((STEP, "+"), (-STEP, "−")):
            shifted = shifted_weights(weights, index, delta)
            if shifted is None:
                continue
            shown = " / ".join(format_score(w) for w in shifted)
            label = f"{name}权重 {sign}0.1（{shown}）"
            grades = _grades(items, shifted, bands, quota, vetoes)
            scenarios.append(_scenario(label, baseline, grades, shifted))
    if alternative_onsite is not None:
        cleaned = [
            replace(c, ballot_score=alternative_onsite[c.org])
            if c.org in alternative_onsite else c
            for c in items
        ]
        grades = _grades(cleaned, weights, bands, quota, vetoes)
        scenarios.append(_scenario(EXCLUDE_FLAGGED, baseline, grades))
    return scenarios
