"""One report, analysed: its measures and findings, and how they are shown.

:func:`analyze` is the checker's one entry point for a report that has been read
(:func:`tongjia_xls.word.extract.analyze_file` reads a file first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tongjia_xls.errors import Severity
from tongjia_xls.reports.measure import Measures, measure
from tongjia_xls.reports.model import ReportText
from tongjia_xls.reports.rules import Context, Finding, run_rules
from tongjia_xls.reports.structure import PART_KEYS, PLANS, PRACTICES, PROBLEMS

PASSED = "合格"
NEEDS_WORK = "需修改"
UNREADABLE = "无法读取"
#: The 检查结论 of an organization whose report has not come in.
NOT_RECEIVED = "未收到"


@dataclass
class Analysis:
    """The checker's verdict on one file; ``error`` is set when it could not be read."""

    file: str
    measures: Measures | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    report: ReportText | None = None

    @property
    def verdict(self) -> str:
        """Return 合格 when no finding is an error, else 需修改 (or 无法读取)."""
        if self.error:
            return UNREADABLE
        return NEEDS_WORK if any(f.severity is Severity.ERROR for f in self.findings) else PASSED

    def as_json(self) -> dict[str, Any]:
        """Return the analysis as ``tongjia-xls analyze --json`` prints it."""
        return {"file": self.file, "error": self.error, **_figures_json(self.measures),
                "findings": [f.as_json() for f in self.findings], "verdict": self.verdict,
                **_examples_json(self.measures)}

    def shares(self) -> dict[str, float | None]:
        """Return each part's share of the three parts' 字数."""
        m = self.measures
        if m is None:
            return dict.fromkeys(PART_KEYS)
        return {PRACTICES: m.share(PRACTICES), PROBLEMS: m.share(PROBLEMS), PLANS: m.share(PLANS)}


def _figures_json(m: Measures | None) -> dict[str, Any]:
    """Return the measured figures and listed items for the JSON (``None`` for an unread file)."""
    if m is None:
        return {"words": None, "words_wps": None, "parts": dict.fromkeys(PART_KEYS),
                "data_points": None, "topics": None, "topic_levels": None,
                "problems_listed": None, "plans_listed": None, "causes_listed": None,
                "problem_items": [], "cause_items": [], "plan_items": []}
    return {
        "words": m.words,
        "words_wps": m.words_wps,
        "parts": dict(m.parts),
        "data_points": len(m.data_points),
        "topics": {t: bool(found) for t, found in m.topics.items()},
        "topic_levels": dict(m.topic_levels),
        "problems_listed": len(m.problems),
        "plans_listed": len(m.plans),
        "causes_listed": len(m.cause_items),
        "problem_items": [i.text for i in m.problems],
        "cause_items": [i.text for i in m.cause_items],
        "plan_items": [i.text for i in m.plans],
    }


def _examples_json(m: Measures | None) -> dict[str, Any]:
    """Return the title, the figures found and the aspects covered for the JSON."""
    if m is None:
        return {"title": None, "data_point_examples": [], "aspects": None}
    return {"title": m.structure.title, "data_point_examples": m.data_points,
            "aspects": {a: bool(found) for a, found in m.aspects.items()}}


def analyze(report: ReportText, context: Context | None = None) -> Analysis:
    """Return the measures and findings of ``report`` under ``context``."""
    context = context or Context()
    measures = measure(report, context.settings)
    return Analysis(str(report.source), measures, run_rules(measures, context), report=report)
