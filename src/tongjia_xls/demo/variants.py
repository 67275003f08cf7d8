"""Sentence templates with alternatives, and which alternatives each report gets.

A template of the phrase banks is ordinary text with groups of alternatives in square
brackets, ``[甲|乙|丙]``, and ``str.format`` fields for an organization's figures::

    "[全年组织集中学习{study}次|班子集体学习{study}次]，[开展研讨{seminars}次|交流发言{seminars}次]。"

Each report has a *serial*: the organization's place in the demo roster, plus the roster's
length in odd years. A template with ``P`` combinations (the product of its group sizes)
gives serial ``s`` the combination number ``(s * step + offset) mod P``, read digit by digit
in mixed radix, with ``step`` coprime to ``P`` (about 0.618 P, so neighbours differ in
several groups) and ``offset`` from a CRC of the template (so report 0 does not always get
the first alternatives). Two serials get the same combination only when ``P`` divides their
difference: a template with ``P >= 2 * len(roster)`` never gives two reports of one year,
nor one organization's reports of two years running, the same sentence. That is what keeps
the near-duplicate check (``tongjia_xls.reports.similarity``) quiet on honest demo reports.
"""

from __future__ import annotations

import re
import zlib
from functools import cache
from math import gcd, prod

__all__ = ["SERIALS_PER_YEAR", "combinations", "realize", "serial_for"]

_GROUP = re.compile(r"\[([^\[\]]*)\]")

#: Serials of one year: the 21 organizations of the demo roster.
SERIALS_PER_YEAR = 21


@cache
def _parse(template: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """Return the fixed texts and the groups of alternatives between them."""
    pieces = _GROUP.split(template)
    return tuple(pieces[0::2]), tuple(tuple(p.split("|")) for p in pieces[1::2])


def combinations(template: str) -> int:
    """Return how many different sentences ``template`` can give."""
    return prod(len(group) for group in _parse(template)[1])


@cache
def _walk(size: int) -> int:
    """Return the step through ``size`` combinations: coprime to it, near the golden cut."""
    if size <= 2:
        return 1
    step = max(1, round(size * 0.618))
    while gcd(step, size) != 1:
        step += 1
    return step


def realize(template: str, serial: int) -> str:
    """Return ``template`` with serial ``serial``'s alternative of every group (unformatted)."""
    fixed, groups = _parse(template)
    if not groups:
        return template
    size = prod(len(group) for group in groups)
    offset = zlib.crc32(template.encode("utf-8")) % size
    number = (serial * _walk(size) + offset) % size
    out = [fixed[0]]
    for group, after in zip(groups, fixed[1:], strict=True):
        number, digit = divmod(number, len(group))
        out.append(group[digit])
        out.append(after)
    return "".join(out)


def serial_for(index: int, year: int) -> int:
    """Return the serial of the report of roster position ``index`` for ``year``."""
    return index % SERIALS_PER_YEAR + SERIALS_PER_YEAR * (year % 2)
