"""What measure() counts: the survivors of the operator mutants of reports/measure.py.

字数 with and without text boxes and notes (``w:doNotIncludeSubdocsInStats``), WPS's count,
each part's 字数 exactly, the shares when a part is missing, both 必答题 kept apart, the
short-tenure research test and the longest unit of a figure (人次, not 人).
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest

from helpers import report_lines, report_text
from tongjia_xls.reports.count import word_count
from tongjia_xls.reports.measure import (
    _TO_ASCII,
    EXPLICIT,
    NONE,
    TOPIC_NAMES,
    _nfkc,
    find_data_points,
    measure,
)
from tongjia_xls.reports.model import Para, ReportText
from tongjia_xls.reports.structure import PART_KEYS, PLANS, PRACTICES, PROBLEMS
from tongjia_xls.settings import Settings

SETTINGS = Settings()
LINES = report_lines()
BASE = measure(report_text(LINES), SETTINGS)
TEXTBOX = "文本框：全年共开展主题党日活动十二次。"
FOOTNOTE = "注：数据截至十二月底。"


def _with_subdocs(in_stats: bool, note_marks: int = 0) -> ReportText:
    paragraphs = (*(Para(t) for t in LINES), Para(TEXTBOX, story="textbox"),
                  Para(FOOTNOTE, story="footnote"))
    return ReportText(Path("测试报告.docx"), paragraphs, subdocs_in_stats=in_stats,
                      note_marks=note_marks)


def test_the_whole_is_the_sum_of_its_paragraphs_and_each_part_of_its_own() -> None:
    assert BASE.words == sum(word_count(t) for t in LINES)
    assert BASE.words_wps == BASE.words
    for key in PART_KEYS:
        assert BASE.parts[key] == sum(word_count(t) for t in BASE.structure.parts[key].texts)
    assert BASE.parts_total == sum(BASE.parts.values())


@pytest.mark.parametrize(("in_stats", "marks", "extra_words", "extra_wps"), [
    (True, 0, word_count(TEXTBOX) + word_count(FOOTNOTE), 0),
    (False, 0, 0, 0),
    (True, 2, word_count(TEXTBOX) + word_count(FOOTNOTE), 2),
    (False, 1, 0, 1),
])
def test_text_boxes_and_notes_count_unless_the_file_says_not(
    in_stats: bool, marks: int, extra_words: int, extra_wps: int
) -> None:
    m = measure(_with_subdocs(in_stats, marks), SETTINGS)
    assert m.words == BASE.words + extra_words
    # WPS counts the main text only, and each note's reference mark as a word.
    assert m.words_wps == BASE.words + extra_wps
    # A text box sits in the text it stands next to; a note belongs to no part.
    assert m.parts_total == BASE.parts_total + (word_count(TEXTBOX) if in_stats else 0)


@pytest.mark.parametrize(("parts", "keys", "share"), [
    ({PRACTICES: 600, PROBLEMS: 300, PLANS: 100}, (PROBLEMS,), 0.3),
    ({PRACTICES: 600, PROBLEMS: 300, PLANS: 100}, (PROBLEMS, PLANS), 0.4),
    ({PRACTICES: 900, PROBLEMS: None, PLANS: 100}, (PROBLEMS,), None),  # a part not found
    ({PRACTICES: 900, PROBLEMS: None, PLANS: 100}, (PRACTICES,), 0.9),
    ({PRACTICES: 0, PROBLEMS: 0, PLANS: 0}, (PROBLEMS,), None),  # nothing to share
    ({PRACTICES: None, PROBLEMS: None, PLANS: None}, (PROBLEMS,), None),
])
def test_a_share_is_unknown_when_its_part_is_missing_or_nothing_was_counted(
    parts: dict[str, int | None], keys: tuple[str, ...], share: float | None
) -> None:
    assert replace(BASE, parts=parts).share(*keys) == share


def test_both_questions_are_answered_each_on_its_own() -> None:
    lines = report_lines(skip=("safety",))
    m = measure(report_text(lines), SETTINGS)
    assert list(m.topic_levels) == list(TOPIC_NAMES) == list(m.topics)
    assert m.topic_levels == {TOPIC_NAMES[0]: EXPLICIT, TOPIC_NAMES[1]: NONE}
    assert m.topics[TOPIC_NAMES[0]] and m.topics[TOPIC_NAMES[1]] == []


@pytest.mark.parametrize(("sentence", "research"), [
    ("到任后深入各组调研，摸清了党员队伍底数，明确了下步思路。", True),
    ("到任后深入各组调研，提出了三条举措。", True),
    ("到任后深入各组调研，摸清了党员队伍底数。", False),  # findings without measures
    ("到任后明确了下步思路和举措。", False),  # measures without research
])
def test_a_new_secretary_reports_research_and_measures_both(sentence: str, research: bool
                                                            ) -> None:
    lines = ["2023年度抓基层党建工作述职报告", "一、主要做法和成效", sentence,
             "二、存在问题及原因分析", "一是学习不够。", "三、下步工作打算", "一是加强学习。"]
    assert measure(report_text(lines), SETTINGS).research is research


@pytest.mark.parametrize(("text", "figures"), [
    ("培训党员96人次。", ["96人次"]),  # 人次, not 人 then 次
    ("发展积极分子3名，培训96人次，走访12户。", ["3名", "96人次", "12户"]),
    ("收入27.8万元。", ["27.8万元"]),
    ("收入2亿元。", ["2亿元"]),
])
def test_a_figure_takes_the_longest_unit_that_follows_it(text: str, figures: list[str]
                                                         ) -> None:
    assert find_data_points(text, SETTINGS.data_units) == figures


# The characters at the edges of the ranges _nfkc replaces without normalize(): the first
# and last of each range that decompose to ASCII.
FAST_EDGES = "！～\u3000\u2000…①\xa0"


def test_the_quick_table_reaches_the_edge_of_each_range() -> None:
    assert set(FAST_EDGES) <= set(_TO_ASCII)
    assert all(plain.isascii() and plain != char for char, plain in _TO_ASCII.items())


@pytest.mark.parametrize(("low", "high"), [
    (0xFF00, 0xFF5F), (0x2FFF, 0x3001), (0x1FFF, 0x2027), (0x214F, 0x218A), (0x245F, 0x2500),
    (0x009F, 0x00C0),
])
def test_the_quick_normal_form_is_nfkc_in_and_around_each_range(low: int, high: int) -> None:
    for code in range(low, high + 1):
        char = chr(code)
        for text in (char, f"党课{char}12次，", f"（{char}Ａ{char}）"):
            assert _nfkc(text) == unicodedata.normalize("NFKC", text), hex(code)
