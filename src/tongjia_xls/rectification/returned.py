"""Reading an organization's returned 整改方案 into ledger items (四、6).

Organizations send their plans back in whatever shape they like: a table with 问题、整改措施、
责任人、完成时限 columns (in Word or Excel), or numbered paragraphs with labelled parts
(``一是……。整改措施：……；责任人：……；完成时限：……``). Both are read here from plain data:
the caller passes tables as rows of cell values and the body as paragraph texts.

Nothing is guessed: a cell or part that cannot be read is left blank and reported in a
Chinese message saying what to fill in, so staff complete the ledger by hand.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tongjia_xls.rectification.ledger import NOT_STARTED, Item
from tongjia_xls.reports.items import marker_style, strip_marker
from tongjia_xls.sheets.cells import (
    CellValueError,
    is_blank,
    normalize_text,
    parse_date,
    parse_text,
)
from tongjia_xls.sheets.schema import RECTIFICATION, SOURCES
from tongjia_xls.sheets.table import header_key

__all__ = [
    "HEADER_SCAN_ROWS",
    "items_from_paragraphs",
    "items_from_plan",
    "items_from_rows",
    "items_from_tables",
    "parse_deadline",
    "parse_source",
]

Parsed = tuple[list[Item], list[str]]
Row = Sequence[Any]

#: How many rows from the top of a table are searched for its header row.
HEADER_SCAN_ROWS = 5

# The words a plan may use for each field, as table headers or as labels ("措施："): the
# ledger's own header first, then the plan's other words for it.
_OTHER_WORDS: dict[str, tuple[str, ...]] = {
    "problem": ("存在问题", "整改内容", "整改问题", "问题清单", "主要问题", "问题"),
    "measure": ("具体措施", "改进措施", "措施"),
    "owner": ("整改责任人",),
    "deadline": ("完成时间", "整改时限", "时限"),
    "source": ("来源",),
}
#: Each field's header in the 整改 ledger, the name messages use.
_FIELD_NAMES = {name: RECTIFICATION.header(name) for name in _OTHER_WORDS}
_WORDS = {name: (_FIELD_NAMES[name], *words) for name, words in _OTHER_WORDS.items()}
#: Fields a plan must give for each item (四、6: 整改内容、具体措施、责任人和完成时限).
_REQUIRED = ("measure", "owner", "deadline")
# Longest words first, so that 问题来源 is not read as 问题 and 整改措施 not as 措施.
_BY_LENGTH = sorted(((w, f) for f, ws in _WORDS.items() for w in ws), key=lambda p: -len(p[0]))
_WORD_FIELD = dict(_BY_LENGTH)
_PARENTHESES = re.compile(r"[（(][^）)]*[）)]")
_LABEL_RE = re.compile(
    r"(?:^|(?<=[；;。，,、（(\s]))(?P<label>"
    + "|".join(re.escape(w) for w, _ in _BY_LENGTH)
    + r")\s*[:：]"
)
_EDGES = re.compile(r"^[\s；;。，,、：:]+|[\s；;。，,、：:]+$")
_DEADLINE_TAIL = re.compile(r"(?:之前|以前|前|为止|止)?(?:完成整改|完成|办结)?$")
_MONTH_END = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*月?\s*(?:底|末)$")
#: Excel serial of 2000-01-01: a smaller number in a 完成时限 cell is no date.
_FIRST_SERIAL = 36526
_SOURCE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("会议点评", ("会议点评", "点评")),
    ("自身查摆", ("自身查摆", "查摆", "自查")),
    ("上年度", ("上年度", "上一年度", "上年", "去年")),
    ("巡视巡察", ("巡视巡察", "巡视", "巡察")),
    ("主题教育", ("主题教育",)),
)
# A signature or date line after the last item ("童家村党委", "2024年1月10日").
_CLOSING = re.compile(
    r"^(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|.{0,20}(?:党委|党支部|党总支|委员会)"
    r"(?:（盖章）|\(盖章\))?|以上.*|附件.*)$"
)
#: An unnumbered line this short, outside any item, is a heading that may name a source.
_HEADING_MAX = 20


def parse_deadline(value: Any) -> tuple[date | None, str | None]:
    """Return ``(deadline, None)``, or ``(None, message)`` when ``value`` is no full date.

    Accepts every date the workbook accepts (``2024年3月31日``, ``2024.3.31``,
    ``2024-03-31``, an Excel date), with a tail such as ``前``/``前完成``, and
    ``2024年3月底``. A blank gives ``(None, None)``; ``3月底`` or ``长期坚持`` are
    reported, never guessed.
    """
    if is_blank(value):
        return None, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value >= _FIRST_SERIAL:
            return parse_date(value), None
    elif isinstance(value, date):
        return parse_date(value), None
    else:
        text = _DEADLINE_TAIL.sub("", normalize_text(value)).strip()
        try:
            return parse_date(text), None
        except CellValueError:
            month_end = _MONTH_END.match(text)
            if month_end:
                year, month = int(month_end.group(1)), int(month_end.group(2))
                if 1 <= month <= 12:
                    return date(year, month, calendar.monthrange(year, month)[1]), None
    shown = parse_text(value)
    return None, f"“{shown}”不是完整日期，完成时限未导入，请在台账中补填"


def parse_source(value: Any) -> str | None:
    """Return the 问题来源 that ``value`` names, or ``None`` when it names none or several."""
    text = re.sub(r"\s+", "", normalize_text(value))
    if text in SOURCES:
        return text
    named = {source for source, words in _SOURCE_WORDS if any(w in text for w in words)}
    return named.pop() if len(named) == 1 else None


@dataclass
class _Fields:
    """One item's texts as read, before they are checked."""

    problem: str = ""
    values: dict[str, Any] = field(default_factory=dict)

    def text(self, name: str) -> str:
        return _trim(parse_text(self.values.get(name)))


def items_from_rows(rows: Sequence[Row], org: str, *, source: str | None = None) -> Parsed:
    """Return the items of a plan laid out as a table, and what could not be read.

    The header row is looked for in the first :data:`HEADER_SCAN_ROWS` rows; a 序号 or any
    other unknown column is ignored, as are blank rows and a repeated header row. Rows are
    numbered in messages as in the table, the header counted. ``source`` is the 问题来源
    of rows that give none (no such column, or a blank cell).
    """
    found = _header(rows)
    if found is None:
        named = "".join(f"“{_FIELD_NAMES[name]}”" for name in _REQUIRED)
        return [], [f"表格中没有找到“问题”{named}等列名，请确认表格第一行是列名后重新导入"]
    header_index, columns = found
    messages = [
        f"表格没有“{_FIELD_NAMES[name]}”列，{_FIELD_NAMES[name]}未导入，请在台账中补填"
        for name in _REQUIRED if name not in columns
    ]
    items, notes, skipped = _table_items(rows, header_index, columns, org, source)
    messages += notes
    if not items and not skipped:
        messages.append("表格中只有列名，没有填写问题，请补填后重新导入")
    return items, messages


def _table_items(rows: Sequence[Row], header_index: int, columns: dict[str, int], org: str,
                 source: str | None) -> tuple[list[Item], list[str], bool]:
    """Return the items of the rows below the header, their notes, and whether any was skipped."""
    items: list[Item] = []
    messages: list[str] = []
    skipped = False
    expected = [n for n in _REQUIRED if n in columns]
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        values = {name: row[col] if col < len(row) else None for name, col in columns.items()}
        problem = _trim(parse_text(values.pop("problem")))
        if _WORD_FIELD.get(header_key(problem)) == "problem":
            continue  # the header repeated where the table breaks across pages
        where = f"第{index + 1}行"
        if not problem:
            if any(not is_blank(v) for v in values.values()):
                messages.append(f"{where}没有填写问题描述，未导入，请补填后重新导入")
                skipped = True
            continue
        item, notes = _item(org, _Fields(problem, values), source, expected)
        items.append(item)
        messages.extend(_locate(where, note) for note in notes)
    return items, messages, skipped


def items_from_tables(
    tables: Sequence[Sequence[Row]], org: str, *, source: str | None = None
) -> Parsed:
    """Return the items of every table of a plan that has a recognisable header row.

    Tables without one (a letterhead, a signature block) are passed over; when none has
    one, the message says so. Messages name the table when there is more than one.
    """
    usable = [
        (number, items_from_rows(table, org, source=source))
        for number, table in enumerate(tables, 1)
        if _header(table) is not None
    ]
    if not usable:
        return [], [f"整改方案的表格中没有找到“问题”“{_FIELD_NAMES['measure']}”等列名，"
                    "请确认表格第一行是列名后重新导入"]
    items: list[Item] = []
    messages: list[str] = []
    for number, (found, notes) in usable:
        items.extend(found)
        prefix = f"第{number}个表格" if len(usable) > 1 else ""
        messages.extend(prefix + note for note in notes)
    return items, messages


def items_from_paragraphs(
    texts: Sequence[str], org: str, *, source: str | None = None
) -> Parsed:
    """Return the items of a plan written as numbered paragraphs, and what could not be read.

    Each item starts with a marker (``一是``, ``1.``, ``（一）``, ``第一，``, ``一、``) and
    may hold labelled parts (``整改措施：``, ``措施：``, ``责任人：``, ``完成时限：``,
    ``时限：``) separated by ``；``, ``。`` or line breaks, in one paragraph or in the
    paragraphs that follow it; the unlabelled rest is the problem. Headings numbered at a
    higher level (``一、会议点评指出的问题`` above ``1.`` items) end an item and may set the
    问题来源 of the items under them; sub-numbered lines (``（1）`` under ``1.``) belong to
    the item they follow.
    """
    lines = [line.strip() for text in texts for line in text.splitlines() if line.strip()]
    styles = [marker_style(line) for line in lines]
    item_style = _item_style(lines, styles)
    if item_style is None:
        return [], ["没有找到逐条编号的问题（如“一是……”“1.……”“（一）……”），"
                    "请确认整改方案逐条列出问题，或改用表格后重新导入"]
    blocks = _Blocks(item_style, _levels(styles), source)
    for line, style in zip(lines, styles, strict=True):
        blocks.add(line, style)
    fields = [_labelled("\n".join(block)) for block, _ in blocks.found]
    given, messages = _given(fields)
    sources = [section_source for _, section_source in blocks.found]
    items, notes = _numbered_items(org, fields, sources, given)
    return items, messages + notes


def _given(fields: Sequence[_Fields]) -> tuple[list[str], list[str]]:
    """Return the required fields some item gives, and a message for each that none gives."""
    given = [n for n in _REQUIRED if any(f.text(n) for f in fields)]
    messages = [f"整改方案没有写明{_FIELD_NAMES[n]}，{_FIELD_NAMES[n]}未导入，请在台账中补填"
                for n in _REQUIRED if n not in given]
    return given, messages


def _levels(styles: Sequence[str | None]) -> dict[str, int]:
    """Return each marker style's level: 0 for the first style to appear, and so on."""
    return {s: n for n, s in enumerate(dict.fromkeys(s for s in styles if s))}


@dataclass
class _Blocks:
    """The numbered items of a plan's lines, gathered line by line with their 问题来源.

    ``found`` holds each item's lines and the source of the section it is in; ``current``
    the lines of the item being read (``None``: between items).
    """

    item_style: str
    level: dict[str, int]
    section: str | None
    found: list[tuple[list[str], str | None]] = field(default_factory=list)
    current: list[str] | None = None

    def add(self, line: str, style: str | None) -> None:
        """Take one line: start an item, end one, set the section, or continue the item."""
        if style == self.item_style:
            self.current = [strip_marker(line)]
            self.found.append((self.current, self.section))
        elif style is not None and self.level[style] < self.level[self.item_style]:
            self.current = None
            self.section = parse_source(line) or self.section
        elif self.current is None:
            if style is None and len(line) <= _HEADING_MAX and not _LABEL_RE.search(line):
                self.section = parse_source(line) or self.section
        elif style is None and _CLOSING.match(line) and not _LABEL_RE.search(line):
            self.current = None
        else:
            self.current.append(line)


def _numbered_items(org: str, fields: Sequence[_Fields], sources: Sequence[str | None],
                    given: Sequence[str]) -> Parsed:
    """Return the items of the numbered blocks' fields, and the notes on each by number."""
    messages: list[str] = []
    items: list[Item] = []
    for number, (found, section_source) in enumerate(zip(fields, sources, strict=True), 1):
        if not found.problem:
            messages.append(f"第{number}项没有问题描述，未导入，请补填后重新导入")
            continue
        item, notes = _item(org, found, section_source, given)
        items.append(item)
        where = f"第{number}项“{_excerpt(item.problem)}”"
        messages.extend(_locate(where, note) for note in notes)
    return items, messages


def items_from_plan(
    tables: Sequence[Sequence[Row]],
    paragraphs: Sequence[str],
    org: str,
    *,
    source: str | None = None,
) -> Parsed:
    """Return the items of a returned plan document, and what could not be read.

    Its tables win when they hold any item; otherwise they are only layout, are not
    reported on, and the numbered paragraphs of its body are read instead.
    """
    if tables:
        items, messages = items_from_tables(tables, org, source=source)
        if items:
            return items, messages
    return items_from_paragraphs(paragraphs, org, source=source)


def _header(rows: Sequence[Row]) -> tuple[int, dict[str, int]] | None:
    """Return the header row's index and the column of each field, or ``None``."""
    best: tuple[int, dict[str, int]] | None = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(row):
            name = _header_field(cell)
            if name is not None:
                columns.setdefault(name, col)
        # A lone 问题 column is no plan; it needs at least one of the other fields.
        if "problem" in columns and len(columns) >= 2 and (
            best is None or len(columns) > len(best[1])
        ):
            best = (index, columns)
    return best


def _header_field(cell: Any) -> str | None:
    key = _PARENTHESES.sub("", header_key(cell))
    if not key or len(key) > 12:  # a long cell is data, not a header
        return None
    if key in _WORD_FIELD:
        return _WORD_FIELD[key]
    return next((name for word, name in _BY_LENGTH if word in key), None)


def _labelled(text: str) -> _Fields:
    """Split an item's text into its unlabelled problem and its labelled parts."""
    labels = list(_LABEL_RE.finditer(text))
    lead = _trim(text[: labels[0].start()] if labels else text)
    found = _Fields()
    for number, label in enumerate(labels):
        end = labels[number + 1].start() if number + 1 < len(labels) else len(text)
        name = _WORD_FIELD[label.group("label")]
        value = _trim(text[label.end():end])
        if value:
            before = found.values.get(name)
            found.values[name] = f"{before}；{value}" if before else value
    labelled_problem = parse_text(found.values.pop("problem", None))
    found.problem = "：".join(p for p in (lead, labelled_problem) if p)
    return found


def _item(
    org: str, found: _Fields, default_source: str | None, expected: Sequence[str]
) -> tuple[Item, list[str]]:
    """Return the item of ``found`` and the notes on what of it could not be read."""
    notes: list[str] = []
    missing = [_FIELD_NAMES[n] for n in expected if not found.text(n)]
    if missing:
        notes.append(f"没有填写{'、'.join(missing)}，请在台账中补填")
    deadline, problem = parse_deadline(found.values.get("deadline"))
    if problem:
        notes.append(problem)
    source = default_source
    written = found.text("source")
    if written:
        source = parse_source(written)
        if source is None:
            notes.append(f"问题来源“{written}”不是可选项（{'、'.join(SOURCES)}），"
                         "未导入，请在台账中选择")
    item = Item(
        org=org,
        problem=found.problem,
        source=source,
        measure=found.text("measure") or None,
        owner=found.text("owner") or None,
        deadline=deadline,
        status=NOT_STARTED,
    )
    return item, notes


def _item_style(lines: Sequence[str], styles: Sequence[str | None]) -> str | None:
    """Return the marker style that numbers the items, or ``None`` when no line has one.

    The highest-level style (the first to appear) that numbers a real item wins; a line
    numbers a real item when it has a label or a sentence in it, or a labelled line follows
    it. Headings (``一、存在问题``) have neither. Failing that, the commonest style wins.
    """
    present = [s for s in dict.fromkeys(styles) if s]
    if not present:
        return None
    for style in present:
        for index, found in enumerate(styles):
            if found == style and _looks_like_item(lines, styles, index):
                return style
    return max(present, key=lambda s: (styles.count(s), -present.index(s)))


def _looks_like_item(lines: Sequence[str], styles: Sequence[str | None], index: int) -> bool:
    rest = strip_marker(lines[index])
    if _LABEL_RE.search(rest) or re.search(r"[，,。；;]", _EDGES.sub("", rest)):
        return True
    following = index + 1
    return (following < len(lines) and styles[following] is None
            and _LABEL_RE.match(lines[following]) is not None)


def _locate(where: str, note: str) -> str:
    # "第3行没有填写整改措施" reads as one phrase; a note quoting a cell needs a colon.
    return f"{where}{note}" if note.startswith("没有") else f"{where}：{note}"


def _trim(text: str) -> str:
    """Return ``text`` without separators at its ends, nor a bracket left over by a label.

    ``问题（责任人：张三）`` splits into ``问题（`` and ``张三）``: those two brackets go, a
    bracket that is closed within the text stays.
    """
    text = _EDGES.sub("", text)
    while text:
        if text[-1] in "（(" or (text[-1] in "）)" and _depth(text) < 0):
            text = _EDGES.sub("", text[:-1])
        elif text[0] in "（(" and _depth(text) > 0:
            text = _EDGES.sub("", text[1:])
        else:
            return text
    return text


def _depth(text: str) -> int:
    return sum(c in "（(" for c in text) - sum(c in "）)" for c in text)


def _excerpt(text: str, size: int = 12) -> str:
    return text if len(text) <= size else text[:size] + "…"
