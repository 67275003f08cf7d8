"""The ``统计`` sheet: what the committee looks at, laid out as rows with native charts.

Built from plain results (grades, scores, report verdicts, sensitivity); the gateway writes
it whole, since the sheet belongs to the tool.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tongjia_xls.book.gateway import Cell, ChartSpec
from tongjia_xls.book.look import Look
from tongjia_xls.book.schema import GRADES, SCORE_FORMAT

RATIO = "0.0%"


@dataclass
class StatsLayout:
    """Rows, cell looks and charts of the 统计 sheet."""

    rows: list[list[Any]] = field(default_factory=list)
    looks: dict[Cell, tuple[Look, str]] = field(default_factory=dict)
    charts: list[ChartSpec] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=lambda: {1: 34, 2: 16, 3: 14, 4: 12})

    def add(self, *values: Any, look: Look | None = None, formats: Sequence[str] = ()) -> int:
        """Append a row; return its row number."""
        self.rows.append(list(values))
        row = len(self.rows)
        for col in range(1, len(values) + 1):
            fmt = formats[col - 1] if col - 1 < len(formats) else "General"
            if look is not None or fmt != "General":
                self.looks[(row, col)] = (look or Look.BODY_STAFF, fmt)
        return row

    def header(self, *titles: str) -> int:
        """Append a table header row."""
        return self.add(*titles, look=Look.HEADER_TOOL)

    def gap(self) -> None:
        """Append an empty row."""
        self.rows.append([])


def stats_layout(
    title: str,
    scores: Sequence[tuple[str, float | None, str | None, str | None]],
    verdicts: Mapping[str, str | None],
    topics: Mapping[str, tuple[bool, bool]],
    quota_lines: Sequence[str],
    scenarios: Sequence[tuple[str, int, Sequence[str]]],
) -> StatsLayout:
    """Return the 统计 sheet for ``scores`` ((org, composite, proposed, final) in roster order)."""
    out = StatsLayout()
    out.add(title, look=Look.TOWN_DECISION)
    for line in quota_lines:
        out.add(line)
    out.gap()

    out.add("一、等次分布")
    head = out.header("等次", "建议等次（个）", "确定等次（个）")
    proposed = Counter(p for _, _, p, _ in scores if p)
    final = Counter(f for _, _, _, f in scores if f)
    for grade in GRADES:
        out.add(grade, proposed[grade], final[grade])
    last = head + len(GRADES)
    out.charts.append(ChartSpec("column", "等次分布", head, head + 1, last, 1, (2, 3), "F3"))
    out.gap()

    out.add("二、综合得分")
    head = out.header("党组织", "综合得分", "建议等次", "确定等次")
    for org, score, grade, final_grade in scores:
        out.add(org, score, grade, final_grade, formats=("General", SCORE_FORMAT))
    last = head + len(scores)
    if scores:
        out.charts.append(ChartSpec("bar", "各党组织综合得分", head, head + 1, last, 1, (2,),
                                    f"F{head}", height_cm=max(8.0, 0.45 * len(scores))))
    out.gap()

    out.add("三、述职报告检查")
    out.header("项目", "个数", "占比")
    counted = Counter(v or "未检查" for v in verdicts.values())
    total = max(len(verdicts), 1)
    for verdict in ("合格", "需修改", "未收到", "无法读取", "未检查"):
        if counted[verdict]:
            out.add(verdict, counted[verdict], counted[verdict] / total,
                    formats=("General", "0", RATIO))
    for index, topic in enumerate(("拼经济搞建设", "防风险保安全")):
        answered = sum(1 for pair in topics.values() if pair[index])
        out.add(f"回答必答题“{topic}”", answered, answered / total,
                formats=("General", "0", RATIO))
    out.gap()

    out.add("四、权重变动时建议等次的稳定性")
    out.header("情形", "建议等次变化（个）", "涉及党组织")
    for label, changed, orgs in scenarios:
        out.add(label, changed, "、".join(orgs) or "—")
    if not scenarios:
        out.add("（尚无可比较的情形）")
    return out
