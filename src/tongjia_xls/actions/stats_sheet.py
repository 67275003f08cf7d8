"""The ``统计`` sheet: what the committee looks at, laid out as rows with native charts.

Built from plain results (grades, scores, report verdicts, sensitivity); the gateway writes
it whole, since the sheet belongs to the tool.

The charts stand under the tables, one below the other, as wide as the tables: nothing
hides a cell (text that overflows its cell included), no chart covers another, and the
sheet prints on A4 portrait at full size. Their rows are counted at the default height,
the height of the empty rows they cover.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from tongjia_xls.book.gateway import Cell, ChartSpec
from tongjia_xls.book.look import Look
from tongjia_xls.reports.measure import TOPIC_NAMES
from tongjia_xls.sheets.schema import GRADES, SCORE_FORMAT, SCORES

RATIO = "0.0%"
#: The default row height of the sheet (15 pt), in cm.
ROW_CM = 15 / 72 * 2.54
#: Empty rows between the tables and the first chart, and between two charts.
CHART_GAP_ROWS = 1


def column_cm(width: float) -> float:
    """Return the on-screen width (cm) of a column ``width`` characters wide (Excel's rule)."""
    return int(width * 7 + 5) / 96 * 2.54


def chart_rows(height_cm: float) -> int:
    """Return how many rows of default height a chart ``height_cm`` tall covers."""
    return math.ceil(height_cm / ROW_CM - 1e-9)


def _em(widths: Sequence[float]) -> float:
    """Return how many 汉字 (11 pt, 14.67 px) fit across columns of ``widths`` characters."""
    return sum(int(w * 7 + 5) for w in widths) / (11 * 4 / 3) - 1


def _width(text: str) -> float:
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def split_lines(text: str, room: float) -> list[str]:
    """Return ``text`` in lines of at most ``room`` em, broken after punctuation if it can.

    The sheet's cells do not wrap, and text running past the tables would widen the printed
    page (and shrink everything on it): long text takes several rows instead.
    """
    lines: list[str] = []
    line = ""
    for piece in re.split(r"(?<=[，；、。：,;])", text):
        while piece:
            if _width(line + piece) <= room:
                line, piece = line + piece, ""
            elif line:
                lines.append(line)
                line = ""
            else:  # one piece wider than the room: cut it
                cut = 1
                while cut < len(piece) and _width(piece[:cut + 1]) <= room:
                    cut += 1
                lines.append(piece[:cut])
                piece = piece[cut:]
    return [*lines, line] if line or not lines else lines


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

    def place_charts(self) -> None:
        """Anchor the charts under the last row, stacked, as wide as the tables' columns."""
        width = round(sum(column_cm(w) for w in self.widths.values()), 2)
        row = len(self.rows) + 1 + CHART_GAP_ROWS
        placed = []
        for chart in self.charts:
            placed.append(replace(chart, anchor=f"A{row}", width_cm=width))
            row += chart_rows(chart.height_cm) + CHART_GAP_ROWS
        self.charts = placed


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
    _add_heading(out, title, quota_lines)
    _add_grades(out, scores)
    _add_scores(out, scores)
    _add_reports(out, verdicts, topics)
    _add_stability(out, scenarios)
    out.place_charts()
    return out


def _add_heading(out: StatsLayout, title: str, quota_lines: Sequence[str]) -> None:
    """Add the title and the quota's state, in lines as wide as the tables."""
    out.add(title, look=Look.TOWN_DECISION)
    across = _em(list(out.widths.values()))
    for text in quota_lines:
        for line in split_lines(text, across):
            out.add(line)
    out.gap()


def _add_grades(
    out: StatsLayout, scores: Sequence[tuple[str, float | None, str | None, str | None]]
) -> None:
    """Add 一、等次分布: how many organizations each grade has, proposed and final, charted."""
    out.add("一、等次分布")
    head = out.header("等次", "建议等次（个）", "确定等次（个）")
    proposed = Counter(p for _, _, p, _ in scores if p)
    final = Counter(f for _, _, _, f in scores if f)
    for band in GRADES:
        out.add(band, proposed[band], final[band])
    last = head + len(GRADES)
    out.charts.append(ChartSpec("column", "等次分布", head, head + 1, last, 1, (2, 3), "A1",
                                height_cm=7.0))
    out.gap()


def _add_scores(
    out: StatsLayout, scores: Sequence[tuple[str, float | None, str | None, str | None]]
) -> None:
    """Add 二、综合得分: each organization's score and grades, charted when there are any."""
    out.add("二、综合得分")
    head = out.header("党组织", *(SCORES.header(n) for n in ("composite", "proposed_grade",
                                                           "final_grade")))
    for org, score, grade, final_grade in scores:
        out.add(org, score, grade, final_grade, formats=("General", SCORE_FORMAT))
    last = head + len(scores)
    if scores:
        out.charts.append(ChartSpec("bar", "各党组织综合得分", head, head + 1, last, 1, (2,),
                                    "A1", height_cm=max(8.0, 0.55 * len(scores) + 2.5)))
    out.gap()


def _add_reports(
    out: StatsLayout, verdicts: Mapping[str, str | None], topics: Mapping[str, tuple[bool, bool]]
) -> None:
    """Add 三、述职报告检查: the count of each verdict and of each 必答题 answered."""
    out.add("三、述职报告检查")
    out.header("项目", "个数", "占比")
    counted = Counter(v or "未检查" for v in verdicts.values())
    total = max(len(verdicts), 1)
    for verdict in ("合格", "需修改", "未收到", "无法读取", "未检查"):
        if counted[verdict]:
            out.add(verdict, counted[verdict], counted[verdict] / total,
                    formats=("General", "0", RATIO))
    for index, topic in enumerate(TOPIC_NAMES):
        answered = sum(1 for pair in topics.values() if pair[index])
        out.add(f"回答必答题“{topic}”", answered, answered / total,
                formats=("General", "0", RATIO))
    out.gap()


def _add_stability(
    out: StatsLayout, scenarios: Sequence[tuple[str, int, Sequence[str]]]
) -> None:
    """Add 四、权重变动时建议等次的稳定性: each scenario and the organizations it moves."""
    out.add("四、权重变动时建议等次的稳定性")
    out.header("情形", "建议等次变化（个）", "涉及党组织")
    # The names stand in 涉及党组织 and the empty column beside it, several rows if need be.
    room = _em([out.widths[3], out.widths[4]])
    for label, changed, orgs in scenarios:
        lines = split_lines("、".join(orgs), room) if orgs else ["—"]
        out.add(label, changed, lines[0])
        for line in lines[1:]:
            out.add(None, None, line)
    if not scenarios:
        out.add("（尚无可比较的情形）")
