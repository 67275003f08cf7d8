"""Finding the skeleton of a 述职报告: title, the three parts and where each begins.

Secretaries follow 附件1 loosely, and a careful reader finds the parts anyway:

- a heading that names its part, reworded or with the year ("一、2023年主要工作做法及成效",
  "二、存在的问题和不足", "三、努力方向"), numbered or not, set in bold, in 黑体, in a heading
  style, or run together with its text in one paragraph;
- a heading that does not name it ("一、筑牢堡垒，让支部强起来"): the report's top-level
  numbering (一、二、三、) then says which part it opens;
- no heading at all: the problems open with a transition ("……仍然存在不少问题，具体有以下
  几个方面："), the plans with "下一步，我将……";
- the whole report in a table, a heading in its own cell;
- an opening formula before part 一 and a closing one ("以上述职，请予评议。") after part 三,
  which belong to no part.

It reads paragraph texts and their look (bold, font, heading level), never a file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from tongjia_xls.reports.model import Para, new_para

__all__ = [
    "HEADING_MAX_CHARS",
    "PART_KEYS",
    "PART_NAMES",
    "PLANS",
    "PRACTICES",
    "PROBLEMS",
    "Part",
    "Structure",
    "find_structure",
]

PRACTICES = "practices"
PROBLEMS = "problems"
PLANS = "plans"
PART_KEYS = (PRACTICES, PROBLEMS, PLANS)
PART_NAMES = {PRACTICES: "主要做法和成效", PROBLEMS: "存在问题及原因分析", PLANS: "下步工作打算"}

#: A heading line is short; longer paragraphs count as headings only when set as one.
HEADING_MAX_CHARS = 30
#: Fonts of headings in official documents (body text is 仿宋): 黑体 for 一级, 楷体 for 二级.
#: (方正小标宋 is the title's.)
HEADING_FONTS = ("黑体", "方正黑体", "SimHei", "楷体", "KaiTi", "微软雅黑")

_CN = "一二三四五六七八九十"
#: Numbering of a part heading: 一、 / 一. / 第一部分 / 1、 / （一） (some use it for parts).
_PART_NUMBER = (
    rf"(?P<num>[{_CN}]{{1,2}})\s*[、.．,，]|(?P<arabic>\d)\s*[、.．](?!\d)|"
    rf"[（(](?P<paren>[{_CN}\d])[）)]|第(?P<part>[{_CN}])(?:部分|板块|方面)?\s*[、.．,，:：]?"
)
_NUMBERED = re.compile(rf"^\s*(?:{_PART_NUMBER})\s*")
# "三、2024年工作重点": after 、 a figure is the heading's; after a dot it may be a decimal.
_TOP_LEVEL = re.compile(rf"^\s*(?P<num>[{_CN}]{{1,2}})\s*(?:、|[.．](?!\d))")
_YEAR = r"(?:(?:20\d\d|今|本|上|明|来)年度?(?:的|以来)?|20\d\d年度)?"
_NAMES = {
    PROBLEMS: re.compile(
        r"(?:存在的?|主要|突出|面临的?)?(?:主要|突出)?(?:问题|不足|短板|差距|弱项)"
        r"(?:(?:和|及|与|、)(?:不足|短板|差距|原因(?:分析)?|根源))*|原因分析"),
    PLANS: re.compile(
        rf"{_YEAR}(?:下步|下一步|今后|下阶段|来年|新的一年)?(?:的)?(?:主要)?(?:工作)?"
        r"(?:打算|计划|思路|举措|目标|方向|设想|重点|安排)|努力方向|"
        r"(?:整改措施|改进措施)(?:(?:及|和|与)(?:下步|下一步)?(?:工作)?(?:打算|计划))?"),
    PRACTICES: re.compile(
        rf"{_YEAR}(?:主要)?(?:工作)?(?:做法|履职(?:尽责)?|开展|完成)?(?:情况)?"
        r"(?:和|及|与|、)?(?:主要)?(?:工作)?(?:成效|成绩|亮点|特色亮点|收获|做法|业绩)|"
        rf"{_YEAR}(?:主要做法|主要工作|工作开展情况|履职(?:尽责)?情况|工作回顾|取得的成效)"),
}
# Matches where one of _NAMES does: most paragraphs open with none, one call rules them out.
_ANY_NAME = re.compile("|".join(f"(?:{name.pattern})" for name in _NAMES.values()))
# The characters a match of _ANY_NAME can open with (tests/reports/test_structure.py works
# them out from the patterns): a paragraph opening with another is no name, without the
# regex engine trying each optional opening group in turn.
_NAME_OPENINGS = frozenset("存主突面问不短差弱原2今本上明来下新的工打计思举目方设重安努整改"
                           "做履开完情和及与、成亮特收业取")
_SEPARATORS = "：:。.，,（( \t\n；;"
# A turn to the writer's own shortcomings: "但对照……仍然存在不少差距", "问题主要表现在".
_PROBLEMS_TRANSITION = re.compile(
    r"(?:但|仍|还|也|然而|不过|同时)[^。；！？\n]{0,24}(?:存在|有|面临|暴露)[^。；！？\n]{0,24}"
    r"(?:问题|不足|差距|短板|薄弱环节|弱项)"
    r"|(?:问题|不足|差距|短板)(?:主要)?(?:表现|体现)(?:在|为)"
)
_PLANS_TRANSITION = re.compile(
    r"^\s*(?:下一步|下步|今后|接下来|新的一年|(?:20\d\d|明)年)[，,]?\s*"
    r"(?:我|本人|我们|村两委|社区两委|支部|党支部|党总支)?[^。；\n]{0,6}(?:将|要|打算|计划)"
)
_SIGNATURE = re.compile(r"^\s*(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[^。，,；]{0,20}"
                        r"(?:书记|述职人)[：:\s]*[^。，,；]{0,6})\s*$")
_OPENING = re.compile(
    r"(?:述职如下|报告如下|汇报如下|总结如下|作个?汇报|报告如下)[：:。]?\s*$"
    r"|^\s*(?:各位领导、?同志们[：:，,])?\s*根据[^。]{0,40}安排[^。]{0,40}(?:述职|汇报|报告)")
#: What stands before part 一 besides the title: a byline, a salutation.
_FRONT = re.compile(r"^[^。，,；;！!？?]{0,24}$"
                    r"|^\s*(?:尊敬的)?各位领导[、，,]?(?:同志们)?[：:，,！!]?\s*$")
_SALUTATION = re.compile(r"^\s*(?:尊敬的)?各位(?:领导|代表|同志)")
_CLOSING = re.compile(
    r"以上述职|述职完毕|请予评议|批评指正|谢谢大家|请各位[^。]{0,12}(?:评议|指正)|不妥之处|不当之处"
)


@dataclass
class Part:
    """One of the three parts: its heading and the paragraphs under it.

    ``heading`` is ``""`` for a part that opens without one; ``found_by`` says how it was
    found: ``"heading"`` (a heading naming it), ``"numbering"`` (a heading that does not name
    it, in the report's top-level numbering), ``"look"`` (one of three headings of one look),
    ``"transition"`` (a sentence that opens it) or ``"position"`` (where the text begins).
    """

    key: str
    heading: str
    index: int  # paragraph index where the part opens
    paragraphs: list[Para] = field(default_factory=list)
    found_by: str = "heading"

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
    """What was found of a report's skeleton; a part not found is absent from ``parts``.

    ``closing`` holds the closing formula, which belongs to no part; ``headings`` every
    paragraph that looks like a heading, for telling staff what was seen when a part is
    missing.
    """

    title: str | None
    preamble: list[Para]
    parts: dict[str, Part]
    order: list[str]  # the part keys in the order they stand in the report
    closing: list[Para] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)

    @property
    def in_order(self) -> bool:
        """Return True when the parts found stand in the order of 附件1."""
        return self.order == [k for k in PART_KEYS if k in self.order]

    def part_text(self, key: str) -> str:
        """Return the text of part ``key``, or ``""`` when it was not found."""
        part = self.parts.get(key)
        return part.text if part else ""


@dataclass(frozen=True)
class _Start:
    """Where a part opens: paragraph, offset in it, its heading and the rest of its line."""

    key: str
    index: int
    offset: int
    heading: str
    found_by: str


def find_structure(paragraphs: Sequence[Para]) -> Structure:
    """Return the title, the three parts and their paragraphs found in ``paragraphs``.

    Headings in table cells are read only when the body outside tables does not give all
    three parts: then the report is most likely written in a table.
    """
    found = _skeleton(paragraphs, tables=False)
    if len(found.parts) < len(PART_KEYS) and any(p.in_table for p in paragraphs):
        in_tables = _skeleton(paragraphs, tables=True)
        if len(in_tables.parts) > len(found.parts):
            return in_tables
    return found


def _skeleton(paragraphs: Sequence[Para], *, tables: bool) -> Structure:
    starts: dict[str, _Start] = {}
    looks: list[tuple[int, Para]] = []
    for index, para in enumerate(paragraphs):
        if para.in_table and not tables:
            continue
        if _looks_like_heading(para):
            looks.append((index, para))
        named = _named_heading(para)
        if named is not None and named[0] not in starts:
            key, heading = named
            starts[key] = _Start(key, index, 0, heading, "heading")
    _by_numbering(looks, starts)
    _by_look(looks, starts)
    _by_transition(paragraphs, starts, tables)
    _by_position(paragraphs, starts, looks)
    return _assemble(paragraphs, starts, [p.text.strip() for _, p in looks])


def _named_heading(para: Para) -> tuple[str, str] | None:
    """Return (part key, heading) when ``para`` is a heading that names its part."""
    text = para.text.strip()
    if not text:
        return None
    number = _NUMBERED.match(text)
    body = text[number.end():] if number else text
    if body[:1] not in _NAME_OPENINGS or not _ANY_NAME.match(body):
        return None
    styled: bool | None = None  # worked out only for a paragraph opening with a name
    for key, regex in _NAMES.items():
        rest = _after_name(regex, body)
        if rest is None:
            continue
        if styled is None:
            styled = bool(para.bold or para.outline_level is not None or _heading_font(para))
        if _reads_as_heading(text, rest, number is not None, styled):
            return key, text[:len(text) - len(rest)].strip()
    return None


def _after_name(name: re.Pattern[str], body: str) -> str | None:
    """Return what follows a part's name that opens ``body``.

    ``None``: ``body`` does not open with the name, or goes on with it as a sentence.
    """
    found = name.match(body)
    if not found or found.end() < 2:
        return None
    rest = body[found.end():]
    if rest.startswith(("方面", "情况")):  # what re.sub(r"^(?:方面|情况)", "", rest) did
        rest = rest[2:]
    if rest and rest[0] not in _SEPARATORS:
        return None  # "问题是……", "不足之处": a sentence, not a heading
    return rest


def _reads_as_heading(text: str, rest: str, numbered: bool, styled: bool) -> bool:
    """Return True when ``text``, a part's name followed by ``rest``, stands as a heading."""
    if rest.lstrip("：:。.，, \t"):
        # A heading run into its text needs its number or its look; 附件1's own note
        # copied after it ("（此部分……）") still leaves it a heading.
        return numbered or styled or rest[0] in "（("
    return len(text) <= HEADING_MAX_CHARS or numbered or styled


def _looks_like_heading(para: Para) -> bool:
    """Return True for a paragraph set as a heading: short, and numbered or styled as one."""
    text = para.text.strip()
    if not text or len(text) > HEADING_MAX_CHARS + 10 or text.endswith(("。", "；", ";")):
        return False
    return bool(_TOP_LEVEL.match(text) or para.bold or para.outline_level is not None
                or _heading_font(para))


def _heading_font(para: Para) -> bool:
    return bool(para.font) and _is_heading_font(para.font or "")


@lru_cache(maxsize=256)
def _is_heading_font(font: str) -> bool:
    # A report has a handful of fonts and asks about each for every paragraph.
    return any(f in font for f in HEADING_FONTS)


def _by_numbering(looks: list[tuple[int, Para]], starts: dict[str, _Start]) -> None:
    """Open parts at the top-level headings (一、二、三、) that do not name them."""
    top = [(index, para, _TOP_LEVEL.match(para.text.strip())) for index, para in looks]
    numbered = [(index, para, m.group("num")) for index, para, m in top if m]
    if len(numbered) != len(PART_KEYS):
        return  # a top-level list of the aspects, or of something else: not the parts
    if [n for _, _, n in numbered] != ["一", "二", "三"]:
        return
    for (index, para, _), key in zip(numbered, PART_KEYS, strict=True):
        known = starts.get(key)
        if known is None:
            starts[key] = _Start(key, index, 0, para.text.strip(), "numbering")
        elif known.index != index:
            return  # the names and the numbering disagree: trust the names only


_HINTS = {PROBLEMS: re.compile(r"问题|不足|短板|差距|原因"),
          PLANS: re.compile(r"打算|计划|思路|举措|方向|目标|下步|下一步|今后|设想"),
          PRACTICES: re.compile(r"做法|成效|成绩|亮点|工作|履职")}


def _by_look(looks: list[tuple[int, Para]], starts: dict[str, _Start]) -> None:
    """Open parts at three headings of one look (黑体, bold, a heading style) and no number.

    When exactly three headings share a look, they are the parts in order, as long as
    none of them says it is another part ("调研发现的突出问题" under 问题 …).
    """
    if len(starts) == len(PART_KEYS):
        return
    three = _three_of_one_look(looks)
    if three is None or not _fit_parts(three, starts):
        return
    for (index, para), key in zip(three, PART_KEYS, strict=True):
        starts.setdefault(key, _Start(key, index, 0, para.text.strip(), "look"))


def _three_of_one_look(looks: list[tuple[int, Para]]) -> list[tuple[int, Para]] | None:
    """Return the unnumbered headings of the one look that exactly three share (or ``None``)."""
    groups: dict[tuple[object, ...], list[tuple[int, Para]]] = {}
    for index, para in looks:
        if _TOP_LEVEL.match(para.text.strip()) or _NUMBERED.match(para.text.strip()):
            continue  # numbered headings are read by their numbers
        look = (para.outline_level, para.bold, para.font if _heading_font(para) else None,
                para.in_table)
        groups.setdefault(look, []).append((index, para))
    threes = [group for group in groups.values() if len(group) == len(PART_KEYS)]
    return threes[0] if len(threes) == 1 else None


def _fit_parts(three: list[tuple[int, Para]], starts: dict[str, _Start]) -> bool:
    """Return True when ``three`` can be the parts in order, given the parts already found."""
    for (index, para), key in zip(three, PART_KEYS, strict=True):
        said = [k for k, hint in _HINTS.items() if hint.search(para.text)]
        if said and said[0] != key:
            return False  # it names another part first: not the three parts in order
        known = starts.get(key)
        if known is not None and known.index != index:
            return False
    return True


def _by_transition(paragraphs: Sequence[Para], starts: dict[str, _Start],
                   tables: bool) -> None:
    """Open the problems and the plans at the sentence that introduces them, if unheaded."""
    after = starts[PRACTICES].index if PRACTICES in starts else 0
    if PROBLEMS not in starts:
        _problems_by_transition(paragraphs, starts, tables, after)
    if PLANS not in starts:
        begin = starts[PROBLEMS].index + 1 if PROBLEMS in starts else after + 1
        for index in range(begin, len(paragraphs)):
            para = paragraphs[index]
            if (para.in_table and not tables) or not _PLANS_TRANSITION.search(para.text):
                continue
            starts[PLANS] = _Start(PLANS, index, 0, "", "transition")
            break


def _problems_by_transition(paragraphs: Sequence[Para], starts: dict[str, _Start],
                            tables: bool, after: int) -> None:
    """Open the problems at the last turn to shortcomings between part 一 and the plans."""
    before = starts[PLANS].index if PLANS in starts else len(paragraphs)
    # The last turn before the plans: an earlier "存在" in part 一 is about the village.
    for index in reversed(range(after, before)):
        para = paragraphs[index]
        if para.in_table and not tables:
            continue
        found = list(_PROBLEMS_TRANSITION.finditer(para.text))
        if found:
            offset = _sentence_start(para.text, found[-1].start())
            if index == after and PRACTICES in starts and offset == 0:
                continue  # the heading of part 一 itself
            starts[PROBLEMS] = _Start(PROBLEMS, index, offset, "", "transition")
            return


def _by_position(paragraphs: Sequence[Para], starts: dict[str, _Start],
                 looks: list[tuple[int, Para]]) -> None:
    """Open part 一 where the text begins, when problems were found but part 一 was not.

    The text begins at the first heading before the problems, or else at the first
    paragraph that is not the title, a byline, a salutation or the opening formula.
    """
    if PRACTICES in starts or PROBLEMS not in starts:
        return
    end = starts[PROBLEMS].index
    title = _title_index(paragraphs)
    heading = next((index for index, _ in looks if title < index < end), None)
    if heading is not None:
        para = paragraphs[heading]
        starts[PRACTICES] = _Start(PRACTICES, heading, 0, para.text.strip(), "position")
        return
    for index in range(end):
        text = paragraphs[index].text.strip()
        if not text or index == title or _OPENING.search(text) or _FRONT.match(text):
            continue
        starts[PRACTICES] = _Start(PRACTICES, index, 0, "", "position")
        return


def _title_index(paragraphs: Sequence[Para]) -> int:
    return next((i for i, p in enumerate(paragraphs) if p.text.strip()), -1)


def _sentence_start(text: str, at: int) -> int:
    return max(text.rfind(mark, 0, at) for mark in "。！？；;\n") + 1


def _assemble(paragraphs: Sequence[Para], starts: dict[str, _Start],
              headings: list[str]) -> Structure:
    ordered = sorted(starts.values(), key=lambda s: (s.index, s.offset))
    parts: dict[str, Part] = {}
    for number, start in enumerate(ordered):
        end = ordered[number + 1] if number + 1 < len(ordered) else None
        body = _between(paragraphs, start, end)
        parts[start.key] = Part(start.key, start.heading, start.index, body, start.found_by)
    preamble = list(paragraphs[:ordered[0].index]) if ordered else list(paragraphs)
    if ordered and ordered[0].offset:
        preamble.append(_piece(paragraphs[ordered[0].index], 0, ordered[0].offset))
    closing = _closing(parts[ordered[-1].key]) if ordered else []
    title = next((p.text.strip() for p in preamble if p.text.strip()), None)
    return Structure(title, preamble, parts, [s.key for s in ordered], closing, headings)


def _closing(last: Part) -> list[Para]:
    """Take the closing formula, date and signature off the end of the last part."""
    closing: list[Para] = []
    body = last.paragraphs
    while body:
        para = body[-1]
        text = para.text.strip()
        if not text or _SIGNATURE.match(text):
            closing.insert(0, body.pop())
            continue
        found = _CLOSING.search(text)
        if found is None:
            break
        # "各位领导、同志们，……以上述职，请予评议。": the whole address is the closing.
        cut = 0 if _SALUTATION.match(para.text) else _sentence_start(
            para.text, para.text.find(found.group(0)))
        body.pop()
        if para.text[:cut].strip():
            body.append(_piece(para, 0, cut))
        closing.insert(0, _piece(para, cut, len(para.text)))
        break
    return closing


def _between(paragraphs: Sequence[Para], start: _Start, end: _Start | None) -> list[Para]:
    """Return the paragraphs of a part: from its start to the next part's, heading left out."""
    first = paragraphs[start.index]
    begin = start.offset
    if start.heading:
        at = first.text.find(start.heading)
        begin = at + len(start.heading) if at >= 0 else 0
        while begin < len(first.text) and first.text[begin] in "：:。.，, \t":
            begin += 1
    same = end is not None and end.index == start.index
    stop = end.offset if same and end is not None else len(first.text)
    body: list[Para] = []
    if first.text[begin:stop].strip():
        body.append(_piece(first, begin, stop))
    if same:
        return body
    stop_index = end.index if end is not None else len(paragraphs)
    body += paragraphs[start.index + 1:stop_index]
    if end is not None and end.offset:
        head = _piece(paragraphs[end.index], 0, end.offset)
        if head.text.strip():
            body.append(head)
    return body


def _piece(para: Para, start: int, stop: int) -> Para:
    return new_para(para.text[start:stop].strip(), para.bold, para.style, para.outline_level,
                    para.in_table, para.story, para.font)
