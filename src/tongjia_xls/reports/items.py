"""The grammar of listed items: how secretaries number problems, causes and plans.

One grammar, used by the checker (how many problems, causes and plans a report lists) and by
the ledger (one draft per problem, the plan that answers it, returned plans read back), so
the two can never count the same report differently.

Secretaries number items ``一是``, ``第一，``, ``（一）``, ``（1）``, ``1.``, ``1、``, ``一、``,
``首先……其次……最后``, or not at all; in one paragraph each or run together in one. In part 二
the problems are followed by the analysis of their causes, often numbered in the same way:
:func:`split_problems` keeps the two apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "CAUSE_INTRO",
    "Item",
    "cause_start",
    "clean_item",
    "find_items",
    "marker_style",
    "split_problems",
    "strip_marker",
]

_CN = "一二三四五六七八九十"
_BREAK = r"[。；;！？!?：:\n]"
_BREAK_OR_COMMA = r"[。；;！？!?：:\n，,]"
#: Where a sentence, and so an item run into its paragraph, may start.
_AFTER_BREAK = rf"(?:^|(?<={_BREAK}))\s*"
#: "一是……，二是……": these markers are plain enough to follow a comma too.
_AFTER_COMMA = rf"(?:^|(?<={_BREAK_OR_COMMA}))\s*"


@dataclass(frozen=True)
class Item:
    """One listed item: its marker's number (``"一"``, ``"2"``; ``""`` if none) and its text."""

    marker: str
    text: str


@dataclass(frozen=True)
class _Marker:
    name: str
    anywhere: re.Pattern[str]  # at the start of a paragraph or of a sentence
    start: re.Pattern[str]  # at the very start of a text, for stripping
    probe: tuple[str, ...]  # one of these stands in any text the marker can match
    # The breaks (or commas) after which ``anywhere`` matches; None: read it with finditer.
    after: re.Pattern[str] | None
    unled: re.Pattern[str] | None  # where an alternative the lead does not govern may start
    probe_found: re.Pattern[str]  # finds a character of ``probe``


def _marker(name: str, body: str, probe: str, *, inline: bool = True, comma: bool = False,
            unled: str = "") -> _Marker:
    """Return a marker; ``unled``: the first characters of ``body``'s alternatives that the
    lead does not govern (``lead + "a|b"`` is ``(?:lead a)|b``), which match anywhere."""
    lead = (_AFTER_COMMA if comma else _AFTER_BREAK) if inline else r"^\s*"
    # ``anywhere`` opens with a lookbehind, so finditer tries it at every character; the
    # breaks it can follow are found by ``after``, which opens with their class (re scans
    # quickly for that) and looks ahead for the marker itself.
    after = re.compile(rf"{_BREAK_OR_COMMA if comma else _BREAK}(?=\s*(?:{body}))")
    return _Marker(name, re.compile(lead + body), re.compile(r"^\s*" + body + r"\s*"),
                   tuple(probe), after if inline else None,
                   re.compile("[" + re.escape(unled) + "]") if unled else None,
                   re.compile("[" + "".join(map(re.escape, probe)) + "]"))


#: Every numbering style, by name; a heading numbered ``一、`` and an item numbered ``1.``
#: are told apart by these names.
MARKERS: tuple[_Marker, ...] = (
    _marker("shi", rf"([{_CN}]{{1,3}})是", "是", comma=True),
    _marker("di", rf"第([{_CN}]{{1,3}})\s*[，,、：:]", "第", comma=True),
    _marker("paren", rf"[（(]\s*(\d{{1,2}}|[{_CN}]{{1,3}})\s*[）)]", "（(", comma=True),
    _marker("arabic", r"(\d{1,2})\s*(?:[.．、](?!\d)|[）)])", "0123456789", comma=True),
    _marker("chinese", rf"([{_CN}]{{1,3}})\s*(?:、|[.．](?!\d))", "、.．", inline=False),
    _marker("sequence", r"(首先|其次|再次|再者|最后)\s*[，,：:]", "先次者后"),
    # Only 一方面 follows the lead; 另外, 此外, (从)主观上 are found mid-sentence too.
    _marker("aspect", r"(一方面|另一方面)(?=是|[，,：:])|(另外|此外)\s*[，,：:]"
                      r"|从?(主观|客观)(?:上看|方面看|方面|上讲|上)\s*[，,：:]", "面外观",
            comma=True, unled="另此从主客"),
)

def _each(openings: str, rest: str) -> str:
    """Return ``a<rest>|b<rest>|…``, the same as ``(?:a|b|…)<rest>``, for ``openings`` ``a|b|…``.

    re scans quickly for a pattern whose alternatives each open with a plain character; a
    group of openings first makes it try the whole pattern at every character.
    """
    return "|".join(opening + rest for opening in openings.split("|"))


#: The phrases that open the analysis of causes in part 二, as section openers: after one of
#: them, what follows is causes, however it is numbered.
CAUSE_INTRO = re.compile("|".join([
    r"究其(?:原因|根源|根本)",
    _each("剖析|深挖|深究|挖掘|反思|追溯|查找|查摆|探究",
          r"(?:其|问题的?)?(?:原因|根源|根子|症结)"),
    r"追根溯源", r"归根(?:结底|到底)",
    _each("主观|客观", r"上(?:找|查)原因"),
    r"之所以(?:会)?(?:出现|存在|产生)",
    r"分析(?:其|问题的?|以上问题的?)?原因", r"原因分析", r"原因(?:是|有)多方面的",
    _each("主要|深层次|深层", r"原因"),
    _each("主观|客观", r"(?:方面的)?原因"),
    _each("产生|出现|存在",
          r"(?:这些|上述|以上|以上这些)?问题的(?:主要|根本|深层次)?(?:原因|根源|根子)"),
    _each("这些|上述|以上",
          r"(?:问题|不足)的?(?:产生|存在|出现)?[，,]?(?:既有|主要|究其|原因|根源|根子)"),
    r"问题的(?:根源|根子|症结)",
    _each("根源|根子|症结", r"(?:主要)?在于"),
]))
#: What follows a cause phrase given inside one problem's own sentence ("一是学习不深，主要
#: 原因在于重视不够"): the cause itself, not a colon and a list of causes.
_INLINE_CAUSE = re.compile(r"(?:主要)?(?:在于|是)(?![：:])")
_LEAD_IN = re.compile(
    r"^.{0,40}(?:对照|对标|但|仍|还|也)[^。]{0,30}(?:不足|差距|问题|短板)[^。]{0,8}[。：:！]?$")
_TRAILING = re.compile(r"[\s。；;，,、.．：:！!？?…]+$")


def marker_style(text: str) -> str | None:
    """Return the name of the numbering ``text`` starts with, or ``None`` when it has none."""
    return next((m.name for m in MARKERS if m.start.match(text)), None)


def strip_marker(text: str) -> str:
    """Return ``text`` without its leading numbering (``一是（1）`` loses both).

    The text is otherwise kept as typed (full-width ``，`` stays ``，``).
    """
    rest = text.strip()
    while True:
        for marker in MARKERS:
            found = marker.start.match(rest)
            if found and found.end() < len(rest):
                rest = rest[found.end():].lstrip()
                break
        else:
            return rest


def clean_item(text: str) -> str:
    """Return an item's text without its numbering and without punctuation at its end."""
    return _TRAILING.sub("", strip_marker(text))


def find_items(texts: Sequence[str]) -> list[Item]:
    """Return the listed items of a part: those of its outermost numbering.

    Of the numberings that list two items or more, the one that starts first is the
    outer list (``（一）`` headings with ``一是`` inside count as the ``（一）`` items). With
    no numbering at all, each paragraph that is not a lead-in ("……以下几个方面：") is one
    item, as a reader takes a list written one paragraph each.
    """
    best: tuple[int, int] | None = None
    chosen: list[Item] = []
    for marker in MARKERS:
        items, first = _items_by(marker, texts)
        if len(items) >= 2 and (best is None or (first, -len(items)) < best):
            best, chosen = (first, -len(items)), items
    if chosen:
        return chosen
    return [Item("", t.strip()) for t in texts
            if len(t.strip()) >= _MIN_UNNUMBERED and not _is_lead_in(t)]


#: An unnumbered paragraph this short is a lead-in or a fragment, not an item.
_MIN_UNNUMBERED = 12


def split_problems(texts: Sequence[str]) -> tuple[list[Item], list[Item], str | None]:
    """Return the problems, the causes and the sentence opening the causes, of part 二.

    Everything after the first phrase that opens a cause analysis (究其原因, 产生这些问题的
    原因主要有以下几点, 根源在于 …) is causes, numbered or not; before it, problems. A cause
    given inside one problem's own sentence ("……，原因在于……") leaves that item a problem.
    """
    joined, starts = _joined(texts)
    opener = _cause_opener(joined)
    if opener is None:
        return _listed(texts), [], None
    before = _cut(texts, starts, 0, opener)
    after = _cut(texts, starts, opener, len(joined))
    problems = _listed(before)
    causes = _causes(after)
    sentence_end = min((i for i in (joined.find(m, opener) for m in "。！？\n") if i >= 0),
                       default=len(joined))
    sentence_start = max(joined.rfind(m, 0, opener) for m in "。！？\n") + 1
    return problems, causes, joined[sentence_start:sentence_end + 1].strip()


def _listed(texts: Sequence[str]) -> list[Item]:
    items = find_items(texts)
    # "对照镇党委要求，我在抓党建工作中还有明显不足。" opens the list; it is none of it.
    if items and not items[0].marker and _LEAD_IN.search(items[0].text):
        items = items[1:]
    return items


def _causes(texts: Sequence[str]) -> list[Item]:
    """Return the causes listed after the opener: its numbered items, or the text as one.

    A first cause given before the numbering starts ("究其原因，主要还是……；另外，……")
    counts too, so one "另外" makes two causes.
    """
    whole = "\n".join(texts).strip()
    if not whole:
        return []
    best: tuple[int, list[Item]] | None = None
    for marker in MARKERS:
        items, first = _items_by(marker, [whole])
        if items and (best is None or first < best[0]):
            best = (first, items)
    if best is None:
        return [Item("", whole)]
    first, numbered = best
    before = whole[:first].rstrip()
    lead = CAUSE_INTRO.sub("", before).strip(" ，,：:。；;\n")
    # "产生以上问题的原因主要有：" introduces the list; a lead that says something is a cause.
    if len(lead) >= _MIN_UNNUMBERED and not before.endswith(("：", ":")):
        numbered = [Item("", lead), *numbered]
    return numbered if len(numbered) >= 2 else [Item("", whole)]


def _is_lead_in(text: str) -> bool:
    # "对照上级要求，还存在一些问题：" introduces the list; it is not one of its items.
    return text.rstrip().endswith(("：", ":")) and len(text) < 80


def _items_by(marker: _Marker, texts: Sequence[str]) -> tuple[list[Item], int]:
    """Return the items ``marker`` lists in ``texts`` and where its first one starts."""
    items: list[Item] = []
    first, offset = -1, 0
    for text in texts:
        if not marker.probe_found.search(text):
            offset += len(text) + 1
            continue
        hits = _hits(marker, text)
        for number, hit in enumerate(hits):
            end = hits[number + 1].start() if number + 1 < len(hits) else len(text)
            label = next(filter(None, hit.groups()), "")  # the first group that matched
            items.append(Item(label, text[hit.start():end].strip()))
            if first < 0:
                first = offset + hit.start()
        offset += len(text) + 1
    return items, first


def _hits(marker: _Marker, text: str) -> list[re.Match[str]]:
    """Return ``list(marker.anywhere.finditer(text))``, found several times faster.

    A match starts at 0, just after a break (``marker.after`` finds those followed by the
    marker) or, for an alternative the lead does not govern, at one of its first characters;
    each is matched as finditer would, from where the previous match ended.
    """
    if marker.after is None:
        return list(marker.anywhere.finditer(text))
    found = marker.anywhere.match(text)
    hits = [found] if found else []
    end = found.end() if found else 0
    starts = [candidate.end() for candidate in marker.after.finditer(text)]
    if marker.unled is not None:
        starts = sorted({*starts, *(found.start() for found in marker.unled.finditer(text))})
    for start in starts:
        if start >= end:
            found = marker.anywhere.match(text, start)  # its lookbehind sees the break
            if found:
                hits.append(found)
                end = found.end()
    return hits


def cause_start(text: str) -> int | None:
    """Return where the analysis of causes starts in ``text``, or ``None`` if it has none.

    The start is that of the sentence holding the opening phrase (究其原因, 产生这些问题的
    原因 …); a cause given inside one problem's own sentence (原因在于) opens nothing.
    """
    return _cause_opener(text)


def _cause_opener(joined: str) -> int | None:
    """Return where the cause analysis starts in ``joined``, or ``None`` if it has none."""
    for found in CAUSE_INTRO.finditer(joined):
        sentence = max(joined.rfind(m, 0, found.start()) for m in "。！？；;\n") + 1
        # Inside a sentence that states a problem first (a clause and a comma before the
        # phrase), "主要原因在于……" explains that one problem and opens no section.
        before = joined[sentence:found.start()].rstrip()
        if before.endswith(("，", ",")) and _INLINE_CAUSE.match(joined, found.end()):
            continue
        return sentence
    return None


def _joined(texts: Sequence[str]) -> tuple[str, list[int]]:
    starts, pos = [], 0
    for text in texts:
        starts.append(pos)
        pos += len(text) + 1
    return "\n".join(texts), starts


def _cut(texts: Sequence[str], starts: list[int], begin: int, end: int) -> list[str]:
    """Return the pieces of ``texts`` between offsets ``begin`` and ``end`` of their join."""
    pieces = []
    for text, start in zip(texts, starts, strict=True):
        low, high = max(begin, start), min(end, start + len(text))
        if low < high:
            piece = text[low - start:high - start].strip()
            if piece:
                pieces.append(piece)
    return pieces
