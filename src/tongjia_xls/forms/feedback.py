"""The 审核意见 of each organization's 述职报告, and the office's 检查汇总表, as Word files.

The 审核意见 goes to the 包片领导 and the secretary: the verdict, the key figures against
the notice's numbers, then every finding in the order of the notice (the workbook's notes
on the submission first), each with its clause, its message and the offending text, and
what to do next. The 汇总表 gives the office one row per organization. Both are laid out as
official documents by :mod:`tongjia_xls.forms.docx_style`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH

from tongjia_xls.errors import Severity
from tongjia_xls.forms.docx_style import (
    HEADING_FONT,
    SIZE_5,
    SIZE_SMALL_4,
    SUBHEADING_FONT,
    add_heading,
    add_rich,
    add_signature,
    add_text,
    add_title,
    cell_text,
    cn_date,
    grid_table,
    keep_rows_whole,
    narrow_cell_margins,
    official_document,
    repeat_header_row,
)
from tongjia_xls.outputs import NameBook, atomic_write, ensure_folder, safe_file_name
from tongjia_xls.reports.analysis import NEEDS_WORK, NOT_RECEIVED, PASSED, UNREADABLE, Analysis
from tongjia_xls.reports.measure import SUBSTANCE, TOPIC_NAMES, Measures
from tongjia_xls.reports.rules import RULES, Finding
from tongjia_xls.reports.structure import PART_NAMES, PLANS, PRACTICES, PROBLEMS
from tongjia_xls.settings import SHARE_BASIS_PART_TWO, Settings
from tongjia_xls.sheets.schema import REPORTS

__all__ = ["NOT_RECEIVED", "FeedbackRow", "feedback_name", "summary_name", "write_feedback",
           "write_summary"]

VERDICTS = (PASSED, NEEDS_WORK, NOT_RECEIVED, UNREADABLE)
SEVERITY_WORDS = {Severity.ERROR: "必须修改", Severity.WARNING: "建议修改", Severity.INFO: "提示"}
QUOTE_CHARS = 60
SUMMARY_HEADER = ("序号", "党组织", "述职人", REPORTS.header("words"),
                  "做法成效", "问题原因", "工作打算", "数据",
                  "必答题", "问题/打算条数", "结论", "主要问题")
# Landscape type area is 225 mm wide; 主要问题 takes what the figures leave.
_SUMMARY_WIDTHS = (10, 20, 15, 12, 17, 17, 17, 10, 14, 13, 17, 63)
_FIGURE_HEADER = ("项目", "本报告", "通知要求", "结果")
_FIGURE_WIDTHS = (44, 58, 38, 16)
_TOPIC_SHORT = dict(zip(TOPIC_NAMES, ("经济", "安全"), strict=True))
_EPS = 1e-9  # the rules compare shares with the same tolerance
_FIX_UNREADABLE = (
    "请用 Word 或 WPS 打开原文件，确认能正常打开、没有设置打开密码，再“另存为”Word 文档"
    "（*.docx）格式；如果是 PDF、图片或扫描件，或者文件已损坏，请从原稿重新导出 .docx 文件。"
)


@dataclass
class FeedbackRow:
    """One organization as the feedback shows it; ``file`` is ``None`` when none arrived.

    ``notes`` are the workbook's findings on the submission (late, not yet reviewed by the
    包片领导 …); they come before the rules' findings.
    """

    org: str
    secretary: str | None = None
    area_leader: str | None = None
    file: str | None = None
    analysis: Analysis | None = None
    notes: list[Finding] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """Return 未收到, 无法读取, 需修改 (any finding is an error) or 合格."""
        if self.file is None or self.analysis is None:
            return NOT_RECEIVED
        if self.analysis.error:
            return UNREADABLE
        errors = any(f.severity is Severity.ERROR for f in self.findings)
        return NEEDS_WORK if errors else PASSED

    @property
    def findings(self) -> list[Finding]:
        """Return the notes, then the rules' findings in the order of the notice."""
        order = {rule_id: index for index, rule_id in enumerate(RULES)}
        found = self.analysis.findings if self.analysis else []
        return [*self.notes, *sorted(found, key=lambda f: order.get(f.rule, len(order)))]


def feedback_name(org: str, settings: Settings, names: NameBook | None = None) -> str:
    """Return the file name of ``org``'s 审核意见, taken from ``names`` when given.

    A batch passes its :class:`~tongjia_xls.outputs.NameBook`, so that two organizations
    whose names clean to the same file name still get a document each.
    """
    wanted = f"{org}-{settings.year}年度述职报告审核意见.docx"
    return names.name(wanted, label=org) if names else safe_file_name(wanted)


def summary_name(settings: Settings) -> str:
    """Return the file name of the office's 汇总表."""
    return safe_file_name(f"{settings.year}年度述职报告检查汇总表.docx")


def write_feedback(row: FeedbackRow, settings: Settings, folder: Path, *,
                   checked: date | None = None, names: NameBook | None = None) -> Path:
    """Write ``row``'s 审核意见 into ``folder`` and return its path.

    ``names`` is the batch's book of file names (see :func:`feedback_name`).
    """
    checked = checked or date.today()
    lines = (f"{row.org}{settings.year}年度", "抓基层党建述职报告审核意见")
    doc = _document("".join(lines), settings)
    add_title(doc, *lines)
    add_text(doc, _salutation(row), indent=False)
    add_text(doc, f"按照《{settings.town}{settings.year}年度村（社区）党组织书记抓党建述职评议考核"
                  "实施方案》要求，党建办对述职报告进行了检查，现将意见反馈如下。")
    # The file name is the long part: last, so the line wraps inside it.
    add_text(doc, f"述职人：{row.secretary or '—'}　检查时间：{cn_date(checked)}　"
                  f"报告文件：{row.file or '未收到'}", font=SUBHEADING_FONT)
    heads = iter("一二三四五六")
    add_heading(doc, f"{next(heads)}、检查结论")
    verdict = row.verdict
    add_rich(doc, [("检查结论：", False), (verdict, True), (_verdict_reason(row, checked), False)])
    if verdict == UNREADABLE:
        add_heading(doc, f"{next(heads)}、处理办法")
        add_text(doc, _FIX_UNREADABLE)
    measures = row.analysis.measures if row.analysis else None
    if measures is not None:
        add_heading(doc, f"{next(heads)}、主要数据")
        _figure_table(doc, measures, settings)
    findings = row.findings
    if findings:
        add_heading(doc, f"{next(heads)}、检查意见")
        for number, finding in enumerate(findings, start=1):
            _finding(doc, number, finding)
    add_heading(doc, f"{next(heads)}、下步要求")
    add_text(doc, _next_step(verdict, findings, settings, checked))
    add_signature(doc, f"{settings.town}党建办", checked)
    path = ensure_folder(folder) / feedback_name(row.org, settings, names)
    with atomic_write(path) as temporary:
        doc.save(str(temporary))
    return path


def write_summary(rows: Sequence[FeedbackRow], settings: Settings, folder: Path, *,
                  checked: date | None = None) -> Path:
    """Write the office's 汇总表 of ``rows`` (one table row each, in order) into ``folder``."""
    checked = checked or date.today()
    title = f"{settings.town}{settings.year}年度述职报告检查汇总表"
    doc = _document(title, settings, landscape=True)
    add_title(doc, title)
    deadline = f"　报送截止日期：{cn_date(settings.deadline)}" if settings.deadline else ""
    add_text(doc, f"检查时间：{cn_date(checked)}　共 {len(rows)} 个党组织{deadline}",
             font=SUBHEADING_FONT, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    table = grid_table(doc, len(rows) + 1, _SUMMARY_WIDTHS)
    narrow_cell_margins(table, 1.0)
    for cell, text in zip(table.rows[0].cells, SUMMARY_HEADER, strict=True):
        cell_text(cell, text, size=SIZE_5, font=HEADING_FONT)
    for number, (row, cells) in enumerate(zip(rows, table.rows[1:], strict=True), start=1):
        values = _summary_values(number, row)
        for index, (cell, text) in enumerate(zip(cells.cells, values, strict=True)):
            left = index == len(values) - 1
            cell_text(cell, text, size=SIZE_5,
                      align=WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER)
    repeat_header_row(table)
    keep_rows_whole(table)
    counts = Counter(row.verdict for row in rows)
    add_text(doc, "")
    add_text(doc, "合计：" + "、".join(f"{v} {counts[v]} 个" for v in VERDICTS) + "。")
    add_text(doc, f"制表：{settings.town}党建办　　{cn_date(checked)}")
    path = ensure_folder(folder) / summary_name(settings)
    with atomic_write(path) as temporary:
        doc.save(str(temporary))
    return path


# -- the parts of a 审核意见 --------------------------------------------------------------

def _document(title: str, settings: Settings, *, landscape: bool = False) -> Any:
    doc = official_document(landscape=landscape)
    props = doc.core_properties
    props.title, props.author = title, f"{settings.town}党建办"
    props.last_modified_by, props.comments, props.revision = props.author, "", 1
    props.created = props.modified = datetime.now().replace(microsecond=0)
    return doc


def _salutation(row: FeedbackRow) -> str:
    who = f"{row.org}党组织书记{row.secretary}同志" if row.secretary else f"{row.org}党组织"
    return f"{who}、包片领导{row.area_leader}同志：" if row.area_leader else f"{who}："


def _verdict_reason(row: FeedbackRow, checked: date) -> str:
    if row.verdict == NOT_RECEIVED:
        return f"。截至{cn_date(checked)}，党建办尚未收到{row.org}的述职报告。"
    if row.verdict == UNREADABLE:
        return f"。{row.analysis.error if row.analysis else ''}"
    counts = Counter(f.severity for f in row.findings)
    said = "、".join(f"{SEVERITY_WORDS[s]} {counts[s]} 处" for s in SEVERITY_WORDS if counts[s])
    if row.verdict == NEEDS_WORK:
        return f"。检查发现问题 {sum(counts.values())} 处，其中{said}。"
    return f"。报告符合通知要求（另有{said}，可酌情完善）。" if said else "。报告符合通知要求。"


def _finding(doc: Any, number: int, finding: Finding) -> None:
    clause = finding.clause.strip()
    source = ""
    if clause:
        source = f"（出处：{clause if clause.startswith('通知') else '通知' + clause}）"
    message = finding.message.rstrip()
    message += "" if message.endswith(("。", "！", "？", "”", "）")) else "。"
    add_rich(doc, [(f"{number}．", False), (f"【{SEVERITY_WORDS[finding.severity]}】", True),
                (source + message, False)])
    if finding.quote:
        add_text(doc, f"原文：「{_cut(finding.quote, QUOTE_CHARS)}」", font=SUBHEADING_FONT)


def _next_step(verdict: str, findings: Sequence[Finding], settings: Settings,
               checked: date) -> str:
    deadline = settings.deadline
    by = "尽快" if deadline is None or checked > deadline else f"于{cn_date(deadline)}前"
    if verdict == PASSED:
        rest = "；以上建议修改和提示事项，请在现场述职前酌情完善" if findings else ""
        return f"报告符合通知要求，无需重新报送{rest}。请做好现场述职准备。"
    if verdict == NOT_RECEIVED:
        return f"请按通知要求撰写述职报告，经包片领导审核后，{by}报送党建办。"
    if verdict == UNREADABLE:
        return f"请按上述办法处理后，经包片领导审核，{by}重新报送党建办。"
    return f"请对照以上意见逐条修改，修改后经包片领导审核，{by}重新报送党建办。"


def _figure_table(doc: Any, m: Measures, s: Settings) -> None:
    rows = _figures(m, s)
    table = grid_table(doc, len(rows) + 1, _FIGURE_WIDTHS)
    for cell, text in zip(table.rows[0].cells, _FIGURE_HEADER, strict=True):
        cell_text(cell, text, size=SIZE_SMALL_4, font=HEADING_FONT)
    for row, values in zip(table.rows[1:], rows, strict=True):
        for index, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
            align = WD_ALIGN_PARAGRAPH.LEFT if index == 1 else WD_ALIGN_PARAGRAPH.CENTER
            cell_text(cell, text, size=SIZE_SMALL_4, align=align)
    repeat_header_row(table)


def _figures(m: Measures, s: Settings) -> list[tuple[str, str, str, str]]:
    """Return (项目, 本报告, 通知要求, ✓/✗/—) rows; ``—`` where nothing is required or checked."""
    off = set(s.disabled_rules)

    def mark(*checks: tuple[str, bool]) -> str:
        live = [ok for rule_id, ok in checks if not {rule_id, RULES[rule_id].name} & off]
        return "—" if not live else ("✓" if all(live) else "✗")

    def part(key: str) -> str:
        words, share = m.parts[key], m.share(key)
        if words is None:
            return "未找到该部分"
        return f"{words} 字，占 {share:.1%}" if share is not None else f"{words} 字"

    found = {k: m.parts[k] is not None for k in (PRACTICES, PROBLEMS, PLANS)}
    practices_ok = _within(m.share(PRACTICES), s.practices_share_min, s.practices_share_max)
    rest = m.share(PROBLEMS, PLANS)
    rest_ok = _within(rest, s.problems_plans_share_min, s.problems_plans_share_max)
    # The 1/3 of 四、1 is read on part 二 alone or on 二+三, as 设置 says.
    alone = s.problems_share_basis == SHARE_BASIS_PART_TWO
    third = ("problems_third", _within(m.share(PROBLEMS) if alone else rest, s.problems_share_min))
    at_least = f"不少于 {_pct(s.problems_share_min)}"
    points = m.data_points
    examples = "、".join(points[:4]) + ("等" if len(points) > 4 else "")
    topics = "；".join(f"{t} {_topic_mark(m, t)}" for t in TOPIC_NAMES)
    return [
        ("全文字数", f"{m.words} 字", f"{s.words_min}—{s.words_max} 字",
         mark(("words", s.words_min <= m.words <= s.words_max))),
        (PART_NAMES[PRACTICES], part(PRACTICES),
         f"{_pct(s.practices_share_min)}—{_pct(s.practices_share_max)}",
         mark(("parts", found[PRACTICES]), ("shares", practices_ok))),
        (PART_NAMES[PROBLEMS], part(PROBLEMS), at_least if alone else "—",
         mark(("parts", found[PROBLEMS]), *([third] if alone else []))),
        (PART_NAMES[PLANS], part(PLANS), "—", mark(("parts", found[PLANS]))),
        ("问题和打算合计", "—" if rest is None else f"占 {rest:.1%}",
         f"{_pct(s.problems_plans_share_min)}—{_pct(s.problems_plans_share_max)}"
         + ("" if alone else f"，且{at_least}"),
         mark(("shares", rest_ok), *([] if alone else [third]))),
        (REPORTS.header("data_points"),
         f"{len(points)} 个" + (f"（{examples}）" if points else ""),
         f"不少于 {s.data_points_min} 个", mark(("data", len(points) >= s.data_points_min))),
        (REPORTS.header("problems_listed"), f"{len(m.problems)} 条", "不少于 3 条",
         mark(("items", len(m.problems) >= 3))),
        (REPORTS.header("plans_listed"), f"{len(m.plans)} 条", "不少于 3 条",
         mark(("items", len(m.plans) >= 3))),
        ("必答题", topics, "两题都要回答", mark(("topics", all(m.topics.values())))),
    ]


# -- the 汇总表 ---------------------------------------------------------------------------

def _summary_values(number: int, row: FeedbackRow) -> list[str]:
    m = row.analysis.measures if row.analysis and not row.analysis.error else None
    figures = ["—"] * 7
    if m is not None:
        shares = [m.share(k) for k in (PRACTICES, PROBLEMS, PLANS)]
        parts = [m.parts[k] for k in (PRACTICES, PROBLEMS, PLANS)]
        figures = [
            str(m.words),
            *("未找到" if n is None else f"{n}\n{share:.1%}" if share is not None else str(n)
              for n, share in zip(parts, shares, strict=True)),
            str(len(m.data_points)),
            "\n".join(f"{_TOPIC_SHORT[t]}{_topic_mark(m, t)}" for t in TOPIC_NAMES),
            f"{len(m.problems)}/{len(m.plans)}",
        ]
    return [str(number), row.org, row.secretary or "—", *figures, row.verdict, _main_problems(row)]


def _topic_mark(m: Measures, topic: str) -> str:
    """Return ✓, ✓（实质） for an answer in substance only, or ✗."""
    level = m.topic_levels.get(topic)
    if level == SUBSTANCE:
        return "✓（实质）"
    return "✓" if m.topics[topic] else "✗"


def _main_problems(row: FeedbackRow, shown: int = 3) -> str:
    """Return the first few messages, errors before warnings, each cut short."""
    messages: list[tuple[int, str]] = []
    if row.verdict == NOT_RECEIVED:
        messages.append((0, "未收到述职报告"))
    elif row.analysis is not None and row.analysis.error:
        messages.append((0, row.analysis.error))
    rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    messages += [(rank[f.severity], f.message) for f in row.findings]
    messages.sort(key=lambda pair: pair[0])  # stable: notice order within a severity
    lines = [f"{i}.{_shorten(text)}" for i, (_, text) in enumerate(messages[:shown], start=1)]
    if len(messages) > shown:
        lines.append(f"（共 {len(messages)} 项）")
    return "\n".join(lines) or "无"


def _shorten(message: str, limit: int = 32) -> str:
    """Return the first sentence of ``message`` without asides, cut at a comma near ``limit``."""
    text = re.sub(r"（[^）]*）", "", message.split("。")[0]).strip()
    if len(text) <= limit:
        return text
    comma = max(text.rfind("，", 0, limit), text.rfind("；", 0, limit))
    return text[:comma] + "…" if comma >= limit // 3 else text[: limit - 1] + "…"


# -- small helpers ------------------------------------------------------------------------

def _within(share: float | None, low: float, high: float = 1.0) -> bool:
    return share is not None and low - _EPS <= share <= high + _EPS


def _pct(value: float) -> str:
    return f"{value * 100:.1f}".rstrip("0").rstrip(".") + "%"


def _cut(text: str, limit: int) -> str:
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
