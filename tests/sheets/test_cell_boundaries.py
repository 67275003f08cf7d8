"""Every limit of the cell parsers, on both sides: what staff type at the edge of a range.

Written from the mutants that survived ``tests/sheets`` (docs/mutation.md): each case sits
exactly on a limit, or one step past it, so a flipped comparison or a shifted constant fails.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest

from tongjia_xls.sheets.cells import (
    MAX_CELL_TEXT,
    CellValueError,
    cell_safe,
    parse_count,
    parse_date,
    parse_ratio,
    parse_score,
    parse_text,
)


@pytest.mark.parametrize(("value", "expected"), [
    (datetime(2024, 1, 5), "2024-01-05"),  # a date Excel stored with a time of 00:00
    (datetime(2024, 1, 5, 8, 30), "2024-01-05 08:30:00"),
])
def test_a_datetime_reads_as_its_date_only_at_midnight(value: datetime, expected: str) -> None:
    assert parse_text(value) == expected


@pytest.mark.parametrize(("parse", "value", "expected"), [
    (parse_count, 0, 0),
    (parse_count, "0", 0),
    (parse_score, 0, 0.0),
    (parse_score, 100, 100.0),
    (parse_score, "100", 100.0),
    (parse_ratio, 0, 0.0),            # nothing
    (parse_ratio, 1, 1.0),            # the whole, not 1 %
    (parse_ratio, 1.5, 0.015),        # above 1: typed as a percentage
    (parse_ratio, 2, 0.02),
    (parse_ratio, 100, 1.0),          # 100 typed for 100 %
    (parse_ratio, "0/3", 0.0),        # a fraction with a zero numerator
    (parse_ratio, "100%", 1.0),
    (parse_date, 1, date(1899, 12, 31)),        # the first serial Excel has
    (parse_date, 2958465, date(9999, 12, 31)),  # the last
])
def test_values_on_a_limit_are_accepted(parse: Callable[[Any], Any], value: Any,
                                        expected: Any) -> None:
    assert parse(value) == pytest.approx(expected)


@pytest.mark.parametrize(("parse", "value"), [
    (parse_count, -1),
    (parse_score, -0.1),
    (parse_score, 100.5),
    (parse_ratio, -0.5),
    (parse_ratio, 100.5),   # not a percentage any more, and more than the whole
    (parse_ratio, 101),
    (parse_date, 0),
    (parse_date, 2958466),
])
def test_values_one_step_past_a_limit_are_refused(parse: Callable[[Any], Any],
                                                  value: Any) -> None:
    with pytest.raises(CellValueError):
        parse(value)


def test_text_is_cut_only_beyond_excels_limit() -> None:
    full = "字" * MAX_CELL_TEXT
    assert cell_safe(full) == full
    longer = cell_safe(full + "多")
    assert len(longer) == MAX_CELL_TEXT and longer.endswith("…")
