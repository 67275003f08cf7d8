"""The checks of a 述职报告, one small unit per rule of the notice.

Each rule has a stable id (used in ``--json`` output and in code), a short Chinese name
(what staff type in ``设置`` → ``停用的检查项`` to switch it off), the clause it comes from,
and a function that reads the measures and says what is wrong, with the numbers and what to
change. Thresholds and word lists come from :class:`~tongjia_xls.settings.Settings`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from tongjia_xls.errors import Severity
from tongjia_xls.reports.measure import EXPLICIT, NONE, SUBSTANCE, TOPIC_NAMES, Measures
from tongjia_xls.reports.structure import PART_KEYS, PART_NAMES, PLANS, PRACTICES, PROBLEMS
from tongjia_xls.settings import SHARE_BASIS_PART_TWO, Settings

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
_ORDINAL = {PRACTICES: "一", PROBLEMS: "二", PLANS: "三"}
_LOOKED_FOR = {
    PRACTICES: "含“做法”“成效”“履职情况”等字样的标题",
    PROBLEMS: "含“问题”“不足”“差距”“原因”等字样的标题，或“……还存在一些问题：”这样的过渡句",
    PLANS: "含“打算”“计划”“思路”“努力方向”等字样的标题，或以“下一步，我将……”开头的段落",
}


@dataclass(frozen=True)
class Finding:
    """One thing a rule found wrong in a report; ``quote`` is the offending text, if any."""

    rule: str
    severity: Severity
    clause: str
    message: str
    quote: str | None = None

    def as_json(self) -> dict[str, Any]:
        """Return the finding as the ``analyze --json`` output spells it."""
        return {"rule": self.rule, "severity": self.severity.value, "clause": self.clause,
                "message": self.message, **({"quote": self.quote} if self.quote else {})}


@dataclass(frozen=True)
class Context:
    """What a rule may know beside the report: settings, the org, last year, the others.

    ``appointed`` is the secretary's 任职日期 (``None``: unknown); ``prior_items`` last
    year's rectification problems of this org; ``similar`` the passages this report shares
    with others (``Match`` objects of :mod:`tongjia_xls.reports.similarity`).
    """

    settings: Settings = field(default_factory=Settings)
    appointed: date | None = None
    prior_items: tuple[str, ...] = ()
    similar: tuple[Any, ...] = ()


Says = Iterator[tuple[Severity, str, str | None]]


@dataclass(frozen=True)
class Rule:
    """A rule: id, Chinese name, clause and the check itself."""

    id: str
    name: str
    clause: str
    what: str  # what the rule asks, in the words of the notice, for staff
    check: Callable[[Measures, Context], Says]


RULES: dict[str, Rule] = {}


def rule(
    id: str, name: str, clause: str, what: str
) -> Callable[[Callable[..., Says]], Callable[..., Says]]:
    """Register the decorated check under ``id``."""
    def register(check: Callable[..., Says]) -> Callable[..., Says]:
        RULES[id] = Rule(id, name, clause, what, check)
        return check
    return register


def run_rules(measures: Measures, context: Context) -> list[Finding]:
    """Return the findings of every rule not switched off in the settings, in rule order."""
    off = set(context.settings.disabled_rules)
    findings = []
    for item in RULES.values():
        if item.id in off or item.name in off:
            continue
        for severity, message, quote in item.check(measures, context):
            findings.append(Finding(item.id, severity, item.clause, message, quote))
    return findings


def _pct(share: float, against: float | None = None) -> str:
    """Return ``share`` as a percentage, with the decimals that tell it from ``against``.

    "33.3%，少于 33.3%" must not be read: a share just under a limit gets a decimal more.
    """
    for decimals in range(1, 5):
        shown = f"{share:.{decimals}%}"
        if against is None or shown != f"{against:.{decimals}%}":
            return shown
    return shown


def _nearest(value: float, low: float, high: float) -> float:
    return low if abs(value - low) <= abs(value - high) else high


def need_words(m: Measures, share: float, alone: bool) -> int:
    """Return the fewest 字 that, added to part 二 (and 三), bring it to ``share``.

    Words added to the part add to the whole as well: the smallest ``n`` with
    ``(part + n) / (total + n) >= share``, in exact arithmetic.
    """
    exact = Fraction(share).limit_denominator(1000)
    part = (m.parts.get(PROBLEMS) or 0) + (0 if alone else (m.parts.get(PLANS) or 0))
    total = m.parts_total
    needed = (exact * total - part) / (1 - exact)
    return max(math.ceil(needed), 1)


@rule("parts", "三个板块", "四、5；附件1",
      "三个部分（主要做法和成效、存在问题及原因分析、下步工作打算）齐全且顺序正确")
def _parts(m: Measures, c: Context) -> Says:
    opened = {p.heading for p in m.structure.parts.values()}
    others = [h for h in m.structure.headings if h not in opened]
    for key in PART_KEYS:
        if key not in m.structure.parts:
            looked = _LOOKED_FOR[key]
            seen = (f"报告中的小标题有：{'；'.join(f'“{h}”' for h in others[:4])}，都不像这一部分"
                    if others else "报告中没有看到像标题的段落")
            yield ERROR, (f"没有找到第{_ORDINAL[key]}部分“{PART_NAMES[key]}”（找的是{looked}）；"
                          f"{seen}。请按附件1提纲，用“{_ORDINAL[key]}、{PART_NAMES[key]}”作标题"
                          "单独成段"), None
    if len(m.structure.order) > 1 and not m.structure.in_order:
        found = "、".join(PART_NAMES[k] for k in m.structure.order)
        yield WARNING, f"三个部分的顺序为“{found}”，请按附件1的顺序排列", None


@rule("words", "字数", "四、5",
      "全文字数（按 Word 字数统计）在字数下限和上限之间")
def _words(m: Measures, c: Context) -> Says:
    low, high = c.settings.words_min, c.settings.words_max
    if m.words < low:
        yield ERROR, f"全文 {m.words} 字，少于 {low} 字的下限，需补充 {low - m.words} 字", None
    elif m.words > high:
        yield ERROR, f"全文 {m.words} 字，超过 {high} 字的上限，需压缩 {m.words - high} 字", None
    wps = m.words_wps
    if wps is not None and wps != m.words and (
        (wps < low) != (m.words < low) or (wps > high) != (m.words > high)
    ):
        # WPS leaves text boxes and notes out: staff who check in WPS see another figure.
        yield WARNING, (f"按 Word 统计 {m.words} 字，按 WPS 统计 {wps} 字（WPS 不计文本框、脚注和"
                        f"尾注），两者分处 {low if (wps < low) != (m.words < low) else high} "
                        "字两侧；本工具按 Word 的字数判断，请以 Word 的“字数统计”为准核对"), None


@rule("shares", "篇幅比例", "四、5",
      "做法成效占三个部分的65%—70%，问题和打算合计占30%—35%")
def _shares(m: Measures, c: Context) -> Says:
    s = c.settings
    practices, rest = m.share(PRACTICES), m.share(PROBLEMS, PLANS)
    if practices is None or rest is None:
        return
    if not s.practices_share_min <= practices <= s.practices_share_max:
        near = _nearest(practices, s.practices_share_min, s.practices_share_max)
        yield WARNING, (
            f"“主要做法和成效”占三个部分字数的 {_pct(practices, near)}，"
            f"要求 {_pct(s.practices_share_min)}"
            f"—{_pct(s.practices_share_max)}（三个部分共 {m.parts_total} 字）"), None
    if not s.problems_plans_share_min <= rest <= s.problems_plans_share_max:
        near = _nearest(rest, s.problems_plans_share_min, s.problems_plans_share_max)
        yield WARNING, (
            f"“存在问题”和“工作打算”合计占 {_pct(rest, near)}，"
            f"要求 {_pct(s.problems_plans_share_min)}"
            f"—{_pct(s.problems_plans_share_max)}"), None


@rule("problems_third", "问题占三分之一", "四、1；附件1",
      "问题及原因分析不少于三分之一（按“问题原因占比口径”计算）")
def _problems_third(m: Measures, c: Context) -> Says:
    s = c.settings
    alone = s.problems_share_basis == SHARE_BASIS_PART_TWO
    share = m.share(PROBLEMS) if alone else m.share(PROBLEMS, PLANS)
    if share is None or share >= s.problems_share_min - 1e-9:
        return
    what = "“存在问题及原因分析”" if alone else "“存在问题及原因分析”和“下步工作打算”合计"
    # "原则上……不少于三分之一": a share just short of it is worth a word, not a 需修改.
    severity = WARNING if share >= s.problems_share_min - s.share_tolerance - 1e-9 else ERROR
    yield severity, (f"{what}占 {_pct(share, s.problems_share_min)}，"
                     f"少于 {_pct(s.problems_share_min, share)}"
                     f"（口径：{s.problems_share_basis}），"
                     f"约需增加 {need_words(m, s.problems_share_min, alone)} 字，"
                     "把问题和原因讲深讲透，防止一味评功摆好"), None


@rule("aspects", "四个方面", "附件1",
      "主要做法和成效写到附件1的四个方面")
def _aspects(m: Measures, c: Context) -> Says:
    if PRACTICES not in m.structure.parts:
        return
    missing = [name for name, found in m.aspects.items() if not found]
    if missing:
        yield WARNING, (f"“主要做法和成效”没有写到：{'、'.join(missing)}方面。"
                        "请按附件1的四个方面逐一述职"), None


@rule("items", "条数", "附件1",
      "问题和打算都按“一是、二是、三是”至少列出3条")
def _items(m: Measures, c: Context) -> Says:
    for key, items, what in ((PROBLEMS, m.problems, "问题"), (PLANS, m.plans, "打算")):
        if key in m.structure.parts and len(items) < 3:
            yield WARNING, (f"第{_ORDINAL[key]}部分列出的{what}有 {len(items)} 条，附件1要求按"
                            f"“一是、二是、三是”至少列出 3 条"), None


@rule("causes", "原因分析", "附件1",
      "第二部分有原因分析（“究其原因……”）")
def _causes(m: Measures, c: Context) -> Says:
    if PROBLEMS in m.structure.parts and m.causes is None:
        yield WARNING, "第二部分没有原因分析。请在问题之后写明“以上问题究其原因……”", None


@rule("data", "数据举例", "四、2",
      "主要做法和成效中有足够的具体数据（如党课12次、积极分子3名）")
def _data(m: Measures, c: Context) -> Says:
    need = c.settings.data_points_min
    if PRACTICES in m.structure.parts and len(m.data_points) < need:
        yield WARNING, (f"“主要做法和成效”中只有 {len(m.data_points)} 个具体数据，"
                        f"至少应有 {need} 个。"
                        "请用实例和数据说话，如开展党课多少次、发展入党积极分子多少名"), None


@rule("topics", "必答题", "三、7",
      f"回答了{''.join(f'“{t}”' for t in TOPIC_NAMES)}两个必答题")
def _topics(m: Measures, c: Context) -> Says:
    for topic, found in m.topics.items():
        level = m.topic_levels.get(topic, EXPLICIT if found else NONE)
        if level == NONE:
            yield ERROR, (f"没有回答必答题“{topic}”。"
                          "请专门写一段本村（社区）在这方面的做法和成效"), None
        elif level == SUBSTANCE:
            shown = "、".join(found[:4])
            yield WARNING, (f"必答题“{topic}”写了实际内容（{shown}等），但没有点明。"
                            f"建议在相应段落写明“在{topic}方面……”，便于评议时对照"), None


@rule("self", "述我", "四、1",
      "问题分析用第一人称，把自己摆进去")
def _self(m: Measures, c: Context) -> Says:
    if PROBLEMS in m.structure.parts and m.first_person == 0:
        yield WARNING, ("问题分析中没有用第一人称（我、本人）。请把自己摆进去，突出述“我”，"
                        "讲清本人履行第一责任人职责的不足"), None


@rule("prior_year", "上年度整改", "三、6；四、2",
      "回应上年度查摆问题和巡视巡察反馈问题的整改；整改台账中有上年度事项的，逐项说明")
def _prior_year(m: Measures, c: Context) -> Says:
    if not m.prior_year:
        yield WARNING, ("没有回应上年度查摆问题和巡视巡察反馈问题的整改情况。"
                        "请在“落实责任方面”写明整改落实情况"), None
    for item in c.prior_items:
        if not _mentions(m.text, item):
            yield WARNING, f"没有说明上年度整改事项“{item}”的整改情况", item


@rule("template_residue", "模板残留", "附件1",
      "没有留下提纲模板的文字（XX、……、“主要包括”等）")
def _template_residue(m: Measures, c: Context) -> Says:
    seen: set[str] = set()
    for pattern, what, needles in _RESIDUE:
        if needles and not any(needle in m.text for needle in needles):
            continue  # a plain substring search rules it out several times faster
        for found in pattern.finditer(m.text):
            quote = _around(m.text, found.start(), found.end())
            if quote not in seen:
                seen.add(quote)
                yield ERROR, (f"留有提纲模板中的{what}“{found.group(0)}”，"
                              "请删除或替换为实际内容"), quote


@rule("short_tenure", "任职较短", "三、7",
      "任职时间较短的书记报告了调研了解的问题和思路举措")
def _short_tenure(m: Measures, c: Context) -> Says:
    months = c.settings.short_tenure_months
    if c.appointed is None or m.research:
        return
    end = c.settings.deadline or date(c.settings.year, 12, 31)
    served = (end.year - c.appointed.year) * 12 + end.month - c.appointed.month
    if 0 <= served < months:
        yield WARNING, (f"书记任职约 {served} 个月（不满 {months} 个月），"
                        "按通知三、7 还应报告调研了解的"
                        "基层党建突出问题和落实主体责任的思路举措"), None


_YEAR_IN_TITLE = re.compile(r"(20\d\d)\s*年度")


@rule("year", "年度", "通知",
      "标题中的年度与本次述职年度一致")
def _year(m: Measures, c: Context) -> Says:
    heads = [p.text for p in m.structure.preamble] + [p.heading for p in
                                                      m.structure.parts.values()]
    for text in heads:
        for found in _YEAR_IN_TITLE.finditer(text):
            if int(found.group(1)) != c.settings.year:
                yield WARNING, (f"标题写的是“{found.group(0)}”，"
                                f"本次述职的是 {c.settings.year} 年度，"
                                "请核对是否沿用了旧报告"), text


@rule("similarity", "雷同", "三（防止走过场）",
      "与其他村（社区）或本单位上年度的报告没有大段雷同")
def _similarity(m: Measures, c: Context) -> Says:
    # One finding per other report, not per passage: staff read 3 lines, not 100.
    by_other: dict[tuple[bool, str], list[Any]] = {}
    for match in c.similar:
        by_other.setdefault((match.last_year, match.other_org), []).append(match)
    for (last_year, other_org), matches in by_other.items():
        other = "本单位上年度报告" if last_year else f"“{other_org}”的报告"
        # The longest shared passage shows best what was copied; passages are sentences.
        best = max(matches, key=lambda x: (len(x.text), x.score))
        count = f"{len(matches)} 句" if len(matches) > 1 else "一句"
        copied = copied_share(m, matches)
        if last_year and copied >= c.settings.last_year_copy_share - 1e-9:
            yield ERROR, (f"报告约 {copied:.0%} 的文字与本单位上年度报告雷同（{count}话），"
                          "基本是照抄上年度。请如实写本年度的做法、问题和打算"), best.text
            continue
        top = max(match.score for match in matches)
        yield WARNING, (f"有{count}话与{other}高度相似（最高相似度 {top:.0%}，下面引的是最长的"
                        "一句），请结合本单位实际重写"), best.text


def copied_share(m: Measures, matches: Sequence[Any]) -> float:
    """Return the share of the report's characters that stand in ``matches`` (0 to 1)."""
    own = {match.index: len(match.text) for match in matches}
    body = len("".join(m.text.split())) or 1  # re.sub(r"\s+", "", m.text), faster
    return min(sum(own.values()) / body, 1.0)


# "[X][X]+" is "[X]{2,}", "\.\.{5,}" is "\.{6,}": spelt so that each opens with a character
# (class), which re scans for quickly; a repeat first makes it try every position, 5-10x slower.
# The third item: strings one of which any match contains (none: always search).
_RESIDUE: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = (
    (re.compile(r"[XxＸｘ×][XxＸｘ×]+"), "占位符", tuple("XxＸｘ×")),
    (re.compile(r"20[\dXx][Xx]年"), "年份占位", ()),
    (re.compile(r"\.\.{5,}|……{2,}|。。{2,}"), "省略号占位", ("......", "………", "。。。")),
    (re.compile(r"[（(]主要包括"), "说明文字", ("主要包括",)),
    (re.compile(r"此部分不少于整个篇幅"), "说明文字", ()),
)


def _around(text: str, start: int, end: int, width: int = 20) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return text[max(line_start, start - width): min(line_end, end + width)]


def _mentions(text: str, item: str, size: int = 4) -> bool:
    """Return True when ``text`` shares a run of ``size`` characters with ``item``."""
    compact = re.sub(r"[\s，。、；：“”！？（）]", "", item)
    if len(compact) < size:
        return compact in text
    return any(compact[i : i + size] in text for i in range(len(compact) - size + 1))


def rules_markdown() -> str:
    """Return the table of rules as it stands in the README."""
    lines = ["| 检查项 | 检查什么 | 出处 | 编号 |", "|---|---|---|---|"]
    lines += [f"| {r.name} | {r.what} | {r.clause} | `{r.id}` |" for r in RULES.values()]
    return "\n".join(lines)
