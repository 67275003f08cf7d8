"""Word-true 字数: the examples of word-count.md and the counter's algebraic properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongjia_xls.reports.count import (
    CHINESE_KEYBOARD_MARKS,
    WordStats,
    count_paragraphs,
    stats_paragraphs,
    word_count,
    word_stats,
)

# Every example of word-count.md, with the 字数 Word shows.
WORD_COUNT_MD_EXAMPLES = [
    ("2023年开展党课12次，发展入党积极分子3名。", 20),
    ("主题教育 theme education 100%", 7),
    ("使用 Adobe Photoshop 打开图片", 8),  # reported from Word
    ("Hello、World。", 4),  # reported from Word
    ("一二三四五 six seven eight", 8),  # reported from Word
    ("《中国共产党章程》", 9),
]

# The definitions in word-count.md's table of the dialog's fields.
DEFINITION_EXAMPLES = [
    ("2023", 1),
    ("100%", 1),
    ("5.2%", 1),
    ("e-mail", 1),
    ("-", 1),
    ("（，。、《》：；！？）", 11),  # full-width punctuation, one each
    ("ＡＢＣ１２３", 6),  # full-width letters and digits are East Asian
    ("“两个确立”", 6),  # Chinese keyboard quotes count by default
    ("——……·", 5),
    ("党员　大会", 4),  # U+3000 is whitespace
    ("学习\u200b强国", 4),  # zero-width space dropped
    ("\ufeff2023\u200b年", 2),  # dropped zero-width joins nothing apart, splits nothing
    ("abc\u200bdef", 1),
    ("", 0),
    ("   \t\n ", 0),
    ("27.8万元", 3),
    ("95%的群众", 4),
    ("하나 둘", 3),  # Hangul syllables count one each
    ("ひらがなカタカナ", 8),
    ("㈠㊣㎡", 3),  # U+3200-U+33FF
    ("𠀀𪚥", 2),  # CJK extension B beyond the BMP
    ("⺀⼀", 2),  # radicals
    ("ﾊﾝｶｸ", 4),  # half-width katakana
]


@pytest.mark.parametrize(("text", "expected"), WORD_COUNT_MD_EXAMPLES + DEFINITION_EXAMPLES)
def test_word_count_examples(text: str, expected: int) -> None:
    assert word_count(text) == expected
    assert word_stats(text).words == expected


def test_chinese_quotes_setting_off_makes_them_other_characters() -> None:
    # Off: the quotes stick to neighbouring non-East-Asian runs instead of counting alone.
    assert word_count("“OK”") == 3
    assert word_count("“OK”", chinese_quotes_east_asian=False) == 1
    assert word_count("“两个确立”", chinese_quotes_east_asian=False) == 6
    assert word_count("a—b", chinese_quotes_east_asian=False) == 1
    assert word_count("a—b") == 3


def test_word_stats_fields() -> None:
    stats = word_stats("主题教育 theme education 100%\n第二段\t2个")
    assert stats == WordStats(
        east_asian=4 + 3 + 1,
        other_words=3 + 1,
        words=12,
        chars_no_spaces=4 + 5 + 9 + 4 + 3 + 2,
        chars_with_spaces=4 + 5 + 9 + 4 + 3 + 2 + 3 + 1,  # three spaces, one tab
    )


def test_word_stats_drops_zero_width_from_character_counts() -> None:
    stats = word_stats("党\u200b建\ufeff")
    assert (stats.chars_no_spaces, stats.chars_with_spaces) == (2, 2)


def test_count_paragraphs_never_merges_edge_runs() -> None:
    assert word_count("abc" + "def") == 1
    assert count_paragraphs(["abc", "def"]) == 2
    assert count_paragraphs(["开展党课12", "3名党员"]) == 4 + 1 + 1 + 3
    assert count_paragraphs([]) == 0
    assert count_paragraphs(["“OK”"], chinese_quotes_east_asian=False) == 1
    assert stats_paragraphs(["ab", "cd"]).other_words == 2


# --- properties --------------------------------------------------------------------------

_EAST_ASIAN_REFERENCE = (
    (0x1100, 0x11FF),
    (0x2E80, 0x2FFF),
    (0x3001, 0x33FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7FF),
    (0xF900, 0xFAFF),
    (0xFE10, 0xFE1F),
    (0xFE30, 0xFE4F),
    (0xFF01, 0xFFEF),
    (0x1AFF0, 0x1B16F),
    (0x20000, 0x3FFFF),
)


def _reference_count(text: str) -> int:
    """Word's rule written out character by character, as word-count.md states it."""
    words = 0
    in_run = False
    for ch in text:
        if ch in "\u200b\ufeff":
            continue
        code = ord(ch)
        if ch.isspace():
            in_run = False
        elif ch in CHINESE_KEYBOARD_MARKS or any(
            lo <= code <= hi for lo, hi in _EAST_ASIAN_REFERENCE
        ):
            words += 1
            in_run = False
        elif not in_run:
            words += 1
            in_run = True
    return words


# Text that mixes every class of character the rule distinguishes.
_mixed_text = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from("党建年次名，。、（）《》“”‘’—…·　 \t\n\u200b\ufeff12.%abc-"),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    )
)
_cjk_text = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF))


@given(_mixed_text)
def test_matches_character_by_character_reference(text: str) -> None:
    assert word_count(text) == _reference_count(text)


@given(_mixed_text, _mixed_text)
def test_concatenation_with_space_adds_counts(a: str, b: str) -> None:
    assert word_count(a + " " + b) == word_count(a) + word_count(b)


@given(st.lists(_mixed_text, max_size=6))
def test_paragraphs_add_counts(paragraphs: list[str]) -> None:
    assert count_paragraphs(paragraphs) == sum(map(word_count, paragraphs))


@given(_cjk_text)
def test_pure_cjk_counts_every_character(text: str) -> None:
    assert word_count(text) == len(text)


@given(_mixed_text, st.lists(st.tuples(st.integers(min_value=0), st.sampled_from("\u200b\ufeff"))))
def test_zero_width_characters_are_ignored(text: str, inserts: list[tuple[int, str]]) -> None:
    chars = list(text)
    for position, mark in inserts:
        chars.insert(position % (len(chars) + 1), mark)
    spiked = "".join(chars)
    assert word_count(spiked) == word_count(text)
    assert word_stats(spiked) == word_stats(text)


@given(_mixed_text)
def test_stats_are_consistent(text: str) -> None:
    stats = word_stats(text)
    assert stats.words == stats.east_asian + stats.other_words == word_count(text)
    assert stats.other_words <= stats.chars_no_spaces - stats.east_asian
    assert stats.chars_no_spaces <= stats.chars_with_spaces <= len(text)
