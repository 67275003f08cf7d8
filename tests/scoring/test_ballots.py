"""测评票: reading marks, the checks with their 票号, the tally and the 测评得分."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongjia_xls.scoring.ballots import (
    FLAG_KINDS,
    Ballot,
    Counts,
    ballot_score,
    check_ballots,
    read_mark,
    scores_both_ways,
    tally,
)
from tongjia_xls.scoring.grades import GRADES

ORGS = ("青杠湾村", "松林坪村", "白鹭溪村", "金竹岭村", "南华路社区")
LAST_THREE = ORGS[2:]
SCORES = {"好": 100, "较好": 90, "一般": 75, "差": 60}


def ballot(number: Any, *marks: object) -> Ballot:
    return Ballot(number, dict(zip(ORGS, marks, strict=False)))


def kinds(flags: list) -> list[tuple[str, str]]:
    return [(f.number, f.kind) for f in flags]


def check(*ballots: Ballot, share: float = 0.15, low_min: int = 1) -> list:
    return check_ballots(list(ballots), ORGS, quota_share=share, quota_low_min=low_min)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("好", ("好", None)),
        (" 较好 ", ("较好", None)),
        ("\u3000一般\u3000", ("一般", None)),
        ("较 好", ("较好", None)),
        ("差\u200b", ("差", None)),
        (None, (None, None)),
        ("", (None, None)),
        ("   ", (None, None)),
        (float("nan"), (None, None)),
        ("√", (None, "√")),
        ("良", (None, "良")),
        (90, (None, "90")),
        (" 很好 ", (None, "很好")),
    ],
)
def test_read_mark(raw: object, expected: tuple) -> None:
    assert read_mark(raw) == expected


def test_clean_ballots_raise_no_flag() -> None:
    assert check(
        ballot("1", "好", "好", "较好", "一般", "好"),
        ballot("2", "好", "较好", "好", "好", "差"),
    ) == []


@pytest.mark.parametrize(
    ("marks", "expected_kinds", "orgs"),
    [
        ((None, "", None, None, " "), ["blank"], ()),
        (("好", None, "较好", "一般", None), ["partial"], ("松林坪村", "南华路社区")),
        (("好", "√", "较好", "一般", "好"), ["unknown_mark"], ("松林坪村",)),
        (("好", "好", "好", "好", "好"), ["uniform", "quota"], ()),
        (("一般", "一般", "一般", "一般", "一般"), ["uniform"], ()),
        (("好", "好", "好", "好", "较好"), ["quota"], ()),  # no 一般/差 at all
        (("好", "好", None, None, None), ["partial", "quota"], LAST_THREE),
        (("较好", "较好", None, None, None), ["partial", "quota"], LAST_THREE),
    ],
)
def test_each_kind_of_flag(marks: tuple, expected_kinds: list[str], orgs: tuple) -> None:
    flags = check(ballot("7", *marks))
    assert [f.kind for f in flags] == expected_kinds
    assert all(f.number == "7" for f in flags)
    assert all(f.message.startswith("票号 7 ") for f in flags)
    if orgs:
        assert flags[0].orgs == orgs


def test_messages_say_what_and_what_to_do() -> None:
    unknown = check(ballot("3", "好", "√", "较好", "一般", "好"))[0]
    assert "“松林坪村”填的“√”" in unknown.message
    assert "好、较好、一般、差" in unknown.message and "请按原票" in unknown.message
    partial = check(ballot("4", "好", None, "较好", "一般", "好"))[0]
    assert "松林坪村" in partial.message and "补录" in partial.message
    blank = check(ballot("5"))[0]
    assert "废票" in blank.message
    uniform = check(ballot("6", "好", "好", "好", "好", "好"))
    assert "全部评为“好”" in uniform[0].message
    assert "5 × 15% = 0.75，向上取整为 1 个" in uniform[1].message
    assert "问题测评票" in uniform[1].message


def test_uniform_needs_three_marked_orgs() -> None:
    assert [f.kind for f in check(ballot("1", "一般", "一般", None, None, None))] == ["partial"]


def test_ballot_quota_uses_the_orgs_it_marked() -> None:
    # 20 marked: 15% × 20 = 3 exactly, so 3 at 较好 or below is enough.
    orgs = [f"村{i:02d}" for i in range(20)]
    marks = {org: "好" for org in orgs}
    marks.update({orgs[0]: "一般", orgs[1]: "较好", orgs[2]: "较好"})
    assert check_ballots([Ballot("1", marks)], orgs, quota_share=0.15, quota_low_min=1) == []
    marks[orgs[2]] = "好"
    flags = check_ballots([Ballot("1", marks)], orgs, quota_share=0.15, quota_low_min=1)
    assert [f.kind for f in flags] == ["quota"]
    assert "20 × 15% = 3，即 3 个" in flags[0].message


def test_repeated_and_missing_numbers() -> None:
    flags = check(
        ballot("1", "好", "较好", "一般", "好", "好"),
        ballot(" 1 ", "好", "较好", "一般", "好", "好"),
        ballot("", "好", "较好", "一般", "好", "好"),
        ballot(2.0, "好", "较好", "一般", "好", "好"),  # Excel hands whole numbers over as floats
        ballot("2", "好", "较好", "一般", "好", "好"),
    )
    assert kinds(flags) == [("1", "duplicate"), ("", "no_number"), ("2", "duplicate")]
    assert "出现了 2 次（第 1 张、第 2 张）" in flags[0].message
    assert "第 3 张票没有填写票号" in flags[1].message


def test_flag_kinds_are_listed() -> None:
    flags = check(
        ballot("1", "好", "好", "好", "好", "好"), ballot("1"), ballot("", "差", None, "x")
    )
    assert {f.kind for f in flags} <= set(FLAG_KINDS)


def test_tally_counts_grades_and_skips_blank_and_unknown() -> None:
    ballots = [
        ballot("1", "好", "较好", "√", None, "差"),
        ballot("2", " 好", "一般", "好", "较好", "差"),
        ballot("3", "较好", "一般", "", "较好", "良"),
    ]
    counts = tally(ballots, ORGS, exclude_flagged=False, flags=[])
    assert counts["青杠湾村"] == Counts(good=2, fairly_good=1)
    assert counts["松林坪村"].as_dict() == {"好": 0, "较好": 1, "一般": 2, "差": 0}
    assert counts["白鹭溪村"].valid == 1
    assert counts["南华路社区"] == Counts(poor=2)
    assert list(counts) == list(ORGS)


def test_tally_leaves_flagged_ballots_out_only_when_asked() -> None:
    ballots = [
        ballot("1", "好", "较好", "一般", "好", "好"),
        ballot("2", "好", "好", "好", "好", "好"),  # uniform and breaks the quota
    ]
    flags = check(*ballots)
    assert {f.number for f in flags} == {"2"}
    kept = tally(ballots, ORGS, exclude_flagged=False, flags=flags)
    cleaned = tally(ballots, ORGS, exclude_flagged=True, flags=flags)
    assert kept["青杠湾村"].valid == 2
    assert cleaned["青杠湾村"].valid == 1
    both = scores_both_ways(ballots, ORGS, flags, SCORES)
    assert both["松林坪村"] == (95.0, 90.0)
    assert both["青杠湾村"] == (100.0, 100.0)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (Counts(10, 0, 0, 0), 100.0),
        (Counts(1, 1, 1, 1), 81.25),
        (Counts(15, 4, 1, 1), (1500 + 360 + 75 + 60) / 21),
        (Counts(0, 0, 0, 0), None),
        (Counts(0, 0, 0, 3), 60.0),
    ],
)
def test_ballot_score(counts: Counts, expected: float | None) -> None:
    assert ballot_score(counts, SCORES) == expected


def test_ballot_score_uses_the_settings_grade_scores() -> None:
    assert ballot_score(Counts(1, 1, 0, 0), {"好": 95, "较好": 85, "一般": 70, "差": 50}) == 90.0


marks = st.one_of(st.none(), st.sampled_from([*GRADES, " 好 ", "", "√", "良"]))


@given(st.lists(st.lists(marks, min_size=len(ORGS), max_size=len(ORGS)), max_size=30))
def test_tally_never_counts_more_than_the_ballots(rows: list[list[object]]) -> None:
    ballots = [ballot(str(i), *row) for i, row in enumerate(rows)]
    flags = check(*ballots)
    everything = tally(ballots, ORGS, exclude_flagged=False, flags=flags)
    cleaned = tally(ballots, ORGS, exclude_flagged=True, flags=flags)
    for org in ORGS:
        assert cleaned[org].valid <= everything[org].valid <= len(ballots)
        score = ballot_score(everything[org], SCORES)
        assert score is None or 60 <= score <= 100
    # A flagged ballot is exactly a ballot with something to say about it.
    flagged = {f.number for f in flags}
    for item, row in zip(ballots, rows, strict=True):
        read = [read_mark(mark) for mark in row]
        clean = all(grade for grade, _ in read)
        if not clean:
            assert item.number in flagged
