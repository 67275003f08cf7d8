"""The quota's invariants, for every N from 1 to 200 (property-based).

Scores are drawn from a small pool so that ties are common, shares as whole percents so
the exact ceiling can be checked against integer arithmetic, and some organizations are
unscored or vetoed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from tongjia_xls.scoring.bands import Bands, Quota
from tongjia_xls.scoring.final import check_final
from tongjia_xls.scoring.grades import GRADES, LOW_GRADES
from tongjia_xls.scoring.grading import Proposals, propose_grades


@dataclass(frozen=True)
class Case:
    scores: dict[str, float | None]
    bands: Bands
    percent: int
    low_min: int
    vetoes: dict[str, str]

    @property
    def quota(self) -> Quota:
        return Quota(self.percent / 100, self.low_min)

    def propose(self) -> Proposals:
        return propose_grades(self.scores, self.bands, self.quota, self.vetoes)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    n = draw(st.integers(1, 200))
    pool = draw(st.lists(
        st.integers(6000, 10000).map(lambda cents: cents / 100), min_size=1, max_size=12,
        unique=True,
    ))
    values = draw(st.lists(st.sampled_from([*pool, None]), min_size=n, max_size=n))
    orgs = [f"{i:03d}村" for i in range(n)]
    # Bands mostly below the scores, so that the quota, not the bands, does the work.
    cuts = sorted(draw(st.lists(st.integers(40, 95), min_size=3, max_size=3)), reverse=True)
    vetoed = draw(st.sets(st.sampled_from(orgs), max_size=3))
    return Case(
        scores=dict(zip(orgs, values, strict=True)),
        bands=Bands(*cuts),
        percent=draw(st.integers(0, 100)),
        low_min=draw(st.integers(0, 5)),
        vetoes={org: "违反廉洁纪律" for org in sorted(vetoed)},
    )


@settings(max_examples=300, deadline=None)
@given(cases())
def test_the_quota_holds_unless_a_tie_blocks_it(case: Case) -> None:
    result = case.propose()
    graded = [p for p in result if p.grade is not None]
    n = len(graded)
    assert result.n == n == sum(
        1 for org, s in case.scores.items() if s is not None or org in case.vetoes
    )
    # The ceiling is exact and rounds up: integer arithmetic on whole percents.
    assert result.required_below_good == -(-case.percent * n // 100)
    assert result.required_low == min(case.low_min, n)
    below = sum(1 for p in graded if p.grade != "好")
    low = sum(1 for p in graded if p.grade in LOW_GRADES)
    assert (result.below_good, result.low) == (below, low)
    if result.met:
        assert below >= result.required_below_good and low >= result.required_low
        assert not result.tied
    else:
        assert result.tied, "the quota may only be left unmet by a tie for the 党委"


@settings(max_examples=300, deadline=None)
@given(cases())
def test_grades_respect_ties_vetoes_bands_and_scores(case: Case) -> None:
    result = case.propose()
    free = [p for p in result if p.veto is None and p.score is not None]
    for proposal in result:
        if proposal.org in case.vetoes:
            assert proposal.grade == "差" and proposal.veto
        elif case.scores[proposal.org] is None:
            assert proposal.grade is None and proposal.band_grade is None
        else:
            assert proposal.grade is not None and proposal.band_grade is not None
            # Never above the band grade; moved exactly when the quota lowered it.
            assert GRADES.index(proposal.grade) >= GRADES.index(proposal.band_grade)
            assert proposal.moved == (proposal.grade != proposal.band_grade)
            assert (proposal.reason is not None) == proposal.moved
    by_score: dict[float, set[str | None]] = {}
    for p in free:
        assert p.score is not None
        by_score.setdefault(p.score, set()).add(p.grade)
    # Equal scores, equal grades: a tie is never split.
    assert all(len(grades) == 1 for grades in by_score.values())
    # A higher score never gets a lower grade (among organizations without a veto).
    ordered = sorted(by_score)
    ranks = [GRADES.index(str(next(iter(by_score[s])))) for s in ordered]
    assert ranks == sorted(ranks, reverse=True)
    # A tie flag covers the whole group of equal scores.
    for p in free:
        if p.tie:
            assert all(q.tie for q in free if q.score == p.score)


@settings(max_examples=300, deadline=None)
@given(cases())
def test_the_quota_moves_no_more_than_it_needs(case: Case) -> None:
    result = case.propose()
    graded = [p for p in result if p.grade is not None]
    start = [p.grade if p.veto else p.band_grade for p in graded]
    start_below = sum(1 for g in start if g != "好")
    start_low = sum(1 for g in start if g in LOW_GRADES)
    moved = sum(1 for p in graded if p.moved)
    need = max(0, result.required_below_good - start_below) + max(
        0, result.required_low - start_low
    )
    assert moved <= need


@settings(max_examples=100, deadline=None)
@given(cases())
def test_input_order_does_not_matter(case: Case) -> None:
    forward = case.propose().grades
    reordered = dict(reversed(list(case.scores.items())))
    backward = propose_grades(reordered, case.bands, case.quota, case.vetoes).grades
    assert forward == backward


finals = st.one_of(
    st.none(), st.sampled_from([*GRADES, "", " 好 ", "较 好", "良好", "√"]),
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.text(min_size=1, max_size=4), finals, max_size=200),
    st.integers(0, 100),
    st.integers(0, 5),
)
def test_check_final_never_changes_the_committee_decision(
    grades: dict[str, str | None], percent: int, low_min: int
) -> None:
    before = copy.deepcopy(grades)
    result = check_final(grades, Quota(percent / 100, low_min))
    assert grades == before and list(grades) == list(before)
    counted = ["".join(g.split()) for g in grades.values() if g and "".join(g.split()) in GRADES]
    n = len(counted)
    below = sum(1 for g in counted if g != "好")
    low = sum(1 for g in counted if g in LOW_GRADES)
    assert (result.below_good, result.low) == (below, low)
    assert result.required_below_good == -(-percent * n // 100)
    assert result.required_low == min(low_min, n)
    assert result.met == (n > 0 and below >= result.required_below_good
                          and low >= result.required_low)
    assert result.message.startswith("符合比例要求") == result.met
    assert len(result.ungraded) + len(result.invalid) + n == len(grades)
