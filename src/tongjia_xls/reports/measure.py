"""Measuring a report: 字数 of the whole and of each part, figures, topics, voice, items.

Everything a rule judges is measured here once, on plain text, so that the rules stay small
and the numbers they quote are the numbers the sheet shows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from tongjia_xls.reports.count import count_paragraphs
from tongjia_xls.reports.items import Item, find_items, split_problems
from tongjia_xls.reports.model import Para, ReportText
from tongjia_xls.reports.structure import (
    PART_KEYS,
    PLANS,
    PRACTICES,
    PROBLEMS,
    Structure,
    find_structure,
)
from tongjia_xls.settings import Settings
from tongjia_xls.sheets.schema import REPORTS

ASPECT_NAMES = ("加强政治建设", "服务保障中心大局", "推进基层党建工作重点任务落实", "落实责任")
#: The two 必答题 of 三、7, in the notice's words: the headers of their 述职报告 columns.
TOPIC_NAMES = (REPORTS.header("topic_economy"), REPORTS.header("topic_safety"))
#: How a 必答题 is answered: in its own words, in substance only, or not at all.
EXPLICIT, SUBSTANCE, NONE = "明确回答", "实质回答", "未回答"

# Fixed phrases of the Party's vocabulary whose numerals are no data (两个确立, 三会一课 …).
_NOT_DATA = re.compile(
    r"两个确立|两个维护|四个意识|四个自信|三件大事|三大会战|三会一课|一岗双责|三区三城|四化同步|"
    r"五区共兴|一是|二是|三是|四是|五是|第一|一个|一批|一次|一名|一项|一件|一条|一人|一户|一处"
)
_NUMERAL = "[二三四五六七八九十百千万两零]"
_CHINESE_NUMERAL = _NUMERAL + "+"
_FIRST_PERSON = re.compile(r"本人|我(?![们村镇社区乡市县省国党])")
# "(?:上年度|上一年度|去年|上年|前一年)[^。！？\n]{0,40}(?:整改|问题|查摆|反馈)|(?:巡视|巡察|督察)
# [^。！？\n]{0,20}(?:反馈|整改)", each opening spelt out: re scans quickly for a pattern whose
# alternatives all open with a plain character; a group first makes it try every position.
_LAST_YEAR_TAIL = r"[^。！？\n]{0,40}(?:整改|问题|查摆|反馈)"
_INSPECTION_TAIL = r"[^。！？\n]{0,20}(?:反馈|整改)"
_PRIOR_YEAR = re.compile("|".join(
    [*(w + _LAST_YEAR_TAIL for w in ("上年度", "上一年度", "去年", "上年", "前一年")),
     *(w + _INSPECTION_TAIL for w in ("巡视", "巡察", "督察"))]
))
# 三、7: a new secretary reports "调研了解的基层党建突出问题" and "思路举措" (a substring
# search each, several times faster than re.search for the same words).
_RESEARCH = ("调研",)
_MEASURES = ("思路", "举措")


@dataclass
class Measures:
    """What was measured of one report; a part not found has ``None`` as its 字数."""

    words: int
    parts: dict[str, int | None]
    structure: Structure
    data_points: list[str]
    topics: dict[str, list[str]]  # topic -> the words that answer it (explicit, or substance)
    aspects: dict[str, list[str]]  # aspect -> the words of it found in part 一
    problems: list[Item]
    plans: list[Item]
    causes: str | None  # the sentence that opens the analysis of causes
    first_person: int
    prior_year: list[str]  # sentences that answer for last year's problems
    research: bool  # the short-tenure report covers research findings and measures
    text: str = field(repr=False, default="")
    cause_items: list[Item] = field(default_factory=list)  # the causes the analysis lists
    topic_levels: dict[str, str] = field(default_factory=dict)  # topic -> EXPLICIT/SUBSTANCE/NONE
    words_wps: int | None = None  # WPS's 字数: the main text only, note marks counted

    @property
    def parts_total(self) -> int:
        """Return the 字数 of the three parts together (parts not found count 0)."""
        return sum(n or 0 for n in self.parts.values())

    def share(self, *keys: str) -> float | None:
        """Return the share of ``keys``' 字数 in the three parts' 字数; ``None`` if unknown."""
        total = self.parts_total
        if not total or any(self.parts.get(k) is None for k in keys):
            return None
        return sum(self.parts[k] or 0 for k in keys) / total


def measure(report: ReportText, settings: Settings) -> Measures:
    """Return the measures of ``report`` under ``settings`` (units, topic and aspect words)."""
    # Word counts text boxes, footnotes and endnotes unless the file says not to.
    in_word = [p for p in report.paragraphs if report.subdocs_in_stats or p.story == "body"]
    # Notes stand after the text; they belong to no part.
    structure = find_structure([p for p in in_word if p.story in ("body", "textbox")])
    whole, whole_wps, parts = _word_counts(report, in_word, structure)
    text = report.text
    practices = structure.part_text(PRACTICES)
    plans_part = structure.parts.get(PLANS)
    levels = _topic_levels(compact(text), settings)
    problem_items, cause_items, causes = (
        split_problems(structure.parts[PROBLEMS].texts) if PROBLEMS in structure.parts
        else ([], [], None))
    return Measures(
        words=whole,
        words_wps=whole_wps,
        parts=parts,
        structure=structure,
        data_points=find_data_points(practices, settings.data_units),
        topics={topic: found for topic, (_, found) in levels.items()},
        topic_levels={topic: level for topic, (level, _) in levels.items()},
        aspects=_aspects(compact(practices), settings),
        problems=problem_items,
        plans=find_items(plans_part.texts) if plans_part else [],
        causes=causes,
        cause_items=cause_items,
        first_person=len(_FIRST_PERSON.findall(structure.part_text(PROBLEMS))),
        prior_year=[m.group(0) for m in _PRIOR_YEAR.finditer(text)],
        research=any(w in text for w in _RESEARCH) and any(w in text for w in _MEASURES),
        text=text,
    )


def _word_counts(report: ReportText, in_word: Sequence[Para], structure: Structure
                 ) -> tuple[int, int, dict[str, int | None]]:
    """Return the 字数 as Word counts it, as WPS counts it, and each part's (``None``: absent).

    WPS counts the main text only, and each note's reference mark in it as a word.
    """
    # 字数 adds up over paragraphs joined by breaks (no run crosses one), so one count of
    # the joined texts is the sum of their counts: one pass of the pattern in C per list,
    # not a call and a dictionary lookup per paragraph.
    whole = count_paragraphs(p.text for p in in_word)
    body = [p.text for p in report.paragraphs if p.story == "body"]
    # in_word holds every body paragraph, and others only when some are not body.
    whole_wps = report.note_marks + (
        whole if len(body) == len(in_word) else count_paragraphs(body))
    parts = {
        key: count_paragraphs(structure.parts[key].texts) if key in structure.parts else None
        for key in PART_KEYS
    }
    return whole, whole_wps, parts


def _topic_levels(compact_text: str, settings: Settings) -> dict[str, tuple[str, list[str]]]:
    """Return how each 必答题 is answered, and the words that show it."""
    return {
        TOPIC_NAMES[0]: topic_level(compact_text, settings.economy_words,
                                    settings.economy_substance_words, settings),
        TOPIC_NAMES[1]: topic_level(compact_text, settings.safety_words,
                                    settings.safety_substance_words, settings),
    }


def _aspects(compact_practices: str, settings: Settings) -> dict[str, list[str]]:
    """Return, per aspect of the work, the words of it that the practices part uses."""
    aspect_words = (settings.aspect_politics_words, settings.aspect_center_words,
                    settings.aspect_tasks_words, settings.aspect_duty_words)
    return {name: words_in(compact_practices, listed)
            for name, listed in zip(ASPECT_NAMES, aspect_words, strict=True)}


def topic_level(compact_text: str, explicit: Sequence[str], substance: Sequence[str],
                settings: Settings) -> tuple[str, list[str]]:
    """Return how a 必答题 is answered, and the words that show it.

    ``EXPLICIT``: its own words stand in the report; ``SUBSTANCE``: at least
    ``substance_words_min`` of the words of that work (集体经济, 招商 …) do; else ``NONE``.
    """
    named = words_in(compact_text, explicit)
    if named:
        return EXPLICIT, named
    found = distinct_words_in(compact_text, substance)
    if len(found) >= max(settings.substance_words_min, 1):
        return SUBSTANCE, found
    return NONE, []


def compact(text: str) -> str:
    """Return ``text`` without white space, as word lists are matched against it."""
    # str.split's white space is re's \s (the same test of every code point), three times
    # faster than re.sub(r"\s+", "", text).
    return "".join(text.split())


def words_in(compact_text: str, words: Sequence[str]) -> list[str]:
    """Return which of ``words`` occur in ``compact_text`` (a text passed through compact)."""
    if len(words) < _FEW_WORDS:
        return [w for w in words if w and w in compact_text]
    finder, longest = _word_finder(tuple(words))
    # One scan finds words that do not overlap. A word it passed over starts inside one of
    # its matches (else the scan would have matched it there), so it lies within that match
    # and the ``longest - 1`` characters after it: only those stretches are searched again,
    # not the whole text once per word.
    spans = [found.span() for found in finder.finditer(compact_text)]
    seen = {compact_text[start:end] for start, end in spans}
    stretches = "\x00".join(compact_text[start:end + longest - 1] for start, end in spans)
    return [w for w in words if w and (w in seen or w in stretches)]


#: Below this many words, one search of the text each is quicker than the finder.
_FEW_WORDS = 8


@lru_cache(maxsize=32)
def _word_finder(words: tuple[str, ...]) -> tuple[re.Pattern[str], int]:
    """Return a pattern finding any of ``words`` and the length of the longest."""
    listed = list(dict.fromkeys(w for w in words if w))
    return re.compile("|".join(map(re.escape, listed)) or "(?!)"), max(map(len, listed),
                                                                           default=1)


def distinct_words_in(compact_text: str, words: Sequence[str]) -> list[str]:
    """Return which of ``words`` occur in ``compact_text`` on their own.

    A word found only inside a longer one found too (防火 in 森林防火, 返贫 in 防返贫) is
    the same mention, not a second word of the work.
    """
    found = words_in(compact_text, words)
    rest, alone = compact_text, set()
    for word in sorted(found, key=len, reverse=True):
        if word in rest:
            alone.add(word)
            rest = rest.replace(word, "\x00")
    return [w for w in found if w in alone]


def find_data_points(text: str, units: Sequence[str]) -> list[str]:
    """Return the concrete figures in ``text``: a number with a unit (12次, 3名, 27.8万元)."""
    if not units:
        return []
    text = _nfkc(text)
    folded = _NOT_DATA.sub(_blank, text)
    return [m.group(0) for m in _data_pattern(tuple(units)).finditer(folded)]


def _blank(found: re.Match[str]) -> str:
    return "□" * (found.end() - found.start())


@lru_cache(maxsize=16)
def _data_pattern(units: tuple[str, ...]) -> re.Pattern[str]:
    r"""Return the pattern of a figure with one of ``units``.

    It matches what ``(?<![第\d.])(?:\d+(?:\.\d+)?|[二三…]+)\s*(?:余|多)?(?:units)`` does,
    but opens with its first character's class, the one form ``re`` scans for quickly (a
    lookbehind first makes it try the whole pattern at every character, eight times
    slower): that character, then the lookbehind on the one before it, then the rest of the
    number, the branch chosen by the first character.
    """
    unit = "|".join(re.escape(u) for u in sorted(units, key=len, reverse=True))
    return re.compile(
        rf"[\d{_NUMERAL[1:-1]}](?<![第\d.].)(?:(?<=\d)\d*(?:\.\d+)?|(?<={_NUMERAL}){_NUMERAL}*)"
        rf"\s*(?:余|多)?(?:{unit})"
    )


def _nfkc(text: str) -> str:
    """Return ``unicodedata.normalize("NFKC", text)``, about ten times faster on Chinese text.

    Chinese text is hardly ever NFKC already: its full-width ，（）：； are compatibility
    characters. Those in ``_TO_ASCII`` decompose to plain ASCII, so putting that ASCII in
    their place leaves the text's NFKD, hence its NFKC, unchanged; when the result is
    normalized it is the NFKC of ``text``. Anything else falls back to ``normalize``.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    quick = text
    # The punctuation of Chinese text first: a search for each is quicker than a scan for
    # the whole class, and most texts have no other.
    for char, plain in _PUNCTUATION:
        if char in quick:
            quick = quick.replace(char, plain)
    if unicodedata.is_normalized("NFKC", quick):
        return quick
    # str.translate would look up every character; the few there are get a replace each.
    for char in set(_TO_ASCII_FOUND.findall(quick)):
        quick = quick.replace(char, _TO_ASCII[char])
    return quick if unicodedata.is_normalized("NFKC", quick) else unicodedata.normalize(
        "NFKC", text)


def _ascii_decompositions(*ranges: tuple[int, int]) -> dict[str, str]:
    table = {}
    for low, high in ranges:
        for char in map(chr, range(low, high + 1)):
            plain = unicodedata.normalize("NFKD", char)
            if plain != char and plain.isascii():
                table[char] = plain
    return table


# Full-width forms, the ideographic space, …, circled and Roman numerals, odd spaces.
_TO_ASCII = _ascii_decompositions((0xFF01, 0xFF5E), (0x3000, 0x3000), (0x2000, 0x2026),
                                  (0x2150, 0x2189), (0x2460, 0x24FF), (0x00A0, 0x00BF))
_TO_ASCII_FOUND = re.compile("[" + "".join(map(re.escape, _TO_ASCII)) + "]")
_PUNCTUATION = tuple((char, _TO_ASCII[char]) for char in "，（）：；！？　％．")
