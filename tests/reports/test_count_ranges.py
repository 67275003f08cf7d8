"""Word's East Asian ranges, edge by edge: the first and last character of each range counts
one 字 by itself; its neighbours outside are "other" characters, which count once per run.

The ranges are written out here again on purpose, from Word's behaviour (see
docs/word-count.md), not read from the module: a test that read them from ``count.py`` would
pass whatever the table said.
"""

from __future__ import annotations

import pytest

from tongjia_xls.reports.count import word_count

EAST_ASIAN = (
    (0x1100, 0x11FF), (0x2E80, 0x2FFF), (0x3001, 0x303F), (0x3040, 0x33FF), (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7AF), (0xD7B0, 0xD7FF), (0xF900, 0xFAFF),
    (0xFE10, 0xFE1F), (0xFE30, 0xFE4F), (0xFF01, 0xFFEF), (0x1AFF0, 0x1B16F),
    (0x20000, 0x3FFFF),
)


def _inside(code: int) -> bool:
    return any(low <= code <= high for low, high in EAST_ASIAN)


EDGES = sorted({code for low, high in EAST_ASIAN for code in (low - 1, low, high, high + 1)})


@pytest.mark.parametrize("code", EDGES, ids=[f"U+{c:04X}" for c in EDGES])
def test_each_edge_of_each_range(code: int) -> None:
    pair = chr(code) * 2
    # Two East Asian characters are two 字; two others side by side are one run, one 字;
    # white space (U+3000, just before the third range) is no character at all.
    expected = 2 if _inside(code) else 0 if chr(code).isspace() else 1
    assert word_count(pair) == expected


def test_the_ideographic_space_separates_and_counts_nothing() -> None:
    assert word_count("\u3000") == 0
    assert word_count("ab\u3000cd") == 2
