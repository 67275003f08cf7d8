"""字数 exactly as Microsoft Word (and WPS) shows it in 审阅 → 字数统计.

Staff judge the notice's "1500-2000字" by the number Word prints, so the tool must print
the same one (see ``docs/word-count.md``):

* zero-width characters (U+200B, U+FEFF) are dropped first;
* every East Asian character counts 1 (Han ideographs of all blocks, CJK punctuation,
  kana, Hangul, Bopomofo, radicals, U+3200–U+33FF, vertical, compatibility and
  half/full-width forms and, by default, the marks a Chinese keyboard types:
  “ ” ‘ ’ — … ·);
* every maximal run of other non-whitespace characters counts 1 (``2023``, ``5.2%``);
* whitespace is what ``str.isspace()`` says (U+3000 included).

Which parts of a .docx make up the text (tables, text boxes, headers) is decided by the
code that extracts it; this module only counts strings. Paragraphs and table cells must
be joined with a break, which :func:`count_paragraphs` does, so that runs at their edges
never merge.

The classification is a compiled character class: one ``re.subn`` replaces every run of East
Asian characters by a space (their count follows from the lengths) and ``str.split()`` then
yields the runs of other characters, both in C, so counting ten thousand reports stays cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "CHINESE_KEYBOARD_MARKS",
    "WordStats",
    "count_paragraphs",
    "stats_paragraphs",
    "word_count",
    "word_stats",
]

#: Characters Word ignores altogether.
ZERO_WIDTH = "\u200b\ufeff"

#: Marks a Chinese keyboard types that Word counts as East Asian by default:
#: “ ” ‘ ’ — … ·
CHINESE_KEYBOARD_MARKS = "\u201c\u201d\u2018\u2019\u2014\u2026\u00b7"

# Inclusive code point ranges of East Asian characters. U+3000 is left out on purpose:
# it is whitespace, which must separate runs and count nothing.
_EAST_ASIAN_RANGES: tuple[tuple[int, int], ...] = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x2FFF),  # CJK radicals supplement, Kangxi radicals, description characters
    (0x3001, 0x303F),  # CJK symbols and punctuation (without the ideographic space)
    (0x3040, 0x33FF),  # kana, Bopomofo, Hangul compatibility Jamo, Kanbun, strokes,
    # enclosed CJK letters and months, CJK compatibility
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA960, 0xA97F),  # Hangul Jamo extended A
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xD7B0, 0xD7FF),  # Hangul Jamo extended B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF01, 0xFFEF),  # half-width and full-width forms
    (0x1AFF0, 0x1B16F),  # kana extended B, kana supplement, kana extended A, small kana
    (0x20000, 0x3FFFF),  # CJK extensions B-I and compatibility supplement (planes 2, 3)
)

# Line and paragraph breaks: the whitespace that "字符数(计空格)" leaves out.
_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"


def _char_class(ranges: Iterable[tuple[int, int]], extra: str) -> str:
    parts = [f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in ranges]
    parts.extend(re.escape(ch) for ch in extra)
    return "[" + "".join(parts) + "]"


# Runs of East Asian characters: Chinese text is nearly all one run per sentence, so one
# match per run instead of one per character.
_EAST_ASIAN_WITH_MARKS = re.compile(_char_class(_EAST_ASIAN_RANGES, CHINESE_KEYBOARD_MARKS) + "+")
_EAST_ASIAN_ONLY = re.compile(_char_class(_EAST_ASIAN_RANGES, "") + "+")
_DROP_ZERO_WIDTH = str.maketrans("", "", ZERO_WIDTH)
_DROP_BREAKS = str.maketrans("", "", _BREAKS)


@dataclass(frozen=True)
class WordStats:
    """The figures of Word's 字数统计 dialog for one text."""

    east_asian: int
    """中文字符和朝鲜语单词."""
    other_words: int
    """非中文单词: maximal runs of other non-whitespace characters."""
    words: int
    """字数 = east_asian + other_words: the number staff compare with 1500-2000."""
    chars_no_spaces: int
    """字符数(不计空格)."""
    chars_with_spaces: int
    """字符数(计空格): spaces and tabs included, line and paragraph breaks not."""


def _pattern(chinese_quotes_east_asian: bool) -> re.Pattern[str]:
    return _EAST_ASIAN_WITH_MARKS if chinese_quotes_east_asian else _EAST_ASIAN_ONLY


def word_count(text: str, *, chinese_quotes_east_asian: bool = True) -> int:
    """Return Word's 字数 of ``text``.

    ``chinese_quotes_east_asian`` mirrors Word's default of counting “ ” ‘ ’ — … · as
    East Asian characters; turned off they join the runs of other characters.
    """
    if "\u200b" in text or "\ufeff" in text:  # ZERO_WIDTH; translate is slow, they are rare
        text = text.translate(_DROP_ZERO_WIDTH)
    # _east_asian written out: this runs once per paragraph of every report.
    rest, runs = _pattern(chinese_quotes_east_asian).subn(" ", text)
    return len(text) - len(rest) + runs + len(rest.split())


def _east_asian(text: str, chinese_quotes_east_asian: bool) -> tuple[str, int]:
    """Return ``text`` with each run of East Asian characters made one space, and their count.

    The space is a run boundary for ``split()``; a run of n characters shortens the text by
    n - 1, so the lengths give the count.
    """
    rest, runs = _pattern(chinese_quotes_east_asian).subn(" ", text)
    return rest, len(text) - len(rest) + runs


def word_stats(text: str, *, chinese_quotes_east_asian: bool = True) -> WordStats:
    """Return all the figures of Word's 字数统计 dialog for ``text``."""
    text = text.translate(_DROP_ZERO_WIDTH)
    rest, east_asian = _east_asian(text, chinese_quotes_east_asian)
    no_spaces = sum(map(len, text.split()))
    other_words = len(rest.split())
    return WordStats(
        east_asian=east_asian,
        other_words=other_words,
        words=east_asian + other_words,
        chars_no_spaces=no_spaces,
        chars_with_spaces=len(text.translate(_DROP_BREAKS)),
    )


def count_paragraphs(paragraphs: Iterable[str], **kw: bool) -> int:
    """Return Word's 字数 of several paragraphs (or table cells) taken together.

    They are joined with a paragraph break so that a run ending one paragraph never
    merges with a run starting the next, as in Word.
    """
    return word_count("\n".join(paragraphs), **kw)


def stats_paragraphs(paragraphs: Iterable[str], **kw: bool) -> WordStats:
    """Return :func:`word_stats` of several paragraphs joined with paragraph breaks."""
    return word_stats("\n".join(paragraphs), **kw)
