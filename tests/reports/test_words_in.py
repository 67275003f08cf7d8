"""words_in finds each listed word that occurs, however the words overlap in the text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongjia_xls.reports.measure import _FEW_WORDS, distinct_words_in, words_in

# Three characters make words that overlap, nest and share starts all the time.
_text = st.text(alphabet="防火林", max_size=40)
_words = st.lists(st.text(alphabet="防火林", min_size=0, max_size=4), min_size=_FEW_WORDS,
                  max_size=14)


def _naive(text: str, words: list[str]) -> list[str]:
    return [w for w in words if w and w in text]


@given(_text, _words)
def test_many_words_are_found_as_one_search_each_would(text: str, words: list[str]) -> None:
    assert words_in(text, words) == _naive(text, words)


def _naive_distinct(text: str, words: list[str]) -> list[str]:
    """distinct_words_in's rule on the plain search: longer words found are blanked first."""
    found, rest, alone = _naive(text, words), text, set()
    for word in sorted(found, key=len, reverse=True):
        if word in rest:
            alone.add(word)
            rest = rest.replace(word, "\x00")
    return [w for w in found if w in alone]


@given(_text, _words)
def test_distinct_words_do_not_change_with_the_finder(text: str, words: list[str]) -> None:
    assert distinct_words_in(text, words) == _naive_distinct(text, words)


@pytest.mark.parametrize(("text", "words", "found"), [
    # 防火 starts inside 森林防火, which the finder takes first: found all the same.
    ("加强森林防火工作", ["森林防火", "防火", "消防", "隐患", "防汛", "安全", "林防", "森林"],
     ["森林防火", "防火", "林防", "森林"]),
    # A word starting where the last found one ends, one past its end, and none at all.
    ("安全生产隐患排查", ["安全生产", "产隐", "隐患", "排查", "消防", "防汛", "抗旱", "应急"],
     ["安全生产", "产隐", "隐患", "排查"]),
    # 乙丙丁 starts on the last character of 甲乙 and is the longest word: the stretch
    # searched again must reach ``longest - 1`` characters past the match.
    ("甲乙丙丁", ["甲乙", "乙丙丁", "戊", "己", "庚", "辛", "壬", "癸"], ["甲乙", "乙丙丁"]),
    ("", ["安全生产", "隐患", "排查", "消防", "防汛", "抗旱", "应急", "演练"], []),
    ("消防演练", ["", "消防", "", "演练", "x", "y", "z", "w"], ["消防", "演练"]),
])
def test_words_that_overlap_are_each_found(text: str, words: list[str],
                                           found: list[str]) -> None:
    assert len(words) >= _FEW_WORDS
    assert words_in(text, words) == found == _naive(text, words)
