"""Finding the skeleton of a 述职报告: title, the three parts, the aspects, the listed items.

Secretaries follow 附件1 loosely: ``主要做法及成效`` for ``主要做法和成效``, ``存在的问题及原因
分析``, ``下一步工作打算``, headings with or without ``一、``, set only in bold, or run
together with their text in one paragraph. Matching here is tolerant of all of these and
plain: it reads paragraph texts (and their bold/heading flags), never a file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from tongjia_xls.reports.model import Para

PRACTICES = "practices"
PROBLEMS = "problems"
PLANS = "plans"
PART_KEYS = (PRACTICES, PROBLEMS, PLANS)
PART_NAMES = {PRACTICES: "主要做法和成效", PROBLEMS: "存在问题及原因分析", PLANS: "下步工作打算"}

_NUMBERED = (
    r"(?:[一二三四五六七八九十]{1,3}\s*[、.．,，]|\d{1,2}\s*[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|"
    r"第[一二三四五六七八九十]{1,3}(?:部分|板块)?\s*[、.．,，:：]?)"
)
_NUMBER = _NUMBERED + "?"
_PART_PATTERNS = {
    PRACTICES: r"(?:主要|工作)?(?:做法|工作)(?:和|及|与|、)?(?:主要)?(?:成效|成绩|亮点|特色亮点)|"
               r"主要做法|工作开展情况|履职情况",
    PROBLEMS: r"(?:存在的?|主要)(?:主要)?(?:问题|不足)(?:和|及|与|、)?(?:不足)?(?:(?:及|和|与|、)?"
              r"原因(?:分析)?)?|问题(?:和|及|与)原因(?:分析)?|不足(?:和|及|与)原因",
    PLANS: r"(?:下步|下一步|今后|下阶段|来年|\d{4}年)(?:的)?(?:工作)?(?:打算|计划|思路|举措|措施|"
           r"目标)|工作打算|努力方向|(?:整改措施|改进措施)(?:及|和)?(?:下步打算)?",
}
_HEADING_RE = {
    key: re.compile(rf"^\s*{_NUMBER}\s*(?:{pattern})\s*(?:方面)?\s*(?P<sep>[：:。.，,（(]|$)")
    for key, pattern in _PART_PATTERNS.items()
}
#: A heading line is short; longer paragraphs count as headings only when they are set as one.
HEADING_MAX_CHARS = 30

_ITEM_MARKERS = (
    # 一是 / 二是 … anywhere a sentence starts
    re.compile(r"(?:^|(?<=[。；;！？!?：:\s]))([一二三四五六七八九十]{1,2})是"),
    # 第一， / 第二、
    re.compile(r"(?:^|(?<=[。；;！？!?：:\s]))第([一二三四五六七八九十]{1,2})[，,、：:]"),
    # 1. / 1、 / （1） / (1) / （一） at the start of a paragraph
    re.compile(r"^\s*(?:[（(](\d{1,2}|[一二三四五六七八九十]{1,2})[）)]|(\d{1,2})[.．、](?!\d))"),
)
_CAUSE_RE = re.compile(
    r"究其原因|原因(?:主要)?(?:在于|是|有)|原因分析|主要原因|根源在于|深层次原因|问题产生的原因"
)


@dataclass
class Part:
    """One of the three parts: its heading and the paragraphs under it."""

    key: str
    heading: str
    index: int  # paragraph index of the heading
    paragraphs: list[Para] = field(default_factory=list)

    @property
    def texts(self) -> list[str]:
        """Return the texts of the part's paragraphs, the heading line left out."""
        return [p.text for p in self.paragraphs]

    @property
    def text(self) -> str:
        """Return the part's text, paragraphs joined by line breaks."""
        return "\n".join(self.texts)


@dataclass
class Structure:
    """What was found of a report's skeleton; a part not found is absent from ``parts``."""

    title: str | None
    preamble: list[Para]
    parts: dict[str, Part]
    order: list[str]  # the part keys in the order they stand in the report

    @property
    def in_order(self) -> bool:
        """Return True when the parts found stand in the order of 附件1."""
        return self.order == [k for k in PART_KEYS if k in self.order]

    def part_text(self, key: str) -> str:
        """Return the text of part ``key``, or ``""`` when it was not found."""
        part = self.parts.get(key)
        return part.text if part else ""


def find_structure(paragraphs: Sequence[Para]) -> Structure:
    """Return the title, the three parts and their paragraphs found in ``paragraphs``."""
    parts: dict[str, Part] = {}
    order: list[str] = []
    current: Part | None = None
    preamble: list[Para] = []
    for index, para in enumerate(paragraphs):
        match = _match_heading(para)
        if match is not None and match[0] not in parts:
            key, heading, rest = match
            current = Part(key, heading, index)
            parts[key] = current
            order.append(key)
            if rest:
                current.paragraphs.append(Para(rest, in_table=para.in_table, story=para.story))
            continue
        if current is None:
            preamble.append(para)
        else:
            current.paragraphs.append(para)
    title = next((p.text.strip() for p in preamble if p.text.strip()), None)
    return Structure(title, preamble, parts, order)


def _match_heading(para: Para) -> tuple[str, str, str] | None:
    """Return (part key, heading, text after it) when ``para`` opens a part."""
    text = para.text.strip()
    if not text or para.in_table:
        return None
    for key, regex in _HEADING_RE.items():
        found = regex.match(text)
        if not found:
            continue
        heading = text[: found.start("sep")].strip() if found.group("sep") else text
        # An opening bracket belongs to the note after the heading (附件1's own "（此部分…）").
        cut = found.start("sep") if found.group("sep") in ("（", "(") else found.end()
        rest = text[cut:].strip()
        looks_like_heading = (
            (not rest and len(text) <= HEADING_MAX_CHARS)
            or para.bold or para.outline_level is not None
            or bool(re.match(rf"^\s*{_NUMBERED}", text))
        )
        if looks_like_heading:
            return key, heading, rest
    return None


@dataclass(frozen=True)
class Item:
    """One enumerated item of parts 二 or 三 (``一是…``, ``1.``, ``（1）``, ``第一，``)."""

    marker: str
    text: str


def find_items(texts: Sequence[str]) -> list[Item]:
    """Return the enumerated items of a part, by the marker style the writer used most."""
    best: list[Item] = []
    for marker in _ITEM_MARKERS:
        items: list[Item] = []
        for text in texts:
            hits = list(marker.finditer(text))
            for number, hit in enumerate(hits):
                end = hits[number + 1].start() if number + 1 < len(hits) else len(text)
                label = next(g for g in hit.groups() if g)
                items.append(Item(label, text[hit.start():end].strip()))
        if len(items) > len(best):
            best = items
    return best


def find_causes(text: str) -> str | None:
    """Return the sentence that analyses causes in ``text``, or ``None`` when there is none."""
    found = _CAUSE_RE.search(text)
    if not found:
        return None
    start = max(text.rfind(mark, 0, found.start()) for mark in "。！？\n") + 1
    end = min((i for i in (text.find(m, found.end()) for m in "。！？\n") if i >= 0),
              default=len(text))
    return text[start : end + 1].strip()
