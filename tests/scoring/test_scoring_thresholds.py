"""Scoring's limits exactly at and one step beyond them: weights, scores, ballots.

Written against mutants that survived the suite (docs/mutation.md): a tolerance of the
weights' sum widened, a score of 100 refused, ``continue`` turned into ``break`` when a
flagged ballot is left out, a uniform ballot needing four organizations instead of three.
"""

from __future__ import annotations

from typing import Any

import pytest

from tongjia_xls.scoring.ballots import Ballot, ballot_score, check_ballots, tally
from tongjia_xls.scoring.composite import WeightsError, check_weights
from tongjia_xls.sheets.cells import CellValueError, Kind, parse, parse_score

ORGS = ("青杠湾村", "松林坪村", "白鹭溪村", "金竹岭村", "南华路社区")
SCORES = {"好": 100, "较好": 90, "一般": 75, "差": 60}


# -- the three weights must sum to 1 (within a millionth) -----------------------------------

@pytest.mark.parametrize(("weights", "accepted"), [
    ((0.3, 0.3, 0.4), True),
    ((0.3, 0.3, 0.395), False),  # 0.995: half a percent short
    ((0.3, 0.3, 0.405), False),  # 1.005
    ((0.3, 0.3, 0.399), False),  # 0.999
    ((0.3, 0.3, 0.4000005), True),  # within the tolerance of a millionth, either side
    ((0.3, 0.3, 0.3999995), True),
    ((0.3, 0.3, 0.400002), False),  # two millionths: beyond it
    ((0.3, 0.3, 0.399998), False),
    ((0.33, 0.33, 0.34), True),
])
def test_weights_sum_to_one_within_a_millionth(
    weights: tuple[float, float, float], accepted: bool
) -> None:
    if accepted:
        assert check_weights(weights) == weights
    else:
        with pytest.raises(WeightsError, match="应为 1"):
            check_weights(weights)


@pytest.mark.parametrize(("weights", "accepted"), [
    ((0.0, 0.5, 0.5), True), ((-0.001, 0.5, 0.501), False), ((0, 0, 1), True),
])
def test_a_weight_may_be_zero_but_not_negative(
    weights: tuple[float, float, float], accepted: bool
) -> None:
    if accepted:
        assert check_weights(weights) == tuple(float(w) for w in weights)
    else:
        with pytest.raises(WeightsError, match="不能为负数"):
            check_weights(weights)


# -- a score runs from 0 to 100, both included ---------------------------------------------

@pytest.mark.parametrize(("typed", "read"), [
    (100, 100.0), ("100", 100.0), (100.0, 100.0), (0, 0.0), ("0", 0.0), (99.99, 99.99),
    (0.01, 0.01), (100.01, None), (-0.01, None), ("101", None), (-1, None),
])
def test_a_score_of_exactly_0_or_100_is_a_score(typed: Any, read: float | None) -> None:
    if read is None:
        with pytest.raises(CellValueError, match="0 到 100"):
            parse_score(typed)
        with pytest.raises(CellValueError):
            parse(Kind.SCORE, typed)
    else:
        assert parse_score(typed) == read == parse(Kind.SCORE, typed)


def test_every_ballot_at_good_scores_exactly_100() -> None:
    ballots = [Ballot(str(n), dict.fromkeys(ORGS, "好")) for n in range(1, 4)]
    counts = tally(ballots, ORGS, exclude_flagged=False, flags=[])
    assert {ballot_score(counts[org], SCORES) for org in ORGS} == {100.0}


# -- leaving a flagged ballot out leaves only that ballot out ----------------------------------

def _ballots(count: int) -> list[Ballot]:
    marks = ("好", "较好", "一般", "好", "好")
    return [Ballot(str(n), dict(zip(ORGS, marks, strict=True))) for n in range(1, count + 1)]


@pytest.mark.parametrize(("flagged", "counted"), [
    ((), 5), (("1",), 4), (("3",), 4), (("5",), 4), (("1", "2"), 3), (("2", "4"), 3),
    (("1", "2", "3", "4", "5"), 0),
])
def test_excluding_flagged_ballots_counts_every_other_one(
    flagged: tuple[str, ...], counted: int
) -> None:
    ballots = _ballots(5)
    flags = [_flag(number) for number in flagged]
    counts = tally(ballots, ORGS, exclude_flagged=True, flags=flags)
    assert {org: counts[org].valid for org in ORGS} == dict.fromkeys(ORGS, counted)
    kept = tally(ballots, ORGS, exclude_flagged=False, flags=flags)
    assert {org: kept[org].valid for org in ORGS} == dict.fromkeys(ORGS, 5)


def _flag(number: str) -> Any:
    # A real flag of the kind the committee excludes: a ballot rating everyone 好.
    uniform = Ballot(number, dict.fromkeys(ORGS, "好"))
    flags = check_ballots([uniform], ORGS, quota_share=0.15, quota_low_min=1)
    assert flags
    return flags[0]


# -- a uniform ballot: three organizations rated alike are enough to say so ----------------

@pytest.mark.parametrize(("marked", "uniform"), [(2, False), (3, True), (4, True), (5, True)])
def test_uniform_from_three_marked_orgs(marked: int, uniform: bool) -> None:
    marks = dict.fromkeys(ORGS[:marked], "一般")
    flags = check_ballots([Ballot("1", marks)], ORGS, quota_share=0.15, quota_low_min=1)
    assert ("uniform" in {f.kind for f in flags}) is uniform


# -- a ballot's own quota: ⌈share × marked⌉ below 好 and low_min at 一般/差 ----------------

@pytest.mark.parametrize(("low_min", "lows", "short"), [
    (0, 0, False), (1, 0, True), (1, 1, False), (2, 1, True), (2, 2, False),
])
def test_ballot_low_minimum_at_its_edge(low_min: int, lows: int, short: bool) -> None:
    marks = dict.fromkeys(ORGS, "较好")  # 5 below 好: the share's part is always met
    marks.update(dict.fromkeys(ORGS[:lows], "一般"))
    flags = check_ballots([Ballot("1", marks)], ORGS, quota_share=0.15, quota_low_min=low_min)
    assert ("quota" in {f.kind for f in flags}) is short


@pytest.mark.parametrize(("share", "below", "short"), [
    # 5 marked: 20 % asks exactly 1 below 好, 40 % exactly 2, 41 % asks 3 (⌈2.05⌉).
    (0.2, 1, False), (0.2, 0, True), (0.4, 2, False), (0.4, 1, True), (0.41, 2, True),
    (0.41, 3, False),
])
def test_ballot_share_at_its_edge(share: float, below: int, short: bool) -> None:
    marks = dict.fromkeys(ORGS, "好")
    marks.update(dict.fromkeys(ORGS[:below], "一般"))
    flags = check_ballots([Ballot("1", marks)], ORGS, quota_share=share,
                          quota_low_min=0)
    assert ("quota" in {f.kind for f in flags}) is short


# -- found by mutmut (docs/mutation.md): 票号 missing as None, triples, one org marked ------

def test_a_missing_number_is_flagged_and_the_ballot_named_by_its_place() -> None:
    flags = check_ballots([Ballot("1", dict.fromkeys(ORGS, "较好")), Ballot(None, {}),
                           Ballot(float("nan"), {ORGS[0]: "一般"})], ORGS,
                          quota_share=0.15, quota_low_min=1)
    assert [(f.number, f.kind) for f in flags] == [
        ("1", "uniform"), ("1", "quota"), ("", "no_number"), ("", "blank"), ("", "no_number"),
        ("", "partial"),
    ]
    assert flags[3].message.startswith("第 2 张票（未填票号）整张没有填写")
    assert flags[5].message.startswith("第 3 张票（未填票号）有 4 个党组织没有评等次")


def test_a_number_used_three_times_is_flagged_once_at_its_first_place() -> None:
    marks = dict(zip(ORGS, ("好", "较好", "一般", None, None), strict=True))
    ballots = [Ballot("7", marks), Ballot("8", marks), Ballot("7", marks), Ballot("7", marks)]
    flags = check_ballots(ballots, ORGS, quota_share=0.15, quota_low_min=1)
    assert [(f.number, f.kind) for f in flags] == [
        ("7", "duplicate"), ("7", "partial"), ("8", "partial"), ("7", "partial"),
        ("7", "partial"),
    ]
    assert "出现了 3 次（第 1 张、第 3 张、第 4 张）" in flags[0].message


@pytest.mark.parametrize(("mark", "quota"), [("好", True), ("较好", True), ("一般", False)])
def test_a_ballot_marking_one_org_still_owes_its_quota(mark: str, quota: bool) -> None:
    # One marked: ⌈15 % × 1⌉ = 1 below 好 and min(1, 1) = 1 at 一般 or 差.
    flags = check_ballots([Ballot("1", {ORGS[0]: mark})], ORGS, quota_share=0.15,
                          quota_low_min=1)
    assert ("quota" in {f.kind for f in flags}) is quota
