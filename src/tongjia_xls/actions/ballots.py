"""Scoring's first step: the votes of 测评票明细 (or, without it, the counts typed in 测评票).

:func:`read_ballots` tallies the ballots, writes the counts and 测评得分 back to 测评票 and
each ballot's problems to 测评票明细, and returns what :mod:`tongjia_xls.actions.score`
needs of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tongjia_xls.book.gateway import Workbook
from tongjia_xls.errors import Diagnostic, Severity
from tongjia_xls.scoring import (
    Ballot,
    BallotFlag,
    Counts,
    ballot_score,
    check_ballots,
    tally,
)
from tongjia_xls.settings import BALLOTS_EXCLUDED, Settings
from tongjia_xls.sheets.schema import BALLOT_DETAILS, BALLOTS, ORGS
from tongjia_xls.sheets.table import Record, Table, key_text

_COUNT_FIELDS = ("good", "fairly_good", "average", "poor")


@dataclass
class BallotTally:
    """What the ballots gave: each org's votes, the 测评得分 without flagged ballots (when
    it differs), the flagged ballots, the unreadable counts and what to tell staff."""

    counts: dict[str, Counts]
    clean_scores: dict[str, float | None] = field(default_factory=dict)
    flags: list[BallotFlag] = field(default_factory=list)
    unreadable: dict[str, list[str]] = field(default_factory=dict)  # org -> cells not read
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_ballots(book: Workbook, names: list[str], settings: Settings) -> BallotTally:
    """Return each org's votes, and the 测评得分 without flagged ballots (when it differs)."""
    details = book.read(BALLOT_DETAILS)
    ballots = [Ballot(str(r["number"]), _marks(r, names)) for r in details if r.get("number")]
    if not ballots:
        return _typed_ballots(book, names, settings)
    return _detailed_ballots(book, details, ballots, names, settings)


def _typed_ballots(book: Workbook, names: list[str], settings: Settings) -> BallotTally:
    """Return the counts typed in 测评票 (there are no ballots) and write their 测评得分."""
    counts = {}
    unreadable: dict[str, list[str]] = {}
    for record in book.read(BALLOTS):
        if not record.get("org"):
            continue
        row_counts = _typed_counts(record)
        if row_counts is None:
            unreadable.setdefault(record["org"], []).append(
                f"工作表“{BALLOTS.title}”第{record.row}行的票数无法识别")
            continue
        counts[record["org"]] = row_counts
    names_known = {key_text(n): n for n in names}
    counts = {names_known[key_text(o)]: c for o, c in counts.items()
              if key_text(o) in names_known}
    _write_ballot_scores(book, counts, {}, settings)
    return BallotTally(counts, unreadable=unreadable)


def _detailed_ballots(
    book: Workbook, details: Table, ballots: list[Ballot], names: list[str], settings: Settings,
) -> BallotTally:
    """Return the tally of 测评票明细, written over 测评票's counts, with its flags."""
    diagnostics = _unknown_columns(details, names)
    voted = _voted(details, names)
    flags = check_ballots(ballots, voted, quota_share=settings.quota_share,
                          quota_low_min=settings.quota_low_min)
    excluded = settings.flagged_ballots == BALLOTS_EXCLUDED
    counted = tally(ballots, voted, exclude_flagged=excluded, flags=flags)
    other = tally(ballots, voted, exclude_flagged=not excluded, flags=flags)
    clean = other if not excluded else counted
    clean_scores = {n: ballot_score(clean[n], settings.grade_scores) for n in voted}
    _write_tallied_counts(book, counted, names)
    _write_ballot_scores(book, counted, clean_scores, settings)
    _write_flags(book, details, flags)
    return BallotTally(counted, clean_scores, flags, diagnostics=diagnostics)


def _voted(details: Table, names: list[str]) -> list[str]:
    """Return the organizations that have a column in 测评票明细, in ``names`` order."""
    # An organization without a column was not voted for: its blank is no faulty ballot.
    headers = {key_text(h) for h in details.layout.extra_headers.values()} if details.layout \
        else set()
    return [n for n in names if key_text(n) in headers]


def _write_tallied_counts(
    book: Workbook, counted: Mapping[str, Counts], names: list[str]
) -> None:
    """Write the tally into 测评票, blanking the figures of organizations not voted for."""
    # The tally of 测评票明细 replaces the counts in 测评票: one source of truth per run.
    typed: dict[str, dict[str, Any]] = {
        n: dict(zip(_COUNT_FIELDS, (c.good, c.fairly_good, c.average, c.poor), strict=True))
        for n, c in counted.items()}
    for name in names:
        if name not in counted:  # last run's figures must not stand for a vote not held
            typed[name] = dict.fromkeys(_COUNT_FIELDS)
    book.update(BALLOTS, typed, add_missing=True, include_staff=True)
    book.update(BALLOTS, {n: {"valid_votes": None, "ballot_score": None,
                              "ballot_score_clean": None} for n in names if n not in counted})


def _write_flags(book: Workbook, details: Table, flags: list[BallotFlag]) -> None:
    """Write each ballot's problems (or a blank) into 测评票明细's flag column."""
    by_number: dict[str, list[str]] = {}
    for flag in flags:
        by_number.setdefault(flag.number, []).append(flag.message)
    rows = {r.row: {"flags": "；".join(by_number.get(str(r["number"]), [])) or None}
            for r in details if r.get("number")}
    book.update_rows(BALLOT_DETAILS, rows)


def _marks(record: Record, names: Sequence[str]) -> dict[str, Any]:
    extra = {key_text(header): value for header, value in record.extra.items()}
    return {name: extra.get(key_text(name)) for name in names}


def _unknown_columns(details: Table, names: list[str]) -> list[Diagnostic]:
    """Return a warning for each column that is no organization and each org without one."""
    layout = details.layout
    if layout is None:
        return []
    found = []
    known = {key_text(n) for n in names}
    for header in layout.extra_headers.values():
        if key_text(header) not in known:
            found.append(Diagnostic(
                f"表头“{header}”不是“{ORGS.title}”表中的党组织名称，该列的票未计入。请核对表头",
                sheet=details.title, column=header, severity=Severity.WARNING))
    for name in names:
        if key_text(name) not in {key_text(h) for h in layout.extra_headers.values()}:
            found.append(Diagnostic(
                f"没有“{name}”这一列，按未对该党组织测评处理（不算问题票，也不计测评得分）。"
                "如已对它投票，请在表头加上该党组织名称，再按原票录入",
                sheet=details.title, severity=Severity.WARNING))
    return found


def _typed_counts(record: Record) -> Counts | None:
    """Return the votes typed in 测评票, or ``None`` when one of the counts is unreadable."""
    if any(name in record.unreadable for name in _COUNT_FIELDS):
        return None
    return Counts(*(int(record.get(name) or 0) for name in _COUNT_FIELDS))


def _write_ballot_scores(
    book: Workbook, counts: Mapping[str, Counts], clean: Mapping[str, float | None],
    settings: Settings,
) -> None:
    """Write each org's valid votes, 测评得分 and (when it differs) the score without
    flagged ballots into 测评票."""
    rows = {}
    for org, votes in counts.items():
        score = ballot_score(votes, settings.grade_scores)
        other = clean.get(org)
        rows[org] = {
            "valid_votes": votes.valid or None,
            "ballot_score": score,
            "ballot_score_clean": other if other is not None and other != score else None,
        }
    book.update(BALLOTS, rows)
